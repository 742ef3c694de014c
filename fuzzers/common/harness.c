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
#include "boot.h"
#include "profiles.h"
#include "world.h"
#include "worlddesc.h"

#define CACHE_SLOTS	256U	/* booted worlds kept (LRU): a grown corpus holds hundreds */
/* All of them by default: a world holds up to about 8 MiB, so a process
 * needs more than libFuzzer's default RSS limit (2 GiB); the targets'
 * .options give 4 GiB, and a campaign sizes the cache to the machine
 * (SMMUFUZZ_WORLD_CACHE). Half as many thrash on a grown corpus (bench on
 * fuzz_cmdq's: 1,500 exec/s with 128, 30,900 with 256). */
#define CACHE_DEFAULT	CACHE_SLOTS
#define MAX_BASE_PROFILES	8U

static struct harness *cache[CACHE_SLOTS];
static unsigned cache_slots = CACHE_DEFAULT;	/* in use (harness_cache_limit) */
static uint64_t boots, boots_recycled;

/* SMMUFUZZ_STATS: what a fuzzing process spent on worlds, at its exit. */
static void print_boot_counts(void)
{
	fprintf(stderr, "smmufuzz: %llu worlds booted (%llu reusing an evicted one's memory), "
		"%u kept at most\n", (unsigned long long)boots,
		(unsigned long long)boots_recycled, cache_slots);
}

static uint32_t cache_clock;
static struct op op_buf[OPS_MAX_OPS];

/* ---- Boot ------------------------------------------------------------- */

static _Noreturn void harness_fail(const char *what)
{
	fprintf(stderr, "smmufuzz: harness: %s\n", what);
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
	/* An SMMU the hypervisor does not hold is the host's to command. */
	if (pgs_owner(world_pgstate(h->w, world_smmu_base(mc->idx))) != PGS_OWNER_HYP)
		return;
	oracle_hw_command(h->w, mc->idx, cmd);
	if (FIELD_GET(CMD0_OP, cmd[0]) == CMDQ_OP_CFGI_STE)
		oracle_ste(h->w, mc->idx, (uint32_t)FIELD_GET(CMD0_SID, cmd[0]));
}

/* The Linux driver resets every SMMU, as the host kernel would at boot. */
static void run_prelude(struct harness *h)
{
	static const struct harness_opts opts = { .op_mask = OPMASK_ALL,
						   .oracles = true };
	static struct run_result res;
	struct exec x;

	memset(&x, 0, sizeof(x));
	x.h = h;
	x.w = h->w;
	x.opts = &opts;
	x.res = &res;
	host_attach(&x);
	h->running = &x;
	hostops_prelude_linux(&x.ho, world_smmu_count(h->w));
	h->running = NULL;
	memcpy(h->hs_snap, x.ho.hs, sizeof(h->hs_snap));
	memcpy(h->st_snap, x.st, sizeof(h->st_snap));
}

/* Every write the SMMU makes is judged as it lands. */
static void on_hw_write(void *ctx, uint64_t pa, size_t len, unsigned why)
{
	struct model_ctx *mc = ctx;
	struct harness *h = mc->h;
	struct exec *x = h->running;

	/* An SMMU the hypervisor does not hold writes where the host says. */
	if (x == NULL || !x->opts->oracles || h->mode != HARNESS_HYP ||
	    pgs_owner(world_pgstate(h->w, world_smmu_base(mc->idx))) != PGS_OWNER_HYP)
		return;
	oracle_hw_write(h->w, mc->idx, pa, len, why);
}

static void install_observers(struct harness *h)
{
	struct hwm_observer obs = { 0 };
	unsigned i;

	world_set_publish_hook(h->w, oracle_s2_publish);
	obs.cmd = on_hw_command;
	obs.dma_write = on_hw_write;
	for (i = 0; i < WORLD_MAX_SMMU; i++) {
		h->mctx[i].h = h;
		h->mctx[i].idx = i;
		obs.ctx = &h->mctx[i];
		world_set_observer(h->w, i, &obs);
	}
}

