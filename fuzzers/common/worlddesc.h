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
#include "world.h"

/* What a HW field writes into (struct wd_field.reg). */
enum wd_reg {
	WD_IDR0 = 0, WD_IDR1, WD_IDR2, WD_IDR3, WD_IDR4, WD_IDR5,
	WD_IIDR, WD_AIDR, WD_GBPA_RESET, WD_FAULTS,
	WD_BOOT_CR0, WD_BOOT_GERROR, WD_BOOT_IRQ_CTRL,
	WD_BOOT_GERROR_IRQ_CFG0, WD_BOOT_EVTQ_IRQ_CFG0, WD_BOOT_PRIQ_IRQ_CFG0,
	WD_BOOT_GERROR_IRQ_CFG1, WD_BOOT_EVTQ_IRQ_CFG1, WD_BOOT_PRIQ_IRQ_CFG1,
	WD_BOOT_STRTAB_BASE, WD_BOOT_STRTAB_CFG,
	WD_BOOT_CMDQ_BASE, WD_BOOT_CMDQ_PROD, WD_BOOT_CMDQ_CONS,
	WD_BOOT_EVTQ_BASE, WD_BOOT_PRIQ_BASE, WD_BOOT_ECMDQ,
	WD_SMMU_COUNT,		/* the world's, not one SMMU's: 1 + value % 4 */
	WD_REG_COUNT,
};

/* One field an OP_HW may set: bits [lsb, lsb + width) of a register. */
struct wd_field {
	const char *name;	/* "SIDSIZE", "BOOT_CR0" */
	uint8_t reg;		/* enum wd_reg */
	uint8_t lsb;
	uint8_t width;		/* 1..32 */
	uint32_t max;		/* largest architectural value */
};

unsigned wd_field_count(void);
const struct wd_field *wd_field(unsigned idx);	/* NULL past the end */
int wd_field_find(const char *name);		/* case-insensitive; -1 */
/* The value an OP_HW's a32 stands for: lenient decoding reduces it so. */
uint32_t wd_field_reduce(unsigned idx, uint32_t value);

/* OP_BOOT steps (a8, reduced modulo BOOT_STEP_COUNT). */
enum boot_step {
	BOOT_SETUP = 0,		/* arg: pool pages (0: all), bit 31 misaligns the base */
	BOOT_REGISTER,		/* arg % 5: the smmuv3 pair, NULL kern, NULL hyp,
				 * mismatched pair, unknown driver id */
	BOOT_INIT,		/* arg: bytes cut off the FDT (0: whole); bit 31: NULL */
	BOOT_REMOVE,
	BOOT_DEPRIVILEGE,
	BOOT_STEP_COUNT,
};
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
