#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer and runs each for RELAY_FUZZ_SECONDS (default 10) from its corpus
# in tests/fuzz/corpus. New inputs go to a temporary folder, so the corpus in the repository
# only changes by hand; a crash is saved under build-fuzz/crashes and fails the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${RELAY_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${RELAY_FUZZ_SECONDS:-10}"
targets=(fuzz-sse-parser fuzz-request-translators fuzz-stream-openai-to-anthropic
  fuzz-stream-anthropic-to-openai fuzz-stream-gemini-to-openai fuzz-stream-gemini-to-anthropic
  fuzz-stream-openai-to-responses fuzz-stream-openai-to-gemini)

CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRELAY_FUZZ=ON -DRELAY_BUILD_TESTS=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build "$build" --target "${targets[@]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$build/crashes"
for t in "${targets[@]}"; do
  mkdir -p "$work/$t"
  # -print_final_stats: runs and coverage for the log; exit status non-zero on any finding.
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/crashes/$t-" \
    "$work/$t" "$root/tests/fuzz/corpus/$t" 2>"$work/$t.log" || {
      tail -60 "$work/$t.log"
      echo "fuzz: $t found a problem; the input is in $build/crashes/"
      exit 1
    }
  runs=$(grep -m1 'stat::number_of_executed_units' "$work/$t.log" | awk '{print $2}')
  echo "fuzz: $t clean, $runs inputs in ${seconds}s"
done
