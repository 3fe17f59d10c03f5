package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// eventRows returns the audit events a page lists: the action code of each row, newest first.
func eventRows(body string) []string {
	var actions []string
	for _, m := range regexp.MustCompile(`<tr id="event-\d+"><th scope="row">.*?</th><td>[^<]*</td><td data-action="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		actions = append(actions, m[1])
	}
	return actions
}

// eventActors returns who acted in each row a page lists.
func eventActors(body string) []string {
	var actors []string
	for _, m := range regexp.MustCompile(`<tr id="event-\d+"><th scope="row">.*?</th><td>([^<]*)</td>`).FindAllStringSubmatch(body, -1) {
		actors = append(actors, html.UnescapeString(m[1]))
	}
	return actors
}

func TestAuditTrailAccessByRole(t *testing.T) {
	e := newEnv(t)
	unit := e.createUnit(t, "110", "税務課")
	for _, tt := range []struct {
		role isms.Role
		want int
	}{
		{isms.RoleSecurityOffice, http.StatusOK},
		{isms.RoleCISO, http.StatusOK},
		{isms.RoleAuditor, http.StatusOK},
		{isms.RoleStaff, http.StatusForbidden},
		{isms.RoleSystemAdmin, http.StatusForbidden},
	} {
		c, _ := e.loginAs(t, "u-"+string(tt.role), tt.role, unit.ID)
		res, body := get(t, c, e.srv.URL+"/audit")
		if res.StatusCode != tt.want {
			t.Errorf("%s: status %d, want %d", tt.role, res.StatusCode, tt.want)
		}
		if tt.want == http.StatusOK && !strings.Contains(body, "<h1>監査証跡</h1>") {
			t.Errorf("%s: the page has no heading", tt.role)
		}
		if tt.want == http.StatusForbidden && strings.Contains(body, "event-") {
			t.Errorf("%s: a refused page lists events", tt.role)
		}
	}
	res, _ := get(t, newClient(t), e.srv.URL+"/audit")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("signed out: %d to %q, want a redirect to /login", res.StatusCode, res.Header.Get("Location"))
	}
}

// A failed sign-in through the real page shows in the trail with its Japanese label, its request
// reference and the client's address; the filters narrow the list to what they name.
func TestAuditTrailListsAndFiltersEvents(t *testing.T) {
	e := newEnv(t)
	unit := e.createUnit(t, "110", "税務課")
	e.createUser(t, "tanaka", isms.RoleStaff, unit.ID, false)
	c, _ := e.loginAs(t, "kansa", isms.RoleAuditor, 0)

	res, _ := post(t, newClient(t), e.srv.URL+"/login", url.Values{"login_id": {"Tanaka"}, "password": {"not the password"}}, nil)
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: status %d", res.StatusCode)
	}
	requestID := res.Header.Get("X-Request-Id")

	res, body := get(t, c, e.srv.URL+"/audit")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{
		`<td data-action="auth.login_failed">ログイン失敗</td>`,
		"<code>" + requestID + "</code>",
		"<td>127.0.0.1</td>",
		"<td>利用者 ", // the record: the kind and the number
		`<th scope="row">reason</th><td></td><td>wrong_password</td>`,
		`<th scope="col">日時</th>`, `<th scope="col">変更内容</th>`, "<caption>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the trail lacks %q", want)
		}
	}
	if !regexp.MustCompile(`<time datetime="[^"]+\+09:00">\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}</time>`).MatchString(body) {
		t.Error("the time is not shown in the reader's date style, in Japan time")
	}
	all := eventRows(body)
	if len(all) < 4 || all[0] != "auth.login_failed" {
		t.Fatalf("rows %v: want the failed sign-in first among several", all)
	}

	_, body = get(t, c, e.srv.URL+"/audit?action=auth.login_failed")
	if rows := eventRows(body); len(rows) != 1 || rows[0] != "auth.login_failed" {
		t.Errorf("by action: rows %v, want just the failed sign-in", rows)
	}
	if !strings.Contains(body, `<option value="auth.login_failed" selected>ログイン失敗</option>`) {
		t.Error("the action filter does not show its choice")
	}

	_, body = get(t, c, e.srv.URL+"/audit?actor=TANAKA")
	actors := eventActors(body)
	if len(actors) == 0 || len(actors) >= len(all) {
		t.Errorf("by actor: %d rows of %d", len(actors), len(all))
	}
	for _, a := range actors {
		if !strings.EqualFold(a, "tanaka") {
			t.Errorf("by actor: a row by %q", a)
		}
	}
	if !strings.Contains(body, `value="TANAKA"`) {
		t.Error("the actor filter does not keep what was typed")
	}

	_, body = get(t, c, e.srv.URL+"/audit?actor=tanaka&action=user.create")
	if rows := eventRows(body); len(rows) != 0 || !strings.Contains(body, "条件に合う記録はありません。") {
		t.Errorf("nothing matching: rows %v", rows)
	}
}

