/* header.S - the real-mode part of the efi-rt-probe bzImage: a boot sector
 * and the setup header (spec 1.3), nothing else.
 *
 * The probe is only ever entered at its 64-bit entry (protected-mode part
 * + 0x200) by a kexec loader, so the 16-bit code is a halt. The header is
 * what loaders read: "HdrS", protocol 2.12 (xloadflags), a relocatable
 * 64-bit kernel that can live above 4 GiB, takes an EFI kexec hand-off
 * (XLF_EFI_KEXEC) and copes with 5-level paging (XLF_5LEVEL). Sizes come
 * from the linker script (stub.lds): syssize in 16-byte units, init_size
 * the whole footprint including bss, stack and the page-table pool. */
/* Numbers, not bootproto.h: gas takes no "u" suffixes. The values are
 * checked against bootproto.h through libesd's image parser by
 * tests/unit/test-stub.c. */

#define STUB_SETUP_SECTS 1	/* + the boot sector: 1 KiB of setup */

	.section .header, "a"
	.code16
	.globl stub_setup_start
stub_setup_start:
	cli
1:	hlt
	jmp	1b

	.org	0x1f1
	.byte	STUB_SETUP_SECTS		/* setup_sects */
	.word	0				/* root_flags */
	.long	stub_syssize			/* syssize (16-byte units) */
	.word	0				/* ram_size */
	.word	0xffff				/* vid_mode: normal */
	.word	0				/* root_dev */
	.word	0xaa55				/* boot_flag */
	/* 0x200: the 16-bit entry a real-mode loader would jump to */
	.byte	0xeb, realmode_entry - 1f
1:	.ascii	"HdrS"				/* 0x202 header */
	.word	0x020c				/* version 2.12 */
	.long	0				/* realmode_swtch */
	.word	0x1000				/* start_sys_seg (obsolete) */
	.word	stub_version_string - stub_setup_start - 0x200	/* kernel_version */
	.byte	0				/* type_of_loader: the loader's */
	.byte	0x01				/* loadflags: LOADED_HIGH */
	.word	0x8000				/* setup_move_size */
	.long	0x100000			/* code32_start */
	.long	0				/* ramdisk_image */
	.long	0				/* ramdisk_size */
	.long	0				/* bootsect_kludge */
	.word	0				/* heap_end_ptr */
	.byte	0				/* ext_loader_ver */
	.byte	0				/* ext_loader_type */
	.long	0				/* cmd_line_ptr */
	.long	0x7fffffff			/* initrd_addr_max */
	.long	0x200000			/* kernel_alignment */
	.byte	1				/* relocatable_kernel */
	.byte	12				/* min_alignment: 4 KiB is enough */
	.word	0x0033				/* xloadflags: KERNEL_64, CAN_BE_LOADED_ABOVE_4G, EFI_KEXEC, 5LEVEL */
	.long	2047				/* cmdline_size */
	.long	0				/* hardware_subarch: PC */
	.quad	0				/* hardware_subarch_data */
	.long	0				/* payload_offset: nothing compressed */
	.long	0				/* payload_length */
	.quad	0				/* setup_data */
	.quad	0x1000000			/* pref_address */
	.long	stub_init_size			/* init_size */
	.long	0				/* handover_offset: no EFI stub entry */
	.long	0				/* kernel_info_offset (2.15+) */

realmode_entry:
	cli
1:	hlt
	jmp	1b

	.globl stub_version_string
stub_version_string:
	.ascii	"efi-rt-probe "
	.ascii	PACKAGE_VERSION
	.asciz	" (kexec-efi target stub)"

	.org	(STUB_SETUP_SECTS + 1) * 512
