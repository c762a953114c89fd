/* probe.c - efi-rt-probe's job, in the order a kexec'ed kernel does it:
 * read the EFI hand-off from boot_params, check it with the library's own
 * descriptor checks, build separate page tables (identity + every runtime
 * descriptor at its virt_addr), then call runtime services through the
 * virtual pointers: GetTime, GetNextVariableName over every variable with
 * GetVariable on each, ResetSystem last. Every line on COM1 starts with
 * "EFI-RT-PROBE:"; exactly one verdict line says PASS or FAIL <reason>. */
#include "stub.h"
#include "pagetable.h"
#include "bootproto.h"
#include "crc32.h"
#include "desc-check.h"
#include "setup-data-walk.h"

#define TAG "EFI-RT-PROBE: "
#define MAX_DESC (EFI_MEMMAP_MAX_BYTES / EFI_DESC_SIZE)
#define POOL_PAGES 1024
#define IDENTITY_CAP (512ull << 30)
#define MAX_VARS 4096

#define EFI_SUCCESS         0ull
#define EFI_ERR             (1ull << 63)
#define EFI_BUFFER_TOO_SMALL (EFI_ERR | 5)
#define EFI_NOT_FOUND       (EFI_ERR | 14)
#define EFI_RESET_SHUTDOWN  2

/* EFI_RUNTIME_SERVICES, UEFI 2.10 section 4.5: function pointer offsets */
#define RT_GET_TIME            0x18
#define RT_GET_VARIABLE        0x48
#define RT_GET_NEXT_VAR_NAME   0x50
#define RT_RESET_SYSTEM        0x68
#define RT_MIN_SIZE            0x70

static uint64_t pt_pool[POOL_PAGES][512] __attribute__((aligned(4096)));
static struct efi_desc map[MAX_DESC];
static size_t by_virt[MAX_DESC], by_phys[MAX_DESC];
static uint16_t var_name[1024];
static uint8_t var_data[256 * 1024];

static struct {
	const char *op;        /* what the probe is doing, for the fault report */
	size_t n;              /* descriptors in map[] */
	bool sorted;
	bool verdict_said;
	unsigned fatal;        /* fatal findings and failed calls */
	char first[160];        /* the first of them, for the verdict */
} g;

static void note_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A fatal finding: printed now, the first one kept for the verdict line. */
static void note_fail(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	str_vprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	con_printf(TAG "finding: %s\n", line);
	if (g.fatal++ == 0)
		memcpy(g.first, line, sizeof(g.first) - 1);
}

static uint64_t rd64(const volatile void *p)
{
	return *(const volatile uint64_t *)p;
}

static uint32_t rd32(const volatile void *p)
{
	return *(const volatile uint32_t *)p;
}

/* ---- describing an address by the descriptor that maps it ---- */

static void describe_va(const char *what, uint64_t va)
{
	long k;
	size_t i;

	if (!g.sorted) {
		con_printf(TAG "%s 0x%016lx (the runtime map is not indexed yet)\n", what, va);
		return;
	}
	k = dc_find(map, by_virt, g.n, va, true);
	if (k >= 0) {
		con_printf(TAG "%s 0x%016lx is in runtime descriptor #%ld: type %u phys 0x%lx virt 0x%lx pages 0x%lx attr 0x%lx\n",
			   what, va, k, map[k].type, map[k].phys_addr, map[k].virt_addr, map[k].num_pages, map[k].attribute);
		return;
	}
	con_printf(TAG "%s 0x%016lx lies in no runtime descriptor", what, va);
	/* The neighbours say which region the firmware expected there. */
	for (i = 0; i < g.n && map[by_virt[i]].virt_addr <= va; i++)
		;
	if (i > 0) {
		const struct efi_desc *d = &map[by_virt[i - 1]];

		con_printf("; below: #%zu ends at 0x%lx", by_virt[i - 1], d->virt_addr + dc_desc_bytes(d));
	}
	if (i < g.n)
		con_printf("; above: #%zu starts at 0x%lx", by_virt[i], map[by_virt[i]].virt_addr);
	con_printf("\n");
}

