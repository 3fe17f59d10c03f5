package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// Who is due: the requirement rules of isms/training_status.go computed in SQL, for the status of
// a fiscal year per unit and course, the 未受講者 lists, a person's own record, and the results of
// the year's drills.
//
// Scope. Completion figures are counts without names: they follow the units the reader sees
// (every unit for the security office, the CISO and auditors; a 管理者 or 責任者 the units under
// them; staff their own unit, as its page shows them). Lists naming people are for those who see
// every unit and for 管理者 and 責任者 in the units they manage; a person always reads their own
// record.

// trainingDueLimit caps a 未受講者 list: beyond it the reader narrows it to a unit.
const trainingDueLimit = 2000

// trainingMaxCourses is how many active courses the statements follow at once: each person's
// courses are a bigint mask, one bit per active course in catalogue order (training_course_bits).
const trainingMaxCourses = 64

// errTooManyCourses refuses a catalogue with more active courses than the masks hold.
func errTooManyCourses() error {
	return isms.Errorf(isms.EINVALID, "more than %d active courses", trainingMaxCourses)
}

// trainingQuery collects the arguments of one training statement as it is built.
type trainingQuery struct {
	args []any
	// The fiscal year, its first and last day, the day it is judged on and whether it is over,
	// as placeholders.
	fy, s, e, d, past string
}

func newTrainingQuery(fy int, today time.Time) *trainingQuery {
	q := &trainingQuery{}
	start, end := isms.FiscalYearBounds(fy)
	q.s, q.e, q.d = q.arg(start)+"::date", q.arg(end)+"::date", q.arg(isms.TrainingDay(fy, today))+"::date"
	q.past = q.arg(isms.Day(today).After(end))
	q.fy = q.arg(fy)
	return q
}

func (q *trainingQuery) arg(v any) string {
	q.args = append(q.args, v)
	return fmt.Sprintf("$%d", len(q.args))
}

// window is the condition that attendance a completes course requirement req for a person who
// serves from vf to vt and last clicked in a drill on drillOn: within the year for yearly
// courses, on or after the drill for follow-ups, within the service for per-contract courses,
// on or after joining for the rest.
func (q *trainingQuery) window(req, vf, vt, drillOn string) string {
	return `CASE ` + req + `
		WHEN 'yearly' THEN a.completed_on BETWEEN ` + q.s + ` AND ` + q.e + `
		WHEN 'after_drill' THEN a.completed_on >= coalesce(` + drillOn + `, ` + q.s + `)
		WHEN 'per_contract' THEN a.completed_on >= ` + vf + ` AND (` + vt + ` IS NULL OR a.completed_on <= ` + vt + `)
		ELSE a.completed_on >= ` + vf + ` END`
}

