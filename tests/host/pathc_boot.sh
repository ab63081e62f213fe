#!/usr/bin/env bash
# pathc_boot.sh: Path C's switch, end to end under QEMU: a cache disk made by `cloud-boot cache-disk` holding
# the loader as \EFI\Linux\demo-vmlinuz.efi (and no \EFI\BOOT), a firmware VARS file edited by `cloud-boot
# nvram set`; the firmware must start the loader from Boot0001. Control: the same disk with fresh VARS must
# not print the banner. One VM at a time; x86_64 (OVMF), riscv64 and loongarch64 (EDK2, formatted VARS).
# Usage: pathc_boot.sh CLOUD-BOOT WORKDIR. Exit 77 when a loader or firmware file is missing.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 CLOUD-BOOT WORKDIR" >&2; exit 2; }
cb=$(realpath "$1") work=$2
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export MTOOLS_SKIP_CHECK=1
declare -A efi=([x86_64]=BOOTX64 [riscv64]=BOOTRISCV64 [loongarch64]=BOOTLOONGARCH64)
declare -A vars=([x86_64]=/usr/share/OVMF/OVMF_VARS_4M.fd [riscv64]=/usr/share/qemu-efi-riscv64/RISCV_VIRT_VARS.fd
                 [loongarch64]=/usr/share/qemu-efi-loongarch64/QEMU_VARS.fd)
# Firmware that logs which boot option it starts (OVMF, LoongArch EDK2); riscv64's build does not.
declare -A bds=([x86_64]=1 [loongarch64]=1)

rm -rf "$work"
mkdir -p "$work"
failed=() skipped=() passed=()
for cpu in x86_64 riscv64 loongarch64; do
  loader="" vf=""
  for c in "$top/build/iso-$cpu/boot/${efi[$cpu]}.EFI" "$top/build/$cpu/boot/${efi[$cpu]}.EFI"; do
    [ -f "$c" ] && { loader=$c; break; }
  done
  for c in "${vars[$cpu]}" "$top/third_party/firmware${vars[$cpu]}"; do
    [ -f "$c" ] && { vf=$c; break; }
  done
  if [ -z "$loader" ] || [ -z "$vf" ]; then
    echo "SKIP $cpu: ${loader:-no ${efi[$cpu]}.EFI} ${vf:-no ${vars[$cpu]}}"
    skipped+=("$cpu")
    continue
  fi
  d="$work/$cpu"
  mkdir -p "$d"
  "$cb" cache-disk "$d/cache.raw" 64 > /dev/null
  mcopy -i "$d/cache.raw@@1M" "$loader" ::/EFI/Linux/demo-vmlinuz.efi
  cp "$vf" "$d/vars.fd"
  "$cb" nvram set "$d/vars.fd" --disk "$d/cache.raw" --target demo > "$d/set.txt"
  guid=$(sed -n 's/^Boot0001\* cloud-boot demo\tHD(1,GPT,\([^,]*\),.*/\1/p' "$d/set.txt" | tr a-f A-F)
  [ -n "$guid" ] || { echo "FAIL $cpu: nvram set printed: $(cat "$d/set.txt")"; failed+=("$cpu"); continue; }
  expects=(--expect "^cloud-boot [0-9][^ ]* $cpu ")
  # LoongArch's console wraps at 80 columns: the line is matched up to the start of the partition GUID.
  [ -z "${bds[$cpu]:-}" ] ||
    expects+=(--expect "BdsDxe: starting Boot0001 \"cloud-boot demo\" from HD\\(1,GPT,${guid:0:8}-")
  rc=0
  QUIET=1 "$top/tests/qemu/run-$cpu.sh" --boot-disk "$d/cache.raw" --vars "$d/vars.fd" "${expects[@]}" \
    --timeout 180 --log "$d/boot.log" > "$d/boot.out" 2>&1 || rc=$?
  case $rc in
    0) echo "PASS $cpu: Boot0001 started \\EFI\\Linux\\demo-vmlinuz.efi: $(grep -a -m1 '^cloud-boot [0-9]' "$d/boot.log")" ;;
    3) echo "SKIP $cpu: $(tail -n1 "$d/boot.out")"; skipped+=("$cpu"); continue ;;
    *) echo "FAIL $cpu (log $d/boot.log):"; tail -n 5 "$d/boot.out"; failed+=("$cpu"); continue ;;
  esac
  rc=0
  QUIET=1 "$top/tests/qemu/run-$cpu.sh" --boot-disk "$d/cache.raw" --fail "^cloud-boot [0-9]" \
    --expect "UEFI Interactive Shell|No bootable option or device was found" \
    --timeout 180 --log "$d/control.log" > "$d/control.out" 2>&1 || rc=$?
  if [ $rc = 0 ]; then
    echo "PASS $cpu control: fresh VARS, the same disk, no banner"
    passed+=("$cpu")
  else
    echo "FAIL $cpu control (log $d/control.log):"; tail -n 5 "$d/control.out"; failed+=("$cpu-control")
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "FAILED: ${failed[*]}"; exit 1; }
[ ${#skipped[@]} -eq 0 ] || { echo "SKIPPED: ${skipped[*]}"; exit 77; }
echo "PASS: ${passed[*]}"
