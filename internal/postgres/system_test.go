package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// sysTown is the test town with a clerk of 税務課 who keeps its register, the 税務課長 who holds
// 情報システム管理者 for 税務課, and a clerk of 住民生活課.
type sysTown struct {
	*town
	clerk, lifeClerk isms.Actor
	admin            isms.Person
}

func newSysTown(t *testing.T) sysTown {
	t.Helper()
	tw := sysTown{town: newTown(t)}
	_, clerkUser := tw.person(t, "sys-clerk", "税務 一郎", tw.tax)
	_, lifeUser := tw.person(t, "sys-life", "住民 花子", tw.life)
	tw.admin, _ = tw.person(t, "sys-admin", "税務 課長", tw.tax)
	tw.assign(t, tw.admin, isms.RoleCodeSystemAdmin, tw.tax.ID, "2024-04-01", nil)
	tw.clerk = tw.scope(t, clerkUser, "2026-11-25")
	tw.lifeClerk = tw.scope(t, lifeUser, "2026-11-25")
	return tw
}

// sysInput is a valid system of unit in the LGWAN zone.
func sysInput(code, name string, unit int64) isms.SystemInput {
	return isms.SystemInput{Code: code, Name: name, UnitID: unit, Zone: isms.ZoneLGWAN, Hosting: isms.HostingOnPremises}
}

// sysAsset registers an electronic asset of 税務課 held by the system, at the levels given.
func (tw sysTown) sysAsset(t *testing.T, name string, systemID int64, c, i, a string) isms.Asset {
	t.Helper()
	hours := 24
	as, _, err := tw.db.CreateAsset(context.Background(), tw.clerk, isms.AssetInput{
		Name: name, Type: "INFO_ELECTRONIC", UnitID: tw.tax.ID, Form: isms.FormElectronic, Zone: isms.ZoneLGWAN,
		SystemID: systemID, C: c, I: i, A: a, BackupPolicy: "日次", RecoveryHours: &hours,
		ClassifiedAt: at("2026-11-25"), ReviewDue: at("2027-03-31"), Status: isms.AssetInUse})
	if err != nil {
		t.Fatalf("asset %s: %v", name, err)
	}
	return as
}

// sysLevels is a system's computed C, I and A as level codes ("" for none).
func sysLevels(t *testing.T, tw sysTown, id int64) [3]string {
	t.Helper()
	s, err := tw.db.FindSystem(context.Background(), tw.clerk, id)
	if err != nil {
		t.Fatal(err)
	}
	return [3]string{s.C.Code, s.I.Code, s.A.Code}
}

// A system is registered and changed with its audit events; a stale edit is a conflict and a
// code already in use is refused beside its field.
func TestSystemCreateUpdateConflict(t *testing.T) {
	ctx := context.Background()
	tw := newSysTown(t)
	in := sysInput("SYS-001", "税務システム", tw.tax.ID)
	in.AdminPersonID = tw.admin.ID
	in.Business = "  住民税・固定資産税の賦課 "
	in.HandlesMyNumber = true
	s, err := tw.db.CreateSystem(ctx, tw.clerk, in)
	if err != nil {
		t.Fatal(err)
	}
	if s.Business != "住民税・固定資産税の賦課" || !s.HandlesPersonal || s.AdminName != "税務 課長" || s.UnitName != "税務課" ||
		s.Version != 1 || len(s.Warnings) != 0 || s.AssetCount != 0 || s.C.Code != "" {
		t.Errorf("created: %+v", s)
	}

	in = s.Input()
	in.Name, in.Version = "税務総合システム", 1
	if s, err = tw.db.UpdateSystem(ctx, tw.clerk, s.ID, in); err != nil || s.Name != "税務総合システム" || s.Version != 2 {
		t.Fatalf("update: %v %+v", err, s)
	}
	in.Name = "古い画面からの保存"
	if _, err := tw.db.UpdateSystem(ctx, tw.clerk, s.ID, in); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale edit: %v", err)
	}

	other := sysInput("SYS-001", "別のシステム", tw.tax.ID)
	if _, err := tw.db.CreateSystem(ctx, tw.clerk, other); fieldErrors(err)["code"] != "system.error.code_taken" {
		t.Errorf("duplicate code: %v", err)
	}

	events, _, err := tw.db.FindSystemHistory(ctx, tw.clerk, s.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action+" by "+e.ActorLabel)
	}
	if !slices.Equal(actions, []string{"system.update by sys-clerk", "system.create by sys-clerk"}) {
		t.Errorf("history: %v", actions)
	}
}

