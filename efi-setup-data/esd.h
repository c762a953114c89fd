/* esd.h - libesd, the EFI hand-off library: readers, model, serializers,
 * decoders and rules.
 *
 * Pipeline (see README "Layout"): a struct sysroot is read into a
 * struct esd_system (readers, the only code that touches files); from it
 * esd_handoff_build() makes the struct esd_handoff a loader would pass;
 * serializers turn that into bytes; decoders turn bytes back; the rules look
 * at all of it and produce findings. No function prints or exits; each
 * returns 0 or a negative errno and fills a struct kx_err naming the file,
 * field and value. */
#ifndef ESD_H
#define ESD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bootproto.h"
#include "err.h"
#include "paths.h"

/* ------------------------------------------------------------------ model */

/* struct efi_desc (one 40-byte descriptor) lives in bootproto.h: the
 * freestanding descriptor checks (desc-check.h) share it. */

struct runtime_map {
	struct efi_desc *desc;   /* index order: runtime-map/0, 1, 2, ... */
	size_t n;
};

struct systab_entry {
	char name[16];           /* "ACPI20", "ACPI", "SMBIOS", "SMBIOS3", ... */
	uint64_t value;
};

/* /sys/firmware/efi as read (spec 6.1). A have_* flag is false when the
 * file does not exist (the kernel hides some); a file that exists but holds
 * garbage is a read error, never a missing value. */
struct efi_sysfs {
	bool present;                    /* /sys/firmware/efi exists */
	bool have_fw_vendor, have_runtime, have_config_table, have_platform_size;
	uint64_t fw_vendor, runtime, config_table;
	unsigned fw_platform_size;       /* 64 or 32 */
	bool have_systab;
	struct systab_entry systab[16];
	size_t n_systab;
	bool have_map;                   /* runtime-map directory exists */
	struct runtime_map map;
};

/* A setup_data node, from sysfs (addr unknown = 0) or from a memory image. */
struct setup_data_node {
	uint64_t addr;           /* physical address of the 16-byte header (0 from sysfs) */
	uint64_t next;           /* as stored in the header (0 from sysfs) */
	uint32_t type;           /* header type; for SETUP_INDIRECT the inner type (bit 31 set) */
	uint32_t hdr_len;        /* len field of the header */
	bool indirect;
	uint64_t indirect_addr;  /* where an indirect payload lives */
	uint8_t *data;           /* payload copy (malloc'ed), len bytes */
	size_t len;
};

struct setup_data_chain {
	struct setup_data_node *node;
	size_t n;
};

/* /sys/kernel/boot_params (spec 2.4). */
struct boot_params_sysfs {
	bool present;
	bool have_version;
	uint16_t version;
	uint8_t data[BP_SIZE];
	size_t data_len;         /* bytes actually read; < 4096 = truncated */
	struct setup_data_chain chain;
};

/* /sys/firmware/memmap/N (spec 6.2): end is inclusive as in sysfs. */
struct fw_memmap_entry {
	uint64_t start, end;
	uint32_t e820_type;      /* mapped from the type string; 0 if unknown */
	char type[48];
};
struct fw_memmap {
	struct fw_memmap_entry *e;   /* index order */
	size_t n;
};

/* /proc/iomem (spec 6.3). */
struct iomem_entry {
	uint64_t start, end;     /* inclusive */
	unsigned depth;          /* 0 = top level */
	int parent;              /* index of the enclosing entry, -1 at top level */
	char name[64];
};
struct iomem {
	struct iomem_entry *e;
	size_t n;
};

/* Everything the tools read from one sysroot. Each part has its own read
 * status so that `verify` can turn an unreadable part into a finding. */
/* The EFI configuration tables named on the kernel's boot line
 * ("efi: ACPI=0x... SMBIOS=0x... MEMATTR=0x... INITRD=0x..."), each with the
 * range a loader keeps clear: the table's known size, widened to the 2 MiB
 * blocks it touches, plus blocks where the size varies (fw-blobs.c). */
