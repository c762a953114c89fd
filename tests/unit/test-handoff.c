/* test-handoff.c - esd_handoff_build -> serialize -> decode -> compare, on
 * the real OVMF capture (spec 1.2, 3.1, 3.3) and on the kexec'ed kernel
 * whose /sys/firmware/efi/runtime is a VA (spec 6.1 caveat, 8.3.4). */
#include <errno.h>

#include "esd.h"
#include "esd-tree.h"
#include "test.h"

static struct esd_system sys;

static void build(const char *root, struct esd_handoff *h, int want)
{
	struct kx_err err;
	int r;

	kx_err_clear(&err);
	CHECK(esd_system_read(root, &sys, &err) == 0);
	kx_err_clear(&err);
	r = esd_handoff_build(&sys, h, &err);
	CHECK(r == want);
	if (r != want)
		printf("# handoff_build: %d %s: %s\n", r, err.where, err.msg);
}

TEST(handoff_fixture_roundtrip)
{
	struct esd_handoff h;
	struct efi_info ei;
	struct efi_setup_payload p;
	struct runtime_map back;
	struct kx_err err;
	uint8_t info[EFI_INFO_SIZE], node[SETUP_EFI_NODE_SIZE], *mm;
	size_t i;
	int n;

	build(fixture("ovmf-q35-linux6.1"), &h, 0);
	CHECK_EQ_U64(h.n, 105);
	CHECK_EQ_U64(h.info.loader_signature, EFI64_LOADER_SIGNATURE);
	CHECK_EQ_U64(h.info.systab, 0x3f5eb018);
	CHECK_EQ_U64(h.info.systab_hi, 0);
	CHECK_EQ_U64(h.info.memdesc_size, 40);
	CHECK_EQ_U64(h.info.memdesc_version, 1);
	CHECK_EQ_U64(h.info.memmap_size, 105 * 40);
	CHECK_EQ_U64(h.info.memmap, 0);
	CHECK_EQ_U64(h.setup.fw_vendor, 0x3f52aa18);
	CHECK_EQ_U64(h.setup.runtime, 0x3f5ebb98);
	CHECK_EQ_U64(h.setup.tables, 0x3f5ebc98);
	CHECK_EQ_U64(h.setup.smbios, 0x3f520000);

	esd_handoff_set_memmap_addr(&h, 0x123456000ull);
	CHECK_EQ_U64(h.info.memmap, 0x23456000);
	CHECK_EQ_U64(h.info.memmap_hi, 0x1);

	/* efi_info: bytes land at the boot_params offsets of spec 1.2 */
	esd_efi_info_serialize(&h.info, info);
	CHECK(memcmp(info, "EL64", 4) == 0);
	CHECK_EQ_U64(get_le32(info + (EI_MEMDESC_SIZE - BP_EFI_INFO)), 40);
	CHECK_EQ_U64(get_le32(info + (EI_MEMMAP_HI - BP_EFI_INFO)), 1);
	esd_efi_info_decode(info, &ei);
	CHECK(memcmp(&ei, &h.info, sizeof(ei)) == 0);

	/* SETUP_EFI node: header next/type/len, payload back */
	esd_setup_efi_serialize(&h.setup, 0xabc000, node);
	CHECK_EQ_U64(get_le64(node), 0xabc000);
	CHECK_EQ_U64(get_le32(node + 8), SETUP_EFI);
	CHECK_EQ_U64(get_le32(node + 12), 96);
	kx_err_clear(&err);
	CHECK(esd_setup_efi_decode(node + 16, 96, &p, &err) == 0);
	CHECK(memcmp(&p, &h.setup, sizeof(p)) == 0);
	CHECK(esd_setup_efi_decode(node + 16, 95, &p, &err) == -EINVAL);

	/* descriptor array: 105 x 40, decoded back identical, in index order */
	mm = malloc(h.n * 40);
	n = esd_memmap_serialize(h.desc, h.n, mm, h.n * 40);
	CHECK(n == (int)(h.n * 40));
	CHECK(esd_memmap_serialize(h.desc, h.n, mm, h.n * 40 - 1) == -ENOSPC);
	CHECK_EQ_U64(get_le64(mm + 0x08), 0xffc00000);                 /* desc 0 phys */
	CHECK_EQ_U64(get_le64(mm + 104 * 40 + 0x10), 0xfffffffefb887000ull); /* desc 104 virt */
	kx_err_clear(&err);
	CHECK(esd_memmap_decode(mm, (size_t)n, h.info.memdesc_size, h.info.memdesc_version, &back,
				&err) == 0);
	CHECK_EQ_U64(back.n, h.n);
	for (i = 0; i < back.n && i < h.n; i++)
		if (memcmp(&back.desc[i], &h.desc[i], sizeof(back.desc[i])) != 0)
			break;
	CHECK_EQ_U64(i, h.n);
	/* ... and equal to what sysfs said, in sysfs index order */
	CHECK(memcmp(h.desc, sys.efi.map.desc, h.n * sizeof(*h.desc)) == 0);
	esd_runtime_map_free(&back);
	free(mm);
	esd_handoff_free(&h);
	esd_system_free(&sys);
}

