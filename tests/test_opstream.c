/* SPDX-License-Identifier: MIT */
/* Unit tests of the op-stream codec (binary, text) and the field describers. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "describe.h"
#include "opstream.h"
#include "smmu/regs.h"
#include "worlddesc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define TEXT_CAP (1U << 20)

static struct op g_ops[OPS_MAX_OPS + 8];
static struct op g_ops2[OPS_MAX_OPS + 8];
static uint8_t g_bytes[OPS_MAX_OPS * 20 + 64];
static uint8_t g_bytes2[OPS_MAX_OPS * 20 + 64];
static char g_text[TEXT_CAP];

/* Deterministic PRNG (xorshift64*), fixed seed per test. */
static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
	rng_state = s ? s : 1;
}

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static bool same_op(const struct op *a, const struct op *b)
{
	return a->code == b->code && a->a8 == b->a8 && a->b8 == b->b8 &&
	       a->c8 == b->c8 && a->d8 == b->d8 && a->a32 == b->a32 &&
	       a->b32 == b->b32 && a->v0 == b->v0 && a->v1 == b->v1;
}

static bool same_ops(const struct op *a, const struct op *b, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (!same_op(&a[i], &b[i]))
			return false;
	}
	return true;
}

static struct op mk(uint8_t code)
{
	struct op o;

	memset(&o, 0, sizeof(o));
	o.code = code;
	return o;
}

static const struct ops_header hdr_now = { OPS_VERSION, 0, true };
static const struct ops_header hdr_v1 = { 1, 0, true };

/* ---- Binary layout ------------------------------------------------------ */

static void each_op_encodes_to_its_documented_size(void)
{
	static const struct { uint8_t code; size_t size; } docs[] = {
		{ OP_SEL, 2 },	   { OP_READ, 2 },   { OP_WRITE, 10 },
		{ OP_READX, 6 },   { OP_WRITEX, 14 }, { OP_MEM, 14 },
		{ OP_OWN, 6 },	   { OP_DMA, 18 },   { OP_RESET, 5 },
		{ OP_CMD, 18 },	   { OP_QPOKE, 12 }, { OP_STE, 14 },
		{ OP_L1, 13 },	   { OP_CD, 12 },    { OP_RACE, 14 },
		{ OP_POLL, 10 },   { OP_SYNC, 2 },   { OP_HWMODE, 3 },
		{ OP_HW, 7 },	   { OP_FDT, 7 },    { OP_BOOT, 6 },
	};
	uint8_t buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(docs); i++) {
		struct op o = mk(docs[i].code);

		EXPECT_EQ(ops_op_size(docs[i].code), docs[i].size);
		EXPECT_EQ(ops_encode(NULL, &o, 1, buf, sizeof(buf)),
			  docs[i].size);
		EXPECT_EQ(buf[0], docs[i].code);
		EXPECT(ops_op_name(docs[i].code) != NULL);
	}
	EXPECT_EQ(ops_op_size(0x00), 0);
	EXPECT_EQ(ops_op_size(0x16), 0);
	EXPECT_EQ(ops_op_size(0xFF), 0);
	EXPECT(ops_op_name(0x16) == NULL);
	EXPECT_STR(ops_op_name(OP_WRITE), "WRITE");
	EXPECT_STR(ops_op_name(OP_HW), "HW");
	EXPECT_STR(ops_op_name(OP_FDT), "FDT");
	EXPECT_STR(ops_op_name(OP_BOOT), "BOOT");
	/* Which version brought each opcode in. */
	EXPECT_EQ(ops_op_version(OP_SEL), 1);
	EXPECT_EQ(ops_op_version(OP_HWMODE), 1);
	EXPECT_EQ(ops_op_version(OP_HW), 2);
	EXPECT_EQ(ops_op_version(OP_FDT), 2);
	EXPECT_EQ(ops_op_version(OP_BOOT), 2);
	EXPECT_EQ(ops_op_version(0x16), 0);
	EXPECT_EQ(ops_op_version(0x00), 0);
}

static void fields_are_little_endian_at_documented_positions(void)
{
	struct op o;
	uint8_t b[32];

	o = mk(OP_WRITE);
	o.a8 = 8;
	o.v0 = 0x1122334455667788ULL;
	EXPECT_EQ(ops_encode(NULL, &o, 1, b, sizeof(b)), 10);
	EXPECT_EQ(b[1], 8);
	EXPECT_EQ(b[2], 0x88);
	EXPECT_EQ(b[9], 0x11);

	o = mk(OP_DMA);
	o.a8 = 3;
	o.a32 = 0xA1A2A3A4;
	o.b32 = 0xB1B2B3B4;
	o.v0 = 0xC1C2C3C4C5C6C7C8ULL;
	EXPECT_EQ(ops_encode(NULL, &o, 1, b, sizeof(b)), 18);
	EXPECT_EQ(b[1], 3);
	EXPECT_EQ(b[2], 0xA4);
	EXPECT_EQ(b[5], 0xA1);
	EXPECT_EQ(b[6], 0xB4);
	EXPECT_EQ(b[9], 0xB1);
	EXPECT_EQ(b[10], 0xC8);
	EXPECT_EQ(b[17], 0xC1);

	o = mk(OP_RESET);
	o.a8 = 0x0B;
	o.b8 = 8;
	o.c8 = 16;
	o.d8 = 7;
	ops_encode(NULL, &o, 1, b, sizeof(b));
	EXPECT(memcmp(b, "\x09\x0b\x08\x10\x07", 5) == 0);

	o = mk(OP_QPOKE);
	o.a32 = 0x1234;
	o.b8 = 1;
	o.v0 = 0x46;
	ops_encode(NULL, &o, 1, b, sizeof(b));
	EXPECT(memcmp(b, "\x0b\x34\x12\x01\x46\0\0\0\0\0\0\0", 12) == 0);

	o = mk(OP_CD);
	o.a32 = 0xBEEF;
	o.b8 = 7;
	o.v0 = 1;
	ops_encode(NULL, &o, 1, b, sizeof(b));
	EXPECT(memcmp(b, "\x0e\xef\xbe\x07\x01", 5) == 0);

	o = mk(OP_POLL);
	o.a8 = 26;
	o.a32 = 0xFFFFF;
	o.b32 = 5;
	ops_encode(NULL, &o, 1, b, sizeof(b));
	EXPECT(memcmp(b, "\x10\x1a\xff\xff\x0f\x00\x05\x00\x00\x00", 10) == 0);

	o = mk(OP_HWMODE);
	o.a8 = 1;
	o.b8 = 4;
	ops_encode(NULL, &o, 1, b, sizeof(b));
	EXPECT(memcmp(b, "\x12\x01\x04", 3) == 0);

	/* The header: the encoder writes version 2. */
	EXPECT_EQ(OPS_VERSION, 2);
	EXPECT_EQ(ops_encode(&hdr_now, NULL, 0, b, sizeof(b)), 8);
	EXPECT(memcmp(b, "SMFZ\x02\x00\x00\x00", 8) == 0);
}

static void encode_never_writes_past_cap(void)
{
	struct op o = mk(OP_CMD);
	uint8_t b[16];

	memset(b, 0xAA, sizeof(b));
	o.v0 = ~0ULL;
	EXPECT_EQ(ops_encode(&hdr_now, &o, 1, b, 10), 26);
	EXPECT_EQ(b[8], OP_CMD);
	EXPECT_EQ(b[9], 0);	/* flags; dw0 would start at byte 10 */
	EXPECT_EQ(b[10], 0xAA);
	EXPECT_EQ(ops_encode(&hdr_now, &o, 1, NULL, 0), 26);
}

static void register_table_is_in_offset_order(void)
{
	unsigned i;

	EXPECT_EQ(ops_reg_count(), 43);
	for (i = 1; i < ops_reg_count(); i++)
		EXPECT(ops_reg(i - 1)->offset < ops_reg(i)->offset);
	EXPECT_STR(ops_reg(8)->name, "CR0");
	EXPECT_EQ(ops_reg(8)->offset, SMMU_CR0);
	EXPECT_EQ(ops_reg(19)->width, 8);
	EXPECT_EQ(ops_reg(20)->width, 4);
	EXPECT_EQ(ops_reg(22)->offset, SMMU_STRTAB_BASE);
	EXPECT_EQ(ops_reg(36)->width, 8);
	EXPECT_STR(ops_reg(42)->name, "P1_PRIQ_CONS");
	EXPECT_EQ(ops_reg(42)->offset, 0x100CC);
	EXPECT(ops_reg(43) == NULL);
	EXPECT_EQ(ops_reg_find("cmdq_cons"), 26);
	EXPECT_EQ(ops_reg_find("CR9"), -1);
	EXPECT_EQ(ops_reg_by_offset(0x100A8), 39);
	EXPECT_EQ(ops_reg_by_offset(0x30), -1);
	EXPECT_EQ(ops_profile_count(), 4);
	EXPECT_STR(ops_profile_name(2), "linear-msi");
	EXPECT(ops_profile_name(4) == NULL);
	EXPECT_EQ(ops_profile_find("MMU700"), 3);
	EXPECT_EQ(ops_profile_find("nope"), -1);
}

/* ---- Lenient decoding ---------------------------------------------------- */

static void lenient_header_is_optional(void)
{
	static const uint8_t bare[] = { OP_SEL, 1, OP_READ, 8 };
	static const uint8_t with[] = { 'S', 'M', 'F', 'Z', 9, 6, 7, 7,
					OP_SEL, 1 };
	struct ops_header h;
	int n;

	n = ops_decode(bare, sizeof(bare), false, &h, g_ops, 8, NULL);
	EXPECT_EQ(n, 2);
	EXPECT(!h.present);
	EXPECT_EQ(h.version, 2);
	EXPECT_EQ(h.profile, 0);
	EXPECT_EQ(g_ops[1].code, OP_READ);
	EXPECT_EQ(g_ops[1].at, 2);

	n = ops_decode(with, sizeof(with), false, &h, g_ops, 8, NULL);
	EXPECT_EQ(n, 1);
	EXPECT(h.present);
	EXPECT_EQ(h.version, 2);	/* other header bytes are ignored */
	EXPECT_EQ(h.profile, 2);	/* 6 % 4 */
	EXPECT_EQ(g_ops[0].at, 8);

	/* A header cut short is still a header, with no ops. */
	n = ops_decode(with, 6, false, &h, g_ops, 8, NULL);
	EXPECT_EQ(n, 0);
	EXPECT(h.present);
	EXPECT_EQ(ops_decode(NULL, 0, false, &h, g_ops, 8, NULL), 0);
}

static void lenient_skips_unknown_opcodes_and_drops_short_tail(void)
{
	static const uint8_t in[] = { 0x00, 0xFF, OP_SEL, 2, 0x16, OP_SYNC, 0,
				      OP_WRITE, 8, 1, 2, 3 };
	int n = ops_decode(in, sizeof(in), false, NULL, g_ops, 8, NULL);

	EXPECT_EQ(n, 2);
	EXPECT_EQ(g_ops[0].code, OP_SEL);
	EXPECT_EQ(g_ops[0].a8, 2);
	EXPECT_EQ(g_ops[0].at, 2);
	EXPECT_EQ(g_ops[1].code, OP_SYNC);
	EXPECT_EQ(g_ops[1].at, 5);
}

static int lenient_one(const uint8_t *in, size_t len, struct op *o)
{
	return ops_decode(in, len, false, NULL, o, 1, NULL);
}

static void lenient_reduces_fields_into_range(void)
{
	struct op o;

	{
		static const uint8_t in[] = { OP_READ, 77 };
		EXPECT_EQ(lenient_one(in, sizeof(in), &o), 1);
		EXPECT_EQ(o.a8, 77 % 43);
	}
	{
		static const uint8_t in[] = { OP_POLL, 43, 1, 0, 0, 0, 2, 0, 0, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a8, 0);
		EXPECT_EQ(o.a32, 1);
		EXPECT_EQ(o.b32, 2);
	}
	{
		static const uint8_t in[] = { OP_READX, 0xFE, 0xFF, 0xFF, 0x03, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a8, 2);
		EXPECT_EQ(o.a32, 0x1FFFC);	/* & 0x1FFFF, 4-aligned */
	}
	{
		static const uint8_t in[] = { OP_MEM, 7, 0xFF, 0xFF, 0xFF, 0xFF,
					      1, 0, 0, 0, 0, 0, 0, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a8, 3);
		EXPECT_EQ(o.a32, 0x3FFFFF8);	/* % 64 MiB, 8-aligned */
		EXPECT_EQ(o.v0, 1);
	}
	{
		static const uint8_t in[] = { OP_RACE, 1, 0x03, 0, 0, 0x04,
					      0, 0, 0, 0, 0, 0, 0, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a32, 2);	/* 0x04000003 % 64 MiB = 3, 2-aligned */
	}
	{
		static const uint8_t in[] = { OP_OWN, 10, 0x45, 0x23, 0x01, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a8, 2);
		EXPECT_EQ(o.a32, 0x12345);	/* page 0x2345, half a page in */
	}
	{
		static const uint8_t in[] = { OP_SEL, 7 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a8, 3);
	}
	{
		static const uint8_t in[] = { OP_DMA, 0xFF, 1, 0, 0, 0, 2, 0, 0, 0,
					      3, 0, 0, 0, 0, 0, 0, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a8, 3);
	}
	{
		static const uint8_t in[] = { OP_RESET, 0xFF, 200, 200, 20 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a8, 0x1F);
		EXPECT_EQ(o.b8, 19);
		EXPECT_EQ(o.c8, 32);
		EXPECT_EQ(o.d8, 19);
	}
	{
		static const uint8_t in[] = { OP_RESET, 0, 19, 31, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.b8, 19);	/* in range: unchanged */
		EXPECT_EQ(o.c8, 31);
	}
	{
		uint8_t in[18] = { OP_CMD, 0xFE };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a8, 0);
	}
	{
		static const uint8_t in[] = { OP_QPOKE, 0xFF, 0xFF, 3,
					      0, 0, 0, 0, 0, 0, 0, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a32, 0xFFFF);
		EXPECT_EQ(o.b8, 1);
	}
	{
		static const uint8_t in[] = { OP_STE, 1, 0, 0, 0, 9,
					      0, 0, 0, 0, 0, 0, 0, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.b8, 1);
	}
	{
		static const uint8_t in[] = { OP_CD, 1, 0, 15,
					      0, 0, 0, 0, 0, 0, 0, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.b8, 7);
	}
	{
		static const uint8_t in[] = { OP_SYNC, 3 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a8, 1);
	}
	{
		static const uint8_t in[] = { OP_HWMODE, 5, 200 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a8, 2);
		EXPECT_EQ(o.b8, 200);
	}
}

static void own_page_field_names_window_and_skew(void)
{
	static const uint8_t in[] = { OP_OWN, 7, 0x00, 0x80, 0x03, 0x00 };
	uint32_t page;
	struct op o;

	/* 0x38000 % 0x20000 = 0x18000: the other window, half a page in. */
	lenient_one(in, sizeof(in), &o);
	EXPECT_EQ(o.a8, OWN_RETURN_MMIO);
	EXPECT_EQ(o.a32, OWN_PAGE_OTHER | OWN_PAGE_SKEW);
	EXPECT_EQ(ops_own_address(o.a8, o.a32), LAYOUT_RAM_BASE + 0x800);
	EXPECT_EQ(ops_own_address(OWN_DONATE_MMIO, 5), LAYOUT_MMIO_BASE + 0x5000);
	EXPECT_EQ(ops_own_address(OWN_DONATE_HYP, 5), LAYOUT_RAM_BASE + 0x5000);
	EXPECT_EQ(ops_own_address(OWN_DONATE_HYP, OWN_PAGE_OTHER | 5), LAYOUT_MMIO_BASE + 0x5000);
	/* The inverse, for every combination. */
	EXPECT_EQ(ops_own_page(OWN_DONATE_MMIO, LAYOUT_RAM_BASE + 0x800, &page), 0);
	EXPECT_EQ(page, OWN_PAGE_OTHER | OWN_PAGE_SKEW);
	EXPECT_EQ(ops_own_page(OWN_DONATE_HYP, 0x44210000, &page), 0);
	EXPECT_EQ(page, 0x4210);
	EXPECT_EQ(ops_own_page(OWN_DONATE_HYP, 0x09000800, &page), 0);
	EXPECT_EQ(page, OWN_PAGE_OTHER | OWN_PAGE_SKEW | 0x1000);
	EXPECT_EQ(ops_own_page(OWN_DONATE_HYP, 0x44210400, &page), -1);
	EXPECT_EQ(ops_own_page(OWN_DONATE_HYP, 0x30000000, &page), -1);
}

static void decoding_stops_at_the_op_limits(void)
{
	size_t i;
	int n;

	for (i = 0; i < 5000; i++) {
		g_bytes[2 * i] = OP_SYNC;
		g_bytes[2 * i + 1] = 0;
	}
	n = ops_decode(g_bytes, 10000, false, NULL, g_ops, OPS_MAX_OPS + 8,
		       NULL);
	EXPECT_EQ(n, OPS_MAX_OPS);
	EXPECT_EQ(ops_decode(g_bytes, 10000, false, NULL, g_ops, 3, NULL), 3);
	EXPECT_EQ(ops_decode(g_bytes, 10000, false, NULL, NULL, 3, NULL), 0);
}

