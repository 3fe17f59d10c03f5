package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// assetTown is the town with the people who keep its register: staff of 税務課 and of
// 住民生活課, the security office, the CISO and an auditor, each as they act on 2026-11-25.
type assetTown struct {
	*town
	taxStaff, lifeStaff, office, ciso, auditor isms.Actor
}

func newAssetTown(t *testing.T) *assetTown {
	t.Helper()
	tw := &assetTown{town: newTown(t)}
	_, tax := tw.person(t, "tax", "税務 一郎", tw.tax)
	_, life := tw.person(t, "life", "生活 花子", tw.life)
	tw.taxStaff = tw.scope(t, tax, "2026-11-25")
	tw.lifeStaff = tw.scope(t, life, "2026-11-25")
	tw.office = tw.roleActor(t, "office", isms.RoleSecurityOffice)
	tw.ciso = tw.roleActor(t, "ciso", isms.RoleCISO)
	tw.auditor = tw.roleActor(t, "auditor", isms.RoleAuditor)
	return tw
}

func (tw *assetTown) roleActor(t *testing.T, login string, role isms.Role) isms.Actor {
	t.Helper()
	u, err := tw.db.CreateUser(context.Background(), office, isms.UserInput{LoginID: login, Name: login + " 担当",
		Lang: "ja", DateStyle: "seireki", Role: role, UnitID: tw.general.ID}, "not-a-real-hash")
	if err != nil {
		t.Fatal(err)
	}
	return tw.scope(t, u.ID, "2026-11-25")
}

// ledger is an asset that breaks no rule: the 住民税 ledger with My Number data, in the
// マイナンバー利用事務系, backed up with a recovery time.
func (tw *assetTown) ledger() isms.AssetInput {
	hours := 24
	return isms.AssetInput{Name: "住民税課税台帳", Type: "INFO_ELECTRONIC", Description: "個人住民税の課税情報",
		UnitID: tw.tax.ID, Form: isms.FormElectronic, Location: "庁舎サーバ室", Zone: isms.ZoneMyNumber,
		C: "LGC3B", I: "LGI2", A: "LGA2", ContainsPersonal: true, ContainsMyNumber: true,
		BackupPolicy: "日次で庁外に保管", RecoveryHours: &hours,
		ClassifiedAt: at("2026-11-25"), ReviewDue: at("2027-03-31"), Status: isms.AssetInUse}
}

// notice is a plain internal document at the lowest levels: no rule applies to it.
func (tw *assetTown) notice(name string, unit isms.Unit) isms.AssetInput {
	return isms.AssetInput{Name: name, Type: "INFO_PAPER", UnitID: unit.ID, Form: isms.FormPaper, Location: "書庫",
		C: "LGC1", I: "LGI1", A: "LGA1", ClassifiedAt: at("2026-04-01"), ReviewDue: at("2027-03-31"), Status: isms.AssetInUse}
}

func (tw *assetTown) create(t *testing.T, actor isms.Actor, in isms.AssetInput) (isms.Asset, isms.Findings) {
	t.Helper()
	a, fs, err := tw.db.CreateAsset(context.Background(), actor, in)
	if err != nil {
		t.Fatalf("create %s: %v (%v)", in.Name, err, fieldErrors(err))
	}
	return a, fs
}

// count returns the number of rows of a table, to check that a refused save wrote nothing.
func (tw *assetTown) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := tw.db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (tw *assetTown) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := tw.db.Pool().Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

