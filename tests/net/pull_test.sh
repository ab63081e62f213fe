#!/usr/bin/env bash
# pull_test.sh: one scenario of `cloud-boot pull` against real parts on loopback: Debian's docker-registry
# (tests/net/registry_fixture.sh: plain HTTP, TLS with a CA made at test time, htpasswd, a Bearer token server),
# artifacts pushed with oras, signed with cosign (legacy .sig, OCI 1.1 referrers, cosign 3 bundles), tampered
# with in the registry's storage or re-pushed consistently. Each check asserts the exit code and a message.
# Usage: pull_test.sh CLOUD-BOOT ORAS COSIGN CASE    (`pull_test.sh list` lists the cases)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cases="usage plain tar sig-legacy sig-oci11 sig-bundle sig-index tamper-artifact tamper-legacy tamper-bundle
refused tls htpasswd token"
if [ "${1:-}" = list ]; then
  echo $cases
  exit 0
fi
[ $# -eq 4 ] || { echo "usage: $0 CLOUD-BOOT ORAS COSIGN CASE" >&2; exit 2; }
cb=$1 oras=$2 cosign=$3 case=$4
# shellcheck source-path=SCRIPTDIR source=cli_test_lib.sh
source "$here/cli_test_lib.sh"

# run ARGS...: `cloud-boot pull ARGS` (cb_run); sets rc, out (stdout) and err (stderr).
run() { cb_run pull "$@"; }
# pull ARGS...: run against the plain-HTTP registry, output to $work/out.
pull() { run --plain-http -o "$work/out" "$@"; }

# flip FILE [KEY]: XORs bit 0 of one byte in place: the first character of JSON string KEY's value (the JSON
# stays valid, so the registry still serves it), else byte 1000. Flipping twice restores the file.
flip() {
  python3 - "$@" <<'EOF' || fail "flip $*"
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
if len(sys.argv) > 2:
    k = ('"%s":"' % sys.argv[2]).encode()
    i = b.index(k) + len(k)
else:
    i = 1000
b[i] ^= 1
open(p, 'wb').write(b)
EOF
}

# push DIR REF FILE[:TYPE]...: oras push from DIR (extra oras flags in $oras_flags); prints the manifest digest.
push() {
  local dir=$1 ref=$2; shift 2
  (cd "$dir" && "$oras" push "${oras_flags[@]}" --disable-path-validation "$ref" "$@" >"$work/oras.out" 2>&1) ||
    fail "oras push $ref: $(cat "$work/oras.out")"
  "$oras" resolve "${oras_flags[@]}" "$ref" 2>>"$work/oras.out" || fail "oras resolve $ref"
}

# A kernel, an initrd and a cmdline with contents unique to a name.
make_files() {
  local dir=$1 name=$2
  mkdir -p "$dir"
  head -c 300000 /dev/urandom >"$dir/vmlinuz"
  head -c 123457 /dev/urandom >"$dir/initrd.img"
  printf 'console=ttyS0 root=/dev/vda %s\n\n' "$name" >"$dir/cmdline"
}

KT=application/vnd.cloudboot.kernel.v1
IT=application/vnd.cloudboot.initrd.v1+gzip
CT=application/vnd.cloudboot.cmdline.v1

# artifact NAME: pushes make_files' three files as REGISTRY/boot/NAME:1; sets d (manifest digest) and the
# expected stdout lines in $files_out.
artifact() {
  make_files "$work/$1" "$1"
  d=$(push "$work/$1" "$REGISTRY/boot/$1:1" "vmlinuz:$KT" "initrd.img:$IT" "cmdline:$CT")
  local c="console=ttyS0 root=/dev/vda $1"
  files_out="kernel $work/out/vmlinuz 300000 $(sha "$work/$1/vmlinuz") layers[0]
initrd $work/out/initrd.img 123457 $(sha "$work/$1/initrd.img") layers[1]
cmdline $work/out/cmdline ${#c} $(strsha "$c") layers[2]"
}
# pulled NAME: the three files of artifact NAME are in $work/out.
pulled() {
  same "$work/out/vmlinuz" "$work/$1/vmlinuz"
  same "$work/out/initrd.img" "$work/$1/initrd.img"
  [ "$(cat "$work/out/cmdline")" = "console=ttyS0 root=/dev/vda $1" ] || fail "cmdline file: $(cat "$work/out/cmdline")"
}

case $case in
usage)
  step="no arguments"; run; expect 2 ""
  grep -q '^Usage: cloud-boot pull' "$work/stderr" || fail "no usage text"
  step="--help"; run --help; expect 0 "Usage: cloud-boot pull"
  step="help pull"; "$cb" help pull >"$work/stdout" 2>&1; rc=$?; out=$(cat "$work/stdout"); expect 0 "--plain-http"
  step="unknown option"; run -o "$work/out" --frob r.io/a:1; expect 2 "cloud-boot: pull: unknown option '--frob'"
  step="missing -o"; run r.io/a:1; expect 2 "cloud-boot: pull: -o DIR is required"
  [ "$(tail -n 1 "$work/stderr")" = "Try 'cloud-boot pull --help'." ] || fail "no hint line"
  [ "$(wc -l <"$work/stderr")" = 2 ] || fail "usage errors are two lines"
  step="missing REFERENCE"; run -o "$work/out"; expect 2 "cloud-boot: pull: REFERENCE is required"
  step="two references"; run -o "$work/out" r.io/a:1 r.io/b:1; expect 2 "unexpected argument 'r.io/b:1'"
  step="value missing"; run -o "$work/out" r.io/a:1 --key; expect 2 "cloud-boot: pull: --key needs a value"
  step="empty value"; run --ca= -o "$work/out" r.io/a:1; expect 2 "cloud-boot: pull: --ca needs a value"
  step="given twice"; run -o a -o b r.io/a:1; expect 2 "cloud-boot: pull: -o given twice"
  step="bad --max-file"; run --max-file 12k -o "$work/out" r.io/a:1; expect 2 "--max-file '12k': not a positive number of bytes"
  step="zero --max-file"; run --max-file=0 -o "$work/out" r.io/a:1; expect 2 "--max-file '0': not a positive number"
  step="bad reference"; run -o "$work/out" 'r.io/A:1'; expect 2 'cloud-boot: pull: oci: reference "r.io/A:1": '
  step="bad scheme"; run -o "$work/out" 'https://r.io/a:1'; expect 2 'cloud-boot: pull: oci: reference "https://r.io/a:1": '
  step="user without password"; CLOUD_BOOT_REGISTRY_USER=u run -o "$work/out" r.io/a:1
  expect 2 "CLOUD_BOOT_REGISTRY_USER is set but CLOUD_BOOT_REGISTRY_PASSWORD is not"
  step="password without user"; CLOUD_BOOT_REGISTRY_PASSWORD=p run -o "$work/out" r.io/a:1
  expect 2 "CLOUD_BOOT_REGISTRY_PASSWORD is set but CLOUD_BOOT_REGISTRY_USER is not"
  step="unreadable key"; run --key "$work/nope.pub" --plain-http -o "$work/out" 127.0.0.1:1/a:1
  expect 1 "cloud-boot: pull: 127.0.0.1:1/a:1: --key $work/nope.pub: No such file or directory"
  openssl genpkey -algorithm ed25519 2>/dev/null | openssl pkey -pubout >"$work/ed.pub" 2>/dev/null || fail "openssl ed25519"
  step="wrong key type"; run --key "$work/ed.pub" --plain-http -o "$work/out" 127.0.0.1:1/a:1
  expect 1 "--key $work/ed.pub: pem: Ed25519 keys are not supported"
  step="-o is a file"; : >"$work/file"; run --plain-http -o "$work/file" 127.0.0.1:1/a:1
  expect 1 "cloud-boot: pull: 127.0.0.1:1/a:1: -o $work/file: not a directory"
  ;;
plain)
  start_registry
  artifact plain
  step="per-file by tag"; pull "$REGISTRY/boot/plain:1"
  expect 0 "digest $d"
  expect_out "digest $d
