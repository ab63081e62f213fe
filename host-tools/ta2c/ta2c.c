/* ta2c.c: build-time tool turning CA certificate files (PEM bundles, DER, EFI signature lists) into the C
 * array of BearSSL trust anchors the loader compiles in (tls_builtin_ta). Decodes with the loader's own code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls_internal.h"

#define TA2C_MAX_FILE (64u << 20)

static const char usage[] = "usage: ta2c -o OUT.c FILE...\n"
                            "Writes the trust anchors of every certificate in the FILEs (PEM, DER or EFI signature "
                            "lists) as C.\n";

static int read_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "ta2c: %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
		n += got;
		if (n == cap) {
			char *p = cap < TA2C_MAX_FILE ? realloc(buf, cap * 2) : NULL;
			if (!p) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = p;
			cap *= 2;
		}
	}
	int err = ferror(f);
	fclose(f);
	if (!buf || err) {
		fprintf(stderr, "ta2c: %s: %s\n", path, buf ? "read error" : "too large or out of memory");
		free(buf);
		return -1;
	}
	*data = buf;
	*len = n;
	return 0;
}

static void blob(FILE *out, const char *name, size_t i, const unsigned char *p, size_t len)
{
	fprintf(out, "static const unsigned char ta%zu_%s[%zu] = {", i, name, len);
	for (size_t k = 0; k < len; k++)
		fprintf(out, "%s0x%02x,", k % 12 ? " " : "\n\t", p[k]);
	fprintf(out, "\n};\n");
}

static void anchor(FILE *out, const br_x509_trust_anchor *ta, size_t i)
{
	fprintf(out, "\t{ { (unsigned char *)ta%zu_dn, sizeof(ta%zu_dn) }, %s,\n", i, i,
	        ta->flags & BR_X509_TA_CA ? "BR_X509_TA_CA" : "0");
	if (ta->pkey.key_type == BR_KEYTYPE_RSA)
		fprintf(out, "\t  { BR_KEYTYPE_RSA, { .rsa = { (unsigned char *)ta%zu_n, sizeof(ta%zu_n), "
		             "(unsigned char *)ta%zu_e, sizeof(ta%zu_e) } } } },\n", i, i, i, i);
	else
		fprintf(out, "\t  { BR_KEYTYPE_EC, { .ec = { %d, (unsigned char *)ta%zu_q, sizeof(ta%zu_q) } } } },\n",
		        ta->pkey.key.ec.curve, i, i);
}

static int emit(FILE *out, const struct tls_config *cfg, char **names, int n_names)
{
	const struct tls_anchors *a = cfg->anchors;
	fprintf(out, "/* tls_builtin_anchors.c: generated at build time by host-tools/ta2c from");
	for (int i = 0; i < n_names; i++)
		fprintf(out, " %s", names[i]);
	fprintf(out, ".\n * Do not edit; %zu trust anchors. */\n#include \"tls_internal.h\"\n\n", a->n);
	for (size_t i = 0; i < a->n; i++) {
		const br_x509_trust_anchor *ta = &a->ta[i];
		blob(out, "dn", i, ta->dn.data, ta->dn.len);
		if (ta->pkey.key_type == BR_KEYTYPE_RSA) {
			blob(out, "n", i, ta->pkey.key.rsa.n, ta->pkey.key.rsa.nlen);
			blob(out, "e", i, ta->pkey.key.rsa.e, ta->pkey.key.rsa.elen);
		} else {
			blob(out, "q", i, ta->pkey.key.ec.q, ta->pkey.key.ec.qlen);
		}
	}
	fprintf(out, "\nconst br_x509_trust_anchor tls_builtin_ta[%zu] = {\n", a->n);
	for (size_t i = 0; i < a->n; i++)
		anchor(out, &a->ta[i], i);
	fprintf(out, "};\nconst size_t tls_builtin_ta_count = %zu;\n", a->n);
	return ferror(out) ? -1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 4 || strcmp(argv[1], "-o")) {
		fputs(usage, stderr);
		return 2;
	}
	const char *outpath = argv[2];
	struct tls_config cfg;
	tls_config_init(&cfg);
	for (int i = 3; i < argc; i++) {
		char *data;
		size_t len;
		struct cb_err e = { 0 };
		if (read_file(argv[i], &data, &len))
			return 1;
		int rc = tls_config_add_named(&cfg, argv[i], data, len, &e);
		free(data);
		if (rc) {
			fprintf(stderr, "ta2c: %s\n", e.msg);
			return 1;
		}
	}
	if (!tls_config_anchor_count(&cfg)) {
		fputs("ta2c: no certificates in the input\n", stderr);
		return 1;
	}
	FILE *out = fopen(outpath, "w");
	if (!out) {
		fprintf(stderr, "ta2c: %s: %s\n", outpath, strerror(errno));
		return 1;
	}
	int rc = emit(out, &cfg, argv + 3, argc - 3);
	if (fclose(out) || rc) {
		fprintf(stderr, "ta2c: %s: write error\n", outpath);
		remove(outpath);
		return 1;
	}
	tls_config_free(&cfg);
	return 0;
}
