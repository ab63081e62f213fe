#!/usr/bin/env bash
# tls_test.sh: one TLS client scenario end to end over loopback: a test CA and server certificates made with
# openssl at test time, `openssl s_server -WWW` (or a small python3 server) on a port the server picks itself,
# and the http-get tool fetching over https; checks exact output and error lines.
# Usage: tls_test.sh HTTP-GET CASE   (PYTHON overrides python3; `tls_test.sh list` lists the cases)
set -uo pipefail

cases="ok ok-rsa ok-der-ca ok-siglist-ca extra-ca-env ip-literal two-urls unknown-ca wrong-host expired
not-yet-valid fixed-time clock-unset chacha20 aes128-gcm aes256-gcm rsa-aes256-gcm tls13-only no-common-suite
handshake-timeout close-notify truncated bad-ca-file missing-ca-file"
if [ "${1:-}" = list ]; then
  echo $cases
  exit 0
fi
[ $# -eq 2 ] || { echo "usage: $0 HTTP-GET CASE" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tool=$1 case=$2
python=${PYTHON:-python3}

work=$(mktemp -d)
srv_pid=
cleanup() {
  if [ -n "$srv_pid" ]; then
    kill "$srv_pid" 2>/dev/null
    wait "$srv_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL [$case]: $*" >&2
  echo "--- http-get stdout:" >&2; cat "$work/stdout" >&2 2>/dev/null
  echo "--- http-get stderr:" >&2; cat "$work/stderr" >&2 2>/dev/null
  echo "--- server stderr:" >&2; cat "$work/server.err" >&2 2>/dev/null
  exit 1
}

# ---- certificates ----
key() { # FILE ec|rsa
  case $2 in
    ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" ;;
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" ;;
  esac 2>>"$work/openssl.log" || fail "openssl genpkey $2 failed"
}

mkca() { # NAME ec|rsa: $work/NAME/ca.{pem,der,key}
  local d=$work/$1
  mkdir -p "$d"
  : >"$d/index.txt"
  echo 1000 >"$d/serial"
  cat >"$d/ca.cnf" <<EOF
[ca]
default_ca = test
[test]
dir = $d
database = \$dir/index.txt
new_certs_dir = \$dir
serial = \$dir/serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
[srv]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = \$ENV::SAN
EOF
  key "$d/ca.key" "$2"
  openssl req -x509 -new -key "$d/ca.key" -subj "/CN=cloud-boot test $1" -days 3650 \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -out "$d/ca.pem" 2>>"$work/openssl.log" || fail "openssl req (CA $1) failed"
  openssl x509 -in "$d/ca.pem" -outform der -out "$d/ca.der" || fail "openssl x509 -outform der failed"
}

mkcert() { # CA NAME SAN ec|rsa [STARTDATE ENDDATE]: $work/NAME.{pem,key}, signed by CA
  key "$work/$2.key" "$4"
  openssl req -new -key "$work/$2.key" -subj "/CN=$2" -out "$work/$2.csr" 2>>"$work/openssl.log" ||
    fail "openssl req (CSR $2) failed"
  local dates=(-days 30)
  [ $# -lt 6 ] || dates=(-startdate "$5" -enddate "$6")
  SAN=$3 openssl ca -batch -config "$work/$1/ca.cnf" -cert "$work/$1/ca.pem" -keyfile "$work/$1/ca.key" \
    -in "$work/$2.csr" -out "$work/$2.pem" -extensions srv -notext "${dates[@]}" >>"$work/openssl.log" 2>&1 ||
    fail "openssl ca ($2) failed"
}

# EFI_SIGNATURE_LIST of one DER certificate (EFI_CERT_X509_GUID), as OVMF's etc/edk2/https/cacerts wants it.
mkesl() { # DER ESL
  "$python" "$here/mkesl.py" "$1" "$2" || fail "building the EFI signature list failed"
}

# ---- servers ----
# The server prints "ACCEPT 127.0.0.1:PORT" once listening: reading that line is the only synchronisation.
start_s_server() { # CERT KEY [s_server options...]
  local cert=$1 skey=$2
  shift 2
  coproc SRV { cd "$work/www" && exec openssl s_server -accept 127.0.0.1:0 -cert "$cert" -key "$skey" -WWW \
    "$@" 2>"$work/server.err"; }
  srv_pid=$SRV_PID
  exec {srv_out}<&"${SRV[0]}"
  read_port
}

read_port() {
  local line n
  port=
  for n in 1 2 3 4 5 6 7 8 9 10; do
    read -r -t 20 line <&"$srv_out" || break
    if [[ $line =~ ^ACCEPT\ .*:([0-9]+)$ ]]; then
      port=${BASH_REMATCH[1]}
      return
    fi
  done
  fail "server did not report its port"
}

# A python3 TLS server for what s_server cannot do. MODE: silent (accepts, never answers), close-notify
# (answers with Content-Length, then waits for the client's close_notify and reports it), truncate (answers
# until-close, then drops TCP without close_notify).
start_py_server() { # MODE CERT KEY
  coproc SRV { exec "$python" - "$@" 2>"$work/server.err" <<'EOF'
import socket, ssl, sys
mode, cert, key = (sys.argv[1:] + ['', ''])[:3]
ls = socket.socket()
ls.bind(('127.0.0.1', 0))
ls.listen(1)
print('ACCEPT 127.0.0.1:%d' % ls.getsockname()[1], flush=True)
conn, _ = ls.accept()
if mode == 'silent':
    conn.recv(65536)
    conn.recv(65536)
    sys.exit(0)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
s = ctx.wrap_socket(conn, server_side=True)
req = b''
while b'\r\n\r\n' not in req:
    req += s.recv(4096)
if mode == 'close-notify':
    s.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello')
    s.unwrap()
    print('close_notify received', flush=True)
else:
    s.sendall(b'HTTP/1.0 200 OK\r\n\r\n' + b'x' * 1000)
    conn.close()
EOF
  }
  srv_pid=$SRV_PID
  exec {srv_out}<&"${SRV[0]}"
  read_port
}

# ---- running the client ----
get() { # ARGS…: sets rc, out, err
  "$tool" "$@" >"$work/stdout" 2>"$work/stderr"
  rc=$?
  out=$(cat "$work/stdout")
  err=$(cat "$work/stderr")
}
expect_ok() { [ "$rc" = 0 ] || fail "exit status $rc, expected 0"; }
expect_out() { [ "$out" = "$1" ] || fail "stdout: got '$out', expected '$1'"; }
expect_err() { # exact stderr, exit status 1
  [ "$rc" = 1 ] || fail "exit status $rc, expected 1"
  [ "$err" = "$1" ] || fail "error line: got '$err', expected '$1'"
}
expect_err_re() { # stderr matching an extended regex, exit status 1
  [ "$rc" = 1 ] || fail "exit status $rc, expected 1"
  [[ $err =~ $1 ]] || fail "error line: got '$err', expected to match '$1'"
}
expect_log() { grep -qxF -- "$1" <<<"$err" || fail "stderr lacks the line '$1'"; }
expect_same() { # FILE: same bytes as the served big.bin
  cmp -s "$1" "$work/www/big.bin" || fail "$(basename "$1") differs from the served file"
}

# The suite BearSSL prefers here: AES-GCM with AES-NI, else ChaCha20-Poly1305 (net/tls/tls.c).
default_suite() { # ECDSA|RSA
  if grep -qw aes /proc/cpuinfo; then echo "ECDHE-$1-AES128-GCM-SHA256"; else echo "ECDHE-$1-CHACHA20-POLY1305"; fi
}

mkdir "$work/www"
head -c 3000000 /dev/urandom >"$work/www/big.bin"
printf 'hello, tls\n' >"$work/www/small.txt"
o=$work/out.bin

case $case in
  ok | chacha20 | aes128-gcm | aes256-gcm)
    mkca ca ec
    mkcert ca srv DNS:localhost ec
    suite=$(default_suite ECDSA) opts=()
    case $case in
      chacha20) suite=ECDHE-ECDSA-CHACHA20-POLY1305 opts=(-cipher "$suite") ;;
      aes128-gcm) suite=ECDHE-ECDSA-AES128-GCM-SHA256 opts=(-cipher "$suite") ;;
      aes256-gcm) suite=ECDHE-ECDSA-AES256-GCM-SHA384 opts=(-cipher "$suite") ;;
    esac
    start_s_server "$work/srv.pem" "$work/srv.key" "${opts[@]}"
    get --tls-log --ca "$work/ca/ca.pem" -o "$o" "https://localhost:$port/big.bin"
    expect_ok
    expect_out "200 3000000"
    expect_same "$o"
    [[ $err =~ ^"tls: localhost: TLS 1.2 $suite, 1 trust anchors, "[0-9]+" ms"$ ]] ||
      fail "suite line: got '$err', expected TLS 1.2 $suite"
    ;;
  ok-rsa | rsa-aes256-gcm)
    mkca ca rsa
    mkcert ca srv DNS:localhost rsa
    suite=$(default_suite RSA) opts=()
    [ "$case" = ok-rsa ] || { suite=ECDHE-RSA-AES256-GCM-SHA384; opts=(-cipher "$suite"); }
    start_s_server "$work/srv.pem" "$work/srv.key" "${opts[@]}"
    get --tls-log --ca "$work/ca/ca.pem" -o "$o" "https://localhost:$port/big.bin"
    expect_ok
    expect_out "200 3000000"
    expect_same "$o"
    [[ $err =~ ^"tls: localhost: TLS 1.2 $suite, 1 trust anchors, " ]] || fail "suite line: got '$err'"
    ;;
  ok-der-ca | ok-siglist-ca)
    mkca ca ec
    mkcert ca srv DNS:localhost ec
    cafile=$work/ca/ca.der
    if [ "$case" = ok-siglist-ca ]; then
      mkesl "$work/ca/ca.der" "$work/ca/ca.esl"
      cafile=$work/ca/ca.esl
    fi
    start_s_server "$work/srv.pem" "$work/srv.key"
    get --ca "$cafile" "https://localhost:$port/small.txt"
    expect_ok
    expect_out "200 11"
    ;;
  extra-ca-env)
    # The system bundle plus the test CA from CB_EXTRA_CA (an empty list entry is skipped).
    mkca ca ec
    mkcert ca srv DNS:localhost ec
    start_s_server "$work/srv.pem" "$work/srv.key"
    SSL_CERT_FILE= CB_EXTRA_CA=":$work/ca/ca.pem" get --tls-log "https://localhost:$port/small.txt"
    expect_ok
    expect_out "200 11"
    n=$(grep -c -- "-----BEGIN CERTIFICATE-----" /etc/ssl/certs/ca-certificates.crt)
    [[ $err =~ ", $((n + 1)) trust anchors, " ]] || fail "expected $((n + 1)) trust anchors: '$err'"
    ;;
  ip-literal)
    # BearSSL matches names textually: an IP literal host needs a dNSName carrying it. No SNI is sent.
    mkca ca ec
    mkcert ca srv "DNS:127.0.0.1,IP:127.0.0.1" ec
    start_s_server "$work/srv.pem" "$work/srv.key"
    get --ca "$work/ca/ca.pem" "https://127.0.0.1:$port/small.txt"
    expect_ok
    expect_out "200 11"
    ;;
  two-urls)
    mkca ca ec
    mkcert ca srv DNS:localhost ec
    start_s_server "$work/srv.pem" "$work/srv.key"
    get --ca "$work/ca/ca.pem" "https://localhost:$port/small.txt" "https://localhost:$port/big.bin"
    expect_ok
    expect_out "200 11
