/* SPDX-License-Identifier: MIT */
/*
 * Running one input in a child process, so that a sanitizer report, a
 * signal or a hang becomes a verdict with a stable signature instead of
 * taking the CLI down. Shared by replay, triage and minimisation.
 */
#ifndef SMMUFUZZ_SANDBOX_H
#define SMMUFUZZ_SANDBOX_H

#include "cli.h"

struct sandbox_result {
	enum verdict verdict;
	char verdict_line[256];		/* "ok", "rejected:..", "finding:.." */
	uint64_t trace;
	uint32_t rejects;
	uint32_t ops;
	bool crashed;			/* the child died: sanitizer, signal, hang */
};

/* Run @ops under @opts; in a child unless @in_process. */
void sandbox_run(unsigned profile, const struct op *ops, size_t n,
		 const struct harness_opts *opts, bool in_process,
		 unsigned timeout_s, struct sandbox_result *out);

/* Signature of a crash from the child's stderr (sanitizer report). */
void sandbox_signature(const char *log, int status, char *sig, size_t cap);

#endif /* SMMUFUZZ_SANDBOX_H */
