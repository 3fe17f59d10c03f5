package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// AssetImport is the rows of an import on their way into the asset register, read from the file
// by the caller. In add mode every row is a new asset (numbers come from the register's sequence);
// in update mode a row changes the asset of its number, and Merge lays the row's fields over the
// stored ones so that the columns the file does not have keep their values.
type AssetImport struct {
	ID       int64
	Mode     isms.ImportMode
	Rows     []AssetImportRow
	Merge    func(stored isms.AssetInput, row int) isms.AssetInput // update mode: row is the index in Rows
	Progress func(done int)                                        // called now and then; may be nil
}

// AssetImportRow is one row of a file as the register's input.
type AssetImportRow struct {
	Row    int    // the spreadsheet's row number, for messages
	Number string // 資産番号: update mode
	Input  isms.AssetInput
}

// RowErrors are the problems of one row, by form field, as the form would show them.
type RowErrors struct {
	Index  int // in AssetImport.Rows
	Errors isms.FieldErrors
}

// progressEvery is how many rows pass between two progress reports.
const progressEvery = 2000

// checkedAsset is a row ready to be written.
type checkedAsset struct {
	id     int64 // update mode: the asset the row changes
	in     isms.AssetInput
	ranks  [3]int
	active bool
	flags  []string
	levels bool // update mode: the levels changed
}

// CheckAssetImport checks every row of an import by the rules of the asset form, and returns the
// rows that are bad. Nothing is written.
func (db *DB) CheckAssetImport(ctx context.Context, actor isms.Actor, imp AssetImport) ([]RowErrors, error) {
	if err := checkImports(actor, isms.ImportAssets); err != nil {
		return nil, wrap("check asset import", err)
	}
	var bad []RowErrors
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		_, bad, err = checkAssetImport(ctx, tx, actor, imp, false)
		return err
	})
	return bad, wrap("check asset import", err)
}

// ImportAssets writes every row of a checked import in one transaction, checking them again
// under locks (the register may have changed since the check): if any row is bad, nothing is
// written and the bad rows are returned. The audit trail records the import as one event with
// its row count, like a bulk load, rather than one event per row.
func (db *DB) ImportAssets(ctx context.Context, actor isms.Actor, imp AssetImport) (int, []RowErrors, error) {
	if err := checkImports(actor, isms.ImportAssets); err != nil {
		return 0, nil, wrap("import assets", err)
	}
	var bad []RowErrors
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		rows, b, err := checkAssetImport(ctx, tx, actor, imp, true)
		if err != nil || len(b) > 0 {
			bad = b
			return err
		}
		if imp.Mode == isms.ImportUpdate {
			err = updateImportedAssets(ctx, tx, actor, rows, imp.Progress)
		} else {
			err = copyImportedAssets(ctx, tx, actor, rows, imp.Progress)
		}
		if err != nil {
			return err
		}
		return finishImport(ctx, tx, actor, imp.ID, "asset.import", len(rows))
	})
	if err != nil || len(bad) > 0 {
		return 0, bad, wrap("import assets", err)
	}
	return len(imp.Rows), nil, nil
}

