/* transport_socket.c: cb_dialer/cb_transport over BSD sockets for the host and linux-init builds:
 * getaddrinfo, non-blocking connect under a deadline, poll-based idle timeout. No proxies; TLS is layered
 * on top by cb_posix_dialer_init_tls() (tls_posix.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cb_posix.h"

struct sock {
	struct cb_transport t;
	int fd;
	uint32_t idle_ms;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int errno_code(int err)
{
	switch (err) {
	case ECONNREFUSED:
	case ECONNRESET:
	case ECONNABORTED:
	case EPIPE:
	case ENETUNREACH:
	case EHOSTUNREACH:
	case ENETDOWN:
	case ENOTCONN:
		return CB_ECONN;
	case ETIMEDOUT:
		return CB_ETIMEDOUT;
	case ENOMEM:
	case ENOBUFS:
		return CB_ENOMEM;
	default:
		return CB_EIO;
	}
}

/* Waits for `events` on fd for at most ms (0 = forever). 1 ready, 0 timed out, -errno on failure. */
static int wait_fd(int fd, short events, uint32_t ms)
{
	uint64_t deadline = mono_ms() + ms;
	for (;;) {
		int timeout = -1;
		if (ms) {
			uint64_t now = mono_ms();
			if (now >= deadline)
				return 0;
			timeout = (int)(deadline - now);
		}
		struct pollfd p = { .fd = fd, .events = events };
		int r = poll(&p, 1, timeout);
		if (r > 0)
			return 1;
		if (r == 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

static long sock_recv(struct cb_transport *t, void *buf, size_t len, struct cb_err *e)
{
	struct sock *s = t->priv;
	if (len > (1u << 30))
		len = 1u << 30;
	for (;;) {
		ssize_t n = recv(s->fd, buf, len, 0);
		if (n >= 0)
			return (long)n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return cb_errf(e, errno_code(errno), "recv: %s", strerror(errno));
		int w = wait_fd(s->fd, POLLIN, s->idle_ms);
		if (w == 0)
			return cb_errf(e, CB_ETIMEDOUT, "recv: no data for %u ms", (unsigned)s->idle_ms);
		if (w < 0)
			return cb_errf(e, errno_code(-w), "poll: %s", strerror(-w));
	}
}

static int sock_send(struct cb_transport *t, const void *buf, size_t len, struct cb_err *e)
{
	struct sock *s = t->priv;
	const char *p = buf;
	while (len) {
		ssize_t n = send(s->fd, p, len > (1u << 30) ? (1u << 30) : len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return cb_errf(e, errno_code(errno), "send: %s", strerror(errno));
		int w = wait_fd(s->fd, POLLOUT, s->idle_ms);
		if (w == 0)
			return cb_errf(e, CB_ETIMEDOUT, "send: no progress for %u ms", (unsigned)s->idle_ms);
		if (w < 0)
			return cb_errf(e, errno_code(-w), "poll: %s", strerror(-w));
	}
	return 0;
}

static void sock_close(struct cb_transport *t)
{
	struct sock *s = t->priv;
	close(s->fd);
	free(s);
}

/* One address: 0 and *fd connected, or a CB_E* code with e set. */
static int try_connect(const struct addrinfo *ai, uint64_t deadline, const char *host, uint16_t port, int *fd,
                       struct cb_err *e)
{
	char addr[64] = "?";
	getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr), NULL, 0, NI_NUMERICHOST);
	int s = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return cb_errf(e, errno_code(errno), "connect %s:%u (%s): socket: %s", host, port, addr, strerror(errno));
	int err = 0;
	if (connect(s, ai->ai_addr, ai->ai_addrlen) != 0) {
		err = errno;
		if (err == EINPROGRESS || err == EINTR) {
			uint64_t now = mono_ms();
			int w = now >= deadline ? 0 : wait_fd(s, POLLOUT, (uint32_t)(deadline - now));
			if (w == 0) {
				close(s);
				return cb_errf(e, CB_ETIMEDOUT, "connect %s:%u (%s): timed out", host, port, addr);
			}
			socklen_t sl = sizeof(err);
			if (w < 0)
				err = -w;
			else if (getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &sl) != 0)
				err = errno;
		}
	}
	if (err) {
		close(s);
		return cb_errf(e, errno_code(err), "connect %s:%u (%s): %s", host, port, addr, strerror(err));
	}
	int one = 1;
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	*fd = s;
	return 0;
}

static int sock_dial(struct cb_dialer *d, const char *host, uint16_t port, const struct cb_dial_opts *opts,
                     struct cb_transport **out, struct cb_err *e)
{
	(void)d;
	*out = NULL;
	if (opts->tls)
		return cb_errf(e, CB_EUNSUP, "connect %s:%u: TLS needs the dialer of cb_posix_dialer_init_tls()",
		               host, port);
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	char service[8];
	snprintf(service, sizeof(service), "%u", port);
	int g = getaddrinfo(host, service, &hints, &res);
	if (g != 0)
		return cb_errf(e, g == EAI_NONAME ? CB_ENOENT : CB_ECONN, "resolve %s: %s", host, gai_strerror(g));
	uint64_t deadline = mono_ms() + (opts->connect_ms ? opts->connect_ms : 10000);
	int fd = -1, rc = CB_ECONN;
	cb_errf(e, rc, "connect %s:%u: no address", host, port);
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		rc = try_connect(ai, deadline, host, port, &fd, e);
		if (rc == 0 || rc == CB_ETIMEDOUT)
			break;
	}
	freeaddrinfo(res);
	if (rc)
		return rc;
	struct sock *s = calloc(1, sizeof(*s));
	if (!s) {
		close(fd);
		return cb_errf(e, CB_ENOMEM, "connect %s:%u: out of memory", host, port);
	}
	s->fd = fd;
	s->idle_ms = opts->idle_ms;
	s->t = (struct cb_transport){ .recv = sock_recv, .send = sock_send, .close = sock_close, .priv = s };
	*out = &s->t;
	return 0;
}

void cb_posix_dialer_init(struct cb_dialer *d)
{
	d->dial = sock_dial;
	d->priv = NULL;
}
