// SPDX-License-Identifier: MIT
/* smmufuzz: the command line for the daily loop. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
};

static const struct command commands[] = {
	{ "fuzz", cmd_fuzz, "fuzz [--engine libfuzzer|afl|both] [--jobs N] [--time DURATION] [--out DIR] [--resume DIR]\n"
	  "       [--mutator on|only|off] [--bin DIR] [--afl-bin DIR] [--cmplog-bin DIR|none] [--replay CLI]\n"
	  "       [--sync-dir DIR [--role main|secondary] [--machine NAME]] [TARGET...]\n"
	  "                      run a campaign (docs/user-guide.md), write its report" },
	{ "report", cmd_report, "report [--no-coverage] [--no-qemu] [--cov-build DIR] [--coverage-doc FILE] [CAMPAIGN]\n"
	  "                      a campaign's report: report.html, report.md, coverage of core/src (default: the newest campaign)" },
	{ "bugbench", cmd_bugbench, "bugbench [--time T] [--trials N] [--engine libfuzzer|afl|both] [--mutator on|off] [--jobs J]\n"
	  "       [--out DIR] [--no-control] [BUG...|clean]\n"
	  "                      injected-bug benchmark: time to exposure per bug (docs/bugs.md)" },
	{ "corpus-min", cmd_corpus_min, "corpus-min [--engine libfuzzer|afl] [--into DIR] [--dry-run] CAMPAIGN [TARGET...]\n"
	  "                      merge a campaign's corpus into corpus/seeds, minimised, as text" },
	{ "replay", cmd_replay, "replay [--target T] [--raw] [--no-fork] [-v] FILE|DIR...   verdict per input" },
	{ "qemu-replay", cmd_qemu_replay, "qemu-replay [--timeout S] [--trace] [--jobs N] [--compare] [--target T] [--raw] [--image DIR] FILE|DIR...   verdict per input on the EL2 build under QEMU" },
	{ "qemu-linux", cmd_qemu_linux, "qemu-linux [--kernel 6.1|6.12|DEB|IMAGE] [--record FILE] [--hostile [N]] [--smp N] [--append ARGS] [--timeout S] [--trace] [--image DIR] [--cache DIR]   boot Debian's arm64 kernel as the host under the EL2 build" },
	{ "show", cmd_show, "show [--raw] FILE   print an op stream as annotated text" },
	{ "asm", cmd_asm, "asm TEXT -o BIN   assemble the text form into a binary op stream" },
	{ "triage", cmd_triage, "triage [--target T] [--strict] [--qemu] FILE|DIR...   group crash files by signature (--qemu: and each one's verdict on the EL2 build)" },
	{ "minimize", cmd_minimize, "minimize [--target T] [--raw] [-o BIN] [--text TXT] FILE   shrink a finding" },
	{ "regress", cmd_regress, "regress [DIR...]   replay seeds and regression repros (default: this build's)" },
	{ "dict", cmd_dict, "dict TARGET | dict --check TARGET FILE   the target's fuzzing dictionary (fuzzers/<target>.dict), generated" },
	{ "bench", cmd_bench, "bench [--target T] [--seconds S] [DIR] | --cmd-batch N | --own N   exec/s, core share, ns/command, ns/ownership change" },
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: smmufuzz COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < COMMAND_COUNT; i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fprintf(f, "\nexit status: 0 ok, 1 findings, 2 bad usage or bad input\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_BADINPUT;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < COMMAND_COUNT; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	die("unknown command '%s' (try smmufuzz --help)", argv[1]);
}
