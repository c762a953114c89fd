/* bootproto.h - the x86 boot protocol and EFI hand-off formats, one place.
 *
 * Offsets, constants and one wire struct (ABI facts), each cited to the section of
 * docs/spec (efi-handoff.md) it comes from. No libc: the purgatory and the
 * target stub include this file too. */
#ifndef KX_BOOTPROTO_H
#define KX_BOOTPROTO_H

#include <stdint.h>

/* ---- boot_params ("zero page"), spec 1.1 ---- */
#define BP_SIZE                 4096u
#define BP_SCREEN_INFO          0x000u  /* 0x40 bytes */
#define BP_EXT_MEM_K            0x002u  /* u16 inside screen_info */
#define BP_ACPI_RSDP_ADDR       0x070u  /* u64 */
#define BP_EXT_RAMDISK_IMAGE    0x0C0u  /* u32 */
#define BP_EXT_RAMDISK_SIZE     0x0C4u  /* u32 */
#define BP_EXT_CMD_LINE_PTR     0x0C8u  /* u32 */
#define BP_CC_BLOB_ADDRESS      0x13Cu  /* u32 */
#define BP_EDID_INFO            0x140u  /* 0x80 bytes */
#define BP_EFI_INFO             0x1C0u  /* 0x20 bytes, spec 1.2 */
#define BP_ALT_MEM_K            0x1E0u  /* u32 */
#define BP_E820_ENTRIES         0x1E8u  /* u8 */
#define BP_EDDBUF_ENTRIES       0x1E9u  /* u8 */
#define BP_EDD_MBR_SIG_ENTRIES  0x1EAu  /* u8 */
#define BP_SECURE_BOOT          0x1ECu  /* u8 */
#define BP_SENTINEL             0x1EFu  /* u8, must be 0 (spec 1.4) */
#define BP_HDR                  0x1F1u  /* struct setup_header */
#define BP_EDD_MBR_SIG_BUFFER   0x290u  /* 16 x u32 */
#define BP_E820_TABLE           0x2D0u  /* 128 x 20 bytes */
#define BP_EDDBUF               0xD00u
#define BP_E820_MAX             128u
#define E820_ENTRY_SIZE         20u

/* ---- efi_info, offsets inside boot_params, spec 1.2 ---- */
#define EFI_INFO_SIZE               32u
#define EI_LOADER_SIGNATURE         0x1C0u
#define EI_SYSTAB                   0x1C4u
#define EI_MEMDESC_SIZE             0x1C8u
#define EI_MEMDESC_VERSION          0x1CCu
#define EI_MEMMAP                   0x1D0u
#define EI_MEMMAP_SIZE              0x1D4u
#define EI_SYSTAB_HI                0x1D8u
#define EI_MEMMAP_HI                0x1DCu
#define EFI64_LOADER_SIGNATURE      0x34364C45u  /* "EL64" */
#define EFI32_LOADER_SIGNATURE      0x32334C45u  /* "EL32" */

/* ---- setup header, spec 1.3 (offsets in boot_params == offsets in the file) ---- */
#define HDR_SETUP_SECTS         0x1F1u  /* u8, 0 means 4 */
#define HDR_ROOT_FLAGS          0x1F2u
#define HDR_SYSSIZE             0x1F4u
#define HDR_VID_MODE            0x1FAu
#define HDR_BOOT_FLAG           0x1FEu  /* u16 0xAA55 */
#define HDR_JUMP                0x200u  /* u8 0xEB, u8 disp */
#define HDR_HEADER              0x202u  /* "HdrS" */
#define HDR_VERSION             0x206u
#define HDR_KERNEL_VERSION      0x20Eu
#define HDR_TYPE_OF_LOADER      0x210u
#define HDR_LOADFLAGS           0x211u
#define HDR_CODE32_START        0x214u
#define HDR_RAMDISK_IMAGE       0x218u
#define HDR_RAMDISK_SIZE        0x21Cu
#define HDR_HEAP_END_PTR        0x224u
#define HDR_CMD_LINE_PTR        0x228u
#define HDR_INITRD_ADDR_MAX     0x22Cu
#define HDR_KERNEL_ALIGNMENT    0x230u
#define HDR_RELOCATABLE_KERNEL  0x234u
#define HDR_MIN_ALIGNMENT       0x235u
#define HDR_XLOADFLAGS          0x236u
#define HDR_CMDLINE_SIZE        0x238u
#define HDR_HARDWARE_SUBARCH    0x23Cu
#define HDR_PAYLOAD_OFFSET      0x248u
#define HDR_PAYLOAD_LENGTH      0x24Cu
#define HDR_SETUP_DATA          0x250u  /* u64 */
#define HDR_PREF_ADDRESS        0x258u  /* u64 */
#define HDR_INIT_SIZE           0x260u
#define HDR_HANDOVER_OFFSET     0x264u
#define HDR_KERNEL_INFO_OFFSET  0x268u
#define HDR_END_MAX             0x290u  /* padding after the header ends here */

