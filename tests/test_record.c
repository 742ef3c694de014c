// SPDX-License-Identifier: MIT
/*
 * qemu-linux's recorder (qemu-harness/hyp/record.c) on the host, over
 * stubs of the two EL2 platform calls it makes: Linux's structures move
 * into the op-stream layout with their pointers rewritten, host reads
 * become the matching ops once, the driver's final state becomes tables
 * and probes, and the stream written is the one recorded. "Linux's
 * memory" for CDs and page tables is a mapping at its physical address.
 */
#include <sys/mman.h>

#include "check.h"
#include "record.c"

#define LX_MEM		0x45000000ULL	/* inside Linux's RAM (QH_LINUX_BASE..) */
#define LX_MEM_SIZE	0x10000U

static uint8_t written[1U << 20];
static size_t written_len;
static bool lx_mapped;

uint64_t el2_ram_size(void)
{
	return 0x20000000ULL;
}

bool el2_semihost_write_file(const char *path, const void *data, size_t len)
{
	(void)path;
	if (len > sizeof(written))
		return false;
	memcpy(written, data, len);
	written_len = len;
	return true;
}

static void fresh(void)
{
	memset(&rec, 0, sizeof(rec));
	rec_start();
	if (lx_mapped)
		memset((void *)(uintptr_t)LX_MEM, 0, LX_MEM_SIZE);
}

static uint64_t *lx(uint64_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}

static const struct op *last(unsigned back)
{
	return &rec.ops[rec.n - 1U - back];
}

/* A 2-level stream table at Linux's 0x4ba60000, split 8, 2^16 SIDs. */
static void linux_strtab(void)
{
	rec_mmio(SMMU_STRTAB_BASE, 8, true, 0x400000004ba60000ULL);
	rec_mmio(SMMU_STRTAB_BASE_CFG, 4, true, 0x10210U);
}

static void bases_and_registers_move_into_the_layout(void)
{
	fresh();
	rec_mmio(SMMU_IDR0, 4, false, 0x0d44101bU);
	EXPECT_EQ(last(0)->code, OP_READ);
	EXPECT_EQ(ops_reg(last(0)->a8)->offset, SMMU_IDR0);
	linux_strtab();
	EXPECT_EQ(last(1)->code, OP_WRITE);
	EXPECT_EQ(last(1)->v0, 0x4000000000000000ULL | LAYOUT_HOST_STRTAB);
	rec_mmio(SMMU_CMDQ_BASE, 8, true, 0x400000004bb00010ULL);
	EXPECT_EQ(last(0)->v0, 0x4000000000000010ULL | LAYOUT_HOST_CMDQ);
	rec_mmio(SMMU_EVTQ_BASE, 8, true, 0x400000004bc0000fULL);
	EXPECT_EQ(last(0)->v0, 0x400000000000000fULL | LAYOUT_HOST_EVTQ);
	/* Page 1 has its own names; halves and odd widths are raw. */
	rec_mmio(0x100A8U, 4, true, 0);
	EXPECT_EQ(last(0)->code, OP_WRITE);
	EXPECT_EQ(ops_reg(last(0)->a8)->offset, 0x100A8U);
	rec_mmio(SMMU_STRTAB_BASE + 4U, 4, false, 0);
	EXPECT_EQ(last(0)->code, OP_READX);
	EXPECT_EQ(last(0)->a8, 2);
	EXPECT_EQ(last(0)->a32, SMMU_STRTAB_BASE + 4U);
	rec_mmio(SMMU_CR0, 2, true, 0x5a);
	EXPECT_EQ(last(0)->code, OP_WRITEX);
	EXPECT_EQ(last(0)->a8, 1);
	EXPECT_EQ(last(0)->v0, 0x5a);
	EXPECT_EQ(rec_stats()->unmapped, 0);
}

