package server

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/jichitai-isms/isms/internal/i18n"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// Session keys. A signed-in session holds the user id and the account's auth epoch at sign-in; a
// session half-way through signing in holds the pending user instead.
const (
	sessUserID       = "user_id"
	sessEpoch        = "epoch"
	sessPendingUser  = "pending_user"  // password checked, second factor still to come
	sessPendingEpoch = "pending_epoch" //
	sessPendingAt    = "pending_at"    // unix seconds; the second step must follow within pendingFor
	sessPendingNext  = "pending_next"  // where to go once signed in
	sessEnrolSecret  = "enrol_secret"  // sealed TOTP secret being enrolled
	sessFlash        = "flash"         // catalogue key of a one-time message for the next page
	sessOneTime      = "one_time"      // a secret to show exactly once (initial password, recovery codes)
	sessSeen         = "seen"          // unix milliseconds of the last write of the session (stampCodec)
)

// loadSession loads the request's session, ends it when it has been idle too long, and saves it
// at the end of the request when it changed.
func (h *handler) loadSession(next http.Handler) http.Handler {
	return h.sessions.LoadAndSave(h.expireIdle(next))
}

// expireIdle ends a session that saw no request for the idle timeout. Every save of a session
// stamps its time (stampCodec), and a request renews the stamp only once a thirtieth of the
// timeout has passed since the last one (a minute of thirty): a page view in between costs no
// write to the session table, and the timeout is kept to within that step.
func (h *handler) expireIdle(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if seen := h.sessions.GetInt64(ctx, sessSeen); seen != 0 {
			switch idle := h.now().Sub(time.UnixMilli(seen)); {
			case idle >= h.idle:
				if err := h.sessions.Destroy(ctx); err != nil {
					h.fail(w, r, err)
					return
				}
			case idle >= h.idle/30:
				h.sessions.Put(ctx, sessSeen, seen) // marks the session for saving: the save stamps it
			}
		}
		next.ServeHTTP(w, r)
	})
}

// stampCodec is scs's encoding with the time of the save added, for expireIdle.
type stampCodec struct {
	scs.GobCodec
	now func() time.Time
}

func (c stampCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	values = maps.Clone(values)
	values[sessSeen] = c.now().UnixMilli()
	return c.GobCodec.Encode(deadline, values)
}

// authenticate turns the session into an isms.Actor in the context. A session whose account was
// suspended, or whose credentials or rights changed since sign-in, is ended here.
func (h *handler) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id := h.sessions.GetInt64(ctx, sessUserID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		actor, err := h.db.FindActor(ctx, id, h.sessions.GetInt(ctx, sessEpoch), h.now())
		if isms.ErrorCode(err) == isms.ENOTFOUND {
			if err := h.sessions.Destroy(ctx); err != nil {
				h.fail(w, r, err)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		ctx = isms.WithActor(ctx, actor)
		if l, ok := i18n.ParseLang(actor.Lang); ok {
			ctx = i18n.WithLang(ctx, l)
		}
		if s, ok := i18n.ParseDateStyle(actor.DateStyle); ok {
			ctx = i18n.WithDateStyle(ctx, s)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// requireSignIn sends people who are not signed in to the sign-in page, to come back afterwards.
// A person who must change their password goes to that page first, whatever they asked for.
func (h *handler) requireSignIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := isms.ActorFrom(r.Context())
		if !actor.SignedIn() {
			target := "/login"
			if r.Method == http.MethodGet && r.URL.Path != "/" {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		if actor.MustChangePassword && !passwordChangeExempt[r.URL.Path] {
			http.Redirect(w, r, "/profile/password", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requirePermission lets only actors whose role grants p through; others get 403.
func (h *handler) requirePermission(p isms.Permission) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !isms.ActorFrom(r.Context()).Can(p) {
				h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "role does not grant this"))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// flash leaves a one-time message (a catalogue key) for the next page shown.
func (h *handler) flash(ctx context.Context, key string) { h.sessions.Put(ctx, sessFlash, key) }

// withFlash moves a waiting flash message into the context of the page being rendered.
func (h *handler) withFlash(ctx context.Context) context.Context {
	if key := h.sessions.PopString(ctx, sessFlash); key != "" {
		return web.WithFlash(ctx, i18n.T(ctx, key))
	}
	return ctx
}

// passwordChangeExempt are the pages a person who must change their password can still reach:
// the change itself, signing out, and the recovery codes just issued at enrolment.
var passwordChangeExempt = map[string]bool{"/profile/password": true, "/logout": true, "/profile/recovery-codes": true}