// A system's C, I and A are the highest levels of the assets it holds, named in the active
// scheme; an asset disposed of or linked elsewhere no longer counts.
func TestSystemLevelsFollowItsAssets(t *testing.T) {
	ctx := context.Background()
	tw := newSysTown(t)
	s, err := tw.db.CreateSystem(ctx, tw.clerk, sysInput("SYS-010", "税務システム", tw.tax.ID))
	if err != nil {
		t.Fatal(err)
	}
	if got := sysLevels(t, tw, s.ID); got != [3]string{} {
		t.Errorf("without assets: %v", got)
	}
	ledger := tw.sysAsset(t, "住民税課税台帳", s.ID, "LGC3B", "LGI2", "LGA1")
	manual := tw.sysAsset(t, "操作手順書", s.ID, "LGC1", "LGI1", "LGA2")
	if got := sysLevels(t, tw, s.ID); got != [3]string{"LGC3B", "LGI2", "LGA2"} {
		t.Errorf("with a 3B ledger and an A2 manual: %v", got)
	}
	found, _ := tw.db.FindSystem(ctx, tw.clerk, s.ID)
	if found.C.NameJa != "自治体機密性3B" || found.AssetCount != 2 {
		t.Errorf("named %q, %d assets", found.C.NameJa, found.AssetCount)
	}

	// The manual, below 2以上, is disposed of at once: its 可用性2 no longer counts.
	if _, err := tw.db.RecordDisposal(ctx, tw.clerk, manual.ID, isms.AssetRequestInput{Detail: "改訂のため"},
		isms.RequestCompletion{Disposal: isms.Disposal{At: at("2026-11-25"), By: "税務 一郎", Method: isms.DisposalShred,
			Evidence: "シュレッダー処理"}}); err != nil {
		t.Fatal(err)
	}
	if got := sysLevels(t, tw, s.ID); got != [3]string{"LGC3B", "LGI2", "LGA1"} {
		t.Errorf("after the disposal: %v", got)
	}
	assets, hidden, err := tw.db.FindSystemAssets(ctx, tw.clerk, s.ID)
	if err != nil || hidden != 0 || len(assets) != 2 || assets[0].Name != "住民税課税台帳" || assets[1].Status != isms.AssetDisposed {
		t.Errorf("assets listed: %v %d %+v", err, hidden, assets)
	}

	// The ledger moves to no system: nothing is held.
	in := ledger.Input()
	in.SystemID = 0
	if _, _, err := tw.db.UpdateAsset(ctx, tw.clerk, ledger.ID, in); err != nil {
		t.Fatal(err)
	}
	if got := sysLevels(t, tw, s.ID); got != [3]string{} {
		t.Errorf("after unlinking: %v", got)
	}
}

// An asset of a unit outside the reader's scope counts towards the levels, and is counted, not listed.
func TestSystemAssetsOutsideScope(t *testing.T) {
	ctx := context.Background()
	tw := newSysTown(t)
	s, err := tw.db.CreateSystem(ctx, office, sysInput("SYS-020", "共通基盤", tw.life.ID))
	if err != nil {
		t.Fatal(err)
	}
	tw.sysAsset(t, "税務データ", s.ID, "LGC3A", "LGI1", "LGA1")
	lifeSystem, err := tw.db.FindSystem(ctx, tw.lifeClerk, s.ID)
	if err != nil || lifeSystem.C.Code != "LGC3A" {
		t.Fatalf("life clerk: %v %v", err, lifeSystem.C.Code)
	}
	assets, hidden, err := tw.db.FindSystemAssets(ctx, tw.lifeClerk, s.ID)
	if err != nil || len(assets) != 0 || hidden != 1 {
		t.Errorf("life clerk's assets: %v %v %d", err, assets, hidden)
	}
}

// The administrator must hold 情報システム管理者 for the system's unit on the day of the save.
func TestSystemAdminMustHoldTheRole(t *testing.T) {
	ctx := context.Background()
	tw := newSysTown(t)
	clerkPerson, _ := tw.person(t, "plain", "税務 二郎", tw.tax)
	lifeAdmin, _ := tw.person(t, "life-admin", "住民 課長", tw.life)
	tw.assign(t, lifeAdmin, isms.RoleCodeSystemAdmin, tw.life.ID, "2024-04-01", nil)
	former, _ := tw.person(t, "former", "前 課長", tw.tax)
	tw.assign(t, former, isms.RoleCodeSystemAdmin, tw.tax.ID, "2020-04-01", at("2024-03-31"))
	for who, id := range map[string]int64{"no role": clerkPerson.ID, "another unit's": lifeAdmin.ID, "ended": former.ID, "nobody": 999999} {
		in := sysInput("SYS-030", "税務システム", tw.tax.ID)
		in.AdminPersonID = id
		if _, err := tw.db.CreateSystem(ctx, tw.clerk, in); fieldErrors(err)["admin_person_id"] != "system.error.not_admin" {
			t.Errorf("%s: %v", who, err)
		}
	}
	in := sysInput("SYS-030", "税務システム", tw.tax.ID)
	in.AdminPersonID = tw.admin.ID
	if _, err := tw.db.CreateSystem(ctx, tw.clerk, in); err != nil {
		t.Errorf("holder: %v", err)
	}
}

