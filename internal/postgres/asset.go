package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The information asset register (情報資産管理台帳): assets with their classification, handling
// restrictions, contents (for storage media) and the rules' findings, and the CISO's 例外措置.
// Every read and write is scoped to the units the actor sees; an asset outside them is ENOTFOUND.

// assetColumns are read by every query that returns isms.Asset; scanAsset reads them in this
// order. The names come from scalar subqueries so that list queries keep assets alone in FROM
// and their plans follow the list indexes.
const assetColumns = `a.id, a.number, a.name, a.asset_type, a.description, a.unit_id, a.form, a.location,
	coalesce(a.zone, ''), coalesce(a.system_id, 0), a.confidentiality, a.integrity, a.availability,
	a.contains_personal, a.contains_my_number, a.contains_sensitive, a.data_subjects, a.users_scope, a.retention,
	a.backup_policy, a.recovery_hours, ` + outsourcedSelect + `, coalesce(a.classified_by, 0), a.classified_at, a.review_due,
	a.status, a.reclassify, a.warnings,
	coalesce((SELECT array_agg(c.content_id ORDER BY c.content_id) FROM asset_contents c WHERE c.medium_id = a.id), '{}'),
	a.version, a.updated_at,
	(SELECT x.name FROM units x WHERE x.id = a.unit_id),
	coalesce((SELECT x.name FROM systems x WHERE x.id = a.system_id), ''),
	coalesce((SELECT x.display_name FROM users x WHERE x.id = a.classified_by), '')`

func scanAsset(row pgx.Row) (isms.Asset, error) {
	var a isms.Asset
	err := row.Scan(&a.ID, &a.Number, &a.Name, &a.Type, &a.Description, &a.UnitID, &a.Form, &a.Location,
		&a.Zone, &a.SystemID, &a.C, &a.I, &a.A,
		&a.ContainsPersonal, &a.ContainsMyNumber, &a.ContainsSensitive, &a.DataSubjects, &a.UsersScope, &a.Retention,
		&a.BackupPolicy, &a.RecoveryHours, &a.OutsourcedTo.Kind, &a.OutsourcedTo.ID, &a.OutsourcedName, &a.ClassifiedBy, &a.ClassifiedAt, &a.ReviewDue,
		&a.Status, &a.Reclassify, &a.Warnings, &a.ContentIDs, &a.Version, &a.UpdatedAt,
		&a.UnitName, &a.SystemName, &a.ClassifiedByName)
	return a, err
}

// inScope is the SQL condition that the asset of alias t lies within the actor's scope, with the
// actor's arguments appended to args.
func inScope(t string, actor isms.Actor, arg func(any) string) string {
	if actor.AllUnits {
		return "true"
	}
	units := actor.UnitIDs
	if units == nil {
		units = []int64{}
	}
	return t + ".unit_id = ANY(" + arg(units) + ")"
}

