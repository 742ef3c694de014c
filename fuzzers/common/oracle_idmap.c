// SPDX-License-Identifier: MIT
/*
 * The identity map judged against ownership: the stage-2 tables walked from
 * the expected root (oracle_expect_stage2) as the SMMU would walk them,
 * every translation checked against the world's page states. Never the
 * core's own idea of its tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle_s2.h"

/* ---- Walking the identity map --------------------------------------------- */

struct s2_pos {
	uint64_t d;		/* the descriptor the walk ended on */
	unsigned lvl;		/* its level */
};

/* Walk @ipa (below 2^ias) from the root down to level @want, or to the
 * first descriptor above it that is not a table. */
static struct s2_pos s2_walk(struct world *w, const struct oracle_s2 *e, uint64_t ipa,
			     unsigned want)
{
	struct s2_pos p = { 0, e->start };
	uint64_t table = e->ttb;

	for (;;) {
		unsigned shift = shift_of(p.lvl);
		uint64_t idx = (ipa >> shift) &
			       (p.lvl == e->start ? (1ULL << (e->ias - shift)) - 1U : 511U);
		uint64_t at = table + idx * 8U;

		p.d = table_page(w, at)[(at & (PAGE - 1U)) / 8U];
		if (p.lvl >= want || !d_table(p.d, p.lvl))
			return p;
		table = p.d & D_OA;
		p.lvl++;
	}
}

/*
 * Who owns a page, as cheaply as can be told. Outside RAM and the MMIO
 * window the world tracks nothing: the host owns it (PGS_OWNER_HOST is 0).
 * With the snapshot's owners, a page the input did not change (its state
 * is not in the world's journal, as the bit filter says) is owned as in
 * the snapshot; otherwise the world is asked.
 */
struct owners {
	struct world *w;
	const uint8_t *snap;
	uint64_t changed[64];	/* bit (index % 4096): some changed page */
};

static unsigned owner_of(const struct owners *ow, uint64_t pa)
{
	uint64_t i;

	if (!is_ram(pa) && !is_mmio_window(pa))
		return PGS_OWNER_HOST;
	i = tracked_index(pa);
	if (ow->snap == NULL || ((ow->changed[(i >> 6) & 63U] >> (i & 63U)) & 1U) ||
	    ow->snap[i] == ORACLE_OWNER_UNKNOWN)
		return pgs_owner(world_pgstate(ow->w, pa));
	return ow->snap[i];
}

/* Page @pa, translated by leaf @d at @lvl (0: not translated), must be
 * mapped read-write with the right type iff the host owns it. */
static void check_page(const struct owners *ow, uint64_t pa, uint64_t d, unsigned lvl)
{
	struct world *w = ow->w;
	bool host = owner_of(ow, pa) == PGS_OWNER_HOST;
	uint64_t size = 1ULL << shift_of(lvl);

	if (d == 0) {
		if (host)
			oracle_breach(w, "idmap-misses-host-page");
		return;
	}
	if ((d & D_OA & ~(size - 1U)) != (pa & ~(size - 1U)))
		oracle_breach(w, "s2-not-identity");
	if (!host)
		oracle_breach(w, "idmap-maps-non-host-page");
	/* Read and write; without the access flag the first access faults. */
	if (D_S2AP(d) != S2AP_RW || (d & D_AF) == 0)
		oracle_breach(w, "idmap-wrong-permissions");
	if (D_MEMATTR(d) != (is_ram(pa) ? MEMATTR_WB : MEMATTR_DEV))
		oracle_breach(w, "idmap-wrong-memory-type");
}

/*
 * The common case of check_page, in one compare: a host page translated by
 * itself, read-write, with AF and its type; any other page not at all.
 */
#define D_JUDGED	(D_OA | 3ULL | (3ULL << 6) | D_AF | (0xFULL << 2))

static bool page_fine(const struct owners *ow, uint64_t pa, uint64_t leaf, unsigned lvl)
{
	uint64_t size = 1ULL << shift_of(lvl), want;

	if (owner_of(ow, pa) != PGS_OWNER_HOST)
		return leaf == 0;
	want = (pa & ~(size - 1U)) | (lvl == 3U ? 3U : 1U) | ((uint64_t)S2AP_RW << 6) | D_AF |
	       ((uint64_t)(is_ram(pa) ? MEMATTR_WB : MEMATTR_DEV) << 2);
	return (leaf & (D_JUDGED & ~(D_OA & (size - 1U)))) == want;
}

