/* SPDX-License-Identifier: MIT */
/* A bounded string builder with snprintf semantics (len counts what did not fit). */
#ifndef SMMUFUZZ_SBUF_H
#define SMMUFUZZ_SBUF_H

#include <stddef.h>

struct sbuf {
	char *s;
	size_t cap;
	size_t len;
};

/* An empty buffer over @out (may be NULL with @cap 0 to measure). */
struct sbuf sb_init(char *out, size_t cap);

/* Append like snprintf; the text is cut at the capacity, len keeps counting. */
void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* SMMUFUZZ_SBUF_H */
