// SPDX-License-Identifier: MIT
/*
 * fuzz: a campaign (campaign.h lists the parts). Every target under
 * libFuzzer, AFL++ or both, all of them sharing the cores for the whole
 * campaign, with a live status; crash files are replayed and named as they
 * come; the campaign directory keeps everything and --resume goes on from
 * it. Stopping (Ctrl-C, SIGTERM) stops the engines cleanly and writes the
 * summary; SIGKILL takes every engine process down with the campaign
 * (campaign_proc.c) and loses nothing already written.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign.h"
#include "report.h"

#define DEFAULT_TIME_S		120.0
#define DEFAULT_TIMEOUT_S	10U	/* per input, as libFuzzer's -timeout */
#define LOOP_SLEEP_US		200000
#define LF_POLL_S		1.0
#define AFL_POLL_S		2.0
#define DRAIN_S			120.0	/* replays still queued at the end */
#define DRAIN_INTERRUPTED_S	20.0
#define MINIMIZE_MIN_S		60.0	/* minimising at the end: a quarter */
#define MINIMIZE_MAX_S		600.0	/* of the session, within these */
#define MUTATOR_SO		"libsmmufuzz_afl_mutator.so"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SELF_SANITIZED true
#endif
#endif
#ifndef SELF_SANITIZED
#define SELF_SANITIZED false
#endif

static volatile int stop_requests;

static void on_stop(int sig)
{
	(void)sig;
	stop_requests++;
}

int campaign_stop_requests(void)
{
	return stop_requests;
}

struct fuzz_args {
	const char *out, *resume, *lf_bin, *afl_bin, *cmplog_bin, *replay;
	const char *names[CAMPAIGN_MAX_TARGETS];
	unsigned nnames;
	unsigned engines;		/* 0: not given */
	unsigned jobs;			/* 0: not given */
	double time_s;			/* < 0: not given */
	const char *mutator;		/* on, only, off; NULL: not given */
	const char *sync_dir, *role, *machine;	/* many machines (AFL++) */
};

static bool executable(const char *path)
{
	return access(path, X_OK) == 0;
}

static const char *fuzz_target(const char *name)
{
	unsigned i;

	for (i = 0; harness_target_name(i) != NULL; i++)
		if (strcmp(harness_target_name(i), name) == 0 &&
		    strncmp(name, "fuzz_", 5) == 0)
			return harness_target_name(i);
	return NULL;
}

static void add_name(struct fuzz_args *a, const char *name)
{
	const char *t = fuzz_target(name);
	unsigned i;

	if (t == NULL)
		die("fuzz: unknown target '%s' (fuzz_mmio, fuzz_cmdq, fuzz_ste, fuzz_owner, "
		    "fuzz_all, fuzz_boot)", name);
	for (i = 0; i < a->nnames; i++)
		if (a->names[i] == t)
			return;
	if (a->nnames == CAMPAIGN_MAX_TARGETS)
		die("fuzz: too many targets");
	a->names[a->nnames++] = t;
}

