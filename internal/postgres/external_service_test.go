package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// extTown is the town of the external service tests, acting on 2026-11-25: in 税務課 sato and mori
// (staff) and kato (its 管理者); in 住民生活課 nakamura (staff) and suzuki (its 管理者); ito of
// the security office.
type extTown struct {
	*town
	mori                                    isms.Person
	satoA, moriA, katoA, nakamuraA, suzukiA isms.Actor
	office                                  isms.Actor
}

const extToday = "2026-11-25"

func newExtTown(t *testing.T) *extTown {
	t.Helper()
	tw := &extTown{town: newTown(t)}
	_, sato := tw.person(t, "sato", "佐藤 一郎", tw.tax)
	mori, moriU := tw.person(t, "mori", "森 次郎", tw.tax)
	kato, katoU := tw.person(t, "kato", "加藤 花子", tw.tax)
	_, nakamura := tw.person(t, "nakamura", "中村 四郎", tw.life)
	suzuki, suzukiU := tw.person(t, "suzuki", "鈴木 三郎", tw.life)
	tw.assign(t, kato, isms.RoleCodeISM, tw.tax.ID, "2020-04-01", nil)
	tw.assign(t, suzuki, isms.RoleCodeISM, tw.life.ID, "2020-04-01", nil)
	u, err := tw.db.CreateUser(context.Background(), office, isms.UserInput{LoginID: "ito", Name: "伊藤 四郎", Lang: "ja",
		DateStyle: "seireki", Role: isms.RoleSecurityOffice}, "not-a-real-hash")
	if err != nil {
		t.Fatal(err)
	}
	tw.mori = mori
	tw.satoA, tw.moriA, tw.katoA = tw.scope(t, sato, extToday), tw.scope(t, moriU, extToday), tw.scope(t, katoU, extToday)
	tw.nakamuraA, tw.suzukiA = tw.scope(t, nakamura, extToday), tw.scope(t, suzukiU, extToday)
	tw.office = tw.scope(t, u.ID, extToday)
	return tw
}

// request is a use request of 税務課 for a service at level.
func (tw *extTown) request(name, level string) isms.ExternalServiceInput {
	return isms.ExternalServiceInput{Name: name, Provider: "株式会社クラウド", Purpose: "住民税の申告受付", UnitID: tw.tax.ID,
		ContractForm: isms.ContractIndividual, RequestedLevel: level, ISMAPRegistered: true, ISMAPNumber: "C23-0001-1",
		DataLocation: isms.DataDomestic, GoverningLaw: "日本法", Jurisdiction: "東京地方裁判所", MFA: true, AuthMethod: "TOTP",
		UsersScope: "税務課職員", AccountCount: new(12), UseFrom: at("2026-12-01")}
}

