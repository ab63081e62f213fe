#!/usr/bin/env bash
# signkey_test.sh: one scenario of cloud-boot's signing keys against the real tools: keys made by cosign 3.1.1 and
# openssl loaded by signkey_tool (signkey_load + signkey_sign), keys made by `cloud-boot generate-key-pair` used by
# cosign, every signature checked by openssl and cosign. Each check asserts the exit code and a message.
# Usage: signkey_test.sh CLOUD-BOOT SIGNKEY-TOOL COSIGN CASE    (`signkey_test.sh list` lists the cases; 77 = skip)
set -uo pipefail

cases="cosign-key our-key openssl-keys force"
if [ "${1:-}" = list ]; then
  echo $cases
  exit 0
fi
[ $# -eq 4 ] || { echo "usage: $0 CLOUD-BOOT SIGNKEY-TOOL COSIGN CASE" >&2; exit 2; }
cb=$(realpath "$1") tool=$(realpath "$2") cosign=$3 case=$4
skip() { echo "SKIP [$case]: $*"; exit 77; }
[ -x "$cosign" ] || skip "cosign not found at $cosign (make deps)"
command -v openssl >/dev/null || skip "openssl not installed"
command -v setsid >/dev/null || skip "setsid (util-linux) not installed"

work=$(mktemp -d)
export HOME=$work/home
mkdir -p "$HOME"
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
unset COSIGN_PASSWORD

step=setup
fail() {
  echo "FAIL [$case] $step: $*" >&2
  echo "--- stdout:" >&2; cat "$work/stdout" >&2 2>/dev/null
  echo "--- stderr:" >&2; cat "$work/stderr" >&2 2>/dev/null
  exit 1
}

# run CMD...: sets rc, out, err. Commands run without a controlling terminal (setsid), so nothing can prompt.
run() {
  setsid -w "$@" </dev/null >"$work/stdout" 2>"$work/stderr"
  rc=$?
  out=$(cat "$work/stdout")
  err=$(cat "$work/stderr")
}
# expect RC [TEXT]: the exit code, and TEXT somewhere in stdout or stderr.
expect() {
  [ "$rc" = "$1" ] || fail "exit code $rc, want $1"
  if [ $# -ge 2 ]; then
    [[ "$out$err" == *"$2"* ]] || fail "output lacks \"$2\""
  fi
}

printf 'a blob to sign\n' >blob
printf 'another blob\n' >other

# ossl_verify PUB SIG.der FILE: openssl's verdict ("Verified OK" / "Verification failure").
ossl_verify() { run openssl dgst -sha256 -verify "$1" -signature "$2" "$3"; }
# cosign_verify PUB SIG.der FILE: cosign 3 verify-blob with a raw base64 signature, no transparency log.
cosign_verify() {
  run "$cosign" verify-blob --key "$1" --signature "$(base64 -w0 "$2")" --insecure-ignore-tlog=true "$3"
}
# cosign_sign KEY SIG.b64 FILE: cosign 3 sign-blob, offline (no Rekor, no signing config), raw signature out.
cosign_sign() {
  run "$cosign" sign-blob --key "$1" --tlog-upload=false --use-signing-config=false --new-bundle-format=false \
    --output-signature "$2" --yes "$3"
}
# ours_signs KEY PUB: signkey_tool signs blob with KEY; openssl and cosign accept it under PUB, and not for other.
ours_signs() {
  step="signkey_tool $1"; run "$tool" "$1" blob sig.der; expect 0
  step="openssl verifies $1's signature"; ossl_verify "$2" sig.der blob; expect 0 "Verified OK"
  step="openssl refuses it for another blob"; ossl_verify "$2" sig.der other; expect 1 "Verification failure"
  step="cosign verifies $1's signature"; cosign_verify "$2" sig.der blob; expect 0 "Verified OK"
  step="cosign refuses it for another blob"; cosign_verify "$2" sig.der other; expect 1 "invalid signature"
}

case $case in
cosign-key)
  step="cosign generate-key-pair"
  COSIGN_PASSWORD=pw run "$cosign" generate-key-pair; expect 0
  COSIGN_PASSWORD=pw ours_signs cosign.key cosign.pub
  step="wrong password"
  COSIGN_PASSWORD=nope run "$tool" cosign.key blob sig.der
  expect 1 "signkey_tool: cosign.key: wrong password or corrupted key (secretbox authentication failed)"
  step="no password, no terminal"; run "$tool" cosign.key blob sig.der
  expect 1 "signkey_tool: cosign.key: a password is needed and there is no terminal to ask for it: set COSIGN_PASSWORD (it may be empty)"
  step="cosign generate-key-pair, empty password"
  COSIGN_PASSWORD= run "$cosign" generate-key-pair --output-key-prefix empty; expect 0
  COSIGN_PASSWORD= ours_signs empty.key empty.pub
  ;;
our-key)
  step="generate-key-pair"
  COSIGN_PASSWORD=pw run "$cb" generate-key-pair --output-key-prefix ours
  expect 0
  [ "$err" = $'Private key written to ours.key\nPublic key written to ours.pub' ] || fail "stderr: $err"
  [ "$(stat -c %a ours.key)" = 600 ] || fail "ours.key has mode $(stat -c %a ours.key), want 600"
  [ "$(head -1 ours.key)" = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----" ] || fail "ours.key: $(head -1 ours.key)"
  step="cosign sign-blob with our key"; COSIGN_PASSWORD=pw cosign_sign ours.key sig.b64 blob; expect 0
  base64 -d sig.b64 >sig.der || fail "cosign wrote no base64 signature"
  step="openssl verifies cosign's signature with our .pub"; ossl_verify ours.pub sig.der blob; expect 0 "Verified OK"
  step="cosign verifies it with our .pub"; cosign_verify ours.pub sig.der blob; expect 0 "Verified OK"
  step="cosign with a wrong password"; COSIGN_PASSWORD=nope cosign_sign ours.key sig2.b64 blob
  [ "$rc" != 0 ] || fail "cosign accepted a wrong password for ours.key"
  COSIGN_PASSWORD=pw ours_signs ours.key ours.pub
  step="generate-key-pair, empty password"
  COSIGN_PASSWORD= run "$cb" generate-key-pair --output-key-prefix empty; expect 0 "Public key written to empty.pub"
  step="cosign sign-blob, empty password"; COSIGN_PASSWORD= cosign_sign empty.key sig.b64 blob; expect 0
  base64 -d sig.b64 >sig.der || fail "cosign wrote no base64 signature"
  step="openssl verifies it"; ossl_verify empty.pub sig.der blob; expect 0 "Verified OK"
  step="default prefix"; mkdir dflt && cd dflt || fail "mkdir"
  COSIGN_PASSWORD=x run "$cb" generate-key-pair; expect 0 "Private key written to cosign.key"
  [ -f cosign.key ] && [ -f cosign.pub ] || fail "no cosign.key / cosign.pub"
  ;;
openssl-keys)
  openssl ecparam -name prime256v1 -genkey -out sec1.pem 2>/dev/null &&
    openssl ec -in sec1.pem -pubout -out sec1.pub 2>/dev/null || fail "openssl ecparam"
  grep -q "BEGIN EC PARAMETERS" sec1.pem && grep -q "BEGIN EC PRIVATE KEY" sec1.pem || fail "unexpected ecparam output"
  ours_signs sec1.pem sec1.pub
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p8.pem 2>/dev/null &&
    openssl pkey -in p8.pem -pubout -out p8.pub 2>/dev/null || fail "openssl genpkey"
  grep -q "BEGIN PRIVATE KEY" p8.pem || fail "unexpected genpkey output"
  ours_signs p8.pem p8.pub
  openssl ecparam -name secp384r1 -genkey -noout -out p384.pem 2>/dev/null || fail "openssl secp384r1"
  step="P-384 SEC1"; run "$tool" p384.pem blob sig.der
  expect 1 "signkey_tool: p384.pem: EC PRIVATE KEY: EC keys on secp384r1 are not supported (signing keys must be ECDSA P-256)"
  openssl pkey -in p384.pem -out p384p8.pem 2>/dev/null || fail "openssl pkey"
  step="P-384 PKCS#8"; run "$tool" p384p8.pem blob sig.der
  expect 1 "signkey_tool: p384p8.pem: PRIVATE KEY: EC keys on secp384r1 are not supported"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pem 2>/dev/null || fail "openssl RSA"
  step="RSA"; run "$tool" rsa.pem blob sig.der
  expect 1 "signkey_tool: rsa.pem: PRIVATE KEY: RSA keys are not supported (signing keys must be ECDSA P-256)"
  openssl pkcs8 -topk8 -in p8.pem -passout pass:pw -out enc.pem 2>/dev/null || fail "openssl pkcs8"
  step="encrypted PKCS#8"; run "$tool" enc.pem blob sig.der
  expect 1 "signkey_tool: enc.pem: password-protected PKCS#8 (\"ENCRYPTED PRIVATE KEY\") is not supported"
  ;;
