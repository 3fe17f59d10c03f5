package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/golang-migrate/migrate/v4"
	_ "github.com/golang-migrate/migrate/v4/database/pgx/v5" // registers the pgx5:// scheme
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/migrations"
)

// SchemaVersion is where a database stands: the last migration applied, and whether one failed
// half-way (dirty), which needs a person to look before anything else runs.
type SchemaVersion struct {
	Version uint
	Dirty   bool
}

// Migrate moves the schema of the database at url. steps > 0 applies that many migrations,
// steps < 0 reverts that many, and steps == 0 applies all pending ones. Each move that changes the
// version is recorded in the audit trail (once the trail exists).
func Migrate(ctx context.Context, url string, steps int) (from, to SchemaVersion, err error) {
	m, err := newMigrator(url)
	if err != nil {
		return from, to, err
	}
	defer m.Close()
	if from, err = version(m); err != nil {
		return from, to, err
	}
	switch {
	case steps == 0:
		err = m.Up()
	default:
		err = m.Steps(steps)
	}
	if errors.Is(err, migrate.ErrNoChange) {
		err = nil
	}
	if err != nil {
		return from, to, fmt.Errorf("postgres: migrate: %w", err)
	}
	if to, err = version(m); err != nil {
		return from, to, err
	}
	if to != from {
		err = recordMigration(ctx, url, from, to)
	}
	return from, to, err
}

// Version returns the schema version of the database at url.
func Version(url string) (SchemaVersion, error) {
	m, err := newMigrator(url)
	if err != nil {
		return SchemaVersion{}, err
	}
	defer m.Close()
	return version(m)
}

func version(m *migrate.Migrate) (SchemaVersion, error) {
	v, dirty, err := m.Version()
	if errors.Is(err, migrate.ErrNilVersion) {
		return SchemaVersion{}, nil
	}
	if err != nil {
		return SchemaVersion{}, fmt.Errorf("postgres: schema version: %w", err)
	}
	return SchemaVersion{Version: v, Dirty: dirty}, nil
}

func newMigrator(url string) (*migrate.Migrate, error) {
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		return nil, fmt.Errorf("postgres: migrations: %w", err)
	}
	// golang-migrate picks its pgx v5 driver by the pgx5 scheme; the rest of the URL is pgx's.
	u := url
	for _, scheme := range []string{"postgresql://", "postgres://"} {
		if strings.HasPrefix(u, scheme) {
			u = "pgx5://" + strings.TrimPrefix(u, scheme)
			break
		}
	}
	m, err := migrate.NewWithSourceInstance("iofs", src, u)
	if err != nil {
		return nil, fmt.Errorf("postgres: migrate: %w", redactErr(err))
	}
	return m, nil
}

// recordMigration writes the schema change to the audit trail, if the schema still has one.
func recordMigration(ctx context.Context, url string, from, to SchemaVersion) error {
	db, err := Open(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	var exists bool
	if err := db.pool.QueryRow(ctx, `SELECT to_regclass('audit_events') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		return appendAudit(ctx, tx, isms.SystemActor("migrate"), "schema.migrate", "schema", "", from, to)
	})
}
