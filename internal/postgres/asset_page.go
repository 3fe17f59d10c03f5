package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// What the asset pages read besides the register itself: an asset by the number staff type (a
// medium's contents), and an asset's change history.

// FindAssetByNumber returns the asset with the number (資産番号) within the actor's scope; any
// other is ENOTFOUND, as for FindAsset.
func (db *DB) FindAssetByNumber(ctx context.Context, actor isms.Actor, number string) (isms.Asset, error) {
	args := []any{strings.TrimSpace(number)}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	a, err := scanAsset(db.pool.QueryRow(ctx, `SELECT `+assetColumns+` FROM assets a
		WHERE a.number = $1 AND `+inScope("a", actor, arg), args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, isms.Errorf(isms.ENOTFOUND, "asset %q not found", number)
	}
	return a, wrap("find asset by number", err)
}

// FindAssetHistory returns the newest limit events of an asset's change history (its audit-trail
// events), newest first, with the id to page on in the audit trail viewer (0 when there are no
// more). Those who review the trail read it, and so do those who may edit the asset; an asset
// outside the actor's scope is ENOTFOUND.
func (db *DB) FindAssetHistory(ctx context.Context, actor isms.Actor, assetID int64, limit int) ([]isms.AuditEvent, int64, error) {
	a, err := findAsset(ctx, db.pool, actor, assetID)
	if err != nil {
		return nil, 0, wrap("find asset history", err)
	}
	if !actor.Can(isms.PermViewAuditTrail) && !actor.Edits(a.UnitID) {
		return nil, 0, isms.Errorf(isms.EFORBIDDEN, "not permitted")
	}
	events, next, err := db.findAuditEvents(ctx, isms.AuditFilter{EntityType: "asset", EntityID: idString(assetID), Limit: limit})
	return events, next, wrap("find asset history", err)
}
