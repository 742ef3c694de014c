/* SPDX-License-Identifier: MIT */
/*
 * Field describers (host-only): SMMUv3 register values, commands, STEs, CDs
 * and L1 descriptors as named fields, and back.
 */
#include <ctype.h>
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

/*
 * IDR3 fields beyond HAD and RIL, as QEMU's model lists them
 * (smmuv3-facts.md section 1.1); only used to name bits in annotations.
 */
#define D_IDR3_PBHA	BIT(3)
#define D_IDR3_XNX	BIT(4)
#define D_IDR3_PPS	BIT(5)
#define D_IDR3_MPAM	BIT(7)
#define D_IDR3_FWB	BIT(8)
#define D_IDR3_STT	BIT(9)
#define D_IDR3_BBML	GENMASK(12, 11)
#define D_IDR3_E0PD	BIT(13)
#define D_IDR3_PTWNNC	BIT(14)
#define D_IDR3_DPT	BIT(15)

/*
 * PROD/CONS wrap+index bits: an index of at most Q_MAX_LOG2SIZE bits and
 * the wrap flag above it (smmuv3-facts.md section 2.2). Which bit is the
 * wrap flag depends on the queue's LOG2SIZE, which the value alone does not
 * carry.
 */
#define D_Q_PTR		GENMASK(Q_MAX_LOG2SIZE, 0)

/* ---- Output ------------------------------------------------------------- */

static void set_err(char *err, size_t errcap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errcap, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errcap == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errcap, fmt, ap);
	va_end(ap);
}

static bool name_eq(const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < 256; i++) {
		if (toupper((unsigned char)a[i]) !=
		    toupper((unsigned char)b[i]))
			return false;
		if (a[i] == '\0')
			return true;
	}
	return false;
}

static bool has_prefix_nocase(const char *s, const char *prefix)
{
	size_t i;

	for (i = 0; prefix[i] != '\0' && i < 64; i++) {
		if (toupper((unsigned char)s[i]) !=
		    toupper((unsigned char)prefix[i]))
			return false;
	}
	return true;
}

/**
 * Parse a whole string as an unsigned number: decimal, or hex after "0x".
 * Returns 0, or -1 for anything else (empty, junk, overflow).
 */
int describe_parse_number(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10, digits = 0;
	size_t i = 0;

	if (s == NULL)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	for (; s[i] != '\0' && i < 64; i++) {
		unsigned d;
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
		digits++;
	}
	if (digits == 0 || s[i] != '\0')
		return -1;
	*out = v;
	return 0;
}

/* ---- Field tables ------------------------------------------------------- */

enum fkind {
	FK_FLAG,	/* one bit: bare name when set, nothing when clear */
	FK_BIT,		/* one bit: always NAME=0 or NAME=1 */
	FK_DEC,		/* NAME=decimal (or the value's name) */
	FK_HEX,		/* NAME=0xhex */
	FK_ADDR,	/* NAME=0x... of the bits in place (an address) */
};

struct field {
	const char *name;
	uint64_t mask;
	uint8_t kind;		/* enum fkind */
	bool always;		/* shown even when zero */
	const char *const *vnames;	/* by value; entries may be NULL */
	uint8_t vname_count;
};

#define F_FLAG(n, m)		{ n, m, FK_FLAG, false, NULL, 0 }
#define F_BIT(n, m)		{ n, m, FK_BIT, true, NULL, 0 }
#define F_DEC(n, m)		{ n, m, FK_DEC, false, NULL, 0 }
#define F_DECA(n, m)		{ n, m, FK_DEC, true, NULL, 0 }
#define F_HEXA(n, m)		{ n, m, FK_HEX, true, NULL, 0 }
#define F_ADDR(n, m)		{ n, m, FK_ADDR, true, NULL, 0 }
#define F_ENUM(n, m, v, a)	{ n, m, FK_DEC, a, v, ARRAY_SIZE(v) }

struct ftab {
	const char *what;	/* for messages: "CR0", "STE dword 0" */
	const struct field *f;
	unsigned count;
};

#define FTAB(what, arr) { what, arr, ARRAY_SIZE(arr) }

/* Value names shared by several fields. */
static const char *const v_cache[] = { "NC", "WB", "WT", NULL };
static const char *const v_sh[] = { "NSH", NULL, "OSH", "ISH" };
static const char *const v_oas[] = { "32bit", "36bit", "40bit", "42bit",
				     "44bit", "48bit", "52bit" };
static const char *const v_tg[] = { "4k", "64k", "16k" };
static const char *const v_ttf[] = { NULL, "aa32", "aa64", "aa32_64" };
static const char *const v_ttendian[] = { "mixed", NULL, "le", "be" };
static const char *const v_st_lvl[] = { "linear", "2lvl" };
static const char *const v_vax[] = { "48bit", "52bit" };
static const char *const v_strtab_fmt[] = { "linear", "2lvl" };
static const char *const v_cerror[] = { "CERROR_NONE", "CERROR_ILL",
					"CERROR_ABT", "CERROR_ATC_INV_SYNC" };
static const char *const v_ste_cfg[] = { "ABORT", NULL, NULL, NULL, "BYPASS",
					 "S1_TRANS", "S2_TRANS", "NESTED" };
static const char *const v_s1dss[] = { "terminate", "bypass", "ssid0" };
static const char *const v_strw[] = { "NSEL1", NULL, "EL2", "EL2_E2H" };
static const char *const v_shcfg[] = { NULL, "incoming" };

static const struct field f_idr0[] = {
	F_FLAG("S2P", IDR0_S2P),
	F_FLAG("S1P", IDR0_S1P),
	F_ENUM("TTF", IDR0_TTF, v_ttf, true),
	F_FLAG("COHACC", IDR0_COHACC),
	F_FLAG("BTM", IDR0_BTM),
	F_DEC("HTTU", IDR0_HTTU),
	F_FLAG("DORMHINT", IDR0_DORMHINT),
	F_FLAG("HYP", IDR0_HYP),
	F_FLAG("ATS", IDR0_ATS),
	F_FLAG("NS1ATS", IDR0_NS1ATS),
	F_FLAG("ASID16", IDR0_ASID16),
	F_FLAG("MSI", IDR0_MSI),
	F_FLAG("SEV", IDR0_SEV),
	F_FLAG("ATOS", IDR0_ATOS),
	F_FLAG("PRI", IDR0_PRI),
	F_FLAG("VMW", IDR0_VMW),
	F_FLAG("VMID16", IDR0_VMID16),
	F_FLAG("CD2L", IDR0_CD2L),
	F_FLAG("VATOS", IDR0_VATOS),
	F_ENUM("TTENDIAN", IDR0_TTENDIAN, v_ttendian, true),
	F_FLAG("ATSRECERR", IDR0_ATSRECERR),
	F_DECA("STALL_MODEL", IDR0_STALL_MODEL),
	F_FLAG("TERM_MODEL", IDR0_TERM_MODEL),
	F_ENUM("ST_LVL", IDR0_ST_LVL, v_st_lvl, true),
	F_FLAG("RME_IMPL", IDR0_RME_IMPL),
};

static const struct field f_idr1[] = {
	F_DECA("SIDSIZE", IDR1_SIDSIZE),
	F_DECA("SSIDSIZE", IDR1_SSIDSIZE),
	F_DECA("PRIQS", IDR1_PRIQS),
	F_DECA("EVTQS", IDR1_EVTQS),
	F_DECA("CMDQS", IDR1_CMDQS),
	F_FLAG("ATTR_PERMS_OVR", IDR1_ATTR_PERMS_OVR),
	F_FLAG("ATTR_TYPES_OVR", IDR1_ATTR_TYPES_OVR),
	F_FLAG("REL", IDR1_REL),
	F_FLAG("QUEUES_PRESET", IDR1_QUEUES_PRESET),
	F_FLAG("TABLES_PRESET", IDR1_TABLES_PRESET),
	F_FLAG("ECMDQ", IDR1_ECMDQ),
};

static const struct field f_idr3[] = {
	F_FLAG("HAD", IDR3_HAD),
	F_FLAG("PBHA", D_IDR3_PBHA),
	F_FLAG("XNX", D_IDR3_XNX),
	F_FLAG("PPS", D_IDR3_PPS),
	F_FLAG("MPAM", D_IDR3_MPAM),
	F_FLAG("FWB", D_IDR3_FWB),
	F_FLAG("STT", D_IDR3_STT),
	F_FLAG("RIL", IDR3_RIL),
	F_DEC("BBML", D_IDR3_BBML),
	F_FLAG("E0PD", D_IDR3_E0PD),
	F_FLAG("PTWNNC", D_IDR3_PTWNNC),
	F_FLAG("DPT", D_IDR3_DPT),
};

static const struct field f_idr5[] = {
	F_ENUM("OAS", IDR5_OAS, v_oas, true),
	F_FLAG("GRAN4K", IDR5_GRAN4K),
	F_FLAG("GRAN16K", IDR5_GRAN16K),
	F_FLAG("GRAN64K", IDR5_GRAN64K),
	F_ENUM("VAX", IDR5_VAX, v_vax, false),
	F_DEC("STALL_MAX", IDR5_STALL_MAX),
};

