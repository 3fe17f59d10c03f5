package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jichitai-isms/isms/internal/browsertest"
	"github.com/jichitai-isms/isms/internal/isms"
)

// dueTown is a town for the training status pages, on the test clock's day (2026年度): 総務課
// with its 管理者 課長 and 係員, who completed the all-staff course in June; 住民課 with 他課,
// who has not. Sessions and attendance are recorded through the training store, as its pages do.
type dueTown struct {
	general, life          isms.Unit
	manager, clerk, others isms.Person
	annual                 int64 // the all-staff course's session of June
}

func newDueTown(t *testing.T, e *testEnv) dueTown {
	t.Helper()
	var d dueTown
	d.general = e.orgUnit(t, "100", "総務課", isms.UnitSection, 0)
	d.life = e.orgUnit(t, "200", "住民課", isms.UnitSection, 0)
	d.manager = e.personFixture(t, "1001", "課長 一郎", "カチョウ イチロウ", d.general.ID, "2020-04-01")
	d.clerk = e.personFixture(t, "1002", "係員 花子", "カカリイン ハナコ", d.general.ID, "2020-04-01")
	d.others = e.personFixture(t, "2001", "他課 次郎", "タカ ジロウ", d.life.ID, "2020-04-01")
	e.orgAssign(t, d.manager.ID, isms.RoleCodeISM, d.general.ID, false)
	d.annual = e.dueSession(t, "GEN_ANNUAL", "2026-06-01")
	e.dueCompleted(t, d.annual, d.clerk)
	return d
}

// dueSession records a session through the training store (an e-learning course with a test,
// or a drill).
func (e *testEnv) dueSession(t *testing.T, course, held string) int64 {
	t.Helper()
	s, err := e.db.CreateSession(context.Background(), system, isms.SessionInput{CourseCode: course, Title: course + " " + held,
		HeldOn: personDate(t, held), Method: isms.MethodELearning, HasTest: course != "PHISHING_DRILL"})
	if err != nil {
		t.Fatal(err)
	}
	return s.ID
}

// dueCompleted records on the roster of the person's unit that they completed the session, on
// its day, with a score of 90.
func (e *testEnv) dueCompleted(t *testing.T, session int64, p isms.Person) {
	t.Helper()
	score := 90
	if _, err := e.db.SaveRoster(context.Background(), system, session, p.UnitID,
		[]isms.RosterEntry{{PersonID: p.ID, Completed: true, Score: &score}}); err != nil {
		t.Fatal(err)
	}
}

// dueTarget records a drill's target with what they did with the mail.
func (e *testEnv) dueTarget(t *testing.T, session int64, p isms.Person, opened, clicked, reported bool) {
	t.Helper()
	if _, err := e.db.SaveDrillResults(context.Background(), system, session, p.UnitID,
		[]isms.DrillEntry{{PersonID: p.ID, Target: true, Opened: opened, Clicked: clicked, Reported: reported}}); err != nil {
		t.Fatal(err)
	}
}

// dueRow is the visible text of the table row of a unit (data-unit) or course (data-course).
func dueRow(body, attr, value string) string {
	return visible(between(body, attr+`="`+value+`"`, "</tr>"))
}

func dueStatus(t *testing.T, c *http.Client, u string, want int) string {
	t.Helper()
	res, body := get(t, c, u)
	if res.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d", u, res.StatusCode, want)
	}
	return body
}

