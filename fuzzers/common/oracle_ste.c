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
#include "audit.h"
#include "oracle.h"

#define PAGE		0x1000ULL

/* ---- The STE, field by field ---------------------------------------------- */

#define R_ANY		AUDIT_STE_ANY
#define R_ZERO		AUDIT_STE_ZERO
#define R_CONST		AUDIT_STE_CONST
#define R_EXP		AUDIT_STE_EXPECT
#define R_TTB		AUDIT_STE_TTB
#define M(hi, lo)	((~0ULL >> (63U - (hi))) & ~((1ULL << (lo)) - 1U))

/*
 * What every bit of a translating STE may hold is one table, audit.c's
 * (the EL2 build judges the real SMMU with it too): stage 2 only (Config
 * 0b110, the host asked for bypass) and nested (0b111, the host's stage 1
 * over the identity map); V and Config are judged before it.
 */
#define FIELD_COUNT	audit_ste_field_count()
#define FIELD(i)	(audit_ste_field(i))

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

/* The rules of the last few expectations (worlds alternate input by
 * input: one per world would be rebuilt every time). */
#define RULES_CACHED	4U
static _Thread_local struct ste_rules rules_cache[RULES_CACHED];
static _Thread_local unsigned rules_next;

static const struct ste_rules *rules_build(const struct oracle_s2 *e);

/* The rules for @e: asked for every STE judged, built once. */
static inline const struct ste_rules *rules_for(const struct oracle_s2 *e)
{
	unsigned i;

	for (i = 0; i < RULES_CACHED; i++) {
		const struct ste_rules *r = &rules_cache[(rules_next + RULES_CACHED - 1U - i) %
							 RULES_CACHED];

		if (r->ok && r->dw2 == e->dw2 && r->ttb == e->ttb)
			return r;
	}
	return rules_build(e);
}

static __attribute__((noinline)) const struct ste_rules *rules_build(const struct oracle_s2 *e)
{
	struct ste_rules *r = &rules_cache[rules_next++ % RULES_CACHED];
	size_t i;
	unsigned k;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < FIELD_COUNT; i++)
		if (FIELD(i)->in_abort)
			r->abort_care[FIELD(i)->dw] |= FIELD(i)->mask;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < FIELD_COUNT; i++) {
			const struct audit_ste_field *f = FIELD(i);
			uint64_t *care = &r->care[k][f->dw], *want = &r->want[k][f->dw];

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
	r->dw2 = e->dw2;
	r->ttb = e->ttb;
	r->ok = true;
	return r;
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
			if (FIELD(i)->in_abort && (ste[FIELD(i)->dw] & FIELD(i)->mask))
				field_breach(o->w, FIELD(i)->name);
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
		const struct audit_ste_field *f = FIELD(i);
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

/* Whether the word at @pa was written since the snapshot, as the dirty
 * record says. */
static bool written(struct world *w, uint64_t pa)
{
	return (world_page_dirty(w, pa) >> ((pa & (PAGE - 1U)) / WORLD_DIRTY_CHUNK)) & 1U;
}

/* One chunk of L1 slots against the snapshot's; the next STE chunks of
 * its L2s, whatever the dirty record says. */
static void sweep_smmu(struct oracle_world *o, const uint64_t *l1, uint64_t n,
		       struct st_smmu *b)
{
	uint64_t first = (uint64_t)(b->sweep_l1++ % ((n + L1S_PER_CHUNK - 1U) / L1S_PER_CHUNK)) *
			 L1S_PER_CHUNK, k;
	unsigned i;

	/* (A slot the input wrote was judged with the written chunks.) */
	for (k = first; k < first + L1S_PER_CHUNK && k < n; k++)
		if (l1[k] != live_desc(b, k) &&
		    !written(o->w, (b->base & STRTAB_BASE_ADDR_MASK) + k * 8U))
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
