// SPDX-License-Identifier: MIT
/*
 * bench: in-process executions per second of a target over its seeds, and
 * how much of that time is spent inside the core (the rest is the harness:
 * reset, op decoding, host memory, oracles). Prints figures; asserts none.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <smmu/regs.h>

#include "cli.h"

#define MAX_SEEDS 4096U

struct seed {
	unsigned profile;
	struct op *ops;
	size_t n;
};

static uint64_t cycles_now(void)
{
#if defined(__x86_64__)
	return __builtin_ia32_rdtsc();
#else
	return (uint64_t)(now_s() * 1e9);
#endif
}

static const char *sanitizers(void)
{
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
	return "ASan+UBSan";
#endif
#endif
	return "no sanitizers";
}

static size_t load_seeds(char **paths, int npaths, struct seed *seeds)
{
	static struct op tmp[OPS_MAX_OPS];
	char **files;
	size_t nfiles, i, n = 0;

	nfiles = list_inputs(paths, npaths, &files);
	for (i = 0; i < nfiles && n < MAX_SEEDS; i++) {
		struct ops_header hdr;
		struct buf b;
		char err[256];
		int k;

		if (!read_file(files[i], &b, err, sizeof(err)))
			die("%s", err);
		/* Fuzzer corpora hold raw inputs: decode them as the fuzzer does. */
		k = decode_file(&b, true, &hdr, tmp, OPS_MAX_OPS, err, sizeof(err));
		free(b.data);
		if (k < 0)
			die("%s: %s", files[i], err);
		seeds[n].profile = hdr.profile;
		seeds[n].n = (size_t)k;
		seeds[n].ops = malloc(sizeof(struct op) * (size_t)(k ? k : 1));
		if (seeds[n].ops == NULL)
			die("out of memory");
		memcpy(seeds[n].ops, tmp, sizeof(struct op) * (size_t)k);
		n++;
	}
	free_inputs(files, nfiles);
	return n;
}

/*
 * Nanoseconds spent inside the core per run of @ops (after the target's
 * prelude), averaged over @seconds of repeated runs. Dies if the ops do not
 * run cleanly: a benchmark of a rejected path measures the wrong thing.
 */
static double core_ns_per_run(const char *target, const struct op *ops, size_t n,
			      double seconds, uint64_t *runs_out)
{
	static struct run_result r;
	struct harness_opts opts = *harness_target_opts(target);
	uint64_t core = 0, runs = 0, c0, c1;
	double t0, t1;

	opts.abort_on_finding = false;
	opts.quiet = true;
	opts.time_core = true;
	harness_run_ops(0, ops, n, &opts, &r);
	if (r.verdict != VERDICT_OK)
		die("bench: the benchmark's ops did not run cleanly (%s)", r.site);
	t0 = now_s();
	c0 = cycles_now();
	do {
		harness_run_ops(0, ops, n, &opts, &r);
		core += r.core_cycles;
		runs++;
		t1 = now_s();
	} while (t1 - t0 < seconds);
	c1 = cycles_now();
	*runs_out = runs;
	return (double)core / ((double)(c1 - c0) / ((t1 - t0) * 1e9)) / (double)runs;
}

/*
 * The core's cost per emulated command: a batch of @n commands (the kinds
 * Linux issues most: TLBI_NH_ASID and CFGI_CD) published with one doorbell
 * on an SMMU the Linux driver has reset; only the doorbell's trap is timed.
 */
static void bench_cmd_batch(unsigned n, double seconds)
{
	static struct op ops[OPS_MAX_OPS];
	uint64_t runs;
	double batch_ns;
	unsigned i;

	if (n == 0 || n > 256)
		die("bench: --cmd-batch must be between 1 and 256 (the host queue size)");
	memset(ops, 0, sizeof(ops));
	for (i = 0; i < n; i++) {
		ops[i].code = OP_CMD;
		ops[i].v0 = (i & 1U) ? (CMDQ_OP_CFGI_CD | ((uint64_t)i << 32))
				     : (CMDQ_OP_TLBI_NH_ASID | ((uint64_t)i << 48));
		ops[i].v1 = (i & 1U) ? 1U : 0U;
	}
	ops[n - 1].a8 = CMD_F_RING;
	batch_ns = core_ns_per_run("fuzz_cmdq", ops, n, seconds, &runs);
	printf("bench command batch (%s): %u commands per doorbell, %llu batches\n",
	       sanitizers(), n, (unsigned long long)runs);
	printf("  inside the core  %10.0f ns per command  %8.2f us per batch\n",
	       batch_ns / n, batch_ns / 1000);
}

/*
 * The cost of one ownership change on a live SMMU (the Linux reset done):
 * @n host pages donated to a guest (unmap + TLBI_S12_VMALL + CMD_SYNC on
 * the hardware queue), then the same with each page reclaimed right after
 * (map); the difference is the cost of the way back.
 */
static void bench_own(unsigned n, double seconds)
{
	static struct op ops[OPS_MAX_OPS];
	uint64_t runs_d, runs_b;
	double donate_ns, both_ns;
	unsigned i;

	if (n == 0 || n > OPS_MAX_OPS / 2)
		die("bench: --own must be between 1 and %u", OPS_MAX_OPS / 2);
	memset(ops, 0, sizeof(ops));
	/* Pages from 8 MiB into host RAM, clear of the Linux reset's queues
	 * and tables. */
	for (i = 0; i < n; i++) {
		ops[i].code = OP_OWN;
		ops[i].a8 = OWN_DONATE_GUEST;
		ops[i].a32 = (uint32_t)((LAYOUT_HOST_BASE - LAYOUT_RAM_BASE) >> 12) + 0x800U + i;
	}
	donate_ns = core_ns_per_run("fuzz_owner", ops, n, seconds, &runs_d);
	for (i = 0; i < n; i++) {
		ops[n + i] = ops[i];
		ops[n + i].a8 = OWN_RECLAIM_GUEST;
	}
	both_ns = core_ns_per_run("fuzz_owner", ops, 2U * n, seconds, &runs_b);
	printf("bench ownership changes (%s): %u pages, %llu + %llu runs, 1 SMMU enabled\n",
	       sanitizers(), n, (unsigned long long)runs_d, (unsigned long long)runs_b);
	printf("  donate to guest  %10.0f ns per page (unmap + TLBI_S12_VMALL + CMD_SYNC)\n",
	       donate_ns / n);
	printf("  reclaim to host  %10.0f ns per page (map)\n", (both_ns - donate_ns) / n);
}

