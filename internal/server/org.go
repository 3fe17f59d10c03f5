package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// The organisation as every signed-in person may read it: the chart with the security roles and
// the gaps to fill, the role matrix, and the emergency contact list (緊急連絡網), each for today or
// for the day the query names (?date=YYYY-MM-DD).

// orgDay is the day the query asks about, today when it names none. A date that cannot be read
// is a field error for the form that shows it again.
func (h *handler) orgDay(r *http.Request) (day time.Time, typed string, fe isms.FieldErrors) {
	fe = isms.FieldErrors{}
	typed = strings.TrimSpace(r.URL.Query().Get("date"))
	d, ok := isms.ParseDay(typed)
	fe.Check(ok, "date", "validation.date")
	if d == nil {
		return isms.Day(h.now()), typed, fe
	}
	return *d, typed, fe
}

// loadOrg reads the organisation of the day asked about; withWarnings adds the gaps to point out.
// It answers with the error page itself and returns false when it cannot.
func (h *handler) loadOrg(w http.ResponseWriter, r *http.Request, withWarnings bool) (web.Org, bool) {
	ctx := r.Context()
	day, typed, fe := h.orgDay(r)
	if len(fe) > 0 {
		return web.Org{Day: day, DateValue: typed, Errors: fe}, true
	}
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return web.Org{}, false
	}
	roles, err := h.db.FindSecurityRoles(ctx)
	if err != nil {
		h.fail(w, r, err)
		return web.Org{}, false
	}
	holders, err := h.db.FindAssignments(ctx, isms.AssignmentFilter{Day: day})
	if err != nil {
		h.fail(w, r, err)
		return web.Org{}, false
	}
	var warnings []isms.Warning
	if withWarnings {
		if warnings, err = h.db.FindWarnings(ctx, day); err != nil {
			h.fail(w, r, err)
			return web.Org{}, false
		}
	}
	return web.NewOrg(day, units, roles, holders, warnings), true
}

// renderOrg shows one view of the organisation: 422 with the date form when the date could not be read.
func (h *handler) renderOrg(w http.ResponseWriter, r *http.Request, o web.Org, page func(web.Org) templ.Component) {
	status := http.StatusOK
	if len(o.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	h.render(w, r, status, page(o))
}

// orgShow is the organisation chart.
func (h *handler) orgShow(w http.ResponseWriter, r *http.Request) {
	if o, ok := h.loadOrg(w, r, true); ok {
		h.renderOrg(w, r, o, web.OrgPage)
	}
}

// orgMatrix is the role matrix: units against the roles held for a unit.
func (h *handler) orgMatrix(w http.ResponseWriter, r *http.Request) {
	if o, ok := h.loadOrg(w, r, false); ok {
		h.renderOrg(w, r, o, web.OrgMatrixPage)
	}
}

// orgContacts is the emergency contact list. It carries telephone numbers and e-mail addresses:
// meant to be shared among staff and printed, not kept in a shared terminal's cache.
func (h *handler) orgContacts(w http.ResponseWriter, r *http.Request) {
	if o, ok := h.loadOrg(w, r, false); ok {
		w.Header().Set("Cache-Control", "no-store")
		h.renderOrg(w, r, o, web.OrgContactsPage)
	}
}
