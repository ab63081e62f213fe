#!/usr/bin/env bash
# run.sh: builds one libFuzzer target of fs/ or runtime/common with clang-19 (-fsanitize=fuzzer,address,
# undefined) and runs it over its seed corpus. Usage: tests/fuzz/run.sh gpt|mbr|ext4|fat|knobs|fdt SECONDS [args…]
# The build goes to $FUZZ_BUILD_DIR (default build/fuzz-fs); new inputs go to a temporary directory unless
# $FUZZ_CORPUS_OUT names one; crashes land in $FUZZ_BUILD_DIR/artifacts/<name>/.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 gpt|mbr|ext4|fat|knobs|fdt SECONDS [libFuzzer args...]" >&2; exit 2; }
name=$1 secs=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
common="$root/runtime/common"
case $name in
  gpt|mbr|ext4|fat) srcs=("$root"/fs/*.c "$root"/fs/ext4/*.c "$root"/fs/fat/*.c "$common/cb_err.c")
                    incs=(-I "$root/fs" -I "$root/fs/fat" -I "$common" -I "$here") watch=("$root/fs") ;;
  knobs) srcs=("$common/knobs.c" "$common/knob_table.c" "$common/netcfg.c" "$common/cb_err.c")
         incs=(-I "$common") watch=("$common") ;;
  fdt) srcs=("$common/fdt.c" "$common/cb_err.c") incs=(-I "$common") watch=("$common") ;;
  *) echo "run.sh: unknown target '$name'" >&2; exit 2 ;;
esac
cc=${CLANG:-clang-19}
bdir=${FUZZ_BUILD_DIR:-$root/build/fuzz-fs}
mkdir -p "$bdir" "$bdir/artifacts/$name"
bin="$bdir/${name}_fuzz"
# Rebuild when any source is newer than the binary.
if [ ! -x "$bin" ] || [ -n "$(find "${watch[@]}" "$here/${name}_fuzz.c" "$here/fs_walk.h" -newer "$bin" -name '*.[ch]' -print -quit)" ]; then
  "$cc" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -g -O1 -std=gnu11 -Wall -Wextra -Werror \
    "${incs[@]}" "$here/${name}_fuzz.c" "${srcs[@]}" -o "$bin.tmp"
  mv "$bin.tmp" "$bin"
fi
out=${FUZZ_CORPUS_OUT:-}
tmp=
if [ -z "$out" ]; then
  tmp=$(mktemp -d)
  out=$tmp
  trap 'rm -rf "$tmp"' EXIT
fi
case $name in ext4) maxlen=262144 ;; *) maxlen=131072 ;; esac
"$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len="$maxlen" -print_final_stats=1 \
  -artifact_prefix="$bdir/artifacts/$name/" "$@" "$out" "$here/corpus/$name"
