// SPDX-License-Identifier: MIT
/*
 * DMA probes as real transactions through QEMU's SMMUv3: QEMU's edu PCI
 * device, one per stream ID the input probes, placed by the runner where
 * its requester ID is that stream ID (below a PCIe root port whose bus
 * numbers are programmed here, or on bus 0), moves one byte with its DMA
 * engine (BAR0: source, destination, count, command).
 *
 * What a real transaction can show is where bytes arrive and what the
 * event queue records; the edu buffer itself cannot be read back. So a
 * probe checks the host model's answer (the runner hands it over) against
 * what really happens, and the host observes the answer when the real
 * outcome is consistent with it, the real outcome when not:
 *   - answer "reached P" (RAM): a nonce planted at P must travel through
 *     the device and back (read into the buffer, written back), which
 *     proves both directions translate to P; for a read probe the write
 *     back is made only while the hardware's event queue is off, so a
 *     read-only mapping cannot add an event the model did not record;
 *   - answer "reached P" elsewhere (MMIO): one real read, no event;
 *   - answer "fault E": one real transaction of the probe's direction,
 *     and any event it records must be E.
 * docs/qemu-harness.md has the cases and what stays unverified.
 */
#include "arch.h"
#include "audit.h"
#include "hyp.h"

/* PCI configuration space (ECAM: bus << 20 | devfn << 12). */
#define PCI_VENDOR_DEVICE	0x00U
#define PCI_COMMAND		0x04U
#define PCI_COMMAND_MEMORY	0x2U
#define PCI_COMMAND_MASTER	0x4U
#define PCI_BAR0		0x10U
#define PCI_BRIDGE_BUSES	0x18U	/* primary, secondary, subordinate */
#define PCI_BRIDGE_MEMORY	0x20U	/* base [15:4], limit [31:20], 1 MiB units */
#define EDU_ID			0x11E81234U	/* QEMU's vendor 0x1234, edu 0x11e8 */

/* edu's BAR0 (hw/misc/edu.c). */
#define EDU_REG_ID		0x00U
#define EDU_REG_DMA_SRC		0x80U
#define EDU_REG_DMA_DST		0x88U
#define EDU_REG_DMA_CNT		0x90U
#define EDU_REG_DMA_CMD		0x98U
#define EDU_DMA_RUN		0x1U
#define EDU_DMA_TO_PCI		0x2U	/* buffer -> bus address */
#define EDU_BUFFER		0x40000U	/* the DMA buffer in edu's space */
#define EDU_BAR_SIZE		0x100000U
#define EDU_DMA_WAIT_S		5U	/* edu starts a transfer 100 ms after the command */

/* SMMU registers the probe reads directly. */
#define SMMU_CR0ACK_OFF		0x24U
#define CR0_EVTQEN_BIT		(1U << 2)
#define SMMU_EVTQ_BASE_OFF	0xA0U
#define SMMU_EVTQ_PROD_P1	0x100A8U
#define EVT_BYTES		32U

#define FAULT_TAG		0xDEAD0000ULL
#define REFUTED_TAG		0xD1FF000000000000ULL

struct edu_dev {
	uint32_t sid;
	uintptr_t bar;
};

static struct {
	struct edu_dev edu[QH_EDU_MAX];
	unsigned count;
	const uint64_t *answers;
	uint32_t answer_count;
	uint32_t count_by[3];		/* enum check */
} dma;

static uintptr_t ecam(unsigned bus, unsigned devfn, unsigned off)
{
	return (uintptr_t)(hyp.dt.ecam_base + ((uint64_t)bus << 20) +
			   ((uint64_t)devfn << 12) + off);
}

