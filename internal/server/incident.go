package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// The incident pages (情報セキュリティインシデント, domain.md §4): the intake any signed-in person
// uses, the list with the 窓口's queue, an incident's page with its timeline, actions and reports,
// and the handlers' triage, moves and assignment.
//
// Need to know is the store's, in SQL: an incident the reader may not see is 404, as a missing
// one; handling by someone who sees the incident but does not handle it is 403. The forms of an
// incident's page post to their own addresses and come back to the page; a refused form shows the
// page again (422) with what was typed, a stale one with the conflict notice (409).

const (
	incidentPageSize = 50 // incidents per page of the list
	unitIncidentSize = 10 // open incidents on a unit's page

	// sessIncidentCreated is the session key of the id of the report just made. Its page thanks the
	// reporter with the reference number, which the session's flash (a bare catalogue key, shown
	// by whatever page comes next) cannot carry.
	sessIncidentCreated = "incident_created"
)

func incidentPath(id int64) string { return "/incidents/" + strconv.FormatInt(id, 10) }

// formMoment is a moment as a datetime-local field holds it, in Japan time ("" for none).
func formMoment(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(japan).Format("2006-01-02T15:04")
}

// countIncidentQueue puts the number of reports waiting in 受付 into the context of a handler's
// pages, for the menu. A failed count only leaves the number out.
func (h *handler) countIncidentQueue(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := isms.ActorFrom(ctx)
		if isms.IncidentHandler(actor) {
			if n, err := h.db.CountIncidentQueue(ctx, actor); err == nil {
				r = r.WithContext(web.WithIncidentQueue(ctx, n))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// incidentNew is the intake form: noticed now, by the person typing, unsure about personal data.
func (h *handler) incidentNew(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	h.render(w, r, http.StatusOK, web.IncidentNewPage(web.IncidentForm{
		Input:   isms.IncidentInput{Channel: isms.ChannelPortal, PersonalInfo: isms.PersonalInfoUnknown},
		AwareAt: formMoment(&now),
	}))
}

// incidentFormFrom reads the intake form; fe holds the times that are not times.
func incidentFormFrom(r *http.Request) (isms.IncidentInput, web.IncidentForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	in := isms.IncidentInput{
		Title:            r.PostFormValue("title"),
		Description:      r.PostFormValue("description"),
		Place:            r.PostFormValue("place"),
		AffectedNote:     r.PostFormValue("affected_note"),
		PersonalInfo:     isms.PersonalInfo(r.PostFormValue("personal_info")),
		FirstAction:      r.PostFormValue("first_action"),
		Channel:          isms.IncidentChannel(r.PostFormValue("channel")),
		ExternalReporter: r.PostFormValue("external_reporter"),
	}
	var f web.IncidentForm
	in.OccurredAt, f.OccurredAt = postedMoment(r, "occurred_at", fe)
	in.AwareAt, f.AwareAt = postedMoment(r, "aware_at", fe)
	f.Input = in
	return in, f, fe
}

func (h *handler) incidentCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	in, f, fe := incidentFormFrom(r)
	var created isms.Incident
	var err error
	if len(fe) == 0 {
		created, err = h.db.CreateIncident(ctx, isms.ActorFrom(ctx), in)
	} else {
		in.Normalize()
		err = mergeErrors(fe, in.Validate(h.now())).Err()
	}
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		f.Errors = errs
		h.render(w, r, http.StatusUnprocessableEntity, web.IncidentNewPage(f))
	}) {
		return
	}
	h.sessions.Put(ctx, sessIncidentCreated, created.ID)
	http.Redirect(w, r, incidentPath(created.ID), http.StatusSeeOther)
}

