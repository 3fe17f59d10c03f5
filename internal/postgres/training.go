package postgres

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// Education and training (研修・訓練, domain.md §5): the course catalogue, the plan of each fiscal
// year with the committee's approval, the sessions held and who attended them. The catalogue and
// the plans are read by everyone; the security office (PermManageTraining) keeps them and records
// the sessions. Course names are given in Japanese, the town's wording; pages name a course in
// the reader's language from the catalogue.

const courseColumns = `code, name_ja, name_en, kind, audience, roles, requirement, within_days, active, sort_order, version`

func scanCourse(row pgx.Row) (isms.Course, error) {
	var c isms.Course
	err := row.Scan(&c.Code, &c.NameJa, &c.NameEn, &c.Kind, &c.Audience, &c.Roles, &c.Requirement, &c.WithinDays,
		&c.Active, &c.SortOrder, &c.Version)
	return c, err
}

// FindCourses returns the catalogue in its order, inactive courses included.
func (db *DB) FindCourses(ctx context.Context) ([]isms.Course, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+courseColumns+` FROM courses ORDER BY sort_order, code`)
	if err != nil {
		return nil, wrap("find courses", err)
	}
	courses, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.Course, error) { return scanCourse(row) })
	return courses, wrap("find courses", err)
}

// FindCourse returns the course of code; ENOTFOUND when there is none.
func (db *DB) FindCourse(ctx context.Context, code string) (isms.Course, error) {
	c, err := findCourse(ctx, db.pool, code)
	return c, wrap("find course", err)
}