void hyp_dma_init(void)
{
	const struct qh_edu *e = (const struct qh_edu *)(hyp.job + 1);
	unsigned k, m;

	dma.answers = (const uint64_t *)(e + hyp.job->edu_count);
	dma.answer_count = hyp.job->dma_count;
	if (hyp.job->edu_count == 0)
		return;
	if (hyp.job->edu_count > QH_EDU_MAX || hyp.dt.ecam_base == 0 ||
	    hyp.dt.pci_mmio_size < 32ULL * 16U * EDU_BAR_SIZE)
		hyp_harness_error("no PCIe to put %u edu device(s) on", hyp.job->edu_count);
	for (k = 0; k < hyp.job->edu_count; k++) {
		unsigned bus = e[k].sid >> 8, devfn = e[k].sid & 0xFFU;
		uintptr_t bar = (uintptr_t)hyp.dt.pci_mmio_base + (uintptr_t)k * EDU_BAR_SIZE;

		/* Below a root port: the port's window, 16 MiB per port slot. */
		if (e[k].port_slot > 0 && e[k].port_slot < 32) {
			unsigned port = (unsigned)e[k].port_slot << 3;
			uintptr_t window = (uintptr_t)hyp.dt.pci_mmio_base +
					   (uintptr_t)e[k].port_slot * 16U * EDU_BAR_SIZE;
			uint32_t mb = (uint32_t)(window >> 16) & 0xFFF0U;

			bar = window + (uintptr_t)(devfn & 7U) * EDU_BAR_SIZE;
			dev_write32(ecam(0, port, PCI_BRIDGE_BUSES), (bus << 16) | (bus << 8));
			dev_write32(ecam(0, port, PCI_BRIDGE_MEMORY), mb | ((mb + 0x00F0U) << 16));
			dev_write32(ecam(0, port, PCI_COMMAND),
				    PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
		}
		if (dev_read32(ecam(bus, devfn, PCI_VENDOR_DEVICE)) != EDU_ID)
			hyp_harness_error("no edu device at %02x:%02x.%u for stream ID 0x%x",
					  bus, devfn >> 3, devfn & 7U, e[k].sid);
		dev_write32(ecam(bus, devfn, PCI_BAR0), (uint32_t)bar);
		dev_write32(ecam(bus, devfn, PCI_COMMAND), PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
		if ((dev_read32(bar + EDU_REG_ID) & 0xFF0000FFU) != 0x010000EDU)
			hyp_harness_error("edu at 0x%lx does not answer", (uint64_t)bar);
		for (m = 0; m < dma.count; m++)
			if (dma.edu[m].sid == e[k].sid)
				hyp_harness_error("two edu devices for stream ID 0x%x", e[k].sid);
		dma.edu[dma.count].sid = e[k].sid;
		dma.edu[dma.count].bar = bar;
		dma.count++;
	}
}

/* One transfer of one byte; false if edu never finished it. */
static bool edu_move(const struct edu_dev *d, uint64_t iova, bool to_memory)
{
	uint64_t deadline = el2_counter() + EDU_DMA_WAIT_S * el2_counter_hz();

	dev_write64(d->bar + EDU_REG_DMA_SRC, to_memory ? EDU_BUFFER : iova);
	dev_write64(d->bar + EDU_REG_DMA_DST, to_memory ? iova : EDU_BUFFER);
	dev_write64(d->bar + EDU_REG_DMA_CNT, 1);
	dev_write64(d->bar + EDU_REG_DMA_CMD, EDU_DMA_RUN | (to_memory ? EDU_DMA_TO_PCI : 0U));
	while (dev_read64(d->bar + EDU_REG_DMA_CMD) & EDU_DMA_RUN)
		if (el2_counter() > deadline)
			return false;
	return true;
}

static uintptr_t smmu0(void)
{
	return (uintptr_t)hyp.dt.smmu_base[0];
}

/* The type of the last event the hardware recorded since @prod, or -1. */
static int new_event(uint32_t prod)
{
	uint64_t base = dev_read64(smmu0() + SMMU_EVTQ_BASE_OFF);
	unsigned log2 = (unsigned)(base & 0x1FU);
	uint32_t now = dev_read32(smmu0() + SMMU_EVTQ_PROD_P1), wrap, last;
	uint64_t rec;

	if (log2 > 19U)
		log2 = 19U;
	wrap = (2U << log2) - 1U;
	if (((now ^ prod) & wrap) == 0)
		return -1;
	last = (now - 1U) & (wrap >> 1);
	rec = *(volatile const uint64_t *)(uintptr_t)(((base & 0x000FFFFFFFFFFFE0ULL) &
						       ~(((uint64_t)EVT_BYTES << log2) - 1U)) +
						      (uint64_t)last * EVT_BYTES);
	return (int)(rec & 0xFFU);
}

static bool in_ram(uint64_t pa)
{
	return pa >= EL2_RAM_BASE && pa - EL2_RAM_BASE < el2_ram_size();
}

/* The nonce travels from @pa through the device and back: both directions
 * translate @iova to @pa. With @write_back false only the read is made. */
static bool echo(const struct edu_dev *d, uint64_t iova, uint64_t pa, bool write_back,
		 bool *moved)
{
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)pa;
	uint8_t orig = *p, nonce = (uint8_t)(orig ^ 0x5AU);
	bool ok;

	*p = nonce;
	dsb_sy();
	*moved = edu_move(d, iova, false);
	ok = *moved;
	if (ok && write_back) {
		*p = (uint8_t)~nonce;
		dsb_sy();
		*moved = edu_move(d, iova, true);
		ok = *moved && *p == nonce;
	}
	*p = orig;
	dsb_sy();
	return ok;
}

enum check { VERIFIED, UNVERIFIED, REFUTED };

uint64_t hyp_dma_probe(unsigned flags, uint32_t sid, uint32_t ssid, uint64_t iova,
		       uint32_t index)
{
	static const char *const names[] = { "verified", "unverified", "refuted" };
	const struct edu_dev *d = NULL;
	bool write = (flags & 1U) != 0, moved = true, evtq, fault_claim;
	enum check c = UNVERIFIED;
	uint64_t answer, result;
	uint32_t prod;
	unsigned k;
	int ev;

	(void)ssid;
	for (k = 0; k < dma.count; k++)
		if (dma.edu[k].sid == sid)
			d = &dma.edu[k];
	if (d == NULL)
		hyp_harness_error("DMA probe %u on stream ID 0x%x: no edu device for it",
				  index, sid);
	if (index >= dma.answer_count) {
		/* The host build never reached this probe: the builds parted
		 * earlier. The transaction still happens; nothing to check. */
		(void)edu_move(d, iova, false);
		dma.count_by[REFUTED]++;
		el2_printf("hyp: dma %u sid 0x%x: the host build made no such probe\n",
			   index, sid);
		return REFUTED_TAG | 0xFFFFFFFFFFFFULL;
	}
	answer = dma.answers[index];
	fault_claim = (answer >> 8) == (FAULT_TAG >> 8);
	evtq = (dev_read32(smmu0() + SMMU_CR0ACK_OFF) & CR0_EVTQEN_BIT) != 0;
	prod = dev_read32(smmu0() + SMMU_EVTQ_PROD_P1);
	result = answer;
	if (!fault_claim && in_ram(answer)) {
		/* A write needs the nonce in the buffer: its read first (a
		 * mapping that lets a device write lets it read). A read is
		 * written back only where no event can be recorded. */
		bool both = write || !evtq;

		if (!echo(d, iova, answer, both, &moved)) {
			result = REFUTED_TAG | (answer & 0xFFFFFFFFFFFFULL);
			c = REFUTED;
		} else if (both) {
			c = VERIFIED;
		}
	} else {
		/* A fault answered, or a device reached: the one transaction
		 * (a byte written into a device register would have effects of
		 * its own, so such a write is made as a read). */
		moved = edu_move(d, iova, write && fault_claim);
	}
	if (!moved)
		hyp_harness_error("edu at 0x%lx did not finish a transfer", (uint64_t)d->bar);
	ev = new_event(prod);
	if (ev >= 0 && (!fault_claim || (uint64_t)ev != (answer & 0xFFU))) {
		/* The hardware recorded a fault the model did not answer. */
		result = FAULT_TAG | (uint64_t)ev;
		c = REFUTED;
	} else if (ev >= 0) {
		c = VERIFIED;
	}
	dma.count_by[c]++;
	if (c == VERIFIED && !fault_claim)
		audit_dma_landing(answer, write);
	if (hyp.verbose || c == REFUTED)
		el2_printf("hyp: dma %u sid 0x%x iova 0x%lx %s: model 0x%lx, real 0x%lx: %s\n",
			   index, sid, iova, write ? "write" : "read", answer, result, names[c]);
	return result;
}

void hyp_dma_counts(uint32_t counts[3])
{
	counts[0] = dma.count_by[VERIFIED];
	counts[1] = dma.count_by[UNVERIFIED];
	counts[2] = dma.count_by[REFUTED];
}