// A system outside the actor's scope is not found, absent from lists and choices, and cannot be
// changed; nobody registers one for a unit they do not keep; the CISO reads but does not register.
func TestSystemScope(t *testing.T) {
	ctx := context.Background()
	tw := newSysTown(t)
	tax, err := tw.db.CreateSystem(ctx, tw.clerk, sysInput("SYS-100", "税務システム", tw.tax.ID))
	if err != nil {
		t.Fatal(err)
	}
	life, err := tw.db.CreateSystem(ctx, tw.lifeClerk, sysInput("SYS-200", "住民記録システム", tw.life.ID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.FindSystem(ctx, tw.clerk, life.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's system: %v", err)
	}
	if _, err := tw.db.UpdateSystem(ctx, tw.clerk, life.ID, life.Input()); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("editing another unit's system: %v", err)
	}
	if _, _, err := tw.db.FindSystemHistory(ctx, tw.clerk, life.ID, 10); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's history: %v", err)
	}
	list, total, _, err := tw.db.FindSystems(ctx, tw.clerk, isms.SystemFilter{})
	if err != nil || total != 1 || len(list) != 1 || list[0].ID != tax.ID {
		t.Errorf("clerk's list: %v %d %v", err, total, list)
	}
	options, err := tw.db.FindSystemOptions(ctx, tw.clerk)
	if err != nil || len(options) != 1 || options[0].Code != "SYS-100" || options[0].Name != "税務システム" {
		t.Errorf("clerk's options: %v %+v", err, options)
	}
	if _, err := tw.db.CreateSystem(ctx, tw.clerk, sysInput("SYS-300", "よその課のシステム", tw.life.ID)); fieldErrors(err)["unit_id"] != "validation.choose" {
		t.Errorf("registering for another unit: %v", err)
	}
	moved := tax.Input()
	moved.UnitID = tw.life.ID
	if _, err := tw.db.UpdateSystem(ctx, tw.clerk, tax.ID, moved); fieldErrors(err)["unit_id"] != "validation.choose" {
		t.Errorf("moving to another unit: %v", err)
	}

	ciso := isms.Actor{UserID: tw.clerk.UserID, Label: "ciso", Role: isms.RoleCISO, AllUnits: true}
	list, total, _, err = tw.db.FindSystems(ctx, ciso, isms.SystemFilter{})
	if err != nil || total != 2 || len(list) != 2 || list[0].Code != "SYS-100" || list[1].Code != "SYS-200" {
		t.Errorf("CISO's list: %v %d %v", err, total, list)
	}
	if _, err := tw.db.CreateSystem(ctx, ciso, sysInput("SYS-400", "CISOのシステム", tw.tax.ID)); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("CISO registering: %v", err)
	}
	if _, err := tw.db.UpdateSystem(ctx, ciso, tax.ID, tax.Input()); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("CISO editing: %v", err)
	}
}