func (tw *extTown) create(t *testing.T, actor isms.Actor, in isms.ExternalServiceInput) isms.ExternalService {
	t.Helper()
	s, err := tw.db.CreateExternalService(context.Background(), actor, in)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// approve has kato approve the waiting request of s at level with mori as its 管理者.
func (tw *extTown) approve(t *testing.T, s isms.ExternalService, level string) isms.ExternalService {
	t.Helper()
	s, err := tw.db.DecideExternalService(context.Background(), tw.katoA, s.ID, isms.ExternalServiceDecisionInput{
		Approve: true, Level: level, AdminPersonID: tw.mori.ID, ApprovalNumber: "税務第118号", Version: s.Version})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (tw *extTown) extAudit(t *testing.T, id int64) []string {
	t.Helper()
	return reqTown{town: tw.town}.auditOf(t, "external_service", id)
}

// The use request: filed by staff, never decided by the person who asked nor by the 管理者 of
// another unit; approved by the unit's 管理者 at a level no higher than asked, naming a 管理者 who
// then holds EXT_SERVICE_ADMIN for the unit; the first review a year on; every step in the trail.
func TestExternalServiceApproval(t *testing.T) {
	tw := newExtTown(t)
	ctx := context.Background()
	if _, err := tw.db.CreateExternalService(ctx, tw.nakamuraA, tw.request("電子申告クラウド", "LGC3B")); fieldErrors(err)["unit_id"] == "" {
		t.Errorf("staff of another unit asking for 税務課: %v", err)
	}
	bad := tw.request("電子申告クラウド", "LGI2")
	if _, err := tw.db.CreateExternalService(ctx, tw.satoA, bad); fieldErrors(err)["requested_level"] != "external_service.error.level" {
		t.Errorf("an integrity level asked for: %v", err)
	}
	s := tw.create(t, tw.satoA, tw.request("電子申告クラウド", "LGC3B"))
	if s.Status != isms.ExtServiceRequested || !s.Pending() || s.Number != "S-00001" || s.ApprovedLevel != "" {
		t.Fatalf("as filed: %+v", s)
	}
	// kato asks for one himself: another 管理者 must decide it.
	own := tw.create(t, tw.katoA, tw.request("Web会議", "LGC2"))
	d := isms.ExternalServiceDecisionInput{Approve: true, Level: "LGC2", AdminPersonID: tw.mori.ID, Version: own.Version}
	if _, err := tw.db.DecideExternalService(ctx, tw.katoA, own.ID, d); fieldErrors(err)["note"] != "external_service.error.own_request" {
		t.Errorf("the requester deciding: %v", err)
	}
	d.Version = s.Version
	if _, err := tw.db.DecideExternalService(ctx, tw.suzukiA, s.ID, d); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("the 管理者 of another unit deciding: %v", err)
	}
	if _, err := tw.db.DecideExternalService(ctx, tw.moriA, s.ID, d); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff deciding: %v", err)
	}
	d.Level = "LGC3A"
	if _, err := tw.db.DecideExternalService(ctx, tw.katoA, s.ID, d); fieldErrors(err)["level"] != "external_service.error.level_above_request" {
		t.Errorf("approved above the request: %v", err)
	}
	roles, err := tw.db.FindAssignments(ctx, isms.AssignmentFilter{Day: day(extToday), PersonID: tw.mori.ID})
	if err != nil || len(roles) != 0 {
		t.Fatalf("mori's roles before: %v %v", roles, err)
	}
	s = tw.approve(t, s, "LGC3C")
	if s.Status != isms.ExtServiceApproved || s.ApprovedLevel != "LGC3C" || s.RequestedLevel != "LGC3C" || s.Pending() ||
		s.AdminName != "森 次郎" || s.ReviewDue == nil || !s.ReviewDue.Equal(day("2027-11-25")) {
		t.Fatalf("approved: %+v", s)
	}
	roles, err = tw.db.FindAssignments(ctx, isms.AssignmentFilter{Day: day(extToday), PersonID: tw.mori.ID})
	if err != nil || len(roles) != 1 || roles[0].RoleCode != isms.RoleCodeExtServiceAdmin || roles[0].UnitID != tw.tax.ID {
		t.Fatalf("mori's roles after the approval: %+v %v", roles, err)
	}
	// A second service of the same 管理者 starts no second assignment.
	other := tw.create(t, tw.satoA, tw.request("Web会議", "LGC1"))
	tw.approve(t, other, "LGC1")
	if roles, _ = tw.db.FindAssignments(ctx, isms.AssignmentFilter{Day: day(extToday), PersonID: tw.mori.ID}); len(roles) != 1 {
		t.Errorf("assignments after a second approval: %d", len(roles))
	}
	if got, want := tw.extAudit(t, s.ID), []string{"external_service.create", "external_service.approve"}; !slices.Equal(got, want) {
		t.Errorf("trail = %v, want %v", got, want)
	}
	full, err := tw.db.FindExternalService(ctx, tw.satoA, s.ID)
	if err != nil || len(full.Decisions) != 1 || full.Decisions[0].Outcome != "approved" || full.Decisions[0].RequestedLevel != "LGC3B" ||
		full.Decisions[0].ApprovalNumber != "税務第118号" {
		t.Errorf("decision history: %+v %v", full.Decisions, err)
	}
	// Rejected with a reason.
	rej := tw.create(t, tw.satoA, tw.request("無料翻訳サイト", "LGC2"))
	r := isms.ExternalServiceDecisionInput{Version: rej.Version}
	if _, err := tw.db.DecideExternalService(ctx, tw.katoA, rej.ID, r); fieldErrors(err)["note"] != "external_service.error.reject_note" {
		t.Errorf("rejection without a reason: %v", err)
	}
	r.Note = "約款上、入力データが学習に利用されるため"
	if rej, err = tw.db.DecideExternalService(ctx, tw.katoA, rej.ID, r); err != nil || rej.Status != isms.ExtServiceRejected ||
		rej.DecisionNote != r.Note || rej.Pending() {
		t.Errorf("rejected: %+v %v", rej, err)
	}
}

