/* SPDX-License-Identifier: MIT */
/* Freestanding <stdlib.h> for the EL2 build: libfdt_env.h includes it; the
 * core uses nothing from it. */
#ifndef SMMU_EL2_STDLIB_H
#define SMMU_EL2_STDLIB_H

#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);

#endif /* SMMU_EL2_STDLIB_H */
