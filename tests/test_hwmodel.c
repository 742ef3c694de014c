/* SPDX-License-Identifier: MIT */
/* Unit tests of the reference SMMUv3 model in core/plat/host/hwm*.c. */

#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "smmu/regs.h"
#include "hwmodel.h"

/* ---- Fake physical memory: 32 MiB of RAM at 0x40000000 ---------------- */

#define RAM_BASE	0x40000000ULL
#define RAM_SIZE	(32ULL << 20)

#define STRTAB_PA	(RAM_BASE + 0x000000ULL)
#define L2_PA		(RAM_BASE + 0x040000ULL)
#define CMDQ_PA		(RAM_BASE + 0x100000ULL)
#define EVTQ_PA		(RAM_BASE + 0x110000ULL)
#define MSI_PA		(RAM_BASE + 0x120000ULL)
#define CD_PA		(RAM_BASE + 0x200000ULL)
#define CD_L2_PA	(RAM_BASE + 0x300000ULL)
#define POOL_PA		(RAM_BASE + 0x400000ULL)
#define DATA_PA		(RAM_BASE + 0x1000000ULL)
#define UNBACKED	0x10000000ULL

/* STE encodings the tests spell out (regs.h has the field masks). */
#define S1DSS_TERMINATE	0U
#define S1DSS_BYPASS	1U
#define S1DSS_SSID0	2U
#define S1FMT_4K_L2	1U
#define S1FMT_64K_L2	2U

#define CMDQ_LOG2	4U
#define EVTQ_LOG2	4U
#define PG		0x1000ULL

static uint8_t *ram;

static bool ram_range(uint64_t pa, size_t len)
{
	return pa >= RAM_BASE && pa - RAM_BASE <= RAM_SIZE &&
	       len <= RAM_SIZE - (pa - RAM_BASE);
}

static int ram_read(void *ctx, uint64_t pa, void *dst, size_t len)
{
	(void)ctx;
	if (!ram_range(pa, len)) {
		return -1;
	}
	memcpy(dst, ram + (pa - RAM_BASE), len);
	return 0;
}

static int ram_write(void *ctx, uint64_t pa, const void *src, size_t len)
{
	(void)ctx;
	if (!ram_range(pa, len)) {
		return -1;
	}
	memcpy(ram + (pa - RAM_BASE), src, len);
	return 0;
}

static void wr64(uint64_t pa, uint64_t v)
{
	unsigned i;

	for (i = 0; i < 8; i++) {
		ram[pa - RAM_BASE + i] = (uint8_t)(v >> (8 * i));
	}
}

static uint64_t rd64(uint64_t pa)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < 8; i++) {
		v |= (uint64_t)ram[pa - RAM_BASE + i] << (8 * i);
	}
	return v;
}

static uint32_t rd32(uint64_t pa)
{
	return (uint32_t)rd64(pa);
}

/* ---- Observer log ------------------------------------------------------- */

#define LOG_MAX 64

static struct {
	unsigned cmd_count;
	uint64_t cmd[LOG_MAX][2];
	unsigned ste_fetch_count;
	unsigned write_count;
	uint64_t write_pa[LOG_MAX];
	size_t write_len[LOG_MAX];
	unsigned write_why[LOG_MAX];
} lg;

static void obs_cmd(void *ctx, const uint64_t cmd[2])
{
	(void)ctx;
	if (lg.cmd_count < LOG_MAX) {
		lg.cmd[lg.cmd_count][0] = cmd[0];
		lg.cmd[lg.cmd_count][1] = cmd[1];
	}
	lg.cmd_count++;
}

static void obs_ste(void *ctx, uint32_t sid, const uint64_t ste[8])
{
	(void)ctx;
	(void)sid;
	(void)ste;
	lg.ste_fetch_count++;
}

static void obs_write(void *ctx, uint64_t pa, size_t len, unsigned why)
{
	(void)ctx;
	if (lg.write_count < LOG_MAX) {
		lg.write_pa[lg.write_count] = pa;
		lg.write_len[lg.write_count] = len;
		lg.write_why[lg.write_count] = why;
	}
	lg.write_count++;
}

/* ---- Fixture ------------------------------------------------------------ */

static struct hw_model M;
static struct hwm_dma_result R;
static uint64_t pool_next;
static uint32_t sw_prod;
static unsigned sw_log2;

static void setup_cfg(const struct hwm_config *cfg)
{
	struct hwm_mem mem = { NULL, ram_read, ram_write };
	struct hwm_observer obs = { NULL, obs_cmd, obs_ste, obs_write };

	if (ram == NULL) {
		ram = calloc(1, RAM_SIZE);
		if (ram == NULL) {
			abort();
		}
	} else {
		memset(ram, 0, RAM_SIZE);
	}
	memset(&lg, 0, sizeof(lg));
	pool_next = POOL_PA;
	sw_prod = 0;
	sw_log2 = CMDQ_LOG2;
	hwm_init(&M, cfg, &mem, &obs);
}

static void setup(const char *profile)
{
	int idx = hwm_profile_find(profile);

	if (idx < 0) {
		abort();
	}
	setup_cfg(hwm_profile((unsigned)idx));
}

static uint32_t linear_cfg(unsigned log2)
{
	return (uint32_t)FIELD_PREP(STRTAB_CFG_LOG2SIZE, log2);
}

static uint32_t two_level_cfg(unsigned log2, unsigned split)
{
	return (uint32_t)(FIELD_PREP(STRTAB_CFG_LOG2SIZE, log2) |
			  FIELD_PREP(STRTAB_CFG_SPLIT, split) |
			  FIELD_PREP(STRTAB_CFG_FMT, STRTAB_CFG_FMT_2LVL));
}

/* Program tables and queues the way a driver does, then enable. */
static void enable_with(uint64_t strtab, uint32_t strtab_cfg, uint64_t cmdq,
			uint64_t evtq)
{
	hwm_write64(&M, SMMU_STRTAB_BASE, strtab);
	hwm_write32(&M, SMMU_STRTAB_BASE_CFG, strtab_cfg);
	hwm_write64(&M, SMMU_CMDQ_BASE, cmdq | sw_log2);
	hwm_write32(&M, SMMU_CMDQ_PROD, 0);
	hwm_write32(&M, SMMU_CMDQ_CONS, 0);
	hwm_write64(&M, SMMU_EVTQ_BASE, evtq | EVTQ_LOG2);
	hwm_write32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD), 0);
	hwm_write32(&M, SMMU_PAGE1(SMMU_EVTQ_CONS), 0);
	hwm_write32(&M, SMMU_CR0, CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN);
}

static void enable(uint32_t strtab_cfg)
{
	enable_with(STRTAB_PA, strtab_cfg, CMDQ_PA, EVTQ_PA);
}

/* Append a command at the software PROD without ringing the doorbell. */
static void cmd_put(uint64_t c0, uint64_t c1)
{
	uint64_t pa = CMDQ_PA + (sw_prod & ((1U << sw_log2) - 1U)) * 16U;

	wr64(pa, c0);
	wr64(pa + 8, c1);
	sw_prod = (sw_prod + 1U) & ((2U << sw_log2) - 1U);
}

static void ring(void)
{
	hwm_write32(&M, SMMU_CMDQ_PROD, sw_prod);
}

static void issue(uint64_t c0, uint64_t c1)
{
	cmd_put(c0, c1);
	ring();
}

static uint64_t op(unsigned opcode)
{
	return FIELD_PREP(CMD0_OP, opcode);
}

static void cfgi_ste(uint32_t sid)
{
	issue(op(CMDQ_OP_CFGI_STE) | FIELD_PREP(CMD0_SID, sid), CMD1_LEAF);
}

static void cfgi_all(void)
{
	issue(op(CMDQ_OP_CFGI_STE_RANGE), CFGI_RANGE_ALL);
}

static unsigned cons_err(void)
{
	return (unsigned)FIELD_GET(CMDQ_CONS_ERR,
				   hwm_read32(&M, SMMU_CMDQ_CONS));
}

static void ste_put(uint32_t sid, const uint64_t s[8])
{
	unsigned i;

	for (i = 0; i < 8; i++) {
		wr64(STRTAB_PA + sid * 64ULL + i * 8U, s[i]);
	}
}

static void ste_cfg(uint64_t s[8], unsigned cfg)
{
	memset(s, 0, 64);
	s[0] = STE0_V | FIELD_PREP(STE0_CFG, cfg);
}

static unsigned oas(void)
{
	return (unsigned)FIELD_GET(IDR5_OAS, M.cfg.idr[5]);
}

/* Stage-2 STE; the default regime is a 39-bit IPA starting at level 1. */
#define S2_T0SZ		25U
#define S2_SL0		1U
#define S2_START	1U
#define S2_SBITS	9U

static void ste_s2_geom(uint64_t s[8], uint16_t vmid, uint64_t ttb,
			unsigned t0sz, unsigned sl0)
{
	ste_cfg(s, STE_CFG_S2_TRANS);
	s[2] = FIELD_PREP(STE2_S2VMID, vmid) | FIELD_PREP(STE2_S2T0SZ, t0sz) |
	       FIELD_PREP(STE2_S2SL0, sl0) | FIELD_PREP(STE2_S2PS, oas()) |
	       STE2_S2AA64 | STE2_S2R;
	s[3] = ttb;
}

static void ste_s2(uint64_t s[8], uint16_t vmid, uint64_t ttb)
{
	ste_s2_geom(s, vmid, ttb, S2_T0SZ, S2_SL0);
}

static void ste_s1(uint64_t s[8], uint64_t ctx, unsigned cdmax, unsigned fmt,
		   unsigned dss, uint16_t vmid)
{
	ste_cfg(s, STE_CFG_S1_TRANS);
	s[0] |= (ctx & STE0_S1CTXPTR_MASK) | FIELD_PREP(STE0_S1CDMAX, cdmax) |
		FIELD_PREP(STE0_S1FMT, fmt);
	s[1] = FIELD_PREP(STE1_S1DSS, dss);
	s[2] = FIELD_PREP(STE2_S2VMID, vmid);
}

/* A CD for a 39-bit VA space starting at level 1. */
#define S1_T0SZ		25U
#define S1_START	1U
#define S1_SBITS	9U

static void cd_put(uint64_t pa, uint16_t asid, uint64_t ttb)
{
	wr64(pa, FIELD_PREP(CD0_T0SZ, S1_T0SZ) | CD0_V |
		 FIELD_PREP(CD0_IPS, oas()) | CD0_AA64 | CD0_R | CD0_A |
		 FIELD_PREP(CD0_ASID, asid));
	wr64(pa + 8, ttb);
}

static uint64_t pt_alloc(unsigned pages)
{
	uint64_t size = pages * PG;
	uint64_t pa = (pool_next + size - 1U) & ~(size - 1U);

	pool_next = pa + size;
	if (pool_next > DATA_PA) {
		abort();
	}
	return pa;
}

/* Address of the descriptor for @in at @leaf_level, building tables. */
static uint64_t pt_slot(uint64_t root, unsigned start, unsigned sbits,
			uint64_t in, unsigned leaf_level)
{
	uint64_t table = root;
	unsigned level;

	for (level = start; level <= leaf_level; level++) {
		unsigned bits = level == start ? sbits : 9U;
		uint64_t idx = (in >> PTE_LEVEL_SHIFT(level)) &
			       ((1ULL << bits) - 1U);
		uint64_t da = table + idx * 8U, d;

		if (level == leaf_level) {
			return da;
		}
		d = rd64(da);
		if (!(d & PTE_VALID)) {
			d = pt_alloc(1) | PTE_VALID | PTE_TYPE;
			wr64(da, d);
		}
		table = d & PTE_ADDR_MASK;
	}
	abort();
}

static void pt_map(uint64_t root, unsigned start, unsigned sbits,
		   uint64_t in, uint64_t out, unsigned leaf_level,
		   uint64_t attrs)
{
	uint64_t da = pt_slot(root, start, sbits, in, leaf_level);

	wr64(da, (out & PTE_ADDR_MASK) | attrs | PTE_VALID |
		 (leaf_level == 3U ? PTE_TYPE : 0));
}

#define S2_RW	(PTE_AF | PTE_S2_AP_R | PTE_S2_AP_W | \
		 FIELD_PREP(PTE_S2_MEMATTR, PTE_S2_MEMATTR_WB))
#define S1_RW	PTE_AF
#define S1_RO	(PTE_AF | PTE_S1_AP_RO)

static void s2_map(uint64_t root, uint64_t ipa, uint64_t pa, uint64_t attrs)
{
	pt_map(root, S2_START, S2_SBITS, ipa, pa, 3, attrs);
}

static void s1_map(uint64_t root, uint64_t va, uint64_t ipa, uint64_t attrs)
{
	pt_map(root, S1_START, S1_SBITS, va, ipa, 3, attrs);
}

static bool dma(uint32_t sid, uint64_t iova, bool write)
{
	return hwm_dma(&M, sid, false, 0, iova, write, &R);
}

static bool dma_ss(uint32_t sid, uint32_t ssid, uint64_t iova, bool write)
{
	return hwm_dma(&M, sid, true, ssid, iova, write, &R);
}

/* The most recently written event record. */
static void last_event(uint64_t rec[4])
{
	uint32_t prod = hwm_read32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD));
	uint32_t idx = (prod - 1U) & ((1U << EVTQ_LOG2) - 1U);
	unsigned i;

	for (i = 0; i < 4; i++) {
		rec[i] = rd64(EVTQ_PA + idx * 32ULL + i * 8U);
	}
}

static uint8_t last_event_id(void)
{
	uint64_t rec[4];

	last_event(rec);
	return (uint8_t)FIELD_GET(EVT0_ID, rec[0]);
}

/* ---- Profiles and ID registers ---------------------------------------- */

static void profiles_are_listed_in_order_and_found_by_name(void)
{
	static const char *const names[] = {
		"qemu-virt", "linear-msi", "mmu700", "no-s2", "noncoherent",
	};
	const struct hwm_config *c;
	unsigned i;

	EXPECT_EQ(hwm_profile_count(), 5);
	for (i = 0; i < 5; i++) {
		EXPECT_STR(hwm_profile(i)->name, names[i]);
		EXPECT_EQ(hwm_profile_find(names[i]), i);
	}
	EXPECT(hwm_profile(5) == NULL);
	EXPECT(hwm_profile_find("smmu-9000") == -1);

	c = hwm_profile(0);
	EXPECT_EQ(c->idr[0], 0x0d44101b);
	EXPECT_EQ(c->idr[1], 0x02730010);
	EXPECT_EQ(c->idr[3], 0x1414);
	EXPECT_EQ(c->idr[5], 0x74);
	EXPECT_EQ(c->aidr, 1);
	EXPECT_EQ(c->gbpa_reset, 0x1000);

	c = hwm_profile(1);
	EXPECT_EQ(FIELD_GET(IDR0_ST_LVL, c->idr[0]), 0);
	EXPECT(c->idr[0] & IDR0_MSI);
	EXPECT(c->idr[0] & IDR0_HYP);
	EXPECT(c->idr[0] & IDR0_S2P);
	EXPECT_EQ(FIELD_GET(IDR0_TTENDIAN, c->idr[0]), IDR0_TTENDIAN_LE);
	EXPECT_EQ(FIELD_GET(IDR1_SIDSIZE, c->idr[1]), 8);
	EXPECT_EQ(FIELD_GET(IDR1_SSIDSIZE, c->idr[1]), 4);
	EXPECT_EQ(FIELD_GET(IDR1_CMDQS, c->idr[1]), 8);
	EXPECT_EQ(c->idr[3], IDR3_RIL);
	EXPECT_EQ(c->idr[5], FIELD_PREP(IDR5_OAS, 2) | IDR5_GRAN4K);
	EXPECT_EQ(c->gbpa_reset, GBPA_ABORT);

	c = hwm_profile(2);
	EXPECT_EQ(c->idr[0], 0x0d44101bU | IDR0_MSI | IDR0_SEV | IDR0_BTM |
			     FIELD_PREP(IDR0_HTTU, 2));
	EXPECT_EQ(FIELD_GET(IDR1_SIDSIZE, c->idr[1]), 20);
	EXPECT_EQ(FIELD_GET(IDR1_SSIDSIZE, c->idr[1]), 16);
	EXPECT_EQ(FIELD_GET(IDR1_EVTQS, c->idr[1]), 19);
	EXPECT_EQ(FIELD_GET(IDR1_PRIQS, c->idr[1]), 0);
	EXPECT_EQ(c->iidr, 0x4871143B);
	EXPECT_EQ(FIELD_GET(IDR5_OAS, c->idr[5]), 5);
	EXPECT(c->idr[5] & IDR5_GRAN64K);

	EXPECT_EQ(hwm_profile(3)->idr[0], 0x0d44101bU & ~IDR0_S2P);
	EXPECT_EQ(hwm_profile(4)->idr[0], 0x0d44101bU & ~IDR0_COHACC);
}

static void id_registers_read_the_profile_and_ignore_writes(void)
{
	unsigned i;

	setup("mmu700");
	for (i = 0; i < 6; i++) {
		EXPECT_EQ(hwm_read32(&M, SMMU_IDR0 + 4 * i), M.cfg.idr[i]);
		hwm_write32(&M, SMMU_IDR0 + 4 * i, 0);
		EXPECT_EQ(hwm_read32(&M, SMMU_IDR0 + 4 * i), M.cfg.idr[i]);
	}
	EXPECT_EQ(hwm_read32(&M, SMMU_IIDR), 0x4871143B);
	EXPECT_EQ(hwm_read32(&M, SMMU_AIDR), 1);
	EXPECT_EQ(hwm_read32(&M, SMMU_GBPA), 0x1000);
	EXPECT(!hwm_enabled(&M));
}

/* The peripheral and component ID block reads as QEMU's SMMUv3 (the EL2
 * build under QEMU reads the real one): PIDR4, PIDR0..3, CIDR0..3. */
static void the_id_block_reads_as_qemus(void)
{
	setup("qemu-virt");
	EXPECT_EQ(hwm_read32(&M, 0xFD0), 0x04);
	EXPECT_EQ(hwm_read32(&M, 0xFDC), 0x00);
	EXPECT_EQ(hwm_read32(&M, 0xFE0), 0x84);
	EXPECT_EQ(hwm_read32(&M, 0xFE4), 0xB4);
	EXPECT_EQ(hwm_read32(&M, 0xFE8), 0xF0);
	EXPECT_EQ(hwm_read32(&M, 0xFEC), 0x10);
	EXPECT_EQ(hwm_read32(&M, 0xFF0), 0x0D);
	EXPECT_EQ(hwm_read32(&M, 0xFFC), 0xB1);
	EXPECT_EQ(hwm_read64(&M, 0xFF8), 0xB100000005ULL);
}

static void unknown_and_misaligned_offsets_are_raz_wi(void)
{
	setup("qemu-virt");
	EXPECT_EQ(hwm_read32(&M, SMMU_STATUSR), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_REG_WINDOW), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_PIDR_BASE - 4U), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(0)), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_MMIO_SIZE), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_IDR0 + 1), 0);
	EXPECT_EQ(hwm_read64(&M, 0xFFFFFFFCU), 0);

	hwm_write32(&M, SMMU_CR0 + 1, CR0_CMDQEN);
	hwm_write32(&M, SMMU_PAGE1(SMMU_CR0), CR0_CMDQEN);
	hwm_write32(&M, SMMU_PAGE1(SMMU_EVTQ_BASE), 0x1000);
	hwm_write64(&M, 0xFFFFFFFCU, ~0ULL);
	EXPECT_EQ(hwm_read32(&M, SMMU_CR0), 0);
	EXPECT_EQ(hwm_read64(&M, SMMU_EVTQ_BASE), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_IDR0), M.cfg.idr[0]);
}

