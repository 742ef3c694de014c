// SPDX-License-Identifier: MIT
/*
 * fuzz: a campaign. Every target gets an equal share of the time on all
 * cores (one libFuzzer process per core, restarted after a crash while time
 * remains). Corpus entries and crash files are written by libFuzzer as it
 * finds them, so stopping the campaign at any moment (Ctrl-C, SIGTERM) loses
 * nothing; the summary and report are written on the way out either way.
 * Every crash file is replayed in a sandbox to give it a signature, and the
 * findings are de-duplicated by signature.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox.h"

#define MAX_TARGETS	16
#define MAX_JOBS	64
#define MAX_FINDINGS	256

struct job {
	pid_t pid;
	unsigned runs;
	char log[4096];
};

struct target_stats {
	char name[64];
	uint64_t execs;
	double busy_s;		/* summed process run time */
	unsigned cov;
	unsigned ft;
	unsigned corpus;
	unsigned crash_files;
	unsigned new_crash_files;
};

struct finding {
	char sig[200];
	char target[64];
	char example[4096];
	unsigned count;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested++;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void mkdirs(const char *path)
{
	char tmp[4096];
	char *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = 0;
			mkdir(tmp, 0755);
			*p = '/';
		}
	}
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
		die("cannot create directory %s: %s", tmp, strerror(errno));
}

static bool is_executable(const char *path)
{
	return access(path, X_OK) == 0;
}

static unsigned count_files(const char *dir, const char *prefix, double since,
			    unsigned *fresh)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	if (fresh)
		*fresh = 0;
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		if (prefix && strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		n++;
		if (fresh && (double)st.st_mtime >= since)
			(*fresh)++;
	}
	closedir(d);
	return n;
}

static pid_t spawn(char *const argv[], const char *log)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		setpgid(0, 0);	/* our Ctrl-C handling decides what they get */
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execv(argv[0], argv);
		fprintf(stderr, "smmufuzz: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	return pid;
}

/* Pull the final figures of each libFuzzer run out of a job log. */
static void parse_log(const char *path, struct target_stats *ts)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long long v;
		char *p;

		if (sscanf(line, "stat::number_of_executed_units: %llu", &v) == 1)
			ts->execs += v;
		if (line[0] == '#' && (p = strstr(line, "cov: ")) != NULL &&
		    sscanf(p, "cov: %llu", &v) == 1 && v > ts->cov)
			ts->cov = (unsigned)v;
		if (line[0] == '#' && (p = strstr(line, "ft: ")) != NULL &&
		    sscanf(p, "ft: %llu", &v) == 1 && v > ts->ft)
			ts->ft = (unsigned)v;
	}
	fclose(f);
}

/*
 * libFuzzer options from fuzzers/<target>.options (the OSS-Fuzz layout:
 * "key = value" lines under "[libfuzzer]"), as "-key=value" arguments.
 */
#define MAX_OPTS 8
static unsigned target_options(const char *name, char opts[MAX_OPTS][128])
{
	char path[4096], line[256];
	unsigned n = 0;
	bool in_section = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/fuzzers/%s.options", source_dir(), name);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL && n < MAX_OPTS) {
		char key[64], val[64];

		if (line[0] == '[') {
			in_section = strncmp(line, "[libfuzzer]", 11) == 0;
			continue;
		}
		if (in_section && sscanf(line, " %63[a-z_] = %63s", key, val) == 2)
			snprintf(opts[n++], sizeof(opts[0]), "-%s=%s", key, val);
	}
	fclose(f);
	return n;
}

