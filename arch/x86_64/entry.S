/* entry.S (x86_64): firmware entry point. UEFI calls efi_main with the Microsoft x64 ABI (image in rcx,
 * system table in rdx); the rest of the loader is System V code, so this stub converts between the two. */
	.text
	.globl efi_main
	.type efi_main, @function
efi_main:
	/* MS x64 callee-saved registers that System V code may clobber: rdi, rsi, xmm6-xmm15. */
	pushq %rbp
	movq %rsp, %rbp
	pushq %rdi
	pushq %rsi
	/* 10 xmm slots, then rsp 16-byte aligned at the calls as System V code assumes (BearSSL's SSE code faults
	 * otherwise), whatever alignment the firmware entered with. */
	subq $160, %rsp
	andq $-16, %rsp
	movdqu %xmm6, 0(%rsp)
	movdqu %xmm7, 16(%rsp)
	movdqu %xmm8, 32(%rsp)
	movdqu %xmm9, 48(%rsp)
	movdqu %xmm10, 64(%rsp)
	movdqu %xmm11, 80(%rsp)
	movdqu %xmm12, 96(%rsp)
	movdqu %xmm13, 112(%rsp)
	movdqu %xmm14, 128(%rsp)
	movdqu %xmm15, 144(%rsp)
	cld
	movq %rcx, %rdi
	movq %rdx, %rsi
	call rt_init
	testq %rax, %rax
	jnz 1f
	call loader_main
1:
	movdqu 0(%rsp), %xmm6
	movdqu 16(%rsp), %xmm7
	movdqu 32(%rsp), %xmm8
	movdqu 48(%rsp), %xmm9
	movdqu 64(%rsp), %xmm10
	movdqu 80(%rsp), %xmm11
	movdqu 96(%rsp), %xmm12
	movdqu 112(%rsp), %xmm13
	movdqu 128(%rsp), %xmm14
	movdqu 144(%rsp), %xmm15
	leaq -16(%rbp), %rsp
	popq %rsi
	popq %rdi
	popq %rbp
	ret
	.size efi_main, . - efi_main
	.section .note.GNU-stack, "", @progbits