/* A 2-D array, not pointers: the image must hold no absolute address. */
static const char vec_names[32][28] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound",
	"#UD invalid opcode", "#NM device not available", "#DF double fault", "coprocessor overrun",
	"#TS invalid TSS", "#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization", "#CP control protection", "reserved 22", "reserved 23",
	"reserved 24", "reserved 25", "reserved 26", "reserved 27", "#HV", "#VC", "#SX", "reserved 31",
};

void stub_exception(struct stub_frame *f)
{
	uint64_t cr2 = cpu_read_cr2();
	const char *name = f->vector < 32 ? vec_names[f->vector] : "unknown vector";

	con_printf("\n" TAG "exception %lu (%s), error code 0x%lx, during %s\n", f->vector, name, f->error,
		   g.op ? g.op : "start-up");
	con_printf(TAG "RIP 0x%016lx RSP 0x%016lx RFLAGS 0x%lx CR2 0x%016lx CR3 0x%lx\n", f->rip, f->rsp,
		   f->rflags, cr2, cpu_read_cr3());
	con_printf(TAG "RAX 0x%lx RBX 0x%lx RCX 0x%lx RDX 0x%lx RSI 0x%lx RDI 0x%lx\n", f->rax, f->rbx, f->rcx,
		   f->rdx, f->rsi, f->rdi);
	describe_va("RIP", f->rip);
	if (f->vector == 14)
		describe_va("CR2 (the faulting address)", cr2);
	if (f->vector == 14 && g.sorted && dc_find(map, by_virt, g.n, cr2, true) < 0)
		con_printf(TAG "FAIL %s at 0x%lx in %s: no runtime descriptor maps that address\n", name, cr2,
			   g.op ? g.op : "start-up");
	else if (f->vector == 14)
		con_printf(TAG "FAIL %s at 0x%lx in %s (error code 0x%lx)\n", name, cr2, g.op ? g.op : "start-up",
			   f->error);
	else
		con_printf(TAG "FAIL %s at RIP 0x%lx in %s\n", name, f->rip, g.op ? g.op : "start-up");
	/* No more firmware calls after a fault: power off the hard way. */
	cpu_poweroff_fallback();
}

/* ---- the hand-off ---- */

struct setup_efi_found {
	uint64_t addr, len;
	unsigned nodes;
};

static int phys_read(void *ctx, uint64_t phys, void *buf, size_t len)
{
	(void)ctx;
	if (phys + len < phys || phys + len > IDENTITY_CAP)
		return -1;
	memcpy(buf, (const void *)(uintptr_t)phys, len);
	return 0;
}

static int find_setup_efi(void *ctx, const struct sdw_node *n)
{
	struct setup_efi_found *f = ctx;

	f->nodes++;
	if (n->type == SETUP_EFI && !f->addr) {
		f->addr = n->data_addr;
		f->len = n->data_len;
	}
	return 0;
}

