/* checks.c - digest verification, the EFI pre-jump check, and the fallback
 * to a boot without EFI. Freestanding; see checks.h. */
#include "bootproto.h"
#include "checks.h"
#include "crc32.h"
#include "setup-data-walk.h"
#include "digest.h"

_Static_assert(sizeof(struct purgatory_params) == PURGATORY_PARAMS_SIZE, "params size");
_Static_assert(__builtin_offsetof(struct purgatory_params, entry_rip) == PP_ENTRY_RIP, "entry_rip");
_Static_assert(__builtin_offsetof(struct purgatory_params, entry_rsi) == PP_ENTRY_RSI, "entry_rsi");
_Static_assert(PURG_DIGEST_SHA256 == KX_DIGEST_SHA256 && PURG_DIGEST_MIX64 == KX_DIGEST_MIX64, "digest ids");

/* Largest table header we copy to recompute its CRC; real ones are < 0x100. */
#define HDR_COPY_MAX 512u

void purg_copy(void *dst, const void *src, size_t n)
{
	uint8_t *d = (uint8_t *)dst;
	const uint8_t *s = (const uint8_t *)src;

	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
}

void purg_fill(void *dst, int c, size_t n)
{
	uint8_t *d = (uint8_t *)dst;

	while (n--)
		*d++ = (uint8_t)c;
}

static void *mem_at(const struct purg_mem *m, uint64_t phys, uint64_t len)
{
	if (phys < m->lo || len > m->hi - m->lo || phys - m->lo > m->hi - m->lo - len)
		return (void *)0;
	return (void *)(uintptr_t)(phys + m->offset);
}

static int mem_read(void *ctx, uint64_t phys, void *buf, size_t len)
{
	const void *p = mem_at((const struct purg_mem *)ctx, phys, len);

	if (!p)
		return -1;
	purg_copy(buf, p, len);
	return 0;
}

static void out_str(const struct purg_out *o, const char *s)
{
	if (!o || !o->putc)
		return;
	while (*s)
		o->putc(o->ctx, *s++);
}

static void out_hex(const struct purg_out *o, const uint8_t *d, size_t n)
{
	static const char x[] = "0123456789abcdef";
	size_t i;

	if (!o || !o->putc)
		return;
	for (i = 0; i < n; i++) {
		o->putc(o->ctx, x[d[i] >> 4]);
		o->putc(o->ctx, x[d[i] & 15]);
	}
}

int purg_verify_digest(const struct purgatory_params *pp, const struct purg_mem *m,
		       uint8_t out[32], const char **name)
{
	struct kx_digest_ctx c;
	uint32_t i, diff = 0;

	purg_fill(out, 0, 32);
	if (name)
		*name = "?";
	if (kx_digest_init(&c, pp->digest_algo, m->simd_ok) != 0)
		return -3;
	if (name)
		*name = kx_digest_name(&c);
	for (i = 0; i < pp->nregions && i < PURGATORY_MAX_REGIONS; i++) {
		const void *p = pp->region[i].len ? mem_at(m, pp->region[i].start, pp->region[i].len) : (const void *)0;

		if (pp->region[i].len && !p)
			return -2;
		if (p)
			kx_digest_update(&c, p, (size_t)pp->region[i].len);
	}
	kx_digest_final(&c, out);
	for (i = 0; i < 32; i++)
		diff |= (uint32_t)(out[i] ^ pp->digest[i]);
	return diff ? -1 : 0;
}

/* An EFI table header {u64 signature, u32 revision, u32 header_size,
 * u32 crc32, u32 reserved}: signature, size bounds and the CRC-32 of
 * header_size bytes with the crc32 field taken as zero (UEFI 4.2). */
