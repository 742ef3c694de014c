// SPDX-License-Identifier: MIT
/* The host's command queue, emulated: PROD/CONS arithmetic, the filter's
 * rules one by one, CONS.ERR and GERROR semantics, pinning on enable. */
#include "fixture.h"
#include "priv.h"

/* The hardware's view of each command it executed, in order. */
static uint64_t seen[512][2];
static unsigned seen_count;

static void on_cmd(void *ctx, const uint64_t cmd[2])
{
	(void)ctx;
	if (seen_count < 512) {
		seen[seen_count][0] = cmd[0];
		seen[seen_count][1] = cmd[1];
	}
	seen_count++;
}

/* A live SMMU with a host queue of 2^log2 entries at FX_CMDQ. */
static void live(struct fx *f, const char *hw, unsigned log2)
{
	struct hwm_observer obs = { .cmd = on_cmd };

	fx_boot_hw(f, hw, 1);
	EXPECT_EQ(f->boot_err, 0);
	fx_program_queues(f, log2);
	fx_wr(f, SMMU_CR0, CR0_CMDQEN | CR0_SMMUEN);
	EXPECT_EQ(fx_rejects(f), 0);
	world_set_observer(f->w, 0, &obs);
	seen_count = 0;
}

static void put(struct fx *f, unsigned log2, uint32_t idx, uint64_t dw0, uint64_t dw1)
{
	uint64_t cmd[2] = { dw0, dw1 };

	EXPECT_EQ(world_host_store(f->w, FX_CMDQ + (uint64_t)(idx & ((1U << log2) - 1U)) * 16U,
				   cmd, sizeof(cmd)), 0);
}

static uint32_t cons(struct fx *f)
{
	return fx_rd(f, SMMU_CMDQ_CONS);
}

static const uint64_t SYNC0 = CMDQ_OP_CMD_SYNC;

static void published_commands_run_and_cons_follows_prod(void)
{
	struct fx f;

	live(&f, "qemu-virt", 4);
	put(&f, 4, 0, CMDQ_OP_CFGI_CD | FIELD_PREP(CMD0_SID, 3), CMD1_LEAF);
	put(&f, 4, 1, CMDQ_OP_TLBI_NH_ASID | FIELD_PREP(CMD0_ASID, 7), 0);
	put(&f, 4, 2, SYNC0, 0);
	fx_wr(&f, SMMU_CMDQ_PROD, 3);
	EXPECT_EQ(cons(&f), 3);
	EXPECT_EQ(seen_count, 3);
	EXPECT_EQ(FIELD_GET(CMD0_OP, seen[1][0]), CMDQ_OP_TLBI_NH_ASID);
	EXPECT_EQ(FIELD_GET(CMD0_ASID, seen[1][0]), 7);
	EXPECT_EQ(fx_rd(&f, SMMU_CMDQ_PROD), 3);
	EXPECT_EQ(fx_rejects(&f), 0);
	fx_done(&f);
}

static void prod_and_cons_wrap_around_a_small_queue(void)
{
	struct fx f;
	uint32_t i, p = 0;

	live(&f, "qemu-virt", 2);	/* 4 entries: index in bits 1:0, wrap bit 2 */
	for (i = 0; i < 11; i++) {
		put(&f, 2, p, SYNC0, 0);
		p = (p + 1U) & 7U;
		fx_wr(&f, SMMU_CMDQ_PROD, p);
		EXPECT_EQ(cons(&f), p);
	}
	EXPECT_EQ(p, 3);		/* 11 = 8 + 3: wrapped once, wrap bit clear */
	/* A full queue: four entries published at once. */
	for (i = 0; i < 4; i++)
		put(&f, 2, p + i, SYNC0, 0);
	fx_wr(&f, SMMU_CMDQ_PROD, (p + 4U) & 7U);
	EXPECT_EQ(cons(&f), (p + 4U) & 7U);
	EXPECT_EQ(seen_count, 15);
	EXPECT_EQ(fx_rejects(&f), 0);
	fx_done(&f);
}

