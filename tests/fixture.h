/* SPDX-License-Identifier: MIT */
/*
 * A booted core on a simulated world, for unit tests: register accesses
 * through the trap entry point, rejections and stops observed through the
 * world's outcome.
 */
#ifndef SMMUFUZZ_TEST_FIXTURE_H
#define SMMUFUZZ_TEST_FIXTURE_H

#include <setjmp.h>

#include <smmu/pgstate.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>
#include "check.h"
#include "hwmodel.h"
#include "world.h"

struct fx {
	struct world *w;
	struct smmu_hyp hyp;
	jmp_buf jb;
	int boot_err;
};

static inline struct world *fx_world(const char *hw, unsigned count)
{
	struct world_config cfg = { 0 };
	unsigned i;
	int idx = hwm_profile_find(hw);

	if (idx < 0) {
		fprintf(stderr, "no hardware profile %s\n", hw);
		exit(2);
	}
	cfg.smmu_count = count;
	for (i = 0; i < count; i++)
		cfg.hw[i] = hwm_profile((unsigned)idx);
	return world_new(&cfg);
}

/* Boot on @w up to (and including) de-privilege; boot_err says how far it
 * got. Page states set on @w beforehand are what the snapshot finds. */
static inline void fx_boot_world(struct fx *f, struct world *w)
{
	static uint8_t fdt[4096];
	size_t size;

	memset(&f->hyp, 0, sizeof(f->hyp));
	f->w = w;
	world_activate(f->w);
	size = world_fdt(f->w, fdt, sizeof(fdt));
	f->boot_err = smmu_setup(&f->hyp, pa_init(WORLD_POOL_BASE), WORLD_POOL_PAGES);
	if (!f->boot_err)
		f->boot_err = smmu_register_driver(&f->hyp, &smmuv3_kern_driver,
						   &smmuv3_hyp_driver);
	if (!f->boot_err)
		f->boot_err = smmu_init_driver(&f->hyp, fdt, size);
	if (!f->boot_err)
		f->boot_err = smmu_deprivilege(&f->hyp);
	world_outcome_reset(f->w);
}

static inline void fx_boot_hw(struct fx *f, const char *hw, unsigned count)
{
	fx_boot_world(f, fx_world(hw, count));
}

static inline void fx_boot(struct fx *f)
{
	fx_boot_hw(f, "qemu-virt", 1);
	if (f->boot_err)
		CHECK_FAIL("boot failed: %d", f->boot_err);
}

static inline void fx_done(struct fx *f)
{
	world_free(f->w);
	f->w = NULL;
}

static inline uint64_t fx_smmu_pa(unsigned idx, uint32_t off)
{
	return world_smmu_base(idx) + off;
}

static inline uint64_t fx_rd_n(struct fx *f, unsigned idx, uint32_t off,
			       unsigned size)
{
	uint64_t v = 0xBAD;

	world_step_begin(f->w);
	if (smmu_dabt(&f->hyp, pa_init(fx_smmu_pa(idx, off)), size, false, &v) !=
	    SMMU_DABT_HANDLED)
		CHECK_FAIL("read of 0x%x not handled", off);
	return v;
}

static inline void fx_wr_n(struct fx *f, unsigned idx, uint32_t off,
			   unsigned size, uint64_t v)
{
	world_step_begin(f->w);
	if (smmu_dabt(&f->hyp, pa_init(fx_smmu_pa(idx, off)), size, true, &v) !=
	    SMMU_DABT_HANDLED)
		CHECK_FAIL("write of 0x%x not handled", off);
}

static inline uint32_t fx_rd(struct fx *f, uint32_t off)
{
	return (uint32_t)fx_rd_n(f, 0, off, 4);
}

static inline void fx_wr(struct fx *f, uint32_t off, uint32_t v)
{
	fx_wr_n(f, 0, off, 4, v);
}

static inline void fx_wr64(struct fx *f, uint32_t off, uint64_t v)
{
	fx_wr_n(f, 0, off, 8, v);
}

static inline uint64_t fx_rd64(struct fx *f, uint32_t off)
{
	return fx_rd_n(f, 0, off, 8);
}

static inline uint32_t fx_rejects(struct fx *f)
{
	return world_outcome(f->w)->rejects;
}

static inline const char *fx_first_reject(struct fx *f)
{
	return world_outcome(f->w)->first_reject;
}

static inline void fx_clear(struct fx *f)
{
	world_outcome_reset(f->w);
}

static inline struct hw_model *fx_hw(struct fx *f)
{
	return world_smmu(f->w, 0);
}

/* The part of the Linux reset this test needs: queues and tables set up. */
#define FX_CMDQ		0x44200000ULL
#define FX_STRTAB	0x44000000ULL
#define FX_EVTQ		0x44300000ULL
#define FX_CR1_LINUX	0xD75U

static inline void fx_program_queues(struct fx *f, unsigned cmdq_log2)
{
	fx_wr(f, SMMU_CR1, FX_CR1_LINUX);
	fx_wr64(f, SMMU_STRTAB_BASE, FX_STRTAB | STRTAB_BASE_RA);
	/* The format the SMMU offers (IDR0.ST_LVL as the host sees it). */
	if (FIELD_GET(IDR0_ST_LVL, fx_rd(f, SMMU_IDR0)) == IDR0_ST_LVL_2LVL)
		fx_wr(f, SMMU_STRTAB_BASE_CFG,
		      (uint32_t)(FIELD_PREP(STRTAB_CFG_FMT, STRTAB_CFG_FMT_2LVL) |
				 FIELD_PREP(STRTAB_CFG_SPLIT, 8) |
				 FIELD_PREP(STRTAB_CFG_LOG2SIZE, 16)));
	else
		fx_wr(f, SMMU_STRTAB_BASE_CFG,
		      (uint32_t)FIELD_PREP(STRTAB_CFG_LOG2SIZE, 8));
	fx_wr64(f, SMMU_CMDQ_BASE, FX_CMDQ | Q_BASE_RWA | cmdq_log2);
	fx_wr(f, SMMU_CMDQ_PROD, 0);
	fx_wr(f, SMMU_CMDQ_CONS, 0);
}

/* The world stopped on an oracle whose signature contains @sig. */
static inline void fx_expect_oracle(struct fx *f, const char *sig)
{
	EXPECT_EQ(world_outcome(f->w)->stop, WORLD_STOP_ORACLE);
	if (strstr(world_outcome(f->w)->stop_site, sig) == NULL)
		CHECK_FAIL("expected '%s', got '%s'", sig, world_outcome(f->w)->stop_site);
}

/* Run @stmt; the value is how the world stopped (WORLD_RUNNING if not). */
#define FX_EXPECT_STOP(f, stmt)                                             \
	({                                                                  \
		world_outcome((f)->w)->stop = WORLD_RUNNING;                \
		world_set_jump((f)->w, &(f)->jb);                           \
		if (setjmp((f)->jb) == 0) {                                 \
			stmt;                                               \
		}                                                           \
		world_set_jump((f)->w, NULL);                               \
		(int)world_outcome((f)->w)->stop;                           \
	})

#endif /* SMMUFUZZ_TEST_FIXTURE_H */
