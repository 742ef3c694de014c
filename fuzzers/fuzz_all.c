// SPDX-License-Identifier: MIT
/*
 * fuzz_all: the whole op language from a freshly taken-over SMMU (the
 * Linux reset is an op like any other): every oracle of every target,
 * including the differential check for Linux-like command streams.
 */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct harness_opts *opts;
	struct run_result res;

	if (opts == NULL)
		opts = harness_target_opts("fuzz_all");
	harness_run(data, size, opts, &res);
	return 0;
}
