package postgres

import (
	"context"
	"errors"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// Administration of the classification master (分類基準): the town's wording of levels and handling
// restrictions, the default restrictions of each level, and the switch to another scheme, which
// maps every asset in use onto the new levels and flags it 再分類要確認 for a person to confirm.
// The readers are in classification.go.

// UpdateLevel changes a level's wording: its names and its definition. Its code, axis and rank
// stay, so assets keep their level. A stale version is ECONFLICT.
func (db *DB) UpdateLevel(ctx context.Context, actor isms.Actor, code string, in isms.LevelText) (isms.Level, error) {
	if err := requirePerm(actor, isms.PermManageClassification); err != nil {
		return isms.Level{}, err
	}
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.Level{}, err
	}
	var after isms.Level
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findLevel(ctx, tx, code)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE classification_levels SET name_ja = $2, name_en = $3, definition_ja = $4, definition_en = $5,
				updated_at = now(), version = version + 1
			WHERE code = $1 AND version = $6`,
			code, in.NameJa, in.NameEn, in.DefinitionJa, in.DefinitionEn, in.Version)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errConflict("the level")
		}
		if after, err = findLevel(ctx, tx, code); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "level.update", "level", code, before, after)
	})
	return after, wrap("update level", err)
}

// UpdateRestriction renames a handling restriction in the town's wording; its code stays.
func (db *DB) UpdateRestriction(ctx context.Context, actor isms.Actor, code string, names isms.RestrictionNames, version int) (isms.Restriction, error) {
	if err := requirePerm(actor, isms.PermManageClassification); err != nil {
		return isms.Restriction{}, err
	}
	names.Normalize()
	if err := names.Validate().Err(); err != nil {
		return isms.Restriction{}, err
	}
	var after isms.Restriction
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findRestriction(ctx, tx, code)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE handling_restrictions SET name_ja = $2, name_en = $3, updated_at = now(), version = version + 1
			WHERE code = $1 AND version = $4`, code, names.NameJa, names.NameEn, version)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errConflict("the handling restriction")
		}
		if after, err = findRestriction(ctx, tx, code); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "restriction.update", "restriction", code, before, after)
	})
	return after, wrap("update restriction", err)
}

// FindRestriction returns one handling restriction, ENOTFOUND when there is none.
func (db *DB) FindRestriction(ctx context.Context, code string) (isms.Restriction, error) {
	r, err := findRestriction(ctx, db.pool, code)
	return r, wrap("find restriction", err)
}

func findRestriction(ctx context.Context, q querier, code string) (isms.Restriction, error) {
	rows, err := q.Query(ctx, `SELECT code, name_ja, name_en, version FROM handling_restrictions WHERE code = $1`, code)
	if err != nil {
		return isms.Restriction{}, err
	}
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[isms.Restriction])
	if errors.Is(err, pgx.ErrNoRows) {
		return r, isms.Errorf(isms.ENOTFOUND, "restriction %q not found", code)
	}
	return r, err
}

// FindLevel returns one level of any scheme, ENOTFOUND when there is none.
func (db *DB) FindLevel(ctx context.Context, code string) (isms.Level, error) {
	l, err := findLevel(ctx, db.pool, code)
	return l, wrap("find level", err)
}

// levelRestrictions is the default restrictions of a level as the audit trail records them.
type levelRestrictions struct {
	Restrictions []string `json:"restrictions"`
	Version      int      `json:"version"`
}

// SetLevelRestrictions replaces the default handling restrictions of one level (its row of the
// matrix) by codes. The matrix row belongs to the level, so the level's version guards it: a
// stale version is ECONFLICT, and a change counts as a change of the level. Saving the same set
// again changes and records nothing. Assets keep what was added to or removed from their own
// restrictions; they take the new defaults.
func (db *DB) SetLevelRestrictions(ctx context.Context, actor isms.Actor, levelCode string, codes []string, version int) error {
	if err := requirePerm(actor, isms.PermManageClassification); err != nil {
		return err
	}
	codes = append([]string{}, slices.Compact(slices.Sorted(slices.Values(codes)))...) // never nil: NULL matches nothing
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		level, err := findLevel(ctx, tx, levelCode)
		if err != nil {
			return err
		}
		// Lock the level first, so that two saves of its row cannot interleave.
		var current int
		if err := tx.QueryRow(ctx, `SELECT version FROM classification_levels WHERE code = $1 FOR UPDATE`, levelCode).Scan(&current); err != nil {
			return err
		}
		if current != version {
			return errConflict("the level")
		}
		var known int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM handling_restrictions WHERE code = ANY($1)`, codes).Scan(&known); err != nil {
			return err
		}
		if known != len(codes) {
			return isms.FieldErrors{"restrictions": "validation.choose"}.Err()
		}
		before, err := restrictionsOf(ctx, tx, levelCode)
		if err != nil {
			return err
		}
		if slices.Equal(slices.Sorted(slices.Values(before)), codes) {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM level_restrictions WHERE level_code = $1 AND NOT restriction_code = ANY($2)`, levelCode, codes); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO level_restrictions (level_code, restriction_code) SELECT $1, unnest($2::text[])
			ON CONFLICT DO NOTHING`, levelCode, codes); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE classification_levels SET updated_at = now(), version = version + 1 WHERE code = $1`, levelCode); err != nil {
			return err
		}
		after, err := restrictionsOf(ctx, tx, levelCode)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "level.set_restrictions", "level", level.Code,
			levelRestrictions{before, current}, levelRestrictions{after, current + 1})
	})
	return wrap("set level restrictions", err)
}

