package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// Requests to transport, provide or dispose of an information asset (V-A2, V-A3). Every method
// finds the asset within the actor's scope in SQL (outside it, the asset and its requests are
// ENOTFOUND, as if they did not exist), then checks what the actor may do there: ask (Edits), decide
// (Manages, never their own request), withdraw (the requester), complete (Edits).

const requestColumns = `r.id, r.asset_id, r.kind, r.detail, r.method, r.planned_on, r.needs_approval,
	r.requested_by, r.requested_at, r.status, coalesce(r.decided_by, 0), r.decided_at, r.decision_note,
	r.done_on, coalesce(r.completed_by, 0), r.completed_at,
	r.disposed_at, r.disposed_by, r.disposal_method, r.evidence, r.version,
	a.number, a.name, a.confidentiality, a.status, a.unit_id, un.name,
	coalesce(ru.display_name, ''), coalesce(du.display_name, ''), coalesce(cu.display_name, '')`

const requestFrom = `asset_requests r
	JOIN assets a ON a.id = r.asset_id
	JOIN units un ON un.id = a.unit_id
	LEFT JOIN users ru ON ru.id = r.requested_by
	LEFT JOIN users du ON du.id = r.decided_by
	LEFT JOIN users cu ON cu.id = r.completed_by`

func scanRequest(row pgx.Row) (isms.AssetRequest, error) {
	var r isms.AssetRequest
	err := row.Scan(&r.ID, &r.AssetID, &r.Kind, &r.Detail, &r.Method, &r.PlannedOn, &r.NeedsApproval,
		&r.RequestedBy, &r.RequestedAt, &r.Status, &r.DecidedBy, &r.DecidedAt, &r.DecisionNote,
		&r.DoneOn, &r.CompletedBy, &r.CompletedAt,
		&r.Disposal.At, &r.Disposal.By, &r.Disposal.Method, &r.Disposal.Evidence, &r.Version,
		&r.AssetNumber, &r.AssetName, &r.AssetC, &r.AssetStatus, &r.UnitID, &r.UnitName,
		&r.RequestedByName, &r.DecidedByName, &r.CompletedByName)
	return r, err
}

func collectRequests(rows pgx.Rows, err error) ([]isms.AssetRequest, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.AssetRequest, error) { return scanRequest(row) })
}

// requestAsset is what the workflow needs of an asset, read with its row locked.
type requestAsset struct {
	unitID int64
	cRank  int
	status isms.AssetStatus
}

// lockRequestAsset reads an asset within the actor's scope and locks its row until the transaction
// ends, so that a disposal and an edit of the asset cannot cross.
func lockRequestAsset(ctx context.Context, tx pgx.Tx, actor isms.Actor, assetID int64) (requestAsset, error) {
	var a requestAsset
	err := tx.QueryRow(ctx, `SELECT unit_id, c_rank, status FROM assets
		WHERE id = $1 AND ($2 OR unit_id = ANY($3)) FOR UPDATE`,
		assetID, actor.AllUnits, actor.UnitIDs).Scan(&a.unitID, &a.cRank, &a.status)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, isms.Errorf(isms.ENOTFOUND, "asset %d not found", assetID)
	}
	return a, err
}

func findRequest(ctx context.Context, q querier, id int64) (isms.AssetRequest, error) {
	r, err := scanRequest(q.QueryRow(ctx, `SELECT `+requestColumns+` FROM `+requestFrom+` WHERE r.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, isms.Errorf(isms.ENOTFOUND, "request %d not found", id)
	}
	return r, err
}

// lockRequest reads a request whose asset is within the actor's scope, locking the asset and the
// request until the transaction ends.
func lockRequest(ctx context.Context, tx pgx.Tx, actor isms.Actor, id int64) (isms.AssetRequest, error) {
	var assetID int64
	err := tx.QueryRow(ctx, `SELECT r.asset_id FROM asset_requests r JOIN assets a ON a.id = r.asset_id
		WHERE r.id = $1 AND ($2 OR a.unit_id = ANY($3))`, id, actor.AllUnits, actor.UnitIDs).Scan(&assetID)
	if errors.Is(err, pgx.ErrNoRows) {
		return isms.AssetRequest{}, isms.Errorf(isms.ENOTFOUND, "request %d not found", id)
	}
	if err != nil {
		return isms.AssetRequest{}, err
	}
	if _, err := lockRequestAsset(ctx, tx, actor, assetID); err != nil {
		return isms.AssetRequest{}, err
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM asset_requests WHERE id = $1 FOR UPDATE`, id); err != nil {
		return isms.AssetRequest{}, err
	}
	return findRequest(ctx, tx, id)
}

// FindAssetRequest returns one request whose asset is within the actor's scope.
func (db *DB) FindAssetRequest(ctx context.Context, actor isms.Actor, id int64) (isms.AssetRequest, error) {
	r, err := scanRequest(db.pool.QueryRow(ctx, `SELECT `+requestColumns+` FROM `+requestFrom+`
		WHERE r.id = $1 AND ($2 OR a.unit_id = ANY($3))`, id, actor.AllUnits, actor.UnitIDs))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, isms.Errorf(isms.ENOTFOUND, "request %d not found", id)
	}
	return r, wrap("find asset request", err)
}

