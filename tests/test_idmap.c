// SPDX-License-Identifier: MIT
/*
 * The identity stage-2 table (iopt.c) and the IOMMU's mirror of host
 * ownership (idmap.c): the table's geometry against the VMSAv8-64 stage-2
 * rules for every input size, page and block mappings and their splits,
 * the snapshot taken at init, unmapping plus TLB invalidation when a page
 * leaves the host (seen through the hardware model's TLB and its command
 * stream), mapping when it comes back, MMIO donation inside a block, the
 * rollback when an invalidation cannot finish, and every identity-map
 * oracle clause firing when its rule is broken behind the core's back.
 */
#include "fixture.h"
#include "oracle.h"
#include "priv.h"

#define MiB		0x100000ULL
#define GiB		0x40000000ULL
#define PAGE		0x1000ULL

/* Host RAM clear of the fixture's queues and tables. */
#define RAM_PAGE	(WORLD_HOST_BASE + 0x700000ULL)
#define HYP_PAGE	(WORLD_RAM_BASE + 0x1000ULL)
#define DEV_BLOCK	0x0A000000ULL	/* a 2 MiB block of the MMIO window without an SMMU */
#define DEV_PAGE	(DEV_BLOCK + 0x1000ULL)
#define UNTRACKED_DEV	0x80000000ULL	/* device space outside the tracked window */

/* Host structures for the streams the DMA probes use. */
#define SID_BYPASS	1U
#define SID_S1		2U
#define HOST_L2		(WORLD_HOST_BASE + 0x100000ULL)	/* 16 KiB: STEs 0..255 */
#define HOST_CD		(WORLD_HOST_BASE + 0x400000ULL)
#define HOST_S1_PT	(WORLD_HOST_BASE + 0x401000ULL)

/*
 * VMSAv8-64 stage-2 descriptor fields (4 KiB granule) and the STE's
 * stage-2 fields, restated from the Arm ARM and IHI 0070 rather than taken
 * from regs.h, so that a wrong mask there cannot hide a wrong table.
 */
#define D_VALID(d)	((d) & 1U)
#define D_TYPE(d)	(((d) >> 1) & 1U)	/* table (L0-2) or page (L3) */
#define D_MEMATTR(d)	(((d) >> 2) & 0xFU)
#define D_S2AP(d)	(((d) >> 6) & 3U)
#define D_AF(d)		(((d) >> 10) & 1U)
#define D_OA(d)		((d) & 0x0000FFFFFFFFF000ULL)
#define MEMATTR_NORMAL_WB	0xFU	/* outer and inner write-back */
#define MEMATTR_NORMAL_NC	0x5U
#define MEMATTR_DEVICE		0x1U	/* Device-nGnRE */
#define S2AP_READ	1U
#define S2AP_RW		3U

#define V_T0SZ(w)	((unsigned)(((w) >> 32) & 0x3FU))
#define V_SL0(w)	((unsigned)(((w) >> 38) & 3U))
#define V_IR0(w)	((unsigned)(((w) >> 40) & 3U))
#define V_OR0(w)	((unsigned)(((w) >> 42) & 3U))
#define V_SH0(w)	((unsigned)(((w) >> 44) & 3U))
#define V_TG(w)		((unsigned)(((w) >> 46) & 3U))
#define V_PS(w)		((unsigned)(((w) >> 48) & 7U))
#define V_AA64(w)	((unsigned)(((w) >> 51) & 1U))
#define V_VMID(w)	((unsigned)((w) & 0xFFFFU))
#define TTB(w3)		((w3) & 0x000FFFFFFFFFFFF0ULL)

/* Address bits of each IDR5.OAS / S2PS encoding (IHI 0070). */
static const unsigned ps_bits[] = { 32, 36, 40, 42, 44, 48 };

static unsigned level_shift(unsigned level)
{
	return 12U + 9U * (3U - level);
}

/* ---- An independent walk of the live table ----------------------------- */

struct s2_pos {
	uint64_t *slot;		/* the descriptor the walk ended on, or NULL */
	unsigned level;
	uint64_t table;		/* PA of the table holding it */
	uint64_t *parent;	/* the table descriptor that led there, or NULL */
};

/*
 * Walk @ipa from the root the STE words name, reading descriptors from the
 * world's RAM as the SMMU would. The walk ends on the first descriptor that
 * is not a table; slot is NULL beyond the input size.
 */
static struct s2_pos s2_find(struct fx *f, uint64_t ipa)
{
	struct s2_pos p = { NULL, 0, 0, NULL };
	uint64_t dw2, dw3, table;
	unsigned ias, level;
	bool first = true;

	smmu_stage2_words(&f->hyp, &dw2, &dw3);
	ias = 64U - V_T0SZ(dw2);
	level = 2U - V_SL0(dw2);
	table = TTB(dw3);
	if (V_SL0(dw2) == 3U || ias > 48U || ias <= level_shift(level)) {
		CHECK_FAIL("no walk with T0SZ %u SL0 %u", V_T0SZ(dw2), V_SL0(dw2));
		return p;
	}
	if ((ipa >> ias) != 0)
		return p;
	for (;;) {
		unsigned shift = level_shift(level);
		/* The start level resolves every bit left, across the
		 * concatenated tables; the others 9 bits each. */
		unsigned width = first ? ias - shift : 9U;
		uint64_t idx = (ipa >> shift) & ((1ULL << width) - 1U);
		uint64_t d;

		p.slot = (uint64_t *)world_ram(f->w, table + idx * 8U, 8);
		p.level = level;
		p.table = table;
		if (p.slot == NULL) {
			CHECK_FAIL("walk of 0x%" PRIx64 " left RAM at 0x%" PRIx64, ipa, table);
			return p;
		}
		d = *p.slot;
		if (!D_VALID(d) || level == 3U || !D_TYPE(d))
			return p;
		p.parent = p.slot;
		table = D_OA(d);
		level++;
		first = false;
	}
}

/* The leaf descriptor that translates @ipa, or 0; *level is its level. */
static uint64_t s2_leaf(struct fx *f, uint64_t ipa, unsigned *level)
{
	struct s2_pos p = s2_find(f, ipa);
	uint64_t d;

	if (p.slot == NULL)
		return 0;
	d = *p.slot;
	/* Invalid encodings translate nothing: a page descriptor without its
	 * type bit, a block at level 0. */
	if (!D_VALID(d) || (p.level == 3U && !D_TYPE(d)) || p.level == 0U)
		return 0;
	*level = p.level;
	return d;
}

enum kind {
	KIND_NONE,		/* nothing translates the address */
	KIND_MEMORY,		/* itself, read-write, normal write-back */
	KIND_DEVICE,		/* itself, read-write, Device-nGnRE */
	KIND_WRONG,		/* translated, but not as either of those */
};

static const char *const kind_names[] = { "unmapped", "memory", "device", "wrong" };

static enum kind kind_of(struct fx *f, uint64_t pa, unsigned *level, uint64_t *desc)
{
	uint64_t d = s2_leaf(f, pa, level), size;

	*desc = d;
	if (d == 0)
		return KIND_NONE;
	size = 1ULL << level_shift(*level);
	if (D_OA(d) != (pa & ~(size - 1U)) || D_S2AP(d) != S2AP_RW || !D_AF(d))
		return KIND_WRONG;
	if (D_MEMATTR(d) == MEMATTR_NORMAL_WB)
		return KIND_MEMORY;
	if (D_MEMATTR(d) == MEMATTR_DEVICE)
		return KIND_DEVICE;
	return KIND_WRONG;
}

#define ANY_LEVEL	9U

static void expect_kind(struct fx *f, uint64_t pa, enum kind want, unsigned want_level,
			int line)
{
	unsigned level = ANY_LEVEL;
	uint64_t d;
	enum kind got = kind_of(f, pa, &level, &d);

	if (got != want)
		CHECK_FAIL("line %d: 0x%" PRIx64 " is %s (desc 0x%" PRIx64
			   " at level %u), expected %s", line, pa, kind_names[got], d,
			   level, kind_names[want]);
	else if (want != KIND_NONE && want_level != ANY_LEVEL && level != want_level)
		CHECK_FAIL("line %d: 0x%" PRIx64 " mapped at level %u, expected level %u",
			   line, pa, level, want_level);
}

/* RAM is mapped with pages only, never blocks. */
#define EXPECT_MEMORY(f, pa)		expect_kind(f, pa, KIND_MEMORY, 3U, __LINE__)
#define EXPECT_DEVICE(f, pa, level)	expect_kind(f, pa, KIND_DEVICE, level, __LINE__)
#define EXPECT_UNMAPPED(f, pa)		expect_kind(f, pa, KIND_NONE, ANY_LEVEL, __LINE__)

/* ---- Setting up ------------------------------------------------------------ */

/* A world with nothing booted: a bare table is built on a fresh pool. */
static void bare_world(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	f->w = fx_world("qemu-virt", 1);
	world_activate(f->w);
}

static int bare_table(struct fx *f, unsigned ias, uint32_t pool_pages)
{
	memset(&f->hyp, 0, sizeof(f->hyp));
	EXPECT_EQ(pool_init(&f->hyp.pool, pa_init(WORLD_POOL_BASE), pool_pages), 0);
	return iopt_init(&f->hyp, ias);
}

/* Boot on @w after giving @n pages the states in @pre ({ address, state }
 * pairs) for the snapshot to find. */
static void boot_on(struct fx *f, struct world *w, const uint64_t (*pre)[2], unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		world_set_pgstate(w, pre[i][0], (uint32_t)pre[i][1]);
	fx_boot_world(f, w);
	if (f->boot_err)
		CHECK_FAIL("boot failed: %d", f->boot_err);
}

static void boot_profile(struct fx *f, const char *hw)
{
	fx_boot_hw(f, hw, 1);
	if (f->boot_err)
		CHECK_FAIL("%s: boot failed: %d", hw, f->boot_err);
}

/* Tell the oracle about this boot, with the root the hypervisor says its
 * stage 2 has (the oracle checks the claim, and the tree under it). */
static void oracle_on(struct fx *f)
{
	uint64_t dw2, dw3;

	smmu_stage2_words(&f->hyp, &dw2, &dw3);
	EXPECT_EQ(FX_EXPECT_STOP(f, oracle_world_init(f->w, dw3 & STE3_S2TTB_MASK)),
		  WORLD_RUNNING);
}

static int req(struct fx *f, enum smmu_host_req r, uint64_t pa)
{
	world_step_begin(f->w);
	return smmu_host_request(&f->hyp, r, pa_init(pa));
}

/* Where the host keeps STE @sid: SIDs below 256 share L1 descriptor 0. */
static uint64_t host_ste_pa(struct fx *f, uint32_t sid)
{
	uint64_t desc = HOST_L2 | FIELD_PREP(STRTAB_L1_SPAN, STRTAB_SPLIT_LINUX + 1U);

	if (FIELD_GET(IDR0_ST_LVL, fx_rd(f, SMMU_IDR0)) != IDR0_ST_LVL_2LVL)
		return FX_STRTAB + (uint64_t)sid * STRTAB_STE_SIZE;
	EXPECT_EQ(world_host_store(f->w, FX_STRTAB, &desc, sizeof(desc)), 0);
	return HOST_L2 + (uint64_t)sid * STRTAB_STE_SIZE;
}

