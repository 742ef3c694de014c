/* SPDX-License-Identifier: MIT */
/*
 * The harness every fuzz target, the CLI and the tests share: it boots the
 * core on a simulated world once per profile, then runs one op stream per
 * call from the post-boot snapshot, applying the oracles, and says how the
 * input ended: ok, rejected (refused by design) or a finding.
 */
#ifndef SMMUFUZZ_HARNESS_H
#define SMMUFUZZ_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opstream.h"

#define OPBIT(code)	(1U << (code))
#define OPMASK_ANY	0xFFFFFFFEU
/* Every target fuzzes the hardware it runs on (HW ops); only fuzz_boot
 * varies the device tree and drives the boot itself (the "all" mask). */
#define OPMASK_WORLD	OPBIT(OP_HW)
#define OPMASK_BOOT	OPMASK_ANY
#define OPMASK_ALL	(OPMASK_ANY & ~(OPBIT(OP_FDT) | OPBIT(OP_BOOT)))

/* Op subsets of the fuzz targets (one harness body, several targets). */
#define OPMASK_MMIO	(OPBIT(OP_SEL) | OPBIT(OP_READ) | OPBIT(OP_WRITE) |   \
			 OPBIT(OP_READX) | OPBIT(OP_WRITEX) | OPBIT(OP_MEM) |  \
			 OPBIT(OP_OWN) | OPBIT(OP_DMA) | OPBIT(OP_RESET) |     \
			 OPBIT(OP_POLL) | OPBIT(OP_HWMODE) | \
			 OPMASK_WORLD)

#define OPMASK_CMDQ	(OPBIT(OP_SEL) | OPBIT(OP_READ) | OPBIT(OP_WRITE) |   \
			 OPBIT(OP_MEM) | OPBIT(OP_CMD) | OPBIT(OP_QPOKE) |     \
			 OPBIT(OP_RACE) | OPBIT(OP_POLL) | OPBIT(OP_SYNC) |    \
			 OPBIT(OP_HWMODE) | \
			 OPMASK_WORLD)

#define OPMASK_STE	(OPBIT(OP_SEL) | OPBIT(OP_READ) | OPBIT(OP_WRITE) |   \
			 OPBIT(OP_STE) | OPBIT(OP_L1) | OPBIT(OP_CD) |         \
			 OPBIT(OP_CMD) | OPBIT(OP_QPOKE) | OPBIT(OP_SYNC) |    \
			 OPBIT(OP_DMA) | OPBIT(OP_MEM) | OPBIT(OP_RACE) |      \
			 OPBIT(OP_HWMODE) | \
			 OPMASK_WORLD)

#define OPMASK_OWNER	(OPBIT(OP_SEL) | OPBIT(OP_OWN) | OPBIT(OP_DMA) |     \
			 OPBIT(OP_STE) | OPBIT(OP_CD) | OPBIT(OP_CMD) |        \
			 OPBIT(OP_SYNC) | OPBIT(OP_MEM) | OPBIT(OP_HWMODE) | \
			 OPMASK_WORLD)

/* What every input of a target starts from. */
enum harness_prelude {
	PRELUDE_BOOT = 0,	/* the SMMUs just taken over, the host's view reset */
	PRELUDE_LINUX = 1,	/* plus the Linux driver's reset of every SMMU */
	PRELUDE_COUNT = 2,
};

enum harness_mode {
	HARNESS_HYP = 0,	/* host -> core -> hardware model (the system under test) */
	HARNESS_REFERENCE = 1,	/* host -> hardware model directly (differential reference) */
};

struct harness_opts {
	uint32_t op_mask;		/* OPBIT()s of the ops to execute */
	enum harness_mode mode;
	bool abort_on_finding;		/* fuzzing: a finding aborts the process */
	bool oracles;			/* isolation audit at DMA probes and at the end */
	bool quiet;			/* do not print findings */
	bool time_core;			/* count CPU cycles spent inside the core */
	enum harness_prelude prelude;
	/* Linux-like inputs also run on the bare hardware model; what the host
	 * sees of the command queue must be the same. */
	bool differential;
	bool verbose;			/* print every op and observation (stderr) */
};

enum verdict {
	VERDICT_OK = 0,
	VERDICT_REJECTED = 1,		/* the core refused something: by design */
	VERDICT_FINDING = 2,		/* a bug: memory error, invariant, isolation */
};

