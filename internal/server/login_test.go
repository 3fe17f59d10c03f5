package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/auth"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/internal/server"
)

// auditActions returns the actions of the audit trail in order, for checking what was recorded.
func (e *testEnv) auditActions(t *testing.T) []string {
	t.Helper()
	events, _, err := e.db.FindAuditEvents(context.Background(), system, isms.AuditFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for i := len(events) - 1; i >= 0; i-- {
		actions = append(actions, events[i].Action)
	}
	return actions
}

func sessionCookie(c *http.Client, base string) string {
	u, _ := url.Parse(base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "isms_session" {
			return ck.Value
		}
	}
	return ""
}

// withCookie returns a new client that carries only the given session token.
func withCookie(t *testing.T, base, token string) *http.Client {
	c := newClient(t)
	u, _ := url.Parse(base)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "isms_session", Value: token, Path: "/"}})
	return c
}

func signInForm(login, password string) url.Values {
	return url.Values{"login_id": {login}, "password": {password}}
}

func TestLoginSuccessAndFailure(t *testing.T) {
	e := newEnv(t)
	unit := e.createUnit(t, "110", "税務課")
	e.createUser(t, "tanaka", isms.RoleStaff, unit.ID, false)

	c := newClient(t)
	res, body := post(t, c, e.srv.URL+"/login", signInForm("tanaka", "wrong password!!"), nil)
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "ログインIDまたはパスワードが正しくないか") ||
		!strings.Contains(body, `value="tanaka"`) || strings.Contains(body, "wrong password!!") {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	res, _ = post(t, c, e.srv.URL+"/login", signInForm("TANAKA", testPassword), nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("right password (login id in capitals): %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res, body := get(t, c, e.srv.URL+"/"); res.StatusCode != http.StatusOK || !strings.Contains(body, "試験 tanaka") {
		t.Errorf("home after sign-in: %d", res.StatusCode)
	}
	if got := e.auditActions(t); !slices.Contains(got, "auth.login_failed") || got[len(got)-1] != "auth.login" {
		t.Errorf("audit trail: %v", got)
	}
}

// Unknown ids and wrong passwords look the same from outside: same status, same page, and about
// the same time (both spend one password hash).
func TestLoginDoesNotRevealAccounts(t *testing.T) {
	e := newEnv(t)
	unit := e.createUnit(t, "110", "税務課")
	e.createUser(t, "tanaka", isms.RoleStaff, unit.ID, false)
	attempt := func(login string) (int, string, time.Duration) {
		start := time.Now()
		res, body := post(t, newClient(t), e.srv.URL+"/login", signInForm(login, "not the password"), nil)
		return res.StatusCode, body, time.Since(start)
	}
	var known, unknown []time.Duration
	var knownBody, unknownBody string
	for range 5 {
		s1, b1, d1 := attempt("tanaka")
		s2, b2, d2 := attempt("nobody")
		if s1 != s2 {
			t.Fatalf("status %d for a known id, %d for an unknown one", s1, s2)
		}
		known, unknown = append(known, d1), append(unknown, d2)
		knownBody, unknownBody = b1, b2
	}
	if strings.Replace(knownBody, `value="tanaka"`, `value="nobody"`, 1) != unknownBody {
		t.Error("the page differs between a known and an unknown login id")
	}
	slices.Sort(known)
	slices.Sort(unknown)
	if ratio := float64(unknown[2]) / float64(known[2]); ratio < 0.5 || ratio > 2 {
		t.Errorf("median time unknown/known = %.2f (%v vs %v): timing tells accounts apart", ratio, unknown[2], known[2])
	}
}

func TestLockoutAndItsExpiry(t *testing.T) {
	// A one-second lock stands in for the fifteen minutes; the database's own clock ends it.
	e := newEnv(t, func(c *server.Config) {
		c.Throttle = postgres.Throttle{AccountFailures: 5, AddressFailures: 20, LockFor: time.Second}
	})
	unit := e.createUnit(t, "110", "税務課")
	e.createUser(t, "tanaka", isms.RoleStaff, unit.ID, false)
	c := newClient(t)
	for range 5 {
		post(t, c, e.srv.URL+"/login", signInForm("tanaka", "guess guess guess"), nil)
	}
	// Locked: even the right password is refused, with the same message.
	res, body := post(t, c, e.srv.URL+"/login", signInForm("tanaka", testPassword), nil)
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "ログインIDまたはパスワードが正しくないか") {
		t.Fatalf("locked account: %d", res.StatusCode)
	}
	time.Sleep(1100 * time.Millisecond)
	if res, _ := post(t, c, e.srv.URL+"/login", signInForm("tanaka", testPassword), nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after the lock expired: %d", res.StatusCode)
	}
}

