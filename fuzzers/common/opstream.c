/* SPDX-License-Identifier: MIT */
/*
 * The binary op-stream codec: op layouts, lenient and strict decoding,
 * encoding, and the register and profile tables.
 */
/*
 * This file is also built freestanding for the AArch64 EL2 agent, so it
 * makes no library call at all (not even memcpy or snprintf): fields are
 * assembled byte by byte, which is also independent of the host's
 * endianness, and diagnostics are formatted by the small bounded helpers
 * below. The one thing it borrows is the OP_HW field table
 * (wd_field_count, wd_field_reduce, wd_field in wdfields.c, freestanding
 * too), which such a build links too. The text form lives in opstext.c.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opstream.h"
#include "smmu/regs.h"
#include "wdfields.h"

/* ---- Register table ------------------------------------------------------ */

/* Index order is offset order; OP_READ/WRITE/POLL name registers by index. */
static const struct ops_reg reg_table[] = {
	{ "IDR0", SMMU_IDR0, 4 },
	{ "IDR1", SMMU_IDR1, 4 },
	{ "IDR2", SMMU_IDR2, 4 },
	{ "IDR3", SMMU_IDR3, 4 },
	{ "IDR4", SMMU_IDR4, 4 },
	{ "IDR5", SMMU_IDR5, 4 },
	{ "IIDR", SMMU_IIDR, 4 },
	{ "AIDR", SMMU_AIDR, 4 },
	{ "CR0", SMMU_CR0, 4 },
	{ "CR0ACK", SMMU_CR0ACK, 4 },
	{ "CR1", SMMU_CR1, 4 },
	{ "CR2", SMMU_CR2, 4 },
	{ "STATUSR", SMMU_STATUSR, 4 },
	{ "GBPA", SMMU_GBPA, 4 },
	{ "AGBPA", SMMU_AGBPA, 4 },
	{ "IRQ_CTRL", SMMU_IRQ_CTRL, 4 },
	{ "IRQ_CTRLACK", SMMU_IRQ_CTRLACK, 4 },
	{ "GERROR", SMMU_GERROR, 4 },
	{ "GERRORN", SMMU_GERRORN, 4 },
	{ "GERROR_IRQ_CFG0", SMMU_GERROR_IRQ_CFG0, 8 },
	{ "GERROR_IRQ_CFG1", SMMU_GERROR_IRQ_CFG1, 4 },
	{ "GERROR_IRQ_CFG2", SMMU_GERROR_IRQ_CFG2, 4 },
	{ "STRTAB_BASE", SMMU_STRTAB_BASE, 8 },
	{ "STRTAB_BASE_CFG", SMMU_STRTAB_BASE_CFG, 4 },
	{ "CMDQ_BASE", SMMU_CMDQ_BASE, 8 },
	{ "CMDQ_PROD", SMMU_CMDQ_PROD, 4 },
	{ "CMDQ_CONS", SMMU_CMDQ_CONS, 4 },
	{ "EVTQ_BASE", SMMU_EVTQ_BASE, 8 },
	{ "EVTQ_PROD", SMMU_EVTQ_PROD, 4 },
	{ "EVTQ_CONS", SMMU_EVTQ_CONS, 4 },
	{ "EVTQ_IRQ_CFG0", SMMU_EVTQ_IRQ_CFG0, 8 },
	{ "EVTQ_IRQ_CFG1", SMMU_EVTQ_IRQ_CFG1, 4 },
	{ "EVTQ_IRQ_CFG2", SMMU_EVTQ_IRQ_CFG2, 4 },
	{ "PRIQ_BASE", SMMU_PRIQ_BASE, 8 },
	{ "PRIQ_PROD", SMMU_PRIQ_PROD, 4 },
	{ "PRIQ_CONS", SMMU_PRIQ_CONS, 4 },
	{ "PRIQ_IRQ_CFG0", SMMU_PRIQ_IRQ_CFG0, 8 },
	{ "PRIQ_IRQ_CFG1", SMMU_PRIQ_IRQ_CFG1, 4 },
	{ "PRIQ_IRQ_CFG2", SMMU_PRIQ_IRQ_CFG2, 4 },
	{ "P1_EVTQ_PROD", SMMU_PAGE1(SMMU_EVTQ_PROD), 4 },
	{ "P1_EVTQ_CONS", SMMU_PAGE1(SMMU_EVTQ_CONS), 4 },
	{ "P1_PRIQ_PROD", SMMU_PAGE1(SMMU_PRIQ_PROD), 4 },
	{ "P1_PRIQ_CONS", SMMU_PAGE1(SMMU_PRIQ_CONS), 4 },
};