// findAsset returns an asset within the actor's scope; any other is ENOTFOUND.
func findAsset(ctx context.Context, q querier, actor isms.Actor, id int64) (isms.Asset, error) {
	args := []any{id}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	a, err := scanAsset(q.QueryRow(ctx, `SELECT `+assetColumns+` FROM assets a WHERE a.id = $1 AND `+inScope("a", actor, arg), args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, isms.Errorf(isms.ENOTFOUND, "asset %d not found", id)
	}
	return a, err
}

// FindAsset returns one asset of the register, with the names of its unit, system and classifier.
func (db *DB) FindAsset(ctx context.Context, actor isms.Actor, id int64) (isms.Asset, error) {
	a, err := findAsset(ctx, db.pool, actor, id)
	return a, wrap("find asset", err)
}

// assetRecord is an asset as the audit trail keeps it: with its restriction changes.
type assetRecord struct {
	isms.Asset
	Restrictions []assetRestrictionRow `json:"restrictions"`
}

// assetRestrictionRow is a restriction added to an asset beyond its levels' defaults, or a
// default removed with its reason.
type assetRestrictionRow struct {
	Code    string `json:"code"`
	Removed bool   `json:"removed"`
	Reason  string `json:"reason,omitempty"`
}

func findAssetRecord(ctx context.Context, q querier, actor isms.Actor, id int64) (assetRecord, error) {
	a, err := findAsset(ctx, q, actor, id)
	if err != nil {
		return assetRecord{}, err
	}
	rows, err := q.Query(ctx, `
		SELECT ar.restriction_code, ar.removed, ar.reason FROM asset_restrictions ar
		JOIN handling_restrictions r ON r.code = ar.restriction_code
		WHERE ar.asset_id = $1 ORDER BY r.sort_order`, id)
	if err != nil {
		return assetRecord{}, err
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[assetRestrictionRow])
	if list == nil {
		list = []assetRestrictionRow{}
	}
	return assetRecord{Asset: a, Restrictions: list}, err
}

// editsAny reports whether the actor registers assets at all (staff in their units, the
// security office everywhere), so that a missing unit is a field to fill in, not a refusal.
func editsAny(actor isms.Actor) bool {
	return actor.System || actor.Can(isms.PermEditAllRegisters) || actor.Role == isms.RoleStaff && actor.SignedIn()
}

// checkEdits refuses an actor who may not register assets for unit.
func checkEdits(actor isms.Actor, unit int64) error {
	if actor.Edits(unit) || unit == 0 && editsAny(actor) {
		return nil
	}
	return isms.Errorf(isms.EFORBIDDEN, "not permitted to register assets of unit %d", unit)
}

// CreateAsset registers an asset. The rules that refuse a save come back as field errors beside
// their fields (EINVALID); the findings that are only warnings come back with the saved asset,
// which carries them as 要確認.
func (db *DB) CreateAsset(ctx context.Context, actor isms.Actor, in isms.AssetInput) (isms.Asset, isms.Findings, error) {
	in.Normalize()
	if err := checkEdits(actor, in.UnitID); err != nil {
		return isms.Asset{}, nil, wrap("create asset", err)
	}
	var after assetRecord
	var fs isms.Findings
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var rc assetCheck
		var err error
		if fs, rc, err = checkAssetInput(ctx, tx, actor, nil, &in); err != nil {
			return err
		}
		contract, service, account := outsourcedColumns(in.OutsourcedTo)
		var id int64
		err = tx.QueryRow(ctx, `
			INSERT INTO assets (name, asset_type, description, unit_id, form, location, zone, system_id,
				confidentiality, integrity, availability, c_rank, i_rank, a_rank,
				contains_personal, contains_my_number, contains_sensitive, data_subjects, users_scope, retention,
				backup_policy, recovery_hours, contract_id, external_service_id, social_account_id,
				classified_by, classified_at, review_due, status, reclassify, warnings)
			VALUES ($1, $2, $3, $4, $5, $6, nullif($7, ''), nullif($8, 0), $9, $10, $11, $12, $13, $14,
				$15, $16, $17, $18, $19, $20, $21, $22, nullif($23, 0), nullif($24, 0), nullif($25, 0),
				nullif($26, 0), $27, $28, $29, $30, $31)
			RETURNING id`,
			in.Name, in.Type, in.Description, in.UnitID, in.Form, in.Location, in.Zone, in.SystemID,
			in.C, in.I, in.A, rc.ranks[0], rc.ranks[1], rc.ranks[2],
			in.ContainsPersonal, in.ContainsMyNumber, in.ContainsSensitive, in.DataSubjects, in.UsersScope, in.Retention,
			in.BackupPolicy, in.RecoveryHours, contract, service, account,
			actor.UserID, isms.Day(*in.ClassifiedAt), isms.Day(*in.ReviewDue), in.Status, !rc.active, fs.Flags()).Scan(&id)
		if err != nil {
			return err
		}
		if err := writeAssetParts(ctx, tx, id, in); err != nil {
			return err
		}
		if after, err = findAssetRecord(ctx, tx, actor, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "asset.create", "asset", idString(id), nil, after)
	})
	if err != nil {
		return isms.Asset{}, nil, wrap("create asset", err)
	}
	return after.Asset, fs, nil
}

