/* SPDX-License-Identifier: MIT */
/*
 * The op stream's text form (host-only): the assembler ops_parse_text and
 * the annotated printer ops_format_text.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "sbuf.h"
#include "opstream.h"
#include "smmu/regs.h"
#include "worlddesc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Column at which "# ..." annotations start. */
#define ANNOTATE_COL	44U

#define PAGE_SIZE_4K	4096U

/* Keywords by opcode (lower case, as printed). */
static const char *const op_keywords[OP_CODE_MAX + 1] = {
	[OP_SEL] = "sel",	[OP_READ] = "read",
	[OP_WRITE] = "write",	[OP_READX] = "readx",
	[OP_WRITEX] = "writex",	[OP_MEM] = "mem",
	[OP_OWN] = "own",	[OP_DMA] = "dma",
	[OP_RESET] = "reset",	[OP_CMD] = "cmd",
	[OP_QPOKE] = "qpoke",	[OP_STE] = "ste",
	[OP_L1] = "l1",		[OP_CD] = "cd",
	[OP_RACE] = "race",	[OP_POLL] = "poll",
	[OP_SYNC] = "sync",	[OP_HWMODE] = "hwmode",
	[OP_HW] = "hw",		[OP_FDT] = "fdt",
	[OP_BOOT] = "boot",
};

static const char *const own_names[OWN_ACTION_COUNT] = {
	[OWN_SHARE_HYP] = "share_hyp",
	[OWN_UNSHARE_HYP] = "unshare_hyp",
	[OWN_DONATE_HYP] = "donate_hyp",
	[OWN_RECLAIM_HYP] = "reclaim_hyp",
	[OWN_DONATE_GUEST] = "donate_guest",
	[OWN_RECLAIM_GUEST] = "reclaim_guest",
	[OWN_DONATE_MMIO] = "donate_mmio",
	[OWN_RETURN_MMIO] = "return_mmio",
};

static const char *const reset_flag_names[] = {
	"2lvl", "evtq", "priq", "smmuen", "bypass",
};
_Static_assert(ARRAY_SIZE(reset_flag_names) == 5 && RESET_F_MASK == 0x1F,
	       "one name per RESET flag bit");

static const char *const hwmode_names[] = { "prompt", "slow", "stuck" };

/* ---- Small helpers ------------------------------------------------------ */

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool word_eq(const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < 256; i++) {
		if (lower(a[i]) != lower(b[i]))
			return false;
		if (a[i] == '\0')
			return true;
	}
	return false;
}

/* ---- The world ops: canonical shapes ------------------------------------ */

/*
 * An OP_HW value prints in decimal where it is a count, a size or an
 * encoding (ID sub-fields, IIDR revision and variant, the SMMU count), in
 * hex where it is a mask, an identifier or a whole register.
 */
static bool hw_value_decimal(const struct wd_field *f)
{
	if (f->width >= 32)
		return false;
	if (f->reg <= WD_IDR5 || f->reg == WD_SMMU_COUNT)
		return true;
	return f->reg == WD_IIDR && f->width == 4;
}

/* Whether an OP_FDT edit names an SMMU node: "node=" is then always shown. */
static bool fdt_edit_names_node(unsigned kind)
{
	switch (kind) {
	case FDT_EDIT_SMMU_BASE: case FDT_EDIT_SMMU_SIZE:
	case FDT_EDIT_SMMU_STATUS: case FDT_EDIT_SMMU_COMPAT:
	case FDT_EDIT_SMMU_REG_LEN: case FDT_EDIT_SMMU_DUP:
	case FDT_EDIT_DEPTH:
		return true;
	default:
		return false;
	}
}

/* Whether an OP_BOOT step takes an argument: it is then always shown. */
static bool boot_step_takes_arg(unsigned step)
{
	return step == BOOT_SETUP || step == BOOT_REGISTER || step == BOOT_INIT;
}

/* ---- Formatting --------------------------------------------------------- */

#define LOG2_UNKNOWN 0xFFU

/* What the printer remembers to split PROD/CONS into index and wrap. */
struct fmt_state {
	unsigned smmu;
	uint8_t log2[4][3];	/* per SMMU: CMDQ, EVTQ, PRIQ */
};

enum { Q_CMDQ, Q_EVTQ, Q_PRIQ };

/* Which queue a base or pointer register belongs to, -1 for none. */
static int queue_of(uint32_t off, bool *is_base)
{
	if (off >= SMMU_PAGE0_SIZE)
		off -= SMMU_PAGE0_SIZE;
	*is_base = false;
	switch (off) {
	case SMMU_CMDQ_BASE:
		*is_base = true;
		return Q_CMDQ;
	case SMMU_CMDQ_PROD:
	case SMMU_CMDQ_CONS:
		return Q_CMDQ;
	case SMMU_EVTQ_BASE:
		*is_base = true;
		return Q_EVTQ;
	case SMMU_EVTQ_PROD:
	case SMMU_EVTQ_CONS:
		return Q_EVTQ;
	case SMMU_PRIQ_BASE:
		*is_base = true;
		return Q_PRIQ;
	case SMMU_PRIQ_PROD:
	case SMMU_PRIQ_CONS:
		return Q_PRIQ;
	default:
		return -1;
	}
}

/*
 * Describe a full-width register value; when @track (a write), remember the
 * queue size a base register sets, to split later PROD/CONS values.
 */
static void note_reg_value(struct sbuf *b, struct fmt_state *st, uint32_t off,
			   uint64_t v, bool track)
{
	bool is_base;
	int q = queue_of(off, &is_base);
	char tmp[256];

	if (q >= 0 && is_base && track) {
		uint64_t l2 = FIELD_GET(Q_BASE_LOG2SIZE, v);

		st->log2[st->smmu][q] = (uint8_t)(l2 < Q_MAX_LOG2SIZE ?
						  l2 : Q_MAX_LOG2SIZE);
	}
	if (q >= 0 && !is_base && st->log2[st->smmu][q] != LOG2_UNKNOWN) {
		describe_queue_ptr(off, v, st->log2[st->smmu][q], tmp,
				   sizeof(tmp));
		sb_printf(b, "%s (assuming LOG2SIZE=%u)", tmp,
			  st->log2[st->smmu][q]);
		return;
	}
	describe_reg(off, v, tmp, sizeof(tmp));
	sb_printf(b, "%s", tmp);
}

