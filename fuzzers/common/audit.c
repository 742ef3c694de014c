// SPDX-License-Identifier: MIT
/*
 * The isolation audit through accessors (audit.h). Freestanding: no
 * library calls, no recursion, every loop bounded by the hardware's own
 * sizes, so the EL2 hypervisor image runs it on the real SMMU.
 *
 * What must hold is restated here from the architecture (Arm IHI 0070 for
 * the SMMU, VMSAv8-64 stage 2 with a 4 KiB granule for the identity map)
 * and docs/threat-model.md, in the words of the host oracles
 * (fuzzers/common/oracle.c, oracle_ste.c): one breach, one signature, in
 * both builds.
 */
#include <smmu/pgstate.h>
#include <smmu/regs.h>
#include "arch_fields.h"
#include "audit.h"

/* ---- Failing ---------------------------------------------------------------- */

static _Noreturn void fail3(const struct audit_io *io, const char *a, const char *b,
			    const char *c)
{
	static char sig[96];
	const char *parts[3] = { a, b, c };
	unsigned n = 0, k;

	for (k = 0; k < 3; k++)
		for (const char *p = parts[k]; p != NULL && *p != '\0' && n < sizeof(sig) - 1U; p++)
			sig[n++] = *p;
	sig[n] = '\0';
	io->breach(io->ctx, sig);
	__builtin_unreachable();	/* breach does not return (audit.h) */
}

static _Noreturn void breach(const struct audit_io *io, const char *what)
{
	fail3(io, "isolation:", what, NULL);
}

#define PAGE		0x1000ULL

/* ---- Memory and owners ------------------------------------------------------ */

static bool is_ram(const struct audit_io *io, uint64_t pa)
{
	return pa >= io->ram_base && pa - io->ram_base < io->ram_size;
}

static bool is_window(const struct audit_io *io, uint64_t pa)
{
	return pa >= io->mmio_base && pa - io->mmio_base < io->mmio_size;
}

static unsigned owner_of(const struct audit_io *io, uint64_t pa)
{
	/* Outside what is tracked, every page is the host's. */
	if (!is_ram(io, pa) && !is_window(io, pa))
		return PGS_OWNER_HOST;
	return pgs_owner(io->pgstate(io->ctx, pa));
}

/* Every page of [base, base + size) is RAM owned by @owner. */
static bool range_owned_by(const struct audit_io *io, uint64_t base, uint64_t size,
			   unsigned owner)
{
	uint64_t p;

	if (size == 0 || base + size < base)
		return false;
	for (p = base & ~(PAGE - 1U); p < base + size; p += PAGE)
		if (!is_ram(io, p) || pgs_owner(io->pgstate(io->ctx, p)) != owner)
			return false;
	return true;
}

/* Every page is host RAM the host can no longer give away. */
static bool range_pinned_host(const struct audit_io *io, uint64_t base, uint64_t size)
{
	uint64_t p;

	for (p = base & ~(PAGE - 1U); p < base + size; p += PAGE) {
		uint32_t st;

		if (!is_ram(io, p))
			return false;
		st = io->pgstate(io->ctx, p);
		if (pgs_owner(st) != PGS_OWNER_HOST || pgs_pins(st) == 0)
			return false;
	}
	return true;
}

static uint64_t read64(const struct audit_io *io, uint64_t pa)
{
	uint64_t v = 0;

	if (!io->mem(io->ctx, pa, &v, sizeof(v)))
		breach(io, "s2-table-not-hyp-memory");
	return v;
}

/* ---- The hypervisor's stage 2, from the architecture ------------------------- */

