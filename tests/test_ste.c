// SPDX-License-Identifier: MIT
/*
 * Stream tables: the pure host-STE -> hardware-STE rules (ste.c), then the
 * whole path through the emulated command queue (strtab.c): L1 checks,
 * shadow L2 tables, the safe install order, SMMUEN 0->1 and CFGI_ALL, and
 * what a device then reaches. Last, each stream-table oracle clause fires
 * when its rule is broken behind the core's back.
 */
#include <setjmp.h>

#include "fixture.h"
#include "oracle.h"
#include "priv.h"

/* Host memory layout (all host RAM; FX_* come from the fixture). */
#define L2_HOST		0x44100000ULL	/* host L2 tables, 16 KiB each */
#define CD_HOST		0x44500000ULL
#define S1_TABLES	0x44600000ULL
#define HOST_PAGE	0x44700000ULL
#define QLOG2		8U

/* ---- Part 1: ste_shadow, the pure rules ---------------------------------- */

struct rules_env {
	struct fx f;
	struct smmu_dev dev;		/* a copy whose facts a test may change */
	uint64_t dw2, dw3;		/* the hypervisor's stage-2 words */
};

static void rules_env(struct rules_env *e)
{
	fx_boot(&e->f);
	e->dev = e->f.hyp.dev[0];
	smmu_stage2_words(&e->f.hyp, &e->dw2, &e->dw3);
}

static int shadow(struct rules_env *e, const uint64_t host[8], uint64_t out[8],
		  const char **site)
{
	return ste_shadow(&e->dev, &e->f.hyp.iopt, host, out, site);
}

static uint64_t ste0(unsigned cfg)
{
	return STE0_V | FIELD_PREP(STE0_CFG, cfg);
}

/* Junk in every word a host might use to smuggle something through. */
static void fill_junk(uint64_t host[8])
{
	unsigned i;

	for (i = 1; i < 8; i++)
		host[i] = 0xA5A5A5A5A5A5A5A5ULL * i;
	host[1] &= ~(STE1_EATS | STE1_STRW | STE1_S1DSS);
}

static void an_invalid_ste_gives_an_all_zero_ste(void)
{
	struct rules_env e;
	uint64_t host[8], out[8];
	const char *site = "x";
	unsigned i;

	rules_env(&e);
	fill_junk(host);
	host[0] = FIELD_PREP(STE0_CFG, STE_CFG_BYPASS);	/* V = 0 */
	EXPECT_EQ(shadow(&e, host, out, &site), SMMU_OK);
	EXPECT(site == NULL);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(out[i], 0);
	fx_done(&e.f);
}

static void abort_stays_abort_with_nothing_else(void)
{
	struct rules_env e;
	uint64_t host[8], out[8];
	const char *site;
	unsigned i;

	rules_env(&e);
	fill_junk(host);
	host[0] = ste0(STE_CFG_ABORT) | 0xFFF0ULL;
	EXPECT_EQ(shadow(&e, host, out, &site), SMMU_OK);
	EXPECT_EQ(out[0], ste0(STE_CFG_ABORT));
	for (i = 1; i < 8; i++)
		EXPECT_EQ(out[i], 0);
	fx_done(&e.f);
}

static void bypass_becomes_the_hypervisors_stage_2_only(void)
{
	struct rules_env e;
	uint64_t host[8], out[8];
	const char *site;
	unsigned i;

	rules_env(&e);
	fill_junk(host);
	host[0] = ste0(STE_CFG_BYPASS);
	EXPECT_EQ(shadow(&e, host, out, &site), SMMU_OK);
	EXPECT_EQ(out[0], ste0(STE_CFG_S2_TRANS));
	/* Only SHCFG = incoming in dword 1: no MTCFG/MemAttr, ALLOCCFG,
	 * PRIVCFG, INSTCFG or NSCFG override survives. */
	EXPECT_EQ(out[1], FIELD_PREP(STE1_SHCFG, STE1_SHCFG_INCOMING));
	EXPECT_EQ(out[2], e.dw2);
	EXPECT_EQ(out[3], e.dw3);
	for (i = 4; i < 8; i++)
		EXPECT_EQ(out[i], 0);
	/* The stage-2 words: VMID 0, AArch64, PTW and S2R on, the identity
	 * table's root. */
	EXPECT_EQ(FIELD_GET(STE2_S2VMID, e.dw2), 0);
	EXPECT(e.dw2 & STE2_S2AA64);
	EXPECT(e.dw2 & STE2_S2PTW);
	EXPECT(e.dw2 & STE2_S2R);
	EXPECT_EQ(e.dw3 & STE3_S2TTB_MASK, e.f.hyp.iopt.root);
	fx_done(&e.f);
}

static void stage_1_becomes_nested_keeping_only_the_hosts_stage_1_fields(void)
{
	struct rules_env e;
	uint64_t host[8], out[8];
	const char *site;
	uint64_t s1_0 = FIELD_PREP(STE0_S1CTXPTR_MASK, CD_HOST >> 6);
	uint64_t s1_1 = FIELD_PREP(STE1_S1DSS, 2) | FIELD_PREP(STE1_S1CIR, 1) |
			FIELD_PREP(STE1_S1COR, 1) | FIELD_PREP(STE1_S1CSH, 3) |
			STE1_S1STALLD;

	rules_env(&e);
	e.dev.hw.ssid_bits = 8;
	e.dev.hw.cd2l = true;
	fill_junk(host);
	host[0] = ste0(STE_CFG_S1_TRANS) | s1_0 | FIELD_PREP(STE0_S1FMT, 1) |
		  FIELD_PREP(STE0_S1CDMAX, 8);
	host[1] = (host[1] & ~(STE1_S1DSS | STE1_S1CIR | STE1_S1COR | STE1_S1CSH |
			       STE1_S1STALLD)) | s1_1;
	/* The host names its own stage 2: VMID 5, a table in its memory. */
	host[2] = FIELD_PREP(STE2_S2VMID, 5) | FIELD_PREP(STE2_S2T0SZ, 16);
	host[3] = HOST_PAGE;
	EXPECT_EQ(shadow(&e, host, out, &site), SMMU_OK);
	EXPECT_EQ(out[0], ste0(STE_CFG_NESTED) | s1_0 | FIELD_PREP(STE0_S1FMT, 1) |
			  FIELD_PREP(STE0_S1CDMAX, 8));
	EXPECT_EQ(out[1], s1_1 | FIELD_PREP(STE1_SHCFG, STE1_SHCFG_INCOMING));
	EXPECT_EQ(out[2], e.dw2);
	EXPECT_EQ(out[3], e.dw3);
	EXPECT_EQ(out[4] | out[5] | out[6] | out[7], 0);
	fx_done(&e.f);
}

struct refusal {
	uint64_t dw0, dw1;
	const char *site;
};

static void forbidden_configurations_are_refused_with_their_site(void)
{
	static const struct refusal cases[] = {
		{ STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_S2_TRANS), 0, "ste.host_stage2" },
		{ STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_NESTED), 0, "ste.host_stage2" },
		{ STE0_V | FIELD_PREP(STE0_CFG, 1), 0, "ste.reserved_config" },
		{ STE0_V | FIELD_PREP(STE0_CFG, 2), 0, "ste.reserved_config" },
		{ STE0_V | FIELD_PREP(STE0_CFG, 3), 0, "ste.reserved_config" },
		/* ATS is hidden: no translated requests. */
		{ STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_BYPASS), FIELD_PREP(STE1_EATS, 1), "ste.eats" },
		{ STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_S1_TRANS), FIELD_PREP(STE1_EATS, 2), "ste.eats" },
		/* EL2 stream worlds are the hypervisor's. */
		{ STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_BYPASS), FIELD_PREP(STE1_STRW, 2), "ste.strw" },
		{ STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_S1_TRANS), FIELD_PREP(STE1_STRW, 1), "ste.strw" },
		/* qemu-virt: no 2-level CD tables, no SSIDs. */
		{ STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_S1_TRANS) | FIELD_PREP(STE0_S1FMT, 3), 0, "ste.s1fmt" },
		{ STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_S1_TRANS) | FIELD_PREP(STE0_S1FMT, 1), 0, "ste.s1fmt" },
		{ STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_S1_TRANS) | FIELD_PREP(STE0_S1CDMAX, 1), 0, "ste.s1cdmax" },
		{ STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_S1_TRANS), FIELD_PREP(STE1_S1DSS, 3), "ste.s1dss" },
	};
	size_t i;
	struct rules_env e;

	rules_env(&e);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t host[8] = { cases[i].dw0, cases[i].dw1 }, out[8];
		const char *site = NULL;

		if (shadow(&e, host, out, &site) == SMMU_OK || site == NULL) {
			CHECK_FAIL("case %zu accepted", i);
			continue;
		}
		EXPECT_STR(site, cases[i].site);
	}
	/* The same STEs without the offending field are accepted. */
	{
		uint64_t host[8] = { ste0(STE_CFG_S1_TRANS) }, out[8];
		const char *site;

		EXPECT_EQ(shadow(&e, host, out, &site), SMMU_OK);
	}
	fx_done(&e.f);
}

