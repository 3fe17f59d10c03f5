package server

import (
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/ledger"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// The staff directory (職員名簿) imported from a spreadsheet, as the system register is
// (system_ledger.go). A new person's 所属 is their first posting; an update does not move anyone
// (the store refuses a row whose 所属 differs and points to the 人事異動 page).

// runPersonImport checks or writes the rows of a people import. Units are found by code or name.
func runPersonImport(run *importRun, write bool) error {
	ctx, db := run.ctx, run.h.db
	units, err := db.FindUnits(ctx)
	if err != nil {
		return err
	}
	var lk ledger.Lookups
	var unitNames map[int64]string
	lk.Units, unitNames = unitLookups(units)
	rows, read := ledger.PersonRows(run.table, run.header, lk)
	imp := postgres.PersonImport{ID: run.im.ID, Mode: run.im.Mode, Rows: make([]postgres.PersonImportRow, len(rows)),
		Merge: func(stored isms.PersonInput, i int) isms.PersonInput {
			return mergeFields(stored, rows[i].Input, rows[i].Set, personField)
		},
		Progress: run.progress}
	lines := make([]int, len(rows))
	for i, r := range rows {
		imp.Rows[i] = postgres.PersonImportRow{Row: r.Row, Input: r.Input}
		lines[i] = r.Row
	}
	return run.settle(ledger.PersonLayout, read, lines, write,
		func() ([]postgres.RowErrors, error) { return db.CheckPersonImport(ctx, run.actor, imp) },
		func() ([]postgres.RowErrors, error) {
			_, bad, err := db.ImportPeople(ctx, run.actor, imp)
			return bad, err
		},
		func(i int, key string) string {
			in := rows[i].Input
			if key == "unit_id" {
				return unitNames[in.UnitID]
			}
			return fieldText(ctx, personField(&in, key))
		})
}

// personField points at the field of a person's input that the column key feeds.
func personField(in *isms.PersonInput, key string) any {
	switch key {
	case "employee_no":
		return &in.EmployeeNo
	case "name":
		return &in.Name
	case "name_kana":
		return &in.NameKana
	case "employment_type":
		return &in.Employment
	case "email":
		return &in.Email
	case "phone":
		return &in.Phone
	case "valid_from":
		return &in.ValidFrom
	case "valid_to":
		return &in.ValidTo
	case "unit_id":
		return &in.UnitID
	}
	return nil
}