func findCourse(ctx context.Context, q querier, code string) (isms.Course, error) {
	c, err := scanCourse(q.QueryRow(ctx, `SELECT `+courseColumns+` FROM courses WHERE code = $1`, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return c, isms.Errorf(isms.ENOTFOUND, "course %q not found", code)
	}
	return c, err
}

// checkCourse normalises and checks a catalogue form, including that its roles are security
// roles of the town, and returns the input as it is stored: a day count only for a requirement
// that is timed, roles only for a course of role holders.
func checkCourse(ctx context.Context, tx pgx.Tx, in isms.CourseInput) (isms.CourseInput, error) {
	in.Normalize()
	fe := in.Validate()
	if in.Requirement != isms.RequireOnJoining && in.Requirement != isms.RequireAfterDrill {
		in.WithinDays = nil
	}
	if in.Roles == nil {
		in.Roles = []string{}
	}
	if len(in.Roles) > 0 {
		var known int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM security_roles WHERE code = ANY($1)`, in.Roles).Scan(&known); err != nil {
			return in, err
		}
		fe.Check(known == len(in.Roles), "roles", "course.error.roles")
	}
	return in, fe.Err()
}

// CreateCourse adds a course or drill to the catalogue.
func (db *DB) CreateCourse(ctx context.Context, actor isms.Actor, in isms.CourseInput) (isms.Course, error) {
	if err := requirePerm(actor, isms.PermManageTraining); err != nil {
		return isms.Course{}, wrap("create course", err)
	}
	var c isms.Course
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		in, err := checkCourse(ctx, tx, in)
		if err != nil {
			return err
		}
		c, err = scanCourse(tx.QueryRow(ctx, `
			INSERT INTO courses (code, name_ja, name_en, kind, audience, roles, requirement, within_days, active, sort_order)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING `+courseColumns,
			in.Code, in.NameJa, in.NameEn, in.Kind, in.Audience, in.Roles, in.Requirement, in.WithinDays, in.Active, in.SortOrder))
		if isUniqueViolation(err) {
			return isms.FieldErrors{"code": "course.error.code_taken"}.Err()
		}
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "course.create", "course", c.Code, nil, c)
	})
	return c, wrap("create course", err)
}

// UpdateCourse changes a course of the catalogue; its code stays. in.Version is the version the
// form showed (else ECONFLICT).
func (db *DB) UpdateCourse(ctx context.Context, actor isms.Actor, code string, in isms.CourseInput) (isms.Course, error) {
	if err := requirePerm(actor, isms.PermManageTraining); err != nil {
		return isms.Course{}, wrap("update course", err)
	}
	var after isms.Course
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findCourse(ctx, tx, code)
		if err != nil {
			return err
		}
		in.Code = code
		if in, err = checkCourse(ctx, tx, in); err != nil {
			return err
		}
		after, err = scanCourse(tx.QueryRow(ctx, `
			UPDATE courses SET name_ja = $2, name_en = $3, kind = $4, audience = $5, roles = $6, requirement = $7,
				within_days = $8, active = $9, sort_order = $10, updated_at = now(), version = version + 1
			WHERE code = $1 AND version = $11 RETURNING `+courseColumns,
			code, in.NameJa, in.NameEn, in.Kind, in.Audience, in.Roles, in.Requirement, in.WithinDays, in.Active,
			in.SortOrder, in.Version))
		if errors.Is(err, pgx.ErrNoRows) {
			return errConflict("the course")
		}
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "course.update", "course", code, before, after)
	})
	return after, wrap("update course", err)
}

// FindTrainingPlan returns the plan of fiscal year fy with its items in the catalogue's order. A
// year without a plan is an empty plan of version 0, which the plan form starts from.
func (db *DB) FindTrainingPlan(ctx context.Context, fy int) (isms.TrainingPlan, error) {
	p, err := findTrainingPlan(ctx, db.pool, fy, false)
	return p, wrap("find training plan", err)
}

// findTrainingPlan reads a plan; lock holds its row until the transaction ends.
func findTrainingPlan(ctx context.Context, q querier, fy int, lock bool) (isms.TrainingPlan, error) {
	p := isms.TrainingPlan{FiscalYear: fy}
	query := `SELECT note, approved_on, approved_by, version FROM training_plans WHERE fiscal_year = $1`
	if lock {
		query += ` FOR UPDATE`
	}
	err := q.QueryRow(ctx, query, fy).Scan(&p.Note, &p.ApprovedOn, &p.ApprovedBy, &p.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	rows, err := q.Query(ctx, `
		SELECT i.id, i.course_code, i.months, i.method, i.note, c.name_ja
		FROM training_plan_items i JOIN courses c ON c.code = i.course_code
		WHERE i.fiscal_year = $1 ORDER BY c.sort_order, c.code`, fy)
	if err != nil {
		return p, err
	}
	p.Items, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.PlanItem])
	return p, err
}

// samePlan reports whether a form would leave a plan's note and items as they are.
func samePlan(p isms.TrainingPlan, in isms.PlanInput) bool {
	if p.Version == 0 || p.Note != in.Note || len(p.Items) != len(in.Items) {
		return false
	}
	stored := map[string]isms.PlanItem{}
	for _, it := range p.Items {
		stored[it.CourseCode] = it
	}
	for _, it := range in.Items {
		s, ok := stored[it.CourseCode]
		if !ok || !slices.Equal(s.Months, it.Months) || s.Method != it.Method || s.Note != it.Note {
			return false
		}
	}
	return true
}

// SaveTrainingPlan records the plan of a fiscal year as the form gives it: the note, and the
// courses planned with their months, method and note, which replace the plan's items. A plan
// that changes is no longer the plan the committee approved: its approval is withdrawn, to be
// given again. A form that changes nothing writes nothing.
func (db *DB) SaveTrainingPlan(ctx context.Context, actor isms.Actor, in isms.PlanInput) (isms.TrainingPlan, error) {
	if err := requirePerm(actor, isms.PermManageTraining); err != nil {
		return isms.TrainingPlan{}, wrap("save training plan", err)
	}
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.TrainingPlan{}, wrap("save training plan", err)
	}
	var after isms.TrainingPlan
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findTrainingPlan(ctx, tx, in.FiscalYear, true)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return errConflict("the training plan")
		}
		if err := checkPlanCourses(ctx, tx, before, in); err != nil {
			return err
		}
		if samePlan(before, in) {
			after = before
			return nil
		}
		if before.Version == 0 {
			tag, err := tx.Exec(ctx, `INSERT INTO training_plans (fiscal_year, note) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
				in.FiscalYear, in.Note)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 { // another person made the year's plan meanwhile
				return errConflict("the training plan")
			}
		} else if _, err := tx.Exec(ctx, `UPDATE training_plans SET note = $2, approved_on = NULL, approved_by = '',
			updated_at = now(), version = version + 1 WHERE fiscal_year = $1`, in.FiscalYear, in.Note); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM training_plan_items WHERE fiscal_year = $1`, in.FiscalYear); err != nil {
			return err
		}
		for _, it := range in.Items {
			months := it.Months
			if months == nil {
				months = []int{}
			}
			if _, err := tx.Exec(ctx, `INSERT INTO training_plan_items (fiscal_year, course_code, months, method, note)
				VALUES ($1, $2, $3, $4, $5)`, in.FiscalYear, it.CourseCode, months, it.Method, it.Note); err != nil {
				return err
			}
		}
		if after, err = findTrainingPlan(ctx, tx, in.FiscalYear, false); err != nil {
			return err
		}
		var was any
		if before.Version > 0 {
			was = before
		}
		return appendAudit(ctx, tx, actor, "training_plan.save", "training_plan", idString(int64(in.FiscalYear)), was, after)
	})
	return after, wrap("save training plan", err)
}

// checkPlanCourses refuses a course that is not in the catalogue, and an inactive one that the
// plan did not hold already (a course retired after the plan was made may stay in it).
func checkPlanCourses(ctx context.Context, tx pgx.Tx, before isms.TrainingPlan, in isms.PlanInput) error {
	codes := make([]string, len(in.Items))
	for i, it := range in.Items {
		codes[i] = it.CourseCode
	}
	rows, err := tx.Query(ctx, `SELECT code, active FROM courses WHERE code = ANY($1)`, codes)
	if err != nil {
		return err
	}
	active := map[string]bool{}
	var code string
	var on bool
	if _, err := pgx.ForEachRow(rows, []any{&code, &on}, func() error { active[code] = on; return nil }); err != nil {
		return err
	}
	fe := isms.FieldErrors{}
	for _, it := range in.Items {
		on, known := active[it.CourseCode]
		planned := slices.ContainsFunc(before.Items, func(p isms.PlanItem) bool { return p.CourseCode == it.CourseCode })
		fe.Check(known, "plan", "validation.choose")
		fe.Check(!known || on || planned, "months_"+it.CourseCode, "training_plan.error.inactive")
	}
	return fe.Err()
}

// ApproveTrainingPlan records the information security committee's approval of a fiscal year's
// plan: the day and who approved it (the meeting or its chair). Only a plan with at least one
// course can be approved; version is the plan's as the page showed it.
func (db *DB) ApproveTrainingPlan(ctx context.Context, actor isms.Actor, fy int, approvedOn *time.Time, approvedBy string, version int) (isms.TrainingPlan, error) {
	if err := requirePerm(actor, isms.PermManageTraining); err != nil {
		return isms.TrainingPlan{}, wrap("approve training plan", err)
	}
	approvedBy = strings.TrimSpace(approvedBy)
	fe := isms.FieldErrors{}
	fe.Check(approvedOn != nil, "approved_on", "validation.required")
	fe.Check(approvedOn == nil || !approvedOn.After(actor.Day()), "approved_on", "training_plan.error.future")
	fe.Check(approvedBy != "", "approved_by", "validation.required")
	fe.Check(len([]rune(approvedBy)) <= 100, "approved_by", "validation.too_long")
	if err := fe.Err(); err != nil {
		return isms.TrainingPlan{}, wrap("approve training plan", err)
	}
	var after isms.TrainingPlan
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findTrainingPlan(ctx, tx, fy, true)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errConflict("the training plan")
		}
		if len(before.Items) == 0 {
			return isms.FieldErrors{"approval": "training_plan.error.empty"}.Err()
		}
		if _, err := tx.Exec(ctx, `UPDATE training_plans SET approved_on = $2, approved_by = $3, updated_at = now(),
			version = version + 1 WHERE fiscal_year = $1`, fy, approvedOn, approvedBy); err != nil {
			return err
		}
		if after, err = findTrainingPlan(ctx, tx, fy, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "training_plan.approve", "training_plan", idString(int64(fy)), before, after)
	})
	return after, wrap("approve training plan", err)
}

// sessionColumns are read by every query that returns isms.TrainingSession, in its fields' order.
const sessionColumns = `s.id, s.course_code, s.title, s.held_on, s.method, s.provider, s.materials_url, s.has_test,
	s.note, s.version, c.name_ja, (SELECT count(*) FROM attendances a WHERE a.session_id = s.id AND a.completed)::int`

const sessionFrom = `training_sessions s JOIN courses c ON c.code = s.course_code`

func collectSessions(rows pgx.Rows) ([]isms.TrainingSession, error) {
	return pgx.CollectRows(rows, pgx.RowToStructByPos[isms.TrainingSession])
}

// FindSessions returns a page of the sessions held, newest first, of a fiscal year and a course
// when the filter names them, and the cursor of the next page (nil on the last).
func (db *DB) FindSessions(ctx context.Context, actor isms.Actor, f isms.SessionFilter) ([]isms.TrainingSession, *isms.SessionCursor, error) {
	if err := requirePerm(actor, isms.PermManageTraining); err != nil {
		return nil, nil, wrap("find sessions", err)
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	where, args := []string{"true"}, []any{}
	arg := func(v any) string { args = append(args, v); return "$" + idString(int64(len(args))) }
	if f.FiscalYear != 0 {
		fy := arg(f.FiscalYear)
		where = append(where, "s.held_on BETWEEN make_date("+fy+", 4, 1) AND make_date("+fy+" + 1, 3, 31)")
	}
	if f.CourseCode != "" {
		where = append(where, "s.course_code = "+arg(f.CourseCode))
	}
	if f.After != nil {
		where = append(where, "(s.held_on, s.id) < ("+arg(f.After.HeldOn)+"::date, "+arg(f.After.ID)+")")
	}
	rows, err := db.pool.Query(ctx, `SELECT `+sessionColumns+` FROM `+sessionFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY s.held_on DESC, s.id DESC LIMIT `+arg(f.Limit+1), args...)
	if err != nil {
		return nil, nil, wrap("find sessions", err)
	}
	sessions, err := collectSessions(rows)
	if err != nil {
		return nil, nil, wrap("find sessions", err)
	}
	var next *isms.SessionCursor
	if len(sessions) > f.Limit {
		sessions = sessions[:f.Limit]
		last := sessions[len(sessions)-1]
		next = &isms.SessionCursor{HeldOn: last.HeldOn, ID: last.ID}
	}
	return sessions, next, nil
}

