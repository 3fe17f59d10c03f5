package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

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
