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
	const struct oracle_world *o;	/* what RAM is (oracle_normal_memory) */
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
	if (D_MEMATTR(d) != (oracle_normal_memory(ow->o, pa) ? MEMATTR_WB : MEMATTR_DEV) ||
	    !oracle_memory_uniform(ow->o, pa & ~(size - 1U), size))
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
	       ((uint64_t)(oracle_normal_memory(ow->o, pa) ? MEMATTR_WB : MEMATTR_DEV) << 2);
	return (leaf & (D_JUDGED & ~(D_OA & (size - 1U)))) == want &&
	       (lvl == 3U || oracle_memory_uniform(ow->o, pa & ~(size - 1U), size));
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
	uint64_t ram = oracle_normal_memory(ow->o, base), first = tracked_index(base);
	uint64_t want, leaf, mask, changed[8];
	bool tracked = is_ram(base) || is_mmio_window(base);
	bool uniform = oracle_memory_uniform(ow->o, base, 1ULL << 21);
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
		if (uniform && (owner == PGS_OWNER_HOST
		    ? (leaf & mask) == ((pa & ~((1ULL << shift_of(p.lvl)) - 1U)) | want)
		    : leaf == 0))
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
	struct owners ow = { .w = w, .o = oracle_world_get(w, true) };

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

/* ---- After an input: what it wrote, and the pages it moved ----------------- */

/*
 * The identity map can go wrong in an input only where the core wrote a
 * descriptor, or where a page changed owner under a descriptor nobody
 * wrote. The world's dirty record (the one its reset restores from, fed by
 * the core's publishes) names the first: every descriptor in a written
 * 256-byte chunk of a live table page is judged against ownership, a block
 * by the count of pages of its 2 MiB blocks that are not the host's (the
 * snapshot's count plus the input's changes), so a split 1 GiB block costs
 * its 512 descriptors, not its 262144 pages. The second: every page whose
 * state changed is walked. And so that a write the platform never saw is
 * found too, every other input also judges the next IDMAP_SWEEP chunk of
 * the live tables, round and round (a root of 16 pages is swept in 512
 * inputs).
 */
#define IDMAP_SWEEP		1U
#define BLOCK_2M		(1ULL << 21)
#define TRACKED_BLOCKS		((WORLD_RAM_SIZE + WORLD_MMIO_SIZE) / BLOCK_2M)
#define DESC_PER_CHUNK		(WORLD_DIRTY_CHUNK / 8U)

struct judge {
	struct world *w;
	const struct oracle_s2 *e;
	struct oracle_s2_tree *t;
	const struct owners *ow;
	const uint16_t *nonhost;	/* per tracked 2 MiB block, at the snapshot */
	int16_t delta[TRACKED_BLOCKS];	/* and this input's changes to it */
};

static void judge_table_all(struct judge *j, uint64_t pa, unsigned lvl, uint64_t ipa);

/* Leaf @leaf (0: none) of level @lvl over the 2 MiB block @b. */
static void judge_block(struct judge *j, uint64_t b, uint64_t leaf, unsigned lvl)
{
	uint64_t blk = tracked_index(b) / 512U, p;
	int n = j->nonhost[blk] + j->delta[blk];

	if (n != (leaf == 0 ? 512 : 0) || !oracle_memory_uniform(j->ow->o, b, BLOCK_2M)) {
		/* Some page wants otherwise: find it for the exact clause. */
		for (p = b; p < b + BLOCK_2M; p += PAGE)
			if (!page_fine(j->ow, p, leaf, lvl))
				check_page(j->ow, p, leaf, lvl);
		return;
	}
	/* All pages alike: the first tells identity, permissions and type. */
	if (!page_fine(j->ow, b, leaf, lvl))
		check_page(j->ow, b, leaf, lvl);
}