static void check_setup_data(const uint8_t *bp, uint64_t *fw_vendor)
{
	struct setup_efi_found f = { 0, 0, 0 };
	uint64_t seen[64];
	struct sdw_result r;
	uint64_t head = rd64(bp + HDR_SETUP_DATA);

	*fw_vendor = 0;
	g.op = "walking the setup_data chain";
	if (sdw_walk(head, phys_read, 0, find_setup_efi, &f, seen, 64, &r) < 0) {
		note_fail("8.3.1 setup_data chain broken at node %u (0x%lx): %s", r.index, r.addr,
			  sdw_error_name(r.error));
		return;
	}
	if (!f.addr) {
		note_fail("8.3.1 no SETUP_EFI node among %u setup_data nodes: this kernel would redo SetVirtualAddressMap",
			  f.nodes);
		return;
	}
	if (f.len < SETUP_EFI_PAYLOAD_SIZE) {
		note_fail("8.3.1 SETUP_EFI payload of %lu bytes, expected %u", f.len, SETUP_EFI_PAYLOAD_SIZE);
		return;
	}
	*fw_vendor = rd64((const void *)(uintptr_t)(f.addr + SE_FW_VENDOR));
	con_printf(TAG "SETUP_EFI at 0x%lx: fw_vendor 0x%lx runtime 0x%lx tables 0x%lx smbios 0x%lx (%u nodes in the chain)\n",
		   f.addr, *fw_vendor, rd64((const void *)(uintptr_t)(f.addr + SE_RUNTIME)),
		   rd64((const void *)(uintptr_t)(f.addr + SE_TABLES)), rd64((const void *)(uintptr_t)(f.addr + SE_SMBIOS)),
		   f.nodes);
	if (!*fw_vendor)
		note_fail("8.3.2 SETUP_EFI fw_vendor is 0");
	if (!rd64((const void *)(uintptr_t)(f.addr + SE_TABLES)))
		note_fail("8.3.3 SETUP_EFI tables is 0");
}

/* The same per-descriptor checks as `efi-setup-data verify` (desc-check.c). */
static void check_descriptors(void)
{
	size_t i, k, bs_debug = 0;

	for (i = 0; i < g.n; i++) {
		const struct efi_desc *d = &map[i];
		uint32_t p = dc_desc_problems(d);

		if (p & (DC_PHYS_UNALIGNED | DC_VIRT_UNALIGNED | DC_NO_PAGES | DC_WRAPS | DC_PHYS_HIGH))
			note_fail("8.4.2 descriptor #%zu malformed: phys 0x%lx virt 0x%lx pages 0x%lx", i, d->phys_addr,
				  d->virt_addr, d->num_pages);
		if (p & DC_VIRT_WINDOW)
			note_fail("8.4.3 descriptor #%zu virt_addr 0x%lx is outside the EFI VA window", i, d->virt_addr);
		if (p & (DC_FREE_RAM_TYPE | DC_LOADER_TYPE))
			note_fail("8.4.6 descriptor #%zu has type %u, not a runtime type", i, d->type);
		if (p & DC_NOT_RUNTIME) {
			if (dc_is_boot_services(d->type))
				bs_debug++;     /* efi=debug keeps them; a warning upstream */
			else
				note_fail("8.4.6 descriptor #%zu (type %u) lacks EFI_MEMORY_RUNTIME", i, d->type);
		}
	}
	if (bs_debug)
		con_printf(TAG "warning: 8.4.6 %zu BootServices descriptors without RUNTIME (first kernel ran with efi=debug)\n",
			   bs_debug);
	dc_sort(by_phys, g.n, map, false);
	dc_sort(by_virt, g.n, map, true);
	g.sorted = true;
	for (k = dc_next_overlap(map, by_phys, g.n, 1, false); k; k = dc_next_overlap(map, by_phys, g.n, k + 1, false))
		note_fail("8.4.4 descriptor #%zu overlaps #%zu in physical memory", by_phys[k], by_phys[k - 1]);
	for (k = dc_next_overlap(map, by_virt, g.n, 1, true); k; k = dc_next_overlap(map, by_virt, g.n, k + 1, true))
		note_fail("8.4.4 descriptor #%zu overlaps #%zu in virtual memory", by_virt[k], by_virt[k - 1]);
}

/* ---- page tables ---- */

static uint64_t identity_limit(const uint8_t *bp, uint64_t extra_end)
{
	unsigned n = bp[BP_E820_ENTRIES], i;
	uint64_t top = 4ull << 30;

	if (n > BP_E820_MAX)
		n = BP_E820_MAX;
	for (i = 0; i < n; i++) {
		const uint8_t *e = bp + BP_E820_TABLE + i * E820_ENTRY_SIZE;
		uint64_t end = rd64(e) + rd64(e + 8);

		if (end > top)
			top = end;
	}
	if (extra_end > top)
		top = extra_end;
	top = (top + (1ull << 30) - 1) & ~((1ull << 30) - 1);
	return top > IDENTITY_CAP ? IDENTITY_CAP : top;
}