void audit_expect_stage2(const struct audit_io *io, uint64_t ttb, struct audit_s2 *e)
{
	static const unsigned char oas_bits[8] = { 32, 36, 40, 42, 44, 48, 52, 56 };
	unsigned i, lvl, bits = 0, ps, t0sz, sl0;

	e->ias = 48;
	for (i = 0; i < io->smmu_count; i++) {
		unsigned oas = oas_bits[A_IDR5_OAS(io->reg32(io->ctx, i, SMMU_IDR5))];

		if (oas < e->ias)
			e->ias = oas;
	}
	/* Deepest start level (2, 1, 0) whose table(s) cover IAS with at most
	 * 16 concatenated: the level resolves ias - shift bits, 9 a table. */
	for (lvl = 2; lvl <= 2; lvl--) {
		unsigned shift = 12U + 9U * (3U - lvl);

		bits = e->ias - shift;
		if (e->ias > shift && bits <= 9U + 4U)
			break;
	}
	e->start = lvl;
	e->concat_log2 = bits > 9U ? bits - 9U : 0U;
	t0sz = 64U - e->ias;
	sl0 = 2U - lvl;
	for (ps = 0; ps < 5U && oas_bits[ps] < e->ias; ps++)
		;
	/* STE dword 2: S2VMID 0, S2T0SZ, S2SL0, S2IR0 = S2OR0 = write-back,
	 * S2SH0 inner shareable, S2TG 4 KiB, S2PS, S2AA64, S2PTW, S2R. */
	e->dw2 = ((uint64_t)t0sz << 32) | ((uint64_t)sl0 << 38) | (1ULL << 40) |
		 (1ULL << 42) | (3ULL << 44) | ((uint64_t)ps << 48) | (1ULL << 51) |
		 (1ULL << 54) | (1ULL << 58);
	e->ttb = ttb;
}

static void check_ttb(const struct audit_io *io, const struct audit_s2 *e)
{
	uint64_t bytes = PAGE << e->concat_log2;

	if ((e->ttb & (bytes - 1U)) != 0)
		breach(io, "s2ttb-unaligned");
	if (!range_owned_by(io, e->ttb, bytes, PGS_OWNER_HYP))
		breach(io, "s2ttb-not-hyp-memory");
}

/* ---- The hardware's registers ----------------------------------------------- */

uint64_t audit_queue_bytes(uint64_t base, uint32_t log2_max, unsigned dwords)
{
	unsigned log2 = (unsigned)FIELD_GET(Q_BASE_LOG2SIZE, base);

	if (log2 > log2_max)
		log2 = log2_max;
	return ((uint64_t)dwords * 8U) << log2;
}

uint64_t audit_queue_addr(uint64_t base, uint64_t bytes)
{
	uint64_t align = bytes < 32U ? 32U : bytes;

	return (base & Q_BASE_ADDR_MASK) & ~(align - 1U);
}

uint64_t audit_strtab_bytes(uint32_t cfg)
{
	unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, cfg);
	unsigned split = (unsigned)FIELD_GET(STRTAB_CFG_SPLIT, cfg);

	if (FIELD_GET(STRTAB_CFG_FMT, cfg) == STRTAB_CFG_FMT_2LVL)
		return log2 > split ? 8ULL << (log2 - split) : 8U;
	return 64ULL << (log2 < 32U ? log2 : 32U);
}

/* An enabled interrupt with an MSI address is a DMA write no STE controls:
 * the hypervisor gives the hardware no MSI address at all. */
static void audit_irq(const struct audit_io *io, unsigned i)
{
	static const char *const names[3] = { "gerror", "evtq", "priq" };
	static const uint32_t cfg0_off[3] = { SMMU_GERROR_IRQ_CFG0, SMMU_EVTQ_IRQ_CFG0,
					      SMMU_PRIQ_IRQ_CFG0 };
	static const uint32_t en[3] = { A_IRQ_GERROR, A_IRQ_EVTQ, A_IRQ_PRIQ };
	uint32_t enabled = io->reg32(io->ctx, i, SMMU_IRQ_CTRL) |
			   io->reg32(io->ctx, i, SMMU_IRQ_CTRLACK);
	bool msi = (io->reg32(io->ctx, i, SMMU_IDR0) & A_IDR0_MSI) != 0;
	unsigned q;

	for (q = 0; q < 3; q++) {
		if ((io->reg64(io->ctx, i, cfg0_off[q]) & A_IRQ_CFG0_ADDR) == 0)
			continue;
		if (msi && (enabled & en[q]))
			fail3(io, "isolation:", "hw-msi-live-", names[q]);
		fail3(io, "isolation:", "hw-msi-address-programmed-", names[q]);
	}
}

