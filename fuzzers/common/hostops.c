// SPDX-License-Identifier: MIT
/*
 * The host's actions, written once for every build (hostops.h): the op
 * semantics of docs/op-stream.md §3.3 over a backend. Freestanding: no
 * library calls, so the QEMU agent runs exactly this code.
 */
#include <smmu/regs.h>
#include <string.h>

#include "hostops.h"

/* ---- What the host observes -------------------------------------------- */

void hostops_observe(struct hostops *h, uint64_t v)
{
	*h->trace = ops_trace_mix(*h->trace, h->op_index, v);
	if (h->be->observed != NULL)
		h->be->observed(h, v);
}

/* ---- Host register accesses -------------------------------------------- */

static void remember_write(struct host_smmu *hs, uint32_t off, unsigned size,
			   uint64_t val)
{
	if (size == 8 && off == SMMU_CMDQ_BASE) {
		/* A driver that programs a queue starts it empty (and writes
		 * PROD and CONS next; a host that does not is hostile). */
		hs->cmdq_base = val;
		hs->cmdq_prod = 0;
		hs->cmdq_cons_seen = 0;
	} else if (size == 4 && off == SMMU_CMDQ_PROD) {
		hs->cmdq_prod = hs->prod_reg = (uint32_t)val;
	} else if (size == 4 && off == SMMU_CMDQ_CONS) {
		/* What the host wrote is what it believes until it reads. */
		hs->cmdq_cons_seen = (uint32_t)val;
	} else if (size == 8 && off == SMMU_STRTAB_BASE) {
		hs->strtab_base = val;
	} else if (size == 4 && off == SMMU_STRTAB_BASE_CFG) {
		hs->strtab_cfg = (uint32_t)val;
	}
}

static uint64_t reg_access(struct hostops *h, uint32_t off, unsigned size,
			   bool write, uint64_t val)
{
	val = h->be->mmio(h, off, size, write, val);
	if (write) {
		remember_write(&h->hs[h->cur], off, size, val);
	} else {
		hostops_observe(h, val);
		if (size == 4 && off == SMMU_CMDQ_CONS)
			h->hs[h->cur].cmdq_cons_seen = (uint32_t)val;
	}
	return val;
}

static uint64_t reg_read(struct hostops *h, uint32_t off, unsigned size)
{
	return reg_access(h, off, size, false, 0);
}

static void reg_write(struct hostops *h, uint32_t off, unsigned size, uint64_t v)
{
	(void)reg_access(h, off, size, true, v);
}

/* Poll like a driver: a bounded number of reads. */
static bool host_poll(struct hostops *h, uint32_t off, uint32_t mask, uint32_t want)
{
	unsigned i;

	for (i = 0; i < HOSTOPS_POLL_MAX; i++)
		if ((reg_read(h, off, 4) & mask) == want)
			return true;
	return false;
}

/* ---- Host memory --------------------------------------------------------- */

static void host_store(struct hostops *h, uint64_t pa, const void *src, size_t len)
{
	/* A store to a page the host does not own faults at stage 2. */
	if (h->be->store(h, pa, src, len) != 0)
		hostops_observe(h, HOSTOPS_STORE_FAULT);
}

static void host_store64(struct hostops *h, uint64_t pa, uint64_t v)
{
	host_store(h, pa, &v, sizeof(v));
}

unsigned hostops_cmdq_log2(struct hostops *h)
{
	unsigned log2 = (unsigned)FIELD_GET(Q_BASE_LOG2SIZE, h->hs[h->cur].cmdq_base);
	unsigned max = (unsigned)FIELD_GET(IDR1_CMDQS, h->be->idr(h, 1));

	return log2 < max ? log2 : max;
}

/*
 * Append a command as the Linux driver does: when the queue is full (as far
 * as the host has seen CONS move), publish what is there and poll CONS for
 * room first. Hostile overfilling is what QPOKE and PROD writes are for.
 */
