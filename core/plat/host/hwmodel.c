/* SPDX-License-Identifier: MIT */
/* Reference SMMUv3 for host builds: registers, queues, caches and DMA walks. */

#include <string.h>

#include "smmu/regs.h"
#include "hwmodel.h"

/* ---- Private definitions (not in regs.h) ------------------------------- */

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

#define S1FMT_LINEAR		0U
#define S1FMT_4K_L2		1U	/* 64 CDs per leaf table */
#define S1FMT_64K_L2		2U	/* 1024 CDs per leaf table */
#define S1DSS_TERMINATE		0U
#define S1DSS_BYPASS		1U
#define S1DSS_SSID0		2U

#define S2SL0_RESERVED		3U
#define S2_MIN_IPA_BITS		24U
#define PT_MAX_IPA_BITS		48U	/* 4 KiB granule without LPA2 */
#define PT_MAX_CONCAT_BITS	4U	/* up to 16 concatenated start tables */
#define S1_MIN_T0SZ		16U
#define S1_MAX_T0SZ		39U
#define PT_LEVELS		4U

#define MEMATTR_WB		0xFU
#define CMD_SIZE		16U
#define EVT_SIZE		32U
#define MSI_SIZE		4U
#define PAGE_BITS		12U

/* A fault found while handling a transaction, ready to become an event. */
struct xfault {
	uint8_t id;
	bool s2;		/* raised by stage 2 */
	uint8_t cls;		/* EVT_CLASS_* */
	bool record;		/* false: CD.R / STE.S2R say not to record it */
	uint64_t ipa;		/* stage-2 input address */
	uint64_t fetch;		/* address of a failed structure fetch */
};

/* Translation regime of one stage, derived from a CD or an STE. */
struct pt_cfg {
	uint64_t ttb;
	unsigned ia_bits;
	unsigned oa_bits;
	unsigned start_level;
	unsigned start_bits;	/* index bits resolved at the start level */
	bool affd;		/* stage 2: access-flag faults disabled */
	bool record;
};

struct walk_out {
	uint64_t out;
	uint8_t perm;		/* bit0 read, bit1 write */
	uint8_t memattr;
};

struct queue_geom {
	uint64_t base;
	uint32_t idx_mask;	/* index bits */
	uint32_t ptr_mask;	/* wrap bit and index bits */
};

enum pt_kind { PT_INVALID, PT_TABLE, PT_LEAF };

/* ---- Small helpers ------------------------------------------------------ */

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < 8U; i++) {
		v |= (uint64_t)p[i] << (8U * i);
	}
	return v;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	unsigned i;

	for (i = 0; i < 8U; i++) {
		p[i] = (uint8_t)(v >> (8U * i));
	}
}

