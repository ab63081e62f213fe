/* linux_syscall.h (loongarch64: syscall 0 with a7 = number, a0..a3 = arguments): raw Linux system calls for the
 * freestanding Linux-side programs (test initrds); the UEFI loader never includes this. */
#ifndef CB_ARCH_LINUX_SYSCALL_H
#define CB_ARCH_LINUX_SYSCALL_H

#define LINUX_SYS_write 64
#define LINUX_SYS_exit 93
#define LINUX_SYS_reboot 142

static inline long linux_syscall3(long nr, long a1, long a2, long a3)
{
	register long a7 __asm__("$a7") = nr, a0 __asm__("$a0") = a1, r1 __asm__("$a1") = a2,
	              r2 __asm__("$a2") = a3, r3 __asm__("$a3") = 0;
	__asm__ volatile("syscall 0"
	                 : "+r"(a0)
	                 : "r"(a7), "r"(r1), "r"(r2), "r"(r3)
	                 : "$t0", "$t1", "$t2", "$t3", "$t4", "$t5", "$t6", "$t7", "$t8", "memory");
	return a0;
}

#endif
