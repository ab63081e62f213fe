#!/usr/bin/env bash
# uki-boot.sh CPU EFI [CASE [runner args…]]: a UKI made by `cloud-boot build` from EFI (this CPU's UKI stub) is
# booted as the runner's EFI file. CLOUD_BOOT=the cloud-boot binary (default build/host's); PAYLOAD=tests/payload's
# .efi for the payload cases.
#   linux      Debian's kernel + the marker initrd (tests/fixtures/mkinitrd.sh): must reach its userspace
#   iso        the same UKI written into a hybrid ISO by `build --iso` (cloud-boot-iso), booted from that disk
#   payload    tests/payload's EFI probe as .linux: must report the exact initrd (size, CRC-32) and cmdline
#   wrongarch  the payload UKI with its .linux patched to PE machine 0x8664 (0xaa64 on x86_64): the stub must
#              refuse it, say why, start nothing and return to the firmware
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 CPU EFI [linux|iso|payload|wrongarch [runner args...]]" >&2; exit 2; }
cpu=$1 stub=$2 case=${3:-linux}
shift $(($# >= 3 ? 3 : 2))
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cloud_boot=${CLOUD_BOOT:-$top/build/host/host-tools/cloud-boot/cloud-boot}
[ -x "$cloud_boot" ] || { echo "uki-boot.sh: no cloud-boot at $cloud_boot (make build-host, or CLOUD_BOOT=…)" >&2; exit 3; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

console=ttyS0
case $cpu in aarch64) console=ttyAMA0 ;; esac
cmdline="console=$console panic=-1"
"$here/../fixtures/mkinitrd.sh" "$cpu" "$work/initrd.cpio"
read -r isize icrc < <(python3 -c 'import sys, zlib; d = open(sys.argv[1], "rb").read(); print(len(d), "%08x" % zlib.crc32(d))' "$work/initrd.cpio")

build=("$cloud_boot" build --arch "$cpu" --stub "$stub" --initrd "$work/initrd.cpio" --cmdline "$cmdline" -o "$work/uki.efi")
# The runner's default failure patterns (a loader panic, CPU exceptions) plus the stub giving up.
fails=(--fail "^error: panic: " --fail "!!!! .*Exception" --fail "Synchronous Exception" --fail "Unhandled exception"
       --fail "Load access fault|Store/AMO access fault|Illegal instruction at")
args=("${fails[@]}" --fail "failed, returning to firmware")
case $case in
  linux|iso)
    kernel=$top/third_party/kernels/$cpu/vmlinuz
    [ -r "$kernel" ] || { echo "uki-boot.sh: no kernel for $cpu at $kernel (run 'make deps')" >&2; exit 3; }
    if [ "$case" = iso ]; then build+=(--iso "$work/boot.iso"); fi
    "${build[@]}" --kernel "$kernel"
    ver=$(sed -n 's/^linux-image-\([^ ]*\) .*/\1/p' "$top/third_party/kernels/$cpu/version")
    args+=(--expect "^uki: stub [0-9][^ ]* $cpu, kernel ${ver//+/\\+} \\(cloud-boot UKI\\): linux [0-9]+ bytes, initrd $isize bytes, cmdline ${#cmdline} bytes\$"
           --expect "CLOUD-BOOT-USERSPACE-OK $cpu") ;;
  payload|wrongarch)
    [ -r "${PAYLOAD:-}" ] || { echo "uki-boot.sh: $case needs PAYLOAD=<payload .efi>" >&2; exit 2; }
    "${build[@]}" --kernel "$PAYLOAD" --uname payload
    if [ "$case" = payload ]; then
      args+=(--expect "^CLOUD-BOOT-PAYLOAD-OK $cpu initrd=$isize crc32=$icrc cmdline=\"$cmdline\"\$")
    else
      # Patch the PE Machine of the image inside .linux (found through the UKI's section table).
      wrong=$([ "$cpu" = x86_64 ] && echo 0xaa64 || echo 0x8664)
      python3 - "$work/uki.efi" "$wrong" <<'PY'
import struct, sys
path, machine = sys.argv[1], int(sys.argv[2], 16)
d = bytearray(open(path, "rb").read())
pe = struct.unpack_from("<I", d, 0x3c)[0]
n, opt = struct.unpack_from("<H", d, pe + 6)[0], struct.unpack_from("<H", d, pe + 20)[0]
for i in range(n):
    h = pe + 24 + opt + 40 * i
    if d[h:h + 8].rstrip(b"\0") == b".linux":
        raw = struct.unpack_from("<I", d, h + 20)[0]
        struct.pack_into("<H", d, raw + struct.unpack_from("<I", d, raw + 0x3c)[0] + 4, machine)
        open(path, "wb").write(d)
        sys.exit(0)
sys.exit("no .linux section")
PY
      args=(--expect "^error: uki: \.linux \(kernel payload\): PE machine $wrong is not this CPU's \($cpu, 0x[0-9a-f]{4}\)"
            --expect "failed, returning to firmware" "${fails[@]}" --fail "StartImage" --fail "CLOUD-BOOT-PAYLOAD-OK")
    fi ;;
  *) echo "uki-boot.sh: unknown case '$case'" >&2; exit 2 ;;
esac
# Not exec: the trap removes the UKI and initrd afterwards.
rc=0
boot=("$work/uki.efi")
if [ "$case" = iso ]; then boot=(--boot-disk "$work/boot.iso"); fi
"$here/run-$cpu.sh" "${args[@]}" --timeout 200 "$@" "${boot[@]}" || rc=$?
exit $rc
