// SPDX-License-Identifier: MIT
/*
 * The campaign report's readers and rules (tools/report_*.c) on fixed
 * inputs: llvm-cov's per-file report, the classification of uncovered lines
 * and branch arms from llvm-cov's annotated text, the replay's verdicts
 * counted by site, series.tsv (and its refusals), and the SVG charts.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "report.h"

static const char cov_report[] =
	"Filename   Regions    Missed Regions     Cover   Functions  Missed Functions  "
	"Executed       Lines      Missed Lines     Cover    Branches   Missed Branches     Cover\n"
	"-----------------------------------------------------------------------------\n"
	"pool.c    85    7    91.76%    6    0   100.00%    65    3    95.38%    46    15    67.39%\n"
	"cmd.c    101    0   100.00%    2    0   100.00%    66    0   100.00%    66     0   100.00%\n"
	"\nFiles which contain no functions:\n"
	"check.h    0    0    -    0    0    -    0    0    -    0    0    -\n"
	"-----------------------------------------------------------------------------\n"
	"TOTAL    186    7    96.24%    8    0   100.00%   131    3    97.71%   112    15    86.61%\n";

/* What `llvm-cov show -show-branches=count -show-line-counts
 * -show-expansions` prints, cut down: a BUG_ON whose true arm never ran,
 * a BUG_ON(1) default, a pool-exhaustion refusal, an unreached rejection,
 * ctrl_write's case for a read-only register, and a `default:` and a
 * `return` around an unreached BUG_ON(1). */
