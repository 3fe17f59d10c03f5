package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The external (cloud) services register (外部サービス, domain.md §7.2 and §7.3). Every method finds
// the service within the actor's scope in SQL (extServiceVisible; outside it the service is
// ENOTFOUND, as if it did not exist), then checks what the actor may do there (EFORBIDDEN): ask and
// edit (Edits), decide (Manages, never on their own request), review and end (Edits, Manages or its
// 外部サービス管理者). Every change writes its audit event, under the entity "external_service" and
// the service's id, in the same transaction.

// extServiceVisible is the SQL condition that the actor reads the service of alias s (with its
// 外部サービス管理者 adm joined): those who see its unit, everyone for a shared service, and its
// 管理者 wherever they work.
func extServiceVisible(actor isms.Actor, arg func(any) string) string {
	return "(" + arg(actor.AllUnits) + " OR s.unit_id = ANY(" + arg(extIDs(actor.UnitIDs)) + ") OR s.shared OR adm.user_id = " +
		arg(actor.UserID) + ")"
}

// extIDs is ids as an SQL array argument: never NULL, so that ANY matches nothing.
func extIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// extServiceColumns are read by every query that returns isms.ExternalService; scanExtService
// reads them in this order. pd is the request waiting for a decision, if any.
const extServiceColumns = `s.id, s.number, s.name, s.provider, s.purpose, s.unit_id, s.shared, s.contract_form,
	s.requested_level, coalesce(s.approved_level, ''), s.status, s.ismap_registered, s.ismap_number, s.data_location,
	s.governing_law, s.jurisdiction, s.mfa, s.auth_method, s.users_scope, s.account_count, s.requested_by, s.requested_at,
	coalesce(s.decided_by, 0), s.decided_at, s.approval_number, s.decision_note, coalesce(s.admin_person_id, 0),
	s.use_from, s.use_to, s.review_due, s.data_deleted_on, s.data_deletion_method, s.version,
	u.name, coalesce(ru.display_name, ''), coalesce(du.display_name, ''), coalesce(adm.name, ''), coalesce(adm.user_id, 0),
	coalesce(pd.requested_by, 0)`

const extServiceFrom = `external_services s
	JOIN units u ON u.id = s.unit_id
	LEFT JOIN users ru ON ru.id = s.requested_by
	LEFT JOIN users du ON du.id = s.decided_by
	LEFT JOIN people adm ON adm.id = s.admin_person_id
	LEFT JOIN external_service_decisions pd ON pd.service_id = s.id AND pd.decided_at IS NULL`

func scanExtService(row pgx.Row) (isms.ExternalService, error) {
	var s isms.ExternalService
	err := row.Scan(&s.ID, &s.Number, &s.Name, &s.Provider, &s.Purpose, &s.UnitID, &s.Shared, &s.ContractForm,
		&s.RequestedLevel, &s.ApprovedLevel, &s.Status, &s.ISMAPRegistered, &s.ISMAPNumber, &s.DataLocation,
		&s.GoverningLaw, &s.Jurisdiction, &s.MFA, &s.AuthMethod, &s.UsersScope, &s.AccountCount, &s.RequestedBy, &s.RequestedAt,
		&s.DecidedBy, &s.DecidedAt, &s.ApprovalNumber, &s.DecisionNote, &s.AdminPersonID,
		&s.UseFrom, &s.UseTo, &s.ReviewDue, &s.DataDeletedOn, &s.DataDeletionMethod, &s.Version,
		&s.UnitName, &s.RequestedByName, &s.DecidedByName, &s.AdminName, &s.AdminUserID, &s.PendingBy)
	return s, err
}

