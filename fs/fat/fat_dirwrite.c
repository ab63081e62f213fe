/* fat_dirwrite.c: changing directories: adding an entry (8.3 name generation, long-name slots, free-run
 * search, growing a cluster directory), rewriting and deleting entries, sector by sector. No reads of names. */
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "fat_internal.h"

void fat_sfn_set_cluster(uint8_t sfn[32], uint32_t cluster)
{
	sfn[20] = (uint8_t)(cluster >> 16);
	sfn[21] = (uint8_t)(cluster >> 24);
	sfn[26] = (uint8_t)cluster;
	sfn[27] = (uint8_t)(cluster >> 8);
}

void fat_sfn_init(struct fat_vol *v, uint8_t sfn[32], uint8_t attr, uint32_t cluster, uint32_t size)
{
	memset(sfn, 0, 32);
	memset(sfn, ' ', 11);
	sfn[11] = attr;
	cb_put_le16(sfn + 14, v->wtime); /* creation */
	cb_put_le16(sfn + 16, v->wdate);
	cb_put_le16(sfn + 18, v->wdate); /* last access */
	cb_put_le16(sfn + 22, v->wtime); /* last write */
	cb_put_le16(sfn + 24, v->wdate);
	fat_sfn_set_cluster(sfn, cluster);
	for (int i = 0; i < 4; i++)
		sfn[28 + i] = (uint8_t)(size >> (8 * i));
}

/* Writes 32-byte slots at the given device offsets (in order, one read-modify-write per sector). With ents
 * NULL, only marks each slot deleted. */
static int write_slots(struct fat_vol *v, const uint64_t *offs, const uint8_t *ents, uint32_t n, struct cb_err *e)
{
	uint32_t bps = v->g.bytes_per_sector;
	uint8_t *buf = malloc(bps);
	if (!buf)
		return cb_errf(e, CB_ENOMEM, "no memory for a sector");
	uint64_t cur = UINT64_MAX;
	int rc = 0;
	for (uint32_t i = 0; i < n && rc == 0; i++) {
		uint64_t sec = offs[i] / bps * bps;
		if (sec != cur) {
			if (cur != UINT64_MAX && (rc = fat_dev_write(v, cur, buf, bps, e)) < 0)
				break;
			if ((rc = fat_dev_read(v, sec, buf, bps, e)) < 0)
				break;
			cur = sec;
		}
		uint8_t *slot = buf + (offs[i] - sec);
		if (ents)
			memcpy(slot, ents + (size_t)i * FAT_DIRENT_SIZE, FAT_DIRENT_SIZE);
		else
			slot[0] = FAT_DEL;
	}
	if (rc == 0 && cur != UINT64_MAX)
		rc = fat_dev_write(v, cur, buf, bps, e);
	free(buf);
	return rc;
}

int fat_dir_update(struct fat_vol *v, const struct fat_dirent *d, const uint8_t sfn[32], struct cb_err *e)
{
	return write_slots(v, &d->slot_off[d->nslots - 1], sfn, 1, e);
}

int fat_dir_remove(struct fat_vol *v, const struct fat_dirent *d, struct cb_err *e)
{
	int rc = write_slots(v, &d->slot_off[d->nslots - 1], NULL, 1, e);
	if (rc == 0 && d->nslots > 1)
		rc = write_slots(v, d->slot_off, NULL, d->nslots - 1, e);
	return rc;
}

struct name_set {
	uint8_t (*names)[11];
	size_t n, cap;
};

static int cmp11(const void *a, const void *b) { return memcmp(a, b, 11); }

static bool name_taken(void *ctx, const uint8_t name[11])
{
	struct name_set *s = ctx;
	return s->n && bsearch(name, s->names, s->n, 11, cmp11) != NULL;
}

/* Every live 8.3 name of a directory, sorted. */
static int collect_names(struct fat_vol *v, struct fat_dir_ref dir, const char *what, struct name_set *s,
                         struct cb_err *e)
{
	struct fat_dir_iter it;
	int rc = fat_dir_iter_init(&it, v, dir, what, e);
	if (rc < 0)
		return rc;
	uint8_t *ent;
	uint64_t off;
	uint32_t idx;
	while ((rc = fat_dir_next_slot(&it, &ent, &off, &idx, e)) > 0) {
		if (ent[0] == 0)
			break;
		if (ent[0] == FAT_DEL || (ent[11] & FAT_ATTR_MASK) == FAT_ATTR_LFN)
			continue;
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 64;
			void *bigger = realloc(s->names, cap * 11);
			if (!bigger) {
				rc = cb_errf(e, CB_ENOMEM, "%s: no memory for directory names", what);
				break;
			}
			s->names = bigger;
			s->cap = cap;
		}
		memcpy(s->names[s->n++], ent, 11);
	}
	fat_dir_iter_fini(&it);
	if (rc < 0)
		return rc;
	if (s->n)
		qsort(s->names, s->n, 11, cmp11);
	return 0;
}

