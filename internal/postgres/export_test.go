package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jichitai-isms/isms/internal/isms"
)

// Test access to unexported parts, for the external test package (which can import pgtest).

func (db *DB) Pool() *pgxpool.Pool { return db.pool }

func (db *DB) AppendAudit(ctx context.Context, actor isms.Actor, action, entityType, entityID string, before, after any) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		return appendAudit(ctx, tx, actor, action, entityType, entityID, before, after)
	})
}
