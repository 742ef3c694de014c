// SPDX-License-Identifier: MIT
/*
 * The device tree QEMU hands the image (at the base of RAM, for an ELF
 * -kernel): where RAM, the SMMUs and the PCIe host bridge are. The core is
 * handed a copy whose memory node says the layout's RAM only: what lies
 * above is the agent's and the job's, a part of the machine the host's
 * model does not have either.
 */
#include <libfdt.h>

#include "hyp.h"

#define FDT_COPY_MAX	(1U << 20)	/* QEMU's virt tree is 1 MiB, mostly free */
#define PCI_SPACE_MEM32	0x02000000U	/* phys.hi of a 32-bit memory range */

static uint8_t fdt_copy[FDT_COPY_MAX] __attribute__((aligned(8)));

static uint64_t cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

/* The first (base, size) of @node's reg, with the root's cell counts. */
static bool first_reg(const void *fdt, int node, int ac, int sc, uint64_t *base,
		      uint64_t *size)
{
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (reg == NULL || len < (ac + sc) * 4)
		return false;
	*base = cells(reg, ac);
	*size = cells(reg + ac, sc);
	return true;
}

/* The 32-bit memory window of the PCIe bridge: its ranges entry whose
 * PCI space is 32-bit memory (PCI bus address, CPU address, size). */
static void pci_window(const void *fdt, int node, int ac, struct hyp_dt *dt)
{
	int len, i, entry = 3 + ac + 2;
	const fdt32_t *r = fdt_getprop(fdt, node, "ranges", &len);

	for (i = 0; r != NULL && (i + 1) * entry * 4 <= len; i++) {
		const fdt32_t *e = r + i * entry;

		if ((fdt32_to_cpu(e[0]) & 0x03000000U) == PCI_SPACE_MEM32) {
			dt->pci_mmio_base = cells(e + 3, ac);
			dt->pci_mmio_size = cells(e + 3 + ac, 2);
			return;
		}
	}
}

int hyp_dt_read(const void *fdt, struct hyp_dt *dt)
{
	int ac, sc, node;

	if (fdt_check_header(fdt) != 0)
		return -1;
	ac = fdt_address_cells(fdt, 0);
	sc = fdt_size_cells(fdt, 0);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return -1;
	node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	if (node < 0 || !first_reg(fdt, node, ac, sc, &dt->ram_base, &dt->ram_size))
		return -1;
	dt->smmu_count = 0;
	for (node = fdt_node_offset_by_compatible(fdt, -1, "arm,smmu-v3");
	     node >= 0 && dt->smmu_count < SMMU_MAX_DEVS;
	     node = fdt_node_offset_by_compatible(fdt, node, "arm,smmu-v3")) {
		uint64_t size;

		if (first_reg(fdt, node, ac, sc, &dt->smmu_base[dt->smmu_count], &size))
			dt->smmu_count++;
	}
	node = fdt_node_offset_by_compatible(fdt, -1, "pci-host-ecam-generic");
	if (node >= 0 && first_reg(fdt, node, ac, sc, &dt->ecam_base, &dt->ecam_size))
		pci_window(fdt, node, ac, dt);
	return 0;
}

const void *hyp_dt_for_core(const void *fdt, uint64_t ram_size, size_t *size)
{
	int ac, sc, node, i;
	fdt32_t reg[4];
	uint64_t v[2] = { EL2_RAM_BASE, ram_size };

	if (fdt_open_into(fdt, fdt_copy, sizeof(fdt_copy)) != 0)
		return NULL;
	ac = fdt_address_cells(fdt_copy, 0);
	sc = fdt_size_cells(fdt_copy, 0);
	node = fdt_node_offset_by_prop_value(fdt_copy, -1, "device_type", "memory", 7);
	if (node < 0 || ac != 2 || sc != 2)
		return NULL;
	for (i = 0; i < 2; i++) {
		reg[2 * i] = cpu_to_fdt32((uint32_t)(v[i] >> 32));
		reg[2 * i + 1] = cpu_to_fdt32((uint32_t)v[i]);
	}
	if (fdt_setprop_inplace(fdt_copy, node, "reg", reg, sizeof(reg)) != 0)
		return NULL;
	if (fdt_pack(fdt_copy) != 0)
		return NULL;
	*size = fdt_totalsize(fdt_copy);
	return fdt_copy;
}
