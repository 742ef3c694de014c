// SPDX-License-Identifier: MIT
/*
 * qemu-linux --record: what a real Linux host did to the SMMU, as an op
 * stream the host and EL2 builds replay. Every trapped access the core
 * emulated becomes a register op; every ownership change an OWN op; the
 * host memory the core read (commands, L1 descriptors, STEs) becomes the
 * matching op (qpoke, l1, ste) just before the access that made the core
 * read it, with the value it read. The CDs an STE or a CFGI_CD names are
 * recorded the same way (the core does not read them; a device does).
 *
 * Linux keeps its structures anywhere in its RAM; a replay has the op
 * stream's layout (docs/op-stream.md §2). Each structure is moved to its
 * place there as the recording first meets it (the stream table to
 * LAYOUT_HOST_STRTAB, the n-th L2 table to the n-th L2 slot, ...), and the
 * pointers in what is recorded (queue and table bases, L2Ptr,
 * S1ContextPtr, TTB0/1) are rewritten to match. A word is recorded only
 * when the replay's memory would hold something else: a replay starts
 * from zeroed host RAM, as the recording does.
 *
 * When the driver turns the SMMU off (its shutdown), the state it leaves
 * is recorded too, just before: the stage-1 tables each CD names (moved
 * into LAYOUT_HOST_PGT, the pages they map into LAYOUT_HOST_DATA) and a
 * DMA probe of each page still mapped, so a replay translates through the
 * real driver's STEs, CDs and tables.
 */
#include <string.h>

#include <smmu/regs.h>
#include "hyp.h"
#include "opstream.h"

#define REC_MAX_OPS	16384U		/* more than a replay takes: reported */
#define REC_REGIONS	512U		/* structures, and the hostile pages */
#define SHADOW_SLOTS	16384U		/* recorded words (power of two) */
#define SID_CDS		16U
#define CD_SLOT		0x1000U		/* layout room per CD table, page table */
#define WALK_TABLES	64U		/* stage-1 tables recorded per CD */
#define PROBES_PER_SID	4U
#define PTE_ADDR	0x0000FFFFFFFFF000ULL
#define GITS_TRANSLATER	0x40U		/* where MSIs go in an ITS doorbell page */

enum region_kind { R_STRTAB, R_L2, R_CMDQ, R_EVTQ, R_PRIQ, R_CD, R_PGT, R_DATA };

/* A piece of Linux's memory and where the replay has it. */
struct region {
	uint64_t pa, size, at;
	enum region_kind kind;
	uint32_t first_sid;		/* R_L2: the SID of its first STE */
};

struct shadow {
	uint64_t addr;			/* 0: free */
	uint64_t val;
};

static struct {
	bool on;
	struct op ops[REC_MAX_OPS];
	uint32_t n;
	bool overflow;
	struct region reg[REC_REGIONS];
	unsigned nreg;
	unsigned l2_slots, cd_slots, pgt_slots, data_pages;
	uint32_t strtab_cfg;
	uint32_t cr0;			/* the host's last CR0 write */
	struct shadow shadow[SHADOW_SLOTS];
	unsigned shadow_used;
	struct { uint32_t sid; uint64_t cd_pa; unsigned cdmax; } sid_cd[SID_CDS];
	struct rec_stats st;
} rec;

void rec_start(void)
{
	rec.on = true;
}

bool rec_active(void)
{
	return rec.on;
}

const struct rec_stats *rec_stats(void)
{
	rec.st.ops = rec.n;
	rec.st.overflow = rec.overflow;
	return &rec.st;
}

static void emit(const struct op *op)
{
	if (rec.n >= REC_MAX_OPS) {
		rec.overflow = true;
		return;
	}
	rec.ops[rec.n++] = *op;
}

/* ---- The replay's memory, as far as the recording wrote it ---------------- */

static struct shadow *shadow_of(uint64_t addr)
{
	uint32_t h = (uint32_t)((addr >> 3) * 0x9E3779B1U) & (SHADOW_SLOTS - 1U);
	unsigned k;

