#!/usr/bin/env bash
# pathc_test.sh: drives the real `cloud-boot cache-disk` and `cloud-boot nvram` against independent tools
# (sgdisk -v, fsck.vfat -n, blkid, mtools with @@offset) and the firmware's own VARS files.
# Usage: pathc_test.sh list | pathc_test.sh CLOUD-BOOT WORKDIR CASE   (exit 77: a tool or file is missing)
set -euo pipefail

cases="cache-create cache-idempotent cache-refuse cache-usage nvram-ovmf nvram-restore nvram-other-firmware nvram-errors"
if [ "${1:-}" = list ]; then echo "$cases"; exit 0; fi
[ $# -eq 3 ] || { echo "usage: $0 list | $0 CLOUD-BOOT WORKDIR CASE" >&2; exit 2; }
cb=$(realpath "$1") work=$2/$3 case=$3
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PATH=$PATH:/usr/sbin:/sbin
for t in sgdisk fsck.vfat blkid mcopy mtype mdir python3; do
  command -v "$t" >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
rm -rf "$work"
mkdir -p "$work"
cd "$work"
export MTOOLS_SKIP_CHECK=1

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_run() { # expect_run RC STDERR-SUBSTRING CMD...
  local want=$1 msg=$2 rc=0
  shift 2
  "$@" >out.txt 2>err.txt || rc=$?
  [ "$rc" = "$want" ] || fail "$* exited $rc, want $want; stderr: $(cat err.txt)"
  grep -qF -- "$msg" err.txt || fail "$*: stderr lacks '$msg': $(cat err.txt)"
}
ovmf_vars() { # a firmware VARS file or skip
  local f
  for f in "$@"; do
    for d in "" "$top/third_party/firmware"; do [ -f "$d$f" ] && { echo "$d$f"; return 0; }; done
  done
  echo "SKIP: none of $* is installed" >&2
  exit 77
}
# check_cache FILE MiB: an independent look at a cache disk: GPT, partition 1, FAT32 label, fsck.
check_cache() {
  local f=$1 mib=$2
  sgdisk -v "$f" > sg.txt 2>&1 && grep -q "^No problems found" sg.txt || fail "sgdisk -v $f: $(cat sg.txt)"
  sgdisk -i 1 "$f" > p1.txt
  grep -q "Partition GUID code: C12A7328-F81F-11D2-BA4B-00A0C93EC93B" p1.txt || fail "partition 1 type: $(cat p1.txt)"
  grep -q "Partition name: 'cloud-boot-cache'" p1.txt || fail "partition 1 name: $(cat p1.txt)"
  grep -q "^First sector: 2048 " p1.txt || fail "partition 1 start: $(cat p1.txt)"
  [ "$(stat -c %s "$f")" = $((mib * 1048576)) ] || fail "$f is not $mib MiB"
  local last
  last=$(sed -n 's/^Last sector: \([0-9]*\).*/\1/p' p1.txt)
  dd if="$f" of=part.img bs=512 skip=2048 count=$((last - 2047)) conv=sparse status=none
  fsck.vfat -n part.img > fsck.txt 2>&1 || fail "fsck.vfat -n: $(cat fsck.txt)"
  blkid -p -o export part.img > blkid.txt
  grep -q "^TYPE=vfat$" blkid.txt && grep -q "^VERSION=FAT32$" blkid.txt && grep -q "^LABEL=CB-CACHE$" blkid.txt ||
    fail "blkid: $(cat blkid.txt)"
  mdir -i "$f@@1M" ::/EFI/Linux > /dev/null || fail "no \\EFI\\Linux"
}
# partuuid FILE: partition 1's unique GUID, lower case.
partuuid() { sgdisk -i 1 "$1" | sed -n 's/^Partition unique GUID: //p' | tr A-F a-f; }
# has_ucs2 FILE TEXT: is TEXT in FILE as UTF-16LE?
has_ucs2() { python3 -c 'import sys; sys.exit(0 if sys.argv[2].encode("utf-16le") in open(sys.argv[1],"rb").read() else 1)' "$1" "$2"; }

case $case in
cache-create)
  "$cb" cache-disk c.raw 64 > out.txt 2> err.txt || fail "cache-disk: $(cat err.txt)"
  grep -q "^created c.raw: cache disk of 64 MiB, partition 1 'cloud-boot-cache' partuuid $(partuuid c.raw), FAT32 'CB-CACHE'" out.txt ||
    fail "stdout: $(cat out.txt)"
  check_cache c.raw 64
  [ "$(mdir -b -i c.raw@@1M ::/EFI/Linux)" = "" ] || fail "\\EFI\\Linux is not empty"
  "$cb" cache-disk big.raw 600 > /dev/null || fail "600 MiB"
  check_cache big.raw 600
  [ "$(du -k big.raw | cut -f1)" -lt 20000 ] || fail "a 600 MiB cache disk is not sparse"
  ;;
