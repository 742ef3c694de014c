// SPDX-License-Identifier: MIT
/*
 * From a host STE to the STE the hardware gets: a pure function. The
 * stage 2 is always the hypervisor's; the host keeps its stage 1 (nested).
 *
 *   host asks            hardware gets
 *   V = 0                V = 0 (all zero)
 *   abort                abort
 *   bypass               stage 2 only (the identity map)
 *   stage 1              nested: host stage 1 + the identity map
 *   stage 2 or nested    refused (IDR0.S2P is hidden from the host)
 *
 * Fields: the host's stage-1 fields are kept (they can only name IPAs the
 * stage 2 translates); every stage-2 field comes from the hypervisor;
 * SHCFG is forced to "incoming" and every other attribute override
 * (MTCFG/MemAttr, ALLOCCFG, PRIVCFG, INSTCFG, NSCFG) and dwords 4-7 to zero;
 * EATS (ATS is hidden) and STRW (EL2 streams are hidden) must be zero.
 */
#include "priv.h"

#define STE0_KEPT	(STE0_V | STE0_CFG | STE0_S1FMT | STE0_S1CTXPTR_MASK | \
			 STE0_S1CDMAX)
#define STE1_KEPT	(STE1_S1DSS | STE1_S1CIR | STE1_S1COR | STE1_S1CSH | \
			 STE1_S1STALLD | (INJECT(M3) ? STE1_EATS : 0))
#define STE1_S1DSS_RESERVED	3U
#define STE0_S1FMT_RESERVED	3U

/* The stage-2 words every translating STE carries. */
static void stage2_words(const struct smmu_iopt *io, uint64_t *dw2, uint64_t *dw3)
{
	*dw2 = iopt_ste_vtcr(io) | FIELD_PREP(STE2_S2VMID, 0) | STE2_S2AA64 |
	       STE2_S2PTW | STE2_S2R;
	*dw3 = io->root & STE3_S2TTB_MASK;
}

static int refuse(const char **site, const char *why)
{
	*site = why;
	return SMMU_EINVAL;
}

int ste_shadow(const struct smmu_dev *dev, const struct smmu_iopt *io,
	       const uint64_t host[STRTAB_STE_DWORDS],
	       uint64_t out[STRTAB_STE_DWORDS], const char **site)
{
	unsigned cfg = (unsigned)FIELD_GET(STE0_CFG, host[0]);
	unsigned i;

	*site = NULL;
	for (i = 0; i < STRTAB_STE_DWORDS; i++)
		out[i] = 0;
	if ((host[0] & STE0_V) == 0)
		return SMMU_OK;
	if (cfg == STE_CFG_ABORT) {
		out[0] = STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_ABORT);
		return SMMU_OK;
	}
	if (INJECT(B5) && cfg == STE_CFG_S2_TRANS) {
		/* the host's stage 2 trusted as it stands */
		out[0] = STE0_V | FIELD_PREP(STE0_CFG, cfg);
		out[1] = FIELD_PREP(STE1_SHCFG, STE1_SHCFG_INCOMING);
		out[2] = host[2];
		out[3] = host[3];
		return SMMU_OK;
	}
	if (cfg == STE_CFG_S2_TRANS || cfg == STE_CFG_NESTED)
		return refuse(site, "ste.host_stage2");
	if (cfg != STE_CFG_BYPASS && cfg != STE_CFG_S1_TRANS)
		return refuse(site, "ste.reserved_config");
	if (FIELD_GET(STE1_EATS, host[1]) != 0 && !INJECT(M3))
		return refuse(site, "ste.eats");
	if (FIELD_GET(STE1_STRW, host[1]) != 0)
		return refuse(site, "ste.strw");
	if (cfg == STE_CFG_S1_TRANS) {
		unsigned fmt = (unsigned)FIELD_GET(STE0_S1FMT, host[0]);

		if (fmt == STE0_S1FMT_RESERVED || (fmt != 0 && !dev->hw.cd2l))
			return refuse(site, "ste.s1fmt");
		if (FIELD_GET(STE0_S1CDMAX, host[0]) > dev->hw.ssid_bits)
			return refuse(site, "ste.s1cdmax");
		if (FIELD_GET(STE1_S1DSS, host[1]) == STE1_S1DSS_RESERVED)
			return refuse(site, "ste.s1dss");
		out[0] = host[0] & STE0_KEPT;
		out[1] = host[1] & STE1_KEPT;
	} else {
		out[0] = STE0_V;
	}
	/* bypass 4 -> stage 2 only 6, stage 1 5 -> nested 7 */
	out[0] = FIELD_SET(STE0_CFG, out[0], cfg | 2U);
	out[1] |= FIELD_PREP(STE1_SHCFG, STE1_SHCFG_INCOMING);
	stage2_words(io, &out[2], &out[3]);
	if (INJECT(B4))		/* "keep the host's VMID for its TLB tags" */
		out[2] = FIELD_SET(STE2_S2VMID, out[2], FIELD_GET(STE2_S2VMID, host[2]));
	return SMMU_OK;
}

void smmu_stage2_words(const struct smmu_hyp *hyp, uint64_t *dw2, uint64_t *dw3)
{
	stage2_words(&hyp->iopt, dw2, dw3);
}
