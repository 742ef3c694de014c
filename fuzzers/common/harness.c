// SPDX-License-Identifier: MIT
/*
 * The harness: boots the core on a world once per profile (and prelude),
 * snapshots it, runs each input from that snapshot through the host
 * (host.c), applies the end-of-input oracles and the differential check,
 * and turns the outcome into a verdict.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <smmu/pgstate.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>
#include "harness_priv.h"
#include "oracle.h"
#include "profiles.h"
#include "world.h"

#define MAX_PROFILES	8U
#define FDT_CAP		4096U

static struct harness *cache[MAX_PROFILES][2][PRELUDE_COUNT];
static struct op op_buf[OPS_MAX_OPS];

/* ---- Boot ------------------------------------------------------------- */

static _Noreturn void boot_fail(unsigned profile, const char *what, int err)
{
	fprintf(stderr, "smmufuzz: profile %u: boot failed: %s (%d)\n", profile,
		what, err);
	exit(2);
}

/*
 * The hardware observer: every command the SMMU is about to execute must
 * obey the filter's rules, and at every CFGI_STE the entry the SMMU will
 * fetch next must be safe (the check a device racing the update would
 * care about). On the bare model (reference mode) there is nothing to check.
 */
static void on_hw_command(void *ctx, const uint64_t cmd[2])
{
	struct model_ctx *mc = ctx;
	struct harness *h = mc->h;
	struct exec *x = h->running;

	if (x == NULL || !x->opts->oracles || h->mode != HARNESS_HYP)
		return;
	oracle_hw_command(h->w, mc->idx, cmd);
	if (FIELD_GET(CMD0_OP, cmd[0]) == CMDQ_OP_CFGI_STE)
		oracle_ste(h->w, mc->idx, (uint32_t)FIELD_GET(CMD0_SID, cmd[0]));
}

static void boot_core(struct harness *h)
{
	uint8_t fdt[FDT_CAP];
	size_t fdt_size = world_fdt(h->w, fdt, sizeof(fdt));
	int err;

	err = smmu_setup(&h->core, pa_init(WORLD_POOL_BASE), WORLD_POOL_PAGES);
	if (err != 0)
		boot_fail(h->profile, "smmu_setup", err);
	err = smmu_register_driver(&h->core, &smmuv3_kern_driver, &smmuv3_hyp_driver);
	if (err != 0)
		boot_fail(h->profile, "smmu_register_driver", err);
	err = smmu_init_driver(&h->core, fdt, fdt_size);
	if (err != 0)
		boot_fail(h->profile, smmu_strerror(err), err);
	err = smmu_deprivilege(&h->core);
	if (err != 0)
		boot_fail(h->profile, "smmu_deprivilege", err);
}

/* The Linux driver resets every SMMU, as the host kernel would at boot. */
static void run_prelude(struct harness *h)
{
	static const struct harness_opts opts = { .op_mask = OPMASK_ALL,
						   .oracles = true };
	static struct run_result res;
	struct op reset = { .code = OP_RESET, .b8 = 8, .c8 = 16, .d8 = 8,
			    .a8 = RESET_F_2LVL | RESET_F_EVTQ | RESET_F_PRIQ |
				  RESET_F_SMMUEN };
	struct exec x;
	unsigned i;

	memset(&x, 0, sizeof(x));
	x.h = h;
	x.w = h->w;
	x.opts = &opts;
	x.res = &res;
	h->running = &x;
	for (i = 0; i < world_smmu_count(h->w); i++) {
		x.cur = i;
		host_exec_op(&x, &reset);
	}
	h->running = NULL;
	if (world_outcome(h->w)->rejects != 0)
		boot_fail(h->profile, world_outcome(h->w)->first_reject, -1);
	memcpy(h->hs_snap, x.hs, sizeof(h->hs_snap));
}

static struct harness *harness_boot(unsigned profile, enum harness_mode mode,
				    enum harness_prelude prelude)
{
	struct hwm_observer obs = { 0 };
	struct world_config cfg;
	struct harness *h;
	jmp_buf jb;
	unsigned i;

