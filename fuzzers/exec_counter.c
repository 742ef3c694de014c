// SPDX-License-Identifier: MIT
/*
 * Linked into the libFuzzer targets (with -Wl,--wrap=LLVMFuzzerTestOneInput):
 * counts executions into a file the campaign maps, so its status line has a
 * live exec/s. libFuzzer itself prints its figures only on new coverage and
 * at powers of two, minutes apart once a corpus has grown.
 *
 * The campaign names the file in SMMUFUZZ_EXEC_COUNTER; it holds one
 * native u64, stored with relaxed atomics: one writer, and a reader
 * that only wants a recent value. Without the variable the count goes
 * to a static and nothing else changes.
 */
#include <fcntl.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define EXEC_COUNTER_ENV "SMMUFUZZ_EXEC_COUNTER"

int __real_LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int __wrap_LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static _Atomic uint64_t unmapped;
static _Atomic uint64_t *counter;

static _Atomic uint64_t *map_counter(void)
{
	const char *path = getenv(EXEC_COUNTER_ENV);
	void *p;
	int fd;

	if (path == NULL || (fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
		return &unmapped;
	if (ftruncate(fd, (off_t)sizeof(uint64_t)) != 0) {
		close(fd);
		return &unmapped;
	}
	p = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? &unmapped : (_Atomic uint64_t *)p;
}

int __wrap_LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (counter == NULL)
		counter = map_counter();
	/* One writer: a load and a store, no locked add. */
	atomic_store_explicit(counter,
			      atomic_load_explicit(counter, memory_order_relaxed) + 1,
			      memory_order_relaxed);
	return __real_LLVMFuzzerTestOneInput(data, size);
}
