package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// Changes people make to their own account. Each ends their other sessions where credentials
// change, and returns the new epoch so that the current session can carry on.

// selfChange runs one change of the actor's own account with its audit event.
func (db *DB) selfChange(ctx context.Context, actor isms.Actor, action string, change func(tx pgx.Tx) error) (epoch int, err error) {
	if !actor.SignedIn() {
		return 0, isms.Errorf(isms.EFORBIDDEN, "not signed in")
	}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockUser(ctx, tx, actor.UserID, 0)
		if err != nil {
			return err
		}
		if err := change(tx); err != nil {
			return err
		}
		after, err := findUser(ctx, tx, actor.UserID)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT auth_epoch FROM users WHERE id = $1`, actor.UserID).Scan(&epoch); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, action, "user", idString(actor.UserID), before, after)
	})
	return epoch, wrap(action, err)
}

// ChangeOwnPassword sets the actor's password (hashed by the caller, after checking the current one).
func (db *DB) ChangeOwnPassword(ctx context.Context, actor isms.Actor, passwordHash string) (epoch int, err error) {
	return db.selfChange(ctx, actor, "user.change_password", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, must_change_password = false, password_changed_at = now(),
			auth_epoch = auth_epoch + 1, updated_at = now(), version = version + 1 WHERE id = $1`, actor.UserID, passwordHash)
		return err
	})
}

// UpdatePreferences sets the actor's language and date style.
func (db *DB) UpdatePreferences(ctx context.Context, actor isms.Actor, lang, dateStyle string) error {
	fe := isms.FieldErrors{}
	fe.Check(lang == "ja" || lang == "en", "lang", "validation.choose")
	fe.Check(dateStyle == "seireki" || dateStyle == "wareki", "date_style", "validation.choose")
	if err := fe.Err(); err != nil {
		return err
	}
	_, err := db.selfChange(ctx, actor, "user.update_preferences", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE users SET lang = $2, date_style = $3, updated_at = now(), version = version + 1
			WHERE id = $1`, actor.UserID, lang, dateStyle)
		return err
	})
	return err
}

// EnrolTOTP stores the actor's confirmed TOTP secret (sealed), the step of the confirming code
// (so it cannot be used again to sign in) and a fresh set of recovery codes.
func (db *DB) EnrolTOTP(ctx context.Context, actor isms.Actor, sealedSecret []byte, step int64, recoveryHashes [][]byte) (epoch int, err error) {
	return db.selfChange(ctx, actor, "user.enrol_mfa", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE users SET totp_secret = $2, totp_enrolled_at = now(), totp_last_step = $3,
			auth_epoch = auth_epoch + 1, updated_at = now(), version = version + 1 WHERE id = $1`, actor.UserID, sealedSecret, step)
		if err != nil {
			return err
		}
		return replaceRecoveryCodes(ctx, tx, actor.UserID, recoveryHashes)
	})
}

// ReplaceRecoveryCodes gives the actor a new set of recovery codes; the old ones stop working.
func (db *DB) ReplaceRecoveryCodes(ctx context.Context, actor isms.Actor, hashes [][]byte) error {
	_, err := db.selfChange(ctx, actor, "user.new_recovery_codes", func(tx pgx.Tx) error {
		return replaceRecoveryCodes(ctx, tx, actor.UserID, hashes)
	})
	return err
}

func replaceRecoveryCodes(ctx context.Context, tx pgx.Tx, userID int64, hashes [][]byte) error {
	if _, err := tx.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])`, userID, hashes)
	return err
}

// CountRecoveryCodes returns how many unused recovery codes the user has left.
func (db *DB) CountRecoveryCodes(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&n)
	return n, wrap("count recovery codes", err)
}

// FindMFARoles returns the roles that must sign in with a second factor.
func (db *DB) FindMFARoles(ctx context.Context) ([]isms.Role, error) {
	var roles []isms.Role
	var raw []byte
	if err := db.pool.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'auth.mfa_roles'`).Scan(&raw); err != nil {
		return nil, wrap("find mfa roles", err)
	}
	return roles, wrap("find mfa roles", json.Unmarshal(raw, &roles))
}

// UpdateMFARoles sets the roles that must sign in with a second factor.
func (db *DB) UpdateMFARoles(ctx context.Context, actor isms.Actor, roles []isms.Role) error {
	if err := requirePerm(actor, isms.PermManageSettings); err != nil {
		return err
	}
	for _, r := range roles {
		if !r.Valid() {
			return isms.Errorf(isms.EINVALID, "unknown role %q", r)
		}
	}
	if roles == nil {
		roles = []isms.Role{}
	}
	return wrap("update mfa roles", db.inTx(ctx, func(tx pgx.Tx) error {
		var before []isms.Role
		var raw []byte
		if err := tx.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'auth.mfa_roles' FOR UPDATE`).Scan(&raw); err != nil {
			return err
		}
		json.Unmarshal(raw, &before)
		val, _ := json.Marshal(roles)
		if _, err := tx.Exec(ctx, `UPDATE settings SET value = $1, updated_at = now(), version = version + 1
			WHERE key = 'auth.mfa_roles'`, val); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "setting.update", "setting", "auth.mfa_roles", before, roles)
	}))
}
