/* SPDX-License-Identifier: MIT */
/*
 * SMMUv3 register and command fields the oracles judge by, restated from
 * the architecture (Arm IHI 0070), never taken from the core's regs.h: one
 * copy for the host oracles (oracle.c) and the audit both builds run
 * (audit.c).
 */
#ifndef SMMUFUZZ_ARCH_FIELDS_H
#define SMMUFUZZ_ARCH_FIELDS_H

#define A_IDR0_MSI		(1U << 13)
#define A_IDR1_CMDQS(v)		(((v) >> 21) & 0x1FU)
#define A_IDR1_EVTQS(v)		(((v) >> 16) & 0x1FU)
#define A_IDR1_PRIQS(v)		(((v) >> 11) & 0x1FU)
#define A_IDR3_BBML(v)		(((v) >> 11) & 3U)
#define A_IDR5_OAS(v)		((v) & 7U)
#define A_GBPA_ABORT		(1U << 20)
#define A_CR0_EVTQEN		(1U << 2)
#define A_CR0_PRIQEN		(1U << 1)

/*
 * SMMU_CR1: queue IC[1:0], OC[3:2], SH[5:4]; table IC[7:6], OC[9:8],
 * SH[11:10]; [31:12] RES0. Cacheability 0b01 = write-back, shareability
 * 0b11 = inner shareable: what the Linux driver writes, and the only value
 * the hypervisor gives the hardware (docs/architecture.md).
 */
#define A_CR1_WB		1U
#define A_CR1_ISH		3U
#define A_CR1_FIXED		((A_CR1_WB << 0) | (A_CR1_WB << 2) | (A_CR1_ISH << 4) | \
				 (A_CR1_WB << 6) | (A_CR1_WB << 8) | (A_CR1_ISH << 10))
#define A_CR1_RES0		0xFFFFF000U
/* SMMU_CR2: E2H bit 0, RECINVSID bit 1, PTM bit 2, [31:3] RES0. */
#define A_CR2_E2H		(1U << 0)
#define A_CR2_RES0		0xFFFFFFF8U
/* SMMU_IRQ_CTRL: GERROR_IRQEN 0, PRIQ_IRQEN 1, EVTQ_IRQEN 2. */
#define A_IRQ_GERROR		(1U << 0)
#define A_IRQ_PRIQ		(1U << 1)
#define A_IRQ_EVTQ		(1U << 2)
/* *_IRQ_CFG0.ADDR[51:2]: zero means no MSI (a wired interrupt). */
#define A_IRQ_CFG0_ADDR		0x000FFFFFFFFFFFFCULL

/* Commands: opcode [7:0], VMID [47:32]. */
#define A_CMD_OP(c)		((unsigned)((c)[0] & 0xFFU))
#define A_CMD_VMID(c)		((unsigned)(((c)[0] >> 32) & 0xFFFFU))
#define A_OP_TLBI_S12_VMALL	0x28U
#define A_OP_TLBI_S2_IPA	0x2AU

#endif /* SMMUFUZZ_ARCH_FIELDS_H */
