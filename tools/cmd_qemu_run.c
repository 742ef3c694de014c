// SPDX-License-Identifier: MIT
/*
 * One input under QEMU: the job file (the input and how to run it, read by
 * the EL1 agent and the hypervisor, qemu-harness/abi.h), QEMU's command
 * line (virt with virtualization and its SMMUv3, the hypervisor as the
 * kernel, the agent and the job through the generic loader, an edu device
 * per stream ID probed), and the console line with the verdict. Several
 * QEMUs run side by side; one that does not finish in time is killed, and
 * the hang is its verdict.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd_qemu.h"

#define OUT_CAP		(4U << 20)	/* console kept per run (the rest is drained) */
#define QEMU_MIN_MAJOR	8
#define QEMU_MIN_MINOR	1		/* the first SMMUv3 with stage 2 */
#define ARGV_MAX	96

/* ---- Set-up --------------------------------------------------------------------- */

void qemu_setup_check(struct qemu_setup *s, const char *image_dir)
{
	char cmd[1200], ver[256] = "";
	const char *dir = image_dir;
	int major = 0, minor = 0;
	FILE *p;

	if (s->qemu == NULL)
		s->qemu = getenv("SMMUFUZZ_QEMU") != NULL ? getenv("SMMUFUZZ_QEMU")
							   : "qemu-system-aarch64";
	snprintf(cmd, sizeof(cmd), "%s --version 2>/dev/null", s->qemu);
	p = popen(cmd, "r");
	if (p == NULL || fgets(ver, sizeof(ver), p) == NULL) {
		if (p != NULL)
			pclose(p);
		die("qemu-replay: %s not found (install QEMU 10: sh scripts/setup.sh --qemu)",
		    s->qemu);
	}
	pclose(p);
	if (sscanf(strstr(ver, "version ") != NULL ? strstr(ver, "version ") : ver,
		   "version %d.%d", &major, &minor) != 2)
		die("qemu-replay: cannot read the version of %s ('%.*s')", s->qemu,
		    (int)strcspn(ver, "\n"), ver);
	if (major < QEMU_MIN_MAJOR || (major == QEMU_MIN_MAJOR && minor < QEMU_MIN_MINOR))
		die("qemu-replay: %s is QEMU %d.%d, older than 8.1 (no SMMUv3 stage 2): "
		    "sh scripts/setup.sh --qemu installs QEMU 10", s->qemu, major, minor);
	if (dir == NULL)
		dir = getenv("SMMUFUZZ_QEMU_IMAGE");
	if (dir == NULL) {
		static char def[1024];

		snprintf(def, sizeof(def), "%s/build/qemu/qemu-harness", source_dir());
		dir = def;
	}
	snprintf(s->hyp, sizeof(s->hyp), "%s/smmufuzz-hyp.elf", dir);
	snprintf(s->agent, sizeof(s->agent), "%s/smmufuzz-agent.elf", dir);
	if (!is_file(s->hyp) || !is_file(s->agent))
		die("qemu-replay: no hypervisor image in %s (cmake --preset qemu && "
		    "cmake --build --preset qemu, or --image DIR)", dir);
	snprintf(s->tmpdir, sizeof(s->tmpdir), "%s/smmufuzz-qemu.XXXXXX",
		 getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(s->tmpdir) == NULL)
		die("qemu-replay: cannot make a directory for job files: %s", strerror(errno));
}

/* ---- The job ------------------------------------------------------------------------ */

static void put(uint8_t *b, size_t *at, const void *p, size_t len)
{
	memcpy(b + *at, p, len);
	*at += len;
}

void qemu_job_build(struct qemu_job *j, const struct ops_header *hdr,
		    const struct op *ops, size_t n, const struct harness_opts *opts,
		    const uint64_t *answers, uint32_t answer_count, bool verbose)
{
	struct qh_job h = { 0 };
	size_t in_len = ops_encode(hdr, ops, n, NULL, 0), at = 0, i, probes = 0;
	unsigned k;

	/* Each DMA probe waits for edu (100 ms a transfer, two at most): the
	 * timeout grows with them, so only a real hang is one. */
	for (i = 0; i < n; i++)
		probes += ops[i].code == OP_DMA && (opts->op_mask & OPBIT(OP_DMA));
	j->extra_s = (unsigned)((probes + 1U) / 2U);

	h.magic = QH_JOB_MAGIC;
	h.op_mask = opts->op_mask;
	h.prelude = opts->prelude;
	h.flags = verbose ? QH_JOB_VERBOSE : 0;
	h.input_len = (uint32_t)in_len;
	h.dma_count = answer_count;
	h.edu_count = j->edu_count;
	j->bin_len = sizeof(h) + j->edu_count * sizeof(struct qh_edu) +
		     (size_t)answer_count * 8U + in_len;
	if (j->bin_len > QH_JOB_MAX)
		die("qemu-replay: %s: the job (%zu bytes) is too big", j->path, j->bin_len);
	j->bin = calloc(1, j->bin_len);
	if (j->bin == NULL)
		die("out of memory");
	put(j->bin, &at, &h, sizeof(h));
	for (k = 0; k < j->edu_count; k++) {
		struct qh_edu e = { j->edu[k].sid, j->edu[k].port_slot };

		put(j->bin, &at, &e, sizeof(e));
	}
	put(j->bin, &at, answers, (size_t)answer_count * 8U);
	ops_encode(hdr, ops, n, j->bin + at, in_len);
}