// A registered asset is found with its names, its ranks and who classified it; it breaks no rule.
func TestAssetCreateAndFind(t *testing.T) {
	ctx := context.Background()
	tw := newAssetTown(t)
	a, fs := tw.create(t, tw.taxStaff, tw.ledger())
	if len(fs) != 0 || len(a.Warnings) != 0 || a.Reclassify {
		t.Errorf("findings %v, warnings %v, reclassify %v", fs, a.Warnings, a.Reclassify)
	}
	if !strings.HasPrefix(a.Number, "A-") || a.Version != 1 || a.Status != isms.AssetInUse {
		t.Errorf("number %q, version %d, status %s", a.Number, a.Version, a.Status)
	}
	got, err := tw.db.FindAsset(ctx, tw.taxStaff, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.UnitName != "税務課" || got.ClassifiedByName != "税務 一郎" || got.ClassifiedBy != tw.taxStaff.UserID ||
		got.C != "LGC3B" || got.Zone != isms.ZoneMyNumber || *got.RecoveryHours != 24 || got.DataSubjects != nil ||
		!got.ClassifiedAt.Equal(day("2026-11-25")) || !got.ReviewDue.Equal(day("2027-03-31")) || len(got.ContentIDs) != 0 {
		t.Errorf("found %+v", got)
	}
	var c, i, r int
	if err := tw.db.Pool().QueryRow(ctx, `SELECT c_rank, i_rank, a_rank FROM assets WHERE id = $1`, a.ID).Scan(&c, &i, &r); err != nil ||
		c != 4 || i != 2 || r != 2 {
		t.Errorf("ranks %d %d %d, %v", c, i, r, err)
	}
	// Input gives the form back what was saved.
	in := got.Input()
	if in.Name != "住民税課税台帳" || in.UnitID != tw.tax.ID || in.Version != 1 || !in.ReviewDue.Equal(day("2027-03-31")) {
		t.Errorf("input %+v", in)
	}
	// Those who see every unit read it; a name with spaces is trimmed on the way in.
	in = tw.notice("  例規集  ", tw.life)
	b, _ := tw.create(t, tw.office, in)
	if b.Name != "例規集" || b.UnitName != "住民生活課" {
		t.Errorf("office's asset %q in %q", b.Name, b.UnitName)
	}
	for _, actor := range []isms.Actor{tw.ciso, tw.auditor} {
		if _, err := tw.db.FindAsset(ctx, actor, b.ID); err != nil {
			t.Errorf("%s finding an asset: %v", actor.Role, err)
		}
	}
}

// Each rule that refuses a save names its field and its message, and nothing is written.
func TestAssetRuleErrors(t *testing.T) {
	ctx := context.Background()
	tw := newAssetTown(t)
	tw.create(t, tw.taxStaff, tw.ledger())
	assets, audits := tw.count(t, "assets"), tw.count(t, "audit_events")
	for _, tc := range []struct {
		name  string
		edit  func(*isms.AssetInput)
		field string
		key   string
	}{
		{"V-A1 no confidentiality", func(in *isms.AssetInput) { in.C = "" }, "confidentiality", "rule.V-A1"},
		{"V-A1 level of the old scheme", func(in *isms.AssetInput) { in.I = "I2" }, "integrity", "rule.V-A1"},
		{"V-A1 level of another axis", func(in *isms.AssetInput) { in.A = "LGI2" }, "availability", "rule.V-A1"},
		{"V-A7 social media at 2以上", func(in *isms.AssetInput) {
			in.Type, in.ContainsMyNumber, in.ContainsPersonal, in.Zone, in.C = "SNS_ACCOUNT", false, false, isms.ZoneInternet, "LGC2"
		}, "confidentiality", "rule.V-A7"},
		{"Z-1 My Number outside its zone", func(in *isms.AssetInput) { in.Zone = isms.ZoneLGWAN }, "zone", "rule.Z-1"},
		{"Z-2 My Number below 3B", func(in *isms.AssetInput) { in.C = "LGC3C" }, "confidentiality", "rule.Z-2"},
		{"Z-3 electronic without a zone", func(in *isms.AssetInput) { in.ContainsMyNumber, in.Zone = false, "" }, "zone", "rule.Z-3"},
		{"Z-3 paper type in electronic form", func(in *isms.AssetInput) {
			in.Type, in.ContainsMyNumber, in.Zone = "INFO_PAPER", false, ""
		}, "zone", "rule.Z-3"},
	} {
		in := tw.ledger()
		tc.edit(&in)
		_, _, err := tw.db.CreateAsset(ctx, tw.taxStaff, in)
		fe := fieldErrors(err)
		if isms.ErrorCode(err) != isms.EINVALID || fe[tc.field] != tc.key {
			t.Errorf("%s: %v %v, want %s beside %s", tc.name, err, fe, tc.key, tc.field)
		}
	}
	// Rules and plain field errors come back together, each beside its field.
	in := tw.ledger()
	in.Name, in.Zone = "", isms.ZoneInternet
	_, _, err := tw.db.CreateAsset(ctx, tw.taxStaff, in)
	if fe := fieldErrors(err); fe["name"] != "validation.required" || fe["zone"] != "rule.Z-1" {
		t.Errorf("name and zone: %v", fe)
	}
	if n, m := tw.count(t, "assets"), tw.count(t, "audit_events"); n != assets || m != audits {
		t.Errorf("refused saves wrote %d assets and %d audit events", n-assets, m-audits)
	}
}

// A rule that only warns saves the asset and flags it 要確認 with the rule's code.
func TestAssetRuleWarnings(t *testing.T) {
	tw := newAssetTown(t)
	in := tw.ledger()
	in.RecoveryHours = nil
	a, fs := tw.create(t, tw.taxStaff, in)
	if !slices.Equal(a.Warnings, []string{"V-A5"}) || fs.Blocking() || len(fs) != 1 || fs[0].Field != "backup_policy" {
		t.Errorf("可用性2 without a recovery time: warnings %v, findings %v", a.Warnings, fs)
	}
	in = tw.ledger()
	in.BackupPolicy, in.A = "", "LGA1"
	b, _ := tw.create(t, tw.taxStaff, in)
	if !slices.Equal(b.Warnings, []string{"V-A6"}) {
		t.Errorf("完全性2 without a backup: warnings %v", b.Warnings)
	}
	in = tw.ledger()
	in.BackupPolicy = ""
	c, _ := tw.create(t, tw.taxStaff, in)
	if !slices.Equal(c.Warnings, []string{"V-A5", "V-A6"}) {
		t.Errorf("both: warnings %v", c.Warnings)
	}
	// Fixing the asset clears the flag.
	in = a.Input()
	hours := 48
	in.RecoveryHours = &hours
	a, fs, err := tw.db.UpdateAsset(context.Background(), tw.taxStaff, a.ID, in)
	if err != nil || len(a.Warnings) != 0 || len(fs) != 0 {
		t.Errorf("fixed: warnings %v, findings %v, %v", a.Warnings, fs, err)
	}
	found, err := tw.db.CheckAssetFindings(context.Background(), tw.taxStaff, b.ID)
	if err != nil || len(found) != 1 || found[0].Code != "V-A6" || found[0].Excepted {
		t.Errorf("findings on the page: %v, %v", found, err)
	}
}

// The CISO's 例外措置 lets an asset break a refusing rule until its end date: the break is saved
// and tracked as a flag. Others cannot grant one, and a grant needs a known rule, a reason and an
// end that has not passed.
func TestRuleExceptions(t *testing.T) {
	ctx := context.Background()
	tw := newAssetTown(t)
	a, _ := tw.create(t, tw.taxStaff, tw.ledger())
	moved := a.Input()
	moved.Zone = isms.ZoneLGWAN
	if _, _, err := tw.db.UpdateAsset(ctx, tw.taxStaff, a.ID, moved); fieldErrors(err)["zone"] != "rule.Z-1" {
		t.Fatalf("before the exception: %v", err)
	}

	grant := isms.RuleException{AssetID: a.ID, RuleCode: "Z-1", Reason: " 税務システムの更改まで LGWAN 接続系で運用する ",
		Measures: "端末を限定し操作ログを毎日確認", ValidTo: day("2027-03-31")}
	for _, actor := range []isms.Actor{tw.taxStaff, tw.office, tw.auditor} {
		if _, err := tw.db.CreateRuleException(ctx, actor, grant); isms.ErrorCode(err) != isms.EFORBIDDEN {
			t.Errorf("%s granting an exception: %v", actor.Role, err)
		}
	}
	for _, tc := range []struct {
		edit       func(*isms.RuleException)
		field, key string
	}{
		{func(e *isms.RuleException) { e.RuleCode = "X-9" }, "rule_code", "validation.choose"},
		{func(e *isms.RuleException) { e.Reason = "  " }, "reason", "validation.required"},
		{func(e *isms.RuleException) { e.ValidTo = day("2026-11-24") }, "valid_to", "exception.error.valid_to_past"},
	} {
		e := grant
		tc.edit(&e)
		if _, err := tw.db.CreateRuleException(ctx, tw.ciso, e); fieldErrors(err)[tc.field] != tc.key {
			t.Errorf("%+v: %v, want %s beside %s", e, fieldErrors(err), tc.key, tc.field)
		}
	}
	if n := tw.count(t, "rule_exceptions"); n != 0 {
		t.Fatalf("refused grants wrote %d exceptions", n)
	}
	e, err := tw.db.CreateRuleException(ctx, tw.ciso, grant)
	if err != nil {
		t.Fatal(err)
	}
	if e.ApprovedBy != tw.ciso.UserID || e.ApprovedByName != "ciso 担当" || e.Reason != "税務システムの更改まで LGWAN 接続系で運用する" {
		t.Errorf("granted %+v", e)
	}
	b, fs, err := tw.db.UpdateAsset(ctx, tw.taxStaff, a.ID, moved)
	if err != nil || !slices.Equal(b.Warnings, []string{"Z-1"}) || len(fs) != 1 || !fs[0].Excepted {
		t.Fatalf("with the exception: warnings %v, findings %v, %v", b.Warnings, fs, err)
	}
	found, _ := tw.db.CheckAssetFindings(ctx, tw.taxStaff, a.ID)
	if len(found) != 1 || found[0].Code != "Z-1" || !found[0].Excepted || found.Blocking() {
		t.Errorf("page findings %v", found)
	}
	list, err := tw.db.FindRuleExceptions(ctx, tw.taxStaff, a.ID, 0)
	if err != nil || len(list) != 1 || list[0].ID != e.ID || !list[0].ValidTo.Equal(day("2027-03-31")) {
		t.Errorf("exceptions %+v, %v", list, err)
	}
	// An exception that ended yesterday no longer covers the break: a save is refused again, and
	// the page shows the break as one to fix.
	tw.exec(t, `UPDATE rule_exceptions SET valid_to = '2026-11-24'`)
	if _, _, err := tw.db.UpdateAsset(ctx, tw.taxStaff, a.ID, b.Input()); fieldErrors(err)["zone"] != "rule.Z-1" {
		t.Errorf("after the end: %v", err)
	}
	if found, _ := tw.db.CheckAssetFindings(ctx, tw.taxStaff, a.ID); !found.Blocking() {
		t.Errorf("page findings after the end: %v", found)
	}
	// Granting again runs the rules at once: the asset carries the excepted break as its flag.
	tw.exec(t, `UPDATE assets SET warnings = '{}' WHERE id = $1`, a.ID)
	if _, err := tw.db.CreateRuleException(ctx, tw.ciso, grant); err != nil {
		t.Fatal(err)
	}
	if got, _ := tw.db.FindAsset(ctx, tw.taxStaff, a.ID); !slices.Equal(got.Warnings, []string{"Z-1"}) {
		t.Errorf("warnings after the grant: %v", got.Warnings)
	}
	// Exceptions of an asset out of sight are not found, nor can one be granted for a missing asset.
	if _, err := tw.db.FindRuleExceptions(ctx, tw.lifeStaff, a.ID, 0); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's exceptions: %v", err)
	}
	grant.AssetID = a.ID + 1000
	if _, err := tw.db.CreateRuleException(ctx, tw.ciso, grant); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("exception for a missing asset: %v", err)
	}
}

