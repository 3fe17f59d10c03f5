package server

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/jichitai-isms/isms/internal/i18n"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// The audit pages (情報セキュリティ監査, domain.md §6.1) under /audits — the audit trail keeps /audit:
// the fiscal year's plan and audits, the plan with the committee's approval, an audit with its
// scope, auditors, evidence notes and findings, a finding with its corrective actions and the
// checks other units were told to make, and the printable report for the committee.
//
// Every signed-in person reaches the pages; the store shows each what they may read (404 for the
// rest) and refuses a change to those who may not make it (403). Forms come back to their page:
// refused with what was typed (422), stale with the conflict notice (409).

func securityAuditPath(id int64) string { return "/audits/" + strconv.FormatInt(id, 10) }

func auditFindingPath(id int64) string { return "/audits/findings/" + strconv.FormatInt(id, 10) }

func auditPlanPath(fy int) string { return "/audits/plans/" + strconv.Itoa(fy) }

// auditPlanBlankRows is how many empty rows the plan form offers for audits to add.
const auditPlanBlankRows = 3

// securityAuditIndex is the fiscal year's plan and the audits the reader may see.
func (h *handler) securityAuditIndex(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	v := web.SecurityAuditIndex{ThisYear: isms.FiscalYearOf(h.now()), Today: isms.Day(h.now())}
	v.FiscalYear = v.ThisYear
	if fy, err := strconv.Atoi(r.URL.Query().Get("fy")); err == nil && fy >= 2000 && fy <= 2100 {
		v.FiscalYear = fy
	}
	var err error
	if v.Plan, err = h.db.FindAuditPlan(ctx, v.FiscalYear); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Audits, err = h.db.FindSecurityAudits(ctx, actor, v.FiscalYear); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Tasks, err = h.db.FindAuditTasks(ctx, actor, 0); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.SecurityAuditIndexPage(v))
}

// renderAuditPlan shows a fiscal year's plan; v.Input is the form's content (the stored plan
// unless a refused form is shown again), to which blank rows are added.
func (h *handler) renderAuditPlan(w http.ResponseWriter, r *http.Request, status int, fy int, v web.SecurityAuditPlanView) {
	plan, err := h.db.FindAuditPlan(r.Context(), fy)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Plan = plan
	if v.Input.FiscalYear == 0 {
		v.Input = isms.AuditPlanInput{FiscalYear: fy, Objectives: plan.Objectives, ScopeSummary: plan.ScopeSummary,
			Items: plan.Items, Version: plan.Version}
	}
	v.Input.Items = append(v.Input.Items[:len(v.Input.Items):len(v.Input.Items)], make([]isms.AuditPlanItem, auditPlanBlankRows)...)
	if v.ApprovedOn == "" && v.ApprovalErrors == nil {
		v.ApprovedOn = isms.Day(h.now()).Format(time.DateOnly)
	}
	h.render(w, r, status, web.SecurityAuditPlanPage(v))
}

func (h *handler) securityAuditPlanShow(w http.ResponseWriter, r *http.Request) {
	if fy, ok := h.pathFiscalYear(w, r); ok {
		h.renderAuditPlan(w, r, http.StatusOK, fy, web.SecurityAuditPlanView{})
	}
}

// securityAuditPlanSave records the plan form: the objectives, the scope, and one row per audit
// foreseen (item_kind, item_title, item_target, item_month, in step).
func (h *handler) securityAuditPlanSave(w http.ResponseWriter, r *http.Request) {
	fy, ok := h.pathFiscalYear(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	in := isms.AuditPlanInput{FiscalYear: fy, Objectives: r.PostFormValue("objectives"),
		ScopeSummary: r.PostFormValue("scope_summary"), Version: int(formInt(r, "version"))}
	kinds, targets, months := r.PostForm["item_kind"], r.PostForm["item_target"], r.PostForm["item_month"]
	for i, title := range r.PostForm["item_title"] {
		it := isms.AuditPlanItem{Title: title}
		if i < len(kinds) {
			it.Kind = isms.AuditKind(kinds[i])
		}
		if i < len(targets) {
			it.Target = targets[i]
		}
		if i < len(months) && months[i] != "" {
			if it.Month, _ = strconv.Atoi(months[i]); it.Month == 0 {
				it.Month = -1 // not a month: the plan's rules say so on its row
			}
		}
		in.Items = append(in.Items, it)
	}
	in.Normalize()
	_, err := h.db.SaveAuditPlan(ctx, isms.ActorFrom(ctx), in)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		h.renderAuditPlan(w, r, status, fy, web.SecurityAuditPlanView{Input: in, Errors: errs, Conflict: conflict})
	}) {
		return
	}
	h.done(w, r, "security_audit.plan.saved", auditPlanPath(fy))
}