void audit_registers(const struct audit_io *io)
{
	unsigned i;

	for (i = 0; i < io->smmu_count; i++) {
		uint32_t idr1 = io->reg32(io->ctx, i, SMMU_IDR1);
		uint32_t cr1 = io->reg32(io->ctx, i, SMMU_CR1);
		uint32_t cr2 = io->reg32(io->ctx, i, SMMU_CR2);
		uint32_t ack = io->reg32(io->ctx, i, SMMU_CR0ACK) | io->reg32(io->ctx, i, SMMU_CR0);
		uint64_t base = io->smmu_base[i], p, q, bytes;

		/* GBPA must block DMA whenever the SMMU is off. */
		if ((io->reg32(io->ctx, i, SMMU_GBPA) & A_GBPA_ABORT) == 0)
			breach(io, "gbpa-not-abort");
		/* The registers stay the hypervisor's. */
		for (p = base; p < base + SMMU_MMIO_SIZE; p += PAGE) {
			uint32_t st = io->pgstate(io->ctx, p);

			if (pgs_owner(st) != PGS_OWNER_HYP || (st & PGS_HYP_MAPPED) == 0)
				breach(io, "smmu-mmio-not-hyp-owned");
		}
		if (cr1 & A_CR1_RES0)
			breach(io, "hw-cr1-reserved");
		if (cr1 != A_CR1_FIXED)
			breach(io, "hw-cr1-not-fixed");
		if (cr2 & A_CR2_E2H)
			breach(io, "hw-cr2-e2h");
		if (cr2 & A_CR2_RES0)
			breach(io, "hw-cr2-reserved");
		/* What the SMMU fetches commands and STEs from is hypervisor memory. */
		q = io->reg64(io->ctx, i, SMMU_CMDQ_BASE);
		bytes = audit_queue_bytes(q, A_IDR1_CMDQS(idr1), 2);
		if (!range_owned_by(io, audit_queue_addr(q, bytes), bytes, PGS_OWNER_HYP))
			breach(io, "hw-cmdq-not-hyp-memory");
		bytes = audit_strtab_bytes(io->reg32(io->ctx, i, SMMU_STRTAB_BASE_CFG));
		if (!range_owned_by(io, io->reg64(io->ctx, i, SMMU_STRTAB_BASE) &
				    STRTAB_BASE_ADDR_MASK, bytes, PGS_OWNER_HYP))
			breach(io, "hw-strtab-not-hyp-memory");
		/* Queues the SMMU writes into must be pinned host pages. */
		if (ack & A_CR0_EVTQEN) {
			q = io->reg64(io->ctx, i, SMMU_EVTQ_BASE);
			bytes = audit_queue_bytes(q, A_IDR1_EVTQS(idr1), 4);
			if (!range_pinned_host(io, audit_queue_addr(q, bytes), bytes))
				breach(io, "hw-evtq-not-pinned-host-memory");
		}
		if (ack & A_CR0_PRIQEN) {
			q = io->reg64(io->ctx, i, SMMU_PRIQ_BASE);
			bytes = audit_queue_bytes(q, A_IDR1_PRIQS(idr1), 2);
			if (!range_pinned_host(io, audit_queue_addr(q, bytes), bytes))
				breach(io, "hw-priq-not-pinned-host-memory");
		}
		audit_irq(io, i);
	}
}

/* ---- The STE, field by field -------------------------------------------------- */

#define R_ANY		AUDIT_STE_ANY
#define R_ZERO		AUDIT_STE_ZERO
#define R_CONST		AUDIT_STE_CONST
#define R_EXP		AUDIT_STE_EXPECT
#define R_TTB		AUDIT_STE_TTB
#define M(hi, lo)	((~0ULL >> (63U - (hi))) & ~((1ULL << (lo)) - 1U))
#define B(n)		(1ULL << (n))

/*
 * Every bit of the 64-byte STE, once, with what a translating STE may hold
 * in it: stage 2 only (Config 0b110: the host asked for bypass) and nested
 * (0b111: the host's stage 1 over the identity map). A V = 0 STE is
 * ignored by the SMMU and an aborting one (0b000) only has CONT obeyed
 * (IHI 0070 §5.2.1). The host's stage-1 fields are its own in nested and
 * zero otherwise; every stage-2 field is the hypervisor's; every override,
 * every feature the hypervisor does not use and dwords 4-7 are zero.
 */
