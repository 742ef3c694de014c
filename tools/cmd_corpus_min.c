// SPDX-License-Identifier: MIT
/*
 * corpus-min: merge what a campaign grew back into the repository's seeds,
 * minimised and as text. For each target the engine's own minimiser picks,
 * from the campaign's corpus (both engines': AFL++'s queue is mirrored into
 * it), the inputs that add coverage over the seeds already there —
 * libFuzzer's -set_cover_merge=1 (the seeds first, so only additions come
 * out) or afl-cmin, both on edges alone (hit counts would keep hundreds of
 * inputs that differ only in how often a loop ran). Each addition is written as corpus/seeds/<target>/grown-<hash>.txt
 * in the annotated text form (`smmufuzz show`), after checking that the text
 * reads back to the same ops and that the input replays without a finding
 * (seeds must: the corpus_regression test replays them all). The build
 * assembles them like every seed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign.h"
#include "sandbox.h"

#define SEED_PREFIX	"seed-"		/* existing seeds in the merge dir */
#define GROWN_PREFIX	"grown-"
#define MERGE_EDGES	"-use_counters=0"	/* edges, not hit counts: fewer seeds */
#define REPLAY_TIMEOUT_S 10U

struct cmin {
	unsigned engines;
	const char *into;
	const char *campaign;
	bool dry_run;
	char lf_bin[CAMPAIGN_PATH], afl_bin[CAMPAIGN_PATH], work[CAMPAIGN_PATH];
};

static struct op ops[OPS_MAX_OPS], back[OPS_MAX_OPS];

/* Run @argv to completion (output into @log); its exit status. */
static int run(char *const argv[], char *const env[], const char *log)
{
	pid_t pid = proc_spawn(argv, env, NULL, log);
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Copy every regular file of @from into @to as <prefix><name>. */
static unsigned copy_dir(const char *from, const char *to, const char *prefix,
			 const char *suffix)
{
	DIR *d = opendir(from);
	struct dirent *e;
	unsigned n = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		char src[CAMPAIGN_PATH], dst[CAMPAIGN_PATH + 64], err[256];
		size_t len = strlen(e->d_name), sl = suffix ? strlen(suffix) : 0;
		struct buf b;

		if (e->d_name[0] == '.' || (suffix && (len < sl ||
						       strcmp(e->d_name + len - sl, suffix))))
			continue;
		snprintf(src, sizeof(src), "%s/%s", from, e->d_name);
		snprintf(dst, sizeof(dst), "%s/%s%s", to, prefix, e->d_name);
		if (!read_file(src, &b, err, sizeof(err)))
			continue;
		if (write_file(dst, b.data, b.len, err, sizeof(err)))
			n++;
		free(b.data);
	}
	if (d != NULL)
		closedir(d);
	return n;
}

static void rm_tree(const char *dir)
{
	char *argv[] = { "rm", "-rf", (char *)dir, NULL };

	run(argv, NULL, "/dev/null");
}

/* libFuzzer: merge the campaign corpus into a copy of the seeds; what
 * is not a seed afterwards is an addition. */
static bool merge_libfuzzer(const struct cmin *m, const char *t, const char *seeds,
			    const char *corpus, const char *out, const char *log)
{
	char bin[CAMPAIGN_PATH + 64], ctl[CAMPAIGN_PATH + 64], art[CAMPAIGN_PATH + 64];
	char *argv[9];

	snprintf(bin, sizeof(bin), "%s/%s", m->lf_bin, t);
	snprintf(ctl, sizeof(ctl), "-merge_control_file=%s/merge.ctl", m->work);
	snprintf(art, sizeof(art), "-artifact_prefix=%s/", m->work);
	if (access(bin, X_OK) != 0) {
		complain("corpus-min: %s is not built (build the host-fuzz preset)", bin);
		return false;
	}
	mkdirs(out);
	copy_dir(seeds, out, SEED_PREFIX, ".smfz");
	argv[0] = bin;
	argv[1] = "-set_cover_merge=1";
	argv[2] = MERGE_EDGES;
	argv[3] = "-timeout=10";
	argv[4] = ctl;
	argv[5] = art;
	argv[6] = (char *)out;
	argv[7] = (char *)corpus;
	argv[8] = NULL;
	if (run(argv, NULL, log) != 0) {
		complain("corpus-min: libFuzzer's merge of %s failed; see %s", t, log);
		return false;
	}
	return true;
}

