package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// The information security committee's pages (情報セキュリティ委員会): the meetings of a fiscal
// year, a meeting's page with its agenda and decisions (the minutes), the meeting form, and the
// yearly improvement plan with its measures. The security office, the CISO, auditors and the
// members read them (403 for others, by the store); the security office keeps them. A measure's
// page is also read by those who see the unit carrying it out, and its 管理者 record progress.

// requireCommitteeReader lets only those who read the committee through; others get 403.
func (h *handler) requireCommitteeReader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isms.ReadsCommittee(isms.ActorFrom(r.Context())) {
			h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "only the committee's readers"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func meetingPath(id int64) string { return "/committee/meetings/" + strconv.FormatInt(id, 10) }

// queryFiscalYear is the fiscal year ?fy= names, else the one of today.
func (h *handler) queryFiscalYear(r *http.Request) int {
	if fy, err := strconv.Atoi(r.URL.Query().Get("fy")); err == nil && fy >= 2000 && fy <= 2100 {
		return fy
	}
	return isms.FiscalYearOf(h.now())
}

func (h *handler) committeeShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	l := web.CommitteeList{FiscalYear: h.queryFiscalYear(r)}
	var err error
	if l.Meetings, err = h.db.FindMeetings(ctx, actor, l.FiscalYear); err != nil {
		h.fail(w, r, err)
		return
	}
	if l.Plan, err = h.db.FindImprovementPlan(ctx, actor, l.FiscalYear); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.CommitteePage(l))
}

// renderMeetingForm shows the meeting form with the members who may be ticked as present: the
// holders of COMMITTEE_MEMBER on the meeting's day (today while none is typed), and those
// recorded already.
func (h *handler) renderMeetingForm(w http.ResponseWriter, r *http.Request, status int, f web.MeetingForm, recorded []isms.MeetingAttendee) {
	day := isms.Day(h.now())
	if f.Input.HeldOn != nil {
		day = *f.Input.HeldOn
	}
	holders, err := h.db.FindAssignments(r.Context(), isms.AssignmentFilter{Day: day, RoleCode: isms.RoleCodeCommittee})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Members = recorded
	for _, a := range holders {
		if !slices.ContainsFunc(f.Members, func(m isms.MeetingAttendee) bool { return m.PersonID == a.PersonID }) {
			f.Members = append(f.Members, isms.MeetingAttendee{PersonID: a.PersonID, Name: a.PersonName})
		}
	}
	if f.HeldOn == "" {
		f.HeldOn = formDate(f.Input.HeldOn)
	}
	h.render(w, r, status, web.MeetingFormPage(f))
}

func (h *handler) meetingNew(w http.ResponseWriter, r *http.Request) {
	h.renderMeetingForm(w, r, http.StatusOK, web.MeetingForm{Input: isms.MeetingInput{Status: isms.MeetingPlanned}}, nil)
}

// meetingFormFrom reads the meeting form; fe holds a day that is not one.
func meetingFormFrom(r *http.Request) (isms.MeetingInput, web.MeetingForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	in := isms.MeetingInput{
		Title: r.PostFormValue("title"), Place: r.PostFormValue("place"), Status: isms.MeetingStatus(r.PostFormValue("status")),
		AttendeeIDs: postedIDs(r, "attendees"), Guests: r.PostFormValue("guests"), Minutes: r.PostFormValue("minutes"),
		Version: int(formInt(r, "version")),
	}
	var f web.MeetingForm
	in.HeldOn, f.HeldOn = postedDay(r, "held_on", fe)
	f.Input = in
	return in, f, fe
}

func (h *handler) meetingCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	in, f, fe := meetingFormFrom(r)
	var m isms.Meeting
	var err error
	if len(fe) == 0 {
		m, err = h.db.CreateMeeting(ctx, isms.ActorFrom(ctx), in)
	} else {
		in.Normalize()
		err = mergeErrors(fe, in.Validate(h.now())).Err()
	}
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		f.Errors = errs
		h.renderMeetingForm(w, r, http.StatusUnprocessableEntity, f, nil)
	}) {
		return
	}
	h.done(w, r, "committee.flash.created", meetingPath(m.ID))
}

