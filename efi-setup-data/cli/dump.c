/* dump.c - `efi-setup-data dump`: everything the hand-off is made of, as a
 * table for people or as JSON (keys documented in efi-setup-data(8)).
 *
 * A part that cannot be read is reported on stderr and the rest is still
 * shown; the exit code is then 1. */
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "dump.h"

#define X64 "0x%016" PRIx64

static void usage(FILE *out)
{
	fputs("\nUsage:\n"
	      " " CLI_NAME " dump [--sysroot DIR] [--json]\n"
	      " " CLI_NAME " dump --memory-image FILE --phys-base ADDR [--boot-params ADDR] [--json]\n"
	      "\nShow boot_params (efi_info and the setup header fields that matter), the\n"
	      "setup_data chain decoded by type, the SETUP_EFI payload, the EFI system table\n"
	      "pointers and the runtime memory map.\n"
	      "\nOptions:\n"
	      "     --json               machine-readable output (see efi-setup-data(8))\n"
	      "     --memory-image FILE  decode a raw memory image instead of a sysroot\n"
	      "     --phys-base ADDR     physical address of the image's first byte\n"
	      "     --boot-params ADDR   where boot_params lies (default: the phys base)\n"
	      "     --sysroot DIR        read DIR/sys and DIR/proc instead of /sys and /proc\n"
	      " -h, --help               display this help\n"
	      " -V, --version            display version\n", out);
}

static void text_efi(const struct efi_sysfs *e)
{
	size_t i;

	printf("efi: /sys/firmware/efi\n");
	if (!e->present) {
		printf("  not present (not an EFI boot)\n");
		return;
	}
#define FIELD(have, name, v)                                              \
	do {                                                              \
		if (have)                                                 \
			printf("  %-18s " X64 "\n", name, (uint64_t)(v)); \
		else                                                      \
			printf("  %-18s absent\n", name);                 \
	} while (0)
	FIELD(e->have_fw_vendor, "fw_vendor", e->fw_vendor);
	FIELD(e->have_runtime, "runtime", e->runtime);
	FIELD(e->have_config_table, "config_table", e->config_table);
#undef FIELD
	if (e->have_platform_size)
		printf("  %-18s %u\n", "fw_platform_size", e->fw_platform_size);
	else
		printf("  %-18s absent\n", "fw_platform_size");
	if (!e->have_systab)
		printf("  %-18s absent\n", "systab");
	for (i = 0; i < e->n_systab; i++)
		printf("  %-18s %s=0x%" PRIx64 "\n", i == 0 ? "systab" : "", e->systab[i].name,
		       e->systab[i].value);
}

static void text_map(const struct efi_sysfs *e)
{
	const struct runtime_map *m = &e->map;
	size_t i;

	if (!e->have_map) {
		printf("runtime map: absent (/sys/firmware/efi/runtime-map)\n");
		return;
	}
	printf("runtime map: %zu descriptor%s (/sys/firmware/efi/runtime-map)\n", m->n,
	       m->n == 1 ? "" : "s");
	if (m->n == 0)
		return;
	printf("  %4s  %-20s  %-37s  %-37s  %8s  %-18s  %s\n", "idx", "type", "phys (start-end)",
	       "virt (start-end)", "pages", "attribute", "decoded");
	for (i = 0; i < m->n; i++) {
		const struct efi_desc *d = &m->desc[i];
		uint64_t size = d->num_pages << EFI_PAGE_SHIFT;
		char attr[160];

		/* Inclusive ends as in /proc/iomem; a 0-page entry shows end < start. */
		printf("  %4zu  %-20s  " X64 "-" X64 "  " X64 "-" X64 "  %8" PRIu64 "  " X64 "  %s\n",
		       i, esd_efi_type_name(d->type), d->phys_addr, d->phys_addr + size - 1,
		       d->virt_addr, d->virt_addr + size - 1, d->num_pages, d->attribute,
		       esd_efi_attr_str(d->attribute, attr, sizeof(attr)));
	}
}