static const struct audit_ste_field fields[] = {
	/* dword 0 */
	{ "v", 0, B(0), R_ANY, R_ANY, 0, false },
	{ "config", 0, M(3, 1), R_ANY, R_ANY, 0, false },
	{ "s1fmt", 0, M(5, 4), R_ZERO, R_ANY, 0, false },
	{ "s1contextptr", 0, M(55, 6), R_ZERO, R_ANY, 0, false },
	{ "dw0-res0", 0, M(58, 56), R_ZERO, R_ZERO, 0, false },
	{ "s1cdmax", 0, M(63, 59), R_ZERO, R_ANY, 0, false },
	/* dword 1 */
	{ "s1dss", 1, M(1, 0), R_ZERO, R_ANY, 0, false },
	{ "s1cir", 1, M(3, 2), R_ZERO, R_ANY, 0, false },
	{ "s1cor", 1, M(5, 4), R_ZERO, R_ANY, 0, false },
	{ "s1csh", 1, M(7, 6), R_ZERO, R_ANY, 0, false },
	{ "s2hwu", 1, M(11, 8), R_ZERO, R_ZERO, 0, false },
	{ "dre", 1, B(12), R_ZERO, R_ZERO, 0, false },
	{ "cont", 1, M(16, 13), R_ZERO, R_ZERO, 0, true },
	{ "dcp", 1, B(17), R_ZERO, R_ZERO, 0, false },
	{ "ppar", 1, B(18), R_ZERO, R_ZERO, 0, false },
	{ "mev", 1, B(19), R_ZERO, R_ZERO, 0, false },
	{ "sw-reserved", 1, M(23, 20), R_ANY, R_ANY, 0, false },
	{ "s1pie", 1, B(24), R_ZERO, R_ZERO, 0, false },
	{ "s2fwb", 1, B(25), R_ZERO, R_ZERO, 0, false },
	{ "s1mpam", 1, B(26), R_ZERO, R_ZERO, 0, false },
	{ "s1stalld", 1, B(27), R_ZERO, R_ANY, 0, false },
	{ "eats", 1, M(29, 28), R_ZERO, R_ZERO, 0, false },
	{ "strw", 1, M(31, 30), R_ZERO, R_ZERO, 0, false },
	{ "memattr", 1, M(35, 32), R_ZERO, R_ZERO, 0, false },
	{ "mtcfg", 1, B(36), R_ZERO, R_ZERO, 0, false },
	{ "alloccfg", 1, M(40, 37), R_ZERO, R_ZERO, 0, false },
	{ "dw1-res0", 1, M(43, 41), R_ZERO, R_ZERO, 0, false },
	{ "shcfg", 1, M(45, 44), R_CONST, R_CONST, 1, false },
	{ "nscfg", 1, M(47, 46), R_ZERO, R_ZERO, 0, false },
	{ "privcfg", 1, M(49, 48), R_ZERO, R_ZERO, 0, false },
	{ "instcfg", 1, M(51, 50), R_ZERO, R_ZERO, 0, false },
	{ "dw1-impdef", 1, M(63, 52), R_ZERO, R_ZERO, 0, false },
	/* dword 2: the hypervisor's stage 2 (audit_expect_stage2) */
	{ "s2vmid", 2, M(15, 0), R_EXP, R_EXP, 0, false },
	{ "dw2-impdef", 2, M(31, 16), R_ZERO, R_ZERO, 0, false },
	{ "s2t0sz", 2, M(37, 32), R_EXP, R_EXP, 0, false },
	{ "s2sl0", 2, M(39, 38), R_EXP, R_EXP, 0, false },
	{ "s2ir0", 2, M(41, 40), R_EXP, R_EXP, 0, false },
	{ "s2or0", 2, M(43, 42), R_EXP, R_EXP, 0, false },
	{ "s2sh0", 2, M(45, 44), R_EXP, R_EXP, 0, false },
	{ "s2tg", 2, M(47, 46), R_EXP, R_EXP, 0, false },
	{ "s2ps", 2, M(50, 48), R_EXP, R_EXP, 0, false },
	{ "s2aa64", 2, B(51), R_EXP, R_EXP, 0, false },
	{ "s2endi", 2, B(52), R_EXP, R_EXP, 0, false },
	{ "s2affd", 2, B(53), R_EXP, R_EXP, 0, false },
	{ "s2ptw", 2, B(54), R_EXP, R_EXP, 0, false },
	{ "s2hd", 2, B(55), R_EXP, R_EXP, 0, false },
	{ "s2ha", 2, B(56), R_EXP, R_EXP, 0, false },
	{ "s2s", 2, B(57), R_EXP, R_EXP, 0, false },
	{ "s2r", 2, B(58), R_EXP, R_EXP, 0, false },
	{ "s2haft", 2, B(59), R_EXP, R_EXP, 0, false },
	{ "s2pie", 2, B(60), R_EXP, R_EXP, 0, false },
	{ "s2poe", 2, B(61), R_EXP, R_EXP, 0, false },
	{ "dpt-vmatch", 2, M(63, 62), R_EXP, R_EXP, 0, false },
	/* dword 3 */
	{ "s2nsw", 3, B(0), R_ZERO, R_ZERO, 0, false },
	{ "s2nsa", 3, B(1), R_ZERO, R_ZERO, 0, false },
	{ "s2sl0-2", 3, B(2), R_ZERO, R_ZERO, 0, false },
	{ "s2ds", 3, B(3), R_ZERO, R_ZERO, 0, false },
	{ "s2ttb", 3, M(51, 4), R_TTB, R_TTB, 0, false },
	{ "s2ttb-res0", 3, M(55, 52), R_ZERO, R_ZERO, 0, false },
	{ "dw3-res0", 3, M(60, 56) | B(63), R_ZERO, R_ZERO, 0, false },
	{ "s2skl", 3, M(62, 61), R_ZERO, R_ZERO, 0, false },
	/* dword 4: MPAM, Secure stage 2, MEC */
	{ "dw4-impdef", 4, M(15, 0), R_ZERO, R_ZERO, 0, false },
	{ "partid", 4, M(31, 16), R_ZERO, R_ZERO, 0, false },
	{ "s-s2t0sz", 4, M(37, 32), R_ZERO, R_ZERO, 0, false },
	{ "s-s2sl0", 4, M(39, 38), R_ZERO, R_ZERO, 0, false },
	{ "dw4-res0", 4, M(45, 40), R_ZERO, R_ZERO, 0, false },
	{ "s-s2tg", 4, M(47, 46), R_ZERO, R_ZERO, 0, false },
	{ "mecid", 4, M(63, 48), R_ZERO, R_ZERO, 0, false },
	/* dword 5 */
	{ "pmg", 5, M(7, 0), R_ZERO, R_ZERO, 0, false },
	{ "mpam-ns", 5, B(8), R_ZERO, R_ZERO, 0, false },
	{ "assuredonly", 5, B(9), R_ZERO, R_ZERO, 0, false },
	{ "tl0", 5, B(10), R_ZERO, R_ZERO, 0, false },
	{ "tl1", 5, B(11), R_ZERO, R_ZERO, 0, false },
	{ "vmsptr", 5, M(55, 12), R_ZERO, R_ZERO, 0, false },
	{ "dw5-res0", 5, M(63, 56), R_ZERO, R_ZERO, 0, false },
	/* dword 6 */
	{ "s2sw", 6, B(0), R_ZERO, R_ZERO, 0, false },
	{ "s2sa", 6, B(1), R_ZERO, R_ZERO, 0, false },
	{ "s-s2sl0-2", 6, B(2), R_ZERO, R_ZERO, 0, false },
	{ "s-s2ttb", 6, M(55, 4), R_ZERO, R_ZERO, 0, false },
	{ "dw6-res0", 6, B(3) | M(60, 56) | B(63), R_ZERO, R_ZERO, 0, false },
	{ "s-s2skl", 6, M(62, 61), R_ZERO, R_ZERO, 0, false },
	/* dword 7 */
	{ "s2poi", 7, M(63, 0), R_ZERO, R_ZERO, 0, false },
};