// FindSession returns a session with its number of completed attendances.
func (db *DB) FindSession(ctx context.Context, actor isms.Actor, id int64) (isms.TrainingSession, error) {
	if err := requirePerm(actor, isms.PermManageTraining); err != nil {
		return isms.TrainingSession{}, wrap("find session", err)
	}
	s, err := findSession(ctx, db.pool, id, false)
	return s, wrap("find session", err)
}

// findSession reads a session; lock holds it until the transaction ends, so that its day and
// course stay as read while its attendance is written.
func findSession(ctx context.Context, q querier, id int64, lock bool) (isms.TrainingSession, error) {
	query := `SELECT ` + sessionColumns + ` FROM ` + sessionFrom + ` WHERE s.id = $1`
	if lock {
		query += ` FOR UPDATE OF s`
	}
	rows, err := q.Query(ctx, query, id)
	if err != nil {
		return isms.TrainingSession{}, err
	}
	s, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[isms.TrainingSession])
	if errors.Is(err, pgx.ErrNoRows) {
		return s, isms.Errorf(isms.ENOTFOUND, "session %d not found", id)
	}
	return s, err
}

// checkSessionCourse refuses a course that is not in the catalogue, or that is inactive unless
// the session already had it; it returns the course.
func checkSessionCourse(ctx context.Context, tx pgx.Tx, code, current string) (isms.Course, error) {
	c, err := findCourse(ctx, tx, code)
	if isms.ErrorCode(err) == isms.ENOTFOUND {
		return c, isms.FieldErrors{"course_code": "validation.choose"}.Err()
	}
	if err != nil {
		return c, err
	}
	if !c.Active && code != current {
		return c, isms.FieldErrors{"course_code": "training_session.error.inactive"}.Err()
	}
	return c, nil
}

