/* SPDX-License-Identifier: MIT */
/*
 * SMMUv3 register offsets, field masks and in-memory record layouts
 * (Arm IHI 0070). Offsets are SMMU_<REG>; fields are <REG>_<FIELD>; record
 * fields carry their 64-bit word index (STE0_*, CMD1_*). Each writable
 * register also has <REG>_ALLOWED, the union of the bits software may set.
 */
#ifndef SMMU_REGS_H
#define SMMU_REGS_H

#include "bits.h"

#define SMMU_PAGE0_SIZE		0x10000U
#define SMMU_MMIO_SIZE		0x20000U	/* page 0 + page 1 */
#define SMMU_PAGE1(off)		(SMMU_PAGE0_SIZE + (off))

/* ---- Page 0 ---------------------------------------------------------- */
#define SMMU_IDR0		0x000U
#define IDR0_S2P		BIT(0)
#define IDR0_S1P		BIT(1)
#define IDR0_TTF		GENMASK(3, 2)
#define IDR0_TTF_AARCH64	2U
#define IDR0_TTF_AARCH32_64	3U
#define IDR0_COHACC		BIT(4)
#define IDR0_BTM		BIT(5)
#define IDR0_HTTU		GENMASK(7, 6)
#define IDR0_DORMHINT		BIT(8)
#define IDR0_HYP		BIT(9)
#define IDR0_ATS		BIT(10)
#define IDR0_NS1ATS		BIT(11)
#define IDR0_ASID16		BIT(12)
#define IDR0_MSI		BIT(13)
#define IDR0_SEV		BIT(14)
#define IDR0_ATOS		BIT(15)
#define IDR0_PRI		BIT(16)
#define IDR0_VMW		BIT(17)
#define IDR0_VMID16		BIT(18)
#define IDR0_CD2L		BIT(19)
#define IDR0_VATOS		BIT(20)
#define IDR0_TTENDIAN		GENMASK(22, 21)
#define IDR0_TTENDIAN_MIXED	0U
#define IDR0_TTENDIAN_LE	2U
#define IDR0_TTENDIAN_BE	3U
#define IDR0_ATSRECERR		BIT(23)
#define IDR0_STALL_MODEL	GENMASK(25, 24)
#define IDR0_TERM_MODEL		BIT(26)
#define IDR0_ST_LVL		GENMASK(28, 27)
#define IDR0_ST_LVL_2LVL	1U
#define IDR0_RME_IMPL		BIT(30)

#define SMMU_IDR1		0x004U
#define IDR1_SIDSIZE		GENMASK(5, 0)
#define IDR1_SSIDSIZE		GENMASK(10, 6)
#define IDR1_PRIQS		GENMASK(15, 11)
#define IDR1_EVTQS		GENMASK(20, 16)
#define IDR1_CMDQS		GENMASK(25, 21)
#define IDR1_ATTR_PERMS_OVR	BIT(26)
#define IDR1_ATTR_TYPES_OVR	BIT(27)
#define IDR1_REL		BIT(28)
#define IDR1_QUEUES_PRESET	BIT(29)
#define IDR1_TABLES_PRESET	BIT(30)
#define IDR1_ECMDQ		BIT(31)

#define SMMU_IDR2		0x008U
#define SMMU_IDR3		0x00CU
#define IDR3_HAD		BIT(2)
#define IDR3_RIL		BIT(10)
#define SMMU_IDR4		0x010U
#define SMMU_IDR5		0x014U
#define IDR5_OAS		GENMASK(2, 0)
#define IDR5_GRAN4K		BIT(4)
#define IDR5_GRAN16K		BIT(5)
#define IDR5_GRAN64K		BIT(6)
#define IDR5_VAX		GENMASK(11, 10)
#define IDR5_STALL_MAX		GENMASK(31, 16)

