/* SPDX-License-Identifier: MIT */
/*
 * Value generators of the structure-aware mutator (mutator.h): where bugs
 * of an SMMU emulation live, as numbers. Private to mutator*.c.
 */
#ifndef SMMUFUZZ_MUTATOR_VALUES_H
#define SMMUFUZZ_MUTATOR_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include "describe.h"
#include "opstream.h"

/* xorshift64*: small, fast, and the same sequence on every build. */
struct mrng {
	uint64_t s;
};

void mrng_seed(struct mrng *r, uint32_t seed, uint64_t salt);
uint64_t mrng_next(struct mrng *r);
/* Uniform in [0, n), 0 for n == 0. */
uint32_t mrng_below(struct mrng *r, uint32_t n);
/* True with probability 1/n. */
bool mrng_one_in(struct mrng *r, uint32_t n);

/* A stream ID: small, at a power-of-two edge (2^k - 1, 2^k, 2^k + 1) up
 * to 32 bits, or anything. Level-1 indices and SSIDs the same way. */
uint32_t mv_sid(struct mrng *r);
/* A queue slot or PROD/CONS index near the wrap of a 2^k queue, with or
 * without the wrap bit. */
uint32_t mv_queue_index(struct mrng *r);
/* A physical address worth pointing at: the layout's host structures,
 * hypervisor memory, the SMMUs and other MMIO, the ends of RAM, beyond
 * any OAS; sometimes misaligned. */
uint64_t mv_address(struct mrng *r);
/* A 64-bit value with no layout: edges, single bits, masks, random. */
uint64_t mv_u64(struct mrng *r);

/* A value of the layout (a register, an STE or CD dword, an L1
 * descriptor, a command's dword @dw) built field by field. */
uint64_t mv_layout_value(struct mrng *r, enum describe_layout kind,
			 uint32_t which, unsigned dw);
/* @v with one field of the layout (or one bit anywhere) changed. */
uint64_t mv_layout_mutate(struct mrng *r, enum describe_layout kind,
			  uint32_t which, unsigned dw, uint64_t v);

/* A command: a known opcode (now and then an unknown one) with fields. */
void mv_command(struct mrng *r, uint64_t cmd[2]);
/* @cmd with its opcode or one of its fields changed. */
void mv_command_mutate(struct mrng *r, uint64_t cmd[2]);

/* An OP_OWN page field for @action: a page of the layout worth asking
 * about (host structures, hypervisor pages, the SMMU), sometimes in the
 * other window or half a page off. */
uint32_t mv_own_page(struct mrng *r, uint8_t action);
/* A host RAM offset (OP_MEM/OP_RACE) into one of the layout's structures. */
uint32_t mv_host_offset(struct mrng *r);
/* An MMIO offset in one SMMU's window: a register's, or near one. */
uint32_t mv_mmio_offset(struct mrng *r);

#endif /* SMMUFUZZ_MUTATOR_VALUES_H */
