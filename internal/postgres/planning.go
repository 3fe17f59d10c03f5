package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// Providers of the planning pages for the parts built before them: the training sessions of the
// fiscal year's calendar, and the asset requests awaiting a 管理者's decision among "my tasks".

// FindTrainingCalendar returns the training sessions and drills held (or to be held) in fiscal
// year fy, which everyone reads; a session's page is linked for those who keep training.
func (db *DB) FindTrainingCalendar(ctx context.Context, actor isms.Actor, fy int) ([]isms.CalendarEntry, error) {
	start, end := isms.FiscalYearBounds(fy)
	rows, err := db.pool.Query(ctx, `SELECT s.id, coalesce(nullif(s.title, ''), c.name_ja), s.held_on
		FROM training_sessions s JOIN courses c ON c.code = s.course_code
		WHERE s.held_on BETWEEN $1 AND $2 ORDER BY s.held_on, s.id`, start, end)
	if err != nil {
		return nil, wrap("find training calendar", err)
	}
	links := actor.Can(isms.PermManageTraining)
	var entries []isms.CalendarEntry
	var id int64
	var e isms.CalendarEntry
	_, err = pgx.ForEachRow(rows, []any{&id, &e.Title, &e.Start}, func() error {
		e.Kind, e.Href = "training", ""
		if links {
			e.Href = "/training/sessions/" + idString(id)
		}
		entries = append(entries, e)
		return nil
	})
	return entries, wrap("find training calendar", err)
}

// FindApprovalTasks returns the requests to transport, provide or dispose of an asset that await
// a decision: for the actor (unitID 0), those of the units they manage that someone else asked
// (兼務の禁止: their own are for another 管理者); for the unit unitID, all of the unit's, when the
// actor sees the unit. A request is due on the day its handling is planned.
func (db *DB) FindApprovalTasks(ctx context.Context, actor isms.Actor, unitID int64) ([]isms.Task, error) {
	query := `SELECT ` + requestColumns + ` FROM ` + requestFrom + ` WHERE r.status = 'pending' AND `
	var args []any
	switch {
	case unitID == 0 && len(actor.ManagedUnitIDs) > 0:
		query += `a.unit_id = ANY($1) AND r.requested_by <> $2`
		args = []any{actor.ManagedUnitIDs, actor.UserID}
	case unitID != 0 && actor.Sees(unitID):
		query += `a.unit_id = $1`
		args = []any{unitID}
	default:
		return nil, nil
	}
	reqs, err := collectRequests(db.pool.Query(ctx, query+` ORDER BY r.id LIMIT `+idString(inboxLimit), args...))
	if err != nil {
		return nil, wrap("find approval tasks", err)
	}
	tasks := make([]isms.Task, len(reqs))
	for i, r := range reqs {
		tasks[i] = isms.Task{Kind: "approval", Title: r.AssetNumber + " " + r.AssetName, Href: "/requests/" + idString(r.ID),
			DueOn: r.PlannedOn, UnitID: r.UnitID, UnitName: r.UnitName}
	}
	return tasks, nil
}
