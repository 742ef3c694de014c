/* SPDX-License-Identifier: MIT */
/*
 * Reference SMMUv3: the command queue it consumes, the commands it executes
 * and the configuration-cache and TLB invalidations they perform.
 */

#include "hwm_priv.h"

/* ---- Configuration cache ------------------------------------------------- */

static void ste_cache_drop(struct hw_model *m, uint64_t first, uint64_t count)
{
	unsigned i;

	for (i = 0; i < HWM_STE_CACHE && m->ste_cache_live != 0; i++) {
		struct hwm_ste_cache_ent *e = &m->ste_cache[i];

		if (e->valid && e->sid >= first && e->sid - first < count) {
			e->valid = false;
			m->ste_cache_live--;
		}
	}
}

/* ---- TLB -------------------------------------------------------------- */

/* Which entries one TLBI command removes. */
struct tlbi_sel {
	bool any_vmid;
	uint16_t vmid;
	bool need_s1;		/* only entries that involve stage 1 */
	bool s2_only;		/* only stage-2-only entries */
	bool match_asid;
	uint16_t asid;
	bool by_page;
	bool by_ipa;		/* compare ipa_page rather than iova_page */
	uint64_t first;		/* pages */
	uint64_t count;
};

static bool tlbi_selects(const struct hwm_tlb_ent *e, const struct tlbi_sel *s)
{
	uint64_t page;

	if (!e->valid) {
		return false;
	}
	if (!s->any_vmid && e->vmid != s->vmid) {
		return false;
	}
	if (s->need_s1 && !e->s1) {
		return false;
	}
	if (s->s2_only && (!e->s2 || e->s1)) {
		return false;
	}
	if (s->match_asid && e->asid != s->asid) {
		return false;
	}
	if (s->by_page) {
		page = s->by_ipa ? e->ipa_page : e->iova_page;
		if (page < s->first || page - s->first >= s->count) {
			return false;
		}
	}
	return true;
}

static void tlb_drop(struct hw_model *m, const struct tlbi_sel *s)
{
	unsigned i;

	for (i = 0; i < HWM_TLB_SIZE && m->tlb_live != 0; i++) {
		if (tlbi_selects(&m->tlb[i], s)) {
			m->tlb[i].valid = false;
			m->tlb_live--;
		}
	}
	m->stats.tlbi++;
}

/*
 * Pages a TLBI by address covers. Without range support (IDR3.RIL) TG is
 * ignored; with it, (NUM + 1) << (5 * SCALE) pages of 4 KiB are removed.
 */
static void tlbi_pages(const struct hw_model *m, const uint64_t cmd[2],
		       uint64_t addr_mask, struct tlbi_sel *s)
{
	unsigned num = (unsigned)FIELD_GET(CMD0_TLBI_NUM, cmd[0]);
	unsigned scale = (unsigned)FIELD_GET(CMD0_TLBI_SCALE, cmd[0]);

	s->by_page = true;
	s->first = (cmd[1] & addr_mask) >> PAGE_BITS;
	s->count = 1;
	if (FIELD_GET(CMD1_TLBI_TG, cmd[1]) == 0 ||
	    !(m->cfg.idr[3] & IDR3_RIL)) {
		return;
	}
	/* (NUM + 1) <= 2^5, so beyond 2^52 pages the range is everything. */
	if (5U * scale + 5U >= 64U - PAGE_BITS) {
		s->count = UINT64_MAX;
		return;
	}
	s->count = (uint64_t)(num + 1U) << (5U * scale);
}

/* ---- Commands ------------------------------------------------------------ */

/* cmd_exec: stop here without an error (service failure mode). */
#define CMD_HALT	0x100U

/*
 * A queue commands are consumed from (the command queue or one ECMDQ):
 * its geometry, read and write pointers (wrap and index), and whether an
 * ATC invalidation it carried still awaits a CMD_SYNC.
 */
struct cmd_source {
	struct queue_geom q;
	uint32_t rd;
	uint32_t wr;
	bool *atc_inv_pending;
};

static unsigned cmd_sync(struct hw_model *m, const uint64_t cmd[2],
			 struct cmd_source *src)
{
	unsigned cs = (unsigned)FIELD_GET(CMD0_SYNC_CS, cmd[0]);
	uint32_t data = (uint32_t)FIELD_GET(CMD0_SYNC_MSIDATA, cmd[0]);

	if (cs == 3U) {
		return CERROR_ILL;
	}
	/* The ATC never answered: this SYNC reports it and CONS stays on it. */
	if (*src->atc_inv_pending) {
		*src->atc_inv_pending = false;
		return CERROR_ATC_INV_SYNC;
	}
	if (m->cfg.faults & HWM_FAULT_SFM) {
		hwm_sfm_enter(m);
		return CMD_HALT;
	}
	/* MSIAddr has the layout of IRQ_CFG0.ADDR. */
	if (cs == CMD0_SYNC_CS_IRQ &&
	    !hwm_msi_send(m, cmd[1] & CMD1_SYNC_MSIADDR_MASK, data,
			  HWM_WRITE_MSI_SYNC)) {
		hwm_gerror_raise(m, GERROR_MSI_CMDQ_ABT_ERR);
	}
	m->stats.syncs++;
	return CERROR_NONE;
}