#define FIELD_COUNT	(sizeof(fields) / sizeof(fields[0]))

size_t audit_ste_field_count(void)
{
	return FIELD_COUNT;
}

const struct audit_ste_field *audit_ste_field(size_t i)
{
	return i < FIELD_COUNT ? &fields[i] : NULL;
}

static uint64_t field_val(uint64_t word, uint64_t mask)
{
	return (word & mask) >> __builtin_ctzll(mask);
}

static _Noreturn void field_breach(const struct audit_io *io, const char *name)
{
	fail3(io, "isolation:", "ste-field-", name);
}

void audit_ste(const struct audit_io *io, struct audit_s2 *e, const uint64_t ste[8])
{
	unsigned cfg = (unsigned)((ste[0] >> 1) & 7U);
	bool nested = cfg == 7U;
	size_t i;

	if ((ste[0] & 1U) == 0)
		return;		/* V = 0: every other field is IGNORED */
	if (cfg == 0) {
		for (i = 0; i < FIELD_COUNT; i++)
			if (fields[i].in_abort && (ste[fields[i].dw] & fields[i].mask))
				field_breach(io, fields[i].name);
		return;
	}
	if (cfg < 4U)
		field_breach(io, "config");	/* reserved */
	if (cfg != 6U && !nested)
		breach(io, "ste-without-hyp-stage2");
	/* One root for every translating STE of every SMMU: the first one
	 * names it when the audit was not told. */
	if (e->ttb == 0) {
		e->ttb = ste[3] & M(51, 4);
		check_ttb(io, e);
	}
	for (i = 0; i < FIELD_COUNT; i++) {
		const struct audit_ste_field *f = &fields[i];
		uint64_t v = field_val(ste[f->dw], f->mask);

		switch (nested ? f->rule_nested : f->rule_s2) {
		case R_ZERO:
			if (v != 0)
				field_breach(io, f->name);
			break;
		case R_CONST:
			if (v != f->value)
				field_breach(io, f->name);
			break;
		case R_EXP:
			if (v != field_val(e->dw2, f->mask))
				field_breach(io, f->name);
			break;
		case R_TTB:
			if ((ste[3] & f->mask) != e->ttb)
				field_breach(io, f->name);
			break;
		default:
			break;
		}
	}
}