// restrictionsOf returns the default restrictions of a level in the restrictions' order.
func restrictionsOf(ctx context.Context, q querier, levelCode string) ([]string, error) {
	rows, err := q.Query(ctx, `
		SELECT lr.restriction_code FROM level_restrictions lr JOIN handling_restrictions r ON r.code = lr.restriction_code
		WHERE lr.level_code = $1 ORDER BY r.sort_order`, levelCode)
	if err != nil {
		return nil, err
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if codes == nil {
		codes = []string{}
	}
	return codes, err
}

// assetEventsLimit is how many mapped assets a scheme switch records one by one. A switch maps
// every asset in use at once: a town of a few thousand assets gets one audit event per asset (who
// had which levels before), but at a million rows a million events would make the switch
// transaction, and the hash chain it extends under its lock, last many minutes for nothing a
// reader could use. From this many on, the switch's own event records the count instead; each
// asset's levels before the switch remain readable through the mapping table, which is master
// data the switch does not change.
const assetEventsLimit = 1000

// mappedLevel is a subquery giving the code and rank of the level of the target scheme ($1) that an
// asset's level col maps to: the level itself when it already belongs to the target scheme, else
// the mapping for the basis, else the mapping for any basis. No row when there is no mapping.
func mappedLevel(col, axis, basis string) string {
	return `SELECT t.code, t.rank FROM (
			SELECT ` + col + ` AS code, 0 AS pref
			UNION ALL
			SELECT m.to_level, CASE WHEN m.basis = 'any' THEN 2 ELSE 1 END FROM classification_mappings m
			WHERE m.from_level = ` + col + ` AND m.basis IN (` + basis + `, 'any')
		) x JOIN classification_levels t ON t.code = x.code AND t.scheme_code = $1 AND t.axis = '` + axis + `'
		ORDER BY x.pref LIMIT 1`
}

// mappingBasis is the basis of an asset's confidentiality mapping: 特定個人情報 or 要配慮個人情報 is
// 'special', other 個人情報 'personal', and neither 'none'.
const mappingBasis = `CASE WHEN a.contains_my_number OR a.contains_sensitive THEN 'special'
	WHEN a.contains_personal THEN 'personal' ELSE 'none' END`

// switchCandidates selects the assets a switch to the scheme $1 maps, with their levels before
// and the levels they map to (NULL where no mapping leads into the scheme): every asset not
// disposed with a level of another scheme. Disposed assets keep the levels they were disposed of
// under, as their record.
var switchCandidates = `
	SELECT a.id, a.confidentiality, a.integrity, a.availability, a.reclassify, a.version,
		c.code AS c, c.rank AS c_rank, i.code AS i, i.rank AS i_rank, av.code AS av, av.rank AS a_rank
	FROM assets a
	LEFT JOIN LATERAL (` + mappedLevel("a.confidentiality", "C", mappingBasis) + `) c ON true
	LEFT JOIN LATERAL (` + mappedLevel("a.integrity", "I", "'any'") + `) i ON true
	LEFT JOIN LATERAL (` + mappedLevel("a.availability", "A", "'any'") + `) av ON true
	WHERE a.status <> 'disposed' AND EXISTS (SELECT 1 FROM classification_levels l
		WHERE l.code IN (a.confidentiality, a.integrity, a.availability) AND l.scheme_code <> $1)`

// PreviewSchemeSwitch tells what switching to the scheme toCode would do, for the confirmation
// page: how many assets would be mapped and flagged 再分類要確認, and how many could not be.
func (db *DB) PreviewSchemeSwitch(ctx context.Context, actor isms.Actor, toCode string) (isms.SchemeSwitch, error) {
	if err := requirePerm(actor, isms.PermManageClassification); err != nil {
		return isms.SchemeSwitch{}, err
	}
	var sw isms.SchemeSwitch
	schemes, err := findSchemes(ctx, db.pool, false)
	if err != nil {
		return sw, err
	}
	for _, s := range schemes {
		switch {
		case s.Code == toCode:
			sw.To = s
		case s.Active:
			sw.From = s
		}
	}
	if sw.To.Code == "" {
		return sw, isms.Errorf(isms.ENOTFOUND, "scheme %q not found", toCode)
	}
	sw.Mapped, sw.Unmapped, err = countSwitch(ctx, db.pool, toCode)
	return sw, wrap("preview scheme switch", err)
}

func countSwitch(ctx context.Context, q querier, toCode string) (mapped, unmapped int, err error) {
	err = q.QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE c IS NULL OR i IS NULL OR av IS NULL)
		FROM (`+switchCandidates+`) s`, toCode).Scan(&mapped, &unmapped)
	return mapped, unmapped, err
}

// schemeSwitchEvent is what the audit trail records of a switch.
type schemeSwitchEvent struct {
	Active      string `json:"active"`
	Mapped      int    `json:"mapped,omitempty"`
	AssetEvents bool   `json:"asset_events,omitempty"` // each mapped asset has its own event
}

// assetLevels is an asset's classification as the audit trail records a mapping or its
// confirmation.
type assetLevels struct {
	C          string `json:"confidentiality"`
	I          string `json:"integrity"`
	A          string `json:"availability"`
	Reclassify bool   `json:"reclassify"`
	Version    int    `json:"version"`
}

// SwitchScheme makes toCode the scheme the town classifies by. In the same transaction every asset
// not disposed whose levels belong to another scheme is mapped onto the new scheme's levels by
// classification_mappings (confidentiality narrowed by the asset's personal-information flags),
// its ranks copied, and flagged 再分類要確認 for a person to confirm. version is the target
// scheme's, as the confirmation page showed it; a stale one (or a scheme active already) is
// ECONFLICT. A level without a mapping refuses the whole switch. mapped is how many assets were
// mapped.
func (db *DB) SwitchScheme(ctx context.Context, actor isms.Actor, toCode string, version int) (mapped int, err error) {
	if err := requirePerm(actor, isms.PermManageClassification); err != nil {
		return 0, err
	}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		// Lock both schemes: saves of assets read the active scheme, and two switches must not cross.
		rows, err := tx.Query(ctx, `SELECT code, active, version FROM classification_schemes ORDER BY code FOR UPDATE`)
		if err != nil {
			return err
		}
		var from string
		found, current, active := false, 0, false
		var code string
		var isActive bool
		var v int
		_, err = pgx.ForEachRow(rows, []any{&code, &isActive, &v}, func() error {
			if isActive {
				from = code
			}
			if code == toCode {
				found, current, active = true, v, isActive
			}
			return nil
		})
		if err != nil {
			return err
		}
		if !found {
			return isms.Errorf(isms.ENOTFOUND, "scheme %q not found", toCode)
		}
		if current != version || active {
			return errConflict("the classification scheme")
		}
		n, unmapped, err := countSwitch(ctx, tx, toCode)
		if err != nil {
			return err
		}
		if unmapped > 0 {
			return isms.FieldErrors{"scheme": "classification.error.unmapped"}.Err()
		}
		// Two statements: the one-active index is checked row by row.
		if _, err := tx.Exec(ctx, `UPDATE classification_schemes SET active = false, updated_at = now(), version = version + 1
			WHERE active`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE classification_schemes SET active = true, updated_at = now(), version = version + 1
			WHERE code = $1`, toCode); err != nil {
			return err
		}
		perAsset := n < assetEventsLimit
		if mapped, err = mapAssets(ctx, tx, actor, toCode, perAsset); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "scheme.switch", "scheme", toCode,
			schemeSwitchEvent{Active: from}, schemeSwitchEvent{Active: toCode, Mapped: mapped, AssetEvents: perAsset})
	})
	return mapped, wrap("switch scheme", err)
}