	for (k = 0; k < SHADOW_SLOTS; k++, h = (h + 1U) & (SHADOW_SLOTS - 1U)) {
		if (rec.shadow[h].addr == addr)
			return &rec.shadow[h];
		if (rec.shadow[h].addr == 0) {
			/* Keep a quarter free, so probes stay short; a full
			 * table records every word (correct, only longer). */
			if (rec.shadow_used >= SHADOW_SLOTS * 3U / 4U)
				return NULL;
			rec.shadow_used++;
			rec.shadow[h].addr = addr;
			return &rec.shadow[h];
		}
	}
	return NULL;
}

/* Whether the replay's word at @addr must be set to @val (and now is). */
static bool word_changes(uint64_t addr, uint64_t val)
{
	struct shadow *s = shadow_of(addr);

	if (s == NULL)
		return true;
	if (s->val == val)
		return false;
	s->val = val;
	return true;
}

/* ---- Where Linux's structures go in the layout ------------------------------- */

static struct region *region_add(enum region_kind kind, uint64_t pa, uint64_t size, uint64_t at)
{
	struct region *r;

	if (rec.nreg >= REC_REGIONS) {
		rec.st.unmapped++;
		return NULL;
	}
	r = &rec.reg[rec.nreg++];
	r->pa = pa;
	r->size = size;
	r->at = at;
	r->kind = kind;
	r->first_sid = 0;
	return r;
}

/* The newest region holding [pa, pa + len): a base programmed again
 * replaces what it named before. */
static struct region *region_of(uint64_t pa, size_t len)
{
	unsigned i;

	for (i = rec.nreg; i-- > 0;) {
		struct region *r = &rec.reg[i];

		if (pa >= r->pa && pa - r->pa < r->size && len <= r->size - (pa - r->pa))
			return r;
	}
	return NULL;
}

static struct region *region_at(enum region_kind kind, uint64_t pa)
{
	unsigned i;

	for (i = rec.nreg; i-- > 0;)
		if (rec.reg[i].kind == kind && rec.reg[i].pa == pa)
			return &rec.reg[i];
	return NULL;
}

/* A table of @kind at Linux's @pa, given the next free slot of its area
 * (@slots of @slot_size bytes at @area); 0 when the area is full. */
static uint64_t place(enum region_kind kind, uint64_t pa, uint64_t size, uint64_t area,
		      unsigned *next, unsigned slots, uint64_t slot_size)
{
	struct region *r = region_at(kind, pa);

	if (r != NULL)
		return r->at;
	if (*next >= slots || size > slot_size) {
		rec.st.unmapped++;
		return 0;
	}
	r = region_add(kind, pa, size, area + (uint64_t)*next * slot_size);
	if (r == NULL)
		return 0;
	(*next)++;
	return r->at;
}

static uint64_t place_pgt(uint64_t pa)
{
	return pa == 0 ? 0 : place(R_PGT, pa, CD_SLOT, LAYOUT_HOST_PGT, &rec.pgt_slots,
				   0x100000U / CD_SLOT, CD_SLOT);
}

/* ---- Register accesses ------------------------------------------------------ */

/* A queue or table base Linux programmed: where the replay's is. */
static uint64_t rebase(uint32_t off, uint64_t val)
{
	uint64_t pa, mask = off == SMMU_STRTAB_BASE ? STRTAB_BASE_ADDR_MASK : Q_BASE_ADDR_MASK;
	uint64_t size, at;
	enum region_kind kind;

	pa = val & mask;
	if (pa == 0)
		return val;
	switch (off) {
	case SMMU_STRTAB_BASE:
		kind = R_STRTAB;
		at = LAYOUT_HOST_STRTAB;
		size = 0x100000U;	/* until STRTAB_BASE_CFG says */
		break;
	case SMMU_CMDQ_BASE:
		kind = R_CMDQ;
		at = LAYOUT_HOST_CMDQ;
		size = 16ULL << FIELD_GET(Q_BASE_LOG2SIZE, val);
		break;
	case SMMU_EVTQ_BASE:
		kind = R_EVTQ;
		at = LAYOUT_HOST_EVTQ;
		size = 32ULL << FIELD_GET(Q_BASE_LOG2SIZE, val);
		break;
	default:
		kind = R_PRIQ;
		at = LAYOUT_HOST_PRIQ;
		size = 16ULL << FIELD_GET(Q_BASE_LOG2SIZE, val);
		break;
	}
	if (size > 0x100000U) {
		rec.st.unmapped++;
		return val;
	}
	(void)region_add(kind, pa, size, at);
	return (val & ~mask) | at;
}

