/* SPDX-License-Identifier: MIT */
/*
 * The trap budget (oracle_budget.c): how much work one trapped access may
 * make the hypervisor do, as a bound documented in docs/threat-model.md and
 * computed from the host's own memory, never from the core.
 */
#ifndef SMMUFUZZ_ORACLE_BUDGET_H
#define SMMUFUZZ_ORACLE_BUDGET_H

#include <stdint.h>

#include "world.h"

/* Host bytes one consumed command may make the core read: the command,
 * an L1 descriptor and an STE. */
#define BUDGET_PER_COMMAND	(16U + 8U + 64U)
/* Whole-table reads one trap may make: SMMUEN's and one CFGI_ALL's. */
#define BUDGET_TABLE_READS	2U
#define BUDGET_SLACK		4096U

/*
 * After a trapped access to SMMU @smmu, whose host stream table is the one
 * the world was told of (world_host_strtab): the host bytes the core read in it may not
 * exceed BUDGET_PER_COMMAND per command slot fetched plus
 * BUDGET_TABLE_READS times that table (L1 or linear part and every L2 its
 * valid descriptors name) plus the slack; else `hang:trap-budget`. Where
 * the host's current idea of its table differs (the @count pairs @base/@cfg:
 * written since SMMUEN went on, for the next enable) the larger counts; so does one more L2 table if a racing host changed an
 * L1 descriptor during the trap.
 */
void oracle_trap_budget(struct world *w, unsigned smmu, const uint64_t *base,
			const uint32_t *cfg, unsigned count);

#endif /* SMMUFUZZ_ORACLE_BUDGET_H */
