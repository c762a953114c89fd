/* test-setup-data-walk.c - setup_data chains in a memory image (spec 2):
 * the freestanding walker and esd_setup_data_walk, with every way a chain
 * can be broken; plus the type names. */
#include <errno.h>

#include "esd.h"
#include "esd-tree.h"
#include "setup-data-walk.h"
#include "test.h"

/* A fake physical memory: [BASE, BASE + sizeof(mem)). */
#define BASE 0x100000ull
static uint8_t mem[8192];

static int mem_read(void *ctx, uint64_t phys, void *buf, size_t len)
{
	(void)ctx;
	if (phys < BASE || phys - BASE > sizeof(mem) || len > sizeof(mem) - (phys - BASE))
		return -EFAULT;
	memcpy(buf, mem + (phys - BASE), len);
	return 0;
}

static void node(uint64_t at, uint64_t next, uint32_t type, uint32_t len)
{
	uint8_t *p = mem + (at - BASE);

	put_le64(p, next);
	put_le32(p + 8, type);
	put_le32(p + 12, len);
}

static int walk(uint64_t head, size_t max, struct setup_data_chain *c, struct kx_err *err)
{
	kx_err_clear(err);
	return esd_setup_data_walk(head, mem_read, NULL, max, c, err);
}

TEST(walk_good_chain_with_indirect)
{
	struct setup_data_chain c;
	struct kx_err err;
	uint8_t *ind;

	memset(mem, 0, sizeof(mem));
	node(BASE + 0x000, BASE + 0x100, SETUP_RNG_SEED, 32);
	memset(mem + 0x10, 0xab, 32);
	node(BASE + 0x100, BASE + 0x200, SETUP_INDIRECT, SETUP_INDIRECT_PAYLOAD);
	ind = mem + 0x110;
	put_le32(ind, SETUP_INDIRECT | SETUP_E820_EXT);
	put_le32(ind + 4, 0);
	put_le64(ind + 8, 40);
	put_le64(ind + 16, BASE + 0x1000);
	memset(mem + 0x1000, 0x5a, 40);
	node(BASE + 0x200, 0, SETUP_EFI, 96);

	CHECK(walk(BASE, 16, &c, &err) == 0);
	CHECK_EQ_U64(c.n, 3);
	if (c.n == 3) {
		CHECK_EQ_U64(c.node[0].type, SETUP_RNG_SEED);
		CHECK_EQ_U64(c.node[0].len, 32);
		CHECK(c.node[0].data[31] == 0xab);
		CHECK(c.node[1].indirect);
		CHECK_EQ_U64(c.node[1].type, SETUP_INDIRECT | SETUP_E820_EXT);
		CHECK_EQ_U64(c.node[1].indirect_addr, BASE + 0x1000);
		CHECK_EQ_U64(c.node[1].hdr_len, 24);
		CHECK_EQ_U64(c.node[1].len, 40);
		CHECK(c.node[1].data[39] == 0x5a);
		CHECK_EQ_U64(c.node[2].addr, BASE + 0x200);
		CHECK_EQ_U64(c.node[2].next, 0);
		CHECK_EQ_U64(c.node[2].type, SETUP_EFI);
	}
	esd_setup_data_chain_free(&c);
	CHECK(c.n == 0 && c.node == NULL);
	CHECK(walk(0, 16, &c, &err) == 0 && c.n == 0);
}

TEST(walk_cycle)
{
	struct setup_data_chain c;
	struct kx_err err;

	memset(mem, 0, sizeof(mem));
	node(BASE + 0x000, BASE + 0x100, SETUP_RNG_SEED, 0);
	node(BASE + 0x100, BASE + 0x200, SETUP_EFI, 96);
	node(BASE + 0x200, BASE + 0x100, SETUP_IMA, 16);   /* back to node 1 */
	CHECK(walk(BASE, 64, &c, &err) == -ELOOP);
	CHECK_STR_CONTAINS(err.msg, "node 3 at 0x100100");
	CHECK_STR_CONTAINS(err.msg, "cycle");
	CHECK(c.n == 0 && c.node == NULL);
	/* self loop */
	node(BASE, BASE, SETUP_EFI, 96);
	CHECK(walk(BASE, 64, &c, &err) == -ELOOP);
	CHECK_STR_CONTAINS(err.msg, "node 1 at 0x100000");
}