static void cd_format_and_ssid_limits_follow_the_hardware(void)
{
	struct rules_env e;
	uint64_t host[8] = { 0 }, out[8];
	const char *site;

	rules_env(&e);
	e.dev.hw.ssid_bits = 4;
	e.dev.hw.cd2l = true;
	host[0] = ste0(STE_CFG_S1_TRANS) | FIELD_PREP(STE0_S1CDMAX, 4) |
		  FIELD_PREP(STE0_S1FMT, 2);
	EXPECT_EQ(shadow(&e, host, out, &site), SMMU_OK);
	host[0] = FIELD_SET(STE0_S1CDMAX, host[0], 5);
	EXPECT(shadow(&e, host, out, &site) != SMMU_OK);
	EXPECT_STR(site, "ste.s1cdmax");
	host[0] = FIELD_SET(STE0_S1CDMAX, host[0], 4);
	host[0] = FIELD_SET(STE0_S1FMT, host[0], 3);	/* reserved */
	EXPECT(shadow(&e, host, out, &site) != SMMU_OK);
	EXPECT_STR(site, "ste.s1fmt");
	e.dev.hw.cd2l = false;
	host[0] = FIELD_SET(STE0_S1FMT, host[0], 1);
	EXPECT(shadow(&e, host, out, &site) != SMMU_OK);
	EXPECT_STR(site, "ste.s1fmt");
	fx_done(&e.f);
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Whatever the host writes, the output aborts, is invalid, or translates
 * through exactly the hypervisor's stage 2 with no override and nothing
 * the host chose outside its stage-1 fields.
 */
static void no_host_ste_escapes_the_hypervisors_stage_2(void)
{
	const uint64_t kept0 = STE0_V | STE0_CFG | STE0_S1FMT | STE0_S1CTXPTR_MASK |
			       STE0_S1CDMAX;
	const uint64_t kept1 = STE1_S1DSS | STE1_S1CIR | STE1_S1COR | STE1_S1CSH |
			       STE1_S1STALLD | STE1_SHCFG;
	struct rules_env e;
	uint64_t s = 0x9E3779B97F4A7C15ULL;
	unsigned n, i, accepted = 0, translating = 0;
	int failures_before = check_failures;

	rules_env(&e);
	for (n = 0; n < 200000; n++) {
		uint64_t host[8], out[8];
		const char *site;
		unsigned cfg;

		for (i = 0; i < 8; i++)
			host[i] = rng_next(&s);
		/* Bias towards the interesting configurations. */
		if (n & 1)
			host[1] &= ~(STE1_EATS | STE1_STRW | STE1_S1DSS);
		if (n & 2)
			host[0] &= ~(STE0_S1FMT | STE0_S1CDMAX);
		host[0] |= STE0_V;
		if (shadow(&e, host, out, &site) != SMMU_OK) {
			EXPECT(site != NULL);
			continue;
		}
		accepted++;
		cfg = (unsigned)FIELD_GET(STE0_CFG, out[0]);
		if (cfg == STE_CFG_ABORT) {
			EXPECT_EQ(out[0], ste0(STE_CFG_ABORT));
			continue;
		}
		translating++;
		EXPECT(cfg == STE_CFG_S2_TRANS || cfg == STE_CFG_NESTED);
		EXPECT_EQ(out[0] & ~kept0, 0);
		EXPECT_EQ(out[1] & ~kept1, 0);
		EXPECT_EQ(FIELD_GET(STE1_SHCFG, out[1]), STE1_SHCFG_INCOMING);
		EXPECT_EQ(out[2], e.dw2);
		EXPECT_EQ(out[3], e.dw3);
		EXPECT_EQ(out[4] | out[5] | out[6] | out[7], 0);
		if (check_failures != failures_before)
			break;		/* one counter-example is enough */
	}
	/* The loop exercised both outcomes. */
	EXPECT(accepted > 10000);
	EXPECT(translating > 5000);
	fx_done(&e.f);
}

/* ---- Part 2: through the emulated command queue --------------------------- */

/* Shadow STEs seen by the hardware at each CFGI_STE it executes. */
struct watch {
	struct fx *f;
	uint32_t sid;
	unsigned cfgi;			/* CFGI_STE of @sid executed */
	unsigned cfgi_all;
	uint64_t snap[8][8];
};

static struct watch *watching;

static void on_cmd(void *ctx, const uint64_t cmd[2])
{
	struct watch *wt = watching;
	uint64_t pa;
	uint64_t op = FIELD_GET(CMD0_OP, cmd[0]);

	(void)ctx;
	if (wt == NULL)
		return;
	if (op == CMDQ_OP_CFGI_STE_RANGE)
		wt->cfgi_all++;
	if (op != CMDQ_OP_CFGI_STE || FIELD_GET(CMD0_SID, cmd[0]) != wt->sid)
		return;
	if (wt->cfgi < 8 && hwm_ste_addr(fx_hw(wt->f), wt->sid, &pa))
		memcpy(wt->snap[wt->cfgi], world_ram(wt->f->w, pa, 64), 64);
	wt->cfgi++;
}

struct live {
	struct fx f;
	uint32_t prod;
	struct watch watch;
};

static void host_cmd(struct live *l, uint64_t dw0, uint64_t dw1)
{
	uint64_t cmd[2] = { dw0, dw1 };
	uint64_t slot = FX_CMDQ + (uint64_t)(l->prod & ((1U << QLOG2) - 1U)) * 16U;

	EXPECT_EQ(world_host_store(l->f.w, slot, cmd, sizeof(cmd)), 0);
	l->prod = (l->prod + 1U) & ((2U << QLOG2) - 1U);
	fx_wr(&l->f, SMMU_CMDQ_PROD, l->prod);
}

static void cfgi_ste(struct live *l, uint32_t sid)
{
	host_cmd(l, CMDQ_OP_CFGI_STE | FIELD_PREP(CMD0_SID, sid), CMD1_LEAF);
	host_cmd(l, CMDQ_OP_CMD_SYNC, 0);
}

static void cfgi_all(struct live *l)
{
	host_cmd(l, CMDQ_OP_CFGI_STE_RANGE, FIELD_PREP(CMD1_RANGE, 31));
	host_cmd(l, CMDQ_OP_CMD_SYNC, 0);
}

/* The host's L1 descriptor for L1 slot @idx. */
static void host_l1(struct live *l, uint32_t idx, uint64_t desc)
{
	EXPECT_EQ(world_host_store(l->f.w, FX_STRTAB + idx * 8ULL, &desc, 8), 0);
}

/* A full (Span 9) host L2 at L2_HOST + idx * 16 KiB. */
static void host_l2_full(struct live *l, uint32_t idx)
{
	host_l1(l, idx, (L2_HOST + idx * 0x4000ULL) | FIELD_PREP(STRTAB_L1_SPAN, 9));
}

static void host_ste(struct live *l, uint32_t sid, uint64_t dw0, uint64_t dw1)
{
	uint64_t ste[8] = { dw0, dw1 };
	uint64_t pa = L2_HOST + (sid >> 8) * 0x4000ULL + (sid & 0xFFU) * 64ULL;

	EXPECT_EQ(world_host_store(l->f.w, pa, ste, sizeof(ste)), 0);
}

/* The STE the hardware would use for @sid (NULL: none reachable). */
static const uint64_t *hw_ste(struct live *l, uint32_t sid)
{
	uint64_t pa;

	if (!hwm_ste_addr(fx_hw(&l->f), sid, &pa))
		return NULL;
	return (const uint64_t *)world_ram(l->f.w, pa, 64);
}

static unsigned hw_cfg(struct live *l, uint32_t sid)
{
	const uint64_t *s = hw_ste(l, sid);

	if (s == NULL || (s[0] & STE0_V) == 0)
		return 0xFF;	/* invalid */
	return (unsigned)FIELD_GET(STE0_CFG, s[0]);
}

static void live_up(struct live *l, bool smmuen)
{
	static const struct hwm_observer obs = { .cmd = on_cmd };

	memset(&l->watch, 0, sizeof(l->watch));
	l->watch.f = &l->f;
	l->watch.sid = ~0U;
	watching = &l->watch;
	fx_boot(&l->f);
	world_set_observer(l->f.w, 0, &obs);
	fx_program_queues(&l->f, QLOG2);
	l->prod = 0;
	fx_wr(&l->f, SMMU_CR0, CR0_CMDQEN | (smmuen ? CR0_SMMUEN : 0));
	EXPECT_EQ(fx_rejects(&l->f), 0);
}

static void live_down(struct live *l)
{
	watching = NULL;
	oracle_world_forget(l->f.w);
	fx_done(&l->f);
}

static bool dma(struct live *l, uint32_t sid, uint64_t iova, bool write,
		struct hwm_dma_result *r)
{
	return hwm_dma(fx_hw(&l->f), sid, false, 0, iova, write, r);
}

static void a_bypass_stream_reaches_host_memory_only_through_the_identity_map(void)
{
	struct live l;
	struct hwm_dma_result r;

	live_up(&l, true);
	host_l2_full(&l, 0);
	host_ste(&l, 5, ste0(STE_CFG_BYPASS), 0);
	cfgi_ste(&l, 5);
	EXPECT_EQ(fx_rejects(&l.f), 0);
	EXPECT_EQ(hw_cfg(&l, 5), STE_CFG_S2_TRANS);
	EXPECT(dma(&l, 5, HOST_PAGE + 0x18, true, &r));
	EXPECT(r.s2 && !r.s1 && !r.bypass);
	EXPECT_EQ(r.pa, HOST_PAGE + 0x18);
	EXPECT_EQ(r.memattr, 0xF);	/* normal write-back: memory */
	/* Hypervisor memory, a pool page, is not in the identity map. */
	EXPECT(!dma(&l, 5, WORLD_POOL_BASE + 0x1000, false, &r));
	EXPECT(!dma(&l, 5, WORLD_RAM_BASE, true, &r));
	/* A SID the host never configured aborts. */
	EXPECT(!dma(&l, 6, HOST_PAGE, false, &r));
	live_down(&l);
}

static void a_stage_1_stream_runs_nested_under_the_identity_map(void)
{
	struct live l;
	struct hwm_dma_result r;
	/* One CD: T0SZ 25, 4K granule, WB walks, IPS 44 bits, AA64, V,
	 * ASID 1; TTB0 at S1_TABLES; MAIR attr 0 = WB. */
	uint64_t cd[4] = { 0x00010204c0003519ULL, S1_TABLES, 0, 0xFF };
	uint64_t l1 = (S1_TABLES + 0x1000) | 3, l2 = (S1_TABLES + 0x2000) | 3;
	uint64_t to_host = HOST_PAGE | 0x703, to_hyp = WORLD_POOL_BASE | 0x703;

	live_up(&l, true);
	EXPECT_EQ(world_host_store(l.f.w, CD_HOST, cd, sizeof(cd)), 0);
	EXPECT_EQ(world_host_store(l.f.w, S1_TABLES, &l1, 8), 0);
	EXPECT_EQ(world_host_store(l.f.w, S1_TABLES + 0x1000, &l2, 8), 0);
	EXPECT_EQ(world_host_store(l.f.w, S1_TABLES + 0x2008, &to_host, 8), 0);
	EXPECT_EQ(world_host_store(l.f.w, S1_TABLES + 0x2010, &to_hyp, 8), 0);
	host_l2_full(&l, 0);
	host_ste(&l, 0x20, ste0(STE_CFG_S1_TRANS) | CD_HOST,
		 FIELD_PREP(STE1_S1CIR, 1) | FIELD_PREP(STE1_S1COR, 1) |
		 FIELD_PREP(STE1_S1CSH, 3));
	cfgi_ste(&l, 0x20);
	EXPECT_EQ(fx_rejects(&l.f), 0);
	EXPECT_EQ(hw_cfg(&l, 0x20), STE_CFG_NESTED);
	EXPECT(dma(&l, 0x20, 0x1010, true, &r));
	EXPECT(r.s1 && r.s2);
	EXPECT_EQ(r.pa, HOST_PAGE + 0x10);
	/* The host's stage 1 names hypervisor memory: stage 2 stops it. */
	EXPECT(!dma(&l, 0x20, 0x2000, false, &r));
	EXPECT(r.event != 0);
	live_down(&l);
}

static void the_shadow_l2_comes_from_the_pool_not_the_host(void)
{
	struct live l;
	const uint64_t *l1;
	struct smmu_dev *dev;
	uint64_t pa;

	live_up(&l, true);
	dev = &l.f.hyp.dev[0];
	l1 = (const uint64_t *)world_ram(l.f.w, dev->strtab_pa + 3 * 8, 8);
	EXPECT_EQ(*l1, 0);		/* nothing shadowed yet */
	host_l2_full(&l, 3);
	host_ste(&l, 0x305, ste0(STE_CFG_BYPASS), 0);
	cfgi_ste(&l, 0x305);
	EXPECT_EQ(FIELD_GET(STRTAB_L1_SPAN, *l1), 9);
	EXPECT(pool_owns(&l.f.hyp.pool, pa_init(*l1 & STRTAB_L1_L2PTR_MASK)));
	EXPECT(hwm_ste_addr(fx_hw(&l.f), 0x305, &pa));
	EXPECT_EQ(pa, (*l1 & STRTAB_L1_L2PTR_MASK) + 5 * 64);
	/* The hardware's table base is the hypervisor's too. */
	EXPECT_EQ(fx_hw(&l.f)->strtab_base & STRTAB_BASE_ADDR_MASK, dev->strtab_pa);
	/* Other SIDs of the new L2 are invalid, not the host's. */
	host_ste(&l, 0x306, ste0(STE_CFG_BYPASS), 0);
	EXPECT_EQ(hw_cfg(&l, 0x306), 0xFF);
	live_down(&l);
}

struct l1_case {
	uint64_t desc;
	const char *site;	/* NULL: accepted */
	unsigned cfg;		/* what the hardware then has for SID 1 */
};

static void level_1_descriptors_are_checked_before_the_l2_is_read(void)
{
	static const struct l1_case cases[] = {
		{ L2_HOST | FIELD_PREP(STRTAB_L1_SPAN, 10), "ste.l1_span", STE_CFG_ABORT },
		{ L2_HOST | FIELD_PREP(STRTAB_L1_SPAN, 31), "ste.l1_span", STE_CFG_ABORT },
		/* 256 STEs need 16 KiB alignment. */
		{ (L2_HOST + 0x1000) | FIELD_PREP(STRTAB_L1_SPAN, 9),
		  "ste.l1_l2ptr_unaligned", STE_CFG_ABORT },
		{ 0x10000000ULL | FIELD_PREP(STRTAB_L1_SPAN, 9), "ste.l1_l2ptr_not_ram",
		  STE_CFG_ABORT },
		{ WORLD_POOL_BASE | FIELD_PREP(STRTAB_L1_SPAN, 9), "ste.l1_l2ptr_not_host",
		  STE_CFG_ABORT },
		/* The L2 may not alias the L1 table or the command queue. */
		{ FX_STRTAB | FIELD_PREP(STRTAB_L1_SPAN, 9), "ste.l2_overlaps_l1_or_cmdq",
		  STE_CFG_ABORT },
		{ FX_CMDQ | FIELD_PREP(STRTAB_L1_SPAN, 9), "ste.l2_overlaps_l1_or_cmdq",
		  STE_CFG_ABORT },
		/* Span 0: no L2, the SID is invalid. */
		{ L2_HOST, NULL, 0xFF },
		/* Span 1: one STE (SID 0 only): SID 1 is invalid. */
		{ L2_HOST | FIELD_PREP(STRTAB_L1_SPAN, 1), NULL, 0xFF },
		/* Span 2: two STEs, 128-byte aligned. */
		{ (L2_HOST + 0x80) | FIELD_PREP(STRTAB_L1_SPAN, 2), NULL, STE_CFG_S2_TRANS },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct live l;
		uint64_t ste[8] = { ste0(STE_CFG_BYPASS) };
		uint64_t l2 = cases[i].desc & STRTAB_L1_L2PTR_MASK;

		live_up(&l, true);
		/* Put a bypass STE for SID 1 where the descriptor points, if
		 * the host can write there. */
		if (world_is_ram(l2) && l2 >= WORLD_HOST_BASE && l2 != FX_CMDQ &&
		    l2 != FX_STRTAB)
			EXPECT_EQ(world_host_store(l.f.w, l2 + 64, ste, sizeof(ste)), 0);
		host_l1(&l, 0, cases[i].desc);
		cfgi_ste(&l, 1);
		if (cases[i].site == NULL) {
			if (fx_rejects(&l.f) != 0)
				CHECK_FAIL("case %zu refused at %s", i, fx_first_reject(&l.f));
		} else {
			EXPECT_STR(fx_first_reject(&l.f), cases[i].site);
			/* The CFGI fails as real hardware fails a command. */
			EXPECT_EQ(FIELD_GET(CMDQ_CONS_ERR, fx_rd(&l.f, SMMU_CMDQ_CONS)),
				  CERROR_ILL);
		}
		if (hw_cfg(&l, 1) != cases[i].cfg)
			CHECK_FAIL("case %zu: hardware STE config %u, want %u", i,
				   hw_cfg(&l, 1), cases[i].cfg);
		live_down(&l);
	}
}

static void the_l2_is_pinned_only_while_it_is_copied(void)
{
	struct live l;

	live_up(&l, true);
	host_l2_full(&l, 0);
	host_ste(&l, 1, ste0(STE_CFG_BYPASS), 0);
	cfgi_ste(&l, 1);
	EXPECT_EQ(fx_rejects(&l.f), 0);
	EXPECT_EQ(pgs_pins(world_pgstate(l.f.w, L2_HOST)), 0);
	/* The L1 table is pinned while SMMUEN is set. */
	EXPECT_EQ(pgs_pins(world_pgstate(l.f.w, FX_STRTAB)), 1);
	live_down(&l);
}

/* Each snapshot the hardware could have used is invalid, the old, or the new. */
static void expect_hitless(struct live *l, const uint64_t old[8], const uint64_t *now)
{
	unsigned i, n = l->watch.cfgi < 8 ? l->watch.cfgi : 8;

	EXPECT(n >= 2);
	for (i = 0; i < n; i++) {
		const uint64_t *s = l->watch.snap[i];

		if ((s[0] & STE0_V) == 0)
			continue;
		if (memcmp(s, old, 64) != 0 && memcmp(s, now, 64) != 0)
			CHECK_FAIL("CFGI %u saw a valid STE that is neither old nor new", i);
	}
	/* The last CFGI saw the final entry. */
	EXPECT_EQ(memcmp(l->watch.snap[n - 1], now, 64), 0);
}

static void an_entry_is_installed_body_first_and_replaced_invalid_first(void)
{
	struct live l;
	uint64_t before[8];
	const uint64_t *now;

	live_up(&l, true);
	host_l2_full(&l, 0);
	l.watch.sid = 7;
	/* Invalid -> valid: the first CFGI sees the body with V = 0. */
	host_ste(&l, 7, ste0(STE_CFG_BYPASS), 0);
	cfgi_ste(&l, 7);
	now = hw_ste(&l, 7);
	EXPECT_EQ(l.watch.cfgi, 2);
	EXPECT_EQ(l.watch.snap[0][0] & STE0_V, 0);
	EXPECT_EQ(memcmp(&l.watch.snap[0][1], &now[1], 56), 0);
	memset(before, 0, sizeof(before));
	expect_hitless(&l, before, now);

	/* Valid -> different valid: V cleared first, then body, then V. */
	memcpy(before, now, 64);
	l.watch.cfgi = 0;
	host_ste(&l, 7, ste0(STE_CFG_S1_TRANS) | CD_HOST, 0);
	cfgi_ste(&l, 7);
	now = hw_ste(&l, 7);
	EXPECT_EQ(FIELD_GET(STE0_CFG, now[0]), STE_CFG_NESTED);
	EXPECT_EQ(l.watch.cfgi, 3);
	EXPECT_EQ(l.watch.snap[0][0] & STE0_V, 0);
	expect_hitless(&l, before, now);

	/* Valid -> invalid: word 0 first; one CFGI is enough. */
	memcpy(before, now, 64);
	l.watch.cfgi = 0;
	host_ste(&l, 7, 0, 0);
	cfgi_ste(&l, 7);
	EXPECT_EQ(hw_cfg(&l, 7), 0xFF);
	EXPECT(l.watch.cfgi >= 1);
	EXPECT_EQ(l.watch.snap[0][0] & STE0_V, 0);

	/* Unchanged: nothing is rewritten, one CFGI keeps caches honest. */
	l.watch.cfgi = 0;
	cfgi_ste(&l, 7);
	EXPECT_EQ(l.watch.cfgi, 1);
	live_down(&l);
}

static void a_refused_ste_replaces_a_working_one_with_abort(void)
{
	struct live l;
	struct hwm_dma_result r;

	live_up(&l, true);
	host_l2_full(&l, 0);
	host_ste(&l, 9, ste0(STE_CFG_BYPASS), 0);
	cfgi_ste(&l, 9);
	EXPECT(dma(&l, 9, HOST_PAGE, false, &r));
	host_ste(&l, 9, ste0(STE_CFG_S2_TRANS), 0);
	cfgi_ste(&l, 9);
	EXPECT_STR(fx_first_reject(&l.f), "ste.host_stage2");
	EXPECT_EQ(hw_cfg(&l, 9), STE_CFG_ABORT);
	EXPECT(!dma(&l, 9, HOST_PAGE, false, &r));
	live_down(&l);
}

static void the_host_table_is_read_once_per_cfgi(void)
{
	struct live l;

	live_up(&l, true);
	host_l2_full(&l, 0);
	host_ste(&l, 2, ste0(STE_CFG_BYPASS), 0);
	/* The host rewrites the STE as soon as it is read; the shadow is
	 * built from the first read (the double-fetch oracle would stop the
	 * world on a second). */
	world_race_arm(l.f.w, L2_HOST + 2 * 64, ste0(STE_CFG_S2_TRANS), 8);
	cfgi_ste(&l, 2);
	EXPECT_EQ(world_outcome(l.f.w)->stop, WORLD_RUNNING);
	EXPECT_EQ(hw_cfg(&l, 2), STE_CFG_S2_TRANS);	/* from bypass */
	live_down(&l);
}

static void enabling_shadows_the_whole_host_table_at_once(void)
{
	struct live l;
	struct hwm_dma_result r;

	live_up(&l, false);
	host_l2_full(&l, 0);
	host_l2_full(&l, 2);
	host_ste(&l, 0x001, ste0(STE_CFG_BYPASS), 0);
	host_ste(&l, 0x0FF, ste0(STE_CFG_ABORT), 0);
	host_ste(&l, 0x210, ste0(STE_CFG_S2_TRANS), 0);	/* refused */
	host_ste(&l, 0x211, ste0(STE_CFG_BYPASS), 0);
	/* CFGIs while SMMUEN = 0 read nothing (the table is not shared). */
	cfgi_ste(&l, 0x001);
	EXPECT_EQ(hw_cfg(&l, 0x001), 0xFF);
	l.watch.cfgi_all = 0;
	fx_wr(&l.f, SMMU_CR0, CR0_CMDQEN | CR0_SMMUEN);
	EXPECT_STR(fx_first_reject(&l.f), "ste.host_stage2");
	EXPECT_EQ(fx_rd(&l.f, SMMU_CR0ACK) & CR0_SMMUEN, CR0_SMMUEN);
	EXPECT_EQ(l.watch.cfgi_all, 1);
	EXPECT_EQ(hw_cfg(&l, 0x001), STE_CFG_S2_TRANS);
	EXPECT_EQ(hw_cfg(&l, 0x0FF), STE_CFG_ABORT);
	EXPECT_EQ(hw_cfg(&l, 0x210), STE_CFG_ABORT);
	EXPECT_EQ(hw_cfg(&l, 0x211), STE_CFG_S2_TRANS);
	EXPECT_EQ(hw_cfg(&l, 0x100), 0xFF);	/* L1 slot 1 has no L2 */
	EXPECT(dma(&l, 0x211, HOST_PAGE, true, &r));
	live_down(&l);
}

static void cfgi_all_reinstalls_only_the_entries_that_changed(void)
{
	struct live l;

	live_up(&l, true);
	host_l2_full(&l, 0);
	host_ste(&l, 3, ste0(STE_CFG_BYPASS), 0);
	host_ste(&l, 4, ste0(STE_CFG_BYPASS), 0);
	cfgi_all(&l);
	EXPECT_EQ(fx_rejects(&l.f), 0);
	EXPECT_EQ(hw_cfg(&l, 3), STE_CFG_S2_TRANS);
	EXPECT_EQ(hw_cfg(&l, 4), STE_CFG_S2_TRANS);
	/* Rewrite 4 only: its chunk goes through the ordered install (made
	 * invalid, bodies, valid words: a CFGI_ALL each), 3 is left alone. */
	host_ste(&l, 4, ste0(STE_CFG_ABORT), 0);
	l.watch.sid = 3;
	l.watch.cfgi = 0;
	l.watch.cfgi_all = 0;
	cfgi_all(&l);
	EXPECT_EQ(hw_cfg(&l, 4), STE_CFG_ABORT);
	EXPECT_EQ(hw_cfg(&l, 3), STE_CFG_S2_TRANS);
	EXPECT_EQ(l.watch.cfgi, 0);	/* 3 unchanged: left alone */
	EXPECT_EQ(l.watch.cfgi_all, 3 + 1);	/* the passes, then the table's */
	/* The host drops L1 slot 0: its shadow STEs become invalid. */
	host_l1(&l, 0, 0);
	cfgi_all(&l);
	EXPECT_EQ(hw_cfg(&l, 3), 0xFF);
	EXPECT_EQ(fx_rd(&l.f, SMMU_CMDQ_CONS), l.prod);
	live_down(&l);
}

struct cfg_case {
	uint32_t cfg;
	uint64_t base;
	const char *site;
};

static void the_host_table_must_match_the_hardware_at_enable(void)
{
	static const struct cfg_case cases[] = {
		{ FIELD_PREP(STRTAB_CFG_LOG2SIZE, 8), FX_STRTAB, "strtab.format_differs_from_hw" },
		{ FIELD_PREP(STRTAB_CFG_FMT, 3) | FIELD_PREP(STRTAB_CFG_LOG2SIZE, 16), FX_STRTAB,
		  "strtab.reserved_format" },
		{ FIELD_PREP(STRTAB_CFG_FMT, 1) | FIELD_PREP(STRTAB_CFG_SPLIT, 6) |
		  FIELD_PREP(STRTAB_CFG_LOG2SIZE, 16), FX_STRTAB, "strtab.split_not_8" },
		{ FIELD_PREP(STRTAB_CFG_FMT, 1) | FIELD_PREP(STRTAB_CFG_SPLIT, 8) |
		  FIELD_PREP(STRTAB_CFG_LOG2SIZE, 17), FX_STRTAB, "strtab.log2size_too_big" },
		{ FIELD_PREP(STRTAB_CFG_FMT, 1) | FIELD_PREP(STRTAB_CFG_SPLIT, 8) |
		  FIELD_PREP(STRTAB_CFG_LOG2SIZE, 8), FX_STRTAB, "strtab.log2size_out_of_range" },
		{ FIELD_PREP(STRTAB_CFG_FMT, 1) | FIELD_PREP(STRTAB_CFG_SPLIT, 8) |
		  FIELD_PREP(STRTAB_CFG_LOG2SIZE, 16), 0x10000000ULL, "strtab.base_not_ram" },
		{ FIELD_PREP(STRTAB_CFG_FMT, 1) | FIELD_PREP(STRTAB_CFG_SPLIT, 8) |
		  FIELD_PREP(STRTAB_CFG_LOG2SIZE, 16), WORLD_POOL_BASE, "strtab.pages_not_host" },
		{ FIELD_PREP(STRTAB_CFG_FMT, 1) | FIELD_PREP(STRTAB_CFG_SPLIT, 8) |
		  FIELD_PREP(STRTAB_CFG_LOG2SIZE, 16), FX_CMDQ, "strtab.overlaps_cmdq" },
		{ FIELD_PREP(STRTAB_CFG_FMT, 1) | FIELD_PREP(STRTAB_CFG_SPLIT, 8) |
		  FIELD_PREP(STRTAB_CFG_LOG2SIZE, 9), FX_STRTAB, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx f;

		fx_boot(&f);
		fx_program_queues(&f, QLOG2);
		fx_wr(&f, SMMU_CR0, CR0_CMDQEN);
		fx_wr64(&f, SMMU_STRTAB_BASE, cases[i].base);
		fx_wr(&f, SMMU_STRTAB_BASE_CFG, cases[i].cfg);
		EXPECT_EQ(fx_rejects(&f), 0);
		fx_wr(&f, SMMU_CR0, CR0_CMDQEN | CR0_SMMUEN);
		if (cases[i].site == NULL) {
			EXPECT_EQ(fx_rejects(&f), 0);
			EXPECT_EQ(fx_rd(&f, SMMU_CR0ACK) & CR0_SMMUEN, CR0_SMMUEN);
			EXPECT_EQ(pgs_pins(world_pgstate(f.w, cases[i].base)), 1);
			/* Base and format are fixed while enabled. */
			fx_wr(&f, SMMU_STRTAB_BASE_CFG, 0);
			EXPECT_STR(fx_first_reject(&f), "strtab.write_while_enabled");
			fx_wr(&f, SMMU_CR0, CR0_CMDQEN);
			EXPECT_EQ(pgs_pins(world_pgstate(f.w, cases[i].base)), 0);
		} else {
			EXPECT_STR(fx_first_reject(&f), cases[i].site);
			EXPECT_EQ(fx_rd(&f, SMMU_CR0ACK) & CR0_SMMUEN, 0);
			EXPECT_EQ(fx_hw(&f)->cr0 & CR0_SMMUEN, 0);
		}
		fx_done(&f);
	}
}

static void a_linear_table_is_shadowed_entry_by_entry(void)
{
	struct fx f;
	uint64_t ste[8] = { ste0(STE_CFG_BYPASS) }, cmd[4], pa;
	struct hwm_dma_result r;

	/* linear-msi: linear stream table, 8 SID bits. */
	fx_boot_hw(&f, "linear-msi", 1);
	EXPECT_EQ(f.boot_err, 0);
	fx_program_queues(&f, QLOG2);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN | CR0_SMMUEN);
	EXPECT_EQ(fx_rejects(&f), 0);
	EXPECT_EQ(world_host_store(f.w, FX_STRTAB + 0x42 * 64, ste, 64), 0);
	cmd[0] = CMDQ_OP_CFGI_STE | FIELD_PREP(CMD0_SID, 0x42);
	cmd[1] = CMD1_LEAF;
	cmd[2] = CMDQ_OP_CMD_SYNC;
	cmd[3] = 0;
	EXPECT_EQ(world_host_store(f.w, FX_CMDQ, cmd, sizeof(cmd)), 0);
	fx_wr(&f, SMMU_CMDQ_PROD, 2);
	EXPECT_EQ(fx_rd(&f, SMMU_CMDQ_CONS), 2);
	EXPECT(hwm_ste_addr(fx_hw(&f), 0x42, &pa));
	EXPECT(pool_owns(&f.hyp.pool, pa_init(pa)));
	EXPECT_EQ(FIELD_GET(STE0_CFG, *(uint64_t *)world_ram(f.w, pa, 8)), STE_CFG_S2_TRANS);
	EXPECT(hwm_dma(fx_hw(&f), 0x42, false, 0, HOST_PAGE, false, &r));
	EXPECT_EQ(r.pa, HOST_PAGE);
	fx_done(&f);
}

static void a_command_queue_over_the_pinned_stream_table_is_refused(void)
{
	struct live l;

	live_up(&l, true);
	/* The queue goes off while translating goes on, then comes back
	 * over the stream table the hypervisor reads at every CFGI. */
	fx_wr(&l.f, SMMU_CR0, CR0_SMMUEN);
	EXPECT_EQ(fx_rejects(&l.f), 0);
	fx_wr64(&l.f, SMMU_CMDQ_BASE, FX_STRTAB | QLOG2);
	fx_wr(&l.f, SMMU_CR0, CR0_SMMUEN | CR0_CMDQEN);
	EXPECT_STR(fx_first_reject(&l.f), "cmdq.overlaps_strtab");
	EXPECT_EQ(fx_rd(&l.f, SMMU_CR0ACK) & CR0_CMDQEN, 0);
	/* Elsewhere it is fine. */
	fx_clear(&l.f);
	fx_wr64(&l.f, SMMU_CMDQ_BASE, FX_CMDQ | QLOG2);
	fx_wr(&l.f, SMMU_CR0, CR0_SMMUEN | CR0_CMDQEN);
	EXPECT_EQ(fx_rejects(&l.f), 0);
	EXPECT_EQ(fx_rd(&l.f, SMMU_CR0ACK) & CR0_CMDQEN, CR0_CMDQEN);
	live_down(&l);
}

/* A new shadow L2 with the pool exhausted stops the hypervisor: a DoS by
 * design (strtab.pool_exhausted), never a half-installed STE. */
static void a_shadow_l2_the_pool_cannot_hold_stops_the_hypervisor(void)
{
	struct live l;
	pa_t pa;
	unsigned n = 0;

	live_up(&l, true);
	host_l2_full(&l, 0);
	host_l2_full(&l, 1);
	host_ste(&l, 0x001, ste0(STE_CFG_BYPASS), 0);
	host_ste(&l, 0x101, ste0(STE_CFG_BYPASS), 0);
	cfgi_ste(&l, 0x001);
	EXPECT_EQ(hw_cfg(&l, 0x001), STE_CFG_S2_TRANS);
	/* Leave less than one L2 table (four pages) in the pool. */
	while (pool_alloc(&l.f.hyp.pool, 2, &pa) == SMMU_OK)
		n++;
	EXPECT(n > 0);
	EXPECT_EQ(FX_EXPECT_STOP(&l.f, cfgi_ste(&l, 0x101)), WORLD_STOP_REJECT);
	EXPECT_STR(world_outcome(l.f.w)->stop_site, "strtab.pool_exhausted");
	EXPECT_EQ(hw_cfg(&l, 0x101), 0xFF);
	live_down(&l);
}

/* ---- Part 3: each stream-table oracle clause fires ------------------------ */


/* A live SMMU with SID 5 translating through a shadow L2; the oracle told
 * about the boot (the root the hypervisor claims is checked, not trusted). */
static uint64_t *oracle_setup(struct live *l)
{
	uint64_t pa, dw2, dw3;

	live_up(l, true);
	host_l2_full(l, 0);
	host_ste(l, 5, ste0(STE_CFG_BYPASS), 0);
	cfgi_ste(l, 5);
	smmu_stage2_words(&l->f.hyp, &dw2, &dw3);
	EXPECT_EQ(FX_EXPECT_STOP(&l->f, oracle_world_init(l->f.w, dw3 & STE3_S2TTB_MASK)),
		  WORLD_RUNNING);
	EXPECT(hwm_ste_addr(fx_hw(&l->f), 5, &pa));
	/* Untouched, no clause fires. */
	EXPECT_EQ(FX_EXPECT_STOP(&l->f, oracle_ste(l->f.w, 0, 5)), WORLD_RUNNING);
	EXPECT_EQ(FX_EXPECT_STOP(&l->f, oracle_stream_tables(l->f.w)), WORLD_RUNNING);
	return (uint64_t *)world_ram(l->f.w, pa, 64);
}

static void ste_oracle_catches_a_translating_ste_without_stage_2(void)
{
	struct live l;
	uint64_t *ste = oracle_setup(&l);

	ste[0] = FIELD_SET(STE0_CFG, ste[0], STE_CFG_BYPASS);
	FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 5));
	fx_expect_oracle(&l.f, "ste-without-hyp-stage2");
	FX_EXPECT_STOP(&l.f, oracle_stream_tables(l.f.w));
	fx_expect_oracle(&l.f, "ste-without-hyp-stage2");
	live_down(&l);
}