force)
  step="first"; COSIGN_PASSWORD=pw run "$cb" generate-key-pair --output-key-prefix k; expect 0
  cp k.key k.key.orig && cp k.pub k.pub.orig || fail "cp"
  step="again without --force"; COSIGN_PASSWORD=pw run "$cb" generate-key-pair --output-key-prefix k
  expect 1 "cloud-boot: generate-key-pair: k.key: exists (use --force to replace it)"
  cmp -s k.key k.key.orig && cmp -s k.pub k.pub.orig || fail "a refused run changed the keys"
  ! ls | grep -q '\.tmp' || fail "a refused run left temporary files: $(ls | tr '\n' ' ')"
  step="only .pub exists"; mv k.key k.key.moved
  COSIGN_PASSWORD=pw run "$cb" generate-key-pair --output-key-prefix k
  expect 1 "cloud-boot: generate-key-pair: k.pub: exists (use --force to replace it)"
  [ ! -e k.key ] || fail "a refused run wrote k.key"
  mv k.key.moved k.key
  step="--force"; COSIGN_PASSWORD=pw2 run "$cb" generate-key-pair --output-key-prefix=k --force; expect 0
  ! cmp -s k.key k.key.orig && ! cmp -s k.pub k.pub.orig || fail "--force did not replace the keys"
  COSIGN_PASSWORD=pw2 ours_signs k.key k.pub
  step="no password, no terminal"; run "$cb" generate-key-pair --output-key-prefix nt
  expect 1 "cloud-boot: generate-key-pair: a password is needed and there is no terminal to ask for it: set COSIGN_PASSWORD"
  [ -z "$(ls | grep '^nt\.')" ] || fail "a refused run left files: $(ls | tr '\n' ' ')"
  step="usage"; run "$cb" generate-key-pair --bogus
  expect 2 "cloud-boot: generate-key-pair: unknown option '--bogus'"
  run "$cb" generate-key-pair --output-key-prefix; expect 2 "--output-key-prefix needs a value"
  run "$cb" generate-key-pair --output-key-prefix a --output-key-prefix b; expect 2 "--output-key-prefix given twice"
  run "$cb" generate-key-pair extra; expect 2 "unexpected argument 'extra'"
  run "$cb" generate-key-pair --help; expect 0 "Usage: cloud-boot generate-key-pair [--output-key-prefix PREFIX] [--force]"
  ;;
*)
  echo "unknown case $case" >&2
  exit 2
  ;;
esac
echo "PASS [$case]"
