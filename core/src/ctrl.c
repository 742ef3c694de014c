// SPDX-License-Identifier: MIT
/*
 * Emulation of the control registers: ID registers, CR0/CR0ACK and the
 * enable/disable side effects, CR1, CR2, GBPA, IRQ_CTRL, GERROR/GERRORN and
 * the MSI configuration, plus the dispatch to the queue and stream-table
 * registers. The host's view lives in dev->host; the hardware keeps the
 * hypervisor's configuration.
 */
#include "priv.h"

/* Features the host must not see: stage 2, EL2 streams, MSI, ATOS/VMW, ATS
 * and PRI (which needs ATS). */
#define IDR0_HIDDEN (IDR0_S2P | IDR0_HYP | IDR0_MSI | IDR0_VMID16 | \
		     IDR0_ATOS | IDR0_VATOS | IDR0_NS1ATS | IDR0_VMW | IDR0_ST_LVL | \
		     IDR0_ATS | IDR0_PRI)
#define IDR1_HIDDEN (IDR1_TABLES_PRESET | IDR1_QUEUES_PRESET | IDR1_REL | \
		     IDR1_ECMDQ)

/* CR0 bits the hardware carries for the host; CMDQEN is emulated. */
#define CR0_PASSTHRU (CR0_SMMUEN | CR0_EVTQEN | CR0_PRIQEN | CR0_ATSCHK)

static const uint32_t q_page1_prod[3] = {
	0, SMMU_PAGE1(SMMU_EVTQ_PROD), SMMU_PAGE1(SMMU_PRIQ_PROD)
};

static uint32_t host_idr0(const struct smmu_dev *dev)
{
	uint32_t hidden = (uint32_t)IDR0_HIDDEN & ~(INJECT(B14) ? (uint32_t)IDR0_MSI : 0U);
	uint32_t v = dev->hw.idr[0] & ~hidden;

	if (dev->hw.st_2lvl)
		v |= (uint32_t)FIELD_PREP(IDR0_ST_LVL, IDR0_ST_LVL_2LVL);
	return v;
}

static uint32_t host_cr0ack(struct smmu_hyp *hyp, struct smmu_dev *dev)
{
	uint32_t ack = hw_read32(dev, SMMU_CR0ACK);

	queue_release_pending(hyp, dev);
	return (ack & CR0_PASSTHRU) | (dev->host.cr0_eff & CR0_CMDQEN);
}

static uint32_t host_gerror(const struct smmu_dev *dev)
{
	return (hw_read32(dev, SMMU_GERROR) & ~(uint32_t)GERROR_CMDQ_ERR) |
	       (dev->host.gerror_cmdq & GERROR_CMDQ_ERR);
}

uint64_t ctrl_read(struct smmu_hyp *hyp, struct smmu_dev *dev,
		   const struct smmu_reg_desc *r)
{
	switch ((enum smmu_reg_kind)r->kind) {
	case REG_RO_PASS:
		return hw_read32(dev, r->offset);
	case REG_RO_ZERO:
		return 0;
	case REG_IDR0:
		return host_idr0(dev);
	case REG_IDR1:
		/* SIDSIZE: what the shadow stream table covers. */
		return (uint32_t)FIELD_SET(IDR1_SIDSIZE, dev->hw.idr[1] & ~(uint32_t)IDR1_HIDDEN,
					   dev->hw.st_sid_bits);
	case REG_CR0:
		return dev->host.cr0;
	case REG_CR0ACK:
		return host_cr0ack(hyp, dev);
	case REG_CR1:
		return dev->host.cr1;
	case REG_CR2:
		return dev->host.cr2;
	case REG_GBPA:
		/* Always aborting; an attempt to clear it never completes. */
		return GBPA_ABORT | (dev->host.gbpa_stuck ? GBPA_UPDATE : 0U);
	case REG_IRQ_CTRL:
		return dev->host.irq_ctrl;
	case REG_IRQ_CTRLACK:
		return hw_read32(dev, SMMU_IRQ_CTRLACK);
	case REG_GERROR:
		return host_gerror(dev);
	case REG_GERRORN:
		return dev->host.gerrorn;
	case REG_IRQ_CFG0:
		return dev->host.irq_cfg0[r->idx];
	case REG_IRQ_CFG1:
		return dev->host.irq_cfg1[r->idx];
	case REG_IRQ_CFG2:
		return dev->host.irq_cfg2[r->idx];
	case REG_STRTAB_BASE:
		return dev->host.strtab_base;
	case REG_STRTAB_CFG:
		return dev->host.strtab_cfg;
	case REG_CMDQ_BASE:
		return dev->host.cmdq_base;
	case REG_CMDQ_PROD:
		return dev->host.cmdq_prod;
	case REG_CMDQ_CONS:
		return cmdq_cons_read(dev);
	case REG_EVTQ_BASE:
		return dev->host.evtq_base;
	case REG_PRIQ_BASE:
		return dev->host.priq_base;
	case REG_Q_PROD:
		return hw_read32(dev, q_page1_prod[r->idx]);
	case REG_Q_CONS:
		return hw_read32(dev, q_page1_prod[r->idx] + 4U);
	}
	BUG_ON(1);
	return 0;
}

