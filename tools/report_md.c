// SPDX-License-Identifier: MIT
/*
 * report.md: the report as Markdown, its charts as SVG files in report/
 * (a Markdown viewer shows them as images), and the charts themselves:
 * which curves each one draws (report.html inlines the same).
 */
#include <string.h>

#include "report.h"

#define CHART_W	600
#define CHART_H	300

unsigned report_nchart(const struct report *r)
{
	return 2 * r->c->nt + 2;
}

bool report_chart_owned(const struct report *r, unsigned k)
{
	return k < 2 * r->c->nt;
}

/* Per target: one curve per engine, from series.tsv. */
static unsigned series_curves(const struct report *r, unsigned target, bool eps,
			      struct curve *out)
{
	unsigned e, n = 0;
	size_t i;

	for (e = 0; e < ENGINE_COUNT; e++) {
		struct curve *cv = &out[n];

		if (!(r->c->engines & ENGINE_BIT(e)))
			continue;
		memset(cv, 0, sizeof(*cv));
		snprintf(cv->label, sizeof(cv->label), "%s", e == ENGINE_AFL ? "AFL++" : "libFuzzer");
		cv->color = e;
		for (i = 0; i < r->nrows; i++) {
			const struct series_row *row = &r->rows[i];

			if (row->target != target || row->engine != (enum engine)e)
				continue;
			/* A unit paused for the whole sample (time slices) ran
			 * nothing: no rate to draw, not a rate of zero. */
			if (eps && row->exec_s_cpu <= 0)
				continue;
			curve_add(cv, row->t, eps ? row->exec_s_cpu : (double)row->cov);
		}
		n++;
	}
	return n;
}

void report_chart(const struct report *r, unsigned k, struct chart *ch,
		  struct curve *curves, char *name, size_t name_cap, char *title,
		  size_t title_cap)
{
	unsigned nt = r->c->nt, t;

	memset(ch, 0, sizeof(*ch));
	ch->curves = curves;
	if (k < 2 * nt) {
		bool eps = k % 2 == 1;

		t = k / 2;
		snprintf(name, name_cap, "%s-%s", r->c->targets[t], eps ? "execs" : "coverage");
		snprintf(title, title_cap, "%s: %s", r->c->targets[t],
			 eps ? "executions per CPU-second" : "coverage (engine's own measure)");
		ch->xlabel = "campaign time";
		ch->ylabel = eps ? "exec/s per CPU-second" : "edges";
		ch->x_is_time = true;
		ch->ncurves = series_curves(r, t, eps, curves);
	} else if (k == 2 * nt) {
		snprintf(name, name_cap, "afl-plot-data");
		snprintf(title, title_cap, "AFL++ plot_data: edges found by each main instance");
		ch->xlabel = "instance run time (this session)";
		ch->ylabel = "edges_found";
		ch->x_is_time = true;
		for (t = 0; t < nt; t++)
			if (r->afl_plot[t].n > 0)
				curves[ch->ncurves++] = r->afl_plot[t];
	} else {
		snprintf(name, name_cap, "libfuzzer-status");
		snprintf(title, title_cap, "libFuzzer status lines: cov of each worker 0");
		ch->xlabel = "executions (libFuzzer's #N, this session)";
		ch->ylabel = "cov";
		for (t = 0; t < nt; t++)
			if (r->lf_status[t].n > 0)
				curves[ch->ncurves++] = r->lf_status[t];
	}
	ch->title = title;
}

