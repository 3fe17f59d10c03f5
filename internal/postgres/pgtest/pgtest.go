// Package pgtest gives each test its own PostgreSQL database, cloned in milliseconds from a
// template that holds the migrated schema. It uses the server named by ISMS_TEST_DATABASE_URL, or
// else starts a throwaway private cluster (internal/pglocal) for the test binary and removes it
// afterwards. Tests never skip for want of a database.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/pglocal"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/migrations"
)

var (
	once      sync.Once
	serverURL string // maintenance database of the test server
	template  string // name of the migrated template database
	cluster   *pglocal.Cluster
	tmpDir    string
	setupErr  error
)

// Main runs a package's tests and then removes the throwaway cluster, if one was started.
// Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if cluster != nil {
		cluster.Stop()
		os.RemoveAll(tmpDir)
	}
	os.Exit(code)
}

// URL returns the URL of a new database for t with the current schema. The database is dropped
// when t passes and kept, with its URL logged, when t fails, so it can be examined with psql.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if setupErr != nil {
		t.Fatalf("test database: %v", setupErr)
	}
	name := "t_" + randomHex(8)
	exec(t, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE "+pgx.Identifier{template}.Sanitize())
	u, err := postgres.WithDatabase(serverURL, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("test database kept: %s", u)
			return
		}
		exec(t, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	})
	return u
}

// Open returns the portal's pool on a new database for t, closed at the end of the test.
func Open(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// Server returns the maintenance URL of the test server, for tests that create databases of
// their own (such as one that migrates from an empty database).
func Server(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if setupErr != nil {
		t.Fatalf("test database: %v", setupErr)
	}
	return serverURL
}

func setup() {
	ctx := context.Background()
	serverURL = os.Getenv("ISMS_TEST_DATABASE_URL")
	if serverURL == "" {
		if tmpDir, setupErr = os.MkdirTemp("", "isms-test-"); setupErr != nil {
			return
		}
		// The server user must be able to enter the folder when tests run as root.
		if setupErr = os.Chmod(tmpDir, 0o755); setupErr != nil {
			return
		}
		cluster, setupErr = pglocal.Start(ctx, pglocal.Options{DataDir: tmpDir + "/pgdata", Throwaway: true})
		if setupErr != nil {
			return
		}
		serverURL = cluster.URL("postgres")
	}
	template, setupErr = ensureTemplate(ctx)
}

// ensureTemplate creates the template database for the current migrations once per server: its
// name carries a hash of the migration files, and an advisory lock makes concurrent test binaries
// wait for the one that builds it.
func ensureTemplate(ctx context.Context) (string, error) {
	sum := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		fmt.Fprintf(sum, "%s\x00%d\x00", path, len(b))
		sum.Write(b)
		return err
	})
	if err != nil {
		return "", err
	}
	name := "isms_tpl_" + hex.EncodeToString(sum.Sum(nil)[:6])

	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtext('isms_test_template'))`); err != nil {
		return "", err
	}
	defer conn.Exec(ctx, `SELECT pg_advisory_unlock(hashtext('isms_test_template'))`)

	var ready bool
	err = conn.QueryRow(ctx, `SELECT coalesce((SELECT datistemplate FROM pg_database WHERE datname = $1), false)`, name).Scan(&ready)
	if err != nil || ready {
		return name, err
	}
	// A template left half-built by an interrupted run is rebuilt.
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", err
	}
	u, err := postgres.WithDatabase(serverURL, name)
	if err != nil {
		return "", err
	}
	if _, _, err := postgres.Migrate(ctx, u, 0); err != nil {
		return "", err
	}
	_, err = conn.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" IS_TEMPLATE true")
	return name, err
}

func exec(t testing.TB, sql string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), serverURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatal(err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