/* ---- Strict decoding ----------------------------------------------------- */

struct strict_case {
	const char *name;
	uint8_t in[40];
	size_t len;
	enum ops_error err;
	size_t offset;
	const char *msg;	/* exact */
};

#define H 'S', 'M', 'F', 'Z', 1, 0, 0, 0

static const struct strict_case strict_cases[] = {
	{ "bad magic", { 'S', 'M', 'F', 'X', 1, 0, 0, 0 }, 8, OPS_E_MAGIC, 0,
	  "bad magic: input does not start with the \"SMFZ\" header" },
	{ "empty", { 0 }, 0, OPS_E_MAGIC, 0,
	  "bad magic: input does not start with the \"SMFZ\" header" },
	{ "short header", { 'S', 'M', 'F', 'Z', 1 }, 5, OPS_E_TRUNCATED, 0,
	  "truncated: input ends inside the header (needs 8 bytes, 5 left)" },
	{ "version", { 'S', 'M', 'F', 'Z', 3, 0, 0, 0 }, 8, OPS_E_VERSION, 4,
	  "header: unsupported version 3 (this build reads versions 1..2)" },
	{ "version 0", { 'S', 'M', 'F', 'Z', 0, 0, 0, 0 }, 8, OPS_E_VERSION, 4,
	  "header: unsupported version 0 (this build reads versions 1..2)" },
	{ "profile", { 'S', 'M', 'F', 'Z', 1, 4, 0, 0 }, 8, OPS_E_PROFILE, 5,
	  "header: unknown profile 4 (0..3)" },
	{ "reserved", { 'S', 'M', 'F', 'Z', 1, 0, 0, 1 }, 8, OPS_E_RESERVED, 7,
	  "header: reserved byte at offset 0x7 is 0x1 (must be 0)" },
	{ "opcode", { H, OP_SEL, 0, 0x7F }, 11, OPS_E_OPCODE, 10,
	  "op 1 at offset 0xa: unknown opcode 0x7f" },
	{ "truncated", { H, OP_SEL, 0, OP_WRITE, 8, 1, 2, 3, 4 }, 16,
	  OPS_E_TRUNCATED, 10,
	  "truncated: input ends inside WRITE at offset 0xa (needs 10 bytes, "
	  "6 left)" },
	{ "register", { H, OP_READ, 77 }, 10, OPS_E_FIELD, 9,
	  "op 0 at offset 0x8: register index 77 out of range (0..42)" },
	{ "width", { H, OP_READX, 4, 0, 0, 0, 0 }, 14, OPS_E_FIELD, 9,
	  "op 0 at offset 0x8: width 4 out of range (0..3)" },
	{ "mmio offset range", { H, OP_READX, 0, 0, 0, 2, 0 }, 14, OPS_E_FIELD,
	  10, "op 0 at offset 0x8: MMIO offset 0x20000 out of range "
	  "(0..0x1ffff)" },
	{ "mmio offset alignment", { H, OP_READX, 2, 0x22, 0, 0, 0 }, 14,
	  OPS_E_FIELD, 10, "op 0 at offset 0x8: MMIO offset 0x22 not aligned "
	  "to the access width (4 bytes)" },
	{ "host offset", { H, OP_MEM, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0 },
	  22, OPS_E_FIELD, 10, "op 0 at offset 0x8: host RAM offset 0x4000000 "
	  "out of range (0..0x3ffffff)" },
	{ "own action", { H, OP_OWN, 8, 0, 0, 0, 0 }, 14, OPS_E_FIELD, 9,
	  "op 0 at offset 0x8: ownership action 8 out of range (0..7)" },
	{ "own page", { H, OP_OWN, 2, 0, 0, 2, 0 }, 14, OPS_E_FIELD, 10,
	  "op 0 at offset 0x8: page 0x20000 out of range (0..0x1ffff)" },
	{ "sel", { H, OP_SEL, 4 }, 10, OPS_E_FIELD, 9,
	  "op 0 at offset 0x8: SMMU index 4 out of range (0..3)" },
	{ "dma flags", { H, OP_DMA, 4 }, 26, OPS_E_FIELD, 9,
	  "op 0 at offset 0x8: DMA flags 0x4 has unknown bits (allowed 0x3)" },
	{ "reset log2", { H, OP_RESET, 0, 20, 0, 0 }, 13, OPS_E_FIELD, 10,
	  "op 0 at offset 0x8: RESET cmdq log2 20 out of range (0..19)" },
	{ "reset strtab", { H, OP_RESET, 0, 0, 33, 0 }, 13, OPS_E_FIELD, 11,
	  "op 0 at offset 0x8: RESET strtab log2 33 out of range (0..32)" },
	{ "cmd flags", { H, OP_CMD, 2 }, 26, OPS_E_FIELD, 9,
	  "op 0 at offset 0x8: CMD flags 0x2 has unknown bits (allowed 0x1)" },
	{ "qpoke dword", { H, OP_QPOKE, 0, 0, 2 }, 20, OPS_E_FIELD, 11,
	  "op 0 at offset 0x8: QPOKE dword 2 out of range (0..1)" },
	{ "ste dword", { H, OP_STE, 0, 0, 0, 0, 8 }, 22, OPS_E_FIELD, 13,
	  "op 0 at offset 0x8: STE dword 8 out of range (0..7)" },
	{ "cd dword", { H, OP_CD, 0, 0, 9 }, 20, OPS_E_FIELD, 11,
	  "op 0 at offset 0x8: CD dword 9 out of range (0..7)" },
	{ "sync flags", { H, OP_SYNC, 2 }, 10, OPS_E_FIELD, 9,
	  "op 0 at offset 0x8: SYNC flags 0x2 has unknown bits (allowed 0x1)" },
	{ "hwmode", { H, OP_HWMODE, 3, 0 }, 11, OPS_E_FIELD, 9,
	  "op 0 at offset 0x8: HWMODE mode 3 out of range (0..2)" },
	{ "poll register", { H, OP_SEL, 0, OP_POLL, 43 }, 20, OPS_E_FIELD, 11,
	  "op 1 at offset 0xa: register index 43 out of range (0..42)" },
};

static void strict_errors_carry_offset_and_message(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(strict_cases); i++) {
		const struct strict_case *c = &strict_cases[i];
		struct ops_diag d;
		int n;

		memset(&d, 0x55, sizeof(d));
		n = ops_decode(c->in, c->len, true, NULL, g_ops, 16, &d);
		if (n != -1 || d.err != c->err || d.offset != c->offset ||
		    strcmp(d.msg, c->msg) != 0)
			CHECK_FAIL("%s: n=%d err=%d offset=%zu msg=\"%s\"",
				   c->name, n, (int)d.err, d.offset, d.msg);
		/* The same bytes always decode leniently. */
		EXPECT(ops_decode(c->in, c->len, false, NULL, g_ops, 16, NULL)
		       >= 0);
	}
}

static void strict_refuses_more_ops_than_the_caller_holds(void)
{
	static const uint8_t in[] = { H, OP_SYNC, 0, OP_SYNC, 0, OP_SYNC, 0 };
	struct ops_diag d;

	EXPECT_EQ(ops_decode(in, sizeof(in), true, NULL, g_ops, 2, &d), -1);
	EXPECT_EQ(d.err, OPS_E_TOO_LONG);
	EXPECT_EQ(d.offset, 12);
	EXPECT_EQ(ops_decode(in, sizeof(in), true, NULL, g_ops, 3, &d), 3);
	EXPECT_EQ(d.err, OPS_OK);
}

static void strict_decode_then_encode_gives_the_input_back(void)
{
	static const uint8_t in[] = {
		'S', 'M', 'F', 'Z', 1, 3, 0, 0,
		OP_SEL, 1,
		OP_WRITE, 8, 0x0d, 0, 0, 0, 0, 0, 0, 0,
		OP_READX, 2, 0x3c, 0x00, 0x01, 0x00,
		OP_RESET, 0x0b, 8, 16, 8,
		OP_QPOKE, 0xff, 0xff, 1, 1, 2, 3, 4, 5, 6, 7, 8,
		OP_OWN, 6, 0x50, 0x10, 0, 0,
		OP_HWMODE, 2, 0xff,
	};
	struct ops_header h;
	uint8_t out[sizeof(in)];
	int n;

	n = ops_decode(in, sizeof(in), true, &h, g_ops, 16, NULL);
	EXPECT_EQ(n, 7);
	EXPECT_EQ(h.profile, 3);
	EXPECT_EQ(ops_encode(&h, g_ops, (size_t)n, out, sizeof(out)),
		  sizeof(in));
	EXPECT(memcmp(in, out, sizeof(in)) == 0);
}

/* ---- Version 2: the world ops (binary) ---------------------------------- */

#define H2 'S', 'M', 'F', 'Z', 2, 0, 0, 0

/* The HW field indexes are part of the format: pin a few of them. */
static void hw_field_indexes_are_part_of_the_format(void)
{
	EXPECT_EQ(wd_field_count(), 72);
	EXPECT_EQ(wd_field_find("S2P"), 0);
	EXPECT_EQ(wd_field_find("st_lvl"), 23);
	EXPECT_EQ(wd_field_find("SIDSIZE"), 24);
	EXPECT_EQ(wd_field_find("IDR2"), 35);
	EXPECT_EQ(wd_field_find("OAS"), 41);
	EXPECT_EQ(wd_field_find("STALL_MAX"), 46);
	EXPECT_EQ(wd_field_find("FAULTS"), 53);
	EXPECT_EQ(wd_field_find("BOOT_CR0"), 54);
	EXPECT_EQ(wd_field_find("BOOT_ECMDQ"), 70);
	EXPECT_EQ(wd_field_find("SMMU_COUNT"), 71);
	EXPECT_EQ(wd_field_find("SMMU"), -1);
	EXPECT_EQ(FDT_EDIT_COUNT, 17);
	EXPECT_EQ(wd_fdt_edit_find("POKE"), FDT_EDIT_POKE);
	EXPECT_EQ(FDT_EDIT_POKE, 15);
	EXPECT_EQ(BOOT_STEP_COUNT, 5);
	EXPECT_EQ(wd_boot_step_find("Deprivilege"), 4);
}

static void world_ops_encode_at_documented_positions(void)
{
	struct op o[3];
	uint8_t b[32];

	o[0] = mk(OP_HW);
	o[0].a8 = 2;
	o[0].b8 = 24;
	o[0].a32 = 0x11223344;
	o[1] = mk(OP_FDT);
	o[1].a8 = 15;
	o[1].b8 = 3;
	o[1].a32 = 0xA1A2A3A4;
	o[2] = mk(OP_BOOT);
	o[2].a8 = 4;
	o[2].a32 = 0xB1B2B3B4;
	EXPECT_EQ(ops_encode(NULL, o, 3, b, sizeof(b)), 20);
	EXPECT(memcmp(b, "\x13\x02\x18\x44\x33\x22\x11"
			 "\x14\x0f\x03\xa4\xa3\xa2\xa1"
			 "\x15\x04\xb4\xb3\xb2\xb1", 20) == 0);
}

static void world_ops_decode_strictly_in_version_2(void)
{
	static const uint8_t in[] = {
		H2,
		OP_HW, 1, 41, 5, 0, 0, 0,		/* smmu 1 OAS=5 */
		OP_HW, 0, 54, 0x0d, 0, 0, 0x80,		/* BOOT_CR0 */
		OP_FDT, 1, 2, 0x00, 0x00, 0x01, 0x00,	/* smmu_base node 2 */
		OP_FDT, 15, 0, 0x45, 0x23, 0x01, 0x00,	/* poke */
		OP_BOOT, 2, 0, 0, 0, 0x80,		/* init, NULL FDT */
		OP_BOOT, 3, 0, 0, 0, 0,			/* remove */
	};
	struct ops_header h;
	struct ops_diag d;
	int n = ops_decode(in, sizeof(in), true, &h, g_ops, 16, &d);

	EXPECT_EQ(n, 6);
	EXPECT_EQ(d.err, OPS_OK);
	EXPECT_EQ(h.version, 2);
	EXPECT_EQ(g_ops[0].code, OP_HW);
	EXPECT_EQ(g_ops[0].a8, 1);
	EXPECT_EQ(g_ops[0].b8, 41);
	EXPECT_EQ(g_ops[0].a32, 5);
	EXPECT_EQ(g_ops[0].at, 8);
	EXPECT_EQ(g_ops[1].a32, 0x8000000d);
	EXPECT_EQ(g_ops[1].at, 15);
	EXPECT_EQ(g_ops[2].code, OP_FDT);
	EXPECT_EQ(g_ops[2].a8, FDT_EDIT_SMMU_BASE);
	EXPECT_EQ(g_ops[2].b8, 2);
	EXPECT_EQ(g_ops[2].a32, 0x10000);
	EXPECT_EQ(g_ops[3].a8, FDT_EDIT_POKE);
	EXPECT_EQ(g_ops[3].a32, 0x12345);
	EXPECT_EQ(g_ops[4].code, OP_BOOT);
	EXPECT_EQ(g_ops[4].a8, BOOT_INIT);
	EXPECT_EQ(g_ops[4].a32, 0x80000000);
	EXPECT_EQ(g_ops[4].b8, 0);
	EXPECT_EQ(g_ops[5].a8, BOOT_REMOVE);
	EXPECT_EQ(g_ops[5].at, 42);
	/* And back to the same bytes. */
	EXPECT_EQ(ops_encode(&h, g_ops, 6, g_bytes, sizeof(g_bytes)),
		  sizeof(in));
	EXPECT(memcmp(g_bytes, in, sizeof(in)) == 0);
}

static void lenient_reduces_every_world_field(void)
{
	unsigned i;
	struct op o;

	/* smmu % 4, field % 72, then the value by the reduced field. */
	{
		static const uint8_t in[] = { OP_HW, 7, 24 + 72, 33, 0, 0, 0 };
		EXPECT_EQ(lenient_one(in, sizeof(in), &o), 1);
		EXPECT_EQ(o.a8, 3);
		EXPECT_EQ(o.b8, 24);		/* SIDSIZE */
		EXPECT_EQ(o.a32, 0);		/* 33 % 33 */
	}
	{
		static const uint8_t in[] = { OP_HW, 4, 255, 40, 0, 0, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a8, 0);
		EXPECT_EQ(o.b8, 255 % 72);	/* 39: IDR3, all 32 bits */
		EXPECT_EQ(o.a32, 40);
	}
	{
		static const uint8_t in[] = { OP_HW, 0, 41, 7, 0, 0, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a32, 0);		/* OAS 7 % 7 */
	}
	{
		static const uint8_t in[] = { OP_HW, 0, 23, 3, 0, 0, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a32, 1);		/* ST_LVL: 0..1 */
	}
	{
		static const uint8_t in[] = { OP_HW, 0, 53, 0x7F, 0, 0, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a32, 0x3F);		/* FAULTS % 64 */
	}
	{
		static const uint8_t in[] = { OP_HW, 0, 46, 0x01, 0x00, 0x01, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a32, 1);		/* STALL_MAX % 0x10000 */
	}
	{
		static const uint8_t in[] = { OP_HW, 0, 54, 0xFF, 0xFF, 0xFF, 0xFF };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a32, 0xFFFFFFFF);	/* BOOT_CR0: every value */
	}
	/* Every field: its max stays, max + 1 wraps to 0, all ones reduce. */
	for (i = 0; i < wd_field_count(); i++) {
		const struct wd_field *f = wd_field(i);
		uint8_t in[7] = { OP_HW, 0, (uint8_t)i };
		uint32_t v;

		v = f->max;
		memcpy(in + 3, &v, 4);
		lenient_one(in, sizeof(in), &o);
		if (o.a32 != f->max)
			CHECK_FAIL("%s: max %u became %u", f->name, f->max,
				   o.a32);
		if (f->max == 0xFFFFFFFFU)
			continue;
		EXPECT(f->max < (1ULL << f->width));
		v = f->max + 1U;
		memcpy(in + 3, &v, 4);
		lenient_one(in, sizeof(in), &o);
		if (o.a32 != 0)
			CHECK_FAIL("%s: %u became %u, not 0", f->name, v, o.a32);
		v = 0xFFFFFFFFU;
		memcpy(in + 3, &v, 4);
		lenient_one(in, sizeof(in), &o);
		if (o.a32 != 0xFFFFFFFFU % (f->max + 1U) || o.a32 > f->max)
			CHECK_FAIL("%s: all ones became %u", f->name, o.a32);
	}
	/* FDT: edit % 17, node % 4, the value as it is. */
	{
		static const uint8_t in[] = { OP_FDT, 17, 4, 0xFF, 0xFF, 0xFF, 0xFF };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a8, 0);
		EXPECT_EQ(o.b8, 0);
		EXPECT_EQ(o.a32, 0xFFFFFFFF);
	}
	{
		static const uint8_t in[] = { OP_FDT, 200, 7, 1, 0, 0, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a8, 200 % 17);	/* 13: depth */
		EXPECT_EQ(o.b8, 3);
		EXPECT_EQ(o.a32, 1);
	}
	/* BOOT: step % 5, the argument as it is. */
	{
		static const uint8_t in[] = { OP_BOOT, 5, 0xFF, 0xFF, 0xFF, 0xFF };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a8, 0);
		EXPECT_EQ(o.a32, 0xFFFFFFFF);
	}
	{
		static const uint8_t in[] = { OP_BOOT, 7, 1, 0, 0, 0 };
		lenient_one(in, sizeof(in), &o);
		EXPECT_EQ(o.a8, 2);
		EXPECT_EQ(o.b8, 0);
	}
	/* Lenient decoding reads the world ops under a version-1 header too. */
	{
		static const uint8_t in[] = { H, OP_BOOT, 1, 3, 0, 0, 0 };
		EXPECT_EQ(ops_decode(in, sizeof(in), false, NULL, &o, 1, NULL), 1);
		EXPECT_EQ(o.code, OP_BOOT);
		EXPECT_EQ(o.a32, 3);
	}
}

