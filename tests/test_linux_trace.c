// SPDX-License-Identifier: MIT
/*
 * The real Linux driver, replayed: Debian 12's 6.1 kernel booting on QEMU's
 * SMMUv3, recorded and converted to op-stream text (the linux61_* seeds of
 * corpus/seeds/fuzz_all/, see their headers, and their trims for the other
 * targets). The core must take every access the driver made, and the host
 * must see what it saw on QEMU: every poll satisfied, CONS at the PROD the
 * driver published, both MSI doorbell writes landing on the ITS. The reset
 * macro is held to the recorded reset.
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

/*
 * Replay seed @rel under @tgt as a fuzzer would: no rejection, every op in
 * the target's mask executed, @want_polls polls satisfied, @want_dmas
 * probes on the ITS, and (when the host reads CONS at all) CONS at the
 * last PROD the driver wrote. The observations are left in @r.
 */
static void replay_clean(const char *rel, const char *tgt, uint32_t want_polls,
			 uint32_t want_dmas, struct run_result *r)
{
	struct harness_opts o = target(tgt);
	struct ops_header hdr;
	struct seen s;
	uint32_t executed = 0;
	int n = load_seed(rel, &hdr), i;

	if (n < 0)
		return;
	for (i = 0; i < n; i++)
		if (o.op_mask & OPBIT(ops[i].code))
			executed++;
	EXPECT_EQ(run_encoded(&hdr, n, &o, r), VERDICT_OK);
	EXPECT_EQ(r->rejects, 0);
	if (r->verdict != VERDICT_OK)
		CHECK_FAIL("%s: %s (%u rejections)", rel, r->site, r->rejects);
	EXPECT_EQ(r->ops, executed);
	walk(ops, n, &o, r, &s);
	EXPECT_EQ(s.polls, want_polls);
	EXPECT_EQ(s.dmas, want_dmas);
	/* The driver's last doorbell was consumed in full, without error. */
	EXPECT_EQ(s.last_prod, 0x1e);
	if (want_polls != 0)
		EXPECT_EQ(s.last_cons, s.last_prod);
}

static struct run_result boot, boot_dma;

static void the_recorded_boot_replays_without_a_rejection(void)
{
	/* 23 polls: CR0ACK 5 times (4 in the reset, 1 at shutdown),
	 * IRQ_CTRLACK twice, CMDQ_CONS after 16 of the 19 CMDQ_PROD writes
	 * (not after the reset's PROD = 0 nor the two lone PREFETCH_CFGs). */
	replay_clean("fuzz_all/linux61_boot.txt", "fuzz_all", 23, 0, &boot);
}

static void the_recorded_msi_doorbells_reach_the_its(void)
{
	replay_clean("fuzz_all/linux61_boot_dma.txt", "fuzz_all", 23, 2, &boot_dma);
}

/* The observations of @part are the last ones of @whole. */
static void observed_at_the_end(const struct run_result *part,
				const struct run_result *whole)
{
	uint32_t k, skip;

	if (part->log_count > whole->log_count) {
		CHECK_FAIL("%u observations, more than %u", part->log_count,
			   whole->log_count);
		return;
	}
	skip = whole->log_count - part->log_count;
	for (k = 0; k < part->log_count; k++)
		if (part->log[k] != whole->log[skip + k]) {
			CHECK_FAIL("observation %u: 0x%" PRIx64 " != 0x%" PRIx64, k,
				   part->log[k], whole->log[skip + k]);
			return;
		}
}

/*
 * The other targets' linux61 seeds (derived from the recordings): each
 * replays clean under its target and the host sees what the recording made
 * it see. fuzz_mmio stores the commands itself: everything, as in the
 * recording. fuzz_cmdq starts after the prelude's reset: the recording's
 * observations after its reset (the prelude stands in for it). fuzz_ste
 * polls nothing: only the doorbells are left to see.
 */
