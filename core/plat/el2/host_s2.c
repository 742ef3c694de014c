// SPDX-License-Identifier: MIT
/*
 * Page states and the host stage 2 they back (plat_pgstate_*). Every
 * tracked page (the core's RAM and the device window, el2.h) has a state
 * word; the host's stage 2 maps a tracked page exactly when the host owns
 * it, so a host access to anything it gave away, or to the SMMU's
 * donated registers, is a stage-2 fault the hypervisor sees. A change of
 * ownership rewrites the one leaf and invalidates the TLBs before the
 * change returns.
 *
 * Geometry: 4 KiB granule, 39-bit IPA, start level 1 (one table). The
 * tracked windows have level-3 tables, everything else 2 MiB or 1 GiB
 * blocks.
 */
#include <smmu/pgstate.h>
#include <smmu/plat.h>
#include "arch.h"
#include "el2.h"

#define S2_VALID	(1ULL << 0)
#define S2_TABLE	(1ULL << 1)	/* table at levels 0-2, page at level 3 */
#define S2_MEMATTR(a)	((uint64_t)(a) << 2)
#define S2_MEMATTR_DEV	0x1U		/* Device-nGnRE */
#define S2_MEMATTR_WB	0xFU		/* Normal, inner and outer write-back */
#define S2_AP_RW	(3ULL << 6)
#define S2_SH_IS	(3ULL << 8)
#define S2_AF		(1ULL << 10)
#define S2_XN		(2ULL << 53)	/* XN[1:0] = 0b10: never executable */
#define S2_OA_MASK	0x0000FFFFFFFFF000ULL

#define S2_NORMAL	(S2_MEMATTR(S2_MEMATTR_WB) | S2_AP_RW | S2_SH_IS | S2_AF)
#define S2_DEVICE	(S2_MEMATTR(S2_MEMATTR_DEV) | S2_AP_RW | S2_AF | S2_XN)

/*
 * VTCR_EL2: T0SZ = 25 (39-bit IPA), SL0 = 1 (start at level 1), table
 * walks inner/outer write-back inner shareable, TG0 = 4 KiB, PS = 40 bits,
 * bit 31 RES1.
 */
#define VTCR_T0SZ	25ULL
#define VTCR_SL0_L1	(1ULL << 6)
#define VTCR_IRGN_WB	(1ULL << 8)
#define VTCR_ORGN_WB	(1ULL << 10)
#define VTCR_SH_IS	(3ULL << 12)
#define VTCR_PS_40	(2ULL << 16)
#define VTCR_RES1	(1ULL << 31)

#define GIB		(1ULL << 30)
#define MIB2		(1ULL << 21)
#define TRACK_L3_MMIO	(EL2_MMIO_SIZE / MIB2)	/* level-3 tables of the window */
#define TRACK_L3_RAM	(EL2_RAM_MAX / MIB2)	/* and of the most RAM */

struct host_s2 {
	uint64_t l1[512];
	uint64_t l2_low[512];			/* [0, 1 GiB): the device space */
	uint64_t l2_ram[512];			/* [1 GiB, 2 GiB): RAM */
	uint64_t l3_mmio[TRACK_L3_MMIO][512];	/* the tracked device window */
	uint64_t l3_ram[TRACK_L3_RAM][512];	/* the core's RAM */
	/* The device window's pages, then RAM's. */
	uint32_t pgs[EL2_MMIO_PAGES + EL2_RAM_MAX_PAGES];
	uint64_t ram_size;			/* RAM the core manages */
};

_Static_assert(EL2_RAM_BASE + EL2_RAM_MAX <= 2 * (1ULL << 30), "RAM within l2_ram");

static struct host_s2 s2 __attribute__((aligned(4096)));

uint64_t el2_ram_size(void)
{
	return s2.ram_size;
}

/* The state slot of @pa, or -1 if the page is not tracked. */
static long pgs_slot(uint64_t pa)
{
	if (pa >= EL2_RAM_BASE && pa - EL2_RAM_BASE < s2.ram_size)
		return (long)(EL2_MMIO_PAGES + (pa - EL2_RAM_BASE) / EL2_PAGE);
	if (pa >= EL2_MMIO_BASE && pa - EL2_MMIO_BASE < EL2_MMIO_SIZE)
		return (long)((pa - EL2_MMIO_BASE) / EL2_PAGE);
	return -1;
}

/* The level-3 descriptor a tracked page gets in state @st. */
static uint64_t leaf_for(uint64_t pa, uint32_t st)
{
	bool ram = pa >= EL2_RAM_BASE;

	if (pgs_owner(st) != PGS_OWNER_HOST)
		return 0;
	return (pa & S2_OA_MASK) | S2_VALID | S2_TABLE | (ram ? S2_NORMAL : S2_DEVICE);
}

static uint64_t *leaf_slot(uint64_t pa)
{
	if (pa >= EL2_RAM_BASE) {
		uint64_t off = pa - EL2_RAM_BASE;

		return &s2.l3_ram[off / MIB2][(off % MIB2) / EL2_PAGE];
	}
	return &s2.l3_mmio[(pa - EL2_MMIO_BASE) / MIB2][((pa - EL2_MMIO_BASE) % MIB2) / EL2_PAGE];
}