static void junk_above_the_wrap_bit_is_ignored_but_read_back(void)
{
	struct fx f;

	live(&f, "qemu-virt", 4);
	put(&f, 4, 0, SYNC0, 0);
	put(&f, 4, 1, SYNC0, 0);
	fx_wr(&f, SMMU_CMDQ_PROD, 0x80007F02);	/* Linux's owned flag + junk */
	EXPECT_EQ(cons(&f), 2);
	EXPECT_EQ(fx_rd(&f, SMMU_CMDQ_PROD), 0x80007F02);
	EXPECT_EQ(seen_count, 2);
	fx_done(&f);
}

static void prod_more_than_a_queue_ahead_or_behind_is_refused(void)
{
	struct fx f;

	live(&f, "qemu-virt", 2);
	put(&f, 2, 0, SYNC0, 0);
	fx_wr(&f, SMMU_CMDQ_PROD, 1);
	EXPECT_EQ(cons(&f), 1);
	fx_wr(&f, SMMU_CMDQ_PROD, 6);		/* 5 ahead of a 4-entry queue */
	EXPECT_STR(fx_first_reject(&f), "cmdq.prod_more_than_a_queue_ahead");
	EXPECT_EQ(cons(&f), 1);
	fx_clear(&f);
	fx_wr(&f, SMMU_CMDQ_PROD, 0);		/* behind CONS */
	EXPECT_STR(fx_first_reject(&f), "cmdq.prod_more_than_a_queue_ahead");
	EXPECT_EQ(cons(&f), 1);
	EXPECT_EQ(seen_count, 1);
	fx_done(&f);
}

struct rule {
	uint64_t dw0, dw1;
	const char *site;	/* NULL: forwarded */
};

/* Every rule of docs/commands.md, both ways where a rule has two sides. */
static const struct rule rules[] = {
	{ CMDQ_OP_CFGI_STE | FIELD_PREP(CMD0_SID, 0x10), CMD1_LEAF, NULL },
	{ CMDQ_OP_CFGI_STE | FIELD_PREP(CMD0_SID, 0x10), 0, "cmd.cfgi_ste_leaf0" },
	{ CMDQ_OP_CFGI_STE | FIELD_PREP(CMD0_SID, 0x10000), CMD1_LEAF,
	  "cmd.cfgi_ste_sid_out_of_range" },
	{ CMDQ_OP_CFGI_STE_RANGE, FIELD_PREP(CMD1_RANGE, 31), NULL },
	{ CMDQ_OP_CFGI_STE_RANGE, FIELD_PREP(CMD1_RANGE, 4), "cmd.cfgi_range_not_all" },
	{ CMDQ_OP_TLBI_NH_ASID | FIELD_PREP(CMD0_ASID, 3), 0, NULL },
	{ CMDQ_OP_TLBI_NH_ASID | FIELD_PREP(CMD0_VMID, 1), 0, "cmd.tlbi_nh_vmid_not_0" },
	{ CMDQ_OP_TLBI_NH_VA | FIELD_PREP(CMD0_VMID, 9), 0x1000, "cmd.tlbi_nh_vmid_not_0" },
	{ CMDQ_OP_TLBI_NH_VAA, 0x1000, NULL },
	{ CMDQ_OP_TLBI_NH_VAA | FIELD_PREP(CMD0_VMID, 2), 0x1000, "cmd.tlbi_nh_vmid_not_0" },
	{ CMDQ_OP_TLBI_NH_ALL, 0, "cmd.tlbi_nh_all" },
	{ CMDQ_OP_TLBI_EL2_ALL, 0, "cmd.tlbi_el2" },
	{ CMDQ_OP_TLBI_EL2_ASID, 0, "cmd.tlbi_el2" },
	{ CMDQ_OP_TLBI_EL2_VA, 0, "cmd.tlbi_el2" },
	{ CMDQ_OP_TLBI_EL2_VAA, 0, "cmd.tlbi_el2" },
	{ CMDQ_OP_TLBI_EL3_ALL, 0, "cmd.tlbi_el3" },
	{ CMDQ_OP_TLBI_EL3_VA, 0, "cmd.tlbi_el3" },
	{ CMDQ_OP_TLBI_S12_VMALL, 0, "cmd.tlbi_stage2" },
	{ CMDQ_OP_TLBI_S2_IPA, 0x1000, "cmd.tlbi_stage2" },
	{ CMDQ_OP_CMD_SYNC | FIELD_PREP(CMD0_SYNC_CS, 3), 0, "cmd.sync_reserved_cs" },
	{ CMDQ_OP_CMD_SYNC | FIELD_PREP(CMD0_SYNC_CS, 2), 0, NULL },
	{ CMDQ_OP_PREFETCH_CFG, 0, NULL },
	{ CMDQ_OP_PREFETCH_ADDR, 0, NULL },
	{ CMDQ_OP_CFGI_CD, CMD1_LEAF, NULL },
	{ CMDQ_OP_CFGI_CD_ALL, 0, NULL },
	{ CMDQ_OP_TLBI_NSNH_ALL, 0, NULL },
	{ CMDQ_OP_ATC_INV | FIELD_PREP(CMD0_SID, 3), 52, "cmd.atc_inv" },
	{ CMDQ_OP_PRI_RESP, 0, "cmd.pri_resp" },
	{ 0x00, 0, "cmd.unknown_opcode" },
	{ 0x07, 0, "cmd.unknown_opcode" },
	{ 0x47, 0, "cmd.unknown_opcode" },
	{ 0xFF, 0, "cmd.unknown_opcode" },
};

