package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// Information security audits (情報セキュリティ監査, domain.md §6.1): the plan of each fiscal year,
// the audits, their evidence notes and findings, the corrective actions and the checks other
// units are told to make.
//
// Need to know is in SQL. Those isms.ReadsAllAudits answers for read every audit and finding; an
// audit's auditors read it whole; the staff and managers of a unit read the audits of their unit
// and the findings that concern it or that it was told to check for; for anyone else an audit or
// a finding does not exist (ENOTFOUND). Evidence notes are for isms.SecurityAudit.ReadsEvidence.
// Changes by someone who sees the record but may not make them are EFORBIDDEN. Corrective actions
// and checks are filed in the audit trail under their finding, so that its history reads in one
// place.

// auditArgs collects the arguments of a query built in pieces; add returns the placeholder.
type auditArgs []any

func (a *auditArgs) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// auditReaderUnits are the units whose audits and findings the actor reads as their staff or
// managers.
func auditReaderUnits(actor isms.Actor) []int64 {
	ids := slices.Concat(actor.UnitIDs, actor.ManagedUnitIDs)
	if actor.UnitID != 0 {
		ids = append(ids, actor.UnitID)
	}
	if ids == nil {
		ids = []int64{}
	}
	return ids
}

// auditedByActor is the SQL condition that the actor is an auditor of the audit of alias a.
func auditedByActor(actor isms.Actor, args *auditArgs, a string) string {
	return `EXISTS (SELECT 1 FROM security_audit_auditors xa JOIN people xp ON xp.id = xa.person_id
		WHERE xa.audit_id = ` + a + `.id AND xp.user_id = ` + args.add(actor.UserID) + `)`
}

// findingVisible is the SQL condition that the actor reads the finding of alias f of the audit of
// alias a.
func findingVisible(actor isms.Actor, args *auditArgs, f, a string) string {
	units := args.add(auditReaderUnits(actor))
	return `(` + args.add(isms.ReadsAllAudits(actor)) + ` OR ` + auditedByActor(actor, args, a) +
		` OR ` + f + `.unit_id = ANY(` + units + `) OR EXISTS (SELECT 1 FROM security_audit_checks xc
		WHERE xc.finding_id = ` + f + `.id AND xc.unit_id = ANY(` + units + `)))`
}

// auditVisible is the SQL condition that the actor reads the audit of alias a.
func auditVisible(actor isms.Actor, args *auditArgs, a string) string {
	units := args.add(auditReaderUnits(actor))
	return `(` + args.add(isms.ReadsAllAudits(actor)) + ` OR ` + auditedByActor(actor, args, a) +
		` OR EXISTS (SELECT 1 FROM security_audit_units xu WHERE xu.audit_id = ` + a + `.id AND xu.unit_id = ANY(` + units + `))
		OR EXISTS (SELECT 1 FROM security_audit_findings vf WHERE vf.audit_id = ` + a + `.id AND ` +
		findingVisible(actor, args, "vf", a) + `))`
}

// --- the plan ---

// FindAuditPlan returns the audit plan of fiscal year fy, read by everyone signed in. A year
// without a plan is an empty plan of version 0, which the plan form starts from.
func (db *DB) FindAuditPlan(ctx context.Context, fy int) (isms.AuditPlan, error) {
	p, err := findAuditPlan(ctx, db.pool, fy, false)
	return p, wrap("find audit plan", err)
}

func findAuditPlan(ctx context.Context, q querier, fy int, lock bool) (isms.AuditPlan, error) {
	p := isms.AuditPlan{FiscalYear: fy}
	query := `SELECT objectives, scope_summary, approved_on, approved_by, version FROM security_audit_plans WHERE fiscal_year = $1`
	if lock {
		query += ` FOR UPDATE`
	}
	err := q.QueryRow(ctx, query, fy).Scan(&p.Objectives, &p.ScopeSummary, &p.ApprovedOn, &p.ApprovedBy, &p.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	rows, err := q.Query(ctx, `SELECT kind, title, target, month FROM security_audit_plan_items
		WHERE fiscal_year = $1 ORDER BY position`, fy)
	if err != nil {
		return p, err
	}
	p.Items, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.AuditPlanItem])
	return p, err
}

// SaveAuditPlan records the plan of a fiscal year as the form gives it; its items replace the
// plan's. A plan that changes is no longer the plan the committee approved: its approval is
// withdrawn, to be given again. A form that changes nothing writes nothing. For the audit manager.
func (db *DB) SaveAuditPlan(ctx context.Context, actor isms.Actor, in isms.AuditPlanInput) (isms.AuditPlan, error) {
	if !isms.AuditManager(actor) {
		return isms.AuditPlan{}, wrap("save audit plan", isms.Errorf(isms.EFORBIDDEN, "not the audit manager"))
	}
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.AuditPlan{}, wrap("save audit plan", err)
	}
	var after isms.AuditPlan
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findAuditPlan(ctx, tx, in.FiscalYear, true)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return errConflict("the audit plan")
		}
		if in.Same(before) {
			after = before
			return nil
		}
		if before.Version == 0 {
			tag, err := tx.Exec(ctx, `INSERT INTO security_audit_plans (fiscal_year, objectives, scope_summary)
				VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, in.FiscalYear, in.Objectives, in.ScopeSummary)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 { // another person made the year's plan meanwhile
				return errConflict("the audit plan")
			}
		} else if _, err := tx.Exec(ctx, `UPDATE security_audit_plans SET objectives = $2, scope_summary = $3,
			approved_on = NULL, approved_by = '', updated_at = now(), version = version + 1 WHERE fiscal_year = $1`,
			in.FiscalYear, in.Objectives, in.ScopeSummary); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM security_audit_plan_items WHERE fiscal_year = $1`, in.FiscalYear); err != nil {
			return err
		}
		for i, it := range in.Items {
			if _, err := tx.Exec(ctx, `INSERT INTO security_audit_plan_items (fiscal_year, position, kind, title, target, month)
				VALUES ($1, $2, $3, $4, $5, $6)`, in.FiscalYear, i+1, it.Kind, it.Title, it.Target, it.Month); err != nil {
				return err
			}
		}
		if after, err = findAuditPlan(ctx, tx, in.FiscalYear, false); err != nil {
			return err
		}
		var was any
		if before.Version > 0 {
			was = before
		}
		return appendAudit(ctx, tx, actor, "security_audit_plan.save", "security_audit_plan", strconv.Itoa(in.FiscalYear), was, after)
	})
	return after, wrap("save audit plan", err)
}