// loadExtService reads a service the actor sees; lock holds its row until the transaction ends, so
// that two changes of one service queue.
func loadExtService(ctx context.Context, q querier, actor isms.Actor, id int64, lock bool) (isms.ExternalService, error) {
	args := []any{id}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	query := `SELECT ` + extServiceColumns + ` FROM ` + extServiceFrom + ` WHERE s.id = $1 AND ` + extServiceVisible(actor, arg)
	if lock {
		query += ` FOR UPDATE OF s`
	}
	s, err := scanExtService(q.QueryRow(ctx, query, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return s, isms.Errorf(isms.ENOTFOUND, "external service %d not found", id)
	}
	return s, err
}

// FindExternalService returns one service the actor reads, with its requests and decisions (oldest
// first) and its reviews (newest first).
func (db *DB) FindExternalService(ctx context.Context, actor isms.Actor, id int64) (isms.ExternalService, error) {
	s, err := loadExtService(ctx, db.pool, actor, id, false)
	if err != nil {
		return s, wrap("find external service", err)
	}
	rows, err := db.pool.Query(ctx, `
		SELECT d.id, d.kind, d.requested_level, d.reason, d.requested_by, coalesce(ru.display_name, ''), d.requested_at,
			coalesce(d.outcome, ''), coalesce(d.approved_level, ''), coalesce(p.name, ''), d.approval_number, d.note,
			coalesce(du.display_name, ''), d.decided_at
		FROM external_service_decisions d
		LEFT JOIN users ru ON ru.id = d.requested_by LEFT JOIN users du ON du.id = d.decided_by
		LEFT JOIN people p ON p.id = d.admin_person_id
		WHERE d.service_id = $1 ORDER BY d.id`, id)
	if err == nil {
		s.Decisions, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.ExternalServiceDecision])
	}
	if err != nil {
		return s, wrap("find external service", err)
	}
	rows, err = db.pool.Query(ctx, `
		SELECT r.id, r.reviewed_on, coalesce(ru.display_name, ''), r.result, r.note, r.next_due
		FROM external_service_reviews r LEFT JOIN users ru ON ru.id = r.reviewed_by
		WHERE r.service_id = $1 ORDER BY r.reviewed_on DESC, r.id DESC`, id)
	if err == nil {
		s.Reviews, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.ExternalServiceReview])
	}
	return s, wrap("find external service", err)
}

