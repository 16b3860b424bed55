# Sourced by qt68-chroot.sh and windows-build.sh: a Debian 13 chroot with Qt 6.8's host tools,
# the MinGW-w64 cross compiler, Wine and NSIS, created once and reused (RELAY_QT68_CHROOT
# overrides its location), and mounts that are removed however the calling script ends.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
chroot_dir=${RELAY_QT68_CHROOT:-/var/cache/llm-relay/trixie}
# nodejs runs the SDK tests, from the node_modules that install-deps.sh put in tests/e2e;
# tzdata gives QTimeZone the providers' zones (daily limit resets). The desktop app adds Svg,
# Linguist tools and Qt's own translations; its tray test runs on Xvfb with trayer. The
# Windows build adds the cross compiler, Wine (64-bit only), NSIS, curl and a Chinese font
# (Wine draws boxes for Chinese text without one); the installer check's https upstream
# openssl (its certificates) and socat (TLS in front of the fake upstream).
packages="build-essential cmake ninja-build qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev nodejs tzdata qtkeychain-qt6-dev libqt6sql6-sqlite gnome-keyring dbus-daemon dbus-x11 libsecret-tools qt6-svg-dev qt6-tools-dev qt6-l10n-tools qt6-translations-l10n xvfb trayer x11-utils imagemagick g++-mingw-w64-x86-64-posix wine nsis curl xz-utils fonts-wqy-microhei openssl socat"

if [ "$(id -u)" -ne 0 ]; then
  echo "$(basename "$0"): the Debian 13 chroot needs root (debootstrap, chroot, mount)." >&2
  exit 1
fi

source "$root/scripts/lib/private-mounts.sh"

# The marker holds the package list installed; a changed list installs the difference.
if [ "$(cat "$chroot_dir/.relay-ready" 2>/dev/null)" != "$packages" ]; then
  echo "Creating Debian 13 chroot in $chroot_dir (once; about 2 minutes)"
  mkdir -p "$chroot_dir"
  if [ ! -x "$chroot_dir/usr/bin/apt-get" ]; then
    debootstrap --variant=minbase trixie "$chroot_dir" >/dev/null \
      || { echo "$(basename "$0"): debootstrap failed (scripts/install-deps.sh installs it)" >&2; exit 1; }
  fi
  chroot "$chroot_dir" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null" \
    2> >(grep -v -e 'Can not write log' -e 'invoke-rc.d' >&2) \
    || { echo "$(basename "$0"): installing the chroot's packages failed" >&2; exit 1; }
  echo "$packages" > "$chroot_dir/.relay-ready"
fi

# Every process whose root is the chroot (keyring and D-Bus daemons, Xvfb, Wine's server, a
# test left running) is stopped before the unmounts: a busy mount cannot be removed, and a
# /dev still bound inside the chroot would make deleting that folder delete the host's device
# nodes.
chroot_processes() {
  local real
  real=$(readlink -f "$chroot_dir")
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$real" ] && echo "${p#/proc/}"
  done
  return 0
}
chroot_mounts=()
chroot_cleanup() {
  local pids failed=0
  pids=$(chroot_processes)
  [ -n "$pids" ] && kill $pids 2>/dev/null
  for _ in $(seq 1 50); do [ -z "$(chroot_processes)" ] && break; sleep 0.1; done
  pids=$(chroot_processes)
  [ -n "$pids" ] && kill -9 $pids 2>/dev/null
  for _ in $(seq 1 50); do [ -z "$(chroot_processes)" ] && break; sleep 0.1; done
  local i m
  for ((i = ${#chroot_mounts[@]} - 1; i >= 0; i--)); do # innermost first
    m=${chroot_mounts[i]}
    for _ in 1 2 3; do # a mount can hide another on the same folder
      mountpoint -q "$m" || break
      umount "$m" 2>/dev/null || umount -l "$m" || break
    done
    if mountpoint -q "$m"; then
      echo "$(basename "$0"): could not unmount $m; unmount it before deleting $chroot_dir:" >&2
      findmnt --all --target "$m" >&2 || true
      failed=1
    fi
  done
  return $failed
}

# chroot_mount: the source at /src, /proc, /dev and /dev/pts (Wine needs both); Xvfb runs
# inside, so the chroot's own /tmp/.X11-unix is used. Cleanup is armed before the first mount.
chroot_mount() {
  trap 'rc=$?; chroot_cleanup || rc=1; exit $rc' EXIT
  trap "exit 130" INT TERM # so that cleanup still runs when the run is stopped
  mkdir -p "$chroot_dir/src" "$chroot_dir/proc" "$chroot_dir/dev"
  mount --bind "$root" "$chroot_dir/src" && chroot_mounts+=("$chroot_dir/src")
  mount -t proc proc "$chroot_dir/proc" && chroot_mounts+=("$chroot_dir/proc")
  mount --bind /dev "$chroot_dir/dev" && chroot_mounts+=("$chroot_dir/dev")
  mount --bind /dev/pts "$chroot_dir/dev/pts" && chroot_mounts+=("$chroot_dir/dev/pts")
}

# chroot_run COMMAND: a login-free shell in the chroot with a clean environment.
chroot_run() {
  chroot "$chroot_dir" env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 "$@"
}