#define REG_COUNT (sizeof(reg_table) / sizeof(reg_table[0]))
_Static_assert(REG_COUNT == 43, "register indexes are part of format v1");

static char ascii_upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

/* Case-insensitive equality of NUL-terminated strings, bounded. */
static bool name_eq(const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < 256; i++) {
		if (ascii_upper(a[i]) != ascii_upper(b[i]))
			return false;
		if (a[i] == '\0')
			return true;
	}
	return false;
}

/** Number of registers OP_READ/WRITE/POLL can name (43 in format v1). */
unsigned ops_reg_count(void)
{
	return (unsigned)REG_COUNT;
}

/** Register @idx of the table, or NULL when @idx >= ops_reg_count(). */
const struct ops_reg *ops_reg(unsigned idx)
{
	return idx < REG_COUNT ? &reg_table[idx] : NULL;
}

/** Index of the register called @name (case-insensitive), or -1. */
int ops_reg_find(const char *name)
{
	unsigned i;

	if (name == NULL)
		return -1;
	for (i = 0; i < REG_COUNT; i++) {
		if (name_eq(reg_table[i].name, name))
			return (int)i;
	}
	return -1;
}

/** Index of the register at byte @offset of the SMMU window, or -1. */
int ops_reg_by_offset(uint32_t offset)
{
	unsigned i;

	for (i = 0; i < REG_COUNT; i++) {
		if (reg_table[i].offset == offset)
			return (int)i;
	}
	return -1;
}

/* ---- Profiles ------------------------------------------------------------ */

static const char *const profile_names[] = {
	"qemu-virt",
	"dual",
	"linear-msi",
	"mmu700",
};

#define PROFILE_COUNT (sizeof(profile_names) / sizeof(profile_names[0]))

/** Number of world profiles a header may name. */
unsigned ops_profile_count(void)
{
	return (unsigned)PROFILE_COUNT;
}

/** Name of profile @idx, or NULL when out of range. */
const char *ops_profile_name(unsigned idx)
{
	return idx < PROFILE_COUNT ? profile_names[idx] : NULL;
}

/** Index of the profile called @name (case-insensitive), or -1. */
int ops_profile_find(const char *name)
{
	unsigned i;

	if (name == NULL)
		return -1;
	for (i = 0; i < PROFILE_COUNT; i++) {
		if (name_eq(profile_names[i], name))
			return (int)i;
	}
	return -1;
}

/* ---- Op layouts ---------------------------------------------------------- */

/* Which member of struct op an argument lands in. */
enum fld_member {
	FM_A8,
	FM_B8,
	FM_C8,
	FM_D8,
	FM_A32,
	FM_B32,
	FM_V0,
	FM_V1,
};

/*
 * How lenient decoding reduces an argument into range. Strict decoding
 * accepts exactly the values these reductions leave unchanged.
 */
enum fld_rule {
	FR_ANY,		/* every value is meaningful */
	FR_REG,		/* register index: value % ops_reg_count() */
	FR_RANGE,	/* value & param, param = 2^k - 1: "0..param" */
	FR_FLAGS,	/* value & param: unknown flag bits dropped */
	FR_MOD,		/* value % param */
	FR_CLAMP,	/* min(value, param) */
	FR_MMIO_OFF,	/* & OP_MMIO_OFF_MASK, aligned down to the width */
	FR_HOST_OFF,	/* % LAYOUT_HOST_SIZE, aligned down to the width */
	FR_PAGE,	/* % OWN_PAGE_LIMIT (page, other window, skew) */
	FR_HW_FIELD,	/* OP_HW field index: value % wd_field_count() */
	FR_HW_VALUE,	/* OP_HW value: wd_field_reduce(field, value) */
};

struct fld_def {
	uint8_t member;		/* enum fld_member */
	uint8_t size;		/* bytes in the stream: 1, 2, 4 or 8 */
	uint8_t rule;		/* enum fld_rule */
	uint32_t param;
	const char *label;	/* for strict diagnostics */
};

#define OP_MAX_FIELDS 4U

struct op_def {
	const char *name;	/* NULL: not an opcode */
	uint8_t size;		/* including the opcode byte */
	uint8_t field_count;
	struct fld_def f[OP_MAX_FIELDS];
};

/*
 * Arguments appear in stream order. A field whose rule depends on another
 * (offset on width, page on action) always comes after it, so reducing in
 * order sees the already reduced value.
 */
