/* SPDX-License-Identifier: MIT */
/*
 * The simulated machine of host builds: physical memory (hypervisor RAM,
 * host RAM, a tracked MMIO window with the SMMU models), the page-state map
 * the core keeps through plat_pgstate_*, the per-input reset, and the
 * platform-level oracles (double fetch, reads of unshared host memory,
 * hypervisor access to pages it does not own).
 *
 * One world is "active" per thread: the plat_* functions act on it.
 */
#ifndef SMMU_WORLD_H
#define SMMU_WORLD_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <smmu/plat.h>
#include "hwmodel.h"

/* Physical layout (identical on every build; see docs/op-stream.md). */
#define WORLD_RAM_BASE		0x40000000ULL
#define WORLD_RAM_SIZE		0x08000000ULL
#define WORLD_HYP_SIZE		0x04000000ULL	/* first half of RAM */
#define WORLD_POOL_BASE		0x42000000ULL
#define WORLD_POOL_PAGES	4096U
#define WORLD_HOST_BASE		0x44000000ULL
#define WORLD_HOST_SIZE		0x04000000ULL
#define WORLD_MMIO_BASE		0x08000000ULL
#define WORLD_MMIO_SIZE		0x08000000ULL
#define WORLD_SMMU_BASE		0x09050000ULL
#define WORLD_SMMU_STRIDE	0x20000ULL
#define WORLD_UART_BASE		0x09000000ULL
#define WORLD_MAX_SMMU		4U

/*
 * Edits to the device tree the world hands the hypervisor (fuzz_boot): the
 * description stays truthful about where RAM and the SMMUs are, but its
 * shape varies the way firmware's does, and it may be malformed.
 */
enum world_fdt_edit_kind {
	FDT_EDIT_NONE = 0,
	FDT_EDIT_SMMU_BASE,	/* SMMU node: reg base moved by (int32_t)value bytes */
	FDT_EDIT_SMMU_SIZE,	/* SMMU node: reg size = value */
	FDT_EDIT_SMMU_STATUS,	/* SMMU node: status (enum world_fdt_status) */
	FDT_EDIT_SMMU_COMPAT,	/* SMMU node: compatible (enum world_fdt_compat) */
	FDT_EDIT_SMMU_REG_LEN,	/* SMMU node: reg property cut to value % 17 bytes */
	FDT_EDIT_SMMU_DUP,	/* SMMU node: described twice */
	FDT_EDIT_MEM_SPLIT,	/* RAM as 1 + value % 8 reg entries of one node */
	FDT_EDIT_MEM_NODES,	/* RAM as 1 + value % 8 memory nodes */
	FDT_EDIT_MEM_STATUS,	/* memory node: status (enum world_fdt_status) */
	FDT_EDIT_MEM_EXTRA,	/* value % 16 more reg entries repeating a RAM page */
	FDT_EDIT_CELLS,		/* root #address-cells = value & 7, #size-cells = (value >> 4) & 7 */
	FDT_EDIT_BUS,		/* SMMUs under a bus node with cells as FDT_EDIT_CELLS */
	FDT_EDIT_DEPTH,		/* SMMU node nested value % 32 levels deep */
	FDT_EDIT_NODES,		/* (value % 512) * 16 empty nodes before the SMMUs */
	FDT_EDIT_POKE,		/* built blob: byte (value & 0xFFFF) = value >> 16 */
	FDT_EDIT_TRUNCATE,	/* blob handed over value % 4096 bytes short */
	FDT_EDIT_COUNT,
};

enum world_fdt_status {
	FDT_STATUS_OKAY = 0, FDT_STATUS_OK, FDT_STATUS_DISABLED, FDT_STATUS_GARBAGE,
	FDT_STATUS_EMPTY, FDT_STATUS_COUNT,
};

