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

/*
 * An SMMU's base registers as firmware or the host left them, not the
 * hypervisor: a released SMMU may point where they pointed.
 */
struct boot_left {
	uint64_t cmdq_base;
	uint64_t strtab_base;
};

/* What firmware left in every SMMU of @w (its power-on configuration). */
void boot_left_firmware(struct world *w, struct boot_left left[WORLD_MAX_SMMU]);
/* SMMU @i's base registers now, as the host's: after a write the host made
 * to the hardware itself (while the SMMU is its own). */
void boot_left_now(struct world *w, unsigned i, struct boot_left left[WORLD_MAX_SMMU]);

/* SMMUs the core does not drive are the host's and point at no
 * hypervisor memory but where @left says they pointed (world_stop on a
 * breach). */
void boot_audit_released(struct world *w, const struct smmu_hyp *core,
			 const struct boot_left left[WORLD_MAX_SMMU]);

#endif /* SMMUFUZZ_BOOT_H */
