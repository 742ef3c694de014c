/* SPDX-License-Identifier: MIT */
/* What harness.c (boot, snapshots, runs) and host.c (the host's actions)
 * share. Nothing else includes this. */
#ifndef SMMUFUZZ_HARNESS_PRIV_H
#define SMMUFUZZ_HARNESS_PRIV_H

#include <smmu/smmu.h>
#include "boot.h"
#include "harness.h"
#include "hostops.h"
#include "world.h"
#include "worlddesc.h"

#define POLL_MAX	HOSTOPS_POLL_MAX
#define HS_ST_RING	8U

/*
 * Where the host's stream table is, for the platform oracles (double fetch,
 * trap budget): STRTAB_BASE/_CFG as the documented rules make them, written
 * while the hardware's CR0ACK.SMMUEN is clear, without reserved bits; and
 * the last pairs written without reserved bits at all, enabled or not
 * (where the hypervisor and the hardware's CR0ACK disagree about when a
 * write takes effect, stuck hardware, one of these is it).
 */
struct host_strtab_view {
	uint64_t st_base;
	uint32_t st_cfg;
	uint64_t st_ring_base[HS_ST_RING];
	uint32_t st_ring_cfg[HS_ST_RING];
	uint32_t st_ring_next;
};

struct harness;

/* What a model's observer needs to know: whose model it is. */
struct model_ctx {
	struct harness *h;
	unsigned idx;
};

/*
 * One booted world (per world description, mode and prelude) and its
 * snapshots; or, for inputs that boot the core themselves, one pristine
 * world that every such input reconfigures and boots from scratch.
 */
struct harness {
	uint64_t key;
	unsigned profile;
	enum harness_mode mode;
	unsigned prelude;
	bool pristine;			/* not booted: the input's BOOT ops do it */
	struct world_desc desc;
	uint32_t last_used;
	/* How the boot ended: WORLD_RUNNING, or the finding or fatal refusal
	 * it stopped on (boot_site), or boot_refused with the core's error. */
	enum world_stop boot_stop;
	bool boot_refused;
	char boot_site[160];
	struct world *w;
	struct smmu_hyp core;
	struct smmu_hyp core_snap;
	struct host_smmu hs_snap[WORLD_MAX_SMMU];
	struct host_strtab_view st_snap[WORLD_MAX_SMMU];
	struct exec *running;		/* for the hardware observer */
	struct model_ctx mctx[WORLD_MAX_SMMU];
	uint64_t s2_dw2, s2_dw3;	/* what translating STEs must carry */
};

/* The state of one run: the host as it executes ops (hostops.c) on the
 * world (host.c is its backend). */
struct exec {
	struct harness *h;
	struct world *w;
	const struct harness_opts *opts;
	struct run_result *res;
	struct hostops ho;		/* selected SMMU, op index, the host's view */
	/* PROD at the start of the input: the differential log counts from it,
	 * so a prelude that issued more commands in one mode compares equal. */
	uint32_t cmdq_origin[WORLD_MAX_SMMU];
	struct host_strtab_view st[WORLD_MAX_SMMU];
	struct boot_left left[WORLD_MAX_SMMU];	/* not the hypervisor's pointers */
};

/* host.c */
/* Make @x's host act on its world (call once x->h, w, opts, res are set). */
void host_attach(struct exec *x);
void host_exec_op(struct exec *x, const struct op *op);
/* The ops of a command stream the Linux driver could issue (differential). */
bool host_linux_like(const struct op *ops, size_t n, unsigned sid_bits);

#endif /* SMMUFUZZ_HARNESS_PRIV_H */
