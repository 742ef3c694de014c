// SPDX-License-Identifier: MIT
/*
 * The trap entry point: decode a host access to an SMMU window against the
 * table of emulated registers (offset order, as in the spec), check its
 * width, and dispatch. Anything not in the table is refused: RAZ/WI.
 */
#include "priv.h"

/*
 * Register table, indexed directly by offset / 4: an O(1) decode at EL2 and
 * no search for the host's hostile offsets to steer. Page 0 registers live
 * below SMMU_REG_WINDOW; page 1 holds only the EVTQ/PRIQ pointers.
 */
#define R(off, w, k, i) [(off) / 4U] = { (off), (w), (k), (i), 1, reg_ro(k) }

/* Registers the host may only read. */
#define reg_ro(k) ((k) == REG_RO_PASS || (k) == REG_RO_ZERO ||           \
		   (k) == REG_IDR0 || (k) == REG_IDR1 || (k) == REG_CR0ACK || \
		   (k) == REG_IRQ_CTRLACK || (k) == REG_GERROR)
#define PAGE0_SLOTS (SMMU_REG_WINDOW / 4U)
#define PAGE1_SLOTS ((SMMU_PRIQ_CONS + 4U) / 4U)

static const struct smmu_reg_desc page0[PAGE0_SLOTS] = {
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
};

/* Page 1, by offset within the page (the page-0 offsets of the pointers). */
static const struct smmu_reg_desc page1[PAGE1_SLOTS] = {
	[SMMU_EVTQ_PROD / 4U] = { SMMU_PAGE1(SMMU_EVTQ_PROD), 4, REG_Q_PROD, 1, 1, 0 },
	[SMMU_EVTQ_CONS / 4U] = { SMMU_PAGE1(SMMU_EVTQ_CONS), 4, REG_Q_CONS, 1, 1, 0 },
	[SMMU_PRIQ_PROD / 4U] = { SMMU_PAGE1(SMMU_PRIQ_PROD), 4, REG_Q_PROD, 2, 1, 0 },
	[SMMU_PRIQ_CONS / 4U] = { SMMU_PAGE1(SMMU_PRIQ_CONS), 4, REG_Q_CONS, 2, 1, 0 },
};

const struct smmu_reg_desc *mmio_lookup(uint32_t offset)
{
	const struct smmu_reg_desc *r = NULL;

	if ((offset & 3U) != 0)
		return NULL;
	if (offset < SMMU_REG_WINDOW)
		r = &page0[offset / 4U];
	else if (offset >= SMMU_PAGE0_SIZE &&
		 offset - SMMU_PAGE0_SIZE < PAGE1_SLOTS * 4U)
		r = &page1[(offset - SMMU_PAGE0_SIZE) / 4U];
	return r != NULL && r->present ? r : NULL;
}

/* Peripheral and component ID registers: harmless identification values. */
static bool is_id_reg(uint32_t off)
{
	return off >= SMMU_PIDR_BASE && off < 0x1000U;
}

/* The access did not match a register exactly: say why, and read zero.
 * Kept out of line: it is the cold path, and fuzz builds trace it. */
static __attribute__((noinline, cold)) void refuse(struct smmu_dev *dev, const struct smmu_reg_desc *r,
		   uint32_t off, unsigned size, bool write, uint64_t *val)
{
	if (size != 4U && size != 8U) {
		REJECT("mmio.subword_access");
	} else if ((off & (size - 1U)) != 0) {
		REJECT("mmio.unaligned");
	} else if (r == NULL) {
		if (!write && size == 4U && is_id_reg(off)) {
			*val = hw_read32(dev, off);
			return;
		}
		REJECT("mmio.unknown_register");
	} else {
		REJECT("mmio.wrong_width");
	}
}

/* The common case is one table lookup and one comparison. */
static void emulate(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t off,
		    unsigned size, bool write, uint64_t *val)
{
	const struct smmu_reg_desc *r = mmio_lookup(off);

	if (!write)
		*val = 0;
	if (r == NULL || r->width != size) {
		refuse(dev, r, off, size, write, val);
		return;
	}
	if (!write) {
		*val = ctrl_read(hyp, dev, r);
		return;
	}
	if (r->ro) {
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
