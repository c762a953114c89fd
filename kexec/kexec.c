/* kexec.c - the kexec command: kexec-tools' options, plus --efi-verify and
 * --dry-run. The pipeline (README "Layout"): read the system (libesd) ->
 * plan (bzimage64) -> rules -> policy -> sink (syscall or dry-run dump).
 *
 * Exit status: 0 success; 1 failure (as kexec-tools); 3 refused by
 * --efi-verify=strict (nothing loaded, an earlier image stays loaded).
 * -S: 1 when the image is loaded, 0 when not (as kexec-tools). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "cmdline.h"
#include "crashdump.h"
#include "digest.h"
#include "fileload.h"
#include "kaslr.h"
#include "load.h"
#include "policy.h"
#include "sink.h"
#include "strnum.h"

#define EXIT_REFUSED 3
#define KERNEL_MAX (512u << 20)

enum action { ACT_NONE, ACT_LOAD, ACT_EXEC, ACT_UNLOAD, ACT_STATUS, ACT_CKR_SIZE };
enum syscall_choice { SYS_AUTO, SYS_FILE, SYS_LOAD };

struct opts {
	enum action action;
	bool crash;                  /* -p */
	bool load_given;             /* -l */
	enum syscall_choice sc;
	const char *kernel, *initrd, *append, *sysroot, *dump_dir;
	bool reuse_cmdline, noefi, debug, force, no_ifdown, no_sync, no_checks, dry_run;
	bool efi_verify_given, pass_memmap, test_corrupt, no_kaslr;
	enum efi_verify_mode mode;
	uint64_t mem_min, mem_max;
	uint16_t serial_port;
	uint32_t serial_baud;
	bool serial_given;
	int purg_digest;             /* KX_DIGEST_*, 0 = the default (mix64) */
};

static const char *prog = "kexec";

static void usage(FILE *out)
{
	fprintf(out,
		"\nUsage:\n"
		" %s [options] -l|-p KERNEL   load a kernel (bzImage) for -e, or for a crash (-p)\n"
		" %s -e                       boot the loaded kernel now\n"
		" %s -u [-p]                  unload it\n"
		" %s -S [-l|-p]               exit 1 if the (crash by default) image is loaded, 0 if not\n"
		"\nLoading:\n"
		" -l, --load                  load KERNEL for kexec -e\n"
		" -p, --load-panic            load KERNEL as the crash (kdump) kernel\n"
		" -s, --kexec-file-syscall    use kexec_file_load only\n"
		" -c, --kexec-syscall         use kexec_load only\n"
		" -a, --kexec-syscall-auto    kexec_file_load, falling back to kexec_load (default)\n"
		"     --append=STR, --command-line=STR  the next kernel's command line\n"
		"     --reuse-cmdline         start from this kernel's command line\n"
		"     --initrd=FILE, --ramdisk=FILE     the initramfs\n"
		"     --mem-min=ADDR, --mem-max=ADDR    keep segments in this range\n"
		"     --noefi                 hand over no EFI state\n"
		"     --no-kaslr              load the kernel at the usual (top-down) address\n"
		"                             instead of a random one (as nokaslr in the command\n"
		"                             line does; -s: the kernel places it, never random)\n"
		"     --efi-verify[=MODE]     check the EFI hand-off first; MODE strict (default),\n"
		"                             fallback (load without EFI) or warn (load anyway)\n"
		"     --pass-memmap-cmdline   -p: give the crash e820 as memmap= too\n"
		" -i, --no-checks             purgatory skips the digest verification\n"
		"     --purgatory-digest=fast|sha256  purgatory's segment digest (default fast)\n"
		"     --console-serial, --serial=PORT, --serial-baud=N  purgatory messages\n"
		"\nBooting:\n"
		" -e, --exec                  reboot into the loaded kernel\n"
		" -f, --force                 load and boot at once, no shutdown(8)\n"
		" -x, --no-ifdown             do not take network interfaces down\n"
		" -y, --no-sync               do not sync file systems\n"
		"\nInspecting:\n"
		"     --dry-run               do everything but the syscalls\n"
		"     --dump-dir=DIR          with --dry-run: write segments and plan.json to DIR\n"
		"     --sysroot=DIR           read DIR/sys and DIR/proc (for --dry-run)\n"
		"     --print-ckr-size        print the crash kernel reservation size\n"
		" -d, --debug                 print the plan\n"
		" -h, --help                  display this help\n"
		" -v, --version               display version\n"
		"\nExit status: 0 success, 1 failure, 3 refused by --efi-verify=strict.\n"
		"See kexec(8).\n", prog, prog, prog, prog);
}

