/* SPDX-License-Identifier: MIT */
/*
 * What the reference SMMUv3's files share and nothing else sees: record
 * sizes, the walk and fault types, little-endian helpers, and the functions
 * one part of the model calls in another. The public API is hwmodel.h.
 *
 *   hwm.c         memory access, queue geometry, lifecycle, profiles
 *   hwm_regs.c    register file, CR0/GBPA/IRQ_CTRL timed updates
 *   hwm_cmdq.c    command (and ECMDQ) consumption, commands, invalidation
 *   hwm_walk.c    stream table, CDs, stage-1/stage-2 walks, hwm_dma
 *   hwm_events.c  event records, GERROR, MSIs, service failure mode
 *   hwm_ecmdq.c   enhanced command queue registers (IDR1.ECMDQ)
 *   hwm_stall.c   stalled transactions, CMD_RESUME / CMD_STALL_TERM
 */
#ifndef SMMU_HWM_PRIV_H
#define SMMU_HWM_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "smmu/regs.h"
#include "hwmodel.h"

#define REG_NONE		UINT32_MAX

#define CMDQ_ENT_SHIFT		4U	/* 16-byte commands */
#define EVTQ_ENT_SHIFT		5U	/* 32-byte event records */
#define PRIQ_ENT_SHIFT		4U	/* 16-byte PRI requests */
#define Q_MIN_ALIGN		32ULL	/* queue bases align to at least this */

#define EVT3_IPA_MASK		GENMASK_ULL(51, 12)
#define EVT3_FETCH_MASK		GENMASK_ULL(51, 3)
#define EVT_CLASS_CD		0U
#define EVT_CLASS_TT		1U
#define EVT_CLASS_IN		2U

#define MEMATTR_WB		0xFU
#define CMD_SIZE		16U
#define EVT_SIZE		32U
#define MSI_SIZE		4U
#define PAGE_BITS		12U

#define HWM_ECMDQ_LOG2_MAX	3U	/* log2(HWM_ECMDQ_MAX) */
_Static_assert((1U << HWM_ECMDQ_LOG2_MAX) == HWM_ECMDQ_MAX, "ECMDQ count");

/* A fault found while handling a transaction, ready to become an event. */
struct xfault {
	uint8_t id;
	bool s2;		/* raised by stage 2 */
	uint8_t cls;		/* EVT_CLASS_* */
	bool record;		/* false: CD.R / STE.S2R say not to record it */
	bool stall;		/* the faulting stage is configured to stall */
	bool stalled;		/* held: the record carries Stall and stag */
	uint16_t stag;
	uint64_t ipa;		/* stage-2 input address */
	uint64_t fetch;		/* address of a failed structure fetch */
};

struct queue_geom {
	uint64_t base;
	uint32_t idx_mask;	/* index bits */
	uint32_t ptr_mask;	/* wrap bit and index bits */
};

static inline uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < 8U; i++) {
		v |= (uint64_t)p[i] << (8U * i);
	}
	return v;
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	unsigned i;

	for (i = 0; i < 8U; i++) {
		p[i] = (uint8_t)(v >> (8U * i));
	}
}

static inline uint16_t asid_of(const struct hw_model *m, uint64_t v)
{
	/* Without ASID16 only 8 bits tag the TLB. */
	return (m->cfg.idr[0] & IDR0_ASID16) ? (uint16_t)v
					     : (uint16_t)(v & 0xFFU);
}

static inline uint16_t vmid_of(const struct hw_model *m, uint64_t v)
{
	return (m->cfg.idr[0] & IDR0_VMID16) ? (uint16_t)v
					     : (uint16_t)(v & 0xFFU);
}

/* ---- hwm.c -------------------------------------------------------------- */

/* Read @count little-endian dwords (at most 8); false on external abort. */
bool hwm_mem_read64s(const struct hw_model *m, uint64_t pa, uint64_t *dst,
		     unsigned count);
/* A write the SMMU itself performs; the observer sees only those that land. */
bool hwm_mem_write_dma(struct hw_model *m, uint64_t pa, const void *src,
		       size_t len, unsigned why);