// userRef is the actor's account for a created_by or recorded_by column: none for the portal itself.
func userRef(actor isms.Actor) *int64 {
	if actor.UserID == 0 {
		return nil
	}
	return &actor.UserID
}

// CreateSession records a session of an active course as held (or to be held).
func (db *DB) CreateSession(ctx context.Context, actor isms.Actor, in isms.SessionInput) (isms.TrainingSession, error) {
	if err := requirePerm(actor, isms.PermManageTraining); err != nil {
		return isms.TrainingSession{}, wrap("create session", err)
	}
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.TrainingSession{}, wrap("create session", err)
	}
	var s isms.TrainingSession
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := checkSessionCourse(ctx, tx, in.CourseCode, ""); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `
			INSERT INTO training_sessions (course_code, title, held_on, method, provider, materials_url, has_test, note, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			in.CourseCode, in.Title, in.HeldOn, in.Method, in.Provider, in.MaterialsURL, in.HasTest, in.Note,
			userRef(actor)).Scan(&id); err != nil {
			return err
		}
		var err error
		if s, err = findSession(ctx, tx, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "training_session.create", "training_session", idString(id), nil, s)
	})
	return s, wrap("create session", err)
}

// UpdateSession changes a session. A session with attendance keeps its kind (a course's
// completions are not a drill's targets), and when its day moves, the completions recorded on
// the old day move with it.
func (db *DB) UpdateSession(ctx context.Context, actor isms.Actor, id int64, in isms.SessionInput) (isms.TrainingSession, error) {
	if err := requirePerm(actor, isms.PermManageTraining); err != nil {
		return isms.TrainingSession{}, wrap("update session", err)
	}
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.TrainingSession{}, wrap("update session", err)
	}
	var after isms.TrainingSession
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findSession(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return errConflict("the session")
		}
		course, err := checkSessionCourse(ctx, tx, in.CourseCode, before.CourseCode)
		if err != nil {
			return err
		}
		if course.Code != before.CourseCode {
			var kind isms.CourseKind
			var attended bool
			if err := tx.QueryRow(ctx, `SELECT c.kind, EXISTS (SELECT 1 FROM attendances a WHERE a.session_id = $1)
				FROM courses c WHERE c.code = $2`, id, before.CourseCode).Scan(&kind, &attended); err != nil {
				return err
			}
			if attended && kind != course.Kind {
				return isms.FieldErrors{"course_code": "training_session.error.kind_change"}.Err()
			}
		}
		if _, err := tx.Exec(ctx, `
			UPDATE training_sessions SET course_code = $2, title = $3, held_on = $4, method = $5, provider = $6,
				materials_url = $7, has_test = $8, note = $9, updated_at = now(), version = version + 1
			WHERE id = $1`,
			id, in.CourseCode, in.Title, in.HeldOn, in.Method, in.Provider, in.MaterialsURL, in.HasTest, in.Note); err != nil {
			return err
		}
		if !in.HeldOn.Equal(before.HeldOn) {
			if _, err := tx.Exec(ctx, `UPDATE attendances SET completed_on = $3, updated_at = now(), version = version + 1
				WHERE session_id = $1 AND completed_on = $2`, id, before.HeldOn, in.HeldOn); err != nil {
				return err
			}
		}
		if after, err = findSession(ctx, tx, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "training_session.update", "training_session", idString(id), before, after)
	})
	return after, wrap("update session", err)
}

// DeleteSession removes a session recorded by mistake. A session with attendance is a record of
// training given and stays.
func (db *DB) DeleteSession(ctx context.Context, actor isms.Actor, id int64, version int) error {
	if err := requirePerm(actor, isms.PermManageTraining); err != nil {
		return wrap("delete session", err)
	}
	return wrap("delete session", db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findSession(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errConflict("the session")
		}
		var attended bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM attendances WHERE session_id = $1)`, id).Scan(&attended); err != nil {
			return err
		}
		if attended {
			return isms.FieldErrors{"session": "training_session.error.has_attendance"}.Err()
		}
		if _, err := tx.Exec(ctx, `DELETE FROM training_sessions WHERE id = $1`, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "training_session.delete", "training_session", idString(id), before, nil)
	}))
}