// ApproveAuditPlan records the committee's approval of a fiscal year's plan: the day and who
// approved it (the meeting, e.g. 情報セキュリティ委員会（令和8年4月20日）). Only a plan that foresees
// at least one audit is approved; version is the plan's as the page showed it.
func (db *DB) ApproveAuditPlan(ctx context.Context, actor isms.Actor, fy int, approvedOn *time.Time, approvedBy string, version int) (isms.AuditPlan, error) {
	if !isms.AuditManager(actor) {
		return isms.AuditPlan{}, wrap("approve audit plan", isms.Errorf(isms.EFORBIDDEN, "not the audit manager"))
	}
	approvedBy = strings.TrimSpace(approvedBy)
	fe := isms.FieldErrors{}
	fe.Check(approvedOn != nil, "approved_on", "validation.required")
	fe.Check(approvedOn == nil || !approvedOn.After(actor.Day()), "approved_on", "security_audit.error.future")
	fe.Check(approvedBy != "", "approved_by", "validation.required")
	fe.Check(len([]rune(approvedBy)) <= 100, "approved_by", "validation.too_long")
	if err := fe.Err(); err != nil {
		return isms.AuditPlan{}, wrap("approve audit plan", err)
	}
	var after isms.AuditPlan
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findAuditPlan(ctx, tx, fy, true)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errConflict("the audit plan")
		}
		if len(before.Items) == 0 {
			return isms.FieldErrors{"approval": "security_audit.error.plan_empty"}.Err()
		}
		if _, err := tx.Exec(ctx, `UPDATE security_audit_plans SET approved_on = $2, approved_by = $3, updated_at = now(),
			version = version + 1 WHERE fiscal_year = $1`, fy, approvedOn, approvedBy); err != nil {
			return err
		}
		if after, err = findAuditPlan(ctx, tx, fy, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "security_audit_plan.approve", "security_audit_plan", strconv.Itoa(fy), before, after)
	})
	return after, wrap("approve audit plan", err)
}

// --- audits ---

const auditColumns = `a.id, a.fiscal_year, a.kind, a.title, a.contractor_name, a.auditor_firm, a.objective,
	a.planned_start, a.planned_end, a.actual_start, a.actual_end, a.report_on, a.status, a.version`

func scanAudit(row pgx.Row, more ...any) (isms.SecurityAudit, error) {
	var a isms.SecurityAudit
	err := row.Scan(append([]any{&a.ID, &a.FiscalYear, &a.Kind, &a.Title, &a.ContractorName, &a.AuditorFirm, &a.Objective,
		&a.PlannedStart, &a.PlannedEnd, &a.ActualStart, &a.ActualEnd, &a.ReportOn, &a.Status, &a.Version}, more...)...)
	return a, err
}

// auditPeople fills in the scope and the auditors of audits.
func auditPeople(ctx context.Context, q querier, audits []isms.SecurityAudit) error {
	ids := make([]int64, len(audits))
	at := map[int64]int{}
	for i, a := range audits {
		ids[i], at[a.ID] = a.ID, i
	}
	rows, err := q.Query(ctx, `SELECT su.audit_id, u.id, u.code, u.name FROM security_audit_units su
		JOIN units u ON u.id = su.unit_id WHERE su.audit_id = ANY($1) ORDER BY u.code, u.id`, ids)
	if err != nil {
		return err
	}
	var auditID int64
	var u isms.AuditUnit
	if _, err := pgx.ForEachRow(rows, []any{&auditID, &u.ID, &u.Code, &u.Name}, func() error {
		audits[at[auditID]].Units = append(audits[at[auditID]].Units, u)
		return nil
	}); err != nil {
		return err
	}
	rows, err = q.Query(ctx, `SELECT x.audit_id, p.id, p.name, x.lead, coalesce(p.user_id, 0) FROM security_audit_auditors x
		JOIN people p ON p.id = x.person_id WHERE x.audit_id = ANY($1) ORDER BY x.lead DESC, p.name_kana, p.id`, ids)
	if err != nil {
		return err
	}
	var p isms.Auditor
	_, err = pgx.ForEachRow(rows, []any{&auditID, &p.PersonID, &p.Name, &p.Lead, &p.UserID}, func() error {
		audits[at[auditID]].Auditors = append(audits[at[auditID]].Auditors, p)
		return nil
	})
	return err
}

