package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// appendAudit adds one event to the audit trail inside tx, the transaction of the change it
// records, so that the change and its record commit or vanish together. before and after are
// marshalled to JSON (nil stays SQL NULL: nothing existed before a creation or after a deletion).
// The request id and client address come from ctx; the database fills in the time and the hash chain.
func appendAudit(ctx context.Context, tx pgx.Tx, actor isms.Actor, action, entityType, entityID string, before, after any) error {
	b, err := auditJSON(before)
	if err != nil {
		return err
	}
	a, err := auditJSON(after)
	if err != nil {
		return err
	}
	var actorID *int64
	if actor.UserID != 0 {
		actorID = &actor.UserID
	}
	ri := isms.RequestFrom(ctx)
	_, err = tx.Exec(ctx, `
		INSERT INTO audit_events (actor_id, actor_label, action, entity_type, entity_id, before, after, request_id, client_addr, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', '')`,
		actorID, actor.Label, action, entityType, entityID, b, a, ri.ID, ri.ClientAddr)
	if err != nil {
		return fmt.Errorf("postgres: audit %s: %w", action, err)
	}
	return nil
}

func auditJSON(v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("postgres: audit value: %w", err)
	}
	return b, nil
}

// FindAuditEvents returns a page of the audit trail, newest first, for those who review it (the
// security office, the CISO, auditors). next is the id to pass as Before for the following page,
// or 0 when this page is the last. Dates are whole days in Japan time, whatever the session's zone.
func (db *DB) FindAuditEvents(ctx context.Context, actor isms.Actor, f isms.AuditFilter) (events []isms.AuditEvent, next int64, err error) {
	if err := requirePerm(actor, isms.PermViewAuditTrail); err != nil {
		return nil, 0, err
	}
	return db.findAuditEvents(ctx, f)
}

// findAuditEvents is FindAuditEvents once the caller has checked that the actor may read what
// the filter selects.
func (db *DB) findAuditEvents(ctx context.Context, f isms.AuditFilter) (events []isms.AuditEvent, next int64, err error) {
	if fe := f.Validate(); len(fe) > 0 {
		return nil, 0, fe.Err()
	}
	switch {
	case f.Limit <= 0:
		f.Limit = 50
	case f.Limit > 200:
		f.Limit = 200
	}
	where, args := []string{"true"}, []any{}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.Actor != "" {
		where = append(where, "lower(actor_label) = lower("+arg(f.Actor)+")") // audit_events_actor_label_idx
	}
	if f.EntityType != "" {
		where = append(where, "entity_type = "+arg(f.EntityType))
	}
	if f.EntityID != "" {
		where = append(where, "entity_id = "+arg(f.EntityID))
	}
	if f.Action != "" {
		where = append(where, "action = "+arg(f.Action))
	}
	// A day runs from midnight to midnight in Japan: the Japan date of the instant given, then the
	// start of that day (From) or of the next (To, exclusive).
	if !f.From.IsZero() {
		where = append(where, "at >= (("+arg(f.From)+"::timestamptz AT TIME ZONE 'Asia/Tokyo')::date)::timestamp AT TIME ZONE 'Asia/Tokyo'")
	}
	if !f.To.IsZero() {
		where = append(where, "at < (("+arg(f.To)+"::timestamptz AT TIME ZONE 'Asia/Tokyo')::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo'")
	}
	if f.Before > 0 {
		where = append(where, "id < "+arg(f.Before))
	}
	rows, err := db.pool.Query(ctx, `
		SELECT id, at, coalesce(actor_id, 0), actor_label, action, entity_type, entity_id, before, after, request_id, client_addr
		FROM audit_events WHERE `+strings.Join(where, " AND ")+`
		ORDER BY id DESC LIMIT `+arg(f.Limit+1), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: find audit events: %w", err)
	}
	events, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.AuditEvent, error) {
		var e isms.AuditEvent
		var before, after []byte
		err := r.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorLabel, &e.Action, &e.EntityType, &e.EntityID,
			&before, &after, &e.RequestID, &e.ClientAddr)
		e.Before, e.After = before, after
		return e, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: find audit events: %w", err)
	}
	if len(events) > f.Limit {
		events = events[:f.Limit]
		next = events[len(events)-1].ID
	}
	return events, next, nil
}

// AuditCheck is the result of walking the audit trail's hash chain.
type AuditCheck struct {
	Events   int64 // events checked
	BrokenID int64 // first event whose hash or link does not match; 0 when the chain is intact
}

// VerifyAudit recomputes every event's hash in id order and checks that each one links to its
// predecessor. A row altered, inserted or removed behind the portal's back shows as the first
// broken link.
func (db *DB) VerifyAudit(ctx context.Context) (AuditCheck, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT id, hash, prev_hash, hash = audit_event_hash(e)
		FROM audit_events e ORDER BY id`)
	if err != nil {
		return AuditCheck{}, fmt.Errorf("postgres: verify audit: %w", err)
	}
	defer rows.Close()
	var check AuditCheck
	last := []byte{} // the first event links to the empty hash
	for rows.Next() {
		var id int64
		var hash, link []byte
		var selfOK bool
		if err := rows.Scan(&id, &hash, &link, &selfOK); err != nil {
			return check, fmt.Errorf("postgres: verify audit: %w", err)
		}
		check.Events++
		if !selfOK || !bytes.Equal(link, last) {
			check.BrokenID = id
			return check, nil
		}
		last = hash
	}
	return check, rows.Err()
}