static void host_cmd(struct hostops *h, uint64_t dw0, uint64_t dw1, bool ring)
{
	struct host_smmu *hs = &h->hs[h->cur];
	unsigned log2 = hostops_cmdq_log2(h), i;
	uint32_t n = 1U << log2, mask = (2U * n) - 1U;
	uint64_t cmd[2] = { dw0, dw1 };
	uint64_t addr;

	for (i = 0; i < HOSTOPS_POLL_MAX && ((hs->cmdq_prod - hs->cmdq_cons_seen) & mask) >= n; i++) {
		if (i == 0)
			reg_write(h, SMMU_CMDQ_PROD, 4, hs->cmdq_prod);
		(void)reg_read(h, SMMU_CMDQ_CONS, 4);
	}
	addr = (hs->cmdq_base & Q_BASE_ADDR_MASK) +
	       (uint64_t)(hs->cmdq_prod & (n - 1U)) * 16U;
	host_store(h, addr, cmd, sizeof(cmd));
	hs->cmdq_prod = (hs->cmdq_prod + 1U) & mask;
	if (ring)
		reg_write(h, SMMU_CMDQ_PROD, 4, hs->cmdq_prod);
}

/*
 * CMD_SYNC as Linux builds it without an MSI address (6.1
 * arm_smmu_cmdq_build_cmd): completion by SEV, and MSH = inner shareable,
 * MSIATTR = inner/outer write-back set all the same: 0x0fc02046.
 */
#define SYNC_MSH_ISH		3U	/* ARM_SMMU_SH_ISH */
#define SYNC_MSIATTR_OIWB	0xFU	/* ARM_SMMU_MEMATTR_OIWB */
#define LINUX_CMD_SYNC		(CMDQ_OP_CMD_SYNC |				\
				 FIELD_PREP(CMD0_SYNC_CS, CMD0_SYNC_CS_SEV) |	\
				 FIELD_PREP(CMD0_SYNC_MSH, SYNC_MSH_ISH) |	\
				 FIELD_PREP(CMD0_SYNC_MSIATTR, SYNC_MSIATTR_OIWB))

/* CMD_SYNC and wait for the queue to drain, as Linux does when polling. */
static void host_sync(struct hostops *h, bool wait)
{
	uint32_t wrapidx = (2U << hostops_cmdq_log2(h)) - 1U;
	unsigned i;

	host_cmd(h, LINUX_CMD_SYNC, 0, true);
	if (!wait)
		return;
	for (i = 0; i < HOSTOPS_POLL_MAX; i++) {
		uint32_t cons = (uint32_t)reg_read(h, SMMU_CMDQ_CONS, 4);

		if ((cons & wrapidx) == (h->hs[h->cur].cmdq_prod & wrapidx) ||
		    FIELD_GET(CMDQ_CONS_ERR, cons) != 0)
			return;
	}
}

/*
 * Valid, aborting STEs as Linux 6.1 initialises a table it allocates
 * (arm_smmu_init_bypass_stes with disable_bypass): dw0 V with CFG = abort,
 * dw1 SHCFG = incoming, the rest zero. One page of them, stored @count at
 * a time from @addr.
 */
static void store_abort_stes(struct hostops *h, uint64_t addr, uint32_t count)
{
	static uint64_t page[512];
	uint64_t first[STRTAB_STE_DWORDS];
	uint32_t i, done;

	if (page[0] == 0)
		for (i = 0; i < 512; i += STRTAB_STE_DWORDS) {
			page[i] = STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_ABORT);
			page[i + 1] = FIELD_PREP(STE1_SHCFG, STE1_SHCFG_INCOMING);
		}
	/* Untouched since the snapshot, which filled it (the prelude) or left
	 * it zero: its first STE tells which. Filled: nothing to rewrite. */
	if (h->be->unwritten != NULL &&
	    h->be->unwritten(h, addr, (size_t)count * STRTAB_STE_SIZE) &&
	    h->be->load(h, addr, first, sizeof(first)) == 0 &&
	    memcmp(first, page, sizeof(first)) == 0)
		return;
	for (done = 0; done < count; done += 64) {
		uint32_t n = count - done < 64 ? count - done : 64;

		host_store(h, addr + (uint64_t)done * STRTAB_STE_SIZE, page,
			   (size_t)n * STRTAB_STE_SIZE);
	}
}

/* Where the host keeps STE @sid, allocating an L2 table as Linux does:
 * filled with aborting STEs, then published in the L1 descriptor. */
