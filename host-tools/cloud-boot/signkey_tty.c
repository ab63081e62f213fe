/* signkey_tty.c: where a key password comes from when the caller has none: $COSIGN_PASSWORD, else a no-echo prompt
 * on /dev/tty (like cosign). Not a general terminal library: one line in, canonical mode, echo off while reading. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "signkey_internal.h"

static void say(int fd, const char *s)
{
	size_t n = strlen(s);
	while (n) {
		ssize_t k = write(fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		s += k;
		n -= (size_t)k;
	}
}

/* One line from the terminal without echo into buf (NUL-terminated, without the newline). */
static int ask(int fd, const char *prompt, char buf[SIGNKEY_PASSWORD_MAX + 1], struct cb_err *e)
{
	struct termios old, quiet;
	say(fd, prompt);
	say(fd, ": ");
	bool restore = tcgetattr(fd, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	size_t n = 0;
	int rc = 0;
	for (;;) {
		char c;
		ssize_t k = read(fd, &c, 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = cb_errf(e, CB_EIO, "reading the password from /dev/tty: %s", strerror(errno));
			break;
		}
		if (k == 0 || c == '\n')
			break;
		if (n == SIGNKEY_PASSWORD_MAX) {
			rc = cb_errf(e, CB_ELIMIT, "password longer than %u bytes", SIGNKEY_PASSWORD_MAX);
			break;
		}
		buf[n++] = c;
	}
	buf[n] = 0;
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	say(fd, "\n");
	if (rc)
		explicit_bzero(buf, SIGNKEY_PASSWORD_MAX + 1);
	return rc;
}

int signkey_password(const char *why, bool confirm, char buf[SIGNKEY_PASSWORD_MAX + 1], const char **pw,
		     struct cb_err *e)
{
	const char *env = getenv(SIGNKEY_PASSWORD_ENV);
	if (env) {
		*pw = env;
		return 0;
	}
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return cb_errf(e, CB_ENOENT, "a password is needed and there is no terminal to ask for it: set "
			       SIGNKEY_PASSWORD_ENV " (it may be empty)");
	int rc = ask(fd, why, buf, e);
	if (!rc && confirm) {
		char again[SIGNKEY_PASSWORD_MAX + 1], prompt[128];
		snprintf(prompt, sizeof(prompt), "%s again", why);
		rc = ask(fd, prompt, again, e);
		if (!rc && strcmp(buf, again) != 0)
			rc = cb_errf(e, CB_EINVAL, "the two passwords do not match");
		explicit_bzero(again, sizeof(again));
	}
	close(fd);
	if (rc)
		explicit_bzero(buf, SIGNKEY_PASSWORD_MAX + 1);
	else
		*pw = buf;
	return rc;
}