static void every_filter_rule_forwards_or_refuses_as_documented(void)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		struct fx f;
		uint32_t c;

		live(&f, "qemu-virt", 4);
		put(&f, 4, 0, rules[i].dw0, rules[i].dw1);
		fx_wr(&f, SMMU_CMDQ_PROD, 1);
		c = cons(&f);
		if (rules[i].site == NULL) {
			if (fx_rejects(&f) != 0)
				CHECK_FAIL("rule %zu refused at %s", i, fx_first_reject(&f));
			EXPECT_EQ(c, 1);
			/* CFGI_STE and CFGI_ALL come with the re-shadowing's
			 * own SYNC. */
			EXPECT_EQ(seen_count, FIELD_GET(CMD0_OP, rules[i].dw0) ==
					      CMDQ_OP_CFGI_STE ||
					      FIELD_GET(CMD0_OP, rules[i].dw0) ==
					      CMDQ_OP_CFGI_STE_RANGE ? 2 : 1);
			EXPECT_EQ(seen[0][0], rules[i].dw0);
		} else {
			EXPECT_STR(fx_first_reject(&f), rules[i].site);
			EXPECT_EQ(c, FIELD_PREP(CMDQ_CONS_ERR, CERROR_ILL));
			EXPECT_EQ(fx_rd(&f, SMMU_GERROR) & GERROR_CMDQ_ERR, GERROR_CMDQ_ERR);
			EXPECT_EQ(seen_count, 0);	/* the hardware never saw it */
		}
		fx_done(&f);
	}
}

static void sync_with_msi_is_rewritten_and_writes_nothing(void)
{
	struct fx f;
	uint64_t *target;

	live(&f, "linear-msi", 4);
	target = (uint64_t *)world_ram(f.w, WORLD_POOL_BASE + 0x800, 8);
	put(&f, 4, 0, CMDQ_OP_CMD_SYNC | FIELD_PREP(CMD0_SYNC_CS, CMD0_SYNC_CS_IRQ) |
			   FIELD_PREP(CMD0_SYNC_MSIDATA, 0xdead),
	    WORLD_POOL_BASE + 0x800);
	fx_wr(&f, SMMU_CMDQ_PROD, 1);
	EXPECT_EQ(cons(&f), 1);
	EXPECT_EQ(fx_rejects(&f), 0);
	EXPECT_EQ(seen_count, 1);
	EXPECT_EQ(FIELD_GET(CMD0_SYNC_CS, seen[0][0]), CMD0_SYNC_CS_SEV);
	EXPECT_EQ(FIELD_GET(CMD0_SYNC_MSIDATA, seen[0][0]), 0);
	EXPECT_EQ(seen[0][1], 0);
	EXPECT_EQ(*target, 0);
	fx_done(&f);
}

