#!/usr/bin/env bash
# registry_test.sh: one scenario of the OCI registry client against a real registry on loopback
# (tests/net/registry_fixture.sh: Debian's docker-registry, plain, Basic or token auth): artifacts pushed with
# oras (and cosign, openssl for signatures), pulled with `cloud-boot pull` (oci_pull_boot), files and output
# compared. Usage: registry_test.sh CLOUD-BOOT ORAS COSIGN CASE    (`registry_test.sh list` lists the cases)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cases="per-file titles index tar-gz tar-zst pinned corrupt-blob limits htpasswd token token-private
sig-bundle sig-legacy fixture-tls"
if [ "${1:-}" = list ]; then
  echo $cases
  exit 0
fi
[ $# -eq 4 ] || { echo "usage: $0 CLOUD-BOOT ORAS COSIGN CASE" >&2; exit 2; }
cloud_boot=$1 oras=$2 cosign=$3 case=$4
unset CLOUD_BOOT_REGISTRY_USER CLOUD_BOOT_REGISTRY_PASSWORD

work=$(mktemp -d)
cleanup() {
  "$here/registry_fixture.sh" stop "$work/reg" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL [$case]: $*" >&2
  echo "--- cloud-boot pull stdout:" >&2; cat "$work/stdout" >&2 2>/dev/null
  echo "--- cloud-boot pull stderr:" >&2; cat "$work/stderr" >&2 2>/dev/null
  echo "--- registry log (tail):" >&2; tail -n 20 "$work/reg/registry.log" >&2 2>/dev/null
  exit 1
}
skip() { echo "SKIP [$case]: $*"; exit 77; }

[ -x "$oras" ] || skip "oras not found at $oras (make deps)"

# start_registry [fixture options]: sets REGISTRY and friends.
start_registry() {
  mkdir -p "$work/reg"
  "$here/registry_fixture.sh" start "$work/reg" "$@" >"$work/fixture.out" 2>"$work/fixture.err"
  local rc=$?
  [ $rc = 77 ] && skip "$(cat "$work/fixture.err")"
  [ $rc = 0 ] || fail "fixture: $(cat "$work/fixture.err")"
  # shellcheck disable=SC1091
  source "$work/reg/env"
}

# pull ARGS...: runs `cloud-boot pull` into a fresh $work/out; sets rc, out, err (the error line without its
# "cloud-boot: pull: " prefix). Credentials: CLOUD_BOOT_REGISTRY_USER / CLOUD_BOOT_REGISTRY_PASSWORD.
pull() {
  rm -rf "$work/out"
  "$cloud_boot" pull --plain-http -o "$work/out" "$@" >"$work/stdout" 2>"$work/stderr"
  rc=$?
  out=$(cat "$work/stdout")
  err=$(tail -n 1 "$work/stderr")
  err=${err#cloud-boot: pull: }
}
sha() { echo "sha256:$(sha256sum <"$1" | cut -d' ' -f1)"; }
strsha() { echo "sha256:$(printf '%s' "$1" | sha256sum | cut -d' ' -f1)"; }
expect_ok() { [ "$rc" = 0 ] || fail "exit status $rc, expected 0"; }
expect_fail() {
  [ "$rc" = 1 ] || fail "exit status $rc, expected 1"
  [ "$err" = "$1" ] || fail "error line: got '$err', expected '$1'"
}
expect_out() { [ "$out" = "$1" ] || fail "stdout: got '$out', expected '$1'"; }
same() { cmp -s "$1" "$2" || fail "$(basename "$1") differs from $2"; }
absent() { [ ! -e "$work/out/$1" ] || fail "$1 should not have been written"; }

# push DIR REF FILE[:TYPE]...: oras push from DIR; prints the manifest digest.
push() {
  local dir=$1 ref=$2; shift 2
  (cd "$dir" && "$oras" push --plain-http --disable-path-validation "$ref" "$@" >"$work/oras.out" 2>&1) ||
    fail "oras push $ref: $(cat "$work/oras.out")"
  "$oras" resolve --plain-http "$ref" 2>>"$work/oras.out" || fail "oras resolve $ref"
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

case $case in
per-file)
  start_registry
  make_files "$work/a" per-file
  d=$(push "$work/a" "$REGISTRY/boot/linux:6.6" "vmlinuz:$KT" "initrd.img:$IT" "cmdline:$CT")
  pull "$REGISTRY/boot/linux:6.6"
  expect_ok
  expect_out "digest $d
manifest $d
kernel $work/out/vmlinuz 300000 $(sha "$work/a/vmlinuz") layers[0]
initrd $work/out/initrd.img 123457 $(sha "$work/a/initrd.img") layers[1]
cmdline $work/out/cmdline 36 $(strsha "console=ttyS0 root=/dev/vda per-file") layers[2]"
  same "$work/out/vmlinuz" "$work/a/vmlinuz"
  same "$work/out/initrd.img" "$work/a/initrd.img"
  [ "$(cat "$work/out/cmdline")" = "console=ttyS0 root=/dev/vda per-file" ] || fail "cmdline file"
  # the same through the oci:// form and by digest
  pull "oci://$REGISTRY/boot/linux@$d"
  expect_ok
  same "$work/out/vmlinuz" "$work/a/vmlinuz"
  ;;
titles)
  # plain `oras push` of files: tar media type + title annotations; no initrd, no cmdline
  start_registry
  make_files "$work/a" titles
  mv "$work/a/vmlinuz" "$work/a/vmlinuz-6.6.1"
  d=$(push "$work/a" "$REGISTRY/boot/titles:1" vmlinuz-6.6.1)
  pull "$REGISTRY/boot/titles:1"
  expect_ok
  expect_out "digest $d
manifest $d
kernel $work/out/vmlinuz-6.6.1 300000 $(sha "$work/a/vmlinuz-6.6.1") layers[0]"
  same "$work/out/vmlinuz-6.6.1" "$work/a/vmlinuz-6.6.1"
  absent initrd.img
  absent cmdline
  ;;
index)
  start_registry
  entries=
  for a in amd64 arm64 riscv64 loong64; do
    make_files "$work/$a" "$a"
    dg=$(push "$work/$a" "$REGISTRY/boot/multi:$a" "vmlinuz:$KT" "initrd.img:$IT" "cmdline:$CT")
    size=$(curl -s -H "Accept: application/vnd.oci.image.manifest.v1+json" "$REGISTRY_URL/v2/boot/multi/manifests/$dg" | wc -c)
    variant=
    [ $a = arm64 ] && variant=',"variant":"v8"'
    entries="$entries{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"$dg\",\"size\":$size,\"platform\":{\"architecture\":\"$a\",\"os\":\"linux\"$variant}},"
    eval "dg_$a=$dg"
  done
  # an attestation-like entry first, as buildkit writes them
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1,"platform":{"architecture":"unknown","os":"unknown"}},%s]}' \
    "$dg_amd64" "${entries%,}" >"$work/index.json"
  idx=sha256:$(sha256sum <"$work/index.json" | cut -d' ' -f1)
  code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Content-Type: application/vnd.oci.image.index.v1+json" \
    --data-binary @"$work/index.json" "$REGISTRY_URL/v2/boot/multi/manifests/1")
  [ "$code" = 201 ] || fail "index PUT: $code"
  for a in amd64 arm64 riscv64 loong64; do
    pull --arch $a "$REGISTRY/boot/multi:1"
    expect_ok
    m=dg_$a
    c="console=ttyS0 root=/dev/vda $a"
    expect_out "digest $idx
