#!/usr/bin/env bash
# run-riscv64.sh: boot a cloud-boot EFI image on riscv64 UEFI firmware under QEMU; see runner.sh or --help.
CPU=riscv64 EFI_NAME=BOOTRISCV64 DEFAULT_MEMORY=1024
. "$(dirname "${BASH_SOURCE[0]}")/runner.sh"