// A storage medium is classified at least as high as what it holds (V-A4); what it holds must be
// assets the person sees, not itself. A content raised above its medium flags the medium.
func TestMediumContents(t *testing.T) {
	ctx := context.Background()
	tw := newAssetTown(t)
	content, _ := tw.create(t, tw.taxStaff, tw.ledger())
	other, _ := tw.create(t, tw.lifeStaff, tw.notice("窓口受付簿", tw.life))
	medium := isms.AssetInput{Name: "税務課USBメモリ 1号", Type: "MEDIA", UnitID: tw.tax.ID, Form: isms.FormElectronic,
		Zone: isms.ZoneMyNumber, C: "LGC2", I: "LGI1", A: "LGA1", ClassifiedAt: at("2026-11-25"), ReviewDue: at("2027-03-31"),
		Status: isms.AssetStored, ContentIDs: []int64{content.ID}}
	if _, _, err := tw.db.CreateAsset(ctx, tw.taxStaff, medium); fieldErrors(err)["content_ids"] != "rule.V-A4" {
		t.Errorf("medium below its contents: %v", fieldErrors(err))
	}
	medium.ContentIDs = []int64{content.ID, other.ID}
	if _, _, err := tw.db.CreateAsset(ctx, tw.taxStaff, medium); fieldErrors(err)["content_ids"] != "asset.error.content_not_found" {
		t.Errorf("content outside the scope: %v", fieldErrors(err))
	}
	// At the contents' levels, with the backup and recovery time 可用性2 asks for, it breaks no rule;
	// a content named twice is held once.
	hours := 24
	medium.ContentIDs = []int64{content.ID, content.ID}
	medium.C, medium.I, medium.A, medium.BackupPolicy, medium.RecoveryHours = "LGC3B", "LGI2", "LGA2", "媒体の複製を金庫に保管", &hours
	m, fs := tw.create(t, tw.taxStaff, medium)
	if !slices.Equal(m.ContentIDs, []int64{content.ID}) || len(fs) != 0 {
		t.Errorf("medium: contents %v, findings %v", m.ContentIDs, fs)
	}
	// The security office records another unit's asset on it: 税務課 staff still save the medium
	// with it, but cannot add another unit's asset themselves.
	in := m.Input()
	in.ContentIDs = []int64{content.ID, other.ID}
	m, _, err := tw.db.UpdateAsset(ctx, tw.office, m.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	in = m.Input()
	in.Location = "税務課金庫"
	if m, _, err = tw.db.UpdateAsset(ctx, tw.taxStaff, m.ID, in); err != nil || len(m.ContentIDs) != 2 {
		t.Fatalf("staff saving a medium holding another unit's asset: %v, %v", m.ContentIDs, err)
	}
	third, _ := tw.create(t, tw.lifeStaff, tw.notice("住民異動届", tw.life))
	in = m.Input()
	in.ContentIDs = append(in.ContentIDs, third.ID)
	if _, _, err := tw.db.UpdateAsset(ctx, tw.taxStaff, m.ID, in); fieldErrors(err)["content_ids"] != "asset.error.content_not_found" {
		t.Errorf("staff adding another unit's asset: %v", fieldErrors(err))
	}
	// The medium cannot hold itself.
	in = m.Input()
	in.ContentIDs = append(in.ContentIDs, m.ID)
	if _, _, err := tw.db.UpdateAsset(ctx, tw.taxStaff, m.ID, in); fieldErrors(err)["content_ids"] != "asset.error.content_self" {
		t.Errorf("medium holding itself: %v", fieldErrors(err))
	}
	// Raising the content to 3A leaves the medium below it: the medium is flagged V-A4 at once,
	// and lowering the content again clears the flag.
	up := content.Input()
	up.C = "LGC3A"
	content, _, err = tw.db.UpdateAsset(ctx, tw.taxStaff, content.ID, up)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := tw.db.FindAsset(ctx, tw.taxStaff, m.ID); !slices.Contains(got.Warnings, "V-A4") {
		t.Errorf("medium after its content rose: %v", got.Warnings)
	}
	if found, _ := tw.db.CheckAssetFindings(ctx, tw.taxStaff, m.ID); !found.Blocking() || found.Errors()["content_ids"] != "rule.V-A4" {
		t.Errorf("medium's page findings: %v", found)
	}
	down := content.Input()
	down.C = "LGC3B"
	if _, _, err := tw.db.UpdateAsset(ctx, tw.taxStaff, content.ID, down); err != nil {
		t.Fatal(err)
	}
	if got, _ := tw.db.FindAsset(ctx, tw.taxStaff, m.ID); slices.Contains(got.Warnings, "V-A4") {
		t.Errorf("medium after its content went down: %v", got.Warnings)
	}
	// Contents belong to media only: another type keeps none.
	in = m.Input()
	in.Type = "HARDWARE"
	n, _, err := tw.db.UpdateAsset(ctx, tw.taxStaff, m.ID, in)
	if err != nil || len(n.ContentIDs) != 0 {
		t.Errorf("hardware with contents: %v, %v", n.ContentIDs, err)
	}
}

// The handling restrictions in force are the defaults of the three levels, plus those added,
// minus those removed with a reason; removed defaults are listed as removed.
func TestAssetRestrictions(t *testing.T) {
	ctx := context.Background()
	tw := newAssetTown(t)
	in := tw.notice("議会答弁資料 (公表前)", tw.tax)
	in.C = "LGC2" // defaults: COPY_MIN, DIST_APPROVAL, ENCRYPT, SECURE_DISPOSAL
	in.Added = []string{"NO_TAKEOUT", "NEED_TO_KNOW"}
	in.Removed = map[string]string{"ENCRYPT": "紙のみで扱い送信しない"}
	a, _ := tw.create(t, tw.taxStaff, in)
	list, err := tw.db.FindAssetRestrictions(ctx, tw.taxStaff, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range list {
		s := r.Code + ":" + r.Source
		if r.Removed {
			s += ":removed:" + r.Reason
		}
		got = append(got, s)
	}
	want := []string{"COPY_MIN:default", "DIST_APPROVAL:default", "NO_TAKEOUT:added", "ENCRYPT:default:removed:紙のみで扱い送信しない",
		"SECURE_DISPOSAL:default", "NEED_TO_KNOW:added"}
	if !slices.Equal(got, want) {
		t.Errorf("restrictions\n got %v\nwant %v", got, want)
	}
	if list[0].NameJa != "必要以上の複製禁止" {
		t.Errorf("name %q", list[0].NameJa)
	}

	for _, tc := range []struct {
		added      []string
		removed    map[string]string
		field, key string
	}{
		{nil, map[string]string{"ENCRYPT": " "}, "removed_ENCRYPT", "asset.error.removal_reason"},
		{[]string{"COPY_MIN"}, nil, "added_COPY_MIN", "asset.error.restriction_default"},
		{nil, map[string]string{"NO_SEND": "理由"}, "removed_NO_SEND", "asset.error.restriction_not_default"},
		{[]string{"NO_SUCH"}, nil, "added_NO_SUCH", "validation.choose"},
	} {
		edit := a.Input()
		edit.Added, edit.Removed = tc.added, tc.removed
		if _, _, err := tw.db.UpdateAsset(ctx, tw.taxStaff, a.ID, edit); fieldErrors(err)[tc.field] != tc.key {
			t.Errorf("added %v removed %v: %v, want %s beside %s", tc.added, tc.removed, fieldErrors(err), tc.key, tc.field)
		}
	}
	// A save replaces the changes: with none, the defaults alone are in force.
	b, _, err := tw.db.UpdateAsset(ctx, tw.taxStaff, a.ID, a.Input())
	if err != nil {
		t.Fatal(err)
	}
	list, _ = tw.db.FindAssetRestrictions(ctx, tw.taxStaff, b.ID)
	if len(list) != 4 || slices.ContainsFunc(list, func(r isms.AssetRestriction) bool { return r.Removed || r.Source != isms.RestrictionDefault }) {
		t.Errorf("after clearing: %+v", list)
	}
	if _, err := tw.db.FindAssetRestrictions(ctx, tw.lifeStaff, a.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's restrictions: %v", err)
	}
}

// Staff see and edit their own unit's assets only; another unit's asset is not found, exactly as
// a missing one. The CISO and auditors read everything and edit nothing; the security office
// edits everywhere.
func TestAssetScope(t *testing.T) {
	ctx := context.Background()
	tw := newAssetTown(t)
	a, _ := tw.create(t, tw.taxStaff, tw.ledger())
	b, _ := tw.create(t, tw.lifeStaff, tw.notice("窓口受付簿", tw.life))

	if _, err := tw.db.FindAsset(ctx, tw.lifeStaff, a.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's asset: %v", err)
	}
	if _, err := tw.db.FindAsset(ctx, tw.lifeStaff, a.ID+b.ID+100); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("a missing asset: %v", err)
	}
	if _, err := tw.db.CheckAssetFindings(ctx, tw.lifeStaff, a.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's findings: %v", err)
	}
	list, total, _, _, err := tw.db.FindAssets(ctx, tw.lifeStaff, isms.AssetFilter{})
	if err != nil || total != 1 || len(list) != 1 || list[0].ID != b.ID {
		t.Errorf("life staff's list: %d %v %v", total, ids(list), err)
	}
	if list, _, _, _, _ := tw.db.FindAssets(ctx, tw.lifeStaff, isms.AssetFilter{UnitID: tw.tax.ID}); len(list) != 0 {
		t.Errorf("filtering on another unit shows %v", ids(list))
	}
	for _, actor := range []isms.Actor{tw.office, tw.ciso, tw.auditor} {
		if _, total, _, _, _ := tw.db.FindAssets(ctx, actor, isms.AssetFilter{}); total != 2 {
			t.Errorf("%s sees %d assets", actor.Role, total)
		}
	}

	edit := a.Input()
	edit.Description = "変更"
	if _, _, err := tw.db.UpdateAsset(ctx, tw.lifeStaff, a.ID, edit); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("life staff editing 税務課's asset: %v", err)
	}
	if _, _, err := tw.db.CreateAsset(ctx, tw.taxStaff, tw.notice("他課の資料", tw.life)); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("tax staff registering for 住民生活課: %v", err)
	}
	moved := a.Input()
	moved.UnitID = tw.life.ID
	if _, _, err := tw.db.UpdateAsset(ctx, tw.taxStaff, a.ID, moved); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("tax staff moving an asset to 住民生活課: %v", err)
	}
	for _, actor := range []isms.Actor{tw.ciso, tw.auditor} {
		if _, _, err := tw.db.CreateAsset(ctx, actor, tw.notice("資料", tw.tax)); isms.ErrorCode(err) != isms.EFORBIDDEN {
			t.Errorf("%s registering: %v", actor.Role, err)
		}
		if _, _, err := tw.db.UpdateAsset(ctx, actor, a.ID, edit); isms.ErrorCode(err) != isms.EFORBIDDEN {
			t.Errorf("%s editing: %v", actor.Role, err)
		}
	}
	// A person with no unit to register for is refused, whatever the form says.
	if _, _, err := tw.db.CreateAsset(ctx, tw.auditor, isms.AssetInput{}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("auditor with an empty form: %v", err)
	}
	// The security office edits anywhere, and may move an asset between units; the unit must be open.
	c, _, err := tw.db.UpdateAsset(ctx, tw.office, a.ID, moved)
	if err != nil || c.UnitID != tw.life.ID || c.ClassifiedBy != tw.taxStaff.UserID {
		t.Errorf("office moving the asset: unit %d, classified by %d, %v", c.UnitID, c.ClassifiedBy, err)
	}
	tw.exec(t, `UPDATE units SET valid_to = '2026-09-30' WHERE id = $1`, tw.general.ID)
	if _, _, err := tw.db.CreateAsset(ctx, tw.office, tw.notice("資料", tw.general)); fieldErrors(err)["unit_id"] != "validation.choose" {
		t.Errorf("registering for a closed unit: %v", err)
	}
	// Staff see the asset gone with its unit.
	if _, err := tw.db.FindAsset(ctx, tw.taxStaff, a.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("tax staff after the move: %v", err)
	}
}

