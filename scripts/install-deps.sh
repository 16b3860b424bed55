#!/usr/bin/env bash
# Installs what building, testing and benchmarking LLM Relay needs on Debian 12, and the npm
# packages of the SDK tests into tests/e2e/node_modules. Idempotent: skips apt when every
# package is already present and npm when the installed packages match the lock file.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qtkeychain-qt6-dev libqt6sql6-sqlite
  qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
  xvfb trayer xdotool x11-apps x11-utils imagemagick fonts-noto-cjk
  gnome-keyring dbus-daemon dbus-x11 libsecret-tools
  debootstrap tzdata curl dpkg-dev desktop-file-utils appstream
  clang libclang-rt-14-dev
)
# Node.js may come from elsewhere (nodesource); Debian's own is only needed when there is none.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
if [ "${1:-}" = "--bench" ]; then
  packages+=(nginx-light wrk)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

e2e="$(cd "$(dirname "$0")/.." && pwd)/tests/e2e"
if ! cmp -s "$e2e/package-lock.json" "$e2e/node_modules/.relay-lock.json"; then
  echo "Installing the SDKs of the end-to-end tests into $e2e/node_modules"
  (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$e2e/package-lock.json" "$e2e/node_modules/.relay-lock.json"
fi
