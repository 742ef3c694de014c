// SPDX-License-Identifier: MIT
/*
 * minimize: shrink an input that produces a finding to the fewest ops that
 * still produce the same signature (delta debugging over ops, then one op
 * at a time), and write it back as a canonical op-stream file (with header)
 * and, optionally, its annotated text form ready for corpus/regress/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minimize.h"
#include "sandbox.h"

static struct op ops[OPS_MAX_OPS];

struct ctx {
	unsigned profile;
	const struct harness_opts *opts;
	bool in_process;
	unsigned timeout_s;
	char want[256];
};

static bool same_finding(void *arg, const struct op *o, size_t n)
{
	struct ctx *c = arg;
	struct sandbox_result sr;

	sandbox_run(c->profile, o, n, c->opts, c->in_process, c->timeout_s, &sr);
	return strcmp(sr.verdict_line, c->want) == 0;
}

int cmd_minimize(int argc, char **argv)
{
	const char *target_opt = NULL, *path = NULL, *out = NULL, *text_out = NULL;
	struct sandbox_result first;
	struct ops_header hdr;
	struct ctx c = { 0 };
	unsigned runs = 0;
	bool raw = false;
	struct buf b;
	char err[256], outbuf[4096];
	uint8_t *bin;
	size_t need, n;
	int a, k;

	c.timeout_s = 10;
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--target") == 0 && a + 1 < argc)
			target_opt = argv[++a];
		else if (strcmp(argv[a], "--raw") == 0)
			raw = true;
		else if (strcmp(argv[a], "-o") == 0 && a + 1 < argc)
			out = argv[++a];
		else if (strcmp(argv[a], "--text") == 0 && a + 1 < argc)
			text_out = argv[++a];
		else if (strcmp(argv[a], "--timeout") == 0 && a + 1 < argc)
			c.timeout_s = (unsigned)parse_count("--timeout", argv[++a]);
		else if (argv[a][0] == '-')
			die("minimize: unknown option '%s'", argv[a]);
		else if (path == NULL)
			path = argv[a];
		else
			die("minimize: one FILE at a time");
	}
	if (path == NULL)
		die("minimize: missing FILE");
	if (target_opt != NULL && harness_target_opts(target_opt) == NULL)
		die("minimize: unknown target '%s'", target_opt);
	if (!read_file(path, &b, err, sizeof(err)))
		die("%s", err);
	k = decode_file(&b, raw, &hdr, ops, OPS_MAX_OPS, err, sizeof(err));
	free(b.data);
	if (k < 0)
		die("%s: %s", path, err);
	c.profile = hdr.profile;
	c.opts = harness_target_opts(infer_target(path, target_opt));
	sandbox_run(c.profile, ops, (size_t)k, c.opts, false, c.timeout_s, &first);
	if (first.verdict != VERDICT_FINDING)
		die("%s: no finding to minimise (verdict: %s)", path, first.verdict_line);
	snprintf(c.want, sizeof(c.want), "%s", first.verdict_line);
	/* Harness-detected findings reproduce in-process, which is much faster;
	 * crashes (sanitizers, signals, hangs) need a child each time. */
	c.in_process = !first.crashed;
	n = minimize_ops(ops, (size_t)k, same_finding, &c, &runs);

	hdr.present = true;
	need = ops_encode(&hdr, ops, n, NULL, 0);
	bin = malloc(need);
	if (bin == NULL)
		die("out of memory");
	ops_encode(&hdr, ops, n, bin, need);
	if (out == NULL) {
		snprintf(outbuf, sizeof(outbuf), "%s.min.smfz", path);
		out = outbuf;
	}
	if (!write_file(out, bin, need, err, sizeof(err)))
		die("%s", err);
	free(bin);
	if (text_out != NULL) {
		size_t tl = ops_format_text(&hdr, ops, n, true, NULL, 0);
		size_t hl = strlen(c.want) + 64;
		char *text = malloc(tl + hl + 1);

		if (text == NULL)
			die("out of memory");
		snprintf(text, hl, "# %s (minimised by smmufuzz)\n", c.want);
		hl = strlen(text);
		ops_format_text(&hdr, ops, n, true, text + hl, tl + 1);
		if (!write_file(text_out, text, strlen(text), err, sizeof(err)))
			die("%s", err);
		free(text);
	}
	printf("%s: %s: %d -> %zu op(s) in %u run(s); wrote %s%s%s\n", path, c.want,
	       k, n, runs, out, text_out ? " and " : "", text_out ? text_out : "");
	return 0;
}
