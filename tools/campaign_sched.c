// SPDX-License-Identifier: MIT
/*
 * Which workers run. With no more workers than jobs, all of them, all the
 * time. With more (2 cores, 6 targets, 2 engines: 12 workers), round-robin
 * time slices: every slice the next `jobs` workers of the ring run and the
 * others are stopped (SIGSTOP, so they keep their state; nothing restarts),
 * which gives every target and engine an equal share of the cores for the
 * whole campaign. libFuzzer measures its per-input timeout in wall time, so
 * its -timeout is raised by the longest pause (campaign_lf.c). An AFL++
 * worker pauses only afl-fuzz: its target finishes the input it has and
 * waits, and afl-fuzz finds the answer ready when it goes on.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign.h"

#define SLICE_S			5.0	/* round-robin time slice */
#define QUICK_EXIT_S		5.0	/* an exit this soon after start ... */
#define QUICK_EXITS_MAX		3	/* ... this often in a row: give up */
/* The engines' own clean exit on SIGINT. afl-fuzz only sets a flag in its
 * handler; libFuzzer's prints and cleans up in it and can deadlock when the
 * signal lands inside malloc (seen: 15 s, then SIGKILL), and has nothing to
 * save that it has not written already. */
#define STOP_GRACE_AFL_S	15.0
#define STOP_GRACE_LF_S		3.0
#define REAP_POLL_US		100000

void worker_account(struct worker *w, double now)
{
	if (w->state == WORKER_RUNNING) {
		w->run_s += now - w->resumed;
		w->resumed = now;
	}
}

static bool slicing(const struct campaign *c)
{
	return c->nworkers > c->jobs;
}

void sched_init(struct campaign *c)
{
	c->slice_s = SLICE_S;
	c->ring = 0;
	c->slice_end = 0;
}

/* The longest a worker waits between two slices (the engines' timeouts
 * must allow for it). */
double sched_max_pause(const struct campaign *c)
{
	unsigned rounds;

	if (!slicing(c))
		return 0;
	rounds = (c->nworkers + c->jobs - 1) / c->jobs;
	return (rounds - 1) * c->slice_s + c->slice_s;	/* one slice of slack */
}

static void worker_start(struct campaign *c, struct worker *w, double now)
{
	const struct unit *u = &c->units[w->unit];

	w->pid = u->engine == ENGINE_AFL ? afl_start(c, w) : lf_start(c, w);
	w->state = WORKER_RUNNING;
	w->started = w->resumed = now;
}

static void worker_pause(struct worker *w, double now)
{
	worker_account(w, now);
	proc_signal(w->pid, SIGSTOP);
	w->state = WORKER_PAUSED;
}

static void worker_resume(struct worker *w, double now)
{
	proc_signal(w->pid, SIGCONT);
	w->state = WORKER_RUNNING;
	w->resumed = now;
}

static void run_worker(struct campaign *c, struct worker *w, double now)
{
	if (w->state == WORKER_IDLE)
		worker_start(c, w, now);
	else if (w->state == WORKER_PAUSED)
		worker_resume(w, now);
}

static unsigned alive(const struct campaign *c)
{
	unsigned i, n = 0;

	for (i = 0; i < c->nworkers; i++)
		n += c->workers[i].state != WORKER_FAILED;
	return n;
}

void sched_tick(struct campaign *c, double now)
{
	unsigned i, picked = 0, tried;

	if (alive(c) <= c->jobs) {
		for (i = 0; i < c->nworkers; i++)
			run_worker(c, &c->workers[i], now);
		return;
	}
	if (now < c->slice_end) {
		/* A worker of this slice that exited (libFuzzer stops at
		 * its first crash) starts again at once. */
		for (i = 0; i < c->nworkers; i++)
			if (c->workers[i].state == WORKER_IDLE && c->workers[i].scheduled)
				run_worker(c, &c->workers[i], now);
		return;
	}
	for (i = 0; i < c->nworkers; i++) {
		c->workers[i].scheduled = false;
		if (c->workers[i].state == WORKER_RUNNING)
			worker_pause(&c->workers[i], now);
	}
	for (tried = 0; tried < c->nworkers && picked < c->jobs; tried++) {
		struct worker *w = &c->workers[c->ring];

		c->ring = (c->ring + 1) % c->nworkers;
		if (w->state == WORKER_FAILED)
			continue;
		run_worker(c, w, now);
		w->scheduled = true;
		picked++;
	}
	c->slice_end = now + c->slice_s;
}

