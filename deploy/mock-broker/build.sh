#!/usr/bin/env bash
# Builds deploy/mock-broker/mock-broker from mock-broker.c (gcc, -lrdkafka) when the
# binary is missing or older than the source. Works from any working directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/mock-broker.c"
bin="$here/mock-broker"
if [[ -x "$bin" && "$bin" -nt "$src" && "${1:-}" != "--force" ]]; then
  exit 0
fi
if [[ ! -f /usr/include/librdkafka/rdkafka_mock.h ]]; then
  echo "librdkafka-dev is missing (apt-get install -y librdkafka-dev)" >&2
  exit 1
fi
tmp="$bin.tmp.$$"
gcc -O2 -Wall -o "$tmp" "$src" -lrdkafka
mv -f "$tmp" "$bin"
