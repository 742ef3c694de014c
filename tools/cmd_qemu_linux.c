// SPDX-License-Identifier: MIT
/*
 * qemu-linux: Debian's arm64 kernel as the host under the smmufuzz
 * hypervisor (docs/qemu-harness.md, "A real client"). Gets the kernel and
 * busybox (scripts/fetch-linux-arm64.sh, apt), packs the initramfs
 * (qemu-harness/linux/init.sh as /init), boots QEMU with two virtio-rng
 * devices behind the SMMU, and reports what the driver said, the random
 * bytes the devices gave through our emulation, the IOMMU groups, the
 * traps, and the verdict of the isolation audit on the real SMMU.
 * --record FILE keeps what Linux did as an op stream (text, or binary for
 * a .smfz/.bin name) that `replay` and `qemu-replay` run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../qemu-harness/abi.h"
#include "cli.h"

#define OUT_CAP		(8U << 20)
#define QEMU_MIN_MAJOR	8
#define QEMU_MIN_MINOR	1

struct linux_opts {
	const char *kernel;		/* 6.1, 6.12, a .deb or an Image */
	const char *record;
	const char *image_dir;
	const char *cache;
	unsigned timeout_s;
	unsigned hostile_every;		/* 0: not hostile */
	unsigned smp;			/* CPUs */
	const char *append;		/* more kernel parameters */
	bool trace;
};