// checkAssetImport judges every row as the asset form would, with the master data read once for
// the whole file. lock holds the assets an update changes until the transaction ends.
func checkAssetImport(ctx context.Context, tx pgx.Tx, actor isms.Actor, imp AssetImport, lock bool) ([]checkedAsset, []RowErrors, error) {
	day := actor.Day()
	base, err := ruleContext(ctx, tx, actor, day, 0, isms.AssetInput{})
	if err != nil {
		return nil, nil, err
	}
	open, err := idSet(ctx, tx, `SELECT id FROM units WHERE valid_to IS NULL OR valid_to >= $1`, day)
	if err != nil {
		return nil, nil, err
	}
	systemIDs := make([]int64, 0)
	for _, r := range imp.Rows {
		if r.Input.SystemID != 0 {
			systemIDs = append(systemIDs, r.Input.SystemID)
		}
	}
	systems, err := idSet(ctx, tx, `SELECT id FROM systems WHERE id = ANY($1)`, uniqueIDs(systemIDs))
	if err != nil {
		return nil, nil, err
	}
	var stored map[string]storedAsset
	if imp.Mode == isms.ImportUpdate {
		if stored, err = findImportedAssets(ctx, tx, actor, imp.Rows, lock); err != nil {
			return nil, nil, err
		}
	}
	named := make([]isms.OutsourcedTo, 0, len(imp.Rows)+len(stored))
	for _, r := range imp.Rows {
		named = append(named, r.Input.OutsourcedTo)
	}
	for _, s := range stored {
		named = append(named, s.OutsourcedTo)
	}
	targets, err := outsourceTargetMap(ctx, tx, actor, named)
	if err != nil {
		return nil, nil, err
	}

	out := make([]checkedAsset, 0, len(imp.Rows))
	var bad []RowErrors
	seen := make(map[string]int, len(stored))
	for i, r := range imp.Rows {
		if imp.Progress != nil && i%progressEvery == 0 && i > 0 {
			imp.Progress(i)
		}
		fe := isms.FieldErrors{}
		rc := base.RuleContext
		var c checkedAsset
		in := r.Input
		if imp.Mode == isms.ImportUpdate {
			s, found := stored[r.Number]
			_, twice := seen[r.Number]
			seen[r.Number] = i
			switch {
			case r.Number == "":
				fe["number"] = "validation.required"
			case !found:
				fe["number"] = "import.error.number_not_found"
			case twice:
				fe["number"] = "import.error.number_twice"
			case s.Status == isms.AssetDisposed:
				fe["number"] = "asset.error.disposed"
			case checkEdits(actor, s.UnitID) != nil:
				fe["number"] = "import.error.number_scope"
			}
			if len(fe) > 0 {
				bad = append(bad, RowErrors{Index: i, Errors: fe})
				continue
			}
			in = imp.Merge(s.Input(), i)
			in.ContentIDs, in.Added, in.Removed = nil, nil, nil // kept as stored: the file has no such columns
			c.id = s.ID
			c.levels = in.C != s.C || in.I != s.I || in.A != s.A
			rc.Exceptions, rc.ContentMax = s.exceptions, s.contentMax
		} else {
			importDefaults(&in, day, base.Types)
		}
		in.Normalize()
		for k, v := range in.Validate() {
			fe[k] = v
		}
		if in.UnitID != 0 && checkEdits(actor, in.UnitID) != nil {
			fe.Check(false, "unit_id", "import.error.unit_scope")
		}
		unitOpen := open[in.UnitID] || (imp.Mode == isms.ImportUpdate && in.UnitID == stored[r.Number].UnitID)
		// A row keeps the link its asset has; a new link names a record the uploader may name.
		target, named := targets[in.OutsourcedTo]
		fe.Check(in.OutsourcedTo.IsZero() || named && (target.usable || in.OutsourcedTo == stored[r.Number].OutsourcedTo),
			"outsourced_to", "validation.choose")
		rc.Outsourced = target.OutsourceTarget
		// judgeAsset adds its findings to fe and fails only with them: fe says whether the row is bad.
		fs, check, _ := judgeAsset(in, rc, unitOpen, in.SystemID == 0 || systems[in.SystemID], fe)
		if len(fe) > 0 {
			bad = append(bad, RowErrors{Index: i, Errors: fe})
			continue
		}
		c.in, c.ranks, c.active, c.flags = in, check.ranks, check.active, fs.Flags()
		out = append(out, c)
	}
	return out, bad, nil
}

// importDefaults fills what a new asset's form would propose and a ledger often leaves out: the
// classification made today, its review at the end of the fiscal year, the asset in use, and its
// form from its type.
func importDefaults(in *isms.AssetInput, day time.Time, types map[string]isms.AssetType) {
	if in.ClassifiedAt == nil {
		in.ClassifiedAt = &day
	}
	if in.ReviewDue == nil {
		due := isms.ReviewDueDefault(*in.ClassifiedAt)
		in.ReviewDue = &due
	}
	if in.Status == "" {
		in.Status = isms.AssetInUse
	}
	if t, ok := types[in.Type]; ok && in.Form == "" {
		in.Form = isms.FormPaper
		if t.Electronic {
			in.Form = isms.FormElectronic
		}
	}
}

// storedAsset is an asset an update-mode row names, with what the rules need of it.
type storedAsset struct {
	isms.Asset
	exceptions map[string]bool
	contentMax map[isms.Axis]int
}

// findImportedAssets reads the assets the rows name by number, within the actor's scope, with
// their exceptions in force and, for media, the highest ranks of what they hold.
func findImportedAssets(ctx context.Context, tx pgx.Tx, actor isms.Actor, rows []AssetImportRow, lock bool) (map[string]storedAsset, error) {
	numbers := make([]string, 0, len(rows))
	for _, r := range rows {
		if r.Number != "" {
			numbers = append(numbers, r.Number)
		}
	}
	args := []any{numbers}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	query := `SELECT ` + assetColumns + ` FROM assets a WHERE a.number = ANY($1) AND ` + inScope("a", actor, arg)
	if lock {
		query += ` FOR UPDATE OF a`
	}
	res, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	assets, err := pgx.CollectRows(res, func(row pgx.CollectableRow) (isms.Asset, error) { return scanAsset(row) })
	if err != nil {
		return nil, err
	}
	out := make(map[string]storedAsset, len(assets))
	ids := make([]int64, 0, len(assets))
	byID := make(map[int64]string, len(assets))
	for _, a := range assets {
		out[a.Number] = storedAsset{Asset: a, exceptions: map[string]bool{}, contentMax: map[isms.Axis]int{}}
		ids = append(ids, a.ID)
		byID[a.ID] = a.Number
	}
	res, err = tx.Query(ctx, `SELECT DISTINCT asset_id, rule_code FROM rule_exceptions WHERE asset_id = ANY($1) AND valid_to >= $2`,
		ids, actor.Day())
	if err != nil {
		return nil, err
	}
	var id int64
	var code string
	if _, err := pgx.ForEachRow(res, []any{&id, &code}, func() error {
		out[byID[id]].exceptions[code] = true
		return nil
	}); err != nil {
		return nil, err
	}
	res, err = tx.Query(ctx, `
		SELECT ac.medium_id, max(c.c_rank), max(c.i_rank), max(c.a_rank)
		FROM asset_contents ac JOIN assets c ON c.id = ac.content_id
		WHERE ac.medium_id = ANY($1) GROUP BY ac.medium_id`, ids)
	if err != nil {
		return nil, err
	}
	var c, i, a int
	_, err = pgx.ForEachRow(res, []any{&id, &c, &i, &a}, func() error {
		m := out[byID[id]].contentMax
		m[isms.AxisC], m[isms.AxisI], m[isms.AxisA] = c, i, a
		return nil
	})
	return out, err
}