static int build_page_tables(const uint8_t *bp)
{
	struct pt_builder pt;
	uint32_t id[4];
	uint64_t limit, self_end = (uint64_t)(uintptr_t)_end;
	int levels = (cpu_read_cr4() >> 12) & 1 ? 5 : 4, rc;
	size_t i, mapped = 0;

	g.op = "building page tables";
	cpu_cpuid(0x80000000, 0, id);
	if (id[0] >= 0x80000001)
		cpu_cpuid(0x80000001, 0, id);
	else
		id[3] = 0;
	rc = pt_init(&pt, pt_pool, POOL_PAGES, levels, (id[3] >> 26) & 1);
	if (rc < 0)
		return rc;
	limit = identity_limit(bp, self_end);
	if ((rc = pt_map(&pt, 0, 0, limit, PTE_RW)) < 0) {
		note_fail("identity map of [0, 0x%lx) failed (%d)", limit, rc);
		return rc;
	}
	for (i = 0; i < g.n; i++) {
		const struct efi_desc *d = &map[i];
		uint64_t flags = PTE_RW;

		if (!d->virt_addr || (dc_desc_problems(d) & (DC_PHYS_UNALIGNED | DC_VIRT_UNALIGNED | DC_NO_PAGES | DC_WRAPS)))
			continue;
		if (d->type == EFI_MEMORY_MAPPED_IO || d->type == EFI_MEMORY_MAPPED_IO_PORT_SPACE ||
		    !(d->attribute & EFI_MEMORY_WB))
			flags |= PTE_PCD | PTE_PWT;
		if ((rc = pt_map(&pt, d->virt_addr, d->phys_addr, dc_desc_bytes(d), flags)) < 0) {
			note_fail("descriptor #%zu: cannot map virt 0x%lx (%d)", i, d->virt_addr, rc);
			continue;
		}
		mapped++;
	}
	cpu_write_cr3((uint64_t)(uintptr_t)pt.root);
	con_printf(TAG "page tables: %d-level, identity [0, 0x%lx), %zu of %zu descriptors at their virt_addr, %zu table pages%s; CR3 loaded\n",
		   levels, limit, mapped, g.n, pt.used, pt.gib_pages ? ", 1 GiB pages" : "");
	return 0;
}

/* ---- tables and calls ---- */

static bool table_ok(const char *what, const uint8_t *t, uint64_t sig, uint32_t min_size)
{
	static uint8_t copy[512];
	uint32_t size = rd32(t + 12), crc = rd32(t + 16), calc;

	if (rd64(t) != sig) {
		note_fail("%s signature 0x%lx is wrong", what, rd64(t));
		return false;
	}
	if (size < min_size || size > sizeof(copy)) {
		note_fail("%s header size %u is implausible", what, size);
		return false;
	}
	memcpy(copy, t, size);
	copy[16] = copy[17] = copy[18] = copy[19] = 0;
	calc = kx_crc32(copy, size);
	if (calc != crc) {
		note_fail("%s CRC32 0x%x, computed 0x%x", what, crc, calc);
		return false;
	}
	con_printf(TAG "%s ok: revision %u.%u, %u bytes, CRC32 0x%08x\n", what, rd32(t + 8) >> 16,
		   rd32(t + 8) & 0xffff, size, crc);
	return true;
}

static void *rt_fn(const uint8_t *rt, unsigned off, const char *name)
{
	uint64_t fn = rd64(rt + off);
	long k = dc_find(map, by_virt, g.n, fn, true);

	if (k < 0) {
		note_fail("%s at 0x%lx lies in no runtime descriptor", name, fn);
	} else if (map[k].type != EFI_RUNTIME_SERVICES_CODE) {
		con_printf(TAG "warning: %s at 0x%lx is in descriptor #%ld of type %u, not RuntimeServicesCode\n",
			   name, fn, k, map[k].type);
	}
	return (void *)(uintptr_t)fn;
}