func (h *handler) meetingEdit(w http.ResponseWriter, r *http.Request) {
	m, ok := pathRecord(h, w, r, h.db.FindMeeting)
	if !ok {
		return
	}
	heldOn := m.HeldOn
	h.renderMeetingForm(w, r, http.StatusOK, web.MeetingForm{ID: m.ID, Input: isms.MeetingInput{
		Title: m.Title, HeldOn: &heldOn, Place: m.Place, Status: m.Status, AttendeeIDs: m.AttendeeIDs,
		Guests: m.Guests, Minutes: m.Minutes, Version: m.Version,
	}}, m.Attendees)
}

func (h *handler) meetingUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	m, ok := pathRecord(h, w, r, h.db.FindMeeting)
	if !ok {
		return
	}
	in, f, fe := meetingFormFrom(r)
	f.ID = m.ID
	var err error
	if len(fe) == 0 {
		_, err = h.db.UpdateMeeting(ctx, actor, m.ID, in)
	} else {
		in.Normalize()
		err = mergeErrors(fe, in.Validate(h.now())).Err()
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		f.Errors, f.Conflict = errs, conflict
		h.renderMeetingForm(w, r, status, f, m.Attendees)
	}) {
		return
	}
	h.done(w, r, "committee.flash.updated", meetingPath(m.ID))
}

// renderMeeting shows a meeting's page with its forms as typed.
func (h *handler) renderMeeting(w http.ResponseWriter, r *http.Request, status int, id int64, v web.MeetingView) {
	ctx := r.Context()
	var err error
	if v.Meeting, err = h.db.FindMeeting(ctx, isms.ActorFrom(ctx), id); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.MeetingPage(v))
}

func (h *handler) meetingShow(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		h.renderMeeting(w, r, http.StatusOK, id, web.MeetingView{})
	}
}

// meetingSaved ends a form of a meeting's page: refused (the page again with the form as typed,
// 422, or the conflict notice, 409), failed, or saved (the flash, back to the page at anchor).
func (h *handler) meetingSaved(w http.ResponseWriter, r *http.Request, id int64, err error, flash, anchor string, show func(*web.MeetingView, isms.FieldErrors)) {
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		v := web.MeetingView{Conflict: conflict}
		if !conflict {
			show(&v, errs)
		}
		h.renderMeeting(w, r, status, id, v)
	}) {
		return
	}
	h.done(w, r, flash, meetingPath(id)+anchor)
}

// agendaFormFrom reads the agenda form: the reference is a fiscal year or a record number as the
// kind takes it; fe holds one that is not a number.
func agendaFormFrom(r *http.Request) (isms.AgendaInput, web.AgendaForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	f := web.AgendaForm{Subject: r.PostFormValue("subject"), Kind: r.PostFormValue("subject_kind"),
		Ref: strings.TrimSpace(r.PostFormValue("subject_ref")), Label: r.PostFormValue("subject_label")}
	in := isms.AgendaInput{Subject: f.Subject, SubjectKind: isms.SubjectKind(f.Kind), SubjectLabel: f.Label}
	if f.Ref != "" && (in.SubjectKind.ByYear() || in.SubjectKind.ByID()) {
		n, err := strconv.ParseInt(f.Ref, 10, 64)
		fe.Check(err == nil && n > 0, "subject_ref", "validation.number")
		if in.SubjectKind.ByYear() {
			y := int(n)
			in.SubjectYear = &y
		} else {
			in.SubjectID = &n
		}
	}
	return in, f, fe
}

func (h *handler) agendaCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	in, f, fe := agendaFormFrom(r)
	var err error
	if len(fe) == 0 {
		_, err = h.db.AddAgendaItem(ctx, isms.ActorFrom(ctx), id, in)
	} else {
		in.Normalize()
		err = mergeErrors(fe, in.Validate()).Err()
	}
	h.meetingSaved(w, r, id, err, "committee.flash.agenda_added", "#agenda-h", func(v *web.MeetingView, errs isms.FieldErrors) {
		f.Errors = errs
		v.Agenda = f
	})
}