static void audit_ste_at(const struct audit_io *io, struct audit_s2 *e, uint64_t pa)
{
	uint64_t ste[8];

	if (!range_owned_by(io, pa, 64, PGS_OWNER_HYP) || !io->mem(io->ctx, pa, ste, sizeof(ste)))
		breach(io, "ste-not-hyp-memory");
	audit_ste(io, e, ste);
}

/* Where SMMU @i fetches STE @sid from, through its STRTAB_BASE/_CFG, as
 * the architecture locates it; false if no STE is fetched for it. */
static bool ste_addr(const struct audit_io *io, unsigned i, uint32_t sid, uint64_t *pa)
{
	uint32_t cfg = io->reg32(io->ctx, i, SMMU_STRTAB_BASE_CFG);
	uint64_t base = io->reg64(io->ctx, i, SMMU_STRTAB_BASE) & STRTAB_BASE_ADDR_MASK, d = 0;
	unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, cfg);
	unsigned sid_bits = (unsigned)FIELD_GET(IDR1_SIDSIZE, io->reg32(io->ctx, i, SMMU_IDR1));
	unsigned split = (unsigned)FIELD_GET(STRTAB_CFG_SPLIT, cfg), span;
	uint64_t bytes;

	if (log2 > sid_bits)
		log2 = sid_bits;
	if (log2 > 32U || ((uint64_t)sid >> log2) != 0)
		return false;
	if (FIELD_GET(STRTAB_CFG_FMT, cfg) != STRTAB_CFG_FMT_2LVL) {
		bytes = 64ULL << log2;
		*pa = (base & ~((bytes < 32U ? 32U : bytes) - 1U)) + (uint64_t)sid * 64U;
		return true;
	}
	if (split != 6U && split != 8U && split != 10U)
		return false;
	bytes = 8ULL << (log2 > split ? log2 - split : 0U);
	base &= ~((bytes < 32U ? 32U : bytes) - 1U);
	if (!range_owned_by(io, base + (uint64_t)(sid >> split) * 8U, 8, PGS_OWNER_HYP) ||
	    !io->mem(io->ctx, base + (uint64_t)(sid >> split) * 8U, &d, 8))
		breach(io, "hw-strtab-not-hyp-memory");
	span = (unsigned)FIELD_GET(STRTAB_L1_SPAN, d);
	if (span == 0 || span > split + 1U ||
	    (sid & ((1U << split) - 1U)) >= (1ULL << (span - 1U)))
		return false;
	*pa = (d & STRTAB_L1_L2PTR_MASK) + (uint64_t)(sid & ((1U << split) - 1U)) * 64U;
	return true;
}

void audit_ste_of(const struct audit_io *io, struct audit_s2 *e, unsigned i, uint32_t sid)
{
	uint64_t pa;

	if (ste_addr(io, i, sid, &pa))
		audit_ste_at(io, e, pa);
}

