// SPDX-License-Identifier: MIT
/*
 * AFL++ workers: afl-fuzz main (-M, with the CMPLOG build when there is
 * one, importing libFuzzer's corpus with -F) and secondaries (-S) over one
 * sync directory per target, afl/<target>/ (or <sync dir>/<target>/ shared
 * with other machines' campaigns, --sync-dir). What they find is copied into
 * the campaign as it appears: queue entries into corpus/<target>/ (where
 * libFuzzer's -reload picks them up), crashes and hangs into
 * crashes/<target>/, content-addressed and atomically. afl-fuzz resumes
 * its own directory in place (AFL_AUTORESUME) when a campaign is resumed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "campaign.h"

#define AFL_FUZZ		"afl-fuzz"
#define AFL_ARGS_MAX		32
#define AFL_ENV_MAX		20
#define AFL_TESTCACHE_MB	"50"
#define AFL_SYNC_MINUTES	"1"
#define STABLE_AGE_S		1	/* a file this old is written completely */
#define MS_PER_S		1000U
#define QUEUE_ID_PREFIX		"id:"

void afl_instance_name(const struct campaign *c, const struct worker *w, char *buf,
		       size_t cap)
{
	if (c->sync_dir[0] == 0)
		snprintf(buf, cap, w->index == 0 ? "main" : "s%u", w->index);
	else if (w->index == 0 && !c->secondary)
		snprintf(buf, cap, "main");
	else
		snprintf(buf, cap, "%s-s%u", c->machine, w->index);
}

const char *afl_sync_path(const struct campaign *c, const char *target, char *buf)
{
	if (c->sync_dir[0] == 0)
		return cpath(c, buf, "afl/%s", target);
	if (snprintf(buf, CAMPAIGN_PATH, "%s/%s", c->sync_dir, target) >= CAMPAIGN_PATH)
		die("fuzz: path too long under %s", c->sync_dir);
	return buf;
}

static bool has_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool any = false;

	while (d != NULL && !any && (e = readdir(d)) != NULL)
		any = e->d_name[0] != '.';
	if (d != NULL)
		closedir(d);
	return any;
}

pid_t afl_start(struct campaign *c, struct worker *w)
{
	const struct unit *u = &c->units[w->unit];
	const char *t = c->targets[u->target];
	static char args[AFL_ARGS_MAX][CAMPAIGN_PATH + 32];
	static char envs[AFL_ENV_MAX][CAMPAIGN_PATH + 64];
	char *argv[AFL_ARGS_MAX + 1], *env[AFL_ENV_MAX + 1];
	char fuzzers[CAMPAIGN_PATH], in[CAMPAIGN_PATH], inst[96], p[CAMPAIGN_PATH];
	struct target_options o;
	unsigned timeout = c->timeout_s, k = 0, e = 0;
	const char *v;

	snprintf(fuzzers, sizeof(fuzzers), "%s/fuzzers", source_dir());
	target_options_load(fuzzers, t, &o);
	if ((v = target_option(&o, "timeout")) != NULL && atoi(v) > 0)
		timeout = (unsigned)atoi(v);
	afl_instance_name(c, w, inst, sizeof(inst));
	/* The seeds, or what the campaign has when there are none. */
	snprintf(in, sizeof(in), "%s/%s", c->seeds, t);
	if (!has_files(in))
		cpath(c, in, "corpus/%s", t);

#define ARG(...) snprintf(args[k], sizeof(args[k]), __VA_ARGS__), argv[k] = args[k], k++
#define ENV(...) snprintf(envs[e], sizeof(envs[e]), __VA_ARGS__), env[e] = envs[e], e++
	ARG(AFL_FUZZ);
	ARG("-i");
	ARG("%s", in);
	ARG("-o");
	ARG("%s", afl_sync_path(c, t, p));
	ARG(w->index == 0 && !c->secondary ? "-M" : "-S");
	ARG("%s", inst);
	ARG("-t");
	ARG("%u", timeout * MS_PER_S);
	ARG("-m");
	ARG("none");
	/* libFuzzer options that mean something to AFL++ (docs/user-guide.md). */
	if ((v = target_option(&o, "max_len")) != NULL) {
		ARG("-G");
		ARG("%s", v);
	}
	if ((v = target_option(&o, "dict")) != NULL && access(v, R_OK) == 0) {
		ARG("-x");
		ARG("%s", v);
	}
	if (w->index == 0) {
		if (u->cmplog[0] != 0) {
			ARG("-c");
			ARG("%s", u->cmplog);
		}
	}
	/* The main instance imports libFuzzer's finds (afl-fuzz takes -F from
	 * the main only: a secondary machine's libFuzzer keeps its own). */
	if (w->index == 0 && !c->secondary) {
		ARG("-F");
		ARG("%s", cpath(c, p, "corpus/%s", t));
	}
	ARG("--");
	ARG("%s", u->bin);
	argv[k] = NULL;

	ENV("AFL_NO_UI=1");
	ENV("AFL_SKIP_CPUFREQ=1");
	ENV("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1");
	/* More workers than cores (time slices): no pinning. */
	ENV("AFL_NO_AFFINITY=1");
	ENV("AFL_AUTORESUME=1");
	ENV("AFL_SKIP_CRASHES=1");
	ENV("AFL_FAST_CAL=1");
	ENV("AFL_SYNC_TIME=%s", AFL_SYNC_MINUTES);
	ENV("AFL_TESTCACHE_SIZE=%s", AFL_TESTCACHE_MB);
	/* Over a shared sync directory, what the other machines found first. */
	if (c->sync_dir[0] != 0)
		ENV("AFL_IMPORT_FIRST=1");
	if (c->session > 1)
		ENV("AFL_CMPLOG_ONLY_NEW=1");
	ENV("SMMUFUZZ_EXEC_COUNTER=%s/execs", w->dir);
	ENV("SMMUFUZZ_WORLD_CACHE=%u", c->world_cache);
	if (strcmp(c->mutator_mode, "off") != 0 && c->mutator[0] != 0) {
		ENV("AFL_CUSTOM_MUTATOR_LIBRARY=%s", c->mutator);
		ENV("SMMUFUZZ_TARGET=%s", t);
		if (strcmp(c->mutator_mode, "only") == 0)
			ENV("AFL_CUSTOM_MUTATOR_ONLY=1");
	}
#undef ARG
#undef ENV
	env[e] = NULL;
	return proc_spawn(argv, env, w->dir, w->log);
}

