#!/usr/bin/env python3
# record_proxy.py: a logging HTTP/1.1 reverse proxy for the CLI scenario tests (tests/net/push_test.sh): it
# forwards every request unchanged (Host header included, so the registry's Location URLs point back at the
# proxy) to one plain-HTTP upstream and appends "METHOD PATH BODY-BYTES CONTENT-RANGE -> STATUS" to a log.
# Not a general proxy: no TLS, no CONNECT, one upstream.
# Usage: record_proxy.py UPSTREAM-HOST:PORT LOG     (prints the port it listens on, then serves until killed)
import http.client
import http.server
import sys
import threading

upstream, log_path = sys.argv[1], sys.argv[2]
log_lock = threading.Lock()
HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                n = int(self.rfile.readline().split(b";")[0], 16)
                if n == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(n)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def forward(self):
        data = self.body()
        conn = http.client.HTTPConnection(upstream, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        if data or self.command in ("PUT", "PATCH", "POST"):
            headers["Content-Length"] = str(len(data))
        conn.request(self.command, self.path, body=data, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        with log_lock, open(log_path, "a") as f:
            f.write("%s %s %d %s -> %d\n" % (self.command, self.path.split("?")[0], len(data),
                                             self.headers.get("Content-Range", "-"), resp.status))
        self.send_response_only(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in HOP:
                self.send_header(k, v)
        if resp.getheader("Content-Length") is None:
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
        conn.close()

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = forward


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