static void a_refused_command_stops_the_queue_until_acknowledged(void)
{
	struct fx f;

	live(&f, "qemu-virt", 4);
	put(&f, 4, 0, CMDQ_OP_CFGI_CD, CMD1_LEAF);
	put(&f, 4, 1, CMDQ_OP_TLBI_NH_ALL, 0);
	put(&f, 4, 2, CMDQ_OP_CFGI_CD_ALL, 0);
	fx_wr(&f, SMMU_CMDQ_PROD, 3);
	/* Everything before it ran; it and everything after did not. */
	EXPECT_EQ(cons(&f), 1 | FIELD_PREP(CMDQ_CONS_ERR, CERROR_ILL));
	EXPECT_EQ(seen_count, 1);
	/* More doorbells change nothing while the error stands. */
	fx_wr(&f, SMMU_CMDQ_PROD, 3);
	EXPECT_EQ(cons(&f), 1 | FIELD_PREP(CMDQ_CONS_ERR, CERROR_ILL));
	/* Linux replaces the entry with a CMD_SYNC and acknowledges. */
	put(&f, 4, 1, SYNC0, 0);
	fx_wr(&f, SMMU_GERRORN, fx_rd(&f, SMMU_GERRORN) ^ GERROR_CMDQ_ERR);
	EXPECT_EQ(fx_rd(&f, SMMU_GERROR) & GERROR_CMDQ_ERR,
		  fx_rd(&f, SMMU_GERRORN) & GERROR_CMDQ_ERR);
	EXPECT_EQ(cons(&f), 3);
	EXPECT_EQ(seen_count, 3);
	fx_done(&f);
}

static void a_hardware_error_is_reported_at_the_host_index(void)
{
	struct fx f;

	/* RESUME is forwarded; qemu-virt cannot stall (STALL_MODEL 0b01),
	 * so the SMMU refuses it. */
	live(&f, "qemu-virt", 4);
	put(&f, 4, 0, CMDQ_OP_CFGI_CD, CMD1_LEAF);
	put(&f, 4, 1, CMDQ_OP_RESUME, 0);
	put(&f, 4, 2, CMDQ_OP_CFGI_CD_ALL, 0);
	fx_wr(&f, SMMU_CMDQ_PROD, 3);
	EXPECT_EQ(cons(&f), 1 | FIELD_PREP(CMDQ_CONS_ERR, CERROR_ILL));
	EXPECT_EQ(fx_rd(&f, SMMU_GERROR) & GERROR_CMDQ_ERR, GERROR_CMDQ_ERR);
	/* The hypervisor recovered its own queue: it still works. */
	EXPECT_EQ(fx_hw(&f)->gerror & GERROR_CMDQ_ERR, fx_hw(&f)->gerrorn & GERROR_CMDQ_ERR);
	put(&f, 4, 1, SYNC0, 0);
	fx_wr(&f, SMMU_GERRORN, fx_rd(&f, SMMU_GERRORN) ^ GERROR_CMDQ_ERR);
	EXPECT_EQ(cons(&f), 3);
	/* CFGI_CD_ALL after the refused entry ran exactly once. */
	EXPECT_EQ(FIELD_GET(CMD0_OP, seen[seen_count - 1][0]), CMDQ_OP_CFGI_CD_ALL);
	fx_done(&f);
}

static void stuck_hardware_leaves_cons_in_place(void)
{
	struct fx f;

	live(&f, "qemu-virt", 4);
	fx_hw(&f)->timing = HWM_STUCK;
	put(&f, 4, 0, SYNC0, 0);
	fx_wr(&f, SMMU_CMDQ_PROD, 1);
	EXPECT_STR(fx_first_reject(&f), "cmdq.hw_timeout");
	EXPECT_EQ(cons(&f), 0);
	fx_hw(&f)->timing = HWM_PROMPT;
	fx_wr(&f, SMMU_CMDQ_PROD, 1);
	EXPECT_EQ(cons(&f), 1);
	fx_done(&f);
}

