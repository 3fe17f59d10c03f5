package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The policy library (domain.md §9): documents, their versions and PDFs. Who reads a document is
// decided in SQL (policyVisible): a restricted one (関係者限り) does not exist (ENOTFOUND) for
// anyone outside its readers. Versions not yet published are work in progress, seen only by those
// who write, approve or oversee them (versionVisible). Every change appends its audit event under
// the entity "policy_document" and the document's id, so that a document's whole history — its
// versions, approvals, publications and reviews — reads in one place.

const policyEntity = "policy_document"

// policyHref is the library page of a document: the link staff follow from their confirmation.
func policyHref(id int64) string { return fmt.Sprintf("/policies/%d", id) }

// policyArgs builds a query's parameters: arg appends a value and names its placeholder.
type policyArgs []any

func (a *policyArgs) arg(v any) string {
	*a = append(*a, v)
	return fmt.Sprintf("$%d", len(*a))
}

// policyVisible is the SQL condition that the actor reads the document of alias d: any document
// that is not restricted; a restricted one for those who oversee the policy, the staff and the
// 管理者 of its reader units and of the unit that owns it, the holders of its reader roles, and
// the reviewers of its reviews (who must read what they review).
func policyVisible(actor isms.Actor, a *policyArgs) string {
	managed := actor.ManagedUnitIDs
	if managed == nil {
		managed = []int64{}
	}
	held := make([]string, 0, len(actor.HeldRoles))
	for _, r := range actor.HeldRoles {
		held = append(held, string(r))
	}
	unit, user := a.arg(actor.UnitID), a.arg(actor.UserID)
	return "(" + a.arg(isms.SeesAllPolicies(actor)) + " OR d.visibility <> 'restricted'" +
		" OR d.owner_unit_id = " + unit + " OR d.owner_unit_id = ANY(" + a.arg(managed) + ")" +
		" OR EXISTS (SELECT 1 FROM policy_document_units x WHERE x.document_id = d.id AND (x.unit_id = " + unit +
		" OR x.unit_id = ANY(" + a.arg(managed) + ")))" +
		" OR EXISTS (SELECT 1 FROM policy_document_roles x WHERE x.document_id = d.id AND x.role_code = ANY(" + a.arg(held) + "))" +
		" OR EXISTS (SELECT 1 FROM policy_reviews x WHERE x.document_id = d.id AND x.reviewer_id = " + user + "))"
}

// versionVisible is the SQL condition that the actor sees the version of alias v (of the document
// d the actor reads): published and superseded versions for every reader; drafts and versions
// in review or approved for those who oversee or approve, the version's assignee, and the
// reviewers of the document.
func versionVisible(actor isms.Actor, a *policyArgs) string {
	user := a.arg(actor.UserID)
	return "(v.status IN ('published', 'superseded') OR " + a.arg(isms.SeesAllPolicies(actor) || isms.MayApprovePolicies(actor)) +
		" OR v.assignee_id = " + user +
		" OR EXISTS (SELECT 1 FROM policy_reviews x WHERE x.document_id = v.document_id AND x.reviewer_id = " + user + "))"
}

// documentColumns are read by every query returning isms.PolicyDocument; the reviews are counted
// on the day of parameter day.
func documentColumns(day string) string {
	return `d.id, d.kind, d.title, d.visibility, coalesce(d.owner_unit_id, 0), coalesce(ou.name, ''), d.review_months,
	d.next_review_on, d.must_acknowledge, d.version,
	ARRAY(SELECT x.unit_id FROM policy_document_units x JOIN units u ON u.id = x.unit_id WHERE x.document_id = d.id ORDER BY u.code, u.id),
	ARRAY(SELECT u.name FROM policy_document_units x JOIN units u ON u.id = x.unit_id WHERE x.document_id = d.id ORDER BY u.code, u.id),
	ARRAY(SELECT x.role_code FROM policy_document_roles x JOIN security_roles r ON r.code = x.role_code
		WHERE x.document_id = d.id ORDER BY r.sort_order),
	coalesce(p.id, 0), coalesce(p.label, ''), p.effective_on,
	(SELECT count(*) FROM policy_reviews r WHERE r.document_id = d.id AND r.status <> 'completed'),
	(SELECT count(*) FROM policy_reviews r WHERE r.document_id = d.id AND r.status <> 'completed' AND r.due_on < ` + day + `::date)`
}