/* ---- CR0 / IRQ_CTRL / GBPA timing ------------------------------------- */

static void cr0ack_follows_cr0_at_once_in_prompt_mode(void)
{
	setup("qemu-virt");
	hwm_write32(&M, SMMU_CR0, CR0_CMDQEN | CR0_EVTQEN);
	EXPECT_EQ(hwm_read32(&M, SMMU_CR0ACK), CR0_CMDQEN | CR0_EVTQEN);
	hwm_write32(&M, SMMU_CR0, 0xFFFFFFFFU);
	EXPECT_EQ(hwm_read32(&M, SMMU_CR0), CR0_ALLOWED | CR0_VMW);
	EXPECT_EQ(hwm_read32(&M, SMMU_CR0ACK), CR0_ALLOWED | CR0_VMW);
	EXPECT(hwm_enabled(&M));
}

static void cr0ack_follows_cr0_after_delay_in_slow_mode(void)
{
	unsigned i;

	setup("qemu-virt");
	M.timing = HWM_SLOW;
	M.delay = 3;
	hwm_write32(&M, SMMU_CR0, CR0_SMMUEN);
	EXPECT_EQ(hwm_read32(&M, SMMU_CR0), CR0_SMMUEN);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(hwm_read32(&M, SMMU_CR0ACK), 0);
		EXPECT(i == 2 || !hwm_enabled(&M));
	}
	EXPECT_EQ(hwm_read32(&M, SMMU_CR0ACK), CR0_SMMUEN);
	EXPECT(hwm_enabled(&M));

	/* Reads of other registers do not advance it. */
	hwm_write32(&M, SMMU_CR0, 0);
	for (i = 0; i < 10; i++) {
		(void)hwm_read32(&M, SMMU_CR0);
	}
	EXPECT_EQ(hwm_read32(&M, SMMU_CR0ACK), CR0_SMMUEN);
}

static void cr0ack_never_follows_cr0_in_stuck_mode(void)
{
	unsigned i;

	setup("qemu-virt");
	M.timing = HWM_STUCK;
	hwm_write32(&M, SMMU_CR0, CR0_SMMUEN | CR0_CMDQEN);
	for (i = 0; i < 1000; i++) {
		EXPECT_EQ(hwm_read32(&M, SMMU_CR0ACK), 0);
	}
	EXPECT(!hwm_enabled(&M));
}

static void irq_ctrlack_follows_irq_ctrl_with_the_same_timing(void)
{
	unsigned i;

	setup("qemu-virt");
	hwm_write32(&M, SMMU_IRQ_CTRL, 0xFFFFFFFFU);
	EXPECT_EQ(hwm_read32(&M, SMMU_IRQ_CTRL), IRQ_CTRL_ALLOWED);
	EXPECT_EQ(hwm_read32(&M, SMMU_IRQ_CTRLACK), IRQ_CTRL_ALLOWED);

	M.timing = HWM_SLOW;
	M.delay = 2;
	hwm_write32(&M, SMMU_IRQ_CTRL, IRQ_CTRL_GERROR_IRQEN);
	EXPECT_EQ(hwm_read32(&M, SMMU_IRQ_CTRLACK), IRQ_CTRL_ALLOWED);
	EXPECT_EQ(hwm_read32(&M, SMMU_IRQ_CTRLACK), IRQ_CTRL_ALLOWED);
	EXPECT_EQ(hwm_read32(&M, SMMU_IRQ_CTRLACK), IRQ_CTRL_GERROR_IRQEN);

	M.timing = HWM_STUCK;
	hwm_write32(&M, SMMU_IRQ_CTRL, 0);
	for (i = 0; i < 100; i++) {
		EXPECT_EQ(hwm_read32(&M, SMMU_IRQ_CTRLACK),
			  IRQ_CTRL_GERROR_IRQEN);
	}
}

static void gbpa_update_applies_at_once_in_prompt_mode(void)
{
	setup("qemu-virt");
	/* Without UPDATE the write is ignored. */
	hwm_write32(&M, SMMU_GBPA, GBPA_ABORT);
	EXPECT_EQ(hwm_read32(&M, SMMU_GBPA), 0x1000);
	hwm_write32(&M, SMMU_GBPA, GBPA_UPDATE | GBPA_ABORT | 0x40000000U);
	EXPECT_EQ(hwm_read32(&M, SMMU_GBPA), GBPA_ABORT);
}

static void gbpa_update_completes_after_delay_in_slow_mode(void)
{
	setup("qemu-virt");
	M.timing = HWM_SLOW;
	M.delay = 2;
	hwm_write32(&M, SMMU_GBPA, GBPA_UPDATE | GBPA_ABORT);
	EXPECT_EQ(hwm_read32(&M, SMMU_GBPA), GBPA_UPDATE | 0x1000);
	/* A second request while one is in flight is ignored. */
	hwm_write32(&M, SMMU_GBPA, GBPA_UPDATE);
	EXPECT_EQ(hwm_read32(&M, SMMU_GBPA), GBPA_UPDATE | 0x1000);
	EXPECT_EQ(hwm_read32(&M, SMMU_GBPA), GBPA_ABORT);
	EXPECT_EQ(hwm_read32(&M, SMMU_GBPA), GBPA_ABORT);
}

static void gbpa_update_never_completes_in_stuck_mode(void)
{
	unsigned i;

	setup("linear-msi");
	M.timing = HWM_STUCK;
	hwm_write32(&M, SMMU_GBPA, GBPA_UPDATE);
	for (i = 0; i < 1000; i++) {
		EXPECT_EQ(hwm_read32(&M, SMMU_GBPA), GBPA_UPDATE | GBPA_ABORT);
	}
	/* Still aborting: the bypass request never landed. */
	EXPECT(!dma(0, 0x1000, false));
}

static void gbpa_abort_decides_dma_while_disabled(void)
{
	setup("qemu-virt");
	EXPECT(dma(7, 0x12345678, true));
	EXPECT(R.bypass);
	EXPECT_EQ(R.pa, 0x12345678);
	EXPECT_EQ(R.memattr, 0xF);
	EXPECT_EQ(R.event, 0);

	hwm_write32(&M, SMMU_GBPA, GBPA_UPDATE | GBPA_ABORT);
	EXPECT(!dma(7, 0x12345678, false));
	EXPECT_EQ(R.event, 0);
	EXPECT_EQ(M.stats.events + M.stats.events_lost, 0);

	setup("linear-msi");	/* resets with ABORT set */
	EXPECT(!dma(0, 0x1000, false));
	hwm_write32(&M, SMMU_GBPA, GBPA_UPDATE);
	EXPECT(dma(0, 0x1000, false));
}

/* ---- Register access widths and gating ----------------------------------- */

static void sixty_four_bit_registers_are_reachable_as_two_halves(void)
{
	setup("qemu-virt");
	hwm_write32(&M, SMMU_STRTAB_BASE, 0x89ABCDEFU);
	hwm_write32(&M, SMMU_STRTAB_BASE + 4, 0xFFFFFFFFU);
	EXPECT_EQ(hwm_read64(&M, SMMU_STRTAB_BASE),
		  (0xFFFFFFFF89ABCDEFULL & STRTAB_BASE_ALLOWED));
	EXPECT_EQ(hwm_read32(&M, SMMU_STRTAB_BASE), 0x89ABCDC0U);
	EXPECT_EQ(hwm_read32(&M, SMMU_STRTAB_BASE + 4),
		  (uint32_t)(STRTAB_BASE_ALLOWED >> 32));

	hwm_write64(&M, SMMU_GERROR_IRQ_CFG0, 0x0000123456789ABFULL);
	EXPECT_EQ(hwm_read64(&M, SMMU_GERROR_IRQ_CFG0), 0x0000123456789ABCULL);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR_IRQ_CFG0 + 4), 0x1234);

	hwm_write64(&M, SMMU_CMDQ_BASE, Q_BASE_RWA | 0x40001005ULL);
	EXPECT_EQ(hwm_read64(&M, SMMU_CMDQ_BASE), Q_BASE_RWA | 0x40001005ULL);
	hwm_write32(&M, SMMU_CMDQ_BASE + 4, 0);
	EXPECT_EQ(hwm_read64(&M, SMMU_CMDQ_BASE), 0x40001005ULL);
}

static void sixty_four_bit_access_to_32_bit_registers_spans_two(void)
{
	setup("qemu-virt");
	hwm_write64(&M, SMMU_CR1, ((uint64_t)CR2_PTM << 32) | 0x555);
	EXPECT_EQ(hwm_read32(&M, SMMU_CR1), 0x555);
	EXPECT_EQ(hwm_read32(&M, SMMU_CR2), CR2_PTM);
	hwm_write32(&M, SMMU_CR0, CR0_EVTQEN);
	EXPECT_EQ(hwm_read64(&M, SMMU_CR0),
		  ((uint64_t)CR0_EVTQEN << 32) | CR0_EVTQEN);

	hwm_write64(&M, SMMU_CMDQ_BASE, CMDQ_PA | 4);
	hwm_write64(&M, SMMU_CMDQ_PROD, (5ULL << 32) | 3);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_PROD), 3);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 5);
}

static void base_registers_are_ignored_while_their_unit_is_enabled(void)
{
	setup("linear-msi");
	hwm_write64(&M, SMMU_STRTAB_BASE, STRTAB_PA);
	hwm_write32(&M, SMMU_STRTAB_BASE_CFG, linear_cfg(8));
	hwm_write64(&M, SMMU_CMDQ_BASE, CMDQ_PA | 4);
	hwm_write64(&M, SMMU_EVTQ_BASE, EVTQ_PA | 4);
	hwm_write64(&M, SMMU_PRIQ_BASE, MSI_PA | 4);
	hwm_write32(&M, SMMU_CR0, CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN |
				  CR0_PRIQEN);

	hwm_write64(&M, SMMU_STRTAB_BASE, UNBACKED);
	hwm_write32(&M, SMMU_STRTAB_BASE_CFG, linear_cfg(4));
	hwm_write32(&M, SMMU_STRTAB_BASE + 4, 1);
	hwm_write64(&M, SMMU_CMDQ_BASE, UNBACKED | 2);
	hwm_write64(&M, SMMU_EVTQ_BASE, UNBACKED | 2);
	hwm_write64(&M, SMMU_PRIQ_BASE, UNBACKED | 2);
	EXPECT_EQ(hwm_read64(&M, SMMU_STRTAB_BASE), STRTAB_PA);
	EXPECT_EQ(hwm_read32(&M, SMMU_STRTAB_BASE_CFG), linear_cfg(8));
	EXPECT_EQ(hwm_read64(&M, SMMU_CMDQ_BASE), CMDQ_PA | 4);
	EXPECT_EQ(hwm_read64(&M, SMMU_EVTQ_BASE), EVTQ_PA | 4);
	EXPECT_EQ(hwm_read64(&M, SMMU_PRIQ_BASE), MSI_PA | 4);

	/* Each base follows its own enable bit. */
	hwm_write32(&M, SMMU_CR0, CR0_SMMUEN);
	hwm_write64(&M, SMMU_CMDQ_BASE, UNBACKED | 2);
	hwm_write64(&M, SMMU_EVTQ_BASE, UNBACKED | 2);
	hwm_write64(&M, SMMU_STRTAB_BASE, UNBACKED);
	EXPECT_EQ(hwm_read64(&M, SMMU_CMDQ_BASE), UNBACKED | 2);
	EXPECT_EQ(hwm_read64(&M, SMMU_EVTQ_BASE), UNBACKED | 2);
	EXPECT_EQ(hwm_read64(&M, SMMU_STRTAB_BASE), STRTAB_PA);
	hwm_write32(&M, SMMU_CR0, 0);
	hwm_write64(&M, SMMU_STRTAB_BASE, UNBACKED);
	EXPECT_EQ(hwm_read64(&M, SMMU_STRTAB_BASE), UNBACKED);
}

static void base_registers_follow_the_acknowledged_enable(void)
{
	setup("qemu-virt");
	hwm_write64(&M, SMMU_STRTAB_BASE, STRTAB_PA);
	M.timing = HWM_STUCK;
	hwm_write32(&M, SMMU_CR0, CR0_SMMUEN);
	/* Not acknowledged yet: the table may still move. */
	hwm_write64(&M, SMMU_STRTAB_BASE, L2_PA);
	EXPECT_EQ(hwm_read64(&M, SMMU_STRTAB_BASE), L2_PA);
}

static void queue_pointer_writes_respect_the_queue_enables(void)
{
	setup("linear-msi");
	hwm_write64(&M, SMMU_CMDQ_BASE, CMDQ_PA | 4);
	hwm_write64(&M, SMMU_EVTQ_BASE, EVTQ_PA | 4);
	hwm_write64(&M, SMMU_PRIQ_BASE, MSI_PA | 4);
	hwm_write32(&M, SMMU_CMDQ_PROD, 3);
	hwm_write32(&M, SMMU_CMDQ_CONS, 3);
	hwm_write32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD), 4);
	hwm_write32(&M, SMMU_PAGE1(SMMU_PRIQ_PROD), 5);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 3);
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD)), 4);
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_PRIQ_PROD)), 5);

	hwm_write32(&M, SMMU_CR0, CR0_CMDQEN | CR0_EVTQEN | CR0_PRIQEN);
	hwm_write32(&M, SMMU_CMDQ_CONS, 1);
	hwm_write32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD), 1);
	hwm_write32(&M, SMMU_PAGE1(SMMU_PRIQ_PROD), 1);
	hwm_write32(&M, SMMU_PAGE1(SMMU_EVTQ_CONS), 2);
	hwm_write32(&M, SMMU_PAGE1(SMMU_PRIQ_CONS), 6);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 3);
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD)), 4);
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_PRIQ_PROD)), 5);
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_EVTQ_CONS)), 2);
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_PRIQ_CONS)), 6);
}

static void page1_aliases_reach_the_same_queue_registers(void)
{
	setup("linear-msi");
	hwm_write64(&M, SMMU_EVTQ_BASE, EVTQ_PA | 4);
	hwm_write64(&M, SMMU_PRIQ_BASE, MSI_PA | 4);
	hwm_write32(&M, SMMU_PAGE1(SMMU_EVTQ_CONS), 7);
	EXPECT_EQ(hwm_read32(&M, SMMU_EVTQ_CONS), 7);
	hwm_write32(&M, SMMU_EVTQ_PROD, 9);
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD)), 9);
	hwm_write32(&M, SMMU_PRIQ_PROD, 0x11);
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_PRIQ_PROD)), 0x11);
	hwm_write32(&M, SMMU_PAGE1(SMMU_PRIQ_CONS), 0x12);
	EXPECT_EQ(hwm_read32(&M, SMMU_PRIQ_CONS), 0x12);
}

static void queue_pointers_keep_only_wrap_index_and_flag_bits(void)
{
	setup("linear-msi");	/* CMDQS = EVTQS = PRIQS = 8 */
	hwm_write64(&M, SMMU_CMDQ_BASE, CMDQ_PA | 31);
	hwm_write64(&M, SMMU_EVTQ_BASE, EVTQ_PA | 3);
	hwm_write32(&M, SMMU_CMDQ_PROD, 0xFFFFFFFFU);
	hwm_write32(&M, SMMU_CMDQ_CONS, 0xFFFFFFFFU);
	hwm_write32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD), 0xFFFFFFFFU);
	hwm_write32(&M, SMMU_PAGE1(SMMU_EVTQ_CONS), 0xFFFFFFFFU);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_PROD), 0x1FF);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), CMDQ_CONS_ERR | 0x1FF);
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD)),
		  Q_OVERFLOW_FLAG | 0xF);
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_EVTQ_CONS)),
		  Q_OVERFLOW_FLAG | 0xF);
}

static void gerror_is_read_only_and_gerrorn_keeps_error_bits(void)
{
	setup("qemu-virt");
	hwm_write32(&M, SMMU_GERROR, 0xFFFFFFFFU);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), 0);
	hwm_write32(&M, SMMU_GERRORN, 0xFFFFFFFFU);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERRORN), GERROR_ERR_MASK);
}

/* ---- Command queue ------------------------------------------------------ */

static void commands_are_consumed_at_once_in_prompt_mode(void)
{
	setup("qemu-virt");
	enable(linear_cfg(8));
	cmd_put(op(CMDQ_OP_CFGI_STE) | FIELD_PREP(CMD0_SID, 3), CMD1_LEAF);
	cmd_put(op(CMDQ_OP_TLBI_NSNH_ALL), 0);
	cmd_put(op(CMDQ_OP_CMD_SYNC), 0);
	ring();
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 3);
	EXPECT_EQ(M.stats.cmds, 3);
	EXPECT_EQ(M.stats.cfgi, 1);
	EXPECT_EQ(M.stats.tlbi, 1);
	EXPECT_EQ(M.stats.syncs, 1);
	EXPECT_EQ(lg.cmd_count, 3);
	EXPECT_EQ(FIELD_GET(CMD0_OP, lg.cmd[0][0]), CMDQ_OP_CFGI_STE);
	EXPECT_EQ(FIELD_GET(CMD0_SID, lg.cmd[0][0]), 3);
	EXPECT_EQ(FIELD_GET(CMD0_OP, lg.cmd[2][0]), CMDQ_OP_CMD_SYNC);
}

static void commands_are_consumed_after_delay_cons_reads_in_slow_mode(void)
{
	setup("qemu-virt");
	enable(linear_cfg(8));
	M.timing = HWM_SLOW;
	M.delay = 2;
	cmd_put(op(CMDQ_OP_CMD_SYNC), 0);
	cmd_put(op(CMDQ_OP_CMD_SYNC), 0);
	ring();
	EXPECT_EQ(M.stats.cmds, 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 0);
	/* Other reads do not count. */
	(void)hwm_read32(&M, SMMU_CMDQ_PROD);
	EXPECT_EQ(M.stats.cmds, 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 0);
	EXPECT_EQ(M.stats.cmds, 2);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 2);
}

static void commands_are_never_consumed_in_stuck_mode(void)
{
	unsigned i;

	setup("qemu-virt");
	enable(linear_cfg(8));
	M.timing = HWM_STUCK;
	issue(op(CMDQ_OP_CMD_SYNC), 0);
	for (i = 0; i < 1000; i++) {
		EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 0);
	}
	EXPECT_EQ(M.stats.cmds, 0);
	EXPECT_EQ(lg.cmd_count, 0);
}

static void commands_wait_until_the_queue_is_enabled(void)
{
	setup("qemu-virt");
	hwm_write64(&M, SMMU_CMDQ_BASE, CMDQ_PA | CMDQ_LOG2);
	cmd_put(op(CMDQ_OP_CMD_SYNC), 0);
	cmd_put(op(CMDQ_OP_CMD_SYNC), 0);
	ring();
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 0);
	hwm_write32(&M, SMMU_CR0, CR0_CMDQEN);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 2);
	EXPECT_EQ(M.stats.syncs, 2);
}

