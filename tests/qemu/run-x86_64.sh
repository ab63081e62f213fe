#!/usr/bin/env bash
# run-x86_64.sh: boot a cloud-boot EFI image on x86_64 UEFI firmware under QEMU; see runner.sh or --help.
CPU=x86_64 EFI_NAME=BOOTX64 DEFAULT_MEMORY=1024
. "$(dirname "${BASH_SOURCE[0]}")/runner.sh"