static void commands_wait_while_the_queue_is_disabled(void)
{
	struct fx f;

	fx_boot(&f);
	fx_program_queues(&f, 4);
	put(&f, 4, 0, SYNC0, 0);
	fx_wr(&f, SMMU_CMDQ_PROD, 1);
	EXPECT_EQ(cons(&f), 0);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN);
	EXPECT_EQ(cons(&f), 1);		/* consumed as the queue came on */
	fx_done(&f);
}

static void queue_pages_are_shared_while_enabled_only(void)
{
	struct fx f;
	uint64_t p;

	fx_boot(&f);
	fx_program_queues(&f, 10);	/* 1024 x 16 B = 4 pages */
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN);
	for (p = FX_CMDQ; p < FX_CMDQ + 0x4000; p += 0x1000)
		EXPECT(pgs_is_shared(world_pgstate(f.w, p)));
	EXPECT(!pgs_is_shared(world_pgstate(f.w, FX_CMDQ + 0x4000)));
	fx_wr(&f, SMMU_CR0, 0);
	for (p = FX_CMDQ; p < FX_CMDQ + 0x4000; p += 0x1000)
		EXPECT(!pgs_is_shared(world_pgstate(f.w, p)));
	fx_done(&f);
}

static void queues_outside_host_ram_or_overflowing_are_refused(void)
{
	static const uint64_t bases[] = {
		0x3FFFF000ULL | 4,		/* below RAM */
		0x47FFFF00ULL | 4,		/* last 256 B of RAM, aligned: ok */
		0x47FFFF00ULL | 5,		/* 512 B would run past RAM's end */
		0x000FFFFFFFFFF000ULL | 8,	/* top of the address space */
		WORLD_POOL_BASE | 4,		/* hypervisor memory */
	};
	static const char *const sites[] = {
		"cmdq.enable_bad_base", NULL, "cmdq.enable_bad_base",
		"cmdq.enable_bad_base", "cmdq.enable_pages_not_host",
	};
	size_t i;

	for (i = 0; i < 5; i++) {
		struct fx f;

		fx_boot(&f);
		fx_wr64(&f, SMMU_CMDQ_BASE, bases[i]);
		fx_wr(&f, SMMU_CR0, CR0_CMDQEN);
		if (sites[i] == NULL)
			EXPECT_EQ(fx_rejects(&f), 0);
		else
			EXPECT_STR(fx_first_reject(&f), sites[i]);
		fx_done(&f);
	}
}

static void queue_size_is_clamped_to_the_hardware(void)
{
	struct fx f;

	/* linear-msi: CMDQS = 8. A LOG2SIZE of 12 behaves as 256 entries. */
	fx_boot_hw(&f, "linear-msi", 1);
	fx_wr64(&f, SMMU_CMDQ_BASE, FX_CMDQ | 12);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN);
	EXPECT(pgs_is_shared(world_pgstate(f.w, FX_CMDQ + 0x0000)));
	EXPECT(!pgs_is_shared(world_pgstate(f.w, FX_CMDQ + 0x1000)));
	put(&f, 8, 255, SYNC0, 0);
	put(&f, 8, 0, SYNC0, 0);
	fx_wr(&f, SMMU_CMDQ_CONS, 0);	/* refused: enabled; still 0 */
	fx_clear(&f);
	fx_wr(&f, SMMU_CMDQ_PROD, 1);
	EXPECT_EQ(cons(&f), 1);
	fx_done(&f);
}

/*
 * Regression (fuzz_all, corpus/regress/fuzz_all/0002): a command the SMMU
 * refuses times out on slow hardware; its error shows up while the next
 * batch is synced. It must be charged to the batch it came from, not to
 * the next one, whose host would otherwise see CONS run past PROD.
 */
