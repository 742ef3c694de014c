// SPDX-License-Identifier: MIT
/*
 * The review's findings R3-R7, each on the world that exposed it (R1 and R2
 * are in test_cmdq.c): what the take-over leaves in the hardware, how a
 * live block is split, and how much one trap may read. Each test fails on
 * the code before its fix (scripts/finding-power.sh reverts them).
 */
#include "fixture.h"
#include "harness.h"
#include "harness_text.h"
#include "opstream.h"
#include "oracle_budget.h"

static struct hwm_config hw;

/* Boot on one SMMU of profile @name after @edit changed its configuration. */
static void boot_edited(struct fx *f, const char *name, void (*edit)(struct hwm_config *))
{
	struct world_config cfg = { .smmu_count = 1 };

	hw = *hwm_profile((unsigned)hwm_profile_find(name));
	edit(&hw);
	cfg.hw[0] = &hw;
	fx_boot_world(f, world_new(&cfg));
}

static void firmware_msi(struct hwm_config *c)
{
	c->boot.irq_ctrl = IRQ_CTRL_GERROR_IRQEN | IRQ_CTRL_EVTQ_IRQEN;
	c->boot.irq_cfg0[0] = WORLD_POOL_BASE + 0x800;
	c->boot.irq_cfg0[1] = WORLD_POOL_BASE + 0x1000;
	c->boot.irq_cfg1[0] = 0xdead;
}

/* R3: interrupts off and every MSI address cleared at take-over. */
static void takeover_quiesces_firmware_interrupts(void)
{
	struct fx f;
	struct hw_model *m;

	boot_edited(&f, "linear-msi", firmware_msi);
	EXPECT_EQ(f.boot_err, 0);
	m = fx_hw(&f);
	EXPECT_EQ(m->gerror_irq_cfg0, 0);
	EXPECT_EQ(m->evtq_irq_cfg0, 0);
	EXPECT_EQ(m->priq_irq_cfg0, 0);
	EXPECT_EQ(m->gerror_irq_cfg1, 0);
	EXPECT_EQ(m->irq_ctrlack, 0);
	/* The host's IRQ_CTRL reaches the hardware, but with no address an
	 * interrupt is wired: nothing is written anywhere. */
	fx_wr(&f, SMMU_IRQ_CTRL, IRQ_CTRL_GERROR_IRQEN);
	EXPECT_EQ(m->irq_ctrl, IRQ_CTRL_GERROR_IRQEN);
	EXPECT_EQ(m->gerror_irq_cfg0, 0);
	fx_done(&f);
}

static void stale_cmdq_error(struct hwm_config *c)
{
	c->boot.gerror = GERROR_CMDQ_ERR;
}

/* R5: an error left active is acknowledged, so the take-over's CFGI_ALL
 * and TLBI_NSNH_ALL run (they stopped at the first command before). */
static void takeover_acknowledges_stale_errors(void)
{
	struct fx f;
	struct hw_model *m;

	boot_edited(&f, "qemu-virt", stale_cmdq_error);
	EXPECT_EQ(f.boot_err, 0);
	m = fx_hw(&f);
	EXPECT_EQ((m->gerror ^ m->gerrorn) & GERROR_ERR_MASK, 0);
	EXPECT(m->stats.cfgi >= 1);
	EXPECT(m->stats.tlbi >= 1);
	fx_done(&f);
}

static void left_bypassing(struct hwm_config *c)
{
	c->gbpa_reset = 0;
	c->boot.cr0 = CR0_SMMUEN | CR0_CMDQEN;
}

static void service_failure(struct hwm_config *c)
{
	c->boot.gerror = GERROR_SFM_ERR;
}

static void with_ecmdq(struct hwm_config *c)
{
	c->idr[1] |= IDR1_ECMDQ;
}

/* R6: GBPA aborts before SMMUEN goes off; ECMDQ and service failure are
 * refused; STRTAB_BASE is aligned down as the SMMU reads it. */
