package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The social media accounts register (ソーシャルメディアサービス, domain.md §7.4): the accounts, their
// owners over time (exactly one at a time), operators, the approval of their opening and their
// periodic checks.
//
// Scope is in SQL: an account is read by those who see or manage its unit (every unit for the
// security office, the CISO and auditors); for anyone else it does not exist (ENOTFOUND). Changes
// by someone who reads the account but may not make them are EFORBIDDEN. Every change, its owner,
// opening and checks included, is filed in the audit trail under the entity "social_account" and
// the account's id, so that its history reads in one place.

// socialColumns are read by every query that returns isms.SocialAccount; scanSocialAccount reads
// them in this order. The owner is the one whose period is open.
const socialColumns = `s.id, s.number, s.platform, s.platform_name, s.account_name, s.url, s.unit_id, s.status,
	s.official_listing_url, s.profile_states_unit, s.mfa_enabled, s.mfa_method, s.credential_storage,
	s.operating_procedure, s.posting_rules, s.takeover_procedure, s.requested_on, coalesce(s.requested_by, 0),
	s.approved_on, coalesce(s.approved_by, 0), s.opened_on, s.check_interval_months, s.last_checked_on, s.version,
	(s.created_at AT TIME ZONE 'Asia/Tokyo')::date, u.name, coalesce(rq.display_name, ''), coalesce(ap.display_name, ''),
	coalesce(o.person_id, 0), coalesce(op.name, ''), coalesce(o.valid_from, s.created_at::date), coalesce(op.user_id, 0)`

const socialFrom = `social_accounts s
	JOIN units u ON u.id = s.unit_id
	LEFT JOIN users rq ON rq.id = s.requested_by
	LEFT JOIN users ap ON ap.id = s.approved_by
	LEFT JOIN social_account_owners o ON o.account_id = s.id AND o.valid_to IS NULL
	LEFT JOIN people op ON op.id = o.person_id`

// socialDue is the day the next check of the account of alias s is due, as isms.SocialAccount.CheckDue
// answers it (for accounts in use).
const socialDue = `(coalesce(s.last_checked_on, s.opened_on, (s.created_at AT TIME ZONE 'Asia/Tokyo')::date)
	+ make_interval(months => s.check_interval_months))::date`

// socialAttention is the SQL of isms.SocialAccount.Issues: the account needs action (要対応) on
// the day in parameter day.
func socialAttention(day string) string {
	return `(s.status <> 'closed' AND (s.status IN ('public', 'suspended') AND ` + socialDue + ` < ` + day + `::date
		OR NOT s.mfa_enabled OR s.status = 'public' AND NOT s.profile_states_unit
		OR s.operating_procedure = '' OR s.posting_rules = '' OR s.takeover_procedure = ''
		OR s.status = 'preparing' AND s.requested_on IS NOT NULL AND s.approved_on IS NULL))`
}

func scanSocialAccount(row pgx.Row) (isms.SocialAccount, error) {
	var a isms.SocialAccount
	err := row.Scan(&a.ID, &a.Number, &a.Platform, &a.PlatformName, &a.AccountName, &a.URL, &a.UnitID, &a.Status,
		&a.OfficialListingURL, &a.ProfileStatesUnit, &a.MFAEnabled, &a.MFAMethod, &a.CredentialStorage,
		&a.OperatingProcedure, &a.PostingRules, &a.TakeoverProcedure, &a.RequestedOn, &a.RequestedBy,
		&a.ApprovedOn, &a.ApprovedBy, &a.OpenedOn, &a.CheckIntervalMonths, &a.LastCheckedOn, &a.Version,
		&a.CreatedOn, &a.UnitName, &a.RequestedByName, &a.ApprovedByName,
		&a.Owner.PersonID, &a.Owner.Name, &a.Owner.From, &a.Owner.UserID)
	return a, err
}

// socialScope is the SQL condition that the actor reads the accounts of the unit in column.
func socialScope(actor isms.Actor, arg func(any) string, column string) string {
	if actor.AllUnits {
		return "true"
	}
	units := append(append([]int64{}, actor.UnitIDs...), actor.ManagedUnitIDs...)
	return column + " = ANY(" + arg(units) + ")"
}