static void ste_oracle_catches_a_stage_2_that_is_not_the_hypervisors(void)
{
	struct live l;
	uint64_t *ste = oracle_setup(&l), dw3 = ste[3];

	ste[3] = HOST_PAGE;		/* a host-chosen stage-2 table */
	FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 5));
	fx_expect_oracle(&l.f, "isolation:ste-field-s2ttb");
	ste[3] = dw3;
	ste[2] = FIELD_SET(STE2_S2VMID, ste[2], 3);
	FX_EXPECT_STOP(&l.f, oracle_stream_tables(l.f.w));
	fx_expect_oracle(&l.f, "isolation:ste-field-s2vmid");
	live_down(&l);
}

static void ste_oracle_catches_an_ste_in_host_memory(void)
{
	struct live l;
	uint64_t *l1;

	(void)oracle_setup(&l);
	/* Point the shadow L1 slot at the host's own L2. */
	l1 = (uint64_t *)world_ram(l.f.w, l.f.hyp.dev[0].strtab_pa, 8);
	*l1 = L2_HOST | FIELD_PREP(STRTAB_L1_SPAN, 9);
	FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 5));
	fx_expect_oracle(&l.f, "ste-not-hyp-memory");
	FX_EXPECT_STOP(&l.f, oracle_stream_tables(l.f.w));
	fx_expect_oracle(&l.f, "l2-not-hyp-memory");
	live_down(&l);
}