static void small_queue_wraps_twice_and_runs_every_command_once(void)
{
	unsigned batch, i, sid = 0;

	setup("qemu-virt");
	sw_log2 = 2;	/* four entries */
	enable(linear_cfg(8));
	for (batch = 0; batch < 3; batch++) {
		for (i = 0; i < 3; i++, sid++) {
			cmd_put(op(CMDQ_OP_CFGI_STE) |
				FIELD_PREP(CMD0_SID, sid), CMD1_LEAF);
		}
		ring();
		EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), sw_prod);
	}
	/* 9 entries in a 4-entry queue: index 1, wrap bit clear again. */
	EXPECT_EQ(sw_prod, 1);
	EXPECT_EQ(lg.cmd_count, 9);
	for (i = 0; i < 9; i++) {
		EXPECT_EQ(FIELD_GET(CMD0_SID, lg.cmd[i][0]), i);
	}

	/* A full queue (same index, other wrap) is consumed entirely. */
	for (i = 0; i < 4; i++) {
		cmd_put(op(CMDQ_OP_CMD_SYNC), 0);
	}
	EXPECT_EQ(sw_prod, 1U | 4U);
	ring();
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 5);
	EXPECT_EQ(M.stats.cmds, 13);
}

static void illegal_command_stops_at_the_bad_entry_until_acknowledged(void)
{
	uint32_t gerror;

	setup("qemu-virt");
	enable(linear_cfg(8));
	cmd_put(op(CMDQ_OP_CMD_SYNC), 0);
	cmd_put(op(0x7F), 0);
	cmd_put(op(CMDQ_OP_CFGI_STE), 0);
	ring();
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS),
		  1U | FIELD_PREP(CMDQ_CONS_ERR, CERROR_ILL));
	gerror = hwm_read32(&M, SMMU_GERROR);
	EXPECT_EQ(gerror, GERROR_CMDQ_ERR);
	EXPECT_EQ(M.stats.cerror, 1);
	EXPECT_EQ(M.stats.cmds, 1);

	/* More commands wait while the error is active. */
	issue(op(CMDQ_OP_CMD_SYNC), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS) & 0xFF, 1);
	EXPECT_EQ(M.stats.cfgi, 0);

	/* Software replaces the bad entry, then acknowledges. */
	wr64(CMDQ_PA + 16, op(CMDQ_OP_CMD_SYNC));
	hwm_write32(&M, SMMU_GERRORN, gerror);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 4);
	EXPECT_EQ(M.stats.cfgi, 1);
	EXPECT_EQ(M.stats.syncs, 3);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), hwm_read32(&M, SMMU_GERRORN));

	/* A second error toggles GERROR back. */
	issue(op(0x00), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERRORN), GERROR_CMDQ_ERR);
	EXPECT_EQ(cons_err(), CERROR_ILL);
}

static void unbacked_queue_memory_gives_cerror_abt(void)
{
	setup("qemu-virt");
	enable_with(STRTAB_PA, linear_cfg(8), UNBACKED, EVTQ_PA);
	hwm_write32(&M, SMMU_CMDQ_PROD, 1);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS),
		  FIELD_PREP(CMDQ_CONS_ERR, CERROR_ABT));
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), GERROR_CMDQ_ERR);
	EXPECT_EQ(lg.cmd_count, 0);
	EXPECT_EQ(M.stats.cerror, 1);
}

/* Run one command on a fresh, enabled model; returns CONS.ERR. */
static unsigned run_one(const char *profile, uint64_t c0, uint64_t c1)
{
	setup(profile);
	enable(linear_cfg(8));
	issue(c0, c1);
	return cons_err();
}

static void illegal_commands_follow_the_implemented_features(void)
{
	uint64_t cs3 = op(CMDQ_OP_CMD_SYNC) | FIELD_PREP(CMD0_SYNC_CS, 3);

	EXPECT_EQ(run_one("qemu-virt", op(CMDQ_OP_TLBI_EL2_ALL), 0),
		  CERROR_ILL);
	EXPECT_EQ(run_one("qemu-virt", op(CMDQ_OP_TLBI_EL2_VA), 0),
		  CERROR_ILL);
	EXPECT_EQ(run_one("linear-msi", op(CMDQ_OP_TLBI_EL2_ALL), 0),
		  CERROR_NONE);
	EXPECT_EQ(M.stats.tlbi, 1);
	EXPECT_EQ(run_one("linear-msi", op(CMDQ_OP_TLBI_EL2_VAA), 0),
		  CERROR_NONE);
	EXPECT_EQ(run_one("linear-msi", op(CMDQ_OP_TLBI_EL3_ALL), 0),
		  CERROR_ILL);
	EXPECT_EQ(run_one("linear-msi", op(CMDQ_OP_TLBI_EL3_VA), 0),
		  CERROR_ILL);
	EXPECT_EQ(run_one("qemu-virt", cs3, 0), CERROR_ILL);
	EXPECT_EQ(run_one("qemu-virt", op(0xFF), 0), CERROR_ILL);
	/* ATS, PRI and stalls: legal only where implemented. */
	EXPECT_EQ(run_one("qemu-virt", op(CMDQ_OP_ATC_INV), 0), CERROR_ILL);
	EXPECT_EQ(run_one("linear-msi", op(CMDQ_OP_ATC_INV), 0), CERROR_NONE);
	EXPECT_EQ(run_one("qemu-virt", op(CMDQ_OP_PRI_RESP), 0), CERROR_ILL);
	EXPECT_EQ(run_one("linear-msi", op(CMDQ_OP_PRI_RESP), 0), CERROR_NONE);
	EXPECT_EQ(run_one("qemu-virt", op(CMDQ_OP_RESUME), 0), CERROR_ILL);
	EXPECT_EQ(run_one("mmu700", op(CMDQ_OP_STALL_TERM), 0),
		  FIELD_GET(IDR0_STALL_MODEL, hwm_profile(2)->idr[0]) == 1 ?
		  CERROR_ILL : CERROR_NONE);
	EXPECT_EQ(run_one("qemu-virt", op(CMDQ_OP_PREFETCH_CFG), 0),
		  CERROR_NONE);
	EXPECT_EQ(run_one("qemu-virt", op(CMDQ_OP_CFGI_CD_ALL), 0),
		  CERROR_NONE);
	EXPECT_EQ(M.stats.cfgi, 1);
}

static void cmd_sync_writes_msi_only_when_msi_is_supported(void)
{
	uint64_t sync = op(CMDQ_OP_CMD_SYNC) |
			FIELD_PREP(CMD0_SYNC_CS, CMD0_SYNC_CS_IRQ) |
			FIELD_PREP(CMD0_SYNC_MSIDATA, 0xDEADBEEFU);

	setup("qemu-virt");
	enable(linear_cfg(8));
	issue(sync, MSI_PA);
	EXPECT_EQ(rd32(MSI_PA), 0);
	EXPECT_EQ(lg.write_count, 0);
	EXPECT_EQ(M.stats.syncs, 1);

	setup("linear-msi");
	enable(linear_cfg(8));
	issue(sync, MSI_PA);
	EXPECT_EQ(rd32(MSI_PA), 0xDEADBEEF);
	EXPECT_EQ(rd32(MSI_PA + 4), 0);
	EXPECT_EQ(lg.write_count, 1);
	EXPECT_EQ(lg.write_pa[0], MSI_PA);
	EXPECT_EQ(lg.write_len[0], 4);
	EXPECT_EQ(lg.write_why[0], HWM_WRITE_MSI_SYNC);

	/* CS = SEV and a zero address write nothing. */
	issue(op(CMDQ_OP_CMD_SYNC) |
	      FIELD_PREP(CMD0_SYNC_CS, CMD0_SYNC_CS_SEV), MSI_PA + 8);
	issue(sync, 0);
	EXPECT_EQ(lg.write_count, 1);
	EXPECT_EQ(rd32(MSI_PA + 8), 0);

	/* An aborted sync MSI is a global error, not a command error. */
	issue(sync, UNBACKED);
	EXPECT_EQ(cons_err(), CERROR_NONE);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), GERROR_MSI_CMDQ_ABT_ERR);
}

static void command_error_sends_the_gerror_msi_when_enabled(void)
{
	setup("linear-msi");
	enable(linear_cfg(8));
	hwm_write64(&M, SMMU_GERROR_IRQ_CFG0, MSI_PA + 0x100);
	hwm_write32(&M, SMMU_GERROR_IRQ_CFG1, 0x55AA);
	issue(op(0x7E), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), GERROR_CMDQ_ERR);
	EXPECT_EQ(rd32(MSI_PA + 0x100), 0);	/* IRQ not enabled */

	/* Fix entry 0, enable the IRQ, acknowledge; then fail entry 1. */
	wr64(CMDQ_PA, op(CMDQ_OP_CMD_SYNC));
	hwm_write32(&M, SMMU_IRQ_CTRL, IRQ_CTRL_GERROR_IRQEN);
	hwm_write32(&M, SMMU_GERRORN, hwm_read32(&M, SMMU_GERROR));
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 1);
	EXPECT_EQ(lg.write_count, 0);
	issue(op(0x7E), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), 0);
	EXPECT_EQ(rd32(MSI_PA + 0x100), 0x55AA);
	EXPECT_EQ(lg.write_count, 1);
	EXPECT_EQ(lg.write_why[lg.write_count - 1], HWM_WRITE_MSI_IRQ);

	/* An unreachable GERROR MSI address flags MSI_GERROR_ABT_ERR. */
	setup("linear-msi");
	enable(linear_cfg(8));
	hwm_write64(&M, SMMU_GERROR_IRQ_CFG0, UNBACKED);
	hwm_write32(&M, SMMU_IRQ_CTRL, IRQ_CTRL_GERROR_IRQEN);
	issue(op(0x7E), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR),
		  GERROR_CMDQ_ERR | GERROR_MSI_GERROR_ABT_ERR);
}

/* ---- Configuration cache ------------------------------------------------ */

static void ste_cache_keeps_a_stale_ste_until_cfgi_ste(void)
{
	uint64_t s[8];

	setup("qemu-virt");
	enable(linear_cfg(8));
	ste_cfg(s, STE_CFG_BYPASS);
	ste_put(5, s);
	EXPECT(dma(5, 0x1000, false));
	EXPECT(R.bypass);
	EXPECT_EQ(M.stats.ste_fetches, 1);
	EXPECT_EQ(lg.ste_fetch_count, 1);

	ste_cfg(s, STE_CFG_ABORT);
	ste_put(5, s);
	EXPECT(dma(5, 0x1000, false));	/* stale, cached bypass */
	EXPECT_EQ(M.stats.ste_fetches, 1);
	cfgi_ste(6);
	EXPECT(dma(5, 0x1000, false));
	cfgi_ste(5);
	EXPECT(!dma(5, 0x1000, false));
	EXPECT_EQ(R.event, 0);
	EXPECT_EQ(M.stats.ste_fetches, 2);
}

static void cfgi_ranges_and_cfgi_all_drop_cached_stes(void)
{
	uint64_t s[8];
	uint32_t sid;

	setup("qemu-virt");
	enable(linear_cfg(8));
	ste_cfg(s, STE_CFG_BYPASS);
	for (sid = 8; sid < 12; sid++) {
		ste_put(sid, s);
		EXPECT(dma(sid, 0, false));
	}
	ste_cfg(s, STE_CFG_ABORT);
	for (sid = 8; sid < 12; sid++) {
		ste_put(sid, s);
	}
	/* Range 0 covers two SIDs from an aligned start: 8 and 9. */
	issue(op(CMDQ_OP_CFGI_STE_RANGE) | FIELD_PREP(CMD0_SID, 9), 0);
	EXPECT(!dma(8, 0, false));
	EXPECT(!dma(9, 0, false));
	EXPECT(dma(10, 0, false));
	EXPECT(dma(11, 0, false));
	cfgi_all();
	EXPECT(!dma(10, 0, false));
	EXPECT(!dma(11, 0, false));
	EXPECT_EQ(M.stats.cfgi, 2);
}

static void invalid_ste_is_not_cached(void)
{
	uint64_t s[8];

	setup("qemu-virt");
	enable(linear_cfg(8));
	memset(s, 0, sizeof(s));
	ste_put(3, s);
	EXPECT(!dma(3, 0, false));
	EXPECT_EQ(R.event, EVT_ID_BAD_STE);
	ste_cfg(s, STE_CFG_BYPASS);
	ste_put(3, s);
	EXPECT(dma(3, 0, false));
	EXPECT_EQ(M.stats.ste_fetches, 2);
}

/* ---- TLB -------------------------------------------------------------- */

/* Stage-1 stream @sid with CD 0 (ASID @asid) mapping @va to @pa. */
static uint64_t s1_stream(uint32_t sid, uint16_t vmid, uint16_t asid,
			  uint64_t cd_pa)
{
	uint64_t s[8], root = pt_alloc(1);

	ste_s1(s, cd_pa, 0, 0, 0, vmid);
	ste_put(sid, s);
	cd_put(cd_pa, asid, root);
	return root;
}

static void expect_pa(uint32_t sid, uint64_t iova, uint64_t pa, bool hit)
{
	EXPECT(dma(sid, iova, false));
	EXPECT_EQ(R.pa, pa);
	EXPECT_EQ(R.tlb_hit, hit);
}

static void tlb_entry_survives_until_a_matching_stage1_tlbi(void)
{
	uint64_t root, leaf;

	setup("qemu-virt");
	enable(linear_cfg(8));
	root = s1_stream(1, 3, 7, CD_PA);
	s1_map(root, 0x1000, DATA_PA, S1_RW);
	leaf = pt_slot(root, S1_START, S1_SBITS, 0x1000, 3);

	expect_pa(1, 0x1010, DATA_PA + 0x10, false);
	EXPECT(R.s1 && !R.s2 && !R.bypass);
	expect_pa(1, 0x1010, DATA_PA + 0x10, true);
	EXPECT_EQ(M.stats.tlb_hits, 1);

	/* Remap without invalidation: the TLB still answers. */
	wr64(leaf, (DATA_PA + 0x5000) | S1_RW | PTE_VALID | PTE_TYPE);
	expect_pa(1, 0x1000, DATA_PA, true);

	issue(op(CMDQ_OP_TLBI_NH_ASID) | FIELD_PREP(CMD0_VMID, 3) |
	      FIELD_PREP(CMD0_ASID, 8), 0);
	issue(op(CMDQ_OP_TLBI_NH_VA) | FIELD_PREP(CMD0_VMID, 3) |
	      FIELD_PREP(CMD0_ASID, 7), 0x2000);
	issue(op(CMDQ_OP_TLBI_NH_ALL) | FIELD_PREP(CMD0_VMID, 4), 0);
	issue(op(CMDQ_OP_TLBI_S2_IPA) | FIELD_PREP(CMD0_VMID, 3), 0x1000);
	issue(op(CMDQ_OP_TLBI_S12_VMALL) | FIELD_PREP(CMD0_VMID, 2), 0);
	expect_pa(1, 0x1000, DATA_PA, true);

	issue(op(CMDQ_OP_TLBI_NH_VA) | FIELD_PREP(CMD0_VMID, 3) |
	      FIELD_PREP(CMD0_ASID, 7), 0x1000 | CMD1_LEAF);
	expect_pa(1, 0x1000, DATA_PA + 0x5000, false);

	issue(op(CMDQ_OP_TLBI_NH_VAA) | FIELD_PREP(CMD0_VMID, 3), 0x1000);
	expect_pa(1, 0x1000, DATA_PA + 0x5000, false);
	issue(op(CMDQ_OP_TLBI_NH_ASID) | FIELD_PREP(CMD0_VMID, 3) |
	      FIELD_PREP(CMD0_ASID, 7), 0);
	expect_pa(1, 0x1000, DATA_PA + 0x5000, false);
	issue(op(CMDQ_OP_TLBI_NH_ALL) | FIELD_PREP(CMD0_VMID, 3), 0);
	expect_pa(1, 0x1000, DATA_PA + 0x5000, false);
	issue(op(CMDQ_OP_TLBI_S12_VMALL) | FIELD_PREP(CMD0_VMID, 3), 0);
	expect_pa(1, 0x1000, DATA_PA + 0x5000, false);
	issue(op(CMDQ_OP_TLBI_NSNH_ALL), 0);
	expect_pa(1, 0x1000, DATA_PA + 0x5000, false);
	EXPECT_EQ(M.stats.tlbi, 11);
}

static void tlb_is_tagged_by_asid_and_vmid_not_by_stream(void)
{
	uint64_t root;

	setup("qemu-virt");
	enable(linear_cfg(8));
	root = s1_stream(1, 3, 7, CD_PA);
	s1_map(root, 0x1000, DATA_PA, S1_RW);
	/* A second stream with the same ASID and VMID shares the entry. */
	s1_stream(2, 3, 7, CD_PA + 0x40);
	expect_pa(1, 0x1000, DATA_PA, false);
	expect_pa(2, 0x1000, DATA_PA, true);
	/* Another ASID misses (and its own tables map nothing). */
	s1_stream(4, 3, 9, CD_PA + 0x80);
	EXPECT(!dma(4, 0x1000, false));
	EXPECT_EQ(R.event, EVT_ID_TRANSLATION);
}

/* Nested stream: S2 maps all RAM 1:1 with 2 MiB blocks. */
static uint64_t s2_identity_root(void)
{
	uint64_t root = pt_alloc(1), a;

	for (a = RAM_BASE; a < RAM_BASE + RAM_SIZE; a += 0x200000) {
		pt_map(root, S2_START, S2_SBITS, a, a, 2, S2_RW);
	}
	return root;
}

static void tlbi_s2_ipa_drops_stage2_entries_but_not_nested_ones(void)
{
	uint64_t s[8], s2root, s1root;
	uint64_t leaf_s2, leaf_nested;

	setup("qemu-virt");
	enable(linear_cfg(8));
	s2root = s2_identity_root();

	/* SID 1: stage 2 only. */
	ste_s2(s, 5, s2root);
	ste_put(1, s);
	s2_map(s2root, 0x80000000ULL, DATA_PA, S2_RW);
	leaf_s2 = pt_slot(s2root, S2_START, S2_SBITS, 0x80000000ULL, 3);

	/* SID 2: nested, VA 0x5000 -> IPA 0x80100000 -> DATA + 64K. */
	s1root = pt_alloc(1);
	ste_s2(s, 5, s2root);
	s[0] = (s[0] & ~STE0_CFG) | FIELD_PREP(STE0_CFG, STE_CFG_NESTED) |
	       CD_PA;
	ste_put(2, s);
	cd_put(CD_PA, 1, s1root);
	s1_map(s1root, 0x5000, 0x80100000ULL, S1_RW);
	s2_map(s2root, 0x80100000ULL, DATA_PA + 0x10000, S2_RW);
	leaf_nested = pt_slot(s2root, S2_START, S2_SBITS, 0x80100000ULL, 3);

	expect_pa(1, 0x80000000ULL, DATA_PA, false);
	EXPECT(R.s2 && !R.s1);
	expect_pa(2, 0x5000, DATA_PA + 0x10000, false);
	EXPECT(R.s2 && R.s1);

	wr64(leaf_s2, (DATA_PA + 0x20000) | S2_RW | PTE_VALID | PTE_TYPE);
	wr64(leaf_nested, (DATA_PA + 0x30000) | S2_RW | PTE_VALID | PTE_TYPE);
	expect_pa(1, 0x80000000ULL, DATA_PA, true);
	expect_pa(2, 0x5000, DATA_PA + 0x10000, true);

	issue(op(CMDQ_OP_TLBI_S2_IPA) | FIELD_PREP(CMD0_VMID, 5),
	      0x80000000ULL);
	issue(op(CMDQ_OP_TLBI_S2_IPA) | FIELD_PREP(CMD0_VMID, 5),
	      0x80100000ULL);
	expect_pa(1, 0x80000000ULL, DATA_PA + 0x20000, false);
	expect_pa(2, 0x5000, DATA_PA + 0x10000, true);

	/* Stage-1 invalidation by VMID reaches the nested entry. */
	issue(op(CMDQ_OP_TLBI_S12_VMALL) | FIELD_PREP(CMD0_VMID, 5), 0);
	expect_pa(2, 0x5000, DATA_PA + 0x30000, false);
}