static const struct op_def op_defs[OP_CODE_MAX + 1] = {
	[OP_SEL] = { "SEL", 2, 1, {
		{ FM_A8, 1, FR_RANGE, 3, "SMMU index" } } },
	[OP_READ] = { "READ", 2, 1, {
		{ FM_A8, 1, FR_REG, 0, "register index" } } },
	[OP_WRITE] = { "WRITE", 10, 2, {
		{ FM_A8, 1, FR_REG, 0, "register index" },
		{ FM_V0, 8, FR_ANY, 0, "value" } } },
	[OP_READX] = { "READX", 6, 2, {
		{ FM_A8, 1, FR_RANGE, OP_WIDTH_MASK, "width" },
		{ FM_A32, 4, FR_MMIO_OFF, 0, "MMIO offset" } } },
	[OP_WRITEX] = { "WRITEX", 14, 3, {
		{ FM_A8, 1, FR_RANGE, OP_WIDTH_MASK, "width" },
		{ FM_A32, 4, FR_MMIO_OFF, 0, "MMIO offset" },
		{ FM_V0, 8, FR_ANY, 0, "value" } } },
	[OP_MEM] = { "MEM", 14, 3, {
		{ FM_A8, 1, FR_RANGE, OP_WIDTH_MASK, "width" },
		{ FM_A32, 4, FR_HOST_OFF, 0, "host RAM offset" },
		{ FM_V0, 8, FR_ANY, 0, "value" } } },
	[OP_OWN] = { "OWN", 6, 2, {
		{ FM_A8, 1, FR_MOD, OWN_ACTION_COUNT, "ownership action" },
		{ FM_A32, 4, FR_PAGE, 0, "page" } } },
	[OP_DMA] = { "DMA", 18, 4, {
		{ FM_A8, 1, FR_FLAGS, DMA_F_WRITE | DMA_F_SSV, "DMA flags" },
		{ FM_A32, 4, FR_ANY, 0, "sid" },
		{ FM_B32, 4, FR_ANY, 0, "ssid" },
		{ FM_V0, 8, FR_ANY, 0, "iova" } } },
	[OP_RESET] = { "RESET", 5, 4, {
		{ FM_A8, 1, FR_FLAGS, RESET_F_MASK, "RESET flags" },
		{ FM_B8, 1, FR_CLAMP, Q_MAX_LOG2SIZE, "RESET cmdq log2" },
		{ FM_C8, 1, FR_CLAMP, 32, "RESET strtab log2" },
		{ FM_D8, 1, FR_CLAMP, Q_MAX_LOG2SIZE, "RESET evtq log2" } } },
	[OP_CMD] = { "CMD", 18, 3, {
		{ FM_A8, 1, FR_FLAGS, CMD_F_RING, "CMD flags" },
		{ FM_V0, 8, FR_ANY, 0, "dw0" },
		{ FM_V1, 8, FR_ANY, 0, "dw1" } } },
	/* A u16 slot cannot exceed the 19-bit slot range: nothing to reduce. */
	[OP_QPOKE] = { "QPOKE", 12, 3, {
		{ FM_A32, 2, FR_ANY, 0, "slot" },
		{ FM_B8, 1, FR_RANGE, CMDQ_ENT_DWORDS - 1, "QPOKE dword" },
		{ FM_V0, 8, FR_ANY, 0, "value" } } },
	[OP_STE] = { "STE", 14, 3, {
		{ FM_A32, 4, FR_ANY, 0, "sid" },
		{ FM_B8, 1, FR_RANGE, STRTAB_STE_DWORDS - 1, "STE dword" },
		{ FM_V0, 8, FR_ANY, 0, "value" } } },
	[OP_L1] = { "L1", 13, 2, {
		{ FM_A32, 4, FR_ANY, 0, "index" },
		{ FM_V0, 8, FR_ANY, 0, "value" } } },
	[OP_CD] = { "CD", 12, 3, {
		{ FM_A32, 2, FR_ANY, 0, "index" },
		{ FM_B8, 1, FR_RANGE, CD_DWORDS - 1, "CD dword" },
		{ FM_V0, 8, FR_ANY, 0, "value" } } },
	[OP_RACE] = { "RACE", 14, 3, {
		{ FM_A8, 1, FR_RANGE, OP_WIDTH_MASK, "width" },
		{ FM_A32, 4, FR_HOST_OFF, 0, "host RAM offset" },
		{ FM_V0, 8, FR_ANY, 0, "value" } } },
	[OP_POLL] = { "POLL", 10, 3, {
		{ FM_A8, 1, FR_REG, 0, "register index" },
		{ FM_A32, 4, FR_ANY, 0, "mask" },
		{ FM_B32, 4, FR_ANY, 0, "expect" } } },
	[OP_SYNC] = { "SYNC", 2, 1, {
		{ FM_A8, 1, FR_FLAGS, SYNC_F_NOWAIT, "SYNC flags" } } },
	[OP_HWMODE] = { "HWMODE", 3, 2, {
		{ FM_A8, 1, FR_MOD, 3, "HWMODE mode" },
		{ FM_B8, 1, FR_ANY, 0, "delay" } } },
	/* Version 2: the world. The HW value's range depends on the field. */
	[OP_HW] = { "HW", 7, 3, {
		{ FM_A8, 1, FR_MOD, WD_MAX_SMMU, "HW SMMU index" },
		{ FM_B8, 1, FR_HW_FIELD, 0, "HW field" },
		{ FM_A32, 4, FR_HW_VALUE, 0, "HW value" } } },
	[OP_FDT] = { "FDT", 7, 3, {
		{ FM_A8, 1, FR_MOD, WD_FDT_EDIT_COUNT, "FDT edit" },
		{ FM_B8, 1, FR_MOD, WD_MAX_SMMU, "FDT node" },
		{ FM_A32, 4, FR_ANY, 0, "FDT value" } } },
	[OP_BOOT] = { "BOOT", 6, 2, {
		{ FM_A8, 1, FR_MOD, BOOT_STEP_COUNT, "BOOT step" },
		{ FM_A32, 4, FR_ANY, 0, "BOOT arg" } } },
};

