#!/usr/bin/env bash
# run-aarch64.sh: boot a cloud-boot EFI image on aarch64 UEFI firmware under QEMU; see runner.sh or --help.
CPU=aarch64 EFI_NAME=BOOTAA64 DEFAULT_MEMORY=1024
. "$(dirname "${BASH_SOURCE[0]}")/runner.sh"
