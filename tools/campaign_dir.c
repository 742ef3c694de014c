// SPDX-License-Identifier: MIT
/*
 * The campaign directory: where things go, campaign.conf (what a resume
 * needs), the lock that keeps two processes out of one campaign, and the
 * atomic copies everything the campaign keeps is written with.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "campaign.h"

#define CONF_NAME	"campaign.conf"
#define LOCK_NAME	".lock"
#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

double campaign_time(const struct campaign *c)
{
	return c->elapsed_before + (now_s() - c->t0);
}

void mkdirs(const char *path)
{
	char tmp[CAMPAIGN_PATH];
	char *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = 0;
			mkdir(tmp, 0755);
			*p = '/';
		}
	}
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
		die("cannot create directory %s: %s", tmp, strerror(errno));
}

const char *cpath(const struct campaign *c, char *buf, const char *fmt, ...)
{
	char rel[CAMPAIGN_PATH];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	if (snprintf(buf, CAMPAIGN_PATH, "%s/%s", c->dir, rel) >= CAMPAIGN_PATH)
		die("fuzz: path too long under %s", c->dir);
	return buf;
}

static void make_layout(struct campaign *c)
{
	static const char *const subdirs[] = { "corpus", "crashes", "findings",
					       "logs", "tmp", "work", "afl" };
	char p[CAMPAIGN_PATH];
	size_t i;

	for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++)
		mkdirs(cpath(c, p, "%s", subdirs[i]));
}

void campaign_create(struct campaign *c, const char *out)
{
	char stamp[64], p[CAMPAIGN_PATH];
	time_t t = time(NULL);
	unsigned n;

	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&t));
	if (out != NULL) {
		const char *base = strrchr(out, '/');

		mkdirs(out);
		snprintf(c->dir, sizeof(c->dir), "%s", out);
		if (access(cpath(c, p, CONF_NAME), F_OK) == 0)
			die("fuzz: %s holds a campaign already: --resume it or choose "
			    "another --out", out);
		snprintf(c->name, sizeof(c->name), "%s", base && base[1] ? base + 1 : out);
	} else {
		/* reports/<stamp>, or <stamp>-2, -3, ... when campaigns start
		 * in the same second: two campaigns never share a directory. */
		snprintf(p, sizeof(p), "%s/reports", source_dir());
		mkdirs(p);
		for (n = 1;; n++) {
			if (n == 1000)
				die("fuzz: too many campaigns named %s in reports/", stamp);
			if (n > 1)
				snprintf(c->name, sizeof(c->name), "%s-%u", stamp, n);
			else
				snprintf(c->name, sizeof(c->name), "%s", stamp);
			snprintf(c->dir, sizeof(c->dir), "%s/reports/%s", source_dir(),
				 c->name);
			if (mkdir(c->dir, 0777) == 0)
				break;
			if (errno != EEXIST)
				die("fuzz: cannot create %s: %s", c->dir, strerror(errno));
		}
	}
	c->session = 1;
	make_layout(c);
}