manifest $d
$files_out"
  pulled plain
  grep -q "warning: no --key: signatures are not checked" "$work/stderr" || fail "no warning about the missing key"
  step="oci:// and digest"; pull "oci://$REGISTRY/boot/plain@$d"; expect 0 "manifest $d"; pulled plain
  step="existing files"; mkdir -p "$work/out2"; echo old >"$work/out2/initrd.img"
  run --plain-http -o "$work/out2" "$REGISTRY/boot/plain:1"
  [ "$rc" = 1 ] || fail "exit status $rc, expected 1"
  [ "$(tail -n 1 "$work/stderr")" = "cloud-boot: pull: $REGISTRY/boot/plain:1: $work/out2/initrd.img: exists (use --force to replace it)" ] ||
    fail "error line '$err'"
  [ "$(cat "$work/out2/initrd.img")" = old ] || fail "initrd.img was replaced without --force"
  [ "$(ls "$work/out2")" = initrd.img ] || fail "files were written next to an existing one: $(ls "$work/out2")"
  step="--force"; run --plain-http --force -o "$work/out2" "$REGISTRY/boot/plain:1"; expect 0 "digest $d"
  same "$work/out2/initrd.img" "$work/plain/initrd.img"
  step="unknown tag"; pull "$REGISTRY/boot/plain:2"; expect 1 "cloud-boot: pull: oci: $REGISTRY/boot/plain:2: manifest unknown (404, MANIFEST_UNKNOWN)"
  step="--max-file"; pull --max-file 299999 "$REGISTRY/boot/plain:1"
  expect 1 "kernel: oci: $REGISTRY/boot/plain@$(sha "$work/plain/vmlinuz"): blob of 300000 bytes exceeds the limit of 299999"
  step="no registry"; pull "127.0.0.1:1/boot/plain:1"; expect 1 "cloud-boot: pull: 127.0.0.1:1/boot/plain:1: "

  # Untitled per-file layers (named by media type), an unsafe title and a title clash, by hand-made manifests.
  printf '{}' >"$work/config.json"
  bput boot/hand "$work/config.json"
  for f in vmlinuz initrd.img cmdline; do bput boot/hand "$work/plain/$f"; done
  desc() { printf '{"mediaType":"%s","digest":"%s","size":%s%s}' "$1" "$(sha "$2")" "$(stat -c %s "$2")" "$3"; }
  title() { printf ',"annotations":{"org.opencontainers.image.title":"%s"}' "$1"; }
  hand() {
    printf '{"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[%s,%s,%s]}' "$MT" \
      "$(desc application/vnd.oci.empty.v1+json "$work/config.json" "")" \
      "$(desc "$KT" "$work/plain/vmlinuz" "$1")" "$(desc "$IT" "$work/plain/initrd.img" "$2")" \
      "$(desc "$CT" "$work/plain/cmdline" "$3")" >"$work/hand.json"
    mput boot/hand "$4" "$MT" "$work/hand.json"
  }
  hand "" "" "" untitled
  step="untitled layers"; pull "$REGISTRY/boot/hand:untitled"; expect 0 "kernel $work/out/kernel 300000"
  [ "$(ls "$work/out" | tr '\n' ' ')" = "cmdline initrd kernel " ] || fail "files: $(ls "$work/out")"
  same "$work/out/kernel" "$work/plain/vmlinuz"
  same "$work/out/initrd" "$work/plain/initrd.img"
  hand "$(title ../../evil)" "$(title initrd.img)" "$(title .)" unsafe
  step="unsafe titles"; pull "$REGISTRY/boot/hand:unsafe"; expect 0 "kernel $work/out/kernel 300000"
  grep -q 'warning: layers\[0\] title "../../evil" is not a plain file name: writing kernel' "$work/stderr" ||
    fail "no warning for ../../evil"
  grep -q 'warning: layers\[2\] title "." is not a plain file name: writing cmdline' "$work/stderr" || fail "no warning for ."
  [ "$(ls "$work/out" | tr '\n' ' ')" = "cmdline initrd.img kernel " ] || fail "files: $(ls "$work/out")"
  [ ! -e "$(dirname "$work")/evil" ] || fail "a title escaped the output directory"
  hand "$(title 'vm\u001b[2Jlinuz')" "" "" control
  step="control characters"; pull "$REGISTRY/boot/hand:control"; expect 0 "kernel $work/out/kernel 300000"
  grep -q 'warning: layers\[0\] title "vm?\[2Jlinuz" is not a plain file name: writing kernel' "$work/stderr" ||
    fail "no (or a raw) warning for a title with ESC"
  hand "$(title same)" "$(title same)" "" clash
  step="title clash"; pull "$REGISTRY/boot/hand:clash"; expect 0 "initrd $work/out/initrd 123457"
  grep -q 'warning: two layers are titled "same": writing kernel, initrd, cmdline' "$work/stderr" || fail "no clash warning"
  [ "$(ls "$work/out" | tr '\n' ' ')" = "cmdline initrd kernel " ] || fail "files: $(ls "$work/out")"
  ;;
