package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The incident log (情報セキュリティインシデント, domain.md §4). Visibility is need to know, in
// SQL: an incident is found by its reporter, the managers of its units (actor.ManagedUnitIDs),
// and those isms.SeesAllIncidents answers for; for anyone else it does not exist (ENOTFOUND).
// Handling (triage, moves, assignment, actions, reports) is for isms.IncidentHandler (else
// EFORBIDDEN once the incident is visible). Every change writes its audit event in the same
// transaction, and the changes the timeline records (intake, triage, status, severity, assignee,
// escalation) write their timeline entry there too. The audit trail files every change of an
// incident, its timeline, actions and reports under the entity "incident" and the incident's id,
// so that its whole history reads in one place.

// incidentVisible is the SQL condition that the actor sees the incident of alias i, with the
// actor's arguments appended through arg.
func incidentVisible(actor isms.Actor, arg func(any) string) string {
	managed := actor.ManagedUnitIDs
	if managed == nil {
		managed = []int64{}
	}
	return "(" + arg(isms.SeesAllIncidents(actor)) + " OR i.reported_by = " + arg(actor.UserID) +
		" OR EXISTS (SELECT 1 FROM incident_units v WHERE v.incident_id = i.id AND v.unit_id = ANY(" + arg(managed) + ")))"
}

// incidentColumns are read by every query that returns isms.Incident; scanIncident reads them
// in this order.
const incidentColumns = `i.id, i.number, i.title, i.description, i.occurred_at, i.aware_at, i.place, i.affected_note,
	i.personal_info, i.first_action, i.channel, i.external_reporter, i.reported_by, rb.display_name, i.reported_at,
	i.is_incident, i.decided_at, coalesce(i.decided_by, 0), coalesce(dby.display_name, ''), i.severity,
	coalesce(i.category, ''), coalesce(i.zone, ''), i.impact, i.pi_items, i.pi_subjects, i.pi_sensitive,
	i.pi_ordinance, i.pi_my_number, i.wrongful_intent, i.financial_harm, i.secondary_harm, i.subject_response,
	i.publication, i.root_cause, i.other_notes, i.ppc_triggers, i.escalations, i.status, coalesce(i.assignee_id, 0),
	coalesce(asg.display_name, ''), i.recovered_at, i.closed_at, i.updated_at, i.version`

const incidentFrom = `incidents i
	JOIN users rb ON rb.id = i.reported_by
	LEFT JOIN users dby ON dby.id = i.decided_by
	LEFT JOIN users asg ON asg.id = i.assignee_id`

func scanIncident(row pgx.Row) (isms.Incident, error) {
	var i isms.Incident
	var triggers, escalations []string
	err := row.Scan(&i.ID, &i.Number, &i.Title, &i.Description, &i.OccurredAt, &i.AwareAt, &i.Place, &i.AffectedNote,
		&i.PersonalInfo, &i.FirstAction, &i.Channel, &i.ExternalReporter, &i.ReportedBy, &i.ReportedByName, &i.ReportedAt,
		&i.IsIncident, &i.DecidedAt, &i.DecidedBy, &i.DecidedByName, &i.Severity,
		&i.Category, &i.Zone, &i.Impact, &i.PIItems, &i.PISubjects, &i.PISensitive,
		&i.PIOrdinance, &i.PIMyNumber, &i.WrongfulIntent, &i.FinancialHarm, &i.SecondaryHarm, &i.SubjectResponse,
		&i.Publication, &i.RootCause, &i.OtherNotes, &triggers, &escalations, &i.Status, &i.AssigneeID,
		&i.AssigneeName, &i.RecoveredAt, &i.ClosedAt, &i.UpdatedAt, &i.Version)
	for _, t := range triggers {
		i.PPCTriggers = append(i.PPCTriggers, isms.PPCTrigger(t))
	}
	for _, e := range escalations {
		i.Escalations = append(i.Escalations, isms.Escalation(e))
	}
	return i, err
}

