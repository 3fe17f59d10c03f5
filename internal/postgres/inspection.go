package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// Self-inspections (自己点検, domain.md §6.2 and §6.5): checklists and their versions, campaigns,
// answer sheets, answers with their improvement measures, and the results. The rule of which
// sheets a campaign makes is in the isms package's comment. Checklists are read by everyone
// signed in and kept by the security office (PermManageInspections), as are campaigns; a draft
// campaign is the office's alone. A sheet is seen by the office, by those who see every unit, by
// the people whose scope holds its unit and by those who answer it; for anyone else it does not
// exist (ENOTFOUND). The audit trail files checklist changes under "inspection_checklist",
// campaign changes under "inspection_campaign" and answers under "inspection_sheet".

// requireInspections refuses an actor who does not keep the self-inspections.
func requireInspections(actor isms.Actor) error {
	if !actor.Can(isms.PermManageInspections) {
		return isms.Errorf(isms.EFORBIDDEN, "only the security office keeps the self-inspections")
	}
	return nil
}

// checklistColumns are read by every query that returns isms.Checklist (alias c); scanChecklist
// reads them in this order.
const checklistColumns = `c.id, coalesce(c.family_id, c.id), c.name, c.fiscal_year, c.status, c.version_no, c.version,
	c.updated_at, EXISTS (SELECT 1 FROM inspection_campaigns k WHERE k.checklist_id = c.id AND k.status <> 'draft')`

func scanChecklist(row pgx.Row) (isms.Checklist, error) {
	var c isms.Checklist
	err := row.Scan(&c.ID, &c.FamilyID, &c.Name, &c.FiscalYear, &c.Status, &c.VersionNo, &c.Version, &c.UpdatedAt, &c.InUse)
	return c, err
}

const itemColumns = `i.id, i.number, i.text_ja, i.text_en, i.area, i.respondent, i.clause_ref, i.sort_order, i.version`

func scanItem(row pgx.Row) (isms.ChecklistItem, error) {
	var it isms.ChecklistItem
	err := row.Scan(&it.ID, &it.Number, &it.TextJa, &it.TextEn, &it.Area, &it.Respondent, &it.ClauseRef, &it.SortOrder, &it.Version)
	return it, err
}

func checklistItems(ctx context.Context, q querier, id int64) ([]isms.ChecklistItem, error) {
	rows, err := q.Query(ctx, `SELECT `+itemColumns+` FROM inspection_items i
		WHERE i.checklist_id = $1 ORDER BY i.sort_order, i.number`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.ChecklistItem, error) { return scanItem(r) })
}

// loadChecklist reads a checklist with its items; lock holds its row until the transaction ends,
// so that two edits of one checklist queue.
func loadChecklist(ctx context.Context, q querier, id int64, lock bool) (isms.Checklist, error) {
	query := `SELECT ` + checklistColumns + ` FROM inspection_checklists c WHERE c.id = $1`
	if lock {
		query += ` FOR UPDATE OF c`
	}
	c, err := scanChecklist(q.QueryRow(ctx, query, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return c, isms.Errorf(isms.ENOTFOUND, "checklist %d not found", id)
	}
	if err != nil {
		return c, err
	}
	c.Items, err = checklistItems(ctx, q, id)
	return c, err
}

// FindChecklists returns every checklist version, the newest fiscal year first, each family's
// newest version first.
func (db *DB) FindChecklists(ctx context.Context, actor isms.Actor) ([]isms.Checklist, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+checklistColumns+` FROM inspection_checklists c
		ORDER BY c.fiscal_year DESC, coalesce(c.family_id, c.id) DESC, c.version_no DESC`)
	if err != nil {
		return nil, wrap("find checklists", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.Checklist, error) { return scanChecklist(r) })
	return list, wrap("find checklists", err)
}

// FindChecklist returns one checklist with its items in their order.
func (db *DB) FindChecklist(ctx context.Context, actor isms.Actor, id int64) (isms.Checklist, error) {
	c, err := loadChecklist(ctx, db.pool, id, false)
	return c, wrap("find checklist", err)
}

// CreateChecklist adds an empty draft checklist, version 1 of a new family.
func (db *DB) CreateChecklist(ctx context.Context, actor isms.Actor, in isms.ChecklistInput) (isms.Checklist, error) {
	if err := requireInspections(actor); err != nil {
		return isms.Checklist{}, err
	}
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.Checklist{}, err
	}
	var c isms.Checklist
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO inspection_checklists (name, fiscal_year) VALUES ($1, $2) RETURNING id`,
			in.Name, in.FiscalYear).Scan(&id); err != nil {
			return err
		}
		var err error
		if c, err = loadChecklist(ctx, tx, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "inspection.checklist_create", "inspection_checklist", idString(id), nil, c)
	})
	return c, wrap("create checklist", err)
}

// UpdateChecklist changes a checklist's name and fiscal year. The heading does not change what
// was answered, so it is edited in place even when the checklist is in use.
func (db *DB) UpdateChecklist(ctx context.Context, actor isms.Actor, id int64, in isms.ChecklistInput) error {
	if err := requireInspections(actor); err != nil {
		return err
	}
	in.Normalize()
	return wrap("update checklist", db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadChecklist(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return errConflict("the checklist")
		}
		if err := in.Validate().Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE inspection_checklists SET name = $2, fiscal_year = $3, updated_at = now(),
			version = version + 1 WHERE id = $1`, id, in.Name, in.FiscalYear); err != nil {
			return err
		}
		after, err := loadChecklist(ctx, tx, id, false)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "inspection.checklist_update", "inspection_checklist", idString(id), before, after)
	}))
}

