// SPDX-License-Identifier: MIT
/*
 * The platform interface on the host: every plat_* call lands in the active
 * world. This is also where the platform-level oracles sit, because it is
 * the one place every memory and register access of the core passes:
 *   - the core may read host memory only from pages shared with it, and
 *     only once per location within one unit of input (double fetch): a
 *     trapped access, or within it one host command — where a command
 *     starts is seen here, from the shape of the read, never told by the
 *     code under test;
 *   - it may map only hypervisor-owned RAM and MMIO donated to it;
 *   - locks are never taken twice or released unheld, and host memory,
 *     SMMU registers and page states are touched only under the instance
 *     lock.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smmu/pgstate.h>
#include <smmu/plat.h>
#include <smmu/regs.h>
#include "world_priv.h"

#define HOST_TICKS_PER_US	1U
/* Virtual time one poll iteration takes: the core's 100 ms bound then ends
 * a wait on stuck hardware after 32 reads, which keeps such inputs cheap. */
#define HOST_RELAX_US		3125U

static inline struct world *w_now(void)
{
	struct world *w = world_current;

	if (__builtin_expect(w == NULL, 0)) {
		fprintf(stderr, "smmufuzz: plat_* called with no active world\n");
		abort();
	}
	return w;
}

/* A readable signature naming the core function that misbehaved. */
static _Noreturn void oracle(struct world *w, const char *what, const void *caller)
{
	char sig[160];
	Dl_info info;

	if (caller != NULL && dladdr(caller, &info) != 0 && info.dli_sname != NULL)
		snprintf(sig, sizeof(sig), "%s@%s", what, info.dli_sname);
	else
		snprintf(sig, sizeof(sig), "%s", what);
	world_stop(w, WORLD_STOP_ORACLE, sig);
}

void *plat_hyp_va(pa_t pa)
{
	struct world *w = w_now();
	uint64_t off = pa_val(pa) - WORLD_RAM_BASE;

	/* (RAM page states come first in w->pgs: world_pgs_slot, inline.) */
	if (off >= WORLD_RAM_SIZE || pgs_owner(w->pgs[off >> 12]) != PGS_OWNER_HYP)
		oracle(w, "hyp-maps-non-hyp-page", __builtin_return_address(0));
	return w->ram + off;
}

pa_t plat_hyp_pa(const void *va)
{
	struct world *w = w_now();
	const uint8_t *p = va;

	if (p < w->ram || p >= w->ram + WORLD_RAM_SIZE)
		oracle(w, "hyp-pa-of-foreign-pointer", __builtin_return_address(0));
	return pa_init(WORLD_RAM_BASE + (uint64_t)(p - w->ram));
}

uintptr_t plat_mmio_va(pa_t pa)
{
	return (uintptr_t)(pa_val(pa) + MMIO_VA_TAG);
}

void plat_dma_publish(const void *va, size_t len)
{
	struct world *w = w_now();

	world_publish(w, pa_val(plat_hyp_pa(va)), len);
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static void need_instance_lock(struct world *w, const char *what, const void *caller)
{
	if (w->instance_lock != NULL && !w->instance_lock->held)
		oracle(w, what, caller);
}

/* Bytes of the first level (L1 or linear) of a host stream table. */
static uint64_t strtab_first_level(const struct world_region *t)
{
	unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, t->cfg);
	unsigned split = (unsigned)FIELD_GET(STRTAB_CFG_SPLIT, t->cfg);

	if (FIELD_GET(STRTAB_CFG_FMT, t->cfg) != STRTAB_CFG_FMT_2LVL)
		return 64ULL << (log2 < 32U ? log2 : 32U);
	return log2 > split ? 8ULL << (log2 - split) : 8U;
}

/*
 * A 16-byte read of a 16-byte slot: a host command (nothing else the
 * hypervisor reads has that shape: STEs are 64 bytes, L1 descriptors 8,
 * table chunks pages), but for one: a two-descriptor L1 table read whole,
 * which only the table of the SMMU whose access this is can be (another
 * SMMU's table may lie over this one's queue). Seen here, whatever the
 * core believes its queue is.
 */
static bool is_command_fetch(const struct world *w, uint64_t pa, size_t len)
{
	unsigned i;

	if (len != 16 || (pa & 15U) != 0)
		return false;
	for (i = 0; i < WORLD_MAX_SMMU; i++) {
		const struct world_region *t = &w->host_strtab[i];

		if (w->step_smmu >= 0 && (unsigned)w->step_smmu != i)
			continue;
		if (t->bytes != 0 && FIELD_GET(STRTAB_CFG_FMT, t->cfg) == STRTAB_CFG_FMT_2LVL &&
		    strtab_first_level(t) == 16U && (t->base & ~15ULL) == pa)
			return false;
	}
	return true;
}

