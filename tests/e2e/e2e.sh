#!/usr/bin/env bash
# e2e.sh CPU CASE EFI [runner args…]: Phase 2 end to end on real parts: Debian's docker-registry on loopback
# (TLS with a CA made now, or plain HTTP), the kernel for CPU + the marker initrd + a cmdline pushed with real
# `oras`, signed with real `cosign` (3.x: Sigstore bundle through the referrers tag; `legacy`: the .sig tag),
# a plan pushed and signed the same way, then the loader in QEMU (user networking: the host is 10.0.2.2)
# must verify everything and boot to CLOUD-BOOT-USERSPACE-OK, or refuse with the named check and never
# StartImage. CASE:
#   ok             plan over HTTPS (CA on the ESP), cosign bundle signatures      index     plan-less cloudboot.index=
#   legacy         legacy sha256-<hex>.sig signatures, plain HTTP                  payload   loongarch64: tests/payload as kernel
#   tampered-kernel  a byte of the kernel blob flipped in the registry's storage  tampered-plan  same for the plan
#   wrong-key      the loader pins another key     unsigned   nothing signed      unknown-target  cloudboot.target=nope
#   invalid-plan   a plan that fails validation (the error names line and column)
#   menu           two targets for this CPU: the menu lists both and its countdown boots the default
#   payload-plain  payload over plain HTTP: for U-Boot, whose UEFI GetTime() has no clock to check
#                  certificates against (digests and signatures are still checked)
#   cb-tools       as ok, but keys, pushes (artifact, multi-arch index, plan) and legacy signatures are made by
#                  our own `cloud-boot generate-key-pair|push|sign` ($CLOUD_BOOT, default build/host's)
# PAYLOAD=<payload .efi> is needed for `payload`. Everything started here is stopped by PID on exit.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 CPU CASE EFI [runner args...]" >&2; exit 2; }
cpu=$1 case=$2 efi=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
export PATH="$top/third_party/tools/usr/bin:$PATH"
for t in oras cosign docker-registry openssl curl; do
  command -v "$t" >/dev/null || { echo "e2e: $t is missing (run 'make deps')" >&2; exit 77; }
done
work=$(mktemp -d)
cleanup() {
  "$top/tests/net/registry_fixture.sh" stop "$work/reg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

case $cpu in
  x86_64) arch=amd64 console=ttyS0 ;;
  aarch64) arch=arm64 console=ttyAMA0 ;;
  riscv64) arch=riscv64 console=ttyS0 ;;
  loongarch64) arch=loong64 console=ttyS0 ;;
  *) echo "e2e: unknown CPU $cpu" >&2; exit 2 ;;
esac

tls=1 sign_args=() mode=plan tools=real
case $case in
  cb-tools) tools=cloud-boot
            cb=${CLOUD_BOOT:-$top/build/host/host-tools/cloud-boot/cloud-boot}
            [ -x "$cb" ] || { echo "e2e: $cb is missing (make build-host)" >&2; exit 77; } ;;
  ok|tampered-kernel|tampered-plan|wrong-key|unsigned|unknown-target|invalid-plan|menu) ;;
  index) mode=index ;;
  legacy) tls=0 sign_args=(--new-bundle-format=false) ;;
  payload|payload-plain)
    [ -r "${PAYLOAD:-}" ] || { echo "e2e: $case needs PAYLOAD=<payload .efi>" >&2; exit 2; }
    [ "$case" = payload ] || tls=0 ;;
  *) echo "e2e: unknown case $case" >&2; exit 2 ;;
esac

