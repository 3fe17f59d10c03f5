package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// personColumns are read by every query that returns isms.Person; scanPerson reads them in this
// order. The posting is the one of the day in parameter $1.
const personColumns = `p.id, p.employee_no, p.name, p.name_kana, p.employment_type, p.email, p.phone,
	p.valid_from, p.valid_to, coalesce(p.user_id, 0), p.version,
	coalesce(po.unit_id, 0), coalesce(un.name, ''), coalesce(us.login_id, '')`

const personFrom = `people p
	LEFT JOIN postings po ON po.person_id = p.id AND ` + "po.valid_from <= $1::date AND (po.valid_to IS NULL OR po.valid_to >= $1::date)" + `
	LEFT JOIN units un ON un.id = po.unit_id
	LEFT JOIN users us ON us.id = p.user_id`

func scanPerson(row pgx.Row) (isms.Person, error) {
	var p isms.Person
	err := row.Scan(&p.ID, &p.EmployeeNo, &p.Name, &p.NameKana, &p.Employment, &p.Email, &p.Phone,
		&p.From, &p.To, &p.UserID, &p.Version, &p.UnitID, &p.UnitName, &p.LoginID)
	return p, err
}

// CreatePerson registers a person with their first posting, to in.UnitID from in.ValidFrom.
func (db *DB) CreatePerson(ctx context.Context, actor isms.Actor, in isms.PersonInput) (isms.Person, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return isms.Person{}, err
	}
	var p isms.Person
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		p, err = createPerson(ctx, tx, actor, in, true)
		return err
	})
	return p, wrap("create person", err)
}

