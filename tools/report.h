/* SPDX-License-Identifier: MIT */
/*
 * The campaign report (`smmufuzz report`, also written at the end of every
 * campaign): read from the campaign directory alone, so it can be written
 * again at any time, by any build.
 *
 *   cmd_report.c        the command: options, the order of the steps
 *   report_load.c       campaign.conf, series.tsv, findings.tsv, crashes.tsv,
 *                       AFL++'s plot_data, libFuzzer's status lines
 *   report_svg.c        line charts as SVG, drawn here (no plotting tool)
 *   report_cov.c        source coverage of core/src from the campaign's
 *                       corpus (host-cov build, llvm-cov), rejections by site
 *   report_uncovered.c  every line and branch still uncovered, with the
 *                       rule that explains it (also docs/coverage.md)
 *   report_qemu.c       the EL2 build's verdict of every finding
 *   report_html.c       report.html: one self-contained page
 *   report_md.c         report.md (plots as SVG files beside it)
 *
 * docs/user-guide.md ("The campaign report") describes what the user sees.
 */
#ifndef SMMUFUZZ_REPORT_H
#define SMMUFUZZ_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "campaign.h"

#define REPORT_PATH		CAMPAIGN_PATH
#define REPORT_MAX_FINDINGS	CAMPAIGN_MAX_FINDINGS
#define REPORT_MAX_COV_FILES	64
#define REPORT_MAX_SITES	256
#define REPORT_MAX_CURVES	64
#define SERIES_FIELDS		16

/* One row of series.tsv (docs/user-guide.md gives the columns). */
struct series_row {
	double t;
	unsigned session;
	unsigned target;		/* index into the campaign's targets */
	enum engine engine;
	uint64_t execs;
	double exec_s, exec_s_core, exec_s_cpu, cpu_s;
	unsigned cov, ft, corpus, corpus_files, crash_files, findings;
};

/* A curve of one chart: points in time order. */
struct curve {
	char label[64];
	unsigned color;			/* index into the palette */
	size_t n, cap;
	double *x, *y;
};

/* One distinct signature (findings.tsv) and what the report adds. */
struct rfinding {
	char sig[200];
	char cls[64];
	char target[64];
	char engine[16];
	double first_s;
	unsigned files;
	char example[REPORT_PATH];	/* relative to the campaign */
	char minimised[REPORT_PATH];	/* relative, or "" */
	long long min_size;		/* bytes of the minimised repro; -1 none */
	char *text;			/* its text form (findings/<..>.txt), or NULL */
	char text_rel[REPORT_PATH];	/* relative path of that text */
	char host[240];			/* the host verdict */
	char qemu[320];			/* the EL2 build's, or why there is none */
	char seen[256];			/* "fuzz_all/libfuzzer, fuzz_ste/afl" */
	bool real;			/* a finding, not "unreproduced:" */
};

struct cov_file {
	char name[64];
	unsigned lines, lines_missed, branches, branches_missed;
	unsigned funcs, funcs_missed, regions, regions_missed;
};

struct rej_site {
	char site[128];
	unsigned inputs;		/* corpus inputs whose verdict it is */
	unsigned targets;		/* bit per campaign target */
};

/* Why a line or branch is still uncovered (report_uncovered.c). */
enum uncov_kind {
	UNCOV_BUG_ON = 0,	/* an invariant's failure arm */
	UNCOV_UNREACHABLE,	/* what the core's own code never leads to */
	UNCOV_WORLD,		/* hardware or memory the simulated world never has */
	UNCOV_BOOT_ERROR,	/* a driver/probe error no world of the harness has */
	UNCOV_HOST_CANNOT,	/* a guard the harness's host cannot trigger */
	UNCOV_TEST_ONLY,	/* API only the unit tests call */
	UNCOV_ARTIFACT,		/* counted 0 by llvm-cov, yet it runs */
	UNCOV_NOT_REACHED,	/* reachable by host input: a gap in the corpus */
	UNCOV_KINDS,
};

struct uncov_item {
	char file[64];
	unsigned line;
	unsigned prev;		/* the line llvm-cov counted before it (0: none) */
	bool branch;		/* a branch arm (else a line) */
	char arm[16];		/* "true", "false" */
	unsigned col;		/* a branch's column (0: unknown) */
	char cond[80];		/* a branch's condition, from its column; "" if unknown */
	char func[64];
	char code[120];		/* the source line, trimmed */
	enum uncov_kind kind;
	const char *why;	/* the rule's reason */
};

struct coverage {
	bool have;			/* figures below are valid */
	char why_not[512];		/* when !have: one line */
	char html_index[REPORT_PATH];	/* relative to the campaign, or "" */
	struct cov_file files[REPORT_MAX_COV_FILES];
	unsigned nfiles;
	struct cov_file total;
	unsigned inputs;		/* corpus inputs replayed */
	unsigned seed_inputs;
	char when[64];			/* when the figures were measured */
	struct rej_site sites[REPORT_MAX_SITES];
	unsigned nsites;
	unsigned verdict_ok, verdict_rejected, verdict_finding, verdict_bad;
	struct uncov_item *uncov;
	size_t nuncov, uncov_cap;
	unsigned by_kind_lines[UNCOV_KINDS], by_kind_branches[UNCOV_KINDS];
};

