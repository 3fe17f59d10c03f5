// Package server is the portal's HTTP side: one routing table, the middleware every request passes,
// sessions kept in PostgreSQL, and one handler file per resource. Handlers parse input, call a
// store with the acting person, and render a web component or redirect; fail is the one place that
// turns an error into a status and an error page.
package server

import (
	"cmp"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/jichitai-isms/isms/internal/auth"
	"github.com/jichitai-isms/isms/internal/ledger"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// Config is what the HTTP side needs from the process that runs it.
type Config struct {
	Logger        *slog.Logger
	DB            *postgres.DB
	SessionStore  scs.Store
	Sealer        *auth.Sealer // seals TOTP secrets at rest
	SecureCookies bool         // send the session cookie over HTTPS only
	// A session ends after SessionIdle without a request, and SessionLifetime after sign-in at the
	// latest. Zero means 30 minutes and 12 hours.
	SessionIdle, SessionLifetime time.Duration
	Throttle                     postgres.Throttle // zero means postgres.DefaultThrottle
	ImportMaxBytes               int64             // the largest spreadsheet an import accepts; zero means 20 MB
	Now                          func() time.Time  // the clock; nil means time.Now
}

// handler carries the dependencies of every request handler.
type handler struct {
	log      *slog.Logger
	db       *postgres.DB
	sessions *scs.SessionManager
	idle     time.Duration // a session ends after this long without a request
	sealer   *auth.Sealer
	throttle postgres.Throttle
	// importMax bounds an uploaded spreadsheet; importLimits bound what it holds once read.
	importMax    int64
	importLimits ledger.Limits
	now          func() time.Time
}

// japan is the portal's time zone: dates on pages and fiscal years are Japanese ones.
var japan = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil { // no zoneinfo on the machine: Japan has had no daylight saving since 1951
		return time.FixedZone("JST", 9*60*60)
	}
	return loc
}()

// New returns the portal's HTTP handler.
func New(cfg Config) http.Handler {
	sm := scs.New()
	sm.Store = cfg.SessionStore
	sm.Cookie.Name = "isms_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies
	sm.Cookie.Persist = false // a session ends with the browser
	sm.Lifetime = cmp.Or(cfg.SessionLifetime, 12*time.Hour)
	// The idle timeout is the portal's own (expireIdle), not scs's, which writes the session back
	// on every request.

	h := &handler{log: cfg.Logger, db: cfg.DB, sessions: sm, idle: cmp.Or(cfg.SessionIdle, 30*time.Minute),
		sealer: cfg.Sealer, throttle: cfg.Throttle, now: cfg.Now,
		importMax: cmp.Or(cfg.ImportMaxBytes, 20<<20), importLimits: ledger.DefaultLimits}
	if h.throttle == (postgres.Throttle{}) {
		h.throttle = postgres.DefaultThrottle
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = time.Now
	}
	sm.ErrorFunc = h.sessionError
	sm.Codec = stampCodec{now: h.now}
	return h.routes()
}
