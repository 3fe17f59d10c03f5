package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// The system register (情報システム台帳): the list and each system's page for whoever sees the
// owning unit, the forms with which staff and the security office keep it, and the CISO's
// permission of a 例外措置 for a rule a system breaks.

// systemHistoryLength is how many of a system's audit events its page shows.
const systemHistoryLength = 20

func systemPath(id int64) string { return "/systems/" + strconv.FormatInt(id, 10) }

// requireSystemEditor lets through only those who keep the register of some unit; the CISO and
// auditors, who read it, get 403.
func (h *handler) requireSystemEditor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isms.SystemEditor(isms.ActorFrom(r.Context())) {
			h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "does not keep the system register"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (h *handler) systemList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	q := r.URL.Query()
	f := isms.SystemFilter{
		Query:   strings.TrimSpace(q.Get("q")),
		UnitID:  formInt(r, "unit"),
		Zone:    isms.Zone(q.Get("zone")),
		Flagged: q.Get("flagged") != "",
		After:   q.Get("after"),
	}
	if !f.Zone.Valid() {
		f.Zone = ""
	}
	systems, total, next, err := h.db.FindSystems(ctx, actor, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.SystemListPage(web.SystemList{
		Filter: f, Systems: systems, Total: total, Next: next, Today: isms.Day(h.now()),
		Units: systemUnits(units, func(u isms.Unit) bool { return actor.Sees(u.ID) }),
	}))
}

// systemUnits are the units, in tree order, that keep passes.
func systemUnits(units []isms.Unit, keep func(isms.Unit) bool) []isms.Unit {
	var out []isms.Unit
	for _, u := range units {
		if keep(u) {
			out = append(out, u)
		}
	}
	return out
}

// pathSystem is the system named by the path's {id}, within the reader's scope; when there is
// none it has answered already (404, the same for a system outside the scope).
func (h *handler) pathSystem(w http.ResponseWriter, r *http.Request) (isms.System, bool) {
	return pathRecord(h, w, r, h.db.FindSystem)
}

func (h *handler) systemShow(w http.ResponseWriter, r *http.Request) {
	s, ok := h.pathSystem(w, r)
	if !ok {
		return
	}
	h.renderSystem(w, r, http.StatusOK, s, web.SystemExceptionForm{})
}