/* The format version that added each opcode; 0 (the default) means 1. */
static const uint8_t op_since[OP_CODE_MAX + 1] = {
	[OP_HW] = 2, [OP_FDT] = 2, [OP_BOOT] = 2,
};

static const struct op_def *op_def(uint8_t code)
{
	if (code > OP_CODE_MAX || op_defs[code].name == NULL)
		return NULL;
	return &op_defs[code];
}

/** Encoded size of one op of @code including the opcode byte, 0 if unknown. */
size_t ops_op_size(uint8_t code)
{
	const struct op_def *d = op_def(code);

	return d != NULL ? d->size : 0;
}

/** The format version that introduced @code (1 or 2), 0 if unknown. */
unsigned ops_op_version(uint8_t code)
{
	const struct op_def *d = op_def(code);

	if (d == NULL)
		return 0;
	return op_since[code] != 0 ? op_since[code] : 1U;
}

/** The version byte ops_encode writes for @n ops under @hdr. */
uint8_t ops_encoding_version(const struct ops_header *hdr, const struct op *ops,
			     size_t n)
{
	size_t k;

	if (hdr == NULL || hdr->version < OPS_VERSION_MIN ||
	    hdr->version >= OPS_VERSION)
		return (uint8_t)OPS_VERSION;
	if (ops == NULL)
		n = 0;
	for (k = 0; k < n; k++) {
		if (ops_op_version(ops[k].code) > hdr->version)
			return (uint8_t)OPS_VERSION;
	}
	return hdr->version;
}

/** Upper-case name of opcode @code ("WRITE"), or NULL if unknown. */
const char *ops_op_name(uint8_t code)
{
	const struct op_def *d = op_def(code);

	return d != NULL ? d->name : NULL;
}

static uint64_t member_get(const struct op *o, uint8_t member)
{
	switch (member) {
	case FM_A8:
		return o->a8;
	case FM_B8:
		return o->b8;
	case FM_C8:
		return o->c8;
	case FM_D8:
		return o->d8;
	case FM_A32:
		return o->a32;
	case FM_B32:
		return o->b32;
	case FM_V0:
		return o->v0;
	default:
		return o->v1;
	}
}

static void member_set(struct op *o, uint8_t member, uint64_t v)
{
	switch (member) {
	case FM_A8:
		o->a8 = (uint8_t)v;
		break;
	case FM_B8:
		o->b8 = (uint8_t)v;
		break;
	case FM_C8:
		o->c8 = (uint8_t)v;
		break;
	case FM_D8:
		o->d8 = (uint8_t)v;
		break;
	case FM_A32:
		o->a32 = (uint32_t)v;
		break;
	case FM_B32:
		o->b32 = (uint32_t)v;
		break;
	case FM_V0:
		o->v0 = v;
		break;
	default:
		o->v1 = v;
		break;
	}
}

