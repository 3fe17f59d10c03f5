package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// incToday is the day the people of the incident tests act on.
const incToday = "2026-11-25"

var incJST = time.FixedZone("JST", 9*3600)

// incAt is a moment in Japan time, "2026-11-20 10:00".
func incAt(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, incJST)
	if err != nil {
		panic(err)
	}
	return t
}

// incTown is the small town with everyone the incident log involves: in 税務課 a member of staff
// (sato, who reports) and its 情報セキュリティ管理者 (kato); the 情報セキュリティ責任者 of 総務部
// above it (sekine, posted to 総務課); in 住民生活課 a member of staff (yamada), its 管理者
// (suzuki) and a CSIRT member (nakamura, a staff account); the deputy mayor holding the CISO
// role on a staff account; and accounts of the security office, the CISO and an auditor.
type incTown struct {
	*town
	reporter, otherStaff, taxManager, deptOfficer, lifeManager, csirt, office, ciso, cisoHolder, auditor isms.Actor
	reporterID                                                                                           int64
	kato                                                                                                 isms.Person
}

func newIncTown(t *testing.T) *incTown {
	t.Helper()
	tw := &incTown{town: newTown(t)}
	_, reporter := tw.person(t, "sato", "佐藤 一郎", tw.tax)
	_, other := tw.person(t, "yamada", "山田 花子", tw.life)
	kato, taxManager := tw.person(t, "kato", "加藤 花子", tw.tax)
	sekine, deptOfficer := tw.person(t, "sekine", "関根 次郎", tw.general)
	suzuki, lifeManager := tw.person(t, "suzuki", "鈴木 三郎", tw.life)
	nakamura, csirt := tw.person(t, "nakamura", "中村 四郎", tw.life)
	deputyMayor, holder := tw.person(t, "fukucho", "副町長 五郎", tw.exec)
	tw.assign(t, kato, isms.RoleCodeISM, tw.tax.ID, "2026-04-01", nil)
	tw.assign(t, sekine, isms.RoleCodeISO, tw.dept.ID, "2026-04-01", nil)
	tw.assign(t, suzuki, isms.RoleCodeISM, tw.life.ID, "2026-04-01", nil)
	tw.assign(t, nakamura, isms.RoleCodeCSIRTMember, 0, "2026-04-01", nil)
	tw.assign(t, deputyMayor, isms.RoleCodeCISO, 0, "2026-04-01", nil)
	tw.kato = kato
	tw.reporterID = reporter
	tw.reporter = tw.scope(t, reporter, incToday)
	tw.otherStaff = tw.scope(t, other, incToday)
	tw.taxManager = tw.scope(t, taxManager, incToday)
	tw.deptOfficer = tw.scope(t, deptOfficer, incToday)
	tw.lifeManager = tw.scope(t, lifeManager, incToday)
	tw.csirt = tw.scope(t, csirt, incToday)
	tw.cisoHolder = tw.scope(t, holder, incToday)
	tw.office = tw.scope(t, tw.account(t, "ito", "伊藤 六郎", isms.RoleSecurityOffice), incToday)
	tw.ciso = tw.scope(t, tw.account(t, "saiko", "最高 責任者", isms.RoleCISO), incToday)
	tw.auditor = tw.scope(t, tw.account(t, "kansa", "監査 七郎", isms.RoleAuditor), incToday)
	return tw
}