// renderSystem shows a system's page; a refused 例外措置 shows it again with the form as typed.
// The findings are the rules the system breaks today, with today's exceptions.
func (h *handler) renderSystem(w http.ResponseWriter, r *http.Request, status int, s isms.System, exc web.SystemExceptionForm) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	today := isms.Day(h.now())
	v := web.SystemView{System: s, Today: today, Exception: exc}
	if exc.ValidTo == "" && exc.Errors == nil {
		v.Exception.ValidTo = isms.ReviewDueDefault(today).Format(time.DateOnly)
	}
	var err error
	if v.Assets, v.HiddenAssets, err = h.db.FindSystemAssets(ctx, actor, s.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Exceptions, err = h.db.FindRuleExceptions(ctx, actor, 0, s.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	current := map[string]bool{}
	for _, e := range v.Exceptions {
		if !e.ValidTo.Before(today) {
			current[e.RuleCode] = true
		}
	}
	for _, f := range isms.CheckSystem(s.Input(), nil) {
		f.Excepted = current[f.Code]
		v.Findings = append(v.Findings, f)
	}
	if s.AdminPersonID != 0 {
		admins, err := h.db.FindAssignments(ctx, isms.AssignmentFilter{Day: today, UnitID: s.UnitID, RoleCode: isms.RoleCodeSystemAdmin})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, a := range admins {
			v.AdminHolds = v.AdminHolds || a.PersonID == s.AdminPersonID
		}
	}
	if actor.Can(isms.PermViewAuditTrail) || actor.Edits(s.UnitID) {
		v.ShowHistory = true
		if v.History, v.HistoryNext, err = h.db.FindSystemHistory(ctx, actor, s.ID, systemHistoryLength); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, status, web.SystemPage(v))
}

// systemFormFrom reads the system form; fe holds the dates that are not dates and a recovery
// time that is not a number of hours.
func systemFormFrom(r *http.Request) (form web.SystemForm, fe isms.FieldErrors) {
	fe = isms.FieldErrors{}
	check := func(name string) bool { return r.PostFormValue(name) != "" }
	in := isms.SystemInput{
		Code:                r.PostFormValue("code"),
		Name:                r.PostFormValue("name"),
		Business:            r.PostFormValue("business"),
		UnitID:              formInt(r, "unit_id"),
		AdminPersonID:       formInt(r, "admin_person_id"),
		Operators:           r.PostFormValue("operators"),
		Zone:                isms.Zone(r.PostFormValue("zone")),
		Hosting:             isms.Hosting(r.PostFormValue("hosting")),
		StandardSystem:      check("standard_system"),
		HandlesMyNumber:     check("handles_my_number"),
		HandlesPersonal:     check("handles_personal"),
		VendorDev:           r.PostFormValue("vendor_dev"),
		VendorOps:           r.PostFormValue("vendor_ops"),
		VendorMaint:         r.PostFormValue("vendor_maint"),
		Hardware:            r.PostFormValue("hardware"),
		Location:            r.PostFormValue("location"),
		OSMiddleware:        r.PostFormValue("os_middleware"),
		AuthMethod:          r.PostFormValue("auth_method"),
		MFAEnabled:          check("mfa_enabled"),
		USBBlockEnabled:     check("usb_block_enabled"),
		Sanitization:        isms.Sanitization(r.PostFormValue("sanitization_method")),
		ExternalConnections: r.PostFormValue("external_connections"),
		Backup:              r.PostFormValue("backup"),
		SeismicFixing:       check("seismic_fixing"),
		FloodRisk:           r.PostFormValue("flood_risk"),
		Documents:           r.PostFormValue("documents"),
		Version:             int(formInt(r, "version")),
	}
	in.ContractFrom, form.ContractFrom = postedDay(r, "contract_from", fe)
	in.ContractTo, form.ContractTo = postedDay(r, "contract_to", fe)
	in.ReplacementDue, form.ReplacementDue = postedDay(r, "replacement_due", fe)
	form.RecoveryHours = strings.TrimSpace(r.PostFormValue("recovery_hours"))
	if form.RecoveryHours != "" {
		n, err := strconv.Atoi(form.RecoveryHours)
		fe.Check(err == nil && n > 0, "recovery_hours", "system.error.recovery_hours")
		in.RecoveryHours = &n
	}
	form.Input = in
	return form, fe
}

// renderSystemForm shows the system form with the units the actor may register systems for and
// the people who hold 情報システム管理者 for them today; a refused save shows it again with what
// was typed and the errors beside the fields.
func (h *handler) renderSystemForm(w http.ResponseWriter, r *http.Request, status int, form web.SystemForm) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	today := isms.Day(h.now())
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// A system may stay with the closed unit it belongs to; new ones go to open units.
	form.Units = systemUnits(units, func(u isms.Unit) bool {
		return actor.Edits(u.ID) && (u.Contains(today) || u.ID == form.KeepUnitID)
	})
	admins, err := h.db.FindAssignments(ctx, isms.AssignmentFilter{Day: today, RoleCode: isms.RoleCodeSystemAdmin})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	offered := map[int64]bool{}
	for _, u := range form.Units {
		offered[u.ID] = true
	}
	for _, a := range admins {
		if offered[a.UnitID] {
			form.Admins = append(form.Admins, a)
		}
	}
	h.render(w, r, status, web.SystemFormPage(form))
}

func (h *handler) systemNew(w http.ResponseWriter, r *http.Request) {
	actor := isms.ActorFrom(r.Context())
	unit := formInt(r, "unit")
	if unit == 0 && actor.Edits(actor.UnitID) {
		unit = actor.UnitID
	}
	h.renderSystemForm(w, r, http.StatusOK, web.SystemForm{Input: isms.SystemInput{UnitID: unit}})
}

