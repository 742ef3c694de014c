// SPDX-License-Identifier: MIT
/*
 * What bugbench writes from results.tsv: results.md (per configuration of
 * engine, mutator and budget: each bug's class, found k/N, median, min and
 * max time to exposure, then the control and a summary) and index.html
 * (the same tables and a survival plot: the share of bug trials exposed by
 * each moment, one line per configuration, drawn here as SVG). Both are
 * rewritten whole (temporary file, then rename) after every trial.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "cmd_bugbench.h"

#define MAX_CONFIGS	16

size_t bugbench_load(const char *path, struct bb_row **rows)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	size_t n = 0, cap = 0;

	*rows = NULL;
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *field[8], *save = NULL;
		struct bb_row *r;
		unsigned k;

		/* A line cut by a kill has no newline: that trial runs again. */
		if (line[0] == '#' || strchr(line, '\n') == NULL)
			continue;
		line[strcspn(line, "\n")] = 0;
		for (k = 0; k < 8; k++)
			if ((field[k] = strtok_r(k ? NULL : line, "\t", &save)) == NULL)
				break;
		if (k < 7)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			*rows = realloc(*rows, cap * sizeof(**rows));
			if (*rows == NULL)
				die("out of memory");
		}
		r = &(*rows)[n++];
		snprintf(r->bug, sizeof(r->bug), "%s", field[0]);
		r->trial = (unsigned)strtoul(field[1], NULL, 10);
		snprintf(r->engine, sizeof(r->engine), "%s", field[2]);
		snprintf(r->mutator, sizeof(r->mutator), "%s", field[3]);
		r->budget_s = strtod(field[4], NULL);
		r->tte_s = strcmp(field[5], "miss") == 0 ? -1 : strtod(field[5], NULL);
		snprintf(r->sig, sizeof(r->sig), "%s", strcmp(field[6], "-") == 0 ? "" : field[6]);
		snprintf(r->clean, sizeof(r->clean), "%s", k == 8 && strcmp(field[7], "-") != 0 ? field[7] : "");
	}
	fclose(f);
	return n;
}

struct config {
	char engine[16], mutator[8];
	double budget_s;
	double *tte;		/* every bug trial's time; misses as INFINITY */
	size_t ntte;
	unsigned bugs, bugs_all, bugs_any;	/* tried, exposed in all, in one */
};

