// SPDX-License-Identifier: MIT
/* show and asm: between binary op streams and their reviewable text form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static struct op ops[OPS_MAX_OPS];

int cmd_show(int argc, char **argv)
{
	struct ops_header hdr;
	struct buf b;
	char err[256];
	const char *path = NULL;
	bool raw = false;
	size_t need;
	char *text;
	int i, n;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--raw") == 0)
			raw = true;
		else if (argv[i][0] == '-')
			die("show: unknown option '%s'", argv[i]);
		else if (path == NULL)
			path = argv[i];
		else
			die("show: one FILE at a time");
	}
	if (path == NULL)
		die("show: missing FILE");
	if (!read_file(path, &b, err, sizeof(err)))
		die("%s", err);
	n = decode_file(&b, raw, &hdr, ops, OPS_MAX_OPS, err, sizeof(err));
	free(b.data);
	if (n < 0)
		die("%s: %s", path, err);
	hdr.present = true;
	need = ops_format_text(&hdr, ops, (size_t)n, true, NULL, 0);
	text = malloc(need + 1);
	if (text == NULL)
		die("out of memory");
	ops_format_text(&hdr, ops, (size_t)n, true, text, need + 1);
	fputs(text, stdout);
	free(text);
	return 0;
}

int cmd_asm(int argc, char **argv)
{
	struct ops_header hdr;
	struct ops_diag diag;
	struct buf b;
	char err[256];
	const char *in = NULL, *out = NULL;
	uint8_t *bin;
	size_t need;
	int i, n;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] == '-')
			die("asm: unknown option '%s'", argv[i]);
		else if (in == NULL)
			in = argv[i];
		else
			die("asm: one TEXT file at a time");
	}
	if (in == NULL || out == NULL)
		die("asm: usage: smmufuzz asm TEXT -o BIN");
	if (!read_file(in, &b, err, sizeof(err)))
		die("%s", err);
	memset(&diag, 0, sizeof(diag));
	n = ops_parse_text((const char *)b.data, &hdr, ops, OPS_MAX_OPS, &diag);
	free(b.data);
	if (n < 0)
		die("%s: %s", in, diag.msg);
	hdr.present = true;
	need = ops_encode(&hdr, ops, (size_t)n, NULL, 0);
	bin = malloc(need);
	if (bin == NULL)
		die("out of memory");
	ops_encode(&hdr, ops, (size_t)n, bin, need);
	if (!write_file(out, bin, need, err, sizeof(err)))
		die("%s", err);
	free(bin);
	return 0;
}