/* The tracked window [w0, w0 + wsize) part of a leaf over [ipa, ipa + size). */
static void judge_window(struct judge *j, uint64_t ipa, uint64_t size, uint64_t leaf,
			 unsigned lvl, uint64_t w0, uint64_t wsize)
{
	uint64_t lo = ipa > w0 ? ipa : w0;
	uint64_t hi = ipa + size < w0 + wsize ? ipa + size : w0 + wsize, b;

	for (b = lo; b < hi; b += BLOCK_2M)
		judge_block(j, b, leaf, lvl);
}

/* A leaf (or none) at level @lvl < 3 over [ipa, ipa + size). */
static void judge_range(struct judge *j, uint64_t ipa, unsigned lvl, uint64_t leaf)
{
	uint64_t size = 1ULL << shift_of(lvl), at;

	judge_window(j, ipa, size, leaf, lvl, WORLD_RAM_BASE, WORLD_RAM_SIZE);
	judge_window(j, ipa, size, leaf, lvl, WORLD_MMIO_BASE, WORLD_MMIO_SIZE);
	/* Device space the world does not track is the host's: one page of
	 * it tells (the windows are 2 MiB-aligned, so is the first such page
	 * at a 2 MiB boundary). */
	for (at = ipa; at < ipa + size; at += BLOCK_2M) {
		if (untracked(at, BLOCK_2M)) {
			if (!page_fine(j->ow, at, leaf, lvl))
				check_page(j->ow, at, leaf, lvl);
			/* One page tells, if the tree describes no memory
			 * out here; else every block of it. */
			if (oracle_memory_uniform(j->ow->o, ipa, size))
				return;
			continue;
		}
		/* Skip the windows in one step each. */
		if (is_ram(at))
			at = WORLD_RAM_BASE + WORLD_RAM_SIZE - BLOCK_2M;
		else if (is_mmio_window(at))
			at = WORLD_MMIO_BASE + WORLD_MMIO_SIZE - BLOCK_2M;
	}
}

/* Descriptor @idx of the table page @pa at level @lvl covering from @ipa. */
/*
 * A descriptor of one of the snapshot's tables (at @pa) that holds what it
 * held then, over memory whose owners are as they were then, is as right
 * as it was (the snapshot's map was judged whole): it need not be judged
 * again. Only blocks and pages whose owner counts show no change qualify.
 */
static bool as_in_snapshot(const struct judge *j, uint64_t pa, uint64_t d,
			   uint64_t ipa, unsigned lvl)
{
	uint64_t size = 1ULL << shift_of(lvl), b, k, then;

	if (!world_snapshot_u64(j->w, pa, &then) || d != then)
		return false;
	if (d_table(d, lvl))
		return true;	/* the same table: its own chunks tell */
	if (lvl == 3U) {
		if (!is_ram(ipa) && !is_mmio_window(ipa))
			return true;
		k = tracked_index(ipa);
		return !((j->ow->changed[(k >> 6) & 63U] >> (k & 63U)) & 1U);
	}
	for (b = ipa; b < ipa + size; b += BLOCK_2M)
		if ((is_ram(b) || is_mmio_window(b)) && j->delta[tracked_index(b) / 512U] != 0)
			return false;
	return true;
}

static void judge_desc(struct judge *j, const uint64_t *tp, uint64_t tpa, bool baseline,
		       unsigned lvl, uint64_t ipa0, unsigned idx)
{
	uint64_t ipa = ipa0 + ((uint64_t)idx << shift_of(lvl)), d = tp[idx], next;
	uint32_t k;

	if ((ipa >> j->e->ias) != 0)
		return;		/* beyond the input range: never walked */
	if (baseline && (lvl >= 2U || d_table(d, lvl)) &&
	    as_in_snapshot(j, tpa + (uint64_t)idx * 8U, d, ipa, lvl))
		return;
	if (d_table(d, lvl)) {
		/* A table: judged by its own written chunks if the tree holds
		 * it here since the snapshot, or linked in this input and
		 * written whole (a new table); else now, all of it (an old
		 * table linked somewhere new). */
		next = d & D_OA;
		(void)table_page(j->w, next);
		k = is_ram(next) ? j->t->page_tab[(next - WORLD_RAM_BASE) / PAGE] : 0;
		if (k == 0 || j->t->tabs[k - 1U].level != lvl + 1U ||
		    j->t->tabs[k - 1U].ipa != ipa ||
		    (k > j->t->base_ntabs && world_page_dirty(j->w, next) != 0xFFFFU))
			judge_table_all(j, next, lvl + 1U, ipa);
		return;
	}
	if (lvl == 3U) {
		if (!page_fine(j->ow, ipa, d_leaf(d, 3U), 3U))
			check_page(j->ow, ipa, d_leaf(d, 3U), 3U);
		return;
	}
	judge_range(j, ipa, lvl, d_leaf(d, lvl));
}

