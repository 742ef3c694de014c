/* SPDX-License-Identifier: MIT */
/* Tests that run op-stream text through the harness, and read it from files. */
#ifndef SMMUFUZZ_TEST_HARNESS_TEXT_H
#define SMMUFUZZ_TEST_HARNESS_TEXT_H

#include <stdio.h>

#include "check.h"
#include "harness.h"
#include "opstream.h"

/* Run @text under @target's options (no abort, quiet); the verdict. */
static inline enum verdict run_text(const char *text, const char *target,
				    struct run_result *r)
{
	static struct op ops[OPS_MAX_OPS];
	struct ops_header hdr;
	struct ops_diag diag;
	struct harness_opts o = *harness_target_opts(target);
	int n = ops_parse_text(text, &hdr, ops, OPS_MAX_OPS, &diag);

	if (n < 0) {
		CHECK_FAIL("bad test input: %s", diag.msg);
		return VERDICT_FINDING;
	}
	o.abort_on_finding = false;
	o.quiet = true;
	return harness_run_ops(hdr.profile, ops, (size_t)n, &o, r);
}

/* The text file at @path into @buf (NUL-terminated); false if missing. */
static inline bool read_text_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t len;

	if (f == NULL) {
		CHECK_FAIL("missing %s", path);
		return false;
	}
	len = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[len] = '\0';
	return true;
}

#endif /* SMMUFUZZ_TEST_HARNESS_TEXT_H */