tar)
  # a container image: the files come from boot/ in the tar layers and are named kernel and initrd
  start_registry
  mkdir -p "$work/root/boot" "$work/push"
  head -c 200000 /dev/urandom >"$work/root/boot/vmlinuz-6.1.0"
  head -c 50000 /dev/urandom >"$work/root/boot/initrd.img-6.1.0"
  tar -C "$work/root" -cf - . | gzip -n >"$work/push/layer.tar.gz"
  d=$(push "$work/push" "$REGISTRY/boot/image:1" "layer.tar.gz:application/vnd.oci.image.layer.v1.tar+gzip")
  step="tar layer"; pull "$REGISTRY/boot/image:1"; expect 0 "digest $d"
  expect_out "digest $d
manifest $d
kernel $work/out/kernel 200000 $(sha "$work/root/boot/vmlinuz-6.1.0") boot/vmlinuz-6.1.0 in tar layer 0
initrd $work/out/initrd 50000 $(sha "$work/root/boot/initrd.img-6.1.0") boot/initrd.img-6.1.0 in tar layer 0"
  same "$work/out/kernel" "$work/root/boot/vmlinuz-6.1.0"
  same "$work/out/initrd" "$work/root/boot/initrd.img-6.1.0"
  ;;
sig-legacy|sig-oci11|sig-bundle)
  start_registry
  keys
  artifact signed
  step="unsigned"; pull --key "$work/cosign.pub" "$REGISTRY/boot/signed:1"
  expect 1 "cloud-boot: pull: oci: $REGISTRY/boot/signed@$d: no signature found (tried the .sig tag, the referrers API and the referrers tag)"
  src="tag sha256-${d#sha256:}"
  case $case in
    sig-legacy) sign "$REGISTRY/boot/signed@$d" --allow-http-registry --new-bundle-format=false; src="$src.sig" ;;
    sig-oci11) COSIGN_EXPERIMENTAL=1 sign "$REGISTRY/boot/signed@$d" --allow-http-registry --new-bundle-format=false \
                 --registry-referrers-mode=oci-1-1 ;;
    sig-bundle) sign "$REGISTRY/boot/signed@$d" --allow-http-registry ;;
  esac
  tags=$(curl -s "$REGISTRY_URL/v2/boot/signed/tags/list")
  [[ "$tags" == *"\"${src#tag }\""* ]] || fail "cosign left no ${src#tag } tag: $tags"
  step="verified"; pull --key "$work/cosign.pub" "$REGISTRY/boot/signed:1"; expect 0 "signature $d $src"
  expect_out "signature $d $src