/* The last line of a log that says something (why a worker gave up). */
static void last_words(const char *log, char *out, size_t cap)
{
	char line[512];
	FILE *f = fopen(log, "r");

	snprintf(out, cap, "see %s", log);
	if (f == NULL)
		return;
	if (fseek(f, -4096, SEEK_END) != 0)
		rewind(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line, *q;

		/* AFL++ colours its messages: drop the escapes. */
		for (q = line; *q; q++) {
			if (*q == '\033') {
				while (*q && *q != 'm')
					q++;
				if (!*q)
					break;
				continue;
			}
			*p++ = *q;
		}
		*p = 0;
		line[strcspn(line, "\n")] = 0;
		if (strstr(line, "ERROR") || strstr(line, "ABORT") ||
		    strstr(line, "cannot") || strstr(line, "Location"))
			snprintf(out, cap, "%.*s (%s)", 120, line, log);
	}
	fclose(f);
}

void sched_exited(struct campaign *c, struct worker *w, int status, double now)
{
	const struct unit *u = &c->units[w->unit];
	bool found = false;

	worker_account(w, now);
	w->state = WORKER_IDLE;
	w->pid = 0;
	if (u->engine == ENGINE_AFL)
		afl_poll(c, w, true);
	else
		found = lf_collect(c, w) > 0;
	/* libFuzzer stops at every crash: a quick exit with a new crash file
	 * is a shallow bug, not a worker that cannot start. */
	if (now - w->started < QUICK_EXIT_S && !c->stopping && !found)
		w->quick_exits++;
	else
		w->quick_exits = 0;
	if (w->quick_exits >= QUICK_EXITS_MAX) {
		w->state = WORKER_FAILED;
		last_words(w->log, w->why, sizeof(w->why));
		status_event(c, "%s under %s gave up (exit status %d): %s",
			     c->targets[u->target], engine_name(u->engine),
			     WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
			     w->why);
	}
}

static struct worker *worker_by_pid(struct campaign *c, pid_t pid)
{
	unsigned i;

	for (i = 0; i < c->nworkers; i++)
		if (c->workers[i].pid == pid && c->workers[i].state != WORKER_IDLE)
			return &c->workers[i];
	return NULL;
}

unsigned sched_reap(struct campaign *c, double now)
{
	struct rusage ru;
	unsigned n = 0;
	int status;
	pid_t pid;

	while ((pid = wait4(-1, &status, WNOHANG, &ru)) > 0) {
		struct worker *w = worker_by_pid(c, pid);

		n++;
		if (w != NULL) {
			/* Its whole life and what it reaped of its children, or
			 * the tree last seen if more (afl-fuzz need not reap
			 * its forkserver before it exits). */
			double ran = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
				     (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;

			w->cpu_done += ran > w->cpu_live ? ran : w->cpu_live;
			w->cpu_live = 0;
			sched_exited(c, w, status, now);
		} else {
			findings_child(c, pid, status);
		}
	}
	return n;
}

static unsigned running(const struct campaign *c)
{
	unsigned i, n = 0;

	for (i = 0; i < c->nworkers; i++)
		n += c->workers[i].state == WORKER_RUNNING ||
		     c->workers[i].state == WORKER_PAUSED;
	return n;
}

void sched_stop_all(struct campaign *c, volatile int *stop_requests)
{
	double start = now_s();
	int seen = *stop_requests;
	bool mercy = true;
	unsigned i;

	c->stopping = true;
	/* libFuzzer prints its final figures and exits on SIGINT, afl-fuzz
	 * writes its stats and stops its forkserver; a stopped process
	 * handles it once continued. */
	for (i = 0; i < c->nworkers; i++) {
		struct worker *w = &c->workers[i];

		if (w->state != WORKER_RUNNING && w->state != WORKER_PAUSED)
			continue;
		worker_account(w, now_s());
		proc_signal(w->pid, SIGINT);
		proc_signal(w->pid, SIGCONT);
		w->state = WORKER_RUNNING;
		w->resumed = now_s();
	}
	while (running(c) > 0) {
		double waited = now_s() - start;

		/* Out of patience, or a second Ctrl-C: no mercy. */
		if (*stop_requests > seen)
			mercy = false;
		for (i = 0; i < c->nworkers; i++) {
			struct worker *w = &c->workers[i];
			double grace = c->units[w->unit].engine == ENGINE_AFL ? STOP_GRACE_AFL_S
									      : STOP_GRACE_LF_S;

			if (w->state == WORKER_RUNNING && (!mercy || waited > grace))
				proc_signal(w->pid, SIGKILL);
		}
		if (sched_reap(c, now_s()) == 0)
			usleep(REAP_POLL_US);
	}
}