void audit_stream_tables(const struct audit_io *io, struct audit_s2 *e)
{
	unsigned i;

	for (i = 0; i < io->smmu_count; i++) {
		uint32_t cfg = io->reg32(io->ctx, i, SMMU_STRTAB_BASE_CFG);
		uint64_t base = io->reg64(io->ctx, i, SMMU_STRTAB_BASE) & STRTAB_BASE_ADDR_MASK;
		unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, cfg);
		unsigned split = (unsigned)FIELD_GET(STRTAB_CFG_SPLIT, cfg);
		unsigned sid_bits = (unsigned)FIELD_GET(IDR1_SIDSIZE,
							io->reg32(io->ctx, i, SMMU_IDR1));
		uint64_t n, k, j;

		/* The hardware uses no more than its SIDSIZE covers. */
		if (log2 > sid_bits)
			log2 = sid_bits;
		if (FIELD_GET(STRTAB_CFG_FMT, cfg) != STRTAB_CFG_FMT_2LVL) {
			for (k = 0; k < (1ULL << log2); k++)
				audit_ste_at(io, e, base + k * 64U);
			continue;
		}
		n = log2 > split ? 1ULL << (log2 - split) : 1U;
		for (k = 0; k < n; k++) {
			uint64_t d = 0, l2, count;
			unsigned span;

			if (!range_owned_by(io, base + k * 8U, 8, PGS_OWNER_HYP) ||
			    !io->mem(io->ctx, base + k * 8U, &d, 8))
				breach(io, "hw-strtab-not-hyp-memory");
			span = (unsigned)FIELD_GET(STRTAB_L1_SPAN, d);
			if (span == 0)
				continue;
			count = 1ULL << (span - 1U);
			l2 = d & STRTAB_L1_L2PTR_MASK;
			/* Every shadow L2 the SMMU may walk is hypervisor memory. */
			if (!range_owned_by(io, l2, count * 64U, PGS_OWNER_HYP))
				breach(io, "l2-not-hyp-memory");
			for (j = 0; j < count; j++)
				audit_ste_at(io, e, l2 + j * 64U);
		}
	}
}

/* ---- The identity map ----------------------------------------------------------- */

#define D_OA		0x0000FFFFFFFFF000ULL
#define D_MEMATTR(d)	((unsigned)(((d) >> 2) & 0xFU))
#define D_S2AP(d)	((unsigned)(((d) >> 6) & 3U))
#define D_AF		(1ULL << 10)
#define MEMATTR_WB	0xFU
#define MEMATTR_DEV	0x1U
#define S2AP_RW		3U

static unsigned shift_of(unsigned lvl)
{
	return 12U + 9U * (3U - lvl);
}

static bool d_table(uint64_t d, unsigned lvl)
{
	return lvl < 3U && (d & 3U) == 3U;
}

/* @d if it is a valid leaf at @lvl (a page at 3, a block at 1 or 2), else 0. */
static uint64_t d_leaf(uint64_t d, unsigned lvl)
{
	if (lvl == 3U)
		return (d & 3U) == 3U ? d : 0;
	return lvl > 0U && (d & 3U) == 1U ? d : 0;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* A table page the SMMU reads: hypervisor memory. */
static void check_table(const struct audit_io *io, uint64_t pa)
{
	if (!range_owned_by(io, pa & ~(PAGE - 1U), PAGE, PGS_OWNER_HYP))
		breach(io, "s2-table-not-hyp-memory");
}

/* Page @pa, translated by leaf @d at @lvl (0: not translated), must be
 * mapped read-write with its type iff the host owns it. */
static void check_page(const struct audit_io *io, uint64_t pa, uint64_t d, unsigned lvl)
{
	bool host = owner_of(io, pa) == PGS_OWNER_HOST;
	uint64_t size = 1ULL << shift_of(lvl);

	if (d == 0) {
		if (host)
			breach(io, "idmap-misses-host-page");
		return;
	}
	if ((d & D_OA & ~(size - 1U)) != (pa & ~(size - 1U)))
		breach(io, "s2-not-identity");
	if (!host)
		breach(io, "idmap-maps-non-host-page");
	if (D_S2AP(d) != S2AP_RW || (d & D_AF) == 0)
		breach(io, "idmap-wrong-permissions");
	if (D_MEMATTR(d) != (is_ram(io, pa) ? MEMATTR_WB : MEMATTR_DEV))
		breach(io, "idmap-wrong-memory-type");
}

/*
 * The whole tree, iteratively (depth at most 4): every table hypervisor
 * memory, every leaf the identity; tracked pages (RAM, the device window)
 * mapped exactly as their owner says, device space outside them mapped
 * read-write as a device (the host owns it).
 */
void audit_idmap(const struct audit_io *io, const struct audit_s2 *e)
{
	struct { uint64_t table, ipa; uint32_t idx, n; } st[4];
	int top = 0;
	uint64_t root_bytes;

	if (e->ttb == 0)
		return;		/* nothing translates yet: no root to walk */
	check_ttb(io, e);
	root_bytes = 8ULL << (e->ias - shift_of(e->start));
	if (!range_owned_by(io, e->ttb, root_bytes, PGS_OWNER_HYP))
		breach(io, "s2-table-not-hyp-memory");
	st[0].table = e->ttb;
	st[0].ipa = 0;
	st[0].idx = 0;
	st[0].n = (uint32_t)(root_bytes / 8U);
	while (top >= 0) {
		unsigned lvl = e->start + (unsigned)top;
		uint64_t size = 1ULL << shift_of(lvl), va, d, leaf, p;

		if (st[top].idx == st[top].n) {
			top--;
			continue;
		}
		va = st[top].ipa + (uint64_t)st[top].idx * size;
		d = read64(io, st[top].table + (uint64_t)st[top].idx * 8U);
		st[top].idx++;
		if (d_table(d, lvl)) {
			check_table(io, d & D_OA);
			top++;
			st[top].table = d & D_OA;
			st[top].ipa = va;
			st[top].idx = 0;
			st[top].n = 512;
			continue;
		}
		leaf = d_leaf(d, lvl);
		if (leaf != 0 && (leaf & D_OA & ~(size - 1U)) != va)
			breach(io, "s2-not-identity");
		/* A leaf over tracked pages: each page as its owner says. */
		if (overlaps(va, size, io->ram_base, io->ram_size) ||
		    overlaps(va, size, io->mmio_base, io->mmio_size)) {
			for (p = va; p < va + size; p += PAGE)
				if (is_ram(io, p) || is_window(io, p))
					check_page(io, p, leaf, lvl);
			continue;
		}
		if (leaf == 0)
			breach(io, "idmap-misses-host-page");
		if (D_S2AP(leaf) != S2AP_RW || (leaf & D_AF) == 0)
			breach(io, "idmap-wrong-permissions");
		if (D_MEMATTR(leaf) != MEMATTR_DEV)
			breach(io, "idmap-wrong-memory-type");
	}
}

/* ---- Commands and DMA --------------------------------------------------------- */

/* The filter's rules, restated from docs/commands.md rather than shared
 * with the core, so that a mistake in one is caught by the other. */
const char *audit_command_rule(const uint64_t c[2])
{
	unsigned op = A_CMD_OP(c);
	unsigned vmid = A_CMD_VMID(c);
	unsigned cs = (unsigned)((c[0] >> 12) & 3U);

	switch (op) {
	case 0x01: case 0x02: case 0x05: case 0x06: case 0x30:
	case 0x40: case 0x41: case 0x44: case 0x45:
		return NULL;
	case 0x03:
		return (c[1] & 1U) == 0 ? "cfgi-ste-leaf0" : NULL;
	case 0x04:
		return (c[1] & 0x1FU) != 31U ? "cfgi-range-not-all" : NULL;
	case 0x11: case 0x12: case 0x13:
		return vmid != 0 ? "tlbi-nh-vmid-not-0" : NULL;
	case 0x10:
		return "tlbi-nh-all";
	case A_OP_TLBI_S12_VMALL: case A_OP_TLBI_S2_IPA:
		return vmid == 0 ? NULL : "tlbi-stage2";
	case 0x46:
		if (cs == 3U)
			return "sync-reserved-cs";
		if (cs == 1U)
			return "sync-cs-irq";
		return (c[1] & 0x000FFFFFFFFFFFFCULL) != 0 ? "sync-msi-address" : NULL;
	default:
		return "forbidden-opcode";
	}
}

void audit_command(const struct audit_io *io, const uint64_t cmd[2], bool own_request)
{
	const char *why = audit_command_rule(cmd);

	/* A stage-2 TLBI of VMID 0 is the hypervisor's own only when an
	 * ownership change asked for it (the host has no stage 2). */
	if (why == NULL && !own_request &&
	    (A_CMD_OP(cmd) == A_OP_TLBI_S12_VMALL || A_CMD_OP(cmd) == A_OP_TLBI_S2_IPA))
		why = "host-caused-stage2-tlbi";
	if (why != NULL)
		fail3(io, "cmd-filter:", why, NULL);
}

void audit_dma(const struct audit_io *io, uint64_t pa, bool write)
{
	if (owner_of(io, pa) != PGS_OWNER_HOST)
		breach(io, write ? "dma-write-reaches-non-host-page"
				 : "dma-read-reaches-non-host-page");
}
