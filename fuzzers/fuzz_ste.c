// SPDX-License-Identifier: MIT
/*
 * fuzz_ste: hostile STEs, level-1 descriptors (Span and L2Ptr games),
 * context descriptors and CFGI ranges on an SMMU the Linux driver has reset,
 * with DMA probes. Oracles: every STE the hardware may use carries the
 * hypervisor's stage 2 (at each CFGI and over the whole shadow table), the
 * shadow L2 tables are hypervisor memory, host STEs and descriptors are
 * read once, no probe reaches memory the host does not own.
 */
#include "harness.h"

SMMUFUZZ_TARGET("fuzz_ste")
