package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/jichitai-isms/isms/internal/pglocal"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// database resolves the database the portal uses: ISMS_DATABASE_URL when set, else the private
// cluster in the data folder, started here and stopped by the returned function.
func database(ctx context.Context, cfg config, log *slog.Logger) (url string, stop func(), err error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, func() {}, nil
	}
	cluster, err := pglocal.Start(ctx, pglocal.Options{DataDir: filepath.Join(cfg.DataDir, "pgdata"), Logger: log})
	if errors.Is(err, pglocal.ErrNoBinaries) {
		return "", nil, fmt.Errorf("ISMS_DATABASE_URL is not set, so the portal runs its own PostgreSQL, but %w", err)
	}
	if err != nil {
		return "", nil, err
	}
	if err := postgres.CreateDatabaseIfMissing(ctx, cluster.URL("postgres"), "isms"); err != nil {
		cluster.Stop()
		return "", nil, err
	}
	return cluster.URL("isms"), func() { cluster.Stop() }, nil
}

// withDB runs fn on the portal's database (private cluster or ISMS_DATABASE_URL) and returns its
// exit status; the command-line tasks share it.
func withDB(ctx context.Context, cfg config, log *slog.Logger, fn func(db *postgres.DB) int) int {
	url, stop, err := database(ctx, cfg, log)
	if err != nil {
		log.Error("database", "err", err)
		return exitFailed
	}
	defer stop()
	db, err := postgres.Open(ctx, url)
	if err != nil {
		log.Error("database", "err", err)
		return exitFailed
	}
	defer db.Close()
	return fn(db)
}
