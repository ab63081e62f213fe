#!/usr/bin/env bash
# ext4_corrupt.sh: corruption test for the ext4 driver. For several fixture variants it lists the metadata
# blocks (superblock, group descriptors, used inode-table blocks, directory/htree blocks, extent-tree and
# indirect blocks) with dumpe2fs/debugfs, then (1) runs fs_ext4_corrupt_test (in-process, ASan+UBSan) for
# TRIALS seeded trials of random byte flips there, and (2) runs the sanitized CLI on a few corrupted copies:
# exit 0 or 1 with a message, never a crash, never a hang (timeout).
# Usage: ext4_corrupt.sh HARNESS CLOUD-BOOT FIXDIR [TRIALS] [SEED]
set -uo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
harness=${1:?usage} cb=${2:?usage} fix=${3:?usage}
trials=${4:-200} seed=${5:-20240501}
here=$(cd "$(dirname "$0")" && pwd)
"$here/../fixtures/mkext4.sh" "$fix" || { echo "FAIL: fixtures"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ASAN_OPTIONS=exitcode=86:abort_on_error=0 UBSAN_OPTIONS=exitcode=87:print_stacktrace=1
fails=0

metadata_map() { # IMAGE → map on stdout: "bs N", then "KIND BLOCK OFFSET LENGTH" (s: superblock/GDT,
  # i: one inode, d: directory block, x: extent-tree/indirect block)
  python3 - "$1" "$fix/tree" <<'PY'
import os, re, subprocess, sys
img, tree = sys.argv[1:]
def dbg(cmds):
    r = subprocess.run(["debugfs", "-f", "-", img], input="\n".join(cmds) + "\n", capture_output=True, text=True)
    return r.stdout
hdr = subprocess.run(["dumpe2fs", img], capture_output=True, text=True).stdout
bs = int(re.search(r"Block size:\s+(\d+)", hdr).group(1))
isize = int(re.search(r"Inode size:\s+(\d+)", hdr).group(1))
out = set()
# superblock (1024 bytes at byte 1024) and the group descriptors of group 0
out.add(("s", 1024 // bs, 1024 % bs, 1024))
for m in re.finditer(r"Group descriptors at (\d+)(?:-(\d+))?", hdr):
    for blk in range(int(m.group(1)), int(m.group(2) or m.group(1)) + 1):
        out.add(("s", blk, 0, bs))
    break
paths = ["/"]
for root, dirs, files in os.walk(tree):
    rel = "/" + os.path.relpath(root, tree) if root != tree else ""
    for n in dirs + files:
        p = f"{rel}/{n}"
        if ("/big/" in p or "/longnames/" in p) and not p.endswith(("-1", "-2999", "-1500", "-01200")):
            continue  # a sample of the big directories' entries is enough
        paths.append(p)
text = dbg([f'imap "{p}"' for p in paths])
for m in re.finditer(r"located at block (\d+), offset 0x([0-9a-f]+)", text):
    out.add(("i", int(m.group(1)), int(m.group(2), 16), isize))
text = dbg([f'stat "{p}"' for p in paths])
for m in re.finditer(r"\((?:ETB\d+|IND|DIND|TIND)\):(\d+)", text):
    out.add(("x", int(m.group(1)), 0, bs))
dirs = [p for p in paths if p == "/" or os.path.isdir(tree + p) and not os.path.islink(tree + p)]
text = dbg([f'blocks "{p}"' for p in dirs])
for tok in text.split():
    if tok.isdigit():
        out.add(("d", int(tok), 0, bs))
print(f"bs {bs}")
for k, blk, off, ln in sorted(out):
    print(k, blk, off, ln)
PY
}

variants="ext4 ext4-nocsum ext4-noextent ext4-inline ext4-1k ext2"
for v in $variants; do
  img="$fix/$v.img"
  [ -f "$img" ] || { echo "FAIL: $img missing"; fails=$((fails + 1)); continue; }
  metadata_map "$img" > "$tmp/$v.map" || { echo "FAIL: $v: metadata map"; fails=$((fails + 1)); continue; }
  if timeout 900 "$harness" "$img" "$tmp/$v.map" "$trials" "$seed"; then :; else
    echo "FAIL: $v: harness exit $?"; fails=$((fails + 1))
  fi
done

# The CLI end to end on a few corrupted copies: exit 0 or 1 with a "cloud-boot:" message; anything else
# (sanitizer exit 86/87, signal, timeout 124) is a failure.
mapfile -t files < <(cd "$fix/tree" && find . -type f ! -name huge.bin ! -path './big/*' | sed 's|^\.||' | LC_ALL=C sort)
for v in ext4-nocsum ext4-noextent; do
  cp --sparse=always "$fix/$v.img" "$tmp/c.img"
  for t in $(seq 1 10); do
    python3 - "$tmp/c.img" "$tmp/$v.map" "$((seed + t))" <<'PY'
import random, sys
img, mp, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(mp).read().split("\n")
bs = int(lines[0].split()[1])
rng = [tuple(map(int, l.split()[1:])) for l in lines[1:] if l.strip()]
r = random.Random(seed)
with open(img, "r+b") as f:
    for _ in range(r.randint(1, 8)):
        blk, o, ln = r.choice(rng)
        off = blk * bs + o + r.randrange(ln)
        f.seek(off); b = f.read(1)[0]; f.seek(off); f.write(bytes([b ^ r.randint(1, 255)]))
PY
    for cmd in "ls /" "ls /big" "cat ${files[*]}" "discover"; do
      # shellcheck disable=SC2086
      timeout 60 "$cb" fs ${cmd%% *} "$tmp/c.img" ${cmd#* } > /dev/null 2> "$tmp/err"; rc=$?
      [ "$cmd" = discover ] && { timeout 60 "$cb" fs discover "$tmp/c.img" > /dev/null 2> "$tmp/err"; rc=$?; }
      if [ $rc = 0 ] || { [ $rc = 1 ] && grep -q '^cloud-boot: ' "$tmp/err"; }; then :; else
        echo "FAIL: $v trial $t: 'fs ${cmd:0:40}…' exit $rc: $(head -c 400 "$tmp/err")"; fails=$((fails + 1))
      fi
    done
    cp --sparse=always "$fix/$v.img" "$tmp/c.img"
  done
done
echo "ext4_corrupt: $fails failures"
[ "$fails" = 0 ]
