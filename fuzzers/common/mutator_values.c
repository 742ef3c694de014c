// SPDX-License-Identifier: MIT
/*
 * Numbers for the structure-aware mutator: the edges of tables and queues,
 * the addresses of the layout, and register/descriptor values built field
 * by field from describe.c's tables (the same ones `show` prints).
 */
#include <smmu/regs.h>
#include "mutator_values.h"

/* ---- Random numbers ------------------------------------------------------ */

void mrng_seed(struct mrng *r, uint32_t seed, uint64_t salt)
{
	r->s = ((uint64_t)seed << 32 | 0x9E3779B9U) ^ (salt * 0xBF58476D1CE4E5B9ULL);
	if (r->s == 0)
		r->s = 0x2545F4914F6CDD1DULL;
	(void)mrng_next(r);
}

uint64_t mrng_next(struct mrng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1DULL;
}

uint32_t mrng_below(struct mrng *r, uint32_t n)
{
	return n == 0 ? 0 : (uint32_t)((mrng_next(r) >> 32) % n);
}

bool mrng_one_in(struct mrng *r, uint32_t n)
{
	return mrng_below(r, n) == 0;
}

/* ---- Edges --------------------------------------------------------------- */

/* 2^k - 1, 2^k or 2^k + 1 for 1 <= k <= @max_k (kept in 32 bits). */
static uint32_t pow2_edge(struct mrng *r, unsigned max_k)
{
	unsigned k = 1U + mrng_below(r, max_k);
	uint64_t p = 1ULL << k;

	switch (mrng_below(r, 3)) {
	case 0: p -= 1U; break;
	case 2: p += 1U; break;
	default: break;
	}
	return (uint32_t)p;
}

uint32_t mv_sid(struct mrng *r)
{
	switch (mrng_below(r, 8)) {
	case 0: case 1:
		return mrng_below(r, 4);
	case 2:
		return mrng_below(r, 256);
	case 3: case 4: case 5:
		return pow2_edge(r, 32);
	case 6:
		/* Just past or at the end of a 2-level table's first L2 */
		return (mrng_below(r, 64) << 8) | (mrng_one_in(r, 2) ? 0xFFU : 0);
	default:
		return (uint32_t)mrng_next(r);
	}
}

uint32_t mv_queue_index(struct mrng *r)
{
	unsigned k = mrng_below(r, Q_MAX_LOG2SIZE + 1U);
	uint32_t size = 1U << k, idx;

	switch (mrng_below(r, 4)) {
	case 0: idx = 0; break;
	case 1: idx = size - 1U; break;
	case 2: idx = size - 1U - mrng_below(r, 4); break;
	default: idx = mrng_below(r, size); break;
	}
	idx &= size - 1U;
	if (mrng_one_in(r, 2))
		idx |= size;		/* the wrap bit */
	if (mrng_one_in(r, 16))
		idx |= 1U << (20U + mrng_below(r, 12));	/* junk above */
	return idx;
}

/* Places of the layout every build agrees on (opstream.h). */
static const uint64_t places[] = {
	LAYOUT_HOST_STRTAB, LAYOUT_HOST_L2, LAYOUT_HOST_L2 + LAYOUT_L2_SIZE,
	LAYOUT_HOST_CMDQ, LAYOUT_HOST_EVTQ, LAYOUT_HOST_PRIQ, LAYOUT_HOST_CD,
	LAYOUT_HOST_PGT, LAYOUT_HOST_DATA,
	LAYOUT_HYP_BASE, LAYOUT_HYP_BASE + 0x1000U, LAYOUT_HYP_BASE + 0x200000U,
	LAYOUT_HOST_BASE - 0x1000U, LAYOUT_RAM_BASE + LAYOUT_RAM_SIZE - 0x1000U,
	LAYOUT_RAM_BASE + LAYOUT_RAM_SIZE, LAYOUT_SMMU_BASE,
	LAYOUT_SMMU_BASE + 0x10000U, LAYOUT_SMMU_BASE + LAYOUT_SMMU_STRIDE,
	LAYOUT_UART_BASE, LAYOUT_MMIO_BASE, 0,
	1ULL << 32, 1ULL << 40, 1ULL << 44, 1ULL << 48, (1ULL << 52) - 0x1000U,
};

#define PLACE_COUNT	(sizeof(places) / sizeof(places[0]))

uint64_t mv_address(struct mrng *r)
{
	uint64_t a = places[mrng_below(r, PLACE_COUNT)];

	switch (mrng_below(r, 6)) {
	case 0:
		a += (uint64_t)mrng_below(r, 64) << 12;		/* a page further */
		break;
	case 1:
		a += (uint64_t)mrng_below(r, 256) << 6;		/* an STE/L2 step */
		break;
	case 2:
		a += 1ULL << mrng_below(r, 12);			/* misaligned */
		break;
	default:
		break;
	}
	return a;
}

