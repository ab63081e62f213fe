/* cb_err.h: the project's error convention, shared by every build (loader, linux-init, host): a fallible
 * function returns 0 or a negative CB_E* code and leaves one human line in a caller-owned struct cb_err. */
#ifndef CB_ERR_H
#define CB_ERR_H

#include <stdarg.h>
#include <stddef.h>

enum cb_status {
	CB_OK = 0,
	CB_EINVAL = -1,    /* malformed or hostile input */
	CB_EIO = -2,       /* the device or transport failed */
	CB_ENOMEM = -3,    /* allocation failed */
	CB_ENOENT = -4,    /* no such file, key, target or object */
	CB_ELIMIT = -5,    /* a size, depth or count limit was exceeded */
	CB_EUNSUP = -6,    /* valid but not supported by us */
	CB_ETIMEDOUT = -7, /* a bounded wait ran out */
	CB_EPROTO = -8,    /* the peer broke the protocol */
	CB_EVERIFY = -9,   /* a digest, checksum or signature did not verify */
	CB_ECONN = -10,    /* connection refused, reset or closed early */
};

#define CB_ERR_MSG_MAX 320

struct cb_err {
	int code;
	char msg[CB_ERR_MSG_MAX];
};

/* Sets the message and returns `code`, so `return cb_errf(e, CB_EINVAL, "...", ...);` reads naturally. */
int cb_errf(struct cb_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int cb_verrf(struct cb_err *e, int code, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
/* Prepends context ("ext4: /boot/vmlinuz: ") to the message already set; returns e->code. */
int cb_err_prefix(struct cb_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A short name for a code ("invalid input", "timed out"), never NULL. */
const char *cb_status_str(int code);

#endif