/* Execute one fetched command; returns a CERROR_* code or CMD_HALT. */
static unsigned cmd_exec(struct hw_model *m, const uint64_t cmd[2],
			 struct cmd_source *src)
{
	unsigned op = (unsigned)FIELD_GET(CMD0_OP, cmd[0]);
	uint64_t sid = FIELD_GET(CMD0_SID, cmd[0]);
	uint64_t span;
	struct tlbi_sel s;

	memset(&s, 0, sizeof(s));
	s.vmid = vmid_of(m, FIELD_GET(CMD0_VMID, cmd[0]));
	s.asid = asid_of(m, FIELD_GET(CMD0_ASID, cmd[0]));

	switch (op) {
	case CMDQ_OP_PREFETCH_CFG:
	case CMDQ_OP_PREFETCH_ADDR:
		break;
	/* Commands for features the SMMU lacks are illegal. */
	case CMDQ_OP_ATC_INV:
		if (!(m->cfg.idr[0] & IDR0_ATS)) {
			return CERROR_ILL;
		}
		if (m->cfg.faults & HWM_FAULT_ATC_TIMEOUT) {
			*src->atc_inv_pending = true;
		}
		break;
	case CMDQ_OP_PRI_RESP:
		return (m->cfg.idr[0] & IDR0_PRI) ? CERROR_NONE : CERROR_ILL;
	case CMDQ_OP_RESUME:
	case CMDQ_OP_STALL_TERM:
		/* STALL_MODEL 0b01: stalls are not supported. */
		if (FIELD_GET(IDR0_STALL_MODEL, m->cfg.idr[0]) == 1U) {
			return CERROR_ILL;
		}
		/* Either acts only on a held transaction of this stream. */
		if (op == CMDQ_OP_STALL_TERM) {
			hwm_stall_term(m, (uint32_t)sid);
			break;
		}
		hwm_stall_resume(m, (uint32_t)sid,
				 (uint16_t)FIELD_GET(CMD1_RESUME_STAG, cmd[1]),
				 (FIELD_GET(CMD0_RESUME_RESP, cmd[0]) &
				  CMD0_RESUME_RESP_RETRY) != 0);
		break;
	case CMDQ_OP_CFGI_STE:
		ste_cache_drop(m, sid, 1);
		m->stats.cfgi++;
		break;
	case CMDQ_OP_CFGI_STE_RANGE:
		/* 2^(Range + 1) SIDs from an aligned start; 31 covers all. */
		span = 2ULL << FIELD_GET(CMD1_RANGE, cmd[1]);
		ste_cache_drop(m, sid & ~(span - 1U), span);
		m->stats.cfgi++;
		break;
	case CMDQ_OP_CFGI_CD:
	case CMDQ_OP_CFGI_CD_ALL:
		/* CDs are not cached by this model. */
		m->stats.cfgi++;
		break;
	case CMDQ_OP_TLBI_NH_ALL:
		s.need_s1 = true;
		tlb_drop(m, &s);
		break;
	case CMDQ_OP_TLBI_NH_ASID:
		s.need_s1 = true;
		s.match_asid = true;
		tlb_drop(m, &s);
		break;
	case CMDQ_OP_TLBI_NH_VA:
		s.need_s1 = true;
		s.match_asid = true;
		tlbi_pages(m, cmd, CMD1_ADDR_MASK, &s);
		tlb_drop(m, &s);
		break;
	case CMDQ_OP_TLBI_NH_VAA:
		s.need_s1 = true;
		tlbi_pages(m, cmd, CMD1_ADDR_MASK, &s);
		tlb_drop(m, &s);
		break;
	case CMDQ_OP_TLBI_S12_VMALL:
		tlb_drop(m, &s);
		break;
	case CMDQ_OP_TLBI_S2_IPA:
		/* Combined S1+S2 entries are not tagged by IPA: they stay. */
		s.s2_only = true;
		s.by_ipa = true;
		tlbi_pages(m, cmd, CMD1_IPA_MASK, &s);
		tlb_drop(m, &s);
		break;
	case CMDQ_OP_TLBI_NSNH_ALL:
		s.any_vmid = true;
		tlb_drop(m, &s);
		break;
	case CMDQ_OP_TLBI_EL2_ALL:
	case CMDQ_OP_TLBI_EL2_ASID:
	case CMDQ_OP_TLBI_EL2_VA:
	case CMDQ_OP_TLBI_EL2_VAA:
		if (!(m->cfg.idr[0] & IDR0_HYP)) {
			return CERROR_ILL;
		}
		/* No EL2 translation regime is modelled: nothing to drop. */
		m->stats.tlbi++;
		break;
	case CMDQ_OP_CMD_SYNC:
		return cmd_sync(m, cmd, src);
	default:
		/* Unknown opcodes and the Secure-only TLBI_EL3_*. */
		return CERROR_ILL;
	}
	return CERROR_NONE;
}

