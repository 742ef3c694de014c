// SPDX-License-Identifier: MIT
/*
 * The host, as the op stream makes it act: register accesses trap into the
 * core (or, in reference mode, go straight to the hardware model), stores
 * go through the host CPU's stage-2 view, ownership changes are hypercalls,
 * DMA probes are device transactions, and macro-ops replay what the Linux
 * driver does. Everything the host observes is logged and hashed, so two
 * builds or two modes can be compared.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <smmu/pgstate.h>
#include <smmu/regs.h>
#include "harness_priv.h"
#include "oracle.h"
#include "oracle_budget.h"

/* ---- Timing of core calls (bench) ------------------------------------------ */

static inline uint64_t cycles(void)
{
#if defined(__x86_64__)
	return __builtin_ia32_rdtsc();
#else
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
#endif
}

/* ---- What the host observes -------------------------------------------- */

static void observe(struct exec *x, uint64_t v)
{
	if (x->opts->verbose)
		fprintf(stderr, "        -> 0x%llx\n", (unsigned long long)v);
	struct run_result *r = x->res;

	r->trace = ops_trace_mix(r->trace, x->op_index, v);
	if (r->log_count < RUN_LOG_MAX)
		r->log[r->log_count++] = v;
}

/* ---- Host register accesses -------------------------------------------- */

static void remember_write(struct host_smmu *hs, uint32_t off, unsigned size,
			   uint64_t val)
{
	if (size == 8 && off == SMMU_CMDQ_BASE) {
		/* A driver that programs a queue starts it empty (and writes
		 * PROD and CONS next; a host that does not is hostile). */
		hs->cmdq_base = val;
		hs->cmdq_prod = 0;
		hs->cmdq_cons_seen = 0;
	} else if (size == 4 && off == SMMU_CMDQ_PROD) {
		hs->cmdq_prod = hs->prod_reg = (uint32_t)val;
	} else if (size == 4 && off == SMMU_CMDQ_CONS) {
		/* What the host wrote is what it believes until it reads. */
		hs->cmdq_cons_seen = (uint32_t)val;
	} else if (size == 8 && off == SMMU_STRTAB_BASE) {
		hs->strtab_base = val;
	} else if (size == 4 && off == SMMU_STRTAB_BASE_CFG) {
		hs->strtab_cfg = (uint32_t)val;
	}
}

static unsigned host_cmdq_log2(struct exec *x);

/*
 * The size of the queue the emulation runs, for the CONS oracle: the base
 * it accepted (read without a trace entry), clamped as the hardware clamps.
 * The host's own idea can be wrong: it may have written a base that was
 * refused.
 */
static unsigned emulated_cmdq_log2(struct exec *x)
{
	uint64_t base = 0;
	unsigned log2, max = (unsigned)FIELD_GET(IDR1_CMDQS,
				 world_smmu(x->w, x->cur)->cfg.idr[1]);

	(void)smmu_dabt(&x->h->core, pa_init(world_smmu_base(x->cur) + SMMU_CMDQ_BASE),
			8, false, &base);
	log2 = (unsigned)FIELD_GET(Q_BASE_LOG2SIZE, base);
	return log2 < max ? log2 : max;
}

/*
 * A register read the host made: into the trace, into the differential log
 * when it is part of the command queue's story, and the CONS oracle.
 */
static void observe_read(struct exec *x, uint32_t off, unsigned size, uint64_t v)
{
	struct run_result *r = x->res;
	struct host_smmu *hs = &x->hs[x->cur];
	uint32_t wrap = (2U << host_cmdq_log2(x)) - 1U, d = (uint32_t)v;

	observe(x, v);
	if (size != 4 || (off != SMMU_CMDQ_CONS && off != SMMU_CMDQ_PROD &&
			  off != SMMU_GERROR))
		return;
	if (off != SMMU_GERROR)
		d = (d & ~wrap) | ((d - x->cmdq_origin[x->cur]) & wrap);
	if (r->diff_count < RUN_LOG_MAX)
		r->diff[r->diff_count++] = ((uint64_t)off << 32) | d;
	if (off == SMMU_CMDQ_CONS)
		hs->cmdq_cons_seen = (uint32_t)v;
}

/* CMDQ_CONS as the emulation has it, read without a trace entry. */
static uint32_t emulated_cons(struct exec *x)
{
	uint64_t v = 0;

	(void)smmu_dabt(&x->h->core, pa_init(world_smmu_base(x->cur) + SMMU_CMDQ_CONS),
			4, false, &v);
	return (uint32_t)v;
}