static const char cov_lines[] =
	"/src/core/src/pool.c:\n"
	"    1|       |// SPDX-License-Identifier: MIT\n"
	"   10|     39|int pool_alloc(struct smmu_pool *pool, unsigned order, pa_t *out)\n"
	"   11|     39|{\n"
	"   12|     39|\tBUG_ON(pool->page_count == 0);\n"
	"  ------------------\n"
	"  |  |   23|     39|\tdo {                                   \\\n"
	"  |  |   24|     39|\t\tif (__builtin_expect(!!(cond), 0))    \\\n"
	"  |  |  ------------------\n"
	"  |  |  |  Branch (24:7): [True: 0, False: 39]\n"
	"  |  |  ------------------\n"
	"  |  |   28|     39|\t} while (0)\n"
	"  |  |  ------------------\n"
	"  |  |  |  Branch (28:11): [Folded - Ignored]\n"
	"  |  |  ------------------\n"
	"  ------------------\n"
	"   13|     39|\tif (order > 9)\n"
	"  ------------------\n"
	"  |  Branch (13:6): [True: 0, False: 39]\n"
	"  ------------------\n"
	"   14|      0|\t\tREJECT_FATAL(\"iopt.pool_exhausted\");\n"
	"   15|     39|\treturn 0;\n"
	"   16|     39|}\n"
	"   18|     39|static int pool_check(uint64_t base, uint64_t size)\n"
	"   19|     39|{\n"
	"   20|     39|\tif ((base | size) & (SMMU_PAGE_SIZE - 1U) || size < SMMU_MMIO_SIZE)\n"
	"  ------------------\n"
	"  |  |   11|     39|#define SMMU_PAGE_SIZE\t(1ULL << SMMU_PAGE_SHIFT)\n"
	"  ------------------\n"
	"              \tif ((base | size) & (SMMU_PAGE_SIZE - 1U) || size < SMMU_MMIO_SIZE)\n"
	"  ------------------\n"
	"  |  Branch (20:6): [True: 3, False: 36]\n"
	"  |  Branch (20:47): [True: 0, False: 36]\n"
	"  ------------------\n"
	"   21|      3|\t\treturn SMMU_EINVAL;\n"
	"/src/core/src/ctrl.c:\n"
	"   40|      5|static __attribute__((noinline)) void ctrl_write(struct smmu_dev *dev)\n"
	"   41|      5|{\n"
	"   42|      0|\tBUG_ON(1);\n"
	"   43|  1.27k|\tif (dev->x)\n"
	"  ------------------\n"
	"  |  Branch (43:6): [True: 1.27k, False: 0]\n"
	"  ------------------\n"
	"   44|      0|\t\tREJECT(\"cr0.reserved_bits\");\n"
	"   45|      0|\tcase REG_GERROR:\n"
	"   46|      0|\t\tbreak;\n"
	"   47|  1.27k|}\n"
	"   50|      5|static void *queue_pin(int which)\n"
	"   51|      0|\tdefault:\n"
	"   52|      0|\t\tBUG_ON(1);\n"
	"   53|      0|\t\treturn NULL;\n"
	/* Rules for one condition's one arm, and a body that follows the
	 * line explaining it. */
	"/src/core/src/queues.c:\n"
	"   58|      9|static struct smmu_pin *queue_pin(struct smmu_dev *dev, uint32_t bit)\n"
	"   61|      0|\tcase CR0_PRIQEN:\n"
	"  ------------------\n"
	"  |  Branch (61:2): [True: 0, False: 9]\n"
	"  ------------------\n"
	"   62|      0|\t\treturn &dev->pin_priq;\n"
	"  110|      9|bool queue_enable(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t bit)\n"
	"  115|      9|\thost_base = bit == CR0_EVTQEN ? dev->host.evtq_base : dev->host.priq_base;\n"
	"  ------------------\n"
	"  |  Branch (115:14): [True: 0, False: 9]\n"
	"  ------------------\n"
	"  137|      9|bool queue_disable(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t bit)\n"
	"  139|      9|\telse if (pin->active)\n"
	"  ------------------\n"
	"  |  Branch (139:11): [True: 9, False: 0]\n"
	"  ------------------\n"
	/* A body after a comment line, and the arms of a line explained so. */
	"/src/core/src/mmio.c:\n"
	"  150|      9|enum smmu_dabt_result smmu_dabt(struct smmu_hyp *hyp, pa_t pa, unsigned size,\n"
	"  165|      9|\tif (off >= SMMU_MMIO_SIZE) {\n"
	"  ------------------\n"
	"  |  Branch (165:6): [True: 0, False: 9]\n"
	"  ------------------\n"
	"  166|       |\t\t/* Beyond the two architected pages of a larger window. */\n"
	"  167|      0|\t\tif (!write)\n"
	"  ------------------\n"
	"  |  Branch (167:7): [True: 0, False: 0]\n"
	"  ------------------\n"
	"  168|      0|\t\t\t*val = 0;\n"
	/* An inline function of a header, listed once per file using it:
	 * one arm only the second instantiation took is covered. */
	"/src/core/src/priv.h:\n"
	"  192|       |static inline bool range_overlap(uint64_t a, uint64_t alen, uint64_t b,\n"
	"  194|    300|{\n"
	"  195|    300|\treturn a < b + blen && b < a + alen;\n"
	"  ------------------\n"
	"  |  Branch (195:9): [True: 200, False: 50]\n"
	"  |  Branch (195:25): [True: 0, False: 200]\n"
	"  |  Branch (195:9): [True: 37, False: 13]\n"
	"  |  Branch (195:25): [True: 5, False: 32]\n"
	"  ------------------\n"
	"  196|    300|}\n"
	"  ------------------\n"
	"  | Unexecuted instantiation: driver.c:range_overlap\n"
	"  ------------------\n"
	"  | strtab.c:range_overlap:\n"
	"  |  194|    250|{\n"
	"  |  195|    250|\treturn a < b + blen && b < a + alen;\n"
	"  |  ------------------\n"
	"  |  |  Branch (195:9): [True: 200, False: 50]\n"
	"  |  |  Branch (195:25): [True: 0, False: 200]\n"
	"  |  ------------------\n"
	"  |  196|    250|}\n"
	"  ------------------\n";

