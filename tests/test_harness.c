// SPDX-License-Identifier: MIT
/* The harness: the Linux reset macro, determinism, per-input reset, and
 * every isolation-oracle clause firing when its rule is broken. */
#include <dirent.h>

#include "fixture.h"
#include "harness_text.h"
#include "harness.h"
#include "oracle.h"


#define RAM_PAGE_H	(WORLD_HOST_BASE + 0x700000ULL)	/* host RAM clear of the fixture's */
#define PAGE_H		0x1000ULL


static void linux_reset_takes_no_rejection_on_any_profile(void)
{
	static const char *const profiles[] = { "qemu-virt", "dual", "linear-msi", "mmu700" };
	static struct run_result r;
	char text[512];
	unsigned i;

	for (i = 0; i < 4; i++) {
		snprintf(text, sizeof(text),
			 "smfz 1 profile=%s\n"
			 "reset 2lvl|evtq|priq|smmuen cmdq=8 strtab=16 evtq=8\n"
			 "read CR0ACK\nread GBPA\nread CMDQ_CONS\nread GERROR\n", profiles[i]);
		EXPECT_EQ(run_text(text, "all", &r), VERDICT_OK);
		if (r.rejects)
			CHECK_FAIL("%s: rejected at %s", profiles[i], r.site);
		/* The last four observations: SMMUEN acked, GBPA aborting, the
		 * queue drained and no error. */
		EXPECT(r.log[r.log_count - 4] & CR0_SMMUEN);
		EXPECT(r.log[r.log_count - 4] & CR0_CMDQEN);
		EXPECT(r.log[r.log_count - 4] & CR0_EVTQEN);
		EXPECT_EQ(r.log[r.log_count - 3], GBPA_ABORT);
		EXPECT_EQ(FIELD_GET(CMDQ_CONS_ERR, r.log[r.log_count - 2]), 0);
		EXPECT_EQ(r.log[r.log_count - 1], 0);
	}
}

static void bypass_request_is_rejected_and_never_completes(void)
{
	static struct run_result r;

	EXPECT_EQ(run_text("smfz 1\nreset 2lvl|bypass cmdq=8 strtab=16\nread GBPA\n",
			   "all", &r), VERDICT_REJECTED);
	EXPECT_STR(r.site, "gbpa.clear_abort");
	EXPECT_EQ(r.log[r.log_count - 1], GBPA_UPDATE | GBPA_ABORT);
}

static void the_same_input_gives_the_same_trace(void)
{
	static struct run_result a, b, c;
	const char *text = "smfz 1\nreset 2lvl|smmuen cmdq=6 strtab=12\nread CR0ACK\n"
			   "write GERRORN 0x1\nread GERROR\n";

	run_text(text, "all", &a);
	run_text(text, "all", &b);
	EXPECT_EQ(a.trace, b.trace);
	EXPECT_EQ(a.log_count, b.log_count);
	run_text("smfz 1\nreset 2lvl cmdq=6 strtab=12\nread CR0ACK\n", "all", &c);
	EXPECT(a.trace != c.trace);
}

static void every_input_starts_from_the_booted_state(void)
{
	static struct run_result r;

	run_text("smfz 1\nreset 2lvl|evtq|smmuen cmdq=8 strtab=16 evtq=8\n"
		 "own donate_guest 0x44800000\nwrite GBPA 0x80000000\n", "all", &r);
	EXPECT_EQ(r.verdict, VERDICT_REJECTED);
	EXPECT_EQ(run_text("smfz 1\nread CR0\nread CR0ACK\nread GBPA\n"
			   "own reclaim_guest 0x44800000\n", "all", &r), VERDICT_REJECTED);
	EXPECT_EQ(r.log[0], 0);
	EXPECT_EQ(r.log[1], 0);
	EXPECT_EQ(r.log[2], GBPA_ABORT);
	EXPECT_STR(r.site, "own.reclaim_guest");	/* the guest page came back */
}

static void target_masks_skip_other_ops(void)
{
	static struct run_result r;

	/* fuzz_mmio has no CMD op: the command never reaches the queue. */
	run_text("smfz 1\ncmd 0x46 0 ring\nread CR0\n", "fuzz_mmio", &r);
	EXPECT_EQ(r.ops, 1);
	run_text("smfz 1\ncmd 0x46 0 ring\nread CR0\n", "all", &r);
	EXPECT_EQ(r.ops, 2);
}

