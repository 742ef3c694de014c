// SPDX-License-Identifier: MIT
/* Emulated registers: what the host reads back, what reaches the hardware,
 * and which writes are refused (pkvm-design.md §3, design.md). */
#include "fixture.h"
#include "priv.h"

static void idr0_hides_stage2_msi_and_hyp(void)
{
	struct fx f;
	uint32_t idr0;

	fx_boot_hw(&f, "linear-msi", 1);
	EXPECT_EQ(f.boot_err, 0);
	idr0 = fx_rd(&f, SMMU_IDR0);
	EXPECT((fx_hw(&f)->cfg.idr[0] & (IDR0_S2P | IDR0_MSI | IDR0_HYP)) ==
	       (IDR0_S2P | IDR0_MSI | IDR0_HYP));
	EXPECT((idr0 & (IDR0_S2P | IDR0_MSI | IDR0_HYP | IDR0_VMID16)) == 0);
	EXPECT(idr0 & IDR0_S1P);
	EXPECT(idr0 & IDR0_COHACC);
	/* The hardware has PRI and ATS; PRI needs ATS, and both are hidden. */
	EXPECT((fx_hw(&f)->cfg.idr[0] & (IDR0_PRI | IDR0_ATS)) == (IDR0_PRI | IDR0_ATS));
	EXPECT((idr0 & (IDR0_PRI | IDR0_ATS)) == 0);
	/* SIDSIZE 8: the shadow is linear, and so must the host's be. */
	EXPECT_EQ(FIELD_GET(IDR0_ST_LVL, idr0), 0);
	EXPECT_EQ(fx_rejects(&f), 0);
	fx_done(&f);
	fx_boot(&f);
	EXPECT_EQ(FIELD_GET(IDR0_ST_LVL, fx_rd(&f, SMMU_IDR0)), IDR0_ST_LVL_2LVL);
	fx_done(&f);
}

static void id_registers_pass_or_read_zero_and_refuse_writes(void)
{
	struct fx f;

	fx_boot(&f);
	EXPECT_EQ(fx_rd(&f, SMMU_IDR1), fx_hw(&f)->cfg.idr[1]);
	EXPECT_EQ(fx_rd(&f, SMMU_IDR3), fx_hw(&f)->cfg.idr[3]);
	EXPECT_EQ(fx_rd(&f, SMMU_IDR5), fx_hw(&f)->cfg.idr[5]);
	EXPECT_EQ(fx_rd(&f, SMMU_AIDR), fx_hw(&f)->cfg.aidr);
	EXPECT_EQ(fx_rd(&f, SMMU_IDR2), 0);
	EXPECT_EQ(fx_rd(&f, SMMU_IDR4), 0);
	EXPECT_EQ(fx_rd(&f, SMMU_STATUSR), 0);
	EXPECT_EQ(fx_rd(&f, SMMU_AGBPA), 0);
	EXPECT_EQ(fx_rejects(&f), 0);
	fx_wr(&f, SMMU_IDR0, 0xFFFFFFFF);
	EXPECT_STR(fx_first_reject(&f), "mmio.write_to_read_only");
	EXPECT_EQ(fx_hw(&f)->cfg.idr[0], hwm_profile(0)->idr[0]);
	fx_done(&f);
}

static void unknown_offsets_and_bad_widths_read_zero_and_are_refused(void)
{
	struct fx f;

	fx_boot(&f);
	EXPECT_EQ(fx_rd(&f, 0x3C), 0);
	EXPECT_STR(fx_first_reject(&f), "mmio.unknown_register");
	fx_clear(&f);
	EXPECT_EQ(fx_rd_n(&f, 0, SMMU_CR0, 2), 0);
	EXPECT_STR(fx_first_reject(&f), "mmio.subword_access");
	fx_clear(&f);
	fx_wr_n(&f, 0, SMMU_CR0, 1, CR0_SMMUEN);
	EXPECT_EQ(fx_rd(&f, SMMU_CR0), 0);
	fx_clear(&f);
	/* 64-bit registers need 64-bit accesses, 32-bit ones 32-bit. */
	fx_wr(&f, SMMU_STRTAB_BASE, 0x44000000);
	EXPECT_STR(fx_first_reject(&f), "mmio.wrong_width");
	EXPECT_EQ(fx_rd64(&f, SMMU_STRTAB_BASE), 0);
	fx_clear(&f);
	EXPECT_EQ(fx_rd64(&f, SMMU_CR0), 0);
	EXPECT_STR(fx_first_reject(&f), "mmio.wrong_width");
	fx_clear(&f);
	EXPECT_EQ(fx_rd_n(&f, 0, SMMU_CR0 + 2, 4), 0);
	EXPECT_STR(fx_first_reject(&f), "mmio.unaligned");
	fx_clear(&f);
	/* Identification registers pass through harmlessly. */
	(void)fx_rd(&f, 0xFE0);
	EXPECT_EQ(fx_rejects(&f), 0);
	fx_done(&f);
}