static const char *check_table(const struct purg_mem *m, uint64_t phys, uint64_t sig,
			       uint32_t min_size, const char *bad_sig, const char *bad_size,
			       const char *bad_crc, int test_corrupt)
{
	uint8_t hdr[HDR_COPY_MAX];
	uint32_t size, crc;

	if (mem_read((void *)m, phys, hdr, 24) < 0)
		return bad_sig;
	if (test_corrupt)
		hdr[0] ^= 0xFF;
	if (get_le64(hdr) != sig)
		return bad_sig;
	size = get_le32(hdr + 12);
	if (size < min_size || size > HDR_COPY_MAX)
		return bad_size;
	if (mem_read((void *)m, phys, hdr, size) < 0)
		return bad_size;
	crc = get_le32(hdr + 16);
	put_le32(hdr + 16, 0);
	if (kx_crc32(hdr, size) != crc)
		return bad_crc;
	return (const char *)0;
}

struct find_node {
	uint64_t target;
	int found;
};

static int find_node_cb(void *ctx, const struct sdw_node *n)
{
	struct find_node *f = (struct find_node *)ctx;

	if (n->addr == f->target && n->type == SETUP_EFI)
		f->found = 1;
	return 0;
}

#define CHAIN_MAX 64u

const char *purg_efi_check(const struct purgatory_params *pp, const struct purg_mem *m)
{
	uint8_t rev[4];
	uint64_t seen[CHAIN_MAX];
	struct sdw_result res;
	struct find_node f = { pp->setup_efi_node, 0 };
	const uint8_t *bp;
	const char *why;
	int test_corrupt = 0;

#ifdef ENABLE_TEST_CORRUPT
	test_corrupt = (pp->flags & PURG_F_TEST_CORRUPT) != 0;
#endif
	why = check_table(m, pp->efi_systab, EFI_SYSTEM_TABLE_SIGNATURE, EFI_SYSTAB_SIZE64,
			  test_corrupt ? "test-corrupt" : "systab-signature", "systab-header-size",
			  "systab-crc", test_corrupt);
	if (why)
		return why;
	/* Revision (major << 16 | minor): UEFI 1.x and 2.x exist. */
	if (mem_read((void *)m, pp->efi_systab + 8, rev, 4) < 0)
		return "systab-revision";
	if ((get_le32(rev) >> 16) < 1 || (get_le32(rev) >> 16) > 2)
		return "systab-revision";
	if (pp->efi_runtime) {
		why = check_table(m, pp->efi_runtime, EFI_RUNTIME_SERVICES_SIGNATURE, 24,
				  "runtime-signature", "runtime-header-size", "runtime-crc", 0);
		if (why)
			return why;
	}
	bp = (const uint8_t *)mem_at(m, pp->entry_rsi, BP_SIZE);
	if (!bp)
		return "setup-data-chain";
	if (sdw_walk(get_le64(bp + HDR_SETUP_DATA), mem_read, (void *)m, find_node_cb, &f, seen,
		     CHAIN_MAX, &res) != 0)
		return "setup-data-chain";
	if (!f.found)
		return "setup-efi-unlinked";
	return (const char *)0;
}

struct unlink_ctx {
	const struct purg_mem *m;
	uint64_t target, prev;     /* prev: header address of the node before target, 0 = head */
	uint64_t last;
	int done;
};

static int unlink_cb(void *ctx, const struct sdw_node *n)
{
	struct unlink_ctx *u = (struct unlink_ctx *)ctx;

	if (n->addr == u->target && !u->done) {
		u->prev = u->last;
		u->done = 1;
	}
	u->last = n->addr;
	return 0;
}

