// SPDX-License-Identifier: MIT
/*
 * fuzz_boot: the hardware the hypervisor finds and the device tree that
 * describes it (HW and FDT ops), and the boot itself step by step (BOOT
 * ops: setup, register, init, remove, de-privilege, in any order), then
 * anything a host may do. Oracles: every boot step leaves the SMMUs safe,
 * a failed or removed init gives clean SMMUs back, and once live all of
 * fuzz_all's.
 */
#include "harness.h"

SMMUFUZZ_TARGET("fuzz_boot")