200 3000000"
    ;;
  unknown-ca)
    mkca ca ec
    mkca other ec
    mkcert ca srv DNS:localhost ec
    start_s_server "$work/srv.pem" "$work/srv.key"
    get --ca "$work/other/ca.pem" "https://localhost:$port/small.txt"
    expect_err "http: GET https://localhost:$port/small.txt: tls: localhost: certificate not trusted (BearSSL error 62: X509_NOT_TRUSTED)"
    ;;
  wrong-host)
    mkca ca ec
    mkcert ca srv DNS:other.example ec
    start_s_server "$work/srv.pem" "$work/srv.key"
    get --ca "$work/ca/ca.pem" "https://localhost:$port/small.txt"
    expect_err "http: GET https://localhost:$port/small.txt: tls: localhost: certificate does not match the host name (BearSSL error 56: X509_BAD_SERVER_NAME)"
    ;;
  expired | not-yet-valid | fixed-time)
    mkca ca ec
    if [ "$case" = not-yet-valid ]; then
      mkcert ca srv DNS:localhost ec 20990101000000Z 20991231000000Z
    else
      mkcert ca srv DNS:localhost ec 20200101000000Z 20200201000000Z
    fi
    start_s_server "$work/srv.pem" "$work/srv.key"
    if [ "$case" = fixed-time ]; then
      get --ca "$work/ca/ca.pem" --tls-time 1796385600 "https://localhost:$port/small.txt"
      expect_err "http: GET https://localhost:$port/small.txt: tls: localhost: certificate expired or not yet valid at 2026-12-04T12:00:00Z (BearSSL error 54: X509_EXPIRED)"
    else
      t0=$(date -u +%s)
      get --ca "$work/ca/ca.pem" "https://localhost:$port/small.txt"
      expect_err_re "^http: GET https://localhost:$port/small.txt: tls: localhost: certificate expired or not yet valid at ([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z) \(BearSSL error 54: X509_EXPIRED\)$"
      at=$(date -u -d "$(sed 's/T/ /; s/Z$//' <<<"${BASH_REMATCH[1]}")" +%s)
      [ "$at" -ge "$t0" ] && [ "$at" -le "$(($(date -u +%s) + 1))" ] || fail "validation time ${BASH_REMATCH[1]} is not now"
    fi
    ;;
  clock-unset)
    mkca ca ec
    mkcert ca srv DNS:localhost ec
    start_s_server "$work/srv.pem" "$work/srv.key"
    get --ca "$work/ca/ca.pem" --tls-time -1 "https://localhost:$port/small.txt"
    expect_err "http: GET https://localhost:$port/small.txt: tls: localhost: the firmware clock is unset; cannot check certificate validity"
    ;;
  tls13-only)
    mkca ca ec
    mkcert ca srv DNS:localhost ec
    start_s_server "$work/srv.pem" "$work/srv.key" -tls1_3
    get --ca "$work/ca/ca.pem" "https://localhost:$port/small.txt"
    expect_err "http: GET https://localhost:$port/small.txt: tls: localhost: the server sent alert 70 (protocol_version) during the handshake"
    ;;
  no-common-suite)
    mkca ca rsa
    mkcert ca srv DNS:localhost rsa
    start_s_server "$work/srv.pem" "$work/srv.key" -tls1_2 -cipher AES128-SHA
    get --ca "$work/ca/ca.pem" "https://localhost:$port/small.txt"
    expect_err "http: GET https://localhost:$port/small.txt: tls: localhost: the server sent alert 40 (handshake_failure) during the handshake"
    ;;
  handshake-timeout)
    start_py_server silent
    t0=$(date +%s%N)
    get --connect-ms 1000 --ca /etc/ssl/certs/ca-certificates.crt "https://localhost:$port/small.txt"
    ms=$((($(date +%s%N) - t0) / 1000000))
    expect_err_re "^http: GET https://localhost:$port/small.txt: tls: localhost: handshake timed out after (9[0-9][0-9]|1000) ms$"
    [ "$ms" -lt 5000 ] || fail "took $ms ms for a 1000 ms handshake budget"
    ;;
  close-notify)
    mkca ca ec
    mkcert ca srv DNS:localhost ec
    start_py_server close-notify "$work/srv.pem" "$work/srv.key"
    get --ca "$work/ca/ca.pem" "https://localhost:$port/hello"
    expect_ok
    expect_out "200 5"
    read -r -t 20 line <&"$srv_out" || line=
    [ "$line" = "close_notify received" ] || fail "server: got '$line', expected 'close_notify received'"
    ;;
  truncated)
    # A body delimited by the connection's end must end with close_notify: a bare TCP close is a truncation.
    mkca ca ec
    mkcert ca srv DNS:localhost ec
    start_py_server truncate "$work/srv.pem" "$work/srv.key"
    get --ca "$work/ca/ca.pem" "https://localhost:$port/x"
    expect_err "http: GET https://localhost:$port/x: connection reset after 1000 bytes"
    ;;
  bad-ca-file)
    printf 'hello\n' >"$work/bad.pem"
    get --ca "$work/bad.pem" "https://localhost:1/x"
    expect_err "tls: $work/bad.pem: no PEM certificate, DER certificate or EFI signature list found"
    ;;
  missing-ca-file)
    get --ca "$work/missing.pem" "https://localhost:1/x"
    expect_err "tls: CA file $work/missing.pem: No such file or directory"
    ;;
  *)
    echo "unknown case '$case'" >&2
    exit 2
    ;;
esac
echo "ok [$case]"
