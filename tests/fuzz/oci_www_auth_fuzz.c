/* oci_www_auth_fuzz.c: libFuzzer target for the WWW-Authenticate parser. Input: up to three header values
 * separated by NUL bytes, added in order; checks the counts and that every string is NUL-terminated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "www_auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	struct oci_www_auth a;
	oci_www_auth_init(&a);
	const char *p = s;
	for (int i = 0; i < 3 && p <= s + size; i++) {
		struct cb_err e = { 0 };
		size_t before = a.n;
		if (oci_www_auth_add(&a, p, &e) != 0) {
			if (!e.msg[0] || a.n != before)
				abort();
		}
		p += strlen(p) + 1;
	}
	if (a.n > OCI_AUTH_MAX_CHALLENGES)
		abort();
	for (size_t i = 0; i < a.n; i++) {
		const struct oci_auth_challenge *c = &a.ch[i];
		if (!c->scheme[0] || c->n_params > OCI_AUTH_MAX_PARAMS)
			abort();
		for (size_t k = 0; k < c->n_params; k++)
			if (strlen(c->params[k].name) + strlen(c->params[k].value) > size)
				abort();
		if (oci_www_auth_find(&a, c->scheme) == NULL)
			abort();
	}
	oci_www_auth_free(&a);
	free(s);
	return 0;
}
