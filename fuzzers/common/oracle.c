// SPDX-License-Identifier: MIT
/*
 * The isolation audit (design.md §4). It reads the hardware model's
 * registers and memory and the page-state map directly; it never asks the
 * core. What the hardware must hold is stated here from the architecture
 * (Arm IHI 0070) and docs/threat-model.md: register fields are restated
 * below rather than taken from the core's regs.h, so that a wrong mask
 * there cannot hide a wrong value. Stream tables and the identity map are
 * in oracle_ste.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smmu/pgstate.h>
#include <smmu/regs.h>
#include "audit.h"
#include "arch_fields.h"
#include "oracle.h"


_Noreturn void oracle_breach(struct world *w, const char *what)
{
	char sig[96];

	snprintf(sig, sizeof(sig), "isolation:%s", what);
	world_stop(w, WORLD_STOP_ORACLE, sig);
}

static _Noreturn void breach_fmt(struct world *w, const char *a, const char *b)
{
	char what[80];

	snprintf(what, sizeof(what), "%s%s", a, b);
	oracle_breach(w, what);
}

/* Every page of [base, base + size) is RAM with owner @owner. */
bool oracle_range_owned_by(const struct world *w, uint64_t base, uint64_t size,
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

/* ---- Per-world state ------------------------------------------------------ */

/* More than the harness caches (CACHE_SLOTS, 256: it forgets a world it
 * evicts), so a cached world keeps what its oracles learnt: rebuilding it
 * (every page's owner, the stage-2 tree) was a third of a grown corpus's
 * time when 64 states served hundreds of worlds. */
#define WORLDS_MAX	320U

static _Thread_local struct oracle_world *worlds[WORLDS_MAX];
static _Thread_local unsigned worlds_next;
static _Thread_local struct oracle_world *worlds_last;

/* What tells one world from another at the same address. */
static uint64_t fingerprint(struct world *w)
{
	return world_epoch(w);
}

void oracle_expect_stage2(struct oracle_s2 *e, struct world *w)
{
	static const unsigned char oas_bits[8] = { 32, 36, 40, 42, 44, 48, 52, 56 };
	unsigned i, lvl, bits = 0;

	memset(e, 0, sizeof(*e));
	e->ias = 48;
	e->min_bbml = 3;
	for (i = 0; i < world_smmu_count(w); i++) {
		const struct hw_model *m = world_smmu(w, i);
		unsigned oas = oas_bits[A_IDR5_OAS(m->cfg.idr[5])];

		/* Only the SMMUs the hypervisor can know of shape its stage 2. */
		if (!world_smmu_audited(w, i))
			continue;
		if (oas < e->ias)
			e->ias = oas;
		if (A_IDR3_BBML(m->cfg.idr[3]) < e->min_bbml)
			e->min_bbml = A_IDR3_BBML(m->cfg.idr[3]);
	}
	if (e->min_bbml == 3)
		e->min_bbml = 0;	/* no SMMU (or BBML reserved): assume none */
	/* Deepest start level (2, 1, 0) whose table(s) cover IAS with at most
	 * 16 concatenated: the level resolves ias - shift bits, 9 a table. */
	for (lvl = 2; lvl <= 2; lvl--) {
		unsigned shift = 12U + 9U * (3U - lvl);

		bits = e->ias - shift;
		if (e->ias > shift && bits <= 9U + 4U)
			break;
	}
	e->start = lvl;
	e->concat_log2 = bits > 9U ? bits - 9U : 0U;
	e->t0sz = 64U - e->ias;
	e->sl0 = 2U - lvl;
	for (e->ps = 0; e->ps < 5U && oas_bits[e->ps] < e->ias; e->ps++)
		;
	/*
	 * STE dword 2: S2VMID 0 [15:0], S2T0SZ [37:32], S2SL0 [39:38],
	 * S2IR0 = S2OR0 = 0b01 write-back [41:40] [43:42], S2SH0 = 0b11 inner
	 * shareable [45:44], S2TG = 0b00 4 KiB [47:46], S2PS [50:48],
	 * S2AA64 = 1 (51), S2PTW = 1 (54), S2R = 1 (58: faults recorded);
	 * S2ENDI, S2AFFD, S2HD, S2HA, S2S and everything else zero.
	 */
	e->dw2 = ((uint64_t)e->t0sz << 32) | ((uint64_t)e->sl0 << 38) |
		 (1ULL << 40) | (1ULL << 42) | (3ULL << 44) | (0ULL << 46) |
		 ((uint64_t)e->ps << 48) | (1ULL << 51) | (1ULL << 54) | (1ULL << 58);
}

void oracle_check_ttb(struct world *w, const struct oracle_s2 *e)
{
	uint64_t bytes = 0x1000ULL << e->concat_log2;

	if ((e->ttb & (bytes - 1U)) != 0)
		oracle_breach(w, "s2ttb-unaligned");
	if (!oracle_range_owned_by(w, e->ttb, bytes, PGS_OWNER_HYP) ||
	    world_ram(w, e->ttb, (size_t)bytes) == NULL)
		oracle_breach(w, "s2ttb-not-hyp-memory");
}

static void world_forget(struct oracle_world *o)
{
	oracle_s2_tree_free(o);
	oracle_st_base_free(o);
	free(o->owner_snap);
	free(o->nonhost_2m);
	free(o->unknown);
	free(o);
}

static struct oracle_world *world_slot(struct world *w)
{
	unsigned i;

	if (worlds_last != NULL && worlds_last->w == w)
		return worlds_last;
	for (i = 0; i < WORLDS_MAX; i++)
		if (worlds[i] != NULL && worlds[i]->w == w)
			return worlds_last = worlds[i];
	return NULL;
}

/* A fresh state for @w: the expectation, nothing learnt yet. */
static struct oracle_world *world_fresh(struct world *w)
{
	struct oracle_world *o = world_slot(w);
	unsigned i;

	if (o == NULL) {
		o = calloc(1, sizeof(*o));
		if (o == NULL) {
			fprintf(stderr, "smmufuzz: out of memory (oracle)\n");
			exit(2);
		}
		for (i = 0; i < WORLDS_MAX && worlds[i] != NULL; i++)
			;
		if (i == WORLDS_MAX) {
			i = worlds_next++ % WORLDS_MAX;
			world_forget(worlds[i]);
		}
		worlds[i] = o;
	} else {
		oracle_s2_tree_free(o);
		oracle_st_base_free(o);
		free(o->owner_snap);
		free(o->nonhost_2m);
		free(o->unknown);
		memset(o, 0, sizeof(*o));
	}
	o->w = w;
	o->fingerprint = fingerprint(w);
	oracle_expect_stage2(&o->s2, w);
	oracle_learn_memory(o);
	return worlds_last = o;
}

struct oracle_world *oracle_world_get(struct world *w, bool create)
{
	struct oracle_world *o = world_slot(w);

	if (!create)
		return o;
	/* Another world at the same address, or other hardware: start over. */
	if (o == NULL || o->fingerprint != fingerprint(w))
		o = world_fresh(w);
	return o;
}

void oracle_world_init(struct world *w, uint64_t s2ttb)
{
	struct oracle_world *o = world_fresh(w);

	if (s2ttb == 0)
		return;
	o->s2.ttb = s2ttb;
	oracle_check_ttb(w, &o->s2);
	oracle_s2_tree_rebuild(o);
}

void oracle_world_forget(struct world *w)
{
	unsigned i;

	for (i = 0; i < WORLDS_MAX; i++) {
		if (worlds[i] != NULL && worlds[i]->w == w) {
			world_forget(worlds[i]);
			worlds[i] = NULL;
		}
	}
	worlds_last = NULL;
}

const struct oracle_s2 *oracle_stage2(struct world *w)
{
	return &oracle_world_get(w, true)->s2;
}

/* ---- Stage-2 TLBI accounting ---------------------------------------------- */

/* The stage-2 TLBIs of VMID 0 queued in SMMU @i's command queue, between
 * the hardware's CONS and PROD (read from the queue's memory). */
static uint32_t queued_stage2_tlbis(struct world *w, unsigned i)
{
	struct hw_model *m = world_smmu(w, i);
	unsigned log2 = (unsigned)FIELD_GET(Q_BASE_LOG2SIZE, m->cmdq_base);
	unsigned max = A_IDR1_CMDQS(m->cfg.idr[1]);
	uint64_t bytes, base;
	uint32_t ptr_mask, idx_mask, c, prod, n = 0, k;

	if (log2 > max)
		log2 = max;
	if (log2 > 19U)
		log2 = 19U;
	bytes = 16ULL << log2;
	base = (m->cmdq_base & Q_BASE_ADDR_MASK) & ~((bytes < 32U ? 32U : bytes) - 1U);
	idx_mask = (1U << log2) - 1U;
	ptr_mask = (2U << log2) - 1U;
	prod = m->cmdq_prod & ptr_mask;
	for (c = m->cmdq_cons & ptr_mask, k = 0; c != prod && k <= idx_mask;
	     c = (c + 1U) & ptr_mask, k++) {
		const uint64_t *e = (const uint64_t *)world_ram(w, base + (uint64_t)(c & idx_mask) * 16U, 16);

		if (e != NULL && (A_CMD_OP(e) == A_OP_TLBI_S12_VMALL ||
				  A_CMD_OP(e) == A_OP_TLBI_S2_IPA) && A_CMD_VMID(e) == 0)
			n++;
	}
	return n;
}

static void recount(struct oracle_world *o)
{
	unsigned i;

	for (i = 0; i < world_smmu_count(o->w) && i < WORLD_MAX_SMMU; i++)
		o->credit[i] = queued_stage2_tlbis(o->w, i);
}

/*
 * The owner of every tracked page as the snapshot has it. With @now_changed
 * it is taken after the input began: a page in the world's journal may
 * differ from the snapshot and is marked unknown (asked of the world).
 */
void oracle_take_owners(struct oracle_world *o, bool now_changed)
{
	uint64_t n = (WORLD_RAM_SIZE + WORLD_MMIO_SIZE) / 0x1000, i;
	uint32_t k;

	if (o->owner_snap == NULL)
		o->owner_snap = malloc(n);
	free(o->nonhost_2m);		/* counted again from the new owners */
	o->nonhost_2m = NULL;
	if (o->owner_snap == NULL) {
		fprintf(stderr, "smmufuzz: out of memory (oracle)\n");
		exit(2);
	}
	for (i = 0; i < n; i++) {
		uint64_t pa = i < WORLD_RAM_SIZE / 0x1000
			      ? WORLD_RAM_BASE + i * 0x1000
			      : WORLD_MMIO_BASE + (i - WORLD_RAM_SIZE / 0x1000) * 0x1000;

		o->owner_snap[i] = (uint8_t)pgs_owner(world_pgstate(o->w, pa));
	}
	free(o->unknown);
	o->unknown = NULL;
	o->unknown_count = 0;
	if (!now_changed || world_changed_count(o->w) == 0)
		return;
	o->unknown = malloc(world_changed_count(o->w) * sizeof(*o->unknown));
	if (o->unknown == NULL) {
		fprintf(stderr, "smmufuzz: out of memory (oracle)\n");
		exit(2);
	}
	for (k = 0; k < world_changed_count(o->w); k++) {
		uint64_t pa = world_changed_pa(o->w, k);

		i = world_is_ram(pa) ? (pa - WORLD_RAM_BASE) / 0x1000
				     : WORLD_RAM_SIZE / 0x1000 + (pa - WORLD_MMIO_BASE) / 0x1000;
		o->owner_snap[i] = ORACLE_OWNER_UNKNOWN;
		o->unknown[o->unknown_count++] = (uint32_t)i;
	}
}

void oracle_input_begin(struct world *w)
{
	struct oracle_world *o = oracle_world_get(w, true);

	if (o->owner_snap == NULL)
		oracle_take_owners(o, false);

	o->armed = true;
	o->own_depth = 0;
	recount(o);
	oracle_s2_tree_input_begin(o);
	/* The world is the snapshot now: the stream tables' baseline. */
	if (o->st == NULL)
		oracle_stream_tables_baseline(w);
}

void oracle_own_begin(struct world *w)
{
	oracle_world_get(w, true)->own_depth++;
}

void oracle_own_end(struct world *w)
{
	struct oracle_world *o = oracle_world_get(w, true);

	if (o->own_depth > 0)
		o->own_depth--;
	if (o->own_depth == 0)
		recount(o);
}

/* ---- The hardware's registers ---------------------------------------------- */

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


/*
 * Interrupts: with IDR0.MSI, an enabled interrupt whose IRQ_CFG0 holds an
 * address is an MSI — a DMA write no STE controls. The hypervisor gives
 * the hardware no MSI address at all (it keeps the host's for read-back).
 */
static void audit_irq(struct world *w, const struct hw_model *m)
{
	static const char *const names[3] = { "gerror", "evtq", "priq" };
	const uint64_t cfg0[3] = { m->gerror_irq_cfg0, m->evtq_irq_cfg0, m->priq_irq_cfg0 };
	static const uint32_t en[3] = { A_IRQ_GERROR, A_IRQ_EVTQ, A_IRQ_PRIQ };
	uint32_t enabled = m->irq_ctrl | m->irq_ctrlack;
	unsigned q;

	for (q = 0; q < 3; q++) {
		if ((cfg0[q] & A_IRQ_CFG0_ADDR) == 0)
			continue;
		if ((m->cfg.idr[0] & A_IDR0_MSI) && (enabled & en[q]))
			breach_fmt(w, "hw-msi-live-", names[q]);
		breach_fmt(w, "hw-msi-address-programmed-", names[q]);
	}
}

static void audit_smmu(struct world *w, unsigned i)
{
	struct hw_model *m = world_smmu(w, i);
	uint64_t base = world_smmu_base(i), p, bytes;
	uint32_t ack = m->cr0ack | m->cr0;

	/* GBPA must block DMA whenever the SMMU is off... */
	if ((m->gbpa & GBPA_ABORT) == 0)
		oracle_breach(w, "gbpa-not-abort");
	/* ...and must never have let it through since power-on: the model
	 * counts each time SMMUEN went off while GBPA bypassed, or GBPA
	 * stopped aborting while SMMUEN was off (a window, however short). */
	if (m->bypass_opened != 0)
		oracle_breach(w, "bypass-window-opened");
	/* The registers stay the hypervisor's. */
	for (p = base; p < base + WORLD_SMMU_STRIDE; p += 0x1000) {
		uint32_t st = world_pgstate(w, p);

		if (pgs_owner(st) != PGS_OWNER_HYP || (st & PGS_HYP_MAPPED) == 0)
			oracle_breach(w, "smmu-mmio-not-hyp-owned");
	}
	/* Table and queue walks: the fixed attributes, nothing reserved. */
	if (m->cr1 & A_CR1_RES0)
		oracle_breach(w, "hw-cr1-reserved");
	if (m->cr1 != A_CR1_FIXED)
		oracle_breach(w, "hw-cr1-not-fixed");
	/* No EL2 streams (IDR0.HYP is hidden from the host). */
	if (m->cr2 & A_CR2_E2H)
		oracle_breach(w, "hw-cr2-e2h");
	if (m->cr2 & A_CR2_RES0)
		oracle_breach(w, "hw-cr2-reserved");
	/* What the SMMU fetches commands and STEs from is hypervisor memory. */
	bytes = audit_queue_bytes(m->cmdq_base, FIELD_GET(IDR1_CMDQS, m->cfg.idr[1]),
			    CMDQ_ENT_DWORDS);
	if (!oracle_range_owned_by(w, audit_queue_addr(m->cmdq_base, bytes), bytes, PGS_OWNER_HYP))
		oracle_breach(w, "hw-cmdq-not-hyp-memory");
	bytes = audit_strtab_bytes(m->strtab_base_cfg);
	if (!oracle_range_owned_by(w, m->strtab_base & STRTAB_BASE_ADDR_MASK, bytes,
				   PGS_OWNER_HYP))
		oracle_breach(w, "hw-strtab-not-hyp-memory");
	/* Queues the SMMU writes into must be pinned host pages. */
	if (ack & CR0_EVTQEN) {
		bytes = audit_queue_bytes(m->evtq_base, FIELD_GET(IDR1_EVTQS, m->cfg.idr[1]),
				    EVTQ_ENT_DWORDS);
		if (!range_pinned_host(w, audit_queue_addr(m->evtq_base, bytes), bytes))
			oracle_breach(w, "hw-evtq-not-pinned-host-memory");
	}
	if (ack & CR0_PRIQEN) {
		bytes = audit_queue_bytes(m->priq_base, FIELD_GET(IDR1_PRIQS, m->cfg.idr[1]),
				    PRIQ_ENT_DWORDS);
		if (!range_pinned_host(w, audit_queue_addr(m->priq_base, bytes), bytes))
			oracle_breach(w, "hw-priq-not-pinned-host-memory");
	}
	audit_irq(w, m);
}

void oracle_isolation(struct world *w)
{
	unsigned i;

	/* An SMMU the device tree hides (fuzz_boot) is the host's. */
	for (i = 0; i < world_smmu_count(w); i++)
		if (world_smmu_audited(w, i))
			audit_smmu(w, i);
}

void oracle_dma(struct world *w, const struct hwm_dma_result *res, bool write)
{
	uint32_t st;

	if (!res->ok)
		return;
	st = world_pgstate(w, res->pa);
	if (pgs_owner(st) != PGS_OWNER_HOST)
		oracle_breach(w, write ? "dma-write-reaches-non-host-page"
				       : "dma-read-reaches-non-host-page");
	/* A device does not say whether it means memory or a device: the
	 * stage 2 must (seed 003). */
	if (res->s2 && res->memattr != (oracle_normal_memory(oracle_world_get(w, true), res->pa)
					? PTE_S2_MEMATTR_WB : PTE_S2_MEMATTR_DEV))
		oracle_breach(w, "dma-wrong-memory-type");
}

/* ---- What the hardware writes ---------------------------------------------- */

void oracle_hw_write(struct world *w, unsigned smmu, uint64_t pa, size_t len,
		     unsigned why)
{
	const char *kind;
	uint64_t p;

	(void)smmu;
	switch (why) {
	case HWM_WRITE_EVENT:
		kind = "hw-write-event-";
		break;
	case HWM_WRITE_MSI_SYNC:
		kind = "hw-write-msi-sync-";
		break;
	case HWM_WRITE_MSI_IRQ:
		kind = "hw-write-msi-irq-";
		break;
	default:
		oracle_breach(w, "hw-write-unknown");
	}
	for (p = pa & ~0xFFFULL; p < pa + (len ? len : 1U); p += 0x1000) {
		uint32_t st = world_pgstate(w, p);

		switch (pgs_owner(st)) {
		case PGS_OWNER_HOST:
			break;
		case PGS_OWNER_HYP:
			breach_fmt(w, kind, "hyp-page");
		case PGS_OWNER_GUEST:
			breach_fmt(w, kind, "guest-page");
		default:
			breach_fmt(w, kind, "foreign-page");
		}
		/* An event lands in the host's event queue: pages the host
		 * cannot give away while the SMMU may write them. */
		if (why == HWM_WRITE_EVENT && (!world_is_ram(p) || pgs_pins(st) == 0))
			breach_fmt(w, kind, "unpinned-page");
	}
}

/* ---- Commands ---------------------------------------------------------------- */

/* The filter's rules are audit.c's (audit_command_rule), the EL2 build's
 * too: restated from docs/commands.md, never shared with the core. */

/*
 * A stage-2 TLBI of VMID 0 is the hypervisor's own only when an ownership
 * change asked for it: executed inside a request, or one a request left
 * queued. The host has no stage 2 to invalidate (IDR0.S2P is hidden).
 */
static const char *stage2_tlbi_not_the_hypervisors(struct world *w, unsigned smmu)
{
	struct oracle_world *o = oracle_world_get(w, false);

	if (o == NULL || !o->armed || o->own_depth > 0 || smmu >= WORLD_MAX_SMMU)
		return NULL;
	if (o->credit[smmu] > 0) {
		o->credit[smmu]--;
		return NULL;
	}
	return "host-caused-stage2-tlbi";
}

void oracle_hw_command(struct world *w, unsigned smmu, const uint64_t cmd[2])
{
	const char *why = audit_command_rule(cmd);
	char sig[96];

	if (why == NULL && (A_CMD_OP(cmd) == A_OP_TLBI_S12_VMALL ||
			    A_CMD_OP(cmd) == A_OP_TLBI_S2_IPA))
		why = stage2_tlbi_not_the_hypervisors(w, smmu);
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