static void range_tlbi_covers_num_scale_pages_when_ril_is_present(void)
{
	static const uint64_t pages[] = { 0, 1, 33, 34 };
	struct hwm_config cfg;
	uint64_t root;
	unsigned i, pass;

	for (pass = 0; pass < 2; pass++) {
		cfg = *hwm_profile(0);
		if (pass == 1) {
			cfg.idr[3] &= ~IDR3_RIL;
		}
		setup_cfg(&cfg);
		enable(linear_cfg(8));
		root = s1_stream(1, 0, 1, CD_PA);
		for (i = 0; i < 4; i++) {
			s1_map(root, pages[i] * PG, DATA_PA + i * PG, S1_RW);
			EXPECT(dma(1, pages[i] * PG, false));
		}
		/* TG = 4K, NUM = 1, SCALE = 0: two pages from page 0. */
		issue(op(CMDQ_OP_TLBI_NH_VA) | FIELD_PREP(CMD0_ASID, 1) |
		      FIELD_PREP(CMD0_TLBI_NUM, 1),
		      FIELD_PREP(CMD1_TLBI_TG, 1));
		expect_pa(1, 0, DATA_PA, false);
		expect_pa(1, PG, DATA_PA + PG, pass == 1);
		expect_pa(1, 33 * PG, DATA_PA + 2 * PG, true);
		/* NUM = 0, SCALE = 1: 32 pages from page 2 (2..33). */
		issue(op(CMDQ_OP_TLBI_NH_VAA) | FIELD_PREP(CMD0_TLBI_SCALE, 1),
		      (2 * PG) | FIELD_PREP(CMD1_TLBI_TG, 1));
		expect_pa(1, 33 * PG, DATA_PA + 2 * PG, pass == 1);
		expect_pa(1, 34 * PG, DATA_PA + 3 * PG, true);
	}
}

/* ---- Stream table walks -------------------------------------------------- */

static void linear_stream_table_puts_ste_at_sid_times_64(void)
{
	uint64_t s[8], pa = 0;

	setup("qemu-virt");
	enable(linear_cfg(8));
	EXPECT(hwm_ste_addr(&M, 5, &pa));
	EXPECT_EQ(pa, STRTAB_PA + 5 * 64);
	ste_cfg(s, STE_CFG_BYPASS);
	ste_put(5, s);
	EXPECT(dma(5, 0xABC000, true));
	EXPECT(R.ok && R.bypass && !R.s1 && !R.s2);
	EXPECT_EQ(R.pa, 0xABC000);
	EXPECT_EQ(R.memattr, 0xF);

	/* The base is aligned down to the table size. */
	setup("qemu-virt");
	hwm_write64(&M, SMMU_STRTAB_BASE, STRTAB_PA + 0x40);
	hwm_write32(&M, SMMU_STRTAB_BASE_CFG, linear_cfg(8));
	EXPECT(hwm_ste_addr(&M, 5, &pa));
	EXPECT_EQ(pa, STRTAB_PA + 5 * 64);
}

static void two_level_stream_table_follows_the_l1_descriptor(void)
{
	uint64_t s[8], pa = 0;
	unsigned i;

	setup("qemu-virt");
	enable(two_level_cfg(16, 8));
	wr64(STRTAB_PA + 8, L2_PA | 9);	/* SIDs 0x100..0x1FF */
	EXPECT(hwm_ste_addr(&M, 0x105, &pa));
	EXPECT_EQ(pa, L2_PA + 5 * 64);
	ste_cfg(s, STE_CFG_BYPASS);
	for (i = 0; i < 8; i++) {
		wr64(L2_PA + 5 * 64 + i * 8, s[i]);
	}
	EXPECT(dma(0x105, 0x4000, false));
	EXPECT(R.bypass);

	/* The linear-only profile treats FMT = 2-level as linear. */
	setup("linear-msi");
	enable(two_level_cfg(8, 6));
	EXPECT(hwm_ste_addr(&M, 0x41, &pa));
	EXPECT_EQ(pa, STRTAB_PA + 0x41 * 64);
}

static void expect_event(uint8_t id)
{
	EXPECT(!R.ok);
	EXPECT_EQ(R.event, id);
	EXPECT_EQ(last_event_id(), id);
}

static void out_of_range_stream_ids_are_bad_streamid(void)
{
	uint64_t rec[4], pa;

	setup("qemu-virt");
	enable(linear_cfg(4));
	EXPECT(!hwm_ste_addr(&M, 16, &pa));
	EXPECT(!dma(16, 0x1000, false));
	expect_event(EVT_ID_BAD_STREAMID);
	last_event(rec);
	EXPECT_EQ(FIELD_GET(EVT0_SID, rec[0]), 16);
	EXPECT_EQ(M.stats.events, 1);

	/* LOG2SIZE beyond IDR1.SIDSIZE (8) is capped. */
	setup("linear-msi");
	enable(linear_cfg(10));
	EXPECT(hwm_ste_addr(&M, 255, &pa));
	EXPECT(!hwm_ste_addr(&M, 256, &pa));
	EXPECT(!dma(256, 0, false));
	expect_event(EVT_ID_BAD_STREAMID);
}

static void two_level_misconfigurations_are_bad_streamid(void)
{
	uint64_t s[8], pa;
	unsigned i;

	setup("qemu-virt");
	enable(two_level_cfg(16, 7));	/* SPLIT must be 6, 8 or 10 */
	wr64(STRTAB_PA, L2_PA | 8);
	EXPECT(!hwm_ste_addr(&M, 1, &pa));
	EXPECT(!dma(1, 0, false));
	expect_event(EVT_ID_BAD_STREAMID);

	setup("qemu-virt");
	enable(two_level_cfg(16, 8));
	ste_cfg(s, STE_CFG_BYPASS);
	for (i = 0; i < 8; i++) {
		wr64(L2_PA + 64 + i * 8, s[i]);
	}
	wr64(STRTAB_PA + 0 * 8, L2_PA | 0);	/* Span 0: no L2 */
	wr64(STRTAB_PA + 1 * 8, L2_PA | 10);	/* Span > SPLIT + 1 */
	wr64(STRTAB_PA + 2 * 8, L2_PA | 2);	/* two STEs */
	EXPECT(!dma(0x001, 0, false));
	expect_event(EVT_ID_BAD_STREAMID);
	EXPECT(!dma(0x101, 0, false));
	expect_event(EVT_ID_BAD_STREAMID);
	EXPECT(!dma(0x202, 0, false));
	expect_event(EVT_ID_BAD_STREAMID);
	EXPECT(!hwm_ste_addr(&M, 0x202, &pa));
	EXPECT(dma(0x201, 0, false));
	EXPECT(hwm_ste_addr(&M, 0x201, &pa));
	EXPECT_EQ(pa, L2_PA + 64);
	EXPECT_EQ(M.stats.events, 3);
}

static void unbacked_stream_table_memory_is_f_ste_fetch(void)
{
	uint64_t rec[4], pa;

	setup("qemu-virt");
	enable_with(UNBACKED, linear_cfg(8), CMDQ_PA, EVTQ_PA);
	EXPECT(hwm_ste_addr(&M, 2, &pa));
	EXPECT(!dma(2, 0, false));
	expect_event(EVT_ID_STE_FETCH);
	last_event(rec);
	EXPECT_EQ(rec[3], UNBACKED + 2 * 64);

	/* The L1 descriptor itself, then an L2 table, out of RAM. */
	setup("qemu-virt");
	enable_with(UNBACKED, two_level_cfg(16, 8), CMDQ_PA, EVTQ_PA);
	EXPECT(!hwm_ste_addr(&M, 0x101, &pa));
	EXPECT(!dma(0x101, 0, false));
	expect_event(EVT_ID_STE_FETCH);
	last_event(rec);
	EXPECT_EQ(rec[3], UNBACKED + 8);

	setup("qemu-virt");
	enable(two_level_cfg(16, 8));
	wr64(STRTAB_PA + 8, UNBACKED | 9);
	EXPECT(!dma(0x101, 0, false));
	expect_event(EVT_ID_STE_FETCH);
	last_event(rec);
	EXPECT_EQ(rec[3], UNBACKED + 64);
}

static void invalid_or_reserved_ste_is_bad_ste_and_abort_is_silent(void)
{
	uint64_t s[8];
	unsigned cfg;

	setup("qemu-virt");
	enable(linear_cfg(8));
	ste_cfg(s, STE_CFG_BYPASS);
	s[0] &= ~STE0_V;
	ste_put(1, s);
	EXPECT(!dma(1, 0, false));
	expect_event(EVT_ID_BAD_STE);
	for (cfg = 1; cfg < 4; cfg++) {
		ste_cfg(s, cfg);
		ste_put(1 + cfg, s);
		EXPECT(!dma(1 + cfg, 0, false));
		expect_event(EVT_ID_BAD_STE);
	}
	EXPECT_EQ(M.stats.events, 4);
	ste_cfg(s, STE_CFG_ABORT);
	ste_put(9, s);
	EXPECT(!dma(9, 0, false));
	EXPECT_EQ(R.event, 0);
	EXPECT_EQ(M.stats.events, 4);

	/* Stage 2 on an SMMU without it. */
	setup("no-s2");
	enable(linear_cfg(8));
	ste_s2(s, 1, pt_alloc(1));
	ste_put(1, s);
	EXPECT(!dma(1, 0, false));
	expect_event(EVT_ID_BAD_STE);
}

/* Try one stage-2 STE variant on SID @sid; true if it was accepted. */
static bool s2_ste_accepted(uint32_t sid, uint64_t s2_word, uint64_t ttb)
{
	uint64_t s[8];

	ste_s2(s, 1, ttb);
	s[2] = s2_word;
	ste_put(sid, s);
	(void)dma(sid, 0, false);
	return R.event != EVT_ID_BAD_STE;
}

static void bad_stage2_configuration_is_bad_ste(void)
{
	uint64_t s[8], good, root = 0;
	uint32_t sid = 0;

	setup("qemu-virt");	/* OAS 44 bits */
	enable(linear_cfg(8));
	ste_s2(s, 1, 0);
	good = s[2];
	root = pt_alloc(2);

	EXPECT(s2_ste_accepted(sid++, good, root));
	EXPECT(!s2_ste_accepted(sid++, good & ~STE2_S2AA64, root));
	EXPECT(!s2_ste_accepted(sid++, FIELD_SET(STE2_S2TG, good, 1), root));
	EXPECT(!s2_ste_accepted(sid++, FIELD_SET(STE2_S2PS, good, 5), root));
	/* 23-bit IPA is too small, 48-bit exceeds a 44-bit OAS. */
	EXPECT(!s2_ste_accepted(sid++, FIELD_SET(STE2_S2T0SZ, good, 41),
				root));
	EXPECT(!s2_ste_accepted(sid++, FIELD_SET(STE2_S2T0SZ, good, 16),
				root));
	EXPECT(!s2_ste_accepted(sid++, FIELD_SET(STE2_S2SL0, good, 3), root));
	/* 39-bit IPA from level 2 would need 2^18 entries. */
	EXPECT(!s2_ste_accepted(sid++, FIELD_SET(STE2_S2SL0, good, 0), root));
	/* 30-bit IPA cannot start at level 0. */
	EXPECT(!s2_ste_accepted(sid++,
				FIELD_SET(STE2_S2SL0,
					  FIELD_SET(STE2_S2T0SZ, good, 34), 2),
				root));
	/* 40-bit IPA from level 1: two concatenated tables, 8K aligned. */
	good = FIELD_SET(STE2_S2T0SZ, good, 24);
	EXPECT(s2_ste_accepted(sid++, good, root));
	EXPECT(!s2_ste_accepted(sid++, good, root + PG));
	/* 44-bit IPA from level 1 would need 16K entries: too many. */
	EXPECT(!s2_ste_accepted(sid++, FIELD_SET(STE2_S2T0SZ, good, 20),
				root));
	EXPECT(s2_ste_accepted(sid++,
			       FIELD_SET(STE2_S2SL0,
					 FIELD_SET(STE2_S2T0SZ, good, 20), 2),
			       root));
}

static void concatenated_stage2_tables_translate_high_ipas(void)
{
	uint64_t s[8], root;

	setup("qemu-virt");
	enable(linear_cfg(8));
	root = pt_alloc(2);
	ste_s2_geom(s, 1, root, 24, 1);	/* 40-bit IPA, L1 start */
	ste_put(1, s);
	pt_map(root, 1, 10, 0x8000001000ULL, DATA_PA, 3, S2_RW);
	EXPECT(dma(1, 0x8000001234ULL, false));
	EXPECT_EQ(R.pa, DATA_PA + 0x234);
	/* The entry sits in the second concatenated page. */
	EXPECT(rd64(root + PG) & PTE_VALID);
	EXPECT(!dma(1, 0x10000000000ULL, false));
	EXPECT_EQ(R.event, EVT_ID_TRANSLATION);
}

static void stage2_maps_pages_and_blocks_with_their_memattr(void)
{
	uint64_t s[8], root;

	setup("qemu-virt");
	enable(linear_cfg(8));
	root = pt_alloc(1);
	ste_s2(s, 1, root);
	ste_put(1, s);
	s2_map(root, 0x1000, DATA_PA + 0x3000, S2_RW);
	pt_map(root, S2_START, S2_SBITS, 0x200000, DATA_PA + 0x200000, 2,
	       PTE_AF | PTE_S2_AP_R | PTE_S2_AP_W |
	       FIELD_PREP(PTE_S2_MEMATTR, PTE_S2_MEMATTR_DEV));
	pt_map(root, S2_START, S2_SBITS, 0x40000000, 0x80000000ULL, 1,
	       PTE_AF | PTE_S2_AP_R |
	       FIELD_PREP(PTE_S2_MEMATTR, PTE_S2_MEMATTR_NC));

	EXPECT(dma(1, 0x1ABC, true));
	EXPECT(R.s2 && !R.s1 && !R.bypass);
	EXPECT_EQ(R.pa, DATA_PA + 0x3ABC);
	EXPECT_EQ(R.memattr, PTE_S2_MEMATTR_WB);
	EXPECT(dma(1, 0x2FF008, false));
	EXPECT_EQ(R.pa, DATA_PA + 0x2FF008);
	EXPECT_EQ(R.memattr, PTE_S2_MEMATTR_DEV);
	EXPECT(dma(1, 0x7654321C, false));
	EXPECT_EQ(R.pa, 0x80000000ULL + 0x3654321C);
	EXPECT_EQ(R.memattr, PTE_S2_MEMATTR_NC);
	/* A TLB hit reports the same attributes. */
	EXPECT(dma(1, 0x7654321C, false));
	EXPECT(R.tlb_hit);
	EXPECT_EQ(R.memattr, PTE_S2_MEMATTR_NC);
}

static void stage2_translation_faults_report_the_ipa(void)
{
	uint64_t s[8], root, rec[4];

	setup("qemu-virt");
	enable(linear_cfg(8));
	root = pt_alloc(1);
	ste_s2(s, 1, root);
	ste_put(1, s);
	s2_map(root, 0x1000, DATA_PA, S2_RW);

	EXPECT(!dma(1, 0x3000, true));
	expect_event(EVT_ID_TRANSLATION);
	EXPECT_EQ(R.fault_addr, 0x3000);
	last_event(rec);
	EXPECT_EQ(rec[1], EVT1_S2 | FIELD_PREP(EVT1_CLASS, 2));
	EXPECT_EQ(rec[2], 0x3000);
	EXPECT_EQ(rec[3], 0x3000);

	EXPECT(!dma(1, 1ULL << 39, false));
	expect_event(EVT_ID_TRANSLATION);

	/* A block descriptor at level 3 is invalid. */
	wr64(pt_slot(root, S2_START, S2_SBITS, 0x1000, 3),
	     DATA_PA | S2_RW | PTE_VALID);
	EXPECT(!dma(1, 0x1000, false));
	expect_event(EVT_ID_TRANSLATION);

	/* So is a block at level 0 (48-bit IPA on the 48-bit OAS part). */
	setup("mmu700");
	enable(linear_cfg(8));
	root = pt_alloc(1);
	ste_s2_geom(s, 1, root, 16, 2);
	ste_put(1, s);
	wr64(root, 0 | S2_RW | PTE_VALID);
	EXPECT(!dma(1, 0x1000, false));
	expect_event(EVT_ID_TRANSLATION);
	pt_map(root, 0, 9, 0x8000000000ULL, DATA_PA, 3, S2_RW);
	EXPECT(dma(1, 0x8000000000ULL, false));
	EXPECT_EQ(R.pa, DATA_PA);
}

static void stage2_permissions_follow_s2ap(void)
{
	uint64_t s[8], root, rec[4];

	setup("qemu-virt");
	enable(linear_cfg(8));
	root = pt_alloc(1);
	ste_s2(s, 1, root);
	ste_put(1, s);
	s2_map(root, 0x1000, DATA_PA, PTE_AF | PTE_S2_AP_R);
	s2_map(root, 0x2000, DATA_PA, PTE_AF | PTE_S2_AP_W);
	s2_map(root, 0x3000, DATA_PA, PTE_AF);

	EXPECT(dma(1, 0x1000, false));
	EXPECT(!dma(1, 0x1000, true));
	expect_event(EVT_ID_PERMISSION);
	last_event(rec);
	EXPECT(!(rec[1] & EVT1_RNW));
	EXPECT(dma(1, 0x2000, true));
	EXPECT(!dma(1, 0x2000, false));
	expect_event(EVT_ID_PERMISSION);
	last_event(rec);
	EXPECT(rec[1] & EVT1_RNW);
	EXPECT(!dma(1, 0x3000, false));
	expect_event(EVT_ID_PERMISSION);
	/* A cached read-only page is walked again for a write, and faults. */
	EXPECT(dma(1, 0x1000, false));
	EXPECT(!dma(1, 0x1000, true));
	expect_event(EVT_ID_PERMISSION);
}

static void stage2_access_flag_faults_unless_affd(void)
{
	uint64_t s[8], root;

	setup("qemu-virt");
	enable(linear_cfg(8));
	root = pt_alloc(1);
	ste_s2(s, 1, root);
	ste_put(1, s);
	s[2] |= STE2_S2AFFD;
	ste_put(2, s);
	s2_map(root, 0x1000, DATA_PA, PTE_S2_AP_R | PTE_S2_AP_W);
	EXPECT(!dma(1, 0x1000, false));
	expect_event(EVT_ID_ACCESS);
	EXPECT(dma(2, 0x1000, false));
	EXPECT_EQ(R.pa, DATA_PA);
}

