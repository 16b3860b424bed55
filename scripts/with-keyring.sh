#!/usr/bin/env bash
# Runs a command against a real Secret Service: a private D-Bus session bus with
# gnome-keyring's secrets component, unlocked, keeping its keyring in a temporary folder so that
# the user's own keyring is never touched. Usage: scripts/with-keyring.sh COMMAND [ARG...]
set -euo pipefail
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export XDG_DATA_HOME="$data" # where gnome-keyring keeps its keyring files
# dbus-daemon's warning about raising its file limit (seen in containers) is noise.
dbus-run-session -- sh -c '
  echo -n relay-test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  "$@"' sh "$@" 2> >(grep -v "Failed to set fd limit" >&2)