static void parse_args(int argc, char **argv, struct fuzz_args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->time_s = -1;
	for (i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (o[0] != '-') {
			add_name(a, o);
			continue;
		}
		if (strcmp(o, "--engine") != 0 && strcmp(o, "--jobs") != 0 &&
		    strcmp(o, "--time") != 0 && strcmp(o, "--out") != 0 &&
		    strcmp(o, "--resume") != 0 && strcmp(o, "--bin") != 0 &&
		    strcmp(o, "--afl-bin") != 0 && strcmp(o, "--cmplog-bin") != 0 &&
		    strcmp(o, "--mutator") != 0 && strcmp(o, "--replay") != 0 &&
		    strcmp(o, "--targets") != 0 && strcmp(o, "--sync-dir") != 0 &&
		    strcmp(o, "--role") != 0 && strcmp(o, "--machine") != 0)
			die("fuzz: unknown option '%s' (see smmufuzz --help)", o);
		if (v == NULL)
			die("fuzz: %s needs a value (see smmufuzz --help)", o);
		i++;
		if (strcmp(o, "--engine") == 0) {
			if (!engine_parse(v, &a->engines))
				die("fuzz: --engine '%s': libfuzzer, afl or both", v);
		} else if (strcmp(o, "--jobs") == 0) {
			a->jobs = (unsigned)parse_count("--jobs", v);
			if (a->jobs == 0 || a->jobs > CAMPAIGN_MAX_WORKERS)
				die("fuzz: --jobs must be between 1 and %d", CAMPAIGN_MAX_WORKERS);
		} else if (strcmp(o, "--time") == 0) {
			if (!parse_duration(v, &a->time_s))
				die("fuzz: --time '%s': a duration such as 600, 600s, 10m, 1h", v);
		} else if (strcmp(o, "--out") == 0) {
			a->out = v;
		} else if (strcmp(o, "--resume") == 0) {
			a->resume = v;
		} else if (strcmp(o, "--bin") == 0) {
			a->lf_bin = v;
		} else if (strcmp(o, "--afl-bin") == 0) {
			a->afl_bin = v;
		} else if (strcmp(o, "--cmplog-bin") == 0) {
			a->cmplog_bin = v;
		} else if (strcmp(o, "--mutator") == 0) {
			if (strcmp(v, "on") != 0 && strcmp(v, "only") != 0 && strcmp(v, "off") != 0)
				die("fuzz: --mutator '%s': on, only or off", v);
			a->mutator = v;
		} else if (strcmp(o, "--sync-dir") == 0) {
			a->sync_dir = v;
		} else if (strcmp(o, "--role") == 0) {
			if (strcmp(v, "main") != 0 && strcmp(v, "secondary") != 0)
				die("fuzz: --role '%s': main or secondary", v);
			a->role = v;
		} else if (strcmp(o, "--machine") == 0) {
			size_t k;

			for (k = 0; v[k]; k++)
				if (!isalnum((unsigned char)v[k]) && v[k] != '-' && v[k] != '_')
					die("fuzz: --machine '%s': letters, digits, - and _ only", v);
			if (k == 0 || k > 40)
				die("fuzz: --machine '%s': 1 to 40 characters", v);
			a->machine = v;
		} else if (strcmp(o, "--replay") == 0) {
			a->replay = v;
		} else if (strcmp(o, "--targets") == 0) {
			char copy[512], *tok, *save = NULL;

			snprintf(copy, sizeof(copy), "%s", v);
			for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
				add_name(a, tok);
		} else {
			die("fuzz: unknown option '%s' (see smmufuzz --help)", o);
		}
	}
	if ((a->role != NULL || a->machine != NULL) && a->sync_dir == NULL)
		die("fuzz: --role and --machine go with --sync-dir DIR (docs/user-guide.md)");
	if (a->out != NULL && a->resume != NULL)
		die("fuzz: --out and --resume exclude each other (--resume DIR goes on in DIR)");
}

/* <this build>/../<preset>/<rest>: the sibling builds of the same tree. */
static void sibling(char *buf, const char *preset, const char *rest)
{
	char p[CAMPAIGN_PATH + 128];

	snprintf(p, sizeof(p), "%s/../%s/%s", build_dir(), preset, rest);
	if (realpath(p, buf) == NULL)
		snprintf(buf, CAMPAIGN_PATH, "%s", p);
}

/* An absolute path (engines run in their own working directories). */
static void absolute(char *buf, const char *path)
{
	if (realpath(path, buf) == NULL)
		snprintf(buf, CAMPAIGN_PATH, "%s", path);
}