/*
 * Run commands from src->rd up to src->wr, at most one queue's worth, and
 * leave src->rd on the first one not consumed. Returns CERROR_NONE when the
 * queue drained, else why it stopped: a CERROR_* of the command at src->rd
 * (a fetch that aborts is CERROR_ABT, and never reaches the observer), or
 * CMD_HALT in service failure mode.
 */
static unsigned cmds_run(struct hw_model *m, struct cmd_source *src)
{
	const struct queue_geom *q = &src->q;
	uint32_t n;

	for (n = 0; n <= q->idx_mask && src->rd != src->wr; n++) {
		uint64_t pa = q->base + (uint64_t)(src->rd & q->idx_mask) *
			      CMD_SIZE;
		uint64_t cmd[2];
		unsigned err;

		if ((m->cfg.faults & HWM_FAULT_CMDQ_ABORT) ||
		    !hwm_mem_read64s(m, pa, cmd, 2)) {
			return CERROR_ABT;
		}
		if (m->obs.cmd != NULL) {
			m->obs.cmd(m->obs.ctx, cmd);
		}
		err = cmd_exec(m, cmd, src);
		if (err != CERROR_NONE) {
			return err;
		}
		m->stats.cmds++;
		src->rd = (src->rd + 1U) & q->ptr_mask;
	}
	return CERROR_NONE;
}

/*
 * Consume commands from CONS up to PROD. On an error CONS stays on the
 * failing entry with CONS.ERR set, and CMDQ_ERR is raised; nothing more is
 * consumed until software acknowledges it.
 */
void hwm_cmdq_consume(struct hw_model *m)
{
	struct cmd_source src;
	unsigned err;

	m->cmdq_pending = 0;
	if (!(m->cr0ack & CR0_CMDQEN) || m->sfm ||
	    hwm_gerror_active(m, GERROR_CMDQ_ERR)) {
		return;
	}
	src.q = hwm_cmdq_geom(m);
	src.rd = m->cmdq_cons & src.q.ptr_mask;	/* any old ERR is stale */
	src.wr = m->cmdq_prod & src.q.ptr_mask;
	src.atc_inv_pending = &m->atc_inv_pending;
	err = cmds_run(m, &src);
	m->cmdq_cons = src.rd;
	if (err != CERROR_NONE && err != CMD_HALT) {
		m->cmdq_cons |= (uint32_t)FIELD_PREP(CMDQ_CONS_ERR, err);
		m->stats.cerror++;
		hwm_gerror_raise(m, GERROR_CMDQ_ERR);
	}
}

/*
 * The same for ECMDQ @n, which CR0 does not gate: on an error CONS.RD stays
 * on the failing entry, CONS.ERR toggles (so it differs from PROD.ERRACK
 * and the queue holds) with the reason in ERR_REASON, and CMDQP_ERR is
 * raised.
 */
void hwm_ecmdq_consume(struct hw_model *m, unsigned n)
{
	struct hwm_ecmdq *e = &m->ecmdq[n];
	bool err_active = !(e->cons & ECMDQ_CONS_ERR) !=
			  !(e->prod & ECMDQ_PROD_ERRACK);
	struct cmd_source src;
	unsigned err;

	if (!hwm_ecmdq_enabled(m, n) || m->sfm || err_active) {
		return;
	}
	src.q = hwm_ecmdq_geom(m, n);
	src.rd = e->cons & src.q.ptr_mask;
	src.wr = e->prod & src.q.ptr_mask;
	src.atc_inv_pending = &e->atc_inv_pending;
	err = cmds_run(m, &src);
	e->cons = (e->cons & (ECMDQ_CONS_ENACK | ECMDQ_CONS_ERR |
			      ECMDQ_CONS_ERR_REASON)) | src.rd;
	if (err != CERROR_NONE && err != CMD_HALT) {
		e->cons ^= ECMDQ_CONS_ERR;
		e->cons = (e->cons & ~ECMDQ_CONS_ERR_REASON) |
			  (uint32_t)FIELD_PREP(ECMDQ_CONS_ERR_REASON, err);
		m->stats.cerror++;
		hwm_gerror_raise(m, GERROR_CMDQP_ERR);
	}
}

/* Something may be waiting in the command queue: consume per the timing. */
void hwm_cmdq_kick(struct hw_model *m)
{
	if (!(m->cr0ack & CR0_CMDQEN) || m->sfm ||
	    hwm_gerror_active(m, GERROR_CMDQ_ERR)) {
		return;
	}
	switch (m->timing) {
	case HWM_PROMPT:
		hwm_cmdq_consume(m);
		break;
	case HWM_SLOW:
		if (m->delay == 0) {
			hwm_cmdq_consume(m);
		} else if (m->cmdq_pending == 0) {
			m->cmdq_pending = m->delay;
		}
		break;
	default:
		break;	/* HWM_STUCK never consumes */
	}
}

