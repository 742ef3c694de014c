/* SPDX-License-Identifier: MIT */
/* Interfaces between the core's own files; nothing outside core/ uses them. */
#ifndef SMMU_PRIV_H
#define SMMU_PRIV_H

#include <smmu/regs.h>
#include <smmu/smmu.h>
#include "check.h"
#include "inject.h"

/* Bounds on every wait the core performs on the hardware. */
#define SMMU_POLL_TIMEOUT_US	100000U
#define SMMU_POLL_MAX_SPINS	(1U << 24)

/* ---- pool.c ------------------------------------------------------------ */
int pool_init(struct smmu_pool *pool, pa_t base, uint32_t page_count);
/* 2^order zeroed, naturally aligned pages; 0 on success. */
int pool_alloc(struct smmu_pool *pool, unsigned order, pa_t *pa) SMMU_MUST_CHECK;
void pool_free(struct smmu_pool *pool, pa_t pa, unsigned order);
bool pool_owns(const struct smmu_pool *pool, pa_t pa);

/* ---- owner.c: host stage-2 ownership transitions ------------------------ */
int owner_host_share_hyp(struct smmu_hyp *hyp, pa_t pa) SMMU_MUST_CHECK;
int owner_host_unshare_hyp(struct smmu_hyp *hyp, pa_t pa) SMMU_MUST_CHECK;
int owner_host_donate_hyp(struct smmu_hyp *hyp, pa_t pa) SMMU_MUST_CHECK;
int owner_hyp_donate_host(struct smmu_hyp *hyp, pa_t pa) SMMU_MUST_CHECK;
int owner_host_donate_guest(struct smmu_hyp *hyp, pa_t pa) SMMU_MUST_CHECK;
int owner_guest_donate_host(struct smmu_hyp *hyp, pa_t pa) SMMU_MUST_CHECK;
int owner_host_donate_hyp_mmio(struct smmu_hyp *hyp, pa_t pa) SMMU_MUST_CHECK;
int owner_hyp_donate_host_mmio(struct smmu_hyp *hyp, pa_t pa) SMMU_MUST_CHECK;
/* Pin host RAM [base, base + size) for an SMMU: all-or-nothing. */
int owner_pin_range(struct smmu_hyp *hyp, pa_t base, uint64_t size,
		    struct smmu_pin *pin) SMMU_MUST_CHECK;
void owner_unpin_range(struct smmu_hyp *hyp, struct smmu_pin *pin);
/* Mark hypervisor MMIO pages in use (not returnable) or release them. */
void owner_mmio_set_in_use(pa_t base, uint64_t size, bool in_use);

/* ---- iopt.c: the identity stage-2 table ---------------------------------- */
#define IOPT_READ	1U
#define IOPT_WRITE	2U
#define IOPT_MMIO	4U	/* device memory attributes */
int iopt_init(struct smmu_hyp *hyp, unsigned ias) SMMU_MUST_CHECK;
int iopt_map(struct smmu_hyp *hyp, uint64_t ipa, uint64_t size, unsigned prot,
	     bool blocks);
int iopt_unmap(struct smmu_hyp *hyp, uint64_t ipa, uint64_t size);
uint64_t iopt_lookup(const struct smmu_hyp *hyp, uint64_t ipa, unsigned *level);
uint64_t iopt_ste_vtcr(const struct smmu_iopt *io);

/* ---- ste.c: host STE -> hardware STE (pure) ------------------------------- */
int ste_shadow(const struct smmu_dev *dev, const struct smmu_iopt *io,
	       const uint64_t host[STRTAB_STE_DWORDS],
	       uint64_t out[STRTAB_STE_DWORDS], const char **site) SMMU_MUST_CHECK;

/* ---- idmap.c: the IOMMU mirror of host ownership ------------------------- */
int idmap_init(struct smmu_hyp *hyp) SMMU_MUST_CHECK;
/* The page at @pa is leaving the host: unmap it and invalidate every SMMU's
 * TLB; SMMU_ETIMEDOUT (and mapped again) if an invalidation did not finish. */