static void the_recording_trimmed_for_each_target_replays_clean(void)
{
	static struct run_result r;

	replay_clean("fuzz_mmio/linux61_boot_dma.txt", "fuzz_mmio", 23, 2, &r);
	EXPECT_EQ(r.log_count, boot_dma.log_count);
	observed_at_the_end(&r, &boot_dma);
	/* 15: the 23 less the reset's 4 CR0ACK, 2 IRQ_CTRLACK, 2 CONS. */
	replay_clean("fuzz_cmdq/linux61_runtime.txt", "fuzz_cmdq", 15, 0, &r);
	EXPECT_EQ(r.log_count, 15);
	observed_at_the_end(&r, &boot);
	replay_clean("fuzz_ste/linux61_runtime_dma.txt", "fuzz_ste", 0, 2, &r);
	EXPECT_EQ(r.log_count, 2);
}

/* ---- The reset macro against the recording ------------------------------- */

static struct op macro_ops[OPS_MAX_OPS];

static enum verdict run_ops(const struct op *o, size_t n, struct run_result *r)
{
	struct harness_opts opts = target("fuzz_all");

	return harness_run_ops(0, o, n, &opts, r);
}

static void same_observations(const struct run_result *a, const struct run_result *b)
{
	uint32_t k;

	EXPECT_EQ(a->log_count, b->log_count);
	for (k = 0; k < a->log_count && k < b->log_count; k++)
		if (a->log[k] != b->log[k]) {
			CHECK_FAIL("observation %u: 0x%" PRIx64 " != 0x%" PRIx64, k,
				   a->log[k], b->log[k]);
			return;
		}
}

/*
 * `reset` with the driver's sizes reads what the recorded reset read, in
 * the same order, and leaves the SMMU where it did: the rest of the
 * recording, after the macro instead of the recorded reset, sees the same.
 */
static void the_reset_macro_does_what_the_recorded_reset_did(void)
{
	static struct run_result rec, mac, rec_all, mac_all;
	struct ops_header hdr;
	int n = load_seed("fuzz_all/linux61_boot.txt", &hdr), end, i;

	if (n < 0)
		return;
	/* The recorded reset ends with the poll of CR0ACK for SMMUEN. */
	for (end = 0; end < n; end++)
		if (ops[end].code == OP_POLL &&
		    ops_reg(ops[end].a8)->offset == SMMU_CR0ACK &&
		    (ops[end].b32 & CR0_SMMUEN))
			break;
	if (end == n) {
		CHECK_FAIL("no SMMUEN in the recording");
		return;
	}
	end++;
	memset(&macro_ops[0], 0, sizeof(macro_ops[0]));
	macro_ops[0].code = OP_RESET;
	macro_ops[0].a8 = RESET_F_2LVL | RESET_F_EVTQ | RESET_F_SMMUEN;
	macro_ops[0].b8 = 16;
	macro_ops[0].c8 = 16;
	macro_ops[0].d8 = 15;
	for (i = end; i < n; i++)
		macro_ops[1 + i - end] = ops[i];

	EXPECT_EQ(run_ops(ops, (size_t)end, &rec), VERDICT_OK);
	EXPECT_EQ(run_ops(macro_ops, 1, &mac), VERDICT_OK);
	same_observations(&mac, &rec);
	EXPECT_EQ(run_ops(ops, (size_t)n, &rec_all), VERDICT_OK);
	EXPECT_EQ(run_ops(macro_ops, (size_t)(1 + n - end), &mac_all), VERDICT_OK);
	EXPECT_EQ(mac_all.rejects, 0);
	same_observations(&mac_all, &rec_all);
}

static void reset_op(struct op *op, uint8_t flags)
{
	memset(op, 0, sizeof(*op));
	op->code = OP_RESET;
	op->a8 = flags;
	op->b8 = 8;
	op->c8 = 16;
	op->d8 = 8;
}

static void read_op(struct op *op, uint32_t off)
{
	memset(op, 0, sizeof(*op));
	op->code = OP_READ;
	op->a8 = (uint8_t)ops_reg_by_offset(off);
}

/*
 * A kexec'd kernel finds SMMUEN set ("SMMU currently enabled!
 * Resetting..."): before disabling, GBPA is made to abort by a
 * read-modify-write with UPDATE, polled. A first reset finds SMMUEN clear
 * and goes straight to CR0 = 0.
 */