static void takeover_order_and_leftovers(void)
{
	struct fx f;

	boot_edited(&f, "qemu-virt", left_bypassing);
	EXPECT_EQ(f.boot_err, 0);
	EXPECT_EQ(fx_hw(&f)->bypass_opened, 0);
	EXPECT(fx_hw(&f)->gbpa & GBPA_ABORT);
	fx_done(&f);

	boot_edited(&f, "qemu-virt", with_ecmdq);
	EXPECT_EQ(f.boot_err, SMMU_ENODEV);
	fx_done(&f);
	boot_edited(&f, "qemu-virt", service_failure);
	EXPECT_EQ(f.boot_err, SMMU_ENODEV);
	fx_done(&f);

	/* A table of 256 STEs (16 KiB) named 0x40 bytes in: the SMMU reads it
	 * from 0x44000000, and so does the hypervisor. */
	fx_boot_hw(&f, "linear-msi", 1);
	EXPECT_EQ(f.boot_err, 0);
	fx_program_queues(&f, 4);
	fx_wr64(&f, SMMU_STRTAB_BASE, FX_STRTAB + 0x40);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN | CR0_SMMUEN);
	EXPECT_EQ(fx_rd(&f, SMMU_CR0ACK), CR0_CMDQEN | CR0_SMMUEN);
	EXPECT_EQ(pgs_pins(world_pgstate(f.w, FX_STRTAB)), 1);
	EXPECT_EQ(pgs_pins(world_pgstate(f.w, FX_STRTAB + 0x4000)), 0);
	fx_done(&f);
}

/* R6: after a failed init the SMMU given back points at no pool memory. */
static void failed_init_clears_the_hardware_bases(void)
{
	static struct hwm_config bad;
	struct world_config cfg = { .smmu_count = 2 };
	struct fx f;

	bad = *hwm_profile((unsigned)hwm_profile_find("qemu-virt"));
	bad.idr[0] &= ~IDR0_S2P;
	cfg.hw[0] = hwm_profile((unsigned)hwm_profile_find("qemu-virt"));
	cfg.hw[1] = &bad;
	fx_boot_world(&f, world_new(&cfg));
	EXPECT_EQ(f.boot_err, SMMU_ENODEV);
	/* SMMU 0 was taken over, then released when SMMU 1 failed. */
	EXPECT_EQ(world_smmu(f.w, 0)->cmdq_base, 0);
	EXPECT_EQ(world_smmu(f.w, 0)->strtab_base, 0);
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, world_smmu_base(0))), PGS_OWNER_HOST);
	fx_done(&f);
}

/* Run a text input under target @target; its verdict line. */
static const char *verdict_of(const char *target, const char *text)
{
	static struct run_result r;
	static char line[256];

	run_text(text, target, &r);
	return harness_verdict_str(&r, line, sizeof(line));
}

/* A removal the hardware never acknowledges stops the hypervisor: the SMMU
 * may still walk the tables the removal would free (repro 0021). */
static void release_without_disable_stops_the_hypervisor(void)
{
	static const char boot[] = "smfz 2 profile=mmu700\nboot setup 0\n"
				   "boot register 0\nboot init 0\n";
	char text[256];

	snprintf(text, sizeof(text), "%sboot remove\n", boot);
	EXPECT_STR(verdict_of("fuzz_boot", text), "ok");
	snprintf(text, sizeof(text), "%shwmode slow delay=78\nboot remove\n", boot);
	EXPECT_STR(verdict_of("fuzz_boot", text), "rejected:probe.release_disable_timeout");
	/* Slow but within the bounded wait: released, clean. */
	snprintf(text, sizeof(text), "%shwmode slow delay=4\nboot remove\n", boot);
	EXPECT_STR(verdict_of("fuzz_boot", text), "ok");
}

/* R4: on an SMMU without BBML an MMIO donation splits a live block; the
 * break-before-make oracle watches every descriptor the core publishes. */
static void live_block_split_breaks_before_make(void)
{
	EXPECT_STR(verdict_of("fuzz_owner", "smfz 2 profile=linear-msi\n"
				"own donate_mmio 0x8100000\n"
				"dma sid=0x1 iova=0x8100000 read\n"
				"own return_mmio 0x8100000\n"), "ok");
}

/* R7: 250 CFGI_ALLs in one doorbell read the host's table once. */
static void one_table_read_per_doorbell(void)
{
	static char text[8192];
	size_t len = 0;
	unsigned i;

	len += (size_t)snprintf(text + len, sizeof(text) - len, "smfz 2 profile=mmu700\n");
	for (i = 0; i < 250; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "cmd CFGI_ALL\n");
	snprintf(text + len, sizeof(text) - len, "sync\n");
	EXPECT_STR(verdict_of("fuzz_cmdq", text), "ok");
}

