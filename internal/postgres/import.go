package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// Imports of the registers from spreadsheets. An import belongs to the person who uploaded it:
// another person's import is ENOTFOUND, whatever their role. The file stays in the row until the
// import ends; what its rows become is checked and written by the register's own import method
// (ImportAssets, ImportSystems, ImportPeople, ImportAttendance, ImportRotationLines).

const importColumns = `id, kind, coalesce(session_id, 0), coalesce(rotation_id, 0), mode, file_name, format, encoding, delimiter, sheet, size_bytes,
	header_row, header_rows, names, mapping, samples, status, total_rows, done_rows, problems, preview,
	imported, failure, created_by, created_at, updated_at, version`

func scanImport(row pgx.Row) (isms.Import, error) {
	var im isms.Import
	var samples, problems, preview []byte
	err := row.Scan(&im.ID, &im.Kind, &im.SessionID, &im.RotationID, &im.Mode, &im.FileName, &im.Format, &im.Encoding, &im.Delimiter, &im.Sheet,
		&im.SizeBytes, &im.HeaderRow, &im.HeaderRows, &im.Names, &im.Mapping, &samples, &im.Status, &im.TotalRows,
		&im.DoneRows, &problems, &preview, &im.Imported, &im.Failure, &im.CreatedBy, &im.CreatedAt,
		&im.UpdatedAt, &im.Version)
	if err != nil {
		return im, err
	}
	if err := json.Unmarshal(samples, &im.Samples); err != nil {
		return im, err
	}
	if err := json.Unmarshal(problems, &im.Problems); err != nil {
		return im, err
	}
	for i := range im.Problems {
		im.Problems[i].NormalizeArgs()
	}
	return im, json.Unmarshal(preview, &im.Preview)
}

// importAudit is what the audit trail keeps of an import: never the file, only what it was.
type importAudit struct {
	ID       int64             `json:"id"`
	Kind     isms.ImportKind   `json:"kind"`
	Mode     isms.ImportMode   `json:"mode"`
	FileName string            `json:"file_name"`
	Format   string            `json:"format"`
	Encoding string            `json:"encoding,omitempty"`
	Size     int64             `json:"size_bytes"`
	Status   isms.ImportStatus `json:"status"`
	Rows     int               `json:"rows"`
	Imported int               `json:"imported"`
}

func auditOfImport(im isms.Import) importAudit {
	return importAudit{ID: im.ID, Kind: im.Kind, Mode: im.Mode, FileName: im.FileName, Format: im.Format,
		Encoding: im.Encoding, Size: im.SizeBytes, Status: im.Status, Rows: im.TotalRows, Imported: im.Imported}
}

// CreateImport keeps an uploaded file, read and with its header found, for its owner to map and
// check. Whether the actor may import into the register at all is checked here; whether they may
// write each row is checked with the rows.
func (db *DB) CreateImport(ctx context.Context, actor isms.Actor, im isms.Import, content []byte) (isms.Import, error) {
	if err := checkImports(actor, im.Kind); err != nil {
		return isms.Import{}, wrap("create import", err)
	}
	// An attendance list goes into a session (one that exists: the key says so); the registers take none.
	if (im.Kind == isms.ImportAttendance) != (im.SessionID != 0) {
		return isms.Import{}, wrap("create import", isms.FieldErrors{"session": "import.error.session"}.Err())
	}
	// A rotation list goes into a rotation, likewise.
	if (im.Kind == isms.ImportRotation) != (im.RotationID != 0) {
		return isms.Import{}, wrap("create import", isms.FieldErrors{"rotation": "import.error.rotation"}.Err())
	}
	samples := im.Samples
	if samples == nil {
		samples = [][]string{}
	}
	var out isms.Import
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		// Lines are added to a draft only: an applied rotation takes no import.
		if im.Kind == isms.ImportRotation {
			if _, err := lockRotation(ctx, tx, im.RotationID, 0); err != nil {
				return err
			}
		}
		var err error
		out, err = scanImport(tx.QueryRow(ctx, `
			INSERT INTO imports (kind, mode, file_name, format, encoding, delimiter, sheet, content, size_bytes,
				header_row, header_rows, names, mapping, samples, created_by, session_id, rotation_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, nullif($16, 0), nullif($17, 0))
			RETURNING `+importColumns,
			im.Kind, im.Mode, im.FileName, im.Format, im.Encoding, im.Delimiter, im.Sheet, content, int64(len(content)),
			im.HeaderRow, im.HeaderRows, im.Names, im.Mapping, samples, actor.UserID, im.SessionID, im.RotationID))
		if isForeignKeyViolation(err) && im.Kind == isms.ImportRotation {
			return isms.FieldErrors{"rotation": "import.error.rotation"}.Err()
		}
		if isForeignKeyViolation(err) {
			return isms.FieldErrors{"session": "import.error.session"}.Err()
		}
		if err != nil {
			return err
		}
		if err := expireImports(ctx, tx, actor); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "import.upload", "import", idString(out.ID), nil, auditOfImport(out))
	})
	return out, wrap("create import", err)
}