static void a_late_error_is_charged_to_the_batch_that_caused_it(void)
{
	struct fx f;
	uint32_t c;

	live(&f, "qemu-virt", 4);
	fx_hw(&f)->timing = HWM_SLOW;
	fx_hw(&f)->delay = 68;
	/* RESUME: qemu-virt has no stalls, so the SMMU raises CERROR_ILL. */
	put(&f, 4, 0, CMDQ_OP_RESUME, 0);
	put(&f, 4, 1, SYNC0, 0);
	fx_wr(&f, SMMU_CMDQ_PROD, 2);
	EXPECT_STR(fx_first_reject(&f), "cmdq.hw_timeout");
	EXPECT_EQ(cons(&f), 0);
	/* The host gives up and resets its queue; the SMMU is still slow. */
	fx_wr(&f, SMMU_CR0, 0);
	fx_program_queues(&f, 4);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN | CR0_SMMUEN);
	put(&f, 4, 0, SYNC0, 0);
	fx_wr(&f, SMMU_CMDQ_PROD, 1);
	c = cons(&f);
	EXPECT_EQ(c & ~(uint32_t)CMDQ_CONS_ERR, c & 1U);	/* 0 or 1, never past PROD */
	EXPECT_EQ(FIELD_GET(CMDQ_CONS_ERR, c), CERROR_NONE);
	fx_hw(&f)->timing = HWM_PROMPT;
	fx_wr(&f, SMMU_CMDQ_PROD, 1);
	EXPECT_EQ(cons(&f), 1);
	fx_done(&f);
}

/*
 * R1: the shadow stream table covers at most 8 + 17 SID bits. On an SMMU
 * with SIDSIZE 32 the host is told 25, and a CFGI_STE of a SID beyond is
 * refused (it reached a BUG_ON in the shadow lookup before).
 */
static void sids_beyond_the_shadow_table_are_refused(void)
{
	static struct hwm_config big;
	struct world_config cfg = { .smmu_count = 1 };
	struct fx f;

	big = *hwm_profile((unsigned)hwm_profile_find("mmu700"));
	big.idr[1] = (uint32_t)FIELD_SET(IDR1_SIDSIZE, big.idr[1], 32);
	cfg.hw[0] = &big;
	fx_boot_world(&f, world_new(&cfg));
	EXPECT_EQ(f.boot_err, 0);
	EXPECT_EQ(FIELD_GET(IDR1_SIDSIZE, fx_rd(&f, SMMU_IDR1)), 25);
	fx_program_queues(&f, 4);
	fx_wr(&f, SMMU_STRTAB_BASE_CFG,
	      (uint32_t)(FIELD_PREP(STRTAB_CFG_FMT, STRTAB_CFG_FMT_2LVL) |
			 FIELD_PREP(STRTAB_CFG_SPLIT, 8) |
			 FIELD_PREP(STRTAB_CFG_LOG2SIZE, 25)));
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN | CR0_SMMUEN);
	EXPECT_EQ(fx_rd(&f, SMMU_CR0ACK), CR0_CMDQEN | CR0_SMMUEN);
	fx_clear(&f);
	put(&f, 4, 0, CMDQ_OP_CFGI_STE | FIELD_PREP(CMD0_SID, 0x2000000), CMD1_LEAF);
	EXPECT_EQ(FX_EXPECT_STOP(&f, fx_wr(&f, SMMU_CMDQ_PROD, 1)), WORLD_RUNNING);
	EXPECT_STR(fx_first_reject(&f), "cmd.cfgi_ste_sid_out_of_range");
	EXPECT_EQ(cons(&f), FIELD_PREP(CMDQ_CONS_ERR, CERROR_ILL));
	/* The last SID the shadow covers is fine (the host replaces the
	 * refused entry and acknowledges, as Linux does). */
	put(&f, 4, 0, CMDQ_OP_CFGI_STE | FIELD_PREP(CMD0_SID, 0x1FFFFFF), CMD1_LEAF);
	fx_clear(&f);
	EXPECT_EQ(FX_EXPECT_STOP(&f, fx_wr(&f, SMMU_GERRORN,
					   fx_rd(&f, SMMU_GERRORN) ^ GERROR_CMDQ_ERR)),
		  WORLD_RUNNING);
	EXPECT_EQ(fx_rejects(&f), 0);
	EXPECT_EQ(cons(&f), 1);
	fx_done(&f);
}

