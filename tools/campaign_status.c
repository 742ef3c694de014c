// SPDX-License-Identifier: MIT
/*
 * What a campaign shows while it runs, and the time series it records.
 *
 * On a terminal: a block of lines redrawn in place every second, one per
 * target and engine (exec/s, executions, coverage, corpus, findings by
 * class, state) under a header with elapsed / remaining time and the
 * distinct findings; new findings are printed above it as they come. Not
 * on a terminal: the same figures as plain lines, every status interval.
 *
 * series.tsv gets one row per target and engine every sample interval
 * (docs/user-guide.md gives the columns): the input of later plots.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "campaign.h"

#define TTY_REFRESH_S		1.0
#define PLAIN_MIN_S		10.0	/* plain status lines: every 1/20 of */
#define PLAIN_MAX_S		60.0	/* the session, within these bounds */
#define SAMPLE_MIN_S		5.0	/* series.tsv: ~200 samples a session */
#define SAMPLE_MAX_S		300.0
#define SAMPLES_PER_SESSION	200.0
#define ANSI_UP			"\033[%uA"
#define ANSI_CLEAR_DOWN		"\033[J"

static unsigned drawn;		/* lines of the block on screen */
static unsigned cols;		/* terminal width: longer lines would wrap */
static double last_status, last_sample;

/* Per unit: the figures at the previous sample (series.tsv rates). */
static struct {
	uint64_t execs;
	double run_s, cpu_s, t;
} prev[CAMPAIGN_MAX_UNITS];

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Fold the workers' figures into their units. */
static void units_refresh(struct campaign *c, double now)
{
	unsigned i, k;

	for (i = 0; i < c->nunits; i++) {
		struct unit *u = &c->units[i];
		uint64_t execs = u->base.execs;
		double run_s = u->base.run_s, cpu_s = u->base.cpu_s, eps = 0;
		bool measured = false;

		u->now = u->base;
		for (k = u->first_worker; k < u->first_worker + u->nworkers; k++) {
			const struct worker *w = &c->workers[k];
			double ran = w->run_s;

			if (w->state == WORKER_RUNNING)
				ran += now - w->resumed;
			execs += w->execs;
			run_s += ran;
			cpu_s += w->cpu_done + w->cpu_live;
			if (w->cov > u->now.cov)
				u->now.cov = w->cov;
			if (w->ft > u->now.ft)
				u->now.ft = w->ft;
			if (w->corpus > u->now.corpus)
				u->now.corpus = w->corpus;
			if (w->stability > 0 &&
			    (u->now.stability <= 0 || w->stability < u->now.stability))
				u->now.stability = w->stability;
			if (ran > w->mark_run_s + 0.5) {
				eps += (double)(w->execs - w->mark_execs) / (ran - w->mark_run_s);
				measured = true;
			}
		}
		u->now.execs = execs;
		u->now.run_s = run_s;
		u->now.cpu_s = cpu_s;
		/* A paused unit shows the rate it had while it ran. */
		if (measured)
			u->eps = eps;
	}
}

/* Start the next rate window of every running worker. */
static void mark_rates(struct campaign *c, double now)
{
	unsigned k;

	for (k = 0; k < c->nworkers; k++) {
		struct worker *w = &c->workers[k];

		w->mark_execs = w->execs;
		w->mark_run_s = w->run_s + (w->state == WORKER_RUNNING ? now - w->resumed : 0);
	}
}