// importKept is how long an upload left half-way keeps its file: a ledger holds personal
// information, and an import nobody finished should not keep a copy of it.
const importKept = "7 days"

// expireImports drops the files of imports left without progress for importKept (any person's:
// each upload tidies up), marking them failed; the trail records which.
func expireImports(ctx context.Context, tx pgx.Tx, actor isms.Actor) error {
	rows, err := tx.Query(ctx, `
		UPDATE imports SET content = NULL, status = 'failed', failure = $2, updated_at = now(), version = version + 1
		WHERE content IS NOT NULL AND status IN ('uploaded', 'checked', 'failed')
			AND updated_at < now() - $1::interval
		RETURNING id`, importKept, isms.ImportExpired)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(ids) == 0 {
		return err
	}
	return appendAudit(ctx, tx, actor, "import.expire", "import", "", nil, map[string]any{"ids": ids, "kept": importKept})
}

// MayImport says whether the actor may import into a register of kind k: assets, anyone who
// registers assets of some unit; systems, the editors of the system register; people, those who
// manage the organisation; attendance, those who run training; rotation (the lines of a personnel
// rotation), those who manage the organisation.
func MayImport(actor isms.Actor, k isms.ImportKind) bool {
	switch k {
	case isms.ImportAssets:
		return editsAny(actor)
	case isms.ImportSystems:
		return isms.SystemEditor(actor)
	case isms.ImportPeople, isms.ImportRotation:
		return actor.Can(isms.PermManageOrganisation)
	case isms.ImportAttendance:
		return actor.Can(isms.PermManageTraining)
	}
	return false
}

func checkImports(actor isms.Actor, k isms.ImportKind) error {
	if !MayImport(actor, k) {
		return isms.Errorf(isms.EFORBIDDEN, "may not import into %s", k)
	}
	return nil
}

// FindImport returns one of the actor's own imports.
func (db *DB) FindImport(ctx context.Context, actor isms.Actor, id int64) (isms.Import, error) {
	im, err := scanImport(db.pool.QueryRow(ctx, `SELECT `+importColumns+` FROM imports WHERE id = $1 AND created_by = $2`,
		id, actor.UserID))
	if errors.Is(err, pgx.ErrNoRows) {
		err = isms.Errorf(isms.ENOTFOUND, "no import %d", id)
	}
	return im, wrap("find import", err)
}

// FindImportContent returns the file of one of the actor's own imports; ENOTFOUND once the
// import has ended and the file is gone.
func (db *DB) FindImportContent(ctx context.Context, actor isms.Actor, id int64) ([]byte, error) {
	var content []byte
	err := db.pool.QueryRow(ctx, `SELECT content FROM imports WHERE id = $1 AND created_by = $2 AND content IS NOT NULL`,
		id, actor.UserID).Scan(&content)
	if errors.Is(err, pgx.ErrNoRows) {
		err = isms.Errorf(isms.ENOTFOUND, "no file for import %d", id)
	}
	return content, wrap("find import content", err)
}

// FindImports returns the actor's latest imports, newest first.
func (db *DB) FindImports(ctx context.Context, actor isms.Actor, limit int) ([]isms.Import, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+importColumns+` FROM imports WHERE created_by = $1 ORDER BY id DESC LIMIT $2`,
		actor.UserID, limit)
	if err != nil {
		return nil, wrap("find imports", err)
	}
	ims, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.Import, error) { return scanImport(row) })
	return ims, wrap("find imports", err)
}

// StartImportCheck records the mapping and mode the owner confirmed and marks the import as being
// checked. version is the version the mapping page showed (else ECONFLICT); an import being
// written or already written is ECONFLICT too.
func (db *DB) StartImportCheck(ctx context.Context, actor isms.Actor, id int64, version int, mode isms.ImportMode, mapping []string) (isms.Import, error) {
	return db.moveImport(ctx, actor, id, version, "import.check", `
		UPDATE imports SET mode = $4, mapping = $5, status = 'checking', total_rows = 0, done_rows = 0,
			problems = '[]', preview = '[]', failure = '', updated_at = now(), version = version + 1
		WHERE id = $1 AND created_by = $2 AND version = $3 AND status IN ('uploaded', 'checked', 'failed')
			AND content IS NOT NULL
		RETURNING `+importColumns, mode, mapping)
}