/*
 * An L1 read of a host stream table: the L2 tables its valid descriptors
 * name, noted as the hypervisor got them (the bytes a racing host changes
 * right after the read are not what the hypervisor acts on).
 */
static void note_l1_read(struct world *w, uint64_t pa, size_t len)
{
	unsigned i;
	uint64_t k;

	if (w->named_unit != w->unit) {
		w->named_unit = w->unit;
		w->named_count = 0;
		w->named_full = false;
	}
	for (i = 0; i < WORLD_MAX_SMMU; i++) {
		const struct world_region *t = &w->host_strtab[i];
		uint64_t first = strtab_first_level(t);

		if (t->bytes == 0 || FIELD_GET(STRTAB_CFG_FMT, t->cfg) != STRTAB_CFG_FMT_2LVL ||
		    !ranges_overlap(pa, len, t->base, first))
			continue;
		uint64_t lo = (pa > t->base ? pa : t->base) & ~7ULL;
		uint64_t hi = pa + len < t->base + first ? pa + len : t->base + first;
		const uint64_t *d = lo < hi ? (const uint64_t *)world_ram(w, lo, hi - lo) : NULL;

		for (k = 0; d != NULL && lo + k * 8U < hi; k++) {
			unsigned span = (unsigned)FIELD_GET(STRTAB_L1_SPAN, d[k]);

			if (span == 0 || span > 12U)
				continue;
			if (w->named_count == WORLD_NAMED_L2S) {
				w->named_full = true;
				return;
			}
			w->named[w->named_count].base = d[k] & STRTAB_L1_L2PTR_MASK;
			w->named[w->named_count++].bytes = 64ULL << (span - 1U);
		}
	}
}

/*
 * A second read of host bytes that is not a double fetch: the same L2
 * table named by two or more L1 descriptors of a host stream table (each
 * read serves a different descriptor's SIDs). Decided from the L1
 * descriptors as the hypervisor read them in this unit; from the host's
 * memory only when it read more than could be noted.
 */
static bool read_of_shared_l2(struct world *w, uint64_t pa, size_t len)
{
	unsigned i, named = 0;

	if (w->alias_step == w->step && w->alias_pa == pa && w->alias_len == len)
		return true;
	if (w->named_unit == w->unit && !w->named_full) {
		for (i = 0; i < w->named_count && named < 2; i++)
			if (ranges_overlap(pa, len, w->named[i].base, w->named[i].bytes))
				named++;
		if (named < 2)
			return false;
		w->alias_step = w->step;
		w->alias_pa = pa;
		w->alias_len = len;
		return true;
	}
	for (i = 0; i < WORLD_MAX_SMMU; i++) {
		const struct world_region *t = &w->host_strtab[i];
		unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, t->cfg);
		unsigned split = (unsigned)FIELD_GET(STRTAB_CFG_SPLIT, t->cfg);
		const uint64_t *l1;
		uint64_t k, n;

		named = 0;
		if (t->bytes == 0 || FIELD_GET(STRTAB_CFG_FMT, t->cfg) != STRTAB_CFG_FMT_2LVL ||
		    log2 <= split || log2 - split > 17U)
			continue;
		n = 1ULL << (log2 - split);
		l1 = (const uint64_t *)world_ram(w, t->base, n * 8U);
		for (k = 0; l1 != NULL && k < n && named < 2; k++) {
			unsigned span = (unsigned)FIELD_GET(STRTAB_L1_SPAN, l1[k]);
			uint64_t l2 = l1[k] & STRTAB_L1_L2PTR_MASK;

			/* Overlap, not containment: two slots may name one L2
			 * with different Spans (the host's own aliasing). */
			if (span != 0 && ranges_overlap(pa, len, l2, 64ULL << (span - 1U)))
				named++;
		}
		if (named >= 2) {
			w->alias_step = w->step;
			w->alias_pa = pa;
			w->alias_len = len;
			return true;
		}
	}
	return false;
}

/*
 * Whether any word of [off, off + len) (RAM offsets) is marked @epoch in
 * @seen (one entry per 2^@shift bytes); the pages none of whose words were,
 * as @page_epoch says, are skipped: most reads are first reads.
 */
