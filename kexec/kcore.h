/* kcore.h - the two facts `kexec -p` takes from /proc/kcore's program
 * headers: where the kernel text is mapped (its KASLR'd virtual address and
 * size) and the base of the direct map (page_offset_base, randomized too
 * when CONFIG_RANDOMIZE_MEMORY is on).
 *
 * /proc/kcore (fs/proc/kcore.c) is an ELF core file whose PT_LOADs carry
 * p_paddr = the physical address for RAM and for the kernel text, and
 * (u64)-1 for vmalloc, vmemmap and module space. Reading it needs root and
 * is refused under lockdown: callers treat any error as "unknown". */
#ifndef KX_KCORE_H
#define KX_KCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "paths.h"

/* x86_64 __START_KERNEL_map and the size of the text mapping window above
 * it (KERNEL_IMAGE_SIZE is 1 GiB with KASLR; arch/x86 page_64_types.h). */
#define KCORE_START_KERNEL_MAP   0xffffffff80000000ull
#define KCORE_KERNEL_IMAGE_SIZE  0x40000000ull
/* Direct-map bases without KASLR (Documentation/arch/x86/x86_64/mm.rst). */
#define KCORE_PAGE_OFFSET_L4     0xffff888000000000ull
#define KCORE_PAGE_OFFSET_L5     0xff11000000000000ull
#define KCORE_NO_PADDR           (~0ull)

struct kcore_layout {
	bool have_text;
	uint64_t text_vaddr, text_paddr, text_size;   /* text_paddr KCORE_NO_PADDR if not given */
	bool have_page_offset;
	uint64_t page_offset;                         /* vaddr - paddr of a RAM PT_LOAD */
};

/* From the first len bytes of a kcore (ELF header + program headers). */
int kcore_parse_layout(const uint8_t *buf, size_t len, const char *where, struct kcore_layout *out,
		       struct kx_err *err);

/* Read /proc/kcore's headers through the sysroot. -ENOENT, -EACCES, -EPERM
 * as open() says (not recorded in err: "not readable" is an expected
 * outcome); a malformed file is -EINVAL with the field named. */
int kcore_read_layout(const struct sysroot *sr, struct kcore_layout *out, struct kx_err *err);

#endif
