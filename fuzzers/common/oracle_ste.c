// SPDX-License-Identifier: MIT
/*
 * Stream tables and the identity map, judged against the architecture
 * (Arm IHI 0070 §5.2 for the STE, VMSAv8-64 stage 2 with a 4 KiB granule
 * for the tables) and docs/threat-model.md, never against the core's own
 * words: the stage-2 fields every translating STE must carry come from
 * oracle_expect_stage2 (the world's ID registers), the table is walked
 * from that expectation as the SMMU would walk it, and the descriptor and
 * STE layouts are restated here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smmu/pgstate.h>
#include <smmu/regs.h>
#include "oracle.h"

/* ---- VMSAv8-64 stage-2 descriptors, 4 KiB granule ------------------------ */

#define D_OA		0x0000FFFFFFFFF000ULL	/* output / next-level address [47:12] */
#define D_MEMATTR(d)	((unsigned)(((d) >> 2) & 0xFU))
#define D_S2AP(d)	((unsigned)(((d) >> 6) & 3U))
#define D_AF		(1ULL << 10)
/* What a valid leaf may not change without a break (memory type, SH,
 * contiguous hint, output address): MemAttr [5:2], SH [9:8], bit 52. */
#define D_BBM_ATTRS	((0xFULL << 2) | (3ULL << 8) | (1ULL << 52) | D_OA)
#define MEMATTR_WB	0xFU	/* Normal, inner and outer write-back */
#define MEMATTR_DEV	0x1U	/* Device-nGnRE */
#define S2AP_RW		3U
#define PAGE		0x1000ULL

static unsigned shift_of(unsigned lvl)
{
	return 12U + 9U * (3U - lvl);
}

static bool d_table(uint64_t d, unsigned lvl)
{
	return lvl < 3U && (d & 3U) == 3U;
}

/* @d if it is a valid leaf at @lvl (a page at 3, a block at 1 or 2), else
 * 0: a level-3 descriptor without its type bit and a level-0 block are
 * invalid encodings and translate nothing. */
static uint64_t d_leaf(uint64_t d, unsigned lvl)
{
	if (lvl == 3U)
		return (d & 3U) == 3U ? d : 0;
	return lvl > 0U && (d & 3U) == 1U ? d : 0;
}

/* ---- The STE, field by field ---------------------------------------------- */

#define R_ANY		ORACLE_STE_ANY
#define R_ZERO		ORACLE_STE_ZERO
#define R_CONST		ORACLE_STE_CONST
#define R_EXP		ORACLE_STE_EXPECT
#define R_TTB		ORACLE_STE_TTB
#define M(hi, lo)	((~0ULL >> (63U - (hi))) & ~((1ULL << (lo)) - 1U))
#define B(n)		(1ULL << (n))

/*
 * Every bit of the 64-byte STE, once (tests check that), with what a
 * translating STE may hold in it: stage 2 only (Config 0b110: the host
 * asked for bypass) and nested (0b111: the host's stage 1 over the
 * identity map). V and Config are judged before the table; a V = 0 STE
 * is ignored by the SMMU altogether and an aborting one (0b000) only has
 * CONT obeyed (IHI 0070 §5.2.1). The host's stage-1 fields are its own
 * in nested (they name IPAs the stage 2 translates) and zero otherwise;
 * every stage-2 field is the hypervisor's; every attribute override,
 * every feature the hypervisor does not use and dwords 4-7 are zero.
 */
