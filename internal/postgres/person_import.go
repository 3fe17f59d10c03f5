package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// PersonImport is the rows of an import on their way into the staff directory (職員名簿), read
// from the file by the caller. In add mode every row is a new person with their first posting; in
// update mode a row changes the person of its 職員番号, and Merge lays the row's fields over the
// stored ones so that the columns the file does not have keep their values.
type PersonImport struct {
	ID       int64
	Mode     isms.ImportMode
	Rows     []PersonImportRow
	Merge    func(stored isms.PersonInput, row int) isms.PersonInput // update mode: row is the index in Rows
	Progress func(done int)                                          // called now and then; may be nil
}

// PersonImportRow is one row of a file as the directory's input.
type PersonImportRow struct {
	Row   int // the spreadsheet's row number, for messages
	Input isms.PersonInput
}

// CheckPersonImport saves every row of an import by the rules of the person form, in a
// transaction that is then rolled back, and returns the rows that are bad. Nothing is written.
func (db *DB) CheckPersonImport(ctx context.Context, actor isms.Actor, imp PersonImport) ([]RowErrors, error) {
	if err := checkImports(actor, isms.ImportPeople); err != nil {
		return nil, wrap("check person import", err)
	}
	_, bad, err := db.importRows(ctx, actor, 0, "", len(imp.Rows), func(tx pgx.Tx) ([]RowErrors, error) {
		return saveImportedPeople(ctx, tx, actor, imp, false)
	})
	return bad, wrap("check person import", err)
}

// ImportPeople saves every row of a checked import in one transaction, checking them again under
// locks: if any row is bad, nothing is written and the bad rows are returned. The audit trail
// records the import as one event with its row count rather than one event per person.
func (db *DB) ImportPeople(ctx context.Context, actor isms.Actor, imp PersonImport) (int, []RowErrors, error) {
	if err := checkImports(actor, isms.ImportPeople); err != nil {
		return 0, nil, wrap("import people", err)
	}
	n, bad, err := db.importRows(ctx, actor, imp.ID, "person.import", len(imp.Rows), func(tx pgx.Tx) ([]RowErrors, error) {
		return saveImportedPeople(ctx, tx, actor, imp, true)
	})
	return n, bad, wrap("import people", err)
}

// saveImportedPeople saves each row through the form's own create or update. A new person starts,
// as on the form, with a first posting to the row's unit; when the file leaves them out, the
// start of service and the employment type are what the new-person form proposes (the actor's
// day, 正規職員).
//
// An update changes a person's details and period of service, as the edit form does; it does not
// move them. A move ends one posting and starts another on a date, which the file does not give,
// so a row whose 所属 differs from the person's posting is refused with a problem that sends the
// move to the 人事異動 page (rotations); a 所属 that matches, or is left empty, is accepted.
// Everyone who may import people keeps the whole organisation, so any person may be named.
func saveImportedPeople(ctx context.Context, tx pgx.Tx, actor isms.Actor, imp PersonImport, lock bool) ([]RowErrors, error) {
	var stored map[string]isms.Person
	if imp.Mode == isms.ImportUpdate {
		var err error
		if stored, err = findImportedPeople(ctx, tx, actor, imp.Rows, lock); err != nil {
			return nil, err
		}
	}
	seen := make(map[string]bool, len(imp.Rows))
	return saveEachRow(ctx, tx, len(imp.Rows), imp.Progress, func(sp pgx.Tx, i int) error {
		in := imp.Rows[i].Input
		in.Normalize()
		twice := in.EmployeeNo != "" && seen[in.EmployeeNo]
		seen[in.EmployeeNo] = true
		if imp.Mode == isms.ImportAdd {
			if twice {
				return isms.FieldErrors{"employee_no": "import.error.person_twice"}.Err()
			}
			if in.ValidFrom == nil {
				day := actor.Day()
				in.ValidFrom = &day
			}
			if in.Employment == "" {
				in.Employment = isms.EmploymentRegular
			}
			_, err := createPerson(ctx, sp, actor, in, false)
			return err
		}
		p, found := stored[in.EmployeeNo]
		switch {
		case in.EmployeeNo == "":
			return isms.FieldErrors{"employee_no": "validation.required"}.Err()
		case !found:
			return isms.FieldErrors{"employee_no": "import.error.person_not_found"}.Err()
		case twice:
			return isms.FieldErrors{"employee_no": "import.error.person_twice"}.Err()
		}
		in = imp.Merge(personInput(p), i)
		in.Version = p.Version
		_, err := updatePerson(ctx, sp, actor, p.ID, in, false)
		if in.UnitID == 0 || in.UnitID == p.UnitID {
			return err
		}
		fe := isms.FieldErrors{}
		if ve, ok := errors.AsType[*isms.ValidationError](err); ok {
			fe = ve.Fields
		} else if err != nil {
			return err
		}
		fe["unit_id"] = "import.error.person_unit"
		return fe.Err()
	})
}

// personInput is a stored person as the edit form starts from, with the unit of their posting.
func personInput(p isms.Person) isms.PersonInput {
	from := p.From
	return isms.PersonInput{EmployeeNo: p.EmployeeNo, Name: p.Name, NameKana: p.NameKana, Employment: p.Employment,
		Email: p.Email, Phone: p.Phone, ValidFrom: &from, ValidTo: p.To, UnitID: p.UnitID, Version: p.Version}
}

// findImportedPeople reads the people the rows name by employee number, each with the unit of the
// posting that holds on the actor's day (for one not yet in service, on their first day; for one
// whose service has ended, their last posting); lock holds them until the transaction ends.
func findImportedPeople(ctx context.Context, tx pgx.Tx, actor isms.Actor, rows []PersonImportRow, lock bool) (map[string]isms.Person, error) {
	numbers := make([]string, 0, len(rows))
	for _, r := range rows {
		in := r.Input
		in.Normalize()
		if in.EmployeeNo != "" {
			numbers = append(numbers, in.EmployeeNo)
		}
	}
	query := `SELECT ` + personColumns + ` FROM people p
		LEFT JOIN LATERAL (SELECT x.unit_id FROM postings x WHERE x.person_id = p.id
			AND x.valid_from <= greatest($1::date, p.valid_from) ORDER BY x.valid_from DESC LIMIT 1) po ON true
		LEFT JOIN units un ON un.id = po.unit_id
		LEFT JOIN users us ON us.id = p.user_id
		WHERE p.employee_no = ANY($2)`
	if lock {
		query += ` FOR UPDATE OF p`
	}
	res, err := tx.Query(ctx, query, actor.Day(), numbers)
	if err != nil {
		return nil, err
	}
	out := make(map[string]isms.Person, len(numbers))
	_, err = pgx.CollectRows(res, func(row pgx.CollectableRow) (struct{}, error) {
		p, err := scanPerson(row)
		out[p.EmployeeNo] = p
		return struct{}{}, err
	})
	return out, err
}
