// SPDX-License-Identifier: MIT
/*
 * Linked into the AFL++ targets: under afl-fuzz, the target (AFL++'s
 * forkserver) and every child it forks for a persistent loop die when their
 * parent dies. afl-fuzz starts the forkserver in a session of its own, so a
 * campaign killed with SIGKILL can reach it neither by process group nor by
 * signal; the kernel's parent-death signal does, link by link: campaign ->
 * afl-fuzz (set by the campaign before exec) -> forkserver -> child.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <pthread.h>
#include <unistd.h>

/* Set by afl-fuzz for its target: outside afl-fuzz nothing changes. */
#define AFL_SHM_ENV "__AFL_SHM_ID"

static pid_t forker;

static void die_with_parent(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* The parent may have gone before the prctl: nobody would tell us. */
	if (getppid() != parent)
		_exit(1);
}

static void before_fork(void)
{
	forker = getpid();
}

static void in_child(void)
{
	die_with_parent(forker);
}

__attribute__((constructor)) static void afl_pdeath_init(void)
{
	if (getenv(AFL_SHM_ENV) == NULL)
		return;
	die_with_parent(getppid());
	pthread_atfork(before_fork, NULL, in_child);
}
