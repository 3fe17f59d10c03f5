package server

import (
	"net/http"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// settingShow shows the portal's security settings: which roles must sign in with MFA.
func (h *handler) settingShow(w http.ResponseWriter, r *http.Request) {
	roles, err := h.db.FindMFARoles(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.SettingsPage(roles))
}

func (h *handler) settingUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	var roles []isms.Role
	for _, v := range r.PostForm["mfa_roles"] {
		roles = append(roles, isms.Role(v))
	}
	if err := h.db.UpdateMFARoles(ctx, isms.ActorFrom(ctx), roles); err != nil {
		h.fail(w, r, err)
		return
	}
	h.done(w, r, "settings.saved", "/admin/settings")
}
