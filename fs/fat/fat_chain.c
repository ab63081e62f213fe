/* fat_chain.c: cluster chains: bounded walks with loop detection, runs of contiguous clusters for reads,
 * allocation and freeing. Entry encoding and caching are fat_table.c's; directories are fat_dir.c's. */
#include <stdlib.h>

#include "fat_internal.h"

int fat_chain_start(struct fat_vol *v, struct fat_chain *ch, uint32_t first, const char *what, struct cb_err *e)
{
	if (!fat_cluster_ok(v, first))
		return cb_errf(e, CB_EINVAL, "%s: invalid first cluster 0x%x (valid: 2..%u)", what, first,
		               v->g.cluster_count + 1);
	ch->cur = first;
	ch->index = 0;
	ch->saved = first;
	ch->power = 1;
	ch->lam = 0;
	ch->what = what;
	return 0;
}

int fat_chain_next(struct fat_vol *v, struct fat_chain *ch, struct cb_err *e)
{
	uint32_t val;
	int rc = fat_get(v, ch->cur, &val, e);
	if (rc < 0)
		return cb_err_prefix(e, "%s: ", ch->what);
	switch (fat_classify(v, val)) {
	case FAT_EOC:
		return 0;
	case FAT_FREE:
		return cb_errf(e, CB_EINVAL, "%s: cluster %u links to a free cluster", ch->what, ch->cur);
	case FAT_BAD:
		return cb_errf(e, CB_EINVAL, "%s: cluster %u links to a bad cluster", ch->what, ch->cur);
	case FAT_RESERVED:
		return cb_errf(e, CB_EINVAL, "%s: cluster %u links to invalid cluster 0x%x", ch->what, ch->cur, val);
	case FAT_NEXT:
		break;
	}
	/* Brent: compare with a saved cluster that jumps ahead at powers of two; any cycle is met within about
	 * twice its length plus its distance from the start. */
	if (val == ch->saved)
		return cb_errf(e, CB_EINVAL, "%s: cluster chain loops back to cluster %u", ch->what, val);
	if (ch->index + 1 >= v->g.cluster_count)
		return cb_errf(e, CB_ELIMIT, "%s: cluster chain longer than the %u clusters of the volume", ch->what,
		               v->g.cluster_count);
	if (++ch->lam == ch->power) {
		ch->saved = val;
		ch->power <<= 1;
		ch->lam = 0;
	}
	ch->cur = val;
	ch->index++;
	return 1;
}

int fat_chain_runs(struct fat_vol *v, uint32_t first, uint32_t need, const char *what, struct fat_run **runs_out,
                   uint32_t *nruns_out, struct cb_err *e)
{
	struct fat_chain ch = {0};
	int rc = fat_chain_start(v, &ch, first, what, e);
	if (rc < 0)
		return rc;
	uint32_t cap = 8, n = 1;
	struct fat_run *runs = malloc(cap * sizeof(*runs));
	if (!runs)
		return cb_errf(e, CB_ENOMEM, "%s: no memory for the cluster list", what);
	runs[0] = (struct fat_run){.cluster = first, .count = 1, .file_index = 0};
	for (uint32_t i = 1; i < need; i++) {
		rc = fat_chain_next(v, &ch, e);
		if (rc == 0)
			rc = cb_errf(e, CB_EINVAL, "%s: cluster chain ends after %u clusters but the size needs %u", what,
			             i, need);
		if (rc < 0) {
			free(runs);
			return rc;
		}
		struct fat_run *last = &runs[n - 1];
		if (ch.cur == last->cluster + last->count) {
			last->count++;
			continue;
		}
		if (n == cap) {
			struct fat_run *bigger = realloc(runs, (size_t)cap * 2 * sizeof(*runs));
			if (!bigger) {
				free(runs);
				return cb_errf(e, CB_ENOMEM, "%s: no memory for the cluster list", what);
			}
			runs = bigger;
			cap *= 2;
		}
		runs[n++] = (struct fat_run){.cluster = ch.cur, .count = 1, .file_index = i};
	}
	*runs_out = runs;
	*nruns_out = n;
	return 0;
}

int fat_alloc_cluster(struct fat_vol *v, uint32_t prev, uint32_t *out, struct cb_err *e)
{
	uint32_t cc = v->g.cluster_count;
	if (v->free_count == 0)
		return cb_errf(e, CB_ELIMIT, "volume full (%u clusters of %u bytes)", cc, v->g.cluster_size);
	uint32_t start = prev ? prev + 1 : v->next_free;
	if (!fat_cluster_ok(v, start))
		start = 2;
	for (uint32_t n = 0; n < cc; n++) {
		uint32_t c = 2 + (uint32_t)(((uint64_t)start - 2 + n) % cc);
		uint32_t val;
		int rc = fat_get(v, c, &val, e);
		if (rc < 0)
			return rc;
		if (val != 0)
			continue;
		if ((rc = fat_set(v, c, fat_eoc_value(v), e)) < 0)
			return rc;
		if (prev && (rc = fat_set(v, prev, c, e)) < 0)
			return rc;
		if (v->free_count != UINT32_MAX)
			v->free_count--;
		v->next_free = fat_cluster_ok(v, c + 1) ? c + 1 : 2;
		v->fsinfo_dirty = true;
		*out = c;
		return 0;
	}
	v->free_count = 0;
	return cb_errf(e, CB_ELIMIT, "volume full (%u clusters of %u bytes)", cc, v->g.cluster_size);
}

int fat_free_chain(struct fat_vol *v, uint32_t first, const char *what, struct cb_err *e)
{
	if (!fat_cluster_ok(v, first))
		return cb_errf(e, CB_EINVAL, "%s: invalid first cluster 0x%x", what, first);
	uint32_t c = first;
	for (uint32_t steps = 0; steps < v->g.cluster_count; steps++) {
		uint32_t val;
		int rc = fat_get(v, c, &val, e);
		if (rc < 0)
			return cb_err_prefix(e, "%s: ", what);
		enum fat_kind k = fat_classify(v, val);
		if (k == FAT_FREE) /* also where a loop comes back to a cluster freed a moment ago */
			return cb_errf(e, CB_EINVAL, "%s: cluster %u in the chain is already free", what, c);
		if ((rc = fat_set(v, c, 0, e)) < 0)
			return cb_err_prefix(e, "%s: ", what);
		if (v->free_count != UINT32_MAX)
			v->free_count++;
		v->fsinfo_dirty = true;
		if (k == FAT_EOC)
			return 0;
		if (k != FAT_NEXT)
			return cb_errf(e, CB_EINVAL, "%s: cluster %u links to invalid cluster 0x%x", what, c, val);
		c = val;
	}
	return cb_errf(e, CB_ELIMIT, "%s: cluster chain longer than the volume", what);
}

bool fat_chain_whole(struct fat_vol *v, uint32_t first, const char *what)
{
	struct cb_err e;
	struct fat_chain ch = {0};
	if (fat_chain_start(v, &ch, first, what, &e) < 0)
		return false;
	int rc;
	while ((rc = fat_chain_next(v, &ch, &e)) > 0)
		;
	return rc == 0;
}