static void mmio_table_resolves_each_register_to_itself(void)
{
	static const uint32_t must[] = {
		SMMU_CR0, SMMU_GBPA, SMMU_CMDQ_PROD, SMMU_PAGE1(SMMU_EVTQ_CONS),
		SMMU_PRIQ_IRQ_CFG2, SMMU_GERRORN,
	};
	uint32_t off, last = 0;
	unsigned i, found = 0;

	for (i = 0; i < sizeof(must) / sizeof(must[0]); i++)
		EXPECT(mmio_lookup(must[i]) != NULL);
	/* Every entry describes the offset it is found at. */
	for (off = 0; off < SMMU_MMIO_SIZE; off += 4) {
		const struct smmu_reg_desc *r = mmio_lookup(off);

		if (r == NULL)
			continue;
		EXPECT_EQ(r->offset, off);
		EXPECT(off >= last);
		last = off;
		found++;
	}
	EXPECT_EQ(found, 43);
}

static void cr0_enables_need_valid_queues_and_ack_only_what_is_in_force(void)
{
	struct fx f;

	fx_boot(&f);
	/* SMMUEN without the command queue is refused: CR0ACK never shows it. */
	fx_wr(&f, SMMU_CR0, CR0_SMMUEN);
	EXPECT_STR(fx_first_reject(&f), "cr0.smmuen_without_cmdq");
	EXPECT_EQ(fx_rd(&f, SMMU_CR0), CR0_SMMUEN);
	EXPECT_EQ(fx_rd(&f, SMMU_CR0ACK), 0);
	EXPECT_EQ(fx_hw(&f)->cr0 & CR0_SMMUEN, 0);
	fx_clear(&f);
	/* A command queue in hypervisor memory is refused. */
	fx_wr64(&f, SMMU_CMDQ_BASE, WORLD_POOL_BASE | 8);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN);
	EXPECT_STR(fx_first_reject(&f), "cmdq.enable_pages_not_host");
	EXPECT_EQ(fx_rd(&f, SMMU_CR0ACK), 0);
	fx_clear(&f);
	/* Unaligned to its size: refused, the hardware would ignore low bits. */
	fx_wr64(&f, SMMU_CMDQ_BASE, (FX_CMDQ + 0x100) | 8);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN);
	EXPECT_STR(fx_first_reject(&f), "cmdq.enable_bad_base");
	fx_clear(&f);
	fx_program_queues(&f, 8);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN);
	EXPECT_EQ(fx_rd(&f, SMMU_CR0ACK), CR0_CMDQEN);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN | CR0_SMMUEN);
	EXPECT_EQ(fx_rd(&f, SMMU_CR0ACK), CR0_CMDQEN | CR0_SMMUEN);
	EXPECT_EQ(fx_rejects(&f), 0);
	/* The hardware's own queue never follows the host's CMDQEN. */
	EXPECT(fx_hw(&f)->cr0 & CR0_CMDQEN);
	EXPECT(fx_hw(&f)->cr0 & CR0_SMMUEN);
	fx_wr(&f, SMMU_CR0, 0);
	EXPECT_EQ(fx_rd(&f, SMMU_CR0ACK), 0);
	EXPECT_EQ(fx_hw(&f)->cr0, CR0_CMDQEN);
	fx_clear(&f);
	fx_wr(&f, SMMU_CR0, 0x100);
	EXPECT_STR(fx_first_reject(&f), "cr0.reserved_bits");
	fx_clear(&f);
	fx_wr(&f, SMMU_CR0, CR0_PRIQEN);
	EXPECT_STR(fx_first_reject(&f), "cr0.priqen_without_pri");
	fx_done(&f);
}

