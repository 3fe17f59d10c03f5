package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// Rotation lists (異動一覧) from personnel, imported as lines of one draft personnel rotation. Each
// row is a move to its unit and, when it names a role, the start or end of that role; its lines
// are added by the rules of the rotation page's line forms (addRotationLine), so that a row is
// refused exactly when the same lines typed on the page would be.

// RotationImport is the rows of a rotation list on their way into a draft rotation, read from the
// file by the caller.
type RotationImport struct {
	ID         int64 // the import, for the write
	RotationID int64
	Rows       []RotationImportRow
	Progress   func(done int) // called now and then; may be nil
}

// RotationImportRow is one row of the list: the person and unit found by the caller (0 when the
// row has none), and the role the move starts or ends, if any. RoleAction is isms.LineStartRole,
// isms.LineEndRole, or empty to start RoleCode.
type RotationImportRow struct {
	Row        int // the spreadsheet's row number, for messages
	PersonID   int64
	UnitID     int64
	RoleCode   isms.SecurityRoleCode
	RoleAction isms.RotationLineKind
}

// FindRotationNumbers returns every person with an employee number, by that number, for matching
// the rows of a rotation list: one whose service has ended is found, and refused by the rules of
// the sheet rather than reported unknown.
func (db *DB) FindRotationNumbers(ctx context.Context, actor isms.Actor) (map[string]int64, error) {
	if err := checkImports(actor, isms.ImportRotation); err != nil {
		return nil, wrap("find rotation numbers", err)
	}
	rows, err := db.pool.Query(ctx, `SELECT employee_no, id FROM people WHERE employee_no <> ''`)
	if err != nil {
		return nil, wrap("find rotation numbers", err)
	}
	out := map[string]int64{}
	var no string
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&no, &id}, func() error { out[no] = id; return nil })
	return out, wrap("find rotation numbers", err)
}

// CheckRotationImport adds every row's lines to the draft by the rules of the line forms, in a
// transaction that is then rolled back, and returns the rows that are bad. Nothing is written. A
// rotation applied since the upload is ECONFLICT.
func (db *DB) CheckRotationImport(ctx context.Context, actor isms.Actor, imp RotationImport) ([]RowErrors, error) {
	if err := checkImports(actor, isms.ImportRotation); err != nil {
		return nil, wrap("check rotation import", err)
	}
	_, bad, err := db.importRows(ctx, actor, 0, "", len(imp.Rows), func(tx pgx.Tx) ([]RowErrors, error) {
		return addImportedLines(ctx, tx, imp)
	})
	return bad, wrap("check rotation import", err)
}

// ImportRotationLines adds every row's lines to the draft in one transaction, checking them again
// under the rotation's lock: if any row is bad, nothing is added and the bad rows are returned.
// The rotation's version moves on, so that a sheet loaded before the import is not applied
// unseen, and the audit trail records the import as one event (rotation.import) with its row
// count rather than one event per line.
func (db *DB) ImportRotationLines(ctx context.Context, actor isms.Actor, imp RotationImport) (int, []RowErrors, error) {
	if err := checkImports(actor, isms.ImportRotation); err != nil {
		return 0, nil, wrap("import rotation lines", err)
	}
	n, bad, err := db.importRows(ctx, actor, imp.ID, "rotation.import", len(imp.Rows), func(tx pgx.Tx) ([]RowErrors, error) {
		bad, err := addImportedLines(ctx, tx, imp)
		if err != nil || len(bad) > 0 {
			return bad, err
		}
		return nil, touchRotation(ctx, tx, imp.RotationID)
	})
	return n, bad, wrap("import rotation lines", err)
}

