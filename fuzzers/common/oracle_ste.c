// SPDX-License-Identifier: MIT
/*
 * Stream tables judged against the architecture (Arm IHI 0070 §5.2) and
 * docs/threat-model.md, never against the core's own words: the stage-2
 * fields every translating STE must carry come from oracle_expect_stage2
 * (the world's ID registers), and the STE layout is restated here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smmu/pgstate.h>
#include <smmu/regs.h>
#include "oracle.h"

#define PAGE		0x1000ULL

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

/*
 * The common verdicts in a few compares, inline in the table loops: an
 * invalid STE, an aborting one obeying nothing, a stage-2-only or nested
 * one whose every judged bit is as the rules want (with the root known).
 */
static inline bool ste_fine(const struct ste_rules *r, const uint64_t *ste)
{
	unsigned cfg = (unsigned)((ste[0] >> 1) & 7U), i;
	uint64_t bad = 0;

	if ((ste[0] & 1U) == 0)
		return true;
	if (cfg == 0) {
		for (i = 0; i < 8; i++)
			bad |= ste[i] & r->abort_care[i];
		return bad == 0;
	}
	if ((cfg != 6U && cfg != 7U) || r->ttb == 0)
		return false;
	for (i = 0; i < 8; i++)
		bad |= (ste[i] & r->care[cfg == 7U][i]) ^ r->want[cfg == 7U][i];
	return bad == 0;
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
 * judge whole; an L2 of the snapshot is judged where it was written. So
 * that a write the platform never saw is found too, each input also sweeps
 * one chunk of each table's L1 (against the snapshot's descriptors) and
 * ST_SWEEP chunks of the snapshot's L2s, round and round. Whenever the
 * hardware's stream-table base or configuration is not the snapshot's,
 * everything is judged.
 */
#define ST_SWEEP	2U
#define STES_PER_CHUNK	(WORLD_DIRTY_CHUNK / 64U)
#define L1S_PER_CHUNK	(WORLD_DIRTY_CHUNK / 8U)

struct st_live {
	uint32_t slot;		/* an L1 slot with a valid L2 at the snapshot */
	uint64_t desc;		/* its descriptor then */
};

struct st_smmu {
	bool valid;
	uint64_t base;		/* the hardware's STRTAB_BASE / _CFG then */
	uint32_t cfg;
	struct st_live *live;	/* by slot */
	uint32_t nlive, cap;
	uint32_t sweep_l1, sweep_ste;	/* the next chunks to sweep */
};

struct oracle_st_base {
	struct st_smmu smmu[WORLD_MAX_SMMU];
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

static void live_add(struct st_smmu *b, uint32_t slot, uint64_t desc)
{
	if (b->nlive == b->cap) {
		uint32_t n = b->cap ? b->cap * 2U : 16U;
		struct st_live *p = realloc(b->live, n * sizeof(*p));

		if (p == NULL) {
			fprintf(stderr, "smmufuzz: out of memory (oracle)\n");
			exit(2);
		}
		b->live = p;
		b->cap = n;
	}
	b->live[b->nlive].slot = slot;
	b->live[b->nlive++].desc = desc;
}

/* The snapshot's descriptor of L1 slot @slot (0: none). */
static uint64_t live_desc(const struct st_smmu *b, uint64_t slot)
{
	uint32_t lo = 0, hi = b->nlive;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2U;

		if (b->live[mid].slot == slot)
			return b->live[mid].desc;
		if (b->live[mid].slot < slot)
			lo = mid + 1U;
		else
			hi = mid;
	}
	return 0;
}