void report_write_svgs(const struct report *r)
{
	char dir[REPORT_PATH], path[REPORT_PATH], tmp[REPORT_PATH], name[96], title[160];
	struct curve curves[REPORT_MAX_CURVES];
	unsigned k, i;

	snprintf(dir, sizeof(dir), "%s/report", r->c->dir);
	mkdirs(dir);
	for (k = 0; k < report_nchart(r); k++) {
		struct chart ch;
		FILE *f;

		report_chart(r, k, &ch, curves, name, sizeof(name), title, sizeof(title));
		snprintf(path, sizeof(path), "%s/%s.svg", dir, name);
		f = atomic_open(path, tmp, sizeof(tmp));
		if (f != NULL) {
			svg_chart(f, &ch, CHART_W, CHART_H);
			if (!atomic_close(f, tmp, path))
				complain("report: cannot write %s", path);
		}
		if (report_chart_owned(r, k))
			for (i = 0; i < ch.ncurves; i++)
				curve_free(&curves[i]);
	}
}

static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '|' ? '/' : *s == '\n' ? ' ' : *s, f);
}

bool report_write_md(const struct report *r, char *err, size_t cap)
{
	const struct coverage *cov = &r->cov;
	char path[REPORT_PATH], tmp[REPORT_PATH], name[96], title[160], when[32];
	struct curve curves[REPORT_MAX_CURVES];
	unsigned t, e, k, i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/report.md", r->c->dir);
	f = atomic_open(path, tmp, sizeof(tmp));
	if (f == NULL) {
		snprintf(err, cap, "cannot write %s", path);
		return false;
	}
	format_duration(r->c->elapsed_before, when, sizeof(when));
	fprintf(f, "# smmufuzz campaign %s\n\n", r->c->name);
	fprintf(f, "Campaign time %s (%.0f s of %.0f s) in %u session(s), %u job(s); report "
		"generated %s. The same as one page: [report.html](report.html).\n\n", when,
		r->c->elapsed_before, r->c->budget_s, r->c->session - 1, r->c->jobs, r->generated);

	fprintf(f, "## Targets and engines\n\n");
	fprintf(f, "| target | engine | executions | exec/s per CPU-second | coverage | corpus "
		"(engine) | corpus files | crash files | findings |\n");
	fprintf(f, "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (t = 0; t < r->c->nt; t++)
		for (e = 0; e < ENGINE_COUNT; e++) {
			const struct saved_unit *u = report_unit(r, t, (enum engine)e);

			if (!(r->c->engines & ENGINE_BIT(e)))
				continue;
			fprintf(f, "| %s | %s | %llu | %.0f | %u | %u | %u | %u | %u |\n",
				r->c->targets[t], engine_name((enum engine)e),
				u ? (unsigned long long)u->st.execs : 0ULL,
				u && u->st.cpu_s > 0 ? (double)u->st.execs / u->st.cpu_s : 0.0,
				u ? u->st.cov : 0, u ? u->st.corpus : 0, r->corpus_files[t],
				r->unit_crash_files[t][e], r->unit_findings[t][e]);
		}
	fprintf(f, "\nCoverage is each engine's own measure (libFuzzer `cov`, AFL++ "
		"`edges_found`): not comparable between engines; the source coverage below is.\n");

	fprintf(f, "\n## Over time\n\n");
	for (k = 0; k < report_nchart(r); k++) {
		struct chart ch;

		report_chart(r, k, &ch, curves, name, sizeof(name), title, sizeof(title));
		fprintf(f, "![%s](report/%s.svg)\n", title, name);
		if (report_chart_owned(r, k))
			for (i = 0; i < ch.ncurves; i++)
				curve_free(&curves[i]);
	}
	if (r->series_cut)
		fprintf(f, "\n(series.tsv ends with a line cut by a kill: skipped.)\n");

	fprintf(f, "\n## Source coverage of core/src\n\n");
	if (!cov->have) {
		fprintf(f, "Not measured: %s.\n", cov->why_not);
	} else {
		fprintf(f, "From the campaign's corpus (%u inputs) and the %u seeds of "
			"corpus/seeds (the measuring build's), replayed by the host-cov build (no unit tests). Annotated source: "
			"[coverage/html/index.html](%s).%s%s\n\n", cov->inputs, cov->seed_inputs,
			cov->html_index[0] ? cov->html_index : "coverage/html/index.html",
			cov->why_not[0] ? " Note: " : "", cov->why_not);
		fprintf(f, "| file | lines | line cover | branches | branch cover |\n");
		fprintf(f, "|---|---:|---:|---:|---:|\n");
		for (i = 0; i <= cov->nfiles; i++) {
			const struct cov_file *cf = i < cov->nfiles ? &cov->files[i] : &cov->total;

			fprintf(f, "| %s | %u | %.2f %% | %u | %.2f %% |\n",
				i < cov->nfiles ? cf->name : "**total**", cf->lines,
				report_pct(cf->lines, cf->lines_missed), cf->branches,
				report_pct(cf->branches, cf->branches_missed));
		}
		fprintf(f, "\nWhy lines and branch arms are still uncovered "
			"(coverage/uncovered.md lists each one):\n\n");
		fprintf(f, "| reason | lines | branch arms |\n|---|---:|---:|\n");
		for (k = 0; k < UNCOV_KINDS; k++)
			fprintf(f, "| %s | %u | %u |\n", uncov_kind_name((enum uncov_kind)k),
				cov->by_kind_lines[k], cov->by_kind_branches[k]);
	}

	fprintf(f, "\n## Findings\n\n");
	if (r->nfindings == 0)
		fprintf(f, "None.\n");
	else {
		fprintf(f, "| signature | class | target | first seen | minimised | host verdict "
			"| QEMU verdict | repro |\n|---|---|---|---:|---:|---|---|---|\n");
	}
	for (i = 0; i < r->nfindings; i++) {
		const struct rfinding *fd = &r->findings[i];

		format_duration(fd->first_s, when, sizeof(when));
		fprintf(f, "| `");
		md_cell(f, fd->sig);
		fprintf(f, "` | %s | %s | %s | ", fd->cls, fd->seen[0] ? fd->seen : fd->target, when);
		if (fd->min_size >= 0)
			fprintf(f, "%lld B", fd->min_size);
		else
			fprintf(f, "-");
		fprintf(f, " | ");
		md_cell(f, fd->host);
		fprintf(f, " | ");
		md_cell(f, fd->qemu);
		fprintf(f, " | [%s](%s) |\n", fd->text_rel[0] ? fd->text_rel : fd->example,
			fd->text_rel[0] ? fd->text_rel : fd->example);
	}
	for (i = 0; i < r->nfindings; i++) {
		const struct rfinding *fd = &r->findings[i];

		if (fd->text == NULL)
			continue;
		fprintf(f, "\n### `%s`\n\n```\n%s%s```\n", fd->sig, fd->text,
			fd->text[0] && fd->text[strlen(fd->text) - 1] == '\n' ? "" : "\n");
	}

	fprintf(f, "\n## Rejections by site\n\n");
	if (!cov->have || cov->verdict_ok + cov->verdict_rejected + cov->verdict_finding == 0) {
		fprintf(f, "Not counted (they come from the coverage replay).\n");
	} else {
		fprintf(f, "The verdicts of the campaign's corpus: %u ok, %u rejected, %u with a "
			"finding. A rejection is the core refusing what the host asked, by design; "
			"this is where the fuzzers' inputs end.\n\n", cov->verdict_ok,
			cov->verdict_rejected, cov->verdict_finding);
		fprintf(f, "| site | inputs | targets |\n|---|---:|---|\n");
		for (i = 0; i < cov->nsites; i++) {
			fprintf(f, "| `%s` | %u | ", cov->sites[i].site, cov->sites[i].inputs);
			for (t = 0, k = 0; t < r->c->nt; t++)
				if (cov->sites[i].targets & (1U << t))
					fprintf(f, "%s%s", k++ ? ", " : "", r->c->targets[t]);
			fprintf(f, " |\n");
		}
	}
	if (!atomic_close(f, tmp, path)) {
		snprintf(err, cap, "cannot write %s", path);
		return false;
	}
	return true;
}
