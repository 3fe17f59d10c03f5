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

var office = isms.SystemActor("test")

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func at(s string) *time.Time {
	d := day(s)
	return &d
}

// fieldErrors returns the field errors of a refused input, or nil.
func fieldErrors(err error) isms.FieldErrors {
	if ve, ok := errors.AsType[*isms.ValidationError](err); ok {
		return ve.Fields
	}
	return nil
}

// town is a small organisation: 町長部局 › 総務部 › {税務課 › 住民税係, 総務課}, and 住民生活課 under 町長部局.
type town struct {
	db                                      *postgres.DB
	exec, dept, tax, taxTeam, general, life isms.Unit
}

func newTown(t *testing.T) *town {
	t.Helper()
	tw := &town{db: pgtest.Open(t)}
	tw.exec = tw.unit(t, "100", "町長部局", isms.UnitExecutive, 0)
	tw.dept = tw.unit(t, "110", "総務部", isms.UnitDepartment, tw.exec.ID)
	tw.tax = tw.unit(t, "111", "税務課", isms.UnitSection, tw.dept.ID)
	tw.taxTeam = tw.unit(t, "1111", "住民税係", isms.UnitTeam, tw.tax.ID)
	tw.general = tw.unit(t, "112", "総務課", isms.UnitSection, tw.dept.ID)
	tw.life = tw.unit(t, "120", "住民生活課", isms.UnitSection, tw.exec.ID)
	return tw
}