// A higher level for an approved service waits beside the approval, which stays; Allows follows
// the approval, not the request; the 管理者 approves the raise or lowers the level, each in the trail.
func TestExternalServiceLevelRaise(t *testing.T) {
	tw := newExtTown(t)
	ctx := context.Background()
	levels, err := tw.db.FindLevels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := tw.approve(t, tw.create(t, tw.satoA, tw.request("電子申告クラウド", "LGC2")), "LGC2")
	raise := isms.ExternalServiceLevelInput{Level: "LGC2", Reason: "課税資料も扱うため", Version: s.Version}
	if _, err := tw.db.RequestExternalServiceLevel(ctx, tw.satoA, s.ID, raise); fieldErrors(err)["level"] != "external_service.error.level_not_higher" {
		t.Errorf("a raise to the same level: %v", err)
	}
	raise.Level = "LGC3B"
	if s, err = tw.db.RequestExternalServiceLevel(ctx, tw.satoA, s.ID, raise); err != nil {
		t.Fatal(err)
	}
	if s.Status != isms.ExtServiceApproved || !s.Raising() || s.ApprovedLevel != "LGC2" || s.RequestedLevel != "LGC3B" {
		t.Fatalf("raise waiting: %+v", s)
	}
	if s.Allows(levels["LGC3B"].Rank, levels) || !s.Allows(levels["LGC2"].Rank, levels) {
		t.Errorf("Allows while the raise waits")
	}
	d := isms.ExternalServiceDecisionInput{Approve: true, Level: "LGC2", AdminPersonID: tw.mori.ID, Version: s.Version}
	if _, err := tw.db.DecideExternalService(ctx, tw.katoA, s.ID, d); fieldErrors(err)["level"] != "external_service.error.level_not_higher" {
		t.Errorf("a raise approved at the old level: %v", err)
	}
	d.Level = "LGC3C"
	if s, err = tw.db.DecideExternalService(ctx, tw.katoA, s.ID, d); err != nil || s.ApprovedLevel != "LGC3C" || s.Pending() {
		t.Fatalf("raise approved: %+v %v", s, err)
	}
	if !s.Allows(levels["LGC3C"].Rank, levels) || s.Allows(levels["LGC3B"].Rank, levels) {
		t.Errorf("Allows after the raise")
	}
	lower := isms.ExternalServiceLevelInput{Level: "LGC3A", Reason: "見直し", Version: s.Version}
	if _, err := tw.db.LowerExternalServiceLevel(ctx, tw.satoA, s.ID, lower); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff lowering: %v", err)
	}
	if _, err := tw.db.LowerExternalServiceLevel(ctx, tw.katoA, s.ID, lower); fieldErrors(err)["level"] != "external_service.error.level_not_lower" {
		t.Errorf("lowering upwards: %v", err)
	}
	lower.Level = "LGC2"
	if s, err = tw.db.LowerExternalServiceLevel(ctx, tw.katoA, s.ID, lower); err != nil || s.ApprovedLevel != "LGC2" {
		t.Fatalf("lowered: %+v %v", s, err)
	}
	// A rejected raise leaves the approval as it was.
	raise.Version, raise.Level = s.Version, "LGC3A"
	if s, err = tw.db.RequestExternalServiceLevel(ctx, tw.moriA, s.ID, raise); err != nil {
		t.Fatal(err)
	}
	s, err = tw.db.DecideExternalService(ctx, tw.katoA, s.ID, isms.ExternalServiceDecisionInput{Note: "3Aは扱わない", Version: s.Version})
	if err != nil || s.Status != isms.ExtServiceApproved || s.ApprovedLevel != "LGC2" || s.RequestedLevel != "LGC2" || s.Pending() {
		t.Fatalf("raise rejected: %+v %v", s, err)
	}
	want := []string{"external_service.create", "external_service.approve", "external_service.request_level",
		"external_service.approve_level", "external_service.lower", "external_service.request_level", "external_service.reject"}
	if got := tw.extAudit(t, s.ID); !slices.Equal(got, want) {
		t.Errorf("trail = %v, want %v", got, want)
	}
	full, _ := tw.db.FindExternalService(ctx, tw.katoA, s.ID)
	var kinds []string
	for _, d := range full.Decisions {
		kinds = append(kinds, d.Kind+":"+d.Outcome)
	}
	if want := []string{"use:approved", "raise:approved", "lower:approved", "raise:rejected"}; !slices.Equal(kinds, want) {
		t.Errorf("decision history = %v, want %v", kinds, want)
	}
}

