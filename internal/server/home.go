package server

import (
	"net/http"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

func (h *handler) homeShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	v := web.HomeView{Today: h.now().In(japan)}
	// The 要確認 panel: the flagged information assets within the reader's scope.
	if actor.AllUnits || len(actor.UnitIDs) > 0 {
		v.ShowAssets = true
		var err error
		if _, v.FlaggedAssets, v.FlaggedCapped, _, err = h.db.FindAssets(ctx, actor, isms.AssetFilter{Flagged: true, Limit: 1}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	// The notice of the basic policy: only for a person who still has to confirm the version in
	// force (none in force yet is no notice).
	ack, err := h.db.FindAcknowledgement(ctx, actor)
	if err != nil && isms.ErrorCode(err) != isms.ENOTFOUND {
		h.fail(w, r, err)
		return
	}
	v.PolicyDue = err == nil && ack.Due()
	// The notifications panel: the incidents escalated to the reader, for those ever notified.
	if v.Notifications, err = h.homeNotifications(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	// The tasks panel: what is due for the reader in every part of the portal.
	if v.Tasks, err = h.homeTasksPanel(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.HomePage(v))
}
