/* console.c - COM1 output and a printf small enough to read. Polling
 * only: interrupts stay off for the probe's whole life. */
#include "stub.h"

#define COM1 0x3f8

void con_init(void)
{
	cpu_outb(COM1 + 1, 0x00);       /* no interrupts */
	cpu_outb(COM1 + 3, 0x80);       /* DLAB */
	cpu_outb(COM1 + 0, 0x01);       /* divisor 1: 115200 baud */
	cpu_outb(COM1 + 1, 0x00);
	cpu_outb(COM1 + 3, 0x03);       /* 8N1 */
	cpu_outb(COM1 + 2, 0x07);       /* FIFO on, cleared */
	cpu_outb(COM1 + 4, 0x03);       /* DTR, RTS */
}

static void putc_raw(char c)
{
	unsigned spin = 100000;

	/* Bounded wait: a missing UART must not hang the probe. */
	while (!(cpu_inb(COM1 + 5) & 0x20) && --spin)
		;
	cpu_outb(COM1, (uint8_t)c);
}

static void con_putc(char c)
{
	if (c == '\n')
		putc_raw('\r');
	putc_raw(c);
}

/* Where formatted text goes: the UART, or a string buffer. */
struct sink {
	char *buf;              /* NULL: the UART */
	size_t size, len;
};

static void sink_putc(struct sink *o, char c)
{
	if (!o) {
		con_putc(c);
	} else if (o->len + 1 < o->size) {
		o->buf[o->len++] = c;
		o->buf[o->len] = '\0';
	}
}

static void put_str(struct sink *o, const char *s)
{
	if (!s)
		s = "(null)";
	while (*s)
		sink_putc(o, *s++);
}

static void put_num(struct sink *o, uint64_t v, unsigned base, int width, char pad)
{
	char buf[24];
	int n = 0;

	do {
		unsigned dgt = (unsigned)(v % base);

		buf[n++] = (char)(dgt < 10 ? '0' + dgt : 'a' + dgt - 10);
		v /= base;
	} while (v);
	while (n < width--)
		sink_putc(o, pad);
	while (n)
		sink_putc(o, buf[--n]);
}

/* %s %c %d %u %x with l/ll/z and a zero-padded width, %%: all the probe
 * prints. */
static void format(struct sink *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int width = 0, lng = 0;
		char pad = ' ';
		uint64_t u;

		if (*fmt != '%') {
			sink_putc(o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 's':
			put_str(o, va_arg(ap, const char *));
			break;
		case 'c':
			sink_putc(o, (char)va_arg(ap, int));
			break;
		case 'd': {
			int64_t s = lng ? va_arg(ap, int64_t) : va_arg(ap, int);

			if (s < 0) {
				sink_putc(o, '-');
				u = (uint64_t)0 - (uint64_t)s;
			} else {
				u = (uint64_t)s;
			}
			put_num(o, u, 10, width, pad);
			break;
		}
		case 'u':
		case 'x':
			u = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			put_num(o, u, *fmt == 'u' ? 10 : 16, width, pad);
			break;
		case '%':
			sink_putc(o, '%');
			break;
		case '\0':
			return;
		default:
			sink_putc(o, '?');
			break;
		}
	}
}

void con_vprintf(const char *fmt, va_list ap)
{
	format(0, fmt, ap);
}

void str_vprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink o = { buf, size, 0 };

	if (size)
		buf[0] = '\0';
	format(&o, fmt, ap);
}

void con_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
}

void con_put_ucs2(const uint16_t *s, size_t max)
{
	size_t i;

	for (i = 0; i < max && s[i]; i++)
		con_putc(s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?');
}

void con_put_guid(const uint8_t g[16])
{
	static const int order[16] = { 3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11 };
	int i;

	/* Mixed endian: the first three fields are little-endian. */
	for (i = 0; i < 16; i++) {
		if (order[i] < 0)
			con_putc('-');
		else
			put_num(0, g[order[i]], 16, 2, '0');
	}
	for (i = 12; i < 16; i++)
		put_num(0, g[i], 16, 2, '0');
}
