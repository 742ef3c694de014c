// SPDX-License-Identifier: MIT
/*
 * The simulated machine: memory, page states, SMMU models, and the reset
 * that takes all of it back to a snapshot by undoing only what changed.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smmu/pgstate.h>
#include "world_priv.h"

#define PAGE 4096U

_Thread_local struct world *world_current;

void world_activate(struct world *w)
{
	world_current = w;
}

struct world *world_active(void)
{
	return world_current;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (p == NULL) {
		fprintf(stderr, "smmufuzz: out of memory (world)\n");
		exit(2);
	}
	return p;
}

bool world_is_ram(uint64_t pa)
{
	return pa >= WORLD_RAM_BASE && pa - WORLD_RAM_BASE < WORLD_RAM_SIZE;
}

int world_pgs_slot(uint64_t pa)
{
	if (world_is_ram(pa))
		return (int)((pa - WORLD_RAM_BASE) >> 12);
	if (pa >= WORLD_MMIO_BASE && pa - WORLD_MMIO_BASE < WORLD_MMIO_SIZE)
		return (int)(RAM_PAGES + ((pa - WORLD_MMIO_BASE) >> 12));
	return -1;
}

uint64_t world_smmu_base(unsigned idx)
{
	return WORLD_SMMU_BASE + (uint64_t)idx * WORLD_SMMU_STRIDE;
}

int world_smmu_at(const struct world *w, uint64_t pa)
{
	unsigned i;

	for (i = 0; i < w->cfg.smmu_count; i++) {
		uint64_t base = world_smmu_base(i);

		if (pa >= base && pa - base < WORLD_SMMU_STRIDE)
			return (int)i;
	}
	return -1;
}

static int mem_read(void *ctx, uint64_t pa, void *dst, size_t len)
{
	struct world *w = ctx;
	uint8_t *p = world_ram(w, pa, len);

	if (p == NULL)
		return -1;
	memcpy(dst, p, len);
	return 0;
}

static int mem_write(void *ctx, uint64_t pa, const void *src, size_t len)
{
	struct world *w = ctx;
	uint8_t *p = world_ram(w, pa, len);

	if (p == NULL)
		return -1;
	memcpy(p, src, len);
	world_mark_dirty(w, pa, len);
	return 0;
}

struct world *world_new(const struct world_config *cfg)
{
	struct world *w = xcalloc(1, sizeof(*w));
	struct hwm_mem mem = { w, mem_read, mem_write };
	uint32_t i;

	if (cfg->smmu_count == 0 || cfg->smmu_count > WORLD_MAX_SMMU) {
		free(w);
		return NULL;
	}
	w->cfg = *cfg;
	w->ram = xcalloc(WORLD_RAM_SIZE, 1);	/* untouched pages stay unbacked */
	w->pgs = xcalloc(PGS_SLOTS, sizeof(uint32_t));
	w->pgs_snap = xcalloc(PGS_SLOTS, sizeof(uint32_t));
	w->pgs_touched = xcalloc(PGS_SLOTS, 1);
	w->pgs_list = xcalloc(PGS_SLOTS, sizeof(uint32_t));
	w->page_dirty = xcalloc(RAM_PAGES, sizeof(uint16_t));
	w->dirty_list = xcalloc(RAM_PAGES, sizeof(uint32_t));
	w->snap_slot = xcalloc(RAM_PAGES, sizeof(uint32_t));
	/* The hypervisor's half of RAM is its own from boot. */
	for (i = 0; i < (uint32_t)(WORLD_HYP_SIZE / PAGE); i++)
		w->pgs[i] = PGS_OWNER_HYP;
	for (i = 0; i < cfg->smmu_count; i++)
		hwm_init(&w->smmu[i], cfg->hw[i], &mem, NULL);
	return w;
}

void world_free(struct world *w)
{
	if (w == NULL)
		return;
	if (world_current == w)
		world_current = NULL;
	free(w->ram);
	free(w->pgs);
	free(w->pgs_snap);
	free(w->pgs_touched);
	free(w->pgs_list);
	free(w->page_dirty);
	free(w->dirty_list);
	free(w->snap_slot);
	free(w->snap_pages);
	free(w);
}

void world_set_observer(struct world *w, unsigned idx, const struct hwm_observer *obs)
{
	if (idx < w->cfg.smmu_count)
		w->smmu[idx].obs = *obs;
}

uint32_t world_changed_count(const struct world *w)
{
	return w->pgs_count;
}

uint64_t world_changed_pa(const struct world *w, uint32_t i)
{
	uint32_t slot = w->pgs_list[i];

	return slot < RAM_PAGES ? WORLD_RAM_BASE + ((uint64_t)slot << 12)
				: WORLD_MMIO_BASE + ((uint64_t)(slot - RAM_PAGES) << 12);
}

