package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The outsourcing register (業務委託, domain.md §7.1): contractors, contracts with their clause
// checklist and systems, periodic reports, checks, the end of a contract and linked incidents.
//
// Need to know is in SQL: a contract is found by those who see or manage its unit (the security
// office, the CISO and auditors see every unit); for anyone else it does not exist (ENOTFOUND).
// A contractor is found by those who find one of its contracts. Changes by someone who sees the
// contract but may not make them are EFORBIDDEN. Everything about a contract — its clauses,
// reports, checks, end and incidents — is filed in the audit trail under the contract, so that
// its history reads in one place.

// contractScope is the SQL condition that the actor reads the contracts of the unit in column.
func contractScope(actor isms.Actor, args *auditArgs, column string) string {
	units := slices.Concat(actor.UnitIDs, actor.ManagedUnitIDs)
	if units == nil {
		units = []int64{}
	}
	return "(" + args.add(actor.AllUnits) + " OR " + column + " = ANY(" + args.add(units) + "))"
}

// contractAttention is the SQL condition that the contract c needs action on the day today (a
// placeholder): isms.Contract.Issues asks the same in Go.
func contractAttention(today string) string {
	return `(c.status = 'active' AND (EXISTS (SELECT 1 FROM contract_clauses xk WHERE xk.contract_id = c.id AND NOT xk.included)
		OR c.next_check_due < ` + today + `::date OR c.report_every_months > 0 AND c.next_report_due < ` + today + `::date)
		OR c.status = 'ended' AND c.returned_on IS NULL)`
}

// contractColumns are read by every query that returns isms.Contract; scanContract reads them in
// this order.
const contractColumns = `c.id, c.number, c.contractor_id, k.name, c.unit_id, u.name, c.title, c.external_number,
	c.period_from, c.period_to, c.scope, c.personal_data, c.lead_name, c.lead_contact, c.emergency_contact, c.workers,
	c.work_place, c.access_scope, c.access_method, c.remote_maintenance, c.remote_method, c.subcontracting,
	c.subcontract_approved_by, c.subcontract_approved_on, c.subcontractor, c.sla, c.education_confirmed_on,
	c.report_every_months, c.next_report_due, c.next_check_due, c.status, c.ended_on, c.returned_on, c.return_method,
	c.certificate_name, c.version`

const contractFrom = `contracts c JOIN contractors k ON k.id = c.contractor_id JOIN units u ON u.id = c.unit_id`

func scanContract(row pgx.Row) (isms.Contract, error) {
	var c isms.Contract
	err := row.Scan(&c.ID, &c.Number, &c.ContractorID, &c.ContractorName, &c.UnitID, &c.UnitName, &c.Title, &c.ExternalNumber,
		&c.PeriodFrom, &c.PeriodTo, &c.Scope, &c.PersonalData, &c.LeadName, &c.LeadContact, &c.EmergencyContact, &c.Workers,
		&c.WorkPlace, &c.AccessScope, &c.AccessMethod, &c.RemoteMaintenance, &c.RemoteMethod, &c.Subcontracting,
		&c.SubcontractApprovedBy, &c.SubcontractApprovedOn, &c.Subcontractor, &c.SLA, &c.EducationConfirmedOn,
		&c.ReportEveryMonths, &c.NextReportDue, &c.NextCheckDue, &c.Status, &c.EndedOn, &c.ReturnedOn, &c.ReturnMethod,
		&c.CertificateName, &c.Version)
	return c, err
}

