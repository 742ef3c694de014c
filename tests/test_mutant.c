// SPDX-License-Identifier: MIT
/*
 * One mutation of the core the oracles must catch (a bug of
 * core/src/inject.h compiled into this executable's core by
 * tests/mutants/CMakeLists.txt): the input
 * that exposes it (MUTANT_INPUT, found by a 2-minute campaign, see
 * docs/finding-power.md) must end in a finding whose signature contains
 * MUTANT_EXPECT. The intact core replays the same input without one
 * (corpus_regression runs it too).
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "harness_text.h"

static char text[1 << 16];

static void the_mutant_is_caught(void)
{
	struct run_result r;
	char line[256];

	if (!read_text_file(MUTANT_INPUT, text, sizeof(text)))
		return;
	EXPECT_EQ(run_text(text, MUTANT_TARGET, &r), VERDICT_FINDING);
	if (strstr(r.site, MUTANT_EXPECT) == NULL)
		CHECK_FAIL("expected a finding with '%s', got '%s'", MUTANT_EXPECT, r.site);
	/* What replay would print: tests/test_qemu.sh holds the EL2 build's
	 * verdict of the same mutant to it. */
	printf("verdict: %s trace=%016llx\n", harness_verdict_str(&r, line, sizeof(line)),
	       (unsigned long long)r.trace);
}

int main(void)
{
	RUN(the_mutant_is_caught);
	harness_shutdown();
	CHECK_DONE();
}