manifest ${!m}
kernel $work/out/vmlinuz 300000 $(sha "$work/$a/vmlinuz") layers[0]
initrd $work/out/initrd.img 123457 $(sha "$work/$a/initrd.img") layers[1]
cmdline $work/out/cmdline ${#c} $(strsha "$c") layers[2]"
    same "$work/out/vmlinuz" "$work/$a/vmlinuz"
    same "$work/out/initrd.img" "$work/$a/initrd.img"
  done
  pull --arch x86_64 "$REGISTRY/boot/multi:1"
  expect_ok
  same "$work/out/vmlinuz" "$work/amd64/vmlinuz"
  pull --arch s390x "$REGISTRY/boot/multi:1"
  expect_fail "oci: $REGISTRY/boot/multi:1: manifest: index has no manifest for linux/s390x (it has linux/amd64, linux/arm64/v8, linux/riscv64, linux/loong64)"
  ;;
tar-gz|tar-zst)
  start_registry
  command -v zstd >/dev/null || skip "zstd not installed"
  # two layers: an older kernel below, the current one (behind boot/vmlinuz and boot/initrd.img links) above
  r1=$work/l1 r2=$work/l2
  mkdir -p "$r1/boot" "$r1/etc" "$r2/boot" "$r2/usr/lib/modules/6.1.0"
  head -c 200000 /dev/urandom >"$r1/boot/vmlinuz-5.10.0"
  head -c 5000 /dev/urandom >"$r1/boot/initrd.img-5.10.0"
  echo hello >"$r1/etc/motd"
  head -c 400000 /dev/urandom >"$r2/boot/vmlinuz-6.1.0"
  head -c 150000 /dev/urandom >"$r2/boot/initrd.img-6.1.0"
  ln -s vmlinuz-6.1.0 "$r2/boot/vmlinuz"
  ln -s /boot/initrd.img-6.1.0 "$r2/boot/initrd.img"
  echo mod >"$r2/usr/lib/modules/6.1.0/m.ko"
  mkdir -p "$work/push"
  if [ $case = tar-gz ]; then
    ext=tar.gz mt=application/vnd.oci.image.layer.v1.tar+gzip comp="gzip -n -9"
  else
    ext=tar.zst mt=application/vnd.oci.image.layer.v1.tar+zstd comp="zstd -q -19"
  fi
  tar -C "$r1" --format=gnu -cf - . | $comp >"$work/push/layer1.$ext"
  tar -C "$r2" --format=pax -cf - . | $comp >"$work/push/layer2.$ext"
  d=$(push "$work/push" "$REGISTRY/boot/image:1" "layer1.$ext:$mt" "layer2.$ext:$mt")
  pull "$REGISTRY/boot/image:1"
  expect_ok
  expect_out "digest $d
