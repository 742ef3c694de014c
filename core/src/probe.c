// SPDX-License-Identifier: MIT
/*
 * Probe and take-over: find the SMMUs and RAM in the flattened device tree
 * (while the host is still trusted), then make each SMMU the hypervisor's:
 * donate its MMIO, check the hardware can do what we need, disable it, pin
 * GBPA to abort, and install the shadow command queue and stream table.
 */
#include <libfdt.h>
#include "priv.h"

#define FDT_MAX_NODES	4096	/* bound on the device-tree walk */
#define FDT_MAX_DEPTH	16

/* IIDR values of implementations whose nesting is known broken. */
#define IIDR_IMPL_ARM		0x43BU
#define IIDR_PROD_MMU600	0x483U
#define IIDR_PROD_MMU700	0x487U

static bool prop_is(const void *fdt, int node, const char *name,
		    const char *want)
{
	int len = 0, i;
	const char *p = fdt_getprop(fdt, node, name, &len);

	if (p == NULL || len <= 0)
		return false;
	for (i = 0; want[i] != '\0'; i++) {
		if (i >= len || p[i] != want[i])
			return false;
	}
	return i < len && p[i] == '\0';
}

/* "compatible" is a list of NUL-terminated strings. */
static bool compatible_with(const void *fdt, int node, const char *want)
{
	int len = 0, start = 0, i;
	const char *p = fdt_getprop(fdt, node, "compatible", &len);

	if (p == NULL || len <= 0)
		return false;
	for (i = 0; i < len; i++) {
		if (p[i] != '\0')
			continue;
		int j = 0;

		while (want[j] != '\0' && start + j < i && p[start + j] == want[j])
			j++;
		if (want[j] == '\0' && start + j == i)
			return true;
		start = i + 1;
	}
	return false;
}

static bool node_enabled(const void *fdt, int node)
{
	int len = 0;

	if (fdt_getprop(fdt, node, "status", &len) == NULL)
		return true;
	return prop_is(fdt, node, "status", "okay") ||
	       prop_is(fdt, node, "status", "ok");
}

static uint64_t read_cells(const uint8_t *p, int cells)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < cells * 4; i++)
		v = (v << 8) | p[i];
	return v;
}

/* Cell counts of a bus node, with the defaults the spec gives (2, 1). */
static void bus_cells(const void *fdt, int bus, int *ac, int *sc)
{
	int len = 0;
	const uint8_t *p;

	*ac = 2;
	*sc = 1;
	if (bus < 0)
		return;
	p = fdt_getprop(fdt, bus, "#address-cells", &len);
	if (p != NULL && len == 4)
		*ac = (int)read_cells(p, 1);
	p = fdt_getprop(fdt, bus, "#size-cells", &len);
	if (p != NULL && len == 4)
		*sc = (int)read_cells(p, 1);
}

