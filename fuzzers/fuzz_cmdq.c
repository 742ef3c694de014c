// SPDX-License-Identifier: MIT
/*
 * fuzz_cmdq: every input starts from an SMMU the Linux driver has reset
 * (queues on, SMMUEN set), then plays hostile command streams: raw commands,
 * doorbell games with arbitrary PROD/CONS values, queue memory rewritten
 * between doorbells or right after the hypervisor reads it, base changes.
 * Oracles on top of fuzz_mmio's: every command the hardware executes obeys
 * the filter's rules, CONS never passes PROD, each queue entry is read once,
 * and a Linux-like stream looks the same on the bare hardware model.
 */
#include "harness.h"

SMMUFUZZ_TARGET("fuzz_cmdq")