// findContracts runs a query of contracts (its columns contractColumns) and gives each its clauses
// and systems: one query each for the whole list.
func findContracts(ctx context.Context, q querier, query string, args ...any) ([]isms.Contract, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.Contract, error) { return scanContract(r) })
	if err != nil || len(list) == 0 {
		return list, err
	}
	ids := make([]int64, len(list))
	at := map[int64]int{}
	for n, c := range list {
		ids[n], at[c.ID] = c.ID, n
	}
	rows, err = q.Query(ctx, `SELECT contract_id, clause, included, note FROM contract_clauses
		WHERE contract_id = ANY($1) ORDER BY contract_id, clause`, ids)
	if err != nil {
		return nil, err
	}
	var id int64
	var k isms.ContractClause
	if _, err := pgx.ForEachRow(rows, []any{&id, &k.Clause, &k.Included, &k.Note}, func() error {
		list[at[id]].Clauses = append(list[at[id]].Clauses, k)
		return nil
	}); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT l.contract_id, s.id, s.code, s.name FROM contract_systems l
		JOIN systems s ON s.id = l.system_id WHERE l.contract_id = ANY($1) ORDER BY s.code, s.id`, ids)
	if err != nil {
		return nil, err
	}
	var s isms.ContractLink
	_, err = pgx.ForEachRow(rows, []any{&id, &s.ID, &s.Code, &s.Name}, func() error {
		list[at[id]].Systems = append(list[at[id]].Systems, s)
		return nil
	})
	return list, err
}

// loadContract reads a contract the actor reads, with its clauses and systems (the record the
// audit trail keeps). lock holds its row until the transaction ends, so that two changes queue.
func loadContract(ctx context.Context, q querier, actor isms.Actor, id int64, lock bool) (isms.Contract, error) {
	args := auditArgs{id}
	query := `SELECT ` + contractColumns + ` FROM ` + contractFrom + ` WHERE c.id = $1 AND ` + contractScope(actor, &args, "c.unit_id")
	if lock {
		query += ` FOR UPDATE OF c`
	}
	list, err := findContracts(ctx, q, query, args...)
	if err != nil {
		return isms.Contract{}, err
	}
	if len(list) == 0 {
		return isms.Contract{}, isms.Errorf(isms.ENOTFOUND, "contract %d not found", id)
	}
	return list[0], nil
}

// FindContract returns a contract with its reports and checks (newest first) and the linked
// incidents the actor sees; those the actor may not see are only counted.
func (db *DB) FindContract(ctx context.Context, actor isms.Actor, id int64) (isms.Contract, error) {
	c, err := loadContract(ctx, db.pool, actor, id, false)
	if err != nil {
		return c, wrap("find contract", err)
	}
	rows, err := db.pool.Query(ctx, `SELECT id, period, due_on, received_on, summary FROM contract_reports
		WHERE contract_id = $1 ORDER BY received_on DESC, id DESC`, id)
	if err != nil {
		return c, wrap("find contract", err)
	}
	if c.Reports, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.ContractReport]); err != nil {
		return c, wrap("find contract", err)
	}
	rows, err = db.pool.Query(ctx, `SELECT k.id, k.checked_on, k.checked_by, u.display_name, k.method, k.result, k.findings, k.next_due
		FROM contract_checks k JOIN users u ON u.id = k.checked_by WHERE k.contract_id = $1 ORDER BY k.checked_on DESC, k.id DESC`, id)
	if err != nil {
		return c, wrap("find contract", err)
	}
	if c.Checks, err = pgx.CollectRows(rows, pgx.RowToStructByPos[isms.ContractCheck]); err != nil {
		return c, wrap("find contract", err)
	}
	args := []any{id}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	rows, err = db.pool.Query(ctx, `SELECT i.id, i.number, i.title, `+incidentVisible(actor, arg)+`
		FROM contract_incidents l JOIN incidents i ON i.id = l.incident_id WHERE l.contract_id = $1 ORDER BY i.id`, args...)
	if err != nil {
		return c, wrap("find contract", err)
	}
	var l isms.ContractLink
	var visible bool
	_, err = pgx.ForEachRow(rows, []any{&l.ID, &l.Code, &l.Name, &visible}, func() error {
		if visible {
			c.Incidents = append(c.Incidents, l)
		} else {
			c.HiddenIncidents++
		}
		return nil
	})
	return c, wrap("find contract", err)
}

// FindContracts returns a page of the contracts the actor reads, newest first, and the id to
// continue below (0 on the last page).
func (db *DB) FindContracts(ctx context.Context, actor isms.Actor, f isms.ContractFilter) ([]isms.Contract, int64, error) {
	switch {
	case f.Limit <= 0:
		f.Limit = 50
	case f.Limit > 200:
		f.Limit = 200
	}
	var args auditArgs
	where := []string{contractScope(actor, &args, "c.unit_id")}
	if f.UnitID != 0 {
		where = append(where, "c.unit_id = "+args.add(f.UnitID))
	}
	if f.Status != "" {
		where = append(where, "c.status = "+args.add(f.Status))
	}
	if f.ContractorID != 0 {
		where = append(where, "c.contractor_id = "+args.add(f.ContractorID))
	}
	if f.Attention {
		where = append(where, contractAttention(args.add(actor.Day())))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		p := args.add("%" + escapeLike(q) + "%")
		where = append(where, fmt.Sprintf("(k.name ILIKE %[1]s OR c.title ILIKE %[1]s OR c.number ILIKE %[1]s OR c.external_number ILIKE %[1]s)", p))
	}
	if f.Before > 0 {
		where = append(where, "c.id < "+args.add(f.Before))
	}
	list, err := findContracts(ctx, db.pool, `SELECT `+contractColumns+` FROM `+contractFrom+`
		WHERE `+strings.Join(where, " AND ")+` ORDER BY c.id DESC LIMIT `+args.add(f.Limit+1), args...)
	if err != nil {
		return nil, 0, wrap("find contracts", err)
	}
	var next int64
	if len(list) > f.Limit {
		list = list[:f.Limit]
		next = list[len(list)-1].ID
	}
	return list, next, nil
}

// contractorID returns the id of the contractor named name, registering it (and recording that)
// when there is none: the contract form chooses or creates the firm by its name.
func contractorID(ctx context.Context, tx pgx.Tx, actor isms.Actor, name string) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO contractors (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id`, name).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return id, tx.QueryRow(ctx, `SELECT id FROM contractors WHERE name = $1`, name).Scan(&id)
	}
	if err != nil {
		return 0, err
	}
	return id, appendAudit(ctx, tx, actor, "contractor.create", "contractor", idString(id), nil, isms.Contractor{ID: id, Name: name, Version: 1})
}

