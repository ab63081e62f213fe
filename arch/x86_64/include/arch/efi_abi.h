/* efi_abi.h (x86_64): UEFI calls use the Microsoft x64 calling convention. */
#ifndef CB_ARCH_EFI_ABI_H
#define CB_ARCH_EFI_ABI_H
#define EFIAPI __attribute__((ms_abi))
#endif
