/* stub.h - the pieces of efi-rt-probe, the companion target stub: a
 * bzImage that a kexec loader boots into and that does what a kexec'ed
 * kernel must do with the EFI hand-off (build its own EFI page tables from
 * the runtime map, call runtime services through them) and says on COM1
 * what happened. FREESTANDING: no libc anywhere in the image. */
#ifndef STUB_H
#define STUB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- console.c: COM1, 115200 8N1, and a small printf ---- */
void con_init(void);
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void con_vprintf(const char *fmt, va_list ap);
/* The same formats into buf (always terminated when size > 0). */
void str_vprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* UCS-2 (a variable name) as ASCII, '?' for the rest, at most max chars. */
void con_put_ucs2(const uint16_t *s, size_t max);
void con_put_guid(const uint8_t g[16]);

/* ---- cpu.c: the few privileged instructions, and power off ---- */
struct stub_frame {                  /* pushed by isr_common, low to high */
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;  /* pushed by the CPU */
};
uint64_t cpu_read_cr2(void);
uint64_t cpu_read_cr3(void);
uint64_t cpu_read_cr4(void);
void cpu_write_cr3(uint64_t v);
void cpu_enable_sse(void);
void cpu_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]);
void cpu_outb(uint16_t port, uint8_t v);
void cpu_outw(uint16_t port, uint16_t v);
uint8_t cpu_inb(uint16_t port);
void idt_install(void);
/* After ResetSystem returned or could not be called: the ACPI PM1a
 * control ports of QEMU's q35 and i440fx, then halt. */
void cpu_poweroff_fallback(void) __attribute__((noreturn));

/* ---- head64.S ---- */
uint64_t efi_call5(void *fn, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
extern char stub_isr_table[];
extern char _pm_start[], _end[];

/* ---- probe.c: what the exception handler needs to know ---- */
void stub_exception(struct stub_frame *f) __attribute__((noreturn));

/* ---- freestanding memory helpers (the compiler may emit calls to these) ---- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
