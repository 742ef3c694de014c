// SPDX-License-Identifier: MIT
/*
 * The isolation audit (design.md §4). It reads the hardware model's
 * registers and the page-state map directly; it never asks the core.
 */
#include <stdio.h>

#include <smmu/pgstate.h>
#include <smmu/regs.h>
#include "oracle.h"

static _Noreturn void breach(struct world *w, unsigned smmu, const char *what)
{
	char sig[96];

	snprintf(sig, sizeof(sig), "isolation:%s", what);
	(void)smmu;
	world_stop(w, WORLD_STOP_ORACLE, sig);
}

/* Every page of [base, base + size) has owner @owner. */
static bool range_owned_by(const struct world *w, uint64_t base, uint64_t size,
			   unsigned owner)
{
	uint64_t p;

	if (size == 0)
		return false;
	for (p = base & ~0xFFFULL; p < base + size; p += 0x1000)
		if (!world_is_ram(p) || pgs_owner(world_pgstate(w, p)) != owner)
			return false;
	return true;
}

/* Every page is host RAM the host can no longer give away. */
static bool range_pinned_host(const struct world *w, uint64_t base, uint64_t size)
{
	uint64_t p;

	for (p = base & ~0xFFFULL; p < base + size; p += 0x1000) {
		uint32_t st = world_pgstate(w, p);

		if (!world_is_ram(p) || pgs_owner(st) != PGS_OWNER_HOST ||
		    pgs_pins(st) == 0)
			return false;
	}
	return true;
}

static uint64_t queue_bytes(uint64_t base, uint32_t log2_max, unsigned dwords)
{
	unsigned log2 = (unsigned)FIELD_GET(Q_BASE_LOG2SIZE, base);

	if (log2 > log2_max)
		log2 = log2_max;
	return ((uint64_t)dwords * 8U) << log2;
}

/* Queue base as the hardware uses it: aligned down to the queue size. */
static uint64_t queue_addr(uint64_t base, uint64_t bytes)
{
	uint64_t align = bytes < 32U ? 32U : bytes;

	return (base & Q_BASE_ADDR_MASK) & ~(align - 1U);
}

static uint64_t strtab_bytes(uint32_t cfg)
{
	unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, cfg);
	unsigned split = (unsigned)FIELD_GET(STRTAB_CFG_SPLIT, cfg);

	if (FIELD_GET(STRTAB_CFG_FMT, cfg) == STRTAB_CFG_FMT_2LVL)
		return log2 > split ? 8ULL << (log2 - split) : 8U;
	return 64ULL << log2;
}

static void audit_smmu(struct world *w, unsigned i)
{
	struct hw_model *m = world_smmu(w, i);
	uint64_t base = world_smmu_base(i), p, bytes;
	uint32_t ack = m->cr0ack | m->cr0;

	/* GBPA must block DMA whenever the SMMU is off. */
	if ((m->gbpa & GBPA_ABORT) == 0)
		breach(w, i, "gbpa-not-abort");
	/* The registers stay the hypervisor's. */
	for (p = base; p < base + WORLD_SMMU_STRIDE; p += 0x1000) {
		uint32_t st = world_pgstate(w, p);

		if (pgs_owner(st) != PGS_OWNER_HYP || (st & PGS_HYP_MAPPED) == 0)
			breach(w, i, "smmu-mmio-not-hyp-owned");
	}
	/* What the SMMU fetches commands and STEs from is hypervisor memory. */
	bytes = queue_bytes(m->cmdq_base, FIELD_GET(IDR1_CMDQS, m->cfg.idr[1]),
			    CMDQ_ENT_DWORDS);
	if (!range_owned_by(w, queue_addr(m->cmdq_base, bytes), bytes, PGS_OWNER_HYP))
		breach(w, i, "hw-cmdq-not-hyp-memory");
	bytes = strtab_bytes(m->strtab_base_cfg);
	if (!range_owned_by(w, m->strtab_base & STRTAB_BASE_ADDR_MASK, bytes,
			    PGS_OWNER_HYP))
		breach(w, i, "hw-strtab-not-hyp-memory");
	/* Queues the SMMU writes into must be pinned host pages. */
	if (ack & CR0_EVTQEN) {
		bytes = queue_bytes(m->evtq_base, FIELD_GET(IDR1_EVTQS, m->cfg.idr[1]),
				    EVTQ_ENT_DWORDS);
		if (!range_pinned_host(w, queue_addr(m->evtq_base, bytes), bytes))
			breach(w, i, "hw-evtq-not-pinned-host-memory");
	}
	if (ack & CR0_PRIQEN) {
		bytes = queue_bytes(m->priq_base, FIELD_GET(IDR1_PRIQS, m->cfg.idr[1]),
				    PRIQ_ENT_DWORDS);
		if (!range_pinned_host(w, queue_addr(m->priq_base, bytes), bytes))
			breach(w, i, "hw-priq-not-pinned-host-memory");
	}
	/* No MSI may target memory: the hypervisor never programs one. */
	if ((m->gerror_irq_cfg0 | m->evtq_irq_cfg0 | m->priq_irq_cfg0) &
	    IRQ_CFG0_ADDR_MASK)
		breach(w, i, "hw-msi-address-programmed");
}

