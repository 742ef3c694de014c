/* SPDX-License-Identifier: MIT */
/*
 * Reference SMMUv3: the stall fault model, in its smallest honest form
 * (HWM_FAULT_STALL with IDR0.STALL_MODEL = 0b00). A transaction that meets
 * a translation-related fault at a stage configured to stall (CD.S without
 * STE.S1STALLD, or STE.S2S) is held in one of HWM_STALL_MAX slots and
 * reported by an event record with Stall = 1 and its STAG, whatever R says.
 * CMD_RESUME (StreamID and STAG must both match) retries it as though it had
 * just arrived, or terminates it; CMD_STALL_TERM terminates every held
 * transaction of a stream; a command that matches nothing does nothing.
 * Clearing SMMUEN, and service failure mode, terminate them all.
 *
 * Not modelled: a stall whose record cannot be written (queue disabled,
 * full or aborting) or that finds no free slot is terminated instead of
 * waiting to be retried; no early retry; no duplicate-record suppression;
 * STALL_MODEL 0b10 (forced stall) and the ILLEGAL CD.S / S2S combinations
 * of STALL_MODEL 0b01 and 0b10 are not checked.
 */

#include "hwm_priv.h"

bool hwm_stall_model(const struct hw_model *m)
{
	return (m->cfg.faults & HWM_FAULT_STALL) &&
	       FIELD_GET(IDR0_STALL_MODEL, m->cfg.idr[0]) == 0;
}

bool hwm_stall_hold(struct hw_model *m, uint32_t sid, bool ssv,
		    uint32_t ssid, uint64_t iova, bool write, uint16_t *stag)
{
	unsigned i;

	for (i = 0; i < HWM_STALL_MAX; i++) {
		struct hwm_stall *s = &m->stall[i];

		if (!s->valid) {
			/* The slot is the tag: free again only once resolved. */
			s->valid = true;
			s->stag = (uint16_t)i;
			s->sid = sid;
			s->ssv = ssv;
			s->ssid = ssid;
			s->iova = iova;
			s->write = write;
			*stag = s->stag;
			return true;
		}
	}
	return false;
}

void hwm_stall_release(struct hw_model *m, uint16_t stag)
{
	if (stag < HWM_STALL_MAX) {
		m->stall[stag].valid = false;
	}
}

void hwm_stall_resume(struct hw_model *m, uint32_t sid, uint16_t stag,
		      bool retry)
{
	struct hwm_dma_result r;
	struct hwm_stall s;

	if (stag >= HWM_STALL_MAX || !m->stall[stag].valid ||
	    m->stall[stag].sid != sid) {
		return;
	}
	s = m->stall[stag];
	m->stall[stag].valid = false;
	if (!retry) {
		m->stats.stall_terms++;
		return;
	}
	/* The retried transaction may complete, fault, or stall again. */
	m->stats.stall_retries++;
	(void)hwm_dma(m, s.sid, s.ssv, s.ssid, s.iova, s.write, &r);
}

void hwm_stall_term(struct hw_model *m, uint32_t sid)
{
	unsigned i;

	for (i = 0; i < HWM_STALL_MAX; i++) {
		if (m->stall[i].valid && m->stall[i].sid == sid) {
			m->stall[i].valid = false;
			m->stats.stall_terms++;
		}
	}
}

void hwm_stall_term_all(struct hw_model *m)
{
	unsigned i;

	for (i = 0; i < HWM_STALL_MAX; i++) {
		if (m->stall[i].valid) {
			m->stall[i].valid = false;
			m->stats.stall_terms++;
		}
	}
}