static void stage2_output_beyond_s2ps_is_an_address_size_fault(void)
{
	uint64_t s[8], root;

	setup("qemu-virt");
	enable(linear_cfg(8));
	root = pt_alloc(1);
	ste_s2(s, 1, root);
	s[2] = FIELD_SET(STE2_S2PS, s[2], 0);	/* 32-bit PA */
	ste_put(1, s);
	s2_map(root, 0x1000, 0x100000000ULL, S2_RW);
	s2_map(root, 0x2000, 0xFFFFF000ULL, S2_RW);
	EXPECT(!dma(1, 0x1000, false));
	expect_event(EVT_ID_ADDR_SIZE);
	EXPECT(dma(1, 0x2000, false));
	EXPECT_EQ(R.pa, 0xFFFFF000ULL);
}

static void stage2_walk_into_unbacked_memory_is_f_walk_eabt(void)
{
	uint64_t s[8], rec[4];

	setup("qemu-virt");
	enable(linear_cfg(8));
	ste_s2(s, 1, UNBACKED);
	ste_put(1, s);
	EXPECT(!dma(1, 0x40001000, false));
	expect_event(EVT_ID_WALK_EABT);
	last_event(rec);
	EXPECT_EQ(rec[3], UNBACKED + 8);
	EXPECT(rec[1] & EVT1_S2);
}

/* ---- Stage 1 and context descriptors ----------------------------------- */

static void stage1_walk_translates_and_read_only_pages_refuse_writes(void)
{
	uint64_t root, rec[4];

	setup("qemu-virt");
	enable(linear_cfg(8));
	root = s1_stream(1, 0, 1, CD_PA);
	s1_map(root, 0x1000, DATA_PA, S1_RW);
	s1_map(root, 0x2000, DATA_PA + PG, S1_RO);
	s1_map(root, 0x3000, DATA_PA, PTE_S1_AP_RO);
	pt_map(root, S1_START, S1_SBITS, 0x400000, DATA_PA + 0x200000, 2,
	       S1_RW);

	EXPECT(dma(1, 0x1008, true));
	EXPECT(R.s1 && !R.s2);
	EXPECT_EQ(R.pa, DATA_PA + 8);
	EXPECT(dma(1, 0x2008, false));
	EXPECT_EQ(R.pa, DATA_PA + PG + 8);
	EXPECT(!dma(1, 0x2008, true));
	expect_event(EVT_ID_PERMISSION);
	last_event(rec);
	EXPECT(!(rec[1] & EVT1_S2));
	EXPECT_EQ(rec[2], 0x2008);
	EXPECT_EQ(rec[3], 0);
	EXPECT(!dma(1, 0x3000, false));
	expect_event(EVT_ID_ACCESS);
	EXPECT(!dma(1, 0x5000, false));
	expect_event(EVT_ID_TRANSLATION);
	EXPECT(!dma(1, 1ULL << 39, false));
	expect_event(EVT_ID_TRANSLATION);
	EXPECT(dma(1, 0x4ABCDE, true));
	EXPECT_EQ(R.pa, DATA_PA + 0x2ABCDE);

	/* Output beyond the CD's IPS (32 bits). */
	wr64(CD_PA, FIELD_SET(CD0_IPS, rd64(CD_PA), 0));
	s1_map(root, 0x6000, 0x100000000ULL, S1_RW);
	EXPECT(!dma(1, 0x6000, false));
	expect_event(EVT_ID_ADDR_SIZE);
}

/* Stage-1 STE with CDs at CD_PA; CD n maps VA 0x1000 to DATA + n pages. */
static void cd_table(unsigned count)
{
	unsigned n;

	for (n = 0; n < count; n++) {
		uint64_t root = pt_alloc(1);

		cd_put(CD_PA + n * 64ULL, (uint16_t)(n + 1), root);
		s1_map(root, 0x1000, DATA_PA + n * PG, S1_RW);
	}
}

static void cd_selection_follows_s1cdmax_and_s1dss(void)
{
	uint64_t s[8], rec[4];

	setup("linear-msi");	/* SSIDSIZE 4 */
	enable(linear_cfg(8));
	cd_table(4);

	ste_s1(s, CD_PA, 0, 0, 0, 0);
	ste_put(1, s);
	EXPECT(dma(1, 0x1000, false));
	EXPECT_EQ(R.pa, DATA_PA);
	EXPECT(!dma_ss(1, 0, 0x1000, false));
	expect_event(EVT_ID_BAD_SUBSTREAMID);
	last_event(rec);
	EXPECT(rec[0] & EVT0_SSV);
	EXPECT_EQ(FIELD_GET(EVT0_SSID, rec[0]), 0);

	ste_s1(s, CD_PA, 2, 0, S1DSS_TERMINATE, 0);
	ste_put(2, s);
	EXPECT(dma_ss(2, 3, 0x1000, false));
	EXPECT_EQ(R.pa, DATA_PA + 3 * PG);
	EXPECT(!dma_ss(2, 4, 0x1000, false));
	expect_event(EVT_ID_BAD_SUBSTREAMID);
	EXPECT(!dma(2, 0x1000, false));
	expect_event(EVT_ID_BAD_SUBSTREAMID);

	ste_s1(s, CD_PA, 2, 0, S1DSS_BYPASS, 0);
	ste_put(3, s);
	EXPECT(dma(3, 0x1000, false));
	EXPECT(R.bypass && !R.s1);
	EXPECT_EQ(R.pa, 0x1000);

	ste_s1(s, CD_PA, 2, 0, S1DSS_SSID0, 0);
	ste_put(4, s);
	EXPECT(dma(4, 0x1000, false));
	EXPECT_EQ(R.pa, DATA_PA);
	EXPECT(dma_ss(4, 1, 0x1000, false));
	EXPECT_EQ(R.pa, DATA_PA + PG);

	/* S1DSS = 3 and S1CDMax > SSIDSIZE are ILLEGAL. */
	ste_s1(s, CD_PA, 2, 0, 3, 0);
	ste_put(5, s);
	EXPECT(!dma(5, 0x1000, false));
	expect_event(EVT_ID_BAD_STE);
	ste_s1(s, CD_PA, 5, 0, S1DSS_SSID0, 0);
	ste_put(6, s);
	EXPECT(!dma(6, 0x1000, false));
	expect_event(EVT_ID_BAD_STE);

	/* A substream on a bypass stream has no CD to use. */
	ste_cfg(s, STE_CFG_BYPASS);
	ste_put(7, s);
	EXPECT(dma(7, 0x1000, false));
	EXPECT(!dma_ss(7, 1, 0x1000, false));
	expect_event(EVT_ID_BAD_SUBSTREAMID);
}

static void two_level_cd_tables_need_cd2l_and_valid_l1_descriptors(void)
{
	struct hwm_config cfg = *hwm_profile(1);
	uint64_t s[8], root;

	cfg.idr[0] |= IDR0_CD2L;
	setup_cfg(&cfg);
	enable(linear_cfg(8));
	root = pt_alloc(1);
	s1_map(root, 0x1000, DATA_PA + 7 * PG, S1_RW);

	/* 4 KiB leaves: SSID 9 is entry 9 of leaf 0... */
	ste_s1(s, CD_PA, 4, S1FMT_4K_L2, S1DSS_SSID0, 0);
	ste_put(1, s);
	wr64(CD_PA, CD_L2_PA | CD_L1_V);
	cd_put(CD_L2_PA + 9 * 64, 9, root);
	EXPECT(dma_ss(1, 9, 0x1000, false));
	EXPECT_EQ(R.pa, DATA_PA + 7 * PG);
	/* ...and SSID 0 reads a CD that is not valid. */
	EXPECT(!dma(1, 0x1000, false));
	expect_event(EVT_ID_BAD_CD);

	/* 64 KiB leaves: SSID 9 is entry 9 of the leaf named by L1[0]. */
	ste_s1(s, CD_PA + 0x1000, 4, S1FMT_64K_L2, S1DSS_SSID0, 0);
	ste_put(2, s);
	wr64(CD_PA + 0x1000, CD_L2_PA | CD_L1_V);
	EXPECT(dma_ss(2, 9, 0x1000, false));
	EXPECT_EQ(R.pa, DATA_PA + 7 * PG);

	/* An invalid L1 descriptor leaves the substream without a CD. */
	wr64(CD_PA + 0x1000, CD_L2_PA);
	EXPECT(!dma_ss(2, 9, 0x1000, false));
	expect_event(EVT_ID_BAD_SUBSTREAMID);
	/* An L1 descriptor out of RAM. */
	ste_s1(s, UNBACKED, 4, S1FMT_4K_L2, S1DSS_SSID0, 0);
	ste_put(3, s);
	EXPECT(!dma_ss(3, 9, 0x1000, false));
	expect_event(EVT_ID_CD_FETCH);

	/* Without CD2L the 2-level formats are ILLEGAL. */
	setup("linear-msi");
	enable(linear_cfg(8));
	ste_s1(s, CD_PA, 4, S1FMT_4K_L2, S1DSS_SSID0, 0);
	ste_put(1, s);
	EXPECT(!dma(1, 0x1000, false));
	expect_event(EVT_ID_BAD_STE);
}

static void bad_cds_and_disabled_ttb0_are_reported(void)
{
	static const struct {
		uint64_t clear, set;
		uint8_t event;
	} cases[] = {
		{ CD0_V, 0, EVT_ID_BAD_CD },
		{ CD0_AA64, 0, EVT_ID_BAD_CD },
		{ 0, FIELD_PREP(CD0_TG0, 1), EVT_ID_BAD_CD },
		{ CD0_T0SZ, FIELD_PREP(CD0_T0SZ, 15), EVT_ID_BAD_CD },
		{ CD0_T0SZ, FIELD_PREP(CD0_T0SZ, 40), EVT_ID_BAD_CD },
		{ CD0_IPS, FIELD_PREP(CD0_IPS, 5), EVT_ID_BAD_CD },
		/* qemu-virt terminates by abort only (TERM_MODEL): A == 0 is
		 * ILLEGAL (IHI 0070 5.5). */
		{ CD0_A, 0, EVT_ID_BAD_CD },
		{ 0, CD0_EPD0, EVT_ID_TRANSLATION },
	};
	uint64_t root, good, rec[4], s[8];
	unsigned i;

	setup("qemu-virt");
	enable(linear_cfg(8));
	root = s1_stream(1, 0, 1, CD_PA);
	s1_map(root, 0x1000, DATA_PA, S1_RW);
	good = rd64(CD_PA);
	EXPECT(dma(1, 0x1000, false));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wr64(CD_PA, (good & ~cases[i].clear) | cases[i].set);
		issue(op(CMDQ_OP_TLBI_NSNH_ALL), 0);
		EXPECT(!dma(1, 0x1000, false));
		expect_event(cases[i].event);
	}

	/* A CD out of RAM. */
	ste_s1(s, UNBACKED, 0, 0, 0, 0);
	ste_put(2, s);
	EXPECT(!dma(2, 0x1000, false));
	expect_event(EVT_ID_CD_FETCH);
	last_event(rec);
	EXPECT_EQ(rec[3], UNBACKED);
}

/* ---- Nested translation --------------------------------------------- */

#define CD_IPA		0x80000000ULL
#define OUT_IPA		0x90000000ULL

/* SID 1 nested: CD at CD_IPA, VA 0x1000 -> OUT_IPA -> DATA_PA + 8 pages. */
static uint64_t nested_stream(uint64_t cd_s2_attrs)
{
	uint64_t s[8], s2root, s1root;

	s2root = s2_identity_root();
	ste_s2(s, 9, s2root);
	s[0] = (s[0] & ~STE0_CFG) | FIELD_PREP(STE0_CFG, STE_CFG_NESTED) |
	       CD_IPA;
	ste_put(1, s);
	s1root = pt_alloc(1);
	cd_put(CD_PA, 4, s1root);
	s2_map(s2root, CD_IPA, CD_PA, cd_s2_attrs);
	s1_map(s1root, 0x1000, OUT_IPA, S1_RW);
	s2_map(s2root, OUT_IPA, DATA_PA + 8 * PG, S2_RW);
	return s2root;
}

static void nested_walk_reads_the_cd_through_stage2(void)
{
	setup("qemu-virt");
	enable(linear_cfg(8));
	nested_stream(S2_RW);
	/* CD_IPA itself is not RAM: only a stage-2 translated read works. */
	EXPECT(dma(1, 0x1234, true));
	EXPECT(R.s1 && R.s2);
	EXPECT_EQ(R.pa, DATA_PA + 8 * PG + 0x234);
	EXPECT_EQ(R.memattr, PTE_S2_MEMATTR_WB);
	EXPECT_EQ(M.stats.events, 0);
}

static void nested_stage2_denying_the_cd_fetch_is_a_class_cd_fault(void)
{
	uint64_t rec[4];

	setup("qemu-virt");
	enable(linear_cfg(8));
	nested_stream(PTE_AF | PTE_S2_AP_W);	/* CD page not readable */
	EXPECT(!dma(1, 0x1000, true));
	expect_event(EVT_ID_PERMISSION);
	EXPECT_EQ(R.fault_addr, CD_IPA);
	last_event(rec);
	EXPECT_EQ(rec[1] & (EVT1_S2 | EVT1_CLASS), EVT1_S2);	/* CLASS CD */
	EXPECT_EQ(rec[3], CD_IPA);

	setup("qemu-virt");
	enable(linear_cfg(8));
	nested_stream(0);	/* CD page not mapped at all */
	wr64(pt_slot(rd64(STRTAB_PA + 64 + 24) & STE3_S2TTB_MASK, S2_START,
		     S2_SBITS, CD_IPA, 3), 0);
	EXPECT(!dma(1, 0x1000, false));
	expect_event(EVT_ID_TRANSLATION);
	last_event(rec);
	EXPECT_EQ(rec[1], EVT1_RNW | EVT1_S2 | FIELD_PREP(EVT1_CLASS, 0));
}

static void nested_stage2_faults_on_tables_and_output_have_classes(void)
{
	uint64_t rec[4], s2root;

	setup("qemu-virt");
	enable(linear_cfg(8));
	s2root = nested_stream(S2_RW);
	/* Output IPA no longer mapped: class IN. */
	wr64(pt_slot(s2root, S2_START, S2_SBITS, OUT_IPA, 3), 0);
	EXPECT(!dma(1, 0x1000, false));
	expect_event(EVT_ID_TRANSLATION);
	EXPECT_EQ(R.fault_addr, OUT_IPA);
	last_event(rec);
	EXPECT_EQ(rec[1], EVT1_RNW | EVT1_S2 | FIELD_PREP(EVT1_CLASS, 2));
	EXPECT_EQ(rec[2], 0x1000);
	EXPECT_EQ(rec[3], OUT_IPA);

	/* Stage-1 table at an IPA stage 2 does not map: class TT. */
	wr64(CD_PA + 8, 0xA0000000ULL);
	EXPECT(!dma(1, 0x1000, false));
	expect_event(EVT_ID_TRANSLATION);
	last_event(rec);
	EXPECT_EQ(rec[1], EVT1_RNW | EVT1_S2 | FIELD_PREP(EVT1_CLASS, 1));
	EXPECT_EQ(rec[3], 0xA0000000ULL);
}

/* ---- Event queue --------------------------------------------------------- */

static void event_record_carries_stream_substream_and_addresses(void)
{
	uint64_t rec[4], s[8];

	setup("linear-msi");
	enable(linear_cfg(8));
	cd_table(2);
	ste_s1(s, CD_PA, 1, 0, S1DSS_SSID0, 0);
	ste_put(0x42, s);
	EXPECT(!dma_ss(0x42, 1, 0x7000, true));
	expect_event(EVT_ID_TRANSLATION);
	EXPECT_EQ(lg.write_count, 1);
	EXPECT_EQ(lg.write_pa[0], EVTQ_PA);
	EXPECT_EQ(lg.write_len[0], 32);
	EXPECT_EQ(lg.write_why[0], HWM_WRITE_EVENT);
	last_event(rec);
	EXPECT_EQ(rec[0], FIELD_PREP(EVT0_ID, EVT_ID_TRANSLATION) | EVT0_SSV |
			  FIELD_PREP(EVT0_SSID, 1) |
			  FIELD_PREP(EVT0_SID, 0x42));
	EXPECT_EQ(rec[1], FIELD_PREP(EVT1_CLASS, 2));	/* write, stage 1 */
	EXPECT_EQ(rec[2], 0x7000);
	EXPECT_EQ(rec[3], 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD)), 1);

	/* Configuration errors name the stream only. */
	memset(s, 0, sizeof(s));
	ste_put(0x43, s);
	EXPECT(!dma(0x43, 0x7000, false));
	last_event(rec);
	EXPECT_EQ(rec[0], FIELD_PREP(EVT0_ID, EVT_ID_BAD_STE) |
			  FIELD_PREP(EVT0_SID, 0x43));
	EXPECT_EQ(rec[1] | rec[2] | rec[3], 0);
	EXPECT_EQ(M.stats.events, 2);
}

static void full_event_queue_flags_overflow_once_and_counts_lost(void)
{
	uint32_t prod;
	unsigned i;

	setup("qemu-virt");
	enable(linear_cfg(4));
	hwm_write32(&M, SMMU_CR0, CR0_SMMUEN | CR0_CMDQEN);
	hwm_write64(&M, SMMU_EVTQ_BASE, EVTQ_PA | 1);	/* two entries */
	hwm_write32(&M, SMMU_CR0, CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN);
	for (i = 0; i < 2; i++) {
		EXPECT(!dma(100, 0, false));
	}
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD)), 2);
	EXPECT(!dma(100, 0, false));
	EXPECT(!dma(100, 0, false));
	prod = hwm_read32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD));
	EXPECT_EQ(prod, Q_OVERFLOW_FLAG | 2);
	EXPECT_EQ(M.stats.events, 2);
	EXPECT_EQ(M.stats.events_lost, 2);
	EXPECT_EQ(R.event, EVT_ID_BAD_STREAMID);

	/* Software drains and acknowledges the overflow. */
	hwm_write32(&M, SMMU_PAGE1(SMMU_EVTQ_CONS), prod);
	EXPECT(!dma(100, 0, false));
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD)),
		  Q_OVERFLOW_FLAG | 3);
	EXPECT(!dma(100, 0, false));
	EXPECT(!dma(100, 0, false));
	/* A new overflow toggles the flag back. */
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD)), 0);
	EXPECT_EQ(M.stats.events, 4);
	EXPECT_EQ(M.stats.events_lost, 3);
}

static void events_are_lost_while_the_event_queue_is_disabled(void)
{
	setup("qemu-virt");
	enable(linear_cfg(4));
	hwm_write32(&M, SMMU_CR0, CR0_SMMUEN | CR0_CMDQEN);
	EXPECT(!dma(100, 0, false));
	EXPECT_EQ(R.event, EVT_ID_BAD_STREAMID);
	EXPECT_EQ(M.stats.events, 0);
	EXPECT_EQ(M.stats.events_lost, 1);
	EXPECT_EQ(lg.write_count, 0);
	EXPECT_EQ(rd64(EVTQ_PA), 0);
}

static void event_write_abort_raises_evtq_abt_err(void)
{
	setup("qemu-virt");
	enable_with(STRTAB_PA, linear_cfg(4), CMDQ_PA, UNBACKED);
	EXPECT(!dma(100, 0, false));
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), GERROR_EVTQ_ABT_ERR);
	EXPECT_EQ(M.stats.events_lost, 1);
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD)), 0);
}

