// SPDX-License-Identifier: MIT
/*
 * qemu-linux: a real Linux kernel as the host. The hypervisor boots the
 * core over all of QEMU's RAM (its own first 64 MiB, Linux's the rest),
 * hides EL2 the way pKVM does (Linux is entered at EL1, with EL2's
 * controls set so that nothing but the SMMU and its SMCs traps), hands
 * Linux QEMU's device tree with the hypervisor's memory cut out of
 * /memory, and enters the kernel with x0 = that tree. Linux's SMMU
 * accesses trap to the core (trap.c); the GIC, the timer, the UART and PCI
 * are Linux's directly. PSCI goes through SMC (QEMU's conduit with
 * virtualization=on): HCR_EL2.TSC brings every SMC here, where it is
 * passed on to QEMU's PSCI, except SYSTEM_OFF and SYSTEM_RESET: those end
 * the run with the isolation audit on the real SMMU, the recording and the
 * verdict.
 */
#include <libfdt.h>
#include <string.h>

#include <smmu/regs.h>
#include "arch.h"
#include "hyp.h"
#include "opstream.h"

#define DTB_ADDR	0x40000000ULL	/* QEMU's, for an ELF -kernel */
#define LINUX_DT_MAX	0x100000U	/* room to edit QEMU's 1 MiB tree in */

/* HCR_EL2: stage 2 (VM), AArch64 EL1 (RW), SMCs trap (TSC), pointer
 * authentication keys and instructions not trapped (APK, API). IMO/FMO
 * stay clear: Linux takes its own interrupts. */
#define HCR_VM		(1ULL << 0)
#define HCR_TSC		(1ULL << 19)
#define HCR_RW		(1ULL << 31)
#define HCR_APK		(1ULL << 40)
#define HCR_API		(1ULL << 41)
/* CPTR_EL2 (E2H = 0): its RES1 bits, with TZ (8) and TSM (12) clear so
 * SVE and SME are Linux's. */
#define CPTR_EL2_NOTRAP	0x22FFULL
/* HCRX_EL2: TCR2_EL1 and SCTLR2_EL1 (TCR2En, SCTLR2En) and memory-copy
 * instructions (MSCEn) usable at EL1, where the CPU has them. */
#define HCRX_MSCEN	(1ULL << 11)
#define HCRX_TCR2EN	(1ULL << 14)
#define HCRX_SCTLR2EN	(1ULL << 15)
/* ICC_SRE_EL2: system-register GIC interface, and EL1 may use it. */
#define ICC_SRE_EL2_SRE_ENABLE	0x9ULL
#define SPSR_EL1H_DAIF	0x3C5ULL
#define SCTLR_EL1_RES1	0x30D00800ULL

/* PSCI function IDs Linux uses (SMC32 and SMC64 forms). */
#define PSCI_CPU_ON_32		0x84000003U
#define PSCI_CPU_ON_64		0xC4000003U
#define PSCI_SYSTEM_OFF		0x84000008U
#define PSCI_SYSTEM_RESET	0x84000009U
#define PSCI_INVALID_PARAMS	0xFFFFFFFFFFFFFFFEULL
#define SMCCC_NOT_SUPPORTED	0xFFFFFFFFFFFFFFFFULL

/* Counters any CPU bumps (atomically); the hostile host's state, under
 * its lock. */
static struct {
	uint32_t smcs, hvcs, own, own_failed, foreign_aborts;
	struct plat_lock hostile_lock;
	unsigned hostile_next;		/* next page of the hostile window */
	bool hostile_given;		/* that page is away */
	uint32_t since_own;
	uint64_t vttbr, vtcr;		/* every CPU's stage 2 */
	struct { uint64_t entry, context; } cpu[EL2_MAX_CPUS];	/* CPU_ON's */
} lx;

struct plat_lock hyp_record_lock;

static void count(uint32_t *c)
{
	__atomic_fetch_add(c, 1U, __ATOMIC_RELAXED);
}

/* ---- Linux's device tree ---------------------------------------------------------- */