static void strict_rejects_out_of_range_world_fields(void)
{
	static const struct strict_case cases[] = {
		{ "hw smmu", { H2, OP_HW, 4, 0, 0, 0, 0, 0 }, 15, OPS_E_FIELD, 9,
		  "op 0 at offset 0x8: HW SMMU index 4 out of range (0..3)" },
		{ "hw field", { H2, OP_HW, 0, 72, 0, 0, 0, 0 }, 15, OPS_E_FIELD,
		  10, "op 0 at offset 0x8: HW field 72 out of range (0..71)" },
		{ "hw sidsize", { H2, OP_HW, 0, 24, 33, 0, 0, 0 }, 15,
		  OPS_E_FIELD, 11, "op 0 at offset 0x8: HW value 33 out of "
		  "range for SIDSIZE (0..32)" },
		{ "hw faults", { H2, OP_SEL, 0, OP_HW, 3, 53, 0x40, 0, 0, 0 }, 17,
		  OPS_E_FIELD, 13, "op 1 at offset 0xa: HW value 64 out of range "
		  "for FAULTS (0..63)" },
		{ "hw st_lvl", { H2, OP_HW, 0, 23, 2, 0, 0, 0 }, 15, OPS_E_FIELD,
		  11, "op 0 at offset 0x8: HW value 2 out of range for ST_LVL "
		  "(0..1)" },
		{ "hw high bytes", { H2, OP_HW, 0, 41, 5, 0, 0, 1 }, 15,
		  OPS_E_FIELD, 11, "op 0 at offset 0x8: HW value 16777221 out of "
		  "range for OAS (0..6)" },
		{ "fdt edit", { H2, OP_FDT, 17, 0, 0, 0, 0, 0 }, 15, OPS_E_FIELD,
		  9, "op 0 at offset 0x8: FDT edit 17 out of range (0..16)" },
		{ "fdt node", { H2, OP_FDT, 1, 4, 0, 0, 0, 0 }, 15, OPS_E_FIELD,
		  10, "op 0 at offset 0x8: FDT node 4 out of range (0..3)" },
		{ "boot step", { H2, OP_BOOT, 5, 0, 0, 0, 0 }, 14, OPS_E_FIELD, 9,
		  "op 0 at offset 0x8: BOOT step 5 out of range (0..4)" },
		{ "hw truncated", { H2, OP_HW, 0, 24, 1, 0, 0 }, 14,
		  OPS_E_TRUNCATED, 8, "truncated: input ends inside HW at offset "
		  "0x8 (needs 7 bytes, 6 left)" },
		{ "boot truncated", { H2, OP_BOOT, 0 }, 10, OPS_E_TRUNCATED, 8,
		  "truncated: input ends inside BOOT at offset 0x8 (needs 6 "
		  "bytes, 2 left)" },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct strict_case *c = &cases[i];
		struct ops_diag d;
		int n;

		memset(&d, 0x55, sizeof(d));
		n = ops_decode(c->in, c->len, true, NULL, g_ops, 16, &d);
		if (n != -1 || d.err != c->err || d.offset != c->offset ||
		    strcmp(d.msg, c->msg) != 0)
			CHECK_FAIL("%s: n=%d err=%d offset=%zu msg=\"%s\"",
				   c->name, n, (int)d.err, d.offset, d.msg);
		EXPECT(ops_decode(c->in, c->len, false, NULL, g_ops, 16, NULL)
		       >= 0);
	}
	/* Every field: its max passes strictly, max + 1 does not. */
	for (i = 0; i < wd_field_count(); i++) {
		const struct wd_field *f = wd_field(i);
		uint8_t in[15] = { H2, OP_HW, 3, (uint8_t)i };
		struct ops_diag d;
		uint32_t v = f->max;

		memcpy(in + 11, &v, 4);
		if (ops_decode(in, sizeof(in), true, NULL, g_ops, 1, &d) != 1 ||
		    g_ops[0].a32 != f->max)
			CHECK_FAIL("%s: max refused: %s", f->name, d.msg);
		if (f->max == 0xFFFFFFFFU)
			continue;
		v = f->max + 1U;
		memcpy(in + 11, &v, 4);
		if (ops_decode(in, sizeof(in), true, NULL, g_ops, 1, &d) != -1 ||
		    d.err != OPS_E_FIELD || d.offset != 11 ||
		    strstr(d.msg, f->name) == NULL)
			CHECK_FAIL("%s: %u accepted or misreported: %s",
				   f->name, v, d.msg);
	}
}

static void version_1_header_refuses_world_opcodes_strictly(void)
{
	static const struct strict_case cases[] = {
		{ "v1 hw", { H, OP_HW, 0, 24, 32, 0, 0, 0 }, 15, OPS_E_OPCODE, 8,
		  "op 0 at offset 0x8: unknown opcode 0x13 in a version 1 file "
		  "(HW needs version 2)" },
		{ "v1 fdt", { H, OP_SEL, 1, OP_FDT, 11, 0, 0x11, 0, 0, 0 }, 17,
		  OPS_E_OPCODE, 10, "op 1 at offset 0xa: unknown opcode 0x14 in "
		  "a version 1 file (FDT needs version 2)" },
		{ "v1 boot", { H, OP_BOOT, 0, 0, 0, 0, 0 }, 14, OPS_E_OPCODE, 8,
		  "op 0 at offset 0x8: unknown opcode 0x15 in a version 1 file "
		  "(BOOT needs version 2)" },
		/* Unknown is unknown in both versions. */
		{ "v2 0x16", { H2, 0x16 }, 9, OPS_E_OPCODE, 8,
		  "op 0 at offset 0x8: unknown opcode 0x16" },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct strict_case *c = &cases[i];
		struct ops_diag d;
		int n;

		memset(&d, 0x55, sizeof(d));
		n = ops_decode(c->in, c->len, true, NULL, g_ops, 16, &d);
		if (n != -1 || d.err != c->err || d.offset != c->offset ||
		    strcmp(d.msg, c->msg) != 0)
			CHECK_FAIL("%s: n=%d err=%d offset=%zu msg=\"%s\"",
				   c->name, n, (int)d.err, d.offset, d.msg);
	}
	/* The same records under a version-2 header decode. */
	{
		uint8_t in[15];
		struct ops_header h;

		memcpy(in, cases[0].in, sizeof(in));
		in[4] = 2;
		EXPECT_EQ(ops_decode(in, sizeof(in), true, &h, g_ops, 4, NULL), 1);
		EXPECT_EQ(h.version, 2);
		EXPECT_EQ(g_ops[0].code, OP_HW);
		EXPECT_EQ(g_ops[0].a32, 32);
	}
}

static size_t every_op(struct op *o);

/* Every version-1 op, as a version-1 file, to compare across versions. */
static size_t v1_file(uint8_t version, uint8_t *buf, size_t cap)
{
	struct op ops[64];
	struct ops_header h = { version, 2, true };
	size_t n = every_op(ops), k, m = 0;

	for (k = 0; k < n; k++) {
		if (ops[k].code <= OP_HWMODE)
			ops[m++] = ops[k];
	}
	EXPECT(m >= 30);
	return ops_encode(&h, ops, m, buf, cap);
}

static void version_1_files_decode_as_before(void)
{
	static uint8_t v1[1024], v2[1024];
	struct ops_header h1, h2;
	size_t len1 = v1_file(1, v1, sizeof(v1));
	size_t len2 = v1_file(2, v2, sizeof(v2));
	struct ops_diag d;
	int n1, n2, n3;

	/* Only the version byte differs between the two encodings. */
	EXPECT_EQ(len1, len2);
	EXPECT_EQ(v1[4], 1);
	EXPECT_EQ(v2[4], 2);
	EXPECT(memcmp(v1 + 5, v2 + 5, len1 - 5) == 0);
	/* Both decode strictly to the same ops; the version is reported. */
	n1 = ops_decode(v1, len1, true, &h1, g_ops, 64, &d);
	n2 = ops_decode(v2, len2, true, &h2, g_ops2, 64, &d);
	EXPECT(n1 > 0);
	EXPECT_EQ(n1, n2);
	EXPECT(same_ops(g_ops, g_ops2, n1));
	EXPECT_EQ(h1.version, 1);
	EXPECT_EQ(h2.version, 2);
	EXPECT_EQ(h1.profile, 2);
	/* A version-1 file re-encodes to itself, version byte included. */
	EXPECT_EQ(ops_encode(&h1, g_ops, (size_t)n1, g_bytes, sizeof(g_bytes)),
		  len1);
	EXPECT(memcmp(g_bytes, v1, len1) == 0);
	/* ... and through the text form, which keeps saying 'smfz 1'. */
	ops_format_text(&h1, g_ops, (size_t)n1, true, g_text, sizeof(g_text));
	EXPECT(strncmp(g_text, "smfz 1 profile=linear-msi\n", 26) == 0);
	n3 = ops_parse_text(g_text, &h2, g_ops2, 64, &d);
	EXPECT_EQ(n3, n1);
	EXPECT_EQ(h2.version, 1);
	EXPECT_EQ(ops_encode(&h2, g_ops2, (size_t)n3, g_bytes, sizeof(g_bytes)),
		  len1);
	EXPECT(memcmp(g_bytes, v1, len1) == 0);
}

static void encoder_writes_version_2_unless_an_old_file_stays_old(void)
{
	struct op o[2] = { mk(OP_SYNC), mk(OP_BOOT) };
	struct ops_header bad = { 9, 0, true }, zero = { 0, 0, true };
	uint8_t b[32];

	EXPECT_EQ(ops_encoding_version(NULL, o, 2), 2);
	EXPECT_EQ(ops_encoding_version(&hdr_now, o, 1), 2);
	EXPECT_EQ(ops_encoding_version(&hdr_v1, o, 1), 1);
	EXPECT_EQ(ops_encoding_version(&hdr_v1, NULL, 5), 1);
	/* A version-2 op makes it a version-2 file, whatever hdr says. */
	EXPECT_EQ(ops_encoding_version(&hdr_v1, o, 2), 2);
	EXPECT_EQ(ops_encoding_version(&bad, o, 1), 2);
	EXPECT_EQ(ops_encoding_version(&zero, o, 1), 2);
	ops_encode(&hdr_v1, o, 2, b, sizeof(b));
	EXPECT_EQ(b[4], 2);
	EXPECT_EQ(ops_decode(b, 8 + 2 + 6, true, NULL, g_ops, 4, NULL), 2);
	ops_encode(&hdr_v1, o, 1, b, sizeof(b));
	EXPECT_EQ(b[4], 1);
	ops_format_text(&hdr_v1, o, 2, false, g_text, sizeof(g_text));
	EXPECT_STR(g_text, "smfz 2 profile=qemu-virt\nsync\nboot setup 0\n");
}

/* ---- Round-trip properties --------------------------------------------- */

/* Lenient -> encode -> strict -> encode -> text -> parse -> encode. */
static void check_round_trips(const uint8_t *in, size_t len, bool annotate,
			      unsigned iter)
{
	struct ops_header h, h2;
	struct ops_diag d;
	size_t enc, enc2, tl;
	int n, n2, n3;

	n = ops_decode(in, len, false, &h, g_ops, OPS_MAX_OPS, NULL);
	if (n < 0) {
		CHECK_FAIL("iter %u: lenient decode failed", iter);
		return;
	}
	h.present = true;
	enc = ops_encode(&h, g_ops, (size_t)n, g_bytes2, sizeof(g_bytes2));
	n2 = ops_decode(g_bytes2, enc, true, &h2, g_ops2, OPS_MAX_OPS, &d);
	if (n2 != n || !same_ops(g_ops, g_ops2, n) ||
	    h2.profile != h.profile) {
		CHECK_FAIL("iter %u: strict decode of the re-encoding: %d vs "
			   "%d ops (%s)", iter, n2, n, d.msg);
		return;
	}
	enc2 = ops_encode(&h2, g_ops2, (size_t)n2, g_bytes, sizeof(g_bytes));
	if (enc2 != enc || memcmp(g_bytes, g_bytes2, enc) != 0) {
		CHECK_FAIL("iter %u: encode(strict(x)) != x", iter);
		return;
	}
	tl = ops_format_text(&h2, g_ops2, (size_t)n2, annotate, g_text,
			     sizeof(g_text));
	if (tl >= sizeof(g_text)) {
		CHECK_FAIL("iter %u: text too long", iter);
		return;
	}
	n3 = ops_parse_text(g_text, &h, g_ops, OPS_MAX_OPS, &d);
	if (n3 != n2) {
		CHECK_FAIL("iter %u: text parse: %d vs %d (%s)", iter, n3, n2,
			   d.msg);
		fprintf(stderr, "%s", g_text);
		return;
	}
	enc2 = ops_encode(&h, g_ops, (size_t)n3, g_bytes, sizeof(g_bytes));
	if (enc2 != enc || memcmp(g_bytes, g_bytes2, enc) != 0) {
		CHECK_FAIL("iter %u: text round trip changed the bytes", iter);
		fprintf(stderr, "%s", g_text);
	}
}

static void random_bytes_decode_leniently_and_round_trip(void)
{
	static uint8_t in[512];
	unsigned iter;

	rng_seed(0x5EED0001);
	for (iter = 0; iter < 5000; iter++) {
		size_t len = rng() % sizeof(in), i = 0;

		if (rng() & 1) {
			memcpy(in, "SMFZ", 4);
			i = 4;
		}
		for (; i < len; i++) {
			uint64_t r = rng();

			/* Bias towards opcodes so that inputs hold many ops. */
			in[i] = (r & 3) == 0 ? (uint8_t)(1 + (r >> 8) % OP_CODE_MAX) :
				(uint8_t)(r >> 16);
		}
		check_round_trips(in, len, (iter & 1) != 0, iter);
		if (check_failures > 10)
			return;
	}
}

static void long_inputs_round_trip_at_the_op_limit(void)
{
	size_t i;

	rng_seed(0x5EED0002);
	for (i = 0; i < sizeof(g_bytes) / 2; i++)
		g_bytes[i] = (uint8_t)(1 + rng() % OP_CODE_MAX);
	/* Decode from a copy: check_round_trips reuses g_bytes. */
	{
		static uint8_t copy[sizeof(g_bytes) / 2];

		memcpy(copy, g_bytes, sizeof(copy));
		check_round_trips(copy, sizeof(copy), true, 0);
	}
}

