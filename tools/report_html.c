// SPDX-License-Identifier: MIT
/*
 * report.html: the whole report on one page that needs nothing else (CSS
 * and SVG inline; links only to files of the campaign directory, such as
 * llvm-cov's annotated source and the repros). Laid out for a laptop
 * screen: a contents bar, tables that scroll sideways rather than squeeze,
 * charts two to a row. Each section has an id the rendering test looks for
 * (tests/test_report.sh): summary, units, plots, coverage, findings,
 * rejections.
 */
#include <string.h>

#include "report.h"

#define CHART_W	600
#define CHART_H	290

static const char css[] =
	"*{box-sizing:border-box}"
	"body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',"
	"sans-serif;color:#1d1d1f;background:#f6f7f9}"
	"header{background:#1f2d3d;color:#fff;padding:16px 28px}"
	"header h1{margin:0 0 4px;font-size:22px;font-weight:600}"
	"header p{margin:0;color:#cfd8e3}"
	"nav{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid #dde1e6;"
	"padding:8px 28px}"
	"nav a{margin-right:18px;color:#0b5cad;text-decoration:none;font-weight:500}"
	"main{max-width:1280px;margin:0 auto;padding:8px 28px 40px}"
	"section{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:14px 20px;"
	"margin:18px 0}"
	"h2{font-size:19px;margin:2px 0 10px}h3{font-size:16px;margin:16px 0 6px}"
	".cards{display:flex;flex-wrap:wrap;gap:12px}"
	".card{flex:1 1 150px;border:1px solid #e1e4e8;border-radius:6px;padding:8px 12px}"
	".card b{display:block;font-size:21px}.card span{color:#555;font-size:13px}"
	".scroll{overflow-x:auto}"
	"table{border-collapse:collapse;width:100%;font-size:14px}"
	"th,td{padding:5px 9px;border-bottom:1px solid #eceef1;text-align:left;vertical-align:baseline}"
	"th{background:#f0f2f5;font-weight:600;white-space:nowrap}"
	"tr:nth-child(even) td{background:#fafbfc}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	"code,pre{font:13px/1.4 'DejaVu Sans Mono',Menlo,Consolas,monospace}"
	"td code{overflow-wrap:anywhere}td.sig{min-width:240px}"
	"pre{background:#f3f4f6;border:1px solid #e1e4e8;border-radius:4px;padding:8px;"
	"overflow-x:auto;max-height:360px;margin:6px 0}"
	".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:14px}"
	".charts svg{width:100%;height:auto;border:1px solid #e1e4e8;border-radius:6px}"
	".bar{display:inline-block;height:10px;border-radius:2px;background:#0072B2;"
	"vertical-align:middle;margin-right:6px}"
	".bad{color:#b3261e;font-weight:600}.good{color:#17723b;font-weight:600}"
	".muted{color:#666}"
	"details summary{cursor:pointer;color:#0b5cad}";

static void esc(FILE *f, const char *s)
{
	html_escape(f, s);
}

static unsigned real_findings(const struct report *r)
{
	unsigned i, n = 0;

	for (i = 0; i < r->nfindings; i++)
		n += r->findings[i].real;
	return n;
}

