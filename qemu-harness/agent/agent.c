// SPDX-License-Identifier: MIT
/*
 * The EL1 agent: the host of the op stream, on real hardware. It decodes
 * the job's input with the fuzzers' own decoder (opstream.c) and runs each
 * op with the host build's own semantics (hostops.c) through a backend of
 * real accesses: single loads and stores of the op's width to the SMMU's
 * registers (each a stage-2 fault the hypervisor emulates), stores into
 * its own memory for queue entries, STEs, L1 descriptors and CDs (a fault
 * when the hypervisor's stage 2 says the host no longer owns the page),
 * and hypercalls for ownership changes and DMA probes.
 */
#include <stddef.h>
#include <stdint.h>

#include "../abi.h"
#include "el2.h"
#include "harness.h"
#include "hostops.h"
#include "opstream.h"

/* Counted by the data-abort vector (start.S): stores the stage 2 refused. */
volatile uint32_t agent_faults;

struct agent {
	const struct qh_job *job;
	uint64_t trace;			/* the input's trace hash */
	uint64_t prelude_trace;		/* the prelude's (not reported) */
	uint32_t ops_done;
	uint32_t dma_index;
	unsigned smmu_count;
	struct hostops ho;
	struct op ops[OPS_MAX_OPS];
};

static struct agent agent;

void agent_main(const struct qh_job *job);
_Noreturn void agent_exception(uint64_t esr, uint64_t elr);

/* ---- Hypercalls ---------------------------------------------------------------- */

