// SPDX-License-Identifier: MIT
/*
 * The structure-aware mutator (mutator.h): decode, change ops, encode.
 */
#include <string.h>

#include <smmu/regs.h>
#include "harness.h"
#include "mutator.h"
#include "mutator_values.h"
#include "worlddesc.h"

/* ---- One op ---------------------------------------------------------------- */

static unsigned reg_pick(struct mrng *r)
{
	return mrng_below(r, ops_reg_count());
}

static uint64_t reg_value(struct mrng *r, unsigned reg)
{
	return mv_layout_value(r, DL_REG, ops_reg(reg)->offset, 0);
}

/* PROD and CONS registers: their values are queue indices. */
static bool is_queue_ptr(uint32_t offset)
{
	switch (offset & 0xFFFFU) {
	case SMMU_CMDQ_PROD: case SMMU_CMDQ_CONS:
	case SMMU_EVTQ_PROD: case SMMU_EVTQ_CONS:
	case SMMU_PRIQ_PROD: case SMMU_PRIQ_CONS:
		return true;
	default:
		return false;
	}
}

static uint8_t width_pick(struct mrng *r)
{
	/* Mostly the widths registers and descriptors have. */
	return mrng_one_in(r, 4) ? (uint8_t)mrng_below(r, 4) :
	       (uint8_t)(2U + mrng_below(r, 2));
}

/* A value a host would store into its own memory at @off. */
static uint64_t host_value(struct mrng *r, uint32_t off)
{
	uint64_t pa = LAYOUT_HOST_BASE + off;

	if (pa >= LAYOUT_HOST_STRTAB && pa < LAYOUT_HOST_L2)
		return mrng_one_in(r, 2) ? mv_layout_value(r, DL_L1, 0, 0) :
		       mv_layout_value(r, DL_STE, (off >> 3) & 7U, 0);
	if (pa >= LAYOUT_HOST_L2 && pa < LAYOUT_HOST_CMDQ)
		return mv_layout_value(r, DL_STE, (off >> 3) & 7U, 0);
	if (pa >= LAYOUT_HOST_CMDQ && pa < LAYOUT_HOST_EVTQ) {
		uint64_t cmd[2];

		mv_command(r, cmd);
		return cmd[(off >> 3) & 1U];
	}
	if (pa >= LAYOUT_HOST_CD && pa < LAYOUT_HOST_PGT)
		return mv_layout_value(r, DL_CD, (off >> 3) & 7U, 0);
	return mv_u64(r);
}

static uint32_t hw_value(struct mrng *r, unsigned field)
{
	const struct wd_field *f = wd_field(field);
	uint32_t max = f != NULL ? f->max : 0xFFFFFFFFU;

	switch (mrng_below(r, 5)) {
	case 0: return 0;
	case 1: return max;
	case 2: return max > 0 ? 1U : 0;
	case 3: return max > 0 ? max - 1U : 0;
	default: return max == 0xFFFFFFFFU ? (uint32_t)mv_u64(r) :
			mrng_below(r, max + 1U);
	}
}

