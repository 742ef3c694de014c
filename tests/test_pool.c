// SPDX-License-Identifier: MIT
/* The page pool: natural alignment, zeroing, exhaustion, freeing. */
#include "fixture.h"
#include "priv.h"

static void pool_hands_out_aligned_zeroed_runs(void)
{
	struct world *w = fx_world("qemu-virt", 1);
	struct smmu_pool pool;
	pa_t a, b, c;
	uint8_t *p;

	world_activate(w);
	EXPECT_EQ(pool_init(&pool, pa_init(WORLD_POOL_BASE), 64), 0);
	p = world_ram(w, WORLD_POOL_BASE + 0x4000, 0x4000);
	memset(p, 0xEE, 0x4000);	/* stale data must not leak out */
	EXPECT_EQ(pool_alloc(&pool, 0, &a), 0);
	EXPECT_EQ(pa_val(a), WORLD_POOL_BASE);
	EXPECT_EQ(pool_alloc(&pool, 2, &b), 0);
	EXPECT_EQ(pa_val(b) & 0x3FFF, 0);
	EXPECT_EQ(pa_val(b), WORLD_POOL_BASE + 0x4000);
	EXPECT_EQ(p[0], 0);
	EXPECT_EQ(p[0x3FFF], 0);
	EXPECT_EQ(pool.used, 5);
	EXPECT_EQ(pool_alloc(&pool, 0, &c), 0);
	EXPECT_EQ(pa_val(c), WORLD_POOL_BASE + 0x1000);
	pool_free(&pool, b, 2);
	EXPECT_EQ(pool.used, 2);
	EXPECT(pool_owns(&pool, b));
	EXPECT(!pool_owns(&pool, pa_init(WORLD_POOL_BASE + 64 * 0x1000)));
	world_free(w);
}

static void pool_runs_out_cleanly(void)
{
	struct world *w = fx_world("qemu-virt", 1);
	struct smmu_pool pool;
	pa_t a;
	unsigned i;

	world_activate(w);
	EXPECT_EQ(pool_init(&pool, pa_init(WORLD_POOL_BASE), 130), 0);
	for (i = 0; i < 130; i++)
		EXPECT_EQ(pool_alloc(&pool, 0, &a), 0);
	EXPECT_EQ(pool_alloc(&pool, 0, &a), SMMU_ENOMEM);
	EXPECT_EQ(pool_alloc(&pool, 11, &a), SMMU_EINVAL);
	pool_free(&pool, pa_init(WORLD_POOL_BASE + 70 * 0x1000), 0);
	EXPECT_EQ(pool_alloc(&pool, 1, &a), SMMU_ENOMEM);
	EXPECT_EQ(pool_alloc(&pool, 0, &a), 0);
	EXPECT_EQ(pa_val(a), WORLD_POOL_BASE + 70 * 0x1000);
	world_free(w);
}

static void pool_refuses_bad_geometry(void)
{
	struct smmu_pool pool;

	EXPECT_EQ(pool_init(&pool, pa_init(WORLD_POOL_BASE + 8), 4), SMMU_EINVAL);
	EXPECT_EQ(pool_init(&pool, pa_init(WORLD_POOL_BASE), 0), SMMU_EINVAL);
	EXPECT_EQ(pool_init(&pool, pa_init(WORLD_POOL_BASE), SMMU_POOL_MAX_PAGES + 1),
		  SMMU_EINVAL);
}

static void freeing_a_free_page_is_a_bug(void)
{
	struct fx f;
	struct smmu_pool pool;
	pa_t a;

	f.w = fx_world("qemu-virt", 1);
	world_activate(f.w);
	EXPECT_EQ(pool_init(&pool, pa_init(WORLD_POOL_BASE), 8), 0);
	EXPECT_EQ(pool_alloc(&pool, 0, &a), 0);
	pool_free(&pool, a, 0);
	EXPECT_EQ(FX_EXPECT_STOP(&f, pool_free(&pool, a, 0)), WORLD_STOP_BUG);
	EXPECT(strstr(world_outcome(f.w)->stop_site, "pool.c") != NULL);
	fx_done(&f);
}

int main(void)
{
	RUN(pool_hands_out_aligned_zeroed_runs);
	RUN(pool_runs_out_cleanly);
	RUN(pool_refuses_bad_geometry);
	RUN(freeing_a_free_page_is_a_bug);
	CHECK_DONE();
}
