package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// orgStart is the day the test town's organisation was set up.
var orgStart = time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)

// orgUnit adds a unit of the type under parent (0: at the top), in scope, open since orgStart.
func (e *testEnv) orgUnit(t *testing.T, code, name string, typ isms.UnitType, parent int64) isms.Unit {
	t.Helper()
	u, err := e.db.CreateUnit(context.Background(), system, isms.UnitInput{
		Code: code, Name: name, Type: typ, ParentID: parent, InScope: true, ValidFrom: &orgStart})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// orgPerson registers a person posted to unit since orgStart, with a telephone and an e-mail.
func (e *testEnv) orgPerson(t *testing.T, name, phone string, unitID int64) isms.Person {
	t.Helper()
	p, err := e.db.CreatePerson(context.Background(), system, isms.PersonInput{
		Name: name, NameKana: "テスト", Employment: isms.EmploymentRegular, Phone: phone,
		Email: "p" + phone + "@town.example", ValidFrom: &orgStart, UnitID: unitID})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// orgAssign gives the person the role for the unit (0: the whole town) from orgStart.
func (e *testEnv) orgAssign(t *testing.T, personID int64, role isms.SecurityRoleCode, unitID int64, acting bool) {
	t.Helper()
	if _, err := e.db.CreateAssignment(context.Background(), system, isms.AssignmentInput{
		PersonID: personID, RoleCode: role, UnitID: unitID, ValidFrom: &orgStart, Acting: acting}); err != nil {
		t.Fatal(err)
	}
}

// orgSignInAsPerson creates a staff account for the person (posted where the person is) and
// signs in as it: the account's scope then follows the person's posting and roles.
func (e *testEnv) orgSignInAsPerson(t *testing.T, login string, p isms.Person) *http.Client {
	t.Helper()
	c, u := e.loginAs(t, login, isms.RoleStaff, p.UnitID)
	if err := e.db.LinkPersonUser(context.Background(), system, p.ID, u.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	return c
}

// orgWant fails the test for each text the page lacks.
func orgWant(t *testing.T, what, body string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("%s lacks %q", what, s)
		}
	}
}

// orgNot fails the test for each text the page shows but should not.
func orgNot(t *testing.T, what, body string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(body, s) {
			t.Errorf("%s shows %q", what, s)
		}
	}
}

// unitForm is a valid unit form.
func unitForm(code, name string, typ isms.UnitType, parent int64, version int) url.Values {
	return url.Values{"code": {code}, "name": {name}, "unit_type": {string(typ)}, "parent_id": {itoa(parent)},
		"in_scope": {"1"}, "valid_from": {"2020-04-01"}, "version": {itoa(int64(version))}}
}

// createUnitByForm posts the new-unit form and returns the new unit's id from where it redirects.
func createUnitByForm(t *testing.T, e *testEnv, c *http.Client, form url.Values) int64 {
	t.Helper()
	res, _ := post(t, c, e.srv.URL+"/units", form, nil)
	loc := res.Header.Get("Location")
	m := regexp.MustCompile(`^/units/(\d+)$`).FindStringSubmatch(loc)
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create %s: %d to %q", form.Get("name"), res.StatusCode, loc)
	}
	u, err := e.db.FindUnitByCode(context.Background(), form.Get("code"))
	if err != nil || itoa(u.ID) != m[1] {
		t.Fatalf("created unit %s: %v", form.Get("code"), err)
	}
	return u.ID
}

// fieldError is the message shown beside a form field.
func fieldError(body, field string) string {
	return between(body, `id="`+field+`-error">`, "<")
}