/*
 * CR0: compare the request with the bits in force, run each transition's
 * side effect, and only then let the hardware see the pass-through bits.
 * A refused transition leaves its bit clear in cr0_eff, so CR0ACK never
 * acknowledges it and a later write retries it.
 */
static void cr0_write(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t val)
{
	uint32_t eff = dev->host.cr0_eff;
	uint32_t on = val & ~eff, off = eff & ~val;

	if ((val & ~(uint32_t)CR0_ALLOWED) != 0) {
		REJECT("cr0.reserved_bits");
		return;
	}
	if ((val & CR0_PRIQEN) != 0 && !dev->hw.pri) {
		REJECT("cr0.priqen_without_pri");
		return;
	}
	if ((val & CR0_ATSCHK) != 0 && !dev->hw.ats) {
		REJECT("cr0.atschk_without_ats");
		return;
	}
	dev->host.cr0 = val;

	if ((off & CR0_SMMUEN) != 0) {
		/* Only the hypervisor reads the host's table: release it now. */
		owner_unpin_range(hyp, &dev->pin_strtab);
		eff &= ~(uint32_t)CR0_SMMUEN;
	}
	if ((off & CR0_CMDQEN) != 0 && queue_disable(hyp, dev, CR0_CMDQEN))
		eff &= ~(uint32_t)CR0_CMDQEN;
	if ((off & CR0_EVTQEN) != 0 && queue_disable(hyp, dev, CR0_EVTQEN))
		eff &= ~(uint32_t)CR0_EVTQEN;
	if ((off & CR0_PRIQEN) != 0 && queue_disable(hyp, dev, CR0_PRIQEN))
		eff &= ~(uint32_t)CR0_PRIQEN;

	if ((on & CR0_CMDQEN) != 0 && queue_enable(hyp, dev, CR0_CMDQEN))
		eff |= CR0_CMDQEN;
	if ((on & CR0_EVTQEN) != 0 && queue_enable(hyp, dev, CR0_EVTQEN))
		eff |= CR0_EVTQEN;
	if ((on & CR0_PRIQEN) != 0 && queue_enable(hyp, dev, CR0_PRIQEN))
		eff |= CR0_PRIQEN;
	eff = (eff & ~(uint32_t)CR0_ATSCHK) | (val & CR0_ATSCHK);
	if ((on & CR0_SMMUEN) != 0) {
		if ((eff & CR0_CMDQEN) == 0)
			REJECT("cr0.smmuen_without_cmdq");
		else if (strtab_enable(hyp, dev))
			eff |= CR0_SMMUEN;
	}
	dev->host.cr0_eff = eff;

	/* The hypervisor's own queue stays enabled whatever the host does. */
	(void)hw_write_cr0(dev, CR0_CMDQEN | (eff & CR0_PASSTHRU));
	queue_release_pending(hyp, dev);
	if ((on & CR0_CMDQEN) != 0 && (eff & CR0_CMDQEN) != 0)
		cmdq_resume(hyp, dev);
}

