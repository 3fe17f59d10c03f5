package postgres

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The information security committee (情報セキュリティ委員会): its meetings with the members present,
// the agenda with the decision on each item, and the yearly improvement plan (改善計画). Those who
// read the committee (isms.ReadsCommittee) read them, others are refused (EFORBIDDEN); the security
// office (PermManageCommittee) keeps them. A measure of the improvement plan is also the business
// of the unit that carries it out: whoever sees that unit reads the measure, and its 管理者 record
// its progress.

func requireCommitteeReader(actor isms.Actor) error {
	if !isms.ReadsCommittee(actor) {
		return isms.Errorf(isms.EFORBIDDEN, "only the committee's readers")
	}
	return nil
}

// meetingColumns are read by every query that returns isms.Meeting (without its attendees' names
// and agenda), in scanMeeting's order.
const meetingColumns = `m.id, m.title, m.held_on, m.place, m.status, m.guests, m.minutes, m.version,
	coalesce((SELECT array_agg(a.person_id ORDER BY a.person_id) FROM committee_attendees a WHERE a.meeting_id = m.id), '{}')`

func scanMeeting(row pgx.Row) (isms.Meeting, error) {
	var m isms.Meeting
	err := row.Scan(&m.ID, &m.Title, &m.HeldOn, &m.Place, &m.Status, &m.Guests, &m.Minutes, &m.Version, &m.AttendeeIDs)
	return m, err
}

// FindMeetings returns the meetings of fiscal year fy in the order they are (to be) held.
func (db *DB) FindMeetings(ctx context.Context, actor isms.Actor, fy int) ([]isms.Meeting, error) {
	if err := requireCommitteeReader(actor); err != nil {
		return nil, wrap("find meetings", err)
	}
	start, end := isms.FiscalYearBounds(fy)
	rows, err := db.pool.Query(ctx, `SELECT `+meetingColumns+` FROM committee_meetings m
		WHERE m.held_on BETWEEN $1 AND $2 ORDER BY m.held_on, m.id`, start, end)
	if err != nil {
		return nil, wrap("find meetings", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.Meeting, error) { return scanMeeting(row) })
	return list, wrap("find meetings", err)
}

// FindMeeting returns a meeting with its attendees and agenda.
func (db *DB) FindMeeting(ctx context.Context, actor isms.Actor, id int64) (isms.Meeting, error) {
	if err := requireCommitteeReader(actor); err != nil {
		return isms.Meeting{}, wrap("find meeting", err)
	}
	m, err := findMeeting(ctx, db.pool, id, false)
	return m, wrap("find meeting", err)
}

// findMeeting reads a meeting whole; lock holds its row until the transaction ends.
func findMeeting(ctx context.Context, q querier, id int64, lock bool) (isms.Meeting, error) {
	query := `SELECT ` + meetingColumns + ` FROM committee_meetings m WHERE m.id = $1`
	if lock {
		query += ` FOR UPDATE`
	}
	m, err := scanMeeting(q.QueryRow(ctx, query, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return m, isms.Errorf(isms.ENOTFOUND, "meeting %d not found", id)
	}
	if err != nil {
		return m, err
	}
	rows, err := q.Query(ctx, `SELECT p.id, p.name FROM committee_attendees a JOIN people p ON p.id = a.person_id
		WHERE a.meeting_id = $1 ORDER BY p.name_kana, p.id`, id)
	if err != nil {
		return m, err
	}
	if m.Attendees, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.MeetingAttendee]); err != nil {
		return m, err
	}
	rows, err = q.Query(ctx, `SELECT `+agendaColumns+` FROM committee_agenda_items WHERE meeting_id = $1 ORDER BY position`, id)
	if err != nil {
		return m, err
	}
	m.Agenda, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.AgendaItem])
	return m, err
}

const agendaColumns = `id, meeting_id, position, subject, subject_kind, subject_id, subject_year, subject_label,
	outcome, decision, version`

