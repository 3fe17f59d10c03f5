package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The classification master data: read by every page of the registers, and by the rules in the
// transaction that saves a record (hence the querier).

// FindSchemes returns every classification scheme with its levels, the active one first.
func (db *DB) FindSchemes(ctx context.Context) ([]isms.Scheme, error) {
	return findSchemes(ctx, db.pool, false)
}

// FindActiveScheme returns the scheme the town classifies by, with its levels.
func (db *DB) FindActiveScheme(ctx context.Context) (isms.Scheme, error) {
	s, err := findSchemes(ctx, db.pool, true)
	if err != nil {
		return isms.Scheme{}, err
	}
	if len(s) == 0 {
		return isms.Scheme{}, isms.Errorf(isms.EINTERNAL, "no active classification scheme")
	}
	return s[0], nil
}

func findSchemes(ctx context.Context, q querier, activeOnly bool) ([]isms.Scheme, error) {
	rows, err := q.Query(ctx, schemesSQL+` WHERE active OR NOT $1 ORDER BY active DESC, effective_from DESC`, activeOnly)
	if err != nil {
		return nil, wrap("find schemes", err)
	}
	schemes, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.Scheme])
	if err != nil {
		return nil, wrap("find schemes", err)
	}
	levels, err := findLevels(ctx, q)
	if err != nil {
		return nil, err
	}
	attachLevels(schemes, levels)
	return schemes, nil
}

const schemesSQL = `SELECT code, name_ja, name_en, to_char(effective_from, 'YYYY-MM-DD'), active, my_number_min_level, version
	FROM classification_schemes`

// attachLevels gives each scheme its levels.
func attachLevels(schemes []isms.Scheme, levels []isms.Level) {
	for i := range schemes {
		for _, l := range levels {
			if l.SchemeCode == schemes[i].Code {
				schemes[i].Levels = append(schemes[i].Levels, l)
			}
		}
	}
}

// RegisterLookups are what a register's list offers to choose from and shows by name: the units
// in tree order, the asset types, the active scheme and every level of every scheme by code.
type RegisterLookups struct {
	Units  []isms.Unit
	Types  []isms.AssetType
	Scheme isms.Scheme
	Levels map[string]isms.Level
}

// FindRegisterLookups reads the lookups in one round trip: the asset list asks for them on every
// request, and four separate queries cost more than the list itself (make bench).
func (db *DB) FindRegisterLookups(ctx context.Context) (RegisterLookups, error) {
	var l RegisterLookups
	var schemes []isms.Scheme
	var levels []isms.Level
	b := &pgx.Batch{}
	b.Queue(unitTreeSQL).Query(func(rows pgx.Rows) (err error) { l.Units, err = collectUnits(rows); return err })
	b.Queue(assetTypesSQL).Query(func(rows pgx.Rows) (err error) {
		l.Types, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.AssetType])
		return err
	})
	b.Queue(schemesSQL + ` WHERE active`).Query(func(rows pgx.Rows) (err error) {
		schemes, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.Scheme])
		return err
	})
	b.Queue(levelsSQL).Query(func(rows pgx.Rows) (err error) {
		levels, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.Level])
		return err
	})
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return l, wrap("find register lookups", err)
	}
	if len(schemes) != 1 {
		return l, isms.Errorf(isms.EINTERNAL, "no active classification scheme")
	}
	attachLevels(schemes, levels)
	l.Scheme = schemes[0]
	l.Levels = make(map[string]isms.Level, len(levels))
	for _, lv := range levels {
		l.Levels[lv.Code] = lv
	}
	return l, nil
}

// findLevels returns every level of every scheme: by scheme, axis (C, I, A) and strictest first.
func findLevels(ctx context.Context, q querier) ([]isms.Level, error) {
	rows, err := q.Query(ctx, levelsSQL)
	if err != nil {
		return nil, wrap("find levels", err)
	}
	levels, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.Level])
	return levels, wrap("find levels", err)
}

const levelsSQL = `SELECT code, scheme_code, axis, rank, name_ja, name_en, definition_ja, definition_en, version
	FROM classification_levels ORDER BY scheme_code, array_position(ARRAY['C', 'I', 'A'], axis::text), rank DESC`

// FindLevels returns every level of every scheme by code, for showing the levels of any asset.
func (db *DB) FindLevels(ctx context.Context) (map[string]isms.Level, error) {
	levels, err := findLevels(ctx, db.pool)
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]isms.Level, len(levels))
	for _, l := range levels {
		byCode[l.Code] = l
	}
	return byCode, nil
}

// FindRestrictions returns the handling restrictions in their order.
func (db *DB) FindRestrictions(ctx context.Context) ([]isms.Restriction, error) {
	rows, err := db.pool.Query(ctx, `SELECT code, name_ja, name_en, version FROM handling_restrictions ORDER BY sort_order`)
	if err != nil {
		return nil, wrap("find restrictions", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.Restriction])
	return list, wrap("find restrictions", err)
}

// FindLevelRestrictions returns the default restrictions of each level (the matrix), by level code.
func (db *DB) FindLevelRestrictions(ctx context.Context) (map[string][]string, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT lr.level_code, lr.restriction_code FROM level_restrictions lr
		JOIN handling_restrictions r ON r.code = lr.restriction_code ORDER BY lr.level_code, r.sort_order`)
	if err != nil {
		return nil, wrap("find level restrictions", err)
	}
	matrix := map[string][]string{}
	var level, code string
	_, err = pgx.ForEachRow(rows, []any{&level, &code}, func() error {
		matrix[level] = append(matrix[level], code)
		return nil
	})
	return matrix, wrap("find level restrictions", err)
}

// FindAssetTypes returns the asset types in their order.
func (db *DB) FindAssetTypes(ctx context.Context) ([]isms.AssetType, error) {
	return findAssetTypes(ctx, db.pool)
}

func findAssetTypes(ctx context.Context, q querier) ([]isms.AssetType, error) {
	rows, err := q.Query(ctx, assetTypesSQL)
	if err != nil {
		return nil, wrap("find asset types", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.AssetType])
	return list, wrap("find asset types", err)
}

const assetTypesSQL = `SELECT code, name_ja, name_en, electronic FROM asset_types ORDER BY sort_order`

// findLevel returns one level, ENOTFOUND when there is none.
func findLevel(ctx context.Context, q querier, code string) (isms.Level, error) {
	rows, err := q.Query(ctx, `
		SELECT code, scheme_code, axis, rank, name_ja, name_en, definition_ja, definition_en, version
		FROM classification_levels WHERE code = $1`, code)
	if err != nil {
		return isms.Level{}, err
	}
	l, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[isms.Level])
	if errors.Is(err, pgx.ErrNoRows) {
		return l, isms.Errorf(isms.ENOTFOUND, "level %q not found", code)
	}
	return l, err
}
