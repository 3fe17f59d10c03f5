package server_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
	"github.com/jichitai-isms/isms/internal/server"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// testClock is the fixed "now" of the test server: a Wednesday in the fourth quarter of 令和8年度.
var testClock = time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("JST", 9*3600))

// newTestServer runs the real portal handler on its own fresh database, on a free loopback port.
func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	return serveDB(t, pgtest.Open(t))
}

func serveDB(t *testing.T, db *postgres.DB) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(server.New(server.Config{
		DB:           db,
		SessionStore: db.SessionStore(),
		Now:          func() time.Time { return testClock },
	}))
	t.Cleanup(srv.Close)
	return srv
}

// newClient returns a client that keeps cookies like a browser and does not follow redirects, so
// that tests see each 303 themselves.
func newClient(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
