/* SPDX-License-Identifier: MIT */
/* Freestanding <string.h> for the EL2 build: what libfdt's headers expect;
 * the functions are our own (plat/el2/mem.c). */
#ifndef SMMU_EL2_STRING_H
#define SMMU_EL2_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

#endif /* SMMU_EL2_STRING_H */
