package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// unitColumns are read by every query that returns isms.Unit; scanUnit reads them in this order.
const unitColumns = `u.id, u.code, u.name, u.name_kana, u.unit_type, coalesce(u.parent_id, 0), u.in_scope,
	u.valid_from, u.valid_to, coalesce(u.successor_id, 0), u.version,
	coalesce((SELECT name FROM units x WHERE x.id = u.parent_id), ''),
	coalesce((SELECT name FROM units x WHERE x.id = u.successor_id), '')`

func scanUnit(row pgx.Row) (isms.Unit, error) {
	var u isms.Unit
	err := row.Scan(&u.ID, &u.Code, &u.Name, &u.NameKana, &u.Type, &u.ParentID, &u.InScope,
		&u.From, &u.To, &u.SuccessorID, &u.Version, &u.ParentName, &u.SuccessorName)
	return u, err
}

// CreateUnit adds an organisation unit.
func (db *DB) CreateUnit(ctx context.Context, actor isms.Actor, in isms.UnitInput) (isms.Unit, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return isms.Unit{}, err
	}
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.Unit{}, err
	}
	var u isms.Unit
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkParent(ctx, tx, 0, in.ParentID); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO units (code, name, name_kana, unit_type, parent_id, in_scope, valid_from)
			VALUES ($1, $2, $3, $4, nullif($5, 0), $6, $7) RETURNING id`,
			in.Code, in.Name, in.NameKana, in.Type, in.ParentID, in.InScope, in.ValidFrom).Scan(&id)
		if isUniqueViolation(err) {
			return isms.FieldErrors{"code": "unit.error.code_taken"}.Err()
		}
		if err != nil {
			return err
		}
		if u, err = findUnit(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "unit.create", "unit", idString(id), nil, u)
	})
	return u, wrap("create unit", err)
}

// UpdateUnit changes a unit: rename, retype, move within the tree. A stale version is ECONFLICT.
func (db *DB) UpdateUnit(ctx context.Context, actor isms.Actor, id int64, in isms.UnitInput) (isms.Unit, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return isms.Unit{}, err
	}
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.Unit{}, err
	}
	var after isms.Unit
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findUnit(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkParent(ctx, tx, id, in.ParentID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE units SET code = $2, name = $3, name_kana = $4, unit_type = $5, parent_id = nullif($6, 0),
				in_scope = $7, valid_from = $8, updated_at = now(), version = version + 1
			WHERE id = $1 AND version = $9`,
			id, in.Code, in.Name, in.NameKana, in.Type, in.ParentID, in.InScope, in.ValidFrom, in.Version)
		if isUniqueViolation(err) {
			return isms.FieldErrors{"code": "unit.error.code_taken"}.Err()
		}
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errConflict("the unit")
		}
		if after, err = findUnit(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "unit.update", "unit", idString(id), before, after)
	})
	return after, wrap("update unit", err)
}

// checkParent refuses a parent that does not exist or that lies under the unit itself, which
// would cut a loop out of the tree.
func checkParent(ctx context.Context, tx pgx.Tx, id, parentID int64) error {
	if parentID == 0 {
		return nil
	}
	var exists, loop bool
	err := tx.QueryRow(ctx, `
		WITH RECURSIVE up(id, parent_id) AS (
			SELECT id, parent_id FROM units WHERE id = $2
			UNION SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id)
		SELECT EXISTS (SELECT 1 FROM units WHERE id = $2), EXISTS (SELECT 1 FROM up WHERE id = $1)`,
		id, parentID).Scan(&exists, &loop)
	if err != nil {
		return err
	}
	if !exists || loop {
		return isms.FieldErrors{"parent_id": "unit.error.parent_loop"}.Err()
	}
	return nil
}

// CloseUnit ends a unit on its last day. With a successor (merge, split, a renaming into a new
// unit), the closed unit's records are seen by the successor's people from then on; the people
// still posted to it past that day must be moved first.
func (db *DB) CloseUnit(ctx context.Context, actor isms.Actor, id int64, c isms.UnitClosure) (isms.Unit, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return isms.Unit{}, err
	}
	fe := isms.FieldErrors{}
	fe.Check(c.ValidTo != nil, "valid_to", "validation.required")
	fe.Check(c.SuccessorID != id, "successor_id", "unit.error.successor_self")
	if err := fe.Err(); err != nil {
		return isms.Unit{}, err
	}
	var after isms.Unit
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findUnit(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != c.Version {
			return errConflict("the unit")
		}
		fe.Check(!c.ValidTo.Before(before.From), "valid_to", "validation.period")
		var posted, openChildren int
		var successorOpen bool
		err = tx.QueryRow(ctx, `
			SELECT (SELECT count(*) FROM postings WHERE unit_id = $1 AND (valid_to IS NULL OR valid_to > $2)),
				(SELECT count(*) FROM units WHERE parent_id = $1 AND (valid_to IS NULL OR valid_to > $2)),
				$3 = 0 OR EXISTS (SELECT 1 FROM units WHERE id = $3 AND (valid_to IS NULL OR valid_to > $2))`,
			id, c.ValidTo, c.SuccessorID).Scan(&posted, &openChildren, &successorOpen)
		if err != nil {
			return err
		}
		fe.Check(posted == 0, "valid_to", "unit.error.still_posted")
		fe.Check(openChildren == 0, "valid_to", "unit.error.open_children")
		fe.Check(successorOpen, "successor_id", "unit.error.successor_closed")
		if err := fe.Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE units SET valid_to = $2, successor_id = nullif($3, 0), updated_at = now(), version = version + 1
			WHERE id = $1`, id, c.ValidTo, c.SuccessorID); err != nil {
			return err
		}
		if after, err = findUnit(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "unit.close", "unit", idString(id), before, after)
	})
	return after, wrap("close unit", err)
}

func findUnit(ctx context.Context, q querier, id int64) (isms.Unit, error) {
	u, err := scanUnit(q.QueryRow(ctx, `SELECT `+unitColumns+` FROM units u WHERE u.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, isms.Errorf(isms.ENOTFOUND, "unit %d not found", id)
	}
	return u, err
}