static const struct field f_iidr[] = {
	F_HEXA("PRODUCTID", IIDR_PRODUCTID),
	F_DECA("VARIANT", IIDR_VARIANT),
	F_DECA("REVISION", IIDR_REVISION),
	F_HEXA("IMPLEMENTER", IIDR_IMPLEMENTER),
};

static const struct field f_cr0[] = {
	F_FLAG("SMMUEN", CR0_SMMUEN),
	F_FLAG("PRIQEN", CR0_PRIQEN),
	F_FLAG("EVTQEN", CR0_EVTQEN),
	F_FLAG("CMDQEN", CR0_CMDQEN),
	F_FLAG("ATSCHK", CR0_ATSCHK),
	F_DEC("VMW", CR0_VMW),
};

static const struct field f_cr1[] = {
	F_ENUM("QUEUE_IC", CR1_QUEUE_IC, v_cache, true),
	F_ENUM("QUEUE_OC", CR1_QUEUE_OC, v_cache, true),
	F_ENUM("QUEUE_SH", CR1_QUEUE_SH, v_sh, true),
	F_ENUM("TABLE_IC", CR1_TABLE_IC, v_cache, true),
	F_ENUM("TABLE_OC", CR1_TABLE_OC, v_cache, true),
	F_ENUM("TABLE_SH", CR1_TABLE_SH, v_sh, true),
};

static const struct field f_cr2[] = {
	F_FLAG("E2H", CR2_E2H),
	F_FLAG("RECINVSID", CR2_RECINVSID),
	F_FLAG("PTM", CR2_PTM),
};

static const struct field f_gbpa[] = {
	F_DEC("MEMATTR", GBPA_MEMATTR),
	F_FLAG("MTCFG", GBPA_MTCFG),
	F_DEC("ALLOCCFG", GBPA_ALLOCCFG),
	F_DEC("SHCFG", GBPA_SHCFG),
	F_DEC("PRIVCFG", GBPA_PRIVCFG),
	F_DEC("INSTCFG", GBPA_INSTCFG),
	F_FLAG("ABORT", GBPA_ABORT),
	F_FLAG("UPDATE", GBPA_UPDATE),
};

static const struct field f_irq_ctrl[] = {
	F_FLAG("GERROR_IRQEN", IRQ_CTRL_GERROR_IRQEN),
	F_FLAG("PRIQ_IRQEN", IRQ_CTRL_PRIQ_IRQEN),
	F_FLAG("EVTQ_IRQEN", IRQ_CTRL_EVTQ_IRQEN),
};

static const struct field f_gerror[] = {
	F_FLAG("CMDQ_ERR", GERROR_CMDQ_ERR),
	F_FLAG("EVTQ_ABT_ERR", GERROR_EVTQ_ABT_ERR),
	F_FLAG("PRIQ_ABT_ERR", GERROR_PRIQ_ABT_ERR),
	F_FLAG("MSI_CMDQ_ABT_ERR", GERROR_MSI_CMDQ_ABT_ERR),
	F_FLAG("MSI_EVTQ_ABT_ERR", GERROR_MSI_EVTQ_ABT_ERR),
	F_FLAG("MSI_PRIQ_ABT_ERR", GERROR_MSI_PRIQ_ABT_ERR),
	F_FLAG("MSI_GERROR_ABT_ERR", GERROR_MSI_GERROR_ABT_ERR),
	F_FLAG("SFM_ERR", GERROR_SFM_ERR),
};

static const struct field f_irq_cfg0[] = {
	F_ADDR("ADDR", IRQ_CFG0_ADDR_MASK),
};

static const struct field f_irq_cfg2[] = {
	F_DECA("MEMATTR", IRQ_CFG2_MEMATTR),
	F_ENUM("SH", IRQ_CFG2_SH, v_sh, true),
};

static const struct field f_strtab_base[] = {
	F_ADDR("ADDR", STRTAB_BASE_ADDR_MASK),
	F_FLAG("RA", STRTAB_BASE_RA),
};

static const struct field f_strtab_cfg[] = {
	F_ENUM("FMT", STRTAB_CFG_FMT, v_strtab_fmt, true),
	F_DECA("SPLIT", STRTAB_CFG_SPLIT),
	F_DECA("LOG2SIZE", STRTAB_CFG_LOG2SIZE),
};

static const struct field f_cmdq_base[] = {
	F_ADDR("ADDR", Q_BASE_ADDR_MASK),
	F_DECA("LOG2SIZE", Q_BASE_LOG2SIZE),
	F_FLAG("RA", Q_BASE_RWA),
};

static const struct field f_outq_base[] = {
	F_ADDR("ADDR", Q_BASE_ADDR_MASK),
	F_DECA("LOG2SIZE", Q_BASE_LOG2SIZE),
	F_FLAG("WA", Q_BASE_RWA),
};

/* PROD/CONS: PTR first, the fields describe_queue_ptr keeps after it. */
static const struct field f_cmdq_prod[] = {
	F_HEXA("PTR", D_Q_PTR),
};

static const struct field f_cmdq_cons[] = {
	F_HEXA("PTR", D_Q_PTR),
	F_ENUM("ERR", CMDQ_CONS_ERR, v_cerror, false),
};

static const struct field f_outq_prod[] = {
	F_HEXA("PTR", D_Q_PTR),
	F_FLAG("OVFLG", Q_OVERFLOW_FLAG),
};

static const struct field f_outq_cons[] = {
	F_HEXA("PTR", D_Q_PTR),
	F_FLAG("OVACKFLG", Q_OVERFLOW_FLAG),
};

struct reg_ftab {
	uint32_t offset;
	struct ftab t;
};

static const struct reg_ftab reg_ftabs[] = {
	{ SMMU_IDR0, FTAB("IDR0", f_idr0) },
	{ SMMU_IDR1, FTAB("IDR1", f_idr1) },
	{ SMMU_IDR3, FTAB("IDR3", f_idr3) },
	{ SMMU_IDR5, FTAB("IDR5", f_idr5) },
	{ SMMU_IIDR, FTAB("IIDR", f_iidr) },
	{ SMMU_CR0, FTAB("CR0", f_cr0) },
	{ SMMU_CR0ACK, FTAB("CR0ACK", f_cr0) },
	{ SMMU_CR1, FTAB("CR1", f_cr1) },
	{ SMMU_CR2, FTAB("CR2", f_cr2) },
	{ SMMU_GBPA, FTAB("GBPA", f_gbpa) },
	{ SMMU_IRQ_CTRL, FTAB("IRQ_CTRL", f_irq_ctrl) },
	{ SMMU_IRQ_CTRLACK, FTAB("IRQ_CTRLACK", f_irq_ctrl) },
	{ SMMU_GERROR, FTAB("GERROR", f_gerror) },
	{ SMMU_GERRORN, FTAB("GERRORN", f_gerror) },
	{ SMMU_GERROR_IRQ_CFG0, FTAB("GERROR_IRQ_CFG0", f_irq_cfg0) },
	{ SMMU_GERROR_IRQ_CFG2, FTAB("GERROR_IRQ_CFG2", f_irq_cfg2) },
	{ SMMU_STRTAB_BASE, FTAB("STRTAB_BASE", f_strtab_base) },
	{ SMMU_STRTAB_BASE_CFG, FTAB("STRTAB_BASE_CFG", f_strtab_cfg) },
	{ SMMU_CMDQ_BASE, FTAB("CMDQ_BASE", f_cmdq_base) },
	{ SMMU_CMDQ_PROD, FTAB("CMDQ_PROD", f_cmdq_prod) },
	{ SMMU_CMDQ_CONS, FTAB("CMDQ_CONS", f_cmdq_cons) },
	{ SMMU_EVTQ_BASE, FTAB("EVTQ_BASE", f_outq_base) },
	{ SMMU_EVTQ_PROD, FTAB("EVTQ_PROD", f_outq_prod) },
	{ SMMU_EVTQ_CONS, FTAB("EVTQ_CONS", f_outq_cons) },
	{ SMMU_EVTQ_IRQ_CFG0, FTAB("EVTQ_IRQ_CFG0", f_irq_cfg0) },
	{ SMMU_EVTQ_IRQ_CFG2, FTAB("EVTQ_IRQ_CFG2", f_irq_cfg2) },
	{ SMMU_PRIQ_BASE, FTAB("PRIQ_BASE", f_outq_base) },
	{ SMMU_PRIQ_PROD, FTAB("PRIQ_PROD", f_outq_prod) },
	{ SMMU_PRIQ_CONS, FTAB("PRIQ_CONS", f_outq_cons) },
	{ SMMU_PRIQ_IRQ_CFG0, FTAB("PRIQ_IRQ_CFG0", f_irq_cfg0) },
	{ SMMU_PRIQ_IRQ_CFG2, FTAB("PRIQ_IRQ_CFG2", f_irq_cfg2) },
	{ SMMU_PAGE1(SMMU_EVTQ_PROD), FTAB("P1_EVTQ_PROD", f_outq_prod) },
	{ SMMU_PAGE1(SMMU_EVTQ_CONS), FTAB("P1_EVTQ_CONS", f_outq_cons) },
	{ SMMU_PAGE1(SMMU_PRIQ_PROD), FTAB("P1_PRIQ_PROD", f_outq_prod) },
	{ SMMU_PAGE1(SMMU_PRIQ_CONS), FTAB("P1_PRIQ_CONS", f_outq_cons) },
};

