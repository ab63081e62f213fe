#!/usr/bin/env bash
# iso_test.sh: drives the real cloud-boot-iso and checks its images with independent tools: xorriso
# (-report_el_torito, -report_system_area, osirrox), sgdisk -v, fsck.vfat -n and mtools on the ESP.
# Usage: iso_test.sh list | iso_test.sh CLOUD-BOOT-ISO WORKDIR CASE   (exit 77: a tool is missing)
set -euo pipefail

cases="multiarch subset big wrong-arch truncated not-pe missing exists usage"
if [ "${1:-}" = list ]; then echo "$cases"; exit 0; fi
[ $# -eq 3 ] || { echo "usage: $0 list | $0 CLOUD-BOOT-ISO WORKDIR CASE" >&2; exit 2; }
tool=$(realpath "$1") work=$2/$3 case=$3
for t in xorriso osirrox sgdisk fsck.vfat mtype mdir python3; do
  command -v "$t" >/dev/null || PATH=$PATH:/usr/sbin:/sbin
  command -v "$t" >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
rm -rf "$work"
mkdir -p "$work"
cd "$work"
export MTOOLS_SKIP_CHECK=1 SOURCE_DATE_EPOCH=1796400000

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_run RC STDERR-SUBSTRING CMD...: runs CMD, checks its exit status and a substring of its stderr.
expect_run() {
  local want=$1 msg=$2 rc=0
  shift 2
  "$@" >out.txt 2>err.txt || rc=$?
  [ "$rc" = "$want" ] || fail "$* exited $rc, want $want; stderr: $(cat err.txt)"
  grep -qF -- "$msg" err.txt || fail "$*: stderr lacks '$msg': $(cat err.txt)"
}

# mkpe FILE MACHINE TEXT-BYTES: a PE32+ EFI application header with .text of random bytes (enough for
# the header check; these files are not meant to run).
mkpe() {
  python3 - "$@" <<'PY'
import os, struct, sys
path, machine, text = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3])
hdr = bytearray(0x400)
hdr[0:2] = b'MZ'; struct.pack_into('<I', hdr, 0x3c, 0x80); hdr[0x80:0x84] = b'PE\0\0'
struct.pack_into('<HHIIIHH', hdr, 0x84, machine, 1, 0, 0, 0, 240, 0x22)
o = 0x98
struct.pack_into('<H', hdr, o, 0x20b)
struct.pack_into('<II', hdr, o + 56, 0x1000 + text, 0x400)
struct.pack_into('<H', hdr, o + 68, 10)
s = o + 240
hdr[s:s + 5] = b'.text'
struct.pack_into('<IIII', hdr, s + 8, text, 0x1000, text, 0x400)
open(path, 'wb').write(bytes(hdr) + os.urandom(text))
PY
}