digest $d
manifest $d
$files_out"
  pulled signed
  ! grep -q warning "$work/stderr" || fail "warnings: $(cat "$work/stderr")"
  step="other key"; pull --key "$work/other.pub" "$REGISTRY/boot/signed:1"
  expect 1 "oci: $REGISTRY/boot/signed@$d: no valid signature among 1 found; last: $src: cosign: "
  why="signature does not verify with the configured key"
  [ $case = sig-bundle ] && why="bundle: DSSE signature 1 of 1: $why"
  expect 1 "cloud-boot: pull: signature refused: $src: cosign: no valid signature among 1 layer; layer 1: $why"
  if [ $case = sig-bundle ]; then
    # the bundle with cosign's OCI 1.1 referrers mode too (docker-registry 2.8 still gets the referrers tag)
    artifact b11
    COSIGN_EXPERIMENTAL=1 sign "$REGISTRY/boot/b11@$d" --allow-http-registry --registry-referrers-mode=oci-1-1
    step="bundle, oci-1-1 mode"; pull --key "$work/cosign.pub" "$REGISTRY/boot/b11:1"
    expect 0 "signature $d tag sha256-${d#sha256:}"
    pulled b11
  fi
  ;;
sig-index)
  # a signed multi-arch index: the signature is for the index digest, the files are arm64's
  start_registry
  keys
  entries=
  for a in amd64 arm64; do
    make_files "$work/$a" "$a"
    dg=$(push "$work/$a" "$REGISTRY/boot/multi:$a" "vmlinuz:$KT" "initrd.img:$IT")
    entries="$entries{\"mediaType\":\"$MT\",\"digest\":\"$dg\",\"size\":$(mget boot/multi "$dg" "$MT" | wc -c),\"platform\":{\"architecture\":\"$a\",\"os\":\"linux\"}},"
    eval "dg_$a=$dg"
  done
  printf '{"schemaVersion":2,"mediaType":"%s","manifests":[%s],"annotations":{"org.opencontainers.image.created":"2024-01-01T00:00:00Z"}}' \
    "$XT" "${entries%,}" >"$work/index.json"
  mput boot/multi 1 "$XT" "$work/index.json"
  idx=$(sha "$work/index.json")
  sign "$REGISTRY/boot/multi@$idx" --allow-http-registry
  step="index signed"; pull --key "$work/cosign.pub" --arch aarch64 "$REGISTRY/boot/multi:1"; expect 0 "manifest $dg_arm64"
  expect_out "signature $idx tag sha256-${idx#sha256:}
digest $idx
manifest $dg_arm64
kernel $work/out/vmlinuz 300000 $(sha "$work/arm64/vmlinuz") layers[0]
initrd $work/out/initrd.img 123457 $(sha "$work/arm64/initrd.img") layers[1]"
  same "$work/out/vmlinuz" "$work/arm64/vmlinuz"
  step="no such platform"; pull --key "$work/cosign.pub" --arch riscv64 "$REGISTRY/boot/multi:1"
  expect 1 "oci: $REGISTRY/boot/multi:1: manifest: index has no manifest for linux/riscv64 (it has linux/amd64, linux/arm64)"
  # a platform manifest signed on its own is enough when the index is not signed
  sed 's/2024-01-01/2024-01-02/' "$work/index.json" >"$work/index2.json"
  mput boot/multi 2 "$XT" "$work/index2.json"
  sign "$REGISTRY/boot/multi@$dg_amd64" --allow-http-registry
  step="platform manifest signed"; pull --key "$work/cosign.pub" --arch amd64 "$REGISTRY/boot/multi:2"
  expect 0 "signature $dg_amd64 tag sha256-${dg_amd64#sha256:}"
  step="platform manifest unsigned"; pull --key "$work/cosign.pub" --arch arm64 "$REGISTRY/boot/multi:2"
  expect 1 "oci: $REGISTRY/boot/multi@$(sha "$work/index2.json"): no signature found"
  ;;
