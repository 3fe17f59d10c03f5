package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// SystemImport is the rows of an import on their way into the system register (情報システム台帳),
// read from the file by the caller. In add mode every row is a new system; in update mode a row
// changes the system of its システム番号, and Merge lays the row's fields over the stored ones so
// that the columns the file does not have keep their values.
type SystemImport struct {
	ID       int64
	Mode     isms.ImportMode
	Rows     []SystemImportRow
	Merge    func(stored isms.SystemInput, row int) isms.SystemInput // update mode: row is the index in Rows
	Progress func(done int)                                          // called now and then; may be nil
}

// SystemImportRow is one row of a file as the register's input.
type SystemImportRow struct {
	Row   int // the spreadsheet's row number, for messages
	Input isms.SystemInput
}

// rowProgressEvery is how many rows pass between two progress reports of the registers whose
// rows are saved one by one (systems, people): each row costs a few round trips.
const rowProgressEvery = 200

// CheckSystemImport saves every row of an import by the rules of the system form, in a
// transaction that is then rolled back, and returns the rows that are bad. Nothing is written.
func (db *DB) CheckSystemImport(ctx context.Context, actor isms.Actor, imp SystemImport) ([]RowErrors, error) {
	if err := checkImports(actor, isms.ImportSystems); err != nil {
		return nil, wrap("check system import", err)
	}
	_, bad, err := db.importRows(ctx, actor, 0, "", len(imp.Rows), func(tx pgx.Tx) ([]RowErrors, error) {
		return saveImportedSystems(ctx, tx, actor, imp, false)
	})
	return bad, wrap("check system import", err)
}

// ImportSystems saves every row of a checked import in one transaction, checking them again
// under locks (the register may have changed since the check): if any row is bad, nothing is
// written and the bad rows are returned. The audit trail records the import as one event with
// its row count rather than one event per system.
func (db *DB) ImportSystems(ctx context.Context, actor isms.Actor, imp SystemImport) (int, []RowErrors, error) {
	if err := checkImports(actor, isms.ImportSystems); err != nil {
		return 0, nil, wrap("import systems", err)
	}
	n, bad, err := db.importRows(ctx, actor, imp.ID, "system.import", len(imp.Rows), func(tx pgx.Tx) ([]RowErrors, error) {
		return saveImportedSystems(ctx, tx, actor, imp, true)
	})
	return n, bad, wrap("import systems", err)
}

// saveImportedSystems saves each row through the form's own create or update, so that an import
// follows exactly the rules of the form: the unit the actor may register for, the administrator
// holding 情報システム管理者, the code not taken, the Z-4 flag.
func saveImportedSystems(ctx context.Context, tx pgx.Tx, actor isms.Actor, imp SystemImport, lock bool) ([]RowErrors, error) {
	var stored map[string]isms.System
	if imp.Mode == isms.ImportUpdate {
		var err error
		if stored, err = findImportedSystems(ctx, tx, actor, imp.Rows, lock); err != nil {
			return nil, err
		}
	}
	seen := make(map[string]bool, len(imp.Rows))
	return saveEachRow(ctx, tx, len(imp.Rows), imp.Progress, func(sp pgx.Tx, i int) error {
		in := imp.Rows[i].Input
		in.Normalize()
		twice := in.Code != "" && seen[in.Code]
		seen[in.Code] = true
		if imp.Mode == isms.ImportAdd {
			if twice {
				return isms.FieldErrors{"code": "import.error.system_twice"}.Err()
			}
			_, err := createSystem(ctx, sp, actor, in, false)
			return err
		}
		s, found := stored[in.Code]
		switch {
		case in.Code == "":
			return isms.FieldErrors{"code": "validation.required"}.Err()
		case !found || !actor.Edits(s.UnitID):
			return isms.FieldErrors{"code": "import.error.system_not_found"}.Err()
		case twice:
			return isms.FieldErrors{"code": "import.error.system_twice"}.Err()
		}
		in = imp.Merge(s.Input(), i)
		in.Version = s.Version
		_, err := updateSystem(ctx, sp, actor, s.ID, in, false)
		return err
	})
}

