// SPDX-License-Identifier: MIT
/*
 * The command oracles must catch a broken filter. This test links the
 * core's filter under another name (cmd_filter_real, see CMakeLists.txt)
 * and puts a wrapper in its place that can break one rule at a time.
 */
#include "fixture.h"
#include "harness.h"
#include "oracle.h"
#include "priv.h"

enum cmd_verdict cmd_filter_real(const struct smmu_dev *dev, uint64_t cmd[2],
				 const char **site);

enum broken_rule {
	INTACT,
	PASS_TLBI_NH_ALL,	/* let a refused command through */
	REFUSE_CFGI_CD,		/* refuse a command Linux issues */
	KEEP_SYNC_MSI,		/* forward CMD_SYNC's MSI unchanged */
};

static enum broken_rule broken;

enum cmd_verdict cmd_filter(const struct smmu_dev *dev, uint64_t cmd[2],
			    const char **site)
{
	uint64_t orig[2] = { cmd[0], cmd[1] };
	enum cmd_verdict v = cmd_filter_real(dev, cmd, site);
	unsigned op = (unsigned)FIELD_GET(CMD0_OP, orig[0]);

	if (broken == PASS_TLBI_NH_ALL && op == CMDQ_OP_TLBI_NH_ALL)
		return CMD_FORWARD;
	if (broken == REFUSE_CFGI_CD && op == CMDQ_OP_CFGI_CD) {
		*site = "cmd.broken_for_test";
		return CMD_ILLEGAL;
	}
	if (broken == KEEP_SYNC_MSI && op == CMDQ_OP_CMD_SYNC) {
		cmd[0] = orig[0];
		cmd[1] = orig[1];
	}
	return v;
}

static struct op ops[OPS_MAX_OPS];
static struct run_result r;

static enum verdict run(const char *text)
{
	struct ops_header hdr;
	struct ops_diag diag;
	struct harness_opts o = *harness_target_opts("fuzz_cmdq");
	int n = ops_parse_text(text, &hdr, ops, OPS_MAX_OPS, &diag);

	if (n < 0) {
		CHECK_FAIL("bad input: %s", diag.msg);
		return VERDICT_FINDING;
	}
	o.abort_on_finding = false;
	o.quiet = true;
	return harness_run_ops(hdr.profile, ops, (size_t)n, &o, &r);
}

static const char *const linux_stream =
	"smfz 1 profile=qemu-virt\n"
	"cmd CFGI_STE sid=0x10 leaf=1\ncmd CFGI_CD sid=0x10 leaf=1\n"
	"cmd TLBI_NH_ASID asid=3\nsync\nread CMDQ_CONS\nread GERROR\n";

static void the_intact_filter_passes_every_check(void)
{
	broken = INTACT;
	EXPECT_EQ(run(linux_stream), VERDICT_OK);
	EXPECT(r.compared);
	EXPECT_EQ(run("smfz 1\ncmd TLBI_NH_ALL ring\nread CMDQ_CONS\n"), VERDICT_REJECTED);
	EXPECT_STR(r.site, "cmd.tlbi_nh_all");
	EXPECT(!r.compared);	/* not Linux-like: no reference to compare with */
}

/* Every Linux-like seed of fuzz_cmdq is compared with the bare model and
 * agrees (the seeds are assembled by the build). */
static void the_differential_passes_on_every_linux_like_seed(void)
{
	static const char *const seeds[] = {
		"cfgi_ste_sync", "cfgi_cd_sync", "tlbi_nh_asid_sync",
		"prefetch_and_nsnh", "queue_wrap",
	};
	static uint8_t buf[1 << 16];
	struct harness_opts o = *harness_target_opts("fuzz_cmdq");
	size_t i;

	broken = INTACT;
	o.abort_on_finding = false;
	o.quiet = true;
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		char path[512];
		FILE *f;
		size_t len;

		snprintf(path, sizeof(path), "%s/corpus/seeds/fuzz_cmdq/%s.smfz",
			 SMMUFUZZ_BUILD_DIR, seeds[i]);
		f = fopen(path, "rb");
		if (f == NULL) {
			CHECK_FAIL("missing seed %s", path);
			continue;
		}
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		EXPECT_EQ(harness_run(buf, len, &o, &r), VERDICT_OK);
		if (!r.compared)
			CHECK_FAIL("%s was not compared with the reference", seeds[i]);
	}
}

static void a_refused_command_let_through_is_caught(void)
{
	broken = PASS_TLBI_NH_ALL;
	EXPECT_EQ(run("smfz 1\ncmd TLBI_NH_ALL ring\nread CMDQ_CONS\n"), VERDICT_FINDING);
	EXPECT_STR(r.site, "cmd-filter:tlbi-nh-all");
}

static void a_linux_command_refused_is_caught_by_the_differential(void)
{
	broken = REFUSE_CFGI_CD;
	EXPECT_EQ(run(linux_stream), VERDICT_FINDING);
	EXPECT(r.compared);
	EXPECT_STR(r.site, "differential:CMDQ_CONS");
}

static void an_msi_sync_forwarded_is_caught(void)
{
	broken = KEEP_SYNC_MSI;
	EXPECT_EQ(run("smfz 1 profile=linear-msi\n"
		      "cmd CMD_SYNC cs=1 msiaddr=0x42000000 msidata=0x1 ring\n"),
		  VERDICT_FINDING);
	EXPECT_STR(r.site, "cmd-filter:sync-cs-irq");
}

