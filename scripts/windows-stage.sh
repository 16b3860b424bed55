#!/usr/bin/env bash
# Run inside the Debian 13 chroot after the Windows cross build (windows-build.sh calls it, on
# an X display): gathers llm-relay.exe with everything it loads into BUILD/stage, the folder
# the installer ships, then proves the folder is whole by starting it in a new, empty Wine
# prefix with no Qt on any search path, as the tray app and headless, and asking /health.
set -euo pipefail
build=${1:?usage: windows-stage.sh BUILD_DIR}
qt=/opt/qt6-mingw64
stage=$build/stage
rm -rf "$stage"
mkdir -p "$stage/translations"
cp "$build/app/llm-relay.exe" "$stage/"

# Plugins Qt loads at run time (no import names them): the window system, the style, SQLite,
# TLS for https upstreams, SVG and ICO images and icons, network reachability.
for p in platforms/qwindows styles/qmodernwindowsstyle sqldrivers/qsqlite \
  tls/qschannelbackend tls/qcertonlybackend imageformats/qsvg imageformats/qico \
  iconengines/qsvgicon networkinformation/qnetworklistmanager; do
  mkdir -p "$stage/$(dirname "$p")"
  cp "$qt/plugins/$p.dll" "$stage/$p.dll"
done
cp "$qt/translations/qtbase_zh_CN.qm" "$stage/translations/" # Qt's own dialogs in Chinese

# Every DLL the program and its plugins import, found where the build found them; the ones
# found nowhere here are Windows' own.
search=("$qt/bin" /usr/lib/gcc/x86_64-w64-mingw32/14-posix /usr/x86_64-w64-mingw32/lib)
pending=$(find "$stage" -name '*.exe' -o -name '*.dll')
while [ -n "$pending" ]; do
  next=""
  for f in $pending; do
    for dll in $(x86_64-w64-mingw32-objdump -p "$f" | sed -n 's/^\s*DLL Name: //p'); do
      [ -e "$stage/$dll" ] && continue
      for dir in "${search[@]}"; do
        if [ -e "$dir/$dll" ]; then
          cp "$dir/$dll" "$stage/"
          next="$next $stage/$dll"
          break
        fi
      done
    done
  done
  pending=$next
done
# Debug sections only (libstdc++ alone carries 24 MB of them); exports and code stay.
find "$stage" -name '*.exe' -o -name '*.dll' | xargs x86_64-w64-mingw32-strip --strip-debug
echo "staged $(find "$stage" -type f | wc -l) files, $(du -sh "$stage" | cut -f1), in $stage"

# The check: a prefix of its own and no WINEPATH or QT_PLUGIN_PATH, so a DLL or plugin missing
# from the folder fails here as it would on a user's machine.
check() { # MODE ARGS...: start the staged program, wait for /health, stop it
  local mode=$1 port=$2
  shift 2
  local dir
  dir=$(mktemp -d)
  env -u WINEPATH -u QT_PLUGIN_PATH WINEPREFIX="$build/stage-prefix" \
    wine "$stage/llm-relay.exe" "$@" --config "Z:$dir/config.json" --port "$port" \
    >"$dir/out.txt" 2>&1 &
  local pid=$! status=""
  for _ in $(seq 1 120); do # 60 s: the prefix's first start is slow
    status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || true)
    [ "$status" = "200" ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.5
  done
  WINEPREFIX="$build/stage-prefix" wineserver -k || true
  wait $pid 2>/dev/null || true
  if [ "$status" != "200" ]; then
    echo "windows-stage.sh: the staged program ($mode) did not answer /health (got '$status'):"
    cat "$dir/out.txt"
    exit 1
  fi
  echo "staged program ($mode) in an empty prefix: /health 200"
  rm -rf "$dir"
}
rm -rf "$build/stage-prefix"
WINEPREFIX="$build/stage-prefix" wineboot -i >/dev/null 2>&1
WINEPREFIX="$build/stage-prefix" wineserver -w
check headless 18931 --headless
check "tray app" 18932