// account creates a portal account of role that no person is linked to.
func (tw *incTown) account(t *testing.T, login, name string, role isms.Role) int64 {
	t.Helper()
	u, err := tw.db.CreateUser(context.Background(), office, isms.UserInput{LoginID: login, Name: name, Lang: "ja",
		DateStyle: "seireki", Role: role}, "not-a-real-hash")
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// report files a report by who, noticed at aware.
func (tw *incTown) report(t *testing.T, who isms.Actor, title string, aware time.Time) isms.Incident {
	t.Helper()
	inc, err := tw.db.CreateIncident(context.Background(), who, isms.IncidentInput{Title: title,
		Description: "住民宛ての通知を別の住民に送ってしまった", AwareAt: &aware, PersonalInfo: isms.PersonalInfoUnknown,
		Channel: isms.ChannelPortal})
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

// judged is a triage form for inc: an incident of severity 1, 誤送信, personal information
// involved, with change applied.
func judged(inc isms.Incident, change func(*isms.IncidentTriage)) isms.IncidentTriage {
	yes, severity, aware := true, isms.SeverityMinor, inc.AwareAt
	in := isms.IncidentTriage{IsIncident: &yes, Severity: &severity, Category: "MISDELIVERY", AwareAt: &aware,
		PersonalInfo: isms.PersonalInfoYes, Version: inc.Version}
	if change != nil {
		change(&in)
	}
	return in
}

func (tw *incTown) triage(t *testing.T, who isms.Actor, inc isms.Incident, change func(*isms.IncidentTriage)) isms.Incident {
	t.Helper()
	after, err := tw.db.TriageIncident(context.Background(), who, inc.ID, judged(inc, change))
	if err != nil {
		t.Fatal(err)
	}
	return after
}

func (tw *incTown) find(t *testing.T, id int64) isms.Incident {
	t.Helper()
	inc, err := tw.db.FindIncident(context.Background(), tw.office, id)
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

// incAudit lists the audit actions recorded for one incident, oldest first.
func (tw *incTown) incAudit(t *testing.T, id int64) []string {
	t.Helper()
	events, _, err := tw.db.FindAuditEvents(context.Background(), office, isms.AuditFilter{EntityType: "incident", EntityID: idStr(id), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(events) - 1; i >= 0; i-- {
		out = append(out, events[i].Action)
	}
	return out
}

func eventKinds(inc isms.Incident) []isms.IncidentEventKind {
	var out []isms.IncidentEventKind
	for _, e := range inc.Events {
		out = append(out, e.Kind)
	}
	return out
}

func lastEvent(inc isms.Incident, kind isms.IncidentEventKind) isms.IncidentEvent {
	for i := len(inc.Events) - 1; i >= 0; i-- {
		if inc.Events[i].Kind == kind {
			return inc.Events[i]
		}
	}
	return isms.IncidentEvent{}
}

func ptr[T any](v T) *T { return &v }

func dayOf(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.DateOnly)
}

// Numbers count per fiscal year of the intake day; the reporter's unit is the first unit
// concerned, and the timeline starts with the intake.
func TestIncidentCreateAndNumbering(t *testing.T) {
	ctx := context.Background()
	tw := newIncTown(t)
	aware := incAt("2026-11-20 10:00")
	first := tw.report(t, tw.reporter, "通知書の誤送付", aware)
	second := tw.report(t, tw.reporter, "USBメモリの紛失", aware)
	if first.Number != "2026-0001" || second.Number != "2026-0002" {
		t.Errorf("numbers %s, %s", first.Number, second.Number)
	}
	if first.Status != isms.IncidentReceived || first.ReportedByName != "佐藤 一郎" || !first.AwareAt.Equal(aware) ||
		len(first.Units) != 1 || first.Units[0].ID != tw.tax.ID || first.Units[0].Name != "税務課" || first.Units[0].Code != "111" {
		t.Errorf("created: %+v", first)
	}
	found := tw.find(t, first.ID)
	if !slices.Equal(eventKinds(found), []isms.IncidentEventKind{isms.EventIntake}) || found.Events[0].CreatedByName != "佐藤 一郎" {
		t.Errorf("timeline: %+v", found.Events)
	}
	// 3月31日 is still fiscal 2026; 4月1日 starts 2027 at 0001.
	march := tw.scope(t, tw.reporterID, "2027-03-31")
	april := tw.scope(t, tw.reporterID, "2027-04-01")
	if got := tw.report(t, march, "年度末の報告", aware).Number; got != "2026-0003" {
		t.Errorf("on 2027-03-31: %s", got)
	}
	if got := tw.report(t, april, "新年度の報告", aware).Number; got != "2027-0001" {
		t.Errorf("on 2027-04-01: %s", got)
	}
	// A report from outside names its source; every report says when it was noticed.
	_, err := tw.db.CreateIncident(ctx, tw.reporter, isms.IncidentInput{Title: "住民からの電話", Description: "他人の通知が届いた",
		PersonalInfo: isms.PersonalInfoYes, Channel: isms.ChannelPhone})
	if fe := fieldErrors(err); fe["external_reporter"] != "incident.error.external_reporter" || fe["aware_at"] != "validation.required" {
		t.Errorf("incomplete report: %v", err)
	}
	if got := tw.incAudit(t, first.ID); !slices.Equal(got, []string{"incident.create"}) {
		t.Errorf("audit: %v", got)
	}
}

// The PPC determination through the store: 100 subjects owe nothing, 101 owe a 速報 (noticed + 5
// days) and a 確報 (+30, +60 for wrongful intent); a report made keeps its dates when the facts
// change, and the reports not made go when no trigger is met any more.
func TestIncidentPPCBoundaryAndDueDates(t *testing.T) {
	ctx := context.Background()
	tw := newIncTown(t)
	inc := tw.report(t, tw.reporter, "通知書の誤送付", incAt("2026-11-20 10:00"))

	inc = tw.triage(t, tw.csirt, inc, func(in *isms.IncidentTriage) { in.PISubjects = ptr(100) })
	if len(inc.PPCTriggers) != 0 || len(inc.Reports) != 0 {
		t.Errorf("100 subjects: triggers %v, reports %+v", inc.PPCTriggers, inc.Reports)
	}
	inc = tw.triage(t, tw.csirt, inc, func(in *isms.IncidentTriage) { in.PISubjects = ptr(101) })
	prelim, okPrelim := inc.Report(isms.ReportPPCPrelim)
	final, okFinal := inc.Report(isms.ReportPPCFinal)
	if !slices.Equal(inc.PPCTriggers, []isms.PPCTrigger{isms.TriggerSubjects}) || !okPrelim || !okFinal ||
		dayOf(prelim.DueOn) != "2026-11-25" || dayOf(final.DueOn) != "2026-12-20" ||
		inc.Reports[0].Recipient != isms.ReportPPCPrelim {
		t.Errorf("101 subjects: triggers %v, reports %+v", inc.PPCTriggers, inc.Reports)
	}
	inc = tw.triage(t, tw.csirt, inc, func(in *isms.IncidentTriage) { in.PISubjects = ptr(101); in.WrongfulIntent = true })
	final, _ = inc.Report(isms.ReportPPCFinal)
	if dayOf(final.DueOn) != "2027-01-19" || !slices.Equal(inc.PPCTriggers, []isms.PPCTrigger{isms.TriggerWrongful, isms.TriggerSubjects}) {
		t.Errorf("wrongful intent: %v, 確報 due %s", inc.PPCTriggers, dayOf(final.DueOn))
	}

	// The 速報 is made; recording it does not make the triage form stale.
	prelim, _ = inc.Report(isms.ReportPPCPrelim)
	if err := tw.db.UpdateIncidentReport(ctx, tw.csirt, inc.ID, prelim.ID, prelim.Version, isms.IncidentReportInput{
		DoneOn: at("2026-11-24"), DueOn: at("2026-12-31"), Note: "電子メールで報告（受付番号 123）"}); err != nil {
		t.Fatal(err)
	}
	found := tw.find(t, inc.ID)
	prelim, _ = found.Report(isms.ReportPPCPrelim)
	made := lastEvent(found, isms.EventReport)
	if found.Version != inc.Version || dayOf(prelim.DoneOn) != "2026-11-24" || dayOf(prelim.DueOn) != "2026-11-25" ||
		made.Detail["recipient"] != "ppc_prelim" || made.Body != "電子メールで報告（受付番号 123）" {
		t.Errorf("速報 made: version %d→%d, %+v, event %+v", inc.Version, found.Version, prelim, made)
	}

	// The town became aware half an hour after midnight of the 21st in Japan: the 確報 is re-dated
	// from that day (without wrongful intent), the 速報 made keeps its dates.
	inc = tw.triage(t, tw.csirt, found, func(in *isms.IncidentTriage) {
		in.PISubjects = ptr(101)
		in.AwareAt = ptr(incAt("2026-11-21 00:30"))
	})
	prelim, _ = inc.Report(isms.ReportPPCPrelim)
	final, _ = inc.Report(isms.ReportPPCFinal)
	if dayOf(prelim.DueOn) != "2026-11-25" || dayOf(prelim.DoneOn) != "2026-11-24" || dayOf(final.DueOn) != "2026-12-21" {
		t.Errorf("re-dated: 速報 %+v, 確報 %+v", prelim, final)
	}

	// Fewer subjects after all: the 確報 not made goes, the 速報 made stays.
	inc = tw.triage(t, tw.csirt, inc, func(in *isms.IncidentTriage) { in.PISubjects = ptr(40) })
	if len(inc.PPCTriggers) != 0 || len(inc.Reports) != 1 || inc.Reports[0].Recipient != isms.ReportPPCPrelim {
		t.Errorf("trigger off: %v, %+v", inc.PPCTriggers, inc.Reports)
	}
}

// Each trigger of the law meets the determination through the store, and one the town switches
// off in its rules does not.
func TestIncidentEachTriggerAndRules(t *testing.T) {
	ctx := context.Background()
	tw := newIncTown(t)
	for _, tc := range []struct {
		want isms.PPCTrigger
		set  func(*isms.IncidentTriage)
	}{
		{isms.TriggerSensitive, func(in *isms.IncidentTriage) { in.PISensitive = true }},
		{isms.TriggerFinancial, func(in *isms.IncidentTriage) { in.FinancialHarm = true }},
		{isms.TriggerWrongful, func(in *isms.IncidentTriage) { in.WrongfulIntent = true }},
		{isms.TriggerSubjects, func(in *isms.IncidentTriage) { in.PISubjects = ptr(500) }},
		{isms.TriggerOrdinance, func(in *isms.IncidentTriage) { in.PIOrdinance = true }},
		{isms.TriggerMyNumber, func(in *isms.IncidentTriage) { in.PIMyNumber = true }},
	} {
		inc := tw.triage(t, tw.office, tw.report(t, tw.reporter, string(tc.want), incAt("2026-11-20 10:00")), tc.set)
		if !slices.Equal(inc.PPCTriggers, []isms.PPCTrigger{tc.want}) || len(inc.Reports) != 2 {
			t.Errorf("%s: triggers %v, reports %d", tc.want, inc.PPCTriggers, len(inc.Reports))
		}
	}

	rules, err := tw.db.FindIncidentRules(ctx)
	if err != nil || rules.SubjectThreshold != 100 || rules.PrelimDays != 5 || !rules.Triggers[isms.TriggerSensitive] {
		t.Fatalf("rules: %+v, %v", rules, err)
	}
	if _, err := tw.db.UpdateIncidentRules(ctx, tw.csirt, rules); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("CSIRT member changing the rules: %v", err)
	}
	bad := rules
	bad.PrelimDays = 0
	if _, err := tw.db.UpdateIncidentRules(ctx, tw.office, bad); fieldErrors(err)["prelim_days"] == "" {
		t.Errorf("0 days for the 速報: %v", err)
	}
	rules.Triggers[isms.TriggerSensitive] = false
	saved, err := tw.db.UpdateIncidentRules(ctx, tw.office, rules)
	if err != nil || saved.Triggers[isms.TriggerSensitive] || saved.Version != rules.Version+1 {
		t.Fatalf("rules saved: %+v, %v", saved, err)
	}
	if _, err := tw.db.UpdateIncidentRules(ctx, tw.office, rules); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale rules: %v", err)
	}
	inc := tw.triage(t, tw.office, tw.report(t, tw.reporter, "要配慮", incAt("2026-11-20 10:00")),
		func(in *isms.IncidentTriage) { in.PISensitive = true })
	if len(inc.PPCTriggers) != 0 || len(inc.Reports) != 0 {
		t.Errorf("switched-off trigger: %v, %+v", inc.PPCTriggers, inc.Reports)
	}
	// No personal information involved, no report owed whatever else is ticked.
	inc = tw.triage(t, tw.office, tw.report(t, tw.reporter, "個人情報なし", incAt("2026-11-20 10:00")),
		func(in *isms.IncidentTriage) { in.PersonalInfo = isms.PersonalInfoNo; in.PIMyNumber = true })
	if len(inc.PPCTriggers) != 0 {
		t.Errorf("no personal information: %v", inc.PPCTriggers)
	}
	if got := tw.incAudit(t, inc.ID); !slices.Equal(got, []string{"incident.create", "incident.triage"}) {
		t.Errorf("audit: %v", got)
	}
	events, _, err := tw.db.FindAuditEvents(ctx, office, isms.AuditFilter{Action: "incident.rules"})
	if err != nil || len(events) != 1 || events[0].EntityType != "incident_rules" {
		t.Errorf("rules audit: %+v, %v", events, err)
	}
}

// The workflow through the store: the judgement moves 受付 on, allowed moves write a status
// entry with the note, refused ones change nothing, and closing waits for the cause, a
// preventive measure and every action done.
func TestIncidentMoves(t *testing.T) {
	ctx := context.Background()
	tw := newIncTown(t)
	inc := tw.report(t, tw.reporter, "通知書の誤送付", incAt("2026-11-20 10:00"))

	_, err := tw.db.MoveIncident(ctx, tw.csirt, inc.ID, inc.Version, isms.IncidentInvestigating, "")
	if fieldErrors(err)["status"] != "incident.move.not_judged" {
		t.Errorf("investigating before the judgement: %v", err)
	}
	inc = tw.triage(t, tw.csirt, inc, nil)
	status := lastEvent(inc, isms.EventStatus)
	if inc.Status != isms.IncidentInvestigating || inc.DecidedByName != "中村 四郎" || inc.DecidedAt == nil ||
		status.Detail["from"] != "received" || status.Detail["to"] != "investigating" {
		t.Errorf("triaged: status %s, decided by %q, status entry %+v", inc.Status, inc.DecidedByName, status)
	}
	if !slices.Equal(eventKinds(inc), []isms.IncidentEventKind{isms.EventIntake, isms.EventTriage, isms.EventSeverity, isms.EventStatus}) {
		t.Errorf("timeline after triage: %v", eventKinds(inc))
	}

	inc, err = tw.db.MoveIncident(ctx, tw.csirt, inc.ID, inc.Version, isms.IncidentResponding, "原因の調査を終え、対応に移る")
	if err != nil {
		t.Fatal(err)
	}
	found := tw.find(t, inc.ID)
	status = lastEvent(found, isms.EventStatus)
	if found.Status != isms.IncidentResponding || status.Body != "原因の調査を終え、対応に移る" || status.Detail["to"] != "responding" ||
		status.CreatedByName != "中村 四郎" {
		t.Errorf("moved: %s, entry %+v", found.Status, status)
	}
	// A move the workflow does not allow changes nothing.
	_, err = tw.db.MoveIncident(ctx, tw.csirt, inc.ID, inc.Version, isms.IncidentClosed, "")
	if fieldErrors(err)["status"] != "incident.move.not_allowed" {
		t.Errorf("responding → closed: %v", err)
	}
	if again := tw.find(t, inc.ID); again.Status != isms.IncidentResponding || again.Version != found.Version || len(again.Events) != len(found.Events) {
		t.Errorf("after a refused move: %s v%d, %d entries", again.Status, again.Version, len(again.Events))
	}
	// A stale version is a conflict.
	if _, err := tw.db.MoveIncident(ctx, tw.csirt, inc.ID, inc.Version-1, isms.IncidentPrevention, ""); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale move: %v", err)
	}
	if _, err := tw.db.TriageIncident(ctx, tw.csirt, inc.ID, judged(inc, func(in *isms.IncidentTriage) { in.Version-- })); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale triage: %v", err)
	}

	inc, err = tw.db.MoveIncident(ctx, tw.csirt, inc.ID, inc.Version, isms.IncidentPrevention, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = tw.db.MoveIncident(ctx, tw.csirt, inc.ID, inc.Version, isms.IncidentClosed, "")
	if fe := fieldErrors(err); fe["root_cause"] != "incident.move.root_cause" || fe["actions"] != "incident.move.prevention" {
		t.Errorf("closing without cause and prevention: %v", fe)
	}
	inc = tw.triage(t, tw.csirt, inc, func(in *isms.IncidentTriage) { in.RootCause = "宛名の確認を一人で行っていた" })
	if err := tw.db.AddIncidentAction(ctx, tw.csirt, inc.ID, isms.IncidentActionInput{Kind: isms.IncidentPreventionAction,
		Description: "発送前に二人で宛名を確認する", OwnerID: tw.kato.ID, DueOn: at("2026-12-15")}); err != nil {
		t.Fatal(err)
	}
	inc = tw.find(t, inc.ID)
	_, err = tw.db.MoveIncident(ctx, tw.csirt, inc.ID, inc.Version, isms.IncidentClosed, "")
	if fe := fieldErrors(err); fe["actions"] != "incident.move.actions_open" || fe["root_cause"] != "" {
		t.Errorf("closing with an open action: %v", fe)
	}
	action := inc.Actions[0]
	if action.OwnerName != "加藤 花子" {
		t.Errorf("action: %+v", action)
	}
	if err := tw.db.CompleteIncidentAction(ctx, tw.csirt, inc.ID, action.ID, action.Version, at("2026-11-25")); err != nil {
		t.Fatal(err)
	}
	inc, err = tw.db.MoveIncident(ctx, tw.csirt, inc.ID, inc.Version, isms.IncidentClosed, "再発防止策の実施を確認")
	if err != nil || inc.Status != isms.IncidentClosed || inc.ClosedAt == nil {
		t.Fatalf("closed: %+v, %v", inc, err)
	}
	inc, err = tw.db.MoveIncident(ctx, tw.csirt, inc.ID, inc.Version, isms.IncidentInvestigating, "同様の事案が判明")
	if err != nil || inc.Status != isms.IncidentInvestigating || inc.ClosedAt != nil {
		t.Errorf("reopened: %+v, %v", inc, err)
	}

	// Judged not an incident while under investigation: 非該当.
	other := tw.triage(t, tw.csirt, tw.report(t, tw.reporter, "不審なメール", incAt("2026-11-20 10:00")), nil)
	other = tw.triage(t, tw.csirt, other, func(in *isms.IncidentTriage) { in.IsIncident = ptr(false) })
	if other.Status != isms.IncidentNotIncident || lastEvent(other, isms.EventStatus).Detail["to"] != "not_incident" {
		t.Errorf("judged not: %s", other.Status)
	}
	if got := tw.incAudit(t, inc.ID); !slices.Equal(got, []string{"incident.create", "incident.triage", "incident.move",
		"incident.move", "incident.triage", "incident.action", "incident.action_done", "incident.move", "incident.move"}) {
		t.Errorf("audit: %v", got)
	}
}

// Need to know: the reporter, the managers of the unit and of the units above it, the handlers,
// the CISO and auditors see an incident; anyone else finds nothing. Seeing is not handling.
func TestIncidentNeedToKnow(t *testing.T) {
	ctx := context.Background()
	tw := newIncTown(t)
	inc := tw.report(t, tw.reporter, "通知書の誤送付", incAt("2026-11-20 10:00"))
	mine := tw.report(t, tw.otherStaff, "住民生活課の報告", incAt("2026-11-20 10:00"))

	listed := func(who isms.Actor) bool {
		t.Helper()
		list, _, err := tw.db.FindIncidents(ctx, who, isms.IncidentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(list, func(i isms.Incident) bool { return i.ID == inc.ID })
	}
	for _, tc := range []struct {
		who  string
		as   isms.Actor
		sees bool
	}{
		{"reporter", tw.reporter, true},
		{"staff of another unit", tw.otherStaff, false},
		{"管理者 of 税務課", tw.taxManager, true},
		{"責任者 of 総務部", tw.deptOfficer, true},
		{"管理者 of 住民生活課", tw.lifeManager, false},
		{"CSIRT member", tw.csirt, true},
		{"security office", tw.office, true},
		{"CISO", tw.ciso, true},
		{"CISO role holder", tw.cisoHolder, true},
		{"auditor", tw.auditor, true},
	} {
		_, err := tw.db.FindIncident(ctx, tc.as, inc.ID)
		if got := err == nil; got != tc.sees || !tc.sees && isms.ErrorCode(err) != isms.ENOTFOUND {
			t.Errorf("%s finding it: %v", tc.who, err)
		}
		if got := listed(tc.as); got != tc.sees {
			t.Errorf("%s: in the list %v, want %v", tc.who, got, tc.sees)
		}
	}
	// Those who do not see it cannot act on it either: not found, as if it did not exist.
	note := isms.IncidentEventInput{Kind: isms.EventNote, Body: "追記"}
	if err := tw.db.AddIncidentEvent(ctx, tw.otherStaff, inc.ID, note); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("staff of another unit adding an entry: %v", err)
	}
	if _, err := tw.db.TriageIncident(ctx, tw.otherStaff, inc.ID, judged(inc, nil)); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("staff of another unit triaging: %v", err)
	}
	// Seeing is not handling: the reporter and the 管理者 may not triage, the auditor may not write.
	for who, as := range map[string]isms.Actor{"reporter": tw.reporter, "管理者": tw.taxManager, "CISO": tw.ciso} {
		if _, err := tw.db.TriageIncident(ctx, as, inc.ID, judged(inc, nil)); isms.ErrorCode(err) != isms.EFORBIDDEN {
			t.Errorf("%s triaging: %v", who, err)
		}
	}
	if err := tw.db.AddIncidentEvent(ctx, tw.auditor, inc.ID, note); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("auditor adding an entry: %v", err)
	}
	if err := tw.db.AddIncidentEvent(ctx, tw.reporter, inc.ID, isms.IncidentEventInput{Kind: isms.EventContainment,
		Body: "誤送付先に連絡し、回収を依頼した"}); err != nil {
		t.Errorf("reporter adding an entry: %v", err)
	}
	if n, err := tw.db.CountIncidentQueue(ctx, tw.csirt); err != nil || n != 2 {
		t.Errorf("the CSIRT's queue: %d, %v", n, err)
	}
	if n, _ := tw.db.CountIncidentQueue(ctx, tw.reporter); n != 0 {
		t.Errorf("the reporter's queue: %d", n)
	}
	if _, err := tw.db.TriageIncident(ctx, tw.csirt, inc.ID, judged(inc, nil)); err != nil {
		t.Errorf("CSIRT member triaging: %v", err)
	}
	// The reporter's own list.
	list, _, err := tw.db.FindIncidents(ctx, tw.otherStaff, isms.IncidentFilter{Mine: true})
	if err != nil || len(list) != 1 || list[0].ID != mine.ID {
		t.Errorf("yamada's own reports: %+v, %v", list, err)
	}
}

