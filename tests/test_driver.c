// SPDX-License-Identifier: MIT
/* Driver registration, boot order, take-over and its undo (seed 000). */
#include <libfdt.h>

#include "fixture.h"

static uint8_t fdt[4096];

static void setup_only(struct fx *f, const char *hw, unsigned count)
{
	memset(&f->hyp, 0, sizeof(f->hyp));
	f->w = fx_world(hw, count);
	world_activate(f->w);
	EXPECT_EQ(smmu_setup(&f->hyp, pa_init(WORLD_POOL_BASE), WORLD_POOL_PAGES), 0);
}

static void register_refuses_null_ops(void)
{
	struct fx f;

	setup_only(&f, "qemu-virt", 1);
	EXPECT_EQ(smmu_register_driver(&f.hyp, NULL, &smmuv3_hyp_driver), SMMU_EINVAL);
	EXPECT_EQ(smmu_register_driver(&f.hyp, &smmuv3_kern_driver, NULL), SMMU_EINVAL);
	EXPECT_EQ(f.hyp.phase, SMMU_PHASE_BOOT);
	fx_done(&f);
}

static void register_refuses_mismatched_pair(void)
{
	static const struct smmu_hyp_driver other = { .id = (enum smmu_driver_id)7 };
	struct fx f;

	setup_only(&f, "qemu-virt", 1);
	EXPECT_EQ(smmu_register_driver(&f.hyp, &smmuv3_kern_driver, &other), SMMU_EINVAL);
	fx_done(&f);
}

static void second_registration_is_busy(void)
{
	struct fx f;

	setup_only(&f, "qemu-virt", 1);
	EXPECT_EQ(smmu_register_driver(&f.hyp, &smmuv3_kern_driver, &smmuv3_hyp_driver), 0);
	EXPECT_EQ(smmu_register_driver(&f.hyp, &smmuv3_kern_driver, &smmuv3_hyp_driver),
		  SMMU_EBUSY);
	EXPECT_EQ(f.hyp.phase, SMMU_PHASE_REGISTERED);
	fx_done(&f);
}

static void init_without_driver_is_refused_with_enodev(void)
{
	struct fx f;
	size_t size;

	setup_only(&f, "qemu-virt", 1);
	size = world_fdt(f.w, fdt, sizeof(fdt));
	EXPECT_EQ(smmu_init_driver(&f.hyp, fdt, size), SMMU_ENODEV);
	EXPECT(strstr(smmu_strerror(SMMU_ENODEV), "no IOMMU driver") != NULL);
	/* Nothing was taken over: the SMMU's MMIO is still the host's. */
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, WORLD_SMMU_BASE)), PGS_OWNER_HOST);
	fx_done(&f);
}

static void deprivilege_before_init_is_refused(void)
{
	struct fx f;

	setup_only(&f, "qemu-virt", 1);
	EXPECT_EQ(smmu_deprivilege(&f.hyp), SMMU_EPERM);
	EXPECT_EQ(smmu_register_driver(&f.hyp, &smmuv3_kern_driver, &smmuv3_hyp_driver), 0);
	EXPECT_EQ(smmu_deprivilege(&f.hyp), SMMU_EPERM);
	fx_done(&f);
}

static void init_after_deprivilege_is_refused(void)
{
	struct fx f;
	size_t size;

	fx_boot(&f);
	size = world_fdt(f.w, fdt, sizeof(fdt));
	EXPECT_EQ(smmu_init_driver(&f.hyp, fdt, size), SMMU_EPERM);
	EXPECT_EQ(smmu_register_driver(&f.hyp, &smmuv3_kern_driver, &smmuv3_hyp_driver),
		  SMMU_EBUSY);
	EXPECT_EQ(f.hyp.phase, SMMU_PHASE_LIVE);
	fx_done(&f);
}

