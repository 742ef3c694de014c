// SPDX-License-Identifier: MIT
/*
 * The hypervisor's boot, as the host build's boot_default does it on its
 * world (fuzzers/common/boot.c): the MMU on, the device tree read, the page
 * states and the host stage 2 set up, then the core: setup over the pool,
 * register the driver, init from the device tree (which donates the SMMUs'
 * registers and takes them over), de-privilege. Then the EL1 agent runs
 * the job, and everything else happens in trap.c.
 */
#include <string.h>

#include "arch.h"
#include "hyp.h"

#define POOL_BASE	0x42000000ULL	/* as the host world's (WORLD_POOL_BASE) */
#define POOL_PAGES	4096U
#define DTB_ADDR	0x40000000ULL	/* where QEMU puts it for an ELF -kernel */

/* HCR_EL2: stage 2 on (VM), EL1 is AArch64 (RW), EL1's stage 1 off reads
 * as normal write-back memory (DC), so the agent needs no page tables. */
#define HCR_VM		(1ULL << 0)
#define HCR_DC		(1ULL << 12)
#define HCR_RW		(1ULL << 31)
/* CPTR_EL2 (E2H = 0): RES1 bits only, nothing trapped (libfdt uses SIMD). */
#define CPTR_EL2_RES1	0x33FFULL
/* SPSR for the agent: EL1h, interrupts masked. */
#define SPSR_EL1H_DAIF	0x3C5ULL
/* SCTLR_EL1: RES1 bits, MMU off. */
#define SCTLR_EL1_RES1	0x30D00800ULL

struct hyp hyp;

/* The host build's stable name of a boot error: "boot.<step>.<errno name>"
 * (fuzzers/common/boot.c). Every input of a world the hypervisor refuses
 * gets that refusal as its verdict. */
static _Noreturn void boot_refused(const char *step, int err)
{
	static const struct { int err; const char *name; } names[] = {
		{ SMMU_EPERM, "eperm" }, { SMMU_ENOENT, "enoent" },
		{ SMMU_ENOMEM, "enomem" }, { SMMU_EBUSY, "ebusy" },
		{ SMMU_ENODEV, "enodev" }, { SMMU_EINVAL, "einval" },
		{ SMMU_ERANGE, "erange" }, { SMMU_ETIMEDOUT, "etimedout" },
	};
	struct el2_outcome *out = el2_outcome();
	const char *name = "error";
	size_t i, n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			name = names[i].name;
	el2_outcome_reset();
	out->rejects = 1;
	memcpy(out->first_reject, "boot.", 5);
	n = 5 + strnlen(step, 16);
	memcpy(out->first_reject + 5, step, n - 5);
	out->first_reject[n++] = '.';
	memcpy(out->first_reject + n, name, strlen(name) + 1U);
	hyp_finish();
}

void hyp_boot_core(void)
{
	const void *fdt;
	size_t fdt_size = 0;
	int err;

	fdt = hyp_dt_for_core((const void *)(uintptr_t)DTB_ADDR, el2_ram_size(), &fdt_size);
	if (fdt == NULL)
		hyp_harness_error("cannot copy the device tree for the core");
	err = smmu_setup(&hyp.core, pa_init(POOL_BASE), POOL_PAGES);
	if (err != SMMU_OK)
		boot_refused("setup", err);
	err = smmu_register_driver(&hyp.core, &smmuv3_kern_driver, &smmuv3_hyp_driver);
	if (err != SMMU_OK)
		boot_refused("register", err);
	err = smmu_init_driver(&hyp.core, fdt, fdt_size);
	if (err != SMMU_OK)
		boot_refused("init", err);
	err = smmu_deprivilege(&hyp.core);
	if (err != SMMU_OK)
		boot_refused("deprivilege", err);
	hyp.live = true;
}

/* EL1's world: stage 2 on, its registers at known values, the agent's
 * entry in ELR_EL2. */
static void prepare_el1(uint64_t vttbr, uint64_t vtcr)
{
	write_sysreg(vtcr_el2, vtcr);
	write_sysreg(vttbr_el2, vttbr);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1));
	write_sysreg(cptr_el2, CPTR_EL2_RES1);
	write_sysreg(hstr_el2, 0);
	write_sysreg(mdcr_el2, 0);
	write_sysreg(cnthctl_el2, 3);	/* EL1 reads the counter and timer */
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	write_sysreg(cpacr_el1, 3ULL << 20);
	isb();
	__asm__ volatile("tlbi vmalls12e1is" : : : "memory");
	dsb_ish();
	write_sysreg(hcr_el2, HCR_RW | HCR_DC | HCR_VM);
	isb();
	write_sysreg(spsr_el2, SPSR_EL1H_DAIF);
	write_sysreg(elr_el2, QH_AGENT_BASE);
}

void hyp_main(void);
void hyp_main(void)
{
	uint64_t vttbr, vtcr, dw2, dw3;

	write_sysreg(cptr_el2, CPTR_EL2_RES1);
	isb();
	el2_mmu_on();
	if (((const struct qh_linux *)(uintptr_t)QH_LINUX_JOB_ADDR)->magic == QH_LINUX_MAGIC)
		hyp_linux_main((const struct qh_linux *)(uintptr_t)QH_LINUX_JOB_ADDR);
	hyp.job = (const struct qh_job *)(uintptr_t)QH_JOB_ADDR;
	if (hyp.job->magic != QH_JOB_MAGIC)
		hyp_harness_error("no job at 0x%lx", (uint64_t)QH_JOB_ADDR);
	hyp.verbose = (hyp.job->flags & QH_JOB_VERBOSE) != 0;
	if (hyp_dt_read((const void *)(uintptr_t)DTB_ADDR, &hyp.dt) != 0)
		hyp_harness_error("no usable device tree at 0x%lx", (uint64_t)DTB_ADDR);
	if (hyp.dt.ram_base != EL2_RAM_BASE ||
	    hyp.dt.ram_size < EL2_RAM_SIZE + QH_AGENT_SIZE)
		hyp_harness_error("RAM 0x%lx+0x%lx does not hold the layout and the agent",
				  hyp.dt.ram_base, hyp.dt.ram_size);
	el2_host_s2_init(EL2_RAM_SIZE, QH_AGENT_BASE, QH_AGENT_SIZE, &vttbr, &vtcr);
	if (hyp.verbose)
		el2_printf("hyp: RAM 0x%lx+0x%lx, %u SMMU(s), ECAM 0x%lx, PCI window 0x%lx\n",
			   hyp.dt.ram_base, hyp.dt.ram_size, hyp.dt.smmu_count,
			   hyp.dt.ecam_base, hyp.dt.pci_mmio_base);
	hyp_boot_core();
	smmu_stage2_words(&hyp.core, &dw2, &dw3);
	(void)dw2;
	hyp.s2ttb = dw3 & 0x000FFFFFFFFFFFF0ULL;
	hyp_dma_init();
	prepare_el1(vttbr, vtcr);
	/* The boot's refusals are not the input's (the host build snapshots
	 * its world after the boot). */
	el2_outcome_reset();
	hyp_enter_el1(QH_JOB_ADDR, 0, 0, 0);
}
