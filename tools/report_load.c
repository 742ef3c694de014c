// SPDX-License-Identifier: MIT
/*
 * What the report reads from a campaign directory: campaign.conf (targets,
 * engines, per-unit totals), series.tsv (the time series), findings.tsv and
 * crashes.tsv (findings and which target and engine showed each), the
 * minimised repros, AFL++'s plot_data and libFuzzer's status lines. A
 * missing file means "nothing yet"; a corrupt one is refused with one line
 * naming the file and line, except the cut last line a kill can leave.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

void html_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f); break;
		}
	}
}

FILE *atomic_open(const char *path, char *tmp, size_t cap)
{
	snprintf(tmp, cap, "%s.tmp.%ld", path, (long)getpid());
	return fopen(tmp, "w");
}

bool atomic_close(FILE *f, const char *tmp, const char *path)
{
	bool ok = fflush(f) == 0 && !ferror(f);

	if (fclose(f) != 0)
		ok = false;
	if (ok && rename(tmp, path) == 0)
		return true;
	remove(tmp);
	return false;
}

char *slurp(const char *path, size_t *len)
{
	struct buf b;
	char err[256];

	if (!read_file(path, &b, err, sizeof(err)))
		return NULL;
	if (len != NULL)
		*len = b.len;
	return (char *)b.data;
}

const char *rel_to(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

void curve_add(struct curve *cv, double x, double y)
{
	if (cv->n == cv->cap) {
		size_t cap = cv->cap ? cv->cap * 2 : 64;
		double *nx = realloc(cv->x, cap * sizeof(double));
		double *ny;

		if (nx == NULL)
			die("out of memory");
		cv->x = nx;
		ny = realloc(cv->y, cap * sizeof(double));
		if (ny == NULL)
			die("out of memory");
		cv->y = ny;
		cv->cap = cap;
	}
	cv->x[cv->n] = x;
	cv->y[cv->n] = y;
	cv->n++;
}

void curve_free(struct curve *cv)
{
	free(cv->x);
	free(cv->y);
	cv->x = cv->y = NULL;
	cv->n = cv->cap = 0;
}

static int campaign_target(const struct campaign *c, const char *name)
{
	unsigned i;

	for (i = 0; i < c->nt; i++)
		if (strcmp(c->targets[i], name) == 0)
			return (int)i;
	return -1;
}

/* Split @line at tabs into at most @max fields; returns the count. */
static unsigned split_tabs(char *line, char **field, unsigned max)
{
	unsigned n = 0;
	char *p = line;

	while (n < max) {
		field[n++] = p;
		p = strchr(p, '\t');
		if (p == NULL)
			break;
		*p++ = 0;
	}
	return p == NULL ? n : max + 1;
}

static bool number(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return end != s && *end == 0 && errno == 0;
}

