/* SPDX-License-Identifier: MIT */
/*
 * The world an input describes (op-stream v2): which SMMUs the hypervisor
 * finds, what their ID registers say, what firmware left programmed in them,
 * which architected failures they show, and how the device tree describes
 * them. A base profile (the header byte) gives the starting point; HW and
 * FDT ops anywhere in the input change it before anything boots, so every
 * target fuzzes the hardware as well as the host.
 */
#ifndef SMMUFUZZ_WORLDDESC_H
#define SMMUFUZZ_WORLDDESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opstream.h"
#include "wdfields.h"
#include "world.h"

const char *wd_boot_step_name(unsigned step);
int wd_boot_step_find(const char *name);
const char *wd_fdt_edit_name(unsigned kind);	/* "smmu_base", NULL if none */
int wd_fdt_edit_find(const char *name);

/* A whole world: the SMMUs' configurations and the device-tree edits. */
struct world_desc {
	unsigned profile;		/* base profile from the header */
	unsigned smmu_count;
	struct hwm_config hw[WORLD_MAX_SMMU];
	struct world_fdt_edit fdt_edits[WORLD_FDT_EDITS];
	unsigned fdt_edit_count;
	bool boots_itself;		/* the input has OP_BOOT ops */
	bool modified;			/* some HW or FDT op changed the base */
};

/*
 * The world of @profile as @ops (HW and FDT ops, wherever they are, and
 * only those whose OPBIT is in @op_mask) change it; boots_itself when the
 * mask admits OP_BOOT and an input has one. False if no such profile.
 */
bool wd_build(unsigned profile, const struct op *ops, size_t n,
	      uint32_t op_mask, struct world_desc *d);
/* The world_config that builds it (points into @d). */
void wd_world_config(const struct world_desc *d, struct world_config *cfg);
/* A hash of everything that shapes the booted world. */
uint64_t wd_hash(const struct world_desc *d);

#endif /* SMMUFUZZ_WORLDDESC_H */