/*
 * Boot the core on the world @d describes, run the prelude, snapshot. A
 * world the hypervisor refuses, or one whose boot stops on a finding, is
 * kept as such: every input in it gets that verdict.
 */
static struct harness *harness_boot(const struct world_desc *d, uint64_t key,
				    enum harness_mode mode,
				    enum harness_prelude prelude,
				    struct world *reuse)
{
	struct world_config cfg;
	struct harness *h = calloc(1, sizeof(*h));
	volatile bool booted = false;
	jmp_buf jb;

	if (h == NULL)
		harness_fail("out of memory");
	h->key = key;
	h->desc = *d;
	h->profile = d->profile;
	h->mode = mode;
	h->prelude = prelude;
	h->pristine = d->boots_itself && mode == HARNESS_HYP;
	wd_world_config(&h->desc, &cfg);
	/* Room for every SMMU a reconfigured pristine world may have. An
	 * evicted world's memory is reused when there is one. */
	boots++;
	if (reuse != NULL && world_recycle(reuse, &cfg)) {
		boots_recycled++;
		h->w = reuse;
	} else {
		world_free(reuse);
		h->w = world_new(&cfg);
	}
	if (h->w == NULL)
		harness_fail("cannot build the world");
	world_activate(h->w);
	/* The oracles' state of this world starts afresh (an earlier world
	 * may have lived at the same address). */
	oracle_world_init(h->w, 0);
	install_observers(h);
	world_set_jump(h->w, &jb);
	if (setjmp(jb) == 0) {
		if (mode == HARNESS_HYP && !h->pristine) {
			if (boot_default(&h->core, h->w, h->boot_site,
					 sizeof(h->boot_site)) != SMMU_OK) {
				/* Init failed and undid itself: the SMMUs are the
				 * host's again, and must be clean. */
				struct boot_left left[WORLD_MAX_SMMU];

				h->boot_refused = true;
				boot_left_firmware(h->w, left);
				boot_audit_released(h->w, &h->core, left);
			} else {
				smmu_stage2_words(&h->core, &h->s2_dw2, &h->s2_dw3);
				/* The snapshot of ownership, checked page by page once. */
				oracle_world_init(h->w, h->s2_dw3 & STE3_S2TTB_MASK);
				oracle_idmap_full(h->w);
				booted = true;
			}
		}
		if (prelude == PRELUDE_LINUX && !h->pristine &&
		    (booted || mode == HARNESS_REFERENCE))
			run_prelude(h);
	} else {
		h->boot_stop = world_outcome(h->w)->stop;
		snprintf(h->boot_site, sizeof(h->boot_site), "%s",
			 world_outcome(h->w)->stop_site);
	}
	world_set_jump(h->w, NULL);
	h->running = NULL;
	h->core_snap = h->core;
	world_snapshot(h->w);
	world_outcome_reset(h->w);
	return h;
}

static uint64_t harness_key(const struct world_desc *d, enum harness_mode mode,
			    enum harness_prelude prelude)
{
	uint64_t k;

	static uint64_t base_hash[MAX_BASE_PROFILES];
	static bool base_known[MAX_BASE_PROFILES];

	if (d->boots_itself && mode == HARNESS_HYP)
		return 0x9000000000000001ULL;	/* the one pristine world */
	k = (uint64_t)d->profile;
	/* HW ops that change nothing (a field set to what the profile has
	 * already) land on the profile's own booted world. */
	if (d->modified && d->profile < MAX_BASE_PROFILES) {
		if (!base_known[d->profile]) {
			struct world_desc base;

			if (wd_build(d->profile, NULL, 0, 0, &base))
				base_hash[d->profile] = wd_hash(&base);
			base_known[d->profile] = true;
		}
		uint64_t h = wd_hash(d);

		if (h != base_hash[d->profile])
			k = h | (1ULL << 63);
	} else if (d->modified) {
		k = wd_hash(d) | (1ULL << 63);
	}
	return (k << 2) ^ ((uint64_t)mode << 1) ^ (uint64_t)prelude;
}

