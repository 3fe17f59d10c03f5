package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// 棚卸: once a fiscal year the 情報セキュリティ管理者 of each 課 confirms that the unit's asset
// register is complete and current. A unit's ledger is its own assets, those of the units under it
// that have no 管理者 of their own (its 係), and those of units it took over in reorganisations;
// disposed assets are no longer on it.

// ledgerUnits is a recursive CTE "ledger(id)" of the units whose assets make up the ledger of the
// unit in parameter $1; $2 are the unit types that keep a ledger of their own.
const ledgerUnits = `WITH RECURSIVE ledger(id) AS (
		SELECT $1::bigint
		UNION SELECT u.id FROM units u JOIN ledger l
			ON (u.parent_id = l.id AND NOT (u.unit_type = ANY($2))) OR u.successor_id = l.id)`

// ledgerCounts counts a unit's ledger on day: its assets, and those past their review date.
func ledgerCounts(ctx context.Context, q querier, unitID int64, day time.Time) (assets, overdue int, err error) {
	err = q.QueryRow(ctx, ledgerUnits+`
		SELECT count(*), count(*) FILTER (WHERE a.review_due < $3::date) FROM assets a
		WHERE a.unit_id IN (SELECT id FROM ledger) AND a.status <> 'disposed'`,
		unitID, managedTypes(), isms.Day(day)).Scan(&assets, &overdue)
	return assets, overdue, err
}

// FindLedgerCounts returns what a unit's ledger holds on day, for a unit within the actor's scope.
func (db *DB) FindLedgerCounts(ctx context.Context, actor isms.Actor, unitID int64, day time.Time) (assets, overdue int, err error) {
	if !actor.Sees(unitID) {
		return 0, 0, isms.Errorf(isms.ENOTFOUND, "unit %d not found", unitID)
	}
	assets, overdue, err = ledgerCounts(ctx, db.pool, unitID, day)
	return assets, overdue, wrap("find ledger counts", err)
}

const confirmationColumns = `c.unit_id, c.fiscal_year, c.confirmed_by, c.confirmed_at, c.note, c.asset_count,
	c.overdue_count, coalesce(cu.display_name, '')`

func scanConfirmation(row pgx.Row) (isms.LedgerConfirmation, error) {
	var c isms.LedgerConfirmation
	err := row.Scan(&c.UnitID, &c.FiscalYear, &c.ConfirmedBy, &c.ConfirmedAt, &c.Note, &c.AssetCount,
		&c.OverdueCount, &c.ConfirmedByName)
	return c, err
}

// FindLedgerConfirmation returns a unit's confirmation of fiscal year fy, or nil when there is none
// yet. A unit outside the actor's scope is ENOTFOUND.
func (db *DB) FindLedgerConfirmation(ctx context.Context, actor isms.Actor, unitID int64, fy int) (*isms.LedgerConfirmation, error) {
	if !actor.Sees(unitID) {
		return nil, isms.Errorf(isms.ENOTFOUND, "unit %d not found", unitID)
	}
	c, err := scanConfirmation(db.pool.QueryRow(ctx, `SELECT `+confirmationColumns+`
		FROM ledger_confirmations c LEFT JOIN users cu ON cu.id = c.confirmed_by
		WHERE c.unit_id = $1 AND c.fiscal_year = $2`, unitID, fy))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("find ledger confirmation", err)
	}
	return &c, nil
}

