/* SPDX-License-Identifier: MIT */
/* libFuzzer glue of the structure-aware mutator (lf_mutator.c). */
#ifndef SMMUFUZZ_LF_MUTATOR_H
#define SMMUFUZZ_LF_MUTATOR_H

#include <stddef.h>
#include <stdint.h>

size_t lf_mutate(const char *target, uint8_t *data, size_t size,
		 size_t max_size, unsigned seed);
size_t lf_crossover(const char *target, const uint8_t *a, size_t a_size,
		    const uint8_t *b, size_t b_size, uint8_t *out,
		    size_t max_out, unsigned seed);

#endif /* SMMUFUZZ_LF_MUTATOR_H */
