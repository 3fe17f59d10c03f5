package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The work recorded on an incident: the timeline entries people write, the actions that find
// the cause, recover and prevent, and the reports owed to outside bodies. None of them raises the
// incident's version (that guards the triage form); each marks the incident updated.

// checkIncidentVisible answers ENOTFOUND for an incident the actor does not see, and locks the
// row of one they see until the transaction ends.
func checkIncidentVisible(ctx context.Context, tx pgx.Tx, actor isms.Actor, id int64) error {
	args := []any{id}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	query := `SELECT i.id FROM incidents i WHERE i.id = $1 AND ` + incidentVisible(actor, arg) + ` FOR UPDATE`
	err := tx.QueryRow(ctx, query, args...).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return isms.Errorf(isms.ENOTFOUND, "incident %d not found", id)
	}
	return err
}

// AddIncidentEvent adds a person's entry to the timeline (isms.RecordsIncidentEvents).
func (db *DB) AddIncidentEvent(ctx context.Context, actor isms.Actor, id int64, in isms.IncidentEventInput) error {
	in.Normalize()
	return wrap("add incident event", db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkIncidentVisible(ctx, tx, actor, id); err != nil {
			return err
		}
		if !isms.RecordsIncidentEvents(actor) {
			return isms.Errorf(isms.EFORBIDDEN, "auditors read the timeline")
		}
		now := time.Now()
		if err := in.Validate(now).Err(); err != nil {
			return err
		}
		if in.At.IsZero() {
			in.At = now
		}
		e := isms.IncidentEvent{Kind: in.Kind, At: in.At, Body: in.Body, CreatedBy: actor.UserID, Detail: map[string]string{}}
		err := tx.QueryRow(ctx, `
			INSERT INTO incident_events (incident_id, kind, at, body, created_by)
			VALUES ($1, $2, $3, $4, nullif($5, 0)) RETURNING id, created_at`,
			id, in.Kind, in.At, in.Body, actor.UserID).Scan(&e.ID, &e.CreatedAt)
		if err != nil {
			return err
		}
		if err := touchIncident(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "incident.event", "incident", idString(id), nil, e)
	}))
}

func findIncidentAction(ctx context.Context, tx pgx.Tx, incidentID, actionID int64) (isms.IncidentAction, error) {
	var a isms.IncidentAction
	err := tx.QueryRow(ctx, `
		SELECT a.id, a.kind, a.description, coalesce(a.owner_id, 0), coalesce(p.name, ''), a.due_on, a.done_on, a.version
		FROM incident_actions a LEFT JOIN people p ON p.id = a.owner_id
		WHERE a.id = $1 AND a.incident_id = $2 FOR UPDATE OF a`, actionID, incidentID).Scan(
		&a.ID, &a.Kind, &a.Description, &a.OwnerID, &a.OwnerName, &a.DueOn, &a.DoneOn, &a.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, isms.Errorf(isms.ENOTFOUND, "action %d not found", actionID)
	}
	return a, err
}

// AddIncidentAction adds an action (root cause, recovery, prevention).
func (db *DB) AddIncidentAction(ctx context.Context, actor isms.Actor, id int64, in isms.IncidentActionInput) error {
	in.Normalize()
	return wrap("add incident action", db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkIncidentVisible(ctx, tx, actor, id); err != nil {
			return err
		}
		if err := requireHandler(actor); err != nil {
			return err
		}
		fe := in.Validate()
		if in.OwnerID != 0 {
			var known bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM people WHERE id = $1)`, in.OwnerID).Scan(&known); err != nil {
				return err
			}
			fe.Check(known, "owner_id", "validation.choose")
		}
		if err := fe.Err(); err != nil {
			return err
		}
		var actionID int64
		err := tx.QueryRow(ctx, `
			INSERT INTO incident_actions (incident_id, kind, description, owner_id, due_on)
			VALUES ($1, $2, $3, nullif($4, 0), $5) RETURNING id`,
			id, in.Kind, in.Description, in.OwnerID, in.DueOn).Scan(&actionID)
		if err != nil {
			return err
		}
		a, err := findIncidentAction(ctx, tx, id, actionID)
		if err != nil {
			return err
		}
		if err := touchIncident(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "incident.action", "incident", idString(id), nil, a)
	}))
}

// checkDoneOn refuses a day of completion after the actor's day.
func checkDoneOn(actor isms.Actor, doneOn *time.Time) isms.FieldErrors {
	fe := isms.FieldErrors{}
	fe.Check(doneOn == nil || !doneOn.After(actor.Day()), "done_on", "incident.error.future")
	return fe
}

// CompleteIncidentAction records the day an action was done (nil: not done after all).
func (db *DB) CompleteIncidentAction(ctx context.Context, actor isms.Actor, id, actionID int64, version int, doneOn *time.Time) error {
	return wrap("complete incident action", db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkIncidentVisible(ctx, tx, actor, id); err != nil {
			return err
		}
		if err := requireHandler(actor); err != nil {
			return err
		}
		before, err := findIncidentAction(ctx, tx, id, actionID)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errConflict("the action")
		}
		if err := checkDoneOn(actor, doneOn).Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE incident_actions SET done_on = $2, updated_at = now(), version = version + 1
			WHERE id = $1`, actionID, doneOn); err != nil {
			return err
		}
		after, err := findIncidentAction(ctx, tx, id, actionID)
		if err != nil {
			return err
		}
		if err := touchIncident(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "incident.action_done", "incident", idString(id), before, after)
	}))
}

