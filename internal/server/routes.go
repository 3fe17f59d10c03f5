package server

import (
	"io/fs"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/jichitai-isms/isms/web"
)

// routes is the portal's whole URL map. Every state change is a POST, and every POST has passed
// CrossOriginProtection before it reaches a handler.
func (h *handler) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(h.requestInfo, h.logRequest, h.recoverPanic, secureHeaders, h.crossOriginProtection, limitBody)
	// Error pages speak the reader's language, so they too load the session.
	withSession := func(fn http.HandlerFunc) http.HandlerFunc {
		return h.sessions.LoadAndSave(h.locale(fn)).ServeHTTP
	}
	r.NotFound(withSession(h.notFound))
	r.MethodNotAllowed(withSession(h.methodNotAllowed))

	// Outside the session: probes and files must not create or touch sessions.
	r.Get("/healthz", h.healthz)
	static, _ := fs.Sub(web.Static, "static")
	r.Handle("/static/*", http.StripPrefix("/static/", noCache(http.FileServerFS(static))))

	r.Group(func(r chi.Router) {
		r.Use(h.sessions.LoadAndSave, h.locale)
		r.Get("/", h.homeShow)
		r.Post("/lang", h.langUpdate)
	})
	return r
}