static void l1_descriptors_and_stes_become_l1_and_ste_ops(void)
{
	uint64_t desc = 0x4bd00000ULL | 9U, ste[8] = { 0x1, 0xd6 }, desc2 = 0x4be00000ULL | 9U;
	unsigned n;

	fresh();
	linux_strtab();
	n = rec.n;
	el2_host_copied(0x4ba60000ULL + 3U * 8U, &desc, 8);
	EXPECT_EQ(rec.n, n + 1U);
	EXPECT_EQ(last(0)->code, OP_L1);
	EXPECT_EQ(last(0)->a32, 3);
	EXPECT_EQ(last(0)->v0, LAYOUT_HOST_L2 | 9U);
	/* STE 5 of that L2 is SID 3 << 8 | 5, dwords 1..7 before dword 0,
	 * words the replay already holds (zero) not at all. */
	el2_host_copied(0x4bd00000ULL + 5U * 64U, ste, 64);
	EXPECT_EQ(rec.n, n + 3U);
	EXPECT_EQ(last(1)->code, OP_STE);
	EXPECT_EQ(last(1)->a32, 0x305);
	EXPECT_EQ(last(1)->b8, 1);
	EXPECT_EQ(last(1)->v0, 0xd6);
	EXPECT_EQ(last(0)->b8, 0);
	EXPECT_EQ(last(0)->v0, 0x1);
	/* Read again unchanged: nothing; one dword changed: one op. */
	el2_host_copied(0x4ba60000ULL + 3U * 8U, &desc, 8);
	el2_host_copied(0x4bd00000ULL + 5U * 64U, ste, 64);
	EXPECT_EQ(rec.n, n + 3U);
	ste[2] = 0x77;
	el2_host_copied(0x4bd00000ULL + 5U * 64U, ste, 64);
	EXPECT_EQ(rec.n, n + 4U);
	EXPECT_EQ(last(0)->b8, 2);
	/* A second L2 table takes the next slot. */
	el2_host_copied(0x4ba60000ULL + 200U * 8U, &desc2, 8);
	EXPECT_EQ(last(0)->v0, (LAYOUT_HOST_L2 + LAYOUT_L2_SIZE) | 9U);
	el2_host_copied(0x4be00000ULL, ste, 64);
	EXPECT_EQ(last(0)->a32, 200U << 8);
	/* A read of nothing the recorder knows is counted, not recorded. */
	n = rec.n;
	el2_host_copied(0x4f000000ULL, ste, 64);
	EXPECT_EQ(rec.n, n);
	EXPECT_EQ(rec_stats()->unmapped, 1);
}

static void commands_become_qpokes_at_their_slot(void)
{
	uint64_t cmd[4] = { 0x0000000800000003ULL, 0x1, 0x0fc02046ULL, 0 };
	unsigned n;

	fresh();
	rec_mmio(SMMU_CMDQ_BASE, 8, true, 0x400000004bb00010ULL);
	n = rec.n;
	/* The last slot of a 2^16 queue, then slot 0 after the wrap. */
	el2_host_copied(0x4bb00000ULL + 65535U * 16U, cmd, 16);
	el2_host_copied(0x4bb00000ULL, cmd + 2, 16);
	EXPECT_EQ(rec.n, n + 3U);
	EXPECT_EQ(rec.ops[n].code, OP_QPOKE);
	EXPECT_EQ(rec.ops[n].a32, 65535);
	EXPECT_EQ(rec.ops[n].b8, 0);
	EXPECT_EQ(rec.ops[n + 1U].b8, 1);
	EXPECT_EQ(rec.ops[n + 2U].a32, 0);
	EXPECT_EQ(rec.ops[n + 2U].v0, 0x0fc02046ULL);
}