// argList collects the arguments of a query built in pieces; add returns the placeholder.
type argList []any

func (a *argList) add(v any) string {
	*a = append(*a, v)
	return fmt.Sprintf("$%d", len(*a))
}

// loadSocialAccount reads an account the actor reads, with its operators; lock holds its row
// until the transaction ends, so that two changes of one account queue.
func loadSocialAccount(ctx context.Context, q querier, actor isms.Actor, id int64, lock bool) (isms.SocialAccount, error) {
	args := argList{id}
	query := `SELECT ` + socialColumns + ` FROM ` + socialFrom + ` WHERE s.id = $1 AND ` + socialScope(actor, args.add, "s.unit_id")
	if lock {
		query += ` FOR UPDATE OF s`
	}
	a, err := scanSocialAccount(q.QueryRow(ctx, query, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, isms.Errorf(isms.ENOTFOUND, "social account %d not found", id)
	}
	if err != nil {
		return a, err
	}
	rows, err := q.Query(ctx, `SELECT p.id, p.name FROM social_account_operators x JOIN people p ON p.id = x.person_id
		WHERE x.account_id = $1 ORDER BY p.name_kana, p.name, p.id`, id)
	if err != nil {
		return a, err
	}
	a.Operators, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.SocialPerson])
	return a, err
}

// FindSocialAccount returns an account with its owners (newest first) and checks (newest first).
func (db *DB) FindSocialAccount(ctx context.Context, actor isms.Actor, id int64) (isms.SocialAccount, error) {
	a, err := loadSocialAccount(ctx, db.pool, actor, id, false)
	if err != nil {
		return a, wrap("find social account", err)
	}
	rows, err := db.pool.Query(ctx, `SELECT o.person_id, p.name, o.valid_from, o.valid_to, coalesce(p.user_id, 0),
		coalesce(u.display_name, '') FROM social_account_owners o JOIN people p ON p.id = o.person_id
		LEFT JOIN users u ON u.id = o.changed_by WHERE o.account_id = $1 ORDER BY o.valid_from DESC, o.id DESC`, id)
	if err != nil {
		return a, wrap("find social account", err)
	}
	a.Owners, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.SocialAccountOwner, error) {
		var o isms.SocialAccountOwner
		err := r.Scan(&o.PersonID, &o.Name, &o.From, &o.To, &o.UserID, &o.ChangedByName)
		return o, err
	})
	if err != nil {
		return a, wrap("find social account", err)
	}
	rows, err = db.pool.Query(ctx, `SELECT c.id, c.checked_on, c.listing_live, c.profile_shows_unit, c.mfa_on,
		c.no_confidential, c.no_unknown_sessions, c.result, c.note, coalesce(u.display_name, '')
		FROM social_account_checks c LEFT JOIN users u ON u.id = c.checked_by
		WHERE c.account_id = $1 ORDER BY c.checked_on DESC, c.id DESC`, id)
	if err != nil {
		return a, wrap("find social account", err)
	}
	a.Checks, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.SocialAccountCheck])
	return a, wrap("find social account", err)
}

