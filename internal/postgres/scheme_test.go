package postgres_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// schemeVersion returns the version of a scheme as the switch page shows it.
func schemeVersion(t *testing.T, db *postgres.DB, code string) int {
	t.Helper()
	schemes, err := db.FindSchemes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range schemes {
		if s.Code == code {
			return s.Version
		}
	}
	t.Fatalf("no scheme %s", code)
	return 0
}

// switchTo switches the town to the scheme and returns how many assets were mapped.
func schemeSwitchTo(t *testing.T, db *postgres.DB, code string) int {
	t.Helper()
	n, err := db.SwitchScheme(context.Background(), office, code, schemeVersion(t, db, code))
	if err != nil {
		t.Fatalf("switch to %s: %v", code, err)
	}
	return n
}

// schemeAsset is what a test asset holds: its levels and personal information.
type schemeAsset struct {
	name                          string
	c, i, a                       string
	personal, myNumber, sensitive bool
}

// register registers a paper asset of unit through the register's own store, in the active scheme.
func (s schemeAsset) register(t *testing.T, db *postgres.DB, unit isms.Unit) isms.Asset {
	t.Helper()
	in := isms.AssetInput{Name: s.name, Type: "INFO_PAPER", UnitID: unit.ID, Form: isms.FormPaper, Location: "書庫",
		C: s.c, I: s.i, A: s.a, ContainsPersonal: s.personal, ContainsMyNumber: s.myNumber, ContainsSensitive: s.sensitive,
		BackupPolicy: "写しを別庁舎に保管", RecoveryHours: new(24),
		ClassifiedAt: at("2026-04-01"), ReviewDue: at("2027-03-31"), Status: isms.AssetInUse}
	if s.myNumber {
		in.Zone = isms.ZoneMyNumber
	}
	a, _, err := db.CreateAsset(context.Background(), office, in)
	if err != nil {
		t.Fatalf("register %s: %v (%v)", s.name, err, fieldErrors(err))
	}
	return a
}

// ranks reads the ranks copied onto an asset, on which lists filter and the request workflow decides.
func schemeRanks(t *testing.T, db *postgres.DB, id int64) [3]int {
	t.Helper()
	var r [3]int
	if err := db.Pool().QueryRow(context.Background(), `SELECT c_rank, i_rank, a_rank FROM assets WHERE id = $1`, id).
		Scan(&r[0], &r[1], &r[2]); err != nil {
		t.Fatal(err)
	}
	return r
}