int idmap_revoke(struct smmu_hyp *hyp, pa_t pa) SMMU_MUST_CHECK;
/* The page at @pa is the host's again: map it. */
void idmap_grant(struct smmu_hyp *hyp, pa_t pa);
/* TLBI_S12_VMALL + CMD_SYNC on every SMMU; SMMU_ETIMEDOUT if one did not finish. */
int idmap_invalidate(struct smmu_hyp *hyp) SMMU_MUST_CHECK;

/* ---- probe.c ----------------------------------------------------------- */
int probe_fdt(struct smmu_hyp *hyp, const void *fdt, size_t fdt_size)
	SMMU_MUST_CHECK;
int probe_takeover(struct smmu_hyp *hyp, struct smmu_dev *dev) SMMU_MUST_CHECK;
void probe_release(struct smmu_hyp *hyp, struct smmu_dev *dev);

/* ---- hw.c: accesses to the real SMMU ------------------------------------ */
uint32_t hw_read32(const struct smmu_dev *dev, uint32_t off);
void hw_write32(const struct smmu_dev *dev, uint32_t off, uint32_t val);
void hw_write64(const struct smmu_dev *dev, uint32_t off, uint64_t val);
struct hw_deadline {
	uint64_t start;
	uint64_t limit;
	uint32_t spins;
};
void hw_deadline_start(struct hw_deadline *d);
bool hw_deadline_expired(struct hw_deadline *d);
/* Wait until (reg & mask) == want; SMMU_ETIMEDOUT after the bound. */
int hw_poll32(const struct smmu_dev *dev, uint32_t off, uint32_t mask,
	      uint32_t want) SMMU_MUST_CHECK;
/* Write CR0 and wait for CR0ACK to match. */
int hw_write_cr0(struct smmu_dev *dev, uint32_t cr0) SMMU_MUST_CHECK;

/* ---- hwq.c: the hypervisor's command queue on the real SMMU ------------- */
#define HWQ_SRC_HYP	0xFFFFFFFFU
int hwq_init(struct smmu_hyp *hyp, struct smmu_dev *dev) SMMU_MUST_CHECK;
/* Free slots in the shadow queue as of the hardware's current CONS. */
uint32_t hwq_space(struct smmu_dev *dev);
/* Append one command (no doorbell); the slot records @src. */
void hwq_append(struct smmu_dev *dev, const uint64_t cmd[2], uint32_t src);

struct hwq_result {
	int err;		/* 0, SMMU_ETIMEDOUT */
	uint32_t cerror;	/* CERROR_* the hardware reported */
	uint32_t src;		/* host index of the failing command */
	uint32_t at;		/* wrap|index of the failing slot */
	bool failed;		/* a command failed with cerror */
};
/* Ring the doorbell and wait (bounded) for the hardware to drain the queue. */
void hwq_sync(struct smmu_dev *dev, struct hwq_result *res);
/* Issue one command followed by CMD_SYNC and wait; hypervisor-internal. */
int hwq_issue_sync(struct smmu_dev *dev, const uint64_t cmd[2]) SMMU_MUST_CHECK;

/* ---- mmio.c / ctrl.c / queues.c / strtab.c / cmdq.c: register emulation -- */
enum smmu_reg_kind {
	REG_RO_PASS,		/* hardware value, read-only */
	REG_RO_ZERO,		/* hidden: reads as zero */
	REG_IDR0,
	REG_IDR1,
	REG_CR0,
	REG_CR0ACK,
	REG_CR1,
	REG_CR2,
	REG_GBPA,
	REG_IRQ_CTRL,
	REG_IRQ_CTRLACK,
	REG_GERROR,
	REG_GERRORN,
	REG_IRQ_CFG0,		/* idx: 0 GERROR, 1 EVTQ, 2 PRIQ */
	REG_IRQ_CFG1,
	REG_IRQ_CFG2,
	REG_STRTAB_BASE,
	REG_STRTAB_CFG,
	REG_CMDQ_BASE,
	REG_CMDQ_PROD,
	REG_CMDQ_CONS,
	REG_EVTQ_BASE,
	REG_PRIQ_BASE,
	REG_Q_PROD,		/* EVTQ/PRIQ PROD/CONS: hardware page 1 */
	REG_Q_CONS,
};