const documentFrom = `policy_documents d
	LEFT JOIN units ou ON ou.id = d.owner_unit_id
	LEFT JOIN policy_document_versions p ON p.document_id = d.id AND p.status = 'published'`

func scanDocument(row pgx.Row) (isms.PolicyDocument, error) {
	var d isms.PolicyDocument
	var roles []string
	err := row.Scan(&d.ID, &d.Kind, &d.Title, &d.Visibility, &d.OwnerUnitID, &d.OwnerUnitName, &d.ReviewMonths,
		&d.NextReviewOn, &d.MustAcknowledge, &d.Version, &d.ReaderUnitIDs, &d.ReaderUnitNames, &roles,
		&d.PublishedID, &d.PublishedLabel, &d.PublishedOn, &d.OpenReviews, &d.OverdueReviews)
	for _, r := range roles {
		d.ReaderRoles = append(d.ReaderRoles, isms.SecurityRoleCode(r))
	}
	return d, err
}

// loadDocument reads a document the actor reads; lock holds its row until the transaction ends,
// so that the changes of one document (publications above all) queue.
func loadDocument(ctx context.Context, q querier, actor isms.Actor, id int64, lock bool) (isms.PolicyDocument, error) {
	a := policyArgs{id}
	query := `SELECT ` + documentColumns(a.arg(actor.Day())) + ` FROM ` + documentFrom + ` WHERE d.id = $1 AND ` + policyVisible(actor, &a)
	if lock {
		query += ` FOR UPDATE OF d`
	}
	d, err := scanDocument(q.QueryRow(ctx, query, a...))
	if errors.Is(err, pgx.ErrNoRows) {
		return d, isms.Errorf(isms.ENOTFOUND, "policy document %d not found", id)
	}
	return d, err
}

// FindPolicyDocumentKinds returns the kinds of document in the town's order.
func (db *DB) FindPolicyDocumentKinds(ctx context.Context) ([]isms.PolicyDocumentKind, error) {
	rows, err := db.pool.Query(ctx, `SELECT code, name_ja, name_en, default_visibility, default_acknowledge
		FROM policy_document_kinds ORDER BY sort_order, code`)
	if err != nil {
		return nil, wrap("find policy document kinds", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.PolicyDocumentKind, error) {
		var k isms.PolicyDocumentKind
		err := r.Scan(&k.Code, &k.NameJa, &k.NameEn, &k.DefaultVisibility, &k.DefaultAcknowledge)
		return k, err
	})
	return list, wrap("find policy document kinds", err)
}

// FindPolicyDocuments returns the documents the actor reads, by kind and title.
func (db *DB) FindPolicyDocuments(ctx context.Context, actor isms.Actor, f isms.PolicyDocumentFilter) ([]isms.PolicyDocument, error) {
	var a policyArgs
	day := a.arg(actor.Day())
	query := `SELECT ` + documentColumns(day) + ` FROM ` + documentFrom + `
		JOIN policy_document_kinds k ON k.code = d.kind WHERE ` + policyVisible(actor, &a)
	if f.Kind != "" {
		query += ` AND d.kind = ` + a.arg(f.Kind)
	}
	if f.NeedsReview {
		// As isms.PolicyDocument.NeedsReview says: a review overdue, or the review day passed with
		// no review under way.
		query += ` AND (EXISTS (SELECT 1 FROM policy_reviews r WHERE r.document_id = d.id AND r.status <> 'completed' AND r.due_on < ` + day + `::date)
			OR (d.next_review_on < ` + day + `::date AND NOT EXISTS (SELECT 1 FROM policy_reviews r WHERE r.document_id = d.id AND r.status <> 'completed')))`
	}
	rows, err := db.pool.Query(ctx, query+` ORDER BY k.sort_order, d.title, d.id`, a...)
	if err != nil {
		return nil, wrap("find policy documents", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.PolicyDocument, error) { return scanDocument(r) })
	return list, wrap("find policy documents", err)
}

// FindPolicyDocument returns a document the actor reads; ENOTFOUND for any other.
func (db *DB) FindPolicyDocument(ctx context.Context, actor isms.Actor, id int64) (isms.PolicyDocument, error) {
	d, err := loadDocument(ctx, db.pool, actor, id, false)
	return d, wrap("find policy document", err)
}