static bool host_ste_addr(struct hostops *h, uint32_t sid, uint64_t *addr)
{
	struct host_smmu *hs = &h->hs[h->cur];
	unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, hs->strtab_cfg);
	uint64_t base = hs->strtab_base & STRTAB_BASE_ADDR_MASK, desc, l2;
	uint32_t l1;

	if (log2 < 32 && (sid >> log2) != 0)
		return false;
	if (FIELD_GET(STRTAB_CFG_FMT, hs->strtab_cfg) != STRTAB_CFG_FMT_2LVL) {
		*addr = base + (uint64_t)sid * STRTAB_STE_SIZE;
		return true;
	}
	l1 = sid >> STRTAB_SPLIT_LINUX;
	if (h->be->load(h, base + (uint64_t)l1 * 8U, &desc, 8) != 0)
		return false;
	if (FIELD_GET(STRTAB_L1_SPAN, desc) == 0) {
		l2 = LAYOUT_HOST_L2 + (uint64_t)(l1 % LAYOUT_L2_SLOTS) * LAYOUT_L2_SIZE;
		store_abort_stes(h, l2, 1U << STRTAB_SPLIT_LINUX);
		desc = l2 | FIELD_PREP(STRTAB_L1_SPAN, STRTAB_SPLIT_LINUX + 1U);
		host_store64(h, base + (uint64_t)l1 * 8U, desc);
	}
	*addr = (desc & STRTAB_L1_L2PTR_MASK) +
		(uint64_t)(sid & ((1U << STRTAB_SPLIT_LINUX) - 1U)) * STRTAB_STE_SIZE;
	return true;
}

void hostops_prelude_linux(struct hostops *h, unsigned smmu_count)
{
	struct op reset = { .code = OP_RESET, .b8 = 8, .c8 = 16, .d8 = 8,
			    .a8 = RESET_F_2LVL | RESET_F_EVTQ | RESET_F_PRIQ |
				  RESET_F_SMMUEN };
	unsigned k;

	for (k = 0; k < smmu_count; k++) {
		h->cur = k;
		hostops_exec(h, &reset);
	}
	h->cur = 0;
	store_abort_stes(h, LAYOUT_HOST_L2,
			 LAYOUT_L2_SLOTS * (LAYOUT_L2_SIZE / STRTAB_STE_SIZE));
}

/* ---- The Linux driver's reset sequence (smmuv3-facts.md §10) ------------- */

/* arm_smmu_write_reg_sync: write CR0, poll until CR0ACK equals it. */
static void enable(struct hostops *h, uint32_t *cr0, uint32_t bits)
{
	*cr0 |= bits;
	reg_write(h, SMMU_CR0, 4, *cr0);
	(void)host_poll(h, SMMU_CR0ACK, ~0U, *cr0);
}

/*
 * arm_smmu_update_gbpa: wait for an update in flight to finish, then
 * read-modify-write with UPDATE and wait for that one. False when either
 * wait times out (the driver gives up without the write, or reports it).
 */
static bool update_gbpa(struct hostops *h, uint32_t set, uint32_t clr)
{
	uint32_t gbpa = GBPA_UPDATE;
	unsigned i;

	for (i = 0; i < HOSTOPS_POLL_MAX && (gbpa & GBPA_UPDATE); i++)
		gbpa = (uint32_t)reg_read(h, SMMU_GBPA, 4);
	if (gbpa & GBPA_UPDATE)
		return false;
	reg_write(h, SMMU_GBPA, 4, ((gbpa & ~clr) | set) | GBPA_UPDATE);
	return host_poll(h, SMMU_GBPA, GBPA_UPDATE, 0);
}

/* An event or PRI queue: base, page-1 pointers at 0, then enable. */
static void output_queue(struct hostops *h, uint32_t *cr0, uint32_t base_off,
			 uint64_t addr, unsigned log2, unsigned log2_max,
			 uint32_t enable_bit)
{
	if (log2 > log2_max)
		log2 = log2_max;
	reg_write(h, base_off, 8, addr | Q_BASE_RWA | FIELD_PREP(Q_BASE_LOG2SIZE, log2));
	/* PROD and CONS follow the base in page 1 (EVTQ 0xA8/0xAC, PRIQ 0xC8/0xCC). */
	reg_write(h, SMMU_PAGE1(base_off + 8U), 4, 0);
	reg_write(h, SMMU_PAGE1(base_off + 12U), 4, 0);
	enable(h, cr0, enable_bit);
}

/*
 * The probe (arm_smmu_device_hw_probe, which reads IDR0, IDR1, IDR3, IDR5
 * and IIDR in that order) and arm_smmu_device_reset of Linux 6.1, on the
 * LAYOUT_HOST_* structures, with the op's queue and table sizes.
 */
