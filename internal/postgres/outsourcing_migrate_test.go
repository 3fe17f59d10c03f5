package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
)

// TestMigrateAssetContractorText moves the asset register's free-text 委託先 to the outsourcing
// register: each name typed becomes one contractor, each unit that typed it gets one contract
// with it, and its assets name that contract. Reverting writes the names back.
func TestMigrateAssetContractorText(t *testing.T) {
	ctx := context.Background()
	server := pgtest.Server(t)
	name := "migrate_contractor_text"
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name)
	if err := postgres.CreateDatabaseIfMissing(ctx, server, name); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)")
	url, _ := postgres.WithDatabase(server, name)
	const before = 22 // the last migration with the free-text column
	if _, to, err := postgres.Migrate(ctx, url, before); err != nil || to.Version != before {
		t.Fatalf("up to %d: %+v, %v", before, to, err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`INSERT INTO units (code, name) VALUES ('TAX', '税務課'), ('LIFE', '住民課')`)
	// Two units name the same firm (one with stray spaces), one names another, one asset none.
	for _, a := range []struct{ unit, contractor string }{
		{"TAX", "みどり情報サービス"}, {"TAX", " みどり情報サービス "}, {"LIFE", "みどり情報サービス"},
		{"LIFE", "さくら電算"}, {"LIFE", ""},
	} {
		exec(`INSERT INTO assets (name, asset_type, unit_id, form, confidentiality, integrity, availability,
				c_rank, i_rank, a_rank, classified_at, review_due, contractor)
			SELECT '資産', 'INFO_PAPER', id, 'paper', 'LGC2', 'LGI1', 'LGA1', 2, 1, 1, '2026-04-01', '2027-03-31', $2
			FROM units WHERE code = $1`, a.unit, a.contractor)
	}

	if _, to, err := postgres.Migrate(ctx, url, 1); err != nil || to.Version != before+1 {
		t.Fatalf("up: %+v, %v", to, err)
	}
	var firms, contracts int
	conn.QueryRow(ctx, `SELECT count(*) FROM contractors`).Scan(&firms)
	conn.QueryRow(ctx, `SELECT count(*) FROM contracts`).Scan(&contracts)
	if firms != 2 || contracts != 3 {
		t.Errorf("contractors %d, contracts %d; want 2 and 3", firms, contracts)
	}
	rows, _ := conn.Query(ctx, `
		SELECT u.code, coalesce(f.name, ''), k.id IS NULL OR k.unit_id = a.unit_id
		FROM assets a JOIN units u ON u.id = a.unit_id
		LEFT JOIN contracts k ON k.id = a.contract_id LEFT JOIN contractors f ON f.id = k.contractor_id
		ORDER BY a.id`)
	type link struct {
		Unit, Firm string
		SameUnit   bool
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[link])
	if err != nil {
		t.Fatal(err)
	}
	want := []link{{"TAX", "みどり情報サービス", true}, {"TAX", "みどり情報サービス", true},
		{"LIFE", "みどり情報サービス", true}, {"LIFE", "さくら電算", true}, {"LIFE", "", true}}
	if !slices.Equal(got, want) {
		t.Errorf("links %+v\nwant %+v", got, want)
	}
	var tax1, tax2 int64
	conn.QueryRow(ctx, `SELECT min(contract_id), max(contract_id) FROM assets a JOIN units u ON u.id = a.unit_id WHERE u.code = 'TAX'`).
		Scan(&tax1, &tax2)
	if tax1 == 0 || tax1 != tax2 {
		t.Errorf("the two 税務課 assets name contracts %d and %d, want one", tax1, tax2)
	}

	if _, _, err := postgres.Migrate(ctx, url, -1); err != nil {
		t.Fatalf("down: %v", err)
	}
	rows, _ = conn.Query(ctx, `SELECT contractor FROM assets ORDER BY id`)
	texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"みどり情報サービス", "みどり情報サービス", "みどり情報サービス", "さくら電算", ""}; !slices.Equal(texts, want) {
		t.Errorf("after down: %q, want %q", texts, want)
	}
}
