/* SPDX-License-Identifier: MIT */
/*
 * `smmufuzz bugbench`: the injected-bug benchmark (docs/bugs.md). Each bug
 * of core/src/inject.h is compiled into its own build, fuzzed from the seeds
 * by an ordinary campaign, and timed to its first finding of the expected
 * kind (Magma's "triggered"); a clean core is the control.
 *
 *   cmd_bugbench.c         options, builds, trials, results.tsv
 *   cmd_bugbench_bugs.c    the catalogue: id, class, expected signature
 *   cmd_bugbench_report.c  results.md and index.html (table, survival plot)
 */
#ifndef SMMUFUZZ_CMD_BUGBENCH_H
#define SMMUFUZZ_CMD_BUGBENCH_H

#include <stdbool.h>
#include <stddef.h>

struct bug {
	const char *id;		/* R1, B3, ...: -DSMMUFUZZ_INJECT=<id> */
	int inject;		/* its INJ_ number */
	const char *cls;	/* bug, isolation, hang, double-fetch, ... */
	const char *expect;	/* POSIX ERE the signature must match */
	const char *what;	/* one line: the change */
};

extern const struct bug bugbench_bugs[];
extern const size_t bugbench_bug_count;
/* The catalogued bug @id, or NULL. */
const struct bug *bugbench_find(const char *id);

/* The control: the core as it is, which must give no finding at all. */
#define BUGBENCH_CONTROL	"clean"

/* One row of results.tsv. */
struct bb_row {
	char bug[16];
	unsigned trial;
	char engine[16];
	char mutator[8];
	double budget_s;
	double tte_s;		/* < 0: not exposed within the budget */
	char sig[200];		/* matching signature, or the control's finding */
	char clean[200];	/* the exposing input's verdict on the clean core */
};

/* Every row of @path (a missing file: none); the caller frees *rows. */
size_t bugbench_load(const char *path, struct bb_row **rows);
/* results.md and index.html of the directory @dir from its results.tsv. */
void bugbench_report(const char *dir);

#endif /* SMMUFUZZ_CMD_BUGBENCH_H */