static void reset_undoes_only_touched_pages(void)
{
	struct world *w = fx_world("qemu-virt", 1);
	uint64_t v = 0x1122334455667788ULL;
	unsigned i;

	world_activate(w);
	world_snapshot(w);
	EXPECT_EQ(world_touched_pages(w), 0);
	for (i = 0; i < 5; i++)
		EXPECT_EQ(world_host_store(w, WORLD_HOST_BASE + i * 0x3000ULL, &v, 8), 0);
	EXPECT_EQ(world_host_store(w, WORLD_HOST_BASE + 8, &v, 8), 0);
	EXPECT_EQ(world_touched_pages(w), 5);
	/* The host CPU cannot store into hypervisor memory. */
	EXPECT_EQ(world_host_store(w, WORLD_POOL_BASE, &v, 8), -1);
	world_reset(w);
	EXPECT_EQ(world_touched_pages(w), 0);
	EXPECT_EQ(*(uint64_t *)world_ram(w, WORLD_HOST_BASE + 0x3000, 8), 0);
	world_free(w);
}

/* ---- Each oracle clause fires when its rule is broken ---------------------- */


static void isolation_audit_passes_after_boot(void)
{
	struct fx f;

	fx_boot(&f);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_isolation(f.w)), WORLD_RUNNING);
	fx_done(&f);
}

static void isolation_audit_catches_gbpa_bypass(void)
{
	struct fx f;

	fx_boot(&f);
	fx_hw(&f)->gbpa &= ~(uint32_t)GBPA_ABORT;
	FX_EXPECT_STOP(&f, oracle_isolation(f.w));
	fx_expect_oracle(&f, "isolation:gbpa-not-abort");
	fx_done(&f);
}

static void isolation_audit_catches_mmio_returned_to_host(void)
{
	struct fx f;

	fx_boot(&f);
	world_set_pgstate(f.w, WORLD_SMMU_BASE + 0x10000, PGS_OWNER_HOST);
	FX_EXPECT_STOP(&f, oracle_isolation(f.w));
	fx_expect_oracle(&f, "isolation:smmu-mmio-not-hyp-owned");
	fx_done(&f);
}

static void isolation_audit_catches_hardware_queue_in_host_memory(void)
{
	struct fx f;

	fx_boot(&f);
	fx_hw(&f)->cmdq_base = FX_CMDQ | 8;
	FX_EXPECT_STOP(&f, oracle_isolation(f.w));
	fx_expect_oracle(&f, "isolation:hw-cmdq-not-hyp-memory");
	fx_done(&f);
}

static void isolation_audit_catches_hardware_table_in_host_memory(void)
{
	struct fx f;

	fx_boot(&f);
	fx_hw(&f)->strtab_base = FX_STRTAB;
	FX_EXPECT_STOP(&f, oracle_isolation(f.w));
	fx_expect_oracle(&f, "isolation:hw-strtab-not-hyp-memory");
	fx_done(&f);
}

static void isolation_audit_catches_an_unpinned_event_queue(void)
{
	struct fx f;

	fx_boot(&f);
	fx_hw(&f)->evtq_base = FX_EVTQ | 4;
	fx_hw(&f)->cr0ack |= CR0_EVTQEN;
	FX_EXPECT_STOP(&f, oracle_isolation(f.w));
	fx_expect_oracle(&f, "isolation:hw-evtq-not-pinned-host-memory");
	fx_done(&f);
}

static void isolation_audit_catches_a_programmed_msi(void)
{
	struct fx f;

	fx_boot(&f);
	fx_hw(&f)->gerror_irq_cfg0 = WORLD_POOL_BASE;
	FX_EXPECT_STOP(&f, oracle_isolation(f.w));
	fx_expect_oracle(&f, "isolation:hw-msi-address-programmed");
	fx_done(&f);
}

static void dma_oracle_catches_a_probe_reaching_hypervisor_memory(void)
{
	struct fx f;
	struct hwm_dma_result r = { .ok = true, .pa = WORLD_POOL_BASE + 0x40 };

	fx_boot(&f);
	FX_EXPECT_STOP(&f, oracle_dma(f.w, &r, true));
	fx_expect_oracle(&f, "isolation:dma-write-reaches-non-host-page");
	r.pa = WORLD_HOST_BASE;
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_dma(f.w, &r, false)), WORLD_RUNNING);
	fx_done(&f);
}