enum {
	OPT_APPEND = 256, OPT_REUSE, OPT_INITRD, OPT_MEM_MIN, OPT_MEM_MAX, OPT_NOEFI, OPT_EFI_VERIFY,
	OPT_DRY_RUN, OPT_DUMP_DIR, OPT_SYSROOT, OPT_CKR, OPT_PASS_MEMMAP, OPT_CONSOLE_SERIAL,
	OPT_SERIAL, OPT_SERIAL_BAUD, OPT_TEST_CORRUPT, OPT_TYPE, OPT_PURG_DIGEST, OPT_NO_KASLR,
};

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ "load", no_argument, NULL, 'l' },
	{ "load-panic", no_argument, NULL, 'p' },
	{ "unload", no_argument, NULL, 'u' },
	{ "exec", no_argument, NULL, 'e' },
	{ "status", no_argument, NULL, 'S' },
	{ "kexec-file-syscall", no_argument, NULL, 's' },
	{ "kexec-syscall", no_argument, NULL, 'c' },
	{ "kexec-syscall-auto", no_argument, NULL, 'a' },
	{ "debug", no_argument, NULL, 'd' },
	{ "force", no_argument, NULL, 'f' },
	{ "no-ifdown", no_argument, NULL, 'x' },
	{ "no-sync", no_argument, NULL, 'y' },
	{ "no-checks", no_argument, NULL, 'i' },
	{ "type", required_argument, NULL, 't' },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "command-line", required_argument, NULL, OPT_APPEND },
	{ "reuse-cmdline", no_argument, NULL, OPT_REUSE },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "ramdisk", required_argument, NULL, OPT_INITRD },
	{ "mem-min", required_argument, NULL, OPT_MEM_MIN },
	{ "mem-max", required_argument, NULL, OPT_MEM_MAX },
	{ "noefi", no_argument, NULL, OPT_NOEFI },
	{ "no-kaslr", no_argument, NULL, OPT_NO_KASLR },
	{ "efi-verify", optional_argument, NULL, OPT_EFI_VERIFY },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "dump-dir", required_argument, NULL, OPT_DUMP_DIR },
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ "print-ckr-size", no_argument, NULL, OPT_CKR },
	{ "pass-memmap-cmdline", no_argument, NULL, OPT_PASS_MEMMAP },
	{ "console-serial", no_argument, NULL, OPT_CONSOLE_SERIAL },
	{ "serial", required_argument, NULL, OPT_SERIAL },
	{ "serial-baud", required_argument, NULL, OPT_SERIAL_BAUD },
	{ "purgatory-digest", required_argument, NULL, OPT_PURG_DIGEST },
#ifdef ENABLE_TEST_CORRUPT
	{ "test-corrupt-systab", no_argument, NULL, OPT_TEST_CORRUPT },
#endif
	{ NULL, 0, NULL, 0 },
};

static void errx_kx(const struct kx_err *e)
{
	char b[1024];

	fprintf(stderr, "%s: %s\n", prog, kx_err_str(e, b, sizeof(b)));
}

