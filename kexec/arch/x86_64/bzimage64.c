/* bzimage64.c - the kexec_load plan for an x86_64 bzImage (64-bit entry).
 *
 * Where each segment goes (spec 1.5, 8.2.4): the protected-mode kernel at an
 * address aligned to kernel_alignment, at or above pref_address, with
 * init_size bytes reserved so it decompresses in place; the initrd under
 * initrd_addr_max; one "boot_params" segment holding boot_params, the
 * command line, the setup_data nodes and the EFI descriptor array; the
 * purgatory. Everything stays in free RAM that no EFI runtime region
 * touches (NOTES 8.7: a runtime page can be System RAM in /proc/iomem). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootparams.h"
#include "kaslr.h"
#include "load.h"
#include "purgatory-abi.h"
#include "purgatory/purgatory-blob.h"
#include "ranges.h"
#include "digest.h"

#define MIB              (1ull << 20)
#define FOUR_GIB         (1ull << 32)
#define PAGE_ALIGN(x)    (((x) + 4095ull) & ~4095ull)
#define ALIGN16(x)       (((x) + 15u) & ~(size_t)15u)
#define RNG_SEED_LEN     32u
/* Spaces reserved after the command line for purgatory's mark (purgatory-abi.h). */
#define MARK_LEN         PURG_MARK_MIN_LEN

int loader_free_ram(const struct esd_system *sys, struct range_set *out, struct kx_err *err)
{
	struct range_set sysram;
	size_t i;
	int r = 0;

	range_set_init(out);
	if (sys->memmap_rc < 0)
		return kx_errf(err, sys->memmap_rc, sys->memmap_err.where, "%s", sys->memmap_err.msg);
	for (i = 0; i < sys->memmap.n && !r; i++)
		if (sys->memmap.e[i].e820_type == E820_TYPE_RAM && sys->memmap.e[i].end >= sys->memmap.e[i].start)
			r = range_set_add(out, sys->memmap.e[i].start, sys->memmap.e[i].end + 1);
	range_set_normalize(out);
	/* The running kernel's view: RAM it took away (e.g. for itself at
	 * boot) is not System RAM in /proc/iomem. Readers without privilege see
	 * zeros there: only intersect when the addresses are real. */
	if (!r && sys->iomem_rc == 0 && sys->iomem.n) {
		bool real = false;

		range_set_init(&sysram);
		for (i = 0; i < sys->iomem.n && !r; i++) {
			const struct iomem_entry *e = &sys->iomem.e[i];

			if (e->end)
				real = true;
			if (e->depth == 0 && strcmp(e->name, "System RAM") == 0)
				r = range_set_add(&sysram, e->start, e->end + 1);
		}
		range_set_normalize(&sysram);
		if (!r && real && sysram.n)
			r = range_set_intersect(out, &sysram);
		range_set_free(&sysram);
		/* Crash kernel reservations belong to kdump. */
		for (i = 0; i < sys->iomem.n && !r; i++)
			if (strcmp(sys->iomem.e[i].name, "Crash kernel") == 0)
				r = range_set_subtract(out, sys->iomem.e[i].start, sys->iomem.e[i].end + 1);
	}
	if (!r)
		r = range_set_subtract(out, 0, MIB);
	for (i = 0; !r && sys->efi.have_map && i < sys->efi.map.n; i++) {
		const struct efi_desc *d = &sys->efi.map.desc[i];
		uint64_t len = d->num_pages << EFI_PAGE_SHIFT;

		if (d->num_pages && d->num_pages < (1ull << 52) && d->phys_addr + len > d->phys_addr)
			r = range_set_subtract(out, d->phys_addr, d->phys_addr + len);
	}
	if (r)
		return kx_errf(err, r, "memory ranges", "out of memory");
	return 0;
}