// FindSocialAccounts returns a page of the accounts the actor reads, newest first, and the id to
// continue below (0 on the last page).
func (db *DB) FindSocialAccounts(ctx context.Context, actor isms.Actor, f isms.SocialAccountFilter) ([]isms.SocialAccount, int64, error) {
	switch {
	case f.Limit <= 0:
		f.Limit = 50
	case f.Limit > 200:
		f.Limit = 200
	}
	day := actor.Day()
	if !f.Day.IsZero() {
		day = isms.Day(f.Day)
	}
	var args argList
	where := []string{socialScope(actor, args.add, "s.unit_id")}
	if f.UnitID != 0 {
		where = append(where, "s.unit_id = "+args.add(f.UnitID)) // social_accounts_unit_idx
	}
	if f.Platform != "" {
		where = append(where, "s.platform = "+args.add(f.Platform)) // social_accounts_platform_idx
	}
	if f.Status != "" {
		where = append(where, "s.status = "+args.add(f.Status)) // social_accounts_status_idx
	}
	if f.Attention {
		where = append(where, socialAttention(args.add(day)))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		p := args.add("%" + escapeLike(q) + "%")
		where = append(where, fmt.Sprintf("(s.number ILIKE %[1]s OR s.account_name ILIKE %[1]s OR s.platform_name ILIKE %[1]s)", p))
	}
	if f.Before > 0 {
		where = append(where, "s.id < "+args.add(f.Before))
	}
	rows, err := db.pool.Query(ctx, `SELECT `+socialColumns+` FROM `+socialFrom+` WHERE `+strings.Join(where, " AND ")+`
		ORDER BY s.id DESC LIMIT `+args.add(f.Limit+1), args...)
	if err != nil {
		return nil, 0, wrap("find social accounts", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.SocialAccount, error) { return scanSocialAccount(r) })
	if err != nil {
		return nil, 0, wrap("find social accounts", err)
	}
	var next int64
	if len(list) > f.Limit {
		list = list[:f.Limit]
		next = list[len(list)-1].ID
	}
	return list, next, nil
}

// FindSocialAccountCandidates returns the people in service on day, with their posting of the
// day, whom the account forms offer as owner and operators: those of the units the actor reads.
func (db *DB) FindSocialAccountCandidates(ctx context.Context, actor isms.Actor, day time.Time) ([]isms.Person, error) {
	args := argList{isms.Day(day)}
	rows, err := db.pool.Query(ctx, `
		SELECT p.id, p.name, s.id, s.name FROM people p
		JOIN postings po ON po.person_id = p.id AND `+activeOn("po", "$1")+`
		JOIN units s ON s.id = po.unit_id
		WHERE `+activeOn("p", "$1")+` AND `+socialScope(actor, args.add, "po.unit_id")+`
		ORDER BY s.code, p.name_kana, p.name, p.id`, args...)
	if err != nil {
		return nil, wrap("find social account candidates", err)
	}
	people, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.Person, error) {
		var p isms.Person
		err := r.Scan(&p.ID, &p.Name, &p.UnitID, &p.UnitName)
		return p, err
	})
	return people, wrap("find social account candidates", err)
}

// checkSocialPeople refuses an owner who is not in service on day and operators who do not
// exist, beside their fields.
func checkSocialPeople(ctx context.Context, tx pgx.Tx, ownerField string, ownerID int64, operators []int64, day time.Time) error {
	var inService bool
	var found int
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM people p WHERE p.id = $1 AND `+activeOn("p", "$2")+`),
		(SELECT count(*) FROM people WHERE id = ANY($3))::int`, ownerID, day, operators).Scan(&inService, &found); err != nil {
		return err
	}
	fe := isms.FieldErrors{}
	fe.Check(ownerID == 0 || inService, ownerField, "social_account.error.not_in_service")
	fe.Check(found == len(operators), "operator_ids", "validation.choose")
	return fe.Err()
}

// writeSocialOperators replaces the account's operators with the form's.
func writeSocialOperators(ctx context.Context, tx pgx.Tx, id int64, operators []int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM social_account_operators WHERE account_id = $1`, id); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO social_account_operators (account_id, person_id) SELECT $1, unnest($2::bigint[])`,
		id, operators)
	return err
}

// startSocialOwner makes the person the account's owner from day and starts their SNS_OWNER role.
func startSocialOwner(ctx context.Context, tx pgx.Tx, actor isms.Actor, a isms.SocialAccount, personID int64, day time.Time) error {
	if _, err := tx.Exec(ctx, `INSERT INTO social_account_owners (account_id, person_id, valid_from, changed_by)
		VALUES ($1, $2, $3, nullif($4, 0))`, a.ID, personID, day, actor.UserID); err != nil {
		return err
	}
	return startSocialOwnerRole(ctx, tx, actor, a, personID, day)
}

// startSocialOwnerRole starts the SNS_OWNER role of the account's owner for its unit from day,
// unless they hold it then already (the assignment is audited on its own).
func startSocialOwnerRole(ctx context.Context, tx pgx.Tx, actor isms.Actor, a isms.SocialAccount, personID int64, day time.Time) error {
	var held bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM role_assignments a WHERE a.person_id = $1 AND a.role_code = $2
		AND a.unit_id = $3 AND `+activeOn("a", "$4")+`)`, personID, isms.RoleCodeSNSOwner, a.UnitID, day).Scan(&held); err != nil {
		return err
	}
	if held {
		return nil
	}
	_, err := createAssignment(ctx, tx, actor, isms.AssignmentInput{PersonID: personID, RoleCode: isms.RoleCodeSNSOwner,
		UnitID: a.UnitID, ValidFrom: &day, Note: a.Number + " " + a.AccountName})
	return err
}