#define SMMU_IIDR		0x018U
#define IIDR_IMPLEMENTER	GENMASK(11, 0)
#define IIDR_REVISION		GENMASK(15, 12)
#define IIDR_VARIANT		GENMASK(19, 16)
#define IIDR_PRODUCTID		GENMASK(31, 20)
#define SMMU_AIDR		0x01CU

#define SMMU_CR0		0x020U
#define CR0_SMMUEN		BIT(0)
#define CR0_PRIQEN		BIT(1)
#define CR0_EVTQEN		BIT(2)
#define CR0_CMDQEN		BIT(3)
#define CR0_ATSCHK		BIT(4)
#define CR0_VMW			GENMASK(8, 6)
#define CR0_ALLOWED		(CR0_SMMUEN | CR0_PRIQEN | CR0_EVTQEN | \
				 CR0_CMDQEN | CR0_ATSCHK)
#define SMMU_CR0ACK		0x024U

#define SMMU_CR1		0x028U
#define CR1_QUEUE_IC		GENMASK(1, 0)
#define CR1_QUEUE_OC		GENMASK(3, 2)
#define CR1_QUEUE_SH		GENMASK(5, 4)
#define CR1_TABLE_IC		GENMASK(7, 6)
#define CR1_TABLE_OC		GENMASK(9, 8)
#define CR1_TABLE_SH		GENMASK(11, 10)
#define CR1_CACHE_NC		0U
#define CR1_CACHE_WB		1U
#define CR1_CACHE_WT		2U
#define CR1_SH_NSH		0U
#define CR1_SH_OSH		2U
#define CR1_SH_ISH		3U
#define CR1_ALLOWED		GENMASK(11, 0)
/* What the Linux driver writes: inner-shareable write-back tables and
 * queues. The emulation core accepts no other CR1. */
#define CR1_LINUX		((uint32_t)(FIELD_PREP(CR1_QUEUE_IC, CR1_CACHE_WB) | \
					    FIELD_PREP(CR1_QUEUE_OC, CR1_CACHE_WB) | \
					    FIELD_PREP(CR1_QUEUE_SH, CR1_SH_ISH) |   \
					    FIELD_PREP(CR1_TABLE_IC, CR1_CACHE_WB) | \
					    FIELD_PREP(CR1_TABLE_OC, CR1_CACHE_WB) | \
					    FIELD_PREP(CR1_TABLE_SH, CR1_SH_ISH)))

#define SMMU_CR2		0x02CU
#define CR2_E2H			BIT(0)
#define CR2_RECINVSID		BIT(1)
#define CR2_PTM			BIT(2)
#define CR2_ALLOWED		(CR2_E2H | CR2_RECINVSID | CR2_PTM)

#define SMMU_STATUSR		0x040U
#define SMMU_GBPA		0x044U
#define GBPA_MEMATTR		GENMASK(3, 0)
#define GBPA_MTCFG		BIT(4)
#define GBPA_ALLOCCFG		GENMASK(11, 8)
#define GBPA_SHCFG		GENMASK(13, 12)
#define GBPA_PRIVCFG		GENMASK(17, 16)
#define GBPA_INSTCFG		GENMASK(19, 18)
#define GBPA_ABORT		BIT(20)
#define GBPA_UPDATE		BIT(31)
#define GBPA_ALLOWED		(GBPA_MEMATTR | GBPA_MTCFG | GBPA_ALLOCCFG | \
				 GBPA_SHCFG | GBPA_PRIVCFG | GBPA_INSTCFG | \
				 GBPA_ABORT | GBPA_UPDATE)
#define SMMU_AGBPA		0x048U

#define SMMU_IRQ_CTRL		0x050U
#define IRQ_CTRL_GERROR_IRQEN	BIT(0)
#define IRQ_CTRL_PRIQ_IRQEN	BIT(1)
#define IRQ_CTRL_EVTQ_IRQEN	BIT(2)
#define IRQ_CTRL_ALLOWED	(IRQ_CTRL_GERROR_IRQEN | IRQ_CTRL_PRIQ_IRQEN | \
				 IRQ_CTRL_EVTQ_IRQEN)
