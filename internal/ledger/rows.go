package ledger

import (
	"strings"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// Lookups are the master data rows refer to, keyed by Key() of codes and names.
type Lookups struct {
	Units   map[string]int64  // Key(unit code) and Key(unit name) → unit id
	Systems map[string]int64  // Key(system code) and Key(system name) → system id
	People  map[string]int64  // Key(employee no) → person id
	Types   map[string]string // Key(type code), Key(name_ja), Key(name_en) → type code
	Levels  []isms.Level      // the active scheme's levels
	Roles   map[string]string // Key(security role code), Key(name_ja), Key(name_en) → role code
	// Key(number), Key(number and name) and Key(name) of the contracts, external services and
	// social media accounts an asset may name as its 委託先・外部サービス; a name two records share
	// is left out (the number tells them apart).
	Outsourced map[string]isms.OutsourcedTo
}

// AssetRow is a row of an asset register file. Number is the asset number (資産番号) it gives,
// which names the asset to change in an update. Set holds the field keys of the mapped columns:
// the fields the file gives, empty cells included, so that an update can clear a field. It is
// shared by every row of a file.
type AssetRow struct {
	Row    int // spreadsheet row number, 1-based
	Number string
	Input  isms.AssetInput
	Set    map[string]bool
}

// SystemRow is a row of a system register file; Set as for AssetRow.
type SystemRow struct {
	Row   int
	Input isms.SystemInput
	Set   map[string]bool
}

// PersonRow is a row of a people file; Set as for AssetRow.
type PersonRow struct {
	Row   int
	Input isms.PersonInput
	Set   map[string]bool
}

// A cell problem's catalogue key names what the cell should have held.
const (
	problemDate       = "ledger.problem.date"
	problemLevel      = "ledger.problem.level"
	problemUnit       = "ledger.problem.unit"
	problemSystem     = "ledger.problem.system"
	problemOutsourced = "ledger.problem.outsourced"
	problemType       = "ledger.problem.type"
	problemZone       = "ledger.problem.zone"
	problemBool       = "ledger.problem.bool"
	problemNumber     = "ledger.problem.number"
	problemChoice     = "ledger.problem.choice"
	problemPerson     = "ledger.problem.person"
	problemDisposed   = "ledger.problem.disposed"
)

// cellFunc reads a cell into a row, and returns a problem's key and arguments when it cannot.
// It is called for non-empty cells only: an empty cell leaves its field zero.
type cellFunc[R any] func(row *R, v string) (string, []any)

// convertRows reads every non-empty row below the header through the mapped columns' readers,
// and reports each cell that cannot be read. add starts a row, given its spreadsheet row number
// and the mapped fields, and returns where to read it into; the readers fill it before the next
// add, so it may point into a slice that add grows.
func convertRows[R any](t *Table, h Header, readers map[string]cellFunc[R], add func(row int, set map[string]bool) *R) []Problem {
	type mapped struct {
		col  int
		key  string
		read cellFunc[R]
	}
	var cols []mapped
	set := map[string]bool{}
	for i, key := range h.Mapping {
		if read, ok := readers[key]; ok {
			cols = append(cols, mapped{i, key, read})
			set[key] = true
		}
	}
	var problems []Problem
	for r := h.Row + 1; r < len(t.Rows); r++ {
		cells := t.Rows[r]
		if blankRow(cells) {
			continue
		}
		row := add(r+1, set)
		for _, c := range cols {
			v := rowCell(cells, c.col)
			if v == "" {
				continue
			}
			if key, args := c.read(row, v); key != "" {
				problems = append(problems, Problem{Row: r + 1, Column: headerName(h, c.col), Field: c.key, Value: v, Key: key, Args: args})
			}
		}
	}
	return problems
}

// dataRows is how many rows a table may have below its header, to size the result.
func dataRows(t *Table, h Header) int { return max(0, len(t.Rows)-h.Row-1) }

// blankRow reports whether every cell of a row is empty or spaces.
func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// rowCell is the text of column col, trimmed, without the apostrophe that WriteCSV puts before a
// text that a spreadsheet program would take for a formula, so that an exported file reads back.
func rowCell(cells []string, col int) string {
	if col >= len(cells) {
		return ""
	}
	v := strings.TrimSpace(cells[col])
	if len(v) > 1 && v[0] == '\'' && formulaStart(v[1]) {
		return v[1:]
	}
	return v
}

func headerName(h Header, col int) string {
	if col < len(h.Names) {
		return h.Names[col]
	}
	return ""
}

// memoSize bounds how many distinct values a column's memo keeps.
const memoSize = 4096

// memo remembers parse's answers for the values a column repeats row after row (units, types,
// levels, marks), which saves normalising the same text a hundred thousand times.
func memo[V any](parse func(string) (V, bool)) func(string) (V, bool) {
	type answer struct {
		v  V
		ok bool
	}
	seen := map[string]answer{}
	return func(s string) (V, bool) {
		if a, ok := seen[s]; ok {
			return a.v, a.ok
		}
		v, ok := parse(s)
		if len(seen) < memoSize {
			seen[s] = answer{v, ok}
		}
		return v, ok
	}
}

// Readers of the kinds of cell, shared by the registers.

func textCell[R any](field func(*R) *string) cellFunc[R] {
	return func(row *R, v string) (string, []any) {
		*field(row) = v
		return "", nil
	}
}

// lookupCell reads a code or a name of the master data m, returning problem for one it lacks.
func lookupCell[R any, V any](m map[string]V, problem string, field func(*R) *V) cellFunc[R] {
	find := memo(func(s string) (V, bool) {
		v, ok := m[Key(s)]
		return v, ok
	})
	return func(row *R, v string) (string, []any) {
		id, ok := find(v)
		if !ok {
			return problem, nil
		}
		*field(row) = id
		return "", nil
	}
}

func boolCell[R any](field func(*R) *bool) cellFunc[R] {
	parse := memo(ParseBool)
	return func(row *R, v string) (string, []any) {
		b, ok := parse(v)
		if !ok {
			return problemBool, nil
		}
		*field(row) = b
		return "", nil
	}
}

func intCell[R any](field func(*R) **int) cellFunc[R] {
	return func(row *R, v string) (string, []any) {
		n, ok := ParseInt(v)
		if !ok {
			return problemNumber, nil
		}
		*field(row) = &n
		return "", nil
	}
}

// dateCell stores a date as the registers hold days: midnight UTC of the day in Japan (isms.Day),
// which is what the forms give the rules to compare.
func dateCell[R any](field func(*R) **time.Time) cellFunc[R] {
	return func(row *R, v string) (string, []any) {
		t, ok := ParseDate(v)
		if !ok {
			return problemDate, nil
		}
		d := isms.Day(t)
		*field(row) = &d
		return "", nil
	}
}

func choiceCell[R any, C ~string](parse func(string) (C, bool), problem string, field func(*R) *C) cellFunc[R] {
	parse = memo(parse)
	return func(row *R, v string) (string, []any) {
		c, ok := parse(v)
		if !ok {
			return problem, nil
		}
		*field(row) = c
		return "", nil
	}
}

// levelCell reads a level of axis; a problem lists the short forms of the scheme's levels.
func levelCell[R any](ix levelIndex, axis isms.Axis, field func(*R) *string) cellFunc[R] {
	args := []any{strings.Join(ix.tokens[axis], ", ")}
	match := memo(func(s string) (string, bool) { return ix.match(s, axis) })
	return func(row *R, v string) (string, []any) {
		code, ok := match(v)
		if !ok {
			return problemLevel, args
		}
		*field(row) = code
		return "", nil
	}
}

func assetReaders(lk Lookups) map[string]cellFunc[AssetRow] {
	ix, status := newLevelIndex(lk.Levels), memo(ParseStatus)
	return map[string]cellFunc[AssetRow]{
		"number":             textCell(func(r *AssetRow) *string { return &r.Number }),
		"name":               textCell(func(r *AssetRow) *string { return &r.Input.Name }),
		"description":        textCell(func(r *AssetRow) *string { return &r.Input.Description }),
		"asset_type":         lookupCell(lk.Types, problemType, func(r *AssetRow) *string { return &r.Input.Type }),
		"unit_id":            lookupCell(lk.Units, problemUnit, func(r *AssetRow) *int64 { return &r.Input.UnitID }),
		"form":               choiceCell(ParseForm, problemChoice, func(r *AssetRow) *isms.AssetForm { return &r.Input.Form }),
		"location":           textCell(func(r *AssetRow) *string { return &r.Input.Location }),
		"zone":               choiceCell(ParseZone, problemZone, func(r *AssetRow) *isms.Zone { return &r.Input.Zone }),
		"system_id":          lookupCell(lk.Systems, problemSystem, func(r *AssetRow) *int64 { return &r.Input.SystemID }),
		"confidentiality":    levelCell(ix, isms.AxisC, func(r *AssetRow) *string { return &r.Input.C }),
		"integrity":          levelCell(ix, isms.AxisI, func(r *AssetRow) *string { return &r.Input.I }),
		"availability":       levelCell(ix, isms.AxisA, func(r *AssetRow) *string { return &r.Input.A }),
		"contains_personal":  boolCell(func(r *AssetRow) *bool { return &r.Input.ContainsPersonal }),
		"contains_my_number": boolCell(func(r *AssetRow) *bool { return &r.Input.ContainsMyNumber }),
		"contains_sensitive": boolCell(func(r *AssetRow) *bool { return &r.Input.ContainsSensitive }),
		"data_subjects":      intCell(func(r *AssetRow) **int { return &r.Input.DataSubjects }),
		"users_scope":        textCell(func(r *AssetRow) *string { return &r.Input.UsersScope }),
		"retention":          textCell(func(r *AssetRow) *string { return &r.Input.Retention }),
		"backup_policy":      textCell(func(r *AssetRow) *string { return &r.Input.BackupPolicy }),
		"recovery_hours":     intCell(func(r *AssetRow) **int { return &r.Input.RecoveryHours }),
		"outsourced_to":      lookupCell(lk.Outsourced, problemOutsourced, func(r *AssetRow) *isms.OutsourcedTo { return &r.Input.OutsourcedTo }),
		"classified_at":      dateCell(func(r *AssetRow) **time.Time { return &r.Input.ClassifiedAt }),
		"review_due":         dateCell(func(r *AssetRow) **time.Time { return &r.Input.ReviewDue }),
		"status": func(r *AssetRow, v string) (string, []any) {
			st, ok := status(v)
			switch {
			case st == isms.AssetDisposed:
				return problemDisposed, nil
			case !ok:
				return problemChoice, nil
			}
			r.Input.Status = st
			return "", nil
		},
	}
}

// AssetRows reads the asset register rows below the header h, through its mapping (columns of
// AssetLayout). It applies no defaults and no validation: a cell that cannot be read is a
// problem, and leaves its field zero, as an empty cell does. Empty rows are skipped.
func AssetRows(t *Table, h Header, lk Lookups) ([]AssetRow, []Problem) {
	rows := make([]AssetRow, 0, dataRows(t, h))
	problems := convertRows(t, h, assetReaders(lk), func(row int, set map[string]bool) *AssetRow {
		rows = append(rows, AssetRow{Row: row, Set: set})
		return &rows[len(rows)-1]
	})
	return rows, problems
}

func systemReaders(lk Lookups) map[string]cellFunc[SystemRow] {
	return map[string]cellFunc[SystemRow]{
		"code":                 textCell(func(s *SystemRow) *string { return &s.Input.Code }),
		"name":                 textCell(func(s *SystemRow) *string { return &s.Input.Name }),
		"business":             textCell(func(s *SystemRow) *string { return &s.Input.Business }),
		"unit_id":              lookupCell(lk.Units, problemUnit, func(s *SystemRow) *int64 { return &s.Input.UnitID }),
		"admin_person_id":      lookupCell(lk.People, problemPerson, func(s *SystemRow) *int64 { return &s.Input.AdminPersonID }),
		"operators":            textCell(func(s *SystemRow) *string { return &s.Input.Operators }),
		"zone":                 choiceCell(ParseZone, problemZone, func(s *SystemRow) *isms.Zone { return &s.Input.Zone }),
		"hosting":              choiceCell(ParseHosting, problemChoice, func(s *SystemRow) *isms.Hosting { return &s.Input.Hosting }),
		"standard_system":      boolCell(func(s *SystemRow) *bool { return &s.Input.StandardSystem }),
		"handles_my_number":    boolCell(func(s *SystemRow) *bool { return &s.Input.HandlesMyNumber }),
		"handles_personal":     boolCell(func(s *SystemRow) *bool { return &s.Input.HandlesPersonal }),
		"vendor_dev":           textCell(func(s *SystemRow) *string { return &s.Input.VendorDev }),
		"vendor_ops":           textCell(func(s *SystemRow) *string { return &s.Input.VendorOps }),
		"vendor_maint":         textCell(func(s *SystemRow) *string { return &s.Input.VendorMaint }),
		"contract_from":        dateCell(func(s *SystemRow) **time.Time { return &s.Input.ContractFrom }),
		"contract_to":          dateCell(func(s *SystemRow) **time.Time { return &s.Input.ContractTo }),
		"hardware":             textCell(func(s *SystemRow) *string { return &s.Input.Hardware }),
		"location":             textCell(func(s *SystemRow) *string { return &s.Input.Location }),
		"os_middleware":        textCell(func(s *SystemRow) *string { return &s.Input.OSMiddleware }),
		"auth_method":          textCell(func(s *SystemRow) *string { return &s.Input.AuthMethod }),
		"mfa_enabled":          boolCell(func(s *SystemRow) *bool { return &s.Input.MFAEnabled }),
		"usb_block_enabled":    boolCell(func(s *SystemRow) *bool { return &s.Input.USBBlockEnabled }),
		"sanitization_method":  choiceCell(ParseSanitization, problemChoice, func(s *SystemRow) *isms.Sanitization { return &s.Input.Sanitization }),
		"external_connections": textCell(func(s *SystemRow) *string { return &s.Input.ExternalConnections }),
		"backup":               textCell(func(s *SystemRow) *string { return &s.Input.Backup }),
		"recovery_hours":       intCell(func(s *SystemRow) **int { return &s.Input.RecoveryHours }),
		"seismic_fixing":       boolCell(func(s *SystemRow) *bool { return &s.Input.SeismicFixing }),
		"flood_risk":           textCell(func(s *SystemRow) *string { return &s.Input.FloodRisk }),
		"documents":            textCell(func(s *SystemRow) *string { return &s.Input.Documents }),
		"replacement_due":      dateCell(func(s *SystemRow) **time.Time { return &s.Input.ReplacementDue }),
	}
}

// SystemRows reads the system register rows below the header h (columns of SystemLayout), as
// AssetRows does. The administrator is found by employee number.
func SystemRows(t *Table, h Header, lk Lookups) ([]SystemRow, []Problem) {
	rows := make([]SystemRow, 0, dataRows(t, h))
	problems := convertRows(t, h, systemReaders(lk), func(row int, set map[string]bool) *SystemRow {
		rows = append(rows, SystemRow{Row: row, Set: set})
		return &rows[len(rows)-1]
	})
	return rows, problems
}

func personReaders(lk Lookups) map[string]cellFunc[PersonRow] {
	return map[string]cellFunc[PersonRow]{
		"employee_no":     textCell(func(p *PersonRow) *string { return &p.Input.EmployeeNo }),
		"name":            textCell(func(p *PersonRow) *string { return &p.Input.Name }),
		"name_kana":       textCell(func(p *PersonRow) *string { return &p.Input.NameKana }),
		"employment_type": choiceCell(ParseEmployment, problemChoice, func(p *PersonRow) *isms.EmploymentType { return &p.Input.Employment }),
		"email":           textCell(func(p *PersonRow) *string { return &p.Input.Email }),
		"phone":           textCell(func(p *PersonRow) *string { return &p.Input.Phone }),
		"valid_from":      dateCell(func(p *PersonRow) **time.Time { return &p.Input.ValidFrom }),
		"valid_to":        dateCell(func(p *PersonRow) **time.Time { return &p.Input.ValidTo }),
		"unit_id":         lookupCell(lk.Units, problemUnit, func(p *PersonRow) *int64 { return &p.Input.UnitID }),
	}
}

// PersonRows reads the people rows below the header h (columns of PersonLayout), as AssetRows
// does.
func PersonRows(t *Table, h Header, lk Lookups) ([]PersonRow, []Problem) {
	rows := make([]PersonRow, 0, dataRows(t, h))
	problems := convertRows(t, h, personReaders(lk), func(row int, set map[string]bool) *PersonRow {
		rows = append(rows, PersonRow{Row: row, Set: set})
		return &rows[len(rows)-1]
	})
	return rows, problems
}

// MergeAsset copies the fields the row set onto a stored asset's input (update by asset number):
// a field whose column the file has takes the file's value, empty or not; the others, and what
// no file holds (contents of a medium, restrictions, version), stay as stored.
func MergeAsset(stored isms.AssetInput, row AssetRow) isms.AssetInput {
	out, in := stored, row.Input
	for key := range row.Set {
		switch key {
		case "name":
			out.Name = in.Name
		case "asset_type":
			out.Type = in.Type
		case "description":
			out.Description = in.Description
		case "unit_id":
			out.UnitID = in.UnitID
		case "form":
			out.Form = in.Form
		case "location":
			out.Location = in.Location
		case "zone":
			out.Zone = in.Zone
		case "system_id":
			out.SystemID = in.SystemID
		case "confidentiality":
			out.C = in.C
		case "integrity":
			out.I = in.I
		case "availability":
			out.A = in.A
		case "contains_personal":
			out.ContainsPersonal = in.ContainsPersonal
		case "contains_my_number":
			out.ContainsMyNumber = in.ContainsMyNumber
		case "contains_sensitive":
			out.ContainsSensitive = in.ContainsSensitive
		case "data_subjects":
			out.DataSubjects = in.DataSubjects
		case "users_scope":
			out.UsersScope = in.UsersScope
		case "retention":
			out.Retention = in.Retention
		case "backup_policy":
			out.BackupPolicy = in.BackupPolicy
		case "recovery_hours":
			out.RecoveryHours = in.RecoveryHours
		case "outsourced_to":
			out.OutsourcedTo = in.OutsourcedTo
		case "classified_at":
			out.ClassifiedAt = in.ClassifiedAt
		case "review_due":
			out.ReviewDue = in.ReviewDue
		case "status":
			out.Status = in.Status
		}
	}
	return out
}
