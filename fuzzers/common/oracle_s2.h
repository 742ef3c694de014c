/* SPDX-License-Identifier: MIT */
/*
 * The stage-2 side of the oracles, between oracle_idmap.c (the identity map
 * judged against ownership) and oracle_s2tree.c (the live table pages and
 * break-before-make): VMSAv8-64 stage-2 descriptors with a 4 KiB granule,
 * restated from the architecture, and the table set both walk.
 */
#ifndef SMMUFUZZ_ORACLE_S2_H
#define SMMUFUZZ_ORACLE_S2_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/pgstate.h>
#include "oracle.h"

/* ---- VMSAv8-64 stage-2 descriptors, 4 KiB granule ------------------------ */

#define D_OA		0x0000FFFFFFFFF000ULL	/* output / next-level address [47:12] */
#define D_MEMATTR(d)	((unsigned)(((d) >> 2) & 0xFU))
#define D_S2AP(d)	((unsigned)(((d) >> 6) & 3U))
#define D_AF		(1ULL << 10)
/* What a valid leaf may not change without a break (memory type, SH,
 * contiguous hint, output address): MemAttr [5:2], SH [9:8], bit 52. */
#define D_BBM_ATTRS	((0xFULL << 2) | (3ULL << 8) | (1ULL << 52) | D_OA)
#define MEMATTR_WB	0xFU	/* Normal, inner and outer write-back */
#define MEMATTR_DEV	0x1U	/* Device-nGnRE */
#define S2AP_RW		3U
#define PAGE		0x1000ULL

static inline unsigned shift_of(unsigned lvl)
{
	return 12U + 9U * (3U - lvl);
}

static inline bool d_table(uint64_t d, unsigned lvl)
{
	return lvl < 3U && (d & 3U) == 3U;
}

/* @d if it is a valid leaf at @lvl (a page at 3, a block at 1 or 2), else
 * 0: a level-3 descriptor without its type bit and a level-0 block are
 * invalid encodings and translate nothing. */
static inline uint64_t d_leaf(uint64_t d, unsigned lvl)
{
	if (lvl == 3U)
		return (d & 3U) == 3U ? d : 0;
	return lvl > 0U && (d & 3U) == 1U ? d : 0;
}

/* The world's RAM (world_is_ram, inline: it is asked of every page). */
static inline bool is_ram(uint64_t pa)
{
	return pa >= WORLD_RAM_BASE && pa - WORLD_RAM_BASE < WORLD_RAM_SIZE;
}

static inline bool is_mmio_window(uint64_t pa)
{
	return pa >= WORLD_MMIO_BASE && pa - WORLD_MMIO_BASE < WORLD_MMIO_SIZE;
}

/* Index of a tracked page: RAM pages, then the MMIO window's. */
static inline uint64_t tracked_index(uint64_t pa)
{
	return is_ram(pa) ? (pa - WORLD_RAM_BASE) / PAGE
			  : WORLD_RAM_SIZE / PAGE + (pa - WORLD_MMIO_BASE) / PAGE;
}

/* [a, a + size) reaches device space the world does not track page by
 * page (outside RAM and the MMIO window): all of it the host's. */
static inline bool untracked(uint64_t a, uint64_t size)
{
	bool in_ram = a >= WORLD_RAM_BASE && a + size <= WORLD_RAM_BASE + WORLD_RAM_SIZE;
	bool in_mmio = a >= WORLD_MMIO_BASE && a + size <= WORLD_MMIO_BASE + WORLD_MMIO_SIZE;

	return !in_ram && !in_mmio;
}

/* A table page the SMMU reads: hypervisor memory, or the host could
 * rewrite the translations it holds. */
static inline const uint64_t *table_page(struct world *w, uint64_t pa)
{
	const uint64_t *t;

	if (pgs_owner(world_pgstate(w, pa)) != PGS_OWNER_HYP)
		oracle_breach(w, "s2-table-not-hyp-memory");
	t = (const uint64_t *)world_ram(w, pa & ~(PAGE - 1U), PAGE);
	if (t == NULL)
		oracle_breach(w, "s2-table-not-hyp-memory");
	return t;
}

/* Every page of the start level (a concatenated root spans several). */
static inline void check_root(struct world *w, const struct oracle_s2 *e)
{
	if (!oracle_range_owned_by(w, e->ttb, 8ULL << (e->ias - shift_of(e->start)),
				   PGS_OWNER_HYP))
		oracle_breach(w, "s2-table-not-hyp-memory");
}

/* ---- The live stage-2 table pages --------------------------------------- */

#define RAM_PAGES	(WORLD_RAM_SIZE / PAGE)
#define TABS_MAX	(1U << 16)

struct s2tab {
	uint64_t pa;		/* the table page */
	uint64_t ipa;		/* the first address its descriptors cover */
	unsigned level;
};

struct undo {
	uint32_t page;
	uint32_t old;
};

struct oracle_s2_tree {
	struct s2tab *tabs;
	uint32_t ntabs, cap;
	uint32_t *page_tab;	/* RAM page -> index into tabs + 1; 0: not live */
	struct undo *undo;	/* page_tab changes since the snapshot */
	uint32_t nundo, undo_cap;
	uint32_t base_ntabs;
	bool baseline;		/* the snapshot's set was taken */
	bool overflow;		/* more tables than tracked: BBM oracle off */
	struct world *w;	/* whose publishes to watch */
	const struct oracle_world *o;	/* whose tree it is */
};

/* The tables under @table (level @lvl, @n descriptors from @ipa), checked
 * as the whole tree is (oracle_s2tree.c). */
void oracle_s2_walk_tree(struct world *w, struct oracle_s2_tree *t, uint64_t table,
			 unsigned lvl, uint64_t ipa, uint64_t n);

#endif /* SMMUFUZZ_ORACLE_S2_H */
