// SPDX-License-Identifier: MIT
/*
 * The freestanding isolation audit (fuzzers/common/audit.c), which the EL2
 * build runs on QEMU's SMMU, held to the host oracles on the host world: a
 * booted, Linux-reset world passes both; each breach planted in the model
 * or its memory gets the same signature from both; the STE field tables
 * are the same table; the command rules give the oracle's clauses.
 */
#include <setjmp.h>
#include <string.h>

#include "audit.h"
#include "fixture.h"
#include "oracle.h"

static jmp_buf audit_jb;
static char audit_sig[128];

static uint32_t w_reg32(void *ctx, unsigned i, uint32_t off)
{
	const struct hw_model *m = world_smmu(ctx, i);

	switch (off) {
	case SMMU_IDR0: return m->cfg.idr[0];
	case SMMU_IDR1: return m->cfg.idr[1];
	case SMMU_IDR5: return m->cfg.idr[5];
	case SMMU_CR0: return m->cr0;
	case SMMU_CR0ACK: return m->cr0ack;
	case SMMU_CR1: return m->cr1;
	case SMMU_CR2: return m->cr2;
	case SMMU_GBPA: return m->gbpa;
	case SMMU_IRQ_CTRL: return m->irq_ctrl;
	case SMMU_IRQ_CTRLACK: return m->irq_ctrlack;
	case SMMU_STRTAB_BASE_CFG: return m->strtab_base_cfg;
	default:
		CHECK_FAIL("audit read unexpected register 0x%x", off);
		return 0;
	}
}

static uint64_t w_reg64(void *ctx, unsigned i, uint32_t off)
{
	const struct hw_model *m = world_smmu(ctx, i);

	switch (off) {
	case SMMU_STRTAB_BASE: return m->strtab_base;
	case SMMU_CMDQ_BASE: return m->cmdq_base;
	case SMMU_EVTQ_BASE: return m->evtq_base;
	case SMMU_PRIQ_BASE: return m->priq_base;
	case SMMU_GERROR_IRQ_CFG0: return m->gerror_irq_cfg0;
	case SMMU_EVTQ_IRQ_CFG0: return m->evtq_irq_cfg0;
	case SMMU_PRIQ_IRQ_CFG0: return m->priq_irq_cfg0;
	default:
		CHECK_FAIL("audit read unexpected register 0x%x", off);
		return 0;
	}
}

static bool w_mem(void *ctx, uint64_t pa, void *dst, size_t len)
{
	const uint8_t *p = world_ram(ctx, pa, len);

	if (p == NULL)
		return false;
	memcpy(dst, p, len);
	return true;
}

static uint32_t w_pgstate(void *ctx, uint64_t pa)
{
	return world_pgstate(ctx, pa);
}

static void w_breach(void *ctx, const char *sig)
{
	(void)ctx;
	snprintf(audit_sig, sizeof(audit_sig), "%s", sig);
	longjmp(audit_jb, 1);
}

static struct audit_io io_of(struct world *w)
{
	struct audit_io io = {
		.ctx = w, .smmu_count = world_smmu_count(w),
		.reg32 = w_reg32, .reg64 = w_reg64, .mem = w_mem, .pgstate = w_pgstate,
		.ram_base = WORLD_RAM_BASE, .ram_size = WORLD_RAM_SIZE,
		.mmio_base = WORLD_MMIO_BASE, .mmio_size = WORLD_MMIO_SIZE,
		.breach = w_breach,
	};
	unsigned i;

	for (i = 0; i < io.smmu_count; i++)
		io.smmu_base[i] = world_smmu_base(i);
	return io;
}

/* The whole end-of-input audit; its signature, or "" if none. */
static const char *audit_world(struct fx *f)
{
	struct audit_io io = io_of(f->w);
	uint64_t dw2, dw3;
	struct audit_s2 e;

	smmu_stage2_words(&f->hyp, &dw2, &dw3);
	audit_sig[0] = '\0';
	if (setjmp(audit_jb) == 0) {
		audit_expect_stage2(&io, dw3 & STE3_S2TTB_MASK, &e);
		if (e.dw2 != dw2)
			CHECK_FAIL("expected stage 2 0x%llx, the core's 0x%llx",
				   (unsigned long long)e.dw2, (unsigned long long)dw2);
		audit_registers(&io);
		audit_stream_tables(&io, &e);
		audit_idmap(&io, &e);
	}
	return audit_sig;
}