/* Name the host structure a MEM/RACE access at host offset @off hits. */
static void note_host(struct sbuf *b, uint32_t off, unsigned wbytes,
		      uint64_t v)
{
	uint64_t pa = LAYOUT_HOST_BASE + off;
	uint32_t rel, byte;
	bool dword = wbytes == 8 && (off & 7) == 0;
	char tmp[256];

	byte = off & 7;
	if (pa < LAYOUT_HOST_L2) {
		rel = (uint32_t)(pa - LAYOUT_HOST_STRTAB);
		sb_printf(b, "host STRTAB: linear STE %u dw%u, or 2-level L1 "
			  "desc %u", rel / STRTAB_STE_SIZE,
			  (rel % STRTAB_STE_SIZE) / 8, rel / 8);
	} else if (pa < LAYOUT_HOST_CMDQ) {
		rel = (uint32_t)(pa - LAYOUT_HOST_L2);
		sb_printf(b, "host L2 table %u STE %u dw%u",
			  rel / LAYOUT_L2_SIZE,
			  (rel % LAYOUT_L2_SIZE) / STRTAB_STE_SIZE,
			  (rel % STRTAB_STE_SIZE) / 8);
		if (byte == 0 && dword) {
			describe_ste_dword((rel % STRTAB_STE_SIZE) / 8, v, tmp,
					   sizeof(tmp));
			if (tmp[0] != '\0')
				sb_printf(b, ": %s", tmp);
			return;
		}
	} else if (pa < LAYOUT_HOST_EVTQ) {
		rel = (uint32_t)(pa - LAYOUT_HOST_CMDQ);
		sb_printf(b, "host CMDQ slot %u dw%u", rel / 16,
			  (rel % 16) / 8);
		if (dword && (rel % 16) == 0) {
			const char *name = describe_cmd_name((uint8_t)v);

			sb_printf(b, ": opcode %s", name != NULL ? name :
				  "unknown");
			return;
		}
	} else if (pa < LAYOUT_HOST_PRIQ) {
		rel = (uint32_t)(pa - LAYOUT_HOST_EVTQ);
		sb_printf(b, "host EVTQ record %u dw%u", rel / 32,
			  (rel % 32) / 8);
	} else if (pa < LAYOUT_HOST_CD) {
		rel = (uint32_t)(pa - LAYOUT_HOST_PRIQ);
		sb_printf(b, "host PRIQ record %u dw%u", rel / 16,
			  (rel % 16) / 8);
	} else if (pa < LAYOUT_HOST_PGT) {
		rel = (uint32_t)(pa - LAYOUT_HOST_CD);
		sb_printf(b, "host CD %u dw%u", rel / 64, (rel % 64) / 8);
		if (dword) {
			describe_cd_dword((rel % 64) / 8, v, tmp, sizeof(tmp));
			if (tmp[0] != '\0')
				sb_printf(b, ": %s", tmp);
			return;
		}
	} else if (pa < LAYOUT_HOST_DATA) {
		rel = (uint32_t)(pa - LAYOUT_HOST_PGT);
		sb_printf(b, "host page tables: page %u entry %u",
			  rel / PAGE_SIZE_4K, (rel % PAGE_SIZE_4K) / 8);
	} else {
		sb_printf(b, "host data +0x%" PRIx64,
			  (uint64_t)(pa - LAYOUT_HOST_DATA));
		return;
	}
	if (byte != 0)
		sb_printf(b, " byte %u", byte);
}

/* Name what a READX/WRITEX at @off of @wbytes touches. */
static void note_mmio(struct sbuf *b, struct fmt_state *st, uint32_t off,
		      unsigned wbytes, bool write, uint64_t v)
{
	int idx = ops_reg_by_offset(off);
	uint32_t page_off = off & (SMMU_PAGE0_SIZE - 1);

	if (idx >= 0) {
		const struct ops_reg *r = ops_reg((unsigned)idx);

		sb_printf(b, "%s", r->name);
		if (wbytes != r->width) {
			sb_printf(b, " (%u-byte access to a %u-byte register)",
				  wbytes, r->width);
		} else if (write) {
			char tmp[256];
			struct sbuf t = { tmp, sizeof(tmp), 0 };

			tmp[0] = '\0';
			note_reg_value(&t, st, off, v, true);
			if (tmp[0] != '\0')
				sb_printf(b, ": %s", tmp);
		}
		return;
	}
	idx = ops_reg_by_offset(off & ~7U);
	if (idx >= 0 && ops_reg((unsigned)idx)->width == 8) {
		sb_printf(b, "upper half of %s", ops_reg((unsigned)idx)->name);
		return;
	}
	sb_printf(b, "page %u +0x%x: ", off >= SMMU_PAGE0_SIZE ? 1 : 0,
		  page_off);
	if (page_off >= SMMU_PIDR_BASE)
		sb_printf(b, "ID registers");
	else if (page_off >= SMMU_REG_WINDOW)
		sb_printf(b, "outside the register window");
	else
		sb_printf(b, "no register");
}

static void note_own(struct sbuf *b, const struct op *o)
{
	uint64_t pa = ops_own_address(o->a8, o->a32);

	if (o->a32 & OWN_PAGE_OTHER)
		sb_printf(b, "%s address for a %s action, ", ops_own_is_mmio(o->a8) ? "RAM" : "MMIO",
			  ops_own_is_mmio(o->a8) ? "MMIO" : "RAM");
	if (o->a32 & OWN_PAGE_SKEW)
		sb_printf(b, "not page aligned, ");
	if (pa >= LAYOUT_RAM_BASE) {
		sb_printf(b, "RAM page 0x%x, %s", (unsigned)((pa - LAYOUT_RAM_BASE) >> 12),
			  pa < LAYOUT_HOST_BASE ? "hypervisor half" :
			  "host half");
		return;
	}
	sb_printf(b, "MMIO page 0x%x", (unsigned)((pa - LAYOUT_MMIO_BASE) >> 12));
	if (pa >= LAYOUT_SMMU_BASE &&
	    pa < LAYOUT_SMMU_BASE + 4 * LAYOUT_SMMU_STRIDE)
		sb_printf(b, ", SMMU %u page %u",
			  (unsigned)((pa - LAYOUT_SMMU_BASE) /
				     LAYOUT_SMMU_STRIDE),
			  (unsigned)(((pa - LAYOUT_SMMU_BASE) %
				      LAYOUT_SMMU_STRIDE) / SMMU_PAGE0_SIZE));
	else if ((pa & ~(uint64_t)(PAGE_SIZE_4K - 1)) == LAYOUT_UART_BASE)
		sb_printf(b, ", UART");
}

