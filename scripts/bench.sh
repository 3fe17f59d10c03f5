#!/usr/bin/env bash
# make bench: measures the asset register at scale and prints one figure per line on stdout,
# "BENCH <name> <value>" (milliseconds unless the name says otherwise); progress goes to stderr
# and the whole log to var/bench/bench.log.
#
# The first run loads 1,000,000 generated assets (isms seed bulk) into a database of its own and
# keeps it: later runs measure at once. The database lives on ISMS_BENCH_DATABASE_URL when set,
# else in a private PostgreSQL cluster under var/bench (started and stopped by the run).
# ISMS_BENCH_ASSETS and ISMS_BENCH_ITERATIONS change the size (default 1000000) and the timed
# runs per query (default 200).
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}

have_postgres() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}
if [ -z "${ISMS_BENCH_DATABASE_URL:-}" ] && ! have_postgres; then
  bash scripts/test-deps.sh
fi

mkdir -p var/bench
export ISMS_BENCH_DATA_DIR="$PWD/var/bench"
log=var/bench/bench.log
echo "bench: load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') on $(nproc 2>/dev/null || echo '?') cores; log in $log" >&2
set +e
# Figures to stdout, progress to stderr, line by line as they come.
$GO test -tags bench -run '^TestBench' -count=1 -timeout 90m -v ./internal/postgres/ 2>&1 | tee "$log" |
  while IFS= read -r line; do
    case $line in
      "BENCH "*) printf '%s\n' "$line" ;;
      "bench: "*) printf '%s\n' "$line" >&2 ;;
    esac
  done
status=${PIPESTATUS[0]}
set -e
echo "bench: load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') at the end" >&2
if [ "$status" -ne 0 ]; then
  echo "bench failed (exit $status); the end of $log:" >&2
  tail -n 30 "$log" >&2
  exit "$status"
fi
