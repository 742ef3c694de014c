// SPDX-License-Identifier: MIT
/*
 * Every line and branch arm of core/src the campaign's corpus did not
 * reach, each with the rule that explains it. The input is the text form
 * of `llvm-cov show -show-branches=count -show-line-counts -show-expansions`
 * (coverage/lines.txt): a "<path>:" line per file, "  N|count|source"
 * per line, "  |  Branch (L:C): [True: a, False: b]" under a line, and the
 * same one level deeper ("  |  |") inside a macro's expansion (BUG_ON's
 * `if` is one). Line coverage counts only the file's own lines.
 *
 * The rules are general (what the code says: BUG_ON, BUG_ON(1), a fatal
 * refusal for an exhausted pool) or name one function of the core and say
 * why no host input reaches it; the first rule that matches explains the
 * line. Nothing matched means "reachable as far as we know: a gap in the
 * corpus", never hidden. The same list goes into report.html and, through
 * `smmufuzz report --coverage-doc`, into docs/coverage.md.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct rule {
	const char *file;	/* NULL: any */
	const char *func;	/* NULL: any */
	const char *code;	/* substring of the line; NULL: any */
	const char *cond;	/* a branch arm whose condition starts so; NULL: any */
	const char *arm;	/* "true" or "false": that arm only; NULL: any */
	enum uncov_kind kind;
	const char *why;
};

#define NEXT_TO_BUG "next to a BUG_ON(1) no table entry leads to: unreachable with it"
#define RO_WRITE "a write to a read-only register: mmio.c refuses it (mmio.write_to_read_only) " \
	"before ctrl_write, whose case for it only keeps the switch complete"
#define PRI_HIDDEN "PRI is hidden from the host (probe.c sets hw.pri false: it needs ATS, " \
	"hidden too), so cr0_write refuses PRIQEN (cr0.priqen_without_pri): no PRI queue is " \
	"ever enabled, disabled or drained"
#define REG_SWITCH "the switch's implicit default: r->kind comes from mmio.c's const " \
	"register table, and every kind there has a case"
#define REQ_CHECKED "smmu_host_request refuses a request number >= SMMU_REQ_COUNT " \
	"before it calls do_request"
#define IAS_32 "the op stream names pages of RAM or of the device window, all below 4 GiB, " \
	"inside every input size the core uses (at least 32 bits)"
#define RAM_4G "RAM reaching past the identity map's input size: only a tree edited to " \
	"put RAM near 4 GiB with 32-bit output addresses (corpus seed " \
	"fdt_ram_past_input_size) does"
#define ID_RANGE "a reserved ID-register value: the world's HW fields keep to the " \
	"architecture's ranges (OAS <= 6, SIDSIZE <= 32, queue sizes <= 19)"
#define NEVER_ZERO "every caller passes the size of a queue, a table or an L2 table, or " \
	"1 byte (never 0), at an address below 2^56 (the registers' address fields): " \
	"no wrap either"
#define PIN_SIZE "owner_pin_range is given queue and table sizes (at most 2^38 bytes, " \
	"never 0) at addresses below 2^56: no zero, wrap or 2^32-page range"
#define PIN_RAM "every caller checked the range is RAM first (queue_check_base, " \
	"strtab_enable, check_l1)"
#define PIN_MAX "at most 13 pins on one page: a stream table, command and event queue " \
	"per SMMU (4 SMMUs), plus an L2 table pinned for one read; PGS_PINS_MAX is 255"
#define PIN_ACTIVE "every unpin follows a pin that succeeded: CR0's SMMUEN and CMDQEN " \
	"are in force only with their pin, a pending release only after one"
#define LIVE_ONLY "ownership requests (the only path here) need the instance live, and " \
	"then every SMMU in dev[] is probed: a failed init releases them all"
#define STATE_HOST "a page a host request may act on has the state that request " \
	"expects: HYP_MAPPED only with the hypervisor as owner (set and cleared with it), " \
	"pins only on host RAM or the SMMUs' MMIO (which the host cannot give away)"
#define PGS_SET "plat_pgstate_set fails only for a page the platform does not track, " \
	"and a page whose recorded owner is the hypervisor or a guest is tracked"
#define ALL_RW "every mapping the core makes is read-write (host_prot, idmap_init)"
#define IAS_RANGE "the input size is the smallest SMMU output size, which probe.c " \
	"reads as 32 to 48 bits: a start level always fits"
#define UNMAP_MAPPED "every page the core unmaps is mapped: host RAM and device pages " \
	"are mapped from init on and again when they come back (RAM is never under a " \
	"block, so mapping it back cannot fail), and at level 3 each entry is a page or " \
	"invalid"
#define BLOCK_FRESH "blocks are mapped only by idmap_init, over the gaps between RAM " \
	"ranges in increasing order: a block's entry lies past everything mapped before, " \
	"so no table is in its way"
#define MAP_NONZERO "`size != 0` inside the BUG_ON: every caller maps at least one page " \
	"(a page, a run of them, or a gap between RAM ranges)"
#define HW_TRANSIENT "a command of the hypervisor's own that fails and then succeeds: " \
	"the model's faults are permanent (a fetch abort repeats, and hwq_sync times out " \
	"first); an ATC_INV_SYNC error needs an ATC_INV, which the core never sends (it " \
	"refuses the host's: cmd.atc_inv)"
#define STRTAB_FIXED "the host's STRTAB_BASE_CFG is fixed while SMMUEN is in force, and " \
	"strtab_enable refused LOG2SIZE above the SIDs the shadow covers (at most 25) and a " \
	"2-level table with LOG2SIZE <= SPLIT"
#define CMDQ_WITH_SMMUEN "the stream table is read only with the host's command queue " \
	"enabled (SMMUEN needs CMDQEN in force, a CFGI needs a running queue), so its pin " \
	"is active"
#define ONE_RAISE "cmdq_resume runs only with no command error active and stops at the " \
	"first one it raises: the error is never active here"