/*
 * R2: with ATC invalidations that never complete, a forwarded ATC_INV the
 * host never synced made the hypervisor's next CMD_SYNC fail and hit a
 * BUG_ON. ATC_INV is refused now, and a hypervisor SYNC that reports an
 * ATC error anyway (left over from before) still completes.
 */
static void atc_errors_cannot_stop_the_hypervisors_sync(void)
{
	static struct hwm_config ats;
	struct world_config cfg = { .smmu_count = 1 };
	struct fx f;

	ats = *hwm_profile((unsigned)hwm_profile_find("linear-msi"));
	ats.faults = HWM_FAULT_ATC_TIMEOUT;
	cfg.hw[0] = &ats;
	fx_boot_world(&f, world_new(&cfg));
	EXPECT_EQ(f.boot_err, 0);
	fx_program_queues(&f, 4);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN | CR0_SMMUEN);
	fx_clear(&f);
	put(&f, 4, 0, CMDQ_OP_ATC_INV | FIELD_PREP(CMD0_SID, 3), 52);
	fx_wr(&f, SMMU_CMDQ_PROD, 1);
	EXPECT_STR(fx_first_reject(&f), "cmd.atc_inv");
	EXPECT_EQ(fx_hw(&f)->atc_inv_pending, false);
	/* An ATC invalidation pending in the hardware anyway: the next
	 * CMD_SYNC, the hypervisor's, fails with CERROR_ATC_INV_SYNC. */
	fx_hw(&f)->atc_inv_pending = true;
	fx_clear(&f);
	put(&f, 4, 0, CMDQ_OP_CFGI_STE | FIELD_PREP(CMD0_SID, 1), CMD1_LEAF);
	put(&f, 4, 1, CMDQ_OP_CFGI_STE | FIELD_PREP(CMD0_SID, 2), CMD1_LEAF);
	fx_wr(&f, SMMU_GERRORN, fx_rd(&f, SMMU_GERRORN) ^ GERROR_CMDQ_ERR);
	EXPECT_EQ(FX_EXPECT_STOP(&f, fx_wr(&f, SMMU_CMDQ_PROD, 2)), WORLD_RUNNING);
	EXPECT_EQ(fx_rejects(&f), 0);
	EXPECT_EQ(cons(&f), 2);
	EXPECT_EQ(fx_hw(&f)->atc_inv_pending, false);
	fx_done(&f);
}

int main(void)
{
	RUN(published_commands_run_and_cons_follows_prod);
	RUN(prod_and_cons_wrap_around_a_small_queue);
	RUN(junk_above_the_wrap_bit_is_ignored_but_read_back);
	RUN(prod_more_than_a_queue_ahead_or_behind_is_refused);
	RUN(every_filter_rule_forwards_or_refuses_as_documented);
	RUN(sync_with_msi_is_rewritten_and_writes_nothing);
	RUN(a_refused_command_stops_the_queue_until_acknowledged);
	RUN(a_hardware_error_is_reported_at_the_host_index);
	RUN(stuck_hardware_leaves_cons_in_place);
	RUN(commands_wait_while_the_queue_is_disabled);
	RUN(queue_pages_are_shared_while_enabled_only);
	RUN(queues_outside_host_ram_or_overflowing_are_refused);
	RUN(queue_size_is_clamped_to_the_hardware);
	RUN(a_late_error_is_charged_to_the_batch_that_caused_it);
	RUN(sids_beyond_the_shadow_table_are_refused);
	RUN(atc_errors_cannot_stop_the_hypervisors_sync);
	CHECK_DONE();
}