tamper-artifact)
  # every artifact byte counts: kernel, initrd, image manifest, index, platform manifest (signed artifact)
  start_registry
  keys
  artifact t
  sign "$REGISTRY/boot/t@$d" --allow-http-registry
  pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"; expect 0 "signature $d"
  k=$(sha "$work/t/vmlinuz") i=$(sha "$work/t/initrd.img")
  step="kernel blob"; flip "$(blobfile "$k")"
  pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"
  expect 1 "cloud-boot: pull: kernel: oci: $REGISTRY/boot/t@$k: blob digest mismatch (got $(sha "$(blobfile "$k")"))"
  flip "$(blobfile "$k")"
  step="initrd blob"; flip "$(blobfile "$i")"
  pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"
  expect 1 "cloud-boot: pull: initrd: oci: $REGISTRY/boot/t@$i: blob digest mismatch (got $(sha "$(blobfile "$i")"))"
  flip "$(blobfile "$i")"
  step="manifest"; flip "$(blobfile "$d")" org.opencontainers.image.created
  pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"
  expect 1 "oci: $REGISTRY/boot/t:1: manifest digest $(sha "$(blobfile "$d")") differs from Docker-Content-Digest $d"
  step="manifest by digest"; pull --key "$work/cosign.pub" "$REGISTRY/boot/t@$d"
  expect 1 "oci: $REGISTRY/boot/t@$d: manifest digest mismatch (got $(sha "$(blobfile "$d")"))"
  flip "$(blobfile "$d")" org.opencontainers.image.created
  size=$(mget boot/t "$d" "$MT" | wc -c)
  printf '{"schemaVersion":2,"mediaType":"%s","manifests":[{"mediaType":"%s","digest":"%s","size":%s,"platform":{"architecture":"amd64","os":"linux"}}],"annotations":{"org.opencontainers.image.created":"2024-01-01T00:00:00Z"}}' \
    "$XT" "$MT" "$d" "$size" >"$work/index.json"
  mput boot/t idx "$XT" "$work/index.json"
  idx=$(sha "$work/index.json")
  sign "$REGISTRY/boot/t@$idx" --allow-http-registry
  pull --key "$work/cosign.pub" --arch amd64 "$REGISTRY/boot/t:idx"; expect 0 "signature $idx"
  step="index"; flip "$(blobfile "$idx")" org.opencontainers.image.created
  pull --key "$work/cosign.pub" --arch amd64 "$REGISTRY/boot/t:idx"
  expect 1 "oci: $REGISTRY/boot/t:idx: manifest digest $(sha "$(blobfile "$idx")") differs from Docker-Content-Digest $idx"
  flip "$(blobfile "$idx")" org.opencontainers.image.created
  step="platform manifest"; flip "$(blobfile "$d")" org.opencontainers.image.created
  pull --key "$work/cosign.pub" --arch amd64 "$REGISTRY/boot/t:idx"
  expect 1 "oci: $REGISTRY/boot/t:idx@$d: manifest digest mismatch (got $(sha "$(blobfile "$d")"))"
  flip "$(blobfile "$d")" org.opencontainers.image.created
  step="restored"; pull --key "$work/cosign.pub" --arch amd64 "$REGISTRY/boot/t:idx"; expect 0 "manifest $d"
  pulled t
  ;;
