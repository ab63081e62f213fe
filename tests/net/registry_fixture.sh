#!/usr/bin/env bash
# registry_fixture.sh: a real OCI registry on loopback for tests: Debian's docker-registry (distribution 2.8)
# with filesystem storage in a temporary directory; optionally TLS (a CA made by openssl), Basic auth (bcrypt
# htpasswd) or token auth (tests/net/token_server.py issuing ES256 JWTs). Reusable by any test:
#   registry_fixture.sh start DIR [--tls] [--htpasswd USER:PASS] [--token] [--token-user USER:PASS]
#                                 [--anonymous-pull]
#       starts it, waits (bounded) until /v2/ answers, writes DIR/env (shell assignments: REGISTRY=127.0.0.1:PORT,
#       REGISTRY_URL, REGISTRY_SCHEME, REGISTRY_CA (with --tls), REGISTRY_STORAGE, TOKEN_LOG (with --token)) and
#       prints it. Exit 77 (skipped) when a needed tool is missing.
#   registry_fixture.sh stop DIR
#       kills exactly the processes it started (PIDs in DIR/pids) and waits for them.
# PYTHON overrides the python3 used for the token server (it needs python3-cryptography).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() { echo "registry_fixture: $*" >&2; exit 1; }
skip() { echo "registry_fixture: SKIP: $*" >&2; exit 77; }

free_port() {
  "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_http URL CURL-ARGS...: polls until the URL answers at all (any status), at most 10 s.
wait_http() {
  local url=$1; shift
  for _ in $(seq 1 100); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$@" "$url" 2>/dev/null) || code=000
    [ "$code" != 000 ] && return 0
    sleep 0.1
  done
  return 1
}

pick_python() {
  for p in "${PYTHON:-python3}" /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import cryptography' 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

stop() {
  local dir=$1
  [ -f "$dir/pids" ] || return 0
  while read -r pid; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
  done <"$dir/pids"
  while read -r pid; do
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  done <"$dir/pids"
  rm -f "$dir/pids"
}

start() {
  local dir=$1; shift
  local tls=0 htpasswd_user= token=0 anon=0 token_users=()
  while [ $# -gt 0 ]; do
    case $1 in
      --tls) tls=1 ;;
      --htpasswd) htpasswd_user=$2; shift ;;
      --token) token=1 ;;
      --token-user) token_users+=("--user" "$2"); shift ;;
      --anonymous-pull) anon=1 ;;
      *) die "unknown option $1" ;;
    esac
    shift
  done
  command -v docker-registry >/dev/null || skip "docker-registry is not installed (Debian package docker-registry)"
  command -v curl >/dev/null || skip "curl is not installed"
  py=$(pick_python) || py=${PYTHON:-python3}
  mkdir -p "$dir/storage"
  : >"$dir/pids"
  local port scheme=http curl_args=()
  port=$(free_port) || die "no free port"

  local tls_conf= auth_conf=
  if [ "$tls" = 1 ]; then
    "$py" -c 'import cryptography' 2>/dev/null || skip "python3-cryptography is missing (test certificates)"
    "$py" "$here/mkcert.py" "$dir" || die "mkcert.py: test CA and server certificate"
    tls_conf="  tls:
    certificate: $dir/server.crt
    key: $dir/server.key"
    scheme=https
    curl_args=(--cacert "$dir/ca.crt")
  fi

  if [ -n "$htpasswd_user" ]; then
    local u=${htpasswd_user%%:*} p=${htpasswd_user#*:}
    if command -v htpasswd >/dev/null; then
      htpasswd -Bbn "$u" "$p" >"$dir/htpasswd" 2>/dev/null || die "htpasswd failed"
    else
      "$py" -c 'import crypt, sys; print(sys.argv[1] + ":" + crypt.crypt(sys.argv[2], crypt.mksalt(crypt.METHOD_BLOWFISH)))' \
        "$u" "$p" >"$dir/htpasswd" 2>/dev/null || skip "neither htpasswd (apache2-utils) nor python3 crypt with bcrypt"
    fi
    auth_conf="auth:
  htpasswd:
    realm: cloud-boot-test
    path: $dir/htpasswd"
  elif [ "$token" = 1 ]; then
    "$py" -c 'import cryptography' 2>/dev/null || skip "python3-cryptography is missing (token server)"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=cloud-boot-token \
      -keyout "$dir/token.key" -out "$dir/token.crt" 2>/dev/null || die "openssl: token key"
    local targs=(--key "$dir/token.key" --issuer cloud-boot-test-issuer --service cloud-boot-test
                 --log "$dir/token.log" "${token_users[@]}")
    [ "$anon" = 1 ] && targs+=(--anonymous-pull)
    : >"$dir/token.log"
    "$py" "$here/token_server.py" "${targs[@]}" >"$dir/token.port" 2>"$dir/token.err" &
    echo $! >>"$dir/pids"
    local tport=
    for _ in $(seq 1 100); do
      tport=$(head -n1 "$dir/token.port" 2>/dev/null)
      [[ "$tport" =~ ^[0-9]+$ ]] && break
      sleep 0.1
    done
    [[ "$tport" =~ ^[0-9]+$ ]] || { cat "$dir/token.err" >&2; stop "$dir"; die "token server did not start"; }
    auth_conf="auth:
  token:
    realm: http://127.0.0.1:$tport/token
    service: cloud-boot-test
    issuer: cloud-boot-test-issuer
    rootcertbundle: $dir/token.crt"
  fi

  cat >"$dir/config.yml" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: cloud-boot-test
$tls_conf
$auth_conf
CONF
  docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  echo $! >>"$dir/pids"
  if ! wait_http "$scheme://127.0.0.1:$port/v2/" "${curl_args[@]}"; then
    cat "$dir/registry.log" >&2
    stop "$dir"
    die "docker-registry did not answer on 127.0.0.1:$port within 10 s"
  fi
  {
    echo "REGISTRY=127.0.0.1:$port"
    echo "REGISTRY_SCHEME=$scheme"
    echo "REGISTRY_URL=$scheme://127.0.0.1:$port"
    echo "REGISTRY_STORAGE=$dir/storage"
    [ "$tls" = 1 ] && echo "REGISTRY_CA=$dir/ca.crt"
    [ "$token" = 1 ] && echo "TOKEN_LOG=$dir/token.log"
  } >"$dir/env"
  cat "$dir/env"
}

case ${1:-} in
  start) [ $# -ge 2 ] || die "usage: $0 start DIR [options]"; d=$2; shift 2; start "$d" "$@" ;;
  stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
  *) die "usage: $0 start DIR [--tls] [--htpasswd USER:PASS] [--token] [--token-user USER:PASS] [--anonymous-pull] | stop DIR" ;;
esac