manifest $d
kernel $work/out/kernel 400000 $(sha "$r2/boot/vmlinuz-6.1.0") boot/vmlinuz-6.1.0 in tar layer 1
initrd $work/out/initrd 150000 $(sha "$r2/boot/initrd.img-6.1.0") boot/initrd.img-6.1.0 in tar layer 1"
  same "$work/out/kernel" "$r2/boot/vmlinuz-6.1.0"
  same "$work/out/initrd" "$r2/boot/initrd.img-6.1.0"
  # a cap on extracted files is enforced while streaming
  pull --max-file 300000 "$REGISTRY/boot/image:1"
  l2=sha256:$(sha256sum <"$work/push/layer2.$ext" | cut -d' ' -f1)
  expect_fail "oci: $REGISTRY/boot/image:1: layer $l2: \"boot/vmlinuz-6.1.0\": 400000 bytes exceed the limit of 300000"
  ;;
pinned)
  start_registry
  make_files "$work/a" pinned
  d=$(push "$work/a" "$REGISTRY/boot/linux:6.6" "vmlinuz:$KT")
  pull "$REGISTRY/boot/linux:6.6@$d"
  expect_ok
  same "$work/out/vmlinuz" "$work/a/vmlinuz"
  other=sha256:$(printf x | sha256sum | cut -d' ' -f1)
  pull "$REGISTRY/boot/linux@$other"
  expect_fail "oci: $REGISTRY/boot/linux@$other: manifest unknown (404, MANIFEST_UNKNOWN)"
  pull "$REGISTRY/boot/nothing:1"
  expect_fail "oci: $REGISTRY/boot/nothing:1: manifest unknown (404, MANIFEST_UNKNOWN)"
  ;;
