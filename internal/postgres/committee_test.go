package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// comToday is the day the people of the committee tests act on.
const comToday = "2026-11-25"

// comTown is the town with the committee: two members (the 総務課長 sekine and the 住民生活課長
// suzuki, who is also the 管理者 of 住民生活課), a member of staff (sato), the 管理者 of 税務課
// (kato), and accounts of the security office (ito) and an auditor.
type comTown struct {
	*town
	office, auditor, staff, member, taxManager, lifeManager isms.Actor
	sekine, suzuki, sato                                    isms.Person
}

func newComTown(t *testing.T) *comTown {
	t.Helper()
	tw := &comTown{town: newTown(t)}
	var sekineUser, suzukiUser, satoUser, katoUser int64
	tw.sekine, sekineUser = tw.person(t, "sekine", "関根 次郎", tw.general)
	tw.suzuki, suzukiUser = tw.person(t, "suzuki", "鈴木 三郎", tw.life)
	tw.sato, satoUser = tw.person(t, "sato", "佐藤 一郎", tw.tax)
	kato, katoUser := tw.person(t, "kato", "加藤 花子", tw.tax)
	tw.assign(t, tw.sekine, isms.RoleCodeCommittee, 0, "2026-04-01", nil)
	tw.assign(t, tw.suzuki, isms.RoleCodeCommittee, 0, "2026-04-01", nil)
	tw.assign(t, tw.suzuki, isms.RoleCodeISM, tw.life.ID, "2026-04-01", nil)
	tw.assign(t, kato, isms.RoleCodeISM, tw.tax.ID, "2026-04-01", nil)
	tw.member = tw.scope(t, sekineUser, comToday)
	tw.lifeManager = tw.scope(t, suzukiUser, comToday)
	tw.staff = tw.scope(t, satoUser, comToday)
	tw.taxManager = tw.scope(t, katoUser, comToday)
	tw.office = tw.scope(t, tw.roleAccount(t, "ito", isms.RoleSecurityOffice), comToday)
	tw.auditor = tw.scope(t, tw.roleAccount(t, "kansa", isms.RoleAuditor), comToday)
	return tw
}

