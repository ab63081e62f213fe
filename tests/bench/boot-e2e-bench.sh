#!/usr/bin/env bash
# boot-e2e-bench.sh: QEMU start → the kernel's EFI stub running (StartImage) and → the userspace marker, with
# Debian's x86_64 kernel and an initrd padded to SIZE_MiB of incompressible data. Ours: the full e2e path
# (TLS registry, signed plan and artifact, cosign checks, tests/e2e/e2e.sh ok); iPXE (trixie's ipxe-amd64.efi):
# `kernel`/`initrd`/`boot` of the same two files over plain HTTP. Same VM shape (q35, 1 vCPU, 1 GiB, TCG,
# -netdev user), same run. Usage: tests/bench/boot-e2e-bench.sh [SIZE_MiB (default 100)]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
mib=${1:-100}
efi="$top/build/x86_64/boot/BOOTX64.EFI"
ipxe="$top/third_party/firmware/usr/lib/ipxe/ipxe-amd64.efi"
[ -f "$efi" ] || { echo "boot-e2e-bench: $efi missing: run 'make build-x86_64'" >&2; exit 1; }
[ -f "$ipxe" ] || { echo "boot-e2e-bench: $ipxe missing: run 'make deps'" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/cloud-boot-bench.XXXXXX")
server_pid=""
trap '[ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
at() { printf '%s\n' "$2" | sed -n "s/^run-x86_64: matched '$1' at \([0-9]*\) ms$/\1/p" | head -n 1; }
marker='CLOUD-BOOT-USERSPACE-OK x86_64'

out=$(PAD_MIB=$mib "$top/tests/e2e/e2e.sh" x86_64 ok "$efi" --expect 'EFI stub: ' 2>&1) ||
  { printf '%s\n' "$out" | tail -n 30 >&2; exit 1; }
ours_start=$(at 'EFI stub: ' "$out") ours_marker=$(at "$marker" "$out")

mkdir -p "$work/www"
cp "$top/third_party/kernels/x86_64/vmlinuz" "$work/www/vmlinuz"
PAD_MIB=$mib "$top/tests/fixtures/mkinitrd.sh" x86_64 "$work/www/initrd.img"
coproc SERVER { exec python3 "$top/tests/net/http_test_server.py" --root "$work/www" --host 127.0.0.1 --port 0; }
server_pid=$SERVER_PID
read -r -t 20 port <&"${SERVER[0]}"
base="http://10.0.2.2:$port"
printf '#!ipxe\ndhcp\nkernel %s/vmlinuz console=ttyS0 panic=-1\ninitrd %s/initrd.img\nboot\n' "$base" "$base" \
  > "$work/autoexec.ipxe"
out=$(QUIET=1 "$top/tests/qemu/run-x86_64.sh" --net --timeout 600 --esp-file "$work/autoexec.ipxe=autoexec.ipxe" \
      --esp-file "$work/autoexec.ipxe=EFI/BOOT/autoexec.ipxe" --expect 'EFI stub: ' --expect "$marker" "$ipxe" 2>&1) ||
  { printf '%s\n' "$out" | tail -n 30 >&2; exit 1; }
ipxe_start=$(at 'EFI stub: ' "$out") ipxe_marker=$(at "$marker" "$out")

printf 'boot-e2e-bench: Debian x86_64 kernel + %d MiB initrd, x86_64 TCG q35 1 vCPU 1 GiB, -netdev user, one run\n' "$mib"
printf '  %-44s StartImage %6d ms   userspace marker %6d ms\n' "cloud-boot (HTTPS, plan, cosign, digests)" \
  "$ours_start" "$ours_marker"
printf '  %-44s StartImage %6d ms   userspace marker %6d ms\n' "iPXE $(basename "$ipxe") (plain HTTP)" \
  "$ipxe_start" "$ipxe_marker"
awk -v a="$ours_start" -v b="$ipxe_start" -v c="$ours_marker" -v d="$ipxe_marker" \
  'BEGIN { printf "  ratio: StartImage %.2fx iPXE, userspace marker %.2fx iPXE (target: StartImage <= 0.5x)\n", a / b, c / d }'
