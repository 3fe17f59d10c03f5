package server

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// maxBody bounds every request body; upload routes that need more raise it for themselves.
const maxBody = 1 << 20

// requestInfo gives each request an id (sent back as X-Request-Id and shown on error pages, so a
// person can quote it) and records the client address for the audit trail.
func (h *handler) requestInfo(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		rand.Read(b)
		ri := isms.RequestInfo{ID: hex.EncodeToString(b), ClientAddr: r.RemoteAddr}
		if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
			ri.ClientAddr = host
		}
		w.Header().Set("X-Request-Id", ri.ID)
		next.ServeHTTP(w, r.WithContext(isms.WithRequest(r.Context(), ri)))
	})
}

// statusWriter remembers the status written, for the access log and for recoverPanic.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequest writes one line per request. It logs the path, never the query or body, which may
// carry personal data.
func (h *handler) logRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		h.log.Info("request",
			"id", isms.RequestFrom(r.Context()).ID,
			"method", r.Method,
			"path", r.URL.Path,
			"status", sw.status,
			"duration_ms", float64(time.Since(start).Microseconds())/1000)
	})
}

// recoverPanic turns a panic in a handler into the 500 page, with the stack in the log only.
func (h *handler) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.log.Error("panic", "id", isms.RequestFrom(r.Context()).ID, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if sw, ok := w.(*statusWriter); !ok || sw.status == 0 {
				w.Header().Set("Connection", "close")
				h.fail(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// csp allows the portal's own files only: no inline script or style, no framing, forms post home.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// crossOriginProtection refuses state-changing requests sent by other sites (Fetch metadata, with
// the Origin header as fallback), so forms need no tokens.
func (h *handler) crossOriginProtection(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "cross-origin request refused"))
	}))
	return cop.Handler(next)
}

func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = limitedBody{ReadCloser: http.MaxBytesReader(w, r.Body, maxBody), raw: r.Body}
		next.ServeHTTP(w, r)
	})
}

// limitedBody is a request body under maxBody that remembers the body it limits, so that an
// upload route can set a larger bound of its own (raiseBodyLimit).
type limitedBody struct {
	io.ReadCloser
	raw io.ReadCloser
}

// raiseBodyLimit bounds the request body at n bytes instead of maxBody; it must be called before
// anything reads the body.
func raiseBodyLimit(w http.ResponseWriter, r *http.Request, n int64) {
	if b, ok := r.Body.(limitedBody); ok {
		r.Body = http.MaxBytesReader(w, b.raw, n)
	}
}

// noCache makes browsers revalidate static files, which carry no content hash in their names.
func noCache(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		next.ServeHTTP(w, r)
	})
}