func (tw *town) unit(t *testing.T, code, name string, typ isms.UnitType, parent int64) isms.Unit {
	t.Helper()
	u, err := tw.db.CreateUnit(context.Background(), office, isms.UnitInput{
		Code: code, Name: name, Type: typ, ParentID: parent, InScope: true, ValidFrom: at("2020-04-01")})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// person registers someone posted to unit with a staff account linked to them, and returns the
// person and the account's id.
func (tw *town) person(t *testing.T, login, name string, unit isms.Unit) (isms.Person, int64) {
	t.Helper()
	ctx := context.Background()
	u, err := tw.db.CreateUser(ctx, office, isms.UserInput{LoginID: login, Name: name, Lang: "ja", DateStyle: "seireki",
		Role: isms.RoleStaff, UnitID: unit.ID}, "not-a-real-hash")
	if err != nil {
		t.Fatal(err)
	}
	p, err := tw.db.CreatePerson(ctx, office, isms.PersonInput{Name: name, Employment: isms.EmploymentRegular,
		ValidFrom: at("2020-04-01"), UnitID: unit.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.db.LinkPersonUser(ctx, office, p.ID, u.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	return p, u.ID
}

func (tw *town) assign(t *testing.T, p isms.Person, role isms.SecurityRoleCode, unit int64, from string, to *time.Time) isms.Assignment {
	t.Helper()
	a, err := tw.db.CreateAssignment(context.Background(), office, isms.AssignmentInput{
		PersonID: p.ID, RoleCode: role, UnitID: unit, ValidFrom: at(from), ValidTo: to})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (tw *town) scope(t *testing.T, userID int64, on string) isms.Actor {
	t.Helper()
	a, err := tw.db.FindActor(context.Background(), userID, 1, day(on).Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Each role's scope: staff their own unit; a 管理者 their 課 and its 係; a 責任者 the whole 部局;
// the CISO and 統括 every unit; roles that grant nothing add nothing.
func TestScopeFollowsTheOrganisation(t *testing.T) {
	tw := newTown(t)
	staff, staffUser := tw.person(t, "staff", "職員 一郎", tw.tax)
	manager, managerUser := tw.person(t, "manager", "管理 花子", tw.general)
	officer, officerUser := tw.person(t, "officer", "責任 次郎", tw.general)
	ciso, cisoUser := tw.person(t, "ciso", "副町長 三郎", tw.exec)
	csirt, csirtUser := tw.person(t, "csirt", "対応 四郎", tw.life)
	tw.assign(t, manager, isms.RoleCodeISM, tw.tax.ID, "2026-04-01", nil)
	tw.assign(t, officer, isms.RoleCodeISO, tw.dept.ID, "2026-04-01", nil)
	tw.assign(t, ciso, isms.RoleCodeCISO, 0, "2026-04-01", nil)
	tw.assign(t, csirt, "CSIRT_MEMBER", 0, "2026-04-01", nil)
	_ = staff

	for _, tc := range []struct {
		who  string
		user int64
		sees []int64
		all  bool
	}{
		{"staff", staffUser, []int64{tw.tax.ID}, false},
		{"管理者 of 税務課", managerUser, []int64{tw.tax.ID, tw.taxTeam.ID, tw.general.ID}, false},
		{"責任者 of 総務部", officerUser, []int64{tw.dept.ID, tw.tax.ID, tw.taxTeam.ID, tw.general.ID}, false},
		{"CISO", cisoUser, nil, true},
		{"CSIRT member", csirtUser, []int64{tw.life.ID}, false},
	} {
		a := tw.scope(t, tc.user, "2026-11-25")
		if a.AllUnits != tc.all || !tc.all && !sameIDs(a.UnitIDs, tc.sees) {
			t.Errorf("%s: all=%v units=%v, want all=%v units=%v", tc.who, a.AllUnits, a.UnitIDs, tc.all, tc.sees)
		}
	}
	if got := tw.scope(t, managerUser, "2026-11-25").ManagedUnitIDs; !sameIDs(got, []int64{tw.tax.ID, tw.taxTeam.ID}) {
		t.Errorf("管理者 of 税務課 manages %v", got)
	}
	if got := tw.scope(t, staffUser, "2026-11-25").ManagedUnitIDs; len(got) != 0 {
		t.Errorf("staff manage %v", got)
	}
	// Before the assignments began, the 管理者 saw only their own unit.
	if a := tw.scope(t, managerUser, "2026-03-31"); !sameIDs(a.UnitIDs, []int64{tw.general.ID}) {
		t.Errorf("管理者 before the assignment: %v", a.UnitIDs)
	}
	// The 管理者 of 税務課 gets 住民生活課 as not found.
	actor := tw.scope(t, managerUser, "2026-11-25")
	if _, err := tw.db.FindUnit(context.Background(), actor, tw.life.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("管理者 of 税務課 finding 住民生活課: %v", err)
	}
	if _, err := tw.db.FindUnit(context.Background(), actor, tw.taxTeam.ID); err != nil {
		t.Errorf("管理者 of 税務課 finding its 係: %v", err)
	}
}

// A person's move and an assignment's end take effect on their dates, and the history stays.
func TestMovesAndAssignmentsByDate(t *testing.T) {
	ctx := context.Background()
	tw := newTown(t)
	p, user := tw.person(t, "tanaka", "田中 一郎", tw.tax)
	a := tw.assign(t, p, isms.RoleCodeISM, tw.tax.ID, "2024-04-01", nil)
	if err := tw.db.MovePerson(ctx, office, p.ID, tw.life.ID, day("2027-04-01")); err != nil {
		t.Fatal(err)
	}
	if err := tw.db.EndAssignment(ctx, office, a.ID, day("2027-03-31"), a.Version); err != nil {
		t.Fatal(err)
	}
	if got := tw.scope(t, user, "2027-03-31"); got.UnitID != tw.tax.ID || !sameIDs(got.UnitIDs, []int64{tw.tax.ID, tw.taxTeam.ID}) {
		t.Errorf("the day before: unit %d, scope %v", got.UnitID, got.UnitIDs)
	}
	if got := tw.scope(t, user, "2027-04-01"); got.UnitID != tw.life.ID || !sameIDs(got.UnitIDs, []int64{tw.life.ID}) {
		t.Errorf("on the day: unit %d, scope %v", got.UnitID, got.UnitIDs)
	}
	postings, err := tw.db.FindPostings(ctx, p.ID)
	if err != nil || len(postings) != 2 || postings[1].UnitID != tw.tax.ID || postings[1].To == nil ||
		!postings[1].To.Equal(day("2027-03-31")) || postings[0].To != nil {
		t.Errorf("postings: %+v, %v", postings, err)
	}
	held, _ := tw.db.FindAssignments(ctx, isms.AssignmentFilter{Day: day("2027-04-01"), PersonID: p.ID})
	past, _ := tw.db.FindAssignments(ctx, isms.AssignmentFilter{PersonID: p.ID})
	if len(held) != 0 || len(past) != 1 || !past[0].Contains(day("2027-03-31")) {
		t.Errorf("assignments on the day: %d, in history: %+v", len(held), past)
	}
	// A move into the past of an existing posting is refused, and so is a closed unit.
	if err := tw.db.MovePerson(ctx, office, p.ID, tw.general.ID, day("2026-04-01")); isms.ErrorCode(err) != isms.EINVALID {
		t.Errorf("move before the last posting: %v", err)
	}
}

// A per-unit role needs a unit, a town-wide one refuses one, and the person must be in service.
func TestAssignmentValidation(t *testing.T) {
	tw := newTown(t)
	p, _ := tw.person(t, "tanaka", "田中 一郎", tw.tax)
	for _, tc := range []struct {
		in    isms.AssignmentInput
		field string
	}{
		{isms.AssignmentInput{PersonID: p.ID, RoleCode: isms.RoleCodeISM, ValidFrom: at("2026-04-01")}, "unit_id"},
		{isms.AssignmentInput{PersonID: p.ID, RoleCode: isms.RoleCodeCISO, UnitID: tw.tax.ID, ValidFrom: at("2026-04-01")}, "unit_id"},
		{isms.AssignmentInput{PersonID: p.ID, RoleCode: "KING", ValidFrom: at("2026-04-01")}, "role_code"},
		{isms.AssignmentInput{PersonID: p.ID, RoleCode: isms.RoleCodeCISO, ValidFrom: at("2019-04-01")}, "person_id"},
		{isms.AssignmentInput{PersonID: p.ID, RoleCode: isms.RoleCodeCISO, ValidFrom: at("2026-04-01"), ValidTo: at("2026-03-31")}, "valid_to"},
	} {
		_, err := tw.db.CreateAssignment(context.Background(), office, tc.in)
		if fieldErrors(err)[tc.field] == "" {
			t.Errorf("%+v: %v, want an error on %s", tc.in, err, tc.field)
		}
	}
}

// The warnings point at the gaps of the day, and go when the gaps are filled.
func TestOrganisationWarnings(t *testing.T) {
	ctx := context.Background()
	tw := newTown(t)
	kinds := func(on string) []string {
		t.Helper()
		ws, err := tw.db.FindWarnings(ctx, day(on))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, w := range ws {
			out = append(out, string(w.Kind)+":"+w.UnitName+":"+w.PersonName)
		}
		return out
	}
	want := []string{"no_ciso::", "no_deputy::", "no_manager:税務課:", "no_manager:総務課:", "no_manager:住民生活課:"}
	if got := kinds("2026-11-25"); !slices.Equal(got, want) {
		t.Errorf("empty town: %q, want %q", got, want)
	}
	ciso, _ := tw.person(t, "ciso", "副町長 三郎", tw.exec)
	deputy, _ := tw.person(t, "deputy", "総務 課長", tw.general)
	kato, _ := tw.person(t, "kato", "加藤 花子", tw.tax)
	tw.assign(t, ciso, isms.RoleCodeCISO, 0, "2026-04-01", nil)
	tw.assign(t, deputy, isms.RoleCodeDeputyCISO, 0, "2026-04-01", nil)
	tw.assign(t, deputy, isms.RoleCodeISM, tw.general.ID, "2026-04-01", nil)
	tw.assign(t, deputy, isms.RoleCodeISM, tw.life.ID, "2026-04-01", at("2026-09-30"))
	tw.assign(t, kato, isms.RoleCodeISM, tw.tax.ID, "2026-04-01", nil)
	tw.assign(t, kato, isms.RoleCodeAuditor, tw.tax.ID, "2026-04-01", nil)
	want = []string{"no_manager:住民生活課:", "audits_own_unit:税務課:加藤 花子"}
	if got := kinds("2026-11-25"); !slices.Equal(got, want) {
		t.Errorf("after assigning: %q, want %q", got, want)
	}
	// On 2026-09-30 住民生活課 still had its 管理者.
	if got := kinds("2026-09-30"); slices.Contains(got, "no_manager:住民生活課:") {
		t.Errorf("on 2026-09-30: %q", got)
	}
}

// A unit closed into a successor hands its records on: the successor's 管理者 sees it.
func TestClosedUnitSeenBySuccessor(t *testing.T) {
	ctx := context.Background()
	tw := newTown(t)
	manager, user := tw.person(t, "manager", "管理 花子", tw.life)
	tw.assign(t, manager, isms.RoleCodeISM, tw.life.ID, "2026-04-01", nil)
	old := tw.unit(t, "130", "町民課", isms.UnitSection, tw.exec.ID)
	if _, err := tw.db.CloseUnit(ctx, office, old.ID, isms.UnitClosure{ValidTo: at("2026-03-31"), SuccessorID: tw.life.ID, Version: old.Version}); err != nil {
		t.Fatal(err)
	}
	if a := tw.scope(t, user, "2026-11-25"); !a.Sees(old.ID) {
		t.Errorf("the successor's 管理者 does not see the closed unit: %v", a.UnitIDs)
	}
	// A unit with people still posted past the day cannot close.
	_, err := tw.db.CloseUnit(ctx, office, tw.life.ID, isms.UnitClosure{ValidTo: at("2026-12-31"), Version: tw.life.Version})
	if fieldErrors(err)["valid_to"] != "unit.error.still_posted" {
		t.Errorf("closing a unit with people: %v", err)
	}
}

func sameIDs(got, want []int64) bool {
	got, want = slices.Clone(got), slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	return slices.Equal(got, want)
}
