/* names.c - names for setup_data types, EFI memory types and attributes.
 *
 * Used by dump output and by findings; every value gets a name, unknown ones
 * a stable "unknown" so output stays parseable. Spec 2.2 and 3.4. */
#include <stdio.h>
#include <string.h>

#include "esd.h"

/* Index = type number, spec 2.2. */
static const char *const setup_names[] = {
	"SETUP_NONE", "SETUP_E820_EXT", "SETUP_DTB", "SETUP_PCI", "SETUP_EFI",
	"SETUP_APPLE_PROPERTIES", "SETUP_JAILHOUSE", "SETUP_CC_BLOB", "SETUP_IMA",
	"SETUP_RNG_SEED", "SETUP_KEXEC_KHO",
};
/* The same with the SETUP_INDIRECT bit, as sysfs shows an indirect node's
 * inner type (spec 2.4): spelled out so we can return constant strings. */
static const char *const indirect_names[] = {
	"SETUP_INDIRECT", "SETUP_INDIRECT|SETUP_E820_EXT", "SETUP_INDIRECT|SETUP_DTB",
	"SETUP_INDIRECT|SETUP_PCI", "SETUP_INDIRECT|SETUP_EFI",
	"SETUP_INDIRECT|SETUP_APPLE_PROPERTIES", "SETUP_INDIRECT|SETUP_JAILHOUSE",
	"SETUP_INDIRECT|SETUP_CC_BLOB", "SETUP_INDIRECT|SETUP_IMA",
	"SETUP_INDIRECT|SETUP_RNG_SEED", "SETUP_INDIRECT|SETUP_KEXEC_KHO",
};

const char *esd_setup_data_type_name(uint32_t type)
{
	_Static_assert(sizeof(setup_names) / sizeof(setup_names[0]) == SETUP_ENUM_MAX + 1,
		       "one name per setup_data type");
	_Static_assert(sizeof(indirect_names) / sizeof(indirect_names[0]) == SETUP_ENUM_MAX + 1,
		       "one indirect name per setup_data type");
	if (type <= SETUP_ENUM_MAX)
		return setup_names[type];
	if ((type & SETUP_INDIRECT) && (type & ~SETUP_INDIRECT) <= SETUP_ENUM_MAX)
		return indirect_names[type & ~SETUP_INDIRECT];
	if (type & SETUP_INDIRECT)
		return "SETUP_INDIRECT|unknown";
	return "unknown";
}

/* Spec 3.4, UEFI names without the "Efi" prefix. */
static const char *const efi_type_names[EFI_MAX_MEMORY_TYPE] = {
	"Reserved", "LoaderCode", "LoaderData", "BootServicesCode", "BootServicesData",
	"RuntimeServicesCode", "RuntimeServicesData", "ConventionalMemory", "UnusableMemory",
	"ACPIReclaimMemory", "ACPIMemoryNVS", "MemoryMappedIO", "MemoryMappedIOPortSpace",
	"PalCode", "PersistentMemory", "UnacceptedMemory",
};

const char *esd_efi_type_name(uint32_t type)
{
	return type < EFI_MAX_MEMORY_TYPE ? efi_type_names[type] : "Unknown";
}

static const struct {
	uint64_t bit;
	const char *name;
} attr_names[] = {
	{ EFI_MEMORY_UC, "UC" }, { EFI_MEMORY_WC, "WC" }, { EFI_MEMORY_WT, "WT" },
	{ EFI_MEMORY_WB, "WB" }, { EFI_MEMORY_UCE, "UCE" }, { EFI_MEMORY_WP, "WP" },
	{ EFI_MEMORY_RP, "RP" }, { EFI_MEMORY_XP, "XP" }, { EFI_MEMORY_NV, "NV" },
	{ EFI_MEMORY_MORE_RELIABLE, "MORE_RELIABLE" }, { EFI_MEMORY_RO, "RO" },
	{ EFI_MEMORY_SP, "SP" }, { EFI_MEMORY_CPU_CRYPTO, "CPU_CRYPTO" },
	{ EFI_MEMORY_HOT_PLUGGABLE, "HOT_PLUGGABLE" }, { EFI_MEMORY_RUNTIME, "RUNTIME" },
};

/* "UC|WB|RUNTIME"; bits without a name are shown as one hex value at the
 * end ("WB|0x100"); no bits at all is "0". Truncated output still ends in
 * a NUL. */
const char *esd_efi_attr_str(uint64_t attr, char *buf, size_t len)
{
	uint64_t rest = attr;
	size_t i, o = 0;

	if (!buf || len == 0)
		return "";
	buf[0] = '\0';
	for (i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++) {
		if (!(attr & attr_names[i].bit))
			continue;
		rest &= ~attr_names[i].bit;
		if (o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "|" : "", attr_names[i].name);
	}
	if (rest && o < len)
		o += (size_t)snprintf(buf + o, len - o, "%s0x%llx", o ? "|" : "", (unsigned long long)rest);
	if (attr == 0)
		snprintf(buf, len, "0");
	return buf;
}
