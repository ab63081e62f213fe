#!/usr/bin/env bash
# https-bench.sh: HTTPS download throughput and QEMU start -> download complete, our loader (HTTPS, SHA-256 of
# the body checked against the host's) vs iPXE (trixie's ipxe-amd64.efi) over HTTPS and over plain HTTP, same
# x86_64 TCG VM (q35, 1 vCPU, 1 GiB, -netdev user), same file, same server program (tests/net/http_test_server.py,
# one instance with --tls, one without, one directory), in one run; then BearSSL's MB/s on the host (tls-bench).
# Certificate: tests/net/mkcert.py's EC P-256 CA and server key, trusted by both through OVMF's TlsCaCertificate
# (fw_cfg etc/edk2/https/cacerts). iPXE 2.0 takes ECDSA as well as RSA (it negotiates ECDHE-ECDSA-AES128-GCM);
# without the CA it refuses the server ("Permission denied"), so both really verify the chain.
# Usage: tests/bench/https-bench.sh [SIZE_MiB (default 100)]   RUNS=N for medians over N runs (default 1)
#   EFI=FILE       the loader (default build/x86_64/boot/BOOTX64.EFI)
#   QEMU_CPU=MODEL -cpu MODEL for all three VMs, e.g. max (AES-NI and PCLMUL under TCG); default QEMU's qemu64
#   TLS_BENCH=FILE the host tls-bench (default build/host/tests/unit/tls-bench)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
mib=${1:-100} runs=${RUNS:-1}
efi=${EFI:-$top/build/x86_64/boot/BOOTX64.EFI}
tls_bench=${TLS_BENCH:-$top/build/host/tests/unit/tls-bench}
ipxe="$top/third_party/firmware/usr/lib/ipxe/ipxe-amd64.efi"
[ -f "$efi" ] || { echo "https-bench: $efi missing: run 'make build-x86_64'" >&2; exit 1; }
[ -f "$ipxe" ] || { echo "https-bench: $ipxe missing: run 'make deps'" >&2; exit 1; }
[ -x "$tls_bench" ] || { echo "https-bench: $tls_bench missing: run 'make build-host'" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/cloud-boot-https-bench.XXXXXX")
pids=()
cleanup() {
  local p
  for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/www" "$work/ca"
head -c $((mib * 1048576)) /dev/urandom > "$work/www/blob"
bytes=$((mib * 1048576))
sum=$(sha256sum "$work/www/blob" | cut -d' ' -f1)

# The test CA as an EFI signature list, the shape OVMF wants in etc/edk2/https/cacerts.
python3 "$top/tests/net/mkcert.py" "$work/ca"
openssl x509 -in "$work/ca/ca.crt" -outform der -out "$work/ca/ca.der"
python3 "$top/tests/net/mkesl.py" "$work/ca/ca.der" "$work/ca/ca.esl"

# The two servers print their port first (read as the synchronisation); the TLS one logs each connection's
# suite ("tls: 127.0.0.1 TLSv1.2 SUITE") to tls.log.
server="$top/tests/net/http_test_server.py"
exec {plain_out}< <(exec python3 "$server" --root "$work/www" --host 127.0.0.1 --port 0)
pids+=($!)
exec {tls_out}< <(exec python3 "$server" --root "$work/www" --host 127.0.0.1 --port 0 --verbose \
                    --tls "$work/ca/server.crt" "$work/ca/server.key" 2>"$work/tls.log")
pids+=($!)
read -r -t 20 plain_port <&"$plain_out" || { echo "https-bench: HTTP server did not start" >&2; exit 1; }
read -r -t 20 tls_port <&"$tls_out" || { echo "https-bench: HTTPS server did not start" >&2; exit 1; }
http_url="http://10.0.2.2:$plain_port/blob" https_url="https://10.0.2.2:$tls_port/blob"

cpu_name="qemu64 (QEMU's default)" cpu_args=()
if [ -n "${QEMU_CPU:-}" ]; then
  cpu_name=$QEMU_CPU cpu_args=(--cpu "$QEMU_CPU")
fi

# at PATTERN OUTPUT: the runner's "matched 'PATTERN' at N ms" figure.
at() { printf '%s\n' "$2" | sed -n "s/^run-x86_64: matched '$1' at \([0-9]*\) ms$/\1/p" | head -n 1; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mbs() { awk -v b="$1" -v ms="$2" 'BEGIN { printf "%.1f", (ms > 0 ? b / ms / 1000 : 0) }'; }
last_suite() { sed -n 's/^http_test_server: tls: [^ ]* [^ ]* \(.*\)$/\1/p' "$work/tls.log" | tail -n 1; }
run() { QUIET=1 "$top/tests/qemu/run-x86_64.sh" --net --timeout 900 ${cpu_args[@]+"${cpu_args[@]}"} "$@" 2>&1; }

# ipxe_run URL: one iPXE download of URL; sets s and d (ms since QEMU start).
ipxe_run() {
  printf '#!ipxe\ndhcp\necho IPXE-START\nimgfetch %s || echo IPXE-FAIL\necho IPXE-DONE\n' "$1" > "$work/autoexec.ipxe"
  out=$(run --fw-cfg "etc/edk2/https/cacerts=$work/ca/ca.esl" --esp-file "$work/autoexec.ipxe=autoexec.ipxe" \
        --esp-file "$work/autoexec.ipxe=EFI/BOOT/autoexec.ipxe" --fail IPXE-FAIL --fail '!!!! .*Exception' \
        --expect IPXE-START --expect IPXE-DONE "$ipxe") || { printf '%s\n' "$out" >&2; exit 1; }
  s=$(at IPXE-START "$out") d=$(at IPXE-DONE "$out")
}

ours_rate=() ours_done=() tls_rate=() tls_done=() http_rate=() http_done=()
for i in $(seq "$runs"); do
  out=$(run --fw-cfg "etc/edk2/https/cacerts=$work/ca/ca.esl" --cmdline "cloudboot.fetch=$https_url" \
        --log "$work/ours-$i.log" --expect 'fetch https://' --expect '^fetch: ' "$efi") ||
    { printf '%s\n' "$out" >&2; exit 1; }
  got=$(sed -n 's/^fetch: [^ ]*: \([0-9]*\) bytes sha256 \([0-9a-f]*\) .*/\1 \2/p' "$work/ours-$i.log")
  if [ "$got" != "$bytes $sum" ]; then
    printf 'https-bench: FAIL: cloud-boot fetched "%s", the host has "%s %s" (serial log kept: %s)\n' \
      "$got" "$bytes" "$sum" "${TMPDIR:-/tmp}/https-bench-ours.log" >&2
    cp "$work/ours-$i.log" "${TMPDIR:-/tmp}/https-bench-ours.log"
    exit 1
  fi
  ours_suite=$(last_suite)
  s=$(at 'fetch https:\/\/' "$out") d=$(at '^fetch: ' "$out")
  ours_rate+=("$(mbs "$bytes" $((d - s)))") ours_done+=("$d")
  ipxe_run "$https_url"
  ipxe_suite=$(last_suite)
  tls_rate+=("$(mbs "$bytes" $((d - s)))") tls_done+=("$d")
  ipxe_run "$http_url"
  http_rate+=("$(mbs "$bytes" $((d - s)))") http_done+=("$d")
done
or=$(median "${ours_rate[@]}") od=$(median "${ours_done[@]}")
tr=$(median "${tls_rate[@]}") td=$(median "${tls_done[@]}")
hr=$(median "${http_rate[@]}") hd=$(median "${http_done[@]}")
printf 'https-bench: %d MiB, x86_64 TCG q35 -cpu %s, 1 vCPU 1 GiB, -netdev user, %d run(s), medians\n' \
  "$mib" "$cpu_name" "$runs"
printf '  loader %s\n' "$efi"
printf '  %-52s %7s MB/s   QEMU start -> download complete %6d ms\n' \
  "cloud-boot HTTPS + SHA-256 ($ours_suite)" "$or" "$od" \
  "iPXE HTTPS ($ipxe_suite)" "$tr" "$td" \
  "iPXE plain HTTP" "$hr" "$hd"
awk -v a="$or" -v b="$tr" -v c="$hr" -v d="$od" -v e="$td" -v f="$hd" 'BEGIN {
  r1 = b > 0 ? a / b : 0; r2 = c > 0 ? a / c : 0
  printf "  ratio: throughput %.2fx iPXE HTTPS (target >= 8: %s), %.2fx iPXE plain HTTP (target >= 1.5: %s)\n",
         r1, (r1 >= 8 ? "met" : "NOT met"), r2, (r2 >= 1.5 ? "met" : "NOT met")
  printf "  ratio: time to download complete %.2fx iPXE HTTPS, %.2fx iPXE plain HTTP\n",
         (e > 0 ? d / e : 0), (f > 0 ? d / f : 0) }'
printf 'host (%s):\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
"$tls_bench" | sed 's/^/  /'
