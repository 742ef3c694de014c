// SPDX-License-Identifier: MIT
/*
 * The EL2 stage 1: an identity map with 1 GiB blocks, [1 GiB, 2 GiB)
 * (where RAM is) normal write-back memory, everything else device memory.
 * With it on, RAM accesses may be unaligned or use SIMD registers (libfdt
 * was built that way) and exclusives work for the locks.
 */
#include "arch.h"
#include "el2.h"

/* MAIR_EL2: attribute 0 Device-nGnRnE, 1 Normal write-back, 2 Device-nGnRE. */
#define MAIR_DEV_NGNRNE		0x00ULL
#define MAIR_NORMAL_WB		0xFFULL
#define MAIR_DEV_NGNRE		0x04ULL
#define ATTR_NORMAL		1U
#define ATTR_DEVICE		2U

#define PTE_BLOCK		1ULL
#define PTE_ATTRIDX(i)		((uint64_t)(i) << 2)
#define PTE_SH_IS		(3ULL << 8)
#define PTE_AF			(1ULL << 10)
#define PTE_XN			(1ULL << 54)

/* TCR_EL2 (E2H = 0): T0SZ 25 (39-bit VA), walks write-back inner
 * shareable, TG0 4 KiB, PS 40 bits, RES1 bits 31 and 23. */
#define TCR_T0SZ		25ULL
#define TCR_IRGN_WB		(1ULL << 8)
#define TCR_ORGN_WB		(1ULL << 10)
#define TCR_SH_IS		(3ULL << 12)
#define TCR_PS_40		(2ULL << 16)
#define TCR_RES1		((1ULL << 31) | (1ULL << 23))

/* SCTLR_EL2: M, C, I on; RES1 bits per the architecture. */
#define SCTLR_M			(1ULL << 0)
#define SCTLR_C			(1ULL << 2)
#define SCTLR_I			(1ULL << 12)
#define SCTLR_EL2_RES1		0x30C50830ULL

static uint64_t el2_l1[512] __attribute__((aligned(4096)));

static void mmu_enable(void)
{
	write_sysreg(mair_el2, MAIR_DEV_NGNRNE | (MAIR_NORMAL_WB << 8) |
			       (MAIR_DEV_NGNRE << 16));
	write_sysreg(tcr_el2, TCR_RES1 | TCR_PS_40 | TCR_SH_IS | TCR_ORGN_WB |
			      TCR_IRGN_WB | TCR_T0SZ);
	write_sysreg(ttbr0_el2, (uint64_t)(uintptr_t)el2_l1);
	dsb_sy();
	__asm__ volatile("tlbi alle2" : : : "memory");
	dsb_sy();
	isb();
	write_sysreg(sctlr_el2, SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I);
	isb();
}

void el2_mmu_on(void)
{
	uint64_t i;

	for (i = 0; i < 512; i++) {
		bool ram = i == 1;

		el2_l1[i] = (i << 30) | PTE_BLOCK | PTE_AF |
			    (ram ? PTE_ATTRIDX(ATTR_NORMAL) | PTE_SH_IS
				 : PTE_ATTRIDX(ATTR_DEVICE) | PTE_XN);
	}
	mmu_enable();
}

void el2_mmu_on_secondary(void)
{
	mmu_enable();
}