/*
 * After the baseline (the snapshot, judged whole), the audit judges what
 * the world's dirty record says changed: a written STE or L1 descriptor is
 * caught at once; a write the platform never saw is caught by the sweep
 * (a few chunks an input, round and round).
 */
static void ste_oracle_judges_what_an_input_wrote_and_everything_now_and_then(void)
{
	struct live l;
	uint64_t *ste = oracle_setup(&l), *l1, pa, keep, l1_keep;
	unsigned i, runs;

	EXPECT(hwm_ste_addr(fx_hw(&l.f), 5, &pa));
	world_snapshot(l.f.w);		/* nothing dirty from here on */
	EXPECT_EQ(FX_EXPECT_STOP(&l.f, oracle_stream_tables_baseline(l.f.w)), WORLD_RUNNING);
	EXPECT_EQ(FX_EXPECT_STOP(&l.f, oracle_stream_tables(l.f.w)), WORLD_RUNNING);
	/* Published: caught by the next audit. */
	keep = ste[0];
	ste[0] = FIELD_SET(STE0_CFG, ste[0], STE_CFG_BYPASS);
	plat_dma_publish(&ste[0], 8);
	FX_EXPECT_STOP(&l.f, oracle_stream_tables(l.f.w));
	fx_expect_oracle(&l.f, "ste-without-hyp-stage2");
	ste[0] = keep;
	/* An L1 descriptor written names a new L2: judged whole. */
	l1 = (uint64_t *)world_ram(l.f.w, l.f.hyp.dev[0].strtab_pa + 8U, 8);
	l1_keep = *l1;
	*l1 = L2_HOST | FIELD_PREP(STRTAB_L1_SPAN, 9);
	plat_dma_publish(l1, 8);
	FX_EXPECT_STOP(&l.f, oracle_stream_tables(l.f.w));
	fx_expect_oracle(&l.f, "l2-not-hyp-memory");
	*l1 = l1_keep;
	/* Behind the platform's back: the incremental audit cannot see it,
	 * the sweep does. */
	world_snapshot(l.f.w);
	EXPECT_EQ(FX_EXPECT_STOP(&l.f, oracle_stream_tables_baseline(l.f.w)), WORLD_RUNNING);
	ste[0] = FIELD_SET(STE0_CFG, ste[0], STE_CFG_BYPASS);
	for (runs = 0, i = 0; i < 4096; i++) {
		runs++;
		if (FX_EXPECT_STOP(&l.f, oracle_stream_tables(l.f.w)) != WORLD_RUNNING)
			break;
	}
	fx_expect_oracle(&l.f, "ste-without-hyp-stage2");
	EXPECT(runs < 4096);
	ste[0] = keep;
	live_down(&l);
}