void oracle_isolation(struct world *w)
{
	unsigned i;

	for (i = 0; i < world_smmu_count(w); i++)
		audit_smmu(w, i);
}

void oracle_dma(struct world *w, const struct hwm_dma_result *res, bool write)
{
	uint32_t st;

	if (!res->ok)
		return;
	st = world_pgstate(w, res->pa);
	if (pgs_owner(st) != PGS_OWNER_HOST)
		breach(w, 0, write ? "dma-write-reaches-non-host-page"
				   : "dma-read-reaches-non-host-page");
}

/*
 * The filter's rules, restated from docs/commands.md rather than shared
 * with the core, so that a mistake in one is caught by the other.
 */
static const char *command_breaks_rules(const uint64_t c[2])
{
	unsigned op = (unsigned)(c[0] & 0xFFU);
	unsigned vmid = (unsigned)((c[0] >> 32) & 0xFFFFU);
	unsigned cs = (unsigned)((c[0] >> 12) & 3U);

	switch (op) {
	case 0x01: case 0x02: case 0x05: case 0x06: case 0x30:
	case 0x40: case 0x41: case 0x44: case 0x45:
		return NULL;
	case 0x03:
		return (c[1] & 1U) == 0 ? "cfgi-ste-leaf0" : NULL;
	case 0x04:
		return (c[1] & 0x1FU) != 31U ? "cfgi-range-not-all" : NULL;
	case 0x11: case 0x12: case 0x13:
		return vmid != 0 ? "tlbi-nh-vmid-not-0" : NULL;
	case 0x10:
		return "tlbi-nh-all";
	case 0x28: case 0x2A:
		/* The hypervisor maintains its own stage 2 (VMID 0), possibly
		 * late on slow hardware: harmless, and never the host's. */
		return vmid == 0 ? NULL : "tlbi-stage2";
	case 0x46:
		if (cs == 3U)
			return "sync-reserved-cs";
		if (cs == 1U)
			return "sync-cs-irq";
		return (c[1] & 0x000FFFFFFFFFFFFCULL) != 0 ? "sync-msi-address" : NULL;
	default:
		return "forbidden-opcode";
	}
}

void oracle_hw_command(struct world *w, const uint64_t cmd[2])
{
	const char *why = command_breaks_rules(cmd);
	char sig[96];

	if (why == NULL)
		return;
	snprintf(sig, sizeof(sig), "cmd-filter:%s", why);
	world_stop(w, WORLD_STOP_ORACLE, sig);
}

void oracle_cons(struct world *w, uint32_t before, uint32_t after,
		 uint32_t prod, unsigned log2)
{
	uint32_t mask = (2U << log2) - 1U;
	uint32_t moved = (after - before) & mask, published = (prod - before) & mask;

	if (moved != 0 && (moved > published || published > mask / 2U + 1U))
		world_stop(w, WORLD_STOP_ORACLE, "cmdq:cons-beyond-prod");
}