// SetChecklistStatus activates or retires a checklist. Activating one retires the other active
// versions of its family, so that new campaigns take the version the office chose; a checklist
// without items cannot be activated.
func (db *DB) SetChecklistStatus(ctx context.Context, actor isms.Actor, id int64, version int, status isms.ChecklistStatus) error {
	if err := requireInspections(actor); err != nil {
		return err
	}
	return wrap("set checklist status", db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadChecklist(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errConflict("the checklist")
		}
		fe := isms.FieldErrors{}
		fe.Check(status == isms.ChecklistActive || status == isms.ChecklistRetired, "status", "validation.choose")
		fe.Check(status != isms.ChecklistActive || len(before.Items) > 0, "status", "inspection.error.no_items")
		if err := fe.Err(); err != nil {
			return err
		}
		if status == isms.ChecklistActive {
			if _, err := tx.Exec(ctx, `UPDATE inspection_checklists SET status = 'retired', updated_at = now(), version = version + 1
				WHERE coalesce(family_id, id) = $1 AND id <> $2 AND status = 'active'`, before.FamilyID, id); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE inspection_checklists SET status = $2, updated_at = now(), version = version + 1
			WHERE id = $1`, id, status); err != nil {
			return err
		}
		after, err := loadChecklist(ctx, tx, id, false)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "inspection.checklist_status", "inspection_checklist", idString(id), before, after)
	}))
}

// editableChecklist is the checklist whose items an edit changes: c itself, or — when c is in use,
// so that answers refer to its items — a new draft version of its family copied from c, which
// then carries the edit. itemIDs maps the ids of c's items to those of the returned checklist.
func editableChecklist(ctx context.Context, tx pgx.Tx, actor isms.Actor, c isms.Checklist) (isms.Checklist, map[int64]int64, error) {
	ids := map[int64]int64{}
	if !c.InUse {
		for _, it := range c.Items {
			ids[it.ID] = it.ID
		}
		return c, ids, nil
	}
	var newID int64
	err := tx.QueryRow(ctx, `
		INSERT INTO inspection_checklists (family_id, name, fiscal_year, status, version_no)
		SELECT $1, $2, $3, 'draft', max(version_no) + 1 FROM inspection_checklists WHERE coalesce(family_id, id) = $1
		RETURNING id`, c.FamilyID, c.Name, c.FiscalYear).Scan(&newID)
	if err != nil {
		return c, nil, err
	}
	rows, err := tx.Query(ctx, `
		INSERT INTO inspection_items (checklist_id, number, text_ja, text_en, area, respondent, clause_ref, sort_order)
		SELECT $2, number, text_ja, text_en, area, respondent, clause_ref, sort_order FROM inspection_items
		WHERE checklist_id = $1 RETURNING id, number`, c.ID, newID)
	if err != nil {
		return c, nil, err
	}
	byNumber := map[int]int64{}
	for rows.Next() {
		var id int64
		var number int
		if err := rows.Scan(&id, &number); err != nil {
			rows.Close()
			return c, nil, err
		}
		byNumber[number] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c, nil, err
	}
	for _, it := range c.Items {
		ids[it.ID] = byNumber[it.Number]
	}
	copied, err := loadChecklist(ctx, tx, newID, true)
	if err != nil {
		return c, nil, err
	}
	err = appendAudit(ctx, tx, actor, "inspection.checklist_version", "inspection_checklist", idString(newID),
		map[string]any{"from_checklist_id": c.ID, "from_version_no": c.VersionNo}, copied)
	return copied, ids, err
}

// SaveChecklistItem adds an item to a checklist (itemID 0) or changes one. When the checklist is in
// use the change goes to a new version of it (see editableChecklist). It returns the id of the
// checklist that now holds the item.
func (db *DB) SaveChecklistItem(ctx context.Context, actor isms.Actor, checklistID, itemID int64, in isms.ChecklistItemInput) (int64, error) {
	if err := requireInspections(actor); err != nil {
		return 0, err
	}
	in.Normalize()
	var target int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		c, err := loadChecklist(ctx, tx, checklistID, true)
		if err != nil {
			return err
		}
		var before *isms.ChecklistItem
		if itemID != 0 {
			i := slices.IndexFunc(c.Items, func(it isms.ChecklistItem) bool { return it.ID == itemID })
			if i < 0 {
				return isms.Errorf(isms.ENOTFOUND, "item %d not found", itemID)
			}
			if c.Items[i].Version != in.Version {
				return errConflict("the item")
			}
			before = &c.Items[i]
		}
		fe := in.Validate()
		fe.Check(!slices.ContainsFunc(c.Items, func(it isms.ChecklistItem) bool { return it.Number == in.Number && it.ID != itemID }),
			"number", "inspection.error.number_taken")
		if err := fe.Err(); err != nil {
			return err
		}
		edited, ids, err := editableChecklist(ctx, tx, actor, c)
		if err != nil {
			return err
		}
		target = edited.ID
		var id int64
		if before == nil {
			err = tx.QueryRow(ctx, `
				INSERT INTO inspection_items (checklist_id, number, text_ja, text_en, area, respondent, clause_ref, sort_order)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
				target, in.Number, in.TextJa, in.TextEn, in.Area, in.Respondent, in.ClauseRef, in.SortOrder).Scan(&id)
		} else {
			id = ids[itemID]
			_, err = tx.Exec(ctx, `
				UPDATE inspection_items SET number = $2, text_ja = $3, text_en = $4, area = $5, respondent = $6, clause_ref = $7,
					sort_order = $8, updated_at = now(), version = version + 1 WHERE id = $1`,
				id, in.Number, in.TextJa, in.TextEn, in.Area, in.Respondent, in.ClauseRef, in.SortOrder)
		}
		if err != nil {
			return err
		}
		if err := touchChecklist(ctx, tx, target); err != nil {
			return err
		}
		after, err := scanItem(tx.QueryRow(ctx, `SELECT `+itemColumns+` FROM inspection_items i WHERE i.id = $1`, id))
		if err != nil {
			return err
		}
		var b any
		if before != nil {
			b = before
		}
		return appendAudit(ctx, tx, actor, "inspection.item_save", "inspection_checklist", idString(target), b, after)
	})
	return target, wrap("save checklist item", err)
}

