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
#include <smmu/regs.h>
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

/* Every world built or rebuilt gets a number never used before. */
static _Thread_local uint64_t world_epochs;

uint64_t world_epoch(const struct world *w)
{
	return w->epoch;
}

/* The state of a world before anything ran, given its allocations. */
static void world_start(struct world *w, const struct world_config *cfg)
{
	struct hwm_mem mem = { w, mem_read, mem_write };
	uint32_t i;

	w->cfg = *cfg;
	w->epoch = ++world_epochs;
	w->step_smmu = -1;
	/* The hypervisor's half of RAM is its own from boot. */
	for (i = 0; i < (uint32_t)(WORLD_HYP_SIZE / PAGE); i++)
		w->pgs[i] = PGS_OWNER_HYP;
	for (i = 0; i < cfg->smmu_count; i++)
		hwm_init(&w->smmu[i], cfg->hw[i], &mem, NULL);
}

struct world *world_new(const struct world_config *cfg)
{
	struct world *w;

	if (cfg->smmu_count == 0 || cfg->smmu_count > WORLD_MAX_SMMU)
		return NULL;
	w = xcalloc(1, sizeof(*w));
	w->ram = xcalloc(WORLD_RAM_SIZE, 1);	/* untouched pages stay unbacked */
	w->pgs = xcalloc(PGS_SLOTS, sizeof(uint32_t));
	w->pgs_snap = xcalloc(PGS_SLOTS, sizeof(uint32_t));
	w->pgs_touched = xcalloc(PGS_SLOTS, 1);
	w->pgs_list = xcalloc(PGS_SLOTS, sizeof(uint32_t));
	w->page_dirty = xcalloc(RAM_PAGES, sizeof(uint16_t));
	w->dirty_list = xcalloc(RAM_PAGES, sizeof(uint32_t));
	w->snap_slot = xcalloc(RAM_PAGES, sizeof(uint32_t));
	/* Touched only where the core reads host memory (lazily backed). */
	w->cmd_seen = xcalloc(WORLD_RAM_SIZE / 16, sizeof(uint32_t));
	w->word_seen = xcalloc(WORLD_RAM_SIZE / 8, sizeof(uint32_t));
	w->cmd_page = xcalloc(RAM_PAGES, sizeof(uint32_t));
	w->word_page = xcalloc(RAM_PAGES, sizeof(uint32_t));
	w->published = xcalloc(WORLD_RAM_SIZE, 1);
	w->watched = xcalloc(RAM_PAGES, 1);
	w->step = w->unit = 1;
	world_start(w, cfg);
	return w;
}

/*
 * @w as world_new(@cfg) would make it, keeping its allocations: a new
 * world costs the memory its predecessor wrote, not a fresh 128 MiB the
 * kernel zeroes page by page as it is touched. The RAM written is known
 * (the snapshot's pages and what was written since); page states are
 * rewritten whole; the double-fetch epochs just go on growing.
 */
