#!/usr/bin/env python3
"""http_test_server.py: the host-side HTTP/1.1 server of the HTTP client tests (and later the QEMU tests).
Serves files from a directory with Range/If-Range, plus fault modes chosen by URL; standard library only.

Usage: http_test_server.py --root DIR [--host 127.0.0.1] [--port 0] [--tls CERT KEY] [--verbose]
Prints the port it bound to on stdout (one line), then serves until SIGTERM/SIGINT.
--tls CERT KEY: HTTPS instead (PEM files; TLS 1.2 and 1.3, Python's default suites, the client's suite order
honoured); with --verbose each connection's protocol and suite is logged ("tls: 127.0.0.1 TLSv1.2 SUITE").

Files: GET/HEAD /<path> serves DIR/<path> (ETag, Last-Modified, Accept-Ranges: bytes, Range: a-b, a-, -n,
If-Range). Query options on file URLs (combinable):
  drop=N        close the connection after N body bytes of this response ...
  times=K       ... on the first K requests of this exact URL (default 1; also applies to stall)
  reset=1       drop with a TCP reset instead of an orderly close
  stall=N       send N body bytes, then send nothing more (until the client goes away)
  slow=MS       sleep MS milliseconds between 64 KiB blocks
  chunked=1     chunked transfer coding (random chunk sizes); ext=1 adds chunk extensions,
                trailers=1 adds trailer fields
  noclen=1      no Content-Length: the body ends when the server closes
  close=1       "Connection: close"
  idleclose=1   answer normally (keep-alive), then close the idle connection without saying so
  etag=vary     a different ETag on every request (so If-Range never matches)
  range=ignore  answer Range requests with 200 and the whole file
  range=shift   206 whose Content-Range starts one byte late
  range=total   206 whose Content-Range states a wrong total length
Special paths:
  /_stats                  "connections=N requests=M" (counted since start, this request included)
  /_auth                   "authorization=<the Authorization header or none>"
  /_echo                   the request body back (any method)
  /_status/<code>          that status with a short body
  /_redirect?to=URL&code=C Location: URL with status C (default 302)
  /_chain/<n>/<mode>/<p>   n redirects, then file <p>; mode rel ("../../<n-1>/..."), root ("/_chain/..."),
                           abs ("http://<Host>/_chain/...")
  /_loop                   302 to itself, forever
  /_bigheader?bytes=N      a 200 whose header section is about N bytes
  /_badstatus              "HTTP/1.1 2OO OK", then close
  /_raw?data=D             the percent-decoded bytes D verbatim, then close
"""
import argparse
import email.utils
import hashlib
import os
import random
import select
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BLOCK = 64 * 1024


