#!/usr/bin/env bash
# Local stack: PostgreSQL databases, the mock Kafka broker and the four services.
#
#   scripts/stack.sh up            install what is missing, (re)start everything, wait for /health
#   scripts/stack.sh down          stop everything `up` started
#   scripts/stack.sh status        processes and health
#   scripts/stack.sh broker down|up [ID]   take the mock broker(s) down or bring them back
#
# Environment: KAFKA_BROKERS (use that Kafka instead of the mock broker),
# AUTH_JWT_SECRET (default: the local development secret), LOG_LEVEL,
# STACK_NODE_ARGS (extra node flags for every service, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
# to profile them; NODE_OPTIONS does not allow --cpu-prof),
# STACK_HEALTH_TIMEOUT (seconds per service, default 120), STACK_SKIP_BUILD=1,
# MOCK_BROKER_ARGS (default "--brokers 3"),
# STACK_SECOND_INSTANCES (e.g. "dealers settlement": a second instance of each named service on
# its port + 10, same database, same Kafka and consumer group; pid and log named <service>-2).
# State lives in .stack/: pid files, the broker's command FIFO, logs/<name>.log.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"

LOG_DIR="$STACK_DIR/logs"
BROKER_FIFO="$STACK_DIR/broker.in"
BROKER_PID="$STACK_DIR/broker.pid"
HOLDER_PID="$STACK_DIR/broker-stdin.pid"
BROKER_LOG="$LOG_DIR/broker.log"
BROKERS_FILE="$STACK_DIR/kafka-brokers"
HEALTH_TIMEOUT="${STACK_HEALTH_TIMEOUT:-120}"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

http_status() { # prints the HTTP status of GET <url>, or 000
  node -e '
    fetch(process.argv[1], { signal: AbortSignal.timeout(3000) })
      .then((r) => console.log(r.status), () => console.log("000"));
  ' "$1" 2>/dev/null || echo 000
}

# The local mock broker keeps its log in memory only, so with it each `up` starts
# from empty databases: services and topics then always agree. With a real Kafka
# (KAFKA_BROKERS set) the databases are kept.
create_databases() {
  local db
  for db in "${SERVICES[@]}"; do
    if [ -z "${KAFKA_BROKERS:-}" ]; then
      pg_sql -c "drop database if exists \"$db\" with (force)" >/dev/null || die "could not drop database $db"
    fi
    if [ "$(pg_sql -At -c "select 1 from pg_database where datname = '$db'")" = 1 ]; then
      info "database $db exists"
    else
      pg_sql -c "create database \"$db\"" >/dev/null || die "could not create database $db"
      info "database $db created"
    fi
  done
}

start_broker() {
  [ -x deploy/mock-broker/mock-broker ] || die "deploy/mock-broker/mock-broker is missing (bash deploy/mock-broker/build.sh)"
  rm -f "$BROKER_FIFO"
  mkfifo "$BROKER_FIFO"
  : >"$BROKER_LOG"
  # The broker reads commands from the FIFO; a sleeping writer keeps it open so
  # the broker never sees end-of-file between `stack.sh broker ...` commands.
  # shellcheck disable=SC2086
  setsid deploy/mock-broker/mock-broker ${MOCK_BROKER_ARGS:---brokers 3} <"$BROKER_FIFO" >>"$BROKER_LOG" 2>&1 &
  echo $! >"$BROKER_PID"
  setsid sleep infinity >"$BROKER_FIFO" </dev/null 2>/dev/null &
  echo $! >"$HOLDER_PID"

  local i line=""
  for ((i = 0; i < 150; i++)); do
    line="$(grep -m1 '^BOOTSTRAP ' "$BROKER_LOG" 2>/dev/null || true)"
    [ -n "$line" ] && break
    pid_alive "$(cat "$BROKER_PID")" || break
    sleep 0.1
  done
  if [ -z "$line" ]; then
    tail -n 20 "$BROKER_LOG" >&2 || true
    die "the mock broker did not print its BOOTSTRAP line"
  fi
  KAFKA_BROKERS="${line#BOOTSTRAP }"
  export KAFKA_BROKERS
  info "mock broker pid $(cat "$BROKER_PID"), bootstrap $KAFKA_BROKERS"
}

build_apps() {
  if [ "${STACK_SKIP_BUILD:-}" = 1 ]; then info "STACK_SKIP_BUILD=1: using existing dist/"; return; fi
  local svc
  for svc in "${SERVICES[@]}"; do
    info "nest build $svc"
    npx --no-install nest build "$svc" >"$LOG_DIR/build-$svc.log" 2>&1 || {
      tail -n 40 "$LOG_DIR/build-$svc.log" >&2
      die "building $svc failed (full log: .stack/logs/build-$svc.log)"
    }
  done
}

