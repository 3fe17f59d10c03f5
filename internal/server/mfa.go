package server

import (
	"context"
	"net/http"
	"strings"

	"github.com/jichitai-isms/isms/internal/auth"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// recoveryCodeCount is how many one-time recovery codes a person gets with each set.
const recoveryCodeCount = 10

// Enrolment of the second factor happens in two places with one flow: during sign-in, for a role
// that must use MFA and has none yet, and from the profile page. The secret waits, sealed, in the
// session until the person proves with a first code that their app has it.

// enrolSecret returns the secret being enrolled, making one on the first visit.
func (h *handler) enrolSecret(ctx context.Context) (string, error) {
	if sealed := h.sessions.GetBytes(ctx, sessEnrolSecret); sealed != nil {
		if secret, err := h.sealer.Open(sealed); err == nil {
			return string(secret), nil
		}
	}
	secret, err := auth.NewTOTPSecret()
	if err != nil {
		return "", err
	}
	sealed, err := h.sealer.Seal([]byte(secret))
	if err != nil {
		return "", err
	}
	h.sessions.Put(ctx, sessEnrolSecret, sealed)
	return secret, nil
}

func (h *handler) renderEnrol(w http.ResponseWriter, r *http.Request, status int, action, account string, failed bool) {
	secret, err := h.enrolSecret(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	qr, err := auth.TOTPQR(totpIssuer, account, secret)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.MFAEnrolPage(web.MFAEnrol{Action: action, Secret: secret, QRPNG: qr, Failed: failed}))
}

// enrol checks the confirming code against the waiting secret and stores both, with a new set of
// recovery codes that wait in the session to be shown once. It returns false after answering
// itself (wrong code, or an error).
func (h *handler) enrol(w http.ResponseWriter, r *http.Request, actor isms.Actor, action string) bool {
	ctx := r.Context()
	secret, err := h.enrolSecret(ctx)
	if err != nil {
		h.fail(w, r, err)
		return false
	}
	step, ok := auth.CheckTOTP(secret, r.PostFormValue("code"), h.now(), 0)
	if !ok {
		h.renderEnrol(w, r, http.StatusUnprocessableEntity, action, actor.Label, true)
		return false
	}
	codes, hashes, err := auth.NewRecoveryCodes(recoveryCodeCount)
	if err != nil {
		h.fail(w, r, err)
		return false
	}
	sealed, err := h.sealer.Seal([]byte(secret))
	if err != nil {
		h.fail(w, r, err)
		return false
	}
	epoch, err := h.db.EnrolTOTP(ctx, actor, sealed, step, hashes)
	if err != nil {
		h.fail(w, r, err)
		return false
	}
	h.sessions.Remove(ctx, sessEnrolSecret)
	h.sessions.Put(ctx, sessEpoch, epoch)
	h.sessions.Put(ctx, sessOneTime, strings.Join(codes, "\n"))
	return true
}

// loginEnrolShow is the forced enrolment of a role that must use MFA, after the password step.
func (h *handler) loginEnrolShow(w http.ResponseWriter, r *http.Request) {
	cred, ok := h.pending(r)
	if !ok || cred.TOTPSecret != nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	h.renderEnrol(w, r, http.StatusOK, "/login/mfa/setup", cred.LoginID, false)
}

func (h *handler) loginEnrolCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	cred, ok := h.pending(r)
	if !ok || cred.TOTPSecret != nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if !h.enrol(w, r, isms.Actor{UserID: cred.UserID, Label: cred.LoginID}, "/login/mfa/setup") {
		return
	}
	// The codes come first; the page that shows them leads on to where the person was going.
	h.completeLogin(w, r, cred, "password+totp_enrolment", "/profile/recovery-codes")
}

func (h *handler) mfaShow(w http.ResponseWriter, r *http.Request) {
	actor := isms.ActorFrom(r.Context())
	if actor.MFAEnrolled {
		http.Redirect(w, r, "/profile", http.StatusSeeOther)
		return
	}
	h.renderEnrol(w, r, http.StatusOK, "/profile/mfa", actor.Label, false)
}

func (h *handler) mfaCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	actor := isms.ActorFrom(r.Context())
	if actor.MFAEnrolled {
		http.Redirect(w, r, "/profile", http.StatusSeeOther)
		return
	}
	if !h.enrol(w, r, actor, "/profile/mfa") {
		return
	}
	if err := h.sessions.RenewToken(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/profile/recovery-codes", http.StatusSeeOther)
}

// recoveryCodesCreate replaces the person's recovery codes with a new set, shown once.
func (h *handler) recoveryCodesCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	if !actor.MFAEnrolled {
		http.Redirect(w, r, "/profile", http.StatusSeeOther)
		return
	}
	codes, hashes, err := auth.NewRecoveryCodes(recoveryCodeCount)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.db.ReplaceRecoveryCodes(ctx, actor, hashes); err != nil {
		h.fail(w, r, err)
		return
	}
	h.sessions.Put(ctx, sessOneTime, strings.Join(codes, "\n"))
	http.Redirect(w, r, "/profile/recovery-codes", http.StatusSeeOther)
}

// recoveryCodesShow shows a new set of recovery codes exactly once.
func (h *handler) recoveryCodesShow(w http.ResponseWriter, r *http.Request) {
	codes := h.sessions.PopString(r.Context(), sessOneTime)
	if codes == "" {
		http.Redirect(w, r, "/profile", http.StatusSeeOther)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, http.StatusOK, web.RecoveryCodesPage(strings.Split(codes, "\n")))
}
