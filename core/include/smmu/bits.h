/* SPDX-License-Identifier: MIT */
/* Bit and register-field helpers: a field is one mask, its shift is derived. */
#ifndef SMMU_BITS_H
#define SMMU_BITS_H

#include <stdint.h>

#define BIT(n)		(1U << (n))
#define BIT_ULL(n)	(1ULL << (n))

/* Mask of bits h..l inclusive (h >= l). */
#define GENMASK(h, l)	 ((uint32_t)(((~0U) >> (31 - (h))) & ((~0U) << (l))))
#define GENMASK_ULL(h, l) \
	((uint64_t)(((~0ULL) >> (63 - (h))) & ((~0ULL) << (l))))

/* Shift of the lowest set bit of a non-zero constant mask. */
#define FIELD_SHIFT(mask)	((unsigned)__builtin_ctzll((uint64_t)(mask)))

/* Extract the field @mask from @reg. */
#define FIELD_GET(mask, reg) \
	((uint64_t)(((uint64_t)(reg) & (uint64_t)(mask)) >> FIELD_SHIFT(mask)))

/*
 * Place @val into the field @mask. Runtime values are truncated to the
 * field, so callers validate host-supplied values before composing; a
 * constant that does not fit is a compile-time error (see FIELD_PREP_CONST).
 */
#define FIELD_PREP(mask, val) \
	((((uint64_t)(val)) << FIELD_SHIFT(mask)) & (uint64_t)(mask))

#define FIELD_FITS(mask, val) \
	((((uint64_t)(val)) & ~((uint64_t)(mask) >> FIELD_SHIFT(mask))) == 0)

/* For constant initialisers: refuses at compile time a value that overflows. */
#define FIELD_PREP_CONST(mask, val)                                         \
	(sizeof(struct {                                                     \
		_Static_assert(FIELD_FITS(mask, val), "value overflows field"); \
		int dummy;                                                   \
	}) ? FIELD_PREP(mask, val) : 0)

/* Replace field @mask in @reg with @val. */
#define FIELD_SET(mask, reg, val) \
	(((uint64_t)(reg) & ~(uint64_t)(mask)) | FIELD_PREP(mask, val))

#endif /* SMMU_BITS_H */