/* GBPA stays ABORT in hardware; the host's view says so (pkvm-design §6). */
static void gbpa_write(struct smmu_dev *dev, uint32_t val)
{
	if ((val & ~(uint32_t)GBPA_ALLOWED) != 0) {
		REJECT("gbpa.reserved_bits");
		return;
	}
	if (INJECT(B15))	/* "the host's GBPA, as the hardware would take it" */
		hw_write32(dev, SMMU_GBPA, val);
	if ((val & GBPA_UPDATE) == 0)
		return;	/* architecturally ignored without UPDATE */
	if ((val & GBPA_ABORT) == 0) {
		REJECT("gbpa.clear_abort");
		dev->host.gbpa_stuck = true;
		return;
	}
	dev->host.gbpa_stuck = false;
}

static void gerrorn_write(struct smmu_hyp *hyp, struct smmu_dev *dev,
			  uint32_t val)
{
	uint32_t hwn;
	bool was_active, now_active;

	if ((val & ~(uint32_t)GERRORN_ALLOWED) != 0) {
		REJECT("gerrorn.reserved_bits");
		return;
	}
	was_active = ((dev->host.gerror_cmdq ^ dev->host.gerrorn) &
		      GERROR_CMDQ_ERR) != 0;
	dev->host.gerrorn = val;
	now_active = ((dev->host.gerror_cmdq ^ val) & GERROR_CMDQ_ERR) != 0;

	/* The hypervisor acknowledges its own queue's errors itself. */
	hwn = hw_read32(dev, SMMU_GERRORN);
	hw_write32(dev, SMMU_GERRORN, (val & ~(uint32_t)GERROR_CMDQ_ERR) |
				      (hwn & GERROR_CMDQ_ERR));
	if (was_active && !now_active) {
		dev->host.cmdq_cons &= ~(uint32_t)CMDQ_CONS_ERR;
		cmdq_resume(hyp, dev);
	}
}

static bool check_bits(uint64_t val, uint64_t allowed, const char *site)
{
	if ((val & ~allowed) != 0) {
		REJECT(site);
		return false;
	}
	return true;
}

/*
 * Queue base registers. The event and PRI queue bases also go to the
 * hardware (@hw_off), so that PROD/CONS wrap the way the host expects; the
 * hardware writes nothing there until the enable path has checked and
 * pinned the pages.
 */
static void base_write(struct smmu_dev *dev, uint64_t *slot, uint64_t val,
		       uint32_t enable_bit, const struct smmu_pin *pin,
		       uint32_t hw_off, const char *site_enabled,
		       const char *site_bits)
{
	/* A queue still draining to its old base counts as enabled. */
	if (!INJECT(B1) && ((dev->host.cr0_eff & enable_bit) != 0 ||
			    (pin != NULL && pin->release_pending))) {
		REJECT(site_enabled);
		return;
	}
	if (!check_bits(val, Q_BASE_ALLOWED, site_bits))
		return;
	*slot = val;
	if (hw_off != 0)
		hw_write64(dev, hw_off, val);
}

