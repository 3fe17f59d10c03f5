package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

const roleColumns = `r.code, r.name_ja, r.name_en, r.unit_kind = 'unit', r.grants, r.sort_order, r.version`

func scanRole(row pgx.Row) (isms.SecurityRole, error) {
	var r isms.SecurityRole
	err := row.Scan(&r.Code, &r.NameJa, &r.NameEn, &r.PerUnit, &r.Grants, &r.SortOrder, &r.Version)
	return r, err
}

// FindSecurityRoles returns the guideline's roles in the order of the reporting line.
func (db *DB) FindSecurityRoles(ctx context.Context) ([]isms.SecurityRole, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+roleColumns+` FROM security_roles r ORDER BY r.sort_order`)
	if err != nil {
		return nil, wrap("find security roles", err)
	}
	roles, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.SecurityRole, error) { return scanRole(row) })
	return roles, wrap("find security roles", err)
}

func findSecurityRole(ctx context.Context, q querier, code isms.SecurityRoleCode) (isms.SecurityRole, error) {
	r, err := scanRole(q.QueryRow(ctx, `SELECT `+roleColumns+` FROM security_roles r WHERE r.code = $1`, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, isms.Errorf(isms.ENOTFOUND, "security role %q not found", code)
	}
	return r, err
}

// UpdateSecurityRole renames a role in the town's wording; its code and rules stay.
func (db *DB) UpdateSecurityRole(ctx context.Context, actor isms.Actor, code isms.SecurityRoleCode, in isms.SecurityRoleNames) (isms.SecurityRole, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return isms.SecurityRole{}, err
	}
	in.NameJa, in.NameEn = strings.TrimSpace(in.NameJa), strings.TrimSpace(in.NameEn)
	if err := in.Validate().Err(); err != nil {
		return isms.SecurityRole{}, err
	}
	var after isms.SecurityRole
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findSecurityRole(ctx, tx, code)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE security_roles SET name_ja = $2, name_en = $3, updated_at = now(), version = version + 1
			WHERE code = $1 AND version = $4`, code, in.NameJa, in.NameEn, in.Version)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errConflict("the role")
		}
		if after, err = findSecurityRole(ctx, tx, code); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "security_role.update", "security_role", string(code), before, after)
	})
	return after, wrap("update security role", err)
}

// assignmentColumns are read by every query that returns isms.Assignment; scanAssignment reads
// them in this order.
const assignmentColumns = `a.id, a.person_id, a.role_code, coalesce(a.unit_id, 0), a.valid_from, a.valid_to,
	a.acting, a.note, a.version, p.name, coalesce(u.name, ''), p.phone, p.email, ` + roleColumns

const assignmentFrom = `role_assignments a
	JOIN people p ON p.id = a.person_id
	JOIN security_roles r ON r.code = a.role_code
	LEFT JOIN units u ON u.id = a.unit_id`

func scanAssignment(row pgx.Row) (isms.Assignment, error) {
	var a isms.Assignment
	err := row.Scan(&a.ID, &a.PersonID, &a.RoleCode, &a.UnitID, &a.From, &a.To, &a.Acting, &a.Note, &a.Version,
		&a.PersonName, &a.UnitName, &a.Phone, &a.Email,
		&a.Role.Code, &a.Role.NameJa, &a.Role.NameEn, &a.Role.PerUnit, &a.Role.Grants, &a.Role.SortOrder, &a.Role.Version)
	return a, err
}

func findAssignment(ctx context.Context, q querier, id int64) (isms.Assignment, error) {
	a, err := scanAssignment(q.QueryRow(ctx, `SELECT `+assignmentColumns+` FROM `+assignmentFrom+` WHERE a.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, isms.Errorf(isms.ENOTFOUND, "assignment %d not found", id)
	}
	return a, err
}

// FindAssignment returns one assignment, for those who keep the organisation.
func (db *DB) FindAssignment(ctx context.Context, actor isms.Actor, id int64) (isms.Assignment, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return isms.Assignment{}, err
	}
	a, err := findAssignment(ctx, db.pool, id)
	return a, wrap("find assignment", err)
}

