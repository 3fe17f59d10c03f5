package postgres_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// reqTown is the small town with people for the approval workflow: in 税務課 a member of staff
// (sato), its 情報セキュリティ管理者 (kato, also staff there) and a second 管理者 (mori); the
// 管理者 of 住民生活課 (suzuki); and someone of the security office (ito).
type reqTown struct {
	*town
	staff, manager, manager2, otherManager, office isms.Actor
}

func newReqTown(t *testing.T) reqTown {
	t.Helper()
	tw := reqTown{town: newTown(t)}
	_, staff := tw.person(t, "sato", "佐藤 一郎", tw.tax)
	kato, manager := tw.person(t, "kato", "加藤 花子", tw.tax)
	mori, manager2 := tw.person(t, "mori", "森 次郎", tw.tax)
	suzuki, other := tw.person(t, "suzuki", "鈴木 三郎", tw.life)
	tw.assign(t, kato, isms.RoleCodeISM, tw.tax.ID, "2026-04-01", nil)
	tw.assign(t, mori, isms.RoleCodeISM, tw.tax.ID, "2026-04-01", nil)
	tw.assign(t, suzuki, isms.RoleCodeISM, tw.life.ID, "2026-04-01", nil)
	u, err := tw.db.CreateUser(context.Background(), office, isms.UserInput{LoginID: "ito", Name: "伊藤 四郎", Lang: "ja",
		DateStyle: "seireki", Role: isms.RoleSecurityOffice}, "not-a-real-hash")
	if err != nil {
		t.Fatal(err)
	}
	tw.staff = tw.scope(t, staff, "2026-11-25")
	tw.manager = tw.scope(t, manager, "2026-11-25")
	tw.manager2 = tw.scope(t, manager2, "2026-11-25")
	tw.otherManager = tw.scope(t, other, "2026-11-25")
	tw.office = tw.scope(t, u.ID, "2026-11-25")
	return tw
}

