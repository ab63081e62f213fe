/* boot_pick.c: the container-image shape: streams tar(.gz/.zst) layers through oci/tar.c and picks the kernel
 * and initrd from what boot/ holds after all layers (links followed). It keeps only boot/ candidates in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "oci_internal.h"
#include "pull_internal.h"
#include "tar.h"

#define PICK_MAX_FILES 8
#define PICK_MAX_LINKS 16
#define PICK_MAX_HOPS 8

struct pick_file {
	char *name;
	struct oci_buf data;
	size_t layer;
};

struct pick_link {
	char *name, *target; /* target resolved to an archive path ("boot/vmlinuz-6.1") */
};

struct pick {
	struct pick_file files[PICK_MAX_FILES];
	size_t n_files;
	struct pick_link links[PICK_MAX_LINKS];
	size_t n_links;
	struct pick_file *cur; /* being received */
	uint64_t max_file;
	size_t layer;
	struct oci_tar *tar;
};

static bool in_boot(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	return !strncmp(name, prefix, n) && !strchr(name + 5, '/');
}

static bool wanted(const char *name)
{
	return in_boot(name, "boot/vmlinuz") || in_boot(name, "boot/initrd") || in_boot(name, "boot/initramfs");
}

static void file_clear(struct pick_file *f)
{
	free(f->name);
	oci_buf_free(&f->data);
	memset(f, 0, sizeof(*f));
}

static void link_clear(struct pick_link *l)
{
	free(l->name);
	free(l->target);
	memset(l, 0, sizeof(*l));
}

/* A later entry of the same name replaces an earlier file or link (tar and layer order). */
static void forget(struct pick *p, const char *name)
{
	for (size_t i = 0; i < p->n_files; i++)
		if (!strcmp(p->files[i].name, name)) {
			file_clear(&p->files[i]);
			p->files[i] = p->files[--p->n_files];
			memset(&p->files[p->n_files], 0, sizeof(p->files[0]));
			break;
		}
	for (size_t i = 0; i < p->n_links; i++)
		if (!strcmp(p->links[i].name, name)) {
			link_clear(&p->links[i]);
			p->links[i] = p->links[--p->n_links];
			memset(&p->links[p->n_links], 0, sizeof(p->links[0]));
			break;
		}
}

/* Symlink targets are relative to boot/ (or absolute); hard link targets are archive paths. */
static char *resolve_target(const struct oci_tar_entry *ent)
{
	const char *t = ent->linkname;
	char buf[OCI_TAR_NAME_MAX + 8];
	if (ent->type == OCI_TAR_SYMLINK && t[0] != '/')
		snprintf(buf, sizeof(buf), "boot/%s", t);
	else
		snprintf(buf, sizeof(buf), "%s", t);
	char *s = buf;
	while (s[0] == '/' || (s[0] == '.' && s[1] == '/'))
		s += s[0] == '/' ? 1 : 2;
	return oci_strndup(s, strlen(s));
}

static int on_entry(void *ctx, const struct oci_tar_entry *ent, struct cb_err *e)
{
	struct pick *p = ctx;
	if (!wanted(ent->name))
		return 0;
	forget(p, ent->name);
	char ex[OCI_EXCERPT_SIZE];
	if (ent->type == OCI_TAR_SYMLINK || ent->type == OCI_TAR_HARDLINK) {
		if (p->n_links == PICK_MAX_LINKS)
			return cb_errf(e, CB_ELIMIT, "more than %d links in boot/", PICK_MAX_LINKS);
		struct pick_link *l = &p->links[p->n_links];
		l->name = oci_strndup(ent->name, strlen(ent->name));
		l->target = resolve_target(ent);
		if (!l->name || !l->target) {
			link_clear(l);
			return cb_errf(e, CB_ENOMEM, "out of memory");
		}
		p->n_links++;
		return 0;
	}
	if (ent->type != OCI_TAR_FILE)
		return 0;
	if (ent->size > p->max_file)
		return cb_errf(e, CB_ELIMIT, "%s: %llu bytes exceed the limit of %llu",
		               oci_excerpt_str(ent->name, ex, sizeof(ex)), (unsigned long long)ent->size,
		               (unsigned long long)p->max_file);
	if (p->n_files == PICK_MAX_FILES)
		return cb_errf(e, CB_ELIMIT, "more than %d kernel/initrd candidates in boot/", PICK_MAX_FILES);
	struct pick_file *f = &p->files[p->n_files];
	f->name = oci_strndup(ent->name, strlen(ent->name));
	f->data.max = (size_t)ent->size;
	f->layer = p->layer;
	bool nomem = !f->name;
	if (!nomem)
		oci_buf_put(&f->data, "", 0, &nomem);
	if (nomem) {
		file_clear(f);
		return cb_errf(e, CB_ENOMEM, "out of memory");
	}
	p->n_files++;
	p->cur = f;
	return 1;
}

static int on_data(void *ctx, const void *data, size_t n, struct cb_err *e)
{
	struct pick *p = ctx;
	bool nomem;
	if (!oci_buf_put(&p->cur->data, data, n, &nomem))
		return cb_errf(e, nomem ? CB_ENOMEM : CB_EINVAL, "%s: %s", p->cur->name,
		               nomem ? "out of memory" : "more data than its header says");
	return 0;
}

static int on_layer_bytes(void *ctx, const void *data, size_t n, struct cb_err *e)
{
	struct pick *p = ctx;
	return oci_tar_feed(p->tar, data, n, e);
}