// checkMeeting checks the meeting form with what only the database knows, all problems at once:
// an attendee must be a member, a person holding COMMITTEE_MEMBER on the meeting's day or one
// recorded already (a member since rotated out stays on the minutes); a meeting with decisions
// (before, when it exists) stays held.
func checkMeeting(ctx context.Context, tx pgx.Tx, actor isms.Actor, in isms.MeetingInput, before *isms.Meeting) error {
	fe := in.Validate(actor.Day())
	if len(in.AttendeeIDs) > 0 && in.HeldOn != nil {
		var current []int64
		if before != nil {
			current = before.AttendeeIDs
		}
		var members int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM people p WHERE p.id = ANY($1) AND (p.id = ANY($2) OR EXISTS (
			SELECT 1 FROM role_assignments r WHERE r.person_id = p.id AND r.role_code = $3 AND `+activeOn("r", "$4")+`))`,
			in.AttendeeIDs, current, isms.RoleCodeCommittee, *in.HeldOn).Scan(&members); err != nil {
			return err
		}
		fe.Check(members == len(in.AttendeeIDs), "attendees", "committee.error.attendee")
	}
	if before != nil {
		fe.Check(in.Status == isms.MeetingHeld || !slices.ContainsFunc(before.Agenda, func(it isms.AgendaItem) bool {
			return it.Outcome != ""
		}), "status", "committee.error.decided_planned")
	}
	return fe.Err()
}

// saveAttendees replaces the members present at a meeting.
func saveAttendees(ctx context.Context, tx pgx.Tx, id int64, ids []int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM committee_attendees WHERE meeting_id = $1`, id); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO committee_attendees (meeting_id, person_id) SELECT $1, unnest($2::bigint[])`, id, ids)
	return err
}

// CreateMeeting records a meeting of the committee, planned or held.
func (db *DB) CreateMeeting(ctx context.Context, actor isms.Actor, in isms.MeetingInput) (isms.Meeting, error) {
	if err := requirePerm(actor, isms.PermManageCommittee); err != nil {
		return isms.Meeting{}, wrap("create meeting", err)
	}
	in.Normalize()
	var m isms.Meeting
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkMeeting(ctx, tx, actor, in, nil); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO committee_meetings (title, held_on, place, status, guests, minutes, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			in.Title, in.HeldOn, in.Place, in.Status, in.Guests, in.Minutes, userRef(actor)).Scan(&id); err != nil {
			return err
		}
		if err := saveAttendees(ctx, tx, id, in.AttendeeIDs); err != nil {
			return err
		}
		var err error
		if m, err = findMeeting(ctx, tx, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "committee_meeting.create", "committee_meeting", idString(id), nil, m)
	})
	return m, wrap("create meeting", err)
}

// UpdateMeeting changes a meeting's details, its attendees and minutes; in.Version is the version
// the form showed (else ECONFLICT). The agenda is changed item by item.
func (db *DB) UpdateMeeting(ctx context.Context, actor isms.Actor, id int64, in isms.MeetingInput) (isms.Meeting, error) {
	if err := requirePerm(actor, isms.PermManageCommittee); err != nil {
		return isms.Meeting{}, wrap("update meeting", err)
	}
	in.Normalize()
	var after isms.Meeting
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findMeeting(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return errConflict("the meeting")
		}
		if err := checkMeeting(ctx, tx, actor, in, &before); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE committee_meetings SET title = $2, held_on = $3, place = $4, status = $5,
			guests = $6, minutes = $7, updated_at = now(), version = version + 1 WHERE id = $1`,
			id, in.Title, in.HeldOn, in.Place, in.Status, in.Guests, in.Minutes); err != nil {
			return err
		}
		if err := saveAttendees(ctx, tx, id, in.AttendeeIDs); err != nil {
			return err
		}
		if after, err = findMeeting(ctx, tx, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "committee_meeting.update", "committee_meeting", idString(id), before, after)
	})
	return after, wrap("update meeting", err)
}

