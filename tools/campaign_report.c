// SPDX-License-Identifier: MIT
/*
 * summary.md: per target and engine the executions, exec/s, coverage,
 * corpus and crash files, then every distinct finding with where its first
 * file came from and its minimised repro. Written at the end of every
 * session, interrupted or not (atomically: a reader never sees half).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "campaign.h"
#include "report.h"

static const char *rel(const struct campaign *c, const char *path)
{
	size_t n = strlen(c->dir);

	return strncmp(path, c->dir, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

static void units_table(FILE *md, const struct campaign *c, double total)
{
	unsigned i, k;

	fprintf(md, "| target | engine | executions | core-seconds | exec/s per core | "
		"CPU-seconds | exec/s per CPU-second | exec/s | coverage | features | "
		"stability | corpus (engine) | corpus files | crash files | findings |\n");
	fprintf(md, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
	for (i = 0; i < c->nunits; i++) {
		const struct unit *u = &c->units[i];
		const char *t = c->targets[u->target];
		char dir[CAMPAIGN_PATH], cls[256], stab[16] = "-";
		unsigned crashes = 0;

		for (k = 0; k < c->ncrashes; k++)
			crashes += c->crashes[k].engine == u->engine &&
				   strcmp(c->crashes[k].target, t) == 0;
		if (u->engine == ENGINE_AFL && u->now.stability > 0)
			snprintf(stab, sizeof(stab), "%.2f %%", u->now.stability);
		findings_by_class(c, t, ENGINE_BIT(u->engine), cls, sizeof(cls));
		fprintf(md, "| %s | %s | %llu | %.0f | %.0f | %.0f | %.0f | %.0f | %u | %u | %s | %u | %u | %u | %s |\n",
			t, engine_name(u->engine), (unsigned long long)u->now.execs,
			u->now.run_s,
			u->now.run_s > 0 ? (double)u->now.execs / u->now.run_s : 0,
			u->now.cpu_s,
			u->now.cpu_s > 0 ? (double)u->now.execs / u->now.cpu_s : 0,
			total > 0 ? (double)u->now.execs / total : 0, u->now.cov,
			u->now.ft, stab, u->now.corpus,
			count_entries(cpath(c, dir, "corpus/%s", t)), crashes,
			cls[0] ? cls : "-");
	}
}

static void findings_table(FILE *md, const struct campaign *c, bool real)
{
	unsigned i, n = 0;

	for (i = 0; i < c->nfindings; i++) {
		const struct finding *f = &c->findings[i];
		char min[CAMPAIGN_PATH], txt[CAMPAIGN_PATH], when[32], cls[64], qemu[320];

		if (finding_real(f) != real)
			continue;
		if (n++ == 0) {
			fprintf(md, "| signature | class | first seen | target | engine | "
				"files | smallest file | minimised | host verdict | QEMU verdict |\n");
			fprintf(md, "|---|---|---:|---|---|---:|---|---|---|---|\n");
		}
		finding_class(f->sig, cls, sizeof(cls));
		format_duration(f->first_s, when, sizeof(when));
		finding_min_path(c, f, "smfz", min);
		finding_min_path(c, f, "txt", txt);
		fprintf(md, "| `%s` | %s | %s | %s | %s | %u | `%s` | ", f->sig, cls, when,
			f->first_target, engine_name(f->first_engine), f->files,
			rel(c, f->example));
		if (access(txt, R_OK) == 0 && f->min_ops > 0)
			fprintf(md, "`%s` (%u ops) | ", rel(c, txt), f->min_ops);
		else if (access(txt, R_OK) == 0)
			fprintf(md, "`%s` | ", rel(c, txt));
		else
			fprintf(md, "%s | ", real ? "not yet" : "-");
		/* The QEMU verdict report_qemu.c recorded for the repro that
		 * report.html shows (the minimised one, else the example). */
		if (!real) {
			fprintf(md, "no finding on replay | - |\n");
			continue;
		}
		if (!qemu_verdict_cached(c->dir, rel(c, access(min, R_OK) == 0 ? min : f->example),
					 qemu, sizeof(qemu)))
			snprintf(qemu, sizeof(qemu), "qemu unavailable (see report.html)");
		fprintf(md, "`finding:%s` | `%s` |\n", f->sig, qemu);
	}
	if (n == 0)
		fprintf(md, "None.\n");
}

