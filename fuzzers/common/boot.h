/* SPDX-License-Identifier: MIT */
/* Booting the core on a world (boot.c): the standard boot and OP_BOOT steps. */
#ifndef SMMUFUZZ_BOOT_H
#define SMMUFUZZ_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include <smmu/state.h>
#include "world.h"

/*
 * Setup, register, init from @w's device tree, de-privilege. Returns 0 or
 * the first error, with its stable name ("boot.init.enodev") in @site.
 */
int boot_default(struct smmu_hyp *core, struct world *w, char *site, size_t cap);

/* One OP_BOOT step (enum boot_step) with its argument; the core's result. */
int boot_step(struct smmu_hyp *core, struct world *w, unsigned step, uint32_t arg);

/* SMMUs the core does not drive are the host's and point at no
 * hypervisor memory (world_stop on a breach). */
void boot_audit_released(struct world *w, const struct smmu_hyp *core);

#endif /* SMMUFUZZ_BOOT_H */