corrupt-blob)
  start_registry
  make_files "$work/a" corrupt
  d=$(push "$work/a" "$REGISTRY/boot/linux:1" "vmlinuz:$KT")
  k=$(sha256sum <"$work/a/vmlinuz" | cut -d' ' -f1)
  data=$REGISTRY_STORAGE/docker/registry/v2/blobs/sha256/${k:0:2}/$k/data
  [ -f "$data" ] || fail "blob file $data not found"
  printf 'X' | dd of="$data" bs=1 seek=1000 conv=notrunc status=none
  got=sha256:$(sha256sum <"$data" | cut -d' ' -f1)
  pull "$REGISTRY/boot/linux:1"
  expect_fail "kernel: oci: $REGISTRY/boot/linux@sha256:$k: blob digest mismatch (got $got)"
  absent vmlinuz
  ;;
limits)
  start_registry
  make_files "$work/a" limits
  d=$(push "$work/a" "$REGISTRY/boot/linux:1" "vmlinuz:$KT")
  k=$(sha256sum <"$work/a/vmlinuz" | cut -d' ' -f1)
  pull --max-file 299999 "$REGISTRY/boot/linux:1"
  expect_fail "kernel: oci: $REGISTRY/boot/linux@sha256:$k: blob of 300000 bytes exceeds the limit of 299999"
  # (a manifest over 4 MiB cannot be stored: docker-registry refuses such PUTs itself; the client's cap is
  # covered by tests/unit/oci_registry_test.c)
  ;;
htpasswd)
  start_registry --htpasswd alice:s3cret
  make_files "$work/a" htpasswd
  (cd "$work/a" && "$oras" push --plain-http -u alice -p s3cret "$REGISTRY/boot/linux:1" "vmlinuz:$KT" >"$work/oras.out" 2>&1) ||
    fail "oras push: $(cat "$work/oras.out")"
  CLOUD_BOOT_REGISTRY_USER=alice CLOUD_BOOT_REGISTRY_PASSWORD=s3cret pull "$REGISTRY/boot/linux:1"
  expect_ok
  same "$work/out/vmlinuz" "$work/a/vmlinuz"
  pull "$REGISTRY/boot/linux:1"
  expect_fail "oci: $REGISTRY/boot/linux:1: the registry wants credentials (Basic realm \"cloud-boot-test\") and none are configured"
  CLOUD_BOOT_REGISTRY_USER=alice CLOUD_BOOT_REGISTRY_PASSWORD=wrong pull "$REGISTRY/boot/linux:1"
  expect_fail "oci: $REGISTRY/boot/linux:1: manifest refused after authenticating (401)"
  ;;
token)
  start_registry --token --token-user bob:pw --anonymous-pull
  make_files "$work/a" token
  (cd "$work/a" && "$oras" push --plain-http -u bob -p pw "$REGISTRY/boot/linux:1" "vmlinuz:$KT" "cmdline:$CT" >"$work/oras.out" 2>&1) ||
    fail "oras push: $(cat "$work/oras.out")"
  : >"$TOKEN_LOG"
  pull "$REGISTRY/boot/linux:1"
  expect_ok
  same "$work/out/vmlinuz" "$work/a/vmlinuz"
  # one anonymous token for the repository, reused for the manifest and both blobs
  [ "$(cat "$TOKEN_LOG")" = "/token auth=none scopes=repository:boot/linux:pull -> 200" ] ||
    fail "token log: $(cat "$TOKEN_LOG")"
  : >"$TOKEN_LOG"
  CLOUD_BOOT_REGISTRY_USER=bob CLOUD_BOOT_REGISTRY_PASSWORD=pw pull "$REGISTRY/boot/linux:1"
  expect_ok
  [ "$(cat "$TOKEN_LOG")" = "/token auth=basic:bob scopes=repository:boot/linux:pull -> 200" ] ||
    fail "token log: $(cat "$TOKEN_LOG")"
  tport=$(sed -n 's|.*realm: http://127.0.0.1:\([0-9]*\)/token|\1|p' "$work/reg/config.yml")
  CLOUD_BOOT_REGISTRY_USER=bob CLOUD_BOOT_REGISTRY_PASSWORD=nope pull "$REGISTRY/boot/linux:1"
  expect_fail "oci: $REGISTRY/boot/linux:1: token request to \"http://127.0.0.1:$tport/token\" refused (401, bad credentials, UNAUTHORIZED)"
  ;;