class State:
    def __init__(self, root, verbose):
        self.root = os.path.realpath(root)
        self.verbose = verbose
        self.lock = threading.Lock()
        self.connections = 0
        self.requests = 0
        self.per_url = {}
        self.etag_serial = 0

    def count_url(self, key):
        with self.lock:
            n = self.per_url.get(key, 0) + 1
            self.per_url[key] = n
            return n


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cloud-boot-test/1"
    timeout = 60  # idle keep-alive connections end eventually

    def setup(self):
        super().setup()
        with self.server.state.lock:
            self.server.state.connections += 1
        if isinstance(self.connection, ssl.SSLSocket):
            # Here, in the connection's thread, so that a slow or broken client holds up only itself.
            self.connection.do_handshake()
            self.log_message("tls: %s %s %s", self.client_address[0], self.connection.version(),
                             self.connection.cipher()[0])

    def log_message(self, fmt, *args):
        if self.server.state.verbose:
            sys.stderr.write("http_test_server: %s\n" % (fmt % args))

    def do_GET(self):
        self.dispatch()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    # ---- helpers ----

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def simple(self, code, body=b"", headers=(), reason=None):
        self.send_response(code, reason)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def raw(self, data):
        self.wfile.write(data)
        self.wfile.flush()
        self.close_connection = True

    def hard_close(self, reset):
        if reset:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.connection.close()
        self.close_connection = True

    def wait_for_client_to_leave(self, limit=600):
        end = time.monotonic() + limit
        while time.monotonic() < end:
            r, _, _ = select.select([self.connection], [], [], 0.1)
            if r:
                try:
                    if not self.connection.recv(4096, socket.MSG_PEEK):
                        break
                    self.connection.recv(4096)
                except OSError:
                    break
        self.hard_close(False)

    # ---- routes ----

    def dispatch(self):
        st = self.server.state
        with st.lock:
            st.requests += 1
        body = self.read_body()
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        path = urllib.parse.unquote(url.path)
        parts = path.split("/")
        if path == "/_stats":
            with st.lock:
                text = "connections=%d requests=%d\n" % (st.connections, st.requests)
            return self.simple(200, text.encode())
        if path == "/_auth":
            return self.simple(200, ("authorization=%s\n" % self.headers.get("Authorization", "none")).encode())
        if path == "/_echo":
            return self.simple(200, body, [("X-Method", self.command)])
        if len(parts) == 3 and parts[1] == "_status" and parts[2].isdigit():
            code = int(parts[2])
            return self.simple(code, b"status %d\n" % code)
        if path == "/_redirect":
            return self.simple(int(q.get("code", "302")), b"", [("Location", q.get("to", "/"))])
        if path == "/_loop":
            return self.simple(302, b"", [("Location", "/_loop")])
        if len(parts) >= 5 and parts[1] == "_chain" and parts[2].isdigit():
            n, mode, rest = int(parts[2]), parts[3], "/".join(parts[4:])
            if n > 0:
                if mode == "rel":
                    loc = "../../%d/rel/%s" % (n - 1, rest)
                elif mode == "abs":
                    loc = "http://%s/_chain/%d/abs/%s" % (self.headers.get("Host"), n - 1, rest)
                else:
                    loc = "/_chain/%d/%s/%s" % (n - 1, mode, rest)
                if url.query:
                    loc += "?" + url.query
                return self.simple(302, b"", [("Location", loc)])
            return self.serve_file("/" + rest, q)
        if path == "/_bigheader":
            want = int(q.get("bytes", "20000"))
            hdrs, total = [], 0
            while total < want:
                hdrs.append(("X-Filler-%d" % len(hdrs), "x" * 1000))
                total += 1000 + 16
            return self.simple(200, b"ok", hdrs)
        if path == "/_badstatus":
            return self.raw(b"HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n")
        if path == "/_raw":
            return self.raw(urllib.parse.unquote_to_bytes(q.get("data", "")))
        return self.serve_file(path, q)

    def serve_file(self, path, q):
        st = self.server.state
        full = os.path.realpath(os.path.join(st.root, path.lstrip("/")))
        if not full.startswith(st.root + os.sep) or not os.path.isfile(full):
            return self.simple(404, b"not found\n")
        with open(full, "rb") as f:
            return self.serve_open_file(f, full, q)

    def serve_open_file(self, f, full, q):
        st = self.server.state
        size = os.fstat(f.fileno()).st_size
        mtime = os.path.getmtime(full)
        nth = st.count_url(self.path)
        etag = '"%s"' % hashlib.sha256(b"%s:%d:%d" % (full.encode(), size, int(mtime))).hexdigest()[:16]
        if q.get("etag") == "vary":
            with st.lock:
                st.etag_serial += 1
                etag = '"v%d"' % st.etag_serial
        last_mod = email.utils.formatdate(mtime, usegmt=True)

        start, end, partial = 0, size - 1, False
        rng = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if rng and q.get("range") != "ignore" and (if_range is None or if_range in (etag, last_mod)):
            spec = rng.strip()
            if spec.startswith("bytes=") and "," not in spec:
                a, _, b = spec[6:].partition("-")
                try:
                    if a == "":
                        start, end = max(0, size - int(b)), size - 1
                    else:
                        start, end = int(a), (int(b) if b else size - 1)
                    end = min(end, size - 1)
                    if start > end or start >= size:
                        return self.simple(416, b"", [("Content-Range", "bytes */%d" % size)])
                    partial = True
                except ValueError:
                    pass

        times = int(q.get("times", "1"))
        faulty = nth <= times
        code = 206 if partial else 200
        self.send_response(code)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_mod)
        self.send_header("Content-Type", "application/octet-stream")
        if partial:
            cr_start, cr_total = start, size
            if q.get("range") == "shift":
                cr_start += 1
            if q.get("range") == "total":
                cr_total += 1
            self.send_header("Content-Range", "bytes %d-%d/%d" % (cr_start, end, cr_total))
        chunked = q.get("chunked") == "1"
        noclen = q.get("noclen") == "1"
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif not noclen:
            self.send_header("Content-Length", str(end - start + 1))
        if noclen or q.get("close") == "1":
            self.send_header("Connection", "close")
            self.close_connection = True
        if chunked and q.get("trailers") == "1":
            self.send_header("Trailer", "X-Checksum")
        self.end_headers()
        if self.command == "HEAD":
            return

        length = end - start + 1
        drop = int(q["drop"]) if "drop" in q and faulty else None
        stall = int(q["stall"]) if "stall" in q and faulty else None
        slow = int(q.get("slow", "0")) / 1000.0
        if not (chunked or slow or drop is not None or stall is not None):
            # The plain case streams from the page cache (sendfile without TLS), as a real server does,
            # so that benchmarks measure the client rather than this server.
            self.wfile.flush()
            self.connection.sendfile(f, start, length)
            if noclen or q.get("idleclose") == "1":
                self.hard_close(False)
            return
        rnd = random.Random(nth)
        f.seek(start)
        digest = hashlib.sha256()
        sent = 0
        while True:
            limit = length
            for cut in (drop, stall):
                if cut is not None:
                    limit = min(limit, cut)
            n = min(BLOCK, limit - sent)
            if chunked:
                n = min(n, rnd.randint(1, BLOCK))
            if n <= 0:
                break
            piece = f.read(n)
            digest.update(piece)
            if chunked:
                ext = ';name=value;q="a b"' if q.get("ext") == "1" else ""
                self.wfile.write(b"%x%s\r\n%s\r\n" % (n, ext.encode(), piece))
            else:
                self.wfile.write(piece)
            sent += n
            if slow:
                time.sleep(slow)
        if drop is not None and sent < length:
            self.wfile.flush()
            return self.hard_close(q.get("reset") == "1")
        if stall is not None and sent < length:
            self.wfile.flush()
            return self.wait_for_client_to_leave()
        if chunked:
            trailers = b""
            if q.get("trailers") == "1":
                trailers = b"X-Checksum: sha256=%s\r\nX-Other: 1\r\n" % digest.hexdigest().encode()
            self.wfile.write(b"0\r\n" + trailers + b"\r\n")
        self.wfile.flush()
        if noclen or q.get("idleclose") == "1":
            self.hard_close(False)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    tls = None  # an ssl.SSLContext with --tls

    def get_request(self):
        sock, addr = super().get_request()
        if self.tls:
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        # Clients that hang up mid-response are part of the tests.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, BrokenPipeError, TimeoutError, OSError)):
            return
        super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    srv = Server((args.host, args.port), Handler)
    srv.state = State(args.root, args.verbose)
    if args.tls:
        srv.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        srv.tls.options &= ~ssl.OP_CIPHER_SERVER_PREFERENCE
        srv.tls.load_cert_chain(args.tls[0], args.tls[1])

    def stop(*_):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(srv.server_address[1], flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        srv.server_close()


if __name__ == "__main__":
    main()