static uint64_t get_le(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < size && i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

bool ops_own_is_mmio(uint8_t action)
{
	return action == OWN_DONATE_MMIO || action == OWN_RETURN_MMIO;
}

uint64_t ops_own_address(uint8_t action, uint32_t page)
{
	bool mmio = ops_own_is_mmio(action) != ((page & OWN_PAGE_OTHER) != 0);

	return (mmio ? LAYOUT_MMIO_BASE : LAYOUT_RAM_BASE) +
	       (uint64_t)(page & OWN_PAGE_INDEX) * 4096U +
	       ((page & OWN_PAGE_SKEW) ? 2048U : 0U);
}

int ops_own_page(uint8_t action, uint64_t pa, uint32_t *page)
{
	uint32_t f = 0;
	uint64_t base;

	if ((pa & 4095U) == 2048U)
		f |= OWN_PAGE_SKEW;
	else if ((pa & 4095U) != 0)
		return -1;
	if (pa >= LAYOUT_MMIO_BASE && pa < LAYOUT_MMIO_BASE + LAYOUT_MMIO_SIZE)
		base = LAYOUT_MMIO_BASE;
	else if (pa >= LAYOUT_RAM_BASE && pa < LAYOUT_RAM_BASE + LAYOUT_RAM_SIZE)
		base = LAYOUT_RAM_BASE;
	else
		return -1;
	if ((base == LAYOUT_MMIO_BASE) != ops_own_is_mmio(action))
		f |= OWN_PAGE_OTHER;
	*page = f | (uint32_t)((pa - base) / 4096U);
	return 0;
}

/* The value lenient decoding gives field @f (earlier fields of @o reduced). */
static uint64_t fld_reduce(const struct fld_def *f, const struct op *o,
			   uint64_t v)
{
	uint64_t width_bytes = 1ULL << (o->a8 & OP_WIDTH_MASK);

	switch (f->rule) {
	case FR_REG:
		return v % REG_COUNT;
	case FR_RANGE:
	case FR_FLAGS:
		return v & f->param;
	case FR_MOD:
		return v % f->param;
	case FR_CLAMP:
		return v < f->param ? v : f->param;
	case FR_MMIO_OFF:
		return (v & OP_MMIO_OFF_MASK) & ~(width_bytes - 1);
	case FR_HOST_OFF:
		return (v % LAYOUT_HOST_SIZE) & ~(width_bytes - 1);
	case FR_PAGE:
		return v % OWN_PAGE_LIMIT;
	case FR_HW_FIELD:
		return v % wd_field_count();
	case FR_HW_VALUE:
		/* The field (b8) comes first and is already reduced. */
		return wd_field_reduce(o->b8, (uint32_t)v);
	default:
		return v;
	}
}

/* ---- Bounded message formatting (no libc) -------------------------------- */

struct msgbuf {
	char *s;
	size_t cap;
	size_t len;
};

static void mb_ch(struct msgbuf *m, char c)
{
	if (m->len + 1 < m->cap) {
		m->s[m->len++] = c;
		m->s[m->len] = '\0';
	}
}

static void mb_str(struct msgbuf *m, const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < 128; i++)
		mb_ch(m, s[i]);
}

static void mb_dec(struct msgbuf *m, uint64_t v)
{
	char tmp[24];
	unsigned n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && n < sizeof(tmp));
	while (n > 0)
		mb_ch(m, tmp[--n]);
}

static void mb_hex(struct msgbuf *m, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	unsigned n = 0;

	do {
		tmp[n++] = digits[v & 0xF];
		v >>= 4;
	} while (v != 0 && n < sizeof(tmp));
	mb_str(m, "0x");
	while (n > 0)
		mb_ch(m, tmp[--n]);
}

static struct msgbuf diag_begin(struct ops_diag *diag, enum ops_error err,
				size_t offset)
{
	struct msgbuf m = { diag->msg, sizeof(diag->msg), 0 };

	diag->err = err;
	diag->offset = offset;
	diag->msg[0] = '\0';
	return m;
}

/* "op 7 at offset 0x2c: " */
static void mb_op_prefix(struct msgbuf *m, size_t index, size_t at)
{
	mb_str(m, "op ");
	mb_dec(m, index);
	mb_str(m, " at offset ");
	mb_hex(m, at);
	mb_str(m, ": ");
}