/* The stream table's size, once its format is known. */
static void strtab_sized(uint32_t cfg)
{
	uint32_t log2 = (uint32_t)FIELD_GET(STRTAB_CFG_LOG2SIZE, cfg);
	uint32_t split = (uint32_t)FIELD_GET(STRTAB_CFG_SPLIT, cfg);
	uint64_t size;
	unsigned i;

	rec.strtab_cfg = cfg;
	if (FIELD_GET(STRTAB_CFG_FMT, cfg) == STRTAB_CFG_FMT_2LVL)
		size = (log2 > split ? 1ULL << (log2 - split) : 1ULL) * STRTAB_L1_DESC_SIZE;
	else
		size = (1ULL << (log2 < 14U ? log2 : 14U)) * STRTAB_STE_SIZE;
	for (i = rec.nreg; i-- > 0;) {
		if (rec.reg[i].kind == R_STRTAB) {
			rec.reg[i].size = size < 0x100000U ? size : 0x100000U;
			return;
		}
	}
}

void rec_mmio(uint32_t off, unsigned size, bool write, uint64_t val)
{
	struct op op = { 0 };
	int idx = ops_reg_by_offset(off);

	if (!rec.on)
		return;
	rec.st.mmio++;
	if (write && size == 8 && (off == SMMU_STRTAB_BASE || off == SMMU_CMDQ_BASE ||
				   off == SMMU_EVTQ_BASE || off == SMMU_PRIQ_BASE))
		val = rebase(off, val);
	if (write && size == 4 && off == SMMU_STRTAB_BASE_CFG)
		strtab_sized((uint32_t)val);
	if (idx >= 0 && ops_reg((unsigned)idx)->width == size) {
		op.code = write ? OP_WRITE : OP_READ;
		op.a8 = (uint8_t)idx;
	} else {
		op.code = write ? OP_WRITEX : OP_READX;
		op.a8 = (uint8_t)(size == 8 ? 3 : size == 4 ? 2 : size == 2 ? 1 : 0);
		op.a32 = off;
	}
	if (write)
		op.v0 = val;
	emit(&op);
}

/* ---- Host memory the core read ------------------------------------------------- */

static void emit_ste(uint32_t sid, unsigned dw, uint64_t v)
{
	struct op op = { .code = OP_STE, .a32 = sid, .b8 = (uint8_t)dw, .v0 = v };

	emit(&op);
}

static void emit_cd(uint32_t idx, unsigned dw, uint64_t v)
{
	struct op op = { .code = OP_CD, .a32 = idx, .b8 = (uint8_t)dw, .v0 = v };

	emit(&op);
}

/* The CD table @cd_pa (1 << @cdmax CDs) as Linux holds it now: where a
 * device would fetch it from. */
