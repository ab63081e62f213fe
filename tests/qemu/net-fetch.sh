#!/usr/bin/env bash
# net-fetch.sh: the loader's network path end to end in QEMU: DHCP from QEMU's user network, then
# cloudboot.fetch= of a file served by tests/net/http_test_server.py on the host's loopback (10.0.2.2 in the
# guest), checked against the host's sha256sum; fault cases check the one-line error instead.
# Usage: net-fetch.sh CPU CASE EFI-FILE [--firmware edk2|uboot]
#   CASE: ok | resume | chunked | redirect | 404 | 500 | nodhcp | small
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cpu=${1:?usage: net-fetch.sh CPU CASE EFI-FILE [runner options]} case=${2:?CASE} efi=${3:?EFI-FILE}
shift 3

work=$(mktemp -d "${TMPDIR:-/tmp}/cloud-boot-net.XXXXXX")
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$work/www"
}
trap cleanup EXIT

mkdir -p "$work/www"
head -c 3000000 /dev/urandom > "$work/www/blob"
head -c 1000 /dev/urandom > "$work/www/tiny"
sum=$(sha256sum "$work/www/blob" | cut -d' ' -f1)
tiny_sum=$(sha256sum "$work/www/tiny" | cut -d' ' -f1)

# The server prints its port on its first line; reading it is the synchronisation (no sleeps).
coproc SERVER { exec python3 "$here/../net/http_test_server.py" --root "$work/www" --host 127.0.0.1 --port 0; }
server_pid=$SERVER_PID
read -r -t 20 port <&"${SERVER[0]}" || { echo "net-fetch: test server did not start" >&2; exit 1; }
base="http://10.0.2.2:$port"

knobs="cloudboot.debug=1"
run_args=(--net)
case $case in
  ok)       url="$base/blob";                   expect=("^fetch: $url: 3000000 bytes sha256 $sum ") ;;
  small)    url="$base/tiny";                   expect=("^fetch: $url: 1000 bytes sha256 $tiny_sum ") ;;
  resume)   url="$base/blob?drop=700000&times=2"; expect=("^fetch: .*: 3000000 bytes sha256 $sum ") ;;
  chunked)  url="$base/blob?chunked=1&ext=1";   expect=("^fetch: .*: 3000000 bytes sha256 $sum ") ;;
  redirect) url="$base/_chain/3/rel/blob";      expect=("^fetch: .*: 3000000 bytes sha256 $sum ") ;;
  404)      url="$base/missing"
            expect=("^error: http: GET $url: 404 Not Found$" "failed, returning to firmware") ;;
  500)      url="$base/_status/500"
            expect=("^error: http: GET $url: 500 " "failed, returning to firmware") ;;
  nodhcp)   url="$base/blob"
            knobs="$knobs cloudboot.net.dhcp-timeout=3"
            # A NIC on a hub with nothing else on it: no DHCP server will ever answer.
            run_args=(--netdev hubport,id=net0,hubid=0)
            expect=("^error: net: DHCP: no lease after 3 s" "failed, returning to firmware") ;;
  *) echo "net-fetch: unknown case '$case'" >&2; exit 2 ;;
esac

args=("${run_args[@]}" --cmdline "$knobs cloudboot.fetch=$url" --timeout 150 "$@")
for x in "${expect[@]}"; do args+=(--expect "$x"); done
"$here/run-$cpu.sh" "${args[@]}" "$efi"