// FindAssignments returns the assignments that match f, in the order of the reporting line, then
// by unit and start. Who holds which security role is not confidential: the organisation chart
// and the emergency contact list show it to every member of staff.
func (db *DB) FindAssignments(ctx context.Context, f isms.AssignmentFilter) ([]isms.Assignment, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + idString(int64(len(args)))
	}
	if !f.Day.IsZero() {
		where = append(where, activeOn("a", arg(isms.Day(f.Day))))
	}
	if f.UnitID != 0 {
		where = append(where, "a.unit_id = "+arg(f.UnitID))
	}
	if f.PersonID != 0 {
		where = append(where, "a.person_id = "+arg(f.PersonID))
	}
	if f.RoleCode != "" {
		where = append(where, "a.role_code = "+arg(f.RoleCode))
	}
	cond := "true"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	rows, err := db.pool.Query(ctx, `SELECT `+assignmentColumns+` FROM `+assignmentFrom+` WHERE `+cond+`
		ORDER BY r.sort_order, u.code NULLS FIRST, a.valid_from DESC, p.name_kana, a.id`, args...)
	if err != nil {
		return nil, wrap("find assignments", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.Assignment, error) { return scanAssignment(row) })
	return list, wrap("find assignments", err)
}

// CreateAssignment gives a person a security role for a unit or the whole town.
func (db *DB) CreateAssignment(ctx context.Context, actor isms.Actor, in isms.AssignmentInput) (isms.Assignment, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return isms.Assignment{}, err
	}
	var a isms.Assignment
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if a, err = createAssignment(ctx, tx, actor, in); err != nil {
			return err
		}
		return nil
	})
	return a, wrap("create assignment", err)
}

func createAssignment(ctx context.Context, tx pgx.Tx, actor isms.Actor, in isms.AssignmentInput) (isms.Assignment, error) {
	in.Note = strings.TrimSpace(in.Note)
	role, err := findSecurityRole(ctx, tx, in.RoleCode)
	if err != nil && isms.ErrorCode(err) != isms.ENOTFOUND {
		return isms.Assignment{}, err
	}
	if err := in.Validate(role, err == nil).Err(); err != nil {
		return isms.Assignment{}, err
	}
	if in.UnitID != 0 {
		if err := checkUnitOpen(ctx, tx, in.UnitID, *in.ValidFrom, "unit_id"); err != nil {
			return isms.Assignment{}, err
		}
	}
	var inService bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM people p WHERE p.id = $1 AND `+activeOn("p", "$2")+`)`,
		in.PersonID, in.ValidFrom).Scan(&inService); err != nil {
		return isms.Assignment{}, err
	}
	if !inService {
		return isms.Assignment{}, isms.FieldErrors{"person_id": "assignment.error.not_in_service"}.Err()
	}
	var id int64
	if err := tx.QueryRow(ctx, `
		INSERT INTO role_assignments (person_id, role_code, unit_id, valid_from, valid_to, acting, note)
		VALUES ($1, $2, nullif($3, 0), $4, $5, $6, $7) RETURNING id`,
		in.PersonID, in.RoleCode, in.UnitID, in.ValidFrom, in.ValidTo, in.Acting, in.Note).Scan(&id); err != nil {
		return isms.Assignment{}, err
	}
	a, err := findAssignment(ctx, tx, id)
	if err != nil {
		return a, err
	}
	return a, appendAudit(ctx, tx, actor, "assignment.create", "assignment", idString(id), nil, a)
}

// UpdateAssignment corrects an assignment: its period, the acting flag and the note. The person,
// role and unit stay; a different holder is a new assignment, so that the history stays true.
func (db *DB) UpdateAssignment(ctx context.Context, actor isms.Actor, id int64, in isms.AssignmentInput) (isms.Assignment, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return isms.Assignment{}, err
	}
	in.Note = strings.TrimSpace(in.Note)
	var after isms.Assignment
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findAssignment(ctx, tx, id)
		if err != nil {
			return err
		}
		in.PersonID, in.RoleCode, in.UnitID = before.PersonID, before.RoleCode, before.UnitID
		if err := in.Validate(before.Role, true).Err(); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE role_assignments SET valid_from = $2, valid_to = $3, acting = $4, note = $5,
			updated_at = now(), version = version + 1 WHERE id = $1 AND version = $6`,
			id, in.ValidFrom, in.ValidTo, in.Acting, in.Note, in.Version)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errConflict("the assignment")
		}
		if after, err = findAssignment(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "assignment.update", "assignment", idString(id), before, after)
	})
	return after, wrap("update assignment", err)
}

