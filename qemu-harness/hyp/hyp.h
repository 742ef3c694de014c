/* SPDX-License-Identifier: MIT */
/* The hypervisor image's parts (boot, traps, DMA, verdict) and what they share. */
#ifndef SMMUFUZZ_QEMU_HYP_H
#define SMMUFUZZ_QEMU_HYP_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>
#include "../abi.h"
#include "el2.h"

/* The registers an exception from EL1 saved (start.S). */
struct frame {
	uint64_t x[31];
	uint64_t pad;
};

/* What the device tree says (fdt.c). */
struct hyp_dt {
	uint64_t ram_base, ram_size;		/* the guest's RAM */
	uint64_t smmu_base[SMMU_MAX_DEVS];
	unsigned smmu_count;
	uint64_t ecam_base, ecam_size;		/* PCIe configuration space */
	uint64_t pci_mmio_base, pci_mmio_size;	/* 32-bit memory window */
};

/* The hypervisor: one instance, one CPU. */
struct hyp {
	struct smmu_hyp core;
	struct hyp_dt dt;
	const struct qh_job *job;
	bool verbose;
	bool live;			/* booted: traps go to the core */
	bool input_started;		/* QH_HVC_INPUT_BEGIN seen */
	const uint64_t *agent_trace;	/* the agent's trace hash (QH_HVC_HELLO) */
	const uint32_t *agent_ops;	/* ops the agent executed */
	uint64_t s2ttb;			/* the root the core says its stage 2 has */
	bool own_request[EL2_MAX_CPUS];	/* this CPU is inside an ownership request */
	const struct qh_linux *linux_job;	/* qemu-linux: the host is Linux */
	uint32_t traps;			/* SMMU accesses emulated */
	uint32_t cpu_traps[EL2_MAX_CPUS];	/* and by which CPU */
};

extern struct hyp hyp;

/* fdt.c: read the device tree QEMU placed at the base of RAM; hand the
 * core a copy whose memory is [EL2_RAM_BASE, + ram_size). */
int hyp_dt_read(const void *fdt, struct hyp_dt *dt);
const void *hyp_dt_for_core(const void *fdt, uint64_t ram_size, size_t *size);

/* trap.c: the exceptions from EL1 and from EL2 itself. */
void hyp_trap_el1(struct frame *f, uint64_t kind);
void hyp_exception_el2(struct frame *f, uint64_t kind);

/* verdict.c: the end of an input, after the isolation audit. */
_Noreturn void hyp_finish(void);
_Noreturn void hyp_harness_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* dma.c: a DMA probe through the real SMMU. */
void hyp_dma_init(void);
uint64_t hyp_dma_probe(unsigned flags, uint32_t sid, uint32_t ssid, uint64_t iova,
		       uint32_t index);
/* Probes whose answer was verified, left unverified, refuted. */
void hyp_dma_counts(uint32_t counts[3]);

/* verdict.c: a real transaction reached @pa: only host memory. */
void audit_dma_landing(uint64_t pa, bool write);

/* main.c: the core's boot from QEMU's tree (a refusal is the verdict). */
void hyp_boot_core(void);

/* linux.c: a real Linux kernel as the host (qemu-linux). */
_Noreturn void hyp_linux_main(const struct qh_linux *lj);
/* start.S: where a CPU Linux starts with PSCI CPU_ON begins, x0 = index. */
void hyp_secondary_entry(void);
_Noreturn void hyp_secondary_main(uint64_t cpu);
/* Serialises Linux's SMMU traps while recording (the stream's order is
 * the core's). */
extern struct plat_lock hyp_record_lock;
void hyp_linux_smc(struct frame *f);
void hyp_linux_hvc(struct frame *f);
void hyp_linux_tick(void);
void hyp_linux_foreign_abort(uint64_t ipa, bool write);

/* record.c: what the Linux host did, as an op stream (--record). */
struct rec_stats {
	uint32_t ops, mmio, copies;
	uint32_t unmapped;		/* reads and pointers the layout has no room for */
	bool overflow;
};

void rec_start(void);
bool rec_active(void);
/* Before the core emulates an SMMU access (the driver's shutdown), and
 * after (the access itself). */
void rec_before_mmio(uint32_t off, unsigned size, bool write, uint64_t val);
void rec_mmio(uint32_t off, unsigned size, bool write, uint64_t val);
/* An ownership change of Linux's page @pa (its result a replay observes). */
void rec_own(unsigned action, uint64_t pa);
const struct rec_stats *rec_stats(void);
/* Encode and write the stream to @path on the host; @hash is its bytes'. */
bool rec_write(const char *path, uint64_t *hash);

/* start.S */
void hyp_enter_el1(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

#endif /* SMMUFUZZ_QEMU_HYP_H */