static uint64_t model_access(struct hw_model *m, uint32_t off, unsigned size,
			     bool write, uint64_t val)
{
	/* Sub-word accesses to the real SMMU: read as zero, writes ignored. */
	if (size == 8) {
		if (write)
			hwm_write64(m, off, val);
		else
			val = hwm_read64(m, off);
	} else if (size == 4) {
		if (write)
			hwm_write32(m, off, (uint32_t)val);
		else
			val = hwm_read32(m, off);
	} else if (!write) {
		val = 0;
	}
	return val;
}

/*
 * Tell the world where the host's stream table is, from the host's own
 * writes and the architecture's rule that STRTAB_BASE/_CFG are ignored
 * while the SMMU is enabled (as the hardware's own CR0ACK says: the
 * platform's view, not the core's) or, as documented, when reserved bits
 * are set. The double-fetch oracle finds shared L2 tables with it and the
 * trap budget sizes a whole-table read.
 */
static void tell_world(struct exec *x, uint32_t off, unsigned size, uint64_t val)
{
	struct host_smmu *hs = &x->hs[x->cur];
	bool enabled = (world_smmu(x->w, x->cur)->cr0ack & CR0_SMMUEN) != 0;

	bool base_ok = size == 8 && off == SMMU_STRTAB_BASE && (val & ~STRTAB_BASE_ALLOWED) == 0;
	bool cfg_ok = size == 4 && off == SMMU_STRTAB_BASE_CFG &&
		      ((uint32_t)val & ~(uint32_t)STRTAB_CFG_ALLOWED) == 0;

	if (base_ok || cfg_ok) {
		uint32_t k = hs->st_ring_next++ % HS_ST_RING, prev = (k + HS_ST_RING - 1U) % HS_ST_RING;

		hs->st_ring_base[k] = base_ok ? val : hs->st_ring_base[prev];
		hs->st_ring_cfg[k] = cfg_ok ? (uint32_t)val : hs->st_ring_cfg[prev];
	}
	if (!enabled && base_ok)
		hs->st_base = val;
	if (!enabled && cfg_ok)
		hs->st_cfg = (uint32_t)val;
	/* What the SMMU uses is what the registers held when it was enabled. */
	if (size == 4 && off == SMMU_CR0 && (val & CR0_SMMUEN) != 0)
		world_host_strtab(x->w, x->cur, hs->st_base & STRTAB_BASE_ADDR_MASK,
				  hs->st_cfg);
}

static uint64_t host_mmio(struct exec *x, uint32_t off, unsigned size,
			  bool write, uint64_t val)
{
	uint64_t pa = world_smmu_base(x->cur) + off;

	world_step_begin(x->w);
	if (write)
		tell_world(x, off, size, val);
	/* Only pages the host's stage 2 does not map trap: before the
	 * hypervisor takes the SMMU (fuzz_boot), or after it gives it back,
	 * the host reaches the hardware itself. */
	if (x->h->mode == HARNESS_HYP &&
	    pgs_owner(world_pgstate(x->w, pa)) == PGS_OWNER_HOST) {
		val = model_access(world_smmu(x->w, x->cur), off, size, write, val);
	} else if (x->h->mode == HARNESS_HYP) {
		/* Any write may let the queue run (PROD, GERRORN, CR0): it may
		 * consume only what PROD publishes (a CONS write sets it). */
		bool guard = write && x->opts->oracles && off != SMMU_CMDQ_CONS;
		uint32_t before = guard ? emulated_cons(x) : 0;
		uint64_t t0 = x->opts->time_core ? cycles() : 0;

		if (smmu_dabt(&x->h->core, pa_init(pa), size, write, &val) !=
		    SMMU_DABT_HANDLED)
			val = write ? val : 0;
		if (x->opts->time_core) {
			x->res->core_cycles += cycles() - t0;
			x->res->core_calls++;
		}
		if (guard) {
			uint32_t after = emulated_cons(x);

			if (size == 4 && off == SMMU_CMDQ_PROD)
				x->hs[x->cur].prod_reg = (uint32_t)val;
			if (x->opts->verbose && after != before)
				fprintf(stderr, "        CMDQ_CONS 0x%x -> 0x%x (PROD 0x%x)\n",
					before, after, x->hs[x->cur].prod_reg);
			oracle_cons(x->w, before, after, x->hs[x->cur].prod_reg,
				    emulated_cmdq_log2(x));
		}
		if (x->opts->oracles) {
			/* The rules' table, and the host's latest (an enable the
			 * hypervisor never acknowledged leaves the registers
			 * writable to it, UNPREDICTABLE to the architecture). */
			const struct host_smmu *hs = &x->hs[x->cur];
			uint64_t bases[2 + HS_ST_RING] = { hs->st_base, hs->strtab_base };
			uint32_t cfgs[2 + HS_ST_RING] = { hs->st_cfg, hs->strtab_cfg };

			memcpy(bases + 2, hs->st_ring_base, sizeof(hs->st_ring_base));
			memcpy(cfgs + 2, hs->st_ring_cfg, sizeof(hs->st_ring_cfg));
			oracle_trap_budget(x->w, x->cur, bases, cfgs, 2 + HS_ST_RING);
		}
	} else {
		val = model_access(world_smmu(x->w, x->cur), off, size, write, val);
	}
	if (write)
		remember_write(&x->hs[x->cur], off, size, val);
	else
		observe_read(x, off, size, val);
	return val;
}

