package postgres

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/jichitai-isms/isms/internal/isms"
)

// Personnel rotations (人事異動): a sheet of moves and role hand-overs for one date, prepared as a
// draft line by line and applied at once. Applying checks every line against the organisation as
// it stands and changes nothing unless all of them hold; then, in one transaction, it ends the old
// postings and assignments the day before the date and starts the new ones on it. An applied
// rotation is read-only: its changes are in the history of postings and assignments.

const rotationColumns = `r.id, r.title, r.effective_date, r.status, r.applied_at, r.version,
	coalesce(us.display_name, ''), (SELECT count(*) FROM rotation_lines l WHERE l.rotation_id = r.id)`

const rotationFrom = `rotations r LEFT JOIN users us ON us.id = r.applied_by`

func scanRotation(row pgx.Row) (isms.Rotation, error) {
	var r isms.Rotation
	err := row.Scan(&r.ID, &r.Title, &r.EffectiveDate, &r.Status, &r.AppliedAt, &r.Version, &r.AppliedBy, &r.LineCount)
	return r, err
}

// errApplied refuses a change to an applied rotation.
func errApplied() error {
	return isms.Errorf(isms.ECONFLICT, "the rotation has been applied and can no longer be changed")
}

// CreateRotation starts a draft rotation for a date.
func (db *DB) CreateRotation(ctx context.Context, actor isms.Actor, in isms.RotationInput) (isms.Rotation, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return isms.Rotation{}, err
	}
	in.Title = strings.TrimSpace(in.Title)
	if err := in.Validate().Err(); err != nil {
		return isms.Rotation{}, err
	}
	var r isms.Rotation
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO rotations (title, effective_date) VALUES ($1, $2) RETURNING id`,
			in.Title, isms.Day(*in.EffectiveDate)).Scan(&id); err != nil {
			return err
		}
		var err error
		if r, err = findRotation(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "rotation.create", "rotation", idString(id), nil, r)
	})
	return r, wrap("create rotation", err)
}

// UpdateRotation changes the heading of a draft: its title and date. A stale version is ECONFLICT.
func (db *DB) UpdateRotation(ctx context.Context, actor isms.Actor, id int64, in isms.RotationInput) (isms.Rotation, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return isms.Rotation{}, err
	}
	in.Title = strings.TrimSpace(in.Title)
	if err := in.Validate().Err(); err != nil {
		return isms.Rotation{}, err
	}
	var after isms.Rotation
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockRotation(ctx, tx, id, in.Version)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE rotations SET title = $2, effective_date = $3, updated_at = now(), version = version + 1
			WHERE id = $1`, id, in.Title, isms.Day(*in.EffectiveDate)); err != nil {
			return err
		}
		if after, err = findRotation(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "rotation.update", "rotation", idString(id), before, after)
	})
	return after, wrap("update rotation", err)
}

