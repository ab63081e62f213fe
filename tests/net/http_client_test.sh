#!/usr/bin/env bash
# http_client_test.sh: runs one HTTP client scenario against the real test server over loopback: starts
# tests/net/http_test_server.py, reads its port from its stdout, runs http-get, checks exact output.
# Usage: http_client_test.sh HTTP-GET CASE   (PYTHON overrides python3; `http_client_test.sh list` lists cases)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cases="get-5mib head keepalive idle-close resume resume-reset resume-exhausted resume-changed resume-bad-range
not-found server-error redirect-relative redirect-absolute redirect-root redirect-loop redirect-limit chunked
until-close stall-timeout stall-resume auth-cross-host auth-same-host big-header bad-status post-echo
connect-refused"
if [ "${1:-}" = list ]; then
  echo $cases
  exit 0
fi
[ $# -eq 2 ] || { echo "usage: $0 HTTP-GET CASE" >&2; exit 2; }
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
  exit 1
}

mkdir "$work/root"
head -c 5242880 /dev/urandom >"$work/root/big.bin"
printf 'hello, world\n' >"$work/root/small.txt"

# The server prints its port as its first line; reading it is the only synchronisation needed.
coproc SRV { exec "$python" "$here/http_test_server.py" --root "$work/root"; }
srv_pid=$SRV_PID
port=
read -r -t 20 port <&"${SRV[0]}" || true
[[ "$port" =~ ^[0-9]+$ ]] || fail "server did not report a port (got '$port')"
base=http://127.0.0.1:$port

# get ARGS…: runs http-get; sets rc, out (stdout), err (stderr), ms (wall time).
get() {
  local t0 t1
  t0=$(date +%s%N)
  "$tool" "$@" >"$work/stdout" 2>"$work/stderr"
  rc=$?
  t1=$(date +%s%N)
  ms=$(((t1 - t0) / 1000000))
  out=$(cat "$work/stdout")
  err=$(cat "$work/stderr")
}
expect_ok() { [ "$rc" = 0 ] || fail "exit status $rc, expected 0"; }
expect_fail() {
  [ "$rc" = 1 ] || fail "exit status $rc, expected 1"
  [ "$err" = "$1" ] || fail "error line: got '$err', expected '$1'"
}
expect_out() { [ "$out" = "$1" ] || fail "stdout: got '$out', expected '$1'"; }
expect_file() { # FILE EXPECTED-CONTENT
  local got
  got=$(cat "$1")
  [ "$got" = "$2" ] || fail "$(basename "$1"): got '$got', expected '$2'"
}
expect_same() { # FILE: same SHA-256 as the served big.bin
  local a b
  a=$(sha256sum <"$1" | cut -d' ' -f1)
  b=$(sha256sum <"$work/root/big.bin" | cut -d' ' -f1)
  [ "$a" = "$b" ] || fail "sha256 $a of $(basename "$1") differs from the served file's $b"
}
stats() { "$tool" -o "$work/stats" "$base/_stats" >/dev/null 2>&1; cat "$work/stats"; }

o=$work/out.bin
case $case in
get-5mib)
  get -o "$o" "$base/big.bin"
  expect_ok; expect_out "200 5242880"; expect_same "$o" ;;
head)
  get -X HEAD "$base/big.bin" "$base/small.txt"
  expect_ok; expect_out $'200 0\n200 0'
  [ "$(stats)" = "connections=2 requests=3" ] || fail "HEAD did not keep the connection: $(stats)" ;;
keepalive)
  get -o "$o" "$base/small.txt" "$base/small.txt" "$base/big.bin" "$base/_stats"
  expect_ok; expect_out $'200 13\n200 13\n200 5242880\n200 25'
  [ "$(tail -c 25 "$o")" = "connections=1 requests=4" ] || fail "stats: $(tail -c 25 "$o" | tr -cd '[:print:]')" ;;
idle-close)
  get -o "$o" "$base/small.txt?idleclose=1" "$base/small.txt" "$base/_stats"
  expect_ok; expect_out $'200 13\n200 13\n200 25'
  [ "$(tail -n 1 "$o")" = "connections=2 requests=3" ] || fail "stats: $(tail -n 1 "$o")" ;;
resume)
  get --backoff-ms 10 -o "$o" "$base/big.bin?drop=1000000&times=3"
  expect_ok; expect_out "200 5242880"; expect_same "$o"
  [ "$(stats)" = "connections=5 requests=5" ] || fail "expected 1 request + 3 resumes: $(stats)" ;;
resume-reset)
  get --backoff-ms 10 -o "$o" "$base/big.bin?drop=2000000&times=2&reset=1"
  expect_ok; expect_out "200 5242880"; expect_same "$o" ;;
resume-exhausted)
  get --backoff-ms 10 --max-resumes 2 -o "$o" "$base/big.bin?drop=1000000&times=9"
  expect_fail "http: GET $base/big.bin?drop=1000000&times=9: connection closed after 3000000 of 5242880 bytes (resume 2 of 2 failed)"
  [ "$(stat -c %s "$o")" = 3000000 ] || fail "delivered $(stat -c %s "$o") bytes, expected 3000000"
  cmp -s -n 3000000 "$o" "$work/root/big.bin" || fail "delivered bytes differ from the file" ;;