static bool seen_in(const uint32_t *seen, const uint32_t *page_epoch, unsigned shift,
		    uint64_t off, size_t len, uint32_t epoch)
{
	uint64_t page, end = off + len;
	bool hit = false;

	for (page = off & ~(0x1000ULL - 1U); page < end && !hit; page += 0x1000ULL) {
		uint64_t lo = off > page ? off : page, hi = end < page + 0x1000ULL ? end : page + 0x1000ULL, k;

		if (page_epoch[page >> 12] != epoch)
			continue;
		for (k = lo >> shift; k <= (hi - 1U) >> shift; k++)
			hit |= seen[k] == epoch;
	}
	return hit;
}

static void check_fetch(struct world *w, uint64_t pa, size_t len, const void *caller)
{
	uint64_t off = pa - WORLD_RAM_BASE, k, n, page;
	bool command = is_command_fetch(w, pa, len), again;
	uint32_t *seen, step = w->step, unit;

	if (command) {
		if (w->cmd_seen[off >> 4] == step)
			oracle(w, "double-fetch", caller);
		w->cmd_seen[off >> 4] = step;
		w->cmd_page[off >> 12] = step;
		w->unit++;
		w->work.cmd_slots++;
	} else if (seen_in(w->cmd_seen, w->cmd_page, 4, off, len, step)) {
		/* Bytes fetched as a command may not be read as anything else. */
		oracle(w, "double-fetch", caller);
	}
	unit = w->unit;
	again = seen_in(w->word_seen, w->word_page, 3, off, len, unit);
	seen = &w->word_seen[off >> 3];
	n = ((off + len - 1) >> 3) - (off >> 3) + 1;
	for (k = 0; k < n; k++)
		seen[k] = unit;
	for (page = off & ~(0x1000ULL - 1U); page < off + len; page += 0x1000ULL)
		w->word_page[page >> 12] = unit;
	if (again && !read_of_shared_l2(w, pa, len))
		oracle(w, "double-fetch", caller);
	w->work.host_bytes += len;
}

int plat_host_copy_in(void *dst, pa_t src, size_t len)
{
	struct world *w = w_now();
	uint64_t pa = pa_val(src), p;
	const void *caller = __builtin_return_address(0);

	if (len == 0)
		return SMMU_OK;
	if (!world_is_ram(pa) || !world_is_ram(pa + len - 1))
		return SMMU_EPERM;
	need_instance_lock(w, "host-read-without-lock", caller);
	for (p = pa & ~0xFFFULL; p < pa + len; p += 0x1000)
		if (!pgs_is_shared(world_pgstate(w, p)))
			oracle(w, "hyp-reads-unshared-host-page", caller);
	check_fetch(w, pa, len, caller);
	memcpy(dst, w->ram + (pa - WORLD_RAM_BASE), len);
	note_l1_read(w, pa, len);
	/* The racing host strikes right after the hypervisor looked. */
	if (w->race_armed && ranges_overlap(pa, len, w->race_pa, w->race_size)) {
		memcpy(w->ram + (w->race_pa - WORLD_RAM_BASE), &w->race_value,
		       w->race_size);
		world_mark_dirty(w, w->race_pa, w->race_size);
		w->race_armed = false;
		w->work.raced = true;
	}
	return SMMU_OK;
}

/* The core may touch only SMMU registers that were donated to it. */
static inline struct hw_model *mmio_target(struct world *w, uintptr_t va,
					   uint32_t *off, const void *caller)
{
	uint64_t pa = (uint64_t)va - MMIO_VA_TAG;
	uint64_t rel = pa - WORLD_SMMU_BASE;
	uint32_t st;
	unsigned idx;

	if (pa < WORLD_MMIO_BASE || pa - WORLD_MMIO_BASE >= WORLD_MMIO_SIZE)
		oracle(w, "hyp-mmio-not-donated", caller);
	st = w->pgs[RAM_PAGES + ((pa - WORLD_MMIO_BASE) >> 12)];
	if ((st & PGS_HYP_MAPPED) == 0 || pgs_owner(st) != PGS_OWNER_HYP)
		oracle(w, "hyp-mmio-not-donated", caller);
	idx = (unsigned)(rel / WORLD_SMMU_STRIDE);
	/* Donated MMIO with no SMMU behind it (a device tree naming the
	 * wrong address, fuzz_boot): no device answers. */
	if (pa < WORLD_SMMU_BASE || idx >= w->cfg.smmu_count)
		return NULL;
	*off = (uint32_t)(rel % WORLD_SMMU_STRIDE);
	return &w->smmu[idx];
}