// The security office reads the status of every unit, with the 未受講者 of each; a 管理者 the
// units they follow; staff are sent to their own record and refused others'.
func TestTrainingStatusPages(t *testing.T) {
	e := newEnv(t)
	d := newDueTown(t, e)
	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, 0)
	general, life := itoa(d.general.ID), itoa(d.life.ID)

	body := dueStatus(t, office, e.srv.URL+"/training", http.StatusOK)
	orgWant(t, "office's status", body, "2026年度", `href="/training/units/`+general+`?fy=2026"`,
		`href="/training/courses"`, `href="/training/plans/2026"`, `href="/training/sessions"`, `href="/training/report?fy=2026"`)
	// 総務課: both must take the all-staff course and the drill; 係員 completed the course.
	if row := dueRow(body, "data-unit", general); !strings.Contains(row, "50.0% 1 / 2人") {
		t.Errorf("総務課's row: %q", row)
	}
	if row := dueRow(body, "data-unit", life); !strings.Contains(row, "0.0% 0 / 1人") {
		t.Errorf("住民課's row: %q", row)
	}

	body = dueStatus(t, office, e.srv.URL+"/training/units/"+general, http.StatusOK)
	due := visible(between(body, `id="due-h"`, "</section>"))
	orgWant(t, "総務課's 未受講者", due, "課長 一郎 全職員向け情報セキュリティ研修 未受講 2027年3月31日",
		"係員 花子 標的型攻撃メール訓練 未受講")
	orgNot(t, "総務課's 未受講者", due, "係員 花子 全職員向け情報セキュリティ研修")
	body = dueStatus(t, office, e.srv.URL+"/training/units/"+general+"?all=1", http.StatusOK)
	orgWant(t, "総務課 with everyone", visible(between(body, `id="due-h"`, "</section>")), "係員 花子 全職員向け情報セキュリティ研修 受講済 2027年3月31日 2026年6月1日")
	dueStatus(t, office, e.srv.URL+"/training?fy=2025", http.StatusOK)
	dueStatus(t, office, e.srv.URL+"/training?fy=2027", http.StatusBadRequest)
	dueStatus(t, office, e.srv.URL+"/training?fy=x", http.StatusBadRequest)
	// The office's own account is linked to no person: its record says so.
	orgWant(t, "office's own record", dueStatus(t, office, e.srv.URL+"/training/me", http.StatusOK), "結び付けられていない")

	manager := e.orgSignInAsPerson(t, "kacho", d.manager)
	body = dueStatus(t, manager, e.srv.URL+"/training", http.StatusOK)
	orgWant(t, "管理者's status", body, `data-unit="`+general+`"`)
	orgNot(t, "管理者's status", body, `data-unit="`+life+`"`, `href="/training/sessions"`)
	orgWant(t, "管理者's 未受講者", dueStatus(t, manager, e.srv.URL+"/training/units/"+general, http.StatusOK), "課長 一郎")
	dueStatus(t, manager, e.srv.URL+"/training/units/"+life, http.StatusNotFound)

	clerk := e.orgSignInAsPerson(t, "kakari", d.clerk)
	res, _ := get(t, clerk, e.srv.URL+"/training")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/training/me" {
		t.Errorf("staff at /training: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	dueStatus(t, clerk, e.srv.URL+"/training/units/"+general, http.StatusForbidden)
	dueStatus(t, clerk, e.srv.URL+"/training/units/"+life, http.StatusNotFound)
	dueStatus(t, clerk, e.srv.URL+"/training/report", http.StatusForbidden)
	body = dueStatus(t, clerk, e.srv.URL+"/training/me", http.StatusOK)
	if row := dueRow(body, "data-course", "GEN_ANNUAL"); !strings.Contains(row, "受講済 2027年3月31日 2026年6月1日") {
		t.Errorf("staff's own GEN_ANNUAL: %q", row)
	}
	if row := dueRow(body, "data-course", "PHISHING_DRILL"); !strings.Contains(row, "未受講") {
		t.Errorf("staff's own drill: %q", row)
	}
	orgWant(t, "staff's history", visible(between(body, `id="history-h"`, "</section>")), "GEN_ANNUAL 2026-06-01", "修了", "90")
	orgWant(t, "the menu", body, `href="/training"`, `href="/policy"`)
}

// A unit's page shows its figures of this year to everyone who sees the unit; the link to the
// names is for those who may read them.
func TestUnitPageTrainingFigures(t *testing.T) {
	e := newEnv(t)
	d := newDueTown(t, e)
	general := itoa(d.general.ID)
	clerk := e.orgSignInAsPerson(t, "kakari", d.clerk)
	body := dueStatus(t, clerk, e.srv.URL+"/units/"+general, http.StatusOK)
	section := between(body, `id="training-h"`, "</section>")
	orgWant(t, "staff's unit page", visible(section), "研修の受講状況 (今年度)", "全職員向け情報セキュリティ研修", "50.0%")
	orgNot(t, "staff's unit page", section, "/training/units/")

	manager := e.orgSignInAsPerson(t, "kacho", d.manager)
	body = dueStatus(t, manager, e.srv.URL+"/units/"+general, http.StatusOK)
	orgWant(t, "管理者's unit page", between(body, `id="training-h"`, "</section>"), `href="/training/units/`+general+`?fy=2026"`)
}