/* In order: the first match explains. */
static const struct rule rules[] = {
	{ NULL, NULL, "BUG_ON(1)", NULL, NULL, UNCOV_UNREACHABLE,
	  "BUG_ON(1): the default of a switch over the core's own table; reaching it is a finding" },
	{ "check.h", NULL, NULL, NULL, NULL, UNCOV_BUG_ON,
	  "the message BUG_ON's failure arm hands to plat_panic: only a broken invariant (a "
	  "finding) runs it" },
	{ "iopt.c", "iopt_lookup", NULL, NULL, NULL, UNCOV_TEST_ONLY,
	  "iopt_lookup is API for the unit tests; the core never calls it" },
	{ "driver.c", "smmu_strerror", NULL, NULL, NULL, UNCOV_BOOT_ERROR,
	  "the message of a boot error code (the harness hashes it when a world fails to boot): "
	  "only the codes some failing boot of the corpus returned are reached" },
	{ "mmio.c", NULL, "mmio.unaligned", NULL, NULL, UNCOV_HOST_CANNOT,
	  "an unaligned device access faults at EL1 before it can trap; the op stream aligns "
	  "MMIO offsets" },
	{ "mmio.c", "refuse", NULL, "(off & (size - 1U)) != 0", "true", UNCOV_HOST_CANNOT,
	  "an unaligned device access faults at EL1 before it can trap; the op stream aligns "
	  "MMIO offsets" },
	{ "mmio.c", "smmu_dabt", NULL, "hyp->phase != SMMU_PHASE_LIVE", "true", UNCOV_HOST_CANNOT,
	  "the harnesses trap an access only to a page the host does not own, and an SMMU "
	  "page is the hypervisor's only while it drives the SMMU (READY or LIVE; donate_mmio "
	  "needs LIVE, a failed init gives every page back)" },
	{ "mmio.c", "smmu_dev_at", NULL, "dev->probed", "false", UNCOV_UNREACHABLE, LIVE_ONLY },
	{ "mmio.c", "smmu_dabt", NULL, "off >= SMMU_MMIO_SIZE", "true", UNCOV_HOST_CANNOT,
	  "an access past an SMMU window's two pages: the op stream reaches the first 128 KiB "
	  "of a window only, and a window described larger reaches another SMMU's registers, "
	  "which the isolation oracle then reports (an SMMU the hypervisor holds but never set "
	  "up)" },
	{ "pool.c", "pool_init", NULL, "page_count == 0", "true", UNCOV_BOOT_ERROR,
	  "a pool of no pages: `boot setup` gives at least one (0 means the whole pool)" },
	{ "pool.c", "pool_owns", NULL, "pa_val(pa) >= pool->base", "false", UNCOV_BUG_ON,
	  "pool_owns is asked only by pool_free's BUG_ON, about a page the pool handed out: "
	  "a false arm is that invariant failing" },
	{ "pool.c", "pool_owns", NULL, "(off >> SMMU_PAGE_SHIFT) < pool->page_count", "false",
	  UNCOV_BUG_ON, "pool_owns is asked only by pool_free's BUG_ON, about a page the pool "
	  "handed out: a false arm is that invariant failing" },
	{ "pool.c", "pool_alloc", NULL, "order > 10U", "true", UNCOV_UNREACHABLE,
	  "callers ask for order 0, 1, 2 (an L2 shadow), at most 4 (the identity map's "
	  "concatenated root) or at most 8 (a 2-level shadow of 2^17 descriptors)" },
	/* ctrl_write's cases for read-only registers: emulate() (mmio.c)
	 * refuses a write to any register reg_ro() names before it calls
	 * ctrl_write, so these cases and their break never run. */
	{ "ctrl.c", "ctrl_write", "case REG_RO_PASS:", NULL, NULL, UNCOV_UNREACHABLE, RO_WRITE },
	{ "ctrl.c", "ctrl_write", "case REG_RO_ZERO:", NULL, NULL, UNCOV_UNREACHABLE, RO_WRITE },
	{ "ctrl.c", "ctrl_write", "case REG_IDR0:", NULL, NULL, UNCOV_UNREACHABLE, RO_WRITE },
	{ "ctrl.c", "ctrl_write", "case REG_IDR1:", NULL, NULL, UNCOV_UNREACHABLE, RO_WRITE },
	{ "ctrl.c", "ctrl_write", "case REG_CR0ACK:", NULL, NULL, UNCOV_UNREACHABLE, RO_WRITE },
	{ "ctrl.c", "ctrl_write", "case REG_IRQ_CTRLACK:", NULL, NULL, UNCOV_UNREACHABLE,
	  RO_WRITE },
	{ "ctrl.c", "ctrl_write", "case REG_GERROR:", NULL, NULL, UNCOV_UNREACHABLE, RO_WRITE },
	{ "ctrl.c", "ctrl_write", "break;", NULL, NULL, UNCOV_UNREACHABLE, RO_WRITE },
	{ "ctrl.c", NULL, NULL, "(enum smmu_reg_kind)r->kind", "true", UNCOV_UNREACHABLE,
	  REG_SWITCH },
	{ "ctrl.c", "ctrl_read", "dev->hw.st_sid_bits);", NULL, NULL, UNCOV_ARTIFACT,
	  "the last line of FIELD_SET's arguments: llvm-cov gives it the count after the "
	  "macro's expansion, but it runs with line 61 on every IDR1 read" },
	{ "ctrl.c", "cr0_write", NULL, "!dev->hw.pri", "false", UNCOV_UNREACHABLE, PRI_HIDDEN },
	{ "ctrl.c", "cr0_write", NULL, "!dev->hw.ats", "false", UNCOV_UNREACHABLE,
	  "ATS is hidden from the host (probe.c sets hw.ats false), so cr0_write refuses "
	  "ATSCHK (cr0.atschk_without_ats)" },
	{ "ctrl.c", "cr0_write", NULL, "queue_disable(", "false", UNCOV_UNREACHABLE,
	  "queue_disable always returns true" },
	{ "ctrl.c", "cr0_write", "queue_disable(hyp, dev, CR0_PRIQEN)", NULL, NULL,
	  UNCOV_UNREACHABLE, PRI_HIDDEN },
	{ "ctrl.c", "cr0_write", "queue_enable(hyp, dev, CR0_PRIQEN)", NULL, NULL,
	  UNCOV_UNREACHABLE, PRI_HIDDEN },
	{ "queues.c", "queue_pin", "case CR0_PRIQEN:", NULL, NULL, UNCOV_UNREACHABLE, PRI_HIDDEN },
	{ "queues.c", "queue_enable", NULL, "bit == CR0_EVTQEN", "false", UNCOV_UNREACHABLE,
	  PRI_HIDDEN },
	{ "queues.c", "queue_disable", NULL, "pin->active", "false", UNCOV_UNREACHABLE,
	  "CR0.EVTQEN is in force only once queue_enable pinned the queue, and the pin goes "
	  "only after a disable: a disable always finds it pinned" },
	{ "queues.c", "queue_release_pending", NULL, "!dev->pin_priq.release_pending", "false",
	  UNCOV_UNREACHABLE, PRI_HIDDEN },
	{ "queues.c", "queue_release_pending", NULL, "dev->pin_evtq.release_pending", "false",
	  UNCOV_UNREACHABLE, "with PRI hidden only the event queue can be draining, and the "
	  "test above returned unless it is" },
	{ "queues.c", "queue_release_pending", NULL, "(ack & CR0_EVTQEN) == 0", "false",
	  UNCOV_UNREACHABLE, "the event queue drains only after a disable, and it cannot be "
	  "enabled again (evtq.enable_while_draining) before its pin goes, so the hardware's "
	  "CR0 never has EVTQEN back while it drains" },
	{ "queues.c", "queue_release_pending", "dev->pin_priq.release_pending", NULL, NULL,
	  UNCOV_UNREACHABLE, PRI_HIDDEN },
	{ "cmdq.c", "host_raise", NULL, "!host_err_active(dev)", "false", UNCOV_UNREACHABLE,
	  ONE_RAISE },
	{ "driver.c", "smmu_register_driver", NULL, "hyp->phase != SMMU_PHASE_BOOT", "true",
	  UNCOV_UNREACHABLE, "every phase after BOOT is entered by a registration, which sets "
	  "hyp->kern: the EBUSY test before answers first" },
	{ "driver.c", "do_request", NULL, "req", "true", UNCOV_UNREACHABLE, REQ_CHECKED },
	{ "driver.c", "do_request", "case SMMU_REQ_COUNT:", NULL, NULL, UNCOV_UNREACHABLE,
	  REQ_CHECKED },
	{ "driver.c", "do_request", "break;", NULL, NULL, UNCOV_UNREACHABLE, REQ_CHECKED },
	{ "driver.c", "do_request", "return SMMU_EINVAL;", NULL, NULL, UNCOV_UNREACHABLE,
	  REQ_CHECKED },
	{ "driver.c", "smmu_host_request", NULL, "(unsigned)req >= SMMU_REQ_COUNT", "true",
	  UNCOV_HOST_CANNOT, "both harnesses (fuzzers/common/host.c, qemu-harness/hyp/trap.c) "
	  "turn the host's action into a request through a table, modulo its size: no other "
	  "number reaches the core" },
	{ "driver.c", "smmu_range_is_memory", NULL, "size == 0", "true", UNCOV_UNREACHABLE,
	  NEVER_ZERO },
	{ "driver.c", "smmu_range_is_memory", NULL, "base + size < base", "true",
	  UNCOV_UNREACHABLE, NEVER_ZERO },
	{ "probe.c", "bus_cells", NULL, "bus < 0", "true", UNCOV_WORLD,
	  "a memory or SMMU node with no parent, i.e. the root itself: the world's root is "
	  "neither, and its FDT edits put no other node at depth 0" },
	{ "probe.c", "reg_entry", NULL, "*base + *size > *base", "false", UNCOV_WORLD,
	  "a reg entry whose base + size wraps past 2^64: the world writes true addresses below "
	  "4 GiB, and one poked byte changes base or size, not both" },
	{ "probe.c", "read_facts", NULL, "FIELD_GET(IDR5_OAS, idr5) > 6U", "true", UNCOV_WORLD,
	  ID_RANGE },
	{ "probe.c", "read_facts", NULL, "hw->sid_bits > 32U", "true", UNCOV_WORLD, ID_RANGE },
	{ "probe.c", "read_facts", NULL, "hw->cmdq_log2 > Q_MAX_LOG2SIZE", "true", UNCOV_WORLD,
	  ID_RANGE },
	{ "probe.c", "read_facts", NULL, "hw->evtq_log2 > Q_MAX_LOG2SIZE", "true", UNCOV_WORLD,
	  ID_RANGE },
	{ "probe.c", "read_facts", NULL, "hw->priq_log2 > Q_MAX_LOG2SIZE", "true", UNCOV_WORLD,
	  ID_RANGE },
	{ "probe.c", "gbpa_abort", NULL, "(hw_read32(dev, SMMU_GBPA) & GBPA_ABORT)", "false",
	  UNCOV_WORLD, "an SMMU that completes a GBPA update without taking ABORT: the "
	  "hardware model applies every update as written" },
	{ "probe.c", "irq_quiesce", NULL, "ret != SMMU_OK", "true", UNCOV_WORLD,
	  "IRQ_CTRLACK not following IRQ_CTRL right after GBPA's and CR0's updates completed: "
	  "the model's timing (HWMODE) is the same for every acknowledgement" },
	{ "probe.c", "probe_release", NULL, "dev->strtab_pa != 0", "true", UNCOV_UNREACHABLE,
	  "strtab_init runs only after hwq_init succeeded: a shadow stream table always comes "
	  "with a shadow queue, whose test answers first" },
	{ "idmap.c", "idmap_invalidate", NULL, "!dev->probed", "true", UNCOV_UNREACHABLE,
	  LIVE_ONLY },
	{ "idmap.c", NULL, NULL, "(pa_val(pa) >> hyp->iopt.ias) != 0", "true", UNCOV_HOST_CANNOT,
	  IAS_32 },
	{ "idmap.c", "idmap_init", NULL, "r->base + r->size > top", "true", UNCOV_WORLD, RAM_4G },
	{ "idmap.c", "idmap_init", NULL, "r->base + r->size < top", "false", UNCOV_WORLD, RAM_4G },
	{ "idmap.c", "idmap_init", NULL, "pgs_owner(plat_pgstate_get(found)) != PGS_OWNER_HOST",
	  "false", UNCOV_UNREACHABLE, "plat_pgstate_next finds pages whose state is not zero, "
	  "and before the host is live a page it owns has none (sharing needs a live host; "
	  "pins go on the hypervisor's MMIO)" },
	{ "iopt.c", "leaf_attrs", NULL, NULL, "false", UNCOV_UNREACHABLE, ALL_RW },
	{ "iopt.c", "iopt_init", NULL, "ias < 32U", "true", UNCOV_UNREACHABLE, IAS_RANGE },
	{ "iopt.c", "iopt_init", NULL, "ias > 48U", "true", UNCOV_UNREACHABLE, IAS_RANGE },
	{ "iopt.c", "iopt_init", NULL, "lvl <= 2U", "false", UNCOV_UNREACHABLE, IAS_RANGE },
	{ "iopt.c", "iopt_init", NULL, "ias > shift_of(lvl)", "false", UNCOV_UNREACHABLE,
	  IAS_RANGE },
	{ "iopt.c", "iopt_map", "BUG_ON(!pa_page_aligned(pa_init(ipa))", NULL, "false",
	  UNCOV_UNREACHABLE, MAP_NONZERO },
	{ "iopt.c", "iopt_map", NULL, "!pte_is_table(*e, lvl)", "false", UNCOV_UNREACHABLE,
	  BLOCK_FRESH },
	{ "iopt.c", "iopt_unmap", NULL, "lvl < LEVELS", "false", UNCOV_UNREACHABLE, UNMAP_MAPPED },
	{ "iopt.c", "iopt_unmap", NULL, "!pte_valid(*e)", "true", UNCOV_UNREACHABLE, UNMAP_MAPPED },
	{ "iopt.c", "iopt_unmap", NULL, "chunk > size", "true", UNCOV_UNREACHABLE, UNMAP_MAPPED },
	{ "iopt.c", "iopt_unmap", "chunk = to_end;", NULL, NULL, UNCOV_UNREACHABLE, UNMAP_MAPPED },
	{ "owner.c", "back_to_host", NULL, "ret == SMMU_OK", "false", UNCOV_UNREACHABLE, PGS_SET },
	{ "owner.c", "owner_hyp_donate_host", NULL, "pgs_pins(st) != 0", "true",
	  UNCOV_UNREACHABLE, STATE_HOST },
	{ "owner.c", "owner_host_donate_hyp_mmio", NULL, "(st & PGS_HYP_MAPPED) != 0", "true",
	  UNCOV_UNREACHABLE, STATE_HOST },
	{ "owner.c", "owner_hyp_donate_host_mmio", NULL, "pgs_owner(st) != PGS_OWNER_HYP", "true",
	  UNCOV_UNREACHABLE, STATE_HOST },
	{ "owner.c", "pin_one", NULL, "pins == PGS_PINS_MAX", "true", UNCOV_UNREACHABLE, PIN_MAX },
	{ "owner.c", "owner_pin_range", NULL, "size == 0", "true", UNCOV_UNREACHABLE, PIN_SIZE },
	{ "owner.c", "owner_pin_range", NULL, "end < pa_val(base)", "true", UNCOV_UNREACHABLE,
	  PIN_SIZE },
	{ "owner.c", "owner_pin_range", NULL, "count > 0xFFFFFFFFULL", "true", UNCOV_UNREACHABLE,
	  PIN_SIZE },
	{ "owner.c", "owner_pin_range", NULL, "!smmu_addr_is_memory(hyp, pa)", "true",
	  UNCOV_UNREACHABLE, PIN_RAM },
	{ "owner.c", "owner_pin_range", NULL, "ret != SMMU_OK", "true", UNCOV_UNREACHABLE,
	  PIN_MAX },
	{ "owner.c", "owner_unpin_range", NULL, "!pin->active", "true", UNCOV_UNREACHABLE,
	  PIN_ACTIVE },
	{ "strtab.c", "strtab_enable", NULL, "log2size - split > STRTAB_L1_MAX_LOG2", "true",
	  UNCOV_UNREACHABLE, "LOG2SIZE was checked against the SIDs the shadow covers (at most "
	  "8 + 17) just before" },
	{ "strtab.c", "strtab_enable", NULL, "dev->pin_cmdq.active", "false", UNCOV_UNREACHABLE,
	  "cr0_write enables SMMUEN only with CMDQEN in force, and that holds the queue's pin" },
	{ "strtab.c", "host_base", NULL, "log2size > split", "false", UNCOV_UNREACHABLE,
	  STRTAB_FIXED },
	{ "strtab.c", "host_base", NULL, "log2size < 32U", "false", UNCOV_UNREACHABLE,
	  STRTAB_FIXED },
	{ "strtab.c", "read_host_ste", NULL, "host_log2size(dev) < 32U", "false",
	  UNCOV_UNREACHABLE, STRTAB_FIXED },
	{ "strtab.c", "overlaps_host_structures", NULL, "dev->pin_cmdq.active", "false",
	  UNCOV_UNREACHABLE, CMDQ_WITH_SMMUEN },
	{ "hw.c", "hw_deadline_expired", NULL, "++d->spins >= SMMU_POLL_MAX_SPINS", "true",
	  UNCOV_WORLD, "the host platform's clock advances on every plat_relax, so the time "
	  "limit ends a poll long before 2^24 spins (the bound is for a clock that stops)" },
	{ "hwq.c", "hwq_space", NULL, "used > size", "true", UNCOV_WORLD,
	  "a hardware CONS ahead of the hypervisor's PROD: the model never moves CONS past PROD" },
	{ "hwq.c", "hwq_issue_sync", NULL, "tries < HWQ_TRIES", "false", UNCOV_WORLD,
	  HW_TRANSIENT },
	{ "hwq.c", "hwq_issue_sync", NULL, "!res.failed", "false", UNCOV_WORLD, HW_TRANSIENT },
	{ "hwq.c", "hwq_issue_sync", "BUG_ON(res.cerror == CERROR_ILL);", NULL, NULL, UNCOV_WORLD,
	  HW_TRANSIENT },
	{ "hwq.c", "hwq_issue_sync", "res.cerror == CERROR_ATC_INV_SYNC", NULL, NULL, UNCOV_WORLD,
	  HW_TRANSIENT },
	{ "hwq.c", "hwq_issue_sync", "return SMMU_ETIMEDOUT;", NULL, NULL, UNCOV_WORLD,
	  HW_TRANSIENT },
	{ "hwq.c", "hwq_issue_sync", "}", NULL, NULL, UNCOV_WORLD, HW_TRANSIENT },
};

