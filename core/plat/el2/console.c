// SPDX-License-Identifier: MIT
/*
 * The console (QEMU virt's PL011, no set-up needed), a small printf, and
 * the way out: semihosting SYS_EXIT, whose code QEMU exits with.
 */
#include <string.h>

#include "arch.h"
#include "el2.h"

#define PL011_BASE	0x09000000UL
#define PL011_DR	0x00U
#define PL011_FR	0x18U
#define PL011_FR_TXFF	(1U << 5)
#define TXFF_SPINS	100000U		/* a full FIFO drains long before */

void el2_putc(char c)
{
	unsigned i;

	for (i = 0; i < TXFF_SPINS && (dev_read32(PL011_BASE + PL011_FR) & PL011_FR_TXFF); i++)
		;
	dev_write32(PL011_BASE + PL011_DR, (uint8_t)c);
}

void el2_puts(const char *s)
{
	while (*s != '\0')
		el2_putc(*s++);
}

static void put_num(uint64_t v, unsigned base, unsigned width, char pad)
{
	char buf[24];
	unsigned n = 0;

	do {
		unsigned d = (unsigned)(v % base);

		buf[n++] = (char)(d < 10U ? '0' + d : 'a' + d - 10U);
		v /= base;
	} while (v != 0 && n < sizeof(buf));
	while (n < width && width <= sizeof(buf))
		buf[n++] = pad;
	while (n > 0)
		el2_putc(buf[--n]);
}

void el2_vprintf(const char *fmt, va_list ap)
{
	for (; *fmt != '\0'; fmt++) {
		unsigned width = 0, longs = 0;
		char pad = ' ';
		uint64_t v;

		if (*fmt != '%') {
			el2_putc(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10U + (unsigned)(*fmt++ - '0');
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);

			el2_puts(s != NULL ? s : "(null)");
			break;
		}
		case 'c':
			el2_putc((char)va_arg(ap, int));
			break;
		case 'd': {
			int64_t d = longs ? va_arg(ap, int64_t) : va_arg(ap, int);

			if (d < 0) {
				el2_putc('-');
				v = (uint64_t)0 - (uint64_t)d;
			} else {
				v = (uint64_t)d;
			}
			put_num(v, 10, width, pad);
			break;
		}
		case 'u':
		case 'x':
			v = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			put_num(v, *fmt == 'u' ? 10U : 16U, width, pad);
			break;
		case '%':
			el2_putc('%');
			break;
		case '\0':
			return;
		default:
			el2_putc('?');
			break;
		}
	}
}

void el2_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	el2_vprintf(fmt, ap);
	va_end(ap);
}

/* Semihosting: SYS_OPEN (0x01), SYS_CLOSE (0x02), SYS_WRITE (0x05) and
 * SYS_EXIT (0x18) with ADP_Stopped_ApplicationExit and a code. */
#define SH_SYS_OPEN			0x01U
#define SH_SYS_CLOSE			0x02U
#define SH_SYS_WRITE			0x05U
#define SH_SYS_EXIT			0x18U
#define SH_MODE_WB			5U	/* fopen's "wb" */
#define ADP_STOPPED_APPLICATION_EXIT	0x20026U

static uint64_t semihost(uint64_t op, const volatile uint64_t *block)
{
	register uint64_t x0 __asm__("x0") = op;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;

	dsb_sy();
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

bool el2_semihost_write_file(const char *path, const void *data, size_t len)
{
	static volatile uint64_t block[3];
	uint64_t fd, left;

	block[0] = (uint64_t)(uintptr_t)path;
	block[1] = SH_MODE_WB;
	block[2] = strlen(path);
	fd = semihost(SH_SYS_OPEN, block);
	if (fd == ~0ULL)
		return false;
	block[0] = fd;
	block[1] = (uint64_t)(uintptr_t)data;
	block[2] = len;
	/* SYS_WRITE answers the bytes it did not write. */
	left = semihost(SH_SYS_WRITE, block);
	block[0] = fd;
	(void)semihost(SH_SYS_CLOSE, block);
	return left == 0;
}

_Noreturn void el2_exit(unsigned code)
{
	static volatile uint64_t block[2];
	register uint64_t x0 __asm__("x0") = SH_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;

	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = code;
	dsb_sy();
	__asm__ volatile("hlt #0xf000" : : "r"(x0), "r"(x1) : "memory");
	/* Without semihosting the HLT is undefined and lands in the EL2
	 * vectors, which stop here too: nothing more to do. */
	for (;;)
		__asm__ volatile("wfi");
}
