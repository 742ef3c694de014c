// SPDX-License-Identifier: MIT
/*
 * The HW field table of OP_HW (wdfields.h). Field maxima are the
 * architecture's (SIDSIZE 32, queue sizes 19, OAS encodings 0..6, BBML
 * 0..2), so every described world is one an SMMUv3 could be; fields
 * without a narrower rule take any value of their width. Freestanding.
 */
#include <stddef.h>

#include "wdfields.h"

#define F(n, r, l, w, m) { n, r, l, w, m }
#define ALL32 0xFFFFFFFFU

static const struct wd_field fields[] = {
	/* IDR0 */
	F("S2P", WD_IDR0, 0, 1, 1), F("S1P", WD_IDR0, 1, 1, 1),
	F("TTF", WD_IDR0, 2, 2, 3), F("COHACC", WD_IDR0, 4, 1, 1),
	F("BTM", WD_IDR0, 5, 1, 1), F("HTTU", WD_IDR0, 6, 2, 2),
	F("DORMHINT", WD_IDR0, 8, 1, 1), F("HYP", WD_IDR0, 9, 1, 1),
	F("ATS", WD_IDR0, 10, 1, 1), F("NS1ATS", WD_IDR0, 11, 1, 1),
	F("ASID16", WD_IDR0, 12, 1, 1), F("MSI", WD_IDR0, 13, 1, 1),
	F("SEV", WD_IDR0, 14, 1, 1), F("ATOS", WD_IDR0, 15, 1, 1),
	F("PRI", WD_IDR0, 16, 1, 1), F("VMW", WD_IDR0, 17, 1, 1),
	F("VMID16", WD_IDR0, 18, 1, 1), F("CD2L", WD_IDR0, 19, 1, 1),
	F("VATOS", WD_IDR0, 20, 1, 1), F("TTENDIAN", WD_IDR0, 21, 2, 3),
	F("ATSRECERR", WD_IDR0, 23, 1, 1), F("STALL_MODEL", WD_IDR0, 24, 2, 2),
	F("TERM_MODEL", WD_IDR0, 26, 1, 1), F("ST_LVL", WD_IDR0, 27, 2, 1),
	/* IDR1 */
	F("SIDSIZE", WD_IDR1, 0, 6, 32), F("SSIDSIZE", WD_IDR1, 6, 5, 20),
	F("PRIQS", WD_IDR1, 11, 5, 19), F("EVTQS", WD_IDR1, 16, 5, 19),
	F("CMDQS", WD_IDR1, 21, 5, 19), F("ATTR_PERMS_OVR", WD_IDR1, 26, 1, 1),
	F("ATTR_TYPES_OVR", WD_IDR1, 27, 1, 1), F("REL", WD_IDR1, 28, 1, 1),
	F("QUEUES_PRESET", WD_IDR1, 29, 1, 1), F("TABLES_PRESET", WD_IDR1, 30, 1, 1),
	F("ECMDQ", WD_IDR1, 31, 1, 1),
	/* IDR2..IDR4 whole, IDR3 by field too */
	F("IDR2", WD_IDR2, 0, 32, ALL32),
	F("HAD", WD_IDR3, 2, 1, 1), F("RIL", WD_IDR3, 10, 1, 1),
	F("BBML", WD_IDR3, 11, 2, 2), F("IDR3", WD_IDR3, 0, 32, ALL32),
	F("IDR4", WD_IDR4, 0, 32, ALL32),
	/* IDR5 */
	F("OAS", WD_IDR5, 0, 3, 6), F("GRAN4K", WD_IDR5, 4, 1, 1),
	F("GRAN16K", WD_IDR5, 5, 1, 1), F("GRAN64K", WD_IDR5, 6, 1, 1),
	F("VAX", WD_IDR5, 10, 2, 2), F("STALL_MAX", WD_IDR5, 16, 16, 0xFFFF),
	/* IIDR, AIDR, reset value of GBPA, failures */
	F("IMPLEMENTER", WD_IIDR, 0, 12, 0xFFF), F("REVISION", WD_IIDR, 12, 4, 15),
	F("VARIANT", WD_IIDR, 16, 4, 15), F("PRODUCTID", WD_IIDR, 20, 12, 0xFFF),
	F("AIDR", WD_AIDR, 0, 8, 0xFF),
	F("GBPA_RESET", WD_GBPA_RESET, 0, 32, ALL32),
	F("FAULTS", WD_FAULTS, 0, 6, WD_FAULTS_MAX),
	/* What firmware left programmed at take-over */
	F("BOOT_CR0", WD_BOOT_CR0, 0, 32, ALL32),
	F("BOOT_GERROR", WD_BOOT_GERROR, 0, 32, ALL32),
	F("BOOT_IRQ_CTRL", WD_BOOT_IRQ_CTRL, 0, 32, ALL32),
	F("BOOT_GERROR_IRQ_CFG0", WD_BOOT_GERROR_IRQ_CFG0, 0, 32, ALL32),
	F("BOOT_EVTQ_IRQ_CFG0", WD_BOOT_EVTQ_IRQ_CFG0, 0, 32, ALL32),
	F("BOOT_PRIQ_IRQ_CFG0", WD_BOOT_PRIQ_IRQ_CFG0, 0, 32, ALL32),
	F("BOOT_GERROR_IRQ_CFG1", WD_BOOT_GERROR_IRQ_CFG1, 0, 32, ALL32),
	F("BOOT_EVTQ_IRQ_CFG1", WD_BOOT_EVTQ_IRQ_CFG1, 0, 32, ALL32),
	F("BOOT_PRIQ_IRQ_CFG1", WD_BOOT_PRIQ_IRQ_CFG1, 0, 32, ALL32),
	F("BOOT_STRTAB_BASE", WD_BOOT_STRTAB_BASE, 0, 32, ALL32),
	F("BOOT_STRTAB_CFG", WD_BOOT_STRTAB_CFG, 0, 32, ALL32),
	F("BOOT_CMDQ_BASE", WD_BOOT_CMDQ_BASE, 0, 32, ALL32),
	F("BOOT_CMDQ_PROD", WD_BOOT_CMDQ_PROD, 0, 32, ALL32),
	F("BOOT_CMDQ_CONS", WD_BOOT_CMDQ_CONS, 0, 32, ALL32),
	F("BOOT_EVTQ_BASE", WD_BOOT_EVTQ_BASE, 0, 32, ALL32),
	F("BOOT_PRIQ_BASE", WD_BOOT_PRIQ_BASE, 0, 32, ALL32),
	F("BOOT_ECMDQ", WD_BOOT_ECMDQ, 0, 8, 0xFF),
	/* The world */
	F("SMMU_COUNT", WD_SMMU_COUNT, 0, 2, 3),
};

#define FIELD_COUNT (sizeof(fields) / sizeof(fields[0]))

unsigned wd_field_count(void)
{
	return (unsigned)FIELD_COUNT;
}

const struct wd_field *wd_field(unsigned idx)
{
	return idx < FIELD_COUNT ? &fields[idx] : NULL;
}

static char up(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

bool wd_name_eq(const char *a, const char *b)
{
	while (*a != '\0' && up(*a) == up(*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

int wd_field_find(const char *name)
{
	unsigned i;

	for (i = 0; i < FIELD_COUNT; i++)
		if (wd_name_eq(fields[i].name, name))
			return (int)i;
	return -1;
}

uint32_t wd_field_reduce(unsigned idx, uint32_t value)
{
	const struct wd_field *f = wd_field(idx % (unsigned)FIELD_COUNT);

	if (f->max == ALL32)
		return value;
	return value % (f->max + 1U);
}