static void dt_check(int err, const char *what)
{
	if (err < 0)
		hyp_harness_error("Linux's device tree: %s: %s", what, fdt_strerror(err));
}

static void set_u64_pair(void *fdt, int node, const char *name, uint64_t a, uint64_t b)
{
	fdt64_t v[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };

	dt_check(fdt_setprop(fdt, node, name, v, sizeof(v)), name);
}

/*
 * QEMU's tree, with /memory from QH_LINUX_BASE (the hypervisor's memory
 * is not Linux's at all, not even reserved), the initramfs in /chosen and
 * the hostile window reserved, edited and packed in place at
 * QH_LINUX_DTB_ADDR (Linux's memory, below the initramfs).
 */
static void linux_dt_build(const struct qh_linux *lj)
{
	void *fdt = (void *)(uintptr_t)QH_LINUX_DTB_ADDR;
	int node, chosen, resv;
	uint64_t ram_end = hyp.dt.ram_base + hyp.dt.ram_size;

	dt_check(fdt_open_into((const void *)(uintptr_t)DTB_ADDR, fdt, LINUX_DT_MAX), "open");
	node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	dt_check(node, "/memory");
	set_u64_pair(fdt, node, "reg", QH_LINUX_BASE, ram_end - QH_LINUX_BASE);
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	dt_check(chosen, "/chosen");
	dt_check(fdt_setprop_u64(fdt, chosen, "linux,initrd-start", QH_LINUX_INITRD_ADDR),
		 "initrd-start");
	dt_check(fdt_setprop_u64(fdt, chosen, "linux,initrd-end",
				 QH_LINUX_INITRD_ADDR + lj->initrd_size), "initrd-end");
	resv = fdt_path_offset(fdt, "/reserved-memory");
	if (resv < 0) {
		resv = fdt_add_subnode(fdt, 0, "reserved-memory");
		dt_check(resv, "/reserved-memory");
		dt_check(fdt_setprop_u32(fdt, resv, "#address-cells", 2), "#address-cells");
		dt_check(fdt_setprop_u32(fdt, resv, "#size-cells", 2), "#size-cells");
		dt_check(fdt_setprop(fdt, resv, "ranges", NULL, 0), "ranges");
	}
	node = fdt_add_subnode(fdt, resv, "smmufuzz-hostile@5ff00000");
	dt_check(node, "hostile window");
	set_u64_pair(fdt, node, "reg", QH_LINUX_HOSTILE_ADDR,
		     (uint64_t)QH_LINUX_HOSTILE_PAGES * EL2_PAGE);
	dt_check(fdt_setprop(fdt, node, "no-map", NULL, 0), "no-map");
	dt_check(fdt_pack(fdt), "pack");
}

/* ---- EL1 for a kernel ------------------------------------------------------------------- */

static uint64_t id_field(uint64_t reg, unsigned shift)
{
	return (reg >> shift) & 0xFU;
}

/*
 * What Linux's own EL2 set-up would leave for an EL1 kernel, and nothing
 * more: counters and timers, the GIC's system registers, SVE/SME/pointer
 * authentication untrapped, the performance counters all EL1's.
 */