void hostops_linux_reset(struct hostops *h, const struct op *op)
{
	uint32_t idr0 = (uint32_t)reg_read(h, SMMU_IDR0, 4);
	uint32_t idr1 = (uint32_t)reg_read(h, SMMU_IDR1, 4);
	unsigned sid_bits = (unsigned)FIELD_GET(IDR1_SIDSIZE, idr1);
	unsigned log2, irqs;
	bool two_lvl = (op->a8 & RESET_F_2LVL) &&
		       FIELD_GET(IDR0_ST_LVL, idr0) == IDR0_ST_LVL_2LVL;
	uint32_t cr0 = 0, cfg;

	(void)reg_read(h, SMMU_IDR3, 4);
	(void)reg_read(h, SMMU_IDR5, 4);
	(void)reg_read(h, SMMU_IIDR, 4);
	/* "SMMU currently enabled! Resetting...": a kexec'd or kdump kernel
	 * finds the last one's SMMUEN set and makes GBPA abort first. */
	if (reg_read(h, SMMU_CR0, 4) & CR0_SMMUEN)
		(void)update_gbpa(h, GBPA_ABORT, 0);
	reg_write(h, SMMU_CR0, 4, 0);
	(void)host_poll(h, SMMU_CR0ACK, ~0U, 0);
	reg_write(h, SMMU_CR1, 4, CR1_LINUX);
	reg_write(h, SMMU_CR2, 4, CR2_PTM | CR2_RECINVSID |
				  ((idr0 & IDR0_HYP) ? CR2_E2H : 0U));

	/* Stream table: 2-level with SPLIT 8 (L2 tables come later), or
	 * linear with every STE valid and aborting. */
	log2 = op->c8 < sid_bits ? op->c8 : sid_bits;
	if (two_lvl) {
		if (log2 <= STRTAB_SPLIT_LINUX)
			log2 = STRTAB_SPLIT_LINUX + 1U;
		if (log2 > STRTAB_SPLIT_LINUX + 17U)
			log2 = STRTAB_SPLIT_LINUX + 17U;
		cfg = (uint32_t)(FIELD_PREP(STRTAB_CFG_FMT, STRTAB_CFG_FMT_2LVL) |
				 FIELD_PREP(STRTAB_CFG_SPLIT, STRTAB_SPLIT_LINUX) |
				 FIELD_PREP(STRTAB_CFG_LOG2SIZE, log2));
	} else {
		if (log2 > 14U)
			log2 = 14U;	/* the 1 MiB LAYOUT_HOST_STRTAB region */
		cfg = (uint32_t)FIELD_PREP(STRTAB_CFG_LOG2SIZE, log2);
		/* Linux only builds linear tables for small SID spaces; a
		 * bigger one keeps STEs invalid, which blocks just the same
		 * and keeps the macro cheap. */
		if (log2 <= 8U)
			store_abort_stes(h, LAYOUT_HOST_STRTAB, 1U << log2);
	}
	reg_write(h, SMMU_STRTAB_BASE, 8, LAYOUT_HOST_STRTAB | STRTAB_BASE_RA);
	reg_write(h, SMMU_STRTAB_BASE_CFG, 4, cfg);

	/* Command queue, then enable it and invalidate everything. */
	log2 = op->b8;
	if (log2 > FIELD_GET(IDR1_CMDQS, idr1))
		log2 = (unsigned)FIELD_GET(IDR1_CMDQS, idr1);
	reg_write(h, SMMU_CMDQ_BASE, 8, LAYOUT_HOST_CMDQ | Q_BASE_RWA |
					FIELD_PREP(Q_BASE_LOG2SIZE, log2));
	reg_write(h, SMMU_CMDQ_PROD, 4, 0);
	reg_write(h, SMMU_CMDQ_CONS, 4, 0);
	enable(h, &cr0, CR0_CMDQEN);
	host_cmd(h, CMDQ_OP_CFGI_STE_RANGE, FIELD_PREP(CMD1_RANGE, CFGI_RANGE_ALL),
		 false);
	host_sync(h, true);
	if (idr0 & IDR0_HYP) {
		host_cmd(h, CMDQ_OP_TLBI_EL2_ALL, 0, false);
		host_sync(h, true);
	}
	host_cmd(h, CMDQ_OP_TLBI_NSNH_ALL, 0, false);
	host_sync(h, true);

	if (op->a8 & RESET_F_EVTQ)
		output_queue(h, &cr0, SMMU_EVTQ_BASE, LAYOUT_HOST_EVTQ, op->d8,
			     (unsigned)FIELD_GET(IDR1_EVTQS, idr1), CR0_EVTQEN);
	/* The PRI queue's size is not in the op: Linux's largest queue is
	 * 1 MiB (2^16 commands, 2^15 events on QEMU), LAYOUT_HOST_PRIQ. */
	if ((op->a8 & RESET_F_PRIQ) && (idr0 & IDR0_PRI))
		output_queue(h, &cr0, SMMU_PRIQ_BASE, LAYOUT_HOST_PRIQ, 16,
			     (unsigned)FIELD_GET(IDR1_PRIQS, idr1), CR0_PRIQEN);
	if (idr0 & IDR0_ATS)
		enable(h, &cr0, CR0_ATSCHK);

	/* Interrupts: off, MSI addresses cleared, then wired IRQs on. */
	reg_write(h, SMMU_IRQ_CTRL, 4, 0);
	(void)host_poll(h, SMMU_IRQ_CTRLACK, ~0U, 0);
	reg_write(h, SMMU_GERROR_IRQ_CFG0, 8, 0);
	reg_write(h, SMMU_EVTQ_IRQ_CFG0, 8, 0);
	if (idr0 & IDR0_PRI)
		reg_write(h, SMMU_PRIQ_IRQ_CFG0, 8, 0);
	irqs = IRQ_CTRL_GERROR_IRQEN | IRQ_CTRL_EVTQ_IRQEN |
	       ((idr0 & IDR0_PRI) ? IRQ_CTRL_PRIQ_IRQEN : 0U);
	reg_write(h, SMMU_IRQ_CTRL, 4, irqs);
	(void)host_poll(h, SMMU_IRQ_CTRLACK, ~0U, irqs);

	/* A kdump kernel leaves the event and PRI queues off. */
	if (op->a8 & RESET_F_KDUMP)
		cr0 &= ~(CR0_EVTQEN | CR0_PRIQEN);
	if (op->a8 & RESET_F_BYPASS) {
		/* "Allow bypass, don't translate": clear GBPA.ABORT, and only
		 * if that completed, write CR0 without SMMUEN. */
		if (update_gbpa(h, 0, GBPA_ABORT))
			enable(h, &cr0, 0);
	} else if (op->a8 & RESET_F_SMMUEN) {
		enable(h, &cr0, CR0_SMMUEN);
	}
}

