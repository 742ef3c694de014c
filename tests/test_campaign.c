// SPDX-License-Identifier: MIT
/*
 * The campaign's bookkeeping: durations, .options files, campaign.conf
 * across a resume, content-addressed atomic copies, and the signatures an
 * earlier session recorded (crashes.tsv, including a line cut by a kill).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "campaign.h"
#include "check.h"

static struct campaign camp;
static char made[16][64];
static unsigned nmade;

static void make_tmpdir(char *buf, size_t cap)
{
	snprintf(buf, cap, "/tmp/smmufuzz-test-campaign-XXXXXX");
	if (mkdtemp(buf) == NULL || nmade == sizeof(made) / sizeof(made[0])) {
		perror("mkdtemp");
		exit(2);
	}
	snprintf(made[nmade++], sizeof(made[0]), "%s", buf);
}

static void remove_tmpdirs(void)
{
	char cmd[128];
	unsigned i;

	for (i = 0; i < nmade; i++) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", made[i]);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", made[i]);
	}
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static void durations_accept_seconds_minutes_hours(void)
{
	static const struct {
		const char *text;
		double seconds;
	} good[] = {
		{ "600", 600 }, { "600s", 600 }, { "10m", 600 }, { "1h", 3600 },
		{ "1h30m", 5400 }, { "1.5m", 90 }, { "0", 0 }, { "2d", 172800 },
	};
	static const char *const bad[] = {
		"", "10x", "-5", "1h30", "m", "0x10", "1e3", "1.m", " 10", "10 ", "999d",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		double s = -1;

		EXPECT(parse_duration(good[i].text, &s));
		if (s != good[i].seconds)
			CHECK_FAIL("'%s' gave %.1f s, not %.1f", good[i].text, s, good[i].seconds);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		double s = -1;

		if (parse_duration(bad[i], &s))
			CHECK_FAIL("'%s' accepted as %.1f s", bad[i], s);
	}
}

static void durations_print_as_clock_time(void)
{
	char buf[32];

	format_duration(754, buf, sizeof(buf));
	EXPECT_STR(buf, "12:34");
	format_duration(4000, buf, sizeof(buf));
	EXPECT_STR(buf, "1:06:40");
	format_duration(0, buf, sizeof(buf));
	EXPECT_STR(buf, "0:00");
}

static void engines_parse_by_name(void)
{
	unsigned m = 0;

	EXPECT(engine_parse("both", &m));
	EXPECT_EQ(m, ENGINE_BIT(ENGINE_LIBFUZZER) | ENGINE_BIT(ENGINE_AFL));
	EXPECT(engine_parse("afl", &m));
	EXPECT_EQ(m, ENGINE_BIT(ENGINE_AFL));
	EXPECT(engine_parse("libfuzzer", &m));
	EXPECT_EQ(m, ENGINE_BIT(ENGINE_LIBFUZZER));
	EXPECT(!engine_parse("honggfuzz", &m));
}

static void options_read_the_libfuzzer_section_and_find_the_dictionary(void)
{
	char dir[64], path[128], want[160];
	struct target_options o;

	make_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/fuzz_x.options", dir);
	put(path, "# comment\n[libfuzzer]\nmax_len = 1024\ndict = x.dict\n"
		  "timeout = 7\n[afl]\nmax_len = 5\n");
	target_options_load(dir, "fuzz_x", &o);
	EXPECT_STR(target_option(&o, "max_len"), "1024");
	EXPECT_STR(target_option(&o, "timeout"), "7");
	snprintf(want, sizeof(want), "%s/x.dict", dir);
	EXPECT_STR(target_option(&o, "dict"), want);
	EXPECT(target_option(&o, "nothing") == NULL);

	/* No dict option: <target>.dict beside the target, when there. */
	snprintf(path, sizeof(path), "%s/fuzz_y.dict", dir);
	put(path, "\"SMFZ\"\n");
	target_options_load(dir, "fuzz_y", &o);
	EXPECT_STR(target_option(&o, "dict"), path);
	target_options_load(dir, "fuzz_z", &o);
	EXPECT_EQ(o.n, 0);
}