static void prepare_el1(uint64_t vttbr, uint64_t vtcr)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1), pfr1 = read_sysreg(id_aa64pfr1_el1);
	uint64_t mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	uint64_t pmcr = read_sysreg(pmcr_el0);

	write_sysreg(vtcr_el2, vtcr);
	write_sysreg(vttbr_el2, vttbr);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1));
	write_sysreg(cptr_el2, CPTR_EL2_NOTRAP);
	isb();
	if (id_field(pfr0, 32) != 0)
		write_sysreg(S3_4_C1_C2_0, 0x1FFULL);	/* ZCR_EL2: the longest vectors */
	if (id_field(pfr1, 24) != 0)
		write_sysreg(S3_4_C1_C2_6, 0x1FFULL);	/* SMCR_EL2: likewise */
	if (id_field(mmfr1, 40) != 0)
		write_sysreg(S3_4_C1_C2_2, HCRX_MSCEN | HCRX_TCR2EN | HCRX_SCTLR2EN);
	write_sysreg(hstr_el2, 0);
	/* HPMN = PMCR_EL0.N: every counter is EL1's. */
	write_sysreg(mdcr_el2, (pmcr >> 11) & 0x1FU);
	write_sysreg(cnthctl_el2, 3);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(S3_4_C12_C9_5, ICC_SRE_EL2_SRE_ENABLE);	/* ICC_SRE_EL2 */
	isb();
	write_sysreg(S3_4_C12_C11_0, 0);			/* ICH_HCR_EL2 */
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	isb();
	__asm__ volatile("tlbi vmalls12e1is" : : : "memory");
	dsb_ish();
	write_sysreg(hcr_el2, HCR_VM | HCR_RW | HCR_TSC | HCR_APK | HCR_API);
	isb();
	write_sysreg(spsr_el2, SPSR_EL1H_DAIF);
	write_sysreg(elr_el2, QH_LINUX_KERNEL_ADDR);
}

/* The Image header (Documentation/arch/arm64/booting.rst): magic at 56,
 * the memory it takes from its load address at 16. */
static void check_image(const struct qh_linux *lj)
{
	const volatile uint8_t *img = (const volatile uint8_t *)(uintptr_t)QH_LINUX_KERNEL_ADDR;
	uint64_t image_size = 0;
	unsigned i;

	if (lj->kernel_size < 64 || img[56] != 'A' || img[57] != 'R' || img[58] != 'M' ||
	    img[59] != 0x64)
		hyp_harness_error("no arm64 Image at 0x%lx", (uint64_t)QH_LINUX_KERNEL_ADDR);
	for (i = 0; i < 8; i++)
		image_size |= (uint64_t)img[16 + i] << (8 * i);
	if (image_size < lj->kernel_size)
		image_size = lj->kernel_size;
	_Static_assert(QH_LINUX_DTB_ADDR + LINUX_DT_MAX <= QH_LINUX_INITRD_ADDR,
		       "the device tree runs into the initramfs");
	if (QH_LINUX_KERNEL_ADDR + image_size > QH_LINUX_DTB_ADDR)
		hyp_harness_error("the kernel takes 0x%lx bytes: it runs into its device tree",
				  image_size);
	if (lj->initrd_size == 0 || lj->initrd_size > QH_LINUX_INITRD_MAX)
		hyp_harness_error("initramfs of %lu bytes", lj->initrd_size);
}

_Noreturn void hyp_linux_main(const struct qh_linux *lj)
{
	uint64_t vttbr, vtcr, dw2, dw3;

	hyp.linux_job = lj;
	hyp.verbose = (lj->flags & QH_JOB_VERBOSE) != 0;
	if (hyp_dt_read((const void *)(uintptr_t)DTB_ADDR, &hyp.dt) != 0)
		hyp_harness_error("no usable device tree at 0x%lx", (uint64_t)DTB_ADDR);
	if (hyp.dt.ram_base != EL2_RAM_BASE || hyp.dt.ram_size > EL2_RAM_MAX ||
	    hyp.dt.ram_base + hyp.dt.ram_size < QH_LINUX_HOSTILE_ADDR +
						 QH_LINUX_HOSTILE_PAGES * EL2_PAGE)
		hyp_harness_error("RAM 0x%lx+0x%lx: qemu-linux wants %uM from 0x%lx",
				  hyp.dt.ram_base, hyp.dt.ram_size, QH_LINUX_RAM_MB,
				  (uint64_t)EL2_RAM_BASE);
	check_image(lj);
	el2_host_s2_init(hyp.dt.ram_size, 0, 0, &vttbr, &vtcr);
	lx.vttbr = vttbr;
	lx.vtcr = vtcr;
	linux_dt_build(lj);
	hyp_boot_core();
	smmu_stage2_words(&hyp.core, &dw2, &dw3);
	(void)dw2;
	hyp.s2ttb = dw3 & 0x000FFFFFFFFFFFF0ULL;
	el2_outcome_reset();
	if (lj->flags & QH_LINUX_RECORD)
		rec_start();
	el2_printf(QH_LINUX_PREFIX "entering Linux at EL1: Image 0x%lx, device tree 0x%lx, "
		   "initramfs 0x%lx+0x%lx%s\n", (uint64_t)QH_LINUX_KERNEL_ADDR,
		   (uint64_t)QH_LINUX_DTB_ADDR, (uint64_t)QH_LINUX_INITRD_ADDR, lj->initrd_size,
		   (lj->flags & QH_LINUX_HOSTILE) ? ", hostile" : "");
	prepare_el1(vttbr, vtcr);
	hyp_enter_el1(QH_LINUX_DTB_ADDR, 0, 0, 0);
	for (;;)
		;
}