mkdir -p "$work/reg" "$work/files"
"$top/tests/net/registry_fixture.sh" start "$work/reg" $([ $tls = 1 ] && echo --tls) >/dev/null
# shellcheck disable=SC1091
. "$work/reg/env"
port=${REGISTRY##*:}
guest_reg=10.0.2.2:$port
push_args=(--plain-http) sign_env=()
if [ $tls = 1 ]; then
  push_args=(--ca-file "$REGISTRY_CA")
  sign_env=(SSL_CERT_FILE="$REGISTRY_CA")
else
  sign_args+=(--allow-http-registry)
fi

# Keys: the signing pair, and another pair for the wrong-key case.
if [ $tools = real ]; then
  (cd "$work" && COSIGN_PASSWORD= cosign generate-key-pair --output-key-prefix signer >/dev/null 2>&1 &&
    COSIGN_PASSWORD= cosign generate-key-pair --output-key-prefix other >/dev/null 2>&1)
else
  for k in signer other; do COSIGN_PASSWORD= "$cb" generate-key-pair --output-key-prefix "$work/$k" 2>/dev/null; done
fi

# The boot artifact: kernel (or the payload probe), marker initrd, cmdline.
f=$work/files
if [ "$case" = payload ] || [ "$case" = payload-plain ]; then
  cp "$PAYLOAD" "$f/vmlinuz"
else
  cp "$top/third_party/kernels/$cpu/vmlinuz" "$f/vmlinuz"
fi
"$top/tests/fixtures/mkinitrd.sh" "$cpu" "$f/initrd.img"
echo "console=$console panic=-1" > "$f/cmdline"
push() { # push REPO:TAG FILE:TYPE... → digest on stdout
  local ref=$1; shift
  (cd "$f" && oras push "${push_args[@]}" "$REGISTRY/$ref" "$@" --format go-template='{{.digest}}')
}
sign() { env "${sign_env[@]}" COSIGN_PASSWORD= cosign sign --key "$work/signer.key" --tlog-upload=false \
  --use-signing-config=false "${sign_args[@]}" --yes "$REGISTRY/$1" >/dev/null 2>&1; }
if [ $tools = real ]; then
  kdigest=$(push demo/linux:1 vmlinuz:application/vnd.cloudboot.kernel.v1 initrd.img:application/vnd.cloudboot.initrd.v1 \
    cmdline:application/vnd.cloudboot.cmdline.v1)
else
  cb_reg=(--ca "$REGISTRY_CA") cb_host=localhost:$port # BearSSL matches DNS names only: the cert's SAN has localhost
  cb_push() { (cd "$f" && "$cb" push "$1" "${cb_reg[@]}" "$cb_host/$2" "${@:3}"); }
  mdigest=$(cb_push artifact "demo/linux:1-$arch" --kernel vmlinuz --initrd initrd.img --cmdline "$(cat "$f/cmdline")" \
    --chunk-size 4194304)
  kdigest=$(cb_push index demo/linux:1 "$arch=$mdigest")
  sign() { COSIGN_PASSWORD= "$cb" sign --key "$work/signer.key" "${cb_reg[@]}" "$cb_host/$1" >/dev/null; }
fi

# The plan: a default target for this arch plus one that exists only for another, as users write them.
if [ "$case" = invalid-plan ]; then
  printf 'default_target = "primary"\ntarget "primary" {\n  label = "broken"\n}\n' > "$f/plan.hcl"
else
  cat > "$f/plan.hcl" <<PLAN
default_target = "primary"
locals {
  registry = "$guest_reg/demo"
}
target "primary" {
  version = "1"
  label   = "Linux \${self.version} for \${arch}"
  index   = "\${local.registry}/linux:\${self.version}"
  cmdline = arch == "$arch" ? "cloudboot.e2e=1" : "wrong-arch"
}
$([ "$case" = menu ] && printf 'target "second" {\n  label = "Second choice"\n  index = "%s/demo/linux:1"\n}\n' "$guest_reg")
target "other-arch" {
  arch  = "$([ "$arch" = amd64 ] && echo arm64 || echo amd64)"
  index = "\${local.registry}/linux:1"
}
PLAN
fi
if [ $tools = real ]; then
  pdigest=$(push demo/plan:1 plan.hcl:application/vnd.cloudboot.plan.v1+hcl)
else
  pdigest=$(cb_push plan demo/plan:1 plan.hcl)
fi
if [ "$case" != unsigned ]; then
  sign "demo/linux@$kdigest"
  sign "demo/plan@$pdigest"
fi

# flip_blob DIGEST: one byte of the blob in the registry's own storage (what a compromised mirror serves).
flip_blob() {
  local hex=${1#sha256:}
  local data="$REGISTRY_STORAGE/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data"
  python3 - "$data" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
b[len(b) // 2] ^= 0x01
open(p, 'wb').write(b)
PY
}
layer_digest() { # layer_digest REPO@DIGEST INDEX → digest of that layer
  curl -sf "${curl_tls[@]}" -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "$REGISTRY_URL/v2/${1%@*}/manifests/${1#*@}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["layers"][int(sys.argv[1])]["digest"])' "$2"
}
curl_tls=()
[ $tls = 1 ] && curl_tls=(--cacert "$REGISTRY_CA")

key=signer.pub
expect=("CLOUD-BOOT-USERSPACE-OK $cpu" "oci: signature OK for $pdigest" "oci: signature OK for $kdigest")
[ "$mode" = index ] && expect=("CLOUD-BOOT-USERSPACE-OK $cpu" "oci: signature OK for $kdigest")
refuse='failed, returning to firmware'
case $case in
  payload|payload-plain) read -r isize _ < <(wc -c < "$f/initrd.img")
           expect=("^CLOUD-BOOT-PAYLOAD-OK $cpu initrd=$isize crc32=" "oci: signature OK for $kdigest") ;;
  tampered-kernel) flip_blob "$(layer_digest "demo/linux@$kdigest" 0)"
                   expect=("error: .*kernel: oci: .*blob digest mismatch" "$refuse") ;;
  tampered-plan) flip_blob "$(layer_digest "demo/plan@$pdigest" 0)"
                 expect=("error: oci: .*blob digest mismatch" "$refuse") ;;
  wrong-key) key=other.pub; expect=("error: .*cosign" "$refuse") ;;
  unsigned) expect=("error: .*(no signature|not signed|signature)" "$refuse") ;;
  unknown-target) expect=("error: plan: no target \"nope\"" "$refuse") ;;
  invalid-plan) expect=("error: plan:[0-9]+:[0-9]+: " "$refuse") ;;
  menu) expect=("^Targets \\(2\\): " "^> 1\\) primary +Linux 1 for $arch  \\[default\\]" "^  2\\) second +Second choice"
                "Booting primary in 1 s" "^menu: primary" "CLOUD-BOOT-USERSPACE-OK $cpu") ;;
esac

knobs="cloudboot.key=$key"
if [ "$mode" = index ]; then
  knobs+=" cloudboot.index=$guest_reg/demo/linux:1"
else
  knobs+=" cloudboot.plan=$guest_reg/demo/plan:1"
fi
[ "$case" = unknown-target ] && knobs+=" cloudboot.target=nope"
[ "$case" = menu ] && knobs+=" cloudboot.timeout=1"
esp=(--esp-file "$work/signer.pub=EFI/BOOT/signer.pub" --esp-file "$work/other.pub=EFI/BOOT/other.pub")
if [ $tls = 1 ]; then
  esp+=(--esp-file "$REGISTRY_CA=EFI/BOOT/registry-ca.pem")
  knobs+=" cloudboot.ca=registry-ca.pem"
else
  knobs+=" cloudboot.plain-http=1"
fi
args=()
for x in "${expect[@]}"; do args+=(--expect "$x"); done
case $case in ok|index|legacy|payload|payload-plain|menu|cb-tools) ;; *) args+=(--fail "StartImage" --fail "^error: panic: ") ;; esac
"$top/tests/qemu/run-$cpu.sh" --net "${esp[@]}" --cmdline "$knobs" "${args[@]}" --timeout 200 "$@" "$efi"