// DeleteRotation removes a draft with its lines. An applied rotation stays, as the record of what
// was changed.
func (db *DB) DeleteRotation(ctx context.Context, actor isms.Actor, id int64, version int) error {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return err
	}
	return wrap("delete rotation", db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockRotation(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if before.Lines, err = findRotationLines(ctx, tx, id, before.EffectiveDate); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM rotations WHERE id = $1`, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "rotation.delete", "rotation", idString(id), before, nil)
	}))
}

// lockRotation locks a rotation for a change, refusing an applied one and, when version is not 0,
// one changed since the form was loaded.
func lockRotation(ctx context.Context, tx pgx.Tx, id int64, version int) (isms.Rotation, error) {
	var status isms.RotationStatus
	var current int
	err := tx.QueryRow(ctx, `SELECT status, version FROM rotations WHERE id = $1 FOR UPDATE`, id).Scan(&status, &current)
	if errors.Is(err, pgx.ErrNoRows) {
		return isms.Rotation{}, isms.Errorf(isms.ENOTFOUND, "rotation %d not found", id)
	}
	if err != nil {
		return isms.Rotation{}, err
	}
	if status != isms.RotationDraft {
		return isms.Rotation{}, errApplied()
	}
	if version != 0 && version != current {
		return isms.Rotation{}, errConflict("the rotation")
	}
	return findRotation(ctx, tx, id)
}

// touchRotation records that a rotation's lines changed, so that applying from a sheet loaded
// before the change is a conflict rather than applying lines nobody looked at.
func touchRotation(ctx context.Context, tx pgx.Tx, id int64) error {
	_, err := tx.Exec(ctx, `UPDATE rotations SET updated_at = now(), version = version + 1 WHERE id = $1`, id)
	return err
}

// FindRotations returns the rotations, the newest date first.
func (db *DB) FindRotations(ctx context.Context, actor isms.Actor) ([]isms.Rotation, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return nil, err
	}
	rows, err := db.pool.Query(ctx, `SELECT `+rotationColumns+` FROM `+rotationFrom+` ORDER BY r.effective_date DESC, r.id DESC`)
	if err != nil {
		return nil, wrap("find rotations", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.Rotation, error) { return scanRotation(row) })
	return list, wrap("find rotations", err)
}

// FindRotation returns a rotation with its lines in sheet order, named: the person, the unit (a
// move's destination; the assignment's unit for an end_role), the unit a moved person leaves, and
// the role.
func (db *DB) FindRotation(ctx context.Context, actor isms.Actor, id int64) (isms.Rotation, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return isms.Rotation{}, err
	}
	r, err := findRotation(ctx, db.pool, id)
	if err == nil {
		r.Lines, err = findRotationLines(ctx, db.pool, id, r.EffectiveDate)
	}
	return r, wrap("find rotation", err)
}

// FindRotationPeople returns the people in service on a rotation's date, in reading order, each
// with the unit they are posted to the day before: the choices of a sheet's line forms.
func (db *DB) FindRotationPeople(ctx context.Context, actor isms.Actor, day time.Time) ([]isms.Person, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return nil, err
	}
	day = isms.Day(day)
	rows, err := db.pool.Query(ctx, `SELECT `+personColumns+` FROM `+personFrom+` WHERE `+activeOn("p", "$2")+`
		ORDER BY p.name_kana, p.name, p.id`, day.AddDate(0, 0, -1), day)
	if err != nil {
		return nil, wrap("find rotation people", err)
	}
	people, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.Person, error) { return scanPerson(row) })
	return people, wrap("find rotation people", err)
}

func findRotation(ctx context.Context, q querier, id int64) (isms.Rotation, error) {
	r, err := scanRotation(q.QueryRow(ctx, `SELECT `+rotationColumns+` FROM `+rotationFrom+` WHERE r.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, isms.Errorf(isms.ENOTFOUND, "rotation %d not found", id)
	}
	return r, err
}

// lineOrder is the order of a rotation's lines on the sheet, which numbers them.
const lineOrder = `ORDER BY (l.kind <> 'move'), l.id`

