package server

import (
	"net/http"
	"strings"

	"github.com/jichitai-isms/isms/internal/i18n"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

const sessionLang = "lang"

// locale puts the reader's language (kept in the session, Japanese by default) and the page's
// own URL into the context for the components.
func (h *handler) locale(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if l, ok := i18n.ParseLang(h.sessions.GetString(ctx, sessionLang)); ok {
			ctx = i18n.WithLang(ctx, l)
		}
		ctx = web.WithCurrentURL(ctx, r.URL.RequestURI())
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// langUpdate switches the language for the rest of the session and returns to the page the
// switch was pressed on.
func (h *handler) langUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	l, ok := i18n.ParseLang(r.PostFormValue("lang"))
	if !ok {
		h.fail(w, r, isms.Errorf(isms.EINVALID, "unknown language"))
		return
	}
	ctx := r.Context()
	h.sessions.Put(ctx, sessionLang, string(l))
	// A signed-in person's choice is kept with their account, for every later session.
	if actor := isms.ActorFrom(ctx); actor.SignedIn() {
		if err := h.db.UpdatePreferences(ctx, actor, string(l), actor.DateStyle); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
}

// localPath returns p if it is a path on this site, else "/": a redirect target taken from a form
// must not send the reader to another site.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return "/"
	}
	return p
}
