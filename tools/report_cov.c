// SPDX-License-Identifier: MIT
/*
 * Source coverage of core/src from a campaign's corpus: every input of
 * corpus/<target>/ and every seed of corpus/seeds (as the host-cov build
 * assembled them: today's seeds, which a campaign also starts from) is replayed
 * in-process by the host-cov build of the CLI (llvm source-based coverage
 * of the core), then llvm-profdata and llvm-cov give line and branch
 * figures per file, the annotated source as HTML and as text (the input of
 * report_uncovered.c). The replay's verdict lines count the rejections by
 * site: what the host asked for that the core refused, by design.
 *
 * Everything lands in <campaign>/coverage/: report.txt (llvm-cov report),
 * lines.txt (llvm-cov show, text), html/ (llvm-cov show, HTML),
 * replay-<target>.txt (verdicts of the campaign's corpus), replay-seeds-
 * <target>.txt, measured.txt. Without the host-cov build or llvm-cov the
 * report says why in one line and shows what an earlier run left there.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

#define REPLAY_LIMIT_S	900	/* per target: a corpus input that hangs */
#define LLVM_LIMIT_S	600
#define COV_ARGS_MAX	4096

/* Run @argv with @env_add (NAME=VALUE or NULL), stdout to @out (or
 * /dev/null), stderr to @errf (or /dev/null); killed after @limit_s.
 * Returns the exit status, 128 + signal, or -1 if it could not start. */
