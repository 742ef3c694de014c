// SPDX-License-Identifier: MIT
/*
 * Linked into the AFL++ targets (with -Wl,--wrap=LLVMFuzzerTestOneInput):
 * makes an input's coverage the same on every run in one process, which is
 * what AFL++ measures as stability.
 *
 * The harness boots the world an input runs in the first time an input
 * needs it and keeps it cached (harness.c); that boot runs the core's init,
 * which is instrumented, so the first run of an input in a new world (in
 * each persistent child: afl-fuzz forks a fresh one every so often) shows
 * edges its later runs do not. Here every input first gets an empty run in
 * its world (only its world ops: the boot happens then, if at all), the
 * coverage map is cleared, and then the input runs for real. Each input is
 * also counted for the campaign's live exec/s (exec_counter.h).
 *
 * SMMUFUZZ_AFL_BOOT_COVERAGE=1 counts the boot again: afl-cmin refuses a
 * target whose smallest input shows no coverage, and an input made of world
 * ops only runs no core code but the boot (smmufuzz corpus-min sets it).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_counter.h"
#include "harness.h"

#define BOOT_COVERAGE_ENV "SMMUFUZZ_AFL_BOOT_COVERAGE"

/* AFL++'s runtime (afl-compiler-rt): the coverage map and its size. */
extern uint8_t *__afl_area_ptr;
extern uint32_t __afl_map_size;

int __real_LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int __wrap_LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct op ops[OPS_MAX_OPS];

static bool world_op(const struct op *op)
{
	return op->code == OP_HW || op->code == OP_FDT;
}

/* Options of the empty run: the target's world, nothing judged. */
static const struct harness_opts *warm_opts(void)
{
	static struct harness_opts warm;
	static bool known;
	const struct harness_opts *target;

	if (known)
		return &warm;
	target = harness_target_opts(program_invocation_short_name);
	if (target == NULL) {
		fprintf(stderr, "smmufuzz: %s is not a fuzz target name\n",
			program_invocation_short_name);
		exit(2);
	}
	warm = *target;
	warm.abort_on_finding = false;
	warm.quiet = true;
	warm.oracles = false;
	warm.differential = false;
	known = true;
	return &warm;
}

static bool boot_coverage(void)
{
	static int on = -1;

	if (on < 0) {
		const char *e = getenv(BOOT_COVERAGE_ENV);

		on = e != NULL && strcmp(e, "1") == 0;
	}
	return on;
}

int __wrap_LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct run_result res;
	struct ops_header hdr;
	size_t i, m = 0;
	int n;

	exec_counter_bump();
	if (boot_coverage())
		return __real_LLVMFuzzerTestOneInput(data, size);
	n = ops_decode(data, size, false, &hdr, ops, OPS_MAX_OPS, NULL);
	for (i = 0; n > 0 && i < (size_t)n; i++)
		if (world_op(&ops[i]))
			ops[m++] = ops[i];
	harness_run_ops(hdr.profile, ops, m, warm_opts(), &res);
	memset(__afl_area_ptr, 0, __afl_map_size);
	__afl_area_ptr[0] = 1;
	return __real_LLVMFuzzerTestOneInput(data, size);
}