static uint64_t reg_read(struct exec *x, uint32_t off, unsigned size)
{
	return host_mmio(x, off, size, false, 0);
}

static void reg_write(struct exec *x, uint32_t off, unsigned size, uint64_t v)
{
	(void)host_mmio(x, off, size, true, v);
}

/* Poll like a driver: a bounded number of reads. Logs the reads it took. */
static bool host_poll(struct exec *x, uint32_t off, uint32_t mask, uint32_t want)
{
	unsigned i;

	for (i = 0; i < POLL_MAX; i++)
		if ((reg_read(x, off, 4) & mask) == want)
			return true;
	return false;
}

/* ---- Host memory --------------------------------------------------------- */

static void host_store(struct exec *x, uint64_t pa, const void *src, size_t len)
{
	/* A store to a page the host does not own faults at stage 2. */
	if (world_host_store(x->w, pa, src, len) != 0)
		observe(x, 0xFA017ULL);
}

static void host_store64(struct exec *x, uint64_t pa, uint64_t v)
{
	host_store(x, pa, &v, sizeof(v));
}

static uint32_t host_idr(struct exec *x, unsigned n)
{
	return world_smmu(x->w, x->cur)->cfg.idr[n];
}

static unsigned host_cmdq_log2(struct exec *x)
{
	unsigned log2 = (unsigned)FIELD_GET(Q_BASE_LOG2SIZE, x->hs[x->cur].cmdq_base);
	unsigned max = (unsigned)FIELD_GET(IDR1_CMDQS, host_idr(x, 1));

	return log2 < max ? log2 : max;
}

/*
 * Append a command as the Linux driver does: when the queue is full (as far
 * as the host has seen CONS move), publish what is there and poll CONS for
 * room first. Hostile overfilling is what QPOKE and PROD writes are for.
 */
static void host_cmd(struct exec *x, uint64_t dw0, uint64_t dw1, bool ring)
{
	struct host_smmu *hs = &x->hs[x->cur];
	unsigned log2 = host_cmdq_log2(x), i;
	uint32_t n = 1U << log2, mask = (2U * n) - 1U;
	uint64_t cmd[2] = { dw0, dw1 };
	uint64_t addr;

	for (i = 0; i < POLL_MAX && ((hs->cmdq_prod - hs->cmdq_cons_seen) & mask) >= n; i++) {
		if (i == 0)
			reg_write(x, SMMU_CMDQ_PROD, 4, hs->cmdq_prod);
		(void)reg_read(x, SMMU_CMDQ_CONS, 4);
	}
	addr = (hs->cmdq_base & Q_BASE_ADDR_MASK) +
	       (uint64_t)(hs->cmdq_prod & (n - 1U)) * 16U;
	host_store(x, addr, cmd, sizeof(cmd));
	hs->cmdq_prod = (hs->cmdq_prod + 1U) & mask;
	if (ring)
		reg_write(x, SMMU_CMDQ_PROD, 4, hs->cmdq_prod);
}

/*
 * CMD_SYNC as Linux builds it without an MSI address (6.1
 * arm_smmu_cmdq_build_cmd): completion by SEV, and MSH = inner shareable,
 * MSIATTR = inner/outer write-back set all the same: 0x0fc02046.
 */