// roleAccount creates a portal account of role that no person is linked to.
func (tw *comTown) roleAccount(t *testing.T, login string, role isms.Role) int64 {
	t.Helper()
	u, err := tw.db.CreateUser(context.Background(), office, isms.UserInput{LoginID: login, Name: login, Lang: "ja",
		DateStyle: "seireki", Role: role}, "not-a-real-hash")
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// trail is the actions the audit trail holds for a record, oldest first.
func (tw *comTown) trail(t *testing.T, entityType, id string) []string {
	t.Helper()
	events, _, err := tw.db.FindAuditEvents(context.Background(), reviewer, isms.AuditFilter{EntityType: entityType, EntityID: id})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range slices.Backward(events) {
		actions = append(actions, e.Action)
	}
	return actions
}

func year(n int) *int { return &n }

// A meeting is recorded with its members and agenda; the members and the CISO's office read it,
// staff are refused; only members attend; decisions are taken at a meeting held, and a decided
// item stays on the minutes. Every change is in the trail under the meeting.
func TestCommitteeMeetingAgendaAndDecisions(t *testing.T) {
	ctx := context.Background()
	tw := newComTown(t)

	in := isms.MeetingInput{Title: "令和8年度第1回情報セキュリティ委員会", HeldOn: at("2026-12-10"), Place: "第1会議室",
		Status: isms.MeetingHeld, AttendeeIDs: []int64{tw.sekine.ID, tw.sato.ID}}
	if _, err := tw.db.CreateMeeting(ctx, tw.member, in); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("a member recording a meeting: %v", err)
	}
	_, err := tw.db.CreateMeeting(ctx, tw.office, in)
	if fe := fieldErrors(err); fe["status"] != "committee.error.held_future" || fe["attendees"] != "committee.error.attendee" {
		t.Errorf("held in the future with a non-member: %v", err)
	}
	in.Status, in.AttendeeIDs = isms.MeetingPlanned, []int64{tw.sekine.ID, tw.suzuki.ID}
	in.Guests = "最高情報セキュリティアドバイザー 山本"
	m, err := tw.db.CreateMeeting(ctx, tw.office, in)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := tw.db.FindMeeting(ctx, tw.staff, m.ID); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff reading a meeting: %v", err)
	}
	for _, reader := range []isms.Actor{tw.member, tw.auditor, tw.office} {
		got, err := tw.db.FindMeeting(ctx, reader, m.ID)
		if err != nil || len(got.Attendees) != 2 || got.Guests != in.Guests {
			t.Errorf("%s reading the meeting: %+v, %v", reader.Label, got, err)
		}
	}

	if _, err := tw.db.AddAgendaItem(ctx, tw.office, m.ID, isms.AgendaInput{Subject: "監査結果の報告", SubjectKind: isms.SubjectAuditResult}); fieldErrors(err)["subject_ref"] != "committee.error.id_required" {
		t.Errorf("an audit result without its audit: %v", err)
	}
	plan, err := tw.db.AddAgendaItem(ctx, tw.office, m.ID, isms.AgendaInput{Subject: "令和9年度研修計画（案）について",
		SubjectKind: isms.SubjectTrainingPlan, SubjectYear: year(2027), SubjectID: new(int64(5))})
	if err != nil {
		t.Fatal(err)
	}
	if plan.SubjectID != nil || plan.Href() != "/training/plans/2027" || plan.Position != 1 {
		t.Errorf("training plan item: %+v, href %q", plan, plan.Href())
	}
	other, err := tw.db.AddAgendaItem(ctx, tw.office, m.ID, isms.AgendaInput{Subject: "その他", SubjectKind: isms.SubjectOther})
	if err != nil || other.Position != 2 {
		t.Fatalf("second item: %+v, %v", other, err)
	}

	// The meeting is still planned: no decision yet.
	decision := isms.DecisionInput{Outcome: isms.OutcomeApproved, Decision: "原案のとおり承認", Version: plan.Version}
	if _, err := tw.db.DecideAgendaItem(ctx, tw.office, m.ID, plan.ID, decision); fieldErrors(err)["outcome"] != "committee.error.not_held" {
		t.Errorf("deciding at a planned meeting: %v", err)
	}
	held := in
	held.HeldOn, held.Status, held.Minutes, held.Version = at("2026-11-20"), isms.MeetingHeld, "研修計画を承認した。", m.Version
	if m, err = tw.db.UpdateMeeting(ctx, tw.office, m.ID, held); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.DecideAgendaItem(ctx, tw.office, m.ID, plan.ID, isms.DecisionInput{Version: plan.Version}); fieldErrors(err)["outcome"] != "validation.choose" {
		t.Errorf("a decision without its outcome: %v", err)
	}
	decided, err := tw.db.DecideAgendaItem(ctx, tw.office, m.ID, plan.ID, decision)
	if err != nil || decided.Outcome != isms.OutcomeApproved || decided.Decision != "原案のとおり承認" {
		t.Fatalf("decision: %+v, %v", decided, err)
	}
	if _, err := tw.db.DecideAgendaItem(ctx, tw.office, m.ID, plan.ID, decision); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("a stale decision: %v", err)
	}
	// Recording the committee's approval does not approve the training plan itself.
	if tp, err := tw.db.FindTrainingPlan(ctx, 2027); err != nil || tp.ApprovedOn != nil {
		t.Errorf("the training plan after the decision: %+v, %v", tp, err)
	}

	if err := tw.db.RemoveAgendaItem(ctx, tw.office, m.ID, plan.ID, decided.Version); fieldErrors(err)["agenda"] != "committee.error.decided" {
		t.Errorf("removing a decided item: %v", err)
	}
	back := held
	back.Status, back.Version = isms.MeetingPlanned, m.Version
	if _, err := tw.db.UpdateMeeting(ctx, tw.office, m.ID, back); fieldErrors(err)["status"] != "committee.error.decided_planned" {
		t.Errorf("a meeting with decisions set back to planned: %v", err)
	}
	if err := tw.db.RemoveAgendaItem(ctx, tw.office, m.ID, other.ID, other.Version); err != nil {
		t.Fatal(err)
	}
	got, err := tw.db.FindMeeting(ctx, tw.member, m.ID)
	if err != nil || len(got.Agenda) != 1 || got.Agenda[0].ID != plan.ID || got.Minutes != "研修計画を承認した。" {
		t.Errorf("the minutes: %+v, %v", got, err)
	}
	if list, err := tw.db.FindMeetings(ctx, tw.member, 2026); err != nil || len(list) != 1 {
		t.Errorf("meetings of 2026: %v, %v", list, err)
	}
	if list, err := tw.db.FindMeetings(ctx, tw.member, 2027); err != nil || len(list) != 0 {
		t.Errorf("meetings of 2027: %v, %v", list, err)
	}

	want := []string{"committee_meeting.create", "committee_meeting.agenda_add", "committee_meeting.agenda_add",
		"committee_meeting.update", "committee_meeting.decide", "committee_meeting.agenda_remove"}
	if got := tw.trail(t, "committee_meeting", idStr(m.ID)); !slices.Equal(got, want) {
		t.Errorf("trail %v, want %v", got, want)
	}

	// The calendar shows the meeting to everyone, linked for those who read the committee.
	entries, err := tw.db.FindCommitteeCalendar(ctx, tw.staff, 2026)
	if err != nil || len(entries) != 1 || entries[0].Href != "" || entries[0].Title != in.Title || !entries[0].Start.Equal(day("2026-11-20")) {
		t.Errorf("staff's calendar: %+v, %v", entries, err)
	}
	if entries, _ := tw.db.FindCommitteeCalendar(ctx, tw.member, 2026); len(entries) != 1 || entries[0].Href != "/committee/meetings/"+idStr(m.ID) {
		t.Errorf("a member's calendar: %+v", entries)
	}
}

