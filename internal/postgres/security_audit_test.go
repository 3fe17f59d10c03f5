package postgres_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// saTown is the town of the audit tests, acting on 2026-11-25. In 税務課: sato (staff) and kato
// (its 管理者). In 総務課: sekine (責任者 of 総務部, above 税務課), yamada (the town's internal
// auditor) and tanaka (staff). In 住民生活課: nakamura (staff) and suzuki (its 管理者). ito works
// in 町長部局's own office. The security office runs the audits; kimura holds AUDIT_LEAD.
type saTown struct {
	*town
	sato, kato, sekine, yamada, tanaka, nakamura, suzuki, kimura   isms.Person
	satoA, katoA, yamadaA, tanakaA, suzukiA, itoA, kimuraA, office isms.Actor
}

const saToday = "2026-11-25"

func newSATown(t *testing.T) *saTown {
	t.Helper()
	tw := &saTown{town: newTown(t)}
	var sato, kato, yamada, tanaka, suzuki, ito, kimura int64
	tw.sato, sato = tw.person(t, "sato", "佐藤 一郎", tw.tax)
	tw.kato, kato = tw.person(t, "kato", "加藤 花子", tw.tax)
	tw.sekine, _ = tw.person(t, "sekine", "関根 次郎", tw.general)
	tw.yamada, yamada = tw.person(t, "yamada", "山田 監査", tw.general)
	tw.tanaka, tanaka = tw.person(t, "tanaka", "田中 総務", tw.general)
	tw.nakamura, _ = tw.person(t, "nakamura", "中村 四郎", tw.life)
	tw.suzuki, suzuki = tw.person(t, "suzuki", "鈴木 三郎", tw.life)
	_, ito = tw.person(t, "ito", "伊藤 町長室", tw.exec)
	tw.kimura, kimura = tw.person(t, "kimura", "木村 統括", tw.exec)
	tw.assign(t, tw.kato, isms.RoleCodeISM, tw.tax.ID, "2020-04-01", nil)
	tw.assign(t, tw.sekine, isms.RoleCodeISO, tw.dept.ID, "2020-04-01", nil)
	tw.assign(t, tw.suzuki, isms.RoleCodeISM, tw.life.ID, "2020-04-01", nil)
	tw.assign(t, tw.kimura, "AUDIT_LEAD", 0, "2020-04-01", nil)
	tw.satoA, tw.katoA = tw.scope(t, sato, saToday), tw.scope(t, kato, saToday)
	tw.yamadaA, tw.tanakaA = tw.scope(t, yamada, saToday), tw.scope(t, tanaka, saToday)
	tw.suzukiA, tw.itoA, tw.kimuraA = tw.scope(t, suzuki, saToday), tw.scope(t, ito, saToday), tw.scope(t, kimura, saToday)
	u, err := tw.db.CreateUser(context.Background(), office, isms.UserInput{LoginID: "soumu", Name: "総務 情報", Lang: "ja",
		DateStyle: "seireki", Role: isms.RoleSecurityOffice}, "not-a-real-hash")
	if err != nil {
		t.Fatal(err)
	}
	tw.office = tw.scope(t, u.ID, saToday)
	return tw
}

// auditOf is an internal audit of 税務課 in November 2026 led by lead.
func (tw *saTown) auditOf(lead isms.Person, units ...int64) isms.SecurityAuditInput {
	return isms.SecurityAuditInput{FiscalYear: 2026, Kind: isms.AuditInternal, Title: "税務課 内部監査",
		PlannedStart: at("2026-11-16"), PlannedEnd: at("2026-11-20"), UnitIDs: units, LeadID: lead.ID}
}

// independence is the refusal of err when it is an auditor's independence, else nil.
func independence(err error) *isms.IndependenceError {
	e, _ := errors.AsType[*isms.IndependenceError](err)
	return e
}

