package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// userColumns are read by every query that returns isms.User; scanUser reads them in this order.
const userColumns = `u.id, u.login_id, u.display_name, u.display_name_kana, u.email, u.lang, u.date_style,
	u.status, u.role, coalesce(u.unit_id, 0), coalesce(un.name, ''), u.must_change_password,
	u.totp_enrolled_at IS NOT NULL, u.last_login_at, u.created_at, u.updated_at, u.version`

const userFrom = `users u LEFT JOIN units un ON un.id = u.unit_id`

func scanUser(row pgx.Row) (isms.User, error) {
	var u isms.User
	err := row.Scan(&u.ID, &u.LoginID, &u.Name, &u.NameKana, &u.Email, &u.Lang, &u.DateStyle,
		&u.Status, &u.Role, &u.UnitID, &u.UnitName, &u.MustChangePassword,
		&u.MFAEnrolled, &u.LastLoginAt, &u.CreatedAt, &u.UpdatedAt, &u.Version)
	return u, err
}

func requirePerm(actor isms.Actor, p isms.Permission) error {
	if !actor.Can(p) {
		return isms.Errorf(isms.EFORBIDDEN, "not permitted")
	}
	return nil
}

// FindUserByID returns one account, for administrators.
func (db *DB) FindUserByID(ctx context.Context, actor isms.Actor, id int64) (isms.User, error) {
	if err := requirePerm(actor, isms.PermManageUsers); err != nil {
		return isms.User{}, err
	}
	return findUser(ctx, db.pool, id)
}

func findUser(ctx context.Context, q querier, id int64) (isms.User, error) {
	u, err := scanUser(q.QueryRow(ctx, `SELECT `+userColumns+` FROM `+userFrom+` WHERE u.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, isms.Errorf(isms.ENOTFOUND, "user %d not found", id)
	}
	if err != nil {
		return u, fmt.Errorf("postgres: find user %d: %w", id, err)
	}
	return u, nil
}

// FindUsers returns a page of accounts in reading order with the number of all that match.
func (db *DB) FindUsers(ctx context.Context, actor isms.Actor, f isms.UserFilter) (users []isms.User, total int, next *isms.UserCursor, err error) {
	if err := requirePerm(actor, isms.PermManageUsers); err != nil {
		return nil, 0, nil, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	where, args := []string{"true"}, []any{}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if q := strings.TrimSpace(f.Query); q != "" {
		p := arg("%" + escapeLike(q) + "%")
		where = append(where, fmt.Sprintf(`(u.display_name ILIKE %[1]s OR u.display_name_kana ILIKE %[1]s OR u.login_id ILIKE %[1]s OR u.email ILIKE %[1]s)`, p))
	}
	if f.Status != "" {
		where = append(where, "u.status = "+arg(string(f.Status)))
	}
	if f.Role != "" {
		where = append(where, "u.role = "+arg(string(f.Role)))
	}
	if f.UnitID != 0 {
		where = append(where, "u.unit_id = "+arg(f.UnitID))
	}
	cond := strings.Join(where, " AND ")
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM `+userFrom+` WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, nil, fmt.Errorf("postgres: count users: %w", err)
	}
	if f.After != nil {
		cond += fmt.Sprintf(" AND (u.display_name_kana, u.id) > (%s, %s)", arg(f.After.Kana), arg(f.After.ID))
	}
	rows, err := db.pool.Query(ctx, `SELECT `+userColumns+` FROM `+userFrom+` WHERE `+cond+
		` ORDER BY u.display_name_kana, u.id LIMIT `+arg(f.Limit+1), args...)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("postgres: find users: %w", err)
	}
	users, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.User, error) { return scanUser(r) })
	if err != nil {
		return nil, 0, nil, fmt.Errorf("postgres: find users: %w", err)
	}
	if len(users) > f.Limit {
		users = users[:f.Limit]
		last := users[len(users)-1]
		next = &isms.UserCursor{Kana: last.NameKana, ID: last.ID}
	}
	return users, total, next, nil
}

// escapeLike makes s match literally inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CreateUser creates an account with a one-time password (hashed by the caller); the person must
// change it at first sign-in.
func (db *DB) CreateUser(ctx context.Context, actor isms.Actor, in isms.UserInput, passwordHash string) (isms.User, error) {
	if err := requirePerm(actor, isms.PermManageUsers); err != nil {
		return isms.User{}, err
	}
	in.Normalize()
	if fe := in.Validate(); len(fe) > 0 {
		return isms.User{}, fe.Err()
	}
	var u isms.User
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkUnit(ctx, tx, in.UnitID); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO users (login_id, display_name, display_name_kana, email, lang, date_style, role, unit_id, password_hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8, 0), $9) RETURNING id`,
			in.LoginID, in.Name, in.NameKana, in.Email, in.Lang, in.DateStyle, in.Role, in.UnitID, passwordHash).Scan(&id)
		if isUniqueViolation(err) {
			return isms.FieldErrors{"login_id": "user.error.login_id_taken"}.Err()
		}
		if err != nil {
			return err
		}
		if u, err = findUser(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "user.create", "user", idString(id), nil, u)
	})
	if err != nil {
		return isms.User{}, wrap("create user", err)
	}
	return u, nil
}

