/* SPDX-License-Identifier: MIT */
/*
 * Reference SMMUv3: the register file and the updates the driver polls for
 * (CR0ACK, GBPA.UPDATE, IRQ_CTRLACK).
 */

#include "hwm_priv.h"

/* ---- Timed updates ------------------------------------------------------ */

/*
 * Arm the countdown of an update the driver polls for. Returns true when it
 * takes effect at once; otherwise *pending counts the polls still to come
 * (HWM_STUCK uses 1 and never counts down).
 */
static bool update_start(const struct hw_model *m, uint32_t *pending)
{
	*pending = 0;
	if (m->timing == HWM_PROMPT ||
	    (m->timing == HWM_SLOW && m->delay == 0)) {
		return true;
	}
	*pending = m->timing == HWM_SLOW ? m->delay : 1U;
	return false;
}

/*
 * One poll of a register whose update is in flight. The poll still sees the
 * old state; true means the update lands right after it.
 */
static bool update_poll(const struct hw_model *m, uint32_t *pending)
{
	if (*pending == 0 || m->timing == HWM_STUCK) {
		return false;
	}
	(*pending)--;
	return *pending == 0;
}

/* Untranslated DMA reaches memory: SMMUEN not acknowledged, GBPA lets it. */
static bool bypass_open(const struct hw_model *m)
{
	return !(m->cr0ack & CR0_SMMUEN) && !(m->gbpa & GBPA_ABORT);
}

/* Count a change that opened the bypass; @was_open is the state before it. */
static void bypass_note(struct hw_model *m, bool was_open)
{
	if (!was_open && bypass_open(m)) {
		m->bypass_opened++;
	}
}

static void cr0_apply(struct hw_model *m)
{
	uint32_t old = m->cr0ack;
	bool was_open = bypass_open(m);

	m->cr0_pending = 0;
	m->cr0ack = m->cr0;
	bypass_note(m, was_open);
	/* Translation off: no transaction stays stalled. */
	if ((old & CR0_SMMUEN) && !(m->cr0ack & CR0_SMMUEN)) {
		hwm_stall_term_all(m);
	}
	if (!(m->cr0ack & CR0_CMDQEN)) {
		m->cmdq_pending = 0;
	} else if (!(old & CR0_CMDQEN)) {
		/* A queue enabled with PROD != CONS starts consuming. */
		hwm_cmdq_kick(m);
	}
}

/* The GBPA update in flight completes. */
static void gbpa_apply(struct hw_model *m)
{
	bool was_open = bypass_open(m);

	m->gbpa = m->gbpa_next;
	bypass_note(m, was_open);
}

static void gbpa_write(struct hw_model *m, uint32_t val)
{
	/* UPDATE=0 writes are ignored; so are writes while one is in flight. */
	if (!(val & GBPA_UPDATE) || m->gbpa_pending != 0) {
		return;
	}
	m->gbpa_next = val & GBPA_ALLOWED & ~GBPA_UPDATE;
	if (update_start(m, &m->gbpa_pending)) {
		gbpa_apply(m);
	}
}

static uint32_t gbpa_read(struct hw_model *m)
{
	uint32_t v;

	if (m->gbpa_pending == 0) {
		return m->gbpa;
	}
	v = m->gbpa | GBPA_UPDATE;
	if (update_poll(m, &m->gbpa_pending)) {
		gbpa_apply(m);
	}
	return v;
}

static void gerrorn_write(struct hw_model *m, uint32_t val)
{
	bool was_active = hwm_gerror_active(m, GERROR_CMDQ_ERR);

	m->gerrorn = val & hwm_gerror_mask(m);
	if (was_active && !hwm_gerror_active(m, GERROR_CMDQ_ERR)) {
		hwm_cmdq_kick(m);
	}
}

/* ---- Register file --------------------------------------------------- */