// loadAudit reads an audit the actor sees with its scope and auditors; lock holds its row until
// the transaction ends.
func loadAudit(ctx context.Context, q querier, actor isms.Actor, id int64, lock bool) (isms.SecurityAudit, error) {
	args := auditArgs{id}
	query := `SELECT ` + auditColumns + ` FROM security_audits a WHERE a.id = $1 AND ` + auditVisible(actor, &args, "a")
	if lock {
		query += ` FOR UPDATE OF a`
	}
	a, err := scanAudit(q.QueryRow(ctx, query, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, isms.Errorf(isms.ENOTFOUND, "audit %d not found", id)
	}
	if err != nil {
		return a, err
	}
	audits := []isms.SecurityAudit{a}
	err = auditPeople(ctx, q, audits)
	return audits[0], err
}

// FindSecurityAudits returns the audits of fiscal year fy that the actor reads, by their planned
// start, each with the number of its findings the actor reads.
func (db *DB) FindSecurityAudits(ctx context.Context, actor isms.Actor, fy int) ([]isms.SecurityAudit, error) {
	args := auditArgs{fy}
	query := `SELECT ` + auditColumns + `, (SELECT count(*) FROM security_audit_findings f WHERE f.audit_id = a.id AND ` +
		findingVisible(actor, &args, "f", "a") + `)::int
		FROM security_audits a WHERE a.fiscal_year = $1 AND ` + auditVisible(actor, &args, "a") + `
		ORDER BY a.planned_start, a.id`
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, wrap("find audits", err)
	}
	audits, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.SecurityAudit, error) {
		var n int
		a, err := scanAudit(r, &n)
		a.FindingCount = n
		return a, err
	})
	if err != nil {
		return nil, wrap("find audits", err)
	}
	return audits, wrap("find audits", auditPeople(ctx, db.pool, audits))
}

// FindSecurityAudit returns an audit the actor reads, with its evidence notes when the actor reads
// them, and the findings the actor reads with their corrective actions and checks.
func (db *DB) FindSecurityAudit(ctx context.Context, actor isms.Actor, id int64) (isms.SecurityAudit, error) {
	a, err := loadAudit(ctx, db.pool, actor, id, false)
	if err != nil {
		return a, wrap("find audit", err)
	}
	if a.ReadsEvidence(actor) {
		rows, err := db.pool.Query(ctx, `SELECT n.id, n.noted_on, n.body, coalesce(u.display_name, '')
			FROM security_audit_notes n LEFT JOIN users u ON u.id = n.created_by
			WHERE n.audit_id = $1 ORDER BY n.noted_on, n.id`, id)
		if err != nil {
			return a, wrap("find audit", err)
		}
		if a.Notes, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.AuditNote]); err != nil {
			return a, wrap("find audit", err)
		}
	}
	args := auditArgs{id}
	rows, err := db.pool.Query(ctx, `SELECT `+findingColumns+` FROM `+findingFrom+` WHERE f.audit_id = $1 AND `+
		findingVisible(actor, &args, "f", "a")+` ORDER BY f.number`, args...)
	if err != nil {
		return a, wrap("find audit", err)
	}
	if a.Findings, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.AuditFinding, error) { return scanFinding(r) }); err != nil {
		return a, wrap("find audit", err)
	}
	for i := range a.Findings {
		a.Findings[i].Audit = a
	}
	return a, wrap("find audit", findingWork(ctx, db.pool, a.Findings))
}

// FindAuditCandidates returns the people in service on day whom an audit may name as auditors,
// with their posting of the day, for the audit manager's form.
func (db *DB) FindAuditCandidates(ctx context.Context, actor isms.Actor, day time.Time) ([]isms.Person, error) {
	if !isms.AuditManager(actor) {
		return nil, wrap("find audit candidates", isms.Errorf(isms.EFORBIDDEN, "not the audit manager"))
	}
	rows, err := db.pool.Query(ctx, `
		SELECT p.id, p.name, coalesce(u.id, 0), coalesce(u.name, '') FROM people p
		LEFT JOIN postings po ON po.person_id = p.id AND `+activeOn("po", "$1")+`
		LEFT JOIN units u ON u.id = po.unit_id
		WHERE `+activeOn("p", "$1")+` ORDER BY p.name_kana, p.name, p.id`, day)
	if err != nil {
		return nil, wrap("find audit candidates", err)
	}
	people, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.Person, error) {
		var p isms.Person
		err := r.Scan(&p.ID, &p.Name, &p.UnitID, &p.UnitName)
		return p, err
	})
	return people, wrap("find audit candidates", err)
}