cache-idempotent)
  "$cb" cache-disk c.raw 64 > /dev/null
  echo "staged kernel" > k.efi
  mcopy -i c.raw@@1M k.efi ::/EFI/Linux/demo-vmlinuz.efi
  sum=$(sha256sum < c.raw)
  "$cb" cache-disk c.raw 64 > out.txt 2> err.txt || fail "second run: $(cat err.txt)"
  grep -q "^kept c.raw: cache disk of 64 MiB, partition 1 'cloud-boot-cache' partuuid $(partuuid c.raw)$" out.txt ||
    fail "stdout: $(cat out.txt)"
  [ "$(sha256sum < c.raw)" = "$sum" ] || fail "the second run changed the image"
  [ "$(mtype -i c.raw@@1M ::/EFI/Linux/demo-vmlinuz.efi)" = "staged kernel" ] || fail "the staged file is gone"
  mdel -i c.raw@@1M ::/EFI/Linux/demo-vmlinuz.efi
  mrd -i c.raw@@1M ::/EFI/Linux
  mcopy -i c.raw@@1M k.efi ::/keep.txt
  "$cb" cache-disk c.raw 64 > out.txt 2> err.txt || fail "third run: $(cat err.txt)"
  grep -q "(\\\\EFI\\\\Linux recreated)$" out.txt || fail "stdout: $(cat out.txt)"
  [ "$(mtype -i c.raw@@1M ::/keep.txt)" = "staged kernel" ] || fail "a file was lost"
  check_cache c.raw 64
  ;;
cache-refuse)
  echo "someone's data" > other.img
  expect_run 1 "cloud-boot: cache-disk: other.img: exists and is not a cloud-boot cache disk (no GPT partition named 'cloud-boot-cache'); use --force to recreate it" \
    "$cb" cache-disk other.img 64
  [ "$(cat other.img)" = "someone's data" ] || fail "other.img was changed"
  "$cb" cache-disk c.raw 64 > /dev/null
  mcopy -i c.raw@@1M other.img ::/EFI/Linux/x
  expect_run 1 "cloud-boot: cache-disk: c.raw: is a cache disk of 64 MiB, not 128 MiB; use --force to recreate it (its files are lost)" \
    "$cb" cache-disk c.raw 128
  "$cb" cache-disk --force c.raw 128 > out.txt 2> err.txt || fail "--force: $(cat err.txt)"
  grep -q "^created c.raw: cache disk of 128 MiB" out.txt || fail "stdout: $(cat out.txt)"
  check_cache c.raw 128
  [ "$(mdir -b -i c.raw@@1M ::/EFI/Linux)" = "" ] || fail "--force kept old files"
  truncate -s 64M plain.img
  sgdisk -n 1:2048:0 -t 1:8300 -c 1:cloud-boot-cache plain.img > /dev/null
  expect_run 1 "plain.img: exists and is not a cloud-boot cache disk (partition 1 'cloud-boot-cache' is not an EFI system partition)" \
    "$cb" cache-disk plain.img 64
  mkdir dir.raw
  expect_run 1 "cloud-boot: cache-disk: dir.raw: exists and is not a regular file" "$cb" cache-disk --force dir.raw 64
  ;;