/* One op of every kind with edge values. */
static size_t every_op(struct op *o)
{
	size_t n = 0;

	o[n] = mk(OP_SEL); o[n++].a8 = 3;
	o[n] = mk(OP_READ); o[n++].a8 = 42;
	o[n] = mk(OP_WRITE); o[n].a8 = 8; o[n++].v0 = 0x0d;
	o[n] = mk(OP_WRITE); o[n].a8 = 24; o[n++].v0 = 0x4000000044200008ULL;
	o[n] = mk(OP_WRITE); o[n].a8 = 26; o[n++].v0 = 0x01000105;
	o[n] = mk(OP_WRITE); o[n].a8 = 2; o[n++].v0 = ~0ULL;
	o[n] = mk(OP_READX); o[n].a8 = 3; o[n++].a32 = 0x1FFF8;
	o[n] = mk(OP_WRITEX); o[n].a8 = 1; o[n].a32 = 0x24; o[n++].v0 = 0x5a;
	o[n] = mk(OP_WRITEX); o[n].a8 = 2; o[n].a32 = 0x20; o[n++].v0 = 0xc;
	o[n] = mk(OP_WRITEX); o[n].a8 = 2; o[n].a32 = 0x84; o[n++].v0 = 1;
	o[n] = mk(OP_WRITEX); o[n].a8 = 0; o[n].a32 = 0x10FD1; o[n++].v0 = 1;
	o[n] = mk(OP_MEM); o[n].a8 = 3; o[n].a32 = 0x200030; o[n++].v0 = 0x46;
	o[n] = mk(OP_MEM); o[n].a8 = 3; o[n].a32 = 0x100040; o[n++].v0 = 0x9;
	o[n] = mk(OP_MEM); o[n].a8 = 0; o[n].a32 = 0x3FFFFFF; o[n++].v0 = 0xff;
	o[n] = mk(OP_RACE); o[n].a8 = 2; o[n].a32 = 0x500004; o[n++].v0 = 1;
	o[n] = mk(OP_OWN); o[n].a8 = 2; o[n++].a32 = 0x4210;
	o[n] = mk(OP_OWN); o[n].a8 = 6; o[n++].a32 = 0x1050;
	o[n] = mk(OP_OWN); o[n].a8 = 7; o[n++].a32 = 0x7FFF;
	o[n] = mk(OP_DMA); o[n].a8 = 3; o[n].a32 = 0xFFFFFFFF;
	o[n].b32 = 0xFFFFFFFF; o[n++].v0 = ~0ULL;
	o[n] = mk(OP_DMA); o[n++].a32 = 0x10;
	o[n] = mk(OP_RESET); o[n].a8 = 0x1F; o[n].b8 = 19; o[n].c8 = 32;
	o[n++].d8 = 19;
	o[n] = mk(OP_RESET); o[n++].a8 = 0;
	o[n] = mk(OP_CMD); o[n].a8 = 1; o[n].v0 = 0x0000001000000003ULL;
	o[n++].v1 = 1;
	o[n] = mk(OP_CMD); o[n].v0 = 0xFFFFFFFFFFFFFF7FULL; o[n++].v1 = ~0ULL;
	o[n] = mk(OP_QPOKE); o[n].a32 = 0xFFFF; o[n].b8 = 1; o[n++].v0 = 7;
	o[n] = mk(OP_STE); o[n].a32 = 0x10; o[n].b8 = 0;
	o[n++].v0 = 0x4450000bULL;
	o[n] = mk(OP_STE); o[n].a32 = 0xFFFFFFFF; o[n].b8 = 7; o[n++].v0 = 5;
	o[n] = mk(OP_L1); o[n].a32 = 0xFFFFFFFF; o[n++].v0 = 0x44100009;
	o[n] = mk(OP_CD); o[n].a32 = 0xFFFF; o[n].b8 = 1; o[n++].v0 = ~0ULL;
	o[n] = mk(OP_POLL); o[n].a8 = 26; o[n].a32 = 0xFFFFF; o[n++].b32 = 5;
	o[n] = mk(OP_SYNC); o[n++].a8 = 1;
	o[n] = mk(OP_SYNC); o[n++].a8 = 0;
	o[n] = mk(OP_HWMODE); o[n].a8 = 1; o[n++].b8 = 4;
	o[n] = mk(OP_HWMODE); o[n].a8 = 2; o[n++].b8 = 255;
	o[n] = mk(OP_HW); o[n].a8 = 3; o[n].b8 = 71; o[n++].a32 = 3;
	o[n] = mk(OP_HW); o[n].b8 = 54; o[n++].a32 = 0xFFFFFFFF;
	o[n] = mk(OP_HW); o[n].a8 = 1; o[n].b8 = 46; o[n++].a32 = 0xFFFF;
	o[n] = mk(OP_FDT); o[n].a8 = 16; o[n].b8 = 3; o[n++].a32 = 0xFFFFFFFF;
	o[n] = mk(OP_FDT); o[n].a8 = 1; o[n++].a32 = 0xFFFFFFF0;
	o[n] = mk(OP_BOOT); o[n].a8 = 4; o[n++].a32 = 0xFFFFFFFF;
	o[n] = mk(OP_BOOT); o[n].a8 = 0; o[n++].a32 = 0;
	return n;
}

static void every_op_round_trips_through_text(void)
{
	struct op ops[64];
	struct ops_header h = { OPS_VERSION, 1, true };
	size_t n = every_op(ops), len;

	len = ops_encode(&h, ops, n, g_bytes, sizeof(g_bytes));
	check_round_trips(g_bytes, len, false, 0);
	memcpy(g_bytes2 + 4096, g_bytes, len);	/* keep a copy */
	check_round_trips(g_bytes2 + 4096, len, true, 1);
}

/* ---- Text form: parsing ------------------------------------------------- */

static int parse(const char *text, struct ops_diag *d)
{
	return ops_parse_text(text, NULL, g_ops, 64, d);
}

static void text_examples_assemble_to_the_right_bits(void)
{
	static const char text[] =
		"# a comment line\n"
		"\n"
		"SMFZ 1 profile=dual   # header, keywords in any case\n"
		"sel 1\n"
		"read cr0ack\n"
		"write CR0 0xd\n"
		"write STRTAB_BASE_CFG FMT=1,SPLIT=8,LOG2SIZE=16\n"
		"write CR0 SMMUEN|CMDQEN|EVTQEN\n"
		"readx w4 0x1003c\n"
		"writex w2 0x24 0x5a\n"
		"mem w8 0x44200000 0x46\n"
		"own donate_hyp 0x44210000\n"
		"dma sid=0x10 ssid=0 iova=0x1000 read\n"
		"reset 2lvl|evtq|smmuen cmdq=8 strtab=16 evtq=8\n"
		"cmd 0x0000001000000003 0x1 ring\n"
		"cmd CFGI_STE sid=0x10 leaf=1 ring\n"
		"qpoke slot=3 dw=0 0x46\n"
		"ste sid=0x10 dw=0 V=1,CFG=4\n"
		"l1 idx=0 0x44100009\n"
		"cd idx=2 dw=1 0x44600000\n"
		"race w8 0x44200008 12\n"
		"poll CMDQ_CONS mask=0xfffff expect=0x5\n"
		"sync\n"
		"sync nowait\n"
		"hwmode slow delay=4\n"
		"own return_mmio 0x09050000\n"
		"dma iova=0x2000 ssv write sid=7 ssid=1\n"
		"write CMDQ_BASE ADDR=0x44200000 LOG2SIZE=8 RA\n";
	struct ops_header h;
	struct ops_diag d;
	struct op *o = g_ops;
	int n = ops_parse_text(text, &h, g_ops, 64, &d);

	if (n < 0)
		CHECK_FAIL("%s", d.msg);
	EXPECT_EQ(n, 25);
	EXPECT(h.present);
	EXPECT_EQ(h.profile, 1);
	EXPECT_EQ(o[0].code, OP_SEL);
	EXPECT_EQ(o[0].a8, 1);
	EXPECT_EQ(o[0].at, 8);
	EXPECT_EQ(o[1].at, 10);
	EXPECT_EQ(o[1].a8, 9);
	EXPECT_EQ(o[2].v0, 0xd);
	EXPECT_EQ(o[3].a8, 23);
	EXPECT_EQ(o[3].v0, 0x10210);	/* 1 << 16 | 8 << 6 | 16 */
	EXPECT_EQ(o[4].v0, 0xd);
	EXPECT_EQ(o[5].a8, 2);
	EXPECT_EQ(o[5].a32, 0x1003c);
	EXPECT_EQ(o[6].a8, 1);
	EXPECT_EQ(o[6].v0, 0x5a);
	EXPECT_EQ(o[7].a8, 3);
	EXPECT_EQ(o[7].a32, 0x200000);
	EXPECT_EQ(o[8].a8, OWN_DONATE_HYP);
	EXPECT_EQ(o[8].a32, 0x4210);
	EXPECT_EQ(o[9].a8, 0);
	EXPECT_EQ(o[9].a32, 0x10);
	EXPECT_EQ(o[9].v0, 0x1000);
	EXPECT_EQ(o[10].a8, RESET_F_2LVL | RESET_F_EVTQ | RESET_F_SMMUEN);
	EXPECT_EQ(o[10].b8, 8);
	EXPECT_EQ(o[10].c8, 16);
	EXPECT_EQ(o[10].d8, 8);
	EXPECT_EQ(o[11].v0, 0x0000001000000003ULL);
	EXPECT_EQ(o[11].v1, 1);
	EXPECT_EQ(o[11].a8, CMD_F_RING);
	EXPECT(same_op(&o[11], &o[12]));
	EXPECT_EQ(o[13].a32, 3);
	EXPECT_EQ(o[13].v0, 0x46);
	EXPECT_EQ(o[14].a32, 0x10);
	EXPECT_EQ(o[14].v0, 0x9);
	EXPECT_EQ(o[15].v0, 0x44100009);
	EXPECT_EQ(o[16].a32, 2);
	EXPECT_EQ(o[16].b8, 1);
	EXPECT_EQ(o[17].code, OP_RACE);
	EXPECT_EQ(o[17].a32, 0x200008);
	EXPECT_EQ(o[17].v0, 12);
	EXPECT_EQ(o[18].a8, 26);
	EXPECT_EQ(o[18].a32, 0xfffff);
	EXPECT_EQ(o[18].b32, 5);
	EXPECT_EQ(o[19].a8, 0);
	EXPECT_EQ(o[20].a8, SYNC_F_NOWAIT);
	EXPECT_EQ(o[21].a8, 1);
	EXPECT_EQ(o[21].b8, 4);
	EXPECT_EQ(o[22].a8, OWN_RETURN_MMIO);
	EXPECT_EQ(o[22].a32, 0x1050);
	EXPECT_EQ(o[23].a8, DMA_F_WRITE | DMA_F_SSV);
	EXPECT_EQ(o[23].a32, 7);
	EXPECT_EQ(o[23].b32, 1);
	EXPECT_EQ(o[24].v0, 0x4000000044200008ULL);
}

static uint64_t cmd_dw(const char *line, unsigned dw)
{
	char text[256];
	struct ops_diag d;

	snprintf(text, sizeof(text), "smfz 1\ncmd %s\n", line);
	if (parse(text, &d) != 1) {
		CHECK_FAIL("'%s': %s", line, d.msg);
		return 0xDEAD;
	}
	return dw ? g_ops[0].v1 : g_ops[0].v0;
}

static void symbolic_commands_place_fields_per_regs_h(void)
{
	EXPECT_EQ(cmd_dw("CFGI_ALL", 0), 0x04);
	EXPECT_EQ(cmd_dw("CFGI_ALL", 1), 31);
	EXPECT_EQ(cmd_dw("cfgi_ste_range sid=0x100 range=5", 0),
		  0x0000010000000004ULL);
	EXPECT_EQ(cmd_dw("cfgi_ste_range sid=0x100 range=5", 1), 5);
	EXPECT_EQ(cmd_dw("CFGI_CD sid=3 ssid=0xfffff leaf", 0),
		  0x00000003FFFFF005ULL);
	EXPECT_EQ(cmd_dw("CFGI_CD sid=3 ssid=0xfffff leaf", 1), 1);
	EXPECT_EQ(cmd_dw("CMD_SYNC cs=sev msh=3 msiattr=0xf", 0),
		  0x0FC02046ULL);
	EXPECT_EQ(cmd_dw("CMD_SYNC cs=irq msidata=0xabcd msiaddr=0x44700004", 0),
		  0x0000abcd00001046ULL);
	EXPECT_EQ(cmd_dw("CMD_SYNC cs=irq msidata=0xabcd msiaddr=0x44700004", 1),
		  0x44700004ULL);
	EXPECT_EQ(cmd_dw("TLBI_NH_VA vmid=1 asid=2 addr=0x12345000 leaf=1 ttl=3 "
			 "tg=1 num=4 scale=5", 0),
		  0x12ULL | 4ULL << 12 | 5ULL << 20 | 1ULL << 32 | 2ULL << 48);
	EXPECT_EQ(cmd_dw("TLBI_NH_VA vmid=1 asid=2 addr=0x12345000 leaf=1 ttl=3 "
			 "tg=1 num=4 scale=5", 1),
		  0x12345000ULL | 1 << 10 | 3 << 8 | 1);
	EXPECT_EQ(cmd_dw("TLBI_S2_IPA vmid=0xffff ipa=0xffffffffff000", 0),
		  0x0000ffff0000002aULL);
	EXPECT_EQ(cmd_dw("TLBI_S2_IPA vmid=0xffff ipa=0xffffffffff000", 1),
		  0x000ffffffffff000ULL);
	EXPECT_EQ(cmd_dw("ATC_INV sid=5 ssid=7 ssv global size=52 addr=0x1000",
			 0),
		  0x40ULL | 1 << 9 | 1 << 11 | 7 << 12 | 5ULL << 32);
	EXPECT_EQ(cmd_dw("ATC_INV sid=5 ssid=7 ssv global size=52 addr=0x1000",
			 1), 0x1034);
	EXPECT_EQ(cmd_dw("PRI_RESP sid=1 ssid=2 grpid=3 resp=success", 1),
		  3 | 2 << 12);
	EXPECT_EQ(cmd_dw("RESUME sid=1 resp=abort stag=0x55", 0),
		  0x44ULL | 2 << 12 | 1ULL << 32);
	EXPECT_EQ(cmd_dw("RESUME sid=1 resp=abort stag=0x55", 1), 0x55);
	EXPECT_EQ(cmd_dw("TLBI_EL2_ASID asid=0xffff", 0), 0xffff000000000021ULL);
	EXPECT_EQ(cmd_dw("CMDQ_OP_TLBI_NSNH_ALL", 0), 0x30);
	EXPECT_EQ(cmd_dw("PREFETCH_CONFIG sid=9", 0), 0x0000000900000001ULL);
	EXPECT_EQ(cmd_dw("PREFETCH_ADDR sid=9 size=31 addr=0xfffffffffffff000",
			 1), 0xfffffffffffff01fULL);
	EXPECT_EQ(cmd_dw("CFGI_STE sid=1 rsvd0=0x100 rsvd1=0x2", 0),
		  0x0000000100000103ULL);
	EXPECT_EQ(cmd_dw("CFGI_STE sid=1 rsvd0=0x100 rsvd1=0x2", 1), 2);
}

static void field_lists_build_the_right_bits(void)
{
	uint64_t v;
	char err[128];

	EXPECT_EQ(describe_parse_reg_fields(SMMU_STRTAB_BASE_CFG,
					    "FMT=2lvl SPLIT=8 LOG2SIZE=16", &v,
					    err, sizeof(err)), 0);
	EXPECT_EQ(v, 0x10210);
	EXPECT_EQ(describe_parse_reg_fields(SMMU_CR1, "QUEUE_IC=WB,QUEUE_OC=WB,"
					    "QUEUE_SH=ISH,TABLE_IC=1,"
					    "TABLE_OC=1,TABLE_SH=3", &v, err,
					    sizeof(err)), 0);
	EXPECT_EQ(v, 0xD75);
	EXPECT_EQ(describe_parse_reg_fields(SMMU_GBPA, "UPDATE|ABORT", &v, err,
					    sizeof(err)), 0);
	EXPECT_EQ(v, 0x80100000);
	EXPECT_EQ(describe_parse_reg_fields(SMMU_CR2, "ptm|recinvsid", &v, err,
					    sizeof(err)), 0);
	EXPECT_EQ(v, 6);
	EXPECT_EQ(describe_parse_reg_fields(SMMU_CMDQ_CONS, "PTR=0x5 "
					    "ERR=CERROR_ABT", &v, err,
					    sizeof(err)), 0);
	EXPECT_EQ(v, 0x02000005);
	EXPECT_EQ(describe_parse_reg_fields(SMMU_PAGE1(SMMU_EVTQ_CONS),
					    "OVACKFLG PTR=0x100", &v, err,
					    sizeof(err)), 0);
	EXPECT_EQ(v, 0x80000100);
	EXPECT_EQ(describe_parse_reg_fields(SMMU_IDR2, "0x1234", &v, err,
					    sizeof(err)), 0);
	EXPECT_EQ(v, 0x1234);
	EXPECT_EQ(describe_parse_ste_fields(0, "V=1 CFG=S1_TRANS S1FMT=0 "
					    "S1CTXPTR=0x44500000 S1CDMAX=0",
					    &v, err, sizeof(err)), 0);
	EXPECT_EQ(v, 0x4450000b);
	EXPECT_EQ(describe_parse_ste_fields(1, "SHCFG=incoming,STRW=EL2,EATS=1",
					    &v, err, sizeof(err)), 0);
	EXPECT_EQ(v, (1ULL << 44) | (2ULL << 30) | (1ULL << 28));
	EXPECT_EQ(describe_parse_ste_fields(2, "S2VMID=0x5,S2T0SZ=24,S2SL0=1,"
					    "S2TG=4k,S2PS=48bit,S2AA64|S2R",
					    &v, err, sizeof(err)), 0);
	EXPECT_EQ(v, 5ULL | 24ULL << 32 | 1ULL << 38 | 5ULL << 48 |
		  1ULL << 51 | 1ULL << 58);
	EXPECT_EQ(describe_parse_ste_fields(3, "S2TTB=0x44600000", &v, err,
					    sizeof(err)), 0);
	EXPECT_EQ(v, 0x44600000);
	EXPECT_EQ(describe_parse_cd_fields(0, "V=1,ASID=5,T0SZ=16,TG0=4k,"
					   "IPS=48bit,AA64", &v, err,
					   sizeof(err)), 0);
	EXPECT_EQ(v, 1ULL << 31 | 5ULL << 48 | 16 | 5ULL << 32 | 1ULL << 41);
	EXPECT_EQ(describe_parse_l1_fields("SPAN=9,L2PTR=0x44100000", &v, err,
					   sizeof(err)), 0);
	EXPECT_EQ(v, 0x44100009);
	EXPECT_EQ(describe_parse_reg_fields(SMMU_CR0, "rsvd=0x20|SMMUEN", &v,
					    err, sizeof(err)), 0);
	EXPECT_EQ(v, 0x21);
}

