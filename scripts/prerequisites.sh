#!/usr/bin/env bash
# Installs and starts what the local stack and the tests need; safe to re-run.
#   - PostgreSQL (apt-get when no server is installed), running on 127.0.0.1:5432
#     with trust auth for loopback connections
#   - gcc and librdkafka-dev, then the mock Kafka broker (deploy/mock-broker)
#   - a CJK font (fonts-wqy-microhei) for the settlement PDFs
#   - Debian's chromium, which the browser test (test/docs-entry.e2e-spec.ts) drives headless
#   - node_modules (npm ci when missing or when package-lock.json changed)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"

# --- Node -------------------------------------------------------------------
have node || die "Node.js 20 or 22 is required (node not found on PATH)"
have npm || die "npm is required (not found on PATH)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then die "Node.js >= 20 is required (found $(node -v))"; fi

# --- system packages (one apt-get run for everything missing) -----------------
pg_server_installed() { compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }

missing=()
pg_server_installed || missing+=(postgresql)
{ have psql && have pg_isready; } || missing+=(postgresql-client)
pkg_installed librdkafka-dev || missing+=(librdkafka-dev)
have gcc || missing+=(gcc libc6-dev)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
if [ "${#missing[@]}" -gt 0 ]; then
  apt_install "${missing[@]}"
else
  log "system packages present (postgresql, librdkafka-dev, gcc, fonts-wqy-microhei)"
fi

# The browser test needs it; where it cannot be installed (no apt-get, no root) that test alone is skipped.
if have chromium; then
  log "chromium present ($(chromium --version 2>/dev/null || echo unknown version))"
elif have apt-get && { [ "$(id -u)" -eq 0 ] || have sudo; }; then
  apt_install chromium
else
  warn "cannot install chromium here (needs apt-get and root); the browser test will be skipped"
fi

# --- PostgreSQL ---------------------------------------------------------------
pg_cluster() { # prints "<version> <name>" of the first local cluster, if any
  have pg_lsclusters || return 0
  pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1, $2}'
}

if ! pg_ready; then
  have pg_ctlcluster || die "PostgreSQL is not answering on $PG_HOST:$PG_PORT and pg_ctlcluster is missing; start it by hand"
  read -r pg_ver pg_name <<<"$(pg_cluster)" || true
  if [ -z "${pg_ver:-}" ]; then
    pg_ver="$(basename "$(compgen -G '/usr/lib/postgresql/*/bin/postgres' | sort -V | tail -n1 | xargs dirname | xargs dirname)")"
    pg_name=main
    log "creating PostgreSQL cluster $pg_ver/$pg_name on port $PG_PORT"
    as_root pg_createcluster --port "$PG_PORT" "$pg_ver" "$pg_name" >/dev/null || die "pg_createcluster failed"
  fi
  log "starting PostgreSQL $pg_ver/$pg_name"
  as_root pg_ctlcluster --skip-systemctl-redirect "$pg_ver" "$pg_name" start \
    || die "could not start PostgreSQL cluster $pg_ver/$pg_name (see /var/log/postgresql/)"
  wait_for 30 pg_ready || die "PostgreSQL did not answer on $PG_HOST:$PG_PORT within 30 s"
fi

# Local development trusts loopback TCP connections (postgres://postgres@127.0.0.1).
if ! pg_sql -c 'select 1' >/dev/null 2>&1; then
  read -r pg_ver pg_name <<<"$(pg_cluster)" || true
  hba="/etc/postgresql/${pg_ver:-?}/${pg_name:-main}/pg_hba.conf"
  [ -f "$hba" ] || die "cannot connect as postgres to $PG_HOST:$PG_PORT and no local pg_hba.conf found; configure trust auth for 127.0.0.1 by hand"
  log "configuring trust auth for 127.0.0.1 and ::1 in $hba"
  tmp="$(mktemp)"
  {
    echo '# local development (scripts/prerequisites.sh): trust loopback TCP connections'
    echo 'host    all    all    127.0.0.1/32    trust'
    echo 'host    all    all    ::1/128         trust'
    cat "$hba"
  } >"$tmp"
  as_root cp "$tmp" "$hba"
  rm -f "$tmp"
  as_root pg_ctlcluster --skip-systemctl-redirect "$pg_ver" "$pg_name" reload || die "PostgreSQL reload failed"
  wait_for 10 pg_sql -c 'select 1' >/dev/null 2>&1 \
    || die "still cannot connect as postgres to $PG_HOST:$PG_PORT after enabling trust auth"
fi
log "PostgreSQL ready on $PG_HOST:$PG_PORT ($(pg_sql -At -c 'show server_version'))"

# --- node_modules --------------------------------------------------------------
stamp="node_modules/.install-stamp"
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"

# True when node_modules already holds every package of package-lock.json at its
# locked version (npm's own node_modules/.package-lock.json records what is there).
node_modules_match_lock() {
  node -e '
    const fs = require("fs");
    const want = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages || {};
    let have;
    try { have = JSON.parse(fs.readFileSync("node_modules/.package-lock.json", "utf8")).packages || {}; }
    catch { process.exit(1); }
    for (const [path, meta] of Object.entries(want)) {
      if (path === "" || meta.link) continue;
      const got = have[path];
      if (!got) { if (meta.optional) continue; process.exit(1); }
      if (meta.version && got.version !== meta.version) process.exit(1);
    }
  ' 2>/dev/null
}

if [ -d node_modules ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$lock_hash" ]; then
  log "node_modules up to date"
elif [ -d node_modules ] && node_modules_match_lock; then
  echo "$lock_hash" >"$stamp"
  log "node_modules up to date (matches package-lock.json)"
else
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error || die "npm ci failed"
  echo "$lock_hash" >"$stamp"
fi

# --- mock Kafka broker (librdkafka mock cluster) -------------------------------
[ -f deploy/mock-broker/build.sh ] || die "deploy/mock-broker/build.sh is missing"
log "building the mock Kafka broker"
bash deploy/mock-broker/build.sh || die "building deploy/mock-broker failed"
[ -x deploy/mock-broker/mock-broker ] || die "deploy/mock-broker/build.sh did not produce deploy/mock-broker/mock-broker"

log "prerequisites ready"