/* "reg" with #address-cells = #size-cells = 2: two big-endian u64. */
static int fdt_reg(void *buf, uint64_t base, uint64_t size)
{
	fdt64_t cells[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	return fdt_property(buf, "reg", cells, sizeof(cells));
}

size_t world_fdt(const struct world *w, void *buf, size_t cap)
{
	char name[48];
	unsigned i;
	int err = 0;

	err |= fdt_create(buf, (int)cap);
	err |= fdt_finish_reservemap(buf);
	err |= fdt_begin_node(buf, "");
	err |= fdt_property_u32(buf, "#address-cells", 2);
	err |= fdt_property_u32(buf, "#size-cells", 2);
	err |= fdt_property_string(buf, "compatible", "smmufuzz,world");
	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)WORLD_RAM_BASE);
	err |= fdt_begin_node(buf, name);
	err |= fdt_property_string(buf, "device_type", "memory");
	err |= fdt_reg(buf, WORLD_RAM_BASE, WORLD_RAM_SIZE);
	err |= fdt_end_node(buf);
	snprintf(name, sizeof(name), "pl011@%llx", (unsigned long long)WORLD_UART_BASE);
	err |= fdt_begin_node(buf, name);
	err |= fdt_property_string(buf, "compatible", "arm,pl011");
	err |= fdt_reg(buf, WORLD_UART_BASE, 0x1000);
	err |= fdt_end_node(buf);
	for (i = 0; i < w->cfg.smmu_count; i++) {
		snprintf(name, sizeof(name), "smmuv3@%llx",
			 (unsigned long long)world_smmu_base(i));
		err |= fdt_begin_node(buf, name);
		err |= fdt_property_string(buf, "compatible", "arm,smmu-v3");
		err |= fdt_reg(buf, world_smmu_base(i), WORLD_SMMU_STRIDE);
		err |= fdt_property(buf, "dma-coherent", NULL, 0);
		err |= fdt_end_node(buf);
	}
	err |= fdt_end_node(buf);
	err |= fdt_finish(buf);
	return err != 0 ? 0 : fdt_totalsize(buf);
}

uint8_t *world_ram(struct world *w, uint64_t pa, size_t len)
{
	if (!world_is_ram(pa) || len > WORLD_RAM_SIZE ||
	    pa - WORLD_RAM_BASE > WORLD_RAM_SIZE - len)
		return NULL;
	return w->ram + (pa - WORLD_RAM_BASE);
}

void world_mark_dirty(struct world *w, uint64_t pa, size_t len)
{
	uint64_t c, first, last;

	if (len == 0 || !world_is_ram(pa))
		return;
	if (pa - WORLD_RAM_BASE > WORLD_RAM_SIZE - len)
		len = (size_t)(WORLD_RAM_SIZE - (pa - WORLD_RAM_BASE));
	first = (pa - WORLD_RAM_BASE) >> CHUNK_SHIFT;
	last = (pa - WORLD_RAM_BASE + len - 1) >> CHUNK_SHIFT;
	for (c = first; c <= last; c++) {
		uint32_t idx = (uint32_t)(c >> (12 - CHUNK_SHIFT));
		uint16_t bit = (uint16_t)(1U << (c & ((PAGE / CHUNK_SIZE) - 1)));

		if (w->page_dirty[idx] == 0)
			w->dirty_list[w->dirty_count++] = idx;
		w->page_dirty[idx] |= bit;
	}
}

uint32_t world_pgstate(const struct world *w, uint64_t pa)
{
	int slot = world_pgs_slot(pa);

	return slot < 0 ? 0 : w->pgs[slot];
}

void world_set_pgstate(struct world *w, uint64_t pa, uint32_t st)
{
	int slot = world_pgs_slot(pa);

	if (slot < 0)
		return;
	if (!w->pgs_touched[slot]) {
		w->pgs_touched[slot] = 1;
		w->pgs_snap[slot] = w->pgs[slot];
		w->pgs_list[w->pgs_count++] = (uint32_t)slot;
	}
	w->pgs[slot] = st;
}

/*
 * Save the pages written so far as the reset image. Pages never written
 * are zero, so only written pages need a copy.
 */