// FindExternalServices returns a page of the services the actor reads, newest first, and the id to
// continue below (0 on the last page).
func (db *DB) FindExternalServices(ctx context.Context, actor isms.Actor, f isms.ExternalServiceFilter) ([]isms.ExternalService, int64, error) {
	switch {
	case f.Limit <= 0:
		f.Limit = 50
	case f.Limit > 200:
		f.Limit = 200
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	where := []string{extServiceVisible(actor, arg)}
	if f.UnitID != 0 {
		where = append(where, "s.unit_id = "+arg(f.UnitID))
	}
	if f.Status != "" {
		where = append(where, "s.status = "+arg(f.Status))
	}
	if f.Level != "" {
		where = append(where, "coalesce(s.approved_level, s.requested_level) = "+arg(f.Level))
	}
	switch f.ISMAP {
	case "yes":
		where = append(where, "s.ismap_registered")
	case "no":
		where = append(where, "NOT s.ismap_registered")
	}
	if f.Attention {
		where = append(where, "(pd.id IS NOT NULL OR "+extReviewDue("s", arg(actor.Day()))+" OR "+extUndeleted("s")+")")
	}
	if f.Before > 0 {
		where = append(where, "s.id < "+arg(f.Before))
	}
	rows, err := db.pool.Query(ctx, `SELECT `+extServiceColumns+` FROM `+extServiceFrom+`
		WHERE `+strings.Join(where, " AND ")+` ORDER BY s.id DESC LIMIT `+arg(f.Limit+1), args...)
	if err != nil {
		return nil, 0, wrap("find external services", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.ExternalService, error) { return scanExtService(r) })
	if err != nil {
		return nil, 0, wrap("find external services", err)
	}
	var next int64
	if len(list) > f.Limit {
		list = list[:f.Limit]
		next = list[len(list)-1].ID
	}
	return list, next, nil
}

// extReviewDue is the SQL condition that the service of alias s is in use and its review is
// overdue on today (an argument) or due within isms.ReviewSoonDays (external_services_review_idx).
func extReviewDue(s, today string) string {
	return fmt.Sprintf("(%[1]s.status = 'approved' AND %[1]s.review_due <= %[2]s::date + %[3]d)", s, today, isms.ReviewSoonDays)
}

// extUndeleted is the SQL condition that the service of alias s ended without the deletion of its
// data confirmed (external_services_undeleted_idx).
func extUndeleted(s string) string {
	return "(" + s + ".status = 'ended' AND " + s + ".data_deleted_on IS NULL)"
}

// extLevelRank is the rank of a confidentiality level; ok is false for a code that is not one of
// the axis (or, with activeOnly, not of the active scheme).
func extLevelRank(ctx context.Context, q querier, code string, activeOnly bool) (rank int, ok bool, err error) {
	err = q.QueryRow(ctx, `SELECT l.rank FROM classification_levels l JOIN classification_schemes c ON c.code = l.scheme_code
		WHERE l.code = $1 AND l.axis = 'C' AND (c.active OR NOT $2)`, code, activeOnly).Scan(&rank)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	return rank, err == nil, err
}

// extRequestableLevel is the rank of a level a service may be asked for or approved for: one of
// the active scheme's confidentiality levels; field names the form field to refuse otherwise.
func extRequestableLevel(ctx context.Context, q querier, code, field string) (int, error) {
	rank, ok, err := extLevelRank(ctx, q, code, true)
	if err == nil && !ok {
		err = isms.FieldErrors{field: "external_service.error.level"}.Err()
	}
	return rank, err
}

// extChanged writes the audit event of a change of the service id, reading the record after it.
func extChanged(ctx context.Context, tx pgx.Tx, actor isms.Actor, action string, before *isms.ExternalService, id int64) (isms.ExternalService, error) {
	after, err := loadExtService(ctx, tx, isms.SystemActor("read"), id, false)
	if err != nil {
		return after, err
	}
	var b any
	if before != nil {
		b = *before
	}
	return after, appendAudit(ctx, tx, actor, action, "external_service", idString(id), b, after)
}

// CreateExternalService files a use request (利用申請) for a unit the actor keeps records of: the
// service is 申請中 until the unit's 管理者 decides.
func (db *DB) CreateExternalService(ctx context.Context, actor isms.Actor, in isms.ExternalServiceInput) (isms.ExternalService, error) {
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.ExternalService{}, err
	}
	if !actor.SignedIn() {
		return isms.ExternalService{}, isms.Errorf(isms.EFORBIDDEN, "only a person files a use request")
	}
	if !actor.Edits(in.UnitID) {
		return isms.ExternalService{}, isms.FieldErrors{"unit_id": "external_service.error.unit"}.Err()
	}
	var s isms.ExternalService
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := extRequestableLevel(ctx, tx, in.RequestedLevel, "requested_level"); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO external_services (name, provider, purpose, unit_id, shared, contract_form, requested_level,
				ismap_registered, ismap_number, data_location, governing_law, jurisdiction, mfa, auth_method, users_scope,
				account_count, use_from, requested_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
			in.Name, in.Provider, in.Purpose, in.UnitID, in.Shared, in.ContractForm, in.RequestedLevel,
			in.ISMAPRegistered, in.ISMAPNumber, in.DataLocation, in.GoverningLaw, in.Jurisdiction, in.MFA, in.AuthMethod,
			in.UsersScope, in.AccountCount, in.UseFrom, actor.UserID).Scan(&id)
		if isForeignKeyViolation(err) {
			return isms.FieldErrors{"unit_id": "external_service.error.unit"}.Err()
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO external_service_decisions (service_id, kind, requested_level, requested_by)
			VALUES ($1, 'use', $2, $3)`, id, in.RequestedLevel, actor.UserID); err != nil {
			return err
		}
		s, err = extChanged(ctx, tx, actor, "external_service.create", nil, id)
		return err
	})
	return s, wrap("create external service", err)
}

// UpdateExternalService corrects the record of a service asked for or in use. The unit and the
// level asked for change only while the use request waits: once approved, the unit's 管理者 has
// decided for that unit, and a higher level is asked for with RequestExternalServiceLevel.
func (db *DB) UpdateExternalService(ctx context.Context, actor isms.Actor, id int64, in isms.ExternalServiceInput) (isms.ExternalService, error) {
	var after isms.ExternalService
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadExtService(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if !before.MayEdit(actor) {
			return isms.Errorf(isms.EFORBIDDEN, "only those who keep the unit's records edit its services")
		}
		if before.Status != isms.ExtServiceRequested {
			in.UnitID, in.RequestedLevel = before.UnitID, before.RequestedLevel
		}
		in.Normalize()
		if err := in.Validate().Err(); err != nil {
			return err
		}
		if before.Version != in.Version {
			return errConflict("the external service")
		}
		if !actor.Edits(in.UnitID) {
			return isms.FieldErrors{"unit_id": "external_service.error.unit"}.Err()
		}
		if in.RequestedLevel != before.RequestedLevel {
			if _, err := extRequestableLevel(ctx, tx, in.RequestedLevel, "requested_level"); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE external_service_decisions SET requested_level = $2
				WHERE service_id = $1 AND decided_at IS NULL`, id, in.RequestedLevel); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `
			UPDATE external_services SET name = $2, provider = $3, purpose = $4, unit_id = $5, shared = $6,
				contract_form = $7, requested_level = $8, ismap_registered = $9, ismap_number = $10, data_location = $11,
				governing_law = $12, jurisdiction = $13, mfa = $14, auth_method = $15, users_scope = $16,
				account_count = $17, use_from = $18, updated_at = now(), version = version + 1
			WHERE id = $1`, id, in.Name, in.Provider, in.Purpose, in.UnitID, in.Shared, in.ContractForm, in.RequestedLevel,
			in.ISMAPRegistered, in.ISMAPNumber, in.DataLocation, in.GoverningLaw, in.Jurisdiction, in.MFA, in.AuthMethod,
			in.UsersScope, in.AccountCount, in.UseFrom)
		if hasCode(err, "23514") { // external_services_period: begins after it ended
			return isms.FieldErrors{"use_from": "validation.period"}.Err()
		}
		if err != nil {
			return err
		}
		after, err = extChanged(ctx, tx, actor, "external_service.update", &before, id)
		return err
	})
	return after, wrap("update external service", err)
}