/* What the run showed. */
struct linux_run {
	char *out;
	size_t out_len;
	double seconds;
	bool timed_out;
	int status;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* ---- QEMU ------------------------------------------------------------------------------- */

static const char *qemu_binary(void)
{
	const char *q = getenv("SMMUFUZZ_QEMU");
	char cmd[1200], ver[256] = "";
	int major = 0, minor = 0;
	const char *v;
	FILE *p;

	if (q == NULL)
		q = "qemu-system-aarch64";
	snprintf(cmd, sizeof(cmd), "%s --version 2>/dev/null", q);
	p = popen(cmd, "r");
	if (p == NULL || fgets(ver, sizeof(ver), p) == NULL) {
		if (p != NULL)
			pclose(p);
		die("qemu-linux: %s not found (install QEMU 10: sh scripts/setup.sh --qemu)", q);
	}
	pclose(p);
	v = strstr(ver, "version ");
	if (v == NULL || sscanf(v, "version %d.%d", &major, &minor) != 2)
		die("qemu-linux: cannot read the version of %s ('%.*s')", q,
		    (int)strcspn(ver, "\n"), ver);
	if (major < QEMU_MIN_MAJOR || (major == QEMU_MIN_MAJOR && minor < QEMU_MIN_MINOR))
		die("qemu-linux: %s is QEMU %d.%d, older than 8.1 (no SMMUv3 stage 2): "
		    "sh scripts/setup.sh --qemu installs QEMU 10", q, major, minor);
	return q;
}

/* ---- The kernel --------------------------------------------------------------------------- */

/* An arm64 Image: "ARM\x64" at byte 56 (the boot protocol's header). */
static bool is_arm64_image(const char *path)
{
	unsigned char h[64];
	FILE *f = fopen(path, "rb");
	bool ok;

	if (f == NULL)
		return false;
	ok = fread(h, 1, sizeof(h), f) == sizeof(h) && memcmp(h + 56, "ARM\x64", 4) == 0;
	fclose(f);
	return ok;
}

/*
 * The directory holding Image and root/ (busybox, modules) for @kernel:
 * fetched and unpacked by the script for a version or a .deb, or the
 * directory of an Image given as a file.
 */
static void kernel_dir(const struct linux_opts *o, char *dir, size_t cap, char *image,
		       size_t image_cap)
{
	char cmd[4096], line[1024] = "", last[1024] = "";
	bool version = strcmp(o->kernel, "6.1") == 0 || strcmp(o->kernel, "6.12") == 0;
	FILE *p;
	int rc;

	if (!version && !is_file(o->kernel))
		die("qemu-linux: no such kernel '%s' (6.1, 6.12, a linux-image .deb or an "
		    "arm64 Image)", o->kernel);
	if (!version && !ends_with(o->kernel, ".deb")) {
		const char *slash = strrchr(o->kernel, '/');

		if (!is_arm64_image(o->kernel))
			die("qemu-linux: %s is neither a .deb nor an arm64 Image (no 'ARM\\x64' "
			    "magic at byte 56)", o->kernel);
		snprintf(dir, cap, "%.*s", slash != NULL ? (int)(slash - o->kernel) : 1,
			 slash != NULL ? o->kernel : ".");
		snprintf(image, image_cap, "%s", o->kernel);
		return;
	}
	/* The script's last line: the directory, or why not. */
	snprintf(cmd, sizeof(cmd), "sh '%s/scripts/fetch-linux-arm64.sh' '%s' '%s' 2>&1",
		 source_dir(), o->cache, o->kernel);
	p = popen(cmd, "r");
	if (p == NULL)
		die("qemu-linux: cannot run %s", cmd);
	while (fgets(line, sizeof(line), p) != NULL)
		snprintf(last, sizeof(last), "%.*s", (int)strcspn(line, "\n"), line);
	rc = pclose(p);
	if (rc != 0 || last[0] == '\0')
		die("qemu-linux: cannot get kernel '%s': %s", o->kernel,
		    last[0] != '\0' ? last : "scripts/fetch-linux-arm64.sh failed");
	snprintf(dir, cap, "%s", last);
	snprintf(image, image_cap, "%s/Image", last);
}

/* ---- The initramfs: newc cpio, written here (no cpio needed) ------------------------------ */

struct cpio {
	FILE *f;
	uint32_t ino;
	size_t off;
};

static void cpio_pad(struct cpio *c)
{
	static const char zero[4];
	size_t pad = (4U - c->off % 4U) % 4U;

	if (pad != 0 && fwrite(zero, 1, pad, c->f) != pad)
		die("qemu-linux: cannot write the initramfs: %s", strerror(errno));
	c->off += pad;
}

static void cpio_entry(struct cpio *c, const char *name, unsigned mode, unsigned rmajor,
		       unsigned rminor, const void *data, size_t len)
{
	char hdr[111];
	size_t nlen = strlen(name) + 1U;

	snprintf(hdr, sizeof(hdr), "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x",
		 c->ino++, mode, 0U, 0U, 1U, 0U, len, 0U, 0U, rmajor, rminor, nlen, 0U);
	if (fwrite(hdr, 1, 110, c->f) != 110 || fwrite(name, 1, nlen, c->f) != nlen)
		die("qemu-linux: cannot write the initramfs: %s", strerror(errno));
	c->off += 110U + nlen;
	cpio_pad(c);
	if (len != 0 && fwrite(data, 1, len, c->f) != len)
		die("qemu-linux: cannot write the initramfs: %s", strerror(errno));
	c->off += len;
	cpio_pad(c);
}

static void cpio_file(struct cpio *c, const char *name, const char *path, unsigned mode)
{
	struct buf b;
	char err[256];

	if (!read_file(path, &b, err, sizeof(err)))
		die("qemu-linux: %s", err);
	cpio_entry(c, name, 0100000U | mode, 0, 0, b.data, b.len);
	free(b.data);
}

/* busybox and the modules of @dir/root, and our /init. */
static void make_initramfs(const char *dir, const char *out)
{
	struct cpio c = { .ino = 1 };
	char path[2048], name[512];
	static const char *const dirs[] = { "bin", "mods", "dev", "proc", "sys" };
	struct dirent *de;
	DIR *d;
	unsigned i;

	snprintf(path, sizeof(path), "%s/root/bin/busybox", dir);
	if (!is_file(path))
		die("qemu-linux: no busybox at %s (the layout of scripts/fetch-linux-arm64.sh)",
		    path);
	c.f = fopen(out, "wb");
	if (c.f == NULL)
		die("qemu-linux: cannot write %s: %s", out, strerror(errno));
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		cpio_entry(&c, dirs[i], 040755U, 0, 0, NULL, 0);
	cpio_entry(&c, "dev/console", 020600U, 5, 1, NULL, 0);
	cpio_file(&c, "bin/busybox", path, 0755U);
	snprintf(path, sizeof(path), "%s/qemu-harness/linux/init.sh", source_dir());
	cpio_file(&c, "init", path, 0755U);
	snprintf(path, sizeof(path), "%s/root/mods", dir);
	d = opendir(path);
	while (d != NULL && (de = readdir(d)) != NULL) {
		if (!ends_with(de->d_name, ".ko"))
			continue;
		snprintf(name, sizeof(name), "mods/%s", de->d_name);
		snprintf(path, sizeof(path), "%s/root/mods/%s", dir, de->d_name);
		cpio_file(&c, name, path, 0644U);
	}
	if (d != NULL)
		closedir(d);
	cpio_entry(&c, "TRAILER!!!", 0, 0, 0, NULL, 0);
	if (fclose(c.f) != 0)
		die("qemu-linux: cannot write %s: %s", out, strerror(errno));
}

/* ---- One boot ------------------------------------------------------------------------------- */

static long file_size(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static void run_qemu(const char *qemu, const struct linux_opts *o, const char *hyp,
		     const char *image, const char *initrd, const char *job,
		     struct linux_run *r)
{
	char mem[32], ld_image[1200], ld_initrd[1200], ld_job[1200], append[1024], smp[16];
	const char *argv[64];
	int pfd[2], n = 0;
	double deadline;
	pid_t pid;

	snprintf(mem, sizeof(mem), "%uM", QH_LINUX_RAM_MB);
	snprintf(ld_image, sizeof(ld_image), "loader,file=%s,addr=0x%llx,force-raw=on", image,
		 (unsigned long long)QH_LINUX_KERNEL_ADDR);
	snprintf(ld_initrd, sizeof(ld_initrd), "loader,file=%s,addr=0x%llx,force-raw=on", initrd,
		 (unsigned long long)QH_LINUX_INITRD_ADDR);
	snprintf(ld_job, sizeof(ld_job), "loader,file=%s,addr=0x%llx,force-raw=on", job,
		 (unsigned long long)QH_LINUX_JOB_ADDR);
	argv[n++] = qemu;
	/* highmem=off keeps PCI below the hypervisor's 39-bit stage 2; no
	 * random seeds in the tree, so boots (and recordings) repeat. */
	argv[n++] = "-M";
	argv[n++] = "virt,virtualization=on,iommu=smmuv3,gic-version=3,highmem=off,"
		    "dtb-randomness=off";
	argv[n++] = "-cpu";
	argv[n++] = "max";
	snprintf(smp, sizeof(smp), "%u", o->smp);
	argv[n++] = "-smp";
	argv[n++] = smp;
	argv[n++] = "-m";
	argv[n++] = mem;
	argv[n++] = "-nographic";
	argv[n++] = "-nodefaults";
	argv[n++] = "-serial";
	argv[n++] = "stdio";
	argv[n++] = "-monitor";
	argv[n++] = "none";
	argv[n++] = "-no-reboot";
	argv[n++] = "-semihosting-config";
	argv[n++] = "enable=on,target=native";
	argv[n++] = "-kernel";
	argv[n++] = hyp;
	argv[n++] = "-device";
	argv[n++] = ld_image;
	argv[n++] = "-device";
	argv[n++] = ld_initrd;
	argv[n++] = "-device";
	argv[n++] = ld_job;
	/* Hostile: more DMA (the guest reads more) while ownership changes. */
	snprintf(append, sizeof(append), "console=ttyAMA0 rdinit=/init panic=-1 nokaslr%s%s%s%s",
		 o->trace ? "" : " quiet", o->hostile_every != 0 ? " smmufuzz.more=16" : "",
		 o->append != NULL ? " " : "", o->append != NULL ? o->append : "");
	argv[n++] = "-append";
	argv[n++] = append;
	/* 00:01.0 translates through the SMMU (VIRTIO_F_ACCESS_PLATFORM);
	 * 00:02.0, legacy virtio, is in a group but QEMU's virtio DMA
	 * bypasses the IOMMU for it. */
	argv[n++] = "-device";
	argv[n++] = "virtio-rng-pci,romfile=,iommu_platform=on,disable-legacy=on";
	argv[n++] = "-device";
	argv[n++] = "virtio-rng-pci,romfile=";
	if (o->trace) {
		argv[n++] = "-trace";
		argv[n++] = "smmuv3_*";
	}
	argv[n] = NULL;
	if (pipe(pfd) != 0)
		die("pipe: %s", strerror(errno));
	fflush(NULL);
	r->out = malloc(OUT_CAP + 1);
	if (r->out == NULL)
		die("out of memory");
	r->out_len = 0;
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		close(pfd[1]);
		execvp(argv[0], (char *const *)argv);
		dprintf(1, QH_VERDICT_PREFIX "error: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	r->seconds = now_s();
	deadline = r->seconds + o->timeout_s;
	for (;;) {
		struct pollfd pf = { .fd = pfd[0], .events = POLLIN };
		int wait_ms = (int)((deadline - now_s()) * 1000.0);
		char sink[8192];
		ssize_t got;

		if (wait_ms <= 0) {
			r->timed_out = true;
			kill(pid, SIGKILL);
			break;
		}
		if (poll(&pf, 1, wait_ms) <= 0)
			continue;
		if (r->out_len < OUT_CAP)
			got = read(pfd[0], r->out + r->out_len, OUT_CAP - r->out_len);
		else
			got = read(pfd[0], sink, sizeof(sink));
		if (got <= 0)
			break;
		if (o->trace)
			fwrite(r->out_len < OUT_CAP ? r->out + r->out_len : sink, 1, (size_t)got,
			       stderr);
		if (r->out_len < OUT_CAP)
			r->out_len += (size_t)got;
	}
	close(pfd[0]);
	while (waitpid(pid, &r->status, 0) < 0 && errno == EINTR)
		;
	r->seconds = now_s() - r->seconds;
	r->out[r->out_len] = '\0';
}

/* ---- What it showed ------------------------------------------------------------------------- */

/* The text after @prefix on the last line that has it, or NULL. */
static const char *last_line(const char *out, const char *prefix, char *line, size_t cap)
{
	const char *p = out, *hit = NULL;

	while ((p = strstr(p, prefix)) != NULL) {
		hit = p + strlen(prefix);
		p++;
	}
	if (hit == NULL)
		return NULL;
	snprintf(line, cap, "%.*s", (int)strcspn(hit, "\r\n"), hit);
	return line;
}

static unsigned long stat_of(const char *stats, const char *key)
{
	const char *p = strstr(stats, key);

	return p != NULL ? strtoul(p + strlen(key), NULL, 0) : 0;
}

struct proof {
	unsigned rng_bytes, groups, smmu_events, failures;
	bool rng_through_smmu, done;
	bool hidden_seen, hidden_ok;	/* the driver's feature word; no S2, no HYP */
};

/* The driver's ARM_SMMU_FEAT_TRANS_S2 (bit 10) and ARM_SMMU_FEAT_HYP
 * (bit 12), in 6.1 and 6.12 alike: the emulation offers neither. */
#define LINUX_FEAT_S2_HYP	0x1400UL

/* Print the guest's lines and judge them: what issue 9 calls proof. */
static void guest_report(const char *out, struct proof *pf)
{
	const char *p = out;
	char through[64] = "";

	memset(pf, 0, sizeof(*pf));
	/* Which virtio device negotiated ACCESS_PLATFORM (the SMMU's). */
	while ((p = strstr(p, "smmufuzz-guest: virtio ")) != NULL) {
		char dev[32], pci[32];
		int bit;

		p += strlen("smmufuzz-guest: virtio ");
		if (sscanf(p, "%31s %31s %d", dev, pci, &bit) == 3 && bit == 1)
			snprintf(through, sizeof(through), "%s", dev);
	}
	for (p = out; (p = strstr(p, "smmufuzz-guest: ")) != NULL;) {
		const char *l0 = p + strlen("smmufuzz-guest: ");
		int len = (int)strcspn(l0, "\r\n");
		char a[64], b[128], l[512];

		p = l0 + len;
		/* One line at a time: a field missing is not the next line's. */
		snprintf(l, sizeof(l), "%.*s", len, l0);
		if (strncmp(l, "dmesg ", 6) == 0) {
			const char *feat = strstr(l, "(features 0x");

			printf("  driver: %.*s\n", len - 6, l + 6);
			if (feat != NULL) {
				pf->hidden_seen = true;
				pf->hidden_ok = (strtoul(feat + 10, NULL, 16) &
						 LINUX_FEAT_S2_HYP) == 0;
			}
			/* The driver's words for an event record, a global
			 * error, a command error or a timeout. */
			if (strstr(l, "event 0x") != NULL || strstr(l, "global error") != NULL ||
			    strstr(l, "CMDQ error") != NULL || strstr(l, "timeout") != NULL ||
			    strstr(l, "failed") != NULL)
				pf->smmu_events++;
		} else if (strncmp(l, "pci ", 4) == 0) {
			b[0] = '\0';
			if (sscanf(l + 4, "%63s group %127s", a, b) >= 1 && b[0] != '\0') {
				printf("  group:  %s -> iommu group %s\n", a, b);
				pf->groups++;
			}
		} else if (strncmp(l, "rng ", 4) == 0) {
			b[0] = '\0';
			if (sscanf(l + 4, "%63s %127s", a, b) == 2 && strcmp(b, "nothing") != 0) {
				unsigned idx = 0, vdev = 0;
				/* virtio-rng numbers its devices in probe order,
				 * as the virtio bus does: virtio_rng.N is virtioN. */
				bool smmu = sscanf(through, "virtio%u", &vdev) == 1 &&
					    sscanf(a, "virtio_rng.%u", &idx) == 1 && idx == vdev;

				printf("  rng:    %s gave %s%s\n", a, b,
				       smmu ? "  (DMA through the SMMU: iommu_platform)" : "");
				pf->rng_bytes += (unsigned)strlen(b) / 2U;
				pf->rng_through_smmu |= smmu;
			} else {
				printf("  rng:    %s gave nothing\n", a);
			}
		} else if (strncmp(l, "replugged ", 10) == 0) {
			printf("  replug: %s\n", l + 10);
		} else if (strncmp(l, "done", 4) == 0) {
			pf->done = true;
		}
	}
}

/* ---- The recording ---------------------------------------------------------------------- */

static void keep_record(const char *raw_path, const char *dest, const char *kernel_name,
			const char *how)
{
	struct buf b;
	char err[256];
	struct ops_header hdr;
	struct ops_diag diag;
	struct op *ops = malloc(16384U * sizeof(struct op));
	int n;

	if (ops == NULL)
		die("out of memory");
	if (!read_file(raw_path, &b, err, sizeof(err)))
		die("qemu-linux: the hypervisor wrote no recording: %s", err);
	n = ops_decode(b.data, b.len, true, &hdr, ops, 16384U, &diag);
	if (n < 0)
		die("qemu-linux: the recording is corrupt: %s", diag.msg);
	if ((unsigned)n > OPS_MAX_OPS)
		complain("qemu-linux: the recording has %d ops, more than a replay runs (%u): "
			 "the rest are cut when it is replayed", n, OPS_MAX_OPS);
	if (ends_with(dest, ".smfz") || ends_with(dest, ".bin")) {
		if (!write_file(dest, b.data, b.len, err, sizeof(err)))
			die("qemu-linux: %s", err);
	} else {
		size_t cap = (size_t)n * 160U + 4096U, len;
		char *text = malloc(cap);
		FILE *f;

		if (text == NULL)
			die("out of memory");
		len = ops_format_text(&hdr, ops, (size_t)n, false, text, cap);
		f = fopen(dest, "w");
		if (f == NULL)
			die("qemu-linux: cannot write %s: %s", dest, strerror(errno));
		fprintf(f, "# Recorded by `smmufuzz qemu-linux%s`:\n"
			"# what %s's arm-smmu-v3 driver did\n"
			"# under the smmufuzz hypervisor (probe, reset, two virtio-rng devices\n"
			"# attached, random bytes read through the SMMU, one device removed and\n"
			"# rescanned, shutdown): every trapped access, every ownership change,\n"
			"# what the core read from host memory as qpoke/l1/ste ops (CDs as cd\n"
			"# ops), moved into the op-stream layout; then the stage-1 tables the\n"
			"# driver left and a DMA probe of each page they map.\n", how, kernel_name);
		fwrite(text, 1, len < cap ? len : cap, f);
		if (fclose(f) != 0)
			die("qemu-linux: cannot write %s: %s", dest, strerror(errno));
		free(text);
	}
	free(b.data);
	free(ops);
}

/*
 * The recording replayed as a seed of fuzz_all on both builds (this
 * binary's qemu-replay --compare): the verdict and trace hash they agree
 * on, or the divergence.
 */
static bool replay_record(const char *raw, const char *image_dir)
{
	char cmd[4096], line[512], self[1024];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1U);
	bool agreed = false;
	FILE *p;

	if (n <= 0)
		die("qemu-linux: cannot find this program to replay the recording");
	self[n] = '\0';
	snprintf(cmd, sizeof(cmd),
		 "'%s' qemu-replay --compare --target fuzz_all --image '%s' '%s' 2>&1",
		 self, image_dir, raw);
	p = popen(cmd, "r");
	if (p == NULL)
		die("qemu-linux: cannot run %s", cmd);
	while (fgets(line, sizeof(line), p) != NULL) {
		const char *v = strncmp(line, raw, strlen(raw)) == 0 ? line + strlen(raw) + 2U
							       : NULL;

		if (v == NULL)
			continue;
		printf("  replay: host and EL2 builds, as a fuzz_all seed: %.*s\n",
		       (int)strcspn(v, "\n"), v);
		agreed = strstr(v, "DIFFERS") == NULL && strstr(v, "error") == NULL;
	}
	if (pclose(p) != 0 || !agreed) {
		printf("qemu-linux: FAILED: the recording does not replay alike on both builds\n");
		return false;
	}
	return true;
}

/* The options that shape a recording, as its header names them. */
static const char *record_how(const struct linux_opts *o, char *buf, size_t cap)
{
	size_t n = (size_t)snprintf(buf, cap, " --kernel %s", o->kernel);

	if (o->hostile_every != 0 && n < cap)
		n += (size_t)snprintf(buf + n, cap - n, " --hostile %u", o->hostile_every);
	if (o->smp > 1 && n < cap)
		n += (size_t)snprintf(buf + n, cap - n, " --smp %u", o->smp);
	if (o->append != NULL && n < cap)
		(void)snprintf(buf + n, cap - n, " --append '%s'", o->append);
	return buf;
}

/* ---- The command ------------------------------------------------------------------------- */

static void usage_die(const char *what)
{
	die("qemu-linux: %s (usage: qemu-linux [--kernel 6.1|6.12|DEB|IMAGE] [--record FILE] "
	    "[--hostile [N]] [--smp N] [--append ARGS] [--timeout S] [--trace] [--image DIR] "
	    "[--cache DIR])", what);
}

int cmd_qemu_linux(int argc, char **argv)
{
	struct linux_opts o = { .kernel = "6.1", .timeout_s = 120, .smp = 1 };
	char dir[1024], image[1200], hyp[1200], tmp[256], initrd[300], job_path[300], raw[300];
	char kname[256] = "", line[512], stats[512] = "", how[800];
	struct qh_linux job;
	struct linux_run r = { 0 };
	struct proof pf;
	const char *qemu, *verdict;
	long isz, ksz;
	int a;
	FILE *f;
	bool ok = true;

	o.cache = getenv("SMMUFUZZ_LINUX_CACHE");
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--kernel") == 0 && a + 1 < argc)
			o.kernel = argv[++a];
		else if (strcmp(argv[a], "--record") == 0 && a + 1 < argc)
			o.record = argv[++a];
		else if (strcmp(argv[a], "--image") == 0 && a + 1 < argc)
			o.image_dir = argv[++a];
		else if (strcmp(argv[a], "--cache") == 0 && a + 1 < argc)
			o.cache = argv[++a];
		else if (strcmp(argv[a], "--append") == 0 && a + 1 < argc)
			o.append = argv[++a];
		else if (strcmp(argv[a], "--smp") == 0 && a + 1 < argc)
			o.smp = (unsigned)parse_count("--smp", argv[++a]);
		else if (strcmp(argv[a], "--timeout") == 0 && a + 1 < argc)
			o.timeout_s = (unsigned)parse_count("--timeout", argv[++a]);
		else if (strcmp(argv[a], "--hostile") == 0) {
			o.hostile_every = 4;
			if (a + 1 < argc && argv[a + 1][0] >= '0' && argv[a + 1][0] <= '9')
				o.hostile_every = (unsigned)parse_count("--hostile", argv[++a]);
			if (o.hostile_every == 0)
				usage_die("--hostile takes a positive trap count");
		} else if (strcmp(argv[a], "--trace") == 0)
			o.trace = true;
		else {
			char what[300];

			snprintf(what, sizeof(what), "%s '%.200s'", argv[a][0] == '-' ?
				 "unknown option" : "unexpected argument", argv[a]);
			usage_die(what);
		}
	}
	if (o.timeout_s == 0)
		usage_die("--timeout must be positive");
	if (o.append != NULL && strlen(o.append) > 512U)
		usage_die("--append: at most 512 characters of kernel parameters");
	if (o.smp < 1 || o.smp > QH_LINUX_MAX_CPUS)
		usage_die("--smp takes 1 to 4 CPUs");
	qemu = qemu_binary();
	if (o.image_dir == NULL)
		o.image_dir = getenv("SMMUFUZZ_QEMU_IMAGE");
	if (o.image_dir == NULL) {
		static char def[1100];

		snprintf(def, sizeof(def), "%s/build/qemu/qemu-harness", source_dir());
		o.image_dir = def;
	}
	snprintf(hyp, sizeof(hyp), "%s/smmufuzz-hyp.elf", o.image_dir);
	if (!is_file(hyp))
		die("qemu-linux: no hypervisor image in %s (cmake --preset qemu && cmake --build "
		    "--preset qemu, or --image DIR)", o.image_dir);
	if (o.cache == NULL) {
		static char def[1100];

		snprintf(def, sizeof(def), "%s/build/linux", source_dir());
		o.cache = def;
	}
	if (o.record != NULL) {
		/* Said before a boot, not after it. */
		FILE *rf = fopen(o.record, "a");

		if (rf == NULL)
			die("qemu-linux: cannot write the recording to %s: %s", o.record,
			    strerror(errno));
		fclose(rf);
	}
	kernel_dir(&o, dir, sizeof(dir), image, sizeof(image));
	snprintf(line, sizeof(line), "%s/kernel.txt", dir);
	f = fopen(line, "r");
	if (f == NULL || fgets(kname, sizeof(kname), f) == NULL)
		snprintf(kname, sizeof(kname), "%s", image);
	kname[strcspn(kname, "\n")] = '\0';
	if (f != NULL)
		fclose(f);

	snprintf(tmp, sizeof(tmp), "%s/smmufuzz-linux.XXXXXX",
		 getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmp) == NULL)
		die("qemu-linux: cannot make a temporary directory: %s", strerror(errno));
	snprintf(initrd, sizeof(initrd), "%s/initramfs.cpio", tmp);
	snprintf(job_path, sizeof(job_path), "%s/job.bin", tmp);
	snprintf(raw, sizeof(raw), "%s/record.smfz", tmp);
	make_initramfs(dir, initrd);
	ksz = file_size(image);
	isz = file_size(initrd);
	if (ksz <= 0 || isz <= 0)
		die("qemu-linux: cannot read %s", ksz <= 0 ? image : initrd);
	memset(&job, 0, sizeof(job));
	job.magic = QH_LINUX_MAGIC;
	job.flags = (o.record != NULL ? QH_LINUX_RECORD : 0U) | (o.trace ? QH_JOB_VERBOSE : 0U) |
		    (o.hostile_every != 0 ? QH_LINUX_HOSTILE : 0U);
	job.hostile_every = o.hostile_every;
	job.kernel_size = (uint64_t)ksz;
	job.initrd_size = (uint64_t)isz;
	snprintf(job.record_path, sizeof(job.record_path), "%s", raw);
	{
		char err[256];

		if (!write_file(job_path, &job, sizeof(job), err, sizeof(err)))
			die("qemu-linux: %s", err);
	}

