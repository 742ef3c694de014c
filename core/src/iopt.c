// SPDX-License-Identifier: MIT
/*
 * The identity stage-2 page table (VMSAv8-64, 4 KiB granule) shared by
 * every SMMU: input address = output address, tables from the pool. RAM is
 * mapped with pages only (seed 001: nothing ever needs a block split for
 * memory); MMIO with the largest blocks that fit, split on demand when the
 * host later donates one MMIO page. Walks are explicit level loops.
 *
 * Once the SMMUs may walk the table (iopt.ready), a live block is split
 * break-before-make whatever IDR3.BBML says: the entry is made invalid and
 * every SMMU's TLB invalidated before the table replaces it, so no TLB can
 * hold the block and its pages at once (a TLB conflict with BBML = 0).
 *
 *   level:      0          1          2          3
 *   shift:      39         30         21         12     (9 bits a level)
 *   leaf:       -          1 GiB blk  2 MiB blk  4 KiB page
 *
 * The start level is the deepest whose table(s) cover the input size with
 * at most 16 concatenated tables, as the SMMU allows for stage 2.
 */
#include "priv.h"

#define LEVELS		4U
#define ENTRIES		512U
#define ATTR_MASK	(PTE_S2_MEMATTR | PTE_S2_AP | PTE_SH | PTE_AF | PTE_XN)

static unsigned shift_of(unsigned lvl)
{
	return 12U + 9U * (3U - lvl);
}

static uint64_t *table(uint64_t pa)
{
	uint64_t *t = plat_hyp_va(pa_init(pa));

	BUG_ON(t == NULL);
	return t;
}

static void pte_set(uint64_t *ptep, uint64_t v)
{
	*ptep = v;
	plat_dma_publish(ptep, sizeof(*ptep));
}

static bool pte_valid(uint64_t pte)
{
	return (pte & PTE_VALID) != 0;
}

static bool pte_is_table(uint64_t pte, unsigned lvl)
{
	return lvl < 3U && (pte & (PTE_VALID | PTE_TYPE)) == (PTE_VALID | PTE_TYPE);
}

static unsigned index_of(const struct smmu_iopt *io, uint64_t ipa, unsigned lvl)
{
	uint64_t idx = ipa >> shift_of(lvl);

	/* The start level may span 16 concatenated tables. */
	if (lvl == io->start)
		return (unsigned)(idx & ((1ULL << (io->ias - shift_of(lvl))) - 1U));
	return (unsigned)(idx & (ENTRIES - 1U));
}

static uint64_t leaf_attrs(unsigned prot)
{
	uint64_t v = PTE_AF | FIELD_PREP(PTE_SH, PTE_SH_ISH);

	if (prot & IOPT_READ)
		v |= PTE_S2_AP_R;
	if (prot & IOPT_WRITE)
		v |= PTE_S2_AP_W;
	v |= FIELD_PREP(PTE_S2_MEMATTR, (prot & IOPT_MMIO) ? PTE_S2_MEMATTR_DEV
							 : PTE_S2_MEMATTR_WB);
	return v;
}

static uint64_t leaf(uint64_t pa, uint64_t attrs, unsigned lvl)
{
	return (pa & PTE_ADDR_MASK) | attrs | PTE_VALID |
	       (lvl == 3U ? PTE_TYPE : 0U);
}

/* A new, empty next-level table; running out of pool is a refusal by
 * design: the host can only get here by fragmenting MMIO, page by page. */
static uint64_t new_table(struct smmu_hyp *hyp)
{
	pa_t pa;

	if (pool_alloc(&hyp->pool, 0, &pa) != SMMU_OK)
		REJECT_FATAL("iopt.pool_exhausted");
	hyp->iopt.tables++;
	return pa_val(pa);
}

/*
 * Replace the block at @ep (level @lvl) by a table of equivalent smaller
 * leaves, break-before-make when live. SMMU_ETIMEDOUT (and the block left
 * as it was) if the invalidation in between cannot be completed.
 */
