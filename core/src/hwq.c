// SPDX-License-Identifier: MIT
/*
 * The hypervisor's command queue on the real SMMU: a ring in pool memory
 * that only the core writes. Host commands that pass the filter and the
 * hypervisor's own invalidations are appended here, the doorbell is rung
 * once per batch, and every wait for consumption is bounded.
 */
#include "priv.h"

static uint32_t hwq_log2(const struct smmu_dev *dev)
{
	return dev->hw.cmdq_log2 < SMMU_HWQ_LOG2 ? dev->hw.cmdq_log2
						 : SMMU_HWQ_LOG2;
}

/* wrap|index mask and index mask of the shadow queue. */
static uint32_t q_wrapmask(const struct smmu_dev *dev)
{
	return (2U << hwq_log2(dev)) - 1U;
}

static uint32_t q_idx(const struct smmu_dev *dev, uint32_t v)
{
	return v & ((1U << hwq_log2(dev)) - 1U);
}

static uint64_t *hwq_slot(const struct smmu_dev *dev, uint32_t idx)
{
	uint64_t *q = plat_hyp_va(pa_init(dev->hwq.pa));

	BUG_ON(q == NULL);
	return q + (size_t)idx * CMDQ_ENT_DWORDS;
}

int hwq_init(struct smmu_hyp *hyp, struct smmu_dev *dev)
{
	pa_t pa;
	int ret;

	BUG_ON((SMMU_HWQ_ENTRIES * 16U) > SMMU_PAGE_SIZE);
	ret = pool_alloc(&hyp->pool, 0, &pa);
	if (ret != SMMU_OK)
		return ret;
	dev->hwq.pa = pa_val(pa);
	dev->hwq.prod = 0;
	hw_write64(dev, SMMU_CMDQ_BASE,
		   pa_val(pa) | Q_BASE_RWA | FIELD_PREP(Q_BASE_LOG2SIZE, hwq_log2(dev)));
	hw_write32(dev, SMMU_CMDQ_PROD, 0);
	hw_write32(dev, SMMU_CMDQ_CONS, 0);
	return SMMU_OK;
}

uint32_t hwq_space(struct smmu_dev *dev)
{
	uint32_t mask = q_wrapmask(dev);
	uint32_t cons = hw_read32(dev, SMMU_CMDQ_CONS) & mask;
	uint32_t used = (dev->hwq.prod - cons) & mask;
	uint32_t size = 1U << hwq_log2(dev);

	/* A CONS we never published would be a hardware fault; treat as full. */
	return used > size ? 0 : size - used;
}

void hwq_append(struct smmu_dev *dev, const uint64_t cmd[2], uint32_t src)
{
	uint32_t idx = q_idx(dev, dev->hwq.prod);
	uint64_t *slot = hwq_slot(dev, idx);

	slot[0] = cmd[0];
	slot[1] = cmd[1];
	plat_dma_publish(slot, 16);
	dev->hwq.src[idx] = src;
	dev->hwq.prod = (dev->hwq.prod + 1U) & q_wrapmask(dev);
}

static bool hw_cmdq_err_active(const struct smmu_dev *dev)
{
	return ((hw_read32(dev, SMMU_GERROR) ^ hw_read32(dev, SMMU_GERRORN)) &
		GERROR_CMDQ_ERR) != 0;
}

/* Replace slots [from, to) with CMD_SYNCs (a harmless command). */
static void neutralise(struct smmu_dev *dev, uint32_t from, uint32_t to)
{
	uint32_t mask = q_wrapmask(dev), i;

	for (i = from & mask; i != (to & mask); i = (i + 1U) & mask) {
		uint64_t *slot = hwq_slot(dev, q_idx(dev, i));

		slot[0] = CMDQ_OP_CMD_SYNC;
		slot[1] = 0;
		plat_dma_publish(slot, 16);
	}
}

static void ack_cmdq_err(struct smmu_dev *dev)
{
	uint32_t gerror = hw_read32(dev, SMMU_GERROR);

	hw_write32(dev, SMMU_GERRORN,
		   (hw_read32(dev, SMMU_GERRORN) & ~(uint32_t)GERROR_CMDQ_ERR) |
		   (gerror & GERROR_CMDQ_ERR));
}

