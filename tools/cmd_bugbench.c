// SPDX-License-Identifier: MIT
/*
 * smmufuzz bugbench: for each catalogued bug, a build of the fuzzers with
 * that bug injected (build/bugbench/<id>/, reused while up to date), then N
 * campaigns from the seeds, each stopped at the first crash whose signature
 * matches the bug's expected one; the time the campaign reports for that
 * crash is the time to exposure. A clean core runs the same campaign as the
 * control and must find nothing.
 *
 * Every trial is one line of results.tsv, appended as it ends (a kill
 * loses at most the trial running); results.md and index.html are written
 * again after each. Findings of another kind go to other.tsv. A rerun into
 * the same directory skips the trials it already holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "campaign.h"
#include "cmd_bugbench.h"

#define KILL_WAIT_S	20.0	/* for a build or campaign to go after SIGTERM */
#define OVERRUN_S	300.0	/* past its budget a campaign is stopped */

static volatile sig_atomic_t stop_requests;

static void on_stop(int sig)
{
	(void)sig;
	stop_requests++;
}

struct bench {
	const char *out;
	double budget_s;
	unsigned trials;
	unsigned engines;		/* ENGINE_BIT()s */
	const char *engine;		/* libfuzzer, afl, both: as given */
	const char *mutator;		/* on, off */
	unsigned jobs;
	bool control;
	char clean_lf[CAMPAIGN_PATH];	/* the clean core's libFuzzer build */
	struct bb_row *done;		/* rows already in results.tsv */
	size_t ndone;
	unsigned exposed, missed, control_findings;
};

/* ---- child processes ---------------------------------------------------- */

/* Wait for @pid; on a stop request or past @deadline (monotonic, 0: none)
 * stop its group. Returns its wait status, or -1 if it had to be stopped. */
static int wait_child(pid_t pid, double deadline)
{
	int status = 0;
	bool stopped = false;
	double term_at = 0;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return stopped ? -1 : status;
		if (r < 0 && errno != EINTR)
			return -1;
		if (!stopped && (stop_requests > 0 || (deadline > 0 && now_s() > deadline))) {
			proc_signal(pid, SIGTERM);
			stopped = true;
			term_at = now_s();
		}
		if (stopped && now_s() - term_at > KILL_WAIT_S)
			proc_signal(pid, SIGKILL);
		usleep(100000);
	}
}