static void isolation_audit_catches_cr1_and_cr2_that_are_not_the_hypervisors(void)
{
	struct fx f;

	fx_boot(&f);
	/* The fixed value: queues and tables inner-shareable write-back. */
	EXPECT_EQ(fx_hw(&f)->cr1, 0xD75);
	fx_hw(&f)->cr1 = 0xD75 & ~(1U << 2);	/* queue outer non-cacheable */
	FX_EXPECT_STOP(&f, oracle_isolation(f.w));
	fx_expect_oracle(&f, "isolation:hw-cr1-not-fixed");
	fx_hw(&f)->cr1 = 0xD75 | (1U << 12);
	FX_EXPECT_STOP(&f, oracle_isolation(f.w));
	fx_expect_oracle(&f, "isolation:hw-cr1-reserved");
	fx_hw(&f)->cr1 = 0xD75;
	/* PTM and RECINVSID are the host's; E2H and reserved bits are not. */
	fx_hw(&f)->cr2 = (1U << 1) | (1U << 2);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_isolation(f.w)), WORLD_RUNNING);
	fx_hw(&f)->cr2 |= 1U;
	FX_EXPECT_STOP(&f, oracle_isolation(f.w));
	fx_expect_oracle(&f, "isolation:hw-cr2-e2h");
	fx_hw(&f)->cr2 = 1U << 3;
	FX_EXPECT_STOP(&f, oracle_isolation(f.w));
	fx_expect_oracle(&f, "isolation:hw-cr2-reserved");
	fx_done(&f);
}

/*
 * With IDR0.MSI (linear-msi), an interrupt enabled in IRQ_CTRL whose
 * IRQ_CFG0 holds an address is a live MSI, per queue; an address with the
 * interrupt off is still one the hypervisor never programs; no address is
 * a wired interrupt (the near miss).
 */
static void isolation_audit_catches_a_live_msi_per_queue(void)
{
	static const char *const names[3] = { "gerror", "evtq", "priq" };
	static const uint32_t en[3] = { 1U << 0, 1U << 2, 1U << 1 };
	char sig[80];
	unsigned q;
	struct fx f;

	fx_boot_hw(&f, "linear-msi", 1);
	EXPECT_EQ(f.boot_err, 0);
	for (q = 0; q < 3; q++) {
		struct hw_model *m = fx_hw(&f);
		uint64_t *cfg0 = q == 0 ? &m->gerror_irq_cfg0 : q == 1 ? &m->evtq_irq_cfg0
								       : &m->priq_irq_cfg0;

		m->irq_ctrl = m->irq_ctrlack = en[q];
		EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_isolation(f.w)), WORLD_RUNNING);
		*cfg0 = WORLD_HOST_BASE;
		FX_EXPECT_STOP(&f, oracle_isolation(f.w));
		snprintf(sig, sizeof(sig), "isolation:hw-msi-live-%s", names[q]);
		fx_expect_oracle(&f, sig);
		m->irq_ctrl = m->irq_ctrlack = 0;
		FX_EXPECT_STOP(&f, oracle_isolation(f.w));
		snprintf(sig, sizeof(sig), "isolation:hw-msi-address-programmed-%s", names[q]);
		fx_expect_oracle(&f, sig);
		*cfg0 = 0;
	}
	fx_done(&f);
	/* Without IDR0.MSI an address is never used: only the weaker clause. */
	fx_boot(&f);
	fx_hw(&f)->evtq_irq_cfg0 = WORLD_HOST_BASE;
	fx_hw(&f)->irq_ctrl = fx_hw(&f)->irq_ctrlack = 1U << 2;
	FX_EXPECT_STOP(&f, oracle_isolation(f.w));
	fx_expect_oracle(&f, "isolation:hw-msi-address-programmed-evtq");
	fx_done(&f);
}

/* ---- What the hardware writes, audited as it lands ----------------------------- */

static struct world *hw_world;

static void on_hw_write(void *ctx, uint64_t pa, size_t len, unsigned why)
{
	(void)ctx;
	oracle_hw_write(hw_world, 0, pa, len, why);
}

#define LAST_POOL_PAGE	(WORLD_POOL_BASE + 0x1000ULL * (WORLD_POOL_PAGES - 1U))

