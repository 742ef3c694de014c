// SPDX-License-Identifier: MIT
/*
 * The driver lifecycle (seed 000): one registration, initialisation before
 * the host is de-privileged, removal when a later boot step fails; plus the
 * host's ownership requests once it is de-privileged.
 */
#include "priv.h"

const struct smmu_kern_driver smmuv3_kern_driver = {
	.id = SMMU_DRIVER_SMMUV3,
	.name = "smmuv3",
};

const struct smmu_hyp_driver smmuv3_hyp_driver = {
	.id = SMMU_DRIVER_SMMUV3,
};

int smmu_setup(struct smmu_hyp *hyp, pa_t pool_base, uint32_t pool_pages)
{
	/* Once a driver is registered the instance holds SMMUs: starting it
	 * over would forget them. (Before that it is still zero or ours.) */
	if (hyp->phase != SMMU_PHASE_BOOT)
		return SMMU_EBUSY;
	smmu_memset(hyp, 0, sizeof(*hyp));
	hyp->phase = SMMU_PHASE_BOOT;
	return pool_init(&hyp->pool, pool_base, pool_pages);
}

int smmu_register_driver(struct smmu_hyp *hyp,
			 const struct smmu_kern_driver *kern,
			 const struct smmu_hyp_driver *drv)
{
	int ret = SMMU_OK;

	if (kern == NULL || drv == NULL || kern->id != drv->id ||
	    kern->id != SMMU_DRIVER_SMMUV3)
		return SMMU_EINVAL;
	plat_lock(&hyp->lock);
	if (hyp->kern != NULL)
		ret = SMMU_EBUSY;	/* exactly one driver, ever */
	else if (hyp->phase != SMMU_PHASE_BOOT || hyp->pool.page_count == 0)
		ret = SMMU_EPERM;	/* too late, or no pool set up */
	if (ret == SMMU_OK) {
		hyp->kern = kern;
		hyp->drv = drv;
		hyp->phase = SMMU_PHASE_REGISTERED;
	}
	plat_unlock(&hyp->lock);
	return ret;
}

/* Undo the take-over: SMMUs and MMIO back, and the whole pool free again
 * (everything in it belonged to this driver). */
static void release_all(struct smmu_hyp *hyp)
{
	uint32_t i;

	for (i = 0; i < hyp->dev_count; i++)
		probe_release(hyp, &hyp->dev[i]);
	hyp->dev_count = 0;
	hyp->mem_count = 0;
	hyp->scratch = 0;
	smmu_memset(&hyp->iopt, 0, sizeof(hyp->iopt));
	BUG_ON(pool_init(&hyp->pool, pa_init(hyp->pool.base), hyp->pool.page_count) !=
	       SMMU_OK);
}

int smmu_init_driver(struct smmu_hyp *hyp, const void *fdt, size_t fdt_size)
{
	uint32_t i;
	int ret;

	plat_lock(&hyp->lock);
	if (hyp->kern == NULL)
		ret = SMMU_ENODEV;
	else if (hyp->phase == SMMU_PHASE_READY)
		ret = SMMU_EBUSY;
	else if (hyp->phase != SMMU_PHASE_REGISTERED)
		ret = SMMU_EPERM;
	else
		ret = probe_fdt(hyp, fdt, fdt_size);
	if (ret == SMMU_OK) {
		pa_t scratch;

		ret = pool_alloc(&hyp->pool, 1, &scratch);
		hyp->scratch = pa_val(scratch);
	}
	for (i = 0; ret == SMMU_OK && i < hyp->dev_count; i++)
		ret = probe_takeover(hyp, &hyp->dev[i]);
	/* The snapshot of host ownership; from now on every change updates it. */
	if (ret == SMMU_OK)
		ret = idmap_init(hyp);
	if (ret == SMMU_OK) {
		hyp->phase = SMMU_PHASE_READY;
	} else if (hyp->phase == SMMU_PHASE_REGISTERED) {
		/* Remove on failure: every SMMU and its MMIO goes back. */
		release_all(hyp);
	}
	plat_unlock(&hyp->lock);
	return ret;
}

void smmu_remove_driver(struct smmu_hyp *hyp)
{
	plat_lock(&hyp->lock);
	if (hyp->phase == SMMU_PHASE_READY) {
		release_all(hyp);
		hyp->phase = SMMU_PHASE_REGISTERED;
	}
	plat_unlock(&hyp->lock);
}