bool world_recycle(struct world *w, const struct world_config *cfg)
{
	uint32_t i;

	if (cfg->smmu_count == 0 || cfg->smmu_count > WORLD_MAX_SMMU)
		return false;
	for (i = 0; i < RAM_PAGES; i++) {
		if (w->snap_slot[i] == 0 && w->page_dirty[i] == 0)
			continue;
		memset(w->ram + (size_t)i * PAGE, 0, PAGE);
		w->snap_slot[i] = 0;
		w->page_dirty[i] = 0;
	}
	w->dirty_count = 0;
	w->snap_count = 0;
	for (i = 0; i < w->pgs_count; i++)
		w->pgs_touched[w->pgs_list[i]] = 0;
	w->pgs_count = 0;
	memset(w->pgs, 0, PGS_SLOTS * sizeof(uint32_t));
	memset(w->watched, 0, RAM_PAGES);
	memset(w->smmu, 0, sizeof(w->smmu));
	memset(w->smmu_snap, 0, sizeof(w->smmu_snap));
	memset(w->host_strtab, 0, sizeof(w->host_strtab));
	memset(w->host_strtab_snap, 0, sizeof(w->host_strtab_snap));
	w->hyp_wrote = w->hyp_wrote_snap = 0;
	memset(&w->work, 0, sizeof(w->work));
	memset(&w->out, 0, sizeof(w->out));
	w->snapshotted = false;
	w->alias_step = 0;
	w->named_count = 0;
	w->named_unit = 0;
	w->named_full = false;
	w->instance_lock = NULL;
	w->publish_hook = NULL;
	w->race_armed = false;
	w->vtime = 0;
	w->jump = NULL;
	/* Epochs a new world has never seen: nothing counts as read yet. */
	world_step_begin(w);
	world_start(w, cfg);
	return true;
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
	free(w->cmd_seen);
	free(w->word_seen);
	free(w->cmd_page);
	free(w->word_page);
	free(w->published);
	free(w->watched);
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

/* ---- The device tree ---------------------------------------------------- */

/* How one node is described, after the edits (FDT_EDIT_*). */
struct fdt_shape {
	int64_t base_delta;
	bool size_set;
	uint64_t size;
	unsigned status;	/* enum world_fdt_status */
	unsigned compat;	/* enum world_fdt_compat */
	int reg_len;		/* -1: whole */
	bool dup;
	unsigned depth;
};

struct fdt_plan {
	struct fdt_shape smmu[WORLD_MAX_SMMU];
	unsigned mem_entries, mem_nodes, mem_status, mem_extra;
	unsigned ac, sc;		/* root cells */
	bool bus;
	unsigned bus_ac, bus_sc;
	unsigned filler;
	bool poke;
	uint32_t poke_at;
	uint8_t poke_val;
	uint32_t truncate;
};

static void fdt_plan(const struct world_config *cfg, struct fdt_plan *p)
{
	unsigned i;

	memset(p, 0, sizeof(*p));
	p->mem_entries = p->mem_nodes = 1;
	p->ac = p->sc = 2;
	for (i = 0; i < WORLD_MAX_SMMU; i++)
		p->smmu[i].reg_len = -1;
	for (i = 0; i < cfg->fdt_edit_count && i < WORLD_FDT_EDITS; i++) {
		const struct world_fdt_edit *e = &cfg->fdt_edits[i];
		struct fdt_shape *n = &p->smmu[e->node % WORLD_MAX_SMMU];
		uint32_t v = e->value;

		switch (e->kind) {
		case FDT_EDIT_SMMU_BASE: n->base_delta = (int32_t)v; break;
		case FDT_EDIT_SMMU_SIZE: n->size_set = true; n->size = v; break;
		case FDT_EDIT_SMMU_STATUS: n->status = v % FDT_STATUS_COUNT; break;
		case FDT_EDIT_SMMU_COMPAT: n->compat = v % FDT_COMPAT_COUNT; break;
		case FDT_EDIT_SMMU_REG_LEN: n->reg_len = (int)(v % 17U); break;
		case FDT_EDIT_SMMU_DUP: n->dup = true; break;
		case FDT_EDIT_MEM_SPLIT: p->mem_entries = 1U + v % 8U; break;
		case FDT_EDIT_MEM_NODES: p->mem_nodes = 1U + v % 8U; break;
		case FDT_EDIT_MEM_STATUS: p->mem_status = v % FDT_STATUS_COUNT; break;
		case FDT_EDIT_MEM_EXTRA: p->mem_extra = v % 16U; break;
		case FDT_EDIT_CELLS: p->ac = v & 7U; p->sc = (v >> 4) & 7U; break;
		case FDT_EDIT_BUS:
			p->bus = true;
			p->bus_ac = v & 7U;
			p->bus_sc = (v >> 4) & 7U;
			break;
		case FDT_EDIT_DEPTH: n->depth = v % 32U; break;
		case FDT_EDIT_NODES: p->filler = (v % 512U) * 16U; break;
		case FDT_EDIT_POKE:
			p->poke = true;
			p->poke_at = v & 0xFFFFU;
			p->poke_val = (uint8_t)(v >> 16);
			break;
		case FDT_EDIT_TRUNCATE: p->truncate = v % 4096U; break;
		default: break;
		}
	}
}

/* Cells as #address-cells/#size-cells say; malformed counts (0, 3+) are
 * written with 2 cells, which a careful parser refuses. */
static unsigned put_cells(uint8_t *out, uint64_t v, unsigned cells)
{
	unsigned n = cells == 1 ? 1 : 2, i;

	for (i = 0; i < n * 4; i++)
		out[i] = (uint8_t)(v >> (8 * (n * 4 - 1 - i)));
	return n * 4;
}

static int fdt_reg_entries(void *buf, const uint64_t *base, const uint64_t *size,
			   unsigned count, unsigned ac, unsigned sc, int cut)
{
	uint8_t cells[32 * 16];
	unsigned i, len = 0;

	for (i = 0; i < count && len + 16 <= sizeof(cells); i++) {
		len += put_cells(cells + len, base[i], ac);
		len += put_cells(cells + len, size[i], sc);
	}
	if (cut >= 0 && (unsigned)cut < len)
		len = (unsigned)cut;
	return fdt_property(buf, "reg", cells, (int)len);
}

static int fdt_status(void *buf, unsigned status)
{
	static const char *const text[FDT_STATUS_COUNT] = {
		"okay", "ok", "disabled", "okey", ""
	};

	return fdt_property(buf, "status", text[status],
			    (int)strlen(text[status]) + 1);
}

static int fdt_compat(void *buf, unsigned compat)
{
	static const char second[] = "vendor,iommu\0arm,smmu-v3";

	switch (compat) {
	case FDT_COMPAT_SECOND:
		return fdt_property(buf, "compatible", second, sizeof(second));
	case FDT_COMPAT_PREFIX:
		return fdt_property_string(buf, "compatible", "arm,smmu-v");
	case FDT_COMPAT_SUFFIX:
		return fdt_property_string(buf, "compatible", "arm,smmu-v3x");
	case FDT_COMPAT_UNTERMINATED:
		return fdt_property(buf, "compatible", "arm,smmu-v3", 11);
	case FDT_COMPAT_NONE:
		return 0;
	default:
		return fdt_property_string(buf, "compatible", "arm,smmu-v3");
	}
}

static int fdt_cells(void *buf, unsigned ac, unsigned sc)
{
	return fdt_property_u32(buf, "#address-cells", ac) |
	       fdt_property_u32(buf, "#size-cells", sc);
}

static int fdt_memory(void *buf, const struct fdt_plan *p)
{
	uint64_t base[32], size[32];
	uint64_t per_node = (WORLD_RAM_SIZE / p->mem_nodes) & ~0xFFFULL;
	char name[48];
	unsigned n, k, count;
	int err = 0;

	for (n = 0; n < p->mem_nodes; n++) {
		uint64_t nb = WORLD_RAM_BASE + n * per_node;
		uint64_t ns = n + 1 == p->mem_nodes ? WORLD_RAM_SIZE - n * per_node : per_node;
		uint64_t chunk = (ns / p->mem_entries) & ~0xFFFULL;

		for (k = 0; k < p->mem_entries; k++) {
			base[k] = nb + k * chunk;
			size[k] = k + 1 == p->mem_entries ? ns - k * chunk : chunk;
		}
		count = p->mem_entries;
		/* Truthful repeats of a RAM page, to overflow a parser's table. */
		for (k = 0; n == 0 && k < p->mem_extra && count < 32; k++, count++) {
			base[count] = WORLD_RAM_BASE;
			size[count] = 0x1000;
		}
		snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)nb);
		err |= fdt_begin_node(buf, name);
		err |= fdt_property_string(buf, "device_type", "memory");
		err |= fdt_reg_entries(buf, base, size, count, p->ac, p->sc, -1);
		if (p->mem_status != FDT_STATUS_OKAY)
			err |= fdt_status(buf, p->mem_status);
		err |= fdt_end_node(buf);
	}
	return err;
}