// checkDocumentInput validates a document's form against the town's kinds, units and roles.
func checkDocumentInput(ctx context.Context, q querier, in isms.PolicyDocumentInput) error {
	var kinds []string
	if err := q.QueryRow(ctx, `SELECT coalesce(array_agg(code), '{}') FROM policy_document_kinds`).Scan(&kinds); err != nil {
		return err
	}
	fe := in.Validate(kinds)
	units := append([]int64{in.OwnerUnitID}, in.ReaderUnitIDs...)
	if in.OwnerUnitID == 0 {
		units = in.ReaderUnitIDs
	}
	var known int
	if err := q.QueryRow(ctx, `SELECT count(*) FROM units WHERE id = ANY($1)`, units).Scan(&known); err != nil {
		return err
	}
	if known != countDistinct(units) {
		fe.Check(false, "readers", "validation.choose")
	}
	roles := make([]string, 0, len(in.ReaderRoles))
	for _, r := range in.ReaderRoles {
		roles = append(roles, string(r))
	}
	if err := q.QueryRow(ctx, `SELECT count(*) FROM security_roles WHERE code = ANY($1)`, roles).Scan(&known); err != nil {
		return err
	}
	if known != len(roles) {
		fe.Check(false, "readers", "validation.choose")
	}
	return fe.Err()
}

func countDistinct(ids []int64) int {
	seen := map[int64]bool{}
	for _, id := range ids {
		seen[id] = true
	}
	return len(seen)
}

// saveReaders replaces the reader units and roles of a document.
func saveReaders(ctx context.Context, tx pgx.Tx, id int64, in isms.PolicyDocumentInput) error {
	roles := make([]string, 0, len(in.ReaderRoles))
	for _, r := range in.ReaderRoles {
		roles = append(roles, string(r))
	}
	for _, stmt := range []string{
		`DELETE FROM policy_document_units WHERE document_id = $1`,
		`DELETE FROM policy_document_roles WHERE document_id = $1`,
	} {
		if _, err := tx.Exec(ctx, stmt, id); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO policy_document_units (document_id, unit_id)
		SELECT $1, u FROM unnest($2::bigint[]) u ON CONFLICT DO NOTHING`, id, in.ReaderUnitIDs); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO policy_document_roles (document_id, role_code)
		SELECT $1, r FROM unnest($2::text[]) r ON CONFLICT DO NOTHING`, id, roles)
	return err
}

// CreatePolicyDocument registers a document (the security office).
func (db *DB) CreatePolicyDocument(ctx context.Context, actor isms.Actor, in isms.PolicyDocumentInput) (isms.PolicyDocument, error) {
	if err := requirePerm(actor, isms.PermManagePolicies); err != nil {
		return isms.PolicyDocument{}, err
	}
	in.Normalize()
	var d isms.PolicyDocument
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkDocumentInput(ctx, tx, in); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `
			INSERT INTO policy_documents (kind, title, visibility, owner_unit_id, review_months, next_review_on, must_acknowledge, created_by)
			VALUES ($1, $2, $3, nullif($4, 0), $5, $6, $7, nullif($8, 0)) RETURNING id`,
			in.Kind, in.Title, in.Visibility, in.OwnerUnitID, in.ReviewMonths, in.NextReviewOn, in.MustAcknowledge, actor.UserID).Scan(&id); err != nil {
			return err
		}
		if err := saveReaders(ctx, tx, id, in); err != nil {
			return err
		}
		var err error
		if d, err = loadDocument(ctx, tx, actor, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "policy_document.create", policyEntity, idString(id), nil, d)
	})
	return d, wrap("create policy document", err)
}