static void field_lists_reject_what_does_not_fit(void)
{
	static const struct {
		int kind;	/* 0 reg CR0 ... see below */
		unsigned arg;
		const char *s;
		const char *msg;
	} bad[] = {
		{ 0, SMMU_CR0, "SMMUEN|NOPE", "unknown field 'NOPE' for CR0" },
		{ 0, SMMU_CR0, "VMW=8", "VMW=8 does not fit the field (max 7)" },
		{ 0, SMMU_CR0, "VMW", "field VMW of CR0 needs a value (VMW=...)" },
		{ 0, SMMU_CR0, "SMMUEN|SMMUEN", "field SMMUEN given twice" },
		{ 0, SMMU_CR0, "rsvd=0x1", "rsvd=0x1 overlaps named fields of "
		  "CR0 (0x1)" },
		{ 0, SMMU_CR0, "", "missing value for CR0" },
		{ 0, SMMU_STRTAB_BASE_CFG, "FMT=3lvl", "bad value '3lvl' for "
		  "field FMT of STRTAB_BASE_CFG" },
		{ 0, SMMU_STRTAB_BASE, "ADDR=0x44100010", "ADDR=0x44100010 has "
		  "bits outside the field (mask 0xfffffffffffc0)" },
		{ 0, SMMU_IDR2, "X=1", "no field names are known for IDR2; give "
		  "a number" },
		{ 1, 0, "CFG=8", "CFG=8 does not fit the field (max 7)" },
		{ 1, 5, "V=1", "no field names are known for STE dword 5; give "
		  "a number" },
		{ 2, 0, "ASID=0x10000", "ASID=0x10000 does not fit the field "
		  "(max 65535)" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char err[128] = "";
		uint64_t v = 0;
		int r;

		if (bad[i].kind == 0)
			r = describe_parse_reg_fields(bad[i].arg, bad[i].s, &v,
						      err, sizeof(err));
		else if (bad[i].kind == 1)
			r = describe_parse_ste_fields(bad[i].arg, bad[i].s, &v,
						      err, sizeof(err));
		else
			r = describe_parse_cd_fields(bad[i].arg, bad[i].s, &v,
						     err, sizeof(err));
		EXPECT_EQ(r, -1);
		EXPECT_STR(err, bad[i].msg);
	}
}

static void symbolic_commands_reject_foreign_fields(void)
{
	static const struct {
		const char *s;
		const char *msg;
	} bad[] = {
		{ "CFGI_STE vmid=1", "CFGI_STE has no field 'vmid'" },
		{ "CFGI_ALL range=31", "CFGI_ALL has no field 'range'" },
		{ "CFGI_STE leaf=2", "leaf=0x2 does not fit (max 0x1)" },
		{ "CFGI_STE_RANGE range=32", "range=0x20 does not fit (max 0x1f)" },
		{ "TLBI_NH_VA addr=0x1001", "addr=0x1001 has bits outside the "
		  "field (mask 0xfffffffffffff000)" },
		{ "CMD_SYNC cs=bogus", "bad value 'bogus' for cs" },
		{ "CFGI_STE sid=1 sid=2", "field sid given twice" },
		{ "CFGI_STE rsvd0=0x1", "rsvd0=0x1 overlaps fields of CFGI_STE" },
		{ "NOT_A_CMD", "unknown command 'NOT_A_CMD'" },
		{ "ATC_INV size", "field size needs a value (size=...)" },
		{ "", "missing command name" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char err[128] = "";
		uint64_t cmd[2];

		EXPECT_EQ(describe_parse_cmd(bad[i].s, cmd, err, sizeof(err)),
			  -1);
		EXPECT_STR(err, bad[i].msg);
	}
}

static void text_parse_errors_name_the_line(void)
{
	static const struct {
		const char *text;
		enum ops_error err;
		const char *msg;
	} bad[] = {
		{ "smfz 1\nsel 0\nread CR0\nread CR9\n", OPS_E_FIELD,
		  "line 4: unknown register 'CR9'" },
		{ "", OPS_E_MAGIC, "line 1: missing the header 'smfz 2 "
		  "profile=NAME'" },
		{ "# only\n\n", OPS_E_MAGIC, "line 2: missing the header 'smfz "
		  "2 profile=NAME'" },
		{ "sel 0\n", OPS_E_MAGIC, "line 1: expected the header 'smfz 2 "
		  "profile=NAME' before 'sel'" },
		{ "smfz 3\n", OPS_E_VERSION, "line 1: unsupported version 3 "
		  "(this build reads versions 1..2)" },
		{ "smfz 0\n", OPS_E_VERSION, "line 1: unsupported version 0 "
		  "(this build reads versions 1..2)" },
		{ "smfz\n", OPS_E_VERSION, "line 1: header needs a version "
		  "('smfz 2 profile=NAME')" },
		{ "smfz 1 profile=nope\n", OPS_E_PROFILE,
		  "line 1: unknown profile 'nope'" },
		{ "smfz 1 profile=4\n", OPS_E_PROFILE,
		  "line 1: unknown profile '4'" },
		{ "smfz 1\n\nfrob 1\n", OPS_E_OPCODE, "line 3: unknown op "
		  "'frob'" },
		{ "smfz 1\nsel 4\n", OPS_E_FIELD, "line 2: SMMU index 4 out of "
		  "range (0..0x3)" },
		{ "smfz 1\nsel x\n", OPS_E_FIELD, "line 2: bad number 'x' for "
		  "SMMU index" },
		{ "smfz 1\nsel\n", OPS_E_FIELD, "line 2: missing argument "
		  "(usage: sel N)" },
		{ "smfz 1\nsel 1 2\n", OPS_E_FIELD, "line 2: unexpected '2' "
		  "(usage: sel N)" },
		{ "smfz 1\nread 43\n", OPS_E_FIELD, "line 2: register index 43 "
		  "out of range (0..42)" },
		{ "smfz 1\nwrite CR0 SMMUEN|BOGUS\n", OPS_E_FIELD,
		  "line 2: unknown field 'BOGUS' for CR0" },
		{ "smfz 1\nreadx w3 0\n", OPS_E_FIELD, "line 2: bad access "
		  "width 'w3' (w1 w2 w4 w8)" },
		{ "smfz 1\nreadx w4 0x1002\n", OPS_E_FIELD, "line 2: MMIO "
		  "offset 0x1002 not aligned to the access width (4 bytes)" },
		{ "smfz 1\nreadx w4 0x20000\n", OPS_E_FIELD, "line 2: MMIO "
		  "offset 0x20000 out of range (0..0x1ffff)" },
		{ "smfz 1\nmem w8 0x40000000 1\n", OPS_E_FIELD, "line 2: "
		  "address 0x40000000 outside host RAM (0x44000000..0x47ffffff)" },
		{ "smfz 1\nmem w8 0x44000004 1\n", OPS_E_FIELD, "line 2: "
		  "address 0x44000004 not aligned to the access width (8 bytes)" },
		{ "smfz 1\nown donate_mmio 0x30000000\n", OPS_E_FIELD, "line 2: "
		  "address 0x30000000 is not a page (or page + 0x800) of RAM or the MMIO window" },
		{ "smfz 1\nown share_hyp 0x44000400\n", OPS_E_FIELD, "line 2: "
		  "address 0x44000400 is not a page (or page + 0x800) of RAM or the MMIO window" },
		{ "smfz 1\nown steal 0x44000000\n", OPS_E_FIELD, "line 2: "
		  "unknown ownership action 'steal'" },
		{ "smfz 1\ndma sid=1 sid=2\n", OPS_E_FIELD, "line 2: sid given "
		  "twice" },
		{ "smfz 1\ndma sid=0x100000000\n", OPS_E_FIELD, "line 2: sid "
		  "0x100000000 out of range (0..0xffffffff)" },
		{ "smfz 1\nreset 2lvl|fast\n", OPS_E_FIELD, "line 2: unknown "
		  "RESET flag 'fast'" },
		{ "smfz 1\nreset none cmdq=20\n", OPS_E_FIELD, "line 2: cmdq 20 "
		  "out of range (0..0x13)" },
		{ "smfz 1\ncmd CFGI_STE vmid=1\n", OPS_E_FIELD, "line 2: "
		  "CFGI_STE has no field 'vmid'" },
		{ "smfz 1\ncmd 0x3\n", OPS_E_FIELD, "line 2: missing argument "
		  "(usage: cmd DW0 DW1 [ring])" },
		{ "smfz 1\nqpoke slot=0x10000 dw=0 1\n", OPS_E_FIELD, "line 2: "
		  "slot 0x10000 out of range (0..0xffff)" },
		{ "smfz 1\nqpoke slot=1 dw=2 1\n", OPS_E_FIELD, "line 2: dw 2 "
		  "out of range (0..0x1)" },
		{ "smfz 1\nste sid=1 dw=0 V=1,CFG=9\n", OPS_E_FIELD, "line 2: "
		  "CFG=9 does not fit the field (max 7)" },
		{ "smfz 1\nste sid=1 dw=0\n", OPS_E_FIELD, "line 2: missing "
		  "argument (usage: ste sid=N dw=N VALUE|FIELDS)" },
		{ "smfz 1\ncd idx=0x10000 dw=0 1\n", OPS_E_FIELD, "line 2: idx "
		  "0x10000 out of range (0..0xffff)" },
		{ "smfz 1\npoll CR0 mask=1 expect=1 now\n", OPS_E_FIELD,
		  "line 2: unexpected 'now' (usage: poll REG mask=N expect=N)" },
		{ "smfz 1\nsync later\n", OPS_E_FIELD, "line 2: unexpected "
		  "'later' (usage: sync [nowait])" },
		{ "smfz 1\nhwmode fast\n", OPS_E_FIELD, "line 2: unknown HWMODE "
		  "mode 'fast'" },
		{ "smfz 1\nhwmode slow delay=256\n", OPS_E_FIELD, "line 2: delay "
		  "256 out of range (0..0xff)" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct ops_diag d;
		int n = parse(bad[i].text, &d);

		if (n != -1 || d.err != bad[i].err ||
		    strcmp(d.msg, bad[i].msg) != 0)
			CHECK_FAIL("case %zu: n=%d err=%d msg=\"%s\" (wanted "
				   "\"%s\")", i, n, (int)d.err, d.msg,
				   bad[i].msg);
	}
}

static void text_error_offset_is_the_line_start(void)
{
	struct ops_diag d;

	EXPECT_EQ(parse("smfz 1\nsel 0\nsel 9\n", &d), -1);
	EXPECT_EQ(d.offset, 13);
}

static void text_parse_stops_at_max_ops(void)
{
	struct ops_diag d;

	EXPECT_EQ(ops_parse_text("smfz 1\nsync\nsync\nsync\n", NULL, g_ops, 2,
				 &d), -1);
	EXPECT_EQ(d.err, OPS_E_TOO_LONG);
	EXPECT_STR(d.msg, "line 4: too many ops (at most 2)");
}

static void random_text_never_crashes_the_parser(void)
{
	static const char alphabet[] = "smfz 1\n#=|,xw0123456789abcdefABCDEF"
				       "SMFZ readx writex mem own dma reset cmd "
				       "qpoke ste l1 cd race poll sync hwmode "
				       "sid= dw= idx= CR0 V=1 CFG= hw fdt boot "
				       "smmu= node= SIDSIZE= OAS= BOOT_CR0= "
				       "cells poke setup init remove ";
	static char text[600];
	unsigned iter;

	rng_seed(0x5EED0003);
	for (iter = 0; iter < 3000; iter++) {
		size_t len = 7 + rng() % (sizeof(text) - 8), i;
		struct ops_diag d;
		int n;

		memcpy(text, (iter & 1) ? "smfz 2\n" : "smfz 1\n", 7);
		for (i = 7; i < len; i++)
			text[i] = alphabet[rng() % (sizeof(alphabet) - 1)];
		text[len] = '\0';
		n = ops_parse_text(text, NULL, g_ops, 64, &d);
		if (n >= 0) {
			/* Whatever parses is valid binary. */
			size_t enc = ops_encode(&hdr_now, g_ops, (size_t)n,
						g_bytes, sizeof(g_bytes));

			EXPECT_EQ(ops_decode(g_bytes, enc, true, NULL, g_ops2,
					     64, NULL), n);
		} else {
			EXPECT(strncmp(d.msg, "line ", 5) == 0);
		}
	}
}

/* ---- Text form: printing ------------------------------------------------- */

static void format_prints_canonical_lines(void)
{
	struct op ops[4];
	struct ops_header h = { OPS_VERSION, 3, true };

	ops[0] = mk(OP_WRITE);
	ops[0].a8 = 8;
	ops[0].v0 = 0xd;
	ops[1] = mk(OP_MEM);
	ops[1].a8 = 3;
	ops[1].a32 = 0x200000;
	ops[1].v0 = 0x46;
	ops[2] = mk(OP_CMD);
	ops[2].a8 = 1;
	ops[2].v0 = 0x0000001000000003ULL;
	ops[2].v1 = 1;
	ops[3] = mk(OP_OWN);
	ops[3].a8 = 2;
	ops[3].a32 = 0x4210;
	ops_format_text(&h, ops, 4, false, g_text, sizeof(g_text));
	EXPECT_STR(g_text, "smfz 2 profile=mmu700\n"
			   "write CR0 0xd\n"
			   "mem w8 0x44200000 0x46\n"
			   "cmd 0x0000001000000003 0x1 ring\n"
			   "own donate_hyp 0x44210000\n");
}

static void annotations_decode_fields_for_a_reader(void)
{
	static const char text[] =
		"smfz 1 profile=qemu-virt\n"
		"write CR0 0xc\n"
		"write STRTAB_BASE_CFG 0x10210\n"
		"write CMDQ_BASE 0x4000000044200008\n"
		"write CMDQ_CONS 0x01000105\n"
		"cmd 0x0000001000000003 0x1 ring\n"
		"cmd 0x4 0x1f\n"
		"ste sid=0x10 dw=0 0x4450000b\n"
		"l1 idx=0 0x44100009\n"
		"mem w8 0x44200030 0x46\n"
		"mem w4 0x44100044 0x1\n"
		"race w8 0x44500000 0x80000000\n"
		"own donate_hyp 0x40001000\n"
		"own donate_mmio 0x09050000\n"
		"readx w4 0x20\n"
		"writex w4 0x84 0x1\n"
		"readx w4 0x10fd0\n"
		"qpoke slot=3 dw=0 0x46\n"
		"sel 1\n"
		"write GERRORN 0x1\n"
		"poll CMDQ_CONS mask=0xfffff expect=0x5\n"
		"poll CMDQ_BASE mask=0 expect=0x13\n"
		"poll CMDQ_CONS mask=0xfffff expect=0x5\n";
	static const char *const want[] = {
		"# EVTQEN|CMDQEN\n",
		"# FMT=2lvl SPLIT=8 LOG2SIZE=16\n",
		"# ADDR=0x44200000 LOG2SIZE=8 RA\n",
		"# IDX=5 WRP=1 ERR=CERROR_ILL (assuming LOG2SIZE=8)\n",
		"# CFGI_STE sid=0x10 leaf=1\n",
		"# CFGI_ALL\n",
		"# V=1 CFG=S1_TRANS S1FMT=0 S1CTXPTR=0x44500000 S1CDMAX=0\n",
		"# SPAN=9 L2PTR=0x44100000 (host L2 table 0)\n",
		"# host CMDQ slot 3 dw0: opcode CMD_SYNC\n",
		"# host L2 table 0 STE 1 dw0 byte 4\n",
		"# host CD 0 dw0: V=1 T0SZ=0",
		"# RAM page 0x1, hypervisor half\n",
		"# MMIO page 0x1050, SMMU 0 page 0\n",
		"# CR0\n",
		"# upper half of STRTAB_BASE\n",
		"# page 1 +0xfd0: ID registers\n",
		"# host CMDQ slot 3 dw0: opcode CMD_SYNC\n",
		"# SMMU 1 at 0x9070000\n",
		"# CMDQ_ERR\n",
		/* SMMU 1 has no known CMDQ size; a poll does not set one. */
		"# until CMDQ_CONS & 0xfffff == 0x5: PTR=0x5\n",
	};
	struct ops_header h;
	struct ops_diag d;
	size_t i;
	int n = ops_parse_text(text, &h, g_ops, 64, &d);

	EXPECT_EQ(n, 22);
	ops_format_text(&h, g_ops, (size_t)n, true, g_text, sizeof(g_text));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		if (strstr(g_text, want[i]) == NULL)
			CHECK_FAIL("missing \"%s\" in:\n%s", want[i], g_text);
	}
	{
		const char *p = g_text;
		unsigned hits = 0;

		while ((p = strstr(p, "== 0x5: PTR=0x5\n")) != NULL && hits < 9) {
			hits++;
			p++;
		}
		EXPECT_EQ(hits, 2);
	}
	/* Annotated text parses back to the same ops. */
	EXPECT_EQ(ops_parse_text(g_text, &h, g_ops2, 64, &d), n);
	EXPECT(same_ops(g_ops, g_ops2, n));
}

static void format_is_snprintf_like(void)
{
	struct op o = mk(OP_SYNC);
	char small[8];
	size_t full = ops_format_text(&hdr_now, &o, 1, false, NULL, 0);

	EXPECT_EQ(full, strlen("smfz 2 profile=qemu-virt\nsync\n"));
	memset(small, 'X', sizeof(small));
	EXPECT_EQ(ops_format_text(&hdr_now, &o, 1, false, small, 5), full);
	EXPECT_STR(small, "smfz");
	EXPECT_EQ(small[5], 'X');
}

static void invalid_ops_print_as_lines_the_parser_refuses(void)
{
	struct op o = mk(OP_READ);
	struct ops_diag d;

	o.a8 = 99;
	ops_format_text(&hdr_now, &o, 1, false, g_text, sizeof(g_text));
	EXPECT(strstr(g_text, "invalid op 0x02") != NULL);
	EXPECT_EQ(ops_parse_text(g_text, NULL, g_ops, 4, &d), -1);
	EXPECT_EQ(d.err, OPS_E_OPCODE);
}

/* ---- Version 2: the world ops (text) ------------------------------------ */

static void text_world_ops_assemble_to_the_right_bits(void)
{
	static const char text[] =
		"smfz 2 profile=dual\n"
		"hw smmu=0 SIDSIZE=32\n"
		"HW oas=0x5 smmu=2            # any case, hex, smmu= after\n"
		"hw SIDSIZE=16                # smmu= defaults to 0\n"
		"hw smmu=3 BOOT_CR0=0x8000000d\n"
		"fdt smmu_base node=1 0x10000\n"
		"fdt cells 0x11\n"
		"fdt poke 0x12345\n"
		"fdt SMMU_STATUS 2 node=3     # node= after the value\n"
		"fdt 11 0x22                  # an edit by number\n"
		"boot setup 0\n"
		"boot register 3\n"
		"boot init\n"
		"boot remove\n"
		"boot deprivilege\n"
		"boot 1 4294967295\n";
	static const uint8_t want[] = {
		'S', 'M', 'F', 'Z', 2, 1, 0, 0,
		0x13, 0, 24, 32, 0, 0, 0,
		0x13, 2, 41, 5, 0, 0, 0,
		0x13, 0, 24, 16, 0, 0, 0,
		0x13, 3, 54, 0x0d, 0, 0, 0x80,
		0x14, 1, 1, 0, 0, 1, 0,
		0x14, 11, 0, 0x11, 0, 0, 0,
		0x14, 15, 0, 0x45, 0x23, 0x01, 0,
		0x14, 3, 3, 2, 0, 0, 0,
		0x14, 11, 0, 0x22, 0, 0, 0,
		0x15, 0, 0, 0, 0, 0,
		0x15, 1, 3, 0, 0, 0,
		0x15, 2, 0, 0, 0, 0,
		0x15, 3, 0, 0, 0, 0,
		0x15, 4, 0, 0, 0, 0,
		0x15, 1, 0xff, 0xff, 0xff, 0xff,
	};
	struct ops_header h;
	struct ops_diag d;
	size_t len;
	int n = ops_parse_text(text, &h, g_ops, 64, &d);

	EXPECT_EQ(n, 15);
	if (n != 15) {
		CHECK_FAIL("%s", d.msg);
		return;
	}
	EXPECT_EQ(h.version, 2);
	EXPECT_EQ(h.profile, 1);
	len = ops_encode(&h, g_ops, (size_t)n, g_bytes, sizeof(g_bytes));
	EXPECT_EQ(len, sizeof(want));
	EXPECT(memcmp(g_bytes, want, sizeof(want)) == 0);
	EXPECT_EQ(g_ops[4].at, 8 + 4 * 7);	/* offsets as in the binary */
	EXPECT_EQ(g_ops[14].at, sizeof(want) - 6);
}

/*
 * Every HW field, FDT edit and boot step in canonical form: the text
 * assembles and prints back byte for byte.
 */
static const char every_world_name_text[] =
	"smfz 2 profile=mmu700\n"
	"hw smmu=0 S2P=1\n"
	"hw smmu=1 S1P=0\n"
	"hw smmu=2 TTF=3\n"
	"hw smmu=3 COHACC=0\n"
	"hw smmu=0 BTM=1\n"
	"hw smmu=1 HTTU=2\n"
	"hw smmu=2 DORMHINT=1\n"
	"hw smmu=3 HYP=0\n"
	"hw smmu=0 ATS=1\n"
	"hw smmu=1 NS1ATS=0\n"
	"hw smmu=2 ASID16=1\n"
	"hw smmu=3 MSI=0\n"
	"hw smmu=0 SEV=1\n"
	"hw smmu=1 ATOS=0\n"
	"hw smmu=2 PRI=1\n"
	"hw smmu=3 VMW=0\n"
	"hw smmu=0 VMID16=1\n"
	"hw smmu=1 CD2L=0\n"
	"hw smmu=2 VATOS=1\n"
	"hw smmu=3 TTENDIAN=2\n"
	"hw smmu=0 ATSRECERR=1\n"
	"hw smmu=1 STALL_MODEL=1\n"
	"hw smmu=2 TERM_MODEL=1\n"
	"hw smmu=3 ST_LVL=1\n"
	"hw smmu=0 SIDSIZE=32\n"
	"hw smmu=1 SSIDSIZE=20\n"
	"hw smmu=2 PRIQS=19\n"
	"hw smmu=3 EVTQS=10\n"
	"hw smmu=0 CMDQS=19\n"
	"hw smmu=1 ATTR_PERMS_OVR=0\n"
	"hw smmu=2 ATTR_TYPES_OVR=1\n"
	"hw smmu=3 REL=0\n"
	"hw smmu=0 QUEUES_PRESET=1\n"
	"hw smmu=1 TABLES_PRESET=0\n"
	"hw smmu=2 ECMDQ=1\n"
	"hw smmu=3 IDR2=0x0\n"
	"hw smmu=0 HAD=1\n"
	"hw smmu=1 RIL=0\n"
	"hw smmu=2 BBML=2\n"
	"hw smmu=3 IDR3=0x1c04\n"
	"hw smmu=0 IDR4=0xffffffff\n"
	"hw smmu=1 OAS=6\n"
	"hw smmu=2 GRAN4K=1\n"
	"hw smmu=3 GRAN16K=0\n"
	"hw smmu=0 GRAN64K=1\n"
	"hw smmu=1 VAX=2\n"
	"hw smmu=2 STALL_MAX=65535\n"
	"hw smmu=3 IMPLEMENTER=0x43b\n"
	"hw smmu=0 REVISION=15\n"
	"hw smmu=1 VARIANT=8\n"
	"hw smmu=2 PRODUCTID=0xfff\n"
	"hw smmu=3 AIDR=0x2\n"
	"hw smmu=0 GBPA_RESET=0x80000000\n"
	"hw smmu=1 FAULTS=0x3f\n"
	"hw smmu=2 BOOT_CR0=0x1d\n"
	"hw smmu=3 BOOT_GERROR=0x101\n"
	"hw smmu=0 BOOT_IRQ_CTRL=0xffffffff\n"
	"hw smmu=1 BOOT_GERROR_IRQ_CFG0=0x44000040\n"
	"hw smmu=2 BOOT_EVTQ_IRQ_CFG0=0x9050000\n"
	"hw smmu=3 BOOT_PRIQ_IRQ_CFG0=0x0\n"
	"hw smmu=0 BOOT_GERROR_IRQ_CFG1=0xffffffff\n"
	"hw smmu=1 BOOT_EVTQ_IRQ_CFG1=0x1\n"
	"hw smmu=2 BOOT_PRIQ_IRQ_CFG1=0x1d\n"
	"hw smmu=3 BOOT_STRTAB_BASE=0x44000000\n"
	"hw smmu=0 BOOT_STRTAB_CFG=0x10210\n"
	"hw smmu=1 BOOT_CMDQ_BASE=0x44200008\n"
	"hw smmu=2 BOOT_CMDQ_PROD=0x1d\n"
	"hw smmu=3 BOOT_CMDQ_CONS=0x1000000\n"
	"hw smmu=0 BOOT_EVTQ_BASE=0xffffffff\n"
	"hw smmu=1 BOOT_PRIQ_BASE=0x44400007\n"
	"hw smmu=2 BOOT_ECMDQ=0xff\n"
	"hw SMMU_COUNT=3\n"
	"hw smmu=2 SMMU_COUNT=1\n"
	"fdt none 0x0\n"
	"fdt smmu_base node=1 0x10000\n"
	"fdt smmu_size node=2 0x1000\n"
	"fdt smmu_status node=3 0x2\n"
	"fdt smmu_compat node=0 0x4\n"
	"fdt smmu_reg_len node=1 0x8\n"
	"fdt smmu_dup node=2 0x0\n"
	"fdt mem_split 0x3\n"
	"fdt mem_nodes 0x7\n"
	"fdt mem_status 0x2\n"
	"fdt mem_extra 0xf\n"
	"fdt cells 0x11\n"
	"fdt bus node=1 0x22\n"
	"fdt depth node=0 0x1f\n"
	"fdt nodes 0x1ff\n"
	"fdt poke 0x12345\n"
	"fdt truncate 0xfff\n"
	"boot setup 0\n"
	"boot setup 0x80000100\n"
	"boot register 0\n"
	"boot register 4\n"
	"boot init 0\n"
	"boot init 0x80000000\n"
	"boot remove\n"
	"boot remove 7\n"
	"boot deprivilege\n";

static void text_with_every_world_name_round_trips_byte_exactly(void)
{
	bool field_seen[80] = { false }, edit_seen[FDT_EDIT_COUNT] = { false };
	bool step_seen[BOOT_STEP_COUNT] = { false };
	struct ops_header h, h2;
	struct ops_diag d;
	size_t len, i;
	int n, n2;

	n = ops_parse_text(every_world_name_text, &h, g_ops, 256, &d);
	if (n < 0) {
		CHECK_FAIL("%s", d.msg);
		return;
	}
	EXPECT_EQ(n, 73 + 17 + 9);
	for (i = 0; i < (size_t)n; i++) {
		if (g_ops[i].code == OP_HW && g_ops[i].b8 < 80)
			field_seen[g_ops[i].b8] = true;
		else if (g_ops[i].code == OP_FDT && g_ops[i].a8 < FDT_EDIT_COUNT)
			edit_seen[g_ops[i].a8] = true;
		else if (g_ops[i].code == OP_BOOT && g_ops[i].a8 < BOOT_STEP_COUNT)
			step_seen[g_ops[i].a8] = true;
	}
	for (i = 0; i < wd_field_count(); i++) {
		if (!field_seen[i])
			CHECK_FAIL("HW field %s not in the text",
				   wd_field((unsigned)i)->name);
	}
	for (i = 0; i < FDT_EDIT_COUNT; i++)
		EXPECT(edit_seen[i]);
	for (i = 0; i < BOOT_STEP_COUNT; i++)
		EXPECT(step_seen[i]);
	/* text -> binary (strict) -> text, byte for byte. */
	len = ops_encode(&h, g_ops, (size_t)n, g_bytes, sizeof(g_bytes));
	EXPECT_EQ(g_bytes[4], 2);
	n2 = ops_decode(g_bytes, len, true, &h2, g_ops2, 256, &d);
	EXPECT_EQ(n2, n);
	EXPECT(same_ops(g_ops, g_ops2, n));
	ops_format_text(&h2, g_ops2, (size_t)n2, false, g_text, sizeof(g_text));
	EXPECT_STR(g_text, every_world_name_text);
	/* Annotated, the same text with comments; it parses back the same. */
	ops_format_text(&h2, g_ops2, (size_t)n2, true, g_text, sizeof(g_text));
	EXPECT_EQ(ops_parse_text(g_text, NULL, g_ops, 256, &d), n);
	EXPECT(same_ops(g_ops, g_ops2, n));
}

static void text_world_op_errors_name_the_line(void)
{
	static const struct {
		const char *text;
		enum ops_error err;
		const char *msg;
	} bad[] = {
		{ "smfz 1\nsel 0\nhw SIDSIZE=1\n", OPS_E_OPCODE, "line 3: 'hw' "
		  "is a version 2 op, the header says 'smfz 1' (write 'smfz 2')" },
		{ "smfz 1\nfdt cells 0x11\n", OPS_E_OPCODE, "line 2: 'fdt' is a "
		  "version 2 op, the header says 'smfz 1' (write 'smfz 2')" },
		{ "smfz 1\n\nboot setup 0\n", OPS_E_OPCODE, "line 3: 'boot' is "
		  "a version 2 op, the header says 'smfz 1' (write 'smfz 2')" },
		{ "smfz 2\nhw FOO=1\n", OPS_E_FIELD, "line 2: unknown HW field "
		  "'FOO' (usage: hw [smmu=N] FIELD=VALUE)" },
		{ "smfz 2\nhw smmu=1 frob\n", OPS_E_FIELD, "line 2: unknown HW "
		  "field 'frob' (usage: hw [smmu=N] FIELD=VALUE)" },
		{ "smfz 2\nhw SIDSIZE=33\n", OPS_E_FIELD, "line 2: SIDSIZE 33 "
		  "out of range (0..0x20)" },
		{ "smfz 2\nhw st_lvl=2\n", OPS_E_FIELD, "line 2: ST_LVL 2 out "
		  "of range (0..0x1)" },
		{ "smfz 2\nhw FAULTS=0x40\n", OPS_E_FIELD, "line 2: FAULTS 0x40 "
		  "out of range (0..0x3f)" },
		{ "smfz 2\nhw BOOT_CR0=0x100000000\n", OPS_E_FIELD, "line 2: "
		  "BOOT_CR0 0x100000000 out of range (0..0xffffffff)" },
		{ "smfz 2\nhw OAS=x\n", OPS_E_FIELD, "line 2: bad number 'x' "
		  "for OAS" },
		{ "smfz 2\nhw SIDSIZE\n", OPS_E_FIELD, "line 2: missing value "
		  "for HW field SIDSIZE (usage: hw [smmu=N] FIELD=VALUE)" },
		{ "smfz 2\nhw smmu=1 oas=\n", OPS_E_FIELD, "line 2: missing "
		  "value for HW field OAS (usage: hw [smmu=N] FIELD=VALUE)" },
		{ "smfz 2\nhw\n", OPS_E_FIELD, "line 2: missing argument "
		  "(usage: hw [smmu=N] FIELD=VALUE)" },
		{ "smfz 2\nhw smmu=1\n", OPS_E_FIELD, "line 2: missing argument "
		  "(usage: hw [smmu=N] FIELD=VALUE)" },
		{ "smfz 2\nhw smmu=4 OAS=1\n", OPS_E_FIELD, "line 2: SMMU index "
		  "4 out of range (0..0x3)" },
		{ "smfz 2\nhw smmu=1 smmu=2 OAS=1\n", OPS_E_FIELD, "line 2: smmu "
		  "given twice" },
		{ "smfz 2\nhw OAS=1 GRAN4K=1\n", OPS_E_FIELD, "line 2: unexpected "
		  "'GRAN4K=1': one field per line (usage: hw [smmu=N] "
		  "FIELD=VALUE)" },
		{ "smfz 2\nfdt frob 1\n", OPS_E_FIELD, "line 2: unknown FDT edit "
		  "'frob'" },
		{ "smfz 2\nfdt 17 1\n", OPS_E_FIELD, "line 2: unknown FDT edit "
		  "'17'" },
		{ "smfz 2\nfdt\n", OPS_E_FIELD, "line 2: missing argument "
		  "(usage: fdt EDIT [node=N] VALUE)" },
		{ "smfz 2\nfdt cells\n", OPS_E_FIELD, "line 2: missing value for "
		  "FDT edit cells (usage: fdt EDIT [node=N] VALUE)" },
		{ "smfz 2\nfdt smmu_dup node=1\n", OPS_E_FIELD, "line 2: missing "
		  "value for FDT edit smmu_dup (usage: fdt EDIT [node=N] VALUE)" },
		{ "smfz 2\nfdt cells 0x100000000\n", OPS_E_FIELD, "line 2: FDT "
		  "value 0x100000000 out of range (0..0xffffffff)" },
		{ "smfz 2\nfdt cells one\n", OPS_E_FIELD, "line 2: bad number "
		  "'one' for FDT value" },
		{ "smfz 2\nfdt smmu_base node=4 1\n", OPS_E_FIELD, "line 2: node "
		  "4 out of range (0..0x3)" },
		{ "smfz 2\nfdt cells 1 2\n", OPS_E_FIELD, "line 2: unexpected "
		  "'2' (usage: fdt EDIT [node=N] VALUE)" },
		{ "smfz 2\nfdt cells depth=1 1\n", OPS_E_FIELD, "line 2: "
		  "unexpected 'depth=1' (usage: fdt EDIT [node=N] VALUE)" },
		{ "smfz 2\nfdt cells node=1 node=2 1\n", OPS_E_FIELD, "line 2: "
		  "node given twice" },
		{ "smfz 2\nboot reboot\n", OPS_E_FIELD, "line 2: unknown boot "
		  "step 'reboot' (setup register init remove deprivilege)" },
		{ "smfz 2\nboot 5\n", OPS_E_FIELD, "line 2: unknown boot step "
		  "'5' (setup register init remove deprivilege)" },
		{ "smfz 2\nboot\n", OPS_E_FIELD, "line 2: missing argument "
		  "(usage: boot STEP [ARG])" },
		{ "smfz 2\nboot setup 1 2\n", OPS_E_FIELD, "line 2: unexpected "
		  "'2' (usage: boot STEP [ARG])" },
		{ "smfz 2\nboot init 0x100000000\n", OPS_E_FIELD, "line 2: BOOT "
		  "arg 0x100000000 out of range (0..0xffffffff)" },
		{ "smfz 2\nboot init -1\n", OPS_E_FIELD, "line 2: bad number "
		  "'-1' for BOOT arg" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct ops_diag d;
		int n = parse(bad[i].text, &d);

		if (n != -1 || d.err != bad[i].err ||
		    strcmp(d.msg, bad[i].msg) != 0)
			CHECK_FAIL("case %zu: n=%d err=%d msg=\"%s\" (wanted "
				   "\"%s\")", i, n, (int)d.err, d.msg,
				   bad[i].msg);
	}
	/* The first line's offset: line 3 of "smfz 1\nsel 0\n..." is 13. */
	{
		struct ops_diag d;

		EXPECT_EQ(parse(bad[0].text, &d), -1);
		EXPECT_EQ(d.offset, 13);
	}
}

static void world_ops_annotate_fields_by_name(void)
{
	static const struct {
		const char *line;
		const char *note;	/* the whole comment */
	} cases[] = {
		{ "hw smmu=0 OAS=5", "IDR5[2:0]: 48 bits" },
		{ "hw smmu=1 OAS=0", "IDR5[2:0]: 32 bits" },
		{ "hw smmu=0 ST_LVL=1", "IDR0[28:27]: 2-level stream table" },
		{ "hw smmu=0 ST_LVL=0", "IDR0[28:27]: linear stream table only" },
		{ "hw smmu=0 STALL_MODEL=0", "IDR0[25:24]: stall and terminate" },
		{ "hw smmu=0 STALL_MODEL=1", "IDR0[25:24]: terminate only (no "
		  "stall)" },
		{ "hw smmu=0 STALL_MODEL=2", "IDR0[25:24]: stall forced" },
		{ "hw smmu=0 TTENDIAN=0", "IDR0[22:21]: mixed endian" },
		{ "hw smmu=0 TTENDIAN=2", "IDR0[22:21]: little endian only" },
		{ "hw smmu=0 TTENDIAN=3", "IDR0[22:21]: big endian only" },
		{ "hw smmu=0 BBML=1", "IDR3[12:11]: break-before-make level 1" },
		{ "hw smmu=0 TTF=2", "IDR0[3:2]: AArch64 tables" },
		{ "hw smmu=0 HTTU=2", "IDR0[7:6]: access flag and dirty state" },
		{ "hw smmu=0 VAX=1", "IDR5[11:10]: 52-bit VA" },
		{ "hw smmu=0 VAX=2", "IDR5[11:10]: encoding 2" },
		{ "hw smmu=0 HYP=1", "IDR0[9]" },
		{ "hw smmu=0 SIDSIZE=32", "IDR1[5:0]: 32-bit StreamIDs" },
		{ "hw smmu=0 SSIDSIZE=0", "IDR1[10:6]: no substreams" },
		{ "hw smmu=0 CMDQS=19", "IDR1[25:21]: at most 2^19 entries" },
		{ "hw smmu=0 STALL_MAX=16", "IDR5[31:16]: at most 16 stalled "
		  "transactions" },
		{ "hw smmu=0 IMPLEMENTER=0x43b", "IIDR[11:0]: Arm" },
		{ "hw smmu=0 AIDR=0x2", "AIDR[7:0]: SMMUv3.2" },
		{ "hw smmu=0 IDR3=0x404", "IDR3: HAD|RIL" },
		{ "hw smmu=0 IDR2=0x1", "IDR2" },
		{ "hw smmu=0 FAULTS=0x21", "architected failures: "
		  "atc-timeout|sfm" },
		{ "hw smmu=0 FAULTS=0x3f", "architected failures: "
		  "atc-timeout|evtq-abort|msi-abort|cmdq-abort|stall|sfm" },
		{ "hw smmu=0 FAULTS=0x0", "architected failures: none" },
		{ "hw smmu=0 GBPA_RESET=0x100000", "GBPA after reset: ABORT" },
		{ "hw smmu=0 BOOT_CR0=0xd", "CR0 at take-over: SMMUEN|EVTQEN|"
		  "CMDQEN" },
		{ "hw smmu=0 BOOT_GERROR=0x101", "GERROR at take-over, active "
		  "(GERRORN 0): CMDQ_ERR|SFM_ERR" },
		{ "hw smmu=0 BOOT_GERROR=0x0", "GERROR at take-over: 0" },
		{ "hw smmu=0 BOOT_IRQ_CTRL=0x1", "IRQ_CTRL at take-over: "
		  "GERROR_IRQEN" },
		{ "hw smmu=0 BOOT_STRTAB_CFG=0x10210", "STRTAB_BASE_CFG at "
		  "take-over: FMT=2lvl SPLIT=8 LOG2SIZE=16" },
		{ "hw smmu=0 BOOT_CMDQ_BASE=0x44200008", "CMDQ_BASE[31:0] at "
		  "take-over: ADDR=0x44200000 LOG2SIZE=8" },
		{ "hw smmu=0 BOOT_EVTQ_IRQ_CFG1=0x7", "EVTQ_IRQ_CFG1 at "
		  "take-over: MSI data 0x7" },
		{ "hw smmu=0 BOOT_ECMDQ=0x9", "ECMDQs left enabled: 0 3" },
		{ "hw smmu=0 BOOT_ECMDQ=0x0", "ECMDQs left enabled: none" },
		{ "hw SMMU_COUNT=0", "the world: 1 SMMU" },
		{ "hw SMMU_COUNT=3", "the world: 4 SMMUs" },
		{ "fdt none 0x5", "no edit" },
		{ "fdt smmu_base node=1 0x10000", "SMMU 1 node: reg base moved "
		  "by +0x10000 bytes" },
		{ "fdt smmu_base node=2 0xfffffff0", "SMMU 2 node: reg base "
		  "moved by -0x10 bytes" },
		{ "fdt smmu_size node=0 0x1000", "SMMU 0 node: reg size 0x1000" },
		{ "fdt smmu_status node=3 0x2", "SMMU 3 node: status "
		  "\"disabled\"" },
		{ "fdt smmu_status node=3 0x9", "SMMU 3 node: status 9 (past the "
		  "world_fdt_status values)" },
		{ "fdt smmu_compat node=0 0x4", "SMMU 0 node: compatible "
		  "\"arm,smmu-v3\" without its NUL" },
		{ "fdt smmu_reg_len node=1 0x12", "SMMU 1 node: reg property cut "
		  "to 1 bytes" },
		{ "fdt smmu_dup node=2 0x0", "SMMU 2 node described twice" },
		{ "fdt mem_split 0x9", "RAM as 2 reg entries of one memory "
		  "node" },
		{ "fdt mem_nodes 0x7", "RAM as 8 memory nodes" },
		{ "fdt mem_status 0x4", "memory node: status an empty string" },
		{ "fdt mem_extra 0x11", "1 more reg entries repeating a RAM "
		  "page" },
		{ "fdt cells 0x21", "root #address-cells=1 #size-cells=2" },
		{ "fdt bus 0x12", "SMMUs under a bus node, #address-cells=2 "
		  "#size-cells=1" },
		{ "fdt depth node=0 0x21", "SMMU 0 node nested 1 levels deep" },
		{ "fdt nodes 0x201", "16 empty nodes before the SMMUs" },
		{ "fdt poke 0x12345", "blob byte 0x2345 = 0x1" },
		{ "fdt truncate 0x1001", "blob handed over 1 bytes short" },
		{ "boot setup 0", "smmu_setup with the whole pool" },
		{ "boot setup 0x80000010", "smmu_setup with a pool of 16 pages, "
		  "base misaligned" },
		{ "boot register 0", "smmu_register_driver with the smmuv3 "
		  "kernel and hypervisor pair" },
		{ "boot register 3", "smmu_register_driver with a mismatched "
		  "pair" },
		{ "boot register 7", "smmu_register_driver with a NULL "
		  "hypervisor driver" },
		{ "boot init 0", "smmu_init_driver with the whole FDT" },
		{ "boot init 100", "smmu_init_driver with the FDT cut 100 bytes "
		  "short" },
		{ "boot init 0x80000000", "smmu_init_driver with a NULL FDT" },
		{ "boot remove", "smmu_remove_driver" },
		{ "boot remove 1", "smmu_remove_driver (arg unused)" },
		{ "boot deprivilege", "smmu_deprivilege: the host loses its "
		  "privileges" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char text[160], want[256];
		struct ops_header h;
		struct ops_diag d;
		int n;

		snprintf(text, sizeof(text), "smfz 2\n%s\n", cases[i].line);
		n = ops_parse_text(text, &h, g_ops, 4, &d);
		if (n != 1) {
			CHECK_FAIL("'%s': %s", cases[i].line, d.msg);
			continue;
		}
		ops_format_text(&h, g_ops, 1, true, g_text, sizeof(g_text));
		/* The op as written, padded to the column, then the note. */
		snprintf(want, sizeof(want), "smfz 2 profile=qemu-virt\n%-44s# %s\n",
			 cases[i].line, cases[i].note);
		EXPECT_STR(g_text, want);
	}
}

/* What `smmufuzz show` prints for a binary file: the new ops by name. */
static void show_of_a_binary_file_names_world_ops(void)
{
	static const uint8_t in[] = {
		'S', 'M', 'F', 'Z', 2, 0, 0, 0,
		OP_HW, 1, 41, 5, 0, 0, 0,
		OP_FDT, 11, 0, 0x11, 0, 0, 0,
		OP_BOOT, 4, 0, 0, 0, 0,
	};
	struct ops_header h;
	struct ops_diag d;
	int n = ops_decode(in, sizeof(in), true, &h, g_ops, 8, &d);

	EXPECT_EQ(n, 3);
	ops_format_text(&h, g_ops, (size_t)n, true, g_text, sizeof(g_text));
	EXPECT_STR(g_text,
		   "smfz 2 profile=qemu-virt\n"
		   "hw smmu=1 OAS=5                             # IDR5[2:0]: 48 bits\n"
		   "fdt cells 0x11                              # root #address-cells=1 #size-cells=1\n"
		   "boot deprivilege                            # smmu_deprivilege: the host loses its privileges\n");
}

/* The HW field table in docs/op-stream.md is the one in worlddesc.c. */
static void docs_list_every_world_name_as_the_code_has_it(void)
{
	static const char *const regs[WD_REG_COUNT] = {
		[WD_IDR0] = "IDR0", [WD_IDR1] = "IDR1", [WD_IDR2] = "IDR2",
		[WD_IDR3] = "IDR3", [WD_IDR4] = "IDR4", [WD_IDR5] = "IDR5",
		[WD_IIDR] = "IIDR", [WD_AIDR] = "AIDR",
		[WD_GBPA_RESET] = "GBPA (reset value)",
		[WD_FAULTS] = "faults (`HWM_FAULT_*`)",
		[WD_BOOT_CR0] = "CR0", [WD_BOOT_GERROR] = "GERROR",
		[WD_BOOT_IRQ_CTRL] = "IRQ_CTRL",
		[WD_BOOT_GERROR_IRQ_CFG0] = "GERROR_IRQ_CFG0",
		[WD_BOOT_EVTQ_IRQ_CFG0] = "EVTQ_IRQ_CFG0",
		[WD_BOOT_PRIQ_IRQ_CFG0] = "PRIQ_IRQ_CFG0",
		[WD_BOOT_GERROR_IRQ_CFG1] = "GERROR_IRQ_CFG1",
		[WD_BOOT_EVTQ_IRQ_CFG1] = "EVTQ_IRQ_CFG1",
		[WD_BOOT_PRIQ_IRQ_CFG1] = "PRIQ_IRQ_CFG1",
		[WD_BOOT_STRTAB_BASE] = "STRTAB_BASE",
		[WD_BOOT_STRTAB_CFG] = "STRTAB_BASE_CFG",
		[WD_BOOT_CMDQ_BASE] = "CMDQ_BASE",
		[WD_BOOT_CMDQ_PROD] = "CMDQ_PROD",
		[WD_BOOT_CMDQ_CONS] = "CMDQ_CONS",
		[WD_BOOT_EVTQ_BASE] = "EVTQ_BASE",
		[WD_BOOT_PRIQ_BASE] = "PRIQ_BASE",
		[WD_BOOT_ECMDQ] = "ECMDQ enables",
		[WD_SMMU_COUNT] = "SMMU count (the world's)",
	};
	static char doc[200000];
	FILE *f = fopen(SMMUFUZZ_SOURCE_DIR "/docs/op-stream.md", "r");
	size_t len;
	unsigned i;

	if (f == NULL) {
		CHECK_FAIL("cannot open docs/op-stream.md");
		return;
	}
	len = fread(doc, 1, sizeof(doc) - 1, f);
	fclose(f);
	doc[len] = '\0';
	for (i = 0; i < wd_field_count(); i++) {
		const struct wd_field *w = wd_field(i);
		char row[160], bits[16], max[16];

		if (w->width == 1)
			snprintf(bits, sizeof(bits), "%u", w->lsb);
		else
			snprintf(bits, sizeof(bits), "%u:%u",
				 w->lsb + w->width - 1U, w->lsb);
		snprintf(max, sizeof(max), w->max < 256 ? "%u" : "0x%X", w->max);
		snprintf(row, sizeof(row), "\n| %u | `%s` | %s%s | %s | %s |",
			 i, w->name, regs[w->reg],
			 w->reg >= WD_BOOT_CR0 && w->reg <= WD_BOOT_ECMDQ ?
			 " (take-over)" : "", bits, max);
		if (strstr(doc, row) == NULL)
			CHECK_FAIL("docs/op-stream.md lacks the row \"%s\"",
				   row + 1);
	}
	for (i = 0; i < FDT_EDIT_COUNT; i++) {
		char row[64];

		snprintf(row, sizeof(row), "\n| %u | `%s` |", i,
			 wd_fdt_edit_name(i));
		if (strstr(doc, row) == NULL)
			CHECK_FAIL("docs/op-stream.md lacks the FDT edit \"%s\"",
				   row + 1);
	}
	for (i = 0; i < BOOT_STEP_COUNT; i++) {
		char row[64];

		snprintf(row, sizeof(row), "\n| %u | `%s` |", i,
			 wd_boot_step_name(i));
		if (strstr(doc, row) == NULL)
			CHECK_FAIL("docs/op-stream.md lacks the boot step \"%s\"",
				   row + 1);
	}
}

/* ---- Describers ---------------------------------------------------------- */

static const char *reg_str(uint32_t off, uint64_t v)
{
	static char buf[512];

	describe_reg(off, v, buf, sizeof(buf));
	return buf;
}

static void describe_names_register_fields(void)
{
	const char *s = reg_str(SMMU_CR0, 0xd);

	EXPECT(strstr(s, "SMMUEN") != NULL);
	EXPECT(strstr(s, "EVTQEN") != NULL);
	EXPECT(strstr(s, "CMDQEN") != NULL);
	EXPECT_STR(s, "SMMUEN|EVTQEN|CMDQEN");
	EXPECT_STR(reg_str(SMMU_CR0ACK, 0), "0");
	EXPECT_STR(reg_str(SMMU_CR0, 0x1e0), "VMW=7 rsvd=0x20");
	EXPECT_STR(reg_str(SMMU_CR1, 0xD75), "QUEUE_IC=WB QUEUE_OC=WB "
		   "QUEUE_SH=ISH TABLE_IC=WB TABLE_OC=WB TABLE_SH=ISH");
	EXPECT_STR(reg_str(SMMU_CR2, 6), "RECINVSID|PTM");
	EXPECT_STR(reg_str(SMMU_GBPA, 0x80101000), "SHCFG=1 ABORT|UPDATE");
	EXPECT_STR(reg_str(SMMU_IRQ_CTRLACK, 5), "GERROR_IRQEN|EVTQ_IRQEN");
	EXPECT_STR(reg_str(SMMU_GERROR, 0x101), "CMDQ_ERR|SFM_ERR");
	EXPECT_STR(reg_str(SMMU_STRTAB_BASE, 0x4000000044000000ULL),
		   "ADDR=0x44000000 RA");
	EXPECT_STR(reg_str(SMMU_STRTAB_BASE_CFG, 0x10210),
		   "FMT=2lvl SPLIT=8 LOG2SIZE=16");
	EXPECT_STR(reg_str(SMMU_STRTAB_BASE_CFG, 0x8),
		   "FMT=linear SPLIT=0 LOG2SIZE=8");
	EXPECT_STR(reg_str(SMMU_CMDQ_BASE, 0x4000000044200008ULL),
		   "ADDR=0x44200000 LOG2SIZE=8 RA");
	EXPECT_STR(reg_str(SMMU_EVTQ_BASE, 0x4000000044300007ULL),
		   "ADDR=0x44300000 LOG2SIZE=7 WA");
	EXPECT_STR(reg_str(SMMU_CMDQ_CONS, 0x01000005), "PTR=0x5 "
		   "ERR=CERROR_ILL");
	EXPECT_STR(reg_str(SMMU_PAGE1(SMMU_EVTQ_PROD), 0x80000003),
		   "PTR=0x3 OVFLG");
	EXPECT_STR(reg_str(SMMU_GERROR_IRQ_CFG0, 0x44700004),
		   "ADDR=0x44700004");
	EXPECT_STR(reg_str(SMMU_EVTQ_IRQ_CFG2, 0x31), "MEMATTR=1 SH=ISH");
	/* QEMU-like IDRs: 2-level, AArch64 tables, S1+S2, 48-bit OAS. */
	EXPECT_STR(reg_str(SMMU_IDR0, 0x0804BEBF & ~(1U << 6)),
		   "S2P|S1P TTF=aa32_64 COHACC|BTM HTTU=2 HYP|ATS|NS1ATS|"
		   "ASID16|MSI|ATOS|VMID16 TTENDIAN=mixed STALL_MODEL=0 "
		   "ST_LVL=2lvl");
	EXPECT_STR(reg_str(SMMU_IDR1, 0x00E73010), "SIDSIZE=16 SSIDSIZE=0 "
		   "PRIQS=6 EVTQS=7 CMDQS=7");
	EXPECT_STR(reg_str(SMMU_IDR3, 0x404), "HAD|RIL");
	EXPECT_STR(reg_str(SMMU_IDR5, 0x00200055), "OAS=48bit GRAN4K|GRAN64K "
		   "STALL_MAX=32");
	EXPECT_STR(reg_str(SMMU_IIDR, 0x4870143B), "PRODUCTID=0x487 "
		   "VARIANT=0 REVISION=1 IMPLEMENTER=0x43b");
	EXPECT_STR(reg_str(SMMU_IDR2, 5), "");
	EXPECT_STR(reg_str(0x30, 5), "");
}

static void describe_splits_queue_pointers_when_the_size_is_known(void)
{
	char buf[128];

	describe_queue_ptr(SMMU_CMDQ_CONS, 0x01000105, 8, buf, sizeof(buf));
	EXPECT_STR(buf, "IDX=5 WRP=1 ERR=CERROR_ILL");
	describe_queue_ptr(SMMU_PAGE1(SMMU_EVTQ_CONS), 0x80000080, 7, buf,
			   sizeof(buf));
	EXPECT_STR(buf, "IDX=0 WRP=1 OVACKFLG");
	describe_queue_ptr(SMMU_CMDQ_PROD, 0x3, 0, buf, sizeof(buf));
	EXPECT_STR(buf, "IDX=0 WRP=1 rsvd=0x2");
	describe_queue_ptr(SMMU_CR0, 0x1, 8, buf, sizeof(buf));
	EXPECT_STR(buf, "SMMUEN");
}

static const char *cmd_str(uint64_t dw0, uint64_t dw1)
{
	static char buf[512];
	uint64_t c[2] = { dw0, dw1 };

	describe_cmd(c, buf, sizeof(buf));
	return buf;
}

static void describe_names_commands_and_fields(void)
{
	EXPECT_STR(cmd_str(0x0000001000000003ULL, 1), "CFGI_STE sid=0x10 "
		   "leaf=1");
	EXPECT_STR(cmd_str(0x4, 31), "CFGI_ALL");
	EXPECT_STR(cmd_str(0x0000000100000004ULL, 31), "CFGI_STE_RANGE sid=0x1 "
		   "range=31");
	EXPECT_STR(cmd_str(0x46, 0), "CMD_SYNC cs=none");
	EXPECT_STR(cmd_str(0x0000abcd00001046ULL, 0x44700004),
		   "CMD_SYNC cs=irq msidata=0xabcd msiaddr=0x44700004");
	EXPECT_STR(cmd_str(0x20, 0), "TLBI_EL2_ALL");
	EXPECT_STR(cmd_str(0x0000000500000030ULL, 0), "TLBI_NSNH_ALL "
		   "rsvd0=0x500000000");
	EXPECT_STR(cmd_str(0x7f, 0), "unknown opcode 0x7f");
	EXPECT_STR(describe_cmd_name(CMDQ_OP_TLBI_S12_VMALL), "TLBI_S12_VMALL");
	EXPECT(describe_cmd_name(0x07) == NULL);
	EXPECT_EQ(describe_cmd_opcode("cfgi_all"), CMDQ_OP_CFGI_STE_RANGE);
	EXPECT_EQ(describe_cmd_opcode("CMDQ_OP_CMD_SYNC"), CMDQ_OP_CMD_SYNC);
	EXPECT_EQ(describe_cmd_opcode("STALL_TERM"), CMDQ_OP_STALL_TERM);
	EXPECT_EQ(describe_cmd_opcode("CFGI_EVERYTHING"), -1);
}

static void every_regs_h_command_has_a_name(void)
{
	static const uint8_t opcodes[] = {
		CMDQ_OP_PREFETCH_CFG, CMDQ_OP_PREFETCH_ADDR, CMDQ_OP_CFGI_STE,
		CMDQ_OP_CFGI_STE_RANGE, CMDQ_OP_CFGI_CD, CMDQ_OP_CFGI_CD_ALL,
		CMDQ_OP_TLBI_NH_ALL, CMDQ_OP_TLBI_NH_ASID, CMDQ_OP_TLBI_NH_VA,
		CMDQ_OP_TLBI_NH_VAA, CMDQ_OP_TLBI_EL3_ALL, CMDQ_OP_TLBI_EL3_VA,
		CMDQ_OP_TLBI_EL2_ALL, CMDQ_OP_TLBI_EL2_ASID,
		CMDQ_OP_TLBI_EL2_VA, CMDQ_OP_TLBI_EL2_VAA,
		CMDQ_OP_TLBI_S12_VMALL, CMDQ_OP_TLBI_S2_IPA,
		CMDQ_OP_TLBI_NSNH_ALL, CMDQ_OP_ATC_INV, CMDQ_OP_PRI_RESP,
		CMDQ_OP_RESUME, CMDQ_OP_STALL_TERM, CMDQ_OP_CMD_SYNC,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(opcodes); i++) {
		const char *name = describe_cmd_name(opcodes[i]);

		EXPECT(name != NULL);
		if (name != NULL)
			EXPECT_EQ(describe_cmd_opcode(name), opcodes[i]);
	}
}

static void describe_names_ste_cd_and_l1_fields(void)
{
	char buf[512];

	describe_ste_dword(0, 0x4450000b, buf, sizeof(buf));
	EXPECT_STR(buf, "V=1 CFG=S1_TRANS S1FMT=0 S1CTXPTR=0x44500000 "
		   "S1CDMAX=0");
	describe_ste_dword(0, 0x8, buf, sizeof(buf));
	EXPECT_STR(buf, "V=0 CFG=BYPASS S1FMT=0 S1CTXPTR=0x0 S1CDMAX=0");
	describe_ste_dword(1, 1ULL << 44 | 2ULL << 30, buf, sizeof(buf));
	EXPECT_STR(buf, "S1DSS=terminate S1CIR=0 S1COR=0 S1CSH=0 EATS=0 "
		   "STRW=EL2 SHCFG=incoming");
	describe_ste_dword(2, 5ULL | 24ULL << 32 | 1ULL << 38 | 5ULL << 48 |
			   1ULL << 51 | 1ULL << 58, buf, sizeof(buf));
	EXPECT_STR(buf, "S2VMID=0x5 S2T0SZ=24 S2SL0=1 S2IR0=0 S2OR0=0 "
		   "S2SH0=NSH S2TG=4k S2PS=48bit S2AA64|S2R");
	describe_ste_dword(3, 0x44600000, buf, sizeof(buf));
	EXPECT_STR(buf, "S2TTB=0x44600000");
	EXPECT_EQ(describe_ste_dword(4, 1, buf, sizeof(buf)), 0);
	describe_cd_dword(0, 1ULL << 31 | 5ULL << 48 | 16 | 5ULL << 32 |
			  1ULL << 41, buf, sizeof(buf));
	EXPECT_STR(buf, "V=1 T0SZ=16 TG0=4k IRGN0=0 ORGN0=0 SH0=NSH "
		   "IPS=48bit AA64 ASID=0x5");
	describe_cd_dword(1, 0x44601000, buf, sizeof(buf));
	EXPECT_STR(buf, "TTB0=0x44601000");
	describe_l1(0x44100009, buf, sizeof(buf));
	EXPECT_STR(buf, "SPAN=9 L2PTR=0x44100000");
	describe_l1(0, buf, sizeof(buf));
	EXPECT_STR(buf, "SPAN=0 L2PTR=0x0");
	/* snprintf-style length with a short buffer. */
	EXPECT_EQ(describe_l1(0x44100009, buf, 4), 23);
	EXPECT_STR(buf, "SPA");
}

static void descriptions_parse_back_to_the_same_value(void)
{
	static const uint32_t regs[] = {
		SMMU_IDR0, SMMU_IDR1, SMMU_IDR3, SMMU_IDR5, SMMU_IIDR,
		SMMU_CR0, SMMU_CR0ACK, SMMU_CR1, SMMU_CR2, SMMU_GBPA,
		SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK, SMMU_GERROR, SMMU_GERRORN,
		SMMU_GERROR_IRQ_CFG0, SMMU_GERROR_IRQ_CFG2, SMMU_STRTAB_BASE,
		SMMU_STRTAB_BASE_CFG, SMMU_CMDQ_BASE, SMMU_CMDQ_PROD,
		SMMU_CMDQ_CONS, SMMU_EVTQ_BASE, SMMU_EVTQ_PROD, SMMU_EVTQ_CONS,
		SMMU_PRIQ_IRQ_CFG0, SMMU_PAGE1(SMMU_PRIQ_CONS),
	};
	char buf[1024], err[128];
	unsigned iter;
	size_t i;
	uint64_t v, back;

	rng_seed(0x5EED0004);
	for (iter = 0; iter < 300; iter++) {
		/* Sparse and dense values both. */
		v = rng();
		if (iter & 1)
			v &= rng() & rng();
		for (i = 0; i < ARRAY_SIZE(regs); i++) {
			describe_reg(regs[i], v, buf, sizeof(buf));
			back = ~v;
			if (describe_parse_reg_fields(regs[i], buf, &back, err,
						      sizeof(err)) != 0 ||
			    back != v)
				CHECK_FAIL("reg 0x%x value 0x%" PRIx64 ": \"%s\" "
					   "-> %s", regs[i], v, buf, err);
		}
		for (i = 0; i < 4; i++) {
			describe_ste_dword((unsigned)i, v, buf, sizeof(buf));
			back = ~v;
			if (describe_parse_ste_fields((unsigned)i, buf, &back,
						      err, sizeof(err)) != 0 ||
			    back != v)
				CHECK_FAIL("STE dw%zu 0x%" PRIx64 ": \"%s\" -> %s",
					   i, v, buf, err);
		}
		for (i = 0; i < 2; i++) {
			describe_cd_dword((unsigned)i, v, buf, sizeof(buf));
			back = ~v;
			if (describe_parse_cd_fields((unsigned)i, buf, &back,
						     err, sizeof(err)) != 0 ||
			    back != v)
				CHECK_FAIL("CD dw%zu 0x%" PRIx64 ": \"%s\" -> %s",
					   i, v, buf, err);
		}
		describe_l1(v, buf, sizeof(buf));
		back = ~v;
		if (describe_parse_l1_fields(buf, &back, err, sizeof(err)) != 0 ||
		    back != v)
			CHECK_FAIL("L1 0x%" PRIx64 ": \"%s\" -> %s", v, buf, err);
		if (check_failures > 10)
			return;
	}
}

static void command_descriptions_parse_back_to_the_same_dwords(void)
{
	static const uint8_t opcodes[] = {
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x10, 0x11, 0x12, 0x13,
		0x18, 0x1A, 0x20, 0x21, 0x22, 0x23, 0x28, 0x2A, 0x30, 0x40,
		0x41, 0x44, 0x45, 0x46,
	};
	char buf[512], err[128];
	unsigned iter;
	size_t i;

	rng_seed(0x5EED0005);
	for (iter = 0; iter < 300; iter++) {
		for (i = 0; i < ARRAY_SIZE(opcodes); i++) {
			uint64_t c[2], back[2] = { 0, 0 };

			c[0] = (rng() & ~0xFFULL) | opcodes[i];
			c[1] = rng();
			if (iter & 1) {
				c[0] &= rng() | 0xFF;
				c[1] &= rng() & rng();
			}
			if (iter == 0 && opcodes[i] == 0x04) {
				c[0] = 0x04;	/* CFGI_ALL */
				c[1] = 31;
			}
			describe_cmd(c, buf, sizeof(buf));
			if (describe_parse_cmd(buf, back, err, sizeof(err)) != 0 ||
			    back[0] != c[0] || back[1] != c[1])
				CHECK_FAIL("cmd 0x%" PRIx64 " 0x%" PRIx64 ": \"%s\" "
					   "-> %s", c[0], c[1], buf, err);
		}
		if (check_failures > 10)
			return;
	}
}

int main(void)
{
	RUN(each_op_encodes_to_its_documented_size);
	RUN(fields_are_little_endian_at_documented_positions);
	RUN(encode_never_writes_past_cap);
	RUN(register_table_is_in_offset_order);
	RUN(lenient_header_is_optional);
	RUN(lenient_skips_unknown_opcodes_and_drops_short_tail);
	RUN(lenient_reduces_fields_into_range);
	RUN(own_page_field_names_window_and_skew);
	RUN(decoding_stops_at_the_op_limits);
	RUN(strict_errors_carry_offset_and_message);
	RUN(strict_refuses_more_ops_than_the_caller_holds);
	RUN(strict_decode_then_encode_gives_the_input_back);
	RUN(hw_field_indexes_are_part_of_the_format);
	RUN(world_ops_encode_at_documented_positions);
	RUN(world_ops_decode_strictly_in_version_2);
	RUN(lenient_reduces_every_world_field);
	RUN(strict_rejects_out_of_range_world_fields);
	RUN(version_1_header_refuses_world_opcodes_strictly);
	RUN(version_1_files_decode_as_before);
	RUN(encoder_writes_version_2_unless_an_old_file_stays_old);
	RUN(random_bytes_decode_leniently_and_round_trip);
	RUN(long_inputs_round_trip_at_the_op_limit);
	RUN(every_op_round_trips_through_text);
	RUN(text_examples_assemble_to_the_right_bits);
	RUN(symbolic_commands_place_fields_per_regs_h);
	RUN(field_lists_build_the_right_bits);
	RUN(field_lists_reject_what_does_not_fit);
	RUN(symbolic_commands_reject_foreign_fields);
	RUN(text_parse_errors_name_the_line);
	RUN(text_error_offset_is_the_line_start);
	RUN(text_parse_stops_at_max_ops);
	RUN(random_text_never_crashes_the_parser);
	RUN(format_prints_canonical_lines);
	RUN(annotations_decode_fields_for_a_reader);
	RUN(format_is_snprintf_like);
	RUN(invalid_ops_print_as_lines_the_parser_refuses);
	RUN(text_world_ops_assemble_to_the_right_bits);
	RUN(text_with_every_world_name_round_trips_byte_exactly);
	RUN(text_world_op_errors_name_the_line);
	RUN(world_ops_annotate_fields_by_name);
	RUN(show_of_a_binary_file_names_world_ops);
	RUN(docs_list_every_world_name_as_the_code_has_it);
	RUN(describe_names_register_fields);
	RUN(describe_splits_queue_pointers_when_the_size_is_known);
	RUN(describe_names_commands_and_fields);
	RUN(every_regs_h_command_has_a_name);
	RUN(describe_names_ste_cd_and_l1_fields);
	RUN(descriptions_parse_back_to_the_same_value);
	RUN(command_descriptions_parse_back_to_the_same_dwords);
	CHECK_DONE();
}
