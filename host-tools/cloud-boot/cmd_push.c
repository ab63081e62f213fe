/* cmd_push.c: `cloud-boot push artifact|plan|modpack|index`: blobs and manifests of the shapes the loader pulls
 * (per-file layers with cloud-boot media types and titles, a multi-arch index), through oci/registry_push.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bearssl_hash.h"
#include "cmd.h"
#include "fileio.h"
#include "json.h"
#include "manifest.h"
#include "opts.h"
#include "plan.h"
#include "progress.h"
#include "pull_file.h"
#include "push_doc.h"
#include "regconn.h"
#include "registry_push.h"
#include "tar.h"

#define DEFAULT_CHUNK (16u << 20)
#define MAX_INDEX_ENTRIES 64

static const char push_help[] =
	"Usage: cloud-boot push artifact REFERENCE --kernel FILE [--initrd FILE] [--cmdline TEXT] [OPTIONS]\n"
	"       cloud-boot push plan REFERENCE FILE.hcl [--no-check] [OPTIONS]\n"
	"       cloud-boot push modpack REFERENCE FILE.tar[.gz|.zst] [OPTIONS]\n"
	"       cloud-boot push index REFERENCE ARCH=MANIFEST... [OPTIONS]\n"
	"\n"
	"Upload what the boot loader pulls, and print the pushed manifest's digest on stdout (progress and\n"
	"details go to stderr). Blobs the registry already has are not sent again.\n"
	"  artifact   kernel, initrd and cmdline as layers of types " OCI_MT_KERNEL ",\n"
	"             " OCI_MT_INITRD " and " OCI_MT_CMDLINE ", titled by file name\n"
	"  plan       a boot plan (" OCI_MT_PLAN "); it is parsed and evaluated for every\n"
	"             arch first and refused when no arch can boot it (--no-check skips that)\n"
	"  modpack    a tar of kernel modules (lib/modules/...), plain, gzip or zstd\n"
	"  index      a multi-arch index of manifests already in REFERENCE's repository; ARCH is amd64, arm64,\n"
	"             riscv64 or loong64 (or os/arch[/variant]), MANIFEST a tag, a digest or a full reference\n"
	"\n"
	"  --kernel FILE, --initrd FILE, --cmdline TEXT   the artifact's files (artifact only)\n"
	"  --chunk-size BYTES  upload blobs larger than this in chunks of this size (default 16777216; 0: one\n"
	"                      request per blob)\n"
	CB_REG_OPTS_HELP
	"  -h, --help         this text\n"
	"\n"
	"REFERENCE: [oci://]host[:port]/repo[:tag] (tag default: latest).\n"
	CB_REG_CREDS_HELP
	"Sign the printed digest with 'cloud-boot sign'.\n"
	"\n"
	"Exit status: 0 success, 1 operational error (stderr names the file or reference and why), 2 usage.\n";

struct push_opts {
	const char *kind, *ref, *kernel, *initrd, *cmdline, *chunk;
	bool no_check;
	struct cb_reg_opts reg;
	size_t chunk_bytes;
	char **args; /* the kind's own positional arguments */
	size_t nargs;
};

/* ---- one blob from a file ---- */

struct file_blob {
	const char *path;
	int fd;
	uint64_t size;
	char digest[OCI_DIGEST_SIZE];
};