static void event_msi_follows_evtq_irqen_and_msi_support(void)
{
	setup("linear-msi");
	enable(linear_cfg(4));
	hwm_write64(&M, SMMU_EVTQ_IRQ_CFG0, MSI_PA);
	hwm_write32(&M, SMMU_EVTQ_IRQ_CFG1, 0x1234);
	EXPECT(!dma(100, 0, false));
	EXPECT_EQ(rd32(MSI_PA), 0);
	hwm_write32(&M, SMMU_IRQ_CTRL, IRQ_CTRL_EVTQ_IRQEN);
	EXPECT(!dma(100, 0, false));
	EXPECT_EQ(rd32(MSI_PA), 0x1234);
	EXPECT_EQ(lg.write_count, 3);
	EXPECT_EQ(lg.write_why[2], HWM_WRITE_MSI_IRQ);
	EXPECT_EQ(lg.write_pa[2], MSI_PA);

	setup("qemu-virt");	/* no IDR0.MSI: wired interrupt only */
	enable(linear_cfg(4));
	hwm_write64(&M, SMMU_EVTQ_IRQ_CFG0, MSI_PA);
	hwm_write32(&M, SMMU_EVTQ_IRQ_CFG1, 0x1234);
	hwm_write32(&M, SMMU_IRQ_CTRL, IRQ_CTRL_EVTQ_IRQEN);
	EXPECT(!dma(100, 0, false));
	EXPECT_EQ(rd32(MSI_PA), 0);
	EXPECT_EQ(lg.write_count, 1);
}

static void translation_faults_are_not_recorded_without_s2r_or_cd_r(void)
{
	uint64_t s[8], root;

	setup("qemu-virt");
	enable(linear_cfg(8));
	root = pt_alloc(1);
	ste_s2(s, 1, root);
	s[2] &= ~STE2_S2R;
	ste_put(1, s);
	EXPECT(!dma(1, 0x1000, false));
	EXPECT_EQ(R.event, EVT_ID_TRANSLATION);
	EXPECT_EQ(M.stats.events + M.stats.events_lost, 0);

	(void)s1_stream(2, 0, 1, CD_PA);
	wr64(CD_PA, rd64(CD_PA) & ~CD0_R);
	EXPECT(!dma(2, 0x1000, false));
	EXPECT_EQ(R.event, EVT_ID_TRANSLATION);
	EXPECT_EQ(M.stats.events, 0);

	/* Walk aborts and configuration errors are always recorded. */
	wr64(CD_PA + 8, UNBACKED);
	EXPECT(!dma(2, 0x1000, false));
	expect_event(EVT_ID_WALK_EABT);
	memset(s, 0, sizeof(s));
	ste_put(3, s);
	EXPECT(!dma(3, 0x1000, false));
	expect_event(EVT_ID_BAD_STE);
	EXPECT_EQ(M.stats.events, 2);
}

/* ---- World variations: boot state and bypass windows ------------------ */

/* A copy of @profile's configuration for a test to vary. */
static struct hwm_config profile_cfg(const char *profile)
{
	int idx = hwm_profile_find(profile);

	if (idx < 0) {
		abort();
	}
	return *hwm_profile((unsigned)idx);
}

static void zero_boot_state_is_the_power_on_state(void)
{
	unsigned p, off;

	for (p = 0; p < hwm_profile_count(); p++) {
		const struct hwm_config *c = hwm_profile(p);

		setup_cfg(c);
		for (off = SMMU_CR0; off < 0x200; off += 4) {
			uint32_t want = off == SMMU_GBPA ? c->gbpa_reset : 0;

			EXPECT_EQ(hwm_read32(&M, off), want);
		}
		EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD)), 0);
		EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_PRIQ_CONS)), 0);
		EXPECT(!hwm_enabled(&M));
		EXPECT_EQ(M.bypass_opened, 0);
		EXPECT(!M.atc_inv_pending);
		EXPECT(!M.sfm);
		EXPECT_EQ(hwm_ecmdq_count(&M), 0);
		EXPECT_EQ(hwm_mmio_size(&M), SMMU_MMIO_SIZE);
	}
}

static void boot_state_is_applied_as_settled_state(void)
{
	struct hwm_config c = profile_cfg("linear-msi");
	struct hwm_boot_state *b = &c.boot;

	b->cr0 = CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN | BIT(5) | BIT(31);
	b->gerror = GERROR_EVTQ_ABT_ERR | GERROR_SFM_ERR | BIT(1) | BIT(12);
	b->irq_ctrl = IRQ_CTRL_GERROR_IRQEN | IRQ_CTRL_EVTQ_IRQEN | BIT(8);
	b->irq_cfg0[0] = MSI_PA | 3U | BIT_ULL(63);
	b->irq_cfg0[1] = MSI_PA + 0x40;
	b->irq_cfg0[2] = MSI_PA + 0x80;
	b->irq_cfg1[0] = 0x11;
	b->irq_cfg1[1] = 0x22;
	b->irq_cfg1[2] = 0x33;
	b->strtab_base = STRTAB_PA | STRTAB_BASE_RA | 0x3FULL;
	b->strtab_cfg = linear_cfg(8) | BIT(31);
	b->cmdq_base = CMDQ_PA | CMDQ_LOG2;
	b->cmdq_prod = 5U | BIT(20);
	b->cmdq_cons = 3U | FIELD_PREP(CMDQ_CONS_ERR, CERROR_ILL);
	b->evtq_base = EVTQ_PA | EVTQ_LOG2 | BIT_ULL(63);
	b->priq_base = POOL_PA | 2U;
	setup_cfg(&c);

	EXPECT_EQ(hwm_read32(&M, SMMU_CR0),
		  CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN);
	EXPECT_EQ(hwm_read32(&M, SMMU_CR0ACK),
		  CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN);
	EXPECT(hwm_enabled(&M));
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR),
		  GERROR_EVTQ_ABT_ERR | GERROR_SFM_ERR);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERRORN), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_IRQ_CTRL),
		  IRQ_CTRL_GERROR_IRQEN | IRQ_CTRL_EVTQ_IRQEN);
	EXPECT_EQ(hwm_read32(&M, SMMU_IRQ_CTRLACK),
		  IRQ_CTRL_GERROR_IRQEN | IRQ_CTRL_EVTQ_IRQEN);
	EXPECT_EQ(hwm_read64(&M, SMMU_GERROR_IRQ_CFG0), MSI_PA);
	EXPECT_EQ(hwm_read64(&M, SMMU_EVTQ_IRQ_CFG0), MSI_PA + 0x40);
	EXPECT_EQ(hwm_read64(&M, SMMU_PRIQ_IRQ_CFG0), MSI_PA + 0x80);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR_IRQ_CFG1), 0x11);
	EXPECT_EQ(hwm_read32(&M, SMMU_EVTQ_IRQ_CFG1), 0x22);
	EXPECT_EQ(hwm_read32(&M, SMMU_PRIQ_IRQ_CFG1), 0x33);
	EXPECT_EQ(hwm_read64(&M, SMMU_STRTAB_BASE),
		  STRTAB_PA | STRTAB_BASE_RA);
	EXPECT_EQ(hwm_read32(&M, SMMU_STRTAB_BASE_CFG), linear_cfg(8));
	EXPECT_EQ(hwm_read64(&M, SMMU_CMDQ_BASE), CMDQ_PA | CMDQ_LOG2);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_PROD), 5);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS),
		  3U | FIELD_PREP(CMDQ_CONS_ERR, CERROR_ILL));
	EXPECT_EQ(hwm_read64(&M, SMMU_EVTQ_BASE), EVTQ_PA | EVTQ_LOG2);
	EXPECT_EQ(hwm_read64(&M, SMMU_PRIQ_BASE), POOL_PA | 2U);
	EXPECT_EQ(hwm_read32(&M, SMMU_GBPA), c.gbpa_reset);
	EXPECT_EQ(M.bypass_opened, 0);

	/* Settled means enabled: the bases are read-only now. */
	hwm_write64(&M, SMMU_STRTAB_BASE, L2_PA);
	hwm_write64(&M, SMMU_CMDQ_BASE, L2_PA);
	EXPECT_EQ(hwm_read64(&M, SMMU_STRTAB_BASE),
		  STRTAB_PA | STRTAB_BASE_RA);
	EXPECT_EQ(hwm_read64(&M, SMMU_CMDQ_BASE), CMDQ_PA | CMDQ_LOG2);
	/* A boot error is active: acknowledging it clears it. */
	hwm_write32(&M, SMMU_GERRORN, GERROR_EVTQ_ABT_ERR);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR) ^
		  hwm_read32(&M, SMMU_GERRORN), GERROR_SFM_ERR);
}

static void boot_commands_wait_for_the_next_doorbell(void)
{
	struct hwm_config c = profile_cfg("qemu-virt");

	c.boot.cr0 = CR0_CMDQEN;
	c.boot.cmdq_base = CMDQ_PA | CMDQ_LOG2;
	c.boot.cmdq_prod = 2;
	setup_cfg(&c);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 0);
	EXPECT_EQ(lg.cmd_count, 0);
	cmd_put(op(CMDQ_OP_CFGI_CD_ALL), 0);
	cmd_put(op(CMDQ_OP_CMD_SYNC), 0);
	ring();
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 2);
	EXPECT_EQ(lg.cmd_count, 2);
	EXPECT_EQ(M.stats.syncs, 1);

	/* An error left active at boot holds the queue until acknowledged. */
	c.boot.gerror = GERROR_CMDQ_ERR;
	setup_cfg(&c);
	cmd_put(op(CMDQ_OP_CMD_SYNC), 0);
	cmd_put(op(CMDQ_OP_CMD_SYNC), 0);
	ring();
	EXPECT_EQ(lg.cmd_count, 0);
	hwm_write32(&M, SMMU_GERRORN, GERROR_CMDQ_ERR);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 2);
	EXPECT_EQ(M.stats.syncs, 2);
}

static void restore_returns_to_the_boot_state(void)
{
	struct hwm_config c = profile_cfg("qemu-virt");
	static struct hw_model snap;

	c.boot.cr0 = CR0_SMMUEN;
	c.boot.strtab_base = STRTAB_PA;
	setup_cfg(&c);
	snap = M;
	hwm_write32(&M, SMMU_CR0, 0);
	hwm_write64(&M, SMMU_STRTAB_BASE, L2_PA);
	EXPECT_EQ(M.bypass_opened, 1);
	hwm_restore(&M, &snap);
	EXPECT_EQ(hwm_read32(&M, SMMU_CR0ACK), CR0_SMMUEN);
	EXPECT_EQ(hwm_read64(&M, SMMU_STRTAB_BASE), STRTAB_PA);
	EXPECT_EQ(M.bypass_opened, 0);
}

static void power_on_and_boot_bypass_do_not_count_as_opened(void)
{
	struct hwm_config c = profile_cfg("qemu-virt");

	setup_cfg(&c);	/* SMMUEN off, GBPA bypass: open from reset */
	EXPECT(dma(1, 0x1000, true));
	EXPECT(R.bypass);
	EXPECT_EQ(M.bypass_opened, 0);
	/* Programming it without ever closing the window opens nothing. */
	enable(linear_cfg(8));
	EXPECT_EQ(M.bypass_opened, 0);

	c.boot.cr0 = CR0_SMMUEN;
	setup_cfg(&c);
	EXPECT_EQ(M.bypass_opened, 0);
}

static void disabling_smmuen_over_gbpa_bypass_opens_the_window(void)
{
	struct hwm_config c = profile_cfg("qemu-virt");

	c.boot.cr0 = CR0_SMMUEN | CR0_CMDQEN;
	setup_cfg(&c);
	hwm_write32(&M, SMMU_CR0, CR0_CMDQEN);	/* SMMUEN 1 -> 0 */
	EXPECT_EQ(M.bypass_opened, 1);
	EXPECT(dma(1, 0x1000, true));
	EXPECT(R.bypass);
	hwm_write32(&M, SMMU_CR0, 0);		/* already open */
	EXPECT_EQ(M.bypass_opened, 1);
	hwm_write32(&M, SMMU_CR0, CR0_SMMUEN);
	hwm_write32(&M, SMMU_CR0, 0);
	EXPECT_EQ(M.bypass_opened, 2);

	/* The safe order: abort first, then disable. */
	setup_cfg(&c);
	hwm_write32(&M, SMMU_GBPA, GBPA_UPDATE | GBPA_ABORT);
	hwm_write32(&M, SMMU_CR0, 0);
	EXPECT_EQ(M.bypass_opened, 0);
	EXPECT(!dma(1, 0x1000, true));
	/* GBPA leaving ABORT while SMMUEN is off opens it. */
	hwm_write32(&M, SMMU_GBPA, GBPA_UPDATE);
	EXPECT_EQ(M.bypass_opened, 1);
	/* An UPDATE that keeps ABORT clear changes nothing. */
	hwm_write32(&M, SMMU_GBPA, GBPA_UPDATE | 0x1000);
	EXPECT_EQ(M.bypass_opened, 1);
}

static void gbpa_leaving_abort_under_smmuen_opens_nothing_yet(void)
{
	setup("linear-msi");	/* GBPA aborts from reset */
	enable(linear_cfg(8));
	hwm_write32(&M, SMMU_GBPA, GBPA_UPDATE);
	EXPECT_EQ(M.bypass_opened, 0);
	hwm_write32(&M, SMMU_CR0, CR0_CMDQEN);
	EXPECT_EQ(M.bypass_opened, 1);
}

static void bypass_opens_when_the_slow_update_completes(void)
{
	struct hwm_config c = profile_cfg("qemu-virt");
	unsigned i;

	c.boot.cr0 = CR0_SMMUEN;
	setup_cfg(&c);
	M.timing = HWM_SLOW;
	M.delay = 2;
	hwm_write32(&M, SMMU_CR0, 0);
	EXPECT_EQ(M.bypass_opened, 0);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(hwm_read32(&M, SMMU_CR0ACK), CR0_SMMUEN);
	}
	EXPECT_EQ(M.bypass_opened, 1);
	EXPECT_EQ(hwm_read32(&M, SMMU_CR0ACK), 0);

	/* GBPA: ABORT then back, each completing after two polls. */
	hwm_write32(&M, SMMU_GBPA, GBPA_UPDATE | GBPA_ABORT);
	(void)hwm_read32(&M, SMMU_GBPA);
	(void)hwm_read32(&M, SMMU_GBPA);
	EXPECT_EQ(hwm_read32(&M, SMMU_GBPA), GBPA_ABORT);
	hwm_write32(&M, SMMU_GBPA, GBPA_UPDATE);
	(void)hwm_read32(&M, SMMU_GBPA);
	EXPECT_EQ(M.bypass_opened, 1);
	(void)hwm_read32(&M, SMMU_GBPA);
	EXPECT_EQ(M.bypass_opened, 2);

	/* A stuck GBPA update never opens it. */
	setup_cfg(&c);
	hwm_write32(&M, SMMU_GBPA, GBPA_UPDATE | GBPA_ABORT);
	hwm_write32(&M, SMMU_CR0, 0);
	M.timing = HWM_STUCK;
	hwm_write32(&M, SMMU_GBPA, GBPA_UPDATE);
	for (i = 0; i < 8; i++) {
		(void)hwm_read32(&M, SMMU_GBPA);
	}
	EXPECT_EQ(M.bypass_opened, 0);
}

/* ---- Architected failures (hwm_config.faults) ------------------------- */

static void setup_faults(const char *profile, uint32_t faults)
{
	struct hwm_config c = profile_cfg(profile);

	c.faults = faults;
	setup_cfg(&c);
}

static uint64_t sync_msi(uint32_t data)
{
	return op(CMDQ_OP_CMD_SYNC) |
	       FIELD_PREP(CMD0_SYNC_CS, CMD0_SYNC_CS_IRQ) |
	       FIELD_PREP(CMD0_SYNC_MSIDATA, data);
}

static void atc_timeout_fails_the_next_sync_with_cerror_atc_inv_sync(void)
{
	setup_faults("linear-msi", HWM_FAULT_ATC_TIMEOUT);
	enable(linear_cfg(8));
	issue(op(CMDQ_OP_ATC_INV) | FIELD_PREP(CMD0_SID, 3), 52);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 1);
	EXPECT(M.atc_inv_pending);
	issue(sync_msi(0x77), MSI_PA);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS),
		  1U | FIELD_PREP(CMDQ_CONS_ERR, CERROR_ATC_INV_SYNC));
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), GERROR_CMDQ_ERR);
	EXPECT(!M.atc_inv_pending);
	EXPECT_EQ(M.stats.syncs, 0);
	EXPECT_EQ(M.stats.cerror, 1);
	EXPECT_EQ(lg.write_count, 0);	/* a failed SYNC signals nothing */

	/* Acknowledged, the SYNC runs again and completes. */
	hwm_write32(&M, SMMU_GERRORN, GERROR_CMDQ_ERR);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 2);
	EXPECT_EQ(M.stats.syncs, 1);
	EXPECT_EQ(rd32(MSI_PA), 0x77);
	EXPECT_EQ(lg.write_count, 1);
	EXPECT_EQ(lg.write_why[0], HWM_WRITE_MSI_SYNC);

	/* Without the failure the same pair is clean. */
	setup("linear-msi");
	enable(linear_cfg(8));
	issue(op(CMDQ_OP_ATC_INV), 52);
	issue(op(CMDQ_OP_CMD_SYNC), 0);
	EXPECT(!M.atc_inv_pending);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 2);

	/* Without ATS the ATC_INV is illegal and leaves nothing pending. */
	setup_faults("qemu-virt", HWM_FAULT_ATC_TIMEOUT);
	enable(linear_cfg(8));
	issue(op(CMDQ_OP_ATC_INV), 52);
	EXPECT_EQ(cons_err(), CERROR_ILL);
	EXPECT(!M.atc_inv_pending);
}

static void evtq_abort_fault_loses_every_event_record(void)
{
	setup_faults("qemu-virt", HWM_FAULT_EVTQ_ABORT);
	enable(linear_cfg(4));
	EXPECT(!dma(100, 0, false));
	EXPECT_EQ(R.event, EVT_ID_BAD_STREAMID);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), GERROR_EVTQ_ABT_ERR);
	EXPECT_EQ(hwm_read32(&M, SMMU_PAGE1(SMMU_EVTQ_PROD)), 0);
	EXPECT_EQ(rd64(EVTQ_PA), 0);
	EXPECT_EQ(lg.write_count, 0);
	EXPECT_EQ(M.stats.events, 0);
	EXPECT_EQ(M.stats.events_lost, 1);
	/* Acknowledged, the next one aborts again. */
	hwm_write32(&M, SMMU_GERRORN, GERROR_EVTQ_ABT_ERR);
	EXPECT(!dma(100, 0, false));
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR) ^
		  hwm_read32(&M, SMMU_GERRORN), GERROR_EVTQ_ABT_ERR);
	EXPECT_EQ(M.stats.events_lost, 2);
}