// checkAuditInput checks the form against the database: the units and people exist, and each
// auditor is independent of every unit audited over the audit's days.
func checkAuditInput(ctx context.Context, tx pgx.Tx, in isms.SecurityAuditInput) error {
	fe := in.Validate()
	var units, people int
	if err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM units WHERE id = ANY($1))::int,
		(SELECT count(*) FROM people WHERE id = ANY($2))::int`, in.UnitIDs, in.PersonIDs()).Scan(&units, &people); err != nil {
		return err
	}
	fe.Check(units == len(in.UnitIDs), "unit_ids", "validation.choose")
	fe.Check(people == len(in.PersonIDs()), "auditors", "validation.choose")
	if err := fe.Err(); err != nil {
		return err
	}
	return checkIndependence(ctx, tx, in)
}

// checkIndependence refuses an auditor who, on any day of the audit, is posted to an audited unit
// or a unit under it, or holds the 管理者 or 責任者 role for such a unit or one above it (the 責任者
// of a 部局 answers for its 課). It names the first such auditor, the lead first.
func checkIndependence(ctx context.Context, tx pgx.Tx, in isms.SecurityAuditInput) error {
	people := in.PersonIDs()
	if len(people) == 0 || len(in.UnitIDs) == 0 {
		return nil
	}
	from, to := in.Period()
	e := &isms.IndependenceError{}
	err := tx.QueryRow(ctx, `
		WITH RECURSIVE
		area(id, scope) AS (
			SELECT id, id FROM units WHERE id = ANY($1)
			UNION SELECT u.id, a.scope FROM units u JOIN area a ON u.parent_id = a.id),
		above(id, scope) AS (
			SELECT parent_id, id FROM units WHERE id = ANY($1) AND parent_id IS NOT NULL
			UNION SELECT u.parent_id, a.scope FROM units u JOIN above a ON u.id = a.id WHERE u.parent_id IS NOT NULL),
		conflicts(person_id, scope, manages) AS (
			SELECT po.person_id, a.scope, false FROM postings po JOIN area a ON a.id = po.unit_id
			WHERE po.person_id = ANY($2) AND po.valid_from <= $4::date AND (po.valid_to IS NULL OR po.valid_to >= $3::date)
			UNION ALL
			SELECT ra.person_id, a.scope, true FROM role_assignments ra
			JOIN (SELECT id, scope FROM area UNION SELECT id, scope FROM above) a ON a.id = ra.unit_id
			WHERE ra.person_id = ANY($2) AND ra.role_code = ANY($5)
				AND ra.valid_from <= $4::date AND (ra.valid_to IS NULL OR ra.valid_to >= $3::date))
		SELECT p.name, u.name, c.manages FROM conflicts c
		JOIN people p ON p.id = c.person_id JOIN units u ON u.id = c.scope
		ORDER BY array_position($2::bigint[], c.person_id), c.manages, u.code LIMIT 1`,
		in.UnitIDs, people, from, to, []string{string(isms.RoleCodeISM), string(isms.RoleCodeISO)}).Scan(&e.Person, &e.Unit, &e.Manages)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return e
}

// writeAuditPeople replaces the scope and the auditors of an audit with the form's.
func writeAuditPeople(ctx context.Context, tx pgx.Tx, id int64, in isms.SecurityAuditInput) error {
	if _, err := tx.Exec(ctx, `DELETE FROM security_audit_units WHERE audit_id = $1`, id); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM security_audit_auditors WHERE audit_id = $1`, id); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO security_audit_units (audit_id, unit_id) SELECT $1, unnest($2::bigint[])`,
		id, in.UnitIDs); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO security_audit_auditors (audit_id, person_id, lead)
		SELECT $1, x, x = $3 FROM unnest($2::bigint[]) AS x`, id, in.PersonIDs(), in.LeadID)
	return err
}

// CreateSecurityAudit adds an audit, for the audit manager. Auditors who are not independent of an
// audited unit are refused with an *isms.IndependenceError.
func (db *DB) CreateSecurityAudit(ctx context.Context, actor isms.Actor, in isms.SecurityAuditInput) (isms.SecurityAudit, error) {
	if !isms.AuditManager(actor) {
		return isms.SecurityAudit{}, wrap("create audit", isms.Errorf(isms.EFORBIDDEN, "not the audit manager"))
	}
	in.Normalize()
	var a isms.SecurityAudit
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkAuditInput(ctx, tx, in); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO security_audits (fiscal_year, kind, title, contractor_name, auditor_firm, objective, planned_start,
				planned_end, actual_start, actual_end, report_on, status, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, nullif($13, 0)) RETURNING id`,
			in.FiscalYear, in.Kind, in.Title, in.ContractorName, in.AuditorFirm, in.Objective, in.PlannedStart, in.PlannedEnd,
			in.ActualStart, in.ActualEnd, in.ReportOn, in.Status, actor.UserID).Scan(&id)
		if err != nil {
			return err
		}
		if err := writeAuditPeople(ctx, tx, id, in); err != nil {
			return err
		}
		if a, err = loadAudit(ctx, tx, actor, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "security_audit.create", "security_audit", idString(id), nil, a)
	})
	return a, wrap("create audit", err)
}

// UpdateSecurityAudit changes an audit as the form gives it (its scope and auditors included, so
// that a unit added later is checked for the auditors' independence too), for the audit manager.
// in.Version is the version the form showed (else ECONFLICT).
func (db *DB) UpdateSecurityAudit(ctx context.Context, actor isms.Actor, id int64, in isms.SecurityAuditInput) (isms.SecurityAudit, error) {
	in.Normalize()
	var after isms.SecurityAudit
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadAudit(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if !isms.AuditManager(actor) {
			return isms.Errorf(isms.EFORBIDDEN, "not the audit manager")
		}
		if before.Version != in.Version {
			return errConflict("the audit")
		}
		if err := checkAuditInput(ctx, tx, in); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE security_audits SET fiscal_year = $2, kind = $3, title = $4, contractor_name = $5, auditor_firm = $6,
				objective = $7, planned_start = $8, planned_end = $9, actual_start = $10, actual_end = $11, report_on = $12,
				status = $13, updated_at = now(), version = version + 1
			WHERE id = $1`, id, in.FiscalYear, in.Kind, in.Title, in.ContractorName, in.AuditorFirm, in.Objective,
			in.PlannedStart, in.PlannedEnd, in.ActualStart, in.ActualEnd, in.ReportOn, in.Status); err != nil {
			return err
		}
		if err := writeAuditPeople(ctx, tx, id, in); err != nil {
			return err
		}
		if after, err = loadAudit(ctx, tx, actor, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "security_audit.update", "security_audit", idString(id), before, after)
	})
	return after, wrap("update audit", err)
}

