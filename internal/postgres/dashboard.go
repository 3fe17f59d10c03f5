package postgres

import (
	"context"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The measures of the dashboards (isms.UnitMeasures): one query counts every unit's figures of
// the registers, each part grouped by unit in one pass; training completion and what the
// outsourcing registers need come from their own stores, counted per unit here. Scope is the
// actor's: a 管理者 sees the units they see, the CISO, the security office and auditors all.

// FindDashboard returns the measures of the units of f in the actor's scope, for fiscal year
// f.FiscalYear judged on the actor's day (or on 31 March for a past year).
func (db *DB) FindDashboard(ctx context.Context, actor isms.Actor, f isms.DashboardFilter) (isms.Dashboard, error) {
	day := isms.TrainingDay(f.FiscalYear, actor.Day())
	d := isms.Dashboard{FiscalYear: f.FiscalYear, Day: day}
	args := []any{day, f.FiscalYear, f.UnitID}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	rows, err := db.pool.Query(ctx, `
		WITH RECURSIVE chosen AS (
			SELECT id FROM units WHERE $3::bigint = 0 OR id = $3
			UNION SELECT u.id FROM units u JOIN chosen c ON u.parent_id = c.id WHERE $3::bigint <> 0),
		scope AS (
			SELECT u.id, u.code, u.name, coalesce(u.parent_id, 0) AS parent_id FROM units u
			WHERE u.id IN (SELECT id FROM chosen) AND u.in_scope AND u.valid_from <= $1
				AND (u.valid_to IS NULL OR u.valid_to >= $1) AND `+unitsInScope("u", actor, arg)+`),
		a AS (
			SELECT unit_id, sum(n)::bigint AS assets, (sum(n) FILTER (WHERE flagged))::bigint AS flagged
			FROM asset_tallies WHERE unit_id IN (SELECT id FROM scope) GROUP BY unit_id),
		ro AS (
			SELECT unit_id, sum(n)::bigint AS overdue
			FROM asset_review_tallies WHERE unit_id IN (SELECT id FROM scope) AND review_due < $1 GROUP BY unit_id),
		i AS (
			SELECT iu.unit_id, count(*) AS open, count(*) FILTER (WHERE i.severity >= 2) AS severe,
				coalesce(sum((SELECT count(*) FROM incident_reports r WHERE r.incident_id = i.id
					AND r.recipient IN ('ppc_prelim', 'ppc_final') AND r.done_on IS NULL AND r.due_on < $1)), 0) AS ppc_overdue
			FROM incidents i JOIN incident_units iu ON iu.incident_id = i.id
			WHERE iu.unit_id IN (SELECT id FROM scope) AND i.status NOT IN ('closed', 'not_incident')
				AND `+incidentVisible(actor, arg)+`
			GROUP BY iu.unit_id),
		c AS (
			SELECT f.unit_id, count(*) AS overdue
			FROM security_audit_actions x JOIN security_audit_findings f ON f.id = x.finding_id
			WHERE f.unit_id IN (SELECT id FROM scope) AND x.status IN ('open', 'reopened') AND x.due_on < $1
			GROUP BY f.unit_id),
		r AS (
			SELECT a.unit_id, count(*) AS waiting
			FROM asset_requests q JOIN assets a ON a.id = q.asset_id
			WHERE a.unit_id IN (SELECT id FROM scope) AND q.status = 'pending' AND q.needs_approval
			GROUP BY a.unit_id),
		s AS (
			SELECT sh.unit_id, count(DISTINCT sh.id) AS sheets,
				count(DISTINCT sh.id) FILTER (WHERE sh.status = 'submitted') AS submitted,
				count(*) FILTER (WHERE x.answer = 'compliant') AS compliant,
				count(*) FILTER (WHERE x.answer IN ('compliant', 'partial', 'not_compliant')) AS applicable
			FROM inspection_sheets sh JOIN inspection_campaigns k ON k.id = sh.campaign_id
			LEFT JOIN inspection_answers x ON x.sheet_id = sh.id
			WHERE sh.unit_id IN (SELECT id FROM scope) AND k.fiscal_year = $2 AND k.status <> 'draft'
			GROUP BY sh.unit_id)
		SELECT u.id, u.code, u.name, u.parent_id,
			coalesce(a.assets, 0), coalesce(a.flagged, 0), coalesce(ro.overdue, 0),
			EXISTS (SELECT 1 FROM ledger_confirmations l WHERE l.unit_id = u.id AND l.fiscal_year = $2),
			coalesce(i.open, 0), coalesce(i.severe, 0), coalesce(i.ppc_overdue, 0),
			coalesce(c.overdue, 0), coalesce(r.waiting, 0),
			coalesce(s.sheets, 0), coalesce(s.submitted, 0),
			CASE WHEN coalesce(s.applicable, 0) = 0 THEN -1 ELSE s.compliant * 100 / s.applicable END
		FROM scope u LEFT JOIN a ON a.unit_id = u.id LEFT JOIN ro ON ro.unit_id = u.id LEFT JOIN i ON i.unit_id = u.id LEFT JOIN c ON c.unit_id = u.id
			LEFT JOIN r ON r.unit_id = u.id LEFT JOIN s ON s.unit_id = u.id
		ORDER BY u.code, u.id`, args...)
	if err != nil {
		return d, wrap("find dashboard", err)
	}
	d.Units, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.UnitMeasures, error) {
		m := isms.UnitMeasures{FiscalYear: f.FiscalYear}
		err := r.Scan(&m.UnitID, &m.UnitCode, &m.UnitName, &m.ParentID, &m.Assets, &m.Flagged, &m.ReviewOverdue,
			&m.LedgerConfirmed, &m.OpenIncidents, &m.SevereIncidents, &m.PPCOverdue, &m.CorrectiveOverdue,
			&m.ApprovalsWaiting, &m.InspectionSheets, &m.InspectionSubmitted, &m.InspectionScore)
		return m, err
	})
	if err != nil {
		return d, wrap("find dashboard", err)
	}
	if err := db.addDashboardParts(ctx, actor, &d, actor.AllUnits && f.UnitID == 0); err != nil {
		return d, wrap("find dashboard", err)
	}
	// The total has no score: the answers behind the units' scores are not summed here, and an
	// average of percentages would weigh a small unit like a large one.
	d.Total.LedgerConfirmed, d.Total.InspectionScore = len(d.Units) > 0, -1
	for _, m := range d.Units {
		d.Total.Add(m)
	}
	return d, wrap("find dashboard", db.findDashboardTown(ctx, &d))
}