static const struct field f_ste0[] = {
	F_BIT("V", STE0_V),
	F_ENUM("CFG", STE0_CFG, v_ste_cfg, true),
	F_DECA("S1FMT", STE0_S1FMT),
	F_ADDR("S1CTXPTR", STE0_S1CTXPTR_MASK),
	F_DECA("S1CDMAX", STE0_S1CDMAX),
};

static const struct field f_ste1[] = {
	F_ENUM("S1DSS", STE1_S1DSS, v_s1dss, true),
	F_DECA("S1CIR", STE1_S1CIR),
	F_DECA("S1COR", STE1_S1COR),
	F_DECA("S1CSH", STE1_S1CSH),
	F_FLAG("S1STALLD", STE1_S1STALLD),
	F_DECA("EATS", STE1_EATS),
	F_ENUM("STRW", STE1_STRW, v_strw, true),
	F_ENUM("SHCFG", STE1_SHCFG, v_shcfg, true),
};

static const struct field f_ste2[] = {
	F_HEXA("S2VMID", STE2_S2VMID),
	F_DECA("S2T0SZ", STE2_S2T0SZ),
	F_DECA("S2SL0", STE2_S2SL0),
	F_DECA("S2IR0", STE2_S2IR0),
	F_DECA("S2OR0", STE2_S2OR0),
	F_ENUM("S2SH0", STE2_S2SH0, v_sh, true),
	F_ENUM("S2TG", STE2_S2TG, v_tg, true),
	F_ENUM("S2PS", STE2_S2PS, v_oas, true),
	F_FLAG("S2AA64", STE2_S2AA64),
	F_FLAG("S2ENDI", STE2_S2ENDI),
	F_FLAG("S2AFFD", STE2_S2AFFD),
	F_FLAG("S2PTW", STE2_S2PTW),
	F_FLAG("S2HD", STE2_S2HD),
	F_FLAG("S2HA", STE2_S2HA),
	F_FLAG("S2S", STE2_S2S),
	F_FLAG("S2R", STE2_S2R),
};

static const struct field f_ste3[] = {
	F_ADDR("S2TTB", STE3_S2TTB_MASK),
};

static const struct ftab ste_ftabs[] = {
	FTAB("STE dword 0", f_ste0),
	FTAB("STE dword 1", f_ste1),
	FTAB("STE dword 2", f_ste2),
	FTAB("STE dword 3", f_ste3),
};

static const struct field f_cd0[] = {
	F_BIT("V", CD0_V),
	F_DECA("T0SZ", CD0_T0SZ),
	F_ENUM("TG0", CD0_TG0, v_tg, true),
	F_DECA("IRGN0", CD0_IRGN0),
	F_DECA("ORGN0", CD0_ORGN0),
	F_ENUM("SH0", CD0_SH0, v_sh, true),
	F_FLAG("EPD0", CD0_EPD0),
	F_FLAG("ENDI", CD0_ENDI),
	F_FLAG("EPD1", CD0_EPD1),
	F_ENUM("IPS", CD0_IPS, v_oas, true),
	F_FLAG("TBI0", CD0_TBI0),
	F_FLAG("AA64", CD0_AA64),
	F_FLAG("HD", CD0_HD),
	F_FLAG("HA", CD0_HA),
	F_FLAG("S", CD0_S),
	F_FLAG("R", CD0_R),
	F_FLAG("A", CD0_A),
	F_FLAG("ASET", CD0_ASET),
	F_HEXA("ASID", CD0_ASID),
};

static const struct field f_cd1[] = {
	F_ADDR("TTB0", CD1_TTB0_MASK),
};

static const struct ftab cd_ftabs[] = {
	FTAB("CD dword 0", f_cd0),
	FTAB("CD dword 1", f_cd1),
};

static const struct field f_l1[] = {
	F_DECA("SPAN", STRTAB_L1_SPAN),
	F_ADDR("L2PTR", STRTAB_L1_L2PTR_MASK),
};

static const struct ftab l1_ftab = FTAB("L1 descriptor", f_l1);

static const struct ftab *reg_ftab(uint32_t offset)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reg_ftabs); i++) {
		if (reg_ftabs[i].offset == offset)
			return &reg_ftabs[i].t;
	}
	return NULL;
}

/* ---- Generic describe and parse ----------------------------------------- */

enum item_kind { ITEM_NONE, ITEM_FLAG, ITEM_OTHER };

/* Separator before a new item: flags after flags join with '|'. */
static void item_sep(struct sbuf *b, enum item_kind *prev, enum item_kind now)
{
	if (*prev == ITEM_FLAG && now == ITEM_FLAG)
		sb_printf(b, "|");
	else if (*prev != ITEM_NONE)
		sb_printf(b, " ");
	*prev = now;
}

static const char *value_name(const struct field *f, uint64_t v)
{
	if (f->vnames != NULL && v < f->vname_count)
		return f->vnames[v];
	return NULL;
}

static void fields_describe(struct sbuf *b, const struct field *f,
			    unsigned count, uint64_t v)
{
	enum item_kind prev = ITEM_NONE;
	uint64_t known = 0;
	unsigned i;

	for (i = 0; i < count; i++) {
		uint64_t fv = FIELD_GET(f[i].mask, v);
		const char *vn;

		known |= f[i].mask;
		switch (f[i].kind) {
		case FK_FLAG:
			if (fv != 0) {
				item_sep(b, &prev, ITEM_FLAG);
				sb_printf(b, "%s", f[i].name);
			}
			break;
		case FK_BIT:
			item_sep(b, &prev, ITEM_OTHER);
			sb_printf(b, "%s=%" PRIu64, f[i].name, fv);
			break;
		case FK_ADDR:
			if (f[i].always || (v & f[i].mask) != 0) {
				item_sep(b, &prev, ITEM_OTHER);
				sb_printf(b, "%s=0x%" PRIx64, f[i].name,
					  v & f[i].mask);
			}
			break;
		default:
			if (!f[i].always && fv == 0)
				break;
			item_sep(b, &prev, ITEM_OTHER);
			vn = value_name(&f[i], fv);
			if (vn != NULL)
				sb_printf(b, "%s=%s", f[i].name, vn);
			else if (f[i].kind == FK_HEX)
				sb_printf(b, "%s=0x%" PRIx64, f[i].name, fv);
			else
				sb_printf(b, "%s=%" PRIu64, f[i].name, fv);
			break;
		}
	}
	if ((v & ~known) != 0) {
		item_sep(b, &prev, ITEM_OTHER);
		sb_printf(b, "rsvd=0x%" PRIx64, v & ~known);
	}
	if (prev == ITEM_NONE)
		sb_printf(b, "0");
}

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == ',' || c == '|';
}

/* A value given by name (case-insensitive) or as a number. */
static int field_value(const struct field *f, const char *s, uint64_t *out)
{
	unsigned i;

	for (i = 0; f->vnames != NULL && i < f->vname_count; i++) {
		if (f->vnames[i] != NULL && name_eq(f->vnames[i], s)) {
			*out = i;
			return 0;
		}
	}
	return describe_parse_number(s, out);
}

#define ITEM_MAX 128U