/* ---- Part 4: the STE oracle's own expectations ------------------------------- */

static void the_ste_field_table_covers_every_bit_of_all_eight_dwords_once(void)
{
	uint64_t seen[8] = { 0 };
	size_t i;

	for (i = 0; i < oracle_ste_field_count(); i++) {
		const struct oracle_ste_field *f = oracle_ste_field(i);

		if (f->dw >= 8 || f->mask == 0) {
			CHECK_FAIL("field %s: dword %u mask 0x%" PRIx64, f->name, f->dw, f->mask);
			continue;
		}
		if (seen[f->dw] & f->mask)
			CHECK_FAIL("field %s overlaps another in dword %u", f->name, f->dw);
		seen[f->dw] |= f->mask;
	}
	for (i = 0; i < 8; i++)
		EXPECT_EQ(seen[i], ~0ULL);
	EXPECT(oracle_ste_field(oracle_ste_field_count()) == NULL);
}

/* A world of @count SMMUs of profile @hw whose IDR5.OAS is @oas (the
 * field restated: bits [2:0]) and IDR3.BBML @bbml (bits [12:11]). */
static struct world *world_oas(const char *hw, unsigned count, unsigned oas,
			       unsigned bbml, struct hwm_config *cfg)
{
	struct world_config wc = { .smmu_count = count };
	unsigned i;

	*cfg = *hwm_profile((unsigned)hwm_profile_find(hw));
	cfg->idr[5] = (cfg->idr[5] & ~7U) | oas;
	cfg->idr[3] = (cfg->idr[3] & ~(3U << 11)) | (bbml << 11);
	for (i = 0; i < count; i++)
		wc.hw[i] = cfg;
	return world_new(&wc);
}