bool series_load(struct report *r, const char *path, char *err, size_t cap)
{
	size_t len, rowcap = 0;
	char *text = slurp(path, &len), *line, *next;
	unsigned lineno = 0;

	if (text == NULL)
		return true;	/* no samples yet */
	for (line = text; line < text + len; line = next) {
		char *field[SERIES_FIELDS + 1];
		struct series_row row;
		double v[SERIES_FIELDS];
		unsigned n, k;
		int ti;
		char *nl = strchr(line, '\n');

		lineno++;
		if (nl == NULL) {
			/* A kill can cut the last line: skipped, said so. */
			r->series_cut = *line != 0;
			break;
		}
		*nl = 0;
		next = nl + 1;
		if (line[0] == '#' || line[0] == 0)
			continue;
		n = split_tabs(line, field, SERIES_FIELDS);
		if (n != SERIES_FIELDS) {
			snprintf(err, cap, "%s:%u: corrupt row (%s%u fields, expected %u)", path,
				 lineno, n > SERIES_FIELDS ? "more than " : "",
				 n > SERIES_FIELDS ? SERIES_FIELDS : n, SERIES_FIELDS);
			free(text);
			return false;
		}
		for (k = 0; k < SERIES_FIELDS; k++)
			if (k != 2 && k != 3 && k != 4 && !number(field[k], &v[k])) {
				snprintf(err, cap, "%s:%u: corrupt row (field %u '%.30s' is not a "
					 "number)", path, lineno, k + 1, field[k]);
				free(text);
				return false;
			}
		ti = campaign_target(r->c, field[2]);
		if (ti < 0 || (strcmp(field[3], "libfuzzer") != 0 && strcmp(field[3], "afl") != 0)) {
			snprintf(err, cap, "%s:%u: corrupt row (target '%.30s', engine '%.20s' "
				 "not in campaign.conf)", path, lineno, field[2], field[3]);
			free(text);
			return false;
		}
		memset(&row, 0, sizeof(row));
		row.t = v[0];
		row.session = (unsigned)v[1];
		row.target = (unsigned)ti;
		row.engine = strcmp(field[3], "afl") == 0 ? ENGINE_AFL : ENGINE_LIBFUZZER;
		row.execs = (uint64_t)v[5];
		row.exec_s = v[6];
		row.exec_s_core = v[7];
		row.exec_s_cpu = v[8];
		row.cpu_s = v[9];
		row.cov = (unsigned)v[10];
		row.ft = (unsigned)v[11];
		row.corpus = (unsigned)v[12];
		row.corpus_files = (unsigned)v[13];
		row.crash_files = (unsigned)v[14];
		row.findings = (unsigned)v[15];
		if (r->nrows == rowcap) {
			struct series_row *nr;

			rowcap = rowcap ? rowcap * 2 : 256;
			nr = realloc(r->rows, rowcap * sizeof(*nr));
			if (nr == NULL)
				die("out of memory");
			r->rows = nr;
		}
		r->rows[r->nrows++] = row;
	}
	free(text);
	return true;
}

static struct rfinding *find_sig(struct report *r, const char *sig)
{
	unsigned i;

	for (i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].sig, sig) == 0)
			return &r->findings[i];
	return NULL;
}

static void add_seen(struct rfinding *f, const char *target, const char *engine)
{
	char item[96];
	size_t len = strlen(f->seen);

	snprintf(item, sizeof(item), "%s/%s", target, engine);
	if (strstr(f->seen, item) != NULL)
		return;
	snprintf(f->seen + len, sizeof(f->seen) - len, "%s%s", len ? ", " : "", item);
}

