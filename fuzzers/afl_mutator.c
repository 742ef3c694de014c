// SPDX-License-Identifier: MIT
/*
 * AFL++'s custom mutator library over the structure-aware mutator
 * (common/mutator.h): the same mutations libFuzzer gets through its hooks.
 * afl-fuzz loads it from AFL_CUSTOM_MUTATOR_LIBRARY; it learns its target
 * (hence the ops it may use) from SMMUFUZZ_TARGET, which the campaign sets.
 * AFL++'s own mutations keep running beside it unless
 * AFL_CUSTOM_MUTATOR_ONLY is set (smmufuzz fuzz --mutator only).
 *
 * The entry points and their arguments are AFL++'s custom mutator API
 * (4.x): init, fuzz, describe, deinit. AFL++ hands a splice partner to
 * every fuzz call; one call in SPLICE_ONE_IN splices op sequences with it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutator.h"

#define TARGET_ENV	"SMMUFUZZ_TARGET"
#define SPLICE_ONE_IN	4U
#define DESCRIPTION	"smmu-ops"

struct opmut_state {
	uint32_t rng;
	uint32_t op_mask;
	uint8_t *buf;
	size_t cap;
};

void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size);
const char *afl_custom_describe(void *data, size_t max_description_len);
void afl_custom_deinit(void *data);

/* xorshift32: every call its own seed, the whole run repeatable. */
static uint32_t next(struct opmut_state *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 17;
	s->rng ^= s->rng << 5;
	return s->rng;
}

void *afl_custom_init(void *afl, unsigned int seed)
{
	const char *target = getenv(TARGET_ENV);
	struct opmut_state *s;
	uint32_t mask;

	(void)afl;
	mask = target != NULL ? opmut_target_mask(target) : 0;
	if (mask == 0) {
		fprintf(stderr, "smmufuzz mutator: set %s to a fuzz target name (got %s)\n",
			TARGET_ENV, target ? target : "nothing");
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	s->rng = seed ? seed : 1;
	s->op_mask = mask;
	return s;
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
	struct opmut_state *s = data;
	size_t n;

	if (max_size > s->cap) {
		uint8_t *grown = realloc(s->buf, max_size);

		if (grown == NULL) {
			*out_buf = buf;	/* unchanged rather than nothing */
			return buf_size;
		}
		s->buf = grown;
		s->cap = max_size;
	}
	if (add_buf != NULL && add_buf_size > 0 && next(s) % SPLICE_ONE_IN == 0) {
		n = opmut_crossover(buf, buf_size, add_buf, add_buf_size, s->buf, max_size,
				    next(s), s->op_mask);
	} else {
		n = buf_size < max_size ? buf_size : max_size;
		memcpy(s->buf, buf, n);
		n = opmut_mutate(s->buf, n, max_size, next(s), s->op_mask);
	}
	*out_buf = s->buf;
	return n;
}

const char *afl_custom_describe(void *data, size_t max_description_len)
{
	(void)data;
	return max_description_len > strlen(DESCRIPTION) ? DESCRIPTION : "";
}

void afl_custom_deinit(void *data)
{
	struct opmut_state *s = data;

	if (s != NULL)
		free(s->buf);
	free(s);
}