enum world_fdt_compat {
	FDT_COMPAT_PLAIN = 0,	/* "arm,smmu-v3" */
	FDT_COMPAT_SECOND,	/* "vendor,iommu", "arm,smmu-v3" */
	FDT_COMPAT_PREFIX,	/* "arm,smmu-v" */
	FDT_COMPAT_SUFFIX,	/* "arm,smmu-v3x" */
	FDT_COMPAT_UNTERMINATED,	/* "arm,smmu-v3" without its NUL */
	FDT_COMPAT_NONE,	/* no compatible property */
	FDT_COMPAT_COUNT,
};

struct world_fdt_edit {
	uint8_t kind;		/* enum world_fdt_edit_kind */
	uint8_t node;		/* SMMU index, where the edit names one */
	uint32_t value;
};

#define WORLD_FDT_EDITS	16U

struct world_config {
	unsigned smmu_count;
	const struct hwm_config *hw[WORLD_MAX_SMMU];
	struct world_fdt_edit fdt_edits[WORLD_FDT_EDITS];
	unsigned fdt_edit_count;
};

/* How an input ended inside a core call (longjmp value). */
enum world_stop {
	WORLD_RUNNING = 0,
	WORLD_STOP_REJECT = 1,	/* REJECT_FATAL: refused by design */
	WORLD_STOP_BUG = 2,	/* BUG_ON in the core */
	WORLD_STOP_ORACLE = 3,	/* a platform oracle fired */
};

struct world_outcome {
	uint32_t rejects;		/* plat_reject() calls */
	char first_reject[64];
	enum world_stop stop;
	char stop_site[160];		/* reject site, bug site or oracle signature */
};

struct world;

struct world *world_new(const struct world_config *cfg);
void world_free(struct world *w);
/* @w made as world_new(@cfg) would, its memory reused; false (and @w
 * untouched) for a configuration world_new would refuse. */
bool world_recycle(struct world *w, const struct world_config *cfg);

/* The world plat_* acts on (per thread). */
void world_activate(struct world *w);
struct world *world_active(void);

/* A flattened device tree describing this world; returns its size. */
size_t world_fdt(const struct world *w, void *buf, size_t cap);
/* How many edits shape that tree (0: the plain description). */
unsigned world_fdt_edits(const struct world *w);

/*
 * Whether the device tree describes SMMU @i as it is (after the edits);
 * and whether the oracles judge it: described, or driven by the hypervisor
 * (it wrote one of its registers, whatever a corrupted tree told it). An
 * SMMU firmware hides is the host's, and nothing the hypervisor could know
 * about, even when the host gives its page away or a wide window of
 * another SMMU covers it (corpus/regress/fuzz_boot/0025, 0026).
 */
bool world_smmu_described(const struct world *w, unsigned i);
bool world_smmu_audited(const struct world *w, unsigned i);

/* A number no other world, and no other configuration of this one, has
 * had: what tells two worlds at the same address apart. */
uint64_t world_epoch(const struct world *w);

/* Reset point: world_reset() returns RAM, page states and models to the
 * state of the last world_snapshot(), in time proportional to the pages
 * touched since. */
void world_snapshot(struct world *w);
void world_reset(struct world *w);
uint32_t world_touched_pages(const struct world *w);
/*
 * Which 256-byte chunks (WORLD_DIRTY_CHUNK) of the RAM page at @pa anything
 * wrote since the snapshot (bit n: bytes [n * 256, n * 256 + 256)): the
 * same record the reset restores from, so an oracle may judge only what
 * changed. Outside RAM: all set (nothing is known).
 */
#define WORLD_DIRTY_CHUNK	256U
uint16_t world_page_dirty(const struct world *w, uint64_t pa);
/* The 8-byte word at @pa (RAM, 8-aligned) as the snapshot has it; false
 * if no snapshot was taken yet. */
bool world_snapshot_u64(const struct world *w, uint64_t pa, uint64_t *v);

/* The host CPU's view: stores fault (return -1) on pages it does not own. */
int world_host_store(struct world *w, uint64_t pa, const void *src, size_t len);
int world_host_load(struct world *w, uint64_t pa, void *dst, size_t len);