static bool load_findings(struct report *r, char *err, size_t cap)
{
	const char *dir = r->c->dir;
	char path[REPORT_PATH], *text, *line, *next;
	unsigned lineno = 0;

	snprintf(path, sizeof(path), "%s/findings.tsv", dir);
	text = slurp(path, NULL);
	for (line = text; line != NULL && *line; line = next) {
		char *field[9];
		struct rfinding *f;
		struct stat st;
		char p[REPORT_PATH], *nl = strchr(line, '\n');

		lineno++;
		if (nl == NULL)
			break;	/* written atomically: cannot happen, but harmless */
		*nl = 0;
		next = nl + 1;
		if (line[0] == '#' || line[0] == 0)
			continue;
		if (split_tabs(line, field, 8) != 8) {
			snprintf(err, cap, "%s:%u: corrupt row (expected 8 fields)", path, lineno);
			free(text);
			return false;
		}
		if (r->nfindings == REPORT_MAX_FINDINGS)
			break;
		f = &r->findings[r->nfindings++];
		memset(f, 0, sizeof(*f));
		snprintf(f->sig, sizeof(f->sig), "%s", field[0]);
		snprintf(f->cls, sizeof(f->cls), "%s", field[1]);
		snprintf(f->target, sizeof(f->target), "%s", field[2]);
		snprintf(f->engine, sizeof(f->engine), "%s", field[3]);
		f->first_s = atof(field[4]);
		f->files = (unsigned)atoi(field[5]);
		snprintf(f->example, sizeof(f->example), "%s", field[6]);
		f->real = strncmp(f->sig, "unreproduced:", 13) != 0;
		snprintf(f->host, sizeof(f->host), "%s%s", f->real ? "finding:" : "",
			 f->real ? f->sig : "no finding on replay");
		f->min_size = -1;
		if (strcmp(field[7], "-") != 0) {
			snprintf(f->minimised, sizeof(f->minimised), "%s", field[7]);
			snprintf(p, sizeof(p), "%s/%s", dir, f->minimised);
			if (stat(p, &st) == 0)
				f->min_size = (long long)st.st_size;
			/* findings/<slug>.smfz -> findings/<slug>.txt */
			snprintf(f->text_rel, sizeof(f->text_rel), "%.*s.txt",
				 (int)(strlen(f->minimised) > 5 ? strlen(f->minimised) - 5 : 0),
				 f->minimised);
			snprintf(p, sizeof(p), "%s/%s", dir, f->text_rel);
			f->text = slurp(p, NULL);
			if (f->text == NULL)
				f->text_rel[0] = 0;
		}
	}
	free(text);

	/* Which targets and engines showed each signature. */
	snprintf(path, sizeof(path), "%s/crashes.tsv", dir);
	text = slurp(path, NULL);
	for (line = text; line != NULL && *line; line = next) {
		char *field[6], *nl = strchr(line, '\n');
		struct rfinding *f;
		int ti;

		if (nl == NULL)
			break;	/* a line cut by a kill */
		*nl = 0;
		next = nl + 1;
		if (line[0] == '#' || split_tabs(line, field, 5) != 5)
			continue;
		ti = campaign_target(r->c, field[1]);
		f = find_sig(r, field[3]);
		if (ti >= 0)
			r->unit_crash_files[ti][strcmp(field[2], "afl") == 0 ? ENGINE_AFL : ENGINE_LIBFUZZER]++;
		if (f != NULL && ti >= 0)
			add_seen(f, field[1], field[2]);
	}
	free(text);
	/* Distinct real signatures per unit, from each finding's "seen". */
	for (unsigned i = 0; i < r->nfindings; i++) {
		const struct rfinding *f = &r->findings[i];
		unsigned t, e;

		if (!f->real)
			continue;
		for (t = 0; t < r->c->nt; t++)
			for (e = 0; e < ENGINE_COUNT; e++) {
				char item[96];

				snprintf(item, sizeof(item), "%s/%s", r->c->targets[t],
					 engine_name((enum engine)e));
				if (strstr(f->seen, item) != NULL)
					r->unit_findings[t][e]++;
			}
		if (f->seen[0] == 0) {
			int ti = campaign_target(r->c, f->target);

			if (ti >= 0)
				r->unit_findings[ti][strcmp(f->engine, "afl") == 0]++;
		}
	}
	return true;
}

/* AFL++'s plot_data of each target's main instance: edges over its own
 * run time ("# relative_time, cycles_done, cur_item, corpus_count,
 * pending_total, pending_favs, map_size, saved_crashes, saved_hangs,
 * max_depth, execs_per_sec, total_execs, edges_found"). */
static void load_afl_plot(struct report *r, unsigned t)
{
	char path[REPORT_PATH], *text, *line, *next;
	struct curve *cv = &r->afl_plot[t];

	snprintf(path, sizeof(path), "%s/afl/%s/main/plot_data", r->c->dir, r->c->targets[t]);
	snprintf(cv->label, sizeof(cv->label), "%s", r->c->targets[t]);
	cv->color = t;
	text = slurp(path, NULL);
	for (line = text; line != NULL && *line; line = next) {
		char *nl = strchr(line, '\n');
		double rel, edges;
		const char *p;
		unsigned k;

		if (nl == NULL)
			break;
		*nl = 0;
		next = nl + 1;
		if (line[0] == '#' || sscanf(line, "%lf", &rel) != 1)
			continue;
		for (p = line, k = 0; k < 12 && p != NULL; k++) {
			p = strchr(p, ',');
			if (p != NULL)
				p++;
		}
		if (p != NULL && sscanf(p, "%lf", &edges) == 1)
			curve_add(cv, rel, edges);
	}
	free(text);
}