static void call_get_time(const uint8_t *rt)
{
	uint8_t tm[16], caps[16];
	void *fn = rt_fn(rt, RT_GET_TIME, "GetTime");
	uint64_t st;

	g.op = "GetTime";
	st = efi_call5(fn, (uint64_t)(uintptr_t)tm, (uint64_t)(uintptr_t)caps, 0, 0, 0);
	if (st != EFI_SUCCESS) {
		note_fail("GetTime returned status 0x%lx", st);
		return;
	}
	con_printf(TAG "GetTime: %04u-%02u-%02u %02u:%02u:%02u\n", (unsigned)(tm[0] | tm[1] << 8), tm[2], tm[3], tm[4], tm[5], tm[6]);
}

static void call_variables(const uint8_t *rt, unsigned *count, uint64_t *bytes)
{
	void *next = rt_fn(rt, RT_GET_NEXT_VAR_NAME, "GetNextVariableName");
	void *get = rt_fn(rt, RT_GET_VARIABLE, "GetVariable");
	uint8_t guid[16] = { 0 };
	unsigned n;

	*count = 0;
	*bytes = 0;
	var_name[0] = 0;
	for (n = 0; n < MAX_VARS; n++) {
		uint64_t size = sizeof(var_name), dsize = sizeof(var_data), st;
		uint32_t attr = 0;

		g.op = "GetNextVariableName";
		st = efi_call5(next, (uint64_t)(uintptr_t)&size, (uint64_t)(uintptr_t)var_name,
			       (uint64_t)(uintptr_t)guid, 0, 0);
		if (st == EFI_NOT_FOUND)
			return;
		if (st != EFI_SUCCESS) {
			note_fail("GetNextVariableName returned status 0x%lx after %u variables", st, n);
			return;
		}
		g.op = "GetVariable";
		st = efi_call5(get, (uint64_t)(uintptr_t)var_name, (uint64_t)(uintptr_t)guid, (uint64_t)(uintptr_t)&attr,
			       (uint64_t)(uintptr_t)&dsize, (uint64_t)(uintptr_t)var_data);
		con_printf(TAG "variable ");
		con_put_ucs2(var_name, sizeof(var_name) / 2);
		con_printf("-");
		con_put_guid(guid);
		if (st == EFI_SUCCESS) {
			con_printf(" attr 0x%x, %lu bytes\n", attr, dsize);
			(*count)++;
			*bytes += dsize;
		} else {
			con_printf(": GetVariable status 0x%lx\n", st);
			note_fail("GetVariable returned status 0x%lx", st);
		}
	}
	note_fail("GetNextVariableName did not end after %u variables", MAX_VARS);
}

