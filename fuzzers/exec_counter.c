// SPDX-License-Identifier: MIT
/*
 * The exec counter (exec_counter.h): one native u64 in a shared mapping of
 * the file SMMUFUZZ_EXEC_COUNTER names, stored with relaxed atomics (one
 * writer; the reader only wants a recent value). It is mapped before main,
 * so AFL++'s forkserver maps it once and every child it forks shares it.
 * Without the variable the count goes to a static and nothing else changes.
 */
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exec_counter.h"

static _Atomic uint64_t unmapped;
static _Atomic uint64_t *counter = &unmapped;

__attribute__((constructor)) static void exec_counter_map(void)
{
	const char *path = getenv(EXEC_COUNTER_ENV);
	void *p;
	int fd;

	if (path == NULL || (fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
		return;
	if (ftruncate(fd, (off_t)sizeof(uint64_t)) == 0) {
		p = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);
		if (p != MAP_FAILED)
			counter = p;
	}
	close(fd);
}

void exec_counter_bump(void)
{
	/* One writer: a load and a store, no locked add. */
	atomic_store_explicit(counter,
			      atomic_load_explicit(counter, memory_order_relaxed) + 1,
			      memory_order_relaxed);
}