// checkContractInput checks the form, the actor's right to keep the contracts of its unit, and
// that the systems named are in the actor's scope.
func checkContractInput(ctx context.Context, tx pgx.Tx, actor isms.Actor, in isms.ContractInput) error {
	if err := in.Validate().Err(); err != nil {
		return err
	}
	if !isms.EditsContract(actor, in.UnitID) {
		return isms.Errorf(isms.EFORBIDDEN, "may not keep the contracts of unit %d", in.UnitID)
	}
	var n int
	args := auditArgs{in.SystemIDs}
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM systems s WHERE s.id = ANY($1) AND `+contractScope(actor, &args, "s.unit_id"),
		args...).Scan(&n); err != nil {
		return err
	}
	if n != len(in.SystemIDs) {
		return isms.FieldErrors{"system_ids": "validation.choose"}.Err()
	}
	return nil
}

// writeContractSystems replaces the systems of contract id with those of the form.
func writeContractSystems(ctx context.Context, tx pgx.Tx, id int64, systems []int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM contract_systems WHERE contract_id = $1`, id); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO contract_systems (contract_id, system_id) SELECT $1, unnest($2::bigint[])`, id, systems)
	return err
}

// contractValues are the form's values in the order of the columns contractSet names ($2 on).
func contractValues(id, contractor int64, in isms.ContractInput) []any {
	return []any{id, contractor, in.UnitID, in.Title, in.ExternalNumber, in.PeriodFrom, in.PeriodTo, in.Scope,
		in.PersonalData, in.LeadName, in.LeadContact, in.EmergencyContact, in.Workers, in.WorkPlace, in.AccessScope,
		in.AccessMethod, in.RemoteMaintenance, in.RemoteMethod, in.Subcontracting, in.SubcontractApprovedBy,
		in.SubcontractApprovedOn, in.Subcontractor, in.SLA, in.EducationConfirmedOn, in.ReportEveryMonths,
		in.NextReportDue, in.NextCheckDue}
}

// contractFormColumns are the columns the contract form sets, in the order of contractValues.
var contractFormColumns = []string{"contractor_id", "unit_id", "title", "external_number", "period_from", "period_to",
	"scope", "personal_data", "lead_name", "lead_contact", "emergency_contact", "workers", "work_place", "access_scope",
	"access_method", "remote_maintenance", "remote_method", "subcontracting", "subcontract_approved_by",
	"subcontract_approved_on", "subcontractor", "sla", "education_confirmed_on", "report_every_months",
	"next_report_due", "next_check_due"}

// CreateContract registers a contract for a unit the actor keeps, with its 13 clauses unticked
// (missing until the checklist marks them).
func (db *DB) CreateContract(ctx context.Context, actor isms.Actor, in isms.ContractInput) (isms.Contract, error) {
	in.Normalize()
	var c isms.Contract
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkContractInput(ctx, tx, actor, in); err != nil {
			return err
		}
		contractor, err := contractorID(ctx, tx, actor, in.ContractorName)
		if err != nil {
			return err
		}
		values := contractValues(0, contractor, in)[1:]
		marks := make([]string, len(values))
		for n := range marks {
			marks[n] = fmt.Sprintf("$%d", n+1)
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO contracts (`+strings.Join(contractFormColumns, ", ")+`, created_by)
			VALUES (`+strings.Join(marks, ", ")+fmt.Sprintf(", nullif($%d, 0)) RETURNING id", len(values)+1),
			append(values, actor.UserID)...).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO contract_clauses (contract_id, clause) SELECT $1, generate_series(1, $2::int)`,
			id, isms.ContractClauseCount); err != nil {
			return err
		}
		if err := writeContractSystems(ctx, tx, id, in.SystemIDs); err != nil {
			return err
		}
		if c, err = loadContract(ctx, tx, actor, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "contract.create", "contract", idString(id), nil, c)
	})
	return c, wrap("create contract", err)
}

// changeContract runs change on a contract the actor reads, locked, when allowed says the actor
// may make it and version is the one the form showed (else ECONFLICT); then it bumps the version
// and records the contract before and after under action, with what change added (a report, a
// check, the incident linked) beside the record after, so that the trail holds it too.
func (db *DB) changeContract(ctx context.Context, actor isms.Actor, id int64, version int, action string,
	allowed func(isms.Actor, int64) bool, change func(tx pgx.Tx, before isms.Contract) (added any, err error)) (isms.Contract, error) {
	var after isms.Contract
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadContract(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if !allowed(actor, before.UnitID) {
			return isms.Errorf(isms.EFORBIDDEN, "may not change contract %d", id)
		}
		if version >= 0 && before.Version != version {
			return errConflict("the contract")
		}
		added, err := change(tx, before)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE contracts SET updated_at = now(), version = version + 1 WHERE id = $1`, id); err != nil {
			return err
		}
		if after, err = loadContract(ctx, tx, actor, id, false); err != nil {
			return err
		}
		if added == nil {
			return appendAudit(ctx, tx, actor, action, "contract", idString(id), before, after)
		}
		return appendAudit(ctx, tx, actor, action, "contract", idString(id), before, struct {
			isms.Contract
			Added any `json:"added"`
		}{after, added})
	})
	return after, wrap(strings.ReplaceAll(action, ".", " "), err)
}