// endSocialOwnerRole ends on lastDay the SNS_OWNER role of a person who no longer owns any account
// of the unit after it.
func endSocialOwnerRole(ctx context.Context, tx pgx.Tx, actor isms.Actor, personID, unitID int64, lastDay time.Time) error {
	rows, err := tx.Query(ctx, `SELECT a.id FROM role_assignments a WHERE a.person_id = $1 AND a.role_code = $2
		AND a.unit_id = $3 AND a.valid_to IS NULL AND a.valid_from <= $4::date
		AND NOT EXISTS (SELECT 1 FROM social_account_owners o JOIN social_accounts s ON s.id = o.account_id
			WHERE o.person_id = $1 AND s.unit_id = $3 AND o.valid_to IS NULL AND s.status <> 'closed')`,
		personID, isms.RoleCodeSNSOwner, unitID, lastDay)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := endAssignment(ctx, tx, actor, id, lastDay, 0); err != nil {
			return err
		}
	}
	return nil
}

// checkSocialEdits refuses an actor who may not register and change the accounts of unit; a unit
// not yet chosen is the form's to ask for.
func checkSocialEdits(actor isms.Actor, unit int64) error {
	if actor.Edits(unit) || unit == 0 && editsAny(actor) {
		return nil
	}
	return isms.Errorf(isms.EFORBIDDEN, "not permitted to keep the social accounts of unit %d", unit)
}

