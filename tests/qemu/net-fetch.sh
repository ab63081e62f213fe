#!/usr/bin/env bash
# net-fetch.sh: the loader's network path end to end in QEMU: DHCP from QEMU's user network, then
# cloudboot.fetch= of a file served by tests/net/http_test_server.py on the host's loopback (10.0.2.2 in the
# guest), checked against the host's sha256sum; fault cases check the one-line error instead. The https cases
# serve the file with `openssl s_server -WWW` and a test CA made here, handed to the loader as OVMF's
# TlsCaCertificate (fw_cfg etc/edk2/https/cacerts, x86_64 OVMF) or as cloudboot-ca.pem next to it.
# Usage: net-fetch.sh CPU CASE EFI-FILE [--firmware edk2|uboot]
#   CASE: ok | resume | chunked | redirect | 404 | 500 | nodhcp | small | https | https-file | https-untrusted
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cpu=${1:?usage: net-fetch.sh CPU CASE EFI-FILE [runner options]} case=${2:?CASE} efi=${3:?EFI-FILE}
shift 3

work=$(mktemp -d "${TMPDIR:-/tmp}/cloud-boot-net.XXXXXX")
server_pid="" tls_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  [ -z "$tls_pid" ] || kill "$tls_pid" 2>/dev/null || true
  rm -rf "$work/www" "$work/tls"
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

# https: a CA and a certificate for 10.0.2.2 (BearSSL matches an IP host against a dNSName), then s_server
# on the host's loopback; it prints "ACCEPT 127.0.0.1:PORT" once listening (read as the synchronisation).
start_tls_server() {
  local t=$work/tls
  mkdir -p "$t"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$t/ca.key" -out "$t/ca.pem" \
    -subj "/CN=cloud-boot net-fetch CA" -days 2 -addext basicConstraints=critical,CA:TRUE 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$t/srv.key" -out "$t/srv.csr" \
    -subj "/CN=10.0.2.2" 2>/dev/null
  printf 'subjectAltName=DNS:10.0.2.2,IP:10.0.2.2\nbasicConstraints=CA:FALSE\n' > "$t/ext"
  openssl x509 -req -in "$t/srv.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" -CAcreateserial -days 2 \
    -extfile "$t/ext" -out "$t/srv.pem" 2>/dev/null
  openssl x509 -in "$t/ca.pem" -outform der -out "$t/ca.der"
  # One EFI_SIGNATURE_LIST (EFI_CERT_X509_GUID) holding the CA: the shape OVMF expects in etc/edk2/https/cacerts.
  python3 "$here/../net/mkesl.py" "$t/ca.der" "$t/ca.esl"
  # Process substitution, not a second coproc (bash runs one at a time).
  exec {tls_out}< <(cd "$work/www" && exec openssl s_server -accept 127.0.0.1:0 -cert "$t/srv.pem" \
    -key "$t/srv.key" -WWW 2>/dev/null)
  tls_pid=$!
  local line n
  for n in 1 2 3 4 5; do
    read -r -t 20 line <&"$tls_out" || break
    if [[ $line =~ ^ACCEPT\ .*:([0-9]+)$ ]]; then
      tls_base="https://10.0.2.2:${BASH_REMATCH[1]}"
      return
    fi
  done
  echo "net-fetch: openssl s_server did not start" >&2
  exit 1
}

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
  https | https-file | https-untrusted)
            start_tls_server
            url="$tls_base/blob"
            expect=("^fetch: $url: 3000000 bytes sha256 $sum ")
            case $case in
              https) run_args+=(--fw-cfg "etc/edk2/https/cacerts=$work/tls/ca.esl") ;;
              https-file) run_args+=(--esp-file "$work/tls/ca.pem=EFI/BOOT/cloudboot-ca.pem") ;;
              https-untrusted)
                expect=("^error: http: GET $url: tls: 10\.0\.2\.2: certificate not trusted \(BearSSL error 62: X509_NOT_TRUSTED\)$"
                        "failed, returning to firmware") ;;
            esac ;;
  *) echo "net-fetch: unknown case '$case'" >&2; exit 2 ;;
esac

args=("${run_args[@]}" --cmdline "$knobs cloudboot.fetch=$url" --timeout 150 "$@")
for x in "${expect[@]}"; do args+=(--expect "$x"); done
"$here/run-$cpu.sh" "${args[@]}" "$efi"