// DeleteChecklistItem removes an item; from a checklist in use, it is removed from a new version.
// It returns the id of the checklist without the item.
func (db *DB) DeleteChecklistItem(ctx context.Context, actor isms.Actor, checklistID, itemID int64, version int) (int64, error) {
	if err := requireInspections(actor); err != nil {
		return 0, err
	}
	var target int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		c, err := loadChecklist(ctx, tx, checklistID, true)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(c.Items, func(it isms.ChecklistItem) bool { return it.ID == itemID })
		if i < 0 {
			return isms.Errorf(isms.ENOTFOUND, "item %d not found", itemID)
		}
		if c.Items[i].Version != version {
			return errConflict("the item")
		}
		edited, ids, err := editableChecklist(ctx, tx, actor, c)
		if err != nil {
			return err
		}
		target = edited.ID
		if _, err := tx.Exec(ctx, `DELETE FROM inspection_items WHERE id = $1`, ids[itemID]); err != nil {
			return err
		}
		if err := touchChecklist(ctx, tx, target); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "inspection.item_delete", "inspection_checklist", idString(target), c.Items[i], nil)
	})
	return target, wrap("delete checklist item", err)
}

// touchChecklist marks a checklist changed: its items changed, so a form of its heading loaded
// before is stale too.
func touchChecklist(ctx context.Context, tx pgx.Tx, id int64) error {
	_, err := tx.Exec(ctx, `UPDATE inspection_checklists SET updated_at = now(), version = version + 1 WHERE id = $1`, id)
	return err
}

// campaignColumns are read by every query that returns isms.Campaign (alias k, its checklist c);
// scanCampaign reads them in this order.
const campaignColumns = `k.id, k.name, k.fiscal_year, k.checklist_id, k.starts_on, k.ends_on, k.status, k.all_units,
	ARRAY(SELECT cu.unit_id FROM inspection_campaign_units cu WHERE cu.campaign_id = k.id ORDER BY cu.unit_id),
	k.opened_at, k.closed_at, k.committee_sent_on, k.version, c.name, c.version_no`

const campaignFrom = `inspection_campaigns k JOIN inspection_checklists c ON c.id = k.checklist_id`

func scanCampaign(row pgx.Row) (isms.Campaign, error) {
	var k isms.Campaign
	err := row.Scan(&k.ID, &k.Name, &k.FiscalYear, &k.ChecklistID, &k.StartsOn, &k.EndsOn, &k.Status, &k.AllUnits,
		&k.UnitIDs, &k.OpenedAt, &k.ClosedAt, &k.CommitteeSentOn, &k.Version, &k.ChecklistName, &k.ChecklistVersionNo)
	return k, err
}

// campaignVisible is the SQL condition that the actor sees campaign k: every campaign once
// opened, drafts only for the security office.
func campaignVisible(actor isms.Actor, arg func(any) string) string {
	return "(k.status <> 'draft' OR " + arg(actor.Can(isms.PermManageInspections)) + ")"
}

func loadCampaign(ctx context.Context, q querier, actor isms.Actor, id int64, lock bool) (isms.Campaign, error) {
	args := []any{id}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	query := `SELECT ` + campaignColumns + ` FROM ` + campaignFrom + ` WHERE k.id = $1 AND ` + campaignVisible(actor, arg)
	if lock {
		query += ` FOR UPDATE OF k`
	}
	k, err := scanCampaign(q.QueryRow(ctx, query, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return k, isms.Errorf(isms.ENOTFOUND, "campaign %d not found", id)
	}
	return k, err
}

// FindCampaigns returns the campaigns the actor sees, the newest fiscal year first.
func (db *DB) FindCampaigns(ctx context.Context, actor isms.Actor) ([]isms.Campaign, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	rows, err := db.pool.Query(ctx, `SELECT `+campaignColumns+` FROM `+campaignFrom+`
		WHERE `+campaignVisible(actor, arg)+` ORDER BY k.fiscal_year DESC, k.starts_on DESC, k.id DESC`, args...)
	if err != nil {
		return nil, wrap("find campaigns", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.Campaign, error) { return scanCampaign(r) })
	return list, wrap("find campaigns", err)
}

// FindCampaign returns one campaign the actor sees.
func (db *DB) FindCampaign(ctx context.Context, actor isms.Actor, id int64) (isms.Campaign, error) {
	k, err := loadCampaign(ctx, db.pool, actor, id, false)
	return k, wrap("find campaign", err)
}

// checkCampaignInput checks the checklist (active, for a campaign still to open) and the units a
// campaign names.
func checkCampaignInput(ctx context.Context, tx pgx.Tx, in isms.CampaignInput, fe isms.FieldErrors) error {
	if in.ChecklistID != 0 {
		var status isms.ChecklistStatus
		err := tx.QueryRow(ctx, `SELECT status FROM inspection_checklists WHERE id = $1`, in.ChecklistID).Scan(&status)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		fe.Check(status == isms.ChecklistActive, "checklist_id", "inspection.error.checklist_inactive")
	}
	if len(in.UnitIDs) > 0 {
		var known int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM units WHERE id = ANY($1)`, in.UnitIDs).Scan(&known); err != nil {
			return err
		}
		fe.Check(known == len(in.UnitIDs), "units", "validation.choose")
	}
	return nil
}

func saveCampaignUnits(ctx context.Context, tx pgx.Tx, id int64, units []int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM inspection_campaign_units WHERE campaign_id = $1`, id); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO inspection_campaign_units (campaign_id, unit_id) SELECT $1, unnest($2::bigint[])`, id, units)
	return err
}

// CreateCampaign prepares a campaign (a draft) with an active checklist, for the units chosen or,
// with none chosen, every in-scope unit of the 課 level.
func (db *DB) CreateCampaign(ctx context.Context, actor isms.Actor, in isms.CampaignInput) (isms.Campaign, error) {
	if err := requireInspections(actor); err != nil {
		return isms.Campaign{}, err
	}
	in.Normalize()
	in.UnitIDs = distinct(in.UnitIDs)
	var k isms.Campaign
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		fe := in.Validate()
		if err := checkCampaignInput(ctx, tx, in, fe); err != nil {
			return err
		}
		if err := fe.Err(); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO inspection_campaigns (name, fiscal_year, checklist_id, starts_on, ends_on, all_units, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, nullif($7::bigint, 0)) RETURNING id`,
			in.Name, in.FiscalYear, in.ChecklistID, in.StartsOn, in.EndsOn, len(in.UnitIDs) == 0, actor.UserID).Scan(&id)
		if err != nil {
			return err
		}
		if err := saveCampaignUnits(ctx, tx, id, in.UnitIDs); err != nil {
			return err
		}
		if k, err = loadCampaign(ctx, tx, actor, id, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "inspection.campaign_create", "inspection_campaign", idString(id), nil, k)
	})
	return k, wrap("create campaign", err)
}

