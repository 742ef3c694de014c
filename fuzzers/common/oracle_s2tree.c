// SPDX-License-Identifier: MIT
/*
 * The live stage-2 table pages (those the SMMU can reach from the root),
 * kept as the core publishes descriptors, and the break-before-make rule
 * checked on every published word of one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle_s2.h"

/* ---- The whole tree, and the live table pages ------------------------------- */

static void *grow(void *p, uint32_t *cap, size_t elem)
{
	uint32_t n = *cap ? *cap * 2U : 64U;
	void *q = realloc(p, n * elem);

	if (q == NULL) {
		fprintf(stderr, "smmufuzz: out of memory (oracle)\n");
		exit(2);
	}
	*cap = n;
	return q;
}

static void set_page(struct oracle_s2_tree *t, uint32_t page, uint32_t v)
{
	if (t->baseline) {
		if (t->nundo == t->undo_cap)
			t->undo = grow(t->undo, &t->undo_cap, sizeof(*t->undo));
		t->undo[t->nundo].page = page;
		t->undo[t->nundo++].old = t->page_tab[page];
	}
	t->page_tab[page] = v;
	/* Only live table pages need the world to compare what it publishes. */
	if (v != 0)
		world_watch_page(t->w, WORLD_RAM_BASE + (uint64_t)page * PAGE);
}

static void add_table(struct oracle_s2_tree *t, uint64_t pa, uint64_t ipa, unsigned lvl)
{
	if (!world_is_ram(pa))
		return;
	if (t->ntabs >= TABS_MAX) {
		t->overflow = true;
		return;
	}
	if (t->ntabs == t->cap)
		t->tabs = grow(t->tabs, &t->cap, sizeof(*t->tabs));
	t->tabs[t->ntabs] = (struct s2tab){ pa & ~(PAGE - 1U), ipa, lvl };
	set_page(t, (uint32_t)((pa - WORLD_RAM_BASE) / PAGE), ++t->ntabs);
}

/*
 * The @n descriptors at @table (level @lvl, the first covering @ipa): every
 * table below is hypervisor memory, every leaf the identity, and device
 * space outside the tracked window mapped read-write as a device (the
 * host owns it). With @t, every table page is recorded.
 */
void oracle_s2_walk_tree(struct world *w, struct oracle_s2_tree *t, uint64_t table,
			 unsigned lvl, uint64_t ipa, uint64_t n)
{
	uint64_t size = 1ULL << shift_of(lvl), i;
	/* The judged bits of a host device block or page at this level, but
	 * its output address: most of device space, checked in one compare. */
	uint64_t judged = (0xFFFFFFFFFFFFFFFFULL & ~(D_OA & (size - 1U))) &
			  (D_OA | 3ULL | (3ULL << 6) | D_AF | (0xFULL << 2));
	uint64_t dev = (lvl == 3U ? 3U : 1U) | ((uint64_t)S2AP_RW << 6) | D_AF |
		       ((uint64_t)MEMATTR_DEV << 2);
	const uint64_t *tp = NULL;

	for (i = 0; i < n; i++) {
		uint64_t at = table + i * 8U, va = ipa + i * size, d, leaf;

		if (tp == NULL || (at & (PAGE - 1U)) == 0)
			tp = table_page(w, at);
		d = tp[(at & (PAGE - 1U)) / 8U];
		if ((d & judged) == (va | dev) && untracked(va, size) &&
		    !oracle_normal_memory(t->o, va) && oracle_memory_uniform(t->o, va, size))
			continue;
		if (d_table(d, lvl)) {
			if (t != NULL)
				add_table(t, d & D_OA, va, lvl + 1U);
			oracle_s2_walk_tree(w, t, d & D_OA, lvl + 1U, va, 512U);
			continue;
		}
		leaf = d_leaf(d, lvl);
		if (leaf != 0 && (leaf & D_OA & ~(size - 1U)) != va)
			oracle_breach(w, "s2-not-identity");
		if (!untracked(va, size))
			continue;
		if (leaf == 0)
			oracle_breach(w, "idmap-misses-host-page");
		if (D_S2AP(leaf) != S2AP_RW || (leaf & D_AF) == 0)
			oracle_breach(w, "idmap-wrong-permissions");
		if (D_MEMATTR(leaf) != (oracle_normal_memory(t->o, va)
					? MEMATTR_WB : MEMATTR_DEV) ||
		    !oracle_memory_uniform(t->o, va, size))
			oracle_breach(w, "idmap-wrong-memory-type");
	}
}

void oracle_s2_tree_free(struct oracle_world *o)
{
	if (o->tree == NULL)
		return;
	free(o->tree->tabs);
	free(o->tree->page_tab);
	free(o->tree->undo);
	free(o->tree);
	o->tree = NULL;
}

