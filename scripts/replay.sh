#!/usr/bin/env bash
# The operator's replay command (see scripts/replay.ts and README "Events: sequences, gaps, replay").
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"
AUTH_JWT_SECRET="${AUTH_JWT_SECRET:-$DEFAULT_JWT_SECRET}" \
  npx --no-install ts-node --transpile-only -r tsconfig-paths/register scripts/replay.ts "$@"
