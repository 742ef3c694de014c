// SPDX-License-Identifier: MIT
/*
 * Every line and branch arm of core/src the campaign's corpus did not
 * reach, each with the rule that explains it. The input is the text form
 * of `llvm-cov show -show-branches=count -show-line-counts -show-expansions`
 * (coverage/lines.txt): a "<path>:" line per file, "  N|count|source"
 * per line, "  |  Branch (L:C): [True: a, False: b]" under a line, and the
 * same one level deeper ("  |  |") inside a macro's expansion (BUG_ON's
 * `if` is one). Line coverage counts only the file's own lines.
 *
 * The rules are general (what the code says: BUG_ON, BUG_ON(1), a fatal
 * refusal for an exhausted pool) or name one function of the core and say
 * why no host input reaches it; the first rule that matches explains the
 * line. Nothing matched means "reachable as far as we know: a gap in the
 * corpus", never hidden. The same list goes into report.html and, through
 * `smmufuzz report --coverage-doc`, into docs/coverage.md.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct rule {
	const char *file;	/* NULL: any */
	const char *func;	/* NULL: any */
	const char *code;	/* substring of the line; NULL: any */
	const char *cond;	/* a branch arm whose condition starts so; NULL: any */
	const char *arm;	/* "true" or "false": that arm only; NULL: any */
	enum uncov_kind kind;
	const char *why;
};

#define RO_WRITE "a write to a read-only register: mmio.c refuses it (mmio.write_to_read_only) " \
	"before ctrl_write, whose case for it only keeps the switch complete"

/* In order: the first match explains. */
static const struct rule rules[] = {
	{ NULL, NULL, "BUG_ON(1)", NULL, NULL, UNCOV_UNREACHABLE,
	  "BUG_ON(1): the default of a switch over the core's own table; reaching it is a finding" },
	{ "check.h", NULL, NULL, NULL, NULL, UNCOV_BUG_ON,
	  "the message BUG_ON's failure arm hands to plat_panic: only a broken invariant (a "
	  "finding) runs it" },
	{ NULL, NULL, "pool_exhausted", NULL, NULL, UNCOV_POOL,
	  "fatal refusal when the hypervisor's page pool is exhausted: inputs are far too short "
	  "to allocate the whole pool (unit tests exhaust it on purpose)" },
	{ "iopt.c", "iopt_lookup", NULL, NULL, NULL, UNCOV_TEST_ONLY,
	  "iopt_lookup is API for the unit tests; the core never calls it" },
	{ "driver.c", "smmu_strerror", NULL, NULL, NULL, UNCOV_BOOT_ERROR,
	  "the message of a boot error code (the harness hashes it when a world fails to boot): only the codes some failing boot of the corpus returned are reached" },
	{ "mmio.c", NULL, "SMMU_DABT_NOT_OURS", NULL, NULL, UNCOV_HOST_CANNOT,
	  "an abort outside every SMMU window: the harness traps only the SMMUs' windows" },
	{ "mmio.c", NULL, "mmio.unaligned", NULL, NULL, UNCOV_HOST_CANNOT,
	  "an unaligned device access faults at EL1 before it can trap; the op stream aligns "
	  "MMIO offsets" },
	{ "probe.c", NULL, "owner_hyp_donate_host_mmio", NULL, NULL, UNCOV_BOOT_ERROR,
	  "rollback of a take-over that failed half-way: no world of the harness makes the "
	  "platform refuse a page there" },
	{ "idmap.c", "idmap_init", NULL, NULL, NULL, UNCOV_BOOT_ERROR,
	  "error return of the identity map's construction at driver init (pool sized for it)" },
	{ "hwq.c", "hwq_init", NULL, NULL, NULL, UNCOV_BOOT_ERROR,
	  "error return of the shadow queue's allocation at driver init (pool sized for it)" },
	{ "strtab.c", "strtab_init", NULL, NULL, NULL, UNCOV_BOOT_ERROR,
	  "error return of the stream table's allocation at driver init (pool sized for it)" },
	{ "pool.c", NULL, "SMMU_ENOMEM", NULL, NULL, UNCOV_POOL,
	  "the pool out of pages: inputs are too short to drain it" },
	{ "pool.c", "pool_init", NULL, NULL, NULL, UNCOV_BOOT_ERROR,
	  "a malformed pool given at driver init: the platform always gives a valid one" },
	/* ctrl_write's cases for read-only registers: emulate() (mmio.c)
	 * refuses a write to any register reg_ro() names before it calls
	 * ctrl_write, so these cases and their break never run. */
	{ "ctrl.c", "ctrl_write", "case REG_RO_PASS:", NULL, NULL, UNCOV_UNREACHABLE, RO_WRITE },
	{ "ctrl.c", "ctrl_write", "case REG_RO_ZERO:", NULL, NULL, UNCOV_UNREACHABLE, RO_WRITE },
	{ "ctrl.c", "ctrl_write", "case REG_IDR0:", NULL, NULL, UNCOV_UNREACHABLE, RO_WRITE },
	{ "ctrl.c", "ctrl_write", "case REG_IDR1:", NULL, NULL, UNCOV_UNREACHABLE, RO_WRITE },
	{ "ctrl.c", "ctrl_write", "case REG_CR0ACK:", NULL, NULL, UNCOV_UNREACHABLE, RO_WRITE },
	{ "ctrl.c", "ctrl_write", "case REG_IRQ_CTRLACK:", NULL, NULL, UNCOV_UNREACHABLE, RO_WRITE },
	{ "ctrl.c", "ctrl_write", "case REG_GERROR:", NULL, NULL, UNCOV_UNREACHABLE, RO_WRITE },
	{ "ctrl.c", "ctrl_write", "break;", NULL, NULL, UNCOV_UNREACHABLE, RO_WRITE },
};