/*
 * A CPU Linux started: QEMU's PSCI started it at EL2 (the caller's EL) in
 * hyp_secondary_entry; it gets EL2's MMU and Linux's EL1 as the first CPU
 * did, then goes to Linux's entry with Linux's context.
 */
_Noreturn void hyp_secondary_main(uint64_t cpu)
{
	write_sysreg(cptr_el2, CPTR_EL2_NOTRAP);
	isb();
	el2_mmu_on_secondary();
	prepare_el1(lx.vttbr, lx.vtcr);
	write_sysreg(elr_el2, lx.cpu[cpu % EL2_MAX_CPUS].entry);
	hyp_enter_el1(lx.cpu[cpu % EL2_MAX_CPUS].context, 0, 0, 0);
	for (;;)
		;
}

/* ---- While Linux runs ----------------------------------------------------------------- */

/* The hostile host: every few SMMU traps one page of the reserved window
 * goes to the hypervisor or a guest, or comes back, while the devices'
 * DMA goes on through the same identity map. One CPU at a time decides
 * and asks; the others' traps go on. */
void hyp_linux_tick(void)
{
	const struct qh_linux *lj = hyp.linux_job;
	uint64_t pa;
	unsigned action, cpu = el2_cpu();
	int ret;

	if (lj == NULL || (lj->flags & QH_LINUX_HOSTILE) == 0)
		return;
	plat_lock(&lx.hostile_lock);
	if (++lx.since_own < (lj->hostile_every != 0 ? lj->hostile_every : 4U)) {
		plat_unlock(&lx.hostile_lock);
		return;
	}
	lx.since_own = 0;
	pa = QH_LINUX_HOSTILE_ADDR +
	     (uint64_t)(lx.hostile_next % QH_LINUX_HOSTILE_PAGES) * EL2_PAGE;
	/* Alternate the hypervisor and a guest as the page's taker. */
	if (!lx.hostile_given)
		action = (lx.hostile_next & 1U) ? OWN_DONATE_GUEST : OWN_DONATE_HYP;
	else
		action = (lx.hostile_next & 1U) ? OWN_RECLAIM_GUEST : OWN_RECLAIM_HYP;
	hyp.own_request[cpu] = true;
	ret = smmu_host_request(&hyp.core, ops_own_req(action), pa_init(pa));
	hyp.own_request[cpu] = false;
	count(&lx.own);
	if (ret != SMMU_OK)
		count(&lx.own_failed);
	rec_own(action, pa);
	if (lx.hostile_given)
		lx.hostile_next++;
	lx.hostile_given = !lx.hostile_given;
	plat_unlock(&lx.hostile_lock);
}

/* A stage-2 abort outside the SMMU: Linux touched what is not its own. */
void hyp_linux_foreign_abort(uint64_t ipa, bool write)
{
	if (__atomic_fetch_add(&lx.foreign_aborts, 1U, __ATOMIC_RELAXED) < 4)
		el2_printf(QH_LINUX_PREFIX "Linux %s 0x%lx, not its own: abort injected\n",
			   write ? "wrote" : "read", ipa);
}