/*
 * Stream SID_S1 with a host stage 1 of one 1 GiB block that maps
 * [1 GiB, 2 GiB) to itself; the core nests it over the identity map.
 */
static void host_stage1(struct fx *f)
{
	uint64_t ste[8] = { STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_S1_TRANS) |
			    (HOST_CD & STE0_S1CTXPTR_MASK) };
	uint64_t cd[8] = { 0 };
	uint64_t block = GiB | PTE_AF | PTE_VALID;	/* level-1 block, read-write */
	unsigned ips = (unsigned)FIELD_GET(IDR5_OAS, fx_rd(f, SMMU_IDR5));

	/* 39-bit VA: the walk starts at level 1, index = VA[38:30]. */
	cd[0] = FIELD_PREP(CD0_T0SZ, 25) | CD0_V | CD0_AA64 | FIELD_PREP(CD0_IPS, ips) |
		FIELD_PREP(CD0_ASID, 1);
	cd[1] = HOST_S1_PT;
	EXPECT_EQ(world_host_store(f->w, HOST_CD, cd, sizeof(cd)), 0);
	EXPECT_EQ(world_host_store(f->w, HOST_S1_PT + 8U, &block, sizeof(block)), 0);
	EXPECT_EQ(world_host_store(f->w, host_ste_pa(f, SID_S1), ste, sizeof(ste)), 0);
}

/* The host enables SMMU 0 with stream SID_BYPASS in bypass (the core gives
 * it the identity map as its only stage) and, if @nested, SID_S1. */
static void streams_on(struct fx *f, bool nested)
{
	uint64_t bypass[8] = { STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_BYPASS) };

	fx_program_queues(f, 8);
	EXPECT_EQ(world_host_store(f->w, host_ste_pa(f, SID_BYPASS), bypass,
				   sizeof(bypass)), 0);
	if (nested)
		host_stage1(f);
	fx_wr(f, SMMU_CR0, CR0_CMDQEN | CR0_SMMUEN);
	EXPECT_EQ(fx_rejects(f), 0);
	EXPECT(hwm_enabled(fx_hw(f)));
}

/* The host turns SMMU @idx on, its command queue and stream table (every
 * STE invalid) in the 1 MiB of host RAM at @base. */
static void smmu_on(struct fx *f, unsigned idx, uint64_t base)
{
	uint32_t idr0 = (uint32_t)fx_rd_n(f, idx, SMMU_IDR0, 4);

	fx_wr_n(f, idx, SMMU_CR1, 4, FX_CR1_LINUX);
	fx_wr_n(f, idx, SMMU_STRTAB_BASE, 8, base | STRTAB_BASE_RA);
	if (FIELD_GET(IDR0_ST_LVL, idr0) == IDR0_ST_LVL_2LVL)
		fx_wr_n(f, idx, SMMU_STRTAB_BASE_CFG, 4,
			FIELD_PREP(STRTAB_CFG_FMT, STRTAB_CFG_FMT_2LVL) |
			FIELD_PREP(STRTAB_CFG_SPLIT, STRTAB_SPLIT_LINUX) |
			FIELD_PREP(STRTAB_CFG_LOG2SIZE, 16));
	else
		fx_wr_n(f, idx, SMMU_STRTAB_BASE_CFG, 4, FIELD_PREP(STRTAB_CFG_LOG2SIZE, 8));
	fx_wr_n(f, idx, SMMU_CMDQ_BASE, 8, (base + 0x80000ULL) | Q_BASE_RWA | 8U);
	fx_wr_n(f, idx, SMMU_CMDQ_PROD, 4, 0);
	fx_wr_n(f, idx, SMMU_CMDQ_CONS, 4, 0);
	fx_wr_n(f, idx, SMMU_CR0, 4, CR0_CMDQEN | CR0_SMMUEN);
	EXPECT_EQ(fx_rejects(f), 0);
	EXPECT(hwm_enabled(world_smmu(f->w, idx)));
}

static struct hwm_dma_result dma(struct fx *f, uint32_t sid, uint64_t iova, bool write)
{
	struct hwm_dma_result r;

	(void)hwm_dma(fx_hw(f), sid, false, 0, iova, write, &r);
	return r;
}

/* ---- What the hardware executes ---------------------------------------------- */

#define LOG_MAX		64U

struct cmd_log {
	struct fx *f;
	uint64_t watch;		/* the page whose fate is recorded at the TLBI */
	unsigned count;
	uint64_t cmd[LOG_MAX][2];
	int tlbi_at;		/* first stage-2 TLBI covering @watch, or -1 */
	int sync_after;		/* first CMD_SYNC after it, or -1 */
	bool mapped_at_tlbi;	/* the table still mapped @watch then */
	uint32_t state_at_tlbi;
};

/* Does @c remove VMID 0's stage-2 translations of @pa? */
static bool tlbi_covers(const uint64_t c[2], uint64_t pa)
{
	unsigned vmid = (unsigned)FIELD_GET(CMD0_VMID, c[0]);

	switch ((unsigned)FIELD_GET(CMD0_OP, c[0])) {
	case CMDQ_OP_TLBI_S12_VMALL:
		return vmid == 0;
	case CMDQ_OP_TLBI_S2_IPA:
		return vmid == 0 && (c[1] & CMD1_IPA_MASK) == (pa & ~(PAGE - 1U));
	case CMDQ_OP_TLBI_NSNH_ALL:
		return true;
	default:
		return false;
	}
}

static void on_cmd(void *ctx, const uint64_t c[2])
{
	struct cmd_log *lg = ctx;
	unsigned level;

	if (lg->count < LOG_MAX) {
		lg->cmd[lg->count][0] = c[0];
		lg->cmd[lg->count][1] = c[1];
	}
	if (lg->tlbi_at < 0 && tlbi_covers(c, lg->watch)) {
		lg->tlbi_at = (int)lg->count;
		lg->mapped_at_tlbi = s2_leaf(lg->f, lg->watch, &level) != 0;
		lg->state_at_tlbi = world_pgstate(lg->f->w, lg->watch);
	} else if (lg->tlbi_at >= 0 && lg->sync_after < 0 &&
		   FIELD_GET(CMD0_OP, c[0]) == CMDQ_OP_CMD_SYNC) {
		lg->sync_after = (int)lg->count;
	}
	lg->count++;
}

static void watch(struct fx *f, unsigned smmu, struct cmd_log *lg, uint64_t pa)
{
	struct hwm_observer obs = { .ctx = lg, .cmd = on_cmd };

	memset(lg, 0, sizeof(*lg));
	lg->f = f;
	lg->watch = pa;
	lg->tlbi_at = -1;
	lg->sync_after = -1;
	world_set_observer(f->w, smmu, &obs);
}

/* The page was unmapped, then the SMMU told to forget it and to finish
 * (CMD_SYNC), all while the host still owned it. */
static void expect_invalidated(const struct cmd_log *lg, int line)
{
	if (lg->tlbi_at < 0) {
		CHECK_FAIL("line %d: no stage-2 TLBI for VMID 0 covering 0x%" PRIx64
			   " among %u commands", line, lg->watch, lg->count);
		return;
	}
	if (lg->sync_after < 0)
		CHECK_FAIL("line %d: TLBI not followed by CMD_SYNC", line);
	if (lg->mapped_at_tlbi)
		CHECK_FAIL("line %d: TLBI issued while the table still mapped 0x%" PRIx64,
			   line, lg->watch);
	if (pgs_owner(lg->state_at_tlbi) != PGS_OWNER_HOST)
		CHECK_FAIL("line %d: owner changed before the TLBI completed", line);
}

#define EXPECT_INVALIDATED(lg)	expect_invalidated(lg, __LINE__)


/* ---- Geometry ------------------------------------------------------------------ */

/*
 * For every input size from 32 to 48 bits: T0SZ = 64 - IAS; the start level
 * is one the Arm ARM allows for a 4 KiB granule (AArch64.S2InconsistentSL:
 * a walk of n further levels from start level s covers 9n + 13 to 9n + 25
 * bits, the start level resolving 1 to 9 bits plus up to 4 more by
 * concatenating up to 16 tables) and the deepest such level (the shortest
 * walk); the root is that many naturally aligned, zeroed pool pages; S2PS
 * is the smallest output size that holds IAS; 4 KiB granule.
 */
static void every_input_size_gets_a_start_level_the_architecture_allows_and_the_shortest_walk(void)
{
	struct fx f;
	unsigned ias;

	bare_world(&f);
	for (ias = 32; ias <= 48; ias++) {
		uint64_t vtcr, bytes, i;
		unsigned start, levels, min, max, top_bits, tables, ps = 0;
		const uint64_t *root;

		EXPECT_EQ(bare_table(&f, ias, 64), 0);
		vtcr = iopt_ste_vtcr(&f.hyp.iopt);
		EXPECT_EQ(V_T0SZ(vtcr), 64U - ias);
		EXPECT(V_SL0(vtcr) != 3U);	/* reserved without LPA2 */
		start = 2U - V_SL0(vtcr);
		EXPECT_EQ(start, f.hyp.iopt.start);
		levels = 3U - start;
		min = 9U * levels + 13U;
		max = min + 8U + 4U;
		if (ias < min || ias > max)
			CHECK_FAIL("IAS %u: start level %u allows %u..%u bits",
				   ias, start, min, max);
		/* One level deeper would not cover IAS even with 16 tables. */
		if (start < 2U && ias <= 9U * (levels - 1U) + 25U)
			CHECK_FAIL("IAS %u: level %u would do, got %u", ias, start + 1U, start);
		top_bits = ias - level_shift(start);
		tables = top_bits > 9U ? 1U << (top_bits - 9U) : 1U;
		EXPECT_EQ(1U << f.hyp.iopt.concat_log2, tables);
		EXPECT_EQ(f.hyp.iopt.tables, tables);
		EXPECT_EQ(f.hyp.pool.used, tables);
		/* The root: pool pages, aligned to their total size, all invalid. */
		bytes = (uint64_t)tables * PAGE;
		EXPECT(pool_owns(&f.hyp.pool, pa_init(f.hyp.iopt.root)));
		EXPECT(pool_owns(&f.hyp.pool, pa_init(f.hyp.iopt.root + bytes - PAGE)));
		EXPECT_EQ(pgs_owner(world_pgstate(f.w, f.hyp.iopt.root)), PGS_OWNER_HYP);
		EXPECT_EQ(f.hyp.iopt.root & (bytes - 1U), 0);
		root = (const uint64_t *)world_ram(f.w, f.hyp.iopt.root, bytes);
		for (i = 0; root != NULL && i < bytes / 8U; i++)
			if (root[i] != 0) {
				CHECK_FAIL("IAS %u: root entry %" PRIu64 " is 0x%" PRIx64,
					   ias, i, root[i]);
				break;
			}
		while (ps_bits[ps] < ias)
			ps++;
		EXPECT_EQ(V_PS(vtcr), ps);
		EXPECT_EQ(V_TG(vtcr), 0);	/* 4 KiB */
		/* Coherent walks: inner-shareable write-back (like CR1). */
		EXPECT_EQ(V_IR0(vtcr), 1);
		EXPECT_EQ(V_OR0(vtcr), 1);
		EXPECT_EQ(V_SH0(vtcr), 3);
	}
	fx_done(&f);
}