func (h *handler) agendaDecide(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	itemID, ok := h.pathSubID(w, r, "item")
	if !ok {
		return
	}
	in := isms.DecisionInput{Outcome: isms.Outcome(r.PostFormValue("outcome")), Decision: r.PostFormValue("decision"),
		Version: int(formInt(r, "version"))}
	_, err := h.db.DecideAgendaItem(ctx, isms.ActorFrom(ctx), id, itemID, in)
	anchor := "#item-" + strconv.FormatInt(itemID, 10)
	h.meetingSaved(w, r, id, err, "committee.flash.decided", anchor, func(v *web.MeetingView, errs isms.FieldErrors) {
		v.Decision = web.AgendaDecisionForm{ItemID: itemID, Outcome: string(in.Outcome), Decision: in.Decision, Errors: errs}
	})
}

func (h *handler) agendaRemove(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	itemID, ok := h.pathSubID(w, r, "item")
	if !ok {
		return
	}
	err := h.db.RemoveAgendaItem(ctx, isms.ActorFrom(ctx), id, itemID, int(formInt(r, "version")))
	h.meetingSaved(w, r, id, err, "committee.flash.agenda_removed", "#agenda-h", func(v *web.MeetingView, errs isms.FieldErrors) {
		v.AgendaErrors = errs
	})
}

// improvementUnits are the units a measure may be given to: those open today, and the one it has.
func (h *handler) improvementUnits(ctx context.Context, keep int64) ([]isms.Unit, error) {
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		return nil, err
	}
	return openUnits(units, isms.Day(h.now()), 0, keep), nil
}

// renderImprovementPlan shows a fiscal year's plan with its forms as typed.
func (h *handler) renderImprovementPlan(w http.ResponseWriter, r *http.Request, status int, fy int, v web.ImprovementView) {
	ctx := r.Context()
	var err error
	if v.Plan, err = h.db.FindImprovementPlan(ctx, isms.ActorFrom(ctx), fy); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Units, err = h.improvementUnits(ctx, 0); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Today = isms.Day(h.now())
	h.render(w, r, status, web.ImprovementPlanPage(v))
}

func (h *handler) improvementShow(w http.ResponseWriter, r *http.Request) {
	if fy, ok := h.pathFiscalYear(w, r); ok {
		h.renderImprovementPlan(w, r, http.StatusOK, fy, web.ImprovementView{})
	}
}

// improvementSaved ends a form of a plan's page as meetingSaved does a meeting's.
func (h *handler) improvementSaved(w http.ResponseWriter, r *http.Request, fy int, err error, flash, anchor string, show func(*web.ImprovementView, isms.FieldErrors)) {
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		v := web.ImprovementView{Conflict: conflict}
		if !conflict {
			show(&v, errs)
		}
		h.renderImprovementPlan(w, r, status, fy, v)
	}) {
		return
	}
	h.done(w, r, flash, isms.ImprovementPlanPath(fy)+anchor)
}

// improvementFormFrom reads a measure's form; fe holds a day that is not one.
func improvementFormFrom(r *http.Request) (isms.ImprovementItemInput, web.ImprovementItemForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	f := web.ImprovementItemForm{Measure: r.PostFormValue("measure"), UnitID: r.PostFormValue("unit_id")}
	in := isms.ImprovementItemInput{Measure: f.Measure, UnitID: formInt(r, "unit_id"), Version: int(formInt(r, "version"))}
	in.DueOn, f.DueOn = postedDay(r, "due_on", fe)
	return in, f, fe
}

func (h *handler) improvementItemCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	fy, ok := h.pathFiscalYear(w, r)
	if !ok {
		return
	}
	in, f, fe := improvementFormFrom(r)
	var err error
	if len(fe) == 0 {
		_, err = h.db.AddImprovementItem(ctx, isms.ActorFrom(ctx), fy, in)
	} else {
		in.Normalize()
		err = mergeErrors(fe, in.Validate()).Err()
	}
	h.improvementSaved(w, r, fy, err, "improvement.flash.added", "#measures-h", func(v *web.ImprovementView, errs isms.FieldErrors) {
		f.Errors = errs
		v.Item = f
	})
}

