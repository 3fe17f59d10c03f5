package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jichitai-isms/isms/internal/isms"
)

// FindIncidentStats counts the incidents the actor sees of fiscal year fy.
//
// The year is that of the day the town became aware of each incident in Japan (4月1日 to 3月31日);
// reports judged not to be incidents do not count. One query returns every tally; months and
// severities come back complete (zero where none), categories in their order with the untriaged
// ("") last, units in code order, an incident of several units counting for each.
func (db *DB) FindIncidentStats(ctx context.Context, actor isms.Actor, fy int) (isms.IncidentStats, error) {
	args := []any{fy}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	// The year's bounds are instants (midnight in Japan), so that incidents_aware_idx finds the year.
	query := `
		WITH sel AS (
			SELECT i.id, i.category, i.severity, i.ppc_triggers <> '{}' AS ppc,
				to_char(i.aware_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM') AS month
			FROM incidents i
			WHERE i.aware_at >= make_date($1, 4, 1)::timestamp AT TIME ZONE 'Asia/Tokyo'
				AND i.aware_at < make_date($1 + 1, 4, 1)::timestamp AT TIME ZONE 'Asia/Tokyo'
				AND i.status <> 'not_incident' AND ` + incidentVisible(actor, arg) + `)
		SELECT 'month', month, '', '', count(*) FROM sel GROUP BY month
		UNION ALL
		SELECT 'category', coalesce(s.category, ''), coalesce(c.name_ja, ''), to_char(coalesce(min(c.sort_order), 2147483647), 'FM0000000000'), count(*)
			FROM sel s LEFT JOIN incident_categories c ON c.code = s.category GROUP BY s.category, c.name_ja
		UNION ALL
		SELECT 'severity', coalesce(severity::text, ''), '', '', count(*) FROM sel GROUP BY severity
		UNION ALL
		SELECT 'unit', u.id::text, u.name, u.code, count(*) FROM sel s
			JOIN incident_units iu ON iu.incident_id = s.id JOIN units u ON u.id = iu.unit_id GROUP BY u.id
		UNION ALL
		SELECT 'total', '', '', '', count(*) FROM sel
		UNION ALL
		SELECT 'ppc', '', '', '', count(*) FROM sel WHERE ppc`
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return isms.IncidentStats{}, wrap("find incident stats", err)
	}
	defer rows.Close()
	st := isms.IncidentStats{FiscalYear: fy}
	months := map[string]int{}
	severities := map[string]int{}
	// Categories and units come back with the key they sort by: the category's order, the unit's code.
	type ranked struct {
		isms.StatCount
		rank string
	}
	var categories, units []ranked
	for rows.Next() {
		var kind string
		var c isms.StatCount
		var rank string
		if err := rows.Scan(&kind, &c.Key, &c.Label, &rank, &c.Count); err != nil {
			return st, wrap("find incident stats", err)
		}
		switch kind {
		case "month":
			months[c.Key] = c.Count
		case "category":
			categories = append(categories, ranked{c, rank})
		case "severity":
			severities[c.Key] = c.Count
		case "unit":
			units = append(units, ranked{c, rank})
		case "total":
			st.Total = c.Count
		case "ppc":
			st.PPCCount = c.Count
		}
	}
	if err := rows.Err(); err != nil {
		return st, wrap("find incident stats", err)
	}
	for m := range 12 {
		key := fmt.Sprintf("%d-%02d", fy+(m+3)/12, (m+3)%12+1)
		st.ByMonth = append(st.ByMonth, isms.StatCount{Key: key, Count: months[key]})
	}
	byRank := func(a, b ranked) int { return strings.Compare(a.rank, b.rank) }
	slices.SortFunc(categories, byRank)
	for _, c := range categories {
		st.ByCategory = append(st.ByCategory, c.StatCount)
	}
	slices.SortFunc(units, byRank)
	for _, u := range units {
		st.ByUnit = append(st.ByUnit, u.StatCount)
	}
	for _, s := range isms.Severities {
		key := strconv.Itoa(s)
		st.BySeverity = append(st.BySeverity, isms.StatCount{Key: key, Count: severities[key]})
	}
	if n := severities[""]; n > 0 {
		st.BySeverity = append(st.BySeverity, isms.StatCount{Key: "", Count: n})
	}
	return st, nil
}
