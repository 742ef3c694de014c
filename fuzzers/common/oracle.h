/* SPDX-License-Identifier: MIT */
/*
 * Isolation oracles: checks of the real (modelled) hardware and the page
 * states against the threat model, independent of the core's own beliefs.
 * A failed check stops the input as a finding (world_stop).
 */
#ifndef SMMUFUZZ_ORACLE_H
#define SMMUFUZZ_ORACLE_H

#include "hwmodel.h"
#include "world.h"

/* After every input: GBPA, queue/table bases, MMIO ownership, MSI config. */
void oracle_isolation(struct world *w);

/* A DMA probe reached @res: it may only land in host-owned memory. */
void oracle_dma(struct world *w, const struct hwm_dma_result *res, bool write);

/*
 * The hardware is about to execute @cmd: it obeys the filter's rules
 * (checked here independently of core/src/cmd.c), except that the
 * hypervisor invalidates its own stage 2 (VMID 0) when ownership changes.
 */
void oracle_hw_command(struct world *w, const uint64_t cmd[2]);

/*
 * One trapped access took the emulated CMDQ_CONS from @before to @after
 * while PROD is @prod, in a queue of 2^@log2 entries: it may only have
 * consumed entries PROD publishes, so it may not pass PROD.
 */
void oracle_cons(struct world *w, uint32_t before, uint32_t after,
		 uint32_t prod, unsigned log2);

/*
 * Stream tables and the identity map. @dw2/@dw3 are the stage-2 words every
 * translating STE must carry (smmu_stage2_words); the walks below read the
 * tables themselves, as the SMMU would.
 */
/* The STE the hardware uses for @sid (at a CFGI of it, or a probe). */
void oracle_ste(struct world *w, unsigned smmu, uint32_t sid, uint64_t dw2, uint64_t dw3);
/* Every STE of every shadow table, and every shadow L2 pointer. */
void oracle_stream_tables(struct world *w, uint64_t dw2, uint64_t dw3);
/* The identity map for one page, the pages changed this input, all pages. */
void oracle_idmap_page(struct world *w, uint64_t dw2, uint64_t dw3, uint64_t pa);
void oracle_idmap_changes(struct world *w, uint64_t dw2, uint64_t dw3);
void oracle_idmap_full(struct world *w, uint64_t dw2, uint64_t dw3);

#endif /* SMMUFUZZ_ORACLE_H */
