#!/usr/bin/env bash
# disk-bench.sh: QEMU start → StartImage (the kernel's EFI stub running) and → the userspace marker, Debian's
# x86_64 kernel + the marker initrd, disk mode (ext4 on a virtio-blk disk) vs the network path (TLS registry,
# signed plan and artifact), same VM shape (q35, 1 vCPU, 1 GiB, TCG), same run.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
efi="$top/build/x86_64/boot/BOOTX64.EFI"
[ -f "$efi" ] || { echo "disk-bench: $efi missing: run 'make build-x86_64'" >&2; exit 1; }
at() { printf '%s\n' "$2" | sed -n "s/^run-x86_64: matched '$1' at \([0-9]*\) ms$/\1/p" | head -n 1; }
marker='CLOUD-BOOT-USERSPACE-OK x86_64'
out=$("$top/tests/qemu/disk-boot.sh" x86_64 ok "$efi" --expect 'EFI stub: ' 2>&1) ||
  { printf '%s\n' "$out" | tail -n 30 >&2; exit 1; }
disk_start=$(at 'EFI stub: ' "$out") disk_marker=$(at "$marker" "$out")
out=$("$top/tests/e2e/e2e.sh" x86_64 ok "$efi" --expect 'EFI stub: ' 2>&1) ||
  { printf '%s\n' "$out" | tail -n 30 >&2; exit 1; }
net_start=$(at 'EFI stub: ' "$out") net_marker=$(at "$marker" "$out")
printf 'disk-bench: Debian x86_64 kernel + marker initrd, x86_64 TCG q35 1 vCPU 1 GiB, one run\n'
printf '  %-40s StartImage %6d ms   userspace marker %6d ms\n' "disk mode (ext4, virtio-blk)" "$disk_start" "$disk_marker"
printf '  %-40s StartImage %6d ms   userspace marker %6d ms\n' "network (HTTPS, plan, cosign)" "$net_start" "$net_marker"
awk -v a="$disk_start" -v b="$net_start" 'BEGIN { printf "  ratio: disk StartImage %.2fx the network path\n", a / b }'
