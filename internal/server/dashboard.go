package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/a-h/templ"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// The CISO's dashboard (basic policy §6(1), the CISO's overview of the whole ISMS): the figures of
// a fiscal year for the units the reader follows — every unit for the CISO, the security office
// and auditors, their own units for a 管理者 or 責任者. Staff who follow no unit have their
// department page instead (the home page when they belong to none).

func (h *handler) dashboardShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	if !followsUnits(actor) {
		to := "/"
		if actor.UnitID != 0 {
			to = "/units/" + strconv.FormatInt(actor.UnitID, 10)
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	fy, years, ok := h.trainingYear(w, r)
	if !ok {
		return
	}
	d, err := h.db.FindDashboard(ctx, actor, isms.DashboardFilter{FiscalYear: fy})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	levels, err := h.db.FindLevels(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.DashboardPage(web.DashboardView{Dashboard: d, Years: years, Levels: levels,
		Overview: actor.Can(isms.PermViewAllUnits)}))
}

// unitMeasuresSection is the department page's figures of u and its sub-units this fiscal year;
// nil for a reader who follows none of them.
func (h *handler) unitMeasuresSection(ctx context.Context, u isms.Unit) (templ.Component, error) {
	actor := isms.ActorFrom(ctx)
	if !actor.Sees(u.ID) && !actor.Manages(u.ID) {
		return nil, nil
	}
	d, err := h.db.FindDashboard(ctx, actor, isms.DashboardFilter{FiscalYear: isms.FiscalYearOf(h.now()), UnitID: u.ID})
	if err != nil || len(d.Units) == 0 {
		return nil, err
	}
	return web.UnitMeasuresSection(u, d), nil
}
