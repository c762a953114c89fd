/* elfcore.c - write the ELF64 core header, read ELF64 program headers.
 * Field offsets come from <elf.h> (the System V ABI structures); bytes are
 * written little-endian explicitly (bootproto.h accessors). */
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "bootproto.h"
#include "elfcore.h"

_Static_assert(sizeof(Elf64_Ehdr) == ELFCORE_EHDR_SIZE, "Elf64_Ehdr is 64 bytes");
_Static_assert(sizeof(Elf64_Phdr) == ELFCORE_PHDR_SIZE, "Elf64_Phdr is 56 bytes");

#define EH(f) offsetof(Elf64_Ehdr, f)
#define PH(f) offsetof(Elf64_Phdr, f)

size_t elfcore_size(size_t nnote, size_t nload)
{
	return ELFCORE_EHDR_SIZE + (nnote + nload) * ELFCORE_PHDR_SIZE;
}

static void put_phdr(uint8_t *p, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
		     uint64_t paddr, uint64_t size)
{
	memset(p, 0, ELFCORE_PHDR_SIZE);
	put_le32(p + PH(p_type), type);
	put_le32(p + PH(p_flags), flags);
	put_le64(p + PH(p_offset), offset);
	put_le64(p + PH(p_vaddr), vaddr);
	put_le64(p + PH(p_paddr), paddr);
	put_le64(p + PH(p_filesz), size);
	put_le64(p + PH(p_memsz), size);
	put_le64(p + PH(p_align), 0);   /* as the kernel writes it: no alignment claim */
}

int elfcore_build(const struct elfcore_note *note, size_t nnote, const struct elfcore_load *load,
		  size_t nload, uint8_t *out, size_t outlen, struct kx_err *err)
{
	size_t need = elfcore_size(nnote, nload), i;
	uint8_t *p;

	if (nnote + nload >= PN_XNUM)
		return kx_errf(err, -E2BIG, "elfcorehdr", "e_phnum: %zu program headers, the limit is %u",
			       nnote + nload, PN_XNUM - 1);
	if (outlen < need)
		return kx_errf(err, -ENOSPC, "elfcorehdr", "buffer: %zu bytes, %zu needed", outlen, need);
	memset(out, 0, need);
	memcpy(out, ELFMAG, SELFMAG);
	out[EI_CLASS] = ELFCLASS64;
	out[EI_DATA] = ELFDATA2LSB;
	out[EI_VERSION] = EV_CURRENT;
	out[EI_OSABI] = ELFOSABI_NONE;
	put_le16(out + EH(e_type), ET_CORE);
	put_le16(out + EH(e_machine), EM_X86_64);
	put_le32(out + EH(e_version), EV_CURRENT);
	put_le64(out + EH(e_entry), 0);
	put_le64(out + EH(e_phoff), ELFCORE_EHDR_SIZE);
	put_le64(out + EH(e_shoff), 0);
	put_le32(out + EH(e_flags), 0);
	put_le16(out + EH(e_ehsize), ELFCORE_EHDR_SIZE);
	put_le16(out + EH(e_phentsize), ELFCORE_PHDR_SIZE);
	put_le16(out + EH(e_phnum), (uint16_t)(nnote + nload));
	put_le16(out + EH(e_shentsize), 0);
	put_le16(out + EH(e_shnum), 0);
	put_le16(out + EH(e_shstrndx), SHN_UNDEF);

	p = out + ELFCORE_EHDR_SIZE;
	for (i = 0; i < nnote; i++, p += ELFCORE_PHDR_SIZE)
		put_phdr(p, PT_NOTE, 0, note[i].paddr, 0, note[i].paddr, note[i].size);
	for (i = 0; i < nload; i++, p += ELFCORE_PHDR_SIZE)
		put_phdr(p, PT_LOAD, PF_R | PF_W | PF_X, load[i].offset, load[i].vaddr, load[i].paddr,
			 load[i].size);
	return 0;
}

int elf64_parse_ehdr(const uint8_t *buf, size_t len, const char *where, struct elf64_ehdr_view *eh,
		     struct kx_err *err)
{
	if (len < ELFCORE_EHDR_SIZE)
		return kx_errf(err, -EINVAL, where, "ELF header: %zu bytes, 64 needed", len);
	if (memcmp(buf, ELFMAG, SELFMAG) != 0)
		return kx_errf(err, -EINVAL, where, "e_ident: no ELF magic (%02x %02x %02x %02x)",
			       buf[0], buf[1], buf[2], buf[3]);
	if (buf[EI_CLASS] != ELFCLASS64)
		return kx_errf(err, -EINVAL, where, "e_ident[EI_CLASS]: %u, not ELFCLASS64", buf[EI_CLASS]);
	if (buf[EI_DATA] != ELFDATA2LSB)
		return kx_errf(err, -EINVAL, where, "e_ident[EI_DATA]: %u, not little-endian", buf[EI_DATA]);
	memcpy(eh->ident, buf, sizeof(eh->ident));
	eh->type = get_le16(buf + EH(e_type));
	eh->machine = get_le16(buf + EH(e_machine));
	eh->version = get_le32(buf + EH(e_version));
	eh->entry = get_le64(buf + EH(e_entry));
	eh->phoff = get_le64(buf + EH(e_phoff));
	eh->shoff = get_le64(buf + EH(e_shoff));
	eh->flags = get_le32(buf + EH(e_flags));
	eh->ehsize = get_le16(buf + EH(e_ehsize));
	eh->phentsize = get_le16(buf + EH(e_phentsize));
	eh->phnum = get_le16(buf + EH(e_phnum));
	if (eh->version != EV_CURRENT)
		return kx_errf(err, -EINVAL, where, "e_version: %u, not EV_CURRENT", eh->version);
	if (eh->phnum && eh->phentsize != ELFCORE_PHDR_SIZE)
		return kx_errf(err, -EINVAL, where, "e_phentsize: %u, not 56", eh->phentsize);
	return 0;
}

int elf64_parse_phdr(const uint8_t *buf, size_t len, const struct elf64_ehdr_view *eh, size_t i,
		     const char *where, struct elf64_phdr_view *ph, struct kx_err *err)
{
	const uint8_t *p;

	if (i >= eh->phnum || eh->phoff > len ||
	    (len - eh->phoff) / ELFCORE_PHDR_SIZE <= i)
		return kx_errf(err, -EINVAL, where, "program header %zu: outside the %zu bytes read "
			       "(e_phoff 0x%llx, e_phnum %u)", i, len, (unsigned long long)eh->phoff,
			       eh->phnum);
	p = buf + eh->phoff + i * ELFCORE_PHDR_SIZE;
	ph->type = get_le32(p + PH(p_type));
	ph->flags = get_le32(p + PH(p_flags));
	ph->offset = get_le64(p + PH(p_offset));
	ph->vaddr = get_le64(p + PH(p_vaddr));
	ph->paddr = get_le64(p + PH(p_paddr));
	ph->filesz = get_le64(p + PH(p_filesz));
	ph->memsz = get_le64(p + PH(p_memsz));
	ph->align = get_le64(p + PH(p_align));
	return 0;
}
