/* SPDX-License-Identifier: MIT */
/* Delta debugging over an op list: the shrinking behind `smmufuzz minimize`. */
#ifndef SMMUFUZZ_MINIMIZE_H
#define SMMUFUZZ_MINIMIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "opstream.h"

/* True when @ops (of @n) still shows what we are minimising for. */
typedef bool (*minimize_keep_fn)(void *ctx, const struct op *ops, size_t n);

/*
 * Drop ever smaller chunks of @ops, then single ops, as long as @keep stays
 * true; every trial is one call of @keep. Returns the new count (ops is
 * rewritten in place); @runs counts the trials.
 */
size_t minimize_ops(struct op *ops, size_t n, minimize_keep_fn keep, void *ctx,
		    unsigned *runs);

#endif /* SMMUFUZZ_MINIMIZE_H */
