package server_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/browsertest"
	"github.com/jichitai-isms/isms/internal/isms"
)

// visible is the text of a piece of a page as a reader sees it: tags dropped, spaces collapsed.
func visible(html string) string {
	return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(html, " ")), " ")
}

// orgTown is a small town for the organisation pages: 総務課 (in scope, no manager yet), 税務課
// (manager 山田, who is also its auditor) with its 資産税係, and a school's education network
// (out of scope). 佐藤 stands in as 統括 (代理); nobody holds the CISO role.
type orgTown struct {
	general, tax, team, school isms.Unit
	yamada, sato, suzuki       isms.Person
}

func newOrgTown(t *testing.T, e *testEnv) orgTown {
	t.Helper()
	var o orgTown
	o.general = e.orgUnit(t, "100", "総務課", isms.UnitSection, 0)
	o.tax = e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	o.team = e.orgUnit(t, "111", "資産税係", isms.UnitTeam, o.tax.ID)
	o.school = e.orgUnit(t, "500", "南部小学校 教育系ネットワーク", isms.UnitSchool, 0)
	if _, err := e.db.UpdateUnit(t.Context(), system, o.school.ID, isms.UnitInput{Code: "500", Name: o.school.Name,
		Type: isms.UnitSchool, InScope: false, ValidFrom: &orgStart, Version: o.school.Version}); err != nil {
		t.Fatal(err)
	}
	o.yamada = e.orgPerson(t, "山田 太郎", "0123-45-1101", o.tax.ID)
	o.sato = e.orgPerson(t, "佐藤 花子", "0123-45-1001", o.general.ID)
	o.suzuki = e.orgPerson(t, "鈴木 次郎", "0123-45-1002", o.general.ID)
	e.orgAssign(t, o.yamada.ID, isms.RoleCodeISM, o.tax.ID, false)
	e.orgAssign(t, o.yamada.ID, isms.RoleCodeAuditor, o.tax.ID, false)
	e.orgAssign(t, o.sato.ID, isms.RoleCodeDeputyCISO, 0, true)
	e.orgAssign(t, o.suzuki.ID, isms.RoleCodeCommittee, 0, false)
	return o
}

