/* SPDX-License-Identifier: MIT */
/*
 * Isolation oracles: checks of the real (modelled) hardware and the page
 * states against the threat model, independent of the core's own beliefs.
 * What the hardware must hold is derived here from the architecture and
 * from the world's hardware (its ID registers), never asked of the core.
 * A failed check stops the input as a finding (world_stop).
 *
 * The oracle keeps a little state per world (the stage-2 expectation, the
 * stage-2 table pages, the stage-2 TLBI accounting), found by the world's
 * address. Whoever owns a world tells the oracle when it was booted
 * (oracle_world_init) and when each input starts (oracle_input_begin).
 *
 *   boot:       smmu_init_driver ... -> oracle_world_init(w, root)
 *               -> oracle_idmap_full(w) -> (prelude) -> world_snapshot
 *   each input: world_reset -> oracle_input_begin(w) -> ops ... ->
 *               oracle_isolation, oracle_stream_tables, oracle_idmap_changes
 *   during it:  oracle_own_begin/end around every smmu_host_request;
 *               the model's observers: oracle_hw_command, oracle_ste (at a
 *               CFGI_STE), oracle_hw_write; the platform: oracle_s2_publish.
 *   the end:    oracle_world_forget(w) -> world_free(w)
 */
#ifndef SMMUFUZZ_ORACLE_H
#define SMMUFUZZ_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hwmodel.h"
#include "world.h"

/* ---- The hypervisor's stage 2, from the architecture -------------------- */

/*
 * What every translating STE's stage-2 words must say, computed from the
 * world alone: the input size is the smallest OAS of the world's SMMUs
 * (IDR5.OAS), at most 48 bits; a 4 KiB granule; the deepest start level
 * whose table covers it with at most 16 concatenated tables.
 */
struct oracle_s2 {
	unsigned ias;		/* input (and output) size in bits, 32..48 */
	unsigned start;		/* start level, 0..2 */
	unsigned concat_log2;	/* log2 of the concatenated start-level tables */
	unsigned t0sz;		/* 64 - ias */
	unsigned sl0;		/* 4 KiB: 0 = level 2, 1 = level 1, 2 = level 0 */
	unsigned ps;		/* the PS / OAS encoding of ias */
	unsigned min_bbml;	/* smallest IDR3.BBML of the world's SMMUs */
	uint64_t dw2;		/* STE dword 2, every bit of it */
	uint64_t ttb;		/* the one S2TTB; 0 while not known */
};

/* Compute @e from @w's hardware (ttb = 0: the root cannot be derived). */
void oracle_expect_stage2(struct oracle_s2 *e, struct world *w);

/*
 * @w was just booted (or booted again): forget what the oracle knew of it,
 * compute the expectation, and take @s2ttb as the root the hypervisor says
 * its stage 2 has. The claim is checked, not trusted: it must be 4 KiB-
 * and concatenation-aligned hypervisor memory (s2ttb-unaligned,
 * s2ttb-not-hyp-memory), the tree under it is walked now (every table
 * hypervisor memory, every mapping the identity, device space outside the
 * tracked window mapped as a device), and every translating STE must carry
 * exactly it. @s2ttb = 0 makes the oracle learn it from the first
 * translating STE (until then the identity-map audits have no root to
 * walk; the break-before-make oracle stays off). A world the oracle never
 * heard of is treated as if oracle_world_init(w, 0) had been called.
 */
void oracle_world_init(struct world *w, uint64_t s2ttb);

/* @w is about to be freed: drop what the oracle keeps for it (a new world
 * at the same address must not inherit it). */
void oracle_world_forget(struct world *w);

/* The expectation the oracle holds for @w (computing it if needed). */
const struct oracle_s2 *oracle_stage2(struct world *w);

/*
 * An input starts on @w (after world_reset): the stage-2 TLBI accounting
 * restarts from what the hardware queues hold, and the stage-2 table set
 * returns to the snapshot's (the state at the first call after
 * oracle_world_init). The first call also arms the stage-2 TLBI rule
 * (cmd-filter:host-caused-stage2-tlbi) for @w.
 */
