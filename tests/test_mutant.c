// SPDX-License-Identifier: MIT
/*
 * One mutation of the core the oracles must catch (tests/mutants/M*.sed,
 * built into this executable's core by tests/CMakeLists.txt): the input
 * that exposes it (MUTANT_INPUT, found by a 2-minute campaign, see
 * docs/finding-power.md) must end in a finding whose signature contains
 * MUTANT_EXPECT. The intact core replays the same input without one
 * (corpus_regression runs it too).
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "opstream.h"

static char text[1 << 16];
static struct op ops[OPS_MAX_OPS];

static void the_mutant_is_caught(void)
{
	struct harness_opts o = *harness_target_opts(MUTANT_TARGET);
	struct run_result r;
	struct ops_header hdr;
	struct ops_diag diag;
	FILE *f = fopen(MUTANT_INPUT, "r");
	size_t len;
	int n;

	if (f == NULL) {
		CHECK_FAIL("missing %s", MUTANT_INPUT);
		return;
	}
	len = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[len] = '\0';
	n = ops_parse_text(text, &hdr, ops, OPS_MAX_OPS, &diag);
	if (n < 0) {
		CHECK_FAIL("%s: %s", MUTANT_INPUT, diag.msg);
		return;
	}
	o.abort_on_finding = false;
	o.quiet = true;
	EXPECT_EQ(harness_run_ops(hdr.profile, ops, (size_t)n, &o, &r), VERDICT_FINDING);
	if (strstr(r.site, MUTANT_EXPECT) == NULL)
		CHECK_FAIL("expected a finding with '%s', got '%s'", MUTANT_EXPECT, r.site);
}

int main(void)
{
	RUN(the_mutant_is_caught);
	harness_shutdown();
	CHECK_DONE();
}