/* Everything the report shows. */
struct report {
	struct campaign *c;		/* campaign.conf: targets, engines, units */
	struct series_row *rows;
	size_t nrows;
	bool series_cut;		/* a cut last line was skipped */
	struct rfinding *findings;
	unsigned nfindings;
	/* Per unit (campaign target x engine), from crashes.tsv. */
	unsigned unit_findings[CAMPAIGN_MAX_TARGETS][ENGINE_COUNT];
	unsigned unit_crash_files[CAMPAIGN_MAX_TARGETS][ENGINE_COUNT];
	unsigned corpus_files[CAMPAIGN_MAX_TARGETS];
	/* Extra curves from the engines' own records. */
	struct curve afl_plot[CAMPAIGN_MAX_TARGETS];	/* edges over run time */
	struct curve lf_status[CAMPAIGN_MAX_TARGETS];	/* cov over executions */
	struct coverage cov;
	char generated[64];
};

/* ---- report_load.c ---- */
/* Load everything of the campaign in @dir; false with a one-line reason. */
bool report_load(struct report *r, const char *dir, char *err, size_t cap);
void report_free(struct report *r);
/* Covered share of @total in percent (100 when there is nothing). */
double report_pct(unsigned total, unsigned missed);
/* The saved statistics of target @t under engine @e, or NULL. */
const struct saved_unit *report_unit(const struct report *r, unsigned t, enum engine e);
/* series.tsv alone (also used by the tests): rows into @r. */
bool series_load(struct report *r, const char *path, char *err, size_t cap);
void curve_add(struct curve *cv, double x, double y);
void curve_free(struct curve *cv);

/* ---- report_svg.c ---- */
struct chart {
	const char *title;
	const char *xlabel, *ylabel;
	bool x_is_time;			/* x in seconds: ticks as 1:30 */
	const struct curve *curves;
	unsigned ncurves;
};
/* Write @ch as an SVG element of @w x @h pixels. */
void svg_chart(FILE *f, const struct chart *ch, unsigned w, unsigned h);
const char *svg_color(unsigned i);

/* ---- report_cov.c ---- */
struct cov_opts {
	const char *cov_build;		/* host-cov build dir (default: sibling) */
	bool run;			/* measure now (else read what is there) */
};
/* Measure (or read back) the coverage of core/src from the campaign's
 * corpus and the seeds of corpus/seeds (the host-cov build's), into
 * <campaign>/coverage/. */
void coverage_campaign(struct report *r, const struct cov_opts *o);
/* Parse `llvm-cov report` output; false if it is not one. */
bool cov_parse_report(const char *text, struct coverage *cov);
/* Tally "FILE: rejected:<site> trace=..." lines of replay output. */
void cov_tally_verdicts(struct coverage *cov, const char *text, unsigned target);

/* ---- report_uncovered.c ---- */
/* The uncovered lines and branches of `llvm-cov show -show-branches=count`
 * text output (@text), each with its reason, into @cov. */
void uncov_classify(struct coverage *cov, const char *text);
const char *uncov_kind_name(enum uncov_kind k);
const char *uncov_kind_blurb(enum uncov_kind k);
/* The Markdown document (docs/coverage.md): figures, then every
 * uncovered line and branch with its reason. */
void uncov_write_md(FILE *f, const struct report *r, const char *how);

/* ---- report_qemu.c ---- */
/* The cached QEMU verdict of @file_rel (relative to @dir), if it is current. */
bool qemu_verdict_cached(const char *dir, const char *file_rel, char *out, size_t cap);
/* Fill every finding's QEMU verdict (cached in findings/<..>.qemu). */
void report_qemu(struct report *r, bool run);

/* ---- report_html.c / report_md.c ---- */
bool report_write_html(const struct report *r, char *err, size_t cap);
bool report_write_md(const struct report *r, char *err, size_t cap);
/* Charts as files: report/<name>.svg (the Markdown links them). */
void report_write_svgs(const struct report *r);

/* Chart @k of the report (0 .. report_nchart - 1): per target coverage and
 * exec/s over campaign time (series.tsv), then AFL++'s plot_data and
 * libFuzzer's status lines. @curves holds its curves (free them with
 * curve_free); @name gets a file name stem. */
unsigned report_nchart(const struct report *r);
void report_chart(const struct report *r, unsigned k, struct chart *ch,
		  struct curve *curves, char *name, size_t name_cap, char *title,
		  size_t title_cap);
/* The chart's curves are owned by it when @owned (series curves). */
bool report_chart_owned(const struct report *r, unsigned k);

/* ---- helpers (report_load.c) ---- */
void html_escape(FILE *f, const char *s);
/* Write @path atomically through <path>.tmp.<pid>. */
FILE *atomic_open(const char *path, char *tmp, size_t cap);
bool atomic_close(FILE *f, const char *tmp, const char *path);
/* Read a whole text file (NULL if unreadable); caller frees. */
char *slurp(const char *path, size_t *len);
const char *rel_to(const char *dir, const char *path);
/* 1234567 -> "1,234,567" (into @buf). */
const char *group3(double v, char *buf, size_t cap);

/* The whole report of the campaign in @dir (campaign end, `report`).
 * Returns false with a one-line reason. */
struct report_opts {
	bool coverage;			/* measure coverage now */
	bool qemu;			/* replay findings under QEMU now */
	const char *cov_build;
	bool quiet;
};
bool report_campaign(const char *dir, const struct report_opts *o, char *err,
		     size_t cap);

#endif /* SMMUFUZZ_REPORT_H */