// StartImportWrite marks a checked import without problems as being written.
func (db *DB) StartImportWrite(ctx context.Context, actor isms.Actor, id int64, version int) (isms.Import, error) {
	return db.moveImport(ctx, actor, id, version, "import.start", `
		UPDATE imports SET status = 'importing', done_rows = 0, updated_at = now(), version = version + 1
		WHERE id = $1 AND created_by = $2 AND version = $3 AND status = 'checked' AND problems = '[]'
			AND content IS NOT NULL
		RETURNING `+importColumns)
}

// moveImport runs one step change of an import (query, with $1 id, $2 owner, $3 version and args
// from $4) and records it; no row changed means the import moved on since the page was shown.
func (db *DB) moveImport(ctx context.Context, actor isms.Actor, id int64, version int, action, query string, args ...any) (isms.Import, error) {
	var out isms.Import
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := scanImport(tx.QueryRow(ctx, `SELECT `+importColumns+` FROM imports WHERE id = $1 AND created_by = $2 FOR UPDATE`,
			id, actor.UserID))
		if errors.Is(err, pgx.ErrNoRows) {
			return isms.Errorf(isms.ENOTFOUND, "no import %d", id)
		}
		if err != nil {
			return err
		}
		out, err = scanImport(tx.QueryRow(ctx, query, append([]any{id, actor.UserID, version}, args...)...))
		if errors.Is(err, pgx.ErrNoRows) {
			return errConflict("import")
		}
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, action, "import", idString(id), auditOfImport(before), auditOfImport(out))
	})
	return out, wrap(action, err)
}

// ImportProgress records how far the background work on an import has come. It also shows the
// work is alive: an import whose progress stops for isms.ImportStale is reported interrupted.
func (db *DB) ImportProgress(ctx context.Context, id int64, done, total int) error {
	_, err := db.pool.Exec(ctx, `UPDATE imports SET done_rows = $2, total_rows = $3, updated_at = now()
		WHERE id = $1 AND status IN ('checking', 'importing')`, id, done, total)
	return wrap("import progress", err)
}

// FinishImportCheck records the outcome of the check: the rows read, every problem found, and a
// preview of the first rows.
func (db *DB) FinishImportCheck(ctx context.Context, id int64, total int, problems []isms.ImportProblem, preview [][]string) error {
	if problems == nil {
		problems = []isms.ImportProblem{}
	}
	if preview == nil {
		preview = [][]string{}
	}
	_, err := db.pool.Exec(ctx, `UPDATE imports SET status = 'checked', total_rows = $2, done_rows = $2,
		problems = $3, preview = $4, updated_at = now(), version = version + 1
		WHERE id = $1 AND status = 'checking'`, id, total, problems, preview)
	return wrap("finish import check", err)
}

// FailImport stops an import in the background with the catalogue key of the reason. An import
// that found problems only at the write (the registers changed since its check) goes back to
// checked with them, so that its owner sees every bad row as after a check.
func (db *DB) FailImport(ctx context.Context, id int64, reason string, problems []isms.ImportProblem) error {
	var err error
	if len(problems) > 0 {
		_, err = db.pool.Exec(ctx, `UPDATE imports SET status = 'checked', problems = $2, updated_at = now(),
			version = version + 1 WHERE id = $1 AND status IN ('checking', 'importing')`, id, problems)
	} else {
		_, err = db.pool.Exec(ctx, `UPDATE imports SET status = 'failed', failure = $2, updated_at = now(),
			version = version + 1 WHERE id = $1 AND status IN ('checking', 'importing')`, id, reason)
	}
	return wrap("fail import", err)
}

// finishImport ends a written import in the transaction that wrote its rows: the file is dropped,
// and the audit trail records the import as one event with its row count.
func finishImport(ctx context.Context, tx pgx.Tx, actor isms.Actor, id int64, action string, n int) error {
	before, err := scanImport(tx.QueryRow(ctx, `SELECT `+importColumns+` FROM imports WHERE id = $1 AND created_by = $2 FOR UPDATE`,
		id, actor.UserID))
	if errors.Is(err, pgx.ErrNoRows) {
		return isms.Errorf(isms.ENOTFOUND, "no import %d", id)
	}
	if err != nil {
		return err
	}
	if before.Status != isms.ImportImporting {
		return errConflict("import")
	}
	after, err := scanImport(tx.QueryRow(ctx, `
		UPDATE imports SET status = 'done', imported = $2, done_rows = total_rows, content = NULL,
			updated_at = now(), version = version + 1
		WHERE id = $1 RETURNING `+importColumns, id, n))
	if err != nil {
		return err
	}
	return appendAudit(ctx, tx, actor, action, "import", idString(id), auditOfImport(before), auditOfImport(after))
}