// lockExtForManager reads the service whose level the actor is to decide or lower: they must be a
// 管理者 of the service's unit (EFORBIDDEN).
func lockExtForManager(ctx context.Context, tx pgx.Tx, actor isms.Actor, id int64) (isms.ExternalService, error) {
	s, err := loadExtService(ctx, tx, actor, id, true)
	if err != nil {
		return s, err
	}
	if !actor.SignedIn() || !actor.Manages(s.UnitID) {
		return s, isms.Errorf(isms.EFORBIDDEN, "only the unit's 情報セキュリティ管理者 decides on its external services")
	}
	return s, nil
}

// DecideExternalService approves or rejects the request that waits: the use request, or a request
// for a higher level. Only a 管理者 of the service's unit decides (EFORBIDDEN), never on their own
// request (refused beside the decision's note: 兼務の禁止). An approval is for a level no higher than
// asked (and, for a raise, higher than approved before) and names a 外部サービス管理者 in service,
// who is given the unit's EXT_SERVICE_ADMIN role from today unless they hold it; the first review
// falls due a year on unless the form says when. A rejected use request leaves the service 不承認;
// a rejected raise leaves it approved at its level.
func (db *DB) DecideExternalService(ctx context.Context, actor isms.Actor, id int64, d isms.ExternalServiceDecisionInput) (isms.ExternalService, error) {
	d.Normalize()
	if err := d.Validate().Err(); err != nil {
		return isms.ExternalService{}, err
	}
	var after isms.ExternalService
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockExtForManager(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		// Their own request is refused whatever the form showed, so that the page says why.
		if before.Pending() && isms.CheckSeparation(before.PendingBy, actor) != nil {
			return isms.FieldErrors{"note": "external_service.error.own_request"}.Err()
		}
		if !before.Pending() || before.Version != d.Version {
			return errConflict("the external service")
		}
		if !d.Approve {
			return rejectExtService(ctx, tx, actor, before, d.Note, &after)
		}
		if err := checkExtApproval(ctx, tx, actor, before, d); err != nil {
			return err
		}
		reviewDue := d.ReviewDue
		if reviewDue == nil && before.Status == isms.ExtServiceRequested {
			next := actor.Day().AddDate(1, 0, 0)
			reviewDue = &next
		}
		if _, err := tx.Exec(ctx, `
			UPDATE external_services SET status = 'approved', approved_level = $2, requested_level = $2, admin_person_id = $3,
				approval_number = $4, decision_note = $5, review_due = coalesce($6, review_due), decided_by = $7, decided_at = now(),
				updated_at = now(), version = version + 1
			WHERE id = $1`, id, d.Level, d.AdminPersonID, d.ApprovalNumber, d.Note, reviewDue, actor.UserID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE external_service_decisions SET outcome = 'approved', approved_level = $2, admin_person_id = $3,
				approval_number = $4, note = $5, decided_by = $6, decided_at = now()
			WHERE service_id = $1 AND decided_at IS NULL`, id, d.Level, d.AdminPersonID, d.ApprovalNumber, d.Note, actor.UserID); err != nil {
			return err
		}
		action := "external_service.approve"
		if before.Status == isms.ExtServiceApproved {
			action = "external_service.approve_level"
		}
		if after, err = extChanged(ctx, tx, actor, action, &before, id); err != nil {
			return err
		}
		return ensureExtServiceAdmin(ctx, tx, actor, after)
	})
	return after, wrap("decide external service", err)
}

// checkExtApproval checks the level and the 外部サービス管理者 of an approval.
func checkExtApproval(ctx context.Context, tx pgx.Tx, actor isms.Actor, before isms.ExternalService, d isms.ExternalServiceDecisionInput) error {
	rank, err := extRequestableLevel(ctx, tx, d.Level, "level")
	if err != nil {
		return err
	}
	asked, _, err := extLevelRank(ctx, tx, before.RequestedLevel, false)
	if err != nil {
		return err
	}
	fe := isms.FieldErrors{}
	fe.Check(rank <= asked, "level", "external_service.error.level_above_request")
	if before.Status == isms.ExtServiceApproved {
		approved, _, err := extLevelRank(ctx, tx, before.ApprovedLevel, false)
		if err != nil {
			return err
		}
		fe.Check(rank > approved, "level", "external_service.error.level_not_higher")
	}
	var inService bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM people p WHERE p.id = $1 AND `+activeOn("p", "$2")+`)`,
		d.AdminPersonID, actor.Day()).Scan(&inService); err != nil {
		return err
	}
	fe.Check(inService, "admin_person_id", "external_service.error.admin_not_in_service")
	return fe.Err()
}

// rejectExtService rejects the waiting request of before with the reason.
func rejectExtService(ctx context.Context, tx pgx.Tx, actor isms.Actor, before isms.ExternalService, note string, after *isms.ExternalService) error {
	// A rejected use request ends as 不承認; a rejected raise returns to the level approved.
	if _, err := tx.Exec(ctx, `
		UPDATE external_services SET
			status = CASE WHEN status = 'requested' THEN 'rejected' ELSE status END,
			requested_level = coalesce(approved_level, requested_level),
			decided_by = CASE WHEN status = 'requested' THEN $2 ELSE decided_by END,
			decided_at = CASE WHEN status = 'requested' THEN now() ELSE decided_at END,
			decision_note = CASE WHEN status = 'requested' THEN $3 ELSE decision_note END,
			updated_at = now(), version = version + 1
		WHERE id = $1`, before.ID, actor.UserID, note); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE external_service_decisions SET outcome = 'rejected', note = $2, decided_by = $3, decided_at = now()
		WHERE service_id = $1 AND decided_at IS NULL`, before.ID, note, actor.UserID); err != nil {
		return err
	}
	var err error
	*after, err = extChanged(ctx, tx, actor, "external_service.reject", &before, before.ID)
	return err
}

// ensureExtServiceAdmin starts the EXT_SERVICE_ADMIN role of the service's unit for its
// 外部サービス管理者 from today, unless they hold it there today.
func ensureExtServiceAdmin(ctx context.Context, tx pgx.Tx, actor isms.Actor, s isms.ExternalService) error {
	today := actor.Day()
	var holds bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM role_assignments ra
		WHERE ra.person_id = $1 AND ra.role_code = $2 AND ra.unit_id = $3 AND `+activeOn("ra", "$4")+`)`,
		s.AdminPersonID, isms.RoleCodeExtServiceAdmin, s.UnitID, today).Scan(&holds); err != nil || holds {
		return err
	}
	_, err := createAssignment(ctx, tx, actor, isms.AssignmentInput{PersonID: s.AdminPersonID,
		RoleCode: isms.RoleCodeExtServiceAdmin, UnitID: s.UnitID, ValidFrom: &today, Note: s.Number + " " + s.Name})
	return err
}