// An auditor must be independent of the units audited: posted to one is refused, and so is the
// 責任者 of the 部局 above it, each with the person and unit named, beside the auditors' field; a
// person of another unit is accepted; a unit added to the scope later is checked again.
func TestSecurityAuditIndependence(t *testing.T) {
	tw := newSATown(t)
	ctx := context.Background()

	_, err := tw.db.CreateSecurityAudit(ctx, tw.office, tw.auditOf(tw.sato, tw.tax.ID))
	if e := independence(err); e == nil || e.Person != "佐藤 一郎" || e.Unit != "税務課" || e.Manages {
		t.Fatalf("auditor posted to the audited unit: %v", err)
	}
	if fieldErrors(err)["auditors"] != "security_audit.error.independence_posted" || isms.ErrorCode(err) != isms.EINVALID {
		t.Errorf("refusal: %v %v", fieldErrors(err), isms.ErrorCode(err))
	}
	in := tw.auditOf(tw.yamada, tw.tax.ID)
	in.MemberIDs = []int64{tw.sekine.ID}
	_, err = tw.db.CreateSecurityAudit(ctx, tw.office, in)
	if e := independence(err); e == nil || e.Person != "関根 次郎" || e.Unit != "税務課" || !e.Manages {
		t.Fatalf("auditor who manages the audited unit: %v", err)
	}
	// The manager of 住民生活課 audits 税務課: independent of it.
	in.MemberIDs = []int64{tw.suzuki.ID}
	a, err := tw.db.CreateSecurityAudit(ctx, tw.office, in)
	if err != nil {
		t.Fatal(err)
	}
	if a.Lead() != "山田 監査" || len(a.Auditors) != 2 || len(a.Units) != 1 {
		t.Errorf("audit as created: %+v", a)
	}
	// 住民生活課 added later: 鈴木 works there (and manages it).
	up := in
	up.UnitIDs = []int64{tw.tax.ID, tw.life.ID}
	up.Version = a.Version
	_, err = tw.db.UpdateSecurityAudit(ctx, tw.office, a.ID, up)
	if e := independence(err); e == nil || e.Person != "鈴木 三郎" || e.Unit != "住民生活課" {
		t.Fatalf("unit added later: %v", err)
	}
	// Staff do not plan audits; the holder of AUDIT_LEAD does.
	if _, err := tw.db.CreateSecurityAudit(ctx, tw.katoA, tw.auditOf(tw.yamada, tw.life.ID)); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff creating an audit: %v", err)
	}
	if _, err := tw.db.CreateSecurityAudit(ctx, tw.kimuraA, tw.auditOf(tw.yamada, tw.life.ID)); err != nil {
		t.Errorf("AUDIT_LEAD creating an audit: %v", err)
	}
}

// The plan of a fiscal year: approved by the committee, its approval lost when it changes (not
// when it is saved unchanged), and every step in the trail.
func TestSecurityAuditPlanApproval(t *testing.T) {
	tw := newSATown(t)
	ctx := context.Background()
	in := isms.AuditPlanInput{FiscalYear: 2026, Objectives: "対策基準の遵守状況を確認する", ScopeSummary: "町長部局の各課",
		Items: []isms.AuditPlanItem{{Kind: isms.AuditInternal, Title: "税務課 内部監査", Target: "税務課", Month: 11}, {}}}
	if _, err := tw.db.SaveAuditPlan(ctx, tw.katoA, in); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Fatalf("staff saving the plan: %v", err)
	}
	p, err := tw.db.SaveAuditPlan(ctx, tw.office, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || p.ApprovedOn != nil {
		t.Fatalf("plan saved: %+v", p)
	}
	if _, err := tw.db.ApproveAuditPlan(ctx, tw.office, 2026, at("2026-11-26"), "委員会", p.Version); fieldErrors(err)["approved_on"] == "" {
		t.Errorf("approval in the future: %v", err)
	}
	p, err = tw.db.ApproveAuditPlan(ctx, tw.kimuraA, 2026, at("2026-04-20"), "情報セキュリティ委員会（令和8年4月20日）", p.Version)
	if err != nil || p.ApprovedOn == nil {
		t.Fatalf("approve: %v %+v", err, p)
	}
	in.Version = p.Version
	if p, err = tw.db.SaveAuditPlan(ctx, tw.office, in); err != nil || p.ApprovedOn == nil {
		t.Fatalf("unchanged plan lost its approval: %v %+v", err, p)
	}
	in.Items = append(in.Items, isms.AuditPlanItem{Kind: isms.AuditContractor, Title: "住基システム委託先監査", Month: 2})
	if p, err = tw.db.SaveAuditPlan(ctx, tw.office, in); err != nil || p.ApprovedOn != nil || p.ApprovedBy != "" || len(p.Items) != 2 {
		t.Fatalf("changed plan kept its approval: %v %+v", err, p)
	}
	if _, err = tw.db.SaveAuditPlan(ctx, tw.office, in); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale plan form: %v", err)
	}
	if got := tw.trail(t, "security_audit_plan", "2026"); !slices.Equal(got, []string{
		"security_audit_plan.save", "security_audit_plan.approve", "security_audit_plan.save"}) {
		t.Errorf("trail: %v", got)
	}
}