// touchMeeting marks a meeting updated by a change of its agenda. The agenda's changes do not
// raise the meeting's version, which guards the meeting's own form.
func touchMeeting(ctx context.Context, tx pgx.Tx, id int64) error {
	_, err := tx.Exec(ctx, `UPDATE committee_meetings SET updated_at = now() WHERE id = $1`, id)
	return err
}

// AddAgendaItem adds an item at the end of a meeting's agenda.
func (db *DB) AddAgendaItem(ctx context.Context, actor isms.Actor, meetingID int64, in isms.AgendaInput) (isms.AgendaItem, error) {
	if err := requirePerm(actor, isms.PermManageCommittee); err != nil {
		return isms.AgendaItem{}, wrap("add agenda item", err)
	}
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.AgendaItem{}, wrap("add agenda item", err)
	}
	var it isms.AgendaItem
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := findMeeting(ctx, tx, meetingID, true); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `
			INSERT INTO committee_agenda_items (meeting_id, position, subject, subject_kind, subject_id, subject_year, subject_label)
			VALUES ($1, (SELECT coalesce(max(position), 0) + 1 FROM committee_agenda_items WHERE meeting_id = $1), $2, $3, $4, $5, $6)
			RETURNING `+agendaColumns,
			meetingID, in.Subject, in.SubjectKind, in.SubjectID, in.SubjectYear, in.SubjectLabel)
		if err != nil {
			return err
		}
		if it, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[isms.AgendaItem]); err != nil {
			return err
		}
		if err := touchMeeting(ctx, tx, meetingID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "committee_meeting.agenda_add", "committee_meeting", idString(meetingID), nil, it)
	})
	return it, wrap("add agenda item", err)
}

// lockAgendaItem reads an item of a meeting's agenda, with the meeting, locking both.
func lockAgendaItem(ctx context.Context, tx pgx.Tx, meetingID, itemID int64) (isms.Meeting, isms.AgendaItem, error) {
	m, err := findMeeting(ctx, tx, meetingID, true)
	if err != nil {
		return m, isms.AgendaItem{}, err
	}
	rows, err := tx.Query(ctx, `SELECT `+agendaColumns+` FROM committee_agenda_items WHERE id = $1 AND meeting_id = $2 FOR UPDATE`,
		itemID, meetingID)
	if err != nil {
		return m, isms.AgendaItem{}, err
	}
	it, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[isms.AgendaItem])
	if errors.Is(err, pgx.ErrNoRows) {
		return m, it, isms.Errorf(isms.ENOTFOUND, "agenda item %d not found", itemID)
	}
	return m, it, err
}

// DecideAgendaItem records the committee's decision on an item: the outcome and its wording. Only
// a meeting that was held decides. It changes nothing in what the item points at: each part of
// the portal records its own approval.
func (db *DB) DecideAgendaItem(ctx context.Context, actor isms.Actor, meetingID, itemID int64, in isms.DecisionInput) (isms.AgendaItem, error) {
	if err := requirePerm(actor, isms.PermManageCommittee); err != nil {
		return isms.AgendaItem{}, wrap("decide agenda item", err)
	}
	in.Decision = strings.TrimSpace(in.Decision)
	if err := in.Validate().Err(); err != nil {
		return isms.AgendaItem{}, wrap("decide agenda item", err)
	}
	var after isms.AgendaItem
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		m, before, err := lockAgendaItem(ctx, tx, meetingID, itemID)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return errConflict("the agenda item")
		}
		if m.Status != isms.MeetingHeld {
			return isms.FieldErrors{"outcome": "committee.error.not_held"}.Err()
		}
		rows, err := tx.Query(ctx, `UPDATE committee_agenda_items SET outcome = $2, decision = $3, updated_at = now(),
			version = version + 1 WHERE id = $1 RETURNING `+agendaColumns, itemID, in.Outcome, in.Decision)
		if err != nil {
			return err
		}
		if after, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[isms.AgendaItem]); err != nil {
			return err
		}
		if err := touchMeeting(ctx, tx, meetingID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "committee_meeting.decide", "committee_meeting", idString(meetingID), before, after)
	})
	return after, wrap("decide agenda item", err)
}