// UpdateCampaign changes a campaign's name, fiscal year and period; while it is a draft also its
// checklist and units (an opened campaign's sheets were made from them).
func (db *DB) UpdateCampaign(ctx context.Context, actor isms.Actor, id int64, in isms.CampaignInput) error {
	if err := requireInspections(actor); err != nil {
		return err
	}
	in.Normalize()
	in.UnitIDs = distinct(in.UnitIDs)
	return wrap("update campaign", db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadCampaign(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return errConflict("the campaign")
		}
		fe := in.Validate()
		if before.Status == isms.CampaignDraft {
			if err := checkCampaignInput(ctx, tx, in, fe); err != nil {
				return err
			}
		} else {
			fe.Check(in.ChecklistID == before.ChecklistID, "checklist_id", "inspection.error.opened")
		}
		if err := fe.Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE inspection_campaigns SET name = $2, fiscal_year = $3, starts_on = $4, ends_on = $5,
			updated_at = now(), version = version + 1 WHERE id = $1`, id, in.Name, in.FiscalYear, in.StartsOn, in.EndsOn); err != nil {
			return err
		}
		if before.Status == isms.CampaignDraft {
			if _, err := tx.Exec(ctx, `UPDATE inspection_campaigns SET checklist_id = $2, all_units = $3 WHERE id = $1`,
				id, in.ChecklistID, len(in.UnitIDs) == 0); err != nil {
				return err
			}
			if err := saveCampaignUnits(ctx, tx, id, in.UnitIDs); err != nil {
				return err
			}
		}
		after, err := loadCampaign(ctx, tx, actor, id, false)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "inspection.campaign_update", "inspection_campaign", idString(id), before, after)
	}))
}

// sheetUnitTypes are the unit types a campaign for all units goes to: the 課 level, which has a
// 情報セキュリティ管理者 (isms.UnitType.NeedsManager).
var sheetUnitTypes = func() []string {
	var out []string
	for _, t := range isms.UnitTypes {
		if t.NeedsManager() {
			out = append(out, string(t))
		}
	}
	return out
}()

// OpenCampaign opens a draft campaign: it makes the answer sheets (see the isms package for the
// rule), on the actor's day for the units open and the roles held then, each with an empty answer
// per item.
func (db *DB) OpenCampaign(ctx context.Context, actor isms.Actor, id int64, version int) error {
	if err := requireInspections(actor); err != nil {
		return err
	}
	return wrap("open campaign", db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadCampaign(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errConflict("the campaign")
		}
		if before.Status != isms.CampaignDraft {
			return isms.Errorf(isms.ECONFLICT, "the campaign was opened already")
		}
		fe := isms.FieldErrors{}
		if err := checkCampaignInput(ctx, tx, isms.CampaignInput{ChecklistID: before.ChecklistID}, fe); err != nil {
			return err
		}
		if err := fe.Err(); err != nil {
			return err
		}
		day := actor.Day()
		tag, err := tx.Exec(ctx, `
			WITH targets AS (
				SELECT u.id FROM units u
				WHERE `+activeOn("u", "$3")+` AND CASE WHEN $4 THEN u.in_scope AND u.unit_type = ANY($5)
					ELSE u.id IN (SELECT unit_id FROM inspection_campaign_units WHERE campaign_id = $1) END),
			kinds AS (
				SELECT DISTINCT CASE WHEN respondent = 'ISO_DEPT' THEN 'ISM_SECTION' ELSE respondent END AS kind
				FROM inspection_items WHERE checklist_id = $2)
			INSERT INTO inspection_sheets (campaign_id, respondent, unit_id)
			SELECT $1::bigint, k.kind, t.id FROM kinds k CROSS JOIN targets t
			WHERE k.kind IN ('ISM_SECTION', 'staff')
				OR k.kind IN ('SYS_ADMIN', 'SNS_OWNER') AND EXISTS (SELECT 1 FROM role_assignments ra
					WHERE ra.role_code = k.kind AND ra.unit_id = t.id AND `+activeOn("ra", "$3")+`)
			UNION ALL
			SELECT $1::bigint, k.kind, NULL::bigint FROM kinds k WHERE k.kind = 'DEPUTY_CISO' AND $4`,
			id, before.ChecklistID, day, before.AllUnits, sheetUnitTypes)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			fe.Check(false, "open", "inspection.error.no_targets")
			return fe.Err()
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO inspection_answers (sheet_id, item_id)
			SELECT s.id, i.id FROM inspection_sheets s
			JOIN inspection_items i ON i.checklist_id = $2
				AND CASE WHEN i.respondent = 'ISO_DEPT' THEN 'ISM_SECTION' ELSE i.respondent END = s.respondent
			WHERE s.campaign_id = $1`, id, before.ChecklistID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE inspection_campaigns SET status = 'open', opened_at = now(), updated_at = now(),
			version = version + 1 WHERE id = $1`, id); err != nil {
			return err
		}
		after, err := loadCampaign(ctx, tx, actor, id, false)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "inspection.campaign_open", "inspection_campaign", idString(id), before,
			map[string]any{"campaign": after, "sheets": tag.RowsAffected()})
	}))
}

// CloseCampaign closes an open campaign: its sheets take no more answers; improvement measures
// are still marked done.
func (db *DB) CloseCampaign(ctx context.Context, actor isms.Actor, id int64, version int) error {
	return db.changeCampaign(ctx, actor, id, version, "inspection.campaign_close", func(tx pgx.Tx, k isms.Campaign) error {
		if k.Status != isms.CampaignOpen {
			return isms.Errorf(isms.ECONFLICT, "only an open campaign closes")
		}
		_, err := tx.Exec(ctx, `UPDATE inspection_campaigns SET status = 'closed', closed_at = now() WHERE id = $1`, id)
		return err
	})
}

// SendCampaignToCommittee records that the results of an opened campaign went to the committee
// on the actor's day.
func (db *DB) SendCampaignToCommittee(ctx context.Context, actor isms.Actor, id int64, version int) error {
	return db.changeCampaign(ctx, actor, id, version, "inspection.campaign_report", func(tx pgx.Tx, k isms.Campaign) error {
		if k.Status == isms.CampaignDraft {
			return isms.Errorf(isms.ECONFLICT, "a draft has no results")
		}
		_, err := tx.Exec(ctx, `UPDATE inspection_campaigns SET committee_sent_on = $2 WHERE id = $1`, id, actor.Day())
		return err
	})
}

// changeCampaign runs one change of a campaign for the security office: the campaign locked at
// the version the form had, the change, a new version, the audit event.
func (db *DB) changeCampaign(ctx context.Context, actor isms.Actor, id int64, version int, action string, change func(pgx.Tx, isms.Campaign) error) error {
	if err := requireInspections(actor); err != nil {
		return err
	}
	return wrap(action, db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadCampaign(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errConflict("the campaign")
		}
		if err := change(tx, before); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE inspection_campaigns SET updated_at = now(), version = version + 1 WHERE id = $1`, id); err != nil {
			return err
		}
		after, err := loadCampaign(ctx, tx, actor, id, false)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, action, "inspection_campaign", idString(id), before, after)
	}))
}