/* Page-0 offset of a 32-bit aligned register, or REG_NONE. */
static uint32_t reg_canon(uint32_t off)
{
	if ((off & 3U) != 0 || off >= SMMU_MMIO_SIZE) {
		return REG_NONE;
	}
	if (off < SMMU_PAGE0_SIZE) {
		return off;
	}
	off -= SMMU_PAGE0_SIZE;
	switch (off) {
	case SMMU_EVTQ_PROD:
	case SMMU_EVTQ_CONS:
	case SMMU_PRIQ_PROD:
	case SMMU_PRIQ_CONS:
		return off;
	default:
		return REG_NONE;
	}
}

/* Storage of the 64-bit register at 8-aligned page-0 offset @off. */
static uint64_t *reg64(struct hw_model *m, uint32_t off)
{
	switch (off) {
	case SMMU_GERROR_IRQ_CFG0:
		return &m->gerror_irq_cfg0;
	case SMMU_STRTAB_BASE:
		return &m->strtab_base;
	case SMMU_CMDQ_BASE:
		return &m->cmdq_base;
	case SMMU_EVTQ_BASE:
		return &m->evtq_base;
	case SMMU_EVTQ_IRQ_CFG0:
		return &m->evtq_irq_cfg0;
	case SMMU_PRIQ_BASE:
		return &m->priq_base;
	case SMMU_PRIQ_IRQ_CFG0:
		return &m->priq_irq_cfg0;
	default:
		return NULL;
	}
}

static void reg64_write(struct hw_model *m, uint32_t off, uint64_t val)
{
	switch (off) {
	case SMMU_GERROR_IRQ_CFG0:
		m->gerror_irq_cfg0 = val & IRQ_CFG0_ALLOWED;
		break;
	case SMMU_STRTAB_BASE:
		if (!(m->cr0ack & CR0_SMMUEN)) {
			m->strtab_base = val & STRTAB_BASE_ALLOWED;
		}
		break;
	case SMMU_CMDQ_BASE:
		if (!(m->cr0ack & CR0_CMDQEN)) {
			m->cmdq_base = val & Q_BASE_ALLOWED;
		}
		break;
	case SMMU_EVTQ_BASE:
		if (!(m->cr0ack & CR0_EVTQEN)) {
			m->evtq_base = val & Q_BASE_ALLOWED;
		}
		break;
	case SMMU_EVTQ_IRQ_CFG0:
		m->evtq_irq_cfg0 = val & IRQ_CFG0_ALLOWED;
		break;
	case SMMU_PRIQ_BASE:
		if (!(m->cr0ack & CR0_PRIQEN)) {
			m->priq_base = val & Q_BASE_ALLOWED;
		}
		break;
	case SMMU_PRIQ_IRQ_CFG0:
		m->priq_irq_cfg0 = val & IRQ_CFG0_ALLOWED;
		break;
	default:
		break;
	}
}

/*
 * The peripheral and component ID block (0xFD0-0xFFC: PIDR4-7, PIDR0-3,
 * CIDR0-3), as QEMU 10's SMMUv3 reports it; nothing depends on the
 * values, only that they read back (a real MMU-600/700 has its own part
 * numbers here).
 */
static const uint8_t id_block[12] = {
	0x04, 0x00, 0x00, 0x00,		/* PIDR4..PIDR7 */
	0x84, 0xB4, 0xF0, 0x10,		/* PIDR0..PIDR3 */
	0x0D, 0xF0, 0x05, 0xB1,		/* CIDR0..CIDR3 */
};