resume-changed)
  get --backoff-ms 10 -o "$o" "$base/big.bin?drop=1000000&etag=vary"
  expect_fail "http: GET $base/big.bin?drop=1000000&etag=vary: resume at byte 1000000 rejected: 200 OK instead of 206 Partial Content"
  [ "$(stat -c %s "$o")" = 1000000 ] || fail "delivered $(stat -c %s "$o") bytes, expected 1000000" ;;
resume-bad-range)
  get --backoff-ms 10 -o "$o" "$base/big.bin?drop=1000000&range=shift"
  expect_fail "http: GET $base/big.bin?drop=1000000&range=shift: resume at byte 1000000 rejected: Content-Range \"bytes 1000001-5242879/5242880\", expected \"bytes 1000000-5242879/5242880\"" ;;
not-found)
  get -o "$o" "$base/nope.bin"
  expect_fail "http: GET $base/nope.bin: 404 Not Found"; expect_out "" ;;
server-error)
  get -o "$o" "$base/_status/500"
  expect_fail "http: GET $base/_status/500: 500 Internal Server Error" ;;
redirect-relative)
  get -o "$o" "$base/_chain/5/rel/big.bin"
  expect_ok; expect_out "200 5242880"; expect_same "$o" ;;
redirect-absolute)
  get -o "$o" "$base/_chain/5/abs/big.bin"
  expect_ok; expect_out "200 5242880"; expect_same "$o" ;;
redirect-root)
  get -o "$o" "$base/_chain/10/root/big.bin"
  expect_ok; expect_out "200 5242880"; expect_same "$o" ;;
redirect-loop)
  get -o "$o" "$base/_loop"
  expect_fail "http: GET $base/_loop: too many redirects (10)" ;;
redirect-limit)
  get --max-redirects 2 -o "$o" "$base/_chain/3/rel/small.txt"
  expect_fail "http: GET $base/_chain/3/rel/small.txt: too many redirects (2) (redirected to $base/_chain/1/rel/small.txt)" ;;
chunked)
  get -o "$o" "$base/big.bin?chunked=1&ext=1&trailers=1" "$base/_stats"
  expect_ok; expect_out $'200 5242880\n200 25'
  head -c 5242880 "$o" >"$o.body"; expect_same "$o.body"
  [ "$(tail -c 25 "$o")" = "connections=1 requests=2" ] || fail "chunked response did not keep the connection" ;;
until-close)
  get -o "$o" "$base/big.bin?noclen=1"
  expect_ok; expect_out "200 5242880"; expect_same "$o" ;;
stall-timeout)
  get --idle-ms 1000 --max-resumes 0 -o "$o" "$base/big.bin?stall=100000"
  expect_fail "http: GET $base/big.bin?stall=100000: no data for 1000 ms after 100000 of 5242880 bytes"
  [ "$ms" -ge 900 ] && [ "$ms" -lt 5000 ] || fail "took $ms ms, expected about 1000" ;;
stall-resume)
  get --idle-ms 500 --backoff-ms 10 -o "$o" "$base/big.bin?stall=100000&times=2"
  expect_ok; expect_out "200 5242880"; expect_same "$o"
  [ "$ms" -ge 900 ] && [ "$ms" -lt 8000 ] || fail "took $ms ms, expected two 500 ms stalls" ;;
auth-cross-host)
  # 127.0.0.1 and localhost are two origins: the token must not follow the redirect.
  get -H "Authorization: Bearer secret" -o "$o" "$base/_redirect?to=http://localhost:$port/_auth"
  expect_ok; expect_file "$o" "authorization=none" ;;
auth-same-host)
  get -H "Authorization: Bearer secret" -o "$o" "$base/_redirect?to=/_auth"
  expect_ok; expect_file "$o" "authorization=Bearer secret" ;;
big-header)
  get -o "$o" "$base/_bigheader?bytes=20000"
  expect_fail "http: GET $base/_bigheader?bytes=20000: response header exceeds 16384 bytes"
  get --max-header-bytes 32768 -o "$o" "$base/_bigheader?bytes=20000"
  expect_ok; expect_file "$o" "ok" ;;
bad-status)
  get -o "$o" "$base/_badstatus"
  expect_fail "http: GET $base/_badstatus: malformed status line \"HTTP/1.1 2OO OK\"" ;;
post-echo)
  get -X POST -d "some body" -o "$o" "$base/_echo"
  expect_ok; expect_out "200 9"; expect_file "$o" "some body" ;;
connect-refused)
  # Bind a port, close it: nobody listens there now.
  free_port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  get --connect-ms 2000 "http://127.0.0.1:$free_port/x"
  expect_fail "http: GET http://127.0.0.1:$free_port/x: connect 127.0.0.1:$free_port (127.0.0.1): Connection refused" ;;
*)
  fail "unknown case (try: $0 list)" ;;
esac
echo "ok [$case]"