/* Set field @which (0-based over the op's fields) of @o to a new value. */
static void op_field(struct mrng *r, struct op *o, unsigned which)
{
	uint64_t cmd[2];

	switch (o->code) {
	case OP_SEL:
		o->a8 = (uint8_t)mrng_below(r, WORLD_MAX_SMMU);
		break;
	case OP_READ:
		o->a8 = (uint8_t)reg_pick(r);
		break;
	case OP_WRITE:
		if (which == 0) {
			o->a8 = (uint8_t)reg_pick(r);
			o->v0 = reg_value(r, o->a8);
		} else if (is_queue_ptr(ops_reg(o->a8 % ops_reg_count())->offset) &&
			   mrng_one_in(r, 2)) {
			o->v0 = mv_queue_index(r);
		} else {
			o->v0 = mv_layout_mutate(r, DL_REG,
						 ops_reg(o->a8 % ops_reg_count())->offset,
						 0, o->v0);
		}
		break;
	case OP_READX:
	case OP_WRITEX:
		if (which == 0)
			o->a8 = width_pick(r);
		else if (which == 1)
			o->a32 = mv_mmio_offset(r);
		else
			o->v0 = mrng_one_in(r, 2) ? mv_u64(r) :
				mv_layout_mutate(r, DL_REG, o->a32, 0, o->v0);
		break;
	case OP_MEM:
	case OP_RACE:
		if (which == 0) {
			o->a8 = width_pick(r);
		} else if (which == 1) {
			o->a32 = mv_host_offset(r);
		} else {
			o->v0 = mrng_one_in(r, 3) ? mv_u64(r) :
				host_value(r, o->a32);
		}
		break;
	case OP_OWN:
		if (which == 0)
			o->a8 = (uint8_t)mrng_below(r, OWN_ACTION_COUNT);
		o->a32 = mv_own_page(r, o->a8);
		break;
	case OP_DMA:
		if (which == 0)
			o->a8 = (uint8_t)mrng_below(r, 4);
		else if (which == 1)
			o->a32 = mv_sid(r);
		else if (which == 2)
			o->b32 = mv_sid(r);
		else
			o->v0 = mv_address(r);
		break;
	case OP_RESET:
		if (which == 0) {
			o->a8 = (uint8_t)mrng_below(r, RESET_F_MASK + 1U);
		} else {
			/* Near the limits the IDRs allow, or anything. */
			uint8_t v = mrng_one_in(r, 2) ?
				    (uint8_t)(16U + mrng_below(r, 4)) :
				    (uint8_t)mrng_below(r, 33);

			if (which == 1)
				o->b8 = v;
			else if (which == 2)
				o->c8 = v;
			else
				o->d8 = v;
		}
		break;
	case OP_CMD:
		if (which == 0) {
			o->a8 ^= CMD_F_RING;
		} else {
			cmd[0] = o->v0;
			cmd[1] = o->v1;
			mv_command_mutate(r, cmd);
			o->v0 = cmd[0];
			o->v1 = cmd[1];
		}
		break;
	case OP_QPOKE:
		if (which == 0) {
			o->a32 = mv_queue_index(r) & 0xFFFFU;
		} else {
			o->b8 = (uint8_t)mrng_below(r, 2);
			mv_command(r, cmd);
			o->v0 = cmd[o->b8];
		}
		break;
	case OP_STE:
		if (which == 0)
			o->a32 = mv_sid(r);
		else if (which == 1)
			o->b8 = (uint8_t)mrng_below(r, STRTAB_STE_DWORDS);
		else
			o->v0 = mv_layout_mutate(r, DL_STE, o->b8, 0, o->v0);
		break;
	case OP_L1:
		if (which == 0)
			o->a32 = mv_sid(r) >> (mrng_one_in(r, 2) ? 8 : 0);
		else
			o->v0 = mv_layout_mutate(r, DL_L1, 0, 0, o->v0);
		break;
	case OP_CD:
		if (which == 0)
			o->a32 = mv_sid(r) & 0xFFFFU;
		else if (which == 1)
			o->b8 = (uint8_t)mrng_below(r, CD_DWORDS);
		else
			o->v0 = mv_layout_mutate(r, DL_CD, o->b8, 0, o->v0);
		break;
	case OP_POLL:
		if (which == 0) {
			o->a8 = (uint8_t)reg_pick(r);
		} else {
			o->a32 = (uint32_t)mv_layout_value(r, DL_REG,
							   ops_reg(o->a8 % ops_reg_count())->offset, 0);
			o->b32 = mrng_one_in(r, 2) ? o->a32 : 0;
		}
		break;
	case OP_SYNC:
		o->a8 ^= SYNC_F_NOWAIT;
		break;
	case OP_HWMODE:
		o->a8 = (uint8_t)mrng_below(r, 3);
		o->b8 = (uint8_t)(mrng_one_in(r, 2) ? mrng_below(r, 4) :
				  mrng_below(r, 256));
		break;
	case OP_HW:
		if (which == 0)
			o->a8 = (uint8_t)mrng_below(r, WORLD_MAX_SMMU);
		else if (which == 1)
			o->b8 = (uint8_t)mrng_below(r, wd_field_count());
		o->a32 = hw_value(r, o->b8 % wd_field_count());
		break;
	case OP_FDT:
		if (which == 0)
			o->a8 = (uint8_t)mrng_below(r, FDT_EDIT_COUNT);
		else if (which == 1)
			o->b8 = (uint8_t)mrng_below(r, WORLD_MAX_SMMU);
		else
			o->a32 = (uint32_t)mv_u64(r);
		break;
	case OP_BOOT:
		if (which == 0)
			o->a8 = (uint8_t)mrng_below(r, BOOT_STEP_COUNT);
		else
			o->a32 = mrng_one_in(r, 2) ? mrng_below(r, 8) :
				 (uint32_t)mv_u64(r);
		break;
	default:
		break;
	}
}