void ctrl_write(struct smmu_hyp *hyp, struct smmu_dev *dev,
		const struct smmu_reg_desc *r, uint64_t val)
{
	uint32_t v32 = (uint32_t)val;

	switch ((enum smmu_reg_kind)r->kind) {
	case REG_CR0:
		cr0_write(hyp, dev, v32);
		return;
	case REG_CR1:
		if (v32 != CR1_LINUX) {
			REJECT("cr1.not_the_fixed_value");
			return;
		}
		dev->host.cr1 = v32;
		return;
	case REG_CR2:
		if (!check_bits(v32, CR2_ALLOWED, "cr2.reserved_bits"))
			return;
		if ((v32 & CR2_E2H) != 0) {
			REJECT("cr2.e2h_without_hyp");
			return;
		}
		dev->host.cr2 = v32;
		hw_write32(dev, SMMU_CR2, v32);
		return;
	case REG_GBPA:
		gbpa_write(dev, v32);
		return;
	case REG_IRQ_CTRL:
		if (!check_bits(v32, IRQ_CTRL_ALLOWED, "irq_ctrl.reserved_bits"))
			return;
		dev->host.irq_ctrl = v32;
		/* Wired interrupts only: the MSI registers never reach HW. */
		hw_write32(dev, SMMU_IRQ_CTRL, v32);
		return;
	case REG_GERRORN:
		gerrorn_write(hyp, dev, v32);
		return;
	case REG_IRQ_CFG0:
		/* Stored, never given to the hardware: an MSI is a DMA write
		 * no STE controls, and IDR0.MSI is hidden. */
		if (check_bits(val, IRQ_CFG0_ALLOWED, "irq_cfg0.reserved_bits"))
			dev->host.irq_cfg0[r->idx] = val;
		return;
	case REG_IRQ_CFG1:
		dev->host.irq_cfg1[r->idx] = v32;
		return;
	case REG_IRQ_CFG2:
		if (check_bits(v32, IRQ_CFG2_ALLOWED, "irq_cfg2.reserved_bits"))
			dev->host.irq_cfg2[r->idx] = v32;
		return;
	case REG_STRTAB_BASE:
		if (!strtab_host_write_ok(dev))
			return;
		if (check_bits(val, STRTAB_BASE_ALLOWED,
			       "strtab_base.reserved_bits"))
			dev->host.strtab_base = val;
		return;
	case REG_STRTAB_CFG:
		if (!strtab_host_write_ok(dev))
			return;
		if (check_bits(v32, STRTAB_CFG_ALLOWED,
			       "strtab_cfg.reserved_bits"))
			dev->host.strtab_cfg = v32;
		return;
	case REG_CMDQ_BASE:
		base_write(dev, &dev->host.cmdq_base, val, CR0_CMDQEN, NULL, 0,
			   "cmdq_base.write_while_enabled",
			   "cmdq_base.reserved_bits");
		return;
	case REG_CMDQ_PROD:
		cmdq_prod_write(hyp, dev, v32);
		return;
	case REG_CMDQ_CONS:
		if ((dev->host.cr0_eff & CR0_CMDQEN) != 0) {
			REJECT("cmdq_cons.write_while_enabled");
			return;
		}
		dev->host.cmdq_cons = v32 & (uint32_t)GENMASK(dev->hw.cmdq_log2, 0);
		return;
	case REG_EVTQ_BASE:
		base_write(dev, &dev->host.evtq_base, val, CR0_EVTQEN,
			   &dev->pin_evtq, SMMU_EVTQ_BASE,
			   "evtq_base.write_while_enabled",
			   "evtq_base.reserved_bits");
		return;
	case REG_PRIQ_BASE:
		base_write(dev, &dev->host.priq_base, val, CR0_PRIQEN,
			   &dev->pin_priq, SMMU_PRIQ_BASE,
			   "priq_base.write_while_enabled",
			   "priq_base.reserved_bits");
		return;
	case REG_Q_PROD:
		hw_write32(dev, q_page1_prod[r->idx], v32);
		return;
	case REG_Q_CONS:
		hw_write32(dev, q_page1_prod[r->idx] + 4U, v32);
		return;
	case REG_RO_PASS:
	case REG_RO_ZERO:
	case REG_IDR0:
	case REG_IDR1:
	case REG_CR0ACK:
	case REG_IRQ_CTRLACK:
	case REG_GERROR:
		break;
	}
	BUG_ON(1);
}

/* The host's registers after the take-over: everything off, GBPA aborting. */
void ctrl_init_host_view(struct smmu_dev *dev)
{
	smmu_memset(&dev->host, 0, sizeof(dev->host));
}