static void diag_field(struct ops_diag *diag, const struct fld_def *f,
		       const struct op *o, uint64_t v, size_t index,
		       size_t field_at)
{
	struct msgbuf m;
	uint64_t width_bytes = 1ULL << (o->a8 & OP_WIDTH_MASK);

	if (diag == NULL)
		return;
	m = diag_begin(diag, OPS_E_FIELD, field_at);
	mb_op_prefix(&m, index, o->at);
	mb_str(&m, f->label);
	mb_ch(&m, ' ');
	switch (f->rule) {
	case FR_REG:
		mb_dec(&m, v);
		mb_str(&m, " out of range (0..");
		mb_dec(&m, REG_COUNT - 1);
		mb_ch(&m, ')');
		break;
	case FR_RANGE:
	case FR_CLAMP:
		mb_dec(&m, v);
		mb_str(&m, " out of range (0..");
		mb_dec(&m, f->param);
		mb_ch(&m, ')');
		break;
	case FR_MOD:
		mb_dec(&m, v);
		mb_str(&m, " out of range (0..");
		mb_dec(&m, f->param - 1);
		mb_ch(&m, ')');
		break;
	case FR_FLAGS:
		mb_hex(&m, v);
		mb_str(&m, " has unknown bits (allowed ");
		mb_hex(&m, f->param);
		mb_ch(&m, ')');
		break;
	case FR_MMIO_OFF:
	case FR_HOST_OFF:
		mb_hex(&m, v);
		if (v > (f->rule == FR_MMIO_OFF ? OP_MMIO_OFF_MASK :
			 LAYOUT_HOST_SIZE - 1)) {
			mb_str(&m, " out of range (0..");
			mb_hex(&m, f->rule == FR_MMIO_OFF ? OP_MMIO_OFF_MASK :
			       LAYOUT_HOST_SIZE - 1);
			mb_ch(&m, ')');
		} else {
			mb_str(&m, " not aligned to the access width (");
			mb_dec(&m, width_bytes);
			mb_str(&m, " bytes)");
		}
		break;
	case FR_PAGE:
		mb_hex(&m, v);
		mb_str(&m, " out of range (0..");
		mb_hex(&m, OWN_PAGE_LIMIT - 1);
		mb_ch(&m, ')');
		break;
	case FR_HW_FIELD:
		mb_dec(&m, v);
		mb_str(&m, " out of range (0..");
		mb_dec(&m, wd_field_count() - 1U);
		mb_ch(&m, ')');
		break;
	case FR_HW_VALUE: {
		const struct wd_field *hf = wd_field(o->b8);

		mb_dec(&m, v);
		mb_str(&m, " out of range for ");
		mb_str(&m, hf != NULL ? hf->name : "?");
		mb_str(&m, " (0..");
		mb_dec(&m, hf != NULL ? hf->max : 0);
		mb_ch(&m, ')');
		break;
	}
	default:
		mb_str(&m, "invalid");
		break;
	}
}

/* ---- Decoding ------------------------------------------------------------ */

static bool has_magic(const uint8_t *buf, size_t len)
{
	static const char magic[4] = { 'S', 'M', 'F', 'Z' };
	unsigned i;

	if (len < 4)
		return false;
	for (i = 0; i < 4; i++) {
		if (buf[i] != (uint8_t)magic[i])
			return false;
	}
	return true;
}

/*
 * The header. Returns the number of bytes it takes, or -1 (strict only).
 * Lenient: present iff the magic is; version forced to OPS_VERSION (every
 * opcode decodes), profile reduced.
 */
static int decode_header(const uint8_t *buf, size_t len, bool strict,
			 struct ops_header *h, struct ops_diag *diag)
{
	struct msgbuf m;
	unsigned i;