// An edit made on a stale form is refused as a conflict and changes nothing; a disposed asset is
// closed to edits, and no edit disposes of one.
func TestAssetConflictAndDisposal(t *testing.T) {
	ctx := context.Background()
	tw := newAssetTown(t)
	a, _ := tw.create(t, tw.taxStaff, tw.ledger())
	first := a.Input()
	first.Description = "一人目の変更"
	if _, _, err := tw.db.UpdateAsset(ctx, tw.taxStaff, a.ID, first); err != nil {
		t.Fatal(err)
	}
	second := a.Input()
	second.Description = "二人目の変更"
	if _, _, err := tw.db.UpdateAsset(ctx, tw.office, a.ID, second); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale edit: %v", err)
	}
	got, _ := tw.db.FindAsset(ctx, tw.taxStaff, a.ID)
	if got.Description != "一人目の変更" || got.Version != 2 {
		t.Errorf("after the conflict: %q v%d", got.Description, got.Version)
	}
	edit := got.Input()
	edit.Status = isms.AssetDisposed
	if _, _, err := tw.db.UpdateAsset(ctx, tw.taxStaff, a.ID, edit); fieldErrors(err)["status"] != "validation.choose" {
		t.Errorf("disposing by an edit: %v", err)
	}
	tw.exec(t, `UPDATE assets SET status = 'disposed' WHERE id = $1`, a.ID)
	if _, _, err := tw.db.UpdateAsset(ctx, tw.taxStaff, a.ID, got.Input()); fieldErrors(err)["status"] != "asset.error.disposed" {
		t.Errorf("editing a disposed asset: %v", err)
	}
}