/*
 * The hardware stopped on the command at @cons. If it belongs to the batch
 * being synced, that is the host's error to see: the command and the rest
 * of the batch are neutralised. If it is left over from an earlier batch
 * that timed out (its host was already told), only that command is.
 * Either way the hypervisor acknowledges, so its queue keeps working.
 */
static void hwq_recover(struct smmu_dev *dev, uint32_t cons, struct hwq_result *res)
{
	uint32_t mask = q_wrapmask(dev);
	uint32_t at = (cons - dev->hwq.batch) & mask;
	uint32_t len = (dev->hwq.prod - dev->hwq.batch) & mask;

	if (at < len && !res->failed) {
		res->failed = true;
		res->cerror = (uint32_t)FIELD_GET(CMDQ_CONS_ERR, cons);
		res->src = dev->hwq.src[q_idx(dev, cons)];
		res->at = cons & mask;
		neutralise(dev, cons, dev->hwq.prod);
	} else {
		neutralise(dev, cons, cons + 1U);
	}
	ack_cmdq_err(dev);
}

void hwq_sync(struct smmu_dev *dev, struct hwq_result *res)
{
	uint32_t mask = q_wrapmask(dev);
	struct hw_deadline d;

	res->err = SMMU_OK;
	res->failed = false;
	res->cerror = CERROR_NONE;
	res->src = HWQ_SRC_HYP;
	plat_wmb();
	hw_write32(dev, SMMU_CMDQ_PROD, dev->hwq.prod);
	hw_deadline_start(&d);
	do {
		uint32_t cons = hw_read32(dev, SMMU_CMDQ_CONS);

		if ((cons & mask) == dev->hwq.prod)
			break;
		/* CONS is stable once the error is raised; the value read
		 * above may predate it. */
		if (hw_cmdq_err_active(dev))
			hwq_recover(dev, hw_read32(dev, SMMU_CMDQ_CONS), res);
	} while (!hw_deadline_expired(&d));
	if ((hw_read32(dev, SMMU_CMDQ_CONS) & mask) != dev->hwq.prod)
		res->err = SMMU_ETIMEDOUT;
	/* Whatever is still queued now belongs to a batch that is over. */
	dev->hwq.batch = dev->hwq.prod;
}

#define HWQ_TRIES	3U	/* of one hypervisor command after fetch aborts */

int hwq_issue_sync(struct smmu_dev *dev, const uint64_t cmd[2])
{
	uint64_t sync[2] = { CMDQ_OP_CMD_SYNC, 0 };
	struct hwq_result res;
	uint32_t tries, sync_at;

	/*
	 * Drain what an earlier timed-out batch left behind first, so that a
	 * late failure of a host command cannot neutralise ours. That batch
	 * was already reported to the host as far as it could be.
	 */
	if (hwq_space(dev) != (1U << hwq_log2(dev))) {
		hwq_sync(dev, &res);
		if (res.err != SMMU_OK)
			return SMMU_ETIMEDOUT;
	}
	for (tries = 0; tries < HWQ_TRIES; tries++) {
		hwq_append(dev, cmd, HWQ_SRC_HYP);
		sync_at = dev->hwq.prod;
		hwq_append(dev, sync, HWQ_SRC_HYP);
		hwq_sync(dev, &res);
		if (res.err != SMMU_OK || !res.failed)
			return res.err;
		/* The hypervisor only issues commands the hardware supports. */
		if (INJECT(R2) || INJECT(R5))	/* any failure blamed on our own */
			BUG_ON(res.failed);
		BUG_ON(res.cerror == CERROR_ILL);
		/* Our SYNC reporting an ATC invalidation that failed before it:
		 * our command ahead of it has completed. */
		if (res.cerror == CERROR_ATC_INV_SYNC && res.at == sync_at)
			return SMMU_OK;
		/* A fetch abort (or any other error): nothing of ours is known
		 * to have run, so issue it again, a bounded number of times. */
	}
	return SMMU_ETIMEDOUT;
}