static void audit_page(const struct owners *ow, const struct oracle_s2 *e, uint64_t pa)
{
	struct s2_pos p;

	if ((pa >> e->ias) != 0)
		return;
	p = s2_walk(ow->w, e, pa, 3);
	check_page(ow, pa, d_leaf(p.d, p.lvl), p.lvl);
}

/* Every page of the 2 MiB block at @base: one walk, then its 512 entries. */
static void audit_2m(const struct owners *ow, const struct oracle_s2 *e, uint64_t base)
{
	uint64_t ram = is_ram(base), first = tracked_index(base), want, leaf, mask, changed[8];
	bool tracked = ram || is_mmio_window(base);
	const uint8_t *snap = ow->snap != NULL && tracked ? ow->snap + first : NULL;
	const uint64_t *t = NULL;
	struct s2_pos p;
	unsigned i;

	if ((base >> e->ias) != 0)
		return;
	p = s2_walk(ow->w, e, base, 2);
	if (p.lvl == 2U && d_table(p.d, 2U)) {
		t = table_page(ow->w, p.d & D_OA);
		p.lvl = 3U;
	}
	/* The leaf a host page wants, in the bits judged (page_fine, for a
	 * block of pages of one kind, its owner looked up in line). */
	mask = D_JUDGED & ~(D_OA & ((1ULL << shift_of(p.lvl)) - 1U));
	want = (p.lvl == 3U ? 3U : 1U) | ((uint64_t)S2AP_RW << 6) | D_AF |
	       ((uint64_t)(ram ? MEMATTR_WB : MEMATTR_DEV) << 2);
	/* The block's 512 pages are 8 words of the changed-page filter. */
	for (i = 0; i < 8U; i++)
		changed[i] = ow->changed[((first >> 6) + i) & 63U];
	for (i = 0; i < 512U; i++) {
		uint64_t pa = base + i * PAGE;
		unsigned owner;

		leaf = d_leaf(t != NULL ? t[i] : p.d, p.lvl);
		if (!tracked)
			owner = PGS_OWNER_HOST;
		else if (snap != NULL && !((changed[i >> 6] >> (i & 63U)) & 1U) &&
			 snap[i] != ORACLE_OWNER_UNKNOWN)
			owner = snap[i];
		else
			owner = pgs_owner(world_pgstate(ow->w, pa));
		if (owner == PGS_OWNER_HOST
		    ? (leaf & mask) == ((pa & ~((1ULL << shift_of(p.lvl)) - 1U)) | want)
		    : leaf == 0)
			continue;
		check_page(ow, pa, leaf, p.lvl);
	}
}

/*
 * Every 2 MiB block of the 1 GiB block at @base, by its first page: its
 * descriptor (a split 1 GiB block has 512 of them) must translate that
 * page as its owner says. One page a block keeps the cost down; the
 * changed page's own block is checked page by page (audit_2m).
 */
static void audit_1g(const struct owners *ow, const struct oracle_s2 *e, uint64_t base)
{
	struct world *w = ow->w;
	const uint64_t *t2;
	struct s2_pos p;
	unsigned j;

	if ((base >> e->ias) != 0)
		return;
	if (e->start == 2U) {
		/* No level 1: the GiB is one page of the concatenated root. */
		t2 = table_page(w, e->ttb + (base >> 21) * 8U);
	} else {
		p = s2_walk(w, e, base, 1);
		if (!(p.lvl == 1U && d_table(p.d, 1U))) {
			for (j = 0; j < 512U; j++)
				if (!page_fine(ow, base + ((uint64_t)j << 21), d_leaf(p.d, p.lvl), p.lvl))
					check_page(ow, base + ((uint64_t)j << 21),
						   d_leaf(p.d, p.lvl), p.lvl);
			return;
		}
		t2 = table_page(w, p.d & D_OA);
	}
	for (j = 0; j < 512U; j++) {
		uint64_t b = base + ((uint64_t)j << 21), leaf;
		unsigned lvl = 2U;

		if (d_table(t2[j], 2U)) {
			leaf = d_leaf(table_page(w, t2[j] & D_OA)[0], 3U);
			lvl = 3U;
		} else {
			leaf = d_leaf(t2[j], 2U);
		}
		if (!page_fine(ow, b, leaf, lvl))
			check_page(ow, b, leaf, lvl);
	}
}

/* The expectation with a known root, or NULL (nothing to walk yet). */
static const struct oracle_s2 *walkable(struct world *w)
{
	const struct oracle_s2 *e = &oracle_world_get(w, true)->s2;

	if (e->ttb == 0)
		return NULL;
	check_root(w, e);
	return e;
}

void oracle_idmap_page(struct world *w, uint64_t pa)
{
	const struct oracle_s2 *e = walkable(w);
	struct owners ow = { .w = w };

	if (e != NULL)
		audit_page(&ow, e, pa);
}