// Guessing across many accounts from one address locks the address.
func TestAddressLockout(t *testing.T) {
	e := newEnv(t)
	unit := e.createUnit(t, "110", "税務課")
	e.createUser(t, "tanaka", isms.RoleStaff, unit.ID, false)
	for i := range 20 {
		post(t, newClient(t), e.srv.URL+"/login", signInForm("user"+itoa(int64(i)), "guess guess guess"), nil)
	}
	if res, _ := post(t, newClient(t), e.srv.URL+"/login", signInForm("tanaka", testPassword), nil); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("sign-in from a locked address: %d, want 401", res.StatusCode)
	}
}

func TestSessionFixationAndLogout(t *testing.T) {
	e := newEnv(t)
	unit := e.createUnit(t, "110", "税務課")
	e.createUser(t, "tanaka", isms.RoleStaff, unit.ID, false)
	c := newClient(t)
	post(t, c, e.srv.URL+"/lang", url.Values{"lang": {"ja"}}, nil) // a session exists before signing in
	before := sessionCookie(c, e.srv.URL)
	if before == "" {
		t.Fatal("no session before sign-in")
	}
	post(t, c, e.srv.URL+"/login", signInForm("tanaka", testPassword), nil)
	after := sessionCookie(c, e.srv.URL)
	if after == "" || after == before {
		t.Fatalf("session id not renewed at sign-in: %q → %q", before, after)
	}
	if res, _ := get(t, withCookie(t, e.srv.URL, before), e.srv.URL+"/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the pre-sign-in session id reaches the home page: %d", res.StatusCode)
	}

	res, _ := post(t, c, e.srv.URL+"/logout", nil, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	// The old cookie, replayed, is worthless: the session is gone from the server.
	if res, _ := get(t, withCookie(t, e.srv.URL, after), e.srv.URL+"/"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Errorf("old cookie after logout: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := e.auditActions(t); got[len(got)-1] != "auth.logout" {
		t.Errorf("audit trail ends with %v", got[len(got)-3:])
	}
}

func TestIdleAndAbsoluteSessionExpiry(t *testing.T) {
	idle := newEnv(t, func(c *server.Config) { c.SessionIdle = 30 * time.Minute })
	unit := idle.createUnit(t, "110", "税務課")
	idle.createUser(t, "tanaka", isms.RoleStaff, unit.ID, false)
	c := idle.signIn(t, "tanaka", testPassword, "")
	// Requests 20 minutes apart keep the session going well past 30 minutes.
	for i := range 3 {
		if res, _ := get(t, c, idle.srv.URL+"/"); res.StatusCode != http.StatusOK {
			t.Fatalf("request %d, %d minutes after signing in: %d", i+1, 20*i, res.StatusCode)
		}
		idle.clock.Advance(20 * time.Minute)
	}
	idle.clock.Advance(10*time.Minute + time.Second)
	if res, _ := get(t, c, idle.srv.URL+"/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after 30 minutes without a request: %d, want a redirect to sign in", res.StatusCode)
	}

	absolute := newEnv(t, func(c *server.Config) { c.SessionLifetime = 2 * time.Second })
	unit = absolute.createUnit(t, "110", "税務課")
	absolute.createUser(t, "tanaka", isms.RoleStaff, unit.ID, false)
	c = absolute.signIn(t, "tanaka", testPassword, "")
	for range 3 { // busy all along: the idle timeout never strikes
		time.Sleep(500 * time.Millisecond)
		if res, _ := get(t, c, absolute.srv.URL+"/"); res.StatusCode != http.StatusOK {
			t.Fatalf("within the lifetime: %d", res.StatusCode)
		}
	}
	time.Sleep(700 * time.Millisecond)
	if res, _ := get(t, c, absolute.srv.URL+"/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after the absolute lifetime: %d, want a redirect to sign in", res.StatusCode)
	}
}

