/* SPDX-License-Identifier: MIT */
/*
 * Injected bugs for the finding-power benchmark (`smmufuzz bugbench`,
 * docs/bugs.md). A build configured with -DSMMUFUZZ_INJECT=<id> compiles
 * the core with exactly one catalogued bug; every other build, the product
 * included, has SMMUFUZZ_INJECT undefined and INJECT() a constant 0, so the
 * compiler drops each injected branch whole.
 *
 * The ids are numbered here once; tools/bugbench_bugs.c gives each its
 * expected finding and CMake reads the list below to refuse unknown ids.
 */
#ifndef SMMU_INJECT_H
#define SMMU_INJECT_H

/* The review's fixes, reverted (issue 7) */
#define INJ_R1	1	/* CFGI_STE SID bounded by IDR1.SIDSIZE, not the shadow */
#define INJ_R2	2	/* ATC_INV forwarded; a failed hypervisor SYNC is a BUG_ON */
#define INJ_R3	3	/* take-over keeps the IRQ/MSI set-up firmware left */
#define INJ_R4	4	/* a live block split in place */
#define INJ_R5	5	/* stale GERRORs not acknowledged at take-over */
#define INJ_R6	6	/* CR0 = 0 before GBPA = abort at take-over */
#define INJ_R7	7	/* every CFGI_ALL of a doorbell re-reads the whole table */
/* Mutations the oracles must catch (issue 7) */
#define INJ_M1	8	/* event-queue pages released before CR0ACK */
#define INJ_M2	9	/* stage-2 walks non-cacheable */
#define INJ_M3	10	/* the host's EATS copied into the shadow STE */
#define INJ_F1	11	/* the host's TLBI_NH_ALL forwarded */
/* Classic trap-and-emulate mistakes */
#define INJ_B1	12	/* queue base register accepted while the queue is enabled */
#define INJ_B2	13	/* host queue slot indexed with the wrap bit */
#define INJ_B3	14	/* host STE read twice (TOCTOU) */
#define INJ_B4	15	/* S2VMID taken from the host STE */
#define INJ_B5	16	/* host-requested stage 2 accepted with its own S2 words */
#define INJ_B6	17	/* L2 pointer may alias the L1 table or command queue */
#define INJ_B7	18	/* CFGI_STE SID bound off by one */
#define INJ_B8	19	/* event/PRI queue pages not put in the shared state */
#define INJ_B9	20	/* identity map not updated on donation to a guest */
#define INJ_B10	21	/* identity-map callbacks never switched on after the snapshot */
#define INJ_B11	22	/* MMIO donation accepts RAM */
#define INJ_B12	23	/* a page-state update clears the owner annotation */
#define INJ_B13	24	/* CMD_SYNC MSI address passed through */
#define INJ_B14	25	/* IDR0.MSI not masked from the host */
#define INJ_B15	26	/* GBPA write reaches the hardware */
#define INJ_B16	27	/* host CMDQ LOG2SIZE used unclamped */
#define INJ_B17	28	/* device memory mapped Normal in the identity map */
#define INJ_B18	29	/* ownership request served without the instance lock */
#define INJ_COUNT	29

#ifdef SMMUFUZZ_INJECT
#if !(SMMUFUZZ_INJECT >= 1 && SMMUFUZZ_INJECT <= INJ_COUNT)
#error "SMMUFUZZ_INJECT names no bug of core/src/inject.h (docs/bugs.md)"
#endif
#define INJECT(id)	(SMMUFUZZ_INJECT == INJ_##id)
#else
/* Naming the id keeps a typo from compiling in the product build too. */
#define INJECT(id)	(0 * INJ_##id)
#endif

#endif /* SMMU_INJECT_H */
