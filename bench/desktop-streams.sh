#!/usr/bin/env bash
# Does the GUI stall streams? 100 concurrent streams of 20 chunks 50 ms apart through the
# headless relay, then through the desktop app with its main window open (Xvfb, tray host) and
# its status page and chart updating live, in the same run; three rounds each, the median round
# by chunk delay p99. Prints a Markdown table. Usage: bench/desktop-streams.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-bench"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target llm-relay relay-bench-upstream relay-bench-streams >/dev/null
binary="$build/app/llm-relay"
work=$(mktemp -d)
cleanup() {
  pkill -P $$ 2>/dev/null || true
  pkill -x llm-relay 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$build/bench/relay-bench-upstream" --chunks 20 --interval-ms 50 > "$work/sse.port" &
for _ in $(seq 50); do [ -s "$work/sse.port" ] && break; sleep 0.1; done
S=$(cat "$work/sse.port")
key=bench-access-key-0123456789
config() { # port
  cat <<JSON
{ "accessKey": "$key", "listen": {"port": $1},
  "upstreams": [{"id": "sse", "baseUrl": "http://127.0.0.1:$S/v1", "proxy": "none",
                 "models": ["stream"], "keys": [{"id": "k1", "key": "sk-bench-3"}]}] }
JSON
}
median_run() {
  python3 -c "import json,sys; r=sorted((json.loads(l) for l in sys.argv[1:]), key=lambda x: x['chunk_delay_p99_ms']); print(json.dumps(r[len(r)//2]))" "$@"
}
probe() { # port
  local runs=()
  for _ in 1 2 3; do
    runs+=("$("$build/bench/relay-bench-streams" --port "$1" --streams 100 --key "$key" --model stream)")
  done
  median_run "${runs[@]}"
}
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
j() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

# Headless.
H=$(free_port)
config "$H" > "$work/headless.json"
HOME="$work/h1" "$binary" --headless --config "$work/headless.json" --key-file "$work/k1.json" \
  > "$work/headless.log" 2>&1 &
headless=$!
wait_port "$H"
headless_result=$(probe "$H")
kill "$headless"; wait "$headless" 2>/dev/null || true

# The desktop app, window open: a second launch brings the running one's window forward.
D=$(free_port)
config "$D" > "$work/desktop.json"
mkdir -p "$work/h2"
"$root/scripts/with-tray.sh" bash -c '
  HOME="$4" "$0" --config "$1" --key-file "$2" > "$3" 2>&1 &
  app=$!
  for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$5") 2>/dev/null && break; sleep 0.1; done
  HOME="$4" "$0" > /dev/null 2>&1 # the window comes forward; this launch exits
  touch "$4/window-open"
  wait $app' "$binary" "$work/desktop.json" "$work/k2.json" "$work/desktop.log" "$work/h2" "$D" &
for _ in $(seq 100); do [ -e "$work/h2/window-open" ] && break; sleep 0.1; done
sleep 1 # the window is drawn
desktop_result=$(probe "$D")

hp99=$(j "$headless_result" chunk_delay_p99_ms)
dp99=$(j "$desktop_result" chunk_delay_p99_ms)
echo "100 streams x 20 chunks, 50 ms apart, $(date -u +%Y-%m-%d), $(nproc) cores (median of 3 rounds):"
echo
echo "| relay | failed | chunk delay p50 ms | chunk delay p99 ms | TTFB p50 ms |"
echo "|---|---|---|---|---|"
for name in headless desktop; do
  r=$headless_result
  [ "$name" = desktop ] && r=$desktop_result
  echo "| $name$([ "$name" = desktop ] && echo ', window open') | $(j "$r" failed) | $(j "$r" chunk_delay_p50_ms) | $(j "$r" chunk_delay_p99_ms) | $(j "$r" ttfb_p50_ms) |"
done
echo
echo "desktop/headless chunk delay p99: $(python3 -c "print(round($dp99 / $hp99, 2))")"