static int split(struct smmu_hyp *hyp, uint64_t *ep, unsigned lvl)
{
	uint64_t pte = *ep, t = new_table(hyp), base = pte & PTE_ADDR_MASK;
	uint64_t step = 1ULL << shift_of(lvl + 1U), *e = table(t);
	unsigned i;

	for (i = 0; i < ENTRIES; i++)
		e[i] = leaf(base + i * step, pte & ATTR_MASK, lvl + 1U);
	plat_dma_publish(e, SMMU_PAGE_SIZE);
	if (hyp->iopt.ready && !INJECT(R4)) {
		pte_set(ep, 0);
		if (idmap_invalidate(hyp) != SMMU_OK) {
			pte_set(ep, pte);
			pool_free(&hyp->pool, pa_init(t), 0);
			hyp->iopt.tables--;
			return SMMU_ETIMEDOUT;
		}
	}
	plat_wmb();
	pte_set(ep, t | PTE_VALID | PTE_TYPE);
	return SMMU_OK;
}

/* Entries a level-@lvl table holds: the start level's may be concatenated. */
static unsigned entries_at(const struct smmu_iopt *io, unsigned lvl)
{
	return lvl == io->start ? 1U << (io->ias - shift_of(lvl)) : ENTRIES;
}

/*
 * Leaves of level @lvl from @ipa at entry @i of table @t: up to @limit
 * entries, @size, or (above level 3) the first entry that is a table. One
 * walk from the root fills a run of neighbours (device space in 1 GiB
 * blocks is 16,384 of them on a 44-bit IAS). Not inlined: fuzz builds leave
 * it uninstrumented (coverage-ignore.txt).
 */
__attribute__((noinline))
static uint64_t fill_leaves(uint64_t *t, unsigned i, unsigned limit, uint64_t ipa,
			    uint64_t size, uint64_t attrs, unsigned lvl)
{
	uint64_t bsz = 1ULL << shift_of(lvl);
	unsigned n = 0;

	while (i + n < limit && size >= (uint64_t)(n + 1U) * bsz &&
	       !pte_is_table(t[i + n], lvl)) {
		t[i + n] = leaf(ipa + (uint64_t)n * bsz, attrs, lvl);
		n++;
	}
	plat_dma_publish(&t[i], (size_t)n * sizeof(*t));
	return (uint64_t)n * bsz;
}

int iopt_init(struct smmu_hyp *hyp, unsigned ias)
{
	struct smmu_iopt *io = &hyp->iopt;
	unsigned lvl, bits = 0;
	pa_t root;

	if (ias < 32U || ias > 48U)
		return SMMU_EINVAL;
	for (lvl = 2U; lvl <= 2U; lvl--) {	/* deepest start that fits */
		bits = ias - shift_of(lvl);
		if (ias > shift_of(lvl) && bits <= 13U)
			break;
	}
	BUG_ON(lvl > 2U);
	io->ias = (uint8_t)ias;
	io->start = (uint8_t)lvl;
	io->concat_log2 = (uint8_t)(bits > 9U ? bits - 9U : 0U);
	if (pool_alloc(&hyp->pool, io->concat_log2, &root) != SMMU_OK)
		return SMMU_ENOMEM;
	io->root = pa_val(root);
	io->tables = 1U << io->concat_log2;
	io->ps = (uint8_t)(ias <= 32U ? 0U : ias <= 36U ? 1U : ias <= 40U ? 2U :
			   ias <= 42U ? 3U : ias <= 44U ? 4U : 5U);
	return SMMU_OK;
}

/* The VTCR-like STE fields of this table (STE2_VTCR sub-fields). */
uint64_t iopt_ste_vtcr(const struct smmu_iopt *io)
{
	/* SL0 for 4 KiB: 0 = start at level 2, 1 = level 1, 2 = level 0. */
	return FIELD_PREP(STE2_S2T0SZ, 64U - io->ias) |
	       FIELD_PREP(STE2_S2SL0, 2U - io->start) |
	       FIELD_PREP(STE2_S2IR0, INJECT(M2) ? 0U : 1U) |
	       FIELD_PREP(STE2_S2OR0, INJECT(M2) ? 0U : 1U) |
	       FIELD_PREP(STE2_S2SH0, PTE_SH_ISH) | FIELD_PREP(STE2_S2TG, 0U) |
	       FIELD_PREP(STE2_S2PS, io->ps);
}

