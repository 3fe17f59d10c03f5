package server

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/jichitai-isms/isms/internal/auth"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/web"
)

// pendingFor is how long the second step of signing in may follow the password.
const pendingFor = 5 * time.Minute

// totpIssuer names the portal in authenticator apps.
const totpIssuer = "ISMS Portal"

func (h *handler) loginShow(w http.ResponseWriter, r *http.Request) {
	if isms.ActorFrom(r.Context()).SignedIn() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, web.LoginPage(web.LoginForm{Next: localPath(r.URL.Query().Get("next"))}))
}

// loginCreate checks the password. Every failure, whatever its cause (unknown id, wrong password,
// suspended account, lock-out), gets the same message and takes the same time, so that the page
// never tells whether an account exists.
func (h *handler) loginCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	form := web.LoginForm{LoginID: strings.TrimSpace(r.PostFormValue("login_id")), Next: localPath(r.PostFormValue("next"))}
	password := r.PostFormValue("password")

	cred, err := h.db.FindCredentials(ctx, form.LoginID)
	if err != nil && isms.ErrorCode(err) != isms.ENOTFOUND {
		h.fail(w, r, err)
		return
	}
	reason := ""
	if cred.UserID == 0 {
		auth.DummyCheck(password)
		reason = "unknown_login_id"
	} else if ok, _, err := auth.CheckPassword(cred.PasswordHash, password); err != nil {
		h.fail(w, r, err)
		return
	} else if !ok {
		reason = "wrong_password"
	} else if cred.Status != isms.UserActive {
		reason = "account_" + string(cred.Status)
	}
	// A lock-out holds even for the right password: it is what stops guessing.
	if until, err := h.db.LockedUntil(ctx, cred.UserID, isms.RequestFrom(ctx).ClientAddr); err != nil {
		h.fail(w, r, err)
		return
	} else if !until.IsZero() && reason == "" {
		reason = "locked"
	}
	if reason != "" {
		if err := h.db.RecordLoginFailure(ctx, h.throttle, cred.UserID, form.LoginID, reason); err != nil {
			h.fail(w, r, err)
			return
		}
		form.Failed = true
		h.render(w, r, http.StatusUnauthorized, web.LoginPage(form))
		return
	}

	// The password is right: a new session id from here on (no session fixation).
	if err := h.sessions.RenewToken(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	mfaRoles, err := h.db.FindMFARoles(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	switch {
	case cred.TOTPSecret != nil:
		h.setPending(r, cred, form.Next)
		http.Redirect(w, r, "/login/mfa", http.StatusSeeOther)
	case slices.Contains(mfaRoles, cred.Role):
		h.setPending(r, cred, form.Next)
		http.Redirect(w, r, "/login/mfa/setup", http.StatusSeeOther)
	default:
		h.completeLogin(w, r, cred, "password", form.Next)
	}
}

func (h *handler) setPending(r *http.Request, cred postgres.Credentials, next string) {
	ctx := r.Context()
	h.sessions.Put(ctx, sessPendingUser, cred.UserID)
	h.sessions.Put(ctx, sessPendingEpoch, cred.AuthEpoch)
	h.sessions.Put(ctx, sessPendingAt, h.now().Unix())
	h.sessions.Put(ctx, sessPendingNext, next)
}

// pending returns the credentials of the person half-way through signing in, or false when there
// is none or it took too long (they start again at the password).
func (h *handler) pending(r *http.Request) (postgres.Credentials, bool) {
	ctx := r.Context()
	id := h.sessions.GetInt64(ctx, sessPendingUser)
	at := time.Unix(h.sessions.GetInt64(ctx, sessPendingAt), 0)
	if id == 0 || h.now().Sub(at) > pendingFor {
		return postgres.Credentials{}, false
	}
	cred, err := h.db.FindCredentialsByID(ctx, id)
	if err != nil || cred.Status != isms.UserActive || cred.AuthEpoch != h.sessions.GetInt(ctx, sessPendingEpoch) {
		return postgres.Credentials{}, false
	}
	return cred, true
}

func (h *handler) clearPending(r *http.Request) {
	for _, k := range []string{sessPendingUser, sessPendingEpoch, sessPendingAt, sessPendingNext, sessEnrolSecret} {
		h.sessions.Remove(r.Context(), k)
	}
}

// completeLogin makes the session a signed-in one and records the sign-in.
func (h *handler) completeLogin(w http.ResponseWriter, r *http.Request, cred postgres.Credentials, method, next string) {
	ctx := r.Context()
	h.clearPending(r)
	if err := h.sessions.RenewToken(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	// The epoch may have moved on during the second step (enrolment raises it).
	fresh, err := h.db.FindCredentialsByID(ctx, cred.UserID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.sessions.Put(ctx, sessUserID, fresh.UserID)
	h.sessions.Put(ctx, sessEpoch, fresh.AuthEpoch)
	if err := h.db.RecordLogin(ctx, fresh, method); err != nil {
		h.fail(w, r, err)
		return
	}
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (h *handler) loginMFAShow(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.pending(r); !ok {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, web.LoginMFAPage(false))
}

// loginMFACreate checks the second factor: a TOTP code, or one of the recovery codes.
func (h *handler) loginMFACreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	cred, ok := h.pending(r)
	if !ok {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	method, reason := "totp", ""
	if until, err := h.db.LockedUntil(ctx, cred.UserID, isms.RequestFrom(ctx).ClientAddr); err != nil {
		h.fail(w, r, err)
		return
	} else if !until.IsZero() {
		reason = "locked"
	} else if secret, err := h.sealer.Open(cred.TOTPSecret); err != nil {
		h.fail(w, r, err)
		return
	} else if step, ok := auth.CheckTOTP(string(secret), code, h.now(), cred.TOTPLastStep); ok {
		if used, err := h.db.UseTOTPStep(ctx, cred.UserID, step); err != nil {
			h.fail(w, r, err)
			return
		} else if !used {
			reason = "totp_reused"
		}
	} else if used, err := h.db.UseRecoveryCode(ctx, cred.UserID, auth.HashRecoveryCode(code)); err != nil {
		h.fail(w, r, err)
		return
	} else if used {
		method = "recovery_code"
	} else {
		reason = "wrong_code"
	}
	if reason != "" {
		if err := h.db.RecordLoginFailure(ctx, h.throttle, cred.UserID, cred.LoginID, reason); err != nil {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, http.StatusUnauthorized, web.LoginMFAPage(true))
		return
	}
	h.completeLogin(w, r, cred, method, h.sessions.GetString(ctx, sessPendingNext))
}

// logout ends the session on the server, not just in the browser: the old cookie is worthless.
func (h *handler) logout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if actor := isms.ActorFrom(ctx); actor.SignedIn() {
		if err := h.db.RecordLogout(ctx, actor); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if err := h.sessions.Destroy(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
