/* SPDX-License-Identifier: MIT */
/*
 * The host's actions, written once: what each op of the op stream makes the
 * host do (register accesses, stores into its own memory, the Linux
 * driver's reset, command-queue handling, polls) and what it observes.
 * Where an action meets the machine it goes through a small backend: the
 * simulated world of the host build (host.c), or real hardware under the
 * QEMU EL1 agent (qemu-harness/agent). Freestanding: no libc, so both
 * builds compile this same file.
 *
 * Everything the host observes is folded into *trace (ops_trace_mix) with
 * the index of the op that observed it; two backends that answer alike
 * give the same trace.
 */
#ifndef SMMUFUZZ_HOSTOPS_H
#define SMMUFUZZ_HOSTOPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opstream.h"

#define HOSTOPS_MAX_SMMU	4U
#define HOSTOPS_POLL_MAX	16U	/* reads a host poll makes before giving up */
#define HOSTOPS_STORE_FAULT	0xFA017ULL	/* observed when a store faults */

/* What the host driver remembers of one SMMU it programmed. */
struct host_smmu {
	uint64_t cmdq_base;
	uint32_t cmdq_prod;		/* the driver's next index */
	uint32_t prod_reg;		/* last value written to CMDQ_PROD */
	uint32_t cmdq_cons_seen;	/* last CONS the host read */
	uint64_t strtab_base;
	uint32_t strtab_cfg;
};

struct hostops;

/* Where the host's actions meet the machine. */
struct hostops_backend {
	/*
	 * One register access of @size bytes (1, 2, 4, 8) at offset @off of
	 * the selected SMMU's 128 KiB window. Returns what a read returns;
	 * for a write, the value as written.
	 */
	uint64_t (*mmio)(struct hostops *h, uint32_t off, unsigned size, bool write,
			 uint64_t val);
	/* A host CPU store / load: 0, or -1 when the host's stage 2 refuses
	 * it (then nothing is written). */
	int (*store)(struct hostops *h, uint64_t pa, const void *src, size_t len);
	int (*load)(struct hostops *h, uint64_t pa, void *dst, size_t len);
	/* An ownership hypercall (enum own_action): true with its result in
	 * *ret; false when there is no hypervisor to ask (nothing observed). */
	bool (*own)(struct hostops *h, unsigned action, uint64_t pa, int *ret);
	/* A DMA probe through the selected SMMU: the value the host observes. */
	uint64_t (*dma)(struct hostops *h, const struct op *op);
	/* A racing host: after the hypervisor's first read of [pa, pa+size)
	 * the bytes become @value (OP_RACE). */
	void (*race)(struct hostops *h, uint64_t pa, uint64_t value, unsigned size);
	/* The hardware's timing (OP_HWMODE). */
	void (*hwmode)(struct hostops *h, unsigned mode, unsigned delay);
	/* The selected SMMU's own ID register @n (the hardware's, not what
	 * the emulation shows; no trap, nothing observed). */
	uint32_t (*idr)(struct hostops *h, unsigned n);
	/* How many SMMUs the machine has (OP_SEL wraps around them). */
	unsigned (*smmu_count)(struct hostops *h);
	/* Told of every observed value after it is folded; may be NULL. */
	void (*observed)(struct hostops *h, uint64_t v);
	/* Whether nothing wrote [pa, pa + len) since the input began (the
	 * world's snapshot); NULL when the backend cannot tell. A shortcut
	 * only: the answer never changes what the host observes. */
	bool (*unwritten)(struct hostops *h, uint64_t pa, size_t len);
};

struct hostops {
	const struct hostops_backend *be;
	void *ctx;			/* the backend's */
	uint64_t *trace;		/* where observations are folded */
	unsigned cur;			/* selected SMMU */
	uint32_t op_index;		/* the op being executed */
	struct host_smmu hs[HOSTOPS_MAX_SMMU];
};

/* Execute one op (OP_HW, OP_FDT and OP_BOOT are the caller's). */
void hostops_exec(struct hostops *h, const struct op *op);

/* The Linux driver's reset of the selected SMMU (OP_RESET). */
void hostops_linux_reset(struct hostops *h, const struct op *op);

/*
 * What every input of a PRELUDE_LINUX target starts from: the Linux
 * driver's reset of each of @smmu_count SMMUs, then every host L2 slot
 * filled with aborting STEs (Linux fills each L2 so when it allocates it;
 * done once here, allocating one later rewrites nothing, so inputs do not
 * pay for 16 KiB of host stores, and their reset, each time). The host
 * build's snapshot and the EL2 agent both start here.
 */
void hostops_prelude_linux(struct hostops *h, unsigned smmu_count);

/* Fold @v into the trace as an observation of the current op. */
void hostops_observe(struct hostops *h, uint64_t v);

/* log2 of the host command queue's entries: the base the host programmed,
 * clamped to what the hardware's IDR1.CMDQS allows. */
unsigned hostops_cmdq_log2(struct hostops *h);

/* Could the Linux driver have produced this op stream (after its reset),
 * on SMMUs whose smallest SIDSIZE is @sid_bits? (The differential.) */
bool hostops_linux_like(const struct op *ops, size_t n, unsigned sid_bits);

#endif /* SMMUFUZZ_HOSTOPS_H */