// RemoveAgendaItem takes an undecided item off a meeting's agenda; a decided one is part of the
// minutes and stays.
func (db *DB) RemoveAgendaItem(ctx context.Context, actor isms.Actor, meetingID, itemID int64, version int) error {
	if err := requirePerm(actor, isms.PermManageCommittee); err != nil {
		return wrap("remove agenda item", err)
	}
	return wrap("remove agenda item", db.inTx(ctx, func(tx pgx.Tx) error {
		_, before, err := lockAgendaItem(ctx, tx, meetingID, itemID)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errConflict("the agenda item")
		}
		if before.Outcome != "" {
			return isms.FieldErrors{"agenda": "committee.error.decided"}.Err()
		}
		if _, err := tx.Exec(ctx, `DELETE FROM committee_agenda_items WHERE id = $1`, itemID); err != nil {
			return err
		}
		if err := touchMeeting(ctx, tx, meetingID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "committee_meeting.agenda_remove", "committee_meeting", idString(meetingID), before, nil)
	}))
}

// FindCommitteeCalendar returns the committee's meetings of fiscal year fy for the calendar,
// which everyone reads; a meeting's page is linked for those who read the committee.
func (db *DB) FindCommitteeCalendar(ctx context.Context, actor isms.Actor, fy int) ([]isms.CalendarEntry, error) {
	start, end := isms.FiscalYearBounds(fy)
	rows, err := db.pool.Query(ctx, `SELECT id, title, held_on FROM committee_meetings
		WHERE held_on BETWEEN $1 AND $2 ORDER BY held_on, id`, start, end)
	if err != nil {
		return nil, wrap("find committee calendar", err)
	}
	reads := isms.ReadsCommittee(actor)
	var entries []isms.CalendarEntry
	var id int64
	var e isms.CalendarEntry
	_, err = pgx.ForEachRow(rows, []any{&id, &e.Title, &e.Start}, func() error {
		e.Kind, e.Href = "committee", ""
		if reads {
			e.Href = "/committee/meetings/" + idString(id)
		}
		entries = append(entries, e)
		return nil
	})
	return entries, wrap("find committee calendar", err)
}

// findImprovementPlan reads the plan of fiscal year fy with its measures in the order they were
// added; a year without a plan is an empty plan of version 0. lock holds its row.
func findImprovementPlan(ctx context.Context, q querier, fy int, lock bool) (isms.ImprovementPlan, error) {
	p := isms.ImprovementPlan{FiscalYear: fy}
	query := `SELECT approved_on, approved_by, version FROM improvement_plans WHERE fiscal_year = $1`
	if lock {
		query += ` FOR UPDATE`
	}
	err := q.QueryRow(ctx, query, fy).Scan(&p.ApprovedOn, &p.ApprovedBy, &p.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	rows, err := q.Query(ctx, `SELECT `+improvementColumns+` FROM `+improvementFrom+` WHERE i.fiscal_year = $1 ORDER BY i.id`, fy)
	if err != nil {
		return p, err
	}
	p.Items, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.ImprovementItem])
	return p, err
}

const improvementColumns = `i.id, i.fiscal_year, i.measure, i.unit_id, i.due_on, i.status, i.progress, i.version, u.name`

const improvementFrom = `improvement_items i JOIN units u ON u.id = i.unit_id`

