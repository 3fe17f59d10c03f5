package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// A panic in a handler becomes the Japanese 500 page with the request id as reference, and the
// stack goes to the log only.
func TestRecoverPanic(t *testing.T) {
	var logBuf bytes.Buffer
	h := &handler{log: slog.New(slog.NewTextHandler(&logBuf, nil))}
	boom := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("ledger exploded") })
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req = req.WithContext(isms.WithRequest(req.Context(), isms.RequestInfo{ID: "abc123"}))
	h.recoverPanic(boom).ServeHTTP(&statusWriter{ResponseWriter: rec}, req)

	body := rec.Body.String()
	if rec.Code != http.StatusInternalServerError || !strings.Contains(body, "システムエラー") || !strings.Contains(body, "参照番号: abc123") {
		t.Errorf("status %d, body %q", rec.Code, body)
	}
	if strings.Contains(body, "ledger exploded") || strings.Contains(body, "goroutine") {
		t.Error("the page shows the panic or its stack")
	}
	if !strings.Contains(logBuf.String(), "ledger exploded") || !strings.Contains(logBuf.String(), "middleware_test.go") {
		t.Errorf("log lacks the panic and its stack: %q", logBuf.String())
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/":                     "/",
		"/units/3?tab=roles":    "/units/3?tab=roles",
		"":                      "/",
		"//evil.example":        "/",
		"/\\evil.example":       "/",
		"https://evil.example/": "/",
		"/a\r\nSet-Cookie: x":   "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
