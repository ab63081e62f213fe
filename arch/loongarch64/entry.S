/* entry.S (loongarch64): firmware entry point. UEFI uses the LP64 calling convention like our C code, so
 * the stub only keeps a frame (ra, fp), initialises the runtime and runs the loader. */
	.text
	.globl efi_main
	.type efi_main, @function
efi_main:
	addi.d $sp, $sp, -16
	st.d $ra, $sp, 8
	st.d $fp, $sp, 0
	addi.d $fp, $sp, 16
	bl rt_init
	bnez $a0, 1f
	bl loader_main
1:	ld.d $ra, $sp, 8
	ld.d $fp, $sp, 0
	addi.d $sp, $sp, 16
	jr $ra
	.size efi_main, . - efi_main
	.section .note.GNU-stack, "", @progbits
