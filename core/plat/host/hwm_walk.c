/* SPDX-License-Identifier: MIT */
/*
 * Reference SMMUv3: how a device transaction is translated. The stream
 * table, context descriptors, stage-1 and stage-2 walks, the configuration
 * cache and TLB fills, and hwm_dma.
 */

#include "hwm_priv.h"

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

/* Translation regime of one stage, derived from a CD or an STE. */
struct pt_cfg {
	uint64_t ttb;
	unsigned ia_bits;
	unsigned oa_bits;
	unsigned start_level;
	unsigned start_bits;	/* index bits resolved at the start level */
	bool affd;		/* stage 2: access-flag faults disabled */
	bool record;
	bool stall;		/* translation-related faults stall */
};

struct walk_out {
	uint64_t out;
	uint8_t perm;		/* bit0 read, bit1 write */
	uint8_t memattr;
};

enum pt_kind { PT_INVALID, PT_TABLE, PT_LEAF };

static unsigned oas_enc(const struct hw_model *m)
{
	return (unsigned)FIELD_GET(IDR5_OAS, m->cfg.idr[5]);
}

/* ---- Stream table ------------------------------------------------------- */

/* A configuration or fetch fault: always recorded, never stalled. */
static bool set_fault(struct xfault *f, uint8_t id)
{
	f->id = id;
	f->record = true;
	f->stall = false;
	return false;
}

/* The four faults that CD.R/S and STE.S2R/S2S govern. */
static bool translation_related(uint8_t id)
{
	return id == EVT_ID_TRANSLATION || id == EVT_ID_ADDR_SIZE ||
	       id == EVT_ID_ACCESS || id == EVT_ID_PERMISSION;
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
bool hwm_ste_locate(const struct hw_model *m, uint32_t sid, uint64_t *pa,
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
	if (!hwm_mem_read64s(m, l1, &desc, 1)) {
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
	c->stall = (s2 & STE2_S2S) && hwm_stall_model(m);
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
	if (!hwm_ste_locate(m, sid, &pa, f)) {
		return false;
	}
	if (!hwm_mem_read64s(m, pa, ste, STRTAB_STE_DWORDS)) {
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
	m->ste_cache_live += !e->valid;
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
	f->stall = c->stall && translation_related(id);
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

		if (!hwm_mem_read64s(m, da, &desc, 1)) {
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
	f->stall = c->stall && translation_related(id);
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
		if (!hwm_mem_read64s(m, da, &desc, 1)) {
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
	if (!hwm_mem_read64s(m, pa, dst, count)) {
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
	c->stall = (c0 & CD0_S) && hwm_stall_model(m);
	return true;
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
	struct xfault held = *f;

	res->ok = false;
	res->event = f->id;
	res->fault_addr = f->s2 ? f->ipa : iova;
	/* A stall is always recorded; unrecorded, it is terminated instead. */
	if (f->stall &&
	    hwm_stall_hold(m, sid, ssv, ssid, iova, write, &held.stag)) {
		held.stalled = true;
		if (hwm_evt_emit(m, &held, sid, ssv, ssid, iova, write)) {
			res->stalled = true;
			m->stats.stalls++;
		} else {
			hwm_stall_release(m, held.stag);
		}
		return false;
	}
	if (f->record) {
		(void)hwm_evt_emit(m, f, sid, ssv, ssid, iova, write);
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
	if (m->sfm) {
		/* Service failure: every transaction ends, none is recorded. */
		return false;
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
			/* CD.S is ILLEGAL where the STE disables stalls. */
			if (s1c.stall && (ste[1] & STE1_S1STALLD)) {
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

	m->tlb_live += !e->valid;
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

bool hwm_ste_addr(const struct hw_model *m, uint32_t sid, uint64_t *pa)
{
	struct xfault f;

	memset(&f, 0, sizeof(f));
	return hwm_ste_locate(m, sid, pa, &f);
}