// addDashboardParts adds to each unit of d what other stores count (training completion, vacant
// roles, what the outsourcing registers need) and the charts' figures: assets by level and zone,
// open incidents by severity with their PPC reports, of d's units or, townWide, of the town.
func (db *DB) addDashboardParts(ctx context.Context, actor isms.Actor, d *isms.Dashboard, townWide bool) error {
	index := make(map[int64]int, len(d.Units))
	ids := make([]int64, len(d.Units))
	for i, m := range d.Units {
		index[m.UnitID], ids[i] = i, m.UnitID
	}
	unit := func(id int64) *isms.UnitMeasures {
		if i, ok := index[id]; ok {
			return &d.Units[i]
		}
		return nil
	}
	// A dashboard of one unit asks for that unit's training alone (a department page).
	var one int64
	if len(d.Units) == 1 {
		one = d.Units[0].UnitID
	}
	training, err := db.FindTrainingStatus(ctx, actor, d.FiscalYear, one)
	if err != nil {
		return err
	}
	for _, t := range training.Units {
		if m := unit(t.UnitID); m != nil {
			total := t.Total()
			m.TrainingRequired, m.TrainingDone = total.Required, total.Completed
		}
	}
	warnings, err := db.FindWarnings(ctx, d.Day)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		if m := unit(w.UnitID); m != nil && w.Kind == isms.WarnNoManager {
			m.VacantRoles++
		}
	}
	contracts, err := db.FindContractAttention(ctx, actor)
	if err != nil {
		return err
	}
	for _, t := range contracts {
		if m := unit(t.UnitID); m != nil {
			m.ContractsAttention++
		}
	}
	services, err := db.FindExternalServiceAttention(ctx, actor)
	if err != nil {
		return err
	}
	for _, t := range services {
		if m := unit(t.UnitID); m != nil {
			m.ServicesAttention++
		}
	}
	if ids == nil {
		ids = []int64{}
	}
	rows, err := db.pool.Query(ctx, `
		SELECT confidentiality, zone, sum(n)::bigint FROM asset_tallies WHERE unit_id = ANY($1)
		GROUP BY 1, 2 HAVING sum(n) > 0 ORDER BY 1, 2`, ids)
	if err != nil {
		return err
	}
	d.AssetMatrix, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.LevelZoneCount, error) {
		var c isms.LevelZoneCount
		err := r.Scan(&c.Level, &c.Zone, &c.Count)
		return c, err
	})
	if err != nil {
		return err
	}
	// The town's whole dashboard counts the reports not yet linked to a unit too.
	var linked any = ids
	if townWide {
		linked = nil
	}
	args := []any{linked, d.Day}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	rows, err = db.pool.Query(ctx, `
		SELECT coalesce(i.severity::text, ''), count(DISTINCT i.id),
			count(DISTINCT r.id) FILTER (WHERE r.due_on < $2),
			count(DISTINCT r.id) FILTER (WHERE r.due_on >= $2 AND r.due_on < $2 + 7)
		FROM incidents i
		LEFT JOIN incident_reports r ON r.incident_id = i.id AND r.recipient IN ('ppc_prelim', 'ppc_final') AND r.done_on IS NULL
		WHERE ($1::bigint[] IS NULL OR EXISTS (SELECT 1 FROM incident_units iu WHERE iu.incident_id = i.id AND iu.unit_id = ANY($1)))
			AND i.status NOT IN ('closed', 'not_incident') AND `+incidentVisible(actor, arg)+`
		GROUP BY 1`, args...)
	if err != nil {
		return err
	}
	var sev string
	var n, overdue, soon int
	_, err = pgx.ForEachRow(rows, []any{&sev, &n, &overdue, &soon}, func() error {
		d.OpenBySeverity = append(d.OpenBySeverity, isms.StatCount{Key: sev, Count: n})
		d.PPCOverdue += overdue
		d.PPCDueSoon += soon
		return nil
	})
	slices.SortFunc(d.OpenBySeverity, func(a, b isms.StatCount) int { return -compareKeys(a.Key, b.Key) })
	return err
}

// compareKeys orders severity keys "3" > "2" > … > "" (not yet judged last when sorted descending).
func compareKeys(a, b string) int {
	switch {
	case a == b:
		return 0
	case a < b:
		return -1
	}
	return 1
}

// findDashboardTown adds the town's own figures: the policy reviews past due.
func (db *DB) findDashboardTown(ctx context.Context, d *isms.Dashboard) error {
	return db.pool.QueryRow(ctx, `SELECT count(*) FROM policy_reviews WHERE status = 'open' AND due_on < $1`, d.Day).
		Scan(&d.ReviewsOverdue)
}

// unitsInScope is the condition that the units t are in the actor's scope (the units a 管理者
// manages are among them).
func unitsInScope(t string, actor isms.Actor, arg func(any) string) string {
	if actor.AllUnits {
		return "true"
	}
	return t + ".id = ANY(" + arg(append([]int64{}, actor.UnitIDs...)) + ")"
}