// trail is the actions the audit trail holds for a record, oldest first.
func (tw *saTown) trail(t *testing.T, entity, id string) []string {
	t.Helper()
	events, _, err := tw.db.FindAuditEvents(context.Background(), tw.office, isms.AuditFilter{EntityType: entity, EntityID: id})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range slices.Backward(events) {
		if !slices.Contains(isms.AuditActions, e.Action) || !slices.Contains(isms.AuditEntityTypes, e.EntityType) {
			t.Errorf("trail event %s on %s is not listed for the viewer", e.Action, e.EntityType)
		}
		actions = append(actions, e.Action)
	}
	return actions
}

// auditing makes an audit of 税務課 by yamada in progress, with a finding on 税務課 and a corrective
// action owned by its 管理者 kato, due on due.
func (tw *saTown) auditing(t *testing.T, due string) (isms.SecurityAudit, isms.AuditFinding) {
	t.Helper()
	ctx := context.Background()
	in := tw.auditOf(tw.yamada, tw.tax.ID)
	in.Status, in.ActualStart = isms.AuditInProgress, at("2026-11-16")
	a, err := tw.db.CreateSecurityAudit(ctx, tw.office, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.CreateAuditFinding(ctx, tw.katoA, a.ID, isms.AuditFindingInput{Title: "x", Description: "x",
		Severity: "MINOR", UnitID: tw.tax.ID}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Fatalf("the audited manager writing a finding: %v", err)
	}
	f, err := tw.db.CreateAuditFinding(ctx, tw.yamadaA, a.ID, isms.AuditFindingInput{Title: "パスワードの共有",
		Description: "課内で端末のパスワードを共有している。", Severity: "MAJOR", Clause: "対策基準 第5条", UnitID: tw.tax.ID})
	if err != nil {
		t.Fatal(err)
	}
	if f.Number != 1 {
		t.Errorf("first finding numbered %d", f.Number)
	}
	if err := tw.db.AddCorrectiveAction(ctx, tw.yamadaA, f.ID, isms.CorrectiveActionInput{
		Description: "個人ごとのアカウントを発行する", OwnerID: tw.kato.ID, DueOn: at(due)}); err != nil {
		t.Fatal(err)
	}
	return a, tw.finding(t, tw.office, f.ID)
}

func (tw *saTown) finding(t *testing.T, who isms.Actor, id int64) isms.AuditFinding {
	t.Helper()
	f, err := tw.db.FindAuditFinding(context.Background(), who, id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// The corrective action's lifecycle: the owner marks it done, cannot verify it, the auditor
// refuses (reopened, with why), the owner does it again and the auditor verifies; staff who are
// neither owner nor manager cannot mark it done; an action past its due day is overdue until done.
func TestCorrectiveActionLifecycle(t *testing.T) {
	tw := newSATown(t)
	ctx := context.Background()
	_, f := tw.auditing(t, "2026-11-20")
	c := f.Actions[0]
	if c.Status != isms.ActionOpen || !c.Overdue(day(saToday)) || c.Overdue(day("2026-11-20")) {
		t.Fatalf("new action: %+v", c)
	}
	if err := tw.db.CompleteCorrectiveAction(ctx, tw.satoA, c.ID, c.Version, at("2026-11-24"), "済"); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff completing: %v", err)
	}
	if err := tw.db.CompleteCorrectiveAction(ctx, tw.katoA, c.ID, c.Version, at("2026-11-24"), ""); fieldErrors(err)["done_note"] == "" {
		t.Errorf("done without saying what: %v", err)
	}
	if err := tw.db.CompleteCorrectiveAction(ctx, tw.katoA, c.ID, c.Version, at("2026-11-24"), "個人アカウントを発行した"); err != nil {
		t.Fatal(err)
	}
	c = tw.finding(t, tw.office, f.ID).Actions[0]
	if c.Status != isms.ActionDone || c.Overdue(day(saToday)) {
		t.Fatalf("done: %+v", c)
	}
	if err := tw.db.VerifyCorrectiveAction(ctx, tw.katoA, c.ID, c.Version, true, ""); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("owner verifying: %v", err)
	}
	if err := tw.db.VerifyCorrectiveAction(ctx, tw.yamadaA, c.ID, c.Version, false, ""); fieldErrors(err)["verify_note"] == "" {
		t.Errorf("refusal without a note: %v", err)
	}
	if err := tw.db.VerifyCorrectiveAction(ctx, tw.yamadaA, c.ID, c.Version, false, "共用アカウントが残っている"); err != nil {
		t.Fatal(err)
	}
	c = tw.finding(t, tw.office, f.ID).Actions[0]
	if c.Status != isms.ActionReopened || c.VerifyNote != "共用アカウントが残っている" || !c.Overdue(day(saToday)) {
		t.Fatalf("reopened: %+v", c)
	}
	if err := tw.db.CompleteCorrectiveAction(ctx, tw.katoA, c.ID, c.Version, at("2026-11-25"), "共用アカウントを削除した"); err != nil {
		t.Fatal(err)
	}
	c = tw.finding(t, tw.office, f.ID).Actions[0]
	if err := tw.db.VerifyCorrectiveAction(ctx, tw.yamadaA, c.ID, c.Version-1, true, ""); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale verification: %v", err)
	}
	if err := tw.db.VerifyCorrectiveAction(ctx, tw.yamadaA, c.ID, c.Version, true, "確認した"); err != nil {
		t.Fatal(err)
	}
	if c = tw.finding(t, tw.office, f.ID).Actions[0]; c.Status != isms.ActionVerified {
		t.Errorf("verified: %+v", c)
	}
	if got := tw.trail(t, "audit_finding", idText(f.ID)); !slices.Equal(got, []string{"audit_finding.create",
		"corrective_action.create", "corrective_action.done", "corrective_action.reopen", "corrective_action.done",
		"corrective_action.verify"}) {
		t.Errorf("trail: %v", got)
	}
}

