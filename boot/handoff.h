/* handoff.h: starting a Linux kernel (or any EFI application) from memory: LoadImage, the cmdline as
 * LoadOptions, the initrd through LoadFile2 on LINUX_EFI_INITRD_MEDIA_GUID, StartImage. Nothing else. */
#ifndef BOOT_HANDOFF_H
#define BOOT_HANDOFF_H

#include <stddef.h>

#include "cb_err.h"

struct handoff_payload {
	const char *what;   /* for messages: "kernel primary (sha256:ab12…)" */
	const void *kernel; /* a PE32+ EFI application for this CPU (Linux EFI stub, zboot or any app) */
	size_t kernel_size;
	const void *initrd; /* NULL: boot without an initrd */
	size_t initrd_size;
	const char *cmdline; /* NULL or "": no LoadOptions */
};

/* Checks the image is a PE32+ EFI application for this CPU: the reason for refusing it in e. */
int handoff_check_image(const void *img, size_t size, struct cb_err *e);

/* Starts the payload. Returns only when the firmware refused the image (Secure Boot, bad PE) or the image
 * returned; everything published for it has been withdrawn by then and e says what happened. The caller
 * has already verified the payload and shut its devices down (the NIC reset before the jump). */
int handoff_start(const struct handoff_payload *p, struct cb_err *e);

#endif