func TestAuditTrailRefusesBadDate(t *testing.T) {
	e := newEnv(t)
	c, _ := e.loginAs(t, "kansa", isms.RoleAuditor, 0)
	res, body := get(t, c, e.srv.URL+"/audit?actor=tanaka&from=2026-13-45")
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	for _, want := range []string{
		`<p class="field-error" id="from-error">日付は 2026-04-01 のように年-月-日で入力してください。</p>`,
		`value="2026-13-45"`, `aria-invalid="true"`, `aria-describedby="from-error"`, `value="tanaka"`,
		`role="alert"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("refused page lacks %q", want)
		}
	}
	if rows := eventRows(body); len(rows) != 0 {
		t.Errorf("refused page lists %v", rows)
	}

	res, body = get(t, c, e.srv.URL+"/audit?from=2026-04-02&to=2026-04-01")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="to-error"`) {
		t.Errorf("reversed range: status %d", res.StatusCode)
	}
	res, body = get(t, c, e.srv.URL+"/audit?entity_id=5")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="entity_type-error"`) {
		t.Errorf("record number alone: status %d", res.StatusCode)
	}
}

// An account's change shows field by field, before and after.
func TestAuditTrailShowsWhatChanged(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	unit := e.createUnit(t, "110", "税務課")
	u, _ := e.createUser(t, "sato", isms.RoleStaff, unit.ID, false)
	if _, err := e.db.UpdateUser(ctx, system, u.ID, isms.UserInput{
		LoginID: "sato", Name: "佐藤 花子", NameKana: "サトウ ハナコ", Lang: "ja", DateStyle: "wareki", Role: isms.RoleStaff, UnitID: unit.ID,
	}); err != nil {
		t.Fatal(err)
	}
	c, _ := e.loginAs(t, "kansa", isms.RoleCISO, 0)
	_, body := get(t, c, e.srv.URL+"/audit?action=user.update&entity_type=user&entity_id="+itoa(u.ID))
	if rows := eventRows(body); len(rows) != 1 {
		t.Fatalf("rows %v, want the one update", rows)
	}
	for _, want := range []string{
		`<th scope="row">name</th><td>試験 sato</td><td>佐藤 花子</td>`,
		`<th scope="row">date_style</th><td>seireki</td><td>wareki</td>`,
		`<td data-action="user.update">利用者情報の変更</td>`,
		`<td>system:test</td>`,
		"条件: 操作: 利用者情報の変更 / 対象: 利用者 " + itoa(u.ID),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the change lacks %q", want)
		}
	}
	if strings.Contains(body, `<th scope="row">login_id</th>`) {
		t.Error("an unchanged field is listed")
	}
}

// The next page continues below the last row shown and keeps the filter.
func TestAuditTrailNextPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	unit := e.createUnit(t, "110", "税務課")
	u, _ := e.createUser(t, "sato", isms.RoleStaff, unit.ID, false)
	for i := range 55 {
		if _, err := e.db.UpdateUser(ctx, system, u.ID, isms.UserInput{
			LoginID: "sato", Name: "佐藤 " + itoa(int64(i)), Lang: "ja", DateStyle: "seireki", Role: isms.RoleStaff, UnitID: unit.ID,
		}); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := e.loginAs(t, "kansa", isms.RoleSecurityOffice, 0)
	_, body := get(t, c, e.srv.URL+"/audit?action=user.update")
	if rows := eventRows(body); len(rows) != 50 {
		t.Fatalf("first page: %d rows, want 50", len(rows))
	}
	m := regexp.MustCompile(`<a href="([^"]+)" rel="next">次のページ</a>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no next page link")
	}
	next := html.UnescapeString(m[1])
	if !strings.HasPrefix(next, "/audit?") || !strings.Contains(next, "action=user.update") || !strings.Contains(next, "before=") {
		t.Errorf("next page link %q", next)
	}
	_, body = get(t, c, e.srv.URL+next)
	if rows := eventRows(body); len(rows) != 5 || strings.Contains(body, `rel="next"`) {
		t.Errorf("second page: %v; want the 5 oldest updates and no further page", rows)
	}
	if !strings.Contains(body, `<td>佐藤 0</td>`) {
		t.Error("the second page lacks the oldest update")
	}
}
