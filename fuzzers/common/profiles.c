// SPDX-License-Identifier: MIT
/*
 * The hardware each world profile is made of. The names and their order are
 * the op-stream's (ops_profile_name); this table must list them in order.
 */
#include <string.h>

#include "opstream.h"
#include "profiles.h"

struct profile {
	const char *name;
	const char *hw;		/* hwm profile name */
	unsigned smmu_count;
};

static const struct profile profiles[] = {
	{ "qemu-virt", "qemu-virt", 1 },
	{ "dual", "qemu-virt", 2 },
	{ "linear-msi", "linear-msi", 1 },
	{ "mmu700", "mmu700", 1 },
};

#define PROFILE_COUNT (sizeof(profiles) / sizeof(profiles[0]))

bool profile_world_config(unsigned idx, struct world_config *cfg)
{
	int hw;
	unsigned i;

	if (idx >= PROFILE_COUNT || ops_profile_name(idx) == NULL ||
	    strcmp(ops_profile_name(idx), profiles[idx].name) != 0)
		return false;
	hw = hwm_profile_find(profiles[idx].hw);
	if (hw < 0)
		return false;
	memset(cfg, 0, sizeof(*cfg));
	cfg->smmu_count = profiles[idx].smmu_count;
	for (i = 0; i < cfg->smmu_count; i++)
		cfg->hw[i] = hwm_profile((unsigned)hw);
	return true;
}
