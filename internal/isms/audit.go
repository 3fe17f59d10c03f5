package isms

import (
	"encoding/json"
	"time"
)

// AuditEvent is one row of the append-only audit trail. Before and After hold the record as
// it was and as it became (JSON), so that a reader can see exactly what changed.
type AuditEvent struct {
	ID         int64
	At         time.Time
	ActorID    int64
	ActorLabel string
	Action     string // verb.noun, e.g. "asset.update", "schema.migrate"
	EntityType string
	EntityID   string
	Before     json.RawMessage
	After      json.RawMessage
	RequestID  string
	ClientAddr string
}
