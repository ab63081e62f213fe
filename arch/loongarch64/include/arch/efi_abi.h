/* efi_abi.h (loongarch64): UEFI calls use the platform's standard C calling convention. */
#ifndef CB_ARCH_EFI_ABI_H
#define CB_ARCH_EFI_ABI_H
#define EFIAPI
#endif
