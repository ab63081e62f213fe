/* linux_syscall.h (aarch64: svc #0 with x8 = number, x0..x3 = arguments): raw Linux system calls for the
 * freestanding Linux-side programs (test initrds); the UEFI loader never includes this. */
#ifndef CB_ARCH_LINUX_SYSCALL_H
#define CB_ARCH_LINUX_SYSCALL_H

#define LINUX_SYS_write 64
#define LINUX_SYS_exit 93
#define LINUX_SYS_reboot 142

static inline long linux_syscall3(long nr, long a1, long a2, long a3)
{
	register long x8 __asm__("x8") = nr, x0 __asm__("x0") = a1, x1 __asm__("x1") = a2, x2 __asm__("x2") = a3,
	              x3 __asm__("x3") = 0;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
}

#endif