static void verdict(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void verdict(const char *fmt, ...)
{
	va_list ap;

	g.verdict_said = true;
	con_printf(TAG);
	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
	con_printf("\n");
}

void stub_main(uint8_t *bp);

void stub_main(uint8_t *bp)
{
	uint64_t systab, mm, fw_vendor;
	uint32_t msize, dsize, dver, sig;
	const uint8_t *st, *rt;
	unsigned vars = 0;
	uint64_t var_bytes = 0;
	size_t i;

	con_init();
	idt_install();
	/* (The header's version string is in the setup part, which loaders
	 * do not copy: this one is in the image.) */
	con_printf("\n" TAG "efi-rt-probe " PACKAGE_VERSION " at 0x%lx, boot_params at 0x%lx, CR4 0x%lx\n",
		   (uint64_t)(uintptr_t)_pm_start, (uint64_t)(uintptr_t)bp, cpu_read_cr4());
	g.op = "reading efi_info";
	sig = rd32(bp + EI_LOADER_SIGNATURE);
	if (sig != EFI64_LOADER_SIGNATURE) {
		verdict("FAIL no EFI hand-off: efi_info.efi_loader_signature is 0x%08x, not \"EL64\"", sig);
		cpu_poweroff_fallback();
	}
	systab = rd32(bp + EI_SYSTAB) | (uint64_t)rd32(bp + EI_SYSTAB_HI) << 32;
	mm = rd32(bp + EI_MEMMAP) | (uint64_t)rd32(bp + EI_MEMMAP_HI) << 32;
	msize = rd32(bp + EI_MEMMAP_SIZE);
	dsize = rd32(bp + EI_MEMDESC_SIZE);
	dver = rd32(bp + EI_MEMDESC_VERSION);
	con_printf(TAG "efi_info: systab 0x%lx, memmap 0x%lx, %u bytes, descriptor size %u version %u\n", systab, mm,
		   msize, dsize, dver);
	if (dsize < EFI_DESC_SIZE || (dsize & 7) || dver != EFI_DESC_VERSION || !msize || msize % dsize ||
	    msize / dsize > MAX_DESC || !mm) {
		verdict("FAIL 8.2.9 efi_info memmap: size %u, descriptor size %u, version %u", msize, dsize, dver);
		cpu_poweroff_fallback();
	}
	g.n = msize / dsize;
	g.op = "copying the descriptor array";
	for (i = 0; i < g.n; i++)
		memcpy(&map[i], (const void *)(uintptr_t)(mm + i * dsize), sizeof(map[i]));
	check_descriptors();
	if (build_page_tables(bp) < 0) {
		verdict("FAIL page tables: %s", g.first);
		cpu_poweroff_fallback();
	}
	cpu_enable_sse();
	check_setup_data(bp, &fw_vendor);

	g.op = "reading the System Table";
	if (dc_find(map, by_phys, g.n, systab, false) < 0)
		note_fail("8.4.8 System Table 0x%lx lies in no runtime descriptor", systab);
	st = (const uint8_t *)(uintptr_t)systab;
	if (!table_ok("System Table", st, EFI_SYSTEM_TABLE_SIGNATURE, EFI_SYSTAB_SIZE64)) {
		verdict("FAIL %s", g.first);
		cpu_poweroff_fallback();
	}
	if (fw_vendor) {
		con_printf(TAG "firmware vendor \"");
		con_put_ucs2((const uint16_t *)(uintptr_t)fw_vendor, 64);
		con_printf("\" revision 0x%x\n", rd32(st + 0x20));
	}
	/* After SetVirtualAddressMap the pointer is virtual: only the
	 * separate EFI mapping makes it reachable. */
	rt = (const uint8_t *)(uintptr_t)rd64(st + EFI_ST_RUNTIME);
	describe_va("RuntimeServices", (uint64_t)(uintptr_t)rt);
	g.op = "reading the Runtime Services table";
	if (!table_ok("Runtime Services table", rt, EFI_RUNTIME_SERVICES_SIGNATURE, RT_MIN_SIZE)) {
		verdict("FAIL %s", g.first);
		cpu_poweroff_fallback();
	}
	call_get_time(rt);
	call_variables(rt, &vars, &var_bytes);
	if (g.fatal)
		verdict("FAIL %u problems, the first: %s (GetTime and %u variables tried)", g.fatal, g.first, vars);
	else
		verdict("PASS GetTime ok, %u variables read (%lu bytes) through %zu runtime descriptors", vars, var_bytes, g.n);
	g.op = "ResetSystem";
	con_printf(TAG "ResetSystem(EfiResetShutdown)\n");
	efi_call5(rt_fn(rt, RT_RESET_SYSTEM, "ResetSystem"), EFI_RESET_SHUTDOWN, 0, 0, 0, 0);
	con_printf(TAG "ResetSystem returned; ACPI power off\n");
	cpu_poweroff_fallback();
}