// sheetAnswerer is the SQL condition that the actor answers sheet s by their place in the
// organisation (the security office's answering for anyone is not in it): the 管理者 (or 責任者)
// of its unit for the 管理者's sheet, the unit's staff and its 管理者 for the staff sheet, the
// holders of the role on the actor's day for a role's sheet (for the unit, or the town-level role).
func sheetAnswerer(actor isms.Actor, arg func(any) string) string {
	managed := actor.ManagedUnitIDs
	if managed == nil {
		managed = []int64{}
	}
	day := arg(actor.Day())
	m := arg(managed)
	return `(s.respondent = 'ISM_SECTION' AND s.unit_id = ANY(` + m + `)
		OR s.respondent = 'staff' AND (s.unit_id = ANY(` + m + `) OR s.unit_id = ` + arg(actor.UnitID) + `)
		OR s.respondent NOT IN ('ISM_SECTION', 'staff') AND EXISTS (SELECT 1 FROM role_assignments ra
			JOIN people p ON p.id = ra.person_id
			WHERE p.user_id = ` + arg(actor.UserID) + ` AND ra.role_code = s.respondent AND ra.unit_id IS NOT DISTINCT FROM s.unit_id
				AND ` + activeOn("ra", day) + ` AND ` + activeOn("p", day) + `))`
}

// sheetVisible is the SQL condition that the actor sees sheet s: the security office and those
// who see every unit, the people whose scope holds its unit, and those who answer it.
func sheetVisible(actor isms.Actor, arg func(any) string) string {
	units := actor.UnitIDs
	if units == nil {
		units = []int64{}
	}
	return "(" + arg(actor.AllUnits || actor.Can(isms.PermManageInspections)) + " OR s.unit_id = ANY(" + arg(units) + ") OR " +
		sheetAnswerer(actor, arg) + ")"
}

// sheetColumns are read by every query that returns isms.Sheet (alias s, its campaign k, unit u,
// submitter sb, counts n); scanSheet reads them in this order. The last is whether the actor
// answers it, built by the query.
const sheetColumns = `s.id, s.campaign_id, s.respondent, coalesce(s.unit_id, 0), s.status, s.submitted_at, s.version,
	coalesce(u.code, ''), coalesce(u.name, ''), coalesce(sb.display_name, ''), k.name, k.status, k.ends_on, n.answered, n.total`

const sheetFrom = `inspection_sheets s
	JOIN inspection_campaigns k ON k.id = s.campaign_id
	LEFT JOIN units u ON u.id = s.unit_id
	LEFT JOIN users sb ON sb.id = s.submitted_by
	CROSS JOIN LATERAL (SELECT count(a.answer) AS answered, count(*) AS total FROM inspection_answers a WHERE a.sheet_id = s.id) n`

