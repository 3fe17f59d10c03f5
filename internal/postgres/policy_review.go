package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The reviews of the policy's documents (見直し, domain.md §6.3): the security office schedules
// them — the cycle's review, or one an event calls for — and the reviewer decides: "no change"
// moves the document's next review on by its interval, "revise" opens a draft for the reviewer,
// and the review completes when that draft is published (PublishVersion). The reviews, and what
// each person has to do in the library, feed the planning pages.

const reviewColumns = `r.id, r.document_id, r.reviewer_id, r.due_on, r.reason, coalesce(r.trigger_kind, ''),
	coalesce(r.trigger_id, 0), r.note, r.status, coalesce(r.outcome, ''), r.outcome_note, r.decided_at, r.completed_on,
	coalesce(r.draft_version_id, 0), r.version, d.title, u.display_name`

const reviewFrom = `policy_reviews r JOIN policy_documents d ON d.id = r.document_id JOIN users u ON u.id = r.reviewer_id`

func scanReview(row pgx.Row) (isms.PolicyReview, error) {
	var r isms.PolicyReview
	err := row.Scan(&r.ID, &r.DocumentID, &r.ReviewerID, &r.DueOn, &r.Reason, &r.TriggerKind,
		&r.TriggerID, &r.Note, &r.Status, &r.Outcome, &r.OutcomeNote, &r.DecidedAt, &r.CompletedOn,
		&r.DraftVersionID, &r.Version, &r.DocumentTitle, &r.ReviewerName)
	return r, err
}

func loadReview(ctx context.Context, q querier, docID, reviewID int64, lock bool) (isms.PolicyReview, error) {
	query := `SELECT ` + reviewColumns + ` FROM ` + reviewFrom + ` WHERE r.document_id = $1 AND r.id = $2`
	if lock {
		query += ` FOR UPDATE OF r`
	}
	r, err := scanReview(q.QueryRow(ctx, query, docID, reviewID))
	if errors.Is(err, pgx.ErrNoRows) {
		err = isms.Errorf(isms.ENOTFOUND, "review %d of policy document %d not found", reviewID, docID)
	}
	return r, err
}

// FindPolicyReviews returns the reviews of a document the actor reads, the latest due first.
func (db *DB) FindPolicyReviews(ctx context.Context, actor isms.Actor, docID int64) ([]isms.PolicyReview, error) {
	if _, err := loadDocument(ctx, db.pool, actor, docID, false); err != nil {
		return nil, wrap("find policy reviews", err)
	}
	rows, err := db.pool.Query(ctx, `SELECT `+reviewColumns+` FROM `+reviewFrom+`
		WHERE r.document_id = $1 ORDER BY r.due_on DESC, r.id DESC`, docID)
	if err != nil {
		return nil, wrap("find policy reviews", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.PolicyReview, error) { return scanReview(r) })
	return list, wrap("find policy reviews", err)
}

// FindPolicyReview returns a review of a document the actor reads.
func (db *DB) FindPolicyReview(ctx context.Context, actor isms.Actor, docID, reviewID int64) (isms.PolicyReview, error) {
	if _, err := loadDocument(ctx, db.pool, actor, docID, false); err != nil {
		return isms.PolicyReview{}, wrap("find policy review", err)
	}
	r, err := loadReview(ctx, db.pool, docID, reviewID, false)
	return r, wrap("find policy review", err)
}

