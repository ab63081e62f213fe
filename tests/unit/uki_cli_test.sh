#!/usr/bin/env bash
# uki_cli_test.sh CLOUD_BOOT ELF2EFI CLANG LLD SAMPLE.c WORKDIR: `cloud-boot build` end to end on the host with
# Debian's kernels (third_party/kernels; skipped, exit 77, without them) and stubs made the way ours are
# (clang-19 + ld.lld-19 + elf2efi): exit codes, exact messages, and the UKI checked by other tools
# (llvm-objdump-19 -h, llvm-objcopy-19 --dump-section, osslsigncode's PE checksum when it is installed).
set -uo pipefail
[ $# -eq 6 ] || { echo "usage: $0 CLOUD_BOOT ELF2EFI CLANG LLD SAMPLE.c WORKDIR" >&2; exit 2; }
cb=$1 elf2efi=$2 clang=$3 lld=$4 sample=$5 work=$6
top=$(cd "$(dirname "$0")/../.." && pwd)
kdir=$top/third_party/kernels
for c in x86_64 aarch64 riscv64; do
  [ -r "$kdir/$c/vmlinuz" ] || { echo "uki_cli_test: no $kdir/$c/vmlinuz (make deps): skipped"; exit 77; }
done
rm -rf "$work" && mkdir -p "$work" || exit 1
fails=0 checks=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# run WANT_RC STDERR_REGEX CMD...: runs CMD, checks its exit status and (when not empty) that stderr matches.
run() {
  local want=$1 re=$2; shift 2
  checks=$((checks + 1))
  "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  if [ $rc -ne "$want" ]; then fail "exit $rc, want $want: $*: $(cat "$work/err")"; return; fi
  if [ -n "$re" ] && ! grep -Eq -- "$re" "$work/err"; then fail "stderr of '$*' does not match '$re': $(cat "$work/err")"; fi
}
# same EXPECTED-STRING FILE: the file holds exactly the string.
same() {
  checks=$((checks + 1))
  [ "$(cat "$2"; echo x)" = "$1x" ] || fail "$2 holds '$(cat "$2")', want '$1'"
}

# Stubs: tests/unit/elf2efi_sample.c through clang-19, ld.lld-19 and elf2efi, as boot/uki/ builds ours.
declare -A cflags=([x86_64]="--target=x86_64-unknown-none-elf -mno-red-zone -mgeneral-regs-only"
                   [aarch64]="--target=aarch64-unknown-none-elf -mgeneral-regs-only"
                   [riscv64]="--target=riscv64-unknown-none-elf -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany")
for c in x86_64 aarch64 riscv64; do
  # shellcheck disable=SC2086
  "$clang" ${cflags[$c]} -ffreestanding -fno-stack-protector -fPIE -fvisibility=hidden -nostdlibinc -O2 \
    -c "$sample" -o "$work/stub-$c.o" &&
  "$lld" -pie --no-dynamic-linker -static -e efi_main -z separate-loadable-segments --image-base=0x1000 \
    -z max-page-size=4096 --no-undefined -z text "$work/stub-$c.o" -o "$work/stub-$c.elf" &&
  "$elf2efi" "$work/stub-$c.elf" "$work/stub-$c.efi" || { echo "uki_cli_test: cannot build the $c stub" >&2; exit 1; }
done
printf 'initrd bytes\n%.0s' {1..100} > "$work/initrd"
x86=$kdir/x86_64/vmlinuz
ver_of() { sed -n 's/^linux-image-\([^ ]*\) .*/\1/p' "$kdir/$1/version"; }

# --- usage (exit 2) and help (exit 0) ---
run 0 "" "$cb" build --help
grep -q "^Usage: cloud-boot build --arch ARCH --kernel FILE" "$work/out" || fail "--help text: $(head -1 "$work/out")"
run 0 "" "$cb" help build
grep -q "^Usage: cloud-boot build" "$work/out" || fail "help build"
"$cb" --help | grep -Eq "^  build +make a UKI" || fail "build missing from 'cloud-boot --help'"
run 2 "^cloud-boot: build: --arch is required$" "$cb" build
run 2 "^cloud-boot: build: --arch 'sparc': not one of x86_64 \(amd64\), aarch64 \(arm64\), riscv64, loongarch64 \(loong64\)$" \
  "$cb" build --arch sparc --kernel "$x86" -o "$work/x.efi"
run 2 "^cloud-boot: build: unknown option '--bogus'$" "$cb" build --bogus
run 2 "^cloud-boot: build: unexpected argument 'extra'$" "$cb" build extra
run 2 "^cloud-boot: build: --kernel needs a value$" "$cb" build --arch x86_64 --kernel
run 2 "^cloud-boot: build: --arch given twice$" "$cb" build --arch x86_64 --arch=amd64
run 2 "^cloud-boot: build: --kernel is required$" "$cb" build --arch x86_64 -o "$work/x.efi"
run 2 "^cloud-boot: build: -o OUT.efi is required$" "$cb" build --arch x86_64 --kernel "$x86"

# --- refused inputs (exit 1, the file and the reason on stderr, nothing written) ---
b=(--stub "$work/stub-x86_64.efi" -o "$work/x.efi")
run 1 "^cloud-boot: build: --kernel $work/none: cannot open: No such file or directory$" \
  "$cb" build --arch x86_64 --kernel "$work/none" "${b[@]}"
run 1 "^cloud-boot: build: --kernel $kdir/aarch64/vmlinuz: PE machine 0xaa64 \(aarch64\) is not x86_64's \(0x8664\)$" \
  "$cb" build --arch x86_64 --kernel "$kdir/aarch64/vmlinuz" "${b[@]}"
head -c 4000000 "$x86" > "$work/truncated"
run 1 "^cloud-boot: build: --kernel $work/truncated: section [0-9]+ \(\.[a-z]+\): raw data at 0x[0-9a-f]+ \([0-9]+ bytes\) ends past the end of the file \(4000000 bytes\): truncated\?$" \
  "$cb" build --arch x86_64 --kernel "$work/truncated" "${b[@]}"
head -c 300 "$x86" > "$work/header-only"
run 1 "^cloud-boot: build: --kernel $work/header-only: " "$cb" build --arch x86_64 --kernel "$work/header-only" "${b[@]}"
gzip -1 -c "$x86" > "$work/vmlinuz.gz"
run 1 "^cloud-boot: build: --kernel $work/vmlinuz.gz: gzip-compressed, not an EFI image: give the decompressed kernel \(zcat\)$" \
  "$cb" build --arch x86_64 --kernel "$work/vmlinuz.gz" "${b[@]}"
run 1 "^cloud-boot: build: --kernel $work/stub-x86_64.elf: an ELF file \(vmlinux\?\), not an EFI image" \
  "$cb" build --arch x86_64 --kernel "$work/stub-x86_64.elf" "${b[@]}"
run 1 "^cloud-boot: build: --stub $work/stub-x86_64.efi: PE machine 0x8664 \(x86_64\) is not aarch64's \(0xaa64\)$" \
  "$cb" build --arch arm64 --kernel "$kdir/aarch64/vmlinuz" "${b[@]}"
run 1 "^cloud-boot: build: --initrd $work/none: cannot open: No such file or directory$" \
  "$cb" build --arch x86_64 --kernel "$x86" --initrd "$work/none" "${b[@]}"
run 1 "^cloud-boot: build: --uname \"6 1\": byte 1 \(0x20\) is not one of A-Z a-z 0-9 \. _ \+ ~ -$" \
  "$cb" build --arch x86_64 --kernel "$x86" --uname "6 1" "${b[@]}"
run 1 "^cloud-boot: build: --plan and cloudboot.disk= in --cmdline: give exactly one source$" \
  "$cb" build --arch x86_64 --kernel "$x86" --cmdline "cloudboot.disk=/dev/vda2" --plan reg/p:1 "${b[@]}"
run 1 "^cloud-boot: build: --plan \"a b\": byte 1 \(0x20\) cannot be in a reference on the kernel cmdline$" \
  "$cb" build --arch x86_64 --kernel "$x86" --plan "a b" "${b[@]}"
run 1 "^cloud-boot: build: --plan: oci: reference \"reg.example/x:\": empty tag$" \
  "$cb" build --arch x86_64 --kernel "$x86" --plan "reg.example/x:" "${b[@]}"
checks=$((checks + 1)); [ ! -e "$work/x.efi" ] || fail "a refused build left $work/x.efi"

# --- a UKI per kernel, checked with LLVM's tools and osslsigncode ---
hexsize() { printf '%08x' "$1"; }
for c in x86_64 aarch64 riscv64; do
  k=$kdir/$c/vmlinuz ksize=$(stat -c %s "$k") ver=$(ver_of "$c") u=$work/uki-$c.efi
  cmd="console=ttyS0 panic=-1"
  run 0 "" "$cb" build --arch "$c" --kernel "$k" --initrd "$work/initrd" --cmdline "$cmd" --stub "$work/stub-$c.efi" -o "$u"
  grep -Eq "^$u: $c UKI, $(stat -c %s "$u") bytes: kernel ${ver//+/\\+} \($ksize bytes\), initrd 1300 bytes, cmdline 22 bytes$" \
    "$work/out" || fail "$c summary: $(cat "$work/out")"
  osrel="NAME=\"cloud-boot UKI\"
ID=cloud-boot
VERSION=\"$ver\"
PRETTY_NAME=\"cloud-boot UKI (Linux $ver)\"
"
  sbat="sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md
cloud-boot,1,cloud-boot,cloud-boot,0.1.0,docs/uki.md
uki,1,UKI,uki,1,https://uapi-group.org/specifications/specs/unified_kernel_image/
"
  # Section names, order and sizes (llvm-objdump shows min(VirtualSize, SizeOfRawData)).
  llvm-objdump-19 -h "$u" | awk '$2 ~ /^\./ { print $2, $3 }' | tail -n 6 > "$work/sections"
  printf '%s\n' ".osrel $(hexsize ${#osrel})" ".cmdline $(hexsize ${#cmd})" ".uname $(hexsize ${#ver})" \
    ".initrd $(hexsize 1300)" ".linux $(hexsize $(( (ksize + 511) / 512 * 512 )))" \
    ".sbat $(hexsize $(( ${#sbat} + 1 )))" > "$work/sections.want"
  checks=$((checks + 1)); cmp -s "$work/sections" "$work/sections.want" || fail "$c sections: $(cat "$work/sections")"
  llvm-objcopy-19 --dump-section .osrel="$work/osrel" --dump-section .cmdline="$work/cmdline" \
    --dump-section .uname="$work/uname" --dump-section .initrd="$work/initrd.out" \
    --dump-section .linux="$work/linux.out" --dump-section .sbat="$work/sbat" "$u" "$work/discard" ||
    fail "$c: llvm-objcopy cannot read the UKI"
  same "$osrel" "$work/osrel"
  same "$cmd" "$work/cmdline"
  same "$ver" "$work/uname"
  checks=$((checks + 2))
  cmp -s "$work/initrd" "$work/initrd.out" || fail "$c .initrd differs"
  cmp -s -n "$ksize" "$k" "$work/linux.out" || fail "$c .linux differs from the kernel"
  checks=$((checks + 1)); [ "$(tr -d '\0' < "$work/sbat")" = "${sbat%$'\n'}" ] || fail "$c .sbat: $(cat "$work/sbat")"
  if command -v osslsigncode >/dev/null; then
    checks=$((checks + 1))
    osslsigncode verify "$u" 2>&1 | grep -q "invalid PE checksum" && fail "$c: osslsigncode: invalid PE checksum"
  fi
done

# --- outputs: no overwrite without --force; the UKI is not a stub; --plan and --uname ---
u=$work/uki-x86_64.efi
run 1 "^cloud-boot: build: -o $u: exists \(use --force to replace it\)$" \
  "$cb" build --arch x86_64 --kernel "$x86" --stub "$work/stub-x86_64.efi" -o "$u"
run 0 "" "$cb" build --arch x86_64 --kernel "$x86" --stub "$work/stub-x86_64.efi" --plan reg.example/boot/plan:v1 \
  --cmdline "console=ttyS0" --uname 6.1-custom --force -o "$u"
llvm-objcopy-19 --dump-section .cmdline="$work/cmdline" --dump-section .uname="$work/uname" "$u" "$work/discard"
same "console=ttyS0 cloudboot.plan=reg.example/boot/plan:v1" "$work/cmdline"
same "6.1-custom" "$work/uname"
checks=$((checks + 1))
llvm-objdump-19 -h "$u" | grep -q " \.initrd " && fail "a UKI without --initrd has an .initrd section"
run 1 "^cloud-boot: build: --stub $u: the stub already has a \.osrel section \(already a UKI\?\)$" \
  "$cb" build --arch x86_64 --kernel "$x86" --stub "$u" -o "$work/y.efi"
checks=$((checks + 1)); ls "$work" | grep -q '\.tmp' && fail "temporary files left: $(ls "$work" | grep '\.tmp')"

# --- --iso: cloud-boot-iso from the same build directory writes a hybrid ISO holding the UKI ---
if [ -x "$(dirname "$cb")/../iso/cloud-boot-iso" ]; then
  run 0 "" "$cb" build --arch x86_64 --kernel "$x86" --stub "$work/stub-x86_64.efi" -o "$work/iso.efi" --iso "$work/boot.iso"
  grep -q "^$work/boot.iso: ISO with $work/iso.efi as x86_64's EFI file$" "$work/out" || fail "--iso summary: $(cat "$work/out")"
  checks=$((checks + 1))
  [ "$(dd if="$work/boot.iso" bs=1 skip=$((16 * 2048 + 1)) count=5 status=none)" = CD001 ] || fail "--iso: no ISO 9660 volume"
  run 1 "^cloud-boot: build: --iso $work/boot.iso: exists \(use --force to replace it\)$" \
    "$cb" build --arch x86_64 --kernel "$x86" --stub "$work/stub-x86_64.efi" -o "$work/iso2.efi" --iso "$work/boot.iso"
  checks=$((checks + 1)); [ ! -e "$work/iso2.efi" ] || fail "a refused --iso build wrote the UKI"
else
  echo "uki_cli_test: no cloud-boot-iso next to $cb: --iso not tested"
fi

# --- the default stub: <build>/<cpu>/boot/uki-stub-<cpu>.efi beside <build>/host (a copy of the tool) ---
mkdir -p "$work/b/host/host-tools/cloud-boot" "$work/b/x86_64/boot"
cp "$cb" "$work/b/host/host-tools/cloud-boot/cloud-boot"
cp "$work/stub-x86_64.efi" "$work/b/x86_64/boot/uki-stub-x86_64.efi"
run 0 "" "$work/b/host/host-tools/cloud-boot/cloud-boot" build --arch x86_64 --kernel "$x86" -o "$work/default.efi"
run 1 "^cloud-boot: build: no UKI stub for riscv64 at $work/b/riscv64/boot/uki-stub-riscv64.efi \(No such file or directory\): build it \('make build-riscv64'\) or give --stub FILE$" \
  "$work/b/host/host-tools/cloud-boot/cloud-boot" build --arch riscv64 --kernel "$kdir/riscv64/vmlinuz" -o "$work/d2.efi"

echo "uki_cli_test: $checks checks, $fails failures"
[ $fails -eq 0 ]
