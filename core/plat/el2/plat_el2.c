// SPDX-License-Identifier: MIT
/*
 * The platform interface on real hardware at EL2 (plat.h): the identity
 * map makes hypervisor virtual addresses physical ones, the SMMU is
 * reached with single device accesses, time is the generic timer, locks
 * are exclusives (the EL2 MMU is on, so RAM is normal memory), and the two
 * outcome paths print on the console in the host build's words.
 */
#include <string.h>

#include <smmu/pgstate.h>
#include <smmu/plat.h>
#include "arch.h"
#include "el2.h"

/* What the platform keeps: the input's refusals and the racing host. */
struct el2_plat {
	struct el2_outcome out;
	bool race_armed;
	uint64_t race_pa;
	uint64_t race_value;
	unsigned race_size;
};

static struct el2_plat plat;

static bool is_ram(uint64_t pa)
{
	return pa >= EL2_RAM_BASE && pa - EL2_RAM_BASE < el2_ram_size();
}

/* ---- Hypervisor memory ---------------------------------------------------- */

void *plat_hyp_va(pa_t pa)
{
	uint64_t p = pa_val(pa);

	/* Only the hypervisor's own RAM is ever mapped for the core. */
	if (!is_ram(p) || pgs_owner(plat_pgstate_get(pa)) != PGS_OWNER_HYP)
		plat_panic(SMMU_PANIC_BUG, "hyp-maps-non-hyp-page");
	return (void *)(uintptr_t)p;
}

pa_t plat_hyp_pa(const void *va)
{
	uint64_t p = (uint64_t)(uintptr_t)va;

	if (!is_ram(p))
		plat_panic(SMMU_PANIC_BUG, "hyp-pa-of-foreign-pointer");
	return pa_init(p);
}

uintptr_t plat_mmio_va(pa_t pa)
{
	return (uintptr_t)pa_val(pa);
}

void plat_dma_publish(const void *va, size_t len)
{
	/* The SMMU is coherent (IDR0.COHACC, checked at take-over): a DSB
	 * makes the writes visible to its fetches and walks. */
	(void)va;
	(void)len;
	dsb_ishst();
}

/* ---- Host memory ---------------------------------------------------------- */

int plat_host_copy_in(void *dst, pa_t src, size_t len)
{
	uint64_t pa = pa_val(src);

	if (len == 0)
		return SMMU_OK;
	if (!is_ram(pa) || !is_ram(pa + len - 1U))
		return SMMU_EPERM;
	/* Through the hypervisor's linear (identity) map of RAM. */
	memcpy(dst, (const void *)(uintptr_t)pa, len);
	el2_host_copied(pa, dst, len);
	if (plat.race_armed && pa < plat.race_pa + plat.race_size &&
	    plat.race_pa < pa + len) {
		memcpy((void *)(uintptr_t)plat.race_pa, &plat.race_value, plat.race_size);
		plat.race_armed = false;
	}
	return SMMU_OK;
}

void el2_race_arm(uint64_t pa, uint64_t value, unsigned size)
{
	plat.race_armed = size <= 8U && is_ram(pa) && is_ram(pa + size - 1U);
	plat.race_pa = pa;
	plat.race_value = value;
	plat.race_size = size;
}

/* ---- The real SMMU -------------------------------------------------------- */

uint32_t plat_mmio_read32(uintptr_t va)
{
	return dev_read32(va);
}

void plat_mmio_write32(uintptr_t va, uint32_t val)
{
	el2_smmu_will_write(va, val, 4);
	dev_write32(va, val);
}

void plat_mmio_write64(uintptr_t va, uint64_t val)
{
	el2_smmu_will_write(va, val, 8);
	dev_write64(va, val);
}

void plat_wmb(void)
{
	dsb_st();
}

/* ---- Time ------------------------------------------------------------------ */

uint64_t el2_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t el2_counter_hz(void)
{
	return read_sysreg(cntfrq_el0);
}

uint64_t plat_ticks(void)
{
	return el2_counter();
}

uint64_t plat_ticks_per_us(void)
{
	uint64_t t = el2_counter_hz() / 1000000U;

	return t != 0 ? t : 1U;
}

void plat_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}

/* ---- Locks: exclusives on normal memory ------------------------------------ */

unsigned el2_cpu(void)
{
	return (unsigned)(read_sysreg(mpidr_el1) & 0xFFU);
}

/*
 * A lock word holds its holder's CPU index + 1. A lock this CPU already
 * holds can only be waited for for ever: that is the host build's lock
 * oracle, and a finding here too. One another CPU holds is waited for, a
 * bounded time (a second: a core that keeps a lock that long under a
 * trap is hung, or two CPUs wait for each other).
 */
static uint32_t contended;

uint32_t el2_locks_contended(void)
{
	return __atomic_load_n(&contended, __ATOMIC_RELAXED);
}

void plat_lock(struct plat_lock *lock)
{
	uint32_t me = el2_cpu() + 1U, old, fail;
	uint64_t start = el2_counter(), limit = el2_counter_hz();
	bool waited = false;

	for (;;) {
		__asm__ volatile(
			"	ldaxr	%w0, [%2]\n"
			"	mov	%w1, #1\n"
			"	cbnz	%w0, 1f\n"
			"	stxr	%w1, %w3, [%2]\n"
			"1:\n"
			: "=&r"(old), "=&r"(fail)
			: "r"(&lock->held), "r"(me)
			: "memory");
		if (old == 0 && fail == 0)
			return;
		if (old == me)
			plat_panic(SMMU_PANIC_BUG, "lock-taken-twice");
		if (old != 0 && !waited) {
			waited = true;
			__atomic_fetch_add(&contended, 1U, __ATOMIC_RELAXED);
		}
		if (old != 0 && el2_counter() - start > limit)
			plat_panic(SMMU_PANIC_BUG, "hang:lock-timeout");
		__asm__ volatile("yield" : : : "memory");
	}
}

void plat_unlock(struct plat_lock *lock)
{
	/* Only its holder releases a lock. */
	if (lock->held != el2_cpu() + 1U)
		plat_panic(SMMU_PANIC_BUG, "lock-released-unheld");
	__asm__ volatile("stlr wzr, [%0]" : : "r"(&lock->held) : "memory");
}

bool plat_lock_held(const struct plat_lock *lock)
{
	return __atomic_load_n(&lock->held, __ATOMIC_ACQUIRE) != 0;
}

/* ---- Outcomes ---------------------------------------------------------------- */

static void count_reject(const char *site)
{
	if (plat.out.rejects++ == 0) {
		size_t n = strnlen(site, sizeof(plat.out.first_reject) - 1U);

		memcpy(plat.out.first_reject, site, n);
		plat.out.first_reject[n] = '\0';
	}
}

void plat_reject(const char *site)
{
	count_reject(site);
}

_Noreturn void plat_panic(enum smmu_panic_kind kind, const char *site)
{
	if (kind == SMMU_PANIC_REJECT)
		count_reject(site);
	el2_stop(kind, site);
}

struct el2_outcome *el2_outcome(void)
{
	return &plat.out;
}

void el2_outcome_reset(void)
{
	memset(&plat.out, 0, sizeof(plat.out));
}