func findRotationLines(ctx context.Context, q querier, id int64, day time.Time) ([]isms.RotationLine, error) {
	rows, err := q.Query(ctx, `
		SELECT l.id, l.kind, l.person_id, coalesce(l.unit_id, a.unit_id, 0), coalesce(l.role_code, a.role_code, ''),
			coalesce(l.assignment_id, 0), l.acting, l.note, p.name, coalesce(u.name, ''), coalesce(fu.name, ''),
			coalesce(r.code, ''), coalesce(r.name_ja, ''), coalesce(r.name_en, ''), coalesce(r.unit_kind = 'unit', false),
			coalesce(r.grants, ''), coalesce(r.sort_order, 0), coalesce(r.version, 0)
		FROM rotation_lines l
		JOIN people p ON p.id = l.person_id
		LEFT JOIN role_assignments a ON a.id = l.assignment_id
		LEFT JOIN units u ON u.id = coalesce(l.unit_id, a.unit_id)
		LEFT JOIN security_roles r ON r.code = coalesce(l.role_code, a.role_code)
		LEFT JOIN LATERAL (SELECT po.unit_id FROM postings po WHERE l.kind = 'move' AND po.person_id = l.person_id
			AND `+activeOn("po", "$2")+` ORDER BY po.valid_from DESC LIMIT 1) fp ON true
		LEFT JOIN units fu ON fu.id = fp.unit_id
		WHERE l.rotation_id = $1 `+lineOrder, id, day.AddDate(0, 0, -1))
	if err != nil {
		return nil, err
	}
	n := 0
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.RotationLine, error) {
		var l isms.RotationLine
		n++
		l.No = n
		err := row.Scan(&l.ID, &l.Kind, &l.PersonID, &l.UnitID, &l.RoleCode, &l.AssignmentID, &l.Acting, &l.Note,
			&l.PersonName, &l.UnitName, &l.FromUnitName,
			&l.Role.Code, &l.Role.NameJa, &l.Role.NameEn, &l.Role.PerUnit, &l.Role.Grants, &l.Role.SortOrder, &l.Role.Version)
		return l, err
	})
}

// AddRotationLine adds a line to a draft, checked as applying would check it: a move needs a
// person in service and a unit open on the date; an end_role an assignment held the day before
// and still open; a start_role a person in service, a role and, for a role held per unit, a unit
// open on the date. A person moved twice, an assignment ended twice or a role started twice in one
// rotation is refused. Errors are keyed by the fields of the line form.
func (db *DB) AddRotationLine(ctx context.Context, actor isms.Actor, rotationID int64, in isms.RotationLine) (isms.RotationLine, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return isms.RotationLine{}, err
	}
	in, err := prepareLine(in)
	if err != nil {
		return isms.RotationLine{}, err
	}
	var added isms.RotationLine
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		rot, err := lockRotation(ctx, tx, rotationID, 0)
		if err != nil {
			return err
		}
		if added, err = addRotationLine(ctx, tx, rot, in); err != nil {
			return err
		}
		if err := touchRotation(ctx, tx, rotationID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "rotation.add_line", "rotation", idString(rotationID), nil, added)
	})
	return added, wrap("add rotation line", err)
}

// prepareLine tidies a line as typed (the note trimmed, acting only for a start_role) and checks
// what it needs before the organisation is looked at.
func prepareLine(in isms.RotationLine) (isms.RotationLine, error) {
	in.Note = strings.TrimSpace(in.Note)
	if in.Kind != isms.LineStartRole {
		in.Acting = false
	}
	return in, in.Validate().Err()
}