static int bad_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "%s: %s%s%s\nTry '%s --help' for more information.\n", prog, msg,
		arg ? ": " : "", arg ? arg : "", prog);
	return EXIT_FAILURE;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->mem_max = UINT64_MAX;
	o->sc = SYS_AUTO;
	while ((c = getopt_long(argc, argv, "hvlpueSscadfxyit:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); exit(EXIT_SUCCESS);
		case 'v': printf("%s (kexec-efi) %s\n", prog, PACKAGE_VERSION); exit(EXIT_SUCCESS);
		case 'l': o->load_given = true; if (o->action == ACT_NONE) o->action = ACT_LOAD; break;
		case 'p': o->crash = true; if (o->action == ACT_NONE) o->action = ACT_LOAD; break;
		case 'u': o->action = ACT_UNLOAD; break;
		case 'e': o->action = ACT_EXEC; break;
		case 'S': o->action = ACT_STATUS; break;
		case 's': o->sc = SYS_FILE; break;
		case 'c': o->sc = SYS_LOAD; break;
		case 'a': o->sc = SYS_AUTO; break;
		case 'd': o->debug = true; break;
		case 'f': o->force = true; break;
		case 'x': o->no_ifdown = true; break;
		case 'y': o->no_sync = true; break;
		case 'i': o->no_checks = true; break;
		case 't':
			if (strcmp(optarg, "bzImage64") && strcmp(optarg, "bzImage"))
				return bad_usage("unsupported image type (only bzImage64)", optarg);
			break;
		case OPT_APPEND: o->append = optarg; break;
		case OPT_REUSE: o->reuse_cmdline = true; break;
		case OPT_INITRD: o->initrd = optarg; break;
		case OPT_MEM_MIN:
			if (strnum_size_u64(optarg, &o->mem_min) < 0)
				return bad_usage("bad --mem-min", optarg);
			break;
		case OPT_MEM_MAX:
			if (strnum_size_u64(optarg, &o->mem_max) < 0)
				return bad_usage("bad --mem-max", optarg);
			break;
		case OPT_NOEFI: o->noefi = true; break;
		case OPT_NO_KASLR: o->no_kaslr = true; break;
		case OPT_EFI_VERIFY:
			o->efi_verify_given = true;
			if (efi_verify_mode_parse(optarg, &o->mode) < 0)
				return bad_usage("--efi-verify takes strict, fallback or warn", optarg);
			break;
		case OPT_DRY_RUN: o->dry_run = true; break;
		case OPT_DUMP_DIR: o->dump_dir = optarg; break;
		case OPT_SYSROOT: o->sysroot = optarg; break;
		case OPT_CKR: o->action = ACT_CKR_SIZE; break;
		case OPT_PASS_MEMMAP: o->pass_memmap = true; break;
		case OPT_CONSOLE_SERIAL: o->serial_given = true; if (!o->serial_port) o->serial_port = 0x3f8; break;
		case OPT_SERIAL: {
			uint64_t v;

			o->serial_given = true;
			if (!strncmp(optarg, "ttyS", 4) && optarg[4] >= '0' && optarg[4] <= '1' && !optarg[5])
				o->serial_port = optarg[4] == '0' ? 0x3f8 : 0x2f8;
			else if (strnum_size_u64(optarg, &v) == 0 && v && v < 0x10000)
				o->serial_port = (uint16_t)v;
			else
				return bad_usage("bad --serial", optarg);
			break;
		}
		case OPT_SERIAL_BAUD: {
			uint64_t v;

			if (strnum_size_u64(optarg, &v) < 0 || !v || v > 115200)
				return bad_usage("bad --serial-baud", optarg);
			o->serial_baud = (uint32_t)v;
			break;
		}
		case OPT_TEST_CORRUPT: o->test_corrupt = true; break;
		case OPT_PURG_DIGEST:
			if (!strcmp(optarg, "fast") || !strcmp(optarg, "mix64"))
				o->purg_digest = KX_DIGEST_MIX64;
			else if (!strcmp(optarg, "sha256"))
				o->purg_digest = KX_DIGEST_SHA256;
			else
				return bad_usage("--purgatory-digest takes fast or sha256", optarg);
			break;
		default: return bad_usage("invalid option", NULL);
		}
	}
	if (optind < argc)
		o->kernel = argv[optind++];
	if (optind < argc)
		return bad_usage("unexpected argument", argv[optind]);
	if (o->action == ACT_NONE && o->kernel)
		o->action = ACT_LOAD;   /* kexec-tools: `kexec KERNEL` loads, then reboots */
	if (o->action == ACT_NONE)
		return bad_usage("nothing to do (-l, -p, -e, -u or -S)", NULL);
	if (o->action == ACT_LOAD && !o->kernel)
		return bad_usage("no kernel given", NULL);
	if (o->dump_dir && !o->dry_run)
		return bad_usage("--dump-dir goes with --dry-run", NULL);
	return 0;
}

static void print_findings(const struct esd_findings *f, bool all)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (!all && f->f[i].sev != ESD_FATAL)
			continue;
		fprintf(stderr, "%s: %s %s %s: %s: %s\n", prog, f->f[i].id,
			f->f[i].sev == ESD_FATAL ? "fatal" : "warning", f->f[i].name, f->f[i].where, f->f[i].msg);
	}
}

