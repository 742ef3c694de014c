/* SPDX-License-Identifier: MIT */
/*
 * The isolation audit, freestanding: what an SMMU the hypervisor holds must
 * look like (docs/threat-model.md), checked through accessors so that the
 * same code judges the host build's hardware model and, at EL2, the real
 * (QEMU) SMMU: its registers, its stream table and STEs, the identity map
 * its stage 2 walks, the commands the hypervisor gives it, where a DMA
 * landed. It never asks the core: the stage 2 every translating STE must
 * carry is computed from the ID registers (Arm IHI 0070), and the layouts
 * are restated here. A breach ends in io->breach("isolation:<what>" or
 * "cmd-filter:<what>"), the signatures the host oracles give
 * (fuzzers/common/oracle.c, oracle_ste.c) for the same breach.
 */
#ifndef SMMUFUZZ_AUDIT_H
#define SMMUFUZZ_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUDIT_MAX_SMMU	4U

/* How the audit sees a machine. */
struct audit_io {
	void *ctx;
	unsigned smmu_count;		/* SMMUs the hypervisor drives */
	uint64_t smmu_base[AUDIT_MAX_SMMU];
	/* A register of SMMU @i, as the hardware holds it. */
	uint32_t (*reg32)(void *ctx, unsigned i, uint32_t off);
	uint64_t (*reg64)(void *ctx, unsigned i, uint32_t off);
	/* @len bytes of RAM at @pa; false if [pa, pa + len) is not RAM. */
	bool (*mem)(void *ctx, uint64_t pa, void *dst, size_t len);
	/* The page-state word (pgstate.h) of the page holding @pa. */
	uint32_t (*pgstate)(void *ctx, uint64_t pa);
	/* The RAM of the machine (one range). */
	uint64_t ram_base, ram_size;
	/* The tracked device window (page states exist for it). */
	uint64_t mmio_base, mmio_size;
	/* Stop with a finding's signature; must not return. */
	void (*breach)(void *ctx, const char *sig);
};

/* The stage 2 every translating STE must carry, from the ID registers. */
struct audit_s2 {
	unsigned ias;		/* input = output address bits, 32..48 */
	unsigned start;		/* start level, 0..2 */
	unsigned concat_log2;	/* log2 of the concatenated start tables */
	uint64_t dw2;		/* STE dword 2, every bit of it */
	uint64_t ttb;		/* the one S2TTB; 0: learnt from the first STE */
};

/* Compute @e from the SMMUs' IDR5.OAS (the smallest), with root @ttb. */
void audit_expect_stage2(const struct audit_io *io, uint64_t ttb, struct audit_s2 *e);

/* GBPA, CR1, CR2, queue and table bases, MMIO ownership, MSI addresses. */
void audit_registers(const struct audit_io *io);

/* Every STE of every hardware stream table, every shadow L2 pointer. */
void audit_stream_tables(const struct audit_io *io, struct audit_s2 *e);

/* The identity map, every tracked page and the device space around. */
void audit_idmap(const struct audit_io *io, const struct audit_s2 *e);

/* A command the hypervisor gave SMMU hardware obeys the filter's rules;
 * a stage-2 TLBI (VMID 0) only with @own_request (the hypervisor's own,
 * for an ownership change). */
void audit_command(const struct audit_io *io, const uint64_t cmd[2], bool own_request);

/* A device transaction reached @pa: only host memory. */
void audit_dma(const struct audit_io *io, uint64_t pa, bool write);

/* The STE field table (what each field of a translating STE may hold). */
struct audit_ste_field {
	const char *name;	/* the clause is isolation:ste-field-<name> */
	uint8_t dw;
	uint64_t mask;
	uint8_t rule_s2;	/* enum audit_ste_rule, stage 2 only (0b110) */
	uint8_t rule_nested;	/* nested (0b111) */
	uint64_t value;		/* for AUDIT_STE_CONST */
	bool in_abort;		/* obeyed in an aborting STE too */
};

enum audit_ste_rule {
	AUDIT_STE_ANY = 0,	/* ignored by the SMMU, or the host's to choose */
	AUDIT_STE_ZERO,		/* must be zero */
	AUDIT_STE_CONST,	/* must equal .value */
	AUDIT_STE_EXPECT,	/* must equal the field of audit_s2.dw2 */
	AUDIT_STE_TTB,		/* the one S2TTB */
};

size_t audit_ste_field_count(void);
const struct audit_ste_field *audit_ste_field(size_t i);

/* The STE SMMU @i fetches for @sid (through its registers), judged: what
 * a CFGI_STE makes the hardware use next. */
void audit_ste_of(const struct audit_io *io, struct audit_s2 *e, unsigned i, uint32_t sid);

/* One STE (8 dwords) judged against @e. */
void audit_ste(const struct audit_io *io, struct audit_s2 *e, const uint64_t ste[8]);

#endif /* SMMUFUZZ_AUDIT_H */
