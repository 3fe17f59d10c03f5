// Package postgres is the portal's storage: every query, transaction and migration, on PostgreSQL
// through pgx. It is the only package that imports pgx. Stores write each change and its
// audit-trail row in one transaction, and translate database errors into isms error codes.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jichitai-isms/isms/internal/isms"
)

// DB is the portal's connection pool.
type DB struct {
	pool *pgxpool.Pool
}

// Open connects to the database at url and checks that it answers.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", redactErr(err))
	}
	// The portal's own times are shown in Japan; storage stays timestamptz.
	cfg.ConnConfig.RuntimeParams["timezone"] = "Asia/Tokyo"
	cfg.ConnConfig.RuntimeParams["application_name"] = "isms"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: cannot reach the database: %w", err)
	}
	return &DB{pool: pool}, nil
}

// Close waits for connections in use to be returned, then closes the pool.
func (db *DB) Close() { db.pool.Close() }

// Ping reports whether the database answers; an error is coded EUNAVAILABLE.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return &isms.Error{Code: isms.EUNAVAILABLE, Message: "database unreachable"}
	}
	return nil
}

// SessionStore returns the store for browser sessions in the sessions table. Expired sessions
// are removed by DeleteExpiredSessions, which the portal runs on its own schedule (the store's own
// cleanup goroutine cannot be stopped safely).
func (db *DB) SessionStore() scs.Store { return pgxstore.NewWithCleanupInterval(db.pool, 0) }

// DeleteExpiredSessions removes sessions past their expiry and reports how many went.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM sessions WHERE expiry < now()`)
	if err != nil {
		return 0, fmt.Errorf("postgres: delete expired sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}

// inTx runs fn in a transaction, committing when fn returns nil and rolling back otherwise.
func (db *DB) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, fn)
}

// redactErr keeps a password in a malformed URL out of logs: pgx's parse errors quote the URL.
func redactErr(err error) error {
	if _, ok := errors.AsType[*pgconn.ParseConfigError](err); ok {
		return errors.New("ISMS_DATABASE_URL is not a valid PostgreSQL connection URL")
	}
	return err
}

// querier is what a pool and a transaction have in common, so that small reads can run in either.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func isUniqueViolation(err error) bool { return hasCode(err, "23505") }

func isForeignKeyViolation(err error) bool { return hasCode(err, "23503") }

func hasCode(err error, code string) bool {
	pgErr, ok := errors.AsType[*pgconn.PgError](err)
	return ok && pgErr.Code == code
}

// wrap names the operation on an error, keeping the isms code in the chain for the web layer.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// errConflict is returned when a record changed since the form was loaded (optimistic locking).
func errConflict(what string) error {
	return isms.Errorf(isms.ECONFLICT, "%s was changed by someone else", what)
}
