// SPDX-License-Identifier: MIT
/*
 * World descriptions: the names of OP_BOOT steps and OP_FDT edits, and the
 * fold of an input's HW/FDT ops (the field table is wdfields.c) into a
 * world.
 */
#include <string.h>

#include <smmu/regs.h>
#include "profiles.h"
#include "worlddesc.h"

_Static_assert(WD_MAX_SMMU == WORLD_MAX_SMMU && WD_FDT_EDIT_COUNT == FDT_EDIT_COUNT &&
	       WD_FAULTS_MAX == HWM_FAULT_MASK, "wdfields.h agrees with the world");

static const char *const boot_names[BOOT_STEP_COUNT] = {
	[BOOT_SETUP] = "setup", [BOOT_REGISTER] = "register",
	[BOOT_INIT] = "init", [BOOT_REMOVE] = "remove",
	[BOOT_DEPRIVILEGE] = "deprivilege",
};

const char *wd_boot_step_name(unsigned step)
{
	return step < BOOT_STEP_COUNT ? boot_names[step] : NULL;
}

/* Index of @name in a table of @count names, or -1. */
static int name_index(const char *const *names, unsigned count, const char *name)
{
	unsigned i;

	for (i = 0; i < count; i++)
		if (wd_name_eq(names[i], name))
			return (int)i;
	return -1;
}

int wd_boot_step_find(const char *name)
{
	return name_index(boot_names, BOOT_STEP_COUNT, name);
}

static const char *const fdt_names[FDT_EDIT_COUNT] = {
	[FDT_EDIT_NONE] = "none", [FDT_EDIT_SMMU_BASE] = "smmu_base",
	[FDT_EDIT_SMMU_SIZE] = "smmu_size", [FDT_EDIT_SMMU_STATUS] = "smmu_status",
	[FDT_EDIT_SMMU_COMPAT] = "smmu_compat", [FDT_EDIT_SMMU_REG_LEN] = "smmu_reg_len",
	[FDT_EDIT_SMMU_DUP] = "smmu_dup", [FDT_EDIT_MEM_SPLIT] = "mem_split",
	[FDT_EDIT_MEM_NODES] = "mem_nodes", [FDT_EDIT_MEM_STATUS] = "mem_status",
	[FDT_EDIT_MEM_EXTRA] = "mem_extra", [FDT_EDIT_CELLS] = "cells",
	[FDT_EDIT_BUS] = "bus", [FDT_EDIT_DEPTH] = "depth", [FDT_EDIT_NODES] = "nodes",
	[FDT_EDIT_POKE] = "poke", [FDT_EDIT_TRUNCATE] = "truncate",
};

const char *wd_fdt_edit_name(unsigned kind)
{
	return kind < FDT_EDIT_COUNT ? fdt_names[kind] : NULL;
}

int wd_fdt_edit_find(const char *name)
{
	return name_index(fdt_names, FDT_EDIT_COUNT, name);
}

/* The register a field lands in, for one SMMU's configuration. */
static void *field_slot(struct hwm_config *c, unsigned reg, bool *wide)
{
	struct hwm_boot_state *b = &c->boot;

	*wide = false;
	switch (reg) {
	case WD_IDR0: case WD_IDR1: case WD_IDR2:
	case WD_IDR3: case WD_IDR4: case WD_IDR5:
		return &c->idr[reg - WD_IDR0];
	case WD_IIDR: return &c->iidr;
	case WD_AIDR: return &c->aidr;
	case WD_GBPA_RESET: return &c->gbpa_reset;
	case WD_FAULTS: return &c->faults;
	case WD_BOOT_CR0: return &b->cr0;
	case WD_BOOT_GERROR: return &b->gerror;
	case WD_BOOT_IRQ_CTRL: return &b->irq_ctrl;
	case WD_BOOT_GERROR_IRQ_CFG0: case WD_BOOT_EVTQ_IRQ_CFG0:
	case WD_BOOT_PRIQ_IRQ_CFG0:
		*wide = true;
		return &b->irq_cfg0[reg - WD_BOOT_GERROR_IRQ_CFG0];
	case WD_BOOT_GERROR_IRQ_CFG1: case WD_BOOT_EVTQ_IRQ_CFG1:
	case WD_BOOT_PRIQ_IRQ_CFG1:
		return &b->irq_cfg1[reg - WD_BOOT_GERROR_IRQ_CFG1];
	case WD_BOOT_STRTAB_BASE: *wide = true; return &b->strtab_base;
	case WD_BOOT_STRTAB_CFG: return &b->strtab_cfg;
	case WD_BOOT_CMDQ_BASE: *wide = true; return &b->cmdq_base;
	case WD_BOOT_CMDQ_PROD: return &b->cmdq_prod;
	case WD_BOOT_CMDQ_CONS: return &b->cmdq_cons;
	case WD_BOOT_EVTQ_BASE: *wide = true; return &b->evtq_base;
	case WD_BOOT_PRIQ_BASE: *wide = true; return &b->priq_base;
	case WD_BOOT_ECMDQ: return &b->ecmdq_enable;
	default: return NULL;
	}
}

