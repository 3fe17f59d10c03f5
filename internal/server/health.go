package server

import (
	"context"
	"net/http"
	"time"
)

// healthz answers 200 while the database answers and 503 otherwise, for load balancers and
// monitoring. It sits outside sessions so that probes leave no trace in the sessions table.
func (h *handler) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := h.db.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("unavailable: database unreachable\n"))
		return
	}
	w.Write([]byte("ok\n"))
}