// The links of a set of incidents ($1), each with the incident's id first, in code order.
const (
	incidentUnitLinks = `SELECT l.incident_id, x.id, x.code, x.name FROM incident_units l
		JOIN units x ON x.id = l.unit_id WHERE l.incident_id = ANY($1) ORDER BY x.code, x.id`
	incidentAssetLinks = `SELECT l.incident_id, x.id, x.number, x.name FROM incident_assets l
		JOIN assets x ON x.id = l.asset_id WHERE l.incident_id = ANY($1) ORDER BY x.number, x.id`
	incidentSystemLinks = `SELECT l.incident_id, x.id, x.code, x.name FROM incident_systems l
		JOIN systems x ON x.id = l.system_id WHERE l.incident_id = ANY($1) ORDER BY x.code, x.id`
)

// incidentLinks runs one of the link queries for the incidents ids and returns the links by incident.
func incidentLinks(ctx context.Context, q querier, query string, ids []int64) (map[int64][]isms.IncidentLink, error) {
	rows, err := q.Query(ctx, query, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]isms.IncidentLink{}
	for rows.Next() {
		var incident int64
		var l isms.IncidentLink
		if err := rows.Scan(&incident, &l.ID, &l.Code, &l.Name); err != nil {
			return nil, err
		}
		out[incident] = append(out[incident], l)
	}
	return out, rows.Err()
}

// loadIncident reads an incident the actor sees with its links, actions and reports (not its
// timeline, which only FindIncident shows: this is also the record the audit trail keeps). lock
// holds the incident's row until the transaction ends, so that two changes of one incident queue.
func loadIncident(ctx context.Context, q querier, actor isms.Actor, id int64, lock bool) (isms.Incident, error) {
	args := []any{id}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	query := `SELECT ` + incidentColumns + ` FROM ` + incidentFrom + ` WHERE i.id = $1 AND ` + incidentVisible(actor, arg)
	if lock {
		query += ` FOR UPDATE OF i`
	}
	inc, err := scanIncident(q.QueryRow(ctx, query, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return inc, isms.Errorf(isms.ENOTFOUND, "incident %d not found", id)
	}
	if err != nil {
		return inc, err
	}
	ids := []int64{id}
	for _, l := range []struct {
		query string
		to    *[]isms.IncidentLink
	}{{incidentUnitLinks, &inc.Units}, {incidentAssetLinks, &inc.Assets}, {incidentSystemLinks, &inc.Systems}} {
		links, err := incidentLinks(ctx, q, l.query, ids)
		if err != nil {
			return inc, err
		}
		*l.to = links[id]
	}
	if inc.Actions, err = incidentActions(ctx, q, id); err != nil {
		return inc, err
	}
	inc.Reports, err = incidentReports(ctx, q, id)
	return inc, err
}

func incidentActions(ctx context.Context, q querier, id int64) ([]isms.IncidentAction, error) {
	rows, err := q.Query(ctx, `
		SELECT a.id, a.kind, a.description, coalesce(a.owner_id, 0), coalesce(p.name, ''), a.due_on, a.done_on, a.version
		FROM incident_actions a LEFT JOIN people p ON p.id = a.owner_id
		WHERE a.incident_id = $1 ORDER BY a.id`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.IncidentAction, error) {
		var a isms.IncidentAction
		err := r.Scan(&a.ID, &a.Kind, &a.Description, &a.OwnerID, &a.OwnerName, &a.DueOn, &a.DoneOn, &a.Version)
		return a, err
	})
}

// reportOrder is the order pages show an incident's reports in: the recipients' order, then as added.
var reportOrder = func() []string {
	var out []string
	for _, r := range isms.ReportRecipients {
		out = append(out, string(r))
	}
	return out
}()

func incidentReports(ctx context.Context, q querier, id int64) ([]isms.IncidentReport, error) {
	rows, err := q.Query(ctx, `
		SELECT id, recipient, due_on, done_on, note, version FROM incident_reports
		WHERE incident_id = $1 ORDER BY array_position($2::text[], recipient), id`, id, reportOrder)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.IncidentReport, error) {
		var rep isms.IncidentReport
		err := r.Scan(&rep.ID, &rep.Recipient, &rep.DueOn, &rep.DoneOn, &rep.Note, &rep.Version)
		return rep, err
	})
}