// FindAssetRequests returns the requests of an asset within the actor's scope, newest first (none
// for an asset outside it).
func (db *DB) FindAssetRequests(ctx context.Context, actor isms.Actor, assetID int64) ([]isms.AssetRequest, error) {
	reqs, err := collectRequests(db.pool.Query(ctx, `SELECT `+requestColumns+` FROM `+requestFrom+`
		WHERE r.asset_id = $1 AND ($2 OR a.unit_id = ANY($3)) ORDER BY r.id DESC`,
		assetID, actor.AllUnits, actor.UnitIDs))
	return reqs, wrap("find asset requests", err)
}

// inboxLimit bounds the 管理者's inbox; a section has far fewer open requests.
const inboxLimit = 500

// FindPendingRequests is the inbox of a 管理者: the open requests of the units the actor manages,
// those awaiting a decision first, then the approved ones awaiting completion, oldest first.
func (db *DB) FindPendingRequests(ctx context.Context, actor isms.Actor) ([]isms.AssetRequest, error) {
	if len(actor.ManagedUnitIDs) == 0 {
		return nil, nil
	}
	reqs, err := collectRequests(db.pool.Query(ctx, `SELECT `+requestColumns+` FROM `+requestFrom+`
		WHERE r.status IN ('pending', 'approved') AND a.unit_id = ANY($1)
		ORDER BY r.status = 'pending' DESC, r.id LIMIT $2`, actor.ManagedUnitIDs, inboxLimit))
	return reqs, wrap("find pending requests", err)
}

