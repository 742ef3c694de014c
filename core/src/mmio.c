// SPDX-License-Identifier: MIT
/*
 * The trap entry point: decode a host access to an SMMU window against the
 * table of emulated registers (offset order, as in the spec), check its
 * width, and dispatch. Anything not in the table is refused: RAZ/WI.
 */
#include "priv.h"

#define R(off, w, kind, idx) { (off), (w), (kind), (idx) }

static const struct smmu_reg_desc mmio_table[] = {
	R(SMMU_IDR0, 4, REG_IDR0, 0),
	R(SMMU_IDR1, 4, REG_IDR1, 0),
	R(SMMU_IDR2, 4, REG_RO_ZERO, 0),	/* VATOS hidden */
	R(SMMU_IDR3, 4, REG_RO_PASS, 0),
	R(SMMU_IDR4, 4, REG_RO_ZERO, 0),	/* IMPDEF hidden */
	R(SMMU_IDR5, 4, REG_RO_PASS, 0),
	R(SMMU_IIDR, 4, REG_RO_PASS, 0),
	R(SMMU_AIDR, 4, REG_RO_PASS, 0),
	R(SMMU_CR0, 4, REG_CR0, 0),
	R(SMMU_CR0ACK, 4, REG_CR0ACK, 0),
	R(SMMU_CR1, 4, REG_CR1, 0),
	R(SMMU_CR2, 4, REG_CR2, 0),
	R(SMMU_STATUSR, 4, REG_RO_ZERO, 0),
	R(SMMU_GBPA, 4, REG_GBPA, 0),
	R(SMMU_AGBPA, 4, REG_RO_ZERO, 0),
	R(SMMU_IRQ_CTRL, 4, REG_IRQ_CTRL, 0),
	R(SMMU_IRQ_CTRLACK, 4, REG_IRQ_CTRLACK, 0),
	R(SMMU_GERROR, 4, REG_GERROR, 0),
	R(SMMU_GERRORN, 4, REG_GERRORN, 0),
	R(SMMU_GERROR_IRQ_CFG0, 8, REG_IRQ_CFG0, 0),
	R(SMMU_GERROR_IRQ_CFG1, 4, REG_IRQ_CFG1, 0),
	R(SMMU_GERROR_IRQ_CFG2, 4, REG_IRQ_CFG2, 0),
	R(SMMU_STRTAB_BASE, 8, REG_STRTAB_BASE, 0),
	R(SMMU_STRTAB_BASE_CFG, 4, REG_STRTAB_CFG, 0),
	R(SMMU_CMDQ_BASE, 8, REG_CMDQ_BASE, 0),
	R(SMMU_CMDQ_PROD, 4, REG_CMDQ_PROD, 0),
	R(SMMU_CMDQ_CONS, 4, REG_CMDQ_CONS, 0),
	R(SMMU_EVTQ_BASE, 8, REG_EVTQ_BASE, 0),
	R(SMMU_EVTQ_PROD, 4, REG_Q_PROD, 1),
	R(SMMU_EVTQ_CONS, 4, REG_Q_CONS, 1),
	R(SMMU_EVTQ_IRQ_CFG0, 8, REG_IRQ_CFG0, 1),
	R(SMMU_EVTQ_IRQ_CFG1, 4, REG_IRQ_CFG1, 1),
	R(SMMU_EVTQ_IRQ_CFG2, 4, REG_IRQ_CFG2, 1),
	R(SMMU_PRIQ_BASE, 8, REG_PRIQ_BASE, 0),
	R(SMMU_PRIQ_PROD, 4, REG_Q_PROD, 2),
	R(SMMU_PRIQ_CONS, 4, REG_Q_CONS, 2),
	R(SMMU_PRIQ_IRQ_CFG0, 8, REG_IRQ_CFG0, 2),
	R(SMMU_PRIQ_IRQ_CFG1, 4, REG_IRQ_CFG1, 2),
	R(SMMU_PRIQ_IRQ_CFG2, 4, REG_IRQ_CFG2, 2),
	R(SMMU_PAGE1(SMMU_EVTQ_PROD), 4, REG_Q_PROD, 1),
	R(SMMU_PAGE1(SMMU_EVTQ_CONS), 4, REG_Q_CONS, 1),
	R(SMMU_PAGE1(SMMU_PRIQ_PROD), 4, REG_Q_PROD, 2),
	R(SMMU_PAGE1(SMMU_PRIQ_CONS), 4, REG_Q_CONS, 2),
};