// anyVersion tells changeContract that the change adds to the record and needs no version.
const anyVersion = -1

// UpdateContract changes a contract as the form gives it; moving it to another unit needs the
// right to keep that unit's contracts too.
func (db *DB) UpdateContract(ctx context.Context, actor isms.Actor, id int64, in isms.ContractInput) (isms.Contract, error) {
	in.Normalize()
	return db.changeContract(ctx, actor, id, in.Version, "contract.update", isms.EditsContract, func(tx pgx.Tx, _ isms.Contract) (any, error) {
		if err := checkContractInput(ctx, tx, actor, in); err != nil {
			return nil, err
		}
		contractor, err := contractorID(ctx, tx, actor, in.ContractorName)
		if err != nil {
			return nil, err
		}
		sets := make([]string, len(contractFormColumns))
		for n, col := range contractFormColumns {
			sets[n] = fmt.Sprintf("%s = $%d", col, n+2)
		}
		if _, err := tx.Exec(ctx, `UPDATE contracts SET `+strings.Join(sets, ", ")+` WHERE id = $1`,
			contractValues(id, contractor, in)...); err != nil {
			return nil, err
		}
		return nil, writeContractSystems(ctx, tx, id, in.SystemIDs)
	})
}

// SaveContractClauses records the clause checklist (①–⑬) as the form gives it.
func (db *DB) SaveContractClauses(ctx context.Context, actor isms.Actor, id int64, in isms.ContractClausesInput) (isms.Contract, error) {
	in.Normalize()
	return db.changeContract(ctx, actor, id, in.Version, "contract.clauses", isms.EditsContract, func(tx pgx.Tx, _ isms.Contract) (any, error) {
		if err := in.Validate().Err(); err != nil {
			return nil, err
		}
		for _, k := range in.Clauses {
			if _, err := tx.Exec(ctx, `INSERT INTO contract_clauses (contract_id, clause, included, note) VALUES ($1, $2, $3, $4)
				ON CONFLICT (contract_id, clause) DO UPDATE SET included = excluded.included, note = excluded.note`,
				id, k.Clause, k.Included, k.Note); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
}

// AddContractReport records a periodic report received. When the contract has reports every few
// months, the next one falls due that many months after the day this one was due (or, without
// one, the day it came), never earlier than the next already set.
func (db *DB) AddContractReport(ctx context.Context, actor isms.Actor, id int64, in isms.ContractReportInput) error {
	_, err := db.changeContract(ctx, actor, id, anyVersion, "contract.report", isms.EditsContract, func(tx pgx.Tx, before isms.Contract) (any, error) {
		if err := in.Validate(actor.Day()).Err(); err != nil {
			return nil, err
		}
		report := isms.ContractReport{Period: in.Period, DueOn: in.DueOn, ReceivedOn: *in.ReceivedOn, Summary: in.Summary}
		if err := tx.QueryRow(ctx, `INSERT INTO contract_reports (contract_id, period, due_on, received_on, summary, created_by)
			VALUES ($1, $2, $3, $4, $5, nullif($6, 0)) RETURNING id`, id, in.Period, in.DueOn, in.ReceivedOn, in.Summary,
			actor.UserID).Scan(&report.ID); err != nil {
			return nil, err
		}
		if before.ReportEveryMonths == 0 {
			return report, nil
		}
		base := *in.ReceivedOn
		if in.DueOn != nil {
			base = *in.DueOn
		}
		_, err := tx.Exec(ctx, `UPDATE contracts SET next_report_due = greatest(next_report_due, $2::date) WHERE id = $1`,
			id, base.AddDate(0, before.ReportEveryMonths, 0))
		return report, err
	})
	return err
}

// AddContractCheck records a check of the contractor by the unit's 管理者 or the security office;
// its next due day becomes the contract's (定期確認).
func (db *DB) AddContractCheck(ctx context.Context, actor isms.Actor, id int64, in isms.ContractCheckInput) error {
	_, err := db.changeContract(ctx, actor, id, anyVersion, "contract.check", isms.ChecksContract, func(tx pgx.Tx, before isms.Contract) (any, error) {
		if err := in.Validate(actor.Day(), before.Status == isms.ContractActive).Err(); err != nil {
			return nil, err
		}
		if !actor.SignedIn() {
			return nil, isms.Errorf(isms.EFORBIDDEN, "a check is recorded by a person")
		}
		check := isms.ContractCheck{CheckedOn: *in.CheckedOn, CheckedBy: actor.UserID, Method: in.Method, Result: in.Result,
			Findings: in.Findings, NextDue: in.NextDue}
		if err := tx.QueryRow(ctx, `INSERT INTO contract_checks (contract_id, checked_on, checked_by, method, result, findings, next_due)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, id, in.CheckedOn, actor.UserID, in.Method, in.Result, in.Findings,
			in.NextDue).Scan(&check.ID); err != nil {
			return nil, err
		}
		_, err := tx.Exec(ctx, `UPDATE contracts SET next_check_due = coalesce($2, next_check_due) WHERE id = $1`, id, in.NextDue)
		return check, err
	})
	return err
}

// EndContract ends the contract, or on an ended one records the return or disposal later, with
// the certificate when one is sent (else the one held is kept).
func (db *DB) EndContract(ctx context.Context, actor isms.Actor, id int64, in isms.ContractEndInput) (isms.Contract, error) {
	return db.changeContract(ctx, actor, id, in.Version, "contract.end", isms.EditsContract, func(tx pgx.Tx, before isms.Contract) (any, error) {
		if err := in.Validate(actor.Day(), before.PeriodFrom).Err(); err != nil {
			return nil, err
		}
		if in.Certificate == nil && before.CertificateName != "" && in.ReturnedOn == nil {
			return nil, isms.FieldErrors{"returned_on": "contract.error.certificate_without_return"}.Err()
		}
		_, err := tx.Exec(ctx, `UPDATE contracts SET status = 'ended', ended_on = $2, returned_on = $3, return_method = $4,
			certificate = coalesce($5, certificate), certificate_name = CASE WHEN $5::bytea IS NULL THEN certificate_name ELSE $6 END
			WHERE id = $1`, id, in.EndedOn, in.ReturnedOn, in.ReturnMethod, in.Certificate, in.CertificateName)
		return nil, err
	})
}

// FindContractCertificate returns the certificate of return or disposal of a contract the actor
// reads: its file name and content (ENOTFOUND when none is kept).
func (db *DB) FindContractCertificate(ctx context.Context, actor isms.Actor, id int64) (string, []byte, error) {
	args := auditArgs{id}
	var name string
	var content []byte
	err := db.pool.QueryRow(ctx, `SELECT c.certificate_name, c.certificate FROM contracts c
		WHERE c.id = $1 AND c.certificate IS NOT NULL AND `+contractScope(actor, &args, "c.unit_id"), args...).Scan(&name, &content)
	if errors.Is(err, pgx.ErrNoRows) {
		err = isms.Errorf(isms.ENOTFOUND, "no certificate of contract %d", id)
	}
	return name, content, wrap("find contract certificate", err)
}

// LinkContractIncident links the incident numbered number to the contract: only an incident the
// actor sees may be linked (else a field error under "incident_number", telling nothing of it).
func (db *DB) LinkContractIncident(ctx context.Context, actor isms.Actor, id int64, number string) error {
	_, err := db.changeContract(ctx, actor, id, anyVersion, "contract.link_incident", isms.EditsContract, func(tx pgx.Tx, _ isms.Contract) (any, error) {
		args := []any{strings.TrimSpace(number)}
		arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
		var incident isms.ContractLink
		err := tx.QueryRow(ctx, `SELECT i.id, i.number, i.title FROM incidents i WHERE i.number = $1 AND `+incidentVisible(actor, arg),
			args...).Scan(&incident.ID, &incident.Code, &incident.Name)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, isms.FieldErrors{"incident_number": "contract.error.incident_not_found"}.Err()
		}
		if err != nil {
			return nil, err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO contract_incidents (contract_id, incident_id, linked_by) VALUES ($1, $2, nullif($3, 0))
			ON CONFLICT DO NOTHING`, id, incident.ID, actor.UserID)
		if err == nil && tag.RowsAffected() == 0 {
			return nil, isms.FieldErrors{"incident_number": "contract.error.incident_linked"}.Err()
		}
		return incident, err
	})
	return err
}

// UnlinkContractIncident removes the link to an incident the actor sees.
func (db *DB) UnlinkContractIncident(ctx context.Context, actor isms.Actor, id, incidentID int64) error {
	_, err := db.changeContract(ctx, actor, id, anyVersion, "contract.unlink_incident", isms.EditsContract, func(tx pgx.Tx, _ isms.Contract) (any, error) {
		args := []any{id, incidentID}
		arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
		tag, err := tx.Exec(ctx, `DELETE FROM contract_incidents l USING incidents i
			WHERE l.contract_id = $1 AND l.incident_id = $2 AND i.id = l.incident_id AND `+incidentVisible(actor, arg), args...)
		if err == nil && tag.RowsAffected() == 0 {
			return nil, isms.Errorf(isms.ENOTFOUND, "incident %d not linked", incidentID)
		}
		return map[string]int64{"incident_id": incidentID}, err
	})
	return err
}

// --- contractors ---

const contractorColumns = `k.id, k.name, k.address, k.isms_certified, k.isms_number, k.pmark_certified, k.pmark_number,
	k.ismap_listed, k.other_certifications, k.notes, k.version`

// loadContractor reads a contractor the actor finds one contract of (every one for those who see
// every unit), and whether the actor may change it: the security office, or the staff of a unit
// with a contract with it.
func loadContractor(ctx context.Context, q querier, actor isms.Actor, id int64, lock bool) (isms.Contractor, error) {
	args := auditArgs{id}
	query := `SELECT ` + contractorColumns + ` FROM contractors k WHERE k.id = $1 AND (` + args.add(actor.AllUnits) + `
		OR EXISTS (SELECT 1 FROM contracts c WHERE c.contractor_id = k.id AND ` + contractScope(actor, &args, "c.unit_id") + `))`
	if lock {
		query += ` FOR UPDATE`
	}
	var k isms.Contractor
	err := q.QueryRow(ctx, query, args...).Scan(&k.ID, &k.Name, &k.Address, &k.ISMSCertified, &k.ISMSNumber, &k.PMarkCertified,
		&k.PMarkNumber, &k.ISMAPListed, &k.OtherCertifications, &k.Notes, &k.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return k, isms.Errorf(isms.ENOTFOUND, "contractor %d not found", id)
	}
	if err != nil {
		return k, err
	}
	rows, err := q.Query(ctx, `SELECT DISTINCT unit_id FROM contracts WHERE contractor_id = $1`, id)
	if err != nil {
		return k, err
	}
	units, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	k.Editable = actor.Can(isms.PermEditAllRegisters) || slices.ContainsFunc(units, actor.Edits)
	return k, err
}

// FindContractor returns a contractor with the contracts the actor reads, newest first.
func (db *DB) FindContractor(ctx context.Context, actor isms.Actor, id int64) (isms.Contractor, error) {
	k, err := loadContractor(ctx, db.pool, actor, id, false)
	if err == nil {
		k.Contracts, _, err = db.FindContracts(ctx, actor, isms.ContractFilter{ContractorID: id, Limit: 200})
	}
	return k, wrap("find contractor", err)
}

// FindContractorNames returns the names of the contractors registered, for the contract form to
// offer: a firm's name is not need-to-know, and choosing it keeps one record per firm.
func (db *DB) FindContractorNames(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT name FROM contractors ORDER BY name`)
	if err != nil {
		return nil, wrap("find contractor names", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return names, wrap("find contractor names", err)
}

// UpdateContractor changes a contractor's record; in.Version is the version the form showed.
func (db *DB) UpdateContractor(ctx context.Context, actor isms.Actor, id int64, in isms.ContractorInput) (isms.Contractor, error) {
	in.Normalize()
	var after isms.Contractor
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadContractor(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if !before.Editable {
			return isms.Errorf(isms.EFORBIDDEN, "may not change contractor %d", id)
		}
		if before.Version != in.Version {
			return errConflict("the contractor")
		}
		if err := in.Validate().Err(); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE contractors SET name = $2, address = $3, isms_certified = $4, isms_number = $5,
			pmark_certified = $6, pmark_number = $7, ismap_listed = $8, other_certifications = $9, notes = $10,
			updated_at = now(), version = version + 1 WHERE id = $1`, id, in.Name, in.Address, in.ISMSCertified, in.ISMSNumber,
			in.PMarkCertified, in.PMarkNumber, in.ISMAPListed, in.OtherCertifications, in.Notes)
		if isUniqueViolation(err) {
			return isms.FieldErrors{"name": "contract.error.contractor_exists"}.Err()
		}
		if err != nil {
			return err
		}
		if after, err = loadContractor(ctx, tx, actor, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "contractor.update", "contractor", idString(id), before, after)
	})
	return after, wrap("update contractor", err)
}