static void cr0ack_lags_with_slow_hardware(void)
{
	struct fx f;

	fx_boot(&f);
	fx_program_queues(&f, 8);
	fx_hw(&f)->timing = HWM_STUCK;
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN | CR0_SMMUEN);
	/* CMDQEN is emulated and acks at once; SMMUEN waits for the hardware. */
	EXPECT_EQ(fx_rd(&f, SMMU_CR0ACK), CR0_CMDQEN);
	fx_hw(&f)->timing = HWM_PROMPT;
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN | CR0_SMMUEN);
	EXPECT_EQ(fx_rd(&f, SMMU_CR0ACK), CR0_CMDQEN | CR0_SMMUEN);
	fx_done(&f);
}

static void cr1_accepts_only_the_fixed_value(void)
{
	struct fx f;
	uint32_t hw_cr1;

	fx_boot(&f);
	hw_cr1 = fx_hw(&f)->cr1;
	EXPECT_EQ(hw_cr1, FX_CR1_LINUX);
	fx_wr(&f, SMMU_CR1, 0);
	EXPECT_STR(fx_first_reject(&f), "cr1.not_the_fixed_value");
	EXPECT_EQ(fx_rd(&f, SMMU_CR1), 0);
	fx_clear(&f);
	fx_wr(&f, SMMU_CR1, FX_CR1_LINUX);
	EXPECT_EQ(fx_rejects(&f), 0);
	EXPECT_EQ(fx_rd(&f, SMMU_CR1), FX_CR1_LINUX);
	EXPECT_EQ(fx_hw(&f)->cr1, hw_cr1);
	fx_done(&f);
}

static void cr2_refuses_e2h_and_reserved_bits(void)
{
	struct fx f;

	fx_boot(&f);
	fx_wr(&f, SMMU_CR2, CR2_PTM | CR2_RECINVSID);
	EXPECT_EQ(fx_rejects(&f), 0);
	EXPECT_EQ(fx_rd(&f, SMMU_CR2), CR2_PTM | CR2_RECINVSID);
	EXPECT_EQ(fx_hw(&f)->cr2, CR2_PTM | CR2_RECINVSID);
	fx_wr(&f, SMMU_CR2, CR2_E2H);
	EXPECT_STR(fx_first_reject(&f), "cr2.e2h_without_hyp");
	fx_clear(&f);
	fx_wr(&f, SMMU_CR2, 0x80);
	EXPECT_STR(fx_first_reject(&f), "cr2.reserved_bits");
	EXPECT_EQ(fx_rd(&f, SMMU_CR2), CR2_PTM | CR2_RECINVSID);
	fx_done(&f);
}

static void gbpa_reads_abort_and_a_clear_never_completes(void)
{
	struct fx f;
	unsigned i;

	fx_boot(&f);
	EXPECT_EQ(fx_rd(&f, SMMU_GBPA), GBPA_ABORT);
	/* Setting ABORT (what Linux does) completes at once. */
	fx_wr(&f, SMMU_GBPA, GBPA_UPDATE | GBPA_ABORT);
	EXPECT_EQ(fx_rd(&f, SMMU_GBPA), GBPA_ABORT);
	EXPECT_EQ(fx_rejects(&f), 0);
	/* Clearing it: refused, and the update looks stuck forever. */
	fx_wr(&f, SMMU_GBPA, GBPA_UPDATE);
	EXPECT_STR(fx_first_reject(&f), "gbpa.clear_abort");
	for (i = 0; i < 100; i++)
		EXPECT_EQ(fx_rd(&f, SMMU_GBPA), GBPA_UPDATE | GBPA_ABORT);
	EXPECT(fx_hw(&f)->gbpa & GBPA_ABORT);
	/* Without UPDATE a write is architecturally ignored. */
	fx_clear(&f);
	fx_wr(&f, SMMU_GBPA, 0);
	EXPECT_EQ(fx_rejects(&f), 0);
	fx_wr(&f, SMMU_GBPA, GBPA_UPDATE | GBPA_ABORT);
	EXPECT_EQ(fx_rd(&f, SMMU_GBPA), GBPA_ABORT);
	fx_wr(&f, SMMU_GBPA, 0x40000000);
	EXPECT_STR(fx_first_reject(&f), "gbpa.reserved_bits");
	fx_done(&f);
}