static int fdt_smmu(void *buf, unsigned i, const struct fdt_shape *n,
		    unsigned ac, unsigned sc)
{
	uint64_t base = world_smmu_base(i) + (uint64_t)n->base_delta;
	uint64_t size = n->size_set ? n->size : WORLD_SMMU_STRIDE;
	char name[48];
	unsigned d, copies = n->dup ? 2 : 1, c;
	int err = 0;

	for (d = 0; d < n->depth; d++) {
		snprintf(name, sizeof(name), "level%u", d);
		err |= fdt_begin_node(buf, name);
		err |= fdt_cells(buf, ac, sc);
	}
	for (c = 0; c < copies; c++) {
		snprintf(name, sizeof(name), "smmuv3@%llx%s", (unsigned long long)base,
			 c ? "-dup" : "");
		err |= fdt_begin_node(buf, name);
		err |= fdt_compat(buf, n->compat);
		err |= fdt_reg_entries(buf, &base, &size, 1, ac, sc, n->reg_len);
		err |= fdt_property(buf, "dma-coherent", NULL, 0);
		if (n->status != FDT_STATUS_OKAY)
			err |= fdt_status(buf, n->status);
		err |= fdt_end_node(buf);
	}
	for (d = 0; d < n->depth; d++)
		err |= fdt_end_node(buf);
	return err;
}

