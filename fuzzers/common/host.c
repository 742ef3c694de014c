// SPDX-License-Identifier: MIT
/*
 * The host build's backend of the host's actions (hostops.c): register
 * accesses trap into the core (or, in reference mode, go straight to the
 * hardware model), stores go through the host CPU's stage-2 view of the
 * world, ownership changes are calls of the core's hypercall entry point,
 * DMA probes ask the hardware model. The oracles that watch a single
 * access (CMDQ_CONS never passing PROD, the trap budget, DMA landing only
 * in host memory) and the logs of what the host observed sit here.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <smmu/pgstate.h>
#include <smmu/regs.h>
#include "harness_priv.h"
#include "oracle.h"
#include "oracle_budget.h"

_Static_assert(HOSTOPS_MAX_SMMU == WORLD_MAX_SMMU, "one host view per SMMU of the world");

static inline struct exec *exec_of(struct hostops *h)
{
	return h->ctx;
}

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

/* ---- What the host observes: logged for the differential and -v ---------- */

static void be_observed(struct hostops *h, uint64_t v)
{
	struct exec *x = exec_of(h);
	struct run_result *r = x->res;

	if (x->opts->verbose)
		fprintf(stderr, "        -> 0x%llx\n", (unsigned long long)v);
	if (r->log_count < RUN_LOG_MAX)
		r->log[r->log_count++] = v;
}

/* A read of the command queue's story, for the differential check. */
static void log_cmdq_read(struct exec *x, uint32_t off, unsigned size, uint64_t v)
{
	struct run_result *r = x->res;
	uint32_t wrap = (2U << hostops_cmdq_log2(&x->ho)) - 1U, d = (uint32_t)v;

	if (size != 4 || (off != SMMU_CMDQ_CONS && off != SMMU_CMDQ_PROD &&
			  off != SMMU_GERROR))
		return;
	if (off != SMMU_GERROR)
		d = (d & ~wrap) | ((d - x->cmdq_origin[x->ho.cur]) & wrap);
	if (r->diff_count < RUN_LOG_MAX)
		r->diff[r->diff_count++] = ((uint64_t)off << 32) | d;
}

/* ---- Host register accesses -------------------------------------------- */

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
				 world_smmu(x->w, x->ho.cur)->cfg.idr[1]);

	(void)smmu_dabt(&x->h->core, pa_init(world_smmu_base(x->ho.cur) + SMMU_CMDQ_BASE),
			8, false, &base);
	log2 = (unsigned)FIELD_GET(Q_BASE_LOG2SIZE, base);
	return log2 < max ? log2 : max;
}

