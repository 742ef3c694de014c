// SPDX-License-Identifier: MIT
/*
 * Findings as they happen. Every crash, timeout or hang file the engines
 * write is copied into crashes/<target>/ (campaign_lf.c, campaign_afl.c)
 * and queued here; one at a time, it is replayed by the sanitizer build of
 * the CLI (`smmufuzz replay --raw --no-fork`, in a process that dies with
 * us), which gives it its signature: the verdict line, or the sanitizer's
 * report when the replay itself dies, or hang:timeout-<N>s. Signatures are
 * de-duplicated as they come, so the status counts distinct findings, not
 * files. A file that replays without a finding is kept under
 * "unreproduced:<engine>-<kind>" (a flaky input, or a timeout under load).
 *
 * crashes.tsv records every replayed file with its signature (appended, one
 * write per line); findings.tsv, one row per signature, is rewritten
 * atomically on every change. At the end each signature's smallest file is
 * minimised by `smmufuzz minimize`, which keeps the exact signature: two
 * signatures are never merged.
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
#include <unistd.h>

#include "campaign.h"
#include "sandbox.h"

#define REPLAY_TIMEOUT_S	20U
#define MINIMIZE_TIMEOUT_S	120.0
#define MINIMIZE_TRIAL_S	"10"
#define CHILD_POLL_US		100000
#define UNREPRODUCED		"unreproduced"
#define SLUG_MAX		80

static pid_t child;		/* the replay or minimisation running */
static int child_crash = -1;	/* replay: index into c->crashes */
static int child_finding = -1;	/* minimisation: index into c->findings */
static double child_deadline;
static bool child_abandoned;	/* stopped for lack of time: no verdict */
static char child_log[CAMPAIGN_PATH];

static int target_index(const char *name)
{
	unsigned i;

	for (i = 0; harness_target_name(i) != NULL; i++)
		if (strcmp(harness_target_name(i), name) == 0)
			return (int)i;
	return -1;
}

