package postgres_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
)

// The helpers of this file carry a rot prefix: other files of the package have their own.

var rotOffice = isms.SystemActor("rotation-test")

func rotDay(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func rotAt(s string) *time.Time { d := rotDay(s); return &d }

// rotTown is 税務課, 住民生活課 and 総務課, with 山田 in 税務課 as its 情報セキュリティ管理者 and 佐藤 in
// 住民生活課, all since 2020.
type rotTown struct {
	db                 *postgres.DB
	tax, life, general isms.Unit
	yamada, sato       isms.Person
	yamadaISM          isms.Assignment
}

func newRotTown(t *testing.T) *rotTown {
	t.Helper()
	ctx := context.Background()
	tw := &rotTown{db: pgtest.Open(t)}
	unit := func(code, name string) isms.Unit {
		u, err := tw.db.CreateUnit(ctx, rotOffice, isms.UnitInput{Code: code, Name: name, Type: isms.UnitSection,
			InScope: true, ValidFrom: rotAt("2020-04-01")})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	tw.tax, tw.life, tw.general = unit("111", "税務課"), unit("120", "住民生活課"), unit("112", "総務課")
	person := func(name string, u isms.Unit) isms.Person {
		p, err := tw.db.CreatePerson(ctx, rotOffice, isms.PersonInput{Name: name, Employment: isms.EmploymentRegular,
			ValidFrom: rotAt("2020-04-01"), UnitID: u.ID})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tw.yamada, tw.sato = person("山田 太郎", tw.tax), person("佐藤 花子", tw.life)
	var err error
	tw.yamadaISM, err = tw.db.CreateAssignment(ctx, rotOffice, isms.AssignmentInput{PersonID: tw.yamada.ID,
		RoleCode: isms.RoleCodeISM, UnitID: tw.tax.ID, ValidFrom: rotAt("2024-04-01")})
	if err != nil {
		t.Fatal(err)
	}
	return tw
}

func (tw *rotTown) rotation(t *testing.T, title, date string) isms.Rotation {
	t.Helper()
	r, err := tw.db.CreateRotation(context.Background(), rotOffice, isms.RotationInput{Title: title, EffectiveDate: rotAt(date)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (tw *rotTown) addLine(t *testing.T, r isms.Rotation, l isms.RotationLine) isms.RotationLine {
	t.Helper()
	added, err := tw.db.AddRotationLine(context.Background(), rotOffice, r.ID, l)
	if err != nil {
		t.Fatalf("add %s line: %v %v", l.Kind, err, rotFields(err))
	}
	return added
}

func (tw *rotTown) find(t *testing.T, id int64) isms.Rotation {
	t.Helper()
	r, err := tw.db.FindRotation(context.Background(), rotOffice, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// holders names who holds role for unit on day.
func (tw *rotTown) holders(t *testing.T, role isms.SecurityRoleCode, unit int64, on string) []string {
	t.Helper()
	list, err := tw.db.FindAssignments(context.Background(), isms.AssignmentFilter{Day: rotDay(on), UnitID: unit, RoleCode: role})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range list {
		names = append(names, a.PersonName)
	}
	return names
}

// unitOn is the unit a person is posted to on day.
func (tw *rotTown) unitOn(t *testing.T, p isms.Person, on string) string {
	t.Helper()
	got, err := tw.db.FindPerson(context.Background(), rotOffice, p.ID, rotDay(on))
	if err != nil {
		t.Fatal(err)
	}
	return got.UnitName
}

func rotFields(err error) isms.FieldErrors {
	if ve, ok := errors.AsType[*isms.ValidationError](err); ok {
		return ve.Fields
	}
	return nil
}

func (tw *rotTown) auditCount(t *testing.T, action string) int {
	t.Helper()
	var n int
	if err := tw.db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE action = $1`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The April rotation: 山田 moves from 税務課 to 総務課, 佐藤 from 住民生活課 to 税務課 and takes over as
// 税務課's 情報セキュリティ管理者. Applied at once, the organisation of 31 March is the old one and
// that of 1 April the new one, with the old postings and assignment kept in the history.
func TestRotationAppliedAtOnce(t *testing.T) {
	ctx := context.Background()
	tw := newRotTown(t)
	r := tw.rotation(t, "令和9年4月1日付 定期人事異動", "2027-04-01")
	tw.addLine(t, r, isms.RotationLine{Kind: isms.LineEndRole, AssignmentID: tw.yamadaISM.ID})
	tw.addLine(t, r, isms.RotationLine{Kind: isms.LineMove, PersonID: tw.yamada.ID, UnitID: tw.general.ID})
	tw.addLine(t, r, isms.RotationLine{Kind: isms.LineStartRole, PersonID: tw.sato.ID, RoleCode: isms.RoleCodeISM, UnitID: tw.tax.ID, Note: "課長昇任"})
	tw.addLine(t, r, isms.RotationLine{Kind: isms.LineMove, PersonID: tw.sato.ID, UnitID: tw.tax.ID})

	// The sheet: moves first with where each person comes from, then the hand-over, numbered.
	r = tw.find(t, r.ID)
	type row struct {
		no               int
		kind             isms.RotationLineKind
		person, from, to string
		role             string
	}
	var got []row
	for _, l := range r.Lines {
		got = append(got, row{l.No, l.Kind, l.PersonName, l.FromUnitName, l.UnitName, l.Role.NameJa})
	}
	want := []row{
		{1, isms.LineMove, "山田 太郎", "税務課", "総務課", ""},
		{2, isms.LineMove, "佐藤 花子", "住民生活課", "税務課", ""},
		{3, isms.LineEndRole, "山田 太郎", "", "税務課", "情報セキュリティ管理者"},
		{4, isms.LineStartRole, "佐藤 花子", "", "税務課", "情報セキュリティ管理者"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("sheet:\n got %v\nwant %v", got, want)
	}

	// Nothing changes before the rotation is applied.
	if u := tw.unitOn(t, tw.yamada, "2027-04-01"); u != "税務課" {
		t.Errorf("before applying, 山田 on 1 April is in %s", u)
	}
	applied, err := tw.db.ApplyRotation(ctx, rotOffice, r.ID, r.Version)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	if applied.Status != isms.RotationApplied || applied.AppliedAt == nil {
		t.Errorf("applied rotation: %+v", applied)
	}

	for _, c := range []struct {
		on, ism, yamada, sato string
	}{
		{"2027-03-31", "山田 太郎", "税務課", "住民生活課"},
		{"2027-04-01", "佐藤 花子", "総務課", "税務課"},
	} {
		if h := tw.holders(t, isms.RoleCodeISM, tw.tax.ID, c.on); !slices.Equal(h, []string{c.ism}) {
			t.Errorf("%s: 税務課's 管理者 %v, want %s", c.on, h, c.ism)
		}
		if u := tw.unitOn(t, tw.yamada, c.on); u != c.yamada {
			t.Errorf("%s: 山田 in %s, want %s", c.on, u, c.yamada)
		}
		if u := tw.unitOn(t, tw.sato, c.on); u != c.sato {
			t.Errorf("%s: 佐藤 in %s, want %s", c.on, u, c.sato)
		}
	}

	// The history keeps the old posting and assignment, ending on 31 March.
	postings, err := tw.db.FindPostings(ctx, tw.yamada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(postings) != 2 || postings[0].UnitName != "総務課" || !postings[0].From.Equal(rotDay("2027-04-01")) || postings[0].To != nil ||
		postings[1].UnitName != "税務課" || postings[1].To == nil || !postings[1].To.Equal(rotDay("2027-03-31")) {
		t.Errorf("山田's postings: %+v", postings)
	}
	history, err := tw.db.FindAssignments(ctx, isms.AssignmentFilter{UnitID: tw.tax.ID, RoleCode: isms.RoleCodeISM})
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 2 {
		t.Fatalf("税務課's 管理者 history: %+v", history)
	}
	for _, a := range history {
		switch a.PersonID {
		case tw.yamada.ID:
			if !a.From.Equal(rotDay("2024-04-01")) || a.To == nil || !a.To.Equal(rotDay("2027-03-31")) {
				t.Errorf("山田's assignment: %v to %v", a.From, a.To)
			}
		case tw.sato.ID:
			if !a.From.Equal(rotDay("2027-04-01")) || a.To != nil || a.Note != "課長昇任" {
				t.Errorf("佐藤's assignment: %+v", a)
			}
		}
	}

	// Each change is in the audit trail, and so is the rotation's application.
	for action, n := range map[string]int{"person.move": 2, "assignment.end": 1, "assignment.create": 2, "rotation.apply": 1} {
		if got := tw.auditCount(t, action); got != n {
			t.Errorf("%d %s events, want %d", got, action, n)
		}
	}

	// Applied, the rotation is read-only and cannot be applied again.
	r = tw.find(t, r.ID)
	if _, err := tw.db.ApplyRotation(ctx, rotOffice, r.ID, r.Version); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("applying twice: %v", err)
	}
	if _, err := tw.db.AddRotationLine(ctx, rotOffice, r.ID, isms.RotationLine{Kind: isms.LineMove, PersonID: tw.sato.ID, UnitID: tw.life.ID}); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("adding to an applied rotation: %v", err)
	}
	if err := tw.db.DeleteRotationLine(ctx, rotOffice, r.ID, r.Lines[0].ID); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("deleting a line of an applied rotation: %v", err)
	}
	if _, err := tw.db.UpdateRotation(ctx, rotOffice, r.ID, isms.RotationInput{Title: "変更", EffectiveDate: rotAt("2027-04-02"), Version: r.Version}); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("editing an applied rotation: %v", err)
	}
	if err := tw.db.DeleteRotation(ctx, rotOffice, r.ID, r.Version); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("deleting an applied rotation: %v", err)
	}
	if tw.auditCount(t, "person.move") != 2 {
		t.Error("the second application moved people again")
	}
}

// Lines that no longer hold are reported with their numbers, and nothing is applied.
func TestRotationInvalidLinesChangeNothing(t *testing.T) {
	ctx := context.Background()
	tw := newRotTown(t)
	planning, err := tw.db.CreateUnit(ctx, rotOffice, isms.UnitInput{Code: "130", Name: "企画課", Type: isms.UnitSection,
		InScope: true, ValidFrom: rotAt("2020-04-01")})
	if err != nil {
		t.Fatal(err)
	}
	r := tw.rotation(t, "令和9年4月1日付 人事異動", "2027-04-01")
	tw.addLine(t, r, isms.RotationLine{Kind: isms.LineMove, PersonID: tw.yamada.ID, UnitID: planning.ID})
	tw.addLine(t, r, isms.RotationLine{Kind: isms.LineMove, PersonID: tw.sato.ID, UnitID: tw.tax.ID})
	tw.addLine(t, r, isms.RotationLine{Kind: isms.LineEndRole, AssignmentID: tw.yamadaISM.ID})

	// After the sheet was prepared, 企画課 is closed on 31 March and 山田's role ended in December.
	if _, err := tw.db.CloseUnit(ctx, rotOffice, planning.ID, isms.UnitClosure{ValidTo: rotAt("2027-03-31"), Version: planning.Version}); err != nil {
		t.Fatal(err)
	}
	if err := tw.db.EndAssignment(ctx, rotOffice, tw.yamadaISM.ID, rotDay("2026-12-31"), 0); err != nil {
		t.Fatal(err)
	}

	r = tw.find(t, r.ID)
	_, err = tw.db.ApplyRotation(ctx, rotOffice, r.ID, r.Version)
	re, ok := errors.AsType[*isms.RotationError](err)
	if !ok || isms.ErrorCode(err) != isms.EINVALID {
		t.Fatalf("apply: %v", err)
	}
	var got []isms.RotationLineError
	for _, l := range re.Lines {
		got = append(got, isms.RotationLineError{No: l.No, Key: l.Key})
	}
	want := []isms.RotationLineError{{No: 1, Key: "rotation.error.unit_closed"}, {No: 3, Key: "rotation.error.already_ended"}}
	if !slices.Equal(got, want) {
		t.Errorf("line errors %v, want %v", got, want)
	}

	// 佐藤's valid move was not applied either.
	if u := tw.unitOn(t, tw.sato, "2027-04-01"); u != "住民生活課" {
		t.Errorf("佐藤 on 1 April in %s", u)
	}
	if postings, _ := tw.db.FindPostings(ctx, tw.sato.ID); len(postings) != 1 {
		t.Errorf("佐藤's postings: %+v", postings)
	}
	after := tw.find(t, r.ID)
	if after.Status != isms.RotationDraft || after.Version != r.Version || tw.auditCount(t, "person.move") != 0 {
		t.Errorf("after a refused application: %+v", after)
	}

	// Deleting the bad lines makes the rest applicable.
	for _, l := range []isms.RotationLine{r.Lines[0], r.Lines[2]} {
		if err := tw.db.DeleteRotationLine(ctx, rotOffice, r.ID, l.ID); err != nil {
			t.Fatal(err)
		}
	}
	r = tw.find(t, r.ID)
	if _, err := tw.db.ApplyRotation(ctx, rotOffice, r.ID, r.Version); err != nil {
		t.Fatalf("apply after fixing: %v", err)
	}
	if u := tw.unitOn(t, tw.sato, "2027-04-01"); u != "税務課" {
		t.Errorf("佐藤 on 1 April in %s", u)
	}
}

// Lines are checked as they are added, with the error beside the field of the line form.
func TestRotationLineValidation(t *testing.T) {
	ctx := context.Background()
	tw := newRotTown(t)
	closed, err := tw.db.CreateUnit(ctx, rotOffice, isms.UnitInput{Code: "190", Name: "旧企画課", Type: isms.UnitSection,
		InScope: true, ValidFrom: rotAt("2020-04-01")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.CloseUnit(ctx, rotOffice, closed.ID, isms.UnitClosure{ValidTo: rotAt("2026-03-31"), Version: closed.Version}); err != nil {
		t.Fatal(err)
	}
	// An assignment that starts on the rotation's date cannot be ended the day before.
	late, err := tw.db.CreateAssignment(ctx, rotOffice, isms.AssignmentInput{PersonID: tw.sato.ID, RoleCode: isms.RoleCodeAuditor,
		UnitID: tw.life.ID, ValidFrom: rotAt("2027-04-01")})
	if err != nil {
		t.Fatal(err)
	}
	r := tw.rotation(t, "令和9年4月1日付 人事異動", "2027-04-01")
	tw.addLine(t, r, isms.RotationLine{Kind: isms.LineMove, PersonID: tw.yamada.ID, UnitID: tw.general.ID})
	tw.addLine(t, r, isms.RotationLine{Kind: isms.LineEndRole, AssignmentID: tw.yamadaISM.ID})
	tw.addLine(t, r, isms.RotationLine{Kind: isms.LineStartRole, PersonID: tw.sato.ID, RoleCode: isms.RoleCodeISM, UnitID: tw.tax.ID})

	for _, c := range []struct {
		name  string
		line  isms.RotationLine
		field string
		key   string
	}{
		{"move without unit", isms.RotationLine{Kind: isms.LineMove, PersonID: tw.sato.ID}, "unit_id", "validation.choose"},
		{"move to a closed unit", isms.RotationLine{Kind: isms.LineMove, PersonID: tw.sato.ID, UnitID: closed.ID}, "unit_id", "rotation.error.unit_closed"},
		{"move to the same unit", isms.RotationLine{Kind: isms.LineMove, PersonID: tw.sato.ID, UnitID: tw.life.ID}, "unit_id", "rotation.error.same_unit"},
		{"second move of one person", isms.RotationLine{Kind: isms.LineMove, PersonID: tw.yamada.ID, UnitID: tw.life.ID}, "person_id", "rotation.error.duplicate_move"},
		{"end without assignment", isms.RotationLine{Kind: isms.LineEndRole, PersonID: tw.yamada.ID}, "assignment_id", "validation.choose"},
		{"end of another's assignment", isms.RotationLine{Kind: isms.LineEndRole, PersonID: tw.sato.ID, AssignmentID: tw.yamadaISM.ID}, "assignment_id", "validation.choose"},
		{"end of one not yet held", isms.RotationLine{Kind: isms.LineEndRole, AssignmentID: late.ID}, "assignment_id", "rotation.error.not_held"},
		{"second end", isms.RotationLine{Kind: isms.LineEndRole, AssignmentID: tw.yamadaISM.ID}, "assignment_id", "rotation.error.duplicate_end"},
		{"unit role without unit", isms.RotationLine{Kind: isms.LineStartRole, PersonID: tw.sato.ID, RoleCode: isms.RoleCodeISM}, "unit_id", "rotation.error.unit_required"},
		{"town role with unit", isms.RotationLine{Kind: isms.LineStartRole, PersonID: tw.sato.ID, RoleCode: isms.RoleCodeCISO, UnitID: tw.tax.ID}, "unit_id", "rotation.error.town_role"},
		{"unknown role", isms.RotationLine{Kind: isms.LineStartRole, PersonID: tw.sato.ID, RoleCode: "NOPE"}, "role_code", "validation.choose"},
		{"second start", isms.RotationLine{Kind: isms.LineStartRole, PersonID: tw.sato.ID, RoleCode: isms.RoleCodeISM, UnitID: tw.tax.ID}, "role_code", "rotation.error.duplicate_start"},
		{"role already held", isms.RotationLine{Kind: isms.LineStartRole, PersonID: tw.sato.ID, RoleCode: isms.RoleCodeAuditor, UnitID: tw.life.ID}, "role_code", "rotation.error.already_holds"},
		{"no kind", isms.RotationLine{PersonID: tw.sato.ID}, "kind", "validation.choose"},
	} {
		_, err := tw.db.AddRotationLine(ctx, rotOffice, r.ID, c.line)
		if fe := rotFields(err); fe[c.field] != c.key {
			t.Errorf("%s: %v %v, want %s: %s", c.name, err, fe, c.field, c.key)
		}
	}
	// A role held is not refused when the rotation ends it.
	tw.addLine(t, r, isms.RotationLine{Kind: isms.LineStartRole, PersonID: tw.yamada.ID, RoleCode: isms.RoleCodeISM, UnitID: tw.tax.ID})
	if n := len(tw.find(t, r.ID).Lines); n != 4 {
		t.Errorf("%d lines after refusals, want 4", n)
	}
}

// The heading is edited with optimistic locking; a sheet changed since it was loaded is not
// applied; drafts can be deleted; only those who keep the organisation may do any of it.
func TestRotationVersionsAndPermissions(t *testing.T) {
	ctx := context.Background()
	tw := newRotTown(t)
	older := tw.rotation(t, "令和8年10月1日付 人事異動", "2026-10-01")
	r := tw.rotation(t, "令和9年4月1日付 人事異動", "2027-04-01")

	list, err := tw.db.FindRotations(ctx, rotOffice)
	if err != nil || len(list) != 2 || list[0].ID != r.ID || list[1].ID != older.ID {
		t.Errorf("rotations newest first: %+v %v", list, err)
	}
	if _, err := tw.db.CreateRotation(ctx, rotOffice, isms.RotationInput{Title: " "}); rotFields(err)["title"] != "validation.required" || rotFields(err)["effective_date"] != "validation.required" {
		t.Errorf("empty heading: %v", err)
	}

	updated, err := tw.db.UpdateRotation(ctx, rotOffice, r.ID, isms.RotationInput{Title: "令和9年4月1日付 定期人事異動", EffectiveDate: rotAt("2027-04-01"), Version: r.Version})
	if err != nil || updated.Title != "令和9年4月1日付 定期人事異動" {
		t.Fatalf("update: %+v %v", updated, err)
	}
	if _, err := tw.db.UpdateRotation(ctx, rotOffice, r.ID, isms.RotationInput{Title: "古い画面から", EffectiveDate: rotAt("2027-04-01"), Version: r.Version}); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale update: %v", err)
	}
	// Adding a line changes the sheet: an application from the sheet loaded before is a conflict.
	tw.addLine(t, r, isms.RotationLine{Kind: isms.LineMove, PersonID: tw.sato.ID, UnitID: tw.tax.ID})
	if _, err := tw.db.ApplyRotation(ctx, rotOffice, r.ID, updated.Version); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale apply: %v", err)
	}
	if u := tw.unitOn(t, tw.sato, "2027-04-01"); u != "住民生活課" {
		t.Errorf("stale apply moved 佐藤 to %s", u)
	}
	// An empty sheet is not applied.
	if _, err := tw.db.ApplyRotation(ctx, rotOffice, older.ID, older.Version); !isRotationError(err, "rotation.error.empty") {
		t.Errorf("empty rotation: %v", err)
	}

	staff := isms.Actor{UserID: 99, Label: "staff", Role: isms.RoleStaff}
	auditor := isms.Actor{UserID: 98, Label: "auditor", Role: isms.RoleAuditor}
	for _, a := range []isms.Actor{staff, auditor} {
		calls := map[string]func() error{
			"find":   func() error { _, err := tw.db.FindRotation(ctx, a, r.ID); return err },
			"list":   func() error { _, err := tw.db.FindRotations(ctx, a); return err },
			"people": func() error { _, err := tw.db.FindRotationPeople(ctx, a, rotDay("2027-04-01")); return err },
			"create": func() error {
				_, err := tw.db.CreateRotation(ctx, a, isms.RotationInput{Title: "x", EffectiveDate: rotAt("2027-04-01")})
				return err
			},
			"add": func() error {
				_, err := tw.db.AddRotationLine(ctx, a, r.ID, isms.RotationLine{Kind: isms.LineMove, PersonID: tw.yamada.ID, UnitID: tw.general.ID})
				return err
			},
			"apply":  func() error { _, err := tw.db.ApplyRotation(ctx, a, r.ID, 99); return err },
			"delete": func() error { return tw.db.DeleteRotation(ctx, a, older.ID, older.Version) },
		}
		for name, call := range calls {
			if err := call(); isms.ErrorCode(err) != isms.EFORBIDDEN {
				t.Errorf("%s as %s: %v", name, a.Role, err)
			}
		}
	}

	if err := tw.db.DeleteRotation(ctx, rotOffice, older.ID, older.Version+1); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale delete: %v", err)
	}
	if err := tw.db.DeleteRotation(ctx, rotOffice, older.ID, older.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.FindRotation(ctx, rotOffice, older.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("deleted rotation: %v", err)
	}
	for _, action := range []string{"rotation.create", "rotation.update", "rotation.add_line", "rotation.delete"} {
		if tw.auditCount(t, action) == 0 {
			t.Errorf("no %s event", action)
		}
	}
}

func isRotationError(err error, key string) bool {
	re, ok := errors.AsType[*isms.RotationError](err)
	return ok && slices.ContainsFunc(re.Lines, func(l isms.RotationLineError) bool { return l.Key == key })
}