// RequestExternalServiceLevel asks for a higher level of an approved service: the approval stays
// at its level while the request waits for the unit's 管理者.
func (db *DB) RequestExternalServiceLevel(ctx context.Context, actor isms.Actor, id int64, in isms.ExternalServiceLevelInput) (isms.ExternalService, error) {
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.ExternalService{}, err
	}
	var after isms.ExternalService
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadExtService(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if !before.MayEdit(actor) {
			return isms.Errorf(isms.EFORBIDDEN, "only those who keep the unit's records ask for a level")
		}
		if before.Version != in.Version || before.Status != isms.ExtServiceApproved || before.Pending() {
			return errConflict("the external service")
		}
		rank, err := extRequestableLevel(ctx, tx, in.Level, "level")
		if err != nil {
			return err
		}
		approved, _, err := extLevelRank(ctx, tx, before.ApprovedLevel, false)
		if err != nil {
			return err
		}
		if rank <= approved {
			return isms.FieldErrors{"level": "external_service.error.level_not_higher"}.Err()
		}
		if _, err := tx.Exec(ctx, `UPDATE external_services SET requested_level = $2, updated_at = now(), version = version + 1
			WHERE id = $1`, id, in.Level); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO external_service_decisions (service_id, kind, requested_level, reason, requested_by)
			VALUES ($1, 'raise', $2, $3, $4)`, id, in.Level, in.Reason, actor.UserID); err != nil {
			return err
		}
		after, err = extChanged(ctx, tx, actor, "external_service.request_level", &before, id)
		return err
	})
	return after, wrap("request external service level", err)
}

// LowerExternalServiceLevel is the 管理者's lowering of the level an approved service may handle
// (after a review, a change of the provider's terms …), recorded with its reason as a decision.
func (db *DB) LowerExternalServiceLevel(ctx context.Context, actor isms.Actor, id int64, in isms.ExternalServiceLevelInput) (isms.ExternalService, error) {
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.ExternalService{}, err
	}
	var after isms.ExternalService
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockExtForManager(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version || before.Status != isms.ExtServiceApproved || before.Pending() {
			return errConflict("the external service")
		}
		rank, err := extRequestableLevel(ctx, tx, in.Level, "level")
		if err != nil {
			return err
		}
		approved, _, err := extLevelRank(ctx, tx, before.ApprovedLevel, false)
		if err != nil {
			return err
		}
		if rank >= approved {
			return isms.FieldErrors{"level": "external_service.error.level_not_lower"}.Err()
		}
		// The assets kept in the service stay within what it is approved for (rule V-S1).
		var above bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM assets WHERE external_service_id = $1
			AND status <> 'disposed' AND c_rank >= $2 AND c_rank > $3)`, id, isms.ThresholdRank, rank).Scan(&above); err != nil {
			return err
		}
		if above {
			return isms.FieldErrors{"level": "external_service.error.assets_above"}.Err()
		}
		if _, err := tx.Exec(ctx, `UPDATE external_services SET approved_level = $2, requested_level = $2, updated_at = now(),
			version = version + 1 WHERE id = $1`, id, in.Level); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO external_service_decisions (service_id, kind, requested_level, reason, requested_by, outcome,
				approved_level, admin_person_id, decided_by, decided_at)
			VALUES ($1, 'lower', $2, $3, $4, 'approved', $2, $5, $4, now())`,
			id, in.Level, in.Reason, actor.UserID, before.AdminPersonID); err != nil {
			return err
		}
		after, err = extChanged(ctx, tx, actor, "external_service.lower", &before, id)
		return err
	})
	return after, wrap("lower external service level", err)
}

// lockExtForReview reads the service whose review or end the actor records (EFORBIDDEN for those
// who may not; ECONFLICT for a stale form).
func lockExtForReview(ctx context.Context, tx pgx.Tx, actor isms.Actor, id int64, version int) (isms.ExternalService, error) {
	s, err := loadExtService(ctx, tx, actor, id, true)
	if err != nil {
		return s, err
	}
	if !s.MayReview(actor) {
		return s, isms.Errorf(isms.EFORBIDDEN, "only the unit and the service's 管理者 review it")
	}
	if s.Version != version {
		return s, errConflict("the external service")
	}
	return s, nil
}

// ReviewExternalService records a review (見直し) of a service in use and sets its next review's day.
func (db *DB) ReviewExternalService(ctx context.Context, actor isms.Actor, id int64, in isms.ExternalServiceReviewInput) (isms.ExternalService, error) {
	in.Today = actor.Day()
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.ExternalService{}, err
	}
	var after isms.ExternalService
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockExtForReview(ctx, tx, actor, id, in.Version)
		if err != nil {
			return err
		}
		if before.Status != isms.ExtServiceApproved {
			return errConflict("the external service")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO external_service_reviews (service_id, reviewed_on, reviewed_by, result, note, next_due)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, in.ReviewedOn, actor.UserID, in.Result, in.Note, in.NextDue); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE external_services SET review_due = $2, updated_at = now(), version = version + 1
			WHERE id = $1`, id, in.NextDue); err != nil {
			return err
		}
		after, err = extChanged(ctx, tx, actor, "external_service.review", &before, id)
		return err
	})
	return after, wrap("review external service", err)
}