static struct harness *harness_get(const struct world_desc *d,
				   enum harness_mode mode,
				   enum harness_prelude prelude)
{
	uint64_t key = harness_key(d, mode, prelude);
	struct world *reuse = NULL;
	unsigned i, victim = 0;
	static bool sized;

	/* A campaign sizes the cache to the machine (SMMUFUZZ_WORLD_CACHE):
	 * every engine process keeps its own worlds resident. */
	if (!sized) {
		const char *e = getenv("SMMUFUZZ_WORLD_CACHE");
		unsigned long n = e != NULL ? strtoul(e, NULL, 10) : 0;

		sized = true;
		if (n != 0)
			cache_slots = n > CACHE_SLOTS ? CACHE_SLOTS : (unsigned)n;
		if (getenv("SMMUFUZZ_STATS") != NULL)
			atexit(print_boot_counts);
	}

	for (i = 0; i < CACHE_SLOTS; i++) {
		if (cache[i] != NULL && cache[i]->key == key) {
			cache[i]->last_used = ++cache_clock;
			return cache[i];
		}
	}
	for (i = 0; i < cache_slots; i++) {
		if (cache[i] == NULL) {
			victim = i;
			break;
		}
		if (cache[i]->last_used < cache[victim]->last_used)
			victim = i;
	}
	if (cache[victim] != NULL) {
		reuse = cache[victim]->w;
		oracle_world_forget(reuse);
		free(cache[victim]);
	}
	cache[victim] = harness_boot(d, key, mode, prelude, reuse);
	cache[victim]->last_used = ++cache_clock;
	return cache[victim];
}

void harness_cache_limit(unsigned n)
{
	harness_shutdown();
	cache_slots = n == 0 ? CACHE_DEFAULT : n > CACHE_SLOTS ? CACHE_SLOTS : n;
}

void harness_boot_counts(uint64_t *booted, uint64_t *recycled)
{
	*booted = boots;
	*recycled = boots_recycled;
}