/* The host oracles' end-of-input audit; its signature, or "". */
static const char *oracle_world(struct fx *f)
{
	uint64_t dw2, dw3;

	smmu_stage2_words(&f->hyp, &dw2, &dw3);
	if (FX_EXPECT_STOP(f, {
		oracle_world_init(f->w, dw3 & STE3_S2TTB_MASK);
		oracle_isolation(f->w);
		oracle_stream_tables(f->w);
		oracle_idmap_full(f->w);
	}) == WORLD_RUNNING)
		return "";
	return world_outcome(f->w)->stop_site;
}

static void boot_linux(struct fx *f)
{
	fx_boot(f);
	fx_program_queues(f, 8);
	fx_wr(f, SMMU_CR0, CR0_CMDQEN);
	fx_wr(f, SMMU_CR0, CR0_CMDQEN | CR0_SMMUEN);
	fx_clear(f);
}

static void a_booted_world_passes_both(void)
{
	struct fx f;

	boot_linux(&f);
	EXPECT_STR(audit_world(&f), "");
	EXPECT_STR(oracle_world(&f), "");
	fx_done(&f);
}

/* Plant one breach, then both must name it alike. */
static void both_say(struct fx *f, const char *want)
{
	char a[128];

	snprintf(a, sizeof(a), "%s", audit_world(f));
	if (strcmp(a, want) != 0)
		CHECK_FAIL("audit: expected '%s', got '%s'", want, a);
	if (strcmp(oracle_world(f), want) != 0)
		CHECK_FAIL("oracle: expected '%s', got '%s'", want,
			   world_outcome(f->w)->stop_site);
}

static void gbpa_bypassing_is_the_same_breach(void)
{
	struct fx f;

	boot_linux(&f);
	fx_hw(&f)->gbpa &= ~GBPA_ABORT;
	both_say(&f, "isolation:gbpa-not-abort");
	fx_done(&f);
}

static void a_bad_shadow_ste_field_is_the_same_breach(void)
{
	struct fx f;
	uint64_t pa, *ste;

	boot_linux(&f);
	/* Install a translating STE for SID 0x10 the host's way... */
	ste = (uint64_t *)world_ram(f.w, FX_STRTAB, 8);
	EXPECT(ste != NULL);
	if (!hwm_ste_addr(fx_hw(&f), 0x10, &pa) || world_ram(f.w, pa, 64) == NULL) {
		/* ...the shadow L2 may not exist yet: make the core build it. */
		uint64_t l2 = 0x44100000ULL, desc = l2 | FIELD_PREP(STRTAB_L1_SPAN, 9);
		uint64_t s[2] = { STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_BYPASS),
				  FIELD_PREP(STE1_SHCFG, STE1_SHCFG_INCOMING) };

		EXPECT_EQ(world_host_store(f.w, FX_STRTAB, &desc, 8), 0);
		EXPECT_EQ(world_host_store(f.w, l2 + 0x10 * 64, s, sizeof(s)), 0);
		{
			uint64_t cmd[2] = { CMDQ_OP_CFGI_STE | FIELD_PREP(CMD0_SID, 0x10),
					    CMD1_LEAF };
			uint64_t sync[2] = { CMDQ_OP_CMD_SYNC, 0 };

			EXPECT_EQ(world_host_store(f.w, FX_CMDQ, cmd, 16), 0);
			EXPECT_EQ(world_host_store(f.w, FX_CMDQ + 16, sync, 16), 0);
			fx_wr(&f, SMMU_CMDQ_PROD, 2);
		}
	}
	EXPECT(hwm_ste_addr(fx_hw(&f), 0x10, &pa));
	ste = (uint64_t *)world_ram(f.w, pa, 64);
	EXPECT(ste != NULL && (ste[0] & STE0_V));
	EXPECT_STR(audit_world(&f), "");
	/* ...then break one field of the shadow the hardware walks. */
	ste[1] |= FIELD_PREP(STE1_EATS, 1);
	both_say(&f, "isolation:ste-field-eats");
	fx_done(&f);
}

static void a_host_page_missing_from_the_identity_map_is_the_same_breach(void)
{
	struct fx f;
	uint64_t dw2, dw3, table, d = 0;
	unsigned lvl;
	struct audit_s2 e;
	struct audit_io io;

	boot_linux(&f);
	io = io_of(f.w);
	smmu_stage2_words(&f.hyp, &dw2, &dw3);
	audit_expect_stage2(&io, dw3 & STE3_S2TTB_MASK, &e);
	/* Walk to the leaf of a host data page and clear it. */
	table = e.ttb;
	for (lvl = e.start; lvl <= 3; lvl++) {
		unsigned shift = 12U + 9U * (3U - lvl);
		uint64_t idx = (0x44700000ULL >> shift) & (lvl == e.start ?
			       (1ULL << (e.ias - shift)) - 1U : 511U);
		uint64_t *slot = (uint64_t *)world_ram(f.w, table + idx * 8U, 8);

		if (slot == NULL) {
			CHECK_FAIL("walk left RAM at level %u", lvl);
			break;
		}
		d = *slot;
		if (lvl < 3 && (d & 3U) == 3U) {
			table = d & 0x0000FFFFFFFFF000ULL;
			continue;
		}
		*slot = 0;
		break;
	}
	both_say(&f, "isolation:idmap-misses-host-page");
	fx_done(&f);
}