const char *uncov_kind_name(enum uncov_kind k)
{
	static const char *const names[UNCOV_KINDS] = {
		[UNCOV_BUG_ON] = "BUG_ON failure arm",
		[UNCOV_UNREACHABLE] = "unreachable by construction",
		[UNCOV_WORLD] = "never so in the simulated world",
		[UNCOV_BOOT_ERROR] = "boot or platform error",
		[UNCOV_HOST_CANNOT] = "access the host cannot make",
		[UNCOV_TEST_ONLY] = "test-only API",
		[UNCOV_ARTIFACT] = "counting artifact",
		[UNCOV_NOT_REACHED] = "not reached: a gap in the corpus",
	};
	return names[k];
}

const char *uncov_kind_blurb(enum uncov_kind k)
{
	static const char *const blurbs[UNCOV_KINDS] = {
		[UNCOV_BUG_ON] = "the true arm of an internal invariant check: reaching it means "
				 "the core is wrong, which the fuzzers report as a finding",
		[UNCOV_UNREACHABLE] = "what the core's own code never leads to: its tables, an "
				      "earlier check, or state it keeps (each reason says which)",
		[UNCOV_WORLD] = "hardware or memory the simulated world never has: a reserved "
				"ID-register value, a fault that clears on retry, RAM past 4 GiB "
				"(a guard for real hardware)",
		[UNCOV_BOOT_ERROR] = "error returns at driver registration and init that the "
				     "harness's worlds and platform never produce",
		[UNCOV_HOST_CANNOT] = "a guard against what the harness's host cannot do: "
				      "accesses or requests the op stream cannot express",
		[UNCOV_TEST_ONLY] = "API only the unit tests call",
		[UNCOV_ARTIFACT] = "llvm-cov counts the line 0 although it runs, with the line "
				   "before it",
		[UNCOV_NOT_REACHED] = "reachable by host input as far as the rules know: what the "
				      "corpus should still reach (or a rule to write)",
	};
	return blurbs[k];
}