// incidentFilterFrom reads the list's filter from the query. Values that are not choices do not
// narrow; status "open" is every status still handled.
func (h *handler) incidentFilterFrom(r *http.Request) isms.IncidentFilter {
	q := r.URL.Query()
	f := isms.IncidentFilter{
		Status:   isms.IncidentStatus(q.Get("status")),
		Category: q.Get("category"),
		UnitID:   formInt(r, "unit"),
		PPC:      q.Get("ppc") != "",
		Overdue:  q.Get("overdue") != "",
		Mine:     q.Get("mine") != "",
		Query:    strings.TrimSpace(q.Get("q")),
		Day:      isms.Day(h.now()),
		Before:   formInt(r, "before"),
		Limit:    incidentPageSize,
	}
	if f.Status == "open" {
		f.Open = true
	}
	if !f.Status.Valid() {
		f.Status = ""
	}
	if n, err := strconv.Atoi(q.Get("severity")); err == nil && slices.Contains(isms.Severities, n) {
		f.Severity = &n
	}
	return f
}

func (h *handler) incidentList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	l := web.IncidentList{Filter: h.incidentFilterFrom(r), Today: isms.Day(h.now())}
	var err error
	if l.Incidents, l.Next, err = h.db.FindIncidents(ctx, actor, l.Filter); err != nil {
		h.fail(w, r, err)
		return
	}
	if l.Categories, err = h.db.FindIncidentCategories(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The unit filter offers the units whose incidents the reader may find: every unit for those
	// who see every incident, else the units they see.
	all := isms.SeesAllIncidents(actor)
	l.Units = systemUnits(units, func(u isms.Unit) bool { return all || actor.Sees(u.ID) })
	h.render(w, r, http.StatusOK, web.IncidentListPage(l))
}

// renderIncident shows an incident's page with the forms as typed.
func (h *handler) renderIncident(w http.ResponseWriter, r *http.Request, status int, id int64, v web.IncidentView) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	var err error
	if v.Incident, err = h.db.FindIncident(ctx, actor, id); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Rules, err = h.db.FindIncidentRules(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Categories, err = h.db.FindIncidentCategories(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.now()
	v.Today = isms.Day(now)
	if v.Event.At == "" {
		v.Event.At = formMoment(&now)
	}
	if isms.IncidentHandler(actor) {
		if v.Handlers, err = h.db.FindIncidentHandlers(ctx, actor); err != nil {
			h.fail(w, r, err)
			return
		}
		if v.Owners, err = h.incidentOwners(ctx, v.Incident, v.Today); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, status, web.IncidentPage(v))
}

// incidentOwners are who may own an action: the people of the units the incident concerns.
func (h *handler) incidentOwners(ctx context.Context, i isms.Incident, day time.Time) ([]isms.UnitMember, error) {
	var owners []isms.UnitMember
	for _, u := range i.Units {
		members, err := h.db.FindUnitMembers(ctx, u.ID, day)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			if !slices.ContainsFunc(owners, func(o isms.UnitMember) bool { return o.PersonID == m.PersonID }) {
				owners = append(owners, m)
			}
		}
	}
	return owners, nil
}

func (h *handler) incidentShow(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		ctx := r.Context()
		created := h.sessions.GetInt64(ctx, sessIncidentCreated) == id
		if created {
			h.sessions.Remove(ctx, sessIncidentCreated)
		}
		h.renderIncident(w, r, http.StatusOK, id, web.IncidentView{Created: created})
	}
}

// incidentSaved ends a form of an incident's page: refused (the page again with the form as
// typed, 422, or the conflict notice, 409), failed, or saved (the flash and back to the page,
// at the form's part of it).
func (h *handler) incidentSaved(w http.ResponseWriter, r *http.Request, id int64, err error, flash, anchor string, show func(*web.IncidentView, isms.FieldErrors)) {
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		v := web.IncidentView{Conflict: conflict}
		if !conflict {
			show(&v, errs)
		}
		h.renderIncident(w, r, status, id, v)
	}) {
		return
	}
	h.done(w, r, flash, incidentPath(id)+anchor)
}

// prefixed names the fields of errs as a form of an incident's page names them: several forms
// share the page, so each form's fields carry its prefix (the store's errors do not, the
// handler's own checks of the posted fields do already).
func prefixed(prefix string, errs isms.FieldErrors) isms.FieldErrors {
	out := isms.FieldErrors{}
	for field, key := range errs {
		if !strings.HasPrefix(field, prefix) {
			field = prefix + field
		}
		out[field] = key
	}
	return out
}