void harness_shutdown(void)
{
	size_t i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		if (cache[i] != NULL) {
			oracle_world_forget(cache[i]->w);
			world_free(cache[i]->w);
			free(cache[i]);
			cache[i] = NULL;
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

/* HW and FDT ops shape the world before anything runs; they are not steps. */
static bool world_op(const struct op *op)
{
	return op->code == OP_HW || op->code == OP_FDT;
}

/*
 * The differential check: a Linux-like input must look the same to the
 * host on the bare hardware model as through the emulation (in the same
 * world). Returns the finding's signature, or NULL.
 */
/* The smallest SIDSIZE of the world's SMMUs. */
static unsigned min_sid_bits(const struct world_desc *d)
{
	unsigned k, bits = 32;

	for (k = 0; k < d->smmu_count; k++)
		if (FIELD_GET(IDR1_SIDSIZE, d->hw[k].idr[1]) < bits)
			bits = (unsigned)FIELD_GET(IDR1_SIDSIZE, d->hw[k].idr[1]);
	return bits;
}

static const char *differential(unsigned profile, const struct op *ops,
				size_t n, const struct harness_opts *opts,
				const struct world_desc *x_desc,
				struct run_result *hyp, char *sig, size_t cap)
{
	static struct op linux_ops[OPS_MAX_OPS], steps[OPS_MAX_OPS];
	static struct run_result ref;
	struct harness_opts ref_opts = *opts;
	size_t i, m = 0, k = 0;
	uint32_t j;

	for (i = 0; i < n; i++) {
		if (world_op(&ops[i]))
			linux_ops[m++] = ops[i];
		else if (executed(opts, &ops[i]))
			linux_ops[m++] = steps[k++] = ops[i];
	}
	if (!host_linux_like(steps, k, min_sid_bits(x_desc)))
		return NULL;
	/* What firmware left in the SMMU the hypervisor cleans up at take-over
	 * (stale errors acknowledged, IRQs off) and the bare SMMU does not:
	 * the two are comparable only from a power-on state. */
	for (j = 0; j < x_desc->smmu_count; j++) {
		static const struct hwm_boot_state clean;

		if (memcmp(&x_desc->hw[j].boot, &clean, sizeof(clean)) != 0)
			return NULL;
	}
	ref_opts.mode = HARNESS_REFERENCE;
	ref_opts.differential = false;
	ref_opts.abort_on_finding = false;
	ref_opts.quiet = true;
	harness_run_ops(profile, linux_ops, m, &ref_opts, &ref);
	hyp->compared = true;
	for (j = 0; j < hyp->diff_count || j < ref.diff_count; j++) {
		uint64_t a = j < hyp->diff_count ? hyp->diff[j] : ~0ULL;
		uint64_t b = j < ref.diff_count ? ref.diff[j] : ~0ULL;
		int reg;

		if (a == b)
			continue;
		reg = ops_reg_by_offset((uint32_t)((a != ~0ULL ? a : b) >> 32));
		snprintf(sig, cap, "differential:%s", reg >= 0 ? ops_reg(reg)->name : "count");
		return sig;
	}
	return NULL;
}

/* The end-of-input audit: what the hardware holds must be safe. */
static void audit(struct exec *x)
{
	struct harness *h = x->h;

	if (!x->opts->oracles || h->mode != HARNESS_HYP)
		return;
	if (h->core.phase < SMMU_PHASE_READY) {
		boot_audit_released(x->w, &h->core, x->left);
		return;
	}
	oracle_isolation(x->w);
	oracle_stream_tables(x->w);
	if (h->pristine)
		oracle_idmap_full(x->w);
	else
		oracle_idmap_changes(x->w);
}

/* One OP_BOOT of an input that boots the core itself. */
static void do_boot_op(struct exec *x, const struct op *op)
{
	struct harness *h = x->h;
	int ret;

	world_step_begin(x->w);
	/* A bypass window the host opened while the SMMU was its own is not
	 * the hypervisor's: count from the take-over on. */
	if (op->a8 % BOOT_STEP_COUNT == BOOT_INIT)
		world_bypass_count_reset(x->w);
	ret = boot_step(&h->core, x->w, op->a8, op->a32);
	/* The boot's console line is what the host sees of it. */
	x->res->trace = ops_trace_mix(x->res->trace, x->ho.op_index,
				      (uint64_t)(int64_t)ret ^ ((uint64_t)strlen(smmu_strerror(ret)) << 32));
	if (x->opts->verbose)
		fprintf(stderr, "        boot: %s\n", smmu_strerror(ret));
	/* Once initialised the stage 2 the STEs must carry is known. */
	if (h->core.phase >= SMMU_PHASE_READY && ret == SMMU_OK &&
	    op->a8 % BOOT_STEP_COUNT == BOOT_INIT) {
		smmu_stage2_words(&h->core, &h->s2_dw2, &h->s2_dw3);
		oracle_world_init(x->w, h->s2_dw3 & STE3_S2TTB_MASK);
		if (x->opts->oracles)
			oracle_idmap_full(x->w);
	}
	/* A failed init or a removal hands the SMMUs back: clean ones; and
	 * the stage 2 the oracles knew is gone with the pool. */
	if (h->core.phase < SMMU_PHASE_READY) {
		oracle_world_init(x->w, 0);
		if (x->opts->oracles)
			boot_audit_released(x->w, &h->core, x->left);
	}
}

/*
 * An input ended on a fatal refusal: the hypervisor stops, but the SMMUs
 * go on with what they hold, which must still be safe. A breach found
 * then is the finding; otherwise the refusal stands.
 */
static void audit_after_fatal(struct exec *x)
{
	struct world_outcome *out = world_outcome(x->w);
	struct world_outcome saved = *out;
	jmp_buf jb;

	out->stop = WORLD_RUNNING;
	world_set_jump(x->w, &jb);
	if (setjmp(jb) == 0) {
		audit(x);
		*out = saved;
	}
	world_set_jump(x->w, NULL);
}

enum verdict harness_run_ops(unsigned profile, const struct op *ops, size_t n,
			     const struct harness_opts *opts,
			     struct run_result *res)
{
	static struct world_desc desc;
	char diff_sig[64];
	const char *diff = NULL;
	struct exec x;
	jmp_buf jb;
	volatile size_t i = 0;

	memset(&x, 0, sizeof(x));
	memset(res, 0, offsetof(struct run_result, log));
	res->diff_count = 0;
	res->dma_count = 0;
	res->trace = OPS_TRACE_SEED;
	res->profile = profile;
	if (!wd_build(profile, ops, n, opts->op_mask, &desc) &&
	    !wd_build(0, ops, n, opts->op_mask, &desc))
		harness_fail("no world profile 0");
	x.h = harness_get(&desc, opts->mode, opts->prelude);
	x.w = x.h->w;
	x.opts = opts;
	x.res = res;
	host_attach(&x);
	memcpy(x.ho.hs, x.h->hs_snap, sizeof(x.h->hs_snap));
	memcpy(x.st, x.h->st_snap, sizeof(x.st));
	for (i = 0; i < WORLD_MAX_SMMU; i++)
		x.cmdq_origin[i] = x.ho.hs[i].cmdq_prod;
	world_activate(x.w);
	world_reset(x.w);
	if (x.h->pristine) {
		struct world_config cfg;

		wd_world_config(&desc, &cfg);
		world_reconfigure(x.w, &cfg);
		oracle_world_init(x.w, 0);
		memset(&x.h->core, 0, sizeof(x.h->core));
		world_set_instance_lock(x.w, NULL);
	} else if (x.h->mode == HARNESS_HYP) {
		restore_core(&x.h->core, &x.h->core_snap);
	}
	boot_left_firmware(x.w, x.left);
	if (x.h->boot_stop != WORLD_RUNNING || x.h->boot_refused) {
		/* The world as booted decides: nothing of the input runs. */
		struct world_outcome *out = world_outcome(x.w);

		out->stop = x.h->boot_stop;
		if (x.h->boot_refused && out->rejects++ == 0)
			snprintf(out->first_reject, sizeof(out->first_reject), "%s",
				 x.h->boot_site);
		snprintf(out->stop_site, sizeof(out->stop_site), "%s", x.h->boot_site);
		finish(&x, NULL);
		return res->verdict;
	}
	x.h->running = &x;
	world_set_jump(x.w, &jb);
	if (setjmp(jb) == 0) {
		if (x.h->mode == HARNESS_HYP && opts->oracles)
			oracle_input_begin(x.w);
		for (i = 0; i < n; i++) {
			if (world_op(&ops[i]))
				continue;
			if (ops[i].code == OP_BOOT) {
				if (x.h->pristine) {
					x.ho.op_index = (uint32_t)i;
					do_boot_op(&x, &ops[i]);
					res->ops++;
				}
				continue;
			}
			if (!executed(opts, &ops[i]))
				continue;
			x.ho.op_index = (uint32_t)i;
			host_exec_op(&x, &ops[i]);
			res->ops++;
		}
		audit(&x);
	} else if (world_outcome(x.w)->stop == WORLD_STOP_REJECT) {
		audit_after_fatal(&x);
	}
	world_set_jump(x.w, NULL);
	x.h->running = NULL;
	res->touched_pages = world_touched_pages(x.w);
	if (opts->differential && x.h->mode == HARNESS_HYP && !x.h->pristine &&
	    world_outcome(x.w)->stop == WORLD_RUNNING) {
		diff = differential(profile, ops, n, opts, &desc, res, diff_sig,
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