// AddAuditNote adds a dated evidence note to an audit, by its auditors or the audit manager.
func (db *DB) AddAuditNote(ctx context.Context, actor isms.Actor, auditID int64, in isms.AuditNoteInput) error {
	return wrap("add audit note", db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := loadAudit(ctx, tx, actor, auditID, true)
		if err != nil {
			return err
		}
		if !a.CanWriteFindings(actor) {
			return isms.Errorf(isms.EFORBIDDEN, "not an auditor of the audit")
		}
		if err := in.Validate(actor.Day()).Err(); err != nil {
			return err
		}
		n := isms.AuditNote{NotedOn: *in.NotedOn, Body: in.Body}
		if err := tx.QueryRow(ctx, `INSERT INTO security_audit_notes (audit_id, noted_on, body, created_by)
			VALUES ($1, $2, $3, nullif($4, 0)) RETURNING id`, auditID, in.NotedOn, in.Body, actor.UserID).Scan(&n.ID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "security_audit.note", "security_audit", idString(auditID), nil, n)
	}))
}

// --- findings ---

const findingColumns = `f.id, f.audit_id, f.number, f.title, f.description, f.severity, f.clause,
	fu.id, fu.code, fu.name, f.version`

const findingFrom = `security_audit_findings f JOIN units fu ON fu.id = f.unit_id JOIN security_audits a ON a.id = f.audit_id`

func scanFinding(row pgx.Row) (isms.AuditFinding, error) {
	var f isms.AuditFinding
	err := row.Scan(&f.ID, &f.AuditID, &f.Number, &f.Title, &f.Description, &f.Severity, &f.Clause,
		&f.Unit.ID, &f.Unit.Code, &f.Unit.Name, &f.Version)
	return f, err
}

// findingWork fills in the corrective actions and checks of findings.
func findingWork(ctx context.Context, q querier, findings []isms.AuditFinding) error {
	ids := make([]int64, len(findings))
	at := map[int64]int{}
	for i, f := range findings {
		ids[i], at[f.ID] = f.ID, i
	}
	rows, err := q.Query(ctx, `
		SELECT c.finding_id, c.id, c.description, c.owner_id, p.name, c.due_on, c.status, c.done_on, c.done_note,
			c.verified_on, c.verify_note, c.version, coalesce(p.user_id, 0)
		FROM security_audit_actions c JOIN people p ON p.id = c.owner_id
		WHERE c.finding_id = ANY($1) ORDER BY c.id`, ids)
	if err != nil {
		return err
	}
	var findingID int64
	var c isms.CorrectiveAction
	if _, err := pgx.ForEachRow(rows, []any{&findingID, &c.ID, &c.Description, &c.OwnerID, &c.OwnerName, &c.DueOn, &c.Status,
		&c.DoneOn, &c.DoneNote, &c.VerifiedOn, &c.VerifyNote, &c.Version, &c.OwnerUserID}, func() error {
		findings[at[findingID]].Actions = append(findings[at[findingID]].Actions, c)
		return nil
	}); err != nil {
		return err
	}
	rows, err = q.Query(ctx, `
		SELECT k.finding_id, k.id, u.id, u.code, u.name, k.status, k.found, k.note, k.checked_on, k.version
		FROM security_audit_checks k JOIN units u ON u.id = k.unit_id
		WHERE k.finding_id = ANY($1) ORDER BY u.code, u.id`, ids)
	if err != nil {
		return err
	}
	var k isms.AuditCheck
	_, err = pgx.ForEachRow(rows, []any{&findingID, &k.ID, &k.Unit.ID, &k.Unit.Code, &k.Unit.Name, &k.Status, &k.Found,
		&k.Note, &k.CheckedOn, &k.Version}, func() error {
		findings[at[findingID]].Checks = append(findings[at[findingID]].Checks, k)
		return nil
	})
	return err
}

// loadFinding reads a finding the actor sees, with its audit (scope and auditors), corrective
// actions and checks; lock holds the finding's row until the transaction ends.
func loadFinding(ctx context.Context, q querier, actor isms.Actor, id int64, lock bool) (isms.AuditFinding, error) {
	args := auditArgs{id}
	query := `SELECT ` + findingColumns + ` FROM ` + findingFrom + ` WHERE f.id = $1 AND ` + findingVisible(actor, &args, "f", "a")
	if lock {
		query += ` FOR UPDATE OF f`
	}
	f, err := scanFinding(q.QueryRow(ctx, query, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return f, isms.Errorf(isms.ENOTFOUND, "finding %d not found", id)
	}
	if err != nil {
		return f, err
	}
	// The finding's readers read its audit's header, whatever their other ties to the audit.
	if f.Audit, err = loadAudit(ctx, q, isms.SystemActor("finding"), f.AuditID, false); err != nil {
		return f, err
	}
	findings := []isms.AuditFinding{f}
	err = findingWork(ctx, q, findings)
	return findings[0], err
}

// FindAuditFinding returns a finding the actor reads, with its audit, actions and checks.
func (db *DB) FindAuditFinding(ctx context.Context, actor isms.Actor, id int64) (isms.AuditFinding, error) {
	f, err := loadFinding(ctx, db.pool, actor, id, false)
	return f, wrap("find audit finding", err)
}

// FindAuditSeverities returns the severities of findings in use, in their order.
func (db *DB) FindAuditSeverities(ctx context.Context) ([]isms.AuditSeverity, error) {
	rows, err := db.pool.Query(ctx, `SELECT code, name_ja, name_en FROM security_audit_severities
		WHERE active ORDER BY sort_order, code`)
	if err != nil {
		return nil, wrap("find audit severities", err)
	}
	s, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.AuditSeverity])
	return s, wrap("find audit severities", err)
}