func (h *handler) incidentEventCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	f := web.IncidentEventForm{Kind: r.PostFormValue("event_kind"), Body: r.PostFormValue("event_body")}
	fe := isms.FieldErrors{}
	in := isms.IncidentEventInput{Kind: isms.IncidentEventKind(f.Kind), Body: f.Body}
	var at *time.Time
	at, f.At = postedMoment(r, "event_at", fe)
	if at != nil {
		in.At = *at
	}
	var err error
	if len(fe) == 0 {
		err = h.db.AddIncidentEvent(ctx, isms.ActorFrom(ctx), id, in)
	} else {
		in.Normalize()
		err = mergeErrors(fe, in.Validate(h.now())).Err()
	}
	h.incidentSaved(w, r, id, err, "incident.flash.event", "#timeline-h", func(v *web.IncidentView, errs isms.FieldErrors) {
		f.Errors = prefixed("event_", errs)
		v.Event = f
	})
}

func (h *handler) incidentActionCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	f := web.IncidentActionForm{Kind: r.PostFormValue("action_kind"), Description: r.PostFormValue("action_description"),
		OwnerID: r.PostFormValue("action_owner")}
	fe := isms.FieldErrors{}
	in := isms.IncidentActionInput{Kind: isms.IncidentActionKind(f.Kind), Description: f.Description, OwnerID: formInt(r, "action_owner")}
	in.DueOn, f.DueOn = postedDay(r, "action_due_on", fe)
	var err error
	if len(fe) == 0 {
		err = h.db.AddIncidentAction(ctx, isms.ActorFrom(ctx), id, in)
	} else {
		in.Normalize()
		err = mergeErrors(fe, in.Validate()).Err()
	}
	h.incidentSaved(w, r, id, err, "incident.flash.action", "#actions-h", func(v *web.IncidentView, errs isms.FieldErrors) {
		f.Errors = prefixed("action_", errs)
		v.Action = f
	})
}

// doneDay reads the day an action or report was done: required here, as the button records it.
func doneDay(r *http.Request, fe isms.FieldErrors) (*time.Time, string) {
	day, raw := postedDay(r, "done_on", fe)
	fe.Check(raw != "", "done_on", "validation.required")
	return day, raw
}

// pathSubID is the path's second id ({sub}): the action or report of the incident.
func (h *handler) pathSubID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, isms.Errorf(isms.ENOTFOUND, "no such %s", name))
		return 0, false
	}
	return id, true
}

func (h *handler) incidentActionDone(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	actionID, ok := h.pathSubID(w, r, "action")
	if !ok {
		return
	}
	fe := isms.FieldErrors{}
	f := web.IncidentDoneForm{ActionID: actionID}
	var day *time.Time
	day, f.DoneOn = doneDay(r, fe)
	err := fe.Err()
	if err == nil {
		err = h.db.CompleteIncidentAction(ctx, isms.ActorFrom(ctx), id, actionID, int(formInt(r, "version")), day)
	}
	h.incidentSaved(w, r, id, err, "incident.flash.action_done", "#actions-h", func(v *web.IncidentView, errs isms.FieldErrors) {
		f.Errors = errs
		v.Done = f
	})
}

func (h *handler) incidentReportCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	f := web.IncidentReportForm{Recipient: r.PostFormValue("report_recipient"), Note: r.PostFormValue("report_note")}
	fe := isms.FieldErrors{}
	in := isms.IncidentReportInput{Recipient: isms.ReportRecipient(f.Recipient), Note: f.Note}
	in.DueOn, f.DueOn = postedDay(r, "report_due_on", fe)
	var err error
	if len(fe) == 0 {
		err = h.db.AddIncidentReport(ctx, isms.ActorFrom(ctx), id, in)
	} else {
		in.Normalize()
		err = mergeErrors(fe, in.Validate()).Err()
	}
	h.incidentSaved(w, r, id, err, "incident.flash.report", "#reports-h", func(v *web.IncidentView, errs isms.FieldErrors) {
		f.Errors = prefixed("report_", errs)
		v.Report = f
	})
}