static int fields_parse(const struct ftab *t, const char *s, uint64_t *value,
			char *err, size_t errcap)
{
	uint64_t v = 0, known = 0, seen = 0;
	bool seen_rsvd = false;
	size_t pos = 0, len;
	unsigned i, items = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0) {
		set_err(err, errcap, "missing value for %s", t->what);
		return -1;
	}
	{
		char whole[32];

		if (len < sizeof(whole)) {
			memcpy(whole, s, len);
			whole[len] = '\0';
			if (describe_parse_number(whole, value) == 0)
				return 0;
		}
	}
	if (t->count == 0) {
		set_err(err, errcap, "no field names are known for %s; give a "
			"number", t->what);
		return -1;
	}
	for (i = 0; i < t->count; i++)
		known |= t->f[i].mask;

	/* Each iteration consumes at least one character. */
	while (pos < len) {
		char item[ITEM_MAX];
		const char *name, *val = NULL;
		const struct field *f = NULL;
		size_t n = 0;
		uint64_t fv;
		char *eq;

		if (is_sep(s[pos])) {
			pos++;
			continue;
		}
		while (pos < len && !is_sep(s[pos])) {
			if (n + 1 >= sizeof(item)) {
				set_err(err, errcap, "field item too long in "
					"value for %s", t->what);
				return -1;
			}
			item[n++] = s[pos++];
		}
		item[n] = '\0';
		items++;
		name = item;
		eq = strchr(item, '=');
		if (eq != NULL) {
			*eq = '\0';
			val = eq + 1;
		}
		if (name_eq(name, "rsvd")) {
			if (val == NULL ||
			    describe_parse_number(val, &fv) != 0) {
				set_err(err, errcap, "rsvd needs a number "
					"(rsvd=0x...)");
				return -1;
			}
			if (seen_rsvd) {
				set_err(err, errcap, "rsvd given twice");
				return -1;
			}
			if ((fv & known) != 0) {
				set_err(err, errcap, "rsvd=0x%" PRIx64
					" overlaps named fields of %s (0x%"
					PRIx64 ")", fv, t->what, fv & known);
				return -1;
			}
			seen_rsvd = true;
			v |= fv;
			continue;
		}
		for (i = 0; i < t->count; i++) {
			if (name_eq(t->f[i].name, name)) {
				f = &t->f[i];
				break;
			}
		}
		if (f == NULL) {
			set_err(err, errcap, "unknown field '%s' for %s", name,
				t->what);
			return -1;
		}
		if (seen & (1ULL << i)) {
			set_err(err, errcap, "field %s given twice", f->name);
			return -1;
		}
		seen |= 1ULL << i;
		if (val == NULL) {
			if (f->kind != FK_FLAG && f->kind != FK_BIT) {
				set_err(err, errcap, "field %s of %s needs a "
					"value (%s=...)", f->name, t->what,
					f->name);
				return -1;
			}
			fv = 1;
		} else if (field_value(f, val, &fv) != 0) {
			set_err(err, errcap, "bad value '%s' for field %s "
				"of %s", val, f->name, t->what);
			return -1;
		}
		if (f->kind == FK_ADDR) {
			if ((fv & ~f->mask) != 0) {
				set_err(err, errcap, "%s=0x%" PRIx64
					" has bits outside the field (mask 0x%"
					PRIx64 ")", f->name, fv, f->mask);
				return -1;
			}
			v |= fv;
		} else {
			if (!FIELD_FITS(f->mask, fv)) {
				set_err(err, errcap, "%s=%s does not fit the "
					"field (max %" PRIu64 ")", f->name,
					val != NULL ? val : "1",
					FIELD_GET(f->mask, f->mask));
				return -1;
			}
			v |= FIELD_PREP(f->mask, fv);
		}
	}
	if (items == 0) {
		set_err(err, errcap, "missing value for %s", t->what);
		return -1;
	}
	*value = v;
	return 0;
}

/* ---- Registers ----------------------------------------------------------- */

/** Field decode of register @offset holding @value; "" if none is known. */
size_t describe_reg(uint32_t offset, uint64_t value, char *out, size_t cap)
{
	struct sbuf b = sb_init(out, cap);
	const struct ftab *t = reg_ftab(offset);

	if (t != NULL)
		fields_describe(&b, t->f, t->count, value);
	return b.len;
}

/** PROD/CONS at @offset split into index and wrap for 2^@log2size entries. */
size_t describe_queue_ptr(uint32_t offset, uint64_t value, unsigned log2size,
			  char *out, size_t cap)
{
	struct sbuf b = sb_init(out, cap);
	const struct ftab *t = reg_ftab(offset);
	struct field f[4];
	unsigned n = 0, i;

	if (t == NULL || t->count == 0 || t->f[0].mask != D_Q_PTR)
		return describe_reg(offset, value, out, cap);
	if (log2size > Q_MAX_LOG2SIZE)
		log2size = Q_MAX_LOG2SIZE;
	if (log2size > 0) {
		f[n++] = (struct field)F_DECA("IDX",
					      GENMASK_ULL(log2size - 1, 0));
	} else {
		/* A one-entry queue: the index is always 0. */
		sb_printf(&b, "IDX=0 ");
	}
	f[n++] = (struct field)F_BIT("WRP", BIT_ULL(log2size));
	for (i = 1; i < t->count && n < ARRAY_SIZE(f); i++)
		f[n++] = t->f[i];
	fields_describe(&b, f, n, value);
	return b.len;
}

/** Parse a value or field list for the register at @offset. */
int describe_parse_reg_fields(uint32_t offset, const char *s, uint64_t *value,
			      char *err, size_t errcap)
{
	const struct ftab *t = reg_ftab(offset);
	struct ftab none = { "this register", NULL, 0 };
	int idx = ops_reg_by_offset(offset);

	if (t == NULL) {
		if (idx >= 0)
			none.what = ops_reg((unsigned)idx)->name;
		t = &none;
	}
	return fields_parse(t, s, value, err, errcap);
}

/* ---- STE, CD, L1 ------------------------------------------------------- */

static size_t describe_dword(const struct ftab *tabs, unsigned tab_count,
			     unsigned dw, uint64_t v, char *out, size_t cap)
{
	struct sbuf b = sb_init(out, cap);

	if (dw < tab_count)
		fields_describe(&b, tabs[dw].f, tabs[dw].count, v);
	return b.len;
}

/** Field decode of STE dword @dw; "" for dwords without named fields. */
size_t describe_ste_dword(unsigned dw, uint64_t v, char *out, size_t cap)
{
	return describe_dword(ste_ftabs, ARRAY_SIZE(ste_ftabs), dw, v, out,
			      cap);
}

/** Field decode of CD dword @dw; "" for dwords without named fields. */
size_t describe_cd_dword(unsigned dw, uint64_t v, char *out, size_t cap)
{
	return describe_dword(cd_ftabs, ARRAY_SIZE(cd_ftabs), dw, v, out, cap);
}

/** Field decode of a level-1 stream table descriptor. */
size_t describe_l1(uint64_t v, char *out, size_t cap)
{
	struct sbuf b = sb_init(out, cap);

	fields_describe(&b, l1_ftab.f, l1_ftab.count, v);
	return b.len;
}

static int parse_dword(const struct ftab *tabs, unsigned tab_count,
		       const char *rec, unsigned dw, const char *s,
		       uint64_t *value, char *err, size_t errcap)
{
	char what[32];
	struct ftab none = { what, NULL, 0 };

	if (dw < tab_count)
		return fields_parse(&tabs[dw], s, value, err, errcap);
	snprintf(what, sizeof(what), "%s dword %u", rec, dw);
	return fields_parse(&none, s, value, err, errcap);
}

/** Parse a value or field list for STE dword @dw. */
int describe_parse_ste_fields(unsigned dw, const char *s, uint64_t *value,
			      char *err, size_t errcap)
{
	return parse_dword(ste_ftabs, ARRAY_SIZE(ste_ftabs), "STE", dw, s,
			   value, err, errcap);
}

/** Parse a value or field list for CD dword @dw. */
int describe_parse_cd_fields(unsigned dw, const char *s, uint64_t *value,
			     char *err, size_t errcap)
{
	return parse_dword(cd_ftabs, ARRAY_SIZE(cd_ftabs), "CD", dw, s, value,
			   err, errcap);
}

/** Parse a value or field list for a level-1 stream table descriptor. */
int describe_parse_l1_fields(const char *s, uint64_t *value, char *err,
			     size_t errcap)
{
	return fields_parse(&l1_ftab, s, value, err, errcap);
}

/* ---- Commands ----------------------------------------------------------- */

enum cmd_fid {
	CF_SID,
	CF_SSID,
	CF_SSV,
	CF_VMID,
	CF_ASID,
	CF_LEAF,
	CF_RANGE,
	CF_PSIZE,
	CF_ASIZE,
	CF_NUM,
	CF_SCALE,
	CF_TTL,
	CF_TG,
	CF_ADDR,
	CF_IPA,
	CF_GLOBAL,
	CF_GRPID,
	CF_PRESP,
	CF_RRESP,
	CF_STAG,
	CF_CS,
	CF_MSH,
	CF_MSIATTR,
	CF_MSIDATA,
	CF_MSIADDR,
	CF_COUNT
};

struct cmd_field {
	struct field f;		/* always: printed even when zero */
	uint8_t dw;
};

static const char *const v_cs[] = { "none", "irq", "sev" };
static const char *const v_pri_resp[] = { "deny", "fail", "success" };
static const char *const v_resume_resp[] = { "term", "retry", "abort" };