func findIncidentReport(ctx context.Context, tx pgx.Tx, incidentID, reportID int64) (isms.IncidentReport, error) {
	var r isms.IncidentReport
	err := tx.QueryRow(ctx, `SELECT id, recipient, due_on, done_on, note, version FROM incident_reports
		WHERE id = $1 AND incident_id = $2 FOR UPDATE`, reportID, incidentID).Scan(
		&r.ID, &r.Recipient, &r.DueOn, &r.DoneOn, &r.Note, &r.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, isms.Errorf(isms.ENOTFOUND, "report %d not found", reportID)
	}
	return r, err
}

// reportMade writes the timeline entry of a report made: to whom, on which day, and its note.
func reportMade(ctx context.Context, tx pgx.Tx, actor isms.Actor, id int64, r isms.IncidentReport) error {
	return addIncidentEvent(ctx, tx, actor, id, isms.EventReport, nil, r.Note, map[string]string{
		"recipient": string(r.Recipient), "done_on": r.DoneOn.Format(time.DateOnly)})
}

// AddIncidentReport adds a report to an outside body other than the PPC's.
func (db *DB) AddIncidentReport(ctx context.Context, actor isms.Actor, id int64, in isms.IncidentReportInput) error {
	in.Normalize()
	return wrap("add incident report", db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkIncidentVisible(ctx, tx, actor, id); err != nil {
			return err
		}
		if err := requireHandler(actor); err != nil {
			return err
		}
		fe := in.Validate()
		for field, key := range checkDoneOn(actor, in.DoneOn) {
			fe.Check(false, field, key)
		}
		if err := fe.Err(); err != nil {
			return err
		}
		var reportID int64
		err := tx.QueryRow(ctx, `
			INSERT INTO incident_reports (incident_id, recipient, due_on, done_on, note)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, id, in.Recipient, in.DueOn, in.DoneOn, in.Note).Scan(&reportID)
		if err != nil {
			return err
		}
		r, err := findIncidentReport(ctx, tx, id, reportID)
		if err != nil {
			return err
		}
		if r.DoneOn != nil {
			if err := reportMade(ctx, tx, actor, id, r); err != nil {
				return err
			}
		}
		if err := touchIncident(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "incident.report", "incident", idString(id), nil, r)
	}))
}

// UpdateIncidentReport records the day a report was made and its note (a report entry in the
// timeline when it is first made). The recipient stays; the due day changes only for the reports
// people add, since the portal dates the PPC's from the facts.
func (db *DB) UpdateIncidentReport(ctx context.Context, actor isms.Actor, id, reportID int64, version int, in isms.IncidentReportInput) error {
	in.Normalize()
	return wrap("update incident report", db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkIncidentVisible(ctx, tx, actor, id); err != nil {
			return err
		}
		if err := requireHandler(actor); err != nil {
			return err
		}
		before, err := findIncidentReport(ctx, tx, id, reportID)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errConflict("the report")
		}
		in.Recipient = before.Recipient
		fe := in.Validate()
		delete(fe, "recipient") // the report's own, PPC or not
		for field, key := range checkDoneOn(actor, in.DoneOn) {
			fe.Check(false, field, key)
		}
		if err := fe.Err(); err != nil {
			return err
		}
		if before.Recipient.PPC() {
			in.DueOn = before.DueOn
		}
		if _, err := tx.Exec(ctx, `UPDATE incident_reports SET due_on = $2, done_on = $3, note = $4,
			updated_at = now(), version = version + 1 WHERE id = $1`, reportID, in.DueOn, in.DoneOn, in.Note); err != nil {
			return err
		}
		after, err := findIncidentReport(ctx, tx, id, reportID)
		if err != nil {
			return err
		}
		if before.DoneOn == nil && after.DoneOn != nil {
			if err := reportMade(ctx, tx, actor, id, after); err != nil {
				return err
			}
		}
		if err := touchIncident(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "incident.report_update", "incident", idString(id), before, after)
	}))
}
