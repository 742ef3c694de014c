/* SPDX-License-Identifier: MIT */
/*
 * What the runner (tools/cmd_qemu*.c), the hypervisor image (hyp/) and the
 * EL1 agent (agent/) agree on: where things are in the guest, the job the
 * runner hands over, the hypercalls, the console lines and exit codes.
 * docs/qemu-harness.md describes the whole.
 */
#ifndef SMMUFUZZ_QEMU_ABI_H
#define SMMUFUZZ_QEMU_ABI_H

#include <stdint.h>

/*
 * Guest memory (QEMU -m QH_RAM_MB): the core's machine is the op stream's
 * layout, [0x40000000, 0x48000000), of which the hypervisor image sits at
 * QH_HYP_LOAD; above it, RAM the core is never told about holds the agent
 * and the job (the device tree handed to the core is cut to the layout).
 */
#define QH_RAM_MB		192U
#define QH_HYP_LOAD		0x40200000ULL	/* above QEMU's 1 MiB DTB at RAM base */
#define QH_AGENT_BASE		0x48000000ULL	/* agent image, entry at its start */
#define QH_AGENT_SIZE		0x04000000ULL	/* to the end of guest RAM */
#define QH_JOB_ADDR		0x48800000ULL	/* the job (struct qh_job + bytes) */
#define QH_JOB_MAX		0x00400000ULL

/* The job: one input and how to run it. Little-endian, 8-byte aligned. */
#define QH_JOB_MAGIC		0x31424F4A5A464D53ULL	/* "SMFZJOB1" */

#define QH_JOB_VERBOSE		0x1U	/* the agent and hypervisor log every step */

struct qh_job {
	uint64_t magic;
	uint32_t op_mask;	/* OPBIT()s of the ops the target executes */
	uint32_t prelude;	/* enum harness_prelude */
	uint32_t flags;		/* QH_JOB_* */
	uint32_t input_len;	/* bytes of op stream after this header */
	uint32_t dma_count;	/* the host model's answers to the DMA probes */
	uint32_t edu_count;	/* edu devices the runner plugged in */
	/* then: struct qh_edu[edu_count], uint64_t answers[dma_count], the
	 * input's bytes */
};

/*
 * The edu devices behind the SMMU, one per stream ID the input probes, at
 * the PCI address whose requester ID is that stream ID: on bus 0 at
 * devfn = SID & 0xff; on bus SID >> 8 below a PCIe root port whose bus
 * numbers the hypervisor programs (the port itself at 00:port_slot.0).
 */
#define QH_EDU_MAX		8U

struct qh_edu {
	uint32_t sid;
	int32_t port_slot;	/* -1: on bus 0 */
};

/* Hypercalls: x0 = function, arguments in x1..x5, result in x0. */
enum qh_hvc {
	QH_HVC_HELLO = 0x5100,	/* x1 = &trace (the agent's), x2 = &ops_done */
	QH_HVC_INPUT_BEGIN,	/* the prelude is over: the input starts */
	QH_HVC_OWN,		/* x1 = enum own_action, x2 = pa -> result */
	QH_HVC_DMA,		/* x1 = flags, x2 = sid, x3 = ssid, x4 = iova,
				 * x5 = the probe's index -> observed value */
	QH_HVC_RACE,		/* x1 = pa, x2 = value, x3 = size */
	QH_HVC_IDR,		/* x1 = n -> the hardware's IDRn */
	QH_HVC_SMMU_COUNT,	/* -> SMMUs the hypervisor drives */
	QH_HVC_END,		/* end of input: audit, verdict, exit */
	QH_HVC_ABORT,		/* x1 = enum qh_agent_error: the agent cannot go on */
};

enum qh_agent_error {
	QH_AGENT_BAD_JOB = 1,
	QH_AGENT_EXCEPTION,	/* x2 = ESR_EL1, x3 = ELR_EL1 */
	QH_AGENT_UNSUPPORTED,	/* x2 = the op code QEMU cannot run */
};

