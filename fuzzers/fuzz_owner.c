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

SMMUFUZZ_TARGET("fuzz_owner")
