// SPDX-License-Identifier: MIT
/*
 * Exceptions from the EL1 agent. A stage-2 data abort on a page the host
 * does not own is decoded from its syndrome (never from the instruction:
 * ISV = 0 is refused) and, when it falls on an SMMU's registers, emulated
 * by the core; any other such abort is injected back into EL1 as the
 * external abort the host's access earned. Hypercalls carry the host's
 * ownership requests, DMA probes, the racing host and the end of input.
 */
#include "arch.h"
#include "hostops.h"
#include "hyp.h"

#define ESR_EC(e)	((unsigned)((e) >> 26) & 0x3FU)
#define ESR_IL		(1ULL << 25)
#define EC_HVC64	0x16U
#define EC_SMC64	0x17U
#define EC_DABT_LOW	0x24U
#define EC_DABT_CUR	0x25U
/* Data abort ISS (ESR_EL2[24:0]). */
#define DABT_ISV	(1ULL << 24)
#define DABT_SAS(e)	((unsigned)((e) >> 22) & 3U)
#define DABT_SSE	(1ULL << 21)
#define DABT_SRT(e)	((unsigned)((e) >> 16) & 0x1FU)
#define DABT_SF		(1ULL << 15)
#define DABT_WNR	(1ULL << 6)
#define DABT_FNV	(1ULL << 10)
#define DFSC_EXT_ABORT	0x10U
/* HPFAR_EL2.FIPA holds IPA[47:12] in bits [43:4]. */
#define HPFAR_FIPA	0x00000FFFFFFFFFF0ULL

static uint64_t sign_extend(uint64_t v, unsigned bytes)
{
	unsigned shift = 64U - bytes * 8U;

	return bytes >= 8U ? v : (uint64_t)((int64_t)(v << shift) >> shift);
}

/*
 * The host touched a page it does not own: what pKVM does too, an abort
 * injected into EL1 at the faulting instruction (a synchronous external
 * abort, current EL), taken at its vector.
 */
static void inject_abort(uint64_t esr)
{
	uint64_t iss = (esr & DABT_WNR) | DFSC_EXT_ABORT;

	write_sysreg(esr_el1, ((uint64_t)EC_DABT_CUR << 26) | ESR_IL | iss);
	write_sysreg(far_el1, read_sysreg(far_el2));
	write_sysreg(elr_el1, read_sysreg(elr_el2));
	write_sysreg(spsr_el1, read_sysreg(spsr_el2));
	write_sysreg(elr_el2, read_sysreg(vbar_el1) + 0x200U);
	write_sysreg(spsr_el2, 0x3C5ULL);	/* EL1h, interrupts masked */
}

static void data_abort(struct frame *f, uint64_t esr)
{
	uint64_t ipa, val;
	unsigned size, srt;
	bool write;

	if ((esr & DABT_ISV) == 0)
		hyp_harness_error("data abort without a syndrome (ISV = 0) at 0x%lx: "
				  "the agent must use single loads and stores",
				  read_sysreg(elr_el2));
	if (esr & DABT_FNV)
		hyp_harness_error("data abort without a fault address at 0x%lx",
				  read_sysreg(elr_el2));
	ipa = ((read_sysreg(hpfar_el2) & HPFAR_FIPA) << 8) | (read_sysreg(far_el2) & 0xFFFU);
	size = 1U << DABT_SAS(esr);
	srt = DABT_SRT(esr);
	write = (esr & DABT_WNR) != 0;
	val = write && srt != 31U ? f->x[srt] : 0;
	if (write && size < 8U)
		val &= (1ULL << (size * 8U)) - 1U;
	/* Recording, the stream's order must be the core's: one trap at a
	 * time from here to the record. */
	if (rec_active())
		plat_lock(&hyp_record_lock);
	if (rec_active() && hyp.dt.smmu_count != 0)
		rec_before_mmio((uint32_t)(ipa - hyp.dt.smmu_base[0]), size, write, val);
	if (!hyp.live ||
	    smmu_dabt(&hyp.core, pa_init(ipa), size, write, &val) != SMMU_DABT_HANDLED) {
		if (rec_active())
			plat_unlock(&hyp_record_lock);
		if (hyp.linux_job != NULL)
			hyp_linux_foreign_abort(ipa, write);
		inject_abort(esr);
		return;
	}
	__atomic_fetch_add(&hyp.traps, 1U, __ATOMIC_RELAXED);
	__atomic_fetch_add(&hyp.cpu_traps[el2_cpu() % EL2_MAX_CPUS], 1U, __ATOMIC_RELAXED);
	if (rec_active() && hyp.dt.smmu_count != 0)
		rec_mmio((uint32_t)(ipa - hyp.dt.smmu_base[0]), size, write, val);
	if (!write && srt != 31U) {
		if (esr & DABT_SSE)
			val = sign_extend(val, size);
		if ((esr & DABT_SF) == 0)
			val &= 0xFFFFFFFFULL;
		f->x[srt] = val;
	}
	if (hyp.verbose)
		el2_printf("hyp: trap %s %u @0x%lx %s 0x%lx\n", write ? "write" : "read",
			   size, ipa, write ? "<-" : "->", val);
	write_sysreg(elr_el2, read_sysreg(elr_el2) + 4U);
	hyp_linux_tick();
	if (rec_active())
		plat_unlock(&hyp_record_lock);
}