/*
 * The expectation comes from the hardware alone (no core is booted on
 * these worlds): IAS is the smallest OAS, capped at 48; the start level
 * the deepest with at most 16 concatenated tables; the VTCR-like fields
 * and the fixed ones as the architecture encodes them.
 */
static void the_stage_2_expectation_comes_from_the_hardware_alone(void)
{
	static const struct {
		unsigned oas, ias, start, concat_log2, sl0, ps;
	} want[] = {
		{ 0, 32, 2, 2, 0, 0 },	/* 32 bits: 2048 level-2 entries, 4 tables */
		{ 1, 36, 1, 0, 1, 1 },
		{ 2, 40, 1, 1, 1, 2 },	/* the linear-msi profile */
		{ 3, 42, 1, 3, 1, 3 },
		{ 4, 44, 0, 0, 2, 4 },	/* qemu-virt */
		{ 5, 48, 0, 0, 2, 5 },	/* mmu700 */
		{ 6, 48, 0, 0, 2, 5 },	/* 52 bits: capped at 48 */
	};
	struct hwm_config cfg;
	struct oracle_s2 e;
	unsigned i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct world *w = world_oas("qemu-virt", 1, want[i].oas, 2, &cfg);

		oracle_expect_stage2(&e, w);
		EXPECT_EQ(e.ias, want[i].ias);
		EXPECT_EQ(e.start, want[i].start);
		EXPECT_EQ(e.concat_log2, want[i].concat_log2);
		EXPECT_EQ(e.t0sz, 64U - want[i].ias);
		EXPECT_EQ(e.sl0, want[i].sl0);
		EXPECT_EQ(e.ps, want[i].ps);
		EXPECT_EQ(e.min_bbml, 2);
		EXPECT_EQ(e.ttb, 0);
		/* Dword 2 bit by bit (IHI 0070 5.2): T0SZ [37:32], SL0 [39:38],
		 * IR0 = OR0 = 1 [41:40] [43:42], SH0 = 3 [45:44], TG = 0 [47:46],
		 * PS [50:48], AA64 51, PTW 54, R 58; nothing else. */
		EXPECT_EQ(e.dw2, ((uint64_t)(64U - want[i].ias) << 32) |
				 ((uint64_t)want[i].sl0 << 38) | (1ULL << 40) | (1ULL << 42) |
				 (3ULL << 44) | ((uint64_t)want[i].ps << 48) | (1ULL << 51) |
				 (1ULL << 54) | (1ULL << 58));
		world_free(w);
	}
	/* Several SMMUs: the smallest OAS and the smallest BBML. */
	{
		struct world_config wc = { .smmu_count = 2 };
		struct hwm_config a, b;
		struct world *w;

		a = *hwm_profile((unsigned)hwm_profile_find("mmu700"));
		b = *hwm_profile((unsigned)hwm_profile_find("linear-msi"));
		wc.hw[0] = &a;
		wc.hw[1] = &b;
		w = world_new(&wc);
		oracle_expect_stage2(&e, w);
		EXPECT_EQ(e.ias, 40);
		EXPECT_EQ(e.min_bbml, 0);
		world_free(w);
	}
}