static int fb_read(void *ctx, uint64_t off, void *buf, size_t n, struct cb_err *e)
{
	struct file_blob *f = ctx;
	for (size_t got = 0; got < n;) {
		ssize_t k = pread(f->fd, (char *)buf + got, n - got, (off_t)(off + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return cb_errf(e, CB_EIO, "%s: %s", f->path, k < 0 ? strerror(errno) : "file shrank while pushing");
		got += (size_t)k;
	}
	return 0;
}

/* Opens and hashes path; each piece also goes to `also` (a format check) when set. */
static int fb_open(struct file_blob *f, const char *path, int (*also)(void *, const void *, size_t, struct cb_err *),
                   void *ctx, struct cb_err *e)
{
	*f = (struct file_blob){ .path = path, .fd = open(path, O_RDONLY | O_CLOEXEC) };
	struct stat st;
	if (f->fd < 0 || fstat(f->fd, &st) != 0)
		return cb_errf(e, errno == ENOENT ? CB_ENOENT : CB_EIO, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cb_errf(e, CB_EINVAL, "%s: not a regular file", path);
	static uint8_t buf[1 << 20];
	br_sha256_context c;
	br_sha256_init(&c);
	for (;;) {
		ssize_t k = read(f->fd, buf, sizeof(buf));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return cb_errf(e, CB_EIO, "%s: %s", path, strerror(errno));
		if (k == 0)
			break;
		br_sha256_update(&c, buf, (size_t)k);
		f->size += (uint64_t)k;
		int rc = also ? also(ctx, buf, (size_t)k, e) : 0;
		if (rc)
			return rc;
	}
	uint8_t sha[32];
	br_sha256_out(&c, sha);
	oci_digest_format(sha, f->digest);
	return 0;
}

static void fb_close(struct file_blob *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

/* ---- uploads with the progress bar ---- */

struct bar {
	struct progress p;
	char label[24];
	bool on;
};

static struct bar push_bar; /* the registry options' progress context */

/* Blobs under 1 MiB finish before a bar is worth drawing. */
static void on_progress(void *ctx, const char *digest, uint64_t done, uint64_t total)
{
	struct bar *b = ctx;
	if (total < (1u << 20))
		return;
	if (!b->on) {
		snprintf(b->label, sizeof(b->label), "push %.12s", digest + 7);
		progress_start(&b->p, b->label, total);
		b->on = true;
	}
	progress_update(&b->p, done);
}

static int push_file(struct cb_regconn *c, const struct oci_ref *ref, struct file_blob *f, size_t chunk,
                     struct cb_err *e)
{
	struct bar *bar = &push_bar;
	struct oci_blob_source src = { .read = fb_read, .ctx = f };
	bool skipped;
	bar->on = false;
	int rc = oci_push_blob(c->reg, ref, f->digest, f->size, &src, chunk, &skipped, e);
	if (bar->on)
		progress_finish(&bar->p);
	if (!rc)
		fprintf(stderr, "%s %s %s (%llu bytes)\n", skipped ? "exists" : "pushed", f->digest, f->path,
		        (unsigned long long)f->size);
	return rc;
}

/* ---- the four kinds ---- */

struct layer_in {
	const char *path, *media_type;
	int (*check)(void *, const void *, size_t, struct cb_err *);
	void *check_ctx;
};

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s && s[1] ? s + 1 : p;
}

/* Pushes files (and an optional in-memory cmdline) as one manifest under ref's tag; prints its digest. */
static int push_layers(struct cb_regconn *c, const struct push_opts *o, const struct oci_ref *ref,
                       const char *artifact_type, const struct layer_in *in, size_t n, const char *cmdline,
                       struct cb_err *e)
{
	struct push_layer layers[4];
	struct file_blob f[3];
	char cmd_digest[OCI_DIGEST_SIZE];
	size_t opened = 0, nl = 0;
	int rc = 0;
	for (; opened < n && !rc; opened++)
		rc = fb_open(&f[opened], in[opened].path, in[opened].check, in[opened].check_ctx, e);
	for (size_t i = 0; i < n && !rc; i++) {
		if (!(rc = push_file(c, ref, &f[i], o->chunk_bytes, e)))
			layers[nl++] = (struct push_layer){ { in[i].media_type, f[i].digest, f[i].size },
				                            base_name(in[i].path), NULL, NULL };
	}
	if (!rc && cmdline) {
		if (!(rc = oci_push_blob_mem(c->reg, ref, cmdline, strlen(cmdline), cmd_digest, e)))
			layers[nl++] = (struct push_layer){ { OCI_MT_CMDLINE, cmd_digest, strlen(cmdline) }, "cmdline", NULL, NULL };
	}
	char empty_digest[OCI_DIGEST_SIZE];
	if (!rc)
		rc = oci_push_blob_mem(c->reg, ref, PUSH_EMPTY_JSON, strlen(PUSH_EMPTY_JSON), empty_digest, e);
	char *doc = NULL;
	size_t len = 0;
	struct push_manifest m = { .artifact_type = artifact_type, .layers = layers, .n = nl };
	if (!rc)
		rc = push_doc_manifest(&m, &doc, &len, e);
	char digest[OCI_DIGEST_SIZE];
	if (!rc)
		rc = oci_put_manifest(c->reg, ref, ref->tag, OCI_MT_MANIFEST, doc, len, digest, NULL, e);
	if (!rc)
		printf("%s\n", digest);
	free(doc);
	for (size_t i = 0; i < opened; i++)
		fb_close(&f[i]);
	return rc;
}

static int push_artifact(struct cb_regconn *c, const struct push_opts *o, const struct oci_ref *ref,
                         struct cb_err *e)
{
	struct layer_in in[2] = { { o->kernel, OCI_MT_KERNEL, NULL, NULL } };
	size_t n = 1;
	if (o->initrd)
		in[n++] = (struct layer_in){ o->initrd, OCI_MT_INITRD, NULL, NULL };
	/* Layers are titled by file name (the cmdline layer "cmdline"): pullers name files after titles. */
	const char *kt = base_name(o->kernel), *it = o->initrd ? base_name(o->initrd) : NULL;
	if (it && !strcmp(kt, it))
		return cb_errf(e, CB_EINVAL, "--kernel %s and --initrd %s have the same file name \"%s\", which titles "
		               "both layers: rename one", o->kernel, o->initrd, kt);
	if (o->cmdline && (!strcmp(kt, "cmdline") || (it && !strcmp(it, "cmdline"))))
		return cb_errf(e, CB_EINVAL, "%s: a file named \"cmdline\" would share its title with the --cmdline "
		               "layer: rename it", !strcmp(kt, "cmdline") ? o->kernel : o->initrd);
	return push_layers(c, o, ref, PUSH_AT_BOOT, in, n, o->cmdline, e);
}

/* A plan must load for at least one arch (it is evaluated per guest arch at boot). */
static int check_plan(const char *path, struct cb_err *e)
{
	static const char *const arches[] = { "amd64", "arm64", "riscv64", "loong64" };
	char *text;
	size_t len;
	int rc = fileio_read_small(path, PLAN_MAX_INPUT, &text, &len, e), ok = 0;
	if (rc)
		return cb_err_prefix(e, "%s: ", path);
	struct cb_err first = { 0 };
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		struct plan_env env = { .arch = arches[i] };
		struct plan *p = NULL;
		struct cb_err pe = { 0 };
		int prc = plan_load(text, len, &env, &p, &pe);
		if (!prc) {
			fprintf(stderr, "plan %s: %s boots target \"%s\"\n", path, arches[i], p->default_target);
			ok++;
		} else {
			fprintf(stderr, "plan %s: %s: %s\n", path, arches[i], pe.msg);
			if (!first.code) {
				first = pe;
				first.code = prc;
			}
		}
		plan_free(p);
	}
	free(text);
	if (!ok)
		rc = cb_errf(e, first.code, "%s: not a plan any arch can boot: %s", path, first.msg);
	return rc;
}

static int push_plan(struct cb_regconn *c, const struct push_opts *o, const struct oci_ref *ref, struct cb_err *e)
{
	int rc = o->no_check ? 0 : check_plan(o->args[0], e);
	if (rc)
		return rc;
	struct layer_in in = { o->args[0], OCI_MT_PLAN, NULL, NULL };
	return push_layers(c, o, ref, PUSH_AT_PLAN, &in, 1, NULL, e);
}

/* A module pack: a tar (any compression oci/tar.c reads) with entries under lib/modules/. */
struct modpack_check {
	struct oci_tar *tar;
	uint64_t modules;
};

static int mp_entry(void *ctx, const struct oci_tar_entry *ent, struct cb_err *e)
{
	(void)e;
	struct modpack_check *m = ctx;
	if (!strncmp(ent->name, "lib/modules/", 12) || !strncmp(ent->name, "usr/lib/modules/", 16))
		m->modules++;
	return 0;
}

static int mp_feed(void *ctx, const void *p, size_t n, struct cb_err *e)
{
	struct modpack_check *m = ctx;
	return oci_tar_feed(m->tar, p, n, e);
}

static int push_modpack(struct cb_regconn *c, const struct push_opts *o, const struct oci_ref *ref, struct cb_err *e)
{
	const char *path = o->args[0];
	struct modpack_check m = { 0 };
	struct oci_tar_handler h = { .on_entry = mp_entry, .ctx = &m };
	int rc = oci_tar_new(&h, 0, &m.tar, e);
	struct file_blob f = { .fd = -1 };
	if (!rc)
		oci_tar_set_strict(m.tar);
	if (!rc && !(rc = fb_open(&f, path, mp_feed, &m, e)) && !(rc = oci_tar_finish(m.tar, e)) && !m.modules)
		rc = cb_errf(e, CB_EINVAL, "not a kernel module pack (no lib/modules/ entries)");
	if (!rc && f.size < 4)
		rc = cb_errf(e, CB_EINVAL, "too short for a tar archive");
	uint8_t magic[4] = { 0 };
	if (!rc)
		rc = fb_read(&f, 0, magic, sizeof(magic), e);
	fb_close(&f);
	oci_tar_free(m.tar);
	if (rc) {
		if (strncmp(e->msg, path, strlen(path)) != 0)
			cb_err_prefix(e, "%s: ", path);
		return rc;
	}
	fprintf(stderr, "modpack %s: %llu entries under lib/modules/\n", path, (unsigned long long)m.modules);
	const char *mt = magic[0] == 0x1f && magic[1] == 0x8b ? PUSH_MT_MODPACK "+gzip"
	               : magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd ? PUSH_MT_MODPACK "+zstd"
	               : PUSH_MT_MODPACK;
	struct layer_in in = { path, mt, NULL, NULL };
	return push_layers(c, o, ref, PUSH_AT_MODPACK, &in, 1, NULL, e);
}

/* ARCH=MANIFEST: the platform, and the manifest fetched from ref's repository (its exact bytes' digest). */
static int index_entry(struct cb_regconn *c, const struct oci_ref *ref, const char *arg, struct push_index_entry *ent,
                       struct cb_err *e)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg || !eq[1])
		return cb_errf(e, CB_EINVAL, "'%s': expected ARCH=MANIFEST", arg);
	int rc = push_parse_platform(arg, (size_t)(eq - arg), ent, e);
	if (rc)
		return rc;
	const char *m = eq + 1;
	struct oci_ref mref;
	if (strchr(m, '/')) {
		if ((rc = oci_ref_parse(m, &mref, e)))
			return rc;
		if (strcmp(mref.registry, ref->registry) || strcmp(mref.repo, ref->repo)) {
			oci_ref_free(&mref);
			return cb_errf(e, CB_EINVAL, "'%s': an index lists manifests of its own repository %s/%s only", m,
			               ref->registry, ref->repo);
		}
	} else {
		char full[OCI_REF_MAX + 8];
		snprintf(full, sizeof(full), "%s/%s%s%s", ref->registry, ref->repo, strncmp(m, "sha256:", 7) ? ":" : "@", m);
		if ((rc = oci_ref_parse(full, &mref, e)))
			return rc;
	}
	uint8_t *bytes = NULL;
	size_t len = 0;
	char mt[128];
	rc = oci_get_manifest(c->reg, &mref, NULL, &bytes, &len, ent->digest, mt, e);
	oci_ref_free(&mref);
	struct oci_manifest man;
	if (!rc && !(rc = oci_manifest_parse(bytes, len, mt, &man, e))) {
		if (man.kind != OCI_KIND_MANIFEST)
			rc = cb_errf(e, CB_EINVAL, "'%s' is an index, not an image manifest", m);
		snprintf(ent->media_type, sizeof(ent->media_type), "%s", man.media_type);
		oci_manifest_free(&man);
	}
	ent->size = len;
	free(bytes);
	return rc;
}

