/* entry.S (riscv64): firmware entry point. UEFI uses the standard LP64 calling convention like our C code,
 * so the stub only keeps a frame (ra, s0), initialises the runtime and runs the loader. */
	.text
	.globl efi_main
	.type efi_main, @function
efi_main:
	addi sp, sp, -16
	sd ra, 8(sp)
	sd s0, 0(sp)
	addi s0, sp, 16
	call rt_init
	bnez a0, 1f
	call loader_main
1:	ld ra, 8(sp)
	ld s0, 0(sp)
	addi sp, sp, 16
	ret
	.size efi_main, . - efi_main
	.section .note.GNU-stack, "", @progbits