static uint64_t record_cds(uint64_t cd_pa, unsigned cdmax)
{
	unsigned n = 1U << (cdmax < 6U ? cdmax : 6U), c, dw;
	uint64_t at = place(R_CD, cd_pa, (uint64_t)n * 64U, LAYOUT_HOST_CD, &rec.cd_slots,
			    0x100000U / CD_SLOT, CD_SLOT);

	if (at == 0 || cd_pa < EL2_RAM_BASE || cd_pa - EL2_RAM_BASE >= el2_ram_size())
		return at;
	for (c = 0; c < n; c++) {
		const volatile uint64_t *cd =
			(const volatile uint64_t *)(uintptr_t)(cd_pa + 64U * c);
		uint32_t idx = (uint32_t)((at - LAYOUT_HOST_CD) / 64U) + c;

		/* dw0 (V) last, as a driver publishes it. */
		for (dw = 1; dw <= 8; dw++) {
			unsigned k = dw & 7U;
			uint64_t v = cd[k];

			if (k == 1 && (v & CD1_TTB0_MASK) != 0)
				v = (v & ~CD1_TTB0_MASK) | place_pgt(v & CD1_TTB0_MASK);
			if (k == 2 && (v & CD1_TTB0_MASK) != 0)
				v = (v & ~CD1_TTB0_MASK) | place_pgt(v & CD1_TTB0_MASK);
			if (word_changes(at + 64U * c + 8U * k, v))
				emit_cd(idx, k, v);
		}
	}
	return at;
}

static void remember_cd(uint32_t sid, uint64_t cd_pa, unsigned cdmax)
{
	unsigned i, free_slot = SID_CDS;

	for (i = 0; i < SID_CDS; i++) {
		if (rec.sid_cd[i].cd_pa != 0 && rec.sid_cd[i].sid == sid) {
			free_slot = i;
			break;
		}
		if (rec.sid_cd[i].cd_pa == 0 && free_slot == SID_CDS)
			free_slot = i;
	}
	if (free_slot == SID_CDS)
		return;
	rec.sid_cd[free_slot].sid = sid;
	rec.sid_cd[free_slot].cd_pa = cd_pa;
	rec.sid_cd[free_slot].cdmax = cdmax;
}

/* STE @sid as the core read it, at layout address @at. */
static void record_ste(uint32_t sid, uint64_t at, const uint64_t *ste)
{
	unsigned cfg = (unsigned)FIELD_GET(STE0_CFG, ste[0]), dw;
	uint64_t v0 = ste[0], cd = ste[0] & STE0_S1CTXPTR_MASK;

	if ((ste[0] & STE0_V) && (cfg == STE_CFG_S1_TRANS || cfg == STE_CFG_NESTED) && cd != 0) {
		unsigned cdmax = (unsigned)FIELD_GET(STE0_S1CDMAX, ste[0]);
		uint64_t cd_at = record_cds(cd, cdmax);

		remember_cd(sid, cd, cdmax);
		if (cd_at != 0)
			v0 = (v0 & ~STE0_S1CTXPTR_MASK) | cd_at;
	}
	for (dw = 1; dw <= 8; dw++) {
		unsigned k = dw & 7U;
		uint64_t v = k == 0 ? v0 : ste[k];

		if (word_changes(at + 8U * k, v))
			emit_ste(sid, k, v);
	}
}

/* L1 descriptor @idx as the core read it. */
static void record_l1(uint32_t idx, uint64_t desc)
{
	uint64_t l2 = desc & STRTAB_L1_L2PTR_MASK, v = desc;
	unsigned span = (unsigned)FIELD_GET(STRTAB_L1_SPAN, desc);

	if (l2 != 0 && span != 0) {
		uint64_t size = span <= 9U ? 64ULL << (span - 1U) : LAYOUT_L2_SIZE;
		uint64_t at = place(R_L2, l2, size, LAYOUT_HOST_L2, &rec.l2_slots,
				    LAYOUT_L2_SLOTS, LAYOUT_L2_SIZE);

		if (at != 0) {
			struct region *r = region_at(R_L2, l2);

			r->first_sid = idx << STRTAB_SPLIT_LINUX;
			v = (desc & ~STRTAB_L1_L2PTR_MASK) | at;
		}
	}
	if (word_changes(LAYOUT_HOST_STRTAB + 8U * idx, v)) {
		struct op op = { .code = OP_L1, .a32 = idx, .v0 = v };

		emit(&op);
	}
}