# esp_of ISO: extracts GPT partition 2 (the ESP) to esp.img and checks its start equals the El Torito image.
esp_of() {
  local iso=$1 start size lba
  sgdisk -v "$iso" > sgdisk.txt 2>&1 || fail "sgdisk -v: $(cat sgdisk.txt)"
  grep -q "^No problems found" sgdisk.txt || fail "sgdisk -v: $(cat sgdisk.txt)"
  start=$(sgdisk -i 2 "$iso" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
  size=$(sgdisk -i 2 "$iso" | sed -n 's/^Partition size: \([0-9]*\) sectors.*/\1/p')
  sgdisk -i 2 "$iso" | grep -q "Partition GUID code: C12A7328-F81F-11D2-BA4B-00A0C93EC93B" || fail "partition 2 is not an ESP"
  xorriso -indev "$iso" -report_el_torito plain -report_system_area plain > report.txt 2>&1 ||
    fail "xorriso: $(cat report.txt)"
  lba=$(sed -n 's/^El Torito boot img : *1 *UEFI *y *none *0x0000 *0x00 *[0-9]* *\([0-9]*\)$/\1/p' report.txt)
  [ -n "$lba" ] || fail "no UEFI no-emulation El Torito entry: $(cat report.txt)"
  [ $((lba * 4)) = "$start" ] || fail "El Torito image at block $lba, ESP at sector $start"
  grep -q "^El Torito img path : *1 */EFIBOOT.IMG" report.txt || fail "El Torito image path: $(cat report.txt)"
  grep -q "^MBR partition *: *1 *0x00 *0xee *1 " report.txt || fail "protective MBR: $(cat report.txt)"
  dd if="$iso" of=esp.img bs=512 skip="$start" count="$size" status=none
  fsck.vfat -n esp.img > fsck.txt 2>&1 || fail "fsck.vfat -n: $(cat fsck.txt)"
  osirrox -indev "$iso" -extract /EFIBOOT.IMG iso-file.img >/dev/null 2>&1 || fail "osirrox cannot extract /EFIBOOT.IMG"
  cmp -s iso-file.img esp.img || fail "ISO file /EFIBOOT.IMG differs from GPT partition 2"
  echo "$size"
}

# want_esp_sectors FILE...: the rule: total × 1.5 + 8 MiB, rounded up to 16 MiB, in sectors.
want_esp_sectors() {
  local total=0 f
  for f in "$@"; do total=$((total + $(stat -c %s "$f"))); done
  local need=$(( (total * 3 + 1) / 2 + 8 * 1048576 )) unit=$((16 * 1048576))
  echo $(( (need + unit - 1) / unit * unit / 512 ))
}

case $case in
multiarch)
  mkpe a.efi 0x8664 300000; mkpe b.efi 0xAA64 250000; mkpe c.efi 0x5064 200000; mkpe d.efi 0x6264 280000
  "$tool" --uki linux/amd64=a.efi --uki linux/arm64=b.efi --uki linux/riscv64=c.efi --uki linux/loong64=d.efi \
    -o boot.iso > out.txt 2> err.txt || fail "cloud-boot-iso: $(cat err.txt)"
  [ ! -s err.txt ] || fail "stderr not empty: $(cat err.txt)"
  size=$(esp_of boot.iso)
  [ "$size" = "$(want_esp_sectors a.efi b.efi c.efi d.efi)" ] || fail "ESP of $size sectors breaks the size rule"
  grep -q "^El Torito boot img : *1 *UEFI *y *none *0x0000 *0x00 *32768 *32$" report.txt || fail "load size: $(cat report.txt)"
  grep -q "^Volume id *: 'CLOUDBOOT'" report.txt || fail "volume id"
  mdir -b -i esp.img ::/EFI/BOOT | sort > dir.txt
  printf '%s\n' ::/EFI/BOOT/BOOTAA64.EFI ::/EFI/BOOT/BOOTLOONGARCH64.EFI ::/EFI/BOOT/BOOTRISCV64.EFI \
    ::/EFI/BOOT/BOOTX64.EFI | diff - dir.txt || fail "ESP listing"
  for p in a:BOOTX64 b:BOOTAA64 c:BOOTRISCV64 d:BOOTLOONGARCH64; do
    mtype -i esp.img "::/EFI/BOOT/${p#*:}.EFI" > got.efi
    cmp -s got.efi "${p%%:*}.efi" || fail "${p#*:}.EFI differs from its input"
  done
  [ $(( $(stat -c %s boot.iso) % 2048 )) = 0 ] || fail "image size is not a multiple of 2048"
  ;;
subset)
  mkpe b.efi 0xAA64 4096
  "$tool" --uki aarch64=b.efi -o one.iso 2> err.txt || fail "cloud-boot-iso: $(cat err.txt)"
  esp_of one.iso >/dev/null
  [ "$(mdir -b -i esp.img ::/EFI/BOOT)" = "::/EFI/BOOT/BOOTAA64.EFI" ] || fail "subset ESP: $(mdir -b -i esp.img ::/EFI/BOOT)"
  ;;
big)
  # 23 MiB of files: 1.5 × 23 + 8 = 42.5 → a 48 MiB ESP, more 512-byte sectors than El Torito's 16 bits hold.
  mkpe a.efi 0x8664 $((12 * 1048576)); mkpe d.efi 0x6264 $((11 * 1048576))
  "$tool" --uki amd64=a.efi --uki loongarch64=d.efi -o big.iso -V BIG_ONE 2> err.txt || fail "$(cat err.txt)"
  size=$(esp_of big.iso)
  [ "$size" = $((48 * 2048)) ] || fail "ESP of $size sectors, want 48 MiB"
  grep -q "^El Torito boot img : *1 *UEFI *y *none *0x0000 *0x00 *0 *32$" report.txt || fail "load size 0: $(cat report.txt)"
  grep -q "^Volume id *: 'BIG_ONE'" report.txt || fail "volume id"
  ;;
wrong-arch)
  mkpe b.efi 0xAA64 4096
  expect_run 1 "cloud-boot-iso: b.efi: PE machine 0xaa64 (arm64) does not match linux/amd64, which needs 0x8664" \
    "$tool" --uki linux/amd64=b.efi -o x.iso
  mkpe odd.efi 0x14c 4096
  expect_run 1 "odd.efi: PE machine 0x014c (unknown) does not match linux/riscv64, which needs 0x5064" \
    "$tool" --uki riscv64=odd.efi -o x.iso
  [ ! -e x.iso ] || fail "an image was written"
  [ -z "$(ls | grep tmp)" ] || fail "temporary file left: $(ls)"
  ;;
