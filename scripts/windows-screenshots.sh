#!/usr/bin/env bash
# Screenshots of the Windows setup program and the installed app, for the README, after
# scripts/windows-build.sh: `scripts/windows-screenshots.sh en|zh` (as root; it enters the
# Debian 13 chroot, and installs xdotool and the locales there if missing). Walks the setup
# pages with the keyboard as a user would (Enter = the default button), captures each, lets the
# finish page start the app and captures its first-run wizard, then uninstalls and captures the
# question about user data. Into build-win/screenshots/LANG of the chroot. Not part of the tests.
set -euo pipefail
lang=${1:?usage: windows-screenshots.sh en|zh [BUILD]}
build=${2:-/build-win}
if [ ! -d /opt/qt6-mingw64 ]; then # on the host: run this again inside the chroot
  source "$(dirname "$0")/lib/trixie-chroot.sh"
  chroot_mount
  chroot_run WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" \
    /src/scripts/with-tray.sh /src/scripts/windows-screenshots.sh "$lang" "$build"
  exit
fi
if ! command -v xdotool >/dev/null || ! locale -a | grep -x zh_CN.utf8 >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends xdotool locales >/dev/null
  sed -i 's/^# *\(zh_CN.UTF-8 UTF-8\|en_US.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  grep -qx 'zh_CN.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' >>/etc/locale.gen
  grep -qx 'en_US.UTF-8 UTF-8' /etc/locale.gen || echo 'en_US.UTF-8 UTF-8' >>/etc/locale.gen
  locale-gen >/dev/null
fi
version=$(sed -n 's/^!define VERSION "\(.*\)"$/\1/p' "$build/installer-defines.nsh")
setup=$build/llm-relay-$version-setup.exe
out=$build/screenshots/$lang
rm -rf "$out"
mkdir -p "$out"
unset WINEPATH QT_PLUGIN_PATH
export WINEPREFIX=$build/screenshot-prefix-$lang
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-};winemenubuilder.exe=d"
rm -rf "$WINEPREFIX"
wineboot -i >/dev/null 2>&1
wineserver -w
# Wine's own dialog fonts have no Chinese glyphs (Windows' have): draw them with a CJK font.
for face in "Tahoma" "MS Shell Dlg" "MS Shell Dlg 2" "Microsoft Sans Serif" "Segoe UI"; do
  wine reg add 'HKCU\Software\Wine\Fonts\Replacements' /v "$face" /d "WenQuanYi Micro Hei" /f >/dev/null 2>&1
done
[ "$lang" = zh ] && export LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 || export LANG=en_US.UTF-8

window() { # TITLE-PATTERN: waits for a top-level window whose name matches; prints its id
  for _ in $(seq 1 120); do
    id=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | tail -1 || true)
    [ -n "$id" ] && { echo "$id"; return 0; }
    sleep 0.25
  done
  echo "windows-screenshots.sh: no window named like '$1'" >&2
  return 1
}
shot() { # NAME WINDOW: lets the window paint, then captures it
  sleep 1 # a screenshot, not a test: the page is given a moment to paint
  import -window "$2" "$out/$1.png"
  echo "$out/$1.png"
}
shot_over() { # NAME WINDOW: the window with what lies over it (a message box), from the screen
  sleep 1
  eval "$(xdotool getwindowgeometry --shell "$2")"
  import -window root -crop "${WIDTH}x${HEIGHT}+${X}+${Y}" +repage "$out/$1.png"
  echo "$out/$1.png"
}
press() { # WINDOW KEY
  xdotool windowfocus --sync "$1" key "$2"
}

wine "$setup" &
setup_pid=$!
w=$(window "Installer Language|安装程序语言")
shot 1-language "$w"
press "$w" Return
w=$(window "LLM Relay")
shot 2-welcome "$w"
press "$w" Return
shot 3-components "$w"
press "$w" Return
shot 4-folder "$w"
press "$w" Return
for _ in $(seq 1 120); do # the files page turns into the finish page by itself
  [ -f "$WINEPREFIX/drive_c/users/$(whoami)/AppData/Local/Programs/LLM Relay/uninstall.exe" ] && break
  sleep 0.25
done
sleep 2
shot 5-finish "$w"
press "$w" Return # Finish, with "Run LLM Relay" ticked
wait $setup_pid || true
w=$(window "Welcome to LLM Relay|欢迎使用 LLM Relay") # the first-run wizard
shot 6-wizard "$w"
import -window root "$out/6-first-start.png" # with the tray

wine "$WINEPREFIX/drive_c/users/$(whoami)/AppData/Local/Programs/LLM Relay/llm-relay.exe" --quit >/dev/null 2>&1 || true
wine "$WINEPREFIX/drive_c/users/$(whoami)/AppData/Local/Programs/LLM Relay/uninstall.exe" &
w=$(window "LLM Relay")
shot 7-uninstall "$w"
press "$w" Return
sleep 3 # the question about user data opens over the uninstaller's window
shot_over 8-remove-data "$w"
xdotool key Escape || true
wineserver -k || true