static void read_stats(struct worker *w, const char *inst_dir)
{
	char path[CAMPAIGN_PATH], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/fuzzer_stats", inst_dir);
	f = fopen(path, "r");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		char key[64], val[128];

		if (sscanf(line, "%63s : %127s", key, val) != 2)
			continue;
		if (strcmp(key, "edges_found") == 0)
			w->cov = (unsigned)strtoul(val, NULL, 10);
		else if (strcmp(key, "stability") == 0)
			w->stability = atof(val);
	}
	fclose(f);
}

static bool stable(const char *path, bool final)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       (final || st.st_mtime + STABLE_AGE_S <= time(NULL));
}

/* Count the queue and mirror its new entries into corpus/<target>/. */
static void mirror_queue(struct campaign *c, struct worker *w, const char *inst_dir,
			 bool final)
{
	const char *t = c->targets[c->units[w->unit].target];
	char qdir[CAMPAIGN_PATH], corpus[CAMPAIGN_PATH];
	unsigned long next = w->queue_seen, unstable = ~0UL;
	unsigned count = 0;
	struct dirent *e;
	DIR *d;

	snprintf(qdir, sizeof(qdir), "%s/queue", inst_dir);
	cpath(c, corpus, "corpus/%s", t);
	d = opendir(qdir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char src[CAMPAIGN_PATH], dst[CAMPAIGN_PATH];
		unsigned long id;

		if (strncmp(e->d_name, QUEUE_ID_PREFIX, strlen(QUEUE_ID_PREFIX)) != 0)
			continue;
		count++;
		id = strtoul(e->d_name + strlen(QUEUE_ID_PREFIX), NULL, 10);
		if (id < w->queue_seen)
			continue;
		snprintf(src, sizeof(src), "%s/%s", qdir, e->d_name);
		if (!stable(src, final)) {
			if (id < unstable)
				unstable = id;
			continue;
		}
		copy_by_content(c, src, corpus, "afl-", dst, sizeof(dst));
		if (id + 1 > next)
			next = id + 1;
	}
	closedir(d);
	w->corpus = count;
	w->queue_seen = unstable < next ? unstable : next;
}

/* Crashes and hangs, also from the backups afl-fuzz makes on resume
 * (crashes.<date>/). */
static void collect_crashes(struct campaign *c, struct worker *w, const char *inst_dir,
			    bool final)
{
	const struct unit *u = &c->units[w->unit];
	char dest[CAMPAIGN_PATH];
	struct dirent *e;
	DIR *top = opendir(inst_dir);

	cpath(c, dest, "crashes/%s", c->targets[u->target]);
	while (top != NULL && (e = readdir(top)) != NULL) {
		bool hangs = strncmp(e->d_name, "hangs", 5) == 0;
		char sub[CAMPAIGN_PATH];
		struct dirent *f;
		DIR *d;

		if (!hangs && strncmp(e->d_name, "crashes", 7) != 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", inst_dir, e->d_name);
		d = opendir(sub);
		while (d != NULL && (f = readdir(d)) != NULL) {
			char src[CAMPAIGN_PATH], dst[CAMPAIGN_PATH];

			if (strncmp(f->d_name, QUEUE_ID_PREFIX, strlen(QUEUE_ID_PREFIX)) != 0)
				continue;
			snprintf(src, sizeof(src), "%s/%s", sub, f->d_name);
			if (!stable(src, final))
				continue;
			if (copy_by_content(c, src, dest, hangs ? "afl-hang-" : "afl-crash-",
					    dst, sizeof(dst)))
				findings_add(c, dst, u->target, ENGINE_AFL);
		}
		if (d != NULL)
			closedir(d);
	}
	if (top != NULL)
		closedir(top);
}

void afl_poll(struct campaign *c, struct worker *w, bool final)
{
	const char *t = c->targets[c->units[w->unit].target];
	char inst[96], dir[CAMPAIGN_PATH];

	w->execs = *w->counter;
	afl_instance_name(c, w, inst, sizeof(inst));
	afl_sync_path(c, t, dir);
	if (strlen(dir) + strlen(inst) + 2 > sizeof(dir))
		return;
	strcat(strcat(dir, "/"), inst);
	read_stats(w, dir);
	mirror_queue(c, w, dir, final);
	collect_crashes(c, w, dir, final);
}
