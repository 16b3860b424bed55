#!/usr/bin/env bash
# Run by the CMake target `installer` after a Windows build: gathers llm-relay.exe with
# everything it loads into BUILD/stage, the folder the installer ships, with the licences of
# what it ships, and writes BUILD/stage-files.nsh, the list the uninstaller removes.
# The MinGW cross build (in the Debian 13 chroot) finds the DLLs with objdump;
# scripts/windows-installer-check.sh proves that folder is whole. An MSVC build (the GitHub
# Actions job, in Git Bash) uses windeployqt and the Visual C++ runtime instead.
set -euo pipefail
build=${1:?usage: windows-stage.sh BUILD_DIR}
src=$(cd "$(dirname "$0")/.." && pwd)
stage=$build/stage
rm -rf "$stage"
mkdir -p "$stage/translations" "$stage/licenses"
cp "$build/app/llm-relay.exe" "$stage/"
# The licences of what ships beside the program (Qt is LGPL-3.0, which builds on the GPL-3.0).
cp "$src"/installer/windows/licenses/*.txt "$stage/licenses/"
plugins="platforms/qwindows styles/qmodernwindowsstyle sqldrivers/qsqlite tls/qschannelbackend
  tls/qcertonlybackend imageformats/qsvg imageformats/qico iconengines/qsvgicon
  networkinformation/qnetworklistmanager"

write_lists() {
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
}

if grep -q '^CMAKE_CXX_COMPILER_ID:STRING=MSVC' "$build/CMakeCache.txt"; then
  qt=$(sed -n 's/^Qt6_DIR:PATH=\(.*\)\/lib\/cmake\/Qt6$/\1/p' "$build/CMakeCache.txt")
  qt=$(cygpath -u "$qt")
  # windeployqt adds plugins of its own choosing (OpenSSL's TLS backend among them) to the list.
  "$qt/bin/windeployqt.exe" --release --no-translations --no-system-d3d-compiler --no-opengl-sw \
    --no-compiler-runtime "$stage/llm-relay.exe"
  for p in $plugins; do
    mkdir -p "$stage/$(dirname "$p")"
    cp "$qt/plugins/$p.dll" "$stage/$p.dll"
  done
  cp "$qt/translations/qtbase_zh_CN.qm" "$stage/translations/"
  keychain=$(cygpath -u "$(sed -n 's/^Qt6Keychain_DIR:PATH=\(.*\)\/lib\/cmake\/Qt6Keychain$/\1/p' "$build/CMakeCache.txt")")
  cp "$keychain/bin/qt6keychain.dll" "$stage/"
  # The Visual C++ runtime beside the program (app-local), so that no redistributable is needed.
  redist=$(cygpath -u "${VCToolsRedistDir:?run from a Visual Studio developer shell}")
  cp "$redist"/x64/Microsoft.VC*.CRT/*.dll "$stage/"
  write_lists
  exit 0
fi

qt=/opt/qt6-mingw64

# Plugins Qt loads at run time (no import names them): the window system, the style, SQLite,
# TLS for https upstreams, SVG and ICO images and icons, network reachability.
for p in $plugins; do
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

cp /usr/share/doc/gcc-mingw-w64-base/copyright "$stage/licenses/GCC-runtime.txt"
cp /usr/share/doc/mingw-w64-x86-64-dev/copyright "$stage/licenses/MinGW-w64.txt"
write_lists
