// SPDX-License-Identifier: MIT
/*
 * Page ownership transitions of the host stage-2 (the state the pKVM
 * mem_protect code keeps), with every check inside the function that makes
 * the change, so no caller can forget one (review of seed 002).
 */
#include <smmu/pgstate.h>
#include "priv.h"

static uint32_t pgs_get(pa_t pa)
{
	return plat_pgstate_get(pa);
}

static int pgs_set_owner(pa_t pa, uint32_t st, unsigned owner)
{
	return plat_pgstate_set(pa, (uint32_t)FIELD_SET(PGS_OWNER, st, owner));
}

/*
 * A page leaves the host: no device may reach it once this returns, so
 * the identity map loses it (and every SMMU's TLB is invalidated) before
 * the new owner is recorded. If the invalidation cannot be completed the
 * change does not happen.
 */
static int leave_host(struct smmu_hyp *hyp, pa_t pa, uint32_t st, unsigned to)
{
	int ret = idmap_revoke(hyp, pa);

	if (ret != SMMU_OK)
		return ret;
	ret = pgs_set_owner(pa, st, to);
	if (ret != SMMU_OK)
		idmap_grant(hyp, pa);
	return ret;
}

/* A page comes back to the host: recorded first, then mapped again. */
static int back_to_host(struct smmu_hyp *hyp, pa_t pa, uint32_t st)
{
	int ret = pgs_set_owner(pa, st, PGS_OWNER_HOST);

	if (ret == SMMU_OK)
		idmap_grant(hyp, pa);
	return ret;
}

static bool page_ok(const struct smmu_hyp *hyp, pa_t pa, bool want_memory)
{
	return pa_page_aligned(pa) &&
	       smmu_addr_is_memory(hyp, pa) == want_memory;
}

int owner_host_share_hyp(struct smmu_hyp *hyp, pa_t pa)
{
	uint32_t st = pgs_get(pa);

	if (!page_ok(hyp, pa, true))
		return SMMU_EINVAL;
	if (pgs_owner(st) != PGS_OWNER_HOST || (st & PGS_HOST_SHARED) != 0)
		return SMMU_EPERM;
	return plat_pgstate_set(pa, st | PGS_HOST_SHARED);
}

int owner_host_unshare_hyp(struct smmu_hyp *hyp, pa_t pa)
{
	uint32_t st = pgs_get(pa);

	if (!page_ok(hyp, pa, true))
		return SMMU_EINVAL;
	if (pgs_owner(st) != PGS_OWNER_HOST || (st & PGS_HOST_SHARED) == 0)
		return SMMU_EPERM;
	return plat_pgstate_set(pa, st & ~PGS_HOST_SHARED);
}

/* The host may give away only a page it owns outright: not shared, not pinned. */
static int host_give(struct smmu_hyp *hyp, pa_t pa, unsigned to)
{
	uint32_t st = pgs_get(pa);

	if (!page_ok(hyp, pa, true))
		return SMMU_EINVAL;
	if (pgs_owner(st) != PGS_OWNER_HOST)
		return SMMU_EPERM;
	if ((st & PGS_HOST_SHARED) != 0 || pgs_pins(st) != 0)
		return SMMU_EBUSY;
	st &= ~(uint32_t)PGS_FROM_HOST;
	if (to == PGS_OWNER_HYP)
		st |= PGS_FROM_HOST;
	if (INJECT(B9) && to == PGS_OWNER_GUEST)	/* the IOMMU callback forgotten */
		return pgs_set_owner(pa, st, to);
	return leave_host(hyp, pa, st, to);
}

int owner_host_donate_hyp(struct smmu_hyp *hyp, pa_t pa)
{
	return host_give(hyp, pa, PGS_OWNER_HYP);
}

int owner_host_donate_guest(struct smmu_hyp *hyp, pa_t pa)
{
	return host_give(hyp, pa, PGS_OWNER_GUEST);
}

/* Only pages the host lent us come back, and only when nothing uses them. */
int owner_hyp_donate_host(struct smmu_hyp *hyp, pa_t pa)
{
	uint32_t st = pgs_get(pa);

	if (!page_ok(hyp, pa, true))
		return SMMU_EINVAL;
	if (pgs_owner(st) != PGS_OWNER_HYP || (st & PGS_FROM_HOST) == 0)
		return SMMU_EPERM;
	if (pgs_pins(st) != 0)
		return SMMU_EBUSY;
	return back_to_host(hyp, pa, st & ~(uint32_t)PGS_FROM_HOST);
}

int owner_guest_donate_host(struct smmu_hyp *hyp, pa_t pa)
{
	uint32_t st = pgs_get(pa);

	if (!page_ok(hyp, pa, true))
		return SMMU_EINVAL;
	if (pgs_owner(st) != PGS_OWNER_GUEST)
		return SMMU_EPERM;
	return back_to_host(hyp, pa, st);
}

/*
 * MMIO donation (seed 002): refuse RAM (-EINVAL), a page another component
 * owns (-EPERM), and one the hypervisor already maps (-EBUSY).
 */
