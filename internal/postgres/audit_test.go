package postgres_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
)

func appendEvents(t *testing.T, db *postgres.DB, n int) {
	t.Helper()
	ctx := isms.WithRequest(context.Background(), isms.RequestInfo{ID: "req-1", ClientAddr: "192.0.2.10"})
	for i := range n {
		err := db.AppendAudit(ctx, isms.Actor{UserID: 7, Label: "tanaka"}, "setting.update", "setting", "site.name",
			map[string]any{"value": i}, map[string]any{"value": i + 1, "note": "庁内"})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditTrailRefusesUpdateDeleteTruncate(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	appendEvents(t, db, 2)
	for _, sql := range []string{
		`UPDATE audit_events SET actor_label = 'someone else'`,
		`DELETE FROM audit_events`,
		`TRUNCATE audit_events`,
	} {
		_, err := db.Pool().Exec(ctx, sql)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want refusal", sql, err)
		}
	}
	var n int
	db.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_events`).Scan(&n)
	if n != 3 { // the template's schema.migrate event and the two above
		t.Errorf("events = %d, want 3", n)
	}
}

func TestAuditEventRecordsRequestAndValues(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	appendEvents(t, db, 1)
	var label, reqID, addr, before, after string
	var actorID int64
	err := db.Pool().QueryRow(ctx, `
		SELECT actor_id, actor_label, request_id, client_addr, before::text, after::text
		FROM audit_events WHERE action = 'setting.update'`).Scan(&actorID, &label, &reqID, &addr, &before, &after)
	if err != nil {
		t.Fatal(err)
	}
	if actorID != 7 || label != "tanaka" || reqID != "req-1" || addr != "192.0.2.10" ||
		before != `{"value": 0}` || after != `{"note": "庁内", "value": 1}` {
		t.Errorf("got %d %q %q %q %s %s", actorID, label, reqID, addr, before, after)
	}
}

func TestVerifyAuditDetectsTampering(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	appendEvents(t, db, 5)
	check, err := db.VerifyAudit(ctx)
	if err != nil || check != (postgres.AuditCheck{Events: 6}) {
		t.Fatalf("intact chain: %+v, %v", check, err)
	}

	// Someone with database access switches the trigger off and rewrites history.
	var target int64
	db.Pool().QueryRow(ctx, `SELECT id FROM audit_events WHERE action = 'setting.update' ORDER BY id OFFSET 2 LIMIT 1`).Scan(&target)
	for _, sql := range []string{
		`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`,
		`UPDATE audit_events SET after = '{"value": 99}' WHERE id = $1`,
		`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete`,
	} {
		args := []any{}
		if strings.Contains(sql, "$1") {
			args = append(args, target)
		}
		if _, err := db.Pool().Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	check, err = db.VerifyAudit(ctx)
	if err != nil || check.BrokenID != target {
		t.Errorf("after tampering: %+v, %v; want broken at %d", check, err, target)
	}
}

func TestVerifyAuditDetectsRemovedEvent(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	appendEvents(t, db, 3)
	rows, _ := db.Pool().Query(ctx, `SELECT id FROM audit_events ORDER BY id`)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`,
		`DELETE FROM audit_events WHERE id = ` + strconv.FormatInt(ids[1], 10),
		`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete`,
	} {
		if _, err := db.Pool().Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	check, err := db.VerifyAudit(ctx)
	if err != nil || check.BrokenID != ids[2] {
		t.Errorf("after removal: %+v, %v; want broken at %d", check, err, ids[2])
	}
}
