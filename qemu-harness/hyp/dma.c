// SPDX-License-Identifier: MIT
/* DMA probes through the real SMMU (to come: QEMU's edu device). */
#include "hyp.h"

void hyp_dma_init(void)
{
}

uint64_t hyp_dma_probe(unsigned flags, uint32_t sid, uint32_t ssid, uint64_t iova,
		       uint32_t index)
{
	(void)flags;
	(void)sid;
	(void)ssid;
	(void)iova;
	(void)index;
	hyp_harness_error("DMA probes are not wired yet");
}