static void campaign_conf_survives_a_resume(void)
{
	static struct campaign back;
	char dir[64], err[256];

	make_tmpdir(dir, sizeof(dir));
	memset(&camp, 0, sizeof(camp));
	snprintf(camp.dir, sizeof(camp.dir), "%s", dir);
	snprintf(camp.name, sizeof(camp.name), "test");
	mkdirs(cpath(&camp, (char[CAMPAIGN_PATH]){ 0 }, "tmp"));
	camp.targets[0] = harness_target_name(0);
	camp.targets[1] = harness_target_name(2);
	camp.nt = 2;
	camp.engines = ENGINE_BIT(ENGINE_LIBFUZZER) | ENGINE_BIT(ENGINE_AFL);
	camp.jobs = 3;
	camp.budget_s = 600;
	camp.elapsed_before = 100;
	camp.t0 = now_s();
	camp.session = 1;
	camp.nunits = 1;
	camp.units[0].target = 1;
	camp.units[0].engine = ENGINE_AFL;
	camp.units[0].now.execs = 123456789012ULL;
	camp.units[0].now.run_s = 42.5;
	camp.units[0].now.cov = 812;
	camp.units[0].now.corpus = 640;
	camp.units[0].now.stability = 100;
	camp.units[0].now.cpu_s = 33.3;
	campaign_save(&camp);
	EXPECT_EQ(count_entries(cpath(&camp, (char[CAMPAIGN_PATH]){ 0 }, "tmp")), 0);

	memset(&back, 0, sizeof(back));
	EXPECT(campaign_load(&back, dir, err, sizeof(err)));
	EXPECT_STR(back.name, "test");
	EXPECT_EQ(back.nt, 2);
	EXPECT_STR(back.targets[1], harness_target_name(2));
	EXPECT_EQ(back.engines, camp.engines);
	EXPECT_EQ(back.jobs, 3);
	EXPECT(back.budget_s == 600);
	EXPECT(back.elapsed_before >= 100 && back.elapsed_before < 110);
	EXPECT_EQ(back.session, 2);
	EXPECT_EQ(back.nsaved, 1);
	EXPECT_STR(back.saved[0].target, harness_target_name(2));
	EXPECT_EQ(back.saved[0].engine, ENGINE_AFL);
	EXPECT_EQ(back.saved[0].st.execs, 123456789012ULL);
	EXPECT_EQ(back.saved[0].st.cov, 812);
	EXPECT_EQ(back.saved[0].st.corpus, 640);
	EXPECT(back.saved[0].st.cpu_s > 33.2 && back.saved[0].st.cpu_s < 33.4);
}

static void campaign_load_refuses_what_is_not_a_campaign(void)
{
	static struct campaign c;
	char dir[64], path[128], err[256];

	make_tmpdir(dir, sizeof(dir));
	memset(&c, 0, sizeof(c));
	EXPECT(!campaign_load(&c, dir, err, sizeof(err)));
	EXPECT(strstr(err, "not a campaign directory") != NULL);

	snprintf(path, sizeof(path), "%s/campaign.conf", dir);
	put(path, "format = 99\nname = x\ntargets = fuzz_mmio\nengines = afl\n");
	memset(&c, 0, sizeof(c));
	EXPECT(!campaign_load(&c, dir, err, sizeof(err)));
	EXPECT(strstr(err, "format 99") != NULL);

	put(path, "format = 1\nname = x\ntargets = fuzz_nonsense\nengines = afl\n");
	memset(&c, 0, sizeof(c));
	EXPECT(!campaign_load(&c, dir, err, sizeof(err)));
	EXPECT(strstr(err, "unknown target 'fuzz_nonsense'") != NULL);

	put(path, "format = 1\nname = x\ngarbage\n");
	memset(&c, 0, sizeof(c));
	EXPECT(!campaign_load(&c, dir, err, sizeof(err)));
	EXPECT(strstr(err, "corrupt line") != NULL);
}

static void copies_are_named_by_content_and_made_once(void)
{
	char dir[64], src[128], dst[CAMPAIGN_PATH], dst2[CAMPAIGN_PATH], out[128];

	make_tmpdir(dir, sizeof(dir));
	memset(&camp, 0, sizeof(camp));
	snprintf(camp.dir, sizeof(camp.dir), "%s", dir);
	mkdirs(cpath(&camp, dst, "tmp"));
	mkdirs(cpath(&camp, out, "out"));
	snprintf(src, sizeof(src), "%s/a", dir);
	put(src, "the same bytes");
	EXPECT(copy_by_content(&camp, src, out, "afl-", dst, sizeof(dst)));
	EXPECT(strstr(dst, "/out/afl-") != NULL);
	EXPECT(!copy_by_content(&camp, src, out, "afl-", dst2, sizeof(dst2)));
	EXPECT_STR(dst, dst2);
	put(src, "other bytes");
	EXPECT(copy_by_content(&camp, src, out, "afl-", dst2, sizeof(dst2)));
	EXPECT(strcmp(dst, dst2) != 0);
	EXPECT_EQ(count_entries(out), 2);
	/* Nothing half-written is left behind. */
	EXPECT_EQ(count_entries(cpath(&camp, dst, "tmp")), 0);
	EXPECT(!copy_named(&camp, src, dst2));
}

