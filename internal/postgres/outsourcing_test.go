package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// outsourcingRecords are a contract of 税務課, a cloud service of 税務課 approved for 自治体機密性2,
// a shared service approved for 3B, and a social media account of 住民生活課, written as their
// registers would hold them.
type outsourcingRecords struct {
	contract, service, shared, account isms.OutsourcedTo
}

func (tw *assetTown) outsourcing(t *testing.T) outsourcingRecords {
	t.Helper()
	ctx := context.Background()
	var r outsourcingRecords
	person, _ := tw.person(t, "cloudadmin", "外部 太郎", tw.tax)
	admin := person.ID
	q := tw.db.Pool()
	r.contract.Kind, r.service.Kind, r.shared.Kind, r.account.Kind = isms.OutsourceContract,
		isms.OutsourceExternalService, isms.OutsourceExternalService, isms.OutsourceSocialAccount
	const service = `INSERT INTO external_services (name, unit_id, shared, requested_level, admin_person_id, requested_by,
			approved_level, status, decided_at, provider, purpose, contract_form, data_location)
		SELECT n, u, s, l, p, b, l, 'approved', now(), '提供事業者', '申請受付', 'contract', 'domestic'
		FROM (`
	for _, step := range []struct {
		sql  string
		args []any
		id   *int64
	}{
		{`WITH f AS (INSERT INTO contractors (name) VALUES ('みどり情報サービス') RETURNING id)
			INSERT INTO contracts (contractor_id, unit_id, title, period_from, period_to)
			SELECT id, $1, '税務システム保守', '2026-04-01', '2027-03-31' FROM f RETURNING id`, []any{tw.tax.ID}, &r.contract.ID},
		{service + `VALUES ('電子申請クラウド', $1::bigint, false, 'LGC2', $2::bigint, $3::bigint)) AS v (n, u, s, l, p, b) RETURNING id`,
			[]any{tw.tax.ID, admin, tw.taxStaff.UserID}, &r.service.ID},
		{service + `VALUES ('自治体向けファイル共有', $1::bigint, true, 'LGC3B', $2::bigint, $3::bigint)) AS v (n, u, s, l, p, b) RETURNING id`,
			[]any{tw.general.ID, admin, tw.taxStaff.UserID}, &r.shared.ID},
		{`INSERT INTO social_accounts (platform, account_name, unit_id) VALUES ('x', '@town_life', $1) RETURNING id`,
			[]any{tw.life.ID}, &r.account.ID},
	} {
		if err := q.QueryRow(ctx, step.sql, step.args...).Scan(step.id); err != nil {
			t.Fatalf("%s: %v", step.sql, err)
		}
	}
	return r
}

// An asset names one record of the three registers. A service must be approved for the asset's
// level (V-S1); no asset at 2以上 goes into a social media account (V-S2); staff name only records
// they see.
func TestAssetOutsourcedTo(t *testing.T) {
	ctx := context.Background()
	tw := newAssetTown(t)
	r := tw.outsourcing(t)

	refused := func(in isms.AssetInput, actor isms.Actor, want string) {
		t.Helper()
		_, _, err := tw.db.CreateAsset(ctx, actor, in)
		if got := fieldErrors(err)["outsourced_to"]; got != want {
			t.Errorf("%s → %v: outsourced_to error %q, want %q (%v)", in.Name, in.OutsourcedTo, got, want, err)
		}
	}
	ledger := tw.ledger() // 3B
	ledger.OutsourcedTo = r.service
	refused(ledger, tw.taxStaff, "rule.V-S1")
	ledger.OutsourcedTo = r.shared // approved for 3B, and every unit sees a shared service
	a, _ := tw.create(t, tw.taxStaff, ledger)
	if a.OutsourcedTo != r.shared || a.OutsourcedName != "S-00002 自治体向けファイル共有" {
		t.Errorf("stored link %+v %q", a.OutsourcedTo, a.OutsourcedName)
	}

	post := tw.notice("広報文案", tw.life)
	post.C = "LGC2"
	post.OutsourcedTo = r.account
	refused(post, tw.lifeStaff, "rule.V-S2")
	post.C = "LGC1"
	tw.create(t, tw.lifeStaff, post)

	// 住民生活課 does not see 税務課's contract: it cannot be named, as if it did not exist.
	other := tw.notice("住民票写し", tw.life)
	other.OutsourcedTo = r.contract
	refused(other, tw.lifeStaff, "validation.choose")
	other.OutsourcedTo = isms.OutsourcedTo{Kind: isms.OutsourceContract, ID: 999999}
	refused(other, tw.lifeStaff, "validation.choose")

	// The register lists the assets of a record; the options are what the reader sees.
	list, _, _, _, err := tw.db.FindAssets(ctx, tw.office, isms.AssetFilter{OutsourcedTo: r.shared})
	if err != nil || len(list) != 1 || list[0].ID != a.ID {
		t.Errorf("assets of the shared service: %v, %v", names(list), err)
	}
	targets, err := tw.db.FindOutsourceTargets(ctx, tw.lifeStaff)
	if err != nil {
		t.Fatal(err)
	}
	var seen []isms.OutsourcedTo
	for _, x := range targets {
		seen = append(seen, x.OutsourcedTo)
	}
	if len(seen) != 2 || seen[0] != r.shared || seen[1] != r.account {
		t.Errorf("住民生活課 may name %v, want the shared service and its own account", seen)
	}

	// The shared service keeps a 3B asset: its 管理者 cannot lower it to 2 while the asset is there.
	gm, gmUser := tw.person(t, "generalism", "総務 管理者", tw.general)
	tw.assign(t, gm, isms.RoleCodeISM, tw.general.ID, "2026-04-01", nil)
	manager := tw.scope(t, gmUser, "2026-11-25")
	s, err := tw.db.FindExternalService(ctx, manager, r.shared.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tw.db.LowerExternalServiceLevel(ctx, manager, r.shared.ID,
		isms.ExternalServiceLevelInput{Level: "LGC2", Reason: "利用範囲の見直し", Version: s.Version})
	if got := fieldErrors(err)["level"]; got != "external_service.error.assets_above" {
		t.Errorf("lowering a service below its assets: %q (%v)", got, err)
	}

	// A closed record keeps the links it has: the asset can still be saved, but nothing new names it.
	tw.exec(t, `UPDATE contracts SET status = 'ended', ended_on = '2026-11-01' WHERE id = $1`, r.contract.ID)
	manual := tw.notice("保守作業報告書", tw.tax)
	manual.OutsourcedTo = r.contract
	refused(manual, tw.taxStaff, "validation.choose")
	tw.exec(t, `UPDATE assets SET contract_id = $1, external_service_id = NULL WHERE id = $2`, r.contract.ID, a.ID)
	a, err = tw.db.FindAsset(ctx, tw.taxStaff, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	in := a.Input()
	in.Description = "保守業者が参照する"
	if _, _, err := tw.db.UpdateAsset(ctx, tw.taxStaff, a.ID, in); err != nil {
		t.Errorf("keeping a link to an ended contract: %v (%v)", err, fieldErrors(err))
	}
	var ie *isms.Error
	in.Version++
	in.OutsourcedTo = r.service
	if _, _, err := tw.db.UpdateAsset(ctx, tw.taxStaff, a.ID, in); !errors.As(err, &ie) || fieldErrors(err)["outsourced_to"] != "rule.V-S1" {
		t.Errorf("moving a 3B asset to a service approved for 2: %v", err)
	}
}