/* Run @argv with output appended to @log; true if it exited 0. */
static bool run(char *const argv[], const char *log)
{
	pid_t pid = proc_spawn(argv, NULL, NULL, log);
	int st = wait_child(pid, 0);

	return st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* ---- builds ------------------------------------------------------------- */

static const char *const lf_targets[] = {
	"smmufuzz", "corpus", "fuzz_all", "fuzz_boot", "fuzz_cmdq", "fuzz_mmio",
	"fuzz_owner", "fuzz_ste",
};

/*
 * build/bugbench/<id>/<kind> (kind: lf, afl), configured once (later
 * builds re-run CMake themselves when a CMakeLists.txt changes) and brought
 * up to date by the build tool. Release + ThinLTO for libFuzzer, as the
 * host-fuzz preset; the afl preset's settings, without CMPLOG, for AFL++.
 */
static bool build(const char *id, const char *kind, char *dir, size_t cap)
{
	char cache[CAMPAIGN_PATH], log[CAMPAIGN_PATH], inject[64];
	bool afl = strcmp(kind, "afl") == 0;
	char *argv[32];
	unsigned n = 0, i;

	snprintf(dir, cap, "%s/build/bugbench/%s/%s", source_dir(), id, kind);
	snprintf(log, sizeof(log), "%s.log", dir);
	snprintf(cache, sizeof(cache), "%s/CMakeCache.txt", dir);
	snprintf(inject, sizeof(inject), "-DSMMUFUZZ_INJECT=%s",
		 strcmp(id, BUGBENCH_CONTROL) == 0 ? "" : id);
	mkdirs(dir);
	if (access(cache, R_OK) != 0) {
		argv[n++] = "cmake";
		argv[n++] = "-S";
		argv[n++] = (char *)source_dir();
		argv[n++] = "-B";
		argv[n++] = dir;
		argv[n++] = "-G";
		argv[n++] = "Ninja";
		argv[n++] = "-DCMAKE_C_COMPILER=clang";
		argv[n++] = "-DCMAKE_BUILD_TYPE=Release";
		if (afl) {
			argv[n++] = "-DCMAKE_C_FLAGS=-g";
			argv[n++] = "-DSMMUFUZZ_ENGINE=afl";
		} else {
			argv[n++] = "-DCMAKE_C_FLAGS=-g -flto=thin";
			argv[n++] = "-DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld -flto=thin";
			argv[n++] = "-DCMAKE_AR=llvm-ar";
			argv[n++] = "-DCMAKE_RANLIB=llvm-ranlib";
		}
		argv[n++] = inject;
		argv[n] = NULL;
		if (!run(argv, log))
			return false;
		n = 0;
	}
	argv[n++] = "cmake";
	argv[n++] = "--build";
	argv[n++] = dir;
	argv[n++] = "--target";
	if (afl) {
		argv[n++] = "afl_targets";
	} else {
		for (i = 0; i < sizeof(lf_targets) / sizeof(lf_targets[0]); i++)
			argv[n++] = (char *)lf_targets[i];
	}
	argv[n] = NULL;
	return run(argv, log);
}

/* ---- results ------------------------------------------------------------ */

static bool have_row(const struct bench *b, const char *bug, unsigned trial)
{
	size_t i;

	for (i = 0; i < b->ndone; i++) {
		const struct bb_row *r = &b->done[i];

		if (strcmp(r->bug, bug) == 0 && r->trial == trial &&
		    strcmp(r->engine, b->engine) == 0 &&
		    strcmp(r->mutator, b->mutator) == 0 && r->budget_s == b->budget_s)
			return true;
	}
	return false;
}

/* Append one line with a single write: a kill leaves whole lines. */
static void append_line(const char *path, const char *header, const char *line)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	size_t len = strlen(line);

	if (fd < 0)
		die("bugbench: cannot write %s: %s", path, strerror(errno));
	if (lseek(fd, 0, SEEK_END) == 0 &&
	    write(fd, header, strlen(header)) != (ssize_t)strlen(header))
		die("bugbench: cannot write %s: %s", path, strerror(errno));
	if (write(fd, line, len) != (ssize_t)len)
		die("bugbench: cannot write %s: %s", path, strerror(errno));
	close(fd);
}

static void record(const struct bench *b, const char *bug, unsigned trial,
		   double tte, const char *sig, const char *clean)
{
	char path[CAMPAIGN_PATH], line[768], t[32];

	if (tte >= 0)
		snprintf(t, sizeof(t), "%.1f", tte);
	else
		snprintf(t, sizeof(t), "miss");
	snprintf(line, sizeof(line), "%s\t%u\t%s\t%s\t%.0f\t%s\t%s\t%s\n", bug, trial,
		 b->engine, b->mutator, b->budget_s, t, sig[0] ? sig : "-",
		 clean[0] ? clean : "-");
	snprintf(path, sizeof(path), "%s/results.tsv", b->out);
	append_line(path, "# bug\ttrial\tengine\tmutator\tbudget_s\ttte_s\tsignature"
		    "\tclean_core\n", line);
}

static void record_other(const struct bench *b, const char *bug, unsigned trial,
			 double t, const char *target, const char *sig)
{
	char path[CAMPAIGN_PATH], line[512];

	snprintf(line, sizeof(line), "%s\t%u\t%s\t%s\t%.1f\t%s\t%s\n", bug, trial,
		 b->engine, b->mutator, t, target, sig);
	snprintf(path, sizeof(path), "%s/other.tsv", b->out);
	append_line(path, "# bug\ttrial\tengine\tmutator\tt_s\ttarget\tsignature\n", line);
}

/* ---- one trial ---------------------------------------------------------- */

struct watch {
	long off;			/* crashes.tsv read up to here */
	char seen[32][200];		/* other signatures already noted */
	unsigned nseen;
};

