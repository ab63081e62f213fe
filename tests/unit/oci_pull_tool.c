/* oci_pull_tool.c: "oci-pull", the host driver of oci_pull_boot over the POSIX socket dialer, for
 * tests/net/registry_test.sh: writes kernel/initrd/cmdline into a directory and prints what it resolved.
 * With --cosign-key it plugs cosign_verify_sig_manifest into the pull's signature hook. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_posix.h"
#include "cosign.h"
#include "pem.h"
#include "pull.h"

static const char usage[] =
	"usage: oci-pull [--plain-http] [--arch A] [--os O] [--variant V] [--user U] [--password P]\n"
	"                [--cosign-key PEM-FILE] [--max-file N] -o DIR REFERENCE\n"
	"Pulls the boot files of REFERENCE into DIR/kernel, DIR/initrd, DIR/cmdline and prints what it resolved.\n";

struct sig_ctx {
	struct cosign_key key;
	const char *docker_reference;
};

static int fetch_layer(void *ctx, const struct cosign_sig_layer *layer, void **bytes, size_t *len, struct cb_err *e)
{
	const struct oci_sig_found *sig = ctx;
	uint8_t *b;
	int rc = oci_sig_fetch(sig, layer->digest, layer->size, COSIGN_BUNDLE_MAX, &b, e);
	if (rc)
		return rc;
	*bytes = b;
	*len = (size_t)layer->size;
	return 0;
}

static int verify(void *ctx, const struct oci_sig_found *sig, struct cb_err *e)
{
	struct sig_ctx *s = ctx;
	struct cosign_want want = { .digest = sig->signed_digest };
	int rc = cosign_verify_sig_manifest(&s->key, sig->manifest, sig->len, &want, fetch_layer, (void *)sig, e);
	if (!rc)
		printf("signature %s %s\n", sig->signed_digest, sig->source);
	return rc;
}

static int write_file(const char *dir, const char *name, const void *p, size_t n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = malloc(PEM_MAX + 1);
	*len = b ? fread(b, 1, PEM_MAX, f) : 0;
	fclose(f);
	return b;
}

int main(int argc, char **argv)
{
	struct oci_registry_opts ro = { 0 };
	struct oci_creds creds = { 0 };
	struct oci_pull_opts po = { .platform = { .architecture = "amd64" } };
	const char *dir = NULL, *keyfile = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--plain-http")) {
			ro.plain_http = true;
			continue;
		}
		if (!v) {
			fputs(usage, stderr);
			return 2;
		}
		i++;
		if (!strcmp(a, "-o"))
			dir = v;
		else if (!strcmp(a, "--arch"))
			po.platform.architecture = v;
		else if (!strcmp(a, "--os"))
			po.platform.os = v;
		else if (!strcmp(a, "--variant"))
			po.platform.variant = v;
		else if (!strcmp(a, "--user"))
			creds.username = v;
		else if (!strcmp(a, "--password"))
			creds.password = v;
		else if (!strcmp(a, "--cosign-key"))
			keyfile = v;
		else if (!strcmp(a, "--max-file"))
			po.max_file = strtoull(v, NULL, 10);
		else {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (i + 1 != argc || !dir) {
		fputs(usage, stderr);
		return 2;
	}
	struct cb_err e = { 0 };
	struct sig_ctx sc = { 0 };
	struct oci_sig_hook hook = { .verify = verify, .ctx = &sc };
	if (keyfile) {
		size_t n;
		char *pem = slurp(keyfile, &n);
		if (!pem) {
			perror(keyfile);
			return 2;
		}
		int rc = pem_ec_p256_pubkey(pem, n, &sc.key, &e);
		free(pem);
		if (rc) {
			fprintf(stderr, "%s\n", e.msg);
			return 2;
		}
		po.sig = &hook;
	}
	struct oci_ref ref;
	if (oci_ref_parse(argv[i], &ref, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	struct cb_dialer dialer;
	cb_posix_dialer_init(&dialer);
	struct http_client *http = http_client_new(&dialer, &cb_posix_clock, NULL);
	struct oci_registry *reg = http ? oci_registry_new(http, &creds, &ro) : NULL;
	if (!reg) {
		fputs("oci-pull: out of memory\n", stderr);
		return 1;
	}
	struct oci_boot_files f;
	int rc = oci_pull_boot(reg, &ref, &po, &f, &e);
	if (rc) {
		fprintf(stderr, "%s\n", e.msg);
	} else {
		printf("digest %s\nmanifest %s\nkernel %zu %s\n", f.digest, f.manifest_digest, f.kernel_len, f.kernel_from);
		if (f.initrd)
			printf("initrd %zu %s\n", f.initrd_len, f.initrd_from);
		if (f.cmdline)
			printf("cmdline %s\n", f.cmdline);
		rc = write_file(dir, "kernel", f.kernel, f.kernel_len);
		if (!rc && f.initrd)
			rc = write_file(dir, "initrd", f.initrd, f.initrd_len);
		if (!rc && f.cmdline)
			rc = write_file(dir, "cmdline", f.cmdline, strlen(f.cmdline));
		oci_boot_files_free(&f);
	}
	oci_registry_free(reg);
	http_client_free(http);
	oci_ref_free(&ref);
	return rc ? 1 : 0;
}