static void the_ste_field_tables_are_one_table(void)
{
	size_t i;

	EXPECT_EQ(audit_ste_field_count(), oracle_ste_field_count());
	for (i = 0; i < audit_ste_field_count() && i < oracle_ste_field_count(); i++) {
		const struct audit_ste_field *a = audit_ste_field(i);
		const struct oracle_ste_field *o = oracle_ste_field(i);

		if (strcmp(a->name, o->name) != 0 || a->dw != o->dw || a->mask != o->mask ||
		    a->rule_s2 != o->rule_s2 || a->rule_nested != o->rule_nested ||
		    a->value != o->value || a->in_abort != o->in_abort)
			CHECK_FAIL("STE field %zu: audit '%s' differs from oracle '%s'", i,
				   a->name, o->name);
	}
}

static void the_command_rules_are_the_oracles(void)
{
	static const struct { uint64_t dw0, dw1; const char *sig; } cases[] = {
		{ CMDQ_OP_CFGI_STE, 0, "cmd-filter:cfgi-ste-leaf0" },
		{ CMDQ_OP_CFGI_STE, CMD1_LEAF, "" },
		{ CMDQ_OP_CFGI_STE_RANGE, FIELD_PREP(CMD1_RANGE, 30), "cmd-filter:cfgi-range-not-all" },
		{ CMDQ_OP_TLBI_NH_VA | FIELD_PREP(CMD0_VMID, 7), 0, "cmd-filter:tlbi-nh-vmid-not-0" },
		{ CMDQ_OP_TLBI_NH_ALL, 0, "cmd-filter:tlbi-nh-all" },
		{ CMDQ_OP_TLBI_S12_VMALL | FIELD_PREP(CMD0_VMID, 2), 0, "cmd-filter:tlbi-stage2" },
		{ CMDQ_OP_TLBI_S12_VMALL, 0, "cmd-filter:host-caused-stage2-tlbi" },
		{ CMDQ_OP_CMD_SYNC | FIELD_PREP(CMD0_SYNC_CS, 3), 0, "cmd-filter:sync-reserved-cs" },
		{ CMDQ_OP_CMD_SYNC | FIELD_PREP(CMD0_SYNC_CS, 1), 0, "cmd-filter:sync-cs-irq" },
		{ CMDQ_OP_CMD_SYNC, 0x44000000ULL, "cmd-filter:sync-msi-address" },
		{ CMDQ_OP_TLBI_EL2_ALL, 0, "cmd-filter:forbidden-opcode" },
		{ CMDQ_OP_PREFETCH_CFG, 0, "" },
	};
	struct fx f;
	struct audit_io io;
	size_t i;

	fx_boot(&f);
	io = io_of(f.w);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t cmd[2] = { cases[i].dw0, cases[i].dw1 };

		audit_sig[0] = '\0';
		if (setjmp(audit_jb) == 0)
			audit_command(&io, cmd, false);
		if (strcmp(audit_sig, cases[i].sig) != 0)
			CHECK_FAIL("case %zu: expected '%s', got '%s'", i, cases[i].sig, audit_sig);
	}
	/* Inside an ownership request the hypervisor's own stage-2 TLBI passes. */
	{
		uint64_t cmd[2] = { CMDQ_OP_TLBI_S12_VMALL, 0 };

		audit_sig[0] = '\0';
		if (setjmp(audit_jb) == 0)
			audit_command(&io, cmd, true);
		EXPECT_STR(audit_sig, "");
	}
	fx_done(&f);
}

int main(void)
{
	RUN(a_booted_world_passes_both);
	RUN(gbpa_bypassing_is_the_same_breach);
	RUN(a_bad_shadow_ste_field_is_the_same_breach);
	RUN(a_host_page_missing_from_the_identity_map_is_the_same_breach);
	RUN(the_ste_field_tables_are_one_table);
	RUN(the_command_rules_are_the_oracles);
	CHECK_DONE();
}
