/* diff.c - `efi-setup-data diff OLD [NEW]`: did the next kernel get the
 * same EFI hand-off? Compares two sysroots (NEW: the running system):
 * runtime map (type, phys, virt, pages, attribute), fw_vendor,
 * config_table, runtime, systab, fw_platform_size and the SETUP_EFI payload.
 *
 * Two differences are expected after a kexec and reported as "tolerated",
 * not as differences (vm/NOTES.md section 6, efi-handoff.md 6.1, 3.2):
 *  - a BootServicesCode/Data descriptor gaining the RUNTIME bit (bit 63):
 *    the kexec'ed kernel's efi_reserve_boot_services() sets it on regions
 *    it cannot free (overlapping kexec segments; most of them in kdump);
 *  - /sys/firmware/efi/runtime (and a later hop's SETUP_EFI.runtime) is a
 *    virtual address in a kexec'ed kernel: compared after translating it
 *    through the runtime map to a physical address.
 * Also tolerated: SETUP_EFI.runtime = 0 (kexec_file_load; ignored by 5.7+).
 *
 * When OLD has no SETUP_EFI node (booted by the firmware) and NEW has one,
 * NEW's payload is compared with what OLD would hand over
 * (esd_handoff_build), which is the point of running diff after a kexec.
 *
 * Output: one line per finding, "differ WHERE: MESSAGE" or
 * "tolerated WHERE: MESSAGE", then "same" or "different: N differences"
 * (with the tolerated count). Exit 0 same, 1 different, 2 error. */
#include <getopt.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct dctx {
	size_t differ, tolerated;
};

static void usage(FILE *out)
{
	fputs("\nUsage:\n"
	      " " CLI_NAME " diff OLD_SYSROOT [NEW_SYSROOT]\n"
	      "\nCompare the EFI hand-off state of two sysroots (NEW defaults to the running\n"
	      "system): runtime map, fw_vendor/config_table/runtime/systab, fw_platform_size\n"
	      "and the SETUP_EFI payload. BootServices regions gaining the RUNTIME bit and a\n"
	      "virtual 'runtime' after a kexec are listed as tolerated, not as differences.\n"
	      "Exit status: 0 same, 1 different, 2 error.\n"
	      "\nOptions:\n"
	      "     --sysroot DIR  NEW_SYSROOT, when not given as an argument\n"
	      " -h, --help         display this help\n"
	      " -V, --version      display version\n", out);
}

