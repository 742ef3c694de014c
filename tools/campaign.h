/* SPDX-License-Identifier: MIT */
/*
 * A campaign (`smmufuzz fuzz`): every target under one or both engines,
 * sharing the cores for the whole run, in a campaign directory that holds
 * everything it found and can be resumed. docs/user-guide.md describes the
 * directory ("The campaign directory"); this header is the in-memory side.
 *
 *   cmd_fuzz.c          options, setup, the main loop, shutdown
 *   campaign_dir.c      the directory: layout, campaign.conf, lock, atomic copies
 *   campaign_proc.c     engine processes: spawn (own group, parent-death), signals
 *   campaign_sched.c    which workers run: all, or round-robin time slices
 *   campaign_lf.c       libFuzzer workers: command line, log, artifacts
 *   campaign_afl.c      AFL++ workers: command line, stats, queue mirror, crashes
 *   campaign_findings.c crash files -> sanitizer replay -> signatures, minimising
 *   campaign_status.c   live status, plain lines, series.tsv
 *   campaign_report.c   summary.md
 *   campaign_opts.c     durations, <target>.options
 */
#ifndef SMMUFUZZ_CAMPAIGN_H
#define SMMUFUZZ_CAMPAIGN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cli.h"

#define CAMPAIGN_PATH		4096
#define CAMPAIGN_MAX_TARGETS	16
#define CAMPAIGN_MAX_UNITS	(CAMPAIGN_MAX_TARGETS * ENGINE_COUNT)
#define CAMPAIGN_MAX_WORKERS	256
#define CAMPAIGN_FORMAT		1	/* of campaign.conf */

enum engine {
	ENGINE_LIBFUZZER = 0,
	ENGINE_AFL = 1,
	ENGINE_COUNT = 2,
};
#define ENGINE_BIT(e)	(1U << (e))

const char *engine_name(enum engine e);		/* "libfuzzer", "afl" */
bool engine_parse(const char *s, unsigned *mask);	/* libfuzzer|afl|both */

enum worker_state {
	WORKER_IDLE = 0,	/* not started yet, or exited: may start */
	WORKER_RUNNING,
	WORKER_PAUSED,		/* SIGSTOPped: its time slice is over */
	WORKER_FAILED,		/* exits at once, again and again: given up */
};

/* One target under one engine: what the status line and summary show. */
struct unit_stats {
	uint64_t execs;		/* executions, all sessions */
	double run_s;		/* core-seconds its workers ran, all sessions */
	double cpu_s;		/* CPU-seconds its processes used, all sessions */
	unsigned cov;		/* libFuzzer "cov", AFL++ edges_found */
	unsigned ft;		/* libFuzzer features (AFL++: 0) */
	unsigned corpus;	/* libFuzzer "corp", AFL++ queue entries */
	double stability;	/* AFL++ percent; < 0 unknown */
};

struct unit {
	unsigned target;		/* index into campaign.targets */
	enum engine engine;
	struct unit_stats base;		/* earlier sessions (campaign.conf) */
	struct unit_stats now;		/* everything so far */
	double eps;			/* recent exec/s, all its workers */
	unsigned first_worker, nworkers;
	char bin[CAMPAIGN_PATH];	/* the fuzz target */
	char cmplog[CAMPAIGN_PATH];	/* AFL++ CMPLOG build, or "" */
};

struct worker {
	unsigned unit;
	unsigned index;			/* in its unit; 0 is AFL++'s main */
	enum worker_state state;
	pid_t pid;			/* leader of its own process group */
	double started;			/* monotonic time of the last start */
	double resumed;			/* ... of the last start or SIGCONT */
	double run_s;			/* running time, this session */
	double cpu_done;		/* CPU time of its exited processes */
	double cpu_live;		/* ... of its live process tree, last seen */
	unsigned quick_exits;		/* exits soon after starting, in a row */
	bool scheduled;			/* in the current time slice */
	const volatile uint64_t *counter; /* exec counter (exec_counter.h) */
	uint64_t execs;			/* this session */
	uint64_t mark_execs;		/* for the recent rate */
	double mark_run_s;
	char dir[CAMPAIGN_PATH];	/* work dir (libFuzzer) / instance (AFL++) */
	char log[CAMPAIGN_PATH];
	long log_off;			/* libFuzzer log parsed up to here */
	unsigned cov, ft, corpus;
	double stability;
	unsigned long queue_seen;	/* AFL++: queue ids below this are mirrored */
	char why[200];			/* last words of a failed worker */
};

/* A distinct signature: one finding, however many files show it. */
struct finding {
	char sig[200];
	uint32_t seen[ENGINE_COUNT];	/* bit per harness target index */
	const char *first_target;
	enum engine first_engine;
	double first_s;			/* campaign time of its first file */
	unsigned files;
	char example[CAMPAIGN_PATH];	/* smallest file with this signature */
	uint64_t example_size;
	unsigned min_ops;		/* ops of the minimised repro, 0 if none */
};