/* How many fields op_field() knows for @code. */
static unsigned op_field_count(uint8_t code)
{
	switch (code) {
	case OP_SEL: case OP_READ: case OP_SYNC: case OP_HWMODE:
		return 1;
	case OP_WRITE: case OP_OWN: case OP_CMD: case OP_QPOKE: case OP_L1:
	case OP_POLL: case OP_BOOT:
		return 2;
	case OP_READX:
		return 2;
	case OP_WRITEX: case OP_MEM: case OP_RACE: case OP_STE: case OP_CD:
	case OP_HW: case OP_FDT:
		return 3;
	case OP_RESET: case OP_DMA:
		return 4;
	default:
		return 0;
	}
}

/* A new op of @code with every field chosen. */
static void op_new(struct mrng *r, struct op *o, uint8_t code)
{
	unsigned i, n = op_field_count(code);

	memset(o, 0, sizeof(*o));
	o->code = code;
	switch (code) {
	case OP_CMD:
		o->a8 = mrng_one_in(r, 4) ? 0 : CMD_F_RING;
		{
			uint64_t cmd[2];

			mv_command(r, cmd);
			o->v0 = cmd[0];
			o->v1 = cmd[1];
		}
		return;
	case OP_STE:
		o->a32 = mv_sid(r);
		o->b8 = (uint8_t)(mrng_one_in(r, 2) ? 0 : mrng_below(r, 4));
		o->v0 = mv_layout_value(r, DL_STE, o->b8, 0);
		return;
	case OP_CD:
		o->a32 = mrng_below(r, 4);
		o->b8 = (uint8_t)mrng_below(r, 2);
		o->v0 = mv_layout_value(r, DL_CD, o->b8, 0);
		return;
	case OP_L1:
		o->a32 = mrng_one_in(r, 2) ? mrng_below(r, 4) : mv_sid(r) >> 8;
		o->v0 = mv_layout_value(r, DL_L1, 0, 0);
		return;
	case OP_RESET:
		/* The common case: 2-level, event queue, enabled. */
		o->a8 = mrng_one_in(r, 2) ? (RESET_F_2LVL | RESET_F_EVTQ | RESET_F_SMMUEN) :
			(uint8_t)mrng_below(r, RESET_F_MASK + 1U);
		o->b8 = (uint8_t)(8U + mrng_below(r, 12));
		o->c8 = (uint8_t)(8U + mrng_below(r, 25));
		o->d8 = (uint8_t)(8U + mrng_below(r, 12));
		return;
	default:
		for (i = 0; i < n; i++)
			op_field(r, o, i);
		return;
	}
}

/* ---- Op sequences ---------------------------------------------------------- */

struct seq {
	struct ops_header hdr;
	struct op ops[OPMUT_MAX_OPS];
	size_t n;
};

static void seq_decode(struct seq *s, const uint8_t *data, size_t size)
{
	int n = ops_decode(data, size, false, &s->hdr, s->ops, OPMUT_MAX_OPS,
			   NULL);

	s->n = n > 0 ? (size_t)n : 0;
}

static size_t seq_encode(const struct seq *s, uint8_t *out, size_t cap)
{
	size_t n = s->n, len;

	/* Drop ops from the end until it fits. */
	for (;;) {
		len = ops_encode(&s->hdr, s->ops, n, out, cap);
		if (len <= cap || n == 0)
			break;
		n--;
	}
	return len <= cap ? len : 0;
}

static void seq_insert(struct seq *s, size_t at, const struct op *o)
{
	if (s->n >= OPMUT_MAX_OPS || at > s->n)
		return;
	memmove(&s->ops[at + 1], &s->ops[at], (s->n - at) * sizeof(s->ops[0]));
	s->ops[at] = *o;
	s->n++;
}

static void seq_delete(struct seq *s, size_t at, size_t count)
{
	if (at >= s->n)
		return;
	if (count > s->n - at)
		count = s->n - at;
	memmove(&s->ops[at], &s->ops[at + count],
		(s->n - at - count) * sizeof(s->ops[0]));
	s->n -= count;
}

static bool seq_has(const struct seq *s, uint8_t code)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (s->ops[i].code == code)
			return true;
	}
	return false;
}

static unsigned seq_count(const struct seq *s, uint8_t code)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		n += s->ops[i].code == code;
	return n;
}

/* World ops (HW, FDT) an input may carry: every new world is a boot,
 * a thousand times dearer than an op, so inputs keep to a few. */
