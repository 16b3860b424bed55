#!/usr/bin/env bash
# Packs the .deb from a native build folder (cpack), checks its desktop entry and AppStream
# metadata, installs it with apt (without recommended packages) into a clean Debian 12 chroot
# and runs it there: --version, the headless relay and the tray app (offscreen) each answer
# from the host, proving that the package's declared dependencies are all it needs. The base system is made once with
# debootstrap and copied afresh for every run; the copy, its mounts and its processes are
# removed however the script ends.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: deb-check.sh BUILD_DIR}" && pwd)
base=${RELAY_DEB_CHROOT_BASE:-/var/cache/llm-relay/bookworm}
run=$base-run

if [ "$(id -u)" -ne 0 ]; then
  echo "$(basename "$0"): the package check installs into a chroot and needs root." >&2
  exit 1
fi
source "$root/scripts/lib/private-mounts.sh"
fail() { echo "deb-check: FAILED: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB >/dev/null 2>&1) || (cd "$build" && cpack -G DEB) || fail "cpack failed"
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
deb=$build/llm-relay_${version}_amd64.deb
[ -f "$deb" ] || fail "cpack did not make $deb"
echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KB, installed $(dpkg-deb -f "$deb" Installed-Size) KB"
echo "depends: $(dpkg-deb -f "$deb" Depends)"

# What desktops and software centres read, validated as they would.
unpacked=$(mktemp -d)
# Removes a chroot folder: its processes stopped, everything mounted inside it unmounted, and
# deleted only when nothing is mounted there any more (a bind mount would lose the host's files).
remove_tree() { # DIR
  local real p m
  [ -e "$1" ] || return 0
  real=$(readlink -f "$1")
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$real" ] && { kill -9 "${p#/proc/}" 2>/dev/null || true; }
  done
  for m in $(awk -v r="$real/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
  if awk -v r="$real/" 'index($2, r) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    echo "deb-check: $1 still has mounts; not deleting it" >&2
    return 1
  fi
  rm -rf "$real"
}
cleanup() {
  local rc=$?
  remove_tree "$run" || rc=1
  rm -rf "$unpacked"
  exit $rc
}
trap cleanup EXIT
trap "exit 130" INT TERM
dpkg-deb -x "$deb" "$unpacked"
id=io.github.llmrelay.LLMRelay
for f in usr/bin/llm-relay "usr/share/applications/$id.desktop" "usr/share/metainfo/$id.metainfo.xml" \
  "usr/share/icons/hicolor/scalable/apps/$id.svg"; do
  [ -f "$unpacked/$f" ] || fail "the package lacks /$f"
done
desktop-file-validate "$unpacked/usr/share/applications/$id.desktop" || fail "desktop entry invalid"
appstreamcli validate --no-net --explain "$unpacked/usr/share/metainfo/$id.metainfo.xml" >/dev/null \
  || fail "AppStream metadata invalid: $(appstreamcli validate --no-net "$unpacked/usr/share/metainfo/$id.metainfo.xml")"
grep -q "<release version=\"$version\"" "$unpacked/usr/share/metainfo/$id.metainfo.xml" \
  || fail "the AppStream metadata does not name version $version"

if [ ! -f "$base/.relay-ready" ]; then
  echo "Creating the clean Debian 12 system in $base (once; about 1 minute)"
  remove_tree "$base"
  debootstrap --variant=minbase bookworm "$base" >/dev/null
  touch "$base/.relay-ready"
fi
remove_tree "$run"
cp -a "$base" "$run"
cp /etc/resolv.conf "$run/etc/resolv.conf"
cp "$deb" "$run/root/"
mount -t proc proc "$run/proc"
# The host's package cache: the same Debian 12 packages are not downloaded on every run.
mkdir -p /var/cache/apt/archives/partial
mount --bind /var/cache/apt/archives "$run/var/cache/apt/archives"
in_chroot() { exec chroot "$run" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
start=$(date +%s)
(in_chroot sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ./root/$(basename "$deb")") \
  >"$build/deb-check-apt.log" 2>&1 || fail "apt-get install ./$(basename "$deb") failed: $(tail -20 "$build/deb-check-apt.log")"
echo "installed with apt-get in $(($(date +%s) - start)) s (dependencies included)"

said=$( (in_chroot llm-relay --version)) || fail "llm-relay --version failed: $said"
grep -q "$version" <<<"$said" || fail "llm-relay --version said: $said"
echo "llm-relay --version: $said"

port=$((20000 + RANDOM % 30000))
while curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; do port=$((20000 + RANDOM % 30000)); done
check_running() { # LABEL ARGS...: start the installed program, expect /health 200 and the key asked for
  local label=$1 pid code i
  shift
  rm -f "$run"/root/.config/llm-relay/relay.db* # each run must write its own
  (in_chroot "$@" --port "$port" --key-file /root/keys.json) >"$build/deb-check.log" 2>&1 &
  pid=$!
  for i in $(seq 1 150); do
    code=$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "http://127.0.0.1:$port/health" || true)
    [ "$code" = 200 ] && break
    kill -0 $pid 2>/dev/null || fail "$label ended: $(cat "$build/deb-check.log")"
    sleep 0.2
  done
  [ "$code" = 200 ] || fail "$label: /health answered '$code' after 30 s"
  code=$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "http://127.0.0.1:$port/v1/models" || true)
  [ "$code" = 401 ] || fail "$label: /v1/models without the access key answered $code, not 401"
  kill -TERM $pid
  wait $pid || fail "$label did not end cleanly on SIGTERM: $(cat "$build/deb-check.log")"
  # The request history: the SQLite driver is a plugin that nothing links.
  head -c 15 "$run/root/.config/llm-relay/relay.db" 2>/dev/null | grep -q "SQLite format 3" \
    || fail "$label wrote no request history (relay.db): $(cat "$build/deb-check.log")"
  echo "$label: /health 200, 401 without the key, relay.db written, ended cleanly"
}
check_running "headless relay" env llm-relay --headless
check_running "tray app (offscreen)" env QT_QPA_PLATFORM=offscreen llm-relay
echo "deb-check: passed"
