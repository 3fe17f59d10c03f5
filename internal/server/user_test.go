package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// adminRoutes are every administration page and form, with a form that would be valid.
func adminRoutes(userID int64) []struct {
	method, path string
	form         url.Values
} {
	id := itoa(userID)
	return []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/admin/users", nil},
		{"GET", "/admin/users/new", nil},
		{"POST", "/admin/users", url.Values{"login_id": {"new1"}, "name": {"新人"}, "role": {"auditor"}, "lang": {"ja"}, "date_style": {"seireki"}}},
		{"GET", "/admin/users/" + id, nil},
		{"GET", "/admin/users/" + id + "/edit", nil},
		{"POST", "/admin/users/" + id, url.Values{"login_id": {"target"}, "name": {"対象"}, "role": {"auditor"}, "lang": {"ja"}, "date_style": {"seireki"}}},
		{"POST", "/admin/users/" + id + "/actions", url.Values{"action": {"reset_password"}}},
		{"GET", "/admin/settings", nil},
		{"POST", "/admin/settings", url.Values{"mfa_roles": {"system_admin"}}},
	}
}

func do(t *testing.T, c *http.Client, base, method, path string, form url.Values, headers map[string]string) *http.Response {
	t.Helper()
	if method == "GET" {
		res, _ := get(t, c, base+path)
		return res
	}
	res, _ := post(t, c, base+path, form, headers)
	return res
}

// Every role against every administration route: only system administrators get through.
func TestAdminRoutesRoleGates(t *testing.T) {
	e := newEnv(t)
	unit := e.createUnit(t, "110", "税務課")
	target, _ := e.createUser(t, "target", isms.RoleAuditor, 0, false)
	for _, role := range isms.Roles {
		c, _ := e.loginAs(t, "as-"+string(role), role, unit.ID)
		for _, rt := range adminRoutes(target.ID) {
			res := do(t, c, e.srv.URL, rt.method, rt.path, rt.form, nil)
			allowed := res.StatusCode == http.StatusOK || res.StatusCode == http.StatusSeeOther
			if want := role == isms.RoleSystemAdmin; allowed != want || (!want && res.StatusCode != http.StatusForbidden) {
				t.Errorf("%s %s as %s: %d", rt.method, rt.path, role, res.StatusCode)
			}
		}
	}
	// Signed out, the pages ask for sign-in.
	res, _ := get(t, newClient(t), e.srv.URL+"/admin/users")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
		t.Errorf("signed out: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// A cross-origin POST to sign-in and to every administration form is refused before it acts.
func TestCrossOriginPostsToForms(t *testing.T) {
	e := newEnv(t)
	target, _ := e.createUser(t, "target", isms.RoleAuditor, 0, false)
	admin, _ := e.loginAs(t, "admin", isms.RoleSystemAdmin, 0)
	cross := map[string]string{"Sec-Fetch-Site": "cross-site"}
	if res, _ := post(t, newClient(t), e.srv.URL+"/login", signInForm("target", testPassword), cross); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin sign-in: %d", res.StatusCode)
	}
	for _, rt := range adminRoutes(target.ID) {
		if rt.method != "POST" {
			continue
		}
		if res := do(t, admin, e.srv.URL, rt.method, rt.path, rt.form, cross); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin POST %s: %d", rt.path, res.StatusCode)
		}
	}
	if n, _ := e.db.CountUsers(context.Background()); n != 2 {
		t.Errorf("%d accounts after refused requests, want 2", n)
	}
}

