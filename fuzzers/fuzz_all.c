// SPDX-License-Identifier: MIT
/*
 * fuzz_all: the whole op language from a freshly taken-over SMMU (the
 * Linux reset is an op like any other): every oracle of every target,
 * including the differential check for Linux-like command streams.
 */
#include "harness.h"

SMMUFUZZ_TARGET("fuzz_all")