# Every service reads the other services' event feeds (what the broker lost is filled from them).
event_feed_urls() {
  echo "dealers=http://127.0.0.1:3001,requisitions=http://127.0.0.1:3002,returns=http://127.0.0.1:3003,settlement=http://127.0.0.1:3004"
}

peer_docs_urls() {
  echo "dealers=http://127.0.0.1:3001/docs-json,requisitions=http://127.0.0.1:3002/docs-json,returns=http://127.0.0.1:3003/docs-json"
}

# instance_port SERVICE [INSTANCE]: the service's port; its second instance listens 10 above.
instance_port() {
  local port
  port="$(service_port "$1")"
  if [ "${2:-1}" = 2 ]; then echo $((port + 10)); else echo "$port"; fi
}

# instance_name SERVICE [INSTANCE]: the name of its pid and log files.
instance_name() { if [ "${2:-1}" = 2 ]; then echo "$1-2"; else echo "$1"; fi; }

start_app() {
  local svc="$1" instance="${2:-1}" port main name
  port="$(instance_port "$svc" "$instance")"
  name="$(instance_name "$svc" "$instance")"
  main="$(app_main_js "$svc")" || die "no compiled entry for $svc under dist/apps/$svc (run: npx nest build $svc)"
  port_open "$port" && die "port $port is already in use by another process; cannot start $name"
  local -a env=(
    "PORT=$port"
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/$svc"
    "KAFKA_BROKERS=$KAFKA_BROKERS"
    "AUTH_JWT_SECRET=${AUTH_JWT_SECRET:-$DEFAULT_JWT_SECRET}"
    "LOG_LEVEL=${LOG_LEVEL:-info}"
    "EVENT_FEED_URLS=${EVENT_FEED_URLS:-$(event_feed_urls)}"
  )
  [ "$svc" = settlement ] && env+=("DOCS_PEER_URLS=${DOCS_PEER_URLS:-$(peer_docs_urls)}")
  # Unset: each service's default admits settlement's /docs at http://127.0.0.1:3004 and http://localhost:3004.
  [ -n "${CORS_ALLOWED_ORIGINS:-}" ] && env+=("CORS_ALLOWED_ORIGINS=$CORS_ALLOWED_ORIGINS")
  : >"$LOG_DIR/$name.log"
  local -a node_args
  read -r -a node_args <<<"${STACK_NODE_ARGS:-}"
  env "${env[@]}" setsid node "${node_args[@]}" "$main" </dev/null >>"$LOG_DIR/$name.log" 2>&1 &
  echo $! >"$STACK_DIR/$name.pid"
  info "$name starting (pid $!, port $port, ${main#"$ROOT_DIR"/})"
}

wait_healthy() {
  local svc port pid i code=000
  svc="$(instance_name "$1" "${2:-1}")"
  port="$(instance_port "$1" "${2:-1}")"
  pid="$(cat "$STACK_DIR/$svc.pid")"
  for ((i = 0; i < HEALTH_TIMEOUT; i++)); do
    if ! pid_alive "$pid"; then
      echo "---- last lines of .stack/logs/$svc.log ----" >&2
      tail -n 40 "$LOG_DIR/$svc.log" >&2 || true
      die "$svc exited during start"
    fi
    code="$(http_status "http://127.0.0.1:$port/health")"
    if [ "$code" = 200 ]; then info "$svc healthy on http://127.0.0.1:$port"; return 0; fi
    sleep 1
  done
  echo "---- last lines of .stack/logs/$svc.log ----" >&2
  tail -n 40 "$LOG_DIR/$svc.log" >&2 || true
  die "$svc: GET /health did not return 200 within ${HEALTH_TIMEOUT} s (last status $code)"
}

cmd_down() {
  local quiet="${1:-}" i svc
  [ -n "$quiet" ] || log "stopping the stack"
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    svc="${SERVICES[$i]}"
    stop_pidfile "$STACK_DIR/$svc-2.pid" "$svc-2"
    stop_pidfile "$STACK_DIR/$svc.pid" "$svc"
  done
  stop_pidfile "$BROKER_PID" "mock broker"
  stop_pidfile "$HOLDER_PID" "broker stdin holder"
  rm -f "$BROKER_FIFO" "$BROKERS_FILE"
  [ -n "$quiet" ] || log "stack stopped"
}

