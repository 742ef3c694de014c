/* SPDX-License-Identifier: MIT */
/* Address types and result codes shared by the core and its platforms. */
#ifndef SMMU_TYPES_H
#define SMMU_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SMMU_PAGE_SHIFT	12
#define SMMU_PAGE_SIZE	(1ULL << SMMU_PAGE_SHIFT)
#define SMMU_PAGE_MASK	(~(SMMU_PAGE_SIZE - 1))

/*
 * A physical address. Wrapped so that a PA cannot be mixed up with a pointer
 * or a plain integer without saying so (pa_init / pa_val).
 */
typedef struct {
	uint64_t v;
} pa_t;

static inline pa_t pa_init(uint64_t v)
{
	return (pa_t){ v };
}

static inline uint64_t pa_val(pa_t pa)
{
	return pa.v;
}

static inline pa_t pa_add(pa_t pa, uint64_t off)
{
	return (pa_t){ pa.v + off };
}

static inline bool pa_page_aligned(pa_t pa)
{
	return (pa.v & (SMMU_PAGE_SIZE - 1)) == 0;
}

/* Results: 0 or a negative code. Values follow Linux errno numbering. */
enum smmu_err {
	SMMU_OK = 0,
	SMMU_EPERM = -1,
	SMMU_ENOENT = -2,
	SMMU_ENOMEM = -12,
	SMMU_EBUSY = -16,
	SMMU_ENODEV = -19,
	SMMU_EINVAL = -22,
	SMMU_ERANGE = -34,
	SMMU_ETIMEDOUT = -110,
};

#define SMMU_MUST_CHECK __attribute__((warn_unused_result))

/* Human-readable name of a result code (never NULL). */
const char *smmu_strerror(int err);

#endif /* SMMU_TYPES_H */