// The improvement plan: approved as a whole, its approval withdrawn (and the trail saying so) when
// a measure changes, kept when progress is recorded; the units' 管理者 see their open measures as
// tasks and record their progress, others cannot.
func TestImprovementPlanApprovalLostOnChange(t *testing.T) {
	ctx := context.Background()
	tw := newComTown(t)

	if _, err := tw.db.AddImprovementItem(ctx, tw.member, 2026, isms.ImprovementItemInput{Measure: "x", UnitID: tw.life.ID}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("a member adding a measure: %v", err)
	}
	if _, err := tw.db.AddImprovementItem(ctx, tw.office, 2026, isms.ImprovementItemInput{Measure: " "}); fieldErrors(err)["measure"] != "validation.required" || fieldErrors(err)["unit_id"] != "validation.choose" {
		t.Errorf("an empty measure: %v", err)
	}
	usb, err := tw.db.AddImprovementItem(ctx, tw.office, 2026, isms.ImprovementItemInput{
		Measure: "USBメモリの持出し管理簿を整備する", UnitID: tw.life.ID, DueOn: at("2026-10-31")})
	if err != nil {
		t.Fatal(err)
	}
	pw, err := tw.db.AddImprovementItem(ctx, tw.office, 2026, isms.ImprovementItemInput{
		Measure: "共有フォルダのアクセス権を見直す", UnitID: tw.tax.ID, DueOn: at("2027-01-31")})
	if err != nil {
		t.Fatal(err)
	}
	p, err := tw.db.FindImprovementPlan(ctx, tw.member, 2026)
	if err != nil || len(p.Items) != 2 || p.ApprovedOn != nil {
		t.Fatalf("the plan: %+v, %v", p, err)
	}
	if _, err := tw.db.FindImprovementPlan(ctx, tw.staff, 2026); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff reading the plan: %v", err)
	}
	if _, err := tw.db.ApproveImprovementPlan(ctx, tw.office, 2026, isms.ApprovalInput{ApprovedOn: at("2026-12-01"), ApprovedBy: "委員会", Version: p.Version}); fieldErrors(err)["approved_on"] != "committee.error.future" {
		t.Errorf("an approval in the future: %v", err)
	}
	approval := isms.ApprovalInput{ApprovedOn: at("2026-11-20"), ApprovedBy: "令和8年度第1回情報セキュリティ委員会", Version: p.Version}
	if p, err = tw.db.ApproveImprovementPlan(ctx, tw.office, 2026, approval); err != nil || p.ApprovedOn == nil {
		t.Fatalf("approval: %+v, %v", p, err)
	}
	if _, err := tw.db.ApproveImprovementPlan(ctx, tw.office, 2026, approval); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("a stale approval: %v", err)
	}

	// Progress: the 管理者 of the unit reports it; the 管理者 of another unit does not find the
	// measure, staff of the unit see it but do not report; the approval stays.
	progress := isms.ProgressInput{Status: isms.ImprovementInProgress, Progress: "管理簿の様式を作成した", Version: usb.Version}
	if _, err := tw.db.RecordImprovementProgress(ctx, tw.taxManager, usb.ID, progress); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's 管理者 reporting: %v", err)
	}
	if _, err := tw.db.FindImprovementItem(ctx, tw.taxManager, pw.ID); err != nil {
		t.Errorf("the 管理者 reading their unit's measure: %v", err)
	}
	if _, err := tw.db.RecordImprovementProgress(ctx, tw.staff, pw.ID, isms.ProgressInput{Status: isms.ImprovementDone, Version: pw.Version}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff of the unit reporting: %v", err)
	}
	if usb, err = tw.db.RecordImprovementProgress(ctx, tw.lifeManager, usb.ID, progress); err != nil || usb.Status != isms.ImprovementInProgress {
		t.Fatalf("progress: %+v, %v", usb, err)
	}
	if p, _ = tw.db.FindImprovementPlan(ctx, tw.member, 2026); p.ApprovedOn == nil {
		t.Error("progress withdrew the approval")
	}

	// The tasks: each 管理者 their unit's open measures, overdue ones with their due day.
	tasks, err := tw.db.FindCommitteeTasks(ctx, tw.lifeManager, 0)
	if err != nil || len(tasks) != 1 || tasks[0].Kind != "improvement_plan" || tasks[0].Title != usb.Measure ||
		tasks[0].Href != "/committee/improvement/items/"+idStr(usb.ID) || !tasks[0].Overdue(day(comToday)) || tasks[0].UnitName != "住民生活課" {
		t.Errorf("the 管理者's tasks: %+v, %v", tasks, err)
	}
	if tasks, _ := tw.db.FindCommitteeTasks(ctx, tw.staff, 0); len(tasks) != 0 {
		t.Errorf("staff's tasks: %+v", tasks)
	}
	if tasks, _ := tw.db.FindCommitteeTasks(ctx, tw.staff, tw.tax.ID); len(tasks) != 1 || tasks[0].Title != pw.Measure {
		t.Errorf("税務課's tasks: %+v", tasks)
	}

	// A changed measure is no longer the plan approved; an unchanged form writes nothing.
	same := isms.ImprovementItemInput{Measure: pw.Measure, UnitID: pw.UnitID, DueOn: pw.DueOn, Version: pw.Version}
	if _, err := tw.db.UpdateImprovementItem(ctx, tw.office, pw.ID, same); err != nil {
		t.Fatal(err)
	}
	if p, _ = tw.db.FindImprovementPlan(ctx, tw.member, 2026); p.ApprovedOn == nil {
		t.Error("an unchanged measure withdrew the approval")
	}
	moved := same
	moved.DueOn = at("2027-02-28")
	if _, err := tw.db.UpdateImprovementItem(ctx, tw.office, pw.ID, moved); err != nil {
		t.Fatal(err)
	}
	if p, _ = tw.db.FindImprovementPlan(ctx, tw.member, 2026); p.ApprovedOn != nil || p.ApprovedBy != "" {
		t.Errorf("the approval after a change: %+v", p)
	}
	if _, err := tw.db.UpdateImprovementItem(ctx, tw.office, pw.ID, moved); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("a stale measure: %v", err)
	}
	approval.Version = p.Version
	if p, err = tw.db.ApproveImprovementPlan(ctx, tw.office, 2026, approval); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.RemoveImprovementItem(ctx, tw.office, usb.ID, usb.Version); err != nil {
		t.Fatal(err)
	}
	if p, _ = tw.db.FindImprovementPlan(ctx, tw.member, 2026); p.ApprovedOn != nil || len(p.Items) != 1 {
		t.Errorf("the plan after a removal: %+v", p)
	}

	want := []string{"improvement_plan.item_add", "improvement_plan.item_add", "improvement_plan.approve",
		"improvement_plan.progress", "improvement_plan.withdraw", "improvement_plan.item_update", "improvement_plan.approve",
		"improvement_plan.withdraw", "improvement_plan.item_remove"}
	if got := tw.trail(t, "improvement_plan", "2026"); !slices.Equal(got, want) {
		t.Errorf("trail %v\nwant %v", got, want)
	}
}

// The training calendar lists the sessions of the fiscal year, linked for the training office.
func TestCommitteeTrainingCalendar(t *testing.T) {
	ctx := context.Background()
	tw := newComTown(t)
	for _, held := range []string{"2026-07-15", "2027-04-02"} {
		if _, err := tw.db.CreateSession(ctx, office, isms.SessionInput{CourseCode: "GEN_ANNUAL", HeldOn: at(held), Method: isms.MethodClassroom}); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := tw.db.FindTrainingCalendar(ctx, tw.staff, 2026)
	if err != nil || len(entries) != 1 || entries[0].Kind != "training" || entries[0].Title != "全職員向け情報セキュリティ研修" ||
		entries[0].Href != "" || !entries[0].Start.Equal(day("2026-07-15")) {
		t.Errorf("staff's training calendar: %+v, %v", entries, err)
	}
	if entries, _ := tw.db.FindTrainingCalendar(ctx, tw.office, 2026); len(entries) != 1 || entries[0].Href == "" {
		t.Errorf("the office's training calendar: %+v", entries)
	}
}
