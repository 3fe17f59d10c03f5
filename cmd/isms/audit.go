package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/jichitai-isms/isms/internal/postgres"
)

// auditCmd: `isms audit verify` walks the audit trail's hash chain. It prints "ok N events" and
// exits 0, or names the first broken event and exits 1.
func auditCmd(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || args[0] != "verify" {
		fmt.Fprint(stderr, "isms audit: say verify\n")
		return exitUsage
	}
	return withDB(ctx, cfg, log, func(db *postgres.DB) int {
		check, err := db.VerifyAudit(ctx)
		if err != nil {
			log.Error("audit verify", "err", err)
			return exitFailed
		}
		if check.BrokenID != 0 {
			fmt.Fprintf(stdout, "broken at event %d (after %d events checked): the audit trail was altered\n", check.BrokenID, check.Events-1)
			return exitFailed
		}
		fmt.Fprintf(stdout, "ok %d events\n", check.Events)
		return exitOK
	})
}