#define SYNC_MSH_ISH		3U	/* ARM_SMMU_SH_ISH */
#define SYNC_MSIATTR_OIWB	0xFU	/* ARM_SMMU_MEMATTR_OIWB */
#define LINUX_CMD_SYNC		(CMDQ_OP_CMD_SYNC |				\
				 FIELD_PREP(CMD0_SYNC_CS, CMD0_SYNC_CS_SEV) |	\
				 FIELD_PREP(CMD0_SYNC_MSH, SYNC_MSH_ISH) |	\
				 FIELD_PREP(CMD0_SYNC_MSIATTR, SYNC_MSIATTR_OIWB))

/* CMD_SYNC and wait for the queue to drain, as Linux does when polling. */
static void host_sync(struct exec *x, bool wait)
{
	uint32_t wrapidx = (2U << host_cmdq_log2(x)) - 1U;
	unsigned i;

	host_cmd(x, LINUX_CMD_SYNC, 0, true);
	if (!wait)
		return;
	for (i = 0; i < POLL_MAX; i++) {
		uint32_t cons = (uint32_t)reg_read(x, SMMU_CMDQ_CONS, 4);

		if ((cons & wrapidx) == (x->hs[x->cur].cmdq_prod & wrapidx) ||
		    FIELD_GET(CMDQ_CONS_ERR, cons) != 0)
			return;
	}
}

/*
 * Valid, aborting STEs as Linux 6.1 initialises a table it allocates
 * (arm_smmu_init_bypass_stes with disable_bypass): dw0 V with CFG = abort,
 * dw1 SHCFG = incoming, the rest zero. One page of them, stored @count at
 * a time from @addr.
 */
static void store_abort_stes(struct exec *x, uint64_t addr, uint32_t count)
{
	static uint64_t page[512];
	uint32_t i, done;

	if (page[0] == 0)
		for (i = 0; i < 512; i += STRTAB_STE_DWORDS) {
			page[i] = STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_ABORT);
			page[i + 1] = FIELD_PREP(STE1_SHCFG, STE1_SHCFG_INCOMING);
		}
	for (done = 0; done < count; done += 64) {
		uint32_t n = count - done < 64 ? count - done : 64;

		host_store(x, addr + (uint64_t)done * STRTAB_STE_SIZE, page,
			   (size_t)n * STRTAB_STE_SIZE);
	}
}

/* Where the host keeps STE @sid, allocating an L2 table as Linux does:
 * filled with aborting STEs, then published in the L1 descriptor. */
static bool host_ste_addr(struct exec *x, uint32_t sid, uint64_t *addr)
{
	struct host_smmu *hs = &x->hs[x->cur];
	unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, hs->strtab_cfg);
	uint64_t base = hs->strtab_base & STRTAB_BASE_ADDR_MASK, desc, l2;
	uint32_t l1;

	if (log2 < 32 && (sid >> log2) != 0)
		return false;
	if (FIELD_GET(STRTAB_CFG_FMT, hs->strtab_cfg) != STRTAB_CFG_FMT_2LVL) {
		*addr = base + (uint64_t)sid * STRTAB_STE_SIZE;
		return true;
	}
	l1 = sid >> STRTAB_SPLIT_LINUX;
	if (world_host_load(x->w, base + (uint64_t)l1 * 8U, &desc, 8) != 0)
		return false;
	if (FIELD_GET(STRTAB_L1_SPAN, desc) == 0) {
		l2 = LAYOUT_HOST_L2 + (uint64_t)(l1 % LAYOUT_L2_SLOTS) * LAYOUT_L2_SIZE;
		store_abort_stes(x, l2, 1U << STRTAB_SPLIT_LINUX);
		desc = l2 | FIELD_PREP(STRTAB_L1_SPAN, STRTAB_SPLIT_LINUX + 1U);
		host_store64(x, base + (uint64_t)l1 * 8U, desc);
	}
	*addr = (desc & STRTAB_L1_L2PTR_MASK) +
		(uint64_t)(sid & ((1U << STRTAB_SPLIT_LINUX) - 1U)) * STRTAB_STE_SIZE;
	return true;
}

/* ---- The Linux driver's reset sequence (smmuv3-facts.md §10) ------------- */

/* Every STE valid and aborting (arm_smmu_init_strtab_linear). */
static void linear_abort_stes(struct exec *x, uint32_t count)
{
	store_abort_stes(x, LAYOUT_HOST_STRTAB, count);
}

/* arm_smmu_write_reg_sync: write CR0, poll until CR0ACK equals it. */
static void enable(struct exec *x, uint32_t *cr0, uint32_t bits)
{
	*cr0 |= bits;
	reg_write(x, SMMU_CR0, 4, *cr0);
	(void)host_poll(x, SMMU_CR0ACK, ~0U, *cr0);
}