// UpdatePolicyDocument changes a document's particulars (the security office); a stale version
// is ECONFLICT.
func (db *DB) UpdatePolicyDocument(ctx context.Context, actor isms.Actor, id int64, in isms.PolicyDocumentInput) (isms.PolicyDocument, error) {
	if err := requirePerm(actor, isms.PermManagePolicies); err != nil {
		return isms.PolicyDocument{}, err
	}
	in.Normalize()
	var d isms.PolicyDocument
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadDocument(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return errConflict("the document")
		}
		if err := checkDocumentInput(ctx, tx, in); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE policy_documents SET kind = $2, title = $3, visibility = $4, owner_unit_id = nullif($5, 0), review_months = $6,
				next_review_on = $7, must_acknowledge = $8, updated_at = now(), version = version + 1
			WHERE id = $1`,
			id, in.Kind, in.Title, in.Visibility, in.OwnerUnitID, in.ReviewMonths, in.NextReviewOn, in.MustAcknowledge); err != nil {
			return err
		}
		if err := saveReaders(ctx, tx, id, in); err != nil {
			return err
		}
		if d, err = loadDocument(ctx, tx, actor, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "policy_document.update", policyEntity, idString(id), before, d)
	})
	return d, wrap("update policy document", err)
}

const versionColumns = `v.id, v.document_id, v.label, v.status, v.body, v.change_summary, v.editor_ids,
	coalesce(v.assignee_id, 0), coalesce(asg.display_name, ''), v.submitted_at, v.approved_at, coalesce(v.approved_by, 0),
	coalesce(apr.display_name, ''), v.approved_by_committee, v.committee_meeting_on, v.approval_note, v.published_at,
	v.effective_on, v.superseded_at, v.created_at, v.updated_at, v.version,
	att.file_name, coalesce(att.size, 0), att.uploaded_at,
	coalesce((SELECT r.id FROM policy_reviews r WHERE r.draft_version_id = v.id), 0)`

const versionFrom = `policy_document_versions v
	LEFT JOIN users asg ON asg.id = v.assignee_id
	LEFT JOIN users apr ON apr.id = v.approved_by
	LEFT JOIN policy_version_attachments att ON att.version_id = v.id`

func scanVersion(row pgx.Row) (isms.DocumentVersion, error) {
	var v isms.DocumentVersion
	var fileName *string
	var size int
	var uploaded *time.Time
	err := row.Scan(&v.ID, &v.DocumentID, &v.Label, &v.Status, &v.Body, &v.ChangeSummary, &v.EditorIDs,
		&v.AssigneeID, &v.AssigneeName, &v.SubmittedAt, &v.ApprovedAt, &v.ApprovedBy,
		&v.ApprovedByName, &v.ApprovedByCommittee, &v.CommitteeMeetingOn, &v.ApprovalNote, &v.PublishedAt,
		&v.EffectiveOn, &v.SupersededAt, &v.CreatedAt, &v.UpdatedAt, &v.Version,
		&fileName, &size, &uploaded, &v.ReviewID)
	if fileName != nil && uploaded != nil {
		v.Attachment = &isms.AttachmentInfo{FileName: *fileName, Size: size, UploadedAt: *uploaded}
	}
	return v, err
}

// loadVersion reads version versionID of the document docID, which the actor reads, as the actor
// sees it; lock holds its row.
func loadVersion(ctx context.Context, q querier, actor isms.Actor, docID, versionID int64, lock bool) (isms.DocumentVersion, error) {
	a := policyArgs{docID, versionID}
	query := `SELECT ` + versionColumns + ` FROM ` + versionFrom + ` WHERE v.document_id = $1 AND v.id = $2 AND ` + versionVisible(actor, &a)
	if lock {
		query += ` FOR UPDATE OF v`
	}
	v, err := scanVersion(q.QueryRow(ctx, query, a...))
	if errors.Is(err, pgx.ErrNoRows) {
		return v, isms.Errorf(isms.ENOTFOUND, "version %d of policy document %d not found", versionID, docID)
	}
	return v, err
}

// FindDocumentVersions returns the versions of a document the actor sees, newest first.
func (db *DB) FindDocumentVersions(ctx context.Context, actor isms.Actor, docID int64) ([]isms.DocumentVersion, error) {
	if _, err := loadDocument(ctx, db.pool, actor, docID, false); err != nil {
		return nil, wrap("find document versions", err)
	}
	a := policyArgs{docID}
	rows, err := db.pool.Query(ctx, `SELECT `+versionColumns+` FROM `+versionFrom+`
		WHERE v.document_id = $1 AND `+versionVisible(actor, &a)+` ORDER BY v.id DESC`, a...)
	if err != nil {
		return nil, wrap("find document versions", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.DocumentVersion, error) { return scanVersion(r) })
	return list, wrap("find document versions", err)
}

// FindDocumentVersion returns a version of a document; ENOTFOUND when the actor does not read the
// document or see the version.
func (db *DB) FindDocumentVersion(ctx context.Context, actor isms.Actor, docID, versionID int64) (isms.DocumentVersion, error) {
	if _, err := loadDocument(ctx, db.pool, actor, docID, false); err != nil {
		return isms.DocumentVersion{}, wrap("find document version", err)
	}
	v, err := loadVersion(ctx, db.pool, actor, docID, versionID, false)
	return v, wrap("find document version", err)
}

// MayAuthorPolicy reports whether the actor writes versions of the document and submits them for
// review: the security office, and the reviewer of a review of the document not yet completed.
func (db *DB) MayAuthorPolicy(ctx context.Context, actor isms.Actor, docID int64) (bool, error) {
	ok, err := mayAuthor(ctx, db.pool, actor, docID)
	return ok, wrap("may author policy", err)
}

func mayAuthor(ctx context.Context, q querier, actor isms.Actor, docID int64) (bool, error) {
	if actor.Can(isms.PermManagePolicies) {
		return true, nil
	}
	if !actor.SignedIn() {
		return false, nil
	}
	var ok bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM policy_reviews
		WHERE document_id = $1 AND reviewer_id = $2 AND status <> 'completed')`, docID, actor.UserID).Scan(&ok)
	return ok, err
}

