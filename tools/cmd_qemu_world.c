// SPDX-License-Identifier: MIT
/*
 * What QEMU's virt machine can be: one SMMUv3 with QEMU's own ID registers
 * (profile qemu-virt), prompt, booted by the hypervisor from QEMU's device
 * tree, and PCI devices that issue DMA with their requester ID as stream
 * ID and no substream. An input that needs anything else is the host
 * build's alone, and says why (docs/qemu-harness.md lists the reasons).
 */
#include <stdio.h>
#include <string.h>

#include "cmd_qemu.h"
#include "worlddesc.h"

#define PCI_DEVFN_SLOT(devfn)	((devfn) >> 3)
#define PCI_SLOTS		32U

/* A DMA probe's stream ID as the requester ID of a PCI device QEMU can
 * place: 16 bits; on bus 0 not the host bridge (00:00.x); below a PCIe
 * root port only device 0 (functions 0-7). */
static bool sid_placeable(uint32_t sid, char *why, size_t cap)
{
	unsigned bus = sid >> 8, devfn = sid & 0xFFU;

	if (sid > 0xFFFFU) {
		snprintf(why, cap, "DMA stream ID 0x%x is wider than a PCI requester ID", sid);
		return false;
	}
	if (bus == 0 && PCI_DEVFN_SLOT(devfn) == 0) {
		snprintf(why, cap, "DMA stream ID 0x%x is the PCIe host bridge's requester ID", sid);
		return false;
	}
	if (bus != 0 && PCI_DEVFN_SLOT(devfn) != 0) {
		snprintf(why, cap, "DMA stream ID 0x%x: below a PCIe port only device 0 exists", sid);
		return false;
	}
	return true;
}

/* One edu per stream ID probed; a root port per bus other than 0, on a
 * slot of bus 0 no edu uses. */
static bool plan_edus(const struct op *ops, size_t n, uint32_t op_mask,
		      struct qemu_job *j, char *why, size_t cap)
{
	bool slot_used[PCI_SLOTS] = { true };	/* slot 0: the host bridge */
	unsigned k, next_slot = PCI_SLOTS - 1U;
	size_t i;

	j->edu_count = 0;
	for (i = 0; i < n; i++) {
		const struct op *op = &ops[i];
		bool seen = false;

		if (op->code != OP_DMA || (op_mask & OPBIT(OP_DMA)) == 0)
			continue;
		if (op->a8 & DMA_F_SSV) {
			snprintf(why, cap, "a DMA probe with a substream ID (edu issues no PASID)");
			return false;
		}
		if (!sid_placeable(op->a32, why, cap))
			return false;
		for (k = 0; k < j->edu_count; k++)
			seen |= j->edu[k].sid == op->a32;
		if (seen)
			continue;
		if (j->edu_count == QH_EDU_MAX) {
			snprintf(why, cap, "DMA probes on more than %u stream IDs", QH_EDU_MAX);
			return false;
		}
		j->edu[j->edu_count].sid = op->a32;
		j->edu[j->edu_count].port_slot = -1;
		j->edu_count++;
		if ((op->a32 >> 8) == 0)
			slot_used[PCI_DEVFN_SLOT(op->a32 & 0xFFU)] = true;
	}
	for (k = 0; k < j->edu_count; k++) {
		unsigned m;

		if ((j->edu[k].sid >> 8) == 0)
			continue;
		/* Stream IDs of one bus share its port. */
		for (m = 0; m < k; m++)
			if ((j->edu[m].sid >> 8) == (j->edu[k].sid >> 8))
				j->edu[k].port_slot = j->edu[m].port_slot;
		if (j->edu[k].port_slot >= 0)
			continue;
		while (next_slot > 0 && slot_used[next_slot])
			next_slot--;
		if (next_slot == 0) {
			snprintf(why, cap, "no free slot on PCI bus 0 for a root port");
			return false;
		}
		slot_used[next_slot] = true;
		j->edu[k].port_slot = (int)next_slot;
	}
	return true;
}

bool qemu_host_only(const struct ops_header *hdr, const struct op *ops, size_t n,
		    const struct harness_opts *opts, struct qemu_job *j, char *why,
		    size_t cap)
{
	static struct world_desc d, base;
	size_t i;

	if (hdr->profile != 0) {
		snprintf(why, cap, "profile %s (QEMU's virt machine is qemu-virt: one SMMU)",
			 ops_profile_name(hdr->profile));
		return true;
	}
	if (!wd_build(0, ops, n, opts->op_mask, &d) || !wd_build(0, NULL, 0, 0, &base)) {
		snprintf(why, cap, "no world for the input");
		return true;
	}
	if (d.boots_itself) {
		snprintf(why, cap, "the input drives the hypervisor's boot (boot ops)");
		return true;
	}
	if (d.fdt_edit_count != 0) {
		snprintf(why, cap, "fdt ops edit the device tree (QEMU's is QEMU's)");
		return true;
	}
	/* HW ops that set what QEMU's SMMU has already change nothing. */
	if (d.modified && wd_hash(&d) != wd_hash(&base)) {
		snprintf(why, cap, "hw ops change the SMMU (QEMU's ID registers and state are fixed)");
		return true;
	}
	for (i = 0; i < n; i++) {
		if (ops[i].code == OP_HWMODE && (opts->op_mask & OPBIT(OP_HWMODE)) &&
		    ops[i].a8 % 3U != 0) {
			snprintf(why, cap, "hwmode %s (QEMU's SMMU completes at once)",
				 ops[i].a8 % 3U == 1 ? "slow" : "stuck");
			return true;
		}
	}
	return !plan_edus(ops, n, opts->op_mask, j, why, cap);
}