/* The SMMU translating, its event queue (16 entries) at @evtq, the oracle
 * watching what it writes. */
static void writing_smmu(struct fx *f, const char *hw, uint64_t evtq)
{
	static const struct hwm_observer obs = { .dma_write = on_hw_write };

	fx_boot_hw(f, hw, 1);
	EXPECT_EQ(f->boot_err, 0);
	hw_world = f->w;
	world_set_observer(f->w, 0, &obs);
	fx_hw(f)->cr0ack |= CR0_SMMUEN | CR0_EVTQEN;
	fx_hw(f)->evtq_base = evtq | 4U;
}

/* A DMA from a stream without an STE: the SMMU records an event. */
static int fault(struct fx *f)
{
	struct hwm_dma_result r;

	return FX_EXPECT_STOP(f, (void)hwm_dma(fx_hw(f), 1, false, 0, RAM_PAGE_H, true, &r));
}

static void event_records_land_only_in_pinned_host_pages(void)
{
	uint64_t events;
	struct fx f;

	writing_smmu(&f, "qemu-virt", LAST_POOL_PAGE);
	EXPECT_EQ(fault(&f), WORLD_STOP_ORACLE);
	fx_expect_oracle(&f, "isolation:hw-write-event-hyp-page");
	fx_done(&f);

	writing_smmu(&f, "qemu-virt", FX_EVTQ);
	EXPECT_EQ(fault(&f), WORLD_STOP_ORACLE);
	fx_expect_oracle(&f, "isolation:hw-write-event-unpinned-page");
	world_set_pgstate(f.w, FX_EVTQ, PGS_OWNER_GUEST);
	EXPECT_EQ(fault(&f), WORLD_STOP_ORACLE);
	fx_expect_oracle(&f, "isolation:hw-write-event-guest-page");
	/* The near miss: the host's queue, pinned. */
	world_set_pgstate(f.w, FX_EVTQ, FIELD_PREP(PGS_PINS, 1));
	events = fx_hw(&f)->stats.events;
	EXPECT_EQ(fault(&f), WORLD_RUNNING);
	EXPECT_EQ(fx_hw(&f)->stats.events, events + 1);
	fx_done(&f);
}

/* An MSI (linear-msi has IDR0.MSI) lands only in host memory. */
static void msis_land_only_in_host_memory(void)
{
	struct fx f;

	writing_smmu(&f, "linear-msi", FX_EVTQ);
	world_set_pgstate(f.w, FX_EVTQ, FIELD_PREP(PGS_PINS, 1));
	fx_hw(&f)->irq_ctrlack |= 1U << 2;	/* EVTQ_IRQEN */
	fx_hw(&f)->evtq_irq_cfg0 = WORLD_HOST_BASE + 0x40;
	EXPECT_EQ(fault(&f), WORLD_RUNNING);
	fx_hw(&f)->evtq_irq_cfg0 = LAST_POOL_PAGE + 0x40;
	EXPECT_EQ(fault(&f), WORLD_STOP_ORACLE);
	fx_expect_oracle(&f, "isolation:hw-write-msi-irq-hyp-page");
	/* A CMD_SYNC's MSI, and a reason the SMMU has none of. */
	FX_EXPECT_STOP(&f, oracle_hw_write(f.w, 0, LAST_POOL_PAGE, 4, HWM_WRITE_MSI_SYNC));
	fx_expect_oracle(&f, "isolation:hw-write-msi-sync-hyp-page");
	world_set_pgstate(f.w, WORLD_HOST_BASE, PGS_OWNER_GUEST);
	FX_EXPECT_STOP(&f, oracle_hw_write(f.w, 0, WORLD_HOST_BASE, 4, HWM_WRITE_MSI_SYNC));
	fx_expect_oracle(&f, "isolation:hw-write-msi-sync-guest-page");
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_hw_write(f.w, 0, WORLD_HOST_BASE + PAGE_H, 4,
						     HWM_WRITE_MSI_SYNC)), WORLD_RUNNING);
	FX_EXPECT_STOP(&f, oracle_hw_write(f.w, 0, WORLD_HOST_BASE + PAGE_H, 4, 0));
	fx_expect_oracle(&f, "isolation:hw-write-unknown");
	fx_done(&f);
}

