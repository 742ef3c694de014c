// SPDX-License-Identifier: MIT
/*
 * The host's queues as the SMMU sees them: validation of a queue base, and
 * the pages a queue occupies while enabled. The command queue is only read
 * by the hypervisor; the event and PRI queues are written by the hardware
 * itself, so their pages stay pinned until the hardware acknowledges that
 * the queue is off.
 */
#include "priv.h"

/*
 * Effective geometry of a queue base: LOG2SIZE clamped to what the
 * hardware supports, as the hardware does. The address must be aligned to
 * the queue size (the hardware would ignore the low bits otherwise, so an
 * unaligned base would make it use memory we never checked) and the queue
 * must be RAM.
 */
int queue_check_base(const struct smmu_hyp *hyp, uint64_t base,
		     unsigned log2_max, unsigned ent_dwords, uint64_t *addr,
		     uint64_t *size)
{
	unsigned log2 = (unsigned)FIELD_GET(Q_BASE_LOG2SIZE, base);
	uint64_t bytes, align;

	if (log2 > log2_max)
		log2 = log2_max;
	bytes = (1ULL << log2) * ent_dwords * 8U;
	align = bytes < 32U ? 32U : bytes;
	*addr = base & Q_BASE_ADDR_MASK;
	*size = bytes;
	if ((*addr & (align - 1U)) != 0)
		return SMMU_EINVAL;
	if (!smmu_range_is_memory(hyp, *addr, bytes))
		return SMMU_EPERM;
	return SMMU_OK;
}

struct queue_desc {
	uint32_t bit;
	uint32_t base_off;
	unsigned ent_dwords;
	const char *site_base;
	const char *site_pin;
	const char *site_busy;
};

static const struct queue_desc queues[] = {
	{ CR0_EVTQEN, SMMU_EVTQ_BASE, EVTQ_ENT_DWORDS, "evtq.enable_bad_base",
	  "evtq.enable_pages_not_host", "evtq.enable_while_draining" },
	{ CR0_PRIQEN, SMMU_PRIQ_BASE, PRIQ_ENT_DWORDS, "priq.enable_bad_base",
	  "priq.enable_pages_not_host", "priq.enable_while_draining" },
};

static struct smmu_pin *queue_pin(struct smmu_dev *dev, uint32_t bit)
{
	switch (bit) {
	case CR0_CMDQEN:
		return &dev->pin_cmdq;
	case CR0_EVTQEN:
		return &dev->pin_evtq;
	case CR0_PRIQEN:
		return &dev->pin_priq;
	default:
		BUG_ON(1);
		return NULL;
	}
}

static bool cmdq_enable(struct smmu_hyp *hyp, struct smmu_dev *dev)
{
	uint64_t addr, size;
	int ret;

	ret = queue_check_base(hyp, dev->host.cmdq_base, dev->hw.cmdq_log2,
			       CMDQ_ENT_DWORDS, &addr, &size);
	if (ret != SMMU_OK) {
		REJECT("cmdq.enable_bad_base");
		return false;
	}
	if (dev->pin_strtab.active &&
	    range_overlap(addr, size, dev->pin_strtab.base,
			  (uint64_t)dev->pin_strtab.page_count << SMMU_PAGE_SHIFT)) {
		REJECT("cmdq.overlaps_strtab");
		return false;
	}
	if (owner_pin_range(hyp, pa_init(addr), size, &dev->pin_cmdq) !=
	    SMMU_OK) {
		REJECT("cmdq.enable_pages_not_host");
		return false;
	}
	dev->host_cmdq_addr = addr;
	dev->host_cmdq_log2 = (uint8_t)__builtin_ctzll(size / 16U);
	if (INJECT(B16))	/* the host's LOG2SIZE, not the clamped one */
		dev->host_cmdq_log2 = (uint8_t)FIELD_GET(Q_BASE_LOG2SIZE, dev->host.cmdq_base);
	return true;
}

/*
 * Enable a host queue: validate its base, pin its pages and, for the
 * queues the hardware writes, program the hardware base. Returns false
 * (after a REJECT) when the enable is refused.
 */
bool queue_enable(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t bit)
{
	const struct queue_desc *q = bit == CR0_EVTQEN ? &queues[0] : &queues[1];
	struct smmu_pin *pin = queue_pin(dev, bit);
	uint64_t host_base, addr, size;
	unsigned log2_max;

	if (bit == CR0_CMDQEN)
		return cmdq_enable(hyp, dev);
	queue_release_pending(hyp, dev);
	if (pin->active) {
		REJECT(q->site_busy);
		return false;
	}
	host_base = bit == CR0_EVTQEN ? dev->host.evtq_base : dev->host.priq_base;
	log2_max = bit == CR0_EVTQEN ? dev->hw.evtq_log2 : dev->hw.priq_log2;
	if (queue_check_base(hyp, host_base, log2_max, q->ent_dwords, &addr,
			     &size) != SMMU_OK) {
		REJECT(q->site_base);
		return false;
	}
	if (!INJECT(B8) && owner_pin_range(hyp, pa_init(addr), size, pin) != SMMU_OK) {
		REJECT(q->site_pin);
		return false;
	}
	/* The hardware queue is off (pin was free), so the base may change. */
	hw_write64(dev, q->base_off, host_base);
	return true;
}

/* Disable a host queue. Returns true; the pages of a hardware-written
 * queue are released once CR0ACK shows the queue off. */
bool queue_disable(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t bit)
{
	struct smmu_pin *pin = queue_pin(dev, bit);

	if (bit == CR0_CMDQEN || INJECT(M1))
		owner_unpin_range(hyp, pin);
	else if (pin->active)
		pin->release_pending = true;
	return true;
}

/*
 * A queue's pages come back only once the hardware has acknowledged our
 * last CR0 write in full. Seeing the bit clear in CR0ACK is not enough: an
 * earlier enable may still be in flight and land after that read (found by
 * fuzz_mmio, corpus/regress/fuzz_mmio/priq-unpinned-while-enable-pending).
 */
void queue_release_pending(struct smmu_hyp *hyp, struct smmu_dev *dev)
{
	uint32_t ack;

	if (!dev->pin_evtq.release_pending && !dev->pin_priq.release_pending)
		return;
	ack = hw_read32(dev, SMMU_CR0ACK) & CR0_ALLOWED;
	if (ack != (dev->hw_cr0 & CR0_ALLOWED))
		return;
	if (dev->pin_evtq.release_pending && (ack & CR0_EVTQEN) == 0)
		owner_unpin_range(hyp, &dev->pin_evtq);
	if (dev->pin_priq.release_pending && (ack & CR0_PRIQEN) == 0)
		owner_unpin_range(hyp, &dev->pin_priq);
}
