/* SPDX-License-Identifier: MIT */
/* Reference SMMUv3: global errors, MSIs and event records. */

#include "hwm_priv.h"

/* ---- Global errors and MSIs ---------------------------------------------- */

uint32_t hwm_gerror_mask(const struct hw_model *m)
{
	return GERROR_ERR_MASK |
	       (hwm_ecmdq_count(m) != 0 ? GERROR_CMDQP_ERR : 0);
}

bool hwm_gerror_active(const struct hw_model *m, uint32_t bit)
{
	return ((m->gerror ^ m->gerrorn) & bit) != 0;
}

/*
 * Send one MSI through an IRQ_CFG0/1 pair (or a CMD_SYNC's MSIAddr and
 * MSIData). Returns false only when the write aborted; no MSI support or a
 * zero address means a wired interrupt.
 */
bool hwm_msi_send(struct hw_model *m, uint64_t cfg0, uint32_t data,
		  unsigned why)
{
	uint64_t addr = cfg0 & IRQ_CFG0_ADDR_MASK;
	uint8_t buf[MSI_SIZE];
	unsigned i;

	if (!(m->cfg.idr[0] & IDR0_MSI) || addr == 0) {
		return true;
	}
	if (m->cfg.faults & HWM_FAULT_MSI_ABORT) {
		return false;	/* the interconnect refuses it: nothing lands */
	}
	for (i = 0; i < MSI_SIZE; i++) {
		buf[i] = (uint8_t)(data >> (8U * i));
	}
	return hwm_mem_write_dma(m, addr, buf, sizeof(buf), why);
}

/* Activate a global error by toggling its GERROR bit (once while active). */
void hwm_gerror_raise(struct hw_model *m, uint32_t bit)
{
	if (hwm_gerror_active(m, bit)) {
		return;
	}
	m->gerror ^= bit;
	if (!(m->irq_ctrlack & IRQ_CTRL_GERROR_IRQEN)) {
		return;
	}
	if (!hwm_msi_send(m, m->gerror_irq_cfg0, m->gerror_irq_cfg1,
			  HWM_WRITE_MSI_IRQ) &&
	    !hwm_gerror_active(m, GERROR_MSI_GERROR_ABT_ERR)) {
		/* No MSI for this one: it would go to the same bad address. */
		m->gerror ^= GERROR_MSI_GERROR_ABT_ERR;
	}
}

/*
 * Service failure mode: traffic stops, queues are no longer accessed, and
 * only a reset (hwm_init) leaves it; acknowledging SFM_ERR does not.
 */
void hwm_sfm_enter(struct hw_model *m)
{
	if (m->sfm) {
		return;
	}
	m->sfm = true;
	m->cmdq_pending = 0;
	hwm_stall_term_all(m);
	hwm_gerror_raise(m, GERROR_SFM_ERR);
}

/* ---- Events ------------------------------------------------------------- */

bool hwm_evt_emit(struct hw_model *m, const struct xfault *f, uint32_t sid,
		  bool ssv, uint32_t ssid, uint64_t iova, bool write)
{
	struct queue_geom q = hwm_evtq_geom(m);
	uint64_t rec[EVTQ_ENT_DWORDS] = { 0 };
	uint8_t buf[EVT_SIZE];
	uint32_t prod, cons;
	unsigned i;

	rec[0] = FIELD_PREP(EVT0_ID, f->id) | FIELD_PREP(EVT0_SID, sid);
	if (ssv) {
		rec[0] |= EVT0_SSV | FIELD_PREP(EVT0_SSID, ssid);
	}
	switch (f->id) {
	case EVT_ID_STE_FETCH:
	case EVT_ID_CD_FETCH:
		rec[3] = f->fetch & EVT3_FETCH_MASK;
		break;
	case EVT_ID_WALK_EABT:
	case EVT_ID_TRANSLATION:
	case EVT_ID_ADDR_SIZE:
	case EVT_ID_ACCESS:
	case EVT_ID_PERMISSION:
		rec[1] = (write ? 0 : EVT1_RNW) | (f->s2 ? EVT1_S2 : 0) |
			 FIELD_PREP(EVT1_CLASS, f->cls);
		if (f->stalled) {
			rec[1] |= EVT1_STALL | FIELD_PREP(EVT1_STAG, f->stag);
		}
		rec[2] = iova;
		if (f->id == EVT_ID_WALK_EABT) {
			rec[3] = f->fetch & EVT3_FETCH_MASK;
		} else if (f->s2) {
			rec[3] = f->ipa & EVT3_IPA_MASK;
		}
		break;
	default:
		break;	/* configuration errors identify the stream only */
	}

	if (!(m->cr0ack & CR0_EVTQEN)) {
		m->stats.events_lost++;
		return false;
	}
	prod = m->evtq_prod & q.ptr_mask;
	cons = m->evtq_cons & q.ptr_mask;
	if ((prod ^ cons) == q.idx_mask + 1U) {
		/* Full: flag a new overflow unless one is still unacknowledged. */
		if ((m->evtq_prod & Q_OVERFLOW_FLAG) ==
		    (m->evtq_cons & Q_OVERFLOW_FLAG)) {
			m->evtq_prod ^= Q_OVERFLOW_FLAG;
		}
		m->stats.events_lost++;
		return false;
	}
	for (i = 0; i < EVTQ_ENT_DWORDS; i++) {
		put_le64(buf + 8U * i, rec[i]);
	}
	if ((m->cfg.faults & HWM_FAULT_EVTQ_ABORT) ||
	    !hwm_mem_write_dma(m, q.base +
			       (uint64_t)(prod & q.idx_mask) * EVT_SIZE,
			       buf, sizeof(buf), HWM_WRITE_EVENT)) {
		m->stats.events_lost++;
		hwm_gerror_raise(m, GERROR_EVTQ_ABT_ERR);
		return false;
	}
	m->stats.events++;
	m->evtq_prod = (m->evtq_prod & Q_OVERFLOW_FLAG) |
		       ((prod + 1U) & q.ptr_mask);
	if ((m->irq_ctrlack & IRQ_CTRL_EVTQ_IRQEN) &&
	    !hwm_msi_send(m, m->evtq_irq_cfg0, m->evtq_irq_cfg1,
			  HWM_WRITE_MSI_IRQ)) {
		hwm_gerror_raise(m, GERROR_MSI_EVTQ_ABT_ERR);
	}
	return true;
}

