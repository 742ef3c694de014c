/* SPDX-License-Identifier: MIT */
/*
 * Field describers (host-only): SMMUv3 register values, commands, STEs, CDs
 * and L1 descriptors as named fields, and back.
 */
#ifndef SMMUFUZZ_DESCRIBE_H
#define SMMUFUZZ_DESCRIBE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every describe_* function writes a NUL-terminated string and returns its
 * length like snprintf (which may exceed @cap; nothing is written past it).
 *
 * Output grammar, shared by registers and descriptors: space-separated
 * items in table order. A one-bit flag that is set is its bare name, and
 * adjacent flags are joined by '|' ("SMMUEN|EVTQEN|CMDQEN"); other fields
 * are NAME=value, the value a symbolic name where the field has one
 * ("FMT=2lvl"), hex for addresses and identifiers, decimal otherwise.
 * Bits that belong to no named field are shown as rsvd=0x... A value with
 * nothing to show is "0". The describe_parse_* functions accept exactly this
 * grammar (with ',' '|' or blanks between items, names case-insensitive),
 * so describing and parsing back gives the same value.
 */

/* Field decode of the register at @offset (page 1 included); "" if no field
 * layout is known for it. Queue PROD/CONS show the wrap+index bits as PTR
 * because the queue size is not part of the value. */
size_t describe_reg(uint32_t offset, uint64_t value, char *out, size_t cap);

/* PROD/CONS at @offset for a queue of 2^@log2size entries: IDX, WRP, and
 * ERR / overflow flags ("IDX=5 WRP=1 ERR=CERROR_ILL"). */
size_t describe_queue_ptr(uint32_t offset, uint64_t value, unsigned log2size,
			  char *out, size_t cap);

/* "CFGI_STE sid=0x10 leaf=1"; "CFGI_ALL" for CFGI_STE_RANGE with range 31
 * and nothing else set; "unknown opcode 0x7f" for unknown opcodes. For a
 * known opcode the result parses back with describe_parse_cmd. */
size_t describe_cmd(const uint64_t cmd[2], char *out, size_t cap);

/* STE dword @dw ("V=1 CFG=S1_TRANS S1FMT=0 S1CTXPTR=0x44500000 S1CDMAX=0");
 * "" for dwords without named fields (4..7). */
size_t describe_ste_dword(unsigned dw, uint64_t v, char *out, size_t cap);

/* Context descriptor dword @dw (0 and 1 are decoded; "" otherwise). */
size_t describe_cd_dword(unsigned dw, uint64_t v, char *out, size_t cap);

/* Level-1 stream table descriptor: "SPAN=9 L2PTR=0x44100000". */
size_t describe_l1(uint64_t v, char *out, size_t cap);

/* Command name without the CMDQ_OP_ prefix, NULL if unknown. */
const char *describe_cmd_name(uint8_t opcode);

/* Opcode of a command name (case-insensitive, "CMDQ_OP_" prefix optional,
 * CFGI_ALL gives CFGI_STE_RANGE), -1 if unknown. */
int describe_cmd_opcode(const char *name);

/*
 * Parse a value: a plain number (decimal or 0x hex) or a field list as
 * described above ("FMT=1,SPLIT=8,LOG2SIZE=16", "SMMUEN|CMDQEN"). A field
 * the register or dword does not have, a value that does not fit its field,
 * or a field given twice is an error. Returns 0, or -1 with a one-line
 * message in @err.
 */
int describe_parse_reg_fields(uint32_t offset, const char *s, uint64_t *value,
			      char *err, size_t errcap);
int describe_parse_ste_fields(unsigned dw, const char *s, uint64_t *value,
			      char *err, size_t errcap);
int describe_parse_cd_fields(unsigned dw, const char *s, uint64_t *value,
			     char *err, size_t errcap);
int describe_parse_l1_fields(const char *s, uint64_t *value, char *err,
			     size_t errcap);

/* Parse a whole string as a number: decimal, or hex after "0x". 0 or -1. */
int describe_parse_number(const char *s, uint64_t *out);

/*
 * Build a command from "NAME field=value ..." (the describe_cmd grammar:
 * fields sid ssid ssv leaf range vmid asid addr ipa size num scale ttl tg
 * global resp stag grpid cs msh msiattr msidata msiaddr, plus rsvd0/rsvd1
 * for bits outside the opcode's fields). A field the opcode does not have or
 * a value that does not fit is an error. Returns 0 or -1 with @err.
 */
int describe_parse_cmd(const char *s, uint64_t cmd[2], char *err,
		       size_t errcap);

/*
 * The world (op-stream v2). OP_HW: the register field @idx of the
 * worlddesc.h table lives in and what @value means there ("IDR5[2:0]: 48
 * bits", "CR0 at take-over: SMMUEN|CMDQEN"). OP_FDT: what edit @kind does
 * with @value for SMMU @node. OP_BOOT: the core call step @step makes with
 * @arg. "" for an unknown field, edit or step.
 */
size_t describe_hw_field(unsigned idx, uint32_t value, char *out, size_t cap);
size_t describe_fdt_edit(unsigned kind, unsigned node, uint32_t value,
			 char *out, size_t cap);
size_t describe_boot_step(unsigned step, uint32_t arg, char *out, size_t cap);

/* ---- Field layouts, for structure-aware mutation ------------------------ */

enum describe_layout {
	DL_REG,		/* a register: @which is its offset (page 1 included) */
	DL_STE,		/* STE dword @which */
	DL_CD,		/* context descriptor dword @which */
	DL_L1,		/* level-1 stream table descriptor */
	DL_CMD,		/* command with opcode @which: dw0 and dw1 fields */
};

/* One named field of a layout: its mask in its dword, and for enumerated
 * fields how many values have names (the architecturally defined ones). */
struct describe_fmask {
	uint64_t mask;
	uint8_t dw;		/* DL_CMD: 0 or 1; else 0 */
	uint8_t named_values;	/* 0 if the field has no value names */
	uint8_t is_addr;	/* an address (mutate toward interesting places) */
};

/* The fields of layout @kind/@which (the opcode field of a command is not
 * listed). Writes at most @cap, returns how many there are (0: unknown). */
unsigned describe_fields(enum describe_layout kind, uint32_t which,
			 struct describe_fmask *out, unsigned cap);

/* Known command opcodes: @idx < describe_cmd_count(). */
unsigned describe_cmd_count(void);
uint8_t describe_cmd_opcode_at(unsigned idx);

#endif /* SMMUFUZZ_DESCRIBE_H */