// The register pages by code, filters by unit, zone and 要確認, and counts all that match.
func TestFindSystemsFiltersAndPages(t *testing.T) {
	ctx := context.Background()
	tw := newSysTown(t)
	for _, c := range []struct {
		code string
		unit int64
		zone isms.Zone
		mfa  bool
	}{
		{"S-05", tw.tax.ID, isms.ZoneMyNumber, false}, {"S-01", tw.tax.ID, isms.ZoneLGWAN, false},
		{"S-03", tw.life.ID, isms.ZoneMyNumber, true}, {"S-02", tw.life.ID, isms.ZoneInternet, false},
		{"S-04", tw.tax.ID, isms.ZoneMyNumber, true},
	} {
		in := sysInput(c.code, "システム "+c.code, c.unit)
		in.Zone, in.MFAEnabled, in.USBBlockEnabled = c.zone, c.mfa, c.mfa
		if _, err := tw.db.CreateSystem(ctx, office, in); err != nil {
			t.Fatal(err)
		}
	}
	codes := func(f isms.SystemFilter) ([]string, int, string) {
		t.Helper()
		list, total, next, err := tw.db.FindSystems(ctx, office, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range list {
			out = append(out, s.Code)
		}
		return out, total, next
	}
	if got, total, next := codes(isms.SystemFilter{Limit: 2}); !slices.Equal(got, []string{"S-01", "S-02"}) || total != 5 || next != "S-02" {
		t.Errorf("first page: %v of %d, next %q", got, total, next)
	}
	if got, _, next := codes(isms.SystemFilter{Limit: 2, After: "S-04"}); !slices.Equal(got, []string{"S-05"}) || next != "" {
		t.Errorf("last page: %v, next %q", got, next)
	}
	if got, total, _ := codes(isms.SystemFilter{UnitID: tw.tax.ID, Zone: isms.ZoneMyNumber}); !slices.Equal(got, []string{"S-04", "S-05"}) || total != 2 {
		t.Errorf("税務課 in the マイナンバー zone: %v (%d)", got, total)
	}
	if got, _, _ := codes(isms.SystemFilter{Flagged: true}); !slices.Equal(got, []string{"S-05"}) {
		t.Errorf("flagged: %v", got)
	}
	if got, _, _ := codes(isms.SystemFilter{Query: "s-0"}); len(got) != 5 {
		t.Errorf("search by code: %v", got)
	}
}

// Z-4: a マイナンバー system without MFA is saved and flagged 要確認; the CISO's 例外措置 takes the
// flag away, and later saves keep it away while the exception lasts.
func TestSystemMyNumberRuleAndException(t *testing.T) {
	ctx := context.Background()
	tw := newSysTown(t)
	in := sysInput("SYS-500", "住民記録システム", tw.tax.ID)
	in.Zone, in.USBBlockEnabled = isms.ZoneMyNumber, true
	s, err := tw.db.CreateSystem(ctx, tw.clerk, in)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Warnings, []string{"Z-4"}) {
		t.Fatalf("warnings %v", s.Warnings)
	}
	_, cisoUser := tw.person(t, "sys-ciso", "副町長", tw.exec)
	ciso := isms.Actor{UserID: cisoUser, Label: "sys-ciso", Role: isms.RoleCISO, AllUnits: true, Today: day("2026-11-25")}
	if _, err := tw.db.CreateRuleException(ctx, ciso, isms.RuleException{SystemID: s.ID, RuleCode: "Z-4",
		Reason: "端末更新まで", Measures: "操作ログの毎日確認", ValidTo: day("2027-03-31")}); err != nil {
		t.Fatal(err)
	}
	if s, _ = tw.db.FindSystem(ctx, tw.clerk, s.ID); len(s.Warnings) != 0 {
		t.Errorf("with the exception: %v", s.Warnings)
	}
	in = s.Input()
	in.Backup = "日次"
	if s, err = tw.db.UpdateSystem(ctx, tw.clerk, s.ID, in); err != nil || len(s.Warnings) != 0 {
		t.Errorf("saved with the exception: %v %v", err, s.Warnings)
	}
	// On a day after the exception ends, a save flags the system again.
	late := tw.clerk
	late.Today = day("2027-04-01")
	in = s.Input()
	if s, err = tw.db.UpdateSystem(ctx, late, s.ID, in); err != nil || !slices.Equal(s.Warnings, []string{"Z-4"}) {
		t.Errorf("saved after the exception: %v %v", err, s.Warnings)
	}
}

// An asset still at a level of the earlier scheme (not yet reclassified) counts at the level it
// maps onto in the active scheme for its personal information: 機密性2 with 個人情報 is 3C, not 2.
func TestSystemLevelsMapAnEarlierScheme(t *testing.T) {
	ctx := context.Background()
	tw := newSysTown(t)
	s, err := tw.db.CreateSystem(ctx, tw.clerk, sysInput("SYS-600", "福祉システム", tw.tax.ID))
	if err != nil {
		t.Fatal(err)
	}
	a := tw.sysAsset(t, "旧分類の台帳", s.ID, "LGC2", "LGI1", "LGA1")
	if _, err := tw.db.Pool().Exec(ctx, `UPDATE assets SET confidentiality = 'C2', c_rank = 2, integrity = 'I2', i_rank = 2,
		contains_personal = true WHERE id = $1`, a.ID); err != nil {
		t.Fatal(err)
	}
	if got := sysLevels(t, tw, s.ID); got != [3]string{"LGC3C", "LGI2", "LGA1"} {
		t.Errorf("levels: %v", got)
	}
}