static void differ(struct dctx *d, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void differ(struct dctx *d, const char *where, const char *fmt, ...)
{
	va_list ap;

	printf("differ %s: ", where);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	d->differ++;
}

static void tolerated(struct dctx *d, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void tolerated(struct dctx *d, const char *where, const char *fmt, ...)
{
	va_list ap;

	printf("tolerated %s: ", where);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	d->tolerated++;
}

/* ---------------------------------------------------------- runtime map */

struct ref {
	const struct efi_desc *d;
	size_t idx;
};

static int cmp_phys(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;

	if (x->d->phys_addr != y->d->phys_addr)
		return x->d->phys_addr < y->d->phys_addr ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static bool is_boot_services(uint32_t type)
{
	return type == EFI_BOOT_SERVICES_CODE || type == EFI_BOOT_SERVICES_DATA;
}

static void cmp_desc(struct dctx *d, const struct ref *o, const struct ref *n)
{
	const struct efi_desc *a = o->d, *b = n->d;
	char where[64], sa[160], sb[160];
	uint64_t ax = a->attribute, bx = b->attribute;

	snprintf(where, sizeof(where), "runtime-map/%zu", n->idx);
	if (a->type != b->type)
		differ(d, where, "type %" PRIu32 " (%s) -> %" PRIu32 " (%s)", a->type,
		       esd_efi_type_name(a->type), b->type, esd_efi_type_name(b->type));
	if (a->virt_addr != b->virt_addr)
		differ(d, where, "virt_addr 0x%" PRIx64 " -> 0x%" PRIx64, a->virt_addr, b->virt_addr);
	if (a->num_pages != b->num_pages)
		differ(d, where, "num_pages %" PRIu64 " -> %" PRIu64, a->num_pages, b->num_pages);
	if (ax == bx)
		return;
	if ((ax ^ bx) == EFI_MEMORY_RUNTIME && (bx & EFI_MEMORY_RUNTIME) && is_boot_services(a->type) &&
	    a->type == b->type)
		tolerated(d, where, "%s 0x%" PRIx64 ": attribute 0x%" PRIx64 " -> 0x%" PRIx64
			  " (RUNTIME bit gained: kept by the kexec'ed kernel's efi_reserve_boot_services)",
			  esd_efi_type_name(b->type), b->phys_addr, ax, bx);
	else
		differ(d, where, "attribute 0x%" PRIx64 " (%s) -> 0x%" PRIx64 " (%s)", ax,
		       esd_efi_attr_str(ax, sa, sizeof(sa)), bx, esd_efi_attr_str(bx, sb, sizeof(sb)));
}

/* Match descriptors by phys_addr (so a missing or extra entry is reported
 * as such, not as a cascade of field changes), then compare fields. Index
 * order is not compared: kexec-tools reads runtime-map/ in readdir order,
 * so the next kernel legitimately lists the same descriptors in another
 * order (seen in every fixture pair). Output names NEW's index. */
static int cmp_maps(struct dctx *d, const struct runtime_map *om, const struct runtime_map *nm)
{
	struct ref *o = calloc(om->n + 1, sizeof(*o)), *n = calloc(nm->n + 1, sizeof(*n));
	size_t i = 0, j = 0;

	if (!o || !n) {
		free(o);
		free(n);
		cli_error(NULL, "out of memory");
		return -1;
	}
	for (i = 0; i < om->n; i++)
		o[i] = (struct ref){ &om->desc[i], i };
	for (j = 0; j < nm->n; j++)
		n[j] = (struct ref){ &nm->desc[j], j };
	qsort(o, om->n, sizeof(*o), cmp_phys);
	qsort(n, nm->n, sizeof(*n), cmp_phys);
	if (om->n != nm->n)
		differ(d, "runtime-map", "%zu descriptors -> %zu", om->n, nm->n);
	for (i = 0, j = 0; i < om->n || j < nm->n;) {
		char where[64];

		if (j == nm->n || (i < om->n && o[i].d->phys_addr < n[j].d->phys_addr)) {
			snprintf(where, sizeof(where), "runtime-map/%zu", o[i].idx);
			differ(d, where, "only in OLD: %s phys 0x%" PRIx64 ", %" PRIu64 " page(s)",
			       esd_efi_type_name(o[i].d->type), o[i].d->phys_addr, o[i].d->num_pages);
			i++;
		} else if (i == om->n || n[j].d->phys_addr < o[i].d->phys_addr) {
			snprintf(where, sizeof(where), "runtime-map/%zu", n[j].idx);
			differ(d, where, "only in NEW: %s phys 0x%" PRIx64 ", %" PRIu64 " page(s)",
			       esd_efi_type_name(n[j].d->type), n[j].d->phys_addr, n[j].d->num_pages);
			j++;
		} else {
			cmp_desc(d, &o[i], &n[j]);
			i++;
			j++;
		}
	}
	free(o);
	free(n);
	return 0;
}

/* ------------------------------------------------------------- pointers */

/* A VA in the EFI window translated through the map; false if uncovered. */
static bool va_to_phys(const struct runtime_map *m, uint64_t va, uint64_t *phys, size_t *idx)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct efi_desc *e = &m->desc[i];
		uint64_t size = e->num_pages << EFI_PAGE_SHIFT;

		if (va >= e->virt_addr && va - e->virt_addr < size) {
			*phys = e->phys_addr + (va - e->virt_addr);
			*idx = i;
			return true;
		}
	}
	return false;
}

static bool is_va(uint64_t v)
{
	return v >= EFI_VA_END;
}

/* runtime: equal, or equal once a VA side is made physical. */
static void cmp_runtime(struct dctx *d, const char *where, uint64_t a, const struct runtime_map *am,
			uint64_t b, const struct runtime_map *bm)
{
	uint64_t pa = a, pb = b;
	size_t ia = 0, ib = 0;

	if (a == b)
		return;
	if (is_va(a) && !va_to_phys(am, a, &pa, &ia)) {
		differ(d, where, "OLD value 0x%" PRIx64 " is a VA outside OLD's runtime map", a);
		return;
	}
	if (is_va(b) && !va_to_phys(bm, b, &pb, &ib)) {
		differ(d, where, "NEW value 0x%" PRIx64 " is a VA outside NEW's runtime map", b);
		return;
	}
	if (pa != pb) {
		differ(d, where, "0x%" PRIx64 " -> 0x%" PRIx64 " (physical 0x%" PRIx64 " -> 0x%" PRIx64 ")",
		       a, b, pa, pb);
		return;
	}
	if (is_va(b))
		tolerated(d, where, "0x%" PRIx64 " -> 0x%" PRIx64 " (NEW shows the virtual address; "
			  "= physical 0x%" PRIx64 " through runtime-map/%zu)", a, b, pb, ib);
	else
		tolerated(d, where, "0x%" PRIx64 " -> 0x%" PRIx64 " (OLD shows the virtual address; "
			  "= physical 0x%" PRIx64 " through runtime-map/%zu)", a, b, pa, ia);
}

static void cmp_opt(struct dctx *d, const char *where, bool ha, uint64_t a, bool hb, uint64_t b)
{
	if (ha && hb && a != b)
		differ(d, where, "0x%" PRIx64 " -> 0x%" PRIx64, a, b);
	else if (ha && !hb)
		differ(d, where, "0x%" PRIx64 " -> absent", a);
	else if (!ha && hb)
		differ(d, where, "absent -> 0x%" PRIx64, b);
}

static void cmp_efi(struct dctx *d, const struct efi_sysfs *a, const struct efi_sysfs *b)
{
	size_t i, j;

	if (a->present != b->present) {
		differ(d, "/sys/firmware/efi", "%s -> %s", a->present ? "present" : "absent",
		       b->present ? "present" : "absent");
		return;
	}
	cmp_opt(d, "fw_vendor", a->have_fw_vendor, a->fw_vendor, b->have_fw_vendor, b->fw_vendor);
	cmp_opt(d, "config_table", a->have_config_table, a->config_table, b->have_config_table,
		b->config_table);
	if (a->have_runtime && b->have_runtime)
		cmp_runtime(d, "runtime", a->runtime, &a->map, b->runtime, &b->map);
	else
		cmp_opt(d, "runtime", a->have_runtime, a->runtime, b->have_runtime, b->runtime);
	if (a->have_platform_size != b->have_platform_size ||
	    a->fw_platform_size != b->fw_platform_size)
		differ(d, "fw_platform_size", "%u -> %u", a->fw_platform_size, b->fw_platform_size);
	for (i = 0; i < a->n_systab; i++) {
		char where[48];

		snprintf(where, sizeof(where), "systab.%s", a->systab[i].name);
		for (j = 0; j < b->n_systab; j++)
			if (strcmp(a->systab[i].name, b->systab[j].name) == 0)
				break;
		if (j == b->n_systab)
			differ(d, where, "0x%" PRIx64 " -> absent", a->systab[i].value);
		else if (a->systab[i].value != b->systab[j].value)
			differ(d, where, "0x%" PRIx64 " -> 0x%" PRIx64, a->systab[i].value,
			       b->systab[j].value);
	}
	for (j = 0; j < b->n_systab; j++) {
		char where[48];

		for (i = 0; i < a->n_systab; i++)
			if (strcmp(a->systab[i].name, b->systab[j].name) == 0)
				break;
		snprintf(where, sizeof(where), "systab.%s", b->systab[j].name);
		if (i == a->n_systab)
			differ(d, where, "absent -> 0x%" PRIx64, b->systab[j].value);
	}
}

/* ------------------------------------------------------------ SETUP_EFI */

static int find_setup_efi(const struct esd_system *s, struct efi_setup_payload *p)
{
	size_t i;

	for (i = 0; i < s->bp.chain.n; i++) {
		const struct setup_data_node *nd = &s->bp.chain.node[i];

		if ((nd->type & ~SETUP_INDIRECT) == SETUP_EFI)
			return esd_setup_efi_decode(nd->data, nd->len, p, NULL) == 0 ? 1 : -1;
	}
	return 0;
}

static void cmp_payload(struct dctx *d, const char *what, const struct efi_setup_payload *a,
			const struct runtime_map *am, const struct efi_setup_payload *b,
			const struct runtime_map *bm)
{
	char where[64];
	size_t k;

	snprintf(where, sizeof(where), "%s.fw_vendor", what);
	cmp_opt(d, where, true, a->fw_vendor, true, b->fw_vendor);
	snprintf(where, sizeof(where), "%s.tables", what);
	cmp_opt(d, where, true, a->tables, true, b->tables);
	snprintf(where, sizeof(where), "%s.smbios", what);
	cmp_opt(d, where, true, a->smbios, true, b->smbios);
	snprintf(where, sizeof(where), "%s.runtime", what);
	if (b->runtime == 0 && a->runtime != 0)
		tolerated(d, where, "0x%" PRIx64 " -> 0 (kexec_file_load leaves it 0; 5.7+ kernels "
			  "ignore the field)", a->runtime);
	else
		cmp_runtime(d, where, a->runtime, am, b->runtime, bm);
	for (k = 0; k < 8; k++) {
		snprintf(where, sizeof(where), "%s.reserved[%zu]", what, k);
		cmp_opt(d, where, true, a->reserved[k], true, b->reserved[k]);
	}
}

static void cmp_setup_efi(struct dctx *d, const struct esd_system *o, const struct esd_system *n)
{
	struct efi_setup_payload po, pn;
	int ho = find_setup_efi(o, &po), hn = find_setup_efi(n, &pn);

	if (ho < 0)
		differ(d, "OLD SETUP_EFI", "payload does not decode (length not 96?)");
	if (hn < 0)
		differ(d, "NEW SETUP_EFI", "payload does not decode (length not 96?)");
	if (ho < 0 || hn < 0)
		return;
	if (ho && hn) {
		cmp_payload(d, "SETUP_EFI", &po, &o->efi.map, &pn, &n->efi.map);
	} else if (!ho && hn) {
		struct esd_handoff h;
		struct kx_err err = { 0 };

		/* OLD was booted by the firmware: compare with what it hands over. */
		if (esd_handoff_build(o, &h, &err) < 0) {
			differ(d, "SETUP_EFI", "NEW has one; OLD's hand-off cannot be built: %s: %s",
			       err.where, err.msg);
			return;
		}
		cmp_payload(d, "SETUP_EFI", &h.setup, &o->efi.map, &pn, &n->efi.map);
		esd_handoff_free(&h);
	} else if (ho && !hn) {
		differ(d, "SETUP_EFI", "present in OLD, absent in NEW (no EFI hand-off received)");
	}
}

/* ---------------------------------------------------------------- main */

static bool read_side(const char *label, const char *dir, struct esd_system *s)
{
	struct kx_err err = { 0 };

	if (esd_system_read(dir, s, &err) < 0) {
		cli_kx_error(&err);
		return false;
	}
	/* The parts diff compares must be readable; the others do not matter. */
	if (s->efi_rc < 0 || s->bp_rc < 0) {
		cli_kx_error(s->efi_rc < 0 ? &s->efi_err : &s->bp_err);
		esd_system_free(s);
		return false;
	}
	(void)label;
	return true;
}

int cmd_diff(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sysroot", required_argument, NULL, CLI_OPT_SYSROOT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct esd_system o, n;
	struct dctx d = { 0, 0 };
	const char *old_dir, *new_dir;
	int opt, rc, common_rc;

	while ((opt = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (opt) {
		default:
			common_rc = cli_common_option(c, opt, "diff", usage);
			if (common_rc >= 0)
				return common_rc;
			break;
		}
	}
	if (optind >= argc)
		return cli_usage_error("diff", "no OLD_SYSROOT given");
	if (argc - optind > 2)
		return cli_usage_error("diff", "unexpected argument '%s'", argv[optind + 2]);
	old_dir = argv[optind];
	new_dir = argc - optind == 2 ? argv[optind + 1] : c->sysroot;

	if (!read_side("OLD", old_dir, &o))
		return CLI_EXIT_ERROR;
	if (!read_side("NEW", new_dir, &n)) {
		esd_system_free(&o);
		return CLI_EXIT_ERROR;
	}
	if (cmp_maps(&d, &o.efi.map, &n.efi.map) < 0) {
		rc = CLI_EXIT_ERROR;
		goto out;
	}
	cmp_efi(&d, &o.efi, &n.efi);
	cmp_setup_efi(&d, &o, &n);

	if (d.differ)
		printf("different: %zu difference%s, %zu tolerated\n", d.differ,
		       d.differ == 1 ? "" : "s", d.tolerated);
	else
		printf("same: %zu descriptors, %zu tolerated difference%s\n", n.efi.map.n, d.tolerated,
		       d.tolerated == 1 ? "" : "s");
	rc = d.differ ? CLI_EXIT_FAIL : CLI_EXIT_OK;
out:
	esd_system_free(&o);
	esd_system_free(&n);
	if (fflush(stdout) != 0) {
		cli_error("stdout", "write failed");
		return CLI_EXIT_ERROR;
	}
	return rc;
}
