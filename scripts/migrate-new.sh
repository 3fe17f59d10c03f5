#!/usr/bin/env bash
# Adds the next numbered migration pair to migrations/: NNNNNN_<name>.up.sql and .down.sql.
set -euo pipefail
name=${1:-}
if [[ ! $name =~ ^[a-z][a-z0-9_]*$ ]]; then
  echo "usage: make migrate-new name=verb_noun   (lower case, digits and _; e.g. create_units)" >&2
  exit 2
fi
cd "$(dirname "$0")/../migrations"
last=$(ls [0-9][0-9][0-9][0-9][0-9][0-9]_*.up.sql 2>/dev/null | sort | tail -n 1 | cut -c1-6)
next=$(printf '%06d' $((10#${last:-0} + 1)))
for dir in up down; do
  f="${next}_${name}.${dir}.sql"
  echo "-- ${name} (${dir})" > "$f"
  echo "migrations/$f"
done
