/* SPDX-License-Identifier: MIT */
/* The world's insides, shared by world.c and plat_host.c only. */
#ifndef SMMU_WORLD_PRIV_H
#define SMMU_WORLD_PRIV_H

#include "world.h"

#define RAM_PAGES	((uint32_t)(WORLD_RAM_SIZE >> 12))
#define MMIO_PAGES	((uint32_t)(WORLD_MMIO_SIZE >> 12))
#define PGS_SLOTS	(RAM_PAGES + MMIO_PAGES)
#define READ_LOG_MAX	64U
#define MMIO_VA_TAG	0x100000000000ULL	/* plat_mmio_va() = PA + tag */
#define CHUNK_SHIFT	8U			/* reset granularity: 256 bytes */
#define CHUNK_SIZE	(1U << CHUNK_SHIFT)

struct read_ent {
	uint64_t pa;
	uint32_t len;
};

struct world {
	struct world_config cfg;
	uint8_t *ram;			/* WORLD_RAM_SIZE bytes */

	/* Page states: RAM pages, then MMIO window pages. */
	uint32_t *pgs;
	uint32_t *pgs_snap;		/* value at snapshot, for touched slots */
	uint8_t *pgs_touched;
	uint32_t *pgs_list;
	uint32_t pgs_count;

	/* RAM written since the snapshot, in 256-byte chunks (a bit mask per
	 * page), the pages that have any, and the saved copies. */
	uint16_t *page_dirty;
	uint32_t *dirty_list;
	uint32_t dirty_count;
	uint32_t *snap_slot;		/* page -> 1 + index into snap_pages */
	uint8_t *snap_pages;
	uint32_t snap_count;

	struct hw_model smmu[WORLD_MAX_SMMU];
	struct hw_model smmu_snap[WORLD_MAX_SMMU];

	/* Double-fetch log of the current step. */
	struct read_ent reads[READ_LOG_MAX];
	uint32_t read_count;
	bool race_armed;
	uint64_t race_pa;
	uint64_t race_value;
	unsigned race_size;

	uint64_t vtime;
	struct world_outcome out;
	jmp_buf *jump;
};

/* The active world of this thread (world_activate). */
extern _Thread_local struct world *world_current;

void world_mark_dirty(struct world *w, uint64_t pa, size_t len);
int world_pgs_slot(uint64_t pa);	/* index into pgs, or -1 */

#endif /* SMMU_WORLD_PRIV_H */
