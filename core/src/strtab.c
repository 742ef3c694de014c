// SPDX-License-Identifier: MIT
/*
 * Stream tables: the hypervisor's shadow table on the hardware (allocated
 * at take-over at the maximum size, so its format and size never change)
 * and the host's table, whose configuration is fixed to match it.
 *
 *   2-level, SPLIT = 8:  SID[31:8] -> L1 descriptor (8 B) -> L2 table of
 *                        256 STEs (16 KiB) indexed by SID[7:0]
 *   linear:              SID -> STE (64 B)
 */
#include "priv.h"

#define STRTAB_L1_MAX_LOG2	17U	/* at most 2^17 L1 descriptors */

static unsigned order_for(uint64_t bytes)
{
	unsigned order = 0;

	while (((uint64_t)SMMU_PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

int strtab_init(struct smmu_hyp *hyp, struct smmu_dev *dev)
{
	unsigned sid_bits = dev->hw.sid_bits, log2size;
	uint64_t bytes;
	uint32_t cfg;
	pa_t pa;
	int ret;

	if (dev->hw.st_2lvl) {
		log2size = sid_bits;
		if (log2size > STRTAB_SPLIT_LINUX + STRTAB_L1_MAX_LOG2)
			log2size = STRTAB_SPLIT_LINUX + STRTAB_L1_MAX_LOG2;
		dev->strtab_l1_count = 1U << (log2size - STRTAB_SPLIT_LINUX);
		bytes = (uint64_t)dev->strtab_l1_count * STRTAB_L1_DESC_SIZE;
		cfg = (uint32_t)(FIELD_PREP(STRTAB_CFG_FMT, STRTAB_CFG_FMT_2LVL) |
				 FIELD_PREP(STRTAB_CFG_SPLIT, STRTAB_SPLIT_LINUX) |
				 FIELD_PREP(STRTAB_CFG_LOG2SIZE, log2size));
	} else {
		log2size = sid_bits;
		dev->strtab_l1_count = 0;
		bytes = (uint64_t)STRTAB_STE_SIZE << log2size;
		cfg = (uint32_t)(FIELD_PREP(STRTAB_CFG_FMT, STRTAB_CFG_FMT_LINEAR) |
				 FIELD_PREP(STRTAB_CFG_LOG2SIZE, log2size));
	}
	ret = pool_alloc(&hyp->pool, order_for(bytes), &pa);
	if (ret != SMMU_OK)
		return ret;
	dev->strtab_pa = pa_val(pa);
	dev->strtab_pages = 1U << order_for(bytes);
	dev->strtab_cfg = cfg;
	hw_write64(dev, SMMU_STRTAB_BASE, pa_val(pa) | STRTAB_BASE_RA);
	hw_write32(dev, SMMU_STRTAB_BASE_CFG, cfg);
	return SMMU_OK;
}

/* STRTAB_BASE and _CFG are fixed while the host's SMMUEN is in force. */
bool strtab_host_write_ok(const struct smmu_dev *dev)
{
	if ((dev->host.cr0_eff & CR0_SMMUEN) != 0) {
		REJECT("strtab.write_while_enabled");
		return false;
	}
	return true;
}

/*
 * SMMUEN 0->1: the host's stream table must have the hardware's format
 * (pkvm-design §3), SPLIT 8 for 2-level, a size the hardware supports and a
 * base in RAM; its pages are pinned while the SMMU is enabled. Only the
 * hypervisor reads this table, at base + index * size, so the 64-byte
 * alignment STRTAB_BASE.ADDR guarantees is enough.
 */
bool strtab_enable(struct smmu_hyp *hyp, struct smmu_dev *dev)
{
	uint32_t cfg = dev->host.strtab_cfg;
	unsigned fmt = (unsigned)FIELD_GET(STRTAB_CFG_FMT, cfg);
	unsigned split = (unsigned)FIELD_GET(STRTAB_CFG_SPLIT, cfg);
	unsigned log2size = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, cfg);
	uint64_t addr = dev->host.strtab_base & STRTAB_BASE_ADDR_MASK;
	uint64_t bytes;

	if (fmt != STRTAB_CFG_FMT_LINEAR && fmt != STRTAB_CFG_FMT_2LVL) {
		REJECT("strtab.reserved_format");
		return false;
	}
	if ((fmt == STRTAB_CFG_FMT_2LVL) != dev->hw.st_2lvl) {
		REJECT("strtab.format_differs_from_hw");
		return false;
	}
	if (log2size > dev->hw.sid_bits) {
		REJECT("strtab.log2size_too_big");
		return false;
	}
	if (fmt == STRTAB_CFG_FMT_2LVL) {
		if (split != STRTAB_SPLIT_LINUX) {
			REJECT("strtab.split_not_8");
			return false;
		}
		if (log2size <= split ||
		    log2size - split > STRTAB_L1_MAX_LOG2) {
			REJECT("strtab.log2size_out_of_range");
			return false;
		}
		bytes = (uint64_t)STRTAB_L1_DESC_SIZE << (log2size - split);
	} else {
		bytes = (uint64_t)STRTAB_STE_SIZE << log2size;
	}
	if (!smmu_range_is_memory(hyp, addr, bytes)) {
		REJECT("strtab.base_not_ram");
		return false;
	}
	if (owner_pin_range(hyp, pa_init(addr), bytes, &dev->pin_strtab) !=
	    SMMU_OK) {
		REJECT("strtab.pages_not_host");
		return false;
	}
	return true;
}
