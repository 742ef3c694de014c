/* SPDX-License-Identifier: MIT */
/* Reference SMMUv3: memory access, queue geometry, lifecycle and profiles. */

#include "hwm_priv.h"

/* ---- Memory the SMMU accesses itself ------------------------------------ */

/* Read @count little-endian dwords (at most 8); false on external abort. */
bool hwm_mem_read64s(const struct hw_model *m, uint64_t pa, uint64_t *dst,
		     unsigned count)
{
	uint8_t buf[64];
	unsigned i;

	if (count > 8U || m->mem.read == NULL) {
		return false;
	}
	if (m->mem.read(m->mem.ctx, pa, buf, (size_t)count * 8U) != 0) {
		return false;
	}
	for (i = 0; i < count; i++) {
		dst[i] = get_le64(buf + 8U * i);
	}
	return true;
}

/* A write the SMMU itself performs; the observer sees only those that land. */
bool hwm_mem_write_dma(struct hw_model *m, uint64_t pa, const void *src,
		       size_t len, unsigned why)
{
	if (m->mem.write == NULL ||
	    m->mem.write(m->mem.ctx, pa, src, len) != 0) {
		return false;
	}
	if (m->obs.dma_write != NULL) {
		m->obs.dma_write(m->obs.ctx, pa, len, why);
	}
	return true;
}

/* ---- Queues -------------------------------------------------------------- */

/*
 * Effective geometry of a queue: LOG2SIZE is capped by the IDR1 field, and
 * the base ignores address bits below the queue size (min 32 bytes).
 */
struct queue_geom hwm_queue_geom(uint64_t base_reg, uint64_t idr_max,
				 unsigned ent_shift)
{
	struct queue_geom q;
	unsigned log2 = (unsigned)FIELD_GET(Q_BASE_LOG2SIZE, base_reg);
	uint64_t align;

	if (log2 > idr_max) {
		log2 = (unsigned)idr_max;
	}
	if (log2 > Q_MAX_LOG2SIZE) {
		log2 = Q_MAX_LOG2SIZE;
	}
	align = 1ULL << (log2 + ent_shift);
	if (align < Q_MIN_ALIGN) {
		align = Q_MIN_ALIGN;
	}
	q.base = base_reg & Q_BASE_ADDR_MASK & ~(align - 1U);
	q.idx_mask = (1U << log2) - 1U;
	q.ptr_mask = (2U << log2) - 1U;
	return q;
}

struct queue_geom hwm_cmdq_geom(const struct hw_model *m)
{
	return hwm_queue_geom(m->cmdq_base,
			      FIELD_GET(IDR1_CMDQS, m->cfg.idr[1]), CMDQ_ENT_SHIFT);
}

struct queue_geom hwm_evtq_geom(const struct hw_model *m)
{
	return hwm_queue_geom(m->evtq_base,
			      FIELD_GET(IDR1_EVTQS, m->cfg.idr[1]), EVTQ_ENT_SHIFT);
}

struct queue_geom hwm_priq_geom(const struct hw_model *m)
{
	return hwm_queue_geom(m->priq_base,
			      FIELD_GET(IDR1_PRIQS, m->cfg.idr[1]), PRIQ_ENT_SHIFT);
}

/* ---- Lifecycle and queries ------------------------------------------- */

/*
 * What firmware left programmed, as settled state: every enable already
 * acknowledged, every GERROR bit set an active error. Registers keep only
 * the bits a register write could set. Commands between CONS and PROD wait
 * for the next doorbell (no memory exists yet to fetch them from).
 */
static void boot_apply(struct hw_model *m, const struct hwm_boot_state *b)
{
	uint32_t ptr;
	unsigned n;

	m->cr0 = b->cr0 & (CR0_ALLOWED | CR0_VMW);
	m->cr0ack = m->cr0;
	m->gerror = b->gerror & hwm_gerror_mask(m);
	m->irq_ctrl = b->irq_ctrl & IRQ_CTRL_ALLOWED;
	m->irq_ctrlack = m->irq_ctrl;
	m->gerror_irq_cfg0 = b->irq_cfg0[0] & IRQ_CFG0_ALLOWED;
	m->evtq_irq_cfg0 = b->irq_cfg0[1] & IRQ_CFG0_ALLOWED;
	m->priq_irq_cfg0 = b->irq_cfg0[2] & IRQ_CFG0_ALLOWED;
	m->gerror_irq_cfg1 = b->irq_cfg1[0];
	m->evtq_irq_cfg1 = b->irq_cfg1[1];
	m->priq_irq_cfg1 = b->irq_cfg1[2];
	m->strtab_base = b->strtab_base & STRTAB_BASE_ALLOWED;
	m->strtab_base_cfg = b->strtab_cfg & STRTAB_CFG_ALLOWED;
	m->cmdq_base = b->cmdq_base & Q_BASE_ALLOWED;
	ptr = hwm_cmdq_geom(m).ptr_mask;
	m->cmdq_prod = b->cmdq_prod & ptr;
	m->cmdq_cons = b->cmdq_cons & (ptr | CMDQ_CONS_ERR);
	m->evtq_base = b->evtq_base & Q_BASE_ALLOWED;
	m->priq_base = b->priq_base & Q_BASE_ALLOWED;
	for (n = 0; n < hwm_ecmdq_count(m); n++) {
		if (b->ecmdq_enable & (1U << n)) {
			m->ecmdq[n].prod = ECMDQ_PROD_EN;
			m->ecmdq[n].cons = ECMDQ_CONS_ENACK;
		}
	}
}