/* libFuzzer's status lines ("#4096 NEW cov: 812 ft: 2345 ...") of each
 * worker 0 log: coverage over executions. */
static void load_lf_status(struct report *r, unsigned t)
{
	char path[REPORT_PATH], line[1024];
	struct curve *cv = &r->lf_status[t];
	FILE *f;

	snprintf(path, sizeof(path), "%s/logs/%s-libfuzzer0.log", r->c->dir, r->c->targets[t]);
	snprintf(cv->label, sizeof(cv->label), "%s", r->c->targets[t]);
	cv->color = t;
	f = fopen(path, "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		unsigned long long n;
		const char *p;

		if (line[0] != '#' || sscanf(line + 1, "%llu", &n) != 1 ||
		    (p = strstr(line, "cov: ")) == NULL)
			continue;
		/* A resumed session starts counting again: keep going up. */
		if (cv->n > 0 && (double)n < cv->x[cv->n - 1])
			continue;
		curve_add(cv, (double)n, atof(p + 5));
	}
	if (f != NULL)
		fclose(f);
}

bool report_load(struct report *r, const char *dir, char *err, size_t cap)
{
	char path[REPORT_PATH], abs[REPORT_PATH];
	struct stat st;
	unsigned t;

	memset(r, 0, sizeof(*r));
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, cap, "%s: no such campaign directory", dir);
		return false;
	}
	if (realpath(dir, abs) == NULL)
		snprintf(abs, sizeof(abs), "%s", dir);
	r->c = calloc(1, sizeof(*r->c));
	r->findings = calloc(REPORT_MAX_FINDINGS, sizeof(*r->findings));
	if (r->c == NULL || r->findings == NULL)
		die("out of memory");
	r->c->lock_fd = -1;
	snprintf(path, sizeof(path), "%s/campaign.conf", abs);
	if (access(path, R_OK) != 0) {
		snprintf(err, cap, "%s: not a campaign directory (no campaign.conf)", dir);
		return false;
	}
	if (!campaign_load(r->c, abs, err, cap))
		return false;
	snprintf(path, sizeof(path), "%s/series.tsv", abs);
	if (!series_load(r, path, err, cap))
		return false;
	if (!load_findings(r, err, cap))
		return false;
	for (t = 0; t < r->c->nt; t++) {
		snprintf(path, sizeof(path), "%s/corpus/%s", abs, r->c->targets[t]);
		r->corpus_files[t] = count_entries(path);
		load_afl_plot(r, t);
		load_lf_status(r, t);
	}
	return true;
}

void report_free(struct report *r)
{
	unsigned i;

	for (i = 0; r->findings != NULL && i < r->nfindings; i++)
		free(r->findings[i].text);
	for (i = 0; i < CAMPAIGN_MAX_TARGETS; i++) {
		curve_free(&r->afl_plot[i]);
		curve_free(&r->lf_status[i]);
	}
	free(r->cov.uncov);
	free(r->findings);
	free(r->rows);
	free(r->c);
	memset(r, 0, sizeof(*r));
}


const char *group3(double v, char *buf, size_t cap)
{
	char digits[32];
	size_t n, i, k = 0;

	snprintf(digits, sizeof(digits), "%.0f", v < 0 ? 0 : v);
	n = strlen(digits);
	for (i = 0; i < n && k + 2 < cap; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = digits[i];
	}
	buf[k] = 0;
	return buf;
}

double report_pct(unsigned total, unsigned missed)
{
	return total ? 100.0 * (total - missed) / total : 100.0;
}

const struct saved_unit *report_unit(const struct report *r, unsigned t, enum engine e)
{
	unsigned i;

	for (i = 0; i < r->c->nsaved; i++)
		if (strcmp(r->c->saved[i].target, r->c->targets[t]) == 0 &&
		    r->c->saved[i].engine == e)
			return &r->c->saved[i];
	return NULL;
}
