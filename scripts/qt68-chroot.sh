#!/usr/bin/env bash
# Builds and tests LLM Relay against Qt 6.8 (the Windows build's Qt) inside a Debian 13 chroot.
# The chroot is created once and reused: RELAY_QT68_CHROOT overrides its location.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
chroot_dir=${RELAY_QT68_CHROOT:-/var/cache/llm-relay/trixie}
# nodejs runs the SDK tests, from the node_modules that install-deps.sh put in tests/e2e;
# tzdata gives QTimeZone the providers' zones (daily limit resets).
# The desktop app adds Svg, Linguist tools and Qt's own translations; its tray test runs on
# Xvfb with trayer inside the chroot.
packages="build-essential cmake ninja-build qt6-base-dev qt6-httpserver-dev qt6-websockets-dev nodejs tzdata qtkeychain-qt6-dev libqt6sql6-sqlite gnome-keyring dbus-daemon dbus-x11 libsecret-tools qt6-svg-dev qt6-tools-dev qt6-l10n-tools qt6-translations-l10n xvfb trayer x11-utils"

# The marker holds the package list installed; a changed list installs the difference.
if [ "$(cat "$chroot_dir/.relay-ready" 2>/dev/null)" != "$packages" ]; then
  echo "Creating Debian 13 chroot with Qt 6.8 in $chroot_dir (once)"
  mkdir -p "$chroot_dir"
  if [ ! -x "$chroot_dir/usr/bin/apt-get" ]; then
    debootstrap --variant=minbase trixie "$chroot_dir" >/dev/null
  fi
  chroot "$chroot_dir" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null"
  echo "$packages" > "$chroot_dir/.relay-ready"
fi

[ "${1:-}" = "--prepare-only" ] && exit 0

# Mount the source read-only-in-spirit and the proc/dev filesystems the build and tests need.
mnt="$chroot_dir/src"
mkdir -p "$mnt"
# Every process whose root is the chroot (keyring and D-Bus daemons, Xvfb, a test left
# running) is stopped before the unmounts: a busy mount cannot be removed, and a /dev still
# bound inside the chroot would make deleting that folder delete the host's device nodes.
chroot_processes() {
  local real
  real=$(readlink -f "$chroot_dir")
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$real" ] && echo "${p#/proc/}"
  done
  return 0
}
cleanup() {
  local pids
  pids=$(chroot_processes)
  [ -n "$pids" ] && kill $pids 2>/dev/null
  for _ in $(seq 1 50); do [ -z "$(chroot_processes)" ] && break; sleep 0.1; done
  pids=$(chroot_processes)
  [ -n "$pids" ] && kill -9 $pids 2>/dev/null
  local failed=0
  for m in "$mnt" "$chroot_dir/proc" "$chroot_dir/dev"; do
    if mountpoint -q "$m"; then
      umount "$m" 2>/dev/null || umount -l "$m" || failed=1
    fi
    if mountpoint -q "$m"; then
      echo "qt68-chroot.sh: could not unmount $m; unmount it before deleting $chroot_dir" >&2
      failed=1
    fi
  done
  return $failed
}
trap 'rc=$?; cleanup || rc=1; exit $rc' EXIT
trap "exit 130" INT TERM # so that cleanup still runs when the run is stopped
mount --bind "$root" "$mnt"
mount -t proc proc "$chroot_dir/proc"
mount --bind /dev "$chroot_dir/dev"

# A fresh build every time: a build folder left by another checkout could hide a missing step.
rm -rf "$chroot_dir/build-qt68"
chroot "$chroot_dir" env -i PATH=/usr/bin:/bin HOME=/root QT_QPA_PLATFORM=offscreen \
  sh -c "cmake -S /src -B /build-qt68 -G Ninja -DCMAKE_BUILD_TYPE=Debug -DRELAY_WERROR=ON >/dev/null \
         && cmake --build /build-qt68 \
         && /src/scripts/with-keyring.sh ctest --test-dir /build-qt68 --output-on-failure -j2 ${RELAY_CTEST_ARGS:-}"
