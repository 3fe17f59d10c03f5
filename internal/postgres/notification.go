package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The in-portal notification list. Notifications are personal: each person reads and marks only
// their own. One that names an incident the person no longer sees (their role ended) drops out
// of the list, as the incident itself does. Marking one read is the reader's bookkeeping, not a
// change of the town's records, so it leaves no audit event.

// notificationScope is the SQL condition that the notification of alias n is the actor's own and
// that the incident it names, if any, is one the actor sees (alias i, joined on the left).
func notificationScope(actor isms.Actor, arg func(any) string) string {
	return "n.user_id = " + arg(actor.UserID) + " AND (n.incident_id IS NULL OR " + incidentVisible(actor, arg) + ")"
}

// FindNotifications returns the actor's latest notifications, newest first.
func (db *DB) FindNotifications(ctx context.Context, actor isms.Actor, limit int) ([]isms.Notification, error) {
	if !actor.SignedIn() {
		return nil, nil
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	query := `
		SELECT n.id, n.kind, coalesce(n.incident_id, 0), n.reason, n.created_at, n.read_at,
			coalesce(i.number, ''), coalesce(i.title, ''), i.severity, coalesce(i.status, ''),
			CASE WHEN r.done_on IS NULL THEN r.due_on END, r.done_on
		FROM notifications n
		LEFT JOIN incidents i ON i.id = n.incident_id
		LEFT JOIN incident_reports r ON r.incident_id = i.id AND r.recipient = 'ppc_prelim'
		WHERE ` + notificationScope(actor, arg) + `
		ORDER BY n.id DESC LIMIT ` + arg(limit)
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, wrap("find notifications", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.Notification, error) {
		var n isms.Notification
		err := r.Scan(&n.ID, &n.Kind, &n.IncidentID, &n.Reason, &n.CreatedAt, &n.ReadAt,
			&n.Number, &n.Title, &n.Severity, &n.Status, &n.PrelimDue, &n.PrelimDone)
		return n, err
	})
	return list, wrap("find notifications", err)
}

// CountUnreadNotifications is the number of the actor's unread notifications.
func (db *DB) CountUnreadNotifications(ctx context.Context, actor isms.Actor) (int, error) {
	if !actor.SignedIn() {
		return 0, nil
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	query := `SELECT count(*) FROM notifications n LEFT JOIN incidents i ON i.id = n.incident_id
		WHERE n.read_at IS NULL AND ` + notificationScope(actor, arg)
	var count int
	err := db.pool.QueryRow(ctx, query, args...).Scan(&count)
	return count, wrap("count unread notifications", err)
}

// ReadNotification marks one of the actor's notifications read (0: all of them). Someone else's
// is ENOTFOUND.
func (db *DB) ReadNotification(ctx context.Context, actor isms.Actor, id int64) error {
	if id == 0 {
		_, err := db.pool.Exec(ctx, `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`, actor.UserID)
		return wrap("read notifications", err)
	}
	tag, err := db.pool.Exec(ctx, `UPDATE notifications SET read_at = coalesce(read_at, now())
		WHERE id = $1 AND user_id = $2`, id, actor.UserID)
	if err != nil {
		return wrap("read notification", err)
	}
	if tag.RowsAffected() == 0 {
		return isms.Errorf(isms.ENOTFOUND, "notification %d not found", id)
	}
	return nil
}
