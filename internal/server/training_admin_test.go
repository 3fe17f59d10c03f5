package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jichitai-isms/isms/internal/browsertest"
	"github.com/jichitai-isms/isms/internal/isms"
)

// trainingEnv is a town with 税務課 (three people) and 総務課 (one), the security office and a
// member of staff signed in.
type trainingEnv struct {
	*testEnv
	tax, general           isms.Unit
	aoki, baba, chiba, doi isms.Person
	office, staff          *http.Client
}

func newTrainingEnv(t *testing.T) *trainingEnv {
	t.Helper()
	e := &trainingEnv{testEnv: newEnv(t)}
	e.tax = e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	e.general = e.orgUnit(t, "100", "総務課", isms.UnitSection, 0)
	e.aoki = e.trainee(t, "T001", "青木 一郎", "アオキ イチロウ", e.tax.ID)
	e.baba = e.trainee(t, "T002", "馬場 花子", "ババ ハナコ", e.tax.ID)
	e.chiba = e.trainee(t, "T003", "千葉 次郎", "チバ ジロウ", e.tax.ID)
	e.doi = e.trainee(t, "G001", "土井 三郎", "ドイ サブロウ", e.general.ID)
	e.office, _ = e.loginAs(t, "office", isms.RoleSecurityOffice, e.general.ID)
	e.staff, _ = e.loginAs(t, "staff", isms.RoleStaff, e.tax.ID)
	return e
}

