/* SPDX-License-Identifier: MIT */
/*
 * The op stream, version 2: the one input format shared by every fuzzer, the
 * corpus, the CLI and the QEMU agent. See docs/op-stream.md.
 *
 *   header (8 bytes, optional for fuzzers):
 *     "SMFZ"  u8 version (1 or 2)  u8 profile  u8 reserved  u8 reserved
 *   then records: u8 opcode followed by that opcode's fixed argument block,
 *   little-endian, no padding.
 *
 * Version 2 adds the world an input runs in (OP_HW, OP_FDT, OP_BOOT); every
 * version-1 file keeps its meaning, and a version-1 header strictly refuses
 * the version-2 opcodes.
 *
 * Decoding is total in lenient mode (what fuzzers use): a missing header
 * means version 2 / profile 0, unknown opcode bytes are skipped one byte at a
 * time, a short tail is dropped and out-of-range fields are reduced modulo
 * their range. Strict mode (what the CLI uses on files) reports the first
 * such problem instead, so a corrupt or truncated repro is never run silently.
 */
#ifndef SMMUFUZZ_OPSTREAM_H
#define SMMUFUZZ_OPSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <smmu/smmu.h>

#define OPS_MAGIC		"SMFZ"
#define OPS_VERSION		2U	/* what the encoder writes; 1 still reads */
#define OPS_VERSION_MIN		1U
#define OPS_HEADER_SIZE		8U
#define OPS_MAX_OPS		4096U	/* longer inputs are cut (size guard) */

/*
 * Memory layout every build agrees on. RAM is one memory node; its first
 * half belongs to the hypervisor from boot, the second half to the host.
 * Host structures the macro-ops build live at fixed places in host RAM.
 */
#define LAYOUT_RAM_BASE		0x40000000ULL
#define LAYOUT_RAM_SIZE		0x08000000ULL	/* 128 MiB */
#define LAYOUT_HYP_BASE		LAYOUT_RAM_BASE
#define LAYOUT_HYP_SIZE		0x04000000ULL	/* 64 MiB, hypervisor-owned */
#define LAYOUT_HOST_BASE	0x44000000ULL
#define LAYOUT_HOST_SIZE	0x04000000ULL	/* 64 MiB, host-owned */
#define LAYOUT_HOST_STRTAB	(LAYOUT_HOST_BASE + 0x000000ULL) /* 1 MiB */
#define LAYOUT_HOST_L2		(LAYOUT_HOST_BASE + 0x100000ULL) /* 64 x 16 KiB */
#define LAYOUT_HOST_CMDQ	(LAYOUT_HOST_BASE + 0x200000ULL) /* 1 MiB */
#define LAYOUT_HOST_EVTQ	(LAYOUT_HOST_BASE + 0x300000ULL) /* 1 MiB */
#define LAYOUT_HOST_PRIQ	(LAYOUT_HOST_BASE + 0x400000ULL) /* 1 MiB */
#define LAYOUT_HOST_CD		(LAYOUT_HOST_BASE + 0x500000ULL) /* 1 MiB */
#define LAYOUT_HOST_PGT		(LAYOUT_HOST_BASE + 0x600000ULL) /* 1 MiB */
#define LAYOUT_HOST_DATA	(LAYOUT_HOST_BASE + 0x700000ULL)
#define LAYOUT_L2_SLOTS		64U
#define LAYOUT_L2_SIZE		0x4000U
#define LAYOUT_MMIO_BASE	0x08000000ULL	/* tracked device window */
#define LAYOUT_MMIO_SIZE	0x08000000ULL	/* 128 MiB */
#define LAYOUT_SMMU_BASE	0x09050000ULL	/* SMMU n at + n * 0x20000 */
#define LAYOUT_SMMU_STRIDE	0x20000ULL
#define LAYOUT_UART_BASE	0x09000000ULL

enum op_code {
	OP_SEL = 0x01,		/* u8 smmu                               */
	OP_READ = 0x02,		/* u8 reg                                */
	OP_WRITE = 0x03,	/* u8 reg, u64 value                     */
	OP_READX = 0x04,	/* u8 width, u32 offset                  */
	OP_WRITEX = 0x05,	/* u8 width, u32 offset, u64 value       */
	OP_MEM = 0x06,		/* u8 width, u32 offset, u64 value       */
	OP_OWN = 0x07,		/* u8 action, u32 page                   */
	OP_DMA = 0x08,		/* u8 flags, u32 sid, u32 ssid, u64 iova */
	OP_RESET = 0x09,	/* u8 flags, u8 cmdq, u8 strtab, u8 evtq */
	OP_CMD = 0x0A,		/* u8 flags, u64 dw0, u64 dw1            */
	OP_QPOKE = 0x0B,	/* u16 slot, u8 dword, u64 value         */
	OP_STE = 0x0C,		/* u32 sid, u8 dword, u64 value          */
	OP_L1 = 0x0D,		/* u32 index, u64 value                  */
	OP_CD = 0x0E,		/* u16 index, u8 dword, u64 value        */
	OP_RACE = 0x0F,		/* u8 width, u32 offset, u64 value       */
	OP_POLL = 0x10,		/* u8 reg, u32 mask, u32 expect          */
	OP_SYNC = 0x11,		/* u8 flags                              */
	OP_HWMODE = 0x12,	/* u8 mode, u8 delay                     */
	/* Version 2: the world the input runs in (worlddesc.h). */
	OP_HW = 0x13,		/* u8 smmu, u8 field, u32 value          */
	OP_FDT = 0x14,		/* u8 edit, u8 node, u32 value           */
	OP_BOOT = 0x15,		/* u8 step, u32 arg                      */
	OP_CODE_MAX = 0x15,
};