// Changing the levels records who classified the asset; other changes keep the classifier.
func TestAssetClassifiedBy(t *testing.T) {
	ctx := context.Background()
	tw := newAssetTown(t)
	a, _ := tw.create(t, tw.taxStaff, tw.ledger())
	edit := a.Input()
	edit.Location = "別棟サーバ室"
	b, _, err := tw.db.UpdateAsset(ctx, tw.office, a.ID, edit)
	if err != nil || b.ClassifiedBy != tw.taxStaff.UserID {
		t.Fatalf("location change: classified by %d, %v", b.ClassifiedBy, err)
	}
	edit = b.Input()
	edit.C = "LGC3A"
	c, _, err := tw.db.UpdateAsset(ctx, tw.office, a.ID, edit)
	if err != nil || c.ClassifiedBy != tw.office.UserID || c.ClassifiedByName != "office 担当" {
		t.Errorf("level change: classified by %d %q, %v", c.ClassifiedBy, c.ClassifiedByName, err)
	}
	// An asset left on the previous scheme after a switch awaits reclassification; a save on the
	// active scheme's levels clears the mark.
	tw.exec(t, `UPDATE assets SET reclassify = true WHERE id = $1`, a.ID)
	d, _, err := tw.db.UpdateAsset(ctx, tw.office, a.ID, c.Input())
	if err != nil || d.Reclassify {
		t.Errorf("after a save: reclassify %v, %v", d.Reclassify, err)
	}
}