func incidentEvents(ctx context.Context, q querier, id int64) ([]isms.IncidentEvent, error) {
	rows, err := q.Query(ctx, `
		SELECT e.id, e.kind, e.at, e.body, e.detail, coalesce(e.created_by, 0), coalesce(u.display_name, ''), e.created_at
		FROM incident_events e LEFT JOIN users u ON u.id = e.created_by
		WHERE e.incident_id = $1 ORDER BY e.at, e.id`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.IncidentEvent, error) {
		var e isms.IncidentEvent
		err := r.Scan(&e.ID, &e.Kind, &e.At, &e.Body, &e.Detail, &e.CreatedBy, &e.CreatedByName, &e.CreatedAt)
		return e, err
	})
}

// addIncidentEvent appends an entry to the incident's timeline; at nil is now (the transaction's
// time, so that the entries of one change keep the order they were written in).
func addIncidentEvent(ctx context.Context, tx pgx.Tx, actor isms.Actor, id int64, kind isms.IncidentEventKind, at *time.Time, body string, detail map[string]string) error {
	if detail == nil {
		detail = map[string]string{}
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO incident_events (incident_id, kind, at, body, detail, created_by)
		VALUES ($1, $2, coalesce($3, now()), $4, $5, nullif($6, 0))`,
		id, kind, at, body, detail, actor.UserID)
	return err
}

// touchIncident marks the incident changed for lists without raising its version, which guards
// the triage form: adding an action or recording a report does not make that form stale.
func touchIncident(ctx context.Context, tx pgx.Tx, id int64) error {
	_, err := tx.Exec(ctx, `UPDATE incidents SET updated_at = now() WHERE id = $1`, id)
	return err
}

// closedAtFor is the SQL value of closed_at when the status becomes the one in parameter to: set
// when the incident leaves the open statuses, cleared when it is reopened, kept otherwise.
func closedAtFor(to string) string {
	return `CASE WHEN ` + to + ` = status THEN closed_at WHEN ` + to + ` IN ('closed', 'not_incident') THEN now() ELSE NULL END`
}

// requireHandler refuses an actor who may see the incident but does not handle incidents.
func requireHandler(actor isms.Actor) error {
	if !isms.IncidentHandler(actor) {
		return isms.Errorf(isms.EFORBIDDEN, "only the CSIRT and the security office handle incidents")
	}
	return nil
}

// CreateIncident records a report: a number of the fiscal year of its intake (2026-0001), the
// reporter's unit as the first unit concerned, status 受付, the intake timeline entry, the audit
// event incident.create. The intake day is the actor's day (the request's).
func (db *DB) CreateIncident(ctx context.Context, actor isms.Actor, in isms.IncidentInput) (isms.Incident, error) {
	if !actor.SignedIn() {
		return isms.Incident{}, isms.Errorf(isms.EFORBIDDEN, "a report needs a reporter")
	}
	in.Normalize()
	if err := in.Validate(time.Now()).Err(); err != nil {
		return isms.Incident{}, err
	}
	var inc isms.Incident
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		fy := isms.FiscalYearOf(actor.Day())
		var last int
		err := tx.QueryRow(ctx, `
			INSERT INTO incident_numbers AS n (fiscal_year, last) VALUES ($1, 1)
			ON CONFLICT (fiscal_year) DO UPDATE SET last = n.last + 1 RETURNING last`, fy).Scan(&last)
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRow(ctx, `
			INSERT INTO incidents (number, title, description, occurred_at, aware_at, place, affected_note,
				personal_info, first_action, channel, external_reporter, reported_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			fmt.Sprintf("%d-%04d", fy, last), in.Title, in.Description, in.OccurredAt, in.AwareAt, in.Place,
			in.AffectedNote, in.PersonalInfo, in.FirstAction, in.Channel, in.ExternalReporter, actor.UserID).Scan(&id)
		if err != nil {
			return err
		}
		if actor.UnitID != 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO incident_units (incident_id, unit_id) VALUES ($1, $2)`, id, actor.UnitID); err != nil {
				return err
			}
		}
		if err := addIncidentEvent(ctx, tx, actor, id, isms.EventIntake, nil, "", nil); err != nil {
			return err
		}
		if inc, err = loadIncident(ctx, tx, actor, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "incident.create", "incident", idString(id), nil, inc)
	})
	return inc, wrap("create incident", err)
}

// FindIncident returns one incident with its links, timeline (oldest first), actions and reports.
func (db *DB) FindIncident(ctx context.Context, actor isms.Actor, id int64) (isms.Incident, error) {
	inc, err := loadIncident(ctx, db.pool, actor, id, false)
	if err == nil {
		inc.Events, err = incidentEvents(ctx, db.pool, id)
	}
	return inc, wrap("find incident", err)
}

// FindIncidents returns a page of the incidents the actor sees, newest first, and the id to
// continue below (0 on the last page). Each carries its units and NextDue / NextDueState.
func (db *DB) FindIncidents(ctx context.Context, actor isms.Actor, f isms.IncidentFilter) ([]isms.Incident, int64, error) {
	switch {
	case f.Limit <= 0:
		f.Limit = 50
	case f.Limit > 200:
		f.Limit = 200
	}
	today := actor.Day()
	if !f.Day.IsZero() {
		today = isms.Day(f.Day)
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	where := []string{incidentVisible(actor, arg)}
	if f.Status != "" {
		where = append(where, "i.status = "+arg(f.Status))
	}
	if f.Open {
		where = append(where, "i.status NOT IN ('closed', 'not_incident')")
	}
	if f.Severity != nil {
		where = append(where, "i.severity = "+arg(*f.Severity))
	}
	if f.Category != "" {
		where = append(where, "i.category = "+arg(f.Category))
	}
	if f.UnitID != 0 {
		where = append(where, "EXISTS (SELECT 1 FROM incident_units fu WHERE fu.incident_id = i.id AND fu.unit_id = "+arg(f.UnitID)+")")
	}
	if f.PPC {
		where = append(where, "i.ppc_triggers <> '{}'") // incidents_ppc_idx
	}
	if f.Overdue {
		// incident_reports_open_idx holds exactly the reports not made, by due day.
		where = append(where, "EXISTS (SELECT 1 FROM incident_reports fr WHERE fr.incident_id = i.id AND fr.done_on IS NULL AND fr.due_on < "+arg(today)+"::date)")
	}
	if f.Mine {
		where = append(where, "i.reported_by = "+arg(actor.UserID))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		p := arg("%" + escapeLike(q) + "%")
		where = append(where, fmt.Sprintf("(i.number ILIKE %[1]s OR i.title ILIKE %[1]s OR i.description ILIKE %[1]s)", p))
	}
	if f.Before > 0 {
		where = append(where, "i.id < "+arg(f.Before))
	}
	rows, err := db.pool.Query(ctx, `SELECT `+incidentColumns+` FROM `+incidentFrom+`
		WHERE `+strings.Join(where, " AND ")+` ORDER BY i.id DESC LIMIT `+arg(f.Limit+1), args...)
	if err != nil {
		return nil, 0, wrap("find incidents", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.Incident, error) { return scanIncident(r) })
	if err != nil {
		return nil, 0, wrap("find incidents", err)
	}
	var next int64
	if len(list) > f.Limit {
		list = list[:f.Limit]
		next = list[len(list)-1].ID
	}
	if len(list) == 0 {
		return nil, 0, nil
	}
	if err := fillIncidentPage(ctx, db.pool, list, today); err != nil {
		return nil, 0, wrap("find incidents", err)
	}
	return list, next, nil
}

// fillIncidentPage gives each incident of a page its units and the earliest open due day of its
// reports, with that day's state on today: one query each for the whole page.
func fillIncidentPage(ctx context.Context, q querier, list []isms.Incident, today time.Time) error {
	ids := make([]int64, len(list))
	for n, inc := range list {
		ids[n] = inc.ID
	}
	units, err := incidentLinks(ctx, q, incidentUnitLinks, ids)
	if err != nil {
		return err
	}
	rows, err := q.Query(ctx, `
		SELECT r.incident_id, min(r.due_on), (SELECT soon_days FROM incident_rules)
		FROM incident_reports r WHERE r.done_on IS NULL AND r.due_on IS NOT NULL AND r.incident_id = ANY($1)
		GROUP BY r.incident_id`, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	due := map[int64]time.Time{}
	soonDays := 0
	for rows.Next() {
		var id int64
		var d time.Time
		if err := rows.Scan(&id, &d, &soonDays); err != nil {
			return err
		}
		due[id] = d
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for n := range list {
		list[n].Units = units[list[n].ID]
		if d, ok := due[list[n].ID]; ok {
			list[n].NextDue = &d
			list[n].NextDueState = isms.IncidentReport{DueOn: &d}.DueState(today, soonDays)
		}
	}
	return nil
}

// CountIncidentQueue is the number of reports waiting in 受付 for a handler (0 for others).
func (db *DB) CountIncidentQueue(ctx context.Context, actor isms.Actor) (int, error) {
	if !isms.IncidentHandler(actor) {
		return 0, nil
	}
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM incidents WHERE status = 'received'`).Scan(&n)
	return n, wrap("count incident queue", err)
}