/* The L2 an L1 descriptor names: hypervisor memory, every STE judged. */
static void judge_l2(struct oracle_world *o, uint64_t desc)
{
	unsigned span = (unsigned)FIELD_GET(STRTAB_L1_SPAN, desc);
	uint64_t l2 = desc & STRTAB_L1_L2PTR_MASK, count, j;
	const struct ste_rules *r;
	const uint64_t *t;

	if (span == 0)
		return;
	count = 1ULL << (span - 1U);
	/* Every shadow L2 the SMMU may walk is hypervisor memory. */
	if (!oracle_range_owned_by(o->w, l2, count * 64, PGS_OWNER_HYP))
		oracle_breach(o->w, "l2-not-hyp-memory");
	t = (const uint64_t *)world_ram(o->w, l2, count * 64);
	r = rules_for(&o->s2);
	for (j = 0; t != NULL && j < count; j++)
		if (!ste_fine(r, t + j * 8))
			check_ste(o, t + j * 8);
}

/* The STEs of [base, base + bytes) in the chunks of @page that @dirty names. */
static void judge_ste_chunks(struct oracle_world *o, uint64_t page, uint16_t dirty,
			     uint64_t base, uint64_t bytes)
{
	uint64_t end = base + bytes;

	while (dirty != 0) {
		unsigned c = (unsigned)__builtin_ctz(dirty);
		uint64_t at = page + (uint64_t)c * WORLD_DIRTY_CHUNK, k;
		const uint64_t *t;

		dirty &= (uint16_t)(dirty - 1U);
		for (k = 0; k < STES_PER_CHUNK; k++, at += 64) {
			if (at < base || at >= end)
				continue;
			t = (const uint64_t *)world_ram(o->w, at, 64);
			if (t != NULL && !ste_fine(rules_for(&o->s2), t))
				check_ste(o, t);
		}
	}
}

/* The STEs of [base, base + bytes) in chunks written since the snapshot. */
static void judge_dirty_stes(struct oracle_world *o, uint64_t base, uint64_t bytes)
{
	uint64_t page;

	for (page = base & ~(PAGE - 1U); page < base + bytes; page += PAGE)
		judge_ste_chunks(o, page, world_page_dirty(o->w, page), base, bytes);
}

/* Everything of SMMU @m; the live L2s recorded into @rec if not NULL. */
static void judge_smmu_whole(struct oracle_world *o, struct hw_model *m,
			     struct st_smmu *rec)
{
	uint64_t base = m->strtab_base & STRTAB_BASE_ADDR_MASK;
	unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, m->strtab_base_cfg);
	const uint64_t *l1;
	uint64_t n, k;

	if (FIELD_GET(STRTAB_CFG_FMT, m->strtab_base_cfg) != STRTAB_CFG_FMT_2LVL) {
		const uint64_t *t = (const uint64_t *)world_ram(o->w, base, 64ULL << (log2 < 32U ? log2 : 32U));
		const struct ste_rules *r = rules_for(&o->s2);

		for (k = 0; t != NULL && k < (1ULL << log2); k++)
			if (!ste_fine(r, t + k * 8))
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
			live_add(rec, (uint32_t)k, l1[k]);
	}
}

/* One chunk of L1 slots against the snapshot's; the next STE chunks of
 * its L2s, whatever the dirty record says. */
static void sweep_smmu(struct oracle_world *o, const uint64_t *l1, uint64_t n,
		       struct st_smmu *b)
{
	uint64_t first = (uint64_t)(b->sweep_l1++ % ((n + L1S_PER_CHUNK - 1U) / L1S_PER_CHUNK)) *
			 L1S_PER_CHUNK, k;
	unsigned i;

	for (k = first; k < first + L1S_PER_CHUNK && k < n; k++)
		if (l1[k] != live_desc(b, k))
			judge_l2(o, l1[k]);
	for (i = 0; i < ST_SWEEP && b->nlive != 0; i++) {
		uint64_t d = b->live[(b->sweep_ste / 64U) % b->nlive].desc;
		uint64_t l2 = d & STRTAB_L1_L2PTR_MASK;
		uint64_t bytes = 64ULL << (FIELD_GET(STRTAB_L1_SPAN, d) - 1U);
		uint64_t at = l2 + (uint64_t)(b->sweep_ste++ % 64U) * WORLD_DIRTY_CHUNK;

		/* 64 chunks cover the largest L2 (Span 9: 16 KiB). */
		if (at < l2 + bytes)
			judge_ste_chunks(o, at & ~(PAGE - 1U),
					 (uint16_t)(1U << ((at & (PAGE - 1U)) / WORLD_DIRTY_CHUNK)),
					 l2, bytes);
	}
}