const char *uncov_kind_name(enum uncov_kind k)
{
	static const char *const names[UNCOV_KINDS] = {
		[UNCOV_BUG_ON] = "BUG_ON failure arm",
		[UNCOV_UNREACHABLE] = "unreachable by construction",
		[UNCOV_POOL] = "pool exhaustion",
		[UNCOV_BOOT_ERROR] = "boot or platform error",
		[UNCOV_HOST_CANNOT] = "access the host cannot make",
		[UNCOV_TEST_ONLY] = "test-only API",
		[UNCOV_NOT_REACHED] = "not reached: a gap in the corpus",
	};
	return names[k];
}

const char *uncov_kind_blurb(enum uncov_kind k)
{
	static const char *const blurbs[UNCOV_KINDS] = {
		[UNCOV_BUG_ON] = "the true arm of an internal invariant check: reaching it means "
				 "the core is wrong, which the fuzzers report as a finding",
		[UNCOV_UNREACHABLE] = "code the core's own tables never lead to",
		[UNCOV_POOL] = "needs the hypervisor's page pool exhausted, which no input is "
			       "long enough to do",
		[UNCOV_BOOT_ERROR] = "error returns at driver registration and init that the "
				     "harness's worlds and platform never produce",
		[UNCOV_HOST_CANNOT] = "a guard against accesses the host's hardware cannot make",
		[UNCOV_TEST_ONLY] = "API only the unit tests call",
		[UNCOV_NOT_REACHED] = "reachable by host input as far as the rules know: what the "
				      "corpus should still reach (or a rule to write)",
	};
	return blurbs[k];
}

static void push(struct coverage *cov, const struct uncov_item *it)
{
	if (cov->nuncov == cov->uncov_cap) {
		size_t cap = cov->uncov_cap ? cov->uncov_cap * 2 : 256;
		struct uncov_item *n = realloc(cov->uncov, cap * sizeof(*n));

		if (n == NULL)
			die("out of memory");
		cov->uncov = n;
		cov->uncov_cap = cap;
	}
	cov->uncov[cov->nuncov++] = *it;
	if (it->branch)
		cov->by_kind_branches[it->kind]++;
	else
		cov->by_kind_lines[it->kind]++;
}