// securityAuditPlanApprove records the committee's approval of the plan as shown.
func (h *handler) securityAuditPlanApprove(w http.ResponseWriter, r *http.Request) {
	fy, ok := h.pathFiscalYear(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	fe := isms.FieldErrors{}
	on, onRaw := postedDay(r, "approved_on", fe)
	by := r.PostFormValue("approved_by")
	show := func(status int, errs isms.FieldErrors, conflict bool) {
		h.renderAuditPlan(w, r, status, fy, web.SecurityAuditPlanView{ApprovedOn: onRaw, ApprovedBy: by, ApprovalErrors: errs, Conflict: conflict})
	}
	if len(fe) > 0 {
		show(http.StatusUnprocessableEntity, fe, false)
		return
	}
	_, err := h.db.ApproveAuditPlan(ctx, isms.ActorFrom(ctx), fy, on, by, int(formInt(r, "version")))
	if h.refused(w, r, err, show) {
		return
	}
	h.done(w, r, "security_audit.plan.approved_flash", auditPlanPath(fy))
}

// auditDateFields are the date fields of the audit form.
var auditDateFields = []string{"planned_start", "planned_end", "actual_start", "actual_end", "report_on"}

// securityAuditFormFrom reads the audit form; fe holds the dates that are not dates.
func securityAuditFormFrom(r *http.Request) (web.SecurityAuditForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	f := web.SecurityAuditForm{Dates: map[string]string{}, Input: isms.SecurityAuditInput{
		Kind:           isms.AuditKind(r.PostFormValue("kind")),
		Title:          r.PostFormValue("title"),
		ContractorName: r.PostFormValue("contractor_name"),
		AuditorFirm:    r.PostFormValue("auditor_firm"),
		Objective:      r.PostFormValue("objective"),
		Status:         isms.AuditStatus(r.PostFormValue("status")),
		LeadID:         formInt(r, "lead_id"),
		Version:        int(formInt(r, "version")),
	}}
	f.Input.FiscalYear, _ = strconv.Atoi(r.PostFormValue("fiscal_year"))
	for _, s := range r.PostForm["unit_ids"] {
		id, _ := strconv.ParseInt(s, 10, 64)
		f.Input.UnitIDs = append(f.Input.UnitIDs, id)
	}
	for _, s := range r.PostForm["member_ids"] {
		id, _ := strconv.ParseInt(s, 10, 64)
		f.Input.MemberIDs = append(f.Input.MemberIDs, id)
	}
	days := []**time.Time{&f.Input.PlannedStart, &f.Input.PlannedEnd, &f.Input.ActualStart, &f.Input.ActualEnd, &f.Input.ReportOn}
	for i, name := range auditDateFields {
		*days[i], f.Dates[name] = postedDay(r, name, fe)
	}
	return f, fe
}

// renderSecurityAuditForm shows the audit form with the units and people to choose from. A refusal
// for an auditor's independence names the person and the unit beside the auditors.
func (h *handler) renderSecurityAuditForm(w http.ResponseWriter, r *http.Request, status int, f web.SecurityAuditForm, err error) {
	ctx := r.Context()
	if ie, ok := errors.AsType[*isms.IndependenceError](err); ok {
		f.Independence = i18n.T(ctx, ie.Key(), ie.Person, ie.Unit)
	}
	var ferr error
	if f.Units, ferr = h.db.FindUnits(ctx); ferr != nil {
		h.fail(w, r, ferr)
		return
	}
	if f.People, ferr = h.db.FindAuditCandidates(ctx, isms.ActorFrom(ctx), isms.Day(h.now())); ferr != nil {
		h.fail(w, r, ferr)
		return
	}
	f.Today = isms.Day(h.now())
	h.render(w, r, status, web.SecurityAuditFormPage(f))
}

// securityAuditNew is the form of a new audit: internal, of this fiscal year, planned.
func (h *handler) securityAuditNew(w http.ResponseWriter, r *http.Request) {
	if !isms.AuditManager(isms.ActorFrom(r.Context())) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "not the audit manager"))
		return
	}
	h.renderSecurityAuditForm(w, r, http.StatusOK, web.SecurityAuditForm{Dates: map[string]string{}, Input: isms.SecurityAuditInput{
		FiscalYear: isms.FiscalYearOf(h.now()), Kind: isms.AuditInternal, Status: isms.AuditPlanned}}, nil)
}