// FindUnits returns every unit, open and closed, in tree order (parents before their children,
// siblings by code). Unit names are not confidential; their records are.
func (db *DB) FindUnits(ctx context.Context) ([]isms.Unit, error) {
	rows, err := db.pool.Query(ctx, unitTreeSQL)
	if err != nil {
		return nil, wrap("find units", err)
	}
	units, err := collectUnits(rows)
	return units, wrap("find units", err)
}

// unitTreeSQL selects every unit, parents before their children and siblings by code.
const unitTreeSQL = `
	WITH RECURSIVE tree AS (
		SELECT id, ARRAY[code] AS path FROM units WHERE parent_id IS NULL
		UNION ALL SELECT u.id, t.path || u.code FROM units u JOIN tree t ON u.parent_id = t.id)
	SELECT ` + unitColumns + ` FROM units u JOIN tree t ON t.id = u.id ORDER BY t.path`

func collectUnits(rows pgx.Rows) ([]isms.Unit, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.Unit, error) { return scanUnit(row) })
}

// FindUnit returns a unit within the actor's scope. A unit outside the scope is ENOTFOUND,
// exactly as one that does not exist.
func (db *DB) FindUnit(ctx context.Context, actor isms.Actor, id int64) (isms.Unit, error) {
	u, err := scanUnit(db.pool.QueryRow(ctx, `SELECT `+unitColumns+` FROM units u
		WHERE u.id = $1 AND ($2 OR u.id = ANY($3))`, id, actor.AllUnits, actor.UnitIDs))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, isms.Errorf(isms.ENOTFOUND, "unit %d not found", id)
	}
	return u, wrap("find unit", err)
}

// FindUnitMembers returns the people posted to a unit on day, in reading order. The caller has
// found the unit within its actor's scope.
func (db *DB) FindUnitMembers(ctx context.Context, unitID int64, day time.Time) ([]isms.UnitMember, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT p.id, p.name, p.name_kana, p.employment_type FROM people p
		JOIN postings po ON po.person_id = p.id
		WHERE po.unit_id = $1 AND `+activeOn("po", "$2")+`
		ORDER BY p.name_kana, p.id`, unitID, isms.Day(day))
	if err != nil {
		return nil, wrap("find unit members", err)
	}
	members, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.UnitMember])
	return members, wrap("find unit members", err)
}

// FindUnitByCode returns the unit with the code, for the command line and imports.
func (db *DB) FindUnitByCode(ctx context.Context, code string) (isms.Unit, error) {
	u, err := scanUnit(db.pool.QueryRow(ctx, `SELECT `+unitColumns+` FROM units u WHERE u.code = $1`, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, isms.Errorf(isms.ENOTFOUND, "unit %q not found", code)
	}
	return u, wrap("find unit by code", err)
}

// FindUnitHistory returns the newest limit events of a unit's change history (its audit-trail
// events), newest first, with the id to page on in the audit trail viewer (0 when there are no
// more). Those who review the trail and those who keep the organisation may read it, for units
// within their scope; a unit outside the scope is ENOTFOUND, as for FindUnit.
func (db *DB) FindUnitHistory(ctx context.Context, actor isms.Actor, unitID int64, limit int) ([]isms.AuditEvent, int64, error) {
	if !actor.Can(isms.PermViewAuditTrail) && !actor.Can(isms.PermManageOrganisation) {
		return nil, 0, isms.Errorf(isms.EFORBIDDEN, "not permitted")
	}
	if !actor.Sees(unitID) {
		return nil, 0, isms.Errorf(isms.ENOTFOUND, "unit %d not found", unitID)
	}
	events, next, err := db.findAuditEvents(ctx, isms.AuditFilter{EntityType: "unit", EntityID: idString(unitID), Limit: limit})
	return events, next, wrap("find unit history", err)
}
