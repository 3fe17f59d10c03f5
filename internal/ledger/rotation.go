package ledger

import (
	"github.com/jichitai-isms/isms/internal/isms"
)

// RotationLayout is a rotation list (異動一覧) as personnel hands it over before April, imported
// as lines of one draft personnel rotation: who (by employee number), the unit they move to and,
// optionally, a security role they take up or give up with the move. The name is only shown, to
// help the reader recognise the rows; other columns (the current unit, the post) are left out.
var RotationLayout = Layout{Kind: "rotation", Columns: []Column{
	newColumn("employee_no", "person.employee_no", true, 12, "職員番号", "職員コード", "職員No", "社員番号", "個人番号",
		"employee no", "employee number"),
	newColumn("name", "person.name", false, 16, "氏名", "職員名", "名前", "name"),
	newColumn("unit_id", "rotation.to_unit", true, 20, "異動後所属", "異動後の所属", "異動先", "異動先所属", "新所属", "新所属名",
		"配属先", "new unit", "to unit"),
	newColumn("role_code", "rotation.role", false, 20, "役割", "セキュリティ上の役割", "情報セキュリティの役割", "role"),
	newColumn("role_action", "rotation.import.role_action", false, 10, "役割の開始/終了", "役割の開始・終了", "開始/終了",
		"開始・終了", "役割の区分", "role action"),
}}

// RotationRow is a row of a rotation list. PersonID and UnitID are 0 when the row has no employee
// number or unit; RoleAction is isms.LineStartRole or isms.LineEndRole when the row says which,
// and empty otherwise (a role without one is taken up).
type RotationRow struct {
	Row        int
	EmployeeNo string
	PersonID   int64
	Name       string
	UnitID     int64
	RoleCode   isms.SecurityRoleCode
	RoleAction isms.RotationLineKind
}

// Problems of a rotation list's cells.
const (
	problemRole       = "rotation.import.problem.role"
	problemRoleAction = "rotation.import.problem.role_action"
)

// roleActions are how a list says that a role begins or ends with the move.
var roleActions = func() map[string]isms.RotationLineKind {
	m := map[string]isms.RotationLineKind{}
	for _, w := range []string{"開始", "始", "就任", "着任", "新任", "start", "begin"} {
		m[Key(w)] = isms.LineStartRole
	}
	for _, w := range []string{"終了", "終", "退任", "解任", "離任", "end", "stop"} {
		m[Key(w)] = isms.LineEndRole
	}
	return m
}()

// ParseRoleAction reads whether a role begins (開始, 就任 …) or ends (終了, 退任 …).
func ParseRoleAction(s string) (isms.RotationLineKind, bool) {
	k, ok := roleActions[Key(s)]
	return k, ok
}

func rotationReaders(lk Lookups) map[string]cellFunc[RotationRow] {
	return map[string]cellFunc[RotationRow]{
		"employee_no": func(r *RotationRow, v string) (string, []any) {
			r.EmployeeNo = v
			id, ok := lk.People[Key(v)]
			if !ok {
				return problemUnknownPerson, nil
			}
			r.PersonID = id
			return "", nil
		},
		"name":    textCell(func(r *RotationRow) *string { return &r.Name }),
		"unit_id": lookupCell(lk.Units, problemUnit, func(r *RotationRow) *int64 { return &r.UnitID }),
		"role_code": func(r *RotationRow, v string) (string, []any) {
			code, ok := lk.Roles[Key(v)]
			if !ok {
				return problemRole, nil
			}
			r.RoleCode = isms.SecurityRoleCode(code)
			return "", nil
		},
		"role_action": choiceCell(ParseRoleAction, problemRoleAction, func(r *RotationRow) *isms.RotationLineKind { return &r.RoleAction }),
	}
}

// RotationRows reads the rows of a rotation list below the header h (columns of RotationLayout).
// People are found by employee number in lk.People, units by code or name in lk.Units, roles by
// code or name in lk.Roles; one that is not there is a problem of its row. Empty rows are skipped.
func RotationRows(t *Table, h Header, lk Lookups) ([]RotationRow, []Problem) {
	rows := make([]RotationRow, 0, dataRows(t, h))
	problems := convertRows(t, h, rotationReaders(lk), func(row int, _ map[string]bool) *RotationRow {
		rows = append(rows, RotationRow{Row: row})
		return &rows[len(rows)-1]
	})
	return rows, problems
}