func (h *handler) securityAuditCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f, fe := securityAuditFormFrom(r)
	var created isms.SecurityAudit
	var err error
	if len(fe) > 0 {
		in := f.Input
		in.Normalize()
		err = mergeErrors(fe, in.Validate()).Err()
	} else {
		created, err = h.db.CreateSecurityAudit(ctx, isms.ActorFrom(ctx), f.Input)
	}
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		f.Errors = errs
		h.renderSecurityAuditForm(w, r, http.StatusUnprocessableEntity, f, err)
	}) {
		return
	}
	h.done(w, r, "security_audit.saved", securityAuditPath(created.ID))
}

func (h *handler) securityAuditEdit(w http.ResponseWriter, r *http.Request) {
	a, ok := pathRecord(h, w, r, h.db.FindSecurityAudit)
	if !ok {
		return
	}
	if !isms.AuditManager(isms.ActorFrom(r.Context())) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "not the audit manager"))
		return
	}
	f := web.SecurityAuditForm{ID: a.ID, Dates: map[string]string{}, Input: isms.SecurityAuditInput{
		FiscalYear: a.FiscalYear, Kind: a.Kind, Title: a.Title, ContractorName: a.ContractorName, AuditorFirm: a.AuditorFirm,
		Objective: a.Objective, PlannedStart: &a.PlannedStart, PlannedEnd: &a.PlannedEnd, ActualStart: a.ActualStart,
		ActualEnd: a.ActualEnd, ReportOn: a.ReportOn, Status: a.Status, Version: a.Version}}
	for _, u := range a.Units {
		f.Input.UnitIDs = append(f.Input.UnitIDs, u.ID)
	}
	for _, p := range a.Auditors {
		if p.Lead {
			f.Input.LeadID = p.PersonID
		} else {
			f.Input.MemberIDs = append(f.Input.MemberIDs, p.PersonID)
		}
	}
	days := []*time.Time{f.Input.PlannedStart, f.Input.PlannedEnd, f.Input.ActualStart, f.Input.ActualEnd, f.Input.ReportOn}
	for i, name := range auditDateFields {
		f.Dates[name] = formDate(days[i])
	}
	h.renderSecurityAuditForm(w, r, http.StatusOK, f, nil)
}

func (h *handler) securityAuditUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f, fe := securityAuditFormFrom(r)
	f.ID = id
	var err error
	if len(fe) > 0 {
		in := f.Input
		in.Normalize()
		err = mergeErrors(fe, in.Validate()).Err()
	} else {
		_, err = h.db.UpdateSecurityAudit(ctx, isms.ActorFrom(ctx), id, f.Input)
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		f.Errors, f.Conflict = errs, conflict
		h.renderSecurityAuditForm(w, r, status, f, err)
	}) {
		return
	}
	h.done(w, r, "security_audit.saved", securityAuditPath(id))
}

// renderSecurityAudit shows an audit's page with its note form as typed.
func (h *handler) renderSecurityAudit(w http.ResponseWriter, r *http.Request, status int, id int64, v web.SecurityAuditView) {
	ctx := r.Context()
	var err error
	if v.Audit, err = h.db.FindSecurityAudit(ctx, isms.ActorFrom(ctx), id); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Severities, err = h.db.FindAuditSeverities(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Today = isms.Day(h.now())
	if v.NoteOn == "" && v.NoteErrors == nil {
		v.NoteOn = v.Today.Format(time.DateOnly)
	}
	h.render(w, r, status, web.SecurityAuditPage(v))
}

func (h *handler) securityAuditShow(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		h.renderSecurityAudit(w, r, http.StatusOK, id, web.SecurityAuditView{})
	}
}

