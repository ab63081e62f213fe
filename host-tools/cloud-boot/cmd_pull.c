/* cmd_pull.c: `cloud-boot pull`: the loader's own oci/ code (TLS, registry auth, cosign) run on the host to fetch
 * and verify a reference's kernel, initrd and cmdline into a directory. Not a general OCI client (no push). */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bearssl_hash.h"
#include "cmd.h"
#include "fileio.h"
#include "manifest.h"
#include "opts.h"
#include "outfile.h"
#include "pem.h"
#include "pull.h"
#include "pull_cosign.h"
#include "regconn.h"

static const char pull_help[] =
	"Usage: cloud-boot pull [--key cosign.pub] [--ca ca.pem] [--plain-http] [--arch ARCH]\n"
	"                       [--max-file BYTES] [--force] -o DIR REFERENCE\n"
	"\n"
	"Fetch the kernel, initrd and cmdline of an OCI artifact the way the boot loader does (same code: index\n"
	"and platform selection, registry auth, digest checks, cosign verification) and write them into DIR.\n"
	"Each file is named by its layer's org.opencontainers.image.title, else kernel, initrd, cmdline (always\n"
	"so for files taken out of a container image's tar layers). Prints what was verified:\n"
	"  signature DIGEST SOURCE        the digest a signature verified for, and where it was found\n"
	"  digest DIGEST                  what REFERENCE resolved to (an index or a manifest)\n"
	"  manifest DIGEST                the image manifest used\n"
	"  ROLE PATH BYTES SHA256 FROM    each file written (ROLE: kernel, initrd, cmdline)\n"
	"\n"
	"  --key FILE         cosign public key (PEM, ECDSA P-256): refuse the artifact unless one of its\n"
	"                     signatures (legacy .sig tag, OCI 1.1 referrer, Sigstore bundle) verifies with it\n"
	CB_REG_OPTS_HELP
	"  --arch ARCH        the platform to pick from an index: amd64, arm64, riscv64, loong64 (x86_64,\n"
	"                     aarch64, loongarch64 accepted); default: this machine's\n"
	"  --max-file BYTES   refuse a kernel or initrd larger than this (default 1 GiB)\n"
	"  -o, --output DIR   where to write the files (created if missing)\n"
	"  --force            replace files that already exist in DIR\n"
	"  -h, --help         this text\n"
	"\n"
	"REFERENCE: [oci://]host[:port]/repo[:tag][@sha256:...].\n"
	CB_REG_CREDS_HELP
	"\n"
	"Exit status: 0 success, 1 operational error (stderr names the reference and the failed check), 2 usage.\n";

struct pull_opts {
	const char *key, *arch, *max_file, *dir, *ref;
	bool force;
	struct cb_reg_opts reg;
	uint64_t max_bytes;
};

enum { ROLE_KERNEL, ROLE_INITRD, ROLE_CMDLINE };
static const char *const role_names[] = { "kernel", "initrd", "cmdline" };

/* One file to write. */
struct pulled {
	unsigned slot; /* ROLE_* */
	const void *data;
	size_t len;
	const char *from;
	char layer_from[24];
	char name[256];
	char *path;
	struct outfile out;
};

static int parse_args(int argc, char **argv, struct pull_opts *o)
{
	const struct cb_opt opts[] = {
		{ "--key", NULL, &o->key, NULL },
		{ "--arch", NULL, &o->arch, NULL },
		{ "--max-file", NULL, &o->max_file, NULL },
		{ "--output", "-o", &o->dir, NULL },
		{ "--force", NULL, NULL, &o->force },
		CB_REG_OPTS(&o->reg),
	};
	char *pos[1];
	size_t npos;
	int rc = cb_opts_parse("pull", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), pos, 1, &npos);
	if (rc != EXIT_OK)
		return rc;
	o->ref = npos ? pos[0] : NULL;
	if (o->max_file) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(o->max_file, &end, 10);
		if (errno || *end || o->max_file[0] < '0' || o->max_file[0] > '9' || v == 0)
			return cb_usage_err("pull", "--max-file '%s': not a positive number of bytes", o->max_file);
		o->max_bytes = v;
	}
	if (!o->dir)
		return cb_usage_err("pull", "%s is required", "-o DIR");
	if (!o->ref)
		return cb_usage_err("pull", "%s is required", "REFERENCE");
	const char *env = regconn_env_problem();
	return env ? cb_usage_err("pull", "%s", env) : EXIT_OK;
}

static int read_key(const char *path, struct cosign_key *key, struct cb_err *e)
{
	char *pem;
	size_t len;
	int rc = fileio_read_small(path, PEM_MAX, &pem, &len, e);
	if (!rc)
		rc = pem_ec_p256_pubkey(pem, len, key, e);
	free(pem);
	return rc ? cb_err_prefix(e, "--key %s: ", path) : 0;
}

/* Each signature manifest found: on stdout the digest it vouches for and where it was found; on stderr, in full,
 * why one was refused (the final error line repeats only the last reason, and may shorten it). */
