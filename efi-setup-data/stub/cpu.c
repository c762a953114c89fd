/* cpu.c - privileged instructions, the IDT, power off. */
#include "stub.h"

uint64_t cpu_read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

uint64_t cpu_read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

uint64_t cpu_read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

void cpu_write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

/* relocate_kernel leaves CR4 with little more than PAE (and LA57): SSE is
 * off, and firmware built for x64 uses SSE freely (UEFI 2.3.4.1 lets it).
 * The kernel turns it on before its first runtime call; so do we. */
void cpu_enable_sse(void)
{
	uint64_t cr0, cr4;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 &= ~(1ull << 2);    /* EM off */
	cr0 |= 1ull << 1;       /* MP */
	cr0 &= ~(1ull << 3);    /* TS off */
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	cr4 = cpu_read_cr4();
	cr4 |= (1ull << 9) | (1ull << 10);  /* OSFXSR, OSXMMEXCPT */
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
	__asm__ volatile("fninit");
}

void cpu_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

void cpu_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

void cpu_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

uint8_t cpu_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

struct idt_gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, zero;
} __attribute__((packed));

static struct idt_gate idt[32] __attribute__((aligned(16)));

/* Installed before anything that can fault, so a bad mapping inside a
 * runtime call becomes a report instead of a triple fault and a reset. */
void idt_install(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc;
	uint16_t cs;
	unsigned i;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	for (i = 0; i < 32; i++) {
		uint64_t a = (uint64_t)(uintptr_t)(stub_isr_table + 16 * i);

		idt[i].off0 = (uint16_t)a;
		idt[i].sel = cs;
		idt[i].ist = 0;
		idt[i].type = 0x8e;     /* present, DPL 0, 64-bit interrupt gate */
		idt[i].off1 = (uint16_t)(a >> 16);
		idt[i].off2 = (uint32_t)(a >> 32);
		idt[i].zero = 0;
	}
	desc.limit = sizeof(idt) - 1;
	desc.base = (uint64_t)(uintptr_t)idt;
	__asm__ volatile("lidt %0" : : "m"(desc));
}

void cpu_poweroff_fallback(void)
{
	cpu_outw(0x604, 0x2000);    /* q35 (ICH9) PM1a_CNT: SLP_EN, S5 */
	cpu_outw(0xb004, 0x2000);   /* i440fx PIIX4 */
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* The compiler may call these for struct copies and clears. */
void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p < *q ? -1 : 1;
	return 0;
}
