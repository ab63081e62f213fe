#!/usr/bin/env python3
"""mkesl.py CERT.der OUT.esl: one EFI_SIGNATURE_LIST (EFI_CERT_X509_GUID, owner all zeros) holding one DER
certificate: the shape OVMF wants in fw_cfg etc/edk2/https/cacerts (its TlsCaCertificate variable) and what the
loader's cloudboot.ca= and `cloud-boot pull --ca` also read."""
import struct
import sys

EFI_CERT_X509_GUID = bytes.fromhex('a159c0a5e494a74a87b5ab155c2bf072')

der = open(sys.argv[1], 'rb').read()
header = struct.pack('<III', 16 + 12 + 16 + len(der), 0, 16 + len(der))  # list size, header size, entry size
open(sys.argv[2], 'wb').write(EFI_CERT_X509_GUID + header + bytes(16) + der)