// incidentReportUpdate records the day a report was made, with its note. The recipient and the
// due day stay as they are (the store saves the due day it is given for the reports people add).
func (h *handler) incidentReportUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	reportID, ok := h.pathSubID(w, r, "report")
	if !ok {
		return
	}
	actor := isms.ActorFrom(ctx)
	i, err := h.db.FindIncident(ctx, actor, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	idx := slices.IndexFunc(i.Reports, func(rep isms.IncidentReport) bool { return rep.ID == reportID })
	if idx < 0 {
		h.fail(w, r, isms.Errorf(isms.ENOTFOUND, "no such report"))
		return
	}
	fe := isms.FieldErrors{}
	f := web.IncidentDoneForm{ReportID: reportID, Note: r.PostFormValue("note")}
	in := isms.IncidentReportInput{Recipient: i.Reports[idx].Recipient, DueOn: i.Reports[idx].DueOn, Note: f.Note}
	in.DoneOn, f.DoneOn = doneDay(r, fe)
	if err = fe.Err(); err == nil {
		err = h.db.UpdateIncidentReport(ctx, actor, id, reportID, int(formInt(r, "version")), in)
	}
	h.incidentSaved(w, r, id, err, "incident.flash.report_done", "#reports-h", func(v *web.IncidentView, errs isms.FieldErrors) {
		f.Errors = errs
		v.Done = f
	})
}

func (h *handler) incidentMove(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	note := r.PostFormValue("move_note")
	to := isms.IncidentStatus(r.PostFormValue("to"))
	_, err := h.db.MoveIncident(ctx, isms.ActorFrom(ctx), id, int(formInt(r, "version")), to, strings.TrimSpace(note))
	h.incidentSaved(w, r, id, err, "incident.flash.moved", "", func(v *web.IncidentView, errs isms.FieldErrors) {
		v.Move = web.IncidentMoveForm{Note: note, Errors: errs}
	})
}

func (h *handler) incidentAssign(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	_, err := h.db.AssignIncident(ctx, isms.ActorFrom(ctx), id, int(formInt(r, "version")), formInt(r, "assignee"))
	h.incidentSaved(w, r, id, err, "incident.flash.assigned", "#workflow-h", func(v *web.IncidentView, errs isms.FieldErrors) {
		v.Assign = isms.FieldErrors{}
		for _, key := range errs {
			v.Assign.Check(false, "assignee", key)
		}
	})
}

// triageIncident is the incident of the path for a handler; when there is none it has answered
// already (404 outside the reader's incidents, 403 for those who see it but do not handle it).
func (h *handler) triageIncident(w http.ResponseWriter, r *http.Request) (isms.Incident, bool) {
	i, ok := pathRecord(h, w, r, h.db.FindIncident)
	if !ok {
		return i, false
	}
	if !isms.IncidentHandler(isms.ActorFrom(r.Context())) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "only the incident handlers triage"))
		return i, false
	}
	return i, true
}