TEST(walk_cycle_without_seen_array_ends)
{
	struct sdw_result r;

	memset(mem, 0, sizeof(mem));
	node(BASE, BASE + 0x100, SETUP_EFI, 96);
	node(BASE + 0x100, BASE, SETUP_EFI, 96);
	CHECK(sdw_walk(BASE, mem_read, NULL, NULL, NULL, NULL, 1000, &r) < 0);
	CHECK(r.error == SDW_TOO_MANY);
	CHECK_EQ_U64(r.index, 1000);
	CHECK_EQ_U64(r.n, 1000);
}

TEST(walk_too_many)
{
	struct setup_data_chain c;
	struct kx_err err;
	unsigned i;

	memset(mem, 0, sizeof(mem));
	for (i = 0; i < 10; i++)
		node(BASE + i * 0x20, i < 9 ? BASE + (i + 1) * 0x20 : 0, SETUP_NONE, 0);
	CHECK(walk(BASE, 10, &c, &err) == 0 && c.n == 10);
	esd_setup_data_chain_free(&c);
	CHECK(walk(BASE, 9, &c, &err) == -E2BIG);
	CHECK_STR_CONTAINS(err.msg, "node 9 at 0x100120");
	CHECK_STR_CONTAINS(err.msg, "more than 9 nodes");
}

TEST(walk_outside_image)
{
	struct setup_data_chain c;
	struct kx_err err;

	memset(mem, 0, sizeof(mem));
	/* next points nowhere */
	node(BASE, 0x7000000, SETUP_EFI, 96);
	CHECK(walk(BASE, 16, &c, &err) == -EFAULT);
	CHECK_STR_CONTAINS(err.msg, "node 1 at 0x7000000: header outside the image");
	/* len past the end of the image */
	node(BASE, BASE + sizeof(mem) - 32, SETUP_EFI, 96);
	node(BASE + sizeof(mem) - 32, 0, SETUP_DTB, 17);
	CHECK(walk(BASE, 16, &c, &err) == -EFAULT);
	CHECK_STR_CONTAINS(err.msg, "node 1 at 0x101fe0: payload at 0x101ff0");
	/* exactly to the end is fine */
	node(BASE + sizeof(mem) - 32, 0, SETUP_DTB, 16);
	CHECK(walk(BASE, 16, &c, &err) == 0 && c.n == 2);
	esd_setup_data_chain_free(&c);
	/* header straddling the end */
	node(BASE, BASE + sizeof(mem) - 8, SETUP_EFI, 96);
	CHECK(walk(BASE, 16, &c, &err) == -EFAULT);
	/* len wrapping 2^64 */
	node(BASE, 0xfffffffffffffff8ull, SETUP_EFI, 96);
	CHECK(walk(BASE, 16, &c, &err) == -EOVERFLOW);
	CHECK_STR_CONTAINS(err.msg, "node 1");
}