static uint64_t hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		    uint64_t a5)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	register uint64_t x4 __asm__("x4") = a4;
	register uint64_t x5 __asm__("x5") = a5;

	__asm__ volatile("hvc #0"
			 : "+r"(x0)
			 : "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}

static _Noreturn void give_up(enum qh_agent_error why, uint64_t a, uint64_t b)
{
	(void)hvc(QH_HVC_ABORT, why, a, b, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

_Noreturn void agent_exception(uint64_t esr, uint64_t elr)
{
	give_up(QH_AGENT_EXCEPTION, esr, elr);
}

/* ---- Single accesses (no pair or writeback forms: ISV stays 1) ---------------- */

static uint64_t load_once(uintptr_t a, unsigned size)
{
	uint64_t v = 0;

	switch (size) {
	case 1:
		__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
		break;
	case 2:
		__asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
		break;
	case 4:
		__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
		break;
	default:
		__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
		break;
	}
	return v;
}

static void store_once(uintptr_t a, unsigned size, uint64_t v)
{
	switch (size) {
	case 1:
		__asm__ volatile("strb %w0, [%1]" : : "r"(v), "r"(a) : "memory");
		break;
	case 2:
		__asm__ volatile("strh %w0, [%1]" : : "r"(v), "r"(a) : "memory");
		break;
	case 4:
		__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(a) : "memory");
		break;
	default:
		__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(a) : "memory");
		break;
	}
}

/* ---- The backend --------------------------------------------------------------- */

static uint64_t be_mmio(struct hostops *h, uint32_t off, unsigned size, bool write,
			uint64_t val)
{
	uintptr_t a = (uintptr_t)(LAYOUT_SMMU_BASE + (uint64_t)h->cur * LAYOUT_SMMU_STRIDE + off);

	if (write) {
		store_once(a, size, val);
		return val;
	}
	return load_once(a, size);
}

/*
 * The host's RAM is the layout's: a store outside it is refused here, as
 * the model refuses it (there is no memory there in the modelled machine;
 * in this guest there is the agent's own). Inside it, the stage 2 decides:
 * every page touched is probed first, so a store faults whole, as the
 * model's does, or lands whole.
 */
static bool host_ram(uint64_t pa, size_t len)
{
	return len != 0 && pa >= LAYOUT_RAM_BASE && len <= LAYOUT_RAM_SIZE &&
	       pa - LAYOUT_RAM_BASE <= LAYOUT_RAM_SIZE - len;
}

static bool pages_reachable(uint64_t pa, size_t len)
{
	uint64_t p;
	uint32_t before = agent_faults;

	for (p = pa & ~0xFFFULL; p < pa + len; p += 0x1000)
		(void)load_once((uintptr_t)(p > pa ? p : pa), 1);
	return agent_faults == before;
}

static int be_store(struct hostops *h, uint64_t pa, const void *src, size_t len)
{
	const uint8_t *s = src;
	size_t i;

	(void)h;
	if (!host_ram(pa, len) || !pages_reachable(pa, len))
		return -1;
	if (((pa | len) & 7U) == 0) {
		for (i = 0; i < len; i += 8) {
			uint64_t v = 0;

			for (unsigned b = 0; b < 8; b++)
				v |= (uint64_t)s[i + b] << (8U * b);
			store_once((uintptr_t)(pa + i), 8, v);
		}
	} else if (len == 1 || len == 2 || len == 4) {
		uint64_t v = 0;

		for (i = 0; i < len; i++)
			v |= (uint64_t)s[i] << (8U * i);
		store_once((uintptr_t)pa, (unsigned)len, v);
	} else {
		for (i = 0; i < len; i++)
			store_once((uintptr_t)(pa + i), 1, s[i]);
	}
	return 0;
}

static int be_load(struct hostops *h, uint64_t pa, void *dst, size_t len)
{
	uint8_t *d = dst;
	size_t i;

	(void)h;
	if (!host_ram(pa, len) || !pages_reachable(pa, len))
		return -1;
	for (i = 0; i < len; i++)
		d[i] = (uint8_t)load_once((uintptr_t)(pa + i), 1);
	return 0;
}

static bool be_own(struct hostops *h, unsigned action, uint64_t pa, int *ret)
{
	(void)h;
	*ret = (int)(int64_t)hvc(QH_HVC_OWN, action, pa, 0, 0, 0);
	return true;
}

static uint64_t be_dma(struct hostops *h, const struct op *op)
{
	(void)h;
	return hvc(QH_HVC_DMA, op->a8, op->a32, op->b32, op->v0, agent.dma_index++);
}

static void be_race(struct hostops *h, uint64_t pa, uint64_t value, unsigned size)
{
	(void)h;
	(void)hvc(QH_HVC_RACE, pa, value, size, 0, 0);
}

static void be_hwmode(struct hostops *h, unsigned mode, unsigned delay)
{
	(void)h;
	(void)delay;
	/* The real SMMU is what it is: prompt (the runner keeps other modes
	 * on the host build). */
	if (mode != 0)
		give_up(QH_AGENT_UNSUPPORTED, OP_HWMODE, mode);
}

static uint32_t be_idr(struct hostops *h, unsigned n)
{
	(void)h;
	return (uint32_t)hvc(QH_HVC_IDR, n, 0, 0, 0, 0);
}

static unsigned be_smmu_count(struct hostops *h)
{
	(void)h;
	return agent.smmu_count;
}

/* With the job's verbose flag: every observation on the console. */
static void be_observed(struct hostops *h, uint64_t v)
{
	el2_printf("agent: op %u -> 0x%lx\n", h->op_index, v);
}

static struct hostops_backend verbose_backend;

static const struct hostops_backend real_backend = {
	.mmio = be_mmio,
	.store = be_store,
	.load = be_load,
	.own = be_own,
	.dma = be_dma,
	.race = be_race,
	.hwmode = be_hwmode,
	.idr = be_idr,
	.smmu_count = be_smmu_count,
	.observed = NULL,
};

/* ---- The job ------------------------------------------------------------------- */

void agent_main(const struct qh_job *job)
{
	const struct qh_edu *edu = (const struct qh_edu *)(job + 1);
	const uint8_t *input;
	struct ops_header hdr;
	int n, i;

	if (job->magic != QH_JOB_MAGIC || job->input_len > QH_JOB_MAX ||
	    job->edu_count > QH_EDU_MAX || job->dma_count > QH_JOB_MAX / 8U)
		give_up(QH_AGENT_BAD_JOB, job->magic, job->input_len);
	agent.job = job;
	input = (const uint8_t *)((const uint64_t *)(edu + job->edu_count) + job->dma_count);
	agent.trace = OPS_TRACE_SEED;
	agent.prelude_trace = OPS_TRACE_SEED;
	(void)hvc(QH_HVC_HELLO, (uint64_t)(uintptr_t)&agent.trace,
		  (uint64_t)(uintptr_t)&agent.ops_done, 0, 0, 0);
	agent.smmu_count = (unsigned)hvc(QH_HVC_SMMU_COUNT, 0, 0, 0, 0, 0);
	if (agent.smmu_count == 0)
		agent.smmu_count = 1;
	verbose_backend = real_backend;
	verbose_backend.observed = be_observed;
	agent.ho.be = (job->flags & QH_JOB_VERBOSE) ? &verbose_backend : &real_backend;
	agent.ho.ctx = &agent;
	/* The same lenient decode the fuzzers use (the runner has checked
	 * the file strictly already). */
	n = ops_decode(input, job->input_len, false, &hdr, agent.ops, OPS_MAX_OPS, NULL);
	if (job->prelude == PRELUDE_LINUX) {
		/* The Linux driver resets every SMMU, as the host build's
		 * prelude does before its snapshot (its observations are not
		 * the input's). */
		agent.ho.trace = &agent.prelude_trace;
		hostops_prelude_linux(&agent.ho, agent.smmu_count);
	}
	agent.ho.trace = &agent.trace;
	(void)hvc(QH_HVC_INPUT_BEGIN, 0, 0, 0, 0, 0);
	if (job->flags & QH_JOB_VERBOSE)
		el2_printf("agent: the input begins (%d ops)\n", n);
	for (i = 0; i < n; i++) {
		const struct op *op = &agent.ops[i];

		/* The world ops shaped the world before anything ran (the
		 * runner keeps worlds QEMU cannot be on the host build). */
		if (op->code == OP_HW || op->code == OP_FDT ||
		    (job->op_mask & (1U << op->code)) == 0)
			continue;
		/* A boot the input drives is the host build's alone. */
		if (op->code == OP_BOOT)
			give_up(QH_AGENT_UNSUPPORTED, op->code, (uint64_t)i);
		agent.ho.op_index = (uint32_t)i;
		hostops_exec(&agent.ho, op);
		agent.ops_done++;
	}
	(void)hvc(QH_HVC_END, 0, 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
