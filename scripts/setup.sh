#!/usr/bin/env bash
# Installs what catmaid-tui needs to run its demo and its tests on Debian/Ubuntu, and builds it.
# Quick and harmless when everything is already there: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# libjs-jquery: Django's admin static files link to it (collectstatic fails without; python3-django only recommends
# it). age, rsync, openssh-client/-server: encrypted backups and copies (--encrypt-to, --copy-to user@host:path)
# and their tests (a private sshd on a port of its own).
packages=(postgresql postgresql-contrib python3 python3-django libjs-jquery python3-psycopg2 python3-venv python3-pip git tmux nginx openssl cron procps supervisor uwsgi uwsgi-plugin-python3 python3-daphne python3-celery certbot pebble curl age rsync openssh-client openssh-server)

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

# A supported Node.js for building and testing, inside the project (.node/, git-ignored), whatever the system
# has (Debian 12's nodejs is 18, Ubuntu 22.04's is 12; both too old): the official binary of the npm package
# node-linux-<arch> at the version of .node-version (the Node inside the single executable too), and npm. Any npm
# fetches them (Debian's, installed here when there is none); the system's node is never replaced or used after.
node_version=$(cat .node-version)
npm_version=11.21.2
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) echo "setup: no official Node.js for $(uname -m)" >&2; exit 1 ;; esac
installed_npm() { sed -n 's/^  "version": "\(.*\)",$/\1/p' .node/lib/node_modules/npm/package.json 2>/dev/null; }
if [ "$(.node/bin/node --version 2>/dev/null)" != "v$node_version" ] || [ "$(installed_npm)" != "$npm_version" ]; then
  if ! command -v npm >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "setup: no npm to fetch Node.js $node_version with (run this script as root, or install npm)" >&2
      exit 1
    fi
    echo "setup: installing Debian's npm, only to fetch Node.js $node_version"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  echo "setup: Node.js $node_version and npm $npm_version into .node/"
  rm -rf .node.partial
  npm install --global --prefix "$PWD/.node.partial" --no-audit --no-fund --loglevel=error "node-linux-$arch@$node_version"
  # npm 11 refuses to be installed by a Node older than 20.17 (Debian 12's npm runs on its node 18): the same npm
  # installs it while running on the new Node (quietly: an old npm uses APIs the new Node calls deprecated).
  PATH="$PWD/.node.partial/bin:$PATH" NODE_NO_WARNINGS=1 npm install --global --prefix "$PWD/.node.partial" --no-audit --no-fund \
    --loglevel=error "npm@$npm_version"
  [ "$(.node.partial/bin/node --version)" = "v$node_version" ]
  rm -rf .node && mv .node.partial .node
fi
export PATH="$PWD/.node/bin:$PATH"

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