static void push(struct coverage *cov, const struct uncov_item *it)
{
	if (cov->nuncov == cov->uncov_cap) {
		size_t cap = cov->uncov_cap ? cov->uncov_cap * 2 : 256;
		struct uncov_item *n = realloc(cov->uncov, cap * sizeof(*n));

		if (n == NULL)
			die("out of memory");
		cov->uncov = n;
		cov->uncov_cap = cap;
	}
	cov->uncov[cov->nuncov++] = *it;
	if (it->branch)
		cov->by_kind_branches[it->kind]++;
	else
		cov->by_kind_lines[it->kind]++;
}

static void classify(struct uncov_item *it, bool in_bug_on)
{
	size_t i;

	if (it->branch && in_bug_on && strcmp(it->arm, "true") == 0) {
		it->kind = UNCOV_BUG_ON;
		it->why = "BUG_ON: the condition of an invariant never held (its true arm is a bug)";
		return;
	}
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct rule *ru = &rules[i];

		if ((ru->file && strcmp(ru->file, it->file) != 0) ||
		    (ru->func && strcmp(ru->func, it->func) != 0) ||
		    (ru->code && strstr(it->code, ru->code) == NULL) ||
		    (ru->arm && (!it->branch || strcmp(ru->arm, it->arm) != 0)) ||
		    (ru->cond && (!it->branch ||
				  strncmp(it->cond, ru->cond, strlen(ru->cond)) != 0)))
			continue;
		it->kind = ru->kind;
		it->why = ru->why;
		return;
	}
	it->kind = UNCOV_NOT_REACHED;
	it->why = uncov_kind_blurb(UNCOV_NOT_REACHED);
	if (strstr(it->code, "REJECT(") != NULL || strstr(it->code, "REJECT_FATAL(") != NULL ||
	    strstr(it->code, "refuse(") != NULL ||
	    strstr(it->code, "*site = ") != NULL)
		it->why = "a rejection site no input of the corpus hit: reachable by host input";
}