/* A crash, timeout or hang file in crashes/<target>/. */
struct crash {
	char file[CAMPAIGN_PATH];
	const char *target;
	enum engine engine;
	double found_s;			/* campaign time it was collected */
	bool done;			/* replayed, its signature recorded */
};

#define CAMPAIGN_MAX_CRASHES	4096
#define CAMPAIGN_MAX_FINDINGS	512

/* A unit's figures as campaign.conf keeps them between sessions. */
struct saved_unit {
	char target[64];
	enum engine engine;
	struct unit_stats st;
};

struct campaign {
	char dir[CAMPAIGN_PATH];
	char name[64];
	const char *targets[CAMPAIGN_MAX_TARGETS];
	unsigned nt;
	unsigned engines;		/* ENGINE_BIT()s */
	unsigned jobs;
	double budget_s;		/* total asked for, all sessions */
	double session_s;		/* this session's share */
	double elapsed_before;		/* campaign time of earlier sessions */
	double t0;			/* monotonic start of this session */
	unsigned session;		/* 1 for a new campaign */
	double slice_s;			/* time slice when workers > jobs */
	bool tty;
	bool interrupted;		/* SIGINT or SIGTERM */
	bool stopping;			/* engines are being stopped */
	const char *mutator_mode;	/* structure-aware mutator: on, only, off */
	unsigned world_cache;		/* booted worlds each target process keeps
					 * (SMMUFUZZ_WORLD_CACHE): all fit in memory */
	/* Many machines (AFL++): afl-fuzz's sync directories are
	 * <sync_dir>/<target>/ instead of afl/<target>/, shared with the
	 * campaigns of other machines; only the "main" role runs -M main. */
	char sync_dir[CAMPAIGN_PATH];	/* "" : this campaign's afl/ */
	bool secondary;			/* --role secondary */
	char machine[64];		/* names this machine's instances */
	int lock_fd;

	char lf_bin[CAMPAIGN_PATH];	/* directories of the fuzz targets */
	char afl_bin[CAMPAIGN_PATH];
	char cmplog_bin[CAMPAIGN_PATH];
	char seeds[CAMPAIGN_PATH];	/* <build>/corpus/seeds */
	char replay_cli[CAMPAIGN_PATH];	/* smmufuzz that replays crash files */
	bool replay_sanitized;
	char mutator[CAMPAIGN_PATH];	/* AFL++ custom mutator library, or "" */

	struct unit units[CAMPAIGN_MAX_UNITS];
	unsigned nunits;
	struct worker workers[CAMPAIGN_MAX_WORKERS];
	unsigned nworkers;
	unsigned ring;			/* next worker to get a slice */
	double slice_end;
	unsigned timeout_s;		/* per-input timeout the engines use */

	struct saved_unit saved[CAMPAIGN_MAX_UNITS];
	unsigned nsaved;

	struct crash *crashes;		/* CAMPAIGN_MAX_CRASHES */
	unsigned ncrashes;
	struct finding *findings;	/* CAMPAIGN_MAX_FINDINGS */
	unsigned nfindings;
};

/* Ctrl-C / SIGTERM so far (cmd_fuzz.c): waits give up when it grows. */
int campaign_stop_requests(void);

/* ---- campaign_opts.c ---- */
/* "600", "600s", "10m", "1h", "1h30m" -> seconds; false if malformed. */
bool parse_duration(const char *s, double *seconds);
/* 754 -> "12:34", 4000 -> "1:06:40". */
void format_duration(double s, char *buf, size_t cap);

#define TARGET_OPTS_MAX	16
struct target_options {
	unsigned n;
	char key[TARGET_OPTS_MAX][32];
	char val[TARGET_OPTS_MAX][CAMPAIGN_PATH];
};
/* The [libfuzzer] section of fuzzers/<target>.options (OSS-Fuzz layout),
 * plus dict = fuzzers/<target>.dict when that file exists and the options
 * name none; a relative dict path is made absolute. */
void target_options_load(const char *fuzzers_dir, const char *target,
			 struct target_options *o);
const char *target_option(const struct target_options *o, const char *key);