/* The inputs that expose the mutants of tests/mutants/ are fine on the
 * intact core (test_mutant_M* shows each catches its mutant). */
static void mutant_inputs_pass_on_the_intact_core(void)
{
	static const char *const inputs[][2] = {
		{ "M1", "fuzz_mmio" }, { "M2", "fuzz_ste" }, { "M3", "fuzz_ste" },
	};
	static char text[1 << 16];
	size_t i;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		char path[512];
		const char *v;

		snprintf(path, sizeof(path), "%s/tests/mutants/%s.txt", SMMUFUZZ_SOURCE_DIR,
			 inputs[i][0]);
		if (!read_text_file(path, text, sizeof(text)))
			continue;
		v = verdict_of(inputs[i][1], text);
		if (strncmp(v, "finding:", 8) == 0)
			CHECK_FAIL("%s on the intact core: %s", inputs[i][0], v);
	}
}

/*
 * Double fetch from the platform's own view: a host byte read twice within
 * one unit is caught even though nothing tells the platform about units; a
 * new command slot starts a new unit; a command slot is read once a trap.
 */
static void double_fetch_units_are_the_platforms(void)
{
	uint8_t buf[64];
	struct fx f;
	const uint64_t ste = FX_STRTAB + 0x400, cmd0 = FX_CMDQ, cmd1 = FX_CMDQ + 16;

	fx_boot(&f);
	world_set_pgstate(f.w, FX_STRTAB, PGS_HOST_SHARED);
	world_set_pgstate(f.w, FX_CMDQ, PGS_HOST_SHARED);
	world_step_begin(f.w);
	EXPECT_EQ(FX_EXPECT_STOP(&f, {
		(void)plat_host_copy_in(buf, pa_init(cmd0), 16);
		(void)plat_host_copy_in(buf, pa_init(ste), 64);
		(void)plat_host_copy_in(buf, pa_init(cmd1), 16);
		(void)plat_host_copy_in(buf, pa_init(ste), 64);	/* next command's */
	}), WORLD_RUNNING);
	world_step_begin(f.w);
	EXPECT_EQ(FX_EXPECT_STOP(&f, {
		(void)plat_host_copy_in(buf, pa_init(ste), 64);
		(void)plat_host_copy_in(buf, pa_init(ste + 8), 8);
	}), WORLD_STOP_ORACLE);
	fx_expect_oracle(&f, "double-fetch");
	world_step_begin(f.w);
	EXPECT_EQ(FX_EXPECT_STOP(&f, {
		(void)plat_host_copy_in(buf, pa_init(cmd0), 16);
		(void)plat_host_copy_in(buf, pa_init(cmd1), 16);
		(void)plat_host_copy_in(buf, pa_init(cmd0), 16);
	}), WORLD_STOP_ORACLE);
	fx_expect_oracle(&f, "double-fetch");
	fx_done(&f);
}

/*
 * An L2 read twice in one unit is allowed when two L1 descriptors name it
 * as the hypervisor read them, whatever the host writes right after: a
 * racing host clearing one of them does not make the second read a double
 * fetch, and an L2 only one descriptor named is still one.
 */
static void the_shared_l2_allowance_follows_the_l1_as_read(void)
{
	uint8_t buf[8 * 2];
	struct fx f;
	uint64_t l1 = FX_STRTAB, l2 = FX_STRTAB + 0x4000, desc = l2 | 9U, zero = 0;

	fx_boot(&f);
	world_set_pgstate(f.w, FX_STRTAB, PGS_HOST_SHARED);
	world_set_pgstate(f.w, l2, PGS_HOST_SHARED);
	/* A 2-level host table of 2 L1 slots (SPLIT 8, LOG2SIZE 9), both
	 * naming one L2. */
	world_host_strtab(f.w, 0, l1, FIELD_PREP(STRTAB_CFG_FMT, STRTAB_CFG_FMT_2LVL) |
			  FIELD_PREP(STRTAB_CFG_SPLIT, 8) | FIELD_PREP(STRTAB_CFG_LOG2SIZE, 9));
	EXPECT_EQ(world_host_store(f.w, l1, &desc, 8), 0);
	EXPECT_EQ(world_host_store(f.w, l1 + 8, &desc, 8), 0);
	world_step_begin(f.w);
	EXPECT_EQ(FX_EXPECT_STOP(&f, {
		(void)plat_host_copy_in(buf, pa_init(l1), 16);
		/* The racing host clears slot 0 right after. */
		memcpy(world_ram(f.w, l1, 8), &zero, 8);
		(void)plat_host_copy_in(buf, pa_init(l2), 8);
		(void)plat_host_copy_in(buf, pa_init(l2), 8);
	}), WORLD_RUNNING);
	/* Read with one slot naming it: a second read is a double fetch,
	 * whatever the host writes after. */
	world_step_begin(f.w);
	EXPECT_EQ(FX_EXPECT_STOP(&f, {
		(void)plat_host_copy_in(buf, pa_init(l1), 16);
		memcpy(world_ram(f.w, l1, 8), &desc, 8);
		(void)plat_host_copy_in(buf, pa_init(l2), 8);
		(void)plat_host_copy_in(buf, pa_init(l2), 8);
	}), WORLD_STOP_ORACLE);
	fx_expect_oracle(&f, "double-fetch");
	fx_done(&f);
}