	h->version = OPS_VERSION;
	h->profile = 0;
	h->present = has_magic(buf, len);
	if (!strict) {
		if (!h->present)
			return 0;
		if (len > 5)
			h->profile = (uint8_t)(buf[5] % PROFILE_COUNT);
		return len < OPS_HEADER_SIZE ? (int)len : (int)OPS_HEADER_SIZE;
	}
	if (!h->present) {
		if (diag != NULL) {
			m = diag_begin(diag, OPS_E_MAGIC, 0);
			mb_str(&m, "bad magic: input does not start with the "
				   "\"SMFZ\" header");
		}
		return -1;
	}
	if (len < OPS_HEADER_SIZE) {
		if (diag != NULL) {
			m = diag_begin(diag, OPS_E_TRUNCATED, 0);
			mb_str(&m, "truncated: input ends inside the header ");
			mb_str(&m, "(needs ");
			mb_dec(&m, OPS_HEADER_SIZE);
			mb_str(&m, " bytes, ");
			mb_dec(&m, len);
			mb_str(&m, " left)");
		}
		return -1;
	}
	if (buf[4] < OPS_VERSION_MIN || buf[4] > OPS_VERSION) {
		if (diag != NULL) {
			m = diag_begin(diag, OPS_E_VERSION, 4);
			mb_str(&m, "header: unsupported version ");
			mb_dec(&m, buf[4]);
			mb_str(&m, " (this build reads versions ");
			mb_dec(&m, OPS_VERSION_MIN);
			mb_str(&m, "..");
			mb_dec(&m, OPS_VERSION);
			mb_ch(&m, ')');
		}
		return -1;
	}
	if (buf[5] >= PROFILE_COUNT) {
		if (diag != NULL) {
			m = diag_begin(diag, OPS_E_PROFILE, 5);
			mb_str(&m, "header: unknown profile ");
			mb_dec(&m, buf[5]);
			mb_str(&m, " (0..");
			mb_dec(&m, PROFILE_COUNT - 1);
			mb_ch(&m, ')');
		}
		return -1;
	}
	for (i = 6; i < OPS_HEADER_SIZE; i++) {
		if (buf[i] != 0) {
			if (diag != NULL) {
				m = diag_begin(diag, OPS_E_RESERVED, i);
				mb_str(&m, "header: reserved byte at offset ");
				mb_hex(&m, i);
				mb_str(&m, " is ");
				mb_hex(&m, buf[i]);
				mb_str(&m, " (must be 0)");
			}
			return -1;
		}
	}
	h->version = buf[4];
	h->profile = buf[5];
	return (int)OPS_HEADER_SIZE;
}

/*
 * Decode the op at @buf (whose size was checked) into @o. Lenient: reduce
 * every field. Strict: return false at the first field a reduction would
 * change, with @diag filled in.
 */
static bool decode_op(const struct op_def *d, const uint8_t *buf, size_t at,
		      bool strict, size_t index, struct op *o,
		      struct ops_diag *diag)
{
	size_t pos = 1;
	unsigned i;

	o->code = buf[0];
	o->at = (uint32_t)at;
	for (i = 0; i < d->field_count && i < OP_MAX_FIELDS; i++) {
		const struct fld_def *f = &d->f[i];
		uint64_t raw = get_le(buf + pos, f->size);
		uint64_t v = fld_reduce(f, o, raw);

		if (strict && v != raw) {
			diag_field(diag, f, o, raw, index, at + pos);
			return false;
		}
		member_set(o, f->member, v);
		pos += f->size;
	}
	return true;
}

/**
 * Decode @len bytes into at most @max ops (see opstream.h and
 * docs/op-stream.md). Returns the number of ops; in strict mode -1 on the
 * first problem, described in @diag when it is not NULL. @hdr may be NULL.
 */
int ops_decode(const uint8_t *buf, size_t len, bool strict,
	       struct ops_header *hdr, struct op *ops, size_t max,
	       struct ops_diag *diag)
{
	struct ops_header h;
	size_t pos, limit, count = 0;
	struct msgbuf m;
	int hlen;

	if (diag != NULL) {
		diag->err = OPS_OK;
		diag->offset = 0;
		diag->msg[0] = '\0';
	}
	if (buf == NULL)
		len = 0;
	if (ops == NULL)
		max = 0;
	limit = max < OPS_MAX_OPS ? max : OPS_MAX_OPS;

	hlen = decode_header(buf, len, strict, &h, diag);
	if (hlen < 0)
		return -1;
	if (hdr != NULL)
		*hdr = h;