void oracle_s2_tree_rebuild(struct oracle_world *o)
{
	const struct oracle_s2 *e = &o->s2;
	struct oracle_s2_tree *t = o->tree;
	uint64_t k, per_page = 512ULL << shift_of(e->start);

	if (t == NULL) {
		t = calloc(1, sizeof(*t));
		if (t != NULL)
			t->page_tab = calloc(RAM_PAGES, sizeof(*t->page_tab));
		if (t == NULL || t->page_tab == NULL) {
			fprintf(stderr, "smmufuzz: out of memory (oracle)\n");
			exit(2);
		}
		o->tree = t;
		t->w = o->w;
		t->o = o;
	} else {
		memset(t->page_tab, 0, RAM_PAGES * sizeof(*t->page_tab));
	}
	t->ntabs = t->nundo = t->base_ntabs = 0;
	t->baseline = t->overflow = false;
	check_root(o->w, e);
	for (k = 0; k < (1ULL << e->concat_log2); k++)
		add_table(t, e->ttb + k * PAGE, k * per_page, e->start);
	oracle_s2_walk_tree(o->w, t, e->ttb, e->start, 0, 1ULL << (e->ias - shift_of(e->start)));
}

void oracle_s2_tree_input_begin(struct oracle_world *o)
{
	struct oracle_s2_tree *t = o->tree;

	if (t == NULL)
		return;
	if (!t->baseline) {
		t->baseline = true;
		t->base_ntabs = t->ntabs;
	}
	while (t->nundo > 0) {
		t->nundo--;
		t->page_tab[t->undo[t->nundo].page] = t->undo[t->nundo].old;
	}
	t->ntabs = t->base_ntabs;
}

/* ---- Break before make ------------------------------------------------------ */

/* The table at @pa (level @lvl, covering from @ipa) became reachable: it
 * and every table below it are live. */
static void link_tables(struct world *w, struct oracle_s2_tree *t, uint64_t pa,
			unsigned lvl, uint64_t ipa)
{
	const uint64_t *d = (const uint64_t *)world_ram(w, pa & ~(PAGE - 1U), PAGE);
	unsigned i;

	add_table(t, pa, ipa, lvl);
	for (i = 0; d != NULL && lvl < 3U && i < 512U; i++)
		if (d_table(d[i], lvl))
			link_tables(w, t, d[i] & D_OA, lvl + 1U,
				    ipa + ((uint64_t)i << shift_of(lvl)));
}

/* Tables below level @lvl covering [ipa, ipa + size) are no longer reachable. */
static void unlink_tables(struct oracle_s2_tree *t, unsigned lvl, uint64_t ipa,
			  uint64_t size)
{
	uint32_t i;

	for (i = 0; i < t->ntabs; i++) {
		const struct s2tab *s = &t->tabs[i];
		uint32_t page = (uint32_t)((s->pa - WORLD_RAM_BASE) / PAGE);

		if (t->page_tab[page] == i + 1U && s->level > lvl &&
		    s->ipa >= ipa && s->ipa - ipa < size)
			set_page(t, page, 0);
	}
}

void oracle_s2_publish(struct world *w, uint64_t pa, uint64_t old, uint64_t new)
{
	struct oracle_world *o = oracle_world_get(w, false);
	struct oracle_s2_tree *t;
	const struct s2tab *s;
	uint64_t ipa, size;
	uint32_t idx;
	unsigned lvl;
	bool old_t, new_t;

	if (o == NULL || (t = o->tree) == NULL || t->overflow || old == new ||
	    !world_is_ram(pa) || (pa & 7U) != 0)
		return;
	idx = t->page_tab[(pa - WORLD_RAM_BASE) / PAGE];
	if (idx == 0)
		return;		/* not a table the SMMU can reach */
	s = &t->tabs[idx - 1U];
	lvl = s->level;
	size = 1ULL << shift_of(lvl);
	ipa = s->ipa + ((pa & (PAGE - 1U)) / 8U) * size;
	if ((ipa >> o->s2.ias) != 0)
		return;		/* beyond the input range: never walked */
	old_t = d_table(old, lvl);
	new_t = d_table(new, lvl);
	if ((old_t || d_leaf(old, lvl)) && (new_t || d_leaf(new, lvl))) {
		/* Valid to valid. A block-size change (block <-> table, or
		 * another table) needs IDR3.BBML level 2 on every SMMU; a new
		 * output address, memory type, shareability or contiguous
		 * hint always needs the break. Permissions and AF do not. */
		bool resized = old_t != new_t || (old_t && ((old ^ new) & D_OA) != 0);

		if ((resized && o->s2.min_bbml < 2U) ||
		    (!old_t && !new_t && ((old ^ new) & D_BBM_ATTRS) != 0))
			oracle_breach(w, "s2-break-before-make");
	}
	if (old_t && (!new_t || ((old ^ new) & D_OA) != 0))
		unlink_tables(t, lvl, ipa, size);
	if (new_t && (!old_t || ((old ^ new) & D_OA) != 0))
		link_tables(w, t, new & D_OA, lvl + 1U, ipa);
}
