//go:build bench

package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// TestBenchTrainingStatus times who is due at the scale of a large town: 50,000 people in 300
// units (some moved during the year, some retired, some hired this year, a few thousand holding
// security roles, contractors' staff, units keeping マイナンバー利用事務系 systems) and 200,000
// attendance records over three fiscal years (the all-staff course, phishing drills with their
// clicks and the follow-ups, role courses, new-hire and contractor courses). It prints
// training_status_p95_ms, the completion of the current fiscal year per unit and course for the
// whole town as the security office reads it (FindTrainingStatus); target ≤ 100 ms. It also
// prints training_status_unit_p95_ms, one unit's figures (its page), and
// training_due_unit_p95_ms, one unit's 未受講者 list.
func TestBenchTrainingStatus(t *testing.T) {
	ctx := context.Background()
	people := envInt("ISMS_BENCH_TRAINING_PEOPLE", 50_000)
	attendances := envInt("ISMS_BENCH_TRAINING_ATTENDANCES", 200_000)
	iterations := envInt("ISMS_BENCH_ITERATIONS", 200)
	serverURL := benchServer(t)
	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	const name = "isms_bench_training" // made again on every run, in seconds
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		t.Fatal(err)
	}
	dbURL, err := postgres.WithDatabase(serverURL, name)
	if err != nil {
		t.Fatal(err)
	}
	db := createBenchDatabase(t, conn, dbURL, name)
	defer db.Close()

	today := isms.Day(time.Now())
	fy := isms.FiscalYearOf(today)
	began := time.Now()
	town := loadTrainingTown(t, db, today, people, attendances)
	progress("training: %d people in %d units, %d role assignments, %d sessions, %d attendances loaded in %.1f s",
		people, town.units, town.roles, town.sessions, attendances, time.Since(began).Seconds())

	office := isms.Actor{UserID: 1, Label: "bench.office", Role: isms.RoleSecurityOffice, AllUnits: true, Today: today}
	status, err := db.FindTrainingStatus(ctx, office, fy, 0)
	if err != nil {
		t.Fatal(err)
	}
	total := status.Total()
	progress("training: %d units, %d courses; %d required, %d completed, %d overdue", len(status.Units), len(status.Courses),
		total.Required, total.Completed, total.Overdue)
	if len(status.Units) != town.units || total.Required < people {
		t.Fatalf("status covers %d units and %d requirements", len(status.Units), total.Required)
	}
	unit := status.Units[len(status.Units)/2].UnitID

	measure := func(what string, fn func() error) float64 {
		warm := max(iterations/10, 5)
		times := make([]time.Duration, 0, iterations)
		for i := 0; len(times) < iterations; i++ {
			start := time.Now()
			if err := fn(); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if d := time.Since(start); i >= warm {
				times = append(times, d)
			}
		}
		return p95(times)
	}
	whole := measure("status", func() error {
		_, err := db.FindTrainingStatus(ctx, office, fy, 0)
		return err
	})
	oneUnit := measure("unit status", func() error {
		_, err := db.FindTrainingStatus(ctx, office, fy, unit)
		return err
	})
	due := measure("due", func() error {
		_, _, err := db.FindTrainingDue(ctx, office, fy, unit, true)
		return err
	})
	report("training_status_p95_ms", whole)
	report("training_status_unit_p95_ms", oneUnit)
	report("training_due_unit_p95_ms", due)
	verdict := "met"
	if whole > 100 {
		verdict = "NOT met"
	}
	progress("targets: training status p95 ≤ 100 ms %s", verdict)
}

// benchTrainingTown is what loadTrainingTown made.
type benchTrainingTown struct {
	units, roles, sessions int
}