/* The annotation for @o, or nothing. Updates @st. */
static void annotate_op(struct sbuf *b, struct fmt_state *st,
			const struct op *o)
{
	const struct ops_reg *r;
	char tmp[256];
	uint64_t cmd[2];
	unsigned wbytes = 1U << (o->a8 & OP_WIDTH_MASK);

	switch (o->code) {
	case OP_SEL:
		sb_printf(b, "SMMU %u at 0x%" PRIx64, o->a8,
			  (uint64_t)(LAYOUT_SMMU_BASE +
				     o->a8 * LAYOUT_SMMU_STRIDE));
		break;
	case OP_READ:
		sb_printf(b, "offset 0x%x", ops_reg(o->a8)->offset);
		break;
	case OP_WRITE:
		note_reg_value(b, st, ops_reg(o->a8)->offset, o->v0, true);
		break;
	case OP_READX:
	case OP_WRITEX:
		note_mmio(b, st, o->a32, wbytes, o->code == OP_WRITEX, o->v0);
		break;
	case OP_MEM:
	case OP_RACE:
		note_host(b, o->a32, wbytes, o->v0);
		break;
	case OP_OWN:
		note_own(b, o);
		break;
	case OP_RESET:
		if (o->b8 != 0)
			st->log2[st->smmu][Q_CMDQ] = o->b8;
		if (o->d8 != 0)
			st->log2[st->smmu][Q_EVTQ] = o->d8;
		break;
	case OP_CMD:
		cmd[0] = o->v0;
		cmd[1] = o->v1;
		describe_cmd(cmd, tmp, sizeof(tmp));
		sb_printf(b, "%s", tmp);
		break;
	case OP_QPOKE:
		sb_printf(b, "host CMDQ slot %u dw%u", o->a32, o->b8);
		if (o->b8 == 0) {
			const char *name = describe_cmd_name((uint8_t)o->v0);

			sb_printf(b, ": opcode %s", name != NULL ? name :
				  "unknown");
		}
		break;
	case OP_STE:
		describe_ste_dword(o->b8, o->v0, tmp, sizeof(tmp));
		sb_printf(b, "%s", tmp);
		break;
	case OP_L1:
		describe_l1(o->v0, tmp, sizeof(tmp));
		sb_printf(b, "%s", tmp);
		if ((o->v0 & STRTAB_L1_L2PTR_MASK) >= LAYOUT_HOST_L2 &&
		    (o->v0 & STRTAB_L1_L2PTR_MASK) <
			    LAYOUT_HOST_L2 + LAYOUT_L2_SLOTS * LAYOUT_L2_SIZE)
			sb_printf(b, " (host L2 table %u)",
				  (unsigned)(((o->v0 & STRTAB_L1_L2PTR_MASK) -
					      LAYOUT_HOST_L2) /
					     LAYOUT_L2_SIZE));
		break;
	case OP_CD:
		describe_cd_dword(o->b8, o->v0, tmp, sizeof(tmp));
		sb_printf(b, "%s", tmp);
		break;
	case OP_HW:
		describe_hw_field(o->b8, o->a32, tmp, sizeof(tmp));
		sb_printf(b, "%s", tmp);
		break;
	case OP_FDT:
		describe_fdt_edit(o->a8, o->b8, o->a32, tmp, sizeof(tmp));
		sb_printf(b, "%s", tmp);
		break;
	case OP_BOOT:
		describe_boot_step(o->a8, o->a32, tmp, sizeof(tmp));
		sb_printf(b, "%s", tmp);
		break;
	case OP_POLL: {
		struct sbuf t = { tmp, sizeof(tmp), 0 };

		r = ops_reg(o->a8);
		tmp[0] = '\0';
		note_reg_value(&t, st, r->offset, o->b32, false);
		if (tmp[0] != '\0')
			sb_printf(b, "until %s & 0x%x == 0x%x: %s", r->name,
				  o->a32, o->b32, tmp);
		break;
	}
	default:
		break;
	}
}

/* Whether @o is what strict decoding of its own encoding gives back. */
static bool op_valid(const struct op *o, struct ops_diag *diag)
{
	struct ops_header h = { OPS_VERSION, 0, true };
	uint8_t buf[OPS_HEADER_SIZE + 32];
	struct op back;
	size_t len;

	diag->msg[0] = '\0';
	if (ops_op_size(o->code) == 0) {
		snprintf(diag->msg, sizeof(diag->msg), "unknown opcode 0x%02x",
			 o->code);
		return false;
	}
	len = ops_encode(&h, o, 1, buf, sizeof(buf));
	if (ops_decode(buf, len, true, NULL, &back, 1, diag) != 1)
		return false;
	if (back.a8 != o->a8 || back.b8 != o->b8 || back.c8 != o->c8 ||
	    back.d8 != o->d8 || back.a32 != o->a32 || back.b32 != o->b32 ||
	    back.v0 != o->v0 || back.v1 != o->v1) {
		snprintf(diag->msg, sizeof(diag->msg),
			 "a field does not fit its encoding or is unused");
		return false;
	}
	return true;
}

static void print_reset_flags(struct sbuf *b, uint8_t flags)
{
	unsigned i;
	bool any = false;

	for (i = 0; i < ARRAY_SIZE(reset_flag_names); i++) {
		if (flags & (1U << i)) {
			sb_printf(b, "%s%s", any ? "|" : "",
				  reset_flag_names[i]);
			any = true;
		}
	}
	if (!any)
		sb_printf(b, "none");
}

/* The canonical text of a valid op (no newline). */
static void print_op(struct sbuf *b, const struct op *o)
{
	unsigned wbytes = 1U << (o->a8 & OP_WIDTH_MASK);

	sb_printf(b, "%s", op_keywords[o->code]);
	switch (o->code) {
	case OP_SEL:
		sb_printf(b, " %u", o->a8);
		break;
	case OP_READ:
		sb_printf(b, " %s", ops_reg(o->a8)->name);
		break;
	case OP_WRITE:
		sb_printf(b, " %s 0x%" PRIx64, ops_reg(o->a8)->name, o->v0);
		break;
	case OP_READX:
		sb_printf(b, " w%u 0x%x", wbytes, o->a32);
		break;
	case OP_WRITEX:
		sb_printf(b, " w%u 0x%x 0x%" PRIx64, wbytes, o->a32, o->v0);
		break;
	case OP_MEM:
	case OP_RACE:
		sb_printf(b, " w%u 0x%" PRIx64 " 0x%" PRIx64, wbytes,
			  (uint64_t)(LAYOUT_HOST_BASE + o->a32), o->v0);
		break;
	case OP_OWN:
		sb_printf(b, " %s 0x%" PRIx64, own_names[o->a8],
			  ops_own_address(o->a8, o->a32));
		break;
	case OP_DMA:
		sb_printf(b, " sid=0x%x ssid=0x%x iova=0x%" PRIx64 " %s%s",
			  o->a32, o->b32, o->v0,
			  (o->a8 & DMA_F_WRITE) ? "write" : "read",
			  (o->a8 & DMA_F_SSV) ? " ssv" : "");
		break;
	case OP_RESET:
		sb_printf(b, " ");
		print_reset_flags(b, o->a8);
		sb_printf(b, " cmdq=%u strtab=%u evtq=%u", o->b8, o->c8,
			  o->d8);
		break;
	case OP_CMD:
		sb_printf(b, " 0x%016" PRIx64 " 0x%" PRIx64 "%s", o->v0, o->v1,
			  (o->a8 & CMD_F_RING) ? " ring" : "");
		break;
	case OP_QPOKE:
		sb_printf(b, " slot=%u dw=%u 0x%" PRIx64, o->a32, o->b8, o->v0);
		break;
	case OP_STE:
		sb_printf(b, " sid=0x%x dw=%u 0x%" PRIx64, o->a32, o->b8,
			  o->v0);
		break;
	case OP_L1:
		sb_printf(b, " idx=%u 0x%" PRIx64, o->a32, o->v0);
		break;
	case OP_CD:
		sb_printf(b, " idx=%u dw=%u 0x%" PRIx64, o->a32, o->b8, o->v0);
		break;
	case OP_POLL:
		sb_printf(b, " %s mask=0x%x expect=0x%x", ops_reg(o->a8)->name,
			  o->a32, o->b32);
		break;
	case OP_SYNC:
		if (o->a8 & SYNC_F_NOWAIT)
			sb_printf(b, " nowait");
		break;
	case OP_HWMODE:
		sb_printf(b, " %s delay=%u", hwmode_names[o->a8], o->b8);
		break;
	case OP_HW: {
		const struct wd_field *f = wd_field(o->b8);

		/* SMMU_COUNT is the world's: its smmu= only when not 0. */
		if (f->reg != WD_SMMU_COUNT || o->a8 != 0)
			sb_printf(b, " smmu=%u", o->a8);
		sb_printf(b, hw_value_decimal(f) ? " %s=%u" : " %s=0x%x",
			  f->name, o->a32);
		break;
	}
	case OP_FDT:
		sb_printf(b, " %s", wd_fdt_edit_name(o->a8));
		if (fdt_edit_names_node(o->a8) || o->b8 != 0)
			sb_printf(b, " node=%u", o->b8);
		sb_printf(b, " 0x%x", o->a32);
		break;
	case OP_BOOT:
		sb_printf(b, " %s", wd_boot_step_name(o->a8));
		if (boot_step_takes_arg(o->a8) || o->a32 != 0)
			sb_printf(b, o->a32 < 0x10000 ? " %u" : " 0x%x",
				  o->a32);
		break;
	default:
		break;
	}
}