struct smmu_reg_desc {
	uint32_t offset;
	uint8_t width;		/* 4 or 8 */
	uint8_t kind;		/* enum smmu_reg_kind */
	uint8_t idx;		/* which queue / IRQ block */
	uint8_t present;	/* a real entry (the table is sparse) */
	uint8_t ro;		/* the host may only read it */
};

const struct smmu_reg_desc *mmio_lookup(uint32_t offset);

uint64_t ctrl_read(struct smmu_hyp *hyp, struct smmu_dev *dev,
		   const struct smmu_reg_desc *r);
void ctrl_write(struct smmu_hyp *hyp, struct smmu_dev *dev,
		const struct smmu_reg_desc *r, uint64_t val);
void ctrl_init_host_view(struct smmu_dev *dev);

/* queues.c */
int queue_check_base(const struct smmu_hyp *hyp, uint64_t base,
		     unsigned log2_max, unsigned ent_dwords, uint64_t *addr,
		     uint64_t *size) SMMU_MUST_CHECK;
bool queue_enable(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t bit);
bool queue_disable(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t bit);
void queue_release_pending(struct smmu_hyp *hyp, struct smmu_dev *dev);

/* strtab.c */
int strtab_init(struct smmu_hyp *hyp, struct smmu_dev *dev) SMMU_MUST_CHECK;
bool strtab_enable(struct smmu_hyp *hyp, struct smmu_dev *dev);
bool strtab_host_write_ok(const struct smmu_dev *dev);
/* SMMUEN 0 -> 1: shadow the host's whole table. */
int strtab_sync_all(struct smmu_hyp *hyp, struct smmu_dev *dev) SMMU_MUST_CHECK;
/* A host CFGI_STE for @sid passed the filter: re-shadow that STE. 0, or an
 * error with the reject site in *site (the CFGI fails with CERROR_ILL). */
int strtab_cfgi_ste(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t sid,
		    const char **site) SMMU_MUST_CHECK;
/* A host CFGI_ALL passed the filter: re-shadow every STE (live install). */
int strtab_cfgi_all(struct smmu_hyp *hyp, struct smmu_dev *dev,
		    const char **site) SMMU_MUST_CHECK;

/* cmdq.c: the host's command queue, emulated */
void cmdq_prod_write(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t val);
void cmdq_resume(struct smmu_hyp *hyp, struct smmu_dev *dev);
uint32_t cmdq_cons_read(const struct smmu_dev *dev);

/* cmd.c: the command filter (pure) */
enum cmd_verdict {
	CMD_FORWARD,		/* pass to hardware, possibly rewritten */
	CMD_ILLEGAL,		/* refuse with CERROR_ILL */
};
enum cmd_verdict cmd_filter(const struct smmu_dev *dev, uint64_t cmd[2],
			    const char **site);

/* ---- misc ---------------------------------------------------------------- */
struct smmu_dev *smmu_dev_at(struct smmu_hyp *hyp, pa_t pa);
/* [base, base + size) lies inside one RAM range of the device tree. */
bool smmu_range_is_memory(const struct smmu_hyp *hyp, uint64_t base,
			  uint64_t size);
static inline bool range_overlap(uint64_t a, uint64_t alen, uint64_t b,
				 uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Freestanding: these lower to our own memcpy/memset at EL2. */
#define smmu_memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#define smmu_memset(d, c, n) __builtin_memset((d), (c), (n))

#endif /* SMMU_PRIV_H */
