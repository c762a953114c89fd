#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/reboot.h>

#include "json.h"
#include "sha256.h"
#include "sink.h"

/* The kexec_load(2) segment ABI. */
struct kexec_segment_abi {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

int sink_kexec_load(const struct plan *p)
{
	struct kexec_segment_abi seg[KEXEC_SEGMENT_MAX];
	size_t i;

	for (i = 0; i < p->nseg; i++) {
		seg[i].buf = p->seg[i].buf;
		seg[i].bufsz = p->seg[i].bufsz;
		seg[i].mem = (const void *)(uintptr_t)p->seg[i].mem;
		seg[i].memsz = p->seg[i].memsz;
	}
	if (syscall(SYS_kexec_load, (unsigned long)p->entry, (unsigned long)p->nseg, seg, p->flags) != 0)
		return -errno;
	return 0;
}

int sink_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline, unsigned long flags)
{
#ifdef SYS_kexec_file_load
	if (syscall(SYS_kexec_file_load, kernel_fd, initrd_fd, cmdline ? strlen(cmdline) + 1 : 0,
		    cmdline, flags) != 0)
		return -errno;
	return 0;
#else
	return -ENOSYS;
#endif
}

int sink_unload(bool crash, bool file)
{
	if (file)
		return sink_kexec_file_load(-1, -1, NULL,
					    KEXEC_FILE_UNLOAD | (crash ? KEXEC_FILE_ON_CRASH : 0));
	if (syscall(SYS_kexec_load, 0UL, 0UL, NULL,
		    KEXEC_ARCH_X86_64 | (crash ? KEXEC_ON_CRASH : 0)) != 0)
		return -errno;
	return 0;
}

int sink_status(const struct sysroot *sr, bool crash)
{
	uint64_t v;
	struct kx_err e = { 0 };
	int r = sysroot_read_dec(sr, crash ? "/sys/kernel/kexec_crash_loaded" : "/sys/kernel/kexec_loaded",
				 &v, &e);

	return r < 0 ? r : (v != 0);
}

bool sink_lockdown(const struct sysroot *sr, char *buf, size_t len)
{
	char t[256];
	char *o, *c;

	if (sysroot_read_text(sr, "/sys/kernel/security/lockdown", t, sizeof(t), NULL) < 0)
		return false;
	o = strchr(t, '[');
	c = o ? strchr(o, ']') : NULL;
	if (!o || !c)
		return false;
	*c = '\0';
	snprintf(buf, len, "%s", o + 1);
	return strcmp(o + 1, "none") != 0;
}

/* What kexec-tools' -x skips: take every interface but lo down so
 * no device DMA lands in the next kernel's memory. */
static void ifdown_all(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s >= 0 && ifs) {
		for (i = ifs; i->if_index; i++) {
			struct ifreq r;

			if (!strcmp(i->if_name, "lo"))
				continue;
			memset(&r, 0, sizeof(r));
			snprintf(r.ifr_name, sizeof(r.ifr_name), "%s", i->if_name);
			if (ioctl(s, SIOCGIFFLAGS, &r) == 0 && (r.ifr_flags & IFF_UP)) {
				r.ifr_flags &= ~IFF_UP;
				ioctl(s, SIOCSIFFLAGS, &r);
			}
		}
	}
	if (ifs)
		if_freenameindex(ifs);
	if (s >= 0)
		close(s);
}

int sink_exec(bool no_sync, bool no_ifdown)
{
	if (!no_sync)
		sync();
	if (!no_ifdown)
		ifdown_all();
	reboot(LINUX_REBOOT_CMD_KEXEC);
	return -errno;
}

static int write_file(const char *path, const void *buf, size_t len, struct kx_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	const uint8_t *p = buf;

	if (fd < 0)
		return kx_errf(err, -errno, path, "cannot create: %s", strerror(errno));
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return kx_errf(err, -errno, path, "write failed: %s", strerror(errno));
		}
		p += w;
		len -= (size_t)w;
	}
	if (close(fd) < 0)
		return kx_errf(err, -errno, path, "write failed: %s", strerror(errno));
	return 0;
}

