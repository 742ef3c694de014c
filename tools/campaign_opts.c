// SPDX-License-Identifier: MIT
/* Durations on the command line and the per-target .options files. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign.h"

#define SECONDS_PER_MINUTE	60.0
#define SECONDS_PER_HOUR	3600.0
#define SECONDS_PER_DAY		86400.0
#define DURATION_MAX_S		(366.0 * SECONDS_PER_DAY)

bool parse_duration(const char *s, double *seconds)
{
	double total = 0;
	bool any = false;

	if (s == NULL || *s == '\0')
		return false;
	while (*s != '\0') {
		double unit = 1.0, v = 0, scale = 1.0;
		const char *end = s;

		if (!isdigit((unsigned char)*end))
			return false;
		while (isdigit((unsigned char)*end))
			v = v * 10 + (*end++ - '0');
		if (*end == '.') {
			if (!isdigit((unsigned char)*++end))
				return false;
			while (isdigit((unsigned char)*end))
				v += (*end++ - '0') * (scale /= 10);
		}
		switch (*end) {
		case 's': unit = 1.0; end++; break;
		case 'm': unit = SECONDS_PER_MINUTE; end++; break;
		case 'h': unit = SECONDS_PER_HOUR; end++; break;
		case 'd': unit = SECONDS_PER_DAY; end++; break;
		case '\0': if (any) return false; break;	/* "1h30" is ambiguous */
		default: return false;
		}
		total += v * unit;
		any = true;
		s = end;
	}
	if (total > DURATION_MAX_S)
		return false;
	*seconds = total;
	return true;
}

void format_duration(double s, char *buf, size_t cap)
{
	unsigned long t = s > 0 ? (unsigned long)(s + 0.5) : 0;

	if (t >= 3600)
		snprintf(buf, cap, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, cap, "%lu:%02lu", t / 60, t % 60);
}

static void set_option(struct target_options *o, const char *key, const char *val)
{
	unsigned i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->key[i], key) == 0)
			break;
	if (i == o->n) {
		if (o->n == TARGET_OPTS_MAX)
			return;
		o->n++;
	}
	snprintf(o->key[i], sizeof(o->key[i]), "%s", key);
	snprintf(o->val[i], sizeof(o->val[i]), "%s", val);
}

const char *target_option(const struct target_options *o, const char *key)
{
	unsigned i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->key[i], key) == 0)
			return o->val[i];
	return NULL;
}

void target_options_load(const char *fuzzers_dir, const char *target,
			 struct target_options *o)
{
	char path[CAMPAIGN_PATH], line[512];
	const char *dict;
	bool in_section = false;
	FILE *f;

	memset(o, 0, sizeof(*o));
	snprintf(path, sizeof(path), "%s/%s.options", fuzzers_dir, target);
	f = fopen(path, "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char key[32], val[256];

		if (line[0] == '[') {
			in_section = strncmp(line, "[libfuzzer]", 11) == 0;
			continue;
		}
		if (in_section && sscanf(line, " %31[a-z_] = %255s", key, val) == 2)
			set_option(o, key, val);
	}
	if (f != NULL)
		fclose(f);
	dict = target_option(o, "dict");
	if (dict == NULL) {
		snprintf(path, sizeof(path), "%s/%s.dict", fuzzers_dir, target);
		if (access(path, R_OK) == 0)
			set_option(o, "dict", path);
	} else if (dict[0] != '/') {
		/* OSS-Fuzz names the dictionary beside the target. */
		snprintf(path, sizeof(path), "%s/%s", fuzzers_dir, dict);
		set_option(o, "dict", path);
	}
}

const char *engine_name(enum engine e)
{
	return e == ENGINE_AFL ? "afl" : "libfuzzer";
}

bool engine_parse(const char *s, unsigned *mask)
{
	if (strcmp(s, "libfuzzer") == 0)
		*mask = ENGINE_BIT(ENGINE_LIBFUZZER);
	else if (strcmp(s, "afl") == 0 || strcmp(s, "afl++") == 0)
		*mask = ENGINE_BIT(ENGINE_AFL);
	else if (strcmp(s, "both") == 0)
		*mask = ENGINE_BIT(ENGINE_LIBFUZZER) | ENGINE_BIT(ENGINE_AFL);
	else
		return false;
	return true;
}