uint64_t mv_u64(struct mrng *r)
{
	switch (mrng_below(r, 8)) {
	case 0: return 0;
	case 1: return ~0ULL;
	case 2: return 1ULL << mrng_below(r, 64);
	case 3: return (1ULL << mrng_below(r, 64)) - 1U;
	case 4: return mrng_below(r, 256);
	case 5: return mv_address(r);
	case 6: return pow2_edge(r, 32);
	default: return mrng_next(r);
	}
}

/* ---- Values field by field ----------------------------------------------- */

#define MAX_FIELDS	40U

static unsigned lsb_of(uint64_t mask)
{
	return (unsigned)__builtin_ctzll(mask);
}

/* A value for field @f, in place (shifted into its mask). */
static uint64_t field_value(struct mrng *r, const struct describe_fmask *f)
{
	uint64_t span = f->mask >> lsb_of(f->mask), v;

	if (f->is_addr && !mrng_one_in(r, 4))
		return mv_address(r) & f->mask;
	switch (mrng_below(r, 6)) {
	case 0: v = 0; break;
	case 1: v = span; break;
	case 2: v = 1; break;
	case 3:
		v = f->named_values != 0 ? mrng_below(r, f->named_values) :
		    mrng_next(r);
		break;
	case 4: v = span - 1U; break;
	default: v = mrng_next(r); break;
	}
	return (v << lsb_of(f->mask)) & f->mask;
}

static unsigned fields_of(enum describe_layout kind, uint32_t which,
			  unsigned dw, struct describe_fmask *f)
{
	struct describe_fmask all[MAX_FIELDS];
	unsigned n = describe_fields(kind, which, all, MAX_FIELDS), i, m = 0;

	if (n > MAX_FIELDS)
		n = MAX_FIELDS;
	for (i = 0; i < n; i++) {
		if (all[i].dw == dw)
			f[m++] = all[i];
	}
	return m;
}

/* Typical starting points: what Linux writes, so mutations start valid. */
static uint64_t typical(struct mrng *r, enum describe_layout kind,
			uint32_t which, unsigned dw)
{
	switch (kind) {
	case DL_STE:
		if (dw == 0) {
			static const uint64_t cfg[] = { 0, 1, 1 | (4U << 1),
				1 | (5U << 1), 1 | (6U << 1), 1 | (7U << 1) };
			uint64_t v = cfg[mrng_below(r, 6)];

			if (mrng_one_in(r, 2))
				v |= LAYOUT_HOST_CD + ((uint64_t)mrng_below(r, 16) << 6);
			return v;
		}
		if (dw == 1)
			return (uint64_t)STE1_SHCFG_INCOMING << 44;
		return 0;
	case DL_CD:
		if (dw == 0)
			return CD0_V | CD0_AA64 | CD0_R | CD0_A | CD0_ASET |
			       (16U & CD0_T0SZ) | ((uint64_t)mrng_below(r, 4) << 48);
		if (dw == 1)
			return LAYOUT_HOST_PGT + ((uint64_t)mrng_below(r, 16) << 12);
		return 0;
	case DL_L1:
		return (LAYOUT_HOST_L2 + (uint64_t)mrng_below(r, LAYOUT_L2_SLOTS) *
			LAYOUT_L2_SIZE) | (mrng_one_in(r, 4) ? mrng_below(r, 12) : 9U);
	case DL_REG:
	case DL_CMD:
		(void)which;
		return 0;
	}
	return 0;
}

uint64_t mv_layout_value(struct mrng *r, enum describe_layout kind,
			 uint32_t which, unsigned dw)
{
	struct describe_fmask f[MAX_FIELDS];
	unsigned n = fields_of(kind, which, dw, f), i;
	uint64_t v = typical(r, kind, which, dw);

	if (n == 0)
		return mrng_one_in(r, 2) ? v : mv_u64(r);
	/* Change a few fields of the typical value. */
	for (i = 1U + mrng_below(r, 3); i > 0; i--) {
		const struct describe_fmask *p = &f[mrng_below(r, n)];

		v = (v & ~p->mask) | field_value(r, p);
	}
	return v;
}

uint64_t mv_layout_mutate(struct mrng *r, enum describe_layout kind,
			  uint32_t which, unsigned dw, uint64_t v)
{
	struct describe_fmask f[MAX_FIELDS];
	unsigned n = fields_of(kind, which, dw, f);

	if (n == 0 || mrng_one_in(r, 6)) {
		/* A bit anywhere: reserved bits are part of the attack. */
		switch (mrng_below(r, 4)) {
		case 0: return v ^ (1ULL << mrng_below(r, 64));
		case 1: return v + 1U;
		case 2: return v - 1U;
		default: return n == 0 ? mv_u64(r) : v ^ (1ULL << mrng_below(r, 64));
		}
	}
	const struct describe_fmask *p = &f[mrng_below(r, n)];

	if (mrng_one_in(r, 4)) {
		/* One step of the field's own value. */
		uint64_t cur = (v & p->mask) >> lsb_of(p->mask);

		cur += mrng_one_in(r, 2) ? 1U : (uint64_t)-1;
		return (v & ~p->mask) | ((cur << lsb_of(p->mask)) & p->mask);
	}
	return (v & ~p->mask) | field_value(r, p);
}