static void classify(struct uncov_item *it, bool in_bug_on)
{
	size_t i;

	if (it->branch && in_bug_on && strcmp(it->arm, "true") == 0) {
		it->kind = UNCOV_BUG_ON;
		it->why = "BUG_ON: the condition of an invariant never held (its true arm is a bug)";
		return;
	}
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct rule *ru = &rules[i];

		if ((ru->file && strcmp(ru->file, it->file) != 0) ||
		    (ru->func && strcmp(ru->func, it->func) != 0) ||
		    (ru->code && strstr(it->code, ru->code) == NULL) ||
		    (ru->arm && (!it->branch || strcmp(ru->arm, it->arm) != 0)) ||
		    (ru->cond && (!it->branch ||
				  strncmp(it->cond, ru->cond, strlen(ru->cond)) != 0)))
			continue;
		it->kind = ru->kind;
		it->why = ru->why;
		return;
	}
	it->kind = UNCOV_NOT_REACHED;
	it->why = uncov_kind_blurb(UNCOV_NOT_REACHED);
	if (strstr(it->code, "REJECT(") != NULL || strstr(it->code, "refuse(") != NULL ||
	    strstr(it->code, "*site = ") != NULL)
		it->why = "a rejection site no input of the corpus hit: reachable by host input";
}

/* "static int foo(struct x *y)" at column 0 -> "foo" (attribute lists
 * before the name are skipped). */
static bool function_header(const char *src, char *name, size_t cap)
{
	const char *p = src, *q;

	if (!isalpha((unsigned char)src[0]) && src[0] != '_')
		return false;
	if (strchr(src, ';') != NULL || strchr(src, '=') != NULL)
		return false;
	for (;;) {
		p = strchr(p, '(');
		if (p == NULL)
			return false;
		for (q = p; q > src && (isalnum((unsigned char)q[-1]) || q[-1] == '_'); q--)
			;
		if (q == p)
			return false;
		if ((size_t)(p - q) != 13 || strncmp(q, "__attribute__", 13) != 0)
			break;
		/* Past the attribute's parentheses. */
		{
			int depth = 0;

			for (; *p; p++) {
				depth += *p == '(';
				depth -= *p == ')';
				if (*p == ')' && depth == 0)
					break;
			}
			if (*p == 0)
				return false;
		}
	}
	snprintf(name, cap, "%.*s", (int)(p - q), q);
	return true;
}

static void trim(char *dst, size_t cap, const char *src, size_t len)
{
	while (len > 0 && isspace((unsigned char)*src)) {
		src++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)src[len - 1]))
		len--;
	snprintf(dst, cap, "%.*s", (int)(len < cap ? len : cap - 1), src);
}

/* The depth of "|" columns before @s's content: "  |  |  Branch" -> 2. */
static unsigned bars(const char *s, const char **rest)
{
	unsigned n = 0;

	for (;;) {
		while (*s == ' ')
			s++;
		if (*s != '|')
			break;
		n++;
		s++;
	}
	*rest = s;
	return n;
}

/* The condition a branch's column points at in @src: from column @col
 * (1-based) to the end of that operand, i.e. up to `&&`, `||`, `?`, `:`,
 * `;`, `,` or `{` outside parentheses, or the parenthesis that closes
 * around it. "" when the column is past the line. */
static void cond_at(const char *src, unsigned col, char *out, size_t cap)
{
	size_t len = strlen(src), i, end;
	int depth = 0;

	out[0] = 0;
	if (col == 0 || col > len)
		return;
	i = col - 1;
	for (end = i; end < len; end++) {
		char c = src[end];

		if (c == '(') {
			depth++;
		} else if (c == ')') {
			if (depth-- == 0)
				break;
		} else if (depth == 0 &&
			   ((c == '&' && src[end + 1] == '&') || (c == '|' && src[end + 1] == '|') ||
			    c == '?' || c == ':' || c == ';' || c == ',' || c == '{')) {
			break;
		}
	}
	trim(out, cap, src + i, end - i);
}

static bool zero_count(const char *s)
{
	while (*s == ' ')
		s++;
	return s[0] == '0' && (s[1] == '|' || s[1] == ' ' || s[1] == ',' || s[1] == ']' || s[1] == 0);
}