static void print_plan(const struct plan *p)
{
	size_t i;

	fprintf(stderr, "%s: entry 0x%llx flags 0x%lx, EFI hand-off %s\n", prog,
		(unsigned long long)p->entry, p->flags, efi_outcome_str(p->efi));
	for (i = 0; i < p->nseg; i++)
		fprintf(stderr, "%s:   segment[%zu] %-12s mem 0x%010llx memsz 0x%08llx bufsz 0x%08zx%s\n", prog, i,
			p->seg[i].role, (unsigned long long)p->seg[i].mem, (unsigned long long)p->seg[i].memsz,
			p->seg[i].bufsz, p->seg[i].digest ? " verified" : "");
	fprintf(stderr, "%s:   command line: %s\n", prog, p->cmdline);
	if (p->kaslr && !strcmp(p->kaslr, "random"))
		fprintf(stderr, "%s:   physical KASLR: kernel at 0x%llx, slot %llu of %llu\n", prog,
			(unsigned long long)p->kernel_load, (unsigned long long)p->kaslr_index,
			(unsigned long long)p->kaslr_slots);
	else
		fprintf(stderr, "%s:   physical KASLR: %s; kernel at 0x%llx\n", prog, p->kaslr ? p->kaslr : "off",
			(unsigned long long)p->kernel_load);
}

/* The next kernel's command line: --reuse-cmdline, then --append. */
static int build_cmdline(const struct opts *o, const struct esd_system *sys, char *out, size_t len)
{
	char buf[4096] = "";

	if (o->reuse_cmdline && sys->cmdline_rc == 0) {
		snprintf(buf, sizeof(buf), "%s", sys->cmdline);
		buf[strcspn(buf, "\n")] = '\0';
		cmdline_reuse_filter(buf, o->crash);
	}
	if (o->append) {
		size_t l = strlen(buf);

		if (l + 1 + strlen(o->append) >= sizeof(buf))
			return -E2BIG;
		snprintf(buf + l, sizeof(buf) - l, "%s%s", l ? " " : "", o->append);
	}
	snprintf(out, len, "%s", buf);
	return 0;
}

struct loader {
	struct opts *o;
	struct esd_system sys;
	struct loaded_file kernel, initrd;
	struct esd_image image;
	struct esd_handoff handoff;
	bool have_handoff;
	struct crash_plan crash;
	bool have_crash;
	char base_cmdline[4096];     /* --reuse-cmdline + --append */
	char cmdline[4096];          /* + what a crash kernel needs (kexec_load) */
	uint8_t seed[32];
	bool have_seed;
	struct esd_findings findings;
	struct plan plan;
	enum efi_outcome no_efi_reason;
};

static void loader_free(struct loader *L)
{
	plan_free(&L->plan);
	esd_findings_free(&L->findings);
	if (L->have_handoff)
		esd_handoff_free(&L->handoff);
	if (L->have_crash)
		crash_plan_free(&L->crash);
	file_free(&L->kernel);
	if (L->initrd.data)
		file_free(&L->initrd);
	esd_system_free(&L->sys);
}

/* Why there is no EFI hand-off to offer, or EFI_HANDOFF_PASSED if there is. */
static enum efi_outcome efi_possible(struct loader *L)
{
	if (L->o->noefi)
		return EFI_HANDOFF_NOEFI_OPTION;
	if (!L->sys.efi.present || L->sys.bp_rc < 0 || L->sys.bp.data_len < BP_SIZE ||
	    get_le32(L->sys.bp.data + EI_MEMMAP_SIZE) == 0)
		return EFI_HANDOFF_NOT_EFI;
	if (!(L->image.xloadflags & XLF_EFI_KEXEC))
		return EFI_HANDOFF_IMAGE_CANNOT;
	return EFI_HANDOFF_PASSED;
}

static void make_request(struct loader *L, struct load_request *rq, bool with_efi)
{
	memset(rq, 0, sizeof(*rq));
	rq->kernel = L->kernel.data;
	rq->kernel_len = L->kernel.len;
	rq->kernel_name = L->o->kernel;
	rq->initrd = L->initrd.data;
	rq->initrd_len = L->initrd.len;
	rq->cmdline = L->cmdline;
	rq->sys = &L->sys;
	rq->image = &L->image;
	rq->handoff = with_efi && L->have_handoff ? &L->handoff : NULL;
	rq->mem_min = L->o->mem_min;
	rq->mem_max = L->o->mem_max;
	rq->skip_checks = L->o->no_checks;
	rq->digest_algo = L->o->purg_digest;   /* 0: the planner's default (mix64) */
	/* Hash once, and only for kexec_load: sealed just before the syscall
	 * or the dump (kexec_file_load never reads our purgatory, and the
	 * digest is a pass over the whole initrd). */
	rq->defer_digest = true;
	rq->efi_check = true;
	rq->test_corrupt = L->o->test_corrupt;
	rq->serial_port = L->o->serial_port;
	rq->serial_baud = L->o->serial_baud;
	rq->rng_seed = L->have_seed ? L->seed : NULL;
	rq->crash = L->have_crash ? &L->crash : NULL;
	rq->kaslr_rng = L->o->no_kaslr ? NULL : &kaslr_rng_getrandom;
	rq->kaslr_off = L->o->no_kaslr ? "off (--no-kaslr)" : NULL;
}

