# Shared helpers for the scripts in this directory. Source it; do not run it.
# shellcheck shell=bash

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK_DIR="$ROOT_DIR/.stack"
SERVICES=(dealers requisitions returns settlement)
DEFAULT_JWT_SECRET="local-development-secret-please-change"
PG_HOST="${PGHOST_LOCAL:-127.0.0.1}"
PG_PORT="${PGPORT_LOCAL:-5432}"

if [ -t 2 ]; then C_B=$'\033[1;34m' C_Y=$'\033[1;33m' C_R=$'\033[1;31m' C_0=$'\033[0m'
else C_B='' C_Y='' C_R='' C_0=''; fi
log()  { printf '%s==>%s %s\n' "$C_B" "$C_0" "$*" >&2; }
info() { printf '    %s\n' "$*" >&2; }
warn() { printf '%swarning:%s %s\n' "$C_Y" "$C_0" "$*" >&2; }
die()  { printf '%serror:%s %s\n' "$C_R" "$C_0" "$*" >&2; exit 1; }

have() { command -v "$1" >/dev/null 2>&1; }

service_port() {
  case "$1" in
    dealers) echo 3001 ;;
    requisitions) echo 3002 ;;
    returns) echo 3003 ;;
    settlement) echo 3004 ;;
    *) die "unknown service '$1'" ;;
  esac
}

# Runs a command as root (directly, or through sudo when available).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif have sudo; then sudo "$@"
  else die "need root to run: $* (run as root or install sudo)"
  fi
}

APT_UPDATED=0
apt_install() {
  have apt-get || die "apt-get not found; install manually: $*"
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    || die "apt-get install $* failed"
}

pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2 >/dev/null 2>&1; }

# psql as the postgres superuser over TCP (trust auth on loopback).
pg_sql() { psql -X -q -w -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres "$@"; }

# wait_for <seconds> <command...>: runs the command once a second until it succeeds.
wait_for() {
  local timeout="$1"; shift
  local i
  for ((i = 0; i < timeout; i++)); do
    if "$@"; then return 0; fi
    sleep 1
  done
  return 1
}

# Path of an app's compiled entry; nest's tsc builder keeps the source tree
# below dist/apps/<svc> (dist/apps/<svc>/apps/<svc>/src/main.js) because the
# app compiles the libs with it. Falls back to any main.js under that folder.
app_main_js() {
  local svc="$1" base="$ROOT_DIR/dist/apps/$1" f
  for f in "$base/apps/$svc/src/main.js" "$base/main.js" "$base/src/main.js"; do
    [ -f "$f" ] && { echo "$f"; return 0; }
  done
  f="$(find "$base" -path "*/apps/$svc/*" -name main.js -not -path '*/node_modules/*' 2>/dev/null | head -n1)"
  [ -n "$f" ] && { echo "$f"; return 0; }
  return 1
}

# True when the pid runs and is one of ours: everything the stack starts runs in
# ROOT_DIR, which guards against a stale pid file naming a recycled pid.
pid_alive() {
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
  [ ! -e "/proc/$1/cwd" ] || [ "$(readlink "/proc/$1/cwd" 2>/dev/null)" = "$ROOT_DIR" ]
}

# Stops the process whose id is in the given pid file (TERM, then KILL after 10 s).
stop_pidfile() {
  local file="$1" name="$2" pid i
  [ -f "$file" ] || return 0
  pid="$(cat "$file" 2>/dev/null || true)"
  if pid_alive "$pid"; then
    info "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do pid_alive "$pid" || break; sleep 0.1; done
    if pid_alive "$pid"; then
      warn "$name did not stop in 10 s; killing"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}
