/* SPDX-License-Identifier: MIT */
/*
 * qemu-replay: inputs replayed by the EL2 build under QEMU (cmd_qemu.c, the
 * command), what QEMU's machine can be (cmd_qemu_world.c), and how one run
 * is prepared, launched and read (cmd_qemu_run.c).
 */
#ifndef SMMUFUZZ_CMD_QEMU_H
#define SMMUFUZZ_CMD_QEMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../qemu-harness/abi.h"
#include "cli.h"

/* An edu device the runner plugs in for a stream ID the input probes. */
struct qemu_edu {
	uint32_t sid;
	int port_slot;			/* slot of its root port on bus 0, or -1 */
};

/* One input, ready for QEMU. */
struct qemu_job {
	const char *path;
	uint8_t *bin;			/* the job file's bytes (struct qh_job ...) */
	size_t bin_len;
	struct qemu_edu edu[QH_EDU_MAX];
	unsigned edu_count;
	unsigned extra_s;		/* on top of the timeout: edu's DMA latency */
};

/*
 * Why QEMU's machine cannot run @ops under @opts (a one-line reason in
 * @why, for "host-only: <reason>"), or false when it can. Fills @j's edu
 * devices for the input's DMA probes.
 */
bool qemu_host_only(const struct ops_header *hdr, const struct op *ops, size_t n,
		    const struct harness_opts *opts, struct qemu_job *j, char *why,
		    size_t cap);

/* How QEMU is run. */
struct qemu_setup {
	const char *qemu;		/* the binary */
	char hyp[1024];			/* smmufuzz-hyp.elf */
	char agent[1024];		/* smmufuzz-agent.elf */
	char tmpdir[1024];		/* job files */
	unsigned timeout_s;
	bool trace;			/* QEMU's smmuv3_* events and the hypervisor's log */
};

/* Check QEMU (present, >= 8.1) and the image; die with one line if not. */
void qemu_setup_check(struct qemu_setup *s, const char *image_dir);

/* The QEMU verdict of one input. */
struct qemu_result {
	enum qh_exit status;		/* QH_EXIT_HARNESS: no verdict (see line) */
	char line[256];			/* "ok", "rejected:..", "finding:..", or the error */
	uint64_t trace;
	double seconds;			/* wall time of the QEMU run */
};

/* Build the job file's bytes for @ops (encoded again: the agent decodes
 * exactly what the host ran) with @opts and the host's DMA answers. */
void qemu_job_build(struct qemu_job *j, const struct ops_header *hdr,
		    const struct op *ops, size_t n, const struct harness_opts *opts,
		    const uint64_t *answers, uint32_t answer_count, bool verbose);

/*
 * Run jobs[0..n) under QEMU, up to @parallel at a time, each killed after
 * the timeout (a hang is a verdict); results in the jobs' order.
 */
void qemu_run_all(const struct qemu_setup *s, struct qemu_job *jobs, size_t n,
		  unsigned parallel, struct qemu_result *res);

/* Run @argv (QEMU) with stdin from /dev/null and stdout and stderr into a
 * pipe whose read end is *@out_fd; a failed exec prints a verdict line. */
pid_t qemu_spawn(char *const argv[], int *out_fd);

/*
 * The EL2 build's verdict of each of @files as qemu-replay prints it after
 * "FILE: " ("<verdict> trace=<hash>", "host-only: <reason>", "error: ...");
 * for reports that show it beside the host build's (triage --qemu).
 */
void qemu_verdict_lines(char **files, size_t n, const char *target_opt, bool raw,
			unsigned parallel, char (*lines)[320]);

#endif /* SMMUFUZZ_CMD_QEMU_H */
