package server

import (
	"context"
	"reflect"
	"strconv"
	"time"

	"github.com/jichitai-isms/isms/internal/i18n"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/ledger"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// The system register (情報システム台帳) imported from a spreadsheet, as the asset register is
// (asset_ledger.go): its rows are read through the mapping, then saved by the store one by one
// through the form's own rules, in a transaction rolled back for the check.

// runSystemImport checks or writes the rows of a system import. Units are found by code or name,
// the 情報システム管理者 by employee number.
func runSystemImport(run *importRun, write bool) error {
	ctx, db := run.ctx, run.h.db
	units, err := db.FindUnits(ctx)
	if err != nil {
		return err
	}
	numbers, err := db.FindEmployeeNumbers(ctx, run.actor)
	if err != nil {
		return err
	}
	lk := ledger.Lookups{People: make(map[string]int64, len(numbers))}
	var unitNames map[int64]string
	lk.Units, unitNames = unitLookups(units)
	employeeNo := make(map[int64]string, len(numbers))
	for no, id := range numbers {
		lk.People[ledger.Key(no)] = id
		employeeNo[id] = no
	}
	rows, read := ledger.SystemRows(run.table, run.header, lk)
	imp := postgres.SystemImport{ID: run.im.ID, Mode: run.im.Mode, Rows: make([]postgres.SystemImportRow, len(rows)),
		Merge: func(stored isms.SystemInput, i int) isms.SystemInput {
			return mergeFields(stored, rows[i].Input, rows[i].Set, systemField)
		},
		Progress: run.progress}
	lines := make([]int, len(rows))
	for i, r := range rows {
		imp.Rows[i] = postgres.SystemImportRow{Row: r.Row, Input: r.Input}
		lines[i] = r.Row
	}
	return run.settle(ledger.SystemLayout, read, lines, write,
		func() ([]postgres.RowErrors, error) { return db.CheckSystemImport(ctx, run.actor, imp) },
		func() ([]postgres.RowErrors, error) {
			_, bad, err := db.ImportSystems(ctx, run.actor, imp)
			return bad, err
		},
		func(i int, key string) string {
			in := rows[i].Input
			switch key {
			case "unit_id":
				return unitNames[in.UnitID]
			case "admin_person_id":
				return employeeNo[in.AdminPersonID]
			}
			return fieldText(ctx, systemField(&in, key))
		})
}

// settle ends the check or the write of a register whose rows the store saves one by one. read
// are the cells that could not be read, lines the spreadsheet row of each row; check and save
// call the store, and cell is the text of a row's field for the preview. A write that finds
// unreadable cells (the master data changed since the check) or bad rows writes nothing and
// takes the import back to checked with them.
func (run *importRun) settle(l ledger.Layout, read []ledger.Problem, lines []int, write bool,
	check, save func() ([]postgres.RowErrors, error), cell func(i int, key string) string) error {
	if write {
		if len(read) > 0 {
			return run.written(run.problems(l, read, lines, nil))
		}
		bad, err := save()
		if err != nil {
			return err
		}
		return run.written(run.problems(l, nil, lines, rowErrorsOf(bad)))
	}
	bad, err := check()
	if err != nil {
		return err
	}
	var preview [][]string
	for i := range min(importPreview, len(lines)) {
		var cells []string
		for _, key := range run.header.Mapping {
			if key != "" {
				cells = append(cells, cell(i, key))
			}
		}
		preview = append(preview, cells)
	}
	return run.finish(len(lines), run.problems(l, read, lines, rowErrorsOf(bad)), preview)
}

func rowErrorsOf(bad []postgres.RowErrors) []rowErrors {
	out := make([]rowErrors, len(bad))
	for i, b := range bad {
		out[i] = rowErrors{index: b.Index, errors: b.Errors}
	}
	return out
}

// unitLookups are the units by the Key of their code and of their name (a code wins over a name
// that happens to read the same: codes are unique, names need not be), and their names by id.
func unitLookups(units []isms.Unit) (map[string]int64, map[int64]string) {
	keys, names := make(map[string]int64, 2*len(units)), make(map[int64]string, len(units))
	for _, u := range units {
		names[u.ID] = u.Name
		if _, taken := keys[ledger.Key(u.Name)]; !taken {
			keys[ledger.Key(u.Name)] = u.ID
		}
	}
	for _, u := range units {
		keys[ledger.Key(u.Code)] = u.ID
	}
	return keys, names
}

// mergeFields copies onto a stored record's input the fields a file's row sets (update by
// number): a field whose column the file has takes the file's value, empty or not; the others
// stay as stored. field points at an input's field by key, nil for a key it does not hold.
func mergeFields[T any](stored, row T, set map[string]bool, field func(*T, string) any) T {
	for key := range set {
		if dst := field(&stored, key); dst != nil {
			reflect.ValueOf(dst).Elem().Set(reflect.ValueOf(field(&row, key)).Elem())
		}
	}
	return stored
}

// systemField points at the field of a system's input that the column key feeds.
func systemField(in *isms.SystemInput, key string) any {
	switch key {
	case "code":
		return &in.Code
	case "name":
		return &in.Name
	case "business":
		return &in.Business
	case "unit_id":
		return &in.UnitID
	case "admin_person_id":
		return &in.AdminPersonID
	case "operators":
		return &in.Operators
	case "zone":
		return &in.Zone
	case "hosting":
		return &in.Hosting
	case "standard_system":
		return &in.StandardSystem
	case "handles_my_number":
		return &in.HandlesMyNumber
	case "handles_personal":
		return &in.HandlesPersonal
	case "vendor_dev":
		return &in.VendorDev
	case "vendor_ops":
		return &in.VendorOps
	case "vendor_maint":
		return &in.VendorMaint
	case "contract_from":
		return &in.ContractFrom
	case "contract_to":
		return &in.ContractTo
	case "hardware":
		return &in.Hardware
	case "location":
		return &in.Location
	case "os_middleware":
		return &in.OSMiddleware
	case "auth_method":
		return &in.AuthMethod
	case "mfa_enabled":
		return &in.MFAEnabled
	case "usb_block_enabled":
		return &in.USBBlockEnabled
	case "sanitization_method":
		return &in.Sanitization
	case "external_connections":
		return &in.ExternalConnections
	case "backup":
		return &in.Backup
	case "recovery_hours":
		return &in.RecoveryHours
	case "seismic_fixing":
		return &in.SeismicFixing
	case "flood_risk":
		return &in.FloodRisk
	case "documents":
		return &in.Documents
	case "replacement_due":
		return &in.ReplacementDue
	}
	return nil
}

// fieldText is a field of an input, as systemField or personField point at it, written as the
// import reads it back: choices by their names, ○ for yes, dates in the reader's style. Ids are
// the caller's to name.
func fieldText(ctx context.Context, p any) string {
	named := func(prefix, code string) string {
		if code == "" {
			return ""
		}
		return i18n.T(ctx, prefix+code)
	}
	switch v := p.(type) {
	case *string:
		return *v
	case *bool:
		if *v {
			return "○"
		}
	case **int:
		if *v != nil {
			return strconv.Itoa(**v)
		}
	case **time.Time:
		if *v != nil {
			return i18n.FormatDateCtx(ctx, **v)
		}
	case *isms.Zone:
		return named("zone.", string(*v))
	case *isms.Hosting:
		return named("system.hosting.", string(*v))
	case *isms.Sanitization:
		return named("system.sanitization.", string(*v))
	case *isms.EmploymentType:
		return named("employment.", string(*v))
	}
	return ""
}