// requirements is the CTE chain ending in st: one row per person in service on the day the year
// is judged on, in their unit of that day, with three masks over the active courses (cs, one bit
// each): req, those they must take; done, those of req they completed; overdue, those of req
// past their deadline. where are conditions on the person (p) and their posting (po), such as
// the reader's scope.
//
// Built for the whole town in one pass over each table: each person's roles and whether their
// unit keeps a マイナンバー利用事務系 system are joined to them once, so that what they must take
// is a few bit operations. What their completions meet and the day of the last drill they clicked
// come from the summary the database keeps (training_person_years, migration 000013), one row
// per person and year; someone without a row for the year met no yearly course, and their few
// other courses (new hires, contracts) are checked against their attendances
// (training_dated_met: a function, which the planner counts as cheap, where a subquery would
// be counted for every person and turn the tallies to a sort).
func (q *trainingQuery) requirements(where []string) string {
	cond := ""
	for _, w := range where {
		cond += " AND " + w
	}
	return `
	cs AS (
		SELECT c.code, c.name_ja, c.name_en, c.kind, c.audience, c.roles, c.requirement, c.within_days, c.sort_order, b.bit
		FROM courses c JOIN training_course_bits b ON b.code = c.code),
	aud AS (
		SELECT coalesce(bit_or(bit) FILTER (WHERE audience = 'all'), 0) AS m_all,
			coalesce(bit_or(bit) FILTER (WHERE audience = 'new_hires'), 0) AS m_new,
			coalesce(bit_or(bit) FILTER (WHERE audience = 'my_number_zone'), 0) AS m_zone,
			coalesce(bit_or(bit) FILTER (WHERE audience = 'contractors'), 0) AS m_contractors,
			coalesce(bit_or(bit) FILTER (WHERE audience = 'drill_clicked'), 0) AS m_clicked,
			coalesce(bit_or(bit) FILTER (WHERE requirement IN ('yearly', 'per_contract')), 0) AS m_yearly,
			coalesce(bit_or(bit) FILTER (WHERE requirement IN ('on_joining', 'after_drill')), 0) AS m_timed,
			coalesce(bit_or(bit) FILTER (WHERE requirement <> 'yearly'), 0) AS m_dated
		FROM cs),
	base AS (
		SELECT p.id, p.employment_type, p.valid_from, p.valid_to, po.unit_id
		FROM people p JOIN postings po ON po.person_id = p.id AND ` + activeOn("po", q.d) + `
		WHERE ` + activeOn("p", q.d) + cond + `),
	held AS (
		SELECT ra.person_id, bit_or(cs.bit) AS mask
		FROM role_assignments ra JOIN cs ON cs.audience = 'roles' AND ra.role_code = ANY (cs.roles)
		WHERE ` + activeOn("ra", q.d) + ` GROUP BY ra.person_id),
	pop AS (
		SELECT b.id, b.unit_id, b.valid_from, b.valid_to, y.drill_on, y.met, aud.m_yearly, aud.m_timed, aud.m_dated,
			CASE WHEN b.employment_type <> 'contractor' THEN aud.m_all ELSE 0 END
			| CASE WHEN b.valid_from BETWEEN ` + q.s + ` AND ` + q.e + ` THEN aud.m_new ELSE 0 END
			| coalesce(h.mask, 0)
			| CASE WHEN z.unit_id IS NOT NULL THEN aud.m_zone ELSE 0 END
			| CASE WHEN b.employment_type = 'contractor' THEN aud.m_contractors ELSE 0 END
			| CASE WHEN y.drill_on IS NOT NULL THEN aud.m_clicked ELSE 0 END AS req
		FROM base b
		CROSS JOIN aud
		LEFT JOIN held h ON h.person_id = b.id
		LEFT JOIN (SELECT DISTINCT unit_id FROM systems WHERE zone = 'MYNUMBER') z ON z.unit_id = b.unit_id
		LEFT JOIN training_person_years y ON y.person_id = b.id AND y.fiscal_year = ` + q.fy + `
		-- A fence: st reads each mask several times, and would otherwise repeat its expression.
		OFFSET 0),
	met AS (
		SELECT pop.*, pop.req & CASE WHEN pop.met IS NOT NULL THEN pop.met WHEN pop.req & pop.m_dated = 0 THEN 0
			ELSE training_dated_met(pop.id, ` + q.fy + `) END AS done
		FROM pop),
	st AS (
		SELECT met.id, met.unit_id, met.valid_from, met.valid_to, met.drill_on, met.req, met.done,
			met.req & ~met.done & (CASE WHEN ` + q.past + ` THEN met.m_yearly ELSE 0 END
				| CASE WHEN met.req & ~met.done & met.m_timed = 0 THEN 0 ELSE (
					SELECT coalesce(bit_or(cs.bit), 0) FROM cs WHERE ` + q.d + ` > CASE cs.requirement
						WHEN 'on_joining' THEN met.valid_from + cs.within_days
						WHEN 'after_drill' THEN met.drill_on + cs.within_days END) END) AS overdue
		FROM met)`
}