/* Place size bytes: below 4 GiB first, anywhere (if allowed) second. */
static int place(struct range_set *free_ram, uint64_t size, uint64_t align, uint64_t min,
		 uint64_t max, bool above_4g_ok, const char *role, uint64_t *addr, struct kx_err *err)
{
	uint64_t lo_max = max < FOUR_GIB - 1 ? max : FOUR_GIB - 1;
	int r = range_set_find(free_ram, size, align, min, lo_max, true, addr);

	if (r == -ENOSPC && above_4g_ok && max > lo_max)
		r = range_set_find(free_ram, size, align, min, max, true, addr);
	if (r < 0)
		return kx_errf(err, r, role, "no free RAM for %llu bytes (alignment 0x%llx, between 0x%llx and 0x%llx) outside EFI runtime regions",
			       (unsigned long long)size, (unsigned long long)align,
			       (unsigned long long)min, (unsigned long long)max);
	return range_set_subtract(free_ram, *addr, *addr + size);
}

static void add_seg(struct plan *p, const void *buf, size_t bufsz, uint64_t mem, uint64_t memsz,
		    const char *role, bool digest)
{
	struct plan_segment *s = &p->seg[p->nseg++];

	s->buf = buf;
	s->bufsz = bufsz;
	s->mem = mem;
	s->memsz = memsz;
	s->role = role;
	s->digest = digest;
}

static void put_node_hdr(uint8_t *n, uint64_t next, uint32_t type, uint32_t len)
{
	put_le64(n, next);
	put_le32(n + 8, type);
	put_le32(n + 12, len);
}

/* The serial console purgatory may talk to. */
static int fill_purgatory(const struct load_request *req, struct plan *p, uint64_t addr,
			  struct kx_err *err)
{
	const struct purgatory_header *h = (const struct purgatory_header *)kx_purgatory_blob;
	struct purgatory_params pp;
	size_t i;

	memset(&pp, 0, sizeof(pp));
	pp.magic = PURGATORY_MAGIC;
	if (req->skip_checks)
		pp.flags |= PURG_F_SKIP_CHECKS;
	if (req->serial_port) {
		pp.flags |= PURG_F_SERIAL;
		pp.serial_port = req->serial_port;
		pp.serial_baud = req->serial_baud ? req->serial_baud : 115200;
	}
	pp.digest_algo = (uint16_t)(req->digest_algo ? req->digest_algo : KX_DIGEST_MIX64);
	if (pp.digest_algo != KX_DIGEST_MIX64 && pp.digest_algo != KX_DIGEST_SHA256)
		return kx_errf(err, -EINVAL, "purgatory", "unknown digest algorithm %d", req->digest_algo);
	for (i = 0; i < p->nseg; i++) {
		if (!p->seg[i].digest || !p->seg[i].bufsz)
			continue;
		if (pp.nregions == PURGATORY_MAX_REGIONS)
			return kx_errf(err, -E2BIG, "purgatory", "more than %d regions to verify", PURGATORY_MAX_REGIONS);
		pp.region[pp.nregions].start = p->seg[i].mem;
		pp.region[pp.nregions].len = p->seg[i].bufsz;
		pp.nregions++;
	}
	pp.entry_rip = p->kernel_load + KERNEL_ENTRY64_OFFSET;
	pp.entry_rsi = p->bp_addr;
	pp.mark_addr = p->cmdline_addr + strlen(req->cmdline);
	pp.mark_len = MARK_LEN + 1;
	if (req->handoff && p->setup_efi_addr) {
		if (req->efi_check)
			pp.flags |= PURG_F_EFI_CHECK;
		pp.efi_systab = (uint64_t)req->handoff->info.systab | ((uint64_t)req->handoff->info.systab_hi << 32);
		pp.efi_runtime = req->handoff->setup.runtime;
		pp.setup_efi_node = p->setup_efi_addr;
	}
	if (req->test_corrupt)
		pp.flags |= PURG_F_TEST_CORRUPT;
	if (req->crash) {
		pp.backup_src = req->crash->backup_src;
		pp.backup_dst = req->crash->backup_dst;
		pp.backup_len = req->crash->backup_len;
	}
	memcpy(p->purg + h->params_offset, &pp, sizeof(pp));
	p->entry = addr + h->entry_offset;
	if (!req->defer_digest)
		bzimage64_seal(p);
	return 0;
}