// loadTrainingTown fills an empty database with COPY: units, people with their postings, role
// assignments, systems, the sessions of three fiscal years and exactly attendances attendance
// records.
func loadTrainingTown(t *testing.T, db *postgres.DB, today time.Time, people, attendances int) benchTrainingTown {
	ctx := context.Background()
	conn, err := db.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	r := rand.New(rand.NewPCG(7, 11))
	fy := isms.FiscalYearOf(today)
	start, _ := isms.FiscalYearBounds(fy)
	copyRows := func(table string, cols []string, rows [][]any) {
		if _, err := conn.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
			t.Fatalf("copy %s: %v", table, err)
		}
	}
	ids := func(sql string) []int64 {
		rows, err := conn.Query(ctx, sql)
		if err != nil {
			t.Fatal(err)
		}
		list, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	long := time.Date(2000, 4, 1, 0, 0, 0, 0, time.UTC)
	day := func(from time.Time, days int) time.Time { return from.AddDate(0, 0, days) }

	const nUnits = 300
	var rows [][]any
	for i := range nUnits {
		rows = append(rows, []any{fmt.Sprintf("U%03d", i), fmt.Sprintf("課%03d", i), "section", long})
	}
	copyRows("units", []string{"code", "name", "unit_type", "valid_from"}, rows)
	units := ids(`SELECT id FROM units ORDER BY code`)

	// People: mostly regular staff in service for years; some fiscal-year appointees and
	// temporary staff, 3 % contractors' staff, 3 % hired this year, 2 % retired before today.
	type person struct {
		from time.Time
		to   *time.Time
		unit int64
	}
	ps := make([]person, people)
	rows = rows[:0]
	sinceStart := int(today.Sub(start).Hours() / 24)
	for i := range ps {
		p := person{from: day(long, r.IntN(9000)), unit: units[i%nUnits]}
		kind := "regular"
		switch x := r.IntN(100); {
		case x < 6:
			kind = "fiscal_year"
		case x < 7:
			kind = "temporary"
		case x < 10:
			kind = "contractor"
		}
		switch x := r.IntN(100); {
		case x < 3:
			p.from = day(start, r.IntN(sinceStart+1))
		case x < 5:
			end := day(start, r.IntN(sinceStart+1)-1)
			if end.After(p.from) {
				p.to = &end
			}
		}
		ps[i] = p
		rows = append(rows, []any{fmt.Sprintf("E%06d", i), fmt.Sprintf("職員 %06d", i), fmt.Sprintf("ショクイン %06d", i), kind, p.from, p.to})
	}
	copyRows("people", []string{"employee_no", "name", "name_kana", "employment_type", "valid_from", "valid_to"}, rows)
	pids := ids(`SELECT id FROM people ORDER BY employee_no`)

	// Postings: 5 % moved to another unit during this year.
	rows = rows[:0]
	for i, p := range ps {
		move := day(start, 1+r.IntN(sinceStart+1))
		if r.IntN(100) < 5 && move.After(p.from) && (p.to == nil || p.to.After(move)) {
			before := day(move, -1)
			rows = append(rows, []any{pids[i], units[(i+7)%nUnits], p.from, before}, []any{pids[i], p.unit, move, p.to})
			continue
		}
		rows = append(rows, []any{pids[i], p.unit, p.from, p.to})
	}
	copyRows("postings", []string{"person_id", "unit_id", "valid_from", "valid_to"}, rows)

	// Roles: a 管理者 per unit, system administrators and operators, the CSIRT.
	rows = rows[:0]
	for i, u := range units {
		rows = append(rows, []any{pids[i], "ISM_SECTION", &u, long})
		for j := range 6 {
			role := "SYS_OPERATOR"
			if j == 0 {
				role = "SYS_ADMIN"
			}
			rows = append(rows, []any{pids[nUnits+i*6+j], role, &u, long})
		}
	}
	for i := range 40 {
		role := "CSIRT_MEMBER"
		if i == 0 {
			role = "CSIRT_LEAD"
		}
		rows = append(rows, []any{pids[people-1-i], role, (*int64)(nil), long})
	}
	nRoles := len(rows)
	copyRows("role_assignments", []string{"person_id", "role_code", "unit_id", "valid_from"}, rows)

	// Systems of the マイナンバー利用事務系 in 20 units.
	rows = rows[:0]
	for i := range 20 {
		rows = append(rows, []any{fmt.Sprintf("S%03d", i), fmt.Sprintf("システム%03d", i), units[i*15], "MYNUMBER", "onpremises"})
	}
	copyRows("systems", []string{"code", "name", "unit_id", "zone", "hosting"}, rows)

	// Sessions of three fiscal years: the all-staff course monthly, two phishing drills, the
	// others a few times.
	type session struct {
		ID     int64
		Course string
		Held   time.Time
	}
	rows = rows[:0]
	plan := map[string]int{"GEN_ANNUAL": 12, "PHISHING_DRILL": 2, "PHISHING_FOLLOWUP": 3, "NEW_HIRE": 4, "MANAGER": 2,
		"SYSADMIN": 2, "CSIRT": 1, "IR_DRILL": 1, "MYNUMBER": 2, "CONTRACTOR": 4}
	for y := fy - 2; y <= fy; y++ {
		s, _ := isms.FiscalYearBounds(y)
		for course, n := range plan {
			for k := range n {
				rows = append(rows, []any{course, course + " " + strconv.Itoa(y) + "-" + strconv.Itoa(k+1), day(s, 20+k*(330/n)), "elearning"})
			}
		}
	}
	copyRows("training_sessions", []string{"course_code", "title", "held_on", "method"}, rows)
	srows, err := conn.Query(ctx, `SELECT id, course_code, held_on FROM training_sessions ORDER BY held_on, id`)
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := pgx.CollectRows(srows, pgx.RowToStructByPos[session])
	if err != nil {
		t.Fatal(err)
	}
	byYearCourse := map[string][]session{}
	for _, s := range sessions {
		k := strconv.Itoa(isms.FiscalYearOf(s.Held)) + s.Course
		byYearCourse[k] = append(byYearCourse[k], s)
	}

	// Attendances, newest year first until the count is reached: each person in the drill and
	// (80 %) the all-staff course, the clickers in a follow-up, the role holders and the new
	// hires in theirs.
	rows = rows[:0]
	seen := map[[2]int64]bool{}
	add := func(s session, person int64, completed, opened, clicked, reported bool) {
		if len(rows) >= attendances || seen[[2]int64{s.ID, person}] {
			return
		}
		seen[[2]int64{s.ID, person}] = true
		var on *time.Time
		var score *int
		if completed {
			d := s.Held.AddDate(0, 0, r.IntN(5))
			on = &d
			sc := 60 + r.IntN(41)
			score = &sc
		}
		rows = append(rows, []any{s.ID, person, completed, on, score, opened, clicked, reported})
	}
	pick := func(list []session) session { return list[r.IntN(len(list))] }
	for y := fy; y >= fy-2 && len(rows) < attendances; y-- {
		of := func(course string) []session { return byYearCourse[strconv.Itoa(y)+course] }
		for i := range ps {
			if r.IntN(100) < 80 {
				add(pick(of("GEN_ANNUAL")), pids[i], true, false, false, false)
			}
		}
		for i := range ps {
			opened, clicked := r.IntN(100) < 30, r.IntN(100) < 8
			add(pick(of("PHISHING_DRILL")), pids[i], true, opened || clicked, clicked, r.IntN(100) < 20)
			if clicked && r.IntN(100) < 70 {
				add(pick(of("PHISHING_FOLLOWUP")), pids[i], true, false, false, false)
			}
		}
		for i := range nUnits * 7 {
			add(pick(of("MANAGER")), pids[i], r.IntN(100) < 85, false, false, false)
			add(pick(of("SYSADMIN")), pids[i], r.IntN(100) < 85, false, false, false)
		}
		for i, p := range ps {
			if p.from.After(day(start, -365*(fy-y))) {
				add(pick(of("NEW_HIRE")), pids[i], true, false, false, false)
			}
		}
	}
	if len(rows) < attendances {
		t.Fatalf("generated %d attendances of %d", len(rows), attendances)
	}
	// COPY fires the statement triggers that keep the summary who is due reads
	// (training_person_years), as the portal's roster saves and imports do.
	copyRows("attendances", []string{"session_id", "person_id", "completed", "completed_on", "score", "opened", "clicked", "reported"}, rows)
	var summarised int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM training_person_years WHERE fiscal_year = $1`, fy).Scan(&summarised); err != nil || summarised == 0 {
		t.Fatalf("the summary holds %d people for FY%d after the load (%v)", summarised, fy, err)
	}
	if _, err := conn.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		t.Fatal(err)
	}
	return benchTrainingTown{units: nUnits, roles: nRoles, sessions: len(sessions)}
}