int owner_host_donate_hyp_mmio(struct smmu_hyp *hyp, pa_t pa)
{
	uint32_t st = pgs_get(pa);

	if (!pa_page_aligned(pa) || (smmu_addr_is_memory(hyp, pa) && !INJECT(B11)))
		return SMMU_EINVAL;
	if (pgs_owner(st) != PGS_OWNER_HOST)
		return SMMU_EPERM;
	if ((st & PGS_HYP_MAPPED) != 0)
		return SMMU_EBUSY;
	return leave_host(hyp, pa, st | PGS_HYP_MAPPED, PGS_OWNER_HYP);
}

/*
 * Give MMIO back: only MMIO (-EINVAL) the hypervisor maps (-ENOENT) and
 * owns (-EPERM), and not a page an SMMU is using (-EBUSY).
 */
int owner_hyp_donate_host_mmio(struct smmu_hyp *hyp, pa_t pa)
{
	uint32_t st = pgs_get(pa);

	if (!pa_page_aligned(pa) || smmu_addr_is_memory(hyp, pa))
		return SMMU_EINVAL;
	if ((st & PGS_HYP_MAPPED) == 0)
		return SMMU_ENOENT;
	if (pgs_owner(st) != PGS_OWNER_HYP)
		return SMMU_EPERM;
	if (pgs_pins(st) != 0)
		return SMMU_EBUSY;
	return back_to_host(hyp, pa, st & ~(uint32_t)PGS_HYP_MAPPED);
}

static int pin_one(pa_t pa, int delta)
{
	uint32_t st = pgs_get(pa);
	unsigned pins = pgs_pins(st);

	if (delta > 0 && pins == PGS_PINS_MAX)
		return SMMU_EBUSY;
	BUG_ON(delta < 0 && pins == 0);
	pins = (unsigned)((int)pins + delta);
	if (INJECT(B12))	/* the word rebuilt from the field it changes */
		return plat_pgstate_set(pa, (uint32_t)FIELD_PREP(PGS_PINS, pins));
	return plat_pgstate_set(pa, (uint32_t)FIELD_SET(PGS_PINS, st, pins));
}

/*
 * Pin host RAM an SMMU is about to use: every page must be host-owned RAM.
 * Pinned pages count as shared: the host can no longer give them away.
 * All or nothing: a failure unpins what was pinned.
 */
int owner_pin_range(struct smmu_hyp *hyp, pa_t base, uint64_t size,
		    struct smmu_pin *pin)
{
	uint64_t first = pa_val(base) & SMMU_PAGE_MASK;
	uint64_t end = pa_val(base) + size;
	uint64_t count, i;
	int ret = SMMU_OK;

	BUG_ON(pin->active);
	if (size == 0 || end < pa_val(base))
		return SMMU_EINVAL;
	count = (end - first + SMMU_PAGE_SIZE - 1) >> SMMU_PAGE_SHIFT;
	if (count > 0xFFFFFFFFULL)
		return SMMU_ERANGE;
	for (i = 0; i < count; i++) {
		pa_t pa = pa_init(first + (i << SMMU_PAGE_SHIFT));
		uint32_t st = pgs_get(pa);

		if (!smmu_addr_is_memory(hyp, pa) ||
		    pgs_owner(st) != PGS_OWNER_HOST) {
			ret = SMMU_EPERM;
			break;
		}
		ret = pin_one(pa, 1);
		if (ret != SMMU_OK)
			break;
	}
	if (ret != SMMU_OK) {
		while (i-- > 0)
			BUG_ON(pin_one(pa_init(first + (i << SMMU_PAGE_SHIFT)),
				       -1) != SMMU_OK);
		return ret;
	}
	pin->base = first;
	pin->page_count = (uint32_t)count;
	pin->active = true;
	pin->release_pending = false;
	return SMMU_OK;
}

void owner_unpin_range(struct smmu_hyp *hyp, struct smmu_pin *pin)
{
	uint32_t i;

	(void)hyp;
	if (!pin->active)
		return;
	for (i = 0; i < pin->page_count; i++) {
		pa_t pa = pa_init(pin->base + ((uint64_t)i << SMMU_PAGE_SHIFT));

		/* Pinned pages cannot change owner, so they are still ours to unpin. */
		BUG_ON(pgs_owner(pgs_get(pa)) != PGS_OWNER_HOST);
		BUG_ON(pin_one(pa, -1) != SMMU_OK);
	}
	pin->active = false;
	pin->release_pending = false;
}

void owner_mmio_set_in_use(pa_t base, uint64_t size, bool in_use)
{
	uint64_t off;

	for (off = 0; off < size; off += SMMU_PAGE_SIZE) {
		pa_t pa = pa_add(base, off);

		BUG_ON(pgs_owner(pgs_get(pa)) != PGS_OWNER_HYP);
		BUG_ON(pin_one(pa, in_use ? 1 : -1) != SMMU_OK);
	}
}