#define SMMU_IRQ_CTRLACK	0x054U

#define SMMU_GERROR		0x060U
#define GERROR_CMDQ_ERR		BIT(0)
#define GERROR_EVTQ_ABT_ERR	BIT(2)
#define GERROR_PRIQ_ABT_ERR	BIT(3)
#define GERROR_MSI_CMDQ_ABT_ERR	BIT(4)
#define GERROR_MSI_EVTQ_ABT_ERR	BIT(5)
#define GERROR_MSI_PRIQ_ABT_ERR	BIT(6)
#define GERROR_MSI_GERROR_ABT_ERR BIT(7)
#define GERROR_SFM_ERR		BIT(8)
#define GERROR_CMDQP_ERR	BIT(9)	/* an ECMDQ error (IDR1.ECMDQ) */
#define GERROR_ERR_MASK		0x1FDU
#define SMMU_GERRORN		0x064U
#define GERRORN_ALLOWED		GERROR_ERR_MASK

#define SMMU_GERROR_IRQ_CFG0	0x068U
#define SMMU_GERROR_IRQ_CFG1	0x070U
#define SMMU_GERROR_IRQ_CFG2	0x074U
#define IRQ_CFG0_ADDR_MASK	GENMASK_ULL(51, 2)
#define IRQ_CFG0_ALLOWED	IRQ_CFG0_ADDR_MASK
#define IRQ_CFG2_MEMATTR	GENMASK(3, 0)
#define IRQ_CFG2_SH		GENMASK(5, 4)
#define IRQ_CFG2_ALLOWED	(IRQ_CFG2_MEMATTR | IRQ_CFG2_SH)

#define SMMU_STRTAB_BASE	0x080U
#define STRTAB_BASE_ADDR_MASK	GENMASK_ULL(51, 6)
#define STRTAB_BASE_RA		BIT_ULL(62)
#define STRTAB_BASE_ALLOWED	(STRTAB_BASE_ADDR_MASK | STRTAB_BASE_RA)
#define SMMU_STRTAB_BASE_CFG	0x088U
#define STRTAB_CFG_LOG2SIZE	GENMASK(5, 0)
#define STRTAB_CFG_SPLIT	GENMASK(10, 6)
#define STRTAB_CFG_FMT		GENMASK(17, 16)
#define STRTAB_CFG_FMT_LINEAR	0U
#define STRTAB_CFG_FMT_2LVL	1U
#define STRTAB_CFG_ALLOWED	(STRTAB_CFG_LOG2SIZE | STRTAB_CFG_SPLIT | \
				 STRTAB_CFG_FMT)

#define SMMU_CMDQ_BASE		0x090U
#define SMMU_CMDQ_PROD		0x098U
#define SMMU_CMDQ_CONS		0x09CU
#define SMMU_EVTQ_BASE		0x0A0U
#define SMMU_EVTQ_PROD		0x0A8U	/* page-0 alias; see SMMU_PAGE1() */
#define SMMU_EVTQ_CONS		0x0ACU
#define SMMU_EVTQ_IRQ_CFG0	0x0B0U
#define SMMU_EVTQ_IRQ_CFG1	0x0B8U
#define SMMU_EVTQ_IRQ_CFG2	0x0BCU
#define SMMU_PRIQ_BASE		0x0C0U
#define SMMU_PRIQ_PROD		0x0C8U
#define SMMU_PRIQ_CONS		0x0CCU
#define SMMU_PRIQ_IRQ_CFG0	0x0D0U
#define SMMU_PRIQ_IRQ_CFG1	0x0D8U
#define SMMU_PRIQ_IRQ_CFG2	0x0DCU
#define SMMU_IDR6		0x190U	/* present with IDR1.ECMDQ */
#define IDR6_LOG2NUMQ		GENMASK(19, 16)	/* ECMDQs per control page */
#define IDR6_LOG2NUMP		GENMASK(27, 24)	/* command queue control pages */
#define SMMU_REG_WINDOW		0xE00U	/* registers the core emulates live below */
#define SMMU_PIDR_BASE		0xFD0U	/* peripheral / component ID registers */

