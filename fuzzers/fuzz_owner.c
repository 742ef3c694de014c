// SPDX-License-Identifier: MIT
/*
 * fuzz_owner: ownership changes (share, donate to the hypervisor or a
 * guest, reclaim, MMIO donation and return) interleaved with STEs and DMA
 * probes on a live SMMU. Oracles: the identity map equals the ownership map
 * for every page that changed (and its block), no probe reaches a page the
 * host does not own or sees the wrong memory type, the TLB is invalidated
 * before a page leaves the host.
 */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct harness_opts *opts;
	struct run_result res;

	if (opts == NULL)
		opts = harness_target_opts("fuzz_owner");
	harness_run(data, size, opts, &res);
	return 0;
}