/* Read @count little-endian dwords (at most 8); false on external abort. */
static bool mem_read64s(const struct hw_model *m, uint64_t pa, uint64_t *dst,
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
static bool mem_write_dma(struct hw_model *m, uint64_t pa, const void *src,
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

static uint16_t asid_of(const struct hw_model *m, uint64_t v)
{
	/* Without ASID16 only 8 bits tag the TLB. */
	return (m->cfg.idr[0] & IDR0_ASID16) ? (uint16_t)v
					     : (uint16_t)(v & 0xFFU);
}

static uint16_t vmid_of(const struct hw_model *m, uint64_t v)
{
	return (m->cfg.idr[0] & IDR0_VMID16) ? (uint16_t)v
					     : (uint16_t)(v & 0xFFU);
}

static unsigned oas_enc(const struct hw_model *m)
{
	return (unsigned)FIELD_GET(IDR5_OAS, m->cfg.idr[5]);
}

/* ---- Queues -------------------------------------------------------------- */

/*
 * Effective geometry of a queue: LOG2SIZE is capped by the IDR1 field, and
 * the base ignores address bits below the queue size (min 32 bytes).
 */
static struct queue_geom queue_geom(uint64_t base_reg, uint64_t idr_max,
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

static struct queue_geom cmdq_geom(const struct hw_model *m)
{
	return queue_geom(m->cmdq_base, FIELD_GET(IDR1_CMDQS, m->cfg.idr[1]),
			  CMDQ_ENT_SHIFT);
}

static struct queue_geom evtq_geom(const struct hw_model *m)
{
	return queue_geom(m->evtq_base, FIELD_GET(IDR1_EVTQS, m->cfg.idr[1]),
			  EVTQ_ENT_SHIFT);
}

static struct queue_geom priq_geom(const struct hw_model *m)
{
	return queue_geom(m->priq_base, FIELD_GET(IDR1_PRIQS, m->cfg.idr[1]),
			  PRIQ_ENT_SHIFT);
}

/* ---- Global errors and MSIs ---------------------------------------------- */

static bool gerror_active(const struct hw_model *m, uint32_t bit)
{
	return ((m->gerror ^ m->gerrorn) & bit) != 0;
}

/*
 * Send one MSI through an IRQ_CFG0/1 pair. Returns false only when the
 * write aborted; no MSI support or a zero address means a wired interrupt.
 */
static bool msi_send(struct hw_model *m, uint64_t cfg0, uint32_t data,
		     unsigned why)
{
	uint64_t addr = cfg0 & IRQ_CFG0_ADDR_MASK;
	uint8_t buf[MSI_SIZE];
	unsigned i;

	if (!(m->cfg.idr[0] & IDR0_MSI) || addr == 0) {
		return true;
	}
	for (i = 0; i < MSI_SIZE; i++) {
		buf[i] = (uint8_t)(data >> (8U * i));
	}
	return mem_write_dma(m, addr, buf, sizeof(buf), why);
}

/* Activate a global error by toggling its GERROR bit (once while active). */
static void gerror_raise(struct hw_model *m, uint32_t bit)
{
	if (gerror_active(m, bit)) {
		return;
	}
	m->gerror ^= bit;
	if (!(m->irq_ctrlack & IRQ_CTRL_GERROR_IRQEN)) {
		return;
	}
	if (!msi_send(m, m->gerror_irq_cfg0, m->gerror_irq_cfg1,
		      HWM_WRITE_MSI_IRQ) &&
	    !gerror_active(m, GERROR_MSI_GERROR_ABT_ERR)) {
		/* No MSI for this one: it would go to the same bad address. */
		m->gerror ^= GERROR_MSI_GERROR_ABT_ERR;
	}
}

/* ---- Configuration cache ------------------------------------------------- */

static void ste_cache_drop(struct hw_model *m, uint64_t first, uint64_t count)
{
	unsigned i;

	for (i = 0; i < HWM_STE_CACHE; i++) {
		struct hwm_ste_cache_ent *e = &m->ste_cache[i];

		if (e->valid && e->sid >= first && e->sid - first < count) {
			e->valid = false;
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

	for (i = 0; i < HWM_TLB_SIZE; i++) {
		if (tlbi_selects(&m->tlb[i], s)) {
			m->tlb[i].valid = false;
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

static unsigned cmd_sync(struct hw_model *m, const uint64_t cmd[2])
{
	unsigned cs = (unsigned)FIELD_GET(CMD0_SYNC_CS, cmd[0]);
	uint64_t addr = cmd[1] & CMD1_SYNC_MSIADDR_MASK;
	uint32_t data = (uint32_t)FIELD_GET(CMD0_SYNC_MSIDATA, cmd[0]);
	uint8_t buf[MSI_SIZE];
	unsigned i;

	if (cs == 3U) {
		return CERROR_ILL;
	}
	if (cs == CMD0_SYNC_CS_IRQ && (m->cfg.idr[0] & IDR0_MSI) && addr != 0) {
		for (i = 0; i < MSI_SIZE; i++) {
			buf[i] = (uint8_t)(data >> (8U * i));
		}
		if (!mem_write_dma(m, addr, buf, sizeof(buf),
				   HWM_WRITE_MSI_SYNC)) {
			gerror_raise(m, GERROR_MSI_CMDQ_ABT_ERR);
		}
	}
	m->stats.syncs++;
	return CERROR_NONE;
}

/* Execute one fetched command; returns a CERROR_* code. */
static unsigned cmd_exec(struct hw_model *m, const uint64_t cmd[2])
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
		return (m->cfg.idr[0] & IDR0_ATS) ? CERROR_NONE : CERROR_ILL;
	case CMDQ_OP_PRI_RESP:
		return (m->cfg.idr[0] & IDR0_PRI) ? CERROR_NONE : CERROR_ILL;
	case CMDQ_OP_RESUME:
	case CMDQ_OP_STALL_TERM:
		/* STALL_MODEL 0b01: stalls are not supported. */
		return FIELD_GET(IDR0_STALL_MODEL, m->cfg.idr[0]) == 1U ?
		       CERROR_ILL : CERROR_NONE;
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
		return cmd_sync(m, cmd);
	default:
		/* Unknown opcodes and the Secure-only TLBI_EL3_*. */
		return CERROR_ILL;
	}
	return CERROR_NONE;
}

/*
 * Consume commands from CONS up to PROD, at most one queue's worth. On an
 * error CONS stays on the failing entry with CONS.ERR set, and CMDQ_ERR is
 * raised; nothing more is consumed until software acknowledges it.
 */
static void cmdq_consume(struct hw_model *m)
{
	struct queue_geom q = cmdq_geom(m);
	uint32_t n;

	m->cmdq_pending = 0;
	if (!(m->cr0ack & CR0_CMDQEN) || gerror_active(m, GERROR_CMDQ_ERR)) {
		return;
	}
	m->cmdq_cons &= q.ptr_mask;	/* resuming: any old ERR is stale */
	for (n = 0; n <= q.idx_mask; n++) {
		uint32_t cons = m->cmdq_cons & q.ptr_mask;
		uint64_t cmd[2];
		unsigned err;

		if (cons == (m->cmdq_prod & q.ptr_mask)) {
			break;
		}
		if (!mem_read64s(m, q.base + (uint64_t)(cons & q.idx_mask) *
				 CMD_SIZE, cmd, 2)) {
			err = CERROR_ABT;
		} else {
			if (m->obs.cmd != NULL) {
				m->obs.cmd(m->obs.ctx, cmd);
			}
			err = cmd_exec(m, cmd);
		}
		if (err != CERROR_NONE) {
			m->cmdq_cons = cons |
				       (uint32_t)FIELD_PREP(CMDQ_CONS_ERR, err);
			m->stats.cerror++;
			gerror_raise(m, GERROR_CMDQ_ERR);
			return;
		}
		m->stats.cmds++;
		m->cmdq_cons = (cons + 1U) & q.ptr_mask;
	}
}

/* Something may be waiting in the command queue: consume per the timing. */
static void cmdq_kick(struct hw_model *m)
{
	if (!(m->cr0ack & CR0_CMDQEN) || gerror_active(m, GERROR_CMDQ_ERR)) {
		return;
	}
	switch (m->timing) {
	case HWM_PROMPT:
		cmdq_consume(m);
		break;
	case HWM_SLOW:
		if (m->delay == 0) {
			cmdq_consume(m);
		} else if (m->cmdq_pending == 0) {
			m->cmdq_pending = m->delay;
		}
		break;
	default:
		break;	/* HWM_STUCK never consumes */
	}
}

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

static void cr0_apply(struct hw_model *m)
{
	uint32_t old = m->cr0ack;

	m->cr0_pending = 0;
	m->cr0ack = m->cr0;
	if (!(m->cr0ack & CR0_CMDQEN)) {
		m->cmdq_pending = 0;
	} else if (!(old & CR0_CMDQEN)) {
		/* A queue enabled with PROD != CONS starts consuming. */
		cmdq_kick(m);
	}
}

static void gbpa_write(struct hw_model *m, uint32_t val)
{
	/* UPDATE=0 writes are ignored; so are writes while one is in flight. */
	if (!(val & GBPA_UPDATE) || m->gbpa_pending != 0) {
		return;
	}
	m->gbpa_next = val & GBPA_ALLOWED & ~GBPA_UPDATE;
	if (update_start(m, &m->gbpa_pending)) {
		m->gbpa = m->gbpa_next;
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
		m->gbpa = m->gbpa_next;
	}
	return v;
}

static void gerrorn_write(struct hw_model *m, uint32_t val)
{
	bool was_active = gerror_active(m, GERROR_CMDQ_ERR);

	m->gerrorn = val & GERRORN_ALLOWED;
	if (was_active && !gerror_active(m, GERROR_CMDQ_ERR)) {
		cmdq_kick(m);
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

uint32_t hwm_read32(struct hw_model *m, uint32_t off)
{
	uint32_t reg = reg_canon(off);
	uint64_t *r64;
	uint32_t v;

	if (reg == REG_NONE) {
		return 0;
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
				cmdq_consume(m);
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
		return 0;
	}
}

void hwm_write32(struct hw_model *m, uint32_t off, uint32_t val)
{
	uint32_t reg = reg_canon(off);
	uint64_t *r64;
	uint32_t ptr;

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
		m->cmdq_prod = val & cmdq_geom(m).ptr_mask;
		cmdq_kick(m);
		break;
	case SMMU_CMDQ_CONS:
		if (!(m->cr0ack & CR0_CMDQEN)) {
			ptr = cmdq_geom(m).ptr_mask;
			m->cmdq_cons = val & (ptr | CMDQ_CONS_ERR);
		}
		break;
	case SMMU_EVTQ_PROD:
		if (!(m->cr0ack & CR0_EVTQEN)) {
			ptr = evtq_geom(m).ptr_mask;
			m->evtq_prod = val & (ptr | Q_OVERFLOW_FLAG);
		}
		break;
	case SMMU_EVTQ_CONS:
		ptr = evtq_geom(m).ptr_mask;
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
			ptr = priq_geom(m).ptr_mask;
			m->priq_prod = val & (ptr | Q_OVERFLOW_FLAG);
		}
		break;
	case SMMU_PRIQ_CONS:
		ptr = priq_geom(m).ptr_mask;
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
	if (off >= SMMU_MMIO_SIZE) {
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
	if (off < SMMU_MMIO_SIZE) {
		hwm_write32(m, off + 4U, (uint32_t)(val >> 32));
	}
}

/* ---- Stream table ------------------------------------------------------- */

static bool set_fault(struct xfault *f, uint8_t id)
{
	f->id = id;
	f->record = true;
	return false;
}

/* Alignment the SMMU imposes on a table of @bytes: its size, >= 64 bytes. */
static uint64_t table_align(uint64_t bytes)
{
	return bytes < STRTAB_STE_SIZE ? STRTAB_STE_SIZE : bytes;
}

/*
 * Find the STE of @sid through STRTAB_BASE/_CFG.
 *
 *   linear:  base + sid * 64
 *   2-level: L1[sid >> SPLIT] = { Span, L2Ptr },
 *            STE = L2Ptr + (sid & (2^SPLIT - 1)) * 64, index < 2^(Span - 1)
 */
static bool ste_locate(const struct hw_model *m, uint32_t sid, uint64_t *pa,
		       struct xfault *f)
{
	uint32_t cfg = m->strtab_base_cfg;
	unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, cfg);
	unsigned sidsize = (unsigned)FIELD_GET(IDR1_SIDSIZE, m->cfg.idr[1]);
	uint64_t base = m->strtab_base & STRTAB_BASE_ADDR_MASK;
	unsigned split, span, l1_log2;
	uint64_t l1, desc, idx, l2;
	bool two_level;

	/* 2-level is a RES0 encoding when IDR0.ST_LVL does not offer it. */
	two_level = FIELD_GET(STRTAB_CFG_FMT, cfg) == STRTAB_CFG_FMT_2LVL &&
		    FIELD_GET(IDR0_ST_LVL, m->cfg.idr[0]) == IDR0_ST_LVL_2LVL;
	if (log2 > sidsize) {
		log2 = sidsize;
	}
	if (log2 > 32U) {
		log2 = 32U;
	}
	if (((uint64_t)sid >> log2) != 0) {
		return set_fault(f, EVT_ID_BAD_STREAMID);
	}
	if (!two_level) {
		base &= ~(table_align((uint64_t)STRTAB_STE_SIZE << log2) - 1U);
		*pa = base + (uint64_t)sid * STRTAB_STE_SIZE;
		return true;
	}
	split = (unsigned)FIELD_GET(STRTAB_CFG_SPLIT, cfg);
	if (split != 6U && split != 8U && split != 10U) {
		return set_fault(f, EVT_ID_BAD_STREAMID);
	}
	l1_log2 = log2 > split ? log2 - split : 0U;
	base &= ~(table_align((uint64_t)STRTAB_L1_DESC_SIZE << l1_log2) - 1U);
	l1 = base + (uint64_t)(sid >> split) * STRTAB_L1_DESC_SIZE;
	if (!mem_read64s(m, l1, &desc, 1)) {
		f->fetch = l1;
		return set_fault(f, EVT_ID_STE_FETCH);
	}
	span = (unsigned)FIELD_GET(STRTAB_L1_SPAN, desc);
	if (span == 0 || span > split + 1U) {
		return set_fault(f, EVT_ID_BAD_STREAMID);
	}
	idx = sid & ((1U << split) - 1U);
	if (idx >= (1ULL << (span - 1U))) {
		return set_fault(f, EVT_ID_BAD_STREAMID);
	}
	l2 = (desc & STRTAB_L1_L2PTR_MASK) &
	     ~(((uint64_t)STRTAB_STE_SIZE << (span - 1U)) - 1U);
	*pa = l2 + idx * STRTAB_STE_SIZE;
	return true;
}

/*
 * Stage-2 regime of an STE, checked the way the STE is: AArch64 tables, a
 * 4 KiB granule, S2PS within OAS, and a T0SZ/SL0 pair whose start level
 * resolves 1..13 bits (at most 16 concatenated tables), with S2TTB aligned
 * to the start table. False means C_BAD_STE.
 */
static bool s2_parse(const struct hw_model *m, const uint64_t ste[8],
		     struct pt_cfg *c)
{
	uint64_t s2 = ste[2];
	unsigned t0sz = (unsigned)FIELD_GET(STE2_S2T0SZ, s2);
	unsigned sl0 = (unsigned)FIELD_GET(STE2_S2SL0, s2);
	unsigned ps = (unsigned)FIELD_GET(STE2_S2PS, s2);
	unsigned max_ipa = smmu_oas_bits(oas_enc(m));
	unsigned shift;

	if (!(m->cfg.idr[0] & IDR0_S2P) || !(s2 & STE2_S2AA64)) {
		return false;
	}
	if (FIELD_GET(STE2_S2TG, s2) != 0 || !(m->cfg.idr[5] & IDR5_GRAN4K)) {
		return false;
	}
	if (ps > oas_enc(m)) {
		return false;
	}
	if (max_ipa > PT_MAX_IPA_BITS) {
		max_ipa = PT_MAX_IPA_BITS;
	}
	c->ia_bits = 64U - t0sz;
	if (c->ia_bits < S2_MIN_IPA_BITS || c->ia_bits > max_ipa) {
		return false;
	}
	if (sl0 == S2SL0_RESERVED) {
		return false;
	}
	c->start_level = 2U - sl0;	/* SL0 0 -> L2, 1 -> L1, 2 -> L0 */
	shift = PTE_LEVEL_SHIFT(c->start_level);
	if (c->ia_bits <= shift ||
	    c->ia_bits - shift > PTE_LEVEL_BITS + PT_MAX_CONCAT_BITS) {
		return false;
	}
	c->start_bits = c->ia_bits - shift;
	c->ttb = ste[3] & STE3_S2TTB_MASK;
	if ((c->ttb & ((8ULL << c->start_bits) - 1U)) != 0) {
		return false;
	}
	c->oa_bits = smmu_oas_bits(ps);
	c->affd = (s2 & STE2_S2AFFD) != 0;
	c->record = (s2 & STE2_S2R) != 0;
	return true;
}

/* Stage-1 fields of an STE that make it ILLEGAL when wrong. */
static bool s1_ste_legal(const struct hw_model *m, const uint64_t ste[8])
{
	unsigned cdmax = (unsigned)FIELD_GET(STE0_S1CDMAX, ste[0]);
	unsigned fmt = (unsigned)FIELD_GET(STE0_S1FMT, ste[0]);

	if (!(m->cfg.idr[0] & IDR0_S1P)) {
		return false;
	}
	if (cdmax > FIELD_GET(IDR1_SSIDSIZE, m->cfg.idr[1])) {
		return false;
	}
	if (cdmax == 0) {
		return true;	/* S1Fmt and S1DSS are ignored */
	}
	if (fmt > S1FMT_64K_L2 ||
	    (fmt != S1FMT_LINEAR && !(m->cfg.idr[0] & IDR0_CD2L))) {
		return false;
	}
	return FIELD_GET(STE1_S1DSS, ste[1]) <= S1DSS_SSID0;
}

/* Whether an STE may be used (and cached); false means C_BAD_STE. */
static bool ste_legal(const struct hw_model *m, const uint64_t ste[8])
{
	unsigned cfg = (unsigned)FIELD_GET(STE0_CFG, ste[0]);
	struct pt_cfg s2;

	if (!(ste[0] & STE0_V)) {
		return false;
	}
	if (cfg == STE_CFG_ABORT || cfg == STE_CFG_BYPASS) {
		return true;
	}
	if (cfg < STE_CFG_BYPASS) {
		return false;	/* 0b001..0b011 are reserved */
	}
	if ((cfg & 1U) && !s1_ste_legal(m, ste)) {
		return false;
	}
	if ((cfg & 2U) && !s2_parse(m, ste, &s2)) {
		return false;
	}
	return true;
}

/*
 * The STE of @sid: from the configuration cache, or fetched from memory and
 * cached if legal (invalid and ILLEGAL STEs are never cached).
 */
static bool ste_get(struct hw_model *m, uint32_t sid, uint64_t ste[8],
		    struct xfault *f)
{
	struct hwm_ste_cache_ent *e = &m->ste_cache[sid % HWM_STE_CACHE];
	uint64_t pa;

	if (e->valid && e->sid == sid) {
		memcpy(ste, e->ste, sizeof(e->ste));
		return true;
	}
	if (!ste_locate(m, sid, &pa, f)) {
		return false;
	}
	if (!mem_read64s(m, pa, ste, STRTAB_STE_DWORDS)) {
		f->fetch = pa;
		return set_fault(f, EVT_ID_STE_FETCH);
	}
	m->stats.ste_fetches++;
	if (m->obs.ste_fetch != NULL) {
		m->obs.ste_fetch(m->obs.ctx, sid, ste);
	}
	if (!ste_legal(m, ste)) {
		return set_fault(f, EVT_ID_BAD_STE);
	}
	e->valid = true;
	m->stats.cache_fills++;
	e->sid = sid;
	memcpy(e->ste, ste, sizeof(e->ste));
	return true;
}

/* ---- Page-table walks ---------------------------------------------------- */

static enum pt_kind pt_decode(uint64_t desc, unsigned level)
{
	if (!(desc & PTE_VALID)) {
		return PT_INVALID;
	}
	if (level == 3U) {
		return (desc & PTE_TYPE) ? PT_LEAF : PT_INVALID;
	}
	if (desc & PTE_TYPE) {
		return PT_TABLE;
	}
	/* Blocks exist at levels 1 and 2 of the 4 KiB granule only. */
	return level == 0 ? PT_INVALID : PT_LEAF;
}

static uint64_t pt_index(const struct pt_cfg *c, uint64_t in, unsigned level)
{
	unsigned bits = level == c->start_level ? c->start_bits
						: PTE_LEVEL_BITS;

	return (in >> PTE_LEVEL_SHIFT(level)) & ((1ULL << bits) - 1U);
}

static bool s2_fault(struct xfault *f, const struct pt_cfg *c, uint64_t ipa,
		     uint8_t id)
{
	f->id = id;
	f->s2 = true;
	f->cls = EVT_CLASS_IN;
	f->ipa = ipa;
	f->record = id == EVT_ID_WALK_EABT || c->record;
	return false;
}

/*
 * Stage-2 walk of @ipa. Faults are reported in priority order: translation,
 * address size, access flag, permission. The caller sets the class.
 */
static bool s2_walk(const struct hw_model *m, const struct pt_cfg *c,
		    uint64_t ipa, bool write, struct walk_out *o,
		    struct xfault *f)
{
	uint64_t table = c->ttb;
	unsigned level = c->start_level;
	unsigned n;

	if ((ipa >> c->ia_bits) != 0) {
		return s2_fault(f, c, ipa, EVT_ID_TRANSLATION);
	}
	if ((table >> c->oa_bits) != 0) {
		return s2_fault(f, c, ipa, EVT_ID_ADDR_SIZE);
	}
	for (n = 0; n < PT_LEVELS && level <= 3U; n++, level++) {
		uint64_t da = table + pt_index(c, ipa, level) * 8U;
		uint64_t desc, size, out;
		enum pt_kind kind;
		uint8_t perm;

		if (!mem_read64s(m, da, &desc, 1)) {
			f->fetch = da;
			return s2_fault(f, c, ipa, EVT_ID_WALK_EABT);
		}
		kind = pt_decode(desc, level);
		if (kind == PT_INVALID) {
			return s2_fault(f, c, ipa, EVT_ID_TRANSLATION);
		}
		if (kind == PT_TABLE) {
			table = desc & PTE_ADDR_MASK;
			if ((table >> c->oa_bits) != 0) {
				return s2_fault(f, c, ipa, EVT_ID_ADDR_SIZE);
			}
			continue;
		}
		size = 1ULL << PTE_LEVEL_SHIFT(level);
		out = (desc & PTE_ADDR_MASK & ~(size - 1U)) | (ipa & (size - 1U));
		if ((out >> c->oa_bits) != 0) {
			return s2_fault(f, c, ipa, EVT_ID_ADDR_SIZE);
		}
		if (!(desc & PTE_AF) && !c->affd) {
			return s2_fault(f, c, ipa, EVT_ID_ACCESS);
		}
		perm = (uint8_t)(((desc & PTE_S2_AP_R) ? 1U : 0U) |
				 ((desc & PTE_S2_AP_W) ? 2U : 0U));
		if (!(perm & (write ? 2U : 1U))) {
			return s2_fault(f, c, ipa, EVT_ID_PERMISSION);
		}
		o->out = out;
		o->perm = perm;
		o->memattr = (uint8_t)FIELD_GET(PTE_S2_MEMATTR, desc);
		return true;
	}
	return s2_fault(f, c, ipa, EVT_ID_TRANSLATION);
}

static bool s1_fault(struct xfault *f, const struct pt_cfg *c, uint8_t id)
{
	f->id = id;
	f->s2 = false;
	f->cls = EVT_CLASS_IN;
	f->record = id == EVT_ID_WALK_EABT || c->record;
	return false;
}

/*
 * Stage-1 walk of @va. With @s2 (nested), every table address is an IPA
 * read through stage 2 first; a fault there is a stage-2 fault of class TT.
 */
static bool s1_walk(const struct hw_model *m, const struct pt_cfg *c,
		    const struct pt_cfg *s2, uint64_t va, bool write,
		    struct walk_out *o, struct xfault *f)
{
	uint64_t table = c->ttb;
	unsigned level = c->start_level;
	unsigned n;

	if ((va >> c->ia_bits) != 0) {
		return s1_fault(f, c, EVT_ID_TRANSLATION);
	}
	if ((table >> c->oa_bits) != 0) {
		return s1_fault(f, c, EVT_ID_ADDR_SIZE);
	}
	for (n = 0; n < PT_LEVELS && level <= 3U; n++, level++) {
		uint64_t da = table + pt_index(c, va, level) * 8U;
		uint64_t desc, size, out;
		enum pt_kind kind;
		struct walk_out w;

		if (s2 != NULL) {
			if (!s2_walk(m, s2, da, false, &w, f)) {
				f->cls = EVT_CLASS_TT;
				return false;
			}
			da = w.out;
		}
		if (!mem_read64s(m, da, &desc, 1)) {
			f->fetch = da;
			s1_fault(f, c, EVT_ID_WALK_EABT);
			f->cls = EVT_CLASS_TT;
			return false;
		}
		kind = pt_decode(desc, level);
		if (kind == PT_INVALID) {
			return s1_fault(f, c, EVT_ID_TRANSLATION);
		}
		if (kind == PT_TABLE) {
			table = desc & PTE_ADDR_MASK;
			if ((table >> c->oa_bits) != 0) {
				return s1_fault(f, c, EVT_ID_ADDR_SIZE);
			}
			continue;
		}
		size = 1ULL << PTE_LEVEL_SHIFT(level);
		out = (desc & PTE_ADDR_MASK & ~(size - 1U)) | (va & (size - 1U));
		if ((out >> c->oa_bits) != 0) {
			return s1_fault(f, c, EVT_ID_ADDR_SIZE);
		}
		if (!(desc & PTE_AF)) {
			return s1_fault(f, c, EVT_ID_ACCESS);
		}
		o->perm = (desc & PTE_S1_AP_RO) ? 1U : 3U;
		if (write && !(o->perm & 2U)) {
			return s1_fault(f, c, EVT_ID_PERMISSION);
		}
		o->out = out;
		o->memattr = MEMATTR_WB;
		return true;
	}
	return s1_fault(f, c, EVT_ID_TRANSLATION);
}

/* ---- Context descriptors ------------------------------------------------ */

/* Read CD-table data at @addr (an IPA when nested); stage-2 faults: CD. */
static bool cd_read(const struct hw_model *m, const struct pt_cfg *s2,
		    uint64_t addr, uint64_t *dst, unsigned count,
		    struct xfault *f)
{
	struct walk_out w;
	uint64_t pa = addr;

	if (s2 != NULL) {
		if (!s2_walk(m, s2, addr, false, &w, f)) {
			f->cls = EVT_CLASS_CD;
			return false;
		}
		pa = w.out;
	}
	if (!mem_read64s(m, pa, dst, count)) {
		f->fetch = pa;
		f->s2 = false;
		f->cls = EVT_CLASS_CD;
		return set_fault(f, EVT_ID_CD_FETCH);
	}
	return true;
}

/*
 * Select and fetch the CD of a transaction. *s1_bypass is set when S1DSS
 * lets a transaction without a substream skip stage 1.
 */
static bool cd_get(const struct hw_model *m, const uint64_t ste[8],
		   const struct pt_cfg *s2, bool ssv, uint32_t ssid,
		   uint64_t cd[8], bool *s1_bypass, struct xfault *f)
{
	unsigned cdmax = (unsigned)FIELD_GET(STE0_S1CDMAX, ste[0]);
	unsigned fmt = (unsigned)FIELD_GET(STE0_S1FMT, ste[0]);
	unsigned dss = (unsigned)FIELD_GET(STE1_S1DSS, ste[1]);
	uint64_t ctx = ste[0] & STE0_S1CTXPTR_MASK;
	uint64_t addr = ctx, idx = 0, desc;
	unsigned leaf_bits;

	*s1_bypass = false;
	if (cdmax == 0) {
		if (ssv) {
			return set_fault(f, EVT_ID_BAD_SUBSTREAMID);
		}
		return cd_read(m, s2, addr, cd, CD_DWORDS, f);
	}
	if (ssv) {
		if (((uint64_t)ssid >> cdmax) != 0) {
			return set_fault(f, EVT_ID_BAD_SUBSTREAMID);
		}
		idx = ssid;
	} else if (dss == S1DSS_BYPASS) {
		*s1_bypass = true;
		return true;
	} else if (dss != S1DSS_SSID0) {
		return set_fault(f, EVT_ID_BAD_SUBSTREAMID);
	}
	if (fmt == S1FMT_LINEAR) {
		addr = ctx + idx * (CD_DWORDS * 8U);
	} else {
		leaf_bits = fmt == S1FMT_4K_L2 ? 6U : 10U;
		if (!cd_read(m, s2, ctx + (idx >> leaf_bits) * 8U, &desc, 1,
			     f)) {
			return false;
		}
		if (!(desc & CD_L1_V)) {
			return set_fault(f, EVT_ID_BAD_SUBSTREAMID);
		}
		addr = (desc & CD_L1_L2PTR_MASK) +
		       (idx & ((1ULL << leaf_bits) - 1U)) * (CD_DWORDS * 8U);
	}
	return cd_read(m, s2, addr, cd, CD_DWORDS, f);
}

/* Stage-1 regime of a CD; false means C_BAD_CD. */
static bool cd_parse(const struct hw_model *m, const uint64_t cd[8],
		     struct pt_cfg *c)
{
	uint64_t c0 = cd[0];
	unsigned t0sz = (unsigned)FIELD_GET(CD0_T0SZ, c0);
	unsigned ips = (unsigned)FIELD_GET(CD0_IPS, c0);
	unsigned levels;

	if (!(c0 & CD0_V) || !(c0 & CD0_AA64)) {
		return false;
	}
	if (FIELD_GET(CD0_TG0, c0) != 0 || !(m->cfg.idr[5] & IDR5_GRAN4K)) {
		return false;
	}
	if (t0sz < S1_MIN_T0SZ || t0sz > S1_MAX_T0SZ || ips > oas_enc(m)) {
		return false;
	}
	c->ia_bits = 64U - t0sz;
	/* Enough levels of 9 bits to cover the bits above the page offset. */
	levels = (c->ia_bits - PAGE_BITS + PTE_LEVEL_BITS - 1U) /
		 PTE_LEVEL_BITS;
	c->start_level = PT_LEVELS - levels;
	c->start_bits = c->ia_bits - PTE_LEVEL_SHIFT(c->start_level);
	/* Bits of TTB0 below the start table's size are ignored. */
	c->ttb = cd[1] & CD1_TTB0_MASK & ~((8ULL << c->start_bits) - 1U);
	c->oa_bits = smmu_oas_bits(ips);
	c->affd = false;
	c->record = (c0 & CD0_R) != 0;
	return true;
}

/* ---- Events ------------------------------------------------------------- */

static void evt_emit(struct hw_model *m, const struct xfault *f, uint32_t sid,
		     bool ssv, uint32_t ssid, uint64_t iova, bool write)
{
	struct queue_geom q = evtq_geom(m);
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
		return;
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
		return;
	}
	for (i = 0; i < EVTQ_ENT_DWORDS; i++) {
		put_le64(buf + 8U * i, rec[i]);
	}
	if (!mem_write_dma(m, q.base + (uint64_t)(prod & q.idx_mask) * EVT_SIZE,
			   buf, sizeof(buf), HWM_WRITE_EVENT)) {
		m->stats.events_lost++;
		gerror_raise(m, GERROR_EVTQ_ABT_ERR);
		return;
	}
	m->stats.events++;
	m->evtq_prod = (m->evtq_prod & Q_OVERFLOW_FLAG) |
		       ((prod + 1U) & q.ptr_mask);
	if ((m->irq_ctrlack & IRQ_CTRL_EVTQ_IRQEN) &&
	    !msi_send(m, m->evtq_irq_cfg0, m->evtq_irq_cfg1,
		      HWM_WRITE_MSI_IRQ)) {
		gerror_raise(m, GERROR_MSI_EVTQ_ABT_ERR);
	}
}

/* ---- Translation ------------------------------------------------------- */

static struct hwm_tlb_ent *tlb_slot(struct hw_model *m, uint64_t iova_page)
{
	return &m->tlb[iova_page % HWM_TLB_SIZE];
}

static bool dma_fault(struct hw_model *m, const struct xfault *f,
		      uint32_t sid, bool ssv, uint32_t ssid, uint64_t iova,
		      bool write, struct hwm_dma_result *res)
{
	res->ok = false;
	res->event = f->id;
	res->fault_addr = f->s2 ? f->ipa : iova;
	if (f->record) {
		evt_emit(m, f, sid, ssv, ssid, iova, write);
	}
	return false;
}

static bool dma_bypass(uint64_t iova, struct hwm_dma_result *res)
{
	res->ok = true;
	res->bypass = true;
	res->pa = iova;
	return true;
}

bool hwm_dma(struct hw_model *m, uint32_t sid, bool ssv, uint32_t ssid,
	     uint64_t iova, bool write, struct hwm_dma_result *res)
{
	uint64_t ste[STRTAB_STE_DWORDS], cd[CD_DWORDS];
	uint64_t page = iova >> PAGE_BITS;
	struct pt_cfg s1c, s2c;
	struct walk_out w1, w2;
	struct hwm_tlb_ent *e;
	struct xfault f;
	bool s1 = false, s2 = false, s1_bypass = false;
	uint16_t vmid = 0, asid = 0;
	unsigned cfg;
	uint8_t need = write ? 2U : 1U;

	memset(res, 0, sizeof(*res));
	memset(&f, 0, sizeof(f));
	res->memattr = MEMATTR_WB;
	if (!ssv) {
		ssid = 0;
	}
	if (!(m->cr0ack & CR0_SMMUEN)) {
		if (m->gbpa & GBPA_ABORT) {
			return false;
		}
		return dma_bypass(iova, res);
	}
	if (!ste_get(m, sid, ste, &f)) {
		return dma_fault(m, &f, sid, ssv, ssid, iova, write, res);
	}
	cfg = (unsigned)FIELD_GET(STE0_CFG, ste[0]);
	if (cfg == STE_CFG_ABORT) {
		return false;
	}
	/* A substream on a stream without stage 1 has no CD to select. */
	if (ssv && !(cfg & 1U)) {
		set_fault(&f, EVT_ID_BAD_SUBSTREAMID);
		return dma_fault(m, &f, sid, ssv, ssid, iova, write, res);
	}
	if (cfg == STE_CFG_BYPASS) {
		return dma_bypass(iova, res);
	}
	vmid = vmid_of(m, FIELD_GET(STE2_S2VMID, ste[2]));
	s2 = (cfg & 2U) != 0;
	/* Cached STEs passed this check already; it also fills s2c. */
	if (s2 && !s2_parse(m, ste, &s2c)) {
		set_fault(&f, EVT_ID_BAD_STE);
		return dma_fault(m, &f, sid, ssv, ssid, iova, write, res);
	}
	if (cfg & 1U) {
		if (!cd_get(m, ste, s2 ? &s2c : NULL, ssv, ssid, cd,
			    &s1_bypass, &f)) {
			return dma_fault(m, &f, sid, ssv, ssid, iova, write,
					 res);
		}
		if (!s1_bypass) {
			if (!cd_parse(m, cd, &s1c)) {
				set_fault(&f, EVT_ID_BAD_CD);
				return dma_fault(m, &f, sid, ssv, ssid, iova,
						 write, res);
			}
			if (cd[0] & CD0_EPD0) {
				s1_fault(&f, &s1c, EVT_ID_TRANSLATION);
				return dma_fault(m, &f, sid, ssv, ssid, iova,
						 write, res);
			}
			s1 = true;
			asid = asid_of(m, FIELD_GET(CD0_ASID, cd[0]));
		}
	}
	if (!s1 && !s2) {
		return dma_bypass(iova, res);
	}

	e = tlb_slot(m, page);
	if (e->valid && e->iova_page == page && e->vmid == vmid &&
	    e->asid == asid && e->s1 == s1 && e->s2 == s2 &&
	    (e->perm & need) == need) {
		/* A hit that lacks the permission is walked again instead. */
		m->stats.tlb_hits++;
		res->ok = true;
		res->s1 = s1;
		res->s2 = s2;
		res->tlb_hit = true;
		res->pa = (e->pa_page << PAGE_BITS) |
			  (iova & ((1ULL << PAGE_BITS) - 1U));
		res->memattr = e->memattr;
		return true;
	}

	w1.out = iova;
	w1.perm = 3U;
	w1.memattr = MEMATTR_WB;
	if (s1 && !s1_walk(m, &s1c, s2 ? &s2c : NULL, iova, write, &w1, &f)) {
		return dma_fault(m, &f, sid, ssv, ssid, iova, write, res);
	}
	w2 = w1;
	if (s2) {
		if (!s2_walk(m, &s2c, w1.out, write, &w2, &f)) {
			f.cls = EVT_CLASS_IN;
			return dma_fault(m, &f, sid, ssv, ssid, iova, write,
					 res);
		}
		w2.perm &= w1.perm;
	}

	e->valid = true;
	m->stats.cache_fills++;
	e->s1 = s1;
	e->s2 = s2;
	e->asid = asid;
	e->vmid = vmid;
	e->sid = sid;
	e->ssid = ssid;
	e->iova_page = page;
	e->ipa_page = w1.out >> PAGE_BITS;
	e->pa_page = w2.out >> PAGE_BITS;
	e->perm = w2.perm;
	e->memattr = s2 ? w2.memattr : MEMATTR_WB;

	res->ok = true;
	res->s1 = s1;
	res->s2 = s2;
	res->pa = w2.out;
	res->memattr = e->memattr;
	return true;
}

/* ---- Lifecycle and queries ------------------------------------------- */

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
}

bool hwm_enabled(const struct hw_model *m)
{
	return (m->cr0ack & CR0_SMMUEN) != 0;
}

bool hwm_ste_addr(const struct hw_model *m, uint32_t sid, uint64_t *pa)
{
	struct xfault f;

	memset(&f, 0, sizeof(f));
	return ste_locate(m, sid, pa, &f);
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