// CreateAuditFinding adds a finding to an audit, numbered after its last, by the audit's auditors
// or the audit manager while the audit is not closed.
func (db *DB) CreateAuditFinding(ctx context.Context, actor isms.Actor, auditID int64, in isms.AuditFindingInput) (isms.AuditFinding, error) {
	in.Normalize()
	var f isms.AuditFinding
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := loadAudit(ctx, tx, actor, auditID, true)
		if err != nil {
			return err
		}
		if !a.CanWriteFindings(actor) {
			return isms.Errorf(isms.EFORBIDDEN, "not an auditor of the audit")
		}
		fe := in.Validate()
		var severity, unit bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM security_audit_severities WHERE code = $1 AND active),
			EXISTS (SELECT 1 FROM units WHERE id = $2)`, in.Severity, in.UnitID).Scan(&severity, &unit); err != nil {
			return err
		}
		fe.Check(severity, "severity", "validation.choose")
		fe.Check(unit, "unit_id", "validation.choose")
		if err := fe.Err(); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `
			INSERT INTO security_audit_findings (audit_id, number, title, description, severity, clause, unit_id, created_by)
			VALUES ($1, (SELECT coalesce(max(number), 0) + 1 FROM security_audit_findings WHERE audit_id = $1),
				$2, $3, $4, $5, $6, nullif($7, 0)) RETURNING id`,
			auditID, in.Title, in.Description, in.Severity, in.Clause, in.UnitID, actor.UserID).Scan(&id); err != nil {
			return err
		}
		if f, err = loadFinding(ctx, tx, actor, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "audit_finding.create", "audit_finding", idString(id), nil, f)
	})
	return f, wrap("create audit finding", err)
}

// AddCorrectiveAction adds a corrective action to a finding (isms.AuditFinding.CanAddAction).
func (db *DB) AddCorrectiveAction(ctx context.Context, actor isms.Actor, findingID int64, in isms.CorrectiveActionInput) error {
	return wrap("add corrective action", db.inTx(ctx, func(tx pgx.Tx) error {
		f, err := loadFinding(ctx, tx, actor, findingID, true)
		if err != nil {
			return err
		}
		if !f.CanAddAction(actor) {
			return isms.Errorf(isms.EFORBIDDEN, "may not add corrective actions")
		}
		fe := in.Validate()
		var known bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM people WHERE id = $1)`, in.OwnerID).Scan(&known); err != nil {
			return err
		}
		fe.Check(known, "owner_id", "validation.choose")
		if err := fe.Err(); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO security_audit_actions (finding_id, description, owner_id, due_on, created_by)
			VALUES ($1, $2, $3, $4, nullif($5, 0)) RETURNING id`, findingID, in.Description, in.OwnerID, in.DueOn, actor.UserID).Scan(&id); err != nil {
			return err
		}
		after, err := findingAction(ctx, tx, findingID, id)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "corrective_action.create", "audit_finding", idString(findingID), nil, after)
	}))
}

// findingAction reads one corrective action of a finding.
func findingAction(ctx context.Context, tx pgx.Tx, findingID, actionID int64) (isms.CorrectiveAction, error) {
	findings := []isms.AuditFinding{{ID: findingID}}
	if err := findingWork(ctx, tx, findings); err != nil {
		return isms.CorrectiveAction{}, err
	}
	for _, c := range findings[0].Actions {
		if c.ID == actionID {
			return c, nil
		}
	}
	return isms.CorrectiveAction{}, isms.Errorf(isms.ENOTFOUND, "corrective action %d not found", actionID)
}

// lockAction reads a corrective action the actor sees (through its finding, whose row it locks)
// at the version the form showed.
func lockAction(ctx context.Context, tx pgx.Tx, actor isms.Actor, actionID int64, version int) (isms.AuditFinding, isms.CorrectiveAction, error) {
	var findingID int64
	err := tx.QueryRow(ctx, `SELECT finding_id FROM security_audit_actions WHERE id = $1`, actionID).Scan(&findingID)
	if errors.Is(err, pgx.ErrNoRows) {
		return isms.AuditFinding{}, isms.CorrectiveAction{}, isms.Errorf(isms.ENOTFOUND, "corrective action %d not found", actionID)
	}
	if err != nil {
		return isms.AuditFinding{}, isms.CorrectiveAction{}, err
	}
	f, err := loadFinding(ctx, tx, actor, findingID, true)
	if err != nil {
		return f, isms.CorrectiveAction{}, err
	}
	c, err := findingAction(ctx, tx, findingID, actionID)
	if err == nil && c.Version != version {
		err = errConflict("the corrective action")
	}
	return f, c, err
}

// CompleteCorrectiveAction records that an action was done, on which day and what was done, by
// its owner or a manager of the unit concerned; it then awaits an auditor's verification.
func (db *DB) CompleteCorrectiveAction(ctx context.Context, actor isms.Actor, actionID int64, version int, doneOn *time.Time, note string) error {
	note = strings.TrimSpace(note)
	return wrap("complete corrective action", db.inTx(ctx, func(tx pgx.Tx) error {
		f, before, err := lockAction(ctx, tx, actor, actionID, version)
		if err != nil {
			return err
		}
		if !f.CanCompleteAction(actor, before) {
			return isms.Errorf(isms.EFORBIDDEN, "not the owner of the action")
		}
		fe := isms.FieldErrors{}
		fe.Check(doneOn != nil, "done_on", "validation.required")
		fe.Check(doneOn == nil || !doneOn.After(actor.Day()), "done_on", "security_audit.error.future")
		fe.Check(note != "", "done_note", "validation.required")
		fe.Check(len([]rune(note)) <= 4000, "done_note", "validation.too_long")
		if err := fe.Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE security_audit_actions SET status = 'done', done_on = $2, done_note = $3,
			done_by = nullif($4, 0), updated_at = now(), version = version + 1 WHERE id = $1`,
			actionID, doneOn, note, actor.UserID); err != nil {
			return err
		}
		after, err := findingAction(ctx, tx, f.ID, actionID)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "corrective_action.done", "audit_finding", idString(f.ID), before, after)
	}))
}

