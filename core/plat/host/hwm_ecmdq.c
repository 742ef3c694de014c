/* SPDX-License-Identifier: MIT */
/*
 * Reference SMMUv3: enhanced command queues (SMMUv3.3, IDR1.ECMDQ). Page 0
 * describes one command queue control page; the page, at HWM_CMDQCP_OFFSET,
 * holds hwm_ecmdq_count() ECMDQs, each a BASE/PROD/CONS triple like the
 * command queue's. An ECMDQ is enabled by PROD.EN and acknowledged in
 * CONS.ENACK, independently of CR0; an error toggles CONS.ERR and stops it
 * until software writes PROD.ERRACK to match, and raises GERROR.CMDQP_ERR.
 *
 * Timing: ENACK follows EN and a PROD write consumes at once, except that
 * HWM_STUCK never acknowledges and never consumes (HWM_SLOW is prompt here).
 */

#include "hwm_priv.h"

/* IDR6.LOG2NUMQ as the model implements it: at most HWM_ECMDQ_MAX queues. */
static unsigned log2_numq(const struct hw_model *m)
{
	unsigned log2 = (unsigned)FIELD_GET(IDR6_LOG2NUMQ, m->cfg.idr6);

	return log2 < HWM_ECMDQ_LOG2_MAX ? log2 : HWM_ECMDQ_LOG2_MAX;
}

unsigned hwm_ecmdq_count(const struct hw_model *m)
{
	return (m->cfg.idr[1] & IDR1_ECMDQ) ? 1U << log2_numq(m) : 0;
}

uint32_t hwm_mmio_size(const struct hw_model *m)
{
	return hwm_ecmdq_count(m) != 0 ? HWM_MMIO_MAX : SMMU_MMIO_SIZE;
}

struct queue_geom hwm_ecmdq_geom(const struct hw_model *m, unsigned n)
{
	return hwm_queue_geom(m->ecmdq[n].base,
			      FIELD_GET(IDR1_CMDQS, m->cfg.idr[1]),
			      CMDQ_ENT_SHIFT);
}

bool hwm_ecmdq_enabled(const struct hw_model *m, unsigned n)
{
	return (m->ecmdq[n].prod & ECMDQ_PROD_EN) &&
	       (m->ecmdq[n].cons & ECMDQ_CONS_ENACK);
}

/* Neither enabled nor on its way: BASE and CONS may be written. */
static bool ecmdq_disabled(const struct hw_model *m, unsigned n)
{
	return !(m->ecmdq[n].prod & ECMDQ_PROD_EN) &&
	       !(m->ecmdq[n].cons & ECMDQ_CONS_ENACK);
}

uint32_t hwm_ecmdq_info_read(const struct hw_model *m, uint32_t reg)
{
	uint64_t cp0 = (HWM_CMDQCP_OFFSET & CMDQ_CP_BASE_ADDR_MASK) |
		       FIELD_PREP(CMDQ_CP_BASE_CMDQGS,
				  CMDQ_CP_BASE_CMDQGS_64K) |
		       CMDQ_CP_BASE_PRESET;

	if (hwm_ecmdq_count(m) == 0) {
		return 0;
	}
	switch (reg) {
	case SMMU_IDR6:
		/* One control page (LOG2NUMP = 0). */
		return (uint32_t)FIELD_PREP(IDR6_LOG2NUMQ, log2_numq(m));
	case SMMU_CMDQ_CP_BASE(0):
		return (uint32_t)cp0;
	case SMMU_CMDQ_CP_BASE(0) + 4U:
		return (uint32_t)(cp0 >> 32);
	case SMMU_CMDQ_CP_CFG(0):
		return CMDQ_CP_CFG_EN;
	case SMMU_CMDQ_CP_STATUS(0):
		return CMDQ_CP_STATUS_ENACK;
	default:
		return 0;
	}
}

/*
 * Which ECMDQ register @off (an offset from the SMMU's base) is: the queue
 * in *n and the offset within its slot, or REG_NONE.
 */
static uint32_t ecmdq_reg(const struct hw_model *m, uint32_t off, unsigned *n)
{
	uint32_t gap = SMMU_CMDQCP_SIZE >> log2_numq(m);

	if (hwm_ecmdq_count(m) == 0 || (off & 3U) != 0 ||
	    off < HWM_CMDQCP_OFFSET || off >= HWM_MMIO_MAX) {
		return REG_NONE;
	}
	off -= HWM_CMDQCP_OFFSET;
	*n = off / gap;
	return off % gap;
}

uint32_t hwm_ecmdq_read32(const struct hw_model *m, uint32_t off)
{
	unsigned n = 0;
	uint32_t reg = ecmdq_reg(m, off, &n);
	const struct hwm_ecmdq *q = &m->ecmdq[n];

	switch (reg) {
	case SMMU_ECMDQ_BASE:
		return (uint32_t)q->base;
	case SMMU_ECMDQ_BASE + 4U:
		return (uint32_t)(q->base >> 32);
	case SMMU_ECMDQ_PROD:
		return q->prod;
	case SMMU_ECMDQ_CONS:
		return q->cons;
	default:
		return 0;
	}
}

static void prod_write(struct hw_model *m, unsigned n, uint32_t val)
{
	struct hwm_ecmdq *q = &m->ecmdq[n];
	bool en = (q->prod & ECMDQ_PROD_EN) != 0;
	bool enack = (q->cons & ECMDQ_CONS_ENACK) != 0;

	/* Read-only while an enable or disable is still in flight. */
	if (en != enack) {
		return;
	}
	q->prod = val & (ECMDQ_PROD_EN | ECMDQ_PROD_ERRACK |
			 hwm_ecmdq_geom(m, n).ptr_mask);
	if (m->timing == HWM_STUCK) {
		return;
	}
	q->cons = (q->cons & ~ECMDQ_CONS_ENACK) |
		  ((q->prod & ECMDQ_PROD_EN) ? ECMDQ_CONS_ENACK : 0);
	hwm_ecmdq_consume(m, n);
}

void hwm_ecmdq_write32(struct hw_model *m, uint32_t off, uint32_t val)
{
	unsigned n = 0;
	uint32_t reg = ecmdq_reg(m, off, &n);
	struct hwm_ecmdq *q = &m->ecmdq[n];
	unsigned sh;

	switch (reg) {
	case SMMU_ECMDQ_BASE:
	case SMMU_ECMDQ_BASE + 4U:
		if (ecmdq_disabled(m, n)) {
			sh = reg == SMMU_ECMDQ_BASE ? 0 : 32U;
			q->base = ((q->base & ~(0xFFFFFFFFULL << sh)) |
				   ((uint64_t)val << sh)) & Q_BASE_ALLOWED;
		}
		break;
	case SMMU_ECMDQ_PROD:
		prod_write(m, n, val);
		break;
	case SMMU_ECMDQ_CONS:
		if (ecmdq_disabled(m, n)) {
			q->cons = val & (ECMDQ_CONS_ERR_REASON | ECMDQ_CONS_ERR |
					 hwm_ecmdq_geom(m, n).ptr_mask);
		}
		break;
	default:
		break;	/* RAZ/WI */
	}
}
