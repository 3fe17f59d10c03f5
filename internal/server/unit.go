package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// Organisation units: each unit's page for those whose scope covers it, and the forms with which
// the security office (or an administrator keeping master data) creates, edits and closes units.

// unitHistoryLength is how many of a unit's audit events its page shows.
const unitHistoryLength = 20

// unitShow is a unit's page. A unit outside the reader's scope is 404, as if it did not exist.
func (h *handler) unitShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	u, ok := pathRecord(h, w, r, h.db.FindUnit)
	if !ok {
		return
	}
	day := isms.Day(h.now())
	v := web.UnitView{Unit: u, Day: day}
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, x := range units {
		if x.ParentID == u.ID && x.Contains(day) {
			v.Children = append(v.Children, x)
		}
		if x.SuccessorID == u.ID {
			v.Predecessors = append(v.Predecessors, x)
		}
	}
	if v.Members, err = h.db.FindUnitMembers(ctx, u.ID, day); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Holders, err = h.db.FindAssignments(ctx, isms.AssignmentFilter{Day: day, UnitID: u.ID}); err != nil {
		h.fail(w, r, err)
		return
	}
	// The unit's information assets: the first few and the count, within the reader's scope.
	if v.Assets, v.AssetTotal, v.AssetsCapped, _, err = h.db.FindAssets(ctx, actor,
		isms.AssetFilter{UnitID: u.ID, Sort: isms.SortNumber, Limit: assetUnitPageSize}); err != nil {
		h.fail(w, r, err)
		return
	}
	if actor.Can(isms.PermViewAuditTrail) || actor.Can(isms.PermManageOrganisation) {
		v.ShowHistory = true
		if v.History, v.HistoryNext, err = h.db.FindUnitHistory(ctx, actor, u.ID, unitHistoryLength); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if v.Ledger, err = h.unitLedgerSection(ctx, u); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Measures, err = h.unitMeasuresSection(ctx, u); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Training, err = h.unitTrainingSection(ctx, u); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Incidents, err = h.unitIncidentsSection(ctx, u); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Contracts, err = h.unitContractsSection(ctx, u); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.ExternalServices, err = h.unitExternalServicesSection(ctx, u); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.SocialAccounts, err = h.unitSocialAccountsSection(ctx, u); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Tasks, err = h.unitTasksSection(ctx, u); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.UnitPage(v))
}

// unitAfterSave is where a saved form goes: the unit's page when the actor may open it, else
// the unit's place on the organisation chart (an administrator keeps units as master data
// without seeing their records).
func unitAfterSave(actor isms.Actor, id int64) string {
	if actor.Sees(id) {
		return "/units/" + strconv.FormatInt(id, 10)
	}
	return "/org#unit-" + strconv.FormatInt(id, 10)
}

// formDay reads a date field (YYYY-MM-DD) and records a problem against it when it is not a date.
func formDay(r *http.Request, name string, fe isms.FieldErrors) *time.Time {
	d, ok := isms.ParseDay(r.PostFormValue(name))
	fe.Check(ok, name, "validation.date")
	return d
}

func unitInputFrom(r *http.Request, fe isms.FieldErrors) isms.UnitInput {
	in := isms.UnitInput{
		Code:      r.PostFormValue("code"),
		Name:      r.PostFormValue("name"),
		NameKana:  r.PostFormValue("name_kana"),
		Type:      isms.UnitType(r.PostFormValue("unit_type")),
		ParentID:  formInt(r, "parent_id"),
		InScope:   r.PostFormValue("in_scope") != "",
		ValidFrom: formDay(r, "valid_from", fe),
		Version:   int(formInt(r, "version")),
	}
	in.Normalize()
	return in
}

// openUnits are the units open on day in tree order, leaving out skip and keeping keep (a closed
// parent the unit still hangs from stays choosable, so that saving does not move it).
func openUnits(units []isms.Unit, day time.Time, skip, keep int64) []isms.Unit {
	var open []isms.Unit
	for _, u := range units {
		if u.ID != skip && (u.Contains(day) || u.ID == keep && keep != 0) {
			open = append(open, u)
		}
	}
	return open
}