/*
 * arm_smmu_update_gbpa: wait for an update in flight to finish, then
 * read-modify-write with UPDATE and wait for that one. False when either
 * wait times out (the driver gives up without the write, or reports it).
 */
static bool update_gbpa(struct exec *x, uint32_t set, uint32_t clr)
{
	uint32_t gbpa = GBPA_UPDATE;
	unsigned i;

	for (i = 0; i < POLL_MAX && (gbpa & GBPA_UPDATE); i++)
		gbpa = (uint32_t)reg_read(x, SMMU_GBPA, 4);
	if (gbpa & GBPA_UPDATE)
		return false;
	reg_write(x, SMMU_GBPA, 4, ((gbpa & ~clr) | set) | GBPA_UPDATE);
	return host_poll(x, SMMU_GBPA, GBPA_UPDATE, 0);
}

/* An event or PRI queue: base, page-1 pointers at 0, then enable. */
static void output_queue(struct exec *x, uint32_t *cr0, uint32_t base_off,
			 uint64_t addr, unsigned log2, unsigned log2_max,
			 uint32_t enable_bit)
{
	if (log2 > log2_max)
		log2 = log2_max;
	reg_write(x, base_off, 8, addr | Q_BASE_RWA | FIELD_PREP(Q_BASE_LOG2SIZE, log2));
	/* PROD and CONS follow the base in page 1 (EVTQ 0xA8/0xAC, PRIQ 0xC8/0xCC). */
	reg_write(x, SMMU_PAGE1(base_off + 8U), 4, 0);
	reg_write(x, SMMU_PAGE1(base_off + 12U), 4, 0);
	enable(x, cr0, enable_bit);
}

/*
 * The probe (arm_smmu_device_hw_probe, which reads IDR0, IDR1, IDR3, IDR5
 * and IIDR in that order) and arm_smmu_device_reset of Linux 6.1, on the
 * LAYOUT_HOST_* structures, with the op's queue and table sizes.
 */
