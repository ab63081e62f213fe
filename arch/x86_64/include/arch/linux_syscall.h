/* linux_syscall.h (x86_64: syscall with rax = number, rdi/rsi/rdx(/r10) = arguments): raw Linux system calls for the
 * freestanding Linux-side programs (test initrds); the UEFI loader never includes this. */
#ifndef CB_ARCH_LINUX_SYSCALL_H
#define CB_ARCH_LINUX_SYSCALL_H

#define LINUX_SYS_write 1
#define LINUX_SYS_exit 60
#define LINUX_SYS_reboot 169

static inline long linux_syscall3(long nr, long a1, long a2, long a3)
{
	register long r10 __asm__("r10") = 0;
	__asm__ volatile("syscall" : "+a"(nr) : "D"(a1), "S"(a2), "d"(a3), "r"(r10) : "rcx", "r11", "memory");
	return nr;
}

#endif