cache-usage)
  expect_run 2 "cache-disk: SIZE_MiB '34' is not a whole number of MiB in 35..1048576" "$cb" cache-disk c.raw 34
  expect_run 2 "cache-disk: SIZE_MiB '1e3' is not a whole number of MiB" "$cb" cache-disk c.raw 1e3
  expect_run 2 "cache-disk: missing FILE and SIZE_MiB" "$cb" cache-disk
  expect_run 2 "cache-disk: missing SIZE_MiB" "$cb" cache-disk c.raw
  expect_run 2 "cache-disk: unknown option '--size'" "$cb" cache-disk --size 3 c.raw
  expect_run 2 "cache-disk: unexpected argument 'x'" "$cb" cache-disk c.raw 64 x
  [ ! -e c.raw ] || fail "a usage error wrote a file"
  "$cb" cache-disk --help | grep -q "^Usage: cloud-boot cache-disk \[--force\] FILE SIZE_MiB" || fail "--help"
  "$cb" --help | grep -q "^  cache-disk " || fail "cloud-boot --help lists cache-disk"
  "$cb" help nvram | grep -q "^Usage: cloud-boot nvram list VARS.fd" || fail "cloud-boot help nvram"
  ;;
nvram-ovmf)
  cp "$(ovmf_vars /usr/share/OVMF/OVMF_VARS_4M.fd)" vars.fd
  cp vars.fd pristine.fd
  "$cb" cache-disk c.raw 64 > /dev/null
  echo kernel > k; echo initrd > i
  mcopy -i c.raw@@1M k ::/EFI/Linux/demo-vmlinuz.efi
  mcopy -i c.raw@@1M i ::/EFI/Linux/demo-initrd
  [ -z "$("$cb" nvram list vars.fd)" ] || fail "a fresh store lists entries"
  pu=$(partuuid c.raw)
  line="Boot0001* cloud-boot demo	HD(1,GPT,$pu,0x800,0x1f000)/File(\\EFI\\Linux\\demo-vmlinuz.efi)"
  "$cb" nvram set vars.fd --disk c.raw --target demo --cmdline "console=ttyS0 quiet" > out.txt 2> err.txt ||
    fail "set: $(cat err.txt)"
  [ ! -s err.txt ] || fail "set warned: $(cat err.txt)"
  printf '%s\nBootOrder: 0001\n' "$line" | diff - out.txt || fail "set output"
  has_ucs2 vars.fd 'initrd=\EFI\Linux\demo-initrd console=ttyS0 quiet' || fail "the load option lacks its command line"
  "$cb" nvram list vars.fd > list.txt
  printf 'BootOrder: 0001\n%s\ncloud-boot: Path C entry set; '"'"'nvram reset'"'"' restores the saved boot order\n' "$line" |
    diff - list.txt || fail "list after set"
  # A second set (another target) keeps the first saved state and replaces the entry.
  "$cb" nvram set vars.fd --disk c.raw --target other --description "other one" > out.txt 2> err.txt
  grep -qF "cloud-boot: nvram: warning: c.raw: \\EFI\\Linux\\other-vmlinuz.efi is not on the cache disk (yet)" err.txt ||
    fail "no warning for a missing kernel: $(cat err.txt)"
  grep -qF "Boot0001* other one	HD(1,GPT,$pu,0x800,0x1f000)/File(\\EFI\\Linux\\other-vmlinuz.efi)" out.txt || fail "$(cat out.txt)"
  # -o writes elsewhere and leaves the input alone; it does not replace without --force.
  cp vars.fd before.fd
  "$cb" nvram reset vars.fd -o reset.fd > out.txt || fail "reset -o"
  cmp -s vars.fd before.fd || fail "reset -o changed its input"
  printf 'BootOrder: (none)\nBoot0001: deleted\n' | diff - out.txt || fail "reset output"
  [ -z "$("$cb" nvram list reset.fd)" ] || fail "reset left entries: $("$cb" nvram list reset.fd)"
  expect_run 1 "cloud-boot: nvram: reset.fd: exists (use --force to replace it)" "$cb" nvram reset vars.fd -o reset.fd
  "$cb" nvram reset vars.fd -o reset.fd --force > /dev/null || fail "reset -o --force"
  "$cb" nvram reset vars.fd > /dev/null || fail "reset in place"
  [ "$("$cb" nvram reset vars.fd)" = "nothing to reset: no saved state and no Path C Boot0001" ] || fail "second reset"
  [ "$(stat -c %s vars.fd)" = "$(stat -c %s pristine.fd)" ] || fail "the store changed size"
  ;;