/*
 * The sizes the hardware profiles offer (and 32 bits, which none does),
 * and the concatenation boundaries, worked out by hand from the Arm ARM:
 * smmuv3-facts.md §6.3 gives 48 -> T0SZ 16, level 0, SL0 2 and
 * 40 -> T0SZ 24, level 1 with 2 tables, SL0 1.
 */
static void the_profiles_input_sizes_give_the_architectural_t0sz_sl0_concatenation_and_ps(void)
{
	static const struct {
		unsigned ias, t0sz, sl0, start, tables, ps;
	} want[] = {
		{ 32, 32, 0, 2, 4, 0 },		/* L2 resolves 11 bits: 4 tables */
		{ 34, 30, 0, 2, 16, 1 },	/* L2, 13 bits: the 16-table limit */
		{ 35, 29, 1, 1, 1, 1 },		/* 14 bits at L2 is too many: L1 */
		{ 40, 24, 1, 1, 2, 2 },		/* linear-msi */
		{ 43, 21, 1, 1, 16, 4 },
		{ 44, 20, 2, 0, 1, 4 },		/* qemu-virt */
		{ 48, 16, 2, 0, 1, 5 },		/* mmu700 */
	};
	struct fx f;
	unsigned i;

	bare_world(&f);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		uint64_t vtcr;

		EXPECT_EQ(bare_table(&f, want[i].ias, 64), 0);
		vtcr = iopt_ste_vtcr(&f.hyp.iopt);
		if (V_T0SZ(vtcr) != want[i].t0sz || V_SL0(vtcr) != want[i].sl0 ||
		    V_PS(vtcr) != want[i].ps || f.hyp.iopt.start != want[i].start ||
		    f.hyp.iopt.tables != want[i].tables)
			CHECK_FAIL("IAS %u: T0SZ %u SL0 %u PS %u start %u tables %u",
				   want[i].ias, V_T0SZ(vtcr), V_SL0(vtcr), V_PS(vtcr),
				   f.hyp.iopt.start, f.hyp.iopt.tables);
	}
	fx_done(&f);
}

static void input_sizes_outside_32_to_48_bits_are_refused(void)
{
	struct fx f;

	bare_world(&f);
	EXPECT_EQ(bare_table(&f, 31, 64), SMMU_EINVAL);
	EXPECT_EQ(bare_table(&f, 49, 64), SMMU_EINVAL);
	EXPECT_EQ(bare_table(&f, 52, 64), SMMU_EINVAL);
	EXPECT_EQ(f.hyp.pool.used, 0);
	/* A root that does not fit in the pool: 16 tables need 16 pages. */
	EXPECT_EQ(bare_table(&f, 34, 8), SMMU_ENOMEM);
	fx_done(&f);
}

/*
 * A booted core sizes its map by the SMMU's OAS and puts it in every
 * translating STE: qemu-virt (44 bits), linear-msi (40) and mmu700 (48).
 * A DMA through the hardware model shows the hardware accepts the STE.
 */
static void a_booted_core_sizes_the_map_by_the_hardwares_oas(void)
{
	static const struct {
		const char *hw;
		unsigned ias, sl0, ps;
	} want[] = {
		{ "qemu-virt", 44, 2, 4 },
		{ "linear-msi", 40, 1, 2 },
		{ "mmu700", 48, 2, 5 },
	};
	unsigned i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct hwm_dma_result r;
		uint64_t dw2, dw3;
		struct fx f;

		boot_profile(&f, want[i].hw);
		EXPECT_EQ(smmu_oas_bits((unsigned)FIELD_GET(IDR5_OAS, fx_hw(&f)->cfg.idr[5])),
			  want[i].ias);
		smmu_stage2_words(&f.hyp, &dw2, &dw3);
		EXPECT_EQ(f.hyp.iopt.ias, want[i].ias);
		EXPECT_EQ(V_T0SZ(dw2), 64U - want[i].ias);
		EXPECT_EQ(V_SL0(dw2), want[i].sl0);
		EXPECT_EQ(V_PS(dw2), want[i].ps);
		EXPECT_EQ(V_TG(dw2), 0);
		EXPECT_EQ(V_AA64(dw2), 1);
		EXPECT_EQ(V_VMID(dw2), 0);
		EXPECT_EQ(TTB(dw3), f.hyp.iopt.root);
		EXPECT(pool_owns(&f.hyp.pool, pa_init(TTB(dw3))));
		EXPECT_EQ(pgs_owner(world_pgstate(f.w, TTB(dw3))), PGS_OWNER_HYP);
		streams_on(&f, false);
		r = dma(&f, SID_BYPASS, RAM_PAGE + 0x10, true);
		if (!r.ok || !r.s2 || r.pa != RAM_PAGE + 0x10)
			CHECK_FAIL("%s: DMA ok %d s2 %d event 0x%x pa 0x%" PRIx64,
				   want[i].hw, r.ok, r.s2, r.event, r.pa);
		fx_done(&f);
	}
}

static void the_input_size_is_the_smallest_oas_of_all_smmus(void)
{
	struct world_config cfg = { .smmu_count = 2 };
	struct fx f;

	cfg.hw[0] = hwm_profile((unsigned)hwm_profile_find("mmu700"));
	cfg.hw[1] = hwm_profile((unsigned)hwm_profile_find("linear-msi"));
	boot_on(&f, world_new(&cfg), NULL, 0);
	EXPECT_EQ(f.hyp.iopt.ias, 40);
	EXPECT_EQ(f.hyp.iopt.start, 1);
	EXPECT_EQ(1U << f.hyp.iopt.concat_log2, 2);
	/* Nothing at or above 2^40 is translated; just below it is device. */
	EXPECT_DEVICE(&f, (1ULL << 40) - PAGE, 1U);
	EXPECT_UNMAPPED(&f, 1ULL << 40);
	fx_done(&f);
}

/*
 * The start level spans the concatenated tables: the last page below
 * 2^IAS is found in the last of them, and a mapping there is reachable by
 * a walk from the root alone.
 */
static void addresses_at_the_top_of_the_input_range_use_the_last_concatenated_table(void)
{
	static const unsigned sizes[] = { 32, 34, 40, 43 };
	struct fx f;
	unsigned i;

	bare_world(&f);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t top = (1ULL << sizes[i]) - PAGE, k, n;
		const uint64_t *root;
		unsigned level = 0;

		EXPECT_EQ(bare_table(&f, sizes[i], 64), 0);
		iopt_map(&f.hyp, top, PAGE, IOPT_READ | IOPT_WRITE, false);
		iopt_map(&f.hyp, 0, PAGE, IOPT_READ | IOPT_WRITE, false);
		EXPECT_MEMORY(&f, top);
		EXPECT_MEMORY(&f, 0);
		EXPECT_UNMAPPED(&f, top - PAGE);
		EXPECT_UNMAPPED(&f, PAGE);
		/* Of all start-level descriptors only the very first (page 0)
		 * and the very last (the top page) are in use. */
		n = (PAGE / 8U) << f.hyp.iopt.concat_log2;
		root = (const uint64_t *)world_ram(f.w, f.hyp.iopt.root, n * 8U);
		EXPECT(root != NULL);
		for (k = 0; root != NULL && k < n; k++)
			if (D_VALID(root[k]) != (k == 0 || k == n - 1U))
				CHECK_FAIL("IAS %u: start-level entry %" PRIu64 " of %" PRIu64
					   " is 0x%" PRIx64, sizes[i], k, n, root[k]);
		EXPECT(iopt_lookup(&f.hyp, top, &level) != 0);
		EXPECT_EQ(level, 3);
		EXPECT_EQ(iopt_lookup(&f.hyp, 1ULL << sizes[i], &level), 0);
	}
	fx_done(&f);
}

/* ---- Mappings ------------------------------------------------------------------- */

static void memory_is_mapped_with_pages_even_where_a_block_would_fit(void)
{
	struct fx f;
	struct s2_pos p;

	bare_world(&f);
	EXPECT_EQ(bare_table(&f, 40, 64), 0);
	/* 2 MiB, 2 MiB aligned: a level-2 block would fit, pages it is. */
	iopt_map(&f.hyp, GiB, 2 * MiB, IOPT_READ | IOPT_WRITE, false);
	EXPECT_MEMORY(&f, GiB);
	EXPECT_MEMORY(&f, GiB + 2 * MiB - PAGE);
	EXPECT_UNMAPPED(&f, GiB + 2 * MiB);
	EXPECT_UNMAPPED(&f, GiB - PAGE);
	p = s2_find(&f, GiB);
	EXPECT_EQ(p.level, 3);
	fx_done(&f);
}

static void mmio_is_mapped_with_the_largest_blocks_that_fit(void)
{
	struct fx f;
	unsigned level = 0;

	bare_world(&f);
	EXPECT_EQ(bare_table(&f, 40, 64), 0);
	/* 4 KiB, then 2 MiB up to the next 1 GiB, a 1 GiB block, 2 MiB, 4 KiB. */
	iopt_map(&f.hyp, GiB - 2 * MiB - PAGE, 2 * MiB + PAGE + GiB + 2 * MiB + PAGE,
		 IOPT_READ | IOPT_WRITE | IOPT_MMIO, true);
	EXPECT_DEVICE(&f, GiB - 2 * MiB - PAGE, 3U);
	EXPECT_DEVICE(&f, GiB - 2 * MiB, 2U);
	EXPECT_DEVICE(&f, GiB, 1U);
	EXPECT_DEVICE(&f, 2 * GiB - PAGE, 1U);
	EXPECT_DEVICE(&f, 2 * GiB, 2U);
	EXPECT_DEVICE(&f, 2 * GiB + 2 * MiB, 3U);
	EXPECT_UNMAPPED(&f, 2 * GiB + 2 * MiB + PAGE);
	EXPECT_UNMAPPED(&f, GiB - 2 * MiB - 2 * PAGE);
	/* iopt_lookup sees the same block. */
	EXPECT_EQ(D_OA(iopt_lookup(&f.hyp, GiB + 5 * MiB, &level)), GiB);
	EXPECT_EQ(level, 1);
	fx_done(&f);
}