static uint64_t hypercall(struct frame *f)
{
	uint64_t *a = f->x;

	switch (a[0]) {
	case QH_HVC_HELLO:
		hyp.agent_trace = (const uint64_t *)(uintptr_t)a[1];
		hyp.agent_ops = (const uint32_t *)(uintptr_t)a[2];
		return 0;
	case QH_HVC_INPUT_BEGIN:
		/* As the host build's snapshot: the prelude's refusals are
		 * not the input's. */
		el2_outcome_reset();
		hyp.input_started = true;
		return 0;
	case QH_HVC_OWN: {
		int ret;

		/* Stage-2 TLBIs the change makes are the hypervisor's own. */
		hyp.own_request[el2_cpu()] = true;
		ret = smmu_host_request(&hyp.core, ops_own_req(a[1]),
					pa_init(a[2]));
		hyp.own_request[el2_cpu()] = false;
		return (uint64_t)(int64_t)ret;
	}
	case QH_HVC_DMA:
		return hyp_dma_probe((unsigned)a[1], (uint32_t)a[2], (uint32_t)a[3], a[4],
				     (uint32_t)a[5]);
	case QH_HVC_RACE:
		el2_race_arm(a[1], a[2], (unsigned)a[3]);
		return 0;
	case QH_HVC_IDR:
		return hyp.dt.smmu_count != 0 && a[1] < 6 ?
		       dev_read32(hyp.dt.smmu_base[0] + 4U * a[1]) : 0;
	case QH_HVC_SMMU_COUNT:
		return hyp.core.dev_count;
	case QH_HVC_END:
		hyp_finish();
	case QH_HVC_ABORT:
		hyp_harness_error("the agent gave up: error %lu (0x%lx at 0x%lx)",
				  a[1], a[2], a[3]);
	default:
		hyp_harness_error("unknown hypercall 0x%lx", a[0]);
	}
}

void hyp_trap_el1(struct frame *f, uint64_t kind)
{
	uint64_t esr = read_sysreg(esr_el2);

	(void)kind;
	switch (ESR_EC(esr)) {
	case EC_DABT_LOW:
		data_abort(f, esr);
		break;
	case EC_HVC64:
		if (hyp.linux_job != NULL)
			hyp_linux_hvc(f);
		else
			f->x[0] = hypercall(f);
		break;
	case EC_SMC64:
		if (hyp.linux_job == NULL)
			hyp_harness_error("SMC from the agent at 0x%lx", read_sysreg(elr_el2));
		hyp_linux_smc(f);
		break;
	default:
		hyp_harness_error("unexpected exception from EL1: ESR 0x%lx at 0x%lx",
				  esr, read_sysreg(elr_el2));
	}
}

/* The hypervisor itself faulted: in the host build a sanitizer would have
 * stopped at the same place; here the exception class is the signature. */
void hyp_exception_el2(struct frame *f, uint64_t kind)
{
	static char sig[48];
	uint64_t esr = read_sysreg(esr_el2);
	static const char hex[] = "0123456789abcdef";
	const char *p = "el2-exception:ec=0x";
	unsigned n = 0, ec = ESR_EC(esr);

	(void)f;
	el2_printf("hyp: exception at EL%u: ESR 0x%lx ELR 0x%lx FAR 0x%lx\n",
		   kind ? 1U : 2U, esr, read_sysreg(elr_el2), read_sysreg(far_el2));
	while (*p != '\0')
		sig[n++] = *p++;
	sig[n++] = hex[ec >> 4];
	sig[n++] = hex[ec & 15U];
	sig[n] = '\0';
	el2_stop(SMMU_PANIC_BUG, sig);
}
