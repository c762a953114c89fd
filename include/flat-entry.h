/* flat-entry.h - assembler macros shared by the two freestanding images a
 * kexec loader jumps through: the purgatory and efi-rt-probe. Both are
 * copied anywhere by a loader and reach everything RIP-relative.
 *
 * Include from .S files only. */
#ifndef KX_FLAT_ENTRY_H
#define KX_FLAT_ENTRY_H

#ifdef __ASSEMBLER__

/* Zero [__bss_start, __bss_end): loaders copy only the file bytes.
 * Clobbers rax, rcx, rdi; the stack may live in bss (nothing pushed yet). */
.macro CLEAR_BSS
	leaq	__bss_start(%rip), %rdi
	leaq	__bss_end(%rip), %rcx
	subq	%rdi, %rcx
	xorl	%eax, %eax
	rep stosb
.endm

/* Load our own GDT (FLAT_GDT below) and reload every segment register:
 * 0x10 flat 64-bit code, 0x18 flat data, as the boot protocol has them.
 * The GDT we came with lives in memory we have no claim on. Clobbers rax. */
.macro LOAD_FLAT_GDT
	leaq	flat_gdt(%rip), %rax
	movq	%rax, flat_gdt_desc+2(%rip)
	lgdt	flat_gdt_desc(%rip)
	movl	$0x18, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	leaq	99f(%rip), %rax
	pushq	$0x10
	pushq	%rax
	lretq
99:
.endm

/* The table and its descriptor (the base is filled in at run time: its
 * real address is known only then). Emit once per image. */
.macro FLAT_GDT
	.pushsection .rodata
	.balign 16
flat_gdt:
	.quad	0			/* 0x00 null */
	.quad	0			/* 0x08 unused */
	.quad	0x00af9a000000ffff	/* 0x10 code: L=1, P, DPL0, exec/read */
	.quad	0x00cf92000000ffff	/* 0x18 data: P, DPL0, read/write */
flat_gdt_end:
	.popsection
	.pushsection .data
	.balign 16
flat_gdt_desc:
	.word	flat_gdt_end - flat_gdt - 1
	.quad	0
	.popsection
.endm

#endif
#endif