#define HDR_MAGIC               0x53726448u  /* "HdrS" */
#define HDR_BOOT_FLAG_MAGIC     0xAA55u
#define BOOT_PROTO_MIN_64       0x020Cu
#define LOADER_TYPE_KEXEC       0xD0u        /* kexec-tools' id 0xD, version 0 */

#define LOADFLAG_LOADED_HIGH    0x01u
#define LOADFLAG_KASLR          0x02u
#define LOADFLAG_QUIET          0x20u
#define LOADFLAG_KEEP_SEGMENTS  0x40u
#define LOADFLAG_CAN_USE_HEAP   0x80u

#define XLF_KERNEL_64               (1u << 0)
#define XLF_CAN_BE_LOADED_ABOVE_4G  (1u << 1)
#define XLF_EFI_HANDOVER_32         (1u << 2)
#define XLF_EFI_HANDOVER_64         (1u << 3)
#define XLF_EFI_KEXEC               (1u << 4)
#define XLF_5LEVEL                  (1u << 5)
#define XLF_5LEVEL_ENABLED          (1u << 6)
#define XLF_MEM_ENCRYPTION          (1u << 7)

#define KERNEL_INFO_MAGIC       0x506F544Cu  /* "LToP" */
#define KERNEL_ENTRY64_OFFSET   0x200u

/* ---- setup_data, spec 2 ---- */
#define SETUP_DATA_HDR_SIZE     16u
#define SETUP_NONE              0u
#define SETUP_E820_EXT          1u
#define SETUP_DTB               2u
#define SETUP_PCI               3u
#define SETUP_EFI               4u
#define SETUP_APPLE_PROPERTIES  5u
#define SETUP_JAILHOUSE         6u
#define SETUP_CC_BLOB           7u
#define SETUP_IMA               8u
#define SETUP_RNG_SEED          9u
#define SETUP_KEXEC_KHO         10u
#define SETUP_ENUM_MAX          SETUP_KEXEC_KHO
#define SETUP_INDIRECT          (1u << 31)
#define SETUP_INDIRECT_PAYLOAD  24u

/* ---- SETUP_EFI payload, spec 3.1 ---- */
#define SETUP_EFI_PAYLOAD_SIZE  96u
#define SE_FW_VENDOR            0x00u
#define SE_RUNTIME              0x08u
#define SE_TABLES               0x10u
#define SE_SMBIOS               0x18u
#define SE_RESERVED             0x20u  /* 8 x u64 */

/* ---- EFI memory descriptors, spec 3.4 ---- */
#define EFI_DESC_SIZE           40u
#define EFI_DESC_VERSION        1u
#define EFI_PAGE_SHIFT          12u
#define EFI_PAGE_SIZE           4096ull
#define EFI_MEMMAP_MAX_BYTES    (256u * 1024u)  /* early_memremap limit, spec 8.2.9 */

enum efi_mem_type {
	EFI_RESERVED_TYPE = 0, EFI_LOADER_CODE = 1, EFI_LOADER_DATA = 2,
	EFI_BOOT_SERVICES_CODE = 3, EFI_BOOT_SERVICES_DATA = 4,
	EFI_RUNTIME_SERVICES_CODE = 5, EFI_RUNTIME_SERVICES_DATA = 6,
	EFI_CONVENTIONAL_MEMORY = 7, EFI_UNUSABLE_MEMORY = 8,
	EFI_ACPI_RECLAIM_MEMORY = 9, EFI_ACPI_MEMORY_NVS = 10,
	EFI_MEMORY_MAPPED_IO = 11, EFI_MEMORY_MAPPED_IO_PORT_SPACE = 12,
	EFI_PAL_CODE = 13, EFI_PERSISTENT_MEMORY = 14, EFI_UNACCEPTED_MEMORY = 15,
	EFI_MAX_MEMORY_TYPE = 16,
};