static void the_cons_oracle_fires_when_cons_passes_prod(void)
{
	struct fx f;

	fx_boot(&f);
	/* CONS 1 -> 3 in one trap with PROD at 2: it passed PROD. */
	FX_EXPECT_STOP(&f, oracle_cons(f.w, 1, 3, 2, 8));
	EXPECT_STR(world_outcome(f.w)->stop_site, "cmdq:cons-beyond-prod");
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_cons(f.w, 1, 2, 2, 8)), WORLD_RUNNING);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_cons(f.w, 5, 5, 0, 8)), WORLD_RUNNING);
	/* Across the wrap of a 4-entry queue: 6 -> 1 is 3 entries, PROD at 2. */
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_cons(f.w, 6, 1, 2, 2)), WORLD_RUNNING);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_cons(f.w, 6, 3, 2, 2)), WORLD_STOP_ORACLE);
	/* PROD more than a queue ahead publishes nothing: CONS may not move. */
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_cons(f.w, 0, 1, 6, 2)), WORLD_STOP_ORACLE);
	fx_done(&f);
}

struct oracle_case {
	uint64_t dw0, dw1;
	const char *sig;	/* NULL: the command is allowed */
};

/* Each rule of the command oracle, restated: one violation, one near miss. */
static void every_command_oracle_rule_fires_on_its_violation(void)
{
	static const struct oracle_case cases[] = {
		{ CMDQ_OP_CFGI_STE, 0, "cmd-filter:cfgi-ste-leaf0" },
		{ CMDQ_OP_CFGI_STE, CMD1_LEAF, NULL },
		{ CMDQ_OP_CFGI_STE_RANGE, FIELD_PREP(CMD1_RANGE, 30), "cmd-filter:cfgi-range-not-all" },
		{ CMDQ_OP_CFGI_STE_RANGE, FIELD_PREP(CMD1_RANGE, 31), NULL },
		{ CMDQ_OP_TLBI_NH_ASID | FIELD_PREP(CMD0_VMID, 1), 0, "cmd-filter:tlbi-nh-vmid-not-0" },
		{ CMDQ_OP_TLBI_NH_VA | FIELD_PREP(CMD0_VMID, 0x8000), 0, "cmd-filter:tlbi-nh-vmid-not-0" },
		{ CMDQ_OP_TLBI_NH_VAA | FIELD_PREP(CMD0_VMID, 7), 0, "cmd-filter:tlbi-nh-vmid-not-0" },
		{ CMDQ_OP_TLBI_NH_VA | FIELD_PREP(CMD0_ASID, 7), 0, NULL },
		{ CMDQ_OP_TLBI_NH_ALL, 0, "cmd-filter:tlbi-nh-all" },
		{ CMDQ_OP_TLBI_S12_VMALL | FIELD_PREP(CMD0_VMID, 2), 0, "cmd-filter:tlbi-stage2" },
		{ CMDQ_OP_TLBI_S2_IPA | FIELD_PREP(CMD0_VMID, 2), 0, "cmd-filter:tlbi-stage2" },
		{ CMDQ_OP_TLBI_S12_VMALL, 0, NULL },	/* the hypervisor's own */
		{ CMDQ_OP_CMD_SYNC | FIELD_PREP(CMD0_SYNC_CS, 3), 0, "cmd-filter:sync-reserved-cs" },
		{ CMDQ_OP_CMD_SYNC | FIELD_PREP(CMD0_SYNC_CS, 1), 0, "cmd-filter:sync-cs-irq" },
		{ CMDQ_OP_CMD_SYNC, 0x44000000ULL, "cmd-filter:sync-msi-address" },
		{ CMDQ_OP_CMD_SYNC | FIELD_PREP(CMD0_SYNC_CS, 2), 0, NULL },
		{ CMDQ_OP_TLBI_EL2_ALL, 0, "cmd-filter:forbidden-opcode" },
		{ 0x7F, 0, "cmd-filter:forbidden-opcode" },
		{ CMDQ_OP_PREFETCH_CFG, 0, NULL },
		{ CMDQ_OP_CFGI_CD_ALL, 0, NULL },
	};
	size_t i;
	struct fx f;

	fx_boot(&f);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t cmd[2] = { cases[i].dw0, cases[i].dw1 };
		int stop = FX_EXPECT_STOP(&f, oracle_hw_command(f.w, 0, cmd));

		if (cases[i].sig == NULL) {
			if (stop != WORLD_RUNNING)
				CHECK_FAIL("case %zu: allowed command caught as %s", i,
					   world_outcome(f.w)->stop_site);
		} else if (stop != WORLD_STOP_ORACLE ||
			   strstr(world_outcome(f.w)->stop_site, cases[i].sig) == NULL) {
			CHECK_FAIL("case %zu: expected %s, got '%s'", i, cases[i].sig,
				   world_outcome(f.w)->stop_site);
		}
		world_outcome_reset(f.w);
	}
	fx_done(&f);
}

int main(void)
{
	RUN(the_intact_filter_passes_every_check);
	RUN(the_differential_passes_on_every_linux_like_seed);
	RUN(a_refused_command_let_through_is_caught);
	RUN(a_linux_command_refused_is_caught_by_the_differential);
	RUN(an_msi_sync_forwarded_is_caught);
	RUN(the_cons_oracle_fires_when_cons_passes_prod);
	RUN(every_command_oracle_rule_fires_on_its_violation);
	harness_shutdown();
	CHECK_DONE();
}