/* CMDQ_CONS as the emulation has it, read without a trace entry. */
static uint32_t emulated_cons(struct exec *x)
{
	uint64_t v = 0;

	(void)smmu_dabt(&x->h->core, pa_init(world_smmu_base(x->ho.cur) + SMMU_CMDQ_CONS),
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
	struct host_strtab_view *hs = &x->st[x->ho.cur];
	bool enabled = (world_smmu(x->w, x->ho.cur)->cr0ack & CR0_SMMUEN) != 0;

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
		world_host_strtab(x->w, x->ho.cur, hs->st_base & STRTAB_BASE_ADDR_MASK,
				  hs->st_cfg);
}

/* One trapped access through the core, with the oracles that watch it. */
static uint64_t trap_into_core(struct exec *x, uint64_t pa, uint32_t off,
			       unsigned size, bool write, uint64_t val)
{
	/* Any write may let the queue run (PROD, GERRORN, CR0): it may
	 * consume only what PROD publishes (a CONS write sets it). */
	bool guard = write && x->opts->oracles && off != SMMU_CMDQ_CONS;
	uint32_t before = guard ? emulated_cons(x) : 0;
	uint64_t t0 = x->opts->time_core ? cycles() : 0;

	if (smmu_dabt(&x->h->core, pa_init(pa), size, write, &val) != SMMU_DABT_HANDLED)
		val = write ? val : 0;
	if (x->opts->time_core) {
		x->res->core_cycles += cycles() - t0;
		x->res->core_calls++;
	}
	if (!write && x->opts->oracles)
		oracle_host_read(x->w, off, size, val);
	if (guard) {
		uint32_t after = emulated_cons(x);

		if (size == 4 && off == SMMU_CMDQ_PROD)
			x->ho.hs[x->ho.cur].prod_reg = (uint32_t)val;
		if (x->opts->verbose && after != before)
			fprintf(stderr, "        CMDQ_CONS 0x%x -> 0x%x (PROD 0x%x)\n",
				before, after, x->ho.hs[x->ho.cur].prod_reg);
		oracle_cons(x->w, before, after, x->ho.hs[x->ho.cur].prod_reg,
			    emulated_cmdq_log2(x));
	}
	if (x->opts->oracles) {
		/* The rules' table, and the host's latest (an enable the
		 * hypervisor never acknowledged leaves the registers
		 * writable to it, UNPREDICTABLE to the architecture). */
		const struct host_strtab_view *st = &x->st[x->ho.cur];
		const struct host_smmu *hs = &x->ho.hs[x->ho.cur];
		uint64_t bases[2 + HS_ST_RING] = { st->st_base, hs->strtab_base };
		uint32_t cfgs[2 + HS_ST_RING] = { st->st_cfg, hs->strtab_cfg };

		memcpy(bases + 2, st->st_ring_base, sizeof(st->st_ring_base));
		memcpy(cfgs + 2, st->st_ring_cfg, sizeof(st->st_ring_cfg));
		oracle_trap_budget(x->w, x->ho.cur, bases, cfgs, 2 + HS_ST_RING);
	}
	return val;
}

static uint64_t be_mmio(struct hostops *h, uint32_t off, unsigned size, bool write,
			uint64_t val)
{
	struct exec *x = exec_of(h);
	uint64_t pa = world_smmu_base(h->cur) + off;

	world_step_begin(x->w);
	world_step_smmu(x->w, h->cur);
	if (write)
		tell_world(x, off, size, val);
	/* Only pages the host's stage 2 does not map trap: before the
	 * hypervisor takes the SMMU (fuzz_boot), or after it gives it back,
	 * the host reaches the hardware itself. */
	if (x->h->mode == HARNESS_HYP &&
	    pgs_owner(world_pgstate(x->w, pa)) != PGS_OWNER_HOST) {
		bool smmuen = write && size == 4 && off == SMMU_CR0 && (val & CR0_SMMUEN) != 0;

		val = trap_into_core(x, pa, off, size, write, val);
		/* An SMMUEN the hypervisor refused never reached the real
		 * SMMU's CR0: no host table is in force, and its bytes (the
		 * host's queue, say) are no stream table to the oracles. */
		if (smmuen && (world_smmu(x->w, h->cur)->cr0 & CR0_SMMUEN) == 0)
			world_host_strtab_none(x->w, h->cur);
	} else if (write) {
		model_access(world_smmu(x->w, h->cur), off, size, true, val);
		boot_left_now(x->w, h->cur, x->left);	/* the host aims its own SMMU */
	} else {
		val = model_access(world_smmu(x->w, h->cur), off, size, false, val);
	}
	if (!write)
		log_cmdq_read(x, off, size, val);
	return val;
}

/* ---- Host memory, ownership, DMA, the hardware ----------------------------- */

static int be_store(struct hostops *h, uint64_t pa, const void *src, size_t len)
{
	return world_host_store(exec_of(h)->w, pa, src, len);
}

static int be_load(struct hostops *h, uint64_t pa, void *dst, size_t len)
{
	return world_host_load(exec_of(h)->w, pa, dst, len);
}

static bool be_unwritten(struct hostops *h, uint64_t pa, size_t len)
{
	struct world *w = exec_of(h)->w;
	uint64_t p;

	for (p = pa & ~0xFFFULL; p < pa + len; p += 0x1000)
		if (world_page_dirty(w, p) != 0)
			return false;
	return true;
}

static bool be_own(struct hostops *h, unsigned action, uint64_t pa, int *ret)
{
	struct exec *x = exec_of(h);
	uint64_t t0;

	if (x->h->mode != HARNESS_HYP)
		return false;	/* the bare hardware has no owners to ask */
	world_step_begin(x->w);
	t0 = x->opts->time_core ? cycles() : 0;
	oracle_own_begin(x->w);
	*ret = smmu_host_request(&x->h->core, ops_own_req(action),
				 pa_init(pa));
	oracle_own_end(x->w);
	if (x->opts->time_core) {
		x->res->core_cycles += cycles() - t0;
		x->res->core_calls++;
	}
	return true;
}

static uint64_t be_dma(struct hostops *h, const struct op *op)
{
	struct exec *x = exec_of(h);
	struct hwm_dma_result r;
	bool write = (op->a8 & DMA_F_WRITE) != 0;

	memset(&r, 0, sizeof(r));
	hwm_dma(world_smmu(x->w, h->cur), op->a32, (op->a8 & DMA_F_SSV) != 0,
		op->b32, op->v0, write, &r);
	/* Through an SMMU the hypervisor does not hold, DMA goes where the
	 * host programmed it: nothing for the hypervisor to answer for. */
	if (x->res->dma_count < RUN_DMA_MAX)
		x->res->dma[x->res->dma_count++] = r.ok ? r.pa : (0xDEAD0000ULL | r.event);
	if (x->opts->oracles && x->h->mode == HARNESS_HYP &&
	    pgs_owner(world_pgstate(x->w, world_smmu_base(h->cur))) == PGS_OWNER_HYP)
		oracle_dma(x->w, &r, write);
	return r.ok ? r.pa : (0xDEAD0000ULL | r.event);
}

static void be_race(struct hostops *h, uint64_t pa, uint64_t value, unsigned size)
{
	world_race_arm(exec_of(h)->w, pa, value, size);
}

static void be_hwmode(struct hostops *h, unsigned mode, unsigned delay)
{
	struct hw_model *m = world_smmu(exec_of(h)->w, h->cur);

	m->timing = (enum hwm_timing)mode;
	m->delay = (uint8_t)delay;
}

static uint32_t be_idr(struct hostops *h, unsigned n)
{
	return world_smmu(exec_of(h)->w, h->cur)->cfg.idr[n];
}

static unsigned be_smmu_count(struct hostops *h)
{
	return world_smmu_count(exec_of(h)->w);
}

static const struct hostops_backend world_backend = {
	.mmio = be_mmio,
	.store = be_store,
	.load = be_load,
	.own = be_own,
	.dma = be_dma,
	.race = be_race,
	.hwmode = be_hwmode,
	.idr = be_idr,
	.smmu_count = be_smmu_count,
	.observed = be_observed,
	.unwritten = be_unwritten,
};

void host_attach(struct exec *x)
{
	x->ho.be = &world_backend;
	x->ho.ctx = x;
	x->ho.trace = &x->res->trace;
}

void host_exec_op(struct exec *x, const struct op *op)
{
	if (x->opts->verbose) {
		struct ops_header hdr = { OPS_VERSION, (uint8_t)x->h->profile, false };
		char line[512];

		ops_format_text(&hdr, op, 1, false, line, sizeof(line));
		/* Without the header line. */
		fprintf(stderr, "op %u: %s", x->ho.op_index, strchr(line, '\n') + 1);
	}
	hostops_exec(&x->ho, op);
}

bool host_linux_like(const struct op *ops, size_t n, unsigned sid_bits)
{
	return hostops_linux_like(ops, n, sid_bits);
}