static void locate_tools(struct campaign *c, const struct fuzz_args *a)
{
	char p[CAMPAIGN_PATH];
	ssize_t n;

	if (a->lf_bin)
		absolute(c->lf_bin, a->lf_bin);
	else
		absolute(c->lf_bin, strcat(strcpy(p, build_dir()), "/fuzzers"));
	if (a->afl_bin)
		absolute(c->afl_bin, a->afl_bin);
	else
		sibling(c->afl_bin, "afl", "fuzzers");
	if (a->cmplog_bin && strcmp(a->cmplog_bin, "none") == 0)
		c->cmplog_bin[0] = 0;
	else if (a->cmplog_bin)
		absolute(c->cmplog_bin, a->cmplog_bin);
	else
		sibling(c->cmplog_bin, "afl-cmplog", "fuzzers");
	if (access(c->cmplog_bin, X_OK) != 0)
		c->cmplog_bin[0] = 0;
	snprintf(c->seeds, sizeof(c->seeds), "%s/corpus/seeds", build_dir());
	snprintf(c->mutator, sizeof(c->mutator), "%s/%s", c->afl_bin, MUTATOR_SO);
	if (access(c->mutator, R_OK) != 0)
		c->mutator[0] = 0;
	c->mutator_mode = a->mutator ? a->mutator : "on";

	/* Crash files are replayed under sanitizers when such a build is
	 * there; this very binary otherwise. */
	if (a->replay) {
		absolute(c->replay_cli, a->replay);
		if (!executable(c->replay_cli))
			die("fuzz: --replay %s is not an executable", a->replay);
		c->replay_sanitized = strstr(a->replay, "asan") != NULL;
		return;
	}
	sibling(p, "host-fuzz-asan", "tools/smmufuzz");
	if (!SELF_SANITIZED && executable(p)) {
		snprintf(c->replay_cli, sizeof(c->replay_cli), "%s", p);
		c->replay_sanitized = true;
		return;
	}
	sibling(p, "host-asan", "tools/smmufuzz");
	if (!SELF_SANITIZED && executable(p)) {
		snprintf(c->replay_cli, sizeof(c->replay_cli), "%s", p);
		c->replay_sanitized = true;
		return;
	}
	n = readlink("/proc/self/exe", c->replay_cli, sizeof(c->replay_cli) - 1);
	if (n <= 0)
		die("fuzz: cannot find this executable: %s", strerror(errno));
	c->replay_cli[n] = 0;
	c->replay_sanitized = SELF_SANITIZED;
}

static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char dir[CAMPAIGN_PATH], full[CAMPAIGN_PATH + 64];

	while (path != NULL && *path) {
		size_t len = strcspn(path, ":");

		snprintf(dir, sizeof(dir), "%.*s", (int)len, path);
		snprintf(full, sizeof(full), "%s/%s", dir[0] ? dir : ".", prog);
		if (executable(full))
			return true;
		path += len + (path[len] == ':');
	}
	return false;
}

static bool built(const char *dir, const char *target)
{
	char p[CAMPAIGN_PATH + 64];

	snprintf(p, sizeof(p), "%s/%s", dir, target);
	return executable(p);
}