/* OP_READX/WRITEX/MEM/RACE width: access size is 1 << (width & 3) bytes. */
#define OP_WIDTH_MASK		3U
/* OP_READX/WRITEX offset within the 128 KiB MMIO window. */
#define OP_MMIO_OFF_MASK	0x1FFFFU
/* OP_MEM/RACE offset: into host RAM, reduced modulo LAYOUT_HOST_SIZE. */

/* OP_OWN actions (reduced modulo OWN_ACTION_COUNT). */
enum own_action {
	OWN_SHARE_HYP = 0,	/* host shares a RAM page with the hypervisor   */
	OWN_UNSHARE_HYP = 1,
	OWN_DONATE_HYP = 2,	/* host gives a RAM page to the hypervisor      */
	OWN_RECLAIM_HYP = 3,	/* hypervisor gives it back                     */
	OWN_DONATE_GUEST = 4,	/* host gives a RAM page to a guest             */
	OWN_RECLAIM_GUEST = 5,	/* guest teardown returns it                    */
	OWN_DONATE_MMIO = 6,	/* MMIO page donated to the hypervisor          */
	OWN_RETURN_MMIO = 7,	/* and given back                               */
	OWN_ACTION_COUNT = 8,
};
/* The core request an OP_OWN action asks for (any action value). */
enum smmu_host_req ops_own_req(unsigned action);
/*
 * OP_OWN page field (reduced modulo OWN_PAGE_LIMIT): bits 14:0 index a page
 * of the action's window (RAM from LAYOUT_RAM_BASE for RAM actions, the
 * device window from LAYOUT_MMIO_BASE for MMIO ones); OWN_PAGE_OTHER names
 * the other window instead and OWN_PAGE_SKEW adds half a page, so hostile
 * arguments (RAM offered as MMIO, unaligned addresses) are reachable too.
 */
#define OWN_PAGE_INDEX		0x7FFFU
#define OWN_PAGE_OTHER		0x8000U
#define OWN_PAGE_SKEW		0x10000U
#define OWN_PAGE_LIMIT		0x20000U
/* Whether an OP_OWN action is about MMIO (its window) rather than RAM. */
bool ops_own_is_mmio(uint8_t action);
/* The physical address an OP_OWN asks about. */
uint64_t ops_own_address(uint8_t action, uint32_t page);
/* Its inverse: the page field for @pa, or -1 if no field names it. */
int ops_own_page(uint8_t action, uint64_t pa, uint32_t *page);

/* OP_DMA flags. */
#define DMA_F_WRITE		0x01U
#define DMA_F_SSV		0x02U

/* OP_RESET flags: the Linux driver's reset sequence, smmuv3-facts.md §10. */
#define RESET_F_2LVL		0x01U	/* 2-level stream table if IDR0 allows */
#define RESET_F_EVTQ		0x02U	/* program and enable the event queue  */
#define RESET_F_PRIQ		0x04U	/* and the PRI queue if IDR0.PRI       */
#define RESET_F_SMMUEN		0x08U	/* finish with SMMUEN (else stop before) */
#define RESET_F_BYPASS		0x10U	/* ask GBPA.ABORT clear instead of SMMUEN */
/*
 * A kdump kernel (is_kdump_kernel()): the last CR0 write leaves EVTQEN and
 * PRIQEN clear. Not decoded yet: RESET_F_MASK and the text form gain it
 * with opstream.c and opstext.c; until then only ops built in C carry it.
 */
#define RESET_F_KDUMP		0x20U
#define RESET_F_MASK		0x1FU

/* OP_CMD flags. */
#define CMD_F_RING		0x01U	/* write CMDQ_PROD after appending     */
/* OP_SYNC flags. */
#define SYNC_F_NOWAIT		0x01U	/* ring, but do not poll for consumption */

/* OP_HWMODE modes (enum hwm_timing), delay in polled reads. */

/*
 * OP_HW (a8 smmu % WORLD_MAX_SMMU, b8 field % wd_field_count(), a32 value
 * by wd_field_reduce), OP_FDT (a8 enum world_fdt_edit_kind % FDT_EDIT_COUNT,
 * b8 node % WORLD_MAX_SMMU, a32 value as the edit reduces it) and OP_BOOT
 * (a8 enum boot_step % BOOT_STEP_COUNT, a32 arg): see worlddesc.h.
 */

