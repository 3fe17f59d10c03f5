package postgres_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// inspToday is the day the people of the self-inspection tests act on, within the campaign.
const inspToday = "2026-08-03"

// inspTown is the small town of newTown with the people a self-inspection involves: 加藤, the
// 管理者 of 税務課, and 佐藤, its staff, who is also its 情報システム管理者; 山田, staff of 住民生活課;
// 関根, the 統括; and the security office.
type inspTown struct {
	*town
	kato, sato, yamada, deputy, office isms.Actor
}

func newInspTown(t *testing.T) *inspTown {
	t.Helper()
	tw := &inspTown{town: newTown(t)}
	kato, katoUser := tw.person(t, "kato", "加藤 花子", tw.tax)
	sato, satoUser := tw.person(t, "sato", "佐藤 一郎", tw.tax)
	_, yamadaUser := tw.person(t, "yamada", "山田 花子", tw.life)
	sekine, sekineUser := tw.person(t, "sekine", "関根 次郎", tw.general)
	tw.assign(t, kato, isms.RoleCodeISM, tw.tax.ID, "2026-04-01", nil)
	tw.assign(t, sato, "SYS_ADMIN", tw.tax.ID, "2026-04-01", nil)
	tw.assign(t, sekine, isms.RoleCodeDeputyCISO, 0, "2026-04-01", nil)
	tw.kato = tw.scope(t, katoUser, inspToday)
	tw.sato = tw.scope(t, satoUser, inspToday)
	tw.yamada = tw.scope(t, yamadaUser, inspToday)
	tw.deputy = tw.scope(t, sekineUser, inspToday)
	u, err := tw.db.CreateUser(context.Background(), office, isms.UserInput{LoginID: "ito", Name: "伊藤 六郎", Lang: "ja",
		DateStyle: "seireki", Role: isms.RoleSecurityOffice}, "not-a-real-hash")
	if err != nil {
		t.Fatal(err)
	}
	tw.office = tw.scope(t, u.ID, inspToday)
	return tw
}