// requireAuthor is EFORBIDDEN for an actor who does not write versions of the document.
func requireAuthor(ctx context.Context, q querier, actor isms.Actor, docID int64) error {
	ok, err := mayAuthor(ctx, q, actor, docID)
	if err == nil && !ok {
		err = isms.Errorf(isms.EFORBIDDEN, "only the security office and the document's reviewers write its versions")
	}
	return err
}

// labelTaken turns the unique violation of a version's label into the error beside its field.
func labelTaken(err error, field string) error {
	if isUniqueViolation(err) {
		return isms.FieldErrors{field: "library.error.label_taken"}.Err()
	}
	return err
}

// insertDraft adds a draft written by the actor (its first editor); assignee is the reviewer
// revising the document, 0 for a draft of the security office's.
func insertDraft(ctx context.Context, tx pgx.Tx, actor isms.Actor, docID int64, in isms.DocumentVersionInput, assignee int64) (int64, error) {
	editors := []int64{}
	if actor.UserID != 0 {
		editors = append(editors, actor.UserID)
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO policy_document_versions (document_id, label, body, change_summary, editor_ids, assignee_id, created_by)
		VALUES ($1, $2, $3, $4, $5, nullif($6, 0), nullif($7, 0)) RETURNING id`,
		docID, in.Label, in.Body, in.ChangeSummary, editors, assignee, actor.UserID).Scan(&id)
	return id, labelTaken(err, "label")
}

// CreateDraft opens a draft version of a document (its authors: the security office, the reviewer
// of a review under way, who is its assignee).
func (db *DB) CreateDraft(ctx context.Context, actor isms.Actor, docID int64, in isms.DocumentVersionInput) (isms.DocumentVersion, error) {
	in.Normalize()
	var v isms.DocumentVersion
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := loadDocument(ctx, tx, actor, docID, true); err != nil {
			return err
		}
		if err := requireAuthor(ctx, tx, actor, docID); err != nil {
			return err
		}
		if err := in.Validate().Err(); err != nil {
			return err
		}
		var assignee int64
		if !actor.Can(isms.PermManagePolicies) {
			assignee = actor.UserID
		}
		id, err := insertDraft(ctx, tx, actor, docID, in, assignee)
		if err != nil {
			return err
		}
		if v, err = loadVersion(ctx, tx, actor, docID, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "policy_document.draft", policyEntity, idString(docID), nil, v)
	})
	return v, wrap("create draft", err)
}

// changeVersion runs one change of a version: the document (locked, ENOTFOUND when the actor
// does not read it) and the version (locked, as the actor sees it) are read; change checks who
// may, the status and the form's version, and writes; the version as it became goes to the trail
// with what it was.
func (db *DB) changeVersion(ctx context.Context, actor isms.Actor, docID, versionID int64, action string,
	change func(tx pgx.Tx, d isms.PolicyDocument, v isms.DocumentVersion) error) (isms.DocumentVersion, error) {
	var after isms.DocumentVersion
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		d, err := loadDocument(ctx, tx, actor, docID, true)
		if err != nil {
			return err
		}
		before, err := loadVersion(ctx, tx, actor, docID, versionID, true)
		if err != nil {
			return err
		}
		if err := change(tx, d, before); err != nil {
			return err
		}
		if action == "policy_document.delete_draft" {
			return appendAudit(ctx, tx, actor, action, policyEntity, idString(docID), before, nil)
		}
		if after, err = loadVersion(ctx, tx, actor, docID, versionID, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, action, policyEntity, idString(docID), before, after)
	})
	return after, wrap(action, err)
}

// expect is ECONFLICT unless the version is in status and at the form's version: the page the
// form came from is out of date.
func expect(v isms.DocumentVersion, status isms.DocumentVersionStatus, version int) error {
	if v.Status != status || v.Version != version {
		return errConflict("the version")
	}
	return nil
}

// addEditor is the SQL of editor_ids with the actor in parameter $2 added (once; never the portal
// itself).
const addEditor = `CASE WHEN $2::bigint = 0 OR $2::bigint = ANY(editor_ids) THEN editor_ids ELSE editor_ids || $2::bigint END`

// UpdateDraft saves a draft's label, body and summary (its authors).
func (db *DB) UpdateDraft(ctx context.Context, actor isms.Actor, docID, versionID int64, in isms.DocumentVersionInput) (isms.DocumentVersion, error) {
	in.Normalize()
	return db.changeVersion(ctx, actor, docID, versionID, "policy_document.edit_draft", func(tx pgx.Tx, d isms.PolicyDocument, v isms.DocumentVersion) error {
		if err := requireAuthor(ctx, tx, actor, docID); err != nil {
			return err
		}
		if err := expect(v, isms.VersionDraft, in.Version); err != nil {
			return err
		}
		if err := in.Validate().Err(); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE policy_document_versions SET label = $3, body = $4, change_summary = $5,
			editor_ids = `+addEditor+`, updated_at = now(), version = version + 1 WHERE id = $1`,
			versionID, actor.UserID, in.Label, in.Body, in.ChangeSummary)
		return labelTaken(err, "label")
	})
}

