// SPDX-License-Identifier: MIT
/*
 * The fuzz targets: one harness, several op subsets and starting points.
 * Kept apart from the harness so the mutator (and an engine's mutator
 * library built from it) can learn a target's ops without the world.
 */
#include <string.h>

#include "harness.h"

struct target {
	const char *name;
	struct harness_opts opts;
};

static const struct target targets[] = {
	{ "fuzz_mmio", { .op_mask = OPMASK_MMIO, .mode = HARNESS_HYP,
			 .abort_on_finding = true, .oracles = true } },
	{ "fuzz_cmdq", { .op_mask = OPMASK_CMDQ, .mode = HARNESS_HYP,
			 .abort_on_finding = true, .oracles = true,
			 .prelude = PRELUDE_LINUX, .differential = true } },
	{ "fuzz_ste", { .op_mask = OPMASK_STE, .mode = HARNESS_HYP,
			.abort_on_finding = true, .oracles = true,
			.prelude = PRELUDE_LINUX } },
	{ "fuzz_owner", { .op_mask = OPMASK_OWNER, .mode = HARNESS_HYP,
			  .abort_on_finding = true, .oracles = true,
			  .prelude = PRELUDE_LINUX } },
	{ "fuzz_all", { .op_mask = OPMASK_ALL, .mode = HARNESS_HYP,
			.abort_on_finding = true, .oracles = true,
			.differential = true } },
	{ "fuzz_boot", { .op_mask = OPMASK_BOOT, .mode = HARNESS_HYP,
			 .abort_on_finding = true, .oracles = true } },
	{ "all", { .op_mask = OPMASK_ANY, .mode = HARNESS_HYP,
		   .abort_on_finding = true, .oracles = true } },
};

const struct harness_opts *harness_target_opts(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (strcmp(targets[i].name, name) == 0)
			return &targets[i].opts;
	return NULL;
}

const char *harness_target_name(unsigned idx)
{
	return idx < sizeof(targets) / sizeof(targets[0]) ? targets[idx].name
							 : NULL;
}