/* Today's core agrees with the architecture on every profile. */
static void the_cores_stage_2_words_match_the_expectation(void)
{
	static const char *const hw[] = { "qemu-virt", "linear-msi", "mmu700" };
	unsigned i;

	for (i = 0; i < 3; i++) {
		struct oracle_s2 e;
		uint64_t dw2, dw3;
		struct fx f;

		fx_boot_hw(&f, hw[i], 1);
		EXPECT_EQ(f.boot_err, 0);
		oracle_expect_stage2(&e, f.w);
		smmu_stage2_words(&f.hyp, &dw2, &dw3);
		if (dw2 != e.dw2)
			CHECK_FAIL("%s: core dw2 0x%" PRIx64 ", expected 0x%" PRIx64, hw[i],
				   dw2, e.dw2);
		fx_done(&f);
	}
}

/* SID 5 bypass (stage 2 only) and SID 6 stage 1 (nested) on a live SMMU,
 * the oracle told the root; their hardware STEs, in the shadow table. */
static void two_live_streams(struct live *l, uint64_t **s2only, uint64_t **nested)
{
	uint64_t pa;

	*s2only = oracle_setup(l);
	host_ste(l, 6, ste0(STE_CFG_S1_TRANS) | (CD_HOST & STE0_S1CTXPTR_MASK), 0);
	cfgi_ste(l, 6);
	EXPECT_EQ(hw_cfg(l, 6), STE_CFG_NESTED);
	EXPECT(hwm_ste_addr(fx_hw(&l->f), 6, &pa));
	*nested = (uint64_t *)world_ram(l->f.w, pa, 64);
	EXPECT_EQ(FX_EXPECT_STOP(&l->f, oracle_ste(l->f.w, 0, 6)), WORLD_RUNNING);
}

/* Flip @bit of @ste's dword @dw and judge it; NULL: expected to pass. */
static void judge_flip(struct live *l, uint64_t *ste, uint32_t sid, unsigned dw,
		       unsigned bit, const char *want, const char *what)
{
	uint64_t saved = ste[dw];
	char sig[96];
	int stop;

	ste[dw] ^= 1ULL << bit;
	stop = FX_EXPECT_STOP(&l->f, oracle_ste(l->f.w, 0, sid));
	ste[dw] = saved;
	if (want == NULL) {
		if (stop != WORLD_RUNNING)
			CHECK_FAIL("%s: dw%u bit %u: caught as %s", what, dw, bit,
				   world_outcome(l->f.w)->stop_site);
		return;
	}
	snprintf(sig, sizeof(sig), "isolation:ste-field-%s", want);
	if (stop != WORLD_STOP_ORACLE || strcmp(world_outcome(l->f.w)->stop_site, sig) != 0)
		CHECK_FAIL("%s: dw%u bit %u: expected %s, got '%s'", what, dw, bit, sig,
			   stop == WORLD_RUNNING ? "nothing" : world_outcome(l->f.w)->stop_site);
	world_outcome_reset(l->f.w);
}

/*
 * A core that gets any one field of a translating STE wrong is caught: the
 * hardware STEs are changed in the shadow table, one bit at a time (each
 * field's lowest and highest bit), and judged. Fields the table leaves to
 * the host (its stage 1, in nested) or to software are near misses.
 */
static void every_field_of_a_translating_ste_is_judged_against_the_table(void)
{
	struct live l;
	uint64_t *s2, *nested;
	size_t i;

	two_live_streams(&l, &s2, &nested);
	for (i = 0; i < oracle_ste_field_count(); i++) {
		const struct oracle_ste_field *f = oracle_ste_field(i);
		unsigned lo = (unsigned)__builtin_ctzll(f->mask);
		unsigned hi = 63U - (unsigned)__builtin_clzll(f->mask);

		if (f->dw == 0 && lo < 4)
			continue;	/* V and Config: judged on their own */
		judge_flip(&l, s2, 5, f->dw, lo, f->rule_s2 == ORACLE_STE_ANY ? NULL : f->name,
			   "stage 2 only");
		judge_flip(&l, s2, 5, f->dw, hi, f->rule_s2 == ORACLE_STE_ANY ? NULL : f->name,
			   "stage 2 only");
		judge_flip(&l, nested, 6, f->dw, lo,
			   f->rule_nested == ORACLE_STE_ANY ? NULL : f->name, "nested");
		judge_flip(&l, nested, 6, f->dw, hi,
			   f->rule_nested == ORACLE_STE_ANY ? NULL : f->name, "nested");
	}
	/* The whole-table audit uses the same rules. */
	s2[2] ^= 1ULL << 32;		/* S2T0SZ one bit off */
	FX_EXPECT_STOP(&l.f, oracle_stream_tables(l.f.w));
	fx_expect_oracle(&l.f, "isolation:ste-field-s2t0sz");
	s2[2] ^= 1ULL << 32;
	EXPECT_EQ(FX_EXPECT_STOP(&l.f, oracle_stream_tables(l.f.w)), WORLD_RUNNING);
	live_down(&l);
}

/*
 * The table's content, spot-checked at positions restated from IHI 0070
 * 5.2 (the test above only shows the table is enforced): what the threat
 * model forbids, what the host keeps in nested, what software may use.
 */
static void the_fields_sit_where_the_architecture_puts_them(void)
{
	static const struct {
		unsigned dw, bit;
		const char *s2only, *nested;	/* NULL: allowed */
	} cases[] = {
		{ 0, 4, "s1fmt", NULL }, { 0, 6, "s1contextptr", NULL },
		{ 0, 55, "s1contextptr", NULL }, { 0, 56, "dw0-res0", "dw0-res0" },
		{ 0, 59, "s1cdmax", NULL },
		{ 1, 0, "s1dss", NULL }, { 1, 2, "s1cir", NULL }, { 1, 4, "s1cor", NULL },
		{ 1, 6, "s1csh", NULL }, { 1, 27, "s1stalld", NULL },
		{ 1, 8, "s2hwu", "s2hwu" }, { 1, 12, "dre", "dre" }, { 1, 13, "cont", "cont" },
		{ 1, 17, "dcp", "dcp" }, { 1, 18, "ppar", "ppar" }, { 1, 19, "mev", "mev" },
		{ 1, 20, NULL, NULL }, { 1, 23, NULL, NULL },	/* SW_RESERVED */
		{ 1, 25, "s2fwb", "s2fwb" }, { 1, 26, "s1mpam", "s1mpam" },
		{ 1, 28, "eats", "eats" }, { 1, 30, "strw", "strw" },
		{ 1, 32, "memattr", "memattr" }, { 1, 36, "mtcfg", "mtcfg" },
		{ 1, 37, "alloccfg", "alloccfg" }, { 1, 41, "dw1-res0", "dw1-res0" },
		{ 1, 44, "shcfg", "shcfg" }, { 1, 45, "shcfg", "shcfg" },
		{ 1, 46, "nscfg", "nscfg" }, { 1, 48, "privcfg", "privcfg" },
		{ 1, 50, "instcfg", "instcfg" }, { 1, 52, "dw1-impdef", "dw1-impdef" },
		{ 2, 0, "s2vmid", "s2vmid" }, { 2, 16, "dw2-impdef", "dw2-impdef" },
		{ 2, 54, "s2ptw", "s2ptw" }, { 2, 58, "s2r", "s2r" }, { 2, 57, "s2s", "s2s" },
		{ 2, 56, "s2ha", "s2ha" }, { 2, 53, "s2affd", "s2affd" },
		{ 3, 0, "s2nsw", "s2nsw" }, { 3, 3, "s2ds", "s2ds" }, { 3, 12, "s2ttb", "s2ttb" },
		{ 3, 4, "s2ttb", "s2ttb" }, { 3, 52, "s2ttb-res0", "s2ttb-res0" },
		{ 4, 16, "partid", "partid" }, { 4, 48, "mecid", "mecid" },
		{ 5, 12, "vmsptr", "vmsptr" }, { 6, 4, "s-s2ttb", "s-s2ttb" },
		{ 7, 0, "s2poi", "s2poi" }, { 7, 63, "s2poi", "s2poi" },
	};
	struct live l;
	uint64_t *s2, *nested;
	size_t i;

	two_live_streams(&l, &s2, &nested);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		judge_flip(&l, s2, 5, cases[i].dw, cases[i].bit, cases[i].s2only, "stage 2 only");
		judge_flip(&l, nested, 6, cases[i].dw, cases[i].bit, cases[i].nested, "nested");
	}
	live_down(&l);
}