void campaign_lock(struct campaign *c)
{
	char p[CAMPAIGN_PATH], pid[32] = "";
	ssize_t got;

	c->lock_fd = open(cpath(c, p, LOCK_NAME), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (c->lock_fd < 0)
		die("fuzz: cannot open %s: %s", p, strerror(errno));
	if (flock(c->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		got = read(c->lock_fd, pid, sizeof(pid) - 1);
		pid[got > 0 ? got : 0] = 0;
		pid[strcspn(pid, "\n")] = 0;
		die("fuzz: campaign %s is in use by another smmufuzz (pid %s)", c->dir,
		    pid[0] ? pid : "?");
	}
	if (ftruncate(c->lock_fd, 0) == 0)
		dprintf(c->lock_fd, "%ld\n", (long)getpid());
}

static void save_unit(FILE *f, const char *target, enum engine e,
		      const struct unit_stats *st)
{
	fprintf(f, "unit = %s %s execs=%llu run_s=%.1f cov=%u ft=%u corpus=%u "
		"stability=%.2f cpu_s=%.1f\n", target, engine_name(e),
		(unsigned long long)st->execs, st->run_s, st->cov, st->ft,
		st->corpus, st->stability, st->cpu_s);
}

void campaign_save(const struct campaign *c)
{
	char path[CAMPAIGN_PATH], tmp[CAMPAIGN_PATH];
	unsigned i, j;
	FILE *f;

	cpath(c, path, CONF_NAME);
	cpath(c, tmp, "tmp/" CONF_NAME ".%ld", (long)getpid());
	f = fopen(tmp, "w");
	if (f == NULL) {
		complain("fuzz: cannot write %s: %s", tmp, strerror(errno));
		return;
	}
	fprintf(f, "# smmufuzz campaign: what --resume needs (docs/user-guide.md)\n");
	fprintf(f, "format = %d\nname = %s\ntargets =", CAMPAIGN_FORMAT, c->name);
	for (i = 0; i < c->nt; i++)
		fprintf(f, " %s", c->targets[i]);
	fprintf(f, "\nengines =");
	for (i = 0; i < ENGINE_COUNT; i++)
		if (c->engines & ENGINE_BIT(i))
			fprintf(f, " %s", engine_name((enum engine)i));
	fprintf(f, "\njobs = %u\nbudget_s = %.1f\nelapsed_s = %.1f\nsessions = %u\n",
		c->jobs, c->budget_s, campaign_time(c), c->session);
	if (c->sync_dir[0] != 0)
		fprintf(f, "sync_dir = %s\nrole = %s\nmachine = %s\n", c->sync_dir,
			c->secondary ? "secondary" : "main", c->machine);
	for (i = 0; i < c->nunits; i++)
		save_unit(f, c->targets[c->units[i].target], c->units[i].engine,
			  &c->units[i].now);
	/* Units this session does not run keep their history. */
	for (j = 0; j < c->nsaved; j++) {
		for (i = 0; i < c->nunits; i++)
			if (strcmp(c->targets[c->units[i].target], c->saved[j].target) == 0 &&
			    c->units[i].engine == c->saved[j].engine)
				break;
		if (i == c->nunits)
			save_unit(f, c->saved[j].target, c->saved[j].engine, &c->saved[j].st);
	}
	if (fflush(f) != 0 || ferror(f)) {
		complain("fuzz: cannot write %s", tmp);
		fclose(f);
		remove(tmp);
		return;
	}
	fclose(f);
	if (rename(tmp, path) != 0)
		complain("fuzz: cannot rename %s: %s", tmp, strerror(errno));
}

static const char *known_target(const char *name)
{
	unsigned i;

	for (i = 0; harness_target_name(i) != NULL; i++)
		if (strcmp(harness_target_name(i), name) == 0)
			return harness_target_name(i);
	return NULL;
}

static bool load_unit(struct campaign *c, const char *v, char *err, size_t cap)
{
	struct saved_unit *s = &c->saved[c->nsaved];
	char engine[32];
	unsigned long long execs;

	if (c->nsaved == CAMPAIGN_MAX_UNITS)
		return true;
	memset(s, 0, sizeof(*s));
	if (sscanf(v, "%63s %31s execs=%llu run_s=%lf cov=%u ft=%u corpus=%u stability=%lf "
		   "cpu_s=%lf", s->target, engine, &execs, &s->st.run_s, &s->st.cov,
		   &s->st.ft, &s->st.corpus, &s->st.stability, &s->st.cpu_s) != 9 ||
	    (strcmp(engine, "libfuzzer") != 0 && strcmp(engine, "afl") != 0)) {
		snprintf(err, cap, "bad unit line '%s'", v);
		return false;
	}
	s->engine = strcmp(engine, "afl") == 0 ? ENGINE_AFL : ENGINE_LIBFUZZER;
	s->st.execs = execs;
	c->nsaved++;
	return true;
}

bool campaign_load(struct campaign *c, const char *dir, char *err, size_t cap)
{
	char path[CAMPAIGN_PATH], line[1024];
	int format = -1;
	unsigned sessions = 0;
	FILE *f;

	snprintf(c->dir, sizeof(c->dir), "%s", dir);
	f = fopen(cpath(c, path, CONF_NAME), "r");
	if (f == NULL) {
		snprintf(err, cap, "%s: not a campaign directory (no %s: %s)", dir,
			 CONF_NAME, strerror(errno));
		return false;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char key[32], *v, *tok, *save = NULL;

		line[strcspn(line, "\n")] = 0;
		if (line[0] == '#' || line[0] == 0)
			continue;
		v = strstr(line, " = ");
		if (v == NULL || sscanf(line, "%31s", key) != 1) {
			snprintf(err, cap, "%s: corrupt line '%.60s'", path, line);
			fclose(f);
			return false;
		}
		v += 3;
		if (strcmp(key, "format") == 0) {
			format = atoi(v);
		} else if (strcmp(key, "name") == 0) {
			snprintf(c->name, sizeof(c->name), "%s", v);
		} else if (strcmp(key, "targets") == 0) {
			for (tok = strtok_r(v, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
				const char *t = known_target(tok);

				if (t == NULL || c->nt == CAMPAIGN_MAX_TARGETS) {
					snprintf(err, cap, "%s: unknown target '%s'", path, tok);
					fclose(f);
					return false;
				}
				c->targets[c->nt++] = t;
			}
		} else if (strcmp(key, "engines") == 0) {
			for (tok = strtok_r(v, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
				unsigned m;

				if (!engine_parse(tok, &m)) {
					snprintf(err, cap, "%s: unknown engine '%s'", path, tok);
					fclose(f);
					return false;
				}
				c->engines |= m;
			}
		} else if (strcmp(key, "jobs") == 0) {
			c->jobs = (unsigned)atoi(v);
		} else if (strcmp(key, "budget_s") == 0) {
			c->budget_s = atof(v);
		} else if (strcmp(key, "elapsed_s") == 0) {
			c->elapsed_before = atof(v);
		} else if (strcmp(key, "sync_dir") == 0) {
			snprintf(c->sync_dir, sizeof(c->sync_dir), "%s", v);
		} else if (strcmp(key, "role") == 0) {
			c->secondary = strcmp(v, "secondary") == 0;
		} else if (strcmp(key, "machine") == 0) {
			snprintf(c->machine, sizeof(c->machine), "%s", v);
		} else if (strcmp(key, "sessions") == 0) {
			sessions = (unsigned)atoi(v);
		} else if (strcmp(key, "unit") == 0) {
			if (!load_unit(c, v, err, cap)) {
				fclose(f);
				return false;
			}
		}
	}
	fclose(f);
	if (format != CAMPAIGN_FORMAT) {
		snprintf(err, cap, "%s: format %d, this smmufuzz reads %d", path, format,
			 CAMPAIGN_FORMAT);
		return false;
	}
	if (c->nt == 0 || c->engines == 0 || c->name[0] == 0) {
		snprintf(err, cap, "%s: incomplete (no targets, engines or name)", path);
		return false;
	}
	c->session = sessions + 1;
	make_layout(c);
	return true;
}

/* Put @b at @out unless something is there: the temporary file lives in
 * tmp/, outside the destination directory, so engines reading that
 * directory (the corpus) never see half a file. */
static bool put_atomic(const struct campaign *c, const struct buf *b, const char *out)
{
	char tmp[CAMPAIGN_PATH], err[256] = "";
	const char *base = strrchr(out, '/');

	if (access(out, F_OK) == 0)
		return false;
	cpath(c, tmp, "tmp/%s.%ld", base ? base + 1 : out, (long)getpid());
	if (!write_file(tmp, b->data, b->len, err, sizeof(err)) || rename(tmp, out) != 0) {
		complain("fuzz: cannot write %s: %s", out, err[0] ? err : strerror(errno));
		remove(tmp);
		return false;
	}
	return true;
}

bool copy_named(const struct campaign *c, const char *src, const char *out)
{
	char err[256];
	struct buf b;
	bool done;

	if (access(out, F_OK) == 0 || !read_file(src, &b, err, sizeof(err)))
		return false;
	done = put_atomic(c, &b, out);
	free(b.data);
	return done;
}

bool copy_by_content(const struct campaign *c, const char *src, const char *dir,
		     const char *prefix, char *out, size_t cap)
{
	char err[256];
	uint64_t h = FNV_OFFSET;
	struct buf b;
	bool done = false;
	size_t i;

	if (!read_file(src, &b, err, sizeof(err)))
		return false;
	for (i = 0; i < b.len; i++)
		h = (h ^ b.data[i]) * FNV_PRIME;
	if (snprintf(out, cap, "%s/%s%016llx", dir, prefix, (unsigned long long)h) <
	    (int)cap)
		done = put_atomic(c, &b, out);
	free(b.data);
	return done;
}
