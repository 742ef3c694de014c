/* SPDX-License-Identifier: MIT */
/*
 * Page-state word: what the hypervisor's host stage-2 records for one 4 KiB
 * page. The core's owner.c is the only writer; platforms store it opaquely
 * (plat_pgstate_get/set) and oracles decode it with these masks.
 */
#ifndef SMMU_PGSTATE_H
#define SMMU_PGSTATE_H

#include "bits.h"
#include "types.h"

#define PGS_OWNER		GENMASK(2, 0)
#define PGS_OWNER_HOST		0U	/* 0: every untracked page belongs to the host */
#define PGS_OWNER_HYP		1U
#define PGS_OWNER_GUEST		2U
#define PGS_HOST_SHARED		BIT(3)	/* host shared it with the hyp (hypercall) */
#define PGS_HYP_MAPPED		BIT(4)	/* hyp holds a device mapping (MMIO donation) */
#define PGS_FROM_HOST		BIT(5)	/* hyp-owned page the host lent (reclaimable) */
#define PGS_PINS		GENMASK(15, 8)	/* in use by an SMMU: queue, table, MMIO */
#define PGS_PINS_MAX		255U

static inline unsigned pgs_owner(uint32_t st)
{
	return (unsigned)FIELD_GET(PGS_OWNER, st);
}

static inline unsigned pgs_pins(uint32_t st)
{
	return (unsigned)FIELD_GET(PGS_PINS, st);
}

/* Shared with the hypervisor: the host keeps ownership but may not give it away. */
static inline bool pgs_is_shared(uint32_t st)
{
	return pgs_owner(st) == PGS_OWNER_HOST &&
	       ((st & PGS_HOST_SHARED) != 0 || pgs_pins(st) != 0);
}

#endif /* SMMU_PGSTATE_H */
