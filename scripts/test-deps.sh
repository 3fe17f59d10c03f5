#!/usr/bin/env bash
# Makes sure what the tests need is on this machine: PostgreSQL server binaries (unless
# ISMS_TEST_DATABASE_URL names a server) and Chromium with a Japanese font. As root it installs
# the Debian packages; otherwise it prints the command to run and stops.
set -euo pipefail

missing=()
have_postgres() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}
if [ -z "${ISMS_TEST_DATABASE_URL:-}" ] && ! have_postgres; then
  missing+=(postgresql)
fi
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  missing+=(chromium fonts-ipafont-gothic)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need: ${missing[*]}. Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need: ${missing[*]}, and this machine has no apt-get: install them with its package manager." >&2
  exit 1
fi
echo "Installing ${missing[*]} (needed by the tests) …"
# The tests run private clusters of their own: the package's system-wide cluster is not wanted.
mkdir -p /etc/postgresql-common/createcluster.d
echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/isms-no-main.conf
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Installed ${missing[*]}."
