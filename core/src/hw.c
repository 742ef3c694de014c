// SPDX-License-Identifier: MIT
/* Accesses to the real SMMU: register I/O and the bounded polls built on it. */
#include "priv.h"

uint32_t hw_read32(const struct smmu_dev *dev, uint32_t off)
{
	return plat_mmio_read32(dev->base + off);
}

void hw_write32(const struct smmu_dev *dev, uint32_t off, uint32_t val)
{
	plat_mmio_write32(dev->base + off, val);
}

void hw_write64(const struct smmu_dev *dev, uint32_t off, uint64_t val)
{
	plat_mmio_write64(dev->base + off, val);
}

void hw_deadline_start(struct hw_deadline *d)
{
	d->start = plat_ticks();
	d->limit = (uint64_t)SMMU_POLL_TIMEOUT_US * plat_ticks_per_us();
	d->spins = 0;
}

/*
 * True once the wait has used up its time, or its spin budget should the
 * clock not advance: either way every poll in the core ends.
 */
bool hw_deadline_expired(struct hw_deadline *d)
{
	if (++d->spins >= SMMU_POLL_MAX_SPINS ||
	    plat_ticks() - d->start >= d->limit)
		return true;
	plat_relax();
	return false;
}

int hw_poll32(const struct smmu_dev *dev, uint32_t off, uint32_t mask,
	      uint32_t want)
{
	struct hw_deadline d;

	hw_deadline_start(&d);
	do {
		if ((hw_read32(dev, off) & mask) == want)
			return SMMU_OK;
	} while (!hw_deadline_expired(&d));
	return SMMU_ETIMEDOUT;
}

int hw_write_cr0(struct smmu_dev *dev, uint32_t cr0)
{
	dev->hw_cr0 = cr0;
	hw_write32(dev, SMMU_CR0, cr0);
	return hw_poll32(dev, SMMU_CR0ACK, CR0_ALLOWED, cr0 & CR0_ALLOWED);
}
