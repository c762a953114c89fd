/* kcore.c - kernel text mapping and direct-map base from /proc/kcore. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfcore.h"
#include "kcore.h"

int kcore_parse_layout(const uint8_t *buf, size_t len, const char *where, struct kcore_layout *out,
		       struct kx_err *err)
{
	struct elf64_ehdr_view eh;
	size_t i;
	int r;

	memset(out, 0, sizeof(*out));
	r = elf64_parse_ehdr(buf, len, where, &eh, err);
	if (r < 0)
		return r;
	if (eh.type != ET_CORE)
		return kx_errf(err, -EINVAL, where, "e_type: %u, not ET_CORE", eh.type);
	for (i = 0; i < eh.phnum; i++) {
		struct elf64_phdr_view ph;

		r = elf64_parse_phdr(buf, len, &eh, i, where, &ph, err);
		if (r < 0)
			return r;
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		if (ph.vaddr >= KCORE_START_KERNEL_MAP &&
		    ph.vaddr - KCORE_START_KERNEL_MAP < KCORE_KERNEL_IMAGE_SIZE) {
			/* The text entry, unlike module space, has a physical
			 * address; kernels before 4.19 gave none, then the
			 * lowest entry in the window is the text. */
			bool better = !out->have_text ||
				      (out->text_paddr == KCORE_NO_PADDR && ph.paddr != KCORE_NO_PADDR) ||
				      (ph.paddr == out->text_paddr && ph.vaddr < out->text_vaddr);
			if (better) {
				out->have_text = true;
				out->text_vaddr = ph.vaddr;
				out->text_paddr = ph.paddr;
				out->text_size = ph.memsz;
			}
		} else if (ph.paddr != KCORE_NO_PADDR && ph.vaddr > ph.paddr && !out->have_page_offset) {
			out->have_page_offset = true;
			out->page_offset = ph.vaddr - ph.paddr;
		}
	}
	return 0;
}

int kcore_read_layout(const struct sysroot *sr, struct kcore_layout *out, struct kx_err *err)
{
	const char *abs = "/proc/kcore";
	char shown[4200];
	uint8_t eh_buf[ELFCORE_EHDR_SIZE], *buf;
	struct elf64_ehdr_view eh;
	size_t len;
	ssize_t got;
	int fd, r;

	memset(out, 0, sizeof(*out));
	sysroot_display(sr, abs, shown, sizeof(shown));
	fd = sysroot_open(sr, abs, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fd;
	got = pread(fd, eh_buf, sizeof(eh_buf), 0);
	if (got < 0) {
		r = -errno;
		close(fd);
		return r;   /* lockdown refuses the read, not the open */
	}
	r = elf64_parse_ehdr(eh_buf, (size_t)got, shown, &eh, err);
	if (r < 0) {
		close(fd);
		return r;
	}
	/* e_phnum is 16 bits, so the table is at most 3.5 MiB past e_phoff. */
	if (eh.phoff > (1u << 20)) {
		close(fd);
		return kx_errf(err, -EINVAL, shown, "e_phoff 0x%llx / e_phnum %u: implausible",
			       (unsigned long long)eh.phoff, eh.phnum);
	}
	len = (size_t)eh.phoff + (size_t)eh.phnum * ELFCORE_PHDR_SIZE;
	buf = malloc(len ? len : 1);
	if (!buf) {
		close(fd);
		return kx_errf(err, -ENOMEM, shown, "out of memory");
	}
	got = pread(fd, buf, len, 0);
	r = got < 0 ? -errno : 0;
	close(fd);
	if (r == 0)
		r = kcore_parse_layout(buf, (size_t)got, shown, out, err);
	free(buf);
	return r;
}
