package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/auth"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
	"github.com/jichitai-isms/isms/internal/server"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// testClock starts each test server's clock on a Wednesday in 令和8年度.
var testClock = time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("JST", 9*3600))

// clock is a test server's "now", moved on by tests (for TOTP steps and lock-out windows).
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// testEnv is the real portal on its own fresh database, served on a free loopback port.
type testEnv struct {
	srv    *httptest.Server
	db     *postgres.DB
	sealer *auth.Sealer
	clock  *clock
}

func newEnv(t *testing.T, opts ...func(*server.Config)) *testEnv {
	t.Helper()
	return serveDB(t, pgtest.Open(t), opts...)
}

func serveDB(t *testing.T, db *postgres.DB, opts ...func(*server.Config)) *testEnv {
	t.Helper()
	sealer, err := auth.NewSealer([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{db: db, sealer: sealer, clock: &clock{now: testClock}}
	cfg := server.Config{DB: db, SessionStore: db.SessionStore(), Sealer: sealer, Now: e.clock.Now}
	for _, o := range opts {
		o(&cfg)
	}
	e.srv = httptest.NewServer(server.New(cfg))
	t.Cleanup(e.srv.Close)
	return e
}

// newTestServer is the portal for tests that need nothing else of the environment.
func newTestServer(t *testing.T) *httptest.Server { return newEnv(t).srv }

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

var system = isms.SystemActor("test")

func (e *testEnv) createUnit(t *testing.T, code, name string) isms.Unit {
	t.Helper()
	day := time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)
	u, err := e.db.CreateUnit(context.Background(), system, isms.UnitInput{Code: code, Name: name, Type: isms.UnitSection, InScope: true, ValidFrom: &day})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

const testPassword = "correct horse battery staple"

// createUser adds an account that has already chosen its own password (testPassword) and, when
// withMFA, enrolled a second factor; it returns the TOTP secret ("" without MFA).
func (e *testEnv) createUser(t *testing.T, login string, role isms.Role, unitID int64, withMFA bool) (isms.User, string) {
	t.Helper()
	ctx := context.Background()
	hash, err := auth.HashPassword(testPassword, auth.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.db.CreateUser(ctx, system, isms.UserInput{
		LoginID: login, Name: "試験 " + login, NameKana: "シケン", Lang: "ja", DateStyle: "seireki", Role: role, UnitID: unitID,
	}, hash)
	if err != nil {
		t.Fatal(err)
	}
	self := isms.Actor{UserID: u.ID, Label: login}
	if _, err := e.db.ChangeOwnPassword(ctx, self, hash); err != nil {
		t.Fatal(err)
	}
	if !withMFA {
		return u, ""
	}
	secret, err := auth.NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := e.sealer.Seal([]byte(secret))
	if _, err := e.db.EnrolTOTP(ctx, self, sealed, 0, nil); err != nil {
		t.Fatal(err)
	}
	return u, secret
}

// signIn signs in through the real pages: password, then the TOTP code of the server's current
// step when secret is given.
func (e *testEnv) signIn(t *testing.T, login, password, secret string) *http.Client {
	t.Helper()
	c := newClient(t)
	res, _ := post(t, c, e.srv.URL+"/login", url.Values{"login_id": {login}, "password": {password}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: status %d", login, res.StatusCode)
	}
	if secret != "" {
		code, _ := auth.TOTPCode(secret, e.clock.Now())
		res, _ = post(t, c, e.srv.URL+"/login/mfa", url.Values{"code": {code}}, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") == "/login" {
			t.Fatalf("second factor %s: status %d to %q", login, res.StatusCode, res.Header.Get("Location"))
		}
		e.clock.Advance(30 * time.Second) // the next code is a new one
	}
	return c
}

// loginAs creates an account with the role (enrolled in MFA) and returns a client signed in as it.
func (e *testEnv) loginAs(t *testing.T, login string, role isms.Role, unitID int64) (*http.Client, isms.User) {
	t.Helper()
	u, secret := e.createUser(t, login, role, unitID, true)
	return e.signIn(t, login, testPassword, secret), u
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// post sends a form as a browser on the same site would (Sec-Fetch-Site: same-origin) unless
// headers say otherwise ("" removes a header).
func post(t *testing.T, c *http.Client, u string, form url.Values, headers map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
