package demo_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/demo"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var office = isms.SystemActor("test")

// state is what a load leaves behind, to compare before and after a refused second load.
type state struct {
	units, people, assignments int
	events                     int64
}

func snapshot(t *testing.T, db *postgres.DB, day time.Time) state {
	t.Helper()
	ctx := context.Background()
	units, err := db.FindUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, people, _, err := db.FindPeople(ctx, office, isms.PersonFilter{Day: day, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	assignments, err := db.FindAssignments(ctx, isms.AssignmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	check, err := db.VerifyAudit(ctx)
	if err != nil || check.BrokenID != 0 {
		t.Fatalf("audit trail: %+v %v", check, err)
	}
	return state{len(units), people, len(assignments), check.Events}
}

func TestSeedFillsTheDemoTown(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	today := time.Now()
	day := isms.Day(today)
	before := snapshot(t, db, today)

	s, err := demo.Seed(ctx, db, today)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %d units, %d people, %d assignments in %v", s.Units, s.People, s.Assignments, s.Took)
	after := snapshot(t, db, today)
	if after.units != s.Units || after.people != s.People || after.assignments != s.Assignments {
		t.Errorf("summary %+v, database %+v", s, after)
	}
	// Every row came through a store, with its audit-trail event (the training plan, the session
	// and each unit's roster one each; the basic policy six: the document, its draft, submission,
	// approval and publication, and the version staff confirm).
	if got, want := after.events-before.events, int64(s.Units+s.People+s.Assignments+1+6+s.Sessions+s.Rosters); got != want {
		t.Errorf("%d audit events for %d rows", got, want)
	}
	// The all-staff course of June was held, and two in three of the staff attended it.
	if s.Sessions != 1 || s.Rosters < 20 {
		t.Errorf("%d sessions, %d rosters; want the June session with the rosters of the units", s.Sessions, s.Rosters)
	}
	status, err := db.FindTrainingStatus(ctx, office, isms.FiscalYearOf(day), 0)
	if err != nil {
		t.Fatal(err)
	}
	var required, completed int
	for _, u := range status.Units {
		for _, c := range u.Courses {
			if c.Code == "GEN_ANNUAL" {
				required, completed = required+c.Required, completed+c.Completed
			}
		}
	}
	if required == 0 || completed*3 < required*6/10 || completed*3 > required*2+3*len(status.Units) {
		t.Errorf("GEN_ANNUAL: %d of %d completed; want about two in three", completed, required)
	}

	// The nine scope units of the basic policy §4(1), in its order, with their 課.
	units, err := db.FindUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var roots []string
	byName := map[string]isms.Unit{}
	for _, u := range units {
		if u.ParentID == 0 {
			roots = append(roots, u.Name)
		}
		byName[u.Name] = u
		if strings.Contains(u.Name, "南部") {
			t.Errorf("unit %q names the real town", u.Name)
		}
		if !u.From.Equal(time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)) || u.To != nil {
			t.Errorf("%s exists %v–%v, want from 2020-04-01", u.Name, u.From, u.To)
		}
	}
	wantRoots := []string{"町長部局", "教育委員会", "議会", "選挙管理委員会", "監査委員", "農業委員会",
		"固定資産評価審査委員会", "地方公営企業", "出先機関"}
	if !slices.Equal(roots, wantRoots) {
		t.Errorf("scope units %v, want %v", roots, wantRoots)
	}
	for _, name := range []string{"総務課", "企画財政課", "税務課", "住民生活課", "健康福祉課", "農林課", "建設課", "教育委員会事務局", "情報政策係"} {
		if _, ok := byName[name]; !ok {
			t.Errorf("no %s", name)
		}
	}
	if school, ok := byName["みどり小学校"]; !ok || school.Type != isms.UnitSchool || school.InScope {
		t.Errorf("the out-of-scope school: %+v", school)
	}

	// About 150 people, mostly regular staff, with every kind of employment among them.
	if s.People < 150 {
		t.Errorf("%d people, want at least 150", s.People)
	}
	counts := map[isms.EmploymentType]int{}
	for _, e := range isms.EmploymentTypes {
		_, n, _, err := db.FindPeople(ctx, office, isms.PersonFilter{Day: today, Employment: e, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		counts[e] = n
	}
	if counts[isms.EmploymentRegular]*2 <= s.People || counts[isms.EmploymentFiscalYear] == 0 ||
		counts[isms.EmploymentTemporary] == 0 || counts[isms.EmploymentContractor] == 0 {
		t.Errorf("employment mix %v", counts)
	}
	page, _, _, err := db.FindPeople(ctx, office, isms.PersonFilter{Day: today, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	names, mails := map[string]bool{}, map[string]bool{}
	for _, p := range page {
		if names[p.Name] || mails[p.Email] {
			t.Errorf("%s %s appears twice", p.Name, p.Email)
		}
		names[p.Name], mails[p.Email] = true, true
		if p.NameKana == "" || p.EmployeeNo == "" || p.Phone == "" || p.UnitID == 0 ||
			!strings.HasSuffix(p.Email, ".example") {
			t.Errorf("incomplete or real-looking person: %+v", p)
		}
	}

	// Every one of the guideline's roles is held today, each from this fiscal year's 1 April.
	fyStart := time.Date(day.Year(), time.April, 1, 0, 0, 0, 0, time.UTC)
	if day.Month() < time.April {
		fyStart = fyStart.AddDate(-1, 0, 0)
	}
	roles, err := db.FindSecurityRoles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	held, err := db.FindAssignments(ctx, isms.AssignmentFilter{Day: today})
	if err != nil {
		t.Fatal(err)
	}
	holders := map[isms.SecurityRoleCode][]isms.Assignment{}
	for _, a := range held {
		holders[a.RoleCode] = append(holders[a.RoleCode], a)
		if !a.From.Equal(fyStart) {
			t.Errorf("%s of %s from %v, want %v", a.RoleCode, a.PersonName, a.From, fyStart)
		}
	}
	if len(roles) != 15 {
		t.Errorf("%d security roles", len(roles))
	}
	for _, r := range roles {
		if len(holders[r.Code]) == 0 {
			t.Errorf("nobody holds %s (%s)", r.Code, r.NameJa)
		}
	}
	if c, d := holders[isms.RoleCodeCISO], holders[isms.RoleCodeDeputyCISO]; len(c) != 1 || len(d) != 1 || c[0].PersonID == d[0].PersonID {
		t.Errorf("CISO %v, 統括 %v: want one each, two people", c, d)
	}
	var isoUnits []string
	for _, a := range holders[isms.RoleCodeISO] {
		isoUnits = append(isoUnits, a.UnitName)
	}
	slices.Sort(isoUnits)
	sortedRoots := slices.Sorted(slices.Values(wantRoots))
	if !slices.Equal(isoUnits, sortedRoots) {
		t.Errorf("情報セキュリティ責任者 for %v, want one per scope unit", isoUnits)
	}

	// The warnings are the two left on purpose, and only those.
	var got []string
	for _, w := range s.Warnings {
		got = append(got, string(w.Kind)+" "+w.UnitName)
	}
	if want := []string{"no_manager 商工観光課", "audits_own_unit 建設課"}; !slices.Equal(got, want) {
		t.Errorf("warnings %v, want %v", got, want)
	}
	if len(s.Warnings) == 2 && s.Warnings[1].PersonName == "" {
		t.Error("the warning does not name the 管理者 who audits their own 課")
	}

	// A second load is refused and changes nothing.
	if _, err := demo.Seed(ctx, db, today); !errors.Is(err, demo.ErrNotEmpty) {
		t.Errorf("second load: %v", err)
	}
	if again := snapshot(t, db, today); again != after {
		t.Errorf("the refused load changed %+v into %+v", after, again)
	}
}

// Loaded between January and March, the roles start on the previous 1 April, and 臨時職員 engaged
// for the second half-year are in service.
func TestSeedInTheLastQuarterOfTheFiscalYear(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	today := time.Date(2027, time.February, 10, 9, 0, 0, 0, time.FixedZone("JST", 9*3600))
	s, err := demo.Seed(ctx, db, today)
	if err != nil {
		t.Fatal(err)
	}
	_, people, _, err := db.FindPeople(ctx, office, isms.PersonFilter{Day: today, Limit: 1})
	if err != nil || people != s.People {
		t.Errorf("%d of %d people in service on the day of the load (%v)", people, s.People, err)
	}
	held, err := db.FindAssignments(ctx, isms.AssignmentFilter{Day: today})
	if err != nil || len(held) != s.Assignments || held[0].From.Format(time.DateOnly) != "2026-04-01" {
		t.Errorf("assignments %d of %d, %v", len(held), s.Assignments, err)
	}
	if len(s.Warnings) != 2 {
		t.Errorf("warnings %v", s.Warnings)
	}
	// On 1 April the fiscal-year staff's appointments have ended until the next rotation.
	_, later, _, _ := db.FindPeople(ctx, office, isms.PersonFilter{Day: time.Date(2027, 4, 1, 12, 0, 0, 0, time.UTC), Limit: 1})
	if later >= people {
		t.Errorf("%d people still in service after the fiscal year", later)
	}
}

// A load into an organisation that has any unit of its own is refused before it writes anything.
func TestSeedRefusesAnOrganisation(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	from := time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.CreateUnit(ctx, office, isms.UnitInput{Code: "100", Name: "総務課", Type: isms.UnitSection,
		InScope: true, ValidFrom: &from}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, db, time.Now())
	if _, err := demo.Seed(ctx, db, time.Now()); !errors.Is(err, demo.ErrNotEmpty) || isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("load into a real organisation: %v", err)
	}
	if after := snapshot(t, db, time.Now()); after != before {
		t.Errorf("%+v became %+v", before, after)
	}
}