// The security office builds the tree through the forms: creates units, moves one under another
// parent, is refused a loop (with the message beside the parent field), renames a unit (which its
// change history shows) and closes one into a successor, whose manager then reads the closed
// unit's page.
func TestUnitTreeOperationsAndHistory(t *testing.T) {
	e := newEnv(t)
	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, 0)

	res, body := get(t, office, e.srv.URL+"/units/new")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("new unit form: %d", res.StatusCode)
	}
	orgWant(t, "new unit form", body, "組織の登録", `<label for="code">組織コード</label>`, `<label for="parent_id">上位の組織</label>`,
		`<label for="in_scope">情報セキュリティポリシーの適用範囲に含める</label>`, "学校の教育系ネットワーク",
		`<option value="section" selected>課・室</option>`, `type="date"`)

	general := createUnitByForm(t, e, office, unitForm("100", "総務部", isms.UnitDepartment, 0, 0))
	residents := createUnitByForm(t, e, office, unitForm("200", "住民部", isms.UnitDepartment, 0, 0))
	tax := createUnitByForm(t, e, office, unitForm("110", "税務課", isms.UnitSection, general, 0))
	res, body = get(t, office, e.srv.URL+"/units/"+itoa(tax))
	orgWant(t, "new unit's page", body, "組織を登録しました。", "課・室", "適用範囲内", `<a href="/units/`+itoa(general)+`">総務部</a>`,
		"2020年4月1日 から")

	// A refused form keeps what was typed and says what is wrong beside each field.
	bad := unitForm("", "資産税係", "", tax, 0)
	bad.Set("valid_from", "2020-02-30")
	res, body = post(t, office, e.srv.URL+"/units", bad, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid unit: %d", res.StatusCode)
	}
	orgWant(t, "refused form", body, `value="資産税係"`, `value="2020-02-30"`, "入力内容に誤りがあります")
	if fieldError(body, "code") != "入力してください。" || fieldError(body, "unit_type") != "選択肢から選んでください。" ||
		!strings.Contains(fieldError(body, "valid_from"), "年-月-日") {
		t.Errorf("field errors: code %q, type %q, date %q", fieldError(body, "code"), fieldError(body, "unit_type"), fieldError(body, "valid_from"))
	}

	// Move 税務課 from 総務部 to 住民部.
	res, _ = post(t, office, e.srv.URL+"/units/"+itoa(tax), unitForm("110", "税務課", isms.UnitSection, residents, 1), nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/units/"+itoa(tax) {
		t.Fatalf("move: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, office, e.srv.URL+"/units/"+itoa(tax))
	orgWant(t, "moved unit", body, `<a href="/units/`+itoa(residents)+`">住民部</a>`)
	_, body = get(t, office, e.srv.URL+"/units/"+itoa(residents))
	orgWant(t, "new parent", body, "配下の組織", `<a href="/units/`+itoa(tax)+`">税務課</a>`)

	// 住民部 cannot go under 税務課, which is under it.
	res, body = post(t, office, e.srv.URL+"/units/"+itoa(residents), unitForm("200", "住民部", isms.UnitDepartment, tax, 1), nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("loop: %d", res.StatusCode)
	}
	if msg := fieldError(body, "parent_id"); msg != "この組織自身やその配下の組織は、上位の組織にできません。" {
		t.Errorf("loop message beside the parent field: %q", msg)
	}
	orgWant(t, "refused loop", body, `<select id="parent_id" name="parent_id" aria-invalid="true" aria-describedby="parent_id-error">`)
	if u, _ := e.db.FindUnitByCode(context.Background(), "200"); u.ParentID != 0 {
		t.Errorf("住民部 moved under %d", u.ParentID)
	}

	// Renaming shows in the unit's change history, before and after.
	res, _ = post(t, office, e.srv.URL+"/units/"+itoa(tax), unitForm("110", "税務住民課", isms.UnitSection, residents, 2), nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename: %d", res.StatusCode)
	}
	_, body = get(t, office, e.srv.URL+"/units/"+itoa(tax))
	history := between(body, `<h2 id="history-h">変更履歴</h2>`, "</section>")
	orgWant(t, "change history", history, "所属の変更", "所属の登録", "<td>税務課</td><td>税務住民課</td>", "office")
	if strings.Index(history, "税務住民課") > strings.Index(history, "所属の登録") {
		t.Error("the history is not newest first")
	}

	// Close 税務住民課 into a new 税務課; the closed unit names its successor, the successor its predecessor.
	newTax := createUnitByForm(t, e, office, unitForm("111", "税務課", isms.UnitSection, residents, 0))
	res, body = get(t, office, e.srv.URL+"/units/"+itoa(tax)+"/close")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("close form: %d", res.StatusCode)
	}
	orgWant(t, "close form", body, "税務住民課 の廃止", `<label for="valid_to">廃止日 (最後に存在する日)</label>`, `<label for="successor_id">後継組織</label>`)
	orgNot(t, "close form's successors", between(body, `id="successor_id"`, "</select>"), "税務住民課")
	version := between(body, `name="version" value="`, `"`)

	res, body = post(t, office, e.srv.URL+"/units/"+itoa(tax)+"/close", url.Values{"valid_to": {""}, "successor_id": {itoa(newTax)}, "version": {version}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(body, "valid_to") != "入力してください。" {
		t.Errorf("close without a date: %d, %q", res.StatusCode, fieldError(body, "valid_to"))
	}
	res, body = post(t, office, e.srv.URL+"/units/"+itoa(tax)+"/close", url.Values{"valid_to": {"2026-11-24"}, "successor_id": {itoa(tax)}, "version": {version}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(body, "successor_id") != "後継組織には他の組織を選んでください。" {
		t.Errorf("close into itself: %d, %q", res.StatusCode, fieldError(body, "successor_id"))
	}
	clerk := e.orgPerson(t, "税務 一郎", "201", tax)
	res, body = post(t, office, e.srv.URL+"/units/"+itoa(tax)+"/close", url.Values{"valid_to": {"2026-11-24"}, "successor_id": {itoa(newTax)}, "version": {version}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(body, "valid_to"), "所属している職員等がいます") {
		t.Errorf("close with staff still posted: %d, %q", res.StatusCode, fieldError(body, "valid_to"))
	}
	if err := e.db.MovePerson(context.Background(), system, clerk.ID, newTax, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	res, _ = post(t, office, e.srv.URL+"/units/"+itoa(tax)+"/close", url.Values{"valid_to": {"2026-11-24"}, "successor_id": {itoa(newTax)}, "version": {version}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d", res.StatusCode)
	}
	_, body = get(t, office, e.srv.URL+"/units/"+itoa(tax))
	orgWant(t, "closed unit", body, "組織を廃止しました。", "この組織は 2026年11月24日 をもって廃止されました。",
		`<a href="/units/`+itoa(newTax)+`">税務課</a>`, "2020年4月1日 から 2026年11月24日 まで", "所属の廃止")
	orgNot(t, "closed unit", body, `/units/`+itoa(tax)+`/close"`)
	_, body = get(t, office, e.srv.URL+"/units/"+itoa(newTax))
	orgWant(t, "successor", body, "前身の組織", `<a href="/units/`+itoa(tax)+`">税務住民課</a>`, "税務 一郎")

	// Today's chart no longer shows the closed unit; the chart of a day before its end does.
	_, body = get(t, office, e.srv.URL+"/org")
	orgNot(t, "today's chart", body, "税務住民課")
	_, body = get(t, office, e.srv.URL+"/org?date=2026-11-01")
	orgWant(t, "chart of 1 November", body, "税務住民課", "2026年11月1日 現在")

	// The successor's manager reads the closed unit's page; a member of another unit does not.
	manager := e.orgPerson(t, "管理 花子", "202", newTax)
	e.orgAssign(t, manager.ID, isms.RoleCodeISM, newTax, false)
	mc := e.orgSignInAsPerson(t, "kanri", manager)
	if res, body := get(t, mc, e.srv.URL+"/units/"+itoa(tax)); res.StatusCode != http.StatusOK || !strings.Contains(body, "税務住民課") {
		t.Errorf("successor's manager, closed unit: %d", res.StatusCode)
	}
	other, _ := e.loginAs(t, "soumu", isms.RoleStaff, general)
	if res, _ := get(t, other, e.srv.URL+"/units/"+itoa(tax)); res.StatusCode != http.StatusNotFound {
		t.Errorf("staff of 総務部, closed unit: %d", res.StatusCode)
	}
}

// Two people open the same unit's form; the first save wins, the second gets 409 with the
// conflict message and what they typed, and the first change is kept.
func TestUnitConcurrentEdits(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, 0)
	admin, _ := e.loginAs(t, "admin", isms.RoleSystemAdmin, 0)

	_, first := get(t, admin, e.srv.URL+"/units/"+itoa(tax.ID)+"/edit")
	_, second := get(t, office, e.srv.URL+"/units/"+itoa(tax.ID)+"/edit")
	v1, v2 := between(first, `name="version" value="`, `"`), between(second, `name="version" value="`, `"`)
	if v1 == "" || v1 != v2 {
		t.Fatalf("versions %q and %q", v1, v2)
	}
	orgWant(t, "edit form", first, `value="税務課"`, `value="2020-04-01"`, `name="in_scope" value="1" checked`)

	formA := unitForm("110", "税務課 (管理者の変更)", isms.UnitSection, 0, 1)
	res, _ := post(t, admin, e.srv.URL+"/units/"+itoa(tax.ID), formA, nil)
	// An administrator keeps units as master data without seeing their records: back to the chart.
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/org#unit-"+itoa(tax.ID) {
		t.Fatalf("first save: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	formB := unitForm("110", "税務課 (統括部門の変更)", isms.UnitSection, 0, 1)
	res, body := post(t, office, e.srv.URL+"/units/"+itoa(tax.ID), formB, nil)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("second save: %d", res.StatusCode)
	}
	orgWant(t, "conflict page", body, "このデータは他の人が先に更新しました。", `value="税務課 (統括部門の変更)"`,
		`<a href="/units/`+itoa(tax.ID)+`/edit">最新の内容を表示</a>`)
	_, body = get(t, office, e.srv.URL+"/units/"+itoa(tax.ID))
	orgWant(t, "unit after both saves", body, "<h1>税務課 (管理者の変更)")
	orgNot(t, "unit after both saves", body, "統括部門の変更")

	// Closing from a stale form is a conflict too.
	res, body = post(t, office, e.srv.URL+"/units/"+itoa(tax.ID)+"/close", url.Values{"valid_to": {"2026-11-24"}, "version": {"1"}}, nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "このデータは他の人が先に更新しました。") {
		t.Errorf("stale close: %d", res.StatusCode)
	}
	if u, _ := e.db.FindUnitByCode(context.Background(), "110"); u.To != nil {
		t.Error("a stale close closed the unit")
	}
}

// A staff member sees their own unit and gets 404 for another's, exactly as for one that does
// not exist; the security office sees both. Staff see no change history.
func TestUnitScope(t *testing.T) {
	e := newEnv(t)
	tax := e.createUnit(t, "110", "税務課")
	residents := e.createUnit(t, "120", "住民生活課")
	staff, _ := e.loginAs(t, "tanaka", isms.RoleStaff, tax.ID)
	res, body := get(t, staff, e.srv.URL+"/units/"+itoa(tax.ID))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "試験 tanaka") {
		t.Errorf("own unit: %d", res.StatusCode)
	}
	orgWant(t, "own unit", body, "情報資産", "研修", "インシデント", "タスク")
	orgNot(t, "own unit, for staff", body, "変更履歴", "/units/"+itoa(tax.ID)+"/edit")
	_, missing := get(t, staff, e.srv.URL+"/units/999999")
	res, body = get(t, staff, e.srv.URL+"/units/"+itoa(residents.ID))
	if res.StatusCode != http.StatusNotFound || body == "" || strings.Contains(body, "住民生活課") {
		t.Errorf("another unit: %d", res.StatusCode)
	}
	if strings.ReplaceAll(body, itoa(residents.ID), "999999") != missing {
		t.Error("another unit's 404 differs from a missing unit's")
	}
	office, _ := e.loginAs(t, "sato", isms.RoleSecurityOffice, 0)
	res, body = get(t, office, e.srv.URL+"/units/"+itoa(residents.ID))
	if res.StatusCode != http.StatusOK {
		t.Errorf("security office, another unit: %d", res.StatusCode)
	}
	orgWant(t, "another unit, for the security office", body, "変更履歴", "所属の登録", "/units/"+itoa(residents.ID)+"/edit")
}

// The 情報セキュリティ管理者 of 税務課 sees 税務課 and its 係, not 住民生活課.
func TestUnitScopeOfSectionManager(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	team := e.orgUnit(t, "111", "資産税係", isms.UnitTeam, tax.ID)
	residents := e.orgUnit(t, "120", "住民生活課", isms.UnitSection, 0)
	p := e.orgPerson(t, "山田 太郎", "301", tax.ID)
	e.orgAssign(t, p.ID, isms.RoleCodeISM, tax.ID, false)
	c := e.orgSignInAsPerson(t, "yamada", p)

	res, body := get(t, c, e.srv.URL+"/units/"+itoa(tax.ID))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("own section: %d", res.StatusCode)
	}
	orgWant(t, "own section", body, `<a href="/units/`+itoa(team.ID)+`">資産税係</a>`, "情報セキュリティ管理者", "山田 太郎")
	if res, body := get(t, c, e.srv.URL+"/units/"+itoa(team.ID)); res.StatusCode != http.StatusOK || !strings.Contains(body, "資産税係") {
		t.Errorf("the section's 係: %d", res.StatusCode)
	}
	_, missing := get(t, c, e.srv.URL+"/units/999999")
	res, body = get(t, c, e.srv.URL+"/units/"+itoa(residents.ID))
	if res.StatusCode != http.StatusNotFound || strings.ReplaceAll(body, itoa(residents.ID), "999999") != missing {
		t.Errorf("住民生活課: %d", res.StatusCode)
	}
}

// unitRoutes are the unit management pages and forms, with forms that would be valid when sent
// in this order; codes end with suffix, so that each caller's units stay apart.
func unitRoutes(unitID, parentID int64, suffix string) []struct {
	method, path string
	form         url.Values
} {
	id := itoa(unitID)
	return []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/units/new", nil},
		{"POST", "/units", unitForm("9"+suffix, "新設課", isms.UnitSection, parentID, 0)},
		{"GET", "/units/" + id + "/edit", nil},
		{"POST", "/units/" + id, unitForm("8"+suffix, "改称課", isms.UnitSection, parentID, 1)},
		{"GET", "/units/" + id + "/close", nil},
		{"POST", "/units/" + id + "/close", url.Values{"valid_to": {"2026-11-24"}, "version": {"2"}}},
	}
}

// Only the security office and administrators manage units; every signed-in person reads the
// organisation pages.
func TestUnitManagementRoleGates(t *testing.T) {
	e := newEnv(t)
	home := e.orgUnit(t, "100", "総務課", isms.UnitSection, 0)
	for _, role := range isms.Roles {
		c, _ := e.loginAs(t, "as-"+string(role), role, home.ID)
		for _, p := range []string{"/org", "/org/matrix", "/org/contacts"} {
			if res, _ := get(t, c, e.srv.URL+p); res.StatusCode != http.StatusOK {
				t.Errorf("GET %s as %s: %d", p, role, res.StatusCode)
			}
		}
		target := e.orgUnit(t, "7"+string(role), "対象 "+string(role), isms.UnitSection, 0)
		may := role == isms.RoleSecurityOffice || role == isms.RoleSystemAdmin
		for _, rt := range unitRoutes(target.ID, home.ID, string(role)) {
			res := do(t, c, e.srv.URL, rt.method, rt.path, rt.form, nil)
			allowed := res.StatusCode == http.StatusOK || res.StatusCode == http.StatusSeeOther
			if allowed != may || (!may && res.StatusCode != http.StatusForbidden) {
				t.Errorf("%s %s as %s: %d", rt.method, rt.path, role, res.StatusCode)
			}
		}
		_, body := get(t, c, e.srv.URL+"/org")
		if strings.Contains(body, `href="/units/new"`) != may {
			t.Errorf("as %s the chart offers a new unit: %v", role, !may)
		}
	}
	if u, _ := e.db.FindUnitByCode(context.Background(), "9staff"); u.ID != 0 {
		t.Error("staff created a unit")
	}
}

// A cross-origin POST to each unit form is refused before it acts.
func TestUnitFormsRefuseCrossOriginPosts(t *testing.T) {
	e := newEnv(t)
	home := e.orgUnit(t, "100", "総務課", isms.UnitSection, 0)
	target := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, 0)
	for _, site := range []string{"cross-site", "same-site"} {
		for _, rt := range unitRoutes(target.ID, home.ID, "") {
			if rt.method != "POST" {
				continue
			}
			if res := do(t, office, e.srv.URL, rt.method, rt.path, rt.form, map[string]string{"Sec-Fetch-Site": site}); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST %s: %d", site, rt.path, res.StatusCode)
			}
		}
	}
	units, _ := e.db.FindUnits(context.Background())
	if len(units) != 2 || units[1].Name != "税務課" || units[1].To != nil || units[1].Version != 1 {
		t.Errorf("units after refused requests: %+v", units)
	}
}
