#!/usr/bin/env bash
# run-loongarch64.sh: boot a cloud-boot EFI image on loongarch64 UEFI firmware under QEMU; see runner.sh or --help.
CPU=loongarch64 EFI_NAME=BOOTLOONGARCH64 DEFAULT_MEMORY=2048
. "$(dirname "${BASH_SOURCE[0]}")/runner.sh"
