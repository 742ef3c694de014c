/* SPDX-License-Identifier: MIT */
/* Helpers shared by the smmufuzz subcommands. */
#ifndef SMMUFUZZ_CLI_H
#define SMMUFUZZ_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness.h"

/* Exit codes: 0 fine, 1 findings, 2 bad usage or bad input. */
#define EXIT_FINDING	1
#define EXIT_BADINPUT	2

struct buf {
	uint8_t *data;
	size_t len;
};

/* Print "smmufuzz: <msg>" and exit 2. */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "smmufuzz: <msg>" (one line). */
void complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Read a whole file; false with a one-line message in @err. */
bool read_file(const char *path, struct buf *out, char *err, size_t errcap);
bool write_file(const char *path, const void *data, size_t len, char *err,
		size_t errcap);

/* Expand FILE|DIR arguments into a sorted list of regular files (dirs are
 * walked one level deep, hidden files skipped). Returns the count. */
size_t list_inputs(char **args, int nargs, char ***out);
void free_inputs(char **list, size_t n);
/* The sub-directories of the given directories, sorted. */
size_t list_dirs(char **args, int nargs, char ***out);

/*
 * Decode a file as an op stream: its text form (a "smfz" header line after
 * any comments), strictly when it carries the SMFZ header, leniently (as
 * the fuzzers do) when @raw. @b must be NUL-terminated at b->len, as
 * read_file leaves it. Returns the op count or -1 with a one-line reason
 * in @err.
 */
int decode_file(const struct buf *b, bool raw, struct ops_header *hdr,
		struct op *ops, size_t max, char *err, size_t errcap);

/* read_file + decode_file; on failure says why in one line and returns -1. */
int load_ops(const char *path, bool raw, struct ops_header *hdr,
	     struct op *ops, size_t max);

/* Target named by --target, else inferred from a "fuzz_*" path part. */
const char *infer_target(const char *path, const char *given);

/* Where this build keeps things (configured by CMake). */
const char *build_dir(void);
const char *source_dir(void);

/* Parse a non-negative integer option value or die. */
unsigned long parse_count(const char *opt, const char *val);
/* Seconds on the monotonic clock (intervals only). */
double now_s(void);
/* @p names a regular file (following links). */
bool is_file(const char *p);
/* Entries of directory @dir not starting with '.' (0 if it cannot be read). */
unsigned count_entries(const char *dir);

int cmd_show(int argc, char **argv);
int cmd_asm(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_qemu_replay(int argc, char **argv);
int cmd_qemu_linux(int argc, char **argv);
int cmd_fuzz(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_minimize(int argc, char **argv);
int cmd_triage(int argc, char **argv);
int cmd_regress(int argc, char **argv);
int cmd_corpus_min(int argc, char **argv);
int cmd_dict(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_bugbench(int argc, char **argv);

#endif /* SMMUFUZZ_CLI_H */
