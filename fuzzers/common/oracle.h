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

#endif /* SMMUFUZZ_ORACLE_H */