static void record_command(uint32_t slot, uint64_t at, const uint64_t *cmd)
{
	unsigned dw, opc = (unsigned)(cmd[0] & 0xFFU);

	/* A CD the driver changed (6.12 updates CDs in place): what a
	 * device fetches after this invalidation. */
	if (opc == CMDQ_OP_CFGI_CD || opc == CMDQ_OP_CFGI_CD_ALL) {
		uint32_t sid = (uint32_t)FIELD_GET(CMD0_SID, cmd[0]);
		unsigned i;

		for (i = 0; i < SID_CDS; i++)
			if (rec.sid_cd[i].cd_pa != 0 && rec.sid_cd[i].sid == sid)
				(void)record_cds(rec.sid_cd[i].cd_pa, rec.sid_cd[i].cdmax);
	}
	for (dw = 0; dw < 2; dw++) {
		if (word_changes(at + 8U * dw, cmd[dw])) {
			struct op op = { .code = OP_QPOKE, .a32 = slot, .b8 = (uint8_t)dw,
					 .v0 = cmd[dw] };

			emit(&op);
		}
	}
}

void el2_host_copied(uint64_t pa, const void *data, size_t len)
{
	const uint64_t *w = data;
	struct region *r;
	uint64_t off;
	size_t i;

	if (!rec.on || len == 0)
		return;
	rec.st.copies++;
	r = region_of(pa, len);
	if (r == NULL || (pa & 7U) != 0 || (len & 7U) != 0) {
		rec.st.unmapped++;
		return;
	}
	off = pa - r->pa;
	switch (r->kind) {
	case R_STRTAB:
		if (FIELD_GET(STRTAB_CFG_FMT, rec.strtab_cfg) == STRTAB_CFG_FMT_2LVL) {
			for (i = 0; i < len / 8U; i++)
				record_l1((uint32_t)(off / 8U + i), w[i]);
			break;
		}
		for (i = 0; i + 8U <= len / 8U; i += 8U)
			record_ste((uint32_t)((off + i * 8U) / STRTAB_STE_SIZE),
				   r->at + off + i * 8U, w + i);
		break;
	case R_L2:
		for (i = 0; i + 8U <= len / 8U; i += 8U)
			record_ste(r->first_sid + (uint32_t)((off + i * 8U) / STRTAB_STE_SIZE),
				   r->at + off + i * 8U, w + i);
		break;
	case R_CMDQ:
		for (i = 0; i + 2U <= len / 8U; i += 2U)
			record_command((uint32_t)((off + i * 8U) / 16U), r->at + off + i * 8U,
				       w + i);
		break;
	default:
		rec.st.unmapped++;
		break;
	}
}

/* ---- The state the driver leaves ------------------------------------------------------ */

static void emit_mem(uint64_t at, uint64_t v)
{
	struct op op = { .code = OP_MEM, .a8 = 3, .a32 = (uint32_t)(at - LAYOUT_HOST_BASE),
			 .v0 = v };

	if (word_changes(at, v))
		emit(&op);
}

static bool linux_ram(uint64_t pa)
{
	return pa >= QH_LINUX_BASE && pa - EL2_RAM_BASE < el2_ram_size();
}

/*
 * The 4 KiB-granule stage-1 table of one CD, walked without recursion (a
 * stack of tables to visit): each table to its PGT slot with its entries
 * rewritten, each page Linux maps to a DATA page (device pages stay: the
 * layout's device window is QEMU's), and a write probe of the first pages.
 */
