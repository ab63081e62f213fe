#!/usr/bin/env bash
# net-bench.sh: download throughput and QEMU start → download complete, our loader vs iPXE (trixie's
# ipxe-amd64.efi), same x86_64 TCG VM (q35, 1 vCPU, 1 GiB, -netdev user), same host server, same file, in
# one run. Ours also computes the file's SHA-256 while downloading; iPXE only stores it.
# Usage: tests/bench/net-bench.sh [SIZE_MiB (default 100)]   RUNS=N for medians over N runs (default 1),
#   EFI=FILE another loader (default build/x86_64/boot/BOOTX64.EFI)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
mib=${1:-100} runs=${RUNS:-1}
efi=${EFI:-$top/build/x86_64/boot/BOOTX64.EFI}
ipxe="$top/third_party/firmware/usr/lib/ipxe/ipxe-amd64.efi"
[ -f "$efi" ] || { echo "net-bench: $efi missing: run 'make build-x86_64'" >&2; exit 1; }
[ -f "$ipxe" ] || { echo "net-bench: $ipxe missing: run 'make deps'" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/cloud-boot-bench.XXXXXX")
server_pid=""
trap '[ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/www"
head -c $((mib * 1048576)) /dev/urandom > "$work/www/blob"
bytes=$((mib * 1048576))
coproc SERVER { exec python3 "$top/tests/net/http_test_server.py" --root "$work/www" --host 127.0.0.1 --port 0; }
server_pid=$SERVER_PID
read -r -t 20 port <&"${SERVER[0]}"
url="http://10.0.2.2:$port/blob"

# at PATTERN OUTPUT: the runner's "matched 'PATTERN' at N ms" figure.
at() { printf '%s\n' "$2" | sed -n "s/^run-x86_64: matched '$1' at \([0-9]*\) ms$/\1/p" | head -n 1; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mbs() { awk -v b="$1" -v ms="$2" 'BEGIN { printf "%.1f", (ms > 0 ? b / ms / 1000 : 0) }'; }

printf '#!ipxe\ndhcp\necho IPXE-START\nimgfetch %s\necho IPXE-DONE\n' "$url" > "$work/autoexec.ipxe"
ours_rate=() ours_done=() ipxe_rate=() ipxe_done=()
for _ in $(seq "$runs"); do
  out=$(QUIET=1 "$top/tests/qemu/run-x86_64.sh" --net --timeout 600 --cmdline "cloudboot.fetch=$url" \
        --expect 'fetch http://' --expect '^fetch: ' "$efi" 2>&1) || { printf '%s\n' "$out" >&2; exit 1; }
  s=$(at 'fetch http:\/\/' "$out") d=$(at '^fetch: ' "$out")
  ours_rate+=("$(mbs "$bytes" $((d - s)))") ours_done+=("$d")
  out=$(QUIET=1 "$top/tests/qemu/run-x86_64.sh" --net --timeout 600 --esp-file "$work/autoexec.ipxe=autoexec.ipxe" \
        --esp-file "$work/autoexec.ipxe=EFI/BOOT/autoexec.ipxe" --expect IPXE-START --expect IPXE-DONE "$ipxe" 2>&1) ||
    { printf '%s\n' "$out" >&2; exit 1; }
  s=$(at IPXE-START "$out") d=$(at IPXE-DONE "$out")
  ipxe_rate+=("$(mbs "$bytes" $((d - s)))") ipxe_done+=("$d")
done
or=$(median "${ours_rate[@]}") od=$(median "${ours_done[@]}") ir=$(median "${ipxe_rate[@]}") id=$(median "${ipxe_done[@]}")
printf 'net-bench: %d MiB over HTTP, x86_64 TCG q35 1 vCPU 1 GiB, -netdev user, %d run(s), medians\n' "$mib" "$runs"
printf '  %-28s %10s MB/s   QEMU start -> download complete %6d ms\n' "cloud-boot (with SHA-256)" "$or" "$od"
printf '  %-28s %10s MB/s   QEMU start -> download complete %6d ms\n' "iPXE $(basename "$ipxe")" "$ir" "$id"
awk -v a="$or" -v b="$ir" -v c="$od" -v d="$id" \
  'BEGIN { printf "  ratio: throughput %.2fx iPXE, time to download complete %.2fx iPXE\n", (b > 0 ? a / b : 0), (d > 0 ? c / d : 0) }'
