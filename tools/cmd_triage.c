// SPDX-License-Identifier: MIT
/*
 * triage: replay crash files, group them by signature and print one line
 * per distinct finding. regress: replay the seed corpus and the committed
 * regression repros (each directory with its target's op subset); any
 * finding or unreadable file fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd_qemu.h"
#include "sandbox.h"

#define MAX_GROUPS 512

struct group {
	char sig[256];
	char example[4096];
	unsigned count;
};

static struct op ops[OPS_MAX_OPS];

int cmd_triage(int argc, char **argv)
{
	static struct group groups[MAX_GROUPS];
	const char *target_opt = NULL;
	bool raw = true, qemu = false;
	char **files;
	size_t nfiles, i, ngroups = 0, findings = 0, bad = 0, benign = 0;
	int a, first = 0;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--target") == 0 && a + 1 < argc)
			target_opt = argv[++a];
		else if (strcmp(argv[a], "--strict") == 0)
			raw = false;
		else if (strcmp(argv[a], "--qemu") == 0)
			qemu = true;
		else if (argv[a][0] == '-')
			die("triage: unknown option '%s'", argv[a]);
		else {
			first = a;
			break;
		}
	}
	if (first == 0)
		die("triage: missing FILE|DIR");
	if (target_opt != NULL && harness_target_opts(target_opt) == NULL)
		die("triage: unknown target '%s'", target_opt);
	nfiles = list_inputs(argv + first, argc - first, &files);
	for (i = 0; i < nfiles; i++) {
		struct sandbox_result sr;
		struct ops_header hdr;
		size_t g;
		int n;

		n = load_ops(files[i], raw, &hdr, ops, OPS_MAX_OPS);
		if (n < 0) {
			bad++;
			continue;
		}
		sandbox_run(hdr.profile, ops, (size_t)n,
			    harness_target_opts(infer_target(files[i], target_opt)),
			    false, 20, &sr);
		if (sr.verdict != VERDICT_FINDING) {
			benign++;
			continue;
		}
		findings++;
		for (g = 0; g < ngroups; g++)
			if (strcmp(groups[g].sig, sr.verdict_line) == 0)
				break;
		if (g == ngroups && ngroups < MAX_GROUPS) {
			snprintf(groups[g].sig, sizeof(groups[g].sig), "%s", sr.verdict_line);
			snprintf(groups[g].example, sizeof(groups[g].example), "%s", files[i]);
			ngroups++;
		}
		if (g < ngroups)
			groups[g].count++;
	}
	if (qemu && ngroups > 0) {
		/* Each finding's example on the EL2 build under QEMU too. */
		static char lines[MAX_GROUPS][320];
		static char *examples[MAX_GROUPS];

		for (i = 0; i < ngroups; i++)
			examples[i] = groups[i].example;
		qemu_verdict_lines(examples, ngroups, target_opt, raw, 2, lines);
		for (i = 0; i < ngroups; i++)
			printf("%5u  %s  %s  qemu: %s\n", groups[i].count, groups[i].sig,
			       groups[i].example, lines[i]);
	} else {
		for (i = 0; i < ngroups; i++)
			printf("%5u  %s  %s\n", groups[i].count, groups[i].sig,
			       groups[i].example);
	}
	fflush(stdout);
	fprintf(stderr, "triage: %zu file(s): %zu distinct finding(s) in %zu file(s), "
			"%zu without a finding, %zu unreadable\n", nfiles, ngroups,
		findings, benign, bad);
	free_inputs(files, nfiles);
	if (bad)
		return EXIT_BADINPUT;
	return findings ? EXIT_FINDING : 0;
}

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int cmd_regress(int argc, char **argv)
{
	char defaults[2][4096];
	char **dirs;
	int ndirs, a, status = 0, replayed = 0;

	for (a = 1; a < argc && argv[a][0] == '-'; a++)
		die("regress: unknown option '%s'", argv[a]);
	if (a < argc) {
		dirs = argv + a;
		ndirs = argc - a;
	} else {
		static char *def[2];

		snprintf(defaults[0], sizeof(defaults[0]), "%s/corpus/seeds", build_dir());
		snprintf(defaults[1], sizeof(defaults[1]), "%s/corpus/regress", build_dir());
		def[0] = defaults[0];
		def[1] = defaults[1];
		dirs = def;
		ndirs = 2;
	}
	for (a = 0; a < ndirs; a++) {
		char **subs;
		size_t nsubs, i;
		char *one[1];

		if (!is_dir(dirs[a]))
			die("regress: %s is not a directory", dirs[a]);
		/* One replay per target directory, so each keeps its op subset. */
		one[0] = dirs[a];
		nsubs = list_dirs(one, 1, &subs);
		for (i = 0; i < nsubs; i++) {
			char *args[3] = { "replay", subs[i], NULL };
			int rc = cmd_replay(2, args);

			replayed++;
			if (rc > status)
				status = rc;
		}
		free_inputs(subs, nsubs);
	}
	if (replayed == 0)
		die("regress: nothing to replay");
	return status;
}
