package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/a-h/templ"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// Who is due (研修の受講状況): the completion of a fiscal year per unit and course for those who
// follow units (the security office, the CISO and auditors every unit, a 管理者 or 責任者 the
// units they see), a unit's 未受講者 for those who may read its people's names, each person's
// own record, and the yearly report to the committee. Staff who follow no unit are sent to their
// own record. The store decides the scope of each.

// trainingYears is how many past fiscal years the pages offer besides the current one.
const trainingYears = 5

// trainingYear is the fiscal year asked for in ?fy= (the current one when none) and the years
// to choose from; a year that is not one, or is still to come, is 400 and answered already.
func (h *handler) trainingYear(w http.ResponseWriter, r *http.Request) (fy int, years []int, ok bool) {
	current := isms.FiscalYearOf(h.now())
	fy = current
	if s := r.URL.Query().Get("fy"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 2000 || n > current {
			h.fail(w, r, isms.Errorf(isms.EINVALID, "no such fiscal year"))
			return 0, nil, false
		}
		fy = n
	}
	for y := current; y >= current-trainingYears || y >= fy; y-- {
		years = append(years, y)
	}
	return fy, years, true
}

// followsUnits reports whether the actor reads the completion of units: those who read every
// unit, and 管理者 and 責任者.
func followsUnits(a isms.Actor) bool { return a.AllUnits || len(a.ManagedUnitIDs) > 0 }

func (h *handler) trainingShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	if !followsUnits(actor) {
		http.Redirect(w, r, "/training/me", http.StatusSeeOther)
		return
	}
	fy, years, ok := h.trainingYear(w, r)
	if !ok {
		return
	}
	st, err := h.db.FindTrainingStatus(ctx, actor, fy, 0)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.TrainingPage(web.TrainingOverview{Status: st, Years: years}))
}

// trainingUnit is a unit's completion and its 未受講者 (?all=1: everyone's lines). A unit
// outside the reader's scope is 404; one they see but whose people they may not list, 403.
func (h *handler) trainingUnit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	u, ok := pathRecord(h, w, r, h.db.FindUnit)
	if !ok {
		return
	}
	fy, years, ok := h.trainingYear(w, r)
	if !ok {
		return
	}
	v := web.TrainingUnitView{Unit: u, Years: years, All: r.URL.Query().Get("all") == "1"}
	var err error
	if v.Due, v.More, err = h.db.FindTrainingDue(ctx, actor, fy, u.ID, !v.All); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Status, err = h.db.FindTrainingStatus(ctx, actor, fy, u.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.TrainingUnitPage(v))
}

// trainingMe is the signed-in person's own record; an account linked to no person is told so.
func (h *handler) trainingMe(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	fy, years, ok := h.trainingYear(w, r)
	if !ok {
		return
	}
	v := web.TrainingMeView{FiscalYear: fy, Years: years}
	p, err := h.db.FindPersonByUser(ctx, actor, actor.UserID, h.now())
	switch {
	case isms.ErrorCode(err) == isms.ENOTFOUND:
	case err != nil:
		h.fail(w, r, err)
		return
	default:
		rec, err := h.db.FindPersonTraining(ctx, actor, p.ID, fy)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v.Record = &rec
	}
	h.render(w, r, http.StatusOK, web.TrainingMePage(v))
}

// trainingReport is the yearly report to the committee: completion by course and unit with the
// change from the year before, and the drills' results. It is for those who follow units (403
// for others).
func (h *handler) trainingReport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	if !followsUnits(actor) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "not permitted"))
		return
	}
	fy, years, ok := h.trainingYear(w, r)
	if !ok {
		return
	}
	v := web.TrainingReportView{Years: years}
	var err error
	if v.Status, err = h.db.FindTrainingStatus(ctx, actor, fy, 0); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Previous, err = h.db.FindTrainingStatus(ctx, actor, fy-1, 0); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Drills, err = h.db.FindDrillResults(ctx, actor, fy); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.TrainingReportPage(v))
}

// unitTrainingSection is this fiscal year's training figures on a unit's page, for everyone who
// sees the unit.
func (h *handler) unitTrainingSection(ctx context.Context, u isms.Unit) (templ.Component, error) {
	st, err := h.db.FindTrainingStatus(ctx, isms.ActorFrom(ctx), isms.FiscalYearOf(h.now()), u.ID)
	if err != nil {
		return nil, err
	}
	return web.UnitTrainingSection(web.UnitTrainingView{Unit: u, Status: st}), nil
}