/* Indexed by enum cmd_fid; print order is this order. */
static const struct cmd_field cmd_fields[CF_COUNT] = {
	[CF_SID] = { { "sid", CMD0_SID, FK_HEX, true, NULL, 0 }, 0 },
	[CF_SSID] = { { "ssid", CMD0_SSID, FK_HEX, true, NULL, 0 }, 0 },
	[CF_SSV] = { { "ssv", CMD0_SSV, FK_DEC, false, NULL, 0 }, 0 },
	[CF_VMID] = { { "vmid", CMD0_VMID, FK_HEX, true, NULL, 0 }, 0 },
	[CF_ASID] = { { "asid", CMD0_ASID, FK_HEX, true, NULL, 0 }, 0 },
	[CF_LEAF] = { { "leaf", CMD1_LEAF, FK_DEC, true, NULL, 0 }, 1 },
	[CF_RANGE] = { { "range", CMD1_RANGE, FK_DEC, true, NULL, 0 }, 1 },
	[CF_PSIZE] = { { "size", CMD1_PREFETCH_SIZE, FK_DEC, true, NULL, 0 },
		       1 },
	[CF_ASIZE] = { { "size", CMD1_ATC_SIZE, FK_DEC, true, NULL, 0 }, 1 },
	[CF_NUM] = { { "num", CMD0_TLBI_NUM, FK_DEC, false, NULL, 0 }, 0 },
	[CF_SCALE] = { { "scale", CMD0_TLBI_SCALE, FK_DEC, false, NULL, 0 },
		       0 },
	[CF_TTL] = { { "ttl", CMD1_TLBI_TTL, FK_DEC, false, NULL, 0 }, 1 },
	[CF_TG] = { { "tg", CMD1_TLBI_TG, FK_DEC, false, NULL, 0 }, 1 },
	[CF_ADDR] = { { "addr", CMD1_ADDR_MASK, FK_ADDR, true, NULL, 0 }, 1 },
	[CF_IPA] = { { "ipa", CMD1_IPA_MASK, FK_ADDR, true, NULL, 0 }, 1 },
	[CF_GLOBAL] = { { "global", CMD0_ATC_GLOBAL, FK_DEC, false, NULL, 0 },
			0 },
	[CF_GRPID] = { { "grpid", CMD1_PRI_GRPID, FK_DEC, true, NULL, 0 }, 1 },
	[CF_PRESP] = { { "resp", CMD1_PRI_RESP, FK_DEC, true, v_pri_resp,
			 ARRAY_SIZE(v_pri_resp) }, 1 },
	[CF_RRESP] = { { "resp", CMD0_RESUME_RESP, FK_DEC, true,
			 v_resume_resp, ARRAY_SIZE(v_resume_resp) }, 0 },
	[CF_STAG] = { { "stag", CMD1_RESUME_STAG, FK_HEX, true, NULL, 0 }, 1 },
	[CF_CS] = { { "cs", CMD0_SYNC_CS, FK_DEC, true, v_cs,
		      ARRAY_SIZE(v_cs) }, 0 },
	[CF_MSH] = { { "msh", CMD0_SYNC_MSH, FK_DEC, false, NULL, 0 }, 0 },
	[CF_MSIATTR] = { { "msiattr", CMD0_SYNC_MSIATTR, FK_DEC, false, NULL,
			   0 }, 0 },
	[CF_MSIDATA] = { { "msidata", CMD0_SYNC_MSIDATA, FK_HEX, false, NULL,
			   0 }, 0 },
	[CF_MSIADDR] = { { "msiaddr", CMD1_SYNC_MSIADDR_MASK, FK_ADDR, false,
			   NULL, 0 }, 1 },
};

#define CB(x) (1U << (x))
#define CB_TLBI_RANGE (CB(CF_NUM) | CB(CF_SCALE) | CB(CF_LEAF) | CB(CF_TTL) | \
		       CB(CF_TG))

struct cmd_def {
	uint8_t opcode;
	const char *name;
	uint32_t fields;	/* bit set of enum cmd_fid */
};

/* Field sets per smmuv3-facts.md section 3 (Linux builds these commands so). */
static const struct cmd_def cmd_defs[] = {
	{ CMDQ_OP_PREFETCH_CFG, "PREFETCH_CFG",
	  CB(CF_SID) | CB(CF_SSID) | CB(CF_SSV) },
	{ CMDQ_OP_PREFETCH_ADDR, "PREFETCH_ADDR",
	  CB(CF_SID) | CB(CF_SSID) | CB(CF_SSV) | CB(CF_PSIZE) | CB(CF_ADDR) },
	{ CMDQ_OP_CFGI_STE, "CFGI_STE", CB(CF_SID) | CB(CF_LEAF) },
	{ CMDQ_OP_CFGI_STE_RANGE, "CFGI_STE_RANGE", CB(CF_SID) | CB(CF_RANGE) },
	{ CMDQ_OP_CFGI_CD, "CFGI_CD", CB(CF_SID) | CB(CF_SSID) | CB(CF_LEAF) },
	{ CMDQ_OP_CFGI_CD_ALL, "CFGI_CD_ALL", CB(CF_SID) },
	{ CMDQ_OP_TLBI_NH_ALL, "TLBI_NH_ALL", CB(CF_VMID) },
	{ CMDQ_OP_TLBI_NH_ASID, "TLBI_NH_ASID", CB(CF_VMID) | CB(CF_ASID) },
	{ CMDQ_OP_TLBI_NH_VA, "TLBI_NH_VA",
	  CB(CF_VMID) | CB(CF_ASID) | CB_TLBI_RANGE | CB(CF_ADDR) },
	{ CMDQ_OP_TLBI_NH_VAA, "TLBI_NH_VAA",
	  CB(CF_VMID) | CB_TLBI_RANGE | CB(CF_ADDR) },
	{ CMDQ_OP_TLBI_EL3_ALL, "TLBI_EL3_ALL", 0 },
	{ CMDQ_OP_TLBI_EL3_VA, "TLBI_EL3_VA", CB_TLBI_RANGE | CB(CF_ADDR) },
	{ CMDQ_OP_TLBI_EL2_ALL, "TLBI_EL2_ALL", 0 },
	{ CMDQ_OP_TLBI_EL2_ASID, "TLBI_EL2_ASID", CB(CF_ASID) },
	{ CMDQ_OP_TLBI_EL2_VA, "TLBI_EL2_VA",
	  CB(CF_ASID) | CB_TLBI_RANGE | CB(CF_ADDR) },
	{ CMDQ_OP_TLBI_EL2_VAA, "TLBI_EL2_VAA", CB_TLBI_RANGE | CB(CF_ADDR) },
	{ CMDQ_OP_TLBI_S12_VMALL, "TLBI_S12_VMALL", CB(CF_VMID) },
	{ CMDQ_OP_TLBI_S2_IPA, "TLBI_S2_IPA",
	  CB(CF_VMID) | CB_TLBI_RANGE | CB(CF_IPA) },
	{ CMDQ_OP_TLBI_NSNH_ALL, "TLBI_NSNH_ALL", 0 },
	{ CMDQ_OP_ATC_INV, "ATC_INV",
	  CB(CF_SID) | CB(CF_SSID) | CB(CF_SSV) | CB(CF_GLOBAL) | CB(CF_ASIZE) |
	  CB(CF_ADDR) },
	{ CMDQ_OP_PRI_RESP, "PRI_RESP",
	  CB(CF_SID) | CB(CF_SSID) | CB(CF_SSV) | CB(CF_GRPID) | CB(CF_PRESP) },
	{ CMDQ_OP_RESUME, "RESUME", CB(CF_SID) | CB(CF_RRESP) | CB(CF_STAG) },
	{ CMDQ_OP_STALL_TERM, "STALL_TERM", CB(CF_SID) },
	{ CMDQ_OP_CMD_SYNC, "CMD_SYNC",
	  CB(CF_CS) | CB(CF_MSH) | CB(CF_MSIATTR) | CB(CF_MSIDATA) |
	  CB(CF_MSIADDR) },
};

static const struct cmd_def *cmd_def(uint8_t opcode)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmd_defs); i++) {
		if (cmd_defs[i].opcode == opcode)
			return &cmd_defs[i];
	}
	return NULL;
}

/* Bits of dword @dw that belong to the opcode or a field of @d. */
static uint64_t cmd_known(const struct cmd_def *d, unsigned dw)
{
	uint64_t m = dw == 0 ? CMD0_OP : 0;
	unsigned i;

	for (i = 0; i < CF_COUNT; i++) {
		if ((d->fields & CB(i)) && cmd_fields[i].dw == dw)
			m |= cmd_fields[i].f.mask;
	}
	return m;
}

/** Command name for @opcode without the CMDQ_OP_ prefix, or NULL. */
const char *describe_cmd_name(uint8_t opcode)
{
	const struct cmd_def *d = cmd_def(opcode);

	return d != NULL ? d->name : NULL;
}

/** Opcode named @name (CMDQ_OP_ prefix optional, CFGI_ALL accepted), or -1. */
int describe_cmd_opcode(const char *name)
{
	size_t i;

	if (name == NULL)
		return -1;
	if (has_prefix_nocase(name, "CMDQ_OP_"))
		name += 8;
	if (name_eq(name, "CFGI_ALL"))
		return CMDQ_OP_CFGI_STE_RANGE;
	if (name_eq(name, "PREFETCH_CONFIG"))
		return CMDQ_OP_PREFETCH_CFG;
	for (i = 0; i < ARRAY_SIZE(cmd_defs); i++) {
		if (name_eq(cmd_defs[i].name, name))
			return cmd_defs[i].opcode;
	}
	return -1;
}

static bool is_cfgi_all(const uint64_t cmd[2])
{
	return FIELD_GET(CMD0_OP, cmd[0]) == CMDQ_OP_CFGI_STE_RANGE &&
	       FIELD_GET(CMD0_SID, cmd[0]) == 0 &&
	       FIELD_GET(CMD1_RANGE, cmd[1]) == CFGI_RANGE_ALL;
}