// sheetOrder puts the town-level sheets first, then the units by code, each unit's sheets in the
// respondents' order.
const sheetOrder = `ORDER BY u.code NULLS FIRST, s.unit_id,
	array_position(ARRAY['ISM_SECTION', 'staff', 'SYS_ADMIN', 'SNS_OWNER', 'DEPUTY_CISO'], s.respondent)`

func scanSheet(row pgx.Row) (isms.Sheet, error) {
	var s isms.Sheet
	err := row.Scan(&s.ID, &s.CampaignID, &s.Respondent, &s.UnitID, &s.Status, &s.SubmittedAt, &s.Version,
		&s.UnitCode, &s.UnitName, &s.SubmittedByName, &s.CampaignName, &s.CampaignStatus, &s.EndsOn, &s.Answered, &s.Total,
		&s.MayAnswer)
	return s, err
}

// sheetQuery is the query of the sheets matching where (built with arg), each with whether the
// actor answers it.
func sheetQuery(actor isms.Actor, arg func(any) string, where string) string {
	return `SELECT ` + sheetColumns + `, ` + arg(actor.Can(isms.PermManageInspections)) + ` OR ` + sheetAnswerer(actor, arg) +
		` FROM ` + sheetFrom + ` WHERE ` + where + ` AND ` + sheetVisible(actor, arg)
}

// FindCampaignSheets returns the sheets of a campaign the actor sees, with their progress.
func (db *DB) FindCampaignSheets(ctx context.Context, actor isms.Actor, campaignID int64) ([]isms.Sheet, error) {
	if _, err := loadCampaign(ctx, db.pool, actor, campaignID, false); err != nil {
		return nil, wrap("find campaign sheets", err)
	}
	args := []any{campaignID}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	rows, err := db.pool.Query(ctx, sheetQuery(actor, arg, "s.campaign_id = $1")+" "+sheetOrder, args...)
	if err != nil {
		return nil, wrap("find campaign sheets", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.Sheet, error) { return scanSheet(r) })
	return list, wrap("find campaign sheets", err)
}

// loadSheet reads a sheet of the campaign the actor sees, with its answers in the items' order;
// lock holds the sheet's row until the transaction ends.
func loadSheet(ctx context.Context, q querier, actor isms.Actor, campaignID, sheetID int64, lock bool) (isms.Sheet, error) {
	args := []any{sheetID, campaignID}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	query := sheetQuery(actor, arg, "s.id = $1 AND s.campaign_id = $2")
	if lock {
		query += ` FOR UPDATE OF s`
	}
	s, err := scanSheet(q.QueryRow(ctx, query, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return s, isms.Errorf(isms.ENOTFOUND, "sheet %d not found", sheetID)
	}
	if err != nil {
		return s, err
	}
	rows, err := q.Query(ctx, `
		SELECT `+itemColumns+`, coalesce(a.answer, ''), a.comment, a.measure, a.measure_due_on, a.measure_done_on,
			coalesce(ab.display_name, ''), a.answered_at, a.version
		FROM inspection_answers a JOIN inspection_items i ON i.id = a.item_id LEFT JOIN users ab ON ab.id = a.answered_by
		WHERE a.sheet_id = $1 ORDER BY i.sort_order, i.number`, sheetID)
	if err != nil {
		return s, err
	}
	s.Answers, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.SheetAnswer, error) {
		var a isms.SheetAnswer
		it := &a.Item
		err := r.Scan(&it.ID, &it.Number, &it.TextJa, &it.TextEn, &it.Area, &it.Respondent, &it.ClauseRef, &it.SortOrder,
			&it.Version, &a.Answer, &a.Comment, &a.Measure, &a.MeasureDueOn, &a.MeasureDoneOn, &a.AnsweredBy, &a.AnsweredAt, &a.Version)
		a.ItemID = it.ID
		return a, err
	})
	return s, err
}

// FindSheet returns a sheet of the campaign with its items and answers.
func (db *DB) FindSheet(ctx context.Context, actor isms.Actor, campaignID, sheetID int64) (isms.Sheet, error) {
	s, err := loadSheet(ctx, db.pool, actor, campaignID, sheetID, false)
	return s, wrap("find sheet", err)
}

