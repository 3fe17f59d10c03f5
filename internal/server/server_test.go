package server_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/pglocal"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// A newcomer who opens the portal lands on the Japanese sign-in page; once signed in, the home
// page greets them with today's date and the fiscal year.
func TestLandingPageAndHome(t *testing.T) {
	e := newEnv(t)
	c := newClient(t)
	res, _ := get(t, c, e.srv.URL+"/")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("/ for a visitor: %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
	}
	res, body := get(t, c, e.srv.URL+"/login")
	for _, want := range []string{`<html lang="ja">`, "<title>ログイン | 情報セキュリティ管理ポータル</title>", "本文へスキップ", `for="login_id"`, `for="password"`} {
		if !strings.Contains(body, want) {
			t.Errorf("sign-in page lacks %q", want)
		}
	}
	unit := e.createUnit(t, "110", "税務課")
	c, _ = e.loginAs(t, "tanaka", isms.RoleStaff, unit.ID)
	res, body = get(t, c, e.srv.URL+"/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("home: %d", res.StatusCode)
	}
	for _, want := range []string{"試験 tanaka さん、こんにちは", "2026年11月25日", "2026年度", "職員", `href="/units/` + itoa(unit.ID) + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	srv := newTestServer(t)
	c := newClient(t)
	for _, path := range []string{"/login", "/healthz", "/static/app.css", "/no-such-page"} {
		res, _ := get(t, c, srv.URL+path)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") ||
			strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		for name, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "same-origin",
			"X-Frame-Options":        "DENY",
		} {
			if got := h.Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", path, name, got, want)
			}
		}
		if !strings.Contains(h.Get("Permissions-Policy"), "camera=()") {
			t.Errorf("%s: Permissions-Policy %q", path, h.Get("Permissions-Policy"))
		}
		if len(h.Get("X-Request-Id")) != 16 {
			t.Errorf("%s: X-Request-Id %q", path, h.Get("X-Request-Id"))
		}
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	srv := newTestServer(t)
	c := newClient(t)
	form := url.Values{"lang": {"en"}, "next": {"/"}}
	for name, headers := range map[string]map[string]string{
		"fetch metadata cross-site": {"Sec-Fetch-Site": "cross-site"},
		"other origin, no metadata": {"Sec-Fetch-Site": "", "Origin": "https://evil.example"},
	} {
		res, body := post(t, c, srv.URL+"/lang", form, headers)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "アクセスできません") {
			t.Errorf("%s: status %d, want 403 with the Japanese page", name, res.StatusCode)
		}
	}
	// The refused requests changed nothing: the page is still Japanese.
	if _, body := get(t, c, srv.URL+"/login"); !strings.Contains(body, `lang="ja"`) {
		t.Error("a refused cross-origin POST changed the language")
	}
}

func TestLanguageSwitch(t *testing.T) {
	srv := newTestServer(t)
	c := newClient(t)
	res, _ := post(t, c, srv.URL+"/lang", url.Values{"lang": {"en"}, "next": {"/no-such-page?x=1"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/no-such-page?x=1" {
		t.Fatalf("switch: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, body := get(t, c, srv.URL+"/no-such-page")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") || !strings.Contains(body, `<html lang="en">`) {
		t.Errorf("404 after switching to English: %d %q", res.StatusCode, body)
	}
	_, body = get(t, c, srv.URL+"/login")
	if !strings.Contains(body, "<title>Sign in | ISMS Portal</title>") {
		t.Error("sign-in page not in English after the switch")
	}
	// Another browser (no session) still gets Japanese.
	if _, body := get(t, newClient(t), srv.URL+"/login"); !strings.Contains(body, "ログイン") {
		t.Error("language leaked to another session")
	}
}

func TestLanguageSwitchRefusesForeignRedirectAndUnknownLanguage(t *testing.T) {
	srv := newTestServer(t)
	c := newClient(t)
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		res, _ := post(t, c, srv.URL+"/lang", url.Values{"lang": {"ja"}, "next": {next}}, nil)
		if got := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || got != "/" {
			t.Errorf("next=%q: %d to %q, want 303 to /", next, res.StatusCode, got)
		}
	}
	res, body := post(t, c, srv.URL+"/lang", url.Values{"lang": {"fr"}}, nil)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "不正な要求") {
		t.Errorf("unknown language: %d", res.StatusCode)
	}
}

func TestNotFoundAndMethodNotAllowedAreLocalised(t *testing.T) {
	srv := newTestServer(t)
	c := newClient(t)
	res, body := get(t, c, srv.URL+"/no/such/page")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "ページが見つかりません") || !strings.Contains(body, `href="/"`) {
		t.Errorf("404: %d", res.StatusCode)
	}
	res, body = get(t, c, srv.URL+"/lang") // POST-only route
	if res.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(body, "許可されていない操作") {
		t.Errorf("405: %d", res.StatusCode)
	}
}

func TestOversizedBodyRefused(t *testing.T) {
	srv := newTestServer(t)
	big := url.Values{"lang": {"en"}, "next": {"/" + strings.Repeat("a", 2<<20)}}
	res, body := post(t, newClient(t), srv.URL+"/lang", big, nil)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "データが大きすぎます") {
		t.Errorf("status %d, want 413 with the Japanese page", res.StatusCode)
	}
}

func TestStaticFiles(t *testing.T) {
	srv := newTestServer(t)
	res, body := get(t, newClient(t), srv.URL+"/static/app.css")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") || !strings.Contains(body, ":focus-visible") {
		t.Errorf("app.css: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res, _ := get(t, newClient(t), srv.URL+"/static/print.css"); res.StatusCode != http.StatusOK {
		t.Errorf("print.css: %d", res.StatusCode)
	}
}

// TestHealthz runs the portal on a cluster of its own, then stops that cluster under it: the probe
// must turn from 200 to 503, and pages must say the database is unreachable.
func TestHealthz(t *testing.T) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "isms-healthz-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755) // the server user must enter it when tests run as root
	cluster, err := pglocal.Start(ctx, pglocal.Options{DataDir: dir + "/pgdata", Throwaway: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Stop()
	dbURL := cluster.URL("postgres")
	if _, _, err := postgres.Migrate(ctx, dbURL, 0); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := serveDB(t, db).srv
	c := newClient(t)

	if res, body := get(t, c, srv.URL+"/healthz"); res.StatusCode != http.StatusOK || body != "ok\n" {
		t.Fatalf("database up: %d %q", res.StatusCode, body)
	}
	if res, _ := post(t, c, srv.URL+"/lang", url.Values{"lang": {"ja"}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("starting a session: %d", res.StatusCode)
	}
	cluster.Stop()
	if res, _ := get(t, c, srv.URL+"/healthz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("database down: %d, want 503", res.StatusCode)
	}
	// A page needs its session from the database: it fails with a clear 503, not a blank 500.
	// (The 503 page cannot read the reader's language from the session, so it is in Japanese.)
	if res, body := get(t, c, srv.URL+"/"); res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "データベースに接続できません") {
		t.Errorf("page with database down: %d", res.StatusCode)
	}
}
