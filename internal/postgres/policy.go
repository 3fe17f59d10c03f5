package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The versions of the policy staff confirm and their confirmations (誓約・確認). A version comes
// from the policy library: publishing a version of a document staff must acknowledge adds it
// (PublishVersion). Every person in service confirms the one in force; the office, the CISO and
// auditors follow the confirmations of every unit, 管理者 and 責任者 those of their units.

const policyVersionColumns = `v.id, v.title, v.version_label, v.effective_on, v.summary, v.document_url, v.created_at`

func scanPolicyVersion(row pgx.Row) (isms.PolicyVersion, error) {
	var v isms.PolicyVersion
	err := row.Scan(&v.ID, &v.Title, &v.VersionLabel, &v.EffectiveOn, &v.Summary, &v.DocumentURL, &v.CreatedAt)
	return v, err
}

// currentVersionSQL picks the version in force on the day in parameter $1: the latest to take
// effect by then, the later registered of two taking effect on the same day.
const currentVersionSQL = `SELECT ` + policyVersionColumns + ` FROM policy_versions v
	WHERE v.effective_on <= $1::date ORDER BY v.effective_on DESC, v.id DESC LIMIT 1`

// FindPolicyVersions returns every version, the latest to take effect first.
func (db *DB) FindPolicyVersions(ctx context.Context) ([]isms.PolicyVersion, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+policyVersionColumns+` FROM policy_versions v ORDER BY v.effective_on DESC, v.id DESC`)
	if err != nil {
		return nil, wrap("find policy versions", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.PolicyVersion, error) { return scanPolicyVersion(row) })
	return list, wrap("find policy versions", err)
}

// FindPolicyVersion returns one version; ENOTFOUND when there is none with the id.
func (db *DB) FindPolicyVersion(ctx context.Context, id int64) (isms.PolicyVersion, error) {
	v, err := scanPolicyVersion(db.pool.QueryRow(ctx, `SELECT `+policyVersionColumns+` FROM policy_versions v WHERE v.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		err = isms.Errorf(isms.ENOTFOUND, "policy version %d not found", id)
	}
	return v, wrap("find policy version", err)
}

// FindCurrentPolicyVersion returns the version in force on day; ENOTFOUND before the first.
func (db *DB) FindCurrentPolicyVersion(ctx context.Context, day time.Time) (isms.PolicyVersion, error) {
	v, err := findCurrentPolicyVersion(ctx, db.pool, isms.Day(day))
	return v, wrap("find current policy version", err)
}

func findCurrentPolicyVersion(ctx context.Context, q querier, day time.Time) (isms.PolicyVersion, error) {
	v, err := scanPolicyVersion(q.QueryRow(ctx, currentVersionSQL, day))
	if errors.Is(err, pgx.ErrNoRows) {
		err = isms.Errorf(isms.ENOTFOUND, "no version of the basic policy is in force")
	}
	return v, err
}

// signedInPerson is the id of the person the actor's account is linked to, in service on day, or
// 0 when there is none: an account of nobody in particular, or of someone who has left.
func (db *DB) signedInPerson(ctx context.Context, actor isms.Actor, day time.Time) (int64, error) {
	if !actor.SignedIn() {
		return 0, nil
	}
	p, err := db.FindPersonByUser(ctx, actor, actor.UserID, day)
	if isms.ErrorCode(err) == isms.ENOTFOUND {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if !p.Contains(day) {
		return 0, nil
	}
	return p.ID, nil
}

// FindAcknowledgement returns where the signed-in person stands with the version in force on the
// actor's day: whether and when they confirmed it. PersonID is 0 for an account linked to no
// person in service; ENOTFOUND when no version is in force.
func (db *DB) FindAcknowledgement(ctx context.Context, actor isms.Actor) (isms.PolicyAcknowledgement, error) {
	day := actor.Day()
	var a isms.PolicyAcknowledgement
	var err error
	if a.Version, err = findCurrentPolicyVersion(ctx, db.pool, day); err != nil {
		return a, wrap("find acknowledgement", err)
	}
	if a.PersonID, err = db.signedInPerson(ctx, actor, day); err != nil || a.PersonID == 0 {
		return a, wrap("find acknowledgement", err)
	}
	err = db.pool.QueryRow(ctx, `SELECT acknowledged_at FROM policy_acknowledgements
		WHERE policy_version_id = $1 AND person_id = $2`, a.Version.ID, a.PersonID).Scan(&a.AcknowledgedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		err = nil
	}
	return a, wrap("find acknowledgement", err)
}

// AcknowledgePolicy records that the signed-in person read version versionID and will follow it.
// Only the version in force on the actor's day can be confirmed: an older (or a future) one is
// ECONFLICT, so that a page left open over a revision does not confirm the old text. Confirming
// again changes nothing and returns the first confirmation. An account linked to no person in
// service is EFORBIDDEN: confirmations belong to people, whom the status counts.
func (db *DB) AcknowledgePolicy(ctx context.Context, actor isms.Actor, versionID int64) (isms.PolicyAcknowledgement, error) {
	day := actor.Day()
	personID, err := db.signedInPerson(ctx, actor, day)
	if err != nil {
		return isms.PolicyAcknowledgement{}, wrap("acknowledge policy", err)
	}
	if personID == 0 {
		return isms.PolicyAcknowledgement{}, isms.Errorf(isms.EFORBIDDEN,
			"the account is linked to no person in service: the security office links it before its holder can confirm the policy")
	}
	a := isms.PolicyAcknowledgement{PersonID: personID}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if a.Version, err = findCurrentPolicyVersion(ctx, tx, day); err != nil {
			return err
		}
		if a.Version.ID != versionID {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM policy_versions WHERE id = $1)`, versionID).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return isms.Errorf(isms.ENOTFOUND, "policy version %d not found", versionID)
			}
			return isms.Errorf(isms.ECONFLICT, "version %d of the basic policy is not the one in force", versionID)
		}
		var at time.Time
		err = tx.QueryRow(ctx, `INSERT INTO policy_acknowledgements (policy_version_id, person_id) VALUES ($1, $2)
			ON CONFLICT DO NOTHING RETURNING acknowledged_at`, versionID, personID).Scan(&at)
		if errors.Is(err, pgx.ErrNoRows) {
			// Confirmed before: the first confirmation stands, and the trail has it already.
			return tx.QueryRow(ctx, `SELECT acknowledged_at FROM policy_acknowledgements
				WHERE policy_version_id = $1 AND person_id = $2`, versionID, personID).Scan(&a.AcknowledgedAt)
		}
		if err != nil {
			return err
		}
		a.AcknowledgedAt = &at
		return appendAudit(ctx, tx, actor, "policy.acknowledge", "policy_version", idString(versionID), nil,
			map[string]any{"person_id": personID, "acknowledged_at": at})
	})
	return a, wrap("acknowledge policy", err)
}