	printf("qemu-linux: %s under the smmufuzz hypervisor%s%s\n", kname,
	       o.smp > 1 ? (o.smp == 2 ? ", 2 CPUs" : o.smp == 3 ? ", 3 CPUs" : ", 4 CPUs") : "",
	       o.hostile_every != 0 ? " (hostile: ownership changes while it runs)" : "");
	fflush(stdout);
	run_qemu(qemu, &o, hyp, image, initrd, job_path, &r);
	guest_report(r.out, &pf);
	/* The hypervisor's line of counts, "traps=..." kept at its head. */
	memcpy(stats, "traps=", 6);
	if (last_line(r.out, QH_LINUX_PREFIX "traps=", stats + 6, sizeof(stats) - 6U) == NULL)
		stats[0] = '\0';
	if (stats[0] != '\0') {
		unsigned long own = 0, refused = 0;
		const char *o_at = strstr(stats, " own=");

		if (o_at != NULL)
			(void)sscanf(o_at, " own=%lu/%lu", &own, &refused);
		printf("  hypervisor: %lu SMMU accesses trapped and emulated, %lu SMCs passed to "
		       "PSCI, %lu ownership changes (%lu refused), SMMU events %lu, GERROR 0x%lx\n",
		       stat_of(stats, "traps="), stat_of(stats, "smc="), own, refused,
		       stat_of(stats, "events="), stat_of(stats, "gerror="));
		if (o.smp > 1) {
			const char *by = strstr(stats, "by-cpu=");

			printf("  concurrency: SMMU traps by CPU %.*s; %lu times a CPU found "
			       "a lock (the core's or the hypervisor's) held by another\n",
			       by != NULL ? (int)strcspn(by + 7, " ") : 1,
			       by != NULL ? by + 7 : "?", stat_of(stats, "contended="));
		}
	}
	verdict = last_line(r.out, QH_VERDICT_PREFIX, line, sizeof(line));
	printf("  time: %.1f s from QEMU's start to power-off\n", r.seconds);