/* ---- Stage-2 TLBIs: the hypervisor's own, for its own reasons ------------------ */

static struct world *cmd_world;

static void on_hw_cmd(void *ctx, const uint64_t cmd[2])
{
	(void)ctx;
	oracle_hw_command(cmd_world, 0, cmd);
}

static int own(struct fx *f, enum smmu_host_req r, uint64_t pa, int *ret)
{
	return FX_EXPECT_STOP(f, ({
		oracle_own_begin(f->w);
		world_step_begin(f->w);
		*ret = smmu_host_request(&f->hyp, r, pa_init(pa));
		oracle_own_end(f->w);
	}));
}

/* A booted core whose hardware commands the oracle sees, its state armed
 * as at the start of an input. */
static void watched_core(struct fx *f)
{
	static const struct hwm_observer obs = { .cmd = on_hw_cmd };
	uint64_t dw2, dw3;

	fx_boot(f);
	cmd_world = f->w;
	world_set_observer(f->w, 0, &obs);
	smmu_stage2_words(&f->hyp, &dw2, &dw3);
	oracle_world_init(f->w, dw3 & STE3_S2TTB_MASK);
	oracle_input_begin(f->w);
}

static void a_stage_2_tlbi_outside_an_ownership_change_is_caught(void)
{
	static const uint64_t s12[2] = { 0x28, 0 }, ipa[2] = { 0x2A, 0 }, nh[2] = { 0x12, 0 };
	struct fx f;
	int ret = 1;

	watched_core(&f);
	/* The donation invalidates stage 2 inside the request: fine. */
	EXPECT_EQ(own(&f, SMMU_REQ_DONATE_GUEST, RAM_PAGE_H, &ret), WORLD_RUNNING);
	EXPECT_EQ(ret, 0);
	EXPECT(fx_hw(&f)->stats.tlbi > 0);
	/* The same commands from nowhere: caught; stage 1 ones are not. */
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_hw_command(f.w, 0, nh)), WORLD_RUNNING);
	FX_EXPECT_STOP(&f, oracle_hw_command(f.w, 0, s12));
	fx_expect_oracle(&f, "cmd-filter:host-caused-stage2-tlbi");
	FX_EXPECT_STOP(&f, oracle_hw_command(f.w, 0, ipa));
	fx_expect_oracle(&f, "cmd-filter:host-caused-stage2-tlbi");
	/* An ownership change the oracle is not told of: its TLBI is caught. */
	FX_EXPECT_STOP(&f, (void)smmu_host_request(&f.hyp, SMMU_REQ_DONATE_GUEST,
						    pa_init(RAM_PAGE_H + PAGE_H)));
	fx_expect_oracle(&f, "cmd-filter:host-caused-stage2-tlbi");
	oracle_world_forget(f.w);
	fx_done(&f);
	/* A world never armed (no input began) keeps the old rule. */
	fx_boot(&f);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_hw_command(f.w, 0, s12)), WORLD_RUNNING);
	fx_done(&f);
}

/*
 * Stuck hardware: the donation times out with its TLBI still queued. When
 * the SMMU recovers it executes outside any request — fine, once: the
 * oracle counted it in the queue at the end of the request.
 */
static void a_stage_2_tlbi_left_queued_by_a_request_may_run_later_once(void)
{
	static const uint64_t s12[2] = { 0x28, 0 };
	struct hw_model *m;
	struct fx f;
	int ret = 0;

	watched_core(&f);
	m = fx_hw(&f);
	m->timing = HWM_STUCK;
	EXPECT_EQ(own(&f, SMMU_REQ_DONATE_GUEST, RAM_PAGE_H, &ret), WORLD_RUNNING);
	EXPECT_EQ(ret, SMMU_ETIMEDOUT);
	EXPECT(m->cmdq_cons != m->cmdq_prod);
	/* A new input over this state counts it too. */
	oracle_input_begin(f.w);
	m->timing = HWM_PROMPT;
	EXPECT_EQ(FX_EXPECT_STOP(&f, hwm_write32(m, SMMU_CMDQ_PROD, m->cmdq_prod)),
		  WORLD_RUNNING);
	EXPECT_EQ(m->cmdq_cons, m->cmdq_prod);
	FX_EXPECT_STOP(&f, oracle_hw_command(f.w, 0, s12));
	fx_expect_oracle(&f, "cmd-filter:host-caused-stage2-tlbi");
	oracle_world_forget(f.w);
	fx_done(&f);
}

