/* SPDX-License-Identifier: MIT */
/* The world's insides, shared by world.c and plat_host.c only. */
#ifndef SMMU_WORLD_PRIV_H
#define SMMU_WORLD_PRIV_H

#include "world.h"

#define RAM_PAGES	((uint32_t)(WORLD_RAM_SIZE >> 12))
#define MMIO_PAGES	((uint32_t)(WORLD_MMIO_SIZE >> 12))
#define PGS_SLOTS	(RAM_PAGES + MMIO_PAGES)
#define MMIO_VA_TAG	0x100000000000ULL	/* plat_mmio_va() = PA + tag */
#define CHUNK_SHIFT	8U			/* reset granularity: 256 bytes */
#define CHUNK_SIZE	(1U << CHUNK_SHIFT)

#define WORLD_NAMED_L2S	64U

struct world {
	struct world_config cfg;
	uint64_t epoch;			/* world_epoch() */
	bool snapshotted;		/* world_snapshot() was called */
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

	/*
	 * Double fetch, from the platform's own view: within one trapped
	 * access (a step) each host command slot is fetched once, and every
	 * fetch of a command starts a unit within which each host byte is
	 * read once. Epoch arrays over RAM: no log to overflow, no reset.
	 */
	uint32_t step;			/* epoch of cmd_seen */
	uint32_t unit;			/* epoch of word_seen */
	int step_smmu;			/* whose trapped access the step is, or -1 */
	uint32_t *cmd_seen;		/* per 16 bytes: step that read them */
	uint32_t *word_seen;		/* per 8 bytes: unit that read them */
	uint32_t *cmd_page;		/* per page: last step a command was fetched in it */
	uint32_t *word_page;		/* per page: last unit that read any of it */
	struct world_region host_strtab[WORLD_MAX_SMMU];
	struct world_region host_strtab_snap[WORLD_MAX_SMMU];
	/* SMMUs whose registers the hypervisor has written (a bit each): the
	 * ones it drives, whatever its tree said. */
	uint32_t hyp_wrote, hyp_wrote_snap;
	uint64_t alias_pa;		/* last L2 re-read found shared by L1 slots */
	uint64_t alias_len;
	uint32_t alias_step;
	/* The L2 tables the L1 descriptors the hypervisor read in unit
	 * named_unit named, as it read them (a racing host may change them
	 * right after); named_full: more than fit, judge by memory. */
	struct { uint64_t base, bytes; } named[WORLD_NAMED_L2S];
	uint32_t named_count, named_unit;
	bool named_full;
	struct world_work work;		/* of the current step */
	const struct plat_lock *instance_lock;
	/* RAM as last published to the SMMUs (lazily backed), and who wants
	 * to hear of changes to it. */
	uint8_t *published;
	uint8_t *watched;		/* per RAM page */
	world_publish_fn publish_hook;

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
/* The core published [pa, pa + len) to the SMMUs (plat_dma_publish). */
void world_publish(struct world *w, uint64_t pa, size_t len);
int world_pgs_slot(uint64_t pa);	/* index into pgs, or -1 */

#endif /* SMMU_WORLD_PRIV_H */
