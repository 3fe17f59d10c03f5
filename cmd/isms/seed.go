package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/jichitai-isms/isms/internal/demo"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// seedCmd: `isms seed demo` loads the fictional demo town into an empty organisation and prints
// what it created. An organisation with units or people of its own is refused (exit 1).
// `isms seed bulk --assets N` is bulkCmd (bulk.go).
func seedCmd(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "bulk" {
		return bulkCmd(ctx, cfg, log, args[1:], stdout, stderr)
	}
	if len(args) != 1 || args[0] != "demo" {
		fmt.Fprint(stderr, "isms seed: say demo (the demo town), or bulk --assets N (a large generated register)\n")
		return exitUsage
	}
	return withDB(ctx, cfg, log, func(db *postgres.DB) int {
		s, err := demo.Seed(ctx, db, time.Now())
		if errors.Is(err, demo.ErrNotEmpty) {
			fmt.Fprintf(stderr, "isms seed demo: refused: the organisation already has units or people, and the demo town "+
				"is loaded only into an empty one. Nothing was changed.\n"+
				"  組織に既に部署または職員が登録されているため、デモデータは読み込みません（変更なし）。\n")
			return exitFailed
		}
		if err != nil {
			log.Error("seed demo", "err", err)
			return exitFailed
		}
		printSummary(stdout, s)
		return exitOK
	})
}

// printSummary tells what the demo load created and which warnings it left on purpose.
func printSummary(w io.Writer, s demo.Summary) {
	fmt.Fprintf(w, "デモの町「%s」（架空）を読み込みました / Demo town %s (fictional) loaded in %.1f s\n"+
		"  units %d, people %d, role assignments %d, warnings %d\n",
		s.Town, s.Town, s.Took.Seconds(), s.Units, s.People, s.Assignments, len(s.Warnings))
	for _, wn := range s.Warnings {
		fmt.Fprintf(w, "  warning %s: %s", wn.Kind, wn.UnitName)
		if wn.PersonName != "" {
			fmt.Fprintf(w, " (%s)", wn.PersonName)
		}
		fmt.Fprintln(w)
	}
}

// loadDemo loads the demo town at the portal's first start, when the organisation is empty. A
// failure is logged and the portal starts all the same: the demo is a convenience.
func loadDemo(ctx context.Context, db *postgres.DB, log *slog.Logger) {
	s, err := demo.Seed(ctx, db, time.Now())
	switch {
	case errors.Is(err, demo.ErrNotEmpty):
		log.Info("demo town not loaded: the organisation already has units or people")
	case err != nil:
		log.Warn("demo town not loaded", "err", err)
	default:
		log.Info("demo town loaded (ISMS_DEMO=false turns this off)", "town", s.Town, "units", s.Units, "people", s.People,
			"assignments", s.Assignments, "warnings", len(s.Warnings), "took", s.Took.Round(time.Millisecond))
	}
}