void report_write(const struct campaign *c)
{
	char path[CAMPAIGN_PATH], tmp[CAMPAIGN_PATH], total_s[32];
	double total = campaign_time(c);
	bool afl = (c->engines & ENGINE_BIT(ENGINE_AFL)) != 0;
	bool lf = (c->engines & ENGINE_BIT(ENGINE_LIBFUZZER)) != 0;
	FILE *md;

	cpath(c, path, "summary.md");
	cpath(c, tmp, "tmp/summary.md.%ld", (long)getpid());
	md = fopen(tmp, "w");
	if (md == NULL) {
		complain("fuzz: cannot write %s: %s", tmp, strerror(errno));
		return;
	}
	format_duration(total, total_s, sizeof(total_s));
	fprintf(md, "# smmufuzz campaign %s\n\n", c->name);
	fprintf(md, "- campaign time: %.0f s (%s) in %u session(s)%s\n", total, total_s,
		c->session, c->interrupted ? "; the last one stopped early" : "");
	fprintf(md, "- jobs (cores): %u; workers: %u (%u target(s)), %s\n", c->jobs,
		c->nworkers, c->nt,
		c->nworkers > c->jobs ? "sharing the cores in round-robin time slices"
				      : "all running all the time");
	if (lf)
		fprintf(md, "- libFuzzer: `%s`\n", c->lf_bin);
	if (afl)
		fprintf(md, "- AFL++: `%s`, CMPLOG %s, custom mutator library %s\n",
			c->afl_bin, c->cmplog_bin[0] ? "on" : "off",
			c->mutator[0] ? "built" : "not built");
	fprintf(md, "- structure-aware mutator: %s\n", c->mutator_mode);
	fprintf(md, "- crash files replayed by: `%s`%s\n", c->replay_cli,
		c->replay_sanitized ? " (ASan+UBSan)" : " (no sanitizers)");
	fprintf(md, "- directory: `%s` (corpus/, crashes/, findings/, series.tsv, "
		"findings.tsv, crashes.tsv)\n\n", c->dir);
	units_table(md, c, total);
	fprintf(md, "\nCoverage is each engine's own measure of the core (libFuzzer: "
		"`cov`, AFL++: `edges_found`). exec/s per core counts the time a "
		"worker was given (its time slices), exec/s per CPU-second the CPU "
		"time its processes used (afl-fuzz and its target included: the "
		"engine's speed however busy the machine was), exec/s the campaign's "
		"wall time.\n");
	for (unsigned i = 0, n = 0; i < c->nworkers; i++) {
		const struct worker *w = &c->workers[i];

		if (w->state != WORKER_FAILED)
			continue;
		if (n++ == 0)
			fprintf(md, "\n## Workers that gave up (they exited at once, again and again)\n\n");
		fprintf(md, "- %s under %s, worker %u: %s\n", c->targets[c->units[w->unit].target],
			engine_name(c->units[w->unit].engine), w->index, w->why);
	}
	fprintf(md, "\n## Findings (bugs only; rejections are by design)\n\n");
	findings_table(md, c, true);
	fprintf(md, "\n## Crash files that did not reproduce\n\n");
	findings_table(md, c, false);
	fprintf(md, "\nThe full report, with plots over time, the source coverage of core/src from "
		"the corpus and rejections by site: `report.html` (one page) and `report.md`.\n");
	fprintf(md, "\nReplay one: `smmufuzz replay --raw --target TARGET FILE`; read it: "
		"`smmufuzz show --raw FILE`.\n");
	if (fclose(md) != 0 || rename(tmp, path) != 0) {
		complain("fuzz: cannot write %s", path);
		remove(tmp);
	}
}