// A person enrols from their profile, then signs in with a code, with a recovery code, and is
// refused a code used before.
func TestMFAEnrolmentAndSignIn(t *testing.T) {
	e := newEnv(t)
	unit := e.createUnit(t, "110", "税務課")
	e.createUser(t, "tanaka", isms.RoleStaff, unit.ID, false)
	c := e.signIn(t, "tanaka", testPassword, "")

	_, body := get(t, c, e.srv.URL+"/profile/mfa")
	secret := between(body, `data-testid="totp-secret">`, "<")
	if len(secret) < 16 || !strings.Contains(body, `src="data:image/png;base64,`) {
		t.Fatalf("enrolment page lacks the secret or the QR code")
	}
	res, body := post(t, c, e.srv.URL+"/profile/mfa", url.Values{"code": {"000000"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "確認コードが正しくありません") {
		t.Fatalf("wrong confirming code: %d", res.StatusCode)
	}
	code, _ := auth.TOTPCode(secret, e.clock.Now())
	if res, _ := post(t, c, e.srv.URL+"/profile/mfa", url.Values{"code": {code}}, nil); res.Header.Get("Location") != "/profile/recovery-codes" {
		t.Fatalf("enrolment: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, c, e.srv.URL+"/profile/recovery-codes")
	codes := strings.Split(between(body, `data-testid="recovery-codes">`, "</ol>"), "<code>")[1:]
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10", len(codes))
	}
	recovery := strings.Split(codes[0], "<")[0]
	if res, _ := get(t, c, e.srv.URL+"/profile/recovery-codes"); res.StatusCode != http.StatusSeeOther {
		t.Error("recovery codes shown a second time")
	}

	// The code that confirmed enrolment cannot sign in.
	c2 := newClient(t)
	post(t, c2, e.srv.URL+"/login", signInForm("tanaka", testPassword), nil)
	if res, _ := post(t, c2, e.srv.URL+"/login/mfa", url.Values{"code": {code}}, nil); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("enrolment code reused: %d", res.StatusCode)
	}
	// A code of the next step works once, and not twice.
	e.clock.Advance(30 * time.Second)
	code, _ = auth.TOTPCode(secret, e.clock.Now())
	if res, _ := post(t, c2, e.srv.URL+"/login/mfa", url.Values{"code": {code}}, nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("sign-in with TOTP: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	c3 := newClient(t)
	post(t, c3, e.srv.URL+"/login", signInForm("tanaka", testPassword), nil)
	if res, body := post(t, c3, e.srv.URL+"/login/mfa", url.Values{"code": {code}}, nil); res.StatusCode != http.StatusUnauthorized ||
		!strings.Contains(body, "既に使用されています") {
		t.Errorf("TOTP code reused: %d", res.StatusCode)
	}
	// A recovery code works once.
	if res, _ := post(t, c3, e.srv.URL+"/login/mfa", url.Values{"code": {strings.ToUpper(recovery)}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in with a recovery code: %d", res.StatusCode)
	}
	c4 := newClient(t)
	post(t, c4, e.srv.URL+"/login", signInForm("tanaka", testPassword), nil)
	if res, _ := post(t, c4, e.srv.URL+"/login/mfa", url.Values{"code": {recovery}}, nil); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("recovery code reused: %d", res.StatusCode)
	}
	// Without the second step there is no access.
	if res, _ := get(t, c4, e.srv.URL+"/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("home with only the password: %d", res.StatusCode)
	}
	got := e.auditActions(t)
	for _, want := range []string{"user.enrol_mfa", "auth.login", "auth.login_failed"} {
		if !slices.Contains(got, want) {
			t.Errorf("audit trail lacks %s: %v", want, got)
		}
	}
}

// The roles named in the settings must enrol before they get in; other roles need not.
func TestMFARequiredForConfiguredRoles(t *testing.T) {
	e := newEnv(t)
	e.createUser(t, "sato", isms.RoleSecurityOffice, 0, false)
	c := newClient(t)
	res, _ := post(t, c, e.srv.URL+"/login", signInForm("sato", testPassword), nil)
	if res.Header.Get("Location") != "/login/mfa/setup" {
		t.Fatalf("security office without MFA goes to %q, want /login/mfa/setup", res.Header.Get("Location"))
	}
	if res, _ := get(t, c, e.srv.URL+"/"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Errorf("home before enrolling: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body := get(t, c, e.srv.URL+"/login/mfa/setup")
	secret := between(body, `data-testid="totp-secret">`, "<")
	code, _ := auth.TOTPCode(secret, e.clock.Now())
	res, _ = post(t, c, e.srv.URL+"/login/mfa/setup", url.Values{"code": {code}}, nil)
	if res.Header.Get("Location") != "/profile/recovery-codes" {
		t.Fatalf("forced enrolment: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := get(t, c, e.srv.URL+"/"); res.StatusCode != http.StatusOK {
		t.Errorf("home after enrolling: %d", res.StatusCode)
	}

	// Once the setting no longer names the role, a new member signs in with the password alone.
	admin, _ := e.loginAs(t, "admin", isms.RoleSystemAdmin, 0)
	res, _ = post(t, admin, e.srv.URL+"/admin/settings", url.Values{"mfa_roles": {"system_admin", "ciso"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("settings: %d", res.StatusCode)
	}
	e.createUser(t, "ito", isms.RoleSecurityOffice, 0, false)
	if res, _ := post(t, newClient(t), e.srv.URL+"/login", signInForm("ito", testPassword), nil); res.Header.Get("Location") != "/" {
		t.Errorf("security office after the setting changed goes to %q, want /", res.Header.Get("Location"))
	}
}

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	before, _, _ := strings.Cut(after, to)
	return before
}
