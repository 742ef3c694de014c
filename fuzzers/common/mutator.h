/* SPDX-License-Identifier: MIT */
/*
 * Structure-aware mutation of op streams, one implementation for every
 * engine (libFuzzer's custom-mutator hooks, AFL++'s custom mutator
 * library). An input is decoded leniently into ops, changed as ops (insert,
 * delete, duplicate, swap, one field set within its range, sequences
 * spliced from two inputs) and encoded again, so a mutation never wastes an
 * execution on bytes that decode to something else than intended.
 *
 * Field values come from the same tables the text form uses (describe.h:
 * register, STE, CD, L1 and command fields; worlddesc.h: HW fields) and
 * favour the places bugs live: SIDs and indices at the edges of their
 * tables, queue indices at the wrap, the layout's structures, hypervisor
 * memory and MMIO as addresses. Inputs are kept short and cheap: at most
 * one reset macro, at most three world ops (HW, FDT: each new world is a
 * boot), and a bound on ops that only shrinking mutations may exceed.
 * Deterministic: the same input, seed and mask give the same output.
 */
#ifndef SMMUFUZZ_MUTATOR_H
#define SMMUFUZZ_MUTATOR_H

#include <stddef.h>
#include <stdint.h>

/* Ops an input may grow to by insertion (longer inputs only shrink). */
#define OPMUT_SOFT_OPS		96U
/* Ops the mutator decodes at most (the rest of a longer input is kept). */
#define OPMUT_MAX_OPS		512U

/*
 * Mutate the op stream in data[0..size) in place (capacity @max_size) with
 * the ops of @op_mask (OPBIT()s, harness.h). Returns the new size (at most
 * @max_size; never 0 when @max_size allows one op).
 */
size_t opmut_mutate(uint8_t *data, size_t size, size_t max_size, uint32_t seed,
		    uint32_t op_mask);

/*
 * Splice: ops of @a with a run of ops of @b inserted or substituted, into
 * @out (capacity @max_out). Returns its size.
 */
size_t opmut_crossover(const uint8_t *a, size_t a_size, const uint8_t *b,
		       size_t b_size, uint8_t *out, size_t max_out,
		       uint32_t seed, uint32_t op_mask);

/* The op mask of fuzz target @name (harness_target_opts), 0 if unknown. */
uint32_t opmut_target_mask(const char *name);

#endif /* SMMUFUZZ_MUTATOR_H */