int smmu_deprivilege(struct smmu_hyp *hyp)
{
	int ret = SMMU_EPERM;

	plat_lock(&hyp->lock);
	if (hyp->phase == SMMU_PHASE_READY) {
		hyp->phase = SMMU_PHASE_LIVE;
		ret = SMMU_OK;
	}
	plat_unlock(&hyp->lock);
	return ret;
}

static const char *const req_sites[SMMU_REQ_COUNT] = {
	[SMMU_REQ_SHARE_HYP] = "own.share_hyp",
	[SMMU_REQ_UNSHARE_HYP] = "own.unshare_hyp",
	[SMMU_REQ_DONATE_HYP] = "own.donate_hyp",
	[SMMU_REQ_RECLAIM_HYP] = "own.reclaim_hyp",
	[SMMU_REQ_DONATE_GUEST] = "own.donate_guest",
	[SMMU_REQ_RECLAIM_GUEST] = "own.reclaim_guest",
	[SMMU_REQ_DONATE_MMIO] = "own.donate_mmio",
	[SMMU_REQ_RETURN_MMIO] = "own.return_mmio",
};

static int do_request(struct smmu_hyp *hyp, enum smmu_host_req req, pa_t pa)
{
	switch (req) {
	case SMMU_REQ_SHARE_HYP:
		return owner_host_share_hyp(hyp, pa);
	case SMMU_REQ_UNSHARE_HYP:
		return owner_host_unshare_hyp(hyp, pa);
	case SMMU_REQ_DONATE_HYP:
		return owner_host_donate_hyp(hyp, pa);
	case SMMU_REQ_RECLAIM_HYP:
		return owner_hyp_donate_host(hyp, pa);
	case SMMU_REQ_DONATE_GUEST:
		return owner_host_donate_guest(hyp, pa);
	case SMMU_REQ_RECLAIM_GUEST:
		return owner_guest_donate_host(hyp, pa);
	case SMMU_REQ_DONATE_MMIO:
		return owner_host_donate_hyp_mmio(hyp, pa);
	case SMMU_REQ_RETURN_MMIO:
		return owner_hyp_donate_host_mmio(hyp, pa);
	case SMMU_REQ_COUNT:
		break;
	}
	return SMMU_EINVAL;
}

int smmu_host_request(struct smmu_hyp *hyp, enum smmu_host_req req, pa_t pa)
{
	int ret;

	if ((unsigned)req >= SMMU_REQ_COUNT)
		return SMMU_EINVAL;
	if (INJECT(B18)) {	/* "one page, one call: no lock needed" */
		if (hyp->phase != SMMU_PHASE_LIVE)
			return SMMU_EPERM;
		ret = do_request(hyp, req, pa);
		if (ret != SMMU_OK)
			REJECT(req_sites[req]);
		return ret;
	}
	plat_lock(&hyp->lock);
	if (hyp->phase != SMMU_PHASE_LIVE)
		ret = SMMU_EPERM;
	else
		ret = do_request(hyp, req, pa);
	plat_unlock(&hyp->lock);
	if (ret != SMMU_OK)
		REJECT(req_sites[req]);
	return ret;
}

bool smmu_range_is_memory(const struct smmu_hyp *hyp, uint64_t base,
			  uint64_t size)
{
	uint32_t i;

	if (size == 0 || base + size < base)
		return false;
	for (i = 0; i < hyp->mem_count; i++) {
		const struct smmu_range *r = &hyp->mem[i];

		if (base >= r->base && base - r->base < r->size &&
		    size <= r->size - (base - r->base))
			return true;
	}
	return false;
}

bool smmu_addr_is_memory(const struct smmu_hyp *hyp, pa_t pa)
{
	return smmu_range_is_memory(hyp, pa_val(pa), 1);
}

const char *smmu_strerror(int err)
{
	switch (err) {
	case SMMU_OK:
		return "success";
	case SMMU_EPERM:
		return "operation not permitted";
	case SMMU_ENOENT:
		return "no such mapping";
	case SMMU_ENOMEM:
		return "out of pool memory";
	case SMMU_EBUSY:
		return "busy";
	case SMMU_ENODEV:
		return "no such device (no IOMMU driver, or unsupported SMMU)";
	case SMMU_EINVAL:
		return "invalid argument";
	case SMMU_ERANGE:
		return "out of range";
	case SMMU_ETIMEDOUT:
		return "timed out";
	default:
		return "unknown error";
	}
}