static void an_s1_ste_brings_its_cd_and_both_pointers_move(void)
{
	uint64_t desc = 0x4bd00000ULL | 9U, ste[8] = { 0 };
	uint64_t *cd = lx(LX_MEM);
	unsigned i, cds = 0;

	if (!lx_mapped)
		return;
	fresh();
	linux_strtab();
	cd[0] = 0x1e204c0003510ULL;			/* V=1, ASID 1 */
	cd[1] = LX_MEM + 0x1000U;			/* TTB0 */
	cd[3] = 0xfffffffff404ff44ULL;
	ste[0] = LX_MEM | 0xbU;				/* V, CFG=S1_TRANS */
	ste[1] = 0xd6;
	el2_host_copied(0x4ba60000ULL, &desc, 8);
	el2_host_copied(0x4bd00000ULL + 8U * 64U, ste, 64);
	for (i = 0; i < rec.n; i++) {
		if (rec.ops[i].code != OP_CD)
			continue;
		cds++;
		EXPECT_EQ(rec.ops[i].a32, 0);
		if (rec.ops[i].b8 == 1)
			EXPECT_EQ(rec.ops[i].v0, LAYOUT_HOST_PGT);
	}
	EXPECT_EQ(cds, 3);
	EXPECT_EQ(last(0)->code, OP_STE);
	EXPECT_EQ(last(0)->a32, 8);
	EXPECT_EQ(last(0)->v0, LAYOUT_HOST_CD | 0xbU);
	/* A CFGI_CD for that SID records the CD as Linux changed it. */
	rec_mmio(SMMU_CMDQ_BASE, 8, true, 0x400000004bb00010ULL);
	cd[0] = 0x2e204c0003510ULL;			/* ASID 2 */
	{
		uint64_t cmd[2] = { 0x0000000800000005ULL, 0x1 };
		unsigned n = rec.n;

		el2_host_copied(0x4bb00000ULL, cmd, 16);
		EXPECT_EQ(rec.ops[n].code, OP_CD);
		EXPECT_EQ(rec.ops[n].b8, 0);
		EXPECT_EQ(rec.ops[n].v0, 0x2e204c0003510ULL);
	}
}

static void shutdown_records_the_stage1_tables_and_probes_each_page(void)
{
	uint64_t desc = 0x4bd00000ULL | 9U, ste[8] = { LX_MEM | 0xbU, 0xd6 };
	uint64_t *cd = lx(LX_MEM);
	unsigned i, mems = 0, dmas = 0;
	uint64_t iova[2] = { 0, 0 };

	if (!lx_mapped)
		return;
	fresh();
	linux_strtab();
	cd[0] = 0x1e204c0003510ULL;			/* T0SZ 16: 4 levels */
	cd[1] = LX_MEM + 0x1000U;
	*lx(LX_MEM + 0x1000U) = (LX_MEM + 0x2000U) | 3U;		/* L0[0] */
	*lx(LX_MEM + 0x2000U + 3U * 8U) = (LX_MEM + 0x3000U) | 3U;	/* L1[3] */
	*lx(LX_MEM + 0x3000U + 511U * 8U) = (LX_MEM + 0x4000U) | 3U;	/* L2[511] */
	*lx(LX_MEM + 0x4000U + 510U * 8U) = (LX_MEM + 0x5000U) | 0xf47U;	/* RAM */
	*lx(LX_MEM + 0x4000U + 511U * 8U) = 0x08090000ULL | 0xe4bU;	/* ITS */
	el2_host_copied(0x4ba60000ULL, &desc, 8);
	el2_host_copied(0x4bd00000ULL + 8U * 64U, ste, 64);
	rec_before_mmio(SMMU_CR0, 4, true, 0xd);
	rec_mmio(SMMU_CR0, 4, true, 0xd);
	{
		unsigned n = rec.n;

		rec_before_mmio(SMMU_CR0, 4, true, 0);
		for (i = n; i < rec.n; i++) {
			const struct op *op = &rec.ops[i];

			if (op->code == OP_MEM) {
				uint64_t at = LAYOUT_HOST_BASE + op->a32;

				mems++;
				EXPECT(at >= LAYOUT_HOST_PGT && at < LAYOUT_HOST_PGT + 0x100000U);
				/* Every table entry names a table in the layout,
				 * every page the layout's data or a device. */
				EXPECT((op->v0 & PTE_ADDR) < 0x10000000ULL ||
				       ((op->v0 & PTE_ADDR) >= LAYOUT_HOST_PGT &&
					(op->v0 & PTE_ADDR) < LAYOUT_HOST_BASE + LAYOUT_HOST_SIZE));
			} else if (op->code == OP_DMA) {
				EXPECT_EQ(op->a32, 8);
				EXPECT_EQ(op->a8, DMA_F_WRITE);
				if (dmas < 2)
					iova[dmas] = op->v0;
				dmas++;
			}
		}
	}
	EXPECT_EQ(mems, 5);
	EXPECT_EQ(dmas, 2);
	EXPECT_EQ(iova[0], 0xffffe000ULL);
	EXPECT_EQ(iova[1], 0xfffff000ULL + GITS_TRANSLATER);
	/* Turning it off again records nothing more. */
	{
		unsigned n = rec.n;

		rec_mmio(SMMU_CR0, 4, true, 0);
		rec_before_mmio(SMMU_CR0, 4, true, 0);
		EXPECT_EQ(rec.n, n + 1U);
	}
}