static void summary(FILE *f, const struct report *r)
{
	const struct coverage *cov = &r->cov;
	char when[32];
	uint64_t execs = 0;
	unsigned i;

	for (i = 0; i < r->c->nsaved; i++)
		execs += r->c->saved[i].st.execs;
	format_duration(r->c->elapsed_before, when, sizeof(when));
	fprintf(f, "<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">");
	fprintf(f, "<div class=\"card\"><b>%s</b><span>campaign time, %u session(s)</span></div>",
		when, r->c->session - 1);
	fprintf(f, "<div class=\"card\"><b>%u &times; %u</b><span>targets &times; engines, "
		"%u job(s)</span></div>", r->c->nt,
		(r->c->engines & 1U) + ((r->c->engines >> 1) & 1U), r->c->jobs);
	{
		char g[32];

		fprintf(f, "<div class=\"card\"><b>%s</b><span>executions</span></div>",
			group3((double)execs, g, sizeof(g)));
	}
	if (cov->have) {
		double lp = report_pct(cov->total.lines, cov->total.lines_missed);
		double bp = report_pct(cov->total.branches, cov->total.branches_missed);

		fprintf(f, "<div class=\"card\"><b class=\"%s\">%.1f %%</b><span>lines of "
			"core/src (goal 95&nbsp;%%)</span></div>", lp >= 95 ? "good" : "bad", lp);
		fprintf(f, "<div class=\"card\"><b class=\"%s\">%.1f %%</b><span>branches of "
			"core/src (goal 90&nbsp;%%)</span></div>", bp >= 90 ? "good" : "bad", bp);
	}
	fprintf(f, "<div class=\"card\"><b class=\"%s\">%u</b><span>distinct findings</span></div>",
		real_findings(r) ? "bad" : "good", real_findings(r));
	fprintf(f, "</div></section>\n");
}

static void units(FILE *f, const struct report *r)
{
	unsigned t, e;

	fprintf(f, "<section id=\"units\"><h2>Targets and engines</h2><div class=\"scroll\"><table>"
		"<tr><th>target</th><th>engine</th><th class=\"n\">executions</th>"
		"<th class=\"n\">exec/s per CPU-second</th><th class=\"n\">exec/s per core</th>"
		"<th class=\"n\">coverage</th><th class=\"n\">corpus (engine)</th>"
		"<th class=\"n\">corpus files</th><th class=\"n\">stability</th>"
		"<th class=\"n\">crash files</th><th class=\"n\">findings</th></tr>\n");
	for (t = 0; t < r->c->nt; t++)
		for (e = 0; e < ENGINE_COUNT; e++) {
			const struct saved_unit *u = report_unit(r, t, (enum engine)e);
			char g[8][32];

			if (!(r->c->engines & ENGINE_BIT(e)))
				continue;
			fprintf(f, "<tr><td>%s</td><td>%s</td><td class=\"n\">%s</td>"
				"<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
				"<td class=\"n\">%s</td><td class=\"n\">%s</td>", r->c->targets[t],
				e == ENGINE_AFL ? "AFL++" : "libFuzzer",
				group3(u ? (double)u->st.execs : 0, g[0], 32),
				group3(u && u->st.cpu_s > 0 ? (double)u->st.execs / u->st.cpu_s : 0.0,
				       g[1], 32),
				group3(u && u->st.run_s > 0 ? (double)u->st.execs / u->st.run_s : 0.0,
				       g[2], 32),
				group3(u ? u->st.cov : 0, g[3], 32), group3(u ? u->st.corpus : 0, g[4], 32),
				group3(r->corpus_files[t], g[5], 32));
			if (u && e == ENGINE_AFL && u->st.stability > 0)
				fprintf(f, "<td class=\"n\">%.2f %%</td>", u->st.stability);
			else
				fprintf(f, "<td class=\"n muted\">-</td>");
			fprintf(f, "<td class=\"n\">%u</td><td class=\"n%s\">%u</td></tr>\n",
				r->unit_crash_files[t][e], r->unit_findings[t][e] ? " bad" : "",
				r->unit_findings[t][e]);
		}
	fprintf(f, "</table></div><p class=\"muted\">Coverage is each engine's own measure "
		"(libFuzzer <code>cov</code>, AFL++ <code>edges_found</code>) and not comparable "
		"between engines; the source coverage below is. exec/s per CPU-second counts the "
		"CPU time the engine's processes used (the engine's speed however busy the "
		"machine was); per core, the time slices it was given.</p></section>\n");
}

static void plots(FILE *f, const struct report *r)
{
	struct curve curves[REPORT_MAX_CURVES];
	char name[96], title[160];
	unsigned k, i;

	fprintf(f, "<section id=\"plots\"><h2>Over time</h2><p class=\"muted\">Per target, "
		"from series.tsv (one sample per target and engine every 1/200 of the session). "
		"Below them, the engines' own records: AFL++'s plot_data and libFuzzer's status "
		"lines.%s</p><div class=\"charts\">\n",
		r->series_cut ? " series.tsv ends with a line cut by a kill: skipped." : "");
	for (k = 0; k < report_nchart(r); k++) {
		struct chart ch;

		report_chart(r, k, &ch, curves, name, sizeof(name), title, sizeof(title));
		fprintf(f, "<figure id=\"chart-%s\" style=\"margin:0\">", name);
		svg_chart(f, &ch, CHART_W, CHART_H);
		fprintf(f, "</figure>\n");
		if (report_chart_owned(r, k))
			for (i = 0; i < ch.ncurves; i++)
				curve_free(&curves[i]);
	}
	fprintf(f, "</div></section>\n");
}

static void pct_cell(FILE *f, double p, double goal)
{
	fprintf(f, "<td class=\"n\"><span class=\"bar\" style=\"width:%.0fpx;background:%s\">"
		"</span>%.2f %%</td>", p * 0.8, p >= goal ? "#009E73" : "#D55E00", p);
}

static void coverage(FILE *f, const struct report *r)
{
	const struct coverage *cov = &r->cov;
	unsigned i, k;
	size_t j;

	fprintf(f, "<section id=\"coverage\"><h2>Source coverage of core/src</h2>\n");
	if (!cov->have) {
		fprintf(f, "<p class=\"bad\">Not measured: ");
		esc(f, cov->why_not);
		fprintf(f, ".</p></section>\n");
		return;
	}
	fprintf(f, "<p>From the campaign's corpus (%u inputs) and the %u seeds of corpus/seeds "
		"(the measuring build's), "
		"replayed by the <code>host-cov</code> build (llvm source-based coverage; no unit "
		"tests)%s%s. <a href=\"%s\">Annotated source (llvm-cov HTML)</a>.</p>\n",
		cov->inputs, cov->seed_inputs, cov->when[0] ? ", measured " : "", cov->when,
		cov->html_index[0] ? cov->html_index : "coverage/html/index.html");
	if (cov->why_not[0]) {
		fprintf(f, "<p class=\"bad\">");
		esc(f, cov->why_not);
		fprintf(f, "</p>\n");
	}
	fprintf(f, "<div class=\"scroll\"><table><tr><th>file</th><th class=\"n\">lines</th>"
		"<th class=\"n\">missed</th><th class=\"n\">line cover</th><th class=\"n\">branches"
		"</th><th class=\"n\">missed</th><th class=\"n\">branch cover</th></tr>\n");
	for (i = 0; i <= cov->nfiles; i++) {
		const struct cov_file *cf = i < cov->nfiles ? &cov->files[i] : &cov->total;
		bool tot = i == cov->nfiles;

		fprintf(f, "<tr><td>%s%s%s</td><td class=\"n\">%u</td><td class=\"n\">%u</td>",
			tot ? "<b>" : "", tot ? "total" : cf->name, tot ? "</b>" : "", cf->lines,
			cf->lines_missed);
		pct_cell(f, report_pct(cf->lines, cf->lines_missed), 95);
		fprintf(f, "<td class=\"n\">%u</td><td class=\"n\">%u</td>", cf->branches,
			cf->branches_missed);
		pct_cell(f, report_pct(cf->branches, cf->branches_missed), 90);
		fprintf(f, "</tr>\n");
	}
	fprintf(f, "</table></div>\n");
	{
		double lp = report_pct(cov->total.lines, cov->total.lines_missed);
		double bp = report_pct(cov->total.branches, cov->total.branches_missed);
		unsigned gaps = cov->by_kind_lines[UNCOV_NOT_REACHED] +
				cov->by_kind_branches[UNCOV_NOT_REACHED];

		fprintf(f, "<p>Goal: at least 95 %% of lines (<span class=\"%s\">%s</span>) and "
			"90 %% of branches (<span class=\"%s\">%s</span>). ", lp >= 95 ? "good" : "bad",
			lp >= 95 ? "met" : "not met", bp >= 90 ? "good" : "bad",
			bp >= 90 ? "met" : "not met");
		if (gaps == 0)
			fprintf(f, "Every line and arm still uncovered has its reason below; none is "
				"a gap of the corpus.</p>\n");
		else
			fprintf(f, "%u line(s) and arm(s) no rule explains: gaps of the corpus.</p>\n",
				gaps);
	}
	fprintf(f, "<h3>Why the rest is uncovered</h3><div class=\"scroll\">"
		"<table><tr><th>reason</th><th class=\"n\">lines</th><th class=\"n\">branch arms"
		"</th><th>what it means</th></tr>\n");
	for (k = 0; k < UNCOV_KINDS; k++)
		fprintf(f, "<tr><td>%s</td><td class=\"n\">%u</td><td class=\"n\">%u</td><td>%s"
			"</td></tr>\n", uncov_kind_name((enum uncov_kind)k), cov->by_kind_lines[k],
			cov->by_kind_branches[k], uncov_kind_blurb((enum uncov_kind)k));
	fprintf(f, "</table></div>\n");
	for (k = 0; k < UNCOV_KINDS; k++) {
		unsigned n = cov->by_kind_lines[k] + cov->by_kind_branches[k];

		if (n == 0)
			continue;
		fprintf(f, "<details><summary>%s: %u line(s), %u branch arm(s)</summary>"
			"<div class=\"scroll\"><table><tr><th>where</th><th>function</th><th>what</th>"
			"<th>code</th><th>why</th></tr>\n", uncov_kind_name((enum uncov_kind)k),
			cov->by_kind_lines[k], cov->by_kind_branches[k]);
		for (j = 0; j < cov->nuncov; j++) {
			const struct uncov_item *it = &cov->uncov[j];

			if (it->kind != (enum uncov_kind)k)
				continue;
			fprintf(f, "<tr><td>%s:%u", it->file, it->line);
			if (it->col != 0)
				fprintf(f, ":%u", it->col);
			fprintf(f, "</td><td>%s</td><td>", it->func[0] ? it->func : "-");
			if (!it->branch) {
				fprintf(f, "line");
			} else if (it->cond[0]) {
				fprintf(f, "%s arm of <code>", it->arm);
				esc(f, it->cond);
				fprintf(f, "</code>");
			} else {
				fprintf(f, "branch, %s", it->arm);
			}
			fprintf(f, "</td><td><code>");
			esc(f, it->code);
			fprintf(f, "</code></td><td>");
			esc(f, it->why);
			fprintf(f, "</td></tr>\n");
		}
		fprintf(f, "</table></div></details>\n");
	}
	fprintf(f, "</section>\n");
}

static void findings(FILE *f, const struct report *r)
{
	const char *qemu_why = NULL;
	unsigned i;

	fprintf(f, "<section id=\"findings\"><h2>Findings</h2>\n");
	if (r->nfindings == 0) {
		fprintf(f, "<p class=\"good\">None: no crash, hang or oracle finding.</p>"
			"</section>\n");
		return;
	}
	fprintf(f, "<div class=\"scroll\"><table><tr><th>signature</th><th>class</th>"
		"<th>target / engine</th><th class=\"n\">first seen</th><th class=\"n\">minimised"
		"</th><th>host verdict</th><th>QEMU verdict</th><th>repro</th></tr>\n");
	for (i = 0; i < r->nfindings; i++) {
		const struct rfinding *fd = &r->findings[i];
		const char *link = fd->minimised[0] ? fd->minimised : fd->example;
		char when[32];

		format_duration(fd->first_s, when, sizeof(when));
		fprintf(f, "<tr><td class=\"sig\"><code>");
		esc(f, fd->sig);
		fprintf(f, "</code></td><td>");
		esc(f, fd->cls);
		fprintf(f, "</td><td>");
		esc(f, fd->seen[0] ? fd->seen : fd->target);
		fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">", when);
		if (fd->min_size >= 0)
			fprintf(f, "%lld B", fd->min_size);
		else
			fprintf(f, "<span class=\"muted\">not minimised</span>");
		/* The verdicts in short (the signature is in the first column,
		 * a missing QEMU's reason under the table), in full on hover. */
		fprintf(f, "</td><td><code title=\"");
		esc(f, fd->host);
		fprintf(f, "\">");
		if (strncmp(fd->host, "finding:", 8) == 0 && strcmp(fd->host + 8, fd->sig) == 0)
			fprintf(f, "reproduces");
		else
			esc(f, fd->host);
		fprintf(f, "</code></td><td><code title=\"");
		esc(f, fd->qemu);
		fprintf(f, "\">");
		if (strncmp(fd->qemu, "qemu unavailable", 16) == 0) {
			fprintf(f, "qemu unavailable");
			if (qemu_why == NULL)
				qemu_why = fd->qemu;
		} else if (strncmp(fd->qemu, "finding:", 8) == 0 &&
			   strcmp(fd->qemu + 8, fd->sig) == 0) {
			fprintf(f, "reproduces");
		} else {
			esc(f, fd->qemu);
		}
		fprintf(f, "</code></td><td><a href=\"");
		esc(f, link);
		fprintf(f, "\">%s</a>", fd->minimised[0] ? "minimised" : "crash file");
		if (fd->text_rel[0]) {
			fprintf(f, " &middot; <a href=\"");
			esc(f, fd->text_rel);
			fprintf(f, "\">text</a>");
		}
		fprintf(f, "</td></tr>\n");
		if (fd->text != NULL) {
			const char *p;
			unsigned lines = 0;

			/* Shown open unless it is long. */
			for (p = fd->text; *p; p++)
				lines += *p == '\n';
			fprintf(f, "<tr><td colspan=\"8\"><details%s><summary>repro as text (%u "
				"lines)</summary><pre>", lines <= 60 ? " open" : "", lines);
			esc(f, fd->text);
			fprintf(f, "</pre></details></td></tr>\n");
		}
	}
	fprintf(f, "</table></div><p class=\"muted\">Host verdict: the campaign's replay of the "
		"crash file on the sanitizer build (<i>reproduces</i>: the same signature). QEMU "
		"verdict: the minimised repro (else the smallest crash file) replayed on the EL2 "
		"build under QEMU (<code>smmufuzz qemu-replay</code>); <code>host-only</code> when "
		"QEMU's machine cannot be that input's world.</p>\n");
	if (qemu_why != NULL) {
		fprintf(f, "<p class=\"bad\">");
		esc(f, qemu_why);
		fprintf(f, ".</p>\n");
	}
	fprintf(f, "</section>\n");
}