static void unmapping_a_page_inside_a_block_splits_it_and_keeps_the_neighbours(void)
{
	struct fx f;
	uint32_t before;

	bare_world(&f);
	EXPECT_EQ(bare_table(&f, 40, 64), 0);
	iopt_map(&f.hyp, GiB, GiB, IOPT_READ | IOPT_WRITE | IOPT_MMIO, true);
	before = f.hyp.iopt.tables;
	iopt_unmap(&f.hyp, GiB + 2 * MiB + PAGE, PAGE);
	EXPECT_UNMAPPED(&f, GiB + 2 * MiB + PAGE);
	/* The 1 GiB block became 2 MiB blocks, the one holding the page 4 KiB
	 * pages: two new tables, the attributes kept. */
	EXPECT_EQ(f.hyp.iopt.tables, before + 2);
	EXPECT_DEVICE(&f, GiB + 2 * MiB, 3U);
	EXPECT_DEVICE(&f, GiB + 2 * MiB + 2 * PAGE, 3U);
	EXPECT_DEVICE(&f, GiB + 4 * MiB - PAGE, 3U);
	EXPECT_DEVICE(&f, GiB, 2U);
	EXPECT_DEVICE(&f, GiB + 4 * MiB, 2U);
	EXPECT_DEVICE(&f, 2 * GiB - PAGE, 2U);
	/* Mapping it again as a page restores it; the split stays. */
	iopt_map(&f.hyp, GiB + 2 * MiB + PAGE, PAGE, IOPT_READ | IOPT_WRITE | IOPT_MMIO, false);
	EXPECT_DEVICE(&f, GiB + 2 * MiB + PAGE, 3U);
	fx_done(&f);
}

static void unmapping_removes_exactly_the_range_across_block_edges_and_holes(void)
{
	struct fx f;
	uint32_t before;

	bare_world(&f);
	EXPECT_EQ(bare_table(&f, 40, 64), 0);
	iopt_map(&f.hyp, GiB, 2 * GiB, IOPT_READ | IOPT_WRITE | IOPT_MMIO, true);
	/* Straddling the edge between two 1 GiB blocks. */
	iopt_unmap(&f.hyp, 2 * GiB - PAGE, 2 * PAGE);
	EXPECT_UNMAPPED(&f, 2 * GiB - PAGE);
	EXPECT_UNMAPPED(&f, 2 * GiB);
	EXPECT_DEVICE(&f, 2 * GiB - 2 * PAGE, 3U);
	EXPECT_DEVICE(&f, 2 * GiB + PAGE, 3U);
	EXPECT_DEVICE(&f, GiB, 2U);
	EXPECT_DEVICE(&f, 3 * GiB - PAGE, 2U);
	/* A range starting in a hole: only what is mapped goes. */
	iopt_unmap(&f.hyp, GiB - 4 * MiB, 4 * MiB + PAGE);
	EXPECT_UNMAPPED(&f, GiB);
	EXPECT_DEVICE(&f, GiB + PAGE, 3U);
	/* Nothing mapped at all: nothing to do, nothing allocated. */
	before = f.hyp.iopt.tables;
	iopt_unmap(&f.hyp, 8 * GiB, GiB + 2 * MiB);
	EXPECT_EQ(f.hyp.iopt.tables, before);
	/* A whole 1 GiB block in one go needs no split either. */
	iopt_map(&f.hyp, 4 * GiB, GiB, IOPT_READ | IOPT_WRITE | IOPT_MMIO, true);
	iopt_unmap(&f.hyp, 4 * GiB, GiB);
	EXPECT_EQ(f.hyp.iopt.tables, before);
	EXPECT_UNMAPPED(&f, 4 * GiB);
	EXPECT_UNMAPPED(&f, 5 * GiB - PAGE);
	fx_done(&f);
}

/* Unmap removes all of the range or the hypervisor stops: a split with
 * the pool exhausted is a refusal by design (iopt.pool_exhausted). */
static void an_unmap_that_cannot_split_for_lack_of_pool_stops_the_hypervisor(void)
{
	struct fx f;

	bare_world(&f);
	EXPECT_EQ(bare_table(&f, 40, 2), 0);	/* the root takes both pages */
	iopt_map(&f.hyp, GiB, GiB, IOPT_READ | IOPT_WRITE | IOPT_MMIO, true);
	EXPECT_EQ(FX_EXPECT_STOP(&f, iopt_unmap(&f.hyp, GiB + PAGE, PAGE)), WORLD_STOP_REJECT);
	EXPECT_STR(world_outcome(f.w)->stop_site, "iopt.pool_exhausted");
	fx_done(&f);
}

/* ---- The snapshot at init ---------------------------------------------------------- */

/*
 * After boot, a walk from the root of every tracked page agrees with the
 * page states: host RAM read-write write-back pages, hypervisor RAM (the
 * pool and the table itself included) unmapped, the SMMUs' registers
 * unmapped, other MMIO read-write device. Device space outside the tracked
 * windows is mapped with the largest blocks, up to 2^IAS.
 */
static void after_boot_the_map_equals_ownership_page_by_page(void)
{
	struct fx f;
	uint64_t p, d;
	unsigned level, bad = 0, host = 0;

	fx_boot(&f);
	for (p = WORLD_RAM_BASE; p < WORLD_RAM_BASE + WORLD_RAM_SIZE; p += PAGE) {
		bool mine = pgs_owner(world_pgstate(f.w, p)) == PGS_OWNER_HOST;
		enum kind got = kind_of(&f, p, &level, &d);

		if (got != (mine ? KIND_MEMORY : KIND_NONE) || (mine && level != 3U)) {
			if (bad++ == 0)
				CHECK_FAIL("RAM 0x%" PRIx64 " is %s (desc 0x%" PRIx64 ")", p,
					   kind_names[got], d);
		}
		host += mine;
	}
	EXPECT_EQ(host, WORLD_HOST_SIZE / PAGE);
	for (p = WORLD_MMIO_BASE; p < WORLD_MMIO_BASE + WORLD_MMIO_SIZE; p += PAGE) {
		bool smmu = world_smmu_at(f.w, p) >= 0;
		/* Only the 2 MiB block holding the SMMU had to be split. */
		unsigned want_level = (p >> 21) == (WORLD_SMMU_BASE >> 21) ? 3U : 2U;
		enum kind got = kind_of(&f, p, &level, &d);

		if (got != (smmu ? KIND_NONE : KIND_DEVICE) || (!smmu && level != want_level)) {
			if (bad++ == 0)
				CHECK_FAIL("MMIO 0x%" PRIx64 " is %s at level %u (desc 0x%"
					   PRIx64 ")", p, kind_names[got], level, d);
		}
	}
	EXPECT_EQ(bad, 0);
	EXPECT_UNMAPPED(&f, WORLD_POOL_BASE);
	EXPECT_UNMAPPED(&f, f.hyp.iopt.root);
	EXPECT_UNMAPPED(&f, WORLD_SMMU_BASE);
	EXPECT_DEVICE(&f, WORLD_UART_BASE, 3U);
	EXPECT_DEVICE(&f, 0, 2U);
	EXPECT_DEVICE(&f, WORLD_RAM_BASE + WORLD_RAM_SIZE, 2U);
	EXPECT_DEVICE(&f, UNTRACKED_DEV, 1U);
	EXPECT_DEVICE(&f, (1ULL << 44) - PAGE, 1U);
	EXPECT_UNMAPPED(&f, 1ULL << 44);
	fx_done(&f);
}

/* Pages someone else owns when the driver initialises are left out; a
 * page the host merely shares stays mapped. */
static void the_snapshot_leaves_out_pages_owned_by_anyone_else_at_init(void)
{
	static const uint64_t pre[][2] = {
		{ RAM_PAGE, PGS_OWNER_GUEST },
		{ RAM_PAGE + PAGE, PGS_OWNER_HYP | PGS_FROM_HOST },
		{ RAM_PAGE + 2 * PAGE, PGS_HOST_SHARED },
		{ DEV_PAGE, PGS_OWNER_GUEST },
	};
	struct fx f;

	boot_on(&f, fx_world("qemu-virt", 1), pre, sizeof(pre) / sizeof(pre[0]));
	EXPECT_UNMAPPED(&f, RAM_PAGE);
	EXPECT_UNMAPPED(&f, RAM_PAGE + PAGE);
	EXPECT_MEMORY(&f, RAM_PAGE + 2 * PAGE);
	EXPECT_MEMORY(&f, RAM_PAGE + 3 * PAGE);
	EXPECT_MEMORY(&f, RAM_PAGE - PAGE);
	EXPECT_UNMAPPED(&f, DEV_PAGE);
	EXPECT_DEVICE(&f, DEV_BLOCK, 3U);
	EXPECT_DEVICE(&f, DEV_PAGE + PAGE, 3U);
	EXPECT_DEVICE(&f, DEV_BLOCK + 2 * MiB, 2U);
	oracle_on(&f);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_idmap_full(f.w)), WORLD_RUNNING);
	fx_done(&f);
}

static void the_identity_map_oracles_pass_on_the_booted_state(void)
{
	struct hwm_dma_result r;
	struct fx f;

	fx_boot(&f);
	oracle_on(&f);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_idmap_full(f.w)), WORLD_RUNNING);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_idmap_page(f.w, UNTRACKED_DEV)),
		  WORLD_RUNNING);
	streams_on(&f, false);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_stream_tables(f.w)), WORLD_RUNNING);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_ste(f.w, 0, SID_BYPASS)), WORLD_RUNNING);
	/* Real probes: RAM arrives as write-back memory, MMIO as a device. */
	r = dma(&f, SID_BYPASS, RAM_PAGE, true);
	EXPECT(r.ok && r.s2 && r.memattr == MEMATTR_NORMAL_WB);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_dma(f.w, &r, true)), WORLD_RUNNING);
	r = dma(&f, SID_BYPASS, WORLD_UART_BASE, false);
	EXPECT(r.ok && r.s2 && r.memattr == MEMATTR_DEVICE);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_dma(f.w, &r, false)), WORLD_RUNNING);
	fx_done(&f);
}

/* ---- Pages leaving the host --------------------------------------------------------- */

/*
 * After init the callback is live: a donation unmaps the page and the
 * SMMU's TLB forgets it. The model's TLB held the translation (a hit), and
 * only an invalidation command removes model TLB entries, so the fault
 * after the donation, with no host command in between, is the
 * hypervisor's invalidation at work.
 */