static void ownership_changes_name_pages_of_the_layout(void)
{
	fresh();
	rec_own(OWN_DONATE_HYP, 0x5ff00000ULL);
	rec_own(OWN_RECLAIM_HYP, 0x5ff00000ULL);
	rec_own(OWN_DONATE_GUEST, 0x5ff01000ULL);
	EXPECT_EQ(rec.n, 3);
	EXPECT_EQ(rec.ops[0].code, OP_OWN);
	EXPECT_EQ(rec.ops[0].a8, OWN_DONATE_HYP);
	EXPECT_EQ(ops_own_address(OWN_DONATE_HYP, rec.ops[0].a32), LAYOUT_HOST_DATA);
	EXPECT_EQ(rec.ops[1].a32, rec.ops[0].a32);
	EXPECT_EQ(ops_own_address(OWN_DONATE_GUEST, rec.ops[2].a32), LAYOUT_HOST_DATA + 0x1000U);
}

static void the_stream_written_decodes_strictly_to_what_was_recorded(void)
{
	struct op back[64];
	struct ops_header hdr;
	struct ops_diag diag;
	uint64_t hash = 0;
	int n;

	fresh();
	linux_strtab();
	rec_own(OWN_DONATE_HYP, 0x5ff00000ULL);
	rec_mmio(SMMU_CR0, 4, true, 0xd);
	EXPECT(rec_write("/dev/null", &hash));
	EXPECT(hash != 0);
	n = ops_decode(written, written_len, true, &hdr, back, 64, &diag);
	EXPECT_EQ(n, rec.n);
	EXPECT_EQ(hdr.profile, 0);
	for (int i = 0; i < n && i < 64; i++) {
		EXPECT_EQ(back[i].code, rec.ops[i].code);
		EXPECT_EQ(back[i].v0, rec.ops[i].v0);
		EXPECT_EQ(back[i].a32, rec.ops[i].a32);
	}
	/* Too many ops: said, not silently cut. */
	fresh();
	for (unsigned i = 0; i < REC_MAX_OPS + 1U; i++)
		rec_mmio(SMMU_IDR0, 4, false, 0);
	EXPECT(rec_stats()->overflow);
	EXPECT_EQ(rec_stats()->ops, REC_MAX_OPS);
}

int main(void)
{
	lx_mapped = mmap((void *)(uintptr_t)LX_MEM, LX_MEM_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) ==
		    (void *)(uintptr_t)LX_MEM;
	if (!lx_mapped)
		printf("skip: cannot map Linux's memory at 0x%llx here (CD and table tests)\n",
		       (unsigned long long)LX_MEM);
	RUN(bases_and_registers_move_into_the_layout);
	RUN(l1_descriptors_and_stes_become_l1_and_ste_ops);
	RUN(commands_become_qpokes_at_their_slot);
	RUN(an_s1_ste_brings_its_cd_and_both_pointers_move);
	RUN(shutdown_records_the_stage1_tables_and_probes_each_page);
	RUN(ownership_changes_name_pages_of_the_layout);
	RUN(the_stream_written_decodes_strictly_to_what_was_recorded);
	CHECK_DONE();
}