static void findings_come_back_from_crashes_tsv(void)
{
	char dir[64], p[CAMPAIGN_PATH];

	make_tmpdir(dir, sizeof(dir));
	memset(&camp, 0, sizeof(camp));
	snprintf(camp.dir, sizeof(camp.dir), "%s", dir);
	camp.targets[0] = "fuzz_mmio";
	camp.nt = 1;
	camp.t0 = now_s();
	mkdirs(cpath(&camp, p, "tmp"));
	mkdirs(cpath(&camp, p, "crashes/fuzz_mmio"));
	put(cpath(&camp, p, "crashes/fuzz_mmio/crash-a"), "aaaa");
	put(cpath(&camp, p, "crashes/fuzz_mmio/crash-b"), "bb");
	put(cpath(&camp, p, "crashes/fuzz_mmio/afl-crash-c"), "c");
	put(cpath(&camp, p, "crashes/fuzz_mmio/afl-hang-d"), "d");
	/* Two files of one signature, one of another, and a line a kill cut. */
	put(cpath(&camp, p, "crashes.tsv"),
	    "# t_s\ttarget\tengine\tsignature\tfile\n"
	    "5.0\tfuzz_mmio\tlibfuzzer\tisolation:gbpa\tcrashes/fuzz_mmio/crash-a\n"
	    "7.5\tfuzz_mmio\tafl\tisolation:gbpa\tcrashes/fuzz_mmio/crash-b\n"
	    "9.0\tfuzz_mmio\tafl\tunreproduced:afl-crash\tcrashes/fuzz_mmio/afl-crash-c\n"
	    "11.0\tfuzz_mmio\tafl\thang:trap-budget\tcrashes/fuzz_mm");
	findings_init(&camp);
	EXPECT_EQ(camp.nfindings, 2);
	EXPECT_STR(camp.findings[0].sig, "isolation:gbpa");
	EXPECT_EQ(camp.findings[0].files, 2);
	EXPECT(camp.findings[0].first_s == 5.0);
	EXPECT_EQ(camp.findings[0].first_engine, ENGINE_LIBFUZZER);
	/* The smaller of its two files represents it. */
	EXPECT(strstr(camp.findings[0].example, "crash-b") != NULL);
	/* Unreproduced files are kept apart from findings. */
	EXPECT_EQ(findings_count(&camp, NULL, ~0U, NULL), 1);
	EXPECT_EQ(findings_count(&camp, "fuzz_mmio", ENGINE_BIT(ENGINE_AFL), "isolation"), 1);
	EXPECT_EQ(findings_count(&camp, "fuzz_ste", ~0U, NULL), 0);
	/* The file whose line was cut is replayed again, as AFL++'s. */
	EXPECT_EQ(camp.ncrashes, 4);
	EXPECT(!camp.crashes[3].done);
	EXPECT(strstr(camp.crashes[3].file, "afl-hang-d") != NULL);
	EXPECT_EQ(camp.crashes[3].engine, ENGINE_AFL);
	EXPECT(access(cpath(&camp, p, "findings.tsv"), R_OK) == 0);
	findings_free(&camp);
}

static void minimised_repros_never_share_a_name(void)
{
	struct finding a, b;
	char pa[CAMPAIGN_PATH], pb[CAMPAIGN_PATH];
	char cls[64];

	memset(&camp, 0, sizeof(camp));
	snprintf(camp.dir, sizeof(camp.dir), "/x");
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	snprintf(a.sig, sizeof(a.sig), "asan:heap-buffer-overflow@ste_shadow");
	snprintf(b.sig, sizeof(b.sig), "asan:heap_buffer-overflow@ste_shadow");
	finding_min_path(&camp, &a, "smfz", pa);
	finding_min_path(&camp, &b, "smfz", pb);
	EXPECT(strcmp(pa, pb) != 0);
	EXPECT(strncmp(pa, "/x/findings/asan_heap-buffer-overflow_ste_shadow-", 49) == 0);
	finding_class(a.sig, cls, sizeof(cls));
	EXPECT_STR(cls, "asan");
}

/* Every process's cached worlds together fit in half the free memory. */
static void world_cache_fits_the_machine(void)
{
	unsigned one = world_cache_for(1), twelve = world_cache_for(12);
	unsigned many = world_cache_for(100000);

	EXPECT(one >= 16 && one <= 256);
	EXPECT(twelve >= 16 && twelve <= one);
	EXPECT_EQ(many, 16U);		/* never fewer than the floor */
	EXPECT_EQ(world_cache_for(0), 256U);
}

int main(void)
{
	RUN(durations_accept_seconds_minutes_hours);
	RUN(durations_print_as_clock_time);
	RUN(engines_parse_by_name);
	RUN(options_read_the_libfuzzer_section_and_find_the_dictionary);
	RUN(campaign_conf_survives_a_resume);
	RUN(campaign_load_refuses_what_is_not_a_campaign);
	RUN(copies_are_named_by_content_and_made_once);
	RUN(findings_come_back_from_crashes_tsv);
	RUN(minimised_repros_never_share_a_name);
	RUN(world_cache_fits_the_machine);
	remove_tmpdirs();
	CHECK_DONE();
}