void oracle_input_begin(struct world *w);

/*
 * An ownership request (smmu_host_request) — or the take-over, when it runs
 * inside an input — begins / ends on @w. Stage-2 TLBIs of VMID 0 the
 * hardware executes in between are the hypervisor's own; at the end, those
 * still queued in each hardware command queue (between the model's
 * CMDQ_CONS and CMDQ_PROD) may execute later. Any other stage-2 TLBI is
 * cmd-filter:host-caused-stage2-tlbi.
 */
void oracle_own_begin(struct world *w);
void oracle_own_end(struct world *w);

/* ---- The hardware's registers and what it does -------------------------- */

/* After every input: GBPA, CR1, CR2, queue/table bases, MMIO ownership,
 * interrupts and MSI configuration. */
void oracle_isolation(struct world *w);
/* A trapped host read returned @val: the features the host must not see
 * read as absent (oracle_view.c). */
void oracle_host_read(struct world *w, uint32_t off, unsigned size, uint64_t val);

/* A DMA probe reached @res: it may only land in host-owned memory. */
void oracle_dma(struct world *w, const struct hwm_dma_result *res, bool write);

/*
 * SMMU @smmu is about to execute @cmd: it obeys the filter's rules
 * (checked here independently of core/src/cmd.c); a stage-2 TLBI of VMID 0
 * is the hypervisor's only inside an ownership request or while one it left
 * queued is outstanding (see oracle_own_begin).
 */
void oracle_hw_command(struct world *w, unsigned smmu, const uint64_t cmd[2]);

/*
 * SMMU @smmu wrote [pa, pa + len) itself, for reason @why (enum
 * hwm_write_why): the model's dma_write observer, as the write lands. An
 * event record lands only in host pages that are pinned (the host's event
 * queue); an MSI only in host memory.
 */
void oracle_hw_write(struct world *w, unsigned smmu, uint64_t pa, size_t len,
		     unsigned why);

/*
 * One trapped access took the emulated CMDQ_CONS from @before to @after
 * while PROD is @prod, in a queue of 2^@log2 entries: it may only have
 * consumed entries PROD publishes, so it may not pass PROD.
 */
void oracle_cons(struct world *w, uint32_t before, uint32_t after,
		 uint32_t prod, unsigned log2);

/* ---- Stream tables and the identity map --------------------------------- */

/*
 * The STE the hardware uses for @sid on SMMU @smmu (at a CFGI of it, or a
 * probe): every field of all eight dwords against the table of allowed
 * values (oracle_ste.c), the stage-2 words against the expectation.
 */
void oracle_ste(struct world *w, unsigned smmu, uint32_t sid);
/*
 * Every STE of every shadow table, and every shadow L2 pointer: judged
 * whole at the baseline (the snapshot, from oracle_input_begin) and then
 * where an input wrote (the world's dirty record), whole again every 64th
 * input or when the hardware's stream table moved.
 */
void oracle_stream_tables(struct world *w);
void oracle_stream_tables_baseline(struct world *w);

/*
 * The identity map, walked from the expected root as the SMMU would: one
 * page; after an input, each page whose state changed and, where its owner
 * moved (or it is MMIO), every page of its 2 MiB block and the first page
 * of every 2 MiB block of its 1 GiB block; all tracked pages plus the
 * whole tree (tests, and once at boot; it also relearns the table set).
 */
void oracle_idmap_page(struct world *w, uint64_t pa);
void oracle_idmap_changes(struct world *w);
void oracle_idmap_full(struct world *w);

/*
 * The core is publishing descriptor value @new at @pa, which held @old
 * (the platform's plat_dma_publish, one call per 8-byte word). If @pa is a
 * live stage-2 descriptor (in a table page reachable from the root) and a
 * valid descriptor is replaced by a different valid one without the break
 * the architecture requires, that is isolation:s2-break-before-make:
 * a block <-> table change or a table replaced by another while any SMMU
 * lacks IDR3.BBML level 2, or a leaf whose output address, memory type,
 * shareability or contiguous hint changes (on any SMMU: FEAT_BBM relaxes
 * only block-size changes). Tables linked or unlinked are followed.
 */