/* Builds the slots for leaf: long-name slots in on-disk order, then the 8.3 slot. Returns the count. */
static uint32_t build_slots(const uint16_t *leaf, size_t n, bool need_lfn, const uint8_t sfn[32], uint8_t *out)
{
	static const uint8_t pos[FAT_LFN_CHARS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
	uint32_t nl = need_lfn ? (uint32_t)((n + FAT_LFN_CHARS - 1) / FAT_LFN_CHARS) : 0;
	uint8_t sum = fat_lfn_checksum(sfn);
	for (uint32_t k = 0; k < nl; k++) {
		uint32_t ord = nl - k; /* first on disk: the last part of the name */
		uint8_t *s = out + (size_t)k * FAT_DIRENT_SIZE;
		memset(s, 0, FAT_DIRENT_SIZE);
		s[0] = (uint8_t)(ord | (k == 0 ? 0x40 : 0));
		s[11] = FAT_ATTR_LFN;
		s[13] = sum;
		for (uint32_t i = 0; i < FAT_LFN_CHARS; i++) {
			size_t ci = (size_t)(ord - 1) * FAT_LFN_CHARS + i;
			uint16_t c = ci < n ? leaf[ci] : ci == n ? 0x0000 : 0xFFFF;
			cb_put_le16(s + pos[i], c);
		}
	}
	memcpy(out + (size_t)nl * FAT_DIRENT_SIZE, sfn, FAT_DIRENT_SIZE);
	return nl + 1;
}

int fat_dir_add(struct fat_vol *v, struct fat_dir_ref dir, const uint16_t *leaf, size_t n, uint8_t sfn[32],
                const char *what, struct cb_err *e)
{
	struct name_set names = {0};
	uint8_t *slots = malloc((FAT_LFN_SLOTS_MAX + 2) * FAT_DIRENT_SIZE); /* + an end marker */
	uint64_t offs[FAT_LFN_SLOTS_MAX + 2];
	struct fat_dir_iter it = {0};
	int rc;
	if (!slots) {
		rc = cb_errf(e, CB_ENOMEM, "no memory for directory slots");
		goto out;
	}
	if ((rc = fat_name_check_new(leaf, n, what, e)) < 0)
		goto out;
	if ((rc = collect_names(v, dir, what, &names, e)) < 0)
		goto out;
	bool need_lfn;
	if ((rc = fat_make_short_name(leaf, n, name_taken, &names, sfn, &need_lfn, e)) < 0) {
		cb_err_prefix(e, "%s: ", what);
		goto out;
	}
	uint32_t need = build_slots(leaf, n, need_lfn, sfn, slots);

	/* A run of `need` free slots; past the end marker every slot is free. */
	if ((rc = fat_dir_iter_init(&it, v, dir, what, e)) < 0)
		goto out;
	uint32_t run = 0, total = need;
	bool past_end = false, run_past_end = false;
	uint8_t *ent;
	uint64_t off;
	uint32_t idx;
	while (run < need && (rc = fat_dir_next_slot(&it, &ent, &off, &idx, e)) > 0) {
		if (ent[0] == 0)
			past_end = true;
		if (past_end || ent[0] == FAT_DEL) {
			if (run == 0)
				run_past_end = false;
			run_past_end |= past_end;
			offs[run++] = off;
		} else {
			run = 0;
		}
	}
	if (rc < 0)
		goto out;
	if (run == need && run_past_end) {
		/* The end marker moves behind our slots: the next slot, if any, must be an end marker. */
		rc = fat_dir_next_slot(&it, &ent, &off, &idx, e);
		if (rc < 0)
			goto out;
		if (rc > 0 && ent[0] != 0) {
			memset(slots + (size_t)need * FAT_DIRENT_SIZE, 0, FAT_DIRENT_SIZE);
			offs[total++] = off;
		}
	}
	if (run < need) {
		if (dir.fixed_root) {
			rc = cb_errf(e, CB_ELIMIT, "%s: root directory full (%u entries)", what, v->g.root_entries);
			goto out;
		}
		/* Grow the directory: zeroed clusters linked after its last one. */
		uint32_t last = it.ch.cur, per = v->g.cluster_size / FAT_DIRENT_SIZE;
		uint8_t *zero = calloc(1, v->g.cluster_size);
		if (!zero) {
			rc = cb_errf(e, CB_ENOMEM, "no memory for a directory cluster");
			goto out;
		}
		while (run < need) {
			if (it.slot + per > FAT_MAX_DIR_SLOTS) {
				rc = cb_errf(e, CB_ELIMIT, "%s: directory would exceed %u entries", what, FAT_MAX_DIR_SLOTS);
				break;
			}
			uint32_t c;
			if ((rc = fat_alloc_cluster(v, last, &c, e)) < 0)
				break;
			if ((rc = fat_dev_write(v, fat_cluster_offset(v, c), zero, v->g.cluster_size, e)) < 0)
				break;
			for (uint32_t i = 0; i < per && run < need; i++)
				offs[run++] = fat_cluster_offset(v, c) + (uint64_t)i * FAT_DIRENT_SIZE;
			it.slot += per;
			last = c;
		}
		free(zero);
		if (rc < 0)
			goto out;
		if ((rc = fat_flush(v, e)) < 0)
			goto out;
	}
	rc = write_slots(v, offs, slots, total, e);
out:
	fat_dir_iter_fini(&it);
	free(names.names);
	free(slots);
	return rc;
}