void bzimage64_seal(struct plan *p)
{
	const struct purgatory_header *h = (const struct purgatory_header *)kx_purgatory_blob;
	struct purgatory_params pp;
	struct kx_digest_ctx c;
	size_t i;

	if (!p->purg)
		return;
	memcpy(&pp, p->purg + h->params_offset, sizeof(pp));
	/* The one pass over the segments' bytes (a mapped initrd is read here,
	 * once); SHA-256 through the SHA extensions when the CPU has them. */
	if (kx_digest_init(&c, pp.digest_algo, 1) != 0)
		return;
	for (i = 0; i < p->nseg; i++)
		if (p->seg[i].digest && p->seg[i].bufsz)
			kx_digest_update(&c, p->seg[i].buf, p->seg[i].bufsz);
	kx_digest_final(&c, pp.digest);
	memcpy(p->purg + h->params_offset, &pp, sizeof(pp));
}

/* kdump: segments only inside the crash reservation; the crash kernel's
 * e820 and the elfcorehdr/backup segments come from the crash plan. */
static int crash_setup(const struct load_request *req, struct plan *p, struct range_set *free_ram,
		       struct kx_err *err)
{
	const struct crash_plan *c = req->crash;
	size_t i;
	int r = 0;

	p->flags |= KEXEC_ON_CRASH;
	p->e820 = calloc(c->ne820 ? c->ne820 : 1, sizeof(*p->e820));
	if (!p->e820)
		return kx_errf(err, -ENOMEM, "e820", "out of memory");
	memcpy(p->e820, c->e820, c->ne820 * sizeof(*p->e820));
	p->ne820 = c->ne820;
	range_set_init(free_ram);
	for (i = 0; i < c->navail && !r; i++)
		r = range_set_add(free_ram, c->avail[i].start, c->avail[i].start + c->avail[i].size);
	range_set_normalize(free_ram);
	for (i = 0; i < c->nseg && p->nseg < KEXEC_SEGMENT_MAX; i++)
		add_seg(p, c->seg[i].buf, c->seg[i].bufsz, c->seg[i].mem, c->seg[i].memsz, c->seg[i].role,
			c->seg[i].bufsz != 0);
	if (r)
		return kx_errf(err, r, "crash kernel", "out of memory");
	return 0;
}

static int check_header(const struct load_request *req, struct kx_err *err)
{
	const struct esd_image *im = req->image;
	const char *n = req->kernel_name;

	if (im->header_magic != HDR_MAGIC)
		return kx_errf(err, -ENOEXEC, n, "not a bzImage: no \"HdrS\" at 0x202");
	if (im->boot_flag != HDR_BOOT_FLAG_MAGIC)
		return kx_errf(err, -ENOEXEC, n, "boot_flag is 0x%04x, expected 0xaa55", im->boot_flag);
	if (im->version < BOOT_PROTO_MIN_64)
		return kx_errf(err, -ENOEXEC, n, "boot protocol %u.%02u is older than 2.12 (no 64-bit entry)",
			       im->version >> 8, im->version & 0xff);
	if (!(im->loadflags & LOADFLAG_LOADED_HIGH))
		return kx_errf(err, -ENOEXEC, n, "loadflags 0x%02x: LOADED_HIGH not set (not a bzImage)", im->loadflags);
	if (!(im->xloadflags & XLF_KERNEL_64))
		return kx_errf(err, -ENOEXEC, n, "xloadflags 0x%04x: no 64-bit entry (XLF_KERNEL_64)", im->xloadflags);
	if (im->setup_size >= req->kernel_len)
		return kx_errf(err, -ENOEXEC, n, "setup_sects %u: setup (%zu bytes) reaches the end of the %zu-byte file",
			       im->setup_sects, im->setup_size, req->kernel_len);
	if (!im->kernel_alignment || (im->kernel_alignment & (im->kernel_alignment - 1)))
		return kx_errf(err, -ENOEXEC, n, "kernel_alignment 0x%x is not a power of two", im->kernel_alignment);
	if (im->init_size == 0)
		return kx_errf(err, -ENOEXEC, n, "init_size is 0");
	return 0;
}