static int push_index(struct cb_regconn *c, const struct push_opts *o, const struct oci_ref *ref, struct cb_err *e)
{
	if (o->nargs > MAX_INDEX_ENTRIES)
		return cb_errf(e, CB_ELIMIT, "more than %d manifests for one index", MAX_INDEX_ENTRIES);
	struct push_index_entry ents[MAX_INDEX_ENTRIES];
	int rc = 0;
	for (size_t i = 0; i < o->nargs && !rc; i++) {
		memset(&ents[i], 0, sizeof(ents[i]));
		if (!(rc = index_entry(c, ref, o->args[i], &ents[i], e)))
			for (size_t j = 0; j < i && !rc; j++)
				if (push_platform_eq(&ents[i], &ents[j]))
					rc = cb_errf(e, CB_EINVAL, "'%s': platform listed twice", o->args[i]);
		if (!rc)
			fprintf(stderr, "index %s %s/%s%s%s\n", ents[i].digest, ents[i].os, ents[i].arch,
			        ents[i].variant[0] ? "/" : "", ents[i].variant);
	}
	char *doc = NULL;
	size_t len = 0;
	char digest[OCI_DIGEST_SIZE];
	if (!rc)
		rc = push_doc_index(ents, o->nargs, &doc, &len, e);
	if (!rc)
		rc = oci_put_manifest(c->reg, ref, ref->tag, OCI_MT_INDEX, doc, len, digest, NULL, e);
	if (!rc)
		printf("%s\n", digest);
	free(doc);
	return rc;
}