// SchedulePolicyReview gives a review of a document to a reviewer with its due day (the security
// office). An event's review names the incident or the audit finding that called for it; an
// incident must exist.
func (db *DB) SchedulePolicyReview(ctx context.Context, actor isms.Actor, docID int64, in isms.PolicyReviewInput) (isms.PolicyReview, error) {
	if err := requirePerm(actor, isms.PermManagePolicies); err != nil {
		return isms.PolicyReview{}, err
	}
	in.Normalize()
	var r isms.PolicyReview
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := loadDocument(ctx, tx, actor, docID, true); err != nil {
			return err
		}
		fe := in.Validate()
		if in.ReviewerID > 0 {
			var active bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND status = 'active' AND role <> 'system_admin')`,
				in.ReviewerID).Scan(&active); err != nil {
				return err
			}
			fe.Check(active, "reviewer", "validation.choose")
		}
		if in.TriggerKind == isms.TriggerIncident && in.TriggerID > 0 {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM incidents WHERE id = $1)`, in.TriggerID).Scan(&exists); err != nil {
				return err
			}
			fe.Check(exists, "trigger_id", "library.error.no_incident")
		}
		if err := fe.Err(); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `
			INSERT INTO policy_reviews (document_id, reviewer_id, due_on, reason, trigger_kind, trigger_id, note, created_by)
			VALUES ($1, $2, $3, $4, nullif($5, ''), nullif($6, 0), $7, nullif($8, 0)) RETURNING id`,
			docID, in.ReviewerID, in.DueOn, in.Reason, in.TriggerKind, in.TriggerID, in.Note, actor.UserID).Scan(&id); err != nil {
			return err
		}
		var err error
		if r, err = loadReview(ctx, tx, docID, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "policy_document.schedule_review", policyEntity, idString(docID), nil, r)
	})
	return r, wrap("schedule policy review", err)
}

// DecidePolicyReview records the reviewer's outcome of an open review (the reviewer alone).
// "No change" completes it on the actor's day and moves the document's next review to its
// interval after that day. "Revise" opens a draft labelled in.Label, copied from the version in
// force (empty when none is), assigned to the reviewer; the review completes when it is published.
func (db *DB) DecidePolicyReview(ctx context.Context, actor isms.Actor, docID, reviewID int64, in isms.PolicyReviewDecision) (isms.PolicyReview, error) {
	in.Normalize()
	var r isms.PolicyReview
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		d, err := loadDocument(ctx, tx, actor, docID, true)
		if err != nil {
			return err
		}
		before, err := loadReview(ctx, tx, docID, reviewID, true)
		if err != nil {
			return err
		}
		if !actor.SignedIn() || before.ReviewerID != actor.UserID {
			return isms.Errorf(isms.EFORBIDDEN, "only the reviewer decides the review")
		}
		if before.Status != isms.ReviewOpen || before.Version != in.Version {
			return errConflict("the review")
		}
		if err := in.Validate().Err(); err != nil {
			return err
		}
		day := actor.Day()
		switch in.Outcome {
		case isms.OutcomeNoChange:
			if _, err := tx.Exec(ctx, `UPDATE policy_reviews SET status = 'completed', outcome = 'no_change', outcome_note = $2,
				decided_at = now(), completed_on = $3, updated_at = now(), version = version + 1 WHERE id = $1`,
				reviewID, in.Note, day); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE policy_documents SET next_review_on = ($2::date + make_interval(months => review_months))::date,
				updated_at = now(), version = version + 1 WHERE id = $1`, docID, day); err != nil {
				return err
			}
		case isms.OutcomeRevise:
			draft := isms.DocumentVersionInput{Label: in.Label}
			if d.PublishedID != 0 {
				if err := tx.QueryRow(ctx, `SELECT body FROM policy_document_versions WHERE id = $1`, d.PublishedID).Scan(&draft.Body); err != nil {
					return err
				}
			}
			id, err := insertDraft(ctx, tx, actor, docID, draft, actor.UserID)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE policy_reviews SET status = 'revising', outcome = 'revise', outcome_note = $2,
				decided_at = now(), draft_version_id = $3, updated_at = now(), version = version + 1 WHERE id = $1`,
				reviewID, in.Note, id); err != nil {
				return err
			}
		}
		if r, err = loadReview(ctx, tx, docID, reviewID, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "policy_document.review_outcome", policyEntity, idString(docID), before, r)
	})
	return r, wrap("decide policy review", err)
}

