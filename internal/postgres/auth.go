package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// Credentials are what signing in checks. They leave the store only for the login handler.
type Credentials struct {
	UserID       int64
	LoginID      string
	Name         string
	Role         isms.Role
	Status       isms.UserStatus
	PasswordHash string
	TOTPSecret   []byte // sealed; nil when not enrolled
	TOTPLastStep int64
	AuthEpoch    int
}

// FindCredentials returns the credentials of the account with the login id (case-insensitive).
// ENOTFOUND when there is none.
func (db *DB) FindCredentials(ctx context.Context, loginID string) (Credentials, error) {
	return findCredentials(ctx, db.pool, `lower(login_id) = lower($1)`, loginID)
}

// FindCredentialsByID is FindCredentials for a person half-way through signing in.
func (db *DB) FindCredentialsByID(ctx context.Context, id int64) (Credentials, error) {
	return findCredentials(ctx, db.pool, `id = $1`, id)
}

func findCredentials(ctx context.Context, q querier, cond string, arg any) (Credentials, error) {
	var c Credentials
	err := q.QueryRow(ctx, `
		SELECT id, login_id, display_name, role, status, password_hash, totp_secret, totp_last_step, auth_epoch
		FROM users WHERE `+cond, arg).Scan(
		&c.UserID, &c.LoginID, &c.Name, &c.Role, &c.Status, &c.PasswordHash, &c.TOTPSecret, &c.TOTPLastStep, &c.AuthEpoch)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, isms.Errorf(isms.ENOTFOUND, "no such account")
	}
	return c, wrap("find credentials", err)
}

// Throttle is the sign-in policy against guessing: after AccountFailures failures in a row an
// account is locked for LockFor; after AddressFailures failures from one client address within
// LockFor, that address is.
type Throttle struct {
	AccountFailures int
	AddressFailures int
	LockFor         time.Duration
}

// DefaultThrottle locks an account after 5 failures and an address after 20, for 15 minutes.
var DefaultThrottle = Throttle{AccountFailures: 5, AddressFailures: 20, LockFor: 15 * time.Minute}

// LockedUntil returns when the lock on the account or the address ends, or the zero time when
// neither is locked.
func (db *DB) LockedUntil(ctx context.Context, userID int64, addr string) (time.Time, error) {
	var until *time.Time
	err := db.pool.QueryRow(ctx, `
		SELECT max(locked_until) FROM login_throttle
		WHERE key = ANY($1) AND locked_until > now()`,
		[]string{throttleKey("user", userID), "addr:" + addr}).Scan(&until)
	if err != nil || until == nil {
		return time.Time{}, wrap("throttle", err)
	}
	return *until, nil
}

func throttleKey(kind string, id int64) string { return fmt.Sprintf("%s:%d", kind, id) }

// RecordLoginFailure counts a failed sign-in against the account (when the login id named one)
// and the client address, locks them when the policy says so, and writes the attempt to the
// audit trail with the reason (never the password).
func (db *DB) RecordLoginFailure(ctx context.Context, t Throttle, userID int64, loginID, reason string) error {
	addr := isms.RequestFrom(ctx).ClientAddr
	return wrap("record login failure", db.inTx(ctx, func(tx pgx.Tx) error {
		count := func(key string, limit int) error {
			// A failure after the lock window starts a new count.
			_, err := tx.Exec(ctx, `
				INSERT INTO login_throttle AS t (key, failures, last_failure) VALUES ($1, 1, now())
				ON CONFLICT (key) DO UPDATE SET
					failures = CASE WHEN t.last_failure < now() - $2 * interval '1 second' THEN 1 ELSE t.failures + 1 END,
					last_failure = now()`,
				key, t.LockFor.Seconds())
			if err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `UPDATE login_throttle SET locked_until = now() + $3 * interval '1 second'
				WHERE key = $1 AND failures >= $2`, key, limit, t.LockFor.Seconds())
			return err
		}
		if userID != 0 {
			if err := count(throttleKey("user", userID), t.AccountFailures); err != nil {
				return err
			}
		}
		if err := count("addr:"+addr, t.AddressFailures); err != nil {
			return err
		}
		actor := isms.Actor{UserID: userID, Label: loginID}
		return appendAudit(ctx, tx, actor, "auth.login_failed", "user", entityOf(userID), nil,
			map[string]string{"login_id": loginID, "reason": reason})
	}))
}

func entityOf(userID int64) string {
	if userID == 0 {
		return ""
	}
	return idString(userID)
}

// RecordLogin marks a completed sign-in: clears the account's failure count, stamps the time, and
// writes the event (with the method: password, totp or recovery code) to the audit trail.
func (db *DB) RecordLogin(ctx context.Context, c Credentials, method string) error {
	return wrap("record login", db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE key = $1`, throttleKey("user", c.UserID)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET last_login_at = now() WHERE id = $1`, c.UserID); err != nil {
			return err
		}
		actor := isms.Actor{UserID: c.UserID, Label: c.LoginID}
		return appendAudit(ctx, tx, actor, "auth.login", "user", idString(c.UserID), nil, map[string]string{"method": method})
	}))
}

// RecordLogout writes a sign-out to the audit trail.
func (db *DB) RecordLogout(ctx context.Context, actor isms.Actor) error {
	return wrap("record logout", db.inTx(ctx, func(tx pgx.Tx) error {
		return appendAudit(ctx, tx, actor, "auth.logout", "user", idString(actor.UserID), nil, nil)
	}))
}