#define RUN_LOG_MAX	1024U
#define RUN_DMA_MAX	256U

struct run_result {
	enum verdict verdict;
	bool fatal;			/* ended by REJECT_FATAL */
	char site[160];			/* first reject site, or finding signature */
	uint32_t rejects;
	uint32_t ops;			/* ops executed */
	uint32_t profile;
	uint64_t trace;			/* hash of everything the host observed */
	uint64_t core_cycles;		/* with time_core: cycles inside core calls */
	uint32_t core_calls;		/* with time_core: how many core calls */
	uint32_t touched_pages;		/* RAM pages the next reset must restore */
	bool compared;			/* the differential check ran */
	/* Host-visible results in order (for differential checks). */
	uint32_t log_count;
	uint64_t log[RUN_LOG_MAX];
	/* The command-queue observations the differential check compares:
	 * reads of CMDQ_CONS, CMDQ_PROD and GERROR, as (offset << 32 | value). */
	uint32_t diff_count;
	uint64_t diff[RUN_LOG_MAX];
	/* What each DMA probe observed, in order (the QEMU runner hands the
	 * model's answers to the real SMMU to check). */
	uint32_t dma_count;
	uint64_t dma[RUN_DMA_MAX];
};

/* Run one input. Returns res->verdict. */
enum verdict harness_run(const uint8_t *data, size_t len,
			 const struct harness_opts *opts, struct run_result *res);

/* Run already decoded ops under profile @profile. */
enum verdict harness_run_ops(unsigned profile, const struct op *ops, size_t n,
			     const struct harness_opts *opts,
			     struct run_result *res);

/* One line: "ok", "rejected:<site>", "finding:<signature>". */
const char *harness_verdict_str(const struct run_result *res, char *buf,
				size_t cap);

/* Default options of a named target ("fuzz_mmio", ...); NULL if unknown. */
const struct harness_opts *harness_target_opts(const char *name);
const char *harness_target_name(unsigned idx);	/* NULL past the end */

/* Drop every cached world (tests, leak checks). */
void harness_shutdown(void);
/* Keep at most @n booted worlds (0: the default), after dropping them all:
 * tests make every new world reuse an evicted one's memory. */
void harness_cache_limit(unsigned n);
/* Worlds booted so far in this process, and how many of them reused an
 * evicted world's memory (bench and SMMUFUZZ_STATS report them). */
void harness_boot_counts(uint64_t *booted, uint64_t *recycled);

/*
 * The libFuzzer entry point of target @name (its options from
 * harness_target_opts) and, for libFuzzer itself, the structure-aware
 * mutator's hooks (lf_mutator.c; an AFL++ build defines
 * SMMUFUZZ_ENGINE_AFL and loads the mutator as a library instead): each
 * fuzzers/fuzz_<name>.c is its comment and this.
 */
#define SMMUFUZZ_ENTRY(name)                                                   \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);         \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)          \
	{                                                                      \
		static const struct harness_opts *opts;                        \
		struct run_result res;                                         \
									       \
		if (opts == NULL)                                              \
			opts = harness_target_opts(name);                      \
		harness_run(data, size, opts, &res);                           \
		return 0;                                                      \
	}

#ifdef SMMUFUZZ_ENGINE_AFL
#define SMMUFUZZ_TARGET(name) SMMUFUZZ_ENTRY(name)
#else
#include "lf_mutator.h"
#define SMMUFUZZ_TARGET(name)                                                  \
	SMMUFUZZ_ENTRY(name)                                                   \
	size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,            \
				       size_t max_size, unsigned int seed);    \
	size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,            \
				       size_t max_size, unsigned int seed)     \
	{                                                                      \
		return lf_mutate(name, data, size, max_size, seed);            \
	}                                                                      \
	size_t LLVMFuzzerCustomCrossOver(const uint8_t *a, size_t a_size,     \
					 const uint8_t *b, size_t b_size,      \
					 uint8_t *out, size_t max_out,         \
					 unsigned int seed);                   \
	size_t LLVMFuzzerCustomCrossOver(const uint8_t *a, size_t a_size,     \
					 const uint8_t *b, size_t b_size,      \
					 uint8_t *out, size_t max_out,         \
					 unsigned int seed)                    \
	{                                                                      \
		return lf_crossover(name, a, a_size, b, b_size, out, max_out,  \
				    seed);                                     \
	}
#endif

#endif /* SMMUFUZZ_HARNESS_H */