token-private)
  start_registry --token --token-user bob:pw
  make_files "$work/a" private
  (cd "$work/a" && "$oras" push --plain-http -u bob -p pw "$REGISTRY/boot/linux:1" "vmlinuz:$KT" >"$work/oras.out" 2>&1) ||
    fail "oras push: $(cat "$work/oras.out")"
  tport=$(sed -n 's|.*realm: http://127.0.0.1:\([0-9]*\)/token|\1|p' "$work/reg/config.yml")
  pull "$REGISTRY/boot/linux:1"
  expect_fail "oci: $REGISTRY/boot/linux:1: token request to \"http://127.0.0.1:$tport/token\" refused (401, bad credentials, UNAUTHORIZED)"
  CLOUD_BOOT_REGISTRY_USER=bob CLOUD_BOOT_REGISTRY_PASSWORD=pw pull "$REGISTRY/boot/linux:1"
  expect_ok
  same "$work/out/vmlinuz" "$work/a/vmlinuz"
  ;;
sig-bundle)
  # cosign 3 signs with a Sigstore bundle; docker-registry 2.8 has no referrers API, so cosign stores it under
  # the referrers tag schema (tag sha256-<hex>), where the pull finds it after the API's 404
  [ -x "$cosign" ] || skip "cosign not found at $cosign"
  start_registry
  make_files "$work/a" signed
  d=$(push "$work/a" "$REGISTRY/boot/linux:1" "vmlinuz:$KT")
  (cd "$work" && COSIGN_PASSWORD= "$cosign" generate-key-pair >/dev/null 2>&1 &&
    COSIGN_PASSWORD= "$cosign" generate-key-pair --output-key-prefix other >/dev/null 2>&1) || fail "cosign generate-key-pair"
  pull --key "$work/cosign.pub" "$REGISTRY/boot/linux:1"
  expect_fail "oci: $REGISTRY/boot/linux@$d: no signature found (tried the .sig tag, the referrers API and the referrers tag)"
  absent vmlinuz
  COSIGN_PASSWORD= timeout 120 "$cosign" sign --key "$work/cosign.key" --use-signing-config=false --tlog-upload=false \
    -y --allow-http-registry "$REGISTRY/boot/linux@$d" >"$work/cosign.out" 2>&1 || fail "cosign sign: $(cat "$work/cosign.out")"
  pull --key "$work/cosign.pub" "$REGISTRY/boot/linux:1"
  expect_ok
  expect_out "signature $d tag sha256-${d#sha256:}
digest $d
manifest $d
kernel $work/out/vmlinuz 300000 $(sha "$work/a/vmlinuz") layers[0]"
  same "$work/out/vmlinuz" "$work/a/vmlinuz"
  pull --key "$work/other.pub" "$REGISTRY/boot/linux:1"
  [ "$rc" = 1 ] || fail "other key: exit status $rc"
  case $err in
    "oci: $REGISTRY/boot/linux@$d: no valid signature among 1 found; last: tag sha256-${d#sha256:}: cosign: "*) ;;
    *) fail "other key: error line '$err'" ;;
  esac
  absent vmlinuz
  ;;
