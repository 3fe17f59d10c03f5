package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// The external (cloud) services register (外部サービス, domain.md §7.2 and §7.3) under
// /external-services: the list, the use request (利用申請), a service's page with the forms of the
// reader's part, and the edit form. Every signed-in person reaches the pages; the store shows each
// the services they may read (404 for the rest) and refuses a change to those who may not make it
// (403). Forms come back to their page: refused with what was typed (422), stale with the conflict
// notice (409).

func externalServicePath(id int64) string { return "/external-services/" + strconv.FormatInt(id, 10) }

// unitExternalServiceSize is how many services a unit's page lists.
const unitExternalServiceSize = 10

// externalServiceFilterFrom reads the list's filter from the query.
func externalServiceFilterFrom(r *http.Request) isms.ExternalServiceFilter {
	q := r.URL.Query()
	f := isms.ExternalServiceFilter{UnitID: formInt(r, "unit"), Status: isms.ExternalServiceStatus(q.Get("status")),
		Level: q.Get("level"), Attention: q.Get("attention") == "1", Before: formInt(r, "before")}
	if !f.Status.Valid() {
		f.Status = ""
	}
	if v := q.Get("ismap"); v == "yes" || v == "no" {
		f.ISMAP = v
	}
	return f
}

// editedUnits are the units, in tree order, the actor files use requests for.
func (h *handler) editedUnits(ctx context.Context) ([]isms.Unit, error) {
	units, err := h.db.FindUnits(ctx)
	actor := isms.ActorFrom(ctx)
	today := isms.Day(h.now())
	return systemUnits(units, func(u isms.Unit) bool {
		return actor.Edits(u.ID) && (u.To == nil || !u.To.Before(today))
	}), err
}

func (h *handler) externalServiceList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	l := web.ExternalServiceList{Filter: externalServiceFilterFrom(r), Today: isms.Day(h.now())}
	var err error
	if l.Services, l.Next, err = h.db.FindExternalServices(ctx, actor, l.Filter); err != nil {
		h.fail(w, r, err)
		return
	}
	if l.Scheme, err = h.db.FindActiveScheme(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if l.Levels, err = h.db.FindLevels(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l.Units = systemUnits(units, func(u isms.Unit) bool { return actor.Sees(u.ID) })
	l.MayAsk = actor.SignedIn() && slices.ContainsFunc(units, func(u isms.Unit) bool { return actor.Edits(u.ID) })
	h.render(w, r, http.StatusOK, web.ExternalServiceListPage(l))
}

// externalServiceFormFrom reads the use request or edit form; fe holds what is not a number or a day.
func externalServiceFormFrom(r *http.Request) (web.ExternalServiceForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	f := web.ExternalServiceForm{Input: isms.ExternalServiceInput{
		Name: r.PostFormValue("name"), Provider: r.PostFormValue("provider"), Purpose: r.PostFormValue("purpose"),
		UnitID: formInt(r, "unit_id"), Shared: r.PostFormValue("shared") == "1",
		ContractForm: isms.ContractForm(r.PostFormValue("contract_form")), RequestedLevel: r.PostFormValue("requested_level"),
		ISMAPRegistered: r.PostFormValue("ismap_registered") == "1", ISMAPNumber: r.PostFormValue("ismap_number"),
		DataLocation: isms.DataLocation(r.PostFormValue("data_location")), GoverningLaw: r.PostFormValue("governing_law"),
		Jurisdiction: r.PostFormValue("jurisdiction"), MFA: r.PostFormValue("mfa") == "1", AuthMethod: r.PostFormValue("auth_method"),
		UsersScope: r.PostFormValue("users_scope"), Version: int(formInt(r, "version")),
	}}
	f.AccountCount = strings.TrimSpace(r.PostFormValue("account_count"))
	if f.AccountCount != "" {
		n, err := strconv.Atoi(f.AccountCount)
		fe.Check(err == nil && n >= 0, "account_count", "external_service.error.account_count")
		f.Input.AccountCount = &n
	}
	f.Input.UseFrom, f.UseFrom = postedDay(r, "use_from", fe)
	return f, fe
}

// renderExternalServiceForm shows the use request or edit form with its choices.
func (h *handler) renderExternalServiceForm(w http.ResponseWriter, r *http.Request, status int, f web.ExternalServiceForm) {
	ctx := r.Context()
	var err error
	if f.Units, err = h.editedUnits(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if f.Scheme, err = h.db.FindActiveScheme(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if f.Levels, err = h.db.FindLevels(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.ExternalServiceFormPage(f))
}

// externalServiceNew is the use request form, for the reader's own unit first; those who keep no
// unit's records file none (403).
func (h *handler) externalServiceNew(w http.ResponseWriter, r *http.Request) {
	actor := isms.ActorFrom(r.Context())
	units, err := h.editedUnits(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(units) == 0 {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "keeps no unit's records"))
		return
	}
	in := isms.ExternalServiceInput{ContractForm: isms.ContractIndividual, DataLocation: isms.DataDomestic}
	if actor.Edits(actor.UnitID) {
		in.UnitID = actor.UnitID
	}
	h.renderExternalServiceForm(w, r, http.StatusOK, web.ExternalServiceForm{Input: in})
}

func (h *handler) externalServiceCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f, fe := externalServiceFormFrom(r)
	var created isms.ExternalService
	err := fe.Err()
	if err != nil {
		in := f.Input
		in.Normalize()
		err = mergeErrors(fe, in.Validate()).Err()
	} else {
		created, err = h.db.CreateExternalService(ctx, isms.ActorFrom(ctx), f.Input)
	}
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		f.Errors = errs
		h.renderExternalServiceForm(w, r, http.StatusUnprocessableEntity, f)
	}) {
		return
	}
	h.done(w, r, "external_service.flash.requested", externalServicePath(created.ID))
}