// triageFormOf is the triage form filled from the incident as it stands.
func triageFormOf(i isms.Incident) web.IncidentTriageForm {
	in := isms.IncidentTriage{
		IsIncident: i.IsIncident, Severity: i.Severity, Category: i.Category, Zone: i.Zone, Impact: i.Impact,
		AwareAt: &i.AwareAt, OccurredAt: i.OccurredAt, PersonalInfo: i.PersonalInfo, PIItems: i.PIItems,
		PISubjects: i.PISubjects, PISensitive: i.PISensitive, PIOrdinance: i.PIOrdinance, PIMyNumber: i.PIMyNumber,
		WrongfulIntent: i.WrongfulIntent, FinancialHarm: i.FinancialHarm, SecondaryHarm: i.SecondaryHarm,
		SubjectResponse: i.SubjectResponse, Publication: i.Publication, RootCause: i.RootCause, OtherNotes: i.OtherNotes,
		RecoveredAt: i.RecoveredAt, Version: i.Version,
	}
	var numbers []string
	for _, u := range i.Units {
		in.UnitIDs = append(in.UnitIDs, u.ID)
	}
	for _, a := range i.Assets {
		in.AssetIDs = append(in.AssetIDs, a.ID)
		numbers = append(numbers, a.Code)
	}
	for _, s := range i.Systems {
		in.SystemIDs = append(in.SystemIDs, s.ID)
	}
	f := web.IncidentTriageForm{Incident: i, Input: in, AwareAt: formMoment(in.AwareAt), OccurredAt: formMoment(in.OccurredAt),
		RecoveredAt: formMoment(in.RecoveredAt), Assets: strings.Join(numbers, ", ")}
	switch {
	case i.IsIncident == nil:
	case *i.IsIncident:
		f.IsIncident = "yes"
	default:
		f.IsIncident = "no"
	}
	if i.Severity != nil {
		f.Severity = strconv.Itoa(*i.Severity)
	}
	if i.PISubjects != nil {
		f.PISubjects = strconv.Itoa(*i.PISubjects)
	}
	return f
}