uint32_t hwm_read32(struct hw_model *m, uint32_t off)
{
	uint32_t reg = reg_canon(off);
	uint64_t *r64;
	uint32_t v;

	if (off >= SMMU_MMIO_SIZE) {
		return hwm_ecmdq_read32(m, off);
	}
	if (reg == REG_NONE) {
		return 0;
	}
	if (reg >= SMMU_PIDR_BASE && reg < SMMU_PIDR_BASE + 4U * sizeof(id_block)) {
		return id_block[(reg - SMMU_PIDR_BASE) / 4U];
	}
	r64 = reg64(m, reg & ~7U);
	if (r64 != NULL) {
		return (uint32_t)(*r64 >> ((reg & 4U) * 8U));
	}
	switch (reg) {
	case SMMU_IDR0:
	case SMMU_IDR1:
	case SMMU_IDR2:
	case SMMU_IDR3:
	case SMMU_IDR4:
	case SMMU_IDR5:
		return m->cfg.idr[reg / 4U];
	case SMMU_IIDR:
		return m->cfg.iidr;
	case SMMU_AIDR:
		return m->cfg.aidr;
	case SMMU_CR0:
		return m->cr0;
	case SMMU_CR0ACK:
		v = m->cr0ack;
		if (update_poll(m, &m->cr0_pending)) {
			cr0_apply(m);
		}
		return v;
	case SMMU_CR1:
		return m->cr1;
	case SMMU_CR2:
		return m->cr2;
	case SMMU_GBPA:
		return gbpa_read(m);
	case SMMU_IRQ_CTRL:
		return m->irq_ctrl;
	case SMMU_IRQ_CTRLACK:
		v = m->irq_ctrlack;
		if (update_poll(m, &m->irq_pending)) {
			m->irq_ctrlack = m->irq_ctrl;
		}
		return v;
	case SMMU_GERROR:
		return m->gerror;
	case SMMU_GERRORN:
		return m->gerrorn;
	case SMMU_GERROR_IRQ_CFG1:
		return m->gerror_irq_cfg1;
	case SMMU_GERROR_IRQ_CFG2:
		return m->gerror_irq_cfg2;
	case SMMU_STRTAB_BASE_CFG:
		return m->strtab_base_cfg;
	case SMMU_CMDQ_PROD:
		return m->cmdq_prod;
	case SMMU_CMDQ_CONS:
		v = m->cmdq_cons;
		if (m->timing != HWM_STUCK && m->cmdq_pending != 0) {
			m->cmdq_pending--;
			if (m->cmdq_pending == 0) {
				hwm_cmdq_consume(m);
			}
		}
		return v;
	case SMMU_EVTQ_PROD:
		return m->evtq_prod;
	case SMMU_EVTQ_CONS:
		return m->evtq_cons;
	case SMMU_EVTQ_IRQ_CFG1:
		return m->evtq_irq_cfg1;
	case SMMU_EVTQ_IRQ_CFG2:
		return m->evtq_irq_cfg2;
	case SMMU_PRIQ_PROD:
		return m->priq_prod;
	case SMMU_PRIQ_CONS:
		return m->priq_cons;
	case SMMU_PRIQ_IRQ_CFG1:
		return m->priq_irq_cfg1;
	case SMMU_PRIQ_IRQ_CFG2:
		return m->priq_irq_cfg2;
	default:
		return hwm_ecmdq_info_read(m, reg);	/* else RAZ */
	}
}