	if (!profile_world_config(profile, &cfg))
		boot_fail(profile, "unknown profile", -1);
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		boot_fail(profile, "out of memory", -1);
	h->profile = profile;
	h->mode = mode;
	h->prelude = prelude;
	h->w = world_new(&cfg);
	if (h->w == NULL)
		boot_fail(profile, "world", -1);
	world_activate(h->w);
	obs.cmd = on_hw_command;
	for (i = 0; i < world_smmu_count(h->w); i++) {
		h->mctx[i].h = h;
		h->mctx[i].idx = i;
		obs.ctx = &h->mctx[i];
		world_set_observer(h->w, i, &obs);
	}
	world_set_jump(h->w, &jb);
	if (setjmp(jb) != 0)
		boot_fail(profile, world_outcome(h->w)->stop_site, -1);
	if (mode == HARNESS_HYP) {
		boot_core(h);
		smmu_stage2_words(&h->core, &h->s2_dw2, &h->s2_dw3);
		/* The snapshot of ownership, checked page by page once. */
		oracle_world_init(h->w, h->s2_dw3 & STE3_S2TTB_MASK);
		oracle_idmap_full(h->w);
	}
	if (prelude == PRELUDE_LINUX)
		run_prelude(h);
	world_set_jump(h->w, NULL);
	h->core_snap = h->core;
	world_snapshot(h->w);
	world_outcome_reset(h->w);
	return h;
}

static struct harness *harness_get(unsigned profile, enum harness_mode mode,
				   enum harness_prelude prelude)
{
	struct harness **slot;

	if (profile >= MAX_PROFILES)
		profile = 0;
	slot = &cache[profile][mode][prelude % PRELUDE_COUNT];
	if (*slot == NULL)
		*slot = harness_boot(profile, mode, prelude % PRELUDE_COUNT);
	return *slot;
}

void harness_shutdown(void)
{
	struct harness **h = &cache[0][0][0];
	size_t i;

	for (i = 0; i < sizeof(cache) / sizeof(cache[0][0][0]); i++) {
		if (h[i] != NULL) {
			world_free(h[i]->w);
			free(h[i]);
			h[i] = NULL;
		}
	}
}

/* ---- Running an input ------------------------------------------------------ */

/* Back to the booted core: the instance up to its last probed SMMU (the
 * device slots past dev_count are never touched). */
static void restore_core(struct smmu_hyp *core, const struct smmu_hyp *snap)
{
	size_t used = offsetof(struct smmu_hyp, dev) +
		      (size_t)snap->dev_count * sizeof(snap->dev[0]);

	memcpy(core, snap, used);
	core->dev_count = snap->dev_count;
}

static void finish(struct exec *x, const char *differential)
{
	struct world_outcome *out = world_outcome(x->w);
	struct run_result *r = x->res;

	r->rejects = out->rejects;
	switch (out->stop) {
	case WORLD_STOP_BUG:
	case WORLD_STOP_ORACLE:
		r->verdict = VERDICT_FINDING;
		snprintf(r->site, sizeof(r->site), "%s", out->stop_site);
		break;
	case WORLD_STOP_REJECT:
		r->verdict = VERDICT_REJECTED;
		r->fatal = true;
		snprintf(r->site, sizeof(r->site), "%s", out->stop_site);
		break;
	case WORLD_RUNNING:
		r->verdict = out->rejects ? VERDICT_REJECTED : VERDICT_OK;
		snprintf(r->site, sizeof(r->site), "%s", out->first_reject);
		if (differential != NULL) {
			r->verdict = VERDICT_FINDING;
			snprintf(r->site, sizeof(r->site), "%s", differential);
		}
		break;
	}
	if (r->verdict == VERDICT_FINDING && !x->opts->quiet)
		fprintf(stderr, "smmufuzz: finding:%s\n", r->site);
	if (r->verdict == VERDICT_FINDING && x->opts->abort_on_finding)
		abort();
}

static bool executed(const struct harness_opts *opts, const struct op *op)
{
	return (opts->op_mask & OPBIT(op->code)) != 0;
}

/*
 * The differential check: a Linux-like input must look the same to the
 * host on the bare hardware model as through the emulation. Returns the
 * finding's signature, or NULL.
 */
static const char *differential(unsigned profile, const struct op *ops,
				size_t n, const struct harness_opts *opts,
				struct run_result *hyp, char *sig,
				size_t cap)
{
	static struct op linux_ops[OPS_MAX_OPS];
	static struct run_result ref;
	struct harness_opts ref_opts = *opts;
	size_t i, m = 0;
	uint32_t k;

	for (i = 0; i < n; i++)
		if (executed(opts, &ops[i]))
			linux_ops[m++] = ops[i];
	if (!host_linux_like(linux_ops, m, profile))
		return NULL;
	ref_opts.mode = HARNESS_REFERENCE;
	ref_opts.differential = false;
	ref_opts.abort_on_finding = false;
	ref_opts.quiet = true;
	harness_run_ops(profile, linux_ops, m, &ref_opts, &ref);
	hyp->compared = true;
	for (k = 0; k < hyp->diff_count || k < ref.diff_count; k++) {
		uint64_t a = k < hyp->diff_count ? hyp->diff[k] : ~0ULL;
		uint64_t b = k < ref.diff_count ? ref.diff[k] : ~0ULL;
		int reg;

		if (a == b)
			continue;
		reg = ops_reg_by_offset((uint32_t)((a != ~0ULL ? a : b) >> 32));
		snprintf(sig, cap, "differential:%s", reg >= 0 ? ops_reg(reg)->name : "count");
		return sig;
	}
	return NULL;
}

