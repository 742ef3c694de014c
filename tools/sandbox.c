// SPDX-License-Identifier: MIT
/* One input in a child process; its death turned into a signature. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox.h"

#define LOG_CAP (256U << 10)

/* Sanitizer defaults for the CLI and its children: stack traces for
 * UBSan too, so every report names the function it happened in. */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *__asan_default_options(void)
{
	return "abort_on_error=0:detect_leaks=1:print_summary=1:handle_abort=1";
}

const char *__ubsan_default_options(void)
{
	return "print_stacktrace=1:halt_on_error=1";
}

static void fill(struct sandbox_result *out, const struct run_result *r)
{
	char line[256];

	out->verdict = r->verdict;
	snprintf(out->verdict_line, sizeof(out->verdict_line), "%s",
		 harness_verdict_str(r, line, sizeof(line)));
	out->trace = r->trace;
	out->rejects = r->rejects;
	out->ops = r->ops;
}

/* Frames that say nothing about where our code went wrong. */
static bool boring_frame(const char *fn)
{
	static const char *const skip[] = {
		"__asan", "__interceptor", "__sanitizer", "__ubsan", "abort",
		"raise", "__libc", "__GI_", "pthread_kill", "gsignal", "memcpy",
		"memset", "memmove", "world_stop", "plat_panic", "oracle",
	};
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (strncmp(fn, skip[i], strlen(skip[i])) == 0)
			return true;
	return false;
}

/* First interesting "#N 0x... in FUNC" frame after @from. */
static void first_frame(const char *from, char *fn, size_t cap)
{
	const char *p = from;

	snprintf(fn, cap, "?");
	while ((p = strstr(p, " in ")) != NULL) {
		const char *line_start = p;
		size_t len;

		while (line_start > from && line_start[-1] != '\n')
			line_start--;
		p += 4;
		len = strcspn(p, " \n(");
		if (strstr(line_start, "#") == NULL || len == 0 || len >= cap)
			continue;
		memcpy(fn, p, len);
		fn[len] = 0;
		if (!boring_frame(fn))
			return;
	}
	snprintf(fn, cap, "?");
}

void sandbox_signature(const char *log, int status, char *sig, size_t cap)
{
	const char *p;
	char fn[128], kind[64];
	size_t len;

	if ((p = strstr(log, "smmufuzz: finding:")) != NULL) {
		p += strlen("smmufuzz: finding:");
		len = strcspn(p, "\n");
		snprintf(sig, cap, "%.*s", (int)len, p);
		return;
	}
	if ((p = strstr(log, "ERROR: AddressSanitizer: ")) != NULL) {
		p += strlen("ERROR: AddressSanitizer: ");
		len = strcspn(p, " \n");
		snprintf(kind, sizeof(kind), "%.*s", (int)(len < 63 ? len : 63), p);
		first_frame(p, fn, sizeof(fn));
		snprintf(sig, cap, "asan:%s@%s", kind, fn);
		return;
	}
	if ((p = strstr(log, "ERROR: LeakSanitizer:")) != NULL) {
		first_frame(p, fn, sizeof(fn));
		snprintf(sig, cap, "leak@%s", fn);
		return;
	}
	if ((p = strstr(log, "runtime error: ")) != NULL) {
		const char *msg = p + strlen("runtime error: ");

		len = strcspn(msg, "\n");
		if (len > 48)
			len = 48;
		first_frame(p, fn, sizeof(fn));
		snprintf(sig, cap, "ubsan:%.*s@%s", (int)len, msg, fn);
		for (char *c = sig; *c; c++)
			if (*c == ' ')
				*c = '_';
		return;
	}
	if (WIFSIGNALED(status))
		snprintf(sig, cap, "crash:signal-%d", WTERMSIG(status));
	else
		snprintf(sig, cap, "crash:exit-%d", WEXITSTATUS(status));
}

