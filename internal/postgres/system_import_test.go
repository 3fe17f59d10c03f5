package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// startRegisterImport keeps an upload of kind for actor and takes it to the write, as the import
// pages do.
func startRegisterImport(t *testing.T, db *postgres.DB, actor isms.Actor, kind isms.ImportKind, mode isms.ImportMode) int64 {
	t.Helper()
	ctx := context.Background()
	im, err := db.CreateImport(ctx, actor, isms.Import{Kind: kind, Mode: mode, FileName: "台帳.csv", Format: "csv",
		Encoding: "UTF-8", Names: []string{"名称"}, Mapping: []string{"name"}}, []byte("名称\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if im, err = db.StartImportCheck(ctx, actor, im.ID, im.Version, mode, im.Mapping); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishImportCheck(ctx, im.ID, 1, nil, nil); err != nil {
		t.Fatal(err)
	}
	if im, err = db.FindImport(ctx, actor, im.ID); err != nil {
		t.Fatal(err)
	}
	if _, err = db.StartImportWrite(ctx, actor, im.ID, im.Version); err != nil {
		t.Fatal(err)
	}
	return im.ID
}

// auditMark is the id of the latest audit event, to read what happens after it.
func auditMark(t *testing.T, db *postgres.DB) int64 {
	t.Helper()
	var id int64
	if err := db.Pool().QueryRow(context.Background(), `SELECT coalesce(max(id), 0) FROM audit_events`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// auditSince lists the actions recorded after mark, with the row count an import recorded.
func auditSince(t *testing.T, db *postgres.DB, mark int64) (actions []string, imported int) {
	t.Helper()
	rows, err := db.Pool().Query(context.Background(), `SELECT action, coalesce((after->>'imported')::int, 0)
		FROM audit_events WHERE id > $1 ORDER BY id`, mark)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var action string
		var n int
		if err := rows.Scan(&action, &n); err != nil {
			t.Fatal(err)
		}
		actions, imported = append(actions, action), imported+n
	}
	return actions, imported
}

// badFields is the field and key of each bad row, by index.
func badFields(bad []postgres.RowErrors) map[int]isms.FieldErrors {
	out := map[int]isms.FieldErrors{}
	for _, b := range bad {
		out[b.Index] = b.Errors
	}
	return out
}

func (tw sysTown) countSystems(t *testing.T) int {
	t.Helper()
	var n int
	if err := tw.db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM systems`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A file of new systems is judged row by row as the form would: every bad row is reported with
// the form's message beside its column, and nothing is written while any is; without them, the
// rows are written at once and the trail records one event with their count.
func TestSystemImportAddsEveryRowOrNone(t *testing.T) {
	ctx := context.Background()
	tw := newSysTown(t)
	plain, _ := tw.person(t, "sys-plain", "税務 二郎", tw.tax)
	if _, err := tw.db.CreateSystem(ctx, tw.clerk, sysInput("SYS-900", "既存システム", tw.tax.ID)); err != nil {
		t.Fatal(err)
	}
	row := func(code, name string, unit int64) postgres.SystemImportRow {
		return postgres.SystemImportRow{Row: 2, Input: sysInput(code, name, unit)}
	}
	good := []postgres.SystemImportRow{row("SYS-101", "税務システム", tw.tax.ID), row("SYS-102", "滞納管理システム", tw.tax.ID)}
	good[0].Input.AdminPersonID = tw.admin.ID
	good[1].Input.Zone, good[1].Input.MFAEnabled = isms.ZoneMyNumber, true // Z-4 flags it; it is saved all the same
	notAdmin := row("SYS-103", "証明書発行システム", tw.tax.ID)
	notAdmin.Input.AdminPersonID = plain.ID
	rows := append(slices.Clone(good),
		row("", "番号のないシステム", tw.tax.ID),
		notAdmin,
		row("SYS-104", "住民記録システム", tw.life.ID), // a unit the clerk does not keep
		row("SYS-101", "同じ番号のシステム", tw.tax.ID),
		row("SYS-900", "登録済みの番号", tw.tax.ID))
	want := map[int][2]string{2: {"code", "validation.required"}, 3: {"admin_person_id", "system.error.not_admin"},
		4: {"unit_id", "validation.choose"}, 5: {"code", "import.error.system_twice"}, 6: {"code", "system.error.code_taken"}}

	before := tw.countSystems(t)
	imp := postgres.SystemImport{Mode: isms.ImportAdd, Rows: rows}
	bad, err := tw.db.CheckSystemImport(ctx, tw.clerk, imp)
	if err != nil {
		t.Fatal(err)
	}
	got := badFields(bad)
	if len(got) != len(want) {
		t.Errorf("bad rows %v, want %v", got, want)
	}
	for i, w := range want {
		if got[i][w[0]] != w[1] {
			t.Errorf("row %d: %v, want %s on %s", i, got[i], w[1], w[0])
		}
	}
	if n := tw.countSystems(t); n != before {
		t.Fatalf("the check wrote %d systems", n-before)
	}

	imp.ID = startRegisterImport(t, tw.db, tw.clerk, isms.ImportSystems, isms.ImportAdd)
	mark := auditMark(t, tw.db)
	if n, bad, err := tw.db.ImportSystems(ctx, tw.clerk, imp); err != nil || n != 0 || len(bad) != len(want) {
		t.Fatalf("import with bad rows: n %d, bad %v, err %v", n, bad, err)
	}
	if n := tw.countSystems(t); n != before {
		t.Fatalf("a refused import wrote %d systems", n-before)
	}

	imp.Rows = good
	n, bad, err := tw.db.ImportSystems(ctx, tw.clerk, imp)
	if err != nil || len(bad) > 0 || n != 2 {
		t.Fatalf("import: n %d, bad %v, err %v", n, bad, err)
	}
	list, total, _, err := tw.db.FindSystems(ctx, tw.clerk, isms.SystemFilter{Query: "SYS-10"})
	if err != nil || total != 2 {
		t.Fatalf("imported systems: %d %v", total, err)
	}
	if list[0].Name != "税務システム" || list[0].AdminName != "税務 課長" || list[0].Version != 1 ||
		!slices.Equal(list[1].Warnings, []string{"Z-4"}) {
		t.Errorf("imported: %+v / %+v", list[0], list[1])
	}
	actions, imported := auditSince(t, tw.db, mark)
	if !slices.Equal(actions, []string{"system.import"}) || imported != 2 {
		t.Errorf("audit after the import: %v with %d rows, want one system.import with 2", actions, imported)
	}
	im, err := tw.db.FindImport(ctx, tw.clerk, imp.ID)
	if err != nil || im.Status != isms.ImportDone || im.Imported != 2 {
		t.Errorf("import after the write: %+v %v", im, err)
	}
}

// A file that updates systems by システム番号 changes only the fields it has; a number that is not
// in the register, or not in the clerk's scope, and a number given twice are reported.
func TestSystemImportUpdatesByCode(t *testing.T) {
	ctx := context.Background()
	tw := newSysTown(t)
	in := sysInput("SYS-201", "税務システム", tw.tax.ID)
	in.AdminPersonID, in.Business, in.MFAEnabled = tw.admin.ID, "住民税の賦課", true
	kept, err := tw.db.CreateSystem(ctx, tw.clerk, in)
	if err != nil {
		t.Fatal(err)
	}
	second, err := tw.db.CreateSystem(ctx, tw.clerk, sysInput("SYS-202", "滞納管理システム", tw.tax.ID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.CreateSystem(ctx, tw.lifeClerk, sysInput("SYS-301", "住民記録システム", tw.life.ID)); err != nil {
		t.Fatal(err)
	}

	// The file has two columns: the number and the location.
	row := func(code string) postgres.SystemImportRow {
		return postgres.SystemImportRow{Row: 2, Input: isms.SystemInput{Code: code, Location: "新庁舎サーバ室"}}
	}
	imp := postgres.SystemImport{Mode: isms.ImportUpdate, Merge: mergeLocation,
		Rows: []postgres.SystemImportRow{row(kept.Code), row("SYS-999"), row("SYS-301"), row(second.Code), row(second.Code)}}
	bad, err := tw.db.CheckSystemImport(ctx, tw.clerk, imp)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	for i, fe := range badFields(bad) {
		got[i] = fe["code"]
	}
	want := map[int]string{1: "import.error.system_not_found", 2: "import.error.system_not_found", 4: "import.error.system_twice"}
	if len(got) != len(want) {
		t.Fatalf("bad rows %v, want %v", got, want)
	}
	for i, key := range want {
		if got[i] != key {
			t.Errorf("row %d: %q, want %q", i, got[i], key)
		}
	}

	imp.Rows = []postgres.SystemImportRow{row(kept.Code), row(second.Code)}
	imp.ID = startRegisterImport(t, tw.db, tw.clerk, isms.ImportSystems, isms.ImportUpdate)
	mark := auditMark(t, tw.db)
	if n, bad, err := tw.db.ImportSystems(ctx, tw.clerk, imp); err != nil || len(bad) > 0 || n != 2 {
		t.Fatalf("update: n %d, bad %v, err %v", n, bad, err)
	}
	after, err := tw.db.FindSystem(ctx, tw.clerk, kept.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Location != "新庁舎サーバ室" || after.Name != kept.Name || after.Business != "住民税の賦課" ||
		after.AdminPersonID != tw.admin.ID || !after.MFAEnabled || after.Version != kept.Version+1 {
		t.Errorf("after the update: %+v", after)
	}
	if actions, imported := auditSince(t, tw.db, mark); !slices.Equal(actions, []string{"system.import"}) || imported != 2 {
		t.Errorf("audit after the update: %v with %d rows", actions, imported)
	}
}

// mergeLocation is the merge of a file whose only column besides the number is the location.
func mergeLocation(stored isms.SystemInput, _ int) isms.SystemInput {
	stored.Location = "新庁舎サーバ室"
	return stored
}
