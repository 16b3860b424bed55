#!/usr/bin/env bash
# One run, three paths to the same fast local upstream: direct, through nginx (a plain reverse
# proxy, proxy_buffering off) and through LLM Relay. Prints a Markdown table (also written to
# bench/results/latest.md). Also measures what translation costs: the relay with an
# Anthropic client against the same relay with an OpenAI client. Takes about three minutes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh" --bench
build="$root/build-bench"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target llm-relay relay-bench-upstream relay-bench-streams >/dev/null

duration=${BENCH_SECONDS:-5}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
U=$(free_port); P=$(free_port); P2=$(free_port); R=$(free_port)

# The SSE upstream: 20 chunks 50 ms apart, each stamped with its send time.
"$build/bench/relay-bench-upstream" --chunks 20 --interval-ms 50 > "$work/sse.port" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/sse.port" ] && break; sleep 0.1; done
S=$(cat "$work/sse.port")

mkdir -p "$work/tmp"
cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp;
  fastcgi_temp_path $work/tmp; uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  keepalive_requests 1000000;
  upstream fast { server 127.0.0.1:$U; keepalive 128; }
  upstream sse { server 127.0.0.1:$S; keepalive 128; }
  # The fast upstream: a fixed chat completion for every request.
  server {
    listen 127.0.0.1:$U;
    location / {
      default_type application/json;
      return 200 '{"id":"chatcmpl-b","object":"chat.completion","created":1,"model":"bench","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}';
    }
  }
  server {
    listen 127.0.0.1:$P;
    location / { proxy_pass http://fast; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
  }
  server {
    listen 127.0.0.1:$P2;
    location / { proxy_pass http://sse; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work"

cat > "$work/relay.json" <<JSON
{ "accessKey": "bench-access-key-0123456789", "listen": {"port": $R},
  "upstreams": [
    {"id": "fast", "baseUrl": "http://127.0.0.1:$U/v1", "proxy": "none", "models": ["bench"],
     "keys": [{"id": "k1", "key": "sk-bench-1"}, {"id": "k2", "key": "sk-bench-2"}]},
    {"id": "sse", "baseUrl": "http://127.0.0.1:$S/v1", "proxy": "none", "models": ["stream"],
     "keys": [{"id": "k1", "key": "sk-bench-3"}]}
  ] }
JSON
# A key file instead of the OS keychain: a benchmark machine may have no keychain, and keys are
# read once at start either way. The request log goes to relay.db beside the config, as usual.
"$build/app/llm-relay" --headless --config "$work/relay.json" --key-file "$work/keys.json" \
  > "$work/relay.out" 2>&1 &
relay_pid=$!
pids+=($relay_pid)
for _ in $(seq 50); do grep -q "Access key" "$work/relay.out" && break; sleep 0.1; done
sleep 1
rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
rss_idle=$(rss $relay_pid)
export BENCH_KEY=bench-access-key-0123456789

declare -A rps p50 p99
to_ms() { python3 -c "
import sys,re
v=sys.argv[1]; m=re.match(r'([0-9.]+)(us|ms|s)',v); n=float(m.group(1))
print(round(n/1000 if m.group(2)=='us' else n*1000 if m.group(2)=='s' else n, 3))" "$1"; }
for c in 1 16 64; do
  t=2; [ $c -eq 1 ] && t=1
  for target in direct nginx relay translated; do
    lua=post.lua; path=/v1/chat/completions
    case $target in direct) port=$U;; nginx) port=$P;; relay) port=$R;;
      translated) port=$R; lua=post-anthropic.lua; path=/v1/messages;; esac
    out=$(wrk -t$t -c$c -d${duration}s --latency -s "$root/bench/$lua" "http://127.0.0.1:$port$path")
    rps[$target,$c]=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
    p50[$target,$c]=$(to_ms "$(echo "$out" | awk '$1=="50%" {print $2}')")
    p99[$target,$c]=$(to_ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
    errors=$(echo "$out" | awk '/Non-2xx|Socket errors/' || true)
    [ -n "$errors" ] && echo "warning: $target c=$c: $errors" >&2
  done
done

# Stream timings swing with scheduling on a small machine: three rounds, the median round
# (by chunk delay p99) is reported for each path.
median_run() {
  python3 -c "import json,sys; r=sorted((json.loads(l) for l in sys.argv[1:]), key=lambda x: x['chunk_delay_p99_ms']); print(json.dumps(r[len(r)//2]))" "$@"
}
declare -A stream
for target in direct nginx relay translated; do
  runs=()
  for _ in 1 2 3; do
    case $target in
      direct) runs+=("$("$build/bench/relay-bench-streams" --port $S --streams 100)");;
      nginx) runs+=("$("$build/bench/relay-bench-streams" --port $P2 --streams 100)");;
      relay) runs+=("$("$build/bench/relay-bench-streams" --port $R --streams 100 --key "$BENCH_KEY" --model stream)");;
      translated) runs+=("$("$build/bench/relay-bench-streams" --port $R --streams 100 --key "$BENCH_KEY" --model stream --anthropic)");;
    esac
  done
  stream[$target]=$(median_run "${runs[@]}")
