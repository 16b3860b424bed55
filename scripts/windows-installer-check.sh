#!/usr/bin/env bash
# Run inside the Debian 13 chroot, on an X display, after `cmake --build BUILD --target
# installer` (windows-build.sh does both). What a Windows user does with the setup program, in a
# new, empty Wine prefix with no Qt on any search path (so a DLL or plugin missing from the
# package fails here as on their machine):
#   install silently; start the installed program as the tray app and as a server; chat and
#   stream through it to a fake upstream; capture its window; install a newer setup over the
#   running program (an upgrade: the program is asked to quit, settings, history and stored keys
#   are kept); end the session (what was relayed is in the log); uninstall (program,
#   shortcuts, start at login and registry entries gone, data and keys kept); install and uninstall /PURGE (data and keys gone too). Prints the sizes and start
#   times it measured.
set -euo pipefail
build=${1:?usage: windows-installer-check.sh BUILD_DIR}
src=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^!define VERSION "\(.*\)"$/\1/p' "$build/installer-defines.nsh")
setup=$build/llm-relay-$version-setup.exe
# The upgrade installs a second setup program, one patch version newer, packed from the same
# stage (the program inside is the same; the installer's upgrade path is what is checked).
next_version=$(echo "$version" | awk -F. '{ print $1 "." $2 "." $3 + 1 }')
next_setup=$build/upgrade/llm-relay-$next_version-setup.exe
rm -rf "$build/upgrade" "$build/screenshots"
mkdir -p "$build/upgrade" "$build/screenshots"
makensis -V2 -DBUILD_DEFINES="$build/installer-defines.nsh" -DVERSION="$next_version" \
  -DOUTFILE="$next_setup" "$src/installer/windows/llm-relay.nsi"
dev_winepath=${WINEPATH:-}
dev_plugins=${QT_PLUGIN_PATH:-}
unset WINEPATH QT_PLUGIN_PATH
export WINEPREFIX=$build/installer-prefix
# No .desktop files or menu entries made for the chroot from the shortcuts.
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-};winemenubuilder.exe=d"
rm -rf "$WINEPREFIX"
wineboot -i >/dev/null 2>&1
wineserver -w

fail() {
  echo "windows-installer-check.sh: $*" >&2
  exit 1
}
user_dir=$WINEPREFIX/drive_c/users/$(whoami)
local_dir=$user_dir/AppData/Local
inst="$local_dir/Programs/LLM Relay"
data=$local_dir/llm-relay
start_menu="$user_dir/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/LLM Relay.lnk"
desktop_link="$user_dir/Desktop/LLM Relay.lnk"
uninst_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\LLM Relay'
run_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Run'
fake_port=18941
relay_port=18942
access=installer-check-access-key-0123456789
admin=installer-check-admin-key-0123456789
upstream_key=sk-installer-check-upstream-key-4242

