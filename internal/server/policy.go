package server

import (
	"net/http"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// The basic policy (情報セキュリティ基本方針) and its confirmation (誓約・確認): every signed-in
// person reads the version in force and confirms it; the versions are those the security office
// publishes in the policy library (policy_document.go); the status per unit is for those who read
// every unit and for 管理者 of their units (the store refuses others, 403).

// renderPolicy shows the policy page with the version in force today and where the reader stands
// with it; a refused confirmation shows it again with its errors, or with stale when the version
// was replaced meanwhile.
func (h *handler) renderPolicy(w http.ResponseWriter, r *http.Request, status int, v web.PolicyView) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	var err error
	if v.Versions, err = h.db.FindPolicyVersions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Today = actor.Day()
	ack, err := h.db.FindAcknowledgement(ctx, actor)
	switch {
	case err == nil:
		v.Ack, v.Current = ack, &ack.Version
	case isms.ErrorCode(err) != isms.ENOTFOUND:
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.PolicyPage(v))
}

func (h *handler) policyShow(w http.ResponseWriter, r *http.Request) {
	h.renderPolicy(w, r, http.StatusOK, web.PolicyView{})
}

// policyAcknowledge records the reader's confirmation of the version the page showed. The box
// must be ticked (422 otherwise); a version replaced since the page was loaded is 409, with the
// version now in force to read and confirm.
func (h *handler) policyAcknowledge(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	if r.PostFormValue("confirm") == "" {
		h.renderPolicy(w, r, http.StatusUnprocessableEntity, web.PolicyView{Errors: isms.FieldErrors{"confirm": "policy.error.confirm"}})
		return
	}
	_, err := h.db.AcknowledgePolicy(ctx, isms.ActorFrom(ctx), formInt(r, "version_id"))
	if isms.ErrorCode(err) == isms.ECONFLICT {
		h.renderPolicy(w, r, http.StatusConflict, web.PolicyView{Stale: true})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.done(w, r, "policy.acknowledged_flash", "/policy")
}

// policyStatus is the confirmation status of the version asked for (?version=), by default the
// one in force today, or the latest registered when none is in force yet.
func (h *handler) policyStatus(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	versions, err := h.db.FindPolicyVersions(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	id := formInt(r, "version")
	if s := r.URL.Query().Get("version"); s != "" && id <= 0 {
		h.fail(w, r, isms.Errorf(isms.EINVALID, "no such version"))
		return
	}
	if id == 0 {
		current, err := h.db.FindCurrentPolicyVersion(ctx, actor.Day())
		switch {
		case err == nil:
			id = current.ID
		case isms.ErrorCode(err) != isms.ENOTFOUND:
			h.fail(w, r, err)
			return
		case len(versions) > 0:
			id = versions[0].ID
		}
	}
	// With no version at all the store is still asked, so that it refuses those who may not
	// follow the status (403) before the empty page is shown to those who may.
	status, err := h.db.FindPolicyStatus(ctx, actor, id)
	if err != nil && !(len(versions) == 0 && isms.ErrorCode(err) == isms.ENOTFOUND) {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.PolicyStatusPage(web.PolicyStatusView{Status: status, Versions: versions}))
}