// readTraining runs fn in a read-only transaction without JIT compilation: the statements here
// are estimated as costly enough to be compiled, which costs far more than it saves on them.
func (db *DB) readTraining(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL jit = off`); err != nil {
			return err
		}
		return fn(tx)
	})
}

// seenUnits is the condition that the posting po lies in a unit the actor sees, or "" for those
// who see every unit; ok is false for an actor who sees no unit.
func (q *trainingQuery) seenUnits(actor isms.Actor) (cond string, ok bool) {
	if actor.AllUnits {
		return "", true
	}
	if len(actor.UnitIDs) == 0 {
		return "", false
	}
	return "po.unit_id = ANY(" + q.arg(actor.UnitIDs) + ")", true
}

// FindTrainingStatus is the completion of fiscal year fy per unit and course, in one statement,
// for the units the actor sees (unitID ≠ 0: that unit alone, ENOTFOUND outside the scope). An
// actor who sees no unit is EFORBIDDEN. Units come in code order, courses in catalogue order.
func (db *DB) FindTrainingStatus(ctx context.Context, actor isms.Actor, fy int, unitID int64) (isms.TrainingStatus, error) {
	st := isms.TrainingStatus{FiscalYear: fy, Day: isms.TrainingDay(fy, actor.Day())}
	q := newTrainingQuery(fy, actor.Day())
	scope, ok := q.seenUnits(actor)
	if !ok {
		return st, isms.Errorf(isms.EFORBIDDEN, "not permitted")
	}
	if unitID != 0 && !actor.Sees(unitID) {
		return st, isms.Errorf(isms.ENOTFOUND, "unit %d not found", unitID)
	}
	var where []string
	if scope != "" {
		where = append(where, scope)
	}
	if unitID != 0 {
		where = append(where, "po.unit_id = "+q.arg(unitID))
	}
	// The active courses come first (unit 0), so that every course has its column even where
	// nobody must take it; then the tallies of each unit and course. People with the same masks
	// in a unit are counted together before the masks are spread over the courses.
	sql := `WITH ` + q.requirements(where) + `,
		g AS (SELECT unit_id, req, done, overdue, count(*) AS n FROM st GROUP BY unit_id, req, done, overdue)
		SELECT 0::bigint, ''::text, ''::text, cs.code, cs.name_ja, cs.name_en, cs.kind, cs.audience, cs.requirement,
			coalesce(cs.within_days, 0), cs.sort_order, 0::bigint, 0::bigint, 0::bigint
		FROM cs
		UNION ALL
		SELECT u.id, u.code, u.name, cs.code, '', '', '', '', '', 0, 0, sum(g.n)::bigint,
			coalesce(sum(g.n) FILTER (WHERE g.done & cs.bit <> 0), 0)::bigint,
			coalesce(sum(g.n) FILTER (WHERE g.overdue & cs.bit <> 0), 0)::bigint
		FROM g JOIN cs ON g.req & cs.bit <> 0 JOIN units u ON u.id = g.unit_id
		GROUP BY u.id, cs.code`
	tallies := map[int64]map[string]isms.CourseTally{}
	var units []isms.UnitTraining
	err := db.readTraining(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, q.args...)
		if err != nil {
			return err
		}
		var c isms.Course
		var u isms.UnitTraining
		var within, required, completed, overdue int
		_, err = pgx.ForEachRow(rows, []any{&u.UnitID, &u.UnitCode, &u.UnitName, &c.Code, &c.NameJa, &c.NameEn, &c.Kind,
			&c.Audience, &c.Requirement, &within, &c.SortOrder, &required, &completed, &overdue}, func() error {
			if u.UnitID == 0 {
				course := c
				course.Active = true
				if within > 0 {
					w := within
					course.WithinDays = &w
				}
				st.Courses = append(st.Courses, course)
				return nil
			}
			if tallies[u.UnitID] == nil {
				tallies[u.UnitID] = map[string]isms.CourseTally{}
				units = append(units, isms.UnitTraining{UnitID: u.UnitID, UnitCode: u.UnitCode, UnitName: u.UnitName})
			}
			tallies[u.UnitID][c.Code] = isms.CourseTally{Code: c.Code, Required: required, Completed: completed, Overdue: overdue}
			return nil
		})
		return err
	})
	if err != nil {
		return st, wrap("find training status", err)
	}
	if len(st.Courses) > trainingMaxCourses {
		return st, errTooManyCourses()
	}
	slices.SortFunc(st.Courses, func(a, b isms.Course) int {
		return cmp.Or(cmp.Compare(a.SortOrder, b.SortOrder), strings.Compare(a.Code, b.Code))
	})
	slices.SortFunc(units, func(a, b isms.UnitTraining) int {
		return cmp.Or(strings.Compare(a.UnitCode, b.UnitCode), cmp.Compare(a.UnitID, b.UnitID))
	})
	st.Totals = make([]isms.CourseTally, len(st.Courses))
	for i, c := range st.Courses {
		st.Totals[i].Code = c.Code
	}
	for _, u := range units {
		u.Courses = make([]isms.CourseTally, len(st.Courses))
		for i, c := range st.Courses {
			u.Courses[i] = tallies[u.UnitID][c.Code]
			u.Courses[i].Code = c.Code
			st.Totals[i] = st.Totals[i].Add(u.Courses[i])
		}
		st.Units = append(st.Units, u)
	}
	return st, nil
}

// personDue is the statement of the lines of who is due: each person of st with each course of
// their req mask, its status, its deadline and (for a completed one) the first completion that
// met it, and the number of active courses (checked against the masks' size). filter is a
// further condition on the line (status), order the ORDER BY and LIMIT.
func (q *trainingQuery) personDue(where []string, filter, order string) string {
	sql := `WITH ` + q.requirements(where) + `,
		due AS (
			SELECT st.id, st.unit_id, cs.code, cs.name_ja, cs.name_en, cs.requirement, cs.sort_order,
				CASE WHEN st.done & cs.bit <> 0 THEN 'completed' WHEN st.overdue & cs.bit <> 0 THEN 'overdue' ELSE 'due' END AS status,
				CASE cs.requirement
					WHEN 'on_joining' THEN st.valid_from + cs.within_days
					WHEN 'after_drill' THEN st.drill_on + cs.within_days
					WHEN 'per_contract' THEN st.valid_to
					ELSE ` + q.e + ` END AS due_on,
				st.done & cs.bit <> 0 AS met, st.valid_from, st.valid_to, st.drill_on
			FROM st JOIN cs ON st.req & cs.bit <> 0)
		SELECT p.id, p.name, p.name_kana, p.employee_no, due.unit_id, u.name, due.code, due.name_ja, due.name_en,
			due.requirement, due.status, due.due_on,
			CASE WHEN due.met THEN (SELECT min(a.completed_on) FROM attendances a JOIN training_sessions s ON s.id = a.session_id
				WHERE a.person_id = due.id AND s.course_code = due.code AND a.completed
					AND ` + q.window("due.requirement", "due.valid_from", "due.valid_to", "due.drill_on") + `) END,
			(SELECT count(*) FROM cs)
		FROM due JOIN people p ON p.id = due.id JOIN units u ON u.id = due.unit_id`
	if filter != "" {
		sql += ` WHERE ` + filter
	}
	return sql + ` ` + order
}

// findPersonDue runs a personDue statement and checks the catalogue's size.
func (db *DB) findPersonDue(ctx context.Context, q *trainingQuery, sql string) ([]isms.PersonDue, error) {
	var list []isms.PersonDue
	courses := 0
	err := db.readTraining(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, q.args...)
		if err != nil {
			return err
		}
		list, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.PersonDue, error) {
			var d isms.PersonDue
			err := row.Scan(&d.PersonID, &d.Name, &d.NameKana, &d.EmployeeNo, &d.UnitID, &d.UnitName, &d.CourseCode,
				&d.CourseNameJa, &d.CourseNameEn, &d.Requirement, &d.Status, &d.DueOn, &d.CompletedOn, &courses)
			return d, err
		})
		return err
	})
	if err == nil && courses > trainingMaxCourses {
		err = errTooManyCourses()
	}
	return list, err
}

// FindTrainingDue lists the people of fiscal year fy with each course they must take and where
// they stand (onlyOpen: those not completed), by unit, person and course, at most
// trainingDueLimit lines (more reports that there were more). Those who see every unit read
// every unit; a 管理者 or 責任者 the units they manage; unitID ≠ 0 narrows to one unit (outside
// those: EFORBIDDEN for a unit the actor otherwise sees, ENOTFOUND for any other). Others are
// EFORBIDDEN.
func (db *DB) FindTrainingDue(ctx context.Context, actor isms.Actor, fy int, unitID int64, onlyOpen bool) ([]isms.PersonDue, bool, error) {
	q := newTrainingQuery(fy, actor.Day())
	var where []string
	switch {
	case unitID != 0 && !actor.AllUnits && !actor.Manages(unitID) && actor.Sees(unitID):
		return nil, false, isms.Errorf(isms.EFORBIDDEN, "not permitted")
	case unitID != 0 && !actor.AllUnits && !actor.Manages(unitID):
		return nil, false, isms.Errorf(isms.ENOTFOUND, "unit %d not found", unitID)
	case !actor.AllUnits && len(actor.ManagedUnitIDs) == 0:
		return nil, false, isms.Errorf(isms.EFORBIDDEN, "not permitted")
	case !actor.AllUnits:
		where = append(where, "po.unit_id = ANY("+q.arg(actor.ManagedUnitIDs)+")")
	}
	if unitID != 0 {
		where = append(where, "po.unit_id = "+q.arg(unitID))
	}
	filter := ""
	if onlyOpen {
		filter = "due.status <> 'completed'"
	}
	list, err := db.findPersonDue(ctx, q, q.personDue(where, filter,
		`ORDER BY u.code, u.id, p.name_kana, p.name, p.id, due.sort_order, due.code LIMIT `+q.arg(trainingDueLimit+1)))
	if err != nil {
		return nil, false, wrap("find training due", err)
	}
	more := len(list) > trainingDueLimit
	if more {
		list = list[:trainingDueLimit]
	}
	return list, more, nil
}

// FindPersonTraining is a person's record for fiscal year fy: the courses they must take with
// where they stand, and every session they attended. A person reads their own record; those who
// see every unit anyone's; a 管理者 or 責任者 that of the people posted to their units on the
// day the year is judged on. Anyone else is ENOTFOUND.
func (db *DB) FindPersonTraining(ctx context.Context, actor isms.Actor, personID int64, fy int) (isms.PersonTraining, error) {
	day := isms.TrainingDay(fy, actor.Day())
	pt := isms.PersonTraining{FiscalYear: fy, Day: day}
	var err error
	pt.Person, err = scanPerson(db.pool.QueryRow(ctx, `SELECT `+personColumns+` FROM `+personFrom+`
		WHERE p.id = $2 AND ($3 OR p.user_id = $4 OR po.unit_id = ANY($5))`,
		day, personID, actor.AllUnits, actor.UserID, managedOrNone(actor)))
	if errors.Is(err, pgx.ErrNoRows) {
		return pt, isms.Errorf(isms.ENOTFOUND, "person %d not found", personID)
	}
	if err != nil {
		return pt, wrap("find person training", err)
	}
	q := newTrainingQuery(fy, actor.Day())
	where := []string{"p.id = " + q.arg(personID)}
	if pt.Required, err = db.findPersonDue(ctx, q, q.personDue(where, "", `ORDER BY due.sort_order, due.code`)); err != nil {
		return pt, wrap("find person training", err)
	}
	rows, err := db.pool.Query(ctx, `
		SELECT s.id, s.course_code, c.name_ja, c.name_en, c.kind, s.title, s.held_on, a.completed, a.completed_on, a.score,
			a.clicked, a.reported
		FROM attendances a JOIN training_sessions s ON s.id = a.session_id JOIN courses c ON c.code = s.course_code
		WHERE a.person_id = $1
		ORDER BY s.held_on DESC, s.id DESC`, personID)
	if err != nil {
		return pt, wrap("find person training", err)
	}
	pt.Attendances, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.AttendanceRecord, error) {
		var a isms.AttendanceRecord
		err := row.Scan(&a.SessionID, &a.CourseCode, &a.CourseNameJa, &a.CourseNameEn, &a.Kind, &a.Title, &a.HeldOn,
			&a.Completed, &a.CompletedOn, &a.Score, &a.Clicked, &a.Reported)
		return a, err
	})
	return pt, wrap("find person training", err)
}

// managedOrNone is the actor's managed units as an array argument (empty, not NULL, for none).
func managedOrNone(actor isms.Actor) []int64 {
	if actor.ManagedUnitIDs == nil {
		return []int64{}
	}
	return actor.ManagedUnitIDs
}

// FindDrillResults is what the targets of each drill session held in fiscal year fy did, per
// unit (the unit each target was posted to on the day of the drill) and in total, for the units
// the actor sees (EFORBIDDEN for one who sees none). Sessions come in the order they were held.
func (db *DB) FindDrillResults(ctx context.Context, actor isms.Actor, fy int) ([]isms.DrillResult, error) {
	q := &trainingQuery{}
	scope, ok := q.seenUnits(actor)
	if !ok {
		return nil, isms.Errorf(isms.EFORBIDDEN, "not permitted")
	}
	start, end := isms.FiscalYearBounds(fy)
	where := "s.held_on BETWEEN " + q.arg(start) + "::date AND " + q.arg(end) + "::date"
	if scope != "" {
		where += " AND " + scope
	}
	rows, err := db.pool.Query(ctx, `
		SELECT s.id, s.course_code, c.name_ja, c.name_en, s.title, s.held_on, coalesce(po.unit_id, 0), coalesce(u.name, ''),
			count(*), count(*) FILTER (WHERE a.completed), count(*) FILTER (WHERE a.opened),
			count(*) FILTER (WHERE a.clicked), count(*) FILTER (WHERE a.reported)
		FROM training_sessions s
		JOIN courses c ON c.code = s.course_code AND c.kind = 'drill'
		JOIN attendances a ON a.session_id = s.id
		LEFT JOIN postings po ON po.person_id = a.person_id AND `+activeOn("po", "s.held_on")+`
		LEFT JOIN units u ON u.id = po.unit_id
		WHERE `+where+`
		GROUP BY s.id, c.name_ja, c.name_en, po.unit_id, u.code, u.name
		ORDER BY s.held_on, s.id, u.code NULLS LAST`, q.args...)
	if err != nil {
		return nil, wrap("find drill results", err)
	}
	var list []isms.DrillResult
	var r isms.DrillResult
	var t isms.DrillTally
	_, err = pgx.ForEachRow(rows, []any{&r.SessionID, &r.CourseCode, &r.CourseNameJa, &r.CourseNameEn, &r.Title, &r.HeldOn,
		&t.UnitID, &t.UnitName, &t.Targets, &t.Completed, &t.Opened, &t.Clicked, &t.Reported}, func() error {
		if n := len(list); n == 0 || list[n-1].SessionID != r.SessionID {
			list = append(list, isms.DrillResult{SessionID: r.SessionID, CourseCode: r.CourseCode, CourseNameJa: r.CourseNameJa,
				CourseNameEn: r.CourseNameEn, Title: r.Title, HeldOn: r.HeldOn})
		}
		last := &list[len(list)-1]
		last.Units = append(last.Units, t)
		last.Total.Targets += t.Targets
		last.Total.Completed += t.Completed
		last.Total.Opened += t.Opened
		last.Total.Clicked += t.Clicked
		last.Total.Reported += t.Reported
		return nil
	})
	return list, wrap("find drill results", err)
}