	/* Every iteration consumes at least one byte. */
	for (pos = (size_t)hlen; pos < len;) {
		const struct op_def *d = op_def(buf[pos]);
		struct op o;

		/* Strict: an opcode newer than the header's version is unknown
		 * there (lenient decoding reads every version's opcodes). */
		if (d != NULL && strict && ops_op_version(buf[pos]) > h.version) {
			if (diag != NULL) {
				m = diag_begin(diag, OPS_E_OPCODE, pos);
				mb_op_prefix(&m, count, pos);
				mb_str(&m, "unknown opcode ");
				mb_hex(&m, buf[pos]);
				mb_str(&m, " in a version ");
				mb_dec(&m, h.version);
				mb_str(&m, " file (");
				mb_str(&m, d->name);
				mb_str(&m, " needs version ");
				mb_dec(&m, ops_op_version(buf[pos]));
				mb_ch(&m, ')');
			}
			return -1;
		}
		if (d == NULL) {
			if (strict) {
				if (diag != NULL) {
					m = diag_begin(diag, OPS_E_OPCODE, pos);
					mb_op_prefix(&m, count, pos);
					mb_str(&m, "unknown opcode ");
					mb_hex(&m, buf[pos]);
				}
				return -1;
			}
			pos++;
			continue;
		}
		if (len - pos < d->size) {
			if (!strict)
				break;
			if (diag != NULL) {
				m = diag_begin(diag, OPS_E_TRUNCATED, pos);
				mb_str(&m, "truncated: input ends inside ");
				mb_str(&m, d->name);
				mb_str(&m, " at offset ");
				mb_hex(&m, pos);
				mb_str(&m, " (needs ");
				mb_dec(&m, d->size);
				mb_str(&m, " bytes, ");
				mb_dec(&m, len - pos);
				mb_str(&m, " left)");
			}
			return -1;
		}
		if (count >= limit) {
			if (!strict)
				break;
			if (diag != NULL) {
				m = diag_begin(diag, OPS_E_TOO_LONG, pos);
				mb_op_prefix(&m, count, pos);
				mb_str(&m, "too many ops (at most ");
				mb_dec(&m, limit);
				mb_ch(&m, ')');
			}
			return -1;
		}
		/* struct op is padded: clear it whole so fields compare. */
		{
			unsigned char *p = (unsigned char *)&o;
			size_t i;

			for (i = 0; i < sizeof(o); i++)
				p[i] = 0;
		}
		if (!decode_op(d, buf + pos, pos, strict, count, &o, diag))
			return -1;
		ops[count++] = o;
		pos += d->size;
	}
	return (int)count;
}

/* ---- Encoding ------------------------------------------------------------ */

static void put(uint8_t *buf, size_t cap, size_t pos, uint8_t b)
{
	if (pos < cap)
		buf[pos] = b;
}

/**
 * Encode the header (when @hdr->present) and @n ops into @buf. The version
 * byte is ops_encoding_version(): OPS_VERSION, or the older version @hdr
 * names when every op exists in it. Ops with an unknown code are left out;
 * fields are truncated to their stream width and not otherwise checked.
 * Returns the bytes needed; writes nothing past @cap.
 */
size_t ops_encode(const struct ops_header *hdr, const struct op *ops, size_t n,
		  uint8_t *buf, size_t cap)
{
	size_t pos = 0, k;

	if (buf == NULL)
		cap = 0;
	if (hdr != NULL && hdr->present) {
		put(buf, cap, 0, 'S');
		put(buf, cap, 1, 'M');
		put(buf, cap, 2, 'F');
		put(buf, cap, 3, 'Z');
		put(buf, cap, 4, ops_encoding_version(hdr, ops, n));
		put(buf, cap, 5, hdr->profile);
		put(buf, cap, 6, 0);
		put(buf, cap, 7, 0);
		pos = OPS_HEADER_SIZE;
	}
	if (ops == NULL)
		n = 0;
	for (k = 0; k < n; k++) {
		const struct op_def *d = op_def(ops[k].code);
		unsigned i, j;

		if (d == NULL)
			continue;
		put(buf, cap, pos++, ops[k].code);
		for (i = 0; i < d->field_count && i < OP_MAX_FIELDS; i++) {
			uint64_t v = member_get(&ops[k], d->f[i].member);

			for (j = 0; j < d->f[i].size; j++)
				put(buf, cap, pos++, (uint8_t)(v >> (8 * j)));
		}
	}
	return pos;
}

static const enum smmu_host_req own_req[OWN_ACTION_COUNT] = {
	[OWN_SHARE_HYP] = SMMU_REQ_SHARE_HYP,
	[OWN_UNSHARE_HYP] = SMMU_REQ_UNSHARE_HYP,
	[OWN_DONATE_HYP] = SMMU_REQ_DONATE_HYP,
	[OWN_RECLAIM_HYP] = SMMU_REQ_RECLAIM_HYP,
	[OWN_DONATE_GUEST] = SMMU_REQ_DONATE_GUEST,
	[OWN_RECLAIM_GUEST] = SMMU_REQ_RECLAIM_GUEST,
	[OWN_DONATE_MMIO] = SMMU_REQ_DONATE_MMIO,
	[OWN_RETURN_MMIO] = SMMU_REQ_RETURN_MMIO,
};

enum smmu_host_req ops_own_req(unsigned action)
{
	return own_req[action % OWN_ACTION_COUNT];
}