sig-legacy)
  # the cosign 1.x/2.x layout, made by hand: tag sha256-<hex>.sig, a simple-signing payload layer whose
  # dev.cosignproject.cosign/signature annotation is base64 of an openssl ECDSA P-256 signature
  command -v openssl >/dev/null || skip "openssl not installed"
  start_registry
  make_files "$work/a" legacy
  d=$(push "$work/a" "$REGISTRY/boot/linux:1" "vmlinuz:$KT")
  openssl ecparam -name prime256v1 -genkey -noout -out "$work/k.pem" 2>/dev/null &&
    openssl ec -in "$work/k.pem" -pubout -out "$work/k.pub" 2>/dev/null || fail "openssl key"
  mkdir -p "$work/sig"
  printf '{"critical":{"identity":{"docker-reference":"%s/boot/linux"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' \
    "$REGISTRY" "$d" >"$work/sig/payload.json"
  sig=$(openssl dgst -sha256 -sign "$work/k.pem" "$work/sig/payload.json" | base64 -w0)
  printf '{"payload.json":{"dev.cosignproject.cosign/signature":"%s"}}' "$sig" >"$work/sig/ann.json"
  push "$work/sig" "$REGISTRY/boot/linux:sha256-${d#sha256:}.sig" --annotation-file ann.json \
    "payload.json:application/vnd.dev.cosign.simplesigning.v1+json" >/dev/null
  pull --key "$work/k.pub" "$REGISTRY/boot/linux:1"
  expect_ok
  expect_out "signature $d tag sha256-${d#sha256:}.sig
digest $d
manifest $d
kernel $work/out/vmlinuz 300000 $(sha "$work/a/vmlinuz") layers[0]"
  # a payload for another digest is refused even with a good signature
  printf '{"critical":{"identity":{"docker-reference":"x"},"image":{"docker-manifest-digest":"sha256:%064d"},"type":"cosign container image signature"},"optional":null}' 0 \
    >"$work/sig/payload.json"
  sig=$(openssl dgst -sha256 -sign "$work/k.pem" "$work/sig/payload.json" | base64 -w0)
  printf '{"payload.json":{"dev.cosignproject.cosign/signature":"%s"}}' "$sig" >"$work/sig/ann.json"
  push "$work/sig" "$REGISTRY/boot/linux:sha256-${d#sha256:}.sig" --annotation-file ann.json \
    "payload.json:application/vnd.dev.cosign.simplesigning.v1+json" >/dev/null
  pull --key "$work/k.pub" "$REGISTRY/boot/linux:1"
  [ "$rc" = 1 ] || fail "wrong digest: exit status $rc"
  case $err in
    "oci: $REGISTRY/boot/linux@$d: no valid signature among 1 found; last: tag sha256-${d#sha256:}.sig: cosign: "*) ;;
    *) fail "wrong digest: error line '$err'" ;;
  esac
  ;;
fixture-tls)
  # the fixture's TLS mode (for clients with TLS): its CA verifies the server, Basic auth still applies
  start_registry --tls --htpasswd alice:s3cret
  [ "$REGISTRY_URL" = "https://$REGISTRY" ] || fail "REGISTRY_URL $REGISTRY_URL"
  code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$REGISTRY_CA" "$REGISTRY_URL/v2/")
  [ "$code" = 401 ] || fail "anonymous /v2/: $code"
  code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$REGISTRY_CA" -u alice:s3cret "$REGISTRY_URL/v2/")
  [ "$code" = 200 ] || fail "/v2/ with credentials: $code"
  curl -s -o /dev/null "$REGISTRY_URL/v2/" && fail "a client without the CA must not connect"
  make_files "$work/a" tls
  (cd "$work/a" && "$oras" push --ca-file "$REGISTRY_CA" -u alice -p s3cret "$REGISTRY/boot/linux:1" "vmlinuz:$KT" \
    >"$work/oras.out" 2>&1) || fail "oras push over TLS: $(cat "$work/oras.out")"
  ;;
*)
  echo "unknown case $case" >&2
  exit 2
  ;;
esac
echo "PASS [$case]"
