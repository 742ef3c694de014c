// SPDX-License-Identifier: MIT
/*
 * qemu-replay: replay inputs on the real hypervisor build, the core at EL2
 * under QEMU against QEMU's own SMMUv3, and print exactly what `replay`
 * prints: the verdict and the trace hash. An input whose world QEMU
 * cannot be says "host-only: <reason>" instead. With --compare the host
 * build's verdict is printed beside it, and any difference in class,
 * signature or trace hash makes the command fail: a divergence between
 * the builds is a finding of the suite.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_qemu.h"
#include "sandbox.h"

struct input {
	char *path;
	char target[64];
	struct ops_header hdr;
	struct op *ops;
	int n;				/* -1: unreadable */
	bool host_only;
	char why[160];
	struct sandbox_result host;	/* with --compare (or DMA answers) */
	size_t job;			/* index into the jobs run */
};

static struct run_result answers_run;

static bool has_dma(const struct input *in, const struct harness_opts *o)
{
	int i;

	for (i = 0; i < in->n; i++)
		if (in->ops[i].code == OP_DMA && (o->op_mask & OPBIT(OP_DMA)))
			return true;
	return false;
}

/* Same verdict, signature and trace: the builds agree. */
static bool agree(const struct qemu_result *q, const struct sandbox_result *h)
{
	return q->status != QH_EXIT_HARNESS && strcmp(q->line, h->verdict_line) == 0 &&
	       q->trace == h->trace;
}

/*
 * Read, classify and run @files under QEMU; @in[i] and @res[in[i].job]
 * hold the outcome of file i. With @compare (or DMA probes to answer) the
 * host build runs each input too. Returns how many were unreadable.
 */
static size_t replay_files(struct qemu_setup *setup, char **files, size_t nfiles,
			   const char *target_opt, bool raw, bool compare,
			   unsigned parallel, struct input *in, struct qemu_job *jobs,
			   struct qemu_result *res)
{
	size_t njobs = 0, bad = 0, i;

	for (i = 0; i < nfiles; i++) {
		const struct harness_opts *o;
		struct qemu_job *j = &jobs[njobs];
		bool dma;

		in[i].path = files[i];
		in[i].ops = malloc(OPS_MAX_OPS * sizeof(struct op));
		if (in[i].ops == NULL)
			die("out of memory");
		in[i].n = load_ops(files[i], raw, &in[i].hdr, in[i].ops, OPS_MAX_OPS);
		if (in[i].n < 0) {
			bad++;
			continue;
		}
		snprintf(in[i].target, sizeof(in[i].target), "%s",
			 infer_target(files[i], target_opt));
		o = harness_target_opts(in[i].target);
		memset(j, 0, sizeof(*j));
		j->path = files[i];
		in[i].host_only = qemu_host_only(&in[i].hdr, in[i].ops, (size_t)in[i].n, o, j,
						 in[i].why, sizeof(in[i].why));
		if (in[i].host_only)
			continue;
		dma = has_dma(&in[i], o);
		if (compare || dma)
			sandbox_run(in[i].hdr.profile, in[i].ops, (size_t)in[i].n, o, false,
				    setup->timeout_s, &in[i].host);
		answers_run.dma_count = 0;
		if (dma && !in[i].host.crashed) {
			/* The model's answers, from the same (deterministic) run in
			 * process: it did not crash in the sandbox. */
			struct harness_opts q = *o;

			q.abort_on_finding = false;
			q.quiet = true;
			harness_run_ops(in[i].hdr.profile, in[i].ops, (size_t)in[i].n, &q,
					&answers_run);
		} else if (dma) {
			in[i].host_only = true;
			snprintf(in[i].why, sizeof(in[i].why),
				 "the host build crashed on it, so the model answers no DMA probe");
			continue;
		}
		qemu_job_build(j, &in[i].hdr, in[i].ops, (size_t)in[i].n, o, answers_run.dma,
			       answers_run.dma_count, setup->trace);
		in[i].job = njobs++;
	}
	qemu_run_all(setup, jobs, njobs, parallel, res);
	return bad;
}

/* What qemu-replay prints for one input after "FILE: ". */
static void verdict_text(const struct input *in, const struct qemu_result *res,
			 char *buf, size_t cap)
{
	const struct qemu_result *q = &res[in->job];

	if (in->host_only)
		snprintf(buf, cap, "host-only: %s", in->why);
	else if (q->status == QH_EXIT_HARNESS)
		snprintf(buf, cap, "%s", q->line);
	else
		snprintf(buf, cap, "%s trace=%016llx", q->line, (unsigned long long)q->trace);
}

static void free_replay(struct input *in, struct qemu_job *jobs, struct qemu_result *res,
			size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(in[i].ops);
		free(jobs[i].bin);
	}
	free(in);
	free(jobs);
	free(res);
}