// The committee's report: completion by course with last year's rate and the change, by unit,
// and each drill's results by unit.
func TestTrainingReport(t *testing.T) {
	e := newEnv(t)
	d := newDueTown(t, e)
	// Last year, two of the three completed the all-staff course.
	last := e.dueSession(t, "GEN_ANNUAL", "2025-07-01")
	e.dueCompleted(t, last, d.manager)
	e.dueCompleted(t, last, d.others)
	drill := e.dueSession(t, "PHISHING_DRILL", "2026-09-01")
	e.dueTarget(t, drill, d.manager, true, false, true)
	e.dueTarget(t, drill, d.clerk, true, true, false)
	e.dueTarget(t, drill, d.others, false, false, false)

	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, 0)
	body := dueStatus(t, office, e.srv.URL+"/training/report?fy=2026", http.StatusOK)
	orgWant(t, "the report", body, "2026年度 情報セキュリティ研修・訓練の実施状況", "前年度 (2025年度)")
	// This year 1 of 3 (33.3%), last year 2 of 3 (66.7%).
	if row := dueRow(body, "data-course", "GEN_ANNUAL"); !strings.Contains(row, "33.3% 66.7% -33.3ポイント") {
		t.Errorf("GEN_ANNUAL in the report: %q", row)
	}
	if row := dueRow(body, "data-course", "PHISHING_DRILL"); !strings.Contains(row, "3 3 0 100.0%") {
		t.Errorf("the drill in the report: %q", row)
	}
	byUnit := between(body, `id="by-unit-h"`, "</section>")
	if row := dueRow(byUnit, "data-unit", itoa(d.general.ID)); !strings.Contains(row, "50.0%") {
		t.Errorf("総務課 in the report: %q", row)
	}
	drills := visible(between(body, `data-session="`+itoa(drill)+`"`, "</table>"))
	orgWant(t, "the drill's results", drills, "総務課 2 2 2 (100.0%) 1 (50.0%) 1 (50.0%)", "住民課 1 1 0 (0.0%) 0 (0.0%) 0 (0.0%)",
		"全体 3 3 2 (66.7%) 1 (33.3%) 1 (33.3%)")
	if !strings.Contains(body, `class="filters no-print"`) {
		t.Error("the year's form is printed")
	}
}

// A member of staff signs in and finds their completion on their own page; the security office
// opens the committee report and reads the unit's rate.
func TestBrowserTrainingCompletion(t *testing.T) {
	e := newEnv(t)
	d := newDueTown(t, e)
	u, secret := e.createUser(t, "kakari", isms.RoleStaff, d.general.ID, true)
	if err := e.db.LinkPersonUser(context.Background(), system, d.clerk.ID, u.ID, d.clerk.Version); err != nil {
		t.Fatal(err)
	}
	_, officeSecret := e.createUser(t, "soumu", isms.RoleSecurityOffice, 0, true)

	p := browsertest.NewPage(t)
	e.browserSignIn(p, "kakari", testPassword, secret)
	p.Click(`nav a[href="/training"]`)
	if p.Path() != "/training/me" {
		t.Fatalf("staff's training menu leads to %s", p.Path())
	}
	if got := p.Text(`tr[data-course="GEN_ANNUAL"]`); !strings.Contains(got, "受講済 2027年3月31日 2026年6月1日") {
		t.Errorf("own completion: %q", got)
	}
	p.Click(`form[action="/logout"] button`)

	e.clock.Advance(time.Minute)
	e.browserSignIn(p, "soumu", testPassword, officeSecret)
	p.Run("open the report", chromedp.Navigate(e.srv.URL+"/training"))
	p.Click(`a[href="/training/report?fy=2026"]`)
	if got := p.Text(`#by-unit-h + .table-scroll tr[data-unit="` + itoa(d.general.ID) + `"]`); !strings.Contains(got, "50.0%") {
		t.Errorf("総務課 in the report: %q", got)
	}
}