static void run_target(const char *bin, const char *name, const char *out,
		       double seconds, unsigned jobs, struct target_stats *ts,
		       double *campaign_start)
{
	struct job job[MAX_JOBS];
	char corpus[4096], seeds[4096], crashes[4096], logs[4096];
	char opts[MAX_OPTS][128];
	unsigned nopts = target_options(name, opts), o;
	double start = now_s(), end = start + seconds;
	unsigned j, running = 0;

	snprintf(corpus, sizeof(corpus), "%s/corpus/%s", out, name);
	snprintf(crashes, sizeof(crashes), "%s/crashes/%s", out, name);
	snprintf(logs, sizeof(logs), "%s/logs", out);
	snprintf(seeds, sizeof(seeds), "%s/corpus/seeds/%s", build_dir(), name);
	mkdirs(corpus);
	mkdirs(crashes);
	mkdirs(logs);
	(void)campaign_start;
	memset(job, 0, sizeof(job));

	while (!stop_requested) {
		double left = end - now_s();

		/* Start every job once, and restart idle ones while at least
		 * 1 s remains. */
		for (j = 0; j < jobs; j++) {
			char arg_time[64], arg_art[4200], arg_seed[64];
			char *argv[16 + MAX_OPTS];
			int k = 0;

			if (job[j].pid != 0 || (left < 1.0 && job[j].runs != 0))
				continue;
			snprintf(job[j].log, sizeof(job[j].log), "%s/%s-job%u.log", logs,
				 name, j);
			snprintf(arg_time, sizeof(arg_time), "-max_total_time=%u",
				 left < 1.5 ? 1U : (unsigned)(left + 0.5));
			snprintf(arg_art, sizeof(arg_art), "-artifact_prefix=%s/", crashes);
			snprintf(arg_seed, sizeof(arg_seed), "-seed=%u",
				 (unsigned)(time(NULL) & 0xFFFFF) * 64U + j * 7U + job[j].runs + 1U);
			argv[k++] = (char *)bin;
			argv[k++] = arg_time;
			argv[k++] = arg_art;
			argv[k++] = arg_seed;
			argv[k++] = "-print_final_stats=1";
			argv[k++] = "-timeout=10";
			argv[k++] = "-rss_limit_mb=4096";
			argv[k++] = "-max_len=4096";
			for (o = 0; o < nopts; o++)
				argv[k++] = opts[o];	/* later flags win */
			argv[k++] = corpus;
			if (access(seeds, R_OK) == 0)
				argv[k++] = seeds;
			argv[k] = NULL;
			job[j].pid = spawn(argv, job[j].log);
			job[j].runs++;
			running++;
		}
		if (running == 0)
			break;
		{
			int status;
			pid_t pid = waitpid(-1, &status, 0);

			if (pid < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			for (j = 0; j < jobs; j++) {
				if (job[j].pid == pid) {
					job[j].pid = 0;
					running--;
				}
			}
		}
	}
	/* Stopping: libFuzzer treats SIGINT as "print stats and exit". */
	if (running > 0) {
		for (j = 0; j < jobs; j++)
			if (job[j].pid != 0)
				kill(-job[j].pid, SIGINT);
		while (running > 0) {
			int status;
			pid_t pid = waitpid(-1, &status, 0);

			if (pid < 0 && errno == EINTR) {
				if (stop_requested > 1)	/* second Ctrl-C: no mercy */
					for (j = 0; j < jobs; j++)
						if (job[j].pid != 0)
							kill(-job[j].pid, SIGKILL);
				continue;
			}
			if (pid < 0)
				break;
			for (j = 0; j < jobs; j++)
				if (job[j].pid == pid) {
					job[j].pid = 0;
					running--;
				}
		}
	}
	ts->busy_s = (now_s() - start) * jobs;
	snprintf(ts->name, sizeof(ts->name), "%s", name);
	for (j = 0; j < jobs; j++)
		parse_log(job[j].log, ts);
	ts->corpus = count_files(corpus, NULL, 0, NULL);
}

/* Replay every crash file of a target to name and de-duplicate it. */
static void triage(const char *out, const char *name, double since,
		   struct finding *f, unsigned *nf, struct target_stats *ts)
{
	static struct op ops[OPS_MAX_OPS];
	char dir[4096];
	DIR *d;
	struct dirent *e;

	snprintf(dir, sizeof(dir), "%s/crashes/%s", out, name);
	ts->crash_files = count_files(dir, NULL, since, &ts->new_crash_files);
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		struct sandbox_result sr;
		struct ops_header hdr;
		struct buf b;
		char path[4096], err[256];
		unsigned i;
		int n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!read_file(path, &b, err, sizeof(err)))
			continue;
		n = decode_file(&b, true, &hdr, ops, OPS_MAX_OPS, err, sizeof(err));
		free(b.data);
		if (n < 0)
			continue;
		sandbox_run(hdr.profile, ops, (size_t)n, harness_target_opts(name),
			    false, 20, &sr);
		if (sr.verdict != VERDICT_FINDING) {
			/* libFuzzer also saves slow inputs and OOMs: not ours to keep
			 * quiet about, so they are listed under their own name. */
			snprintf(sr.verdict_line, sizeof(sr.verdict_line),
				 "finding:unreproduced:%.40s", e->d_name);
		}
		for (i = 0; i < *nf; i++)
			if (strcmp(f[i].sig, sr.verdict_line + 8) == 0 &&
			    strcmp(f[i].target, name) == 0)
				break;
		if (i == *nf) {
			if (*nf == MAX_FINDINGS)
				continue;
			snprintf(f[i].sig, sizeof(f[i].sig), "%s", sr.verdict_line + 8);
			snprintf(f[i].target, sizeof(f[i].target), "%s", name);
			snprintf(f[i].example, sizeof(f[i].example), "%s", path);
			(*nf)++;
		}
		f[i].count++;
	}
	closedir(d);
}

