/* sink.h - where a plan goes: the kexec syscalls, or a dry-run directory.
 * The only code that changes the running system. */
#ifndef KX_SINK_H
#define KX_SINK_H

#include <stdbool.h>
#include <stdint.h>

#include "esd.h"
#include "plan.h"

/* kexec_load(2). -errno on failure (EPERM: see sink_lockdown_reason). */
int sink_kexec_load(const struct plan *p);

/* kexec_file_load(2) with fds; flags KEXEC_FILE_*. */
int sink_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline, unsigned long flags);

/* Unload the normal (crash=false) or crash image with the given syscall
 * (file: kexec_file_load UNLOAD; else kexec_load with 0 segments). */
int sink_unload(bool crash, bool file);

/* 1 loaded, 0 not, <0 error; from /sys/kernel/kexec_{crash_,}loaded. */
int sink_status(const struct sysroot *sr, bool crash);

/* Does the running kernel say it is locked down? Fills buf with the mode. */
bool sink_lockdown(const struct sysroot *sr, char *buf, size_t len);

/* reboot(LINUX_REBOOT_CMD_KEXEC) after sync (unless no_sync) and taking
 * interfaces down (unless no_ifdown). Returns only on failure. */
int sink_exec(bool no_sync, bool no_ifdown);

/* Dry run: write every segment as DIR/NN-ROLE.bin and DIR/plan.json. */
int sink_dump(const char *dir, const struct plan *p, const struct esd_findings *f,
	      const char *decision, const struct kx_err *why, struct kx_err *err);

#endif