static const struct oracle_ste_field fields[] = {
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
	{ "s2hwu", 1, M(11, 8), R_ZERO, R_ZERO, 0, false },	/* PBHA use of descriptor bits */
	{ "dre", 1, B(12), R_ZERO, R_ZERO, 0, false },
	{ "cont", 1, M(16, 13), R_ZERO, R_ZERO, 0, true },	/* would share this STE with neighbours */
	{ "dcp", 1, B(17), R_ZERO, R_ZERO, 0, false },
	{ "ppar", 1, B(18), R_ZERO, R_ZERO, 0, false },
	{ "mev", 1, B(19), R_ZERO, R_ZERO, 0, false },
	{ "sw-reserved", 1, M(23, 20), R_ANY, R_ANY, 0, false },	/* ignored by the SMMU */
	{ "s1pie", 1, B(24), R_ZERO, R_ZERO, 0, false },
	{ "s2fwb", 1, B(25), R_ZERO, R_ZERO, 0, false },	/* would reinterpret the S2 MemAttr */
	{ "s1mpam", 1, B(26), R_ZERO, R_ZERO, 0, false },
	{ "s1stalld", 1, B(27), R_ZERO, R_ANY, 0, false },
	{ "eats", 1, M(29, 28), R_ZERO, R_ZERO, 0, false },	/* ATS is hidden */
	{ "strw", 1, M(31, 30), R_ZERO, R_ZERO, 0, false },	/* EL2 streams are hidden */
	{ "memattr", 1, M(35, 32), R_ZERO, R_ZERO, 0, false },
	{ "mtcfg", 1, B(36), R_ZERO, R_ZERO, 0, false },
	{ "alloccfg", 1, M(40, 37), R_ZERO, R_ZERO, 0, false },
	{ "dw1-res0", 1, M(43, 41), R_ZERO, R_ZERO, 0, false },
	{ "shcfg", 1, M(45, 44), R_CONST, R_CONST, 1, false },	/* use incoming */
	{ "nscfg", 1, M(47, 46), R_ZERO, R_ZERO, 0, false },
	{ "privcfg", 1, M(49, 48), R_ZERO, R_ZERO, 0, false },
	{ "instcfg", 1, M(51, 50), R_ZERO, R_ZERO, 0, false },
	{ "dw1-impdef", 1, M(63, 52), R_ZERO, R_ZERO, 0, false },
	/* dword 2: the hypervisor's stage 2 (oracle_expect_stage2) */
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

size_t oracle_ste_field_count(void)
{
	return FIELD_COUNT;
}

const struct oracle_ste_field *oracle_ste_field(size_t i)
{
	return i < FIELD_COUNT ? &fields[i] : NULL;
}

static uint64_t field_val(uint64_t word, uint64_t mask)
{
	return (word & mask) >> __builtin_ctzll(mask);
}

static _Noreturn void field_breach(struct world *w, const char *name)
{
	char what[64];

	snprintf(what, sizeof(what), "ste-field-%s", name);
	oracle_breach(w, what);
}

/*
 * The table folded, per configuration (0: stage 2 only, 1: nested), into
 * the bits that matter in each dword and the values they must have, for
 * the expectation it was made from: a good STE costs eight compares.
 */
struct ste_rules {
	bool ok;
	uint64_t dw2, ttb;
	uint64_t care[2][8], want[2][8];
	uint64_t abort_care[8];		/* obeyed in an aborting STE: must be 0 */
};

static _Thread_local struct ste_rules rules;

static const struct ste_rules *rules_for(const struct oracle_s2 *e)
{
	size_t i;
	unsigned k;

	if (rules.ok && rules.dw2 == e->dw2 && rules.ttb == e->ttb)
		return &rules;
	memset(&rules, 0, sizeof(rules));
	for (i = 0; i < FIELD_COUNT; i++)
		if (fields[i].in_abort)
			rules.abort_care[fields[i].dw] |= fields[i].mask;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < FIELD_COUNT; i++) {
			const struct oracle_ste_field *f = &fields[i];
			uint64_t *care = &rules.care[k][f->dw], *want = &rules.want[k][f->dw];

			switch (k ? f->rule_nested : f->rule_s2) {
			case R_ZERO:
				*care |= f->mask;
				break;
			case R_CONST:
				*care |= f->mask;
				*want |= (f->value << __builtin_ctzll(f->mask)) & f->mask;
				break;
			case R_EXP:
				*care |= f->mask;
				*want |= e->dw2 & f->mask;
				break;
			case R_TTB:
				*care |= f->mask;
				*want |= e->ttb & f->mask;
				break;
			default:
				break;
			}
		}
	}
	rules.dw2 = e->dw2;
	rules.ttb = e->ttb;
	rules.ok = true;
	return &rules;
}

static void check_ste(struct oracle_world *o, const uint64_t *ste)
{
	unsigned cfg = (unsigned)((ste[0] >> 1) & 7U);
	bool nested = cfg == 7U;
	const struct ste_rules *r;
	uint64_t bad = 0;
	size_t i;

	if ((ste[0] & 1U) == 0)
		return;		/* V = 0: every other field is IGNORED */
	if (cfg == 0) {
		r = rules_for(&o->s2);
		for (i = 0; i < 8; i++)
			bad |= ste[i] & r->abort_care[i];
		for (i = 0; bad != 0 && i < FIELD_COUNT; i++)
			if (fields[i].in_abort && (ste[fields[i].dw] & fields[i].mask))
				field_breach(o->w, fields[i].name);
		return;
	}
	if (cfg < 4U)
		field_breach(o->w, "config");	/* reserved */
	if (cfg != 6U && !nested)
		oracle_breach(o->w, "ste-without-hyp-stage2");
	/* One root for every translating STE of every SMMU: the first one
	 * names it when the oracle was not told. */
	if (o->s2.ttb == 0) {
		o->s2.ttb = ste[3] & M(51, 4);
		oracle_check_ttb(o->w, &o->s2);
	}
	r = rules_for(&o->s2);
	for (i = 0; i < 8; i++)
		bad |= (ste[i] & r->care[nested][i]) ^ r->want[nested][i];
	if (bad == 0)
		return;
	/* Which field: the table again, slowly. */
	for (i = 0; i < FIELD_COUNT; i++) {
		const struct oracle_ste_field *f = &fields[i];
		uint64_t v = field_val(ste[f->dw], f->mask);

		switch (nested ? f->rule_nested : f->rule_s2) {
		case R_ANY:
			break;
		case R_ZERO:
			if (v != 0)
				field_breach(o->w, f->name);
			break;
		case R_CONST:
			if (v != f->value)
				field_breach(o->w, f->name);
			break;
		case R_EXP:
			if (v != field_val(o->s2.dw2, f->mask))
				field_breach(o->w, f->name);
			break;
		case R_TTB:
			if ((ste[3] & f->mask) != o->s2.ttb)
				field_breach(o->w, f->name);
			break;
		default:
			break;
		}
	}
}

void oracle_ste(struct world *w, unsigned smmu, uint32_t sid)
{
	struct oracle_world *o = oracle_world_get(w, true);
	uint64_t pa, ste[8];
	const uint8_t *p;

	if (!hwm_ste_addr(world_smmu(w, smmu), sid, &pa))
		return;
	if (!oracle_range_owned_by(w, pa, 64, PGS_OWNER_HYP))
		oracle_breach(w, "ste-not-hyp-memory");
	p = world_ram(w, pa, 64);
	memcpy(ste, p, sizeof(ste));
	check_ste(o, ste);
}

/*
 * The shadow stream tables are judged whole once per world, at the
 * snapshot (the first input), and after that only where an input wrote:
 * the world's record of dirty 256-byte chunks, the one its reset restores
 * from (every write the core makes to memory the SMMU reads is published,
 * and the platform notes it). An L1 descriptor written names an L2 to
 * judge whole; an L2 of the snapshot is judged where it was written. Every
 * ST_FULL_EVERY-th input, and whenever the hardware's stream-table base
 * or configuration is not the snapshot's, everything is judged again.
 */
#define ST_FULL_EVERY	64U
#define STES_PER_CHUNK	(WORLD_DIRTY_CHUNK / 64U)
#define L1S_PER_CHUNK	(WORLD_DIRTY_CHUNK / 8U)

struct st_smmu {
	bool valid;
	uint64_t base;		/* the hardware's STRTAB_BASE / _CFG then */
	uint32_t cfg;
	uint32_t *live;		/* L1 slots with a valid L2 then */
	uint32_t nlive, cap;
};

struct oracle_st_base {
	struct st_smmu smmu[WORLD_MAX_SMMU];
	uint32_t inputs;	/* since the baseline */
};

void oracle_st_base_free(struct oracle_world *o)
{
	unsigned i;

	if (o->st == NULL)
		return;
	for (i = 0; i < WORLD_MAX_SMMU; i++)
		free(o->st->smmu[i].live);
	free(o->st);
	o->st = NULL;
}

static void live_add(struct st_smmu *b, uint32_t slot)
{
	if (b->nlive == b->cap) {
		uint32_t n = b->cap ? b->cap * 2U : 16U;
		uint32_t *p = realloc(b->live, n * sizeof(*p));

		if (p == NULL) {
			fprintf(stderr, "smmufuzz: out of memory (oracle)\n");
			exit(2);
		}
		b->live = p;
		b->cap = n;
	}
	b->live[b->nlive++] = slot;
}

/* The L2 an L1 descriptor names: hypervisor memory, every STE judged. */
static void judge_l2(struct oracle_world *o, uint64_t desc)
{
	unsigned span = (unsigned)FIELD_GET(STRTAB_L1_SPAN, desc);
	uint64_t l2 = desc & STRTAB_L1_L2PTR_MASK, count, j;
	const uint64_t *t;

	if (span == 0)
		return;
	count = 1ULL << (span - 1U);
	/* Every shadow L2 the SMMU may walk is hypervisor memory. */
	if (!oracle_range_owned_by(o->w, l2, count * 64, PGS_OWNER_HYP))
		oracle_breach(o->w, "l2-not-hyp-memory");
	t = (const uint64_t *)world_ram(o->w, l2, count * 64);
	for (j = 0; t != NULL && j < count; j++)
		check_ste(o, t + j * 8);
}

/* The STEs of [base, base + bytes) in chunks written since the snapshot. */
static void judge_dirty_stes(struct oracle_world *o, uint64_t base, uint64_t bytes)
{
	uint64_t page, end = base + bytes;

	for (page = base & ~(PAGE - 1U); page < end; page += PAGE) {
		uint16_t dirty = world_page_dirty(o->w, page);

		while (dirty != 0) {
			unsigned c = (unsigned)__builtin_ctz(dirty);
			uint64_t at = page + (uint64_t)c * WORLD_DIRTY_CHUNK, k;
			const uint64_t *t;

			dirty &= (uint16_t)(dirty - 1U);
			for (k = 0; k < STES_PER_CHUNK; k++, at += 64) {
				if (at < base || at >= end)
					continue;
				t = (const uint64_t *)world_ram(o->w, at, 64);
				if (t != NULL)
					check_ste(o, t);
			}
		}
	}
}

/* Whether L1 slot @k of the table at @base was written since the snapshot. */
static bool l1_dirty(struct world *w, uint64_t base, uint64_t k)
{
	uint64_t pa = base + k * 8U;

	return (world_page_dirty(w, pa) >> ((pa & (PAGE - 1U)) / WORLD_DIRTY_CHUNK)) & 1U;
}

/* Everything of SMMU @i; the live L2s recorded into @rec if not NULL. */
static void judge_smmu_whole(struct oracle_world *o, struct hw_model *m,
			     struct st_smmu *rec)
{
	uint64_t base = m->strtab_base & STRTAB_BASE_ADDR_MASK;
	unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, m->strtab_base_cfg);
	const uint64_t *l1;
	uint64_t n, k;

	if (FIELD_GET(STRTAB_CFG_FMT, m->strtab_base_cfg) != STRTAB_CFG_FMT_2LVL) {
		const uint64_t *t = (const uint64_t *)world_ram(o->w, base, 64ULL << log2);

		for (k = 0; t != NULL && k < (1ULL << log2); k++)
			check_ste(o, t + k * 8);
		return;
	}
	n = 1ULL << (log2 - FIELD_GET(STRTAB_CFG_SPLIT, m->strtab_base_cfg));
	/* The L1 table in one piece: most of its slots are empty. */
	l1 = (const uint64_t *)world_ram(o->w, base, n * 8);
	for (k = 0; l1 != NULL && k < n; k++) {
		if (FIELD_GET(STRTAB_L1_SPAN, l1[k]) == 0)
			continue;
		judge_l2(o, l1[k]);
		if (rec != NULL)
			live_add(rec, (uint32_t)k);
	}
}

/* What an input wrote of SMMU @i's tables, the baseline @b being valid. */
static void judge_smmu_dirty(struct oracle_world *o, struct hw_model *m,
			     const struct st_smmu *b)
{
	uint64_t base = b->base & STRTAB_BASE_ADDR_MASK;
	unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, b->cfg);
	const uint64_t *l1;
	uint64_t n, page, k;
	uint32_t j;

	(void)m;
	if (FIELD_GET(STRTAB_CFG_FMT, b->cfg) != STRTAB_CFG_FMT_2LVL) {
		judge_dirty_stes(o, base, 64ULL << log2);
		return;
	}
	n = 1ULL << (log2 - FIELD_GET(STRTAB_CFG_SPLIT, b->cfg));
	l1 = (const uint64_t *)world_ram(o->w, base, n * 8);
	if (l1 == NULL)
		return;
	/* Descriptors written: their L2s whole. */
	for (page = base; page < base + n * 8U; page += PAGE) {
		uint16_t dirty = world_page_dirty(o->w, page);

		while (dirty != 0) {
			unsigned c = (unsigned)__builtin_ctz(dirty);
			uint64_t first = (page - base) / 8U + (uint64_t)c * L1S_PER_CHUNK;

			dirty &= (uint16_t)(dirty - 1U);
			for (k = first; k < first + L1S_PER_CHUNK && k < n; k++)
				judge_l2(o, l1[k]);
		}
	}
	/* The snapshot's L2s whose descriptors stayed: where they were written. */
	for (j = 0; j < b->nlive; j++) {
		uint64_t d = l1[b->live[j]];
		unsigned span = (unsigned)FIELD_GET(STRTAB_L1_SPAN, d);
		uint64_t l2 = d & STRTAB_L1_L2PTR_MASK, bytes = 64ULL << (span - 1U);

		if (l1_dirty(o->w, base, b->live[j]))
			continue;
		if (!oracle_range_owned_by(o->w, l2, bytes, PGS_OWNER_HYP))
			oracle_breach(o->w, "l2-not-hyp-memory");
		judge_dirty_stes(o, l2, bytes);
	}
}

static struct oracle_st_base *st_base(struct oracle_world *o)
{
	if (o->st == NULL) {
		o->st = calloc(1, sizeof(*o->st));
		if (o->st == NULL) {
			fprintf(stderr, "smmufuzz: out of memory (oracle)\n");
			exit(2);
		}
	}
	return o->st;
}

void oracle_stream_tables_baseline(struct world *w)
{
	struct oracle_world *o = oracle_world_get(w, true);
	struct oracle_st_base *sb;
	unsigned i;

	oracle_st_base_free(o);
	sb = st_base(o);
	for (i = 0; i < world_smmu_count(w); i++) {
		struct hw_model *m = world_smmu(w, i);
		struct st_smmu *b = &sb->smmu[i];

		if (!world_smmu_audited(w, i))
			continue;
		judge_smmu_whole(o, m, b);
		b->base = m->strtab_base;
		b->cfg = m->strtab_base_cfg;
		b->valid = true;
	}
}

void oracle_stream_tables(struct world *w)
{
	struct oracle_world *o = oracle_world_get(w, true);
	bool whole = o->st == NULL || ++o->st->inputs % ST_FULL_EVERY == 0;
	unsigned i;

	for (i = 0; i < world_smmu_count(w); i++) {
		struct hw_model *m = world_smmu(w, i);
		const struct st_smmu *b = o->st != NULL ? &o->st->smmu[i] : NULL;

		if (!world_smmu_audited(w, i))
			continue;
		if (whole || !b->valid || b->base != m->strtab_base ||
		    b->cfg != m->strtab_base_cfg)
			judge_smmu_whole(o, m, NULL);
		else
			judge_smmu_dirty(o, m, b);
	}
}

/* ---- Walking the identity map --------------------------------------------- */

/* A table page the SMMU reads: hypervisor memory, or the host could
 * rewrite the translations it holds. */
static const uint64_t *table_page(struct world *w, uint64_t pa)
{
	const uint64_t *t;

	if (pgs_owner(world_pgstate(w, pa)) != PGS_OWNER_HYP)
		oracle_breach(w, "s2-table-not-hyp-memory");
	t = (const uint64_t *)world_ram(w, pa & ~(PAGE - 1U), PAGE);
	if (t == NULL)
		oracle_breach(w, "s2-table-not-hyp-memory");
	return t;
}

/* Every page of the start level (a concatenated root spans several). */
static void check_root(struct world *w, const struct oracle_s2 *e)
{
	if (!oracle_range_owned_by(w, e->ttb, 8ULL << (e->ias - shift_of(e->start)),
				   PGS_OWNER_HYP))
		oracle_breach(w, "s2-table-not-hyp-memory");
}

struct s2_pos {
	uint64_t d;		/* the descriptor the walk ended on */
	unsigned lvl;		/* its level */
};

/* Walk @ipa (below 2^ias) from the root down to level @want, or to the
 * first descriptor above it that is not a table. */
static struct s2_pos s2_walk(struct world *w, const struct oracle_s2 *e, uint64_t ipa,
			     unsigned want)
{
	struct s2_pos p = { 0, e->start };
	uint64_t table = e->ttb;

	for (;;) {
		unsigned shift = shift_of(p.lvl);
		uint64_t idx = (ipa >> shift) &
			       (p.lvl == e->start ? (1ULL << (e->ias - shift)) - 1U : 511U);
		uint64_t at = table + idx * 8U;

		p.d = table_page(w, at)[(at & (PAGE - 1U)) / 8U];
		if (p.lvl >= want || !d_table(p.d, p.lvl))
			return p;
		table = p.d & D_OA;
		p.lvl++;
	}
}

/* The world's RAM (world_is_ram, inline: it is asked of every page). */
static bool is_ram(uint64_t pa)
{
	return pa >= WORLD_RAM_BASE && pa - WORLD_RAM_BASE < WORLD_RAM_SIZE;
}

static bool is_mmio_window(uint64_t pa)
{
	return pa >= WORLD_MMIO_BASE && pa - WORLD_MMIO_BASE < WORLD_MMIO_SIZE;
}

/* Index of a tracked page: RAM pages, then the MMIO window's. */
static uint64_t tracked_index(uint64_t pa)
{
	return is_ram(pa) ? (pa - WORLD_RAM_BASE) / PAGE
			  : WORLD_RAM_SIZE / PAGE + (pa - WORLD_MMIO_BASE) / PAGE;
}

/*
 * Who owns a page, as cheaply as can be told. Outside RAM and the MMIO
 * window the world tracks nothing: the host owns it (PGS_OWNER_HOST is 0).
 * With the snapshot's owners, a page the input did not change (its state
 * is not in the world's journal, as the bit filter says) is owned as in
 * the snapshot; otherwise the world is asked.
 */
struct owners {
	struct world *w;
	const uint8_t *snap;
	uint64_t changed[64];	/* bit (index % 4096): some changed page */
};

static unsigned owner_of(const struct owners *ow, uint64_t pa)
{
	uint64_t i;

	if (!is_ram(pa) && !is_mmio_window(pa))
		return PGS_OWNER_HOST;
	i = tracked_index(pa);
	if (ow->snap == NULL || ((ow->changed[(i >> 6) & 63U] >> (i & 63U)) & 1U) ||
	    ow->snap[i] == ORACLE_OWNER_UNKNOWN)
		return pgs_owner(world_pgstate(ow->w, pa));
	return ow->snap[i];
}

/* Page @pa, translated by leaf @d at @lvl (0: not translated), must be
 * mapped read-write with the right type iff the host owns it. */
static void check_page(const struct owners *ow, uint64_t pa, uint64_t d, unsigned lvl)
{
	struct world *w = ow->w;
	bool host = owner_of(ow, pa) == PGS_OWNER_HOST;
	uint64_t size = 1ULL << shift_of(lvl);

	if (d == 0) {
		if (host)
			oracle_breach(w, "idmap-misses-host-page");
		return;
	}
	if ((d & D_OA & ~(size - 1U)) != (pa & ~(size - 1U)))
		oracle_breach(w, "s2-not-identity");
	if (!host)
		oracle_breach(w, "idmap-maps-non-host-page");
	/* Read and write; without the access flag the first access faults. */
	if (D_S2AP(d) != S2AP_RW || (d & D_AF) == 0)
		oracle_breach(w, "idmap-wrong-permissions");
	if (D_MEMATTR(d) != (is_ram(pa) ? MEMATTR_WB : MEMATTR_DEV))
		oracle_breach(w, "idmap-wrong-memory-type");
}

/*
 * The common case of check_page, in one compare: a host page translated by
 * itself, read-write, with AF and its type; any other page not at all.
 */
#define D_JUDGED	(D_OA | 3ULL | (3ULL << 6) | D_AF | (0xFULL << 2))

static bool page_fine(const struct owners *ow, uint64_t pa, uint64_t leaf, unsigned lvl)
{
	uint64_t size = 1ULL << shift_of(lvl), want;

	if (owner_of(ow, pa) != PGS_OWNER_HOST)
		return leaf == 0;
	want = (pa & ~(size - 1U)) | (lvl == 3U ? 3U : 1U) | ((uint64_t)S2AP_RW << 6) | D_AF |
	       ((uint64_t)(is_ram(pa) ? MEMATTR_WB : MEMATTR_DEV) << 2);
	return (leaf & (D_JUDGED & ~(D_OA & (size - 1U)))) == want;
}

static void audit_page(const struct owners *ow, const struct oracle_s2 *e, uint64_t pa)
{
	struct s2_pos p;

	if ((pa >> e->ias) != 0)
		return;
	p = s2_walk(ow->w, e, pa, 3);
	check_page(ow, pa, d_leaf(p.d, p.lvl), p.lvl);
}

/* Every page of the 2 MiB block at @base: one walk, then its 512 entries. */
static void audit_2m(const struct owners *ow, const struct oracle_s2 *e, uint64_t base)
{
	uint64_t ram = is_ram(base), first = tracked_index(base), want, leaf, mask, changed[8];
	bool tracked = ram || is_mmio_window(base);
	const uint8_t *snap = ow->snap != NULL && tracked ? ow->snap + first : NULL;
	const uint64_t *t = NULL;
	struct s2_pos p;
	unsigned i;

	if ((base >> e->ias) != 0)
		return;
	p = s2_walk(ow->w, e, base, 2);
	if (p.lvl == 2U && d_table(p.d, 2U)) {
		t = table_page(ow->w, p.d & D_OA);
		p.lvl = 3U;
	}
	/* The leaf a host page wants, in the bits judged (page_fine, for a
	 * block of pages of one kind, its owner looked up in line). */
	mask = D_JUDGED & ~(D_OA & ((1ULL << shift_of(p.lvl)) - 1U));
	want = (p.lvl == 3U ? 3U : 1U) | ((uint64_t)S2AP_RW << 6) | D_AF |
	       ((uint64_t)(ram ? MEMATTR_WB : MEMATTR_DEV) << 2);
	/* The block's 512 pages are 8 words of the changed-page filter. */
	for (i = 0; i < 8U; i++)
		changed[i] = ow->changed[((first >> 6) + i) & 63U];
	for (i = 0; i < 512U; i++) {
		uint64_t pa = base + i * PAGE;
		unsigned owner;

		leaf = d_leaf(t != NULL ? t[i] : p.d, p.lvl);
		if (!tracked)
			owner = PGS_OWNER_HOST;
		else if (snap != NULL && !((changed[i >> 6] >> (i & 63U)) & 1U) &&
			 snap[i] != ORACLE_OWNER_UNKNOWN)
			owner = snap[i];
		else
			owner = pgs_owner(world_pgstate(ow->w, pa));
		if (owner == PGS_OWNER_HOST
		    ? (leaf & mask) == ((pa & ~((1ULL << shift_of(p.lvl)) - 1U)) | want)
		    : leaf == 0)
			continue;
		check_page(ow, pa, leaf, p.lvl);
	}
}

