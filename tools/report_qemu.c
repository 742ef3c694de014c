// SPDX-License-Identifier: MIT
/*
 * The EL2 build's verdict of every finding, beside the host build's (issue
 * 8): each finding's minimised repro (its smallest crash file when it has
 * none) is replayed by `smmufuzz qemu-replay` in a child process, so a
 * missing QEMU or hypervisor image is a verdict ("qemu unavailable: ...")
 * and not the end of the report. An input whose world QEMU cannot provide
 * comes back as "host-only: <reason>". Verdicts are kept in
 * qemu-verdicts.tsv (file, size, verdict) and reused while the file is
 * unchanged; the campaign summary reads them from there too.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

#define QEMU_CACHE	"qemu-verdicts.tsv"
#define QEMU_TIMEOUT_S	"20"

bool qemu_verdict_cached(const char *dir, const char *file_rel, char *out, size_t cap)
{
	char path[REPORT_PATH], full[REPORT_PATH], *text, *line, *next;
	struct stat st;
	bool found = false;

	snprintf(full, sizeof(full), "%s/%s", dir, file_rel);
	if (stat(full, &st) != 0)
		return false;
	snprintf(path, sizeof(path), "%s/%s", dir, QEMU_CACHE);
	text = slurp(path, NULL);
	for (line = text; line != NULL && *line && !found; line = next) {
		char *nl = strchr(line, '\n'), *t1, *t2;

		if (nl == NULL)
			break;
		*nl = 0;
		next = nl + 1;
		t1 = strchr(line, '\t');
		t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (line[0] == '#' || t2 == NULL)
			continue;
		*t1 = *t2 = 0;
		if (strcmp(line, file_rel) == 0 && atoll(t1 + 1) == (long long)st.st_size) {
			snprintf(out, cap, "%s", t2 + 1);
			found = true;
		}
	}
	free(text);
	return found;
}

static void cache_put(const char *dir, const char *file_rel, const char *verdict)
{
	char path[REPORT_PATH], tmp[REPORT_PATH], full[REPORT_PATH], *text, *line, *next;
	struct stat st;
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", dir, file_rel);
	if (stat(full, &st) != 0)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, QEMU_CACHE);
	text = slurp(path, NULL);
	f = atomic_open(path, tmp, sizeof(tmp));
	if (f == NULL) {
		free(text);
		return;
	}
	fprintf(f, "# file\tsize\tqemu-replay verdict\n");
	for (line = text; line != NULL && *line; line = next) {
		char *nl = strchr(line, '\n');
		size_t n = strlen(file_rel);

		if (nl == NULL)
			break;
		next = nl + 1;
		if (line[0] == '#' || (strncmp(line, file_rel, n) == 0 && line[n] == '\t'))
			continue;
		fwrite(line, 1, (size_t)(next - line), f);
	}
	fprintf(f, "%s\t%lld\t%s\n", file_rel, (long long)st.st_size, verdict);
	free(text);
	if (!atomic_close(f, tmp, path))
		complain("report: cannot write %s", path);
}

/* `smmufuzz qemu-replay --raw --target T FILE` in a child: its verdict. */
static void qemu_replay(const char *file, const char *target, char *out, size_t cap)
{
	char self[REPORT_PATH], cmdout[REPORT_PATH], cmderr[REPORT_PATH], *text;
	int st;
	ssize_t n;
	pid_t pid;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		snprintf(out, cap, "qemu unavailable: cannot find smmufuzz itself");
		return;
	}
	self[n] = 0;
	snprintf(cmdout, sizeof(cmdout), "%s/smmufuzz-report-qemu.%ld.out",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	snprintf(cmderr, sizeof(cmderr), "%s.err", cmdout);
	pid = fork();
	if (pid < 0) {
		snprintf(out, cap, "qemu unavailable: fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (freopen(cmdout, "w", stdout) == NULL || freopen(cmderr, "w", stderr) == NULL)
			_exit(126);
		execl(self, self, "qemu-replay", "--raw", "--timeout", QEMU_TIMEOUT_S, "--target",
		      target, file, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	text = slurp(cmdout, NULL);
	if (text != NULL && strstr(text, ": ") != NULL &&
	    WIFEXITED(st) && WEXITSTATUS(st) <= 1) {
		/* "FILE: <verdict> trace=<hash>" or "FILE: host-only: <reason>" */
		const char *v = strstr(text, ": ") + 2;

		snprintf(out, cap, "%.*s", (int)strcspn(v, "\n"), v);
	} else {
		char *e = slurp(cmderr, NULL);
		const char *msg = e != NULL ? e : "";

		/* "smmufuzz: qemu-replay: <why>" */
		if (strncmp(msg, "smmufuzz: ", 10) == 0)
			msg += 10;
		if (strncmp(msg, "qemu-replay: ", 13) == 0)
			msg += 13;
		snprintf(out, cap, "qemu unavailable: %.*s", (int)strcspn(msg, "\n"),
			 *msg ? msg : "qemu-replay failed");
		free(e);
	}
	free(text);
	unlink(cmdout);
	unlink(cmderr);
}

void report_qemu(struct report *r, bool run)
{
	unsigned i;

	for (i = 0; i < r->nfindings; i++) {
		struct rfinding *f = &r->findings[i];
		const char *file = f->minimised[0] ? f->minimised : f->example;
		char full[REPORT_PATH];

		if (!f->real) {
			snprintf(f->qemu, sizeof(f->qemu), "-");
			continue;
		}
		if (qemu_verdict_cached(r->c->dir, file, f->qemu, sizeof(f->qemu)))
			continue;
		if (!run) {
			snprintf(f->qemu, sizeof(f->qemu), "not replayed (smmufuzz report runs it)");
			continue;
		}
		snprintf(full, sizeof(full), "%s/%s", r->c->dir, file);
		qemu_replay(full, f->target, f->qemu, sizeof(f->qemu));
		/* "qemu unavailable" is not kept: the next report tries again. */
		if (strncmp(f->qemu, "qemu unavailable", 16) != 0)
			cache_put(r->c->dir, file, f->qemu);
	}
}