/* AFL++: afl-cmin over the seeds and the campaign corpus together. */
static bool merge_afl(const struct cmin *m, const char *t, const char *seeds,
		      const char *corpus, const char *out, const char *log)
{
	char bin[CAMPAIGN_PATH + 64], in[CAMPAIGN_PATH + 64];
	char *argv[] = { "afl-cmin", "-e", "-i", in, "-o", (char *)out, "--", bin, NULL };
	/* Inputs of world ops only run nothing but the boot, which the
	 * targets' glue leaves out of the coverage for afl-fuzz's sake; afl-cmin
	 * refuses a target whose smallest input shows none (fuzzers/afl_stable.c). */
	char *env[] = { "AFL_SKIP_CPUFREQ=1", "AFL_NO_AFFINITY=1",
			"SMMUFUZZ_AFL_BOOT_COVERAGE=1", "AFL_ALLOW_TMP=1", NULL };

	snprintf(bin, sizeof(bin), "%s/%s", m->afl_bin, t);
	if (access(bin, X_OK) != 0) {
		complain("corpus-min: %s is not built (cmake --preset afl && cmake --build "
			 "--preset afl)", bin);
		return false;
	}
	snprintf(in, sizeof(in), "%s/in-%s", m->work, t);
	mkdirs(in);
	copy_dir(seeds, in, SEED_PREFIX, ".smfz");
	copy_dir(corpus, in, "", NULL);
	/* afl-cmin: no "-" argument with this driver (docs/user-guide.md). */
	if (run(argv, env, log) != 0) {
		complain("corpus-min: afl-cmin of %s failed; see %s", t, log);
		return false;
	}
	return true;
}

/* The text form of one raw input, checked; NULL (with @why) if unfit. */
static char *as_text(const char *path, const char *t, const char *campaign,
		     char *name, size_t name_cap, char *why, size_t why_cap)
{
	struct ops_header hdr, hdr2;
	struct sandbox_result sr;
	struct ops_diag diag;
	char err[256], *text, *body;
	size_t tl, need, i;
	uint64_t h = 0xcbf29ce484222325ULL;
	uint8_t *bin;
	struct buf b;
	int n, n2;

	if (!read_file(path, &b, err, sizeof(err))) {
		snprintf(why, why_cap, "%s", err);
		return NULL;
	}
	n = decode_file(&b, true, &hdr, ops, OPS_MAX_OPS, err, sizeof(err));
	free(b.data);
	if (n <= 0) {
		snprintf(why, why_cap, "no ops");
		return NULL;
	}
	sandbox_run(hdr.profile, ops, (size_t)n, harness_target_opts(t), false,
		    REPLAY_TIMEOUT_S, &sr);
	if (sr.verdict == VERDICT_FINDING) {
		snprintf(why, why_cap, "%s (a finding, not a seed)", sr.verdict_line);
		return NULL;
	}
	hdr.present = true;
	tl = ops_format_text(&hdr, ops, (size_t)n, true, NULL, 0);
	text = malloc(tl + 512);
	if (text == NULL)
		die("out of memory");
	snprintf(text, 512, "# Grown by campaign %s, merged by smmufuzz corpus-min: adds "
		 "coverage over the seeds.\n# Replays %s.\n", campaign, sr.verdict_line);
	body = text + strlen(text);
	ops_format_text(&hdr, ops, (size_t)n, true, body, tl + 1);
	/* The text must read back to the very same ops. */
	memset(&diag, 0, sizeof(diag));
	n2 = ops_parse_text(text, &hdr2, back, OPS_MAX_OPS, &diag);
	need = ops_encode(&hdr, ops, (size_t)n, NULL, 0);
	bin = calloc(2, need);
	if (bin == NULL)
		die("out of memory");
	ops_encode(&hdr, ops, (size_t)n, bin, need);
	if (n2 == n && ops_encode(&hdr2, back, (size_t)n2, NULL, 0) == need)
		ops_encode(&hdr2, back, (size_t)n2, bin + need, need);
	if (n2 != n || memcmp(bin, bin + need, need) != 0) {
		snprintf(why, why_cap, "its text form does not read back the same%s%s",
			 diag.msg[0] ? ": " : "", diag.msg);
		free(bin);
		free(text);
		return NULL;
	}
	for (i = 0; i < need; i++)
		h = (h ^ bin[i]) * 0x100000001b3ULL;
	free(bin);
	snprintf(name, name_cap, GROWN_PREFIX "%016llx.txt", (unsigned long long)h);
	return text;
}