TEST(walk_bad_indirect)
{
	struct setup_data_chain c;
	struct kx_err err;
	uint8_t *ind = mem + 0x10;

	memset(mem, 0, sizeof(mem));
	node(BASE, 0, SETUP_INDIRECT, 16);
	CHECK(walk(BASE, 16, &c, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "node 0 at 0x100000: malformed SETUP_INDIRECT node, len 0x10");

	node(BASE, 0, SETUP_INDIRECT, 24);
	put_le32(ind, SETUP_EFI);            /* inner type without bit 31 */
	CHECK(walk(BASE, 16, &c, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "type 0x4");
	put_le32(ind, SETUP_INDIRECT);       /* SETUP_INDIRECT|SETUP_NONE: ambiguous */
	CHECK(walk(BASE, 16, &c, &err) == -EINVAL);
	put_le32(ind, SETUP_INDIRECT | SETUP_DTB);
	put_le32(ind + 4, 7);
	CHECK(walk(BASE, 16, &c, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "reserved 0x7");
	put_le32(ind + 4, 0);
	put_le64(ind + 8, 0x100);
	put_le64(ind + 16, 0x9000000);       /* target outside the image */
	CHECK(walk(BASE, 16, &c, &err) == -EFAULT);
	CHECK_STR_CONTAINS(err.msg, "payload at 0x9000000");
	put_le64(ind + 16, BASE + 0x800);
	CHECK(walk(BASE, 16, &c, &err) == 0 && c.n == 1);
	esd_setup_data_chain_free(&c);
}

/* The node callback sees every node and can stop the walk. */
struct count { int seen, stop_at; };
static int count_cb(void *ctx, const struct sdw_node *n)
{
	struct count *c = ctx;

	c->seen++;
	return (int)n->index == c->stop_at ? 42 : 0;
}

TEST(walk_callback)
{
	struct sdw_result r;
	struct count cnt = { 0, -1 };
	uint64_t seen[8];

	memset(mem, 0, sizeof(mem));
	node(BASE, BASE + 0x40, SETUP_PCI, 8);
	node(BASE + 0x40, BASE + 0x80, SETUP_JAILHOUSE, 8);
	node(BASE + 0x80, 0, SETUP_CC_BLOB, 8);
	CHECK(sdw_walk(BASE, mem_read, NULL, count_cb, &cnt, seen, 8, &r) == 0);
	CHECK(cnt.seen == 3 && r.n == 3 && r.error == SDW_OK);
	cnt.seen = 0;
	cnt.stop_at = 1;
	CHECK(sdw_walk(BASE, mem_read, NULL, count_cb, &cnt, seen, 8, &r) == 42);
	CHECK(cnt.seen == 2 && r.error == SDW_CALLBACK && r.index == 1);
	CHECK(strcmp(sdw_error_name(SDW_CYCLE), "cycle") == 0);
}

TEST(setup_data_type_names)
{
	static const char *const want[] = {
		"SETUP_NONE", "SETUP_E820_EXT", "SETUP_DTB", "SETUP_PCI", "SETUP_EFI",
		"SETUP_APPLE_PROPERTIES", "SETUP_JAILHOUSE", "SETUP_CC_BLOB", "SETUP_IMA",
		"SETUP_RNG_SEED", "SETUP_KEXEC_KHO",
	};
	uint32_t t;

	for (t = 0; t <= SETUP_ENUM_MAX; t++)
		CHECK(strcmp(esd_setup_data_type_name(t), want[t]) == 0);
	CHECK(strcmp(esd_setup_data_type_name(SETUP_INDIRECT), "SETUP_INDIRECT") == 0);
	CHECK(strcmp(esd_setup_data_type_name(SETUP_INDIRECT | SETUP_E820_EXT),
		     "SETUP_INDIRECT|SETUP_E820_EXT") == 0);
	CHECK(strcmp(esd_setup_data_type_name(11), "unknown") == 0);
	CHECK(strcmp(esd_setup_data_type_name(SETUP_INDIRECT | 99), "SETUP_INDIRECT|unknown") == 0);
}

TEST(efi_names)
{
	char buf[128];

	CHECK(strcmp(esd_efi_type_name(EFI_RUNTIME_SERVICES_CODE), "RuntimeServicesCode") == 0);
	CHECK(strcmp(esd_efi_type_name(EFI_MEMORY_MAPPED_IO), "MemoryMappedIO") == 0);
	CHECK(strcmp(esd_efi_type_name(EFI_UNACCEPTED_MEMORY), "UnacceptedMemory") == 0);
	CHECK(strcmp(esd_efi_type_name(16), "Unknown") == 0);
	CHECK(strcmp(esd_efi_attr_str(0x800000000000000full, buf, sizeof(buf)),
		     "UC|WC|WT|WB|RUNTIME") == 0);
	CHECK(strcmp(esd_efi_attr_str(EFI_MEMORY_WB | 0x100, buf, sizeof(buf)), "WB|0x100") == 0);
	CHECK(strcmp(esd_efi_attr_str(0, buf, sizeof(buf)), "0") == 0);
	CHECK(strlen(esd_efi_attr_str(~0ull, buf, 8)) == 7);   /* truncated, terminated */
}

TEST_MAIN