/*
 * The console line with the verdict, exactly once per run:
 *   "smmufuzz-el2: <verdict> trace=<16 hex> ops=<n> rejects=<n> dma=<v>/<u>/<r>"
 * where <verdict> is what `smmufuzz replay` prints: ok, rejected:<site> or
 * finding:<signature>, and dma counts the probes whose model answer the
 * real transaction verified, left unverified, refuted. The exit status
 * says the class.
 */
#define QH_VERDICT_PREFIX	"smmufuzz-el2: "

enum qh_exit {
	QH_EXIT_OK = 0,
	QH_EXIT_REJECTED = 1,
	QH_EXIT_FINDING = 2,
	QH_EXIT_HARNESS = 3,	/* the harness itself failed: no verdict */
};

/*
 * qemu-linux: a real Linux kernel is the host instead of the agent
 * (docs/qemu-harness.md, "A real client"). QEMU gets -m QH_LINUX_RAM_MB;
 * the core manages all of it, the first EL2_HYP_SIZE bytes (64 MiB) being
 * the hypervisor's, where the runner also loads this job. Linux's memory
 * starts at QH_LINUX_BASE: the kernel Image there, its device tree and
 * the initramfs above.
 */
#define QH_LINUX_RAM_MB		512U
#define QH_LINUX_MAX_CPUS	4U	/* EL2_MAX_CPUS: a stack each */
#define QH_LINUX_JOB_ADDR	0x43F00000ULL	/* hypervisor memory */
#define QH_LINUX_BASE		0x44000000ULL
#define QH_LINUX_KERNEL_ADDR	0x44000000ULL	/* 2 MiB aligned, text_offset 0 */
#define QH_LINUX_DTB_ADDR	0x4FE00000ULL
#define QH_LINUX_INITRD_ADDR	0x50000000ULL
#define QH_LINUX_INITRD_MAX	0x0C000000ULL
/* Pages the hostile hypervisor gives away and takes back while Linux runs:
 * Linux's own memory, kept from its allocator (/reserved-memory, no-map),
 * so Linux neither touches nor DMAs to them. */
#define QH_LINUX_HOSTILE_ADDR	0x5FF00000ULL
#define QH_LINUX_HOSTILE_PAGES	64U

#define QH_LINUX_MAGIC		0x314E4C5A464D53ULL	/* "SMFZLN1" */

/* Flags besides QH_JOB_VERBOSE (the hypervisor logs every trap). */
#define QH_LINUX_RECORD		0x2U	/* write the op stream at the end */
#define QH_LINUX_HOSTILE	0x4U	/* donate and reclaim pages as it runs */

struct qh_linux {
	uint64_t magic;
	uint32_t flags;		/* QH_LINUX_*, QH_JOB_VERBOSE */
	uint32_t hostile_every;	/* SMMU traps between two ownership changes */
	uint64_t kernel_size;	/* bytes of Image at QH_LINUX_KERNEL_ADDR */
	uint64_t initrd_size;	/* bytes of initramfs at QH_LINUX_INITRD_ADDR */
	char record_path[512];	/* the host file the stream goes to (semihosting) */
};

/*
 * After the verdict line, qemu-linux's hypervisor prints one line of
 * counts: "smmufuzz-linux: traps=<n> smc=<n> own=<n>/<failed> events=<n>
 * gerror=0x<x> record=<ops>[+overflow] copies=<n> unmapped=<n>
 * foreign=<n> contended=<n> by-cpu=<n>/<n>/<n>/<n> hash=<16 hex>"
 * (contended: lock acquisitions that waited for another CPU; by-cpu: the
 * SMMU traps of each CPU); and "smmufuzz-linux: error: ..." when the record could
 * not be written.
 */
#define QH_LINUX_PREFIX		"smmufuzz-linux: "

#endif /* SMMUFUZZ_QEMU_ABI_H */