void host_linux_reset(struct exec *x, const struct op *op)
{
	uint32_t idr0 = (uint32_t)reg_read(x, SMMU_IDR0, 4);
	uint32_t idr1 = (uint32_t)reg_read(x, SMMU_IDR1, 4);
	unsigned sid_bits = (unsigned)FIELD_GET(IDR1_SIDSIZE, idr1);
	unsigned log2, irqs;
	bool two_lvl = (op->a8 & RESET_F_2LVL) &&
		       FIELD_GET(IDR0_ST_LVL, idr0) == IDR0_ST_LVL_2LVL;
	uint32_t cr0 = 0, cfg;

	(void)reg_read(x, SMMU_IDR3, 4);
	(void)reg_read(x, SMMU_IDR5, 4);
	(void)reg_read(x, SMMU_IIDR, 4);
	/* "SMMU currently enabled! Resetting...": a kexec'd or kdump kernel
	 * finds the last one's SMMUEN set and makes GBPA abort first. */
	if (reg_read(x, SMMU_CR0, 4) & CR0_SMMUEN)
		(void)update_gbpa(x, GBPA_ABORT, 0);
	reg_write(x, SMMU_CR0, 4, 0);
	(void)host_poll(x, SMMU_CR0ACK, ~0U, 0);
	reg_write(x, SMMU_CR1, 4, CR1_LINUX);
	reg_write(x, SMMU_CR2, 4, CR2_PTM | CR2_RECINVSID |
				  ((idr0 & IDR0_HYP) ? CR2_E2H : 0U));

	/* Stream table: 2-level with SPLIT 8 (L2 tables come later), or
	 * linear with every STE valid and aborting. */
	log2 = op->c8 < sid_bits ? op->c8 : sid_bits;
	if (two_lvl) {
		if (log2 <= STRTAB_SPLIT_LINUX)
			log2 = STRTAB_SPLIT_LINUX + 1U;
		if (log2 > STRTAB_SPLIT_LINUX + 17U)
			log2 = STRTAB_SPLIT_LINUX + 17U;
		cfg = (uint32_t)(FIELD_PREP(STRTAB_CFG_FMT, STRTAB_CFG_FMT_2LVL) |
				 FIELD_PREP(STRTAB_CFG_SPLIT, STRTAB_SPLIT_LINUX) |
				 FIELD_PREP(STRTAB_CFG_LOG2SIZE, log2));
	} else {
		if (log2 > 14U)
			log2 = 14U;	/* the 1 MiB LAYOUT_HOST_STRTAB region */
		cfg = (uint32_t)FIELD_PREP(STRTAB_CFG_LOG2SIZE, log2);
		/* Linux only builds linear tables for small SID spaces; a
		 * bigger one keeps STEs invalid, which blocks just the same
		 * and keeps the macro cheap. */
		if (log2 <= 8U)
			linear_abort_stes(x, 1U << log2);
	}
	reg_write(x, SMMU_STRTAB_BASE, 8, LAYOUT_HOST_STRTAB | STRTAB_BASE_RA);
	reg_write(x, SMMU_STRTAB_BASE_CFG, 4, cfg);

	/* Command queue, then enable it and invalidate everything. */
	log2 = op->b8;
	if (log2 > FIELD_GET(IDR1_CMDQS, idr1))
		log2 = (unsigned)FIELD_GET(IDR1_CMDQS, idr1);
	reg_write(x, SMMU_CMDQ_BASE, 8, LAYOUT_HOST_CMDQ | Q_BASE_RWA |
					FIELD_PREP(Q_BASE_LOG2SIZE, log2));
	reg_write(x, SMMU_CMDQ_PROD, 4, 0);
	reg_write(x, SMMU_CMDQ_CONS, 4, 0);
	enable(x, &cr0, CR0_CMDQEN);
	host_cmd(x, CMDQ_OP_CFGI_STE_RANGE, FIELD_PREP(CMD1_RANGE, CFGI_RANGE_ALL),
		 false);
	host_sync(x, true);
	if (idr0 & IDR0_HYP) {
		host_cmd(x, CMDQ_OP_TLBI_EL2_ALL, 0, false);
		host_sync(x, true);
	}
	host_cmd(x, CMDQ_OP_TLBI_NSNH_ALL, 0, false);
	host_sync(x, true);

	if (op->a8 & RESET_F_EVTQ)
		output_queue(x, &cr0, SMMU_EVTQ_BASE, LAYOUT_HOST_EVTQ, op->d8,
			     (unsigned)FIELD_GET(IDR1_EVTQS, idr1), CR0_EVTQEN);
	/* The PRI queue's size is not in the op: Linux's largest queue is
	 * 1 MiB (2^16 commands, 2^15 events on QEMU), LAYOUT_HOST_PRIQ. */
	if ((op->a8 & RESET_F_PRIQ) && (idr0 & IDR0_PRI))
		output_queue(x, &cr0, SMMU_PRIQ_BASE, LAYOUT_HOST_PRIQ, 16,
			     (unsigned)FIELD_GET(IDR1_PRIQS, idr1), CR0_PRIQEN);
	if (idr0 & IDR0_ATS)
		enable(x, &cr0, CR0_ATSCHK);

	/* Interrupts: off, MSI addresses cleared, then wired IRQs on. */
	reg_write(x, SMMU_IRQ_CTRL, 4, 0);
	(void)host_poll(x, SMMU_IRQ_CTRLACK, ~0U, 0);
	reg_write(x, SMMU_GERROR_IRQ_CFG0, 8, 0);
	reg_write(x, SMMU_EVTQ_IRQ_CFG0, 8, 0);
	if (idr0 & IDR0_PRI)
		reg_write(x, SMMU_PRIQ_IRQ_CFG0, 8, 0);
	irqs = IRQ_CTRL_GERROR_IRQEN | IRQ_CTRL_EVTQ_IRQEN |
	       ((idr0 & IDR0_PRI) ? IRQ_CTRL_PRIQ_IRQEN : 0U);
	reg_write(x, SMMU_IRQ_CTRL, 4, irqs);
	(void)host_poll(x, SMMU_IRQ_CTRLACK, ~0U, irqs);

	/* A kdump kernel leaves the event and PRI queues off. */
	if (op->a8 & RESET_F_KDUMP)
		cr0 &= ~(CR0_EVTQEN | CR0_PRIQEN);
	if (op->a8 & RESET_F_BYPASS) {
		/* "Allow bypass, don't translate": clear GBPA.ABORT, and only
		 * if that completed, write CR0 without SMMUEN. */
		if (update_gbpa(x, 0, GBPA_ABORT))
			enable(x, &cr0, 0);
	} else if (op->a8 & RESET_F_SMMUEN) {
		enable(x, &cr0, CR0_SMMUEN);
	}
}

/* ---- One op -------------------------------------------------------------- */

