#!/usr/bin/env bash
# Runs a command on a private X display (Xvfb) with a real system tray (trayer), as a desktop
# would have. Usage: scripts/with-tray.sh COMMAND [ARG...]; DISPLAY is set for the command.
set -euo pipefail
# Xvfb picks a free display itself and writes its number once it accepts clients, so runs
# started side by side never share one.
number=$(mktemp)
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$number" >/dev/null 2>&1 &
xvfb=$!
trap 'kill "${tray:-}" "$xvfb" 2>/dev/null || true; wait 2>/dev/null || true; rm -f "$number"' EXIT
for _ in $(seq 1 100); do [ -s "$number" ] && break; sleep 0.1; done
if [ ! -s "$number" ]; then
  echo "with-tray.sh: Xvfb did not start" >&2
  exit 1
fi
export DISPLAY=":$(tr -d '[:space:]' < "$number")"
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
