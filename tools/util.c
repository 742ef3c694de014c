// SPDX-License-Identifier: MIT
/* File, directory and argument helpers for the CLI. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define MAX_INPUT_SIZE (16U << 20)

static void vcomplain(const char *fmt, va_list ap)
{
	fputs("smmufuzz: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void complain(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcomplain(fmt, ap);
	va_end(ap);
}

_Noreturn void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcomplain(fmt, ap);
	va_end(ap);
	exit(EXIT_BADINPUT);
}

bool read_file(const char *path, struct buf *out, char *err, size_t errcap)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	size_t got;

	out->data = NULL;
	out->len = 0;
	if (f == NULL) {
		snprintf(err, errcap, "%s: cannot open: %s", path, strerror(errno));
		return false;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errcap, "%s: not a regular file", path);
		fclose(f);
		return false;
	}
	if ((uint64_t)st.st_size > MAX_INPUT_SIZE) {
		snprintf(err, errcap, "%s: too large (%lld bytes, limit %u)", path,
			 (long long)st.st_size, MAX_INPUT_SIZE);
		fclose(f);
		return false;
	}
	out->data = malloc((size_t)st.st_size + 1);
	if (out->data == NULL) {
		fclose(f);
		snprintf(err, errcap, "%s: out of memory", path);
		return false;
	}
	got = fread(out->data, 1, (size_t)st.st_size, f);
	if (ferror(f) || got != (size_t)st.st_size) {
		snprintf(err, errcap, "%s: read error", path);
		free(out->data);
		out->data = NULL;
		fclose(f);
		return false;
	}
	out->data[got] = 0;	/* text users get a terminated string */
	out->len = got;
	fclose(f);
	return true;
}

/* Write to a temporary name, then rename: a reader never sees half a file. */
bool write_file(const char *path, const void *data, size_t len, char *err,
		size_t errcap)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp)) {
		snprintf(err, errcap, "%s: path too long", path);
		return false;
	}
	f = fopen(tmp, "wb");
	if (f == NULL) {
		snprintf(err, errcap, "%s: cannot create: %s", path, strerror(errno));
		return false;
	}
	if (fwrite(data, 1, len, f) != len || fflush(f) != 0 || fclose(f) != 0) {
		snprintf(err, errcap, "%s: write error: %s", path, strerror(errno));
		remove(tmp);
		return false;
	}
	if (rename(tmp, path) != 0) {
		snprintf(err, errcap, "%s: cannot rename into place: %s", path,
			 strerror(errno));
		remove(tmp);
		return false;
	}
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void push(char ***list, size_t *n, size_t *cap, const char *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*list = realloc(*list, *cap * sizeof(char *));
		if (*list == NULL)
			die("out of memory");
	}
	(*list)[(*n)++] = strdup(s);
}

/* Append the entries of @dir that are directories (@dirs) or regular
 * files, sorted, skipping hidden names. */
static void walk_dir(const char *dir, bool dirs, char ***list, size_t *n,
		     size_t *cap)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t first = *n;

	if (d == NULL)
		die("%s: cannot open directory: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) == 0 &&
		    (dirs ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)))
			push(list, n, cap, path);
	}
	closedir(d);
	qsort(*list + first, *n - first, sizeof(char *), cmp_str);
}

size_t list_inputs(char **args, int nargs, char ***out)
{
	char **list = NULL;
	size_t n = 0, cap = 0;
	int i;

	for (i = 0; i < nargs; i++) {
		struct stat st;

		if (stat(args[i], &st) != 0)
			die("%s: %s", args[i], strerror(errno));
		if (S_ISDIR(st.st_mode))
			walk_dir(args[i], false, &list, &n, &cap);
		else
			push(&list, &n, &cap, args[i]);
	}
	*out = list;
	return n;
}

size_t list_dirs(char **args, int nargs, char ***out)
{
	char **list = NULL;
	size_t n = 0, cap = 0;
	int i;

	for (i = 0; i < nargs; i++)
		walk_dir(args[i], true, &list, &n, &cap);
	*out = list;
	return n;
}

void free_inputs(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

int load_ops(const char *path, bool raw, struct ops_header *hdr,
	     struct op *ops, size_t max)
{
	struct buf b;
	char err[256];
	int n;

	if (!read_file(path, &b, err, sizeof(err))) {
		complain("%s", err);
		return -1;
	}
	n = decode_file(&b, raw, hdr, ops, max, err, sizeof(err));
	free(b.data);
	if (n < 0)
		complain("%s: %s", path, err);
	return n;
}

/*
 * The text form (docs/op-stream.md), as the corpus keeps it: no NUL, and
 * the first line that is not blank or a comment starts with "smfz ".
 */
static bool is_text_form(const struct buf *b)
{
	const char *p = (const char *)b->data;

	if (b->len == 0 || memchr(b->data, 0, b->len) != NULL || p[b->len] != 0)
		return false;
	for (;;) {
		p += strspn(p, " \t\r\n");
		if (*p != '#')
			return strncmp(p, "smfz ", 5) == 0;
		p = strchr(p, '\n');
		if (p == NULL)
			return false;
	}
}

int decode_file(const struct buf *b, bool raw, struct ops_header *hdr,
		struct op *ops, size_t max, char *err, size_t errcap)
{
	struct ops_diag diag;
	int n;

	memset(&diag, 0, sizeof(diag));
	if (!raw && is_text_form(b)) {
		n = ops_parse_text((const char *)b->data, hdr, ops, max, &diag);
		if (n < 0)
			snprintf(err, errcap, "bad op-stream text: %s", diag.msg);
		hdr->present = true;
		return n;
	}
	if (!raw && (b->len < 4 || memcmp(b->data, OPS_MAGIC, 4) != 0)) {
		snprintf(err, errcap, "not an op-stream file (no SMFZ header, no \"smfz\" "
				      "text header; use --raw for raw fuzzer inputs)");
		return -1;
	}
	n = ops_decode(b->data, b->len, !raw, hdr, ops, max, &diag);
	if (n < 0)
		snprintf(err, errcap, "corrupt op stream: %s", diag.msg);
	return n;
}

const char *infer_target(const char *path, const char *given)
{
	static char name[64];
	const char *p;

	if (given != NULL)
		return given;
	for (p = strstr(path, "fuzz_"); p != NULL; p = strstr(p + 1, "fuzz_")) {
		size_t len = strcspn(p, "/.");

		if (len < sizeof(name)) {
			memcpy(name, p, len);
			name[len] = 0;
			if (harness_target_opts(name) != NULL)
				return name;
		}
	}
	return "all";
}

const char *build_dir(void)
{
	return SMMUFUZZ_BUILD_DIR;
}

const char *source_dir(void)
{
	return SMMUFUZZ_SOURCE_DIR;
}

unsigned long parse_count(const char *opt, const char *val)
{
	char *end;
	unsigned long v;

	if (val == NULL || *val == '\0')
		die("%s needs a value", opt);
	errno = 0;
	v = strtoul(val, &end, 0);
	if (errno != 0 || *end != '\0' || val[0] == '-')
		die("%s: '%s' is not a non-negative number", opt, val);
	return v;
}

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

unsigned count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	while (d != NULL && (e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	if (d != NULL)
		closedir(d);
	return n;
}