static void donation_unmaps_and_invalidates(enum smmu_host_req r, unsigned owner)
{
	struct hwm_dma_result res;
	struct cmd_log lg;
	unsigned level = 0;
	struct fx f;

	fx_boot(&f);
	streams_on(&f, false);
	res = dma(&f, SID_BYPASS, RAM_PAGE + 0x80, true);
	EXPECT(res.ok && res.pa == RAM_PAGE + 0x80 && !res.tlb_hit);
	res = dma(&f, SID_BYPASS, RAM_PAGE + 0x100, true);
	EXPECT(res.ok && res.tlb_hit);
	watch(&f, 0, &lg, RAM_PAGE);
	EXPECT_EQ(req(&f, r, RAM_PAGE), 0);
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, RAM_PAGE)), owner);
	EXPECT_UNMAPPED(&f, RAM_PAGE);
	EXPECT_EQ(iopt_lookup(&f.hyp, RAM_PAGE, &level), 0);
	EXPECT_INVALIDATED(&lg);
	res = dma(&f, SID_BYPASS, RAM_PAGE + 0x80, false);
	EXPECT(!res.ok);
	EXPECT_EQ(res.event, EVT_ID_TRANSLATION);
	res = dma(&f, SID_BYPASS, RAM_PAGE + 0x80, true);
	EXPECT(!res.ok);
	/* The neighbours are untouched. */
	EXPECT_MEMORY(&f, RAM_PAGE - PAGE);
	EXPECT_MEMORY(&f, RAM_PAGE + PAGE);
	EXPECT(dma(&f, SID_BYPASS, RAM_PAGE + PAGE, true).ok);
	EXPECT_EQ(fx_rejects(&f), 0);
	fx_done(&f);
}

static void a_donation_to_the_hypervisor_after_init_unmaps_and_invalidates_the_tlb(void)
{
	donation_unmaps_and_invalidates(SMMU_REQ_DONATE_HYP, PGS_OWNER_HYP);
}

static void a_donation_to_a_guest_after_init_unmaps_and_invalidates_the_tlb(void)
{
	donation_unmaps_and_invalidates(SMMU_REQ_DONATE_GUEST, PGS_OWNER_GUEST);
}

/* The control for the two above: without an invalidation the model keeps
 * translating from its TLB even though the table no longer maps the page. */
static void a_descriptor_cleared_without_invalidation_still_translates_from_the_tlb(void)
{
	struct hwm_dma_result res;
	struct s2_pos p;
	struct fx f;

	fx_boot(&f);
	streams_on(&f, false);
	EXPECT(dma(&f, SID_BYPASS, RAM_PAGE, true).ok);
	p = s2_find(&f, RAM_PAGE);
	EXPECT(p.slot != NULL && p.level == 3U);
	if (p.slot != NULL)
		*p.slot = 0;
	res = dma(&f, SID_BYPASS, RAM_PAGE, true);
	EXPECT(res.ok && res.tlb_hit);
	/* A page never cached does see the table. */
	p = s2_find(&f, RAM_PAGE + PAGE);
	if (p.slot != NULL)
		*p.slot = 0;
	EXPECT(!dma(&f, SID_BYPASS, RAM_PAGE + PAGE, true).ok);
	fx_done(&f);
}

/* A host stage 1 nested over the identity map caches combined entries,
 * which a TLBI by IPA would not remove: they must go too. */
static void a_donation_also_ends_a_cached_nested_translation(void)
{
	struct hwm_dma_result res;
	struct cmd_log lg;
	struct fx f;

	fx_boot(&f);
	streams_on(&f, true);
	res = dma(&f, SID_S1, RAM_PAGE, true);
	EXPECT(res.ok && res.s1 && res.s2 && res.pa == RAM_PAGE);
	res = dma(&f, SID_S1, RAM_PAGE, true);
	EXPECT(res.ok && res.tlb_hit);
	watch(&f, 0, &lg, RAM_PAGE);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_GUEST, RAM_PAGE), 0);
	EXPECT_INVALIDATED(&lg);
	res = dma(&f, SID_S1, RAM_PAGE, true);
	EXPECT(!res.ok);
	EXPECT_EQ(res.event, EVT_ID_TRANSLATION);
	EXPECT(dma(&f, SID_S1, RAM_PAGE + PAGE, true).ok);
	fx_done(&f);
}

/* With two SMMUs enabled both are told, each after the unmap and before
 * the owner changes. */
static void the_invalidation_reaches_every_smmu_between_unmap_and_owner_change(void)
{
	struct cmd_log lg[2];
	struct fx f;

	fx_boot_hw(&f, "qemu-virt", 2);
	EXPECT_EQ(f.boot_err, 0);
	smmu_on(&f, 0, WORLD_HOST_BASE + 0x800000ULL);
	smmu_on(&f, 1, WORLD_HOST_BASE + 0x900000ULL);
	watch(&f, 0, &lg[0], RAM_PAGE);
	watch(&f, 1, &lg[1], RAM_PAGE);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_HYP, RAM_PAGE), 0);
	EXPECT_INVALIDATED(&lg[0]);
	EXPECT_INVALIDATED(&lg[1]);
	watch(&f, 0, &lg[0], DEV_PAGE);
	watch(&f, 1, &lg[1], DEV_PAGE);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_MMIO, DEV_PAGE), 0);
	EXPECT_INVALIDATED(&lg[0]);
	EXPECT_INVALIDATED(&lg[1]);
	fx_done(&f);
}

/* ---- Pages coming back, and pages that never leave ------------------------------------ */

static void page_comes_back(enum smmu_host_req give, enum smmu_host_req take)
{
	struct hwm_dma_result res;
	struct fx f;

	fx_boot(&f);
	streams_on(&f, false);
	EXPECT_EQ(req(&f, give, RAM_PAGE), 0);
	EXPECT_UNMAPPED(&f, RAM_PAGE);
	EXPECT(!dma(&f, SID_BYPASS, RAM_PAGE, true).ok);
	EXPECT_EQ(req(&f, take, RAM_PAGE), 0);
	EXPECT_EQ(world_pgstate(f.w, RAM_PAGE), PGS_OWNER_HOST);
	EXPECT_MEMORY(&f, RAM_PAGE);
	res = dma(&f, SID_BYPASS, RAM_PAGE, true);
	EXPECT(res.ok && res.pa == RAM_PAGE && res.memattr == MEMATTR_NORMAL_WB);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_dma(f.w, &res, true)), WORLD_RUNNING);
	fx_done(&f);
}

static void a_page_back_from_a_guest_is_mapped_again_as_memory(void)
{
	page_comes_back(SMMU_REQ_DONATE_GUEST, SMMU_REQ_RECLAIM_GUEST);
}

static void a_page_back_from_the_hypervisor_is_mapped_again_as_memory(void)
{
	page_comes_back(SMMU_REQ_DONATE_HYP, SMMU_REQ_RECLAIM_HYP);
}

/* pkvm-design §6: a shared page stays the host's, so devices keep it; so
 * does a page an SMMU has pinned. The descriptor does not even change. */
static void sharing_with_the_hypervisor_keeps_the_hosts_mapping(void)
{
	struct fx f;
	struct s2_pos p;
	uint64_t before;

	fx_boot(&f);
	p = s2_find(&f, RAM_PAGE);
	EXPECT(p.slot != NULL);
	if (p.slot == NULL) {
		fx_done(&f);
		return;
	}
	before = *p.slot;
	EXPECT_EQ(req(&f, SMMU_REQ_SHARE_HYP, RAM_PAGE), 0);
	EXPECT(pgs_is_shared(world_pgstate(f.w, RAM_PAGE)));
	EXPECT_MEMORY(&f, RAM_PAGE);
	EXPECT_EQ(*s2_find(&f, RAM_PAGE).slot, before);
	EXPECT_EQ(req(&f, SMMU_REQ_UNSHARE_HYP, RAM_PAGE), 0);
	EXPECT_MEMORY(&f, RAM_PAGE);
	EXPECT_EQ(*s2_find(&f, RAM_PAGE).slot, before);
	/* The host's command queue, pinned while enabled. */
	streams_on(&f, false);
	EXPECT(pgs_pins(world_pgstate(f.w, FX_CMDQ)) != 0);
	EXPECT_MEMORY(&f, FX_CMDQ);
	EXPECT_MEMORY(&f, FX_STRTAB);
	EXPECT(dma(&f, SID_BYPASS, FX_CMDQ, true).ok);
	fx_done(&f);
}

/* A refused request changes neither the owner nor the map. */
static void refused_requests_leave_the_map_unchanged(void)
{
	struct fx f;

	fx_boot(&f);
	EXPECT_EQ(req(&f, SMMU_REQ_SHARE_HYP, RAM_PAGE), 0);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_GUEST, RAM_PAGE), SMMU_EBUSY);
	EXPECT_MEMORY(&f, RAM_PAGE);
	EXPECT_EQ(req(&f, SMMU_REQ_RECLAIM_HYP, HYP_PAGE), SMMU_EPERM);
	EXPECT_UNMAPPED(&f, HYP_PAGE);
	EXPECT_EQ(req(&f, SMMU_REQ_RECLAIM_GUEST, RAM_PAGE + PAGE), SMMU_EPERM);
	EXPECT_MEMORY(&f, RAM_PAGE + PAGE);
	EXPECT_EQ(req(&f, SMMU_REQ_RETURN_MMIO, WORLD_SMMU_BASE), SMMU_EBUSY);
	EXPECT_UNMAPPED(&f, WORLD_SMMU_BASE);
	fx_done(&f);
}

/* ---- MMIO ---------------------------------------------------------------------------- */

static void an_mmio_donation_splits_the_block_and_unmaps_only_that_page(void)
{
	struct hwm_dma_result res;
	struct cmd_log lg;
	struct fx f;

	fx_boot(&f);
	streams_on(&f, false);
	EXPECT_DEVICE(&f, DEV_PAGE, 2U);	/* covered by a 2 MiB block */
	res = dma(&f, SID_BYPASS, DEV_PAGE, true);
	EXPECT(res.ok && res.memattr == MEMATTR_DEVICE);
	watch(&f, 0, &lg, DEV_PAGE);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_MMIO, DEV_PAGE), 0);
	EXPECT_INVALIDATED(&lg);
	EXPECT_UNMAPPED(&f, DEV_PAGE);
	EXPECT_DEVICE(&f, DEV_BLOCK, 3U);
	EXPECT_DEVICE(&f, DEV_PAGE + PAGE, 3U);
	EXPECT_DEVICE(&f, DEV_BLOCK + 2 * MiB - PAGE, 3U);
	EXPECT_DEVICE(&f, DEV_BLOCK + 2 * MiB, 2U);
	EXPECT_DEVICE(&f, DEV_BLOCK - PAGE, 2U);
	res = dma(&f, SID_BYPASS, DEV_PAGE, true);
	EXPECT(!res.ok);
	EXPECT_EQ(res.event, EVT_ID_TRANSLATION);
	res = dma(&f, SID_BYPASS, DEV_PAGE + PAGE, false);
	EXPECT(res.ok && res.memattr == MEMATTR_DEVICE);
	fx_done(&f);
}