static void a_live_smmu_is_reset_behind_an_aborting_gbpa(void)
{
	static struct run_result once, twice;
	uint8_t f = RESET_F_2LVL | RESET_F_EVTQ | RESET_F_SMMUEN;
	uint32_t k;

	reset_op(&macro_ops[0], f);
	reset_op(&macro_ops[1], f);
	EXPECT_EQ(run_ops(macro_ops, 1, &once), VERDICT_OK);
	EXPECT_EQ(run_ops(macro_ops, 2, &twice), VERDICT_OK);
	EXPECT_EQ(twice.rejects, 0);
	/* IDR0, IDR1, IDR3, IDR5, IIDR, then CR0 and the CR0ACK poll. */
	EXPECT_EQ(once.log[5], 0);
	EXPECT_EQ(once.log[6], 0);
	k = once.log_count;
	EXPECT_EQ(twice.log_count, 2U * once.log_count + 2U);
	EXPECT_EQ(twice.log[k + 5] & CR0_SMMUEN, CR0_SMMUEN);
	EXPECT_EQ(twice.log[k + 6], GBPA_ABORT);	/* no update in flight */
	EXPECT_EQ(twice.log[k + 7], GBPA_ABORT);	/* ours completed */
	EXPECT_EQ(twice.log[k + 8], 0);			/* CR0ACK after CR0 = 0 */
}

/* A kdump kernel's last CR0 write enables translation with the event
 * queue off (not in the op format yet: only an op built here has it). */
static void a_kdump_kernel_leaves_the_event_queue_off(void)
{
	static struct run_result r;

	reset_op(&macro_ops[0], RESET_F_2LVL | RESET_F_EVTQ | RESET_F_SMMUEN);
	reset_op(&macro_ops[1], RESET_F_2LVL | RESET_F_EVTQ | RESET_F_SMMUEN |
				RESET_F_KDUMP);
	read_op(&macro_ops[2], SMMU_CR0ACK);
	EXPECT_EQ(run_ops(macro_ops, 3, &r), VERDICT_OK);
	EXPECT_EQ(r.rejects, 0);
	EXPECT_EQ(r.log[r.log_count - 1], CR0_SMMUEN | CR0_CMDQEN);
}

/*
 * The host's new L2 table is 256 valid aborting STEs, as Linux 6.1 fills
 * one: a stream the host never configured in it aborts without an event
 * (a zero STE would be C_BAD_STE, an event Linux never sees).
 */
static void a_new_l2_table_aborts_silently(void)
{
	static struct run_result r;
	struct ops_header hdr;
	int n = ops_parse_text("smfz 1 profile=qemu-virt\n"
			       "reset 2lvl|evtq cmdq=8 strtab=16 evtq=8\n"
			       "ste sid=0x11 dw=0 V=1,CFG=BYPASS\n"
			       "write CR0 SMMUEN|CMDQEN|EVTQEN\n"
			       "poll CR0ACK mask=0xffffffff expect=0xd\n"
			       "dma sid=0x12 iova=0x44700000 read\n"
			       "dma sid=0x11 iova=0x44700000 read\n",
			       &hdr, ops, OPS_MAX_OPS, NULL);

	EXPECT_EQ(n, 6);
	EXPECT_EQ(run_ops(ops, (size_t)n, &r), VERDICT_OK);
	EXPECT_EQ(r.rejects, 0);
	EXPECT_EQ(r.log[r.log_count - 2], 0xDEAD0000ULL);	/* aborted, no event */
	EXPECT_EQ(r.log[r.log_count - 1], 0x44700000ULL);	/* bypass */
}

int main(void)
{
	RUN(the_recorded_boot_replays_without_a_rejection);
	RUN(the_recorded_msi_doorbells_reach_the_its);
	RUN(the_recording_trimmed_for_each_target_replays_clean);
	RUN(the_reset_macro_does_what_the_recorded_reset_did);
	RUN(a_live_smmu_is_reset_behind_an_aborting_gbpa);
	RUN(a_kdump_kernel_leaves_the_event_queue_off);
	RUN(a_new_l2_table_aborts_silently);
	harness_shutdown();
	CHECK_DONE();
}
