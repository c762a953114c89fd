/* main.c - purgatory's C entry: serial output, then the checks. */
#include "checks.h"
#include "sha256.h"

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

#define CR0_MP          (1ull << 1)
#define CR0_EM          (1ull << 2)
#define CR0_TS          (1ull << 3)
#define CR4_OSFXSR      (1ull << 9)
#define CR4_OSXMMEXCPT  (1ull << 10)

static inline uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
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
	struct purg_mem mem = { 0, 0, ~0ull, 0 };
	struct purg_out out = { 0, 0 };
	uint64_t cr0 = 0, cr4 = 0;
	int r;

	if (pp->magic != PURGATORY_MAGIC)
		for (;;)
			__asm__ volatile("hlt");
	if ((pp->flags & PURG_F_SERIAL) && pp->serial_port) {
		serial_init(pp->serial_port, pp->serial_baud);
		out.putc = serial_putc;
		out.ctx = (void *)(uintptr_t)pp->serial_port;
	}
	/* relocate_kernel leaves CR4 with little more than PAE/LA57: SSE
	 * instructions would #UD. Enable SSE only for the SHA-extension path,
	 * and put CR0/CR4 back as they were before the jump. */
	if (!(pp->flags & PURG_F_SKIP_CHECKS) && pp->digest_algo == PURG_DIGEST_SHA256 &&
	    kx_sha256_ni_supported()) {
		cr0 = read_cr0();
		cr4 = read_cr4();
		write_cr0((cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP);
		write_cr4(cr4 | CR4_OSFXSR | CR4_OSXMMEXCPT);
		mem.simd_ok = 1;
	}
	r = purg_run(pp, &mem, &out);
	if (mem.simd_ok) {
		write_cr4(cr4);
		write_cr0(cr0);
	}
	if (r != 0)
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