// The change history of an asset is its audit-trail events: the creation, each edit with the
// record before and after (restrictions and contents included), and each exception granted.
func TestAssetAudit(t *testing.T) {
	ctx := context.Background()
	tw := newAssetTown(t)
	in := tw.ledger()
	in.Added = []string{"NO_TAKEOUT"}
	a, _ := tw.create(t, tw.taxStaff, in)
	edit := a.Input()
	edit.Removed = map[string]string{"ENCRYPT": "媒体ごと金庫に保管"}
	if _, _, err := tw.db.UpdateAsset(ctx, tw.taxStaff, a.ID, edit); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.CreateRuleException(ctx, tw.ciso, isms.RuleException{AssetID: a.ID, RuleCode: "Z-1",
		Reason: "更改まで", ValidTo: day("2027-03-31")}); err != nil {
		t.Fatal(err)
	}
	events, _, err := tw.db.FindAuditEvents(ctx, tw.office, isms.AuditFilter{EntityType: "asset", EntityID: fmt.Sprint(a.ID)})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action+" by "+e.ActorLabel)
	}
	if !slices.Equal(actions, []string{"asset.exception by ciso", "asset.update by tax", "asset.create by tax"}) {
		t.Fatalf("history %v", actions)
	}
	var created struct {
		Name         string `json:"name"`
		Restrictions []struct {
			Code    string `json:"code"`
			Removed bool   `json:"removed"`
		} `json:"restrictions"`
	}
	if err := json.Unmarshal(events[2].After, &created); err != nil || created.Name != "住民税課税台帳" ||
		len(created.Restrictions) != 1 || created.Restrictions[0].Code != "NO_TAKEOUT" || created.Restrictions[0].Removed ||
		events[2].Before != nil {
		t.Errorf("create event: %s / %s", events[2].Before, events[2].After)
	}
	changes := isms.AuditChanges(events[1].Before, events[1].After)
	var fields []string
	for _, c := range changes {
		fields = append(fields, c.Field)
	}
	if !slices.Equal(fields, []string{"restrictions", "version"}) {
		t.Errorf("update changed %v", fields)
	}
	var granted struct {
		RuleCode string    `json:"rule_code"`
		Reason   string    `json:"reason"`
		ValidTo  time.Time `json:"valid_to"`
		Warnings []string  `json:"warnings"`
	}
	if err := json.Unmarshal(events[0].After, &granted); err != nil || granted.RuleCode != "Z-1" || granted.Reason != "更改まで" ||
		!granted.ValidTo.Equal(day("2027-03-31")) || granted.Warnings == nil {
		t.Errorf("exception event: %s", events[0].After)
	}
	if c := isms.AuditChanges(events[1].Before, events[1].After); len(c) == 0 {
		t.Error("update event shows no change")
	}
	for _, action := range []string{"asset.create", "asset.update", "asset.exception", "system.exception"} {
		if !slices.Contains(isms.AuditActions, action) {
			t.Errorf("%s is not offered in the viewer", action)
		}
	}
	if !slices.Contains(isms.AuditEntityTypes, "asset") {
		t.Error("asset is not offered in the viewer")
	}
}

