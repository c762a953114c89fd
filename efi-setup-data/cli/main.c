/* main.c - efi-setup-data: global options and subcommand dispatch.
 *
 * `efi-setup-data [--sysroot DIR] COMMAND [options]`; every subcommand also
 * takes --sysroot, --help and --version itself (see man/efi-setup-data.8). */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fputs("\nUsage:\n"
	      " " CLI_NAME " [--sysroot DIR] <command> [options]\n"
	      "\nRead, serialize, check and compare the EFI runtime hand-off that a kexec\n"
	      "loader passes to the next kernel (boot_params efi_info, SETUP_EFI, the\n"
	      "runtime memory map).\n"
	      "\nCommands:\n"
	      " dump [--json]              boot_params, setup_data chain, EFI tables, runtime map\n"
	      " dump --memory-image FILE --phys-base ADDR [--boot-params ADDR]\n"
	      "                            decode a boot_params page and its setup_data chain\n"
	      "                              from a raw memory image\n"
	      " build -o DIR               write efi_info.bin, setup_data_efi.bin, memmap.bin\n"
	      " verify [--kernel FILE] [--json]\n"
	      "                            check the hand-off (exit 0 safe, 1 fatal, 2 unchecked)\n"
	      " snapshot -o DIR            copy every file the tools read into a sysroot tree\n"
	      " diff OLD [NEW]             compare two sysroots (NEW: the running system)\n"
	      "\nOptions:\n"
	      "     --sysroot DIR  read DIR/sys and DIR/proc instead of /sys and /proc\n"
	      " -h, --help         display this help\n"
	      " -V, --version      display version\n"
	      "\nRun '" CLI_NAME " <command> --help' for a command's options.\n"
	      "For more details see efi-setup-data(8).\n", out);
}

static const struct {
	const char *name;
	int (*fn)(struct cli *, int, char **);
} commands[] = {
	{ "dump", cmd_dump },
	{ "build", cmd_build },
	{ "verify", cmd_verify },
	{ "snapshot", cmd_snapshot },
	{ "diff", cmd_diff },
};

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sysroot", required_argument, NULL, CLI_OPT_SYSROOT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static char progname[] = CLI_NAME;
	struct cli c = { .sysroot = NULL };
	size_t i;
	int o;

	argv[0] = progname;   /* getopt messages name the tool, not its path */

	/* "+": stop at the first non-option, the subcommand. */
	while ((o = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (o) {
		case CLI_OPT_SYSROOT:
			c.sysroot = optarg;
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		case 'V':
			cli_print_version();
			return CLI_EXIT_OK;
		default:
			return cli_try_help(NULL);
		}
	}
	if (optind >= argc)
		return cli_usage_error(NULL, "no command specified");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name) == 0) {
			static char name[64];
			char **sub = argv + optind;
			int subc = argc - optind;

			/* getopt's messages then read "efi-setup-data dump: ..." */
			snprintf(name, sizeof(name), CLI_NAME " %s", commands[i].name);
			sub[0] = name;

			optind = 0;   /* glibc: full re-initialisation for the subcommand */
			return commands[i].fn(&c, subc, sub);
		}
	}
	if (strcmp(argv[optind], "help") == 0) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	return cli_usage_error(NULL, "unknown command '%s'", argv[optind]);
}