// DeleteDraft withdraws a draft (its authors). A draft a review's "revise" opened gives the review
// back to its reviewer to decide again.
func (db *DB) DeleteDraft(ctx context.Context, actor isms.Actor, docID, versionID int64, version int) error {
	_, err := db.changeVersion(ctx, actor, docID, versionID, "policy_document.delete_draft", func(tx pgx.Tx, d isms.PolicyDocument, v isms.DocumentVersion) error {
		if err := requireAuthor(ctx, tx, actor, docID); err != nil {
			return err
		}
		if err := expect(v, isms.VersionDraft, version); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE policy_reviews SET status = 'open', outcome = NULL, outcome_note = '', decided_at = NULL,
			draft_version_id = NULL, updated_at = now(), version = version + 1
			WHERE draft_version_id = $1 AND status = 'revising'`, versionID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM policy_document_versions WHERE id = $1`, versionID)
		return err
	})
	return err
}

// SubmitVersion sends a draft for approval (its authors); whoever submits is among its editors.
func (db *DB) SubmitVersion(ctx context.Context, actor isms.Actor, docID, versionID int64, version int) (isms.DocumentVersion, error) {
	return db.changeVersion(ctx, actor, docID, versionID, "policy_document.submit", func(tx pgx.Tx, d isms.PolicyDocument, v isms.DocumentVersion) error {
		if err := requireAuthor(ctx, tx, actor, docID); err != nil {
			return err
		}
		if err := expect(v, isms.VersionDraft, version); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE policy_document_versions SET status = 'in_review', submitted_at = now(),
			editor_ids = `+addEditor+`, updated_at = now(), version = version + 1 WHERE id = $1`, versionID, actor.UserID)
		return err
	})
}

// ReturnVersion sends a version in review back to draft, for more work: the approvers and the
// security office.
func (db *DB) ReturnVersion(ctx context.Context, actor isms.Actor, docID, versionID int64, version int) (isms.DocumentVersion, error) {
	return db.changeVersion(ctx, actor, docID, versionID, "policy_document.return", func(tx pgx.Tx, d isms.PolicyDocument, v isms.DocumentVersion) error {
		if !isms.MayApprovePolicies(actor) && !actor.Can(isms.PermManagePolicies) {
			return isms.Errorf(isms.EFORBIDDEN, "only the approvers and the security office return a version")
		}
		if err := expect(v, isms.VersionInReview, version); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE policy_document_versions SET status = 'draft', submitted_at = NULL,
			updated_at = now(), version = version + 1 WHERE id = $1`, versionID)
		return err
	})
}

