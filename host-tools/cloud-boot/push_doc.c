/* push_doc.c: writes the manifests and indexes of push_doc.h (fixed key order, no whitespace, strings through
 * json_quote). Not a JSON serializer in general: it knows these two document shapes only. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "manifest.h"
#include "push_doc.h"

#define EMPTY_DIGEST "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"

struct jw {
	char *buf;
	size_t len, cap;
	bool fail;
};

static void jw_room(struct jw *w, size_t n)
{
	if (w->fail || w->len + n + 1 <= w->cap)
		return;
	size_t cap = w->cap ? w->cap : 1024;
	while (cap < w->len + n + 1)
		cap *= 2;
	char *b = realloc(w->buf, cap);
	if (!b) {
		w->fail = true;
		return;
	}
	w->buf = b;
	w->cap = cap;
}

static void jw_fmt(struct jw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void jw_fmt(struct jw *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	jw_room(w, n < 0 ? 0 : (size_t)n);
	if (w->fail || n < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(w->buf + w->len, w->cap - w->len, fmt, ap);
	va_end(ap);
	w->len += (size_t)n;
}

/* "key": "quoted value" with a leading comma unless first. */
static void jw_kv(struct jw *w, const char *key, const char *val, bool first)
{
	size_t need = json_quote(NULL, 0, val);
	jw_fmt(w, "%s\"%s\":", first ? "" : ",", key);
	jw_room(w, need);
	if (w->fail)
		return;
	json_quote(w->buf + w->len, w->cap - w->len, val);
	w->len += need;
}

/* ,"annotations":<v as it was parsed> */
static void jw_annotations(struct jw *w, const struct json_value *v)
{
	size_t need = json_write_value(NULL, 0, v);
	jw_fmt(w, ",\"annotations\":");
	jw_room(w, need);
	if (w->fail)
		return;
	json_write_value(w->buf + w->len, w->cap - w->len, v);
	w->len += need;
}

static void jw_desc(struct jw *w, const struct push_desc *d)
{
	jw_kv(w, "mediaType", d->media_type, true);
	jw_kv(w, "digest", d->digest, false);
	jw_fmt(w, ",\"size\":%llu", (unsigned long long)d->size);
}

static int jw_done(struct jw *w, char **doc, size_t *len, struct cb_err *e)
{
	if (w->fail) {
		free(w->buf);
		return cb_errf(e, CB_ENOMEM, "out of memory");
	}
	*doc = w->buf;
	*len = w->len;
	return 0;
}

int push_doc_manifest(const struct push_manifest *m, char **doc, size_t *len, struct cb_err *e)
{
	struct jw w = { 0 };
	jw_fmt(&w, "{\"schemaVersion\":2");
	jw_kv(&w, "mediaType", OCI_MT_MANIFEST, false);
	if (m->artifact_type)
		jw_kv(&w, "artifactType", m->artifact_type, false);
	struct push_desc empty = { PUSH_MT_EMPTY, EMPTY_DIGEST, 2 };
	jw_fmt(&w, ",\"config\":{");
	jw_desc(&w, m->config.media_type ? &m->config : &empty);
	jw_fmt(&w, "},\"layers\":[");
	for (size_t i = 0; i < m->n; i++) {
		const struct push_layer *l = &m->layers[i];
		jw_fmt(&w, "%s{", i ? "," : "");
		jw_desc(&w, &l->d);
		if (l->annotations) {
			jw_annotations(&w, l->annotations);
		} else if (l->title || l->signature) {
			jw_fmt(&w, ",\"annotations\":{");
			if (l->signature)
				jw_kv(&w, "dev.cosignproject.cosign/signature", l->signature, true);
			if (l->title)
				jw_kv(&w, OCI_ANN_TITLE, l->title, !l->signature);
			jw_fmt(&w, "}");
		}
		jw_fmt(&w, "}");
	}
	jw_fmt(&w, "]");
	if (m->subject) {
		jw_fmt(&w, ",\"subject\":{");
		jw_desc(&w, m->subject);
		jw_fmt(&w, "}");
	}
	jw_fmt(&w, "}");
	return jw_done(&w, doc, len, e);
}

int push_doc_index(const struct push_index_entry *ents, size_t n, char **doc, size_t *len, struct cb_err *e)
{
	struct jw w = { 0 };
	jw_fmt(&w, "{\"schemaVersion\":2");
	jw_kv(&w, "mediaType", OCI_MT_INDEX, false);
	jw_fmt(&w, ",\"manifests\":[");
	for (size_t i = 0; i < n; i++) {
		const struct push_index_entry *p = &ents[i];
		struct push_desc d = { p->media_type, p->digest, p->size };
		jw_fmt(&w, "%s{", i ? "," : "");
		jw_desc(&w, &d);
		if (p->artifact_type[0])
			jw_kv(&w, "artifactType", p->artifact_type, false);
		if (p->annotations)
			jw_annotations(&w, p->annotations);
		if (p->arch[0]) {
			jw_fmt(&w, ",\"platform\":{");
			jw_kv(&w, "architecture", p->arch, true);
			jw_kv(&w, "os", p->os, false);
			if (p->variant[0])
				jw_kv(&w, "variant", p->variant, false);
			jw_fmt(&w, "}");
		}
		jw_fmt(&w, "}");
	}
	jw_fmt(&w, "]}");
	return jw_done(&w, doc, len, e);
}

static bool known_arch(const char *a)
{
	static const char *const arches[] = { "amd64", "arm64", "riscv64", "loong64" };
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (!strcmp(a, arches[i]))
			return true;
	return false;
}

int push_parse_platform(const char *s, size_t n, struct push_index_entry *ent, struct cb_err *e)
{
	char buf[64], *part[4] = { 0 };
	if (n >= sizeof(buf))
		return cb_errf(e, CB_EINVAL, "'%.*s...': platform too long", 32, s);
	memcpy(buf, s, n);
	buf[n] = 0;
	char copy[64];
	memcpy(copy, buf, n + 1);
	size_t k = 0;
	for (char *p = copy, *tok; k < 4 && (tok = strsep(&p, "/"));)
		part[k++] = tok;
	const char *os = k == 1 ? "linux" : part[0], *arch = oci_arch_normalize(k == 1 ? part[0] : part[1]);
	const char *variant = k == 3 ? part[2] : "";
	if (k > 3 || strcmp(os, "linux") != 0 || !known_arch(arch) || strlen(variant) >= sizeof(ent->variant) ||
	    (k == 3 && !*variant))
		return cb_errf(e, CB_EINVAL, "'%s': unknown platform (amd64, arm64, riscv64 or loong64, optionally "
		               "linux/ARCH/VARIANT)", buf);
	snprintf(ent->os, sizeof(ent->os), "%s", os);
	snprintf(ent->arch, sizeof(ent->arch), "%s", arch);
	snprintf(ent->variant, sizeof(ent->variant), "%s", variant);
	return 0;
}

bool push_platform_eq(const struct push_index_entry *a, const struct push_index_entry *b)
{
	return !strcmp(a->os, b->os) && !strcmp(a->arch, b->arch) && !strcmp(a->variant, b->variant);
}