// UseTOTPStep records that a code of step was accepted. It fails (false) when that step or a
// later one was already used, which makes each code single-use even for two requests at once.
func (db *DB) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	tag, err := db.pool.Exec(ctx, `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, userID, step)
	if err != nil {
		return false, wrap("use totp step", err)
	}
	return tag.RowsAffected() == 1, nil
}

// UseRecoveryCode spends one unused recovery code of the account; false when there is none with
// that hash.
func (db *DB) UseRecoveryCode(ctx context.Context, userID int64, hash []byte) (bool, error) {
	tag, err := db.pool.Exec(ctx, `UPDATE recovery_codes SET used_at = now()
		WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`, userID, hash)
	if err != nil {
		return false, wrap("use recovery code", err)
	}
	return tag.RowsAffected() == 1, nil
}

// FindActor builds the actor of a signed-in person for one request on day today: their account,
// and their scope from the organisation as it stands that day. The scope is the unit they are
// posted to, the units their security roles cover (a 管理者 their 課 and its 係, a 責任者 the
// whole 部局, the CISO and 統括 every unit), and the units those replaced in reorganisations.
// An account that is no longer active, or whose credentials or rights changed since the session
// began (epoch), is ENOTFOUND: the session ends.
func (db *DB) FindActor(ctx context.Context, userID int64, epoch int, today time.Time) (isms.Actor, error) {
	today = isms.Day(today)
	var a isms.Actor
	var status isms.UserStatus
	var dbEpoch int
	var allUnits bool
	var seen, managed []int64
	var held []string
	// One statement: the account and its scope come back together, as every request asks for them.
	// managed are the units under the actor's 管理者 and 責任者 roles, for whom they approve.
	err := db.pool.QueryRow(ctx, `
		WITH RECURSIVE
		me AS (
			SELECT u.id, u.login_id, u.display_name, u.role, coalesce(po.unit_id, u.unit_id, 0) AS unit_id,
				u.must_change_password, u.totp_enrolled_at IS NOT NULL AS mfa, u.lang, u.date_style, u.status, u.auth_epoch,
				EXISTS (SELECT 1 FROM role_assignments ra JOIN security_roles r ON r.code = ra.role_code
					WHERE ra.person_id = p.id AND r.grants = 'all' AND `+activeOn("ra", "$2")+`) AS all_units
			FROM users u
			LEFT JOIN people p ON p.user_id = u.id AND `+activeOn("p", "$2")+`
			LEFT JOIN postings po ON po.person_id = p.id AND `+activeOn("po", "$2")+`
			WHERE u.id = $1),
		held AS (
			SELECT ra.unit_id, r.grants FROM role_assignments ra
			JOIN security_roles r ON r.code = ra.role_code
			JOIN people p ON p.id = ra.person_id
			WHERE p.user_id = $1 AND ra.unit_id IS NOT NULL AND r.grants IN ('unit', 'subtree')
				AND `+activeOn("ra", "$2")+` AND `+activeOn("p", "$2")+`),
		below(id) AS (
			SELECT unit_id FROM held WHERE grants = 'subtree'
			UNION SELECT u.id FROM units u JOIN below b ON u.parent_id = b.id),
		seen(id) AS (
			SELECT id FROM below
			UNION SELECT unit_id FROM held WHERE grants = 'unit'
			UNION SELECT nullif(unit_id, 0) FROM me
			UNION SELECT u.id FROM units u JOIN seen s ON u.successor_id = s.id),
		managed(id) AS (
			SELECT id FROM below
			UNION SELECT u.id FROM units u JOIN managed m ON u.successor_id = m.id)
		SELECT me.*, ARRAY(SELECT id FROM seen WHERE id IS NOT NULL ORDER BY id), ARRAY(SELECT id FROM managed ORDER BY id),
			ARRAY(SELECT DISTINCT ra.role_code FROM role_assignments ra JOIN people p ON p.id = ra.person_id
				WHERE p.user_id = $1 AND `+activeOn("ra", "$2")+` AND `+activeOn("p", "$2")+` ORDER BY 1)
		FROM me`, userID, today).Scan(
		&a.UserID, &a.Label, &a.Name, &a.Role, &a.UnitID, &a.MustChangePassword,
		&a.MFAEnrolled, &a.Lang, &a.DateStyle, &status, &dbEpoch, &allUnits, &seen, &managed, &held)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && (status != isms.UserActive || dbEpoch != epoch)) {
		return isms.Actor{}, isms.Errorf(isms.ENOTFOUND, "session no longer valid")
	}
	if err != nil {
		return isms.Actor{}, wrap("find actor", err)
	}
	a.AllUnits = allUnits || a.Can(isms.PermViewAllUnits)
	a.Today = today
	if !a.AllUnits && len(seen) > 0 {
		a.UnitIDs = seen
	}
	if len(managed) > 0 {
		a.ManagedUnitIDs = managed
	}
	for _, code := range held {
		a.HeldRoles = append(a.HeldRoles, isms.SecurityRoleCode(code))
	}
	return a, nil
}

// activeOn is the SQL condition that the row of alias t holds on the day in parameter day.
func activeOn(t, day string) string {
	return t + ".valid_from <= " + day + "::date AND (" + t + ".valid_to IS NULL OR " + t + ".valid_to >= " + day + "::date)"
}