func (h *handler) externalServiceEdit(w http.ResponseWriter, r *http.Request) {
	s, ok := pathRecord(h, w, r, h.db.FindExternalService)
	if !ok {
		return
	}
	if !s.MayEdit(isms.ActorFrom(r.Context())) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "may not edit the service"))
		return
	}
	f := web.ExternalServiceForm{ID: s.ID, Service: s, UseFrom: formDate(s.UseFrom), Input: isms.ExternalServiceInput{
		Name: s.Name, Provider: s.Provider, Purpose: s.Purpose, UnitID: s.UnitID, Shared: s.Shared, ContractForm: s.ContractForm,
		RequestedLevel: s.RequestedLevel, ISMAPRegistered: s.ISMAPRegistered, ISMAPNumber: s.ISMAPNumber, DataLocation: s.DataLocation,
		GoverningLaw: s.GoverningLaw, Jurisdiction: s.Jurisdiction, MFA: s.MFA, AuthMethod: s.AuthMethod, UsersScope: s.UsersScope,
		AccountCount: s.AccountCount, UseFrom: s.UseFrom, Version: s.Version}}
	if s.AccountCount != nil {
		f.AccountCount = strconv.Itoa(*s.AccountCount)
	}
	h.renderExternalServiceForm(w, r, http.StatusOK, f)
}

func (h *handler) externalServiceUpdate(w http.ResponseWriter, r *http.Request) {
	s, ok := pathRecord(h, w, r, h.db.FindExternalService)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f, fe := externalServiceFormFrom(r)
	f.ID, f.Service = s.ID, s
	err := fe.Err()
	if err == nil {
		_, err = h.db.UpdateExternalService(ctx, isms.ActorFrom(ctx), s.ID, f.Input)
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		f.Errors, f.Conflict = errs, conflict
		h.renderExternalServiceForm(w, r, status, f)
	}) {
		return
	}
	h.done(w, r, "external_service.flash.saved", externalServicePath(s.ID))
}