func findImprovementItem(ctx context.Context, q querier, id int64, lock bool) (isms.ImprovementItem, error) {
	query := `SELECT ` + improvementColumns + ` FROM ` + improvementFrom + ` WHERE i.id = $1`
	if lock {
		query += ` FOR UPDATE OF i`
	}
	rows, err := q.Query(ctx, query, id)
	if err != nil {
		return isms.ImprovementItem{}, err
	}
	it, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[isms.ImprovementItem])
	if errors.Is(err, pgx.ErrNoRows) {
		return it, isms.Errorf(isms.ENOTFOUND, "improvement item %d not found", id)
	}
	return it, err
}

// validFiscalYear answers ENOTFOUND for a fiscal year no plan can have (a mistyped address).
func validFiscalYear(fy int) error {
	if fy < 2000 || fy > 2100 {
		return isms.Errorf(isms.ENOTFOUND, "no fiscal year %d", fy)
	}
	return nil
}

// FindImprovementPlan returns the improvement plan of fiscal year fy.
func (db *DB) FindImprovementPlan(ctx context.Context, actor isms.Actor, fy int) (isms.ImprovementPlan, error) {
	if err := requireCommitteeReader(actor); err != nil {
		return isms.ImprovementPlan{}, wrap("find improvement plan", err)
	}
	if err := validFiscalYear(fy); err != nil {
		return isms.ImprovementPlan{}, wrap("find improvement plan", err)
	}
	p, err := findImprovementPlan(ctx, db.pool, fy, false)
	return p, wrap("find improvement plan", err)
}

// FindImprovementItem returns one measure of an improvement plan to those who read the committee
// and to those who see the unit carrying it out (ENOTFOUND for others).
func (db *DB) FindImprovementItem(ctx context.Context, actor isms.Actor, id int64) (isms.ImprovementItem, error) {
	it, err := findImprovementItem(ctx, db.pool, id, false)
	if err == nil && !isms.ReadsCommittee(actor) && !actor.Sees(it.UnitID) {
		return isms.ImprovementItem{}, isms.Errorf(isms.ENOTFOUND, "improvement item %d not found", id)
	}
	return it, wrap("find improvement item", err)
}

// changePlan readies the plan of fiscal year fy for a change of its measures: it creates the plan
// when the year has none and locks it. A plan that changes is no longer the plan the committee
// approved, so an approval is withdrawn (in the trail as such), to be given again; in either case
// the plan's version rises, so that an approval form showing the plan before is stale.
func changePlan(ctx context.Context, tx pgx.Tx, actor isms.Actor, fy int) error {
	if _, err := tx.Exec(ctx, `INSERT INTO improvement_plans (fiscal_year) VALUES ($1) ON CONFLICT DO NOTHING`, fy); err != nil {
		return err
	}
	before, err := findImprovementPlan(ctx, tx, fy, true)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE improvement_plans SET approved_on = NULL, approved_by = '', updated_at = now(),
		version = version + 1 WHERE fiscal_year = $1`, fy); err != nil {
		return err
	}
	if before.ApprovedOn == nil {
		return nil
	}
	after, err := findImprovementPlan(ctx, tx, fy, false)
	if err != nil {
		return err
	}
	return appendAudit(ctx, tx, actor, "improvement_plan.withdraw", "improvement_plan", idString(int64(fy)), before, after)
}

// checkImprovementUnit refuses a unit that does not exist.
func checkImprovementUnit(ctx context.Context, tx pgx.Tx, unitID int64) (isms.FieldErrors, error) {
	fe := isms.FieldErrors{}
	var known bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE id = $1)`, unitID).Scan(&known)
	fe.Check(known, "unit_id", "validation.choose")
	return fe, err
}