// asset registers an asset of the unit at confidentiality level c (LGC3B, LGC1 …) directly in the
// table: the asset register's own store is not what these tests are about.
func (tw reqTown) asset(t *testing.T, name string, unit int64, c string, reviewDue string) int64 {
	t.Helper()
	var id int64
	err := tw.db.Pool().QueryRow(context.Background(), `
		INSERT INTO assets (name, asset_type, unit_id, form, zone, confidentiality, integrity, availability,
			c_rank, i_rank, a_rank, classified_at, review_due)
		SELECT $1, 'MEDIA', $2, 'electronic', 'LGWAN', $3, 'LGI1', 'LGA1', l.rank, 1, 1, '2026-04-01', $4::date
		FROM classification_levels l WHERE l.code = $3 RETURNING id`, name, unit, c, reviewDue).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (tw reqTown) assetStatus(t *testing.T, id int64) isms.AssetStatus {
	t.Helper()
	var s isms.AssetStatus
	if err := tw.db.Pool().QueryRow(context.Background(), `SELECT status FROM assets WHERE id = $1`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// auditOf lists the actions recorded for one record, oldest first.
func (tw reqTown) auditOf(t *testing.T, entityType string, id int64) []string {
	t.Helper()
	events, _, err := tw.db.FindAuditEvents(context.Background(), office, isms.AuditFilter{EntityType: entityType, EntityID: idStr(id), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(events) - 1; i >= 0; i-- {
		out = append(out, events[i].Action)
	}
	return out
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

func disposal(method isms.DisposalMethod) isms.RequestCompletion {
	return isms.RequestCompletion{Disposal: isms.Disposal{At: at("2026-11-20"), By: "佐藤 一郎 (立会: 加藤 花子)",
		Method: method, Evidence: "消去証明書 第2026-118号"}}
}

// The whole V-A2/V-A3 flow for a 3B medium: asked, refused to its own requester, approved by the
// 管理者, completed only with a complete disposal record, and then the asset is 廃棄済 for good.
func TestDisposalOfConfidentialAsset(t *testing.T) {
	ctx := context.Background()
	tw := newReqTown(t)
	usb := tw.asset(t, "課税資料USBメモリ", tw.tax.ID, "LGC3B", "2027-03-31")

	r, err := tw.db.CreateAssetRequest(ctx, tw.staff, usb, isms.AssetRequestInput{Kind: isms.RequestDispose,
		Detail: "故障のため廃棄する", Method: "物理破壊の上、委託業者へ引渡し", PlannedOn: at("2026-12-01")})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != isms.RequestPending || !r.NeedsApproval || r.RequestedByName != "佐藤 一郎" || r.AssetName != "課税資料USBメモリ" {
		t.Errorf("created: %+v", r)
	}
	// Staff cannot decide; a 管理者 cannot decide their own request (兼務の禁止).
	if _, err := tw.db.DecideAssetRequest(ctx, tw.staff, r.ID, isms.RequestDecision{Approve: true, Version: r.Version}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff approving: %v", err)
	}
	own, err := tw.db.CreateAssetRequest(ctx, tw.manager, tw.asset(t, "課税台帳写し", tw.tax.ID, "LGC3C", "2027-03-31"),
		isms.AssetRequestInput{Kind: isms.RequestTransport, Detail: "本庁から支所へ運搬"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.DecideAssetRequest(ctx, tw.manager, own.ID, isms.RequestDecision{Approve: true, Version: own.Version}); fieldErrors(err)["note"] != "request.error.own_request" {
		t.Errorf("管理者 approving their own request: %v", err)
	}
	// The 管理者 of another section does not even see it; the security office sees it but does not decide.
	if _, err := tw.db.DecideAssetRequest(ctx, tw.otherManager, r.ID, isms.RequestDecision{Approve: true, Version: r.Version}); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("管理者 of 住民生活課 approving: %v", err)
	}
	if _, err := tw.db.DecideAssetRequest(ctx, tw.office, r.ID, isms.RequestDecision{Approve: true, Version: r.Version}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("security office approving: %v", err)
	}
	// Nothing can be completed before approval.
	if _, err := tw.db.CompleteAssetRequest(ctx, tw.staff, r.ID, withVersion(disposal(isms.DisposalPhysical), r.Version)); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("completing a pending request: %v", err)
	}

	r, err = tw.db.DecideAssetRequest(ctx, tw.manager, r.ID, isms.RequestDecision{Approve: true, Note: "物理破壊を確認すること", Version: r.Version})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != isms.RequestApproved || r.DecidedByName != "加藤 花子" || r.DecidedAt == nil {
		t.Errorf("approved: %+v", r)
	}
	// A second decision on the same request is a conflict.
	if _, err := tw.db.DecideAssetRequest(ctx, tw.manager2, r.ID, isms.RequestDecision{Note: "やはり不可", Version: r.Version}); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("deciding again: %v", err)
	}

	// The record needs every field (V-A3).
	incomplete := withVersion(disposal(""), r.Version)
	incomplete.Disposal.Evidence = ""
	_, err = tw.db.CompleteAssetRequest(ctx, tw.staff, r.ID, incomplete)
	if fe := fieldErrors(err); fe["disposal_method"] == "" || fe["evidence"] == "" {
		t.Errorf("completion without method and evidence: %v", err)
	}
	if s := tw.assetStatus(t, usb); s != isms.AssetInUse {
		t.Errorf("asset after a refused completion: %s", s)
	}
	future := withVersion(disposal(isms.DisposalPhysical), r.Version)
	future.Today = day("2026-11-19")
	if _, err := tw.db.CompleteAssetRequest(ctx, tw.staff, r.ID, future); fieldErrors(err)["disposed_at"] != "request.error.future" {
		t.Errorf("disposed in the future: %v", err)
	}
	// The other unit's 管理者 cannot record it either.
	if _, err := tw.db.CompleteAssetRequest(ctx, tw.otherManager, r.ID, withVersion(disposal(isms.DisposalPhysical), r.Version)); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("other unit completing: %v", err)
	}

	r, err = tw.db.CompleteAssetRequest(ctx, tw.staff, r.ID, withVersion(disposal(isms.DisposalPhysical), r.Version))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != isms.RequestCompleted || r.Disposal.Method != isms.DisposalPhysical || r.Disposal.At == nil ||
		r.Disposal.Evidence != "消去証明書 第2026-118号" || r.CompletedByName != "佐藤 一郎" || r.AssetStatus != isms.AssetDisposed {
		t.Errorf("completed: %+v", r)
	}
	if s := tw.assetStatus(t, usb); s != isms.AssetDisposed {
		t.Errorf("asset after disposal: %s", s)
	}
	// A disposed asset takes no more requests.
	if _, err := tw.db.CreateAssetRequest(ctx, tw.staff, usb, isms.AssetRequestInput{Kind: isms.RequestTransport, Detail: "運搬"}); fieldErrors(err)["kind"] != "request.error.disposed" {
		t.Errorf("request on a disposed asset: %v", err)
	}

	if got, want := tw.auditOf(t, "asset_request", r.ID), []string{"asset_request.create", "asset_request.approve", "asset_request.complete"}; !slices.Equal(got, want) {
		t.Errorf("audit of the request: %v, want %v", got, want)
	}
	if got := tw.auditOf(t, "asset", usb); !slices.Equal(got, []string{"asset.dispose"}) {
		t.Errorf("audit of the asset: %v", got)
	}
	// The asset's requests, newest first, for the asset's page.
	reqs, err := tw.db.FindAssetRequests(ctx, tw.staff, usb)
	if err != nil || len(reqs) != 1 || reqs[0].ID != r.ID {
		t.Errorf("requests of the asset: %+v, %v", reqs, err)
	}
}

func withVersion(c isms.RequestCompletion, v int) isms.RequestCompletion {
	c.Version = v
	return c
}

// A refusal says why; a refused request is closed.
func TestRefusal(t *testing.T) {
	ctx := context.Background()
	tw := newReqTown(t)
	ledger := tw.asset(t, "固定資産課税台帳", tw.tax.ID, "LGC3B", "2027-03-31")
	r, err := tw.db.CreateAssetRequest(ctx, tw.staff, ledger, isms.AssetRequestInput{Kind: isms.RequestProvide,
		Detail: "県税事務所へ提供", Method: "暗号化したファイルを LGWAN メールで送付"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.DecideAssetRequest(ctx, tw.manager, r.ID, isms.RequestDecision{Note: "  ", Version: r.Version}); fieldErrors(err)["note"] != "request.error.refusal_note" {
		t.Errorf("refusal without a reason: %v", err)
	}
	r, err = tw.db.DecideAssetRequest(ctx, tw.manager, r.ID, isms.RequestDecision{Note: "提供の根拠となる協定を確認できない", Version: r.Version})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != isms.RequestRefused || r.DecisionNote != "提供の根拠となる協定を確認できない" {
		t.Errorf("refused: %+v", r)
	}
	if _, err := tw.db.CompleteAssetRequest(ctx, tw.staff, r.ID, isms.RequestCompletion{DoneOn: at("2026-11-25"), Version: r.Version}); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("completing a refused request: %v", err)
	}
	if _, err := tw.db.WithdrawAssetRequest(ctx, tw.staff, r.ID, r.Version); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("withdrawing a refused request: %v", err)
	}
	if got := tw.auditOf(t, "asset_request", r.ID); !slices.Equal(got, []string{"asset_request.create", "asset_request.refuse"}) {
		t.Errorf("audit: %v", got)
	}
}

// Only the requester withdraws, and only while the request waits; a transport is completed with
// the day it was done.
func TestWithdrawalAndTransport(t *testing.T) {
	ctx := context.Background()
	tw := newReqTown(t)
	box := tw.asset(t, "納税通知書控え", tw.tax.ID, "LGC3C", "2027-03-31")
	r, err := tw.db.CreateAssetRequest(ctx, tw.staff, box, isms.AssetRequestInput{Kind: isms.RequestTransport,
		Detail: "書庫から支所へ", Method: "施錠できるケースに格納", PlannedOn: at("2026-12-03")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.WithdrawAssetRequest(ctx, tw.manager, r.ID, r.Version); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("管理者 withdrawing another's request: %v", err)
	}
	w, err := tw.db.WithdrawAssetRequest(ctx, tw.staff, r.ID, r.Version)
	if err != nil || w.Status != isms.RequestWithdrawn {
		t.Fatalf("withdraw: %+v, %v", w, err)
	}
	if _, err := tw.db.DecideAssetRequest(ctx, tw.manager, r.ID, isms.RequestDecision{Approve: true, Version: w.Version}); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("approving a withdrawn request: %v", err)
	}

	r, _ = tw.db.CreateAssetRequest(ctx, tw.staff, box, isms.AssetRequestInput{Kind: isms.RequestTransport, Detail: "書庫から支所へ"})
	r, err = tw.db.DecideAssetRequest(ctx, tw.manager, r.ID, isms.RequestDecision{Approve: true, Version: r.Version})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.CompleteAssetRequest(ctx, tw.staff, r.ID, isms.RequestCompletion{Version: r.Version}); fieldErrors(err)["done_on"] != "validation.required" {
		t.Errorf("transport without its day: %v", err)
	}
	r, err = tw.db.CompleteAssetRequest(ctx, tw.staff, r.ID, isms.RequestCompletion{DoneOn: at("2026-11-24"), Version: r.Version})
	if err != nil || r.Status != isms.RequestCompleted || r.DoneOn == nil || !r.DoneOn.Equal(day("2026-11-24")) {
		t.Fatalf("transport done: %+v, %v", r, err)
	}
	if s := tw.assetStatus(t, box); s != isms.AssetInUse {
		t.Errorf("a transport changed the asset's status to %s", s)
	}
}

// Below 自治体機密性2 a disposal needs no approval: it is recorded at once, with its record.
func TestDirectDisposalBelowThreshold(t *testing.T) {
	ctx := context.Background()
	tw := newReqTown(t)
	leaflet := tw.asset(t, "広報チラシ原稿", tw.tax.ID, "LGC1", "2027-03-31")
	if _, err := tw.db.CreateAssetRequest(ctx, tw.staff, leaflet, isms.AssetRequestInput{Kind: isms.RequestDispose, Detail: "不要"}); fieldErrors(err)["kind"] != "request.error.record_directly" {
		t.Errorf("asking to dispose of a C1 asset: %v", err)
	}
	if _, err := tw.db.CreateAssetRequest(ctx, tw.staff, leaflet, isms.AssetRequestInput{Kind: isms.RequestTransport, Detail: "支所へ"}); fieldErrors(err)["kind"] != "request.error.no_approval_needed" {
		t.Errorf("asking to transport a C1 asset: %v", err)
	}
	_, err := tw.db.RecordDisposal(ctx, tw.staff, leaflet, isms.AssetRequestInput{Detail: "保存期間満了"}, isms.RequestCompletion{})
	if fe := fieldErrors(err); fe["disposed_at"] == "" || fe["disposed_by"] == "" || fe["disposal_method"] == "" || fe["evidence"] == "" {
		t.Errorf("a disposal without its record: %v", err)
	}
	r, err := tw.db.RecordDisposal(ctx, tw.staff, leaflet, isms.AssetRequestInput{Detail: "保存期間満了"}, disposal(isms.DisposalShred))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != isms.RequestCompleted || r.AssetStatus != isms.AssetDisposed || r.NeedsApproval || r.Kind != isms.RequestDispose || r.DecidedBy != 0 || r.Disposal.Method != isms.DisposalShred {
		t.Errorf("direct disposal: %+v", r)
	}
	if s := tw.assetStatus(t, leaflet); s != isms.AssetDisposed {
		t.Errorf("asset: %s", s)
	}
	if _, err := tw.db.RecordDisposal(ctx, tw.staff, leaflet, isms.AssetRequestInput{Detail: "再度"}, disposal(isms.DisposalShred)); fieldErrors(err)["kind"] != "request.error.disposed" {
		t.Errorf("disposing twice: %v", err)
	}
	// At 2以上 the direct path is closed.
	secret := tw.asset(t, "滞納者一覧", tw.tax.ID, "LGC3B", "2027-03-31")
	if _, err := tw.db.RecordDisposal(ctx, tw.staff, secret, isms.AssetRequestInput{Detail: "不要"}, disposal(isms.DisposalShred)); fieldErrors(err)["kind"] != "request.error.needs_approval" {
		t.Errorf("direct disposal of a 3B asset: %v", err)
	}
	if got := tw.auditOf(t, "asset_request", r.ID); !slices.Equal(got, []string{"asset_request.complete"}) {
		t.Errorf("audit: %v", got)
	}
}

// Requests follow their asset's scope; the inbox holds the open requests of the units managed,
// those awaiting a decision first; a disposal withdraws the asset's other open requests.
func TestRequestScopeAndInbox(t *testing.T) {
	ctx := context.Background()
	tw := newReqTown(t)
	a := tw.asset(t, "課税システム端末", tw.tax.ID, "LGC3B", "2027-03-31")
	b := tw.asset(t, "申告書綴り", tw.tax.ID, "LGC2", "2027-03-31")
	first, _ := tw.db.CreateAssetRequest(ctx, tw.staff, a, isms.AssetRequestInput{Kind: isms.RequestTransport, Detail: "修理のため運搬"})
	second, _ := tw.db.CreateAssetRequest(ctx, tw.staff, b, isms.AssetRequestInput{Kind: isms.RequestProvide, Detail: "監査委員へ提供"})
	dispose, err := tw.db.CreateAssetRequest(ctx, tw.staff, a, isms.AssetRequestInput{Kind: isms.RequestDispose, Detail: "更新のため廃棄"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.CreateAssetRequest(ctx, tw.staff, a, isms.AssetRequestInput{Kind: isms.RequestDispose, Detail: "重複"}); fieldErrors(err)["kind"] != "request.error.open_disposal" {
		t.Errorf("a second open disposal: %v", err)
	}
	first, _ = tw.db.DecideAssetRequest(ctx, tw.manager, first.ID, isms.RequestDecision{Approve: true, Version: first.Version})

	inbox, err := tw.db.FindPendingRequests(ctx, tw.manager)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range inbox {
		ids = append(ids, r.ID)
	}
	if want := []int64{second.ID, dispose.ID, first.ID}; !slices.Equal(ids, want) {
		t.Errorf("inbox: %v, want %v (pending first)", ids, want)
	}
	if n, _ := tw.db.CountPendingRequests(ctx, tw.manager); n != 2 {
		t.Errorf("pending count: %d", n)
	}
	if inbox, _ := tw.db.FindPendingRequests(ctx, tw.otherManager); len(inbox) != 0 {
		t.Errorf("the other 管理者's inbox: %+v", inbox)
	}
	if inbox, _ := tw.db.FindPendingRequests(ctx, tw.staff); len(inbox) != 0 {
		t.Errorf("staff inbox: %+v", inbox)
	}
	if _, err := tw.db.FindAssetRequest(ctx, tw.otherManager, first.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("other unit finding a request: %v", err)
	}
	if reqs, _ := tw.db.FindAssetRequests(ctx, tw.otherManager, a); len(reqs) != 0 {
		t.Errorf("other unit listing requests: %+v", reqs)
	}
	if _, err := tw.db.CreateAssetRequest(ctx, tw.otherManager, a, isms.AssetRequestInput{Kind: isms.RequestTransport, Detail: "x"}); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("other unit asking: %v", err)
	}
	if reqs, _ := tw.db.FindAssetRequests(ctx, tw.office, a); len(reqs) != 2 {
		t.Errorf("security office sees %d requests of the asset", len(reqs))
	}

	// Disposing of the asset withdraws its approved transport.
	dispose, _ = tw.db.DecideAssetRequest(ctx, tw.manager, dispose.ID, isms.RequestDecision{Approve: true, Version: dispose.Version})
	if _, err := tw.db.CompleteAssetRequest(ctx, tw.office, dispose.ID, withVersion(disposal(isms.DisposalVendor), dispose.Version)); err != nil {
		t.Fatal(err)
	}
	if r, _ := tw.db.FindAssetRequest(ctx, tw.staff, first.ID); r.Status != isms.RequestWithdrawn {
		t.Errorf("transport of a disposed asset: %s", r.Status)
	}
}