#define EFI_MEMORY_UC           (1ull << 0)
#define EFI_MEMORY_WC           (1ull << 1)
#define EFI_MEMORY_WT           (1ull << 2)
#define EFI_MEMORY_WB           (1ull << 3)
#define EFI_MEMORY_UCE          (1ull << 4)
#define EFI_MEMORY_WP           (1ull << 12)
#define EFI_MEMORY_RP           (1ull << 13)
#define EFI_MEMORY_XP           (1ull << 14)
#define EFI_MEMORY_NV           (1ull << 15)
#define EFI_MEMORY_MORE_RELIABLE (1ull << 16)
#define EFI_MEMORY_RO           (1ull << 17)
#define EFI_MEMORY_SP           (1ull << 18)
#define EFI_MEMORY_CPU_CRYPTO   (1ull << 19)
#define EFI_MEMORY_HOT_PLUGGABLE (1ull << 20)
#define EFI_MEMORY_RUNTIME      (1ull << 63)

/* One EFI memory descriptor, the 40-byte wire layout (spec 3.4). */
struct efi_desc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys_addr;
	uint64_t virt_addr;
	uint64_t num_pages;
	uint64_t attribute;
};

/* EFI VA window of a 64-bit kernel, spec 4.1 / 8.4.3 */
#define EFI_VA_END              0xFFFFFFEF00000000ull  /* lowest VA (inclusive) */
#define EFI_VA_START            0xFFFFFFFF00000000ull  /* top (exclusive) */

/* ---- EFI tables, spec 3.4 ---- */
#define EFI_SYSTEM_TABLE_SIGNATURE   0x5453595320494249ull  /* "IBI SYST" */
#define EFI_RUNTIME_SERVICES_SIGNATURE 0x56524553544E5552ull /* "RUNTSERV" */
#define EFI_SYSTAB_SIZE64       0x78u
#define EFI_ST_FW_VENDOR        0x18u
#define EFI_ST_RUNTIME          0x58u
#define EFI_ST_NR_TABLES        0x68u
#define EFI_ST_TABLES           0x70u
#define EFI_CONFIG_ENTRY_SIZE64 24u
#define EFI_INVALID_TABLE_ADDR  (~0ull)

/* ---- E820 types, spec 1.1 ---- */
#define E820_TYPE_RAM           1u
#define E820_TYPE_RESERVED      2u
#define E820_TYPE_ACPI          3u
#define E820_TYPE_NVS           4u
#define E820_TYPE_UNUSABLE      5u
#define E820_TYPE_PMEM          7u
#define E820_TYPE_PRAM          12u
#define E820_TYPE_SOFT_RESERVED 0xEFFFFFFFu

/* ---- kexec syscalls, prior-art 5 ---- */
#define KEXEC_ON_CRASH          0x00000001ul
#define KEXEC_PRESERVE_CONTEXT  0x00000002ul
#define KEXEC_ARCH_X86_64       (62ul << 16)
#define KEXEC_SEGMENT_MAX       16u
#define KEXEC_FILE_UNLOAD       0x1ul
#define KEXEC_FILE_ON_CRASH     0x2ul
#define KEXEC_FILE_NO_INITRAMFS 0x4ul

/* Little-endian accessors usable in freestanding code (x86 is little-endian,
 * but going through bytes keeps unaligned and aliasing rules satisfied). */
static inline uint16_t get_le16(const void *p)
{
	const uint8_t *b = (const uint8_t *)p;
	return (uint16_t)(b[0] | (b[1] << 8));
}
static inline uint32_t get_le32(const void *p)
{
	const uint8_t *b = (const uint8_t *)p;
	return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}
static inline uint64_t get_le64(const void *p)
{
	return (uint64_t)get_le32(p) | ((uint64_t)get_le32((const uint8_t *)p + 4) << 32);
}
static inline void put_le16(void *p, uint16_t v)
{
	uint8_t *b = (uint8_t *)p;
	b[0] = (uint8_t)v; b[1] = (uint8_t)(v >> 8);
}
static inline void put_le32(void *p, uint32_t v)
{
	uint8_t *b = (uint8_t *)p;
	b[0] = (uint8_t)v; b[1] = (uint8_t)(v >> 8); b[2] = (uint8_t)(v >> 16); b[3] = (uint8_t)(v >> 24);
}
static inline void put_le64(void *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32((uint8_t *)p + 4, (uint32_t)(v >> 32));
}

#endif
