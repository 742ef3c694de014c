// SPDX-License-Identifier: MIT
/*
 * Booting the core on a world: the standard boot every cached world gets
 * (setup, register, init from the world's device tree, de-privilege), the
 * OP_BOOT steps fuzz_boot drives one by one, and the audit of SMMUs the
 * hypervisor gave back after a failed or removed init.
 */
#include <stdio.h>
#include <string.h>

#include <smmu/pgstate.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>
#include "boot.h"
#include "worlddesc.h"

#define FDT_CAP		(256U << 10)	/* FDT_EDIT_NODES makes big trees */

static uint8_t fdt_buf[FDT_CAP];

/* A stable name for a boot error: "boot.<step>.<errno name>". */
static void boot_site(char *buf, size_t cap, const char *step, int err)
{
	static const struct { int err; const char *name; } names[] = {
		{ SMMU_EPERM, "eperm" }, { SMMU_ENOENT, "enoent" },
		{ SMMU_ENOMEM, "enomem" }, { SMMU_EBUSY, "ebusy" },
		{ SMMU_ENODEV, "enodev" }, { SMMU_EINVAL, "einval" },
		{ SMMU_ERANGE, "erange" }, { SMMU_ETIMEDOUT, "etimedout" },
	};
	const char *name = "error";
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			name = names[i].name;
	snprintf(buf, cap, "boot.%s.%s", step, name);
}

int boot_default(struct smmu_hyp *core, struct world *w, char *site, size_t cap)
{
	size_t fdt_size = world_fdt(w, fdt_buf, sizeof(fdt_buf));
	int err;

	err = smmu_setup(core, pa_init(WORLD_POOL_BASE), WORLD_POOL_PAGES);
	if (err != SMMU_OK) {
		boot_site(site, cap, "setup", err);
		return err;
	}
	world_set_instance_lock(w, &core->lock);
	err = smmu_register_driver(core, &smmuv3_kern_driver, &smmuv3_hyp_driver);
	if (err != SMMU_OK) {
		boot_site(site, cap, "register", err);
		return err;
	}
	err = smmu_init_driver(core, fdt_buf, fdt_size);
	if (err != SMMU_OK) {
		boot_site(site, cap, "init", err);
		return err;
	}
	err = smmu_deprivilege(core);
	if (err != SMMU_OK)
		boot_site(site, cap, "deprivilege", err);
	return err;
}

/* Driver pairs OP_BOOT register can offer (arg % 5). */
static const struct smmu_kern_driver bad_kern = { .id = (enum smmu_driver_id)7,
						  .name = "other" };
static const struct smmu_hyp_driver bad_hyp = { .id = (enum smmu_driver_id)7 };

int boot_step(struct smmu_hyp *core, struct world *w, unsigned step, uint32_t arg)
{
	size_t fdt_size;

	switch (step % BOOT_STEP_COUNT) {
	case BOOT_SETUP: {
		uint32_t pages = arg & 0x7FFFFFFFU;
		uint64_t base = WORLD_POOL_BASE + ((arg & 0x80000000U) ? 0x800U : 0U);

		world_set_instance_lock(w, &core->lock);
		/* 0: the whole pool; more than it holds is refused by the core. */
		if (pages == 0)
			pages = WORLD_POOL_PAGES;
		else if (pages > WORLD_POOL_PAGES)
			pages = WORLD_POOL_PAGES + 1U + pages % 64U;
		return smmu_setup(core, pa_init(base), pages);
	}
	case BOOT_REGISTER:
		switch (arg % 5U) {
		case 1: return smmu_register_driver(core, NULL, &smmuv3_hyp_driver);
		case 2: return smmu_register_driver(core, &smmuv3_kern_driver, NULL);
		case 3: return smmu_register_driver(core, &smmuv3_kern_driver, &bad_hyp);
		case 4: return smmu_register_driver(core, &bad_kern, &bad_hyp);
		default:
			return smmu_register_driver(core, &smmuv3_kern_driver,
						    &smmuv3_hyp_driver);
		}
	case BOOT_INIT:
		fdt_size = world_fdt(w, fdt_buf, sizeof(fdt_buf));
		if (arg & 0x80000000U)
			return smmu_init_driver(core, NULL, fdt_size);
		arg &= 0xFFFFU;
		return smmu_init_driver(core, fdt_buf, arg < fdt_size ? fdt_size - arg : 0);
	case BOOT_REMOVE:
		smmu_remove_driver(core);
		return SMMU_OK;
	case BOOT_DEPRIVILEGE:
		return smmu_deprivilege(core);
	default:
		return SMMU_EINVAL;
	}
}

static _Noreturn void released_breach(struct world *w, const char *what)
{
	char sig[96];

	snprintf(sig, sizeof(sig), "isolation:%s", what);
	world_stop(w, WORLD_STOP_ORACLE, sig);
}

static bool same_addr(uint64_t a, uint64_t b, uint64_t mask)
{
	return ((a ^ b) & mask) == 0;
}

static bool hyp_memory(const struct world *w, uint64_t pa)
{
	return world_is_ram(pa) && pgs_owner(world_pgstate(w, pa)) == PGS_OWNER_HYP;
}

/*
 * An SMMU the hypervisor does not (or no longer) drives belongs to the
 * host: its registers must be the host's again, and nothing the hypervisor
 * programmed may point the SMMU at hypervisor memory.
 */
void boot_audit_released(struct world *w, const struct smmu_hyp *core)
{
	unsigned i;

	for (i = 0; i < world_smmu_count(w); i++) {
		struct hw_model *m = world_smmu(w, i);
		uint64_t base = world_smmu_base(i), p;
		bool driven = false;
		uint32_t k;

		for (k = 0; k < core->dev_count; k++)
			if (core->dev[k].probed && core->dev[k].mmio_pa == base)
				driven = true;
		if (driven)
			continue;
		for (p = base; p < base + WORLD_SMMU_STRIDE; p += 0x1000)
			if (pgs_owner(world_pgstate(w, p)) != PGS_OWNER_HOST)
				released_breach(w, "released-smmu-mmio-not-host");
		/* What firmware left there, or the host wrote itself while the
		 * SMMU was its own, is not the hypervisor's doing. */
		if ((!same_addr(m->cmdq_base, m->cfg.boot.cmdq_base, Q_BASE_ADDR_MASK) &&
		     !same_addr(m->cmdq_base, m->host_cmdq_base, Q_BASE_ADDR_MASK) &&
		     hyp_memory(w, m->cmdq_base & Q_BASE_ADDR_MASK)) ||
		    (!same_addr(m->strtab_base, m->cfg.boot.strtab_base, STRTAB_BASE_ADDR_MASK) &&
		     !same_addr(m->strtab_base, m->host_strtab_base, STRTAB_BASE_ADDR_MASK) &&
		     hyp_memory(w, m->strtab_base & STRTAB_BASE_ADDR_MASK)))
			released_breach(w, "released-smmu-points-into-hyp-memory");
	}
}
