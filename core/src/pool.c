// SPDX-License-Identifier: MIT
/* The page pool: the only memory the core allocates (a bitmap over a carve-out). */
#include "priv.h"

#define POOL_WORD_BITS 64U

static bool pool_test(const struct smmu_pool *pool, uint32_t idx)
{
	return (pool->bitmap[idx / POOL_WORD_BITS] >> (idx % POOL_WORD_BITS)) & 1U;
}

static void pool_mark(struct smmu_pool *pool, uint32_t idx, bool used)
{
	uint64_t bit = 1ULL << (idx % POOL_WORD_BITS);

	if (used)
		pool->bitmap[idx / POOL_WORD_BITS] |= bit;
	else
		pool->bitmap[idx / POOL_WORD_BITS] &= ~bit;
}

int pool_init(struct smmu_pool *pool, pa_t base, uint32_t page_count)
{
	if (!pa_page_aligned(base) || page_count == 0 ||
	    page_count > SMMU_POOL_MAX_PAGES)
		return SMMU_EINVAL;
	smmu_memset(pool, 0, sizeof(*pool));
	pool->base = pa_val(base);
	pool->page_count = page_count;
	return SMMU_OK;
}

bool pool_owns(const struct smmu_pool *pool, pa_t pa)
{
	uint64_t off = pa_val(pa) - pool->base;

	return pa_val(pa) >= pool->base &&
	       (off >> SMMU_PAGE_SHIFT) < pool->page_count;
}

/*
 * First fit over naturally aligned runs of 2^order pages. The scan is
 * bounded by the pool size; whole free words are skipped for order 0.
 */
int pool_alloc(struct smmu_pool *pool, unsigned order, pa_t *pa)
{
	uint32_t run = 1U << order;
	uint32_t idx, i;

	if (order > 10U)
		return SMMU_EINVAL;
	for (idx = 0; idx + run <= pool->page_count; idx += run) {
		if (run < POOL_WORD_BITS &&
		    pool->bitmap[idx / POOL_WORD_BITS] == ~0ULL) {
			idx = (idx / POOL_WORD_BITS + 1U) * POOL_WORD_BITS - run;
			continue;
		}
		for (i = 0; i < run; i++) {
			if (pool_test(pool, idx + i))
				break;
		}
		if (i != run)
			continue;
		for (i = 0; i < run; i++)
			pool_mark(pool, idx + i, true);
		pool->used += run;
		*pa = pa_init(pool->base + ((uint64_t)idx << SMMU_PAGE_SHIFT));
		void *va = plat_hyp_va(*pa);
		BUG_ON(va == NULL);
		smmu_memset(va, 0, (size_t)run << SMMU_PAGE_SHIFT);
		plat_dma_publish(va, (size_t)run << SMMU_PAGE_SHIFT);
		return SMMU_OK;
	}
	return SMMU_ENOMEM;
}

void pool_free(struct smmu_pool *pool, pa_t pa, unsigned order)
{
	uint32_t run = 1U << order;
	uint32_t idx, i;

	BUG_ON(!pool_owns(pool, pa) || !pa_page_aligned(pa));
	idx = (uint32_t)((pa_val(pa) - pool->base) >> SMMU_PAGE_SHIFT);
	BUG_ON(idx + run > pool->page_count || (idx & (run - 1U)) != 0);
	for (i = 0; i < run; i++) {
		BUG_ON(!pool_test(pool, idx + i));
		pool_mark(pool, idx + i, false);
	}
	pool->used -= run;
}