/*
 * New complete lines of the campaign's crashes.tsv (t_s, target, engine,
 * signature, file). Returns true at the first signature @re matches (NULL:
 * any real finding), with its time and signature; others go to other.tsv.
 */
static bool scan(const struct bench *b, const char *bug, unsigned trial,
		 const char *tsv, struct watch *wt, const regex_t *re,
		 double *tte, char *sig, size_t cap, char *file, size_t fcap)
{
	FILE *f = fopen(tsv, "r");
	char line[2 * CAMPAIGN_PATH];
	bool hit = false;

	if (f == NULL)
		return false;
	if (fseek(f, wt->off, SEEK_SET) != 0) {
		fclose(f);
		return false;
	}
	while (!hit && fgets(line, sizeof(line), f) != NULL) {
		char *field[5], *save = NULL;
		unsigned k;

		if (strchr(line, '\n') == NULL)
			break;		/* being written: read it next time */
		wt->off = ftell(f);
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = 0;
		for (k = 0; k < 5; k++)
			if ((field[k] = strtok_r(k ? NULL : line, "\t", &save)) == NULL)
				break;
		if (k < 5 || strncmp(field[3], "unreproduced", 12) == 0)
			continue;
		if (re == NULL || regexec(re, field[3], 0, NULL, 0) == 0) {
			*tte = strtod(field[0], NULL);
			snprintf(sig, cap, "%s", field[3]);
			snprintf(file, fcap, "%s", field[4]);
			hit = true;
			if (re != NULL)
				break;
		}
		for (k = 0; k < wt->nseen; k++)
			if (strcmp(wt->seen[k], field[3]) == 0)
				break;
		if (k == wt->nseen) {
			record_other(b, bug, trial, strtod(field[0], NULL), field[1], field[3]);
			if (wt->nseen < 32)
				snprintf(wt->seen[wt->nseen++], sizeof(wt->seen[0]), "%s", field[3]);
		}
	}
	fclose(f);
	return hit;
}

/* A new directory <out>/runs/<bug>/<engine>-<mutator>-<budget>s-t<trial>[-k]
 * (-k when an interrupted trial left one), its parent created. */
static void run_dir(const struct bench *b, const char *bug, unsigned trial,
		    char *dir, size_t cap)
{
	char parent[CAMPAIGN_PATH];
	unsigned k;

	snprintf(parent, sizeof(parent), "%s/runs/%s", b->out, bug);
	mkdirs(parent);
	for (k = 1;; k++) {
		struct stat st;
		char suffix[16] = "";

		if (k > 1)
			snprintf(suffix, sizeof(suffix), "-%u", k);
		snprintf(dir, cap, "%s/%s-%s-%.0fs-t%u%s", parent, b->engine, b->mutator,
			 b->budget_s, trial, suffix);
		if (stat(dir, &st) != 0)
			return;
	}
}

/*
 * The exposing input replayed on the clean core (Magma checks its bugs'
 * triggers the same way): ok or rejected there means the finding is the
 * injected bug's doing; a finding there too would be a false positive of
 * the benchmark (or a bug of the core the control should also show).
 */
static void clean_verdict(const struct bench *b, const char *dir, const char *file,
			  char *out, size_t cap)
{
	char cli[CAMPAIGN_PATH], path[CAMPAIGN_PATH], log[CAMPAIGN_PATH], line[1024];
	char *argv[] = { cli, "replay", "--raw", path, NULL };
	FILE *f;

	snprintf(out, cap, "unknown");
	snprintf(cli, sizeof(cli), "%s/tools/smmufuzz", b->clean_lf);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	snprintf(log, sizeof(log), "%s/clean-replay.txt", dir);
	unlink(log);
	(void)run(argv, log);
	f = fopen(log, "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char *v = strstr(line, ": ");

		if (strncmp(line, path, strlen(path)) != 0 || v == NULL)
			continue;
		v += 2;
		v[strcspn(v, " \n")] = 0;
		snprintf(out, cap, "%s", v);
		break;
	}
	if (f != NULL)
		fclose(f);
}

/*
 * scan() until a matching finding the clean core does not share: one it
 * shares is not the injected bug's doing (an oracle false positive or a
 * bug of the core itself, which the control should show too). It is said
 * loudly, noted in other.tsv, and the trial goes on.
 */