done
rss_load=$(rss $relay_pid)
j() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

{
echo "Run: \`bench/run.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, Qt $(dpkg-query -W -f='${Version}' qt6-base-dev | cut -d+ -f1), nginx $(nginx -v 2>&1 | sed 's/.*\///'), ${duration} s per wrk run."
echo
echo "| concurrency | direct req/s | nginx req/s | relay req/s | relay/nginx | direct p50 ms | nginx p50 ms (added) | relay p50 ms (added) | added ratio relay/nginx | nginx p99 ms | relay p99 ms |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for c in 1 16 64; do
  python3 - "$c" "${rps[direct,$c]}" "${rps[nginx,$c]}" "${rps[relay,$c]}" "${p50[direct,$c]}" "${p50[nginx,$c]}" "${p50[relay,$c]}" "${p99[nginx,$c]}" "${p99[relay,$c]}" <<'PY'
import sys
c,rd,rn,rr,ld,ln,lr,qn,qr=sys.argv[1:]
rd,rn,rr=map(float,(rd,rn,rr)); ld,ln,lr,qn,qr=map(float,(ld,ln,lr,qn,qr))
an,ar=ln-ld,lr-ld
ratio=f"{ar/an:.2f}" if an>0 else "n/a"
print(f"| {c} | {rd:.0f} | {rn:.0f} | {rr:.0f} | {rr/rn:.2f} | {ld:.3f} | {ln:.3f} ({an:+.3f}) | {lr:.3f} ({ar:+.3f}) | {ratio} | {qn:.3f} | {qr:.3f} |")
PY
done
echo
echo "100 concurrent streams, 20 chunks 50 ms apart (chunk delay = arrival minus upstream send stamp; median of 3 rounds):"
echo
echo "| path | failed | TTFB p50 ms | TTFB p99 ms | chunk delay p50 ms | chunk delay p99 ms | added p99 vs direct ms |"
echo "|---|---|---|---|---|---|---|"
d99=$(j "${stream[direct]}" chunk_delay_p99_ms)
for target in direct nginx relay; do
  s=${stream[$target]}
  c99=$(j "$s" chunk_delay_p99_ms)
  echo "| $target | $(j "$s" failed) | $(j "$s" ttfb_p50_ms) | $(j "$s" ttfb_p99_ms) | $(j "$s" chunk_delay_p50_ms) | $c99 | $(python3 -c "print(round($c99-$d99,3))") |"
done
echo
echo "Translation cost, same relay and upstream: an OpenAI client (relayed as is) against an Anthropic client (request translated to OpenAI's format, answer back to Anthropic's):"
echo
echo "| measure | OpenAI client | Anthropic client (translated) | translated/plain |"
echo "|---|---|---|---|"
for c in 1 16 64; do
  python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'| req/s at c={sys.argv[3]} | {a:.0f} | {b:.0f} | {b/a:.2f} |')" "${rps[relay,$c]}" "${rps[translated,$c]}" "$c"
  python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'| p50 ms at c={sys.argv[3]} | {a:.3f} | {b:.3f} | {b/a:.2f} |')" "${p50[relay,$c]}" "${p50[translated,$c]}" "$c"
done
for m in chunk_delay_p50_ms chunk_delay_p99_ms ttfb_p50_ms; do
  a=$(j "${stream[relay]}" $m); b=$(j "${stream[translated]}" $m)
  python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'| stream {sys.argv[3]} (100 streams) | {a} | {b} | {b/a:.2f} |' if a>0 else f'| stream {sys.argv[3]} | {a} | {b} | n/a |')" "$a" "$b" "$m"
done
echo
echo "Relay RSS: ${rss_idle} MB idle, ${rss_load} MB after the runs above."
} | tee "$root/bench/results/latest.md"