static void min_target(const struct cmin *m, const char *t, unsigned *added_total)
{
	char corpus[CAMPAIGN_PATH + 64], seeds[CAMPAIGN_PATH + 64], out[CAMPAIGN_PATH + 64];
	char log[CAMPAIGN_PATH + 64], dest[CAMPAIGN_PATH + 64];
	unsigned inputs, added = 0, skipped = 0, known = 0;
	bool ok;
	struct dirent *e;
	DIR *d;

	snprintf(corpus, sizeof(corpus), "%s/corpus/%s", m->campaign, t);
	snprintf(seeds, sizeof(seeds), "%s/corpus/seeds/%s", build_dir(), t);
	snprintf(out, sizeof(out), "%s/out-%s", m->work, t);
	snprintf(log, sizeof(log), "%s/%s.log", m->work, t);
	snprintf(dest, sizeof(dest), "%s/%s", m->into, t);
	d = opendir(corpus);
	for (inputs = 0; d != NULL && (e = readdir(d)) != NULL;)
		inputs += e->d_name[0] != '.';
	if (d != NULL)
		closedir(d);
	if (inputs == 0) {
		printf("%s: no corpus in %s\n", t, corpus);
		return;
	}
	ok = m->engines == ENGINE_BIT(ENGINE_AFL)
		     ? merge_afl(m, t, seeds, corpus, out, log)
		     : merge_libfuzzer(m, t, seeds, corpus, out, log);
	if (!ok)
		exit(EXIT_BADINPUT);
	if (!m->dry_run)
		mkdirs(dest);
	d = opendir(out);
	while (d != NULL && (e = readdir(d)) != NULL) {
		char path[CAMPAIGN_PATH + 300], name[64], why[300], file[CAMPAIGN_PATH + 128];
		char err[256], *text;

		if (e->d_name[0] == '.' ||
		    strncmp(e->d_name, SEED_PREFIX, strlen(SEED_PREFIX)) == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", out, e->d_name);
		text = as_text(path, t, m->campaign, name, sizeof(name), why, sizeof(why));
		if (text == NULL) {
			printf("%s: skipped %s: %s\n", t, e->d_name, why);
			skipped++;
			continue;
		}
		snprintf(file, sizeof(file), "%s/%s", dest, name);
		if (access(file, F_OK) == 0) {
			known++;
		} else if (m->dry_run) {
			printf("%s: would add %s\n", t, file);
			added++;
		} else if (write_file(file, text, strlen(text), err, sizeof(err))) {
			added++;
		} else {
			complain("corpus-min: %s", err);
		}
		free(text);
	}
	if (d != NULL)
		closedir(d);
	printf("%s: %u campaign input(s) -> %u new seed(s)%s in %s (%u already there, "
	       "%u skipped)\n", t, inputs, added, m->dry_run ? " (dry run)" : "", dest,
	       known, skipped);
	*added_total += added;
}

int cmd_corpus_min(int argc, char **argv)
{
	static struct cmin m;
	const char *names[CAMPAIGN_MAX_TARGETS];
	char into[CAMPAIGN_PATH], campaign[CAMPAIGN_PATH], conf[CAMPAIGN_PATH + 32];
	unsigned nn = 0, i, added = 0;
	int a;

	m.engines = ENGINE_BIT(ENGINE_LIBFUZZER);
	snprintf(into, sizeof(into), "%s/corpus/seeds", source_dir());
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--engine") == 0 && a + 1 < argc) {
			if (!engine_parse(argv[++a], &m.engines) ||
			    m.engines == (ENGINE_BIT(ENGINE_AFL) | ENGINE_BIT(ENGINE_LIBFUZZER)))
				die("corpus-min: --engine '%s': libfuzzer or afl", argv[a]);
		} else if (strcmp(argv[a], "--into") == 0 && a + 1 < argc) {
			snprintf(into, sizeof(into), "%s", argv[++a]);
		} else if (strcmp(argv[a], "--dry-run") == 0) {
			m.dry_run = true;
		} else if (argv[a][0] == '-') {
			die("corpus-min: unknown option '%s' (see smmufuzz --help)", argv[a]);
		} else if (m.campaign == NULL) {
			if (realpath(argv[a], campaign) == NULL)
				die("corpus-min: %s: %s", argv[a], strerror(errno));
			m.campaign = campaign;
		} else {
			if (harness_target_opts(argv[a]) == NULL || strncmp(argv[a], "fuzz_", 5))
				die("corpus-min: unknown target '%s'", argv[a]);
			if (nn < CAMPAIGN_MAX_TARGETS)
				names[nn++] = argv[a];
		}
	}
	if (m.campaign == NULL)
		die("corpus-min: missing CAMPAIGN (a campaign directory, e.g. reports/<time>)");
	snprintf(conf, sizeof(conf), "%s/campaign.conf", m.campaign);
	if (access(conf, R_OK) != 0 || !is_dir(m.campaign))
		die("corpus-min: %s is not a campaign directory (no campaign.conf)", m.campaign);
	m.into = into;
	snprintf(m.lf_bin, sizeof(m.lf_bin), "%s/fuzzers", build_dir());
	snprintf(m.afl_bin, sizeof(m.afl_bin), "%s/../afl/fuzzers", build_dir());
	snprintf(m.work, sizeof(m.work), "%s/tmp/corpus-min.%ld", m.campaign, (long)getpid());
	mkdirs(m.work);
	if (nn == 0)
		for (i = 0; harness_target_name(i) != NULL; i++) {
			char dir[CAMPAIGN_PATH + 64];

			snprintf(dir, sizeof(dir), "%s/corpus/%s", m.campaign, harness_target_name(i));
			if (strncmp(harness_target_name(i), "fuzz_", 5) == 0 && is_dir(dir))
				names[nn++] = harness_target_name(i);
		}
	if (nn == 0)
		die("corpus-min: %s has no corpus/<target>/ directories", m.campaign);
	for (i = 0; i < nn; i++)
		min_target(&m, names[i], &added);
	rm_tree(m.work);
	if (added > 0 && !m.dry_run)
		printf("corpus-min: %u new seed(s); rebuild to assemble them, review with "
		       "git diff, commit\n", added);
	return 0;
}
