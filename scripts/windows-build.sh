#!/usr/bin/env bash
# The Windows build, on Linux: cross-compiles the whole project (core, app, ui, tests) with the
# MinGW-w64 Qt 6.8 SDK in the Debian 13 chroot, warnings as errors, and runs every test under
# Wine in a private prefix.
set -euo pipefail
source "$(dirname "$0")/lib/trixie-chroot.sh"

# The SDK: RELAY_QT_MINGW_SDK, else ../shared/toolchains beside the checkout, else the
# workplace's /work/shared/toolchains (a clone elsewhere, as in CI's clean checkout).
sdk=${RELAY_QT_MINGW_SDK:-}
if [ -z "$sdk" ]; then
  for candidate in "$root/../shared/toolchains" /work/shared/toolchains; do
    if [ -f "$candidate/qt6-mingw64-6.8.0.tar.xz" ]; then
      sdk="$candidate/qt6-mingw64-6.8.0.tar.xz"
      break
    fi
  done
fi
if [ ! -f "$sdk" ]; then
  echo "windows-build.sh: the Qt 6.8 MinGW SDK (qt6-mingw64-6.8.0.tar.xz) is in neither" \
    "$root/../shared/toolchains nor /work/shared/toolchains; set RELAY_QT_MINGW_SDK to it" >&2
  exit 1
fi
# The SDK must sit at /opt/qt6-mingw64 (qt-cmake names that prefix); unpacked again when the
# archive changes.
stamp="$(basename "$sdk") $(stat -c %s "$sdk")"
if [ "$(cat "$chroot_dir/opt/qt6-mingw64/.relay-sdk" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$chroot_dir/opt/qt6-mingw64"
  tar -C "$chroot_dir/opt" -xf "$sdk"
  echo "$stamp" > "$chroot_dir/opt/qt6-mingw64/.relay-sdk"
fi

chroot_mount
build=/build-win
rm -rf "$chroot_dir$build" # fresh every time, as the Qt 6.8 build
# Wine finds the Qt and MinGW runtime DLLs through WINEPATH (drive Z: is the chroot's /); the
# prefix is private to this build, so no test touches anyone's real Wine setup.
chroot_run WINEPREFIX=$build/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" \
  'WINEPATH=Z:\opt\qt6-mingw64\bin;Z:\usr\lib\gcc\x86_64-w64-mingw32\14-posix;Z:\usr\x86_64-w64-mingw32\lib' \
  QT_PLUGIN_PATH='Z:\opt\qt6-mingw64\plugins' QT_FORCE_STDERR_LOGGING=1 \
  bash -euc "
    /opt/qt6-mingw64/bin/qt-cmake -S /src -B $build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DRELAY_WERROR=ON -DQT_HOST_PATH=/usr -DQT_HOST_PATH_CMAKE_DIR=/usr/lib/x86_64-linux-gnu/cmake \
      -DQT_CHAINLOAD_TOOLCHAIN_FILE=/src/cmake/toolchain-mingw64.cmake \
      -DCMAKE_CROSSCOMPILING_EMULATOR=/src/scripts/wine-test.sh >/dev/null
    cmake --build $build
    # Every test runs on an X display (Xvfb with a tray host): Wine creates its windows there,
    # even for the offscreen platform's. The prefix is made once, on that display (made
    # without one, the first window test found no window driver), before tests run side by side.
    /src/scripts/with-tray.sh sh -c 'wineboot -i >/dev/null 2>&1 && wineserver -w \
      && ctest --test-dir $build --output-on-failure -j2 ${RELAY_CTEST_ARGS:-} \
      && cmake --build $build --target installer && /src/scripts/windows-installer-check.sh $build'
    wineserver -k || true"
