#!/usr/bin/env bash
# Run inside the Debian 13 chroot after the Windows cross build (the CMake target `installer`
# runs it): gathers llm-relay.exe with everything it loads into BUILD/stage, the folder the
# installer ships, with the licences of what it ships, and writes BUILD/stage-files.nsh, the
# list the uninstaller removes. scripts/windows-installer-check.sh proves the folder is whole.
set -euo pipefail
build=${1:?usage: windows-stage.sh BUILD_DIR}
src=$(cd "$(dirname "$0")/.." && pwd)
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

# The licences of what ships beside the program (Qt is LGPL-3.0, which builds on the GPL-3.0).
mkdir -p "$stage/licenses"
cp "$src"/installer/windows/licenses/*.txt "$stage/licenses/"
cp /usr/share/common-licenses/LGPL-3 "$stage/licenses/LGPL-3.0.txt"
cp /usr/share/common-licenses/GPL-3 "$stage/licenses/GPL-3.0.txt"
cp /usr/share/doc/gcc-mingw-w64-base/copyright "$stage/licenses/GCC-runtime.txt"
cp /usr/share/doc/mingw-w64-x86-64-dev/copyright "$stage/licenses/MinGW-w64.txt"

# What the uninstaller removes (and an upgrade replaces): exactly these files, then their
# folders if empty, deepest first; never a folder's whole contents. files.txt, installed too,
# tells the next version's setup what this one installed.
(cd "$stage" && { echo files.txt; find . -type f ! -name files.txt | sed 's|^\./||'; } | sort | sed 's|/|\\|g; s|$|\r|') \
  >"$stage/files.txt"
{
  echo '!macro REMOVE_PROGRAM_FILES'
  (cd "$stage" && find . -type f | sort) | sed 's|^\./||; s|/|\\|g; s|.*|  Delete "$INSTDIR\\&"|'
  (cd "$stage" && find . -mindepth 1 -type d | sort -r) | sed 's|^\./||; s|/|\\|g; s|.*|  RMDir "$INSTDIR\\&"|'
  echo '!macroend'
} >"$build/stage-files.nsh"
echo "staged $(find "$stage" -type f | wc -l) files, $(du -sh "$stage" | cut -f1), in $stage"