port_free() { ! curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/" 2>/dev/null; }
for p in $fake_port $relay_port 18943 18944; do
  port_free $p || fail "port $p is in use already; stop what listens there"
done

install() { # SETUP: run a setup program silently; it returns when it is done
  local t0=$SECONDS
  timeout 120 wine "$1" /S || fail "$(basename "$1") failed or hung (exit $?)"
  echo "$(basename "$1"): installed in $((SECONDS - t0)) s"
}
reg_value() { # KEY NAME: the value's data, empty when absent
  wine reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' | sed -n "s/^ *$2 *REG_[A-Z_]* *//p"
}
stored_keys() { # how many entries the program keeps in the Credential Manager (Wine: registry)
  wine reg query 'HKCU\Software\Wine\Credential Manager' 2>/dev/null | tr -d '\r' \
    | grep -ci 'llm-relay/' || true
}
uninstaller_done() { # the uninstaller runs on from a copy of itself after wine returns
  timeout 60 wineserver -w || fail "the uninstaller was still running 60 s later"
}
wait_gone() { # PATH
  for _ in $(seq 1 120); do
    [ ! -e "$1" ] && return 0
    sleep 0.25
  done
  fail "$1 is still there 30 s after the uninstaller started"
}

wine_backtraces() { # what every llm-relay.exe still running is doing, for the failure report
  local list pid
  list=$(timeout 30 winedbg --command "info process" 2>/dev/null | tr -d '\r' || true)
  echo "Wine processes:"; echo "$list"
  for pid in $(awk '/llm-relay.exe/ { print $1 }' <<<"$list"); do
    echo "threads of llm-relay.exe $pid:"
    # "bt all" walks every process; only this one's threads are kept
    printf 'attach 0x%s\nbt all\ndetach\nquit\n' "$pid" | timeout 60 winedbg 2>&1 | tr -d '\r' \
      | awk -v p="in process $(printf '%04x' "0x$pid")" '/^Backtracing for thread/ { keep = index($0, p) > 0 } /^$/ { keep = 0 } keep' || true
  done
}
wait_exit() { # LABEL: the relay started last must end within 40 s, with exit code 0
  for _ in $(seq 1 160); do
    kill -0 $relay_pid 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 $relay_pid 2>/dev/null; then
    cat "$build/installer-relay.log"
    wine_backtraces
    fail "$1: the tray app is still running 40 s later"
  fi
  wait $relay_pid || { local rc=$?; cat "$build/installer-relay.log"; fail "$1: the tray app ended with exit code $rc"; }
}
health() { curl -s -o /dev/null --max-time 2 -w '%{http_code}' "http://127.0.0.1:$relay_port/health" || true; }
wait_health() { # LABEL: a relay this script did not start (the setup program did) answers
  for _ in $(seq 1 240); do
    [ "$(health)" = 200 ] && { echo "$1: answering"; return 0; }
    sleep 0.25
  done
  fail "$1: nothing answers /health on port $relay_port"
}
wait_down() { # LABEL
  for _ in $(seq 1 160); do
    [ "$(health)" = 200 ] || return 0
    sleep 0.25
  done
  fail "$1: the relay still answers 40 s later"
}

relay_pid=""
start_relay() { # LABEL ARGS...: start the installed program, wait until it answers /health
  local label=$1
  shift
  local started=$(date +%s%N)
  RELAY_ACCESS_KEY=$access RELAY_ADMIN_KEY=$admin wine "$inst/llm-relay.exe" "$@" >"$build/installer-relay.log" 2>&1 &
  relay_pid=$!
  for _ in $(seq 1 240); do # 60 s: the prefix's first start is slow
    if [ "$(health)" = 200 ]; then
      kill -0 $relay_pid 2>/dev/null || fail "$label: /health answered, but not by this program"
      echo "$label: answering after $((($(date +%s%N) - started) / 1000000)) ms"
      return 0
    fi
    kill -0 $relay_pid 2>/dev/null || break
    sleep 0.25
  done
  cat "$build/installer-relay.log"
  fail "$label: the installed program did not answer /health on port $relay_port"
}
chat() { # STREAM(true|false): one chat request through the relay; prints the answer
  curl -s --max-time 30 -H "Authorization: Bearer $access" -H 'Content-Type: application/json' \
    -d "{\"model\":\"fake-model\",\"stream\":$1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" \
    "http://127.0.0.1:$relay_port/v1/chat/completions"
}
check_log() { # COUNT LABEL: the request log holds COUNT requests
  local log
  log=$(curl -s --max-time 10 -H "Authorization: Bearer $admin" \
    "http://127.0.0.1:$relay_port/admin/requests?limit=1" || true)
  grep -q "\"total\":$1[,}]" <<<"$log" || fail "$2: the request log does not hold $1 requests: ${log:0:300}"
}
check_chat() { # LABEL (answers are read whole: grep -q leaving early would fail the pipe)
  local answer
  answer=$(chat false || true) # a failed curl is reported below, not by set -e
  grep -q '"choices"' <<<"$answer" || fail "$1: a chat through the relay got no answer: $answer"
  answer=$(chat true || true)
  grep -q '^data: \[DONE\]' <<<"$answer" || fail "$1: a streamed chat through the relay did not end"
  echo "$1: chat and stream relayed"
}

# The fake upstream is a test program: it gets the Qt of the build, the relay does not.
start_fake() {
  WINEPATH=$dev_winepath QT_PLUGIN_PATH=$dev_plugins \
    wine "$build/bench/relay-bench-upstream.exe" --port $fake_port --chunks 5 --interval-ms 10 \
    >/dev/null 2>&1 &
  fake_pid=$!
}
start_fake
trap 'wineserver -k 2>/dev/null || true' EXIT

# 1. A first install, as the double-click does it (silently here).
install "$setup"
[ -f "$inst/llm-relay.exe" ] && [ -f "$inst/uninstall.exe" ] || fail "program not installed in $inst"
[ -f "$inst/platforms/qwindows.dll" ] || fail "the Qt platform plugin was not installed"
[ -f "$inst/licenses/LGPL-3.0.txt" ] || fail "the licences were not installed"
[ -f "$start_menu" ] || fail "no Start menu shortcut ($start_menu)"
[ -f "$desktop_link" ] || fail "no desktop shortcut ($desktop_link)"
[ "$(reg_value "$uninst_key" DisplayVersion)" = "$version" ] \
  || fail "no uninstall entry for version $version under $uninst_key"
# Start at login (ticked by default), written by the program: its entry, pointing at itself.
reg_value "$run_key" "LLM Relay" | grep -i 'Programs\\LLM Relay\\llm-relay.exe"$' >/dev/null \
  || fail "start at login was not set: '$(reg_value "$run_key" "LLM Relay")'"
echo "setup program $(($(stat -c %s "$setup") / 1024 / 1024)) MB; installed $(du -sm "$inst" | cut -f1) MB"

# 2. The user's first settings: one upstream with its key in plain text, which the program moves
# into the Credential Manager at its first start.
mkdir -p "$data"
cat >"$data/config.json" <<EOF
{ "listen": { "port": $relay_port },
  "upstreams": [ { "id": "fake", "type": "openai", "baseUrl": "http://127.0.0.1:$fake_port/v1",
                   "keys": [ { "id": "k1", "key": "$upstream_key" } ] } ] }
EOF
start_relay "tray app, first start"
check_chat "tray app"
for _ in $(seq 1 40); do # the key leaves the file once the keychain has it
  grep -q "$upstream_key" "$data/config.json" || break
  sleep 0.25
done
grep -q "$upstream_key" "$data/config.json" && fail "the upstream key was not moved out of config.json"
keys_stored=$(stored_keys)
[ "$keys_stored" -ge 1 ] || fail "the upstream key is not in the Credential Manager"
config_before=$(sha256sum <"$data/config.json")

# What the user sees: starting the program again brings the running one's window forward.
timeout 30 wine "$inst/llm-relay.exe" >/dev/null 2>&1 || fail "a second start did not reach the running app"
shot=$build/screenshots/tray-app.png
colours=0
for _ in $(seq 1 40); do # until the window has painted: the tray alone has under 100 colours
  if xwininfo -root -tree | grep -E '"LLM Relay": .* [0-9]{3,}x[0-9]{3,}\+' >/dev/null; then
    import -window root "$shot"
    colours=$(convert "$shot" -format '%k' info:)
    [ "$colours" -gt 200 ] && break
  fi
  sleep 0.25
done
[ "$colours" -gt 200 ] || fail "no LLM Relay window painted after the second start ($colours colours)"
echo "window captured: $shot ($colours colours)"

# 3. The upgrade to a newer setup, over the running tray app, which it asks to quit first.
# As if the installed version had shipped a file this one does not: the upgrade removes what
# the old files.txt lists, and never anything outside the program folder.
echo obsolete >"$inst/obsolete.dll"
echo mine >"$local_dir/outside.txt"
printf 'obsolete.dll\r\n..\\..\\outside.txt\r\n' >>"$inst/files.txt"
RELAY_ACCESS_KEY=$access RELAY_ADMIN_KEY=$admin install "$next_setup" # the app it starts again gets them
wait_exit "upgrade"
[ "$(reg_value "$uninst_key" DisplayVersion)" = "$next_version" ] \
  || fail "the upgrade did not record version $next_version"
[ ! -e "$inst/obsolete.dll" ] || fail "the upgrade left a file only the old version listed"
[ -f "$local_dir/outside.txt" ] || fail "the upgrade deleted a file outside the program folder"
rm "$local_dir/outside.txt"
reg_value "$run_key" "LLM Relay" | grep llm-relay.exe >/dev/null || fail "the upgrade turned start at login off"
[ "$(sha256sum <"$data/config.json")" = "$config_before" ] || fail "the upgrade changed config.json"
[ -f "$data/relay.db" ] || fail "the upgrade lost the request history (relay.db)"
# It was running, so the silent upgrade started it again.
wait_health "tray app, restarted by the upgrade"
check_log 2 "after the upgrade"
# The key now lives only in the Credential Manager: a relayed chat proves it survived.
check_chat "after the upgrade"
echo "after the upgrade: settings, request log and the stored key kept"
timeout 60 wine "$inst/llm-relay.exe" --quit >/dev/null 2>&1 || fail "llm-relay --quit failed or hung"
wait_down "--quit"

# Signing out of Windows (WM_QUERYENDSESSION, WM_ENDSESSION to every window): the tray app ends
# cleanly and what it relayed is in the log.
start_relay "tray app, before the session ends"
check_chat "before the session ends"
# --force: programs without windows (the fake upstream) are ended, not waited for; the exit
# code says whether any had to be: what counts is how the tray app ended, checked below.
# What is judged is the tray app's end, whether or not wineboot returns.
rc=0
timeout 60 wineboot --end-session --force >/dev/null 2>&1 || rc=$?
[ $rc != 124 ] || echo "session end: wineboot --end-session did not return within 60 s; judging the tray app"
wait_exit "session end"
cp "$build/installer-relay.log" "$build/installer-session-end.log"
echo "session end: the tray app quit with 0"
# Wine may have ended the fake upstream with the session too (its port is free): start it again.
port_free $fake_port && start_fake

# 4. The server mode from the installed folder, as a script or service would start it.
start_relay "headless" --headless
check_log 6 "headless, after the session end"
check_chat "headless"
kill $relay_pid
wait $relay_pid 2>/dev/null || true
wait_down "headless"

# 4b. HTTPS upstreams, through Schannel (tls/qschannelbackend) as on Windows: a certificate
# from a CA the prefix trusts is accepted, one from a CA it does not know is refused. Wine
# builds its trusted roots from the system's CA file, which this chroot does not otherwise have.
tls=$build/tls
rm -rf "$tls" && mkdir -p "$tls"
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$tls/ext"
for ca in trusted unknown; do
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=LLM Relay check $ca CA" \
    -keyout "$tls/$ca-ca.key" -out "$tls/$ca-ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$tls/$ca.key" \
    -out "$tls/$ca.csr" 2>/dev/null
  openssl x509 -req -in "$tls/$ca.csr" -CA "$tls/$ca-ca.pem" -CAkey "$tls/$ca-ca.key" \
    -CAcreateserial -days 2 -extfile "$tls/ext" -out "$tls/$ca.pem" 2>/dev/null
done
ca_file=/etc/ssl/certs/ca-certificates.crt
[ -f /.relay-ready ] || fail "not in the Debian 13 chroot: the check would replace this system's CA file"
[ ! -e $ca_file ] || fail "the chroot has $ca_file already; the check would change it"
mkdir -p "$(dirname $ca_file)"
cp "$tls/trusted-ca.pem" $ca_file
# (set -e holds in the trap too: a kill of a socat already gone must not fail the check)
trap 'rm -f $ca_file; kill $socat_pid 2>/dev/null || true; wineserver -k 2>/dev/null || true' EXIT
tls_port=18943
socat_pid=""
https_chat() { # CA LABEL: a headless relay whose one upstream is the fake behind TLS; the answer in $tls/answer
  socat "OPENSSL-LISTEN:$tls_port,bind=127.0.0.1,reuseaddr,fork,cert=$tls/$1.pem,key=$tls/$1.key,verify=0" \
    "TCP:127.0.0.1:$fake_port" >/dev/null 2>&1 &
  socat_pid=$!
  local relay_port=18944 # its own: start_relay, chat and wait_down use this one meanwhile
  local dir=$WINEPREFIX/drive_c/https-check
  rm -rf "$dir" && mkdir -p "$dir"
  printf '{ "listen": { "port": %s }, "retry": { "maxAttempts": 1 },
  "upstreams": [ { "id": "tls", "type": "openai", "baseUrl": "https://127.0.0.1:%s/v1",
                   "keys": [ { "id": "k1", "key": "%s" } ] } ] }\n' \
    $relay_port $tls_port "$upstream_key" >"$dir/config.json"
  start_relay "$2" --headless --config 'C:\https-check\config.json' --key-file 'C:\https-check\keys.json'
  chat false >"$tls/answer" || true
  kill $relay_pid $socat_pid 2>/dev/null || true
  wait $relay_pid $socat_pid 2>/dev/null || true
  wait_down "$2"
}
https_chat trusted "https upstream, trusted CA"
grep -q '"choices"' "$tls/answer" || fail "a chat to an https upstream with a trusted certificate failed: $(head -c 400 "$tls/answer")"
https_chat unknown "https upstream, unknown CA"
grep -q '"choices"' "$tls/answer" && fail "a chat to an https upstream with a certificate from an unknown CA was answered"
grep -qi 'certificate\|ssl\|tls' "$tls/answer" || fail "the refused https upstream's error does not say why: $(head -c 400 "$tls/answer")"
echo "https upstreams: trusted certificate relayed, unknown CA refused: $(head -c 240 "$tls/answer")"
wineserver -k # ends the fake upstream, which is done
wait $relay_pid 2>/dev/null || true
wait $fake_pid 2>/dev/null || true

