// SPDX-License-Identifier: MIT
/*
 * report: the report of a campaign (report.h lists the parts), from its
 * directory alone: report.html (one self-contained page), report.md with
 * its charts in report/, the source coverage of core/src from its corpus
 * in coverage/ (with coverage/uncovered.md), the QEMU verdict of each
 * finding. A campaign writes it at its end (cmd_fuzz.c); this command
 * writes it again, for any campaign, at any time.
 *
 *   smmufuzz report [--no-coverage] [--no-qemu] [--cov-build DIR]
 *                   [--coverage-doc FILE] [CAMPAIGN]
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "report.h"

/* The newest campaign under reports/ (by campaign.conf's time). */
static bool newest_campaign(char *out, size_t cap)
{
	char dir[REPORT_PATH], p[REPORT_PATH];
	time_t best = 0;
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/reports", source_dir());
	d = opendir(dir);
	while (d != NULL && (e = readdir(d)) != NULL) {
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s/campaign.conf", dir, e->d_name);
		if (stat(p, &st) == 0 && st.st_mtime >= best) {
			best = st.st_mtime;
			snprintf(out, cap, "%s/%s", dir, e->d_name);
		}
	}
	if (d != NULL)
		closedir(d);
	return best != 0;
}

static bool write_uncovered(const struct report *r, const char *path, const char *how)
{
	char tmp[REPORT_PATH];
	FILE *f = atomic_open(path, tmp, sizeof(tmp));

	if (f == NULL)
		return false;
	uncov_write_md(f, r, how);
	return atomic_close(f, tmp, path);
}

static bool run_report(const char *dir, const struct report_opts *o, const char *doc,
		       char *err, size_t cap)
{
	static struct report r;
	struct cov_opts co = { .cov_build = o->cov_build, .run = o->coverage };
	char p[REPORT_PATH];
	time_t now = time(NULL);
	bool ok;

	if (!report_load(&r, dir, err, cap)) {
		report_free(&r);
		return false;
	}
	strftime(r.generated, sizeof(r.generated), "%Y-%m-%d %H:%M", localtime(&now));
	if (!o->quiet && o->coverage)
		printf("report: measuring the coverage of core/src from %s's corpus\n", r.c->name);
	fflush(stdout);
	coverage_campaign(&r, &co);
	report_qemu(&r, o->qemu);
	report_write_svgs(&r);
	snprintf(p, sizeof(p), "%s/coverage/uncovered.md", r.c->dir);
	if (r.cov.have)
		write_uncovered(&r, p, "coverage/uncovered.md of this campaign");
	ok = report_write_md(&r, err, cap) && report_write_html(&r, err, cap);
	if (ok && doc != NULL) {
		char how[REPORT_PATH + 64];

		snprintf(how, sizeof(how), "from campaign %s", r.c->name);
		if (!r.cov.have) {
			snprintf(err, cap, "--coverage-doc: no coverage figures (%s)", r.cov.why_not);
			ok = false;
		} else if (!write_uncovered(&r, doc, how)) {
			snprintf(err, cap, "cannot write %s", doc);
			ok = false;
		}
	}
	if (ok && !o->quiet)
		printf("report: %s/report.html (and report.md)\n", r.c->dir);
	report_free(&r);
	return ok;
}

bool report_campaign(const char *dir, const struct report_opts *o, char *err, size_t cap)
{
	return run_report(dir, o, NULL, err, cap);
}

int cmd_report(int argc, char **argv)
{
	struct report_opts o = { .coverage = true, .qemu = true };
	const char *dir = NULL, *doc = NULL;
	char def[REPORT_PATH], err[1024];
	int a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--no-coverage") == 0) {
			o.coverage = false;
		} else if (strcmp(argv[a], "--no-qemu") == 0) {
			o.qemu = false;
		} else if (strcmp(argv[a], "--cov-build") == 0 && a + 1 < argc) {
			o.cov_build = argv[++a];
		} else if (strcmp(argv[a], "--coverage-doc") == 0 && a + 1 < argc) {
			doc = argv[++a];
		} else if (argv[a][0] == '-') {
			die("report: unknown option '%s' (see smmufuzz --help)", argv[a]);
		} else if (dir == NULL) {
			dir = argv[a];
		} else {
			die("report: one campaign at a time ('%s' and '%s')", dir, argv[a]);
		}
	}
	if (dir == NULL) {
		if (!newest_campaign(def, sizeof(def)))
			die("report: no campaign in %s/reports (give its directory)", source_dir());
		dir = def;
	}
	if (!run_report(dir, &o, doc, err, sizeof(err)))
		die("report: %s", err);
	return 0;
}
