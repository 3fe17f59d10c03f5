package postgres_test

import (
	"context"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// startImport keeps an upload for actor and takes it to the write, as the import pages do.
func (tw *assetTown) startImport(t *testing.T, actor isms.Actor, mode isms.ImportMode) int64 {
	t.Helper()
	ctx := context.Background()
	im, err := tw.db.CreateImport(ctx, actor, isms.Import{Kind: isms.ImportAssets, Mode: mode, FileName: "台帳.csv",
		Format: "csv", Encoding: "Shift_JIS", Names: []string{"資産名"}, Mapping: []string{"name"}}, []byte("資産名\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if im, err = tw.db.StartImportCheck(ctx, actor, im.ID, im.Version, mode, im.Mapping); err != nil {
		t.Fatal(err)
	}
	if err := tw.db.FinishImportCheck(ctx, im.ID, 1, nil, nil); err != nil {
		t.Fatal(err)
	}
	if im, err = tw.db.FindImport(ctx, actor, im.ID); err != nil {
		t.Fatal(err)
	}
	if _, err = tw.db.StartImportWrite(ctx, actor, im.ID, im.Version); err != nil {
		t.Fatal(err)
	}
	return im.ID
}

func TestAssetImportAddsEveryRowOrNone(t *testing.T) {
	tw := newAssetTown(t)
	ctx := context.Background()
	good := func(name string) postgres.AssetImportRow {
		in := tw.notice(name, tw.tax)
		in.ClassifiedAt, in.ReviewDue, in.Status, in.Form = nil, nil, "", "" // the import proposes them
		return postgres.AssetImportRow{Row: 2, Input: in}
	}
	rows := []postgres.AssetImportRow{good("課税通知書控え"), good("納税証明書交付簿")}
	myNumber := tw.ledger()
	myNumber.Zone = isms.ZoneLGWAN // Z-1: 特定個人情報 belongs in the マイナンバー利用事務系
	rows = append(rows, postgres.AssetImportRow{Row: 4, Input: myNumber})
	otherUnit := good("生活課の文書")
	otherUnit.Input.UnitID = tw.life.ID
	rows = append(rows, otherUnit)
	nameless := good("")
	rows = append(rows, nameless)

	imp := postgres.AssetImport{Mode: isms.ImportAdd, Rows: rows}
	bad, err := tw.db.CheckAssetImport(ctx, tw.taxStaff, imp)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{2: "zone", 3: "unit_id", 4: "name"}
	if len(bad) != len(want) {
		t.Fatalf("bad rows = %+v, want rows %v", bad, want)
	}
	for _, b := range bad {
		if _, ok := b.Errors[want[b.Index]]; !ok {
			t.Errorf("row %d: errors %v, want one on %s", b.Index, b.Errors, want[b.Index])
		}
	}

	// The write checks again and writes nothing while any row is bad.
	imp.ID = tw.startImport(t, tw.taxStaff, isms.ImportAdd)
	before := tw.count(t, "assets")
	if _, bad, err := tw.db.ImportAssets(ctx, tw.taxStaff, imp); err != nil || len(bad) != 3 {
		t.Fatalf("import with bad rows: bad %v, err %v", bad, err)
	}
	if n := tw.count(t, "assets"); n != before {
		t.Fatalf("assets = %d after a refused import, want %d", n, before)
	}

	imp.Rows = rows[:2]
	n, bad, err := tw.db.ImportAssets(ctx, tw.taxStaff, imp)
	if err != nil || len(bad) > 0 || n != 2 {
		t.Fatalf("import: n %d, bad %v, err %v", n, bad, err)
	}
	list, _, _, _, err := tw.db.FindAssets(ctx, tw.taxStaff, isms.AssetFilter{Query: "納税証明書"})
	if err != nil || len(list) != 1 {
		t.Fatalf("imported asset not found: %v %v", list, err)
	}
	a := list[0]
	if a.Form != isms.FormPaper || a.Status != isms.AssetInUse || a.ClassifiedAt.Format("2006-01-02") != "2026-11-25" ||
		a.ReviewDue.Format("2006-01-02") != "2027-03-31" || a.Number == "" {
		t.Errorf("imported asset %+v: want form paper, in use, classified 2026-11-25, review 2027-03-31, a number", a)
	}
	var action string
	var rowsRecorded int
	if err := tw.db.Pool().QueryRow(ctx, `SELECT action, (after->>'imported')::int FROM audit_events
		WHERE entity_type = 'import' ORDER BY id DESC LIMIT 1`).Scan(&action, &rowsRecorded); err != nil {
		t.Fatal(err)
	}
	if action != "asset.import" || rowsRecorded != 2 {
		t.Errorf("audit: %s with %d rows, want asset.import with 2", action, rowsRecorded)
	}
	im, err := tw.db.FindImport(ctx, tw.taxStaff, imp.ID)
	if err != nil || im.Status != isms.ImportDone || im.Imported != 2 {
		t.Errorf("import after the write: %+v %v", im, err)
	}
	if _, err := tw.db.FindImportContent(ctx, tw.taxStaff, imp.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("the file outlived its import: %v", err)
	}
}

func TestAssetImportUpdatesByNumber(t *testing.T) {
	tw := newAssetTown(t)
	ctx := context.Background()
	kept, _ := tw.create(t, tw.taxStaff, tw.ledger())
	notice, _ := tw.create(t, tw.taxStaff, tw.notice("課税通知書控え", tw.tax))
	foreign, _ := tw.create(t, tw.lifeStaff, tw.notice("転入届", tw.life))

	// The file has two columns: the number and the location; everything else stays as stored.
	merge := func(location string) func(isms.AssetInput, int) isms.AssetInput {
		return func(stored isms.AssetInput, _ int) isms.AssetInput { stored.Location = location; return stored }
	}
	row := func(number string) postgres.AssetImportRow { return postgres.AssetImportRow{Row: 2, Number: number} }
	imp := postgres.AssetImport{Mode: isms.ImportUpdate, Merge: merge("新庁舎サーバ室"),
		Rows: []postgres.AssetImportRow{row(kept.Number), row("A-999999"), row(foreign.Number), row(notice.Number), row(notice.Number)}}
	bad, err := tw.db.CheckAssetImport(ctx, tw.taxStaff, imp)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	for _, b := range bad {
		got[b.Index] = b.Errors["number"]
	}
	want := map[int]string{1: "import.error.number_not_found", 2: "import.error.number_not_found", 4: "import.error.number_twice"}
	if len(got) != len(want) {
		t.Fatalf("bad rows %v, want %v", got, want)
	}
	for i, key := range want {
		if got[i] != key {
			t.Errorf("row %d: %q, want %q", i, got[i], key)
		}
	}

	imp.Rows = []postgres.AssetImportRow{row(kept.Number), row(notice.Number)}
	imp.ID = tw.startImport(t, tw.taxStaff, isms.ImportUpdate)
	if n, bad, err := tw.db.ImportAssets(ctx, tw.taxStaff, imp); err != nil || len(bad) > 0 || n != 2 {
		t.Fatalf("update: n %d, bad %v, err %v", n, bad, err)
	}
	after, err := tw.db.FindAsset(ctx, tw.taxStaff, kept.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Location != "新庁舎サーバ室" || after.Name != kept.Name || after.C != kept.C || !after.ContainsMyNumber ||
		after.Version != kept.Version+1 {
		t.Errorf("after the update: %+v", after)
	}
}

// An upload left unfinished for a week loses its file (a ledger holds personal information): the
// next upload, anyone's, drops it, marks the import failed with the reason, and the trail says so.
func TestUnfinishedImportsLoseTheirFile(t *testing.T) {
	tw := newAssetTown(t)
	ctx := context.Background()
	upload := func(actor isms.Actor) isms.Import {
		im, err := tw.db.CreateImport(ctx, actor, isms.Import{Kind: isms.ImportAssets, Mode: isms.ImportAdd, FileName: "台帳.csv",
			Format: "csv", Names: []string{"資産名"}, Mapping: []string{"name"}}, []byte("資産名\r\n住民票写し\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		return im
	}
	old, recent := upload(tw.taxStaff), upload(tw.taxStaff)
	tw.exec(t, `UPDATE imports SET updated_at = now() - interval '8 days' WHERE id = $1`, old.ID)
	upload(tw.lifeStaff)

	if _, err := tw.db.FindImportContent(ctx, tw.taxStaff, old.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("the week-old file is still kept: %v", err)
	}
	im, err := tw.db.FindImport(ctx, tw.taxStaff, old.ID)
	if err != nil || im.Status != isms.ImportFailed || im.Failure != isms.ImportExpired {
		t.Errorf("the week-old import: %s %q (%v)", im.Status, im.Failure, err)
	}
	if _, err := tw.db.FindImportContent(ctx, tw.taxStaff, recent.ID); err != nil {
		t.Errorf("a recent upload lost its file: %v", err)
	}
	var n int
	if err := tw.db.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'import.expire'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d import.expire events (%v), want 1", n, err)
	}
}