/**
 * Print the header line and @n ops, one per line, with "# ..." field
 * annotations when @annotate. The ops are expected to be valid (as
 * ops_decode returns them); an invalid one is printed as an "invalid" line
 * that ops_parse_text refuses, so a round trip never silently changes it.
 * Returns the length of the whole text (snprintf-style; may exceed @cap).
 */
size_t ops_format_text(const struct ops_header *hdr, const struct op *ops,
		       size_t n, bool annotate, char *out, size_t cap)
{
	struct sbuf b = { out, out != NULL ? cap : 0, 0 };
	struct fmt_state st;
	unsigned profile = hdr != NULL && hdr->present ? hdr->profile : 0;
	const char *pname = ops_profile_name(profile);
	size_t k;

	if (b.cap > 0)
		out[0] = '\0';
	memset(&st, LOG2_UNKNOWN, sizeof(st));
	st.smmu = 0;
	/* The version the binary encoding carries: an old file stays old. */
	if (pname != NULL)
		sb_printf(&b, "smfz %u profile=%s\n",
			  ops_encoding_version(hdr, ops, n), pname);
	else
		sb_printf(&b, "smfz %u profile=%u\n",
			  ops_encoding_version(hdr, ops, n), profile);
	if (ops == NULL)
		n = 0;
	for (k = 0; k < n; k++) {
		const struct op *o = &ops[k];
		struct ops_diag why;
		size_t start = b.len, before;

		if (!op_valid(o, &why)) {
			sb_printf(&b, "invalid op 0x%02x  # %s\n", o->code,
				  why.msg);
			continue;
		}
		print_op(&b, o);
		if (o->code == OP_SEL)
			st.smmu = o->a8;
		if (annotate) {
			char note[512];
			struct sbuf nb = { note, sizeof(note), 0 };

			note[0] = '\0';
			annotate_op(&nb, &st, o);
			before = b.len - start;
			if (note[0] != '\0')
				sb_printf(&b, "%*s# %s",
					  before < ANNOTATE_COL ?
					  (int)(ANNOTATE_COL - before) : 1, "",
					  note);
		}
		sb_printf(&b, "\n");
	}
	return b.len;
}

/* ---- Parsing ------------------------------------------------------------ */

#define LINE_CAP	1024U
#define TOKENS_MAX	32U

struct line {
	char raw[LINE_CAP];	/* without comment and trailing blanks */
	char buf[LINE_CAP];	/* the same, split into tokens in place */
	char *tok[TOKENS_MAX];
	size_t tok_off[TOKENS_MAX];	/* offset of each token in raw */
	unsigned count;
};

struct pctx {
	unsigned line;		/* 1-based */
	size_t line_off;	/* byte offset of the line in the text */
	struct ops_diag *diag;
	unsigned version;	/* the header's */
};