static void llvm_cov_report_gives_lines_and_branches_per_file(void)
{
	struct coverage cov;

	memset(&cov, 0, sizeof(cov));
	EXPECT(cov_parse_report(cov_report, &cov));
	/* By name; check.h, which holds no function, has no figures. */
	EXPECT_EQ(cov.nfiles, 2);
	EXPECT_STR(cov.files[0].name, "cmd.c");
	EXPECT_STR(cov.files[1].name, "pool.c");
	EXPECT_EQ(cov.files[1].lines, 65);
	EXPECT_EQ(cov.files[1].lines_missed, 3);
	EXPECT_EQ(cov.files[1].branches, 46);
	EXPECT_EQ(cov.files[1].branches_missed, 15);
	EXPECT_EQ(cov.total.lines, 131);
	EXPECT_EQ(cov.total.branches_missed, 15);
	EXPECT(!cov_parse_report("not a report\n", &cov));
}

static const struct uncov_item *find(const struct coverage *cov, const char *file,
				     unsigned line, bool branch, const char *arm)
{
	size_t i;

	for (i = 0; i < cov->nuncov; i++)
		if (strcmp(cov->uncov[i].file, file) == 0 && cov->uncov[i].line == line &&
		    cov->uncov[i].branch == branch &&
		    (!branch || strcmp(cov->uncov[i].arm, arm) == 0))
			return &cov->uncov[i];
	return NULL;
}