// securityAuditNoteCreate adds an evidence note to the audit.
func (h *handler) securityAuditNoteCreate(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	fe := isms.FieldErrors{}
	var in isms.AuditNoteInput
	var onRaw string
	in.NotedOn, onRaw = postedDay(r, "noted_on", fe)
	in.Body = r.PostFormValue("body")
	err := fe.Err()
	if err == nil {
		err = h.db.AddAuditNote(ctx, isms.ActorFrom(ctx), id, in)
	}
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		h.renderSecurityAudit(w, r, http.StatusUnprocessableEntity, id, web.SecurityAuditView{NoteOn: onRaw, NoteBody: in.Body, NoteErrors: errs})
	}) {
		return
	}
	h.done(w, r, "security_audit.note.saved", securityAuditPath(id)+"#notes")
}

// securityAuditReport is the printable report of an audit for the committee: for those who read
// every audit and for the audit's auditors.
func (h *handler) securityAuditReport(w http.ResponseWriter, r *http.Request) {
	a, ok := pathRecord(h, w, r, h.db.FindSecurityAudit)
	if !ok {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	if !isms.ReadsAllAudits(actor) && !a.AuditedBy(actor) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "the report is for the committee"))
		return
	}
	severities, err := h.db.FindAuditSeverities(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.SecurityAuditReportPage(web.SecurityAuditView{Audit: a, Severities: severities, Today: isms.Day(h.now())}))
}

// renderFindingForm shows the new-finding form of an audit.
func (h *handler) renderFindingForm(w http.ResponseWriter, r *http.Request, status int, auditID int64, f web.AuditFindingForm) {
	ctx := r.Context()
	var err error
	if f.Audit, err = h.db.FindSecurityAudit(ctx, isms.ActorFrom(ctx), auditID); err != nil {
		h.fail(w, r, err)
		return
	}
	if !f.Audit.CanWriteFindings(isms.ActorFrom(ctx)) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "not an auditor of the audit"))
		return
	}
	if f.Severities, err = h.db.FindAuditSeverities(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if f.Units, err = h.db.FindUnits(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	f.Today = isms.Day(h.now())
	h.render(w, r, status, web.AuditFindingFormPage(f))
}

func (h *handler) auditFindingNew(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		h.renderFindingForm(w, r, http.StatusOK, id, web.AuditFindingForm{})
	}
}

func (h *handler) auditFindingCreate(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	in := isms.AuditFindingInput{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		Severity: r.PostFormValue("severity"), Clause: r.PostFormValue("clause"), UnitID: formInt(r, "unit_id")}
	f, err := h.db.CreateAuditFinding(ctx, isms.ActorFrom(ctx), id, in)
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		h.renderFindingForm(w, r, http.StatusUnprocessableEntity, id, web.AuditFindingForm{Input: in, Errors: errs})
	}) {
		return
	}
	h.done(w, r, "security_audit.finding.saved", auditFindingPath(f.ID))
}

// renderAuditFinding shows a finding's page with its forms as typed; the forms offered are those
// of the reader's part (see isms.AuditFinding).
func (h *handler) renderAuditFinding(w http.ResponseWriter, r *http.Request, status int, id int64, v web.AuditFindingView) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	var err error
	if v.Finding, err = h.db.FindAuditFinding(ctx, actor, id); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Severities, err = h.db.FindAuditSeverities(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Today = isms.Day(h.now())
	if v.Finding.CanAddAction(actor) {
		if v.Owners, err = h.db.FindUnitMembers(ctx, v.Finding.Unit.ID, v.Today); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if v.Finding.CanRequestChecks(actor) {
		if v.Units, err = h.db.FindUnits(ctx); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, status, web.AuditFindingPage(v))
}

func (h *handler) auditFindingShow(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		h.renderAuditFinding(w, r, http.StatusOK, id, web.AuditFindingView{})
	}
}