static const struct uncov_item *line_item(const struct coverage *cov, const char *file,
					  unsigned line)
{
	size_t j;

	for (j = 0; j < cov->nuncov; j++)
		if (!cov->uncov[j].branch && cov->uncov[j].line == line &&
		    strcmp(cov->uncov[j].file, file) == 0)
			return &cov->uncov[j];
	return NULL;
}

/* The lines around an unreached BUG_ON(1): the `default:` right before it
 * and the `return` right after it (which only keeps the compiler content)
 * are unreachable for the same reason. */
static void bug_on_neighbours(struct coverage *cov)
{
	size_t j;

	for (j = 0; j < cov->nuncov; j++) {
		struct uncov_item *it = &cov->uncov[j];
		const struct uncov_item *next, *prev;

		if (it->branch || it->kind != UNCOV_NOT_REACHED)
			continue;
		next = line_item(cov, it->file, it->line + 1);
		prev = it->line > 1 ? line_item(cov, it->file, it->line - 1) : NULL;
		if ((strcmp(it->code, "default:") == 0 && next != NULL &&
		     strstr(next->code, "BUG_ON(1)") != NULL) ||
		    (strncmp(it->code, "return", 6) == 0 && prev != NULL &&
		     strstr(prev->code, "BUG_ON(1)") != NULL)) {
			cov->by_kind_lines[it->kind]--;
			it->kind = UNCOV_UNREACHABLE;
			it->why = "next to a BUG_ON(1) no table entry leads to: unreachable with it";
			cov->by_kind_lines[it->kind]++;
		}
	}
}

/* Forget the uncovered arm @arm of the branch at @line:@col (another
 * instantiation of the same inline function took it). */
static void drop_arm(struct coverage *cov, unsigned line, unsigned col, const char *arm)
{
	size_t j = cov->nuncov;

	while (j-- > 0) {
		struct uncov_item *it = &cov->uncov[j];

		if (it->branch && it->line == line && it->col == col && strcmp(it->arm, arm) == 0) {
			cov->by_kind_branches[it->kind]--;
			memmove(it, it + 1, (cov->nuncov - j - 1) * sizeof(*it));
			cov->nuncov--;
			return;
		}
	}
}

#define SEEN_MAX 32