/* ---- One op -------------------------------------------------------------- */

static unsigned width_bytes(uint8_t w)
{
	return 1U << (w & OP_WIDTH_MASK);
}

static void do_own(struct hostops *h, const struct op *op)
{
	unsigned action = op->a8 % OWN_ACTION_COUNT;
	int ret;

	if (h->be->own(h, action, ops_own_address((uint8_t)action, op->a32), &ret))
		hostops_observe(h, (uint64_t)(int64_t)ret);
}

void hostops_exec(struct hostops *h, const struct op *op)
{
	const struct ops_reg *reg;
	uint64_t addr;
	unsigned i;

	switch (op->code) {
	case OP_SEL:
		h->cur = op->a8 % h->be->smmu_count(h);
		break;
	case OP_READ:
		reg = ops_reg(op->a8 % ops_reg_count());
		(void)reg_read(h, reg->offset, reg->width);
		break;
	case OP_WRITE:
		reg = ops_reg(op->a8 % ops_reg_count());
		reg_write(h, reg->offset, reg->width, op->v0);
		break;
	case OP_READX:
		(void)reg_read(h, op->a32 & OP_MMIO_OFF_MASK, width_bytes(op->a8));
		break;
	case OP_WRITEX:
		reg_write(h, op->a32 & OP_MMIO_OFF_MASK, width_bytes(op->a8), op->v0);
		break;
	case OP_MEM:
		host_store(h, LAYOUT_HOST_BASE + op->a32 % LAYOUT_HOST_SIZE,
			   &op->v0, width_bytes(op->a8));
		break;
	case OP_OWN:
		do_own(h, op);
		break;
	case OP_DMA:
		hostops_observe(h, h->be->dma(h, op));
		break;
	case OP_RESET:
		hostops_linux_reset(h, op);
		break;
	case OP_CMD:
		host_cmd(h, op->v0, op->v1, (op->a8 & CMD_F_RING) != 0);
		break;
	case OP_QPOKE: {
		struct host_smmu *hs = &h->hs[h->cur];
		uint32_t n = 1U << hostops_cmdq_log2(h);

		addr = (hs->cmdq_base & Q_BASE_ADDR_MASK) +
		       (uint64_t)(op->a32 & (n - 1U)) * 16U + (op->b8 & 1U) * 8U;
		host_store64(h, addr, op->v0);
		break;
	}
	case OP_STE:
		if (host_ste_addr(h, op->a32, &addr))
			host_store64(h, addr + (op->b8 & 7U) * 8U, op->v0);
		break;
	case OP_L1:
		addr = h->hs[h->cur].strtab_base & STRTAB_BASE_ADDR_MASK;
		host_store64(h, addr + (uint64_t)(op->a32 & 0x1FFFF) * 8U, op->v0);
		break;
	case OP_CD:
		host_store64(h, LAYOUT_HOST_CD + (uint64_t)op->a32 * 64U +
				(op->b8 & 7U) * 8U, op->v0);
		break;
	case OP_RACE:
		h->be->race(h, LAYOUT_HOST_BASE + op->a32 % LAYOUT_HOST_SIZE, op->v0,
			    width_bytes(op->a8));
		break;
	case OP_POLL:
		reg = ops_reg(op->a8 % ops_reg_count());
		for (i = 0; i < HOSTOPS_POLL_MAX; i++)
			if ((reg_read(h, reg->offset, reg->width) & op->a32) == op->b32)
				break;
		break;
	case OP_SYNC:
		host_sync(h, (op->a8 & SYNC_F_NOWAIT) == 0);
		break;
	case OP_HWMODE:
		h->be->hwmode(h, op->a8 % 3U, op->b8);
		break;
	default:
		break;
	}
}