tamper-legacy)
  # a legacy .sig signature: its manifest, payload and signature bytes, in storage and re-pushed consistently
  start_registry
  keys
  artifact t
  sign "$REGISTRY/boot/t@$d" --allow-http-registry --new-bundle-format=false
  tag=sha256-${d#sha256:}.sig
  mget boot/t "$tag" "$MT" >"$work/sig.json"
  s=$(sha "$work/sig.json")
  p=$(json 'print(d["layers"][0]["digest"])' "$work/sig.json")
  curl -sf "$REGISTRY_URL/v2/boot/t/blobs/$p" >"$work/payload.json" || fail "payload"
  step="signature manifest"; flip "$(blobfile "$s")" dev.cosignproject.cosign/signature
  pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"
  expect 1 "oci: $REGISTRY/boot/t:$tag: manifest digest $(sha "$(blobfile "$s")") differs from Docker-Content-Digest $s"
  flip "$(blobfile "$s")" dev.cosignproject.cosign/signature
  step="payload blob"; flip "$(blobfile "$p")" docker-reference
  pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"
  expect 1 "oci: $REGISTRY/boot/t@$d: no valid signature among 1 found; last: tag $tag: cosign: "
  expect 1 "cloud-boot: pull: signature refused: tag $tag: cosign: no valid signature among 1 layer; layer 1: oci: $REGISTRY/boot/t@$p: blob digest mismatch (got $(sha "$(blobfile "$p")"))"
  flip "$(blobfile "$p")" docker-reference
  step="restored"; pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"; expect 0 "signature $d tag $tag"
  step="signature bytes"
  json 'import base64; a = d["layers"][0]["annotations"]; s = bytearray(base64.b64decode(a["dev.cosignproject.cosign/signature"])); s[-5] ^= 1; a["dev.cosignproject.cosign/signature"] = base64.b64encode(s).decode(); open(sys.argv[2], "w").write(json.dumps(d))' \
    "$work/sig.json" "$work/sig2.json"
  mput boot/t "$tag" "$MT" "$work/sig2.json"
  pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"
  expect 1 "cloud-boot: pull: signature refused: tag $tag: cosign: no valid signature among 1 layer; layer 1: signature does not verify with the configured key"
  step="payload bytes"
  sed 's/"docker-reference":"/&x/' "$work/payload.json" >"$work/payload2.json"
  bput boot/t "$work/payload2.json"
  json 'l = d["layers"][0]; l["digest"] = sys.argv[3]; l["size"] = int(sys.argv[4]); open(sys.argv[2], "w").write(json.dumps(d))' \
    "$work/sig.json" "$work/sig3.json" "$(sha "$work/payload2.json")" "$(stat -c %s "$work/payload2.json")"
  mput boot/t "$tag" "$MT" "$work/sig3.json"
  pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"
  expect 1 "cloud-boot: pull: signature refused: tag $tag: cosign: no valid signature among 1 layer; layer 1: signature does not verify with the configured key"
  step="put back"; mput boot/t "$tag" "$MT" "$work/sig.json"
  pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"; expect 0 "signature $d tag $tag"
  ;;
tamper-bundle)
  # a cosign 3 bundle (DSSE): the referrer manifest, the bundle blob, its signature and in-toto payload
  start_registry
  keys
  artifact t
  sign "$REGISTRY/boot/t@$d" --allow-http-registry
  tag=sha256-${d#sha256:}
  mget boot/t "$tag" "$XT" >"$work/refs.json"
  r=$(json 'print(d["manifests"][0]["digest"])' "$work/refs.json")
  mget boot/t "$r" "$MT" >"$work/ref.json"
  b=$(json 'print(d["layers"][0]["digest"])' "$work/ref.json")
  curl -sf "$REGISTRY_URL/v2/boot/t/blobs/$b" >"$work/bundle.json" || fail "bundle"
  json 'assert "dsseEnvelope" in d' "$work/bundle.json" || fail "cosign made no DSSE bundle: $(cat "$work/bundle.json")"
  step="referrer manifest"; flip "$(blobfile "$r")" org.opencontainers.image.created
  pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"
  # (the reason, "manifest digest mismatch (got …)", is past cb_err's 320 bytes: the line ends in "...")
  expect 1 "no valid signature among 0 found; last: tag $tag: oci: $REGISTRY/boot/t@$r: ..."
  flip "$(blobfile "$r")" org.opencontainers.image.created
  step="referrers index"; flip "$(blobfile "$(sha "$work/refs.json")")" digest
  pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"
  expect 1 "oci: $REGISTRY/boot/t:$tag: manifest digest $(sha "$(blobfile "$(sha "$work/refs.json")")") differs from Docker-Content-Digest $(sha "$work/refs.json")"
  flip "$(blobfile "$(sha "$work/refs.json")")" digest
  step="bundle blob"; flip "$(blobfile "$b")" payload
  pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"
  expect 1 "cloud-boot: pull: signature refused: tag $tag: cosign: no valid signature among 1 layer; layer 1: oci: $REGISTRY/boot/t@$b: blob digest mismatch (got $(sha "$(blobfile "$b")"))"
  flip "$(blobfile "$b")" payload
  step="restored"; pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"; expect 0 "signature $d tag $tag"
  # rebundle PYTHON-EDIT: re-pushes the bundle changed by PYTHON-EDIT (on `e`, the dsseEnvelope) consistently:
  # new blob, new referrer manifest, new referrers index at the tag
  rebundle() {
    json "import base64; e = d['dsseEnvelope']; $1; open(sys.argv[2], 'w').write(json.dumps(d))" \
      "$work/bundle.json" "$work/bundle2.json"
    bput boot/t "$work/bundle2.json"
    json 'l = d["layers"][0]; l["digest"] = sys.argv[3]; l["size"] = int(sys.argv[4]); open(sys.argv[2], "w").write(json.dumps(d))' \
      "$work/ref.json" "$work/ref2.json" "$(sha "$work/bundle2.json")" "$(stat -c %s "$work/bundle2.json")"
    mput boot/t "$(sha "$work/ref2.json")" "$MT" "$work/ref2.json"
    json 'm = d["manifests"][0]; m["digest"] = sys.argv[3]; m["size"] = int(sys.argv[4]); open(sys.argv[2], "w").write(json.dumps(d))' \
      "$work/refs.json" "$work/refs2.json" "$(sha "$work/ref2.json")" "$(stat -c %s "$work/ref2.json")"
    mput boot/t "$tag" "$XT" "$work/refs2.json"
  }
  step="DSSE signature bytes"
  rebundle 's = bytearray(base64.b64decode(e["signatures"][0]["sig"])); s[-5] ^= 1; e["signatures"][0]["sig"] = base64.b64encode(s).decode()'
  pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"
  expect 1 "cloud-boot: pull: signature refused: tag $tag: cosign: no valid signature among 1 layer; layer 1: bundle: DSSE signature 1 of 1: signature does not verify with the configured key"
  step="DSSE payload bytes"
  rebundle 'p = bytearray(base64.b64decode(e["payload"])); p[p.index(b"sha256") + 10] ^= 1; e["payload"] = base64.b64encode(p).decode()'
  pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"
  expect 1 "cloud-boot: pull: signature refused: tag $tag: cosign: no valid signature among 1 layer; layer 1: bundle: DSSE signature 1 of 1: signature does not verify with the configured key"
  step="put back"; mput boot/t "$tag" "$XT" "$work/refs.json"
  pull --key "$work/cosign.pub" "$REGISTRY/boot/t:1"; expect 0 "signature $d tag $tag"
  ;;
refused)
  # wrong key, unsigned, and signatures made for another digest (legacy and bundle)
  start_registry
  keys
  artifact a
  da=$d
  artifact b
  db=$d
  sign "$REGISTRY/boot/a@$da" --allow-http-registry --new-bundle-format=false
  step="unsigned"; pull --key "$work/cosign.pub" "$REGISTRY/boot/b:1"
  expect 1 "oci: $REGISTRY/boot/b@$db: no signature found (tried the .sig tag, the referrers API and the referrers tag)"
  step="wrong key"; pull --key "$work/other.pub" "$REGISTRY/boot/a:1"
  expect 1 "oci: $REGISTRY/boot/a@$da: no valid signature among 1 found; last: tag sha256-${da#sha256:}.sig: cosign: "
  expect 1 "cloud-boot: pull: signature refused: tag sha256-${da#sha256:}.sig: cosign: no valid signature among 1 layer; layer 1: signature does not verify with the configured key"
  step="legacy signature of another digest"
  mget boot/a "sha256-${da#sha256:}.sig" "$MT" >"$work/sig.json"
  curl -sf -X POST "$REGISTRY_URL/v2/boot/b/blobs/uploads/?mount=$(json 'print(d["layers"][0]["digest"])' "$work/sig.json")&from=boot/a" -o /dev/null
  curl -sf -X POST "$REGISTRY_URL/v2/boot/b/blobs/uploads/?mount=$(json 'print(d["config"]["digest"])' "$work/sig.json")&from=boot/a" -o /dev/null
  mput boot/b "sha256-${db#sha256:}.sig" "$MT" "$work/sig.json"
  pull --key "$work/cosign.pub" "$REGISTRY/boot/b:1"
  expect 1 "cloud-boot: pull: signature refused: tag sha256-${db#sha256:}.sig: cosign: no valid signature among 1 layer; layer 1: payload signs $da, not $db"
  step="bundle of another digest"
  artifact c
  dc=$d
  sign "$REGISTRY/boot/c@$dc" --allow-http-registry
  mget boot/c "sha256-${dc#sha256:}" "$XT" >"$work/refs.json"
  artifact e
  de=$d
  r=$(json 'print(d["manifests"][0]["digest"])' "$work/refs.json")
  mget boot/c "$r" "$MT" >"$work/ref.json"
  for x in "$(json 'print(d["layers"][0]["digest"])' "$work/ref.json")" "$(json 'print(d["config"]["digest"])' "$work/ref.json")"; do
    curl -sf -X POST "$REGISTRY_URL/v2/boot/e/blobs/uploads/?mount=$x&from=boot/c" -o /dev/null
  done
  mput boot/e "$r" "$MT" "$work/ref.json"
  mput boot/e "sha256-${de#sha256:}" "$XT" "$work/refs.json"
  pull --key "$work/cosign.pub" "$REGISTRY/boot/e:1"
  expect 1 "cloud-boot: pull: signature refused: tag sha256-${de#sha256:}: cosign: signature manifest is for $dc, not $de"
  step="retagged to an unsigned manifest"
  mget boot/b 1 "$MT" >"$work/b.json"
  for x in $(json 'print(" ".join(l["digest"] for l in d["layers"] + [d["config"]]))' "$work/b.json"); do
    curl -sf -X POST "$REGISTRY_URL/v2/boot/a/blobs/uploads/?mount=$x&from=boot/b" -o /dev/null
  done
  mput boot/a 1 "$MT" "$work/b.json"
  pull --key "$work/cosign.pub" "$REGISTRY/boot/a:1"
  expect 1 "oci: $REGISTRY/boot/a@$db: no signature found"
  ;;