// addImportedLines locks the draft and adds each row's lines in a savepoint of tx: the move to
// the row's unit, then the role's start (for the new unit when the role is held per unit, else
// for the whole town) or its end (the assignment of that role the person holds the day before,
// preferably for the unit they leave). A row's first refused line is its problem, keyed by the
// list's columns.
func addImportedLines(ctx context.Context, tx pgx.Tx, imp RotationImport) ([]RowErrors, error) {
	rot, err := lockRotation(ctx, tx, imp.RotationID, 0)
	if err != nil {
		return nil, err
	}
	perUnit := map[isms.SecurityRoleCode]bool{}
	rows, err := tx.Query(ctx, `SELECT code, unit_kind = 'unit' FROM security_roles`)
	if err != nil {
		return nil, err
	}
	var code isms.SecurityRoleCode
	var unit bool
	if _, err := pgx.ForEachRow(rows, []any{&code, &unit}, func() error { perUnit[code] = unit; return nil }); err != nil {
		return nil, err
	}
	return saveEachRow(ctx, tx, len(imp.Rows), imp.Progress, func(sp pgx.Tx, i int) error {
		r := imp.Rows[i]
		fe := isms.FieldErrors{}
		fe.Check(r.PersonID != 0, "employee_no", "validation.required")
		fe.Check(r.UnitID != 0, "unit_id", "validation.required")
		fe.Check(r.RoleAction == "" || r.RoleCode != "", "role_code", "validation.required")
		if err := fe.Err(); err != nil {
			return err
		}
		lines := []isms.RotationLine{{Kind: isms.LineMove, PersonID: r.PersonID, UnitID: r.UnitID}}
		switch {
		case r.RoleCode == "":
		case r.RoleAction == isms.LineEndRole:
			id, err := heldAssignment(ctx, sp, r.PersonID, r.RoleCode, rot.EffectiveDate)
			if err != nil {
				return err
			}
			lines = append(lines, isms.RotationLine{Kind: isms.LineEndRole, PersonID: r.PersonID, AssignmentID: id})
		default:
			l := isms.RotationLine{Kind: isms.LineStartRole, PersonID: r.PersonID, RoleCode: r.RoleCode}
			if perUnit[r.RoleCode] {
				l.UnitID = r.UnitID
			}
			lines = append(lines, l)
		}
		for _, l := range lines {
			l, err := prepareLine(l)
			if err == nil {
				_, err = addRotationLine(ctx, sp, rot, l)
			}
			if ve, ok := errors.AsType[*isms.ValidationError](err); ok {
				return importedLineErrors(ve.Fields).Err()
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// heldAssignment is the assignment of role that person holds the day before day and that is still
// open on it, preferring the one for the unit they are posted to then; a person who holds none is
// a problem of the row's role.
func heldAssignment(ctx context.Context, tx pgx.Tx, person int64, role isms.SecurityRoleCode, day time.Time) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `
		SELECT a.id FROM role_assignments a
		LEFT JOIN LATERAL (SELECT po.unit_id FROM postings po WHERE po.person_id = a.person_id AND `+activeOn("po", "$3")+`
			ORDER BY po.valid_from DESC LIMIT 1) fp ON true
		WHERE a.person_id = $1 AND a.role_code = $2 AND `+activeOn("a", "$3")+` AND (a.valid_to IS NULL OR a.valid_to > $3)
		ORDER BY a.unit_id IS NOT DISTINCT FROM fp.unit_id DESC, a.id LIMIT 1`,
		person, role, day.AddDate(0, 0, -1)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, isms.FieldErrors{"role_code": "rotation.import.not_held"}.Err()
	}
	return id, err
}

// importedLineErrors keys a line form's errors by the list's columns: the person by the
// employee number, the assignment a row ends by its role, the kind of line by the role's action.
func importedLineErrors(fe isms.FieldErrors) isms.FieldErrors {
	out := isms.FieldErrors{}
	for field, key := range fe {
		switch field {
		case "person_id":
			field = "employee_no"
		case "assignment_id":
			field = "role_code"
		case "kind":
			field = "role_action"
		}
		out[field] = key
	}
	return out
}