// mapAssets maps the switch's candidates onto the scheme toCode and flags them 再分類要確認. With
// perAsset it locks and reads them first, and records one event per asset.
func mapAssets(ctx context.Context, tx pgx.Tx, actor isms.Actor, toCode string, perAsset bool) (int, error) {
	update := `
		UPDATE assets a SET confidentiality = s.c, c_rank = s.c_rank, integrity = s.i, i_rank = s.i_rank,
			availability = s.av, a_rank = s.a_rank, reclassify = true, updated_at = now(), version = a.version + 1
		FROM (` + switchCandidates + `) s
		WHERE a.id = s.id AND ($2::bigint[] IS NULL OR a.id = ANY($2))`
	if !perAsset {
		tag, err := tx.Exec(ctx, update, toCode, nil)
		return int(tag.RowsAffected()), err
	}
	type candidate struct {
		ID               int64
		OldC, OldI, OldA string
		Reclassify       bool
		Version          int
		C                string
		CRank            int
		I                string
		IRank            int
		A                string
		ARank            int
	}
	rows, err := tx.Query(ctx, switchCandidates+` ORDER BY a.id FOR UPDATE OF a`, toCode)
	if err != nil {
		return 0, err
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[candidate])
	if err != nil {
		return 0, err
	}
	if len(list) == 0 {
		return 0, nil
	}
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	tag, err := tx.Exec(ctx, update, toCode, ids)
	if err != nil {
		return 0, err
	}
	for _, c := range list {
		if err := appendAudit(ctx, tx, actor, "asset.remap", "asset", idString(c.ID),
			assetLevels{c.OldC, c.OldI, c.OldA, c.Reclassify, c.Version},
			assetLevels{c.C, c.I, c.A, true, c.Version + 1}); err != nil {
			return 0, err
		}
	}
	return int(tag.RowsAffected()), nil
}