struct queue_geom hwm_queue_geom(uint64_t base_reg, uint64_t idr_max,
				 unsigned ent_shift);
struct queue_geom hwm_cmdq_geom(const struct hw_model *m);
struct queue_geom hwm_evtq_geom(const struct hw_model *m);
struct queue_geom hwm_priq_geom(const struct hw_model *m);

/* ---- hwm_events.c ------------------------------------------------------- */

/* The GERROR bits this SMMU implements (CMDQP_ERR only with ECMDQs). */
uint32_t hwm_gerror_mask(const struct hw_model *m);
bool hwm_gerror_active(const struct hw_model *m, uint32_t bit);
/* Activate a global error (once while active) and send the GERROR MSI. */
void hwm_gerror_raise(struct hw_model *m, uint32_t bit);
/*
 * Send one MSI through an IRQ_CFG0-style address and data. False only when
 * the write aborted; no MSI support or a zero address sends nothing.
 */
bool hwm_msi_send(struct hw_model *m, uint64_t cfg0, uint32_t data,
		  unsigned why);
/* Enter service failure mode (HWM_FAULT_SFM), raising SFM_ERR once. */
void hwm_sfm_enter(struct hw_model *m);
/* Record @f of a transaction in the event queue; false if it could not. */
bool hwm_evt_emit(struct hw_model *m, const struct xfault *f, uint32_t sid,
		  bool ssv, uint32_t ssid, uint64_t iova, bool write);

/* ---- hwm_cmdq.c --------------------------------------------------------- */

/* Consume the command queue now, as far as it goes. */
void hwm_cmdq_consume(struct hw_model *m);
/* Something may be waiting in the command queue: consume per the timing. */
void hwm_cmdq_kick(struct hw_model *m);

/* Consume ECMDQ @n now, if it is enabled and has no unacknowledged error. */
void hwm_ecmdq_consume(struct hw_model *m, unsigned n);

/* ---- hwm_ecmdq.c ------------------------------------------------------- */

struct queue_geom hwm_ecmdq_geom(const struct hw_model *m, unsigned n);
bool hwm_ecmdq_enabled(const struct hw_model *m, unsigned n);
/* Page-0 registers that describe the ECMDQs (IDR6, control page 0). */
uint32_t hwm_ecmdq_info_read(const struct hw_model *m, uint32_t reg);
/* Accesses to the control page; @off is from the SMMU's base. */
uint32_t hwm_ecmdq_read32(const struct hw_model *m, uint32_t off);
void hwm_ecmdq_write32(struct hw_model *m, uint32_t off, uint32_t val);

/* ---- hwm_stall.c ------------------------------------------------------- */

/* True when faulting transactions may stall (HWM_FAULT_STALL, model 0b00). */
bool hwm_stall_model(const struct hw_model *m);
/* Hold a transaction; its tag in *stag. False when every slot is taken. */
bool hwm_stall_hold(struct hw_model *m, uint32_t sid, bool ssv,
		    uint32_t ssid, uint64_t iova, bool write, uint16_t *stag);
/* Let go of a held transaction without counting it (it was never reported). */
void hwm_stall_release(struct hw_model *m, uint16_t stag);
/* CMD_RESUME: retry or terminate the transaction @sid / @stag, if held. */
void hwm_stall_resume(struct hw_model *m, uint32_t sid, uint16_t stag,
		      bool retry);
/* CMD_STALL_TERM: terminate every held transaction of @sid. */
void hwm_stall_term(struct hw_model *m, uint32_t sid);
/* SMMUEN cleared or service failure: terminate every held transaction. */
void hwm_stall_term_all(struct hw_model *m);

/* ---- hwm_walk.c --------------------------------------------------------- */

/* Find the STE of @sid through STRTAB_BASE/_CFG; false with @f set if none. */
bool hwm_ste_locate(const struct hw_model *m, uint32_t sid, uint64_t *pa,
		    struct xfault *f);

#endif /* SMMU_HWM_PRIV_H */