// renderUnitForm shows the unit form; a refused save shows it again with what was typed and the
// errors beside the fields.
func (h *handler) renderUnitForm(w http.ResponseWriter, r *http.Request, status int, form web.UnitForm) {
	units, err := h.db.FindUnits(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form.Parents = openUnits(units, isms.Day(h.now()), form.ID, form.Input.ParentID)
	if form.ValidFrom == "" && form.Input.ValidFrom != nil {
		form.ValidFrom = form.Input.ValidFrom.Format(time.DateOnly)
	}
	h.render(w, r, status, web.UnitFormPage(form))
}

func (h *handler) unitNew(w http.ResponseWriter, r *http.Request) {
	today := isms.Day(h.now())
	in := isms.UnitInput{Type: isms.UnitSection, InScope: true, ValidFrom: &today, ParentID: formInt(r, "parent")}
	h.renderUnitForm(w, r, http.StatusOK, web.UnitForm{Input: in})
}

func (h *handler) unitCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	fe := isms.FieldErrors{}
	in := unitInputFrom(r, fe)
	form := web.UnitForm{Input: in, ValidFrom: r.PostFormValue("valid_from")}
	if len(fe) > 0 {
		form.Errors = unitFormErrors(fe, in)
		h.renderUnitForm(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	u, err := h.db.CreateUnit(ctx, actor, in)
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		form.Errors = errs
		h.renderUnitForm(w, r, http.StatusUnprocessableEntity, form)
	}) {
		return
	}
	h.done(w, r, "unit.created", unitAfterSave(actor, u.ID))
}

// unitFormErrors adds the input's own problems to those found reading the form (a date that is
// not one), keeping the first problem of each field.
func unitFormErrors(fe isms.FieldErrors, in isms.UnitInput) isms.FieldErrors {
	for k, v := range in.Validate() {
		fe.Check(false, k, v)
	}
	return fe
}

// pathUnit is the unit named by the path's {id}, for those who keep the organisation: unit
// names and places are master data to them, whatever their scope. When there is none it has
// answered already.
func (h *handler) pathUnit(w http.ResponseWriter, r *http.Request) (isms.Unit, bool) {
	id, ok := h.pathID(w, r)
	if !ok {
		return isms.Unit{}, false
	}
	units, err := h.db.FindUnits(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return isms.Unit{}, false
	}
	for _, u := range units {
		if u.ID == id {
			return u, true
		}
	}
	h.fail(w, r, isms.Errorf(isms.ENOTFOUND, "unit %d not found", id))
	return isms.Unit{}, false
}

func (h *handler) unitEdit(w http.ResponseWriter, r *http.Request) {
	u, ok := h.pathUnit(w, r)
	if !ok {
		return
	}
	from := u.From
	h.renderUnitForm(w, r, http.StatusOK, web.UnitForm{ID: u.ID, Input: isms.UnitInput{
		Code: u.Code, Name: u.Name, NameKana: u.NameKana, Type: u.Type, ParentID: u.ParentID,
		InScope: u.InScope, ValidFrom: &from, Version: u.Version,
	}})
}

func (h *handler) unitUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	fe := isms.FieldErrors{}
	in := unitInputFrom(r, fe)
	form := web.UnitForm{ID: id, Input: in, ValidFrom: r.PostFormValue("valid_from")}
	if len(fe) > 0 {
		form.Errors = unitFormErrors(fe, in)
		h.renderUnitForm(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	_, err := h.db.UpdateUnit(ctx, actor, id, in)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		form.Errors, form.Conflict = errs, conflict
		h.renderUnitForm(w, r, status, form)
	}) {
		return
	}
	h.done(w, r, "unit.updated", unitAfterSave(actor, id))
}

// renderUnitClose shows the closing form with the units that may take over the records.
func (h *handler) renderUnitClose(w http.ResponseWriter, r *http.Request, status int, form web.UnitCloseForm) {
	units, err := h.db.FindUnits(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form.Successors = openUnits(units, isms.Day(h.now()), form.Unit.ID, form.SuccessorID)
	h.render(w, r, status, web.UnitClosePage(form))
}

func (h *handler) unitCloseShow(w http.ResponseWriter, r *http.Request) {
	u, ok := h.pathUnit(w, r)
	if !ok {
		return
	}
	form := web.UnitCloseForm{Unit: u, Version: u.Version, SuccessorID: u.SuccessorID}
	if u.To != nil {
		form.ValidTo = u.To.Format(time.DateOnly)
	}
	h.renderUnitClose(w, r, http.StatusOK, form)
}

// unitClose ends a unit on its last day, handing its records to the successor chosen.
func (h *handler) unitClose(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	u, ok := h.pathUnit(w, r)
	if !ok {
		return
	}
	fe := isms.FieldErrors{}
	c := isms.UnitClosure{
		ValidTo:     formDay(r, "valid_to", fe),
		SuccessorID: formInt(r, "successor_id"),
		Version:     int(formInt(r, "version")),
	}
	form := web.UnitCloseForm{Unit: u, ValidTo: r.PostFormValue("valid_to"), SuccessorID: c.SuccessorID, Version: c.Version, Errors: fe}
	if len(fe) > 0 {
		h.renderUnitClose(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	_, err := h.db.CloseUnit(ctx, actor, u.ID, c)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		form.Errors, form.Conflict = errs, conflict
		h.renderUnitClose(w, r, status, form)
	}) {
		return
	}
	h.done(w, r, "unit.closed", unitAfterSave(actor, u.ID))
}
