package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// personTown is the test town with the security office, who keeps the organisation, signed in on
// 2026-11-25.
type personTown struct {
	*town
	office isms.Actor
}

func newPersonTown(t *testing.T) personTown {
	t.Helper()
	tw := personTown{town: newTown(t)}
	u, err := tw.db.CreateUser(context.Background(), office, isms.UserInput{LoginID: "jinji", Name: "人事 担当", Lang: "ja",
		DateStyle: "seireki", Role: isms.RoleSecurityOffice, UnitID: tw.general.ID}, "not-a-real-hash")
	if err != nil {
		t.Fatal(err)
	}
	tw.office = tw.scope(t, u.ID, "2026-11-25")
	return tw
}

// staff registers a person in service since 2024-04-01, posted to unit.
func (tw personTown) staff(t *testing.T, no, name, kana string, unit int64) isms.Person {
	t.Helper()
	p, err := tw.db.CreatePerson(context.Background(), tw.office, isms.PersonInput{EmployeeNo: no, Name: name, NameKana: kana,
		Employment: isms.EmploymentRegular, ValidFrom: at("2024-04-01"), UnitID: unit})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (tw personTown) countPeople(t *testing.T) int {
	t.Helper()
	var n int
	if err := tw.db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM people`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A staff list is judged row by row as the person form would: every bad row is reported, nothing
// is written while any is; without them, each person is registered with a first posting, the
// start of service and the employment type the form proposes when the file has none, and the
// trail records one event with the count.
func TestPersonImportAddsEveryRowOrNone(t *testing.T) {
	ctx := context.Background()
	tw := newPersonTown(t)
	tw.staff(t, "E900", "既存 職員", "キゾン ショクイン", tw.tax.ID)
	row := func(no, name, kana string, unit int64) postgres.PersonImportRow {
		return postgres.PersonImportRow{Row: 2, Input: isms.PersonInput{EmployeeNo: no, Name: name, NameKana: kana, UnitID: unit}}
	}
	good := []postgres.PersonImportRow{row("E101", "山田 太郎", "ヤマダ タロウ", tw.tax.ID), row("", "委託 花子", "イタク ハナコ", tw.life.ID)}
	good[1].Input.Employment, good[1].Input.ValidFrom, good[1].Input.ValidTo = isms.EmploymentContractor, at("2026-04-01"), at("2027-03-31")
	rows := append(slices.Clone(good),
		row("E102", "", "ナナシ", tw.tax.ID),
		row("E103", "鈴木 一郎", "suzuki", tw.tax.ID),
		row("E104", "所属 なし", "ショゾク ナシ", 0),
		row("E101", "山田 次郎", "ヤマダ ジロウ", tw.tax.ID),
		row("E900", "番号 重複", "バンゴウ チョウフク", tw.tax.ID))
	want := map[int][2]string{2: {"name", "validation.required"}, 3: {"name_kana", "user.error.kana"},
		4: {"unit_id", "validation.choose"}, 5: {"employee_no", "import.error.person_twice"},
		6: {"employee_no", "person.error.employee_no_taken"}}

	before := tw.countPeople(t)
	imp := postgres.PersonImport{Mode: isms.ImportAdd, Rows: rows}
	bad, err := tw.db.CheckPersonImport(ctx, tw.office, imp)
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

	imp.ID = startRegisterImport(t, tw.db, tw.office, isms.ImportPeople, isms.ImportAdd)
	mark := auditMark(t, tw.db)
	if n, bad, err := tw.db.ImportPeople(ctx, tw.office, imp); err != nil || n != 0 || len(bad) != len(want) {
		t.Fatalf("import with bad rows: n %d, bad %v, err %v", n, bad, err)
	}
	if n := tw.countPeople(t); n != before {
		t.Fatalf("a refused import wrote %d people", n-before)
	}

	imp.Rows = good
	n, bad, err := tw.db.ImportPeople(ctx, tw.office, imp)
	if err != nil || len(bad) > 0 || n != 2 {
		t.Fatalf("import: n %d, bad %v, err %v", n, bad, err)
	}
	people, _, _, err := tw.db.FindPeople(ctx, tw.office, isms.PersonFilter{Day: day("2026-11-25"), Query: "ヤマダ"})
	if err != nil || len(people) != 1 {
		t.Fatalf("imported person: %v %v", people, err)
	}
	p := people[0]
	if p.EmployeeNo != "E101" || p.UnitID != tw.tax.ID || p.Employment != isms.EmploymentRegular ||
		p.From.Format("2006-01-02") != "2026-11-25" || p.To != nil {
		t.Errorf("imported with the form's proposals: %+v", p)
	}
	people, _, _, err = tw.db.FindPeople(ctx, tw.office, isms.PersonFilter{Day: day("2026-11-25"), Query: "イタク"})
	if err != nil || len(people) != 1 || people[0].UnitID != tw.life.ID || people[0].Employment != isms.EmploymentContractor ||
		people[0].To == nil || people[0].To.Format("2006-01-02") != "2027-03-31" {
		t.Errorf("imported contractor: %+v %v", people, err)
	}
	if actions, imported := auditSince(t, tw.db, mark); !slices.Equal(actions, []string{"person.import"}) || imported != 2 {
		t.Errorf("audit after the import: %v with %d rows, want one person.import with 2", actions, imported)
	}
}

// A file that updates people by 職員番号 changes only the fields it has. An unknown number and a
// number given twice are reported; so is a 所属 other than the person's posting, which the import
// does not move (a move has a date: the 人事異動 page records it), while a 所属 that matches passes.
func TestPersonImportUpdatesByEmployeeNumber(t *testing.T) {
	ctx := context.Background()
	tw := newPersonTown(t)
	tanaka := tw.staff(t, "A1", "田中 一郎", "タナカ イチロウ", tw.tax.ID)
	sato := tw.staff(t, "A2", "佐藤 花子", "サトウ ハナコ", tw.tax.ID)
	kato := tw.staff(t, "A3", "加藤 三郎", "カトウ サブロウ", tw.life.ID)

	// The file has three columns: the number, the phone and the unit.
	type line struct {
		no   string
		unit int64
	}
	lines := []line{{"A1", 0}, {"Z9", 0}, {"A2", tw.life.ID}, {"A3", tw.life.ID}, {"A3", tw.life.ID}}
	rowsOf := func(lines []line) []postgres.PersonImportRow {
		var rows []postgres.PersonImportRow
		for i, l := range lines {
			rows = append(rows, postgres.PersonImportRow{Row: i + 2, Input: isms.PersonInput{EmployeeNo: l.no, Phone: "201", UnitID: l.unit}})
		}
		return rows
	}
	imp := postgres.PersonImport{Mode: isms.ImportUpdate, Rows: rowsOf(lines)}
	imp.Merge = func(stored isms.PersonInput, i int) isms.PersonInput {
		stored.Phone, stored.UnitID = imp.Rows[i].Input.Phone, imp.Rows[i].Input.UnitID
		return stored
	}
	bad, err := tw.db.CheckPersonImport(ctx, tw.office, imp)
	if err != nil {
		t.Fatal(err)
	}
	got := badFields(bad)
	want := map[int][2]string{1: {"employee_no", "import.error.person_not_found"}, 2: {"unit_id", "import.error.person_unit"},
		4: {"employee_no", "import.error.person_twice"}}
	if len(got) != len(want) {
		t.Errorf("bad rows %v, want %v", got, want)
	}
	for i, w := range want {
		if got[i][w[0]] != w[1] {
			t.Errorf("row %d: %v, want %s on %s", i, got[i], w[1], w[0])
		}
	}

	imp.Rows = rowsOf([]line{{"A1", 0}, {"A3", tw.life.ID}})
	imp.ID = startRegisterImport(t, tw.db, tw.office, isms.ImportPeople, isms.ImportUpdate)
	mark := auditMark(t, tw.db)
	if n, bad, err := tw.db.ImportPeople(ctx, tw.office, imp); err != nil || len(bad) > 0 || n != 2 {
		t.Fatalf("update: n %d, bad %v, err %v", n, bad, err)
	}
	for _, before := range []isms.Person{tanaka, kato} {
		after, err := tw.db.FindPerson(ctx, tw.office, before.ID, day("2026-11-25"))
		if err != nil {
			t.Fatal(err)
		}
		if after.Phone != "201" || after.Name != before.Name || after.NameKana != before.NameKana || after.UnitID != before.UnitID ||
			!after.From.Equal(before.From) || after.Version != before.Version+1 {
			t.Errorf("after the update: %+v, before %+v", after, before)
		}
	}
	if after, _ := tw.db.FindPerson(ctx, tw.office, sato.ID, day("2026-11-25")); after.Phone != "" || after.Version != sato.Version {
		t.Errorf("a person the file did not name changed: %+v", after)
	}
	if postings, _ := tw.db.FindPostings(ctx, kato.ID); len(postings) != 1 {
		t.Errorf("the update moved someone: %+v", postings)
	}
	if actions, imported := auditSince(t, tw.db, mark); !slices.Equal(actions, []string{"person.import"}) || imported != 2 {
		t.Errorf("audit after the update: %v with %d rows", actions, imported)
	}
}
