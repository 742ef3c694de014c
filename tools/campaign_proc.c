// SPDX-License-Identifier: MIT
/*
 * Engine processes. Each runs in a process group of its own (our signals
 * reach it and whatever it forks in that group, and a Ctrl-C on the
 * terminal reaches only us: we decide what they get), and is told by the
 * kernel to die when we die (PR_SET_PDEATHSIG), SIGKILL included: nothing
 * outlives a campaign. AFL++'s forkserver sits in a session of its own; the
 * targets' glue (fuzzers/afl_pdeath.c) extends the chain to it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "campaign.h"

pid_t proc_spawn(char *const argv[], char *const env[], const char *cwd,
		 const char *log)
{
	pid_t parent = getpid();
	sigset_t stops, saved;
	pid_t pid;

	/* A stop signal sent to the new process before it execs must not run
	 * our handler in it (it would go on and exec, deaf to the stop): held
	 * until the child has its default actions back. */
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGHUP);
	sigprocmask(SIG_BLOCK, &stops, &saved);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fuzz: fork: %s", strerror(errno));
	if (pid == 0) {
		int fd;
		size_t i;

		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* We may have died before the prctl: then nobody would tell. */
		if (getppid() != parent)
			_exit(127);
		/* Our handlers and ignored signals are not the engine's. */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		sigprocmask(SIG_SETMASK, &saved, NULL);
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 0);
			close(fd);
		}
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		if (cwd != NULL && chdir(cwd) != 0) {
			fprintf(stderr, "smmufuzz: cannot enter %s: %s\n", cwd, strerror(errno));
			_exit(127);
		}
		for (i = 0; env != NULL && env[i] != NULL; i++)
			putenv(env[i]);
		execvp(argv[0], argv);
		fprintf(stderr, "smmufuzz: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	/* Also here: a signal sent before the child's own setpgid still
	 * finds the group. */
	setpgid(pid, pid);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	return pid;
}

void proc_signal(pid_t pid, int sig)
{
	if (pid > 0)
		kill(-pid, sig);
}

const volatile uint64_t *counter_map(const char *path)
{
	static const uint64_t zero;
	void *p;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return &zero;
	/* A new session counts from zero; the figures of earlier ones are
	 * in campaign.conf. */
	if (ftruncate(fd, 0) != 0 || ftruncate(fd, (off_t)sizeof(uint64_t)) != 0) {
		close(fd);
		return &zero;
	}
	p = mmap(NULL, sizeof(uint64_t), PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? &zero : (const volatile uint64_t *)p;
}

#define PROC_MAX	8192

struct proc_entry {
	pid_t pid, ppid;
	double cpu;		/* own and reaped children's user + system */
};

/* Fields 4 (ppid) and 14-17 (utime, stime, cutime, cstime) of
 * /proc/<pid>/stat, after the command name in parentheses. */
static bool read_stat(pid_t pid, struct proc_entry *e, double tick)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	long long cut, cst;
	ssize_t n;
	int fd, ppid;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	p = strrchr(buf, ')');
	if (p == NULL || sscanf(p + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %lld %lld",
				&ppid, &ut, &st, &cut, &cst) != 5)
		return false;
	e->pid = pid;
	e->ppid = ppid;
	e->cpu = (double)(ut + st + (unsigned long long)cut + (unsigned long long)cst) / tick;
	return true;
}

/* @root's CPU time and that of all its live descendants. */
static double subtree(const struct proc_entry *t, size_t n, pid_t root, unsigned depth)
{
	double sum = 0;
	size_t i;

	if (depth > 16)		/* engine trees are three deep */
		return 0;
	for (i = 0; i < n; i++) {
		if (t[i].pid == root)
			sum += t[i].cpu;
		else if (t[i].ppid == root)
			sum += subtree(t, n, t[i].pid, depth + 1);
	}
	return sum;
}

void proc_tree_cpu(const pid_t *roots, double *cpu, unsigned n)
{
	static struct proc_entry table[PROC_MAX];
	double tick = (double)sysconf(_SC_CLK_TCK);
	struct dirent *e;
	size_t count = 0;
	unsigned i;
	DIR *d = opendir("/proc");

	while (d != NULL && count < PROC_MAX && (e = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end == 0 && pid > 0 && read_stat((pid_t)pid, &table[count], tick))
			count++;
	}
	if (d != NULL)
		closedir(d);
	for (i = 0; i < n; i++)
		cpu[i] = roots[i] > 0 ? subtree(table, count, roots[i], 0) : 0;
}

/* What one cached world holds resident at most: its RAM's touched pages
 * and their snapshot, page-state and double-fetch arrays, the oracles'
 * state (measured: 1.8 GB for 256 worlds of fuzz_all). */
#define WORLD_RSS_BYTES	(8ULL << 20)
#define WORLD_CACHE_MIN	16U
#define WORLD_CACHE_MAX	256U

static uint64_t mem_available(void)
{
	char line[128];
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return (uint64_t)kb << 10;
}

unsigned world_cache_for(unsigned procs)
{
	uint64_t avail = mem_available(), n;

	if (avail == 0 || procs == 0)
		return WORLD_CACHE_MAX;
	n = avail / 2U / procs / WORLD_RSS_BYTES;
	if (n < WORLD_CACHE_MIN)
		return WORLD_CACHE_MIN;
	return n > WORLD_CACHE_MAX ? WORLD_CACHE_MAX : (unsigned)n;
}