func ids(list []isms.Asset) []int64 {
	var out []int64
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}

func names(list []isms.Asset) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Name)
	}
	return out
}

// Every filter of the list narrows it as its label says.
func TestFindAssetsFilters(t *testing.T) {
	ctx := context.Background()
	tw := newAssetTown(t)
	ledger, _ := tw.create(t, tw.taxStaff, tw.ledger()) // MYNUMBER, 3B/I2/A2, personal + My Number
	in := tw.notice("住民税係の申告書控", tw.taxTeam)
	in.Status, in.ContainsPersonal, in.ContainsSensitive, in.C = isms.AssetStored, true, true, "LGC3C"
	team, _ := tw.create(t, tw.office, in)
	in = tw.ledger()
	in.Name, in.Type, in.Zone, in.ContainsMyNumber, in.ContainsPersonal, in.C, in.RecoveryHours = "公式ホームページ原稿",
		"INFO_ELECTRONIC", isms.ZoneInternet, false, false, "LGC1", nil
	web, _ := tw.create(t, tw.office, in) // flagged V-A5
	in = tw.notice("窓口受付簿", tw.life)
	in.ReviewDue = at("2026-03-31") // overdue
	counter, _ := tw.create(t, tw.lifeStaff, in)
	in = tw.notice("旧文書管理簿", tw.life)
	in.ReviewDue = at("2025-03-31")
	old, _ := tw.create(t, tw.lifeStaff, in)
	tw.exec(t, `UPDATE assets SET status = 'disposed' WHERE id = $1`, old.ID)
	in = tw.notice("再分類待ちの資料", tw.general)
	pending, _ := tw.create(t, tw.office, in)
	tw.exec(t, `UPDATE assets SET reclassify = true WHERE id = $1`, pending.ID)

	for _, tc := range []struct {
		name string
		f    isms.AssetFilter
		want []isms.Asset
	}{
		{"all", isms.AssetFilter{}, []isms.Asset{ledger, team, web, counter, old, pending}},
		{"unit", isms.AssetFilter{UnitID: tw.life.ID}, []isms.Asset{counter, old}},
		{"type", isms.AssetFilter{Type: "INFO_ELECTRONIC"}, []isms.Asset{ledger, web}},
		{"zone", isms.AssetFilter{Zone: isms.ZoneInternet}, []isms.Asset{web}},
		{"confidentiality", isms.AssetFilter{C: "LGC3C"}, []isms.Asset{team}},
		{"integrity", isms.AssetFilter{I: "LGI2"}, []isms.Asset{ledger, web}},
		{"availability", isms.AssetFilter{A: "LGA1"}, []isms.Asset{team, counter, old, pending}},
		{"status", isms.AssetFilter{Status: isms.AssetStored}, []isms.Asset{team}},
		{"personal", isms.AssetFilter{Personal: true}, []isms.Asset{ledger, team}},
		{"My Number", isms.AssetFilter{MyNumber: true}, []isms.Asset{ledger}},
		{"sensitive", isms.AssetFilter{Sensitive: true}, []isms.Asset{team}},
		{"flagged", isms.AssetFilter{Flagged: true}, []isms.Asset{web, pending}},
		{"overdue", isms.AssetFilter{ReviewBefore: at("2026-11-25")}, []isms.Asset{counter}},
		{"combined", isms.AssetFilter{Type: "INFO_PAPER", A: "LGA1", UnitID: tw.life.ID, Status: isms.AssetInUse}, []isms.Asset{counter}},
	} {
		list, total, more, next, err := tw.db.FindAssets(ctx, tw.office, tc.f)
		if err != nil || !slices.Equal(ids(list), ids(tc.want)) || total != len(tc.want) || more || next != nil {
			t.Errorf("%s: %v (%d, more %v, next %v), want %v; %v", tc.name, names(list), total, more, next, names(tc.want), err)
		}
	}
	// The list carries the names for its columns.
	list, _, _, _, _ := tw.db.FindAssets(ctx, tw.office, isms.AssetFilter{UnitID: tw.taxTeam.ID})
	if len(list) != 1 || list[0].UnitName != "住民税係" || list[0].ClassifiedByName != "office 担当" {
		t.Errorf("list row %+v", list)
	}
}