/* Host memory, SMMU registers and page states only under the instance lock. */
static void the_instance_lock_guards_the_platform(void)
{
	uint8_t buf[16];
	struct fx f;

	fx_boot(&f);
	world_set_pgstate(f.w, FX_CMDQ, PGS_HOST_SHARED);
	world_set_instance_lock(f.w, &f.hyp.lock);
	EXPECT_EQ(FX_EXPECT_STOP(&f, (void)plat_pgstate_set(pa_init(FX_CMDQ), 0)),
		  WORLD_STOP_ORACLE);
	fx_expect_oracle(&f, "page-state-change-without-lock");
	world_step_begin(f.w);
	EXPECT_EQ(FX_EXPECT_STOP(&f, (void)plat_host_copy_in(buf, pa_init(FX_CMDQ), 16)),
		  WORLD_STOP_ORACLE);
	fx_expect_oracle(&f, "host-read-without-lock");
	plat_lock(&f.hyp.lock);
	world_step_begin(f.w);
	EXPECT_EQ(FX_EXPECT_STOP(&f, (void)plat_host_copy_in(buf, pa_init(FX_CMDQ), 16)),
		  WORLD_RUNNING);
	plat_unlock(&f.hyp.lock);
	fx_done(&f);
}

/* The trap budget: per command fetched plus two tables, and no more. */
static void the_trap_budget_bounds_host_reads(void)
{
	static uint8_t buf[4096];
	uint64_t base = FX_STRTAB;
	uint32_t cfg = (uint32_t)FIELD_PREP(STRTAB_CFG_LOG2SIZE, 6);	/* 4 KiB */
	struct fx f;
	unsigned i;

	fx_boot(&f);
	for (i = 0; i < 4; i++)
		world_set_pgstate(f.w, FX_STRTAB + 0x1000ULL * i, PGS_HOST_SHARED);
	world_host_strtab(f.w, 0, base, cfg);
	world_step_begin(f.w);
	/* Three distinct pages: 12 KiB = 2 x 4 KiB + 4 KiB of slack. */
	for (i = 0; i < 3; i++)
		(void)plat_host_copy_in(buf, pa_init(base + 0x1000ULL * i), sizeof(buf));
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_trap_budget(f.w, 0, &base, &cfg, 1)), WORLD_RUNNING);
	(void)plat_host_copy_in(buf, pa_init(base + 0x3000), sizeof(buf));
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_trap_budget(f.w, 0, &base, &cfg, 1)),
		  WORLD_STOP_ORACLE);
	fx_expect_oracle(&f, "hang:trap-budget");
	fx_done(&f);
}

int main(void)
{
	RUN(takeover_quiesces_firmware_interrupts);
	RUN(takeover_acknowledges_stale_errors);
	RUN(takeover_order_and_leftovers);
	RUN(failed_init_clears_the_hardware_bases);
	RUN(live_block_split_breaks_before_make);
	RUN(one_table_read_per_doorbell);
	RUN(mutant_inputs_pass_on_the_intact_core);
	RUN(double_fetch_units_are_the_platforms);
	RUN(the_shared_l2_allowance_follows_the_l1_as_read);
	RUN(release_without_disable_stops_the_hypervisor);
	RUN(the_instance_lock_guards_the_platform);
	RUN(the_trap_budget_bounds_host_reads);
	harness_shutdown();
	CHECK_DONE();
}