static void judge_table_all(struct judge *j, uint64_t pa, unsigned lvl, uint64_t ipa)
{
	const uint64_t *tp = table_page(j->w, pa);
	unsigned i;

	for (i = 0; i < 512U; i++)
		judge_desc(j, tp, pa, false, lvl, ipa, i);
}

/* Non-host pages per tracked 2 MiB block, from the snapshot's owners. */
static const uint16_t *nonhost_counts(struct oracle_world *o)
{
	uint64_t i;

	if (o->nonhost_2m != NULL)
		return o->nonhost_2m;
	o->nonhost_2m = calloc(TRACKED_BLOCKS, sizeof(*o->nonhost_2m));
	if (o->nonhost_2m == NULL) {
		fprintf(stderr, "smmufuzz: out of memory (oracle)\n");
		exit(2);
	}
	for (i = 0; i < TRACKED_BLOCKS * 512U; i++)
		o->nonhost_2m[i / 512U] += o->owner_snap[i] != PGS_OWNER_HOST;
	return o->nonhost_2m;
}

/* The descriptors of table @s in the chunks @mask names. */
static void judge_chunks(struct judge *j, const struct s2tab *s, uint16_t mask)
{
	const uint64_t *tp = table_page(j->w, s->pa);
	bool baseline = (uint32_t)(s - j->t->tabs) < j->t->base_ntabs;

	while (mask != 0) {
		unsigned c = (unsigned)__builtin_ctz(mask), d;

		mask &= (uint16_t)(mask - 1U);
		for (d = c * DESC_PER_CHUNK; d < (c + 1U) * DESC_PER_CHUNK; d++)
			judge_desc(j, tp, s->pa, baseline, s->level, s->ipa, d);
	}
}

static bool idmap_incremental(struct oracle_world *o, const struct oracle_s2 *e,
			      const struct owners *ow)
{
	struct oracle_s2_tree *t = o->tree;
	struct world *w = o->w;
	struct judge j = { .w = w, .e = e, .t = t, .ow = ow };
	uint32_t i, n = world_changed_count(w);

	/* Without a complete snapshot of owners or of the tables, the old
	 * way (oracle_idmap_changes' block audits). */
	if (t == NULL || t->overflow || o->owner_snap == NULL || o->unknown_count != 0)
		return false;
	j.nonhost = nonhost_counts(o);
	for (i = 0; i < n; i++) {
		uint64_t pa = world_changed_pa(w, i), k;

		if (!is_ram(pa) && !is_mmio_window(pa))
			continue;
		k = tracked_index(pa);
		j.delta[k / 512U] += (int16_t)((pgs_owner(world_pgstate(w, pa)) != PGS_OWNER_HOST) -
					       (o->owner_snap[k] != PGS_OWNER_HOST));
	}
	for (i = 0; i < t->ntabs; i++) {
		const struct s2tab *s = &t->tabs[i];
		uint16_t dirty = world_page_dirty(w, s->pa);

		if (dirty == 0 || t->page_tab[(s->pa - WORLD_RAM_BASE) / PAGE] != i + 1U)
			continue;	/* unwritten, or no longer (or not here) live */
		judge_chunks(&j, s, dirty);
	}
	/* The sweep: the next chunk of the live tables, unwritten or not,
	 * every other input. */
	for (i = 0; i < IDMAP_SWEEP && t->ntabs != 0 && (o->idmap_sweep_tick++ & 1U); i++) {
		uint32_t c = o->idmap_sweep++ % (t->ntabs * 16U);
		const struct s2tab *s = &t->tabs[c / 16U];

		if (t->page_tab[(s->pa - WORLD_RAM_BASE) / PAGE] == c / 16U + 1U)
			judge_chunks(&j, s, (uint16_t)(1U << (c % 16U)));
	}
	for (i = 0; i < n; i++) {
		uint64_t pa = world_changed_pa(w, i);

		/* A live table page must stay the hypervisor's. */
		if (is_ram(pa) && t->page_tab[(pa - WORLD_RAM_BASE) / PAGE] != 0)
			(void)table_page(w, pa);
		audit_page(ow, e, pa);
	}
	return true;
}