// EndExternalService ends the use of an approved service on its last day, with the deletion of its
// data at the provider when already confirmed; for a service ended without it, it records the
// deletion (the last day stays). A raise that waits is decided first.
func (db *DB) EndExternalService(ctx context.Context, actor isms.Actor, id int64, in isms.ExternalServiceEndInput) (isms.ExternalService, error) {
	var after isms.ExternalService
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockExtForReview(ctx, tx, actor, id, in.Version)
		if err != nil {
			return err
		}
		action := "external_service.end"
		switch {
		case before.Status == isms.ExtServiceApproved && !before.Pending():
		case before.DeletionPending():
			in.UseTo, action = before.UseTo, "external_service.confirm_deletion"
		default:
			return errConflict("the external service")
		}
		in.Normalize()
		fe := in.Validate()
		fe.Check(action == "external_service.end" || in.DeletedOn != nil, "deleted_on", "validation.required")
		fe.Check(in.UseTo == nil || before.UseFrom == nil || !in.UseTo.Before(*before.UseFrom), "use_to", "validation.period")
		if err := fe.Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE external_services SET status = 'ended', use_to = $2, data_deleted_on = $3,
			data_deletion_method = $4, updated_at = now(), version = version + 1 WHERE id = $1`,
			id, in.UseTo, in.DeletedOn, in.DeletionMethod); err != nil {
			return err
		}
		after, err = extChanged(ctx, tx, actor, action, &before, id)
		return err
	})
	return after, wrap("end external service", err)
}

// --- planning ---

// FindExternalServiceTasks answers the external service tasks of the actor (unitID 0): the
// decisions waiting in the units they manage that someone else asked for, and — for the services
// of those units and those they administer (外部サービス管理者) — the reviews overdue or due within
// isms.ReviewSoonDays and the ends without the deletion of the data confirmed. For a unit the actor
// sees (unitID ≠ 0), the same three of the unit's services.
func (db *DB) FindExternalServiceTasks(ctx context.Context, actor isms.Actor, unitID int64) ([]isms.Task, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	today := arg(actor.Day())
	var decision, other string
	switch {
	case unitID == 0 && actor.SignedIn():
		managed := arg(extIDs(actor.ManagedUnitIDs))
		me := arg(actor.UserID)
		decision = "s.unit_id = ANY(" + managed + ") AND pd.requested_by <> " + me
		other = "(s.unit_id = ANY(" + managed + ") OR adm.user_id = " + me + ")"
	case unitID != 0 && actor.Sees(unitID):
		decision = "s.unit_id = " + arg(unitID)
		other = decision
	default:
		return nil, nil
	}
	tasks, err := db.extServiceTasks(ctx, today, decision, other, args)
	return tasks, wrap("find external service tasks", err)
}

// FindExternalServiceAttention answers every service of the units in the actor's scope (and those
// they administer) that needs action: a decision waiting, a review overdue or due soon, an end
// without the deletion of the data confirmed.
func (db *DB) FindExternalServiceAttention(ctx context.Context, actor isms.Actor) ([]isms.Task, error) {
	if !actor.SignedIn() && !actor.System {
		return nil, nil
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	today := arg(actor.Day())
	scope := "(" + arg(actor.AllUnits) + " OR s.unit_id = ANY(" + arg(extIDs(actor.UnitIDs)) + ") OR adm.user_id = " + arg(actor.UserID) + ")"
	tasks, err := db.extServiceTasks(ctx, today, scope, scope, args)
	return tasks, wrap("find external service attention", err)
}

// extServiceTasks runs the three kinds of task, each narrowed by its condition (decision for the
// decisions waiting, other for the reviews and deletions), soonest due first.
func (db *DB) extServiceTasks(ctx context.Context, today, decision, other string, args []any) ([]isms.Task, error) {
	const head = `SELECT %s, s.number || ' ' || s.name, '/external-services/' || s.id, %s, s.unit_id, u.name
		FROM external_services s JOIN units u ON u.id = s.unit_id LEFT JOIN people adm ON adm.id = s.admin_person_id `
	rows, err := db.pool.Query(ctx,
		fmt.Sprintf(head, "'external_service_decision'", "NULL::date")+
			`JOIN external_service_decisions pd ON pd.service_id = s.id AND pd.decided_at IS NULL WHERE `+decision+`
		UNION ALL `+fmt.Sprintf(head, "'external_service_review'", "s.review_due")+`WHERE `+extReviewDue("s", today)+` AND `+other+`
		UNION ALL `+fmt.Sprintf(head, "'external_service_deletion'", "s.use_to")+`WHERE `+extUndeleted("s")+` AND `+other+`
		ORDER BY 4 NULLS LAST, 2`, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[isms.Task])
}