/* "static int foo(struct x *y)" at column 0 -> "foo" (attribute lists
 * before the name are skipped). */
static bool function_header(const char *src, char *name, size_t cap)
{
	const char *p = src, *q;

	if (!isalpha((unsigned char)src[0]) && src[0] != '_')
		return false;
	if (strchr(src, ';') != NULL || strchr(src, '=') != NULL)
		return false;
	for (;;) {
		p = strchr(p, '(');
		if (p == NULL)
			return false;
		for (q = p; q > src && (isalnum((unsigned char)q[-1]) || q[-1] == '_'); q--)
			;
		if (q == p)
			return false;
		if ((size_t)(p - q) != 13 || strncmp(q, "__attribute__", 13) != 0)
			break;
		/* Past the attribute's parentheses. */
		{
			int depth = 0;

			for (; *p; p++) {
				depth += *p == '(';
				depth -= *p == ')';
				if (*p == ')' && depth == 0)
					break;
			}
			if (*p == 0)
				return false;
		}
	}
	snprintf(name, cap, "%.*s", (int)(p - q), q);
	return true;
}

static void trim(char *dst, size_t cap, const char *src, size_t len)
{
	while (len > 0 && isspace((unsigned char)*src)) {
		src++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)src[len - 1]))
		len--;
	snprintf(dst, cap, "%.*s", (int)(len < cap ? len : cap - 1), src);
}