void world_snapshot(struct world *w)
{
	uint32_t i, n = 0;

	for (i = 0; i < w->dirty_count; i++)
		if (w->snap_slot[w->dirty_list[i]] == 0)
			n++;
	w->snap_pages = realloc(w->snap_pages, (size_t)(w->snap_count + n) * PAGE);
	if (w->snap_pages == NULL && w->snap_count + n != 0) {
		fprintf(stderr, "smmufuzz: out of memory (snapshot)\n");
		exit(2);
	}
	for (i = 0; i < w->dirty_count; i++) {
		uint32_t idx = w->dirty_list[i];

		if (w->snap_slot[idx] == 0)
			w->snap_slot[idx] = ++w->snap_count;
		memcpy(w->snap_pages + (size_t)(w->snap_slot[idx] - 1) * PAGE,
		       w->ram + (size_t)idx * PAGE, PAGE);
		w->page_dirty[idx] = 0;
	}
	w->dirty_count = 0;
	for (i = 0; i < w->pgs_count; i++)
		w->pgs_touched[w->pgs_list[i]] = 0;
	w->pgs_count = 0;
	memcpy(w->smmu_snap, w->smmu, sizeof(w->smmu));
}

void world_reset(struct world *w)
{
	uint32_t i;

	for (i = 0; i < w->dirty_count; i++) {
		uint32_t idx = w->dirty_list[i];
		uint16_t mask = w->page_dirty[idx];
		uint8_t *page = w->ram + (size_t)idx * PAGE;
		const uint8_t *saved = w->snap_slot[idx] == 0 ? NULL :
			w->snap_pages + (size_t)(w->snap_slot[idx] - 1) * PAGE;

		while (mask != 0) {
			unsigned c = (unsigned)__builtin_ctz(mask);

			if (saved != NULL)
				memcpy(page + c * CHUNK_SIZE, saved + c * CHUNK_SIZE, CHUNK_SIZE);
			else
				memset(page + c * CHUNK_SIZE, 0, CHUNK_SIZE);
			mask &= (uint16_t)(mask - 1);
		}
		w->page_dirty[idx] = 0;
	}
	w->dirty_count = 0;
	for (i = 0; i < w->pgs_count; i++) {
		uint32_t slot = w->pgs_list[i];

		w->pgs[slot] = w->pgs_snap[slot];
		w->pgs_touched[slot] = 0;
	}
	w->pgs_count = 0;
	for (i = 0; i < w->cfg.smmu_count; i++)
		hwm_restore(&w->smmu[i], &w->smmu_snap[i]);
	w->read_count = 0;
	w->race_armed = false;
	world_outcome_reset(w);
}

uint32_t world_touched_pages(const struct world *w)
{
	return w->dirty_count;
}

/* The host CPU may touch RAM it owns (shared pages included). */
static bool host_may_access(const struct world *w, uint64_t pa, size_t len)
{
	uint64_t p;

	if (len == 0 || !world_is_ram(pa) || !world_is_ram(pa + len - 1))
		return false;
	for (p = pa & ~(uint64_t)(PAGE - 1); p < pa + len; p += PAGE)
		if (pgs_owner(world_pgstate(w, p)) != PGS_OWNER_HOST)
			return false;
	return true;
}

int world_host_store(struct world *w, uint64_t pa, const void *src, size_t len)
{
	if (!host_may_access(w, pa, len))
		return -1;
	memcpy(w->ram + (pa - WORLD_RAM_BASE), src, len);
	world_mark_dirty(w, pa, len);
	return 0;
}

int world_host_load(struct world *w, uint64_t pa, void *dst, size_t len)
{
	if (!host_may_access(w, pa, len))
		return -1;
	memcpy(dst, w->ram + (pa - WORLD_RAM_BASE), len);
	return 0;
}

unsigned world_smmu_count(const struct world *w)
{
	return w->cfg.smmu_count;
}

struct hw_model *world_smmu(struct world *w, unsigned idx)
{
	return idx < w->cfg.smmu_count ? &w->smmu[idx] : NULL;
}

void world_step_begin(struct world *w)
{
	w->read_count = 0;
}

void world_race_arm(struct world *w, uint64_t pa, uint64_t value, unsigned size)
{
	w->race_armed = true;
	w->race_pa = pa;
	w->race_value = value;
	w->race_size = size > 8U ? 8U : size;
}

struct world_outcome *world_outcome(struct world *w)
{
	return &w->out;
}

void world_outcome_reset(struct world *w)
{
	memset(&w->out, 0, sizeof(w->out));
}

void world_set_jump(struct world *w, jmp_buf *jb)
{
	w->jump = jb;
}

_Noreturn void world_stop(struct world *w, enum world_stop why, const char *site)
{
	w->out.stop = why;
	snprintf(w->out.stop_site, sizeof(w->out.stop_site), "%s", site);
	if (w->jump == NULL) {
		fprintf(stderr, "smmufuzz: %s outside a harness: %s\n",
			why == WORLD_STOP_REJECT ? "fatal reject" : "finding", site);
		abort();
	}
	longjmp(*w->jump, (int)why);
}