void uncov_classify(struct coverage *cov, const char *text)
{
	char file[64] = "", func[64] = "", code[120] = "", src[1024] = "";
	unsigned line_no = 0;
	bool in_bug_on = false;	/* the current top-level line calls BUG_ON */
	bool in_inst = false;	/* in one instantiation's own view of the function */
	/* The branches of the current line by column, and whether each arm was
	 * taken: an inline function of a header is listed once per file that
	 * uses it, and an arm one of them took is covered. */
	struct { unsigned col; bool taken[2]; } seen[SEEN_MAX];
	unsigned nseen = 0;
	const char *line = text;

	cov->nuncov = 0;
	memset(cov->by_kind_lines, 0, sizeof(cov->by_kind_lines));
	memset(cov->by_kind_branches, 0, sizeof(cov->by_kind_branches));
	while (line != NULL && *line) {
		const char *nl = strchr(line, '\n'), *rest;
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char l[1024];
		unsigned depth;

		snprintf(l, sizeof(l), "%.*s", (int)(len < sizeof(l) ? len : sizeof(l) - 1), line);
		line = nl ? nl + 1 : NULL;
		if (l[0] == '/' && len > 1 && l[strlen(l) - 1] == ':') {
			const char *base = strrchr(l, '/');

			snprintf(file, sizeof(file), "%.*s", (int)strlen(base + 1) - 1, base + 1);
			func[0] = 0;
			continue;
		}
		depth = bars(l, &rest);
		if (depth == 0) {
			/* "   62|     78|	source" */
			char *bar1 = strchr(l, '|'), *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
			struct uncov_item it;

			const char *p = l;

			/* After a macro's expansion, llvm-cov prints the line's
			 * source again without number or count: not a new line. */
			while (*p == ' ')
				p++;
			if (bar1 == NULL || bar2 == NULL || !isdigit((unsigned char)*p))
				continue;
			line_no = (unsigned)atoi(l);
			in_inst = false;
			nseen = 0;
			snprintf(src, sizeof(src), "%s", bar2 + 1);
			trim(code, sizeof(code), bar2 + 1, strlen(bar2 + 1));
			if (bar2[1] != ' ' && bar2[1] != '\t' && bar2[1] != 0)
				function_header(bar2 + 1, func, sizeof(func));
			in_bug_on = strstr(bar2 + 1, "BUG_ON(") != NULL;
			*bar2 = 0;
			if (!zero_count(bar1 + 1))
				continue;
			memset(&it, 0, sizeof(it));
			snprintf(it.file, sizeof(it.file), "%s", file);
			snprintf(it.func, sizeof(it.func), "%s", func);
			snprintf(it.code, sizeof(it.code), "%s", code);
			it.line = line_no;
			classify(&it, false);
			push(cov, &it);
			continue;
		}
		/* "| Unexecuted instantiation: ctrl.c:range_overlap" or
		 * "| strtab.c:range_overlap:": the per-file views of an inline
		 * function, whose branches the merged view above already has. */
		if (depth == 1 && (strncmp(rest, "Unexecuted instantiation:", 25) == 0 ||
				   (strncmp(rest, "Branch (", 8) != 0 && rest[0] != 0 &&
				    !isdigit((unsigned char)rest[0]) && strchr(rest, '.') != NULL &&
				    rest[strlen(rest) - 1] == ':'))) {
			in_inst = true;
			continue;
		}
		/* "|  Branch (71:8): [True: 39, False: 0]", maybe inside an
		 * expansion (depth > 1): it belongs to the top-level line. */
		if (!in_inst && strncmp(rest, "Branch (", 8) == 0) {
			const char *t = strstr(rest, "[True: "), *f = strstr(rest, ", False: ");
			struct uncov_item it;
			unsigned bl, bc, k;
			bool zero[2];

			if (t == NULL || f == NULL)
				continue;	/* "[Folded - Ignored]" */
			zero[0] = zero_count(t + 7);
			zero[1] = zero_count(f + 9);
			memset(&it, 0, sizeof(it));
			snprintf(it.file, sizeof(it.file), "%s", file);
			snprintf(it.func, sizeof(it.func), "%s", func);
			snprintf(it.code, sizeof(it.code), "%s", code);
			it.line = line_no;
			it.branch = true;
			/* "Branch (L:C)" of the line itself (not of a macro's
			 * body): its column names the condition. */
			if (depth == 1 && sscanf(rest, "Branch (%u:%u)", &bl, &bc) == 2 &&
			    bl == line_no) {
				it.col = bc;
				cond_at(src, bc, it.cond, sizeof(it.cond));
				for (k = 0; k < nseen && seen[k].col != bc; k++)
					;
				if (k < nseen) {
					/* The same branch again, from another file's
					 * instantiation: an arm it took is covered
					 * (and one it did not is listed already). */
					unsigned a;

					for (a = 0; a < 2; a++) {
						if (!zero[a] && !seen[k].taken[a]) {
							drop_arm(cov, line_no, bc, a ? "false" : "true");
							seen[k].taken[a] = true;
						}
					}
					continue;
				}
				if (nseen < SEEN_MAX) {
					seen[nseen].col = bc;
					seen[nseen].taken[0] = !zero[0];
					seen[nseen].taken[1] = !zero[1];
					nseen++;
				}
			}
			if (zero[0]) {
				snprintf(it.arm, sizeof(it.arm), "true");
				classify(&it, depth > 1 && in_bug_on);
				push(cov, &it);
			}
			if (zero[1]) {
				snprintf(it.arm, sizeof(it.arm), "false");
				classify(&it, depth > 1 && in_bug_on);
				push(cov, &it);
			}
		}
	}
	bug_on_neighbours(cov);
}

/* A code span inside a Markdown table cell: `|` escaped (GitHub's tables
 * take `\|` inside code too), a backquote turned into a quote. */
static void md_code(FILE *f, const char *s)
{
	fputc('`', f);
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s == '`' ? '\'' : *s, f);
	}
	fputc('`', f);
}

