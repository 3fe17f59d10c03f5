package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"github.com/jichitai-isms/isms/internal/postgres"
)

// migrateCmd: `isms migrate up` applies pending migrations, `down [N]` reverts N (default 1),
// `version` shows where the schema stands.
func migrateCmd(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, "isms migrate: say up, down [N] or version\n")
		return exitUsage
	}
	steps := 0
	switch args[0] {
	case "up":
	case "down":
		steps = -1
		if len(args) > 1 {
			n, err := strconv.Atoi(args[1])
			if err != nil || n < 1 {
				fmt.Fprintf(stderr, "isms migrate down: %q is not a positive number of steps\n", args[1])
				return exitUsage
			}
			steps = -n
		}
	case "version":
	default:
		fmt.Fprintf(stderr, "isms migrate: unknown action %q (up, down [N], version)\n", args[0])
		return exitUsage
	}
	url, stop, err := database(ctx, cfg, log)
	if err != nil {
		log.Error("database", "err", err)
		return exitFailed
	}
	defer stop()
	if args[0] == "version" {
		v, err := postgres.Version(url)
		if err != nil {
			log.Error("migrate", "err", err)
			return exitFailed
		}
		fmt.Fprintf(stdout, "schema version %d%s\n", v.Version, map[bool]string{true: " (dirty: a migration failed half-way)"}[v.Dirty])
		return exitOK
	}
	from, to, err := postgres.Migrate(ctx, url, steps)
	if err != nil {
		log.Error("migrate", "err", err)
		return exitFailed
	}
	fmt.Fprintf(stdout, "schema version %d → %d\n", from.Version, to.Version)
	return exitOK
}
