#!/usr/bin/env bash
# Builds LLM Relay and starts it. With no arguments it runs headless with the default config
# (created on first start); any arguments are passed to llm-relay (see --help).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
build="${RELAY_BUILD_DIR:-$root/build-release}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRELAY_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target llm-relay
if [ $# -eq 0 ]; then
  set -- --headless
fi
exec "$build/app/llm-relay" "$@"