// VerifyCorrectiveAction records an auditor's verification of an action done: accepted (verified)
// or refused with a note of why, which reopens it for its owner. Only an auditor of the audit who
// is not the action's owner verifies.
func (db *DB) VerifyCorrectiveAction(ctx context.Context, actor isms.Actor, actionID int64, version int, accept bool, note string) error {
	note = strings.TrimSpace(note)
	return wrap("verify corrective action", db.inTx(ctx, func(tx pgx.Tx) error {
		f, before, err := lockAction(ctx, tx, actor, actionID, version)
		if err != nil {
			return err
		}
		if !f.CanVerifyAction(actor, before) {
			return isms.Errorf(isms.EFORBIDDEN, "not an auditor who may verify the action")
		}
		fe := isms.FieldErrors{}
		fe.Check(accept || note != "", "verify_note", "security_audit.error.refusal_note")
		fe.Check(len([]rune(note)) <= 4000, "verify_note", "validation.too_long")
		if err := fe.Err(); err != nil {
			return err
		}
		status, action := isms.ActionVerified, "corrective_action.verify"
		if !accept {
			status, action = isms.ActionReopened, "corrective_action.reopen"
		}
		if _, err := tx.Exec(ctx, `UPDATE security_audit_actions SET status = $2, verified_on = $3, verify_note = $4,
			verified_by = nullif($5, 0), updated_at = now(), version = version + 1 WHERE id = $1`,
			actionID, status, actor.Day(), note, actor.UserID); err != nil {
			return err
		}
		after, err := findingAction(ctx, tx, f.ID, actionID)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, action, "audit_finding", idString(f.ID), before, after)
	}))
}

// RequestAuditChecks tells other units that may share a finding's problem to check for it; a unit
// told already is not told twice. For the audit manager and the audit's auditors.
func (db *DB) RequestAuditChecks(ctx context.Context, actor isms.Actor, findingID int64, unitIDs []int64) error {
	return wrap("request audit checks", db.inTx(ctx, func(tx pgx.Tx) error {
		f, err := loadFinding(ctx, tx, actor, findingID, true)
		if err != nil {
			return err
		}
		if !f.CanRequestChecks(actor) {
			return isms.Errorf(isms.EFORBIDDEN, "may not request checks")
		}
		unitIDs = slices.DeleteFunc(slices.Compact(slices.Sorted(slices.Values(unitIDs))), func(id int64) bool { return id <= 0 })
		fe := isms.FieldErrors{}
		fe.Check(len(unitIDs) > 0, "check_units", "validation.choose")
		fe.Check(!slices.Contains(unitIDs, f.Unit.ID), "check_units", "security_audit.error.check_own_unit")
		var known int
		if err := tx.QueryRow(ctx, `SELECT count(*)::int FROM units WHERE id = ANY($1)`, unitIDs).Scan(&known); err != nil {
			return err
		}
		fe.Check(known == len(unitIDs), "check_units", "validation.choose")
		if err := fe.Err(); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `INSERT INTO security_audit_checks (finding_id, unit_id)
			SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING RETURNING unit_id`, findingID, unitIDs)
		if err != nil {
			return err
		}
		added, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil || len(added) == 0 {
			return err
		}
		slices.Sort(added)
		return appendAudit(ctx, tx, actor, "audit_check.request", "audit_finding", idString(findingID), nil,
			map[string][]int64{"check_units": added})
	}))
}