static _Noreturn void linux_finish(const char *why);

/* An SMC from Linux: PSCI and SMCCC to QEMU's firmware, but power-off and
 * reset end the run here. */
void hyp_linux_smc(struct frame *f)
{
	uint32_t fn = (uint32_t)f->x[0];

	count(&lx.smcs);
	/* The SMC itself is the return address of a trapped SMC. */
	write_sysreg(elr_el2, read_sysreg(elr_el2) + 4U);
	if (fn == PSCI_SYSTEM_OFF)
		linux_finish(NULL);
	if (fn == PSCI_SYSTEM_RESET)
		linux_finish("Linux asked for a reset (a panic?)");
	if (fn == PSCI_CPU_ON_32 || fn == PSCI_CPU_ON_64) {
		/* The new CPU starts in the hypervisor (QEMU starts it at
		 * the caller's EL), which sets it up and enters Linux's
		 * entry at EL1. MPIDR Aff0 is the CPU on virt. */
		uint64_t cpu = f->x[1] & 0xFFU;

		if ((f->x[1] & ~0xFFULL) != 0 || cpu >= EL2_MAX_CPUS) {
			f->x[0] = PSCI_INVALID_PARAMS;
			return;
		}
		lx.cpu[cpu].entry = f->x[2];
		lx.cpu[cpu].context = f->x[3];
		dsb_ish();
		f->x[2] = (uint64_t)(uintptr_t)hyp_secondary_entry;
		f->x[3] = cpu;
	}
	{
		register uint64_t x0 __asm__("x0") = f->x[0];
		register uint64_t x1 __asm__("x1") = f->x[1];
		register uint64_t x2 __asm__("x2") = f->x[2];
		register uint64_t x3 __asm__("x3") = f->x[3];

		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : :
				 "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				 "x14", "x15", "x16", "x17", "memory");
		f->x[0] = x0;
		f->x[1] = x1;
		f->x[2] = x2;
		f->x[3] = x3;
	}
}

/* No hypercalls for a kernel that does not know us. */
void hyp_linux_hvc(struct frame *f)
{
	count(&lx.hvcs);
	f->x[0] = SMCCC_NOT_SUPPORTED;
}

/* The real event queue's producer: events the SMMU wrote this boot (the
 * queue never wraps in one). */
static uint32_t hw_events(uint32_t *gerror)
{
	uintptr_t b = (uintptr_t)hyp.dt.smmu_base[0];

	*gerror = dev_read32(b + SMMU_GERROR) ^ dev_read32(b + SMMU_GERRORN);
	return dev_read32(b + 0x10000U + SMMU_EVTQ_PROD) & 0xFFFFFU;
}

static _Noreturn void linux_finish(const char *why)
{
	const struct qh_linux *lj = hyp.linux_job;
	const struct rec_stats *st = rec_stats();
	uint64_t hash = 0;
	uint32_t gerror, events = hw_events(&gerror);
	bool wrote = true;

	if ((lj->flags & QH_LINUX_RECORD) && !st->overflow)
		wrote = rec_write(lj->record_path, &hash);
	el2_printf(QH_LINUX_PREFIX "traps=%u smc=%u hvc=%u own=%u/%u events=%u gerror=0x%x "
		   "record=%u%s copies=%u unmapped=%u foreign=%u contended=%u by-cpu=%u/%u/%u/%u "
		   "hash=%016lx\n",
		   hyp.traps, lx.smcs, lx.hvcs, lx.own, lx.own_failed, events, gerror,
		   st->ops, st->overflow ? "+overflow" : "", st->copies, st->unmapped,
		   lx.foreign_aborts, el2_locks_contended(), hyp.cpu_traps[0], hyp.cpu_traps[1],
		   hyp.cpu_traps[2], hyp.cpu_traps[3], hash);
	if (!wrote)
		el2_printf(QH_LINUX_PREFIX "error: cannot write %s\n", lj->record_path);
	if (why != NULL)
		hyp_harness_error("%s", why);
	hyp_finish();
}
