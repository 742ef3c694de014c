// SPDX-License-Identifier: MIT
/*
 * Stream tables: the hypervisor's shadow table on the hardware (allocated
 * at take-over at the maximum size, so its format and size never change)
 * and the host's table, whose configuration is fixed to match it.
 *
 *   2-level, SPLIT = 8:  SID[31:8] -> L1 descriptor (8 B) -> L2 table of
 *                        256 STEs (16 KiB) indexed by SID[7:0]
 *   linear:              SID -> STE (64 B)
 */
#include "priv.h"

#define STRTAB_L1_MAX_LOG2	17U	/* at most 2^17 L1 descriptors */
#define STRTAB_LINEAR_MAX_LOG2	12U	/* a linear shadow of at most 256 KiB */

static unsigned order_for(uint64_t bytes)
{
	unsigned order = 0;

	while (((uint64_t)SMMU_PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

int strtab_init(struct smmu_hyp *hyp, struct smmu_dev *dev)
{
	unsigned sid_bits = dev->hw.sid_bits, log2size;
	uint64_t bytes;
	uint32_t cfg;
	pa_t pa;
	int ret;

	/*
	 * The shadow covers at most 8 + 17 SID bits (2-level) or 12 (linear);
	 * the host is told that SIDSIZE, and SIDs beyond it abort in the
	 * hardware (C_BAD_STREAMID) as they are outside STRTAB_BASE_CFG.
	 */
	if (dev->hw.st_2lvl) {
		log2size = sid_bits;
		if (log2size > STRTAB_SPLIT_LINUX + STRTAB_L1_MAX_LOG2)
			log2size = STRTAB_SPLIT_LINUX + STRTAB_L1_MAX_LOG2;
		dev->strtab_l1_count = 1U << (log2size - STRTAB_SPLIT_LINUX);
		bytes = (uint64_t)dev->strtab_l1_count * STRTAB_L1_DESC_SIZE;
		cfg = (uint32_t)(FIELD_PREP(STRTAB_CFG_FMT, STRTAB_CFG_FMT_2LVL) |
				 FIELD_PREP(STRTAB_CFG_SPLIT, STRTAB_SPLIT_LINUX) |
				 FIELD_PREP(STRTAB_CFG_LOG2SIZE, log2size));
	} else {
		log2size = sid_bits < STRTAB_LINEAR_MAX_LOG2 ? sid_bits : STRTAB_LINEAR_MAX_LOG2;
		dev->strtab_l1_count = 0;
		bytes = (uint64_t)STRTAB_STE_SIZE << log2size;
		cfg = (uint32_t)(FIELD_PREP(STRTAB_CFG_FMT, STRTAB_CFG_FMT_LINEAR) |
				 FIELD_PREP(STRTAB_CFG_LOG2SIZE, log2size));
	}
	ret = pool_alloc(&hyp->pool, order_for(bytes), &pa);
	if (ret != SMMU_OK)
		return ret;
	dev->strtab_pa = pa_val(pa);
	dev->hw.st_sid_bits = (uint8_t)log2size;
	dev->strtab_pages = 1U << order_for(bytes);
	dev->strtab_cfg = cfg;
	hw_write64(dev, SMMU_STRTAB_BASE, pa_val(pa) | STRTAB_BASE_RA);
	hw_write32(dev, SMMU_STRTAB_BASE_CFG, cfg);
	return SMMU_OK;
}

static uint64_t host_base(const struct smmu_dev *dev);

/*
 * STRTAB_BASE and _CFG are read-only while SMMUEN is in force or CR0ACK,
 * which the host reads from the hardware, still shows it (slow hardware
 * acknowledging a disable): the architecture's rule, so the host's view
 * and the table the next enable reads agree.
 */
bool strtab_host_write_ok(const struct smmu_dev *dev)
{
	if ((dev->host.cr0_eff & CR0_SMMUEN) != 0 ||
	    (hw_read32(dev, SMMU_CR0ACK) & CR0_SMMUEN) != 0) {
		REJECT("strtab.write_while_enabled");
		return false;
	}
	return true;
}

/*
 * SMMUEN 0->1: the host's stream table must have the hardware's format
 * (pkvm-design §3), SPLIT 8 for 2-level, a size the hardware supports and a
 * base in RAM; its pages are pinned while the SMMU is enabled. Only the
 * hypervisor reads this table, at base + index * size, so the 64-byte
 * alignment STRTAB_BASE.ADDR guarantees is enough.
 */
bool strtab_enable(struct smmu_hyp *hyp, struct smmu_dev *dev)
{
	uint32_t cfg = dev->host.strtab_cfg;
	unsigned fmt = (unsigned)FIELD_GET(STRTAB_CFG_FMT, cfg);
	unsigned split = (unsigned)FIELD_GET(STRTAB_CFG_SPLIT, cfg);
	unsigned log2size = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, cfg);
	uint64_t addr;
	uint64_t bytes;

	if (fmt != STRTAB_CFG_FMT_LINEAR && fmt != STRTAB_CFG_FMT_2LVL) {
		REJECT("strtab.reserved_format");
		return false;
	}
	if ((fmt == STRTAB_CFG_FMT_2LVL) != dev->hw.st_2lvl) {
		REJECT("strtab.format_differs_from_hw");
		return false;
	}
	if (log2size > dev->hw.st_sid_bits) {
		REJECT("strtab.log2size_too_big");
		return false;
	}
	if (fmt == STRTAB_CFG_FMT_2LVL) {
		if (split != STRTAB_SPLIT_LINUX) {
			REJECT("strtab.split_not_8");
			return false;
		}
		if (log2size <= split ||
		    log2size - split > STRTAB_L1_MAX_LOG2) {
			REJECT("strtab.log2size_out_of_range");
			return false;
		}
		bytes = (uint64_t)STRTAB_L1_DESC_SIZE << (log2size - split);
	} else {
		bytes = (uint64_t)STRTAB_STE_SIZE << log2size;
	}
	addr = host_base(dev);
	if (!smmu_range_is_memory(hyp, addr, bytes)) {
		REJECT("strtab.base_not_ram");
		return false;
	}
	/* A CFGI_STE reads its command and then the table: not the same bytes. */
	if (dev->pin_cmdq.active &&
	    range_overlap(addr, bytes, dev->host_cmdq_addr, 16ULL << dev->host_cmdq_log2)) {
		REJECT("strtab.overlaps_cmdq");
		return false;
	}
	if (owner_pin_range(hyp, pa_init(addr), bytes, &dev->pin_strtab) !=
	    SMMU_OK) {
		REJECT("strtab.pages_not_host");
		return false;
	}
	switch (strtab_sync_all(hyp, dev)) {
	case SMMU_OK:
		return true;
	case SMMU_EBUSY:
		REJECT("strtab.enable_while_disabling");
		break;
	default:
		REJECT("cmdq.hw_timeout");
		break;
	}
	owner_unpin_range(hyp, &dev->pin_strtab);
	return false;
}

/* ---- Shadowing --------------------------------------------------------- */

#define L2_STES		(1U << STRTAB_SPLIT_LINUX)		/* 256 */
#define L2_BYTES	(L2_STES * STRTAB_STE_SIZE)		/* 16 KiB */
#define L2_ORDER	2U
#define SCRATCH_STES	(SMMU_PAGE_SIZE / STRTAB_STE_SIZE)	/* 64 */
#define SCRATCH_L1S	(SMMU_PAGE_SIZE / STRTAB_L1_DESC_SIZE)	/* 512 */

static uint64_t *hyp_words(uint64_t pa)
{
	uint64_t *p = plat_hyp_va(pa_init(pa));

	BUG_ON(p == NULL);
	return p;
}

/*
 * The shadow STE of @sid, allocating the shadow L2 table (never freed) the
 * first time its L1 slot is used. Running out of pool is a refusal by
 * design: only a host naming ever more SIDs gets there.
 */
static uint64_t *shadow_ste(struct smmu_hyp *hyp, struct smmu_dev *dev,
			    uint32_t sid)
{
	uint64_t *l1, desc;
	uint32_t idx;
	pa_t l2;

	if (!dev->hw.st_2lvl)
		return hyp_words(dev->strtab_pa) + (size_t)sid * STRTAB_STE_DWORDS;
	idx = sid >> STRTAB_SPLIT_LINUX;
	BUG_ON(idx >= dev->strtab_l1_count);
	l1 = hyp_words(dev->strtab_pa) + idx;
	if ((*l1 & STRTAB_L1_SPAN) == 0) {
		if (pool_alloc(&hyp->pool, L2_ORDER, &l2) != SMMU_OK)
			REJECT_FATAL("strtab.pool_exhausted");
		/* The table is zero (all STEs invalid) before it is reachable. */
		desc = pa_val(l2) | FIELD_PREP(STRTAB_L1_SPAN, STRTAB_SPLIT_LINUX + 1U);
		plat_wmb();
		*l1 = desc;
		plat_dma_publish(l1, sizeof(*l1));
	}
	return hyp_words(*l1 & STRTAB_L1_L2PTR_MASK) +
	       (size_t)(sid & (L2_STES - 1U)) * STRTAB_STE_DWORDS;
}

static int cfgi_sync(struct smmu_dev *dev, uint32_t sid)
{
	uint64_t cmd[2] = { CMDQ_OP_CFGI_STE | FIELD_PREP(CMD0_SID, sid), CMD1_LEAF };

	return hwq_issue_sync(dev, cmd);
}

static void write_words(uint64_t *dst, const uint64_t *src, unsigned from,
			unsigned to)
{
	unsigned i;

	for (i = from; i < to; i++)
		dst[i] = src[i];
	plat_dma_publish(dst + from, (to - from) * sizeof(uint64_t));
}

static bool same_ste(const uint64_t *a, const uint64_t *b)
{
	unsigned i;

	for (i = 0; i < STRTAB_STE_DWORDS; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/*
 * Install @ste in the live table in an order that is safe against a device
 * fetching the entry at any moment (the hardware may also hold it cached
 * until the CFGI): a valid entry only ever appears complete, and an entry
 * is invalidated before its other words change (break before make).
 *   invalid -> valid:  dwords 1..7, CFGI+SYNC, dword 0, CFGI+SYNC
 *   valid -> other:    dword 0 invalid, CFGI+SYNC, then as above
 */
static int install(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t sid,
		   const uint64_t ste[STRTAB_STE_DWORDS])
{
	uint64_t *slot = shadow_ste(hyp, dev, sid);
	int ret = SMMU_OK;

	if (same_ste(slot, ste))
		return cfgi_sync(dev, sid);
	if (slot[0] & STE0_V) {
		slot[0] = 0;
		plat_dma_publish(slot, sizeof(*slot));
		ret = cfgi_sync(dev, sid);
	}
	write_words(slot, ste, 1, STRTAB_STE_DWORDS);
	if (ste[0] & STE0_V) {
		if (ret == SMMU_OK)
			ret = cfgi_sync(dev, sid);
		plat_wmb();
		write_words(slot, ste, 0, 1);
	}
	if (ret == SMMU_OK)
		ret = cfgi_sync(dev, sid);
	return ret;
}

/* Host STRTAB_BASE_CFG geometry, as validated when SMMUEN went 0 -> 1. */
static unsigned host_log2size(const struct smmu_dev *dev)
{
	return (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, dev->host.strtab_cfg);
}

/*
 * Where the host's table starts: as the SMMU itself reads STRTAB_BASE, with
 * the address bits below the table's size (at least 64 bytes) ignored.
 */
static uint64_t host_base(const struct smmu_dev *dev)
{
	uint32_t cfg = dev->host.strtab_cfg;
	unsigned log2size = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, cfg);
	unsigned split = (unsigned)FIELD_GET(STRTAB_CFG_SPLIT, cfg);
	uint64_t bytes;

	if (FIELD_GET(STRTAB_CFG_FMT, cfg) == STRTAB_CFG_FMT_2LVL)
		bytes = log2size > split ? (uint64_t)STRTAB_L1_DESC_SIZE << (log2size - split)
					 : STRTAB_L1_DESC_SIZE;
	else
		bytes = (uint64_t)STRTAB_STE_SIZE << (log2size < 32U ? log2size : 32U);
	if (bytes < STRTAB_STE_SIZE)
		bytes = STRTAB_STE_SIZE;
	return dev->host.strtab_base & STRTAB_BASE_ADDR_MASK & ~(bytes - 1U);
}

/*
 * An L2 table may not alias the L1 table or the command queue: the core
 * would read the same host bytes twice, once as each thing.
 */
static bool overlaps_host_structures(const struct smmu_dev *dev, uint64_t l2,
				     uint64_t bytes)
{
	uint64_t l1_bytes = (uint64_t)STRTAB_L1_DESC_SIZE <<
			    (FIELD_GET(STRTAB_CFG_LOG2SIZE, dev->host.strtab_cfg) - STRTAB_SPLIT_LINUX);

	if (INJECT(B6))
		return false;
	return range_overlap(l2, bytes, host_base(dev), l1_bytes) ||
	       (dev->pin_cmdq.active &&
		range_overlap(l2, bytes, dev->host_cmdq_addr, 16ULL << dev->host_cmdq_log2));
}

/*
 * Check one host L1 descriptor: Span 0 means no L2 (its SIDs are invalid);
 * otherwise Span 1..SPLIT+1 and an L2 table of 2^(Span-1) STEs aligned to
 * its size in RAM. Returns the number of STEs it holds (0: none), or a
 * negative refusal with *site set.
 */
static int check_l1(const struct smmu_hyp *hyp, uint64_t desc, uint64_t *l2,
		    const char **site)
{
	unsigned span = (unsigned)FIELD_GET(STRTAB_L1_SPAN, desc);
	uint64_t bytes;

	if (span == 0)
		return 0;
	if (span > STRTAB_SPLIT_LINUX + 1U) {
		*site = "ste.l1_span";
		return SMMU_EINVAL;
	}
	bytes = (uint64_t)STRTAB_STE_SIZE << (span - 1U);
	*l2 = desc & STRTAB_L1_L2PTR_MASK;
	if ((*l2 & (bytes - 1U)) != 0) {
		*site = "ste.l1_l2ptr_unaligned";
		return SMMU_EINVAL;
	}
	if (!smmu_range_is_memory(hyp, *l2, bytes)) {
		*site = "ste.l1_l2ptr_not_ram";
		return SMMU_EINVAL;
	}
	return 1 << (span - 1U);
}

/*
 * Copy the host's STE for @sid once into @ste (all zero when the host's
 * table has no STE there). The L2 table is pinned (shared with the
 * hypervisor, the host cannot give it away) only for the copy.
 */
static int read_host_ste(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t sid,
			 uint64_t ste[STRTAB_STE_DWORDS], const char **site)
{
	struct smmu_pin pin = { 0 };
	uint64_t l2 = 0, desc;
	unsigned i;
	int count;

	for (i = 0; i < STRTAB_STE_DWORDS; i++)
		ste[i] = 0;
	if (host_log2size(dev) < 32U && (sid >> host_log2size(dev)) != 0)
		return SMMU_OK;		/* beyond the host's table: invalid */
	if (!dev->hw.st_2lvl) {
		BUG_ON(plat_host_copy_in(ste, pa_init(host_base(dev) + (uint64_t)sid * STRTAB_STE_SIZE),
					 STRTAB_STE_SIZE) != SMMU_OK);
		return SMMU_OK;
	}
	/* The L1 descriptor is read once, then only the copy is used. */
	BUG_ON(plat_host_copy_in(&desc, pa_init(host_base(dev) +
				 (uint64_t)(sid >> STRTAB_SPLIT_LINUX) * STRTAB_L1_DESC_SIZE),
				 sizeof(desc)) != SMMU_OK);
	count = check_l1(hyp, desc, &l2, site);
	if (count <= 0 || (sid & (L2_STES - 1U)) >= (uint32_t)count)
		return count < 0 ? count : SMMU_OK;
	if (overlaps_host_structures(dev, l2, (uint64_t)count * STRTAB_STE_SIZE)) {
		*site = "ste.l2_overlaps_l1_or_cmdq";
		return SMMU_EINVAL;
	}
	if (owner_pin_range(hyp, pa_init(l2), (uint64_t)count * STRTAB_STE_SIZE,
			    &pin) != SMMU_OK) {
		*site = "ste.l1_l2ptr_not_host";
		return SMMU_EPERM;
	}
	BUG_ON(plat_host_copy_in(ste, pa_init(l2 + (uint64_t)(sid & (L2_STES - 1U)) *
						STRTAB_STE_SIZE), STRTAB_STE_SIZE) != SMMU_OK);
	owner_unpin_range(hyp, &pin);
	return SMMU_OK;
}

static const uint64_t abort_ste[STRTAB_STE_DWORDS] = {
	STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_ABORT),
};

/*
 * CFGI_STE from the host: read its STE, shadow it, install it. A refused
 * STE installs an aborting one, so the stream stops instead of keeping an
 * older configuration the host meant to replace.
 */
int strtab_cfgi_ste(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t sid,
		    const char **site)
{
	uint64_t host[STRTAB_STE_DWORDS], ste[STRTAB_STE_DWORDS];
	int ret;

	*site = NULL;
	/* With SMMUEN off the host table is not shared with us (and nothing
	 * translates): enabling will read the whole table. */
	if ((dev->host.cr0_eff & CR0_SMMUEN) == 0)
		return SMMU_OK;
	ret = read_host_ste(hyp, dev, sid, host, site);
	if (ret == SMMU_OK)
		ret = ste_shadow(dev, &hyp->iopt, host, ste, site);
	if (ret != SMMU_OK) {
		if (install(hyp, dev, sid, abort_ste) == SMMU_ETIMEDOUT)
			*site = "cmdq.hw_timeout";
		return ret;
	}
	if (INJECT(B3) && read_host_ste(hyp, dev, sid, host, site) == SMMU_OK)
		/* the context pointer taken from the table, after the check */
		ste[0] = (ste[0] & ~STE0_S1CTXPTR_MASK) | (host[0] & STE0_S1CTXPTR_MASK);
	ret = install(hyp, dev, sid, ste);
	if (ret != SMMU_OK)
		*site = "cmdq.hw_timeout";
	return ret;
}

/* ---- The whole table: at SMMUEN 0 -> 1, and at CFGI_ALL ---------------- */

static int cfgi_all_sync(struct smmu_dev *dev)
{
	uint64_t cmd[2] = { CMDQ_OP_CFGI_STE_RANGE, FIELD_PREP(CMD1_RANGE, CFGI_RANGE_ALL) };

	return hwq_issue_sync(dev, cmd);
}

/*
 * Shadow @n host STEs of SIDs sid0.. (the first @avail in @buf, the rest
 * none) into their slots; @buf (scratch) ends up holding the shadows. Not
 * @live: written directly, one CFGI_ALL later covers the table. Live: in
 * the order install() keeps for one entry, but a chunk at a time — every
 * changed valid entry made invalid, then every changed entry's dwords 1-7,
 * then its dword 0, each pass followed by one CFGI_ALL + SYNC: three syncs
 * a chunk instead of up to three an entry.
 */
static int put_chunk(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t sid0,
		     uint64_t *buf, unsigned avail, unsigned n, bool live)
{
	uint64_t ste[STRTAB_STE_DWORDS], prev[STRTAB_STE_DWORDS], changed = 0;
	bool broke = false, valid = false, have_prev = false;
	const char *site = NULL, *prev_site = NULL;
	unsigned k, i;
	int ret;

	BUG_ON(n > SCRATCH_STES || avail > n);
	for (k = 0; k < n; k++) {
		uint64_t *want = buf + (size_t)k * STRTAB_STE_DWORDS, *slot;

		if (k >= avail)
			for (i = 0; i < STRTAB_STE_DWORDS; i++)
				want[i] = 0;
		/* Tables repeat one STE (Linux fills new L2s with aborting
		 * ones): the same host STE shadows the same way. */
		if (!have_prev || !same_ste(want, prev)) {
			smmu_memcpy(prev, want, sizeof(prev));
			prev_site = NULL;
			if (ste_shadow(dev, &hyp->iopt, want, ste, &site) != SMMU_OK) {
				prev_site = site;
				smmu_memcpy(ste, abort_ste, sizeof(ste));
			}
			have_prev = true;
		}
		if (prev_site != NULL)
			REJECT(prev_site);
		smmu_memcpy(want, ste, sizeof(ste));
		slot = shadow_ste(hyp, dev, sid0 + k);
		if (same_ste(slot, want))
			continue;	/* most of a table: invalid, and still so */
		if (!live) {
			write_words(slot, want, 0, STRTAB_STE_DWORDS);
			continue;
		}
		changed |= 1ULL << k;
		valid |= (want[0] & STE0_V) != 0;
		if (slot[0] & STE0_V) {
			slot[0] = 0;
			plat_dma_publish(slot, sizeof(*slot));
			broke = true;
		}
	}
	if (changed == 0)
		return SMMU_OK;
	if (broke && (ret = cfgi_all_sync(dev)) != SMMU_OK)
		return ret;
	for (k = 0; k < n; k++)
		if (changed & (1ULL << k))
			write_words(shadow_ste(hyp, dev, sid0 + k),
				    buf + (size_t)k * STRTAB_STE_DWORDS, 1, STRTAB_STE_DWORDS);
	if ((ret = cfgi_all_sync(dev)) != SMMU_OK || !valid)
		return ret;
	plat_wmb();
	for (k = 0; k < n; k++)
		if (changed & (1ULL << k))
			write_words(shadow_ste(hyp, dev, sid0 + k),
				    buf + (size_t)k * STRTAB_STE_DWORDS, 0, 1);
	return cfgi_all_sync(dev);
}

static int sync_linear(struct smmu_hyp *hyp, struct smmu_dev *dev, bool live)
{
	uint64_t *buf = hyp_words(hyp->scratch + SMMU_PAGE_SIZE);
	uint32_t host_count = 1U << host_log2size(dev), total = 1U << dev->hw.st_sid_bits;
	uint32_t sid;
	int ret = SMMU_OK;

	for (sid = 0; sid < total && ret == SMMU_OK; sid += SCRATCH_STES) {
		uint32_t n = 0;

		if (sid < host_count) {
			n = host_count - sid < SCRATCH_STES ? host_count - sid : SCRATCH_STES;
			BUG_ON(plat_host_copy_in(buf, pa_init(host_base(dev) +
						 (uint64_t)sid * STRTAB_STE_SIZE),
						 (size_t)n * STRTAB_STE_SIZE) != SMMU_OK);
		}
		ret = put_chunk(hyp, dev, sid, buf, n,
				total - sid < SCRATCH_STES ? total - sid : SCRATCH_STES, live);
	}
	return ret;
}

/* One L1 slot: the host's L2 (if any) shadowed, a stale shadow cleared. */
static int sync_l2(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t idx,
		   uint64_t desc, bool live)
{
	uint64_t *buf = hyp_words(hyp->scratch + SMMU_PAGE_SIZE), *l1, l2 = 0;
	struct smmu_pin pin = { 0 };
	const char *site = NULL;
	uint32_t i, base_sid = idx << STRTAB_SPLIT_LINUX;
	int count = check_l1(hyp, desc, &l2, &site), ret = SMMU_OK;

	l1 = hyp_words(dev->strtab_pa) + idx;
	if (count < 0)
		REJECT(site);
	if (count > 0 && overlaps_host_structures(dev, l2, (uint64_t)count * STRTAB_STE_SIZE)) {
		REJECT("ste.l2_overlaps_l1_or_cmdq");
		count = -1;
	}
	if (count > 0 && owner_pin_range(hyp, pa_init(l2), (uint64_t)count * STRTAB_STE_SIZE,
					 &pin) != SMMU_OK) {
		REJECT("ste.l1_l2ptr_not_host");
		count = -1;
	}
	if (count <= 0 && (*l1 & STRTAB_L1_SPAN) == 0)
		return SMMU_OK;		/* nothing there, nothing shadowed */
	for (i = 0; i < L2_STES && ret == SMMU_OK; i += SCRATCH_STES) {
		unsigned avail = (int)i < count ? (unsigned)(count - (int)i) : 0U;

		if (avail > SCRATCH_STES)
			avail = SCRATCH_STES;
		if (avail > 0)
			BUG_ON(plat_host_copy_in(buf, pa_init(l2 + (uint64_t)i * STRTAB_STE_SIZE),
						 (size_t)avail * STRTAB_STE_SIZE) != SMMU_OK);
		ret = put_chunk(hyp, dev, base_sid + i, buf, avail, SCRATCH_STES, live);
	}
	if (count > 0)
		owner_unpin_range(hyp, &pin);
	return ret;
}

static int sync_2lvl(struct smmu_hyp *hyp, struct smmu_dev *dev, bool live)
{
	/* Scratch page 0 holds a chunk of L1 descriptors, page 1 the STEs
	 * sync_l2 copies: each host word is read once. */
	const uint64_t *descs = hyp_words(hyp->scratch);
	const uint64_t *shadow_l1 = hyp_words(dev->strtab_pa);
	uint32_t host_l1s = 1U << (host_log2size(dev) - STRTAB_SPLIT_LINUX);
	uint32_t idx, k;
	int ret = SMMU_OK;

	for (idx = 0; idx < dev->strtab_l1_count && ret == SMMU_OK; idx += SCRATCH_L1S) {
		uint32_t n = 0;

		if (idx < host_l1s) {
			n = host_l1s - idx < SCRATCH_L1S ? host_l1s - idx : SCRATCH_L1S;
			BUG_ON(plat_host_copy_in(hyp_words(hyp->scratch), pa_init(host_base(dev) +
						 (uint64_t)idx * STRTAB_L1_DESC_SIZE),
						 (size_t)n * STRTAB_L1_DESC_SIZE) != SMMU_OK);
		}
		/* Each L1 slot is its own unit: two slots may name one L2. */
		for (k = 0; k < SCRATCH_L1S && idx + k < dev->strtab_l1_count &&
			    ret == SMMU_OK; k++) {
			uint64_t desc = k < n ? descs[k] : 0;

			/* No L2 on either side: nothing to read or clear. */
			if (((desc | shadow_l1[idx + k]) & STRTAB_L1_SPAN) == 0)
				continue;
			ret = sync_l2(hyp, dev, idx + k, desc, live);
		}
	}
	return ret;
}

static int sync_table(struct smmu_hyp *hyp, struct smmu_dev *dev, bool live)
{
	uint64_t cmd[2] = { CMDQ_OP_CFGI_STE_RANGE, FIELD_PREP(CMD1_RANGE, CFGI_RANGE_ALL) };
	int ret = dev->hw.st_2lvl ? sync_2lvl(hyp, dev, live) : sync_linear(hyp, dev, live);

	return ret == SMMU_OK ? hwq_issue_sync(dev, cmd) : ret;
}

/*
 * SMMUEN 0 -> 1: shadow the host's whole table, since the host may have
 * written STEs (and issued CFGIs) while we could not read its table.
 * The hardware is not translating yet, so entries are written directly and
 * one CFGI_ALL covers them. Refused while an earlier disable is still
 * unacknowledged (the hardware may still be walking the table).
 */
int strtab_sync_all(struct smmu_hyp *hyp, struct smmu_dev *dev)
{
	if ((hw_read32(dev, SMMU_CR0ACK) | dev->hw_cr0) & CR0_SMMUEN)
		return SMMU_EBUSY;
	return sync_table(hyp, dev, false);
}

/*
 * CFGI_ALL from the host while translating: every host STE is read again
 * and each one whose shadow changes is installed in the safe order (the
 * hardware is live). A refused STE becomes an aborting one, as at enable;
 * the command itself completes. With SMMUEN off there is nothing to do:
 * enabling reads the whole table.
 */
int strtab_cfgi_all(struct smmu_hyp *hyp, struct smmu_dev *dev, const char **site)
{
	*site = NULL;
	if ((dev->host.cr0_eff & CR0_SMMUEN) == 0)
		return SMMU_OK;
	if (sync_table(hyp, dev, true) != SMMU_OK) {
		*site = "cmdq.hw_timeout";
		return SMMU_ETIMEDOUT;
	}
	return SMMU_OK;
}