static int dump_and_exit(struct loader *L, const char *decision, const struct kx_err *why, int rc)
{
	struct kx_err e = { 0 };

	if (L->o->dump_dir && L->plan.nseg)
		bzimage64_seal(&L->plan);
	if (L->o->dump_dir && sink_dump(L->o->dump_dir, L->plan.nseg ? &L->plan : NULL, &L->findings,
					decision, why, &e) < 0) {
		errx_kx(&e);
		return EXIT_FAILURE;
	}
	return rc;
}

/* kexec_file_load: the kernel builds boot_params and SETUP_EFI itself. */
static int load_file_syscall(struct loader *L, bool *fallback)
{
	struct opts *o = L->o;
	unsigned long flags = 0;
	int kfd = -1, ifd = -1, r;
	char cmd[4096];

	*fallback = false;
	/* The kernel adds elfcorehdr= itself for a crash image. */
	snprintf(cmd, sizeof(cmd), "%s", L->base_cmdline);
	if (L->have_crash) {
		flags |= KEXEC_FILE_ON_CRASH;
	}
	if (L->kernel.compression) {
		/* The kernel wants a file: give it the decompressed bytes. */
		kfd = memfd_create("kexec-kernel", MFD_CLOEXEC);
		if (kfd < 0 || write(kfd, L->kernel.data, L->kernel.len) != (ssize_t)L->kernel.len) {
			fprintf(stderr, "%s: memfd for the decompressed kernel: %s\n", prog, strerror(errno));
			return EXIT_FAILURE;
		}
	} else {
		kfd = open(o->kernel, O_RDONLY | O_CLOEXEC);
	}
	if (kfd < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, o->kernel, strerror(errno));
		return EXIT_FAILURE;
	}
	if (o->initrd) {
		ifd = open(o->initrd, O_RDONLY | O_CLOEXEC);
		if (ifd < 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, o->initrd, strerror(errno));
			close(kfd);
			return EXIT_FAILURE;
		}
	} else {
		flags |= KEXEC_FILE_NO_INITRAMFS;
	}
	if (o->dry_run) {
		fprintf(stderr, "%s: dry run: would call kexec_file_load(%s, %s, \"%s\", 0x%lx)\n", prog,
			o->kernel, o->initrd ? o->initrd : "-", cmd, flags);
		r = 0;
	} else {
		r = sink_kexec_file_load(kfd, ifd, cmd, flags);
	}
	close(kfd);
	if (ifd >= 0)
		close(ifd);
	if (r == 0) {
		if (o->debug || o->efi_verify_given)
			fprintf(stderr, "%s: loaded with kexec_file_load; EFI hand-off %s\n", prog,
				efi_outcome_str(EFI_HANDOFF_KERNEL_BUILDS));
		if (o->debug)
			fprintf(stderr, "%s: physical KASLR is not available with kexec_file_load: the kernel places the image (top-down); use -c for a random address\n",
				prog);
		return EXIT_SUCCESS;
	}
	if (o->sc == SYS_AUTO && (r == -ENOSYS || r == -EINVAL || r == -ENOEXEC || r == -EOPNOTSUPP)) {
		if (o->debug)
			fprintf(stderr, "%s: kexec_file_load: %s; falling back to kexec_load\n", prog, strerror(-r));
		*fallback = true;
		return EXIT_SUCCESS;
	}
	if (r == -EKEYREJECTED || r == -ENOKEY || r == -EBADMSG || r == -ELIBBAD || r == -ENOPKG || r == -EMSGSIZE)
		fprintf(stderr, "%s: kexec_file_load: %s: the kernel rejected the image's signature\n", prog, strerror(-r));
	else
		fprintf(stderr, "%s: kexec_file_load failed: %s\n", prog, strerror(-r));
	return EXIT_FAILURE;
}