static const char *rel(const struct campaign *c, const char *path)
{
	size_t n = strlen(c->dir);

	return strncmp(path, c->dir, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

void finding_class(const char *sig, char *cls, size_t cap)
{
	snprintf(cls, cap, "%.*s", (int)strcspn(sig, ":"), sig);
}

bool finding_real(const struct finding *f)
{
	return strncmp(f->sig, UNREPRODUCED ":", strlen(UNREPRODUCED) + 1) != 0;
}

static bool finding_matches(const struct finding *f, const char *target,
			    unsigned engines, const char *cls)
{
	int ti = target != NULL ? target_index(target) : -1;
	unsigned e;
	char fc[64];

	if (cls != NULL) {
		finding_class(f->sig, fc, sizeof(fc));
		if (strcmp(fc, cls) != 0)
			return false;
	}
	for (e = 0; e < ENGINE_COUNT; e++) {
		if (!(engines & ENGINE_BIT(e)))
			continue;
		if (target == NULL ? f->seen[e] != 0
				   : ti >= 0 && (f->seen[e] & (1U << ti)) != 0)
			return true;
	}
	return false;
}

unsigned findings_count(const struct campaign *c, const char *target,
			unsigned engines, const char *cls)
{
	unsigned i, n = 0;

	for (i = 0; i < c->nfindings; i++)
		n += finding_real(&c->findings[i]) &&
		     finding_matches(&c->findings[i], target, engines, cls);
	return n;
}

void findings_by_class(const struct campaign *c, const char *target,
		       unsigned engines, char *buf, size_t cap)
{
	char done[CAMPAIGN_MAX_FINDINGS][64];
	unsigned i, j, nd = 0;
	size_t len = 0;

	buf[0] = 0;
	for (i = 0; i < c->nfindings && len < cap; i++) {
		char cls[64];

		if (!finding_real(&c->findings[i]) ||
		    !finding_matches(&c->findings[i], target, engines, NULL))
			continue;
		finding_class(c->findings[i].sig, cls, sizeof(cls));
		for (j = 0; j < nd; j++)
			if (strcmp(done[j], cls) == 0)
				break;
		if (j < nd)
			continue;
		snprintf(done[nd++], sizeof(done[0]), "%s", cls);
		len += (size_t)snprintf(buf + len, cap - len, "%s%s %u", len ? ", " : "",
					cls, findings_count(c, target, engines, cls));
	}
}

const char *finding_min_path(const struct campaign *c, const struct finding *f,
			     const char *ext, char *buf)
{
	char slug[SLUG_MAX + 1];
	uint32_t h = 2166136261U;
	size_t i, n = 0;

	/* Readable, and unique through a hash of the whole signature. */
	for (i = 0; f->sig[i] != 0; i++) {
		char ch = f->sig[i];

		h = (h ^ (unsigned char)ch) * 16777619U;
		if (n < SLUG_MAX - 9)
			slug[n++] = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
				    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'
				    ? ch : '_';
	}
	snprintf(slug + n, sizeof(slug) - n, "-%08x", h);
	return cpath(c, buf, "findings/%s.%s", slug, ext);
}

static void write_findings_tsv(const struct campaign *c)
{
	char path[CAMPAIGN_PATH], tmp[CAMPAIGN_PATH], min[CAMPAIGN_PATH];
	unsigned i;
	FILE *f;

	cpath(c, path, "findings.tsv");
	cpath(c, tmp, "tmp/findings.tsv.%ld", (long)getpid());
	f = fopen(tmp, "w");
	if (f == NULL)
		return;
	fprintf(f, "# signature\tclass\ttarget\tengine\tfirst_s\tfiles\texample\tminimised\n");
	for (i = 0; i < c->nfindings; i++) {
		const struct finding *fd = &c->findings[i];
		char cls[64];

		finding_class(fd->sig, cls, sizeof(cls));
		finding_min_path(c, fd, "smfz", min);
		fprintf(f, "%s\t%s\t%s\t%s\t%.1f\t%u\t%s\t%s\n", fd->sig, cls,
			fd->first_target, engine_name(fd->first_engine), fd->first_s,
			fd->files, rel(c, fd->example),
			access(min, F_OK) == 0 ? rel(c, min) : "-");
	}
	if (fclose(f) == 0)
		rename(tmp, path);
	else
		remove(tmp);
}

static void record(struct campaign *c, const struct crash *cr, const char *sig,
		   bool announce)
{
	int ti = target_index(cr->target);
	struct finding *f = NULL;
	struct stat st;
	unsigned i;

	for (i = 0; i < c->nfindings; i++)
		if (strcmp(c->findings[i].sig, sig) == 0)
			f = &c->findings[i];
	if (f == NULL) {
		if (c->nfindings == CAMPAIGN_MAX_FINDINGS)
			return;
		f = &c->findings[c->nfindings++];
		memset(f, 0, sizeof(*f));
		snprintf(f->sig, sizeof(f->sig), "%s", sig);
		f->first_target = cr->target;
		f->first_engine = cr->engine;
		f->first_s = cr->found_s;
		f->example_size = UINT64_MAX;
		if (announce) {
			char when[32];

			format_duration(cr->found_s, when, sizeof(when));
			status_event(c, "%s %s: %s %s in %s (%s)", when,
				     finding_real(f) ? "finding" : "unreproduced crash file",
				     f->sig, cr->target, engine_name(cr->engine),
				     rel(c, cr->file));
		}
	}
	if (cr->found_s < f->first_s) {
		f->first_s = cr->found_s;
		f->first_target = cr->target;
		f->first_engine = cr->engine;
	}
	if (ti >= 0)
		f->seen[cr->engine] |= 1U << ti;
	f->files++;
	if (stat(cr->file, &st) == 0 && (uint64_t)st.st_size < f->example_size) {
		f->example_size = (uint64_t)st.st_size;
		snprintf(f->example, sizeof(f->example), "%s", cr->file);
	}
}

static struct crash *add_crash(struct campaign *c, const char *file, const char *target,
			       enum engine engine, double found_s)
{
	struct crash *cr;
	unsigned i;

	for (i = 0; i < c->ncrashes; i++)
		if (strcmp(c->crashes[i].file, file) == 0)
			return NULL;
	if (c->ncrashes == CAMPAIGN_MAX_CRASHES) {
		static bool told;

		if (!told)
			complain("fuzz: more than %d crash files: the rest stay in crashes/ "
				 "unreplayed (smmufuzz triage them)", CAMPAIGN_MAX_CRASHES);
		told = true;
		return NULL;
	}
	cr = &c->crashes[c->ncrashes++];
	memset(cr, 0, sizeof(*cr));
	snprintf(cr->file, sizeof(cr->file), "%s", file);
	cr->target = target;
	cr->engine = engine;
	cr->found_s = found_s;
	return cr;
}

void findings_add(struct campaign *c, const char *file, unsigned target,
		  enum engine engine)
{
	add_crash(c, file, c->targets[target], engine, campaign_time(c));
}

void findings_free(struct campaign *c)
{
	free(c->crashes);
	free(c->findings);
	c->crashes = NULL;
	c->findings = NULL;
	c->ncrashes = c->nfindings = 0;
}

static enum engine engine_of_file(const char *name)
{
	return strncmp(name, "afl-", 4) == 0 ? ENGINE_AFL : ENGINE_LIBFUZZER;
}

void findings_init(struct campaign *c)
{
	char path[CAMPAIGN_PATH], line[2 * CAMPAIGN_PATH];
	struct dirent *e;
	DIR *top;
	FILE *f;

	c->crashes = calloc(CAMPAIGN_MAX_CRASHES, sizeof(*c->crashes));
	c->findings = calloc(CAMPAIGN_MAX_FINDINGS, sizeof(*c->findings));
	if (c->crashes == NULL || c->findings == NULL)
		die("out of memory");
	/* What earlier sessions replayed ... */
	f = fopen(cpath(c, path, "crashes.tsv"), "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char *field[5], *save = NULL, full[CAMPAIGN_PATH];
		unsigned k;
		int ti;
		struct crash *cr;

		/* A line cut by a kill has no newline: it is replayed again. */
		if (line[0] == '#' || strchr(line, '\n') == NULL)
			continue;
		line[strcspn(line, "\n")] = 0;
		for (k = 0; k < 5; k++)
			if ((field[k] = strtok_r(k ? NULL : line, "\t", &save)) == NULL)
				break;
		if (k < 5 || (ti = target_index(field[1])) < 0)
			continue;
		cpath(c, full, "%s", field[4]);
		if (access(full, R_OK) != 0)
			continue;
		cr = add_crash(c, full, harness_target_name((unsigned)ti),
			       strcmp(field[2], "afl") == 0 ? ENGINE_AFL : ENGINE_LIBFUZZER,
			       atof(field[0]));
		if (cr != NULL) {
			cr->done = true;
			record(c, cr, field[3], false);
		}
	}
	if (f != NULL)
		fclose(f);
	/* ... and what they copied but did not get to replay. */
	top = opendir(cpath(c, path, "crashes"));
	while (top != NULL && (e = readdir(top)) != NULL) {
		int ti = target_index(e->d_name);
		char sub[CAMPAIGN_PATH];
		struct dirent *g;
		DIR *d;

		if (ti < 0 || strncmp(e->d_name, "fuzz_", 5) != 0)
			continue;
		d = opendir(cpath(c, sub, "crashes/%s", e->d_name));
		while (d != NULL && (g = readdir(d)) != NULL) {
			char file[CAMPAIGN_PATH];

			if (g->d_name[0] == '.')
				continue;
			cpath(c, file, "crashes/%s/%s", e->d_name, g->d_name);
			add_crash(c, file, harness_target_name((unsigned)ti),
				  engine_of_file(g->d_name), c->elapsed_before);
		}
		if (d != NULL)
			closedir(d);
	}
	if (top != NULL)
		closedir(top);
	write_findings_tsv(c);
}

static void unreproduced_sig(const struct crash *cr, char *sig, size_t cap)
{
	const char *name = strrchr(cr->file, '/');
	const char *kind;

	name = name ? name + 1 : cr->file;
	if (strncmp(name, "afl-", 4) == 0)
		name += 4;
	kind = strncmp(name, "crash-", 6) == 0 ? "crash"
	     : strncmp(name, "timeout-", 8) == 0 ? "timeout"
	     : strncmp(name, "oom-", 4) == 0 ? "oom"
	     : strncmp(name, "leak-", 5) == 0 ? "leak"
	     : strncmp(name, "hang-", 5) == 0 ? "hang" : "file";
	snprintf(sig, cap, UNREPRODUCED ":%s-%s", engine_name(cr->engine), kind);
}

/* The signature of a finished replay from its output and exit status. */
static void replay_signature(const struct crash *cr, int status, bool timed_out,
			     char *sig, size_t cap)
{
	char err[256], prefix[CAMPAIGN_PATH + 2];
	const char *line;
	struct buf b;

	if (timed_out) {
		snprintf(sig, cap, "hang:timeout-%us", REPLAY_TIMEOUT_S);
		return;
	}
	if (!read_file(child_log, &b, err, sizeof(err))) {
		snprintf(sig, cap, "crash:replay-output-lost");
		return;
	}
	snprintf(prefix, sizeof(prefix), "%s: ", cr->file);
	line = strstr((const char *)b.data, prefix);
	if (line != NULL) {
		const char *v = line + strlen(prefix);
		size_t len = strcspn(v, " \n");

		if (strncmp(v, "finding:", 8) == 0)
			snprintf(sig, cap, "%.*s", (int)(len - 8), v + 8);
		else
			unreproduced_sig(cr, sig, cap);
	} else {
		/* The replay died: the sanitizer (or the signal) names it. */
		sandbox_signature((const char *)b.data, status, sig, cap);
	}
	free(b.data);
}

static void append_crash_row(const struct campaign *c, const struct crash *cr,
			     const char *sig)
{
	char path[CAMPAIGN_PATH], row[2 * CAMPAIGN_PATH];
	int fd = open(cpath(c, path, "crashes.tsv"), O_WRONLY | O_CREAT | O_APPEND, 0644);
	int n;

	if (fd < 0)
		return;
	if (lseek(fd, 0, SEEK_END) == 0)
		dprintf(fd, "# t_s\ttarget\tengine\tsignature\tfile\n");
	n = snprintf(row, sizeof(row), "%.1f\t%s\t%s\t%s\t%s\n", cr->found_s, cr->target,
		     engine_name(cr->engine), sig, rel(c, cr->file));
	/* One write: a kill leaves whole lines, or one cut last line. */
	if (write(fd, row, (size_t)n) != n)
		complain("fuzz: cannot append to %s", path);
	close(fd);
}

static pid_t spawn_cli(char **argv)
{
	unlink(child_log);
	return proc_spawn(argv, NULL, NULL, child_log);
}

static void start_replay(struct campaign *c, unsigned i)
{
	char *argv[] = { c->replay_cli, "replay", "--raw", "--no-fork", "--target",
			 (char *)c->crashes[i].target, c->crashes[i].file, NULL };

	cpath(c, child_log, "tmp/replay.log");
	child = spawn_cli(argv);
	child_crash = (int)i;
	child_finding = -1;
	child_abandoned = false;
	child_deadline = now_s() + REPLAY_TIMEOUT_S;
}

bool findings_child(struct campaign *c, pid_t pid, int status)
{
	if (pid != child || pid <= 0)
		return false;
	child = 0;
	if (child_abandoned) {
		/* Left for the next session (a replay) or undone (minimising). */
		child_abandoned = false;
		child_crash = child_finding = -1;
		return true;
	}
	if (child_crash >= 0) {
		struct crash *cr = &c->crashes[child_crash];
		char sig[200];
		bool timed_out = child_deadline < 0;

		replay_signature(cr, status, timed_out, sig, sizeof(sig));
		cr->done = true;
		append_crash_row(c, cr, sig);
		record(c, cr, sig, true);
		write_findings_tsv(c);
		child_crash = -1;
	} else if (child_finding >= 0) {
		struct finding *f = &c->findings[child_finding];
		char err[256];
		struct buf b;
		const char *p;

		/* "<file>: <sig>: 37 -> 4 op(s) in 120 run(s); wrote ..." */
		if (read_file(child_log, &b, err, sizeof(err))) {
			if ((p = strstr((const char *)b.data, " -> ")) != NULL)
				f->min_ops = (unsigned)strtoul(p + 4, NULL, 10);
			free(b.data);
		}
		child_finding = -1;
		write_findings_tsv(c);
	}
	return true;
}

/* A replay or minimisation past its time is killed. */
static void check_deadline(void)
{
	if (child > 0 && child_deadline > 0 && now_s() > child_deadline) {
		proc_signal(child, SIGKILL);
		child_deadline = -1;	/* marks the timeout for the verdict */
	}
}

void findings_tick(struct campaign *c)
{
	unsigned i;

	check_deadline();
	if (child > 0)
		return;
	for (i = 0; i < c->ncrashes; i++) {
		if (!c->crashes[i].done) {
			start_replay(c, i);
			return;
		}
	}
}

static void wait_child(struct campaign *c, double limit)
{
	int stops = campaign_stop_requests();

	while (child > 0) {
		int status;
		pid_t pid = waitpid(child, &status, WNOHANG);

		if (pid == child) {
			findings_child(c, pid, status);
			break;
		}
		if (pid < 0 && errno != EINTR) {
			child = 0;
			break;
		}
		if ((now_s() > limit || campaign_stop_requests() > stops) && !child_abandoned) {
			proc_signal(child, SIGKILL);	/* out of time */
			child_abandoned = true;
		}
		check_deadline();
		usleep(CHILD_POLL_US);
	}
}

void findings_drain(struct campaign *c, double limit_s)
{
	double limit = now_s() + limit_s;
	int stops = campaign_stop_requests();
	unsigned i;

	wait_child(c, limit);
	for (i = 0; i < c->ncrashes && now_s() < limit &&
		    campaign_stop_requests() == stops; i++) {
		if (c->crashes[i].done)
			continue;
		start_replay(c, i);
		wait_child(c, limit);
	}
}

void findings_minimize(struct campaign *c, double limit_s)
{
	double limit = now_s() + limit_s;
	int stops = campaign_stop_requests();
	unsigned i;

	wait_child(c, limit);
	for (i = 0; i < c->nfindings && now_s() < limit &&
		    campaign_stop_requests() == stops; i++) {
		struct finding *f = &c->findings[i];
		char out[CAMPAIGN_PATH], text[CAMPAIGN_PATH];
		char *argv[] = { c->replay_cli, "minimize", "--raw", "--target",
				 (char *)f->first_target, "--timeout", MINIMIZE_TRIAL_S,
				 "-o", out, "--text", text, f->example, NULL };

		finding_min_path(c, f, "smfz", out);
		finding_min_path(c, f, "txt", text);
		if (!finding_real(f) || f->example[0] == 0 || access(out, F_OK) == 0)
			continue;
		/* The example's own target decides how it is replayed. */
		for (unsigned k = 0; k < c->ncrashes; k++)
			if (strcmp(c->crashes[k].file, f->example) == 0)
				argv[4] = (char *)c->crashes[k].target;
		cpath(c, child_log, "tmp/minimize.log");
		child = spawn_cli(argv);
		child_crash = -1;
		child_finding = (int)i;
		child_abandoned = false;
		child_deadline = now_s() + MINIMIZE_TIMEOUT_S;
		wait_child(c, limit);
	}
}

void findings_kill(struct campaign *c)
{
	int status;

	if (child > 0) {
		proc_signal(child, SIGKILL);
		child_abandoned = true;
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
		findings_child(c, child, status);
	}
}