int bzimage64_plan(const struct load_request *req, struct plan *p, struct kx_err *err)
{
	const struct esd_image *im = req->image;
	const struct purgatory_header *ph = (const struct purgatory_header *)kx_purgatory_blob;
	bool above_4g = (im->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G) != 0;
	struct range_set free_ram;
	struct kaslr_cmdline kc;
	uint64_t pm_len, kmemsz, kmin, kaddr, iaddr = 0, bpaddr, paddr, align, initrd_max;
	size_t cmd_len = strlen(req->cmdline), n_ext = 0, off;
	size_t off_cmd, off_rng = 0, off_efi = 0, off_ext = 0, off_map = 0;
	uint64_t head = 0;
	int r;

	memset(p, 0, sizeof(*p));
	p->flags = KEXEC_ARCH_X86_64;
	r = check_header(req, err);
	if (r < 0)
		return r;
	if (cmd_len + 1 + MARK_LEN + 1 > (im->cmdline_size ? im->cmdline_size : 255u) + 1u)
		return kx_errf(err, -E2BIG, "command line", "%zu bytes (+%u reserved for purgatory) exceed the kernel's cmdline_size %u",
			       cmd_len, MARK_LEN + 1, im->cmdline_size);
	if (ph->magic != PURGATORY_MAGIC || ph->params_offset + sizeof(struct purgatory_params) > kx_purgatory_blob_len)
		return kx_errf(err, -EINVAL, "purgatory", "embedded purgatory image is damaged");
	snprintf(p->cmdline, sizeof(p->cmdline), "%s", req->cmdline);

	if (req->crash) {
		r = crash_setup(req, p, &free_ram, err);
		if (r < 0)
			return r;
	} else {
		r = bp_e820_from_memmap(req->sys, &p->e820, &p->ne820, err);
		if (r < 0)
			return r;
		r = loader_free_ram(req->sys, &free_ram, err);
		if (r < 0)
			return r;
	}
	if (req->mem_min || req->mem_max != UINT64_MAX)
		range_set_clip(&free_ram, req->mem_min, req->mem_max == UINT64_MAX ? UINT64_MAX : req->mem_max + 1);
	r = kaslr_parse_cmdline(req->cmdline, &kc);
	if (r < 0) {
		kx_errf(err, r, "command line", "cannot be parsed for mem=/memmap=/crashkernel=");
		goto fail;
	}
	/* Keep every segment off the config-table blobs and out of what the
	 * next command line reserves (spec kaslr-after-kexec.md 7 rule 3). */
	r = kaslr_exclude(&free_ram, req->sys->blobs_rc == 0 ? &req->sys->blobs : NULL, &kc);
	if (r < 0) {
		kx_errf(err, r, "memory ranges", "out of memory");
		goto fail;
	}

	/* Kernel: its run window [load, load + init_size) must be ours (8.2.4). */
	pm_len = req->kernel_len - im->setup_size;
	kmemsz = PAGE_ALIGN(im->init_size > pm_len ? im->init_size : pm_len);
	align = im->kernel_alignment < 4096 ? 4096 : im->kernel_alignment;
	kmin = im->pref_address > MIB ? im->pref_address : MIB;
	p->kaslr = req->kaslr_off ? req->kaslr_off : "off";
	if (req->kaslr_rng && kc.nokaslr)
		p->kaslr = "off (nokaslr on the command line)";
	else if (req->kaslr_rng && kc.off)
		p->kaslr = kc.off;
	else if (req->kaslr_rng && !im->relocatable_kernel)
		p->kaslr = "off (the kernel is not relocatable)";
	else if (req->kaslr_rng && req->sys->efi.present && req->sys->blobs_rc < 0)
		p->kaslr = "off (no efi: config-table line: its blobs cannot be avoided)";
	else if (req->kaslr_rng) {
		/* The decompressor keeps an aligned load address as its output,
		 * so the slot is where the kernel runs (spec 7). */
		r = kaslr_pick(&free_ram, kmemsz, align, kmin, above_4g ? KASLR_MAX_END : FOUR_GIB,
			       req->kaslr_rng, &kaddr, &p->kaslr_index, &p->kaslr_slots);
		if (r == 0) {
			p->kaslr = "random";
			r = range_set_subtract(&free_ram, kaddr, kaddr + kmemsz);
			if (r < 0)
				goto fail;
		} else if (r == -ENOSPC) {
			p->kaslr = "off (no slot for the kernel)";
		} else {
			kx_errf(err, r, "kaslr", "no random number for the kernel slot");
			goto fail;
		}
	}
	if (strcmp(p->kaslr, "random"))
		r = place(&free_ram, kmemsz, align, kmin, UINT64_MAX, above_4g, "kernel", &kaddr, err);
	if (r < 0)
		goto fail;
	p->kernel_load = kaddr;
	add_seg(p, req->kernel + im->setup_size, (size_t)pm_len, kaddr, kmemsz, "kernel", true);

	if (req->initrd) {
		/* Under initrd_addr_max first (spec 1.3); anywhere only when the
		 * kernel says it can take an initrd above 4 GiB and nothing fits. */
		initrd_max = im->initrd_addr_max ? (uint64_t)im->initrd_addr_max : 0x37FFFFFFull;
		r = place(&free_ram, PAGE_ALIGN(req->initrd_len), 4096, MIB, initrd_max, false, "initrd", &iaddr, err);
		if (r == -ENOSPC && above_4g) {
			kx_err_clear(err);
			r = place(&free_ram, PAGE_ALIGN(req->initrd_len), 4096, MIB, UINT64_MAX, true, "initrd", &iaddr, err);
		}
		if (r < 0)
			goto fail;
		add_seg(p, req->initrd, req->initrd_len, iaddr, PAGE_ALIGN(req->initrd_len), "initrd", true);
	}

	/* boot_params segment layout. */
	if (p->ne820 > BP_E820_MAX)
		n_ext = p->ne820 - BP_E820_MAX;
	off_cmd = BP_SIZE;
	off = ALIGN16(off_cmd + cmd_len + 1 + MARK_LEN + 1);
	if (req->rng_seed) {
		off_rng = off;
		off = ALIGN16(off + SETUP_DATA_HDR_SIZE + RNG_SEED_LEN);
	}
	if (n_ext) {
		off_ext = off;
		off = ALIGN16(off + SETUP_DATA_HDR_SIZE + n_ext * E820_ENTRY_SIZE);
	}
	if (req->handoff) {
		off_efi = off;
		off = ALIGN16(off + SETUP_EFI_NODE_SIZE);
		off_map = off;
		off += req->handoff->n * EFI_DESC_SIZE;
	}
	p->bp_seg_len = (size_t)PAGE_ALIGN(off);
	p->bp_seg = calloc(1, p->bp_seg_len);
	if (!p->bp_seg) {
		r = kx_errf(err, -ENOMEM, "boot_params", "out of memory");
		goto fail;
	}
	r = place(&free_ram, p->bp_seg_len, 4096, MIB, FOUR_GIB - 1, false, "boot_params", &bpaddr, err);
	if (r < 0)
		goto fail;
	p->bp_addr = bpaddr;
	p->cmdline_addr = bpaddr + off_cmd;

	r = bp_fill_base(p->bp_seg, req->kernel, req->kernel_len, req->sys, p->e820, p->ne820, &n_ext, err);
	if (r < 0)
		goto fail;
	memcpy(p->bp_seg + off_cmd, req->cmdline, cmd_len);
	p->bp_seg[off_cmd + cmd_len] = ' ';
	memset(p->bp_seg + off_cmd + cmd_len + 1, ' ', MARK_LEN);
	p->bp_seg[off_cmd + cmd_len + 1 + MARK_LEN] = '\0';
	bp_set_cmdline(p->bp_seg, p->cmdline_addr);
	if (req->initrd)
		bp_set_initrd(p->bp_seg, iaddr, req->initrd_len);

	/* setup_data chain, built from the tail: E820_EXT -> RNG -> EFI. */
	if (req->handoff) {
		struct esd_handoff h = *req->handoff;

		p->setup_efi_addr = bpaddr + off_efi;
		p->memmap_addr = bpaddr + off_map;
		esd_handoff_set_memmap_addr(&h, p->memmap_addr);
		esd_efi_info_serialize(&h.info, p->bp_seg + BP_EFI_INFO);
		esd_setup_efi_serialize(&h.setup, head, p->bp_seg + off_efi);
		r = esd_memmap_serialize(h.desc, h.n, p->bp_seg + off_map, p->bp_seg_len - off_map);
		if (r < 0) {
			kx_errf(err, r, "efi_memmap", "descriptor array does not fit");
			goto fail;
		}
		head = p->setup_efi_addr;
	}
	if (req->rng_seed) {
		put_node_hdr(p->bp_seg + off_rng, head, SETUP_RNG_SEED, RNG_SEED_LEN);
		memcpy(p->bp_seg + off_rng + SETUP_DATA_HDR_SIZE, req->rng_seed, RNG_SEED_LEN);
		head = bpaddr + off_rng;
	}
	if (n_ext) {
		size_t i;

		put_node_hdr(p->bp_seg + off_ext, head, SETUP_E820_EXT, (uint32_t)(n_ext * E820_ENTRY_SIZE));
		for (i = 0; i < n_ext; i++) {
			uint8_t *e = p->bp_seg + off_ext + SETUP_DATA_HDR_SIZE + i * E820_ENTRY_SIZE;

			put_le64(e, p->e820[BP_E820_MAX + i].addr);
			put_le64(e + 8, p->e820[BP_E820_MAX + i].size);
			put_le32(e + 16, p->e820[BP_E820_MAX + i].type);
		}
		head = bpaddr + off_ext;
	}
	put_le64(p->bp_seg + HDR_SETUP_DATA, head);
	add_seg(p, p->bp_seg, p->bp_seg_len, bpaddr, p->bp_seg_len, "boot_params", true);

	/* Purgatory last: it carries the digest of everything above. */
	p->purg_len = (size_t)PAGE_ALIGN(ph->image_size > kx_purgatory_blob_len ? ph->image_size : kx_purgatory_blob_len);
	p->purg = calloc(1, p->purg_len);
	if (!p->purg) {
		r = kx_errf(err, -ENOMEM, "purgatory", "out of memory");
		goto fail;
	}
	memcpy(p->purg, kx_purgatory_blob, kx_purgatory_blob_len);
	r = place(&free_ram, p->purg_len, 4096, MIB, FOUR_GIB - 1, false, "purgatory", &paddr, err);
	if (r < 0)
		goto fail;
	r = fill_purgatory(req, p, paddr, err);
	if (r < 0)
		goto fail;
	add_seg(p, p->purg, p->purg_len, paddr, p->purg_len, "purgatory", false);
	p->efi = req->handoff ? EFI_HANDOFF_PASSED : EFI_HANDOFF_DROPPED;
	range_set_free(&free_ram);
	return 0;
fail:
	range_set_free(&free_ram);
	plan_free(p);
	return r;
}