static void record_s1(uint32_t sid, uint64_t cd_pa)
{
	const volatile uint64_t *cd = (const volatile uint64_t *)(uintptr_t)cd_pa;
	uint64_t dw0 = cd[0], ttb = cd[1] & CD1_TTB0_MASK;
	unsigned t0sz = (unsigned)FIELD_GET(CD0_T0SZ, dw0), probes = 0, todo = 0, seen = 0;
	struct { uint64_t pa, va; unsigned level; } stack[WALK_TABLES];

	if ((dw0 & CD0_V) == 0 || FIELD_GET(CD0_TG0, dw0) != 0 || t0sz < 16U || t0sz > 39U ||
	    !linux_ram(ttb))
		return;
	/* Levels: 9 bits each above the page's 12. */
	stack[todo].pa = ttb;
	stack[todo].va = 0;
	stack[todo++].level = 4U - (64U - t0sz - 12U + 8U) / 9U;
	while (todo > 0) {
		uint64_t pa = stack[--todo].pa, va = stack[todo].va;
		unsigned level = stack[todo].level, i;
		uint64_t at = place_pgt(pa);
		const volatile uint64_t *t = (const volatile uint64_t *)(uintptr_t)pa;

		if (at == 0 || ++seen > WALK_TABLES)
			return;
		for (i = 0; i < 512; i++) {
			uint64_t d = t[i], out = d & PTE_ADDR, v = d;
			uint64_t iova = va + ((uint64_t)i << (12U + 9U * (3U - level)));

			if ((d & 3U) != 3U) {
				if ((d & 1U) != 0)
					rec.st.unmapped++;	/* a block: not recorded */
				continue;
			}
			if (level < 3U) {
				if (!linux_ram(out) || todo >= WALK_TABLES) {
					rec.st.unmapped++;
					continue;
				}
				v = (d & ~PTE_ADDR) | place_pgt(out);
				stack[todo].pa = out;
				stack[todo].va = iova;
				stack[todo++].level = level + 1U;
			} else if (linux_ram(out)) {
				uint64_t page = place(R_DATA, out, EL2_PAGE, LAYOUT_HOST_DATA,
						      &rec.data_pages, 256U, EL2_PAGE);

				if (page == 0)
					continue;
				v = (d & ~PTE_ADDR) | page;
			}
			emit_mem(at + 8U * i, v);
			if (level == 3U && probes < PROBES_PER_SID) {
				struct op op = {
					.code = OP_DMA, .a8 = DMA_F_WRITE, .a32 = sid,
					.v0 = iova + (linux_ram(out) ? 0U : GITS_TRANSLATER),
				};

				/* iommu-dma maps device pages for MSI doorbells
				 * only: the write a device's MSI makes. */
				probes++;
				emit(&op);
			}
		}
	}
}

static void record_final_state(void)
{
	unsigned i;

	for (i = 0; i < SID_CDS; i++)
		if (rec.sid_cd[i].cd_pa != 0)
			record_s1(rec.sid_cd[i].sid, rec.sid_cd[i].cd_pa);
}

void rec_before_mmio(uint32_t off, unsigned size, bool write, uint64_t val)
{
	if (!rec.on || !write || size != 4 || off != SMMU_CR0)
		return;
	if ((rec.cr0 & CR0_SMMUEN) && !(val & CR0_SMMUEN))
		record_final_state();
	rec.cr0 = (uint32_t)val;
}

/* ---- Ownership ----------------------------------------------------------------------- */

void rec_own(unsigned action, uint64_t pa)
{
	struct op op = { .code = OP_OWN, .a8 = (uint8_t)action };
	uint64_t at;

	if (!rec.on)
		return;
	at = place(R_DATA, pa & ~(EL2_PAGE - 1U), EL2_PAGE, LAYOUT_HOST_DATA, &rec.data_pages,
		   256U, EL2_PAGE);
	if (at == 0)
		return;
	op.a32 = (uint32_t)((at - LAYOUT_RAM_BASE) / EL2_PAGE);
	emit(&op);
}

/* ---- Out ------------------------------------------------------------------------------------ */

/* The encoded stream; it lives in hypervisor memory until QEMU stops. */
static uint8_t rec_bytes[REC_MAX_OPS * 18U + 16U];

bool rec_write(const char *path, uint64_t *hash)
{
	struct ops_header hdr = { .version = OPS_VERSION, .profile = 0, .present = true };
	size_t len = ops_encode(&hdr, rec.ops, rec.n, rec_bytes, sizeof(rec_bytes));
	uint64_t h = OPS_TRACE_SEED;
	size_t i;

	for (i = 0; i < len && i < sizeof(rec_bytes); i++)
		h = ops_trace_mix(h, (uint32_t)i, rec_bytes[i]);
	*hash = h;
	if (len > sizeof(rec_bytes))
		return false;
	return el2_semihost_write_file(path, rec_bytes, len);
}
