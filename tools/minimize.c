// SPDX-License-Identifier: MIT
/* Delta debugging over an op list (chunks, halving, down to single ops). */
#include <stdlib.h>
#include <string.h>

#include "minimize.h"

size_t minimize_ops(struct op *ops, size_t n, minimize_keep_fn keep, void *ctx,
		    unsigned *runs)
{
	struct op *trial = malloc(sizeof(*trial) * (n ? n : 1));
	size_t chunk = n / 2 ? n / 2 : 1, i;

	if (trial == NULL)
		return n;
	while (n > 1 && chunk >= 1) {
		bool progress = false;

		for (i = 0; i + chunk <= n && n > 1;) {
			size_t m = n - chunk;

			memcpy(trial, ops, i * sizeof(*ops));
			memcpy(trial + i, ops + i + chunk, (n - i - chunk) * sizeof(*ops));
			(*runs)++;
			if (m > 0 && keep(ctx, trial, m)) {
				memcpy(ops, trial, m * sizeof(*ops));
				n = m;
				progress = true;
			} else {
				i += chunk;
			}
		}
		if (progress && chunk > n / 2)
			chunk = n / 2 ? n / 2 : 1;
		else if (!progress)
			chunk /= 2;
	}
	free(trial);
	return n;
}
