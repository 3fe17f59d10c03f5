package postgres_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

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

var reviewer = isms.Actor{UserID: 900, Label: "kansa", Role: isms.RoleAuditor, AllUnits: true}

// addEvent writes one event and returns its id.
func addEvent(t *testing.T, db *postgres.DB, label, action, entityType, entityID string, before, after any) int64 {
	t.Helper()
	ctx := context.Background()
	if err := db.AppendAudit(ctx, isms.Actor{UserID: 7, Label: label}, action, entityType, entityID, before, after); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := db.Pool().QueryRow(ctx, `SELECT max(id) FROM audit_events`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func eventIDs(events []isms.AuditEvent) []int64 {
	ids := make([]int64, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	return ids
}

func TestFindAuditEventsFilters(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	login := addEvent(t, db, "Tanaka", "auth.login", "user", "5", nil, map[string]string{"method": "totp"})
	update := addEvent(t, db, "admin", "user.update", "user", "5", map[string]any{"role": "staff"}, map[string]any{"role": "ciso"})
	other := addEvent(t, db, "admin", "user.update", "user", "6", map[string]any{"role": "staff"}, map[string]any{"role": "auditor"})
	unit := addEvent(t, db, "admin", "unit.create", "unit", "5", nil, map[string]any{"name": "税務課"})
	failed := addEvent(t, db, "tanaka", "auth.login_failed", "user", "5", nil, map[string]string{"reason": "password"})
	impostor := addEvent(t, db, "tanaka2", "auth.login_failed", "user", "", nil, map[string]string{"reason": "unknown"})

	tests := []struct {
		name string
		f    isms.AuditFilter
		want []int64
	}{
		{"actor, whatever the case", isms.AuditFilter{Actor: "TANAKA"}, []int64{failed, login}},
		{"actor exactly, not a prefix", isms.AuditFilter{Actor: "tanaka2"}, []int64{impostor}},
		{"action", isms.AuditFilter{Action: "user.update"}, []int64{other, update}},
		{"entity type", isms.AuditFilter{EntityType: "unit"}, []int64{unit}},
		{"entity", isms.AuditFilter{EntityType: "user", EntityID: "5"}, []int64{failed, update, login}},
		{"criteria together", isms.AuditFilter{Actor: "admin", EntityType: "user", EntityID: "5", Action: "user.update"}, []int64{update}},
		{"before an id", isms.AuditFilter{EntityType: "user", EntityID: "5", Before: failed}, []int64{update, login}},
		{"nothing matches", isms.AuditFilter{Actor: "nobody"}, []int64{}},
		{"a value that looks like SQL is only a value", isms.AuditFilter{Actor: "x' OR '1'='1"}, []int64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, next, err := db.FindAuditEvents(ctx, reviewer, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := eventIDs(events); !slices.Equal(got, tt.want) || next != 0 {
				t.Errorf("ids %v next %d, want %v next 0", got, next, tt.want)
			}
		})
	}

	// The event comes back whole.
	events, _, err := db.FindAuditEvents(ctx, reviewer, isms.AuditFilter{EntityType: "user", EntityID: "6"})
	if err != nil || len(events) != 1 {
		t.Fatalf("%v, %v", events, err)
	}
	e := events[0]
	if e.ID != other || e.ActorID != 7 || e.ActorLabel != "admin" || e.Action != "user.update" ||
		string(e.Before) != `{"role": "staff"}` || string(e.After) != `{"role": "auditor"}` || time.Since(e.At) > time.Minute {
		t.Errorf("event = %+v (before %s, after %s)", e, e.Before, e.After)
	}
	events, _, _ = db.FindAuditEvents(ctx, reviewer, isms.AuditFilter{Action: "auth.login"})
	if len(events) != 1 || events[0].Before != nil {
		t.Errorf("creation: before = %q, want nil", events[0].Before)
	}

	// An id without its kind of record is refused.
	_, _, err = db.FindAuditEvents(ctx, reviewer, isms.AuditFilter{EntityID: "5"})
	if ve, ok := errors.AsType[*isms.ValidationError](err); !ok || ve.Fields["entity_type"] == "" {
		t.Errorf("entity id alone: %v", err)
	}
}

// Dates are whole days in Japan time, both ends included, whatever zone the times given are in.
func TestFindAuditEventsByDate(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	at := map[string]string{
		"before-start": "2026-03-31 23:59:59.999+09",
		"start":        "2026-04-01 00:00:00+09",
		"end":          "2026-04-30 23:59:59.999+09",
		"after-end":    "2026-05-01 00:00:00+09",
	}
	ids := map[string]int64{}
	for _, name := range []string{"before-start", "start", "end", "after-end"} {
		ids[name] = addEvent(t, db, "tanaka", "auth.login", "user", "5", nil, map[string]string{"name": name})
	}
	// The trail is append-only; put the events on the days this test needs behind its back.
	if _, err := db.Pool().Exec(ctx, `ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`); err != nil {
		t.Fatal(err)
	}
	for name, ts := range at {
		if _, err := db.Pool().Exec(ctx, `UPDATE audit_events SET at = $2 WHERE id = $1`, ids[name], ts); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Pool().Exec(ctx, `ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete`); err != nil {
		t.Fatal(err)
	}

	jst := time.FixedZone("JST", 9*3600)
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, jst) }
	tests := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"a range", day(4, 1), day(4, 30), []string{"end", "start"}},
		{"from only", day(4, 1), time.Time{}, []string{"after-end", "end", "start"}},
		{"to only", time.Time{}, day(4, 30), []string{"end", "start", "before-start"}},
		{"one day", day(3, 31), day(3, 31), []string{"before-start"}},
		{"a day with nothing", day(4, 15), day(4, 15), nil},
		{"the Japan date of instants given in UTC", time.Date(2026, 3, 31, 15, 0, 0, 0, time.UTC),
			time.Date(2026, 4, 30, 14, 59, 0, 0, time.UTC), []string{"end", "start"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, _, err := db.FindAuditEvents(ctx, reviewer, isms.AuditFilter{Action: "auth.login", From: tt.from, To: tt.to})
			if err != nil {
				t.Fatal(err)
			}
			want := []int64{}
			for _, name := range tt.want {
				want = append(want, ids[name])
			}
			if got := eventIDs(events); !slices.Equal(got, want) {
				t.Errorf("ids %v, want %v %v", got, want, tt.want)
			}
		})
	}

	_, _, err := db.FindAuditEvents(ctx, reviewer, isms.AuditFilter{From: day(4, 2), To: day(4, 1)})
	if ve, ok := errors.AsType[*isms.ValidationError](err); !ok || ve.Fields["to"] == "" {
		t.Errorf("reversed range: %v", err)
	}
}

