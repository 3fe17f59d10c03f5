//go:build bench

package postgres

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// For the benchmark (bench_test.go, `make bench`): a pool that records the statements it sends,
// so that the raw SQL of a store method can be timed with exactly the text and arguments the
// store issues.

// Statement is one statement as a store sent it.
type Statement struct {
	SQL  string
	Args []any
}

// String is the statement with its arguments, for comparing two captures.
func (s Statement) String() string { return fmt.Sprintf("%s %v", s.SQL, s.Args) }

// QueryLog records the statements of a pool while it is on.
type QueryLog struct {
	mu    sync.Mutex
	on    bool
	stmts []Statement
}

// Start begins recording, forgetting what was recorded before.
func (l *QueryLog) Start() { l.mu.Lock(); defer l.mu.Unlock(); l.on, l.stmts = true, nil }

// Stop ends recording and returns the statements sent since Start.
func (l *QueryLog) Stop() []Statement {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = false
	return l.stmts
}

func (l *QueryLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.on {
		l.stmts = append(l.stmts, Statement{SQL: d.SQL, Args: append([]any(nil), d.Args...)})
	}
	return ctx
}

func (l *QueryLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// OpenWithLog is Open with a QueryLog on the pool.
func OpenWithLog(ctx context.Context, url string) (*DB, *QueryLog, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, nil, err
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "Asia/Tokyo"
	cfg.ConnConfig.RuntimeParams["application_name"] = "isms"
	log := &QueryLog{}
	cfg.ConnConfig.Tracer = log
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, nil, err
	}
	return &DB{pool: pool}, log, nil
}

// RunRaw sends a recorded statement again and reads its rows without decoding them.
func (db *DB) RunRaw(ctx context.Context, s Statement) (rows int, err error) {
	r, err := db.pool.Query(ctx, s.SQL, s.Args...)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	for r.Next() {
		_ = r.RawValues()
		rows++
	}
	return rows, r.Err()
}