/*
 * Enhanced command queues (SMMUv3.3, IDR1.ECMDQ). Page 0 describes each
 * command queue control page n; the page itself is a 64 KiB register page
 * at ADDR from the SMMU's base (an optional page, >= 0x20000), holding
 * 2^IDR6.LOG2NUMQ ECMDQs spaced evenly: ECMDQ q at (64 KiB >> LOG2NUMQ) * q.
 */
#define SMMU_CMDQ_CP_BASE(n)	(0x4000U + 32U * (n))	/* 64-bit, RO */
#define SMMU_CMDQ_CP_CFG(n)	(0x4008U + 32U * (n))
#define SMMU_CMDQ_CP_STATUS(n)	(0x400CU + 32U * (n))
#define CMDQ_CP_BASE_PRESET	BIT_ULL(0)	/* queues are registers */
#define CMDQ_CP_BASE_CMDQGS	GENMASK_ULL(2, 1)
#define CMDQ_CP_BASE_CMDQGS_64K	1U
#define CMDQ_CP_BASE_ADDR_MASK	GENMASK_ULL(55, 16)
#define CMDQ_CP_CFG_EN		BIT(0)		/* RES1 */
#define CMDQ_CP_STATUS_ENACK	BIT(0)		/* RES1 */
#define SMMU_CMDQCP_SIZE	0x10000U
#define SMMU_ECMDQ_BASE		0x00U	/* offsets within one ECMDQ */
#define SMMU_ECMDQ_PROD		0x08U
#define SMMU_ECMDQ_CONS		0x0CU
#define ECMDQ_PROD_WR		GENMASK(19, 0)
#define ECMDQ_PROD_ERRACK	BIT(23)
#define ECMDQ_PROD_EN		BIT(31)
#define ECMDQ_CONS_RD		GENMASK(19, 0)
#define ECMDQ_CONS_ERR		BIT(23)
#define ECMDQ_CONS_ERR_REASON	GENMASK(26, 24)	/* CERROR_* */
#define ECMDQ_CONS_ENACK	BIT(31)

/* Queue base register (CMDQ_BASE / EVTQ_BASE / PRIQ_BASE). */
#define Q_BASE_LOG2SIZE		GENMASK_ULL(4, 0)
#define Q_BASE_ADDR_MASK	GENMASK_ULL(51, 5)
#define Q_BASE_RWA		BIT_ULL(62)
#define Q_BASE_ALLOWED		(Q_BASE_LOG2SIZE | Q_BASE_ADDR_MASK | Q_BASE_RWA)

/*
 * Queue PROD/CONS: the low LOG2SIZE bits index the queue, the next bit is
 * the wrap flag. Empty: same index, same wrap. Full: same index, wrap differs.
 *
 *   31   30..24        LOG2SIZE  LOG2SIZE-1 .. 0
 *  +----+-----------+--....--+-----+------------+
 *  |OVF | ERR (CONS)|ignored |WRAP |   index    |
 *  +----+-----------+--....--+-----+------------+
 */
#define Q_OVERFLOW_FLAG		BIT(31)
#define CMDQ_CONS_ERR		GENMASK(30, 24)
#define CMDQ_PROD_OWNED_FLAG	Q_OVERFLOW_FLAG	/* Linux-only use of bit 31 */
#define CERROR_NONE		0U
#define CERROR_ILL		1U
#define CERROR_ABT		2U
#define CERROR_ATC_INV_SYNC	3U

#define CMDQ_ENT_DWORDS		2U
#define EVTQ_ENT_DWORDS		4U
#define PRIQ_ENT_DWORDS		2U
#define Q_MAX_LOG2SIZE		19U	/* architectural limit of xQS fields */