// Scope: another unit's staff do not find a service of 税務課 (404) unless it is shared, and then
// may not change it (403); the security office reads every service; the list pages by keyset.
func TestExternalServiceScope(t *testing.T) {
	tw := newExtTown(t)
	ctx := context.Background()
	private := tw.create(t, tw.satoA, tw.request("電子申告クラウド", "LGC3B"))
	in := tw.request("グループウェア", "LGC2")
	in.Shared = true
	shared := tw.create(t, tw.satoA, in)
	if _, err := tw.db.FindExternalService(ctx, tw.nakamuraA, private.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's staff reading: %v", err)
	}
	if _, err := tw.db.FindExternalService(ctx, tw.nakamuraA, shared.ID); err != nil {
		t.Errorf("another unit's staff reading a shared service: %v", err)
	}
	in.Version = shared.Version
	if _, err := tw.db.UpdateExternalService(ctx, tw.nakamuraA, shared.ID, in); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("another unit's staff editing a shared service: %v", err)
	}
	list, _, err := tw.db.FindExternalServices(ctx, tw.nakamuraA, isms.ExternalServiceFilter{})
	if err != nil || len(list) != 1 || list[0].ID != shared.ID {
		t.Errorf("list of another unit's staff: %v %v", list, err)
	}
	for range 3 {
		tw.create(t, tw.satoA, tw.request("その他", "LGC1"))
	}
	page, next, err := tw.db.FindExternalServices(ctx, tw.office, isms.ExternalServiceFilter{Limit: 3})
	if err != nil || len(page) != 3 || next == 0 {
		t.Fatalf("first page: %d %d %v", len(page), next, err)
	}
	rest, next2, err := tw.db.FindExternalServices(ctx, tw.office, isms.ExternalServiceFilter{Limit: 3, Before: next})
	if err != nil || len(rest) != 2 || next2 != 0 || rest[1].ID != private.ID {
		t.Errorf("second page: %v %d %v", rest, next2, err)
	}
	byLevel, _, _ := tw.db.FindExternalServices(ctx, tw.office, isms.ExternalServiceFilter{Level: "LGC3B", ISMAP: "yes"})
	if len(byLevel) != 1 || byLevel[0].ID != private.ID {
		t.Errorf("level filter: %v", byLevel)
	}
}

// A stale edit is a conflict that overwrites nothing; an edit of an approved service keeps its unit
// and level.
func TestExternalServiceStaleEdit(t *testing.T) {
	tw := newExtTown(t)
	ctx := context.Background()
	s := tw.create(t, tw.satoA, tw.request("電子申告クラウド", "LGC2"))
	in := tw.request("電子申告クラウド（新）", "LGC2")
	in.Version = s.Version
	if _, err := tw.db.UpdateExternalService(ctx, tw.moriA, s.ID, in); err != nil {
		t.Fatal(err)
	}
	in.Name = "上書き"
	if _, err := tw.db.UpdateExternalService(ctx, tw.satoA, s.ID, in); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Fatalf("stale edit: %v", err)
	}
	got, _ := tw.db.FindExternalService(ctx, tw.satoA, s.ID)
	if got.Name != "電子申告クラウド（新）" {
		t.Errorf("name after the stale edit: %q", got.Name)
	}
	s = tw.approve(t, got, "LGC2")
	in.Version, in.Name, in.UnitID, in.RequestedLevel = s.Version, "電子申告クラウド", tw.life.ID, "LGC3A"
	if s, err := tw.db.UpdateExternalService(ctx, tw.satoA, s.ID, in); err != nil || s.UnitID != tw.tax.ID || s.RequestedLevel != "LGC2" || s.Name != "電子申告クラウド" {
		t.Errorf("edit of an approved service: %+v %v", s, err)
	}
}

