// SPDX-License-Identifier: MIT
/*
 * Which memory the identity map must map as Normal: what the boot's device
 * tree told the hypervisor RAM is. The hypervisor knows RAM from nothing
 * else, so RAM the tree leaves out (a disabled memory node, a corrupted
 * device_type) is device memory to it, and correctly mapped as such. The
 * tree is read here from the blob the world handed over, by the devicetree
 * specification's rules (enabled nodes whose device_type is "memory",
 * their reg entries in the parent's cells), never from what the core kept.
 * A tree without edits describes the world's RAM exactly.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

#define FDT_BLOB_MAX	(1U << 20)
#define DEPTH_MAX	64

static bool prop_eq(const void *fdt, int node, const char *name, const char *want)
{
	int len = 0;
	const char *p = fdt_getprop(fdt, node, name, &len);

	return p != NULL && (size_t)len == strlen(want) + 1U && memcmp(p, want, (size_t)len) == 0;
}

static bool enabled(const void *fdt, int node)
{
	if (fdt_getprop(fdt, node, "status", NULL) == NULL)
		return true;
	return prop_eq(fdt, node, "status", "okay") || prop_eq(fdt, node, "status", "ok");
}

static uint32_t cells_of(const void *fdt, int node, const char *name, uint32_t dflt)
{
	int len = 0;
	const fdt32_t *p = node >= 0 ? fdt_getprop(fdt, node, name, &len) : NULL;

	return p != NULL && len == 4 ? fdt32_to_cpu(*p) : dflt;
}

static uint64_t cells_value(const fdt32_t *p, uint32_t n)
{
	uint64_t v = 0;
	uint32_t i;

	for (i = 0; i < n; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

static void add_range(struct oracle_world *o, uint64_t base, uint64_t size)
{
	if (size == 0 || base + size < base)
		return;
	if (o->dt_mem_count == ORACLE_DT_MEM_MAX) {
		o->dt_mem_overflow = true;
		return;
	}
	o->dt_mem[o->dt_mem_count].base = base;
	o->dt_mem[o->dt_mem_count++].end = base + size;
}

void oracle_learn_memory(struct oracle_world *o)
{
	int parents[DEPTH_MAX], node = 0, depth = 0;
	void *fdt;
	size_t size;

	o->dt_mem_known = false;
	o->dt_mem_count = 0;
	o->dt_mem_overflow = false;
	if (world_fdt_edits(o->w) == 0)
		return;		/* the plain tree: RAM as the world has it */
	fdt = malloc(FDT_BLOB_MAX);
	if (fdt == NULL)
		return;
	size = world_fdt(o->w, fdt, FDT_BLOB_MAX);
	if (size <= FDT_BLOB_MAX && fdt_check_header(fdt) == 0 &&
	    fdt_totalsize(fdt) <= size) {
		o->dt_mem_known = true;
		for (; node >= 0 && depth < DEPTH_MAX; node = fdt_next_node(fdt, node, &depth)) {
			int parent = depth > 0 ? parents[depth - 1] : -1, len = 0, k;
			uint32_t ac = cells_of(fdt, parent, "#address-cells", 2);
			uint32_t sc = cells_of(fdt, parent, "#size-cells", 1);
			const fdt32_t *reg;

			if (depth < 0)
				break;
			parents[depth] = node;
			if (!enabled(fdt, node) || !prop_eq(fdt, node, "device_type", "memory"))
				continue;
			reg = fdt_getprop(fdt, node, "reg", &len);
			if (reg == NULL || ac < 1 || ac > 2 || sc < 1 || sc > 2)
				continue;
			for (k = 0; (k + 1) * (int)(ac + sc) * 4 <= len; k++) {
				const fdt32_t *e = reg + (size_t)k * (ac + sc);

				add_range(o, cells_value(e, ac), cells_value(e + ac, sc));
			}
		}
	}
	free(fdt);
}

bool oracle_dt_normal_memory(const struct oracle_world *o, uint64_t pa)
{
	unsigned i;

	for (i = 0; i < o->dt_mem_count; i++)
		if (pa >= o->dt_mem[i].base && pa < o->dt_mem[i].end)
			return true;
	return false;
}

bool oracle_dt_memory_uniform(const struct oracle_world *o, uint64_t base, uint64_t size)
{
	unsigned i;

	for (i = 0; i < o->dt_mem_count; i++) {
		if (o->dt_mem[i].base > base && o->dt_mem[i].base < base + size)
			return false;
		if (o->dt_mem[i].end > base && o->dt_mem[i].end < base + size)
			return false;
	}
	return true;
}