static const enum smmu_host_req own_req[OWN_ACTION_COUNT] = {
	[OWN_SHARE_HYP] = SMMU_REQ_SHARE_HYP,
	[OWN_UNSHARE_HYP] = SMMU_REQ_UNSHARE_HYP,
	[OWN_DONATE_HYP] = SMMU_REQ_DONATE_HYP,
	[OWN_RECLAIM_HYP] = SMMU_REQ_RECLAIM_HYP,
	[OWN_DONATE_GUEST] = SMMU_REQ_DONATE_GUEST,
	[OWN_RECLAIM_GUEST] = SMMU_REQ_RECLAIM_GUEST,
	[OWN_DONATE_MMIO] = SMMU_REQ_DONATE_MMIO,
	[OWN_RETURN_MMIO] = SMMU_REQ_RETURN_MMIO,
};

static void do_own(struct exec *x, const struct op *op)
{
	unsigned action = op->a8 % OWN_ACTION_COUNT;
	uint64_t pa = ops_own_address((uint8_t)action, op->a32);
	uint64_t t0;
	int ret;

	if (x->h->mode != HARNESS_HYP)
		return;	/* the bare hardware has no owners to ask */
	world_step_begin(x->w);
	t0 = x->opts->time_core ? cycles() : 0;
	oracle_own_begin(x->w);
	ret = smmu_host_request(&x->h->core, own_req[action], pa_init(pa));
	oracle_own_end(x->w);
	if (x->opts->time_core) {
		x->res->core_cycles += cycles() - t0;
		x->res->core_calls++;
	}
	observe(x, (uint64_t)(int64_t)ret);
}

static void do_dma(struct exec *x, const struct op *op)
{
	struct hwm_dma_result r;
	bool write = (op->a8 & DMA_F_WRITE) != 0;

	memset(&r, 0, sizeof(r));
	hwm_dma(world_smmu(x->w, x->cur), op->a32, (op->a8 & DMA_F_SSV) != 0,
		op->b32, op->v0, write, &r);
	observe(x, r.ok ? r.pa : (0xDEAD0000ULL | r.event));
	/* Through an SMMU the hypervisor does not hold, DMA goes where the
	 * host programmed it: nothing for the hypervisor to answer for. */
	if (x->opts->oracles && x->h->mode == HARNESS_HYP &&
	    pgs_owner(world_pgstate(x->w, world_smmu_base(x->cur))) == PGS_OWNER_HYP)
		oracle_dma(x->w, &r, write);
}

static unsigned width_bytes(uint8_t w)
{
	return 1U << (w & OP_WIDTH_MASK);
}

void host_exec_op(struct exec *x, const struct op *op)
{
	if (x->opts->verbose) {
		struct ops_header hdr = { OPS_VERSION, (uint8_t)x->h->profile, false };
		char line[512];

		ops_format_text(&hdr, op, 1, false, line, sizeof(line));
		/* Without the header line. */
		fprintf(stderr, "op %u: %s", x->op_index, strchr(line, '\n') + 1);
	}
	const struct ops_reg *reg;
	struct hw_model *m;
	uint64_t addr;
	unsigned i;

	switch (op->code) {
	case OP_SEL:
		x->cur = op->a8 % world_smmu_count(x->w);
		break;
	case OP_READ:
		reg = ops_reg(op->a8 % ops_reg_count());
		(void)reg_read(x, reg->offset, reg->width);
		break;
	case OP_WRITE:
		reg = ops_reg(op->a8 % ops_reg_count());
		reg_write(x, reg->offset, reg->width, op->v0);
		break;
	case OP_READX:
		(void)reg_read(x, op->a32 & OP_MMIO_OFF_MASK, width_bytes(op->a8));
		break;
	case OP_WRITEX:
		reg_write(x, op->a32 & OP_MMIO_OFF_MASK, width_bytes(op->a8), op->v0);
		break;
	case OP_MEM:
		host_store(x, LAYOUT_HOST_BASE + op->a32 % LAYOUT_HOST_SIZE,
			   &op->v0, width_bytes(op->a8));
		break;
	case OP_OWN:
		do_own(x, op);
		break;
	case OP_DMA:
		do_dma(x, op);
		break;
	case OP_RESET:
		host_linux_reset(x, op);
		break;
	case OP_CMD:
		host_cmd(x, op->v0, op->v1, (op->a8 & CMD_F_RING) != 0);
		break;
	case OP_QPOKE: {
		struct host_smmu *hs = &x->hs[x->cur];
		uint32_t n = 1U << host_cmdq_log2(x);

		addr = (hs->cmdq_base & Q_BASE_ADDR_MASK) +
		       (uint64_t)(op->a32 & (n - 1U)) * 16U + (op->b8 & 1U) * 8U;
		host_store64(x, addr, op->v0);
		break;
	}
	case OP_STE:
		if (host_ste_addr(x, op->a32, &addr))
			host_store64(x, addr + (op->b8 & 7U) * 8U, op->v0);
		break;
	case OP_L1:
		addr = x->hs[x->cur].strtab_base & STRTAB_BASE_ADDR_MASK;
		host_store64(x, addr + (uint64_t)(op->a32 & 0x1FFFF) * 8U, op->v0);
		break;
	case OP_CD:
		host_store64(x, LAYOUT_HOST_CD + (uint64_t)op->a32 * 64U +
				(op->b8 & 7U) * 8U, op->v0);
		break;
	case OP_RACE:
		world_race_arm(x->w, LAYOUT_HOST_BASE + op->a32 % LAYOUT_HOST_SIZE,
			       op->v0, width_bytes(op->a8));
		break;
	case OP_POLL:
		reg = ops_reg(op->a8 % ops_reg_count());
		for (i = 0; i < POLL_MAX; i++)
			if ((reg_read(x, reg->offset, reg->width) & op->a32) == op->b32)
				break;
		break;
	case OP_SYNC:
		host_sync(x, (op->a8 & SYNC_F_NOWAIT) == 0);
		break;
	case OP_HWMODE:
		m = world_smmu(x->w, x->cur);
		m->timing = (enum hwm_timing)(op->a8 % 3U);
		m->delay = op->b8;
		break;
	default:
		break;
	}
}


