/* SPDX-License-Identifier: MIT */
/* AArch64 system registers, barriers and device accesses for the EL2 build. */
#ifndef SMMU_EL2_ARCH_H
#define SMMU_EL2_ARCH_H

#include <stdint.h>

#define read_sysreg(r) ({						\
	uint64_t __rv;							\
	__asm__ volatile("mrs %0, " #r : "=r"(__rv));			\
	__rv;								\
})

#define write_sysreg(r, v) do {						\
	uint64_t __wv = (uint64_t)(v);					\
	__asm__ volatile("msr " #r ", %0" : : "r"(__wv));		\
} while (0)

static inline void isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" : : : "memory");
}

static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" : : : "memory");
}

static inline void dsb_ishst(void)
{
	__asm__ volatile("dsb ishst" : : : "memory");
}

static inline void dsb_st(void)
{
	__asm__ volatile("dsb st" : : : "memory");
}

/*
 * Device accesses: one single-copy-atomic load or store of the width,
 * ordered as Linux's readl/writel are: a read completes before later
 * normal-memory reads (DMB OSHLD), earlier normal-memory writes are
 * visible before a write (DMB OSHST).
 */
static inline uint32_t dev_read32(uintptr_t a)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]\n\tdmb oshld" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline uint64_t dev_read64(uintptr_t a)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]\n\tdmb oshld" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void dev_write32(uintptr_t a, uint32_t v)
{
	__asm__ volatile("dmb oshst\n\tstr %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}

static inline void dev_write64(uintptr_t a, uint64_t v)
{
	__asm__ volatile("dmb oshst\n\tstr %0, [%1]" : : "r"(v), "r"(a) : "memory");
}

#endif /* SMMU_EL2_ARCH_H */