// AddImprovementItem adds a measure to the improvement plan of fiscal year fy, making the plan
// when the year has none.
func (db *DB) AddImprovementItem(ctx context.Context, actor isms.Actor, fy int, in isms.ImprovementItemInput) (isms.ImprovementItem, error) {
	if err := requirePerm(actor, isms.PermManageCommittee); err != nil {
		return isms.ImprovementItem{}, wrap("add improvement item", err)
	}
	if err := validFiscalYear(fy); err != nil {
		return isms.ImprovementItem{}, wrap("add improvement item", err)
	}
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.ImprovementItem{}, wrap("add improvement item", err)
	}
	var it isms.ImprovementItem
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		fe, err := checkImprovementUnit(ctx, tx, in.UnitID)
		if err != nil {
			return err
		}
		if err := fe.Err(); err != nil {
			return err
		}
		if err := changePlan(ctx, tx, actor, fy); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO improvement_items (fiscal_year, measure, unit_id, due_on)
			VALUES ($1, $2, $3, $4) RETURNING id`, fy, in.Measure, in.UnitID, in.DueOn).Scan(&id); err != nil {
			return err
		}
		if it, err = findImprovementItem(ctx, tx, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "improvement_plan.item_add", "improvement_plan", idString(int64(fy)), nil, it)
	})
	return it, wrap("add improvement item", err)
}

// UpdateImprovementItem changes what the plan says of a measure: the measure, its unit and its due
// day. A change withdraws the plan's approval; a form that changes nothing writes nothing.
func (db *DB) UpdateImprovementItem(ctx context.Context, actor isms.Actor, id int64, in isms.ImprovementItemInput) (isms.ImprovementItem, error) {
	if err := requirePerm(actor, isms.PermManageCommittee); err != nil {
		return isms.ImprovementItem{}, wrap("update improvement item", err)
	}
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.ImprovementItem{}, wrap("update improvement item", err)
	}
	var after isms.ImprovementItem
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findImprovementItem(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return errConflict("the measure")
		}
		fe, err := checkImprovementUnit(ctx, tx, in.UnitID)
		if err != nil {
			return err
		}
		if err := fe.Err(); err != nil {
			return err
		}
		sameDue := before.DueOn == nil && in.DueOn == nil || before.DueOn != nil && in.DueOn != nil && before.DueOn.Equal(*in.DueOn)
		if before.Measure == in.Measure && before.UnitID == in.UnitID && sameDue {
			after = before
			return nil
		}
		if err := changePlan(ctx, tx, actor, before.FiscalYear); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE improvement_items SET measure = $2, unit_id = $3, due_on = $4, updated_at = now(),
			version = version + 1 WHERE id = $1`, id, in.Measure, in.UnitID, in.DueOn); err != nil {
			return err
		}
		if after, err = findImprovementItem(ctx, tx, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "improvement_plan.item_update", "improvement_plan", idString(int64(before.FiscalYear)), before, after)
	})
	return after, wrap("update improvement item", err)
}

// RecordImprovementProgress records how far a measure has come: its status and a note. The
// security office checks progress for the committee; the 管理者 of the unit carrying the measure
// out report it. Progress is not a change of the plan: the approval stays.
func (db *DB) RecordImprovementProgress(ctx context.Context, actor isms.Actor, id int64, in isms.ProgressInput) (isms.ImprovementItem, error) {
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.ImprovementItem{}, wrap("record improvement progress", err)
	}
	var after isms.ImprovementItem
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findImprovementItem(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if !isms.ReadsCommittee(actor) && !actor.Sees(before.UnitID) {
			return isms.Errorf(isms.ENOTFOUND, "improvement item %d not found", id)
		}
		if !actor.Can(isms.PermManageCommittee) && !actor.Manages(before.UnitID) {
			return isms.Errorf(isms.EFORBIDDEN, "only the security office and the unit's managers record progress")
		}
		if before.Version != in.Version {
			return errConflict("the measure")
		}
		if _, err := tx.Exec(ctx, `UPDATE improvement_items SET status = $2, progress = $3, updated_at = now(),
			version = version + 1 WHERE id = $1`, id, in.Status, in.Progress); err != nil {
			return err
		}
		if after, err = findImprovementItem(ctx, tx, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "improvement_plan.progress", "improvement_plan", idString(int64(before.FiscalYear)), before, after)
	})
	return after, wrap("record improvement progress", err)
}