// FindAttendances returns who attended a session, each with the unit of their posting on the
// session's day, by unit and reading order.
func (db *DB) FindAttendances(ctx context.Context, actor isms.Actor, sessionID int64) ([]isms.Attendance, error) {
	if err := requirePerm(actor, isms.PermManageTraining); err != nil {
		return nil, wrap("find attendances", err)
	}
	rows, err := db.pool.Query(ctx, `
		SELECT a.id, a.session_id, a.person_id, a.completed, a.completed_on, a.score, a.evidence, a.opened, a.clicked,
			a.reported, a.version, p.name, p.employee_no, coalesce(u.name, '')
		FROM attendances a
		JOIN training_sessions s ON s.id = a.session_id
		JOIN people p ON p.id = a.person_id
		LEFT JOIN postings po ON po.person_id = p.id AND `+activeOn("po", "s.held_on")+`
		LEFT JOIN units u ON u.id = po.unit_id
		WHERE a.session_id = $1
		ORDER BY u.code NULLS LAST, p.name_kana, p.id`, sessionID)
	if err != nil {
		return nil, wrap("find attendances", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.Attendance])
	return out, wrap("find attendances", err)
}

// FindRoster returns the roster of a unit for a session: the people in service on the session's
// day and posted to the unit that day, in reading order, each with their attendance if any.
func (db *DB) FindRoster(ctx context.Context, actor isms.Actor, sessionID, unitID int64) ([]isms.RosterLine, error) {
	if err := requirePerm(actor, isms.PermManageTraining); err != nil {
		return nil, wrap("find roster", err)
	}
	if _, err := findSession(ctx, db.pool, sessionID, false); err != nil {
		return nil, wrap("find roster", err)
	}
	lines, err := findRoster(ctx, db.pool, sessionID, unitID)
	return lines, wrap("find roster", err)
}

func findRoster(ctx context.Context, q querier, sessionID, unitID int64) ([]isms.RosterLine, error) {
	rows, err := q.Query(ctx, `
		SELECT p.id, p.employee_no, p.name, p.name_kana, p.employment_type, u.id, u.name,
			a.id, a.completed, a.completed_on, a.score, a.evidence, a.opened, a.clicked, a.reported, a.version
		FROM training_sessions s
		JOIN postings po ON po.unit_id = $2 AND `+activeOn("po", "s.held_on")+`
		JOIN people p ON p.id = po.person_id AND `+activeOn("p", "s.held_on")+`
		JOIN units u ON u.id = po.unit_id
		LEFT JOIN attendances a ON a.session_id = s.id AND a.person_id = p.id
		WHERE s.id = $1
		ORDER BY p.name_kana, p.id`, sessionID, unitID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.RosterLine, error) {
		var l isms.RosterLine
		p := &l.Person
		var id *int64
		var completed, opened, clicked, reported *bool
		var evidence *string
		var version *int
		a := isms.Attendance{SessionID: sessionID}
		err := row.Scan(&p.ID, &p.EmployeeNo, &p.Name, &p.NameKana, &p.Employment, &p.UnitID, &p.UnitName,
			&id, &completed, &a.CompletedOn, &a.Score, &evidence, &opened, &clicked, &reported, &version)
		if err != nil || id == nil {
			return l, err
		}
		a.ID, a.PersonID, a.Completed, a.Evidence = *id, p.ID, *completed, *evidence
		a.Opened, a.Clicked, a.Reported, a.Version = *opened, *clicked, *reported, *version
		a.PersonName, a.EmployeeNo, a.UnitName = p.Name, p.EmployeeNo, p.UnitName
		l.Attendance = &a
		return l, nil
	})
}