#define ESD_FW_BLOBS_MAX 24
struct fw_blob {
	char name[16];           /* "ACPI 2.0", "MEMATTR", "INITRD", ... */
	uint64_t addr;
	uint64_t start, end;     /* [start, end) to keep clear */
};
struct fw_blobs {
	char line[1024];         /* the line as found, from "efi: " */
	struct fw_blob b[ESD_FW_BLOBS_MAX];
	size_t n;
};

struct esd_system {
	struct sysroot root;
	struct efi_sysfs efi;          int efi_rc;     struct kx_err efi_err;
	struct boot_params_sysfs bp;   int bp_rc;      struct kx_err bp_err;
	struct fw_memmap memmap;       int memmap_rc;  struct kx_err memmap_err;
	struct iomem iomem;            int iomem_rc;   struct kx_err iomem_err;
	char cmdline[4096];            int cmdline_rc; struct kx_err cmdline_err;
	struct fw_blobs blobs;         int blobs_rc;   struct kx_err blobs_err;   /* only on EFI systems */
	bool la57;                     /* "la57" in /proc/cpuinfo flags */
	bool efi_debug;                /* efi=debug on /proc/cmdline */
};

/* ---------------------------------------------------------------- readers */

int esd_read_efi_sysfs(const struct sysroot *sr, struct efi_sysfs *out, struct kx_err *err);
int esd_read_runtime_map(const struct sysroot *sr, struct runtime_map *out, struct kx_err *err);
int esd_parse_systab(const char *text, size_t len, const char *where,
		     struct systab_entry *out, size_t max, size_t *n, struct kx_err *err);
int esd_systab_lookup(const struct efi_sysfs *efi, const char *name, uint64_t *value);
void esd_efi_sysfs_free(struct efi_sysfs *efi);
void esd_runtime_map_free(struct runtime_map *map);

int esd_read_boot_params(const struct sysroot *sr, struct boot_params_sysfs *out, struct kx_err *err);
void esd_boot_params_free(struct boot_params_sysfs *bp);

int esd_read_fw_memmap(const struct sysroot *sr, struct fw_memmap *out, struct kx_err *err);
uint32_t esd_e820_type_from_name(const char *name);   /* "System RAM" -> 1, ...; 0 unknown */
const char *esd_e820_type_name(uint32_t type);
void esd_fw_memmap_free(struct fw_memmap *m);

int esd_parse_iomem(const char *text, size_t len, const char *where, struct iomem *out,
		    struct kx_err *err);
int esd_read_iomem(const struct sysroot *sr, struct iomem *out, struct kx_err *err);
void esd_iomem_free(struct iomem *io);

int esd_read_cmdline(const struct sysroot *sr, char *buf, size_t len, struct kx_err *err);

/* The "efi: ..." config-table line: the start of the matching line of text
 * (NULL if l is not it); the first such line of a multi-line text into out. */
const char *esd_efi_line_match(const char *l);
bool esd_efi_line_find(const char *text, char *out, size_t outlen);
/* Parse the line into tables with their keep-clear extents. */
int esd_parse_fw_blobs(const char *line, const char *where, struct fw_blobs *out, struct kx_err *err);
/* The line from the kernel log (/dev/kmsg, klogctl) of the running system,
 * or from a tree's efi-boot-line.txt / dmesg.txt. -ENOENT when absent. */
int esd_read_efi_boot_line(const struct sysroot *sr, char *out, size_t outlen, struct kx_err *err);
int esd_read_fw_blobs(const struct sysroot *sr, struct fw_blobs *out, struct kx_err *err);
const struct fw_blob *esd_fw_blob_find(const struct fw_blobs *b, const char *name);

/* Read every part; returns 0 even if parts failed (see the *_rc fields),
 * a negative errno only when nothing could be attempted (bad sysroot). */
int esd_system_read(const char *sysroot_dir, struct esd_system *sys, struct kx_err *err);
void esd_system_free(struct esd_system *sys);

/* ---------------------------------------------------------------- hand-off */

struct efi_info {
	uint32_t loader_signature, systab, memdesc_size, memdesc_version;
	uint32_t memmap, memmap_size, systab_hi, memmap_hi;
};

struct efi_setup_payload {
	uint64_t fw_vendor, runtime, tables, smbios;
	uint64_t reserved[8];
};