static void rejections(FILE *f, const struct report *r)
{
	const struct coverage *cov = &r->cov;
	unsigned i, t, k, max = 1;

	fprintf(f, "<section id=\"rejections\"><h2>Rejections by site</h2>\n");
	if (!cov->have || cov->verdict_ok + cov->verdict_rejected + cov->verdict_finding == 0) {
		fprintf(f, "<p class=\"muted\">Not counted: they come from the coverage replay "
			"(see above).</p></section>\n");
		return;
	}
	fprintf(f, "<p>The campaign's corpus, input by input: %u ok, %u rejected, %u with a "
		"finding. A rejection is the core refusing what the host asked for, by design "
		"(<code>docs/threat-model.md</code> lists the sites), not a finding: this is where "
		"the fuzzers' inputs end.</p>\n", cov->verdict_ok, cov->verdict_rejected,
		cov->verdict_finding);
	for (i = 0; i < cov->nsites; i++)
		if (cov->sites[i].inputs > max)
			max = cov->sites[i].inputs;
	fprintf(f, "<div class=\"scroll\"><table><tr><th>site</th><th class=\"n\">inputs</th>"
		"<th>targets</th></tr>\n");
	for (i = 0; i < cov->nsites; i++) {
		fprintf(f, "<tr><td><code>");
		esc(f, cov->sites[i].site);
		fprintf(f, "</code></td><td class=\"n\"><span class=\"bar\" style=\"width:%.0fpx\">"
			"</span>%u</td><td>", 160.0 * cov->sites[i].inputs / max, cov->sites[i].inputs);
		for (t = 0, k = 0; t < r->c->nt; t++)
			if (cov->sites[i].targets & (1U << t))
				fprintf(f, "%s%s", k++ ? ", " : "", r->c->targets[t]);
		fprintf(f, "</td></tr>\n");
	}
	fprintf(f, "</table></div></section>\n");
}

