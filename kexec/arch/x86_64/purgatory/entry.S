/* entry.S - purgatory entry: the header the loader reads, a private stack,
 * the C checks, then the jump to the next kernel's 64-bit entry.
 *
 * relocate_kernel enters here in long mode, paging on with an identity map
 * of RAM, interrupts off, on an unknown stack. Everything is RIP-relative:
 * the loader copies the blob anywhere (see purgatory-abi.h). */
#include "purgatory-abi.h"
#include "flat-entry.h"

	.section .text.head, "ax"
	.code64
	.globl purgatory_start
purgatory_start:
	/* struct purgatory_header */
	jmp	purgatory_entry		/* jump[8]: 2 or 5 bytes, then padding */
	.balign 8, 0x90
	.quad	PURGATORY_MAGIC
	.long	PURGATORY_ABI_VERSION
	.long	purgatory_entry - purgatory_start
	.long	purgatory_params - purgatory_start
	.long	_end - purgatory_start	/* link base is 0 for the shipped image */

	.balign 8
	.globl purgatory_params
purgatory_params:
	.fill	PURGATORY_PARAMS_SIZE, 1, 0

	.text
	.globl purgatory_entry
purgatory_entry:
	cli
	cld
	leaq	stack_top(%rip), %rsp
	CLEAR_BSS
	leaq	purgatory_params(%rip), %rdi
	call	purgatory_main

	LOAD_FLAT_GDT
	leaq	purgatory_params(%rip), %rdi
	movq	PP_ENTRY_RSI(%rdi), %rsi
	movq	PP_ENTRY_RIP(%rdi), %rax
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%ebp, %ebp
	xorl	%edi, %edi
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d
	jmpq	*%rax

	FLAT_GDT

	.bss
	.balign 16
stack:
	.skip	16384
stack_top:
	.section .note.GNU-stack, "", @progbits