#define WORLD_OPS_MAX	3U

static bool is_world_op(unsigned code)
{
	return code == OP_HW || code == OP_FDT;
}

/*
 * An opcode of @mask for a new op: never a second reset macro, world ops
 * (HW, FDT) one time in eight and only while the input has fewer than
 * WORLD_OPS_MAX of them.
 */
static uint8_t code_pick(struct mrng *r, uint32_t mask, const struct seq *s)
{
	uint8_t codes[32], world[4];
	unsigned n = 0, nw = 0, c;

	for (c = 1; c <= OP_CODE_MAX; c++) {
		if (!(mask & OPBIT(c)))
			continue;
		if (c == OP_RESET && seq_has(s, OP_RESET))
			continue;
		if (is_world_op(c))
			world[nw++] = (uint8_t)c;
		else
			codes[n++] = (uint8_t)c;
	}
	if (nw != 0 && (n == 0 || mrng_one_in(r, 8)) &&
	    seq_count(s, OP_HW) + seq_count(s, OP_FDT) < WORLD_OPS_MAX)
		return world[mrng_below(r, nw)];
	return n == 0 ? 0 : codes[mrng_below(r, n)];
}

/* Where a new op goes: anywhere, but the end is where follow-ups land. */
static size_t pos_pick(struct mrng *r, const struct seq *s)
{
	return mrng_one_in(r, 3) ? s->n : mrng_below(r, (uint32_t)s->n + 1U);
}

enum mutation {
	MUT_FIELD,
	MUT_INSERT,
	MUT_DELETE,
	MUT_DUPLICATE,
	MUT_SWAP,
	MUT_RENEW,
	MUT_PROFILE,
	MUT_COUNT,
};

/* Weights out of 100: fields and insertions do most of the work. */
static enum mutation mutation_pick(struct mrng *r, const struct seq *s)
{
	uint32_t x = mrng_below(r, 100);

	if (s->n == 0)
		return MUT_INSERT;
	if (s->n > OPMUT_SOFT_OPS && x < 50)
		return MUT_DELETE;
	if (x < 40) return MUT_FIELD;
	if (x < 62) return MUT_INSERT;
	if (x < 74) return MUT_DELETE;
	if (x < 83) return MUT_DUPLICATE;
	if (x < 91) return MUT_SWAP;
	if (x < 98) return MUT_RENEW;
	return MUT_PROFILE;
}

static bool mutate_once(struct mrng *r, struct seq *s, uint32_t mask)
{
	struct op o;
	size_t i, j, len;
	uint8_t code;

	switch (mutation_pick(r, s)) {
	case MUT_FIELD:
		i = mrng_below(r, (uint32_t)s->n);
		/* A world op's field makes a new world (a boot): one time in
		 * eight it may. */
		if (is_world_op(s->ops[i].code) && !mrng_one_in(r, 8))
			i = mrng_below(r, (uint32_t)s->n);
		if (op_field_count(s->ops[i].code) == 0 ||
		    (is_world_op(s->ops[i].code) && !mrng_one_in(r, 8)))
			return false;
		op_field(r, &s->ops[i], mrng_below(r, op_field_count(s->ops[i].code)));
		return true;
	case MUT_INSERT:
		if (s->n >= OPMUT_SOFT_OPS)
			return false;
		code = code_pick(r, mask, s);
		if (code == 0)
			return false;
		op_new(r, &o, code);
		seq_insert(s, pos_pick(r, s), &o);
		return true;
	case MUT_DELETE:
		if (s->n == 0)
			return false;
		/* (Deleting a world op is a new world too, but a smaller one.) */
		len = 1U + (mrng_one_in(r, 3) ? mrng_below(r, 8) : 0);
		seq_delete(s, mrng_below(r, (uint32_t)s->n), len);
		return true;
	case MUT_DUPLICATE:
		i = mrng_below(r, (uint32_t)s->n);
		if (s->ops[i].code == OP_RESET || s->n >= OPMUT_SOFT_OPS ||
		    (is_world_op(s->ops[i].code) &&
		     seq_count(s, OP_HW) + seq_count(s, OP_FDT) >= WORLD_OPS_MAX))
			return false;
		o = s->ops[i];
		if (mrng_one_in(r, 2))
			op_field(r, &o, mrng_below(r, op_field_count(o.code)));
		seq_insert(s, mrng_one_in(r, 2) ? i + 1U : pos_pick(r, s), &o);
		return true;
	case MUT_SWAP:
		if (s->n < 2)
			return false;
		i = mrng_below(r, (uint32_t)s->n);
		j = mrng_below(r, (uint32_t)s->n);
		o = s->ops[i];
		s->ops[i] = s->ops[j];
		s->ops[j] = o;
		return i != j;
	case MUT_RENEW:
		i = mrng_below(r, (uint32_t)s->n);
		op_new(r, &s->ops[i], s->ops[i].code);
		return true;
	case MUT_PROFILE:
		if (!s->hdr.present)
			return false;
		s->hdr.profile = (uint8_t)mrng_below(r, ops_profile_count());
		return true;
	case MUT_COUNT:
		break;
	}
	return false;
}

