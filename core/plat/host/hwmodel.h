/* SPDX-License-Identifier: MIT */
/*
 * Reference SMMUv3 (host builds only). It plays the physical SMMU that the
 * core programs: registers, CR0/CR0ACK, GBPA, the command queue it consumes,
 * the stream table it walks, a configuration cache and a TLB that only
 * invalidation commands clear, the event queue it writes, and a DMA probe
 * that translates (SID, SSID, IOVA, access) like a device transaction.
 * Driven directly by the host's writes, it is the differential reference.
 *
 * The state is one flat struct without pointers other than the memory and
 * observer callbacks, so a harness may snapshot and restore it with memcpy.
 */
#ifndef SMMU_HWMODEL_H
#define SMMU_HWMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Physical memory as the SMMU's own accesses see it (never logged as host reads). */
struct hwm_mem {
	void *ctx;
	/* Return 0, or -1 when nothing backs [pa, pa + len) (external abort). */
	int (*read)(void *ctx, uint64_t pa, void *dst, size_t len);
	int (*write)(void *ctx, uint64_t pa, const void *src, size_t len);
};

/* Optional observer, called as the model acts; any member may be NULL. */
struct hwm_observer {
	void *ctx;
	/* A command is about to execute (after a successful fetch). */
	void (*cmd)(void *ctx, const uint64_t cmd[2]);
	/* An STE was fetched from memory into the configuration cache. */
	void (*ste_fetch)(void *ctx, uint32_t sid, const uint64_t ste[8]);
	/* The SMMU itself wrote memory (event record, MSI, CMD_SYNC MSI). */
	void (*dma_write)(void *ctx, uint64_t pa, size_t len, unsigned why);
};

enum hwm_write_why {
	HWM_WRITE_EVENT = 1,
	HWM_WRITE_MSI_SYNC = 2,	/* CMD_SYNC with CS = IRQ and an MSI address */
	HWM_WRITE_MSI_IRQ = 3,	/* GERROR / EVTQ / PRIQ MSI */
};

/* How promptly the model applies updates the driver polls for. */
enum hwm_timing {
	HWM_PROMPT = 0,	/* acks and consumption visible at once */
	HWM_SLOW = 1,	/* visible after `delay` further reads of the polled register */
			/* (the first `delay` polls still see the old state) */
	HWM_STUCK = 2,	/* CR0ACK / GBPA.UPDATE / IRQ_CTRLACK / CMDQ never progress */
};

/*
 * What firmware or an earlier kernel (kexec, kdump) left programmed when the
 * hypervisor takes the SMMU over. Applied by hwm_init as settled state:
 * CR0ACK = CR0, IRQ_CTRLACK = IRQ_CTRL, GERRORN = 0 (so every GERROR bit
 * set here is an active, unacknowledged error). All zero: power-on reset.
 */
struct hwm_boot_state {
	uint32_t cr0;
	uint32_t gerror;
	uint32_t irq_ctrl;
	uint64_t irq_cfg0[3];	/* GERROR, EVTQ, PRIQ MSI address registers */
	uint32_t irq_cfg1[3];	/* MSI data */
	uint64_t strtab_base;
	uint32_t strtab_cfg;
	uint64_t cmdq_base;
	uint32_t cmdq_prod, cmdq_cons;
	uint64_t evtq_base;
	uint64_t priq_base;
	uint32_t ecmdq_enable;	/* bit n: ECMDQ n left enabled (IDR1.ECMDQ) */
};

/* Architected failures a world may turn on (hwm_config.faults). */
#define HWM_FAULT_ATC_TIMEOUT	0x01U	/* ATC invalidations never complete: the
					 * next CMD_SYNC fails CERROR_ATC_INV_SYNC */
#define HWM_FAULT_EVTQ_ABORT	0x02U	/* event-record writes abort (EVTQ_ABT_ERR) */
#define HWM_FAULT_MSI_ABORT	0x04U	/* MSI writes abort (MSI_*_ABT_ERR) */
#define HWM_FAULT_CMDQ_ABORT	0x08U	/* command fetches abort (CERROR_ABT) */
#define HWM_FAULT_STALL		0x10U	/* faulting transactions stall (STALL_MODEL 0) */
#define HWM_FAULT_SFM		0x20U	/* service failure mode on CMD_SYNC (SFM_ERR) */
#define HWM_FAULT_MASK		0x3FU