static void write_report(const char *dir, const char *stamp, const char *out, double wall,
			 unsigned jobs, const struct target_stats *ts, unsigned nt,
			 const struct finding *f, unsigned nf, bool interrupted)
{
	char path[4096];
	FILE *md;
	unsigned i;

	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/summary.md", dir);
	md = fopen(path, "w");
	if (md == NULL) {
		complain("cannot write %s: %s", path, strerror(errno));
		return;
	}
	fprintf(md, "# smmufuzz campaign %s\n\n", stamp);
	fprintf(md, "- wall time: %.0f s%s\n- jobs (cores): %u\n- engine: libFuzzer\n"
		"- corpus and crashes: %s\n\n",
		wall, interrupted ? " (stopped early)" : "", jobs, out);
	fprintf(md, "| target | executions | exec/s | exec/s per core | coverage (edges) | features | corpus | crash files (new) |\n");
	fprintf(md, "|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < nt; i++) {
		double eps = ts[i].busy_s > 0 ? (double)ts[i].execs / (ts[i].busy_s / jobs) : 0;

		fprintf(md, "| %s | %llu | %.0f | %.0f | %u | %u | %u | %u (%u) |\n",
			ts[i].name, (unsigned long long)ts[i].execs, eps, eps / jobs,
			ts[i].cov, ts[i].ft, ts[i].corpus, ts[i].crash_files,
			ts[i].new_crash_files);
	}
	fprintf(md, "\n## Findings (bugs only; rejections are by design)\n\n");
	if (nf == 0)
		fprintf(md, "None.\n");
	for (i = 0; i < nf; i++)
		fprintf(md, "- `%s` in %s: %u file(s), e.g. `%s`\n", f[i].sig,
			f[i].target, f[i].count, f[i].example);
	fclose(md);
}

/*
 * Claim reports/<stamp> (or <stamp>-2, -3, ... when campaigns start in the
 * same second) at the start, so two campaigns never share a report.
 */
static void reserve_report(char *stamp, size_t cap, char *dir, size_t dircap)
{
	char base[64];
	unsigned n;

	snprintf(base, sizeof(base), "%s", stamp);
	snprintf(dir, dircap, "%s/reports", source_dir());
	mkdirs(dir);
	for (n = 1; n < 1000; n++) {
		if (n > 1)
			snprintf(stamp, cap, "%s-%u", base, n);
		snprintf(dir, dircap, "%s/reports/%s", source_dir(), stamp);
		if (mkdir(dir, 0777) == 0)
			return;
		if (errno != EEXIST)
			die("fuzz: cannot create %s: %s", dir, strerror(errno));
	}
	die("fuzz: too many campaigns named %s in reports/", base);
}