// UpdateAsset changes an asset. in.Version must be the version the form showed (else ECONFLICT).
// The actor must edit both the asset's unit and the unit it moves to; a disposed asset is closed.
func (db *DB) UpdateAsset(ctx context.Context, actor isms.Actor, id int64, in isms.AssetInput) (isms.Asset, isms.Findings, error) {
	in.Normalize()
	var after assetRecord
	var fs isms.Findings
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockAsset(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := checkEdits(actor, before.UnitID); err != nil {
			return err
		}
		if in.Version != before.Version {
			return errConflict("the asset")
		}
		if before.Status == isms.AssetDisposed {
			return isms.FieldErrors{"status": "asset.error.disposed"}.Err()
		}
		if err := checkEdits(actor, in.UnitID); err != nil {
			return err
		}
		var rc assetCheck
		if fs, rc, err = checkAssetInput(ctx, tx, actor, &before.Asset, &in); err != nil {
			return err
		}
		reclassified := in.C != before.C || in.I != before.I || in.A != before.A
		contract, service, account := outsourcedColumns(in.OutsourcedTo)
		_, err = tx.Exec(ctx, `
			UPDATE assets SET name = $2, asset_type = $3, description = $4, unit_id = $5, form = $6, location = $7,
				zone = nullif($8, ''), system_id = nullif($9, 0), confidentiality = $10, integrity = $11, availability = $12,
				c_rank = $13, i_rank = $14, a_rank = $15, contains_personal = $16, contains_my_number = $17,
				contains_sensitive = $18, data_subjects = $19, users_scope = $20, retention = $21, backup_policy = $22,
				recovery_hours = $23, contract_id = nullif($24, 0), external_service_id = nullif($25, 0),
				social_account_id = nullif($26, 0), classified_by = CASE WHEN $27 THEN nullif($28, 0) ELSE classified_by END,
				classified_at = $29, review_due = $30, status = $31, reclassify = $32, warnings = $33,
				updated_at = now(), version = version + 1
			WHERE id = $1`,
			id, in.Name, in.Type, in.Description, in.UnitID, in.Form, in.Location, in.Zone, in.SystemID,
			in.C, in.I, in.A, rc.ranks[0], rc.ranks[1], rc.ranks[2],
			in.ContainsPersonal, in.ContainsMyNumber, in.ContainsSensitive, in.DataSubjects, in.UsersScope, in.Retention,
			in.BackupPolicy, in.RecoveryHours, contract, service, account, reclassified, actor.UserID,
			isms.Day(*in.ClassifiedAt), isms.Day(*in.ReviewDue), in.Status, !rc.active, fs.Flags())
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM asset_contents WHERE medium_id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM asset_restrictions WHERE asset_id = $1`, id); err != nil {
			return err
		}
		if err := writeAssetParts(ctx, tx, id, in); err != nil {
			return err
		}
		if err := flagMediaHolding(ctx, tx, id); err != nil {
			return err
		}
		if after, err = findAssetRecord(ctx, tx, actor, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "asset.update", "asset", idString(id), before, after)
	})
	if err != nil {
		return isms.Asset{}, nil, wrap("update asset", err)
	}
	return after.Asset, fs, nil
}

// lockAsset reads an asset within the actor's scope for a change and holds its row until the
// transaction ends.
func lockAsset(ctx context.Context, tx pgx.Tx, actor isms.Actor, id int64) (assetRecord, error) {
	args := []any{id}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	var v int
	err := tx.QueryRow(ctx, `SELECT a.version FROM assets a WHERE a.id = $1 AND `+inScope("a", actor, arg)+` FOR UPDATE`, args...).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return assetRecord{}, isms.Errorf(isms.ENOTFOUND, "asset %d not found", id)
	}
	if err != nil {
		return assetRecord{}, err
	}
	return findAssetRecord(ctx, tx, actor, id)
}

// writeAssetParts stores what an asset holds (for a medium) and its restriction changes; the
// caller has checked both and removed the old ones.
func writeAssetParts(ctx context.Context, tx pgx.Tx, id int64, in isms.AssetInput) error {
	if len(in.ContentIDs) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO asset_contents (medium_id, content_id) SELECT $1, unnest($2::bigint[])`,
			id, in.ContentIDs); err != nil {
			return err
		}
	}
	codes, removed, reasons := []string{}, []bool{}, []string{}
	for _, code := range in.Added {
		codes, removed, reasons = append(codes, code), append(removed, false), append(reasons, "")
	}
	for _, code := range slices.Sorted(maps.Keys(in.Removed)) {
		codes, removed, reasons = append(codes, code), append(removed, true), append(reasons, in.Removed[code])
	}
	if len(codes) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO asset_restrictions (asset_id, restriction_code, removed, reason)
		SELECT $1, c, r, why FROM unnest($2::text[], $3::boolean[], $4::text[]) AS x (c, r, why)`,
		id, codes, removed, reasons)
	return err
}

// flagMediaHolding brings the V-A4 flag of the storage media that hold the assets ids up to date
// after their levels changed: a medium ranked below what it now holds is flagged 要確認 until
// someone reclassifies it; one that is high enough again loses the flag.
func flagMediaHolding(ctx context.Context, tx pgx.Tx, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `
		WITH held AS (
			SELECT ac.medium_id, max(c.c_rank) AS c, max(c.i_rank) AS i, max(c.a_rank) AS a
			FROM asset_contents ac JOIN assets c ON c.id = ac.content_id
			WHERE ac.medium_id IN (SELECT medium_id FROM asset_contents WHERE content_id = ANY($1))
			GROUP BY ac.medium_id),
		judged AS (
			SELECT m.id, (m.c_rank < h.c OR m.i_rank < h.i OR m.a_rank < h.a) AS broken
			FROM assets m JOIN held h ON h.medium_id = m.id)
		UPDATE assets m SET warnings = CASE WHEN j.broken THEN m.warnings || $2::text ELSE array_remove(m.warnings, $2) END
		FROM judged j
		WHERE m.id = j.id AND j.broken <> ($2 = ANY(m.warnings))`, ids, isms.RuleMediumContents.Code)
	return err
}

// assetCheck is what checking an input learnt besides the findings: the ranks of its levels and
// whether all three belong to the active scheme.
type assetCheck struct {
	ranks  [3]int
	active bool
}

// checkAssetInput validates an input in the saving transaction: the form's own checks, the
// master data and surroundings it refers to (unit, type, system, contents, restrictions), and
// the register's rules. Every refusal comes back together as field errors. before is the stored
// asset for an update, nil for a creation.
func checkAssetInput(ctx context.Context, tx pgx.Tx, actor isms.Actor, before *isms.Asset, in *isms.AssetInput) (isms.Findings, assetCheck, error) {
	fe := in.Validate()
	var id int64
	if before != nil {
		id = before.ID
	}
	if in.Type != isms.AssetTypeMedia {
		in.ContentIDs = nil // only a storage medium holds other assets
	}
	in.ContentIDs = uniqueIDs(in.ContentIDs)
	in.Added = slices.Compact(slices.Sorted(slices.Values(in.Added)))

	rc, err := ruleContext(ctx, tx, actor, actor.Day(), id, *in)
	if err != nil {
		return nil, assetCheck{}, err
	}
	// A new asset, or one moving, goes to a unit that exists and has not closed.
	unitOpen := true
	if in.UnitID != 0 && (before == nil || before.UnitID != in.UnitID) {
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE id = $1 AND (valid_to IS NULL OR valid_to >= $2))`,
			in.UnitID, actor.Day()).Scan(&unitOpen); err != nil {
			return nil, assetCheck{}, err
		}
	}
	systemFound := true
	if in.SystemID != 0 {
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM systems WHERE id = $1)`, in.SystemID).Scan(&systemFound); err != nil {
			return nil, assetCheck{}, err
		}
	}
	var kept isms.OutsourcedTo
	if before != nil {
		kept = before.OutsourcedTo
	}
	target, found, err := outsourceTarget(ctx, tx, actor, in.OutsourcedTo, kept)
	if err != nil {
		return nil, assetCheck{}, err
	}
	fe.Check(found, "outsourced_to", "validation.choose")
	rc.Outsourced = target
	fe.Check(!slices.Contains(in.ContentIDs, id) || id == 0, "content_ids", "asset.error.content_self")
	fe.Check(rc.contentsFound, "content_ids", "asset.error.content_not_found")
	if err := checkRestrictions(ctx, tx, *in, rc.RuleContext, fe); err != nil {
		return nil, assetCheck{}, err
	}
	return judgeAsset(*in, rc.RuleContext, unitOpen, systemFound, fe)
}

// judgeAsset ends the check of an input once its surroundings are known (a form's, or each row of
// an import): the type, unit and system it names exist, and the register's rules. fe holds the
// refusals found so far; they all come back together.
func judgeAsset(in isms.AssetInput, rc isms.RuleContext, unitOpen, systemFound bool, fe isms.FieldErrors) (isms.Findings, assetCheck, error) {
	if in.Type != "" {
		_, known := rc.Types[in.Type]
		fe.Check(known, "asset_type", "validation.choose")
	}
	fe.Check(in.UnitID == 0 || unitOpen, "unit_id", "validation.choose")
	fe.Check(in.SystemID == 0 || systemFound, "system_id", "validation.choose")
	fs := isms.CheckAsset(in, rc)
	for _, field := range slices.Sorted(maps.Keys(fs.Errors())) {
		fe.Check(false, field, fs.Errors()[field])
	}
	if err := fe.Err(); err != nil {
		return fs, assetCheck{}, err
	}
	var check assetCheck
	check.active = true
	for i, code := range []string{in.C, in.I, in.A} {
		l := rc.Levels[code]
		check.ranks[i] = l.Rank
		check.active = check.active && l.SchemeCode == rc.Scheme.Code
	}
	return fs, check, nil
}

// checkRestrictions checks the restriction changes of an input against its levels' defaults: an
// added restriction is not already a default, a removed one is. Field errors are named after the
// restriction ("added_<code>", "removed_<code>") so that each stands beside its checkbox.
func checkRestrictions(ctx context.Context, tx pgx.Tx, in isms.AssetInput, rc isms.RuleContext, fe isms.FieldErrors) error {
	if len(in.Added) == 0 && len(in.Removed) == 0 {
		return nil
	}
	var known, defaults []string
	err := tx.QueryRow(ctx, `
		SELECT (SELECT array_agg(code) FROM handling_restrictions),
			coalesce((SELECT array_agg(DISTINCT restriction_code) FROM level_restrictions WHERE level_code = ANY($1)), '{}')`,
		[]string{in.C, in.I, in.A}).Scan(&known, &defaults)
	if err != nil {
		return err
	}
	// The defaults are judged only once the three levels are known ones; the rules report them otherwise.
	_, okC := rc.Levels[in.C]
	_, okI := rc.Levels[in.I]
	_, okA := rc.Levels[in.A]
	levelsKnown := okC && okI && okA
	for _, code := range in.Added {
		fe.Check(slices.Contains(known, code), "added_"+code, "validation.choose")
		fe.Check(!levelsKnown || !slices.Contains(defaults, code), "added_"+code, "asset.error.restriction_default")
	}
	for code := range in.Removed {
		fe.Check(slices.Contains(known, code), "removed_"+code, "validation.choose")
		fe.Check(!levelsKnown || slices.Contains(defaults, code), "removed_"+code, "asset.error.restriction_not_default")
	}
	return nil
}

// assetRuleContext is the rules' context with what loading it found out about the contents.
type assetRuleContext struct {
	isms.RuleContext
	contentsFound bool // every content is an asset the actor sees
}

// ruleContext loads what the rules need for an asset (id 0 for a new one), in the transaction
// that saves it: the levels, types and active scheme, the highest ranks of a medium's contents
// (which must be assets that scope sees, or that the medium already holds) and the asset's
// exceptions in force on today.
func ruleContext(ctx context.Context, q querier, scope isms.Actor, today time.Time, id int64, in isms.AssetInput) (assetRuleContext, error) {
	rc := assetRuleContext{contentsFound: true}
	levels, err := findLevels(ctx, q)
	if err != nil {
		return rc, err
	}
	rc.Levels = make(map[string]isms.Level, len(levels))
	for _, l := range levels {
		rc.Levels[l.Code] = l
	}
	types, err := findAssetTypes(ctx, q)
	if err != nil {
		return rc, err
	}
	rc.Types = make(map[string]isms.AssetType, len(types))
	for _, t := range types {
		rc.Types[t.Code] = t
	}
	// Locking the schemes keeps a scheme switch from committing between this check and the save.
	// Every row is locked, not only the active one: after waiting for a switch, the rows are read
	// again as the switch left them, and the newly active one is among them.
	rows, err := q.Query(ctx, `
		SELECT code, name_ja, name_en, to_char(effective_from, 'YYYY-MM-DD'), active, my_number_min_level, version
		FROM classification_schemes FOR SHARE`)
	if err != nil {
		return rc, err
	}
	schemes, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.Scheme])
	if err != nil {
		return rc, err
	}
	if i := slices.IndexFunc(schemes, func(s isms.Scheme) bool { return s.Active }); i >= 0 {
		rc.Scheme = schemes[i]
	} else {
		return rc, isms.Errorf(isms.EINTERNAL, "no active classification scheme")
	}
	rc.ContentMax = map[isms.Axis]int{}
	if ids := slices.DeleteFunc(slices.Clone(in.ContentIDs), func(c int64) bool { return c == id }); len(ids) > 0 {
		// Contents the medium already holds stay acceptable when they lie outside the editor's units.
		args := []any{ids, id}
		arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
		var found, c, i, a int
		if err := q.QueryRow(ctx, `
			SELECT count(*), coalesce(max(a.c_rank), 0), coalesce(max(a.i_rank), 0), coalesce(max(a.a_rank), 0)
			FROM assets a WHERE a.id = ANY($1)
				AND (`+inScope("a", scope, arg)+` OR a.id IN (SELECT content_id FROM asset_contents WHERE medium_id = $2))`,
			args...).Scan(&found, &c, &i, &a); err != nil {
			return rc, err
		}
		rc.contentsFound = found == len(ids)
		rc.ContentMax[isms.AxisC], rc.ContentMax[isms.AxisI], rc.ContentMax[isms.AxisA] = c, i, a
	}
	rc.Exceptions = map[string]bool{}
	if id != 0 {
		rows, err := q.Query(ctx, `SELECT DISTINCT rule_code FROM rule_exceptions WHERE asset_id = $1 AND valid_to >= $2`,
			id, today)
		if err != nil {
			return rc, err
		}
		codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return rc, err
		}
		for _, c := range codes {
			rc.Exceptions[c] = true
		}
	}
	return rc, nil
}

// uniqueIDs returns the ids sorted, without repeats and zeros.
func uniqueIDs(ids []int64) []int64 {
	out := slices.Compact(slices.Sorted(slices.Values(ids)))
	return slices.DeleteFunc(out, func(id int64) bool { return id == 0 })
}

// FindAssetRestrictions returns the handling restrictions of an asset: the defaults of its three
// levels and those added for it, in the restrictions' order. Defaults removed for this asset
// are listed too, marked Removed with the reason, for pages to show struck through.
func (db *DB) FindAssetRestrictions(ctx context.Context, actor isms.Actor, id int64) ([]isms.AssetRestriction, error) {
	a, err := findAsset(ctx, db.pool, actor, id)
	if err != nil {
		return nil, wrap("find asset restrictions", err)
	}
	rows, err := db.pool.Query(ctx, `
		WITH d AS (SELECT DISTINCT restriction_code AS code FROM level_restrictions WHERE level_code = ANY($2))
		SELECT r.code, r.name_ja, r.name_en, r.version,
			CASE WHEN d.code IS NOT NULL THEN 'default' ELSE 'added' END,
			d.code IS NOT NULL AND coalesce(ar.removed, false),
			CASE WHEN d.code IS NOT NULL THEN coalesce(ar.reason, '') ELSE '' END
		FROM handling_restrictions r
		LEFT JOIN d ON d.code = r.code
		LEFT JOIN asset_restrictions ar ON ar.asset_id = $1 AND ar.restriction_code = r.code
		WHERE d.code IS NOT NULL OR (ar.restriction_code IS NOT NULL AND NOT ar.removed)
		ORDER BY r.sort_order`, id, []string{a.C, a.I, a.A})
	if err != nil {
		return nil, wrap("find asset restrictions", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.AssetRestriction, error) {
		var x isms.AssetRestriction
		err := r.Scan(&x.Code, &x.NameJa, &x.NameEn, &x.Version, &x.Source, &x.Removed, &x.Reason)
		return x, err
	})
	return list, wrap("find asset restrictions", err)
}

// CheckAssetFindings applies the rules to an asset as it is stored, with the exceptions in force
// today, for its page.
func (db *DB) CheckAssetFindings(ctx context.Context, actor isms.Actor, id int64) (isms.Findings, error) {
	a, err := findAsset(ctx, db.pool, actor, id)
	if err != nil {
		return nil, wrap("check asset", err)
	}
	fs, err := checkStoredAsset(ctx, db.pool, actor, a)
	return fs, wrap("check asset", err)
}

// checkStoredAsset applies the rules to an asset as stored, with the exceptions in force on the
// actor's day. A medium's contents count whoever sees them: its classification answers for all.
func checkStoredAsset(ctx context.Context, q querier, actor isms.Actor, a isms.Asset) (isms.Findings, error) {
	rc, err := ruleContext(ctx, q, isms.SystemActor("rules"), actor.Day(), a.ID, a.Input())
	if err != nil {
		return nil, err
	}
	if rc.Outsourced, _, err = outsourceTarget(ctx, q, isms.SystemActor("rules"), a.OutsourcedTo, a.OutsourcedTo); err != nil {
		return nil, err
	}
	return isms.CheckAsset(a.Input(), rc.RuleContext), nil
}

// FindAssets returns a page of the register within the actor's scope, in the order of f.Sort,
// with the number of all that match. Counting stops past isms.AssetCountCap: more then reports
// that there are at least that many. next is the cursor of the following page, nil on the last.
func (db *DB) FindAssets(ctx context.Context, actor isms.Actor, f isms.AssetFilter) (assets []isms.Asset, total int, more bool, next *isms.AssetCursor, err error) {
	switch {
	case f.Limit <= 0:
		f.Limit = 50
	case f.Limit > 200:
		f.Limit = 200
	}
	// Japanese has no spaces between words: each term of the query is a substring of the name or
	// description, found through its character pairs (text_bigrams, assets_search_idx) and
	// confirmed by LIKE. Terms are folded as the search column is (NFKC, lower case), so that
	// 全角 and 半角 letters, digits and kana match.
	terms, err := foldTerms(ctx, db.pool, f.Query)
	if err != nil {
		return nil, 0, false, nil, wrap("find assets", err)
	}
	// filter is the WHERE clause and its arguments; with pairs, it also names the character pairs
	// of each term, which the index can use.
	filter := func(pairs bool) (string, []any) {
		args := []any{}
		arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
		where := []string{inScope("a", actor, arg)}
		for _, term := range terms {
			if pairs && utf8.RuneCountInString(term) >= 2 {
				where = append(where, "text_bigrams(a.search) @> text_bigrams("+arg(term)+"::text)")
			}
			where = append(where, "a.search LIKE "+arg("%"+escapeLike(term)+"%"))
		}
		if f.UnitID != 0 {
			where = append(where, "a.unit_id = "+arg(f.UnitID))
		}
		if !f.OutsourcedTo.IsZero() {
			col := map[isms.OutsourceKind]string{isms.OutsourceContract: "contract_id",
				isms.OutsourceExternalService: "external_service_id", isms.OutsourceSocialAccount: "social_account_id"}
			where = append(where, "a."+col[f.OutsourcedTo.Kind]+" = "+arg(f.OutsourcedTo.ID))
		}
		if f.Type != "" {
			where = append(where, "a.asset_type = "+arg(f.Type))
		}
		if f.Zone != "" {
			where = append(where, "a.zone = "+arg(f.Zone))
		}
		for _, lv := range []struct{ col, code string }{{"confidentiality", f.C}, {"integrity", f.I}, {"availability", f.A}} {
			if lv.code != "" {
				where = append(where, "a."+lv.col+" = "+arg(lv.code))
			}
		}
		if f.Status != "" {
			where = append(where, "a.status = "+arg(f.Status))
		}
		if f.Personal {
			where = append(where, "a.contains_personal")
		}
		if f.MyNumber {
			where = append(where, "a.contains_my_number")
		}
		if f.Sensitive {
			where = append(where, "a.contains_sensitive")
		}
		if f.Flagged {
			where = append(where, "(a.warnings <> '{}' OR a.reclassify)") // assets_flagged_idx
		}
		if f.ReviewBefore != nil {
			where = append(where, "a.review_due < "+arg(isms.Day(*f.ReviewBefore)), "a.status <> 'disposed'")
		}
		return strings.Join(where, " AND "), args
	}

	// The planner misjudges how many rows contain a set of character pairs, but judges LIKE well.
	// A common word (住民, 台帳) matches tens of thousands of assets: then the page is found fastest
	// by walking the list's order and testing LIKE, and the count is not worth taking. A rare
	// word is found fastest through its pairs.
	count, pagePairs := !f.Uncounted, true
	if len(terms) > 0 {
		cond, args := filter(false)
		var plan []struct {
			Plan struct {
				Rows float64 `json:"Plan Rows"`
			} `json:"Plan"`
		}
		if err := db.pool.QueryRow(ctx, "EXPLAIN (FORMAT JSON) SELECT 1 FROM assets a WHERE "+cond, args...).Scan(&plan); err != nil {
			return nil, 0, false, nil, wrap("estimate assets", err)
		}
		if len(plan) == 1 {
			estimate := plan[0].Plan.Rows
			count = count && estimate < 5*isms.AssetCountCap
			pagePairs = estimate < 2000
		}
	}
	if count {
		// Within a unit's scope a common word is counted fastest by testing LIKE on the unit's
		// rows, which reach the cap early; the pairs of a common word would first mark most of the
		// register (a staff search for 住民: 25 ms instead of 120 ms).
		cond, args := filter(pagePairs || actor.AllUnits)
		countSQL := fmt.Sprintf(`SELECT count(*) FROM (SELECT 1 FROM assets a WHERE %s LIMIT %d) m`, cond, isms.AssetCountCap+1)
		if len(terms) == 0 {
			err = db.pool.QueryRow(ctx, countSQL, args...).Scan(&total)
		} else {
			err = db.inTx(ctx, func(tx pgx.Tx) error {
				// Enough memory that the bitmap of a frequent pair stays exact, so that rows are not
				// checked again page by page.
				if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '32MB'"); err != nil {
					return err
				}
				return tx.QueryRow(ctx, countSQL, args...).Scan(&total)
			})
		}
		if err != nil {
			return nil, 0, false, nil, wrap("count assets", err)
		}
	} else {
		total = isms.AssetCountCap + 1
	}
	if total > isms.AssetCountCap {
		total, more = isms.AssetCountCap, true
	}
	cond, args := filter(pagePairs)
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }

	key, cast := "a.number", "text"
	switch f.Sort {
	case isms.SortName:
		key = "a.name"
	case isms.SortReviewDue:
		key, cast = "a.review_due", "date"
	}
	if f.After != nil {
		if cast == "date" {
			if _, ok := isms.ParseDay(f.After.Key); !ok || f.After.Key == "" {
				return nil, 0, false, nil, isms.Errorf(isms.EINVALID, "bad page cursor")
			}
		}
		cond += fmt.Sprintf(" AND (%s, a.id) > (%s::%s, %s)", key, arg(f.After.Key), cast, arg(f.After.ID))
	}
	rows, err := db.pool.Query(ctx, fmt.Sprintf(`SELECT %s FROM assets a WHERE %s ORDER BY %s, a.id LIMIT %s`,
		assetColumns, cond, key, arg(f.Limit+1)), args...)
	if err != nil {
		return nil, 0, false, nil, wrap("find assets", err)
	}
	assets, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.Asset, error) { return scanAsset(r) })
	if err != nil {
		return nil, 0, false, nil, wrap("find assets", err)
	}
	if len(assets) > f.Limit {
		assets = assets[:f.Limit]
		last := assets[len(assets)-1]
		next = &isms.AssetCursor{Key: last.Number, ID: last.ID}
		switch f.Sort {
		case isms.SortName:
			next.Key = last.Name
		case isms.SortReviewDue:
			next.Key = last.ReviewDue.Format(time.DateOnly)
		}
	}
	return assets, total, more, next, nil
}

// foldTerms splits a search into its terms (at most five), folded as the search column is.
func foldTerms(ctx context.Context, q querier, query string) ([]string, error) {
	terms := strings.Fields(query)
	if len(terms) == 0 {
		return nil, nil
	}
	if len(terms) > 5 {
		terms = terms[:5]
	}
	var folded []string
	err := q.QueryRow(ctx, `SELECT array_agg(lower(normalize(t, NFKC)) ORDER BY n) FROM unnest($1::text[]) WITH ORDINALITY AS x (t, n)`,
		terms).Scan(&folded)
	return slices.DeleteFunc(folded, func(t string) bool { return strings.TrimSpace(t) == "" }), err
}

// ruleExceptionColumns are read by every query that returns isms.RuleException.
const ruleExceptionColumns = `e.id, coalesce(e.asset_id, 0), coalesce(e.system_id, 0), e.rule_code, e.reason, e.measures,
	e.approved_by, e.approved_at, e.valid_to, coalesce((SELECT x.display_name FROM users x WHERE x.id = e.approved_by), '')`

func scanRuleException(row pgx.Row) (isms.RuleException, error) {
	var e isms.RuleException
	err := row.Scan(&e.ID, &e.AssetID, &e.SystemID, &e.RuleCode, &e.Reason, &e.Measures,
		&e.ApprovedBy, &e.ApprovedAt, &e.ValidTo, &e.ApprovedByName)
	return e, err
}

// CreateRuleException records a 例外措置: the CISO permits an asset or a system to break one rule
// until e.ValidTo, for a reason and usually with alternative measures. For an asset the rules run
// again, so that the excepted break is carried as a tracked flag from now on.
func (db *DB) CreateRuleException(ctx context.Context, actor isms.Actor, e isms.RuleException) (isms.RuleException, error) {
	if err := requirePerm(actor, isms.PermGrantExceptions); err != nil {
		return isms.RuleException{}, wrap("create rule exception", err)
	}
	if (e.AssetID == 0) == (e.SystemID == 0) {
		return isms.RuleException{}, isms.Errorf(isms.EINVALID, "an exception is for one asset or one system")
	}
	e.Normalize()
	if err := e.Validate(actor.Day()).Err(); err != nil {
		return isms.RuleException{}, wrap("create rule exception", err)
	}
	var out isms.RuleException
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var asset isms.Asset
		if e.AssetID != 0 {
			before, err := lockAsset(ctx, tx, actor, e.AssetID)
			if err != nil {
				return err
			}
			asset = before.Asset
		} else if _, err := findSystem(ctx, tx, actor, e.SystemID); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `
			INSERT INTO rule_exceptions (asset_id, system_id, rule_code, reason, measures, approved_by, valid_to)
			VALUES (nullif($1, 0), nullif($2, 0), $3, $4, $5, $6, $7) RETURNING id`,
			e.AssetID, e.SystemID, e.RuleCode, e.Reason, e.Measures, actor.UserID, isms.Day(e.ValidTo)).Scan(&id); err != nil {
			return err
		}
		var err error
		if out, err = scanRuleException(tx.QueryRow(ctx, `SELECT `+ruleExceptionColumns+` FROM rule_exceptions e WHERE e.id = $1`, id)); err != nil {
			return err
		}
		if e.SystemID != 0 {
			if err := recheckSystem(ctx, tx, e.SystemID, actor.Day()); err != nil {
				return err
			}
			return appendAudit(ctx, tx, actor, "system.exception", "system", idString(e.SystemID), nil, out)
		}
		fs, err := checkStoredAsset(ctx, tx, actor, asset)
		if err != nil {
			return err
		}
		warnings := fs.Flags()
		if _, err := tx.Exec(ctx, `UPDATE assets SET warnings = $2 WHERE id = $1`, asset.ID, warnings); err != nil {
			return err
		}
		type record struct {
			isms.RuleException
			Warnings []string `json:"warnings"`
		}
		return appendAudit(ctx, tx, actor, "asset.exception", "asset", idString(asset.ID),
			map[string]any{"warnings": asset.Warnings}, record{out, warnings})
	})
	if err != nil {
		return isms.RuleException{}, wrap("create rule exception", err)
	}
	return out, nil
}

// FindRuleExceptions returns the exceptions of one asset (assetID) or one system (systemID),
// those in force and those expired, the latest ending first. The record must be within the
// actor's scope.
func (db *DB) FindRuleExceptions(ctx context.Context, actor isms.Actor, assetID, systemID int64) ([]isms.RuleException, error) {
	if (assetID == 0) == (systemID == 0) {
		return nil, isms.Errorf(isms.EINVALID, "exceptions are listed for one asset or one system")
	}
	var err error
	if assetID != 0 {
		_, err = findAsset(ctx, db.pool, actor, assetID)
	} else {
		_, err = findSystem(ctx, db.pool, actor, systemID)
	}
	if err != nil {
		return nil, wrap("find rule exceptions", err)
	}
	rows, err := db.pool.Query(ctx, `SELECT `+ruleExceptionColumns+` FROM rule_exceptions e
		WHERE e.asset_id = nullif($1, 0) OR e.system_id = nullif($2, 0)
		ORDER BY e.valid_to DESC, e.id DESC`, assetID, systemID)
	if err != nil {
		return nil, wrap("find rule exceptions", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.RuleException, error) { return scanRuleException(r) })
	return list, wrap("find rule exceptions", err)
}
