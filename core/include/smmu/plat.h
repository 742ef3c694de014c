/* SPDX-License-Identifier: MIT */
/*
 * The platform interface: the only way the core reaches memory, MMIO, time,
 * locks and the panic path. Exactly one implementation is linked: plat/host
 * (simulated world, hardware model, oracles) or plat/el2 (real hardware).
 */
#ifndef SMMU_PLAT_H
#define SMMU_PLAT_H

#include "types.h"

/* ---- Hypervisor-owned memory ------------------------------------------ */

/** Virtual address of hypervisor-owned RAM at @pa (pool pages). */
void *plat_hyp_va(pa_t pa);

/** Physical address of hypervisor-owned RAM mapped at @va. */
pa_t plat_hyp_pa(const void *va);

/** Device mapping of the MMIO page at @pa (valid once donated to us). */
uintptr_t plat_mmio_va(pa_t pa);

/**
 * Make the core's writes to [va, va + len) visible to the SMMU's fetches and
 * table walks before they are published (a DSB; a cache clean would go here
 * for a non-coherent SMMU). Host builds also note the touched pages, which
 * is what keeps their per-input reset proportional to the input.
 */
void plat_dma_publish(const void *va, size_t len);

/* ---- Host memory ------------------------------------------------------- */

/**
 * Copy @len bytes of host memory at @src into hypervisor memory @dst. This is
 * the only way the core reads anything the host wrote; the caller has made
 * sure the pages are shared with the hypervisor, and it validates the copy,
 * never the original. Returns 0, or SMMU_EPERM if the range is not host RAM.
 */
int plat_host_copy_in(void *dst, pa_t src, size_t len) SMMU_MUST_CHECK;

/* ---- The real SMMU ----------------------------------------------------- */

uint32_t plat_mmio_read32(uintptr_t va);
void plat_mmio_write32(uintptr_t va, uint32_t val);
void plat_mmio_write64(uintptr_t va, uint64_t val);

/** Order normal-memory writes before a following MMIO write (DSB ST). */
void plat_wmb(void);

/* ---- Page-state storage (host stage-2 annotations, see pgstate.h) ------ */

/** Page state of the page containing @pa. Untracked pages read as 0. */
uint32_t plat_pgstate_get(pa_t pa);

/** Store @state for the page containing @pa; SMMU_ERANGE if untracked. */
int plat_pgstate_set(pa_t pa, uint32_t state) SMMU_MUST_CHECK;

/**
 * The first page in [@from, @limit) whose state is not 0 (not plainly the
 * host's), in address order: true with its address in *@found. Used once,
 * to snapshot ownership into the identity map.
 */
bool plat_pgstate_next(pa_t from, pa_t limit, pa_t *found);

/* ---- Time: every poll in the core is bounded with these ---------------- */

/** Monotonic tick count. */
uint64_t plat_ticks(void);

/** Ticks per microsecond (at least 1). */
uint64_t plat_ticks_per_us(void);

/** Pause inside a poll loop (CPU relax / WFE). */
void plat_relax(void);

/* ---- Locks ------------------------------------------------------------- */

struct plat_lock {
	volatile uint32_t held;
};

void plat_lock(struct plat_lock *lock);
void plat_unlock(struct plat_lock *lock);
bool plat_lock_held(const struct plat_lock *lock);

/* ---- Outcomes (see check.h for the macros that use these) -------------- */

enum smmu_panic_kind {
	SMMU_PANIC_REJECT = 1,	/* host input refused by design: DoS, not a bug */
	SMMU_PANIC_BUG = 2,	/* a broken internal invariant: a finding */
};

/**
 * The host asked for something forbidden and the core refused it without
 * stopping (the write is ignored, the command fails architecturally).
 * @site is a stable name such as "cr0.smmuen_without_cmdq".
 */
void plat_reject(const char *site);

/** Stop the hypervisor. @site names the reject site or the failed check. */
_Noreturn void plat_panic(enum smmu_panic_kind kind, const char *site);

#endif /* SMMU_PLAT_H */