/*
 * Every 2 MiB block of the 1 GiB block at @base, by its first page: its
 * descriptor (a split 1 GiB block has 512 of them) must translate that
 * page as its owner says. One page a block keeps the cost down; the
 * changed page's own block is checked page by page (audit_2m).
 */
static void audit_1g(const struct owners *ow, const struct oracle_s2 *e, uint64_t base)
{
	struct world *w = ow->w;
	const uint64_t *t2;
	struct s2_pos p;
	unsigned j;

	if ((base >> e->ias) != 0)
		return;
	if (e->start == 2U) {
		/* No level 1: the GiB is one page of the concatenated root. */
		t2 = table_page(w, e->ttb + (base >> 21) * 8U);
	} else {
		p = s2_walk(w, e, base, 1);
		if (!(p.lvl == 1U && d_table(p.d, 1U))) {
			for (j = 0; j < 512U; j++)
				if (!page_fine(ow, base + ((uint64_t)j << 21), d_leaf(p.d, p.lvl), p.lvl))
					check_page(ow, base + ((uint64_t)j << 21),
						   d_leaf(p.d, p.lvl), p.lvl);
			return;
		}
		t2 = table_page(w, p.d & D_OA);
	}
	for (j = 0; j < 512U; j++) {
		uint64_t b = base + ((uint64_t)j << 21), leaf;
		unsigned lvl = 2U;

		if (d_table(t2[j], 2U)) {
			leaf = d_leaf(table_page(w, t2[j] & D_OA)[0], 3U);
			lvl = 3U;
		} else {
			leaf = d_leaf(t2[j], 2U);
		}
		if (!page_fine(ow, b, leaf, lvl))
			check_page(ow, b, leaf, lvl);
	}
}

/* The expectation with a known root, or NULL (nothing to walk yet). */
static const struct oracle_s2 *walkable(struct world *w)
{
	const struct oracle_s2 *e = &oracle_world_get(w, true)->s2;

	if (e->ttb == 0)
		return NULL;
	check_root(w, e);
	return e;
}

void oracle_idmap_page(struct world *w, uint64_t pa)
{
	const struct oracle_s2 *e = walkable(w);
	struct owners ow = { .w = w };

	if (e != NULL)
		audit_page(&ow, e, pa);
}

/* Blocks already audited this call: a set of block numbers + 1 (0 is
 * empty), open addressing; when full, every block is audited again. */
#define SEEN_SLOTS	1024U

static bool seen(uint64_t *set, uint64_t block)
{
	uint64_t key = block + 1U;
	unsigned i, h = (unsigned)((key * 0x9E3779B97F4A7C15ULL) >> 54);

	for (i = 0; i < SEEN_SLOTS; i++) {
		uint64_t *slot = &set[(h + i) % SEEN_SLOTS];

		if (*slot == key)
			return true;
		if (*slot == 0) {
			*slot = key;
			return false;
		}
	}
	return false;
}

/*
 * Whether the identity map may have changed around tracked page @pa: its
 * owner is not the snapshot's, or it is device memory (an MMIO donation
 * splits blocks, and returning the page does not merge them). A RAM page
 * whose state changed only in its pins (a queue or table the SMMU uses)
 * gives the map no reason to change. Without a snapshot, assume it may.
 */
static bool owner_moved(const struct oracle_world *o, uint64_t pa)
{

	if (o->owner_snap == NULL || !is_ram(pa))
		return true;
	/* An unknown snapshot owner (0xFF) differs from every owner. */
	return o->owner_snap[tracked_index(pa)] != pgs_owner(world_pgstate(o->w, pa));
}

/*
 * After an input: every page whose state changed, and where its owner
 * moved (or it is MMIO), its whole 2 MiB block and every 2 MiB block of
 * its 1 GiB block (an MMIO donation splits the blocks around the page; a
 * mistake there lands on a neighbour).
 */
void oracle_idmap_changes(struct world *w)
{
	struct oracle_world *o = oracle_world_get(w, true);
	const struct oracle_s2 *e = walkable(w);
	static _Thread_local uint64_t blocks[SEEN_SLOTS];
	struct owners ow = { .w = w };
	uint32_t i, n = world_changed_count(w);

	if (e == NULL)
		return;
	/* (A breach leaves the set as it was: clear it before, not after.) */
	if (n != 0)
		memset(blocks, 0, sizeof(blocks));
	/* Pages the input did not change are as in the snapshot. */
	if (o->owner_snap == NULL)
		oracle_take_owners(o, true);
	ow.snap = o->owner_snap;
	for (i = 0; i < n; i++) {
		uint64_t k = tracked_index(world_changed_pa(w, i));

		ow.changed[(k >> 6) & 63U] |= 1ULL << (k & 63U);
	}
	/* A page the snapshot's owner of which is not known yet, unchanged by
	 * this input, shows it now. */
	for (i = 0; i < o->unknown_count;) {
		uint32_t k = o->unknown[i];

		if ((ow.changed[(k >> 6) & 63U] >> (k & 63U)) & 1U) {
			i++;
			continue;
		}
		o->owner_snap[k] = (uint8_t)pgs_owner(world_pgstate(w, k < WORLD_RAM_SIZE / PAGE
			? WORLD_RAM_BASE + (uint64_t)k * PAGE
			: WORLD_MMIO_BASE + (uint64_t)(k - WORLD_RAM_SIZE / PAGE) * PAGE));
		o->unknown[i] = o->unknown[--o->unknown_count];
	}
	for (i = 0; i < n; i++) {
		uint64_t pa = world_changed_pa(w, i);

		if (!owner_moved(o, pa)) {
			audit_page(&ow, e, pa);
			continue;
		}
		/* 2 MiB blocks as even numbers, 1 GiB blocks as odd ones. */
		if (!seen(blocks, (pa >> 21) << 1))
			audit_2m(&ow, e, pa & ~((1ULL << 21) - 1U));
		if (!seen(blocks, ((pa >> 30) << 1) | 1U))
			audit_1g(&ow, e, pa & ~((1ULL << 30) - 1U));
	}
}