enum verdict harness_run_ops(unsigned profile, const struct op *ops, size_t n,
			     const struct harness_opts *opts,
			     struct run_result *res)
{
	char diff_sig[64];
	const char *diff = NULL;
	struct exec x;
	jmp_buf jb;
	volatile size_t i = 0;

	memset(&x, 0, sizeof(x));
	memset(res, 0, offsetof(struct run_result, log));
	res->diff_count = 0;
	res->trace = OPS_TRACE_SEED;
	res->profile = profile;
	x.h = harness_get(profile, opts->mode, opts->prelude);
	x.w = x.h->w;
	x.opts = opts;
	x.res = res;
	memcpy(x.hs, x.h->hs_snap, sizeof(x.hs));
	for (i = 0; i < WORLD_MAX_SMMU; i++)
		x.cmdq_origin[i] = x.hs[i].cmdq_prod;
	world_activate(x.w);
	world_reset(x.w);
	if (x.h->mode == HARNESS_HYP)
		restore_core(&x.h->core, &x.h->core_snap);
	x.h->running = &x;
	world_set_jump(x.w, &jb);
	if (setjmp(jb) == 0) {
		for (i = 0; i < n; i++) {
			if (!executed(opts, &ops[i]))
				continue;
			x.op_index = (uint32_t)i;
			host_exec_op(&x, &ops[i]);
			res->ops++;
		}
		if (opts->oracles && x.h->mode == HARNESS_HYP) {
			oracle_isolation(x.w);
			oracle_stream_tables(x.w);
			oracle_idmap_changes(x.w);
		}
	}
	world_set_jump(x.w, NULL);
	x.h->running = NULL;
	res->touched_pages = world_touched_pages(x.w);
	if (opts->differential && x.h->mode == HARNESS_HYP &&
	    world_outcome(x.w)->stop == WORLD_RUNNING) {
		diff = differential(profile, ops, n, opts, res, diff_sig,
				    sizeof(diff_sig));
		world_activate(x.w);
	}
	finish(&x, diff);
	return res->verdict;
}

enum verdict harness_run(const uint8_t *data, size_t len,
			 const struct harness_opts *opts, struct run_result *res)
{
	struct ops_header hdr;
	int n = ops_decode(data, len, false, &hdr, op_buf, OPS_MAX_OPS, NULL);

	return harness_run_ops(hdr.profile, op_buf, n < 0 ? 0 : (size_t)n, opts,
			       res);
}

const char *harness_verdict_str(const struct run_result *res, char *buf,
				size_t cap)
{
	switch (res->verdict) {
	case VERDICT_OK:
		snprintf(buf, cap, "ok");
		break;
	case VERDICT_REJECTED:
		snprintf(buf, cap, "rejected:%s", res->site);
		break;
	case VERDICT_FINDING:
		snprintf(buf, cap, "finding:%s", res->site);
		break;
	}
	return buf;
}

/* ---- Targets --------------------------------------------------------------- */

struct target {
	const char *name;
	struct harness_opts opts;
};

static const struct target targets[] = {
	{ "fuzz_mmio", { .op_mask = OPMASK_MMIO, .mode = HARNESS_HYP,
			 .abort_on_finding = true, .oracles = true } },
	{ "fuzz_cmdq", { .op_mask = OPMASK_CMDQ, .mode = HARNESS_HYP,
			 .abort_on_finding = true, .oracles = true,
			 .prelude = PRELUDE_LINUX, .differential = true } },
	{ "fuzz_ste", { .op_mask = OPMASK_STE, .mode = HARNESS_HYP,
			.abort_on_finding = true, .oracles = true,
			.prelude = PRELUDE_LINUX } },
	{ "fuzz_owner", { .op_mask = OPMASK_OWNER, .mode = HARNESS_HYP,
			  .abort_on_finding = true, .oracles = true,
			  .prelude = PRELUDE_LINUX } },
	{ "fuzz_all", { .op_mask = OPMASK_ALL, .mode = HARNESS_HYP,
			.abort_on_finding = true, .oracles = true,
			.differential = true } },
	{ "all", { .op_mask = OPMASK_ALL, .mode = HARNESS_HYP,
		   .abort_on_finding = true, .oracles = true } },
};

const struct harness_opts *harness_target_opts(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (strcmp(targets[i].name, name) == 0)
			return &targets[i].opts;
	return NULL;
}

const char *harness_target_name(unsigned idx)
{
	return idx < sizeof(targets) / sizeof(targets[0]) ? targets[idx].name
							 : NULL;
}