func (h *handler) improvementApprove(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	fy, ok := h.pathFiscalYear(w, r)
	if !ok {
		return
	}
	fe := isms.FieldErrors{}
	in := isms.ApprovalInput{ApprovedBy: r.PostFormValue("approved_by"), Version: int(formInt(r, "version"))}
	var raw string
	in.ApprovedOn, raw = postedDay(r, "approved_on", fe)
	err := mergeErrors(fe, in.Validate(h.now())).Err()
	if err == nil {
		_, err = h.db.ApproveImprovementPlan(ctx, isms.ActorFrom(ctx), fy, in)
	}
	h.improvementSaved(w, r, fy, err, "improvement.flash.approved", "#approval-h", func(v *web.ImprovementView, errs isms.FieldErrors) {
		v.ApprovedOn, v.ApprovedBy, v.ApprovalErrors = raw, in.ApprovedBy, errs
	})
}

// renderImprovementItem shows a measure's page with its forms as typed (as stored when not given).
func (h *handler) renderImprovementItem(w http.ResponseWriter, r *http.Request, status int, id int64, v web.ImprovementItemView) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	var err error
	if v.Item, err = h.db.FindImprovementItem(ctx, actor, id); err != nil {
		h.fail(w, r, err)
		return
	}
	it := v.Item
	v.Today = isms.Day(h.now())
	v.CanProgress = actor.Can(isms.PermManageCommittee) || actor.Manages(it.UnitID)
	if v.Edit.Errors == nil {
		v.Edit = web.ImprovementItemForm{Measure: it.Measure, UnitID: strconv.FormatInt(it.UnitID, 10), DueOn: formDate(it.DueOn)}
	}
	if v.Progress.Errors == nil {
		v.Progress = web.ImprovementProgressForm{Status: string(it.Status), Progress: it.Progress}
	}
	if actor.Can(isms.PermManageCommittee) {
		if v.Units, err = h.improvementUnits(ctx, it.UnitID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, status, web.ImprovementItemPage(v))
}

func (h *handler) improvementItemShow(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		h.renderImprovementItem(w, r, http.StatusOK, id, web.ImprovementItemView{})
	}
}

// improvementItemSaved ends a form of a measure's page, back to where it goes on success.
func (h *handler) improvementItemSaved(w http.ResponseWriter, r *http.Request, id int64, err error, flash, to string, show func(*web.ImprovementItemView, isms.FieldErrors)) {
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		v := web.ImprovementItemView{Conflict: conflict}
		if !conflict {
			show(&v, errs)
		}
		h.renderImprovementItem(w, r, status, id, v)
	}) {
		return
	}
	h.done(w, r, flash, to)
}

func (h *handler) improvementItemUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	in, f, fe := improvementFormFrom(r)
	var err error
	if len(fe) == 0 {
		_, err = h.db.UpdateImprovementItem(ctx, isms.ActorFrom(ctx), id, in)
	} else {
		in.Normalize()
		err = mergeErrors(fe, in.Validate()).Err()
	}
	h.improvementItemSaved(w, r, id, err, "improvement.flash.updated", isms.ImprovementItemPath(id), func(v *web.ImprovementItemView, errs isms.FieldErrors) {
		f.Errors = errs
		v.Edit = f
	})
}

func (h *handler) improvementProgress(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	in := isms.ProgressInput{Status: isms.ImprovementStatus(r.PostFormValue("status")), Progress: r.PostFormValue("progress"),
		Version: int(formInt(r, "version"))}
	_, err := h.db.RecordImprovementProgress(ctx, isms.ActorFrom(ctx), id, in)
	h.improvementItemSaved(w, r, id, err, "improvement.flash.progress", isms.ImprovementItemPath(id), func(v *web.ImprovementItemView, errs isms.FieldErrors) {
		v.Progress = web.ImprovementProgressForm{Status: string(in.Status), Progress: in.Progress, Errors: errs}
	})
}

func (h *handler) improvementItemRemove(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	fy, err := h.db.RemoveImprovementItem(ctx, isms.ActorFrom(ctx), id, int(formInt(r, "version")))
	h.improvementItemSaved(w, r, id, err, "improvement.flash.removed", isms.ImprovementPlanPath(fy)+"#measures-h", func(*web.ImprovementItemView, isms.FieldErrors) {})
}
