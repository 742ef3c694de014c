// SPDX-License-Identifier: MIT
/*
 * The IOMMU's mirror of host ownership (seed 003): a device behind any SMMU
 * reaches exactly the memory the host CPU may reach, with the right memory
 * type. Built once from a snapshot of the page states when the driver
 * initialises, then kept in step by every ownership change: a page leaving
 * the host is unmapped and every SMMU's TLB invalidated before the change
 * completes; a page coming back is mapped again.
 */
#include <smmu/pgstate.h>
#include "priv.h"

/* RAM is normal write-back memory; anything else is a device. */
static unsigned host_prot(const struct smmu_hyp *hyp, pa_t pa)
{
	unsigned prot = IOPT_READ | IOPT_WRITE;

	return smmu_addr_is_memory(hyp, pa) || INJECT(B17) ? prot : prot | IOPT_MMIO;
}

/* Input size: the smallest output size of all SMMUs, at most 48 bits. */
static unsigned common_ias(const struct smmu_hyp *hyp)
{
	unsigned ias = 48U;
	uint32_t i;

	for (i = 0; i < hyp->dev_count; i++)
		if (hyp->dev[i].hw.oas_bits < ias)
			ias = hyp->dev[i].hw.oas_bits;
	return ias;
}

/*
 * The snapshot: every device address as MMIO (largest blocks), every RAM
 * page the host owns as memory (pages), then every tracked non-RAM page
 * someone else owns (e.g. the SMMUs' own registers) taken out again.
 */
int idmap_init(struct smmu_hyp *hyp)
{
	uint64_t top, cur = 0, p;
	pa_t found;
	uint32_t i;
	int ret;

	ret = iopt_init(hyp, common_ias(hyp));
	if (ret != SMMU_OK)
		return ret;
	top = 1ULL << hyp->iopt.ias;
	/* Device space: the gaps between RAM ranges (sorted by base). */
	while (cur < top) {
		uint64_t next = top;

		for (i = 0; i < hyp->mem_count; i++) {
			const struct smmu_range *r = &hyp->mem[i];

			if (r->base <= cur && cur - r->base < r->size)
				next = cur;	/* inside RAM */
			else if (r->base > cur && r->base < next)
				next = r->base;
		}
		if (next > cur) {
			BUG_ON(iopt_map(hyp, cur, next - cur,
					IOPT_READ | IOPT_WRITE | IOPT_MMIO, true) != SMMU_OK);
			cur = next;
			continue;
		}
		/* Skip the RAM range cur is in. */
		for (i = 0; i < hyp->mem_count; i++) {
			const struct smmu_range *r = &hyp->mem[i];

			if (r->base <= cur && cur - r->base < r->size)
				cur = r->base + r->size > top ? top : r->base + r->size;
		}
	}
	/* RAM the host owns, with pages, a run of them at a time. */
	for (i = 0; i < hyp->mem_count; i++) {
		const struct smmu_range *r = &hyp->mem[i];
		uint64_t run = 0, end = r->base + r->size < top ? r->base + r->size : top;

		for (p = r->base; p <= end; p += SMMU_PAGE_SIZE) {
			bool host = p < end &&
				    pgs_owner(plat_pgstate_get(pa_init(p))) == PGS_OWNER_HOST;

			if (host && run == 0)
				run = p;
			if (!host && run != 0) {
				BUG_ON(iopt_map(hyp, run, p - run, IOPT_READ | IOPT_WRITE,
						false) != SMMU_OK);
				run = 0;
			}
			if (p == end)
				break;
		}
	}
	/* Device pages that are not the host's. */
	cur = 0;
	while (cur < top && plat_pgstate_next(pa_init(cur), pa_init(top), &found)) {
		if (!smmu_addr_is_memory(hyp, found) &&
		    pgs_owner(plat_pgstate_get(found)) != PGS_OWNER_HOST)
			BUG_ON(iopt_unmap(hyp, pa_val(found), SMMU_PAGE_SIZE) != SMMU_OK);
		cur = pa_val(found) + SMMU_PAGE_SIZE;
	}
	hyp->iopt.ready = !INJECT(B10);
	return SMMU_OK;
}

/*
 * Invalidate stage-2 translations on every SMMU. The hypervisor's own
 * command queue is always enabled, so this does not depend on the host.
 * TLBI_S12_VMALL rather than TLBI_S2_IPA: combined stage-1+2 entries are
 * not removed by the latter.
 */
int idmap_invalidate(struct smmu_hyp *hyp)
{
	uint64_t cmd[2] = { CMDQ_OP_TLBI_S12_VMALL | FIELD_PREP(CMD0_VMID, 0), 0 };
	uint32_t i;
	int ret = SMMU_OK;

	for (i = 0; i < hyp->dev_count; i++) {
		struct smmu_dev *dev = &hyp->dev[i];

		if (!dev->probed)
			continue;
		plat_lock(&dev->lock);
		if (hwq_issue_sync(dev, cmd) != SMMU_OK)
			ret = SMMU_ETIMEDOUT;
		plat_unlock(&dev->lock);
	}
	return ret;
}

int idmap_revoke(struct smmu_hyp *hyp, pa_t pa)
{
	/* Beyond the input size nothing is mapped: nothing to revoke. */
	if (!hyp->iopt.ready || (pa_val(pa) >> hyp->iopt.ias) != 0)
		return SMMU_OK;
	if (iopt_unmap(hyp, pa_val(pa), SMMU_PAGE_SIZE) != SMMU_OK ||
	    idmap_invalidate(hyp) != SMMU_OK) {
		/* Stale translations may remain: the page stays the host's. */
		(void)iopt_map(hyp, pa_val(pa), SMMU_PAGE_SIZE, host_prot(hyp, pa), false);
		return SMMU_ETIMEDOUT;
	}
	return SMMU_OK;
}

void idmap_grant(struct smmu_hyp *hyp, pa_t pa)
{
	if (!hyp->iopt.ready || (pa_val(pa) >> hyp->iopt.ias) != 0)
		return;
	/* Mapping a page back never splits a block (its block was split when
	 * the page left); should it fail, the page is only unreachable. */
	(void)iopt_map(hyp, pa_val(pa), SMMU_PAGE_SIZE, host_prot(hyp, pa), false);
}