/* The running kernel's own map (firmware stride 48) decodes to 127 descs. */
TEST(memmap_decode_stride_and_version)
{
	static uint8_t buf[3 * 48];
	struct runtime_map m;
	struct kx_err err;

	memset(buf, 0, sizeof(buf));
	put_le32(buf + 48, 6);
	put_le64(buf + 48 + 8, 0x3000);
	put_le64(buf + 96 + 0x20, EFI_MEMORY_RUNTIME);
	kx_err_clear(&err);
	CHECK(esd_memmap_decode(buf, sizeof(buf) - 7, 48, 1, &m, &err) == 0);
	CHECK_EQ_U64(m.n, 2);   /* remainder ignored */
	CHECK_EQ_U64(m.desc[1].type, 6);
	CHECK_EQ_U64(m.desc[1].phys_addr, 0x3000);
	esd_runtime_map_free(&m);
	CHECK(esd_memmap_decode(buf, sizeof(buf), 48, 1, &m, &err) == 0);
	CHECK_EQ_U64(m.desc[2].attribute, EFI_MEMORY_RUNTIME);
	esd_runtime_map_free(&m);

	kx_err_clear(&err);
	CHECK(esd_memmap_decode(buf, sizeof(buf), 48, 2, &m, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "efi_memdesc_version: 2");
	kx_err_clear(&err);
	CHECK(esd_memmap_decode(buf, sizeof(buf), 32, 1, &m, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "efi_memdesc_size: 32");
	CHECK(m.desc == NULL && m.n == 0);
}

/* after kexec -l: runtime shows the VA 0xfffffffeff1ebb98; descriptor 8
 * (RuntimeServicesData, virt 0xfffffffeff0ec000 -> phys 0x3f4ec000) holds
 * it, giving the physical value the first kernel had: 0x3f5ebb98. The node
 * we build must equal the SETUP_EFI kexec-tools passed (decoded.json). */
TEST(handoff_after_kexec_va_runtime)
{
	struct esd_handoff h;
	struct efi_setup_payload passed;
	struct kx_err err;
	const struct setup_data_node *efi_node = NULL;
	size_t i;

	build(fixture("ovmf-q35-linux6.1-after-kexec-load"), &h, 0);
	CHECK_EQ_U64(sys.efi.runtime, 0xfffffffeff1ebb98ull);
	CHECK_EQ_U64(h.setup.runtime, 0x3f5ebb98);
	CHECK_EQ_U64(h.n, 105);
	for (i = 0; i < sys.bp.chain.n; i++)
		if (sys.bp.chain.node[i].type == SETUP_EFI)
			efi_node = &sys.bp.chain.node[i];
	CHECK(efi_node != NULL);
	if (efi_node) {
		kx_err_clear(&err);
		CHECK(esd_setup_efi_decode(efi_node->data, efi_node->len, &passed, &err) == 0);
		CHECK(memcmp(&passed, &h.setup, sizeof(passed)) == 0);
	}
	esd_handoff_free(&h);
	esd_system_free(&sys);
}

TEST(handoff_va_not_covered)
{
	char *t = tree_copy_fixture("ovmf-q35-linux6.1-after-kexec-load");
	struct esd_handoff h;
	struct kx_err err;

	tree_puts(t, "sys/firmware/efi/runtime", "0xffffffffaaaa0000\n");
	build(t, &h, -EINVAL);
	kx_err_clear(&err);
	CHECK(esd_handoff_build(&sys, &h, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.where, "sys/firmware/efi/runtime");
	CHECK_STR_CONTAINS(err.msg, "0xffffffffaaaa0000");
	esd_system_free(&sys);
	tree_free(t);
}

TEST(handoff_missing_parts)
{
	char *t = tree_copy_fixture("ovmf-q35-linux6.1");
	struct esd_handoff h;
	struct kx_err err;

	/* no SMBIOS= line, no fw_vendor: zeros for the rules to judge */
	tree_puts(t, "sys/firmware/efi/systab", "ACPI20=0x3f77d014\n");
	tree_rm(t, "sys/firmware/efi/fw_vendor");
	build(t, &h, 0);
	CHECK_EQ_U64(h.setup.smbios, 0);
	CHECK_EQ_U64(h.setup.fw_vendor, 0);
	CHECK_EQ_U64(h.setup.tables, 0x3f5ebc98);
	esd_handoff_free(&h);
	esd_system_free(&sys);

	/* garbage in the runtime map: the build refuses with the reader's error */
	tree_puts(t, "sys/firmware/efi/runtime-map/7/num_pages", "0x1g\n");
	build(t, &h, -EINVAL);
	kx_err_clear(&err);
	esd_handoff_build(&sys, &h, &err);
	CHECK_STR_CONTAINS(err.where, "runtime-map/7/num_pages");
	esd_system_free(&sys);
	tree_free(t);

	/* not an EFI boot */
	t = tree_new();
	build(t, &h, -ENODEV);
	esd_system_free(&sys);
	tree_free(t);
}

TEST_MAIN
