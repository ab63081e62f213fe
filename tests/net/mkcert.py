#!/usr/bin/env python3
"""mkcert.py DIR: a test CA (DIR/ca.key, DIR/ca.crt) and a server certificate it signs (DIR/server.key,
DIR/server.crt) for 127.0.0.1, localhost and 10.0.2.2 (the host as QEMU's user network shows it; also as a DNS
name, since BearSSL matches only DNS names), EC P-256. Valid from 2020-01-01 to two days from now: firmware
clocks are often wrong (EDK2 riscv64/loongarch64 without an RTC report their build date), and the tests are
about the trust chain and the name, not the clock (the clock cases live in tests/net/tls_test.sh)."""
import datetime
import ipaddress
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def write_key(path, key):
    with open(path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))


def main():
    out = sys.argv[1]
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    end = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=2)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cloud-boot-test-ca")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    san = x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.DNSName("10.0.2.2"),
                                       x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                       x509.IPAddress(ipaddress.ip_address("10.0.2.2"))])
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end).add_extension(san, critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256()))
    write_key(os.path.join(out, "ca.key"), ca_key)
    write_key(os.path.join(out, "server.key"), key)
    for name, c in (("ca.crt", ca), ("server.crt", cert)):
        with open(os.path.join(out, name), "wb") as f:
            f.write(c.public_bytes(serialization.Encoding.PEM))


if __name__ == "__main__":
    main()