// SaveSheet saves the answers of a sheet and, when asked, submits it (every item answered). Only
// the sheet's answerers and the security office answer, only while the sheet is open in an open
// campaign. An answer that needs no improvement measure drops the one it had.
func (db *DB) SaveSheet(ctx context.Context, actor isms.Actor, campaignID, sheetID int64, in isms.SheetInput) error {
	for i := range in.Answers {
		in.Answers[i].Normalize()
		if !in.Answers[i].Answer.NeedsMeasure() {
			in.Answers[i].Measure, in.Answers[i].MeasureDueOn = "", nil
		}
	}
	return wrap("save sheet", db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadSheet(ctx, tx, actor, campaignID, sheetID, true)
		if err != nil {
			return err
		}
		if err := checkAnswering(before); err != nil {
			return err
		}
		if before.Version != in.Version {
			return errConflict("the sheet")
		}
		items := make([]isms.ChecklistItem, 0, len(before.Answers))
		for _, a := range before.Answers {
			items = append(items, a.Item)
		}
		fe := in.Validate(items)
		for _, a := range in.Answers {
			fe.Check(slices.ContainsFunc(items, func(it isms.ChecklistItem) bool { return it.ID == a.ItemID }),
				isms.AnswerField("answer", a.ItemID), "validation.choose")
		}
		if err := fe.Err(); err != nil {
			return err
		}
		for _, a := range in.Answers {
			if _, err := tx.Exec(ctx, `
				UPDATE inspection_answers SET answer = nullif($3, ''), comment = $4, measure = $5, measure_due_on = $6,
					measure_done_on = CASE WHEN $5 = '' THEN NULL ELSE measure_done_on END,
					answered_by = nullif($7::bigint, 0), answered_at = now(), updated_at = now(), version = version + 1
				WHERE sheet_id = $1 AND item_id = $2 AND (answer IS DISTINCT FROM nullif($3, '') OR comment <> $4
					OR measure <> $5 OR measure_due_on IS DISTINCT FROM $6::date)`,
				sheetID, a.ItemID, a.Answer, a.Comment, a.Measure, a.MeasureDueOn, actor.UserID); err != nil {
				return err
			}
		}
		status := isms.SheetOpen
		if in.Submit {
			status = isms.SheetSubmitted
		}
		if _, err := tx.Exec(ctx, `UPDATE inspection_sheets SET status = $2,
			submitted_at = CASE WHEN $2 = 'submitted' THEN now() END, submitted_by = CASE WHEN $2 = 'submitted' THEN nullif($3::bigint, 0) END,
			updated_at = now(), version = version + 1 WHERE id = $1`, sheetID, status, actor.UserID); err != nil {
			return err
		}
		after, err := loadSheet(ctx, tx, actor, campaignID, sheetID, false)
		if err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, actor, "inspection.answer", "inspection_sheet", idString(sheetID), before.Answers, after.Answers); err != nil {
			return err
		}
		if !in.Submit {
			return nil
		}
		return appendAudit(ctx, tx, actor, "inspection.submit", "inspection_sheet", idString(sheetID),
			map[string]any{"status": before.Status}, map[string]any{"status": after.Status, "answered": after.Answered})
	}))
}

// checkAnswering refuses answers to a sheet the actor does not answer (EFORBIDDEN) or that takes
// none now: submitted, or in a campaign not open (ECONFLICT: the page was older than the sheet).
func checkAnswering(s isms.Sheet) error {
	switch {
	case !s.MayAnswer:
		return isms.Errorf(isms.EFORBIDDEN, "the actor does not answer this sheet")
	case s.CampaignStatus != isms.CampaignOpen:
		return isms.Errorf(isms.ECONFLICT, "the campaign is not open")
	case s.Status != isms.SheetOpen:
		return isms.Errorf(isms.ECONFLICT, "the sheet was submitted")
	}
	return nil
}

// ReopenSheet opens a submitted sheet again for its answerers (the security office, while the
// campaign is open).
func (db *DB) ReopenSheet(ctx context.Context, actor isms.Actor, campaignID, sheetID int64, version int) error {
	if err := requireInspections(actor); err != nil {
		return err
	}
	return wrap("reopen sheet", db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := loadSheet(ctx, tx, actor, campaignID, sheetID, true)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errConflict("the sheet")
		}
		if before.Status != isms.SheetSubmitted || before.CampaignStatus != isms.CampaignOpen {
			return isms.Errorf(isms.ECONFLICT, "only a submitted sheet of an open campaign reopens")
		}
		if _, err := tx.Exec(ctx, `UPDATE inspection_sheets SET status = 'open', submitted_at = NULL, submitted_by = NULL,
			updated_at = now(), version = version + 1 WHERE id = $1`, sheetID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "inspection.reopen", "inspection_sheet", idString(sheetID),
			map[string]any{"status": before.Status, "submitted_at": before.SubmittedAt}, map[string]any{"status": isms.SheetOpen})
	}))
}