/* ---- The whole tree, and the live table pages ------------------------------- */

#define RAM_PAGES	(WORLD_RAM_SIZE / PAGE)
#define TABS_MAX	(1U << 16)

struct s2tab {
	uint64_t pa;		/* the table page */
	uint64_t ipa;		/* the first address its descriptors cover */
	unsigned level;
};

struct undo {
	uint32_t page;
	uint32_t old;
};

struct oracle_s2_tree {
	struct s2tab *tabs;
	uint32_t ntabs, cap;
	uint32_t *page_tab;	/* RAM page -> index into tabs + 1; 0: not live */
	struct undo *undo;	/* page_tab changes since the snapshot */
	uint32_t nundo, undo_cap;
	uint32_t base_ntabs;
	bool baseline;		/* the snapshot's set was taken */
	bool overflow;		/* more tables than tracked: BBM oracle off */
	struct world *w;	/* whose publishes to watch */
};

static void *grow(void *p, uint32_t *cap, size_t elem)
{
	uint32_t n = *cap ? *cap * 2U : 64U;
	void *q = realloc(p, n * elem);

	if (q == NULL) {
		fprintf(stderr, "smmufuzz: out of memory (oracle)\n");
		exit(2);
	}
	*cap = n;
	return q;
}

static void set_page(struct oracle_s2_tree *t, uint32_t page, uint32_t v)
{
	if (t->baseline) {
		if (t->nundo == t->undo_cap)
			t->undo = grow(t->undo, &t->undo_cap, sizeof(*t->undo));
		t->undo[t->nundo].page = page;
		t->undo[t->nundo++].old = t->page_tab[page];
	}
	t->page_tab[page] = v;
	/* Only live table pages need the world to compare what it publishes. */
	if (v != 0)
		world_watch_page(t->w, WORLD_RAM_BASE + (uint64_t)page * PAGE);
}

static void add_table(struct oracle_s2_tree *t, uint64_t pa, uint64_t ipa, unsigned lvl)
{
	if (!world_is_ram(pa))
		return;
	if (t->ntabs >= TABS_MAX) {
		t->overflow = true;
		return;
	}
	if (t->ntabs == t->cap)
		t->tabs = grow(t->tabs, &t->cap, sizeof(*t->tabs));
	t->tabs[t->ntabs] = (struct s2tab){ pa & ~(PAGE - 1U), ipa, lvl };
	set_page(t, (uint32_t)((pa - WORLD_RAM_BASE) / PAGE), ++t->ntabs);
}

/* [a, a + size) reaches device space the world does not track page by
 * page (outside RAM and the MMIO window): all of it the host's. */
static bool untracked(uint64_t a, uint64_t size)
{
	bool in_ram = a >= WORLD_RAM_BASE && a + size <= WORLD_RAM_BASE + WORLD_RAM_SIZE;
	bool in_mmio = a >= WORLD_MMIO_BASE && a + size <= WORLD_MMIO_BASE + WORLD_MMIO_SIZE;

	return !in_ram && !in_mmio;
}

/*
 * The @n descriptors at @table (level @lvl, the first covering @ipa): every
 * table below is hypervisor memory, every leaf the identity, and device
 * space outside the tracked window mapped read-write as a device (the
 * host owns it). With @t, every table page is recorded.
 */
static void walk_tree(struct world *w, struct oracle_s2_tree *t, uint64_t table,
		      unsigned lvl, uint64_t ipa, uint64_t n)
{
	uint64_t size = 1ULL << shift_of(lvl), i;
	const uint64_t *tp = NULL;

	for (i = 0; i < n; i++) {
		uint64_t at = table + i * 8U, va = ipa + i * size, d, leaf;

		if (tp == NULL || (at & (PAGE - 1U)) == 0)
			tp = table_page(w, at);
		d = tp[(at & (PAGE - 1U)) / 8U];
		if (d_table(d, lvl)) {
			if (t != NULL)
				add_table(t, d & D_OA, va, lvl + 1U);
			walk_tree(w, t, d & D_OA, lvl + 1U, va, 512U);
			continue;
		}
		leaf = d_leaf(d, lvl);
		if (leaf != 0 && (leaf & D_OA & ~(size - 1U)) != va)
			oracle_breach(w, "s2-not-identity");
		if (!untracked(va, size))
			continue;
		if (leaf == 0)
			oracle_breach(w, "idmap-misses-host-page");
		if (D_S2AP(leaf) != S2AP_RW || (leaf & D_AF) == 0)
			oracle_breach(w, "idmap-wrong-permissions");
		if (D_MEMATTR(leaf) != MEMATTR_DEV)
			oracle_breach(w, "idmap-wrong-memory-type");
	}
}

void oracle_s2_tree_free(struct oracle_world *o)
{
	if (o->tree == NULL)
		return;
	free(o->tree->tabs);
	free(o->tree->page_tab);
	free(o->tree->undo);
	free(o->tree);
	o->tree = NULL;
}