static void irq_ctrl_passes_and_msi_config_never_reaches_hardware(void)
{
	struct fx f;
	struct hw_model *m;

	fx_boot_hw(&f, "linear-msi", 1);
	m = fx_hw(&f);
	fx_wr(&f, SMMU_IRQ_CTRL, IRQ_CTRL_GERROR_IRQEN | IRQ_CTRL_EVTQ_IRQEN);
	EXPECT_EQ(fx_rd(&f, SMMU_IRQ_CTRL), IRQ_CTRL_GERROR_IRQEN | IRQ_CTRL_EVTQ_IRQEN);
	EXPECT_EQ(fx_rd(&f, SMMU_IRQ_CTRLACK), IRQ_CTRL_GERROR_IRQEN | IRQ_CTRL_EVTQ_IRQEN);
	fx_wr64(&f, SMMU_GERROR_IRQ_CFG0, WORLD_POOL_BASE);
	fx_wr64(&f, SMMU_EVTQ_IRQ_CFG0, WORLD_POOL_BASE + 0x40);
	fx_wr(&f, SMMU_EVTQ_IRQ_CFG1, 0x1234);
	EXPECT_EQ(fx_rejects(&f), 0);
	EXPECT_EQ(fx_rd64(&f, SMMU_GERROR_IRQ_CFG0), WORLD_POOL_BASE);
	EXPECT_EQ(fx_rd(&f, SMMU_EVTQ_IRQ_CFG1), 0x1234);
	EXPECT_EQ(m->gerror_irq_cfg0, 0);
	EXPECT_EQ(m->evtq_irq_cfg0, 0);
	fx_wr64(&f, SMMU_PRIQ_IRQ_CFG0, 3);
	EXPECT_STR(fx_first_reject(&f), "irq_cfg0.reserved_bits");
	fx_clear(&f);
	fx_wr(&f, SMMU_IRQ_CTRL, 0x10);
	EXPECT_STR(fx_first_reject(&f), "irq_ctrl.reserved_bits");
	fx_done(&f);
}

static void gerrorn_passes_but_the_hypervisor_keeps_cmdq_err(void)
{
	struct fx f;
	struct hw_model *m;

	fx_boot(&f);
	m = fx_hw(&f);
	m->gerror = GERROR_EVTQ_ABT_ERR;	/* the hardware raised an error */
	EXPECT_EQ(fx_rd(&f, SMMU_GERROR), GERROR_EVTQ_ABT_ERR);
	fx_wr(&f, SMMU_GERRORN, GERROR_EVTQ_ABT_ERR | GERROR_CMDQ_ERR);
	EXPECT_EQ(m->gerrorn, GERROR_EVTQ_ABT_ERR);
	EXPECT_EQ(fx_rd(&f, SMMU_GERRORN), GERROR_EVTQ_ABT_ERR | GERROR_CMDQ_ERR);
	/* The host toggled CMDQ_ERR without an error: its view says active. */
	EXPECT_EQ(fx_rd(&f, SMMU_GERROR), GERROR_EVTQ_ABT_ERR);
	EXPECT_EQ(fx_rejects(&f), 0);
	fx_wr(&f, SMMU_GERRORN, 0x2);
	EXPECT_STR(fx_first_reject(&f), "gerrorn.reserved_bits");
	fx_done(&f);
}