// renderExternalService shows a service's page with the forms as typed (v's forms).
func (h *handler) renderExternalService(w http.ResponseWriter, r *http.Request, status int, id int64, v web.ExternalServiceView) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	var err error
	if v.Service, err = h.db.FindExternalService(ctx, actor, id); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Scheme, err = h.db.FindActiveScheme(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Levels, err = h.db.FindLevels(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Today = isms.Day(h.now())
	if v.Service.MayDecide(actor) {
		if v.Members, err = h.db.FindUnitMembers(ctx, v.Service.UnitID, v.Today); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if v.Review.ReviewedOn == "" && v.Review.Errors == nil {
		v.Review.ReviewedOn = formDate(&v.Today)
	}
	if v.Assets, err = h.outsourcedAssetsSection(ctx, isms.OutsourcedTo{Kind: isms.OutsourceExternalService, ID: id}); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.ExternalServicePage(v))
}

func (h *handler) externalServiceShow(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		h.renderExternalService(w, r, http.StatusOK, id, web.ExternalServiceView{})
	}
}

// externalServiceStep is the shape of every form of a service's page: read the form (fe for what
// is not a day), save it, and either come back to the page with the form as typed (422 / 409) or
// go on with the flash that save names.
func (h *handler) externalServiceStep(w http.ResponseWriter, r *http.Request,
	save func(ctx context.Context, actor isms.Actor, id int64, fe isms.FieldErrors) (flash string, err error),
	show func(v *web.ExternalServiceView, errs isms.FieldErrors)) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	fe := isms.FieldErrors{}
	flash, err := save(ctx, isms.ActorFrom(ctx), id, fe)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		v := web.ExternalServiceView{Conflict: conflict}
		show(&v, errs)
		h.renderExternalService(w, r, status, id, v)
	}) {
		return
	}
	h.done(w, r, flash, externalServicePath(id))
}

// extFormErr is the outcome of a form: its own field errors (what is not a day) first, else what
// the store says, with the flash of a save.
func extFormErr(fe isms.FieldErrors, flash string, store func() error) (string, error) {
	if err := fe.Err(); err != nil {
		return "", err
	}
	return flash, store()
}

// externalServiceDecide records the 管理者's decision: "approve" with the level and the
// 外部サービス管理者, or "reject" with the reason.
func (h *handler) externalServiceDecide(w http.ResponseWriter, r *http.Request) {
	var f web.ExtDecisionForm
	h.externalServiceStep(w, r, func(ctx context.Context, actor isms.Actor, id int64, fe isms.FieldErrors) (string, error) {
		f = web.ExtDecisionForm{Level: r.PostFormValue("level"), AdminPersonID: r.PostFormValue("admin_person_id"),
			ApprovalNumber: r.PostFormValue("approval_number"), Note: r.PostFormValue("note")}
		d := isms.ExternalServiceDecisionInput{Approve: r.PostFormValue("decision") == "approve", Level: f.Level,
			AdminPersonID: formInt(r, "admin_person_id"), ApprovalNumber: f.ApprovalNumber, Note: f.Note, Version: int(formInt(r, "version"))}
		d.ReviewDue, f.ReviewDue = postedDay(r, "review_due", fe)
		flash := "external_service.flash.rejected"
		if d.Approve {
			flash = "external_service.flash.approved"
		}
		return extFormErr(fe, flash, func() error { _, err := h.db.DecideExternalService(ctx, actor, id, d); return err })
	}, func(v *web.ExternalServiceView, errs isms.FieldErrors) { f.Errors = errs; v.Decision = f })
}