static int do_load(struct opts *o)
{
	struct loader L;
	struct kx_err e = { 0 };
	struct load_request rq;
	const struct fw_blob *stale_initrd;
	enum policy_action act;
	bool fallback = false, use_file;
	int r, rc = EXIT_FAILURE;

	memset(&L, 0, sizeof(L));
	L.o = o;
	if (esd_system_read(o->sysroot, &L.sys, &e) < 0) {
		errx_kx(&e);
		return EXIT_FAILURE;
	}
	r = file_load_kernel(o->kernel, &L.kernel, &e);
	if (r == 0)
		r = esd_image_parse(L.kernel.data, L.kernel.len, o->kernel, &L.image, &e);
	if (r == 0 && o->initrd)
		r = file_map(o->initrd, &L.initrd, &e);
	if (r == 0 && build_cmdline(o, &L.sys, L.base_cmdline, sizeof(L.base_cmdline)) < 0)
		r = kx_errf(&e, -E2BIG, "command line", "too long");
	snprintf(L.cmdline, sizeof(L.cmdline), "%s", L.base_cmdline);
	if (r < 0) {
		errx_kx(&e);
		goto out;
	}
	/* Purgatory speaks where the next kernel's console is (console=ttyS0),
	 * whether it came from --append or --reuse-cmdline. */
	if (!o->serial_given)
		cmdline_serial(L.base_cmdline, &o->serial_port, &o->serial_baud);
	if (o->crash) {
		struct crash_opts co = { .pass_memmap_cmdline = o->pass_memmap };

		co.efi_handed_over = true;
		r = crash_plan_build(&L.sys, &co, &L.crash, &e);
		if (r < 0) {
			errx_kx(&e);
			goto out;
		}
		L.have_crash = true;
		r = crash_cmdline_append(L.cmdline, sizeof(L.cmdline),
					 L.image.cmdline_size ? L.image.cmdline_size : 2048, &L.crash, &e);
		if (r < 0) {
			errx_kx(&e);
			goto out;
		}
		if (!L.crash.have_vmcoreinfo)
			fprintf(stderr, "%s: warning: /sys/kernel/vmcoreinfo unreadable: makedumpfile will not be able to filter the dump\n", prog);
	}
	if (getrandom(L.seed, sizeof(L.seed), GRND_NONBLOCK) == (ssize_t)sizeof(L.seed))
		L.have_seed = true;

	L.no_efi_reason = efi_possible(&L);
	if (L.no_efi_reason == EFI_HANDOFF_PASSED) {
		r = esd_handoff_build(&L.sys, &L.handoff, &e);
		if (r == 0) {
			L.have_handoff = true;
		} else {
			/* Could not even build it: a fatal finding of its own. */
			esd_finding_add(&L.findings, "8.5.0", ESD_FATAL, e.where, "cannot build the EFI hand-off: %s", e.msg);
			kx_err_clear(&e);
		}
	} else if (L.no_efi_reason == EFI_HANDOFF_IMAGE_CANNOT) {
		fprintf(stderr, "%s: warning: %s lacks XLF_EFI_KEXEC: the next kernel cannot take over EFI runtime services; loading it without EFI\n",
			prog, o->kernel);
	}

	use_file = o->sc == SYS_FILE || (o->sc == SYS_AUTO && !o->dry_run);
	/* The plan for kexec_load, and the rules over system + image + plan. */
	make_request(&L, &rq, true);
	r = bzimage64_plan(&rq, &L.plan, &e);
	if (r < 0 && o->sc != SYS_FILE) {
		errx_kx(&e);
		rc = dump_and_exit(&L, "error", &e, EXIT_FAILURE);
		goto out;
	}
	if (r < 0)
		kx_err_clear(&e);
	if (L.have_handoff || L.findings.n_fatal) {
		struct esd_findings rf = { 0 };

		r = policy_run_rules(&L.sys, &L.image, L.have_handoff ? &L.handoff : NULL,
				     L.plan.nseg ? &L.plan : NULL, &rf, &e);
		if (r < 0) {
			errx_kx(&e);
			goto out;
		}
		for (size_t i = 0; i < rf.n; i++)
			esd_finding_add(&L.findings, rf.f[i].id, rf.f[i].sev, rf.f[i].where, "%s", rf.f[i].msg);
		/* keep the rule's slug name */
		for (size_t i = 0; i < rf.n; i++)
			L.findings.f[L.findings.n - rf.n + i].name = rf.f[i].name;
		esd_findings_free(&rf);
	}
	act = policy_decide(o->mode, &L.findings);
	print_findings(&L.findings, o->efi_verify_given || o->debug);
	if (o->efi_verify_given || L.findings.n_fatal)
		fprintf(stderr, "%s: efi-verify (%s): %zu fatal, %zu warning%s\n", prog, efi_verify_mode_name(o->mode),
			L.findings.n_fatal, L.findings.n_warn, L.findings.n_warn == 1 ? "" : "s");
	stale_initrd = L.sys.blobs_rc == 0 ? esd_fw_blob_find(&L.sys.blobs, "INITRD") : NULL;
	if (!o->initrd && (!L.image.kernel_version[0] || L.image.kver_major) && stale_initrd) {
		/* The firmware boot left a LINUX_EFI_INITRD table; a Linux kernel
		 * that gets no initrd of its own reads that stale one (spec 3, 7).
		 * Only Linux reads it: a target whose version string says it is
		 * something else (efi-rt-probe) is left alone; no string at all
		 * counts as Linux. */
		fprintf(stderr, "%s: WARNING: no --initrd, but this system booted with a LINUX_EFI_INITRD table (INITRD=0x%llx): the next kernel may take the stale table for its initrd and hang before its console is up; give it an initrd\n",
			prog, (unsigned long long)stale_initrd->addr);
		if (o->mode == EFI_VERIFY_STRICT) {
			fprintf(stderr, "%s: refusing to load a kernel without an initrd on a system with an INITRD= table (--efi-verify=strict); nothing was loaded\n", prog);
			rc = dump_and_exit(&L, "refused", NULL, EXIT_REFUSED);
			goto out;
		}
	}
	if (act == POLICY_REFUSE) {
		fprintf(stderr, "%s: refusing to load: the EFI hand-off is not safe (--efi-verify=strict); nothing was loaded\n", prog);
		rc = dump_and_exit(&L, "refused", NULL, EXIT_REFUSED);
		goto out;
	}
	if (act == POLICY_DROP_EFI && (L.have_handoff || L.findings.n_fatal)) {
		fprintf(stderr, "%s: WARNING: loading WITHOUT the EFI hand-off (efi_info zeroed, no SETUP_EFI): the next kernel will have no EFI runtime services%s\n",
			prog, o->efi_verify_given ? "" : "; use --efi-verify=strict to refuse instead");
		plan_free(&L.plan);
		if (L.have_crash) {
			/* the crash kernel must still find ACPI */
			struct crash_opts co = { .pass_memmap_cmdline = o->pass_memmap, .efi_handed_over = false };

			crash_plan_free(&L.crash);
			r = crash_plan_build(&L.sys, &co, &L.crash, &e);
			if (r == 0) {
				snprintf(L.cmdline, sizeof(L.cmdline), "%s", L.base_cmdline);
				r = crash_cmdline_append(L.cmdline, sizeof(L.cmdline),
							 L.image.cmdline_size ? L.image.cmdline_size : 2048, &L.crash, &e);
			}
			if (r < 0) {
				errx_kx(&e);
				goto out;
			}
		}
		if (L.have_handoff)
			esd_handoff_free(&L.handoff);
		L.have_handoff = false;
		L.no_efi_reason = EFI_HANDOFF_DROPPED;
		use_file = false;  /* only kexec_load lets us drop EFI */
		if (o->sc == SYS_FILE) {
			fprintf(stderr, "%s: kexec_file_load would hand over the unsafe map: adding noefi to the command line\n", prog);
			if (strlen(L.base_cmdline) + 7 < sizeof(L.base_cmdline))
				strcat(L.base_cmdline, L.base_cmdline[0] ? " noefi" : "noefi");
			use_file = true;
		}
		make_request(&L, &rq, false);
		r = bzimage64_plan(&rq, &L.plan, &e);
		if (r < 0 && !use_file) {
			errx_kx(&e);
			rc = dump_and_exit(&L, "error", &e, EXIT_FAILURE);
			goto out;
		}
	}
	if (L.plan.nseg && !L.have_handoff)
		L.plan.efi = L.no_efi_reason;
	/* A degraded mode the user did not ask for: say so without -d too. */
	if (L.plan.nseg && !o->debug && !use_file && L.plan.kaslr && strstr(L.plan.kaslr, "no efi:"))
		fprintf(stderr, "%s: note: physical KASLR %s\n", prog, L.plan.kaslr);
	if (o->debug && L.plan.nseg)
		print_plan(&L.plan);

	if (use_file) {
		rc = load_file_syscall(&L, &fallback);
		if (rc != EXIT_SUCCESS || !fallback)
			goto out;
	}
	if (!L.plan.nseg) {
		fprintf(stderr, "%s: no kexec_load plan\n", prog);
		goto out;
	}
	if (o->dry_run) {
		if (!o->dump_dir)
			bzimage64_seal(&L.plan);   /* the same work as a load (dump_and_exit seals for a dump) */
		fprintf(stderr, "%s: dry run: %zu segments planned, entry 0x%llx, EFI hand-off %s\n", prog,
			L.plan.nseg, (unsigned long long)L.plan.entry, efi_outcome_str(L.plan.efi));
		rc = dump_and_exit(&L, L.have_handoff ? "load" : "load-without-efi", NULL, EXIT_SUCCESS);
		goto out;
	}
	bzimage64_seal(&L.plan);
	r = sink_kexec_load(&L.plan);
	if (r < 0) {
		char mode[64];

		if (r == -EPERM && sink_lockdown(&L.sys.root, mode, sizeof(mode)))
			fprintf(stderr, "%s: kexec_load refused: the kernel is locked down (%s). Use -s (kexec_file_load) with a signed kernel.\n",
				prog, mode);
		else
			fprintf(stderr, "%s: kexec_load failed: %s\n", prog, strerror(-r));
		if (o->debug)
			print_plan(&L.plan);
		goto out;
	}
	if (o->debug || o->efi_verify_given)
		fprintf(stderr, "%s: loaded with kexec_load; EFI hand-off %s\n", prog, efi_outcome_str(L.plan.efi));
	rc = EXIT_SUCCESS;
out:
	loader_free(&L);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct sysroot sr;
	struct kx_err e = { 0 };
	int r;

	r = parse_opts(argc, argv, &o);
	if (r)
		return r;
	if (sysroot_init(&sr, o.sysroot, &e) < 0) {
		errx_kx(&e);
		return EXIT_FAILURE;
	}
	switch (o.action) {
	case ACT_STATUS:
		r = sink_status(&sr, !o.load_given || o.crash);
		if (r < 0) {
			fprintf(stderr, "%s: cannot read the kexec state: %s\n", prog, strerror(-r));
			return EXIT_FAILURE;
		}
		return r;   /* 1 loaded, 0 not */
	case ACT_CKR_SIZE: {
		uint64_t sz;

		if (crash_read_crash_size(&sr, &sz, &e) < 0) {
			errx_kx(&e);
			return EXIT_FAILURE;
		}
		printf("%llu\n", (unsigned long long)sz);
		return EXIT_SUCCESS;
	}
	case ACT_UNLOAD:
		if (o.dry_run)
			return EXIT_SUCCESS;
		r = o.sc == SYS_LOAD ? sink_unload(o.crash, false) : sink_unload(o.crash, true);
		if (r < 0 && o.sc == SYS_AUTO)
			r = sink_unload(o.crash, false);
		if (r < 0) {
			fprintf(stderr, "%s: unload failed: %s\n", prog, strerror(-r));
			return EXIT_FAILURE;
		}
		return EXIT_SUCCESS;
	case ACT_EXEC:
		if (o.dry_run)
			return EXIT_SUCCESS;
		if (sink_status(&sr, false) == 0) {
			fprintf(stderr, "%s: no kernel loaded (load one with -l)\n", prog);
			return EXIT_FAILURE;
		}
		r = sink_exec(o.no_sync, o.no_ifdown);
		fprintf(stderr, "%s: reboot(LINUX_REBOOT_CMD_KEXEC) failed: %s\n", prog, strerror(-r));
		return EXIT_FAILURE;
	case ACT_LOAD:
		r = do_load(&o);
		if (r != EXIT_SUCCESS || o.dry_run || o.load_given || o.crash)
			return r;
		/* kexec-tools: bare `kexec KERNEL` loads, then reboots through kexec. */
		if (o.force) {
			r = sink_exec(o.no_sync, o.no_ifdown);
			fprintf(stderr, "%s: reboot(LINUX_REBOOT_CMD_KEXEC) failed: %s\n", prog, strerror(-r));
			return EXIT_FAILURE;
		}
		execlp("shutdown", "shutdown", "-r", "now", (char *)NULL);
		fprintf(stderr, "%s: cannot run shutdown -r now: %s\n", prog, strerror(errno));
		return EXIT_FAILURE;
	default:
		return bad_usage("nothing to do", NULL);
	}
}