/* World ops beyond WORLD_OPS_MAX (an input from before the bound, or
 * from another engine): the later ones go. */
static void seq_trim_world(struct seq *s)
{
	size_t i, k = 0;
	unsigned kept = 0;

	for (i = 0; i < s->n; i++) {
		if (is_world_op(s->ops[i].code) && kept++ >= WORLD_OPS_MAX)
			continue;
		s->ops[k++] = s->ops[i];
	}
	s->n = k;
}

/* Ops outside the mask do nothing for this target: shed them. */
static void seq_filter(struct seq *s, uint32_t mask)
{
	size_t i, k = 0;

	for (i = 0; i < s->n; i++) {
		if (mask & OPBIT(s->ops[i].code))
			s->ops[k++] = s->ops[i];
	}
	s->n = k;
}

size_t opmut_mutate(uint8_t *data, size_t size, size_t max_size, uint32_t seed,
		    uint32_t op_mask)
{
	struct seq s;
	struct mrng r;
	unsigned rounds, done = 0, tries;
	size_t len;

	mrng_seed(&r, seed, size);
	seq_decode(&s, data, size);
	seq_trim_world(&s);
	if (mrng_one_in(&r, 8))
		seq_filter(&s, op_mask);
	/* Mostly one change; sometimes a few (stacked, as havoc does). */
	rounds = mrng_one_in(&r, 4) ? 2U + mrng_below(&r, 4) : 1U;
	for (tries = 0; done < rounds && tries < rounds * 8U; tries++) {
		if (mutate_once(&r, &s, op_mask))
			done++;
	}
	len = seq_encode(&s, data, max_size);
	if (len == 0 && max_size > 0) {
		/* Nothing fits: one op of the target, or the input unchanged. */
		struct op o;
		uint8_t code = code_pick(&r, op_mask, &s);

		s.n = 0;
		if (code != 0) {
			op_new(&r, &o, code);
			seq_insert(&s, 0, &o);
		}
		len = seq_encode(&s, data, max_size);
		if (len == 0)
			len = size < max_size ? size : max_size;
	}
	return len;
}

size_t opmut_crossover(const uint8_t *a, size_t a_size, const uint8_t *b,
		       size_t b_size, uint8_t *out, size_t max_out,
		       uint32_t seed, uint32_t op_mask)
{
	struct seq sa, sb;
	struct mrng r;
	size_t from, len, at, i;

	(void)op_mask;
	mrng_seed(&r, seed, a_size ^ (b_size << 20));
	seq_decode(&sa, a, a_size);
	seq_decode(&sb, b, b_size);
	if (sb.n == 0)
		return seq_encode(&sa, out, max_out);
	from = mrng_below(&r, (uint32_t)sb.n);
	len = 1U + mrng_below(&r, (uint32_t)(sb.n - from));
	at = mrng_below(&r, (uint32_t)sa.n + 1U);
	if (mrng_one_in(&r, 2)) {
		/* Substitute: a's head, b's run, a's tail after as many ops. */
		seq_delete(&sa, at, len);
	}
	for (i = 0; i < len && sa.n < OPMUT_MAX_OPS; i++) {
		const struct op *o = &sb.ops[from + i];

		if (o->code == OP_RESET && seq_has(&sa, OP_RESET))
			continue;
		if (is_world_op(o->code) &&
		    seq_count(&sa, OP_HW) + seq_count(&sa, OP_FDT) >= WORLD_OPS_MAX)
			continue;
		seq_insert(&sa, at++, o);
	}
	return seq_encode(&sa, out, max_out);
}

uint32_t opmut_target_mask(const char *name)
{
	const struct harness_opts *o = harness_target_opts(name);

	return o != NULL ? o->op_mask : 0;
}