// CompleteMeasure records the day an answer's improvement measure was carried out (nil: not
// after all), by the sheet's answerers or the security office, also once the sheet is submitted
// or the campaign closed.
func (db *DB) CompleteMeasure(ctx context.Context, actor isms.Actor, campaignID, sheetID, itemID int64, version int, doneOn *time.Time) error {
	return wrap("complete measure", db.inTx(ctx, func(tx pgx.Tx) error {
		s, err := loadSheet(ctx, tx, actor, campaignID, sheetID, true)
		if err != nil {
			return err
		}
		if !s.MayAnswer {
			return isms.Errorf(isms.EFORBIDDEN, "the actor does not answer this sheet")
		}
		i := slices.IndexFunc(s.Answers, func(a isms.SheetAnswer) bool { return a.ItemID == itemID })
		if i < 0 || !s.Answers[i].Answer.NeedsMeasure() {
			return isms.Errorf(isms.ENOTFOUND, "no improvement measure for item %d", itemID)
		}
		before := s.Answers[i]
		if before.Version != version {
			return errConflict("the answer")
		}
		fe := isms.FieldErrors{}
		fe.Check(doneOn == nil || !doneOn.After(actor.Day()), "done_on", "inspection.error.future")
		if err := fe.Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE inspection_answers SET measure_done_on = $3, updated_at = now(), version = version + 1
			WHERE sheet_id = $1 AND item_id = $2`, sheetID, itemID, doneOn); err != nil {
			return err
		}
		after := before
		after.MeasureDoneOn = doneOn
		after.Version++
		return appendAudit(ctx, tx, actor, "inspection.measure_done", "inspection_sheet", idString(sheetID), before, after)
	}))
}

// FindCampaignResults counts a campaign's answers (those given so far, in every sheet) by item
// and by unit, for those who read the whole town's results (isms.SeesInspectionResults).
func (db *DB) FindCampaignResults(ctx context.Context, actor isms.Actor, campaignID int64) (isms.CampaignResults, error) {
	var res isms.CampaignResults
	k, err := loadCampaign(ctx, db.pool, actor, campaignID, false)
	if err != nil {
		return res, wrap("find campaign results", err)
	}
	if !isms.SeesInspectionResults(actor) {
		return res, isms.Errorf(isms.EFORBIDDEN, "the results are the committee's and the security office's")
	}
	items, err := checklistItems(ctx, db.pool, k.ChecklistID)
	if err != nil {
		return res, wrap("find campaign results", err)
	}
	byItem := map[int64]*isms.ItemResult{}
	for _, it := range items {
		res.ByItem = append(res.ByItem, isms.ItemResult{Item: it})
	}
	for i := range res.ByItem {
		byItem[res.ByItem[i].Item.ID] = &res.ByItem[i]
	}
	if err := db.pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE status = 'submitted')
		FROM inspection_sheets WHERE campaign_id = $1`, campaignID).Scan(&res.Sheets, &res.Submitted); err != nil {
		return res, wrap("find campaign results", err)
	}
	rows, err := db.pool.Query(ctx, `
		SELECT coalesce(s.unit_id, 0), coalesce(u.code, ''), coalesce(u.name, ''), a.item_id, coalesce(a.answer, '')
		FROM inspection_answers a JOIN inspection_sheets s ON s.id = a.sheet_id LEFT JOIN units u ON u.id = s.unit_id
		WHERE s.campaign_id = $1 ORDER BY u.code NULLS FIRST, s.unit_id`, campaignID)
	if err != nil {
		return res, wrap("find campaign results", err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit isms.UnitResult
		var item int64
		var answer isms.Answer
		if err := rows.Scan(&unit.UnitID, &unit.UnitCode, &unit.UnitName, &item, &answer); err != nil {
			return res, wrap("find campaign results", err)
		}
		if n := len(res.ByUnit); n == 0 || res.ByUnit[n-1].UnitID != unit.UnitID {
			res.ByUnit = append(res.ByUnit, unit)
		}
		res.ByUnit[len(res.ByUnit)-1].Add(answer)
		if r := byItem[item]; r != nil {
			r.Add(answer)
		}
		res.Total.Add(answer)
	}
	return res, wrap("find campaign results", rows.Err())
}

func sheetPath(campaignID, sheetID int64) string {
	return "/inspections/" + idString(campaignID) + "/sheets/" + idString(sheetID)
}

// FindInspectionTasks returns the checklists the actor (unitID 0) or the unit has to answer in
// open campaigns, and their improvement measures not done. For the actor these are the sheets
// they answer by their place in the organisation (not the security office's answering for
// anyone); for a unit, which the actor must see, its sheets.
func (db *DB) FindInspectionTasks(ctx context.Context, actor isms.Actor, unitID int64) ([]isms.Task, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	var cond string
	if unitID == 0 {
		cond = sheetAnswerer(actor, arg)
	} else {
		if !actor.Sees(unitID) && !actor.Can(isms.PermManageInspections) {
			return nil, isms.Errorf(isms.ENOTFOUND, "unit %d not found", unitID)
		}
		cond = "s.unit_id = " + arg(unitID)
	}
	rows, err := db.pool.Query(ctx, `
		SELECT 'inspection', k.name, k.id, s.id, 0, k.ends_on, coalesce(s.unit_id, 0), coalesce(u.name, ''), u.code
		FROM inspection_sheets s JOIN inspection_campaigns k ON k.id = s.campaign_id LEFT JOIN units u ON u.id = s.unit_id
		WHERE k.status = 'open' AND s.status = 'open' AND `+cond+`
		UNION ALL
		SELECT 'improvement', a.measure, k.id, s.id, i.number, a.measure_due_on, coalesce(s.unit_id, 0), coalesce(u.name, ''), u.code
		FROM inspection_answers a JOIN inspection_sheets s ON s.id = a.sheet_id
		JOIN inspection_campaigns k ON k.id = s.campaign_id JOIN inspection_items i ON i.id = a.item_id
		LEFT JOIN units u ON u.id = s.unit_id
		WHERE k.status <> 'draft' AND a.answer IN ('partial', 'not_compliant') AND a.measure_done_on IS NULL AND `+cond+`
		ORDER BY 6, 9 NULLS FIRST, 2`, args...)
	if err != nil {
		return nil, wrap("find inspection tasks", err)
	}
	tasks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.Task, error) {
		var t isms.Task
		var campaign, sheet int64
		var number int
		var due time.Time
		var code *string
		err := r.Scan(&t.Kind, &t.Title, &campaign, &sheet, &number, &due, &t.UnitID, &t.UnitName, &code)
		t.DueOn = &due
		t.Href = sheetPath(campaign, sheet)
		if number != 0 {
			t.Href += fmt.Sprintf("#item-%d", number)
		}
		return t, err
	})
	return tasks, wrap("find inspection tasks", err)
}

// FindInspectionCalendar returns the campaign periods of fiscal year fy: those opened, and the
// drafts for the security office.
func (db *DB) FindInspectionCalendar(ctx context.Context, actor isms.Actor, fy int) ([]isms.CalendarEntry, error) {
	args := []any{fy}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	rows, err := db.pool.Query(ctx, `SELECT k.id, k.name, k.starts_on, k.ends_on FROM inspection_campaigns k
		WHERE k.fiscal_year = $1 AND `+campaignVisible(actor, arg)+` ORDER BY k.starts_on, k.id`, args...)
	if err != nil {
		return nil, wrap("find inspection calendar", err)
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.CalendarEntry, error) {
		var e isms.CalendarEntry
		var id int64
		var end time.Time
		err := r.Scan(&id, &e.Title, &e.Start, &end)
		e.Kind, e.Href, e.End = "inspection", "/inspections/"+idString(id), &end
		return e, err
	})
	return entries, wrap("find inspection calendar", err)
}