void purg_efi_drop(const struct purgatory_params *pp, const struct purg_mem *m, const char *reason)
{
	uint8_t *bp = (uint8_t *)mem_at(m, pp->entry_rsi, BP_SIZE);
	uint64_t seen[CHAIN_MAX];
	struct sdw_result res;
	struct unlink_ctx u = { m, pp->setup_efi_node, 0, 0, 0 };
	uint8_t *node;

	(void)reason;
	if (!bp)
		return;
	purg_fill(bp + BP_EFI_INFO, 0, EFI_INFO_SIZE);
	if (sdw_walk(get_le64(bp + HDR_SETUP_DATA), mem_read, (void *)m, unlink_cb, &u, seen,
		     CHAIN_MAX, &res) != 0) {
		/* A chain we cannot walk cannot be trusted by the kernel either
		 * (it has no cycle checks): hand over none of it. */
		put_le64(bp + HDR_SETUP_DATA, 0);
		return;
	}
	if (!u.done)
		return;
	node = (uint8_t *)mem_at(m, u.target, SETUP_DATA_HDR_SIZE);
	if (!node)
		return;
	if (u.prev == 0) {
		put_le64(bp + HDR_SETUP_DATA, get_le64(node));
	} else {
		uint8_t *prev = (uint8_t *)mem_at(m, u.prev, SETUP_DATA_HDR_SIZE);

		if (prev)
			put_le64(prev, get_le64(node));
	}
}

void purg_write_mark(const struct purgatory_params *pp, const struct purg_mem *m, const char *text)
{
	uint8_t *p;
	uint32_t i = 0;

	if (!pp->mark_addr || !pp->mark_len)
		return;
	p = (uint8_t *)mem_at(m, pp->mark_addr, pp->mark_len);
	if (!p)
		return;
	/* Keep the leading space that separates the mark from the command line. */
	p[i++] = ' ';
	while (i < pp->mark_len && *text)
		p[i++] = (uint8_t)*text++;
	while (i < pp->mark_len)
		p[i++] = ' ';
}

int purg_run(struct purgatory_params *pp, const struct purg_mem *m, const struct purg_out *o)
{
	uint8_t got[32];
	const char *why, *dname = "?";
	char mark[96];
	const char *prefix = "kexec_efi.purgatory=efi-dropped:";
	size_t i = 0, j;

	out_str(o, "kexec-efi purgatory\r\n");
	if (!(pp->flags & PURG_F_SKIP_CHECKS)) {
		int r = purg_verify_digest(pp, m, got, &dname);

		if (r != 0) {
			if (r == -3) {
				out_str(o, "purgatory: unknown digest algorithm\r\npurgatory: halting\r\n");
				return -1;
			}
			if (r == -2) {
				out_str(o, "purgatory: a segment lies outside memory\r\n");
			} else {
				out_str(o, "purgatory: ");
				out_str(o, dname);
				out_str(o, " mismatch, memory changed since load\r\n");
			}
			out_str(o, "  expected ");
			out_hex(o, pp->digest, 32);
			out_str(o, "\r\n  computed ");
			out_hex(o, got, 32);
			out_str(o, "\r\npurgatory: halting\r\n");
			return -1;
		}
		out_str(o, "purgatory: segments verified (");
		out_str(o, dname);
		out_str(o, ")\r\n");
	}
	if (pp->backup_len) {
		void *dst = mem_at(m, pp->backup_dst, pp->backup_len);
		const void *src = mem_at(m, pp->backup_src, pp->backup_len);

		if (dst && src)
			purg_copy(dst, src, (size_t)pp->backup_len);
	}
	pp->status = PURG_STATUS_OK;
	if (!(pp->flags & PURG_F_EFI_CHECK)) {
		purg_write_mark(pp, m, "kexec_efi.purgatory=ok");
		return 0;
	}
	why = purg_efi_check(pp, m);
	if (!why) {
		out_str(o, "purgatory: EFI tables intact\r\n");
		purg_write_mark(pp, m, "kexec_efi.purgatory=ok");
		return 0;
	}
	purg_efi_drop(pp, m, why);
	pp->status = PURG_STATUS_EFI_DROPPED;
	for (j = 0; prefix[j] && i < sizeof(mark) - 1; j++)
		mark[i++] = prefix[j];
	for (j = 0; why[j] && i < sizeof(mark) - 1; j++)
		mark[i++] = why[j];
	mark[i] = '\0';
	purg_write_mark(pp, m, mark);
	out_str(o, "purgatory: EFI check failed (");
	out_str(o, why);
	out_str(o, "): booting without EFI runtime\r\n");
	return 0;
}