/** "CFGI_STE sid=0x10 leaf=1": the command's name and fields. */
size_t describe_cmd(const uint64_t cmd[2], char *out, size_t cap)
{
	struct sbuf b = sb_init(out, cap);
	uint8_t opcode = (uint8_t)FIELD_GET(CMD0_OP, cmd[0]);
	const struct cmd_def *d = cmd_def(opcode);
	uint64_t known[2];
	unsigned i;

	if (d == NULL) {
		sb_printf(&b, "unknown opcode 0x%02x", opcode);
		return b.len;
	}
	known[0] = cmd_known(d, 0);
	known[1] = cmd_known(d, 1);
	if (is_cfgi_all(cmd)) {
		sb_printf(&b, "CFGI_ALL");
	} else {
		sb_printf(&b, "%s", d->name);
		for (i = 0; i < CF_COUNT; i++) {
			const struct field *f = &cmd_fields[i].f;
			uint64_t w = cmd[cmd_fields[i].dw];
			uint64_t fv = FIELD_GET(f->mask, w);
			const char *vn = value_name(f, fv);

			if (!(d->fields & CB(i)) || (!f->always && fv == 0))
				continue;
			if (f->kind == FK_ADDR)
				sb_printf(&b, " %s=0x%" PRIx64, f->name,
					  w & f->mask);
			else if (vn != NULL)
				sb_printf(&b, " %s=%s", f->name, vn);
			else if (f->kind == FK_HEX)
				sb_printf(&b, " %s=0x%" PRIx64, f->name, fv);
			else
				sb_printf(&b, " %s=%" PRIu64, f->name, fv);
		}
	}
	if ((cmd[0] & ~known[0]) != 0)
		sb_printf(&b, " rsvd0=0x%" PRIx64, cmd[0] & ~known[0]);
	if ((cmd[1] & ~known[1]) != 0)
		sb_printf(&b, " rsvd1=0x%" PRIx64, cmd[1] & ~known[1]);
	return b.len;
}

#define CMD_TOKEN_MAX 96U

/* Copy the next token of @s (separated by blanks or ',') into @tok. */
static int next_token(const char **s, char *tok, size_t cap)
{
	const char *p = *s;
	size_t n = 0;

	while (*p == ' ' || *p == '\t' || *p == ',')
		p++;
	while (*p != '\0' && *p != ' ' && *p != '\t' && *p != ',') {
		if (n + 1 >= cap)
			return -1;
		tok[n++] = *p++;
	}
	tok[n] = '\0';
	*s = p;
	return (int)n;
}

/** Build a command from its symbolic form "NAME field=value ...". */
int describe_parse_cmd(const char *s, uint64_t cmd[2], char *err,
		       size_t errcap)
{
	char tok[CMD_TOKEN_MAX];
	const struct cmd_def *d;
	uint64_t known[2], w[2];
	uint32_t fields, seen = 0;
	bool all, seen_rsvd[2] = { false, false };
	unsigned guard;
	int opcode, n;

	n = next_token(&s, tok, sizeof(tok));
	if (n <= 0) {
		set_err(err, errcap, n < 0 ? "command name too long" :
			"missing command name");
		return -1;
	}
	opcode = describe_cmd_opcode(tok);
	if (opcode < 0) {
		set_err(err, errcap, "unknown command '%s'", tok);
		return -1;
	}
	d = cmd_def((uint8_t)opcode);
	all = name_eq(tok, "CFGI_ALL") || name_eq(tok, "CMDQ_OP_CFGI_ALL");
	fields = all ? 0 : d->fields;
	known[0] = cmd_known(d, 0);
	known[1] = cmd_known(d, 1);
	w[0] = (uint64_t)opcode;
	w[1] = all ? FIELD_PREP(CMD1_RANGE, CFGI_RANGE_ALL) : 0;

	/* Each round consumes a token; a command has few fields. */
	for (guard = 0; guard < 64; guard++) {
		const struct field *f = NULL;
		char *val;
		uint64_t fv;
		unsigned i, dw;

		n = next_token(&s, tok, sizeof(tok));
		if (n == 0)
			break;
		if (n < 0) {
			set_err(err, errcap, "command field too long");
			return -1;
		}
		val = strchr(tok, '=');
		if (val != NULL)
			*val++ = '\0';
		if (name_eq(tok, "rsvd0") || name_eq(tok, "rsvd1")) {
			dw = tok[4] == '1';
			if (val == NULL ||
			    describe_parse_number(val, &fv) != 0) {
				set_err(err, errcap, "%s needs a number", tok);
				return -1;
			}
			if (seen_rsvd[dw]) {
				set_err(err, errcap, "%s given twice", tok);
				return -1;
			}
			if ((fv & known[dw]) != 0) {
				set_err(err, errcap, "%s=0x%" PRIx64
					" overlaps fields of %s", tok, fv,
					d->name);
				return -1;
			}
			seen_rsvd[dw] = true;
			w[dw] |= fv;
			continue;
		}
		for (i = 0; i < CF_COUNT; i++) {
			if ((fields & CB(i)) &&
			    name_eq(cmd_fields[i].f.name, tok)) {
				f = &cmd_fields[i].f;
				break;
			}
		}
		if (f == NULL) {
			set_err(err, errcap, "%s has no field '%s'",
				all ? "CFGI_ALL" : d->name, tok);
			return -1;
		}
		if (seen & CB(i)) {
			set_err(err, errcap, "field %s given twice", f->name);
			return -1;
		}
		seen |= CB(i);
		if (val == NULL) {
			if ((f->mask & (f->mask - 1)) != 0) {
				set_err(err, errcap, "field %s needs a value "
					"(%s=...)", f->name, f->name);
				return -1;
			}
			fv = 1;
		} else if (field_value(f, val, &fv) != 0) {
			set_err(err, errcap, "bad value '%s' for %s", val,
				f->name);
			return -1;
		}
		dw = cmd_fields[i].dw;
		if (f->kind == FK_ADDR) {
			if ((fv & ~f->mask) != 0) {
				set_err(err, errcap, "%s=0x%" PRIx64
					" has bits outside the field (mask 0x%"
					PRIx64 ")", f->name, fv, f->mask);
				return -1;
			}
			w[dw] |= fv;
		} else {
			if (!FIELD_FITS(f->mask, fv)) {
				set_err(err, errcap, "%s=0x%" PRIx64
					" does not fit (max 0x%" PRIx64 ")",
					f->name, fv,
					FIELD_GET(f->mask, f->mask));
				return -1;
			}
			w[dw] |= FIELD_PREP(f->mask, fv);
		}
	}
	if (guard >= 64) {
		set_err(err, errcap, "too many command fields");
		return -1;
	}
	cmd[0] = w[0];
	cmd[1] = w[1];
	return 0;
}

/* ---- The world (op-stream v2: HW, FDT, BOOT) ---------------------------- */

#define NO_REG UINT32_MAX

/* Where each wd_reg lives: its register name and offset (NO_REG if none). */
static const struct {
	const char *name;
	uint32_t offset;
} wd_regs[WD_REG_COUNT] = {
	[WD_IDR0] = { "IDR0", SMMU_IDR0 },
	[WD_IDR1] = { "IDR1", SMMU_IDR1 },
	[WD_IDR2] = { "IDR2", SMMU_IDR2 },
	[WD_IDR3] = { "IDR3", SMMU_IDR3 },
	[WD_IDR4] = { "IDR4", SMMU_IDR4 },
	[WD_IDR5] = { "IDR5", SMMU_IDR5 },
	[WD_IIDR] = { "IIDR", SMMU_IIDR },
	[WD_AIDR] = { "AIDR", SMMU_AIDR },
	[WD_GBPA_RESET] = { "GBPA after reset", SMMU_GBPA },
	[WD_FAULTS] = { "architected failures", NO_REG },
	[WD_BOOT_CR0] = { "CR0", SMMU_CR0 },
	[WD_BOOT_GERROR] = { "GERROR", SMMU_GERROR },
	[WD_BOOT_IRQ_CTRL] = { "IRQ_CTRL", SMMU_IRQ_CTRL },
	[WD_BOOT_GERROR_IRQ_CFG0] = { "GERROR_IRQ_CFG0", SMMU_GERROR_IRQ_CFG0 },
	[WD_BOOT_EVTQ_IRQ_CFG0] = { "EVTQ_IRQ_CFG0", SMMU_EVTQ_IRQ_CFG0 },
	[WD_BOOT_PRIQ_IRQ_CFG0] = { "PRIQ_IRQ_CFG0", SMMU_PRIQ_IRQ_CFG0 },
	[WD_BOOT_GERROR_IRQ_CFG1] = { "GERROR_IRQ_CFG1", SMMU_GERROR_IRQ_CFG1 },
	[WD_BOOT_EVTQ_IRQ_CFG1] = { "EVTQ_IRQ_CFG1", SMMU_EVTQ_IRQ_CFG1 },
	[WD_BOOT_PRIQ_IRQ_CFG1] = { "PRIQ_IRQ_CFG1", SMMU_PRIQ_IRQ_CFG1 },
	[WD_BOOT_STRTAB_BASE] = { "STRTAB_BASE", SMMU_STRTAB_BASE },
	[WD_BOOT_STRTAB_CFG] = { "STRTAB_BASE_CFG", SMMU_STRTAB_BASE_CFG },
	[WD_BOOT_CMDQ_BASE] = { "CMDQ_BASE", SMMU_CMDQ_BASE },
	[WD_BOOT_CMDQ_PROD] = { "CMDQ_PROD", SMMU_CMDQ_PROD },
	[WD_BOOT_CMDQ_CONS] = { "CMDQ_CONS", SMMU_CMDQ_CONS },
	[WD_BOOT_EVTQ_BASE] = { "EVTQ_BASE", SMMU_EVTQ_BASE },
	[WD_BOOT_PRIQ_BASE] = { "PRIQ_BASE", SMMU_PRIQ_BASE },
	[WD_BOOT_ECMDQ] = { "ECMDQs left enabled", NO_REG },
	[WD_SMMU_COUNT] = { "the world", NO_REG },
};