// FindContractSystems returns the systems the actor may name on a contract: those of the units
// in the actor's scope.
func (db *DB) FindContractSystems(ctx context.Context, actor isms.Actor) ([]isms.ContractLink, error) {
	var args auditArgs
	rows, err := db.pool.Query(ctx, `SELECT s.id, s.code, s.name FROM systems s WHERE `+contractScope(actor, &args, "s.unit_id")+`
		ORDER BY s.code, s.id`, args...)
	if err != nil {
		return nil, wrap("find contract systems", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[isms.ContractLink])
	return list, wrap("find contract systems", err)
}

// --- planning ---

// contractTasks turns the contracts that need action, in units (every unit in the actor's scope
// when all), into tasks: a check due within ContractCheckSoonDays or overdue, missing clauses, a
// report overdue, an end without the return confirmed.
func (db *DB) contractTasks(ctx context.Context, actor isms.Actor, units []int64, all bool) ([]isms.Task, error) {
	today := actor.Day()
	args := auditArgs{today}
	var scope string
	if all {
		scope = contractScope(actor, &args, "c.unit_id")
	} else {
		scope = "c.unit_id = ANY(" + args.add(units) + ")"
	}
	list, err := findContracts(ctx, db.pool, `SELECT `+contractColumns+` FROM `+contractFrom+` WHERE `+scope+`
		AND (`+contractAttention("$1")+` OR c.status = 'active' AND c.next_check_due <= $1::date + `+
		args.add(isms.ContractCheckSoonDays)+`::int) ORDER BY c.id`, args...)
	if err != nil {
		return nil, err
	}
	var tasks []isms.Task
	for _, c := range list {
		task := isms.Task{Title: c.Number + " " + c.Title, Href: fmt.Sprintf("/contracts/%d", c.ID), UnitID: c.UnitID, UnitName: c.UnitName}
		add := func(kind string, due *time.Time) {
			t := task
			t.Kind, t.DueOn = kind, due
			tasks = append(tasks, t)
		}
		if c.CheckSoon(today) {
			add("contract_check", c.NextCheckDue)
		}
		for _, issue := range c.Issues(today) {
			switch issue {
			case "clauses":
				add("contract_clauses", nil)
			case "report_overdue":
				add("contract_report", c.NextReportDue)
			case "unreturned":
				add("contract_return", nil)
			}
		}
	}
	return tasks, nil
}

// FindContractTasks answers the contract tasks of the actor (unitID 0: the contracts of the units
// they manage) or of the unit unitID, when the actor reads its contracts.
func (db *DB) FindContractTasks(ctx context.Context, actor isms.Actor, unitID int64) ([]isms.Task, error) {
	if unitID != 0 && !isms.ReadsContract(actor, unitID) {
		return nil, wrap("find contract tasks", isms.Errorf(isms.ENOTFOUND, "unit %d not found", unitID))
	}
	units := []int64{unitID}
	if unitID == 0 {
		units = append([]int64{}, actor.ManagedUnitIDs...)
	}
	tasks, err := db.contractTasks(ctx, actor, units, false)
	return tasks, wrap("find contract tasks", err)
}

// FindContractAttention answers every contract record in the actor's scope that needs action.
func (db *DB) FindContractAttention(ctx context.Context, actor isms.Actor) ([]isms.Task, error) {
	tasks, err := db.contractTasks(ctx, actor, nil, true)
	return tasks, wrap("find contract attention", err)
}