// TriageIncident saves the judgement and facts of the triage form. It derives the PPC triggers
// from the rules, adds or re-dates the PPC 速報 and 確報 (dated from aware_at; a report already
// made keeps its dates), moves 受付 to 調査中 (incident) or 非該当 (not), records timeline entries
// for the triage, a severity change and a status change, and escalates: each reason of
// isms.Escalations not escalated before is added to escalations, written as a timeline entry
// and notified to the CISO (portal role ciso, and holders of the CISO role that day) and the
// managers (ISM_SECTION / ISO_DEPT holders of the units concerned or of a unit above them),
// each user once. Stale version: ECONFLICT.
func (db *DB) TriageIncident(ctx context.Context, actor isms.Actor, id int64, in isms.IncidentTriage) (isms.Incident, error) {
	in.Normalize()
	var after isms.Incident
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadIncident(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if err := requireHandler(actor); err != nil {
			return err
		}
		if before.Version != in.Version {
			return errConflict("the incident")
		}
		links, err := checkTriage(ctx, tx, actor, before, &in)
		if err != nil {
			return err
		}
		rules, err := findIncidentRules(ctx, tx)
		if err != nil {
			return err
		}
		triggers := rules.Determine(isms.PIFacts{PersonalInfo: in.PersonalInfo, Subjects: in.PISubjects,
			Sensitive: in.PISensitive, Ordinance: in.PIOrdinance, MyNumber: in.PIMyNumber,
			Wrongful: in.WrongfulIntent, Financial: in.FinancialHarm})
		var fresh []isms.Escalation
		for _, e := range isms.Escalations(in.Severity, triggers) {
			if !slices.Contains(before.Escalations, e) {
				fresh = append(fresh, e)
			}
		}
		status := triageStatus(before, in.IsIncident)
		decidedAt, decidedBy := before.DecidedAt, before.DecidedBy
		if !sameJudgement(before.IsIncident, in.IsIncident) {
			decidedAt, decidedBy = nil, 0
			if in.IsIncident != nil {
				now := time.Now()
				decidedAt, decidedBy = &now, actor.UserID
			}
		}
		_, err = tx.Exec(ctx, `
			UPDATE incidents SET is_incident = $2, decided_at = $3, decided_by = nullif($4, 0), severity = $5,
				category = nullif($6, ''), zone = nullif($7, ''), impact = $8, aware_at = $9, occurred_at = $10,
				personal_info = $11, pi_items = $12, pi_subjects = $13, pi_sensitive = $14, pi_ordinance = $15,
				pi_my_number = $16, wrongful_intent = $17, financial_harm = $18, secondary_harm = $19,
				subject_response = $20, publication = $21, root_cause = $22, other_notes = $23, recovered_at = $24,
				ppc_triggers = $25, escalations = escalations || $26::text[], status = $27,
				closed_at = `+closedAtFor("$27")+`, updated_at = now(), version = version + 1
			WHERE id = $1`,
			id, in.IsIncident, decidedAt, decidedBy, in.Severity, in.Category, in.Zone, in.Impact, in.AwareAt,
			in.OccurredAt, in.PersonalInfo, in.PIItems, in.PISubjects, in.PISensitive, in.PIOrdinance, in.PIMyNumber,
			in.WrongfulIntent, in.FinancialHarm, in.SecondaryHarm, in.SubjectResponse, in.Publication, in.RootCause,
			in.OtherNotes, in.RecoveredAt, codes(triggers), codes(fresh), status)
		if err != nil {
			return err
		}
		if err := links.save(ctx, tx, id); err != nil {
			return err
		}
		if err := datePPCReports(ctx, tx, id, rules, triggers, *in.AwareAt, in.WrongfulIntent); err != nil {
			return err
		}
		if err := addIncidentEvent(ctx, tx, actor, id, isms.EventTriage, nil, "", map[string]string{
			"is_incident": judgementString(in.IsIncident), "severity": severityString(in.Severity), "category": in.Category}); err != nil {
			return err
		}
		if from, to := severityString(before.Severity), severityString(in.Severity); from != to {
			if err := addIncidentEvent(ctx, tx, actor, id, isms.EventSeverity, nil, "", map[string]string{"from": from, "to": to}); err != nil {
				return err
			}
		}
		if status != before.Status {
			if err := addIncidentEvent(ctx, tx, actor, id, isms.EventStatus, nil, "",
				map[string]string{"from": string(before.Status), "to": string(status)}); err != nil {
				return err
			}
		}
		if err := escalate(ctx, tx, actor, id, fresh); err != nil {
			return err
		}
		if after, err = loadIncident(ctx, tx, actor, id, false); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, actor, "incident.triage", "incident", idString(id), before, after); err != nil {
			return err
		}
		after.Events, err = incidentEvents(ctx, tx, id)
		return err
	})
	return after, wrap("triage incident", err)
}

