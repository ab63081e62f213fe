# cli_test_lib.sh: shared part of the cloud-boot CLI scenario tests (pull_test.sh, push_test.sh), sourced by
# them, never run: work directory and cleanup, fail/skip, running cloud-boot, the registry fixture, hashes,
# cosign keys and signatures, the registry API through curl and oras. Scenario logic stays in the scripts.
# The sourcing script sets here, cb, oras, cosign and case first; sourcing makes $work (removed on exit, with
# the fixture stopped and the processes in cli_pids killed), DOCKER_CONFIG and HOME inside it, and skips (77)
# when oras or cosign is missing.
# shellcheck shell=bash disable=SC2154,SC2034

PATH="$(dirname "$oras"):$PATH"
export PATH
unset CLOUD_BOOT_REGISTRY_USER CLOUD_BOOT_REGISTRY_PASSWORD SSL_CERT_FILE CB_EXTRA_CA COSIGN_PASSWORD

work=$(mktemp -d)
export DOCKER_CONFIG=$work/docker HOME=$work/home
mkdir -p "$DOCKER_CONFIG" "$HOME"
cli_pids=()
cleanup() {
  local p
  for p in "${cli_pids[@]}"; do
    kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
  done
  "$here/registry_fixture.sh" stop "$work/reg" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

step=setup
fail() {
  echo "FAIL [$case] $step: $*" >&2
  echo "--- cloud-boot stdout:" >&2; cat "$work/stdout" >&2 2>/dev/null
  echo "--- cloud-boot stderr:" >&2; cat "$work/stderr" >&2 2>/dev/null
  echo "--- registry log (tail):" >&2; tail -n 20 "$work/reg/registry.log" >&2 2>/dev/null
  exit 1
}
skip() { echo "SKIP [$case]: $*"; exit 77; }

[ -x "$oras" ] || skip "oras not found at $oras (make deps)"
[ -x "$cosign" ] || skip "cosign not found at $cosign (make deps)"

# start_registry [fixture options]: sets REGISTRY, REGISTRY_URL, REGISTRY_STORAGE and friends.
start_registry() {
  mkdir -p "$work/reg"
  "$here/registry_fixture.sh" start "$work/reg" "$@" >"$work/fixture.out" 2>"$work/fixture.err"
  local rc=$?
  [ $rc = 77 ] && skip "$(cat "$work/fixture.err")"
  [ $rc = 0 ] || fail "fixture: $(cat "$work/fixture.err")"
  # shellcheck disable=SC1091
  source "$work/reg/env"
  curl_auth=()
}
# stop_registry: stops the fixture and removes its directory, for the next start_registry.
stop_registry() {
  "$here/registry_fixture.sh" stop "$work/reg" >/dev/null 2>&1
  rm -rf "$work/reg"
}

# cb_run ARGS...: `cloud-boot ARGS` with $work/out removed first; sets rc, out (stdout) and err (stderr).
cb_run() {
  rm -rf "$work/out"
  "$cb" "$@" >"$work/stdout" 2>"$work/stderr"
  rc=$?
  out=$(cat "$work/stdout")
  err=$(cat "$work/stderr")
}
# expect STATUS SUBSTRING: the exit status, and SUBSTRING in stderr (STATUS 0: in stdout). A failure makes
# neither the output directory $work/out nor any file in it.
expect() {
  [ "$rc" = "$1" ] || fail "exit status $rc, expected $1"
  if [ "$1" = 0 ]; then
    [[ "$out" == *"$2"* ]] || fail "stdout lacks '$2'"
  else
    [[ "$err" == *"$2"* ]] || fail "stderr '$err' lacks '$2'"
    [ ! -e "$work/out" ] || fail "$work/out was made on failure: $(ls -A "$work/out")"
  fi
}
expect_out() { [ "$out" = "$1" ] || fail "stdout: got '$out', expected '$1'"; }
same() { cmp -s "$1" "$2" || fail "$1 differs from $2"; }
sha() { echo "sha256:$(sha256sum <"$1" | cut -d' ' -f1)"; }
strsha() { echo "sha256:$(printf '%s' "$1" | sha256sum | cut -d' ' -f1)"; }
blobfile() { echo "$REGISTRY_STORAGE/docker/registry/v2/blobs/sha256/${1:7:2}/${1#sha256:}/data"; }

# sign REF@DIGEST [cosign flags]: keyed cosign 3 signature with $work/cosign.key, offline (no Rekor, no signing
# config).
sign() {
  local ref=$1; shift
  COSIGN_PASSWORD='' timeout 120 "$cosign" sign --key "$work/cosign.key" --tlog-upload=false \
    --use-signing-config=false --yes "$@" "$ref" >"$work/cosign.out" 2>&1 || fail "cosign sign $*: $(cat "$work/cosign.out")"
}
# keys: cosign generate-key-pair, no password: $work/cosign.{key,pub} and $work/other.{key,pub}.
keys() {
  (cd "$work" && COSIGN_PASSWORD='' "$cosign" generate-key-pair --output-key-prefix cosign >/dev/null 2>&1 &&
    COSIGN_PASSWORD='' "$cosign" generate-key-pair --output-key-prefix other >/dev/null 2>&1) || fail "cosign generate-key-pair"
}

# Registry API for hand-made and re-pushed manifests (curl_auth: extra curl arguments; oras_flags: oras's).
MT=application/vnd.oci.image.manifest.v1+json
XT=application/vnd.oci.image.index.v1+json
oras_flags=(--plain-http)
curl_auth=()
mget() { curl -sf "${curl_auth[@]}" -H "Accept: $3" "$REGISTRY_URL/v2/$1/manifests/$2" || fail "GET manifest $1 $2"; }
mput() {
  local code
  code=$(curl -s "${curl_auth[@]}" -o "$work/put.out" -w '%{http_code}' -X PUT -H "Content-Type: $3" \
    --data-binary @"$4" "$REGISTRY_URL/v2/$1/manifests/$2")
  [ "$code" = 201 ] || fail "PUT manifest $1 $2: $code $(cat "$work/put.out")"
}
bput() { "$oras" blob push "${oras_flags[@]}" "$REGISTRY/$1@$(sha "$2")" "$2" >/dev/null 2>&1 || fail "oras blob push $2"; }
json() { python3 -c "import json, sys; d = json.load(open(sys.argv[1])); $1" "${@:2}"; }