static bool same_config(const struct config *c, const struct bb_row *r)
{
	return strcmp(c->engine, r->engine) == 0 && strcmp(c->mutator, r->mutator) == 0 &&
	       c->budget_s == r->budget_s;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median with misses counted as never: undefined (INFINITY) when half or
 * more of the trials missed. */
static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	if (n == 0)
		return INFINITY;
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void fmt_time(double t, char *buf, size_t cap)
{
	if (isinf(t))
		snprintf(buf, cap, "—");
	else if (t < 10)
		snprintf(buf, cap, "%.1f s", t);
	else
		snprintf(buf, cap, "%.0f s", t);
}

struct bug_stats {
	unsigned n, found;
	unsigned judged, specific;	/* exposing inputs replayed on the clean
					 * core, and those not a finding there */
	double med, min, max;
	const char *sig;	/* one matching signature */
};

static struct bug_stats stats_of(const struct bb_row *rows, size_t nrows,
				 const struct config *c, const char *bug)
{
	struct bug_stats s = { 0, 0, 0, 0, INFINITY, INFINITY, INFINITY, NULL };
	double t[1000];
	size_t i;

	for (i = 0; i < nrows && s.n < 1000; i++) {
		const struct bb_row *r = &rows[i];

		if (strcmp(r->bug, bug) != 0 || !same_config(c, r))
			continue;
		t[s.n++] = r->tte_s < 0 ? INFINITY : r->tte_s;
		if (r->tte_s >= 0 && r->clean[0] != 0) {
			s.judged++;
			s.specific += strncmp(r->clean, "finding:", 8) != 0;
		}
		if (r->tte_s >= 0) {
			s.found++;
			if (s.sig == NULL)
				s.sig = r->sig;
			if (isinf(s.max) || r->tte_s > s.max)
				s.max = r->tte_s;
		}
	}
	s.med = median(t, s.n);
	s.min = s.n ? t[0] : INFINITY;
	return s;
}

static void config_name(const struct config *c, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s, mutator %s, %.0f s", c->engine, c->mutator, c->budget_s);
}

/* Whether every configuration ran @bug: only those bugs are compared. */
static bool in_every_config(const struct bb_row *rows, size_t nrows,
			    const struct config *cf, unsigned nc, const char *bug)
{
	unsigned k;
	size_t i;

	for (k = 0; k < nc; k++) {
		for (i = 0; i < nrows; i++)
			if (strcmp(rows[i].bug, bug) == 0 && same_config(&cf[k], &rows[i]))
				break;
		if (i == nrows)
			return false;
	}
	return true;
}

/*
 * The configurations in order of first appearance; their times (for the
 * plot and the summary's median) only of the bugs every configuration
 * ran, so that the lines compare like with like. Returns how many.
 */
static unsigned gather(const struct bb_row *rows, size_t nrows, struct config *cf,
		       unsigned *common)
{
	unsigned nc = 0, k;
	size_t i, b;

	for (i = 0; i < nrows; i++) {
		for (k = 0; k < nc && !same_config(&cf[k], &rows[i]); k++)
			;
		if (k == nc && nc < MAX_CONFIGS) {
			memset(&cf[nc], 0, sizeof(cf[nc]));
			snprintf(cf[nc].engine, sizeof(cf[nc].engine), "%s", rows[i].engine);
			snprintf(cf[nc].mutator, sizeof(cf[nc].mutator), "%s", rows[i].mutator);
			cf[nc].budget_s = rows[i].budget_s;
			cf[nc].tte = calloc(nrows, sizeof(double));
			if (cf[nc].tte == NULL)
				die("out of memory");
			nc++;
		}
	}
	for (i = 0; i < nrows; i++) {
		for (k = 0; k < nc && !same_config(&cf[k], &rows[i]); k++)
			;
		if (k < nc && strcmp(rows[i].bug, BUGBENCH_CONTROL) != 0 &&
		    in_every_config(rows, nrows, cf, nc, rows[i].bug))
			cf[k].tte[cf[k].ntte++] = rows[i].tte_s < 0 ? INFINITY : rows[i].tte_s;
	}
	*common = 0;
	for (b = 0; b < bugbench_bug_count; b++)
		*common += in_every_config(rows, nrows, cf, nc, bugbench_bugs[b].id);
	for (k = 0; k < nc; k++) {
		for (b = 0; b < bugbench_bug_count; b++) {
			struct bug_stats s = stats_of(rows, nrows, &cf[k], bugbench_bugs[b].id);

			if (s.n == 0)
				continue;
			cf[k].bugs++;
			cf[k].bugs_all += s.found == s.n;
			cf[k].bugs_any += s.found > 0;
		}
		qsort(cf[k].tte, cf[k].ntte, sizeof(double), cmp_double);
	}
	return nc;
}

/* ---- Markdown and HTML tables (one writer, two dialects) ---------------- */

struct out {
	FILE *f;
	bool html;
};

static void cell_row(struct out *o, const char *const *cells, unsigned n, bool head)
{
	unsigned i;

	if (!o->html) {
		fprintf(o->f, "|");
		for (i = 0; i < n; i++)
			fprintf(o->f, " %s |", cells[i]);
		fprintf(o->f, "\n");
		if (head) {
			fprintf(o->f, "|");
			for (i = 0; i < n; i++)
				fprintf(o->f, "---|");
			fprintf(o->f, "\n");
		}
		return;
	}
	fprintf(o->f, "<tr>");
	for (i = 0; i < n; i++) {
		const char *p;

		fprintf(o->f, "<%s>", head ? "th" : "td");
		for (p = cells[i]; *p; p++) {
			if (*p == '<')
				fputs("&lt;", o->f);
			else if (*p == '>')
				fputs("&gt;", o->f);
			else if (*p == '&')
				fputs("&amp;", o->f);
			else if (*p != '`')
				fputc(*p, o->f);
		}
		fprintf(o->f, "</%s>", head ? "th" : "td");
	}
	fprintf(o->f, "</tr>\n");
}

static void heading(struct out *o, const char *text)
{
	if (o->html)
		fprintf(o->f, "<h2>%s</h2>\n", text);
	else
		fprintf(o->f, "\n## %s\n\n", text);
}

static void table_begin(struct out *o)
{
	if (o->html)
		fprintf(o->f, "<table>\n");
}

static void table_end(struct out *o)
{
	if (o->html)
		fprintf(o->f, "</table>\n");
}

static void write_tables(struct out *o, const struct bb_row *rows, size_t nrows,
			 const struct config *cf, unsigned nc)
{
	static const char *const head[] = { "bug", "class", "found", "median", "min", "max",
					    "first matching signature", "clean core" };
	static const char *const shead[] = { "configuration", "bugs tried",
					     "exposed in every trial", "exposed at least once",
					     "median over the common bugs' trials", "control" };
	char name[96], found[32], med[32], mn[32], mx[32], sig[220], a[16], b2[16], c2[16],
	     ctl[240], clean[48];
	unsigned k;
	size_t i, b;

	heading(o, "Summary");
	table_begin(o);
	cell_row(o, shead, 6, true);
	for (k = 0; k < nc; k++) {
		const char *cells[6];
		double *t = cf[k].tte;
		bool ctl_run = false;

		config_name(&cf[k], name, sizeof(name));
		snprintf(a, sizeof(a), "%u", cf[k].bugs);
		snprintf(b2, sizeof(b2), "%u", cf[k].bugs_all);
		snprintf(c2, sizeof(c2), "%u", cf[k].bugs_any);
		fmt_time(cf[k].ntte ? (cf[k].ntte % 2 ? t[cf[k].ntte / 2]
				       : (t[cf[k].ntte / 2 - 1] + t[cf[k].ntte / 2]) / 2)
				    : INFINITY, med, sizeof(med));
		snprintf(ctl, sizeof(ctl), "not run");
		for (i = 0; i < nrows; i++) {
			if (strcmp(rows[i].bug, BUGBENCH_CONTROL) != 0 || !same_config(&cf[k], &rows[i]))
				continue;
			if (rows[i].tte_s >= 0)
				snprintf(ctl, sizeof(ctl), "**FINDING** %s", rows[i].sig);
			else if (!ctl_run)
				snprintf(ctl, sizeof(ctl), "nothing found");
			ctl_run = true;
		}
		cells[0] = name;
		cells[1] = a;
		cells[2] = b2;
		cells[3] = c2;
		cells[4] = med;
		cells[5] = ctl;
		cell_row(o, cells, 6, false);
	}
	table_end(o);

	for (k = 0; k < nc; k++) {
		char title[128];

		config_name(&cf[k], name, sizeof(name));
		snprintf(title, sizeof(title), "%s", name);
		heading(o, title);
		table_begin(o);
		cell_row(o, head, 8, true);
		for (b = 0; b < bugbench_bug_count; b++) {
			const struct bug *bug = &bugbench_bugs[b];
			struct bug_stats s = stats_of(rows, nrows, &cf[k], bug->id);
			const char *cells[8];

			if (s.n == 0)
				continue;
			snprintf(found, sizeof(found), "%u/%u", s.found, s.n);
			fmt_time(s.med, med, sizeof(med));
			fmt_time(s.min, mn, sizeof(mn));
			fmt_time(s.max, mx, sizeof(mx));
			snprintf(sig, sizeof(sig), "`%s`", s.sig ? s.sig : "—");
			cells[0] = bug->id;
			cells[1] = bug->cls;
			cells[2] = found;
			cells[3] = med;
			cells[4] = mn;
			cells[5] = mx;
			cells[6] = sig;
			if (s.judged == 0)
				snprintf(clean, sizeof(clean), "—");
			else if (s.specific == s.judged)
				snprintf(clean, sizeof(clean), "%u/%u ok", s.specific, s.judged);
			else
				snprintf(clean, sizeof(clean), "**%u/%u a finding there too**",
					 s.judged - s.specific, s.judged);
			cells[7] = clean;
			cell_row(o, cells, 8, false);
		}
		table_end(o);
	}
}

/* ---- The survival plot --------------------------------------------------- */

#define SVG_W	760
#define SVG_H	380
#define PAD_L	60
#define PAD_R	20
#define PAD_T	20
#define PAD_B	50
#define T_MIN	0.1

static const char *const colours[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
};

static double x_of(double t, double t_max)
{
	if (t < T_MIN)
		t = T_MIN;
	return PAD_L + (SVG_W - PAD_L - PAD_R) * log10(t / T_MIN) / log10(t_max / T_MIN);
}

static double y_of(double share)
{
	return PAD_T + (SVG_H - PAD_T - PAD_B) * (1.0 - share);
}

static void write_svg(FILE *f, const struct config *cf, unsigned nc, unsigned common)
{
	static const double ticks[] = { 0.1, 1, 10, 60, 600, 3600, 36000 };
	double t_max = 1;
	unsigned k, i;

	for (k = 0; k < nc; k++)
		if (cf[k].budget_s > t_max)
			t_max = cf[k].budget_s;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"font-family=\"sans-serif\" font-size=\"12\">\n", SVG_W, SVG_H + 20 * (int)nc);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
		"stroke=\"#888\"/>\n", PAD_L, PAD_T, SVG_W - PAD_L - PAD_R, SVG_H - PAD_T - PAD_B);
	for (i = 0; i <= 4; i++) {
		double y = y_of(i / 4.0);

		fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%u %%</text>\n",
			PAD_L, SVG_W - PAD_R, y, y, PAD_L - 6, y + 4, i * 25);
	}
	for (i = 0; i < sizeof(ticks) / sizeof(ticks[0]) && ticks[i] <= t_max; i++) {
		double x = x_of(ticks[i], t_max);

		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
			"<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g s</text>\n",
			x, x, PAD_T, SVG_H - PAD_B, x, SVG_H - PAD_B + 16, ticks[i]);
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time since the campaign "
		"began (log scale)</text>\n", (SVG_W + PAD_L) / 2, SVG_H - PAD_B + 34);
	for (k = 0; k < nc; k++) {
		const char *col = colours[k % (sizeof(colours) / sizeof(colours[0]))];
		double share = 0, x = x_of(T_MIN, t_max);
		char name[96];
		size_t j;

		fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%.1f,%.1f",
			col, x, y_of(0));
		/* A step up at each exposure: the share of bug trials exposed. */
		for (j = 0; j < cf[k].ntte && !isinf(cf[k].tte[j]); j++) {
			x = x_of(cf[k].tte[j], t_max);
			fprintf(f, " %.1f,%.1f", x, y_of(share));
			share = (double)(j + 1) / (double)cf[k].ntte;
			fprintf(f, " %.1f,%.1f", x, y_of(share));
		}
		fprintf(f, " %.1f,%.1f\"/>\n", x_of(cf[k].budget_s, t_max), y_of(share));
		config_name(&cf[k], name, sizeof(name));
		fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" "
			"stroke-width=\"2\"/><text x=\"%d\" y=\"%d\">%s: %zu trials of the %u "
			"bugs every configuration ran</text>\n",
			PAD_L, PAD_L + 24, SVG_H + 20 * (int)k, SVG_H + 20 * (int)k, col,
			PAD_L + 30, SVG_H + 20 * (int)k + 4, name, cf[k].ntte, common);
	}
	fprintf(f, "</svg>\n");
}

