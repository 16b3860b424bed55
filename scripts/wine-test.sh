#!/usr/bin/env bash
# CTest's emulator in the Windows cross build: runs a Qt Test executable under Wine. Under
# Wine, what Qt Test writes to a pipe never arrives (stdout of its DLL), so the log goes to a
# file that is printed when the test ends; the exit code is the test's.
set -uo pipefail
log=$(mktemp --suffix=.txt)
trap 'rm -f "$log"' EXIT
wine "$@" -o "$log,txt"
rc=$?
cat "$log"
exit $rc
