#!/usr/bin/env bash
# The main job: start the local stack (scripts/stack.sh up), then drive the
# warranty-card slice through the API and print the balance and Swagger URLs.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"

bash scripts/stack.sh up
log "running the demo"
AUTH_JWT_SECRET="${AUTH_JWT_SECRET:-$DEFAULT_JWT_SECRET}" \
  npx --no-install ts-node --transpile-only -r tsconfig-paths/register scripts/demo.ts