/* ---- Files --------------------------------------------------------------- */

static FILE *open_tmp(const char *dir, const char *name, char *tmp, size_t cap)
{
	FILE *f;

	snprintf(tmp, cap, "%s/.%s.tmp", dir, name);
	f = fopen(tmp, "w");
	if (f == NULL)
		complain("bugbench: cannot write %s: %s", tmp, strerror(errno));
	return f;
}

static void commit(FILE *f, const char *tmp, const char *dir, const char *name)
{
	char path[CAMPAIGN_PATH];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		complain("bugbench: cannot write %s: %s", path, strerror(errno));
}

static const char intro[] =
	"Time to exposure: the campaign time of the first crash whose signature "
	"matches the bug's expected one (docs/bugs.md). found k/N: trials that "
	"exposed it within the budget. The median counts a miss as never (—: "
	"half the trials or more missed). clean core: the exposing inputs "
	"replayed on the clean core, which must not find anything in them "
	"(k/k ok: the finding is the injected bug's doing). The control is the "
	"same campaign on the clean core: it must find nothing.";

void bugbench_report(const char *dir)
{
	char path[CAMPAIGN_PATH], tmp[CAMPAIGN_PATH];
	struct config cf[MAX_CONFIGS];
	struct bb_row *rows;
	struct out o;
	size_t nrows;
	unsigned nc, k, common;
	FILE *f;

	snprintf(path, sizeof(path), "%s/results.tsv", dir);
	nrows = bugbench_load(path, &rows);
	nc = gather(rows, nrows, cf, &common);

	if ((f = open_tmp(dir, "results.md", tmp, sizeof(tmp))) != NULL) {
		o.f = f;
		o.html = false;
		fprintf(f, "# Injected-bug benchmark\n\n%s\n", intro);
		write_tables(&o, rows, nrows, cf, nc);
		commit(f, tmp, dir, "results.md");
	}
	if ((f = open_tmp(dir, "index.html", tmp, sizeof(tmp))) != NULL) {
		o.f = f;
		o.html = true;
		fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
			"<title>smmufuzz bugbench</title><style>body{font-family:sans-serif;"
			"max-width:1100px;margin:2em auto}table{border-collapse:collapse;"
			"margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:2px 8px;"
			"font-size:13px}th{background:#eee}</style></head><body>\n"
			"<h1>Injected-bug benchmark</h1>\n<p>%s</p>\n<h2>Survival</h2>\n"
			"<p>Share of bug trials exposed by each moment, one line per "
			"configuration, over the bugs every configuration ran.</p>\n", intro);
		write_svg(f, cf, nc, common);
		write_tables(&o, rows, nrows, cf, nc);
		fprintf(f, "</body></html>\n");
		commit(f, tmp, dir, "index.html");
	}
	for (k = 0; k < nc; k++)
		free(cf[k].tte);
	free(rows);
}