// events returns the audit events of an action, newest first.
func schemeEvents(t *testing.T, db *postgres.DB, action string) []isms.AuditEvent {
	t.Helper()
	list, _, err := db.FindAuditEvents(context.Background(), office, isms.AuditFilter{Action: action, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// A town on the old scheme (機密性3/2/1) switches to 自治体機密性: each asset in use is mapped by
// its levels and personal information (domain.md §1.2), its ranks follow, and it is flagged
// 再分類要確認; a disposed asset keeps the levels it was disposed of under. Switching back maps
// the other way, and every mapped asset has its own audit event.
func TestSchemeSwitchMapsAssets(t *testing.T) {
	ctx := context.Background()
	tw := newTown(t)
	_, clerkID := tw.person(t, "clerk", "台帳 一郎", tw.tax)
	clerk := tw.scope(t, clerkID, "2026-11-25")

	if n := schemeSwitchTo(t, tw.db, "R5"); n != 0 {
		t.Fatalf("switching an empty register to R5 mapped %d assets", n)
	}
	cases := []struct {
		asset   schemeAsset
		c, i, a string
		rank    [3]int
	}{
		{schemeAsset{name: "住民税課税台帳", c: "C2", i: "I2", a: "A2", myNumber: true}, "LGC3B", "LGI2", "LGA2", [3]int{4, 2, 2}},
		{schemeAsset{name: "健康相談記録", c: "C2", i: "I1", a: "A1", sensitive: true}, "LGC3B", "LGI1", "LGA1", [3]int{4, 1, 1}},
		{schemeAsset{name: "窓口受付簿", c: "C2", i: "I1", a: "A1", personal: true}, "LGC3C", "LGI1", "LGA1", [3]int{3, 1, 1}},
		{schemeAsset{name: "課内会議資料", c: "C2", i: "I2", a: "A1"}, "LGC2", "LGI2", "LGA1", [3]int{2, 2, 1}},
		{schemeAsset{name: "秘密文書綴", c: "C3", i: "I1", a: "A1"}, "LGC3A", "LGI1", "LGA1", [3]int{5, 1, 1}},
		{schemeAsset{name: "広報誌原稿", c: "C1", i: "I1", a: "A2"}, "LGC1", "LGI1", "LGA2", [3]int{1, 1, 2}},
	}
	assets := make([]isms.Asset, len(cases))
	for k, tc := range cases {
		assets[k] = tc.asset.register(t, tw.db, tw.tax)
	}
	// A published leaflet, disposed of while the old scheme was in force.
	gone := schemeAsset{name: "旧パンフレット", c: "C1", i: "I1", a: "A1"}.register(t, tw.db, tw.tax)
	if _, err := tw.db.RecordDisposal(ctx, clerk, gone.ID, isms.AssetRequestInput{Detail: "改訂により不要"},
		isms.RequestCompletion{Disposal: isms.Disposal{At: at("2026-11-20"), By: "台帳 一郎", Method: isms.DisposalShred,
			Evidence: "シュレッダー処理記録"}, Today: day("2026-11-25")}); err != nil {
		t.Fatalf("dispose: %v (%v)", err, fieldErrors(err))
	}

	preview, err := tw.db.PreviewSchemeSwitch(ctx, office, "R6")
	if err != nil || preview.Mapped != len(cases) || preview.Unmapped != 0 || preview.From.Code != "R5" {
		t.Fatalf("preview: %+v, %v", preview, err)
	}
	// Staff may not switch; a stale version is a conflict and changes nothing.
	if _, err := tw.db.SwitchScheme(ctx, clerk, "R6", schemeVersion(t, tw.db, "R6")); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff switching: %v", err)
	}
	if _, err := tw.db.SwitchScheme(ctx, office, "R6", schemeVersion(t, tw.db, "R6")-1); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale switch: %v", err)
	}
	if active, _ := tw.db.FindActiveScheme(ctx); active.Code != "R5" {
		t.Fatalf("after refused switches the active scheme is %s", active.Code)
	}

	if n := schemeSwitchTo(t, tw.db, "R6"); n != len(cases) {
		t.Errorf("mapped %d assets, want %d", n, len(cases))
	}
	if active, _ := tw.db.FindActiveScheme(ctx); active.Code != "R6" {
		t.Errorf("active scheme %s after the switch", active.Code)
	}
	for k, tc := range cases {
		got, err := tw.db.FindAsset(ctx, office, assets[k].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.C != tc.c || got.I != tc.i || got.A != tc.a || !got.Reclassify || got.Version != assets[k].Version+1 {
			t.Errorf("%s: %s/%s/%s reclassify=%v version %d, want %s/%s/%s flagged", tc.asset.name,
				got.C, got.I, got.A, got.Reclassify, got.Version, tc.c, tc.i, tc.a)
		}
		if r := schemeRanks(t, tw.db, got.ID); r != tc.rank {
			t.Errorf("%s: ranks %v, want %v", tc.asset.name, r, tc.rank)
		}
	}
	if got, _ := tw.db.FindAsset(ctx, office, gone.ID); got.C != "C1" || got.Reclassify || got.Status != isms.AssetDisposed {
		t.Errorf("disposed asset after the switch: %s reclassify=%v status %s", got.C, got.Reclassify, got.Status)
	}

	// The switch is one event with the count, and each mapped asset has its own, before and after.
	sw := schemeEvents(t, tw.db, "scheme.switch")
	if len(sw) != 2 || sw[0].EntityID != "R6" || !schemeJSONHas(t, sw[0].After, "mapped", float64(len(cases))) ||
		!schemeJSONHas(t, sw[0].Before, "active", "R5") {
		t.Errorf("switch events: %d, newest %s → %s", len(sw), sw[0].Before, sw[0].After)
	}
	remaps := schemeEvents(t, tw.db, "asset.remap")
	if len(remaps) != len(cases) {
		t.Fatalf("%d remap events, want %d", len(remaps), len(cases))
	}
	for _, e := range remaps {
		if e.EntityID == schemeID(assets[0].ID) && (!schemeJSONHas(t, e.Before, "confidentiality", "C2") ||
			!schemeJSONHas(t, e.After, "confidentiality", "LGC3B") || !schemeJSONHas(t, e.After, "reclassify", true)) {
			t.Errorf("remap event of the tax ledger: %s → %s", e.Before, e.After)
		}
	}

	// Back to the old scheme: 3B and 3C fold into 機密性2, and the flags stay until confirmed.
	if n := schemeSwitchTo(t, tw.db, "R5"); n != len(cases) {
		t.Errorf("switching back mapped %d", n)
	}
	back := map[int]string{0: "C2", 1: "C2", 2: "C2", 3: "C2", 4: "C3", 5: "C1"}
	for k, want := range back {
		got, _ := tw.db.FindAsset(ctx, office, assets[k].ID)
		if got.C != want || !got.Reclassify || got.I != cases[k].asset.i || got.A != cases[k].asset.a {
			t.Errorf("%s back: %s/%s/%s reclassify=%v, want %s", cases[k].asset.name, got.C, got.I, got.A, got.Reclassify, want)
		}
	}
	if r := schemeRanks(t, tw.db, assets[0].ID); r != [3]int{2, 2, 2} {
		t.Errorf("ranks of the tax ledger back in R5: %v", r)
	}
	// Switching to the scheme in use is a conflict (someone switched meanwhile).
	if _, err := tw.db.SwitchScheme(ctx, office, "R5", schemeVersion(t, tw.db, "R5")); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("switching to the active scheme: %v", err)
	}
	if _, err := tw.db.SwitchScheme(ctx, office, "R9", 1); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("switching to no scheme: %v", err)
	}
}

