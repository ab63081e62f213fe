#!/usr/bin/env bash
# fs-bench.sh: read speed of a 100 MiB file from an ext4 image (made at run time): `cloud-boot fs cat` vs
# `grub-fstest IMG cat` vs `debugfs -R dump`, median of 3 runs each (image in the page cache), MB/s and the
# ratio ours/grub-fstest. Usage: tests/bench/fs-bench.sh [CLOUD-BOOT] (default build/host/...)
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
root=$(cd "$(dirname "$0")/../.." && pwd)
cb=${1:-$root/build/host/host-tools/cloud-boot/cloud-boot}
[ -x "$cb" ] || { echo "fs-bench: $cb not built (meson compile -C build/host)" >&2; exit 1; }
for t in mkfs.ext4 debugfs grub-fstest python3; do
  command -v "$t" >/dev/null || { echo "fs-bench: $t not found (grub-fstest: apt-get install grub-common)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/tree"
size=$((100 * 1024 * 1024))
python3 -c 'import random,sys; r=random.Random(1); sys.stdout.buffer.write(r.randbytes(int(sys.argv[1])))' "$size" \
  > "$tmp/tree/big.bin"
mkfs.ext4 -F -q -b 4096 -d "$tmp/tree" "$tmp/fs.img" 256M > /dev/null
img=$tmp/fs.img
# Everyone must read the same bytes before we time them.
want=$(cksum < "$tmp/tree/big.bin")
[ "$("$cb" fs cat "$img" /big.bin | cksum)" = "$want" ] || { echo "fs-bench: cloud-boot output differs" >&2; exit 1; }
[ "$(grub-fstest "$img" cat /big.bin | cksum)" = "$want" ] || { echo "fs-bench: grub-fstest output differs" >&2; exit 1; }
cat "$img" > /dev/null # page cache

median_ms() { # command... → median wall time of 3 runs in ms
  local -a t=()
  for _ in 1 2 3; do
    local s e
    s=$(date +%s%N)
    "$@" > /dev/null 2>&1
    e=$(date +%s%N)
    t+=($(((e - s) / 1000000)))
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n 2p
}
ours=$(median_ms "$cb" fs cat "$img" /big.bin)
grub=$(median_ms grub-fstest "$img" cat /big.bin)
dbg=$(median_ms debugfs -R "dump /big.bin /dev/null" "$img")
mbs() { awk -v ms="$1" -v b="$size" 'BEGIN { if (ms < 1) ms = 1; printf "%.0f", b / 1048576 / (ms / 1000) }'; }
printf 'fs-bench: 100 MiB file from ext4 (4 KiB blocks), median of 3\n'
printf '  %-22s %6d ms %7s MB/s\n' "cloud-boot fs cat" "$ours" "$(mbs "$ours")"
printf '  %-22s %6d ms %7s MB/s\n' "grub-fstest cat" "$grub" "$(mbs "$grub")"
printf '  %-22s %6d ms %7s MB/s\n' "debugfs dump" "$dbg" "$(mbs "$dbg")"
awk -v a="$ours" -v b="$grub" 'BEGIN { if (a < 1) a = 1; printf "  ratio ours/grub-fstest (throughput): %.1fx\n", b / a }'