static void msi_abort_fault_flags_each_msi_source(void)
{
	setup_faults("linear-msi", HWM_FAULT_MSI_ABORT);
	enable(linear_cfg(4));
	issue(sync_msi(0x5A), MSI_PA);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 1);	/* not a CERROR */
	EXPECT_EQ(M.stats.syncs, 1);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), GERROR_MSI_CMDQ_ABT_ERR);

	hwm_write64(&M, SMMU_EVTQ_IRQ_CFG0, MSI_PA + 0x10);
	hwm_write32(&M, SMMU_IRQ_CTRL, IRQ_CTRL_EVTQ_IRQEN);
	EXPECT(!dma(100, 0, false));
	EXPECT_EQ(M.stats.events, 1);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR),
		  GERROR_MSI_CMDQ_ABT_ERR | GERROR_MSI_EVTQ_ABT_ERR);

	/* The GERROR MSI of a new error aborts too. */
	hwm_write64(&M, SMMU_GERROR_IRQ_CFG0, MSI_PA + 0x20);
	hwm_write32(&M, SMMU_IRQ_CTRL, IRQ_CTRL_GERROR_IRQEN);
	issue(op(0x7E), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR),
		  GERROR_CMDQ_ERR | GERROR_MSI_CMDQ_ABT_ERR |
		  GERROR_MSI_EVTQ_ABT_ERR | GERROR_MSI_GERROR_ABT_ERR);
	EXPECT_EQ(rd32(MSI_PA), 0);
	EXPECT_EQ(rd32(MSI_PA + 0x10), 0);
	EXPECT_EQ(rd32(MSI_PA + 0x20), 0);
	/* Only the event record reached memory. */
	EXPECT_EQ(lg.write_count, 1);
	EXPECT_EQ(lg.write_why[0], HWM_WRITE_EVENT);

	/* Without MSI support there is nothing to abort. */
	setup_faults("qemu-virt", HWM_FAULT_MSI_ABORT);
	enable(linear_cfg(4));
	issue(sync_msi(0x5A), MSI_PA);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), 0);
}

static void cmdq_abort_fault_stops_at_each_fetch(void)
{
	setup_faults("qemu-virt", HWM_FAULT_CMDQ_ABORT);
	enable(linear_cfg(8));
	issue(op(CMDQ_OP_CMD_SYNC), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS),
		  FIELD_PREP(CMDQ_CONS_ERR, CERROR_ABT));
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), GERROR_CMDQ_ERR);
	EXPECT_EQ(lg.cmd_count, 0);
	/* The re-fetch after the acknowledgement aborts again. */
	hwm_write32(&M, SMMU_GERRORN, GERROR_CMDQ_ERR);
	EXPECT_EQ(cons_err(), CERROR_ABT);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR) ^
		  hwm_read32(&M, SMMU_GERRORN), GERROR_CMDQ_ERR);
	EXPECT_EQ(M.stats.cerror, 2);
	EXPECT_EQ(M.stats.cmds, 0);
}

static void sfm_fault_stops_the_smmu_at_the_first_sync(void)
{
	uint64_t s[8];

	setup_faults("qemu-virt", HWM_FAULT_SFM);
	enable(linear_cfg(8));
	ste_cfg(s, STE_CFG_BYPASS);
	ste_put(1, s);
	EXPECT(dma(1, 0x1000, false));
	cfgi_ste(1);
	issue(op(CMDQ_OP_CMD_SYNC), 0);
	EXPECT(M.sfm);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), GERROR_SFM_ERR);
	/* CONS stays on the SYNC, without a command error. */
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 1);
	EXPECT_EQ(M.stats.syncs, 0);
	EXPECT_EQ(lg.cmd_count, 2);

	/* Commands, transactions and events all stop. */
	cfgi_ste(1);
	EXPECT_EQ(lg.cmd_count, 2);
	EXPECT(!dma(1, 0x1000, false));
	EXPECT(!dma(100, 0, false));
	EXPECT_EQ(R.event, 0);
	EXPECT_EQ(M.stats.events, 0);
	EXPECT_EQ(lg.write_count, 0);

	/*
	 * Acknowledging SFM_ERR or re-enabling the queue does not leave it,
	 * even with the SYNC replaced by a command that would not stop.
	 */
	wr64(CMDQ_PA + 16, op(CMDQ_OP_CFGI_CD_ALL));
	hwm_write32(&M, SMMU_GERRORN, GERROR_SFM_ERR);
	hwm_write32(&M, SMMU_CR0, CR0_SMMUEN);
	hwm_write32(&M, SMMU_CR0, CR0_SMMUEN | CR0_CMDQEN);
	ring();
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 1);
	EXPECT(M.sfm);
	EXPECT(!dma(1, 0x1000, false));

	/* Only a reset does. */
	setup("qemu-virt");
	EXPECT(!M.sfm);
	EXPECT(dma(1, 0x1000, false));
}

/* ---- Enhanced command queues (IDR1.ECMDQ) ----------------------------- */

#define ECMDQ_PA	(RAM_BASE + 0x130000ULL)	/* 8 queues of 16 */
#define ECMDQ_LOG2	4U

/* Queues per control page 2^@log2q (IDR6.LOG2NUMQ), plus @faults. */
static void setup_ecmdq(unsigned log2q, uint32_t faults, uint32_t boot_en)
{
	struct hwm_config c = profile_cfg("linear-msi");

	c.idr[1] |= IDR1_ECMDQ;
	c.idr6 = (uint32_t)FIELD_PREP(IDR6_LOG2NUMQ, log2q);
	c.faults = faults;
	c.boot.ecmdq_enable = boot_en;
	setup_cfg(&c);
}

/* Offset of register @reg of ECMDQ @n, queues spaced evenly in the page. */
static uint32_t ecmdq_off(unsigned n, uint32_t reg)
{
	uint32_t log2q = (uint32_t)FIELD_GET(IDR6_LOG2NUMQ,
					     hwm_read32(&M, SMMU_IDR6));

	return HWM_CMDQCP_OFFSET + (SMMU_CMDQCP_SIZE >> log2q) * n + reg;
}

static uint64_t ecmdq_pa(unsigned n)
{
	return ECMDQ_PA + n * (16ULL << ECMDQ_LOG2);
}

static void ecmdq_put(unsigned n, unsigned idx, uint64_t c0, uint64_t c1)
{
	wr64(ecmdq_pa(n) + idx * 16U, c0);
	wr64(ecmdq_pa(n) + idx * 16U + 8U, c1);
}

static uint32_t ecmdq_cons(unsigned n)
{
	return hwm_read32(&M, ecmdq_off(n, SMMU_ECMDQ_CONS));
}

static void ecmdq_prod(unsigned n, uint32_t v)
{
	hwm_write32(&M, ecmdq_off(n, SMMU_ECMDQ_PROD), v);
}

/* Program ECMDQ @n's base and enable it, as a driver does. */
static void ecmdq_enable(unsigned n)
{
	hwm_write64(&M, ecmdq_off(n, SMMU_ECMDQ_BASE),
		    ecmdq_pa(n) | ECMDQ_LOG2);
	hwm_write32(&M, ecmdq_off(n, SMMU_ECMDQ_CONS), 0);
	ecmdq_prod(n, ECMDQ_PROD_EN);
}

static void ecmdq_registers_appear_only_with_idr1_ecmdq(void)
{
	setup("linear-msi");
	EXPECT_EQ(hwm_ecmdq_count(&M), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_IDR6), 0);
	EXPECT_EQ(hwm_read64(&M, SMMU_CMDQ_CP_BASE(0)), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CP_CFG(0)), 0);
	hwm_write32(&M, HWM_CMDQCP_OFFSET + SMMU_ECMDQ_PROD, ECMDQ_PROD_EN);
	EXPECT_EQ(hwm_read32(&M, HWM_CMDQCP_OFFSET + SMMU_ECMDQ_PROD), 0);
	EXPECT_EQ(hwm_read32(&M, HWM_CMDQCP_OFFSET + SMMU_ECMDQ_CONS), 0);

	setup_ecmdq(2, 0, 0);
	EXPECT_EQ(hwm_ecmdq_count(&M), 4);
	EXPECT_EQ(hwm_mmio_size(&M), 0x30000);
	EXPECT_EQ(hwm_read32(&M, SMMU_IDR6), FIELD_PREP(IDR6_LOG2NUMQ, 2));
	/* Page 0 of the control page list: at 0x20000, 64 KiB, registers. */
	EXPECT_EQ(hwm_read64(&M, SMMU_CMDQ_CP_BASE(0)),
		  0x20000ULL | FIELD_PREP(CMDQ_CP_BASE_CMDQGS, 1) |
		  CMDQ_CP_BASE_PRESET);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CP_CFG(0)), CMDQ_CP_CFG_EN);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CP_STATUS(0)),
		  CMDQ_CP_STATUS_ENACK);
	EXPECT_EQ(hwm_read64(&M, SMMU_CMDQ_CP_BASE(1)), 0);
	/* Read-only. */
	hwm_write64(&M, SMMU_CMDQ_CP_BASE(0), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CP_BASE(0)), 0x20003);
	/* Four queues, 16 KiB apart. */
	EXPECT_EQ(ecmdq_off(3, SMMU_ECMDQ_PROD), 0x2C008);
	hwm_write32(&M, 0x2C008, ECMDQ_PROD_ERRACK);
	EXPECT_EQ(M.ecmdq[3].prod, ECMDQ_PROD_ERRACK);
	EXPECT_EQ(hwm_read32(&M, 0x2C010), 0);	/* between queues: RAZ */
	EXPECT_EQ(hwm_read32(&M, 0x30008), 0);	/* beyond the page */

	/* More than the model implements: 8 queues in one control page. */
	setup_ecmdq(8, 0, 0);
	M.cfg.idr6 |= (uint32_t)FIELD_PREP(IDR6_LOG2NUMP, 3);
	EXPECT_EQ(hwm_ecmdq_count(&M), 8);
	EXPECT_EQ(hwm_read32(&M, SMMU_IDR6), FIELD_PREP(IDR6_LOG2NUMQ, 3));
	/* A GERROR bit only an ECMDQ SMMU implements. */
	hwm_write32(&M, SMMU_GERRORN, GERROR_CMDQP_ERR);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERRORN), GERROR_CMDQP_ERR);
	setup("linear-msi");
	hwm_write32(&M, SMMU_GERRORN, GERROR_CMDQP_ERR);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERRORN), 0);
}

static void ecmdq_consumes_when_its_prod_is_written(void)
{
	uint64_t s[8];

	setup_ecmdq(1, 0, 0);
	/* CR0 stays 0: the ECMDQ needs no CMDQEN. */
	hwm_write64(&M, SMMU_STRTAB_BASE, STRTAB_PA);
	hwm_write32(&M, SMMU_STRTAB_BASE_CFG, linear_cfg(8));
	hwm_write32(&M, SMMU_CR0, CR0_SMMUEN);
	ste_cfg(s, STE_CFG_BYPASS);
	ste_put(4, s);
	EXPECT(dma(4, 0x1000, false));
	EXPECT_EQ(M.stats.ste_fetches, 1);

	ecmdq_enable(1);
	EXPECT_EQ(ecmdq_cons(1), ECMDQ_CONS_ENACK);
	EXPECT_EQ(hwm_read64(&M, ecmdq_off(1, SMMU_ECMDQ_BASE)),
		  ecmdq_pa(1) | ECMDQ_LOG2);
	ecmdq_put(1, 0, op(CMDQ_OP_CFGI_STE) | FIELD_PREP(CMD0_SID, 4),
		  CMD1_LEAF);
	ecmdq_put(1, 1, sync_msi(0xABCD), MSI_PA);
	EXPECT_EQ(lg.cmd_count, 0);	/* nothing before the doorbell */
	ecmdq_prod(1, ECMDQ_PROD_EN | 2);
	EXPECT_EQ(ecmdq_cons(1), ECMDQ_CONS_ENACK | 2);
	EXPECT_EQ(lg.cmd_count, 2);
	EXPECT_EQ(M.stats.cfgi, 1);
	EXPECT_EQ(M.stats.syncs, 1);
	EXPECT_EQ(rd32(MSI_PA), 0xABCD);
	EXPECT_EQ(lg.write_count, 1);
	EXPECT_EQ(lg.write_why[0], HWM_WRITE_MSI_SYNC);
	/* The CFGI dropped the cached STE. */
	EXPECT(dma(4, 0x1000, false));
	EXPECT_EQ(M.stats.ste_fetches, 2);
	/* The other queue and the command queue are untouched. */
	EXPECT_EQ(ecmdq_cons(0), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 0);

	/* Disabled, it consumes nothing. */
	ecmdq_prod(1, 2);
	EXPECT_EQ(ecmdq_cons(1), 2);
	ecmdq_put(1, 2, op(CMDQ_OP_CMD_SYNC), 0);
	ecmdq_prod(1, 3);
	EXPECT_EQ(ecmdq_cons(1), 2);
	EXPECT_EQ(lg.cmd_count, 2);
	ecmdq_prod(1, ECMDQ_PROD_EN | 3);
	EXPECT_EQ(ecmdq_cons(1), ECMDQ_CONS_ENACK | 3);
	EXPECT_EQ(M.stats.syncs, 2);
}

static void ecmdq_base_and_cons_are_writable_only_while_disabled(void)
{
	setup_ecmdq(0, 0, 0);
	ecmdq_enable(0);
	hwm_write64(&M, ecmdq_off(0, SMMU_ECMDQ_BASE), L2_PA | 2U);
	EXPECT_EQ(hwm_read64(&M, ecmdq_off(0, SMMU_ECMDQ_BASE)),
		  ecmdq_pa(0) | ECMDQ_LOG2);
	hwm_write32(&M, ecmdq_off(0, SMMU_ECMDQ_CONS), 7);
	EXPECT_EQ(ecmdq_cons(0), ECMDQ_CONS_ENACK);
	/* PROD keeps EN, ERRACK and the wrap and index bits only. */
	ecmdq_prod(0, 0);
	ecmdq_prod(0, 0xFFFFFFFFU);
	EXPECT_EQ(hwm_read32(&M, ecmdq_off(0, SMMU_ECMDQ_PROD)),
		  ECMDQ_PROD_EN | ECMDQ_PROD_ERRACK | 0x1F);

	/* Disabled, they take a write (CONS without ENACK). */
	setup_ecmdq(0, 0, 0);
	hwm_write64(&M, ecmdq_off(0, SMMU_ECMDQ_BASE),
		    0x8765400000ULL | Q_BASE_RWA | 2U | BIT_ULL(63));
	EXPECT_EQ(hwm_read64(&M, ecmdq_off(0, SMMU_ECMDQ_BASE)),
		  0x8765400000ULL | Q_BASE_RWA | 2U);
	hwm_write32(&M, ecmdq_off(0, SMMU_ECMDQ_CONS), 0xFFFFFFFFU);
	EXPECT_EQ(ecmdq_cons(0), ECMDQ_CONS_ERR_REASON | ECMDQ_CONS_ERR | 7);

	/* Stuck hardware never acknowledges the enable, nor consumes. */
	setup_ecmdq(0, 0, 0);
	M.timing = HWM_STUCK;
	ecmdq_enable(0);
	ecmdq_put(0, 0, op(CMDQ_OP_CMD_SYNC), 0);
	EXPECT_EQ(ecmdq_cons(0), 0);
	ecmdq_prod(0, ECMDQ_PROD_EN | 1);	/* in transition: RO */
	EXPECT_EQ(hwm_read32(&M, ecmdq_off(0, SMMU_ECMDQ_PROD)),
		  ECMDQ_PROD_EN);
	EXPECT_EQ(lg.cmd_count, 0);
}

static void ecmdq_error_toggles_err_and_holds_until_erracked(void)
{
	setup_ecmdq(0, 0, 0);
	ecmdq_enable(0);
	ecmdq_put(0, 0, op(CMDQ_OP_CMD_SYNC), 0);
	ecmdq_put(0, 1, op(0x7E), 0);
	ecmdq_put(0, 2, op(CMDQ_OP_CMD_SYNC), 0);
	ecmdq_prod(0, ECMDQ_PROD_EN | 3);
	EXPECT_EQ(ecmdq_cons(0), ECMDQ_CONS_ENACK | ECMDQ_CONS_ERR |
		  FIELD_PREP(ECMDQ_CONS_ERR_REASON, CERROR_ILL) | 1);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), GERROR_CMDQP_ERR);
	EXPECT_EQ(M.stats.syncs, 1);
	EXPECT_EQ(M.stats.cerror, 1);
	/* A doorbell without ERRACK does nothing. */
	ecmdq_put(0, 1, op(CMDQ_OP_CMD_SYNC), 0);
	ecmdq_prod(0, ECMDQ_PROD_EN | 3);
	EXPECT_EQ(M.stats.syncs, 1);
	/* ERRACK = ERR resumes from the fixed entry. */
	ecmdq_prod(0, ECMDQ_PROD_EN | ECMDQ_PROD_ERRACK | 3);
	EXPECT_EQ(ecmdq_cons(0) & ~ECMDQ_CONS_ERR_REASON,
		  ECMDQ_CONS_ENACK | ECMDQ_CONS_ERR | 3);
	EXPECT_EQ(M.stats.syncs, 3);

	/* The next error toggles ERR back; the reason is the new one. */
	ecmdq_put(0, 3, op(CMDQ_OP_CMD_SYNC) |
		  FIELD_PREP(CMD0_SYNC_CS, 3), 0);
	ecmdq_prod(0, ECMDQ_PROD_EN | ECMDQ_PROD_ERRACK | 4);
	EXPECT_EQ(ecmdq_cons(0), ECMDQ_CONS_ENACK |
		  FIELD_PREP(ECMDQ_CONS_ERR_REASON, CERROR_ILL) | 3);
	EXPECT_EQ(M.stats.cerror, 2);
	/* The command queue never saw any of it. */
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR) & GERROR_CMDQ_ERR, 0);

	/* Fetch aborts and unanswered ATC invalidations, per queue. */
	setup_ecmdq(0, HWM_FAULT_CMDQ_ABORT, 0);
	ecmdq_enable(0);
	ecmdq_prod(0, ECMDQ_PROD_EN | 1);
	EXPECT_EQ(ecmdq_cons(0), ECMDQ_CONS_ENACK | ECMDQ_CONS_ERR |
		  FIELD_PREP(ECMDQ_CONS_ERR_REASON, CERROR_ABT));
	EXPECT_EQ(lg.cmd_count, 0);

	setup_ecmdq(0, HWM_FAULT_ATC_TIMEOUT, 0);
	enable(linear_cfg(8));
	ecmdq_enable(0);
	ecmdq_put(0, 0, op(CMDQ_OP_ATC_INV), 52);
	ecmdq_put(0, 1, op(CMDQ_OP_CMD_SYNC), 0);
	ecmdq_prod(0, ECMDQ_PROD_EN | 1);
	EXPECT(M.ecmdq[0].atc_inv_pending);
	EXPECT(!M.atc_inv_pending);
	issue(op(CMDQ_OP_CMD_SYNC), 0);		/* another queue's SYNC */
	EXPECT_EQ(hwm_read32(&M, SMMU_CMDQ_CONS), 1);
	ecmdq_prod(0, ECMDQ_PROD_EN | 2);
	EXPECT_EQ(ecmdq_cons(0), ECMDQ_CONS_ENACK | ECMDQ_CONS_ERR |
		  FIELD_PREP(ECMDQ_CONS_ERR_REASON, CERROR_ATC_INV_SYNC) | 1);
	EXPECT(!M.ecmdq[0].atc_inv_pending);
}

