package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
)

// TestMigrateUpDownUp applies every migration to an empty database, reverts them all, and applies
// them again: each down file must undo its up file exactly, or the second up fails.
func TestMigrateUpDownUp(t *testing.T) {
	ctx := context.Background()
	server := pgtest.Server(t)
	name := "migrate_" + t.Name()[len("Test"):]
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize())
	if err := postgres.CreateDatabaseIfMissing(ctx, server, name); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec(ctx, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	url, _ := postgres.WithDatabase(server, name)

	from, to, err := postgres.Migrate(ctx, url, 0)
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	latest := to.Version
	if from.Version != 0 || latest == 0 || to.Dirty {
		t.Fatalf("up: from %+v to %+v", from, to)
	}
	if _, to, err = postgres.Migrate(ctx, url, -int(latest)); err != nil || to.Version != 0 {
		t.Fatalf("down: to %+v, %v", to, err)
	}
	if tables := countTables(t, url); tables != 1 { // only golang-migrate's schema_migrations remains
		t.Errorf("after down: %d tables, want 1", tables)
	}
	if _, to, err = postgres.Migrate(ctx, url, 0); err != nil || to.Version != latest {
		t.Fatalf("up again: to %+v, %v", to, err)
	}
	if v, err := postgres.Version(url); err != nil || v.Version != latest {
		t.Errorf("Version = %+v, %v; want %d", v, err, latest)
	}
	// Both ups were recorded in the audit trail of the final schema? Only the last one survives
	// the down, which dropped the trail; the up again records one event.
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	db.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'schema.migrate'`).Scan(&n)
	if n != 1 {
		t.Errorf("schema.migrate events = %d, want 1", n)
	}
}

func countTables(t *testing.T, url string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