tls)
  # TLS with a CA made at test time, Basic auth; BearSSL matches DNS names only, so the pulls use localhost
  command -v openssl >/dev/null || skip "openssl not installed"
  start_registry --tls --htpasswd alice:s3cret
  keys
  port=${REGISTRY##*:}
  oras_flags=(--ca-file "$REGISTRY_CA" -u alice -p s3cret)
  curl_auth=(--cacert "$REGISTRY_CA" -u alice:s3cret)
  artifact tls
  printf '{"auths":{"%s":{"auth":"%s"}}}' "$REGISTRY" "$(printf alice:s3cret | base64)" >"$DOCKER_CONFIG/config.json"
  SSL_CERT_FILE=$REGISTRY_CA sign "$REGISTRY/boot/tls@$d"
  export CLOUD_BOOT_REGISTRY_USER=alice CLOUD_BOOT_REGISTRY_PASSWORD=s3cret
  step="TLS, --ca, Basic, bundle"; run --ca "$REGISTRY_CA" --key "$work/cosign.pub" -o "$work/out" "localhost:$port/boot/tls:1"
  expect 0 "signature $d tag sha256-${d#sha256:}"
  pulled tls
  step="SSL_CERT_FILE"; SSL_CERT_FILE=$REGISTRY_CA run --key "$work/cosign.pub" -o "$work/out" "localhost:$port/boot/tls:1"
  expect 0 "manifest $d"
  step="untrusted"; run --key "$work/cosign.pub" -o "$work/out" "localhost:$port/boot/tls:1"
  expect 1 "cloud-boot: pull: localhost:$port/boot/tls:1: http: GET https://localhost:$port/v2/boot/tls/manifests/1: tls: localhost: certificate not trusted"
  step="IP address"; run --ca "$REGISTRY_CA" -o "$work/out" "$REGISTRY/boot/tls:1"
  expect 1 "tls: 127.0.0.1: certificate does not match the host name"
  step="missing CA file"; run --ca "$work/nope.pem" -o "$work/out" "localhost:$port/boot/tls:1"
  expect 1 "cloud-boot: pull: localhost:$port/boot/tls:1: tls: CA file $work/nope.pem: No such file or directory"
  step="plain HTTP to TLS"; run --plain-http -o "$work/out" "localhost:$port/boot/tls:1"
  expect 1 "oci: localhost:$port/boot/tls:1: manifest refused (400)"
  step="wrong password"; CLOUD_BOOT_REGISTRY_PASSWORD=nope run --ca "$REGISTRY_CA" -o "$work/out" "localhost:$port/boot/tls:1"
  expect 1 "oci: localhost:$port/boot/tls:1: manifest refused after authenticating (401)"
  ;;
htpasswd)
  start_registry --htpasswd alice:s3cret
  keys
  oras_flags=(--plain-http -u alice -p s3cret)
  curl_auth=(-u alice:s3cret)
  artifact auth
  printf '{"auths":{"%s":{"auth":"%s"}}}' "$REGISTRY" "$(printf alice:s3cret | base64)" >"$DOCKER_CONFIG/config.json"
  sign "$REGISTRY/boot/auth@$d" --allow-http-registry --new-bundle-format=false
  step="no credentials"; pull --key "$work/cosign.pub" "$REGISTRY/boot/auth:1"
  expect 1 "oci: $REGISTRY/boot/auth:1: the registry wants credentials (Basic realm \"cloud-boot-test\") and none are configured"
  step="Basic"; CLOUD_BOOT_REGISTRY_USER=alice CLOUD_BOOT_REGISTRY_PASSWORD=s3cret pull --key "$work/cosign.pub" "$REGISTRY/boot/auth:1"
  expect 0 "signature $d tag sha256-${d#sha256:}.sig"
  expect_out "signature $d tag sha256-${d#sha256:}.sig
