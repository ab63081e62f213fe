/* elf2efi: the ELF64 constants and field offsets it reads (own definitions, no <elf.h>, so the tool builds
 * the same on any host libc). Only what a static-PIE conversion needs. */
#ifndef ELF2EFI_ELF64_H
#define ELF2EFI_ELF64_H

/* e_ident */
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ELFDATA2MSB 2
#define EV_CURRENT 1

/* ELF header field offsets (Elf64_Ehdr, 64 bytes) */
#define EH_SIZE 64
#define EH_TYPE 16
#define EH_MACHINE 18
#define EH_ENTRY 24
#define EH_PHOFF 32
#define EH_PHENTSIZE 54
#define EH_PHNUM 56

#define ET_REL 1
#define ET_EXEC 2
#define ET_DYN 3
#define ET_CORE 4

#define EM_X86_64 62
#define EM_AARCH64 183
#define EM_RISCV 243
#define EM_LOONGARCH 258

/* Program header (Elf64_Phdr, 56 bytes) */
#define PH_SIZE 56
#define PH_TYPE 0
#define PH_FLAGS 4
#define PH_OFFSET 8
#define PH_VADDR 16
#define PH_FILESZ 32
#define PH_MEMSZ 40

#define PT_NULL 0
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_SHLIB 5
#define PT_TLS 7
#define PT_GNU_RELRO 0x6474e552u
#define PN_XNUM 0xffff

#define PF_X 1u
#define PF_W 2u
#define PF_R 4u

/* Dynamic entries (Elf64_Dyn, 16 bytes) */
#define DYN_SIZE 16
#define DT_NULL 0
#define DT_NEEDED 1
#define DT_PLTRELSZ 2
#define DT_RELA 7
#define DT_RELASZ 8
#define DT_RELAENT 9
#define DT_REL 17
#define DT_RELSZ 18
#define DT_RELENT 19
#define DT_PLTREL 20
#define DT_TEXTREL 22
#define DT_JMPREL 23
#define DT_FLAGS 30
#define DT_RELRSZ 35
#define DT_RELR 36
#define DT_RELRENT 37
#define DT_ANDROID_REL 0x6000000f
#define DT_ANDROID_RELSZ 0x60000010
#define DT_ANDROID_RELA 0x60000011
#define DT_ANDROID_RELASZ 0x60000012
#define DT_ANDROID_RELR 0x6fffe000
#define DT_ANDROID_RELRSZ 0x6fffe001
#define DF_TEXTREL 0x4

/* Relocation entries */
#define RELA_SIZE 24
#define REL_SIZE 16

/* R_*_RELATIVE per machine; type 0 is R_*_NONE on all four. */
#define R_X86_64_RELATIVE 8
#define R_AARCH64_RELATIVE 1027
#define R_RISCV_RELATIVE 3
#define R_LARCH_RELATIVE 3

#endif