// The chart shows the warnings first (each a sentence naming the unit, linked), the town-wide
// roles with their holders (代理 written out, the committee with its chair and members), then
// the unit tree with types, the out-of-scope marking and each unit's holders.
func TestOrgChartShowsHoldersAndWarnings(t *testing.T) {
	e := newEnv(t)
	o := newOrgTown(t, e)
	staff, _ := e.loginAs(t, "tanaka", isms.RoleStaff, o.general.ID)

	res, body := get(t, staff, e.srv.URL+"/org")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("chart: %d", res.StatusCode)
	}
	orgWant(t, "main menu", between(body, `<nav class="main-nav"`, "</nav>"), `<a href="/org" aria-current="page">組織</a>`)
	orgWant(t, "chart", body, "<h1>組織体制</h1>", "2026年11月25日 現在", `media="print"`)

	warnings := between(body, `<h2 id="warnings-h">確認が必要な事項</h2>`, "</section>")
	orgWant(t, "warnings", warnings,
		"最高情報セキュリティ責任者 (CISO) が設定されていません。",
		`<a href="/units/`+itoa(o.general.ID)+`">総務課</a> に情報セキュリティ管理者が設定されていません。`,
		`山田 太郎 さんが <a href="/units/`+itoa(o.tax.ID)+`">税務課</a> の情報セキュリティ管理者と情報セキュリティ監査人を兼ねています。`)
	orgNot(t, "warnings", warnings, "統括情報セキュリティ責任者が設定されていません", "資産税係", "教育系ネットワーク")
	if strings.Index(body, "確認が必要な事項") > strings.Index(body, "全庁の体制") {
		t.Error("the warnings are not on top")
	}

	town := between(body, `<h2 id="town-h">全庁の体制</h2>`, "</section>")
	orgWant(t, "town-wide roles", visible(town),
		"最高情報セキュリティ責任者 未設定", "統括情報セキュリティ責任者 佐藤 花子 代理",
		"情報セキュリティ委員会 議長 (最高情報セキュリティ責任者) 未設定 委員 鈴木 次郎",
		"CSIRT", "情報セキュリティに関する統一的な窓口 未設定", "情報セキュリティ監査統括責任者 未設定")
	orgWant(t, "town-wide roles", town, `<span class="acting">代理</span>`, `<span class="vacant-text">未設定</span>`)
	for _, order := range [][2]string{{"最高情報セキュリティ責任者</dt>", "統括情報セキュリティ責任者"}, {"統括情報セキュリティ責任者", "情報セキュリティ委員会"},
		{"情報セキュリティ委員会", "CSIRT"}, {"CSIRT", "統一的な窓口"}, {"統一的な窓口", "監査統括責任者"}} {
		if strings.Index(town, order[0]) > strings.Index(town, order[1]) {
			t.Errorf("%s after %s", order[0], order[1])
		}
	}

	units := between(body, `<h2 id="units-h">組織と役割</h2>`, "</section>")
	taxNode := between(units, `<li id="unit-`+itoa(o.tax.ID)+`">`, "</ul></li>")
	orgWant(t, "税務課 on the chart", taxNode, `<a href="/units/`+itoa(o.tax.ID)+`" class="unit-name">税務課</a>`, "課・室",
		`<li id="unit-`+itoa(o.team.ID)+`">`, "資産税係", "係・担当")
	orgWant(t, "税務課 on the chart", visible(taxNode), "情報セキュリティ管理者: 山田 太郎", "情報セキュリティ監査人: 山田 太郎")
	generalNode := between(units, `<li id="unit-`+itoa(o.general.ID)+`">`, "</li>")
	orgWant(t, "総務課 on the chart", generalNode, "情報セキュリティ管理者: <strong>未設定</strong>")
	schoolNode := between(units, `<li id="unit-`+itoa(o.school.ID)+`">`, "</li>")
	orgWant(t, "school on the chart", schoolNode, "学校", `<span class="badge out-of-scope">適用範囲外</span>`)
	orgNot(t, "school on the chart", schoolNode, "未設定")
	orgNot(t, "chart for staff", body, `href="/units/new"`, "/edit")

	// With a CISO and 総務課's manager appointed, those warnings go; the chair is the CISO.
	mayor := e.orgPerson(t, "副町長 高橋", "0123-45-1000", o.general.ID)
	e.orgAssign(t, mayor.ID, isms.RoleCodeCISO, 0, false)
	e.orgAssign(t, o.sato.ID, isms.RoleCodeISM, o.general.ID, false)
	_, body = get(t, staff, e.srv.URL+"/org")
	warnings = between(body, `<h2 id="warnings-h">確認が必要な事項</h2>`, "</section>")
	orgNot(t, "warnings after the appointments", warnings, "CISO", "総務課")
	orgWant(t, "warnings after the appointments", warnings, "兼務")
	orgWant(t, "committee", visible(body), "最高情報セキュリティ責任者 副町長 高橋 統括情報セキュリティ責任者",
		"議長 (最高情報セキュリティ責任者) 副町長 高橋 委員 鈴木 次郎")

	// The chart of a day before anyone held a role has every warning; a bad date is refused.
	_, body = get(t, staff, e.srv.URL+"/org?date=2019-04-01")
	orgWant(t, "chart of 2019", body, "2019年4月1日 現在", "この日に存在する組織は登録されていません。", "最高情報セキュリティ責任者 (CISO) が設定されていません。")
	res, body = get(t, staff, e.srv.URL+"/org?date=2026-02-30")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(body, "date"), "年-月-日") || strings.Contains(body, "全庁の体制") {
		t.Errorf("bad date: %d", res.StatusCode)
	}

	// The security office is offered the unit forms from the chart.
	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, 0)
	_, body = get(t, office, e.srv.URL+"/org")
	orgWant(t, "chart for the security office", body, `href="/units/new"`, `href="/units/`+itoa(o.tax.ID)+`/edit"`)
}