// idSet runs a query of ids into a set.
func idSet(ctx context.Context, q querier, query string, args ...any) (map[int64]bool, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	set := make(map[int64]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set, nil
}

// assetRow is the row COPY writes for a checked asset, in the order of assetCopyColumns.
func assetRow(c checkedAsset, actor isms.Actor) []any {
	in := c.in
	contract, service, account := outsourcedColumns(in.OutsourcedTo)
	return []any{in.Name, in.Type, in.Description, in.UnitID, string(in.Form), in.Location, nullIf(string(in.Zone), ""),
		nullIf(in.SystemID, 0), in.C, in.I, in.A, c.ranks[0], c.ranks[1], c.ranks[2], in.ContainsPersonal,
		in.ContainsMyNumber, in.ContainsSensitive, in.DataSubjects, in.UsersScope, in.Retention, in.BackupPolicy,
		in.RecoveryHours, nullIf(contract, 0), nullIf(service, 0), nullIf(account, 0), nullIf(actor.UserID, 0), isms.Day(*in.ClassifiedAt), isms.Day(*in.ReviewDue),
		string(in.Status), !c.active, c.flags}
}

// progressSource feeds COPY from checked rows, reporting progress as it goes.
func progressSource(rows []checkedAsset, actor isms.Actor, extra func(checkedAsset) []any, progress func(int)) pgx.CopyFromSource {
	return pgx.CopyFromFunc(func() func() ([]any, error) {
		i := 0
		return func() ([]any, error) {
			if i == len(rows) {
				return nil, nil
			}
			if progress != nil && i%progressEvery == 0 && i > 0 {
				progress(i)
			}
			row := assetRow(rows[i], actor)
			if extra != nil {
				row = append(row, extra(rows[i])...)
			}
			i++
			return row, nil
		}
	}())
}

// copyImportedAssets adds the rows as new assets by COPY.
func copyImportedAssets(ctx context.Context, tx pgx.Tx, actor isms.Actor, rows []checkedAsset, progress func(int)) error {
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"assets"}, assetCopyColumns, progressSource(rows, actor, nil, progress))
	return err
}

// updateImportedAssets changes the assets the rows name: the rows go by COPY into a temporary
// table and one UPDATE applies them; the media holding assets whose levels changed are judged
// again, as after a form's save.
func updateImportedAssets(ctx context.Context, tx pgx.Tx, actor isms.Actor, rows []checkedAsset, progress func(int)) error {
	if _, err := tx.Exec(ctx, `CREATE TEMPORARY TABLE imported_assets ON COMMIT DROP AS
		SELECT `+strings.Join(assetCopyColumns, ", ")+`, id, false AS levels_changed FROM assets WITH NO DATA`); err != nil {
		return err
	}
	cols := append(slices.Clone(assetCopyColumns), "id", "levels_changed")
	extra := func(c checkedAsset) []any { return []any{c.id, c.levels} }
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"imported_assets"}, cols, progressSource(rows, actor, extra, progress)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `
		UPDATE assets a SET name = t.name, asset_type = t.asset_type, description = t.description, unit_id = t.unit_id,
			form = t.form, location = t.location, zone = t.zone, system_id = t.system_id,
			confidentiality = t.confidentiality, integrity = t.integrity, availability = t.availability,
			c_rank = t.c_rank, i_rank = t.i_rank, a_rank = t.a_rank, contains_personal = t.contains_personal,
			contains_my_number = t.contains_my_number, contains_sensitive = t.contains_sensitive,
			data_subjects = t.data_subjects, users_scope = t.users_scope, retention = t.retention,
			backup_policy = t.backup_policy, recovery_hours = t.recovery_hours,
			contract_id = t.contract_id, external_service_id = t.external_service_id, social_account_id = t.social_account_id,
			classified_by = CASE WHEN t.levels_changed THEN t.classified_by ELSE a.classified_by END,
			classified_at = t.classified_at, review_due = t.review_due, status = t.status,
			reclassify = t.reclassify, warnings = t.warnings, updated_at = now(), version = a.version + 1
		FROM imported_assets t WHERE a.id = t.id`); err != nil {
		return err
	}
	changed := make([]int64, 0)
	for _, c := range rows {
		if c.levels {
			changed = append(changed, c.id)
		}
	}
	return flagMediaHolding(ctx, tx, changed...)
}