/* ---- Commands (16 bytes) --------------------------------------------- */
#define CMD0_OP			GENMASK_ULL(7, 0)
#define CMD0_SSV		BIT_ULL(11)
#define CMD0_SSID		GENMASK_ULL(31, 12)
#define CMD0_SID		GENMASK_ULL(63, 32)
#define CMD0_VMID		GENMASK_ULL(47, 32)
#define CMD0_ASID		GENMASK_ULL(63, 48)
#define CMD0_TLBI_NUM		GENMASK_ULL(16, 12)
#define CMD0_TLBI_SCALE		GENMASK_ULL(24, 20)
#define CMD0_ATC_GLOBAL		BIT_ULL(9)
#define CMD0_RESUME_RESP	GENMASK_ULL(13, 12)
#define CMD0_RESUME_RESP_RETRY	1U	/* Ac = 1; else terminate (Ab = bit 1) */
#define CMD0_SYNC_CS		GENMASK_ULL(13, 12)
#define CMD0_SYNC_CS_NONE	0U
#define CMD0_SYNC_CS_IRQ	1U
#define CMD0_SYNC_CS_SEV	2U
#define CMD0_SYNC_MSH		GENMASK_ULL(23, 22)
#define CMD0_SYNC_MSIATTR	GENMASK_ULL(27, 24)
#define CMD0_SYNC_MSIDATA	GENMASK_ULL(63, 32)
#define CMD1_LEAF		BIT_ULL(0)
#define CMD1_RANGE		GENMASK_ULL(4, 0)
#define CMD1_PREFETCH_SIZE	GENMASK_ULL(4, 0)
#define CMD1_TLBI_TTL		GENMASK_ULL(9, 8)
#define CMD1_TLBI_TG		GENMASK_ULL(11, 10)
#define CMD1_ADDR_MASK		GENMASK_ULL(63, 12)
#define CMD1_IPA_MASK		GENMASK_ULL(51, 12)
#define CMD1_ATC_SIZE		GENMASK_ULL(5, 0)
#define CMD1_PRI_GRPID		GENMASK_ULL(8, 0)
#define CMD1_PRI_RESP		GENMASK_ULL(13, 12)
#define CMD1_RESUME_STAG	GENMASK_ULL(15, 0)
#define CMD1_SYNC_MSIADDR_MASK	GENMASK_ULL(51, 2)

#define CMDQ_OP_PREFETCH_CFG	0x01U
#define CMDQ_OP_PREFETCH_ADDR	0x02U
#define CMDQ_OP_CFGI_STE	0x03U
#define CMDQ_OP_CFGI_STE_RANGE	0x04U	/* CFGI_ALL is this with Range = 31 */
#define CMDQ_OP_CFGI_CD		0x05U
#define CMDQ_OP_CFGI_CD_ALL	0x06U
#define CMDQ_OP_TLBI_NH_ALL	0x10U
#define CMDQ_OP_TLBI_NH_ASID	0x11U
#define CMDQ_OP_TLBI_NH_VA	0x12U
#define CMDQ_OP_TLBI_NH_VAA	0x13U
#define CMDQ_OP_TLBI_EL3_ALL	0x18U
#define CMDQ_OP_TLBI_EL3_VA	0x1AU
#define CMDQ_OP_TLBI_EL2_ALL	0x20U
#define CMDQ_OP_TLBI_EL2_ASID	0x21U
#define CMDQ_OP_TLBI_EL2_VA	0x22U
#define CMDQ_OP_TLBI_EL2_VAA	0x23U
#define CMDQ_OP_TLBI_S12_VMALL	0x28U
#define CMDQ_OP_TLBI_S2_IPA	0x2AU
#define CMDQ_OP_TLBI_NSNH_ALL	0x30U
#define CMDQ_OP_ATC_INV		0x40U
#define CMDQ_OP_PRI_RESP	0x41U
#define CMDQ_OP_RESUME		0x44U
#define CMDQ_OP_STALL_TERM	0x45U
#define CMDQ_OP_CMD_SYNC	0x46U
#define CFGI_RANGE_ALL		31U