uint32_t plat_mmio_read32(uintptr_t va)
{
	struct world *w = w_now();
	uint32_t off;
	struct hw_model *m = mmio_target(w, va, &off, __builtin_return_address(0));

	return m != NULL ? hwm_read32(m, off) : 0;
}

void plat_mmio_write32(uintptr_t va, uint32_t val)
{
	struct world *w = w_now();
	uint32_t off;
	struct hw_model *m = mmio_target(w, va, &off, __builtin_return_address(0));

	need_instance_lock(w, "smmu-write-without-lock", __builtin_return_address(0));
	if (m != NULL) {
		w->hyp_wrote |= 1U << (unsigned)(m - w->smmu);
		hwm_write32(m, off, val);
	}
}

void plat_mmio_write64(uintptr_t va, uint64_t val)
{
	struct world *w = w_now();
	uint32_t off;
	struct hw_model *m = mmio_target(w, va, &off, __builtin_return_address(0));

	need_instance_lock(w, "smmu-write-without-lock", __builtin_return_address(0));
	if (m != NULL) {
		w->hyp_wrote |= 1U << (unsigned)(m - w->smmu);
		hwm_write64(m, off, val);
	}
}

void plat_wmb(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

uint32_t plat_pgstate_get(pa_t pa)
{
	return world_pgstate(w_now(), pa_val(pa));
}

int plat_pgstate_set(pa_t pa, uint32_t state)
{
	struct world *w = w_now();

	if (world_pgs_slot(pa_val(pa)) < 0)
		return SMMU_ERANGE;
	need_instance_lock(w, "page-state-change-without-lock", __builtin_return_address(0));
	world_set_pgstate(w, pa_val(pa), state);
	return SMMU_OK;
}

bool plat_pgstate_next(pa_t from, pa_t limit, pa_t *found)
{
	struct world *w = w_now();
	/* Tracked windows in address order: the MMIO window, then RAM. */
	static const struct { uint64_t base, size; uint32_t slot0; } win[2] = {
		{ WORLD_MMIO_BASE, WORLD_MMIO_SIZE, RAM_PAGES },
		{ WORLD_RAM_BASE, WORLD_RAM_SIZE, 0 },
	};
	unsigned k;

	for (k = 0; k < 2; k++) {
		uint64_t lo = pa_val(from) > win[k].base ? pa_val(from) : win[k].base;
		uint64_t hi = pa_val(limit) < win[k].base + win[k].size ?
			      pa_val(limit) : win[k].base + win[k].size;
		uint64_t p;

		for (p = lo & ~0xFFFULL; p < hi; p += 0x1000) {
			if (w->pgs[win[k].slot0 + ((p - win[k].base) >> 12)] != 0) {
				*found = pa_init(p);
				return true;
			}
		}
	}
	return false;
}

/* Virtual time: deterministic, and a stuck poll ends after a few iterations. */
uint64_t plat_ticks(void)
{
	return w_now()->vtime;
}

uint64_t plat_ticks_per_us(void)
{
	return HOST_TICKS_PER_US;
}

void plat_relax(void)
{
	w_now()->vtime += HOST_RELAX_US * HOST_TICKS_PER_US;
}

void plat_lock(struct plat_lock *lock)
{
	if (lock->held)
		oracle(w_now(), "lock-taken-twice", __builtin_return_address(0));
	lock->held = 1;
}

void plat_unlock(struct plat_lock *lock)
{
	if (!lock->held)
		oracle(w_now(), "lock-released-unheld", __builtin_return_address(0));
	lock->held = 0;
}

bool plat_lock_held(const struct plat_lock *lock)
{
	return lock->held != 0;
}

void plat_reject(const char *site)
{
	struct world *w = w_now();

	if (w->out.rejects++ == 0)
		snprintf(w->out.first_reject, sizeof(w->out.first_reject), "%s", site);
}

_Noreturn void plat_panic(enum smmu_panic_kind kind, const char *site)
{
	struct world *w = w_now();

	if (kind == SMMU_PANIC_REJECT && w->out.rejects++ == 0)
		snprintf(w->out.first_reject, sizeof(w->out.first_reject), "%s", site);
	world_stop(w, kind == SMMU_PANIC_REJECT ? WORLD_STOP_REJECT : WORLD_STOP_BUG,
		   site);
}