// CreateSocialAccount registers an account in 開設準備 with its owner (required), who starts the
// SNS_OWNER role for the unit from the actor's day.
func (db *DB) CreateSocialAccount(ctx context.Context, actor isms.Actor, in isms.SocialAccountInput) (isms.SocialAccount, error) {
	in.Normalize()
	if err := checkSocialEdits(actor, in.UnitID); err != nil {
		return isms.SocialAccount{}, wrap("create social account", err)
	}
	if err := in.Validate(true, isms.SocialPreparing).Err(); err != nil {
		return isms.SocialAccount{}, wrap("create social account", err)
	}
	day := actor.Day()
	var a isms.SocialAccount
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkUnitOpen(ctx, tx, in.UnitID, day, "unit_id"); err != nil {
			return err
		}
		if err := checkSocialPeople(ctx, tx, "owner_id", in.OwnerID, in.OperatorIDs, day); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO social_accounts (platform, platform_name, account_name, url, unit_id, official_listing_url,
				profile_states_unit, mfa_enabled, mfa_method, credential_storage, operating_procedure, posting_rules,
				takeover_procedure, check_interval_months, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, nullif($15, 0)) RETURNING id`,
			in.Platform, in.PlatformName, in.AccountName, in.URL, in.UnitID, in.OfficialListingURL, in.ProfileStatesUnit,
			in.MFAEnabled, in.MFAMethod, in.CredentialStorage, in.OperatingProcedure, in.PostingRules, in.TakeoverProcedure,
			in.CheckIntervalMonths, actor.UserID).Scan(&id)
		if err != nil {
			return err
		}
		if err := writeSocialOperators(ctx, tx, id, in.OperatorIDs); err != nil {
			return err
		}
		a = isms.SocialAccount{ID: id, UnitID: in.UnitID, AccountName: in.AccountName}
		if err := tx.QueryRow(ctx, `SELECT number FROM social_accounts WHERE id = $1`, id).Scan(&a.Number); err != nil {
			return err
		}
		if err := startSocialOwner(ctx, tx, actor, a, in.OwnerID, day); err != nil {
			return err
		}
		if a, err = loadSocialAccount(ctx, tx, isms.SystemActor("social_account"), id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "social_account.create", "social_account", idString(id), nil, a)
	})
	return a, wrap("create social account", err)
}

// lockSocialAccount reads and locks an account the actor reads, and refuses the change when may
// says the actor may not make it (EFORBIDDEN) or the form showed an older version (ECONFLICT).
func lockSocialAccount(ctx context.Context, tx pgx.Tx, actor isms.Actor, id int64, version int, may func(isms.SocialAccount) bool) (isms.SocialAccount, error) {
	a, err := loadSocialAccount(ctx, tx, actor, id, true)
	if err != nil {
		return a, err
	}
	if !may(a) {
		return a, isms.Errorf(isms.EFORBIDDEN, "not permitted to change social account %d", id)
	}
	if a.Version != version {
		return a, errConflict("the social account")
	}
	return a, nil
}

// touchSocialAccount moves the account's version on after a change of its parts.
func touchSocialAccount(ctx context.Context, tx pgx.Tx, id int64) error {
	_, err := tx.Exec(ctx, `UPDATE social_accounts SET updated_at = now(), version = version + 1 WHERE id = $1`, id)
	return err
}

// finishSocialChange reads the account after a change and writes the audit event.
func finishSocialChange(ctx context.Context, tx pgx.Tx, actor isms.Actor, action string, before isms.SocialAccount) (isms.SocialAccount, error) {
	after, err := loadSocialAccount(ctx, tx, isms.SystemActor("social_account"), before.ID, false)
	if err != nil {
		return after, err
	}
	return after, appendAudit(ctx, tx, actor, action, "social_account", idString(before.ID), before, after)
}

// UpdateSocialAccount changes an account as the form gives it (not its owner, status or opening,
// which have forms of their own). Moving it to another unit needs the actor to keep both units,
// and moves its owner's SNS_OWNER role with it.
func (db *DB) UpdateSocialAccount(ctx context.Context, actor isms.Actor, id int64, in isms.SocialAccountInput) (isms.SocialAccount, error) {
	in.Normalize()
	var after isms.SocialAccount
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockSocialAccount(ctx, tx, actor, id, in.Version, func(a isms.SocialAccount) bool { return actor.Edits(a.UnitID) })
		if err != nil {
			return err
		}
		if err := in.Validate(false, before.Status).Err(); err != nil {
			return err
		}
		if err := checkSocialEdits(actor, in.UnitID); err != nil {
			return err
		}
		if in.UnitID != before.UnitID {
			if err := checkUnitOpen(ctx, tx, in.UnitID, actor.Day(), "unit_id"); err != nil {
				return err
			}
		}
		if err := checkSocialPeople(ctx, tx, "owner_id", 0, in.OperatorIDs, actor.Day()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE social_accounts SET platform = $2, platform_name = $3, account_name = $4, url = $5, unit_id = $6,
				official_listing_url = $7, profile_states_unit = $8, mfa_enabled = $9, mfa_method = $10,
				credential_storage = $11, operating_procedure = $12, posting_rules = $13, takeover_procedure = $14,
				check_interval_months = $15, updated_at = now(), version = version + 1
			WHERE id = $1`, id, in.Platform, in.PlatformName, in.AccountName, in.URL, in.UnitID, in.OfficialListingURL,
			in.ProfileStatesUnit, in.MFAEnabled, in.MFAMethod, in.CredentialStorage, in.OperatingProcedure, in.PostingRules,
			in.TakeoverProcedure, in.CheckIntervalMonths); err != nil {
			return err
		}
		if err := writeSocialOperators(ctx, tx, id, in.OperatorIDs); err != nil {
			return err
		}
		if after, err = finishSocialChange(ctx, tx, actor, "social_account.update", before); err != nil || after.UnitID == before.UnitID {
			return err
		}
		// The owner answers for the account in its new unit from today.
		if err := startSocialOwnerRole(ctx, tx, actor, after, after.Owner.PersonID, actor.Day()); err != nil {
			return err
		}
		return endSocialOwnerRole(ctx, tx, actor, before.Owner.PersonID, before.UnitID, actor.Day().AddDate(0, 0, -1))
	})
	return after, wrap("update social account", err)
}