/* Engines: as asked, or both when AFL++ is there, else libFuzzer. */
static void choose_engines(struct campaign *c, const struct fuzz_args *a)
{
	unsigned i;

	if (a->engines != 0)
		c->engines = a->engines;
	if (c->engines == 0) {
		c->engines = ENGINE_BIT(ENGINE_LIBFUZZER);
		if (on_path("afl-fuzz") && built(c->afl_bin, "fuzz_mmio"))
			c->engines |= ENGINE_BIT(ENGINE_AFL);
		else
			printf("smmufuzz: AFL++ targets not built (cmake --preset afl && "
			       "cmake --build --preset afl): libFuzzer only\n");
	}
	if ((c->engines & ENGINE_BIT(ENGINE_AFL)) && !on_path("afl-fuzz"))
		die("fuzz: afl-fuzz is not installed (sh scripts/setup.sh)");
	/* Targets: as asked, or as the campaign had, or every one built. */
	if (a->nnames > 0) {
		c->nt = a->nnames;
		memcpy(c->targets, a->names, sizeof(a->names[0]) * a->nnames);
	}
	if (c->nt == 0)
		for (i = 0; harness_target_name(i) != NULL && c->nt < CAMPAIGN_MAX_TARGETS; i++)
			if (fuzz_target(harness_target_name(i)) &&
			    built(c->lf_bin, harness_target_name(i)))
				c->targets[c->nt++] = harness_target_name(i);
	if (c->nt == 0)
		die("fuzz: no fuzz targets built in %s (build the host-fuzz preset)", c->lf_bin);
	for (i = 0; i < c->nt; i++) {
		if ((c->engines & ENGINE_BIT(ENGINE_LIBFUZZER)) && !built(c->lf_bin, c->targets[i]))
			die("fuzz: %s is not built in %s (build the host-fuzz preset)",
			    c->targets[i], c->lf_bin);
		if ((c->engines & ENGINE_BIT(ENGINE_AFL)) && !built(c->afl_bin, c->targets[i]))
			die("fuzz: %s is not built in %s (cmake --preset afl && cmake --build "
			    "--preset afl)", c->targets[i], c->afl_bin);
	}
}

/*
 * Many machines (AFL++, docs/user-guide.md "Many machines"): every campaign
 * points its afl-fuzz instances at <DIR>/<target>/, one machine's as the
 * main (-M main), the others' as secondaries named <machine>-s<N>; afl-fuzz
 * itself exchanges the queues. <DIR>/.main names the main machine: a second
 * one is refused. A resumed campaign keeps what campaign.conf says.
 */
static void setup_sync(struct campaign *c, const struct fuzz_args *a)
{
	char p[CAMPAIGN_PATH], who[64] = "";
	FILE *f;

	if (a->sync_dir != NULL) {
		char dir[CAMPAIGN_PATH];

		mkdirs(a->sync_dir);
		absolute(dir, a->sync_dir);
		if (c->sync_dir[0] != 0 && strcmp(c->sync_dir, dir) != 0)
			die("fuzz: --sync-dir: campaign %s syncs through %s", c->dir, c->sync_dir);
		snprintf(c->sync_dir, sizeof(c->sync_dir), "%s", dir);
		if (a->role != NULL)
			c->secondary = strcmp(a->role, "secondary") == 0;
		if (a->machine != NULL)
			snprintf(c->machine, sizeof(c->machine), "%s", a->machine);
	}
	if (c->sync_dir[0] == 0)
		return;
	if (!(c->engines & ENGINE_BIT(ENGINE_AFL)))
		die("fuzz: --sync-dir is for AFL++ (--engine afl or both)");
	if (c->machine[0] == 0) {
		char host[64] = "host";
		size_t k;

		gethostname(host, sizeof(host) - 1);
		for (k = 0; host[k] && k < 40; k++)
			c->machine[k] = isalnum((unsigned char)host[k]) || host[k] == '-' ? host[k] : '_';
		c->machine[k] = 0;
	}
	snprintf(p, sizeof(p), "%s/.main", c->sync_dir);
	f = fopen(p, "r");
	if (f != NULL) {
		if (fgets(who, sizeof(who), f) == NULL)
			who[0] = 0;
		who[strcspn(who, "\n")] = 0;
		fclose(f);
	}
	if (c->secondary)
		return;
	if (who[0] != 0 && strcmp(who, c->machine) != 0)
		die("fuzz: %s already has a main machine, '%s' (--role secondary here, or "
		    "--machine %s on that machine)", c->sync_dir, who, who);
	if (who[0] == 0) {
		f = fopen(p, "w");
		if (f == NULL || fprintf(f, "%s\n", c->machine) < 0 || fclose(f) != 0)
			die("fuzz: cannot write %s", p);
	}
}

static const struct unit_stats *saved_stats(const struct campaign *c, const char *t,
					    enum engine e)
{
	unsigned i;