// ApproveVersion approves a version in review: the CISO, or a member of the committee recording
// the committee's approval at its meeting. Nobody who wrote or submitted the version approves it
// (isms.ErrOwnVersion, 兼務の禁止).
func (db *DB) ApproveVersion(ctx context.Context, actor isms.Actor, docID, versionID int64, in isms.PolicyApproval) (isms.DocumentVersion, error) {
	return db.changeVersion(ctx, actor, docID, versionID, "policy_document.approve", func(tx pgx.Tx, d isms.PolicyDocument, v isms.DocumentVersion) error {
		if !isms.MayApprovePolicies(actor) {
			return isms.Errorf(isms.EFORBIDDEN, "only the CISO and the committee approve versions")
		}
		// Who may approve is answered before whether the form is current: an author is refused
		// whatever page they came from.
		if !actor.System && v.EditedBy(actor.UserID) {
			return isms.ErrOwnVersion
		}
		if err := expect(v, isms.VersionInReview, in.Version); err != nil {
			return err
		}
		fe := in.Validate()
		fe.Check(in.ByCommittee || isms.ApprovesAsCISO(actor), "by", "library.error.committee_only")
		if err := fe.Err(); err != nil {
			return err
		}
		meeting := in.MeetingOn
		if !in.ByCommittee {
			meeting = nil
		}
		_, err := tx.Exec(ctx, `UPDATE policy_document_versions SET status = 'approved', approved_at = now(),
			approved_by = nullif($2, 0), approved_by_committee = $3, committee_meeting_on = $4, approval_note = $5,
			updated_at = now(), version = version + 1 WHERE id = $1`,
			versionID, actor.UserID, in.ByCommittee, meeting, in.Note)
		return err
	})
}

// PublishVersion puts an approved version in force from its effective day (the security office):
// the version in force until then is superseded, the document's next review falls due its
// interval after the effective day, a review whose "revise" opened the version completes, and a
// document staff acknowledge asks them again (a policy_versions row of the version).
func (db *DB) PublishVersion(ctx context.Context, actor isms.Actor, docID, versionID int64, in isms.PolicyPublication) (isms.DocumentVersion, error) {
	return db.changeVersion(ctx, actor, docID, versionID, "policy_document.publish", func(tx pgx.Tx, d isms.PolicyDocument, v isms.DocumentVersion) error {
		if err := requirePerm(actor, isms.PermManagePolicies); err != nil {
			return err
		}
		if err := expect(v, isms.VersionApproved, in.Version); err != nil {
			return err
		}
		if err := in.Validate().Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE policy_document_versions SET status = 'superseded', superseded_at = now(),
			updated_at = now(), version = version + 1 WHERE document_id = $1 AND status = 'published'`, docID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE policy_document_versions SET status = 'published', published_at = now(),
			published_by = nullif($2, 0), effective_on = $3, updated_at = now(), version = version + 1 WHERE id = $1`,
			versionID, actor.UserID, in.EffectiveOn); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE policy_documents SET next_review_on = ($2::date + make_interval(months => review_months))::date,
			updated_at = now(), version = version + 1 WHERE id = $1`, docID, in.EffectiveOn); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE policy_reviews SET status = 'completed', completed_on = $2,
			updated_at = now(), version = version + 1 WHERE draft_version_id = $1 AND status = 'revising'`, versionID, actor.Day()); err != nil {
			return err
		}
		if !d.MustAcknowledge {
			return nil
		}
		p, err := scanPolicyVersion(tx.QueryRow(ctx, `
			INSERT INTO policy_versions AS v (title, version_label, effective_on, summary, document_url, created_by, document_version_id)
			VALUES ($1, $2, $3, $4, $5, nullif($6, 0), $7) RETURNING `+policyVersionColumns,
			d.Title, v.Label, in.EffectiveOn, v.ChangeSummary, policyHref(docID), actor.UserID, versionID))
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "policy_version.create", "policy_version", idString(p.ID), nil, p)
	})
}