// addRotationLine adds a prepared line to rot, a draft the caller has locked, by the rules of
// AddRotationLine, and returns it numbered and named. The caller records the change (the version
// and the audit trail): the line form one line at a time, an import once for all its lines.
func addRotationLine(ctx context.Context, tx pgx.Tx, rot isms.Rotation, in isms.RotationLine) (isms.RotationLine, error) {
	switch in.Kind {
	case isms.LineEndRole:
		// The line names the assignment; the person is its holder.
		var holder int64
		err := tx.QueryRow(ctx, `SELECT person_id FROM role_assignments WHERE id = $1`, in.AssignmentID).Scan(&holder)
		if errors.Is(err, pgx.ErrNoRows) || err == nil && in.PersonID != 0 && in.PersonID != holder {
			return isms.RotationLine{}, isms.FieldErrors{"assignment_id": "validation.choose"}.Err()
		}
		if err != nil {
			return isms.RotationLine{}, err
		}
		in.PersonID, in.UnitID, in.RoleCode = holder, 0, ""
	case isms.LineMove:
		in.RoleCode, in.AssignmentID = "", 0
	case isms.LineStartRole:
		in.AssignmentID = 0
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO rotation_lines (rotation_id, kind, person_id, unit_id, role_code, assignment_id, acting, note)
		VALUES ($1, $2, $3, nullif($4, 0), nullif($5, ''), nullif($6, 0), $7, $8) RETURNING id`,
		rot.ID, in.Kind, in.PersonID, in.UnitID, in.RoleCode, in.AssignmentID, in.Acting, in.Note).Scan(&id)
	if isForeignKeyViolation(err) {
		return isms.RotationLine{}, isms.FieldErrors{lineField(err): "validation.choose"}.Err()
	}
	if err != nil {
		return isms.RotationLine{}, err
	}
	problems, err := checkRotationLines(ctx, tx, rot.ID, rot.EffectiveDate)
	if err != nil {
		return isms.RotationLine{}, err
	}
	if p, ok := problems[id]; ok {
		return isms.RotationLine{}, isms.FieldErrors{p.field: p.key}.Err()
	}
	lines, err := findRotationLines(ctx, tx, rot.ID, rot.EffectiveDate)
	if err != nil {
		return isms.RotationLine{}, err
	}
	i := slices.IndexFunc(lines, func(l isms.RotationLine) bool { return l.ID == id })
	return lines[i], nil
}

// lineField is the form field of the reference a foreign-key violation names.
func lineField(err error) string {
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok {
		for _, f := range []string{"person_id", "unit_id", "role_code", "assignment_id"} {
			if strings.Contains(pgErr.ConstraintName, f) {
				return f
			}
		}
	}
	return "person_id"
}

// DeleteRotationLine removes a line from a draft.
func (db *DB) DeleteRotationLine(ctx context.Context, actor isms.Actor, rotationID, lineID int64) error {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return err
	}
	return wrap("delete rotation line", db.inTx(ctx, func(tx pgx.Tx) error {
		rot, err := lockRotation(ctx, tx, rotationID, 0)
		if err != nil {
			return err
		}
		lines, err := findRotationLines(ctx, tx, rotationID, rot.EffectiveDate)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(lines, func(l isms.RotationLine) bool { return l.ID == lineID })
		if i < 0 {
			return isms.Errorf(isms.ENOTFOUND, "rotation line %d not found", lineID)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM rotation_lines WHERE id = $1`, lineID); err != nil {
			return err
		}
		if err := touchRotation(ctx, tx, rotationID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "rotation.delete_line", "rotation", idString(rotationID), lines[i], nil)
	}))
}