	for (i = 0; i < c->nsaved; i++)
		if (strcmp(c->saved[i].target, t) == 0 && c->saved[i].engine == e)
			return &c->saved[i].st;
	return NULL;
}

/* Units (target x engine) and their workers: the cores split evenly, at
 * least one worker each (more workers than cores share them in slices). */
static void make_workers(struct campaign *c)
{
	unsigned t, e, i, per, extra, nengines = 0;

	for (e = 0; e < ENGINE_COUNT; e++)
		nengines += (c->engines & ENGINE_BIT(e)) != 0;
	per = c->jobs / (c->nt * nengines);
	extra = per > 0 ? c->jobs % (c->nt * nengines) : 0;
	if (per == 0)
		per = 1;
	for (t = 0; t < c->nt; t++) {
		for (e = 0; e < ENGINE_COUNT; e++) {
			struct unit *u = &c->units[c->nunits];
			const struct unit_stats *st;
			unsigned n = per + (extra > 0);

			if (!(c->engines & ENGINE_BIT(e)))
				continue;
			if (extra > 0)
				extra--;
			memset(u, 0, sizeof(*u));
			u->target = t;
			u->engine = (enum engine)e;
			u->base.stability = -1;
			st = saved_stats(c, c->targets[t], u->engine);
			if (st != NULL)
				u->base = *st;
			snprintf(u->bin, sizeof(u->bin), "%s/%s",
				 e == ENGINE_AFL ? c->afl_bin : c->lf_bin, c->targets[t]);
			if (e == ENGINE_AFL && c->cmplog_bin[0] && built(c->cmplog_bin, c->targets[t]))
				snprintf(u->cmplog, sizeof(u->cmplog), "%s/%s", c->cmplog_bin,
					 c->targets[t]);
			u->first_worker = c->nworkers;
			for (i = 0; i < n; i++) {
				struct worker *w = &c->workers[c->nworkers];
				char p[CAMPAIGN_PATH];

				if (c->nworkers == CAMPAIGN_MAX_WORKERS)
					die("fuzz: too many workers");
				memset(w, 0, sizeof(*w));
				w->unit = c->nunits;
				w->index = i;
				w->stability = -1;
				cpath(c, w->dir, "work/%s-%s%u", c->targets[t],
				      engine_name(u->engine), i);
				cpath(c, w->log, "logs/%s-%s%u.log", c->targets[t],
				      engine_name(u->engine), i);
				mkdirs(w->dir);
				w->counter = counter_map(cpath(c, p, "work/%s-%s%u/execs",
							       c->targets[t],
							       engine_name(u->engine), i));
				c->nworkers++;
			}
			u->nworkers = n;
			c->nunits++;
		}
		{
			char p[CAMPAIGN_PATH];

			mkdirs(cpath(c, p, "corpus/%s", c->targets[t]));
			mkdirs(cpath(c, p, "crashes/%s", c->targets[t]));
		}
	}
}

/* What a killed session left behind in the engines' directories. */
static void collect_leftovers(struct campaign *c)
{
	unsigned i;

	for (i = 0; i < c->nworkers; i++) {
		if (c->units[c->workers[i].unit].engine == ENGINE_AFL)
			afl_poll(c, &c->workers[i], true);
		else
			lf_collect(c, &c->workers[i]);
	}
}