/* Blocks already audited this call: a set of block numbers + 1 (0 is
 * empty), open addressing; when full, every block is audited again. */
#define SEEN_SLOTS	1024U

static bool seen(uint64_t *set, uint64_t block)
{
	uint64_t key = block + 1U;
	unsigned i, h = (unsigned)((key * 0x9E3779B97F4A7C15ULL) >> 54);

	for (i = 0; i < SEEN_SLOTS; i++) {
		uint64_t *slot = &set[(h + i) % SEEN_SLOTS];

		if (*slot == key)
			return true;
		if (*slot == 0) {
			*slot = key;
			return false;
		}
	}
	return false;
}

/*
 * Whether the identity map may have changed around tracked page @pa: its
 * owner is not the snapshot's, or it is device memory (an MMIO donation
 * splits blocks, and returning the page does not merge them). A RAM page
 * whose state changed only in its pins (a queue or table the SMMU uses)
 * gives the map no reason to change. Without a snapshot, assume it may.
 */
static bool owner_moved(const struct oracle_world *o, uint64_t pa)
{

	if (o->owner_snap == NULL || !is_ram(pa))
		return true;
	/* An unknown snapshot owner (0xFF) differs from every owner. */
	return o->owner_snap[tracked_index(pa)] != pgs_owner(world_pgstate(o->w, pa));
}

/*
 * After an input: every page whose state changed, and where its owner
 * moved (or it is MMIO), its whole 2 MiB block and every 2 MiB block of
 * its 1 GiB block (an MMIO donation splits the blocks around the page; a
 * mistake there lands on a neighbour).
 */
void oracle_idmap_changes(struct world *w)
{
	struct oracle_world *o = oracle_world_get(w, true);
	const struct oracle_s2 *e = walkable(w);
	static _Thread_local uint64_t blocks[SEEN_SLOTS];
	struct owners ow = { .w = w };
	uint32_t i, n = world_changed_count(w);

	if (e == NULL)
		return;
	/* (A breach leaves the set as it was: clear it before, not after.) */
	if (n != 0)
		memset(blocks, 0, sizeof(blocks));
	/* Pages the input did not change are as in the snapshot. */
	if (o->owner_snap == NULL)
		oracle_take_owners(o, true);
	ow.snap = o->owner_snap;
	for (i = 0; i < n; i++) {
		uint64_t k = tracked_index(world_changed_pa(w, i));

		ow.changed[(k >> 6) & 63U] |= 1ULL << (k & 63U);
	}
	/* A page the snapshot's owner of which is not known yet, unchanged by
	 * this input, shows it now. */
	for (i = 0; i < o->unknown_count;) {
		uint32_t k = o->unknown[i];

		if ((ow.changed[(k >> 6) & 63U] >> (k & 63U)) & 1U) {
			i++;
			continue;
		}
		o->owner_snap[k] = (uint8_t)pgs_owner(world_pgstate(w, k < WORLD_RAM_SIZE / PAGE
			? WORLD_RAM_BASE + (uint64_t)k * PAGE
			: WORLD_MMIO_BASE + (uint64_t)(k - WORLD_RAM_SIZE / PAGE) * PAGE));
		o->unknown[i] = o->unknown[--o->unknown_count];
	}
	for (i = 0; i < n; i++) {
		uint64_t pa = world_changed_pa(w, i);

		if (!owner_moved(o, pa)) {
			audit_page(&ow, e, pa);
			continue;
		}
		/* 2 MiB blocks as even numbers, 1 GiB blocks as odd ones. */
		if (!seen(blocks, (pa >> 21) << 1))
			audit_2m(&ow, e, pa & ~((1ULL << 21) - 1U));
		if (!seen(blocks, ((pa >> 30) << 1) | 1U))
			audit_1g(&ow, e, pa & ~((1ULL << 30) - 1U));
	}
}

void oracle_idmap_full(struct world *w)
{
	struct oracle_world *o = oracle_world_get(w, true);
	const struct oracle_s2 *e = walkable(w);
	struct owners ow = { .w = w };
	uint64_t p;

	if (e == NULL)
		return;
	oracle_s2_tree_rebuild(o);
	for (p = WORLD_RAM_BASE; p < WORLD_RAM_BASE + WORLD_RAM_SIZE; p += PAGE)
		audit_page(&ow, e, p);
	for (p = WORLD_MMIO_BASE; p < WORLD_MMIO_BASE + WORLD_MMIO_SIZE; p += PAGE)
		audit_page(&ow, e, p);
}