// FindPolicyStatus returns, for version versionID, each unit's people in service on the actor's
// day (everyone posted there, contractors' staff and fiscal-year appointees included: the policy
// binds all 職員等), how many of them confirmed that version, and who has not. Those who read
// every unit (the security office, the CISO, auditors) see all units; a 管理者 or 責任者 the units
// they manage; anyone else is EFORBIDDEN.
func (db *DB) FindPolicyStatus(ctx context.Context, actor isms.Actor, versionID int64) (isms.PolicyStatus, error) {
	if !actor.AllUnits && len(actor.ManagedUnitIDs) == 0 {
		return isms.PolicyStatus{}, isms.Errorf(isms.EFORBIDDEN, "not permitted")
	}
	s := isms.PolicyStatus{Day: actor.Day()}
	var err error
	if s.Version, err = db.FindPolicyVersion(ctx, versionID); err != nil {
		return s, err
	}
	managed := actor.ManagedUnitIDs
	if managed == nil {
		managed = []int64{}
	}
	// One pass over the people in service: the counts per unit, and the pending people's ids and
	// names in reading order, aggregated beside them.
	rows, err := db.pool.Query(ctx, `
		WITH RECURSIVE tree AS (
			SELECT id, ARRAY[code] AS path FROM units WHERE parent_id IS NULL
			UNION ALL SELECT u.id, t.path || u.code FROM units u JOIN tree t ON u.parent_id = t.id),
		staff AS (
			SELECT po.unit_id, p.id, p.name, p.name_kana, p.employee_no, a.person_id IS NOT NULL AS done
			FROM people p
			JOIN postings po ON po.person_id = p.id AND `+activeOn("po", "$1")+`
			LEFT JOIN policy_acknowledgements a ON a.person_id = p.id AND a.policy_version_id = $2
			WHERE `+activeOn("p", "$1")+` AND ($3 OR po.unit_id = ANY($4)))
		SELECT u.id, u.code, u.name, count(*), count(*) FILTER (WHERE s.done),
			coalesce(array_agg(s.id ORDER BY s.name_kana, s.id) FILTER (WHERE NOT s.done), '{}'),
			coalesce(array_agg(s.name ORDER BY s.name_kana, s.id) FILTER (WHERE NOT s.done), '{}'),
			coalesce(array_agg(s.employee_no ORDER BY s.name_kana, s.id) FILTER (WHERE NOT s.done), '{}')
		FROM staff s JOIN units u ON u.id = s.unit_id JOIN tree t ON t.id = u.id
		GROUP BY u.id, u.code, u.name, t.path
		ORDER BY t.path`, s.Day, versionID, actor.AllUnits, managed)
	if err != nil {
		return s, wrap("find policy status", err)
	}
	s.Units, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.PolicyUnitStatus, error) {
		var u isms.PolicyUnitStatus
		var ids []int64
		var names, numbers []string
		if err := row.Scan(&u.UnitID, &u.UnitCode, &u.UnitName, &u.InService, &u.Acknowledged, &ids, &names, &numbers); err != nil {
			return u, err
		}
		for i := range ids {
			u.Pending = append(u.Pending, isms.PolicyPendingPerson{PersonID: ids[i], Name: names[i], EmployeeNo: numbers[i]})
		}
		return u, nil
	})
	return s, wrap("find policy status", err)
}