// EndAssignment ends an assignment on lastDay, its last day of holding the role.
func (db *DB) EndAssignment(ctx context.Context, actor isms.Actor, id int64, lastDay time.Time, version int) error {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return err
	}
	return wrap("end assignment", db.inTx(ctx, func(tx pgx.Tx) error {
		return endAssignment(ctx, tx, actor, id, isms.Day(lastDay), version)
	}))
}

func endAssignment(ctx context.Context, tx pgx.Tx, actor isms.Actor, id int64, lastDay time.Time, version int) error {
	before, err := findAssignment(ctx, tx, id)
	if err != nil {
		return err
	}
	if version != 0 && before.Version != version {
		return errConflict("the assignment")
	}
	// The period's check would refuse a last day before the first; say so beside the field.
	if lastDay.Before(before.From) {
		return isms.FieldErrors{"valid_to": "validation.period"}.Err()
	}
	if _, err := tx.Exec(ctx, `UPDATE role_assignments SET valid_to = $2, updated_at = now(), version = version + 1
		WHERE id = $1`, id, lastDay); err != nil {
		return err
	}
	after, err := findAssignment(ctx, tx, id)
	if err != nil {
		return err
	}
	return appendAudit(ctx, tx, actor, "assignment.end", "assignment", idString(id), before, after)
}

// FindWarnings returns the gaps in the organisation on day (domain.md §2): no CISO, no 統括, an
// in-scope 課 without 情報セキュリティ管理者, and a 管理者 who is also the auditor of their unit.
func (db *DB) FindWarnings(ctx context.Context, day time.Time) ([]isms.Warning, error) {
	rows, err := db.pool.Query(ctx, `
		WITH held AS (SELECT * FROM role_assignments a WHERE `+activeOn("a", "$1")+`)
		SELECT 1, 'no_ciso', 0::bigint, '', 0::bigint, '', '' WHERE NOT EXISTS (SELECT 1 FROM held WHERE role_code = 'CISO')
		UNION ALL
		SELECT 2, 'no_deputy', 0, '', 0, '', '' WHERE NOT EXISTS (SELECT 1 FROM held WHERE role_code = 'DEPUTY_CISO')
		UNION ALL
		SELECT 3, 'no_manager', u.id, u.name, 0, '', u.code FROM units u
		WHERE u.in_scope AND u.unit_type = ANY($2) AND `+activeOn("u", "$1")+`
			AND NOT EXISTS (SELECT 1 FROM held WHERE role_code = 'ISM_SECTION' AND unit_id = u.id)
		UNION ALL
		SELECT 4, 'audits_own_unit', u.id, u.name, p.id, p.name, u.code FROM held m
		JOIN held x ON x.person_id = m.person_id AND x.unit_id = m.unit_id AND x.role_code = 'AUDITOR'
		JOIN units u ON u.id = m.unit_id JOIN people p ON p.id = m.person_id
		WHERE m.role_code = 'ISM_SECTION'
		ORDER BY 1, 7`, isms.Day(day), managedTypes())
	if err != nil {
		return nil, wrap("find warnings", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.Warning, error) {
		var w isms.Warning
		var order int
		var code string
		err := row.Scan(&order, &w.Kind, &w.UnitID, &w.UnitName, &w.PersonID, &w.PersonName, &code)
		return w, err
	})
	return list, wrap("find warnings", err)
}

// managedTypes are the unit types whose units should have an 情報セキュリティ管理者.
func managedTypes() []string {
	var types []string
	for _, t := range isms.UnitTypes {
		if t.NeedsManager() {
			types = append(types, string(t))
		}
	}
	return types
}