static struct pick_file *find_file(struct pick *p, const char *name)
{
	for (int hop = 0; hop < PICK_MAX_HOPS; hop++) {
		for (size_t i = 0; i < p->n_files; i++)
			if (!strcmp(p->files[i].name, name))
				return &p->files[i];
		const char *next = NULL;
		for (size_t i = 0; i < p->n_links && !next; i++)
			if (!strcmp(p->links[i].name, name))
				next = p->links[i].target;
		if (!next)
			return NULL;
		name = next;
	}
	return NULL;
}

/* The lexically largest candidate directly in boot/ whose name starts with one of the prefixes. */
static struct pick_file *largest(struct pick *p, const char *const *prefixes, size_t n_prefixes)
{
	struct pick_file *best = NULL;
	for (size_t i = 0; i < p->n_files; i++)
		for (size_t k = 0; k < n_prefixes; k++)
			if (in_boot(p->files[i].name, prefixes[k]) && (!best || strcmp(p->files[i].name, best->name) > 0))
				best = &p->files[i];
	return best;
}

static struct pick_file *pick_kernel(struct pick *p)
{
	struct pick_file *f = find_file(p, "boot/vmlinuz");
	if (f)
		return f;
	static const char *const pre[] = { "boot/vmlinuz-" };
	return largest(p, pre, 1);
}

static struct pick_file *pick_initrd(struct pick *p, const struct pick_file *kernel)
{
	struct pick_file *f = find_file(p, "boot/initrd.img");
	if (f)
		return f;
	if (kernel && !strncmp(kernel->name, "boot/vmlinuz-", 13)) {
		const char *ver = kernel->name + 13;
		static const char *const forms[] = { "boot/initrd.img-%s", "boot/initrd-%s", "boot/initrd-%s.img",
			                             "boot/initramfs-%s", "boot/initramfs-%s.img" };
		for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
			char name[OCI_TAR_NAME_MAX + 32];
			snprintf(name, sizeof(name), forms[i], ver);
			if ((f = find_file(p, name)))
				return f;
		}
	}
	static const char *const pre[] = { "boot/initrd", "boot/initramfs" };
	return largest(p, pre, 2);
}

static void pick_free(struct pick *p)
{
	for (size_t i = 0; i < p->n_files; i++)
		file_clear(&p->files[i]);
	for (size_t i = 0; i < p->n_links; i++)
		link_clear(&p->links[i]);
	oci_tar_free(p->tar);
	p->tar = NULL;
}

static int read_layer(struct oci_registry *reg, const struct oci_ref *repo, const struct oci_descriptor *d,
                      struct pick *p, uint64_t max_file, struct cb_err *e)
{
	struct oci_tar_handler h = { .on_entry = on_entry, .on_data = on_data, .ctx = p };
	uint64_t a, b, bomb; /* a generous cap on decompressed bytes; none when it would overflow */
	if (!cb_mul_ok(d->size, (uint64_t)64, &a) || !cb_mul_ok(max_file, (uint64_t)PICK_MAX_FILES, &b) ||
	    !cb_add_ok(a, b, &bomb))
		bomb = 0;
	int rc = oci_tar_new(&h, bomb, &p->tar, e);
	if (rc)
		return rc;
	struct oci_blob_sink sink = { .on_data = on_layer_bytes, .ctx = p };
	rc = oci_get_blob(reg, repo, d->digest, d->size, &sink, e);
	if (!rc)
		rc = oci_tar_finish(p->tar, e);
	oci_tar_free(p->tar);
	p->tar = NULL;
	return rc;
}

static void take(struct pick_file *f, uint8_t **bytes, size_t *len, char *from, size_t from_cap)
{
	snprintf(from, from_cap, "%s in tar layer %zu", f->name, f->layer);
	*bytes = f->data.data;
	*len = f->data.len;
	f->data.data = NULL;
	f->data.len = 0;
}

int oci_pull_from_tars(struct oci_registry *reg, const struct oci_ref *repo, const struct oci_artifact *art,
                       uint64_t max_file, uint64_t max_layer, struct oci_boot_files *out, struct cb_err *e)
{
	struct pick p = { .max_file = max_file };
	char what[OCI_REF_MAX + 16];
	oci_ref_format(repo, what, sizeof(what));
	int rc = 0;
	for (size_t i = 0; i < art->n_tars && !rc; i++) {
		const struct oci_descriptor *d = art->tars[i];
		p.layer = i;
		if (d->size > max_layer) {
			rc = cb_errf(e, CB_ELIMIT, "oci: %s: tar layer %s of %llu bytes exceeds the limit of %llu", what,
			             d->digest, (unsigned long long)d->size, (unsigned long long)max_layer);
			break;
		}
		if ((rc = read_layer(reg, repo, d, &p, max_file, e)) && strncmp(e->msg, "oci: ", 5) != 0)
			cb_err_prefix(e, "oci: %s: layer %s: ", what, d->digest);
	}
	struct pick_file *k = rc ? NULL : pick_kernel(&p);
	if (!rc && !k)
		rc = cb_errf(e, CB_ENOENT, "oci: %s: no boot/vmlinuz* in the image's %zu tar layer%s", what, art->n_tars,
		             art->n_tars == 1 ? "" : "s");
	if (!rc) {
		struct pick_file *in = pick_initrd(&p, k);
		take(k, &out->kernel, &out->kernel_len, out->kernel_from, sizeof(out->kernel_from));
		if (in && in != k)
			take(in, &out->initrd, &out->initrd_len, out->initrd_from, sizeof(out->initrd_from));
	}
	pick_free(&p);
	return rc;
}