// AttachPDF attaches a PDF to a draft, replacing the one it had (its authors). content must be a
// PDF (EINVALID against the field "file" otherwise) within isms.MaxPolicyAttachment (ETOOLARGE).
func (db *DB) AttachPDF(ctx context.Context, actor isms.Actor, docID, versionID int64, version int, fileName string, content []byte) error {
	_, err := db.changeVersion(ctx, actor, docID, versionID, "policy_document.attach", func(tx pgx.Tx, d isms.PolicyDocument, v isms.DocumentVersion) error {
		if err := requireAuthor(ctx, tx, actor, docID); err != nil {
			return err
		}
		if err := expect(v, isms.VersionDraft, version); err != nil {
			return err
		}
		if len(content) > isms.MaxPolicyAttachment {
			return isms.Errorf(isms.ETOOLARGE, "the PDF is over %d bytes", isms.MaxPolicyAttachment)
		}
		if !isms.IsPDF(content) {
			return isms.FieldErrors{"file": "library.error.not_pdf"}.Err()
		}
		if fileName == "" {
			fileName = "document.pdf"
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO policy_version_attachments (version_id, file_name, size, content, uploaded_by)
			VALUES ($1, $2, $3, $4, nullif($5, 0))
			ON CONFLICT (version_id) DO UPDATE SET file_name = EXCLUDED.file_name, size = EXCLUDED.size,
				content = EXCLUDED.content, uploaded_by = EXCLUDED.uploaded_by, uploaded_at = now()`,
			versionID, fileName, len(content), content, actor.UserID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE policy_document_versions SET editor_ids = `+addEditor+`,
			updated_at = now(), version = version + 1 WHERE id = $1`, versionID, actor.UserID)
		return err
	})
	return err
}

// DetachPDF removes the PDF of a draft (its authors).
func (db *DB) DetachPDF(ctx context.Context, actor isms.Actor, docID, versionID int64, version int) error {
	_, err := db.changeVersion(ctx, actor, docID, versionID, "policy_document.detach", func(tx pgx.Tx, d isms.PolicyDocument, v isms.DocumentVersion) error {
		if err := requireAuthor(ctx, tx, actor, docID); err != nil {
			return err
		}
		if err := expect(v, isms.VersionDraft, version); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM policy_version_attachments WHERE version_id = $1`, versionID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE policy_document_versions SET updated_at = now(), version = version + 1 WHERE id = $1`, versionID)
		return err
	})
	return err
}

// FindAttachment returns the PDF of a version the actor sees; ENOTFOUND when it has none.
func (db *DB) FindAttachment(ctx context.Context, actor isms.Actor, docID, versionID int64) (isms.PolicyAttachment, error) {
	var att isms.PolicyAttachment
	if _, err := db.FindDocumentVersion(ctx, actor, docID, versionID); err != nil {
		return att, err
	}
	err := db.pool.QueryRow(ctx, `SELECT file_name, size, uploaded_at, content FROM policy_version_attachments WHERE version_id = $1`,
		versionID).Scan(&att.FileName, &att.Size, &att.UploadedAt, &att.Content)
	if errors.Is(err, pgx.ErrNoRows) {
		err = isms.Errorf(isms.ENOTFOUND, "version %d has no attachment", versionID)
	}
	return att, wrap("find attachment", err)
}

// FindPolicyReviewers returns the accounts a review may be given to: every active account but
// the administrators', who keep the portal rather than the policy.
func (db *DB) FindPolicyReviewers(ctx context.Context) ([]isms.User, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+userColumns+` FROM `+userFrom+`
		WHERE u.status = 'active' AND u.role <> 'system_admin' ORDER BY u.display_name_kana, u.display_name, u.id`)
	if err != nil {
		return nil, wrap("find policy reviewers", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.User, error) { return scanUser(r) })
	return list, wrap("find policy reviewers", err)
}