static void hex32(const uint8_t d[32], char out[65])
{
	static const char x[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = x[d[i] >> 4];
		out[2 * i + 1] = x[d[i] & 15];
	}
	out[64] = '\0';
}

int sink_dump(const char *dir, const struct plan *p, const struct esd_findings *f,
	      const char *decision, const struct kx_err *why, struct kx_err *err)
{
	char path[4096], hex[65];
	struct json_writer w;
	uint8_t d[32];
	size_t i;
	FILE *jf;
	int r;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return kx_errf(err, -errno, dir, "cannot create directory: %s", strerror(errno));
	for (i = 0; p && i < p->nseg; i++) {
		snprintf(path, sizeof(path), "%s/%02zu-%s.bin", dir, i, p->seg[i].role);
		r = write_file(path, p->seg[i].buf ? p->seg[i].buf : "", p->seg[i].buf ? p->seg[i].bufsz : 0, err);
		if (r < 0)
			return r;
	}
	snprintf(path, sizeof(path), "%s/plan.json", dir);
	jf = fopen(path, "we");
	if (!jf)
		return kx_errf(err, -errno, path, "cannot create: %s", strerror(errno));
	json_init(&w, jf, true);
	json_begin_object(&w, NULL);
	json_str(&w, "decision", decision);
	if (why && why->code) {
		char b[1024];

		json_str(&w, "error", kx_err_str(why, b, sizeof(b)));
	}
	if (p) {
		json_hex(&w, "entry", p->entry);
		json_hex(&w, "flags", p->flags);
		json_str(&w, "efi_handoff", efi_outcome_str(p->efi));
		json_hex(&w, "kernel_load", p->kernel_load);
		json_hex(&w, "boot_params", p->bp_addr);
		json_hex(&w, "setup_efi", p->setup_efi_addr);
		json_hex(&w, "efi_memmap", p->memmap_addr);
		json_str(&w, "cmdline", p->cmdline);
		json_begin_object(&w, "kaslr");
		json_str(&w, "mode", p->kaslr ? p->kaslr : "off");
		json_hex(&w, "slot", p->kernel_load);
		json_u64(&w, "slots", p->kaslr_slots);
		json_u64(&w, "index", p->kaslr_index);
		json_end_object(&w);
		json_begin_array(&w, "segments");
		for (i = 0; i < p->nseg; i++) {
			kx_sha256(p->seg[i].buf ? p->seg[i].buf : "", p->seg[i].buf ? p->seg[i].bufsz : 0, d);
			hex32(d, hex);
			json_begin_object(&w, NULL);
			json_str(&w, "role", p->seg[i].role);
			json_hex(&w, "mem", p->seg[i].mem);
			json_hex(&w, "memsz", p->seg[i].memsz);
			json_u64(&w, "bufsz", p->seg[i].bufsz);
			json_str(&w, "sha256", hex);
			json_bool(&w, "verified_by_purgatory", p->seg[i].digest);
			json_end_object(&w);
		}
		json_end_array(&w);
	}
	json_begin_array(&w, "findings");
	for (i = 0; f && i < f->n; i++) {
		json_begin_object(&w, NULL);
		json_str(&w, "id", f->f[i].id);
		json_str(&w, "name", f->f[i].name);
		json_str(&w, "severity", f->f[i].sev == ESD_FATAL ? "fatal" : "warning");
		json_str(&w, "where", f->f[i].where);
		json_str(&w, "message", f->f[i].msg);
		json_end_object(&w);
	}
	json_end_array(&w);
	json_end_object(&w);
	json_end(&w);
	if (fclose(jf) != 0)
		return kx_errf(err, -errno, path, "write failed: %s", strerror(errno));
	return 0;
}