/*
 * Map [ipa, ipa + size) to itself. With @blocks, the largest aligned
 * blocks that fit are used (MMIO); otherwise pages only (RAM). A block in
 * the way of a smaller mapping is split; a table in the way of a block
 * makes the mapping go one level down instead. SMMU_ETIMEDOUT if a split
 * could not be invalidated (what was mapped before stays mapped).
 */
int iopt_map(struct smmu_hyp *hyp, uint64_t ipa, uint64_t size, unsigned prot,
	     bool blocks)
{
	const struct smmu_iopt *io = &hyp->iopt;
	uint64_t attrs = leaf_attrs(prot);

	BUG_ON(!pa_page_aligned(pa_init(ipa)) || (size & (SMMU_PAGE_SIZE - 1U)) ||
	       (size != 0 && ((ipa + size - 1U) >> io->ias) != 0));
	while (size != 0) {
		uint64_t tpa = io->root, chunk = 0;
		unsigned lvl;

		for (lvl = io->start; lvl < LEVELS; lvl++) {
			uint64_t *e = &table(tpa)[index_of(io, ipa, lvl)];
			uint64_t bsz = 1ULL << shift_of(lvl);
			bool fits = (ipa & (bsz - 1U)) == 0 && size >= bsz;

			if (lvl == 3U || (blocks && lvl >= 1U && fits && !pte_is_table(*e, lvl))) {
				chunk = fill_leaves(table(tpa), index_of(io, ipa, lvl),
						    entries_at(io, lvl), ipa, size, attrs, lvl);
				break;
			}
			if (!pte_valid(*e))
				pte_set(e, new_table(hyp) | PTE_VALID | PTE_TYPE);
			else if (!pte_is_table(*e, lvl) && split(hyp, e, lvl) != SMMU_OK)
				return SMMU_ETIMEDOUT;
			tpa = *e & PTE_ADDR_MASK;
		}
		BUG_ON(chunk == 0);
		ipa += chunk;
		size -= chunk;
	}
	return SMMU_OK;
}

/*
 * Unmap [ipa, ipa + size): all of it, splitting blocks that straddle the
 * edges, or the hypervisor stops (REJECT_FATAL) trying; SMMU_ETIMEDOUT if a
 * split could not be invalidated (the range may then be partly unmapped).
 */
int iopt_unmap(struct smmu_hyp *hyp, uint64_t ipa, uint64_t size)
{
	const struct smmu_iopt *io = &hyp->iopt;

	BUG_ON(!pa_page_aligned(pa_init(ipa)) || (size & (SMMU_PAGE_SIZE - 1U)));
	while (size != 0) {
		uint64_t tpa = io->root, chunk = 0;
		unsigned lvl;

		for (lvl = io->start; lvl < LEVELS; lvl++) {
			uint64_t *e = &table(tpa)[index_of(io, ipa, lvl)];
			uint64_t bsz = 1ULL << shift_of(lvl);
			uint64_t to_end = bsz - (ipa & (bsz - 1U));

			if (!pte_valid(*e)) {
				chunk = to_end;		/* nothing mapped here */
				break;
			}
			if (!pte_is_table(*e, lvl)) {
				if ((ipa & (bsz - 1U)) == 0 && size >= bsz) {
					pte_set(e, 0);
					chunk = bsz;
					break;
				}
				if (split(hyp, e, lvl) != SMMU_OK)
					return SMMU_ETIMEDOUT;
			}
			tpa = *e & PTE_ADDR_MASK;
		}
		BUG_ON(chunk == 0);
		if (chunk > size)
			chunk = size;
		ipa += chunk;
		size -= chunk;
	}
	return SMMU_OK;
}

/* The leaf covering @ipa, or 0; @level is where it was found. */
uint64_t iopt_lookup(const struct smmu_hyp *hyp, uint64_t ipa, unsigned *level)
{
	const struct smmu_iopt *io = &hyp->iopt;
	uint64_t tpa = io->root;
	unsigned lvl;

	if ((ipa >> io->ias) != 0)
		return 0;
	for (lvl = io->start; lvl < LEVELS; lvl++) {
		uint64_t e = table(tpa)[index_of(io, ipa, lvl)];

		if (!pte_valid(e))
			return 0;
		if (!pte_is_table(e, lvl)) {
			*level = lvl;
			return e;
		}
		tpa = e & PTE_ADDR_MASK;
	}
	return 0;
}