/* ---- command line ---- */

static int parse_args(int argc, char **argv, struct push_opts *o, char **pos, size_t max_pos)
{
	const struct cb_opt opts[] = {
		{ "--kernel", NULL, &o->kernel, NULL },
		{ "--initrd", NULL, &o->initrd, NULL },
		{ "--cmdline", NULL, &o->cmdline, NULL },
		{ "--chunk-size", NULL, &o->chunk, NULL },
		{ "--no-check", NULL, NULL, &o->no_check },
		CB_REG_OPTS(&o->reg),
	};
	size_t npos;
	int rc = cb_opts_parse("push", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), pos, max_pos, &npos);
	if (rc != EXIT_OK)
		return rc;
	if (npos < 2)
		return cb_usage_err("push", "%s", npos ? "REFERENCE is required" : "KIND and REFERENCE are required");
	o->kind = pos[0];
	o->ref = pos[1];
	o->args = pos + 2;
	o->nargs = npos - 2;
	bool artifact = !strcmp(o->kind, "artifact"), index = !strcmp(o->kind, "index");
	if (!artifact && !index && strcmp(o->kind, "plan") && strcmp(o->kind, "modpack"))
		return cb_usage_err("push", "unknown kind '%s' (artifact, plan, modpack or index)", o->kind);
	if (!artifact && (o->kernel || o->initrd || o->cmdline))
		return cb_usage_err("push", "--kernel, --initrd and --cmdline are for 'push artifact', not '%s'", o->kind);
	if (o->no_check && strcmp(o->kind, "plan"))
		return cb_usage_err("push", "--no-check is for 'push plan', not '%s'", o->kind);
	if (artifact && !o->kernel)
		return cb_usage_err("push", "%s", "push artifact needs --kernel FILE");
	if (artifact && o->nargs)
		return cb_usage_err("push", "unexpected argument '%s'", o->args[0]);
	if (index && !o->nargs)
		return cb_usage_err("push", "%s", "push index needs at least one ARCH=MANIFEST");
	if (!artifact && !index && o->nargs != 1)
		return cb_usage_err("push", o->nargs ? "unexpected argument '%s'" : "push %s needs one FILE",
		                    o->nargs ? o->args[1] : o->kind);
	o->chunk_bytes = DEFAULT_CHUNK;
	if (o->chunk) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(o->chunk, &end, 10);
		if (errno || *end || o->chunk[0] < '0' || o->chunk[0] > '9' || v > (1ull << 30))
			return cb_usage_err("push", "--chunk-size '%s': not a number of bytes up to 1 GiB", o->chunk);
		o->chunk_bytes = (size_t)v;
	}
	const char *env = regconn_env_problem();
	return env ? cb_usage_err("push", "%s", env) : EXIT_OK;
}