static void every_uncovered_line_and_arm_gets_a_reason(void)
{
	struct coverage cov;
	const struct uncov_item *it;

	memset(&cov, 0, sizeof(cov));
	uncov_classify(&cov, cov_lines);
	/* pool.c: BUG_ON's true arm, the if's true arm, line 14, the
	 * second condition's true arm on line 20;
	 * ctrl.c: line 42, the if's false arm, lines 44, 45, 46 and
	 * queue_pin's 51, 52, 53. */
	EXPECT_EQ(cov.nuncov, 22);
	/* mmio.c: the arm a rule explains, then the lines of its body past a
	 * comment, and both arms of the body's own if. */
	it = find(&cov, "mmio.c", 167, false, "");
	EXPECT(it != NULL && it->kind == UNCOV_HOST_CANNOT && it->prev == 165);
	it = find(&cov, "mmio.c", 167, true, "false");
	EXPECT(it != NULL && it->kind == UNCOV_HOST_CANNOT);
	it = find(&cov, "mmio.c", 168, false, "");
	EXPECT(it != NULL && it->kind == UNCOV_HOST_CANNOT);
	/* queues.c: PRI is hidden, so its case, that case's arm and its body
	 * (which no rule names) are unreachable; a rule for one arm leaves
	 * the other to the corpus. */
	it = find(&cov, "queues.c", 61, true, "true");
	EXPECT(it != NULL && it->kind == UNCOV_UNREACHABLE && strstr(it->why, "PRI") != NULL);
	it = find(&cov, "queues.c", 62, false, "");
	EXPECT(it != NULL && it->kind == UNCOV_UNREACHABLE && strstr(it->why, "PRI") != NULL);
	it = find(&cov, "queues.c", 115, true, "true");
	EXPECT(it != NULL && it->kind == UNCOV_NOT_REACHED && strcmp(it->cond, "bit == CR0_EVTQEN") == 0);
	it = find(&cov, "queues.c", 139, true, "false");
	EXPECT(it != NULL && it->kind == UNCOV_UNREACHABLE && strstr(it->why, "pinned") != NULL);
	/* The source printed again after a macro's expansion is no line of
	 * its own; a branch names its column and condition. */
	EXPECT(find(&cov, "pool.c", 0, true, "true") == NULL);
	EXPECT(find(&cov, "priv.h", 195, true, "true") == NULL);
	EXPECT(find(&cov, "priv.h", 196, true, "true") == NULL);
	it = find(&cov, "pool.c", 20, true, "true");
	EXPECT(it != NULL && it->col == 47 && strcmp(it->cond, "size < SMMU_MMIO_SIZE") == 0 &&
	       strcmp(it->func, "pool_check") == 0);
	it = find(&cov, "pool.c", 13, true, "true");
	EXPECT(it != NULL && it->col == 6 && strcmp(it->cond, "order > 9") == 0);
	/* ctrl_write's case for a read-only register (and its break). */
	it = find(&cov, "ctrl.c", 45, false, "");
	EXPECT(it != NULL && it->kind == UNCOV_UNREACHABLE && strstr(it->why, "read-only") != NULL);
	it = find(&cov, "ctrl.c", 46, false, "");
	EXPECT(it != NULL && it->kind == UNCOV_UNREACHABLE && strstr(it->why, "read-only") != NULL);
	it = find(&cov, "ctrl.c", 51, false, "");
	EXPECT(it != NULL && it->kind == UNCOV_UNREACHABLE && strcmp(it->func, "queue_pin") == 0);
	it = find(&cov, "ctrl.c", 53, false, "");
	EXPECT(it != NULL && it->kind == UNCOV_UNREACHABLE);
	EXPECT_EQ(cov.by_kind_lines[UNCOV_UNREACHABLE], 8);
	it = find(&cov, "pool.c", 12, true, "true");
	EXPECT(it != NULL && it->kind == UNCOV_BUG_ON);
	EXPECT(it != NULL && strcmp(it->func, "pool_alloc") == 0);
	it = find(&cov, "pool.c", 14, false, "");
	EXPECT(it != NULL && it->kind == UNCOV_NOT_REACHED &&
	       strstr(it->why, "rejection site") != NULL);
	it = find(&cov, "pool.c", 13, true, "true");
	EXPECT(it != NULL && it->kind == UNCOV_NOT_REACHED);
	it = find(&cov, "ctrl.c", 42, false, "");
	EXPECT(it != NULL && it->kind == UNCOV_UNREACHABLE);
	EXPECT(it != NULL && strcmp(it->func, "ctrl_write") == 0);
	it = find(&cov, "ctrl.c", 44, false, "");
	EXPECT(it != NULL && it->kind == UNCOV_NOT_REACHED &&
	       strstr(it->why, "rejection site") != NULL);
	it = find(&cov, "ctrl.c", 43, true, "false");
	EXPECT(it != NULL && it->kind == UNCOV_NOT_REACHED);
	EXPECT_EQ(cov.by_kind_branches[UNCOV_BUG_ON], 1);
	EXPECT_EQ(cov.by_kind_lines[UNCOV_NOT_REACHED], 2);
	free(cov.uncov);
}

static void verdicts_are_counted_by_rejection_site(void)
{
	struct coverage cov;

	memset(&cov, 0, sizeof(cov));
	cov_tally_verdicts(&cov, "a/id:1,op:x: rejected:cmdq.hw_timeout trace=1\n"
			   "b: ok trace=2\nc: rejected:cmdq.hw_timeout trace=3\n"
			   "d: rejected:mmio.unaligned trace=4\ne: finding:oracle:x trace=5\n", 1);
	EXPECT_EQ(cov.verdict_ok, 1);
	EXPECT_EQ(cov.verdict_rejected, 3);
	EXPECT_EQ(cov.verdict_finding, 1);
	EXPECT_EQ(cov.nsites, 2);
	EXPECT_STR(cov.sites[0].site, "cmdq.hw_timeout");
	EXPECT_EQ(cov.sites[0].inputs, 2);
	EXPECT_EQ(cov.sites[0].targets, 2);
}