static void apply_field(struct hwm_config *c, const struct wd_field *f, uint32_t v)
{
	uint64_t mask = (f->width >= 32 ? 0xFFFFFFFFULL : ((1ULL << f->width) - 1U)) << f->lsb;
	bool wide;
	void *slot = field_slot(c, f->reg, &wide);

	if (slot == NULL)
		return;
	/* Wide registers take the value as their low 32 bits: every address of
	 * the world is below 4 GiB. */
	if (wide) {
		uint64_t *r = slot;

		*r = (*r & ~mask) | (((uint64_t)v << f->lsb) & mask);
	} else {
		uint32_t *r = slot;

		*r = (uint32_t)((*r & ~mask) | (((uint64_t)v << f->lsb) & mask));
	}
}

bool wd_build(unsigned profile, const struct op *ops, size_t n,
	      uint32_t op_mask, struct world_desc *d)
{
	struct world_config base;
	size_t i;
	unsigned k;

	memset(d, 0, sizeof(*d));
	if (!profile_world_config(profile, &base))
		return false;
	d->profile = profile;
	d->smmu_count = base.smmu_count;
	for (k = 0; k < WORLD_MAX_SMMU; k++)
		memcpy(&d->hw[k], base.hw[k < base.smmu_count ? k : 0], sizeof(d->hw[k]));
	for (i = 0; i < n; i++) {
		const struct op *o = &ops[i];

		if ((op_mask & (1U << o->code)) == 0)
			continue;
		if (o->code == OP_BOOT) {
			d->boots_itself = true;
		} else if (o->code == OP_HW) {
			unsigned idx = o->b8 % wd_field_count();
			const struct wd_field *f = wd_field(idx);
			uint32_t v = wd_field_reduce(idx, o->a32);

			d->modified = true;
			if (f->reg == WD_SMMU_COUNT)
				d->smmu_count = 1U + v % WORLD_MAX_SMMU;
			else
				apply_field(&d->hw[o->a8 % WORLD_MAX_SMMU], f, v);
		} else if (o->code == OP_FDT && d->fdt_edit_count < WORLD_FDT_EDITS) {
			struct world_fdt_edit *e = &d->fdt_edits[d->fdt_edit_count++];

			d->modified = true;
			e->kind = (uint8_t)(o->a8 % FDT_EDIT_COUNT);
			e->node = (uint8_t)(o->b8 % WORLD_MAX_SMMU);
			e->value = o->a32;
		}
	}
	return true;
}

void wd_world_config(const struct world_desc *d, struct world_config *cfg)
{
	unsigned k;

	memset(cfg, 0, sizeof(*cfg));
	cfg->smmu_count = d->smmu_count;
	for (k = 0; k < d->smmu_count; k++)
		cfg->hw[k] = &d->hw[k];
	memcpy(cfg->fdt_edits, d->fdt_edits, sizeof(cfg->fdt_edits));
	cfg->fdt_edit_count = d->fdt_edit_count;
}

/* FNV-1a over the bytes that shape the world (unused SMMU slots excluded). */
static uint64_t fnv(uint64_t h, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t wd_hash(const struct world_desc *d)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned k;

	h = fnv(h, &d->profile, sizeof(d->profile));
	h = fnv(h, &d->smmu_count, sizeof(d->smmu_count));
	for (k = 0; k < d->smmu_count; k++)
		h = fnv(h, &d->hw[k], sizeof(d->hw[k]));
	h = fnv(h, &d->fdt_edit_count, sizeof(d->fdt_edit_count));
	return fnv(h, d->fdt_edits, sizeof(d->fdt_edits[0]) * d->fdt_edit_count);
}