/* A command the Linux driver issues, with the fields it uses, on SMMUs
 * whose smallest SIDSIZE is @sid_bits. */
static bool linux_command(uint64_t dw0, uint64_t dw1, unsigned sid_bits)
{
	unsigned op = (unsigned)FIELD_GET(CMD0_OP, dw0);

	switch (op) {
	case CMDQ_OP_PREFETCH_CFG:
	case CMDQ_OP_CFGI_CD_ALL:
	case CMDQ_OP_TLBI_NSNH_ALL:
	case CMDQ_OP_RESUME:		/* stalled faults */
		return true;
	/* ATC_INV and PRI_RESP: only with ATS/PRI, which the host is not shown. */
	case CMDQ_OP_CFGI_STE:
	case CMDQ_OP_CFGI_CD:
		/* Linux always sets Leaf, and names SIDs the SMMU has. */
		return (dw1 & CMD1_LEAF) != 0 && FIELD_GET(CMD0_SID, dw0) < 256U &&
		       (sid_bits >= 32U || FIELD_GET(CMD0_SID, dw0) >> sid_bits == 0);
	case CMDQ_OP_CFGI_STE_RANGE:
		return FIELD_GET(CMD1_RANGE, dw1) == CFGI_RANGE_ALL;
	case CMDQ_OP_TLBI_NH_ASID:
	case CMDQ_OP_TLBI_NH_VA:
	case CMDQ_OP_TLBI_NH_VAA:
		return FIELD_GET(CMD0_VMID, dw0) == 0;
	case CMDQ_OP_CMD_SYNC:
		return FIELD_GET(CMD0_SYNC_CS, dw0) != CMD0_SYNC_CS_IRQ &&
		       FIELD_GET(CMD0_SYNC_CS, dw0) <= CMD0_SYNC_CS_SEV &&
		       (dw1 & CMD1_SYNC_MSIADDR_MASK) == 0;
	default:
		return false;
	}
}

/*
 * Could the Linux driver have produced this op stream (after its reset)?
 * Only such streams have a defined answer on the bare hardware that the
 * emulation must reproduce exactly.
 */
bool host_linux_like(const struct op *ops, size_t n, unsigned sid_bits)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct op *op = &ops[i];
		const struct ops_reg *reg;

		switch (op->code) {
		case OP_CMD:
			if (!linux_command(op->v0, op->v1, sid_bits))
				return false;
			break;
		case OP_SYNC:
			break;
		case OP_READ:
			reg = ops_reg(op->a8 % ops_reg_count());
			if (reg->offset != SMMU_CMDQ_CONS && reg->offset != SMMU_CMDQ_PROD &&
			    reg->offset != SMMU_GERROR)
				return false;
			break;
		default:
			return false;
		}
	}
	return true;
}