func idText(id int64) string { return strconv.FormatInt(id, 10) }

// Other units told to check: their managers answer, their staff read the finding; the staff of a
// unit with no tie to it do not find it, nor its audit; tasks go to whom they concern.
func TestAuditChecksVisibilityAndTasks(t *testing.T) {
	tw := newSATown(t)
	ctx := context.Background()
	a, f := tw.auditing(t, "2026-12-10")
	if _, err := tw.db.FindAuditFinding(ctx, tw.tanakaA, f.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Fatalf("staff of 総務課 before the check request: %v", err)
	}
	if err := tw.db.RequestAuditChecks(ctx, tw.katoA, f.ID, []int64{tw.life.ID}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("the audited manager requesting checks: %v", err)
	}
	if err := tw.db.RequestAuditChecks(ctx, tw.yamadaA, f.ID, []int64{tw.tax.ID}); fieldErrors(err)["check_units"] == "" {
		t.Errorf("check requested of the finding's own unit: %v", err)
	}
	if err := tw.db.RequestAuditChecks(ctx, tw.yamadaA, f.ID, []int64{tw.life.ID, tw.general.ID}); err != nil {
		t.Fatal(err)
	}
	if f2 := tw.finding(t, tw.tanakaA, f.ID); len(f2.Checks) != 2 {
		t.Errorf("checks as 総務課 staff read them: %+v", f2.Checks)
	}
	for name, who := range map[string]isms.Actor{"町長部局 staff": tw.itoA} {
		if _, err := tw.db.FindAuditFinding(ctx, who, f.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
			t.Errorf("%s reading the finding: %v", name, err)
		}
		if _, err := tw.db.FindSecurityAudit(ctx, who, a.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
			t.Errorf("%s reading the audit: %v", name, err)
		}
		if audits, err := tw.db.FindSecurityAudits(ctx, who, 2026); err != nil || len(audits) != 0 {
			t.Errorf("%s's audit list: %v %v", name, audits, err)
		}
	}
	// The audited unit's staff read the audit and its finding, but not the evidence notes.
	if err := tw.db.AddAuditNote(ctx, tw.yamadaA, a.ID, isms.AuditNoteInput{NotedOn: at("2026-11-17"), Body: "ヒアリング記録"}); err != nil {
		t.Fatal(err)
	}
	if got, err := tw.db.FindSecurityAudit(ctx, tw.satoA, a.ID); err != nil || len(got.Findings) != 1 || len(got.Notes) != 0 {
		t.Errorf("audit as 税務課 staff read it: %v %+v", err, got)
	}
	if got, err := tw.db.FindSecurityAudit(ctx, tw.yamadaA, a.ID); err != nil || len(got.Notes) != 1 {
		t.Errorf("audit as its auditor reads it: %v %+v", err, got.Notes)
	}

	kinds := func(who isms.Actor, unit int64) []string {
		tasks, err := tw.db.FindAuditTasks(ctx, who, unit)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tk := range tasks {
			out = append(out, tk.Kind+" "+tk.Href)
		}
		slices.Sort(out)
		return out
	}
	fp, ap := "/audits/findings/"+idText(f.ID), "/audits/"+idText(a.ID)
	if got := kinds(tw.katoA, 0); !slices.Equal(got, []string{"corrective_action " + fp}) {
		t.Errorf("owner's tasks: %v", got)
	}
	if got := kinds(tw.yamadaA, 0); !slices.Equal(got, []string{"finding " + ap}) {
		t.Errorf("auditor's tasks before the action is done: %v", got)
	}
	if got := kinds(tw.suzukiA, 0); !slices.Equal(got, []string{"audit_check " + fp}) {
		t.Errorf("住民生活課 manager's tasks: %v", got)
	}
	if got := kinds(tw.satoA, tw.tax.ID); !slices.Equal(got, []string{"corrective_action " + fp}) {
		t.Errorf("税務課's tasks: %v", got)
	}
	if _, err := tw.db.FindAuditTasks(ctx, tw.satoA, tw.life.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("tasks of a unit not seen: %v", err)
	}
	c := f.Actions[0]
	if err := tw.db.CompleteCorrectiveAction(ctx, tw.katoA, c.ID, c.Version, at(saToday), "発行した"); err != nil {
		t.Fatal(err)
	}
	if got := kinds(tw.yamadaA, 0); !slices.Equal(got, []string{"finding " + ap, "verification " + fp}) {
		t.Errorf("auditor's tasks after the action is done: %v", got)
	}
	if got := kinds(tw.katoA, 0); len(got) != 0 {
		t.Errorf("owner's tasks after done: %v", got)
	}

	checks := tw.finding(t, tw.suzukiA, f.ID).Checks
	life := checks[slices.IndexFunc(checks, func(k isms.AuditCheck) bool { return k.Unit.ID == tw.life.ID })]
	general := checks[slices.IndexFunc(checks, func(k isms.AuditCheck) bool { return k.Unit.ID == tw.general.ID })]
	no := false
	if err := tw.db.AnswerAuditCheck(ctx, tw.suzukiA, general.ID, isms.AuditCheckAnswer{Found: &no, Note: "x", Version: general.Version}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("answering another unit's check: %v", err)
	}
	if err := tw.db.AnswerAuditCheck(ctx, tw.suzukiA, life.ID, isms.AuditCheckAnswer{Found: &no, Note: "共有していないことを確認した", Version: life.Version}); err != nil {
		t.Fatal(err)
	}
	if got := kinds(tw.suzukiA, 0); len(got) != 0 {
		t.Errorf("住民生活課 manager's tasks after answering: %v", got)
	}
	entries, err := tw.db.FindAuditCalendar(ctx, tw.satoA, 2026)
	if err != nil || len(entries) != 1 || !entries[0].Start.Equal(day("2026-11-16")) || !entries[0].End.Equal(day("2026-11-20")) {
		t.Errorf("calendar: %v %+v", err, entries)
	}
}