static int run(char *const argv[], const char *env_add, const char *out,
	       const char *errf, unsigned limit_s)
{
	pid_t pid = fork();
	double end;
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fo = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(errf ? errf : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		setpgid(0, 0);
		/* Nothing outlives the campaign (or report) that started it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (fo < 0 || fe < 0)
			_exit(126);
		dup2(fo, 1);
		dup2(fe, 2);
		if (env_add != NULL)
			putenv((char *)env_add);
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	end = now_s() + limit_s;
	for (;;) {
		pid_t got = waitpid(pid, &st, WNOHANG);

		if (got == pid)
			break;
		if (got < 0 && errno != EINTR)
			return -1;
		if (now_s() > end) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return 128 + SIGKILL;
		}
		usleep(20000);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char full[REPORT_PATH];

	while (path != NULL && *path) {
		size_t len = strcspn(path, ":");

		snprintf(full, sizeof(full), "%.*s/%s", (int)len, path, prog);
		if (access(full, X_OK) == 0)
			return true;
		path += len + (path[len] == ':');
	}
	return false;
}

static void rm_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL) {
		char p[REPORT_PATH];
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rm_tree(p);
		else
			unlink(p);
	}
	if (d != NULL)
		closedir(d);
	rmdir(path);
}

/* "  idmap.c   129   7   94.57%   6   0   100.00%   99   2   97.98%   82   16   80.49%" */
static int by_name(const void *a, const void *b);

bool cov_parse_report(const char *text, struct coverage *cov)
{
	const char *line = text;
	bool header = false, total = false;

	cov->nfiles = 0;
	memset(&cov->total, 0, sizeof(cov->total));
	while (line != NULL && *line) {
		const char *nl = strchr(line, '\n');
		char name[64], l[512];
		unsigned v[12];
		struct cov_file cf;

		snprintf(l, sizeof(l), "%.*s", (int)(nl ? nl - line : (long)strlen(line)), line);
		line = nl ? nl + 1 : NULL;
		if (strncmp(l, "Filename", 8) == 0)
			header = strstr(l, "Branches") != NULL;
		/* Columns: regions, missed, %, functions, missed, %, lines,
		 * missed, %, branches, missed, %. */
		if (sscanf(l, "%63s %u %u %*f%% %u %u %*f%% %u %u %*f%% %u %u", name, &v[0], &v[1],
			   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 9)
			continue;
		memset(&cf, 0, sizeof(cf));
		snprintf(cf.name, sizeof(cf.name), "%s", name);
		cf.regions = v[0];
		cf.regions_missed = v[1];
		cf.funcs = v[2];
		cf.funcs_missed = v[3];
		cf.lines = v[4];
		cf.lines_missed = v[5];
		cf.branches = v[6];
		cf.branches_missed = v[7];
		if (strcmp(name, "TOTAL") == 0) {
			cov->total = cf;
			total = true;
		} else if (cov->nfiles < REPORT_MAX_COV_FILES) {
			cov->files[cov->nfiles++] = cf;
		}
	}
	qsort(cov->files, cov->nfiles, sizeof(cov->files[0]), by_name);
	return header && total;
}

void cov_tally_verdicts(struct coverage *cov, const char *text, unsigned target)
{
	const char *line = text;

	while (line != NULL && *line) {
		const char *nl = strchr(line, '\n');
		const char *v = strstr(line, ": ");
		char site[128];
		unsigned i;

		if (v == NULL || (nl != NULL && v > nl)) {
			line = nl ? nl + 1 : NULL;
			continue;
		}
		v += 2;
		if (strncmp(v, "ok", 2) == 0) {
			cov->verdict_ok++;
		} else if (strncmp(v, "finding:", 8) == 0) {
			cov->verdict_finding++;
		} else if (strncmp(v, "rejected:", 9) == 0) {
			size_t n = strcspn(v + 9, " \n");

			cov->verdict_rejected++;
			snprintf(site, sizeof(site), "%.*s", (int)(n < sizeof(site) ? n : sizeof(site) - 1),
				 v + 9);
			for (i = 0; i < cov->nsites; i++)
				if (strcmp(cov->sites[i].site, site) == 0)
					break;
			if (i == cov->nsites && cov->nsites < REPORT_MAX_SITES) {
				memset(&cov->sites[i], 0, sizeof(cov->sites[i]));
				snprintf(cov->sites[i].site, sizeof(cov->sites[i].site), "%s", site);
				cov->nsites++;
			}
			if (i < cov->nsites) {
				cov->sites[i].inputs++;
				cov->sites[i].targets |= 1U << target;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct cov_file *)a)->name, ((const struct cov_file *)b)->name);
}

static int by_inputs(const void *a, const void *b)
{
	const struct rej_site *x = a, *y = b;

	return x->inputs != y->inputs ? (x->inputs < y->inputs ? 1 : -1)
				      : strcmp(x->site, y->site);
}

/* What an earlier measurement left in coverage/. */
static void read_back(struct report *r, const char *covdir)
{
	struct coverage *cov = &r->cov;
	char p[REPORT_PATH], *text;
	unsigned t;

	snprintf(p, sizeof(p), "%s/report.txt", covdir);
	text = slurp(p, NULL);
	if (text == NULL || !cov_parse_report(text, cov)) {
		if (cov->why_not[0] == 0)
			snprintf(cov->why_not, sizeof(cov->why_not),
				 "not measured (smmufuzz report measures it with the host-cov build)");
		free(text);
		return;
	}
	free(text);
	cov->have = true;
	snprintf(p, sizeof(p), "%s/html/index.html", covdir);
	if (access(p, R_OK) == 0)
		snprintf(cov->html_index, sizeof(cov->html_index), "coverage/html/index.html");
	snprintf(p, sizeof(p), "%s/lines.txt", covdir);
	text = slurp(p, NULL);
	if (text != NULL)
		uncov_classify(cov, text);
	free(text);
	for (t = 0; t < r->c->nt; t++) {
		snprintf(p, sizeof(p), "%s/replay-%s.txt", covdir, r->c->targets[t]);
		text = slurp(p, NULL);
		if (text != NULL)
			cov_tally_verdicts(cov, text, t);
		free(text);
	}
	qsort(cov->sites, cov->nsites, sizeof(cov->sites[0]), by_inputs);
	snprintf(p, sizeof(p), "%s/measured.txt", covdir);
	text = slurp(p, NULL);
	if (text != NULL) {
		sscanf(text, "inputs=%u seeds=%u", &cov->inputs, &cov->seed_inputs);
		if (strstr(text, "when=") != NULL)
			snprintf(cov->when, sizeof(cov->when), "%.*s",
				 (int)strcspn(strstr(text, "when=") + 5, "\n"),
				 strstr(text, "when=") + 5);
	}
	free(text);
}

/* Replay @dir with @cli under coverage; verdict lines to @out. */
static bool replay_dir(struct report *r, const char *cli, const char *target,
		       const char *dir, const char *out, const char *covdir)
{
	static char env[REPORT_PATH + 64];
	char *argv[8], errf[REPORT_PATH];
	int rc;

	if (count_entries(dir) == 0)
		return true;
	snprintf(env, sizeof(env), "LLVM_PROFILE_FILE=%s/profiles/%%p-%%m.profraw", covdir);
	snprintf(errf, sizeof(errf), "%s.err", out);
	argv[0] = (char *)cli;
	argv[1] = "replay";
	argv[2] = "--raw";
	argv[3] = "--no-fork";
	argv[4] = "--target";
	argv[5] = (char *)target;
	argv[6] = (char *)dir;
	argv[7] = NULL;
	rc = run(argv, env, out, errf, REPLAY_LIMIT_S);
	/* 0: no finding, 1: findings (a corpus input can hold one). */
	if (rc == 0 || rc == 1) {
		unlink(errf);
		return true;
	}
	snprintf(r->cov.why_not, sizeof(r->cov.why_not),
		 "the coverage replay of %s %s (exit %d, see %s): figures are partial",
		 rel_to(r->c->dir, dir), rc == 128 + SIGKILL ? "timed out" : "failed", rc,
		 rel_to(r->c->dir, errf));
	return false;
}

static bool llvm(struct report *r, char **argv, const char *out, const char *covdir)
{
	char errf[REPORT_PATH];
	int rc;

	snprintf(errf, sizeof(errf), "%s/llvm-errors.txt", covdir);
	rc = run(argv, NULL, out, errf, LLVM_LIMIT_S);
	if (rc == 0)
		return true;
	snprintf(r->cov.why_not, sizeof(r->cov.why_not), "%s failed (exit %d, see %s)",
		 argv[0], rc, rel_to(r->c->dir, errf));
	return false;
}

static void measure(struct report *r, const char *build, const char *covdir)
{
	struct coverage *cov = &r->cov;
	char cli[REPORT_PATH], p[REPORT_PATH], out[REPORT_PATH], src[REPORT_PATH];
	char profdata[REPORT_PATH], prof_arg[REPORT_PATH + 32], html_arg[REPORT_PATH + 32];
	char **argv;
	unsigned t, n = 0, inputs = 0, seeds = 0;
	struct dirent *e;
	DIR *d;
	FILE *f;
	time_t now = time(NULL);

	snprintf(cli, sizeof(cli), "%s/tools/smmufuzz", build);
	if (access(cli, X_OK) != 0) {
		snprintf(cov->why_not, sizeof(cov->why_not),
			 "no host-cov build at %s (cmake --preset host-cov && cmake --build "
			 "--preset host-cov)", build);
		return;
	}
	if (!on_path("llvm-profdata") || !on_path("llvm-cov")) {
		snprintf(cov->why_not, sizeof(cov->why_not),
			 "llvm-profdata or llvm-cov not installed (sh scripts/setup.sh)");
		return;
	}
	snprintf(p, sizeof(p), "%s/html", covdir);
	rm_tree(p);
	snprintf(p, sizeof(p), "%s/profiles", covdir);
	rm_tree(p);
	mkdirs(p);
	for (t = 0; t < r->c->nt; t++) {
		const char *tn = r->c->targets[t];

		snprintf(p, sizeof(p), "%s/corpus/seeds/%s", build, tn);
		snprintf(out, sizeof(out), "%s/replay-seeds-%s.txt", covdir, tn);
		seeds += count_entries(p);
		replay_dir(r, cli, tn, p, out, covdir);
		snprintf(p, sizeof(p), "%s/corpus/%s", r->c->dir, tn);
		snprintf(out, sizeof(out), "%s/replay-%s.txt", covdir, tn);
		inputs += count_entries(p);
		if (count_entries(p) == 0)
			unlink(out);
		replay_dir(r, cli, tn, p, out, covdir);
	}
	/* llvm-profdata merge -sparse profiles/... -o coverage.profdata */
	snprintf(p, sizeof(p), "%s/profiles", covdir);
	argv = calloc(COV_ARGS_MAX + 8, sizeof(*argv));
	if (argv == NULL)
		die("out of memory");
	argv[n++] = "llvm-profdata";
	argv[n++] = "merge";
	argv[n++] = "-sparse";
	d = opendir(p);
	while (d != NULL && (e = readdir(d)) != NULL && n < COV_ARGS_MAX) {
		char *q;

		if (strstr(e->d_name, ".profraw") == NULL)
			continue;
		q = malloc(strlen(p) + strlen(e->d_name) + 2);
		if (q == NULL)
			die("out of memory");
		sprintf(q, "%s/%s", p, e->d_name);
		argv[n++] = q;
	}
	if (d != NULL)
		closedir(d);
	snprintf(profdata, sizeof(profdata), "%s/coverage.profdata", covdir);
	argv[n++] = "-o";
	argv[n++] = profdata;
	argv[n] = NULL;
	if (n == 5) {
		snprintf(cov->why_not, sizeof(cov->why_not),
			 "the coverage replay wrote no profile (is %s built with SMMUFUZZ_COVERAGE?)",
			 cli);
		free(argv);
		return;
	}
	if (!llvm(r, argv, NULL, covdir)) {
		for (t = 3; t < n - 2; t++)
			free(argv[t]);
		free(argv);
		return;
	}
	for (t = 3; t < n - 2; t++)
		free(argv[t]);
	snprintf(src, sizeof(src), "%s/core/src", source_dir());
	snprintf(prof_arg, sizeof(prof_arg), "-instr-profile=%s", profdata);
	snprintf(html_arg, sizeof(html_arg), "-output-dir=%s/html", covdir);
	{
		char *rep[] = { "llvm-cov", "report", cli, prof_arg, src, NULL };
		char *show[] = { "llvm-cov", "show", cli, prof_arg, "-show-branches=count",
				 "-show-line-counts", "-show-expansions", src, NULL };
		char *html[] = { "llvm-cov", "show", cli, prof_arg, "-format=html", html_arg,
				 "-show-branches=count", "-show-line-counts-or-regions",
				 "-project-title=smmufuzz core/src: campaign corpus", src, NULL };

		snprintf(out, sizeof(out), "%s/report.txt", covdir);
		if (!llvm(r, rep, out, covdir))
			goto done;
		snprintf(out, sizeof(out), "%s/lines.txt", covdir);
		if (!llvm(r, show, out, covdir))
			goto done;
		llvm(r, html, NULL, covdir);
	}
	snprintf(out, sizeof(out), "%s/measured.txt", covdir);
	f = fopen(out, "w");
	if (f != NULL) {
		char when[64];

		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&now));
		fprintf(f, "inputs=%u seeds=%u\nwhen=%s\nbuild=%s\n", inputs, seeds, when, build);
		fclose(f);
	}
done:
	free(argv);
	snprintf(p, sizeof(p), "%s/profiles", covdir);
	rm_tree(p);	/* merged: the raw profiles are not kept */
}

void coverage_campaign(struct report *r, const struct cov_opts *o)
{
	char covdir[REPORT_PATH], build[REPORT_PATH];
	const char *env = getenv("SMMUFUZZ_COV_BUILD");

	snprintf(covdir, sizeof(covdir), "%s/coverage", r->c->dir);
	mkdirs(covdir);
	if (o->cov_build != NULL)
		snprintf(build, sizeof(build), "%s", o->cov_build);
	else if (env != NULL && *env)
		snprintf(build, sizeof(build), "%s", env);
	else
		snprintf(build, sizeof(build), "%s/build/host-cov", source_dir());
	if (o->run)
		measure(r, build, covdir);
	read_back(r, covdir);
}