static void human(double v, char *buf, size_t cap)
{
	if (v >= 1e9)
		snprintf(buf, cap, "%.2fG", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, cap, "%.2fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(buf, cap, "%.1fk", v / 1e3);
	else
		snprintf(buf, cap, "%.0f", v);
}

/* "running", "paused", "waiting" or "failed"; with several workers and
 * @counts, "2/3 running". */
static void unit_state(const struct campaign *c, const struct unit *u, bool counts,
		       char *buf, size_t cap)
{
	unsigned k, run = 0, paused = 0, failed = 0;

	for (k = u->first_worker; k < u->first_worker + u->nworkers; k++) {
		run += c->workers[k].state == WORKER_RUNNING;
		paused += c->workers[k].state == WORKER_PAUSED;
		failed += c->workers[k].state == WORKER_FAILED;
	}
	if (failed == u->nworkers)
		snprintf(buf, cap, "failed");
	else if (u->nworkers > 1 && counts)
		snprintf(buf, cap, "%u/%u running", run, u->nworkers);
	else
		snprintf(buf, cap, "%s", run ? "running" : paused ? "paused" : "waiting");
}

static void header(const struct campaign *c, char *buf, size_t cap)
{
	char el[32], tot[32], cls[256];

	format_duration(campaign_time(c), el, sizeof(el));
	format_duration(c->budget_s, tot, sizeof(tot));
	findings_by_class(c, NULL, ~0U, cls, sizeof(cls));
	snprintf(buf, cap, "smmufuzz fuzz %s: %s / %s, %u job(s), %u worker(s)%s; "
		 "findings: %u%s%s%s", c->name, el, tot, c->jobs, c->nworkers,
		 c->nworkers > c->jobs ? " in time slices" : "",
		 findings_count(c, NULL, ~0U, NULL), cls[0] ? " (" : "", cls,
		 cls[0] ? ")" : "");
}

/* One line of the block, cut to the terminal's width so that it never
 * wraps (the redraw counts lines). */
static void tty_line(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (cols > 1 && strlen(line) >= cols)
		line[cols - 1] = 0;
	printf("%s\n", line);
}

static void draw_tty(struct campaign *c)
{
	struct winsize ws;
	char line[512];
	unsigned i;

	cols = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
	if (drawn > 0)
		printf(ANSI_UP "\r" ANSI_CLEAR_DOWN, drawn);
	header(c, line, sizeof(line));
	tty_line("%s", line);
	tty_line("  %-11s %-9s %9s %10s %8s %7s  %-10s %s", "target", "engine", "exec/s",
		 "executions", "coverage", "corpus", "state", "findings");
	for (i = 0; i < c->nunits; i++) {
		const struct unit *u = &c->units[i];
		char eps[32], ex[32], st[32], cls[256];

		human(u->eps, eps, sizeof(eps));
		human((double)u->now.execs, ex, sizeof(ex));
		unit_state(c, u, true, st, sizeof(st));
		findings_by_class(c, c->targets[u->target], ENGINE_BIT(u->engine), cls,
				  sizeof(cls));
		tty_line("  %-11s %-9s %9s %10s %8u %7u  %-10s %s", c->targets[u->target],
			 engine_name(u->engine), eps, ex, u->now.cov, u->now.corpus, st,
			 cls[0] ? cls : "-");
	}
	drawn = c->nunits + 2;
	fflush(stdout);
}

static void print_plain(struct campaign *c)
{
	char el[32], tot[32], line[512];
	unsigned i;

	format_duration(campaign_time(c), el, sizeof(el));
	format_duration(c->budget_s, tot, sizeof(tot));
	header(c, line, sizeof(line));
	printf("%s\n", line);
	for (i = 0; i < c->nunits; i++) {
		const struct unit *u = &c->units[i];
		char st[32], cls[256];

		unit_state(c, u, true, st, sizeof(st));
		findings_by_class(c, c->targets[u->target], ENGINE_BIT(u->engine), cls,
				  sizeof(cls));
		printf("[%s/%s] %s %s: %.0f exec/s, %llu executions, coverage %u, "
		       "corpus %u, findings %s (%s)\n", el, tot, c->targets[u->target],
		       engine_name(u->engine), u->eps, (unsigned long long)u->now.execs,
		       u->now.cov, u->now.corpus, cls[0] ? cls : "none", st);
	}
	fflush(stdout);
}

void status_update(struct campaign *c, double now, bool force)
{
	double every = c->tty ? TTY_REFRESH_S
			      : clamp(c->session_s / 20, PLAIN_MIN_S, PLAIN_MAX_S);

	if (!c->tty && last_status == 0)
		last_status = now;	/* plain lines: the first has figures */
	if (!force && now - last_status < every)
		return;
	units_refresh(c, now);
	if (c->tty)
		draw_tty(c);
	else
		print_plain(c);
	last_status = now;
	mark_rates(c, now);
}

void status_event(struct campaign *c, const char *fmt, ...)
{
	va_list ap;

	(void)c;
	if (drawn > 0) {
		printf(ANSI_UP "\r" ANSI_CLEAR_DOWN, drawn);
		drawn = 0;
	}
	fputs("smmufuzz: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	last_status = 0;	/* redraw at once */
}

static unsigned crash_files(const struct campaign *c, const char *target, enum engine e)
{
	unsigned i, n = 0;

	for (i = 0; i < c->ncrashes; i++)
		n += c->crashes[i].engine == e && strcmp(c->crashes[i].target, target) == 0;
	return n;
}

void series_sample(struct campaign *c, double now, bool force)
{
	double every = clamp(c->session_s / SAMPLES_PER_SESSION, SAMPLE_MIN_S, SAMPLE_MAX_S);
	char path[CAMPAIGN_PATH], dir[CAMPAIGN_PATH], *rows;
	size_t len = 0, cap = 512 * (c->nunits + 2);
	double t = campaign_time(c);
	unsigned i;
	int fd;

	if (!force && last_sample > 0 && now - last_sample < every)
		return;
	units_refresh(c, now);
	rows = malloc(cap);
	fd = open(cpath(c, path, "series.tsv"), O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (rows == NULL || fd < 0) {
		free(rows);
		if (fd >= 0)
			close(fd);
		return;
	}
	if (lseek(fd, 0, SEEK_END) == 0)
		len += (size_t)snprintf(rows + len, cap - len,
			"# t_s\tsession\ttarget\tengine\tstate\texecs\texec_s\texec_s_core\t"
			"exec_s_cpu\tcpu_s\tcov\tft\tcorpus\tcorpus_files\tcrash_files\t"
			"findings\n");
	for (i = 0; i < c->nunits; i++) {
		const struct unit *u = &c->units[i];
		const char *tn = c->targets[u->target];
		double dt = prev[i].t > 0 ? now - prev[i].t : 0;
		double drun = u->now.run_s - prev[i].run_s;
		double dcpu = u->now.cpu_s - prev[i].cpu_s;
		double dex = (double)(u->now.execs - prev[i].execs);
		char st[32];

		if (prev[i].t == 0) {
			/* The first sample of a session starts from its base. */
			dt = now - c->t0;
			drun = u->now.run_s - u->base.run_s;
			dcpu = u->now.cpu_s - u->base.cpu_s;
			dex = (double)(u->now.execs - u->base.execs);
		}
		unit_state(c, u, false, st, sizeof(st));
		len += (size_t)snprintf(rows + len, cap - len,
			"%.1f\t%u\t%s\t%s\t%s\t%llu\t%.0f\t%.0f\t%.0f\t%.1f\t%u\t%u\t%u\t%u\t%u\t%u\n",
			t, c->session, tn, engine_name(u->engine), st,
			(unsigned long long)u->now.execs, dt > 0 ? dex / dt : 0,
			drun > 0.1 ? dex / drun : 0, dcpu > 0.1 ? dex / dcpu : 0,
			u->now.cpu_s, u->now.cov, u->now.ft, u->now.corpus,
			count_entries(cpath(c, dir, "corpus/%s", tn)),
			crash_files(c, tn, u->engine),
			findings_count(c, tn, ENGINE_BIT(u->engine), NULL));
		prev[i].execs = u->now.execs;
		prev[i].run_s = u->now.run_s;
		prev[i].cpu_s = u->now.cpu_s;
		prev[i].t = now;
	}
	/* One write per sample: a kill leaves whole samples (or a cut last
	 * line, which readers skip). */
	if (write(fd, rows, len) != (ssize_t)len)
		complain("fuzz: cannot append to %s", path);
	close(fd);
	free(rows);
	last_sample = now;
	campaign_save(c);
}

void status_final(struct campaign *c)
{
	units_refresh(c, now_s());
	if (c->tty)
		draw_tty(c);
	drawn = 0;
}