// ChangeSocialAccountOwner hands the account to another person from in.From: the current owner's
// period ends the day before (the same day, for a change on the day they began), the new one
// starts, and the new owner's SNS_OWNER role starts; the former owner's ends when they own no
// other account of the unit. All in one transaction, so the account always has exactly one owner.
func (db *DB) ChangeSocialAccountOwner(ctx context.Context, actor isms.Actor, id int64, in isms.SocialOwnerInput) (isms.SocialAccount, error) {
	var after isms.SocialAccount
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockSocialAccount(ctx, tx, actor, id, in.Version, func(a isms.SocialAccount) bool { return actor.Edits(a.UnitID) })
		if err != nil {
			return err
		}
		if err := in.Validate(before.Owner, actor.Day()).Err(); err != nil {
			return err
		}
		if err := checkSocialPeople(ctx, tx, "person_id", in.PersonID, nil, *in.From); err != nil {
			return err
		}
		lastDay := in.From.AddDate(0, 0, -1)
		if lastDay.Before(before.Owner.From) {
			lastDay = before.Owner.From
		}
		if _, err := tx.Exec(ctx, `UPDATE social_account_owners SET valid_to = $2 WHERE account_id = $1 AND valid_to IS NULL`,
			id, lastDay); err != nil {
			return err
		}
		if err := startSocialOwner(ctx, tx, actor, before, in.PersonID, *in.From); err != nil {
			return err
		}
		if err := endSocialOwnerRole(ctx, tx, actor, before.Owner.PersonID, before.UnitID, lastDay); err != nil {
			return err
		}
		if err := touchSocialAccount(ctx, tx, id); err != nil {
			return err
		}
		after, err = finishSocialChange(ctx, tx, actor, "social_account.owner", before)
		return err
	})
	return after, wrap("change social account owner", err)
}

// RequestSocialAccountOpening asks for the approval of an account's opening, by those who keep
// the unit's accounts, while it is in 開設準備 and not yet asked for.
func (db *DB) RequestSocialAccountOpening(ctx context.Context, actor isms.Actor, id int64, version int) (isms.SocialAccount, error) {
	var after isms.SocialAccount
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockSocialAccount(ctx, tx, actor, id, version, func(a isms.SocialAccount) bool { return actor.Edits(a.UnitID) })
		if err != nil {
			return err
		}
		if before.Status != isms.SocialPreparing || before.RequestedOn != nil {
			return isms.FieldErrors{"opening": "social_account.error.not_requestable"}.Err()
		}
		if _, err := tx.Exec(ctx, `UPDATE social_accounts SET requested_on = $2, requested_by = $3, updated_at = now(),
			version = version + 1 WHERE id = $1`, id, actor.Day(), actor.UserID); err != nil {
			return err
		}
		after, err = finishSocialChange(ctx, tx, actor, "social_account.request_opening", before)
		return err
	})
	return after, wrap("request social account opening", err)
}

