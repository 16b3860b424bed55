#!/usr/bin/env bash
# Idle cost of the desktop app against the headless relay, same config, same run: wake-ups
# (context switches of all threads) over RELAY_IDLE_SECONDS (60) after 5 s of settling, and
# resident memory. The desktop app runs under Xvfb with a tray host, its window closed.
# Usage: bench/desktop-idle.sh [BUILD_DIR]   (needs a built llm-relay; prints a Markdown table)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
binary="$build/app/llm-relay"
seconds=${RELAY_IDLE_SECONDS:-60}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
cat > "$work/config.json" <<JSON
{"listen":{"port":$port},"upstreams":[{"id":"a","baseUrl":"http://127.0.0.1:9/v1",
 "keys":[{"id":"k1","key":"sk-idle-bench-key-0001"}]}]}
JSON

switches() { # total context switches of every thread of $1
  cat /proc/"$1"/task/*/status 2>/dev/null |
    awk '/^(voluntary|nonvoluntary)_ctxt_switches/ {s += $2} END {print s}'
}
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' /proc/"$1"/status; }

measure() { # name, then the command; prints a table row
  local name=$1
  shift
  HOME="$work/home-$name" XDG_CONFIG_HOME="$work/home-$name/.config" "$@" \
    --config "$work/config-$name.json" --key-file "$work/keys-$name.json" >"$work/$name.log" 2>&1 &
  local pid=$!
  sleep 5 # start-up done, window created and hidden, store opened
  local pid_real
  pid_real=$(pgrep -P "$pid" -x llm-relay || echo "$pid")
  local before after
  before=$(switches "$pid_real")
  sleep "$seconds"
  after=$(switches "$pid_real")
  echo "| $name | $((after - before)) | $(awk -v n=$((after - before)) -v s="$seconds" 'BEGIN {printf "%.1f", n / s}') | $(rss_mb "$pid_real") |"
  kill "$pid_real" 2>/dev/null || true # the relay first: a shell waits for its child
  wait "$pid" 2>/dev/null || true
}

for name in headless desktop; do cp "$work/config.json" "$work/config-$name.json"; done
echo "Idle for $seconds s after a 5 s start ($(date -u +%Y-%m-%d), $(nproc) cores):"
echo
echo "| mode | wake-ups (context switches) | per second | RSS MB |"
echo "|---|---|---|---|"
measure headless "$binary" --headless
measure desktop "$root/scripts/with-tray.sh" "$binary"