/*
 * After an input, incrementally (idmap_incremental) or, while the oracle
 * lacks a complete snapshot, every page whose state changed and, where its
 * owner moved (or it is MMIO), its whole 2 MiB block and every 2 MiB block
 * of its 1 GiB block (an MMIO donation splits the blocks around the page;
 * a mistake there lands on a neighbour).
 */
void oracle_idmap_changes(struct world *w)
{
	struct oracle_world *o = oracle_world_get(w, true);
	const struct oracle_s2 *e = walkable(w);
	static _Thread_local uint64_t blocks[SEEN_SLOTS];
	struct owners ow = { .w = w, .o = oracle_world_get(w, true) };
	uint32_t i, n = world_changed_count(w);

	if (e == NULL)
		return;
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
	if (idmap_incremental(o, e, &ow))
		return;
	/* (A breach leaves the set as it was: clear it before, not after.) */
	if (n != 0)
		memset(blocks, 0, sizeof(blocks));
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

static bool ranges_meet(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * Everything: the tree walked again (its tables hypervisor memory, every
 * mapping the identity, device space outside the tracked window mapped),
 * then every descriptor of every live table judged against ownership as
 * it is now — a block by the count of non-host pages of its 2 MiB blocks.
 * Every page is translated by exactly one of those descriptors, so this is
 * every page's verdict at a descriptor's cost.
 */
void oracle_idmap_full(struct world *w)
{
	struct oracle_world *o = oracle_world_get(w, true);
	const struct oracle_s2 *e = walkable(w);
	struct owners ow = { .w = w, .o = o };
	static _Thread_local uint16_t counts[TRACKED_BLOCKS];
	struct judge j = { .w = w, .e = e, .ow = &ow, .nonhost = counts };
	uint64_t p;
	uint32_t i;

	if (e == NULL)
		return;
	oracle_s2_tree_rebuild(o);
	j.t = o->tree;
	memset(counts, 0, sizeof(counts));
	for (p = WORLD_RAM_BASE; p < WORLD_RAM_BASE + WORLD_RAM_SIZE; p += PAGE)
		counts[tracked_index(p) / 512U] += pgs_owner(world_pgstate(w, p)) != PGS_OWNER_HOST;
	for (p = WORLD_MMIO_BASE; p < WORLD_MMIO_BASE + WORLD_MMIO_SIZE; p += PAGE)
		counts[tracked_index(p) / 512U] += pgs_owner(world_pgstate(w, p)) != PGS_OWNER_HOST;
	/* (Tables over device space the world does not track were judged by
	 * the walk: every leaf there is the host's.) */
	for (i = 0; i < j.t->ntabs; i++) {
		const struct s2tab *s = &j.t->tabs[i];
		uint64_t span = 512ULL << shift_of(s->level);

		if (j.t->page_tab[(s->pa - WORLD_RAM_BASE) / PAGE] != i + 1U ||
		    !(ranges_meet(s->ipa, span, WORLD_RAM_BASE, WORLD_RAM_SIZE) ||
		      ranges_meet(s->ipa, span, WORLD_MMIO_BASE, WORLD_MMIO_SIZE)))
			continue;
		judge_chunks(&j, s, 0xFFFFU);
	}
}