void oracle_s2_publish(struct world *w, uint64_t pa, uint64_t old, uint64_t new);

/* The STE field table the oracle judges by is audit.c's (audit_ste_field). */

/* ---- Between oracle.c and oracle_ste.c (not for callers) ---------------- */

struct oracle_s2_tree;		/* the live stage-2 table pages (oracle_ste.c) */

#define ORACLE_DT_MEM_MAX	64U

/* What the oracle keeps for one world. */
struct oracle_world {
	struct world *w;
	uint64_t fingerprint;	/* the SMMUs' ID registers, where RAM is backed */
	struct oracle_s2 s2;
	bool armed;		/* the stage-2 TLBI rule applies */
	unsigned own_depth;	/* inside an ownership request */
	uint32_t credit[WORLD_MAX_SMMU];	/* stage-2 TLBIs still queued */
	struct oracle_s2_tree *tree;
	/* Each tracked page's owner in the snapshot (RAM pages, then the MMIO
	 * window), taken at the first oracle_input_begin or, failing that, the
	 * first oracle_idmap_changes; NULL before. */
	uint8_t *owner_snap;
	uint32_t *unknown;	/* indices owner_snap does not know yet */
	uint32_t unknown_count;
	/* The shadow stream tables at the snapshot (oracle_ste.c). */
	struct oracle_st_base *st;
	/* Pages not the host's per tracked 2 MiB block in owner_snap, once it
	 * is complete (oracle_idmap.c); inputs judged incrementally since. */
	uint16_t *nonhost_2m;
	uint32_t idmap_sweep;	/* the next chunk of the live tables to sweep */
	uint32_t idmap_sweep_tick;
	/* RAM as the boot's device tree describes it (oracle_memory.c), when
	 * the tree was edited; the world's RAM otherwise. */
	struct { uint64_t base, end; } dt_mem[ORACLE_DT_MEM_MAX];
	unsigned dt_mem_count;
	bool dt_mem_known, dt_mem_overflow;
};

#define ORACLE_OWNER_UNKNOWN	0xFFU	/* owner_snap: ask the world */
void oracle_take_owners(struct oracle_world *o, bool now_changed);

_Noreturn void oracle_breach(struct world *w, const char *what);
bool oracle_range_owned_by(const struct world *w, uint64_t base, uint64_t size,
			   unsigned owner);
/* @w's state, created (learning the root) if @create; NULL otherwise. */
struct oracle_world *oracle_world_get(struct world *w, bool create);
/* The root is known now: check it once (alignment, hypervisor memory). */
void oracle_check_ttb(struct world *w, const struct oracle_s2 *e);
/* oracle_ste.c: the stage-2 table set, rebuilt by a walk of the whole tree
 * (which checks it), dropped, and returned to the snapshot's. */
void oracle_s2_tree_rebuild(struct oracle_world *o);
void oracle_s2_tree_free(struct oracle_world *o);
void oracle_s2_tree_input_begin(struct oracle_world *o);
void oracle_st_base_free(struct oracle_world *o);
/* oracle_memory.c: learn what the boot's device tree says RAM is; whether
 * @pa must be mapped as Normal memory; whether [base, base + size) is all
 * of one kind. */
void oracle_learn_memory(struct oracle_world *o);
bool oracle_dt_normal_memory(const struct oracle_world *o, uint64_t pa);
static inline bool oracle_normal_memory(const struct oracle_world *o, uint64_t pa)
{
	if (!o->dt_mem_known || o->dt_mem_overflow)
		return world_is_ram(pa);
	return oracle_dt_normal_memory(o, pa);
}
bool oracle_dt_memory_uniform(const struct oracle_world *o, uint64_t base, uint64_t size);
static inline bool oracle_memory_uniform(const struct oracle_world *o, uint64_t base,
					 uint64_t size)
{
	/* The world's RAM and windows are 2 MiB-aligned. */
	return !o->dt_mem_known || o->dt_mem_overflow ||
	       oracle_dt_memory_uniform(o, base, size);
}

#endif /* SMMUFUZZ_ORACLE_H */