// ApproveSocialAccountOpening approves an opening asked for: by the unit's 管理者 or the security
// office, never by the person who asked (兼務の禁止).
func (db *DB) ApproveSocialAccountOpening(ctx context.Context, actor isms.Actor, id int64, version int) (isms.SocialAccount, error) {
	var after isms.SocialAccount
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockSocialAccount(ctx, tx, actor, id, version, func(a isms.SocialAccount) bool {
			return isms.CanApproveOpening(actor, a.UnitID)
		})
		if err != nil {
			return err
		}
		if !before.WaitingApproval() {
			return isms.FieldErrors{"opening": "social_account.error.not_waiting"}.Err()
		}
		if err := isms.CheckSeparation(before.RequestedBy, actor); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE social_accounts SET approved_on = $2, approved_by = $3, updated_at = now(),
			version = version + 1 WHERE id = $1`, id, actor.Day(), actor.UserID); err != nil {
			return err
		}
		after, err = finishSocialChange(ctx, tx, actor, "social_account.approve_opening", before)
		return err
	})
	return after, wrap("approve social account opening", err)
}

// ChangeSocialAccountStatus moves an account to status to, by those who keep the unit's accounts.
// 公開 needs the listing URL and the approved opening (the errors sit beside the status field);
// the first 公開 is the opening day. An account closed no longer needs its owner's role.
func (db *DB) ChangeSocialAccountStatus(ctx context.Context, actor isms.Actor, id int64, to isms.SocialAccountStatus, version int) (isms.SocialAccount, error) {
	var after isms.SocialAccount
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockSocialAccount(ctx, tx, actor, id, version, func(a isms.SocialAccount) bool { return actor.Edits(a.UnitID) })
		if err != nil {
			return err
		}
		if err := before.CheckStatusChange(to).Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE social_accounts SET status = $2,
			opened_on = CASE WHEN $2 = 'public' THEN coalesce(opened_on, $3) ELSE opened_on END,
			updated_at = now(), version = version + 1 WHERE id = $1`, id, to, actor.Day()); err != nil {
			return err
		}
		after, err = finishSocialChange(ctx, tx, actor, "social_account.status", before)
		if err != nil || to != isms.SocialClosed {
			return err
		}
		return endSocialOwnerRole(ctx, tx, actor, before.Owner.PersonID, before.UnitID, actor.Day())
	})
	return after, wrap("change social account status", err)
}