static void takeover_donates_mmio_and_aborts_gbpa(void)
{
	struct fx f;
	struct hw_model *m;
	uint64_t p;

	fx_boot(&f);
	m = fx_hw(&f);
	for (p = WORLD_SMMU_BASE; p < WORLD_SMMU_BASE + WORLD_SMMU_STRIDE; p += 4096) {
		uint32_t st = world_pgstate(f.w, p);

		EXPECT_EQ(pgs_owner(st), PGS_OWNER_HYP);
		EXPECT(st & PGS_HYP_MAPPED);
		EXPECT(pgs_pins(st) > 0);	/* in use: cannot be returned */
	}
	/* QEMU's SMMU resets to bypass; the take-over made it abort. */
	EXPECT((hwm_profile(0)->gbpa_reset & GBPA_ABORT) == 0);
	EXPECT(m->gbpa & GBPA_ABORT);
	EXPECT((m->gbpa & GBPA_UPDATE) == 0);
	/* Shadow queue and table live in the pool, the queue is on. */
	EXPECT(m->cmdq_base >= WORLD_POOL_BASE);
	EXPECT((m->strtab_base & STRTAB_BASE_ADDR_MASK) >= WORLD_POOL_BASE);
	EXPECT_EQ(FIELD_GET(STRTAB_CFG_FMT, m->strtab_base_cfg), STRTAB_CFG_FMT_2LVL);
	EXPECT_EQ(m->cr0ack, CR0_CMDQEN);
	/* Caches were invalidated at take-over. */
	EXPECT(m->stats.cfgi >= 1 && m->stats.tlbi >= 1);
	fx_done(&f);
}

static void unsupported_hardware_fails_and_gives_everything_back(void)
{
	static const char *const bad[] = { "no-s2", "noncoherent" };
	unsigned i;

	for (i = 0; i < 2; i++) {
		struct fx f;

		fx_boot_hw(&f, bad[i], 1);
		EXPECT_EQ(f.boot_err, SMMU_ENODEV);
		EXPECT_EQ(f.hyp.phase, SMMU_PHASE_REGISTERED);
		EXPECT_EQ(pgs_owner(world_pgstate(f.w, WORLD_SMMU_BASE)), PGS_OWNER_HOST);
		EXPECT((world_pgstate(f.w, WORLD_SMMU_BASE) & PGS_HYP_MAPPED) == 0);
		EXPECT_EQ(f.hyp.pool.used, 0);
		EXPECT_EQ(f.hyp.dev_count, 0);
		fx_done(&f);
	}
}

static void remove_driver_undoes_init(void)
{
	struct fx f;
	size_t size;

	setup_only(&f, "qemu-virt", 2);
	size = world_fdt(f.w, fdt, sizeof(fdt));
	EXPECT_EQ(smmu_register_driver(&f.hyp, &smmuv3_kern_driver, &smmuv3_hyp_driver), 0);
	EXPECT_EQ(smmu_init_driver(&f.hyp, fdt, size), 0);
	EXPECT(f.hyp.pool.used > 0);
	smmu_remove_driver(&f.hyp);
	EXPECT_EQ(f.hyp.pool.used, 0);
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, world_smmu_base(1))), PGS_OWNER_HOST);
	EXPECT_EQ(f.hyp.phase, SMMU_PHASE_REGISTERED);
	/* And it can be initialised again. */
	EXPECT_EQ(smmu_init_driver(&f.hyp, fdt, size), 0);
	EXPECT_EQ(smmu_init_driver(&f.hyp, fdt, size), SMMU_EBUSY);
	fx_done(&f);
}

/* A device tree the probe must refuse, built by hand. */
static size_t tiny_fdt(bool memory, bool smmu, uint64_t smmu_base, uint64_t smmu_size)
{
	fdt64_t reg[2];

	fdt_create(fdt, sizeof(fdt));
	fdt_finish_reservemap(fdt);
	fdt_begin_node(fdt, "");
	fdt_property_u32(fdt, "#address-cells", 2);
	fdt_property_u32(fdt, "#size-cells", 2);
	if (memory) {
		fdt_begin_node(fdt, "memory@40000000");
		fdt_property_string(fdt, "device_type", "memory");
		reg[0] = cpu_to_fdt64(WORLD_RAM_BASE);
		reg[1] = cpu_to_fdt64(WORLD_RAM_SIZE);
		fdt_property(fdt, "reg", reg, sizeof(reg));
		fdt_end_node(fdt);
	}
	if (smmu) {
		fdt_begin_node(fdt, "smmu");
		fdt_property_string(fdt, "compatible", "arm,smmu-v3");
		reg[0] = cpu_to_fdt64(smmu_base);
		reg[1] = cpu_to_fdt64(smmu_size);
		fdt_property(fdt, "reg", reg, sizeof(reg));
		fdt_end_node(fdt);
	}
	fdt_end_node(fdt);
	fdt_finish(fdt);
	return fdt_totalsize(fdt);
}