// triageStatus is where the judgement moves the incident: a report in 受付 judged an incident
// goes to 調査中; one judged not, in 受付 or still in 調査中, to 非該当 — each only as the
// workflow's rules allow. Anything else stays where it is.
func triageStatus(before isms.Incident, judgement *bool) isms.IncidentStatus {
	if judgement == nil {
		return before.Status
	}
	to := before.Status
	switch {
	case *judgement && before.Status == isms.IncidentReceived:
		to = isms.IncidentInvestigating
	case !*judgement && (before.Status == isms.IncidentReceived || before.Status == isms.IncidentInvestigating):
		to = isms.IncidentNotIncident
	}
	judged := before
	judged.IsIncident = judgement
	if to == before.Status || len(judged.CheckMove(to)) > 0 {
		return before.Status
	}
	return to
}

func sameJudgement(a, b *bool) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func judgementString(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

func severityString(s *int) string {
	if s == nil {
		return ""
	}
	return strconv.Itoa(*s)
}

// codes turns triggers or escalations into the text array their columns hold.
func codes[T ~string](list []T) []string {
	out := make([]string, 0, len(list))
	for _, c := range list {
		out = append(out, string(c))
	}
	return out
}

// triageLinks are the units, assets and systems a triage links; units nil keeps the units the
// incident has.
type triageLinks struct{ units, assets, systems []int64 }

// checkTriage validates the triage form against the categories on offer (the active ones, and
// the incident's own even if retired since) and checks its links: units that exist, assets and
// systems the actor sees or that the incident is linked to already.
func checkTriage(ctx context.Context, tx pgx.Tx, actor isms.Actor, before isms.Incident, in *isms.IncidentTriage) (triageLinks, error) {
	var cats []string
	rows, err := tx.Query(ctx, `SELECT code FROM incident_categories WHERE active OR code = $1`, before.Category)
	if err != nil {
		return triageLinks{}, err
	}
	if cats, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return triageLinks{}, err
	}
	fe := in.Validate(time.Now(), cats)
	l := triageLinks{units: distinct(in.UnitIDs), assets: distinct(in.AssetIDs), systems: distinct(in.SystemIDs)}
	args := []any{before.ID, l.units, l.assets, l.systems}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	query := `
		SELECT (SELECT count(*) FROM units WHERE id = ANY($2)),
			(SELECT count(*) FROM assets a WHERE a.id = ANY($3) AND (` + inScope("a", actor, arg) + `
				OR EXISTS (SELECT 1 FROM incident_assets l WHERE l.incident_id = $1 AND l.asset_id = a.id))),
			(SELECT count(*) FROM systems s WHERE s.id = ANY($4) AND (` + systemScope(actor, &args) + `
				OR EXISTS (SELECT 1 FROM incident_systems l WHERE l.incident_id = $1 AND l.system_id = s.id)))`
	var units, assets, systems int
	if err := tx.QueryRow(ctx, query, args...).Scan(&units, &assets, &systems); err != nil {
		return l, err
	}
	fe.Check(units == len(l.units), "units", "validation.choose")
	fe.Check(assets == len(l.assets), "assets", "validation.choose")
	fe.Check(systems == len(l.systems), "systems", "validation.choose")
	return l, fe.Err()
}