static bool scan_specific(const struct bench *b, const char *bug, unsigned k,
			  const char *dir, const char *tsv, struct watch *wt,
			  const regex_t *re, double *tte, char *sig, char *file, char *clean)
{
	while (scan(b, bug, k, tsv, wt, re, tte, sig, 200, file, CAMPAIGN_PATH)) {
		if (re == NULL)
			return true;	/* the control: any finding */
		clean_verdict(b, dir, file, clean, 200);
		if (strncmp(clean, "finding:", 8) != 0)
			return true;
		fprintf(stderr, "smmufuzz: bugbench: %s trial %u: %s at %.1f s is a finding on the "
			"clean core too: not counted (%s/%s)\n", bug, k, sig, *tte, dir, file);
		record_other(b, bug, k, *tte, "clean-core-too", sig);
		sig[0] = 0;
		clean[0] = 0;
		*tte = -1;
	}
	return false;
}

/*
 * One campaign of the bug's build; stops at the first matching finding.
 * Returns false if the trial was cut short by a stop request (not recorded).
 */
static bool trial(struct bench *b, const char *bug, const regex_t *re, const char *lf,
		  const char *afl, unsigned k)
{
	char dir[CAMPAIGN_PATH], cli[CAMPAIGN_PATH], bin[CAMPAIGN_PATH], aflbin[CAMPAIGN_PATH];
	char tsv[CAMPAIGN_PATH], log[CAMPAIGN_PATH], time_s[32], jobs[16], sig[200] = "";
	char file[CAMPAIGN_PATH] = "", clean[200] = "";
	struct watch wt = { 0 };
	double tte = -1, start;
	bool hit = false, cut = false;
	char *argv[32];
	unsigned n = 0;
	pid_t pid;

	run_dir(b, bug, k, dir, sizeof(dir));
	snprintf(cli, sizeof(cli), "%s/tools/smmufuzz", lf);
	snprintf(bin, sizeof(bin), "%s/fuzzers", lf);
	snprintf(aflbin, sizeof(aflbin), "%s/fuzzers", afl != NULL ? afl : lf);
	snprintf(tsv, sizeof(tsv), "%s/crashes.tsv", dir);
	snprintf(log, sizeof(log), "%s.log", dir);
	snprintf(time_s, sizeof(time_s), "%.0f", b->budget_s);
	snprintf(jobs, sizeof(jobs), "%u", b->jobs);
	argv[n++] = cli;
	argv[n++] = "fuzz";
	argv[n++] = "--engine";
	argv[n++] = (char *)b->engine;
	argv[n++] = "--mutator";
	argv[n++] = (char *)b->mutator;
	argv[n++] = "--time";
	argv[n++] = time_s;
	argv[n++] = "--jobs";
	argv[n++] = jobs;
	argv[n++] = "--bin";
	argv[n++] = bin;
	argv[n++] = "--afl-bin";
	argv[n++] = aflbin;
	argv[n++] = "--cmplog-bin";
	argv[n++] = "none";
	argv[n++] = "--replay";
	argv[n++] = cli;
	argv[n++] = "--out";
	argv[n++] = dir;
	argv[n] = NULL;

	start = now_s();
	pid = proc_spawn(argv, NULL, NULL, log);
	for (;;) {
		int st;
		pid_t r = waitpid(pid, &st, WNOHANG);

		hit = scan_specific(b, bug, k, dir, tsv, &wt, re, &tte, sig, file, clean);
		if (r == pid) {
			/* It ended on its own: its last replays are in. */
			if (!hit)
				hit = scan_specific(b, bug, k, dir, tsv, &wt, re, &tte, sig, file,
						    clean);
			break;
		}
		if (hit || stop_requests > 0 || now_s() - start > b->budget_s + OVERRUN_S) {
			/* Exposed (or stopped): nothing more to learn from it.
			 * The campaign's files are all on disk already, and
			 * its engines die with it (parent-death signal). */
			cut = !hit && stop_requests > 0;
			proc_signal(pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			break;
		}
		usleep(250000);
	}
	if (cut)
		return false;
	if (strcmp(bug, BUGBENCH_CONTROL) == 0) {
		if (hit) {
			b->control_findings++;
			fprintf(stderr, "smmufuzz: bugbench: THE CLEAN CORE HAS A FINDING: %s after "
				"%.1f s (%s)\n", sig, tte, dir);
		}
	} else if (hit) {
		b->exposed++;
	} else {
		b->missed++;
	}
	record(b, bug, k, hit ? tte : -1, sig, clean);
	if (strcmp(bug, BUGBENCH_CONTROL) == 0)
		printf("bugbench: control, trial %u (%s, mutator %s): %s\n", k, b->engine,
		       b->mutator, hit ? sig : "no finding");
	else if (hit)
		printf("bugbench: %s trial %u (%s, mutator %s): exposed after %.1f s: %s\n",
		       bug, k, b->engine, b->mutator, tte, sig);
	else
		printf("bugbench: %s trial %u (%s, mutator %s): not exposed in %.0f s\n",
		       bug, k, b->engine, b->mutator, b->budget_s);
	fflush(stdout);
	return true;
}

/* ---- the command -------------------------------------------------------- */

static void usage_die(const char *msg, const char *arg)
{
	die("bugbench: %s%s%s (usage: smmufuzz bugbench [--time T] [--trials N] "
	    "[--engine libfuzzer|afl|both] [--mutator on|off] [--jobs J] [--out DIR] "
	    "[--no-control] [BUG...|clean])", msg, arg ? " " : "", arg ? arg : "");
}

static void default_out(char *out, size_t cap)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, cap, "%s/reports/bugbench-%04d%02d%02d-%02d%02d%02d", source_dir(),
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Build what one bug needs; false (said why) if a build failed. */
static bool build_bug(const struct bench *b, const char *id, char *lf, char *afl,
		      size_t cap)
{
	printf("bugbench: building %s (build/bugbench/%s/)\n", id, id);
	fflush(stdout);
	if (!build(id, "lf", lf, cap)) {
		if (stop_requests == 0)
			complain("bugbench: the libFuzzer build of %s failed; see %s.log", id, lf);
		return false;
	}
	if ((b->engines & ENGINE_BIT(ENGINE_AFL)) && !build(id, "afl", afl, cap)) {
		if (stop_requests == 0)
			complain("bugbench: the AFL++ build of %s failed; see %s.log", id, afl);
		return false;
	}
	return true;
}

/* All trials of one bug (or of the control: @re NULL). */
static void bench_bug(struct bench *b, const char *id, const regex_t *re, unsigned trials)
{
	char lf[CAMPAIGN_PATH], afl[CAMPAIGN_PATH];
	unsigned k;
	bool built = false;

	for (k = 1; k <= trials && stop_requests == 0; k++) {
		if (have_row(b, id, k))
			continue;
		if (!built) {
			if (!build_bug(b, id, lf, afl, sizeof(lf)))
				return;
			built = true;
		}
		if (!trial(b, id, re, lf, (b->engines & ENGINE_BIT(ENGINE_AFL)) ? afl : NULL, k))
			return;
		bugbench_report(b->out);
	}
}

int cmd_bugbench(int argc, char **argv)
{
	struct bench b = { .budget_s = 600, .trials = 3, .engine = "both", .mutator = "on",
			   .jobs = 0, .control = true };
	char out[CAMPAIGN_PATH], path[CAMPAIGN_PATH];
	const struct bug **sel;
	size_t nsel = 0, i;
	bool control_only = false;
	struct sigaction sa;
	int a;

	sel = calloc(bugbench_bug_count, sizeof(*sel));
	if (sel == NULL)
		die("out of memory");
	out[0] = 0;
	for (a = 1; a < argc; a++) {
		const char *o = argv[a];

		if (strcmp(o, "--no-control") == 0) {
			b.control = false;
			continue;
		}
		if (o[0] == '-') {
			const char *v;

			if (strcmp(o, "--time") != 0 && strcmp(o, "--trials") != 0 &&
			    strcmp(o, "--engine") != 0 && strcmp(o, "--mutator") != 0 &&
			    strcmp(o, "--jobs") != 0 && strcmp(o, "--out") != 0)
				usage_die("unknown option", o);
			if (a + 1 >= argc)
				usage_die("missing value after", o);
			v = argv[++a];
			if (strcmp(o, "--time") == 0) {
				if (!parse_duration(v, &b.budget_s) || b.budget_s < 1)
					die("bugbench: --time '%s': a duration such as 600, 90s, 10m, 1h", v);
			} else if (strcmp(o, "--trials") == 0) {
				b.trials = (unsigned)parse_count("--trials", v);
				if (b.trials == 0 || b.trials > 1000)
					die("bugbench: --trials '%s': 1 to 1000", v);
			} else if (strcmp(o, "--engine") == 0) {
				if (!engine_parse(v, &b.engines))
					die("bugbench: --engine '%s': libfuzzer, afl or both", v);
				b.engine = v;
			} else if (strcmp(o, "--mutator") == 0) {
				if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
					die("bugbench: --mutator '%s': on or off", v);
				b.mutator = v;
			} else if (strcmp(o, "--jobs") == 0) {
				b.jobs = (unsigned)parse_count("--jobs", v);
				if (b.jobs == 0 || b.jobs > 256)
					die("bugbench: --jobs '%s': 1 to 256", v);
			} else {
				snprintf(out, sizeof(out), "%s", v);
			}
			continue;
		}
		if (strcmp(o, BUGBENCH_CONTROL) == 0) {
			control_only = true;	/* `bugbench clean`: the control alone */
			continue;
		}
		if (bugbench_find(o) == NULL)
			die("bugbench: unknown bug '%s' (docs/bugs.md lists them: R1..R7, M1..M3, F1, B1..B18)", o);
		for (i = 0; i < nsel && sel[i] != bugbench_find(o); i++)
			;
		if (i == nsel)
			sel[nsel++] = bugbench_find(o);
	}
	if (!engine_parse(b.engine, &b.engines))
		die("bugbench: --engine '%s': libfuzzer, afl or both", b.engine);
	if (b.jobs == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		b.jobs = n > 0 ? (unsigned)n : 1U;
	}
	if (control_only)
		b.control = true;
	else if (nsel == 0)
		for (i = 0; i < bugbench_bug_count; i++)
			sel[nsel++] = &bugbench_bugs[i];
	if (out[0] == 0)
		default_out(out, sizeof(out));
	mkdirs(out);
	b.out = out;
	snprintf(path, sizeof(path), "%s/results.tsv", out);
	b.ndone = bugbench_load(path, &b.done);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	printf("bugbench: %zu bug(s), %u trial(s) of %.0f s each, engine %s, mutator %s, "
	       "%u job(s), into %s\n", nsel, b.trials, b.budget_s, b.engine, b.mutator,
	       b.jobs, out);
	/* The clean core judges every exposing input (and is the control). */
	{
		char afl[CAMPAIGN_PATH];

		if (!build_bug(&b, BUGBENCH_CONTROL, b.clean_lf, afl, sizeof(afl)))
			return stop_requests ? 130 : EXIT_BADINPUT;
	}
	for (i = 0; i < nsel && stop_requests == 0; i++) {
		regex_t re;
		int err = regcomp(&re, sel[i]->expect, REG_EXTENDED | REG_NOSUB);

		if (err != 0)
			die("bugbench: %s: bad expected signature '%s'", sel[i]->id, sel[i]->expect);
		bench_bug(&b, sel[i]->id, &re, b.trials);
		regfree(&re);
	}
	/* The control: the same campaign on the clean core, once. */
	if (b.control && stop_requests == 0)
		bench_bug(&b, BUGBENCH_CONTROL, NULL, 1);
	bugbench_report(out);
	free(b.done);
	free(sel);
	printf("bugbench: %u exposure(s), %u miss(es)%s; %s/results.md, %s/index.html\n",
	       b.exposed, b.missed, stop_requests ? " (stopped early)" : "", out, out);
	if (b.control_findings > 0) {
		complain("bugbench: the clean control found %u thing(s): see %s/results.tsv",
			 b.control_findings, out);
		return EXIT_FINDING;
	}
	return stop_requests ? 130 : 0;
}
