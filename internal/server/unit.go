package server

import (
	"net/http"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// unitShow is a unit's page. A unit outside the reader's scope is 404, as if it did not exist.
func (h *handler) unitShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	u, err := h.db.FindUnit(ctx, isms.ActorFrom(ctx), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	members, err := h.db.FindUnitMembers(ctx, u.ID, h.now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.UnitPage(u, members))
}
