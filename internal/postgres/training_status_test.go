package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
)

// dueTown is a town for the who-is-due rules: 総務課 and 住民課, and 税務課, which keeps a system
// in the マイナンバー利用事務系. Sessions and attendances are written as the training pages would
// store them, with SQL, so that the rules are tested on the tables alone.
type dueTown struct {
	db                   *postgres.DB
	general, life, taxes isms.Unit
}

func newDueTown(t *testing.T) dueTown {
	t.Helper()
	tw := dueTown{db: pgtest.Open(t)}
	mk := func(code, name string) isms.Unit {
		u, err := tw.db.CreateUnit(context.Background(), office, isms.UnitInput{Code: code, Name: name, Type: isms.UnitSection,
			InScope: true, ValidFrom: at("2020-04-01")})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	tw.general, tw.life, tw.taxes = mk("100", "総務課"), mk("200", "住民課"), mk("300", "税務課")
	tw.exec(t, `INSERT INTO systems (code, name, unit_id, zone, hosting) VALUES ('S-1', '税務システム', $1, 'MYNUMBER', 'onpremises')`,
		tw.taxes.ID)
	return tw
}

func (tw dueTown) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := tw.db.Pool().Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

// person registers someone in service from..to ("" open), posted to unit throughout.
func (tw dueTown) person(t *testing.T, name string, kind isms.EmploymentType, from, to string, unit isms.Unit) isms.Person {
	t.Helper()
	in := isms.PersonInput{EmployeeNo: "E-" + name, Name: name, Employment: kind, ValidFrom: at(from), UnitID: unit.ID}
	if to != "" {
		in.ValidTo = at(to)
	}
	p, err := tw.db.CreatePerson(context.Background(), office, in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// session records a session of the course held on the day.
func (tw dueTown) session(t *testing.T, course, held string) int64 {
	t.Helper()
	var id int64
	if err := tw.db.Pool().QueryRow(context.Background(), `INSERT INTO training_sessions (course_code, title, held_on, method)
		VALUES ($1, $2, $3, 'classroom') RETURNING id`, course, course+" "+held, day(held)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// completed records that the person completed the session on the day.
func (tw dueTown) completed(t *testing.T, session int64, p isms.Person, on string) {
	t.Helper()
	tw.exec(t, `INSERT INTO attendances (session_id, person_id, completed, completed_on, score) VALUES ($1, $2, true, $3, 80)`,
		session, p.ID, day(on))
}

// target records a person as a target of a drill session, who took part, with what they did
// with the mail.
func (tw dueTown) target(t *testing.T, session int64, p isms.Person, opened, clicked, reported bool) {
	t.Helper()
	tw.exec(t, `INSERT INTO attendances (session_id, person_id, completed, completed_on, opened, clicked, reported)
		SELECT $1, $2, true, held_on, $3, $4, $5 FROM training_sessions WHERE id = $1`, session, p.ID, opened, clicked, reported)
}

// judge is the security office on the day.
func judge(on string) isms.Actor {
	return isms.Actor{UserID: 1, Label: "office", Role: isms.RoleSecurityOffice, AllUnits: true, Today: day(on)}
}

// standing is every person × course line of fiscal year fy as the office reads it on the day:
// "name course" → status and deadline.
func (tw dueTown) standing(t *testing.T, fy int, on string) map[string]isms.PersonDue {
	t.Helper()
	list, more, err := tw.db.FindTrainingDue(context.Background(), judge(on), fy, 0, false)
	if err != nil || more {
		t.Fatalf("due list: %v (more %v)", err, more)
	}
	m := map[string]isms.PersonDue{}
	for _, d := range list {
		m[d.Name+" "+d.CourseCode] = d
	}
	return m
}

// wantStatus checks the status of each "name course" line; "-" means the person need not take it.
func wantStatus(t *testing.T, m map[string]isms.PersonDue, want map[string]string) {
	t.Helper()
	for k, w := range want {
		d, ok := m[k]
		switch {
		case w == "-" && ok:
			t.Errorf("%s: required (%s), want not required", k, d.Status)
		case w != "-" && !ok:
			t.Errorf("%s: not required, want %s", k, w)
		case ok && string(d.Status) != w:
			t.Errorf("%s: %s, want %s", k, d.Status, w)
		}
	}
}

// The fiscal year runs from 4月1日 to 3月31日: a completion on 3月31日 counts for the year ending
// then, one on 4月1日 for the next. A past year is judged at its end, so the person who missed it
// is overdue there.
func TestTrainingFiscalYearBoundaries(t *testing.T) {
	tw := newDueTown(t)
	march := tw.person(t, "三月", isms.EmploymentRegular, "2020-04-01", "", tw.general)
	april := tw.person(t, "四月", isms.EmploymentRegular, "2020-04-01", "", tw.general)
	s1 := tw.session(t, "GEN_ANNUAL", "2027-03-31")
	s2 := tw.session(t, "GEN_ANNUAL", "2027-04-01")
	tw.completed(t, s1, march, "2027-03-31")
	tw.completed(t, s2, april, "2027-04-01")

	wantStatus(t, tw.standing(t, 2026, "2027-04-10"), map[string]string{
		"三月 GEN_ANNUAL": "completed", "四月 GEN_ANNUAL": "overdue"})
	wantStatus(t, tw.standing(t, 2027, "2027-04-10"), map[string]string{
		"三月 GEN_ANNUAL": "due", "四月 GEN_ANNUAL": "completed"})
	// During the year, nobody is overdue on a yearly course: there is time until 3月31日.
	wantStatus(t, tw.standing(t, 2026, "2027-03-30"), map[string]string{"四月 GEN_ANNUAL": "due"})

	m := tw.standing(t, 2026, "2027-04-10")
	if d := m["三月 GEN_ANNUAL"]; d.CompletedOn == nil || !d.CompletedOn.Equal(day("2027-03-31")) || !d.DueOn.Equal(day("2027-03-31")) {
		t.Errorf("completed line: completed %v, due %v", d.CompletedOn, d.DueOn)
	}
}

// New hires must take the new-hire course within 30 days of joining. Someone who joined in
// March and whose 30 days end in April is still due when the year is judged at its end; someone
// who joined in May and let the 30 days pass is overdue; the course is not asked of those who
// joined in an earlier year.
func TestTrainingNewHires(t *testing.T) {
	tw := newDueTown(t)
	tw.person(t, "三月採用", isms.EmploymentRegular, "2027-03-20", "", tw.general)
	tw.person(t, "五月採用", isms.EmploymentRegular, "2026-05-01", "", tw.general)
	punctual := tw.person(t, "六月採用", isms.EmploymentFiscalYear, "2026-06-01", "", tw.life)
	tw.person(t, "古参", isms.EmploymentRegular, "2020-04-01", "", tw.general)
	tw.completed(t, tw.session(t, "NEW_HIRE", "2026-06-15"), punctual, "2026-06-15")

	m := tw.standing(t, 2026, "2027-05-10")
	wantStatus(t, m, map[string]string{
		"三月採用 NEW_HIRE": "due", "五月採用 NEW_HIRE": "overdue", "六月採用 NEW_HIRE": "completed", "古参 NEW_HIRE": "-",
		// 会計年度任用職員 take the all-staff course too.
		"六月採用 GEN_ANNUAL": "overdue"})
	if d := m["三月採用 NEW_HIRE"]; d.DueOn == nil || !d.DueOn.Equal(day("2027-04-19")) {
		t.Errorf("March hire due on %v, want 2027-04-19", d.DueOn)
	}
	// In the next year the March hire is no longer a new hire.
	wantStatus(t, tw.standing(t, 2027, "2027-05-10"), map[string]string{"三月採用 NEW_HIRE": "-"})
}

// A person moved during the year counts in the unit they are in on the day judged, with what
// they completed before the move; a person who left before that day is not counted at all (but
// is in the year they served to its end).
func TestTrainingMovedAndRetired(t *testing.T) {
	tw := newDueTown(t)
	ctx := context.Background()
	moved := tw.person(t, "異動", isms.EmploymentRegular, "2020-04-01", "", tw.general)
	tw.person(t, "退職", isms.EmploymentRegular, "2020-04-01", "2026-09-30", tw.general)
	tw.person(t, "在籍", isms.EmploymentRegular, "2020-04-01", "", tw.general)
	tw.completed(t, tw.session(t, "GEN_ANNUAL", "2026-05-10"), moved, "2026-05-10")
	if err := tw.db.MovePerson(ctx, office, moved.ID, tw.life.ID, day("2026-10-01")); err != nil {
		t.Fatal(err)
	}

	st, err := tw.db.FindTrainingStatus(ctx, judge("2026-11-25"), 2026, 0)
	if err != nil {
		t.Fatal(err)
	}
	gen := func(s isms.TrainingStatus, u isms.Unit) isms.CourseTally {
		ut, _ := s.Unit(u.ID)
		for _, c := range ut.Courses {
			if c.Code == "GEN_ANNUAL" {
				return c
			}
		}
		return isms.CourseTally{}
	}
	if g := gen(st, tw.general); g.Required != 1 || g.Completed != 0 {
		t.Errorf("総務課 on 11/25: %+v, want only 在籍 required", g)
	}
	if l := gen(st, tw.life); l.Required != 1 || l.Completed != 1 {
		t.Errorf("住民課 on 11/25: %+v, want 異動 required and completed", l)
	}
	wantStatus(t, tw.standing(t, 2026, "2026-11-25"), map[string]string{"退職 GEN_ANNUAL": "-", "異動 GEN_ANNUAL": "completed"})
	if d := tw.standing(t, 2026, "2026-11-25")["異動 GEN_ANNUAL"]; d.UnitID != tw.life.ID {
		t.Errorf("異動 listed in unit %d, want 住民課", d.UnitID)
	}
	// The year before, judged at its end, had the retired person in service and 異動 in 総務課.
	last, err := tw.db.FindTrainingStatus(ctx, judge("2026-11-25"), 2025, 0)
	if err != nil {
		t.Fatal(err)
	}
	if g := gen(last, tw.general); g.Required != 3 || g.Completed != 0 || g.Overdue != 3 {
		t.Errorf("総務課 in 2025: %+v, want 3 required, all overdue", g)
	}
}

// Contractors' staff take the contractor course once in their contract, not the all-staff
// course; a completion under an earlier contract does not count for a new one.
func TestTrainingContractors(t *testing.T) {
	tw := newDueTown(t)
	long := tw.person(t, "委託一", isms.EmploymentContractor, "2025-10-01", "2027-09-30", tw.general)
	renewed := tw.person(t, "委託二", isms.EmploymentContractor, "2026-04-01", "", tw.general)
	s := tw.session(t, "CONTRACTOR", "2025-10-05")
	tw.completed(t, s, long, "2025-10-05")
	tw.completed(t, tw.session(t, "CONTRACTOR", "2025-01-10"), renewed, "2025-01-10")

	m := tw.standing(t, 2026, "2026-11-25")
	wantStatus(t, m, map[string]string{
		"委託一 CONTRACTOR": "completed", "委託二 CONTRACTOR": "due", "委託一 GEN_ANNUAL": "-", "委託二 PHISHING_DRILL": "-"})
	if d := m["委託一 CONTRACTOR"]; d.DueOn == nil || !d.DueOn.Equal(day("2027-09-30")) || !d.CompletedOn.Equal(day("2025-10-05")) {
		t.Errorf("委託一: due %v, completed %v", d.DueOn, d.CompletedOn)
	}
	// A past year is judged at its end: the contractor who never took it is overdue there.
	wantStatus(t, tw.standing(t, 2026, "2027-04-10"), map[string]string{"委託二 CONTRACTOR": "overdue"})
}

// A target who clicked in a phishing drill must take the follow-up within 30 days of the drill:
// done after the drill it is completed; not done past the 30 days it is overdue; those who did
// not click are not asked. Taking part in the drill completes the drill itself.
func TestTrainingPhishingFollowUp(t *testing.T) {
	tw := newDueTown(t)
	ctx := context.Background()
	learned := tw.person(t, "再教育済", isms.EmploymentRegular, "2020-04-01", "", tw.general)
	late := tw.person(t, "未受講", isms.EmploymentRegular, "2020-04-01", "", tw.life)
	careful := tw.person(t, "通報", isms.EmploymentRegular, "2020-04-01", "", tw.life)
	drill := tw.session(t, "PHISHING_DRILL", "2026-06-10")
	tw.target(t, drill, learned, true, true, false)
	tw.target(t, drill, late, true, true, false)
	tw.target(t, drill, careful, true, false, true)
	// A follow-up taken before the drill does not count for it.
	followBefore := tw.session(t, "PHISHING_FOLLOWUP", "2026-05-01")
	tw.completed(t, followBefore, late, "2026-05-01")
	tw.completed(t, tw.session(t, "PHISHING_FOLLOWUP", "2026-06-20"), learned, "2026-06-20")

	m := tw.standing(t, 2026, "2026-11-25")
	wantStatus(t, m, map[string]string{
		"再教育済 PHISHING_FOLLOWUP": "completed", "未受講 PHISHING_FOLLOWUP": "overdue", "通報 PHISHING_FOLLOWUP": "-",
		"通報 PHISHING_DRILL": "completed", "未受講 PHISHING_DRILL": "completed"})
	if d := m["未受講 PHISHING_FOLLOWUP"]; d.DueOn == nil || !d.DueOn.Equal(day("2026-07-10")) {
		t.Errorf("follow-up due on %v, want 2026-07-10", d.DueOn)
	}
	// Before the 30 days have passed, the follow-up is due.
	wantStatus(t, tw.standing(t, 2026, "2026-07-01"), map[string]string{"未受講 PHISHING_FOLLOWUP": "due"})

	results, err := tw.db.FindDrillResults(ctx, judge("2026-11-25"), 2026)
	if err != nil || len(results) != 1 {
		t.Fatalf("drill results: %v, %+v", err, results)
	}
	r := results[0]
	if r.Total.Targets != 3 || r.Total.Opened != 3 || r.Total.Clicked != 2 || r.Total.Reported != 1 || len(r.Units) != 2 {
		t.Errorf("drill totals %+v over %d units", r.Total, len(r.Units))
	}
	for _, u := range r.Units {
		if u.UnitID == tw.life.ID && (u.Targets != 2 || u.Clicked != 1 || u.Reported != 1) {
			t.Errorf("住民課 in the drill: %+v", u)
		}
	}
}

// Role courses follow the security roles held on the day; the My Number course the staff of
// units keeping a マイナンバー利用事務系 system.
func TestTrainingRolesAndMyNumberZone(t *testing.T) {
	tw := newDueTown(t)
	admin := tw.person(t, "管理者", isms.EmploymentRegular, "2020-04-01", "", tw.general)
	tw.person(t, "税務", isms.EmploymentRegular, "2020-04-01", "", tw.taxes)
	ended := tw.person(t, "元担当", isms.EmploymentRegular, "2020-04-01", "", tw.general)
	for _, a := range []isms.AssignmentInput{
		{PersonID: admin.ID, RoleCode: "SYS_ADMIN", UnitID: tw.general.ID, ValidFrom: at("2021-04-01")},
		{PersonID: ended.ID, RoleCode: "SYS_OPERATOR", UnitID: tw.general.ID, ValidFrom: at("2021-04-01"), ValidTo: at("2026-06-30")},
	} {
		if _, err := tw.db.CreateAssignment(context.Background(), office, a); err != nil {
			t.Fatal(err)
		}
	}
	wantStatus(t, tw.standing(t, 2026, "2026-11-25"), map[string]string{
		"管理者 SYSADMIN": "due", "元担当 SYSADMIN": "-", "税務 SYSADMIN": "-",
		"税務 MYNUMBER": "due", "管理者 MYNUMBER": "-"})
}

// The tallies per unit are the lines of the list counted: every line of every status.
func TestTrainingStatusCountsTheList(t *testing.T) {
	tw := newDueTown(t)
	ctx := context.Background()
	var people []isms.Person
	units := []isms.Unit{tw.general, tw.life, tw.taxes}
	for i := range 12 {
		kind := isms.EmploymentRegular
		if i%5 == 4 {
			kind = isms.EmploymentContractor
		}
		from := "2020-04-01"
		if i%4 == 3 {
			from = fmt.Sprintf("2026-%02d-01", 4+i%6)
		}
		people = append(people, tw.person(t, fmt.Sprintf("職員%02d", i), kind, from, "", units[i%3]))
	}
	gen, drill, follow := tw.session(t, "GEN_ANNUAL", "2026-06-01"), tw.session(t, "PHISHING_DRILL", "2026-07-01"),
		tw.session(t, "PHISHING_FOLLOWUP", "2026-07-20")
	for i, p := range people {
		if i%2 == 0 {
			tw.completed(t, gen, p, "2026-06-01")
		}
		if p.Employment != isms.EmploymentContractor {
			tw.target(t, drill, p, i%3 == 0, i%3 == 0, i%4 == 0)
		}
		if i%6 == 0 {
			tw.completed(t, follow, p, "2026-07-20")
		}
	}
	on := "2026-11-25"
	st, err := tw.db.FindTrainingStatus(ctx, judge(on), 2026, 0)
	if err != nil {
		t.Fatal(err)
	}
	list, _, err := tw.db.FindTrainingDue(ctx, judge(on), 2026, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	counted := map[string]isms.CourseTally{}
	for _, d := range list {
		k := fmt.Sprintf("%d %s", d.UnitID, d.CourseCode)
		c := counted[k]
		c.Required++
		if d.Status == isms.TrainingCompleted {
			c.Completed++
		}
		if d.Status == isms.TrainingOverdue {
			c.Overdue++
		}
		counted[k] = c
	}
	total := 0
	for _, u := range st.Units {
		for _, c := range u.Courses {
			got := counted[fmt.Sprintf("%d %s", u.UnitID, c.Code)]
			if got.Required != c.Required || got.Completed != c.Completed || got.Overdue != c.Overdue {
				t.Errorf("unit %s %s: tally %+v, list %+v", u.UnitName, c.Code, c, got)
			}
			total += c.Required
		}
	}
	if total != len(list) || total == 0 {
		t.Errorf("tallies count %d lines, the list has %d", total, len(list))
	}
	open, _, err := tw.db.FindTrainingDue(ctx, judge(on), 2026, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(list) - st.Total().Completed; len(open) != want {
		t.Errorf("open lines %d, want %d", len(open), want)
	}
}

// Who sees what: the office everything; a 管理者 the status and the names of their unit (names
// of another unit: not found); staff the figures of their own unit and their own record only.
func TestTrainingScope(t *testing.T) {
	tw := newDueTown(t)
	ctx := context.Background()
	actor := func(login string, p isms.Person) isms.Actor {
		u, err := tw.db.CreateUser(ctx, office, isms.UserInput{LoginID: login, Name: p.Name, Lang: "ja", DateStyle: "seireki",
			Role: isms.RoleStaff, UnitID: p.UnitID}, "not-a-real-hash")
		if err != nil {
			t.Fatal(err)
		}
		if err := tw.db.LinkPersonUser(ctx, office, p.ID, u.ID, p.Version); err != nil {
			t.Fatal(err)
		}
		a, err := tw.db.FindActor(ctx, u.ID, 1, day("2026-11-25").Add(3*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	manager := tw.person(t, "課長", isms.EmploymentRegular, "2020-04-01", "", tw.general)
	staff := tw.person(t, "係員", isms.EmploymentRegular, "2020-04-01", "", tw.general)
	other := tw.person(t, "他課", isms.EmploymentRegular, "2020-04-01", "", tw.life)
	if _, err := tw.db.CreateAssignment(ctx, office, isms.AssignmentInput{PersonID: manager.ID, RoleCode: isms.RoleCodeISM,
		UnitID: tw.general.ID, ValidFrom: at("2020-04-01")}); err != nil {
		t.Fatal(err)
	}
	mgr, me := actor("kacho", manager), actor("kakariin", staff)

	st, err := tw.db.FindTrainingStatus(ctx, mgr, 2026, 0)
	if err != nil || len(st.Units) != 1 || st.Units[0].UnitID != tw.general.ID {
		t.Errorf("管理者's status: %v, %+v", err, st.Units)
	}
	list, _, err := tw.db.FindTrainingDue(ctx, mgr, 2026, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range list {
		if d.UnitID != tw.general.ID {
			t.Errorf("管理者 lists %s of unit %d", d.Name, d.UnitID)
		}
	}
	if _, _, err := tw.db.FindTrainingDue(ctx, mgr, 2026, tw.life.ID, true); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("管理者 listing another unit: %v, want not found", err)
	}
	if _, err := tw.db.FindPersonTraining(ctx, mgr, staff.ID, 2026); err != nil {
		t.Errorf("管理者 reading their staff's record: %v", err)
	}
	if _, err := tw.db.FindPersonTraining(ctx, mgr, other.ID, 2026); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("管理者 reading another unit's person: %v, want not found", err)
	}

	st, err = tw.db.FindTrainingStatus(ctx, me, 2026, 0)
	if err != nil || len(st.Units) != 1 || st.Units[0].UnitID != tw.general.ID {
		t.Errorf("staff's status: %v, %+v", err, st.Units)
	}
	if _, _, err := tw.db.FindTrainingDue(ctx, me, 2026, 0, true); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff listing names: %v, want forbidden", err)
	}
	if _, _, err := tw.db.FindTrainingDue(ctx, me, 2026, tw.general.ID, true); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff listing their own unit: %v, want forbidden", err)
	}
	if _, err := tw.db.FindTrainingStatus(ctx, me, 2026, tw.life.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("staff reading another unit's figures: %v, want not found", err)
	}
	own, err := tw.db.FindPersonTraining(ctx, me, staff.ID, 2026)
	if err != nil || own.Person.ID != staff.ID || len(own.Required) == 0 {
		t.Errorf("own record: %v, %+v", err, own)
	}
	if _, err := tw.db.FindPersonTraining(ctx, me, manager.ID, 2026); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("staff reading their manager's record: %v, want not found", err)
	}
}

// A person's record lists what they must take and every session they attended, newest first.
func TestPersonTrainingRecord(t *testing.T) {
	tw := newDueTown(t)
	p := tw.person(t, "記録", isms.EmploymentRegular, "2020-04-01", "", tw.taxes)
	tw.completed(t, tw.session(t, "GEN_ANNUAL", "2025-06-01"), p, "2025-06-01")
	tw.completed(t, tw.session(t, "MYNUMBER", "2026-08-01"), p, "2026-08-03")
	rec, err := tw.db.FindPersonTraining(context.Background(), judge("2026-11-25"), p.ID, 2026)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, d := range rec.Required {
		lines = append(lines, d.CourseCode+" "+string(d.Status))
	}
	if want := "[GEN_ANNUAL due PHISHING_DRILL due MYNUMBER completed]"; fmt.Sprint(lines) != want {
		t.Errorf("required %v, want %s", lines, want)
	}
	if len(rec.Attendances) != 2 || rec.Attendances[0].CourseCode != "MYNUMBER" || *rec.Attendances[0].Score != 80 {
		t.Errorf("history %+v", rec.Attendances)
	}
}

// The summary who is due reads (what each person's completions meet per fiscal year, and the
// drills they clicked) is kept by the database itself: every way the portal writes attendance
// shows at once in the status and the lists, as the rules say. A roster saved and a person
// unticked; a session moved from 3月31日 to 4月1日 and back, its completions with it; an
// attendance list imported; a drill's click moving the follow-up to the year the drill is moved
// to; sessions deleted with their attendance; a new hire who completes their course in the next
// year, which the summary of the year they joined does not hold.
func TestTrainingStatusFollowsEveryWrite(t *testing.T) {
	ctx := context.Background()
	tw := newTrainingTown(t)
	// completed is, for fiscal year fy as the office reads it on 2026-11-25, the number of people
	// of 税務課 who completed the all-staff course in the status, checked against the names the
	// list gives as completed; followUp those who must take the phishing follow-up.
	completed := func(t *testing.T, fy int) (n int, names []string) {
		t.Helper()
		st, err := tw.db.FindTrainingStatus(ctx, tw.office, fy, 0)
		if err != nil {
			t.Fatal(err)
		}
		if u, ok := st.Unit(tw.tax.ID); ok {
			for _, c := range u.Courses {
				if c.Code == "GEN_ANNUAL" {
					n = c.Completed
				}
			}
		}
		list, _, err := tw.db.FindTrainingDue(ctx, tw.office, fy, tw.tax.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range list {
			if d.CourseCode == "GEN_ANNUAL" && d.Status == isms.TrainingCompleted {
				names = append(names, d.Name)
			}
		}
		if n != len(names) {
			t.Errorf("FY%d: the status counts %d completed, the list names %v", fy, n, names)
		}
		return n, names
	}
	followUp := func(t *testing.T, fy int) []string {
		t.Helper()
		list, _, err := tw.db.FindTrainingDue(ctx, tw.office, fy, tw.tax.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, d := range list {
			if d.CourseCode == "PHISHING_FOLLOWUP" {
				names = append(names, d.Name+":"+string(d.Status))
			}
		}
		return names
	}
	want := func(t *testing.T, what string, fy int, names ...string) {
		t.Helper()
		if n, got := completed(t, fy); n != len(names) || !slices.Equal(got, names) {
			t.Errorf("%s: FY%d completed %d %v, want %v", what, fy, n, got, names)
		}
	}

	deleteSession := func(t *testing.T, id int64) {
		t.Helper()
		if _, err := tw.db.Pool().Exec(ctx, `DELETE FROM training_sessions WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
	}

	s := tw.session(t, "GEN_ANNUAL", "2027-03-31", false)
	if _, err := tw.db.SaveRoster(ctx, tw.office, s.ID, tw.tax.ID, []isms.RosterEntry{
		{PersonID: tw.aoki.ID, Completed: true}, {PersonID: tw.baba.ID, Completed: true}}); err != nil {
		t.Fatal(err)
	}
	want(t, "roster saved", 2026, "青木 一郎", "馬場 花子")
	want(t, "roster saved", 2027)

	if _, err := tw.db.SaveRoster(ctx, tw.office, s.ID, tw.tax.ID, []isms.RosterEntry{{PersonID: tw.baba.ID}}); err != nil {
		t.Fatal(err)
	}
	want(t, "馬場 unticked", 2026, "青木 一郎")

	move := func(t *testing.T, id int64, held string) {
		t.Helper()
		cur, err := tw.db.FindSession(ctx, tw.office, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tw.db.UpdateSession(ctx, tw.office, id, isms.SessionInput{CourseCode: cur.CourseCode, HeldOn: at(held),
			Method: cur.Method, Version: cur.Version}); err != nil {
			t.Fatal(err)
		}
	}
	move(t, s.ID, "2027-04-01")
	want(t, "moved to 4月1日", 2026)
	want(t, "moved to 4月1日", 2027, "青木 一郎")
	move(t, s.ID, "2027-03-31")
	want(t, "moved back to 3月31日", 2026, "青木 一郎")
	want(t, "moved back to 3月31日", 2027)

	july := tw.session(t, "GEN_ANNUAL", "2026-07-01", false)
	imp := postgres.AttendanceImport{ID: startAttendanceImport(t, tw, july.ID), SessionID: july.ID, Rows: []postgres.AttendanceImportRow{
		{Row: 2, PersonID: tw.chiba.ID, Completed: true, CompletedOn: at("2026-07-03")},
		{Row: 3, PersonID: tw.baba.ID, Completed: true}}}
	if n, bad, err := tw.db.ImportAttendance(ctx, tw.office, imp); err != nil || len(bad) > 0 || n != 2 {
		t.Fatalf("import: %d %v %v", n, bad, err)
	}
	want(t, "list imported", 2026, "青木 一郎", "千葉 次郎", "馬場 花子")

	// A session with attendance is a record and the portal keeps it; the database, asked to
	// delete it, takes its attendance and what it completed with it.
	if err := tw.db.DeleteSession(ctx, tw.office, july.ID, july.Version); fieldErrors(err)["session"] != "training_session.error.has_attendance" {
		t.Errorf("deleting a session with attendance: %v", err)
	}
	want(t, "deletion refused", 2026, "青木 一郎", "千葉 次郎", "馬場 花子")
	deleteSession(t, july.ID)
	want(t, "session deleted", 2026, "青木 一郎")

	// 千葉 clicked in the drill of 2027-03-25: the follow-up is due in that year, and moving the
	// drill to the next year moves it there.
	drill := tw.session(t, "PHISHING_DRILL", "2027-03-25", false)
	if _, err := tw.db.SaveDrillResults(ctx, tw.office, drill.ID, tw.tax.ID, []isms.DrillEntry{
		{PersonID: tw.chiba.ID, Target: true, Opened: true, Clicked: true}, {PersonID: tw.aoki.ID, Target: true}}); err != nil {
		t.Fatal(err)
	}
	if got := followUp(t, 2026); !slices.Equal(got, []string{"千葉 次郎:due"}) {
		t.Errorf("after the drill: FY2026 follow-up %v", got)
	}
	move(t, drill.ID, "2027-04-02")
	if got, next := followUp(t, 2026), followUp(t, 2027); len(got) != 0 || !slices.Equal(next, []string{"千葉 次郎:due"}) {
		t.Errorf("drill moved to 4月: follow-up FY2026 %v, FY2027 %v", got, next)
	}
	deleteSession(t, drill.ID)
	if got := followUp(t, 2027); len(got) != 0 {
		t.Errorf("drill deleted: follow-up FY2027 %v", got)
	}

	// Someone who joined on 2027-03-20 and took the new-hire course on 2027-04-05 completed
	// nothing within the year they joined, yet met its new-hire course.
	newcomer, err := tw.db.CreatePerson(ctx, tw.office, isms.PersonInput{EmployeeNo: "T010", Name: "新人 五郎",
		NameKana: "シンジン ゴロウ", Employment: isms.EmploymentRegular, ValidFrom: at("2027-03-20"), UnitID: tw.tax.ID})
	if err != nil {
		t.Fatal(err)
	}
	intro := tw.session(t, "NEW_HIRE", "2027-04-05", false)
	if _, err := tw.db.SaveRoster(ctx, tw.office, intro.ID, tw.tax.ID, []isms.RosterEntry{{PersonID: newcomer.ID, Completed: true}}); err != nil {
		t.Fatal(err)
	}
	late := tw.office
	late.Today = day("2027-04-10")
	st, err := tw.db.FindTrainingStatus(ctx, late, 2026, tw.tax.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := st.Tally("NEW_HIRE"); c.Required != 1 || c.Completed != 1 || c.Overdue != 0 {
		t.Errorf("FY2026 new-hire course: %+v, want the newcomer completed", c)
	}
}