/* Raw memory for oracles and tests; NULL outside backed RAM. */
uint8_t *world_ram(struct world *w, uint64_t pa, size_t len);
bool world_is_ram(uint64_t pa);
uint32_t world_pgstate(const struct world *w, uint64_t pa);
/* Overwrite a page state without the core (test setup only). */
void world_set_pgstate(struct world *w, uint64_t pa, uint32_t st);

unsigned world_smmu_count(const struct world *w);
struct hw_model *world_smmu(struct world *w, unsigned idx);
uint64_t world_smmu_base(unsigned idx);
/* Model @idx owning MMIO address @pa, or -1. */
int world_smmu_at(const struct world *w, uint64_t pa);

/* One trapped access or request: a new double-fetch scope and work count. */
void world_step_begin(struct world *w);
/* The step is a trapped access to SMMU @idx (the double-fetch oracle's
 * reads of its host tables); a step not so marked is a request. */
void world_step_smmu(struct world *w, unsigned idx);

/*
 * Where the host's stream table is, as the host last programmed it with
 * SMMUEN off (the harness tells the world from the host's own writes). The
 * double-fetch oracle uses it to see L2 tables shared by several L1
 * descriptors; the trap budget to size a whole-table read.
 */
struct world_region {
	uint64_t base;
	uint64_t bytes;
	uint32_t cfg;			/* stream table: STRTAB_BASE_CFG */
};
void world_host_strtab(struct world *w, unsigned smmu, uint64_t base, uint32_t cfg);
/* No host stream table is in force on @smmu (its enable was refused). */
void world_host_strtab_none(struct world *w, unsigned smmu);
const struct world_region *world_host_strtab_of(const struct world *w, unsigned smmu);

/* What the core did for the host in the current step (trap budget). */
struct world_work {
	uint64_t host_bytes;		/* host memory copied in */
	uint32_t cmd_slots;		/* host command slots fetched */
	bool raced;			/* a racing host changed memory (world_race_arm) */
};
const struct world_work *world_step_work(const struct world *w);

/* The lock every host copy-in, SMMU register write and page-state change
 * must be made under (the instance lock); NULL: not checked. */
void world_set_instance_lock(struct world *w, const struct plat_lock *lock);

/* Give the SMMU models a new configuration (same count or fewer than the
 * world was made with is not required: up to WORLD_MAX_SMMU), keeping their
 * observers: for worlds reused across inputs that describe their hardware. */
void world_reconfigure(struct world *w, const struct world_config *cfg);
/* A racing host: after the core's first read of [pa, pa + size) in a step,
 * the bytes change to @value. */
void world_race_arm(struct world *w, uint64_t pa, uint64_t value, unsigned size);

/* Outcome of the current input; cleared by world_outcome_reset(). */
struct world_outcome *world_outcome(struct world *w);
void world_outcome_reset(struct world *w);
/* Where plat_panic and the oracles jump; NULL makes them abort(). */
void world_set_jump(struct world *w, jmp_buf *jb);
/* Report a finding from an oracle outside the core (does not return). */
_Noreturn void world_stop(struct world *w, enum world_stop why, const char *site);

/*
 * Called when the core publishes (plat_dma_publish) a change to an 8-byte
 * word of hypervisor memory the SMMUs may read: the value it had when last
 * published, and the new one (break-before-make oracles). NULL: none.
 */
typedef void (*world_publish_fn)(struct world *w, uint64_t pa, uint64_t old,
				 uint64_t new);
void world_set_publish_hook(struct world *w, world_publish_fn fn);
/* Only watched pages are compared (the oracle watches live table pages);
 * a page watched from now on starts from what it holds now. */
void world_watch_page(struct world *w, uint64_t pa);

/* Start the models' bypass-window counts afresh (a take-over begins). */
void world_bypass_count_reset(struct world *w);

/* Observer hooks the harness may install on one model. */
void world_set_observer(struct world *w, unsigned idx, const struct hwm_observer *obs);

/* The pages whose state changed since the snapshot (this input), by index. */
uint32_t world_changed_count(const struct world *w);
uint64_t world_changed_pa(const struct world *w, uint32_t i);

#endif /* SMMU_WORLD_H */