func TestFindAuditEventsPagesByKeyset(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	appendEvents(t, db, 7)
	f := isms.AuditFilter{Action: "setting.update", Limit: 3}
	var seen []int64
	var sizes []int
	for page := 0; ; page++ {
		if page > 5 {
			t.Fatal("paging does not end")
		}
		events, next, err := db.FindAuditEvents(ctx, reviewer, f)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(events))
		seen = append(seen, eventIDs(events)...)
		if next == 0 {
			break
		}
		if next != events[len(events)-1].ID {
			t.Errorf("next = %d, want the last id shown %d", next, events[len(events)-1].ID)
		}
		f.Before = next
	}
	if !slices.Equal(sizes, []int{3, 3, 1}) {
		t.Errorf("page sizes %v, want [3 3 1]", sizes)
	}
	if len(seen) != 7 || !slices.IsSortedFunc(seen, func(a, b int64) int { return int(b - a) }) || len(slices.Compact(slices.Clone(seen))) != 7 {
		t.Errorf("ids over the pages %v: want 7 distinct, newest first", seen)
	}

	// An exactly full last page has no next page.
	events, next, _ := db.FindAuditEvents(ctx, reviewer, isms.AuditFilter{Action: "setting.update", Limit: 7})
	if len(events) != 7 || next != 0 {
		t.Errorf("full page: %d events, next %d", len(events), next)
	}
}

func TestFindAuditEventsPageSize(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	if _, err := db.Pool().Exec(ctx, `
		INSERT INTO audit_events (actor_label, action, entity_type, prev_hash, hash)
		SELECT 'bulk', 'setting.update', 'setting', '', '' FROM generate_series(1, 250)`); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ limit, want int }{{0, 50}, {-1, 50}, {120, 120}, {1000, 200}} {
		events, next, err := db.FindAuditEvents(ctx, reviewer, isms.AuditFilter{Limit: tt.limit})
		if err != nil || len(events) != tt.want || next == 0 {
			t.Errorf("limit %d: %d events, next %d, %v; want %d", tt.limit, len(events), next, err, tt.want)
		}
	}
}

func TestFindAuditEventsRefusedWithoutPermission(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	appendEvents(t, db, 1)
	for name, actor := range map[string]isms.Actor{
		"staff":                {UserID: 1, Label: "tanaka", Role: isms.RoleStaff, UnitIDs: []int64{1}},
		"system administrator": {UserID: 2, Label: "admin", Role: isms.RoleSystemAdmin},
		"nobody signed in":     {Role: isms.RoleAuditor},
	} {
		events, _, err := db.FindAuditEvents(ctx, actor, isms.AuditFilter{})
		if isms.ErrorCode(err) != isms.EFORBIDDEN || events != nil {
			t.Errorf("%s: %d events, %v; want EFORBIDDEN", name, len(events), err)
		}
	}
	for _, role := range []isms.Role{isms.RoleSecurityOffice, isms.RoleCISO, isms.RoleAuditor} {
		events, _, err := db.FindAuditEvents(ctx, isms.Actor{UserID: 3, Label: "x", Role: role}, isms.AuditFilter{})
		if err != nil || len(events) != 2 {
			t.Errorf("%s: %d events, %v; want 2", role, len(events), err)
		}
	}
}

// Two transactions writing events at the same time: the one that waits for the other must still
// chain in the order that verification walks.
func TestAuditChainHoldsUnderConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	appendEvents(t, db, 1)
	before, err := db.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	insert := `INSERT INTO audit_events (actor_label, action, entity_type) VALUES ('test', $1, 'setting')`

	first, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback(ctx)
	if _, err := first.Exec(ctx, insert, "first.a"); err != nil {
		t.Fatal(err)
	}
	// The second writer starts its insert and waits for the first transaction's chain lock.
	done := make(chan error, 1)
	go func() {
		_, err := db.Pool().Exec(ctx, insert, "second")
		done <- err
	}()
	for waiting := false; !waiting; {
		if err := db.Pool().QueryRow(ctx, `SELECT count(*) > 0 FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO audit_events%'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := first.Exec(ctx, insert, "first.b"); err != nil {
		t.Fatal(err)
	}
	if err := first.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	check, err := db.VerifyAudit(ctx)
	if err != nil || check.BrokenID != 0 || check.Events != before.Events+3 {
		t.Errorf("after concurrent writers: %+v, %v; want %d events, unbroken", check, err, before.Events+3)
	}
}
