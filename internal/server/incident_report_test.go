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

// repTown is a small town for the incident reports: 総務課 with a staff member who reports, 税務課
// with a staff member who sees none of 総務課's incidents, the security office (handles
// incidents, keeps the PPC rules) and the CISO (sees every incident, is notified).
type repTown struct {
	general, tax             isms.Unit
	office, ciso             *http.Client
	reporter, outsider       *http.Client
	officeUser, reporterUser isms.User
}

func newRepTown(t *testing.T, e *testEnv) repTown {
	t.Helper()
	var w repTown
	w.general = e.createUnit(t, "100", "総務課")
	w.tax = e.createUnit(t, "110", "税務課")
	w.office, w.officeUser = e.loginAs(t, "office", isms.RoleSecurityOffice, w.general.ID)
	w.ciso, _ = e.loginAs(t, "ciso", isms.RoleCISO, 0)
	w.reporter, w.reporterUser = e.loginAs(t, "reporter", isms.RoleStaff, w.general.ID)
	w.outsider, _ = e.loginAs(t, "outsider", isms.RoleStaff, w.tax.ID)
	return w
}

// repActor is the account's actor on the test clock's day, as a request of theirs would carry it.
func (e *testEnv) repActor(t *testing.T, u isms.User) isms.Actor {
	t.Helper()
	ctx := context.Background()
	cred, err := e.db.FindCredentialsByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.db.FindActor(ctx, u.ID, cred.AuthEpoch, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var repJST = time.FixedZone("JST", 9*3600)

// repReport records a report by the reporter, noticed at aware.
func (e *testEnv) repReport(t *testing.T, w repTown, title string, aware time.Time) isms.Incident {
	t.Helper()
	occurred := aware.Add(-time.Hour)
	inc, err := e.db.CreateIncident(context.Background(), e.repActor(t, w.reporterUser), isms.IncidentInput{
		Title: title, Description: "宛先を誤って送信した。", OccurredAt: &occurred, AwareAt: &aware,
		PersonalInfo: isms.PersonalInfoYes, Channel: isms.ChannelPortal, FirstAction: "送信先に削除を依頼した。"})
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

// repTriage judges the incident as the security office: an incident of the severity and
// category, with subjects people's data leaked and the other PPC items as given.
func (e *testEnv) repTriage(t *testing.T, w repTown, inc isms.Incident, severity int, category string, subjects int, edit func(*isms.IncidentTriage)) isms.Incident {
	t.Helper()
	yes := true
	in := isms.IncidentTriage{IsIncident: &yes, Severity: &severity, Category: category, AwareAt: &inc.AwareAt,
		OccurredAt: inc.OccurredAt, PersonalInfo: isms.PersonalInfoYes, PISubjects: &subjects,
		UnitIDs: []int64{w.general.ID}, Version: inc.Version}
	if edit != nil {
		edit(&in)
	}
	out, err := e.db.TriageIncident(context.Background(), e.repActor(t, w.officeUser), inc.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The statistics count the fiscal year's incidents by month, category and severity, the same
// numbers in each chart's table as on the chart, with the PPC reports owed; staff get 403.
func TestIncidentStatsPage(t *testing.T) {
	e := newEnv(t)
	w := newRepTown(t, e)
	nov := time.Date(2026, 11, 20, 10, 0, 0, 0, repJST)
	e.repTriage(t, w, e.repReport(t, w, "住民票の写しの誤送信", nov), 3, "MISDELIVERY", 150, nil)
	e.repTriage(t, w, e.repReport(t, w, "USBメモリの紛失", time.Date(2026, 5, 12, 9, 0, 0, 0, repJST)), 1, "LOSS_THEFT", 0, nil)
	e.repReport(t, w, "不審なメール", nov.Add(24*time.Hour)) // not triaged yet
	e.repReport(t, w, "前年度の事案", time.Date(2026, 3, 10, 9, 0, 0, 0, repJST))

	res, body := get(t, w.office, e.srv.URL+"/incidents/stats?fy=2026")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("stats: %d", res.StatusCode)
	}
	if got := visible(between(body, `data-testid="stats-total">`, "</dd>")); got != "3件" {
		t.Errorf("total %q, want 3件", got)
	}
	if got := visible(between(body, `data-testid="stats-ppc">`, "</dd>")); got != "1件" {
		t.Errorf("PPC reports owed %q, want 1件", got)
	}
	month := visible(between(body, `id="chart-month"`, "</table>"))
	orgWant(t, "month table", month, "4月 0", "5月 1", "11月 2", "3月 0")
	orgWant(t, "month chart", between(body, `id="chart-month"`, "</svg>"),
		`role="img"`, `aria-labelledby="chart-month-title chart-month-desc"`, `<title id="chart-month-title">月別の件数</title>`)
	orgWant(t, "category table", visible(between(body, `id="chart-category"`, "</table>")),
		"誤送信・誤送付 1", "紛失・盗難 1", "未判定 1")
	orgWant(t, "category link", body, `href="/incidents?category=MISDELIVERY"`)
	orgWant(t, "severity table", visible(between(body, `id="chart-severity"`, "</table>")),
		"0 事象（ヒヤリハット） 0", "1 軽微 1", "3 緊急・最重大 1", "未判定 1")
	orgWant(t, "unit table", visible(between(body, `id="chart-unit"`, "</table>")), "総務課 3")

	// The previous year has its own count.
	if _, body := get(t, w.office, e.srv.URL+"/incidents/stats?fy=2025"); visible(between(body, `data-testid="stats-total">`, "</dd>")) != "1件" {
		t.Errorf("2025 total: %q", visible(between(body, `data-testid="stats-total">`, "</dd>")))
	}
	if res, _ := get(t, w.ciso, e.srv.URL+"/incidents/stats"); res.StatusCode != http.StatusOK {
		t.Errorf("CISO: %d, want 200", res.StatusCode)
	}
	if res, _ := get(t, w.reporter, e.srv.URL+"/incidents/stats"); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff: %d, want 403", res.StatusCode)
	}
}

// The PPC report form carries the nine items from the record, marks an item not yet written,
// and is for those who report: the reporter reads the incident but gets 403, a staff member of
// another unit does not see it (404).
func TestIncidentPPCForm(t *testing.T) {
	e := newEnv(t)
	w := newRepTown(t, e)
	inc := e.repTriage(t, w, e.repReport(t, w, "住民票の写しの誤送信", time.Date(2026, 11, 20, 10, 0, 0, 0, repJST)),
		3, "MISDELIVERY", 150, func(in *isms.IncidentTriage) {
			in.PIItems = "氏名、住所、生年月日"
			in.PISensitive = true
			in.RootCause = "送信前に宛先を確認しなかった。"
			in.SecondaryHarm = "現時点で二次被害は確認されていない。"
			in.SubjectResponse = "対象者に電話で謝罪した。"
			in.Impact = "住民150人"
		})
	ctx := context.Background()
	due := time.Date(2026, 12, 25, 0, 0, 0, 0, time.UTC)
	office := e.repActor(t, w.officeUser)
	if err := e.db.AddIncidentAction(ctx, office, inc.ID, isms.IncidentActionInput{
		Kind: isms.IncidentPreventionAction, Description: "送信前の宛先確認を二人で行う。", DueOn: &due}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.AddIncidentEvent(ctx, office, inc.ID, isms.IncidentEventInput{
		Kind: isms.EventContainment, Body: "誤送信先に削除を依頼し、削除の連絡を受けた。"}); err != nil {
		t.Fatal(err)
	}
	path := e.srv.URL + "/incidents/" + itoa(inc.ID) + "/ppc"

	res, body := get(t, w.office, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("PPC form: %d", res.StatusCode)
	}
	item := func(n string) string { return visible(between(body, `id="ppc-item-`+n+`"`, "</tr>")) }
	orgWant(t, "header", visible(between(body, `class="ppc-header"`, "</table>")),
		"報告区分 速報", "報告日 2026年11月25日", "認知日時 2026年11月20日 10:00", inc.Number, "報告期限 2026年11月25日")
	orgWant(t, "item 1", item("1"), "住民票の写しの誤送信", "宛先を誤って送信した。", "住民150人")
	orgWant(t, "item 2", item("2"), "氏名、住所、生年月日", "要配慮個人情報: 含む", "特定個人情報: 含まない")
	orgWant(t, "item 3", item("3"), "150人")
	orgWant(t, "item 4", item("4"), "送信前に宛先を確認しなかった。")
	orgWant(t, "item 5", item("5"), "現時点で二次被害は確認されていない。")
	orgWant(t, "item 6", item("6"), "対象者に電話で謝罪した。")
	orgWant(t, "item 7", item("7"), "（未記入）")
	orgWant(t, "item 8", item("8"), "送信前の宛先確認を二人で行う。", "期限 2026年12月25日", "未実施")
	orgWant(t, "item 9", item("9"), "要配慮個人情報が含まれる", "本人の数が100人を超える", "誤送信先に削除を依頼し、削除の連絡を受けた。")
	orgNot(t, "item 3", item("3"), "（未記入）")
	orgWant(t, "print advice", body, "ブラウザの印刷機能で印刷してください", `class="no-print ppc-tools"`)
	orgNot(t, "PPC form", body, "<script")

	if _, body := get(t, w.ciso, path+"?kind=final"); !strings.Contains(visible(between(body, `class="ppc-header"`, "</table>")), "報告区分 確報") {
		t.Error("the final report is not marked 確報")
	}
	if res, _ := get(t, w.office, path+"?kind=other"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown kind: %d, want 400", res.StatusCode)
	}
	if res, _ := get(t, w.reporter, path); res.StatusCode != http.StatusForbidden {
		t.Errorf("reporter: %d, want 403", res.StatusCode)
	}
	if res, _ := get(t, w.outsider, path); res.StatusCode != http.StatusNotFound {
		t.Errorf("staff of another unit: %d, want 404", res.StatusCode)
	}
}

// The PPC rules: the security office's form refuses what is not a number or out of range beside
// its field with the values kept, refuses a stale version, and a saved threshold decides the
// next triage.
func TestIncidentRulesForm(t *testing.T) {
	e := newEnv(t)
	w := newRepTown(t, e)
	res, body := get(t, w.office, e.srv.URL+"/incidents/rules")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("rules: %d", res.StatusCode)
	}
	orgWant(t, "rules form", body, "次にインシデントを判定・記録したときから適用されます", `name="triggers" value="subjects" checked`,
		"本人の数が100人を超える", `name="subject_threshold" value="100"`)
	version := between(body, `name="version" value="`, `"`)
	form := func(threshold, prelim string, version string) url.Values {
		return url.Values{"version": {version}, "triggers": {"sensitive", "financial", "wrongful", "subjects", "ordinance", "my_number"},
			"subject_threshold": {threshold}, "prelim_days": {prelim}, "final_days": {"30"}, "final_days_wrongful": {"60"}, "soon_days": {"2"}}
	}

	res, body = post(t, w.office, e.srv.URL+"/incidents/rules", form("百", "0", version), nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad numbers: %d, want 422", res.StatusCode)
	}
	orgWant(t, "refused form", body, `value="百"`, `value="0"`, `id="subject_threshold-error"`, `id="prelim_days-error"`,
		"0以上の整数を数字で入力してください。", "入力できる範囲を超えています。")

	if res, _ := post(t, w.office, e.srv.URL+"/incidents/rules", form("200", "5", "999"), nil); res.StatusCode != http.StatusConflict {
		t.Errorf("stale version: %d, want 409", res.StatusCode)
	}
	if res, _ := get(t, w.reporter, e.srv.URL+"/incidents/rules"); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff: %d, want 403", res.StatusCode)
	}
	if res, _ := post(t, w.ciso, e.srv.URL+"/incidents/rules", form("200", "5", version), nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("CISO saving: %d, want 403", res.StatusCode)
	}

	res, _ = post(t, w.office, e.srv.URL+"/incidents/rules", form("２００", "5", version), nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/incidents/rules" {
		t.Fatalf("save: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, w.office, e.srv.URL+"/incidents/rules")
	orgWant(t, "saved rules", body, "報告基準を保存しました。", `name="subject_threshold" value="200"`, "本人の数が200人を超える")

	// 150 people's data no longer meets the subjects trigger.
	inc := e.repTriage(t, w, e.repReport(t, w, "名簿の誤送付", time.Date(2026, 11, 20, 10, 0, 0, 0, repJST)), 1, "MISDELIVERY", 150, nil)
	if inc.PPCRequired() {
		t.Errorf("150 subjects under a threshold of 200: triggers %v", inc.PPCTriggers)
	}
	if _, body := get(t, w.office, e.srv.URL+"/incidents/"+itoa(inc.ID)+"/ppc"); !strings.Contains(body, "報告が必要な事由に該当していません") {
		t.Error("the PPC form of an incident that owes no report does not say so")
	}
}