// Tasks: the 管理者's waiting decisions (not their own request), the 外部サービス管理者's reviews due
// within 30 days, the ends without deletion confirmed; a review moves the due day a year on, and
// confirming the deletion clears the last task. Attention lists them for the security office.
func TestExternalServiceTasks(t *testing.T) {
	tw := newExtTown(t)
	ctx := context.Background()
	waiting := tw.create(t, tw.satoA, tw.request("電子申告クラウド", "LGC2"))
	tw.create(t, tw.katoA, tw.request("kato's own", "LGC2"))
	kinds := func(actor isms.Actor, unit int64) []string {
		t.Helper()
		tasks, err := tw.db.FindExternalServiceTasks(ctx, actor, unit)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tk := range tasks {
			out = append(out, tk.Kind+":"+tk.Title)
		}
		slices.Sort(out)
		return out
	}
	if got, want := kinds(tw.katoA, 0), []string{"external_service_decision:S-00001 電子申告クラウド"}; !slices.Equal(got, want) {
		t.Errorf("kato's tasks = %v, want %v", got, want)
	}
	if got := kinds(tw.suzukiA, 0); len(got) != 0 {
		t.Errorf("another 管理者's tasks: %v", got)
	}
	s := tw.approve(t, waiting, "LGC2")
	review := isms.ExternalServiceReviewInput{ReviewedOn: at("2025-12-10"), Result: isms.ReviewContinue, Version: s.Version}
	if s, _ = tw.db.ReviewExternalService(ctx, tw.moriA, s.ID, review); s.ReviewDue == nil || !s.ReviewDue.Equal(day("2026-12-10")) {
		t.Fatalf("review due after a review a year ago: %+v", s.ReviewDue)
	}
	if got, want := kinds(tw.moriA, 0), []string{"external_service_review:S-00001 電子申告クラウド"}; !slices.Equal(got, want) {
		t.Errorf("mori's tasks = %v, want %v", got, want)
	}
	if got := kinds(tw.office, tw.tax.ID); len(got) != 2 {
		t.Errorf("税務課's tasks: %v", got)
	}
	if got := kinds(tw.nakamuraA, tw.tax.ID); len(got) != 0 {
		t.Errorf("税務課's tasks for another unit's staff: %v", got)
	}
	review = isms.ExternalServiceReviewInput{ReviewedOn: at(extToday), Result: isms.ReviewImprove, Version: s.Version}
	if _, err := tw.db.ReviewExternalService(ctx, tw.moriA, s.ID, review); fieldErrors(err)["note"] == "" {
		t.Errorf("improvement without a note: %v", err)
	}
	review.Note = "MFAを全利用者に必須化する"
	if s, _ = tw.db.ReviewExternalService(ctx, tw.moriA, s.ID, review); !s.ReviewDue.Equal(day("2027-11-25")) {
		t.Errorf("next review: %v", s.ReviewDue)
	}
	if got := kinds(tw.moriA, 0); len(got) != 0 {
		t.Errorf("mori's tasks after the review: %v", got)
	}
	end := isms.ExternalServiceEndInput{UseTo: at("2026-11-30"), Version: s.Version}
	if _, err := tw.db.EndExternalService(ctx, tw.moriA, s.ID, end); fieldErrors(err)["use_to"] != "validation.period" {
		t.Errorf("ended before its use began: %v", err)
	}
	end.UseTo = at("2026-12-31")
	if _, err := tw.db.EndExternalService(ctx, tw.nakamuraA, s.ID, end); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's staff ending: %v", err)
	}
	if s, err := tw.db.EndExternalService(ctx, tw.moriA, s.ID, end); err != nil || s.Status != isms.ExtServiceEnded || !s.DeletionPending() {
		t.Fatalf("ended: %+v %v", s, err)
	}
	if got, want := kinds(tw.moriA, 0), []string{"external_service_deletion:S-00001 電子申告クラウド"}; !slices.Equal(got, want) {
		t.Errorf("mori's tasks after the end = %v, want %v", got, want)
	}
	attention, err := tw.db.FindExternalServiceAttention(ctx, tw.office)
	if err != nil || len(attention) != 2 {
		t.Errorf("attention of the security office: %v %v", attention, err)
	}
	s, _ = tw.db.FindExternalService(ctx, tw.moriA, s.ID)
	done := isms.ExternalServiceEndInput{DeletedOn: at(extToday), Version: s.Version}
	if _, err := tw.db.EndExternalService(ctx, tw.moriA, s.ID, done); fieldErrors(err)["deletion_method"] == "" {
		t.Errorf("deletion without how: %v", err)
	}
	done.DeletionMethod = "事業者の消去証明書（2026年11月25日付）"
	if s, err = tw.db.EndExternalService(ctx, tw.moriA, s.ID, done); err != nil || s.DeletionPending() || !s.UseTo.Equal(day("2026-12-31")) {
		t.Fatalf("deletion confirmed: %+v %v", s, err)
	}
	if got := kinds(tw.moriA, 0); len(got) != 0 {
		t.Errorf("mori's tasks at the end: %v", got)
	}
	want := []string{"external_service.create", "external_service.approve", "external_service.review", "external_service.review",
		"external_service.end", "external_service.confirm_deletion"}
	if got := tw.extAudit(t, s.ID); !slices.Equal(got, want) {
		t.Errorf("trail = %v, want %v", got, want)
	}
}