int cmd_fuzz(int argc, char **argv)
{
	static struct target_stats ts[MAX_TARGETS];
	static struct finding findings[MAX_FINDINGS];
	const char *names[MAX_TARGETS];
	char bins[MAX_TARGETS][4096];
	char out[4096], bindir[4096], report[4096], stamp[64];
	const char *targets_opt = NULL;
	double seconds = 120, start, campaign_start;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned jobs = ncpu > 0 ? (unsigned)ncpu : 1, nt = 0, nf = 0, i;
	struct sigaction sa;
	time_t wall0 = time(NULL);
	int a;

	snprintf(out, sizeof(out), "%s/out", source_dir());
	snprintf(bindir, sizeof(bindir), "%s/fuzzers", build_dir());
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--time") == 0 && a + 1 < argc)
			seconds = (double)parse_count("--time", argv[++a]);
		else if (strcmp(argv[a], "--jobs") == 0 && a + 1 < argc)
			jobs = (unsigned)parse_count("--jobs", argv[++a]);
		else if (strcmp(argv[a], "--targets") == 0 && a + 1 < argc)
			targets_opt = argv[++a];
		else if (strcmp(argv[a], "--out") == 0 && a + 1 < argc)
			snprintf(out, sizeof(out), "%s", argv[++a]);
		else if (strcmp(argv[a], "--bin") == 0 && a + 1 < argc)
			snprintf(bindir, sizeof(bindir), "%s", argv[++a]);
		else
			die("fuzz: unknown option '%s' (see smmufuzz --help)", argv[a]);
	}
	if (jobs == 0 || jobs > MAX_JOBS)
		die("fuzz: --jobs must be between 1 and %d", MAX_JOBS);
	if (seconds < 2)
		die("fuzz: --time must be at least 2 seconds");

	/* Which targets: the named ones, or every fuzz target that was built. */
	for (i = 0; harness_target_name(i) != NULL; i++) {
		const char *name = harness_target_name(i);
		char want[256];

		if (strncmp(name, "fuzz_", 5) != 0)
			continue;
		if (targets_opt != NULL) {
			snprintf(want, sizeof(want), ",%s,", targets_opt);
			char needle[80];

			snprintf(needle, sizeof(needle), ",%s,", name);
			if (strstr(want, needle) == NULL)
				continue;
		}
		snprintf(bins[nt], sizeof(bins[nt]), "%s/%s", bindir, name);
		if (!is_executable(bins[nt])) {
			if (targets_opt != NULL)
				die("fuzz: %s is not built (no %s)", name, bins[nt]);
			continue;
		}
		names[nt++] = name;
		if (nt == MAX_TARGETS)
			break;
	}
	if (targets_opt != NULL) {
		char copy[512], *tok, *save = NULL;

		snprintf(copy, sizeof(copy), "%s", targets_opt);
		for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			if (harness_target_opts(tok) == NULL || strncmp(tok, "fuzz_", 5))
				die("fuzz: unknown target '%s'", tok);
	}
	if (nt == 0)
		die("fuzz: no fuzz targets built in %s (build the host-fuzz preset)", bindir);
	if (seconds < 2.0 * nt)
		die("fuzz: --time %.0f is too short for %u target(s): give each at least 2 s",
		    seconds, nt);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&wall0));
	reserve_report(stamp, sizeof(stamp), report, sizeof(report));
	printf("smmufuzz: campaign %s: %u target(s), %.0f s, %u job(s); corpus and crashes in %s\n",
	       stamp, nt, seconds, jobs, out);
	fflush(stdout);
	campaign_start = now_s();
	for (i = 0; i < nt && !stop_requested; i++) {
		double share = (seconds - (now_s() - campaign_start)) / (nt - i);

		/* Targets before may overrun a little (libFuzzer's start and
		 * exit): every target still gets its turn. */
		if (share < 1.0)
			share = 1.0;

		start = now_s();
		printf("smmufuzz: %s for %.0f s ...\n", names[i], share);
		fflush(stdout);
		run_target(bins[i], names[i], out, share, jobs, &ts[i], &campaign_start);
		(void)start;
	}
	for (i = 0; i < nt; i++) {
		if (ts[i].name[0] == 0)
			snprintf(ts[i].name, sizeof(ts[i].name), "%s", names[i]);
		triage(out, names[i], (double)wall0, findings, &nf, &ts[i]);
	}

	write_report(report, stamp, out, now_s() - campaign_start, jobs, ts, nt, findings,
		     nf, stop_requested != 0);

	printf("\n%-12s %12s %10s %12s %8s %8s %7s %8s\n", "target", "executions",
	       "exec/s", "exec/s/core", "cov", "ft", "corpus", "crashes");
	for (i = 0; i < nt; i++) {
		double eps = ts[i].busy_s > 0 ? (double)ts[i].execs / (ts[i].busy_s / jobs) : 0;

		printf("%-12s %12llu %10.0f %12.0f %8u %8u %7u %8u\n", ts[i].name,
		       (unsigned long long)ts[i].execs, eps, eps / jobs, ts[i].cov,
		       ts[i].ft, ts[i].corpus, ts[i].crash_files);
	}
	if (nf == 0)
		printf("findings: none\n");
	for (i = 0; i < nf; i++)
		printf("finding: %s (%s, %u file(s), e.g. %s)\n", findings[i].sig,
		       findings[i].target, findings[i].count, findings[i].example);
	printf("report: %s/summary.md\n", report);
	return nf ? EXIT_FINDING : 0;
}