// createPerson is CreatePerson inside a transaction, for the form and for the import of the
// directory. audit records the creation as its own event; an import records itself once, with
// its row count, instead.
func createPerson(ctx context.Context, tx pgx.Tx, actor isms.Actor, in isms.PersonInput, audit bool) (isms.Person, error) {
	in.Normalize()
	if err := in.Validate(true).Err(); err != nil {
		return isms.Person{}, err
	}
	if err := checkUnitOpen(ctx, tx, in.UnitID, *in.ValidFrom, "unit_id"); err != nil {
		return isms.Person{}, err
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO people (employee_no, name, name_kana, employment_type, email, phone, valid_from, valid_to)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		in.EmployeeNo, in.Name, in.NameKana, in.Employment, in.Email, in.Phone, in.ValidFrom, in.ValidTo).Scan(&id)
	if isUniqueViolation(err) {
		return isms.Person{}, isms.FieldErrors{"employee_no": "person.error.employee_no_taken"}.Err()
	}
	if err != nil {
		return isms.Person{}, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO postings (person_id, unit_id, valid_from, valid_to) VALUES ($1, $2, $3, $4)`,
		id, in.UnitID, in.ValidFrom, in.ValidTo); err != nil {
		return isms.Person{}, err
	}
	p, err := findPerson(ctx, tx, id, *in.ValidFrom)
	if err != nil || !audit {
		return p, err
	}
	return p, appendAudit(ctx, tx, actor, "person.create", "person", idString(id), nil, p)
}

// UpdatePerson changes a person's details and period of service. Their unit changes by moving
// them (MovePerson), which keeps the posting history.
func (db *DB) UpdatePerson(ctx context.Context, actor isms.Actor, id int64, in isms.PersonInput) (isms.Person, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return isms.Person{}, err
	}
	var after isms.Person
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		after, err = updatePerson(ctx, tx, actor, id, in, true)
		return err
	})
	return after, wrap("update person", err)
}

// updatePerson is UpdatePerson inside a transaction; audit as for createPerson. in.UnitID is not
// read: a posting changes by a move.
func updatePerson(ctx context.Context, tx pgx.Tx, actor isms.Actor, id int64, in isms.PersonInput, audit bool) (isms.Person, error) {
	in.Normalize()
	if err := in.Validate(false).Err(); err != nil {
		return isms.Person{}, err
	}
	before, err := findPerson(ctx, tx, id, *in.ValidFrom)
	if err != nil {
		return isms.Person{}, err
	}
	tag, err := tx.Exec(ctx, `
		UPDATE people SET employee_no = $2, name = $3, name_kana = $4, employment_type = $5, email = $6,
			phone = $7, valid_from = $8, valid_to = $9, updated_at = now(), version = version + 1
		WHERE id = $1 AND version = $10`,
		id, in.EmployeeNo, in.Name, in.NameKana, in.Employment, in.Email, in.Phone, in.ValidFrom, in.ValidTo, in.Version)
	if isUniqueViolation(err) {
		return isms.Person{}, isms.FieldErrors{"employee_no": "person.error.employee_no_taken"}.Err()
	}
	if err != nil {
		return isms.Person{}, err
	}
	if tag.RowsAffected() == 0 {
		return isms.Person{}, errConflict("the person")
	}
	if err := alignPostings(ctx, tx, id, *in.ValidFrom, in.ValidTo); err != nil {
		return isms.Person{}, err
	}
	after, err := findPerson(ctx, tx, id, *in.ValidFrom)
	if err != nil || !audit {
		return after, err
	}
	return after, appendAudit(ctx, tx, actor, "person.update", "person", idString(id), before, after)
}

// alignPostings keeps a person's postings within their service after its dates change: the first
// posting starts when the service starts and the last ends when it ends, so that extending a
// fiscal-year appointee's term extends their posting too. A change that would leave a posting
// outside the service is refused beside the date.
func alignPostings(ctx context.Context, tx pgx.Tx, personID int64, from time.Time, to *time.Time) error {
	rows, err := tx.Query(ctx, `SELECT id, person_id, unit_id, '', valid_from, valid_to FROM postings
		WHERE person_id = $1 ORDER BY valid_from, id`, personID)
	if err != nil {
		return err
	}
	postings, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.Posting])
	if err != nil || len(postings) == 0 {
		return err
	}
	first, last := postings[0], postings[len(postings)-1]
	fe := isms.FieldErrors{}
	fe.Check(len(postings) == 1 || first.To == nil || !from.After(*first.To), "valid_from", "person.error.first_posting_ended")
	fe.Check(to == nil || !to.Before(last.From), "valid_to", "person.error.posting_after_end")
	if err := fe.Err(); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE postings SET valid_from = $2 WHERE id = $1`, first.ID, from); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE postings SET valid_to = $2 WHERE id = $1`, last.ID, to)
	return err
}

// MovePerson posts a person to unitID from day on: the posting that holds the day before ends
// then, and the history keeps it. A posting that would start on or after day is refused: the
// history is changed forward only.
func (db *DB) MovePerson(ctx context.Context, actor isms.Actor, personID, unitID int64, day time.Time) error {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return err
	}
	return wrap("move person", db.inTx(ctx, func(tx pgx.Tx) error {
		return movePerson(ctx, tx, actor, personID, unitID, isms.Day(day))
	}))
}

func movePerson(ctx context.Context, tx pgx.Tx, actor isms.Actor, personID, unitID int64, day time.Time) error {
	// Locking the person serialises moves of the same person, so postings never overlap.
	var until *time.Time
	err := tx.QueryRow(ctx, `SELECT valid_to FROM people WHERE id = $1 FOR UPDATE`, personID).Scan(&until)
	if errors.Is(err, pgx.ErrNoRows) {
		return isms.FieldErrors{"person_id": "validation.choose"}.Err()
	}
	if err != nil {
		return err
	}
	// A posting past the end of service would break the posting's own period.
	if until != nil && day.After(*until) {
		return isms.FieldErrors{"valid_from": "person.error.out_of_service"}.Err()
	}
	if err := checkUnitOpen(ctx, tx, unitID, day, "unit_id"); err != nil {
		return err
	}
	var later bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM postings WHERE person_id = $1 AND valid_from >= $2)`,
		personID, day).Scan(&later); err != nil {
		return err
	}
	if later {
		return isms.FieldErrors{"valid_from": "person.error.posting_later"}.Err()
	}
	var before []isms.Posting
	rows, err := tx.Query(ctx, `UPDATE postings SET valid_to = $2::date - 1
		WHERE person_id = $1 AND (valid_to IS NULL OR valid_to >= $2) RETURNING id, person_id, unit_id, '', valid_from, valid_to`, personID, day)
	if err != nil {
		return err
	}
	if before, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.Posting]); err != nil {
		return err
	}
	after := isms.Posting{PersonID: personID, UnitID: unitID, Period: isms.Period{From: day, To: until}}
	if err := tx.QueryRow(ctx, `INSERT INTO postings (person_id, unit_id, valid_from, valid_to) VALUES ($1, $2, $3, $4) RETURNING id`,
		personID, unitID, day, until).Scan(&after.ID); err != nil {
		return err
	}
	return appendAudit(ctx, tx, actor, "person.move", "person", idString(personID), before, after)
}

