package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The security office assigns a role from the person's page: a per-unit role without a unit and a
// town-wide role with one are refused beside the unit field, keeping what was typed; a valid one
// (as 代理) brings them back to the person's page, which shows it with its period.
func TestAssignRoleFromPersonPage(t *testing.T) {
	e := newEnv(t)
	tax := e.createUnit(t, "110", "税務課")
	office, _ := e.loginAs(t, "sato", isms.RoleSecurityOffice, 0)
	p := e.personFixture(t, "A1", "田中 一郎", "タナカ イチロウ", tax.ID, "2024-04-01")
	page := "/people/" + itoa(p.ID)

	res, body := get(t, office, e.srv.URL+"/assignments/new?person="+itoa(p.ID)+"&role=ISM_SECTION")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("form: %d", res.StatusCode)
	}
	personWant(t, "form", body, `<option value="`+itoa(p.ID)+`" selected>田中 一郎 (税務課) A1</option>`,
		`<option value="ISM_SECTION" selected>情報セキュリティ管理者 (所属ごと)</option>`,
		`<option value="CISO">最高情報セキュリティ責任者 (全庁)</option>`,
		`<option value="0" selected>全庁 (所属を指定しない)</option>`, `<label for="acting">代理</label>`, `value="2026-11-25"`)

	form := url.Values{"person_id": {itoa(p.ID)}, "role_code": {"ISM_SECTION"}, "unit_id": {"0"}, "valid_from": {"2026-04-01"},
		"acting": {"1"}, "note": {"課長不在のため"}}
	res, body = post(t, office, e.srv.URL+"/assignments", form, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("per-unit role without a unit: %d", res.StatusCode)
	}
	if got := personFieldError(body, "unit_id"); got != "この役割は所属ごとに置く役割です。対象の所属を選んでください。" {
		t.Errorf("unit message %q", got)
	}
	personWant(t, "refused form", body, ">課長不在のため</textarea>", `value="2026-04-01"`, `id="acting" name="acting" value="1" checked`,
		`<option value="ISM_SECTION" selected>`, `aria-invalid="true"`)

	town := url.Values{"person_id": {itoa(p.ID)}, "role_code": {"CISO"}, "unit_id": {itoa(tax.ID)}, "valid_from": {"2026-04-01"}}
	if res, body := post(t, office, e.srv.URL+"/assignments", town, nil); res.StatusCode != http.StatusUnprocessableEntity ||
		personFieldError(body, "unit_id") != "この役割は全庁で置く役割です。対象の所属は「全庁」のままにしてください。" {
		t.Errorf("town-wide role with a unit: %d", res.StatusCode)
	}
	early := url.Values{"person_id": {itoa(p.ID)}, "role_code": {"CISO"}, "unit_id": {"0"}, "valid_from": {"2019-04-01"}, "valid_to": {"2019-03-31"}}
	if res, body := post(t, office, e.srv.URL+"/assignments", early, nil); res.StatusCode != http.StatusUnprocessableEntity ||
		personFieldError(body, "valid_to") != "終了日は開始日と同じ日か、それより後の日にしてください。" {
		t.Errorf("period backwards: %d %q", res.StatusCode, personFieldError(body, "valid_to"))
	}
	early.Del("valid_to")
	if res, body := post(t, office, e.srv.URL+"/assignments", early, nil); res.StatusCode != http.StatusUnprocessableEntity ||
		personFieldError(body, "person_id") != "開始日にこの職員等は在職していません。" {
		t.Errorf("before service: %d %q", res.StatusCode, personFieldError(body, "person_id"))
	}

	form.Set("unit_id", itoa(tax.ID))
	res, _ = post(t, office, e.srv.URL+"/assignments", form, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page {
		t.Fatalf("assign: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, office, e.srv.URL+page)
	personWant(t, "person page", body, "役割を割り当てました。")
	current := between(body, `<section aria-labelledby="roles-current-h" id="roles-current">`, "</section>")
	personWant(t, "current roles", current, "情報セキュリティ管理者", `<span class="badge acting">代理</span>`,
		`<a href="/units/`+itoa(tax.ID)+`">税務課</a>`, "2026年4月1日 〜", "在任中", "課長不在のため")
	if got := e.auditActions(t); !strings.Contains(strings.Join(got, " "), "assignment.create") {
		t.Errorf("audit trail: %v", got)
	}
}

// An assignment holds on its dates only: one from 2027-04-01 is shown as upcoming and grants
// nothing on the test day (2026-11-25); one ended yesterday moves to the person's past roles.
func TestAssignmentValidityByDate(t *testing.T) {
	e := newEnv(t)
	tax := e.createUnit(t, "110", "税務課")
	life := e.createUnit(t, "120", "住民生活課")
	office, _ := e.loginAs(t, "sato", isms.RoleSecurityOffice, 0)
	staff, account := e.loginAs(t, "tanaka", isms.RoleStaff, tax.ID)
	p := e.personFixture(t, "A1", "田中 一郎", "タナカ イチロウ", tax.ID, "2024-04-01")
	if err := e.db.LinkPersonUser(context.Background(), system, p.ID, account.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	page := "/people/" + itoa(p.ID)

	// 情報システム管理者 of 住民生活課 from next April: not yet.
	upcoming := url.Values{"person_id": {itoa(p.ID)}, "role_code": {"SYS_ADMIN"}, "unit_id": {itoa(life.ID)}, "valid_from": {"2027-04-01"}}
	if res, _ := post(t, office, e.srv.URL+"/assignments", upcoming, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upcoming: %d", res.StatusCode)
	}
	if res, _ := get(t, staff, e.srv.URL+"/units/"+itoa(life.ID)); res.StatusCode != http.StatusNotFound {
		t.Errorf("an assignment from 2027-04-01 grants 住民生活課 on 2026-11-25: %d", res.StatusCode)
	}

	// CSIRT要員 since last year, ended yesterday through the form.
	csirt := e.assignFixture(t, p.ID, "CSIRT_MEMBER", 0, "2025-04-01", "")
	edit := "/assignments/" + itoa(csirt.ID)
	_, body := get(t, office, e.srv.URL+edit+"/edit")
	personWant(t, "edit form", body, "CSIRT要員", `<label for="last_day">最終日</label>`, `value="2025-04-01"`)
	version := formVersion(body)
	res, body := post(t, office, e.srv.URL+edit+"/end", url.Values{"last_day": {"2025-03-31"}, "version": {version}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || personFieldError(body, "last_day") != "終了日は開始日と同じ日か、それより後の日にしてください。" {
		t.Errorf("ending before the start: %d %q", res.StatusCode, personFieldError(body, "last_day"))
	}
	res, _ = post(t, office, e.srv.URL+edit+"/end", url.Values{"last_day": {"2026-11-24"}, "version": {version}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page {
		t.Fatalf("end: %d", res.StatusCode)
	}

	_, body = get(t, staff, e.srv.URL+page)
	current := between(body, `id="roles-current">`, "</section>")
	past := between(body, `id="roles-past">`, "</section>")
	personWant(t, "current and upcoming roles", current, "情報システム管理者", "2027年4月1日 〜", "予定")
	personWant(t, "past roles", past, "CSIRT要員", "2025年4月1日 〜 2026年11月24日", "終了")
	if strings.Contains(current, "CSIRT要員") || strings.Contains(past, "情報システム管理者") || strings.Contains(current, "在任中") {
		t.Error("roles in the wrong section")
	}
	if strings.Contains(body, "/assignments/") {
		t.Error("staff see the links to correct assignments")
	}
}

// A correction from a stale form is refused with the conflict message; the first stays.
func TestAssignmentConcurrentEdits(t *testing.T) {
	e := newEnv(t)
	tax := e.createUnit(t, "110", "税務課")
	office, _ := e.loginAs(t, "sato", isms.RoleSecurityOffice, 0)
	p := e.personFixture(t, "A1", "田中 一郎", "タナカ イチロウ", tax.ID, "2024-04-01")
	a := e.assignFixture(t, p.ID, isms.RoleCodeISM, tax.ID, "2026-04-01", "")
	edit := "/assignments/" + itoa(a.ID)
	_, body := get(t, office, e.srv.URL+edit+"/edit")
	version := formVersion(body)

	first := url.Values{"valid_from": {"2026-04-01"}, "valid_to": {"2027-03-31"}, "note": {"令和8年度"}, "version": {version}}
	if res, _ := post(t, office, e.srv.URL+edit, first, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first correction: %d", res.StatusCode)
	}
	second := url.Values{"valid_from": {"2026-05-01"}, "acting": {"1"}, "note": {"古い画面から"}, "version": {version}}
	res, body := post(t, office, e.srv.URL+edit, second, nil)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale correction: %d", res.StatusCode)
	}
	personWant(t, "conflict", body, "このデータは他の人が先に更新しました。", ">古い画面から</textarea>", `href="`+edit+`/edit"`)
	_, body = get(t, office, e.srv.URL+"/people/"+itoa(p.ID))
	personWant(t, "person page", body, "令和8年度", "2026年4月1日 〜 2027年3月31日")
	if strings.Contains(body, "古い画面から") || strings.Contains(body, "badge acting") {
		t.Error("the stale correction overwrote the first")
	}
	// Ending from the stale form is refused too.
	if res, _ := post(t, office, e.srv.URL+edit+"/end", url.Values{"last_day": {"2026-11-30"}, "version": {version}}, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("stale end: %d", res.StatusCode)
	}
	if res, body := post(t, office, e.srv.URL+edit, url.Values{"valid_from": {"2026/04/01"}, "version": {version}}, nil); res.StatusCode != http.StatusUnprocessableEntity ||
		personFieldError(body, "valid_from") != "日付は 2026-04-01 のように年-月-日で入力してください。" || !strings.Contains(body, `value="2026/04/01"`) {
		t.Errorf("malformed date: %d", res.StatusCode)
	}
}

// Everyone reads the roles with the town's names; the security office renames one, which the
// list and the person pages then show, and a rename from a stale form is refused.
func TestSecurityRoleRename(t *testing.T) {
	e := newEnv(t)
	tax := e.createUnit(t, "110", "税務課")
	office, _ := e.loginAs(t, "sato", isms.RoleSecurityOffice, 0)
	staff, _ := e.loginAs(t, "tanaka", isms.RoleStaff, tax.ID)
	p := e.personFixture(t, "A1", "田中 一郎", "タナカ イチロウ", tax.ID, "2024-04-01")
	e.assignFixture(t, p.ID, isms.RoleCodeISM, tax.ID, "2026-04-01", "")

	res, body := get(t, staff, e.srv.URL+"/org/roles")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("roles: %d", res.StatusCode)
	}
	row := between(body, `<tr id="role-ISM_SECTION">`, "</tr>")
	personWant(t, "role row", row, "<code>ISM_SECTION</code>", "情報セキュリティ管理者", "Information Security Manager", "所属ごと",
		"担当する所属とその下の所属 (係など) の記録", "課室の情報資産を管理する")
	if strings.Contains(body, "/org/roles/ISM_SECTION/edit") {
		t.Error("staff see the edit link")
	}

	_, body = get(t, office, e.srv.URL+"/org/roles/ISM_SECTION/edit")
	version := formVersion(body)
	personWant(t, "edit form", body, `value="情報セキュリティ管理者"`, `value="Information Security Manager"`)
	if res, body := post(t, office, e.srv.URL+"/org/roles/ISM_SECTION", url.Values{"name_ja": {" "}, "name_en": {"Manager"}, "version": {version}}, nil); res.StatusCode != http.StatusUnprocessableEntity ||
		personFieldError(body, "name_ja") != "入力してください。" || !strings.Contains(body, `value="Manager"`) {
		t.Errorf("empty name: %d", res.StatusCode)
	}
	rename := url.Values{"name_ja": {"情報セキュリティ管理者 (課長)"}, "name_en": {"Section Information Security Manager"}, "version": {version}}
	if res, _ := post(t, office, e.srv.URL+"/org/roles/ISM_SECTION", rename, nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/org/roles" {
		t.Fatalf("rename: %d", res.StatusCode)
	}
	_, body = get(t, staff, e.srv.URL+"/org/roles")
	personWant(t, "renamed", between(body, `<tr id="role-ISM_SECTION">`, "</tr>"), "情報セキュリティ管理者 (課長)", "Section Information Security Manager")
	_, body = get(t, staff, e.srv.URL+"/people/"+itoa(p.ID))
	personWant(t, "person page", between(body, `id="roles-current">`, "</section>"), "情報セキュリティ管理者 (課長)")

	stale := url.Values{"name_ja": {"管理者"}, "name_en": {"Manager"}, "version": {version}}
	res, body = post(t, office, e.srv.URL+"/org/roles/ISM_SECTION", stale, nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "このデータは他の人が先に更新しました。") || !strings.Contains(body, `value="管理者"`) {
		t.Errorf("stale rename: %d", res.StatusCode)
	}
	if _, body := get(t, staff, e.srv.URL+"/org/roles"); !strings.Contains(body, "情報セキュリティ管理者 (課長)") {
		t.Error("the stale rename overwrote the first")
	}
	if res, _ := get(t, office, e.srv.URL+"/org/roles/KING/edit"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown role: %d", res.StatusCode)
	}
}
