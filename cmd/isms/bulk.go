package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jichitai-isms/isms/internal/demo"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// bulkHelp is what `isms seed bulk --help` prints.
const bulkHelp = `usage: isms seed bulk --assets N [--seed S]

Fills the demo town's registers with N generated information assets and a system register, to
try the portal at scale and to measure it (make bench). Into an empty organisation the demo
town is loaded first; an organisation that is not the demo town is refused and nothing changes.
The first bulk load also adds the other registers the dashboards count, in proportion to N
(at a million assets: 4,000 people with their postings and accounts, the year's training,
5,000 incidents over five years, 300 external services, a self-inspection campaign, an audit
with corrective actions, 1,000 requests waiting for approval, ledger confirmations); the
accounts it makes cannot sign in until an administrator sets a password.
大量の試験データ（情報資産 N 件と情報システム台帳、職員・研修・インシデント等）をデモの町に読み込みます。

The assets are written with COPY in one transaction, and the audit trail records the whole load
as ONE event (seed.bulk, with the counts), not one event per asset. The tables are vacuumed and
analysed afterwards; the register is locked while it loads. A million assets take about two
minutes on two cores.
監査証跡には読み込み全体を 1 件（seed.bulk、件数つき）として記録します。

flags:
`

// bulkCmd: `isms seed bulk --assets N` loads a generated register into the demo town and prints
// what it made and how long it took. Without --assets it refuses (exit 2): the count is always
// said out loud.
func bulkCmd(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("isms seed bulk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, bulkHelp)
		fs.PrintDefaults()
	}
	assets := fs.Int("assets", 0, "how many information assets to generate (required, 1 to 10000000)")
	seed := fs.Uint64("seed", 1, "the generator's seed: the same seed makes the same register")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 || *assets < 1 || *assets > 10_000_000 {
		fmt.Fprint(stderr, "isms seed bulk: say how many assets with --assets N (1 to 10000000); see isms seed bulk --help\n")
		return exitUsage
	}
	return withDB(ctx, cfg, log, func(db *postgres.DB) int {
		fmt.Fprintf(stderr, "generating %d assets into the demo town %s …\n", *assets, demo.Town)
		s, err := demo.Bulk(ctx, db, demo.BulkOptions{Assets: *assets, Seed: *seed, Today: time.Now()})
		if errors.Is(err, demo.ErrNotDemoTown) {
			fmt.Fprintf(stderr, "isms seed bulk: refused: the organisation is not the demo town, and generated assets are "+
				"loaded only into the demo town or an empty organisation. Nothing was changed.\n"+
				"  組織がデモの町ではないため、試験データは読み込みません（変更なし）。\n")
			return exitFailed
		}
		if err != nil {
			log.Error("seed bulk", "err", err)
			return exitFailed
		}
		printBulkSummary(stdout, s)
		return exitOK
	})
}

// printBulkSummary tells what the bulk load made and where the time went.
func printBulkSummary(w io.Writer, s demo.BulkSummary) {
	if s.DemoLoaded {
		fmt.Fprintf(w, "the organisation was empty: demo town %s loaded first\n", s.Town)
	}
	fmt.Fprintf(w, "試験データを読み込みました / Bulk register loaded in %.1f s (copy %.1f s, %d indexes rebuilt in %.1f s, other registers %.1f s, vacuum and analyse %.1f s)\n",
		s.Took.Seconds(), s.Copy.Seconds(), s.IndexesRebuilt, s.Index.Seconds(), s.TownTook.Seconds(), s.Analyze.Seconds())
	fmt.Fprintf(w, "  assets %d in %d units, systems %d new", s.Assets, s.Units, s.Systems)
	if s.SystemsReused > 0 {
		fmt.Fprintf(w, " (%d kept from an earlier load)", s.SystemsReused)
	}
	fmt.Fprintf(w, "\n  flagged 要確認 %d (%.1f%%), 特定個人情報 %d, personal information %d\n",
		s.Flagged, percent(s.Flagged, s.Assets), s.MyNumber, s.Personal)
	for _, m := range []struct {
		name   string
		counts map[string]int
	}{{"by type", s.ByType}, {"by zone", s.ByZone}, {"by status", s.ByStatus}} {
		keys := slices.SortedFunc(maps.Keys(m.counts), func(a, b string) int {
			return cmp.Or(m.counts[b]-m.counts[a], strings.Compare(a, b))
		})
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s %d", k, m.counts[k])
		}
		fmt.Fprintf(w, "  %s: %s\n", m.name, strings.Join(parts, ", "))
	}
	printBulkRegisters(w, s.Registers)
	fmt.Fprintln(w, "  audit trail: one event seed.bulk")
}

func percent(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

// printBulkRegisters tells what the load added to the registers other than the assets.
func printBulkRegisters(w io.Writer, r postgres.BulkTownResult) {
	if r.Kept {
		fmt.Fprintln(w, "  other registers: kept from an earlier load (people, training, incidents … not added again)")
		return
	}
	fmt.Fprintf(w, "  people %d (accounts %d), role assignments %d; training sessions %d, attendances %d\n",
		r.People, r.Accounts, r.Assignments, r.Sessions, r.Attendances)
	fmt.Fprintf(w, "  incidents %d over five years (open %d), PPC reports %d (overdue %d); external services %d (review overdue %d)\n",
		r.Incidents, r.IncidentsOpen, r.PPCReports, r.PPCOverdue, r.Services, r.ServicesOverdue)
	fmt.Fprintf(w, "  self-inspection sheets %d (submitted %d), answers %d; audit findings %d, corrective actions %d (overdue %d)\n",
		r.Sheets, r.SheetsSubmitted, r.Answers, r.Findings, r.Actions, r.ActionsOverdue)
	fmt.Fprintf(w, "  asset requests waiting %d, ledger confirmations %d\n", r.Requests, r.LedgerConfirmations)
}
