package postgres

import (
	"context"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// An asset's 委託先・外部サービス (domain.md §3.3 outsourced_to) is one record of the three registers
// of basic policy §6(8): a contract, an external service or a social media account. The asset
// keeps it in one of three columns, so that each link is a foreign key; at most one is set.

// outsourceTargets is every record an asset may name, as isms.OutsourceTarget's columns plus
// shared (an external service every unit uses).
const outsourceTargets = `
	SELECT 'contract' AS kind, k.id, k.number, f.name || ' ／ ' || k.title AS name, k.unit_id,
		k.status <> 'ended' AS open, 0 AS approved_rank, false AS shared
	FROM contracts k JOIN contractors f ON f.id = k.contractor_id
	UNION ALL
	SELECT 'external_service', s.id, s.number, s.name, s.unit_id, s.status NOT IN ('rejected', 'ended'),
		CASE WHEN s.status = 'approved' THEN coalesce(l.rank, 0) ELSE 0 END, s.shared
	FROM external_services s LEFT JOIN classification_levels l ON l.code = s.approved_level
	UNION ALL
	SELECT 'social_account', m.id, m.number, m.account_name, m.unit_id, m.status <> 'closed', 0, false
	FROM social_accounts m`

// outsourcedColumns are the asset's three link columns for o, in the order contract_id,
// external_service_id, social_account_id; the two not named are 0 (stored as NULL).
func outsourcedColumns(o isms.OutsourcedTo) (contract, service, account int64) {
	switch o.Kind {
	case isms.OutsourceContract:
		return o.ID, 0, 0
	case isms.OutsourceExternalService:
		return 0, o.ID, 0
	case isms.OutsourceSocialAccount:
		return 0, 0, o.ID
	}
	return 0, 0, 0
}

// outsourcedSelect reads an asset's link back (alias a): its kind, id, and number and name.
const outsourcedSelect = `
	CASE WHEN a.contract_id IS NOT NULL THEN 'contract'
		WHEN a.external_service_id IS NOT NULL THEN 'external_service'
		WHEN a.social_account_id IS NOT NULL THEN 'social_account' ELSE '' END,
	coalesce(a.contract_id, a.external_service_id, a.social_account_id, 0),
	coalesce((SELECT k.number || ' ' || f.name || ' ／ ' || k.title FROM contracts k JOIN contractors f ON f.id = k.contractor_id
			WHERE k.id = a.contract_id),
		(SELECT s.number || ' ' || s.name FROM external_services s WHERE s.id = a.external_service_id),
		(SELECT m.number || ' ' || m.account_name FROM social_accounts m WHERE m.id = a.social_account_id), '')`

// outsourceVisible is the SQL condition that the actor sees the target of alias t: a record of a
// unit in scope, or an external service every unit uses.
func outsourceVisible(t string, actor isms.Actor, arg func(any) string) string {
	if actor.AllUnits {
		return "true"
	}
	return "(" + t + ".shared OR " + inScope(t, actor, arg) + ")"
}

// FindOutsourceTargets lists the records the actor sees that an asset may name as its
// 委託先・外部サービス, by register and number; forms offer those Open.
func (db *DB) FindOutsourceTargets(ctx context.Context, actor isms.Actor) ([]isms.OutsourceTarget, error) {
	all, err := findOutsourceTargets(ctx, db.pool, actor, "seen")
	if err != nil {
		return nil, wrap("find outsource targets", err)
	}
	list := make([]isms.OutsourceTarget, 0, len(all))
	for _, t := range all {
		list = append(list, t.OutsourceTarget)
	}
	return list, nil
}

// outsourceRow is a target and whether the actor may newly name it (open and seen).
type outsourceRow struct {
	isms.OutsourceTarget
	usable bool
}

// findOutsourceTargets reads the targets that meet the condition cond (on the columns of
// outsourceTargets, seen and usable), by register and number. Extra arguments come first.
func findOutsourceTargets(ctx context.Context, q querier, actor isms.Actor, cond string, extra ...any) ([]outsourceRow, error) {
	args := slices.Clone(extra)
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	rows, err := q.Query(ctx, `
		SELECT kind, id, number, name, unit_id, open, approved_rank, usable FROM (
			SELECT t.*, t.seen AND t.open AS usable FROM (
				SELECT t.*, `+outsourceVisible("t", actor, arg)+` AS seen FROM (`+outsourceTargets+`) t) t) t
		WHERE `+cond+`
		ORDER BY array_position(ARRAY['contract', 'external_service', 'social_account'], kind), number`, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (outsourceRow, error) {
		var t outsourceRow
		err := r.Scan(&t.Kind, &t.ID, &t.Number, &t.Name, &t.UnitID, &t.Open, &t.ApprovedRank, &t.usable)
		return t, err
	})
}

// outsourceTarget loads the record an asset input names, for its rules. found is false when there
// is none the actor may name: one outside the actor's sight, or one closed to new links, unless it
// is the link the asset already has (before, zero for a new asset).
func outsourceTarget(ctx context.Context, q querier, actor isms.Actor, o, before isms.OutsourcedTo) (t isms.OutsourceTarget, found bool, err error) {
	if o.IsZero() {
		return t, true, nil
	}
	list, err := findOutsourceTargets(ctx, q, actor, "kind = $1 AND id = $2", string(o.Kind), o.ID)
	if err != nil || len(list) == 0 {
		return t, false, err
	}
	return list[0].OutsourceTarget, list[0].usable || o == before, nil
}

// outsourceTargetMap loads every target the inputs name, for an import's rows.
func outsourceTargetMap(ctx context.Context, q querier, actor isms.Actor, named []isms.OutsourcedTo) (map[isms.OutsourcedTo]outsourceRow, error) {
	kinds, ids := make([]string, 0, len(named)), make([]int64, 0, len(named))
	for _, o := range named {
		if !o.IsZero() {
			kinds, ids = append(kinds, string(o.Kind)), append(ids, o.ID)
		}
	}
	m := make(map[isms.OutsourcedTo]outsourceRow, len(ids))
	if len(ids) == 0 {
		return m, nil
	}
	list, err := findOutsourceTargets(ctx, q, actor,
		"(kind, id) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))", kinds, ids)
	for _, t := range list {
		m[t.OutsourcedTo] = t
	}
	return m, err
}