// Escalation: severity 2 and then a PPC trigger put the incident before the CISO and the
// managers of its unit and of the units above it, once per reason, each written in the timeline.
func TestIncidentEscalationNotifications(t *testing.T) {
	ctx := context.Background()
	tw := newIncTown(t)
	inc := tw.report(t, tw.reporter, "通知書の誤送付", incAt("2026-11-20 10:00"))
	inc = tw.triage(t, tw.csirt, inc, func(in *isms.IncidentTriage) { in.Severity = ptr(isms.SeverityMajor) })
	if !slices.Equal(inc.Escalations, []isms.Escalation{isms.EscalationSeverity}) ||
		lastEvent(inc, isms.EventEscalation).Detail["reasons"] != "severity" {
		t.Errorf("severity 2: %v, %+v", inc.Escalations, lastEvent(inc, isms.EventEscalation))
	}
	inc = tw.triage(t, tw.csirt, inc, func(in *isms.IncidentTriage) {
		in.Severity = ptr(isms.SeverityCritical)
		in.PISubjects = ptr(150)
	})
	// Saving the same facts again escalates nothing new.
	inc = tw.triage(t, tw.csirt, inc, func(in *isms.IncidentTriage) {
		in.Severity = ptr(isms.SeverityCritical)
		in.PISubjects = ptr(150)
	})
	var reasons []string
	for _, e := range inc.Events {
		if e.Kind == isms.EventEscalation {
			reasons = append(reasons, e.Detail["reasons"])
		}
	}
	if !slices.Equal(reasons, []string{"severity", "ppc"}) || !slices.Equal(inc.Escalations, []isms.Escalation{isms.EscalationSeverity, isms.EscalationPPC}) {
		t.Errorf("escalations: %v, entries %v", inc.Escalations, reasons)
	}

	for _, tc := range []struct {
		who  string
		as   isms.Actor
		want int
	}{
		{"CISO", tw.ciso, 2},
		{"CISO role holder", tw.cisoHolder, 2},
		{"管理者 of 税務課", tw.taxManager, 2},
		{"責任者 of 総務部", tw.deptOfficer, 2},
		{"管理者 of 住民生活課", tw.lifeManager, 0},
		{"reporter", tw.reporter, 0},
		{"CSIRT member", tw.csirt, 0},
	} {
		list, err := tw.db.FindNotifications(ctx, tc.as, 20)
		if err != nil || len(list) != tc.want {
			t.Errorf("%s: %d notifications, want %d (%v)", tc.who, len(list), tc.want, err)
		}
		// The list shows only incidents the reader sees: count what was stored as well.
		var stored int
		if err := tw.db.Pool().QueryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1`, tc.as.UserID).Scan(&stored); err != nil || stored != tc.want {
			t.Errorf("%s: %d notifications stored, want %d (%v)", tc.who, stored, tc.want, err)
		}
	}
	list, err := tw.db.FindNotifications(ctx, tw.ciso, 20)
	if err != nil {
		t.Fatal(err)
	}
	n := list[0]
	if n.Reason != isms.EscalationPPC || list[1].Reason != isms.EscalationSeverity || n.Number != inc.Number ||
		n.Title != "通知書の誤送付" || n.Severity == nil || *n.Severity != 3 || n.Status != isms.IncidentInvestigating ||
		dayOf(n.PrelimDue) != "2026-11-25" || n.PrelimDone != nil || n.ReadAt != nil || n.IncidentID != inc.ID {
		t.Errorf("CISO's notification: %+v", n)
	}
	if c, err := tw.db.CountUnreadNotifications(ctx, tw.ciso); err != nil || c != 2 {
		t.Errorf("unread: %d, %v", c, err)
	}
	if err := tw.db.ReadNotification(ctx, tw.taxManager, n.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("reading someone else's: %v", err)
	}
	if err := tw.db.ReadNotification(ctx, tw.ciso, n.ID); err != nil {
		t.Fatal(err)
	}
	if c, _ := tw.db.CountUnreadNotifications(ctx, tw.ciso); c != 1 {
		t.Errorf("unread after reading one: %d", c)
	}
	if err := tw.db.ReadNotification(ctx, tw.ciso, 0); err != nil {
		t.Fatal(err)
	}
	if c, _ := tw.db.CountUnreadNotifications(ctx, tw.ciso); c != 0 {
		t.Errorf("unread after reading all: %d", c)
	}
	if c, _ := tw.db.CountUnreadNotifications(ctx, tw.taxManager); c != 2 {
		t.Errorf("the 管理者's unread: %d", c)
	}
}

// Assignment goes to handlers only; reports and actions are recorded with their versions, and
// every change is in the incident's audit trail.
func TestIncidentAssignReportsAndAudit(t *testing.T) {
	ctx := context.Background()
	tw := newIncTown(t)
	inc := tw.triage(t, tw.office, tw.report(t, tw.reporter, "ランサムウェア感染の疑い", incAt("2026-11-20 10:00")), nil)

	handlers, err := tw.db.FindIncidentHandlers(ctx, tw.office)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range handlers {
		names = append(names, u.Name)
	}
	if !slices.Contains(names, "中村 四郎") || !slices.Contains(names, "伊藤 六郎") || len(names) != 2 {
		t.Errorf("handlers: %v", names)
	}
	if _, err := tw.db.AssignIncident(ctx, tw.office, inc.ID, inc.Version, tw.reporterID); fieldErrors(err)["assignee"] != "incident.error.assignee" {
		t.Errorf("assigning the reporter: %v", err)
	}
	inc, err = tw.db.AssignIncident(ctx, tw.office, inc.ID, inc.Version, tw.csirt.UserID)
	if err != nil || inc.AssigneeName != "中村 四郎" {
		t.Fatalf("assigned: %+v, %v", inc, err)
	}
	if e := lastEvent(tw.find(t, inc.ID), isms.EventAssignee); e.Detail["from"] != "" || e.Detail["to"] != "中村 四郎" {
		t.Errorf("assignee entry: %+v", e)
	}

	if err := tw.db.AddIncidentReport(ctx, tw.csirt, inc.ID, isms.IncidentReportInput{Recipient: isms.ReportPPCPrelim}); fieldErrors(err)["recipient"] != "validation.choose" {
		t.Errorf("adding a PPC report by hand: %v", err)
	}
	if err := tw.db.AddIncidentReport(ctx, tw.reporter, inc.ID, isms.IncidentReportInput{Recipient: isms.ReportPolice}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("reporter adding a report: %v", err)
	}
	if err := tw.db.AddIncidentReport(ctx, tw.csirt, inc.ID, isms.IncidentReportInput{Recipient: isms.ReportPolice,
		DueOn: at("2026-11-27"), Note: "サイバー犯罪相談窓口"}); err != nil {
		t.Fatal(err)
	}
	found := tw.find(t, inc.ID)
	police, ok := found.Report(isms.ReportPolice)
	if !ok || dayOf(police.DueOn) != "2026-11-27" || found.Version != inc.Version {
		t.Fatalf("police report: %+v (version %d→%d)", found.Reports, inc.Version, found.Version)
	}
	in := isms.IncidentReportInput{DueOn: at("2026-11-28"), DoneOn: at("2026-11-30"), Note: "相談受理番号 45"}
	if err := tw.db.UpdateIncidentReport(ctx, tw.csirt, inc.ID, police.ID, police.Version, in); fieldErrors(err)["done_on"] != "incident.error.future" {
		t.Errorf("made in the future: %v", err)
	}
	in.DoneOn = at("2026-11-24")
	if err := tw.db.UpdateIncidentReport(ctx, tw.csirt, inc.ID, police.ID, police.Version, in); err != nil {
		t.Fatal(err)
	}
	if err := tw.db.UpdateIncidentReport(ctx, tw.csirt, inc.ID, police.ID, police.Version, in); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale report: %v", err)
	}
	found = tw.find(t, inc.ID)
	police, _ = found.Report(isms.ReportPolice)
	if dayOf(police.DueOn) != "2026-11-28" || dayOf(police.DoneOn) != "2026-11-24" ||
		lastEvent(found, isms.EventReport).Detail["recipient"] != "police" {
		t.Errorf("police report made: %+v", police)
	}

	if err := tw.db.AddIncidentAction(ctx, tw.csirt, inc.ID, isms.IncidentActionInput{Kind: isms.IncidentRootCauseAction,
		Description: "感染経路の調査", OwnerID: 999999}); fieldErrors(err)["owner_id"] != "validation.choose" {
		t.Errorf("unknown owner: %v", err)
	}
	if err := tw.db.AddIncidentAction(ctx, tw.csirt, inc.ID, isms.IncidentActionInput{Kind: isms.IncidentRootCauseAction,
		Description: "感染経路の調査"}); err != nil {
		t.Fatal(err)
	}
	action := tw.find(t, inc.ID).Actions[0]
	if err := tw.db.CompleteIncidentAction(ctx, tw.csirt, inc.ID, action.ID, action.Version, at("2026-11-25")); err != nil {
		t.Fatal(err)
	}
	if err := tw.db.CompleteIncidentAction(ctx, tw.csirt, inc.ID, action.ID, action.Version, nil); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale action: %v", err)
	}
	if err := tw.db.AddIncidentEvent(ctx, tw.csirt, inc.ID, isms.IncidentEventInput{Kind: isms.EventContainment,
		At: incAt("2026-11-20 11:00"), Body: "端末をネットワークから切り離した"}); err != nil {
		t.Fatal(err)
	}
	found = tw.find(t, inc.ID)
	// The containment happened before the report was filed: the timeline goes by when things happened.
	if found.Events[0].Kind != isms.EventContainment || found.Events[0].CreatedByName != "中村 四郎" {
		t.Errorf("timeline: %v", eventKinds(found))
	}
	if got := tw.incAudit(t, inc.ID); !slices.Equal(got, []string{"incident.create", "incident.triage", "incident.assign",
		"incident.report", "incident.report_update", "incident.action", "incident.action_done", "incident.event"}) {
		t.Errorf("audit: %v", got)
	}
}

// The statistics count the incidents the reader sees, by the day in Japan the town became aware
// of them, leaving out non-incidents.
func TestIncidentStats(t *testing.T) {
	ctx := context.Background()
	tw := newIncTown(t)
	// Just after midnight of 4月1日 in Japan (still 31 March in UTC): fiscal 2026.
	april := tw.triage(t, tw.office, tw.report(t, tw.reporter, "4月の誤送付", incAt("2026-04-01 00:30")),
		func(in *isms.IncidentTriage) { in.UnitIDs = []int64{tw.tax.ID, tw.life.ID} })
	tw.triage(t, tw.office, tw.report(t, tw.reporter, "前年度の事案", incAt("2026-03-31 23:30")), nil)
	tw.triage(t, tw.office, tw.report(t, tw.reporter, "マルウェア感染", incAt("2026-11-20 10:00")), func(in *isms.IncidentTriage) {
		in.Severity = ptr(isms.SeverityCritical)
		in.Category = "MALWARE"
		in.PISubjects = ptr(150)
	})
	tw.report(t, tw.reporter, "未判定の報告", incAt("2026-11-21 09:00"))
	tw.triage(t, tw.office, tw.report(t, tw.reporter, "非該当", incAt("2026-10-01 09:00")),
		func(in *isms.IncidentTriage) { in.IsIncident = ptr(false) })
	if len(april.Units) != 2 {
		t.Fatalf("april's units: %+v", april.Units)
	}

	st, err := tw.db.FindIncidentStats(ctx, tw.office, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if st.Total != 3 || st.PPCCount != 1 || st.FiscalYear != 2026 || len(st.ByMonth) != 12 {
		t.Fatalf("stats: %+v", st)
	}
	if st.ByMonth[0] != (isms.StatCount{Key: "2026-04", Count: 1}) || st.ByMonth[7] != (isms.StatCount{Key: "2026-11", Count: 2}) ||
		st.ByMonth[11] != (isms.StatCount{Key: "2027-03", Count: 0}) {
		t.Errorf("by month: %+v", st.ByMonth)
	}
	wantCategories := []isms.StatCount{{Key: "MALWARE", Label: "マルウェア感染", Count: 1}, {Key: "MISDELIVERY", Label: "誤送信・誤送付", Count: 1}, {Key: "", Count: 1}}
	if !slices.Equal(st.ByCategory, wantCategories) {
		t.Errorf("by category: %+v", st.ByCategory)
	}
	wantSeverities := []isms.StatCount{{Key: "0"}, {Key: "1", Count: 1}, {Key: "2"}, {Key: "3", Count: 1}, {Key: "", Count: 1}}
	if !slices.Equal(st.BySeverity, wantSeverities) {
		t.Errorf("by severity: %+v", st.BySeverity)
	}
	wantUnits := []isms.StatCount{{Key: idStr(tw.tax.ID), Label: "税務課", Count: 3}, {Key: idStr(tw.life.ID), Label: "住民生活課", Count: 1}}
	if !slices.Equal(st.ByUnit, wantUnits) {
		t.Errorf("by unit: %+v", st.ByUnit)
	}
	if prev, _ := tw.db.FindIncidentStats(ctx, tw.office, 2025); prev.Total != 1 || prev.ByMonth[11].Count != 1 {
		t.Errorf("fiscal 2025: %+v", prev)
	}
	// Need to know holds for the counts too.
	if other, _ := tw.db.FindIncidentStats(ctx, tw.otherStaff, 2026); other.Total != 0 || len(other.ByUnit) != 0 {
		t.Errorf("staff of another unit: %+v", other)
	}
	if life, _ := tw.db.FindIncidentStats(ctx, tw.lifeManager, 2026); life.Total != 1 {
		t.Errorf("管理者 of 住民生活課: %+v", life)
	}
}

// The list pages by keyset, newest first, with each incident's units and next due report, and
// narrows by its filters.
func TestIncidentListPagesAndFilters(t *testing.T) {
	ctx := context.Background()
	tw := newIncTown(t)
	first := tw.report(t, tw.reporter, "通知書の誤送付", incAt("2026-11-20 10:00"))
	second := tw.report(t, tw.otherStaff, "USBメモリの紛失", incAt("2026-11-20 10:00"))
	third := tw.triage(t, tw.office, tw.report(t, tw.reporter, "メールの誤送信", incAt("2026-11-20 10:00")),
		func(in *isms.IncidentTriage) { in.PISubjects = ptr(150) })

	page, next, err := tw.db.FindIncidents(ctx, tw.office, isms.IncidentFilter{Limit: 2, Day: day("2026-11-24")})
	if err != nil || len(page) != 2 || page[0].ID != third.ID || page[1].ID != second.ID || next != second.ID {
		t.Fatalf("first page: %v, next %d, %v", incidentIDs(page), next, err)
	}
	if len(page[0].Units) != 1 || page[0].Units[0].Name != "税務課" || page[1].Units[0].Name != "住民生活課" {
		t.Errorf("units: %+v / %+v", page[0].Units, page[1].Units)
	}
	if dayOf(page[0].NextDue) != "2026-11-25" || page[0].NextDueState != "soon" || page[1].NextDue != nil {
		t.Errorf("next due: %s %q", dayOf(page[0].NextDue), page[0].NextDueState)
	}
	page, next, err = tw.db.FindIncidents(ctx, tw.office, isms.IncidentFilter{Limit: 2, Before: next})
	if err != nil || len(page) != 1 || page[0].ID != first.ID || next != 0 {
		t.Errorf("second page: %v, next %d, %v", incidentIDs(page), next, err)
	}

	for _, tc := range []struct {
		name string
		f    isms.IncidentFilter
		want []int64
	}{
		{"query on the title", isms.IncidentFilter{Query: "誤送"}, []int64{third.ID, first.ID}},
		{"query on the number", isms.IncidentFilter{Query: second.Number}, []int64{second.ID}},
		{"status", isms.IncidentFilter{Status: isms.IncidentInvestigating}, []int64{third.ID}},
		{"severity", isms.IncidentFilter{Severity: ptr(1)}, []int64{third.ID}},
		{"category", isms.IncidentFilter{Category: "MISDELIVERY"}, []int64{third.ID}},
		{"unit", isms.IncidentFilter{UnitID: tw.life.ID}, []int64{second.ID}},
		{"PPC", isms.IncidentFilter{PPC: true}, []int64{third.ID}},
		{"overdue on the 26th", isms.IncidentFilter{Overdue: true, Day: day("2026-11-26")}, []int64{third.ID}},
		{"overdue on the 25th", isms.IncidentFilter{Overdue: true, Day: day("2026-11-25")}, nil},
		{"open", isms.IncidentFilter{Open: true}, []int64{third.ID, second.ID, first.ID}},
		{"mine", isms.IncidentFilter{Mine: true}, nil},
	} {
		list, _, err := tw.db.FindIncidents(ctx, tw.office, tc.f)
		if err != nil || !slices.Equal(incidentIDs(list), tc.want) {
			t.Errorf("%s: %v, want %v (%v)", tc.name, incidentIDs(list), tc.want, err)
		}
	}
	list, _, _ := tw.db.FindIncidents(ctx, tw.office, isms.IncidentFilter{Day: day("2026-11-26")})
	if list[0].NextDueState != "overdue" {
		t.Errorf("state on the 26th: %q", list[0].NextDueState)
	}
}

func incidentIDs(list []isms.Incident) []int64 {
	var out []int64
	for _, i := range list {
		out = append(out, i.ID)
	}
	return out
}