static struct campaign camp;

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	EXPECT(f != NULL);
	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static void series_rows_load_and_corrupt_ones_are_refused(void)
{
	char dir[] = "/tmp/smmufuzz-report-parse.XXXXXX", path[256], err[256] = "";
	struct report r;

	EXPECT(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/series.tsv", dir);
	memset(&r, 0, sizeof(r));
	memset(&camp, 0, sizeof(camp));
	camp.targets[0] = "fuzz_mmio";
	camp.nt = 1;
	r.c = &camp;
	write_text(path, "# t_s\tsession\n"
		   "5.0\t1\tfuzz_mmio\tafl\trunning\t100\t20\t20\t25\t4.0\t300\t0\t12\t30\t0\t0\n"
		   "10.0\t1\tfuzz_mmio\tafl\tpaused\t200\t20\t20\t0\t8.0\t310\t0\t13\t31\t0\t0\n"
		   "15.0\t1\tfuzz_m");
	EXPECT(series_load(&r, path, err, sizeof(err)));
	EXPECT_EQ(r.nrows, 2);
	EXPECT(r.series_cut);
	EXPECT(r.nrows == 2 && r.rows[1].cov == 310 && r.rows[1].engine == ENGINE_AFL);
	free(r.rows);
	memset(&r, 0, sizeof(r));
	r.c = &camp;
	write_text(path, "5.0\t1\tfuzz_mmio\tafl\trunning\t100\t20\t20\t25\t4.0\tx\t0\t12\t30\t0\t0\n");
	EXPECT(!series_load(&r, path, err, sizeof(err)));
	EXPECT(strstr(err, "series.tsv:1: corrupt row (field 11 'x' is not a number)") != NULL);
	write_text(path, "5.0\t1\tfuzz_ste\tafl\trunning\t100\t20\t20\t25\t4.0\t1\t0\t12\t30\t0\t0\n");
	EXPECT(!series_load(&r, path, err, sizeof(err)));
	EXPECT(strstr(err, "not in campaign.conf") != NULL);
	write_text(path, "5.0\t1\tfuzz_mmio\n");
	EXPECT(!series_load(&r, path, err, sizeof(err)));
	EXPECT(strstr(err, "(3 fields, expected 16)") != NULL);
	free(r.rows);
	unlink(path);
	rmdir(dir);
}

static void charts_are_svg_with_their_curves(void)
{
	struct curve cv[2];
	struct chart ch = { .title = "fuzz_mmio: coverage <edges>", .xlabel = "time",
			    .ylabel = "edges", .x_is_time = true, .curves = cv, .ncurves = 2 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	memset(cv, 0, sizeof(cv));
	snprintf(cv[0].label, sizeof(cv[0].label), "libFuzzer");
	snprintf(cv[1].label, sizeof(cv[1].label), "AFL++");
	cv[1].color = 1;
	curve_add(&cv[0], 0, 10);
	curve_add(&cv[0], 90, 500);
	curve_add(&cv[1], 45, 120);
	svg_chart(f, &ch, 600, 300);
	fclose(f);
	EXPECT(strncmp(buf, "<svg ", 5) == 0);
	EXPECT(strstr(buf, "</svg>") != NULL);
	EXPECT(strstr(buf, "coverage &lt;edges&gt;") != NULL);	/* escaped */
	EXPECT(strstr(buf, "<polyline") != NULL);
	EXPECT(strstr(buf, "<circle") != NULL);			/* a single point */
	EXPECT(strstr(buf, ">1:30<") != NULL);			/* time ticks */
	EXPECT(strstr(buf, svg_color(1)) != NULL);
	free(buf);
	curve_free(&cv[0]);
	curve_free(&cv[1]);
}

int main(void)
{
	RUN(llvm_cov_report_gives_lines_and_branches_per_file);
	RUN(every_uncovered_line_and_arm_gets_a_reason);
	RUN(verdicts_are_counted_by_rejection_site);
	RUN(series_rows_load_and_corrupt_ones_are_refused);
	RUN(charts_are_svg_with_their_curves);
	CHECK_DONE();
}