// The matrix lists the open units against the per-unit roles; a 課 without its manager says
// 未設定 with a mark, not by colour alone, and units that need none are not marked.
func TestOrgMatrixMarksVacancy(t *testing.T) {
	e := newEnv(t)
	o := newOrgTown(t, e)
	staff, _ := e.loginAs(t, "tanaka", isms.RoleStaff, o.general.ID)
	res, body := get(t, staff, e.srv.URL+"/org/matrix")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("matrix: %d", res.StatusCode)
	}
	orgWant(t, "matrix", body, "<h1>役割一覧表</h1>", "<caption>組織ごとの情報セキュリティに関する役割 (2026年11月25日 現在)</caption>",
		`<th scope="col">情報セキュリティ責任者</th>`, `<th scope="col">情報セキュリティ管理者</th>`, `<th scope="col">情報セキュリティ監査人</th>`)
	rows := map[string]string{}
	unitName := regexp.MustCompile(`<a href="/units/\d+">([^<]+)</a>`)
	for _, row := range strings.Split(between(body, "<tbody>", "</tbody>"), "<tr>")[1:] {
		if m := unitName.FindStringSubmatch(row); m != nil {
			rows[m[1]] = row
		}
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4: %v", len(rows), rows)
	}
	vacant := `<td class="vacant"><span aria-hidden="true">⚠ </span><strong>未設定</strong></td>`
	orgWant(t, "総務課's row", rows["総務課"], vacant)
	orgWant(t, "税務課's row", rows["税務課"], "山田 太郎")
	for _, name := range []string{"税務課", "資産税係", "南部小学校 教育系ネットワーク"} {
		orgNot(t, name+"'s row", rows[name], "未設定")
	}
	orgWant(t, "資産税係's row", rows["資産税係"], `class="depth-1"`, `<span class="visually-hidden">該当者なし</span>`)
	orgWant(t, "school's row", rows["南部小学校 教育系ネットワーク"], "適用範囲外")
}

// The emergency contact list is readable by every member of staff, follows the reporting line
// (CISO first, then the 統括, then the sections' managers) with telephone and e-mail, is printable
// and is not kept in caches.
func TestOrgContactList(t *testing.T) {
	e := newEnv(t)
	o := newOrgTown(t, e)
	mayor := e.orgPerson(t, "副町長 高橋", "0123-45-1000", o.general.ID)
	e.orgAssign(t, mayor.ID, isms.RoleCodeCISO, 0, false)
	staff, _ := e.loginAs(t, "tanaka", isms.RoleStaff, o.tax.ID)
	res, body := get(t, staff, e.srv.URL+"/org/contacts?date=2026-11-25")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("contacts: %d", res.StatusCode)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	orgWant(t, "contact list", body, "<h1>緊急連絡網</h1>", "<caption>緊急連絡網 (2026年11月25日 現在)</caption>",
		`<a href="tel:0123-45-1000">0123-45-1000</a>`, `<a href="mailto:p0123-45-1101@town.example">p0123-45-1101@town.example</a>`,
		`href="/static/print.css" media="print"`, "<td>全庁</td>")
	orgWant(t, "contact list", visible(body), "佐藤 花子 代理")
	rows := strings.Split(between(body, "<tbody>", "</tbody>"), "<tr>")[1:]
	var got []string
	for _, r := range rows {
		got = append(got, visible(between(r, "<td>", "</td>")+" "+between(between(r, `<th scope="row">`, "</th>"), "", "<")))
	}
	want := []string{"1 副町長 高橋", "2 鈴木 次郎", "3 山田 太郎", "4 佐藤 花子", "5 山田 太郎"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("order %v, want %v (CISO, committee, auditor, 統括, manager)", got, want)
	}
	orgWant(t, "the auditor's row", rows[2], "情報セキュリティ監査人")
	orgWant(t, "the manager's row", rows[4], "情報セキュリティ管理者", "<td>税務課</td>")

	_, css := get(t, staff, e.srv.URL+"/static/print.css")
	orgWant(t, "print styles", css, "table.contacts", "table.matrix", ".org-tree")
}

// A member of staff opens the organisation from the main menu, reads the warnings, and goes on
// to the role matrix, where the vacant manager of 総務課 reads 未設定 with its mark.
func TestBrowserOrgChartToMatrix(t *testing.T) {
	e := newEnv(t)
	o := newOrgTown(t, e)
	e.createUser(t, "tanaka", isms.RoleStaff, o.general.ID, false)
	p := browsertest.NewPage(t)
	e.browserSignIn(p, "tanaka", testPassword, "")
	p.Click(`.main-nav a[href="/org"]`)
	if h1 := p.Text("main h1"); h1 != "組織体制" {
		t.Fatalf("menu 組織 leads to %q", h1)
	}
	orgWant(t, "warnings as seen", p.Text(".warnings"), "最高情報セキュリティ責任者 (CISO) が設定されていません。", "総務課 に情報セキュリティ管理者が設定されていません。")
	p.Click(`.org-tabs a[href^="/org/matrix"]`)
	if cell := p.Text("table.matrix td.vacant"); cell != "⚠ 未設定" {
		t.Errorf("vacant cell reads %q", cell)
	}
}