void oracle_s2_tree_rebuild(struct oracle_world *o)
{
	const struct oracle_s2 *e = &o->s2;
	struct oracle_s2_tree *t = o->tree;
	uint64_t k, per_page = 512ULL << shift_of(e->start);

	if (t == NULL) {
		t = calloc(1, sizeof(*t));
		if (t != NULL)
			t->page_tab = calloc(RAM_PAGES, sizeof(*t->page_tab));
		if (t == NULL || t->page_tab == NULL) {
			fprintf(stderr, "smmufuzz: out of memory (oracle)\n");
			exit(2);
		}
		o->tree = t;
		t->w = o->w;
	} else {
		memset(t->page_tab, 0, RAM_PAGES * sizeof(*t->page_tab));
	}
	t->ntabs = t->nundo = t->base_ntabs = 0;
	t->baseline = t->overflow = false;
	check_root(o->w, e);
	for (k = 0; k < (1ULL << e->concat_log2); k++)
		add_table(t, e->ttb + k * PAGE, k * per_page, e->start);
	walk_tree(o->w, t, e->ttb, e->start, 0, 1ULL << (e->ias - shift_of(e->start)));
}

void oracle_s2_tree_input_begin(struct oracle_world *o)
{
	struct oracle_s2_tree *t = o->tree;

	if (t == NULL)
		return;
	if (!t->baseline) {
		t->baseline = true;
		t->base_ntabs = t->ntabs;
	}
	while (t->nundo > 0) {
		t->nundo--;
		t->page_tab[t->undo[t->nundo].page] = t->undo[t->nundo].old;
	}
	t->ntabs = t->base_ntabs;
}

void oracle_idmap_full(struct world *w)
{
	struct oracle_world *o = oracle_world_get(w, true);
	const struct oracle_s2 *e = walkable(w);
	struct owners ow = { .w = w };
	uint64_t p;

	if (e == NULL)
		return;
	oracle_s2_tree_rebuild(o);
	for (p = WORLD_RAM_BASE; p < WORLD_RAM_BASE + WORLD_RAM_SIZE; p += PAGE)
		audit_page(&ow, e, p);
	for (p = WORLD_MMIO_BASE; p < WORLD_MMIO_BASE + WORLD_MMIO_SIZE; p += PAGE)
		audit_page(&ow, e, p);
}

/* ---- Break before make ------------------------------------------------------ */

/* The table at @pa (level @lvl, covering from @ipa) became reachable: it
 * and every table below it are live. */
static void link_tables(struct world *w, struct oracle_s2_tree *t, uint64_t pa,
			unsigned lvl, uint64_t ipa)
{
	const uint64_t *d = (const uint64_t *)world_ram(w, pa & ~(PAGE - 1U), PAGE);
	unsigned i;

	add_table(t, pa, ipa, lvl);
	for (i = 0; d != NULL && lvl < 3U && i < 512U; i++)
		if (d_table(d[i], lvl))
			link_tables(w, t, d[i] & D_OA, lvl + 1U,
				    ipa + ((uint64_t)i << shift_of(lvl)));
}

/* Tables below level @lvl covering [ipa, ipa + size) are no longer reachable. */
static void unlink_tables(struct oracle_s2_tree *t, unsigned lvl, uint64_t ipa,
			  uint64_t size)
{
	uint32_t i;

	for (i = 0; i < t->ntabs; i++) {
		const struct s2tab *s = &t->tabs[i];
		uint32_t page = (uint32_t)((s->pa - WORLD_RAM_BASE) / PAGE);

		if (t->page_tab[page] == i + 1U && s->level > lvl &&
		    s->ipa >= ipa && s->ipa - ipa < size)
			set_page(t, page, 0);
	}
}

void oracle_s2_publish(struct world *w, uint64_t pa, uint64_t old, uint64_t new)
{
	struct oracle_world *o = oracle_world_get(w, false);
	struct oracle_s2_tree *t;
	const struct s2tab *s;
	uint64_t ipa, size;
	uint32_t idx;
	unsigned lvl;
	bool old_t, new_t;

	if (o == NULL || (t = o->tree) == NULL || t->overflow || old == new ||
	    !world_is_ram(pa) || (pa & 7U) != 0)
		return;
	idx = t->page_tab[(pa - WORLD_RAM_BASE) / PAGE];
	if (idx == 0)
		return;		/* not a table the SMMU can reach */
	s = &t->tabs[idx - 1U];
	lvl = s->level;
	size = 1ULL << shift_of(lvl);
	ipa = s->ipa + ((pa & (PAGE - 1U)) / 8U) * size;
	if ((ipa >> o->s2.ias) != 0)
		return;		/* beyond the input range: never walked */
	old_t = d_table(old, lvl);
	new_t = d_table(new, lvl);
	if ((old_t || d_leaf(old, lvl)) && (new_t || d_leaf(new, lvl))) {
		/* Valid to valid. A block-size change (block <-> table, or
		 * another table) needs IDR3.BBML level 2 on every SMMU; a new
		 * output address, memory type, shareability or contiguous
		 * hint always needs the break. Permissions and AF do not. */
		bool resized = old_t != new_t || (old_t && ((old ^ new) & D_OA) != 0);

		if ((resized && o->s2.min_bbml < 2U) ||
		    (!old_t && !new_t && ((old ^ new) & D_BBM_ATTRS) != 0))
			oracle_breach(w, "s2-break-before-make");
	}
	if (old_t && (!new_t || ((old ^ new) & D_OA) != 0))
		unlink_tables(t, lvl, ipa, size);
	if (new_t && (!old_t || ((old ^ new) & D_OA) != 0))
		link_tables(w, t, new & D_OA, lvl + 1U, ipa);
}
