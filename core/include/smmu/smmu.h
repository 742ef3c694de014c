/* SPDX-License-Identifier: MIT */
/*
 * Public API of the SMMUv3 emulation core: driver registration and boot,
 * the trap entry point, and the host's ownership requests.
 *
 * Boot order (seed 000): register exactly once, init before the host is
 * de-privileged (probe from the device tree, take the SMMUs over), then
 * de-privilege. Every function takes the one instance explicitly.
 */
#ifndef SMMU_SMMU_H
#define SMMU_SMMU_H

#include "state.h"
#include "types.h"

enum smmu_driver_id {
	SMMU_DRIVER_SMMUV3 = 1,
};

/* Kernel side: probes the firmware description (runs while trusted). */
struct smmu_kern_driver {
	enum smmu_driver_id id;
	const char *name;
};

/* Hypervisor side: takes the probed SMMUs over and emulates them. */
struct smmu_hyp_driver {
	enum smmu_driver_id id;
};

extern const struct smmu_kern_driver smmuv3_kern_driver;
extern const struct smmu_hyp_driver smmuv3_hyp_driver;

/**
 * Zero @hyp (static, so zero-initialised, or fresh from an earlier setup)
 * and hand it the page pool [pool_base, + pool_pages pages), which must
 * already be hypervisor-owned. Returns 0; SMMU_EINVAL for a bad pool;
 * SMMU_EBUSY once a driver is registered (the instance holds SMMUs).
 */
int smmu_setup(struct smmu_hyp *hyp, pa_t pool_base, uint32_t pool_pages)
	SMMU_MUST_CHECK;

/**
 * Register the one IOMMU driver. Returns 0; SMMU_EINVAL for a NULL or
 * mismatched pair; SMMU_EBUSY if a driver is already registered;
 * SMMU_EPERM after init.
 */
int smmu_register_driver(struct smmu_hyp *hyp,
			 const struct smmu_kern_driver *kern,
			 const struct smmu_hyp_driver *drv) SMMU_MUST_CHECK;

/**
 * Initialise the registered driver from the flattened device tree @fdt:
 * find "arm,smmu-v3" nodes and memory, donate each SMMU's MMIO to the
 * hypervisor and take it over. On failure everything done is undone (MMIO
 * given back, pool pages freed) and the driver is left registered.
 * Returns 0; SMMU_ENODEV when no driver is registered ("no IOMMU driver");
 * SMMU_EPERM once de-privileged; or the probe's error.
 */
int smmu_init_driver(struct smmu_hyp *hyp, const void *fdt, size_t fdt_size)
	SMMU_MUST_CHECK;

/** Undo smmu_init_driver (used when later boot steps fail). */
void smmu_remove_driver(struct smmu_hyp *hyp);

/**
 * The host loses its privileges: from now on every trapped access and
 * ownership request is hostile input. Returns SMMU_EPERM unless READY.
 */
int smmu_deprivilege(struct smmu_hyp *hyp) SMMU_MUST_CHECK;

/* Result of offering a trapped access to the core. */
enum smmu_dabt_result {
	SMMU_DABT_NOT_OURS = 0,	/* not an SMMU window: the caller handles it */
	SMMU_DABT_HANDLED = 1,	/* emulated (possibly refused: RAZ/WI) */
};

/**
 * Emulate one host access of @size bytes (1, 2, 4 or 8) at physical address
 * @pa. For reads the result is stored in *@val; for writes *@val is the
 * value. Refusals go through plat_reject() / plat_panic(REJECT).
 */
enum smmu_dabt_result smmu_dabt(struct smmu_hyp *hyp, pa_t pa, unsigned size,
				bool write, uint64_t *val);

/* Ownership requests the host makes by hypercall (one page each). */
enum smmu_host_req {
	SMMU_REQ_SHARE_HYP = 0,
	SMMU_REQ_UNSHARE_HYP,
	SMMU_REQ_DONATE_HYP,
	SMMU_REQ_RECLAIM_HYP,
	SMMU_REQ_DONATE_GUEST,
	SMMU_REQ_RECLAIM_GUEST,
	SMMU_REQ_DONATE_MMIO,
	SMMU_REQ_RETURN_MMIO,
	SMMU_REQ_COUNT,
};

/**
 * Carry out one host ownership request for the page at @pa. A refused
 * request is reported through plat_reject() and returns its error code.
 */
int smmu_host_request(struct smmu_hyp *hyp, enum smmu_host_req req, pa_t pa);

/**
 * The stage-2 words (STE dword 2 and 3) every translating STE the core
 * installs carries: the identity map's geometry, VMID 0, and its root.
 * For oracles and tests; meaningful once the driver is initialised.
 */
void smmu_stage2_words(const struct smmu_hyp *hyp, uint64_t *dw2, uint64_t *dw3);

/** True if @pa lies in RAM described by the device tree. */
bool smmu_addr_is_memory(const struct smmu_hyp *hyp, pa_t pa);

#endif /* SMMU_SMMU_H */