digest $d
manifest $d
$files_out"
  pulled auth
  step="wrong password"; CLOUD_BOOT_REGISTRY_USER=alice CLOUD_BOOT_REGISTRY_PASSWORD=nope pull "$REGISTRY/boot/auth:1"
  expect 1 "oci: $REGISTRY/boot/auth:1: manifest refused after authenticating (401)"
  ;;
token)
  start_registry --token --token-user bob:pw
  keys
  oras_flags=(--plain-http -u bob -p pw)
  artifact tok
  printf '{"auths":{"%s":{"auth":"%s"}}}' "$REGISTRY" "$(printf bob:pw | base64)" >"$DOCKER_CONFIG/config.json"
  sign "$REGISTRY/boot/tok@$d" --allow-http-registry
  tport=$(sed -n 's|.*realm: http://127.0.0.1:\([0-9]*\)/token|\1|p' "$work/reg/config.yml")
  step="anonymous"; pull --key "$work/cosign.pub" "$REGISTRY/boot/tok:1"
  expect 1 "oci: $REGISTRY/boot/tok:1: token request to \"http://127.0.0.1:$tport/token\" refused (401, bad credentials, UNAUTHORIZED)"
  : >"$TOKEN_LOG"
  step="Bearer token"; CLOUD_BOOT_REGISTRY_USER=bob CLOUD_BOOT_REGISTRY_PASSWORD=pw pull --key "$work/cosign.pub" "$REGISTRY/boot/tok:1"
  expect 0 "signature $d tag sha256-${d#sha256:}"
  pulled tok
  # one token for the repository, reused for the manifests, the signature and the blobs
  [ "$(cat "$TOKEN_LOG")" = "/token auth=basic:bob scopes=repository:boot/tok:pull -> 200" ] ||
    fail "token log: $(cat "$TOKEN_LOG")"
  step="wrong password"; CLOUD_BOOT_REGISTRY_USER=bob CLOUD_BOOT_REGISTRY_PASSWORD=nope pull "$REGISTRY/boot/tok:1"
  expect 1 "token request to \"http://127.0.0.1:$tport/token\" refused (401, bad credentials, UNAUTHORIZED)"
  ;;
*)
  echo "unknown case $case" >&2
  exit 2
  ;;
esac
echo "PASS [$case]"
