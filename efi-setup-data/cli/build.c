/* build.c - `efi-setup-data build -o DIR`: the bytes a kexec loader would
 * hand over from this system (spec 1.2, 3.1, 3.4):
 *   efi_info.bin        32 bytes for boot_params offset 0x1c0
 *   setup_data_efi.bin  16-byte header (next 0, type 4, len 96) + payload
 *   memmap.bin          n x 40-byte descriptors, runtime-map index order
 * efi_info.efi_memmap stays 0 unless --memmap-addr says where the array
 * would be placed (the loader's planner decides that). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fputs("\nUsage:\n"
	      " " CLI_NAME " build [--sysroot DIR] -o DIR [--memmap-addr ADDR]\n"
	      "\nWrite what kexec would hand over from this system: efi_info.bin (32 bytes),\n"
	      "setup_data_efi.bin (SETUP_EFI node, 112 bytes) and memmap.bin (n x 40 bytes).\n"
	      "\nOptions:\n"
	      " -o, --output DIR         directory to write (created if needed)\n"
	      "     --memmap-addr ADDR   physical address to record in efi_info.efi_memmap\n"
	      "     --sysroot DIR        read DIR/sys and DIR/proc instead of /sys and /proc\n"
	      " -h, --help               display this help\n"
	      " -V, --version            display version\n", out);
}

static int write_all(const char *dir, const struct esd_handoff *h, struct kx_err *err)
{
	uint8_t ei[EFI_INFO_SIZE], node[SETUP_EFI_NODE_SIZE];
	size_t mlen = h->n * EFI_DESC_SIZE;
	uint8_t *mm = malloc(mlen ? mlen : 1);
	int r;

	if (!mm)
		return kx_errf(err, -ENOMEM, dir, "out of memory");
	esd_efi_info_serialize(&h->info, ei);
	esd_setup_efi_serialize(&h->setup, 0, node);
	r = esd_memmap_serialize(h->desc, h->n, mm, mlen);
	if (r < 0) {
		free(mm);
		return kx_errf(err, r, dir, "memmap: serialization failed");
	}
	r = cli_write_file(dir, "efi_info.bin", ei, sizeof(ei), err);
	if (r == 0)
		r = cli_write_file(dir, "setup_data_efi.bin", node, sizeof(node), err);
	if (r == 0)
		r = cli_write_file(dir, "memmap.bin", mm, mlen, err);
	free(mm);
	if (r < 0)
		return r;
	printf("%s/efi_info.bin: %u bytes (signature %s, efi_systab 0x%" PRIx64
	       ", memdesc_size %" PRIu32 ", memdesc_version %" PRIu32 ", memmap_size %" PRIu32 ")\n",
	       dir, EFI_INFO_SIZE, cli_signature_name(h->info.loader_signature),
	       (uint64_t)h->info.systab_hi << 32 | h->info.systab, h->info.memdesc_size,
	       h->info.memdesc_version, h->info.memmap_size);
	printf("%s/setup_data_efi.bin: %u bytes (fw_vendor 0x%" PRIx64 ", runtime 0x%" PRIx64
	       ", tables 0x%" PRIx64 ", smbios 0x%" PRIx64 ")\n",
	       dir, SETUP_EFI_NODE_SIZE, h->setup.fw_vendor, h->setup.runtime, h->setup.tables,
	       h->setup.smbios);
	printf("%s/memmap.bin: %zu bytes (%zu descriptors of %u bytes)\n", dir, mlen, h->n,
	       EFI_DESC_SIZE);
	return 0;
}

int cmd_build(struct cli *c, int argc, char **argv)
{
	enum { OPT_MEMMAP = 0x200 };
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "memmap-addr", required_argument, NULL, OPT_MEMMAP },
		{ "sysroot", required_argument, NULL, CLI_OPT_SYSROOT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	bool have_memmap = false;
	uint64_t memmap = 0;
	struct esd_system sys;
	struct esd_handoff h;
	struct kx_err err = { 0 };
	int o, rc, common_rc;

	while ((o = getopt_long(argc, argv, "o:hV", opts, NULL)) != -1) {
		switch (o) {
		case 'o':
			out = optarg;
			break;
		case OPT_MEMMAP:
			if (cli_parse_u64(optarg, &memmap) < 0)
				return cli_usage_error("build", "--memmap-addr: not a number: '%s'", optarg);
			have_memmap = true;
			break;
		default:
			common_rc = cli_common_option(c, o, "build", usage);
			if (common_rc >= 0)
				return common_rc;
			break;
		}
	}
	if (optind < argc)
		return cli_usage_error("build", "unexpected argument '%s'", argv[optind]);
	if (!out)
		return cli_usage_error("build", "no output directory (-o DIR)");

	if (esd_system_read(c->sysroot, &sys, &err) < 0) {
		cli_kx_error(&err);
		return CLI_EXIT_ERROR;
	}
	if (esd_handoff_build(&sys, &h, &err) < 0) {
		cli_kx_error(&err);
		esd_system_free(&sys);
		return CLI_EXIT_FAIL;
	}
	if (have_memmap)
		esd_handoff_set_memmap_addr(&h, memmap);
	rc = write_all(out, &h, &err) < 0 ? CLI_EXIT_ERROR : CLI_EXIT_OK;
	if (rc != CLI_EXIT_OK)
		cli_kx_error(&err);
	esd_handoff_free(&h);
	esd_system_free(&sys);
	return rc;
}