// CountPendingRequests is how many requests await the actor's decision as a 管理者, for the menu.
// Their own requests do not count: someone else decides them.
func (db *DB) CountPendingRequests(ctx context.Context, actor isms.Actor) (int, error) {
	if len(actor.ManagedUnitIDs) == 0 {
		return 0, nil
	}
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM asset_requests r JOIN assets a ON a.id = r.asset_id
		WHERE r.status = 'pending' AND a.unit_id = ANY($1) AND r.requested_by <> $2`,
		actor.ManagedUnitIDs, actor.UserID).Scan(&n)
	return n, wrap("count pending requests", err)
}

// CreateAssetRequest asks the 管理者 for permission to transport, provide or dispose of an asset at
// 自治体機密性2以上. The actor must be a person who may edit the asset; below 2以上 nothing needs
// asking (a disposal is recorded with RecordDisposal), and a disposed asset takes no requests.
func (db *DB) CreateAssetRequest(ctx context.Context, actor isms.Actor, assetID int64, in isms.AssetRequestInput) (isms.AssetRequest, error) {
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.AssetRequest{}, err
	}
	var r isms.AssetRequest
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := lockRequestAsset(ctx, tx, actor, assetID)
		if err != nil {
			return err
		}
		if !actor.SignedIn() || !actor.Edits(a.unitID) {
			return isms.Errorf(isms.EFORBIDDEN, "only those who keep the asset ask")
		}
		if a.status == isms.AssetDisposed {
			return isms.FieldErrors{"kind": "request.error.disposed"}.Err()
		}
		if !isms.NeedsApproval(a.cRank) {
			if in.Kind == isms.RequestDispose {
				return isms.FieldErrors{"kind": "request.error.record_directly"}.Err()
			}
			return isms.FieldErrors{"kind": "request.error.no_approval_needed"}.Err()
		}
		var id int64
		err = tx.QueryRow(ctx, `
			INSERT INTO asset_requests (asset_id, kind, detail, method, planned_on, needs_approval, requested_by)
			VALUES ($1, $2, $3, $4, $5, true, $6) RETURNING id`,
			assetID, in.Kind, in.Detail, in.Method, in.PlannedOn, actor.UserID).Scan(&id)
		if isUniqueViolation(err) {
			return isms.FieldErrors{"kind": "request.error.open_disposal"}.Err()
		}
		if err != nil {
			return err
		}
		if r, err = findRequest(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "asset_request.create", "asset_request", idString(id), nil, r)
	})
	return r, wrap("create asset request", err)
}

// DecideAssetRequest approves or refuses a pending request. Only a 管理者 of the asset's unit
// decides (EFORBIDDEN otherwise; outside their scope the request is ENOTFOUND), and never on their
// own request: that is refused as a field error on the decision's note, so that the page says why
// beside the form (兼務の禁止). A decided or withdrawn request, or a stale version, is ECONFLICT.
func (db *DB) DecideAssetRequest(ctx context.Context, actor isms.Actor, id int64, d isms.RequestDecision) (isms.AssetRequest, error) {
	d.Normalize()
	if err := d.Validate().Err(); err != nil {
		return isms.AssetRequest{}, err
	}
	var after isms.AssetRequest
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockRequest(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !actor.SignedIn() || !actor.Manages(before.UnitID) {
			return isms.Errorf(isms.EFORBIDDEN, "only the unit's 情報セキュリティ管理者 decides")
		}
		if isms.CheckSeparation(before.RequestedBy, actor) != nil {
			return isms.FieldErrors{"note": "request.error.own_request"}.Err()
		}
		if before.Version != d.Version || before.Status != isms.RequestPending {
			return errConflict("the request")
		}
		if before.AssetStatus == isms.AssetDisposed {
			return isms.FieldErrors{"note": "request.error.disposed"}.Err()
		}
		status, action := isms.RequestRefused, "asset_request.refuse"
		if d.Approve {
			status, action = isms.RequestApproved, "asset_request.approve"
		}
		if _, err := tx.Exec(ctx, `
			UPDATE asset_requests SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4,
				updated_at = now(), version = version + 1
			WHERE id = $1`, id, status, actor.UserID, d.Note); err != nil {
			return err
		}
		if after, err = findRequest(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, action, "asset_request", idString(id), before, after)
	})
	return after, wrap("decide asset request", err)
}

// WithdrawAssetRequest withdraws a pending request: only the person who asked may.
func (db *DB) WithdrawAssetRequest(ctx context.Context, actor isms.Actor, id int64, version int) (isms.AssetRequest, error) {
	var after isms.AssetRequest
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockRequest(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !actor.SignedIn() || before.RequestedBy != actor.UserID {
			return isms.Errorf(isms.EFORBIDDEN, "only the requester withdraws a request")
		}
		if before.Version != version || before.Status != isms.RequestPending {
			return errConflict("the request")
		}
		after, err = setWithdrawn(ctx, tx, actor, before)
		return err
	})
	return after, wrap("withdraw asset request", err)
}

// setWithdrawn marks a request withdrawn; the audit trail says by whom.
func setWithdrawn(ctx context.Context, tx pgx.Tx, actor isms.Actor, before isms.AssetRequest) (isms.AssetRequest, error) {
	if _, err := tx.Exec(ctx, `
		UPDATE asset_requests SET status = 'withdrawn', updated_at = now(), version = version + 1
		WHERE id = $1`, before.ID); err != nil {
		return isms.AssetRequest{}, err
	}
	after, err := findRequest(ctx, tx, before.ID)
	if err != nil {
		return after, err
	}
	return after, appendAudit(ctx, tx, actor, "asset_request.withdraw", "asset_request", idString(before.ID), before, after)
}

// CompleteAssetRequest records that an approved request was done: the day of a transport or a
// provision, or the disposal record of a disposal (V-A3), which sets the asset 廃棄済 in the same
// transaction. Those who may edit the asset record it.
func (db *DB) CompleteAssetRequest(ctx context.Context, actor isms.Actor, id int64, c isms.RequestCompletion) (isms.AssetRequest, error) {
	c.Normalize()
	var after isms.AssetRequest
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockRequest(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !actor.SignedIn() || !actor.Edits(before.UnitID) {
			return isms.Errorf(isms.EFORBIDDEN, "only those who keep the asset record its handling")
		}
		if err := c.Validate(before.Kind).Err(); err != nil {
			return err
		}
		if before.Version != c.Version || before.Status != isms.RequestApproved || before.AssetStatus == isms.AssetDisposed {
			return errConflict("the request")
		}
		if _, err := tx.Exec(ctx, `
			UPDATE asset_requests SET status = 'completed', completed_by = $2, completed_at = now(), done_on = $3,
				disposed_at = $4, disposed_by = $5, disposal_method = $6, evidence = $7, updated_at = now(), version = version + 1
			WHERE id = $1`, id, actor.UserID, c.DoneOn, c.Disposal.At, c.Disposal.By, c.Disposal.Method, c.Disposal.Evidence); err != nil {
			return err
		}
		if after, err = findRequest(ctx, tx, id); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, actor, "asset_request.complete", "asset_request", idString(id), before, after); err != nil {
			return err
		}
		if before.Kind != isms.RequestDispose {
			return nil
		}
		if err := disposeAsset(ctx, tx, actor, before.AssetID, id); err != nil {
			return err
		}
		after, err = findRequest(ctx, tx, id)
		return err
	})
	return after, wrap("complete asset request", err)
}

// RecordDisposal records the disposal of an asset below 自治体機密性2以上, which needs no approval:
// the request is created completed, with its disposal record, and the asset set 廃棄済. An asset
// at 2以上 must be asked for first (CreateAssetRequest).
func (db *DB) RecordDisposal(ctx context.Context, actor isms.Actor, assetID int64, in isms.AssetRequestInput, c isms.RequestCompletion) (isms.AssetRequest, error) {
	in.Kind = isms.RequestDispose
	in.Normalize()
	c.Normalize()
	fe := in.Validate()
	for field, key := range c.Validate(isms.RequestDispose) {
		fe.Check(false, field, key)
	}
	if err := fe.Err(); err != nil {
		return isms.AssetRequest{}, err
	}
	var r isms.AssetRequest
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := lockRequestAsset(ctx, tx, actor, assetID)
		if err != nil {
			return err
		}
		if !actor.SignedIn() || !actor.Edits(a.unitID) {
			return isms.Errorf(isms.EFORBIDDEN, "only those who keep the asset record its disposal")
		}
		if a.status == isms.AssetDisposed {
			return isms.FieldErrors{"kind": "request.error.disposed"}.Err()
		}
		if isms.NeedsApproval(a.cRank) {
			return isms.FieldErrors{"kind": "request.error.needs_approval"}.Err()
		}
		var id int64
		err = tx.QueryRow(ctx, `
			INSERT INTO asset_requests (asset_id, kind, detail, method, planned_on, needs_approval, requested_by,
				status, completed_by, completed_at, disposed_at, disposed_by, disposal_method, evidence)
			VALUES ($1, 'dispose', $2, $3, $4, false, $5, 'completed', $5, now(), $6, $7, $8, $9) RETURNING id`,
			assetID, in.Detail, in.Method, in.PlannedOn, actor.UserID,
			c.Disposal.At, c.Disposal.By, c.Disposal.Method, c.Disposal.Evidence).Scan(&id)
		if isUniqueViolation(err) {
			return isms.FieldErrors{"kind": "request.error.open_disposal"}.Err()
		}
		if err != nil {
			return err
		}
		if r, err = findRequest(ctx, tx, id); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, actor, "asset_request.complete", "asset_request", idString(id), nil, r); err != nil {
			return err
		}
		if err := disposeAsset(ctx, tx, actor, assetID, id); err != nil {
			return err
		}
		r, err = findRequest(ctx, tx, id)
		return err
	})
	return r, wrap("record disposal", err)
}

// disposeAsset sets an asset 廃棄済 after its disposal record was written: the only place its status
// becomes so. The asset's other open requests are withdrawn, since there is nothing left to move.
func disposeAsset(ctx context.Context, tx pgx.Tx, actor isms.Actor, assetID, requestID int64) error {
	var before, after struct {
		Status  isms.AssetStatus `json:"status"`
		Version int              `json:"version"`
	}
	err := tx.QueryRow(ctx, `SELECT status, version FROM assets WHERE id = $1`, assetID).Scan(&before.Status, &before.Version)
	if err != nil {
		return err
	}
	err = tx.QueryRow(ctx, `UPDATE assets SET status = 'disposed', updated_at = now(), version = version + 1
		WHERE id = $1 RETURNING status, version`, assetID).Scan(&after.Status, &after.Version)
	if err != nil {
		return err
	}
	record := struct {
		Status         isms.AssetStatus `json:"status"`
		Version        int              `json:"version"`
		DisposalRecord int64            `json:"disposal_request_id"`
	}{after.Status, after.Version, requestID}
	if err := appendAudit(ctx, tx, actor, "asset.dispose", "asset", idString(assetID), before, record); err != nil {
		return err
	}
	open, err := collectRequests(tx.Query(ctx, `SELECT `+requestColumns+` FROM `+requestFrom+`
		WHERE r.asset_id = $1 AND r.id <> $2 AND r.status IN ('pending', 'approved') ORDER BY r.id`, assetID, requestID))
	if err != nil {
		return err
	}
	for _, o := range open {
		if _, err := setWithdrawn(ctx, tx, actor, o); err != nil {
			return err
		}
	}
	return nil
}