cmd_up() {
  bash "$ROOT_DIR/scripts/prerequisites.sh"
  mkdir -p "$LOG_DIR"
  if compgen -G "$STACK_DIR/*.pid" >/dev/null; then
    log "stopping the previous stack"
    cmd_down quiet
  fi
  # On failure, stop what was started (logs stay in .stack/logs/).
  trap 'rc=$?; if [ "$rc" -ne 0 ]; then warn "stack start failed; stopping what was started (logs in .stack/logs/)"; cmd_down quiet; fi' EXIT
  log "creating databases${KAFKA_BROKERS:+ (kept: real Kafka)}${KAFKA_BROKERS:- (fresh: the mock broker keeps nothing across restarts)}"
  create_databases
  if [ -n "${KAFKA_BROKERS:-}" ]; then
    log "using Kafka at $KAFKA_BROKERS (KAFKA_BROKERS is set; no mock broker)"
  else
    log "starting the mock Kafka broker"
    start_broker
  fi
  echo "$KAFKA_BROKERS" >"$BROKERS_FILE"
  log "building the services"
  build_apps
  log "starting the services"
  local svc
  for svc in "${SERVICES[@]}"; do start_app "$svc"; done
  log "waiting for /health"
  for svc in "${SERVICES[@]}"; do wait_healthy "$svc"; done
  # Second instances start once the first are healthy: every instance runs the migrations at
  # start, and nothing serialises two instances migrating the same database at once.
  if [ -n "${STACK_SECOND_INSTANCES:-}" ]; then
    log "starting second instances: $STACK_SECOND_INSTANCES"
    for svc in $STACK_SECOND_INSTANCES; do service_port "$svc" >/dev/null; start_app "$svc" 2; done
    for svc in $STACK_SECOND_INSTANCES; do wait_healthy "$svc" 2; done
  fi
  trap - EXIT
  log "stack is up (logs in .stack/logs/, stop with: bash scripts/stack.sh down)"
}

cmd_status() {
  local svc pid port state rc=0
  if [ -f "$BROKER_PID" ]; then
    pid="$(cat "$BROKER_PID")"
    if pid_alive "$pid"; then state="running (pid $pid)"; else state="DEAD (pid $pid)"; rc=1; fi
    printf '%-14s %s, bootstrap %s\n' "mock broker" "$state" "$(cat "$BROKERS_FILE" 2>/dev/null || echo '?')"
  elif [ -f "$BROKERS_FILE" ]; then
    printf '%-14s external Kafka at %s\n' "kafka" "$(cat "$BROKERS_FILE")"
  else
    printf '%-14s not running\n' "mock broker"
  fi
  for svc in "${SERVICES[@]}"; do
    port="$(service_port "$svc")"
    if [ -f "$STACK_DIR/$svc.pid" ] && pid_alive "$(cat "$STACK_DIR/$svc.pid")"; then
      state="running (pid $(cat "$STACK_DIR/$svc.pid")), GET /health -> $(http_status "http://127.0.0.1:$port/health")"
    else
      state="not running"; rc=1
    fi
    printf '%-14s :%s %s\n' "$svc" "$port" "$state"
    if [ -f "$STACK_DIR/$svc-2.pid" ]; then
      port="$(instance_port "$svc" 2)"
      if pid_alive "$(cat "$STACK_DIR/$svc-2.pid")"; then
        state="running (pid $(cat "$STACK_DIR/$svc-2.pid")), GET /health -> $(http_status "http://127.0.0.1:$port/health")"
      else
        state="not running"; rc=1
      fi
      printf '%-14s :%s %s\n' "$svc-2" "$port" "$state"
    fi
  done
  return "$rc"
}

cmd_broker() {
  local action="${1:-}" id="${2:-}"
  case "$action" in up|down) ;; *) die "usage: scripts/stack.sh broker down|up [BROKER_ID]" ;; esac
  [ -f "$BROKER_PID" ] && pid_alive "$(cat "$BROKER_PID")" \
    || die "the mock broker is not running (scripts/stack.sh up starts it unless KAFKA_BROKERS is set)"
  local command="$action${id:+ $id}" before i answer=""
  before="$(wc -l <"$BROKER_LOG")"
  timeout 5 bash -c 'printf "%s\n" "$1" >"$2"' _ "$command" "$BROKER_FIFO" \
    || die "could not write to the broker's command FIFO"
  for ((i = 0; i < 50; i++)); do
    answer="$(tail -n +"$((before + 1))" "$BROKER_LOG" | grep -m1 -E '^(OK|ERR)' || true)"
    [ -n "$answer" ] && break
    sleep 0.1
  done
  [ -n "$answer" ] || die "no answer from the mock broker to '$command'"
  echo "$answer"
  [[ "$answer" == OK* ]]
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  broker) shift; cmd_broker "$@" ;;
  *) echo "usage: scripts/stack.sh up|down|status|broker down|up [ID]" >&2; exit 2 ;;
esac