// AddSocialAccountCheck records a periodic check of an account in use, by its owner, the unit's
// 管理者 or the security office; a check later than the last moves the next one's due day on.
func (db *DB) AddSocialAccountCheck(ctx context.Context, actor isms.Actor, id int64, in isms.SocialCheckInput) (isms.SocialAccount, error) {
	var after isms.SocialAccount
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadSocialAccount(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if !before.CanRecordCheck(actor) {
			return isms.Errorf(isms.EFORBIDDEN, "not permitted to check social account %d", id)
		}
		fe := in.Validate(actor.Day())
		fe.Check(before.Status.InUse(), "checked_on", "social_account.error.not_in_use")
		if err := fe.Err(); err != nil {
			return err
		}
		c := in.Check()
		if _, err := tx.Exec(ctx, `INSERT INTO social_account_checks (account_id, checked_on, checked_by, listing_live,
			profile_shows_unit, mfa_on, no_confidential, no_unknown_sessions, result, note)
			VALUES ($1, $2, nullif($3, 0), $4, $5, $6, $7, $8, $9, $10)`, id, c.CheckedOn, actor.UserID, c.ListingLive,
			c.ProfileShowsUnit, c.MFAOn, c.NoConfidential, c.NoUnknownSessions, c.Result, c.Note); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE social_accounts SET last_checked_on = greatest(last_checked_on, $2::date),
			updated_at = now(), version = version + 1 WHERE id = $1`, id, c.CheckedOn); err != nil {
			return err
		}
		if after, err = loadSocialAccount(ctx, tx, isms.SystemActor("social_account"), id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "social_account.check", "social_account", idString(id), nil, c)
	})
	return after, wrap("add social account check", err)
}

// socialTaskSQL is the tasks query: checks due within isms.SocialCheckSoonDays of $4 (or overdue)
// for accounts of the units $1 or, when $2, owned by the user $3; and openings waiting for
// approval in the units $1 that, when $2, the user $3 did not ask for (they cannot approve them).
const socialTaskSQL = `
	SELECT 'social_account_check', s.number || ' ' || s.account_name, '/social-accounts/' || s.id, ` + socialDue + `, u.id, u.name
	FROM social_accounts s JOIN units u ON u.id = s.unit_id
	LEFT JOIN social_account_owners o ON o.account_id = s.id AND o.valid_to IS NULL
	LEFT JOIN people p ON p.id = o.person_id
	WHERE s.status IN ('public', 'suspended') AND ` + socialDue + ` <= $4::date + $5::int
		AND (s.unit_id = ANY($1) OR $2 AND p.user_id = $3)
	UNION ALL
	SELECT 'social_account_approval', s.number || ' ' || s.account_name, '/social-accounts/' || s.id, NULL::date, u.id, u.name
	FROM social_accounts s JOIN units u ON u.id = s.unit_id
	WHERE s.status = 'preparing' AND s.requested_on IS NOT NULL AND s.approved_on IS NULL
		AND s.unit_id = ANY($1) AND NOT ($2 AND s.requested_by = $3)`

// FindSocialAccountTasks answers the social account tasks of the actor (unitID 0): the checks due
// within two weeks or overdue of the accounts they own or whose unit they manage, and the openings
// waiting for their approval as 管理者; or of the unit unitID, when the actor reads its accounts.
func (db *DB) FindSocialAccountTasks(ctx context.Context, actor isms.Actor, unitID int64) ([]isms.Task, error) {
	if unitID != 0 && !isms.ReadsSocialAccount(actor, unitID) {
		return nil, wrap("find social account tasks", isms.Errorf(isms.ENOTFOUND, "unit %d not found", unitID))
	}
	units := []int64{unitID}
	if unitID == 0 {
		units = append([]int64{}, actor.ManagedUnitIDs...)
	}
	mine := unitID == 0 && actor.SignedIn()
	rows, err := db.pool.Query(ctx, socialTaskSQL, units, mine, actor.UserID, actor.Day(), isms.SocialCheckSoonDays)
	if err != nil {
		return nil, wrap("find social account tasks", err)
	}
	tasks, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.Task])
	return tasks, wrap("find social account tasks", err)
}

// FindSocialAccountAttention answers every social account record in the actor's scope that needs
// action: a check due within two weeks or overdue, an opening waiting for approval, and the other
// issues of isms.SocialAccount.Issues (no MFA, the profile, missing procedures) as one task each.
func (db *DB) FindSocialAccountAttention(ctx context.Context, actor isms.Actor) ([]isms.Task, error) {
	day := actor.Day()
	args := argList{day, isms.SocialCheckSoonDays}
	rows, err := db.pool.Query(ctx, `SELECT `+socialColumns+` FROM `+socialFrom+` WHERE `+socialScope(actor, args.add, "s.unit_id")+`
		AND (`+socialAttention("$1")+` OR s.status IN ('public', 'suspended') AND `+socialDue+` <= $1::date + $2::int)
		ORDER BY s.id`, args...)
	if err != nil {
		return nil, wrap("find social account attention", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.SocialAccount, error) { return scanSocialAccount(r) })
	if err != nil {
		return nil, wrap("find social account attention", err)
	}
	soon := day.AddDate(0, 0, isms.SocialCheckSoonDays)
	var tasks []isms.Task
	for _, a := range list {
		task := isms.Task{Title: a.Number + " " + a.AccountName, Href: fmt.Sprintf("/social-accounts/%d", a.ID),
			UnitID: a.UnitID, UnitName: a.UnitName}
		if due := a.CheckDue(); due != nil && !due.After(soon) {
			t := task
			t.Kind, t.DueOn = "social_account_check", due
			tasks = append(tasks, t)
		}
		other := false
		for _, issue := range a.Issues(day) {
			switch issue {
			case "check_overdue":
			case "approval":
				t := task
				t.Kind = "social_account_approval"
				tasks = append(tasks, t)
			default:
				other = true
			}
		}
		if other {
			task.Kind = "social_account_issue"
			tasks = append(tasks, task)
		}
	}
	return tasks, nil
}
