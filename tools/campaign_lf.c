// SPDX-License-Identifier: MIT
/*
 * libFuzzer workers. Each is one libFuzzer process on the target's corpus
 * directory (shared with the other workers and with AFL++'s mirrored queue:
 * -reload picks up what they add), started in a work directory of its own
 * that receives its crash, timeout and OOM files; those are copied into
 * crashes/<target>/ under libFuzzer's own name (content-addressed) once the
 * process has exited, which it does at its first crash.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign.h"

#define LF_MAX_LEN_DEFAULT	"4096"
#define LF_RSS_LIMIT_MB		"4096"
#define LF_ARGS_MAX		(24 + TARGET_OPTS_MAX)

/* What libFuzzer leaves in the artifact directory that a campaign keeps
 * (slow-unit- files are neither crashes nor lost: they stay in work/). */
static const char *const artifact_prefixes[] = { "crash-", "timeout-", "oom-", "leak-" };

pid_t lf_start(struct campaign *c, struct worker *w)
{
	const struct unit *u = &c->units[w->unit];
	const char *t = c->targets[u->target];
	static char args[LF_ARGS_MAX][CAMPAIGN_PATH + 32];
	char *argv[LF_ARGS_MAX + 1], *env[4];
	char corpus[CAMPAIGN_PATH], seeds[CAMPAIGN_PATH], fuzzers[CAMPAIGN_PATH];
	static char env_counter[CAMPAIGN_PATH + 32], env_mutator[32], env_cache[48];
	struct target_options o;
	unsigned timeout = c->timeout_s, i, k = 0;
	const char *v;

	snprintf(fuzzers, sizeof(fuzzers), "%s/fuzzers", source_dir());
	target_options_load(fuzzers, t, &o);
	if ((v = target_option(&o, "timeout")) != NULL && atoi(v) > 0)
		timeout = (unsigned)atoi(v);
	/* Wall-clock timeouts must outlast a pause between two slices. */
	timeout += (unsigned)(sched_max_pause(c) + 0.5);

#define ARG(...) snprintf(args[k], sizeof(args[k]), __VA_ARGS__), argv[k] = args[k], k++
	ARG("%s", u->bin);
	ARG("-artifact_prefix=%s/", w->dir);
	ARG("-timeout=%u", timeout);
	ARG("-report_slow_units=%u", timeout);
	ARG("-rss_limit_mb=%s", LF_RSS_LIMIT_MB);
	ARG("-max_len=%s", LF_MAX_LEN_DEFAULT);
	ARG("-seed=%u", (unsigned)((now_s() * 1000.0)) * 2654435761U + w->index + 1);
	ARG("-print_final_stats=1");
	ARG("-reload=1");
	for (i = 0; i < o.n && k < LF_ARGS_MAX - 3; i++)
		if (strcmp(o.key[i], "timeout") != 0)
			ARG("-%s=%s", o.key[i], o.val[i]);	/* later flags win */
	ARG("%s", cpath(c, corpus, "corpus/%s", t));
	snprintf(seeds, sizeof(seeds), "%s/%s", c->seeds, t);
	if (access(seeds, R_OK) == 0)
		ARG("%s", seeds);
#undef ARG
	argv[k] = NULL;
	snprintf(env_counter, sizeof(env_counter), "SMMUFUZZ_EXEC_COUNTER=%s/execs", w->dir);
	/* The structure-aware mutator's share (fuzzers/common/lf_mutator.c). */
	snprintf(env_mutator, sizeof(env_mutator), "SMMUFUZZ_MUTATOR=%s", c->mutator_mode);
	snprintf(env_cache, sizeof(env_cache), "SMMUFUZZ_WORLD_CACHE=%u", c->world_cache);
	env[0] = env_counter;
	env[1] = env_mutator;
	env[2] = env_cache;
	env[3] = NULL;
	return proc_spawn(argv, env, w->dir, w->log);
}

static void parse_status(struct worker *w, const char *line)
{
	const char *p;

	/* "#4096  NEW    cov: 812 ft: 2345 corp: 640/123Kb ..." */
	if (line[0] != '#')
		return;
	if ((p = strstr(line, "cov: ")) != NULL)
		w->cov = (unsigned)strtoul(p + 5, NULL, 10);
	if ((p = strstr(line, "ft: ")) != NULL)
		w->ft = (unsigned)strtoul(p + 4, NULL, 10);
	if ((p = strstr(line, "corp: ")) != NULL)
		w->corpus = (unsigned)strtoul(p + 6, NULL, 10);
}

void lf_poll(struct campaign *c, struct worker *w)
{
	char line[1024];
	FILE *f;

	(void)c;
	w->execs = *w->counter;
	f = fopen(w->log, "r");
	if (f == NULL)
		return;
	if (fseek(f, w->log_off, SEEK_SET) == 0) {
		while (fgets(line, sizeof(line), f) != NULL) {
			/* A line still being written is read again next time. */
			if (strchr(line, '\n') == NULL && !feof(f))
				continue;
			if (strchr(line, '\n') == NULL)
				break;
			parse_status(w, line);
			w->log_off = ftell(f);
		}
	}
	fclose(f);
}

static bool is_artifact(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(artifact_prefixes) / sizeof(artifact_prefixes[0]); i++)
		if (strncmp(name, artifact_prefixes[i], strlen(artifact_prefixes[i])) == 0)
			return true;
	return false;
}

/* Copy the artifacts of an exited libFuzzer into crashes/<target>/; the
 * originals go once the copy is in place. Also finds what a campaign killed
 * before it could collect left behind (resume). */
unsigned lf_collect(struct campaign *c, struct worker *w)
{
	const struct unit *u = &c->units[w->unit];
	const char *t = c->targets[u->target];
	unsigned fresh = 0;
	struct dirent *e;
	DIR *d;

	lf_poll(c, w);
	d = opendir(w->dir);
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char src[CAMPAIGN_PATH], dst[CAMPAIGN_PATH];

		if (!is_artifact(e->d_name))
			continue;
		snprintf(src, sizeof(src), "%s/%s", w->dir, e->d_name);
		cpath(c, dst, "crashes/%s/%s", t, e->d_name);
		if (copy_named(c, src, dst)) {
			findings_add(c, dst, u->target, ENGINE_LIBFUZZER);
			fresh++;
		}
		if (access(dst, F_OK) == 0)
			unlink(src);
	}
	closedir(d);
	return fresh;
}