// checkUnit refuses a unit that does not exist (0 means none).
func checkUnit(ctx context.Context, q querier, unitID int64) error {
	if unitID == 0 {
		return nil
	}
	var ok bool
	if err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE id = $1)`, unitID).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return isms.FieldErrors{"unit_id": "validation.choose"}.Err()
	}
	return nil
}

// UpdateUser changes an account's details. in.Version must be the version the form showed; a
// newer one means someone else saved first (ECONFLICT). A change of role or unit ends the person's
// sessions, since their rights changed.
func (db *DB) UpdateUser(ctx context.Context, actor isms.Actor, id int64, in isms.UserInput) (isms.User, error) {
	if err := requirePerm(actor, isms.PermManageUsers); err != nil {
		return isms.User{}, err
	}
	in.Normalize()
	if fe := in.Validate(); len(fe) > 0 {
		return isms.User{}, fe.Err()
	}
	var after isms.User
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockUser(ctx, tx, id, in.Version)
		if err != nil {
			return err
		}
		if err := checkUnit(ctx, tx, in.UnitID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			UPDATE users SET login_id = $2, display_name = $3, display_name_kana = $4, email = $5, lang = $6,
				date_style = $7, role = $8, unit_id = nullif($9, 0),
				auth_epoch = auth_epoch + CASE WHEN role <> $8 OR coalesce(unit_id, 0) <> $9 THEN 1 ELSE 0 END,
				updated_at = now(), version = version + 1
			WHERE id = $1`,
			id, in.LoginID, in.Name, in.NameKana, in.Email, in.Lang, in.DateStyle, in.Role, in.UnitID)
		if isUniqueViolation(err) {
			return isms.FieldErrors{"login_id": "user.error.login_id_taken"}.Err()
		}
		if err != nil {
			return err
		}
		if after, err = findUser(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "user.update", "user", idString(id), before, after)
	})
	return after, wrap("update user", err)
}

// lockUser reads an account for a change and holds its row until the transaction ends. A version
// other than 0 must match the stored one.
func lockUser(ctx context.Context, tx pgx.Tx, id int64, version int) (isms.User, error) {
	var v int
	err := tx.QueryRow(ctx, `SELECT version FROM users WHERE id = $1 FOR UPDATE`, id).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return isms.User{}, isms.Errorf(isms.ENOTFOUND, "user %d not found", id)
	}
	if err != nil {
		return isms.User{}, err
	}
	if version != 0 && version != v {
		return isms.User{}, errConflict("the account")
	}
	return findUser(ctx, tx, id)
}

// adminChange applies one administrative change to an account in a transaction with its audit
// event: set is an UPDATE … SET list, and every such change ends the person's sessions.
// also, when not nil, runs in the same transaction.
func (db *DB) adminChange(ctx context.Context, actor isms.Actor, id int64, version int, action string, also func(pgx.Tx) error, set string, args ...any) (isms.User, error) {
	if err := requirePerm(actor, isms.PermManageUsers); err != nil {
		return isms.User{}, err
	}
	var after isms.User
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockUser(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET `+set+`, auth_epoch = auth_epoch + 1, updated_at = now(), version = version + 1 WHERE id = $1`,
			append([]any{id}, args...)...); err != nil {
			return err
		}
		if also != nil {
			if err := also(tx); err != nil {
				return err
			}
		}
		if after, err = findUser(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, action, "user", idString(id), before, after)
	})
	return after, wrap(action, err)
}

// SetUserStatus suspends, reactivates or retires an account. An administrator cannot lock
// themselves out.
func (db *DB) SetUserStatus(ctx context.Context, actor isms.Actor, id int64, version int, status isms.UserStatus) (isms.User, error) {
	if id == actor.UserID && status != isms.UserActive {
		return isms.User{}, isms.Errorf(isms.EFORBIDDEN, "cannot suspend yourself")
	}
	action := map[isms.UserStatus]string{isms.UserActive: "user.reactivate", isms.UserSuspended: "user.suspend", isms.UserRetired: "user.retire"}[status]
	if action == "" {
		return isms.User{}, isms.Errorf(isms.EINVALID, "unknown status %q", status)
	}
	return db.adminChange(ctx, actor, id, version, action, nil, `status = $2`, string(status))
}

// ResetPassword gives an account a new one-time password (hashed by the caller).
func (db *DB) ResetPassword(ctx context.Context, actor isms.Actor, id int64, version int, passwordHash string) (isms.User, error) {
	return db.adminChange(ctx, actor, id, version, "user.reset_password", nil, `password_hash = $2, must_change_password = true`, passwordHash)
}

// ResetMFA removes an account's second factor and recovery codes, for a person who lost their
// device; roles that need MFA enrol again at the next sign-in.
func (db *DB) ResetMFA(ctx context.Context, actor isms.Actor, id int64, version int) (isms.User, error) {
	deleteCodes := func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, id)
		return err
	}
	return db.adminChange(ctx, actor, id, version, "user.reset_mfa", deleteCodes,
		`totp_secret = NULL, totp_enrolled_at = NULL, totp_last_step = 0`)
}

// CountUsers returns the number of accounts, whatever their status.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, wrap("count users", err)
}
