/* SPDX-License-Identifier: MIT */
/*
 * The campaign's live exec count of a fuzz target process (both engines):
 * libFuzzer prints its figures only on new coverage and at powers of two,
 * AFL++ writes fuzzer_stats once a minute. The campaign names a file in
 * SMMUFUZZ_EXEC_COUNTER; the target counts its executions into it.
 */
#ifndef SMMUFUZZ_EXEC_COUNTER_H
#define SMMUFUZZ_EXEC_COUNTER_H

#define EXEC_COUNTER_ENV "SMMUFUZZ_EXEC_COUNTER"

/* One more execution (one writer per file: the engine runs inputs one at a
 * time, AFL++'s persistent children one after another). */
void exec_counter_bump(void);

#endif /* SMMUFUZZ_EXEC_COUNTER_H */