static void returned_mmio_is_mapped_again_as_a_device(void)
{
	struct hwm_dma_result res;
	struct fx f;

	fx_boot(&f);
	streams_on(&f, false);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_MMIO, DEV_PAGE), 0);
	EXPECT_EQ(req(&f, SMMU_REQ_RETURN_MMIO, DEV_PAGE), 0);
	EXPECT_EQ(world_pgstate(f.w, DEV_PAGE), PGS_OWNER_HOST);
	EXPECT_DEVICE(&f, DEV_PAGE, 3U);
	EXPECT_DEVICE(&f, DEV_PAGE + PAGE, 3U);
	res = dma(&f, SID_BYPASS, DEV_PAGE, true);
	EXPECT(res.ok && res.pa == DEV_PAGE && res.memattr == MEMATTR_DEVICE);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_dma(f.w, &res, true)), WORLD_RUNNING);
	fx_done(&f);
}

/*
 * Device space outside the tracked window has no page state to record a
 * new owner (-ERANGE): the revoke already happened, so the page must be
 * mapped again, as a device, and the rest of its 1 GiB block with it.
 */
static void an_mmio_donation_the_page_states_cannot_record_leaves_the_page_mapped(void)
{
	struct fx f;

	fx_boot(&f);
	EXPECT_DEVICE(&f, UNTRACKED_DEV, 1U);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_MMIO, UNTRACKED_DEV), SMMU_ERANGE);
	EXPECT_DEVICE(&f, UNTRACKED_DEV, ANY_LEVEL);
	EXPECT_DEVICE(&f, UNTRACKED_DEV + PAGE, ANY_LEVEL);
	EXPECT_DEVICE(&f, UNTRACKED_DEV + GiB - PAGE, ANY_LEVEL);
	fx_done(&f);
}

/* ---- Rollback when the invalidation cannot finish ------------------------------------- */

/*
 * idmap_revoke's contract (priv.h): SMMU_ETIMEDOUT, and the page mapped
 * again, if an invalidation did not finish; owner.c then records no change.
 */
static void a_donation_whose_invalidation_cannot_finish_fails_and_keeps_the_page_mapped(void)
{
	struct fx f;

	fx_boot(&f);
	smmu_on(&f, 0, WORLD_HOST_BASE + 0x800000ULL);
	fx_hw(&f)->timing = HWM_STUCK;
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_HYP, RAM_PAGE), SMMU_ETIMEDOUT);
	EXPECT_STR(fx_first_reject(&f), "own.donate_hyp");
	EXPECT_EQ(world_pgstate(f.w, RAM_PAGE), PGS_OWNER_HOST);
	EXPECT_MEMORY(&f, RAM_PAGE);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_GUEST, RAM_PAGE + PAGE), SMMU_ETIMEDOUT);
	EXPECT_EQ(world_pgstate(f.w, RAM_PAGE + PAGE), PGS_OWNER_HOST);
	EXPECT_MEMORY(&f, RAM_PAGE + PAGE);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_MMIO, DEV_PAGE), SMMU_ETIMEDOUT);
	EXPECT_EQ(world_pgstate(f.w, DEV_PAGE), PGS_OWNER_HOST);
	EXPECT_DEVICE(&f, DEV_PAGE, ANY_LEVEL);
	EXPECT_DEVICE(&f, DEV_PAGE + PAGE, ANY_LEVEL);
	oracle_on(&f);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_idmap_full(f.w)), WORLD_RUNNING);
	fx_done(&f);
}

static void once_the_smmu_recovers_the_same_donation_succeeds(void)
{
	struct cmd_log lg;
	struct fx f;

	fx_boot(&f);
	smmu_on(&f, 0, WORLD_HOST_BASE + 0x800000ULL);
	fx_hw(&f)->timing = HWM_STUCK;
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_HYP, RAM_PAGE), SMMU_ETIMEDOUT);
	fx_hw(&f)->timing = HWM_PROMPT;
	watch(&f, 0, &lg, RAM_PAGE);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_HYP, RAM_PAGE), 0);
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, RAM_PAGE)), PGS_OWNER_HYP);
	EXPECT_UNMAPPED(&f, RAM_PAGE);
	EXPECT_INVALIDATED(&lg);
	fx_done(&f);
}

/* With two SMMUs, one that cannot finish is enough to refuse: the other's
 * TLB was cleaned, but the stuck one may still translate the page. */
static void a_donation_fails_if_any_smmu_cannot_invalidate(void)
{
	struct fx f;

	fx_boot_hw(&f, "qemu-virt", 2);
	EXPECT_EQ(f.boot_err, 0);
	smmu_on(&f, 0, WORLD_HOST_BASE + 0x800000ULL);
	smmu_on(&f, 1, WORLD_HOST_BASE + 0x900000ULL);
	world_smmu(f.w, 1)->timing = HWM_STUCK;
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_GUEST, RAM_PAGE), SMMU_ETIMEDOUT);
	EXPECT_EQ(world_pgstate(f.w, RAM_PAGE), PGS_OWNER_HOST);
	EXPECT_MEMORY(&f, RAM_PAGE);
	fx_done(&f);
}

/* ---- Each identity-map oracle clause fires when its rule is broken ----------------------- */

/* Booted; the oracle finds nothing wrong with @pa before the test breaks it. */
static void booted_and_clean(struct fx *f, uint64_t pa)
{
	fx_boot(f);
	oracle_on(f);
	EXPECT_EQ(FX_EXPECT_STOP(f, oracle_idmap_page(f->w, pa)), WORLD_RUNNING);
}

static uint64_t *leaf_slot(struct fx *f, uint64_t pa, unsigned want_level)
{
	static uint64_t dummy;
	struct s2_pos p = s2_find(f, pa);

	if (p.slot == NULL || p.level != want_level || !D_VALID(*p.slot)) {
		CHECK_FAIL("no level-%u leaf for 0x%" PRIx64, want_level, pa);
		return &dummy;
	}
	return p.slot;
}

static void oracle_catches_a_mapped_page_the_host_does_not_own(void)
{
	struct s2_pos p;
	struct fx f;

	/* Ownership moved behind the core's back. */
	booted_and_clean(&f, RAM_PAGE);
	world_set_pgstate(f.w, RAM_PAGE, PGS_OWNER_GUEST);
	FX_EXPECT_STOP(&f, oracle_idmap_page(f.w, RAM_PAGE));
	fx_expect_oracle(&f, "isolation:idmap-maps-non-host-page");
	fx_done(&f);

	/* A block mapping hypervisor memory written into the table. */
	booted_and_clean(&f, HYP_PAGE);
	p = s2_find(&f, HYP_PAGE);
	if (p.slot == NULL || p.level != 2U || D_VALID(*p.slot)) {
		CHECK_FAIL("expected no level-2 mapping of hypervisor RAM");
		fx_done(&f);
		return;
	}
	/* Level-2 block: identity, AF, inner-shareable, read-write, WB. */
	*p.slot = (HYP_PAGE & ~(2 * MiB - 1U)) | (1ULL << 10) | (3ULL << 8) |
		  ((uint64_t)S2AP_RW << 6) | ((uint64_t)MEMATTR_NORMAL_WB << 2) | 1U;
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, HYP_PAGE)), PGS_OWNER_HYP);
	FX_EXPECT_STOP(&f, oracle_idmap_page(f.w, HYP_PAGE));
	fx_expect_oracle(&f, "isolation:idmap-maps-non-host-page");
	fx_done(&f);
}

static void oracle_catches_a_host_page_missing_from_the_map(void)
{
	struct fx f;

	booted_and_clean(&f, RAM_PAGE);
	*leaf_slot(&f, RAM_PAGE, 3U) = 0;
	FX_EXPECT_STOP(&f, oracle_idmap_page(f.w, RAM_PAGE));
	fx_expect_oracle(&f, "isolation:idmap-misses-host-page");
	fx_done(&f);

	/* Or the whole 2 MiB block of MMIO it sits in. */
	booted_and_clean(&f, DEV_PAGE);
	*leaf_slot(&f, DEV_PAGE, 2U) = 0;
	FX_EXPECT_STOP(&f, oracle_idmap_full(f.w));
	fx_expect_oracle(&f, "isolation:idmap-misses-host-page");
	fx_done(&f);
}

static void oracle_catches_a_read_only_mapping_of_a_host_page(void)
{
	uint64_t *slot;
	struct fx f;

	booted_and_clean(&f, RAM_PAGE);
	slot = leaf_slot(&f, RAM_PAGE, 3U);
	*slot = (*slot & ~(3ULL << 6)) | ((uint64_t)S2AP_READ << 6);
	FX_EXPECT_STOP(&f, oracle_idmap_page(f.w, RAM_PAGE));
	fx_expect_oracle(&f, "isolation:idmap-wrong-permissions");
	/* Read-write but without the access flag: the first access faults. */
	*slot = (*slot | (3ULL << 6)) & ~(1ULL << 10);
	FX_EXPECT_STOP(&f, oracle_idmap_page(f.w, RAM_PAGE));
	fx_expect_oracle(&f, "isolation:idmap-wrong-permissions");
	fx_done(&f);
}

static void oracle_catches_memory_mapped_as_a_device_and_mmio_as_memory(void)
{
	uint64_t *slot;
	struct fx f;

	booted_and_clean(&f, RAM_PAGE);
	slot = leaf_slot(&f, RAM_PAGE, 3U);
	*slot = (*slot & ~(0xFULL << 2)) | ((uint64_t)MEMATTR_DEVICE << 2);
	FX_EXPECT_STOP(&f, oracle_idmap_page(f.w, RAM_PAGE));
	fx_expect_oracle(&f, "isolation:idmap-wrong-memory-type");
	/* Non-cacheable is not write-back either. */
	*slot = (*slot & ~(0xFULL << 2)) | ((uint64_t)MEMATTR_NORMAL_NC << 2);
	FX_EXPECT_STOP(&f, oracle_idmap_page(f.w, RAM_PAGE));
	fx_expect_oracle(&f, "isolation:idmap-wrong-memory-type");
	fx_done(&f);

	booted_and_clean(&f, WORLD_UART_BASE);
	slot = leaf_slot(&f, WORLD_UART_BASE, 3U);
	*slot = (*slot & ~(0xFULL << 2)) | ((uint64_t)MEMATTR_NORMAL_WB << 2);
	FX_EXPECT_STOP(&f, oracle_idmap_page(f.w, WORLD_UART_BASE));
	fx_expect_oracle(&f, "isolation:idmap-wrong-memory-type");
	fx_done(&f);
}

/* The level-3 table holding the page's descriptor, copied into a host page
 * and linked in its place: same translations, but the host could edit them. */