void hwm_init(struct hw_model *m, const struct hwm_config *cfg,
	      const struct hwm_mem *mem, const struct hwm_observer *obs)
{
	memset(m, 0, sizeof(*m));
	m->cfg = *cfg;
	if (mem != NULL) {
		m->mem = *mem;
	}
	if (obs != NULL) {
		m->obs = *obs;
	}
	m->timing = HWM_PROMPT;
	m->gbpa = cfg->gbpa_reset & GBPA_ALLOWED & ~GBPA_UPDATE;
	boot_apply(m, &cfg->boot);
}


bool hwm_enabled(const struct hw_model *m)
{
	return (m->cr0ack & CR0_SMMUEN) != 0;
}

/* ---- Profiles ------------------------------------------------------------ */

#define QEMU_VIRT_IDR0		0x0d44101bU
#define HWM_PROFILE_COUNT	5U

static const struct hwm_config profiles[HWM_PROFILE_COUNT] = {
	{
		/* QEMU 10 virt machine's SMMUv3. */
		.name = "qemu-virt",
		.idr = { QEMU_VIRT_IDR0, 0x02730010U, 0, 0x1414U, 0, 0x74U },
		.iidr = 0,
		.aidr = 1,
		.gbpa_reset = 0x1000U,
	},
	{
		/* Linear stream table only, MSIs, everything else on. */
		.name = "linear-msi",
		.idr = {
			IDR0_S1P | IDR0_S2P |
			FIELD_PREP_CONST(IDR0_TTF, IDR0_TTF_AARCH64) |
			IDR0_COHACC | IDR0_HYP | IDR0_ATS | IDR0_ASID16 |
			IDR0_MSI | IDR0_SEV | IDR0_PRI | IDR0_VMID16 |
			FIELD_PREP_CONST(IDR0_TTENDIAN, IDR0_TTENDIAN_LE),
			FIELD_PREP_CONST(IDR1_SIDSIZE, 8) |
			FIELD_PREP_CONST(IDR1_SSIDSIZE, 4) |
			FIELD_PREP_CONST(IDR1_PRIQS, 8) |
			FIELD_PREP_CONST(IDR1_EVTQS, 8) |
			FIELD_PREP_CONST(IDR1_CMDQS, 8),
			0,
			IDR3_RIL,
			0,
			FIELD_PREP_CONST(IDR5_OAS, 2) | IDR5_GRAN4K,
		},
		.iidr = 0,
		.aidr = 1,
		.gbpa_reset = GBPA_ABORT,
	},
	{
		/* Arm CoreLink MMU-700-like. */
		.name = "mmu700",
		.idr = {
			QEMU_VIRT_IDR0 | IDR0_MSI | IDR0_SEV | IDR0_BTM |
			FIELD_PREP_CONST(IDR0_HTTU, 2),
			FIELD_PREP_CONST(IDR1_SIDSIZE, 20) |
			FIELD_PREP_CONST(IDR1_SSIDSIZE, 16) |
			FIELD_PREP_CONST(IDR1_PRIQS, 0) |
			FIELD_PREP_CONST(IDR1_EVTQS, 19) |
			FIELD_PREP_CONST(IDR1_CMDQS, 19),
			0,
			0x1414U,
			0,
			FIELD_PREP_CONST(IDR5_OAS, 5) | IDR5_GRAN4K |
			IDR5_GRAN64K,
		},
		.iidr = FIELD_PREP_CONST(IIDR_IMPLEMENTER, 0x43B) |
			FIELD_PREP_CONST(IIDR_PRODUCTID, 0x487) |
			FIELD_PREP_CONST(IIDR_VARIANT, 1) |
			FIELD_PREP_CONST(IIDR_REVISION, 1),
		.aidr = 1,
		.gbpa_reset = 0x1000U,
	},
	{
		/* No stage 2: a probe that needs it must fail. */
		.name = "no-s2",
		.idr = { QEMU_VIRT_IDR0 & ~IDR0_S2P, 0x02730010U, 0, 0x1414U,
			 0, 0x74U },
		.iidr = 0,
		.aidr = 1,
		.gbpa_reset = 0x1000U,
	},
	{
		/* Non-coherent table walks: a probe that needs them fails. */
		.name = "noncoherent",
		.idr = { QEMU_VIRT_IDR0 & ~IDR0_COHACC, 0x02730010U, 0,
			 0x1414U, 0, 0x74U },
		.iidr = 0,
		.aidr = 1,
		.gbpa_reset = 0x1000U,
	},
};

unsigned hwm_profile_count(void)
{
	return HWM_PROFILE_COUNT;
}

const struct hwm_config *hwm_profile(unsigned idx)
{
	return idx < HWM_PROFILE_COUNT ? &profiles[idx] : NULL;
}

int hwm_profile_find(const char *name)
{
	unsigned i;

	if (name == NULL) {
		return -1;
	}
	for (i = 0; i < HWM_PROFILE_COUNT; i++) {
		if (strcmp(profiles[i].name, name) == 0) {
			return (int)i;
		}
	}
	return -1;
}

/*
 * Return to a snapshot. The caches are copied back only when something was
 * cached since, which keeps a harness's per-input reset small.
 */
void hwm_restore(struct hw_model *m, const struct hw_model *snap)
{
	struct hwm_observer obs = m->obs;
	bool caches = m->stats.cache_fills != snap->stats.cache_fills;

	memcpy(m, snap, offsetof(struct hw_model, ste_cache));
	m->stats = snap->stats;
	if (caches) {
		memcpy(m->ste_cache, snap->ste_cache, sizeof(m->ste_cache));
		memcpy(m->tlb, snap->tlb, sizeof(m->tlb));
	}
	m->obs = obs;
}
