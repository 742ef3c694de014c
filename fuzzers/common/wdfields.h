/* SPDX-License-Identifier: MIT */
/*
 * The tables of the op stream's world ops that decoding needs (the HW
 * field table, the BOOT steps, the counts that bound FDT and HW fields),
 * freestanding so that the QEMU agent decodes with the very same code as
 * the fuzzers. worlddesc.h builds worlds from them.
 */
#ifndef SMMUFUZZ_WDFIELDS_H
#define SMMUFUZZ_WDFIELDS_H

#include <stdbool.h>
#include <stdint.h>

#define WD_MAX_SMMU		4U	/* WORLD_MAX_SMMU */
#define WD_FDT_EDIT_COUNT	17U	/* FDT_EDIT_COUNT */
#define WD_FAULTS_MAX		0x3FU	/* HWM_FAULT_MASK */

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
/* Case-insensitive equality of two names (the tables' lookups). */
bool wd_name_eq(const char *a, const char *b);

#endif /* SMMUFUZZ_WDFIELDS_H */