// ConfirmReclassification records that a person who may edit the asset has checked the levels a
// scheme switch mapped it to: the 再分類要確認 flag goes. To change the levels instead, the
// person edits the asset, which clears the flag too. An asset outside the actor's scope is
// ENOTFOUND; one the actor sees but may not edit (the CISO, auditors) EFORBIDDEN; a stale version
// ECONFLICT; an asset not awaiting reclassification, or whose levels are not the active scheme's,
// EINVALID.
func (db *DB) ConfirmReclassification(ctx context.Context, actor isms.Actor, assetID int64, version int) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var unitID int64
		var before assetLevels
		var current bool
		err := tx.QueryRow(ctx, `
			SELECT a.unit_id, a.confidentiality, a.integrity, a.availability, a.reclassify, a.version,
				NOT EXISTS (SELECT 1 FROM classification_levels l JOIN classification_schemes s ON s.code = l.scheme_code
					WHERE l.code IN (a.confidentiality, a.integrity, a.availability) AND NOT s.active)
			FROM assets a WHERE a.id = $1 AND ($2 OR a.unit_id = ANY($3)) FOR UPDATE OF a`,
			assetID, actor.AllUnits, actor.UnitIDs).Scan(
			&unitID, &before.C, &before.I, &before.A, &before.Reclassify, &before.Version, &current)
		if errors.Is(err, pgx.ErrNoRows) {
			return isms.Errorf(isms.ENOTFOUND, "asset %d not found", assetID)
		}
		if err != nil {
			return err
		}
		if !actor.Edits(unitID) {
			return isms.Errorf(isms.EFORBIDDEN, "not permitted")
		}
		if before.Version != version {
			return errConflict("the asset")
		}
		if !before.Reclassify || !current {
			return isms.Errorf(isms.EINVALID, "the asset is not awaiting reclassification")
		}
		if _, err := tx.Exec(ctx, `UPDATE assets SET reclassify = false, updated_at = now(), version = version + 1
			WHERE id = $1`, assetID); err != nil {
			return err
		}
		after := before
		after.Reclassify, after.Version = false, before.Version+1
		return appendAudit(ctx, tx, actor, "asset.confirm_reclassification", "asset", idString(assetID), before, after)
	})
	return wrap("confirm reclassification", err)
}

// CountReclassifications returns how many assets await 再分類要確認 in the whole town, for those who
// keep the classification (the count names no unit and no asset).
func (db *DB) CountReclassifications(ctx context.Context, actor isms.Actor) (int, error) {
	if err := requirePerm(actor, isms.PermManageClassification); err != nil {
		return 0, err
	}
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM assets WHERE reclassify AND status <> 'disposed'`).Scan(&n)
	return n, wrap("count reclassifications", err)
}

// FindMappings returns the mappings from the levels of other schemes onto the scheme toCode, by
// the order of the levels mapped from and of the bases.
func (db *DB) FindMappings(ctx context.Context, toCode string) ([]isms.Mapping, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT m.from_level, m.basis, m.to_level FROM classification_mappings m
		JOIN classification_levels f ON f.code = m.from_level
		JOIN classification_levels t ON t.code = m.to_level
		WHERE t.scheme_code = $1
		ORDER BY f.scheme_code, array_position(ARRAY['C', 'I', 'A'], f.axis::text), f.rank DESC,
			array_position(ARRAY['special', 'personal', 'none', 'any'], m.basis)`, toCode)
	if err != nil {
		return nil, wrap("find mappings", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.Mapping])
	return list, wrap("find mappings", err)
}