/* ---- Stream table ------------------------------------------------------ */
#define STRTAB_STE_DWORDS	8U
#define STRTAB_STE_SIZE		64U
#define STRTAB_L1_DESC_SIZE	8U
#define STRTAB_SPLIT_LINUX	8U
#define STRTAB_L1_SPAN		GENMASK_ULL(4, 0)
#define STRTAB_L1_L2PTR_MASK	GENMASK_ULL(51, 6)

#define STE0_V			BIT_ULL(0)
#define STE0_CFG		GENMASK_ULL(3, 1)
#define STE_CFG_ABORT		0U
#define STE_CFG_BYPASS		4U
#define STE_CFG_S1_TRANS	5U
#define STE_CFG_S2_TRANS	6U
#define STE_CFG_NESTED		7U
#define STE0_S1FMT		GENMASK_ULL(5, 4)
#define STE0_S1CTXPTR_MASK	GENMASK_ULL(51, 6)
#define STE0_S1CDMAX		GENMASK_ULL(63, 59)
#define STE1_S1DSS		GENMASK_ULL(1, 0)
#define STE1_S1CIR		GENMASK_ULL(3, 2)
#define STE1_S1COR		GENMASK_ULL(5, 4)
#define STE1_S1CSH		GENMASK_ULL(7, 6)
#define STE1_S1STALLD		BIT_ULL(27)
#define STE1_EATS		GENMASK_ULL(29, 28)
#define STE1_STRW		GENMASK_ULL(31, 30)
#define STE1_SHCFG		GENMASK_ULL(45, 44)
#define STE1_SHCFG_INCOMING	1U
#define STE2_S2VMID		GENMASK_ULL(15, 0)
#define STE2_VTCR		GENMASK_ULL(50, 32)
#define STE2_S2T0SZ		GENMASK_ULL(37, 32)
#define STE2_S2SL0		GENMASK_ULL(39, 38)
#define STE2_S2IR0		GENMASK_ULL(41, 40)
#define STE2_S2OR0		GENMASK_ULL(43, 42)
#define STE2_S2SH0		GENMASK_ULL(45, 44)
#define STE2_S2TG		GENMASK_ULL(47, 46)
#define STE2_S2PS		GENMASK_ULL(50, 48)
#define STE2_S2AA64		BIT_ULL(51)
#define STE2_S2ENDI		BIT_ULL(52)
#define STE2_S2AFFD		BIT_ULL(53)
#define STE2_S2PTW		BIT_ULL(54)
#define STE2_S2HD		BIT_ULL(55)
#define STE2_S2HA		BIT_ULL(56)
#define STE2_S2S		BIT_ULL(57)
#define STE2_S2R		BIT_ULL(58)
#define STE3_S2TTB_MASK		GENMASK_ULL(51, 4)

/* ---- Context descriptor (64 bytes) ------------------------------------ */
#define CD_DWORDS		8U
#define CD0_T0SZ		GENMASK_ULL(5, 0)
#define CD0_TG0			GENMASK_ULL(7, 6)
#define CD0_IRGN0		GENMASK_ULL(9, 8)
#define CD0_ORGN0		GENMASK_ULL(11, 10)
#define CD0_SH0			GENMASK_ULL(13, 12)
#define CD0_EPD0		BIT_ULL(14)
#define CD0_ENDI		BIT_ULL(15)
#define CD0_EPD1		BIT_ULL(30)
#define CD0_V			BIT_ULL(31)
#define CD0_IPS			GENMASK_ULL(34, 32)
#define CD0_TBI0		BIT_ULL(38)
#define CD0_AA64		BIT_ULL(41)
#define CD0_HD			BIT_ULL(42)
#define CD0_HA			BIT_ULL(43)
#define CD0_S			BIT_ULL(44)
#define CD0_R			BIT_ULL(45)
#define CD0_A			BIT_ULL(46)
#define CD0_ASET		BIT_ULL(47)
#define CD0_ASID		GENMASK_ULL(63, 48)
#define CD1_TTB0_MASK		GENMASK_ULL(51, 4)
#define CD_L1_V			BIT_ULL(0)
#define CD_L1_L2PTR_MASK	GENMASK_ULL(51, 12)
#define CD_L2_ENTRIES		1024U

