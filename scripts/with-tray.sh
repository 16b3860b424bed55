#!/usr/bin/env bash
# Runs a command on a private X display (Xvfb) with a real system tray (trayer), as a desktop
# would have. Usage: scripts/with-tray.sh COMMAND [ARG...]; DISPLAY is set for the command.
set -euo pipefail
for n in $(seq 91 140); do
  [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=":$n"; break; }
done
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "${tray:-}" "$xvfb" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
export DISPLAY="$display"
for _ in $(seq 1 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
# A tray host on the top edge: QSystemTrayIcon embeds its icon there (XEmbed).
trayer --edge top --align right --widthtype pixel --width 200 --heighttype pixel --height 32 \
  --transparent false --tint 0x333333 >/dev/null 2>&1 &
tray=$!
for _ in $(seq 1 100); do
  xprop -root _NET_SUPPORTING_WM_CHECK >/dev/null 2>&1 || true
  xwininfo -root -tree 2>/dev/null | grep -qi trayer && break
  sleep 0.1
done
"$@"