/* The depth of "|" columns before @s's content: "  |  |  Branch" -> 2. */
static unsigned bars(const char *s, const char **rest)
{
	unsigned n = 0;

	for (;;) {
		while (*s == ' ')
			s++;
		if (*s != '|')
			break;
		n++;
		s++;
	}
	*rest = s;
	return n;
}

/* The condition a branch's column points at in @src: from column @col
 * (1-based) to the end of that operand, i.e. up to `&&`, `||`, `?`, `:`,
 * `;`, `,` or `{` outside parentheses, or the parenthesis that closes
 * around it. "" when the column is past the line. */
static void cond_at(const char *src, unsigned col, char *out, size_t cap)
{
	size_t len = strlen(src), i, end;
	int depth = 0;

	out[0] = 0;
	if (col == 0 || col > len)
		return;
	i = col - 1;
	for (end = i; end < len; end++) {
		char c = src[end];

		if (c == '(') {
			depth++;
		} else if (c == ')') {
			if (depth-- == 0)
				break;
		} else if (depth == 0 &&
			   ((c == '&' && src[end + 1] == '&') ||
			    (c == '|' && src[end + 1] == '|') ||
			    c == '?' || c == ':' || c == ';' || c == ',' || c == '{')) {
			break;
		}
	}
	trim(out, cap, src + i, end - i);
}

static bool zero_count(const char *s)
{
	while (*s == ' ')
		s++;
	return s[0] == '0' && (s[1] == '|' || s[1] == ' ' || s[1] == ',' || s[1] == ']' || s[1] == 0);
}

/* The first item of @file:@line that is a line or a branch's true arm
 * and that a rule explained; NULL if none. With @bug_on_1: the line item,
 * if its code is an unreached BUG_ON(1). */
static const struct uncov_item *explained_at(const struct coverage *cov, const char *file,
					     unsigned line, bool bug_on_1)
{
	size_t j;

	for (j = 0; j < cov->nuncov; j++) {
		const struct uncov_item *it = &cov->uncov[j];

		if (it->line != line || strcmp(it->file, file) != 0)
			continue;
		if (bug_on_1) {
			if (!it->branch && strstr(it->code, "BUG_ON(1)") != NULL)
				return it;
			continue;
		}
		if (it->kind != UNCOV_NOT_REACHED && (!it->branch || strcmp(it->arm, "true") == 0))
			return it;
	}
	return NULL;
}

/* The line item of @file:@line, if that line is uncovered. */
static const struct uncov_item *explained_line(const struct coverage *cov, const char *file,
					       unsigned line)
{
	size_t j;

	for (j = 0; j < cov->nuncov; j++)
		if (!cov->uncov[j].branch && cov->uncov[j].line == line &&
		    strcmp(cov->uncov[j].file, file) == 0)
			return &cov->uncov[j];
	return NULL;
}

static void reclassify(struct coverage *cov, struct uncov_item *it, enum uncov_kind kind,
		       const char *why)
{
	if (it->branch) {
		cov->by_kind_branches[it->kind]--;
		cov->by_kind_branches[kind]++;
	} else {
		cov->by_kind_lines[it->kind]--;
		cov->by_kind_lines[kind]++;
	}
	it->kind = kind;
	it->why = why;
}

/*
 * What surrounds an explained line: the `default:` (line and arm) right
 * before an unreached BUG_ON(1), and the `return` or `}` right after it,
 * are unreachable with it; a line no rule explains right after a line or
 * a true arm that one did is that branch's body, unreached for the same
 * reason (in line order, so a body of several lines follows its first;
 * "right after" skips comments, which llvm-cov does not count); and the
 * arms of a line explained so are explained with it.
 */
static void neighbours(struct coverage *cov)
{
	size_t j;

	for (j = 0; j < cov->nuncov; j++) {
		struct uncov_item *it = &cov->uncov[j];
		const struct uncov_item *prev;

		if (it->kind != UNCOV_NOT_REACHED)
			continue;
		if (it->branch) {
			/* An arm of a line that never runs, for the line's reason. */
			const struct uncov_item *ln = explained_line(cov, it->file, it->line);

			if (ln != NULL && ln->kind != UNCOV_NOT_REACHED) {
				reclassify(cov, it, ln->kind, ln->why);
				continue;
			}
		}
		if (strcmp(it->code, "default:") == 0 &&
		    explained_at(cov, it->file, it->line + 1, true) != NULL) {
			reclassify(cov, it, UNCOV_UNREACHABLE, NEXT_TO_BUG);
			continue;
		}
		if (it->branch || it->prev == 0)
			continue;
		if ((strncmp(it->code, "return", 6) == 0 || strcmp(it->code, "}") == 0) &&
		    explained_at(cov, it->file, it->prev, true) != NULL) {
			reclassify(cov, it, UNCOV_UNREACHABLE, NEXT_TO_BUG);
			continue;
		}
		prev = explained_at(cov, it->file, it->prev, false);
		if (prev != NULL && strcmp(prev->func, it->func) == 0)
			reclassify(cov, it, prev->kind, prev->why);
	}
}

