#!/usr/bin/env bash
# disk-boot.sh CPU CASE EFI [runner args…]: Path B end to end: a GPT disk with an ext4 root filesystem holding
# Debian's kernel for CPU and the marker initrd (tests/fixtures/mkbootdisk.sh) is attached as the second
# virtio-blk disk; the loader finds it from cloudboot.disk=, reads kernel + initrd, and the kernel must reach
# the marker initrd's userspace. Refusal cases must print the reason and return to the firmware.
#   ok        by filesystem label            gzip      the kernel stored gzip-compressed (decompressed by us)
#   partnum   /dev/vdb2                      vfat      the root filesystem is FAT, not ext4
#   nolabel   a label no disk has: refused   nokernel  cloudboot.disk.kernel= names a missing file: refused
#   debian    an unmodified Debian 12 root filesystem (tests/fixtures/mkdebianroot.sh, x86_64): its own kernel
#             and initramfs, up to systemd's multi-user target and the getty's login banner
#   payload   tests/payload's EFI probe instead of a Linux kernel (PAYLOAD=its .efi): it must print the exact
#             initrd size and CRC-32 it received through LoadFile2 and the cmdline (loongarch64's disk test)
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 CPU CASE EFI [runner args...]" >&2; exit 2; }
cpu=$1 case=$2 efi=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

console=ttyS0
case $cpu in aarch64) console=ttyAMA0 ;; esac
fs=ext4 knobs="cloudboot.disk=/dev/disk/by-label/cbroot" timeout=150 expect=("CLOUD-BOOT-USERSPACE-OK $cpu") fail=()
case $case in
  ok) ;;
  gzip) export GZIP_KERNEL=1; expect+=("^kernel: gzip, [0-9]+ bytes decompressed to [0-9]+") ;;
  partnum) knobs="cloudboot.disk=/dev/vdb2" ;;
  vfat) fs=vfat; knobs="cloudboot.disk=/dev/disk/by-label/CBROOT" ;;
  nolabel) knobs="cloudboot.disk=/dev/disk/by-label/nope"
           expect=("error: cloudboot.disk: no filesystem label 'nope' on 2 disks" "failed, returning to firmware") ;;
  debian) knobs="cloudboot.disk=/dev/disk/by-label/debroot" timeout=400
          expect=("Reached target .*Multi-User System" "^Debian GNU/Linux 12 cloud-boot-test ttyS0") ;;
  payload) [ -r "${PAYLOAD:-}" ] || { echo "disk-boot.sh: payload needs PAYLOAD=<payload .efi>" >&2; exit 2; }
           export KERNEL=$PAYLOAD ;;
  nokernel) knobs+=" cloudboot.disk.kernel=/boot/vmlinuz-missing"
            expect=("error: .*/boot/vmlinuz-missing" "failed, returning to firmware") ;;
  *) echo "disk-boot.sh: unknown case '$case'" >&2; exit 2 ;;
esac
if [ "$case" = debian ]; then
  "$here/../fixtures/mkdebianroot.sh" "$work/root.img"
else
  "$here/../fixtures/mkbootdisk.sh" "$cpu" "$work/root.img" "$fs"
fi
if [ "$case" = payload ]; then
  read -r isize icrc < "$work/root.img.initrd"
  expect=("^CLOUD-BOOT-PAYLOAD-OK $cpu initrd=$isize crc32=$icrc cmdline=\"console=$console panic=-1 root=UUID=")
fi
args=()
for x in "${expect[@]}"; do args+=(--expect "$x"); done
# A refusal must not start anything.
case $case in nolabel|nokernel) args+=(--fail "StartImage" --fail "^error: panic: ") ;; esac
exec "$here/run-$cpu.sh" --disk "$work/root.img" \
  --cmdline "$knobs cloudboot.cmdline=\"console=$console panic=-1\"" "${args[@]}" --timeout "$timeout" "$@" "$efi"
