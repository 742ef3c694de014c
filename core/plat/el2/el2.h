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

/* The machine the core manages: RAM from EL2_RAM_BASE whose first
 * EL2_HYP_SIZE bytes are the hypervisor's, and a tracked device window;
 * both page by page in the page-state array. Replaying op streams, RAM is
 * the op stream's layout (docs/op-stream.md §2), EL2_RAM_SIZE; a Linux host
 * (qemu-linux) has all of QEMU's RAM, up to EL2_RAM_MAX. */
#define EL2_RAM_BASE		0x40000000ULL
#define EL2_RAM_SIZE		0x08000000ULL
#define EL2_RAM_MAX		0x20000000ULL
#define EL2_HYP_SIZE		0x04000000ULL
#define EL2_MMIO_BASE		0x08000000ULL
#define EL2_MMIO_SIZE		0x08000000ULL
#define EL2_PAGE		0x1000ULL
#define EL2_RAM_MAX_PAGES	(EL2_RAM_MAX / EL2_PAGE)
#define EL2_MMIO_PAGES		(EL2_MMIO_SIZE / EL2_PAGE)

/* CPUs the platform knows (MPIDR Aff0 0..EL2_MAX_CPUS-1, as on virt). */
#define EL2_MAX_CPUS		4U

/* This CPU's index (MPIDR_EL1.Aff0). */
unsigned el2_cpu(void);

/* Acquisitions of a plat_lock that found it held by another CPU. */
uint32_t el2_locks_contended(void);

/* ---- Bring-up (in this order) ------------------------------------------- */

/* The EL2 stage 1: identity, RAM normal write-back, the rest device. */
void el2_mmu_on(void);
/* The same tables, on a CPU started after the first (el2_mmu_on ran). */
void el2_mmu_on_secondary(void);

/*
 * Page states from boot (the first EL2_HYP_SIZE bytes of RAM are the
 * hypervisor's) for RAM [EL2_RAM_BASE, + ram_size) (at most EL2_RAM_MAX),
 * and the host stage 2 they back: RAM identity-mapped read-write where the
 * host owns it, the tracked device window likewise as device memory, the
 * rest of the device space mapped, and [extra_base, extra_base +
 * extra_size) normal memory outside the core's RAM (the agent's own).
 * Returns the VTTBR_EL2 and VTCR_EL2 values to install.
 */
void el2_host_s2_init(uint64_t ram_size, uint64_t extra_base, uint64_t extra_size,
		      uint64_t *vttbr, uint64_t *vtcr);

/* The RAM the core manages, as el2_host_s2_init was given it. */
uint64_t el2_ram_size(void);

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

/*
 * Called by the platform after each copy of host memory into the core
 * (plat_host_copy_in): @len bytes the core read at @pa, as it read them.
 * The image records them (qemu-linux --record) or ignores them.
 */
void el2_host_copied(uint64_t pa, const void *data, size_t len);

/* ---- Console and exit ----------------------------------------------------- */

void el2_putc(char c);
void el2_puts(const char *s);
/* A small printf: %s %c %d %u %x %lu %lx %llu %llx %%, with 0-padding
 * widths for x (e.g. %016llx). */
void el2_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void el2_vprintf(const char *fmt, va_list ap);

/* Write @len bytes to the host file @path through semihosting (created
 * or truncated); false if QEMU refused. */
bool el2_semihost_write_file(const char *path, const void *data, size_t len);

/* Stop QEMU through semihosting SYS_EXIT; QEMU exits with @code. */
_Noreturn void el2_exit(unsigned code);

/* ---- Time ------------------------------------------------------------------ */

uint64_t el2_counter(void);	/* CNTPCT_EL0 */
uint64_t el2_counter_hz(void);	/* CNTFRQ_EL0 */

#endif /* SMMU_EL2_H */