func distinct(ids []int64) []int64 {
	out := []int64{}
	for _, id := range ids {
		if id != 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// save replaces the incident's links by the triage's. An empty set of units keeps the units
// the incident has: an incident that had a unit concerned never loses it to an empty form.
func (l triageLinks) save(ctx context.Context, tx pgx.Tx, id int64) error {
	for _, set := range []struct {
		table, column string
		ids           []int64
	}{{"incident_units", "unit_id", l.units}, {"incident_assets", "asset_id", l.assets}, {"incident_systems", "system_id", l.systems}} {
		if set.table == "incident_units" && len(set.ids) == 0 {
			continue
		}
		if _, err := tx.Exec(ctx, `DELETE FROM `+set.table+` WHERE incident_id = $1 AND `+set.column+` <> ALL($2)`, id, set.ids); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO `+set.table+` (incident_id, `+set.column+`)
			SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`, id, set.ids); err != nil {
			return err
		}
	}
	return nil
}

// datePPCReports keeps the PPC 速報 and 確報 in line with the triggers: while any is met both
// exist, and those not made yet are due as the rules date them from aware; when none is met the
// ones not made go (a report made stays, with its dates, as the record of what was done).
func datePPCReports(ctx context.Context, tx pgx.Tx, id int64, rules isms.IncidentRules, triggers []isms.PPCTrigger, aware time.Time, wrongful bool) error {
	if len(triggers) == 0 {
		_, err := tx.Exec(ctx, `DELETE FROM incident_reports
			WHERE incident_id = $1 AND recipient IN ('ppc_prelim', 'ppc_final') AND done_on IS NULL`, id)
		return err
	}
	prelim, final := rules.PPCDue(aware, wrongful)
	_, err := tx.Exec(ctx, `
		INSERT INTO incident_reports AS r (incident_id, recipient, due_on)
		VALUES ($1, 'ppc_prelim', $2), ($1, 'ppc_final', $3)
		ON CONFLICT (incident_id, recipient) WHERE recipient IN ('ppc_prelim', 'ppc_final')
		DO UPDATE SET due_on = excluded.due_on, updated_at = now(), version = r.version + 1
		WHERE r.done_on IS NULL AND r.due_on IS DISTINCT FROM excluded.due_on`, id, prelim, final)
	return err
}

// escalate records the new reasons of an escalation in the timeline and puts the incident on
// the notification lists of the CISO (the portal role, and the holders of the CISO role on the
// actor's day, acting ones included) and of the managers (情報セキュリティ管理者 and 責任者) of
// its units and of the units above them: each active account once per reason.
func escalate(ctx context.Context, tx pgx.Tx, actor isms.Actor, id int64, reasons []isms.Escalation) error {
	if len(reasons) == 0 {
		return nil
	}
	if err := addIncidentEvent(ctx, tx, actor, id, isms.EventEscalation, nil, "",
		map[string]string{"reasons": strings.Join(codes(reasons), ",")}); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `
		WITH RECURSIVE up(id) AS (
			SELECT unit_id FROM incident_units WHERE incident_id = $1
			UNION SELECT u.parent_id FROM units u JOIN up ON u.id = up.id WHERE u.parent_id IS NOT NULL),
		told(user_id) AS (
			SELECT id FROM users WHERE role = 'ciso' AND status = 'active'
			UNION
			SELECT p.user_id FROM role_assignments ra
			JOIN people p ON p.id = ra.person_id
			JOIN users us ON us.id = p.user_id AND us.status = 'active'
			WHERE `+activeOn("ra", "$3")+` AND `+activeOn("p", "$3")+` AND (ra.role_code = $4
				OR ra.role_code IN ($5, $6) AND ra.unit_id IN (SELECT id FROM up)))
		INSERT INTO notifications (user_id, kind, incident_id, reason)
		SELECT t.user_id, 'incident_escalated', $1, r FROM told t CROSS JOIN unnest($2::text[]) r`,
		id, codes(reasons), actor.Day(), isms.RoleCodeCISO, isms.RoleCodeISM, isms.RoleCodeISO)
	return err
}

// MoveIncident moves the incident to status to when isms.Incident.CheckMove allows it (else the
// field errors as EINVALID), with note as the timeline entry's body.
func (db *DB) MoveIncident(ctx context.Context, actor isms.Actor, id int64, version int, to isms.IncidentStatus, note string) (isms.Incident, error) {
	note = strings.TrimSpace(note)
	var after isms.Incident
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadIncident(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if err := requireHandler(actor); err != nil {
			return err
		}
		if before.Version != version {
			return errConflict("the incident")
		}
		fe := before.CheckMove(to)
		fe.Check(utf8.RuneCountInString(note) <= 4000, "note", "validation.too_long")
		if err := fe.Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE incidents SET status = $2, closed_at = `+closedAtFor("$2")+`,
			updated_at = now(), version = version + 1 WHERE id = $1`, id, to); err != nil {
			return err
		}
		if err := addIncidentEvent(ctx, tx, actor, id, isms.EventStatus, nil, note,
			map[string]string{"from": string(before.Status), "to": string(to)}); err != nil {
			return err
		}
		if after, err = loadIncident(ctx, tx, actor, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "incident.move", "incident", idString(id), before, after)
	})
	return after, wrap("move incident", err)
}

