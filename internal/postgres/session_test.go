package postgres_test

import (
	"context"
	"testing"

	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
)

func TestDeleteExpiredSessions(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	_, err := db.Pool().Exec(ctx, `
		INSERT INTO sessions (token, data, expiry) VALUES
			('expired', '\x00', now() - interval '1 minute'),
			('alive',   '\x00', now() + interval '30 minutes')`)
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.DeleteExpiredSessions(ctx)
	if err != nil || n != 1 {
		t.Fatalf("removed %d, %v; want 1", n, err)
	}
	var left string
	db.Pool().QueryRow(ctx, `SELECT string_agg(token, ',') FROM sessions`).Scan(&left)
	if left != "alive" {
		t.Errorf("sessions left: %q, want alive", left)
	}
}