/* The 64-bit registers a BOOT_* field fills the low half of. */
static bool wd_reg_wide(unsigned reg)
{
	switch (reg) {
	case WD_BOOT_GERROR_IRQ_CFG0: case WD_BOOT_EVTQ_IRQ_CFG0:
	case WD_BOOT_PRIQ_IRQ_CFG0: case WD_BOOT_STRTAB_BASE:
	case WD_BOOT_CMDQ_BASE: case WD_BOOT_EVTQ_BASE: case WD_BOOT_PRIQ_BASE:
		return true;
	default:
		return false;
	}
}

/* Value names of the encoded ID fields (NULL: no name for that value). */
static const char *const hw_ttf[] = { "no translation table format",
				      "AArch32 tables", "AArch64 tables",
				      "AArch32 and AArch64 tables" };
static const char *const hw_httu[] = { "no hardware table update",
				       "access flag", "access flag and dirty state" };
static const char *const hw_ttendian[] = { "mixed endian", "reserved",
					   "little endian only", "big endian only" };
static const char *const hw_stall_model[] = { "stall and terminate",
					      "terminate only (no stall)",
					      "stall forced" };
static const char *const hw_st_lvl[] = { "linear stream table only",
					 "2-level stream table" };
static const char *const hw_bbml[] = { "break-before-make level 0",
				       "break-before-make level 1",
				       "break-before-make level 2" };
static const char *const hw_oas[] = { "32 bits", "36 bits", "40 bits",
				      "42 bits", "44 bits", "48 bits", "52 bits" };
static const char *const hw_vax[] = { "48-bit VA", "52-bit VA", NULL };

static const struct {
	const char *field;
	const char *const *names;
	unsigned count;
} hw_enums[] = {
	{ "TTF", hw_ttf, ARRAY_SIZE(hw_ttf) },
	{ "HTTU", hw_httu, ARRAY_SIZE(hw_httu) },
	{ "TTENDIAN", hw_ttendian, ARRAY_SIZE(hw_ttendian) },
	{ "STALL_MODEL", hw_stall_model, ARRAY_SIZE(hw_stall_model) },
	{ "ST_LVL", hw_st_lvl, ARRAY_SIZE(hw_st_lvl) },
	{ "BBML", hw_bbml, ARRAY_SIZE(hw_bbml) },
	{ "OAS", hw_oas, ARRAY_SIZE(hw_oas) },
	{ "VAX", hw_vax, ARRAY_SIZE(hw_vax) },
};

/* HWM_FAULT_* bit n is named fault_names[n]. */
static const char *const fault_names[] = {
	"atc-timeout", "evtq-abort", "msi-abort", "cmdq-abort", "stall", "sfm",
};
_Static_assert(ARRAY_SIZE(fault_names) == 6 && HWM_FAULT_MASK == 0x3FU &&
	       HWM_FAULT_ATC_TIMEOUT == 0x01U && HWM_FAULT_SFM == 0x20U,
	       "one name per HWM_FAULT_* bit, in bit order");

/* "a|b|c" for the set bits of @v named by @names, "none" for 0. */
static void bit_names(struct sbuf *b, uint32_t v, const char *const *names,
		      unsigned count)
{
	bool any = false;
	unsigned i;

	for (i = 0; i < 32; i++) {
		if (!(v & (1U << i)))
			continue;
		if (i < count)
			sb_printf(b, "%s%s", any ? "|" : "", names[i]);
		else
			sb_printf(b, "%sbit%u", any ? "|" : "", i);
		any = true;
	}
	if (!any)
		sb_printf(b, "none");
}

/* What the value of the ID-register or world field @f means, or nothing. */
static void hw_meaning(struct sbuf *b, const struct wd_field *f, uint32_t v)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hw_enums); i++) {
		if (strcmp(hw_enums[i].field, f->name) != 0)
			continue;
		if (v < hw_enums[i].count && hw_enums[i].names[v] != NULL)
			sb_printf(b, ": %s", hw_enums[i].names[v]);
		else
			sb_printf(b, ": encoding %u", v);
		return;
	}
	if (strcmp(f->name, "SIDSIZE") == 0) {
		sb_printf(b, ": %u-bit StreamIDs", v);
	} else if (strcmp(f->name, "SSIDSIZE") == 0) {
		if (v == 0)
			sb_printf(b, ": no substreams");
		else
			sb_printf(b, ": %u-bit SubstreamIDs", v);
	} else if (strcmp(f->name, "CMDQS") == 0 ||
		   strcmp(f->name, "EVTQS") == 0 ||
		   strcmp(f->name, "PRIQS") == 0) {
		sb_printf(b, ": at most 2^%u entries", v);
	} else if (strcmp(f->name, "STALL_MAX") == 0) {
		sb_printf(b, ": at most %u stalled transactions", v);
	} else if (strcmp(f->name, "IMPLEMENTER") == 0 && v == 0x43B) {
		sb_printf(b, ": Arm");
	} else if (f->reg == WD_AIDR) {
		if ((v >> 4) == 0)
			sb_printf(b, ": SMMUv3.%u", v & 0xFU);
		else
			sb_printf(b, ": architecture revision %u.%u", v >> 4,
				  v & 0xFU);
	} else if (f->reg == WD_FAULTS) {
		sb_printf(b, ": ");
		bit_names(b, v, fault_names, ARRAY_SIZE(fault_names));
	} else if (f->reg == WD_SMMU_COUNT) {
		sb_printf(b, ": %u SMMU%s", 1U + v % WORLD_MAX_SMMU,
			  v % WORLD_MAX_SMMU ? "s" : "");
	}
}

/**
 * OP_HW: the register field @idx of the world table lives in, and what
 * @value means there: "IDR5[2:0]: 48 bits", "CR0 at take-over:
 * SMMUEN|CMDQEN", "architected failures: atc-timeout|sfm". "" for an
 * unknown field.
 */
size_t describe_hw_field(unsigned idx, uint32_t value, char *out, size_t cap)
{
	struct sbuf b = sb_init(out, cap);
	const struct wd_field *f = wd_field(idx);
	char tmp[256];
	unsigned i;

	if (f == NULL || f->reg >= WD_REG_COUNT)
		return b.len;
	if (f->reg >= WD_BOOT_CR0 && f->reg <= WD_BOOT_PRIQ_BASE) {
		/* What firmware left programmed. */
		sb_printf(&b, "%s%s at take-over", wd_regs[f->reg].name,
			  wd_reg_wide(f->reg) ? "[31:0]" : "");
		describe_reg(wd_regs[f->reg].offset, value, tmp, sizeof(tmp));
		if (tmp[0] != '\0')
			sb_printf(&b, "%s: %s", f->reg == WD_BOOT_GERROR &&
				  value != 0 ? ", active (GERRORN 0)" : "",
				  tmp);
		else
			sb_printf(&b, ": MSI data 0x%x", value);
		return b.len;
	}
	if (f->reg == WD_BOOT_ECMDQ) {
		bool any = false;

		sb_printf(&b, "%s:", wd_regs[f->reg].name);
		for (i = 0; i < 32; i++) {
			if (value & (1U << i)) {
				sb_printf(&b, " %u", i);
				any = true;
			}
		}
		if (!any)
			sb_printf(&b, " none");
		return b.len;
	}
	if (f->reg == WD_GBPA_RESET) {
		describe_reg(SMMU_GBPA, value, tmp, sizeof(tmp));
		sb_printf(&b, "%s: %s", wd_regs[f->reg].name, tmp);
		return b.len;
	}
	sb_printf(&b, "%s", wd_regs[f->reg].name);
	if (wd_regs[f->reg].offset != NO_REG && f->width < 32) {
		if (f->width == 1)
			sb_printf(&b, "[%u]", f->lsb);
		else
			sb_printf(&b, "[%u:%u]", f->lsb + f->width - 1U, f->lsb);
	}
	if (f->width == 32 && wd_regs[f->reg].offset != NO_REG) {
		/* A whole ID register: by field where its layout is known. */
		describe_reg(wd_regs[f->reg].offset, value, tmp, sizeof(tmp));
		if (tmp[0] != '\0')
			sb_printf(&b, ": %s", tmp);
		return b.len;
	}
	hw_meaning(&b, f, value);
	return b.len;
}

