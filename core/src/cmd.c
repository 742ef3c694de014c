// SPDX-License-Identifier: MIT
/*
 * The command filter: a pure function deciding, for one command copied out
 * of the host's queue, whether it may reach the hardware (possibly
 * rewritten) or is refused with CERROR_ILL. docs/commands.md lists the
 * rule for every opcode and why.
 */
#include "priv.h"

static enum cmd_verdict refuse(const char **site, const char *why)
{
	*site = why;
	return CMD_ILLEGAL;
}

/* Whether @sid lies beyond the SIDs the shadow stream table covers. */
static bool sid_out_of_range(const struct smmu_dev *dev, uint32_t sid)
{
	if (INJECT(R1))		/* the hardware's SIDSIZE, not the shadow's */
		return dev->hw.sid_bits < 32U && sid >> dev->hw.sid_bits != 0;
	if (INJECT(B7))		/* the count compared with '>' */
		return sid > (1U << dev->hw.st_sid_bits);
	return sid >> dev->hw.st_sid_bits != 0;
}

enum cmd_verdict cmd_filter(const struct smmu_dev *dev, uint64_t cmd[2],
			    const char **site)
{
	unsigned op = (unsigned)FIELD_GET(CMD0_OP, cmd[0]);

	*site = NULL;
	switch (op) {
	case CMDQ_OP_CFGI_STE:
		/* Leaf = 0 would ask to drop L1 descriptors we never re-read. */
		if ((cmd[1] & CMD1_LEAF) == 0)
			return refuse(site, "cmd.cfgi_ste_leaf0");
		/* The shadow table covers st_sid_bits, which is what the host
		 * was told IDR1.SIDSIZE is. */
		if (sid_out_of_range(dev, (uint32_t)FIELD_GET(CMD0_SID, cmd[0])))
			return refuse(site, "cmd.cfgi_ste_sid_out_of_range");
		return CMD_FORWARD;
	case CMDQ_OP_CFGI_STE_RANGE:
		/* Linux only issues CFGI_ALL (Range 31), at reset. */
		if (FIELD_GET(CMD1_RANGE, cmd[1]) != CFGI_RANGE_ALL)
			return refuse(site, "cmd.cfgi_range_not_all");
		return CMD_FORWARD;
	case CMDQ_OP_TLBI_NH_ASID:
	case CMDQ_OP_TLBI_NH_VA:
	case CMDQ_OP_TLBI_NH_VAA:
		/* The host's stage 1 lives in VMID 0, the hypervisor's stage 2. */
		if (FIELD_GET(CMD0_VMID, cmd[0]) != 0)
			return refuse(site, "cmd.tlbi_nh_vmid_not_0");
		return CMD_FORWARD;
	case CMDQ_OP_TLBI_NH_ALL:
		if (INJECT(F1))
			return CMD_FORWARD;
		return refuse(site, "cmd.tlbi_nh_all");
	case CMDQ_OP_TLBI_EL2_ALL:
	case CMDQ_OP_TLBI_EL2_ASID:
	case CMDQ_OP_TLBI_EL2_VA:
	case CMDQ_OP_TLBI_EL2_VAA:
		return refuse(site, "cmd.tlbi_el2");
	case CMDQ_OP_TLBI_EL3_ALL:
	case CMDQ_OP_TLBI_EL3_VA:
		return refuse(site, "cmd.tlbi_el3");
	case CMDQ_OP_TLBI_S12_VMALL:
	case CMDQ_OP_TLBI_S2_IPA:
		/* Stage 2 is the hypervisor's to maintain. */
		return refuse(site, "cmd.tlbi_stage2");
	case CMDQ_OP_CMD_SYNC: {
		unsigned cs = (unsigned)FIELD_GET(CMD0_SYNC_CS, cmd[0]);

		if (cs > CMD0_SYNC_CS_SEV)
			return refuse(site, "cmd.sync_reserved_cs");
		if (INJECT(B13))	/* the host's MSI address reaches the SMMU */
			return CMD_FORWARD;
		if (cs == CMD0_SYNC_CS_IRQ || (cmd[1] & CMD1_SYNC_MSIADDR_MASK)) {
			/* An MSI is a write the SMMU makes to any address: the
			 * host polls instead (IDR0.MSI is hidden from it). */
			cmd[0] &= ~(CMD0_SYNC_CS | CMD0_SYNC_MSIDATA |
				    CMD0_SYNC_MSIATTR | CMD0_SYNC_MSH);
			cmd[0] |= FIELD_PREP(CMD0_SYNC_CS, dev->hw.sev ?
					     CMD0_SYNC_CS_SEV : CMD0_SYNC_CS_NONE);
			cmd[1] = 0;
		}
		return CMD_FORWARD;
	}
	case CMDQ_OP_PREFETCH_CFG:
	case CMDQ_OP_PREFETCH_ADDR:
	case CMDQ_OP_CFGI_CD:
	case CMDQ_OP_CFGI_CD_ALL:
	case CMDQ_OP_TLBI_NSNH_ALL:
	case CMDQ_OP_RESUME:
	case CMDQ_OP_STALL_TERM:
		return CMD_FORWARD;
	case CMDQ_OP_ATC_INV:
		/* ATS is hidden and every STE has EATS = 0, so no ATC holds
		 * anything; forwarded, an ATC_INV without its SYNC would make
		 * the hypervisor's next CMD_SYNC fail (CERROR_ATC_INV_SYNC). */
		if (INJECT(R2))
			return CMD_FORWARD;
		return refuse(site, "cmd.atc_inv");
	case CMDQ_OP_PRI_RESP:
		/* PRI needs ATS: it is hidden too. */
		return refuse(site, "cmd.pri_resp");
	default:
		return refuse(site, "cmd.unknown_opcode");
	}
}
