// SPDX-License-Identifier: MIT
/*
 * Linked into the libFuzzer targets with -Wl,--wrap=LLVMFuzzerTestOneInput:
 * every input libFuzzer runs is counted for the campaign (exec_counter.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "exec_counter.h"

int __real_LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int __wrap_LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int __wrap_LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	exec_counter_bump();
	return __real_LLVMFuzzerTestOneInput(data, size);
}
