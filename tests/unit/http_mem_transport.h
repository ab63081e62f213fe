/* http_mem_transport.h: a scripted cb_dialer for HTTP unit tests and fuzzers: each dial plays the next
 * canned server reply (split into recv-sized pieces, then EOF/reset/timeout) and records what was sent. */
#ifndef HTTP_MEM_TRANSPORT_H
#define HTTP_MEM_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transport.h"

#define MEM_MAX_CONNS 16

#define MEM_MAX_REPLIES 8

/* One connection. Reply i becomes readable once the client has sent i + 1 request heads (so a keep-alive
 * connection answers request by request); reply 0 with len set may hold NUL bytes. */
struct mem_script {
	const char *reply[MEM_MAX_REPLIES];
	size_t len;       /* of reply[0]; 0: strlen */
	int end;          /* after the last reply: 0 orderly close, else the CB_E* recv returns */
	int dial_error;   /* nonzero: the dial itself fails with this code */
};

struct mem_conn_log {
	char host[256];
	uint16_t port;
	bool tls;
	char *sent; /* everything the client sent, NUL-terminated */
	size_t sent_len;
	bool closed;
};

struct mem_dialer {
	struct cb_dialer d;
	const struct mem_script *scripts;
	size_t n_scripts, next;
	const uint8_t *splits; /* recv sizes, cycled (0 entries mean 1); NULL: as much as asked for */
	size_t n_splits;
	struct mem_conn_log log[MEM_MAX_CONNS];
	size_t n_dials;
};

void mem_dialer_init(struct mem_dialer *m, const struct mem_script *s, size_t n);
void mem_dialer_free(struct mem_dialer *m);
/* Sleep hook that records total requested backoff. */
extern uint64_t mem_slept_ms;
extern const struct cb_clock mem_clock;

#endif