static void on_sig(void *ctx, const struct oci_sig_found *sig, int rc, const char *msg)
{
	(void)ctx;
	if (rc == CB_OK)
		printf("signature %s %s\n", sig->signed_digest, sig->source);
	else
		cb_error("pull: signature refused: %s: %s", sig->source, msg);
}

/* A title is used as a file name only when it is one plain path component. */
static bool plain_name(const char *t)
{
	size_t n = t ? strlen(t) : 0;
	if (n == 0 || n > 255 || strcmp(t, ".") == 0 || strcmp(t, "..") == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (t[i] == '/' || (unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			return false;
	return true;
}

/* At most cap-1 bytes of s for the terminal, control characters shown as '?'. */
static void printable(const char *s, char *out, size_t cap)
{
	size_t i = 0;
	for (; s[i] && i + 1 < cap; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	out[i] = 0;
}

static const char *duplicate_name(const struct pulled *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(p[i].name, p[j].name) == 0)
				return p[i].name;
	return NULL;
}

/* Names the files after their layers' titles (per-file artifacts): the image manifest is fetched once more by
 * its digest (so it is the same bytes) and classified the way oci_pull_boot did. */
static int name_files(struct oci_registry *reg, const struct oci_ref *ref, const struct oci_boot_files *f,
                      struct pulled *p, size_t n, struct cb_err *e)
{
	struct oci_ref mref;
	int rc = oci_ref_copy(ref, &mref, e);
	if (rc)
		return rc;
	free(mref.digest);
	mref.digest = strdup(f->manifest_digest);
	uint8_t *bytes = NULL;
	size_t len = 0;
	char digest[OCI_DIGEST_SIZE], mt[128];
	struct oci_manifest m;
	struct oci_artifact *art = malloc(sizeof(*art));
	if (!mref.digest || !art) {
		oci_ref_free(&mref);
		free(art);
		return cb_errf(e, CB_ENOMEM, "out of memory");
	}
	rc = oci_get_manifest(reg, &mref, NULL, &bytes, &len, digest, mt, e);
	oci_ref_free(&mref);
	if (rc) {
		free(art);
		return rc;
	}
	rc = oci_manifest_parse(bytes, len, mt, &m, e);
	free(bytes);
	if (rc) {
		free(art);
		return rc;
	}
	if (!(rc = oci_manifest_classify(&m, art, e)) && art->kernel) {
		const struct oci_descriptor *d[] = { [ROLE_KERNEL] = art->kernel, [ROLE_INITRD] = art->initrd,
			                             [ROLE_CMDLINE] = art->cmdline };
		for (size_t i = 0; i < n; i++) {
			const struct oci_descriptor *l = d[p[i].slot];
			if (!l)
				continue;
			snprintf(p[i].layer_from, sizeof(p[i].layer_from), "layers[%zu]", (size_t)(l - m.desc));
			p[i].from = p[i].layer_from;
			if (plain_name(l->title)) {
				snprintf(p[i].name, sizeof(p[i].name), "%s", l->title);
			} else if (l->title) {
				char shown[81];
				printable(l->title, shown, sizeof(shown));
				cb_error("pull: warning: %s title \"%s\" is not a plain file name: writing %s",
				         p[i].layer_from, shown, role_names[p[i].slot]);
			}
		}
	}
	/* Titles that collide fall back to the role names, which never do. */
	const char *dup = duplicate_name(p, n);
	if (dup) {
		cb_error("pull: warning: two layers are titled \"%s\": writing kernel, initrd, cmdline", dup);
		for (size_t i = 0; i < n; i++)
			snprintf(p[i].name, sizeof(p[i].name), "%s", role_names[p[i].slot]);
	}
	oci_manifest_free(&m);
	free(art);
	return rc;
}

/* DIR is an existing directory, or missing (then create makes it, once everything is verified). */
static int out_dir(const char *dir, bool create, struct cb_err *e)
{
	struct stat st;
	if (stat(dir, &st) == 0)
		return S_ISDIR(st.st_mode) ? 0 : cb_errf(e, CB_EINVAL, "-o %s: not a directory", dir);
	if (errno != ENOENT || (create && mkdir(dir, 0777) != 0))
		return cb_errf(e, CB_EIO, "-o %s: %s", dir, strerror(errno));
	return 0;
}

/* All files or none: every name is checked and opened before the first one is committed. */
static int write_files(const char *dir, struct pulled *p, size_t n, bool force, struct cb_err *e)
{
	size_t opened = 0; /* outfile_open was called on p[0..opened) */
	int rc = out_dir(dir, true, e);
	while (opened < n && !rc) {
		struct pulled *q = &p[opened];
		size_t need = strlen(dir) + strlen(q->name) + 2;
		if (!(q->path = malloc(need))) {
			rc = cb_errf(e, CB_ENOMEM, "out of memory");
			break;
		}
		snprintf(q->path, need, "%s/%s", dir, q->name);
		opened++;
		if ((rc = outfile_open(&q->out, q->path, force, e)))
			cb_err_prefix(e, "%s: ", q->path);
	}
	for (size_t i = 0; i < opened && !rc; i++)
		if ((rc = fileio_write_all(p[i].out.fd, p[i].data, p[i].len, e)))
			cb_err_prefix(e, "%s: ", p[i].path);
	for (size_t i = 0; i < opened && !rc; i++)
		if ((rc = outfile_commit(&p[i].out, e)))
			cb_err_prefix(e, "%s: ", p[i].path);
	for (size_t i = 0; i < opened; i++)
		outfile_abort(&p[i].out);
	return rc;
}

static void print_file(const struct pulled *p)
{
	br_sha256_context c;
	uint8_t sha[32];
	char hex[OCI_DIGEST_SIZE];
	br_sha256_init(&c);
	br_sha256_update(&c, p->data, p->len);
	br_sha256_out(&c, sha);
	oci_digest_format(sha, hex);
	printf("%s %s %zu %s %s\n", role_names[p->slot], p->path, p->len, hex, p->from);
}

/* The machine's own platform for index selection: uname's name, normalised (x86_64 → amd64). */
static const char *host_arch(struct utsname *u)
{
	return uname(u) == 0 ? oci_arch_normalize(u->machine) : "amd64";
}

static int pull(const struct pull_opts *o, const struct oci_ref *ref, struct cb_err *e)
{
	struct cosign_key key;
	struct oci_cosign_hook sig;
	int rc;
	if (o->key) {
		if ((rc = read_key(o->key, &key, e)))
			return rc;
		oci_cosign_hook_init(&sig, &key, on_sig, NULL);
	} else {
		cb_error("pull: warning: no --key: signatures are not checked");
	}
	if ((rc = out_dir(o->dir, false, e)))
		return rc;
	struct cb_regconn conn;
	if ((rc = regconn_open(&conn, &o->reg, NULL, e))) {
		regconn_close(&conn);
		return rc;
	}
	struct oci_registry *reg = conn.reg;
	struct utsname u;
	struct oci_pull_opts po = {
		.platform = { .architecture = o->arch ? o->arch : host_arch(&u) },
		.max_file = o->max_bytes,
		.sig = o->key ? &sig.hook : NULL,
	};
	struct oci_boot_files f;
	memset(&f, 0, sizeof(f));
	rc = oci_pull_boot(reg, ref, &po, &f, e);
	struct pulled p[3];
	size_t n = 0;
	memset(p, 0, sizeof(p));
	if (!rc) {
		printf("digest %s\nmanifest %s\n", f.digest, f.manifest_digest);
		p[n++] = (struct pulled){ .slot = ROLE_KERNEL, .data = f.kernel, .len = f.kernel_len,
			                  .from = f.kernel_from };
		if (f.initrd)
			p[n++] = (struct pulled){ .slot = ROLE_INITRD, .data = f.initrd, .len = f.initrd_len,
			                          .from = f.initrd_from };
		if (f.cmdline)
			p[n++] = (struct pulled){ .slot = ROLE_CMDLINE, .data = f.cmdline, .len = strlen(f.cmdline),
			                          .from = "cmdline layer" };
		for (size_t i = 0; i < n; i++)
			snprintf(p[i].name, sizeof(p[i].name), "%s", role_names[p[i].slot]);
		rc = name_files(reg, ref, &f, p, n, e);
	}
	if (!rc && !(rc = write_files(o->dir, p, n, o->force, e)))
		for (size_t i = 0; i < n; i++)
			print_file(&p[i]);
	for (size_t i = 0; i < n; i++)
		free(p[i].path);
	oci_boot_files_free(&f);
	regconn_close(&conn);
	return rc;
}

static int run_pull(int argc, char **argv)
{
	int rc = cb_help_first(argc, argv, pull_help);
	if (rc >= 0)
		return rc;
	struct pull_opts o = { 0 };
	rc = parse_args(argc, argv, &o);
	if (rc != EXIT_OK)
		return rc;
	struct cb_err e = { 0 };
	struct oci_ref ref;
	if (oci_ref_parse(o.ref, &ref, &e))
		return cb_usage_err("pull", "%s", e.msg);
	rc = pull(&o, &ref, &e);
	fflush(stdout);
	if (rc) {
		char where[OCI_REF_MAX + 8];
		snprintf(where, sizeof(where), "%s/%s", ref.registry, ref.repo);
		const char *msg = e.msg[0] ? e.msg : cb_status_str(e.code);
		const char *cut = strlen(msg) >= CB_ERR_MSG_MAX - 1 ? "..." : ""; /* cb_err holds one bounded line */
		if (strstr(msg, where))
			cb_error("pull: %s%s", msg, cut);
		else
			cb_error("pull: %s: %s%s", o.ref, msg, cut);
	}
	oci_ref_free(&ref);
	return rc ? EXIT_FAIL : EXIT_OK;
}

const struct cb_cmd cmd_pull = {
	.name = "pull",
	.summary = "fetch and verify an OCI boot artifact (kernel, initrd, cmdline) into a directory",
	.run = run_pull,
};