	if (r.timed_out) {
		printf("qemu-linux: FAILED: no power-off within %u s (--timeout)\n", o.timeout_s);
		ok = false;
	} else if (verdict == NULL) {
		printf("qemu-linux: FAILED: QEMU ended (status %d) without a verdict\n",
		       WIFEXITED(r.status) ? WEXITSTATUS(r.status) : -1);
		ok = false;
	}
	if (ok && strncmp(verdict, "ok", 2) != 0) {
		printf("qemu-linux: FAILED: %s\n", verdict);
		ok = false;
	}
	if (ok && strstr(r.out, QH_LINUX_PREFIX "Linux ") != NULL) {
		printf("qemu-linux: FAILED: Linux touched memory that is not its own\n");
		ok = false;
	}
	if (ok && (!pf.hidden_seen || !pf.hidden_ok)) {
		printf("qemu-linux: FAILED: %s\n", !pf.hidden_seen ?
		       "the driver did not probe the SMMU" :
		       "the driver sees stage 2 or HYP, which the emulation must hide");
		ok = false;
	}
	if (ok && (!pf.done || pf.rng_bytes == 0 || !pf.rng_through_smmu || pf.groups < 2 ||
		   pf.smmu_events != 0 || stat_of(stats, "events=") != 0 ||
		   stat_of(stats, "gerror=") != 0)) {
		printf("qemu-linux: FAILED: %s\n", !pf.done ? "the guest's /init did not finish" :
		       pf.rng_bytes == 0 ? "no random bytes" :
		       !pf.rng_through_smmu ? "no random bytes through the SMMU" :
		       pf.groups < 2 ? "a device without an IOMMU group" :
		       "the SMMU reported an event or a global error");
		ok = false;
	}
	if (!ok && !o.trace) {
		/* The tail of the console says why. */
		const char *t = r.out_len > 3000 ? r.out + r.out_len - 3000 : r.out;

		fprintf(stderr, "--- console (end) ---\n%s\n---\n", t);
	}
	if (o.record != NULL && ok) {
		if (stat_of(stats, "unmapped=") != 0)
			complain("qemu-linux: %lu host reads or pointers had no place in the "
				 "op-stream layout: the recording misses them",
				 stat_of(stats, "unmapped="));
		if (strstr(stats, "+overflow") != NULL)
			die("qemu-linux: the recording overflowed the hypervisor's buffer");
		keep_record(raw, o.record, kname, record_how(&o, how, sizeof(how)));
		printf("  record: %s (%lu ops, stream hash %s)\n", o.record, stat_of(stats, "record="),
		       strstr(stats, "hash=") != NULL ? strstr(stats, "hash=") + 5 : "?");
		if (!replay_record(raw, o.image_dir))
			ok = false;
	}
	unlink(raw);
	unlink(initrd);
	unlink(job_path);
	rmdir(tmp);
	free(r.out);
	if (verdict != NULL) {
		const char *rj = strstr(verdict, " rejects=");

		printf("verdict: %.*s (%.*s rejections)\n", (int)strcspn(verdict, " "), verdict,
		       rj != NULL ? (int)strcspn(rj + 9, " ") : 1, rj != NULL ? rj + 9 : "?");
	} else {
		printf("verdict: none\n");
	}
	return ok ? 0 : EXIT_FINDING;
}