int cmd_bench(int argc, char **argv)
{
	static struct run_result r;
	static struct seed seeds[MAX_SEEDS];
	const char *target = "fuzz_mmio";
	double seconds = 5, t0, t1, elapsed, cyc_per_ns;
	char defdir[4096], *def[1];
	struct harness_opts opts;
	uint64_t execs = 0, c0, c1, core = 0, core_execs = 0, touched = 0;
	uint64_t calls = 0, empty, booted, recycled;
	size_t nseeds, i;
	int a;

	for (a = 1; a < argc; a++) {
		if ((strcmp(argv[a], "--cmd-batch") == 0 || strcmp(argv[a], "--own") == 0) &&
		    a + 1 < argc) {
			bool own = strcmp(argv[a], "--own") == 0;
			unsigned n = (unsigned)parse_count(argv[a], argv[a + 1]);

			a++;
			if (a + 2 < argc && strcmp(argv[a + 1], "--seconds") == 0)
				seconds = (double)parse_count("--seconds", argv[a + 2]);
			if (own)
				bench_own(n, seconds);
			else
				bench_cmd_batch(n, seconds);
			return 0;
		}
		if (strcmp(argv[a], "--target") == 0 && a + 1 < argc)
			target = argv[++a];
		else if (strcmp(argv[a], "--seconds") == 0 && a + 1 < argc)
			seconds = (double)parse_count("--seconds", argv[++a]);
		else if (argv[a][0] == '-')
			die("bench: unknown option '%s'", argv[a]);
		else
			break;
	}
	if (harness_target_opts(target) == NULL)
		die("bench: unknown target '%s'", target);
	if (seconds <= 0)
		die("bench: --seconds must be at least 1");
	if (a < argc) {
		nseeds = load_seeds(argv + a, argc - a, seeds);
	} else {
		snprintf(defdir, sizeof(defdir), "%s/corpus/seeds/%s", build_dir(), target);
		def[0] = defdir;
		nseeds = load_seeds(def, 1, seeds);
	}
	if (nseeds == 0)
		die("bench: no seeds to run");
	opts = *harness_target_opts(target);
	opts.abort_on_finding = false;
	opts.quiet = true;

	/* Warm-up also boots every profile the seeds use. */
	for (i = 0; i < nseeds; i++)
		harness_run_ops(seeds[i].profile, seeds[i].ops, seeds[i].n, &opts, &r);

	/* Full executions, exactly as the fuzz target runs them. */
	t0 = now_s();
	c0 = cycles_now();
	do {
		for (i = 0; i < nseeds; i++, execs++)
			harness_run_ops(seeds[i].profile, seeds[i].ops, seeds[i].n,
					&opts, &r);
		t1 = now_s();
	} while (t1 - t0 < seconds);
	c1 = cycles_now();
	elapsed = t1 - t0;
	cyc_per_ns = (double)(c1 - c0) / (elapsed * 1e9);

	/* Same inputs again, this time measuring the time inside core calls. */
	opts.time_core = true;
	t0 = now_s();
	do {
		for (i = 0; i < nseeds; i++, core_execs++) {
			harness_run_ops(seeds[i].profile, seeds[i].ops, seeds[i].n,
					&opts, &r);
			core += r.core_cycles;
			calls += r.core_calls;
			touched += r.touched_pages;
		}
	} while (now_s() - t0 < seconds / 2);

	/* What one empty timed section costs (a cycle-counter read can be
	 * expensive in a VM): subtracted once per core call. */
	empty = cycles_now();
	for (i = 0; i < 100000; i++)
		(void)cycles_now();
	empty = (cycles_now() - empty) / 100000;
	core = core > calls * empty ? core - calls * empty : 0;
	{
		double full_ns = elapsed * 1e9 / (double)execs;
		double core_ns = (double)core / cyc_per_ns / (double)core_execs;

		printf("bench %s (%s): %zu seed(s), %.1f s, %llu executions\n", target,
		       sanitizers(), nseeds, elapsed, (unsigned long long)execs);
		printf("  full execution   %10.0f exec/s   %8.2f us/exec\n",
		       (double)execs / elapsed, full_ns / 1000);
		printf("  inside the core  %10s          %8.2f us/exec\n", "",
		       core_ns / 1000);
		printf("  overhead ratio   %10.2f (full / core calls only)\n",
		       core_ns > 0 ? full_ns / core_ns : 0.0);
		printf("  per-input reset  %10.1f pages touched on average\n",
		       (double)touched / (double)core_execs);
		printf("  core calls       %10.1f per input (trapped accesses, requests)\n",
		       (double)calls / (double)core_execs);
		harness_boot_counts(&booted, &recycled);
		printf("  worlds booted    %10llu (%llu reusing an evicted one's memory)\n",
		       (unsigned long long)booted, (unsigned long long)recycled);
	}
	for (i = 0; i < nseeds; i++)
		free(seeds[i].ops);
	return 0;
}