// findImportedSystems reads the systems the rows name by code, within the actor's scope; lock
// holds them until the transaction ends.
func findImportedSystems(ctx context.Context, tx pgx.Tx, actor isms.Actor, rows []SystemImportRow, lock bool) (map[string]isms.System, error) {
	codes := make([]string, 0, len(rows))
	for _, r := range rows {
		in := r.Input
		in.Normalize()
		codes = append(codes, in.Code)
	}
	args := []any{codes}
	query := `SELECT ` + systemColumns + ` FROM ` + systemFrom + ` WHERE s.code = ANY($1) AND ` + systemScope(actor, &args)
	if lock {
		query += ` FOR UPDATE OF s`
	}
	res, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	out := make(map[string]isms.System, len(codes))
	_, err = pgx.CollectRows(res, func(row pgx.CollectableRow) (struct{}, error) {
		s, _, err := scanSystem(row)
		out[s.Code] = s
		return struct{}{}, err
	})
	return out, err
}

// FindEmployeeNumbers returns the people in service on the actor's day by employee number, for
// the 情報システム管理者 column of a system import. Whether the person holds the role for the
// system's unit is the save's own check, which the import reports beside the column.
func (db *DB) FindEmployeeNumbers(ctx context.Context, actor isms.Actor) (map[string]int64, error) {
	if err := checkImports(actor, isms.ImportSystems); err != nil {
		return nil, wrap("find employee numbers", err)
	}
	rows, err := db.pool.Query(ctx, `SELECT employee_no, id FROM people p WHERE employee_no <> '' AND `+activeOn("p", "$1"),
		actor.Day())
	if err != nil {
		return nil, wrap("find employee numbers", err)
	}
	out := map[string]int64{}
	var no string
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&no, &id}, func() error {
		out[no] = id
		return nil
	})
	return out, wrap("find employee numbers", err)
}

// importRows runs the saving of an import's n rows in one transaction. A check (action "") rolls
// it back whatever the rows; the write of import id commits only when no row is bad, ending the
// import with one audit event (action) and the row count in the same transaction.
func (db *DB) importRows(ctx context.Context, actor isms.Actor, id int64, action string, n int, save func(tx pgx.Tx) ([]RowErrors, error)) (int, []RowErrors, error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer tx.Rollback(ctx) // after the commit, a no-op
	bad, err := save(tx)
	if err != nil || len(bad) > 0 || action == "" {
		return 0, bad, err
	}
	if err := finishImport(ctx, tx, actor, id, action, n); err != nil {
		return 0, nil, err
	}
	return n, nil, tx.Commit(ctx)
}

// saveEachRow saves rows 0..n-1 one by one, each in a savepoint of tx: a row that the rules
// refuse (an *isms.ValidationError) is undone and reported by its fields, and the next goes on,
// so that every bad row is found in one pass; any other error ends the import.
func saveEachRow(ctx context.Context, tx pgx.Tx, n int, progress func(int), save func(sp pgx.Tx, i int) error) ([]RowErrors, error) {
	var bad []RowErrors
	for i := range n {
		if progress != nil && i%rowProgressEvery == 0 && i > 0 {
			progress(i)
		}
		sp, err := tx.Begin(ctx)
		if err != nil {
			return nil, err
		}
		err = save(sp, i)
		if ve, ok := errors.AsType[*isms.ValidationError](err); ok {
			bad = append(bad, RowErrors{Index: i, Errors: ve.Fields})
			err = sp.Rollback(ctx)
		} else if err == nil {
			err = sp.Commit(ctx)
		}
		if err != nil {
			return nil, err
		}
	}
	return bad, nil
}
