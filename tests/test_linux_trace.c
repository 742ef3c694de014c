// SPDX-License-Identifier: MIT
/*
 * The real Linux driver, replayed: Debian 12's 6.1 kernel booting on QEMU's
 * SMMUv3, recorded and converted to op-stream text (the linux61_* seeds of
 * corpus/seeds/fuzz_all/, see their headers). The core must take every
 * access the driver made, and the host must see what it saw on QEMU: every
 * poll satisfied, CONS at the PROD the driver published, both MSI doorbell
 * writes landing on the ITS.
 */
#include "check.h"
#include "harness.h"

#include <smmu/regs.h>

#define ITS_DOORBELL	0x08090040ULL	/* GITS_TRANSLATER + 0x40, as QEMU put it */
#define TEXT_MAX	(1U << 16)

static struct op ops[OPS_MAX_OPS];
static uint8_t bin[OPS_MAX_OPS * 18U + OPS_HEADER_SIZE];
static char text[TEXT_MAX];

/* Parse a seed of the source tree into ops; -1 (after a CHECK_FAIL) if not. */
static int load_seed(const char *rel, struct ops_header *hdr)
{
	char path[512];
	struct ops_diag diag;
	size_t len;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "%s/corpus/seeds/%s", SMMUFUZZ_SOURCE_DIR, rel);
	f = fopen(path, "r");
	if (f == NULL) {
		CHECK_FAIL("missing seed %s", path);
		return -1;
	}
	len = fread(text, 1, sizeof(text) - 1U, f);
	fclose(f);
	text[len] = '\0';
	n = ops_parse_text(text, hdr, ops, OPS_MAX_OPS, &diag);
	if (n < 0)
		CHECK_FAIL("%s: %s", rel, diag.msg);
	return n;
}

/* The target's options, with findings reported instead of aborting. */
static struct harness_opts target(const char *name)
{
	struct harness_opts o = *harness_target_opts(name);

	o.abort_on_finding = false;
	o.quiet = true;
	return o;
}

/* The input as a fuzzer gets it: encoded, then through harness_run. */
static enum verdict run_encoded(const struct ops_header *hdr, int n,
				const struct harness_opts *o, struct run_result *r)
{
	size_t len = ops_encode(hdr, ops, (size_t)n, bin, sizeof(bin));

	if (len > sizeof(bin)) {
		CHECK_FAIL("input of %zu bytes does not fit", len);
		return VERDICT_FINDING;
	}
	return harness_run(bin, len, o, r);
}

struct seen {
	uint32_t polls;		/* POLL ops, each satisfied */
	uint32_t dmas;		/* DMA probes that reached the doorbell */
	uint32_t last_prod;	/* last CMDQ_PROD the driver wrote */
	uint32_t last_cons;	/* last CMDQ_CONS it read */
};

/*
 * Walk the ops against the host's observations (r->log): a READ observes
 * one value, a POLL reads until its condition holds, a DMA observes where
 * it landed; stores and commands observe nothing unless they fault or wait
 * for room, so at the end every observation must be accounted for.
 */
static void walk(const struct op *o, int n, const struct harness_opts *opts,
		 const struct run_result *r, struct seen *s)
{
	uint32_t k = 0;
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < n; i++) {
		const struct op *op = &o[i];
		const struct ops_reg *reg;
		unsigned reads = 0;

		if ((opts->op_mask & OPBIT(op->code)) == 0)
			continue;
		switch (op->code) {
		case OP_READ:
			reg = ops_reg(op->a8);
			if (k < r->log_count && reg->offset == SMMU_CMDQ_CONS)
				s->last_cons = (uint32_t)r->log[k];
			k++;
			break;
		case OP_POLL:
			reg = ops_reg(op->a8);
			while (k < r->log_count && reads < 16U &&
			       (r->log[k] & op->a32) != op->b32) {
				k++;
				reads++;
			}
			if (k >= r->log_count || reads == 16U) {
				CHECK_FAIL("op %d: poll %s mask=0x%x expect=0x%x not satisfied",
					   i, reg->name, op->a32, op->b32);
				return;
			}
			if (reg->offset == SMMU_CMDQ_CONS)
				s->last_cons = (uint32_t)r->log[k];
			k++;
			s->polls++;
			break;
		case OP_DMA:
			if (k < r->log_count && r->log[k] == ITS_DOORBELL)
				s->dmas++;
			else
				CHECK_FAIL("op %d: DMA sid 0x%x landed at 0x%" PRIx64, i,
					   op->a32, k < r->log_count ? r->log[k] : 0);
			k++;
			break;
		case OP_WRITE:
			if (ops_reg(op->a8)->offset == SMMU_CMDQ_PROD)
				s->last_prod = (uint32_t)op->v0;
			break;
		default:
			break;
		}
	}
	/* A faulting store or a command waiting for room would be extra. */
	EXPECT_EQ(k, r->log_count);
}

static void replay_clean(const char *rel, uint32_t want_polls, uint32_t want_dmas)
{
	static struct run_result r;
	struct harness_opts o = target("fuzz_all");
	struct ops_header hdr;
	struct seen s;
	int n = load_seed(rel, &hdr);

	if (n < 0)
		return;
	EXPECT_EQ(run_encoded(&hdr, n, &o, &r), VERDICT_OK);
	EXPECT_EQ(r.rejects, 0);
	if (r.verdict != VERDICT_OK)
		CHECK_FAIL("%s: %s (%u rejections)", rel, r.site, r.rejects);
	EXPECT_EQ(r.ops, (uint32_t)n);
	walk(ops, n, &o, &r, &s);
	EXPECT_EQ(s.polls, want_polls);
	EXPECT_EQ(s.dmas, want_dmas);
	/* The driver's last doorbell was consumed in full, without error. */
	EXPECT_EQ(s.last_prod, 0x1e);
	EXPECT_EQ(s.last_cons, s.last_prod);
}

static void the_recorded_boot_replays_without_a_rejection(void)
{
	/* 23 polls: CR0ACK 5 times (4 in the reset, 1 at shutdown),
	 * IRQ_CTRLACK twice, CMDQ_CONS after 16 of the 19 CMDQ_PROD writes
	 * (not after the reset's PROD = 0 nor the two lone PREFETCH_CFGs). */
	replay_clean("fuzz_all/linux61_boot.txt", 23, 0);
}

static void the_recorded_msi_doorbells_reach_the_its(void)
{
	replay_clean("fuzz_all/linux61_boot_dma.txt", 23, 2);
}

int main(void)
{
	RUN(the_recorded_boot_replays_without_a_rejection);
	RUN(the_recorded_msi_doorbells_reach_the_its);
	harness_shutdown();
	CHECK_DONE();
}
