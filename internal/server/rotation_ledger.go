package server

import (
	"context"

	"github.com/jichitai-isms/isms/internal/i18n"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/ledger"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// Rotation lists (異動一覧) from personnel, imported as lines of a draft personnel rotation: the
// import is started from the rotation's page, which it names, and its rows are judged by the rules
// of the sheet's line forms.

// importRotation names the draft rotation a rotation list goes into, for the upload form. An
// applied rotation takes no lines: ECONFLICT.
func (h *handler) importRotation(ctx context.Context, actor isms.Actor, id int64) (string, error) {
	rot, err := h.db.FindRotation(ctx, actor, id)
	if err != nil {
		return "", err
	}
	if rot.Status != isms.RotationDraft {
		return "", isms.Errorf(isms.ECONFLICT, "rotation %d has been applied", id)
	}
	return i18n.T(ctx, "rotation.import.named", rot.Title, i18n.FormatDateCtx(ctx, rot.EffectiveDate)), nil
}

// runRotationImport checks or writes the rows of a rotation list into the import's rotation.
// People are found by employee number among everyone the directory holds, units by code or name,
// roles by code or either name. A rotation applied since the upload stops the import with its
// own reason.
func runRotationImport(run *importRun, write bool) error {
	ctx, db := run.ctx, run.h.db
	numbers, err := db.FindRotationNumbers(ctx, run.actor)
	if err != nil {
		return err
	}
	units, err := db.FindUnits(ctx)
	if err != nil {
		return err
	}
	roles, err := db.FindSecurityRoles(ctx)
	if err != nil {
		return err
	}
	lk := ledger.Lookups{People: make(map[string]int64, len(numbers)), Roles: make(map[string]string, 3*len(roles))}
	for no, id := range numbers {
		lk.People[ledger.Key(no)] = id
	}
	var unitNames map[int64]string
	lk.Units, unitNames = unitLookups(units)
	roleNames := make(map[isms.SecurityRoleCode]string, len(roles))
	lang := string(i18n.LangFrom(ctx))
	for _, r := range roles {
		for _, name := range []string{r.NameEn, r.NameJa, string(r.Code)} {
			lk.Roles[ledger.Key(name)] = string(r.Code)
		}
		roleNames[r.Code] = r.Name(lang)
	}
	rows, read := ledger.RotationRows(run.table, run.header, lk)
	imp := postgres.RotationImport{ID: run.im.ID, RotationID: run.im.RotationID,
		Rows: make([]postgres.RotationImportRow, len(rows)), Progress: run.progress}
	lines := make([]int, len(rows))
	for i, r := range rows {
		imp.Rows[i] = postgres.RotationImportRow{Row: r.Row, PersonID: r.PersonID, UnitID: r.UnitID,
			RoleCode: r.RoleCode, RoleAction: r.RoleAction}
		lines[i] = r.Row
	}
	err = run.settle(ledger.RotationLayout, read, lines, write,
		func() ([]postgres.RowErrors, error) { return db.CheckRotationImport(ctx, run.actor, imp) },
		func() ([]postgres.RowErrors, error) {
			_, bad, err := db.ImportRotationLines(ctx, run.actor, imp)
			return bad, err
		},
		func(i int, key string) string {
			r := rows[i]
			switch key {
			case "employee_no":
				return r.EmployeeNo
			case "name":
				return r.Name
			case "unit_id":
				return unitNames[r.UnitID]
			case "role_code":
				return roleNames[r.RoleCode]
			case "role_action":
				if r.RoleAction == "" {
					return ""
				}
				return i18n.T(ctx, "rotation.kind."+string(r.RoleAction))
			}
			return ""
		})
	if isms.ErrorCode(err) == isms.ECONFLICT {
		return db.FailImport(ctx, run.im.ID, "rotation.import.applied", nil)
	}
	return err
}
