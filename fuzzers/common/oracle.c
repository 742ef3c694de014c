// SPDX-License-Identifier: MIT
/*
 * The isolation audit (design.md §4). It reads the hardware model's
 * registers and the page-state map directly; it never asks the core.
 */
#include <stdio.h>
#include <string.h>

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
	/* A device does not say whether it means memory or a device: the
	 * stage 2 must (seed 003). */
	if (res->s2 && res->memattr != (world_is_ram(res->pa) ? PTE_S2_MEMATTR_WB
							      : PTE_S2_MEMATTR_DEV))
		breach(w, 0, "dma-wrong-memory-type");
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

/* ---- Stream tables and the identity map (issue 4 clauses) ---------------- */

/* A translating STE must carry exactly the hypervisor's stage 2. */
static void check_ste(struct world *w, const uint64_t *ste, uint64_t dw2, uint64_t dw3)
{
	unsigned cfg = (unsigned)FIELD_GET(STE0_CFG, ste[0]);

	if ((ste[0] & STE0_V) == 0 || cfg == STE_CFG_ABORT)
		return;
	if (cfg != STE_CFG_S2_TRANS && cfg != STE_CFG_NESTED)
		breach(w, 0, "ste-without-hyp-stage2");
	if (ste[2] != dw2 || ste[3] != dw3)
		breach(w, 0, "ste-stage2-not-hyp");
}

void oracle_ste(struct world *w, unsigned smmu, uint32_t sid, uint64_t dw2, uint64_t dw3)
{
	uint64_t pa;
	const uint8_t *p;
	uint64_t ste[8];

	if (!hwm_ste_addr(world_smmu(w, smmu), sid, &pa))
		return;
	if (!range_owned_by(w, pa, 64, PGS_OWNER_HYP))
		breach(w, smmu, "ste-not-hyp-memory");
	p = world_ram(w, pa, 64);
	memcpy(ste, p, sizeof(ste));
	check_ste(w, ste, dw2, dw3);
}

void oracle_stream_tables(struct world *w, uint64_t dw2, uint64_t dw3)
{
	unsigned i;

	for (i = 0; i < world_smmu_count(w); i++) {
		struct hw_model *m = world_smmu(w, i);
		uint64_t base = m->strtab_base & STRTAB_BASE_ADDR_MASK;
		unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, m->strtab_base_cfg);
		const uint64_t *l1;
		uint64_t n, k, j;

		if (FIELD_GET(STRTAB_CFG_FMT, m->strtab_base_cfg) != STRTAB_CFG_FMT_2LVL) {
			const uint64_t *t = (const uint64_t *)world_ram(w, base, 64ULL << log2);

			for (k = 0; t != NULL && k < (1ULL << log2); k++)
				check_ste(w, t + k * 8, dw2, dw3);
			continue;
		}
		n = 1ULL << (log2 - FIELD_GET(STRTAB_CFG_SPLIT, m->strtab_base_cfg));
		/* The L1 table in one piece: most of its slots are empty. */
		l1 = (const uint64_t *)world_ram(w, base, n * 8);
		for (k = 0; l1 != NULL && k < n; k++) {
			unsigned span = (unsigned)FIELD_GET(STRTAB_L1_SPAN, l1[k]);
			uint64_t l2, count;
			const uint64_t *t;

			if (span == 0)
				continue;
			count = 1ULL << (span - 1U);
			l2 = l1[k] & STRTAB_L1_L2PTR_MASK;
			/* Every shadow L2 the SMMU may walk is hypervisor memory. */
			if (!range_owned_by(w, l2, count * 64, PGS_OWNER_HYP))
				breach(w, i, "l2-not-hyp-memory");
			t = (const uint64_t *)world_ram(w, l2, count * 64);
			for (j = 0; j < count; j++)
				check_ste(w, t + j * 8, dw2, dw3);
		}
	}
}

/*
 * An independent walk of the identity map (from the STE words, as the SMMU
 * would): the leaf covering @ipa, or 0. Tables must be hypervisor memory
 * and every mapping must be the identity.
 */
