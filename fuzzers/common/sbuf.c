// SPDX-License-Identifier: MIT
/* The bounded string builder shared by the text printer and the describers. */
#include <stdarg.h>
#include <stdio.h>

#include "sbuf.h"

struct sbuf sb_init(char *out, size_t cap)
{
	struct sbuf b = { out, out != NULL ? cap : 0, 0 };

	if (b.cap > 0)
		out[0] = '\0';
	return b;
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char *dst = NULL;
	size_t room = 0;
	va_list ap;
	int n;

	if (b->len < b->cap) {
		dst = b->s + b->len;
		room = b->cap - b->len;
	}
	va_start(ap, fmt);
	n = vsnprintf(dst, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += (size_t)n;
}
