/* SPDX-License-Identifier: MIT */
/*
 * The EL2 platform (plat_el2.c and friends) as the hypervisor image that
 * links it sees it: the machine's layout, the page states backing the host
 * stage 2, the console, the exit through semihosting, and the one hook the
 * image provides (el2_stop, where plat_panic ends).
 *
 * It runs with the EL2 MMU on and an identity map (el2_mmu_on): RAM is
 * normal write-back memory, everything else device memory, so hypervisor
 * virtual addresses are physical addresses.
 */
#ifndef SMMU_EL2_H
#define SMMU_EL2_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <smmu/plat.h>

/* The machine the core manages (the op stream's layout, docs/op-stream.md
 * §2): RAM whose first half is the hypervisor's, and a tracked device
 * window; both page by page in the page-state array. */
#define EL2_RAM_BASE		0x40000000ULL
#define EL2_RAM_SIZE		0x08000000ULL
#define EL2_HYP_SIZE		0x04000000ULL
#define EL2_MMIO_BASE		0x08000000ULL
#define EL2_MMIO_SIZE		0x08000000ULL
#define EL2_PAGE		0x1000ULL
#define EL2_RAM_PAGES		(EL2_RAM_SIZE / EL2_PAGE)
#define EL2_MMIO_PAGES		(EL2_MMIO_SIZE / EL2_PAGE)

/* ---- Bring-up (in this order) ------------------------------------------- */

/* The EL2 stage 1: identity, RAM normal write-back, the rest device. */
void el2_mmu_on(void);

/*
 * Page states from boot (the hypervisor's half of RAM is its own) and the
 * host stage 2 they back: RAM identity-mapped read-write where the host
 * owns it, the tracked device window likewise as device memory, the rest
 * of the device space mapped, and [extra_base, extra_base + extra_size)
 * normal memory outside the core's RAM (the agent's own). Returns the
 * VTTBR_EL2 and VTCR_EL2 values to install.
 */
void el2_host_s2_init(uint64_t extra_base, uint64_t extra_size,
		      uint64_t *vttbr, uint64_t *vtcr);

/* ---- Outcome of the core's refusals --------------------------------------- */

struct el2_outcome {
	uint32_t rejects;		/* plat_reject and fatal refusals */
	char first_reject[64];
};

/* The refusals since the last reset (the input's). */
struct el2_outcome *el2_outcome(void);
void el2_outcome_reset(void);

/*
 * Where plat_panic ends: the image reports the verdict and stops QEMU.
 * The platform has counted a REJECT as a refusal already.
 */
_Noreturn void el2_stop(enum smmu_panic_kind kind, const char *site);

/*
 * Called by the platform right before it writes @val (@size bytes) to the
 * SMMU register at @va: the image audits what the hardware is about to be
 * given (the commands a CMDQ_PROD write publishes).
 */
void el2_smmu_will_write(uintptr_t va, uint64_t val, unsigned size);

/* ---- The racing host (OP_RACE) ------------------------------------------ */

/* After the core's next copy-in overlapping [pa, pa + size), the bytes
 * become @value: what a host on another CPU would do right then. */
void el2_race_arm(uint64_t pa, uint64_t value, unsigned size);

/* ---- Console and exit ----------------------------------------------------- */

void el2_putc(char c);
void el2_puts(const char *s);
/* A small printf: %s %c %d %u %x %lu %lx %llu %llx %%, with 0-padding
 * widths for x (e.g. %016llx). */
void el2_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void el2_vprintf(const char *fmt, va_list ap);

/* Stop QEMU through semihosting SYS_EXIT; QEMU exits with @code. */
_Noreturn void el2_exit(unsigned code);

/* ---- Time ------------------------------------------------------------------ */

uint64_t el2_counter(void);	/* CNTPCT_EL0 */
uint64_t el2_counter_hz(void);	/* CNTFRQ_EL0 */

#endif /* SMMU_EL2_H */