// ApplyRotation applies a draft at once. Every line is checked against the organisation as it
// stands; if any fails, the error is an *isms.RotationError naming each failing line by its number,
// and nothing changes. Otherwise, in one transaction: moved people's postings end the day before
// the date and their new ones start on it, ended assignments end the day before, started ones
// begin on the date, and the rotation is marked applied. Each change is in the audit trail, and so
// is the rotation's application. A stale version, or a rotation already applied, is ECONFLICT.
func (db *DB) ApplyRotation(ctx context.Context, actor isms.Actor, id int64, version int) (isms.Rotation, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return isms.Rotation{}, err
	}
	var after isms.Rotation
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockRotation(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if version == 0 {
			return errConflict("the rotation") // applying needs the sheet that was looked at
		}
		day := before.EffectiveDate
		if before.Lines, err = findRotationLines(ctx, tx, id, day); err != nil {
			return err
		}
		if len(before.Lines) == 0 {
			return &isms.RotationError{Lines: []isms.RotationLineError{{Key: "rotation.error.empty"}}}
		}
		problems, err := checkRotationLines(ctx, tx, id, day)
		if err != nil {
			return err
		}
		var bad []isms.RotationLineError
		for _, l := range before.Lines {
			if p, ok := problems[l.ID]; ok {
				bad = append(bad, isms.RotationLineError{No: l.No, LineID: l.ID, Key: p.key})
			}
		}
		if len(bad) > 0 {
			return &isms.RotationError{Lines: bad}
		}
		// Moves first, then the ends of roles, then their starts: the sheet's own order by kind.
		for _, kind := range []isms.RotationLineKind{isms.LineMove, isms.LineEndRole, isms.LineStartRole} {
			for _, l := range before.Lines {
				if l.Kind != kind {
					continue
				}
				var err error
				switch kind {
				case isms.LineMove:
					err = movePerson(ctx, tx, actor, l.PersonID, l.UnitID, day)
				case isms.LineEndRole:
					err = endAssignment(ctx, tx, actor, l.AssignmentID, day.AddDate(0, 0, -1), 0)
				case isms.LineStartRole:
					_, err = createAssignment(ctx, tx, actor, isms.AssignmentInput{PersonID: l.PersonID, RoleCode: l.RoleCode,
						UnitID: l.UnitID, ValidFrom: &day, Acting: l.Acting, Note: l.Note})
				}
				if err != nil {
					return lineError(l, err)
				}
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE rotations SET status = 'applied', applied_at = now(), applied_by = nullif($2, 0),
			updated_at = now(), version = version + 1 WHERE id = $1`, id, actor.UserID); err != nil {
			return err
		}
		if after, err = findRotation(ctx, tx, id); err != nil {
			return err
		}
		if after.Lines, err = findRotationLines(ctx, tx, id, day); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "rotation.apply", "rotation", idString(id), before, after)
	})
	return after, wrap("apply rotation", err)
}

// lineError turns a refusal by one of the organisation's own stores, which the checks before
// applying should have foreseen, into an error naming the line.
func lineError(l isms.RotationLine, err error) error {
	if ve, ok := errors.AsType[*isms.ValidationError](err); ok {
		key := "rotation.error.refused"
		for _, k := range ve.Fields {
			key = k
			break
		}
		return &isms.RotationError{Lines: []isms.RotationLineError{{No: l.No, LineID: l.ID, Key: key}}}
	}
	return err
}

// lineProblem is the first thing wrong with a line: the form field it concerns and a catalogue key.
type lineProblem struct{ field, key string }

// checkRotationLines checks every line of a rotation against the organisation as it stands, for
// the rotation's date, and returns the first problem of each failing line by line id. Of two
// lines that do the same thing (move one person, end one assignment, start one role), the later is
// the failing one. The assignments that end_role lines name are locked until the transaction ends.
func checkRotationLines(ctx context.Context, tx pgx.Tx, rotationID int64, day time.Time) (map[int64]lineProblem, error) {
	type fact struct {
		id, personID, unitID, assignmentID int64
		kind                               isms.RotationLineKind
		roleCode                           string
		inService, unitOpen, postedLater   bool
		unitBefore                         int64
		holderID                           *int64
		heldFrom                           *time.Time
		heldTo                             *time.Time
		roleFound, perUnit                 bool
		holding                            []int64
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM role_assignments WHERE id IN
		(SELECT assignment_id FROM rotation_lines WHERE rotation_id = $1) FOR UPDATE`, rotationID); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `
		SELECT l.id, l.kind, l.person_id, coalesce(l.unit_id, 0), coalesce(l.role_code, ''), coalesce(l.assignment_id, 0),
			EXISTS (SELECT 1 FROM people p WHERE p.id = l.person_id AND `+activeOn("p", "$2")+`),
			l.unit_id IS NULL OR EXISTS (SELECT 1 FROM units u WHERE u.id = l.unit_id AND `+activeOn("u", "$2")+`),
			EXISTS (SELECT 1 FROM postings po WHERE po.person_id = l.person_id AND po.valid_from >= $2),
			coalesce((SELECT po.unit_id FROM postings po WHERE po.person_id = l.person_id AND `+activeOn("po", "$3")+`
				ORDER BY po.valid_from DESC LIMIT 1), 0),
			a.person_id, a.valid_from, a.valid_to,
			r.code IS NOT NULL, coalesce(r.unit_kind = 'unit', false),
			array(SELECT x.id FROM role_assignments x WHERE x.person_id = l.person_id AND x.role_code = l.role_code
				AND x.unit_id IS NOT DISTINCT FROM l.unit_id AND `+activeOn("x", "$2")+`)
		FROM rotation_lines l
		LEFT JOIN role_assignments a ON a.id = l.assignment_id
		LEFT JOIN security_roles r ON r.code = l.role_code
		WHERE l.rotation_id = $1 `+lineOrder, rotationID, day, day.AddDate(0, 0, -1))
	if err != nil {
		return nil, err
	}
	facts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (fact, error) {
		var f fact
		err := row.Scan(&f.id, &f.kind, &f.personID, &f.unitID, &f.roleCode, &f.assignmentID,
			&f.inService, &f.unitOpen, &f.postedLater, &f.unitBefore,
			&f.holderID, &f.heldFrom, &f.heldTo, &f.roleFound, &f.perUnit, &f.holding)
		return f, err
	})
	if err != nil {
		return nil, err
	}
	ended := map[int64]bool{}
	for _, f := range facts {
		if f.kind == isms.LineEndRole {
			ended[f.assignmentID] = true
		}
	}
	type start struct {
		person int64
		role   string
		unit   int64
	}
	moved, ending, starting := map[int64]bool{}, map[int64]bool{}, map[start]bool{}
	lastDay := day.AddDate(0, 0, -1)
	problems := map[int64]lineProblem{}
	for _, f := range facts {
		fe := isms.FieldErrors{}
		switch f.kind {
		case isms.LineMove:
			fe.Check(f.inService, "person_id", "rotation.error.not_in_service")
			fe.Check(!moved[f.personID], "person_id", "rotation.error.duplicate_move")
			fe.Check(!f.postedLater, "person_id", "rotation.error.posting_later")
			fe.Check(f.unitOpen, "unit_id", "rotation.error.unit_closed")
			fe.Check(f.unitBefore != f.unitID, "unit_id", "rotation.error.same_unit")
			moved[f.personID] = true
		case isms.LineEndRole:
			fe.Check(f.holderID != nil && *f.holderID == f.personID, "assignment_id", "validation.choose")
			fe.Check(f.heldFrom == nil || !f.heldFrom.After(lastDay), "assignment_id", "rotation.error.not_held")
			fe.Check(f.heldTo == nil || !f.heldTo.Before(day), "assignment_id", "rotation.error.already_ended")
			fe.Check(!ending[f.assignmentID], "assignment_id", "rotation.error.duplicate_end")
			ending[f.assignmentID] = true
		case isms.LineStartRole:
			fe.Check(f.inService, "person_id", "rotation.error.not_in_service")
			fe.Check(f.roleFound, "role_code", "validation.choose")
			if f.roleFound {
				fe.Check(!f.perUnit || f.unitID != 0, "unit_id", "rotation.error.unit_required")
				fe.Check(f.perUnit || f.unitID == 0, "unit_id", "rotation.error.town_role")
			}
			fe.Check(f.unitOpen, "unit_id", "rotation.error.unit_closed")
			k := start{f.personID, f.roleCode, f.unitID}
			fe.Check(!starting[k], "role_code", "rotation.error.duplicate_start")
			fe.Check(!slices.ContainsFunc(f.holding, func(id int64) bool { return !ended[id] }), "role_code", "rotation.error.already_holds")
			starting[k] = true
		}
		// The first problem in the order checked, which is the order of the form's fields.
		for _, field := range []string{"person_id", "assignment_id", "role_code", "unit_id"} {
			if key, ok := fe[field]; ok {
				problems[f.id] = lineProblem{field, key}
				break
			}
		}
	}
	return problems, nil
}