static int perr(struct pctx *c, enum ops_error e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct pctx *c, enum ops_error e, const char *fmt, ...)
{
	size_t cap = sizeof(c->diag->msg);
	va_list ap;
	int n;

	if (c->diag == NULL)
		return -1;
	c->diag->err = e;
	c->diag->offset = c->line_off;
	n = snprintf(c->diag->msg, cap, "line %u: ", c->line);
	if (n > 0 && (size_t)n < cap) {
		va_start(ap, fmt);
		vsnprintf(c->diag->msg + n, cap - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Split @text[0..len) into @l; -1 when a line or token limit is hit. */
static int line_split(struct pctx *c, const char *text, size_t len,
		      struct line *l)
{
	size_t i, n = 0;
	bool in_tok = false;

	if (len >= LINE_CAP)
		return perr(c, OPS_E_FIELD, "line too long (at most %u "
			    "characters)", LINE_CAP - 1);
	for (i = 0; i < len && text[i] != '#'; i++)
		l->raw[n++] = text[i] == '\t' || text[i] == '\r' ? ' ' :
			      text[i];
	while (n > 0 && l->raw[n - 1] == ' ')
		n--;
	l->raw[n] = '\0';
	memcpy(l->buf, l->raw, n + 1);
	l->count = 0;
	for (i = 0; i < n; i++) {
		if (l->buf[i] == ' ') {
			l->buf[i] = '\0';
			in_tok = false;
		} else if (!in_tok) {
			if (l->count >= TOKENS_MAX)
				return perr(c, OPS_E_FIELD, "too many words "
					    "(at most %u)", TOKENS_MAX);
			l->tok[l->count] = &l->buf[i];
			l->tok_off[l->count] = i;
			l->count++;
			in_tok = true;
		}
	}
	return 0;
}

static int num(struct pctx *c, const char *s, const char *what, uint64_t max,
	       uint64_t *v)
{
	if (describe_parse_number(s, v) != 0)
		return perr(c, OPS_E_FIELD, "bad number '%s' for %s", s, what);
	if (*v > max)
		return perr(c, OPS_E_FIELD, "%s %s out of range (0..0x%" PRIx64
			    ")", what, s, max);
	return 0;
}

static int width_arg(struct pctx *c, const char *s, uint8_t *a8)
{
	static const char *const w[] = { "w1", "w2", "w4", "w8" };
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(w); i++) {
		if (word_eq(s, w[i])) {
			*a8 = (uint8_t)i;
			return 0;
		}
	}
	return perr(c, OPS_E_FIELD, "bad access width '%s' (w1 w2 w4 w8)", s);
}

static int reg_arg(struct pctx *c, const char *s, uint8_t *a8)
{
	uint64_t v;
	int idx = ops_reg_find(s);

	if (idx < 0 && describe_parse_number(s, &v) == 0) {
		if (v >= ops_reg_count())
			return perr(c, OPS_E_FIELD, "register index %s out of "
				    "range (0..%u)", s, ops_reg_count() - 1);
		idx = (int)v;
	}
	if (idx < 0)
		return perr(c, OPS_E_FIELD, "unknown register '%s'", s);
	*a8 = (uint8_t)idx;
	return 0;
}

/* Name among @names (case-insensitive) or a number below @count. */
static int name_arg(struct pctx *c, const char *s, const char *what,
		    const char *const *names, unsigned count, uint8_t *out)
{
	uint64_t v;
	unsigned i;

	for (i = 0; i < count; i++) {
		if (names[i] != NULL && word_eq(s, names[i])) {
			*out = (uint8_t)i;
			return 0;
		}
	}
	if (describe_parse_number(s, &v) == 0 && v < count) {
		*out = (uint8_t)v;
		return 0;
	}
	return perr(c, OPS_E_FIELD, "unknown %s '%s'", what, s);
}

struct kv {
	const char *key;
	uint64_t max;
	uint64_t val;
	bool seen;
};

/* If @tok is "key=value" for one of @kvs, store it; 1 if taken, 0 if not. */
static int kv_take(struct pctx *c, const char *tok, struct kv *kvs,
		   unsigned count)
{
	const char *eq = strchr(tok, '=');
	char key[32];
	size_t klen;
	unsigned i;

	if (eq == NULL)
		return 0;
	klen = (size_t)(eq - tok);
	if (klen >= sizeof(key))
		return 0;
	memcpy(key, tok, klen);
	key[klen] = '\0';
	for (i = 0; i < count; i++) {
		if (!word_eq(key, kvs[i].key))
			continue;
		if (kvs[i].seen)
			return perr(c, OPS_E_FIELD, "%s given twice",
				    kvs[i].key);
		if (num(c, eq + 1, kvs[i].key, kvs[i].max, &kvs[i].val) != 0)
			return -1;
		kvs[i].seen = true;
		return 1;
	}
	return 0;
}

/* Take leading key=value tokens from @first on; returns the next index. */
static int kv_leading(struct pctx *c, const struct line *l, unsigned first,
		      struct kv *kvs, unsigned count)
{
	unsigned k;

	for (k = first; k < l->count; k++) {
		int r = kv_take(c, l->tok[k], kvs, count);

		if (r < 0)
			return -1;
		if (r == 0)
			break;
	}
	return (int)k;
}

static int need_tokens(struct pctx *c, const struct line *l, unsigned min,
		       unsigned max, const char *usage)
{
	if (l->count < min)
		return perr(c, OPS_E_FIELD, "missing argument (usage: %s)",
			    usage);
	if (l->count > max && max < TOKENS_MAX)
		return perr(c, OPS_E_FIELD, "unexpected '%s' (usage: %s)",
			    l->tok[max], usage);
	return 0;
}

/* The text from token @k to the end of the line, or NULL if none. */
static const char *rest(const struct line *l, unsigned k)
{
	return k < l->count ? &l->raw[l->tok_off[k]] : NULL;
}

static int host_pa_arg(struct pctx *c, const char *s, uint8_t a8,
		       uint32_t *off)
{
	uint64_t pa, wbytes = 1ULL << a8;

	if (describe_parse_number(s, &pa) != 0)
		return perr(c, OPS_E_FIELD, "bad address '%s'", s);
	if (pa < LAYOUT_HOST_BASE || pa >= LAYOUT_HOST_BASE + LAYOUT_HOST_SIZE)
		return perr(c, OPS_E_FIELD, "address %s outside host RAM "
			    "(0x%llx..0x%llx)", s,
			    (unsigned long long)LAYOUT_HOST_BASE,
			    (unsigned long long)(LAYOUT_HOST_BASE +
						 LAYOUT_HOST_SIZE - 1));
	if (pa & (wbytes - 1))
		return perr(c, OPS_E_FIELD, "address %s not aligned to the "
			    "access width (%u bytes)", s, (unsigned)wbytes);
	*off = (uint32_t)(pa - LAYOUT_HOST_BASE);
	return 0;
}

static int mmio_off_arg(struct pctx *c, const char *s, uint8_t a8,
			uint32_t *off)
{
	uint64_t v, wbytes = 1ULL << a8;

	if (num(c, s, "MMIO offset", OP_MMIO_OFF_MASK, &v) != 0)
		return -1;
	if (v & (wbytes - 1))
		return perr(c, OPS_E_FIELD, "MMIO offset %s not aligned to the "
			    "access width (%u bytes)", s, (unsigned)wbytes);
	*off = (uint32_t)v;
	return 0;
}

static int value_fields(struct pctx *c, int r, const char *err)
{
	return r == 0 ? 0 : perr(c, OPS_E_FIELD, "%s", err);
}

static int parse_reset(struct pctx *c, const struct line *l, struct op *o)
{
	struct kv kvs[] = {
		{ "cmdq", Q_MAX_LOG2SIZE, 0, false },
		{ "strtab", 32, 0, false },
		{ "evtq", Q_MAX_LOG2SIZE, 0, false },
	};
	bool have_flags = false;
	unsigned k;

	for (k = 1; k < l->count; k++) {
		const char *t = l->tok[k];
		char word[16];
		size_t p = 0, wn;
		uint64_t v;
		int r = kv_take(c, t, kvs, ARRAY_SIZE(kvs));

		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (have_flags || strchr(t, '=') != NULL)
			return perr(c, OPS_E_FIELD, "unexpected '%s' (usage: "
				    "reset FLAGS cmdq=N strtab=N evtq=N)", t);
		have_flags = true;
		if (word_eq(t, "none"))
			continue;
		if (describe_parse_number(t, &v) == 0) {
			if (v & ~(uint64_t)RESET_F_MASK)
				return perr(c, OPS_E_FIELD, "RESET flags %s "
					    "out of range (0..0x%x)", t,
					    RESET_F_MASK);
			o->a8 = (uint8_t)v;
			continue;
		}
		/* Flag names joined by '|'; each round eats one name. */
		while (t[p] != '\0') {
			uint8_t bit = 0;

			wn = strcspn(t + p, "|");
			if (wn == 0 || wn >= sizeof(word))
				return perr(c, OPS_E_FIELD, "bad RESET flags "
					    "'%s'", t);
			memcpy(word, t + p, wn);
			word[wn] = '\0';
			if (name_arg(c, word, "RESET flag", reset_flag_names,
				     ARRAY_SIZE(reset_flag_names), &bit) != 0)
				return -1;
			o->a8 |= (uint8_t)(1U << bit);
			p += wn;
			if (t[p] == '|')
				p++;
		}
	}
	o->b8 = (uint8_t)kvs[0].val;
	o->c8 = (uint8_t)kvs[1].val;
	o->d8 = (uint8_t)kvs[2].val;
	return 0;
}

static int parse_dma(struct pctx *c, const struct line *l, struct op *o)
{
	struct kv kvs[] = {
		{ "sid", UINT32_MAX, 0, false },
		{ "ssid", UINT32_MAX, 0, false },
		{ "iova", UINT64_MAX, 0, false },
	};
	bool dir = false, ssv = false;
	unsigned k;

	for (k = 1; k < l->count; k++) {
		const char *t = l->tok[k];
		int r = kv_take(c, t, kvs, ARRAY_SIZE(kvs));

		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (!dir && (word_eq(t, "read") || word_eq(t, "write"))) {
			dir = true;
			if (word_eq(t, "write"))
				o->a8 |= DMA_F_WRITE;
		} else if (!ssv && word_eq(t, "ssv")) {
			ssv = true;
			o->a8 |= DMA_F_SSV;
		} else {
			return perr(c, OPS_E_FIELD, "unexpected '%s' (usage: "
				    "dma sid=N ssid=N iova=A read|write [ssv])",
				    t);
		}
	}
	o->a32 = (uint32_t)kvs[0].val;
	o->b32 = (uint32_t)kvs[1].val;
	o->v0 = kvs[2].val;
	return 0;
}

static int parse_cmd(struct pctx *c, const struct line *l, struct op *o)
{
	char sym[LINE_CAP], err[128];
	uint64_t cmd[2], v;
	size_t n = 0;
	unsigned k;

	if (l->count < 2)
		return perr(c, OPS_E_FIELD, "missing argument (usage: cmd DW0 "
			    "DW1 [ring] or cmd NAME field=value... [ring])");
	if (describe_parse_number(l->tok[1], &v) == 0) {
		if (need_tokens(c, l, 3, 4, "cmd DW0 DW1 [ring]") != 0)
			return -1;
		o->v0 = v;
		if (num(c, l->tok[2], "dw1", UINT64_MAX, &o->v1) != 0)
			return -1;
		if (l->count == 4) {
			if (!word_eq(l->tok[3], "ring"))
				return perr(c, OPS_E_FIELD, "unexpected '%s' "
					    "(usage: cmd DW0 DW1 [ring])",
					    l->tok[3]);
			o->a8 = CMD_F_RING;
		}
		return 0;
	}
	for (k = 1; k < l->count; k++) {
		size_t tl = strlen(l->tok[k]);

		if (word_eq(l->tok[k], "ring")) {
			if (o->a8 & CMD_F_RING)
				return perr(c, OPS_E_FIELD, "ring given twice");
			o->a8 = CMD_F_RING;
			continue;
		}
		memcpy(sym + n, l->tok[k], tl);
		n += tl;
		sym[n++] = ' ';
	}
	sym[n > 0 ? n - 1 : 0] = '\0';
	if (describe_parse_cmd(sym, cmd, err, sizeof(err)) != 0)
		return perr(c, OPS_E_FIELD, "%s", err);
	o->v0 = cmd[0];
	o->v1 = cmd[1];
	return 0;
}

/* Split "key=value" at the '=' into @key (NUL-terminated); NULL if no '='. */
static const char *split_kv(const char *tok, char *key, size_t cap)
{
	const char *eq = strchr(tok, '=');
	size_t n;

	if (eq == NULL)
		return NULL;
	n = (size_t)(eq - tok);
	if (n >= cap)
		n = cap - 1;
	memcpy(key, tok, n);
	key[n] = '\0';
	return eq + 1;
}

#define HW_USAGE "hw [smmu=N] FIELD=VALUE"

/* hw [smmu=N] FIELD=VALUE, in any order. */
static int parse_hw(struct pctx *c, const struct line *l, struct op *o)
{
	bool have_smmu = false, have_field = false;
	char key[64];
	unsigned k;

	for (k = 1; k < l->count; k++) {
		const char *t = l->tok[k], *val = split_kv(t, key, sizeof(key));
		const struct wd_field *f;
		uint64_t v;
		int idx;

		if (val != NULL && word_eq(key, "smmu")) {
			if (have_smmu)
				return perr(c, OPS_E_FIELD, "smmu given twice");
			if (num(c, val, "SMMU index", WORLD_MAX_SMMU - 1U, &v) != 0)
				return -1;
			o->a8 = (uint8_t)v;
			have_smmu = true;
			continue;
		}
		idx = wd_field_find(val != NULL ? key : t);
		if (idx < 0)
			return perr(c, OPS_E_FIELD, "unknown HW field '%s' "
				    "(usage: " HW_USAGE ")",
				    val != NULL ? key : t);
		f = wd_field((unsigned)idx);
		if (have_field)
			return perr(c, OPS_E_FIELD, "unexpected '%s': one field "
				    "per line (usage: " HW_USAGE ")", t);
		if (val == NULL || val[0] == '\0')
			return perr(c, OPS_E_FIELD, "missing value for HW field "
				    "%s (usage: " HW_USAGE ")", f->name);
		if (num(c, val, f->name, f->max, &v) != 0)
			return -1;
		o->b8 = (uint8_t)idx;
		o->a32 = (uint32_t)v;
		have_field = true;
	}
	if (!have_field)
		return perr(c, OPS_E_FIELD, "missing argument (usage: "
			    HW_USAGE ")");
	return 0;
}

#define FDT_USAGE "fdt EDIT [node=N] VALUE"

/* fdt EDIT [node=N] VALUE, node= before or after the value. */
static int parse_fdt(struct pctx *c, const struct line *l, struct op *o)
{
	struct kv kvs[] = { { "node", WORLD_MAX_SMMU - 1U, 0, false } };
	bool have_value = false;
	uint64_t v;
	unsigned k;
	int kind;

	if (l->count < 2)
		return perr(c, OPS_E_FIELD, "missing argument (usage: "
			    FDT_USAGE ")");
	kind = wd_fdt_edit_find(l->tok[1]);
	if (kind < 0 && describe_parse_number(l->tok[1], &v) == 0 &&
	    v < FDT_EDIT_COUNT)
		kind = (int)v;
	if (kind < 0)
		return perr(c, OPS_E_FIELD, "unknown FDT edit '%s'", l->tok[1]);
	o->a8 = (uint8_t)kind;
	for (k = 2; k < l->count; k++) {
		int r = kv_take(c, l->tok[k], kvs, ARRAY_SIZE(kvs));

		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (have_value || strchr(l->tok[k], '=') != NULL)
			return perr(c, OPS_E_FIELD, "unexpected '%s' (usage: "
				    FDT_USAGE ")", l->tok[k]);
		if (num(c, l->tok[k], "FDT value", UINT32_MAX, &v) != 0)
			return -1;
		o->a32 = (uint32_t)v;
		have_value = true;
	}
	if (!have_value)
		return perr(c, OPS_E_FIELD, "missing value for FDT edit %s "
			    "(usage: " FDT_USAGE ")", wd_fdt_edit_name(o->a8));
	o->b8 = (uint8_t)kvs[0].val;
	return 0;
}

/* boot STEP [ARG] */
static int parse_boot(struct pctx *c, const struct line *l, struct op *o)
{
	uint64_t v;
	int step;

	if (need_tokens(c, l, 2, 3, "boot STEP [ARG]") != 0)
		return -1;
	step = wd_boot_step_find(l->tok[1]);
	if (step < 0 && describe_parse_number(l->tok[1], &v) == 0 &&
	    v < BOOT_STEP_COUNT)
		step = (int)v;
	if (step < 0)
		return perr(c, OPS_E_FIELD, "unknown boot step '%s' (setup "
			    "register init remove deprivilege)", l->tok[1]);
	o->a8 = (uint8_t)step;
	if (l->count == 3) {
		if (num(c, l->tok[2], "BOOT arg", UINT32_MAX, &v) != 0)
			return -1;
		o->a32 = (uint32_t)v;
	}
	return 0;
}

/* One op line (not the header) into @o. */
static int parse_op(struct pctx *c, const struct line *l, struct op *o)
{
	char err[128];
	uint64_t v;
	unsigned code;
	int k;

	for (code = 0; code <= OP_CODE_MAX; code++) {
		if (op_keywords[code] != NULL &&
		    word_eq(l->tok[0], op_keywords[code]))
			break;
	}
	if (code > OP_CODE_MAX)
		return perr(c, OPS_E_OPCODE, "unknown op '%s'", l->tok[0]);
	if (ops_op_version((uint8_t)code) > c->version)
		return perr(c, OPS_E_OPCODE, "'%s' is a version %u op, the "
			    "header says 'smfz %u' (write 'smfz %u')",
			    op_keywords[code], ops_op_version((uint8_t)code),
			    c->version, OPS_VERSION);
	o->code = (uint8_t)code;
	err[0] = '\0';

	switch (code) {
	case OP_SEL:
		if (need_tokens(c, l, 2, 2, "sel N") != 0 ||
		    num(c, l->tok[1], "SMMU index", 3, &v) != 0)
			return -1;
		o->a8 = (uint8_t)v;
		return 0;
	case OP_READ:
		if (need_tokens(c, l, 2, 2, "read REG") != 0)
			return -1;
		return reg_arg(c, l->tok[1], &o->a8);
	case OP_WRITE:
		if (need_tokens(c, l, 3, TOKENS_MAX, "write REG VALUE") != 0 ||
		    reg_arg(c, l->tok[1], &o->a8) != 0)
			return -1;
		return value_fields(c, describe_parse_reg_fields(
			ops_reg(o->a8)->offset, rest(l, 2), &o->v0, err,
			sizeof(err)), err);
	case OP_READX:
		if (need_tokens(c, l, 3, 3, "readx wN OFFSET") != 0 ||
		    width_arg(c, l->tok[1], &o->a8) != 0)
			return -1;
		return mmio_off_arg(c, l->tok[2], o->a8, &o->a32);
	case OP_WRITEX:
		if (need_tokens(c, l, 4, TOKENS_MAX,
				"writex wN OFFSET VALUE") != 0 ||
		    width_arg(c, l->tok[1], &o->a8) != 0 ||
		    mmio_off_arg(c, l->tok[2], o->a8, &o->a32) != 0)
			return -1;
		if (ops_reg_by_offset(o->a32) >= 0)
			return value_fields(c, describe_parse_reg_fields(
				o->a32, rest(l, 3), &o->v0, err, sizeof(err)),
				err);
		if (need_tokens(c, l, 4, 4, "writex wN OFFSET VALUE") != 0)
			return -1;
		return num(c, l->tok[3], "value", UINT64_MAX, &o->v0);
	case OP_MEM:
	case OP_RACE:
		if (need_tokens(c, l, 4, 4, code == OP_MEM ?
				"mem wN ADDRESS VALUE" :
				"race wN ADDRESS VALUE") != 0 ||
		    width_arg(c, l->tok[1], &o->a8) != 0 ||
		    host_pa_arg(c, l->tok[2], o->a8, &o->a32) != 0)
			return -1;
		return num(c, l->tok[3], "value", UINT64_MAX, &o->v0);
	case OP_OWN:
		if (need_tokens(c, l, 3, 3, "own ACTION ADDRESS") != 0 ||
		    name_arg(c, l->tok[1], "ownership action", own_names,
			     OWN_ACTION_COUNT, &o->a8) != 0)
			return -1;
		if (describe_parse_number(l->tok[2], &v) != 0)
			return perr(c, OPS_E_FIELD, "bad address '%s'",
				    l->tok[2]);
		/* Either window; page aligned or half a page in. */
		if (ops_own_page(o->a8, v, &o->a32) != 0)
			return perr(c, OPS_E_FIELD, "address %s is not a page (or "
				    "page + 0x800) of RAM or the MMIO window",
				    l->tok[2]);
		return 0;
	case OP_DMA:
		return parse_dma(c, l, o);
	case OP_RESET:
		return parse_reset(c, l, o);
	case OP_CMD:
		return parse_cmd(c, l, o);
	case OP_QPOKE: {
		struct kv kvs[] = {
			{ "slot", 0xFFFF, 0, false },
			{ "dw", CMDQ_ENT_DWORDS - 1, 0, false },
		};

		k = kv_leading(c, l, 1, kvs, ARRAY_SIZE(kvs));
		if (k < 0)
			return -1;
		if (need_tokens(c, l, (unsigned)k + 1, (unsigned)k + 1,
				"qpoke slot=N dw=N VALUE") != 0 ||
		    num(c, l->tok[k], "value", UINT64_MAX, &o->v0) != 0)
			return -1;
		o->a32 = (uint32_t)kvs[0].val;
		o->b8 = (uint8_t)kvs[1].val;
		return 0;
	}
	case OP_STE:
	case OP_CD: {
		struct kv kvs[] = {
			{ code == OP_STE ? "sid" : "idx",
			  code == OP_STE ? UINT32_MAX : 0xFFFF, 0, false },
			{ "dw", 7, 0, false },
		};
		int r;

		k = kv_leading(c, l, 1, kvs, ARRAY_SIZE(kvs));
		if (k < 0)
			return -1;
		if (need_tokens(c, l, (unsigned)k + 1, TOKENS_MAX,
				code == OP_STE ? "ste sid=N dw=N VALUE|FIELDS" :
				"cd idx=N dw=N VALUE|FIELDS") != 0)
			return -1;
		o->a32 = (uint32_t)kvs[0].val;
		o->b8 = (uint8_t)kvs[1].val;
		if (code == OP_STE)
			r = describe_parse_ste_fields(o->b8,
						      rest(l, (unsigned)k),
						      &o->v0, err, sizeof(err));
		else
			r = describe_parse_cd_fields(o->b8,
						     rest(l, (unsigned)k),
						     &o->v0, err, sizeof(err));
		return value_fields(c, r, err);
	}
	case OP_L1: {
		struct kv kvs[] = { { "idx", UINT32_MAX, 0, false } };

		k = kv_leading(c, l, 1, kvs, ARRAY_SIZE(kvs));
		if (k < 0)
			return -1;
		if (need_tokens(c, l, (unsigned)k + 1, TOKENS_MAX,
				"l1 idx=N VALUE|FIELDS") != 0)
			return -1;
		o->a32 = (uint32_t)kvs[0].val;
		return value_fields(c, describe_parse_l1_fields(
			rest(l, (unsigned)k), &o->v0, err, sizeof(err)), err);
	}
	case OP_POLL: {
		struct kv kvs[] = {
			{ "mask", UINT32_MAX, UINT32_MAX, false },
			{ "expect", UINT32_MAX, 0, false },
		};

		if (l->count < 2)
			return perr(c, OPS_E_FIELD, "missing argument (usage: "
				    "poll REG mask=N expect=N)");
		if (reg_arg(c, l->tok[1], &o->a8) != 0)
			return -1;
		k = kv_leading(c, l, 2, kvs, ARRAY_SIZE(kvs));
		if (k < 0 || need_tokens(c, l, 0, (unsigned)k,
					 "poll REG mask=N expect=N") != 0)
			return -1;
		o->a32 = (uint32_t)kvs[0].val;
		o->b32 = (uint32_t)kvs[1].val;
		return 0;
	}
	case OP_SYNC:
		if (need_tokens(c, l, 1, 2, "sync [nowait]") != 0)
			return -1;
		if (l->count == 2) {
			if (!word_eq(l->tok[1], "nowait"))
				return perr(c, OPS_E_FIELD, "unexpected '%s' "
					    "(usage: sync [nowait])",
					    l->tok[1]);
			o->a8 = SYNC_F_NOWAIT;
		}
		return 0;
	case OP_HWMODE: {
		struct kv kvs[] = { { "delay", 0xFF, 0, false } };

		if (l->count < 2)
			return perr(c, OPS_E_FIELD, "missing argument (usage: "
				    "hwmode prompt|slow|stuck [delay=N])");
		if (name_arg(c, l->tok[1], "HWMODE mode", hwmode_names,
			     ARRAY_SIZE(hwmode_names), &o->a8) != 0)
			return -1;
		k = kv_leading(c, l, 2, kvs, ARRAY_SIZE(kvs));
		if (k < 0 || need_tokens(c, l, 0, (unsigned)k,
					 "hwmode MODE [delay=N]") != 0)
			return -1;
		o->b8 = (uint8_t)kvs[0].val;
		return 0;
	}
	case OP_HW:
		return parse_hw(c, l, o);
	case OP_FDT:
		return parse_fdt(c, l, o);
	case OP_BOOT:
		return parse_boot(c, l, o);
	default:
		return perr(c, OPS_E_OPCODE, "unknown op '%s'", l->tok[0]);
	}
}

static int parse_header(struct pctx *c, const struct line *l,
			struct ops_header *h)
{
	uint64_t v;
	unsigned k;
	int p;

	if (!word_eq(l->tok[0], "smfz"))
		return perr(c, OPS_E_MAGIC, "expected the header 'smfz %u "
			    "profile=NAME' before '%s'", OPS_VERSION, l->tok[0]);
	if (l->count < 2 || describe_parse_number(l->tok[1], &v) != 0)
		return perr(c, OPS_E_VERSION, "header needs a version "
			    "('smfz %u profile=NAME')", OPS_VERSION);
	if (v < OPS_VERSION_MIN || v > OPS_VERSION)
		return perr(c, OPS_E_VERSION, "unsupported version %s (this "
			    "build reads versions %u..%u)", l->tok[1],
			    OPS_VERSION_MIN, OPS_VERSION);
	h->version = (uint8_t)v;
	c->version = (unsigned)v;
	h->profile = 0;
	h->present = true;
	for (k = 2; k < l->count; k++) {
		const char *t = l->tok[k];

		if (strncmp(t, "profile=", 8) != 0 &&
		    strncmp(t, "PROFILE=", 8) != 0)
			return perr(c, OPS_E_FIELD, "unexpected '%s' in header",
				    t);
		p = ops_profile_find(t + 8);
		if (p < 0 && describe_parse_number(t + 8, &v) == 0 &&
		    v < ops_profile_count())
			p = (int)v;
		if (p < 0)
			return perr(c, OPS_E_PROFILE, "unknown profile '%s'",
				    t + 8);
		h->profile = (uint8_t)p;
	}
	return 0;
}

/**
 * Assemble the text form into ops (see docs/op-stream.md). The first
 * non-blank, non-comment line must be the header. Returns the number of
 * ops, or -1 with "line N: problem" in @diag (offset = the line's first byte).
 */
int ops_parse_text(const char *text, struct ops_header *hdr, struct op *ops,
		   size_t max, struct ops_diag *diag)
{
	struct line l;
	struct ops_header h = { OPS_VERSION, 0, false };
	struct pctx c = { 0, 0, diag, OPS_VERSION };
	size_t len, pos = 0, count = 0, at = OPS_HEADER_SIZE;

	if (diag != NULL) {
		diag->err = OPS_OK;
		diag->offset = 0;
		diag->msg[0] = '\0';
	}
	if (text == NULL)
		text = "";
	if (ops == NULL)
		max = 0;
	if (max > OPS_MAX_OPS)
		max = OPS_MAX_OPS;
	len = strlen(text);

	/* Each iteration consumes one line (at least its newline). */
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl != NULL ? (size_t)(nl - (text + pos)) :
			    len - pos;
		struct op o;

		c.line++;
		c.line_off = pos;
		if (line_split(&c, text + pos, ll, &l) != 0)
			return -1;
		pos += ll + 1;
		if (l.count == 0)
			continue;
		if (!h.present) {
			if (parse_header(&c, &l, &h) != 0)
				return -1;
			continue;
		}
		memset(&o, 0, sizeof(o));
		if (parse_op(&c, &l, &o) != 0)
			return -1;
		if (count >= max)
			return perr(&c, OPS_E_TOO_LONG, "too many ops (at most "
				    "%zu)", max);
		o.at = (uint32_t)at;
		at += ops_op_size(o.code);
		ops[count++] = o;
	}
	if (!h.present) {
		c.line = c.line > 0 ? c.line : 1;
		return perr(&c, OPS_E_MAGIC, "missing the header 'smfz %u "
			    "profile=NAME'", OPS_VERSION);
	}
	if (hdr != NULL)
		*hdr = h;
	return (int)count;
}