/* What a kexec_load loader hands over (spec 1.2, 3). efi_info.memmap(_hi)
 * stays 0 until the planner has placed the descriptor array. */
struct esd_handoff {
	struct efi_info info;
	struct efi_setup_payload setup;
	struct efi_desc *desc;
	size_t n;
};

/* From a read system: signature, systab, version copied from the running
 * boot_params; descriptors from the runtime map in index order (40-byte
 * stride); SETUP_EFI from fw_vendor, runtime (made physical if the running
 * kernel shows a VA, spec 8.3.4), config_table and SMBIOS=. */
int esd_handoff_build(const struct esd_system *sys, struct esd_handoff *out, struct kx_err *err);
void esd_handoff_set_memmap_addr(struct esd_handoff *h, uint64_t phys);
void esd_handoff_free(struct esd_handoff *h);

/* ------------------------------------------------------------ serializers */

void esd_efi_info_serialize(const struct efi_info *ei, uint8_t out[EFI_INFO_SIZE]);
/* 16-byte header (next, type 4, len 96) + 96-byte payload. */
#define SETUP_EFI_NODE_SIZE (SETUP_DATA_HDR_SIZE + SETUP_EFI_PAYLOAD_SIZE)
void esd_setup_efi_serialize(const struct efi_setup_payload *p, uint64_t next,
			     uint8_t out[SETUP_EFI_NODE_SIZE]);
/* n x 40 bytes; returns bytes written or -ENOSPC. */
int esd_memmap_serialize(const struct efi_desc *d, size_t n, uint8_t *out, size_t outlen);

/* --------------------------------------------------------------- decoders */

void esd_efi_info_decode(const uint8_t in[EFI_INFO_SIZE], struct efi_info *ei);
int esd_setup_efi_decode(const uint8_t *payload, size_t len, struct efi_setup_payload *p,
			 struct kx_err *err);
/* Walk with the declared stride (>= 40); -EINVAL for a bad size/version. */
int esd_memmap_decode(const uint8_t *buf, size_t len, uint32_t desc_size, uint32_t version,
		      struct runtime_map *out, struct kx_err *err);

/* The fields of spec 1 a reader cares about, from a 4096-byte page. */
struct bp_decoded {
	uint64_t acpi_rsdp_addr;
	struct efi_info efi;
	uint32_t alt_mem_k;
	uint8_t e820_entries, secure_boot, sentinel;
	uint8_t setup_sects, type_of_loader, loadflags, relocatable_kernel, min_alignment;
	uint16_t boot_flag, version, xloadflags;
	uint32_t header_magic, ramdisk_image, ramdisk_size, cmd_line_ptr;
	uint32_t ext_ramdisk_image, ext_ramdisk_size, ext_cmd_line_ptr;
	uint32_t initrd_addr_max, kernel_alignment, cmdline_size, hardware_subarch, init_size;
	uint64_t setup_data, pref_address;
	uint64_t ramdisk_addr, ramdisk_len, cmdline_addr;   /* low|ext combined */
	struct { uint64_t addr, size; uint32_t type; } e820[BP_E820_MAX];
};
/* -EINVAL naming the field when len < 4096 or e820_entries > 128. */
int esd_boot_params_decode(const uint8_t *page, size_t len, const char *where,
			   struct bp_decoded *out, struct kx_err *err);

/* Reads physical memory of an image (a dump, the planned segments...):
 * return 0 and fill buf, or -EFAULT when [phys, phys+len) is not in it. */
typedef int (*esd_mem_read_fn)(void *ctx, uint64_t phys, void *buf, size_t len);

/* Walk a setup_data chain from head. Cycles (a node seen twice), nodes or
 * payloads outside the image, more than max_nodes nodes, and malformed
 * SETUP_INDIRECT nodes are errors naming the node index and address. */
int esd_setup_data_walk(uint64_t head, esd_mem_read_fn read, void *ctx, size_t max_nodes,
			struct setup_data_chain *out, struct kx_err *err);