/* ---- Linux-like streams (the differential) -------------------------------- */

/* A command the Linux driver issues, with the fields it uses, on SMMUs
 * whose smallest SIDSIZE is @sid_bits. */
static bool linux_command(uint64_t dw0, uint64_t dw1, unsigned sid_bits)
{
	unsigned op = (unsigned)FIELD_GET(CMD0_OP, dw0);

	switch (op) {
	case CMDQ_OP_PREFETCH_CFG:
	case CMDQ_OP_CFGI_CD_ALL:
	case CMDQ_OP_TLBI_NSNH_ALL:
	case CMDQ_OP_RESUME:		/* stalled faults */
		return true;
	/* ATC_INV and PRI_RESP: only with ATS/PRI, which the host is not shown. */
	case CMDQ_OP_CFGI_STE:
	case CMDQ_OP_CFGI_CD:
		/* Linux always sets Leaf, and names SIDs the SMMU has. */
		return (dw1 & CMD1_LEAF) != 0 && FIELD_GET(CMD0_SID, dw0) < 256U &&
		       (sid_bits >= 32U || FIELD_GET(CMD0_SID, dw0) >> sid_bits == 0);
	case CMDQ_OP_CFGI_STE_RANGE:
		return FIELD_GET(CMD1_RANGE, dw1) == CFGI_RANGE_ALL;
	case CMDQ_OP_TLBI_NH_ASID:
	case CMDQ_OP_TLBI_NH_VA:
	case CMDQ_OP_TLBI_NH_VAA:
		return FIELD_GET(CMD0_VMID, dw0) == 0;
	case CMDQ_OP_CMD_SYNC:
		return FIELD_GET(CMD0_SYNC_CS, dw0) != CMD0_SYNC_CS_IRQ &&
		       FIELD_GET(CMD0_SYNC_CS, dw0) <= CMD0_SYNC_CS_SEV &&
		       (dw1 & CMD1_SYNC_MSIADDR_MASK) == 0;
	default:
		return false;
	}
}

bool hostops_linux_like(const struct op *ops, size_t n, unsigned sid_bits)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct op *op = &ops[i];
		const struct ops_reg *reg;

		switch (op->code) {
		case OP_CMD:
			if (!linux_command(op->v0, op->v1, sid_bits))
				return false;
			break;
		case OP_SYNC:
			break;
		case OP_READ:
			reg = ops_reg(op->a8 % ops_reg_count());
			if (reg->offset != SMMU_CMDQ_CONS && reg->offset != SMMU_CMDQ_PROD &&
			    reg->offset != SMMU_GERROR)
				return false;
			break;
		default:
			return false;
		}
	}
	return true;
}
