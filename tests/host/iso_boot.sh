#!/usr/bin/env bash
# iso_boot.sh: one multi-arch ISO made by cloud-boot-iso from the four cloud-boot loaders, booted as that
# same file on every CPU's EDK2 under QEMU, first as a CD-ROM (El Torito), then as a disk (GPT), one VM at a
# time; each boot must print the loader's banner for its own CPU.
# Usage: iso_boot.sh CLOUD-BOOT-ISO WORKDIR. Loaders: $ISO_LOADER_<cpu> if set, else build/iso-<cpu>/boot/ or
# build/<cpu>/boot/ (meson setup --cross-file arch/<cpu>/cross.ini build/iso-<cpu>; meson compile -C
# build/iso-<cpu> BOOTX64.EFI …). Exit 77 (skip) when a loader or firmware is missing, after booting the rest.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 CLOUD-BOOT-ISO WORKDIR" >&2; exit 2; }
tool=$(realpath "$1") work=$2
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PATH=$PATH:/usr/sbin:/sbin
declare -A efi=([x86_64]=BOOTX64 [aarch64]=BOOTAA64 [riscv64]=BOOTRISCV64 [loongarch64]=BOOTLOONGARCH64)
declare -A plat=([x86_64]=amd64 [aarch64]=arm64 [riscv64]=riscv64 [loongarch64]=loong64)
cpus="x86_64 aarch64 riscv64 loongarch64"

rm -rf "$work"
mkdir -p "$work"
args=() have=() skipped=()
for cpu in $cpus; do
  var="ISO_LOADER_$cpu" f=""
  for c in "${!var:-}" "$top/build/iso-$cpu/boot/${efi[$cpu]}.EFI" "$top/build/$cpu/boot/${efi[$cpu]}.EFI"; do
    if [ -n "$c" ] && [ -f "$c" ]; then f=$c; break; fi
  done
  if [ -z "$f" ]; then
    echo "SKIP $cpu: no ${efi[$cpu]}.EFI (meson compile -C build/iso-$cpu ${efi[$cpu]}.EFI)"
    skipped+=("$cpu")
    continue
  fi
  args+=(--uki "linux/${plat[$cpu]}=$f")
  have+=("$cpu")
done
[ ${#have[@]} -gt 0 ] || { echo "SKIP: no loader built"; exit 77; }

iso="$work/boot.iso"
"$tool" "${args[@]}" -o "$iso"
xorriso -indev "$iso" -report_el_torito plain 2>/dev/null | grep -q "^El Torito boot img : *1 *UEFI *y *none " ||
  { echo "FAIL: no EFI El Torito entry in $iso"; exit 1; }
sgdisk -v "$iso" | grep -q "^No problems found" || { echo "FAIL: sgdisk -v $iso"; exit 1; }
echo "image: $iso ($(stat -c %s "$iso") bytes, ${have[*]}), sha256 $(sha256sum < "$iso" | cut -c1-16)"

failed=()
for cpu in "${have[@]}"; do
  for mode in cdrom disk; do
    rc=0
    QUIET=1 "$top/tests/qemu/run-$cpu.sh" "--boot-$mode" "$iso" --expect "^cloud-boot [0-9][^ ]* $cpu " \
      --timeout 180 --log "$work/$cpu-$mode.log" > "$work/$cpu-$mode.out" 2>&1 || rc=$?
    case $rc in
      0) echo "PASS $cpu as $mode: $(grep -a -m1 '^cloud-boot [0-9]' "$work/$cpu-$mode.log")" ;;
      3) echo "SKIP $cpu as $mode: $(tail -n1 "$work/$cpu-$mode.out")"; skipped+=("$cpu-$mode") ;;
      *) echo "FAIL $cpu as $mode (log $work/$cpu-$mode.log):"; tail -n 5 "$work/$cpu-$mode.out"; failed+=("$cpu-$mode") ;;
    esac
  done
done
[ ${#failed[@]} -eq 0 ] || { echo "FAILED: ${failed[*]}"; exit 1; }
[ ${#skipped[@]} -eq 0 ] || { echo "SKIPPED: ${skipped[*]}"; exit 77; }
echo "PASS: the same image booted on ${have[*]} as CD-ROM and as disk"
