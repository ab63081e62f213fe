#!/usr/bin/env bash
# http_fuzz_run.sh: runs one libFuzzer target of the HTTP module over its seed corpus for a while, without
# writing into the tree. Usage: http_fuzz_run.sh FUZZER SEED-DIR SECONDS [CORPUS-OUT-DIR]
# New inputs go to CORPUS-OUT-DIR (default: a temporary directory); crashes next to the fuzzer, in
# <fuzzer dir>/http-fuzz-artifacts/.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 FUZZER SEED-DIR SECONDS [CORPUS-OUT-DIR]" >&2; exit 2; }
fuzzer=$(realpath "$1") seeds=$2 secs=$3
out=${4:-}
tmp=
if [ -z "$out" ]; then
  tmp=$(mktemp -d)
  out=$tmp
  trap 'rm -rf "$tmp"' EXIT
fi
art=$(dirname "$fuzzer")/http-fuzz-artifacts
mkdir -p "$out" "$art"
"$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
  -artifact_prefix="$art/" "$out" "$seeds"