struct hwm_config {
	char name[24];
	uint32_t idr[6];	/* IDR0..IDR5 as read by software */
	uint32_t iidr;
	uint32_t aidr;
	uint32_t gbpa_reset;	/* GBPA after reset (e.g. ABORT clear: bypass) */
	struct hwm_boot_state boot;
	uint32_t faults;	/* HWM_FAULT_* */
	uint32_t idr6;		/* IDR6, present only with IDR1.ECMDQ */
};

/*
 * Enhanced command queues (IDR1.ECMDQ, SMMUv3.3). The model implements one
 * command queue control page, placed at the first optional page after page 1
 * (CMDQ_CONTROL_PAGE_BASE0.ADDR), with at most HWM_ECMDQ_MAX queues: IDR6
 * reads LOG2NUMP = 0 and LOG2NUMQ capped to match.
 */
#define HWM_ECMDQ_MAX		8U
#define HWM_CMDQCP_OFFSET	0x20000U
#define HWM_MMIO_MAX		(HWM_CMDQCP_OFFSET + 0x10000U)

struct hwm_ecmdq {
	uint64_t base;		/* ECMDQ_BASE */
	uint32_t prod;		/* ECMDQ_PROD: EN, ERRACK, WR */
	uint32_t cons;		/* ECMDQ_CONS: ENACK, ERR_REASON, ERR, RD */
	bool atc_inv_pending;	/* HWM_FAULT_ATC_TIMEOUT, for this queue */
};

/* A transaction held by the stall model (HWM_FAULT_STALL). */
#define HWM_STALL_MAX	8U

struct hwm_stall {
	bool valid;
	bool ssv;
	bool write;
	uint16_t stag;		/* reported in the event record */
	uint32_t sid;
	uint32_t ssid;
	uint64_t iova;
};

#define HWM_STE_CACHE	64U	/* direct-mapped by SID */
#define HWM_TLB_SIZE	128U	/* direct-mapped by IOVA page */

struct hwm_ste_cache_ent {
	bool valid;
	uint32_t sid;
	uint64_t ste[8];
};

struct hwm_tlb_ent {
	bool valid;
	bool s1;		/* stage 1 involved (tagged by ASID) */
	bool s2;		/* stage 2 involved (tagged by VMID) */
	uint16_t asid;
	uint16_t vmid;
	uint32_t sid;
	uint32_t ssid;
	uint64_t iova_page;
	uint64_t ipa_page;	/* output of stage 1 (== iova_page without S1) */
	uint64_t pa_page;
	uint8_t perm;		/* bit0 read, bit1 write allowed */
	uint8_t memattr;	/* stage-2 MemAttr of the final page (0xF WB, 0x1 device...) */
};

struct hwm_stats {
	uint64_t cmds;		/* commands executed */
	uint64_t syncs;		/* CMD_SYNCs completed */
	uint64_t cfgi;		/* configuration invalidations */
	uint64_t tlbi;		/* TLB invalidations */
	uint64_t cerror;	/* commands stopped with a CONS error */
	uint64_t events;	/* event records written */
	uint64_t events_lost;	/* events dropped (queue disabled or full) */
	uint64_t ste_fetches;
	uint64_t tlb_hits;
	uint64_t cache_fills;	/* STE cache and TLB entries filled */
	uint64_t stalls;	/* transactions stalled */
	uint64_t stall_retries;	/* stalled transactions retried by CMD_RESUME */
	uint64_t stall_terms;	/* stalled transactions terminated */
};

struct hw_model {
	struct hwm_config cfg;
	struct hwm_mem mem;
	struct hwm_observer obs;
	enum hwm_timing timing;
	uint32_t delay;		/* HWM_SLOW: reads before an update shows */

	/* Architectural registers (page 0 and page 1). */
	uint32_t cr0, cr0ack, cr1, cr2;
	uint32_t gbpa;
	uint32_t irq_ctrl, irq_ctrlack;
	uint32_t gerror, gerrorn;
	uint64_t gerror_irq_cfg0;
	uint32_t gerror_irq_cfg1, gerror_irq_cfg2;
	uint64_t strtab_base;
	uint32_t strtab_base_cfg;
	uint64_t cmdq_base;
	uint32_t cmdq_prod, cmdq_cons;
	/* The bases as the host last wrote them itself, while it owned the
	 * SMMU (the harness notes them; the released-SMMU audit excuses them
	 * as it excuses firmware's). */
	uint64_t host_strtab_base, host_cmdq_base;
	uint64_t evtq_base;
	uint32_t evtq_prod, evtq_cons;
	uint64_t evtq_irq_cfg0;
	uint32_t evtq_irq_cfg1, evtq_irq_cfg2;
	uint64_t priq_base;
	uint32_t priq_prod, priq_cons;
	uint64_t priq_irq_cfg0;
	uint32_t priq_irq_cfg1, priq_irq_cfg2;