// externalServiceLevel is the request for a higher level (raise) or the 管理者's lowering.
func (h *handler) externalServiceLevel(w http.ResponseWriter, r *http.Request, raise bool) {
	field, flash, store := "lower_level", "external_service.flash.lowered", h.db.LowerExternalServiceLevel
	if raise {
		field, flash, store = "raise_level", "external_service.flash.raise_requested", h.db.RequestExternalServiceLevel
	}
	var f web.ExtLevelForm
	h.externalServiceStep(w, r, func(ctx context.Context, actor isms.Actor, id int64, _ isms.FieldErrors) (string, error) {
		f = web.ExtLevelForm{Level: r.PostFormValue(field), Reason: r.PostFormValue("reason")}
		_, err := store(ctx, actor, id, isms.ExternalServiceLevelInput{Level: f.Level, Reason: f.Reason, Version: int(formInt(r, "version"))})
		return flash, err
	}, func(v *web.ExternalServiceView, errs isms.FieldErrors) {
		f.Errors = errs
		if raise {
			v.Raise = f
		} else {
			v.Lower = f
		}
	})
}

func (h *handler) externalServiceRaise(w http.ResponseWriter, r *http.Request) {
	h.externalServiceLevel(w, r, true)
}

func (h *handler) externalServiceLower(w http.ResponseWriter, r *http.Request) {
	h.externalServiceLevel(w, r, false)
}

// externalServiceReview records a review (見直し).
func (h *handler) externalServiceReview(w http.ResponseWriter, r *http.Request) {
	var f web.ExtReviewForm
	h.externalServiceStep(w, r, func(ctx context.Context, actor isms.Actor, id int64, fe isms.FieldErrors) (string, error) {
		f = web.ExtReviewForm{Result: r.PostFormValue("result"), Note: r.PostFormValue("note")}
		in := isms.ExternalServiceReviewInput{Result: isms.ReviewResult(f.Result), Note: f.Note, Version: int(formInt(r, "version"))}
		in.ReviewedOn, f.ReviewedOn = postedDay(r, "reviewed_on", fe)
		in.NextDue, f.NextDue = postedDay(r, "next_due", fe)
		return extFormErr(fe, "external_service.flash.reviewed", func() error { _, err := h.db.ReviewExternalService(ctx, actor, id, in); return err })
	}, func(v *web.ExternalServiceView, errs isms.FieldErrors) { f.Errors = errs; v.Review = f })
}

// externalServiceEnd records the end of use, or the deletion of the data after it.
func (h *handler) externalServiceEnd(w http.ResponseWriter, r *http.Request) {
	var f web.ExtEndForm
	h.externalServiceStep(w, r, func(ctx context.Context, actor isms.Actor, id int64, fe isms.FieldErrors) (string, error) {
		f = web.ExtEndForm{DeletionMethod: r.PostFormValue("deletion_method")}
		in := isms.ExternalServiceEndInput{DeletionMethod: f.DeletionMethod, Version: int(formInt(r, "version"))}
		in.UseTo, f.UseTo = postedDay(r, "use_to", fe)
		in.DeletedOn, f.DeletedOn = postedDay(r, "deleted_on", fe)
		return extFormErr(fe, "external_service.flash.ended", func() error { _, err := h.db.EndExternalService(ctx, actor, id, in); return err })
	}, func(v *web.ExternalServiceView, errs isms.FieldErrors) { f.Errors = errs; v.End = f })
}

// unitExternalServicesSection is the unit page's section of its external services: the newest
// the reader may read.
func (h *handler) unitExternalServicesSection(ctx context.Context, u isms.Unit) (templ.Component, error) {
	list, next, err := h.db.FindExternalServices(ctx, isms.ActorFrom(ctx), isms.ExternalServiceFilter{UnitID: u.ID, Limit: unitExternalServiceSize})
	if err != nil {
		return nil, err
	}
	levels, err := h.db.FindLevels(ctx)
	if err != nil {
		return nil, err
	}
	return web.UnitExternalServicesSection(u.ID, list, levels, next != 0, isms.Day(h.now())), nil
}
