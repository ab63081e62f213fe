/* tls-bench.c: MB/s of BearSSL's AES-128-GCM (ct64 vs AES-NI, which the loader too picks by CPUID),
 * ChaCha20-Poly1305 (portable vs SSE2, host only), SHA-256, and the ratios behind tls.c's suite order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bearssl.h"

#define CHUNK (16 * 1024) /* one TLS record */
#define MIN_SECONDS 0.4

static unsigned char buf[CHUNK], key[32], iv[12], tag[16];

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct gcm_impl {
	const br_block_ctr_class *ctr;
	br_ghash ghash;
};

static void run_gcm(const void *arg)
{
	const struct gcm_impl *g = arg;
	union {
		const br_block_ctr_class *vtable;
		br_aes_ct64_ctr_keys ct64;
		br_aes_x86ni_ctr_keys ni;
	} keys;
	br_gcm_context gcm;
	g->ctr->init(&keys.vtable, key, 16);
	br_gcm_init(&gcm, &keys.vtable, g->ghash);
	br_gcm_reset(&gcm, iv, sizeof(iv));
	br_gcm_flip(&gcm);
	br_gcm_run(&gcm, 1, buf, sizeof(buf));
	br_gcm_get_tag(&gcm, tag);
}

struct chapol_impl {
	br_chacha20_run chacha;
	br_poly1305_run poly;
};

static void run_chapol(const void *arg)
{
	const struct chapol_impl *c = arg;
	c->poly(key, iv, buf, sizeof(buf), NULL, 0, tag, c->chacha, 1);
}

static void run_sha256(const void *arg)
{
	(void)arg;
	br_sha256_context sc;
	br_sha256_init(&sc);
	br_sha256_update(&sc, buf, sizeof(buf));
	br_sha256_out(&sc, tag);
}

/* MB/s of fn over CHUNK-byte records, best of three runs of at least MIN_SECONDS each. */
static double measure(void (*fn)(const void *), const void *arg)
{
	double best = 0;
	for (int r = 0; r < 3; r++) {
		unsigned long n = 0;
		double t0 = now(), t;
		do {
			for (int k = 0; k < 16; k++)
				fn(arg);
			n += 16;
		} while ((t = now() - t0) < MIN_SECONDS);
		double mbs = (double)n * CHUNK / t / 1e6;
		if (mbs > best)
			best = mbs;
	}
	return best;
}

int main(void)
{
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 31 + 7);
	memset(key, 0x42, sizeof(key));
	memset(iv, 0x24, sizeof(iv));

	br_poly1305_run ctmulq = br_poly1305_ctmulq_get();
	br_poly1305_run poly = ctmulq ? ctmulq : br_poly1305_ctmul_run;
	struct gcm_impl gcm_ct = { &br_aes_ct64_ctr_vtable, br_ghash_ctmul64 };
	struct gcm_impl gcm_ni = { br_aes_x86ni_ctr_get_vtable(), br_ghash_pclmul_get() };
	struct chapol_impl cp_ct = { br_chacha20_ct_run, poly };
	struct chapol_impl cp_sse = { br_chacha20_sse2_get(), poly };

	double aes_ct = measure(run_gcm, &gcm_ct);
	double aes_ni = gcm_ni.ctr && gcm_ni.ghash ? measure(run_gcm, &gcm_ni) : 0;
	double cha_ct = measure(run_chapol, &cp_ct);
	double cha_sse = cp_sse.chacha ? measure(run_chapol, &cp_sse) : 0;
	double sha = measure(run_sha256, NULL);

	printf("tls-bench: BearSSL 0.6, %d-byte records, MB/s (best of 3)\n", CHUNK);
	printf("  AES-128-GCM        ct64 + ctmul64            %8.1f\n", aes_ct);
	if (aes_ni)
		printf("  AES-128-GCM        AES-NI + PCLMUL           %8.1f\n", aes_ni);
	else
		printf("  AES-128-GCM        AES-NI + PCLMUL           not on this CPU\n");
	printf("  ChaCha20-Poly1305  ct + %-7s               %8.1f\n", ctmulq ? "ctmulq" : "ctmul", cha_ct);
	if (cha_sse)
		printf("  ChaCha20-Poly1305  SSE2 + %-7s (host only)%8.1f\n", ctmulq ? "ctmulq" : "ctmul", cha_sse);
	else
		printf("  ChaCha20-Poly1305  SSE2 (host only)          not on this CPU\n");
	printf("  SHA-256                                      %8.1f\n", sha);
	printf("ratios: ChaCha20-Poly1305 ct / AES-128-GCM ct64 = %.2f", cha_ct / aes_ct);
	if (aes_ni)
		printf("; AES-NI / ct64 = %.1f; AES-NI GCM / SSE2 ChaCha20 = %.2f", aes_ni / aes_ct,
		       cha_sse ? aes_ni / cha_sse : 0);
	printf("\n");
	return 0;
}