// renderTriage shows the triage form with its choices: the active categories, the open units
// and the systems the handler sees, each with what the incident is linked to already.
func (h *handler) renderTriage(w http.ResponseWriter, r *http.Request, status int, f web.IncidentTriageForm) {
	ctx := r.Context()
	var err error
	if f.Categories, err = h.db.FindIncidentCategories(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	day := isms.Day(h.now())
	f.Units = systemUnits(units, func(u isms.Unit) bool {
		return u.Contains(day) || slices.ContainsFunc(f.Incident.Units, func(l isms.IncidentLink) bool { return l.ID == u.ID })
	})
	if f.Systems, err = h.db.FindSystemOptions(ctx, isms.ActorFrom(ctx)); err != nil {
		h.fail(w, r, err)
		return
	}
	for _, s := range f.Incident.Systems {
		if !slices.ContainsFunc(f.Systems, func(x isms.System) bool { return x.ID == s.ID }) {
			f.Systems = append(f.Systems, isms.System{ID: s.ID, Code: s.Code, Name: s.Name})
		}
	}
	h.render(w, r, status, web.IncidentTriagePage(f))
}

func (h *handler) incidentTriageShow(w http.ResponseWriter, r *http.Request) {
	if i, ok := h.triageIncident(w, r); ok {
		h.renderTriage(w, r, http.StatusOK, triageFormOf(i))
	}
}

// postedIDs reads the ids a group of checkboxes sent.
func postedIDs(r *http.Request, name string) []int64 {
	var ids []int64
	for _, v := range r.PostForm[name] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// triageAssets resolves the asset numbers typed, separated by commas (or the Japanese 、 and
// spaces): those linked already by their link, the others as the handler may find them. A
// number that finds nothing is an error against the field.
func (h *handler) triageAssets(ctx context.Context, i isms.Incident, raw string, fe isms.FieldErrors) ([]int64, error) {
	var ids []int64
	for _, number := range strings.FieldsFunc(raw, func(c rune) bool { return c == ',' || c == '、' || c == '，' || c == ' ' || c == '\u3000' }) {
		id := int64(0)
		for _, l := range i.Assets {
			if l.Code == number {
				id = l.ID
			}
		}
		if id == 0 {
			a, err := h.db.FindAssetByNumber(ctx, isms.ActorFrom(ctx), number)
			if isms.ErrorCode(err) == isms.ENOTFOUND {
				fe.Check(false, "assets", "incident.triage.asset_unknown")
				continue
			}
			if err != nil {
				return nil, err
			}
			id = a.ID
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// triageFrom reads the triage form; fe holds the values that are not what their fields take.
func (h *handler) triageFrom(r *http.Request, i isms.Incident) (isms.IncidentTriage, web.IncidentTriageForm, isms.FieldErrors, error) {
	fe := isms.FieldErrors{}
	form := func(name string) string { return r.PostFormValue(name) }
	checked := func(name string) bool { return form(name) != "" }
	in := isms.IncidentTriage{
		Category: form("category"), Zone: isms.Zone(form("zone")), Impact: form("impact"),
		UnitIDs: postedIDs(r, "unit"), SystemIDs: postedIDs(r, "system"),
		PersonalInfo: isms.PersonalInfo(form("personal_info")), PIItems: form("pi_items"),
		PISensitive: checked("pi_sensitive"), PIOrdinance: checked("pi_ordinance"), PIMyNumber: checked("pi_my_number"),
		WrongfulIntent: checked("wrongful_intent"), FinancialHarm: checked("financial_harm"),
		SecondaryHarm: form("secondary_harm"), SubjectResponse: form("subject_response"), Publication: form("publication"),
		RootCause: form("root_cause"), OtherNotes: form("other_notes"), Version: int(formInt(r, "version")),
	}
	f := web.IncidentTriageForm{Incident: i, IsIncident: form("is_incident"), Severity: form("severity"),
		PISubjects: strings.TrimSpace(form("pi_subjects")), Assets: form("assets")}
	switch f.IsIncident {
	case "yes", "no":
		b := f.IsIncident == "yes"
		in.IsIncident = &b
	case "":
	default:
		fe.Check(false, "is_incident", "validation.choose")
	}
	if f.Severity != "" {
		n, err := strconv.Atoi(f.Severity)
		fe.Check(err == nil, "severity", "validation.choose")
		in.Severity = &n
	}
	if f.PISubjects != "" {
		n, err := strconv.Atoi(f.PISubjects)
		fe.Check(err == nil && n >= 0, "pi_subjects", "validation.number")
		in.PISubjects = &n
	}
	in.AwareAt, f.AwareAt = postedMoment(r, "aware_at", fe)
	in.OccurredAt, f.OccurredAt = postedMoment(r, "occurred_at", fe)
	in.RecoveredAt, f.RecoveredAt = postedMoment(r, "recovered_at", fe)
	var err error
	in.AssetIDs, err = h.triageAssets(r.Context(), i, f.Assets, fe)
	f.Input = in
	return in, f, fe, err
}

func (h *handler) incidentTriage(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	i, ok := h.triageIncident(w, r)
	if !ok {
		return
	}
	in, f, fe, err := h.triageFrom(r, i)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(fe) == 0 {
		_, err = h.db.TriageIncident(ctx, isms.ActorFrom(ctx), i.ID, in)
	} else {
		// A value that is not one: show it with the form's other problems.
		var cats []isms.IncidentCategory
		if cats, err = h.db.FindIncidentCategories(ctx); err == nil {
			in.Normalize()
			err = mergeErrors(fe, in.Validate(h.now(), activeCategories(cats))).Err()
		}
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		if conflict {
			// The form again from the incident as it stands now, saying someone saved first.
			if i, err = h.db.FindIncident(ctx, isms.ActorFrom(ctx), i.ID); err != nil {
				h.fail(w, r, err)
				return
			}
			f = triageFormOf(i)
			f.Conflict = true
		}
		f.Errors = errs
		h.renderTriage(w, r, status, f)
	}) {
		return
	}
	h.done(w, r, "incident.flash.triaged", incidentPath(i.ID))
}

// activeCategories are the codes a triage may choose.
func activeCategories(cats []isms.IncidentCategory) []string {
	var codes []string
	for _, c := range cats {
		if c.Active {
			codes = append(codes, c.Code)
		}
	}
	return codes
}

// unitIncidentsSection is the open incidents part of a unit's page: the first few the reader may
// see, newest first.
func (h *handler) unitIncidentsSection(ctx context.Context, u isms.Unit) (templ.Component, error) {
	list, next, err := h.db.FindIncidents(ctx, isms.ActorFrom(ctx), isms.IncidentFilter{
		UnitID: u.ID, Open: true, Day: isms.Day(h.now()), Limit: unitIncidentSize})
	if err != nil {
		return nil, err
	}
	return web.UnitIncidentsSection(u.ID, list, next != 0), nil
}
