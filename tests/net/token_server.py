#!/usr/bin/env python3
"""token_server.py: a minimal Docker registry token server (the `token` auth of docker-registry 2.8) for tests.

Issues ES256 JWTs the registry accepts (header `kid` = the libtrust key ID of the key whose certificate is the
registry's `rootcertbundle`), granting pull to anyone when --anonymous-pull is given and pull+push to the
--user accounts (HTTP Basic). Prints its port on the first line of stdout, logs one line per request
(`<path> auth=<none|basic:USER|bad> scopes=<...> -> <status>`) to --log. Loopback only, stops on SIGTERM.
Needs python3-cryptography.
"""
import argparse
import base64
import hashlib
import http.server
import json
import os
import sys
import time
import urllib.parse

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def libtrust_kid(public_key):
    """docker/libtrust KeyID: base32 of the first 240 bits of SHA-256(DER SubjectPublicKeyInfo), 4-char groups."""
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    s = base64.b32encode(hashlib.sha256(der).digest()[:30]).decode().rstrip("=")
    return ":".join(s[i:i + 4] for i in range(0, len(s), 4))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--key", required=True, help="EC P-256 private key (PEM)")
    ap.add_argument("--issuer", required=True)
    ap.add_argument("--service", required=True)
    ap.add_argument("--user", action="append", default=[], help="USER:PASSWORD granted pull and push")
    ap.add_argument("--anonymous-pull", action="store_true")
    ap.add_argument("--log", default=os.devnull)
    args = ap.parse_args()

    with open(args.key, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    kid = libtrust_kid(key.public_key())
    users = dict(u.split(":", 1) for u in args.user)
    log = open(args.log, "a", buffering=1)

    def token(sub, access):
        now = int(time.time())
        header = {"typ": "JWT", "alg": "ES256", "kid": kid}
        claims = {"iss": args.issuer, "sub": sub, "aud": args.service, "exp": now + 600, "nbf": now - 60,
                  "iat": now, "jti": b64url(os.urandom(12)), "access": access}
        signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
        r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
        return signing_input + "." + b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def reply(self, status, obj):
            body = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            u = urllib.parse.urlsplit(self.path)
            q = urllib.parse.parse_qs(u.query)
            who, auth = None, "none"
            h = self.headers.get("Authorization", "")
            if h.startswith("Basic "):
                try:
                    name, pw = base64.b64decode(h[6:]).decode().split(":", 1)
                except Exception:
                    name, pw = None, None
                if name in users and users[name] == pw:
                    who, auth = name, "basic:" + name
                else:
                    auth = "bad"
            scopes = [s for v in q.get("scope", []) for s in v.split(" ") if s]
            status = 200
            if u.path != "/token" or q.get("service", [""])[0] != args.service:
                status = 404
            elif auth == "bad" or (who is None and not args.anonymous_pull):
                status = 401
            log.write("%s auth=%s scopes=%s -> %d\n" % (u.path, auth, ",".join(scopes) or "-", status))
            if status == 404:
                return self.reply(404, {"errors": [{"code": "NOT_FOUND", "message": "unknown path or service"}]})
            if status == 401:
                return self.reply(401, {"errors": [{"code": "UNAUTHORIZED", "message": "bad credentials"}]})
            access = []
            for s in scopes:
                parts = s.split(":")
                if len(parts) < 3 or parts[0] != "repository":
                    continue
                wanted = parts[-1].split(",")
                allowed = ["pull", "push"] if who else ["pull"]
                access.append({"type": "repository", "name": ":".join(parts[1:-1]),
                               "actions": [a for a in wanted if a in allowed]})
            t = token(who or "", access)
            self.reply(200, {"token": t, "access_token": t, "expires_in": 600})

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