truncated)
  mkpe a.efi 0x8664 100000
  head -c 50000 a.efi > cut.efi
  expect_run 1 "cloud-boot-iso: cut.efi: truncated: section 1 '.text' (file bytes 1024..101023) ends past the end of the file (50000 bytes)" \
    "$tool" --uki amd64=cut.efi -o x.iso
  head -c 10 a.efi > tiny.efi
  expect_run 1 "tiny.efi: truncated: 10 bytes is too short for a DOS (MZ) header" "$tool" --uki amd64=tiny.efi -o x.iso
  head -c 300 a.efi > hdr.efi
  expect_run 1 "hdr.efi: truncated: the optional header (bytes 152..391) ends past the end of the file (300 bytes)" \
    "$tool" --uki amd64=hdr.efi -o x.iso
  [ ! -e x.iso ] || fail "an image was written"
  ;;
not-pe)
  printf "%0200d" 0 > t.efi
  expect_run 1 "cloud-boot-iso: t.efi: no MZ signature: not a PE/EFI image" "$tool" --uki amd64=t.efi -o x.iso
  mkpe a.efi 0x8664 4096
  printf '\x03' | dd of=a.efi bs=1 seek=$((0x98 + 68)) conv=notrunc status=none
  expect_run 1 "a.efi: PE subsystem 3 is not an EFI application (10)" "$tool" --uki amd64=a.efi -o x.iso
  ;;
missing)
  expect_run 1 "cloud-boot-iso: nothere.efi: No such file or directory" "$tool" --uki amd64=nothere.efi -o x.iso
  mkdir d.efi
  expect_run 1 "cloud-boot-iso: d.efi: not a regular file" "$tool" --uki amd64=d.efi -o x.iso
  mkpe a.efi 0x8664 4096
  expect_run 1 "cloud-boot-iso: nodir/x.iso: cannot create a temporary file next to it: No such file or directory" \
    "$tool" --uki amd64=a.efi -o nodir/x.iso
  ;;
exists)
  mkpe a.efi 0x8664 4096
  echo precious > x.iso
  expect_run 1 "cloud-boot-iso: x.iso: exists (use --force to replace it)" "$tool" --uki amd64=a.efi -o x.iso
  [ "$(cat x.iso)" = precious ] || fail "x.iso was changed"
  chmod 640 x.iso
  "$tool" --uki amd64=a.efi -o x.iso --force 2> err.txt || fail "--force: $(cat err.txt)"
  esp_of x.iso >/dev/null
  [ "$(stat -c %a x.iso)" = 640 ] || fail "--force did not keep the mode: $(stat -c %a x.iso)"
  ;;
usage)
  mkpe a.efi 0x8664 4096
  expect_run 2 "no EFI file: give at least one --uki PLATFORM=FILE" "$tool"
  expect_run 2 "no output: give -o FILE" "$tool" --uki amd64=a.efi
  expect_run 2 "unknown option '--frobnicate'" "$tool" --frobnicate
  expect_run 2 "--uki: platform 'linux/ppc64le': unknown architecture" "$tool" --uki linux/ppc64le=a.efi -o x.iso
  expect_run 2 "--uki 'amd64': want PLATFORM=FILE" "$tool" --uki amd64 -o x.iso
  expect_run 2 "--uki: linux/amd64 is given more than once" "$tool" --uki amd64=a.efi --uki x86_64=a.efi -o x.iso
  expect_run 2 "unexpected argument 'a.efi'" "$tool" a.efi -o x.iso
  expect_run 2 "-o needs a file name" "$tool" --uki amd64=a.efi -o
  expect_run 2 "SOURCE_DATE_EPOCH='soon' is not a Unix time" env SOURCE_DATE_EPOCH=soon "$tool" --uki amd64=a.efi -o x.iso
  expect_run 2 "volume ID 'lower': use 1..32 characters of A-Z, 0-9 and _" "$tool" --uki amd64=a.efi -o x.iso -V lower
  "$tool" --help > help.txt || fail "--help exit status"
  grep -q "^Usage: cloud-boot-iso --uki PLATFORM=FILE" help.txt || fail "--help text"
  grep -q "rounded up to 16 MiB" help.txt || fail "--help: ESP rule"
  [ ! -e x.iso ] || fail "an image was written"
  ;;
*) echo "unknown case '$case' (cases: $cases)" >&2; exit 2 ;;
esac
echo "PASS: $case"