// incidentHandlerAccount is the SQL condition that the account u may be assigned incidents on
// the day in parameter day, with the role codes of the CSIRT and the 窓口 in parameter roles:
// an active account of the security office, or linked to a person who holds one of those roles.
func incidentHandlerAccount(day, roles string) string {
	return `u.status = 'active' AND (u.role = 'security_office' OR EXISTS (
		SELECT 1 FROM people p JOIN role_assignments ra ON ra.person_id = p.id
		WHERE p.user_id = u.id AND ra.role_code = ANY(` + roles + `) AND ` + activeOn("ra", day) + ` AND ` + activeOn("p", day) + `))`
}

// handlerRoles are the security roles whose holders handle incidents (isms.IncidentHandler).
var handlerRoles = []string{string(isms.RoleCodeCSIRTLead), string(isms.RoleCodeCSIRTMember), string(isms.RoleCodeSPOC)}

// AssignIncident names the handler in charge (0: nobody); the assignee must be a handler.
func (db *DB) AssignIncident(ctx context.Context, actor isms.Actor, id int64, version int, assigneeID int64) (isms.Incident, error) {
	var after isms.Incident
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadIncident(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if err := requireHandler(actor); err != nil {
			return err
		}
		if before.Version != version {
			return errConflict("the incident")
		}
		var name string
		if assigneeID != 0 {
			err := tx.QueryRow(ctx, `SELECT u.display_name FROM users u WHERE u.id = $1 AND `+
				incidentHandlerAccount("$2", "$3"), assigneeID, actor.Day(), handlerRoles).Scan(&name)
			if errors.Is(err, pgx.ErrNoRows) {
				return isms.FieldErrors{"assignee": "incident.error.assignee"}.Err()
			}
			if err != nil {
				return err
			}
		}
		if assigneeID == before.AssigneeID {
			after = before
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE incidents SET assignee_id = nullif($2, 0), updated_at = now(),
			version = version + 1 WHERE id = $1`, id, assigneeID); err != nil {
			return err
		}
		if err := addIncidentEvent(ctx, tx, actor, id, isms.EventAssignee, nil, "",
			map[string]string{"from": before.AssigneeName, "to": name}); err != nil {
			return err
		}
		if after, err = loadIncident(ctx, tx, actor, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "incident.assign", "incident", idString(id), before, after)
	})
	return after, wrap("assign incident", err)
}
