/* main.c - purgatory's C entry: serial output, then the checks. */
#include "checks.h"

void purgatory_main(struct purgatory_params *pp);

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* 8250/16550, polled: 8 data bits, no parity, 1 stop bit. */
static void serial_init(uint16_t port, uint32_t baud)
{
	uint32_t div = baud ? 115200u / baud : 1u;

	if (!div)
		div = 1;
	outb(port + 1, 0x00);             /* no interrupts */
	outb(port + 3, 0x80);             /* DLAB */
	outb(port + 0, (uint8_t)div);
	outb(port + 1, (uint8_t)(div >> 8));
	outb(port + 3, 0x03);             /* 8N1 */
	outb(port + 2, 0xC7);             /* FIFO on, cleared */
	outb(port + 4, 0x03);             /* DTR, RTS */
}

static void serial_putc(void *ctx, char c)
{
	uint16_t port = (uint16_t)(uintptr_t)ctx;
	unsigned spin = 100000;

	while (!(inb(port + 5) & 0x20) && --spin)
		;
	outb(port, (uint8_t)c);
}

void purgatory_main(struct purgatory_params *pp)
{
	struct purg_mem mem = { 0, 0, ~0ull };
	struct purg_out out = { 0, 0 };

	if (pp->magic != PURGATORY_MAGIC)
		for (;;)
			__asm__ volatile("hlt");
	if ((pp->flags & PURG_F_SERIAL) && pp->serial_port) {
		serial_init(pp->serial_port, pp->serial_baud);
		out.putc = serial_putc;
		out.ctx = (void *)(uintptr_t)pp->serial_port;
	}
	if (purg_run(pp, &mem, &out) != 0)
		for (;;)
			__asm__ volatile("cli; hlt");
}

/* The compiler may emit calls to these for struct copies and clears. */
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);

void *memcpy(void *d, const void *s, size_t n)
{
	purg_copy(d, s, n);
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	purg_copy(d, s, n);
	return d;
}

void *memset(void *d, int c, size_t n)
{
	purg_fill(d, c, n);
	return d;
}