func TestAdministratorManagesAccounts(t *testing.T) {
	e := newEnv(t)
	unit := e.createUnit(t, "110", "税務課")
	admin, _ := e.loginAs(t, "admin", isms.RoleSystemAdmin, 0)

	// A refused form keeps what was typed and says what is wrong beside the field.
	bad := url.Values{"login_id": {"ab cd"}, "name": {"山田 太郎"}, "name_kana": {"yamada"}, "role": {"staff"}, "lang": {"ja"}, "date_style": {"seireki"}}
	res, body := post(t, admin, e.srv.URL+"/admin/users", bad, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="山田 太郎"`) ||
		!strings.Contains(body, "カタカナまたはひらがなで入力してください") || !strings.Contains(body, "職員には所属を指定してください") ||
		!strings.Contains(body, `aria-invalid="true"`) {
		t.Fatalf("invalid form: %d", res.StatusCode)
	}

	good := url.Values{"login_id": {"yamada"}, "name": {"山田 太郎"}, "name_kana": {"ヤマダ タロウ"}, "email": {"yamada@town.example"},
		"role": {"staff"}, "unit_id": {itoa(unit.ID)}, "lang": {"ja"}, "date_style": {"wareki"}}
	res, _ = post(t, admin, e.srv.URL+"/admin/users", good, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	page := res.Header.Get("Location")
	_, body = get(t, admin, e.srv.URL+page)
	password := between(body, `data-testid="one-time-password">`, "<")
	if len(password) != 19 || !strings.Contains(body, "利用者を登録しました") {
		t.Fatalf("one-time password %q not shown", password)
	}
	if _, again := get(t, admin, e.srv.URL+page); strings.Contains(again, password) {
		t.Error("the one-time password is shown a second time")
	}
	if res, _ := post(t, admin, e.srv.URL+"/admin/users", good, nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("duplicate login id: %d", res.StatusCode)
	}

	// The new person must change the one-time password before anything else.
	yamada := newClient(t)
	post(t, yamada, e.srv.URL+"/login", signInForm("yamada", password), nil)
	if res, _ := get(t, yamada, e.srv.URL+"/"); res.Header.Get("Location") != "/profile/password" {
		t.Fatalf("first sign-in goes to %q, want /profile/password", res.Header.Get("Location"))
	}
	weak := url.Values{"current": {password}, "new": {"yamada-12345678"}, "confirm": {"yamada-12345678"}}
	if res, body := post(t, yamada, e.srv.URL+"/profile/password", weak, nil); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "ログインIDを含むパスワードは使えません") {
		t.Fatalf("weak password: %d", res.StatusCode)
	}
	change := url.Values{"current": {password}, "new": {"町の情報資産を守る合言葉"}, "confirm": {"町の情報資産を守る合言葉"}}
	if res, _ := post(t, yamada, e.srv.URL+"/profile/password", change, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("password change: %d", res.StatusCode)
	}
	if res, body := get(t, yamada, e.srv.URL+"/"); res.StatusCode != http.StatusOK || !strings.Contains(body, "令和8年11月25日") {
		t.Errorf("home after the change (和暦 chosen by the administrator): %d", res.StatusCode)
	}

	// An edit from a stale form reports a conflict and keeps what was typed.
	id := strings.TrimPrefix(page, "/admin/users/")
	stale := url.Values{"login_id": {"yamada"}, "name": {"山田 次郎"}, "name_kana": {"ヤマダ ジロウ"}, "role": {"staff"},
		"unit_id": {itoa(unit.ID)}, "lang": {"ja"}, "date_style": {"wareki"}, "version": {"1"}}
	if res, body := post(t, admin, e.srv.URL+"/admin/users/"+id, stale, nil); res.StatusCode != http.StatusConflict || !strings.Contains(body, `value="山田 次郎"`) {
		t.Errorf("stale edit: %d", res.StatusCode)
	}

	// Suspending the account ends its session at once.
	_, body = get(t, admin, e.srv.URL+"/admin/users/"+id)
	version := between(body, `name="version" value="`, `"`)
	if res, _ := post(t, admin, e.srv.URL+"/admin/users/"+id+"/actions", url.Values{"action": {"suspend"}, "version": {version}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("suspend: %d", res.StatusCode)
	}
	if res, _ := get(t, yamada, e.srv.URL+"/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("suspended person still signed in: %d", res.StatusCode)
	}
	if res, _ := post(t, newClient(t), e.srv.URL+"/login", signInForm("yamada", "町の情報資産を守る合言葉"), nil); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("suspended person signs in: %d", res.StatusCode)
	}

	// Filtering the list by status finds them.
	_, body = get(t, admin, e.srv.URL+"/admin/users?status=suspended")
	if rows := between(body, "<tbody>", "</tbody>"); !strings.Contains(rows, "山田 太郎") || strings.Contains(rows, "試験 admin") {
		t.Error("status filter")
	}
	got := e.auditActions(t)
	for _, want := range []string{"user.create", "user.change_password", "user.suspend"} {
		if !slices.Contains(got, want) {
			t.Errorf("audit trail lacks %s", want)
		}
	}
}