// ConfirmLedger records that the actor, a 管理者 of the unit, confirmed its ledger at the moment
// at, for the fiscal year of that day, with the ledger's counts as they stand. A unit outside the
// actor's scope is ENOTFOUND; one they see but do not manage is EFORBIDDEN; a second confirmation
// of the same year is ECONFLICT (the first stands).
func (db *DB) ConfirmLedger(ctx context.Context, actor isms.Actor, unitID int64, at time.Time, note string) (isms.LedgerConfirmation, error) {
	note = strings.TrimSpace(note)
	if !actor.Sees(unitID) {
		return isms.LedgerConfirmation{}, isms.Errorf(isms.ENOTFOUND, "unit %d not found", unitID)
	}
	if !actor.SignedIn() || !actor.Manages(unitID) {
		return isms.LedgerConfirmation{}, isms.Errorf(isms.EFORBIDDEN, "only the unit's 情報セキュリティ管理者 confirms its ledger")
	}
	if err := isms.ValidateLedgerNote(note).Err(); err != nil {
		return isms.LedgerConfirmation{}, err
	}
	fy := isms.FiscalYearOf(at)
	var c isms.LedgerConfirmation
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		u, err := findUnit(ctx, tx, unitID)
		if err != nil {
			return err
		}
		if !u.Type.NeedsManager() {
			return isms.Errorf(isms.EINVALID, "the ledger is confirmed by the 課 above")
		}
		assets, overdue, err := ledgerCounts(ctx, tx, unitID, at)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO ledger_confirmations (unit_id, fiscal_year, confirmed_by, confirmed_at, note, asset_count, overdue_count)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
			unitID, fy, actor.UserID, at, note, assets, overdue)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return isms.Errorf(isms.ECONFLICT, "the ledger of fiscal year %d is already confirmed", fy)
		}
		c, err = scanConfirmation(tx.QueryRow(ctx, `SELECT `+confirmationColumns+`
			FROM ledger_confirmations c LEFT JOIN users cu ON cu.id = c.confirmed_by
			WHERE c.unit_id = $1 AND c.fiscal_year = $2`, unitID, fy))
		if err != nil {
			return err
		}
		// Written under the unit, so that the unit's history shows its yearly confirmations.
		return appendAudit(ctx, tx, actor, "ledger.confirm", "unit", idString(unitID), nil, c)
	})
	return c, wrap("confirm ledger", err)
}

// FindLedgerStatuses is the 棚卸 overview of fiscal year fy: every in-scope 課 that existed during
// that year, in tree order, with its confirmation if any. Those who read every unit (the security
// office, the CISO, auditors) see all of them; a 管理者 or 責任者 the units they manage; others
// are EFORBIDDEN.
func (db *DB) FindLedgerStatuses(ctx context.Context, actor isms.Actor, fy int) ([]isms.LedgerStatus, error) {
	all := actor.AllUnits
	if !all && len(actor.ManagedUnitIDs) == 0 {
		return nil, isms.Errorf(isms.EFORBIDDEN, "not permitted")
	}
	start := time.Date(fy, time.April, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(fy+1, time.March, 31, 0, 0, 0, 0, time.UTC)
	rows, err := db.pool.Query(ctx, `
		WITH RECURSIVE tree AS (
			SELECT id, ARRAY[code] AS path FROM units WHERE parent_id IS NULL
			UNION ALL SELECT u.id, t.path || u.code FROM units u JOIN tree t ON u.parent_id = t.id)
		SELECT `+unitColumns+`, c.unit_id IS NOT NULL, coalesce(c.confirmed_by, 0), c.confirmed_at,
			coalesce(c.note, ''), coalesce(c.asset_count, 0), coalesce(c.overdue_count, 0), coalesce(cu.display_name, '')
		FROM units u JOIN tree t ON t.id = u.id
		LEFT JOIN ledger_confirmations c ON c.unit_id = u.id AND c.fiscal_year = $1
		LEFT JOIN users cu ON cu.id = c.confirmed_by
		WHERE u.in_scope AND u.unit_type = ANY($2) AND u.valid_from <= $4::date AND (u.valid_to IS NULL OR u.valid_to >= $3::date)
			AND ($5 OR u.id = ANY($6))
		ORDER BY t.path`, fy, managedTypes(), start, end, all, actor.ManagedUnitIDs)
	if err != nil {
		return nil, wrap("find ledger statuses", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.LedgerStatus, error) {
		var s isms.LedgerStatus
		var u isms.Unit
		var confirmed bool
		var c isms.LedgerConfirmation
		var at *time.Time
		err := row.Scan(&u.ID, &u.Code, &u.Name, &u.NameKana, &u.Type, &u.ParentID, &u.InScope,
			&u.From, &u.To, &u.SuccessorID, &u.Version, &u.ParentName, &u.SuccessorName,
			&confirmed, &c.ConfirmedBy, &at, &c.Note, &c.AssetCount, &c.OverdueCount, &c.ConfirmedByName)
		s.Unit = u
		if confirmed {
			c.UnitID, c.FiscalYear, c.ConfirmedAt = u.ID, fy, *at
			s.Confirmation = &c
		}
		return s, err
	})
	return list, wrap("find ledger statuses", err)
}