static void stream_table_registers_are_fixed_while_enabled(void)
{
	struct fx f;

	fx_boot(&f);
	fx_program_queues(&f, 8);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN | CR0_SMMUEN);
	EXPECT_EQ(fx_rejects(&f), 0);
	fx_wr64(&f, SMMU_STRTAB_BASE, 0x44800000);
	EXPECT_STR(fx_first_reject(&f), "strtab.write_while_enabled");
	EXPECT_EQ(fx_rd64(&f, SMMU_STRTAB_BASE), FX_STRTAB | STRTAB_BASE_RA);
	fx_clear(&f);
	fx_wr(&f, SMMU_STRTAB_BASE_CFG, 0);
	EXPECT_STR(fx_first_reject(&f), "strtab.write_while_enabled");
	/* The host's table is pinned while the SMMU is enabled. */
	EXPECT_EQ(pgs_pins(world_pgstate(f.w, FX_STRTAB)), 1);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN);
	EXPECT_EQ(pgs_pins(world_pgstate(f.w, FX_STRTAB)), 0);
	fx_clear(&f);
	fx_wr64(&f, SMMU_STRTAB_BASE, 0x44800000);
	EXPECT_EQ(fx_rejects(&f), 0);
	fx_wr64(&f, SMMU_STRTAB_BASE, 1ULL << 63);
	EXPECT_STR(fx_first_reject(&f), "strtab_base.reserved_bits");
	fx_done(&f);
}

static void smmuen_checks_the_host_table_against_the_hardware(void)
{
	static const struct {
		uint32_t cfg;
		uint64_t base;
		const char *site;
	} bad[] = {
		{ 0, FX_STRTAB, "strtab.format_differs_from_hw" },
		{ (2U << 16), FX_STRTAB, "strtab.reserved_format" },
		{ (1U << 16) | (6U << 6) | 16, FX_STRTAB, "strtab.split_not_8" },
		{ (1U << 16) | (8U << 6) | 8, FX_STRTAB, "strtab.log2size_out_of_range" },
		{ (1U << 16) | (8U << 6) | 17, FX_STRTAB, "strtab.log2size_too_big" },
		{ (1U << 16) | (8U << 6) | 16, WORLD_POOL_BASE, "strtab.pages_not_host" },
		{ (1U << 16) | (8U << 6) | 16, 0x7ff00000, "strtab.base_not_ram" },
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fx f;

		fx_boot(&f);
		fx_program_queues(&f, 8);
		fx_wr64(&f, SMMU_STRTAB_BASE, bad[i].base);
		fx_wr(&f, SMMU_STRTAB_BASE_CFG, bad[i].cfg);
		fx_wr(&f, SMMU_CR0, CR0_CMDQEN | CR0_SMMUEN);
		EXPECT_STR(fx_first_reject(&f), bad[i].site);
		EXPECT_EQ(fx_rd(&f, SMMU_CR0ACK), CR0_CMDQEN);
		EXPECT_EQ(fx_hw(&f)->cr0 & CR0_SMMUEN, 0);
		fx_done(&f);
	}
}

static void queue_bases_are_refused_while_enabled(void)
{
	struct fx f;

	fx_boot(&f);
	fx_program_queues(&f, 8);
	fx_wr64(&f, SMMU_EVTQ_BASE, FX_EVTQ | 7);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN | CR0_EVTQEN);
	EXPECT_EQ(fx_rejects(&f), 0);
	fx_wr64(&f, SMMU_CMDQ_BASE, FX_CMDQ | 4);
	EXPECT_STR(fx_first_reject(&f), "cmdq_base.write_while_enabled");
	fx_clear(&f);
	fx_wr64(&f, SMMU_EVTQ_BASE, FX_EVTQ | 4);
	EXPECT_STR(fx_first_reject(&f), "evtq_base.write_while_enabled");
	fx_clear(&f);
	fx_wr(&f, SMMU_CMDQ_CONS, 3);
	EXPECT_STR(fx_first_reject(&f), "cmdq_cons.write_while_enabled");
	fx_clear(&f);
	fx_wr64(&f, SMMU_PRIQ_BASE, 1ULL << 60);
	EXPECT_STR(fx_first_reject(&f), "priq_base.reserved_bits");
	EXPECT_EQ(fx_rd64(&f, SMMU_EVTQ_BASE), FX_EVTQ | 7);
	fx_done(&f);
}

