package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// personDate is a day as the stores take it.
func personDate(t *testing.T, s string) *time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}

// personFixture registers a person in service from the day, posted to the unit.
func (e *testEnv) personFixture(t *testing.T, no, name, kana string, unitID int64, from string) isms.Person {
	t.Helper()
	p, err := e.db.CreatePerson(context.Background(), system, isms.PersonInput{
		EmployeeNo: no, Name: name, NameKana: kana, Employment: isms.EmploymentRegular,
		ValidFrom: personDate(t, from), UnitID: unitID})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// assignFixture gives a person a role for a unit (0: the whole town) from the day, until to ("":
// open).
func (e *testEnv) assignFixture(t *testing.T, personID int64, role isms.SecurityRoleCode, unitID int64, from, to string) isms.Assignment {
	t.Helper()
	in := isms.AssignmentInput{PersonID: personID, RoleCode: role, UnitID: unitID, ValidFrom: personDate(t, from)}
	if to != "" {
		in.ValidTo = personDate(t, to)
	}
	a, err := e.db.CreateAssignment(context.Background(), system, in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// personFieldError is the message shown beside a field.
func personFieldError(body, field string) string {
	return between(body, `id="`+field+`-error">`, "<")
}

// formVersion is the version a form page was loaded with.
func formVersion(body string) string { return between(body, `name="version" value="`, `"`) }

func personWant(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// The security office registers a person with a first posting, is told beside each field what is
// wrong with a refused form (keeping what was typed), edits the person, and a second edit from
// the stale form is refused with the conflict message while the first edit stays.
func TestPersonRegisterEditAndConflict(t *testing.T) {
	e := newEnv(t)
	tax := e.createUnit(t, "110", "税務課")
	life := e.createUnit(t, "120", "住民生活課")
	office, _ := e.loginAs(t, "sato", isms.RoleSecurityOffice, 0)

	res, body := get(t, office, e.srv.URL+"/people/new")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("new form: %d", res.StatusCode)
	}
	personWant(t, "new form", body, `<label for="employee_no">職員番号</label>`, `<label for="unit_id">所属</label>`,
		`<option value="fiscal_year">会計年度任用職員</option>`, `value="2026-11-25"`)
	personWant(t, "main menu", between(body, `<nav class="main-nav"`, "</nav>"), `<a href="/people" aria-current="false">職員</a>`)

	bad := url.Values{"employee_no": {"A0123"}, "name": {""}, "name_kana": {"yamada"}, "employment_type": {"fiscal_year"},
		"phone": {"内線201"}, "valid_from": {"2026-13-01"}, "unit_id": {"0"}}
	res, body = post(t, office, e.srv.URL+"/people", bad, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: %d", res.StatusCode)
	}
	personWant(t, "refused form", body, `value="A0123"`, `value="yamada"`, `value="内線201"`, `value="2026-13-01"`,
		`<option value="fiscal_year" selected>`, `aria-invalid="true"`, "入力内容に誤りがあります")
	for field, want := range map[string]string{
		"name":       "入力してください。",
		"name_kana":  "カタカナまたはひらがなで入力してください。",
		"phone":      "電話番号は数字・ハイフン・括弧・空白で30文字以内にしてください。",
		"valid_from": "日付は 2026-04-01 のように年-月-日で入力してください。",
		"unit_id":    "選択肢から選んでください。",
	} {
		if got := personFieldError(body, field); got != want {
			t.Errorf("%s: message %q, want %q", field, got, want)
		}
	}

	good := url.Values{"employee_no": {"A0123"}, "name": {"山田 太郎"}, "name_kana": {"ヤマダ タロウ"}, "employment_type": {"fiscal_year"},
		"email": {"yamada@town.example"}, "phone": {"0123-45-6789"}, "valid_from": {"2026-04-01"}, "valid_to": {"2027-03-31"},
		"unit_id": {itoa(tax.ID)}}
	res, _ = post(t, office, e.srv.URL+"/people", good, nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/people/") {
		t.Fatalf("register: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	page := res.Header.Get("Location")
	_, body = get(t, office, e.srv.URL+page)
	personWant(t, "person page", body, "職員等を登録しました。", "山田 太郎", "ヤマダ タロウ", "会計年度任用職員", "0123-45-6789",
		`<a href="/units/`+itoa(tax.ID)+`">税務課</a>`, "2026年4月1日 〜 2027年3月31日",
		`href="`+page+`/edit"`, `href="`+page+`/move"`, `href="/assignments/new?person=`+strings.TrimPrefix(page, "/people/")+`"`)

	// The same employee number again is refused beside the field.
	dup := url.Values{}
	for k, v := range good {
		dup[k] = v
	}
	dup.Set("name", "山田 次郎")
	res, body = post(t, office, e.srv.URL+"/people", dup, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || personFieldError(body, "employee_no") != "この職員番号は既に登録されています。" {
		t.Errorf("duplicate employee number: %d %q", res.StatusCode, personFieldError(body, "employee_no"))
	}

	// Two people open the edit form; the first saves, the second is told of the conflict.
	_, body = get(t, office, e.srv.URL+page+"/edit")
	version := formVersion(body)
	personWant(t, "edit form", body, `value="山田 太郎"`, `value="2026-04-01"`, `value="2027-03-31"`)
	if strings.Contains(body, `id="unit_id"`) {
		t.Error("the edit form asks for the unit; a move changes it")
	}
	edit := url.Values{"employee_no": {"A0123"}, "name": {"山田 太郎"}, "name_kana": {"ヤマダ タロウ"}, "employment_type": {"regular"},
		"phone": {"201"}, "valid_from": {"2026-04-01"}, "version": {version}}
	if res, _ := post(t, office, e.srv.URL+page, edit, nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page {
		t.Fatalf("edit: %d", res.StatusCode)
	}
	stale := url.Values{"employee_no": {"A0123"}, "name": {"山田 三郎"}, "name_kana": {"ヤマダ サブロウ"}, "employment_type": {"fiscal_year"},
		"phone": {"0123-45-6789"}, "valid_from": {"2026-04-01"}, "version": {version}}
	res, body = post(t, office, e.srv.URL+page, stale, nil)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale edit: %d", res.StatusCode)
	}
	personWant(t, "conflict", body, "このデータは他の人が先に更新しました。", `value="山田 三郎"`, `href="`+page+`"`)
	_, body = get(t, office, e.srv.URL+page)
	// The service no longer ends on 2027-03-31, and neither does the posting.
	personWant(t, "after the conflict", body, "山田 太郎", "正規職員", "<dd>201</dd>", "2026年4月1日 〜</dd>",
		`<td><a href="/units/`+itoa(tax.ID)+`">税務課</a></td><td>2026年4月1日 〜</td>`)
	if strings.Contains(body, "山田 三郎") {
		t.Error("the stale edit overwrote the first")
	}

	// The register finds people by reading and filters by unit and employment type.
	e.personFixture(t, "B0456", "鈴木 花子", "スズキ ハナコ", life.ID, "2020-04-01")
	_, body = get(t, office, e.srv.URL+"/people")
	rows := between(body, "<tbody>", "</tbody>")
	personWant(t, "register", body, "2 件")
	if strings.Index(rows, "鈴木 花子") > strings.Index(rows, "山田 太郎") || strings.Index(rows, "鈴木 花子") < 0 {
		t.Error("the register is not in reading order")
	}
	for query, want := range map[string]string{
		"?q=%E3%83%A4%E3%83%9E%E3%83%80":           "山田 太郎", // ヤマダ
		"?q=B0456":                                 "鈴木 花子",
		"?unit=" + itoa(life.ID):                   "鈴木 花子",
		"?employment=regular&unit=" + itoa(tax.ID): "山田 太郎",
	} {
		_, body := get(t, office, e.srv.URL+"/people"+query)
		if !strings.Contains(body, "1 件") || !strings.Contains(between(body, "<tbody>", "</tbody>"), want) {
			t.Errorf("register %s: want only %s", query, want)
		}
	}
	if _, body := get(t, office, e.srv.URL+"/people?employment=contractor"); !strings.Contains(body, "0 件") {
		t.Error("employment filter")
	}
	if got := e.auditActions(t); !strings.Contains(strings.Join(got, " "), "person.create") || !strings.Contains(strings.Join(got, " "), "person.update") {
		t.Errorf("audit trail: %v", got)
	}
}

// The register pages forward with "next" links that keep the filter.
func TestPersonRegisterPages(t *testing.T) {
	e := newEnv(t)
	tax := e.createUnit(t, "110", "税務課")
	office, _ := e.loginAs(t, "sato", isms.RoleSecurityOffice, 0)
	kana := []string{"ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ", "サ", "シ", "ス", "セ", "ソ", "タ", "チ", "ツ", "テ", "ト",
		"ナ", "ニ", "ヌ", "ネ", "ノ", "ハ", "ヒ", "フ", "ヘ", "ホ", "マ", "ミ", "ム", "メ", "モ", "ヤ", "ユ", "ヨ", "ラ", "リ",
		"ル", "レ", "ロ", "ワ", "ヲ", "ン", "ガ", "ギ", "グ", "ゲ", "ゴ", "ザ"}
	for i, k := range kana {
		e.personFixture(t, "", "職員"+itoa(int64(i)), k+"ヨミ", tax.ID, "2020-04-01")
	}
	_, body := get(t, office, e.srv.URL+"/people?unit="+itoa(tax.ID))
	personWant(t, "first page", body, "52 件", "アヨミ", `rel="next"`)
	first := between(body, "<tbody>", "</tbody>")
	next := strings.ReplaceAll(between(body, `<p class="pager"><a href="`, `"`), "&amp;", "&")
	if !strings.Contains(next, "unit="+itoa(tax.ID)) {
		t.Fatalf("next link %q drops the filter", next)
	}
	_, body = get(t, office, e.srv.URL+next)
	second := between(body, "<tbody>", "</tbody>")
	if strings.Count(first, "<tr>") != 50 || strings.Count(second, "<tr>") != 2 || strings.Contains(body, `rel="next"`) {
		t.Errorf("pages of %d and %d rows", strings.Count(first, "<tr>"), strings.Count(second, "<tr>"))
	}
	for i := range kana {
		name := ">職員" + itoa(int64(i)) + "<"
		if strings.Contains(first, name) == strings.Contains(second, name) {
			t.Errorf("%s is on both pages or on neither", name)
		}
	}
}

// A move from a day keeps the history: the person's page shows both postings with their periods.
// A move into the past of the last posting, or past the end of service, is refused beside the date.
func TestPersonMoveKeepsHistory(t *testing.T) {
	e := newEnv(t)
	tax := e.createUnit(t, "110", "税務課")
	life := e.createUnit(t, "120", "住民生活課")
	office, _ := e.loginAs(t, "sato", isms.RoleSecurityOffice, 0)
	p := e.personFixture(t, "A1", "田中 一郎", "タナカ イチロウ", tax.ID, "2024-04-01")
	page := "/people/" + itoa(p.ID)

	res, body := get(t, office, e.srv.URL+page+"/move")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("move form: %d", res.StatusCode)
	}
	personWant(t, "move form", body, `<label for="unit_id">異動先の所属</label>`, `<label for="valid_from">異動日</label>`, "税務課")

	res, body = post(t, office, e.srv.URL+page+"/move", url.Values{"unit_id": {"0"}, "valid_from": {""}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || personFieldError(body, "unit_id") != "選択肢から選んでください。" ||
		personFieldError(body, "valid_from") != "入力してください。" {
		t.Errorf("empty move: %d", res.StatusCode)
	}
	res, _ = post(t, office, e.srv.URL+page+"/move", url.Values{"unit_id": {itoa(life.ID)}, "valid_from": {"2026-10-01"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page {
		t.Fatalf("move: %d", res.StatusCode)
	}
	_, body = get(t, office, e.srv.URL+page)
	personWant(t, "person page", body, "異動を登録しました。")
	personWant(t, "current unit", between(body, `data-testid="current-unit">`, "</dd>"), "住民生活課")
	history := between(body, `<h2 id="postings-h">所属履歴</h2>`, "</section>")
	personWant(t, "posting history", history,
		`<td><a href="/units/`+itoa(life.ID)+`">住民生活課</a></td><td>2026年10月1日 〜</td>`,
		`<td><a href="/units/`+itoa(tax.ID)+`">税務課</a></td><td>2024年4月1日 〜 2026年9月30日</td>`)

	res, body = post(t, office, e.srv.URL+page+"/move", url.Values{"unit_id": {itoa(tax.ID)}, "valid_from": {"2026-05-01"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity ||
		personFieldError(body, "valid_from") != "この日以降に始まる所属が既にあります。それより後の日を指定してください。" ||
		!strings.Contains(body, `<option value="`+itoa(tax.ID)+`" selected>`) {
		t.Errorf("move into the past: %d %q", res.StatusCode, personFieldError(body, "valid_from"))
	}

	// The service cannot end before the last posting starts.
	_, body = get(t, office, e.srv.URL+page+"/edit")
	end := url.Values{"employee_no": {"A1"}, "name": {"田中 一郎"}, "name_kana": {"タナカ イチロウ"}, "employment_type": {"regular"},
		"valid_from": {"2024-04-01"}, "valid_to": {"2026-09-30"}, "version": {formVersion(body)}}
	res, body = post(t, office, e.srv.URL+page, end, nil)
	if res.StatusCode != http.StatusUnprocessableEntity ||
		personFieldError(body, "valid_to") != "この日より後に始まる所属があります。在職終了日はそれより後の日にしてください。" {
		t.Errorf("service ending before the last posting: %d %q", res.StatusCode, personFieldError(body, "valid_to"))
	}

	// Someone whose service ends cannot be moved after it.
	q := e.personFixture(t, "A2", "佐々木 二郎", "ササキ ジロウ", tax.ID, "2024-04-01")
	if _, err := e.db.UpdatePerson(context.Background(), system, q.ID, isms.PersonInput{EmployeeNo: "A2", Name: q.Name, NameKana: q.NameKana,
		Employment: q.Employment, ValidFrom: personDate(t, "2024-04-01"), ValidTo: personDate(t, "2027-03-31"), Version: q.Version}); err != nil {
		t.Fatal(err)
	}
	res, body = post(t, office, e.srv.URL+"/people/"+itoa(q.ID)+"/move", url.Values{"unit_id": {itoa(life.ID)}, "valid_from": {"2027-06-01"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || personFieldError(body, "valid_from") != "在職期間の外の日です。在職終了日までの日を指定してください。" {
		t.Errorf("move after the end of service: %d %q", res.StatusCode, personFieldError(body, "valid_from"))
	}
}

// A member of staff reads the page of a person of their own unit, without the management
// buttons, and gets for a person of another unit the same 404 as for one who does not exist.
func TestPersonPageScope(t *testing.T) {
	e := newEnv(t)
	tax := e.createUnit(t, "110", "税務課")
	life := e.createUnit(t, "120", "住民生活課")
	colleague := e.personFixture(t, "A1", "田中 一郎", "タナカ イチロウ", tax.ID, "2024-04-01")
	other := e.personFixture(t, "B1", "鈴木 花子", "スズキ ハナコ", life.ID, "2024-04-01")
	staff, _ := e.loginAs(t, "kato", isms.RoleStaff, tax.ID)

	res, body := get(t, staff, e.srv.URL+"/people/"+itoa(colleague.ID))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "田中 一郎") {
		t.Fatalf("a colleague's page: %d", res.StatusCode)
	}
	if strings.Contains(body, "/edit") || strings.Contains(body, "/move") || strings.Contains(body, "/assignments/new") ||
		strings.Contains(between(body, `<nav class="main-nav"`, "</nav>"), `href="/people"`) {
		t.Error("staff see management links")
	}
	_, missing := get(t, staff, e.srv.URL+"/people/999999")
	res, body = get(t, staff, e.srv.URL+"/people/"+itoa(other.ID))
	if res.StatusCode != http.StatusNotFound || strings.Contains(body, "鈴木 花子") {
		t.Errorf("another unit's person: %d", res.StatusCode)
	}
	if strings.ReplaceAll(body, itoa(other.ID), "999999") != missing {
		t.Error("another unit's person's 404 differs from a missing person's")
	}
}

// Linking a staff account to a person makes the account's scope follow the person: their posting
// and the 情報セキュリティ管理者 role they hold for 税務課 decide, on the account's next request,
// which units it sees. An account belongs to one person only.
func TestPersonAccountLinkMovesScope(t *testing.T) {
	e := newEnv(t)
	tax := e.createUnit(t, "110", "税務課")
	life := e.createUnit(t, "120", "住民生活課")
	plan := e.createUnit(t, "130", "企画課")
	staff, account := e.loginAs(t, "suzuki", isms.RoleStaff, life.ID)
	admin, _ := e.loginAs(t, "admin", isms.RoleSystemAdmin, 0)
	office, _ := e.loginAs(t, "sato", isms.RoleSecurityOffice, 0)
	p := e.personFixture(t, "C1", "鈴木 一郎", "スズキ イチロウ", plan.ID, "2020-04-01")
	e.assignFixture(t, p.ID, isms.RoleCodeISM, tax.ID, "2026-04-01", "")
	other := e.personFixture(t, "C2", "鈴木 二郎", "スズキ ジロウ", plan.ID, "2020-04-01")

	status := func(unit isms.Unit) int {
		res, _ := get(t, staff, e.srv.URL+"/units/"+itoa(unit.ID))
		return res.StatusCode
	}
	if status(life) != http.StatusOK || status(tax) != http.StatusNotFound {
		t.Fatalf("before linking: 住民生活課 %d, 税務課 %d", status(life), status(tax))
	}

	page := "/people/" + itoa(p.ID)
	_, body := get(t, office, e.srv.URL+page)
	personWant(t, "unlinked", between(body, `data-testid="account">`, "</dd>"), "連携していません", `href="`+page+`/account"`)
	_, body = get(t, office, e.srv.URL+page+"/account")
	res, body := post(t, office, e.srv.URL+page+"/account", url.Values{"login_id": {"nobody"}, "version": {formVersion(body)}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || personFieldError(body, "login_id") != "このログインIDの利用者アカウントはありません。" ||
		!strings.Contains(body, `value="nobody"`) {
		t.Errorf("unknown login id: %d", res.StatusCode)
	}
	res, _ = post(t, office, e.srv.URL+page+"/account", url.Values{"login_id": {"SUZUKI"}, "version": {formVersion(body)}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page {
		t.Fatalf("link: %d", res.StatusCode)
	}
	_, body = get(t, office, e.srv.URL+page)
	personWant(t, "linked", body, "利用者アカウントを連携しました。")
	personWant(t, "linked account", between(body, `data-testid="account">`, "</dd>"), "suzuki")

	// On its next request the account sees 税務課 (its role) and 企画課 (its posting), no longer 住民生活課.
	if status(tax) != http.StatusOK || status(plan) != http.StatusOK || status(life) != http.StatusNotFound {
		t.Errorf("after linking: 税務課 %d, 企画課 %d, 住民生活課 %d", status(tax), status(plan), status(life))
	}

	// The same account cannot be linked to a second person.
	_, body = get(t, office, e.srv.URL+"/people/"+itoa(other.ID)+"/account")
	res, body = post(t, office, e.srv.URL+"/people/"+itoa(other.ID)+"/account", url.Values{"login_id": {"suzuki"}, "version": {formVersion(body)}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || personFieldError(body, "login_id") != "この利用者アカウントは既に別の職員等に連携されています。" {
		t.Errorf("second link: %d %q", res.StatusCode, personFieldError(body, "login_id"))
	}

	// The administrator sees the person on the account's page, and the person's page links the account.
	_, body = get(t, admin, e.srv.URL+"/admin/users/"+itoa(account.ID))
	personWant(t, "account page", between(body, `data-testid="linked-person">`, "</dd>"), `<a href="`+page+`">鈴木 一郎</a>`, "企画課")
	_, body = get(t, admin, e.srv.URL+page)
	personWant(t, "person page for the administrator", body, `<a href="/admin/users/`+itoa(account.ID)+`">suzuki</a>`)

	// Unlinking gives the account back its own unit.
	_, body = get(t, office, e.srv.URL+page+"/account")
	res, _ = post(t, office, e.srv.URL+page+"/account", url.Values{"unlink": {"1"}, "version": {formVersion(body)}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlink: %d", res.StatusCode)
	}
	if status(life) != http.StatusOK || status(tax) != http.StatusNotFound {
		t.Errorf("after unlinking: 住民生活課 %d, 税務課 %d", status(life), status(tax))
	}
	if _, body := get(t, admin, e.srv.URL+"/admin/users/"+itoa(account.ID)); !strings.Contains(between(body, `data-testid="linked-person">`, "</dd>"), "連携していません") {
		t.Error("the account page still shows the person")
	}
}

// orgManagementRoutes are every page and form of people, roles and assignments that only those who
// keep the organisation reach, with a form that would be valid.
func orgManagementRoutes(personID, unitID, assignmentID int64) []struct {
	method, path string
	form         url.Values
} {
	p, a := "/people/"+itoa(personID), "/assignments/"+itoa(assignmentID)
	person := url.Values{"name": {"新 職員"}, "employment_type": {"regular"}, "valid_from": {"2026-04-01"}, "unit_id": {itoa(unitID)}, "version": {"1"}}
	return []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/people", nil},
		{"GET", "/people/new", nil},
		{"POST", "/people", person},
		{"GET", p + "/edit", nil},
		{"POST", p, person},
		{"GET", p + "/move", nil},
		{"POST", p + "/move", url.Values{"unit_id": {itoa(unitID)}, "valid_from": {"2026-12-01"}}},
		{"GET", p + "/account", nil},
		{"POST", p + "/account", url.Values{"unlink": {"1"}, "version": {"1"}}},
		{"GET", "/org/roles/CISO/edit", nil},
		{"POST", "/org/roles/CISO", url.Values{"name_ja": {"最高情報責任者"}, "name_en": {"CISO"}, "version": {"1"}}},
		{"GET", "/assignments/new", nil},
		{"POST", "/assignments", url.Values{"person_id": {itoa(personID)}, "role_code": {"CISO"}, "unit_id": {"0"}, "valid_from": {"2026-04-01"}}},
		{"GET", a + "/edit", nil},
		{"POST", a, url.Values{"valid_from": {"2026-04-01"}, "version": {"1"}}},
		{"POST", a + "/end", url.Values{"last_day": {"2026-11-30"}, "version": {"1"}}},
	}
}

// Only the security office and administrators reach the management pages of people, roles and
// assignments; staff, the CISO and auditors get 403 on every one, and read the pages they may.
func TestOrgManagementRouteGates(t *testing.T) {
	e := newEnv(t)
	tax := e.createUnit(t, "110", "税務課")
	p := e.personFixture(t, "A1", "田中 一郎", "タナカ イチロウ", tax.ID, "2024-04-01")
	a := e.assignFixture(t, p.ID, isms.RoleCodeISM, tax.ID, "2026-04-01", "")
	for _, role := range isms.Roles {
		c, _ := e.loginAs(t, "as-"+string(role), role, tax.ID)
		manages := role == isms.RoleSecurityOffice || role == isms.RoleSystemAdmin
		for _, rt := range orgManagementRoutes(p.ID, tax.ID, a.ID) {
			if manages && rt.method == "POST" {
				continue // the forms themselves are tested elsewhere; this one is about the gate
			}
			res := do(t, c, e.srv.URL, rt.method, rt.path, rt.form, nil)
			if manages && res.StatusCode != http.StatusOK || !manages && res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s as %s: %d", rt.method, rt.path, role, res.StatusCode)
			}
		}
		for _, path := range []string{"/org/roles", "/people/" + itoa(p.ID)} {
			if res, _ := get(t, c, e.srv.URL+path); res.StatusCode != http.StatusOK {
				t.Errorf("GET %s as %s: %d", path, role, res.StatusCode)
			}
		}
	}
	if res, _ := get(t, newClient(t), e.srv.URL+"/people/"+itoa(p.ID)); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: %d", res.StatusCode)
	}
}

// A cross-origin POST to each form of people, roles and assignments is refused before it acts.
func TestOrgManagementFormsRefuseCrossOrigin(t *testing.T) {
	e := newEnv(t)
	tax := e.createUnit(t, "110", "税務課")
	p := e.personFixture(t, "A1", "田中 一郎", "タナカ イチロウ", tax.ID, "2024-04-01")
	a := e.assignFixture(t, p.ID, isms.RoleCodeISM, tax.ID, "2026-04-01", "")
	office, _ := e.loginAs(t, "sato", isms.RoleSecurityOffice, 0)
	cross := map[string]string{"Sec-Fetch-Site": "cross-site"}
	before := len(e.auditActions(t))
	for _, rt := range orgManagementRoutes(p.ID, tax.ID, a.ID) {
		if rt.method != "POST" {
			continue
		}
		if res := do(t, office, e.srv.URL, rt.method, rt.path, rt.form, cross); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin POST %s: %d", rt.path, res.StatusCode)
		}
	}
	if after := e.auditActions(t); len(after) != before {
		t.Errorf("refused requests changed something: %v", after[before:])
	}
}
