#!/usr/bin/env bash
# ext4_compare.sh: reads every fixture file through `cloud-boot fs` and compares with debugfs (dump, ls -p,
# stat) and, on a few images, grub-fstest; checks listings, sizes, >4 GiB windows, partition selectors,
# error exits and messages. Usage: ext4_compare.sh CLOUD-BOOT FIXTURE-DIR (made by tests/fixtures/mkext4.sh).
set -uo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
cb=${1:?usage: ext4_compare.sh CLOUD-BOOT FIXDIR}
fix=${2:?usage: ext4_compare.sh CLOUD-BOOT FIXDIR}
here=$(cd "$(dirname "$0")" && pwd)
"$here/../fixtures/mkext4.sh" "$fix" || { echo "FAIL: fixtures"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 checks=0
ok() { checks=$((checks + 1)); }
bad() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }
expect_eq() { # what got want
  if [ "$2" == "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}

tree="$fix/tree"

compare_image() { # name spec fsimage tree
  local name=$1 spec=$2 img=$3 t=$4
  local -a fl dl
  mapfile -t fl < <(cd "$t" && find . -type f ! -name huge.bin | sed 's|^\.||' | LC_ALL=C sort)
  mapfile -t dl < <(cd "$t" && find . -type d | sed 's|^\.||; s|^$|/|' | LC_ALL=C sort)
  # 1. every regular file: one debugfs run dumps them all, one cloud-boot run cats them all
  local d="$tmp/$name.dump"; mkdir -p "$d"
  local i=0; : > "$tmp/cmds"
  for f in "${fl[@]}"; do echo "dump -p \"$f\" $d/$i" >> "$tmp/cmds"; i=$((i + 1)); done
  debugfs -f "$tmp/cmds" "$img" >/dev/null 2>&1
  # debugfs 1.47.0 pads dumps of inline_data files to 60 bytes: cut each dump to the file's real size.
  printf '%s\n' "${fl[@]}" > "$tmp/list"
  python3 - "$d" "$t" "$tmp/list" <<'PY'
import os, sys
d, t, lst = sys.argv[1:]
for i, f in enumerate(open(lst).read().splitlines()):
    p, want = os.path.join(d, str(i)), os.path.getsize(t + f)
    if os.path.exists(p) and os.path.getsize(p) > want:
        os.truncate(p, want)
PY
  local -a dumps=()
  for ((i = 0; i < ${#fl[@]}; i++)); do dumps+=("$d/$i"); done
  cat "${dumps[@]}" > "$tmp/want" || bad "$name: debugfs did not dump every file"
  if "$cb" fs cat "$spec" "${fl[@]}" > "$tmp/got" 2> "$tmp/err"; then
    if cmp -s "$tmp/got" "$tmp/want"; then ok; else
      bad "$name: cat of ${#fl[@]} files differs from debugfs dump"
      i=0; for f in "${fl[@]}"; do
        "$cb" fs cat "$spec" "$f" 2>/dev/null | cmp -s - "$d/$i" || echo "  differs: $f"; i=$((i + 1))
      done | head -5
    fi
  else
    bad "$name: cat failed: $(head -c 300 "$tmp/err")"
  fi
  # the dumps themselves must equal the source tree (checks the fixture, not us)
  cmp -s "$tmp/want" <(cd "$t" && cat "${fl[@]/#/.}") && ok || bad "$name: debugfs dump differs from the source tree"
  rm -rf "$d"
  # 2. listings: name, mode, size (not for directories) vs debugfs ls -p
  for dir in "${dl[@]}"; do
    debugfs -R "ls -p \"$dir\"" "$img" 2>/dev/null | awk -F/ '
      function modestr(m,   n, i, t, s, c, bit) {
        n = 0; for (i = 1; i <= length(m); i++) n = n * 8 + substr(m, i, 1);
        t = int(n / 4096); s = (t == 4) ? "d" : (t == 8) ? "-" : (t == 10) ? "l" : "?";
        split("r w x r w x r w x", c, " ");
        for (i = 0; i < 9; i++) { bit = 2 ^ (8 - i); s = s ((int(n / bit) % 2) ? c[i + 1] : "-") }
        return s }
      NF >= 7 && $2 != 0 && $6 != "." && $6 != ".." { ms = modestr($3); sz = substr(ms, 1, 1) == "d" ? "-" : $7; print ms, sz, $6 }' |
      LC_ALL=C sort > "$tmp/ls.want"
    if "$cb" fs ls "$spec" "$dir" > "$tmp/ls.raw" 2> "$tmp/err"; then
      awk '{ sz = (substr($1,1,1) == "d") ? "-" : $3; nm = $0;
             sub(/^[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ /, "", nm); sub(/ -> .*$/, "", nm);
             print $1, sz, nm }' "$tmp/ls.raw" | LC_ALL=C sort > "$tmp/ls.got"
      if cmp -s "$tmp/ls.got" "$tmp/ls.want"; then ok; else
        bad "$name: ls $dir differs from debugfs ls -p"; diff "$tmp/ls.got" "$tmp/ls.want" | head -5
      fi
    else
      bad "$name: ls $dir failed: $(head -c 300 "$tmp/err")"
    fi
  done
  # 3. stat sizes and types of the special files vs debugfs stat
  for p in /sparse.bin /fastlink /slowlink /small.txt /tiny.txt /huge.bin /empty.txt /inline100.txt /big; do
    [ -e "$t$p" ] || [ -L "$t$p" ] || continue
    local ws wt gs gt dbg ours
    dbg=$(debugfs -R "stat \"$p\"" "$img" 2>/dev/null)
    ours=$("$cb" fs stat "$spec" "$p" 2>/dev/null)
    ws=$(awk '/Size: / {for (i = 1; i < NF; i++) if ($i == "Size:") print $(i+1); exit}' <<< "$dbg")
    wt=$(awk '/Type: / {print $4; exit}' <<< "$dbg")
    gs=$(awk '/^size: / {print $2}' <<< "$ours")
    gt=$(awk '/^type: / {print $2}' <<< "$ours")
    expect_eq "$name: stat $p size" "$gs" "$ws"
    expect_eq "$name: stat $p type" "$gt" "$wt"
  done
  # 4. the >4 GiB sparse file: windows around 4 GiB and at the end, against the source
  if [ -e "$t/huge.bin" ]; then
    for w in "0 8192" "$((4 * 1024 * 1024 * 1024 - 8192)) 40000" "$((5 * 1024 * 1024 * 1024 - 65536)) 65536"; do
      set -- $w
      "$cb" fs cat -s "$1" -n "$2" "$spec" /huge.bin > "$tmp/w.got" 2>"$tmp/err" || bad "$name: huge.bin window $1: $(cat "$tmp/err")"
      tail -c +$(($1 + 1)) "$t/huge.bin" 2>/dev/null | head -c "$2" > "$tmp/w.want"
      cmp -s "$tmp/w.got" "$tmp/w.want" && ok || bad "$name: huge.bin window at $1 differs"
    done
  fi
  # 5. symlink loop, dangling link, missing file, directory: exit 1 with a message naming image and path
  local out rc
  out=$("$cb" fs cat "$spec" /loop1 2>&1 >/dev/null); rc=$?
  [ $rc = 1 ] && [[ $out == *"$spec"*"/loop1"*"too many levels of symbolic links"* ]] && ok || bad "$name: loop1: rc=$rc '$out'"
  if [ -L "$t/dangling" ]; then
    out=$("$cb" fs cat "$spec" /dangling 2>&1 >/dev/null); rc=$?
    [ $rc = 1 ] && [[ $out == *"/dangling"*"no such file"* ]] && ok || bad "$name: dangling: rc=$rc '$out'"
  fi
  out=$("$cb" fs cat "$spec" /no/such/file 2>&1 >/dev/null); rc=$?
  [ $rc = 1 ] && [[ $out == *"$spec"*"/no/such/file"*"'no': no such file or directory"* ]] && ok || bad "$name: missing: rc=$rc '$out'"
  out=$("$cb" fs cat "$spec" /boot 2>&1 >/dev/null); rc=$?
  [ $rc = 1 ] && [[ $out == *"/boot"*"is a directory"* ]] && ok || bad "$name: cat dir: rc=$rc '$out'"
  # 6. kernel discovery: version order picks -10 over -9
  out=$("$cb" fs discover "$spec" 2>&1)
  [[ $out == *"kernel: /boot/vmlinuz-6.1.0-10-amd64"*"initrd: /boot/initrd.img-6.1.0-10-amd64"* ]] && ok || bad "$name: discover: $out"
}

while read -r name img; do
  case $name in
    disk-*) continue ;;
    ext4-64k) compare_image "$name" "$img" "$img" "$fix/tree-small" ;;
    *) compare_image "$name" "$img" "$img" "$tree" ;;
  esac
done < "$fix/variants.txt"

# Whole 5 GiB sparse file once, through extents: cksum of ours vs the source (the windows above reach the
# indirect variants' triple-indirect blocks past 4 GiB; a second full read doubled this test's time).
want=$(cksum < "$tree/huge.bin")
for v in ext4; do
  got=$("$cb" fs cat "$fix/$v.img" /huge.bin | cksum)
  expect_eq "$v: cksum of /huge.bin" "$got" "$want"
done

# grub-fstest spot checks (an independent reader) on a few variants. Not inline_data (GRUB lacks it) and not
# /sparse.bin (GRUB 2.06 fails on a hole before the first extent: "something wrong with extent").
if command -v grub-fstest >/dev/null; then
  for v in ext4 ext4-1k ext4-noextent ext4-64bit ext4-metabg ext2 ext3; do
    for p in /small.txt /rand5m.bin /dir/sub/deeper/file.txt /big/file-2999 /inline100.txt /slowlink; do
      "$cb" fs cat "$fix/$v.img" "$p" > "$tmp/g.ours" 2>/dev/null || { bad "$v: $p unreadable"; continue; }
      grub-fstest "$fix/$v.img" cmp "$p" "$tmp/g.ours" >/dev/null 2>&1 && ok || bad "$v: grub-fstest cmp $p differs"
    done
  done
else
  echo "SKIP: grub-fstest not installed (apt-get install grub-common)"
fi

# Partitioned disks: selectors by number, GPT label, partuuid, fs uuid, fs label; MBR logical partition.
uuid=$(dumpe2fs -h "$fix/ext4.img" 2>/dev/null | awk '/UUID:/ {print $3; exit}')
for spec in "$fix/disk-gpt.img:2" "$fix/disk-gpt.img:label=rootfs" "$fix/disk-gpt.img:label=ext4" \
            "$fix/disk-gpt.img:partlabel=rootfs" "$fix/disk-gpt.img:partuuid=5A5A5A5A-1111-4222-8333-444455556666" \
            "$fix/disk-gpt.img:uuid=$uuid" "$fix/disk-mbr.img:5" "$fix/disk-mbr.img"; do
  if "$cb" fs cat "$spec" /rand5m.bin /small.txt > "$tmp/p.got" 2>"$tmp/err" &&
     cmp -s "$tmp/p.got" <(cat "$tree/rand5m.bin" "$tree/small.txt"); then ok; else
    bad "partition $spec: $(head -c 300 "$tmp/err")"
  fi
done
out=$("$cb" fs parts "$fix/disk-gpt.img")
[[ $out == *"scheme: gpt"*"1 start=2048 end=18431 "*"label='EFI-SYSTEM'"*"2 start=18432 "*"partuuid=5a5a5a5a-1111-4222-8333-444455556666 label='rootfs' fs=ext4"* ]] && ok ||
  bad "parts gpt: $out"
out=$("$cb" fs parts "$fix/disk-mbr.img")
[[ $out == *"scheme: mbr"*"1 start=2048 end=18431 size=8388608 type=0x06 partuuid=11223344-01"*"5 start=20480 "*"fs=ext4"* ]] && ok ||
  bad "parts mbr: $out"
out=$("$cb" fs cat "$fix/disk-gpt.img:3" /small.txt 2>&1); rc=$?
[ $rc = 1 ] && [[ $out == *"disk-gpt.img"*"no partition 3"* ]] && ok || bad "missing partition: rc=$rc '$out'"
out=$("$cb" fs cat "$fix/disk-gpt.img" /small.txt 2>&1); rc=$?
[ $rc = 1 ] && [[ $out == *"choose one with"* ]] && ok || bad "ambiguous disk: rc=$rc '$out'"

# A GPT disk whose primary header is corrupt still reads through the backup.
cp --sparse=always "$fix/disk-gpt.img" "$tmp/badgpt.img"
printf 'XXXX' | dd of="$tmp/badgpt.img" bs=1 seek=$((512 + 40)) conv=notrunc status=none   # first_usable_lba
out=$("$cb" fs parts "$tmp/badgpt.img")
[[ $out == *"backup-header: used"*"header CRC32 mismatch"* ]] && ok || bad "backup gpt: $out"
"$cb" fs cat "$tmp/badgpt.img:2" /small.txt 2>"$tmp/err" | cmp -s - "$tree/small.txt" && ok || bad "backup gpt: cat"
grep -q "warning: gpt: .*badgpt.img: primary header at LBA 1 is unusable" "$tmp/err" && ok || bad "backup gpt: no warning: $(cat "$tmp/err")"

# needs_recovery: read with a warning; an unknown incompat feature: refused by name.
cp --sparse=always "$fix/ext4.img" "$tmp/rec.img"
debugfs -w -R "feature needs_recovery" "$tmp/rec.img" >/dev/null 2>&1
out=$("$cb" fs cat "$tmp/rec.img" /small.txt 2>&1); rc=$?
[ $rc = 0 ] && [[ $out == *"warning"*"needs recovery"*"hello small"* ]] && ok || bad "needs_recovery: rc=$rc '$out'"
cp --sparse=always "$fix/ext4.img" "$tmp/enc.img"
debugfs -w -R "feature encrypt" "$tmp/enc.img" >/dev/null 2>&1
out=$("$cb" fs cat "$tmp/enc.img" /small.txt 2>&1); rc=$?
[ $rc = 1 ] && [[ $out == *"ext4: unsupported incompat feature(s): 0x10000 (encrypt)"* ]] && ok || bad "encrypt: rc=$rc '$out'"
# A bad inode checksum is refused with the inode number.
cp --sparse=always "$fix/ext4.img" "$tmp/csum.img"
ino=$(debugfs -R "stat /small.txt" "$fix/ext4.img" 2>/dev/null | awk '/^Inode:/ {print $2; exit}')
debugfs -w -R "set_inode_field /small.txt mtime 12345" "$tmp/csum.img" >/dev/null 2>&1   # fixes the csum…
debugfs -w -R "set_inode_field /small.txt checksum 0x1234" "$tmp/csum.img" >/dev/null 2>&1 # …then breaks it
out=$("$cb" fs cat "$tmp/csum.img" /small.txt 2>&1); rc=$?
[ $rc = 1 ] && [[ $out == *"inode $ino checksum mismatch"* ]] && ok || bad "inode csum: rc=$rc '$out'"

# Unwritten extents read as zeros although their blocks hold 0xAA.
"$cb" fs cat "$fix/ext4.img" /prealloc 2>/dev/null | cmp -s - <(head -c 409600 /dev/zero) && ok || bad "prealloc: not zeros"

# Each checksummed structure refuses a bad checksum with a message naming it.
flip() { # IMAGE BYTE-OFFSET: xor one byte with 0x5A
  python3 -c 'import sys; f = open(sys.argv[1], "r+b"); o = int(sys.argv[2]); f.seek(o); b = f.read(1)[0]; f.seek(o); f.write(bytes([b ^ 0x5A]))' "$1" "$2"
}
bs=$(dumpe2fs -h "$fix/ext4.img" 2>/dev/null | awk '/^Block size:/ {print $3}')
expect_msg() { # name image path fragment
  local out rc
  out=$("$cb" fs cat "$2" "$3" 2>&1 >/dev/null); rc=$?
  [ $rc = 1 ] && [[ $out == *"$4"* ]] && ok || bad "$1: rc=$rc '$out' (want '$4')"
}
cp --sparse=always "$fix/ext4.img" "$tmp/x.img"; flip "$tmp/x.img" $((1024 + 0x88))   # s_last_mounted
expect_msg "superblock csum" "$tmp/x.img" /small.txt "ext4: superblock checksum mismatch"
cp --sparse=always "$fix/ext4.img" "$tmp/x.img"; flip "$tmp/x.img" $((bs + 0x0C))      # bg_free_blocks_count
expect_msg "group desc csum" "$tmp/x.img" /small.txt "group descriptor 0 checksum mismatch"
rootblk=$(debugfs -R "blocks /" "$fix/ext4.img" 2>/dev/null | awk '{print $1}')
cp --sparse=always "$fix/ext4.img" "$tmp/x.img"; flip "$tmp/x.img" $((rootblk * bs + 20))  # the ".." name
expect_msg "dir block csum" "$tmp/x.img" /small.txt "directory block $rootblk (inode 2, logical block 0) checksum mismatch"
etb=$(debugfs -R "stat /frag.bin" "$fix/ext4.img" 2>/dev/null | sed -n 's/.*(ETB0):\([0-9]*\).*/\1/p')
fino=$(debugfs -R "stat /frag.bin" "$fix/ext4.img" 2>/dev/null | awk '/^Inode:/ {print $2; exit}')
cp --sparse=always "$fix/ext4.img" "$tmp/x.img"; flip "$tmp/x.img" $((etb * bs + 12 + 12 * 3 + 8))  # 4th extent's start
expect_msg "extent block csum" "$tmp/x.img" /frag.bin "extent block $(printf 0x%x "$etb") (inode $fino) checksum mismatch"
bigblk=$(debugfs -R "bmap /big 0" "$fix/ext4-nocsum.img" 2>/dev/null)
cp --sparse=always "$fix/ext4-nocsum.img" "$tmp/x.img"; flip "$tmp/x.img" $((bigblk * bs + 32))   # dx root limit
expect_msg "htree limit" "$tmp/x.img" /big/file-7 "htree node at logical block 0"
big1k=$(debugfs -R "bmap /big 0" "$fix/ext4-1k.img" 2>/dev/null)
cp --sparse=always "$fix/ext4-1k.img" "$tmp/x.img"; flip "$tmp/x.img" $((big1k * 1024 + 40))    # an index entry
expect_msg "htree csum" "$tmp/x.img" /big/file-7 "htree node at logical block 0 (inode"
cp --sparse=always "$fix/ext4.img" "$tmp/x.img"
debugfs -w -R "sif /small.txt block[1] 0x90004" "$tmp/x.img" >/dev/null 2>&1   # eh_max 4, eh_depth 9
expect_msg "extent depth" "$tmp/x.img" /small.txt "ext4: /small.txt: extent depth 9 exceeds limit 5 (inode $ino)"

# Usage and help: exit 2 for bad command lines, 0 for --help at every level.
"$cb" >/dev/null 2>&1; expect_eq "no args" $? 2
"$cb" --help >/dev/null 2>&1; expect_eq "--help" $? 0
"$cb" fs --help >/dev/null 2>&1; expect_eq "fs --help" $? 0
"$cb" fs cat --help >/dev/null 2>&1; expect_eq "fs cat --help" $? 0
"$cb" fs ls --help >/dev/null 2>&1; expect_eq "fs ls --help" $? 0
"$cb" help fs >/dev/null 2>&1; expect_eq "help fs" $? 0
"$cb" fs >/dev/null 2>&1; expect_eq "fs alone" $? 2
"$cb" fs bogus x >/dev/null 2>&1; expect_eq "fs bogus" $? 2
"$cb" fs cat "$fix/ext4.img" >/dev/null 2>&1; expect_eq "cat without path" $? 2
"$cb" fs stat -Q "$fix/ext4.img" / >/dev/null 2>&1; expect_eq "bad option" $? 2
"$cb" bogus >/dev/null 2>&1; expect_eq "bogus command" $? 2
"$cb" fs cat /no/such.img /x >/dev/null 2>&1; expect_eq "missing image" $? 1

echo "ext4_compare: $checks checks, $fails failed"
[ "$fails" = 0 ]