void uncov_write_md(FILE *f, const struct report *r, const char *how)
{
	const struct coverage *cov = &r->cov;
	unsigned i, k;
	size_t j;

	fprintf(f, "# Coverage of core/src by the fuzzers' corpus\n\n");
	fprintf(f, "Generated by `smmufuzz report --coverage-doc` (%s); do not edit by hand.\n\n",
		how);
	if (!cov->have) {
		fprintf(f, "No figures: %s.\n", cov->why_not);
		return;
	}
	fprintf(f, "Campaign `%s` (%.0f s, %u session(s)); its corpus (%u inputs) and the %u "
		"seeds it started from, replayed by the `host-cov` build, no unit tests%s%s.\n\n",
		r->c->name, r->c->elapsed_before, r->c->session - 1, cov->inputs, cov->seed_inputs,
		cov->when[0] ? "; measured " : "", cov->when);
	fprintf(f, "| file | lines | missed | line cover | branches | missed | branch cover |\n");
	fprintf(f, "|---|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i <= cov->nfiles; i++) {
		const struct cov_file *cf = i < cov->nfiles ? &cov->files[i] : &cov->total;
		bool tot = i == cov->nfiles;

		fprintf(f, "| %s%s%s | %u | %u | %s%.2f %%%s | %u | %u | %s%.2f %%%s |\n",
			tot ? "**" : "", tot ? "total" : cf->name, tot ? "**" : "", cf->lines,
			cf->lines_missed, tot ? "**" : "",
			cf->lines ? 100.0 * (cf->lines - cf->lines_missed) / cf->lines : 100.0,
			tot ? "**" : "", cf->branches, cf->branches_missed, tot ? "**" : "",
			cf->branches ? 100.0 * (cf->branches - cf->branches_missed) / cf->branches
				     : 100.0, tot ? "**" : "");
	}
	fprintf(f, "\nGoal (issue 11): at least 95 %% of lines and 90 %% of branches. ");
	{
		double lp = cov->total.lines ? 100.0 * (cov->total.lines - cov->total.lines_missed) /
						       cov->total.lines : 100.0;
		double bp = cov->total.branches ? 100.0 * (cov->total.branches -
							   cov->total.branches_missed) /
							  cov->total.branches : 100.0;

		fprintf(f, "Lines: %s (%.2f %%); branches: %s (%.2f %%).\n\n",
			lp >= 95 ? "met" : "not met", lp, bp >= 90 ? "met" : "not met", bp);
	}
	fprintf(f, "## Why each line and branch is still uncovered\n\n");
	fprintf(f, "Every uncovered line and branch arm is listed below under the rule that "
		"explains it (`tools/report_uncovered.c` holds the rules; a line no rule "
		"explains is a gap of the corpus, listed last).\n\n");
	fprintf(f, "| reason | lines | branch arms | what it means |\n|---|---:|---:|---|\n");
	for (k = 0; k < UNCOV_KINDS; k++)
		fprintf(f, "| %s | %u | %u | %s |\n", uncov_kind_name((enum uncov_kind)k),
			cov->by_kind_lines[k], cov->by_kind_branches[k],
			uncov_kind_blurb((enum uncov_kind)k));
	for (k = 0; k < UNCOV_KINDS; k++) {
		unsigned n = cov->by_kind_lines[k] + cov->by_kind_branches[k];

		if (n == 0)
			continue;
		fprintf(f, "\n### %s (%u)\n\n", uncov_kind_name((enum uncov_kind)k), n);
		fprintf(f, "| where | function | uncovered | code | why |\n|---|---|---|---|---|\n");
		for (j = 0; j < cov->nuncov; j++) {
			const struct uncov_item *it = &cov->uncov[j];

			if (it->kind != (enum uncov_kind)k)
				continue;
			fprintf(f, "| %s:%u", it->file, it->line);
			if (it->col != 0)
				fprintf(f, ":%u", it->col);
			fprintf(f, " | %s | ", it->func[0] ? it->func : "-");
			if (!it->branch) {
				fprintf(f, "line");
			} else if (it->cond[0]) {
				fprintf(f, "%s arm of ", it->arm);
				md_code(f, it->cond);
			} else {
				fprintf(f, "branch, %s", it->arm);
			}
			fprintf(f, " | ");
			md_code(f, it->code);
			fprintf(f, " | %s |\n", it->why);
		}
	}
}