/* What an input wrote of an SMMU's tables, the baseline @b being valid. */
static void judge_smmu_dirty(struct oracle_world *o, struct st_smmu *b)
{
	uint64_t base = b->base & STRTAB_BASE_ADDR_MASK;
	unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, b->cfg);
	const uint64_t *l1;
	uint64_t n, page, k;
	uint32_t j;

	if (FIELD_GET(STRTAB_CFG_FMT, b->cfg) != STRTAB_CFG_FMT_2LVL) {
		uint64_t bytes = 64ULL << (log2 < 32U ? log2 : 32U);
		uint64_t chunks = (bytes + WORLD_DIRTY_CHUNK - 1U) / WORLD_DIRTY_CHUNK;

		judge_dirty_stes(o, base, bytes);
		/* The sweep: the next chunks of the table (at least one). */
		for (j = 0; j < ST_SWEEP; j++) {
			uint64_t at = base + (b->sweep_ste++ % chunks) * WORLD_DIRTY_CHUNK;

			judge_ste_chunks(o, at & ~(PAGE - 1U),
					 (uint16_t)(1U << ((at & (PAGE - 1U)) / WORLD_DIRTY_CHUNK)),
					 base, bytes);
		}
		return;
	}
	n = 1ULL << (log2 - FIELD_GET(STRTAB_CFG_SPLIT, b->cfg));
	l1 = (const uint64_t *)world_ram(o->w, base, n * 8);
	if (l1 == NULL)
		return;
	/* Descriptors written that differ from the snapshot's: their L2s
	 * whole (new, or moved). */
	for (page = base; page < base + n * 8U; page += PAGE) {
		uint16_t dirty = world_page_dirty(o->w, page);

		while (dirty != 0) {
			unsigned c = (unsigned)__builtin_ctz(dirty);
			uint64_t first = (page - base) / 8U + (uint64_t)c * L1S_PER_CHUNK;

			dirty &= (uint16_t)(dirty - 1U);
			for (k = first; k < first + L1S_PER_CHUNK && k < n; k++)
				if (l1[k] != live_desc(b, k))
					judge_l2(o, l1[k]);
		}
	}
	/* The snapshot's L2s, still named as then: where they were written. */
	for (j = 0; j < b->nlive; j++) {
		uint64_t d = b->live[j].desc;
		uint64_t l2 = d & STRTAB_L1_L2PTR_MASK;
		uint64_t bytes = 64ULL << (FIELD_GET(STRTAB_L1_SPAN, d) - 1U);

		if (l1[b->live[j].slot] != d)
			continue;
		if (!oracle_range_owned_by(o->w, l2, bytes, PGS_OWNER_HYP))
			oracle_breach(o->w, "l2-not-hyp-memory");
		judge_dirty_stes(o, l2, bytes);
	}
	sweep_smmu(o, l1, n, b);
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
	unsigned i;

	for (i = 0; i < world_smmu_count(w); i++) {
		struct hw_model *m = world_smmu(w, i);
		struct st_smmu *b = o->st != NULL ? &o->st->smmu[i] : NULL;

		if (!world_smmu_audited(w, i))
			continue;
		if (b == NULL || !b->valid || b->base != m->strtab_base ||
		    b->cfg != m->strtab_base_cfg)
			judge_smmu_whole(o, m, NULL);
		else
			judge_smmu_dirty(o, b);
	}
}