static uint64_t table_desc(const void *t)
{
	return ((uint64_t)(uintptr_t)t & S2_OA_MASK) | S2_VALID | S2_TABLE;
}

void el2_host_s2_init(uint64_t ram_size, uint64_t extra_base, uint64_t extra_size,
		      uint64_t *vttbr, uint64_t *vtcr)
{
	uint64_t i, pa;

	s2.ram_size = ram_size < EL2_RAM_MAX ? ram_size & ~(MIB2 - 1U) : EL2_RAM_MAX;
	/* The hypervisor's part of RAM is its own from boot. */
	for (i = 0; i < EL2_HYP_SIZE / EL2_PAGE; i++)
		s2.pgs[pgs_slot(EL2_RAM_BASE + i * EL2_PAGE)] = PGS_OWNER_HYP;
	s2.l1[0] = table_desc(s2.l2_low);
	s2.l1[1] = table_desc(s2.l2_ram);
	/* Device space above 4 GiB up to 512 GiB (PCIe's high ECAM and
	 * windows): 1 GiB blocks. */
	for (i = 4; i < 512; i++)
		s2.l1[i] = (i * GIB) | S2_VALID | S2_DEVICE;
	for (i = 0; i < 512; i++) {
		pa = i * MIB2;
		if (pa >= EL2_MMIO_BASE && pa - EL2_MMIO_BASE < EL2_MMIO_SIZE)
			s2.l2_low[i] = table_desc(s2.l3_mmio[(pa - EL2_MMIO_BASE) / MIB2]);
		else
			s2.l2_low[i] = pa | S2_VALID | S2_DEVICE;
	}
	for (i = 0; i < 512; i++) {
		pa = GIB + i * MIB2;
		if (pa >= EL2_RAM_BASE && pa - EL2_RAM_BASE < s2.ram_size)
			s2.l2_ram[i] = table_desc(s2.l3_ram[(pa - EL2_RAM_BASE) / MIB2]);
		else if (pa >= extra_base && pa + MIB2 <= extra_base + extra_size)
			s2.l2_ram[i] = pa | S2_VALID | S2_NORMAL;
	}
	for (pa = EL2_RAM_BASE; pa < EL2_RAM_BASE + s2.ram_size; pa += EL2_PAGE)
		*leaf_slot(pa) = leaf_for(pa, s2.pgs[pgs_slot(pa)]);
	for (pa = EL2_MMIO_BASE; pa < EL2_MMIO_BASE + EL2_MMIO_SIZE; pa += EL2_PAGE)
		*leaf_slot(pa) = leaf_for(pa, s2.pgs[pgs_slot(pa)]);
	dsb_ishst();
	*vttbr = (uint64_t)(uintptr_t)s2.l1;	/* VMID 0 */
	*vtcr = VTCR_RES1 | VTCR_PS_40 | VTCR_SH_IS | VTCR_ORGN_WB | VTCR_IRGN_WB |
		VTCR_SL0_L1 | VTCR_T0SZ;
}

uint32_t plat_pgstate_get(pa_t pa)
{
	long slot = pgs_slot(pa_val(pa));

	return slot < 0 ? 0 : s2.pgs[slot];
}

int plat_pgstate_set(pa_t pa, uint32_t state)
{
	uint64_t page = pa_val(pa) & ~(EL2_PAGE - 1U);
	long slot = pgs_slot(page);
	uint64_t *leaf, want;

	if (slot < 0)
		return SMMU_ERANGE;
	s2.pgs[slot] = state;
	leaf = leaf_slot(page);
	want = leaf_for(page, state);
	if (*leaf == want)
		return SMMU_OK;
	/* Break before make is not needed: a leaf only ever goes between
	 * invalid and one valid value. The TLBs forget the old one before
	 * the change is reported done. */
	*leaf = want;
	dsb_ishst();
	__asm__ volatile("tlbi ipas2e1is, %0" : : "r"(page >> 12) : "memory");
	dsb_ish();
	__asm__ volatile("tlbi vmalle1is" : : : "memory");
	dsb_ish();
	isb();
	return SMMU_OK;
}

bool plat_pgstate_next(pa_t from, pa_t limit, pa_t *found)
{
	/* Tracked windows in address order: the device window, then RAM. */
	const struct { uint64_t base, size; } win[2] = {
		{ EL2_MMIO_BASE, EL2_MMIO_SIZE },
		{ EL2_RAM_BASE, s2.ram_size },
	};
	unsigned k;

	for (k = 0; k < 2; k++) {
		uint64_t lo = pa_val(from) > win[k].base ? pa_val(from) : win[k].base;
		uint64_t hi = pa_val(limit) < win[k].base + win[k].size ?
			      pa_val(limit) : win[k].base + win[k].size;
		uint64_t p;

		for (p = lo & ~(EL2_PAGE - 1U); p < hi; p += EL2_PAGE) {
			if (s2.pgs[pgs_slot(p)] != 0) {
				*found = pa_init(p);
				return true;
			}
		}
	}
	return false;
}
