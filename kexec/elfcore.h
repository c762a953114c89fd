/* elfcore.h - the ELF64 core header ("elfcorehdr") a crash kernel turns into
 * /proc/vmcore, and a small reader of ELF64 program headers (for /proc/kcore
 * and for tests).
 *
 * Layout (what kexec-tools and the kernel's own kexec_file path produce,
 * prior-art 1.9 and 3.1): an Elf64_Ehdr (ET_CORE, EM_X86_64, no sections),
 * then the program headers back to back: one PT_NOTE per CPU, one PT_NOTE
 * for vmcoreinfo, then PT_LOADs. In a PT_NOTE, p_offset and p_paddr are the
 * physical address of the note buffer. In a PT_LOAD, p_offset is the
 * physical address where the bytes are at dump time (the crash kernel's
 * fs/proc/vmcore.c reads from p_offset), p_paddr the address they had in the
 * first kernel, p_vaddr the first kernel's virtual address (0 = none). The
 * two differ only for the low memory that purgatory backs up. */
#ifndef KX_ELFCORE_H
#define KX_ELFCORE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define ELFCORE_EHDR_SIZE 64u
#define ELFCORE_PHDR_SIZE 56u

struct elfcore_note {
	uint64_t paddr, size;
};

struct elfcore_load {
	uint64_t offset;   /* physical address of the bytes at dump time */
	uint64_t paddr;    /* physical address in the first kernel */
	uint64_t vaddr;    /* virtual address in the first kernel, 0 if none */
	uint64_t size;
};

/* Bytes the header takes for that many notes and loads. */
size_t elfcore_size(size_t nnote, size_t nload);

/* Write the header into out (outlen >= elfcore_size()); -ENOSPC otherwise,
 * -E2BIG past 65534 program headers (e_phnum is 16 bits; 0xffff is
 * PN_XNUM). */
int elfcore_build(const struct elfcore_note *note, size_t nnote, const struct elfcore_load *load,
		  size_t nload, uint8_t *out, size_t outlen, struct kx_err *err);

/* One ELF64 program header, as read back. */
struct elf64_phdr_view {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* The fields of an Elf64_Ehdr a reader needs. */
struct elf64_ehdr_view {
	uint16_t type, machine, phentsize, phnum, ehsize;
	uint64_t phoff, shoff, entry;
	uint32_t version, flags;
	uint8_t ident[16];
};

/* Parse a little-endian ELF64 header from buf: -EINVAL naming the field
 * for a bad magic, class, data encoding, version or phentsize. */
int elf64_parse_ehdr(const uint8_t *buf, size_t len, const char *where, struct elf64_ehdr_view *eh,
		     struct kx_err *err);

/* Program header i of a buffer that holds the whole table; -EINVAL if the
 * table runs past len. */
int elf64_parse_phdr(const uint8_t *buf, size_t len, const struct elf64_ehdr_view *eh, size_t i,
		     const char *where, struct elf64_phdr_view *ph, struct kx_err *err);

#endif
