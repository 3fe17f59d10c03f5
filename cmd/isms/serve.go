package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/jichitai-isms/isms/internal/auth"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/internal/server"
)

func newLogger(cfg config, w io.Writer) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// serve runs the portal until ctx ends (SIGINT or SIGTERM), then stops accepting connections,
// lets requests in flight finish for up to 30 seconds, and closes the database.
func serve(ctx context.Context, cfg config, log *slog.Logger, stdout io.Writer) int {
	log.Info("starting", "config", cfg)
	// Bind first: a taken port is the most common start-up failure and needs no database to report.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		log.Error("cannot listen", "addr", cfg.Addr, "err", err)
		return exitFailed
	}
	defer ln.Close()

	url, stopDB, err := database(ctx, cfg, log)
	if err != nil {
		log.Error("database", "err", err)
		return exitFailed
	}
	defer stopDB()
	from, to, err := postgres.Migrate(ctx, url, 0)
	if err != nil {
		log.Error("migrate", "err", err)
		return exitFailed
	}
	if from != to {
		log.Info("schema migrated", "from", from.Version, "to", to.Version)
	}
	db, err := postgres.Open(ctx, url)
	if err != nil {
		log.Error("database", "err", err)
		return exitFailed
	}
	defer db.Close()
	key, created, err := auth.LoadKey(cfg.SecretKey, filepath.Join(cfg.DataDir, "secret.key"))
	if err != nil {
		log.Error("secret key", "err", err)
		return exitFailed
	}
	if created {
		log.Warn("a new secret key was written; back it up with the database, or the second factors of every account are lost",
			"file", filepath.Join(cfg.DataDir, "secret.key"))
	}
	sealer, err := auth.NewSealer(key)
	if err != nil {
		log.Error("secret key", "err", err)
		return exitFailed
	}
	// The very first start is the one that finds no account; it also loads the demo town.
	accounts, err := db.CountUsers(ctx)
	if err != nil {
		log.Error("database", "err", err)
		return exitFailed
	}
	if err := firstAdministrator(ctx, db, stdout); err != nil {
		log.Error("first administrator", "err", err)
		return exitFailed
	}
	if accounts == 0 && cfg.Demo {
		loadDemo(ctx, db, log)
	}
	go deleteExpiredSessions(ctx, db, log)

	srv := &http.Server{
		Handler: server.New(server.Config{
			Logger:          log,
			DB:              db,
			SessionStore:    db.SessionStore(),
			Sealer:          sealer,
			SecureCookies:   cfg.SecureCookies,
			SessionIdle:     cfg.SessionIdle,
			SessionLifetime: cfg.SessionLifetime,
			ImportMaxBytes:  int64(cfg.ImportMaxMB) << 20,
		}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "\n  情報セキュリティ管理ポータル / ISMS Portal\n  %s\n  (Ctrl-C で停止 / to stop)\n\n", cfg.BaseURL)

	select {
	case err := <-served:
		log.Error("server stopped", "err", err)
		return exitFailed
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("shutdown", "err", err)
	}
	log.Info("stopped")
	return exitOK
}

// deleteExpiredSessions removes expired sessions every five minutes until ctx ends. Several portal
// processes may do this at once; the deletes do not conflict.
func deleteExpiredSessions(ctx context.Context, db *postgres.DB, log *slog.Logger) {
	tick := time.NewTicker(5 * time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if n, err := db.DeleteExpiredSessions(ctx); err != nil {
				log.Warn("session cleanup", "err", err)
			} else if n > 0 {
				log.Info("expired sessions removed", "count", n)
			}
		}
	}
}