static void oracle_catches_a_table_in_host_memory(void)
{
	uint64_t copy = WORLD_HOST_BASE + 0x500000ULL;
	uint8_t *from, *to;
	struct s2_pos p;
	struct fx f;

	booted_and_clean(&f, RAM_PAGE);
	p = s2_find(&f, RAM_PAGE);
	from = world_ram(f.w, p.table, PAGE);
	to = world_ram(f.w, copy, PAGE);
	if (p.slot == NULL || p.level != 3U || p.parent == NULL || from == NULL || to == NULL) {
		CHECK_FAIL("no level-3 table for 0x%" PRIx64, (uint64_t)RAM_PAGE);
		fx_done(&f);
		return;
	}
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, p.table)), PGS_OWNER_HYP);
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, copy)), PGS_OWNER_HOST);
	memcpy(to, from, PAGE);
	*p.parent = (*p.parent & ~0x0000FFFFFFFFF000ULL) | copy;
	EXPECT_MEMORY(&f, RAM_PAGE);	/* still the same translation */
	EXPECT_EQ(s2_find(&f, RAM_PAGE).table, copy);
	FX_EXPECT_STOP(&f, oracle_idmap_page(f.w, RAM_PAGE));
	fx_expect_oracle(&f, "isolation:s2-table-not-hyp-memory");
	fx_done(&f);
}

static void oracle_catches_a_mapping_that_is_not_the_identity(void)
{
	uint64_t *slot;
	struct fx f;

	booted_and_clean(&f, RAM_PAGE);
	slot = leaf_slot(&f, RAM_PAGE, 3U);
	*slot = (*slot & ~0x0000FFFFFFFFF000ULL) | (RAM_PAGE + PAGE);
	FX_EXPECT_STOP(&f, oracle_idmap_page(f.w, RAM_PAGE));
	fx_expect_oracle(&f, "isolation:s2-not-identity");
	fx_done(&f);

	/* A block whose output is another block. */
	booted_and_clean(&f, DEV_PAGE);
	slot = leaf_slot(&f, DEV_PAGE, 2U);
	*slot = (*slot & ~0x0000FFFFFFFFF000ULL) | (DEV_BLOCK + 2 * MiB);
	FX_EXPECT_STOP(&f, oracle_idmap_page(f.w, DEV_PAGE));
	fx_expect_oracle(&f, "isolation:s2-not-identity");
	fx_done(&f);
}

/*
 * A concatenated root is several pages, and a walk reads whichever holds
 * its index: with IAS 40 (linear-msi) the second root page serves every
 * address from 2^39 up. If that page were not hypervisor memory the host
 * could rewrite those translations, so the clause must fire.
 *
 * (Found by this test: the oracle used to check only the first root page;
 * it now checks the page holding each descriptor and every root page.)
 */
static void oracle_catches_a_concatenated_root_page_in_host_memory(void)
{
	uint64_t dw2, dw3, high = 1ULL << 39;
	struct fx f;

	boot_profile(&f, "linear-msi");
	smmu_stage2_words(&f.hyp, &dw2, &dw3);
	oracle_on(&f);
	EXPECT_EQ(1U << f.hyp.iopt.concat_log2, 2);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_idmap_page(f.w, high)), WORLD_RUNNING);
	EXPECT_EQ(s2_find(&f, high).table, TTB(dw3));
	world_set_pgstate(f.w, TTB(dw3) + PAGE, PGS_OWNER_HOST);
	FX_EXPECT_STOP(&f, oracle_idmap_page(f.w, high));
	fx_expect_oracle(&f, "isolation:s2-table-not-hyp-memory");
	fx_done(&f);
}

/* A real probe through a descriptor whose MemAttr was made non-cacheable. */
static void dma_oracle_catches_a_probe_with_the_wrong_memory_type(void)
{
	struct hwm_dma_result res;
	uint64_t *slot;
	struct fx f;

	fx_boot(&f);
	streams_on(&f, false);
	res = dma(&f, SID_BYPASS, RAM_PAGE + PAGE, true);
	EXPECT(res.ok && res.s2);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_dma(f.w, &res, true)), WORLD_RUNNING);
	slot = leaf_slot(&f, RAM_PAGE, 3U);
	*slot = (*slot & ~(0xFULL << 2)) | ((uint64_t)MEMATTR_NORMAL_NC << 2);
	res = dma(&f, SID_BYPASS, RAM_PAGE, true);
	EXPECT(res.ok && res.s2 && !res.tlb_hit);
	EXPECT_EQ(res.memattr, MEMATTR_NORMAL_NC);
	FX_EXPECT_STOP(&f, oracle_dma(f.w, &res, true));
	fx_expect_oracle(&f, "isolation:dma-wrong-memory-type");
	/* MMIO reached as write-back memory is wrong too. */
	slot = leaf_slot(&f, WORLD_UART_BASE, 3U);
	*slot = (*slot & ~(0xFULL << 2)) | ((uint64_t)MEMATTR_NORMAL_WB << 2);
	res = dma(&f, SID_BYPASS, WORLD_UART_BASE, false);
	EXPECT(res.ok && res.memattr == MEMATTR_NORMAL_WB);
	FX_EXPECT_STOP(&f, oracle_dma(f.w, &res, false));
	fx_expect_oracle(&f, "isolation:dma-wrong-memory-type");
	fx_done(&f);
}

/* ---- The audit's reach: whole blocks, the whole tree ------------------------ */

#define MiB2		(2 * MiB)

/* The PA of the descriptor @p.slot points at. */
static uint64_t slot_pa(struct fx *f, const uint64_t *slot)
{
	return WORLD_RAM_BASE + (uint64_t)((const uint8_t *)slot -
					   world_ram(f->w, WORLD_RAM_BASE, 1));
}

static void oracle_off(struct fx *f)
{
	oracle_world_forget(f->w);
	fx_done(f);
}

/*
 * After a page changes owner, every page of its 2 MiB block is checked:
 * a neighbour the old audit never sampled, unmapped behind the core's
 * back, is caught — with and without the snapshot's owners.
 */
static void the_changes_audit_reads_every_page_of_the_changed_pages_2_mib_block(void)
{
	uint64_t neighbour = (RAM_PAGE & ~(MiB2 - 1U)) + 0x123000ULL;
	unsigned snap;
	struct fx f;

	for (snap = 0; snap < 2; snap++) {
		fx_boot(&f);
		oracle_on(&f);
		if (snap)
			oracle_input_begin(f.w);
		EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_idmap_changes(f.w)), WORLD_RUNNING);
		EXPECT_EQ(req(&f, SMMU_REQ_DONATE_GUEST, RAM_PAGE), 0);
		EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_idmap_changes(f.w)), WORLD_RUNNING);
		*leaf_slot(&f, neighbour, 3U) = 0;
		FX_EXPECT_STOP(&f, oracle_idmap_changes(f.w));
		fx_expect_oracle(&f, "isolation:idmap-misses-host-page");
		oracle_off(&f);
	}
}

/* The core rewrites @slot as the architecture allows: break, then make,
 * each word published (so the platform sees it, as it sees the core's). */
static void rewrite_desc(uint64_t *slot, uint64_t value)
{
	*slot = 0;
	plat_dma_publish(slot, sizeof(*slot));
	if (value != 0) {
		*slot = value;
		plat_dma_publish(slot, sizeof(*slot));
	}
}

/*
 * After the snapshot, the changes audit judges every descriptor an input
 * wrote, wherever it is (a 2 MiB device block above RAM, a page of another
 * RAM block, a 1 GiB block of device space far from the changed page), and
 * every page that changed owner; a write the platform never saw is caught
 * by the sweep of the live tables (two chunks an input), in time.
 */
static void the_changes_audit_judges_every_written_descriptor(void)
{
	uint64_t *slot, saved;
	struct fx f;
	unsigned runs;

	fx_boot(&f);
	oracle_on(&f);
	oracle_input_begin(f.w);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_GUEST, RAM_PAGE), 0);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_idmap_changes(f.w)), WORLD_RUNNING);
	/* A 2 MiB device block above RAM, output one block off. */
	slot = leaf_slot(&f, 0x50000000ULL, 2U);
	saved = *slot;
	rewrite_desc(slot, (*slot & ~0x0000FFFFFFFFF000ULL) | 0x50200000ULL);
	FX_EXPECT_STOP(&f, oracle_idmap_changes(f.w));
	fx_expect_oracle(&f, "isolation:s2-not-identity");
	rewrite_desc(slot, saved);
	/* The first page of another 2 MiB block of host RAM, unmapped. */
	slot = leaf_slot(&f, WORLD_HOST_BASE + 0x2000000ULL, 3U);
	saved = *slot;
	rewrite_desc(slot, 0);
	FX_EXPECT_STOP(&f, oracle_idmap_changes(f.w));
	fx_expect_oracle(&f, "isolation:idmap-misses-host-page");
	rewrite_desc(slot, saved);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_idmap_changes(f.w)), WORLD_RUNNING);
	/* Outside the changed page's GiB: written, so judged. */
	slot = leaf_slot(&f, UNTRACKED_DEV, 1U);
	saved = *slot;
	rewrite_desc(slot, 0);
	FX_EXPECT_STOP(&f, oracle_idmap_changes(f.w));
	fx_expect_oracle(&f, "isolation:idmap-misses-host-page");
	rewrite_desc(slot, saved);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_idmap_changes(f.w)), WORLD_RUNNING);
	/* Behind the platform's back (nothing dirty since a snapshot): the
	 * sweep sees it. */
	world_snapshot(f.w);
	*slot = 0;
	for (runs = 1; runs <= 4096; runs++)
		if (FX_EXPECT_STOP(&f, oracle_idmap_changes(f.w)) != WORLD_RUNNING)
			break;
	fx_expect_oracle(&f, "isolation:idmap-misses-host-page");
	EXPECT(runs > 1 && runs <= 4096);
	*slot = saved;
	FX_EXPECT_STOP(&f, oracle_idmap_full(f.w));
	oracle_off(&f);
}

/*
 * The full audit walks the whole tree: device space outside the tracked
 * window (and RAM) is the host's, so it must be mapped read-write as a
 * device, with the identity, from hypervisor tables — up to 2^IAS.
 */
static void the_full_audit_covers_device_space_outside_the_tracked_window(void)
{
	static const struct {
		uint64_t clear, set;
		const char *sig;
	} breaks[] = {
		{ ~0ULL, 0, "isolation:idmap-misses-host-page" },
		{ 3ULL << 6, 1ULL << 6, "isolation:idmap-wrong-permissions" },
		{ 1ULL << 10, 0, "isolation:idmap-wrong-permissions" },
		{ 0xFULL << 2, (uint64_t)MEMATTR_NORMAL_WB << 2, "isolation:idmap-wrong-memory-type" },
		{ 0x0000FFFFFFFFF000ULL, 0xC0000000ULL, "isolation:s2-not-identity" },
	};
	static const uint64_t where[] = { UNTRACKED_DEV, (1ULL << 44) - GiB };
	uint64_t *slot, saved;
	unsigned i, k;
	struct fx f;

	fx_boot(&f);
	oracle_on(&f);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_idmap_full(f.w)), WORLD_RUNNING);
	for (k = 0; k < 2; k++) {
		slot = leaf_slot(&f, where[k], 1U);
		saved = *slot;
		for (i = 0; i < sizeof(breaks) / sizeof(breaks[0]); i++) {
			*slot = (saved & ~breaks[i].clear) | breaks[i].set;
			FX_EXPECT_STOP(&f, oracle_idmap_full(f.w));
			fx_expect_oracle(&f, breaks[i].sig);
			*slot = saved;
		}
	}
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_idmap_full(f.w)), WORLD_RUNNING);
	/* A table for that device space in host memory. */
	{
		uint64_t table = WORLD_HOST_BASE + 0x500000ULL, *t = (uint64_t *)world_ram(f.w, table, PAGE);

		slot = leaf_slot(&f, UNTRACKED_DEV, 1U);
		saved = *slot;
		for (i = 0; i < 512; i++)
			t[i] = (saved & ~0x0000FFFFFFFFF000ULL) + UNTRACKED_DEV + i * MiB2;
		*slot = table | 3U;
		FX_EXPECT_STOP(&f, oracle_idmap_full(f.w));
		fx_expect_oracle(&f, "isolation:s2-table-not-hyp-memory");
		*slot = saved;
	}
	oracle_off(&f);
	/* The largest input size walks clean too. */
	boot_profile(&f, "mmu700");
	oracle_on(&f);
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_idmap_full(f.w)), WORLD_RUNNING);
	oracle_off(&f);
}

