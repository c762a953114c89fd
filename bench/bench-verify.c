/* bench-verify - time esd_rules_run on a synthetic 10,000-descriptor map
 * (the O(n log n) target of the rule engine: well under 50 ms).
 * usage: bench-verify [N-DESCRIPTORS] [RUNS]; prints the median. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "esd.h"

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 10000, runs = argc > 2 ? strtoul(argv[2], NULL, 0) : 21, i;
	struct esd_system sys;
	struct esd_handoff h;
	struct efi_desc *d = calloc(n, sizeof(*d));
	double *t = calloc(runs, sizeof(*t));

	if (!d || !t || !n || !runs)
		return 2;
	memset(&sys, 0, sizeof(sys));
	memset(&h, 0, sizeof(h));
	for (i = 0; i < n; i++) {
		d[i].type = i % 2 ? EFI_RUNTIME_SERVICES_DATA : EFI_RUNTIME_SERVICES_CODE;
		d[i].phys_addr = 0x100000000ull + i * 0x3000;
		d[i].virt_addr = EFI_VA_END + i * 0x3000;
		d[i].num_pages = 2;
		d[i].attribute = EFI_MEMORY_RUNTIME | EFI_MEMORY_WB;
	}
	/* a running system whose runtime map is this map */
	sys.efi.present = true;
	sys.efi.have_map = true;
	sys.efi.map.desc = d;
	sys.efi.map.n = n;
	sys.efi.have_platform_size = true;
	sys.efi.fw_platform_size = 64;
	sys.bp.present = true;
	sys.bp.data_len = BP_SIZE;
	put_le32(sys.bp.data + EI_LOADER_SIGNATURE, EFI64_LOADER_SIGNATURE);
	put_le32(sys.bp.data + EI_MEMMAP_SIZE, 48);
	put_le32(sys.bp.data + EI_MEMDESC_VERSION, 1);
	put_le32(sys.bp.data + EI_SYSTAB, (uint32_t)d[1].phys_addr);
	put_le32(sys.bp.data + EI_SYSTAB_HI, (uint32_t)(d[1].phys_addr >> 32));
	h.info.loader_signature = EFI64_LOADER_SIGNATURE;
	h.info.systab = (uint32_t)d[1].phys_addr;
	h.info.systab_hi = (uint32_t)(d[1].phys_addr >> 32);
	h.info.memdesc_size = 40;
	h.info.memdesc_version = 1;
	h.info.memmap_size = (uint32_t)(n * 40);
	h.setup.fw_vendor = h.setup.tables = h.setup.runtime = d[3].phys_addr + 0x18;
	h.desc = d;
	h.n = n;
	for (i = 0; i < runs; i++) {
		struct esd_rule_ctx c = { &sys, NULL, &h, NULL };
		struct esd_findings f;
		struct kx_err e = { 0 };
		double t0 = now_ms();

		if (esd_rules_run(&c, &f, &e) < 0)
			return 1;
		t[i] = now_ms() - t0;
		if (i == 0) {
			printf("findings: %zu fatal, %zu warnings\n", f.n_fatal, f.n_warn);
			for (size_t k = 0; k < f.n; k++)
				printf("  %s %s: %s\n", f.f[k].id, f.f[k].where, f.f[k].msg);
		}
		esd_findings_free(&f);
	}
	qsort(t, runs, sizeof(*t), cmp_d);
	printf("verify of %zu descriptors: median %.3f ms (min %.3f, max %.3f, %zu runs)\n", n, t[runs / 2], t[0],
	       t[runs - 1], runs);
	free(d);
	free(t);
	return 0;
}
