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

func planDay(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &d
}

// taskKinds are the kinds of the rows of the tasks table of a page, in their order.
func taskKinds(body string) []string {
	table := between(body, `data-testid="tasks"`, `</table>`)
	var kinds []string
	for _, m := range regexp.MustCompile(`<tr class="[^"]*" data-kind="([a-z_]+)"|<tr data-kind="([a-z_]+)"`).FindAllStringSubmatch(table, -1) {
		kinds = append(kinds, m[1]+m[2])
	}
	return kinds
}

// "My tasks" for each role, gathered from every part of the portal: staff have none; a 管理者 has
// the requests awaiting their decision (the overdue one first) and their unit's improvement
// measure, also on the home page and the unit's page; the security office has the policy review
// given to them, the checklist of their unit and the audit they are auditing.
func TestMyTasksForEachRole(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	tw := newReqTown(t, e)
	base := e.srv.URL

	// 税務課: two requests of 佐藤 for the 管理者, one planned for a day already past, and a
	// measure of the improvement plan.
	a := e.reqAsset(t, "課税資料USBメモリ", tw.tax.ID, "LGC3B")
	for _, f := range []url.Values{
		{"kind": {"dispose"}, "detail": {"故障のため廃棄する"}, "method": {"物理破壊"}, "planned_on": {"2026-11-20"}},
		{"kind": {"transport"}, "detail": {"書庫から支所へ"}, "method": {"施錠できる鞄"}, "planned_on": {"2026-12-10"}},
	} {
		res, _ := post(t, tw.sato, base+"/assets/"+itoa(a.ID)+"/requests", f, nil)
		reqID(t, res)
	}
	if _, err := e.db.AddImprovementItem(ctx, system, 2026, isms.ImprovementItemInput{
		Measure: "共有フォルダのアクセス権を棚卸しする", UnitID: tw.tax.ID, DueOn: planDay("2027-01-31")}); err != nil {
		t.Fatal(err)
	}

	// Staff: nothing of theirs.
	_, body := get(t, tw.sato, base+"/tasks")
	orgWant(t, "staff's tasks", body, `data-testid="tasks-none"`, "対応が必要なタスクはありません。")

	// The 管理者: the approvals, the overdue one first, then the measure.
	res, body := get(t, tw.kato, base+"/tasks")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("tasks: %d", res.StatusCode)
	}
	if got, want := strings.Join(taskKinds(body), ","), "approval,approval,improvement_plan"; got != want {
		t.Errorf("the 管理者's tasks %s, want %s", got, want)
	}
	first := between(body, `<tr class="overdue-row"`, `</tr>`)
	orgWant(t, "the overdue task", visible(first), "2026年11月20日", "期限超過", "持出し等の承認", "課税資料USBメモリ", "税務課")
	orgWant(t, "the 管理者's tasks", visible(body), "3件 （うち期限超過 1件）", "改善計画の施策", "共有フォルダのアクセス権を棚卸しする")
	if strings.Count(body, "overdue-row") != 1 {
		t.Errorf("%d rows marked overdue, want 1", strings.Count(body, "overdue-row"))
	}
	_, body = get(t, tw.kato, base+"/")
	orgWant(t, "the 管理者's home", visible(between(body, `data-testid="home-tasks"`, `</section>`)),
		"タスク", "3件", "持出し等の承認：", "課税資料USBメモリ", "期限超過", "タスクの一覧へ")
	_, body = get(t, tw.kato, base+"/units/"+itoa(tw.tax.ID))
	section := between(body, `<h2 id="tasks-h">`, `</section>`)
	orgWant(t, "税務課's tasks", visible(section), "課税資料USBメモリ", "共有フォルダのアクセス権を棚卸しする")
	// The 管理者 of 住民生活課 has none of 税務課's.
	_, body = get(t, tw.suzuki, base+"/tasks")
	orgWant(t, "another 管理者's tasks", body, "対応が必要なタスクはありません。")
	_, body = get(t, tw.suzuki, base+"/units/"+itoa(tw.life.ID))
	orgWant(t, "住民生活課's tasks", visible(between(body, `<h2 id="tasks-h">`, `</section>`)), "この組織のタスクはありません。")

	// The security office (伊藤 of 総務課): a review of the 対策基準 given to them, the checklist
	// of 総務課 in an open campaign, and the audit of 税務課 they lead.
	general := e.orgUnit(t, "100", "総務課", isms.UnitSection, 0)
	ito := e.orgPerson(t, "伊藤 六郎", "0123-45-1001", general.ID)
	itoUser, secret := e.createUser(t, "ito", isms.RoleSecurityOffice, general.ID, true)
	if err := e.db.LinkPersonUser(ctx, system, ito.ID, itoUser.ID, ito.Version); err != nil {
		t.Fatal(err)
	}
	doc, err := e.db.CreatePolicyDocument(ctx, system, isms.PolicyDocumentInput{Kind: "standards", Title: "情報セキュリティ対策基準",
		Visibility: isms.VisibilityInternal, OwnerUnitID: general.ID, ReviewMonths: 12})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.SchedulePolicyReview(ctx, system, doc.ID, isms.PolicyReviewInput{ReviewerID: itoUser.ID,
		DueOn: planDay("2027-02-28"), Reason: isms.ReviewScheduled}); err != nil {
		t.Fatal(err)
	}
	lists, err := e.db.FindChecklists(ctx, system)
	if err != nil || len(lists) == 0 {
		t.Fatalf("checklists: %v, %v", lists, err)
	}
	k, err := e.db.CreateCampaign(ctx, system, isms.CampaignInput{Name: "令和8年度 自己点検", FiscalYear: 2026, ChecklistID: lists[0].ID,
		StartsOn: planDay("2026-11-01"), EndsOn: planDay("2026-12-15"), UnitIDs: []int64{general.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.OpenCampaign(ctx, system, k.ID, k.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.CreateSecurityAudit(ctx, system, isms.SecurityAuditInput{FiscalYear: 2026, Kind: isms.AuditInternal,
		Title: "令和8年度 税務課内部監査", PlannedStart: planDay("2026-11-16"), PlannedEnd: planDay("2026-12-18"),
		ActualStart: planDay("2026-11-16"), Status: isms.AuditInProgress, UnitIDs: []int64{tw.tax.ID}, LeadID: ito.ID}); err != nil {
		t.Fatal(err)
	}
	office := e.signIn(t, "ito", testPassword, secret)
	_, body = get(t, office, base+"/tasks")
	kinds := strings.Join(taskKinds(body), ",")
	for _, kind := range []string{"review", "inspection", "finding"} {
		if !strings.Contains(kinds, kind) {
			t.Errorf("the security office's tasks %s lack %s", kinds, kind)
		}
	}
	orgWant(t, "the security office's tasks", visible(body), "ポリシーの見直し", "情報セキュリティ対策基準", "自己点検の回答",
		"令和8年度 自己点検", "監査の指摘事項", "令和8年度 税務課内部監査")
	orgNot(t, "the security office's tasks", body, "課税資料USBメモリ")
}