/* ---- Commands ------------------------------------------------------------ */

static uint8_t pick_opcode(struct mrng *r)
{
	if (mrng_one_in(r, 32))
		return (uint8_t)mrng_below(r, 256);
	return describe_cmd_opcode_at(mrng_below(r, describe_cmd_count()));
}

/* The SID field of a command that has one, at an edge. */
static void command_fields(struct mrng *r, uint64_t cmd[2])
{
	struct describe_fmask f[MAX_FIELDS];
	uint8_t op = (uint8_t)(cmd[0] & CMD0_OP);
	unsigned n = describe_fields(DL_CMD, op, f, MAX_FIELDS), i;

	if (n > MAX_FIELDS)
		n = MAX_FIELDS;
	for (i = 0; i < n; i++) {
		if (f[i].mask == CMD0_SID && f[i].dw == 0) {
			cmd[0] = (cmd[0] & ~CMD0_SID) | ((uint64_t)mv_sid(r) << 32);
		} else if (f[i].mask == CMD1_RANGE && f[i].dw == 1) {
			uint64_t range = mrng_one_in(r, 2) ? CFGI_RANGE_ALL :
					 mrng_below(r, 32);

			cmd[1] = (cmd[1] & ~CMD1_RANGE) | range;
		} else if (f[i].mask == CMD1_LEAF && f[i].dw == 1) {
			cmd[1] |= mrng_one_in(r, 4) ? 0 : CMD1_LEAF;
		} else if (mrng_one_in(r, 3)) {
			cmd[f[i].dw] = (cmd[f[i].dw] & ~f[i].mask) |
				       field_value(r, &f[i]);
		}
	}
}

void mv_command(struct mrng *r, uint64_t cmd[2])
{
	cmd[0] = pick_opcode(r);
	cmd[1] = 0;
	command_fields(r, cmd);
	if (mrng_one_in(r, 16))
		cmd[mrng_below(r, 2)] ^= 1ULL << mrng_below(r, 64);
}

void mv_command_mutate(struct mrng *r, uint64_t cmd[2])
{
	uint8_t op = (uint8_t)(cmd[0] & CMD0_OP);
	unsigned dw;

	switch (mrng_below(r, 5)) {
	case 0:
		/* Another command with the same operands. */
		cmd[0] = (cmd[0] & ~CMD0_OP) | pick_opcode(r);
		return;
	case 1:
		command_fields(r, cmd);
		return;
	default:
		dw = mrng_below(r, 2);
		cmd[dw] = mv_layout_mutate(r, DL_CMD, op, dw, cmd[dw]);
		if (dw == 0)	/* the opcode is not a field of the table */
			cmd[0] = (cmd[0] & ~CMD0_OP) | op;
		return;
	}
}

/* ---- Places in the op stream's windows ------------------------------------ */

uint32_t mv_own_page(struct mrng *r, uint8_t action)
{
	uint64_t pa;
	uint32_t page;

	if (ops_own_is_mmio(action) && !mrng_one_in(r, 4)) {
		pa = LAYOUT_SMMU_BASE + ((uint64_t)mrng_below(r, 8) << 16) +
		     ((uint64_t)mrng_below(r, 4) << 12);
		if (mrng_one_in(r, 4))
			pa = LAYOUT_UART_BASE;
	} else {
		pa = mv_address(r) & ~0xFFFULL;
	}
	if (ops_own_page(action, pa, &page) != 0)
		page = mrng_below(r, OWN_PAGE_LIMIT);
	if (mrng_one_in(r, 16))
		page ^= OWN_PAGE_OTHER;
	if (mrng_one_in(r, 16))
		page ^= OWN_PAGE_SKEW;
	return page % OWN_PAGE_LIMIT;
}

uint32_t mv_host_offset(struct mrng *r)
{
	uint64_t a = mv_address(r);

	if (a < LAYOUT_HOST_BASE || a >= LAYOUT_HOST_BASE + LAYOUT_HOST_SIZE)
		a = LAYOUT_HOST_BASE + ((uint64_t)mrng_below(r, 8) << 20) +
		    ((uint64_t)mrng_below(r, 512) << 3);
	return (uint32_t)(a - LAYOUT_HOST_BASE);
}

uint32_t mv_mmio_offset(struct mrng *r)
{
	uint32_t off;

	if (mrng_one_in(r, 8))
		return mrng_below(r, OP_MMIO_OFF_MASK + 1U);
	off = ops_reg(mrng_below(r, ops_reg_count()))->offset;
	switch (mrng_below(r, 6)) {
	case 0: off += 4U; break;	/* the high half */
	case 1: off ^= 0x10000U; break;	/* the other page */
	case 2: off += 1U << mrng_below(r, 3); break;
	default: break;
	}
	return off & OP_MMIO_OFF_MASK;
}