static bool cells_ok(unsigned ac, unsigned sc)
{
	return ac >= 1 && ac <= 2 && sc >= 1 && sc <= 2;
}

bool world_smmu_described(const struct world *w, unsigned i)
{
	struct fdt_plan p;
	const struct fdt_shape *n;

	if (i >= w->cfg.smmu_count)
		return false;
	fdt_plan(&w->cfg, &p);
	n = &p.smmu[i];
	/* A corrupted or cut blob may say anything about anything. */
	if (p.poke || p.truncate != 0 || !cells_ok(p.ac, p.sc) ||
	    (p.bus && !cells_ok(p.bus_ac, p.bus_sc)))
		return false;
	return (n->status == FDT_STATUS_OKAY || n->status == FDT_STATUS_OK) &&
	       (n->compat == FDT_COMPAT_PLAIN || n->compat == FDT_COMPAT_SECOND) &&
	       n->reg_len < 0 && n->base_delta == 0 && n->depth + (p.bus ? 1U : 0U) < 16U &&
	       (!n->size_set || n->size == WORLD_SMMU_STRIDE);
}

bool world_smmu_audited(const struct world *w, unsigned i)
{
	return world_smmu_described(w, i) ||
	       (i < WORLD_MAX_SMMU && (w->hyp_wrote & (1U << i)) != 0);
}

size_t world_fdt(const struct world *w, void *buf, size_t cap)
{
	struct fdt_plan p;
	char name[48];
	uint64_t uart[2] = { WORLD_UART_BASE, 0x1000 };
	unsigned i, ac, sc;
	size_t size;
	int err = 0;

	fdt_plan(&w->cfg, &p);
	err |= fdt_create(buf, (int)cap);
	err |= fdt_finish_reservemap(buf);
	err |= fdt_begin_node(buf, "");
	err |= fdt_cells(buf, p.ac, p.sc);
	err |= fdt_property_string(buf, "compatible", "smmufuzz,world");
	err |= fdt_memory(buf, &p);
	snprintf(name, sizeof(name), "pl011@%llx", (unsigned long long)WORLD_UART_BASE);
	err |= fdt_begin_node(buf, name);
	err |= fdt_property_string(buf, "compatible", "arm,pl011");
	err |= fdt_reg_entries(buf, &uart[0], &uart[1], 1, p.ac, p.sc, -1);
	err |= fdt_end_node(buf);
	for (i = 0; i < p.filler; i++) {
		snprintf(name, sizeof(name), "filler%u", i);
		err |= fdt_begin_node(buf, name);
		err |= fdt_end_node(buf);
	}
	ac = p.ac;
	sc = p.sc;
	if (p.bus) {
		err |= fdt_begin_node(buf, "soc");
		err |= fdt_property_string(buf, "compatible", "simple-bus");
		err |= fdt_cells(buf, p.bus_ac, p.bus_sc);
		ac = p.bus_ac;
		sc = p.bus_sc;
	}
	for (i = 0; i < w->cfg.smmu_count; i++)
		err |= fdt_smmu(buf, i, &p.smmu[i], ac, sc);
	if (p.bus)
		err |= fdt_end_node(buf);
	err |= fdt_end_node(buf);
	err |= fdt_finish(buf);
	if (err != 0)
		return 0;
	size = fdt_totalsize(buf);
	if (p.poke && p.poke_at < size)
		((uint8_t *)buf)[p.poke_at] = p.poke_val;
	return p.truncate < size ? size - p.truncate : 0;
}