void hwm_write32(struct hw_model *m, uint32_t off, uint32_t val)
{
	uint32_t reg = reg_canon(off);
	uint64_t *r64;
	uint32_t ptr;

	if (off >= SMMU_MMIO_SIZE) {
		hwm_ecmdq_write32(m, off, val);
		return;
	}
	if (reg == REG_NONE) {
		return;
	}
	r64 = reg64(m, reg & ~7U);
	if (r64 != NULL) {
		unsigned sh = (reg & 4U) * 8U;
		uint64_t v = (*r64 & ~(0xFFFFFFFFULL << sh)) |
			     ((uint64_t)val << sh);

		reg64_write(m, reg & ~7U, v);
		return;
	}
	switch (reg) {
	case SMMU_CR0:
		m->cr0 = val & (CR0_ALLOWED | CR0_VMW);
		if (update_start(m, &m->cr0_pending)) {
			cr0_apply(m);
		}
		break;
	case SMMU_CR1:
		m->cr1 = val & CR1_ALLOWED;
		break;
	case SMMU_CR2:
		m->cr2 = val & CR2_ALLOWED;
		break;
	case SMMU_GBPA:
		gbpa_write(m, val);
		break;
	case SMMU_IRQ_CTRL:
		m->irq_ctrl = val & IRQ_CTRL_ALLOWED;
		if (update_start(m, &m->irq_pending)) {
			m->irq_ctrlack = m->irq_ctrl;
		}
		break;
	case SMMU_GERRORN:
		gerrorn_write(m, val);
		break;
	case SMMU_GERROR_IRQ_CFG1:
		m->gerror_irq_cfg1 = val;
		break;
	case SMMU_GERROR_IRQ_CFG2:
		m->gerror_irq_cfg2 = val & IRQ_CFG2_ALLOWED;
		break;
	case SMMU_STRTAB_BASE_CFG:
		if (!(m->cr0ack & CR0_SMMUEN)) {
			m->strtab_base_cfg = val & STRTAB_CFG_ALLOWED;
		}
		break;
	case SMMU_CMDQ_PROD:
		m->cmdq_prod = val & hwm_cmdq_geom(m).ptr_mask;
		hwm_cmdq_kick(m);
		break;
	case SMMU_CMDQ_CONS:
		if (!(m->cr0ack & CR0_CMDQEN)) {
			ptr = hwm_cmdq_geom(m).ptr_mask;
			m->cmdq_cons = val & (ptr | CMDQ_CONS_ERR);
		}
		break;
	case SMMU_EVTQ_PROD:
		if (!(m->cr0ack & CR0_EVTQEN)) {
			ptr = hwm_evtq_geom(m).ptr_mask;
			m->evtq_prod = val & (ptr | Q_OVERFLOW_FLAG);
		}
		break;
	case SMMU_EVTQ_CONS:
		ptr = hwm_evtq_geom(m).ptr_mask;
		m->evtq_cons = val & (ptr | Q_OVERFLOW_FLAG);
		break;
	case SMMU_EVTQ_IRQ_CFG1:
		m->evtq_irq_cfg1 = val;
		break;
	case SMMU_EVTQ_IRQ_CFG2:
		m->evtq_irq_cfg2 = val & IRQ_CFG2_ALLOWED;
		break;
	case SMMU_PRIQ_PROD:
		if (!(m->cr0ack & CR0_PRIQEN)) {
			ptr = hwm_priq_geom(m).ptr_mask;
			m->priq_prod = val & (ptr | Q_OVERFLOW_FLAG);
		}
		break;
	case SMMU_PRIQ_CONS:
		ptr = hwm_priq_geom(m).ptr_mask;
		m->priq_cons = val & (ptr | Q_OVERFLOW_FLAG);
		break;
	case SMMU_PRIQ_IRQ_CFG1:
		m->priq_irq_cfg1 = val;
		break;
	case SMMU_PRIQ_IRQ_CFG2:
		m->priq_irq_cfg2 = val & IRQ_CFG2_ALLOWED;
		break;
	default:
		break;	/* read-only or unimplemented: WI */
	}
}

uint64_t hwm_read64(struct hw_model *m, uint32_t off)
{
	uint32_t reg = reg_canon(off);
	uint64_t *r64 = NULL;
	uint64_t lo;

	if (reg != REG_NONE && (reg & 7U) == 0) {
		r64 = reg64(m, reg);
	}
	if (r64 != NULL) {
		return *r64;
	}
	/* Two adjacent 32-bit registers, low half first. */
	lo = hwm_read32(m, off);
	if (off >= hwm_mmio_size(m)) {
		return lo;
	}
	return lo | ((uint64_t)hwm_read32(m, off + 4U) << 32);
}

void hwm_write64(struct hw_model *m, uint32_t off, uint64_t val)
{
	uint32_t reg = reg_canon(off);

	if (reg != REG_NONE && (reg & 7U) == 0 && reg64(m, reg) != NULL) {
		reg64_write(m, reg, val);
		return;
	}
	hwm_write32(m, off, (uint32_t)val);
	if (off < hwm_mmio_size(m)) {
		hwm_write32(m, off + 4U, (uint32_t)(val >> 32));
	}
}

