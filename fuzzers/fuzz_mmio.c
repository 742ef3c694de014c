// SPDX-License-Identifier: MIT
/*
 * fuzz_mmio: hostile register reads and writes (any offset, width and
 * value) interleaved with host memory writes, ownership changes, DMA probes
 * and the Linux reset macro. Oracles: sanitizers, the core's BUG path, the
 * platform's memory oracles and the isolation audit.
 */
#include "harness.h"

SMMUFUZZ_TARGET("fuzz_mmio")
