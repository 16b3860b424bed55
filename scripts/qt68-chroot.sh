#!/usr/bin/env bash
# Builds and tests LLM Relay against Qt 6.8 (the Windows build's Qt) inside a Debian 13 chroot
# (scripts/lib/trixie-chroot.sh). --prepare-only creates the chroot and stops.
set -euo pipefail
source "$(dirname "$0")/lib/trixie-chroot.sh"
[ "${1:-}" = "--prepare-only" ] && exit 0
chroot_mount
# A fresh build every time: a build folder left by another checkout could hide a missing step.
rm -rf "$chroot_dir/build-qt68"
chroot_run QT_QPA_PLATFORM=offscreen \
  sh -c "cmake -S /src -B /build-qt68 -G Ninja -DCMAKE_BUILD_TYPE=Debug -DRELAY_WERROR=ON >/dev/null \
         && cmake --build /build-qt68 \
         && /src/scripts/with-keyring.sh ctest --test-dir /build-qt68 --output-on-failure -j2 ${RELAY_CTEST_ARGS:-}"