unsigned world_fdt_edits(const struct world *w)
{
	return w->cfg.fdt_edit_count;
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
	uint64_t off, end, page;

	if (len == 0 || !world_is_ram(pa))
		return;
	off = pa - WORLD_RAM_BASE;
	end = off + len <= WORLD_RAM_SIZE ? off + len : WORLD_RAM_SIZE;
	/* A page at a time: the chunks of [off, end) in it as one mask. */
	for (page = off & ~(PAGE - 1U); page < end; page += PAGE) {
		uint64_t lo = off > page ? off : page;
		uint64_t hi = end < page + PAGE ? end : page + PAGE;
		unsigned c0 = (unsigned)((lo - page) >> CHUNK_SHIFT);
		unsigned c1 = (unsigned)((hi - 1U - page) >> CHUNK_SHIFT);
		uint16_t mask = (uint16_t)((0xFFFFU >> (15U - c1)) & (0xFFFFU << c0));
		uint32_t idx = (uint32_t)(page >> 12);

		if ((w->page_dirty[idx] & mask) == mask)
			continue;
		if (w->page_dirty[idx] == 0)
			w->dirty_list[w->dirty_count++] = idx;
		w->page_dirty[idx] |= mask;
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
	memcpy(w->host_strtab_snap, w->host_strtab, sizeof(w->host_strtab));
	w->hyp_wrote_snap = w->hyp_wrote;
	w->snapshotted = true;
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
			/* What the snapshot had published is what it held. */
			if (w->watched[idx])
				memcpy(w->published + (size_t)idx * PAGE + c * CHUNK_SIZE,
				       page + c * CHUNK_SIZE, CHUNK_SIZE);
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
	w->race_armed = false;
	memcpy(w->host_strtab, w->host_strtab_snap, sizeof(w->host_strtab));
	w->hyp_wrote = w->hyp_wrote_snap;
	world_outcome_reset(w);
}

uint16_t world_page_dirty(const struct world *w, uint64_t pa)
{
	_Static_assert(WORLD_DIRTY_CHUNK == CHUNK_SIZE, "one chunk size");
	if (!world_is_ram(pa))
		return 0xFFFFU;
	return w->page_dirty[(pa - WORLD_RAM_BASE) >> 12];
}

bool world_snapshot_u64(const struct world *w, uint64_t pa, uint64_t *v)
{
	uint64_t off = pa - WORLD_RAM_BASE;
	uint32_t slot;

	*v = 0;
	if (!w->snapshotted || !world_is_ram(pa) || (pa & 7U) != 0)
		return false;
	slot = w->snap_slot[off >> 12];
	/* A page the snapshot never saw written is zero in it. */
	if (slot != 0)
		memcpy(v, w->snap_pages + (size_t)(slot - 1U) * PAGE + (off & (PAGE - 1U)), 8);
	return true;
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
	const uint8_t *from = src;
	uint8_t *to;
	size_t done, n;

	if (!host_may_access(w, pa, len))
		return -1;
	to = w->ram + (pa - WORLD_RAM_BASE);
	if (len < CHUNK_SIZE) {
		memcpy(to, from, len);
		world_mark_dirty(w, pa, len);
		return 0;
	}
	/* A chunk a large store leaves as it was need not be restored: the
	 * host rewrites what it already holds (a new L2 of aborting STEs). */
	for (done = 0; done < len; done += n) {
		n = CHUNK_SIZE - ((pa + done) & (CHUNK_SIZE - 1U));
		if (n > len - done)
			n = len - done;
		if (memcmp(to + done, from + done, n) == 0)
			continue;
		memcpy(to + done, from + done, n);
		world_mark_dirty(w, pa + done, n);
	}
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
	/* Epochs only grow; on the rare wrap the arrays start afresh. */
	if (++w->step == 0 || w->unit >= UINT32_MAX - (1U << 24)) {
		memset(w->cmd_seen, 0, WORLD_RAM_SIZE / 16 * sizeof(uint32_t));
		memset(w->word_seen, 0, WORLD_RAM_SIZE / 8 * sizeof(uint32_t));
		memset(w->cmd_page, 0, RAM_PAGES * sizeof(uint32_t));
		memset(w->word_page, 0, RAM_PAGES * sizeof(uint32_t));
		w->step = w->unit = 1;
	}
	w->unit++;
	w->step_smmu = -1;
	memset(&w->work, 0, sizeof(w->work));
}

void world_step_smmu(struct world *w, unsigned idx)
{
	w->step_smmu = idx < WORLD_MAX_SMMU ? (int)idx : -1;
}

/*
 * The table is aligned to its size (its first level: the L1 table of a
 * 2-level table), 64 bytes at least: address bits below that are ignored
 * (IHI 0070 STRTAB_BASE.ADDR), so they are dropped here, as the SMMU would.
 */
void world_host_strtab(struct world *w, unsigned smmu, uint64_t base, uint32_t cfg)
{
	unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, cfg);
	unsigned split = (unsigned)FIELD_GET(STRTAB_CFG_SPLIT, cfg);
	uint64_t first;

	if (smmu >= WORLD_MAX_SMMU)
		return;
	if (FIELD_GET(STRTAB_CFG_FMT, cfg) == STRTAB_CFG_FMT_2LVL)
		first = log2 > split ? 8ULL << (log2 - split < 40U ? log2 - split : 40U) : 8U;
	else
		first = 64ULL << (log2 < 32U ? log2 : 32U);
	if (first < 64U)
		first = 64U;
	w->host_strtab[smmu].base = base & ~(first - 1U);
	w->host_strtab[smmu].bytes = 1;
	w->host_strtab[smmu].cfg = cfg;
}