static void event_queue_pages_stay_pinned_until_the_hardware_stops(void)
{
	struct fx f;
	struct hw_model *m;

	fx_boot(&f);
	m = fx_hw(&f);
	fx_program_queues(&f, 8);
	fx_wr64(&f, SMMU_EVTQ_BASE, FX_EVTQ | 8);	/* 256 x 32 B = 2 pages */
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN | CR0_EVTQEN);
	EXPECT_EQ(m->evtq_base, FX_EVTQ | 8);
	EXPECT(m->cr0ack & CR0_EVTQEN);
	EXPECT_EQ(pgs_pins(world_pgstate(f.w, FX_EVTQ)), 1);
	EXPECT_EQ(pgs_pins(world_pgstate(f.w, FX_EVTQ + 0x1000)), 1);
	EXPECT_EQ(pgs_pins(world_pgstate(f.w, FX_EVTQ + 0x2000)), 0);
	/* Hardware that has not stopped yet (the core's own wait timed out):
	 * the pages stay pinned until CR0ACK drops EVTQEN. */
	m->timing = HWM_STUCK;
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN);
	EXPECT(fx_rd(&f, SMMU_CR0ACK) & CR0_EVTQEN);
	EXPECT_EQ(pgs_pins(world_pgstate(f.w, FX_EVTQ)), 1);
	fx_wr64(&f, SMMU_EVTQ_BASE, FX_EVTQ | 4);
	EXPECT_STR(fx_first_reject(&f), "evtq_base.write_while_enabled");
	fx_clear(&f);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN | CR0_EVTQEN);
	EXPECT_STR(fx_first_reject(&f), "evtq.enable_while_draining");
	EXPECT_EQ(pgs_pins(world_pgstate(f.w, FX_EVTQ)), 1);
	m->timing = HWM_PROMPT;
	(void)fx_rd(&f, SMMU_CR0ACK);
	EXPECT_EQ(fx_rd(&f, SMMU_CR0ACK) & CR0_EVTQEN, 0);
	EXPECT_EQ(pgs_pins(world_pgstate(f.w, FX_EVTQ)), 0);
	/* Now it may be re-enabled, elsewhere. */
	fx_clear(&f);
	fx_wr64(&f, SMMU_EVTQ_BASE, (FX_EVTQ + 0x10000) | 4);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN | CR0_EVTQEN);
	EXPECT_EQ(fx_rejects(&f), 0);
	EXPECT_EQ(pgs_pins(world_pgstate(f.w, FX_EVTQ + 0x10000)), 1);
	fx_done(&f);
}

static void page1_queue_pointers_reach_the_hardware(void)
{
	struct fx f;

	fx_boot(&f);
	fx_wr64(&f, SMMU_EVTQ_BASE, FX_EVTQ | 8);
	fx_wr(&f, SMMU_PAGE1(SMMU_EVTQ_CONS), 5);
	EXPECT_EQ(fx_hw(&f)->evtq_cons, 5);
	EXPECT_EQ(fx_rd(&f, SMMU_PAGE1(SMMU_EVTQ_CONS)), 5);
	EXPECT_EQ(fx_rd(&f, SMMU_EVTQ_CONS), 5);
	EXPECT_EQ(fx_rejects(&f), 0);
	fx_done(&f);
}

int main(void)
{
	RUN(idr0_hides_stage2_msi_and_hyp);
	RUN(id_registers_pass_or_read_zero_and_refuse_writes);
	RUN(unknown_offsets_and_bad_widths_read_zero_and_are_refused);
	RUN(mmio_table_resolves_each_register_to_itself);
	RUN(cr0_enables_need_valid_queues_and_ack_only_what_is_in_force);
	RUN(cr0ack_lags_with_slow_hardware);
	RUN(cr1_accepts_only_the_fixed_value);
	RUN(cr2_refuses_e2h_and_reserved_bits);
	RUN(gbpa_reads_abort_and_a_clear_never_completes);
	RUN(irq_ctrl_passes_and_msi_config_never_reaches_hardware);
	RUN(gerrorn_passes_but_the_hypervisor_keeps_cmdq_err);
	RUN(stream_table_registers_are_fixed_while_enabled);
	RUN(smmuen_checks_the_host_table_against_the_hardware);
	RUN(queue_bases_are_refused_while_enabled);
	RUN(event_queue_pages_stay_pinned_until_the_hardware_stops);
	RUN(page1_queue_pointers_reach_the_hardware);
	CHECK_DONE();
}