void sandbox_run(unsigned profile, const struct op *ops, size_t n,
		 const struct harness_opts *opts, bool in_process,
		 unsigned timeout_s, struct sandbox_result *out)
{
	static struct run_result r;
	struct harness_opts o = *opts;
	int res_pipe[2], err_pipe[2], status = 0;
	char *log;
	size_t log_len = 0, res_len = 0;
	char res_buf[512];
	bool timed_out = false;
	double deadline;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	o.abort_on_finding = false;
	o.quiet = true;
	/* SMMUFUZZ_VERBOSE=1: trace the replay op by op. */
	o.verbose = getenv("SMMUFUZZ_VERBOSE") != NULL && in_process;
	if (in_process) {
		harness_run_ops(profile, ops, n, &o, &r);
		fill(out, &r);
		return;
	}
	if (pipe(res_pipe) != 0 || pipe(err_pipe) != 0)
		die("pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(res_pipe[0]);
		close(err_pipe[0]);
		dup2(err_pipe[1], 2);
		harness_run_ops(profile, ops, n, &o, &r);
		fill(out, &r);
		dprintf(res_pipe[1], "%d %016llx %u %u %s\n", (int)out->verdict,
			(unsigned long long)out->trace, out->rejects, out->ops,
			out->verdict_line);
		_exit(0);
	}
	close(res_pipe[1]);
	close(err_pipe[1]);
	log = malloc(LOG_CAP + 1);
	if (log == NULL)
		die("out of memory");
	deadline = now_s() + timeout_s;
	for (;;) {
		struct pollfd pf[2] = { { res_pipe[0], POLLIN, 0 },
					{ err_pipe[0], POLLIN, 0 } };
		int wait_ms = (int)((deadline - now_s()) * 1000);
		ssize_t got;

		if (pf[0].fd < 0 && pf[1].fd < 0)
			break;
		if (wait_ms <= 0) {
			timed_out = true;
			kill(pid, SIGKILL);
			break;
		}
		if (poll(pf, 2, wait_ms) < 0 && errno != EINTR)
			break;
		if (pf[0].revents) {
			got = read(res_pipe[0], res_buf + res_len,
				   sizeof(res_buf) - 1 - res_len);
			if (got <= 0) {
				close(res_pipe[0]);
				res_pipe[0] = -1;
			} else {
				res_len += (size_t)got;
			}
		}
		if (pf[1].revents) {
			char sink[4096];

			got = read(err_pipe[0], log_len < LOG_CAP ? log + log_len : sink,
				   log_len < LOG_CAP ? LOG_CAP - log_len : sizeof(sink));
			if (got <= 0) {
				close(err_pipe[0]);
				err_pipe[0] = -1;
			} else if (log_len < LOG_CAP) {
				log_len += (size_t)got;
			}
		}
	}
	if (res_pipe[0] >= 0)
		close(res_pipe[0]);
	if (err_pipe[0] >= 0)
		close(err_pipe[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	log[log_len] = 0;
	res_buf[res_len] = 0;
	if (!timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    res_len > 0) {
		int v = 0;
		unsigned long long trace = 0;
		int off = 0;

		if (sscanf(res_buf, "%d %llx %u %u %n", &v, &trace, &out->rejects,
			   &out->ops, &off) >= 4) {
			out->verdict = (enum verdict)v;
			out->trace = trace;
			snprintf(out->verdict_line, sizeof(out->verdict_line), "%.*s",
				 (int)strcspn(res_buf + off, "\n"), res_buf + off);
			free(log);
			return;
		}
	}
	out->crashed = true;
	out->verdict = VERDICT_FINDING;
	if (timed_out) {
		snprintf(out->verdict_line, sizeof(out->verdict_line),
			 "finding:hang:timeout-%us", timeout_s);
	} else {
		char sig[200];

		sandbox_signature(log, status, sig, sizeof(sig));
		snprintf(out->verdict_line, sizeof(out->verdict_line), "finding:%s", sig);
	}
	if (getenv("SMMUFUZZ_VERBOSE") != NULL)
		fputs(log, stderr);
	free(log);
}
