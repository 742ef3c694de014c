// SPDX-License-Identifier: MIT
/*
 * How an input ends on the real hardware, as the host build's harness ends
 * it (fuzzers/common/harness.c, finish): the isolation audit on what the
 * real SMMU holds (fuzzers/common/audit.c, the same code the host can run
 * on its model), then one verdict line on the console and an exit status
 * for its class. A fatal refusal is audited too: the hypervisor stops, but
 * the SMMU goes on with what it holds.
 */
#include <string.h>

#include <smmu/regs.h>
#include "arch.h"
#include "audit.h"
#include "hyp.h"
#include "opstream.h"

/* ---- The audit's view of the real machine ----------------------------------- */

static uint32_t io_reg32(void *ctx, unsigned i, uint32_t off)
{
	(void)ctx;
	return dev_read32((uintptr_t)hyp.dt.smmu_base[i] + off);
}

static uint64_t io_reg64(void *ctx, unsigned i, uint32_t off)
{
	(void)ctx;
	return dev_read64((uintptr_t)hyp.dt.smmu_base[i] + off);
}

static bool io_mem(void *ctx, uint64_t pa, void *dst, size_t len)
{
	(void)ctx;
	if (pa < EL2_RAM_BASE || len > el2_ram_size() || pa - EL2_RAM_BASE > el2_ram_size() - len)
		return false;
	memcpy(dst, (const void *)(uintptr_t)pa, len);
	return true;
}

static uint32_t io_pgstate(void *ctx, uint64_t pa)
{
	(void)ctx;
	return plat_pgstate_get(pa_init(pa));
}

static _Noreturn void report(enum qh_exit code, const char *cls, const char *site);

static _Noreturn void io_breach(void *ctx, const char *sig)
{
	(void)ctx;
	report(QH_EXIT_FINDING, "finding", sig);
}

static const struct audit_io *audit_io(void)
{
	static struct audit_io io;
	unsigned i;

	if (io.reg32 == NULL) {
		io.reg32 = io_reg32;
		io.reg64 = io_reg64;
		io.mem = io_mem;
		io.pgstate = io_pgstate;
		io.breach = io_breach;
		io.ram_base = EL2_RAM_BASE;
		io.ram_size = el2_ram_size();
		io.mmio_base = EL2_MMIO_BASE;
		io.mmio_size = EL2_MMIO_SIZE;
		io.smmu_count = hyp.dt.smmu_count < AUDIT_MAX_SMMU ? hyp.dt.smmu_count
								  : AUDIT_MAX_SMMU;
		for (i = 0; i < io.smmu_count; i++)
			io.smmu_base[i] = hyp.dt.smmu_base[i];
	}
	return &io;
}

void audit_dma_landing(uint64_t pa, bool write)
{
	audit_dma(audit_io(), pa, write);
}

/* The stage 2 every translating STE must carry, from the ID registers. */
static struct audit_s2 *expectation(void)
{
	static struct audit_s2 e;
	static bool known;

	if (!known) {
		audit_expect_stage2(audit_io(), hyp.s2ttb, &e);
		known = true;
	}
	return &e;
}

/* Everything the real SMMU holds, after an input (or a fatal refusal). */
static void audit_all(void)
{
	const struct audit_io *io = audit_io();

	if (!hyp.live)
		return;
	audit_registers(io);
	audit_stream_tables(io, expectation());
	audit_idmap(io, expectation());
}

/*
 * Every command the hardware is about to be given: the entries a
 * CMDQ_PROD write publishes, read from the hypervisor's queue where the
 * hardware will fetch them; at a CFGI_STE, the STE the hardware will
 * fetch next (what a device racing the update would get).
 */
void el2_smmu_will_write(uintptr_t va, uint64_t val, unsigned size)
{
	const struct audit_io *io;
	unsigned i;

	if (!hyp.live || size != 4)
		return;
	io = audit_io();
	for (i = 0; i < io->smmu_count; i++) {
		uint64_t base, q;
		uint32_t log2, wrap, idx, prod = (uint32_t)val, k;

		if (va != io->smmu_base[i] + SMMU_CMDQ_PROD)
			continue;
		base = io_reg64(NULL, i, SMMU_CMDQ_BASE);
		log2 = (uint32_t)FIELD_GET(Q_BASE_LOG2SIZE, base);
		if (log2 > FIELD_GET(IDR1_CMDQS, io_reg32(NULL, i, SMMU_IDR1)))
			log2 = (uint32_t)FIELD_GET(IDR1_CMDQS, io_reg32(NULL, i, SMMU_IDR1));
		wrap = (2U << log2) - 1U;
		q = (base & Q_BASE_ADDR_MASK) & ~((16ULL << log2) - 1U);
		idx = io_reg32(NULL, i, SMMU_CMDQ_PROD) & wrap;
		for (k = 0; idx != (prod & wrap) && k <= wrap; idx = (idx + 1U) & wrap, k++) {
			uint64_t cmd[2];

			if (!io_mem(NULL, q + (uint64_t)(idx & (wrap >> 1)) * 16U, cmd, 16))
				io_breach(NULL, "isolation:hw-cmdq-not-hyp-memory");
			audit_command(io, cmd, hyp.own_request[el2_cpu()]);
			if ((cmd[0] & 0xFFU) == CMDQ_OP_CFGI_STE)
				audit_ste_of(io, expectation(), i, (uint32_t)(cmd[0] >> 32));
		}
	}
}

/* ---- Verdicts ------------------------------------------------------------------ */

static _Noreturn void report(enum qh_exit code, const char *cls, const char *site)
{
	uint64_t trace = hyp.agent_trace != NULL ? *hyp.agent_trace : OPS_TRACE_SEED;
	unsigned ops = hyp.agent_ops != NULL ? *hyp.agent_ops : 0U;
	uint32_t dma[3];

	hyp_dma_counts(dma);
	el2_printf(QH_VERDICT_PREFIX "%s%s%s trace=%016lx ops=%u rejects=%u "
		   "dma=%u/%u/%u\n", cls, site != NULL ? ":" : "", site != NULL ? site : "",
		   trace, ops, el2_outcome()->rejects, dma[0], dma[1], dma[2]);
	el2_exit(code);
}

static bool stopping;

_Noreturn void el2_stop(enum smmu_panic_kind kind, const char *site)
{
	if (kind == SMMU_PANIC_BUG || stopping)
		report(QH_EXIT_FINDING, "finding", site);
	stopping = true;
	/* A breach found now is the finding; otherwise the refusal stands. */
	audit_all();
	report(QH_EXIT_REJECTED, "rejected", site);
}

_Noreturn void hyp_finish(void)
{
	struct el2_outcome *out = el2_outcome();

	stopping = true;
	audit_all();
	if (out->rejects != 0)
		report(QH_EXIT_REJECTED, "rejected", out->first_reject);
	report(QH_EXIT_OK, "ok", NULL);
}

_Noreturn void hyp_harness_error(const char *fmt, ...)
{
	va_list ap;

	el2_puts(QH_VERDICT_PREFIX "error: ");
	va_start(ap, fmt);
	el2_vprintf(fmt, ap);
	va_end(ap);
	el2_putc('\n');
	el2_exit(QH_EXIT_HARNESS);
}

/* libfdt.a was built with the stack protector. */
uintptr_t __stack_chk_guard = 0x5afe5a7ec0ffee00UL;

_Noreturn void __stack_chk_fail(void);
_Noreturn void __stack_chk_fail(void)
{
	el2_stop(SMMU_PANIC_BUG, "el2-stack-protector");
}