// RemoveImprovementItem takes a measure out of its plan, withdrawing the plan's approval, and
// returns the plan's fiscal year.
func (db *DB) RemoveImprovementItem(ctx context.Context, actor isms.Actor, id int64, version int) (int, error) {
	if err := requirePerm(actor, isms.PermManageCommittee); err != nil {
		return 0, wrap("remove improvement item", err)
	}
	var fy int
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findImprovementItem(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errConflict("the measure")
		}
		fy = before.FiscalYear
		if err := changePlan(ctx, tx, actor, fy); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM improvement_items WHERE id = $1`, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "improvement_plan.item_remove", "improvement_plan", idString(int64(fy)), before, nil)
	})
	return fy, wrap("remove improvement item", err)
}

// ApproveImprovementPlan records the committee's approval of the plan of fiscal year fy: the day
// and who approved it. Only a plan with a measure is approved; in.Version is the plan's version as
// the page showed it.
func (db *DB) ApproveImprovementPlan(ctx context.Context, actor isms.Actor, fy int, in isms.ApprovalInput) (isms.ImprovementPlan, error) {
	if err := requirePerm(actor, isms.PermManageCommittee); err != nil {
		return isms.ImprovementPlan{}, wrap("approve improvement plan", err)
	}
	if err := validFiscalYear(fy); err != nil {
		return isms.ImprovementPlan{}, wrap("approve improvement plan", err)
	}
	in.ApprovedBy = strings.TrimSpace(in.ApprovedBy)
	if err := in.Validate(actor.Day()).Err(); err != nil {
		return isms.ImprovementPlan{}, wrap("approve improvement plan", err)
	}
	var after isms.ImprovementPlan
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findImprovementPlan(ctx, tx, fy, true)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return errConflict("the improvement plan")
		}
		if len(before.Items) == 0 {
			return isms.FieldErrors{"approval": "committee.error.plan_empty"}.Err()
		}
		if _, err := tx.Exec(ctx, `UPDATE improvement_plans SET approved_on = $2, approved_by = $3, updated_at = now(),
			version = version + 1 WHERE fiscal_year = $1`, fy, in.ApprovedOn, in.ApprovedBy); err != nil {
			return err
		}
		if after, err = findImprovementPlan(ctx, tx, fy, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "improvement_plan.approve", "improvement_plan", idString(int64(fy)), before, after)
	})
	return after, wrap("approve improvement plan", err)
}

// FindCommitteeTasks returns the open measures of improvement plans that the actor (unitID 0) has
// to carry out as the 管理者 of their unit, or that the unit unitID carries out (none when the
// actor sees neither the unit nor the committee).
func (db *DB) FindCommitteeTasks(ctx context.Context, actor isms.Actor, unitID int64) ([]isms.Task, error) {
	units := actor.ManagedUnitIDs
	if unitID != 0 {
		if !actor.Sees(unitID) && !isms.ReadsCommittee(actor) {
			return nil, nil
		}
		units = []int64{unitID}
	}
	if len(units) == 0 {
		return nil, nil
	}
	rows, err := db.pool.Query(ctx, `SELECT `+improvementColumns+` FROM `+improvementFrom+`
		WHERE i.unit_id = ANY($1) AND i.status IN ($2, $3) ORDER BY i.due_on NULLS LAST, i.id`,
		units, isms.ImprovementNotStarted, isms.ImprovementInProgress)
	if err != nil {
		return nil, wrap("find committee tasks", err)
	}
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.ImprovementItem])
	if err != nil {
		return nil, wrap("find committee tasks", err)
	}
	tasks := make([]isms.Task, len(items))
	for i, it := range items {
		tasks[i] = isms.Task{Kind: "improvement_plan", Title: it.Measure, Href: isms.ImprovementItemPath(it.ID),
			DueOn: it.DueOn, UnitID: it.UnitID, UnitName: it.UnitName}
	}
	return tasks, nil
}