/* Forget the uncovered arm @arm of the branch at @line:@col (another
 * instantiation of the same inline function took it). */
static void drop_arm(struct coverage *cov, unsigned line, unsigned col, const char *arm)
{
	size_t j = cov->nuncov;

	while (j-- > 0) {
		struct uncov_item *it = &cov->uncov[j];

		if (it->branch && it->line == line && it->col == col && strcmp(it->arm, arm) == 0) {
			cov->by_kind_branches[it->kind]--;
			memmove(it, it + 1, (cov->nuncov - j - 1) * sizeof(*it));
			cov->nuncov--;
			return;
		}
	}
}

#define SEEN_MAX 32

void uncov_classify(struct coverage *cov, const char *text)
{
	char file[64] = "", func[64] = "", code[120] = "", src[1024] = "";
	unsigned line_no = 0, prev_no = 0, counted_no = 0;
	bool in_bug_on = false;	/* the current top-level line calls BUG_ON */
	bool in_inst = false;	/* in one instantiation's own view of the function */
	/* The branches of the current line by column, and whether each arm was
	 * taken: an inline function of a header is listed once per file that
	 * uses it, and an arm one of them took is covered. */
	struct { unsigned col; bool taken[2]; } seen[SEEN_MAX];
	unsigned nseen = 0;
	const char *line = text;

	cov->nuncov = 0;
	memset(cov->by_kind_lines, 0, sizeof(cov->by_kind_lines));
	memset(cov->by_kind_branches, 0, sizeof(cov->by_kind_branches));
	while (line != NULL && *line) {
		const char *nl = strchr(line, '\n'), *rest;
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char l[1024];
		unsigned depth;

		snprintf(l, sizeof(l), "%.*s", (int)(len < sizeof(l) ? len : sizeof(l) - 1), line);
		line = nl ? nl + 1 : NULL;
		if (l[0] == '/' && len > 1 && l[strlen(l) - 1] == ':') {
			const char *base = strrchr(l, '/');

			snprintf(file, sizeof(file), "%.*s", (int)strlen(base + 1) - 1, base + 1);
			func[0] = 0;
			counted_no = 0;
			continue;
		}
		depth = bars(l, &rest);
		if (depth == 0) {
			/* "   62|     78|	source" */
			char *bar1 = strchr(l, '|'), *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
			struct uncov_item it;

			const char *p = l;

			/* After a macro's expansion, llvm-cov prints the line's
			 * source again without number or count: not a new line. */
			while (*p == ' ')
				p++;
			if (bar1 == NULL || bar2 == NULL || !isdigit((unsigned char)*p))
				continue;
			line_no = (unsigned)atoi(l);
			prev_no = counted_no;
			in_inst = false;
			nseen = 0;
			snprintf(src, sizeof(src), "%s", bar2 + 1);
			trim(code, sizeof(code), bar2 + 1, strlen(bar2 + 1));
			if (bar2[1] != ' ' && bar2[1] != '\t' && bar2[1] != 0)
				function_header(bar2 + 1, func, sizeof(func));
			in_bug_on = strstr(bar2 + 1, "BUG_ON(") != NULL;
			*bar2 = 0;
			{
				const char *c = bar1 + 1;

				while (*c == ' ')
					c++;
				if (*c != 0)	/* a count: code, not a comment */
					counted_no = line_no;
			}
			if (!zero_count(bar1 + 1))
				continue;
			memset(&it, 0, sizeof(it));
			snprintf(it.file, sizeof(it.file), "%s", file);
			snprintf(it.func, sizeof(it.func), "%s", func);
			snprintf(it.code, sizeof(it.code), "%s", code);
			it.line = line_no;
			it.prev = prev_no;
			classify(&it, false);
			push(cov, &it);
			continue;
		}
		/* "| Unexecuted instantiation: ctrl.c:range_overlap" or
		 * "| strtab.c:range_overlap:": the per-file views of an inline
		 * function, whose branches the merged view above already has. */
		if (depth == 1 && (strncmp(rest, "Unexecuted instantiation:", 25) == 0 ||
				   (strncmp(rest, "Branch (", 8) != 0 && rest[0] != 0 &&
				    !isdigit((unsigned char)rest[0]) && strchr(rest, '.') != NULL &&
				    rest[strlen(rest) - 1] == ':'))) {
			in_inst = true;
			continue;
		}
		/* "|  Branch (71:8): [True: 39, False: 0]", maybe inside an
		 * expansion (depth > 1): it belongs to the top-level line. */
		if (!in_inst && strncmp(rest, "Branch (", 8) == 0) {
			const char *t = strstr(rest, "[True: "), *f = strstr(rest, ", False: ");
			struct uncov_item it;
			unsigned bl, bc, k;
			bool zero[2];

			if (t == NULL || f == NULL)
				continue;	/* "[Folded - Ignored]" */
			zero[0] = zero_count(t + 7);
			zero[1] = zero_count(f + 9);
			memset(&it, 0, sizeof(it));
			snprintf(it.file, sizeof(it.file), "%s", file);
			snprintf(it.func, sizeof(it.func), "%s", func);
			snprintf(it.code, sizeof(it.code), "%s", code);
			it.line = line_no;
			it.branch = true;
			/* "Branch (L:C)" of the line itself (not of a macro's
			 * body): its column names the condition. */
			if (depth == 1 && sscanf(rest, "Branch (%u:%u)", &bl, &bc) == 2 &&
			    bl == line_no) {
				it.col = bc;
				cond_at(src, bc, it.cond, sizeof(it.cond));
				for (k = 0; k < nseen && seen[k].col != bc; k++)
					;
				if (k < nseen) {
					/* The same branch again, from another file's
					 * instantiation: an arm it took is covered
					 * (and one it did not is listed already). */
					unsigned a;

					for (a = 0; a < 2; a++) {
						if (!zero[a] && !seen[k].taken[a]) {
							drop_arm(cov, line_no, bc,
								 a ? "false" : "true");
							seen[k].taken[a] = true;
						}
					}
					continue;
				}
				if (nseen < SEEN_MAX) {
					seen[nseen].col = bc;
					seen[nseen].taken[0] = !zero[0];
					seen[nseen].taken[1] = !zero[1];
					nseen++;
				}
			}
			if (zero[0]) {
				snprintf(it.arm, sizeof(it.arm), "true");
				classify(&it, depth > 1 && in_bug_on);
				push(cov, &it);
			}
			if (zero[1]) {
				snprintf(it.arm, sizeof(it.arm), "false");
				classify(&it, depth > 1 && in_bug_on);
				push(cov, &it);
			}
		}
	}
	neighbours(cov);
}