// rosterSession locks a session whose attendance is about to be written and checks its kind:
// a course's roster records completions, a drill's the targets and what they did.
func rosterSession(ctx context.Context, tx pgx.Tx, sessionID int64, kind isms.CourseKind) (isms.TrainingSession, error) {
	s, err := findSession(ctx, tx, sessionID, true)
	if err != nil {
		return s, err
	}
	var k isms.CourseKind
	if err := tx.QueryRow(ctx, `SELECT kind FROM courses WHERE code = $1`, s.CourseCode).Scan(&k); err != nil {
		return s, err
	}
	if k != kind {
		return s, isms.Errorf(isms.EINVALID, "session %d is of a %s, not a %s", sessionID, k, kind)
	}
	return s, nil
}

// rosterPeople are the unit's roster for the session by person, each with the attendance
// recorded, if any; a person a form names who is not on it is refused.
func rosterPeople(ctx context.Context, tx pgx.Tx, sessionID, unitID int64, ids []int64) (map[int64]*isms.Attendance, error) {
	lines, err := findRoster(ctx, tx, sessionID, unitID)
	if err != nil {
		return nil, err
	}
	roster := make(map[int64]*isms.Attendance, len(lines))
	for _, l := range lines {
		roster[l.Person.ID] = l.Attendance
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		if _, ok := roster[id]; !ok || seen[id] {
			return nil, isms.Errorf(isms.EINVALID, "person %d is not on the roster of unit %d, or named twice", id, unitID)
		}
		seen[id] = true
	}
	return roster, nil
}

// rosterAudit is what the trail keeps of a roster saved: the unit, the counts, and who.
type rosterAudit struct {
	UnitID int64 `json:"unit_id"`
	isms.RosterCounts
	RecordedIDs []int64 `json:"recorded_ids,omitempty"`
	RemovedIDs  []int64 `json:"removed_ids,omitempty"`
	Targets     *int    `json:"targets,omitempty"` // drills: the unit's targets after the save
}

func (ra *rosterAudit) recorded(id int64) { ra.Recorded++; ra.RecordedIDs = append(ra.RecordedIDs, id) }
func (ra *rosterAudit) removed(id int64)  { ra.Removed++; ra.RemovedIDs = append(ra.RemovedIDs, id) }

const removeAttendance = `DELETE FROM attendances WHERE session_id = $1 AND person_id = $2`