void esd_setup_data_chain_free(struct setup_data_chain *c);
const char *esd_setup_data_type_name(uint32_t type);   /* "SETUP_EFI", "SETUP_INDIRECT|SETUP_E820_EXT", ... */

const char *esd_efi_type_name(uint32_t type);          /* "RuntimeServicesCode", ... */
/* "UC|WB|RUNTIME" into buf. */
const char *esd_efi_attr_str(uint64_t attr, char *buf, size_t len);

/* ------------------------------------------------------------- the image */

/* What the rules and the loader need from a bzImage setup header (spec 1.3). */
struct esd_image {
	size_t file_size;
	uint8_t setup_sects;             /* as stored (0 means 4) */
	size_t setup_size;               /* (setup_sects or 4, +1) * 512 */
	size_t hdr_end;                  /* 0x202 + byte[0x201] */
	uint16_t boot_flag, version, xloadflags;
	uint32_t header_magic;
	uint8_t loadflags, relocatable_kernel, min_alignment;
	uint32_t kernel_alignment, cmdline_size, init_size, initrd_addr_max;
	uint32_t payload_offset, payload_length, kernel_info_offset;
	uint64_t pref_address;
	bool have_setup_type_max;
	uint32_t setup_type_max;
	char kernel_version[128];        /* "" if absent */
	unsigned kver_major, kver_minor; /* 0.0 if unknown */
};
/* Parse only: -EINVAL for a file too short for the fields it claims, with a
 * message naming the field. The 8.1 rules judge the values. */
int esd_image_parse(const uint8_t *buf, size_t len, const char *where, struct esd_image *out,
		    struct kx_err *err);

/* --------------------------------------------------------------- the rules */

enum esd_severity { ESD_WARN = 1, ESD_FATAL = 2 };

struct esd_finding {
	const char *id;          /* stable, e.g. "8.4.3" */
	const char *name;        /* stable slug, e.g. "virt-window" */
	enum esd_severity sev;
	char where[96];          /* "runtime-map/5.virt_addr", "boot_params.efi_info.efi_systab" */
	char msg[384];           /* with the value */
};

struct esd_findings {
	struct esd_finding *f;
	size_t n, cap;
	size_t n_fatal, n_warn;
};

struct esd_rule_info {
	const char *id, *name;
	enum esd_severity sev;   /* its usual severity */
	const char *summary;
	const char *source;      /* kernel file(s) behind it */
};
const struct esd_rule_info *esd_rules_table(size_t *n);

/* A planned segment, as the loader will hand it to kexec_load. */
struct esd_segment {
	uint64_t mem, memsz;
	const char *role;        /* "kernel", "initrd", "boot_params", "setup_data", "efi_memmap", "purgatory", ... */
};

struct esd_e820 { uint64_t addr, size; uint32_t type; };

/* The loader's plan, for rules 8.2.x and 8.6 (optional: NULL for `verify`). */
struct esd_plan_view {
	const uint8_t *boot_params;      /* the 4096 bytes we hand over */
	uint64_t boot_params_addr;
	const struct esd_segment *seg;
	size_t nseg;
	const struct esd_e820 *e820;     /* the full e820 we hand over (incl. E820_EXT) */
	size_t ne820;
	uint64_t kernel_load;            /* where the PM kernel is loaded */
	const char *cmdline;
	esd_mem_read_fn read;            /* reads planned memory (setup_data nodes) */
	void *read_ctx;
	bool crash;                      /* -p */
};

struct esd_rule_ctx {
	const struct esd_system *sys;        /* required */
	const struct esd_image *image;       /* NULL: 8.1 rules skipped */
	const struct esd_handoff *handoff;   /* NULL: built from sys */
	const struct esd_plan_view *plan;    /* NULL: plan rules skipped */
};

/* Run every applicable rule; findings sorted by severity then id. Cost is
 * O(n log n) in the number of descriptors. */
int esd_rules_run(const struct esd_rule_ctx *ctx, struct esd_findings *out, struct kx_err *err);
void esd_findings_free(struct esd_findings *f);
/* For rule code: add a finding (printf-style message). -ENOMEM only. */
int esd_finding_add(struct esd_findings *f, const char *id, enum esd_severity sev,
		    const char *where, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