// FindPolicyTasks returns the policy tasks of the actor (unitID 0): the open reviews given to
// them (review), the drafts they are revising (draft) and, for the CISO and the committee's
// members, the versions in review they may approve — never their own (policy_approval). For a
// unit (unitID ≠ 0, which the actor must see: ENOTFOUND otherwise) they are the reviews not
// completed of the documents the unit owns. Only documents the actor reads count; the due first.
func (db *DB) FindPolicyTasks(ctx context.Context, actor isms.Actor, unitID int64) ([]isms.Task, error) {
	if unitID != 0 && !actor.Sees(unitID) {
		return nil, isms.Errorf(isms.ENOTFOUND, "unit %d not found", unitID)
	}
	var a policyArgs
	visible := policyVisible(actor, &a)
	var query string
	if unitID != 0 {
		query = `SELECT 'review', d.title, '/policies/' || d.id || '/reviews/' || r.id, r.due_on, coalesce(d.owner_unit_id, 0), coalesce(ou.name, '')
			FROM policy_reviews r JOIN policy_documents d ON d.id = r.document_id LEFT JOIN units ou ON ou.id = d.owner_unit_id
			WHERE r.status <> 'completed' AND d.owner_unit_id = ` + a.arg(unitID) + ` AND ` + visible
	} else {
		user := a.arg(actor.UserID)
		query = `SELECT 'review', d.title, '/policies/' || d.id || '/reviews/' || r.id, r.due_on, coalesce(d.owner_unit_id, 0), coalesce(ou.name, '')
			FROM policy_reviews r JOIN policy_documents d ON d.id = r.document_id LEFT JOIN units ou ON ou.id = d.owner_unit_id
			WHERE r.status = 'open' AND r.reviewer_id = ` + user + ` AND ` + visible + `
			UNION ALL
			SELECT 'draft', d.title || ' ' || v.label, '/policies/' || d.id || '/versions/' || v.id, rv.due_on,
				coalesce(d.owner_unit_id, 0), coalesce(ou.name, '')
			FROM policy_document_versions v JOIN policy_documents d ON d.id = v.document_id LEFT JOIN units ou ON ou.id = d.owner_unit_id
			LEFT JOIN policy_reviews rv ON rv.draft_version_id = v.id
			WHERE v.status = 'draft' AND v.assignee_id = ` + user + ` AND ` + visible + `
			UNION ALL
			SELECT 'policy_approval', d.title || ' ' || v.label, '/policies/' || d.id || '/versions/' || v.id, NULL::date,
				coalesce(d.owner_unit_id, 0), coalesce(ou.name, '')
			FROM policy_document_versions v JOIN policy_documents d ON d.id = v.document_id LEFT JOIN units ou ON ou.id = d.owner_unit_id
			WHERE ` + a.arg(isms.MayApprovePolicies(actor)) + ` AND v.status = 'in_review' AND NOT (` + user + ` = ANY(v.editor_ids)) AND ` + visible
	}
	rows, err := db.pool.Query(ctx, `SELECT * FROM (`+query+`) t ORDER BY 4 NULLS LAST, 2`, a...)
	if err != nil {
		return nil, wrap("find policy tasks", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.Task, error) {
		var t isms.Task
		err := r.Scan(&t.Kind, &t.Title, &t.Href, &t.DueOn, &t.UnitID, &t.UnitName)
		return t, err
	})
	return list, wrap("find policy tasks", err)
}

// FindPolicyCalendar returns the review days of fiscal year fy of the documents the actor reads:
// the due days of their reviews, and their next review days.
func (db *DB) FindPolicyCalendar(ctx context.Context, actor isms.Actor, fy int) ([]isms.CalendarEntry, error) {
	start, end := isms.FiscalYearBounds(fy)
	a := policyArgs{start, end}
	visible := policyVisible(actor, &a)
	rows, err := db.pool.Query(ctx, `
		SELECT d.title, '/policies/' || d.id || '/reviews/' || r.id, r.due_on
		FROM policy_reviews r JOIN policy_documents d ON d.id = r.document_id
		WHERE r.due_on BETWEEN $1 AND $2 AND `+visible+`
		UNION ALL
		SELECT d.title, '/policies/' || d.id, d.next_review_on
		FROM policy_documents d
		WHERE d.next_review_on BETWEEN $1 AND $2 AND `+visible+`
		ORDER BY 3, 1`, a...)
	if err != nil {
		return nil, wrap("find policy calendar", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.CalendarEntry, error) {
		e := isms.CalendarEntry{Kind: "review"}
		err := r.Scan(&e.Title, &e.Href, &e.Start)
		return e, err
	})
	return list, wrap("find policy calendar", err)
}