/* ---- campaign_dir.c ---- */
void mkdirs(const char *path);
/* printf into @buf the path <campaign dir>/<fmt...>. */
const char *cpath(const struct campaign *c, char *buf, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A new campaign directory: @out, or reports/<stamp>[-N]. */
void campaign_create(struct campaign *c, const char *out);
/* The campaign.conf of @dir into @c; false with a one-line reason. */
bool campaign_load(struct campaign *c, const char *dir, char *err, size_t cap);
/* Write campaign.conf (atomically). */
void campaign_save(const struct campaign *c);
/* Only one process per campaign directory (released when it dies). */
void campaign_lock(struct campaign *c);
/* Copy @src to @dir/@prefix<hash of the content>, atomically (temp file
 * in tmp/, then rename). @out gets the destination; false if it already
 * existed (same content) or @src could not be read. */
bool copy_by_content(const struct campaign *c, const char *src, const char *dir,
		     const char *prefix, char *out, size_t cap);
/* The same to a given name; false if @out exists or @src is unreadable. */
bool copy_named(const struct campaign *c, const char *src, const char *out);
/* Campaign time now (earlier sessions + this one). */
double campaign_time(const struct campaign *c);

/* ---- campaign_proc.c ---- */
/* Start @argv (with @env added: NAME=VALUE strings, NULL-terminated) in a
 * process group of its own that dies with us, output appended to @log. */
pid_t proc_spawn(char *const argv[], char *const env[], const char *cwd,
		 const char *log);
void proc_signal(pid_t pid, int sig);	/* to its whole group */
/*
 * Booted worlds each of @procs target processes may keep, so that all of
 * them together stay within half the memory the machine has available
 * (a world costs up to WORLD_RSS_BYTES resident). 16..256.
 */
unsigned world_cache_for(unsigned procs);

/* CPU seconds of the live processes under @roots[i] (each included), from
 * one pass over /proc: AFL++'s forkserver and its children sit in sessions
 * of their own but are still descendants. */
void proc_tree_cpu(const pid_t *roots, double *cpu, unsigned n);

/* ---- campaign_sched.c ---- */
void sched_init(struct campaign *c);
void sched_tick(struct campaign *c, double now);
void sched_exited(struct campaign *c, struct worker *w, int status, double now);
/* Reap exited children (workers, replays); returns how many. */
unsigned sched_reap(struct campaign *c, double now);
double sched_max_pause(const struct campaign *c);
void sched_stop_all(struct campaign *c, volatile int *stop_requests);
void worker_account(struct worker *w, double now);	/* fold running time in */

/* ---- campaign_lf.c / campaign_afl.c ---- */
pid_t lf_start(struct campaign *c, struct worker *w);
void lf_poll(struct campaign *c, struct worker *w);
/* Returns how many of the artifacts were new to the campaign. */
unsigned lf_collect(struct campaign *c, struct worker *w);
pid_t afl_start(struct campaign *c, struct worker *w);
void afl_poll(struct campaign *c, struct worker *w, bool final);
const volatile uint64_t *counter_map(const char *path);
/* afl-fuzz's -o for @target: afl/<target> or <sync dir>/<target>. */
const char *afl_sync_path(const struct campaign *c, const char *target, char *buf);
/* The instance name of @w: main, s<N>, or <machine>-s<N> over a shared
 * sync directory. */
void afl_instance_name(const struct campaign *c, const struct worker *w, char *buf,
		       size_t cap);

/* ---- campaign_findings.c ---- */
void findings_init(struct campaign *c);	/* load crashes.tsv (resume) */
void findings_free(struct campaign *c);
/* A crash file of @target now in crashes/<target>/: queue its replay. */
void findings_add(struct campaign *c, const char *file, unsigned target,
		  enum engine engine);
/* Where a finding's minimised repro goes: findings/<slug>.smfz (and .txt). */
const char *finding_min_path(const struct campaign *c, const struct finding *f,
			     const char *ext, char *buf);
void findings_tick(struct campaign *c);		/* run replays, one at a time */
void findings_drain(struct campaign *c, double limit_s);
void findings_minimize(struct campaign *c, double limit_s);
bool findings_child(struct campaign *c, pid_t pid, int status);
void findings_kill(struct campaign *c);
/* Distinct signatures (findings proper: not "unreproduced") that
 * @target (NULL: any) showed under the engines of @engines, of class @cls
 * (NULL: any). */
unsigned findings_count(const struct campaign *c, const char *target,
			unsigned engines, const char *cls);
bool finding_real(const struct finding *f);
/* "isolation:ste-field-s2" -> "isolation". */
void finding_class(const char *sig, char *cls, size_t cap);
/* The classes of the distinct findings, "oracle 2, hang 1", into @buf. */
void findings_by_class(const struct campaign *c, const char *target,
		       unsigned engines, char *buf, size_t cap);

/* ---- campaign_status.c ---- */
void status_update(struct campaign *c, double now, bool force);
void series_sample(struct campaign *c, double now, bool force);
void status_final(struct campaign *c);
/* A line for the user (a new finding): above the live status. */
void status_event(struct campaign *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- campaign_report.c ---- */
void report_write(const struct campaign *c);

#endif /* SMMUFUZZ_CAMPAIGN_H */