/* A code span inside a Markdown table cell: `|` escaped (GitHub's tables
 * take `\|` inside code too), a backquote turned into a quote. */
static void md_code(FILE *f, const char *s)
{
	fputc('`', f);
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s == '`' ? '\'' : *s, f);
	}
	fputc('`', f);
}

void uncov_write_md(FILE *f, const struct report *r, const char *how)
{
	const struct coverage *cov = &r->cov;
	unsigned i, k;
	size_t j;

	fprintf(f, "# Coverage of core/src by the fuzzers' corpus\n\n");
	fprintf(f, "Generated by `smmufuzz report --coverage-doc` (%s); do not edit by hand.\n\n",
		how);
	if (!cov->have) {
		fprintf(f, "No figures: %s.\n", cov->why_not);
		return;
	}
	fprintf(f, "Campaign `%s` (%.0f s, %u session(s)); its corpus (%u inputs) and the %u "
		"seeds of corpus/seeds in the measuring build, replayed by the `host-cov` build, "
		"no unit tests%s%s.\n\n",
		r->c->name, r->c->elapsed_before, r->c->session - 1, cov->inputs, cov->seed_inputs,
		cov->when[0] ? "; measured " : "", cov->when);
	fprintf(f, "| file | lines | missed | line cover | branches | missed | branch cover |\n");
	fprintf(f, "|---|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i <= cov->nfiles; i++) {
		const struct cov_file *cf = i < cov->nfiles ? &cov->files[i] : &cov->total;
		bool tot = i == cov->nfiles;

		fprintf(f, "| %s%s%s | %u | %u | %s%.2f %%%s | %u | %u | %s%.2f %%%s |\n",
			tot ? "**" : "", tot ? "total" : cf->name, tot ? "**" : "", cf->lines,
			cf->lines_missed, tot ? "**" : "",
			cf->lines ? 100.0 * (cf->lines - cf->lines_missed) / cf->lines : 100.0,
			tot ? "**" : "", cf->branches, cf->branches_missed, tot ? "**" : "",
			cf->branches ? 100.0 * (cf->branches - cf->branches_missed) / cf->branches
				     : 100.0, tot ? "**" : "");
	}
	fprintf(f, "\nGoal (issue 11): at least 95 %% of lines and 90 %% of branches. ");
	{
		double lp = cov->total.lines ? 100.0 * (cov->total.lines - cov->total.lines_missed) /
						       cov->total.lines : 100.0;
		double bp = cov->total.branches ? 100.0 * (cov->total.branches -
							   cov->total.branches_missed) /
							  cov->total.branches : 100.0;

		unsigned gap_lines = cov->by_kind_lines[UNCOV_NOT_REACHED];
		unsigned gap_arms = cov->by_kind_branches[UNCOV_NOT_REACHED];

		fprintf(f, "Lines: %s (%.2f %%); branches: %s (%.2f %%). ",
			lp >= 95 ? "met" : "not met", lp, bp >= 90 ? "met" : "not met", bp);
		if (gap_lines + gap_arms == 0)
			fprintf(f, "Every line and branch arm still uncovered has its reason "
				"below: none is a gap of the corpus.\n\n");
		else
			fprintf(f, "%u line(s) and %u branch arm(s) no rule explains: gaps of the "
				"corpus, listed last.\n\n", gap_lines, gap_arms);
	}
	fprintf(f, "## Why each line and branch is still uncovered\n\n");
	fprintf(f, "Every uncovered line and branch arm is listed below under the rule that "
		"explains it (`tools/report_uncovered.c` holds the rules; a line no rule "
		"explains is a gap of the corpus, listed last).\n\n");
	fprintf(f, "| reason | lines | branch arms | what it means |\n|---|---:|---:|---|\n");
	for (k = 0; k < UNCOV_KINDS; k++)
		fprintf(f, "| %s | %u | %u | %s |\n", uncov_kind_name((enum uncov_kind)k),
			cov->by_kind_lines[k], cov->by_kind_branches[k],
			uncov_kind_blurb((enum uncov_kind)k));
	for (k = 0; k < UNCOV_KINDS; k++) {
		unsigned n = cov->by_kind_lines[k] + cov->by_kind_branches[k];

		if (n == 0)
			continue;
		fprintf(f, "\n### %s (%u)\n\n", uncov_kind_name((enum uncov_kind)k), n);
		fprintf(f, "| where | function | uncovered | code | why |\n|---|---|---|---|---|\n");
		for (j = 0; j < cov->nuncov; j++) {
			const struct uncov_item *it = &cov->uncov[j];

			if (it->kind != (enum uncov_kind)k)
				continue;
			fprintf(f, "| %s:%u", it->file, it->line);
			if (it->col != 0)
				fprintf(f, ":%u", it->col);
			fprintf(f, " | %s | ", it->func[0] ? it->func : "-");
			if (!it->branch) {
				fprintf(f, "line");
			} else if (it->cond[0]) {
				fprintf(f, "%s arm of ", it->arm);
				md_code(f, it->cond);
			} else {
				fprintf(f, "branch, %s", it->arm);
			}
			fprintf(f, " | ");
			md_code(f, it->code);
			fprintf(f, " | %s |\n", it->why);
		}
	}
}
