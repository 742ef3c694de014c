/* SPDX-License-Identifier: MIT */
/*
 * The core's instance state. The layout is public only so that callers can
 * allocate it statically (EL2) or snapshot it with memcpy (host harness);
 * its fields belong to the core. It holds no pointers outside hypervisor
 * memory, and there are no other mutable globals.
 */
#ifndef SMMU_STATE_H
#define SMMU_STATE_H

#include "plat.h"
#include "types.h"

#define SMMU_MAX_DEVS		4U	/* SMMUs one hypervisor instance drives */
#define SMMU_MAX_MEM		8U	/* RAM ranges read from the device tree */
#define SMMU_POOL_MAX_PAGES	4096U	/* 16 MiB */
#define SMMU_HWQ_LOG2		8U	/* shadow command queue: 256 entries */
#define SMMU_HWQ_ENTRIES	(1U << SMMU_HWQ_LOG2)

enum smmu_phase {
	SMMU_PHASE_BOOT = 0,	/* no driver registered */
	SMMU_PHASE_REGISTERED,	/* driver registered, not initialised */
	SMMU_PHASE_READY,	/* SMMUs taken over, host still trusted */
	SMMU_PHASE_LIVE,	/* host de-privileged: traps are hostile input */
};

struct smmu_range {
	uint64_t base;
	uint64_t size;
};

/* The fixed page pool: the only memory the core allocates. */
struct smmu_pool {
	uint64_t base;			/* PA of page 0 */
	uint32_t page_count;
	uint32_t used;
	uint64_t bitmap[SMMU_POOL_MAX_PAGES / 64];
};

/* What the probe learnt from the ID registers. */
struct smmu_hw_facts {
	uint32_t idr[6];
	uint32_t iidr;
	uint32_t aidr;
	uint8_t sid_bits;		/* IDR1.SIDSIZE of the hardware */
	uint8_t st_sid_bits;		/* SIDs the shadow stream table covers:
					 * what the host is told SIDSIZE is */
	uint8_t ssid_bits;
	uint8_t oas_bits;
	uint8_t cmdq_log2;		/* IDR1.CMDQS */
	uint8_t evtq_log2;
	uint8_t priq_log2;
	bool st_2lvl;			/* the shadow stream table is 2-level */
	bool cd2l;			/* 2-level context-descriptor tables */
	bool sev;
	bool pri;
	bool ats;
	bool ril;
};

/* Host pages an SMMU uses while a queue or table is enabled. */
struct smmu_pin {
	uint64_t base;
	uint32_t page_count;
	bool active;
	bool release_pending;		/* unpin once the hardware acknowledges */
};

/* Registers as the host programmed them (what it reads back). */
struct smmu_host_regs {
	uint32_t cr0;			/* as written */
	uint32_t cr0_eff;		/* the bits in force after the core's checks */
	uint32_t cr1;
	uint32_t cr2;
	uint32_t irq_ctrl;
	uint32_t gerrorn;
	uint32_t gerror_cmdq;		/* emulated GERROR.CMDQ_ERR */
	bool gbpa_stuck;		/* host tried to clear ABORT */
	uint64_t strtab_base;
	uint32_t strtab_cfg;
	uint64_t cmdq_base;
	uint32_t cmdq_prod;		/* as written, junk bits included */
	uint32_t cmdq_cons;		/* wrap|index, ERR in CMDQ_CONS_ERR */
	uint64_t evtq_base;
	uint64_t priq_base;
	uint64_t irq_cfg0[3];		/* GERROR, EVTQ, PRIQ: never given to HW */
	uint32_t irq_cfg1[3];
	uint32_t irq_cfg2[3];
};

/* The hypervisor's own command queue on the real SMMU. */
struct smmu_hwq {
	uint64_t pa;
	uint32_t prod;			/* wrap|index we published */
	uint32_t batch;			/* where the batch being synced starts */
	/* Host queue index each shadow slot came from, or HWQ_SRC_HYP. */
	uint32_t src[SMMU_HWQ_ENTRIES];
};

struct smmu_dev {
	struct plat_lock lock;
	uint64_t mmio_pa;
	uint64_t mmio_size;
	uintptr_t base;			/* hypervisor mapping of the registers */
	bool donated;			/* MMIO pages are hypervisor-owned */
	bool probed;
	struct smmu_hw_facts hw;
	struct smmu_hwq hwq;
	uint64_t strtab_pa;		/* shadow stream table (L1 or linear) */
	uint32_t strtab_cfg;		/* what we programmed */
	uint32_t strtab_l1_count;	/* 2-level: L1 descriptors */
	uint32_t strtab_pages;
	struct smmu_host_regs host;
	uint32_t hw_cr0;		/* last value written to the hardware's CR0 */
	uint64_t host_cmdq_addr;	/* validated when CMDQEN went 0->1 */
	uint8_t host_cmdq_log2;
	struct smmu_pin pin_cmdq;
	struct smmu_pin pin_evtq;
	struct smmu_pin pin_priq;
	struct smmu_pin pin_strtab;
};

/* The identity-mapped stage-2 table every SMMU's streams use (io-pgtable
 * style, 4 KiB granule, VMID 0). */
struct smmu_iopt {
	uint64_t root;			/* PA of the start-level table(s) */
	uint8_t ias;			/* input = output address bits */
	uint8_t start;			/* start level, 0..2 */
	uint8_t concat_log2;		/* log2 of concatenated start tables */
	uint8_t ps;			/* ias in IDR5.OAS / S2PS encoding */
	bool ready;			/* mapped and kept in step with ownership */
	uint32_t tables;		/* table pages in use */
};

struct smmu_hyp {
	struct plat_lock lock;
	enum smmu_phase phase;
	const struct smmu_kern_driver *kern;
	const struct smmu_hyp_driver *drv;
	struct smmu_pool pool;
	struct smmu_range mem[SMMU_MAX_MEM];
	uint32_t mem_count;
	struct smmu_iopt iopt;
	uint64_t scratch;		/* one pool page for bulk copies from the host */
	struct smmu_dev dev[SMMU_MAX_DEVS];
	uint32_t dev_count;
};

#endif /* SMMU_STATE_H */