// checkUnitOpen refuses a unit that does not exist or is closed on day, naming field.
func checkUnitOpen(ctx context.Context, tx pgx.Tx, unitID int64, day time.Time, field string) error {
	var open bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units u WHERE u.id = $1 AND `+activeOn("u", "$2")+`)`,
		unitID, day).Scan(&open)
	if err != nil {
		return err
	}
	if !open {
		return isms.FieldErrors{field: "unit.error.closed"}.Err()
	}
	return nil
}

// LinkPersonUser ties a person to a portal account (userID 0 unties them), so that the account's
// scope follows the person's posting and roles.
func (db *DB) LinkPersonUser(ctx context.Context, actor isms.Actor, personID, userID int64, version int) error {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return err
	}
	return wrap("link person", db.inTx(ctx, func(tx pgx.Tx) error {
		var before int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(user_id, 0) FROM people WHERE id = $1`, personID).Scan(&before); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return isms.Errorf(isms.ENOTFOUND, "person %d not found", personID)
			}
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE people SET user_id = nullif($2, 0), updated_at = now(), version = version + 1
			WHERE id = $1 AND version = $3`, personID, userID, version)
		if isUniqueViolation(err) {
			return isms.FieldErrors{"user_id": "person.error.user_linked"}.Err()
		}
		if isForeignKeyViolation(err) {
			return isms.FieldErrors{"user_id": "validation.choose"}.Err()
		}
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errConflict("the person")
		}
		return appendAudit(ctx, tx, actor, "person.link_user", "person", idString(personID),
			map[string]int64{"user_id": before}, map[string]int64{"user_id": userID})
	}))
}

// FindPerson returns a person with their posting of day. People are seen by whoever sees the unit
// they are posted to that day, and by those who keep the organisation.
func (db *DB) FindPerson(ctx context.Context, actor isms.Actor, id int64, day time.Time) (isms.Person, error) {
	p, err := findPerson(ctx, db.pool, id, isms.Day(day))
	if err == nil && !actor.Can(isms.PermManageOrganisation) && !actor.Sees(p.UnitID) {
		err = isms.Errorf(isms.ENOTFOUND, "person %d not found", id)
	}
	return p, wrap("find person", err)
}

func findPerson(ctx context.Context, q querier, id int64, day time.Time) (isms.Person, error) {
	p, err := scanPerson(q.QueryRow(ctx, `SELECT `+personColumns+` FROM `+personFrom+` WHERE p.id = $2`, day, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return p, isms.Errorf(isms.ENOTFOUND, "person %d not found", id)
	}
	return p, err
}

// FindPersonByUser returns the person linked to a portal account, with their posting of day,
// scoped as FindPerson. ENOTFOUND when the account is linked to nobody.
func (db *DB) FindPersonByUser(ctx context.Context, actor isms.Actor, userID int64, day time.Time) (isms.Person, error) {
	p, err := scanPerson(db.pool.QueryRow(ctx, `SELECT `+personColumns+` FROM `+personFrom+` WHERE p.user_id = $2`,
		isms.Day(day), userID))
	if errors.Is(err, pgx.ErrNoRows) || err == nil && !actor.Can(isms.PermManageOrganisation) && !actor.Sees(p.UnitID) {
		err = isms.Errorf(isms.ENOTFOUND, "no person linked to user %d", userID)
	}
	return p, wrap("find person by user", err)
}

// FindUserIDByLogin returns the id of the account with the login id (case-insensitive), so that
// those who keep the organisation can link a person to it without the account list. ENOTFOUND
// when there is none.
func (db *DB) FindUserIDByLogin(ctx context.Context, actor isms.Actor, loginID string) (int64, error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return 0, err
	}
	var id int64
	err := db.pool.QueryRow(ctx, `SELECT id FROM users WHERE lower(login_id) = lower($1)`, strings.TrimSpace(loginID)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, isms.Errorf(isms.ENOTFOUND, "no such account")
	}
	return id, wrap("find user by login", err)
}

// FindPostings returns a person's postings, newest first.
func (db *DB) FindPostings(ctx context.Context, personID int64) ([]isms.Posting, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT po.id, po.person_id, po.unit_id, u.name, po.valid_from, po.valid_to
		FROM postings po JOIN units u ON u.id = po.unit_id
		WHERE po.person_id = $1 ORDER BY po.valid_from DESC, po.id DESC`, personID)
	if err != nil {
		return nil, wrap("find postings", err)
	}
	postings, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.Posting])
	return postings, wrap("find postings", err)
}

// FindPeople returns a page of the people in service on f.Day, in reading order, with the number
// of all that match, for those who keep the organisation.
func (db *DB) FindPeople(ctx context.Context, actor isms.Actor, f isms.PersonFilter) (people []isms.Person, total int, next *isms.PersonCursor, err error) {
	if err := requirePerm(actor, isms.PermManageOrganisation); err != nil {
		return nil, 0, nil, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	day := isms.Day(f.Day)
	where := []string{activeOn("p", "$1")}
	args := []any{day}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + idString(int64(len(args)))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := arg("%" + escapeLike(q) + "%")
		where = append(where, "(p.name ILIKE "+like+" OR p.name_kana ILIKE "+like+" OR p.employee_no ILIKE "+like+")")
	}
	if f.UnitID != 0 {
		where = append(where, "po.unit_id = "+arg(f.UnitID))
	}
	if f.Employment != "" {
		where = append(where, "p.employment_type = "+arg(f.Employment))
	}
	cond := strings.Join(where, " AND ")
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM `+personFrom+` WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, nil, wrap("count people", err)
	}
	if f.After != nil {
		cond += " AND (p.name_kana, p.id) > (" + arg(f.After.Kana) + ", " + arg(f.After.ID) + ")"
	}
	rows, err := db.pool.Query(ctx, `SELECT `+personColumns+` FROM `+personFrom+` WHERE `+cond+
		` ORDER BY p.name_kana, p.id LIMIT `+arg(f.Limit+1), args...)
	if err != nil {
		return nil, 0, nil, wrap("find people", err)
	}
	people, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.Person, error) { return scanPerson(row) })
	if err != nil {
		return nil, 0, nil, wrap("find people", err)
	}
	if len(people) > f.Limit {
		people = people[:f.Limit]
		last := people[len(people)-1]
		next = &isms.PersonCursor{Kana: last.NameKana, ID: last.ID}
	}
	return people, total, next, nil
}