static const char *const fdt_status_names[FDT_STATUS_COUNT] = {
	[FDT_STATUS_OKAY] = "\"okay\"", [FDT_STATUS_OK] = "\"ok\"",
	[FDT_STATUS_DISABLED] = "\"disabled\"",
	[FDT_STATUS_GARBAGE] = "a garbage string",
	[FDT_STATUS_EMPTY] = "an empty string",
};

static const char *const fdt_compat_names[FDT_COMPAT_COUNT] = {
	[FDT_COMPAT_PLAIN] = "\"arm,smmu-v3\"",
	[FDT_COMPAT_SECOND] = "\"vendor,iommu\", \"arm,smmu-v3\"",
	[FDT_COMPAT_PREFIX] = "\"arm,smmu-v\"",
	[FDT_COMPAT_SUFFIX] = "\"arm,smmu-v3x\"",
	[FDT_COMPAT_UNTERMINATED] = "\"arm,smmu-v3\" without its NUL",
	[FDT_COMPAT_NONE] = "no compatible property",
};

static void enum_value(struct sbuf *b, uint32_t v, const char *const *names,
		       unsigned count, const char *what)
{
	if (v < count)
		sb_printf(b, "%s", names[v]);
	else
		sb_printf(b, "%u (past the %s values)", v, what);
}

/**
 * OP_FDT: what device-tree edit @kind does with @value (and SMMU @node,
 * where the edit names one), as enum world_fdt_edit_kind documents it:
 * "SMMU 1 node: reg base moved by +0x10000 bytes". "" for an unknown edit.
 */
size_t describe_fdt_edit(unsigned kind, unsigned node, uint32_t value,
			 char *out, size_t cap)
{
	struct sbuf b = sb_init(out, cap);
	int32_t delta = (int32_t)value;

	switch (kind) {
	case FDT_EDIT_NONE:
		sb_printf(&b, "no edit");
		break;
	case FDT_EDIT_SMMU_BASE:
		sb_printf(&b, "SMMU %u node: reg base moved by %s0x%" PRIx64
			  " bytes", node, delta < 0 ? "-" : "+",
			  delta < 0 ? (uint64_t)(-(int64_t)delta) :
			  (uint64_t)delta);
		break;
	case FDT_EDIT_SMMU_SIZE:
		sb_printf(&b, "SMMU %u node: reg size 0x%x", node, value);
		break;
	case FDT_EDIT_SMMU_STATUS:
		sb_printf(&b, "SMMU %u node: status ", node);
		enum_value(&b, value, fdt_status_names, FDT_STATUS_COUNT,
			   "world_fdt_status");
		break;
	case FDT_EDIT_SMMU_COMPAT:
		sb_printf(&b, "SMMU %u node: compatible ", node);
		enum_value(&b, value, fdt_compat_names, FDT_COMPAT_COUNT,
			   "world_fdt_compat");
		break;
	case FDT_EDIT_SMMU_REG_LEN:
		sb_printf(&b, "SMMU %u node: reg property cut to %u bytes",
			  node, value % 17U);
		break;
	case FDT_EDIT_SMMU_DUP:
		sb_printf(&b, "SMMU %u node described twice", node);
		break;
	case FDT_EDIT_MEM_SPLIT:
		sb_printf(&b, "RAM as %u reg entries of one memory node",
			  1U + value % 8U);
		break;
	case FDT_EDIT_MEM_NODES:
		sb_printf(&b, "RAM as %u memory nodes", 1U + value % 8U);
		break;
	case FDT_EDIT_MEM_STATUS:
		sb_printf(&b, "memory node: status ");
		enum_value(&b, value, fdt_status_names, FDT_STATUS_COUNT,
			   "world_fdt_status");
		break;
	case FDT_EDIT_MEM_EXTRA:
		sb_printf(&b, "%u more reg entries repeating a RAM page",
			  value % 16U);
		break;
	case FDT_EDIT_CELLS:
		sb_printf(&b, "root #address-cells=%u #size-cells=%u",
			  value & 7U, (value >> 4) & 7U);
		break;
	case FDT_EDIT_BUS:
		sb_printf(&b, "SMMUs under a bus node, #address-cells=%u "
			  "#size-cells=%u", value & 7U, (value >> 4) & 7U);
		break;
	case FDT_EDIT_DEPTH:
		sb_printf(&b, "SMMU %u node nested %u levels deep", node,
			  value % 32U);
		break;
	case FDT_EDIT_NODES:
		sb_printf(&b, "%u empty nodes before the SMMUs",
			  (value % 512U) * 16U);
		break;
	case FDT_EDIT_POKE:
		sb_printf(&b, "blob byte 0x%x = 0x%x", value & 0xFFFFU,
			  value >> 16);
		break;
	case FDT_EDIT_TRUNCATE:
		sb_printf(&b, "blob handed over %u bytes short", value % 4096U);
		break;
	default:
		break;
	}
	return b.len;
}

static const char *const register_pairs[] = {
	"the smmuv3 kernel and hypervisor pair", "a NULL kernel driver",
	"a NULL hypervisor driver", "a mismatched pair",
	"an unknown driver id",
};

/**
 * OP_BOOT: the core call step @step makes and what @arg asks of it:
 * "smmu_setup with the whole pool". "" for an unknown step.
 */
size_t describe_boot_step(unsigned step, uint32_t arg, char *out, size_t cap)
{
	struct sbuf b = sb_init(out, cap);
	uint32_t low = arg & 0x7FFFFFFFU;
	bool bit31 = (arg & 0x80000000U) != 0;

	switch (step) {
	case BOOT_SETUP:
		if (low == 0)
			sb_printf(&b, "smmu_setup with the whole pool");
		else
			sb_printf(&b, "smmu_setup with a pool of %u pages", low);
		if (bit31)
			sb_printf(&b, ", base misaligned");
		break;
	case BOOT_REGISTER:
		sb_printf(&b, "smmu_register_driver with %s",
			  register_pairs[arg % ARRAY_SIZE(register_pairs)]);
		break;
	case BOOT_INIT:
		if (bit31)
			sb_printf(&b, "smmu_init_driver with a NULL FDT");
		else if (arg == 0)
			sb_printf(&b, "smmu_init_driver with the whole FDT");
		else
			sb_printf(&b, "smmu_init_driver with the FDT cut %u "
				  "bytes short", arg);
		break;
	case BOOT_REMOVE:
		sb_printf(&b, "smmu_remove_driver");
		break;
	case BOOT_DEPRIVILEGE:
		sb_printf(&b, "smmu_deprivilege: the host loses its privileges");
		break;
	default:
		break;
	}
	if (step < BOOT_STEP_COUNT && step >= BOOT_REMOVE && arg != 0)
		sb_printf(&b, " (arg unused)");
	return b.len;
}

/* ---- Field layouts, for structure-aware mutation ------------------------ */

static unsigned fmask_put(struct describe_fmask *out, unsigned n, unsigned cap,
			  const struct field *f, uint8_t dw)
{
	if (n < cap) {
		out[n].mask = f->mask;
		out[n].dw = dw;
		out[n].named_values = f->vname_count;
		out[n].is_addr = f->kind == FK_ADDR;
	}
	return n + 1U;
}

static unsigned ftab_fields(const struct ftab *t, struct describe_fmask *out,
			    unsigned cap)
{
	unsigned i, n = 0;

	for (i = 0; t != NULL && i < t->count; i++)
		n = fmask_put(out, n, cap, &t->f[i], 0);
	return n;
}

unsigned describe_fields(enum describe_layout kind, uint32_t which,
			 struct describe_fmask *out, unsigned cap)
{
	const struct cmd_def *d;
	unsigned i, n = 0;

	switch (kind) {
	case DL_REG:
		return ftab_fields(reg_ftab(which), out, cap);
	case DL_STE:
		return which < ARRAY_SIZE(ste_ftabs) ?
		       ftab_fields(&ste_ftabs[which], out, cap) : 0;
	case DL_CD:
		return which < ARRAY_SIZE(cd_ftabs) ?
		       ftab_fields(&cd_ftabs[which], out, cap) : 0;
	case DL_L1:
		return ftab_fields(&l1_ftab, out, cap);
	case DL_CMD:
		d = which <= 0xFFU ? cmd_def((uint8_t)which) : NULL;
		for (i = 0; d != NULL && i < CF_COUNT; i++) {
			if (d->fields & CB(i))
				n = fmask_put(out, n, cap, &cmd_fields[i].f,
					      cmd_fields[i].dw);
		}
		return n;
	}
	return 0;
}

unsigned describe_cmd_count(void)
{
	return (unsigned)ARRAY_SIZE(cmd_defs);
}

uint8_t describe_cmd_opcode_at(unsigned idx)
{
	return idx < ARRAY_SIZE(cmd_defs) ? cmd_defs[idx].opcode : 0;
}