static void probe_refuses_bad_device_trees(void)
{
	struct fx f;
	size_t size;

	setup_only(&f, "qemu-virt", 1);
	EXPECT_EQ(smmu_register_driver(&f.hyp, &smmuv3_kern_driver, &smmuv3_hyp_driver), 0);
	memset(fdt, 0xA5, sizeof(fdt));
	EXPECT_EQ(smmu_init_driver(&f.hyp, fdt, sizeof(fdt)), SMMU_EINVAL);
	size = tiny_fdt(false, true, WORLD_SMMU_BASE, WORLD_SMMU_STRIDE);
	EXPECT_EQ(smmu_init_driver(&f.hyp, fdt, size), SMMU_EINVAL);
	size = tiny_fdt(true, false, 0, 0);
	EXPECT_EQ(smmu_init_driver(&f.hyp, fdt, size), SMMU_ENODEV);
	/* Not page aligned, too small for page 1, inside RAM. */
	size = tiny_fdt(true, true, WORLD_SMMU_BASE + 0x800, WORLD_SMMU_STRIDE);
	EXPECT_EQ(smmu_init_driver(&f.hyp, fdt, size), SMMU_EINVAL);
	size = tiny_fdt(true, true, WORLD_SMMU_BASE, 0x10000);
	EXPECT_EQ(smmu_init_driver(&f.hyp, fdt, size), SMMU_EINVAL);
	size = tiny_fdt(true, true, WORLD_HOST_BASE, WORLD_SMMU_STRIDE);
	EXPECT_EQ(smmu_init_driver(&f.hyp, fdt, size), SMMU_EINVAL);
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, WORLD_HOST_BASE)), PGS_OWNER_HOST);
	/* Truncated blob: the header claims more than we were given. */
	size = world_fdt(f.w, fdt, sizeof(fdt));
	EXPECT_EQ(smmu_init_driver(&f.hyp, fdt, size - 8), SMMU_EINVAL);
	EXPECT_EQ(f.hyp.pool.used, 0);
	EXPECT_EQ(smmu_init_driver(&f.hyp, fdt, size), 0);
	fx_done(&f);
}

static void second_smmu_failing_undoes_the_first(void)
{
	struct fx f;
	size_t size;

	setup_only(&f, "qemu-virt", 2);
	EXPECT_EQ(smmu_register_driver(&f.hyp, &smmuv3_kern_driver, &smmuv3_hyp_driver), 0);
	/* The host already handed the second SMMU's page 1 to a guest-like owner. */
	world_set_pgstate(f.w, world_smmu_base(1) + 0x10000, PGS_OWNER_GUEST);
	size = world_fdt(f.w, fdt, sizeof(fdt));
	EXPECT_EQ(smmu_init_driver(&f.hyp, fdt, size), SMMU_EPERM);
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, world_smmu_base(0))), PGS_OWNER_HOST);
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, world_smmu_base(1))), PGS_OWNER_HOST);
	EXPECT_EQ(f.hyp.pool.used, 0);
	fx_done(&f);
}

static void traps_are_not_ours_before_init(void)
{
	struct fx f;
	uint64_t v = 0;

	setup_only(&f, "qemu-virt", 1);
	EXPECT_EQ(smmu_dabt(&f.hyp, pa_init(WORLD_SMMU_BASE), 4, false, &v),
		  SMMU_DABT_NOT_OURS);
	fx_done(&f);
	fx_boot(&f);
	EXPECT_EQ(smmu_dabt(&f.hyp, pa_init(WORLD_UART_BASE), 4, false, &v),
		  SMMU_DABT_NOT_OURS);
	fx_done(&f);
}

int main(void)
{
	RUN(register_refuses_null_ops);
	RUN(register_refuses_mismatched_pair);
	RUN(second_registration_is_busy);
	RUN(init_without_driver_is_refused_with_enodev);
	RUN(deprivilege_before_init_is_refused);
	RUN(init_after_deprivilege_is_refused);
	RUN(takeover_donates_mmio_and_aborts_gbpa);
	RUN(unsupported_hardware_fails_and_gives_everything_back);
	RUN(remove_driver_undoes_init);
	RUN(probe_refuses_bad_device_trees);
	RUN(second_smmu_failing_undoes_the_first);
	RUN(traps_are_not_ours_before_init);
	CHECK_DONE();
}
