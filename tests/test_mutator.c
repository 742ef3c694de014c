// SPDX-License-Identifier: MIT
/* The structure-aware mutator: its contracts, and that it reaches what the
 * byte-level engine struggles to (every command, every HW field, SIDs at
 * the edges). */
#include <smmu/regs.h>

#include "check.h"
#include "describe.h"
#include "harness.h"
#include "mutator.h"
#include "opstream.h"
#include "worlddesc.h"

#define CAP	1024U

static struct op ops[OPS_MAX_OPS];

static int decode(const uint8_t *buf, size_t len, struct ops_header *hdr)
{
	return ops_decode(buf, len, false, hdr, ops, OPS_MAX_OPS, NULL);
}

/* An input of @n ops built by mutating from nothing. */
static size_t grow(uint8_t *buf, uint32_t seed, uint32_t mask, unsigned rounds)
{
	size_t len = 0;
	unsigned i;

	for (i = 0; i < rounds; i++)
		len = opmut_mutate(buf, len, CAP, seed * 7919U + i, mask);
	return len;
}

static void same_seed_same_output(void)
{
	uint8_t a[CAP], b[CAP];
	size_t la = grow(a, 3, OPMASK_ALL, 50), lb = grow(b, 3, OPMASK_ALL, 50);

	EXPECT_EQ(la, lb);
	EXPECT(memcmp(a, b, la) == 0);
	lb = grow(b, 4, OPMASK_ALL, 50);
	EXPECT(la != lb || memcmp(a, b, la) != 0);
}

static void output_fits_and_is_never_empty(void)
{
	uint8_t buf[CAP];
	size_t len = 0, cap;
	unsigned i;

	for (i = 0; i < 3000; i++) {
		cap = 20U + (i % 200U);
		if (len > cap)
			len = cap;
		len = opmut_mutate(buf, len, cap, i, OPMASK_ALL);
		EXPECT(len <= cap);
		EXPECT(len > 0);
	}
}

static void inserted_ops_belong_to_the_target(void)
{
	static const char *const names[] = { "fuzz_mmio", "fuzz_cmdq", "fuzz_ste",
					     "fuzz_owner", "fuzz_all" };
	struct ops_header hdr;
	uint8_t buf[CAP];
	unsigned t, s;
	int n, i;

	for (t = 0; t < 5; t++) {
		uint32_t mask = opmut_target_mask(names[t]);

		EXPECT(mask != 0);
		for (s = 0; s < 20; s++) {
			size_t len = grow(buf, s, mask, 60);

			n = decode(buf, len, &hdr);
			EXPECT(n > 0);
			for (i = 0; i < n; i++) {
				if (!(mask & OPBIT(ops[i].code)))
					CHECK_FAIL("%s: op %s outside the mask",
						   names[t], ops_op_name(ops[i].code));
			}
		}
	}
	EXPECT_EQ(opmut_target_mask("no_such_target"), 0);
}

static void inputs_stay_short_reset_once_and_few_worlds(void)
{
	struct ops_header hdr;
	uint8_t buf[8192];
	size_t len = 0;
	unsigned i, resets, worlds;
	int n, j, most = 0;

	for (i = 0; i < 5000; i++) {
		len = opmut_mutate(buf, len, sizeof(buf), i, OPMASK_ALL);
		n = decode(buf, len, &hdr);
		if (n > most)
			most = n;
		for (resets = 0, worlds = 0, j = 0; j < n; j++) {
			resets += ops[j].code == OP_RESET;
			worlds += ops[j].code == OP_HW || ops[j].code == OP_FDT;
		}
		if (resets > 1 || worlds > 3) {
			CHECK_FAIL("%u reset macros, %u world ops after %u mutations",
				   resets, worlds, i);
			break;
		}
	}
	/* Insertion stops at the soft bound; a stacked round may add a few. */
	EXPECT(most <= (int)OPMUT_SOFT_OPS + 6);
	EXPECT(most >= (int)OPMUT_SOFT_OPS / 2);
}

/* Every known command opcode and every HW field comes up quickly. */
static void every_command_and_hw_field_is_reached(void)
{
	struct ops_header hdr;
	uint8_t buf[CAP];
	bool cmd_seen[256] = { false }, hw_seen[256] = { false };
	unsigned i, k, missing = 0;
	int n, j;

	for (i = 0; i < 20000; i++) {
		size_t len = opmut_mutate(buf, 0, CAP, i, OPMASK_ALL);

		n = decode(buf, len, &hdr);
		for (j = 0; j < n; j++) {
			if (ops[j].code == OP_CMD)
				cmd_seen[ops[j].v0 & CMD0_OP] = true;
			if (ops[j].code == OP_HW)
				hw_seen[ops[j].b8] = true;
		}
	}
	for (k = 0; k < describe_cmd_count(); k++) {
		if (!cmd_seen[describe_cmd_opcode_at(k)]) {
			CHECK_FAIL("command 0x%x never generated",
				   describe_cmd_opcode_at(k));
			missing++;
		}
	}
	for (k = 0; k < wd_field_count(); k++) {
		if (!hw_seen[k]) {
			CHECK_FAIL("HW field %s never generated", wd_field(k)->name);
			missing++;
		}
	}
	EXPECT_EQ(missing, 0);
}

