#!/usr/bin/env bash
# All the tests: prerequisites, type check, format, lint, dependency rules, then every jest
# project (unit, integration, e2e). Extra arguments go to jest.
# The same as `npm test` and `.ci/run`.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"

bash scripts/prerequisites.sh

log "type check (tsc --noEmit)"
npx --no-install tsc --noEmit -p tsconfig.json

log "format (prettier --check)"
npx --no-install prettier --check --log-level warn .

log "lint (eslint)"
npx --no-install eslint --max-warnings 0 .

log "dependency rules (dependency-cruiser)"
npx --no-install depcruise --config .dependency-cruiser.js apps libs

log "jest (unit, integration, e2e)"
# --forceExit: every suite closes its apps, brokers and databases, yet a kafkajs
# reconnect timer occasionally outlives them when several suites share one process
# (2 cores: jest runs in band), which would keep a finished run from exiting.
AUTH_JWT_SECRET="${AUTH_JWT_SECRET:-$DEFAULT_JWT_SECRET}" npx --no-install jest --ci --forceExit "$@"