/* Entry @idx of a node's "reg"; false if absent or malformed. */
static bool reg_entry(const void *fdt, int node, int bus, int idx,
		      uint64_t *base, uint64_t *size)
{
	int ac, sc, len = 0, stride;
	const uint8_t *p = fdt_getprop(fdt, node, "reg", &len);

	bus_cells(fdt, bus, &ac, &sc);
	if (p == NULL || ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return false;
	stride = (ac + sc) * 4;
	if (len < stride * (idx + 1))
		return false;
	p += stride * idx;
	*base = read_cells(p, ac);
	*size = read_cells(p + ac * 4, sc);
	return *size != 0 && *base + *size > *base;
}

static int add_memory(struct smmu_hyp *hyp, const void *fdt, int node, int bus)
{
	uint64_t base, size;
	int i;

	for (i = 0; reg_entry(fdt, node, bus, i, &base, &size); i++) {
		if (hyp->mem_count == SMMU_MAX_MEM)
			return SMMU_ERANGE;
		/* Ownership and the identity map work in pages. */
		if ((base | size) & (SMMU_PAGE_SIZE - 1U))
			return SMMU_EINVAL;
		hyp->mem[hyp->mem_count].base = base;
		hyp->mem[hyp->mem_count].size = size;
		hyp->mem_count++;
	}
	return i == 0 ? SMMU_EINVAL : SMMU_OK;
}

static int add_smmu(struct smmu_hyp *hyp, const void *fdt, int node, int bus)
{
	struct smmu_dev *dev;
	uint64_t base, size;

	if (!reg_entry(fdt, node, bus, 0, &base, &size))
		return SMMU_EINVAL;
	/* Both register pages, page-aligned, so donation covers them exactly. */
	if ((base | size) & (SMMU_PAGE_SIZE - 1U) || size < SMMU_MMIO_SIZE)
		return SMMU_EINVAL;
	/* An SMMU we cannot drive would leave its devices to the host. */
	if (hyp->dev_count == SMMU_MAX_DEVS)
		return SMMU_ERANGE;
	dev = &hyp->dev[hyp->dev_count++];
	smmu_memset(dev, 0, sizeof(*dev));
	dev->mmio_pa = base;
	dev->mmio_size = size;
	return SMMU_OK;
}

int probe_fdt(struct smmu_hyp *hyp, const void *fdt, size_t fdt_size)
{
	int parents[FDT_MAX_DEPTH + 1];
	int node = 0, depth = 0, n, ret;

	if (fdt == NULL || fdt_size < sizeof(struct fdt_header) ||
	    fdt_check_header(fdt) != 0 || fdt_totalsize(fdt) > fdt_size)
		return SMMU_EINVAL;
	hyp->dev_count = 0;
	hyp->mem_count = 0;
	parents[0] = -1;
	for (n = 0; n < FDT_MAX_NODES && node >= 0; n++) {
		/* A node we cannot place on its bus could be an SMMU left to
		 * the host: refuse the tree rather than skip it. */
		if (depth > FDT_MAX_DEPTH)
			return SMMU_ERANGE;
		if (depth >= 0) {
			int bus = depth > 0 ? parents[depth - 1] : -1;

			if (depth < FDT_MAX_DEPTH)
				parents[depth] = node;
			if (node_enabled(fdt, node)) {
				ret = SMMU_OK;
				if (prop_is(fdt, node, "device_type", "memory"))
					ret = add_memory(hyp, fdt, node, bus);
				else if (compatible_with(fdt, node, "arm,smmu-v3"))
					ret = add_smmu(hyp, fdt, node, bus);
				if (ret != SMMU_OK)
					return ret;
			}
		}
		node = fdt_next_node(fdt, node, &depth);
	}
	if (node >= 0)
		return SMMU_ERANGE;	/* more nodes than we are willing to walk */
	if (hyp->mem_count == 0)
		return SMMU_EINVAL;
	return hyp->dev_count == 0 ? SMMU_ENODEV : SMMU_OK;
}

/* The hardware must offer nesting, coherent little-endian AArch64 walks. */
static int read_facts(struct smmu_dev *dev)
{
	struct smmu_hw_facts *hw = &dev->hw;
	uint32_t idr0, idr1, idr5, ttf, endian, impl, prod, var, rev;
	int i;

	for (i = 0; i < 6; i++)
		hw->idr[i] = hw_read32(dev, SMMU_IDR0 + 4U * (uint32_t)i);
	hw->iidr = hw_read32(dev, SMMU_IIDR);
	hw->aidr = hw_read32(dev, SMMU_AIDR);
	idr0 = hw->idr[0];
	idr1 = hw->idr[1];
	idr5 = hw->idr[5];
	ttf = (uint32_t)FIELD_GET(IDR0_TTF, idr0);
	endian = (uint32_t)FIELD_GET(IDR0_TTENDIAN, idr0);
	if ((idr0 & IDR0_S1P) == 0 || (idr0 & IDR0_S2P) == 0 ||
	    (idr0 & IDR0_COHACC) == 0 ||
	    (ttf != IDR0_TTF_AARCH64 && ttf != IDR0_TTF_AARCH32_64) ||
	    endian == IDR0_TTENDIAN_BE || endian == 1U ||
	    (idr1 & (IDR1_TABLES_PRESET | IDR1_QUEUES_PRESET | IDR1_REL)) ||
	    /* Enhanced command queues would be a second way to issue
	     * commands that the take-over does not shadow: refused. */
	    (idr1 & IDR1_ECMDQ) ||
	    (idr5 & IDR5_GRAN4K) == 0 || FIELD_GET(IDR5_OAS, idr5) > 6U)
		return SMMU_ENODEV;
	impl = (uint32_t)FIELD_GET(IIDR_IMPLEMENTER, hw->iidr);
	prod = (uint32_t)FIELD_GET(IIDR_PRODUCTID, hw->iidr);
	var = (uint32_t)FIELD_GET(IIDR_VARIANT, hw->iidr);
	rev = (uint32_t)FIELD_GET(IIDR_REVISION, hw->iidr);
	if (impl == IIDR_IMPL_ARM &&
	    ((prod == IIDR_PROD_MMU600 && var < 2U) ||
	     (prod == IIDR_PROD_MMU700 && (var < 1U || (var == 1U && rev < 1U)))))
		return SMMU_ENODEV;	/* nesting errata */
	hw->sid_bits = (uint8_t)FIELD_GET(IDR1_SIDSIZE, idr1);
	hw->ssid_bits = (uint8_t)FIELD_GET(IDR1_SSIDSIZE, idr1);
	hw->cmdq_log2 = (uint8_t)FIELD_GET(IDR1_CMDQS, idr1);
	hw->evtq_log2 = (uint8_t)FIELD_GET(IDR1_EVTQS, idr1);
	hw->priq_log2 = (uint8_t)FIELD_GET(IDR1_PRIQS, idr1);
	hw->oas_bits = (uint8_t)smmu_oas_bits((unsigned)FIELD_GET(IDR5_OAS, idr5));
	if (hw->oas_bits > 48U)
		hw->oas_bits = 48U;
	if (hw->sid_bits > 32U || hw->cmdq_log2 > Q_MAX_LOG2SIZE ||
	    hw->evtq_log2 > Q_MAX_LOG2SIZE || hw->priq_log2 > Q_MAX_LOG2SIZE ||
	    hw->cmdq_log2 < 2U)
		return SMMU_ENODEV;
	/* Two levels only pay off beyond one L2 table's worth of SIDs. */
	hw->st_2lvl = FIELD_GET(IDR0_ST_LVL, idr0) == IDR0_ST_LVL_2LVL &&
		      hw->sid_bits > STRTAB_SPLIT_LINUX;
	hw->sev = (idr0 & IDR0_SEV) != 0;
	/* PRI needs ATS, which is hidden (below): hidden too. */
	hw->pri = false;
	hw->cd2l = (idr0 & IDR0_CD2L) != 0;
	/* ATS is hidden: the hypervisor cannot invalidate devices' ATCs when
	 * ownership changes, so translated requests must stay disabled. */
	hw->ats = false;
	hw->ril = (hw->idr[3] & IDR3_RIL) != 0;
	return SMMU_OK;
}

static int donate_mmio(struct smmu_hyp *hyp, struct smmu_dev *dev)
{
	uint64_t off;
	int ret = SMMU_OK;

	for (off = 0; off < dev->mmio_size; off += SMMU_PAGE_SIZE) {
		ret = owner_host_donate_hyp_mmio(hyp, pa_init(dev->mmio_pa + off));
		if (ret != SMMU_OK)
			break;
	}
	if (ret != SMMU_OK) {
		while (off > 0) {
			off -= SMMU_PAGE_SIZE;
			BUG_ON(owner_hyp_donate_host_mmio(
				       hyp, pa_init(dev->mmio_pa + off)) != SMMU_OK);
		}
		return ret;
	}
	owner_mmio_set_in_use(pa_init(dev->mmio_pa), dev->mmio_size, true);
	dev->donated = true;
	dev->base = plat_mmio_va(pa_init(dev->mmio_pa));
	return SMMU_OK;
}

/* GBPA: wait for any update in flight, then request ABORT and wait again. */
static int gbpa_abort(struct smmu_dev *dev)
{
	uint32_t gbpa;
	int ret;

	ret = hw_poll32(dev, SMMU_GBPA, GBPA_UPDATE, 0);
	if (ret != SMMU_OK)
		return ret;
	gbpa = hw_read32(dev, SMMU_GBPA);
	hw_write32(dev, SMMU_GBPA, (gbpa & GBPA_ALLOWED) | GBPA_UPDATE | GBPA_ABORT);
	ret = hw_poll32(dev, SMMU_GBPA, GBPA_UPDATE, 0);
	if (ret != SMMU_OK)
		return ret;
	return (hw_read32(dev, SMMU_GBPA) & GBPA_ABORT) ? SMMU_OK : SMMU_EINVAL;
}

/* The MSI registers of the GERROR, event and PRI interrupts (CFG0, 1, 2). */
static const uint32_t irq_cfg_regs[3][3] = {
	{ SMMU_GERROR_IRQ_CFG0, SMMU_GERROR_IRQ_CFG1, SMMU_GERROR_IRQ_CFG2 },
	{ SMMU_EVTQ_IRQ_CFG0, SMMU_EVTQ_IRQ_CFG1, SMMU_EVTQ_IRQ_CFG2 },
	{ SMMU_PRIQ_IRQ_CFG0, SMMU_PRIQ_IRQ_CFG1, SMMU_PRIQ_IRQ_CFG2 },
};

/*
 * Interrupts off and every MSI address cleared: an MSI is a write the SMMU
 * makes wherever IRQ_CFG0 points, and firmware may have left one pointing
 * into what is now hypervisor memory. From here on only the host's
 * IRQ_CTRL reaches the hardware, and with no address an interrupt is wired.
 */
static int irq_quiesce(struct smmu_dev *dev)
{
	unsigned i;
	int ret;

	hw_write32(dev, SMMU_IRQ_CTRL, 0);
	ret = hw_poll32(dev, SMMU_IRQ_CTRLACK, IRQ_CTRL_ALLOWED, 0);
	if (ret != SMMU_OK)
		return ret;
	for (i = 0; i < 3; i++) {
		hw_write64(dev, irq_cfg_regs[i][0], 0);
		hw_write32(dev, irq_cfg_regs[i][1], 0);
		hw_write32(dev, irq_cfg_regs[i][2], 0);
	}
	return SMMU_OK;
}

/*
 * Acknowledge every global error left active before the take-over (a stale
 * CMDQ_ERR would stop the hypervisor's own queue at its first command). An
 * SMMU in service failure mode needs a reset the hypervisor cannot do.
 */
static int gerror_ack(struct smmu_dev *dev)
{
	uint32_t active = (hw_read32(dev, SMMU_GERROR) ^ hw_read32(dev, SMMU_GERRORN)) &
			  GERROR_ERR_MASK;

	if ((active & GERROR_SFM_ERR) != 0)
		return SMMU_ENODEV;
	hw_write32(dev, SMMU_GERRORN, hw_read32(dev, SMMU_GERROR) & GERROR_ERR_MASK);
	return SMMU_OK;
}

int probe_takeover(struct smmu_hyp *hyp, struct smmu_dev *dev)
{
	uint64_t cmd[2];
	int ret;

	ret = donate_mmio(hyp, dev);
	if (ret != SMMU_OK)
		return ret;
	ret = read_facts(dev);
	/*
	 * GBPA aborts before SMMUEN goes off (Linux's order too): an SMMU left
	 * translating with GBPA bypassing would otherwise let DMA through
	 * untranslated in between.
	 */
	if (ret == SMMU_OK && INJECT(R6))	/* the SMMU off first */
		ret = hw_write_cr0(dev, 0);
	if (ret == SMMU_OK)
		ret = gbpa_abort(dev);
	if (ret == SMMU_OK && !INJECT(R6))
		ret = hw_write_cr0(dev, 0);
	if (ret == SMMU_OK && !INJECT(R3))
		ret = irq_quiesce(dev);
	if (ret == SMMU_OK && !INJECT(R5))
		ret = gerror_ack(dev);
	if (ret != SMMU_OK)
		return ret;
	hw_write32(dev, SMMU_CR1, CR1_LINUX);
	hw_write32(dev, SMMU_CR2, CR2_PTM | CR2_RECINVSID);
	ret = hwq_init(hyp, dev);
	if (ret == SMMU_OK)
		ret = strtab_init(hyp, dev);
	if (ret == SMMU_OK)
		ret = hw_write_cr0(dev, CR0_CMDQEN);
	if (ret != SMMU_OK)
		return ret;
	/* Nothing cached from before the take-over may survive it. */
	cmd[0] = CMDQ_OP_CFGI_STE_RANGE;
	cmd[1] = FIELD_PREP(CMD1_RANGE, CFGI_RANGE_ALL);
	ret = hwq_issue_sync(dev, cmd);
	if (ret == SMMU_OK) {
		cmd[0] = CMDQ_OP_TLBI_NSNH_ALL;
		cmd[1] = 0;
		ret = hwq_issue_sync(dev, cmd);
	}
	if (ret != SMMU_OK)
		return ret;
	ctrl_init_host_view(dev);
	dev->probed = true;
	return SMMU_OK;
}

/* Undo probe_takeover (init failed): the SMMU and its MMIO go back. */
void probe_release(struct smmu_hyp *hyp, struct smmu_dev *dev)
{
	uint64_t off;

	if (dev->donated) {
		bool ours = dev->hwq.pa != 0 || dev->strtab_pa != 0;

		/* Nothing of the hypervisor's stays programmed in an SMMU the
		 * host gets back: its bases would point into the freed pool.
		 * One that does not acknowledge the disable may still walk
		 * them, so it can be neither handed back nor its memory
		 * reused: the hypervisor stops (at boot; a DoS by design). */
		if (hw_write_cr0(dev, 0) != SMMU_OK && ours)
			REJECT_FATAL("probe.release_disable_timeout");
		if (ours) {
			hw_write64(dev, SMMU_CMDQ_BASE, 0);
			hw_write32(dev, SMMU_CMDQ_PROD, 0);
			hw_write32(dev, SMMU_CMDQ_CONS, 0);
			hw_write64(dev, SMMU_STRTAB_BASE, 0);
			hw_write32(dev, SMMU_STRTAB_BASE_CFG, 0);
		}
		owner_mmio_set_in_use(pa_init(dev->mmio_pa), dev->mmio_size, false);
		for (off = 0; off < dev->mmio_size; off += SMMU_PAGE_SIZE)
			BUG_ON(owner_hyp_donate_host_mmio(
				       hyp, pa_init(dev->mmio_pa + off)) != SMMU_OK);
		dev->donated = false;
	}
	if (dev->hwq.pa != 0)
		pool_free(&hyp->pool, pa_init(dev->hwq.pa), 0);
	if (dev->strtab_pa != 0)
		pool_free(&hyp->pool, pa_init(dev->strtab_pa),
			  (unsigned)__builtin_ctz(dev->strtab_pages));
	dev->hwq.pa = 0;
	dev->strtab_pa = 0;
	dev->probed = false;
}