/* SIDs at the edge of a 2^k table, for every k a real SMMU may have. */
static void sids_reach_every_table_edge(void)
{
	struct ops_header hdr;
	uint8_t buf[CAP];
	bool edge[33] = { false };
	unsigned i, k;
	int n, j;

	for (i = 0; i < 20000; i++) {
		size_t len = opmut_mutate(buf, 0, CAP, i, OPMASK_STE);

		n = decode(buf, len, &hdr);
		for (j = 0; j < n; j++) {
			uint32_t sid;

			if (ops[j].code == OP_STE)
				sid = ops[j].a32;
			else if (ops[j].code == OP_CMD)
				sid = (uint32_t)(ops[j].v0 >> 32);
			else
				continue;
			for (k = 1; k <= 32; k++) {
				if ((uint64_t)sid == (1ULL << k) ||
				    (uint64_t)sid == (1ULL << k) - 1U)
					edge[k] = true;
			}
		}
	}
	for (k = 1; k <= 32; k++) {
		if (!edge[k])
			CHECK_FAIL("no SID at the 2^%u edge", k);
	}
}

/* A field mutation changes one op and leaves the others as they were. */
static void a_field_mutation_keeps_the_rest(void)
{
	static const char text[] =
		"smfz 2 profile=qemu-virt\n"
		"cmd CFGI_STE sid=0x10 leaf=1 ring\n"
		"cmd CMD_SYNC ring\n"
		"ste sid=0x10 dw=0 V=1 CFG=BYPASS\n";
	struct ops_header hdr;
	struct op before[8];
	uint8_t buf[CAP];
	size_t len;
	unsigned seed, same_len = 0;
	int n0, n, j, diff;

	n0 = ops_parse_text(text, &hdr, before, 8, NULL);
	EXPECT_EQ(n0, 3);
	for (seed = 0; seed < 2000; seed++) {
		len = ops_encode(&hdr, before, (size_t)n0, buf, CAP);
		len = opmut_mutate(buf, len, CAP, seed, OPMASK_STE);
		n = decode(buf, len, &hdr);
		if (n != n0)
			continue;
		same_len++;
		for (diff = 0, j = 0; j < n; j++) {
			if (ops[j].code != before[j].code || ops[j].a32 != before[j].a32 ||
			    ops[j].v0 != before[j].v0 || ops[j].v1 != before[j].v1 ||
			    ops[j].a8 != before[j].a8 || ops[j].b8 != before[j].b8)
				diff++;
		}
		/* A swap changes two, stacked rounds more; most change one. */
		EXPECT(diff <= 6);
	}
	EXPECT(same_len > 100);
}

static void crossover_takes_ops_from_both(void)
{
	static const char ta[] = "smfz 2 profile=qemu-virt\nread CR0\nread CR0\nread CR0\n";
	static const char tb[] = "smfz 2 profile=qemu-virt\nsync\nsync\nsync\n";
	struct ops_header hdr;
	struct op a[4], b[4];
	uint8_t ba[CAP], bb[CAP], out[CAP];
	size_t la, lb, lo;
	unsigned seed, mixed = 0;
	int na, nb, n, j, from_a, from_b;

	na = ops_parse_text(ta, &hdr, a, 4, NULL);
	la = ops_encode(&hdr, a, (size_t)na, ba, CAP);
	nb = ops_parse_text(tb, &hdr, b, 4, NULL);
	lb = ops_encode(&hdr, b, (size_t)nb, bb, CAP);
	for (seed = 0; seed < 200; seed++) {
		lo = opmut_crossover(ba, la, bb, lb, out, CAP, seed, OPMASK_ALL);
		EXPECT(lo <= CAP);
		n = decode(out, lo, &hdr);
		for (from_a = from_b = 0, j = 0; j < n; j++) {
			from_a += ops[j].code == OP_READ;
			from_b += ops[j].code == OP_SYNC;
		}
		EXPECT(from_b >= 1);
		mixed += from_a > 0 && from_b > 0;
	}
	EXPECT(mixed > 50);
}

int main(void)
{
	RUN(same_seed_same_output);
	RUN(output_fits_and_is_never_empty);
	RUN(inserted_ops_belong_to_the_target);
	RUN(inputs_stay_short_reset_once_and_few_worlds);
	RUN(every_command_and_hw_field_is_reached);
	RUN(sids_reach_every_table_edge);
	RUN(a_field_mutation_keeps_the_rest);
	RUN(crossover_takes_ops_from_both);
	CHECK_DONE();
}