static void boot_left_ecmdqs_enabled_and_they_consume(void)
{
	static struct hw_model snap;

	/* Queues 0 and 2 of 4 left enabled; bit 7 names no queue. */
	setup_ecmdq(2, 0, BIT(0) | BIT(2) | BIT(7));
	EXPECT_EQ(hwm_read32(&M, ecmdq_off(0, SMMU_ECMDQ_PROD)),
		  ECMDQ_PROD_EN);
	EXPECT_EQ(ecmdq_cons(0), ECMDQ_CONS_ENACK);
	EXPECT_EQ(ecmdq_cons(1), 0);
	EXPECT_EQ(ecmdq_cons(2), ECMDQ_CONS_ENACK);
	EXPECT_EQ(ecmdq_cons(3), 0);
	EXPECT_EQ(M.bypass_opened, 0);
	snap = M;

	/* Its base is firmware's (0, unbacked here) and cannot change... */
	hwm_write64(&M, ecmdq_off(2, SMMU_ECMDQ_BASE), ecmdq_pa(2));
	EXPECT_EQ(hwm_read64(&M, ecmdq_off(2, SMMU_ECMDQ_BASE)), 0);
	/* ...yet a doorbell makes the SMMU fetch from it. */
	ecmdq_prod(2, ECMDQ_PROD_EN | 1);
	EXPECT_EQ(ecmdq_cons(2), ECMDQ_CONS_ENACK | ECMDQ_CONS_ERR |
		  FIELD_PREP(ECMDQ_CONS_ERR_REASON, CERROR_ABT));
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), GERROR_CMDQP_ERR);

	/* A disable, a new base and an enable make it an ordinary queue. */
	ecmdq_prod(0, 0);
	EXPECT_EQ(ecmdq_cons(0), 0);
	ecmdq_enable(0);
	ecmdq_put(0, 0, op(CMDQ_OP_CMD_SYNC), 0);
	ecmdq_prod(0, ECMDQ_PROD_EN | 1);
	EXPECT_EQ(ecmdq_cons(0), ECMDQ_CONS_ENACK | 1);
	EXPECT_EQ(M.stats.syncs, 1);

	/* Restore brings back the left-enabled queues. */
	hwm_restore(&M, &snap);
	EXPECT_EQ(ecmdq_cons(0), ECMDQ_CONS_ENACK);
	EXPECT_EQ(ecmdq_cons(2), ECMDQ_CONS_ENACK);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), 0);
}

static void gerror_msi_follows_irq_ctrlack_address_and_msi_support(void)
{
	unsigned i;

	setup("linear-msi");
	enable(linear_cfg(8));
	hwm_write64(&M, SMMU_GERROR_IRQ_CFG0, MSI_PA + 0x100);
	hwm_write32(&M, SMMU_GERROR_IRQ_CFG1, 0x99);
	M.timing = HWM_SLOW;
	M.delay = 2;
	/* IRQ_CTRL written, not yet acknowledged: no MSI. */
	hwm_write32(&M, SMMU_IRQ_CTRL, IRQ_CTRL_GERROR_IRQEN);
	issue(op(0x7E), 0);
	for (i = 0; i < 2; i++) {
		(void)hwm_read32(&M, SMMU_CMDQ_CONS);
	}
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), GERROR_CMDQ_ERR);
	EXPECT_EQ(lg.write_count, 0);
	/* Acknowledged, the next error sends it. */
	for (i = 0; i < 3; i++) {
		(void)hwm_read32(&M, SMMU_IRQ_CTRLACK);
	}
	EXPECT_EQ(hwm_read32(&M, SMMU_IRQ_CTRLACK), IRQ_CTRL_GERROR_IRQEN);
	hwm_write32(&M, SMMU_GERRORN, GERROR_CMDQ_ERR);
	for (i = 0; i < 2; i++) {
		(void)hwm_read32(&M, SMMU_CMDQ_CONS);
	}
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR) ^
		  hwm_read32(&M, SMMU_GERRORN), GERROR_CMDQ_ERR);
	EXPECT_EQ(lg.write_count, 1);
	EXPECT_EQ(lg.write_pa[0], MSI_PA + 0x100);
	EXPECT_EQ(lg.write_len[0], 4);
	EXPECT_EQ(lg.write_why[0], HWM_WRITE_MSI_IRQ);
	EXPECT_EQ(rd32(MSI_PA + 0x100), 0x99);

	/* A zero address means the wired interrupt: nothing is written. */
	setup("linear-msi");
	enable(linear_cfg(8));
	hwm_write32(&M, SMMU_GERROR_IRQ_CFG1, 0x99);
	hwm_write32(&M, SMMU_IRQ_CTRL, IRQ_CTRL_GERROR_IRQEN);
	issue(op(0x7E), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), GERROR_CMDQ_ERR);
	EXPECT_EQ(lg.write_count, 0);

	/* Without IDR0.MSI, neither is an address. */
	setup("qemu-virt");
	enable(linear_cfg(8));
	hwm_write64(&M, SMMU_GERROR_IRQ_CFG0, MSI_PA + 0x100);
	hwm_write32(&M, SMMU_IRQ_CTRL, IRQ_CTRL_GERROR_IRQEN);
	issue(op(0x7E), 0);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), GERROR_CMDQ_ERR);
	EXPECT_EQ(lg.write_count, 0);

	/* An ECMDQ error is a GERROR source like the others. */
	setup_ecmdq(0, 0, 0);
	hwm_write64(&M, SMMU_GERROR_IRQ_CFG0, MSI_PA + 0x100);
	hwm_write32(&M, SMMU_GERROR_IRQ_CFG1, 0x42);
	hwm_write32(&M, SMMU_IRQ_CTRL, IRQ_CTRL_GERROR_IRQEN);
	ecmdq_enable(0);
	ecmdq_put(0, 0, op(0x7E), 0);
	ecmdq_prod(0, ECMDQ_PROD_EN | 1);
	EXPECT_EQ(hwm_read32(&M, SMMU_GERROR), GERROR_CMDQP_ERR);
	EXPECT_EQ(lg.write_count, 1);
	EXPECT_EQ(rd32(MSI_PA + 0x100), 0x42);
}

/* ---- Stall model (HWM_FAULT_STALL) ------------------------------------ */

static uint64_t resume(uint32_t sid, unsigned resp)
{
	return op(CMDQ_OP_RESUME) | FIELD_PREP(CMD0_SID, sid) |
	       FIELD_PREP(CMD0_RESUME_RESP, resp);
}

/* A stage-1 stream whose CD asks to stall (S) and not to record (R = 0). */
static uint64_t stalling_s1_stream(uint32_t sid, uint64_t cd_pa)
{
	uint64_t root = s1_stream(sid, 0, 1, cd_pa);

	wr64(cd_pa, (rd64(cd_pa) | CD0_S) & ~CD0_R);
	return root;
}

static void stalled_fault_is_held_and_recorded_with_its_stag(void)
{
	uint64_t rec[4], root;

	setup_faults("linear-msi", HWM_FAULT_STALL);	/* STALL_MODEL 0b00 */
	enable(linear_cfg(8));
	root = stalling_s1_stream(5, CD_PA);
	EXPECT(!dma(5, 0x3000, true));
	EXPECT(R.stalled);
	EXPECT_EQ(R.event, EVT_ID_TRANSLATION);
	last_event(rec);
	EXPECT_EQ(FIELD_GET(EVT0_ID, rec[0]), EVT_ID_TRANSLATION);
	EXPECT_EQ(FIELD_GET(EVT0_SID, rec[0]), 5);
	EXPECT(rec[1] & EVT1_STALL);
	EXPECT_EQ(FIELD_GET(EVT1_STAG, rec[1]), 0);
	EXPECT_EQ(rec[2], 0x3000);
	EXPECT_EQ(M.stats.events, 1);	/* recorded although CD.R = 0 */
	EXPECT_EQ(M.stats.stalls, 1);
	EXPECT(!dma(5, 0x4000, false));
	last_event(rec);
	EXPECT_EQ(FIELD_GET(EVT1_STAG, rec[1]), 1);
	EXPECT(rec[1] & EVT1_RNW);

	/* Neither a wrong stream nor a wrong tag touches them. */
	issue(resume(6, CMD0_RESUME_RESP_RETRY), 0);
	issue(resume(5, CMD0_RESUME_RESP_RETRY), 7);
	EXPECT_EQ(cons_err(), CERROR_NONE);
	EXPECT(M.stall[0].valid && M.stall[1].valid);
	EXPECT_EQ(M.stats.stall_retries + M.stats.stall_terms, 0);

	/* Mapped now, the retried write goes through: no new record. */
	s1_map(root, 0x3000, DATA_PA, S1_RW);
	issue(resume(5, CMD0_RESUME_RESP_RETRY), 0);
	EXPECT(!M.stall[0].valid);
	EXPECT_EQ(M.stats.stall_retries, 1);
	EXPECT_EQ(M.stats.events, 2);
	EXPECT_EQ(M.stats.stalls, 2);
	/*
	 * Retried while still unmapped, the read stalls again, as a new
	 * transaction: a new record, under the first free tag.
	 */
	issue(resume(5, CMD0_RESUME_RESP_RETRY), 1);
	EXPECT(M.stall[0].valid && !M.stall[1].valid);
	EXPECT_EQ(M.stats.stalls, 3);
	last_event(rec);
	EXPECT_EQ(FIELD_GET(EVT1_STAG, rec[1]), 0);
	EXPECT_EQ(rec[2], 0x4000);
	/* Terminate (Ab = 1). */
	issue(resume(5, 2), 0);
	EXPECT(!M.stall[0].valid);
	EXPECT_EQ(M.stats.stall_terms, 1);
	EXPECT_EQ(M.stats.events, 3);
}

static void stall_term_and_disabling_smmuen_end_held_transactions(void)
{
	setup_faults("linear-msi", HWM_FAULT_STALL);
	enable(linear_cfg(8));
	(void)stalling_s1_stream(5, CD_PA);
	(void)stalling_s1_stream(6, CD_PA + 0x40);
	EXPECT(!dma(5, 0x3000, false));
	EXPECT(!dma(6, 0x3000, false));
	EXPECT(!dma(5, 0x5000, false));
	EXPECT_EQ(M.stats.stalls, 3);
	issue(op(CMDQ_OP_STALL_TERM) | FIELD_PREP(CMD0_SID, 5), 0);
	EXPECT_EQ(M.stats.stall_terms, 2);
	EXPECT(!M.stall[0].valid && M.stall[1].valid && !M.stall[2].valid);
	issue(op(CMDQ_OP_STALL_TERM) | FIELD_PREP(CMD0_SID, 7), 0);
	EXPECT_EQ(M.stats.stall_terms, 2);
	hwm_write32(&M, SMMU_CR0, CR0_CMDQEN | CR0_EVTQEN);
	EXPECT(!M.stall[1].valid);
	EXPECT_EQ(M.stats.stall_terms, 3);
}

static void stage2_s2s_stalls_and_s1stalld_forbids_cd_s(void)
{
	uint64_t s[8], rec[4];

	setup_faults("linear-msi", HWM_FAULT_STALL);
	enable(linear_cfg(8));
	ste_s2(s, 1, pt_alloc(1));
	s[2] = (s[2] | STE2_S2S) & ~STE2_S2R;
	ste_put(1, s);
	EXPECT(!dma(1, 0x2000, false));
	EXPECT(R.stalled);
	last_event(rec);
	EXPECT_EQ(rec[1] & (EVT1_STALL | EVT1_S2), EVT1_STALL | EVT1_S2);

	(void)stalling_s1_stream(2, CD_PA);
	ste_s1(s, CD_PA, 0, 0, 0, 0);
	s[1] |= STE1_S1STALLD;
	ste_put(2, s);
	EXPECT(!dma(2, 0x2000, false));
	EXPECT(!R.stalled);
	expect_event(EVT_ID_BAD_CD);
	/* Without CD.S the same STE translates as before. */
	wr64(CD_PA, rd64(CD_PA) & ~CD0_S);
	EXPECT(!dma(2, 0x2000, false));
	EXPECT_EQ(R.event, EVT_ID_TRANSLATION);
	EXPECT(!R.stalled);
}

static void stalls_need_the_fault_bit_the_model_and_a_record(void)
{
	/* Without HWM_FAULT_STALL, CD.S changes nothing. */
	setup("linear-msi");
	enable(linear_cfg(8));
	(void)stalling_s1_stream(5, CD_PA);
	EXPECT(!dma(5, 0x3000, false));
	EXPECT(!R.stalled);
	EXPECT_EQ(R.event, EVT_ID_TRANSLATION);
	EXPECT_EQ(M.stats.events, 0);	/* CD.R = 0 */
	EXPECT(!M.stall[0].valid);

	/* STALL_MODEL 0b01 (qemu-virt): no stalls, RESUME is illegal. */
	setup_faults("qemu-virt", HWM_FAULT_STALL);
	enable(linear_cfg(8));
	(void)stalling_s1_stream(5, CD_PA);
	EXPECT(!dma(5, 0x3000, false));
	EXPECT(!R.stalled);
	issue(resume(5, CMD0_RESUME_RESP_RETRY), 0);
	EXPECT_EQ(cons_err(), CERROR_ILL);

	/* A stall whose record cannot be written is terminated. */
	setup_faults("linear-msi", HWM_FAULT_STALL);
	enable(linear_cfg(8));
	hwm_write32(&M, SMMU_CR0, CR0_SMMUEN | CR0_CMDQEN);
	(void)stalling_s1_stream(5, CD_PA);
	EXPECT(!dma(5, 0x3000, false));
	EXPECT(!R.stalled);
	EXPECT(!M.stall[0].valid);
	EXPECT_EQ(M.stats.stalls, 0);
	EXPECT_EQ(M.stats.events_lost, 1);
}

int main(void)
{
	RUN(profiles_are_listed_in_order_and_found_by_name);
	RUN(id_registers_read_the_profile_and_ignore_writes);
	RUN(unknown_and_misaligned_offsets_are_raz_wi);
	RUN(the_id_block_reads_as_qemus);
	RUN(cr0ack_follows_cr0_at_once_in_prompt_mode);
	RUN(cr0ack_follows_cr0_after_delay_in_slow_mode);
	RUN(cr0ack_never_follows_cr0_in_stuck_mode);
	RUN(irq_ctrlack_follows_irq_ctrl_with_the_same_timing);
	RUN(gbpa_update_applies_at_once_in_prompt_mode);
	RUN(gbpa_update_completes_after_delay_in_slow_mode);
	RUN(gbpa_update_never_completes_in_stuck_mode);
	RUN(gbpa_abort_decides_dma_while_disabled);
	RUN(sixty_four_bit_registers_are_reachable_as_two_halves);
	RUN(sixty_four_bit_access_to_32_bit_registers_spans_two);
	RUN(base_registers_are_ignored_while_their_unit_is_enabled);
	RUN(base_registers_follow_the_acknowledged_enable);
	RUN(queue_pointer_writes_respect_the_queue_enables);
	RUN(page1_aliases_reach_the_same_queue_registers);
	RUN(queue_pointers_keep_only_wrap_index_and_flag_bits);
	RUN(gerror_is_read_only_and_gerrorn_keeps_error_bits);
	RUN(commands_are_consumed_at_once_in_prompt_mode);
	RUN(commands_are_consumed_after_delay_cons_reads_in_slow_mode);
	RUN(commands_are_never_consumed_in_stuck_mode);
	RUN(commands_wait_until_the_queue_is_enabled);
	RUN(small_queue_wraps_twice_and_runs_every_command_once);
	RUN(illegal_command_stops_at_the_bad_entry_until_acknowledged);
	RUN(unbacked_queue_memory_gives_cerror_abt);
	RUN(illegal_commands_follow_the_implemented_features);
	RUN(cmd_sync_writes_msi_only_when_msi_is_supported);
	RUN(command_error_sends_the_gerror_msi_when_enabled);
	RUN(ste_cache_keeps_a_stale_ste_until_cfgi_ste);
	RUN(cfgi_ranges_and_cfgi_all_drop_cached_stes);
	RUN(invalid_ste_is_not_cached);
	RUN(tlb_entry_survives_until_a_matching_stage1_tlbi);
	RUN(tlb_is_tagged_by_asid_and_vmid_not_by_stream);
	RUN(tlbi_s2_ipa_drops_stage2_entries_but_not_nested_ones);
	RUN(range_tlbi_covers_num_scale_pages_when_ril_is_present);
	RUN(linear_stream_table_puts_ste_at_sid_times_64);
	RUN(two_level_stream_table_follows_the_l1_descriptor);
	RUN(out_of_range_stream_ids_are_bad_streamid);
	RUN(two_level_misconfigurations_are_bad_streamid);
	RUN(unbacked_stream_table_memory_is_f_ste_fetch);
	RUN(invalid_or_reserved_ste_is_bad_ste_and_abort_is_silent);
	RUN(bad_stage2_configuration_is_bad_ste);
	RUN(concatenated_stage2_tables_translate_high_ipas);
	RUN(stage2_maps_pages_and_blocks_with_their_memattr);
	RUN(stage2_translation_faults_report_the_ipa);
	RUN(stage2_permissions_follow_s2ap);
	RUN(stage2_access_flag_faults_unless_affd);
	RUN(stage2_output_beyond_s2ps_is_an_address_size_fault);
	RUN(stage2_walk_into_unbacked_memory_is_f_walk_eabt);
	RUN(stage1_walk_translates_and_read_only_pages_refuse_writes);
	RUN(cd_selection_follows_s1cdmax_and_s1dss);
	RUN(two_level_cd_tables_need_cd2l_and_valid_l1_descriptors);
	RUN(bad_cds_and_disabled_ttb0_are_reported);
	RUN(nested_walk_reads_the_cd_through_stage2);
	RUN(nested_stage2_denying_the_cd_fetch_is_a_class_cd_fault);
	RUN(nested_stage2_faults_on_tables_and_output_have_classes);
	RUN(event_record_carries_stream_substream_and_addresses);
	RUN(full_event_queue_flags_overflow_once_and_counts_lost);
	RUN(events_are_lost_while_the_event_queue_is_disabled);
	RUN(event_write_abort_raises_evtq_abt_err);
	RUN(event_msi_follows_evtq_irqen_and_msi_support);
	RUN(translation_faults_are_not_recorded_without_s2r_or_cd_r);
	RUN(zero_boot_state_is_the_power_on_state);
	RUN(boot_state_is_applied_as_settled_state);
	RUN(boot_commands_wait_for_the_next_doorbell);
	RUN(restore_returns_to_the_boot_state);
	RUN(power_on_and_boot_bypass_do_not_count_as_opened);
	RUN(disabling_smmuen_over_gbpa_bypass_opens_the_window);
	RUN(gbpa_leaving_abort_under_smmuen_opens_nothing_yet);
	RUN(bypass_opens_when_the_slow_update_completes);
	RUN(atc_timeout_fails_the_next_sync_with_cerror_atc_inv_sync);
	RUN(evtq_abort_fault_loses_every_event_record);
	RUN(msi_abort_fault_flags_each_msi_source);
	RUN(cmdq_abort_fault_stops_at_each_fetch);
	RUN(sfm_fault_stops_the_smmu_at_the_first_sync);
	RUN(ecmdq_registers_appear_only_with_idr1_ecmdq);
	RUN(ecmdq_consumes_when_its_prod_is_written);
	RUN(ecmdq_base_and_cons_are_writable_only_while_disabled);
	RUN(ecmdq_error_toggles_err_and_holds_until_erracked);
	RUN(boot_left_ecmdqs_enabled_and_they_consume);
	RUN(gerror_msi_follows_irq_ctrlack_address_and_msi_support);
	RUN(stalled_fault_is_held_and_recorded_with_its_stag);
	RUN(stall_term_and_disabling_smmuen_end_held_transactions);
	RUN(stage2_s2s_stalls_and_s1stalld_forbids_cd_s);
	RUN(stalls_need_the_fault_bit_the_model_and_a_record);
	free(ram);
	CHECK_DONE();
}