// SaveRoster records the attendance of a unit's roster for a course session in one go: a person
// ticked has completed it (on the session's day, or the day already recorded), with the score and
// the evidence given; a person unticked has no attendance, and what was recorded is removed.
// People of the roster the form does not name are left as they are; a person not on the roster is
// refused. The trail records one event with the counts.
func (db *DB) SaveRoster(ctx context.Context, actor isms.Actor, sessionID, unitID int64, entries []isms.RosterEntry) (isms.RosterCounts, error) {
	if err := requirePerm(actor, isms.PermManageTraining); err != nil {
		return isms.RosterCounts{}, wrap("save roster", err)
	}
	ra := rosterAudit{UnitID: unitID}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		s, err := rosterSession(ctx, tx, sessionID, isms.CourseLesson)
		if err != nil {
			return err
		}
		if err := isms.ValidateRoster(entries, s.HasTest).Err(); err != nil {
			return err
		}
		ids := make([]int64, len(entries))
		for i, e := range entries {
			ids[i] = e.PersonID
		}
		roster, err := rosterPeople(ctx, tx, sessionID, unitID, ids)
		if err != nil {
			return err
		}
		// One statement for the ticked and one for the unticked: the training summary's triggers
		// then run once for the whole roster rather than once a person.
		var ticked, unticked []int64
		var scores []*int
		var evidences []string
		for _, e := range entries {
			stored := roster[e.PersonID]
			evidence := strings.TrimSpace(e.Evidence)
			switch {
			case e.Completed && stored != nil && stored.Completed && equalScore(stored.Score, e.Score) && stored.Evidence == evidence:
			case e.Completed:
				ticked, scores, evidences = append(ticked, e.PersonID), append(scores, e.Score), append(evidences, evidence)
				ra.recorded(e.PersonID)
			case stored != nil:
				unticked = append(unticked, e.PersonID)
				ra.removed(e.PersonID)
			}
		}
		if len(ticked) > 0 {
			if _, err := tx.Exec(ctx, `
				INSERT INTO attendances (session_id, person_id, completed, completed_on, score, evidence, recorded_by)
				SELECT $1, x.person_id, true, $2, x.score, x.evidence, $3
				FROM unnest($4::bigint[], $5::integer[], $6::text[]) AS x (person_id, score, evidence)
				ON CONFLICT (session_id, person_id) DO UPDATE SET completed = true,
					completed_on = coalesce(attendances.completed_on, EXCLUDED.completed_on), score = EXCLUDED.score,
					evidence = EXCLUDED.evidence, recorded_by = EXCLUDED.recorded_by, updated_at = now(),
					version = attendances.version + 1`,
				sessionID, s.HeldOn, userRef(actor), ticked, scores, evidences); err != nil {
				return err
			}
		}
		if len(unticked) > 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM attendances WHERE session_id = $1 AND person_id = ANY($2)`, sessionID, unticked); err != nil {
				return err
			}
		}
		if ra.Recorded+ra.Removed == 0 {
			return nil
		}
		return appendAudit(ctx, tx, actor, "attendance.roster", "training_session", idString(sessionID), nil, ra)
	})
	return ra.RosterCounts, wrap("save roster", err)
}

func equalScore(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// SaveDrillResults records the outcome of a phishing drill (標的型攻撃メール訓練) for a unit's
// roster: each target took part (an attendance, completed on the drill's day) with whether they
// opened the mail, clicked a link or opened an attachment, and reported it to the 窓口; a person
// who was not a target has no attendance. The trail records one event with the counts.
func (db *DB) SaveDrillResults(ctx context.Context, actor isms.Actor, sessionID, unitID int64, entries []isms.DrillEntry) (isms.RosterCounts, error) {
	if err := requirePerm(actor, isms.PermManageTraining); err != nil {
		return isms.RosterCounts{}, wrap("save drill results", err)
	}
	ra := rosterAudit{UnitID: unitID}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		s, err := rosterSession(ctx, tx, sessionID, isms.CourseDrill)
		if err != nil {
			return err
		}
		ids := make([]int64, len(entries))
		for i, e := range entries {
			ids[i] = e.PersonID
		}
		roster, err := rosterPeople(ctx, tx, sessionID, unitID, ids)
		if err != nil {
			return err
		}
		targets := 0
		for _, a := range roster {
			if a != nil {
				targets++
			}
		}
		for _, e := range entries {
			stored := roster[e.PersonID]
			target := e.Target || e.Opened || e.Clicked || e.Reported
			switch {
			case target && stored != nil && stored.Completed && stored.Opened == e.Opened && stored.Clicked == e.Clicked &&
				stored.Reported == e.Reported:
			case target:
				if _, err := tx.Exec(ctx, `
					INSERT INTO attendances (session_id, person_id, completed, completed_on, opened, clicked, reported, recorded_by)
					VALUES ($1, $2, true, $3, $4, $5, $6, $7)
					ON CONFLICT (session_id, person_id) DO UPDATE SET completed = true,
						completed_on = coalesce(attendances.completed_on, EXCLUDED.completed_on), opened = EXCLUDED.opened,
						clicked = EXCLUDED.clicked, reported = EXCLUDED.reported, recorded_by = EXCLUDED.recorded_by,
						updated_at = now(), version = attendances.version + 1`,
					sessionID, e.PersonID, s.HeldOn, e.Opened, e.Clicked, e.Reported, userRef(actor)); err != nil {
					return err
				}
				if stored == nil {
					targets++
				}
				ra.recorded(e.PersonID)
			case stored != nil:
				if _, err := tx.Exec(ctx, removeAttendance, sessionID, e.PersonID); err != nil {
					return err
				}
				targets--
				ra.removed(e.PersonID)
			}
		}
		if ra.Recorded+ra.Removed == 0 {
			return nil
		}
		ra.Targets = &targets
		return appendAudit(ctx, tx, actor, "attendance.drill", "training_session", idString(sessionID), nil, ra)
	})
	return ra.RosterCounts, wrap("save drill results", err)
}

// AttendanceImport is the rows of an attendance list (受講記録, typically exported by an
// e-learning system) on their way into one session, read from the file by the caller.
type AttendanceImport struct {
	ID        int64 // the import, for the write
	SessionID int64
	Rows      []AttendanceImportRow
}

// AttendanceImportRow is one row of the list: the person found by their employee number (0 when
// the row has none), and their attendance.
type AttendanceImportRow struct {
	Row         int // the spreadsheet's row number, for messages
	PersonID    int64
	Completed   bool
	CompletedOn *time.Time // nil: the session's day, for a completion
	Score       *int
	Evidence    string
}

// FindAttendeeNumbers returns every person with an employee number, by that number, for matching
// the rows of an attendance list: a list may name people whose service has ended since.
func (db *DB) FindAttendeeNumbers(ctx context.Context, actor isms.Actor) (map[string]int64, error) {
	if err := checkImports(actor, isms.ImportAttendance); err != nil {
		return nil, wrap("find attendee numbers", err)
	}
	rows, err := db.pool.Query(ctx, `SELECT employee_no, id FROM people WHERE employee_no <> ''`)
	if err != nil {
		return nil, wrap("find attendee numbers", err)
	}
	out := map[string]int64{}
	var no string
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&no, &id}, func() error { out[no] = id; return nil })
	return out, wrap("find attendee numbers", err)
}

// CheckAttendanceImport checks every row of an attendance list and returns the bad ones. Nothing
// is written.
func (db *DB) CheckAttendanceImport(ctx context.Context, actor isms.Actor, imp AttendanceImport) ([]RowErrors, error) {
	if err := checkImports(actor, isms.ImportAttendance); err != nil {
		return nil, wrap("check attendance import", err)
	}
	_, bad, err := db.importRows(ctx, actor, 0, "", len(imp.Rows), func(tx pgx.Tx) ([]RowErrors, error) {
		_, bad, err := checkAttendanceRows(ctx, tx, imp)
		return bad, err
	})
	return bad, wrap("check attendance import", err)
}

// ImportAttendance writes every row of a checked attendance list into its session in one
// transaction, checking them again: if any row is bad, nothing is written and the bad rows are
// returned. A row's person gets an attendance, or has theirs changed: a score or evidence the
// list leaves empty keeps the one recorded. The trail records the import as one event
// (attendance.import) with its row count.
func (db *DB) ImportAttendance(ctx context.Context, actor isms.Actor, imp AttendanceImport) (int, []RowErrors, error) {
	if err := checkImports(actor, isms.ImportAttendance); err != nil {
		return 0, nil, wrap("import attendance", err)
	}
	n, bad, err := db.importRows(ctx, actor, imp.ID, "attendance.import", len(imp.Rows), func(tx pgx.Tx) ([]RowErrors, error) {
		day, bad, err := checkAttendanceRows(ctx, tx, imp)
		if err != nil || len(bad) > 0 {
			return bad, err
		}
		b := &pgx.Batch{}
		for _, r := range imp.Rows {
			on := r.CompletedOn
			switch {
			case !r.Completed:
				on = nil
			case on == nil:
				on = &day
			}
			b.Queue(`
				INSERT INTO attendances (session_id, person_id, completed, completed_on, score, evidence, recorded_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (session_id, person_id) DO UPDATE SET completed = EXCLUDED.completed,
					completed_on = EXCLUDED.completed_on, score = coalesce(EXCLUDED.score, attendances.score),
					evidence = CASE WHEN EXCLUDED.evidence <> '' THEN EXCLUDED.evidence ELSE attendances.evidence END,
					recorded_by = EXCLUDED.recorded_by, updated_at = now(), version = attendances.version + 1`,
				imp.SessionID, r.PersonID, r.Completed, on, r.Score, strings.TrimSpace(r.Evidence), userRef(actor))
		}
		return nil, tx.SendBatch(ctx, b).Close()
	})
	return n, bad, wrap("import attendance", err)
}

// checkAttendanceRows locks the import's session and judges every row: a person named once, a
// score of 0 to 100, evidence that fits. It returns the session's day.
func checkAttendanceRows(ctx context.Context, tx pgx.Tx, imp AttendanceImport) (time.Time, []RowErrors, error) {
	s, err := findSession(ctx, tx, imp.SessionID, true)
	if err != nil {
		return time.Time{}, nil, err
	}
	var bad []RowErrors
	seen := make(map[int64]bool, len(imp.Rows))
	for i, r := range imp.Rows {
		fe := isms.FieldErrors{}
		fe.Check(r.PersonID != 0, "employee_no", "validation.required")
		fe.Check(r.PersonID == 0 || !seen[r.PersonID], "employee_no", "import.error.person_twice")
		seen[r.PersonID] = true
		fe.Check(r.Score == nil || *r.Score >= 0 && *r.Score <= 100, "score", "attendance.error.score")
		fe.Check(len([]rune(strings.TrimSpace(r.Evidence))) <= 100, "evidence", "validation.too_long")
		if len(fe) > 0 {
			bad = append(bad, RowErrors{Index: i, Errors: fe})
		}
	}
	return s.HeldOn, bad, nil
}
