/* cb_err.c: formatting of the one-line error messages behind struct cb_err (see cb_err.h). */
#include "cb_err.h"

#include <stdio.h>
#include <string.h>

int cb_verrf(struct cb_err *e, int code, const char *fmt, va_list ap)
{
	if (e) {
		e->code = code;
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	}
	return code;
}

int cb_errf(struct cb_err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cb_verrf(e, code, fmt, ap);
	va_end(ap);
	return code;
}

int cb_err_prefix(struct cb_err *e, const char *fmt, ...)
{
	if (!e)
		return CB_EINVAL;
	char prefix[CB_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	if (n <= 0)
		return e->code;
	size_t plen = (size_t)n < sizeof(prefix) ? (size_t)n : sizeof(prefix) - 1;
	size_t mlen = strnlen(e->msg, sizeof(e->msg) - 1);
	if (plen + mlen >= sizeof(e->msg))
		mlen = sizeof(e->msg) - 1 - (plen < sizeof(e->msg) - 1 ? plen : sizeof(e->msg) - 1);
	if (plen > sizeof(e->msg) - 1)
		plen = sizeof(e->msg) - 1;
	memmove(e->msg + plen, e->msg, mlen);
	memcpy(e->msg, prefix, plen);
	e->msg[plen + mlen] = 0;
	return e->code;
}

const char *cb_status_str(int code)
{
	switch (code) {
	case CB_OK: return "ok";
	case CB_EINVAL: return "invalid input";
	case CB_EIO: return "I/O error";
	case CB_ENOMEM: return "out of memory";
	case CB_ENOENT: return "not found";
	case CB_ELIMIT: return "limit exceeded";
	case CB_EUNSUP: return "not supported";
	case CB_ETIMEDOUT: return "timed out";
	case CB_EPROTO: return "protocol error";
	case CB_EVERIFY: return "verification failed";
	case CB_ECONN: return "connection failed";
	default: return "unknown error";
	}
}
