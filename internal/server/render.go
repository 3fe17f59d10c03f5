package server

import (
	"bytes"
	"net/http"

	"github.com/a-h/templ"

	"github.com/jichitai-isms/isms/internal/isms"
)

// render writes a component with the given status. It renders into a buffer first, so a failing
// component yields a clean error page instead of half a page under a 200.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	ctx := r.Context()
	if status < 300 {
		ctx = h.withFlash(ctx)
	}
	var buf bytes.Buffer
	if err := c.Render(ctx, &buf); err != nil {
		h.log.Error("render", "id", isms.RequestFrom(r.Context()).ID, "path", r.URL.Path, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