static void json_efi(struct json_writer *w, const struct efi_sysfs *e)
{
	size_t i;

	if (!e->present) {
		json_null(w, "efi");
		return;
	}
	json_begin_object(w, "efi");
#define FIELD(have, name, v)                       \
	do {                                       \
		if (have)                          \
			json_hex(w, name, (v));    \
		else                               \
			json_null(w, name);        \
	} while (0)
	FIELD(e->have_fw_vendor, "fw_vendor", e->fw_vendor);
	FIELD(e->have_runtime, "runtime", e->runtime);
	FIELD(e->have_config_table, "config_table", e->config_table);
#undef FIELD
	if (e->have_platform_size)
		json_u64(w, "fw_platform_size", e->fw_platform_size);
	else
		json_null(w, "fw_platform_size");
	if (e->have_systab) {
		json_begin_array(w, "systab");
		for (i = 0; i < e->n_systab; i++) {
			json_begin_object(w, NULL);
			json_str(w, "name", e->systab[i].name);
			json_hex(w, "value", e->systab[i].value);
			json_end_object(w);
		}
		json_end_array(w);
	} else {
		json_null(w, "systab");
	}
	json_end_object(w);
}

static void json_map(struct json_writer *w, const struct efi_sysfs *e)
{
	size_t i;

	if (!e->have_map) {
		json_null(w, "runtime_map");
		return;
	}
	json_begin_array(w, "runtime_map");
	for (i = 0; i < e->map.n; i++) {
		const struct efi_desc *d = &e->map.desc[i];
		uint64_t size = d->num_pages << EFI_PAGE_SHIFT;
		char attr[160];

		json_begin_object(w, NULL);
		json_u64(w, "index", i);
		json_u64(w, "type", d->type);
		json_str(w, "type_name", esd_efi_type_name(d->type));
		json_hex(w, "phys_addr", d->phys_addr);
		json_hex(w, "phys_end", d->phys_addr + size);   /* exclusive */
		json_hex(w, "virt_addr", d->virt_addr);
		json_hex(w, "virt_end", d->virt_addr + size);   /* exclusive */
		json_u64(w, "num_pages", d->num_pages);
		json_hex(w, "attribute", d->attribute);
		json_str(w, "attribute_names", esd_efi_attr_str(d->attribute, attr, sizeof(attr)));
		json_end_object(w);
	}
	json_end_array(w);
}

static void json_error(struct json_writer *w, const struct kx_err *e)
{
	json_begin_object(w, NULL);
	json_str(w, "where", e->where);
	json_str(w, "message", e->msg);
	json_end_object(w);
}

