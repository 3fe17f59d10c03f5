package server

import (
	"errors"
	"net/http"

	"github.com/jichitai-isms/isms/internal/auth"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

func (h *handler) profileShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	left, err := h.db.CountRecoveryCodes(ctx, actor.UserID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.ProfilePage(web.Profile{
		Actor: actor, RecoveryCodesLeft: left,
		Prefs: web.PrefsForm{Lang: actor.Lang, DateStyle: actor.DateStyle},
	}))
}

func (h *handler) preferencesUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	form := web.PrefsForm{Lang: r.PostFormValue("lang"), DateStyle: r.PostFormValue("date_style")}
	err := h.db.UpdatePreferences(ctx, actor, form.Lang, form.DateStyle)
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		form.Errors = errs
		left, _ := h.db.CountRecoveryCodes(ctx, actor.UserID)
		h.render(w, r, http.StatusUnprocessableEntity, web.ProfilePage(web.Profile{Actor: actor, RecoveryCodesLeft: left, Prefs: form}))
	}) {
		return
	}
	h.done(w, r, "profile.saved", "/profile")
}

func (h *handler) passwordShow(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, web.PasswordPage(web.PasswordForm{Forced: isms.ActorFrom(r.Context()).MustChangePassword}))
}

// passwordUpdate changes the person's own password: the current one is required, the new one must
// follow the rules and be typed twice alike. Other sessions of the person end; this one goes on.
func (h *handler) passwordUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	current, next, confirm := r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("confirm")
	form := web.PasswordForm{Forced: actor.MustChangePassword, Errors: isms.FieldErrors{}}

	cred, err := h.db.FindCredentialsByID(ctx, actor.UserID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ok, _, err := auth.CheckPassword(cred.PasswordHash, current)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form.Errors.Check(ok, "current", "password.error.current")
	if pe, isRule := errors.AsType[*auth.PasswordError](auth.CheckPasswordRules(next, actor.Label)); isRule {
		form.Errors.Check(false, "new", "password.error."+pe.Reason)
	}
	form.Errors.Check(next == confirm, "confirm", "password.error.mismatch")
	form.Errors.Check(next != current, "new", "password.error.same")
	if len(form.Errors) > 0 {
		h.render(w, r, http.StatusUnprocessableEntity, web.PasswordPage(form))
		return
	}
	hash, err := auth.HashPassword(next, auth.DefaultParams)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	epoch, err := h.db.ChangeOwnPassword(ctx, actor, hash)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.sessions.RenewToken(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.sessions.Put(ctx, sessEpoch, epoch)
	h.done(w, r, "password.changed", "/profile")
}