#define MMIO_TABLE_COUNT (sizeof(mmio_table) / sizeof(mmio_table[0]))

const struct smmu_reg_desc *mmio_lookup(uint32_t offset)
{
	uint32_t lo = 0, hi = MMIO_TABLE_COUNT;

	/* Binary search: the table is sorted by offset (checked by a test). */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2U;

		if (mmio_table[mid].offset == offset)
			return &mmio_table[mid];
		if (mmio_table[mid].offset < offset)
			lo = mid + 1U;
		else
			hi = mid;
	}
	return NULL;
}

static bool reg_is_read_only(const struct smmu_reg_desc *r)
{
	switch (r->kind) {
	case REG_RO_PASS:
	case REG_RO_ZERO:
	case REG_IDR0:
	case REG_IDR1:
	case REG_CR0ACK:
	case REG_IRQ_CTRLACK:
	case REG_GERROR:
		return true;
	default:
		return false;
	}
}

/* Peripheral and component ID registers: harmless identification values. */
static bool is_id_reg(uint32_t off)
{
	return off >= SMMU_PIDR_BASE && off < 0x1000U;
}

static void emulate(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t off,
		    unsigned size, bool write, uint64_t *val)
{
	const struct smmu_reg_desc *r;

	if (!write)
		*val = 0;
	if (size != 4U && size != 8U) {
		REJECT("mmio.subword_access");
		return;
	}
	if ((off & (size - 1U)) != 0) {
		REJECT("mmio.unaligned");
		return;
	}
	r = mmio_lookup(off);
	if (r == NULL) {
		if (!write && size == 4U && is_id_reg(off)) {
			*val = hw_read32(dev, off);
			return;
		}
		REJECT("mmio.unknown_register");
		return;
	}
	if (r->width != size) {
		REJECT("mmio.wrong_width");
		return;
	}
	if (!write) {
		*val = ctrl_read(hyp, dev, r);
		return;
	}
	if (reg_is_read_only(r)) {
		REJECT("mmio.write_to_read_only");
		return;
	}
	ctrl_write(hyp, dev, r, size == 4U ? (uint32_t)*val : *val);
}

struct smmu_dev *smmu_dev_at(struct smmu_hyp *hyp, pa_t pa)
{
	uint32_t i;

	for (i = 0; i < hyp->dev_count; i++) {
		struct smmu_dev *dev = &hyp->dev[i];

		if (dev->probed && pa_val(pa) >= dev->mmio_pa &&
		    pa_val(pa) - dev->mmio_pa < dev->mmio_size)
			return dev;
	}
	return NULL;
}

enum smmu_dabt_result smmu_dabt(struct smmu_hyp *hyp, pa_t pa, unsigned size,
				bool write, uint64_t *val)
{
	struct smmu_dev *dev;
	uint64_t off;

	if (hyp->phase != SMMU_PHASE_READY && hyp->phase != SMMU_PHASE_LIVE)
		return SMMU_DABT_NOT_OURS;
	dev = smmu_dev_at(hyp, pa);
	if (dev == NULL)
		return SMMU_DABT_NOT_OURS;
	off = pa_val(pa) - dev->mmio_pa;
	/* Lock order: instance (page states, pool) before device. */
	plat_lock(&hyp->lock);
	plat_lock(&dev->lock);
	if (off >= SMMU_MMIO_SIZE) {
		/* Beyond the two architected pages of a larger window. */
		if (!write)
			*val = 0;
		REJECT("mmio.unknown_register");
	} else {
		emulate(hyp, dev, (uint32_t)off, size, write, val);
	}
	plat_unlock(&dev->lock);
	plat_unlock(&hyp->lock);
	return SMMU_DABT_HANDLED;
}