static uint64_t s2_leaf(struct world *w, uint64_t dw2, uint64_t dw3, uint64_t ipa)
{
	unsigned ias = 64U - (unsigned)FIELD_GET(STE2_S2T0SZ, dw2);
	unsigned start = 2U - (unsigned)FIELD_GET(STE2_S2SL0, dw2), lvl;
	uint64_t table = dw3 & STE3_S2TTB_MASK;

	if ((ipa >> ias) != 0)
		return 0;
	for (lvl = start; lvl < 4U; lvl++) {
		unsigned shift = 12U + 9U * (3U - lvl);
		uint64_t idx = (ipa >> shift) & (lvl == start ? (1ULL << (ias - shift)) - 1U : 511U);
		const uint64_t *e;
		uint64_t d, size = 1ULL << shift;

		/* The page holding this descriptor (a concatenated root spans
		 * several) and, at the start level, every root page. */
		if (pgs_owner(world_pgstate(w, table + idx * 8)) != PGS_OWNER_HYP ||
		    (lvl == start && !range_owned_by(w, table, 8ULL << (ias - shift),
						     PGS_OWNER_HYP)))
			breach(w, 0, "s2-table-not-hyp-memory");
		e = (const uint64_t *)world_ram(w, table + idx * 8, 8);
		if (e == NULL)
			breach(w, 0, "s2-table-not-hyp-memory");
		d = *e;
		if ((d & PTE_VALID) == 0)
			return 0;
		if (lvl < 3U && (d & PTE_TYPE) != 0) {
			table = d & PTE_ADDR_MASK;
			continue;
		}
		if ((lvl == 3U && (d & PTE_TYPE) == 0) || lvl == 0U)
			return 0;	/* invalid encodings translate nothing */
		if ((d & PTE_ADDR_MASK & ~(size - 1U)) != (ipa & ~(size - 1U)))
			breach(w, 0, "s2-not-identity");
		return d;
	}
	return 0;
}

/* One page: mapped read-write with the right type iff the host owns it. */
void oracle_idmap_page(struct world *w, uint64_t dw2, uint64_t dw3, uint64_t pa)
{
	unsigned ias = 64U - (unsigned)FIELD_GET(STE2_S2T0SZ, dw2);
	uint64_t d;
	bool host;

	if ((pa >> ias) != 0)
		return;
	host = pgs_owner(world_pgstate(w, pa)) == PGS_OWNER_HOST;
	d = s2_leaf(w, dw2, dw3, pa);
	if (!host) {
		if (d != 0)
			breach(w, 0, "idmap-maps-non-host-page");
		return;
	}
	if (d == 0)
		breach(w, 0, "idmap-misses-host-page");
	/* Read and write; without the access flag the first access faults. */
	if ((d & PTE_S2_AP) != PTE_S2_AP || (d & PTE_AF) == 0)
		breach(w, 0, "idmap-wrong-permissions");
	if (FIELD_GET(PTE_S2_MEMATTR, d) != (world_is_ram(pa) ? PTE_S2_MEMATTR_WB
							    : PTE_S2_MEMATTR_DEV))
		breach(w, 0, "idmap-wrong-memory-type");
}

/*
 * After an input: every page whose ownership changed, and pages around it
 * (a split block changes its neighbours' descriptors too).
 */
void oracle_idmap_changes(struct world *w, uint64_t dw2, uint64_t dw3)
{
	uint32_t i, n = world_changed_count(w);
	static const uint64_t around[] = { 0, 0x1000, 0x1FF000, 0x7000 };

	for (i = 0; i < n; i++) {
		uint64_t pa = world_changed_pa(w, i), block = pa & ~0x1FFFFFULL;
		unsigned k;

		oracle_idmap_page(w, dw2, dw3, pa);
		for (k = 0; k < sizeof(around) / sizeof(around[0]); k++)
			oracle_idmap_page(w, dw2, dw3, block + around[k]);
	}
}

/* Every tracked page (RAM and the MMIO window): tests, and once at boot. */
void oracle_idmap_full(struct world *w, uint64_t dw2, uint64_t dw3)
{
	uint64_t p;

	for (p = WORLD_RAM_BASE; p < WORLD_RAM_BASE + WORLD_RAM_SIZE; p += 0x1000)
		oracle_idmap_page(w, dw2, dw3, p);
	for (p = WORLD_MMIO_BASE; p < WORLD_MMIO_BASE + WORLD_MMIO_SIZE; p += 0x1000)
		oracle_idmap_page(w, dw2, dw3, p);
}