static void set_time(struct campaign *c, const struct fuzz_args *a)
{
	if (a->time_s >= 0) {
		c->session_s = a->time_s;
		c->budget_s = c->elapsed_before + a->time_s;
	} else if (a->resume != NULL) {
		c->session_s = c->budget_s - c->elapsed_before;
		if (c->session_s < 1)
			die("fuzz: campaign %s is complete (%.0f s of %.0f s); give --time to "
			    "run it longer", c->dir, c->elapsed_before, c->budget_s);
	} else {
		c->session_s = c->budget_s = DEFAULT_TIME_S;
	}
	if (a->resume == NULL && c->session_s < 1)
		die("fuzz: --time must be at least 1 s");
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The CPU time of every live worker's process tree. */
static void poll_cpu(struct campaign *c)
{
	static pid_t roots[CAMPAIGN_MAX_WORKERS];
	static double cpu[CAMPAIGN_MAX_WORKERS];
	unsigned i;

	for (i = 0; i < c->nworkers; i++)
		roots[i] = c->workers[i].state == WORKER_RUNNING ||
			   c->workers[i].state == WORKER_PAUSED ? c->workers[i].pid : 0;
	proc_tree_cpu(roots, cpu, c->nworkers);
	for (i = 0; i < c->nworkers; i++)
		if (roots[i] > 0 && cpu[i] > c->workers[i].cpu_live)
			c->workers[i].cpu_live = cpu[i];
}

static void poll_workers(struct campaign *c, double now)
{
	static double last_lf, last_afl;
	bool lf = now - last_lf >= LF_POLL_S, afl = now - last_afl >= AFL_POLL_S;
	unsigned i;

	if (afl)
		poll_cpu(c);

	for (i = 0; i < c->nworkers; i++) {
		struct worker *w = &c->workers[i];

		if (w->state != WORKER_RUNNING && w->state != WORKER_PAUSED)
			continue;
		if (c->units[w->unit].engine == ENGINE_AFL) {
			if (afl)
				afl_poll(c, w, false);
			else
				w->execs = *w->counter;
		} else if (lf) {
			lf_poll(c, w);
		}
	}
	if (lf)
		last_lf = now;
	if (afl)
		last_afl = now;
}

static void print_summary(const struct campaign *c)
{
	char path[CAMPAIGN_PATH];
	unsigned i;

	printf("\n%-12s %-9s %12s %10s %10s %8s %8s %8s\n", "target", "engine",
	       "executions", "exec/s/core", "exec/s/cpu", "coverage", "corpus", "findings");
	for (i = 0; i < c->nunits; i++) {
		const struct unit *u = &c->units[i];

		printf("%-12s %-9s %12llu %10.0f %10.0f %8u %8u %8u\n", c->targets[u->target],
		       engine_name(u->engine), (unsigned long long)u->now.execs,
		       u->now.run_s > 0 ? (double)u->now.execs / u->now.run_s : 0,
		       u->now.cpu_s > 0 ? (double)u->now.execs / u->now.cpu_s : 0,
		       u->now.cov, u->now.corpus,
		       findings_count(c, c->targets[u->target], ENGINE_BIT(u->engine), NULL));
	}
	if (findings_count(c, NULL, ~0U, NULL) == 0)
		printf("findings: none\n");
	for (i = 0; i < c->nfindings; i++)
		if (finding_real(&c->findings[i]))
			printf("finding: %s (%s, %s, %u file(s), e.g. %s)\n",
			       c->findings[i].sig, c->findings[i].first_target,
			       engine_name(c->findings[i].first_engine),
			       c->findings[i].files, c->findings[i].example);
	printf("summary: %s\n", cpath(c, path, "summary.md"));
	printf("report: %s\n", cpath(c, path, "report.html"));
}

int cmd_fuzz(int argc, char **argv)
{
	static struct campaign c;
	struct fuzz_args a;
	char err[512];
	double end, limit;
	int rc;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	parse_args(argc, argv, &a);
	c.lock_fd = -1;
	if (a.resume != NULL) {
		char dir[CAMPAIGN_PATH];

		absolute(dir, a.resume);
		if (!campaign_load(&c, dir, err, sizeof(err)))
			die("fuzz: --resume: %s", err);
	}
	/* Everything checked before a new campaign directory is made. */
	locate_tools(&c, &a);
	choose_engines(&c, &a);
	setup_sync(&c, &a);
	if (a.jobs != 0)
		c.jobs = a.jobs;
	if (c.jobs == 0)
		c.jobs = ncpu > 0 ? (unsigned)ncpu : 1;
	set_time(&c, &a);
	if (a.resume == NULL) {
		char dir[CAMPAIGN_PATH];

		campaign_create(&c, a.out);
		snprintf(dir, sizeof(dir), "%s", c.dir);
		absolute(c.dir, dir);
	}
	campaign_lock(&c);
	c.timeout_s = DEFAULT_TIMEOUT_S;
	c.tty = isatty(STDOUT_FILENO) && getenv("TERM") != NULL &&
		strcmp(getenv("TERM"), "dumb") != 0;
	make_workers(&c);
	{
		/* Every worker's processes stay alive for the whole campaign
		 * (paused between slices); AFL++ runs a CMPLOG twin. */
		unsigned u, procs = 0;

		for (u = 0; u < c.nunits; u++)
			procs += c.units[u].nworkers *
				 (c.units[u].engine == ENGINE_AFL && c.units[u].cmplog[0] ? 2U : 1U);
		c.world_cache = world_cache_for(procs);
	}
	sched_init(&c);
	c.t0 = now_s();
	findings_init(&c);
	collect_leftovers(&c);
	campaign_save(&c);
	install_signals();

	if (c.sync_dir[0] != 0)
		printf("smmufuzz: AFL++ syncs through %s as %s (machine %s)\n", c.sync_dir,
		       c.secondary ? "a secondary" : "the main", c.machine);
	printf("smmufuzz: campaign %s%s: %u target(s) x %s, %.0f s, %u job(s), %u booted "
	       "worlds a process; in %s\n",
	       c.name, c.session > 1 ? " (resumed)" : "", c.nt,
	       c.engines == (ENGINE_BIT(ENGINE_LIBFUZZER) | ENGINE_BIT(ENGINE_AFL))
		       ? "libFuzzer + AFL++"
		       : c.engines == ENGINE_BIT(ENGINE_AFL) ? "AFL++" : "libFuzzer",
	       c.session_s, c.jobs, c.world_cache, c.dir);
	fflush(stdout);

	end = c.t0 + c.session_s;
	while (stop_requests == 0) {
		double now = now_s();

		if (now >= end)
			break;
		sched_reap(&c, now);
		sched_tick(&c, now);
		poll_workers(&c, now);
		findings_tick(&c);
		series_sample(&c, now, false);
		status_update(&c, now, false);
		usleep(LOOP_SLEEP_US);
	}
	c.interrupted = stop_requests > 0;
	poll_cpu(&c);
	sched_stop_all(&c, &stop_requests);
	collect_leftovers(&c);
	status_update(&c, now_s(), true);

	/* Every crash file gets its signature; then, unless stopped, one
	 * minimised repro per signature. A second Ctrl-C skips both. */
	if (stop_requests < 2)
		findings_drain(&c, c.interrupted ? DRAIN_INTERRUPTED_S : DRAIN_S);
	limit = c.session_s / 4;
	limit = limit < MINIMIZE_MIN_S ? MINIMIZE_MIN_S : limit > MINIMIZE_MAX_S ? MINIMIZE_MAX_S : limit;
	if (!c.interrupted && stop_requests == 0)
		findings_minimize(&c, limit);
	findings_kill(&c);

	series_sample(&c, now_s(), true);
	campaign_save(&c);
	{
		/* The report (report.h): coverage of core/src from the corpus and
		 * QEMU verdicts of the findings, unless a second Ctrl-C said hurry. */
		struct report_opts ro = { .coverage = stop_requests < 2,
					  .qemu = stop_requests < 2 };

		if (!report_campaign(c.dir, &ro, err, sizeof(err)))
			complain("fuzz: report: %s", err);
	}
	report_write(&c);
	status_final(&c);
	print_summary(&c);
	rc = findings_count(&c, NULL, ~0U, NULL) ? EXIT_FINDING : 0;
	findings_free(&c);
	return rc;
}