func (h *handler) systemEdit(w http.ResponseWriter, r *http.Request) {
	s, ok := h.pathSystem(w, r)
	if !ok {
		return
	}
	if !isms.ActorFrom(r.Context()).Edits(s.UnitID) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "cannot edit this unit's systems"))
		return
	}
	form := web.SystemForm{ID: s.ID, Input: s.Input(), KeepUnitID: s.UnitID, CurrentAdmin: s.AdminName,
		ContractFrom: formDate(s.ContractFrom), ContractTo: formDate(s.ContractTo), ReplacementDue: formDate(s.ReplacementDue)}
	if s.RecoveryHours != nil {
		form.RecoveryHours = strconv.Itoa(*s.RecoveryHours)
	}
	h.renderSystemForm(w, r, http.StatusOK, form)
}

// saveSystem registers (id 0) or updates a system from the posted form and answers: back to the
// system's page, or the form again with the errors (422) or the conflict (409).
func (h *handler) saveSystem(w http.ResponseWriter, r *http.Request, id int64) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	form, fe := systemFormFrom(r)
	form.ID = id
	if id != 0 {
		before, ok := h.pathSystem(w, r)
		if !ok {
			return
		}
		form.KeepUnitID, form.CurrentAdmin = before.UnitID, before.AdminName
		if before.AdminPersonID != form.Input.AdminPersonID {
			form.CurrentAdmin = ""
		}
	}
	if len(fe) > 0 {
		in := form.Input
		in.Normalize()
		form.Errors = mergeErrors(fe, in.Validate())
		h.renderSystemForm(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	var s isms.System
	var err error
	if id == 0 {
		s, err = h.db.CreateSystem(ctx, actor, form.Input)
	} else {
		s, err = h.db.UpdateSystem(ctx, actor, id, form.Input)
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		form.Errors, form.Conflict = errs, conflict
		h.renderSystemForm(w, r, status, form)
	}) {
		return
	}
	flash := "system.updated"
	if id == 0 {
		flash = "system.created"
	}
	h.done(w, r, flash, systemPath(s.ID))
}

func (h *handler) systemCreate(w http.ResponseWriter, r *http.Request) { h.saveSystem(w, r, 0) }

func (h *handler) systemUpdate(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		h.saveSystem(w, r, id)
	}
}

// systemExceptionCreate records the CISO's permission (例外措置) for a rule the system breaks,
// with its reason, the alternative measures (代替措置) and the last day it holds. The store works
// the system's 要確認 flags out again in the same transaction.
func (h *handler) systemExceptionCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	s, ok := h.pathSystem(w, r)
	if !ok {
		return
	}
	fe := isms.FieldErrors{}
	form := web.SystemExceptionForm{
		RuleCode: strings.TrimSpace(r.PostFormValue("rule_code")),
		Reason:   strings.TrimSpace(r.PostFormValue("reason")),
		Measures: strings.TrimSpace(r.PostFormValue("measures")),
	}
	var validTo *time.Time
	validTo, form.ValidTo = postedDay(r, "valid_to", fe)
	fe.Check(form.RuleCode != "", "rule_code", "validation.choose")
	fe.Check(form.Reason != "", "reason", "validation.required")
	fe.Check(validTo != nil, "valid_to", "validation.required")
	var err error
	if len(fe) == 0 {
		_, err = h.db.CreateRuleException(ctx, actor, isms.RuleException{
			SystemID: s.ID, RuleCode: form.RuleCode, Reason: form.Reason, Measures: form.Measures, ValidTo: *validTo,
		})
		if ve, ok := errors.AsType[*isms.ValidationError](err); ok {
			fe = ve.Fields
		}
	}
	if len(fe) > 0 {
		form.Errors = fe
		h.renderSystem(w, r, http.StatusUnprocessableEntity, s, form)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.done(w, r, "system.exception.created", systemPath(s.ID)+"#findings")
}