// AnswerAuditCheck records a unit's answer to a check: the same problem found or not, with a note,
// by a manager of the unit.
func (db *DB) AnswerAuditCheck(ctx context.Context, actor isms.Actor, checkID int64, in isms.AuditCheckAnswer) error {
	return wrap("answer audit check", db.inTx(ctx, func(tx pgx.Tx) error {
		var findingID int64
		err := tx.QueryRow(ctx, `SELECT finding_id FROM security_audit_checks WHERE id = $1`, checkID).Scan(&findingID)
		if errors.Is(err, pgx.ErrNoRows) {
			return isms.Errorf(isms.ENOTFOUND, "check %d not found", checkID)
		}
		if err != nil {
			return err
		}
		f, err := loadFinding(ctx, tx, actor, findingID, true)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(f.Checks, func(c isms.AuditCheck) bool { return c.ID == checkID })
		before := f.Checks[i]
		if before.Version != in.Version {
			return errConflict("the check")
		}
		if !before.CanAnswer(actor) {
			return isms.Errorf(isms.EFORBIDDEN, "not a manager of the unit checked")
		}
		if err := in.Validate().Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE security_audit_checks SET status = 'checked', found = $2, note = $3, checked_on = $4,
			checked_by = nullif($5, 0), updated_at = now(), version = version + 1 WHERE id = $1`,
			checkID, in.Found, in.Note, actor.Day(), actor.UserID); err != nil {
			return err
		}
		after := before
		after.Status, after.Found, after.Note, after.Version = "checked", in.Found, in.Note, before.Version+1
		day := actor.Day()
		after.CheckedOn = &day
		return appendAudit(ctx, tx, actor, "audit_check.answer", "audit_finding", idString(findingID), before, after)
	}))
}

// --- planning ---

// FindAuditTasks returns, for the actor (unitID 0), the corrective actions to be done that they
// own or that concern a unit they manage, the actions done that they are to verify as an auditor
// of the audit, the checks their managed units were told to make, and the audits in progress they
// audit (their findings to write up); for a unit the actor sees, the unit's corrective actions to
// be done and its checks to make.
func (db *DB) FindAuditTasks(ctx context.Context, actor isms.Actor, unitID int64) ([]isms.Task, error) {
	if unitID != 0 && !actor.Sees(unitID) && !actor.Manages(unitID) && !isms.ReadsAllAudits(actor) {
		return nil, wrap("find audit tasks", isms.Errorf(isms.ENOTFOUND, "unit %d not found", unitID))
	}
	units := []int64{unitID}
	if unitID == 0 {
		units = actor.ManagedUnitIDs
		if units == nil {
			units = []int64{}
		}
	}
	mine := unitID == 0 && actor.UserID != 0
	// One query of four parts, each a kind of task: kind, title, page, due day, unit.
	rows, err := db.pool.Query(ctx, `
		SELECT 'corrective_action', f.title, '/audits/findings/' || f.id, c.due_on, u.id, u.name
		FROM security_audit_actions c JOIN security_audit_findings f ON f.id = c.finding_id
		JOIN units u ON u.id = f.unit_id JOIN people p ON p.id = c.owner_id
		WHERE c.status IN ('open', 'reopened') AND (f.unit_id = ANY($1) OR $2 AND p.user_id = $3)
		UNION ALL
		SELECT 'verification', f.title, '/audits/findings/' || f.id, NULL::date, u.id, u.name
		FROM security_audit_actions c JOIN security_audit_findings f ON f.id = c.finding_id
		JOIN units u ON u.id = f.unit_id JOIN people p ON p.id = c.owner_id
		WHERE $2 AND c.status = 'done' AND p.user_id IS DISTINCT FROM $3 AND EXISTS (
			SELECT 1 FROM security_audit_auditors x JOIN people xp ON xp.id = x.person_id
			WHERE x.audit_id = f.audit_id AND xp.user_id = $3)
		UNION ALL
		SELECT 'audit_check', f.title, '/audits/findings/' || f.id, NULL::date, u.id, u.name
		FROM security_audit_checks k JOIN security_audit_findings f ON f.id = k.finding_id JOIN units u ON u.id = k.unit_id
		WHERE k.status = 'open' AND k.unit_id = ANY($1)
		UNION ALL
		SELECT 'finding', a.title, '/audits/' || a.id, coalesce(a.actual_end, a.planned_end), 0::bigint, ''
		FROM security_audits a
		WHERE $2 AND a.status = 'in_progress' AND EXISTS (
			SELECT 1 FROM security_audit_auditors x JOIN people xp ON xp.id = x.person_id
			WHERE x.audit_id = a.id AND xp.user_id = $3)`, units, mine, actor.UserID)
	if err != nil {
		return nil, wrap("find audit tasks", err)
	}
	tasks, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.Task])
	if err != nil {
		return nil, wrap("find audit tasks", err)
	}
	slices.SortStableFunc(tasks, func(a, b isms.Task) int {
		switch {
		case a.DueOn == nil && b.DueOn != nil:
			return 1
		case a.DueOn != nil && b.DueOn == nil:
			return -1
		case a.DueOn != nil && !a.DueOn.Equal(*b.DueOn):
			return a.DueOn.Compare(*b.DueOn)
		}
		return cmp.Compare(a.Title, b.Title)
	})
	return tasks, nil
}

// FindAuditCalendar returns the fieldwork periods of the audits of fiscal year fy that the actor
// reads.
func (db *DB) FindAuditCalendar(ctx context.Context, actor isms.Actor, fy int) ([]isms.CalendarEntry, error) {
	audits, err := db.FindSecurityAudits(ctx, actor, fy)
	if err != nil {
		return nil, wrap("find audit calendar", err)
	}
	entries := make([]isms.CalendarEntry, 0, len(audits))
	for _, a := range audits {
		end := a.End()
		entries = append(entries, isms.CalendarEntry{Kind: "audit", Title: a.Title, Href: fmt.Sprintf("/audits/%d", a.ID),
			Start: a.Start(), End: &end})
	}
	return entries, nil
}