void qemu_verdict_lines(char **files, size_t n, const char *target_opt, bool raw,
			unsigned parallel, char (*lines)[320])
{
	struct qemu_setup setup = { 0 };
	struct input *in = calloc(n, sizeof(*in));
	struct qemu_job *jobs = calloc(n, sizeof(*jobs));
	struct qemu_result *res = calloc(n, sizeof(*res));
	size_t i;

	if (in == NULL || jobs == NULL || res == NULL)
		die("out of memory");
	setup.timeout_s = 10;
	qemu_setup_check(&setup, NULL);
	replay_files(&setup, files, n, target_opt, raw, false, parallel, in, jobs, res);
	for (i = 0; i < n; i++) {
		if (in[i].n < 0)
			snprintf(lines[i], sizeof(lines[i]), "error: unreadable");
		else
			verdict_text(&in[i], res, lines[i], sizeof(lines[i]));
	}
	free_replay(in, jobs, res, n);
}

int cmd_qemu_replay(int argc, char **argv)
{
	const char *target_opt = NULL, *image = NULL;
	bool raw = false, compare = false, verbose = false;
	unsigned parallel = 1;
	struct qemu_setup setup = { 0 };
	struct qemu_job *jobs;
	struct qemu_result *res;
	struct input *in;
	char **files;
	size_t nfiles, i;
	size_t okc = 0, rej = 0, fin = 0, host_only = 0, bad, errors = 0, differ = 0;
	int first = 0, a;

	setup.timeout_s = 10;
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--target") == 0 && a + 1 < argc) {
			target_opt = argv[++a];
			if (harness_target_opts(target_opt) == NULL)
				die("qemu-replay: unknown target '%s'", target_opt);
		} else if (strcmp(argv[a], "--raw") == 0) {
			raw = true;
		} else if (strcmp(argv[a], "--timeout") == 0 && a + 1 < argc) {
			setup.timeout_s = (unsigned)parse_count("--timeout", argv[++a]);
		} else if (strcmp(argv[a], "--jobs") == 0 && a + 1 < argc) {
			parallel = (unsigned)parse_count("--jobs", argv[++a]);
		} else if (strcmp(argv[a], "--image") == 0 && a + 1 < argc) {
			image = argv[++a];
		} else if (strcmp(argv[a], "--trace") == 0) {
			setup.trace = true;
		} else if (strcmp(argv[a], "--compare") == 0) {
			compare = true;
		} else if (strcmp(argv[a], "-v") == 0 || strcmp(argv[a], "--verbose") == 0) {
			verbose = true;
		} else if (strcmp(argv[a], "--") == 0) {
			first = a + 1;
			break;
		} else if (argv[a][0] == '-') {
			die("qemu-replay: unknown option '%s'", argv[a]);
		} else {
			first = a;
			break;
		}
	}
	if (first == 0 || first >= argc)
		die("qemu-replay: missing FILE|DIR");
	if (setup.timeout_s == 0)
		die("qemu-replay: --timeout must be at least 1 second");
	nfiles = list_inputs(argv + first, argc - first, &files);
	if (nfiles == 0)
		die("qemu-replay: no input files in the given paths");
	qemu_setup_check(&setup, image);
	in = calloc(nfiles, sizeof(*in));
	jobs = calloc(nfiles, sizeof(*jobs));
	res = calloc(nfiles, sizeof(*res));
	if (in == NULL || jobs == NULL || res == NULL)
		die("out of memory");
	bad = replay_files(&setup, files, nfiles, target_opt, raw, compare, parallel, in,
			   jobs, res);

	for (i = 0; i < nfiles; i++) {
		const struct qemu_result *q = &res[in[i].job];
		char text[320];

		if (in[i].n < 0)
			continue;
		verdict_text(&in[i], res, text, sizeof(text));
		printf("%s: %s", in[i].path, text);
		if (in[i].host_only) {
			host_only++;
			printf("\n");
			continue;
		}
		errors += q->status == QH_EXIT_HARNESS;
		fin += q->status == QH_EXIT_FINDING;
		rej += q->status == QH_EXIT_REJECTED;
		okc += q->status == QH_EXIT_OK;
		if (verbose)
			printf(" target=%s seconds=%.2f", in[i].target, q->seconds);
		if (compare && !agree(q, &in[i].host)) {
			printf("  host: %s trace=%016llx  DIFFERS", in[i].host.verdict_line,
			       (unsigned long long)in[i].host.trace);
			differ++;
		}
		printf("\n");
	}
	fflush(stdout);
	fprintf(stderr, "qemu-replay: %zu input(s): %zu ok, %zu rejected, %zu finding(s), "
			"%zu host-only, %zu error(s), %zu unreadable", nfiles, okc, rej, fin,
		host_only, errors, bad);
	if (compare)
		fprintf(stderr, "; %zu differ from the host build", differ);
	fprintf(stderr, "\n");
	free_replay(in, jobs, res, nfiles);
	free_inputs(files, nfiles);
	if (bad || errors)
		return EXIT_BADINPUT;
	return fin || differ ? EXIT_FINDING : 0;
}
