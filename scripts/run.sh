#!/usr/bin/env bash
# Builds LLM Relay and starts it. With no arguments it starts the tray app on a desktop, or the
# headless relay where there is no display, with the default config (created on first start);
# any arguments are passed to llm-relay (see --help).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
build="${RELAY_BUILD_DIR:-$root/build-release}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRELAY_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target llm-relay
if [ $# -eq 0 ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  set -- # a desktop session: the tray app
elif [ $# -eq 0 ]; then
  set -- --headless
  # Keys belong in the OS keychain. A machine without a desktop session has none, so say
  # plainly that this script chose an owner-only key file instead (see README, "Secrets").
  if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ "$(uname)" = "Linux" ]; then
    keys="${XDG_CONFIG_HOME:-$HOME/.config}/llm-relay/keys.json"
    echo "No desktop session (no D-Bus session bus), so no OS keychain: keeping keys in $keys"
    echo "(readable by you only). Run with a keychain, or pass --key-file/--keys-from-env yourself."
    set -- --headless --key-file "$keys"
  fi
fi
exec "$build/app/llm-relay" "$@"
