// SPDX-License-Identifier: MIT
/*
 * replay: run inputs through the harness and print one verdict per input,
 * with the trace hash of everything the host observed. Each input runs in
 * a child process unless --no-fork, so a crash becomes a verdict too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

static struct op ops[OPS_MAX_OPS];

int cmd_replay(int argc, char **argv)
{
	const char *target_opt = NULL;
	bool raw = false, fork_each = true, verbose = false;
	unsigned timeout_s = 10;
	char **files;
	size_t nfiles, i, findings = 0, bad = 0, rejected = 0, okc = 0;
	int first = 0, a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--target") == 0 && a + 1 < argc) {
			target_opt = argv[++a];
			if (harness_target_opts(target_opt) == NULL)
				die("replay: unknown target '%s'", target_opt);
		} else if (strcmp(argv[a], "--raw") == 0) {
			raw = true;
		} else if (strcmp(argv[a], "--no-fork") == 0) {
			fork_each = false;
		} else if (strcmp(argv[a], "--timeout") == 0 && a + 1 < argc) {
			timeout_s = (unsigned)parse_count("--timeout", argv[++a]);
		} else if (strcmp(argv[a], "-v") == 0 || strcmp(argv[a], "--verbose") == 0) {
			verbose = true;
		} else if (strcmp(argv[a], "--") == 0) {
			first = a + 1;
			break;
		} else if (argv[a][0] == '-') {
			die("replay: unknown option '%s'", argv[a]);
		} else {
			first = a;
			break;
		}
	}
	if (first == 0 || first >= argc)
		die("replay: missing FILE|DIR");
	nfiles = list_inputs(argv + first, argc - first, &files);
	if (nfiles == 0)
		die("replay: no input files in the given paths");
	for (i = 0; i < nfiles; i++) {
		struct sandbox_result sr;
		struct ops_header hdr;
		const char *target = infer_target(files[i], target_opt);
		int n;

		n = load_ops(files[i], raw, &hdr, ops, OPS_MAX_OPS);
		if (n < 0) {
			bad++;
			continue;
		}
		sandbox_run(hdr.profile, ops, (size_t)n, harness_target_opts(target),
			    !fork_each, timeout_s, &sr);
		printf("%s: %s trace=%016llx", files[i], sr.verdict_line,
		       (unsigned long long)sr.trace);
		if (verbose)
			printf(" target=%s profile=%s ops=%u rejects=%u", target,
			       ops_profile_name(hdr.profile), sr.ops, sr.rejects);
		printf("\n");
		if (sr.verdict == VERDICT_FINDING)
			findings++;
		else if (sr.verdict == VERDICT_REJECTED)
			rejected++;
		else
			okc++;
	}
	fflush(stdout);
	fprintf(stderr, "replay: %zu input(s): %zu ok, %zu rejected, %zu finding(s), "
			"%zu unreadable\n", nfiles, okc, rejected, findings, bad);
	free_inputs(files, nfiles);
	if (bad)
		return EXIT_BADINPUT;
	return findings ? EXIT_FINDING : 0;
}
