#!/usr/bin/env bash
# boot-bench.sh: per CPU (and firmware), the loader's size and the time from QEMU start to its banner,
# median of RUNS runs (default 3). Figures, not a test: it fails only if a boot fails.
# Usage: tests/bench/boot-bench.sh [CPU…]   (default: all four; riscv64 on EDK2 and U-Boot)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
runs=${RUNS:-3}
cpus=("$@")
[ ${#cpus[@]} -gt 0 ] || cpus=(x86_64 aarch64 riscv64 loongarch64)

declare -A efi_names=([x86_64]=BOOTX64 [aarch64]=BOOTAA64 [riscv64]=BOOTRISCV64 [loongarch64]=BOOTLOONGARCH64)

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-12s %-6s %10s %14s %s\n' cpu fw size_bytes banner_ms_med "runs (ms)"
for cpu in "${cpus[@]}"; do
  efi="$top/build/$cpu/boot/${efi_names[$cpu]}.EFI"
  [ -f "$efi" ] || { echo "boot-bench: $efi missing: run 'make build-$cpu'" >&2; exit 1; }
  size=$(stat -c %s "$efi")
  fws=(edk2); [ "$cpu" != riscv64 ] || fws=(edk2 uboot)
  for fw in "${fws[@]}"; do
    times=()
    for _ in $(seq "$runs"); do
      out=$(QUIET=1 "$top/tests/qemu/run-$cpu.sh" --firmware "$fw" --timeout 150 "$efi" 2>&1) ||
        { printf '%s\n' "$out" >&2; echo "boot-bench: $cpu/$fw boot failed" >&2; exit 1; }
      times+=("$(printf '%s\n' "$out" | sed -n "s/^run-$cpu: matched .* at \([0-9]*\) ms$/\1/p" | head -n 1)")
    done
    printf '%-12s %-6s %10s %14s %s\n' "$cpu" "$fw" "$size" "$(median "${times[@]}")" "${times[*]}"
  done
done
