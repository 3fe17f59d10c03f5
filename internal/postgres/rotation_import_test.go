package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// rotImport takes an upload into rotation id through its check to the start of the write, as the
// import pages do, and returns the import's id.
func rotImport(t *testing.T, db *postgres.DB, actor isms.Actor, rotation int64) int64 {
	t.Helper()
	ctx := context.Background()
	im, err := db.CreateImport(ctx, actor, isms.Import{Kind: isms.ImportRotation, RotationID: rotation, Mode: isms.ImportAdd,
		FileName: "異動一覧.csv", Format: "csv", Encoding: "UTF-8", Names: []string{"職員番号"}, Mapping: []string{"employee_no"}},
		[]byte("職員番号\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if im, err = db.StartImportCheck(ctx, actor, im.ID, im.Version, isms.ImportAdd, im.Mapping); err != nil {
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

// A rotation list becomes lines of the draft by the rules of the line forms: every bad row is
// reported (no person, a person already moving on the sheet, a unit closed by the date, a role to
// end that the person does not hold) and nothing is added while any is. Without them, each row is
// a move and its role's start or end, recorded as one event, and applying the sheet moves the
// people. An applied rotation takes no import.
func TestRotationImportAddsLinesOrNone(t *testing.T) {
	ctx := context.Background()
	tw := newPersonTown(t)
	yamada := tw.staff(t, "E201", "山田 太郎", "ヤマダ タロウ", tw.tax.ID)
	sato := tw.staff(t, "E202", "佐藤 花子", "サトウ ハナコ", tw.life.ID)
	suzuki := tw.staff(t, "E203", "鈴木 一郎", "スズキ イチロウ", tw.general.ID)
	tanaka := tw.staff(t, "E204", "田中 次郎", "タナカ ジロウ", tw.general.ID)
	ito := tw.staff(t, "E205", "伊藤 三郎", "イトウ サブロウ", tw.general.ID)
	tw.assign(t, yamada, isms.RoleCodeISM, tw.tax.ID, "2024-04-01", nil)
	closing := tw.unit(t, "130", "統合前課", isms.UnitSection, tw.exec.ID)
	if _, err := tw.db.CloseUnit(ctx, office, closing.ID, isms.UnitClosure{ValidTo: at("2027-03-31"), Version: closing.Version}); err != nil {
		t.Fatal(err)
	}
	rot, err := tw.db.CreateRotation(ctx, tw.office, isms.RotationInput{Title: "令和9年4月1日付け人事異動", EffectiveDate: at("2027-04-01")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.AddRotationLine(ctx, tw.office, rot.ID, isms.RotationLine{Kind: isms.LineMove, PersonID: suzuki.ID,
		UnitID: tw.tax.ID}); err != nil {
		t.Fatal(err)
	}

	good := []postgres.RotationImportRow{
		{Row: 2, PersonID: yamada.ID, UnitID: tw.general.ID, RoleCode: isms.RoleCodeISM, RoleAction: isms.LineEndRole},
		{Row: 3, PersonID: sato.ID, UnitID: tw.tax.ID, RoleCode: isms.RoleCodeISM},
	}
	rows := append(slices.Clone(good),
		postgres.RotationImportRow{Row: 4, UnitID: tw.tax.ID},
		postgres.RotationImportRow{Row: 5, PersonID: suzuki.ID, UnitID: tw.life.ID},
		postgres.RotationImportRow{Row: 6, PersonID: tanaka.ID, UnitID: closing.ID},
		postgres.RotationImportRow{Row: 7, PersonID: ito.ID, UnitID: tw.life.ID, RoleCode: isms.RoleCodeISM, RoleAction: isms.LineEndRole})
	want := map[int][2]string{2: {"employee_no", "validation.required"}, 3: {"employee_no", "rotation.error.duplicate_move"},
		4: {"unit_id", "rotation.error.unit_closed"}, 5: {"role_code", "rotation.import.not_held"}}

	imp := postgres.RotationImport{RotationID: rot.ID, Rows: rows}
	bad, err := tw.db.CheckRotationImport(ctx, tw.office, imp)
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
	if r := rotFind(t, tw.db, tw.office, rot.ID); len(r.Lines) != 1 {
		t.Fatalf("the check added lines: %+v", r.Lines)
	}

	imp.ID = rotImport(t, tw.db, tw.office, rot.ID)
	if n, bad, err := tw.db.ImportRotationLines(ctx, tw.office, imp); err != nil || n != 0 || len(bad) != len(want) {
		t.Fatalf("import with bad rows: n %d, bad %v, err %v", n, bad, err)
	}
	if r := rotFind(t, tw.db, tw.office, rot.ID); len(r.Lines) != 1 || r.Version != rot.Version+1 {
		t.Fatalf("a refused import changed the sheet: version %d, %+v", r.Version, r.Lines)
	}

	mark := auditMark(t, tw.db)
	imp.Rows = good
	n, bad, err := tw.db.ImportRotationLines(ctx, tw.office, imp)
	if err != nil || len(bad) > 0 || n != 2 {
		t.Fatalf("import: n %d, bad %v, err %v", n, bad, err)
	}
	if actions, imported := auditSince(t, tw.db, mark); !slices.Equal(actions, []string{"rotation.import"}) || imported != 2 {
		t.Errorf("audit after the import: %v with %d rows, want one rotation.import with 2", actions, imported)
	}
	after := rotFind(t, tw.db, tw.office, rot.ID)
	type line struct {
		kind   isms.RotationLineKind
		person string
		unit   string
	}
	var lines []line
	for _, l := range after.Lines {
		lines = append(lines, line{l.Kind, l.PersonName, l.UnitName})
	}
	wantLines := []line{{isms.LineMove, "鈴木 一郎", "税務課"}, {isms.LineMove, "山田 太郎", "総務課"},
		{isms.LineMove, "佐藤 花子", "税務課"}, {isms.LineEndRole, "山田 太郎", "税務課"}, {isms.LineStartRole, "佐藤 花子", "税務課"}}
	if !slices.Equal(lines, wantLines) {
		t.Errorf("lines after the import:\n%v\nwant\n%v", lines, wantLines)
	}
	if after.Version <= rot.Version+1 {
		t.Errorf("the import left the version at %d: a sheet loaded before it could be applied unseen", after.Version)
	}

	if _, err := tw.db.ApplyRotation(ctx, tw.office, rot.ID, after.Version); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		p    isms.Person
		unit int64
	}{{yamada, tw.general.ID}, {sato, tw.tax.ID}, {suzuki, tw.tax.ID}} {
		people, _, _, err := tw.db.FindPeople(ctx, tw.office, isms.PersonFilter{Day: day("2027-04-01"), Query: c.p.NameKana})
		if err != nil || len(people) != 1 || people[0].UnitID != c.unit {
			t.Errorf("%s on the date: %+v %v, want unit %d", c.p.Name, people, err, c.unit)
		}
	}
	ism, err := tw.db.FindAssignments(ctx, isms.AssignmentFilter{Day: day("2027-04-01"), RoleCode: isms.RoleCodeISM, UnitID: tw.tax.ID})
	if err != nil || len(ism) != 1 || ism[0].PersonID != sato.ID {
		t.Errorf("情報セキュリティ管理者 of 税務課 on the date: %+v %v, want 佐藤 alone", ism, err)
	}

	if _, err := tw.db.CheckRotationImport(ctx, tw.office, imp); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("check into an applied rotation: %v, want ECONFLICT", err)
	}
	_, err = tw.db.CreateImport(ctx, tw.office, isms.Import{Kind: isms.ImportRotation, RotationID: rot.ID, Mode: isms.ImportAdd,
		FileName: "異動一覧.csv", Format: "csv"}, []byte("職員番号\r\n"))
	if isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("upload into an applied rotation: %v, want ECONFLICT", err)
	}
	if _, err := tw.db.CheckRotationImport(ctx, isms.Actor{UserID: 1}, imp); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("check without managing the organisation: %v, want EFORBIDDEN", err)
	}
}

func rotFind(t *testing.T, db *postgres.DB, actor isms.Actor, id int64) isms.Rotation {
	t.Helper()
	r, err := db.FindRotation(context.Background(), actor, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