// Search finds substrings of the name and the description: two-character Japanese words, longer
// phrases, one character, several terms together, and 全角 or 半角 alike; LIKE's wildcards are
// plain characters.
func TestFindAssetsSearch(t *testing.T) {
	ctx := context.Background()
	tw := newAssetTown(t)
	add := func(name, desc string) isms.Asset {
		in := tw.notice(name, tw.tax)
		in.Description = desc
		a, _ := tw.create(t, tw.taxStaff, in)
		return a
	}
	register := add("住民基本台帳", "")
	tax := add("住民税課税台帳", "個人住民税")
	health := add("国民健康保険台帳", "住民からの届出を含む")
	usb := add("ＵＳＢメモリ管理簿", "ｶﾅ入力の控え")
	rate := add("100%達成_報告", "")
	land := add("固定資産税評価資料", "")
	for _, tc := range []struct {
		q    string
		want []isms.Asset
	}{
		{"住民", []isms.Asset{register, tax, health}},
		{"住民税", []isms.Asset{tax}},
		{"個人住民税", []isms.Asset{tax}},
		{"台帳", []isms.Asset{register, tax, health}},
		{"住民 台帳", []isms.Asset{register, tax, health}},
		{"住民　届出", []isms.Asset{health}}, // a 全角 space between the terms
		{"健", []isms.Asset{health}},
		{"税", []isms.Asset{tax, land}},
		{"usb", []isms.Asset{usb}},
		{"USBメモリ", []isms.Asset{usb}},
		{"カナ", []isms.Asset{usb}},
		{"100%", []isms.Asset{rate}},
		{"0%達", []isms.Asset{rate}},
		{"_報", []isms.Asset{rate}},
		{"%", []isms.Asset{rate}},
		{"住民票", nil},
		{"  ", []isms.Asset{register, tax, health, usb, rate, land}}, // no query: everything
	} {
		list, total, _, _, err := tw.db.FindAssets(ctx, tw.taxStaff, isms.AssetFilter{Query: tc.q})
		if err != nil || !slices.Equal(ids(list), ids(tc.want)) || total != len(tc.want) {
			t.Errorf("%q: %v (%d), want %v; %v", tc.q, names(list), total, names(tc.want), err)
		}
	}
	// A search is scoped like the rest of the list.
	if list, _, _, _, _ := tw.db.FindAssets(ctx, tw.lifeStaff, isms.AssetFilter{Query: "住民"}); len(list) != 0 {
		t.Errorf("life staff's search: %v", names(list))
	}
}

// Every sort pages by keyset without repeating or skipping an asset, whatever ties the sort key
// has; the count stops at 10,000 and then says there are more.
func TestFindAssetsPagingAndCount(t *testing.T) {
	ctx := context.Background()
	tw := newAssetTown(t)
	// 23 assets with repeated names and review dates, written directly: the list, not the
	// register's checks, is under test.
	tw.exec(t, `
		INSERT INTO assets (name, asset_type, unit_id, form, confidentiality, integrity, availability, c_rank, i_rank, a_rank,
			classified_at, review_due)
		SELECT '資料' || (g % 4), 'INFO_PAPER', $1, 'paper', 'LGC1', 'LGI1', 'LGA1', 1, 1, 1,
			'2026-04-01', date '2026-12-01' + (g % 3)
		FROM generate_series(1, 23) g`, tw.tax.ID)
	all, total, _, _, err := tw.db.FindAssets(ctx, tw.taxStaff, isms.AssetFilter{Limit: 200})
	if err != nil || len(all) != 23 || total != 23 {
		t.Fatalf("all: %d (%d), %v", len(all), total, err)
	}
	for _, sort := range []isms.AssetSort{"", isms.SortNumber, isms.SortName, isms.SortReviewDue} {
		want := slices.Clone(all)
		slices.SortFunc(want, func(a, b isms.Asset) int {
			var c int
			switch sort {
			case isms.SortName:
				c = strings.Compare(a.Name, b.Name)
			case isms.SortReviewDue:
				c = a.ReviewDue.Compare(b.ReviewDue)
			default:
				c = strings.Compare(a.Number, b.Number)
			}
			if c == 0 {
				c = int(a.ID - b.ID)
			}
			return c
		})
		var got []isms.Asset
		f := isms.AssetFilter{Sort: sort, Limit: 5}
		for pages := 0; ; pages++ {
			list, total, more, next, err := tw.db.FindAssets(ctx, tw.taxStaff, f)
			if err != nil || total != 23 || more || pages > 5 {
				t.Fatalf("sort %q page %d: total %d more %v, %v", sort, pages, total, more, err)
			}
			got = append(got, list...)
			if next == nil {
				break
			}
			f.After = next
		}
		if !slices.Equal(ids(got), ids(want)) {
			t.Errorf("sort %q pages\n got %v\nwant %v", sort, ids(got), ids(want))
		}
	}
	// A cursor that is not a date is refused for the review-date sort.
	if _, _, _, _, err := tw.db.FindAssets(ctx, tw.taxStaff, isms.AssetFilter{Sort: isms.SortReviewDue,
		After: &isms.AssetCursor{Key: "x", ID: 1}}); isms.ErrorCode(err) != isms.EINVALID {
		t.Errorf("bad cursor: %v", err)
	}
	// Limits: the default page is 50, the largest 200.
	tw.exec(t, `
		INSERT INTO assets (name, asset_type, unit_id, form, confidentiality, integrity, availability, c_rank, i_rank, a_rank,
			classified_at, review_due)
		SELECT '大量の資料', 'INFO_PAPER', $1, 'paper', 'LGC1', 'LGI1', 'LGA1', 1, 1, 1, '2026-04-01', '2027-03-31'
		FROM generate_series(1, 10000) g`, tw.tax.ID)
	list, total, more, next, err := tw.db.FindAssets(ctx, tw.taxStaff, isms.AssetFilter{})
	if err != nil || len(list) != 50 || total != isms.AssetCountCap || !more || next == nil {
		t.Errorf("10,023 assets: page %d, total %d, more %v, %v", len(list), total, more, err)
	}
	if list, _, _, _, _ := tw.db.FindAssets(ctx, tw.taxStaff, isms.AssetFilter{Limit: 1000}); len(list) != 200 {
		t.Errorf("largest page: %d", len(list))
	}
	if _, total, more, _, _ := tw.db.FindAssets(ctx, tw.taxStaff, isms.AssetFilter{Query: "資料0"}); total != 5 || more {
		t.Errorf("a search among them: %d, more %v", total, more)
	}
}
