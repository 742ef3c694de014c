// SPDX-License-Identifier: MIT
/*
 * Engine processes. Each runs in a process group of its own (our signals
 * reach it and whatever it forks in that group, and a Ctrl-C on the
 * terminal reaches only us: we decide what they get), and is told by the
 * kernel to die when we die (PR_SET_PDEATHSIG), SIGKILL included: nothing
 * outlives a campaign. AFL++'s forkserver sits in a session of its own; the
 * targets' glue (fuzzers/afl_pdeath.c) extends the chain to it.
 */
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
	pid_t pid;

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
		/* Signals we ignore or block must not be inherited that way. */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
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