/* ---- Break before make ---------------------------------------------------------- */

/* A page from the pool holding @n copies of leaf @d stepping by @step. */
static uint64_t new_table(struct fx *f, uint64_t d, uint64_t step)
{
	pa_t pa;
	uint64_t *t;
	unsigned i;

	EXPECT_EQ(pool_alloc(&f->hyp.pool, 0, &pa), 0);
	t = (uint64_t *)world_ram(f->w, pa_val(pa), PAGE);
	for (i = 0; i < 512U; i++)
		t[i] = d + i * step;
	return pa_val(pa);
}

static int publish(struct fx *f, uint64_t *slot, uint64_t now)
{
	uint64_t old = *slot;

	*slot = now;
	return FX_EXPECT_STOP(f, oracle_s2_publish(f->w, slot_pa(f, slot), old, now));
}

/*
 * Replacing a live 2 MiB block by a table (a split) without a break needs
 * IDR3.BBML level 2 on every SMMU: linear-msi has level 0, qemu-virt 2.
 * Breaking (valid -> invalid) and making (invalid -> valid) are fine, and
 * so is anything written where the SMMU cannot walk.
 */
static void resizing_a_live_block_needs_bbml_2(void)
{
	uint64_t *slot, block, table;
	struct fx f;

	boot_profile(&f, "linear-msi");
	oracle_on(&f);
	EXPECT_EQ(oracle_stage2(f.w)->min_bbml, 0);
	slot = leaf_slot(&f, DEV_BLOCK, 2U);
	block = *slot;
	table = new_table(&f, (block & ~3ULL) | 3U, PAGE);
	EXPECT_EQ(publish(&f, slot, table | 3U), WORLD_STOP_ORACLE);
	fx_expect_oracle(&f, "isolation:s2-break-before-make");
	*slot = block;
	/* Break, then make: no complaint. */
	EXPECT_EQ(publish(&f, slot, 0), WORLD_RUNNING);
	EXPECT_EQ(publish(&f, slot, table | 3U), WORLD_RUNNING);
	EXPECT_EQ(publish(&f, slot, 0), WORLD_RUNNING);
	EXPECT_EQ(publish(&f, slot, block), WORLD_RUNNING);
	/* A page the SMMU cannot reach (the new table, not linked). */
	slot = (uint64_t *)world_ram(f.w, table, PAGE);
	EXPECT_EQ(publish(&f, slot, slot[0] + MiB2), WORLD_RUNNING);
	oracle_off(&f);

	boot_profile(&f, "qemu-virt");
	oracle_on(&f);
	EXPECT_EQ(oracle_stage2(f.w)->min_bbml, 2);
	slot = leaf_slot(&f, DEV_BLOCK, 2U);
	block = *slot;
	table = new_table(&f, (block & ~3ULL) | 3U, PAGE);
	EXPECT_EQ(publish(&f, slot, table | 3U), WORLD_RUNNING);
	EXPECT_EQ(publish(&f, slot, block), WORLD_RUNNING);
	oracle_off(&f);
}

/* A live leaf never changes its output address, memory type, shareability
 * or contiguous hint in place, whatever BBML says; permissions and the
 * access flag may change. */
static void a_live_leaf_keeps_its_output_and_memory_type(void)
{
	static const struct {
		uint64_t flip;
		bool breach;
	} cases[] = {
		{ PAGE << 4, true },		/* output address */
		{ 0xAULL << 2, true },		/* MemAttr WB -> NC */
		{ 1ULL << 8, true },		/* SH ISH -> OSH */
		{ 1ULL << 52, true },		/* contiguous */
		{ 1ULL << 7, false },		/* S2AP: read only */
		{ 1ULL << 10, false },		/* AF */
		{ 3ULL << 53, false },		/* XN */
		{ 1ULL << 55, false },		/* software use */
	};
	uint64_t *slot, saved;
	unsigned i;
	struct fx f;

	fx_boot(&f);
	oracle_on(&f);
	slot = leaf_slot(&f, RAM_PAGE, 3U);
	saved = *slot;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int stop = publish(&f, slot, saved ^ cases[i].flip);

		if (stop != (cases[i].breach ? WORLD_STOP_ORACLE : WORLD_RUNNING))
			CHECK_FAIL("flip 0x%" PRIx64 ": stop %d", cases[i].flip, stop);
		*slot = saved;
		world_outcome_reset(f.w);
	}
	oracle_off(&f);
}

/*
 * The oracle follows the tree: a table linked into a live slot is live
 * (changes inside it are judged), one unlinked is not, and each input
 * starts from the snapshot's tables.
 */
static void tables_linked_and_unlinked_are_followed(void)
{
	uint64_t *slot, block, table, *t;
	struct fx f;

	fx_boot(&f);
	oracle_on(&f);
	slot = leaf_slot(&f, DEV_BLOCK, 2U);
	block = *slot;
	table = new_table(&f, (block & ~3ULL & ~(MiB2 - 1U)) | (block & 0xFFCULL) | 3U, PAGE);
	t = (uint64_t *)world_ram(f.w, table, PAGE);
	/* Not linked: anything goes. */
	EXPECT_EQ(publish(&f, &t[5], t[5] + PAGE), WORLD_RUNNING);
	t[5] -= PAGE;
	oracle_input_begin(f.w);	/* the snapshot: the boot's tables */
	EXPECT_EQ(publish(&f, slot, 0), WORLD_RUNNING);
	EXPECT_EQ(publish(&f, slot, table | 3U), WORLD_RUNNING);
	EXPECT_EQ(publish(&f, &t[5], t[5] + PAGE), WORLD_STOP_ORACLE);
	fx_expect_oracle(&f, "isolation:s2-break-before-make");
	t[5] -= PAGE;
	/* The next input starts from the snapshot: the table is not live. */
	oracle_input_begin(f.w);
	EXPECT_EQ(publish(&f, &t[5], t[5] + PAGE), WORLD_RUNNING);
	t[5] -= PAGE;
	/* Linked again, then unlinked. */
	*slot = 0;
	EXPECT_EQ(publish(&f, slot, table | 3U), WORLD_RUNNING);
	EXPECT_EQ(publish(&f, slot, 0), WORLD_RUNNING);
	EXPECT_EQ(publish(&f, &t[5], t[5] + PAGE), WORLD_RUNNING);
	oracle_off(&f);
}

int main(void)
{
	RUN(every_input_size_gets_a_start_level_the_architecture_allows_and_the_shortest_walk);
	RUN(the_profiles_input_sizes_give_the_architectural_t0sz_sl0_concatenation_and_ps);
	RUN(input_sizes_outside_32_to_48_bits_are_refused);
	RUN(a_booted_core_sizes_the_map_by_the_hardwares_oas);
	RUN(the_input_size_is_the_smallest_oas_of_all_smmus);
	RUN(addresses_at_the_top_of_the_input_range_use_the_last_concatenated_table);
	RUN(memory_is_mapped_with_pages_even_where_a_block_would_fit);
	RUN(mmio_is_mapped_with_the_largest_blocks_that_fit);
	RUN(unmapping_a_page_inside_a_block_splits_it_and_keeps_the_neighbours);
	RUN(unmapping_removes_exactly_the_range_across_block_edges_and_holes);
	RUN(an_unmap_that_cannot_split_for_lack_of_pool_stops_the_hypervisor);
	RUN(after_boot_the_map_equals_ownership_page_by_page);
	RUN(the_snapshot_leaves_out_pages_owned_by_anyone_else_at_init);
	RUN(the_identity_map_oracles_pass_on_the_booted_state);
	RUN(a_donation_to_the_hypervisor_after_init_unmaps_and_invalidates_the_tlb);
	RUN(a_donation_to_a_guest_after_init_unmaps_and_invalidates_the_tlb);
	RUN(a_descriptor_cleared_without_invalidation_still_translates_from_the_tlb);
	RUN(a_donation_also_ends_a_cached_nested_translation);
	RUN(the_invalidation_reaches_every_smmu_between_unmap_and_owner_change);
	RUN(a_page_back_from_a_guest_is_mapped_again_as_memory);
	RUN(a_page_back_from_the_hypervisor_is_mapped_again_as_memory);
	RUN(sharing_with_the_hypervisor_keeps_the_hosts_mapping);
	RUN(refused_requests_leave_the_map_unchanged);
	RUN(an_mmio_donation_splits_the_block_and_unmaps_only_that_page);
	RUN(returned_mmio_is_mapped_again_as_a_device);
	RUN(an_mmio_donation_the_page_states_cannot_record_leaves_the_page_mapped);
	RUN(a_donation_whose_invalidation_cannot_finish_fails_and_keeps_the_page_mapped);
	RUN(once_the_smmu_recovers_the_same_donation_succeeds);
	RUN(a_donation_fails_if_any_smmu_cannot_invalidate);
	RUN(oracle_catches_a_mapped_page_the_host_does_not_own);
	RUN(oracle_catches_a_host_page_missing_from_the_map);
	RUN(oracle_catches_a_read_only_mapping_of_a_host_page);
	RUN(oracle_catches_memory_mapped_as_a_device_and_mmio_as_memory);
	RUN(oracle_catches_a_table_in_host_memory);
	RUN(oracle_catches_a_concatenated_root_page_in_host_memory);
	RUN(oracle_catches_a_mapping_that_is_not_the_identity);
	RUN(dma_oracle_catches_a_probe_with_the_wrong_memory_type);
	RUN(the_changes_audit_reads_every_page_of_the_changed_pages_2_mib_block);
	RUN(the_changes_audit_judges_every_written_descriptor);
	RUN(the_full_audit_covers_device_space_outside_the_tracked_window);
	RUN(resizing_a_live_block_needs_bbml_2);
	RUN(a_live_leaf_keeps_its_output_and_memory_type);
	RUN(tables_linked_and_unlinked_are_followed);
	CHECK_DONE();
}
