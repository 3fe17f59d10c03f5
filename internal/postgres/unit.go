package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// CreateUnit adds an organisation unit.
func (db *DB) CreateUnit(ctx context.Context, actor isms.Actor, u isms.Unit) (isms.Unit, error) {
	if err := requirePerm(actor, isms.PermManageUsers); err != nil {
		return u, err
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO units (code, name, name_kana, parent_id) VALUES ($1, $2, $3, nullif($4, 0))
			RETURNING id, version`, u.Code, u.Name, u.NameKana, u.ParentID).Scan(&u.ID, &u.Version)
		if isUniqueViolation(err) {
			return isms.FieldErrors{"code": "unit.error.code_taken"}.Err()
		}
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "unit.create", "unit", idString(u.ID), nil, u)
	})
	return u, wrap("create unit", err)
}

// FindUnits returns every unit in code order, for choosing one in a form. Unit names are not
// confidential; their records are.
func (db *DB) FindUnits(ctx context.Context) ([]isms.Unit, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, code, name, name_kana, coalesce(parent_id, 0), version FROM units ORDER BY code`)
	if err != nil {
		return nil, wrap("find units", err)
	}
	units, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.Unit])
	return units, wrap("find units", err)
}

// FindUnit returns a unit within the actor's scope and its active members. A unit outside the
// scope is ENOTFOUND, exactly as one that does not exist.
func (db *DB) FindUnit(ctx context.Context, actor isms.Actor, id int64) (isms.Unit, []isms.UnitMember, error) {
	var u isms.Unit
	err := db.pool.QueryRow(ctx, `
		SELECT id, code, name, name_kana, coalesce(parent_id, 0), version FROM units
		WHERE id = $1 AND ($2 OR id = ANY($3))`, id, actor.AllUnits, actor.UnitIDs).Scan(
		&u.ID, &u.Code, &u.Name, &u.NameKana, &u.ParentID, &u.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, nil, isms.Errorf(isms.ENOTFOUND, "unit %d not found", id)
	}
	if err != nil {
		return u, nil, wrap("find unit", err)
	}
	rows, err := db.pool.Query(ctx, `SELECT id, display_name, display_name_kana, role FROM users
		WHERE unit_id = $1 AND status = 'active' ORDER BY display_name_kana, id`, id)
	if err != nil {
		return u, nil, wrap("find unit members", err)
	}
	members, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.UnitMember])
	return u, members, wrap("find unit members", err)
}

// FindUnitByCode returns the unit with the code, for the command line and imports.
func (db *DB) FindUnitByCode(ctx context.Context, code string) (isms.Unit, error) {
	var u isms.Unit
	err := db.pool.QueryRow(ctx, `SELECT id, code, name, name_kana, coalesce(parent_id, 0), version FROM units WHERE code = $1`, code).Scan(
		&u.ID, &u.Code, &u.Name, &u.NameKana, &u.ParentID, &u.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, isms.Errorf(isms.ENOTFOUND, "unit %q not found", code)
	}
	return u, wrap("find unit by code", err)
}