void world_host_strtab_none(struct world *w, unsigned smmu)
{
	if (smmu < WORLD_MAX_SMMU)
		w->host_strtab[smmu].bytes = 0;
}

const struct world_region *world_host_strtab_of(const struct world *w, unsigned smmu)
{
	return &w->host_strtab[smmu % WORLD_MAX_SMMU];
}

const struct world_work *world_step_work(const struct world *w)
{
	return &w->work;
}

void world_set_publish_hook(struct world *w, world_publish_fn fn)
{
	w->publish_hook = fn;
}

void world_bypass_count_reset(struct world *w)
{
	unsigned i;

	for (i = 0; i < WORLD_MAX_SMMU; i++)
		w->smmu[i].bypass_opened = 0;
}

void world_watch_page(struct world *w, uint64_t pa)
{
	uint64_t page = (pa - WORLD_RAM_BASE) >> 12;

	if (!world_is_ram(pa) || w->watched[page])
		return;
	w->watched[page] = 1;
	memcpy(w->published + page * PAGE, w->ram + page * PAGE, PAGE);
}

void world_publish(struct world *w, uint64_t pa, size_t len)
{
	uint64_t off = pa - WORLD_RAM_BASE, k;

	if (len == 0 || off >= WORLD_RAM_SIZE || len > WORLD_RAM_SIZE - off) {
		world_mark_dirty(w, pa, len);
		return;
	}
	if (((off ^ (off + len - 1U)) >> CHUNK_SHIFT) == 0) {
		/* One chunk (a descriptor, an STE): the common case, inline. */
		uint32_t idx = (uint32_t)(off >> 12);
		uint16_t bit = (uint16_t)(1U << ((off >> CHUNK_SHIFT) & 15U));

		if ((w->page_dirty[idx] & bit) == 0) {
			if (w->page_dirty[idx] == 0)
				w->dirty_list[w->dirty_count++] = idx;
			w->page_dirty[idx] |= bit;
		}
		if (!w->watched[idx])
			return;
	} else {
		world_mark_dirty(w, pa, len);
	}
	if (w->publish_hook == NULL)
		return;
	/* Compare the words of watched pages; skip the others a page at a
	 * time. */
	for (k = off & ~7ULL; k < off + len; k += 8) {
		if (!w->watched[k >> 12]) {
			k |= 0xFF8ULL;	/* the rest of an unwatched page */
			continue;
		}
		uint64_t old, new;

		memcpy(&old, w->published + k, 8);
		memcpy(&new, w->ram + k, 8);
		if (old == new)
			continue;
		memcpy(w->published + k, &new, 8);
		w->publish_hook(w, WORLD_RAM_BASE + k, old, new);
	}
}

void world_set_instance_lock(struct world *w, const struct plat_lock *lock)
{
	w->instance_lock = lock;
}

void world_reconfigure(struct world *w, const struct world_config *cfg)
{
	struct hwm_mem mem = { w, mem_read, mem_write };
	unsigned i;

	if (cfg->smmu_count == 0 || cfg->smmu_count > WORLD_MAX_SMMU)
		return;
	w->epoch = ++world_epochs;
	w->cfg = *cfg;
	w->hyp_wrote = 0;
	for (i = 0; i < cfg->smmu_count; i++) {
		struct hwm_observer obs = w->smmu[i].obs;

		hwm_init(&w->smmu[i], cfg->hw[i], &mem, &obs);
	}
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