# 5. Uninstall while the tray app runs: the program goes, the data stays.
keys_stored=$(stored_keys) # with those of the https relays' config
start_relay "tray app, before uninstall"
wine "$inst/uninstall.exe" /S
wait_gone "$inst/llm-relay.exe"
wait_exit "uninstall"
uninstaller_done
wait_gone "$inst"
[ ! -e "$start_menu" ] && [ ! -e "$desktop_link" ] || fail "the uninstaller left a shortcut"
wine reg query "$uninst_key" >/dev/null 2>&1 && fail "the uninstaller left $uninst_key"
[ -z "$(reg_value "$run_key" "LLM Relay")" ] || fail "the uninstaller left start at login on"
[ -f "$data/config.json" ] && [ -f "$data/relay.db" ] || fail "the uninstaller removed the data without /PURGE"
[ "$(stored_keys)" = "$keys_stored" ] || fail "the uninstaller removed stored keys without /PURGE"
echo "uninstalled: program, shortcuts, start at login and uninstall entry gone; settings, history and $keys_stored keys kept"

# 6. Install again and uninstall with /PURGE: the data and the keys go too.
install "$setup"
wine "$inst/uninstall.exe" /S /PURGE
uninstaller_done
wait_gone "$inst"
wait_gone "$data"
[ "$(stored_keys)" = 0 ] || fail "/PURGE left $(stored_keys) keys in the Credential Manager"
echo "uninstalled with /PURGE: settings, history and keys gone"

# 7. Another program's folder, named with /D= (no folder page to refuse it): setup refuses too.
foreign=$WINEPREFIX/drive_c/other-program
mkdir -p "$foreign" && echo theirs >"$foreign/other.dll"
rc=0
timeout 120 wine "$setup" /S '/D=C:\other-program' >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "a silent install into another program's folder exited $rc, not 2"
[ ! -e "$foreign/llm-relay.exe" ] && [ "$(ls "$foreign")" = other.dll ] \
  || fail "setup wrote into another program's folder: $(ls "$foreign")"
echo "another program's folder (/D=): refused with exit code 2, nothing written"
echo "installer check passed: $(basename "$setup")"
