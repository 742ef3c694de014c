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

static struct harness *cache[MAX_PROFILES][2];
static struct op op_buf[OPS_MAX_OPS];

/* ---- Boot ------------------------------------------------------------- */

static _Noreturn void boot_fail(unsigned profile, const char *what, int err)
{
	fprintf(stderr, "smmufuzz: profile %u: boot failed: %s (%d)\n", profile,
		what, err);
	exit(2);
}

static struct harness *harness_boot(unsigned profile, enum harness_mode mode)
{
	struct world_config cfg;
	struct harness *h;
	uint8_t fdt[FDT_CAP];
	size_t fdt_size;
	jmp_buf jb;
	int err;

	if (!profile_world_config(profile, &cfg))
		boot_fail(profile, "unknown profile", -1);
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		boot_fail(profile, "out of memory", -1);
	h->profile = profile;
	h->mode = mode;
	h->w = world_new(&cfg);
	if (h->w == NULL)
		boot_fail(profile, "world", -1);
	world_activate(h->w);
	if (mode == HARNESS_HYP) {
		world_set_jump(h->w, &jb);
		if (setjmp(jb) != 0)
			boot_fail(profile, world_outcome(h->w)->stop_site, -1);
		fdt_size = world_fdt(h->w, fdt, sizeof(fdt));
		err = smmu_setup(&h->core, pa_init(WORLD_POOL_BASE), WORLD_POOL_PAGES);
		if (err != 0)
			boot_fail(profile, "smmu_setup", err);
		err = smmu_register_driver(&h->core, &smmuv3_kern_driver,
					   &smmuv3_hyp_driver);
		if (err != 0)
			boot_fail(profile, "smmu_register_driver", err);
		err = smmu_init_driver(&h->core, fdt, fdt_size);
		if (err != 0)
			boot_fail(profile, smmu_strerror(err), err);
		err = smmu_deprivilege(&h->core);
		if (err != 0)
			boot_fail(profile, "smmu_deprivilege", err);
		world_set_jump(h->w, NULL);
		h->core_snap = h->core;
	}
	world_snapshot(h->w);
	world_outcome_reset(h->w);
	return h;
}

static struct harness *harness_get(unsigned profile, enum harness_mode mode)
{
	if (profile >= MAX_PROFILES)
		profile = 0;
	if (cache[profile][mode] == NULL)
		cache[profile][mode] = harness_boot(profile, mode);
	return cache[profile][mode];
}

void harness_shutdown(void)
{
	unsigned p, m;

	for (p = 0; p < MAX_PROFILES; p++) {
		for (m = 0; m < 2; m++) {
			if (cache[p][m] != NULL) {
				world_free(cache[p][m]->w);
				free(cache[p][m]);
				cache[p][m] = NULL;
			}
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

static void finish(struct exec *x)
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
		break;
	}
	if (r->verdict == VERDICT_FINDING && !x->opts->quiet)
		fprintf(stderr, "smmufuzz: finding:%s\n", r->site);
	if (r->verdict == VERDICT_FINDING && x->opts->abort_on_finding)
		abort();
}

enum verdict harness_run_ops(unsigned profile, const struct op *ops, size_t n,
			     const struct harness_opts *opts,
			     struct run_result *res)
{
	struct exec x;
	jmp_buf jb;
	volatile size_t i = 0;

	memset(&x, 0, sizeof(x));
	memset(res, 0, offsetof(struct run_result, log));
	res->trace = OPS_TRACE_SEED;
	res->profile = profile;
	x.h = harness_get(profile, opts->mode);
	x.w = x.h->w;
	x.opts = opts;
	x.res = res;
	world_activate(x.w);
	world_reset(x.w);
	if (x.h->mode == HARNESS_HYP)
		restore_core(&x.h->core, &x.h->core_snap);
	world_set_jump(x.w, &jb);
	if (setjmp(jb) == 0) {
		for (i = 0; i < n; i++) {
			if ((opts->op_mask & OPBIT(ops[i].code)) == 0)
				continue;
			x.op_index = (uint32_t)i;
			host_exec_op(&x, &ops[i]);
			res->ops++;
		}
		if (opts->oracles && x.h->mode == HARNESS_HYP)
			oracle_isolation(x.w);
	}
	world_set_jump(x.w, NULL);
	res->touched_pages = world_touched_pages(x.w);
	finish(&x);
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
