/* entry.S (aarch64): firmware entry point. UEFI uses AAPCS64 like our C code, so the stub only sets up a
 * frame record (for backtraces), initialises the runtime and runs the loader. */
	.text
	.globl efi_main
	.type efi_main, %function
efi_main:
	stp x29, x30, [sp, #-16]!
	mov x29, sp
	bl rt_init
	cbnz x0, 1f
	bl loader_main
1:	ldp x29, x30, [sp], #16
	ret
	.size efi_main, . - efi_main
	.section .note.GNU-stack, "", %progbits