/* A decoded op. Fields not used by an opcode are zero. */
struct op {
	uint8_t code;		/* enum op_code */
	uint8_t a8;		/* smmu, reg, width, action, flags, dword, mode,
				 * FDT edit, BOOT step */
	uint8_t b8;		/* RESET cmdq log2, QPOKE/STE/CD dword, HWMODE delay,
				 * HW field, FDT node */
	uint8_t c8;		/* RESET strtab log2 */
	uint8_t d8;		/* RESET evtq log2 */
	uint32_t a32;		/* offset, page, sid, index, slot, mask, HW/FDT
				 * value, BOOT arg */
	uint32_t b32;		/* ssid, expect */
	uint64_t v0;		/* value, iova, dw0 */
	uint64_t v1;		/* dw1 */
	uint32_t at;		/* byte offset of the opcode in the input */
};

struct ops_header {
	uint8_t version;
	uint8_t profile;
	bool present;
};

enum ops_error {
	OPS_OK = 0,
	OPS_E_MAGIC,		/* strict: no "SMFZ" header */
	OPS_E_VERSION,		/* strict: unsupported version */
	OPS_E_PROFILE,		/* strict: unknown profile */
	OPS_E_RESERVED,		/* strict: reserved header byte not zero */
	OPS_E_OPCODE,		/* strict: unknown opcode */
	OPS_E_TRUNCATED,	/* strict: input ends inside an op */
	OPS_E_FIELD,		/* strict: a field outside its range */
	OPS_E_TOO_LONG,		/* strict: more than OPS_MAX_OPS ops */
};

struct ops_diag {
	enum ops_error err;
	size_t offset;		/* byte offset of the problem */
	char msg[128];		/* one line, no newline */
};

/*
 * Decode @len bytes into at most @max ops. Returns the number of ops, or -1
 * in strict mode on the first problem (described in @diag, may be NULL).
 * Lenient mode never fails.
 */
int ops_decode(const uint8_t *buf, size_t len, bool strict,
	       struct ops_header *hdr, struct op *ops, size_t max,
	       struct ops_diag *diag);

/* Encoded size of one op of @code including the opcode byte, 0 if unknown. */
size_t ops_op_size(uint8_t code);

/* The format version that introduced opcode @code (1 or 2), 0 if unknown. */
unsigned ops_op_version(uint8_t code);

/*
 * The version byte ops_encode writes for @n ops under @hdr: @hdr->version
 * when it is an older version every op exists in (an old file re-encodes to
 * the same bytes), otherwise OPS_VERSION. ops_format_text prints the same.
 */
uint8_t ops_encoding_version(const struct ops_header *hdr, const struct op *ops,
			     size_t n);

/* Upper-case name of opcode @code ("WRITE"), NULL if unknown. */
const char *ops_op_name(uint8_t code);

/*
 * Encode the header (when @hdr->present, version ops_encoding_version) and
 * @n ops into @buf. Returns the number of bytes needed; writes nothing past
 * @cap.
 */
size_t ops_encode(const struct ops_header *hdr, const struct op *ops, size_t n,
		  uint8_t *buf, size_t cap);

/* ---- Trace hash ------------------------------------------------------- */

/*
 * The trace hash folds every value the host observed (register reads,
 * faulting stores, ownership results, DMA probe results), with the index of
 * the op that observed it, into 64 bits. Both builds (host, EL2) use this
 * function, so equal traces mean the host saw the same things.
 */
#define OPS_TRACE_SEED		0xcbf29ce484222325ULL

static inline uint64_t ops_trace_mix(uint64_t h, uint32_t op_index, uint64_t v)
{
	h ^= v + 0x9E3779B97F4A7C15ULL * ((uint64_t)op_index + 1U);
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

/* ---- Text form -------------------------------------------------------- */

/*
 * Parse the text form into ops. Returns the number of ops or -1 with a one-
 * line message in @diag naming the line. The header line "smfz 2 profile=N"
 * (or a profile name) is required; "smfz 1" is still read, without the
 * version-2 ops.
 */
int ops_parse_text(const char *text, struct ops_header *hdr, struct op *ops,
		   size_t max, struct ops_diag *diag);

/*
 * Print ops as text, one per line, with field names decoded in "# ..."
 * comments when @annotate. The output parses back to the same bytes.
 * Returns the length written (snprintf-style: may exceed @cap).
 */
size_t ops_format_text(const struct ops_header *hdr, const struct op *ops,
		       size_t n, bool annotate, char *out, size_t cap);

/* ---- Registers by table index (OP_READ/WRITE/POLL) --------------------- */

struct ops_reg {
	const char *name;	/* "CR0", "P1_EVTQ_PROD" */
	uint32_t offset;	/* in the 128 KiB window */
	uint8_t width;		/* 4 or 8 bytes */
};

unsigned ops_reg_count(void);
const struct ops_reg *ops_reg(unsigned idx);	/* idx < count */
int ops_reg_find(const char *name);		/* case-insensitive; -1 */
int ops_reg_by_offset(uint32_t offset);		/* -1 if none */

/* World profiles named in the header (index 0 = "qemu-virt"). */
unsigned ops_profile_count(void);
const char *ops_profile_name(unsigned idx);
int ops_profile_find(const char *name);

#endif /* SMMUFUZZ_OPSTREAM_H */