nvram-restore)
  # A store as a firmware leaves it: BootOrder 0000,0001,0002 and a Boot0001 of its own (made here by
  # appending authenticated variable headers to OVMF's empty store).
  cp "$(ovmf_vars /usr/share/OVMF/OVMF_VARS_4M.fd)" vars.fd
  python3 - vars.fd <<'PY'
import struct, sys, uuid
g = uuid.UUID('8be4df61-93ca-11d2-aa0d-00e098032b8c').bytes_le
def node(t, s, body): return struct.pack('<BBH', t, s, 4 + len(body)) + body
def opt(desc, dp): return struct.pack('<IH', 1, len(dp)) + (desc + '\0').encode('utf-16le') + dp
end = node(0x7f, 0xff, b'')
disk = node(2, 1, struct.pack('<II', 0x0a0341d0, 0)) + node(1, 1, bytes([0, 4])) + end
ui = node(4, 7, uuid.UUID('7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1').bytes_le) + node(4, 6, uuid.UUID('462caa21-7614-4503-836e-8ab6f4662331').bytes_le) + end
b = bytearray(open(sys.argv[1], 'rb').read())
off = 100
for name, data in [('Boot0000', opt('UiApp', ui)), ('Boot0001', opt('UEFI Misc Device', disk)),
                   ('Boot0002', opt('EFI Internal Shell', ui)), ('BootOrder', struct.pack('<HHH', 0, 1, 2)),
                   ('Timeout', struct.pack('<H', 3))]:
    n = (name + '\0').encode('utf-16le')
    rec = struct.pack('<HBBIQ16sIII16s', 0x55aa, 0x3f, 0, 7, 0, bytes(16), 0, len(n), len(data), g) + n + data
    b[off:off + len(rec)] = rec
    off = (off + len(rec) + 3) & ~3
open(sys.argv[1], 'wb').write(b)
PY
  cat > want-before.txt <<'EOF'
Timeout: 3 seconds
BootOrder: 0000,0001,0002
Boot0000* UiApp	FvVol(7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1)/FvFile(462caa21-7614-4503-836e-8ab6f4662331)
Boot0001* UEFI Misc Device	PciRoot(0x0)/Pci(0x4,0x0)
Boot0002* EFI Internal Shell	FvVol(7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1)/FvFile(462caa21-7614-4503-836e-8ab6f4662331)
EOF
  "$cb" nvram list vars.fd | diff want-before.txt - || fail "list of the firmware-like store"
  "$cb" cache-disk c.raw 40 > /dev/null
  "$cb" nvram set vars.fd --disk c.raw --target demo > out.txt 2> /dev/null || fail "set"
  grep -q "^BootOrder: 0001,0000,0002$" out.txt || fail "0001 first: $(cat out.txt)"
  "$cb" nvram set vars.fd --disk c.raw --target demo > /dev/null 2>&1 || fail "set again"
  "$cb" nvram list vars.fd > list.txt
  grep -q "^BootOrder: 0001,0000,0002$" list.txt || fail "set twice: $(cat list.txt)"
  grep -qF "Boot0001* cloud-boot demo	HD(1,GPT,$(partuuid c.raw),0x800,0x13000)/File(\\EFI\\Linux\\demo-vmlinuz.efi)" list.txt ||
    fail "entry: $(cat list.txt)"
  "$cb" nvram reset vars.fd > out.txt || fail "reset"
  printf 'BootOrder: 0000,0001,0002\nBoot0001: restored\n' | diff - out.txt || fail "reset output"
  "$cb" nvram list vars.fd | diff want-before.txt - || fail "reset did not restore the firmware's entries"
  ;;
