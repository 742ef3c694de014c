/* SPDX-License-Identifier: MIT */
/*
 * The three ways the core says no (style.md §C):
 *   REJECT(site)        the host asked for something forbidden; the core
 *                       refuses and carries on (write ignored, CERROR_ILL).
 *   REJECT_FATAL(site)  refused by design with a panic: a DoS the threat
 *                       model accepts. Never a finding.
 *   BUG_ON(cond)        an internal invariant broke: always a finding.
 * Never use BUG_ON on a condition host input can make true.
 */
#ifndef SMMU_CHECK_H
#define SMMU_CHECK_H

#include <smmu/plat.h>

#define SMMU_STR2(x) #x
#define SMMU_STR(x) SMMU_STR2(x)

#define REJECT(site) plat_reject(site)
#define REJECT_FATAL(site) plat_panic(SMMU_PANIC_REJECT, site)

#define BUG_ON(cond)                                                      \
	do {                                                              \
		if (__builtin_expect(!!(cond), 0))                        \
			plat_panic(SMMU_PANIC_BUG,                        \
				   "bug:" __FILE__ ":" SMMU_STR(__LINE__)  \
				   ":" #cond);                            \
	} while (0)

#endif /* SMMU_CHECK_H */