/* ---- QEMU's command line ------------------------------------------------------------- */

struct argv_buf {
	char *v[ARGV_MAX];
	char store[4096];
	size_t n, used;
};

static void arg(struct argv_buf *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void arg(struct argv_buf *a, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (a->n + 1 >= ARGV_MAX)
		die("qemu-replay: QEMU command line too long");
	va_start(ap, fmt);
	len = vsnprintf(a->store + a->used, sizeof(a->store) - a->used, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(a->store) - a->used)
		die("qemu-replay: QEMU command line too long");
	a->v[a->n++] = a->store + a->used;
	a->used += (size_t)len + 1U;
	a->v[a->n] = NULL;
}

static void qemu_argv(const struct qemu_setup *s, const struct qemu_job *j,
		      const char *job_file, struct argv_buf *a)
{
	unsigned k;

	arg(a, "%s", s->qemu);
	arg(a, "-M");
	arg(a, "virt,virtualization=on,iommu=smmuv3,gic-version=3");
	arg(a, "-cpu");
	arg(a, "max");
	arg(a, "-m");
	arg(a, "%uM", QH_RAM_MB);
	arg(a, "-nographic");
	arg(a, "-nodefaults");
	arg(a, "-serial");
	arg(a, "stdio");
	arg(a, "-monitor");
	arg(a, "none");
	arg(a, "-semihosting-config");
	arg(a, "enable=on,target=native");
	arg(a, "-kernel");
	arg(a, "%s", s->hyp);
	arg(a, "-device");
	arg(a, "loader,file=%s", s->agent);
	arg(a, "-device");
	arg(a, "loader,file=%s,addr=0x%llx,force-raw=on", job_file,
	    (unsigned long long)QH_JOB_ADDR);
	for (k = 0; k < j->edu_count; k++) {
		const struct qemu_edu *e = &j->edu[k];
		unsigned devfn = e->sid & 0xFFU;
		bool own_port = e->port_slot >= 0;

		/* One root port per bus: the first edu of that bus adds it. */
		for (unsigned m = 0; own_port && m < k; m++)
			if (j->edu[m].port_slot == e->port_slot)
				own_port = false;
		if (own_port) {
			arg(a, "-device");
			arg(a, "pcie-root-port,id=rp%d,bus=pcie.0,chassis=%d,addr=0x%x.0",
			    e->port_slot, e->port_slot, (unsigned)e->port_slot);
		}
		arg(a, "-device");
		if (e->port_slot >= 0)
			arg(a, "edu,bus=rp%d,addr=0x0.%u,dma_mask=0xffffffffffffffff,"
			    "multifunction=on", e->port_slot, devfn & 7U);
		else
			arg(a, "edu,bus=pcie.0,addr=0x%x.%u,dma_mask=0xffffffffffffffff,"
			    "multifunction=on", devfn >> 3, devfn & 7U);
	}
	if (s->trace) {
		arg(a, "-trace");
		arg(a, "smmuv3_*");
	}
}

/* ---- Running them ---------------------------------------------------------------------- */

struct slot {
	pid_t pid;
	int fd;
	size_t job;
	unsigned timeout_s;
	double start, deadline;
	char *out;
	size_t out_len;
	bool timed_out;
	char job_file[1100];
};

pid_t qemu_spawn(char *const argv[], int *out_fd)
{
	int pfd[2];
	pid_t pid;

	if (pipe(pfd) != 0)
		die("pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		close(pfd[1]);
		execvp(argv[0], argv);
		/* Read by the parent like the hypervisor's own verdict line. */
		dprintf(1, QH_VERDICT_PREFIX "error: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	*out_fd = pfd[0];
	return pid;
}

static void start(const struct qemu_setup *s, struct qemu_job *j, size_t idx,
		  struct slot *sl)
{
	static struct argv_buf a;
	char err[256];

	snprintf(sl->job_file, sizeof(sl->job_file), "%s/job-%zu.bin", s->tmpdir, idx);
	if (!write_file(sl->job_file, j->bin, j->bin_len, err, sizeof(err)))
		die("qemu-replay: %s", err);
	memset(&a, 0, sizeof(a));
	qemu_argv(s, j, sl->job_file, &a);
	sl->pid = qemu_spawn(a.v, &sl->fd);
	sl->job = idx;
	sl->start = now_s();
	sl->timeout_s = s->timeout_s + j->extra_s;
	sl->deadline = sl->start + sl->timeout_s;
	sl->out = malloc(OUT_CAP + 1);
	if (sl->out == NULL)
		die("out of memory");
	sl->out_len = 0;
	sl->timed_out = false;
}

/* The verdict line of a finished run (or why there is none). */
static void read_verdict(const struct qemu_setup *s, struct slot *sl, int status,
			 struct qemu_result *r)
{
	const char *line = NULL, *p = sl->out;
	unsigned long long trace = 0;

	sl->out[sl->out_len] = '\0';
	r->seconds = now_s() - sl->start;
	if (s->trace)
		fputs(sl->out, stderr);
	/* The last verdict line: a DMA into the UART may have put bytes
	 * before it on its line. */
	while ((p = strstr(p, QH_VERDICT_PREFIX)) != NULL) {
		line = p + strlen(QH_VERDICT_PREFIX);
		p++;
	}
	if (sl->timed_out) {
		r->status = QH_EXIT_FINDING;
		snprintf(r->line, sizeof(r->line), "finding:hang:timeout-%us", sl->timeout_s);
		r->trace = OPS_TRACE_SEED;
		return;
	}
	if (line == NULL) {
		const char *last = sl->out + sl->out_len;

		while (last > sl->out && (last[-1] == '\n' || last[-1] == '\r'))
			last--;
		p = last;
		while (p > sl->out && p[-1] != '\n')
			p--;
		r->status = QH_EXIT_HARNESS;
		snprintf(r->line, sizeof(r->line), "error: QEMU ended (status %d) without a "
			 "verdict: %.*s", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 (int)(last - p > 160 ? 160 : last - p), p);
		return;
	}
	if (strncmp(line, "error: ", 7) == 0) {
		r->status = QH_EXIT_HARNESS;
		snprintf(r->line, sizeof(r->line), "%.*s", (int)strcspn(line, "\r\n"), line);
		return;
	}
	snprintf(r->line, sizeof(r->line), "%.*s", (int)strcspn(line, " \r\n"), line);
	p = strstr(line, " trace=");
	if (p == NULL || sscanf(p, " trace=%llx", &trace) != 1) {
		r->status = QH_EXIT_HARNESS;
		snprintf(r->line, sizeof(r->line), "error: malformed verdict line");
		return;
	}
	r->trace = trace;
	r->status = strncmp(r->line, "finding:", 8) == 0 ? QH_EXIT_FINDING :
		    strncmp(r->line, "rejected:", 9) == 0 ? QH_EXIT_REJECTED : QH_EXIT_OK;
	/* The exit status must say the same class. */
	if (!WIFEXITED(status) || WEXITSTATUS(status) != (int)r->status) {
		r->status = QH_EXIT_HARNESS;
		snprintf(r->line, sizeof(r->line), "error: QEMU exited with status %d for '%.*s'",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 (int)strcspn(line, " \r\n"), line);
	}
}

static void drain(struct slot *sl)
{
	char sink[8192];
	char *dst = sl->out_len < OUT_CAP ? sl->out + sl->out_len : sink;
	size_t room = sl->out_len < OUT_CAP ? OUT_CAP - sl->out_len : sizeof(sink);
	ssize_t got = read(sl->fd, dst, room);

	if (got <= 0) {
		close(sl->fd);
		sl->fd = -1;
	} else if (dst != sink) {
		sl->out_len += (size_t)got;
	}
}

void qemu_run_all(const struct qemu_setup *s, struct qemu_job *jobs, size_t n,
		  unsigned parallel, struct qemu_result *res)
{
	struct slot slots[64];
	size_t next = 0, done = 0;
	unsigned k, active = 0;

	if (parallel < 1)
		parallel = 1;
	if (parallel > 64)
		parallel = 64;
	memset(slots, 0, sizeof(slots));
	for (k = 0; k < parallel; k++)
		slots[k].pid = 0;
	while (done < n) {
		struct pollfd pf[64];
		double t = now_s(), soonest = t + 3600;
		int wait_ms;

		for (k = 0; k < parallel && next < n; k++) {
			if (slots[k].pid == 0) {
				start(s, &jobs[next], next, &slots[k]);
				next++;
				active++;
			}
		}
		for (k = 0; k < parallel; k++) {
			pf[k].fd = slots[k].pid != 0 ? slots[k].fd : -1;
			pf[k].events = POLLIN;
			pf[k].revents = 0;
			if (slots[k].pid != 0 && slots[k].deadline < soonest)
				soonest = slots[k].deadline;
		}
		wait_ms = (int)((soonest - t) * 1000) + 1;
		if (poll(pf, parallel, wait_ms < 0 ? 0 : wait_ms) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		for (k = 0; k < parallel; k++) {
			struct slot *sl = &slots[k];
			int status = 0;

			if (sl->pid == 0)
				continue;
			if (sl->fd >= 0 && pf[k].revents)
				drain(sl);
			if (sl->fd >= 0 && now_s() > sl->deadline) {
				sl->timed_out = true;
				kill(sl->pid, SIGKILL);
				close(sl->fd);
				sl->fd = -1;
			}
			if (sl->fd >= 0)
				continue;
			while (waitpid(sl->pid, &status, 0) < 0 && errno == EINTR)
				;
			read_verdict(s, sl, status, &res[sl->job]);
			unlink(sl->job_file);
			free(sl->out);
			sl->pid = 0;
			active--;
			done++;
		}
	}
	(void)active;
	rmdir(s->tmpdir);
}
