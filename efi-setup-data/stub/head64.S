/* head64.S - the protected-mode part's entries, exception stubs and the
 * call gate into EFI runtime services.
 *
 * A kexec loader (ours, kexec-tools, the kernel's kexec_file_load) enters
 * at +0x200 in long mode with paging on, an identity map of at least the
 * loaded segments, interrupts off, %rsi = boot_params. Everything here is
 * RIP-relative: the image runs wherever it was put. */
#include "flat-entry.h"

	.section .text.head, "ax"
	.code32
	.globl stub_start32
stub_start32:			/* +0: the 32-bit entry; the probe is 64-bit only */
	cli
1:	hlt
	jmp	1b

	.org	0x200, 0xcc
	.code64
	.globl stub_start64
stub_start64:
	cli
	cld
	leaq	stack_top(%rip), %rsp
	movq	%rsi, %r12		/* boot_params, kept across the bss clear */
	CLEAR_BSS
	LOAD_FLAT_GDT		/* the one we came with is in the loader's purgatory */
	movq	%r12, %rdi
	call	stub_main
2:	cli
	hlt
	jmp	2b

/* Exception entry points 0..31, 16 bytes apart (idt.c computes the
 * addresses from stub_isr_table). Each pushes a dummy error code where
 * the CPU pushes none, then its vector. */
	.macro ISR vec, has_err
	.balign 16
	.if \has_err == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	isr_common
	.endm

	.text
	.balign 16
	.globl stub_isr_table
stub_isr_table:
	ISR 0, 0
	ISR 1, 0
	ISR 2, 0
	ISR 3, 0
	ISR 4, 0
	ISR 5, 0
	ISR 6, 0
	ISR 7, 0
	ISR 8, 1
	ISR 9, 0
	ISR 10, 1
	ISR 11, 1
	ISR 12, 1
	ISR 13, 1
	ISR 14, 1
	ISR 15, 0
	ISR 16, 0
	ISR 17, 1
	ISR 18, 0
	ISR 19, 0
	ISR 20, 0
	ISR 21, 1
	ISR 22, 0
	ISR 23, 0
	ISR 24, 0
	ISR 25, 0
	ISR 26, 0
	ISR 27, 0
	ISR 28, 0
	ISR 29, 1
	ISR 30, 1
	ISR 31, 0

/* Saves the general registers as struct stub_frame (stub.h) and hands it
 * to C on our own stack: the faulting one may be the firmware's problem. */
isr_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	leaq	fault_stack_top(%rip), %rsp
	cld
	call	stub_exception
3:	cli
	hlt
	jmp	3b

/* uint64_t efi_call5(void *fn, a1, a2, a3, a4, a5): System V in, Microsoft
 * x64 out (UEFI 2.3.4.2): rcx, rdx, r8, r9, then the stack above 32 bytes
 * of shadow space, %rsp 16-byte aligned at the call. The registers the
 * Microsoft ABI clobbers beyond System V's (none among rbx, rbp, r12-r15)
 * need no saving; rsi and rdi are callee-saved there. */
	.globl efi_call5
efi_call5:
	pushq	%rbp
	movq	%rsp, %rbp
	subq	$48, %rsp
	andq	$-16, %rsp
	movq	%r9, 32(%rsp)
	movq	%r8, %r9
	movq	%rcx, %r8
	movq	%rsi, %rcx
	call	*%rdi
	leave
	ret

	FLAT_GDT

	.bss
	.balign 16
	.globl stack_bottom
stack_bottom:
	.skip	65536
stack_top:
	.skip	16384
fault_stack_top:
