// SPDX-License-Identifier: MIT
/*
 * The host's view of the SMMU: what a trapped read returns must hide every
 * feature the threat model keeps from the host (docs/threat-model.md). A
 * host told it has MSIs, a stage 2, EL2 streams or ATS would program them
 * and depend on them; the hypervisor must never let it believe so. The bit
 * positions are written here from the architecture, not taken from the core.
 */
#include <stdio.h>

#include "oracle.h"

/* SMMU_IDR0 / SMMU_IDR1 offsets and the features hidden from the host. */
#define V_IDR0		0x00U
#define V_IDR1		0x04U

struct view_bit {
	uint32_t off;
	unsigned bit;
	const char *name;
};

static const struct view_bit hidden[] = {
	{ V_IDR0, 0, "idr0-s2p" },	{ V_IDR0, 9, "idr0-hyp" },
	{ V_IDR0, 10, "idr0-ats" },	{ V_IDR0, 11, "idr0-ns1ats" },
	{ V_IDR0, 13, "idr0-msi" },	{ V_IDR0, 15, "idr0-atos" },
	{ V_IDR0, 16, "idr0-pri" },	{ V_IDR0, 17, "idr0-vmw" },
	{ V_IDR0, 18, "idr0-vmid16" },	{ V_IDR0, 20, "idr0-vatos" },
	{ V_IDR1, 28, "idr1-rel" },	{ V_IDR1, 29, "idr1-queues-preset" },
	{ V_IDR1, 30, "idr1-tables-preset" }, { V_IDR1, 31, "idr1-ecmdq" },
};

void oracle_host_read(struct world *w, uint32_t off, unsigned size, uint64_t val)
{
	char what[64];
	size_t i;

	if (size != 4 || (off != V_IDR0 && off != V_IDR1))
		return;
	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		if (hidden[i].off != off || ((val >> hidden[i].bit) & 1U) == 0)
			continue;
		snprintf(what, sizeof(what), "host-view-%s", hidden[i].name);
		oracle_breach(w, what);
	}
}