/*
 * A stage 2 the architecture would accept is still wrong if it is not the
 * hypervisor's: 40 bits starting at level 1 is a legal walk, but qemu-virt
 * has 44; a 16 KiB granule, big-endian walks or VMID 1 likewise.
 */
static void a_legal_but_different_stage_2_is_caught(void)
{
	struct live l;
	uint64_t *ste = oracle_setup(&l), dw2 = ste[2];

	ste[2] = (dw2 & ~(0xFFULL << 32)) | (24ULL << 32) | (1ULL << 38);
	FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 5));
	fx_expect_oracle(&l.f, "isolation:ste-field-s2t0sz");
	ste[2] = (dw2 & ~(3ULL << 46)) | (2ULL << 46);
	FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 5));
	fx_expect_oracle(&l.f, "isolation:ste-field-s2tg");
	ste[2] = dw2 | (1ULL << 52);
	FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 5));
	fx_expect_oracle(&l.f, "isolation:ste-field-s2endi");
	ste[2] = dw2 | 1U;
	FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 5));
	fx_expect_oracle(&l.f, "isolation:ste-field-s2vmid");
	ste[2] = dw2;
	EXPECT_EQ(FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 5)), WORLD_RUNNING);
	live_down(&l);
}

/*
 * V = 0: the SMMU ignores every other field (the install order relies on
 * it). Abort: only CONT is obeyed. Reserved configurations are caught.
 */
static void invalid_and_aborting_stes_are_judged_by_what_the_smmu_obeys(void)
{
	struct live l;
	uint64_t *ste = oracle_setup(&l), saved[8];
	unsigned i;

	memcpy(saved, ste, sizeof(saved));
	for (i = 1; i < 8; i++)
		ste[i] = 0xA5A5A5A5A5A5A5A5ULL * i;
	ste[0] = 0xFFFFFFFFFFFFFFFEULL;		/* V = 0, everything else set */
	EXPECT_EQ(FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 5)), WORLD_RUNNING);
	ste[0] = STE0_V | 0xFFFFFFFFFFFFFFF0ULL;	/* abort, junk all over */
	ste[1] &= ~(0xFULL << 13);			/* ... but no CONT */
	EXPECT_EQ(FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 5)), WORLD_RUNNING);
	ste[1] |= 1ULL << 13;
	FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 5));
	fx_expect_oracle(&l.f, "isolation:ste-field-cont");
	for (i = 1; i < 4; i++) {
		memcpy(ste, saved, sizeof(saved));
		ste[0] = (ste[0] & ~0xEULL) | (i << 1);
		FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 5));
		fx_expect_oracle(&l.f, "isolation:ste-field-config");
	}
	memcpy(ste, saved, sizeof(saved));
	EXPECT_EQ(FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 5)), WORLD_RUNNING);
	live_down(&l);
}

/* The root the hypervisor claims is checked before it is believed. */
static void the_claimed_root_must_be_aligned_hypervisor_memory(void)
{
	uint64_t dw2, dw3;
	struct fx f;

	fx_boot(&f);
	smmu_stage2_words(&f.hyp, &dw2, &dw3);
	FX_EXPECT_STOP(&f, oracle_world_init(f.w, (dw3 & STE3_S2TTB_MASK) + 0x10));
	fx_expect_oracle(&f, "isolation:s2ttb-unaligned");
	FX_EXPECT_STOP(&f, oracle_world_init(f.w, HOST_PAGE));
	fx_expect_oracle(&f, "isolation:s2ttb-not-hyp-memory");
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_world_init(f.w, dw3 & STE3_S2TTB_MASK)),
		  WORLD_RUNNING);
	oracle_world_forget(f.w);
	fx_done(&f);
	/* Two concatenated root pages (40 bits): aligned to 8 KiB. */
	fx_boot_hw(&f, "linear-msi", 1);
	EXPECT_EQ(f.boot_err, 0);
	smmu_stage2_words(&f.hyp, &dw2, &dw3);
	FX_EXPECT_STOP(&f, oracle_world_init(f.w, (dw3 & STE3_S2TTB_MASK) + 0x1000));
	fx_expect_oracle(&f, "isolation:s2ttb-unaligned");
	EXPECT_EQ(FX_EXPECT_STOP(&f, oracle_world_init(f.w, dw3 & STE3_S2TTB_MASK)),
		  WORLD_RUNNING);
	oracle_world_forget(f.w);
	fx_done(&f);
}

/*
 * Told nothing, the oracle takes the root from the first translating STE
 * (checked like a claim), and every other must carry the same one.
 */
static void without_a_claim_the_first_translating_ste_names_the_one_root(void)
{
	struct live l;
	uint64_t *s2, *nested, dw3;

	two_live_streams(&l, &s2, &nested);
	dw3 = s2[3];
	oracle_world_init(l.f.w, 0);
	EXPECT_EQ(oracle_stage2(l.f.w)->ttb, 0);
	EXPECT_EQ(FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 5)), WORLD_RUNNING);
	EXPECT_EQ(oracle_stage2(l.f.w)->ttb, dw3 & STE3_S2TTB_MASK);
	/* Another hypervisor page, but not the root the first STE named. */
	nested[3] = WORLD_POOL_BASE + 0x1000ULL * (WORLD_POOL_PAGES - 1);
	FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 6));
	fx_expect_oracle(&l.f, "isolation:ste-field-s2ttb");
	nested[3] = dw3;
	EXPECT_EQ(FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 6)), WORLD_RUNNING);
	/* The first one naming a host page is caught as such. */
	oracle_world_init(l.f.w, 0);
	s2[3] = HOST_PAGE;
	FX_EXPECT_STOP(&l.f, oracle_ste(l.f.w, 0, 5));
	fx_expect_oracle(&l.f, "isolation:s2ttb-not-hyp-memory");
	oracle_world_forget(l.f.w);
	live_down(&l);
}

int main(void)
{
	RUN(an_invalid_ste_gives_an_all_zero_ste);
	RUN(abort_stays_abort_with_nothing_else);
	RUN(bypass_becomes_the_hypervisors_stage_2_only);
	RUN(stage_1_becomes_nested_keeping_only_the_hosts_stage_1_fields);
	RUN(forbidden_configurations_are_refused_with_their_site);
	RUN(cd_format_and_ssid_limits_follow_the_hardware);
	RUN(no_host_ste_escapes_the_hypervisors_stage_2);
	RUN(a_bypass_stream_reaches_host_memory_only_through_the_identity_map);
	RUN(a_stage_1_stream_runs_nested_under_the_identity_map);
	RUN(the_shadow_l2_comes_from_the_pool_not_the_host);
	RUN(level_1_descriptors_are_checked_before_the_l2_is_read);
	RUN(the_l2_is_pinned_only_while_it_is_copied);
	RUN(an_entry_is_installed_body_first_and_replaced_invalid_first);
	RUN(a_refused_ste_replaces_a_working_one_with_abort);
	RUN(the_host_table_is_read_once_per_cfgi);
	RUN(enabling_shadows_the_whole_host_table_at_once);
	RUN(cfgi_all_reinstalls_only_the_entries_that_changed);
	RUN(the_host_table_must_match_the_hardware_at_enable);
	RUN(a_linear_table_is_shadowed_entry_by_entry);
	RUN(a_command_queue_over_the_pinned_stream_table_is_refused);
	RUN(a_shadow_l2_the_pool_cannot_hold_stops_the_hypervisor);
	RUN(ste_oracle_catches_a_translating_ste_without_stage_2);
	RUN(ste_oracle_catches_a_stage_2_that_is_not_the_hypervisors);
	RUN(ste_oracle_catches_an_ste_in_host_memory);
	RUN(ste_oracle_judges_what_an_input_wrote_and_everything_now_and_then);
	RUN(the_ste_field_table_covers_every_bit_of_all_eight_dwords_once);
	RUN(the_stage_2_expectation_comes_from_the_hardware_alone);
	RUN(the_cores_stage_2_words_match_the_expectation);
	RUN(every_field_of_a_translating_ste_is_judged_against_the_table);
	RUN(the_fields_sit_where_the_architecture_puts_them);
	RUN(a_legal_but_different_stage_2_is_caught);
	RUN(invalid_and_aborting_stes_are_judged_by_what_the_smmu_obeys);
	RUN(the_claimed_root_must_be_aligned_hypervisor_memory);
	RUN(without_a_claim_the_first_translating_ste_names_the_one_root);
	CHECK_DONE();
}