static int dump_sysroot(const char *sysroot, bool json)
{
	struct esd_system sys;
	struct kx_err err = { 0 };
	struct bp_decoded bp;
	struct kx_err bp_derr = { 0 };
	int bp_dec = -1, rc = CLI_EXIT_OK;

	if (esd_system_read(sysroot, &sys, &err) < 0) {
		cli_kx_error(&err);
		return CLI_EXIT_ERROR;
	}
	if (sys.bp_rc == 0 && sys.bp.present && sys.bp.data_len > 0) {
		char where[4096 + 64];

		sysroot_display(&sys.root, "/sys/kernel/boot_params/data", where, sizeof(where));
		bp_dec = esd_boot_params_decode(sys.bp.data, sys.bp.data_len, where, &bp, &bp_derr);
	}

	/* Errors go to stderr in both modes; JSON also lists them. */
	if (sys.bp_rc < 0)
		cli_kx_error(&sys.bp_err);
	if (bp_dec < 0 && bp_derr.code)
		cli_kx_error(&bp_derr);
	if (sys.efi_rc < 0)
		cli_kx_error(&sys.efi_err);
	if (sys.bp_rc < 0 || (bp_dec < 0 && bp_derr.code) || sys.efi_rc < 0)
		rc = CLI_EXIT_FAIL;

	if (json) {
		struct json_writer w;

		json_init(&w, stdout, true);
		json_begin_object(&w, NULL);
		if (sys.bp_rc == 0 && sys.bp.present) {
			json_begin_object(&w, "boot_params");
			if (sys.bp.have_version)
				json_hex(&w, "version", sys.bp.version);
			else
				json_null(&w, "version");
			json_u64(&w, "data_len", sys.bp.data_len);
			if (bp_dec == 0)
				dp_bp_json(&w, &bp);
			json_end_object(&w);
		} else {
			json_null(&w, "boot_params");
		}
		dp_chain_json(&w, &sys.bp.chain, false);
		json_efi(&w, &sys.efi);
		json_map(&w, &sys.efi);
		json_begin_array(&w, "errors");
		if (sys.bp_rc < 0)
			json_error(&w, &sys.bp_err);
		if (bp_dec < 0 && bp_derr.code)
			json_error(&w, &bp_derr);
		if (sys.efi_rc < 0)
			json_error(&w, &sys.efi_err);
		json_end_array(&w);
		json_end_object(&w);
		json_end(&w);
	} else {
		if (sys.bp_rc < 0)
			printf("boot_params: unreadable (see the error above)\n");
		else if (!sys.bp.present)
			printf("boot_params: absent (/sys/kernel/boot_params)\n");
		else if (bp_dec == 0) {
			char title[160];

			snprintf(title, sizeof(title),
				 "boot_params: /sys/kernel/boot_params/data (%zu bytes, version %s0x%04x)",
				 sys.bp.data_len, sys.bp.have_version ? "" : "absent, header ",
				 sys.bp.have_version ? sys.bp.version : bp.version);
			dp_bp_text(title, &bp);
		} else
			printf("boot_params: /sys/kernel/boot_params/data: %zu bytes, not decoded\n",
			       sys.bp.data_len);
		printf("\n");
		dp_chain_text("setup_data (/sys/kernel/boot_params/setup_data)", &sys.bp.chain, false);
		printf("\n");
		if (sys.efi_rc < 0)
			printf("efi: unreadable (see the error above)\n");
		else {
			text_efi(&sys.efi);
			printf("\n");
			text_map(&sys.efi);
		}
	}
	esd_system_free(&sys);
	if (fflush(stdout) != 0) {
		cli_error("stdout", "write failed");
		return CLI_EXIT_ERROR;
	}
	return rc;
}

int cmd_dump(struct cli *c, int argc, char **argv)
{
	enum { OPT_JSON = 0x200, OPT_IMAGE, OPT_BASE, OPT_BP };
	static const struct option opts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "memory-image", required_argument, NULL, OPT_IMAGE },
		{ "phys-base", required_argument, NULL, OPT_BASE },
		{ "boot-params", required_argument, NULL, OPT_BP },
		{ "sysroot", required_argument, NULL, CLI_OPT_SYSROOT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *image = NULL;
	bool json = false, have_base = false, have_bp = false;
	uint64_t base = 0, bp_addr = 0;
	int o, common_rc;

	while ((o = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (o) {
		case OPT_JSON:
			json = true;
			break;
		case OPT_IMAGE:
			image = optarg;
			break;
		case OPT_BASE:
			if (cli_parse_u64(optarg, &base) < 0)
				return cli_usage_error("dump", "--phys-base: not a number: '%s'", optarg);
			have_base = true;
			break;
		case OPT_BP:
			if (cli_parse_u64(optarg, &bp_addr) < 0)
				return cli_usage_error("dump", "--boot-params: not a number: '%s'", optarg);
			have_bp = true;
			break;
		default:
			common_rc = cli_common_option(c, o, "dump", usage);
			if (common_rc >= 0)
				return common_rc;
			break;
		}
	}
	if (optind < argc)
		return cli_usage_error("dump", "unexpected argument '%s'", argv[optind]);
	if (image) {
		if (!have_base)
			return cli_usage_error("dump", "--memory-image needs --phys-base");
		return dump_memory_image(image, base, bp_addr, have_bp, json);
	}
	if (have_base || have_bp)
		return cli_usage_error("dump", "--phys-base and --boot-params need --memory-image");
	return dump_sysroot(c->sysroot, json);
}