	/* Pending updates in HWM_SLOW mode: reads left before they show. */
	uint32_t cr0_pending, gbpa_pending, irq_pending, cmdq_pending;
	uint32_t gbpa_next;	/* value GBPA takes when its update completes */

	/*
	 * Times DMA became able to bypass translation after power-on: SMMUEN
	 * going off while GBPA does not abort, or GBPA leaving ABORT while
	 * SMMUEN is off. The power-on state itself does not count.
	 */
	uint32_t bypass_opened;
	bool atc_inv_pending;	/* HWM_FAULT_ATC_TIMEOUT: an ATC_INV awaits a SYNC
				 * (command queue; each ECMDQ has its own) */
	bool sfm;		/* HWM_FAULT_SFM: in service failure mode until reset */

	struct hwm_ecmdq ecmdq[HWM_ECMDQ_MAX];
	struct hwm_stall stall[HWM_STALL_MAX];

	/* Valid entries of the caches below: an invalidation of an empty
	 * cache (most of them) costs nothing. */
	uint32_t ste_cache_live, tlb_live;
	struct hwm_ste_cache_ent ste_cache[HWM_STE_CACHE];
	struct hwm_tlb_ent tlb[HWM_TLB_SIZE];
	struct hwm_stats stats;
};

/* Result of one translated transaction. */
struct hwm_dma_result {
	bool ok;		/* false: the transaction was aborted */
	uint8_t event;		/* EVT_ID_* of the fault, 0 if none; set even
				 * when CD.R / STE.S2R say not to record it */
	bool bypass;		/* reached memory untranslated (GBPA or STE bypass) */
	bool stalled;		/* held until CMD_RESUME / CMD_STALL_TERM */
	bool s1;		/* stage 1 applied */
	bool s2;		/* stage 2 applied */
	bool tlb_hit;
	uint64_t pa;		/* output address when ok */
	uint8_t memattr;	/* stage-2 MemAttr when s2; 0xF otherwise */
	uint64_t fault_addr;	/* address that faulted (IOVA or IPA) */
};

/** Reset the model to its power-on state with configuration @cfg. */
void hwm_init(struct hw_model *m, const struct hwm_config *cfg,
	      const struct hwm_mem *mem, const struct hwm_observer *obs);

/**
 * Return @m to @snap (a copy of the same model taken earlier), keeping
 * @m's observer. Cheap when nothing was cached since the snapshot.
 */
void hwm_restore(struct hw_model *m, const struct hw_model *snap);

/**
 * Register accesses; @off is the offset from the SMMU's base: pages 0 and 1
 * (128 KiB) and, with IDR1.ECMDQ, the control page at HWM_CMDQCP_OFFSET.
 * See hwm_mmio_size().
 */
uint32_t hwm_read32(struct hw_model *m, uint32_t off);
uint64_t hwm_read64(struct hw_model *m, uint32_t off);
void hwm_write32(struct hw_model *m, uint32_t off, uint32_t val);
void hwm_write64(struct hw_model *m, uint32_t off, uint64_t val);

/**
 * Translate one device transaction. @ssid is used when @ssv. Faults are
 * reported in @res and, where the architecture says so, as event records.
 * Returns res->ok.
 */
bool hwm_dma(struct hw_model *m, uint32_t sid, bool ssv, uint32_t ssid,
	     uint64_t iova, bool write, struct hwm_dma_result *res);

/** Bytes of register space the model decodes (128 KiB, more with ECMDQ). */
uint32_t hwm_mmio_size(const struct hw_model *m);

/** ECMDQs the model implements (0 without IDR1.ECMDQ). */
unsigned hwm_ecmdq_count(const struct hw_model *m);

/** True when the SMMU is translating (SMMUEN acknowledged). */
bool hwm_enabled(const struct hw_model *m);

/** Locate STE @sid through the live STRTAB_BASE/_CFG; false if none. */
bool hwm_ste_addr(const struct hw_model *m, uint32_t sid, uint64_t *pa);

/* Built-in hardware profiles (index 0 = QEMU 10 virt SMMUv3). */
unsigned hwm_profile_count(void);
const struct hwm_config *hwm_profile(unsigned idx);
int hwm_profile_find(const char *name);	/* index or -1 */

#endif /* SMMU_HWMODEL_H */