/* ---- Event records (32 bytes) ----------------------------------------- */
#define EVT0_ID			GENMASK_ULL(7, 0)
#define EVT0_SSV		BIT_ULL(11)
#define EVT0_SSID		GENMASK_ULL(31, 12)
#define EVT0_SID		GENMASK_ULL(63, 32)
#define EVT1_STAG		GENMASK_ULL(15, 0)
#define EVT1_STALL		BIT_ULL(31)
#define EVT1_RNW		BIT_ULL(35)
#define EVT1_S2			BIT_ULL(39)
#define EVT1_CLASS		GENMASK_ULL(41, 40)
#define EVT_ID_UUT		0x01U
#define EVT_ID_BAD_STREAMID	0x02U
#define EVT_ID_STE_FETCH	0x03U
#define EVT_ID_BAD_STE		0x04U
#define EVT_ID_STREAM_DISABLED	0x06U
#define EVT_ID_BAD_SUBSTREAMID	0x08U
#define EVT_ID_CD_FETCH		0x09U
#define EVT_ID_BAD_CD		0x0AU
#define EVT_ID_WALK_EABT	0x0BU
#define EVT_ID_TRANSLATION	0x10U
#define EVT_ID_ADDR_SIZE	0x11U
#define EVT_ID_ACCESS		0x12U
#define EVT_ID_PERMISSION	0x13U

/* ---- VMSAv8-64 stage-2 descriptors, 4 KiB granule ---------------------- */
#define PTE_VALID		BIT_ULL(0)
#define PTE_TYPE		BIT_ULL(1)	/* table (L0-2) or page (L3) */
#define PTE_S2_MEMATTR		GENMASK_ULL(5, 2)
#define PTE_S2_MEMATTR_DEV	0x1U		/* Device-nGnRE */
#define PTE_S2_MEMATTR_NC	0x5U
#define PTE_S2_MEMATTR_WB	0xFU
#define PTE_S2_AP		GENMASK_ULL(7, 6)
#define PTE_S2_AP_R		BIT_ULL(6)
#define PTE_S2_AP_W		BIT_ULL(7)
#define PTE_SH			GENMASK_ULL(9, 8)
#define PTE_SH_ISH		3U
#define PTE_AF			BIT_ULL(10)
#define PTE_XN			GENMASK_ULL(54, 53)
#define PTE_ADDR_MASK		GENMASK_ULL(47, 12)
#define PTE_LEVEL_BITS		9U
#define PTE_LEVEL_SHIFT(lvl)	(12U + (3U - (lvl)) * PTE_LEVEL_BITS)

/* Stage-1 descriptor permission bits used by the model's S1 walk. */
#define PTE_S1_AP		GENMASK_ULL(7, 6)
#define PTE_S1_AP_RO		BIT_ULL(7)
#define PTE_S1_AP_EL0		BIT_ULL(6)

/* IDR5.OAS / STE2.S2PS / CD0.IPS encoding to address bits. */
static inline unsigned smmu_oas_bits(unsigned enc)
{
	static const unsigned char bits[8] = { 32, 36, 40, 42, 44, 48, 52, 52 };
	return bits[enc & 7U];
}

_Static_assert((CR0_ALLOWED & CR0_VMW) == 0, "CR0 fields overlap");
_Static_assert((Q_BASE_ADDR_MASK & Q_BASE_LOG2SIZE) == 0, "queue base overlap");
_Static_assert((STRTAB_CFG_LOG2SIZE & STRTAB_CFG_SPLIT) == 0, "strtab cfg");
_Static_assert((GBPA_ABORT & GBPA_UPDATE) == 0, "GBPA fields overlap");

#endif /* SMMU_REGS_H */