nvram-other-firmware)
  n=0
  for f in /usr/share/OVMF/OVMF_VARS.fd /usr/share/qemu-efi-riscv64/RISCV_VIRT_VARS.fd \
           /usr/share/qemu-efi-loongarch64/QEMU_VARS.fd; do
    for d in "" "$top/third_party/firmware"; do
      [ -f "$d$f" ] || continue
      cp "$d$f" v.fd
      [ -e c.raw ] || "$cb" cache-disk c.raw 64 > /dev/null
      "$cb" nvram set v.fd --disk c.raw --target demo > /dev/null 2>&1 || fail "set on $f"
      "$cb" nvram list v.fd | grep -q "^Boot0001\* cloud-boot demo	HD(1,GPT," || fail "list on $f"
      "$cb" nvram reset v.fd > /dev/null || fail "reset on $f"
      n=$((n + 1))
      break
    done
  done
  [ $n -gt 0 ] || { echo "SKIP: no other firmware VARS file"; exit 77; }
  echo "$n firmware stores edited"
  ;;
nvram-errors)
  src=$(ovmf_vars /usr/share/OVMF/OVMF_VARS_4M.fd)
  "$cb" cache-disk c.raw 64 > /dev/null
  head -c 1000 "$src" > cut.fd
  expect_run 1 "cloud-boot: nvram: cut.fd: FvLength 540672 exceeds the file (1000 bytes)" "$cb" nvram list cut.fd
  truncate -s 1M zero.fd
  expect_run 1 "cloud-boot: nvram: zero.fd: no firmware volume header: an unformatted store" \
    "$cb" nvram set zero.fd --disk c.raw --target demo
  cp "$src" bad.fd
  python3 -c 'import struct,sys; b=bytearray(open(sys.argv[1],"rb").read()); b[100:102]=b"\xaa\x55"; struct.pack_into("<I",b,136,20); struct.pack_into("<I",b,140,0x7fffffff); open(sys.argv[1],"wb").write(b)' bad.fd
  expect_run 1 "cloud-boot: nvram: bad.fd: variable at offset 100: name (20 bytes) and data (2147483647 bytes) run past the end of the store" \
    "$cb" nvram list bad.fd
  cp "$src" v.fd
  cp "$src" notdisk.img
  expect_run 1 "cloud-boot: nvram: notdisk.img: no GPT partition named 'cloud-boot-cache'" \
    "$cb" nvram set v.fd --disk notdisk.img --target demo
  expect_run 1 "cloud-boot: nvram: nothere.fd: No such file or directory" "$cb" nvram list nothere.fd
  expect_run 1 "cloud-boot: nvram: nothere.raw: No such file or directory" "$cb" nvram set v.fd --disk nothere.raw --target x
  cmp -s v.fd "$src" || fail "a failed set changed the store"
  expect_run 2 "nvram: set needs --disk FILE and --target NAME" "$cb" nvram set v.fd --target demo
  expect_run 2 "nvram: --target '../x': use 1..64 of A-Z a-z 0-9 . _ -" "$cb" nvram set v.fd --disk c.raw --target ../x
  expect_run 2 "nvram: unknown command 'show' (list, set or reset)" "$cb" nvram show v.fd
  expect_run 2 "nvram: reset takes no --disk, --target, --cmdline or --description" "$cb" nvram reset v.fd --target x
  expect_run 2 "nvram: list: missing VARS.fd" "$cb" nvram list
  expect_run 2 "nvram: --force only applies to --output" "$cb" nvram reset v.fd --force
  expect_run 2 "nvram: --cmdline 'a" "$cb" nvram set v.fd --disk c.raw --target x --cmdline "$(printf 'a\tb')"
  cmp -s v.fd "$src" || fail "a usage error changed the store"
  ;;
*) echo "unknown case '$case' (cases: $cases)" >&2; exit 2 ;;
esac
echo "PASS: $case"