// auditActionCreate adds a corrective action to the finding.
func (h *handler) auditActionCreate(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	fe := isms.FieldErrors{}
	f := web.AuditActionForm{Description: r.PostFormValue("description"), OwnerID: formInt(r, "owner_id")}
	in := isms.CorrectiveActionInput{Description: f.Description, OwnerID: f.OwnerID}
	in.DueOn, f.DueOn = postedDay(r, "due_on", fe)
	err := fe.Err()
	if err == nil {
		err = h.db.AddCorrectiveAction(ctx, isms.ActorFrom(ctx), id, in)
	}
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		f.Errors = errs
		h.renderAuditFinding(w, r, http.StatusUnprocessableEntity, id, web.AuditFindingView{Action: f})
	}) {
		return
	}
	h.done(w, r, "security_audit.action.saved", auditFindingPath(id)+"#actions")
}

// auditActionStep records a step of a corrective action of the finding {id}: done (by its owner)
// or the auditor's verification (decision "verify" or "reopen").
func (h *handler) auditActionStep(w http.ResponseWriter, r *http.Request, verify bool) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	actionID, _ := strconv.ParseInt(r.PathValue("action"), 10, 64)
	version := int(formInt(r, "version"))
	step := web.AuditStepForm{ActionID: actionID, Note: r.PostFormValue("note")}
	var err error
	if verify {
		err = h.db.VerifyCorrectiveAction(ctx, actor, actionID, version, r.PostFormValue("decision") == "verify", step.Note)
	} else {
		fe := isms.FieldErrors{}
		var on *time.Time
		on, step.DoneOn = postedDay(r, "done_on", fe)
		if err = fe.Err(); err == nil {
			err = h.db.CompleteCorrectiveAction(ctx, actor, actionID, version, on, step.Note)
		}
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		step.Errors = errs
		h.renderAuditFinding(w, r, status, id, web.AuditFindingView{Step: step, Conflict: conflict})
	}) {
		return
	}
	key := "security_audit.action.done"
	if verify {
		key = "security_audit.action.verified"
	}
	h.done(w, r, key, auditFindingPath(id)+"#actions")
}

func (h *handler) auditActionDone(w http.ResponseWriter, r *http.Request) {
	h.auditActionStep(w, r, false)
}

func (h *handler) auditActionVerify(w http.ResponseWriter, r *http.Request) {
	h.auditActionStep(w, r, true)
}

// auditChecksCreate tells the units chosen to check for the finding's problem.
func (h *handler) auditChecksCreate(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	var units []int64
	for _, s := range r.PostForm["check_units"] {
		u, _ := strconv.ParseInt(s, 10, 64)
		units = append(units, u)
	}
	err := h.db.RequestAuditChecks(ctx, isms.ActorFrom(ctx), id, units)
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		h.renderAuditFinding(w, r, http.StatusUnprocessableEntity, id, web.AuditFindingView{CheckUnits: units, CheckErrors: errs})
	}) {
		return
	}
	h.done(w, r, "security_audit.check.requested", auditFindingPath(id)+"#checks")
}

// auditCheckAnswer records a unit's answer to a check of the finding {id}.
func (h *handler) auditCheckAnswer(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	checkID, _ := strconv.ParseInt(r.PathValue("check"), 10, 64)
	in := isms.AuditCheckAnswer{Note: r.PostFormValue("note"), Version: int(formInt(r, "version"))}
	switch r.PostFormValue("found") {
	case "yes":
		in.Found = new(true)
	case "no":
		in.Found = new(false)
	}
	err := h.db.AnswerAuditCheck(ctx, isms.ActorFrom(ctx), checkID, in)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		h.renderAuditFinding(w, r, status, id, web.AuditFindingView{Answer: web.AuditAnswerForm{CheckID: checkID,
			Found: r.PostFormValue("found"), Note: in.Note, Errors: errs}, Conflict: conflict})
	}) {
		return
	}
	h.done(w, r, "security_audit.check.answered", auditFindingPath(id)+"#checks")
}
