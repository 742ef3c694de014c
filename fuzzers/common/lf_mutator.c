// SPDX-License-Identifier: MIT
/*
 * libFuzzer's custom-mutator hooks over the structure-aware mutator
 * (mutator.h). Linked into the fuzz targets only: LLVMFuzzerMutate, the
 * engine's own byte-level mutation, exists nowhere else.
 *
 * SMMUFUZZ_MUTATOR picks the mix, read once per process:
 *   unset, "on"  structure-aware for 3 mutations in 4, libFuzzer's own
 *                (with its comparison hints) for the rest;
 *   "only"       structure-aware only;
 *   "off", "0"   libFuzzer's own only: the engine as if no hook existed.
 */
#include <stdlib.h>
#include <string.h>

#include "lf_mutator.h"
#include "mutator.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

enum mix { MIX_UNSET, MIX_ON, MIX_ONLY, MIX_OFF };

static enum mix mix_mode(void)
{
	static enum mix mode = MIX_UNSET;
	const char *e;

	if (mode != MIX_UNSET)
		return mode;
	e = getenv("SMMUFUZZ_MUTATOR");
	if (e != NULL && (strcmp(e, "off") == 0 || strcmp(e, "0") == 0))
		mode = MIX_OFF;
	else if (e != NULL && strcmp(e, "only") == 0)
		mode = MIX_ONLY;
	else
		mode = MIX_ON;
	return mode;
}

size_t lf_mutate(const char *target, uint8_t *data, size_t size,
		 size_t max_size, unsigned seed)
{
	static uint32_t mask;

	if (mask == 0)
		mask = opmut_target_mask(target);
	switch (mix_mode()) {
	case MIX_OFF:
		return LLVMFuzzerMutate(data, size, max_size);
	case MIX_ON:
		if (seed % 4U == 0)
			return LLVMFuzzerMutate(data, size, max_size);
		break;
	default:
		break;
	}
	return opmut_mutate(data, size, max_size, seed, mask);
}

size_t lf_crossover(const char *target, const uint8_t *a, size_t a_size,
		    const uint8_t *b, size_t b_size, uint8_t *out,
		    size_t max_out, unsigned seed)
{
	size_t n;

	if (mix_mode() == MIX_OFF) {
		/* No structure: mutate a copy of the first as the engine would. */
		n = a_size < max_out ? a_size : max_out;
		memcpy(out, a, n);
		return LLVMFuzzerMutate(out, n, max_out);
	}
	return opmut_crossover(a, a_size, b, b_size, out, max_out, seed,
			       opmut_target_mask(target));
}