bool report_write_html(const struct report *r, char *err, size_t cap)
{
	char path[REPORT_PATH], tmp[REPORT_PATH];
	FILE *f;

	snprintf(path, sizeof(path), "%s/report.html", r->c->dir);
	f = atomic_open(path, tmp, sizeof(tmp));
	if (f == NULL) {
		snprintf(err, cap, "cannot write %s", path);
		return false;
	}
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
		"<title>smmufuzz campaign ");
	esc(f, r->c->name);
	fprintf(f, "</title><style>%s</style></head><body>\n<header><h1>smmufuzz campaign ", css);
	esc(f, r->c->name);
	fprintf(f, "</h1><p>");
	{
		unsigned t;

		for (t = 0; t < r->c->nt; t++)
			fprintf(f, "%s%s", t ? ", " : "", r->c->targets[t]);
	}
	fprintf(f, " &middot; %.0f s of %.0f s &middot; generated %s</p></header>\n",
		r->c->elapsed_before, r->c->budget_s, r->generated);
	fprintf(f, "<nav><a href=\"#summary\">Summary</a><a href=\"#units\">Targets</a>"
		"<a href=\"#plots\">Over time</a><a href=\"#coverage\">Coverage</a>"
		"<a href=\"#findings\">Findings</a><a href=\"#rejections\">Rejections</a>"
		"<a href=\"report.md\">Markdown</a></nav>\n<main>\n");
	summary(f, r);
	units(f, r);
	plots(f, r);
	coverage(f, r);
	findings(f, r);
	rejections(f, r);
	fprintf(f, "</main></body></html>\n");
	if (!atomic_close(f, tmp, path)) {
		snprintf(err, cap, "cannot write %s", path);
		return false;
	}
	return true;
}
