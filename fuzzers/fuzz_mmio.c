// SPDX-License-Identifier: MIT
/*
 * fuzz_mmio: hostile register reads and writes (any offset, width and
 * value) interleaved with host memory writes, ownership changes, DMA probes
 * and the Linux reset macro. Oracles: sanitizers, the core's BUG path, the
 * platform's memory oracles and the isolation audit.
 */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct harness_opts *opts;
	struct run_result res;

	if (opts == NULL)
		opts = harness_target_opts("fuzz_mmio");
	harness_run(data, size, opts, &res);
	return 0;
}
