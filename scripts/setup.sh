#!/usr/bin/env bash
# Installs what catmaid-tui needs to run its demo and its tests on Debian/Ubuntu, and builds it.
# Quick and harmless when everything is already there: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(postgresql postgresql-contrib python3 python3-django python3-psycopg2 python3-venv python3-pip python3-celery git tmux nginx openssl cron supervisor uwsgi uwsgi-plugin-python3 python3-daphne)

# Debian packages of `$@` that are not installed.
missing_of() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

# PostGIS for every installed PostgreSQL major (CATMAID's databases need it), read from the server folders.
postgis_packages() {
  local bin
  for bin in /usr/lib/postgresql/*/bin/postgres; do
    [ -x "$bin" ] && echo "postgresql-$(basename "$(dirname "$(dirname "$bin")")")-postgis-3"
  done
}

install_missing() {
  local missing
  mapfile -t missing < <(missing_of "$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]} (run this script as root, or install them)" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The packaged server must not start a cluster of its own on a fresh machine: the sandbox brings its own.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  [ -n "${apt_updated:-}" ] || { apt-get update -qq; apt_updated=1; }
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_missing "${packages[@]}"
# Only now are the PostgreSQL majors known on a fresh machine.
mapfile -t postgis < <(postgis_packages)
install_missing "${postgis[@]}"

if ! command -v node >/dev/null || ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "setup: catmaid-tui needs Node.js >= 20.19 (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install.
stamp=node_modules/.catmaid-tui-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

# Build when a source is newer than the bundle.
if [ ! -f dist/cli.js ] || [ -n "$(find src package.json tsup.config.ts -newer dist/cli.js -print -quit)" ]; then
  npx tsup --silent
fi