// jsonHas reports whether the JSON object has the value under key.
func schemeJSONHas(t *testing.T, raw json.RawMessage, key string, want any) bool {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Errorf("audit value %s: %v", raw, err)
		return false
	}
	return m[key] == want
}

func schemeID(id int64) string { return strconv.FormatInt(id, 10) }

// At a thousand mapped assets and more, the switch records one summary event with the count
// instead of one event per asset.
func TestSchemeSwitchSummarisesLargeRegisters(t *testing.T) {
	ctx := context.Background()
	tw := newTown(t)
	// The town's legacy register in the old scheme, loaded as a fixture: CreateAsset accepts only
	// the active scheme's levels, and a thousand saves through it would only slow the test.
	if _, err := tw.db.Pool().Exec(ctx, `
		INSERT INTO assets (name, asset_type, unit_id, form, confidentiality, integrity, availability,
			c_rank, i_rank, a_rank, contains_personal, classified_at, review_due)
		SELECT '旧台帳の資産 ' || n, 'INFO_PAPER', $1, 'paper', 'C2', 'I1', 'A1', 2, 1, 1, n % 2 = 0, '2020-04-01', '2027-03-31'
		FROM generate_series(1, 1000) AS n`, tw.tax.ID); err != nil {
		t.Fatal(err)
	}
	preview, err := tw.db.PreviewSchemeSwitch(ctx, office, "R5")
	if err != nil || preview.Mapped != 0 {
		t.Fatalf("preview of R5 over R5 assets: %+v, %v", preview, err)
	}
	if n := schemeSwitchTo(t, tw.db, "R5"); n != 0 {
		t.Fatalf("R5 assets remapped onto R5: %d", n)
	}
	if n := schemeSwitchTo(t, tw.db, "R6"); n != 1000 {
		t.Errorf("mapped %d, want 1000", n)
	}
	var personal, other, flagged int
	if err := tw.db.Pool().QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE confidentiality = 'LGC3C' AND c_rank = 3 AND contains_personal),
			count(*) FILTER (WHERE confidentiality = 'LGC2' AND c_rank = 2 AND NOT contains_personal),
			count(*) FILTER (WHERE reclassify)
		FROM assets`).Scan(&personal, &other, &flagged); err != nil {
		t.Fatal(err)
	}
	if personal != 500 || other != 500 || flagged != 1000 {
		t.Errorf("mapped: %d to 3C, %d to 2, %d flagged", personal, other, flagged)
	}
	sw := schemeEvents(t, tw.db, "scheme.switch")
	if len(sw) != 2 || !schemeJSONHas(t, sw[0].After, "mapped", float64(1000)) || schemeJSONHas(t, sw[0].After, "asset_events", true) {
		t.Errorf("switch events: %d, newest %s", len(sw), sw[0].After)
	}
	if n := len(schemeEvents(t, tw.db, "asset.remap")); n != 0 {
		t.Errorf("%d per-asset events for a thousand assets", n)
	}
}

// A level without a mapping onto the new scheme refuses the switch, which changes nothing.
func TestSchemeSwitchRefusesUnmappedLevels(t *testing.T) {
	ctx := context.Background()
	tw := newTown(t)
	schemeSwitchTo(t, tw.db, "R5")
	a := schemeAsset{name: "人事記録", c: "C2", i: "I1", a: "A1", personal: true}.register(t, tw.db, tw.tax)
	// The town removed the mapping of 機密性2 with personal information and forgot the fallback.
	if _, err := tw.db.Pool().Exec(ctx, `DELETE FROM classification_mappings WHERE from_level = 'C2' AND basis IN ('personal', 'any')`); err != nil {
		t.Fatal(err)
	}
	preview, _ := tw.db.PreviewSchemeSwitch(ctx, office, "R6")
	if preview.Mapped != 1 || preview.Unmapped != 1 {
		t.Errorf("preview: %+v", preview)
	}
	_, err := tw.db.SwitchScheme(ctx, office, "R6", schemeVersion(t, tw.db, "R6"))
	if fieldErrors(err)["scheme"] != "classification.error.unmapped" {
		t.Errorf("switch with an unmapped level: %v", err)
	}
	if active, _ := tw.db.FindActiveScheme(ctx); active.Code != "R5" {
		t.Errorf("active scheme %s after a refused switch", active.Code)
	}
	if got, _ := tw.db.FindAsset(ctx, office, a.ID); got.C != "C2" || got.Reclassify {
		t.Errorf("asset after a refused switch: %s reclassify=%v", got.C, got.Reclassify)
	}
}

// A person who may edit the asset confirms its mapped levels, which clears 再分類要確認; staff of
// another unit do not find it, the CISO may not confirm, and a stale version is a conflict.
func TestConfirmReclassification(t *testing.T) {
	ctx := context.Background()
	tw := newTown(t)
	_, clerkID := tw.person(t, "clerk", "台帳 一郎", tw.tax)
	_, otherID := tw.person(t, "other", "別課 花子", tw.life)
	cisoUser, err := tw.db.CreateUser(ctx, office, isms.UserInput{LoginID: "ciso", Name: "副町長 三郎", Lang: "ja",
		DateStyle: "seireki", Role: isms.RoleCISO}, "not-a-real-hash")
	if err != nil {
		t.Fatal(err)
	}
	clerk := tw.scope(t, clerkID, "2026-11-25")
	other := tw.scope(t, otherID, "2026-11-25")
	cisoActor := tw.scope(t, cisoUser.ID, "2026-11-25")

	schemeSwitchTo(t, tw.db, "R5")
	a := schemeAsset{name: "窓口受付簿", c: "C2", i: "I1", a: "A1", personal: true}.register(t, tw.db, tw.tax)
	schemeSwitchTo(t, tw.db, "R6")
	a, _ = tw.db.FindAsset(ctx, office, a.ID)
	if !a.Reclassify {
		t.Fatal("the mapped asset is not flagged")
	}

	if err := tw.db.ConfirmReclassification(ctx, other, a.ID, a.Version); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("staff of another unit: %v", err)
	}
	if err := tw.db.ConfirmReclassification(ctx, cisoActor, a.ID, a.Version); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("the CISO: %v", err)
	}
	if err := tw.db.ConfirmReclassification(ctx, clerk, a.ID, a.Version-1); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale version: %v", err)
	}
	if err := tw.db.ConfirmReclassification(ctx, clerk, a.ID, a.Version); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	got, _ := tw.db.FindAsset(ctx, office, a.ID)
	if got.Reclassify || got.C != "LGC3C" || got.Version != a.Version+1 {
		t.Errorf("after confirming: %s reclassify=%v version %d", got.C, got.Reclassify, got.Version)
	}
	ev := schemeEvents(t, tw.db, "asset.confirm_reclassification")
	if len(ev) != 1 || ev[0].ActorLabel != "clerk" || !schemeJSONHas(t, ev[0].Before, "reclassify", true) ||
		!schemeJSONHas(t, ev[0].After, "reclassify", false) {
		t.Errorf("confirmation events: %+v", ev)
	}
	// Confirming again: nothing awaits confirmation.
	if err := tw.db.ConfirmReclassification(ctx, clerk, a.ID, got.Version); isms.ErrorCode(err) != isms.EINVALID {
		t.Errorf("confirming twice: %v", err)
	}
}

// The security office words a level and a restriction in the town's terms and edits a level's
// default restrictions; each change is in the audit trail with before and after, a stale form is a
// conflict, staff are refused, and the readers show the new wording and matrix.
func TestEditLevelsAndRestrictions(t *testing.T) {
	ctx := context.Background()
	tw := newTown(t)
	_, clerkID := tw.person(t, "clerk", "台帳 一郎", tw.tax)
	clerk := tw.scope(t, clerkID, "2026-11-25")

	lgc2, err := tw.db.FindLevel(ctx, "LGC2")
	if err != nil {
		t.Fatal(err)
	}
	text := isms.LevelText{NameJa: " 自治体機密性２ ", NameEn: "Municipal confidentiality 2",
		DefinitionJa: "直ちに一般に公表することを前提としていない情報資産（南部町対策基準第5条）", DefinitionEn: lgc2.DefinitionEn, Version: lgc2.Version}
	if _, err := tw.db.UpdateLevel(ctx, clerk, "LGC2", text); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff editing a level: %v", err)
	}
	if _, err := tw.db.UpdateLevel(ctx, office, "LGC2", isms.LevelText{Version: lgc2.Version}); fieldErrors(err)["name_ja"] != "validation.required" ||
		fieldErrors(err)["definition_ja"] != "validation.required" {
		t.Errorf("empty wording: %v", fieldErrors(err))
	}
	after, err := tw.db.UpdateLevel(ctx, office, "LGC2", text)
	if err != nil || after.NameJa != "自治体機密性２" || after.Version != lgc2.Version+1 || after.Rank != 2 {
		t.Fatalf("update level: %+v, %v", after, err)
	}
	if _, err := tw.db.UpdateLevel(ctx, office, "LGC2", text); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale level edit: %v", err)
	}
	if ev := schemeEvents(t, tw.db, "level.update"); len(ev) != 1 || ev[0].EntityID != "LGC2" ||
		!schemeJSONHas(t, ev[0].Before, "name_ja", "自治体機密性2") || !schemeJSONHas(t, ev[0].After, "name_ja", "自治体機密性２") {
		t.Errorf("level events: %+v", ev)
	}

	r, _ := tw.db.FindRestriction(ctx, "ENCRYPT")
	if _, err := tw.db.UpdateRestriction(ctx, office, "ENCRYPT", isms.RestrictionNames{NameJa: "暗号化又はパスワード設定", NameEn: "Encrypt or password-protect"}, r.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.UpdateRestriction(ctx, office, "ENCRYPT", isms.RestrictionNames{NameJa: "暗号化", NameEn: "Encrypt"}, r.Version); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale restriction edit: %v", err)
	}
	if _, err := tw.db.UpdateRestriction(ctx, clerk, "ENCRYPT", isms.RestrictionNames{NameJa: "暗号化", NameEn: "Encrypt"}, r.Version+1); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff renaming a restriction: %v", err)
	}
	if _, err := tw.db.UpdateRestriction(ctx, office, "NO_SUCH", isms.RestrictionNames{NameJa: "x", NameEn: "x"}, 1); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("renaming no restriction: %v", err)
	}
	if ev := schemeEvents(t, tw.db, "restriction.update"); len(ev) != 1 || !schemeJSONHas(t, ev[0].After, "name_ja", "暗号化又はパスワード設定") {
		t.Errorf("restriction events: %+v", ev)
	}

	// 自治体機密性2: encryption only when sending, so the town drops it and adds 持出要許可.
	codes := []string{"COPY_MIN", "DIST_APPROVAL", "TAKEOUT_APPROVAL", "SECURE_DISPOSAL"}
	if err := tw.db.SetLevelRestrictions(ctx, clerk, "LGC2", codes, after.Version); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff editing the matrix: %v", err)
	}
	if err := tw.db.SetLevelRestrictions(ctx, office, "LGC2", append(codes, "NO_SUCH"), after.Version); fieldErrors(err)["restrictions"] == "" {
		t.Errorf("unknown restriction: %v", err)
	}
	if err := tw.db.SetLevelRestrictions(ctx, office, "LGC2", codes, after.Version); err != nil {
		t.Fatal(err)
	}
	if err := tw.db.SetLevelRestrictions(ctx, office, "LGC2", codes[:1], after.Version); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale matrix edit: %v", err)
	}
	matrix, _ := tw.db.FindLevelRestrictions(ctx)
	if got := matrix["LGC2"]; len(got) != 4 || got[2] != "TAKEOUT_APPROVAL" {
		t.Errorf("LGC2 defaults: %v", got)
	}
	ev := schemeEvents(t, tw.db, "level.set_restrictions")
	if len(ev) != 1 || ev[0].EntityID != "LGC2" {
		t.Fatalf("matrix events: %+v", ev)
	}
	var before, afterSet struct{ Restrictions []string }
	_ = json.Unmarshal(ev[0].Before, &before)
	_ = json.Unmarshal(ev[0].After, &afterSet)
	if len(before.Restrictions) != 4 || before.Restrictions[2] != "ENCRYPT" || len(afterSet.Restrictions) != 4 {
		t.Errorf("matrix event: %s → %s", ev[0].Before, ev[0].After)
	}
	// Saving the same row again records nothing; an empty row is allowed (like 自治体機密性1).
	lgc2, _ = tw.db.FindLevel(ctx, "LGC2")
	if err := tw.db.SetLevelRestrictions(ctx, office, "LGC2", codes, lgc2.Version); err != nil {
		t.Fatal(err)
	}
	if n := len(schemeEvents(t, tw.db, "level.set_restrictions")); n != 1 {
		t.Errorf("an unchanged row recorded %d events", n)
	}
	if err := tw.db.SetLevelRestrictions(ctx, office, "LGC2", nil, lgc2.Version); err != nil {
		t.Fatal(err)
	}
	if matrix, _ := tw.db.FindLevelRestrictions(ctx); len(matrix["LGC2"]) != 0 {
		t.Errorf("LGC2 after clearing: %v", matrix["LGC2"])
	}
}