static void platform_catches_a_double_fetch(void)
{
	struct fx f;
	uint64_t a, b;

	fx_boot(&f);
	world_set_pgstate(f.w, FX_CMDQ, FIELD_PREP(PGS_PINS, 1));
	world_step_begin(f.w);
	EXPECT_EQ(plat_host_copy_in(&a, pa_init(FX_CMDQ), 8), 0);
	EXPECT_EQ(plat_host_copy_in(&b, pa_init(FX_CMDQ + 16), 8), 0);
	FX_EXPECT_STOP(&f, (void)plat_host_copy_in(&b, pa_init(FX_CMDQ + 4), 8));
	fx_expect_oracle(&f, "double-fetch");
	/* A new trapped access may read it again. */
	world_step_begin(f.w);
	EXPECT_EQ(FX_EXPECT_STOP(&f, (void)plat_host_copy_in(&b, pa_init(FX_CMDQ), 8)),
		  WORLD_RUNNING);
	fx_done(&f);
}

static void racing_host_changes_bytes_after_the_first_read(void)
{
	struct fx f;
	uint64_t before = 0x46, a = 0, b = 0;

	fx_boot(&f);
	world_set_pgstate(f.w, FX_CMDQ, FIELD_PREP(PGS_PINS, 1));
	EXPECT_EQ(world_host_store(f.w, FX_CMDQ, &before, 8), 0);
	world_race_arm(f.w, FX_CMDQ, 0x03, 8);
	world_step_begin(f.w);
	EXPECT_EQ(plat_host_copy_in(&a, pa_init(FX_CMDQ), 8), 0);
	EXPECT_EQ(a, 0x46);
	world_step_begin(f.w);
	EXPECT_EQ(plat_host_copy_in(&b, pa_init(FX_CMDQ), 8), 0);
	EXPECT_EQ(b, 0x03);
	fx_done(&f);
}

static void platform_catches_reads_of_unshared_host_memory(void)
{
	struct fx f;
	uint64_t a;

	fx_boot(&f);
	world_step_begin(f.w);
	FX_EXPECT_STOP(&f, (void)plat_host_copy_in(&a, pa_init(FX_CMDQ), 8));
	fx_expect_oracle(&f, "hyp-reads-unshared-host-page");
	fx_done(&f);
}

static void platform_catches_mapping_host_memory_as_hypervisor_memory(void)
{
	struct fx f;

	fx_boot(&f);
	FX_EXPECT_STOP(&f, (void)plat_hyp_va(pa_init(FX_CMDQ)));
	fx_expect_oracle(&f, "hyp-maps-non-hyp-page");
	fx_done(&f);
}

static void platform_catches_mmio_that_was_not_donated(void)
{
	struct fx f;

	fx_boot(&f);
	FX_EXPECT_STOP(&f, (void)plat_mmio_read32(plat_mmio_va(pa_init(WORLD_UART_BASE))));
	fx_expect_oracle(&f, "hyp-mmio-not-donated");
	fx_done(&f);
}

static void platform_catches_a_lock_taken_twice(void)
{
	struct fx f;
	struct plat_lock l = { 0 };

	fx_boot(&f);
	plat_lock(&l);
	FX_EXPECT_STOP(&f, plat_lock(&l));
	fx_expect_oracle(&f, "lock-taken-twice");
	fx_done(&f);
}

static void fatal_rejects_are_not_findings(void)
{
	struct fx f;

	fx_boot(&f);
	EXPECT_EQ(FX_EXPECT_STOP(&f, plat_panic(SMMU_PANIC_REJECT, "test.fatal")),
		  WORLD_STOP_REJECT);
	EXPECT_STR(world_outcome(f.w)->stop_site, "test.fatal");
	EXPECT_EQ(FX_EXPECT_STOP(&f, plat_panic(SMMU_PANIC_BUG, "bug:x")),
		  WORLD_STOP_BUG);
	fx_done(&f);
}

/*
 * A world made from an evicted one's memory (world_recycle) is the world
 * world_new would make: every seed and repro of every target gives the same
 * verdict and trace with every new world recycled as with fresh ones.
 */
#define RECYCLE_MAX	256U