// seeded is the checklist the migration seeds.
func (tw *inspTown) seeded(t *testing.T) isms.Checklist {
	t.Helper()
	list, err := tw.db.FindChecklists(context.Background(), tw.kato)
	if err != nil || len(list) != 1 {
		t.Fatalf("checklists: %v %v", list, err)
	}
	c, err := tw.db.FindChecklist(context.Background(), tw.kato, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// campaign creates and opens a campaign of the checklist for the units (none: all).
func (tw *inspTown) campaign(t *testing.T, checklistID int64, units ...int64) isms.Campaign {
	t.Helper()
	ctx := context.Background()
	k, err := tw.db.CreateCampaign(ctx, tw.office, isms.CampaignInput{Name: "令和8年度 自己点検", FiscalYear: 2026,
		ChecklistID: checklistID, StartsOn: at("2026-07-01"), EndsOn: at("2026-09-30"), UnitIDs: units})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.db.OpenCampaign(ctx, tw.office, k.ID, k.Version); err != nil {
		t.Fatal(err)
	}
	return k
}

// sheet is the campaign's sheet of the respondent for the unit, as the office sees it.
func (tw *inspTown) sheet(t *testing.T, campaignID int64, r isms.Respondent, unitID int64) isms.Sheet {
	t.Helper()
	sheets, err := tw.db.FindCampaignSheets(context.Background(), tw.office, campaignID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sheets {
		if s.Respondent == r && s.UnitID == unitID {
			s, err := tw.db.FindSheet(context.Background(), tw.office, campaignID, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
	}
	t.Fatalf("no %s sheet for unit %d", r, unitID)
	return isms.Sheet{}
}

// answers answers every item of the sheet with a, the measure given where the answer needs one.
func answers(s isms.Sheet, pick func(i int) isms.Answer) []isms.AnswerInput {
	var in []isms.AnswerInput
	for i, a := range s.Answers {
		ans := isms.AnswerInput{ItemID: a.ItemID, Answer: pick(i)}
		if ans.Answer.NeedsMeasure() {
			ans.Measure, ans.MeasureDueOn = "課内で手順を周知する", at("2026-12-25")
		}
		in = append(in, ans)
	}
	return in
}

// The seed: the 35 items of domain.md §6.5 in one active checklist of 令和8年度, each with the
// respondent of the table and a clause reference.
func TestInspectionSeededChecklist(t *testing.T) {
	tw := newInspTown(t)
	c := tw.seeded(t)
	if c.Name != "自己点検チェックリスト（令和8年度）" || c.Status != isms.ChecklistActive || c.VersionNo != 1 || c.FiscalYear != 2026 {
		t.Errorf("seeded checklist: %+v", c)
	}
	if len(c.Items) != 35 {
		t.Fatalf("%d items, want 35", len(c.Items))
	}
	count := map[isms.Respondent]int{}
	for i, it := range c.Items {
		count[it.Respondent]++
		if it.Number != i+1 || it.ClauseRef == "" || it.TextEn == "" {
			t.Errorf("item %d: %+v", i+1, it)
		}
	}
	want := map[isms.Respondent]int{isms.RespondentManager: 8, isms.RespondentStaff: 12, isms.RespondentSysAdmin: 9,
		isms.RespondentDeputy: 3, isms.RespondentOfficer: 2, isms.RespondentSNS: 1}
	for r, n := range want {
		if count[r] != n {
			t.Errorf("%s answers %d items, want %d", r, count[r], n)
		}
	}
	if c.Items[32].Respondent != isms.RespondentSNS || c.Items[16].Respondent != isms.RespondentOfficer {
		t.Errorf("items 33 and 17: %s %s", c.Items[32].Respondent, c.Items[16].Respondent)
	}
}

// A campaign for all units: the sheets opened by the rule, who sees and answers which, the
// 管理者's tasks, the refusals (a measure missing, a submission incomplete, answering a
// submitted sheet), and the audit trail of it all.
func TestInspectionCampaignSheetsAndAnswers(t *testing.T) {
	tw := newInspTown(t)
	ctx := context.Background()
	k := tw.campaign(t, tw.seeded(t).ID)

	sheets, err := tw.db.FindCampaignSheets(ctx, tw.office, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sheets {
		got = append(got, s.UnitName+"/"+string(s.Respondent)+"/"+strconv.Itoa(s.Total))
	}
	want := []string{"/DEPUTY_CISO/3", "税務課/ISM_SECTION/10", "税務課/staff/12", "税務課/SYS_ADMIN/9",
		"総務課/ISM_SECTION/10", "総務課/staff/12", "住民生活課/ISM_SECTION/10", "住民生活課/staff/12"}
	if !slices.Equal(got, want) {
		t.Errorf("sheets:\n got %v\nwant %v", got, want)
	}

	// Scope: 山田 of 住民生活課 finds neither 税務課's sheets nor any on the campaign's page but his own unit's.
	staffSheet := tw.sheet(t, k.ID, isms.RespondentStaff, tw.tax.ID)
	if _, err := tw.db.FindSheet(ctx, tw.yamada, k.ID, staffSheet.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("staff of another unit reads the sheet: %v", err)
	}
	if mine, _ := tw.db.FindCampaignSheets(ctx, tw.yamada, k.ID); len(mine) != 2 || mine[0].UnitID != tw.life.ID {
		t.Errorf("山田 sees %d sheets", len(mine))
	}
	if s, err := tw.db.FindSheet(ctx, tw.sato, k.ID, staffSheet.ID); err != nil || !s.MayAnswer {
		t.Errorf("staff of the unit: %v, answers %v", err, s.MayAnswer)
	}
	manager := tw.sheet(t, k.ID, isms.RespondentManager, tw.tax.ID)
	if s, _ := tw.db.FindSheet(ctx, tw.sato, k.ID, manager.ID); s.MayAnswer {
		t.Error("staff answer the 管理者's sheet")
	}
	if err := tw.db.SaveSheet(ctx, tw.sato, k.ID, manager.ID, isms.SheetInput{Version: manager.Version}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff saving the 管理者's sheet: %v", err)
	}

	// The 管理者's tasks: both sheets of 税務課 (the system sheet is 佐藤's), due on the last day.
	tasks, err := tw.db.FindInspectionTasks(ctx, tw.kato, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 2 || tasks[0].Kind != "inspection" || tasks[0].UnitID != tw.tax.ID || tasks[0].DueOn.Format("2006-01-02") != "2026-09-30" {
		t.Errorf("tasks of the 管理者: %+v", tasks)
	}
	// The 統括 answers the town-level sheet, and as staff of 総務課 its staff sheet.
	if tasks, _ := tw.db.FindInspectionTasks(ctx, tw.deputy, 0); len(tasks) != 2 || tasks[0].UnitID != 0 || tasks[1].UnitID != tw.general.ID {
		t.Errorf("tasks of the 統括: %+v", tasks)
	}
	if tasks, _ := tw.db.FindInspectionTasks(ctx, tw.sato, 0); len(tasks) != 2 {
		t.Errorf("tasks of 佐藤 (staff sheet and system sheet): %+v", tasks)
	}

	// 一部実施 without its measure and due day: refused beside both fields.
	first := manager.Answers[0].ItemID
	err = tw.db.SaveSheet(ctx, tw.kato, k.ID, manager.ID, isms.SheetInput{Version: manager.Version,
		Answers: []isms.AnswerInput{{ItemID: first, Answer: isms.AnswerPartial}}})
	fe := fieldErrors(err)
	if fe[isms.AnswerField("measure", first)] != "inspection.error.measure_required" || fe[isms.AnswerField("due", first)] != "inspection.error.due_required" {
		t.Errorf("partial without a measure: %v", err)
	}
	// Submitting with items left: refused, nothing saved.
	in := isms.SheetInput{Version: manager.Version, Submit: true, Answers: answers(manager, func(i int) isms.Answer {
		if i == 0 {
			return ""
		}
		return isms.AnswerCompliant
	})}
	if fe := fieldErrors(tw.db.SaveSheet(ctx, tw.kato, k.ID, manager.ID, in)); fe["submit"] != "inspection.error.incomplete" {
		t.Errorf("incomplete submission: %v", fe)
	}
	// Saved without submitting, then submitted complete with one 未実施.
	in.Submit = false
	if err := tw.db.SaveSheet(ctx, tw.kato, k.ID, manager.ID, in); err != nil {
		t.Fatal(err)
	}
	manager = tw.sheet(t, k.ID, isms.RespondentManager, tw.tax.ID)
	if manager.Answered != 9 || manager.Status != isms.SheetOpen {
		t.Errorf("after saving: %d answered, %s", manager.Answered, manager.Status)
	}
	if err := tw.db.SaveSheet(ctx, tw.kato, k.ID, manager.ID, in); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("a stale form: %v", err)
	}
	in = isms.SheetInput{Version: manager.Version, Submit: true, Answers: answers(manager, func(i int) isms.Answer {
		if i == 0 {
			return isms.AnswerNotCompliant
		}
		return isms.AnswerCompliant
	})}
	if err := tw.db.SaveSheet(ctx, tw.kato, k.ID, manager.ID, in); err != nil {
		t.Fatal(err)
	}
	manager = tw.sheet(t, k.ID, isms.RespondentManager, tw.tax.ID)
	if manager.Status != isms.SheetSubmitted || manager.SubmittedByName != "加藤 花子" || manager.Answered != 10 {
		t.Errorf("submitted: %+v", manager)
	}
	in.Version = manager.Version
	if err := tw.db.SaveSheet(ctx, tw.kato, k.ID, manager.ID, in); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("answering a submitted sheet: %v", err)
	}

	// The measure is the 管理者's task until it is done; the sheet no longer is.
	tasks, _ = tw.db.FindInspectionTasks(ctx, tw.kato, 0)
	kinds := map[string]int{}
	for _, task := range tasks {
		kinds[task.Kind]++
	}
	if kinds["inspection"] != 1 || kinds["improvement"] != 1 {
		t.Errorf("tasks after submitting: %+v", tasks)
	}
	if unitTasks, err := tw.db.FindInspectionTasks(ctx, tw.office, tw.tax.ID); len(unitTasks) != 3 {
		t.Errorf("税務課's tasks: %+v %v", unitTasks, err)
	}
	if _, err := tw.db.FindInspectionTasks(ctx, tw.yamada, tw.tax.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's tasks: %v", err)
	}
	if err := tw.db.CompleteMeasure(ctx, tw.kato, k.ID, manager.ID, first, manager.Answers[0].Version, at("2026-08-01")); err != nil {
		t.Fatal(err)
	}
	tasks, _ = tw.db.FindInspectionTasks(ctx, tw.kato, 0)
	if len(tasks) != 1 || tasks[0].Kind != "inspection" {
		t.Errorf("tasks after the measure: %+v", tasks)
	}

	// The office reopens the sheet; the calendar shows the campaign's period.
	if err := tw.db.ReopenSheet(ctx, tw.kato, k.ID, manager.ID, manager.Version); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("the 管理者 reopening: %v", err)
	}
	manager = tw.sheet(t, k.ID, isms.RespondentManager, tw.tax.ID)
	if err := tw.db.ReopenSheet(ctx, tw.office, k.ID, manager.ID, manager.Version); err != nil {
		t.Fatal(err)
	}
	cal, err := tw.db.FindInspectionCalendar(ctx, tw.yamada, 2026)
	if err != nil || len(cal) != 1 || cal[0].Start.Format("01-02") != "07-01" || cal[0].End.Format("01-02") != "09-30" {
		t.Errorf("calendar: %+v %v", cal, err)
	}

	events, _, err := tw.db.FindAuditEvents(ctx, office, isms.AuditFilter{EntityType: "inspection_sheet",
		EntityID: strconv.FormatInt(manager.ID, 10), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	if !slices.Equal(actions, []string{"inspection.reopen", "inspection.measure_done", "inspection.submit", "inspection.answer", "inspection.answer"}) {
		t.Errorf("audit trail of the sheet: %v", actions)
	}
	events, _, _ = tw.db.FindAuditEvents(ctx, office, isms.AuditFilter{EntityType: "inspection_campaign", EntityID: strconv.FormatInt(k.ID, 10)})
	if len(events) != 2 || events[0].Action != "inspection.campaign_open" || events[1].Action != "inspection.campaign_create" {
		t.Errorf("audit trail of the campaign: %d events", len(events))
	}
}

// The compliance rate: 3 compliant, 1 partial and 1 not applicable make 3 of 4 applicable, 75%;
// by item and by unit.
func TestInspectionComplianceRate(t *testing.T) {
	tw := newInspTown(t)
	ctx := context.Background()
	c, err := tw.db.CreateChecklist(ctx, tw.office, isms.ChecklistInput{Name: "職員向け簡易点検", FiscalYear: 2026})
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 5; n++ {
		if _, err := tw.db.SaveChecklistItem(ctx, tw.office, c.ID, 0, isms.ChecklistItemInput{Number: n,
			TextJa: "点検項目 " + strconv.Itoa(n), Respondent: isms.RespondentStaff, SortOrder: n}); err != nil {
			t.Fatal(err)
		}
	}
	c, _ = tw.db.FindChecklist(ctx, tw.office, c.ID)
	if err := tw.db.SetChecklistStatus(ctx, tw.office, c.ID, c.Version, isms.ChecklistActive); err != nil {
		t.Fatal(err)
	}
	k := tw.campaign(t, c.ID, tw.tax.ID)
	s := tw.sheet(t, k.ID, isms.RespondentStaff, tw.tax.ID)
	pattern := []isms.Answer{isms.AnswerCompliant, isms.AnswerCompliant, isms.AnswerPartial, isms.AnswerNotApplicable, isms.AnswerCompliant}
	if err := tw.db.SaveSheet(ctx, tw.sato, k.ID, s.ID, isms.SheetInput{Version: s.Version, Submit: true,
		Answers: answers(s, func(i int) isms.Answer { return pattern[i] })}); err != nil {
		t.Fatal(err)
	}
	res, err := tw.db.FindCampaignResults(ctx, tw.office, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rate, ok := res.Total.Rate(); !ok || rate != 0.75 || res.Sheets != 1 || res.Submitted != 1 {
		t.Errorf("total: %+v rate %v", res.Total, rate)
	}
	if len(res.ByUnit) != 1 || res.ByUnit[0].UnitName != "税務課" || res.ByUnit[0].Compliant != 3 {
		t.Errorf("by unit: %+v", res.ByUnit)
	}
	if r, ok := res.ByItem[3].Rate(); len(res.ByItem) != 5 || res.ByItem[2].Partial != 1 || ok {
		t.Errorf("by item: %+v (item 4 rate %v)", res.ByItem, r)
	}
	if _, err := tw.db.FindCampaignResults(ctx, tw.sato, k.ID); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff reading the town's results: %v", err)
	}
}

// Editing a checklist that an opened campaign uses makes its next version (a draft, the item
// changed there, the answered one untouched); a checklist not in use is edited in place.
func TestInspectionChecklistVersioning(t *testing.T) {
	tw := newInspTown(t)
	ctx := context.Background()
	c := tw.seeded(t)
	item := c.Items[0]
	edit := isms.ChecklistItemInput{Number: item.Number, TextJa: "所管する情報資産を台帳に登録し、年度内に見直したか。",
		TextEn: item.TextEn, Area: item.Area, Respondent: item.Respondent, ClauseRef: item.ClauseRef, SortOrder: item.SortOrder, Version: item.Version}

	// Not in use yet: in place.
	if id, err := tw.db.SaveChecklistItem(ctx, tw.office, c.ID, item.ID, edit); err != nil || id != c.ID {
		t.Fatalf("edit before use: %d %v", id, err)
	}
	c, _ = tw.db.FindChecklist(ctx, tw.office, c.ID)
	k := tw.campaign(t, c.ID)
	s := tw.sheet(t, k.ID, isms.RespondentManager, tw.tax.ID)
	if err := tw.db.SaveSheet(ctx, tw.kato, k.ID, s.ID, isms.SheetInput{Version: s.Version,
		Answers: []isms.AnswerInput{{ItemID: c.Items[0].ID, Answer: isms.AnswerCompliant}}}); err != nil {
		t.Fatal(err)
	}

	edit.TextJa, edit.Version = "情報資産管理台帳を年度内に見直したか。", c.Items[0].Version
	newID, err := tw.db.SaveChecklistItem(ctx, tw.office, c.ID, c.Items[0].ID, edit)
	if err != nil || newID == c.ID {
		t.Fatalf("edit in use: %d %v", newID, err)
	}
	old, _ := tw.db.FindChecklist(ctx, tw.office, c.ID)
	next, _ := tw.db.FindChecklist(ctx, tw.office, newID)
	if old.Items[0].TextJa != "所管する情報資産を台帳に登録し、年度内に見直したか。" || !old.InUse {
		t.Errorf("the version in use changed: %q", old.Items[0].TextJa)
	}
	if next.VersionNo != 2 || next.Status != isms.ChecklistDraft || next.FamilyID != c.ID || len(next.Items) != 35 ||
		next.Items[0].TextJa != "情報資産管理台帳を年度内に見直したか。" {
		t.Errorf("the new version: %+v, first item %q", next, next.Items[0].TextJa)
	}
	// Activating it retires the first version.
	if err := tw.db.SetChecklistStatus(ctx, tw.office, next.ID, next.Version, isms.ChecklistActive); err != nil {
		t.Fatal(err)
	}
	if old, _ = tw.db.FindChecklist(ctx, tw.office, c.ID); old.Status != isms.ChecklistRetired {
		t.Errorf("the first version is %s", old.Status)
	}
	if _, err := tw.db.SaveChecklistItem(ctx, tw.kato, next.ID, 0, edit); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("a 管理者 editing the checklist: %v", err)
	}
	events, _, _ := tw.db.FindAuditEvents(ctx, office, isms.AuditFilter{Action: "inspection.checklist_version"})
	if len(events) != 1 || events[0].EntityID != strconv.FormatInt(newID, 10) {
		t.Errorf("audit of the new version: %+v", events)
	}
}