static int run_push(int argc, char **argv)
{
	int rc = cb_help_first(argc, argv, push_help);
	if (rc >= 0)
		return rc;
	struct push_opts o = { 0 };
	char *pos[2 + MAX_INDEX_ENTRIES + 1];
	rc = parse_args(argc, argv, &o, pos, sizeof(pos) / sizeof(pos[0]));
	if (rc != EXIT_OK)
		return rc;
	struct cb_err e = { 0 };
	struct oci_ref ref;
	if (oci_ref_parse(o.ref, &ref, &e))
		return cb_usage_err("push", "%s", e.msg);
	if (ref.digest) {
		oci_ref_free(&ref);
		return cb_usage_err("push", "'%s': push to a tag, not a digest (the digest is printed)", o.ref);
	}
	struct oci_registry_opts ro = { .progress = on_progress, .progress_ctx = &push_bar };
	struct cb_regconn conn;
	if (!(rc = regconn_open(&conn, &o.reg, &ro, &e))) {
		if (!strcmp(o.kind, "artifact"))
			rc = push_artifact(&conn, &o, &ref, &e);
		else if (!strcmp(o.kind, "plan"))
			rc = push_plan(&conn, &o, &ref, &e);
		else if (!strcmp(o.kind, "modpack"))
			rc = push_modpack(&conn, &o, &ref, &e);
		else
			rc = push_index(&conn, &o, &ref, &e);
	}
	regconn_close(&conn);
	fflush(stdout);
	if (rc)
		cb_error("push %s %s: %s", o.kind, o.ref, e.msg[0] ? e.msg : cb_status_str(e.code));
	oci_ref_free(&ref);
	return rc ? EXIT_FAIL : EXIT_OK;
}

const struct cb_cmd cmd_push = {
	.name = "push",
	.summary = "upload a boot artifact, plan, module pack or multi-arch index to an OCI registry",
	.run = run_push,
};