static void recycled_worlds_are_fresh_worlds(void)
{
	static const char *const targets[] = { "fuzz_mmio", "fuzz_cmdq", "fuzz_ste",
					       "fuzz_owner", "fuzz_all", "fuzz_boot" };
	static const char *const kinds[] = { "seeds", "regress" };
	static char text[1U << 16], name[RECYCLE_MAX][300];
	static uint64_t trace[RECYCLE_MAX];
	static char verdict[RECYCLE_MAX][200];
	static const char *target_of[RECYCLE_MAX];
	struct run_result r;
	unsigned n = 0, i, pass, t, k;
	char line[200];

	for (t = 0; t < 6; t++) {
		for (k = 0; k < 2; k++) {
			char dir[256];
			DIR *d;
			struct dirent *e;

			snprintf(dir, sizeof(dir), "%s/corpus/%s/%s", SMMUFUZZ_SOURCE_DIR,
				 kinds[k], targets[t]);
			d = opendir(dir);
			while (d != NULL && (e = readdir(d)) != NULL && n < RECYCLE_MAX) {
				if (strstr(e->d_name, ".txt") == NULL)
					continue;
				snprintf(name[n], sizeof(name[n]), "%s/%s", dir, e->d_name);
				target_of[n++] = targets[t];
			}
			if (d != NULL)
				closedir(d);
		}
	}
	EXPECT(n > 50);
	for (pass = 0; pass < 3; pass++) {
		/* Fresh worlds, then one world recycled for every change, then
		 * two, in the reverse order. */
		harness_cache_limit(pass == 0 ? 0 : pass);
		for (i = 0; i < n; i++) {
			unsigned at = pass == 2 ? n - 1U - i : i;

			if (!read_text_file(name[at], text, sizeof(text)))
				continue;
			run_text(text, target_of[at], &r);
			harness_verdict_str(&r, line, sizeof(line));
			if (pass == 0) {
				trace[at] = r.trace;
				snprintf(verdict[at], sizeof(verdict[at]), "%s", line);
			} else if (trace[at] != r.trace || strcmp(verdict[at], line) != 0) {
				CHECK_FAIL("%s (%s): %s trace %016llx fresh, %s trace %016llx recycled",
					   name[at], target_of[at], verdict[at],
					   (unsigned long long)trace[at], line,
					   (unsigned long long)r.trace);
			}
		}
	}
	harness_cache_limit(0);
}

int main(void)
{
	RUN(linux_reset_takes_no_rejection_on_any_profile);
	RUN(bypass_request_is_rejected_and_never_completes);
	RUN(the_same_input_gives_the_same_trace);
	RUN(every_input_starts_from_the_booted_state);
	RUN(target_masks_skip_other_ops);
	RUN(reset_undoes_only_touched_pages);
	RUN(isolation_audit_passes_after_boot);
	RUN(isolation_audit_catches_gbpa_bypass);
	RUN(isolation_audit_catches_mmio_returned_to_host);
	RUN(isolation_audit_catches_hardware_queue_in_host_memory);
	RUN(isolation_audit_catches_hardware_table_in_host_memory);
	RUN(isolation_audit_catches_an_unpinned_event_queue);
	RUN(isolation_audit_catches_a_programmed_msi);
	RUN(dma_oracle_catches_a_probe_reaching_hypervisor_memory);
	RUN(isolation_audit_catches_cr1_and_cr2_that_are_not_the_hypervisors);
	RUN(isolation_audit_catches_a_live_msi_per_queue);
	RUN(event_records_land_only_in_pinned_host_pages);
	RUN(msis_land_only_in_host_memory);
	RUN(a_stage_2_tlbi_outside_an_ownership_change_is_caught);
	RUN(a_stage_2_tlbi_left_queued_by_a_request_may_run_later_once);
	RUN(platform_catches_a_double_fetch);
	RUN(racing_host_changes_bytes_after_the_first_read);
	RUN(platform_catches_reads_of_unshared_host_memory);
	RUN(platform_catches_mapping_host_memory_as_hypervisor_memory);
	RUN(platform_catches_mmio_that_was_not_donated);
	RUN(platform_catches_a_lock_taken_twice);
	RUN(fatal_rejects_are_not_findings);
	RUN(recycled_worlds_are_fresh_worlds);
	harness_shutdown();
	CHECK_DONE();
}