func (e *trainingEnv) trainee(t *testing.T, no, name, kana string, unit int64) isms.Person {
	t.Helper()
	p, err := e.db.CreatePerson(context.Background(), system, isms.PersonInput{EmployeeNo: no, Name: name, NameKana: kana,
		Employment: isms.EmploymentRegular, ValidFrom: &orgStart, UnitID: unit})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (e *trainingEnv) session(t *testing.T, course, held string, hasTest bool) isms.TrainingSession {
	t.Helper()
	day, _ := time.Parse(time.DateOnly, held)
	s, err := e.db.CreateSession(context.Background(), system, isms.SessionInput{CourseCode: course, HeldOn: &day,
		Method: isms.MethodClassroom, HasTest: hasTest})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// inputValue is the value attribute of the input with id.
func inputValue(body, id string) string {
	m := regexp.MustCompile(`<input[^>]*id="` + regexp.QuoteMeta(id) + `"[^>]*value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// Everyone reads the catalogue; only the security office is offered its forms and reaches them.
// The course form keeps what was typed beside each message (422), refuses a stale edit (409), and
// a saved course is in the list.
func TestCourseCatalogueForms(t *testing.T) {
	e := newTrainingEnv(t)
	res, body := get(t, e.staff, e.srv.URL+"/training/courses")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("catalogue for staff: %d", res.StatusCode)
	}
	orgWant(t, "catalogue", visible(body), "全職員向け情報セキュリティ研修", "全職員等 (会計年度任用職員を含む)", "毎年度1回以上",
		"新規採用職員研修", "着任後の期限内 (30日以内)", "管理者向け研修", "最高情報セキュリティ責任者")
	orgNot(t, "catalogue for staff", body, "/training/courses/new", "/edit")
	for _, path := range []string{"/training/courses/new", "/training/courses/GEN_ANNUAL/edit", "/training/sessions",
		"/training/sessions/new"} {
		if res, _ := get(t, e.staff, e.srv.URL+path); res.StatusCode != http.StatusForbidden {
			t.Errorf("staff GET %s: %d, want 403", path, res.StatusCode)
		}
	}
	if res, _ := post(t, e.staff, e.srv.URL+"/training/plans/2026", url.Values{"months_GEN_ANNUAL": {"6"}}, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff saves a plan: %d", res.StatusCode)
	}

	_, body = get(t, e.office, e.srv.URL+"/training/courses")
	orgWant(t, "catalogue for the office", body, `href="/training/courses/new"`, `href="/training/courses/GEN_ANNUAL/edit"`)
	res, body = get(t, e.office, e.srv.URL+"/training/courses/new")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("new course form: %d", res.StatusCode)
	}
	orgWant(t, "new course form", body, `<label for="code">コード</label>`, `<label for="role-SYS_ADMIN">情報システム管理者</label>`,
		`<option value="yearly" selected>毎年度1回以上</option>`)

	form := url.Values{"code": {"sns rules"}, "name_ja": {"SNS運用研修"}, "name_en": {"Social media"}, "kind": {"course"},
		"audience": {"roles"}, "requirement": {"on_joining"}, "within_days": {"abc"}, "sort_order": {"95"}, "active": {"1"}, "version": {"0"}}
	res, body = post(t, e.office, e.srv.URL+"/training/courses/new", form, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad course: %d", res.StatusCode)
	}
	for field, want := range map[string]string{"code": "コードは英大文字で始まり", "roles": "対象の役割を1つ以上",
		"within_days": "期限は1〜366の日数"} {
		if got := fieldError(body, field); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", field, got, want)
		}
	}
	if inputValue(body, "name_ja") != "SNS運用研修" || inputValue(body, "within_days") != "abc" {
		t.Errorf("the form lost what was typed")
	}

	form.Set("code", "SNS_RULES")
	form.Set("within_days", "14")
	form["roles"] = []string{"SYS_ADMIN", "SYS_OPERATOR"}
	if res, _ = post(t, e.office, e.srv.URL+"/training/courses/new", form, nil); res.StatusCode != http.StatusSeeOther ||
		res.Header.Get("Location") != "/training/courses" {
		t.Fatalf("course saved: %d to %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, e.office, e.srv.URL+"/training/courses")
	orgWant(t, "catalogue after the save", visible(body), "研修・訓練を保存しました。", "SNS運用研修", "情報システム管理者、情報システム担当者", "14日以内")

	_, body = get(t, e.office, e.srv.URL+"/training/courses/SNS_RULES/edit")
	orgWant(t, "edit form", body, `id="role-SYS_OPERATOR" name="roles" value="SYS_OPERATOR" checked`)
	form.Set("version", "1")
	form.Set("name_ja", "SNS運用研修 (改)")
	if res, _ = post(t, e.office, e.srv.URL+"/training/courses/SNS_RULES", form, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("course edited: %d", res.StatusCode)
	}
	if res, body = post(t, e.office, e.srv.URL+"/training/courses/SNS_RULES", form, nil); res.StatusCode != http.StatusConflict ||
		!strings.Contains(body, "SNS運用研修 (改)") {
		t.Errorf("stale edit: %d", res.StatusCode)
	}
}

// The plan of a fiscal year shows a row per course and its months April to March; the office
// ticks June for GEN_ANNUAL, records the committee's approval (refused without the approver, what
// was typed kept), and staff read the plan with its marks and approval, without the forms.
func TestTrainingPlanPage(t *testing.T) {
	e := newTrainingEnv(t)
	res, body := get(t, e.office, e.srv.URL+"/training/plans/2026")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("plan: %d", res.StatusCode)
	}
	orgWant(t, "plan", body, "<h1>2026年度 研修計画</h1>", `<th scope="col" class="month">4月</th>`, "未承認",
		`<label for="m-GEN_ANNUAL-6" class="visually-hidden">全職員向け情報セキュリティ研修 6月</label>`)
	if strings.Index(body, ">4月<") > strings.Index(body, ">3月<") {
		t.Error("the months are not in the fiscal year's order")
	}
	orgNot(t, "plan without items", body, `id="approve-form"`)
	if res, _ := get(t, e.office, e.srv.URL+"/training/plans/1999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("plan of 1999: %d", res.StatusCode)
	}

	res, _ = post(t, e.office, e.srv.URL+"/training/plans/2026", url.Values{"version": {"0"}, "months_GEN_ANNUAL": {"6"},
		"method_GEN_ANNUAL": {"elearning"}, "note_GEN_ANNUAL": {"全職員"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/training/plans/2026" {
		t.Fatalf("plan saved: %d to %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, e.office, e.srv.URL+"/training/plans/2026")
	orgWant(t, "saved plan", body, "研修計画を保存しました。", `id="m-GEN_ANNUAL-6" name="months_GEN_ANNUAL" value="6" checked`,
		`<option value="elearning" selected>eラーニング</option>`, `id="approve-form"`)
	orgNot(t, "saved plan", body, `id="m-GEN_ANNUAL-7" name="months_GEN_ANNUAL" value="7" checked`)

	res, body = post(t, e.office, e.srv.URL+"/training/plans/2026/approve", url.Values{"version": {"1"}, "approved_on": {"2026-03-19"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(body, "approved_by"), "入力してください") ||
		inputValue(body, "approved_on") != "2026-03-19" {
		t.Errorf("approval without approver: %d %q", res.StatusCode, fieldError(body, "approved_by"))
	}
	res, _ = post(t, e.office, e.srv.URL+"/training/plans/2026/approve", url.Values{"version": {"1"}, "approved_on": {"2026-03-19"},
		"approved_by": {"第4回情報セキュリティ委員会"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approval: %d", res.StatusCode)
	}

	_, body = get(t, e.staff, e.srv.URL+"/training/plans/2026")
	orgWant(t, "plan for staff", visible(body), "承認日 2026年3月19日", "承認者 第4回情報セキュリティ委員会", "● 実施予定", "eラーニング 全職員")
	orgNot(t, "plan for staff", body, `<form method="post" action="/training/plans/2026"`, `type="checkbox"`)
}

// The office records a session (a missing day refused with what was typed kept), opens the
// roster of 税務課 from its page (a unit must be chosen), ticks two people with a score (an
// impossible score refused beside its field) and sees them in the attendance list; a drill's
// roster has the four outcomes, and its page counts them by unit.
func TestSessionRosterFlow(t *testing.T) {
	e := newTrainingEnv(t)
	form := url.Values{"course_code": {"GEN_ANNUAL"}, "title": {"情報セキュリティ研修 (第1回)"}, "held_on": {""}, "method": {"classroom"},
		"provider": {"総務課"}, "has_test": {"1"}, "version": {"0"}}
	res, body := post(t, e.office, e.srv.URL+"/training/sessions/new", form, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(body, "held_on"), "入力してください") ||
		inputValue(body, "title") != "情報セキュリティ研修 (第1回)" {
		t.Fatalf("session without a day: %d %q", res.StatusCode, fieldError(body, "held_on"))
	}
	form.Set("held_on", "2026-06-10")
	res, _ = post(t, e.office, e.srv.URL+"/training/sessions/new", form, nil)
	path := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(path, "/training/sessions/") {
		t.Fatalf("session saved: %d to %s", res.StatusCode, path)
	}
	_, body = get(t, e.office, e.srv.URL+path)
	orgWant(t, "session page", visible(body), "情報セキュリティ研修 (第1回)", "2026年6月10日", "集合研修", "受講記録はまだありません")
	orgWant(t, "session page", body, `href="/imports?kind=attendance&amp;session=`, `<option value="`+itoa(e.tax.ID)+`">110 税務課</option>`)

	if res, body = get(t, e.office, e.srv.URL+path+"/roster?unit=0"); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(fieldError(body, "unit"), "選択肢から選んでください") {
		t.Errorf("roster without a unit: %d", res.StatusCode)
	}
	res, body = get(t, e.office, e.srv.URL+path+"/roster?unit="+itoa(e.tax.ID))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("roster: %d", res.StatusCode)
	}
	orgWant(t, "roster", body, `<label for="done-`+itoa(e.aoki.ID)+`">青木 一郎 (T001)</label>`, `name="score_`+itoa(e.baba.ID)+`"`,
		`<input type="hidden" name="unit" value="`+itoa(e.tax.ID)+`">`)
	orgNot(t, "roster of 税務課", body, "土井 三郎", "checked")
	_, body = get(t, e.office, e.srv.URL+path+"/roster?unit="+itoa(e.tax.ID)+"&all=1")
	if n := strings.Count(body, `name="done"`); n != 3 || strings.Count(body, "checked") != 3 {
		t.Errorf("select all: %d boxes, %d ticked", n, strings.Count(body, "checked"))
	}

	roster := url.Values{"unit": {itoa(e.tax.ID)}, "person": {itoa(e.aoki.ID), itoa(e.baba.ID), itoa(e.chiba.ID)},
		"done": {itoa(e.aoki.ID), itoa(e.chiba.ID)}, "score_" + itoa(e.aoki.ID): {"120"}, "evidence_" + itoa(e.chiba.ID): {"出席簿"}}
	res, body = post(t, e.office, e.srv.URL+path+"/roster", roster, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(body, "score_"+itoa(e.aoki.ID)), "0〜100") ||
		inputValue(body, "score_"+itoa(e.aoki.ID)) != "120" || inputValue(body, "evidence_"+itoa(e.chiba.ID)) != "出席簿" {
		t.Fatalf("bad score: %d", res.StatusCode)
	}
	roster.Set("score_"+itoa(e.aoki.ID), "90")
	if res, _ = post(t, e.office, e.srv.URL+path+"/roster", roster, nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("roster saved: %d to %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, e.office, e.srv.URL+path)
	list := visible(between(body, `data-testid="attendance"`, "</table>"))
	orgWant(t, "attendance list", list, "税務課 T001 青木 一郎 修了 2026年6月10日 90", "税務課 T003 千葉 次郎 修了 2026年6月10日 出席簿")
	orgNot(t, "attendance list", list, "馬場")
	orgWant(t, "session page", visible(body), "受講記録を保存しました。", "2人")
	orgNot(t, "session with attendance", body, "/delete")

	// A person of 総務課 slipped into 税務課's roster is refused.
	roster.Add("person", itoa(e.doi.ID))
	if res, _ = post(t, e.office, e.srv.URL+path+"/roster", roster, nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a person off the roster: %d", res.StatusCode)
	}

	drill := e.session(t, "PHISHING_DRILL", "2026-10-14", false)
	dpath := "/training/sessions/" + itoa(drill.ID)
	_, body = get(t, e.office, e.srv.URL+dpath+"/roster?unit="+itoa(e.tax.ID))
	orgWant(t, "drill roster", body, `<th scope="col">対象</th>`, `<th scope="col">クリック・添付開封</th>`,
		`<label for="clicked-`+itoa(e.aoki.ID)+`" class="visually-hidden">青木 一郎 クリック・添付開封</label>`)
	res, _ = post(t, e.office, e.srv.URL+dpath+"/roster", url.Values{"unit": {itoa(e.tax.ID)},
		"person": {itoa(e.aoki.ID), itoa(e.baba.ID), itoa(e.chiba.ID)}, "target": {itoa(e.aoki.ID), itoa(e.baba.ID)},
		"opened": {itoa(e.aoki.ID)}, "clicked": {itoa(e.aoki.ID)}, "reported": {itoa(e.baba.ID)}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("drill saved: %d", res.StatusCode)
	}
	_, body = get(t, e.office, e.srv.URL+dpath)
	orgWant(t, "drill summary", visible(between(body, `data-testid="drill-summary"`, "</table>")), "税務課 2 1 1 1", "合計 2 1 1 1")

	_, body = get(t, e.office, e.srv.URL+"/training/sessions")
	orgWant(t, "sessions of this year", visible(between(body, `data-testid="sessions"`, "</table>")),
		"2026年10月14日 標的型攻撃メール訓練 標的型攻撃メール訓練 集合研修 2", "2026年6月10日 情報セキュリティ研修 (第1回) 全職員向け情報セキュリティ研修 集合研修 2")
	if _, body = get(t, e.office, e.srv.URL+"/training/sessions?fy=2025&course=GEN_ANNUAL"); !strings.Contains(body, "条件に合う実施記録はありません") {
		t.Error("sessions of 2025 are not empty")
	}
	if res, body = get(t, e.office, e.srv.URL+path+"/edit"); res.StatusCode != http.StatusOK || inputValue(body, "held_on") != "2026-06-10" ||
		!strings.Contains(body, `id="has_test" name="has_test" value="1" checked`) {
		t.Errorf("session edit form: %d", res.StatusCode)
	}
}

// uploadAttendance posts an attendance list for a session to the import form.
func uploadAttendance(t *testing.T, c *http.Client, base string, session int64, content string) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("kind", "attendance")
	mw.WriteField("session", itoa(session))
	fw, _ := mw.CreateFormFile("file", "受講記録.csv")
	fw.Write([]byte(content))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/imports", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// An e-learning list is imported from the session's page: a number nobody has is reported on its
// row and nothing is written; the corrected list is written into the session, whose page then
// lists the people.
func TestAttendanceImportThroughTheLedgerImport(t *testing.T) {
	e := newTrainingEnv(t)
	s := e.session(t, "GEN_ANNUAL", "2026-07-01", true)
	res, body := get(t, e.office, e.srv.URL+"/imports?kind=attendance&session="+itoa(s.ID))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("import form: %d", res.StatusCode)
	}
	orgWant(t, "import form", body, "取込み先: 2026年7月1日 全職員向け情報セキュリティ研修", `<input type="hidden" name="session" value="`+itoa(s.ID)+`">`,
		`value="attendance" checked`)
	orgNot(t, "import form of a session", body, `value="assets"`)
	if _, body = get(t, e.office, e.srv.URL+"/imports"); strings.Contains(body, `value="attendance"`) {
		t.Error("the plain import form offers an attendance list without its session")
	}
	if res, _ := get(t, e.staff, e.srv.URL+"/imports?kind=attendance&session="+itoa(s.ID)); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff import an attendance list: %d", res.StatusCode)
	}

	ie := &importEnv{testEnv: e.testEnv, office: e.office}
	res = uploadAttendance(t, e.office, e.srv.URL, s.ID, "職員番号,氏名,受講日,修了,得点\nT001,青木 一郎,2026/7/2,修了,85\nX999,誰か,2026/7/2,修了,70\n")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	path := res.Header.Get("Location")
	_, body = get(t, e.office, e.srv.URL+path)
	body = ie.check(t, path, body, "add", nil)
	orgWant(t, "problems", body, `<td class="num">3</td><td>職員番号</td><td>X999</td><td>この職員番号の職員等は登録されていません。</td>`)
	if strings.Contains(body, `/commit"`) { // the write form's action, not the menu's /committee
		t.Error("a list with an unknown number is offered for the write")
	}

	res = uploadAttendance(t, e.office, e.srv.URL, s.ID, "職員番号,氏名,受講日,修了,得点\nT001,青木 一郎,2026/7/2,修了,85\nT003,千葉 次郎,2026/7/3,未修了,40\n")
	path = res.Header.Get("Location")
	_, body = get(t, e.office, e.srv.URL+path)
	body = ie.check(t, path, body, "add", nil)
	orgWant(t, "preview", visible(body), "T001 2026年7月2日 修了 85", "T003 2026年7月3日 未修了 40")
	res, _ = post(t, e.office, e.srv.URL+path+"/commit", url.Values{"version": {versionField.FindStringSubmatch(body)[1]}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("commit: %d", res.StatusCode)
	}
	body = ie.waitImport(t, e.office, path)
	orgWant(t, "done", body, "2件を登録しました。", `href="/training/sessions/`+itoa(s.ID)+`"`)
	_, body = get(t, e.office, e.srv.URL+"/training/sessions/"+itoa(s.ID))
	list := visible(between(body, `data-testid="attendance"`, "</table>"))
	orgWant(t, "attendance list", list, "T001 青木 一郎 修了 2026年7月2日 85", "T003 千葉 次郎 未修了 40")
}

// The security office plans GEN_ANNUAL for June in the 2026 plan, records a session, opens the
// roster of 税務課, ticks two people, saves, and sees them in the attendance list; one of them
// finds the completion on their own page, and the committee report shows 税務課's rate.
func TestBrowserTrainingPlanSessionRoster(t *testing.T) {
	e := newTrainingEnv(t)
	_, secret := e.createUser(t, "kensyu", isms.RoleSecurityOffice, e.general.ID, true)
	p := browsertest.NewPage(t)
	e.browserSignIn(p, "kensyu", testPassword, secret)

	p.Run("open the 2026 plan", chromedp.Navigate(e.srv.URL+"/training/plans/2026"))
	p.Run("tick June for GEN_ANNUAL", chromedp.Click(chromedp.ID("m-GEN_ANNUAL-6")))
	p.Click(`#plan-form button[type="submit"]`)
	if got := p.Text(".alert-ok"); !strings.Contains(got, "研修計画を保存しました") {
		t.Errorf("after saving the plan: %q", got)
	}
	checked, err := chromedp.Run(p.Ctx, chromedp.Evaluate[bool](`document.querySelector('#m-GEN_ANNUAL-6').checked`))
	if err != nil || !checked {
		t.Errorf("June is not planned for GEN_ANNUAL after the save (%v)", err)
	}

	p.Run("new session", chromedp.Navigate(e.srv.URL+"/training/sessions/new"),
		chromedp.SetValue(chromedp.ID("course_code"), "GEN_ANNUAL"),
		chromedp.SetValue(chromedp.ID("held_on"), "2026-06-10"),
		chromedp.SetValue(chromedp.ID("method"), "classroom"))
	p.Click(`form[action="/training/sessions/new"] button[type="submit"]`)
	if h1 := p.Text("main h1"); h1 != "全職員向け情報セキュリティ研修" {
		t.Fatalf("after saving the session: %q", h1)
	}
	p.Run("choose 税務課", chromedp.SetValue(chromedp.ID("unit"), itoa(e.tax.ID)))
	p.Click(`#roster-open button[type="submit"]`)
	p.Run("tick 青木 and 千葉", chromedp.Click(chromedp.ID("done-"+itoa(e.aoki.ID))), chromedp.Click(chromedp.ID("done-"+itoa(e.chiba.ID))))
	p.Click(`#roster-form button[type="submit"]`)
	list := p.Text(`[data-testid="attendance"]`)
	for _, name := range []string{"青木 一郎", "千葉 次郎"} {
		if !strings.Contains(list, name) {
			t.Errorf("the attendance list lacks %s: %q", name, list)
		}
	}
	if strings.Contains(list, "馬場 花子") {
		t.Errorf("the attendance list has 馬場, who was not ticked: %q", list)
	}

	// 青木 signs in and finds the completion on their own page.
	u, aokiSecret := e.createUser(t, "aoki", isms.RoleStaff, e.tax.ID, true)
	if err := e.db.LinkPersonUser(context.Background(), system, e.aoki.ID, u.ID, e.aoki.Version); err != nil {
		t.Fatal(err)
	}
	p.Click(`form[action="/logout"] button`)
	e.clock.Advance(time.Minute) // a fresh second-factor code
	e.browserSignIn(p, "aoki", testPassword, aokiSecret)
	p.Click(`nav a[href="/training"]`)
	if got := p.Text(`tr[data-course="GEN_ANNUAL"]`); !strings.Contains(got, "受講済") || !strings.Contains(got, "2026年6月10日") {
		t.Errorf("青木's own record: %q", got)
	}

	// The committee report shows 税務課 at two of its three people.
	p.Click(`form[action="/logout"] button`)
	e.clock.Advance(time.Minute)
	e.browserSignIn(p, "kensyu", testPassword, secret)
	p.Run("open the report", chromedp.Navigate(e.srv.URL+"/training/report?fy=2026"))
	if got := p.Text(`tr[data-unit="` + itoa(e.tax.ID) + `"]`); !strings.Contains(got, "66.7%") {
		t.Errorf("税務課 in the committee report: %q", got)
	}
}
