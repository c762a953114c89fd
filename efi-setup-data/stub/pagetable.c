/* pagetable.c - see pagetable.h. FREESTANDING. */
#include "pagetable.h"

#define PT_EINVAL 22
#define PT_ENOMEM 12
#define PT_ENOENT 2

static unsigned shift_of(int level)   /* level 1 = 4 KiB entries */
{
	return 12u + 9u * (unsigned)(level - 1);
}

static uint64_t *table_of(uint64_t e)
{
	return (uint64_t *)(uintptr_t)(e & PTE_ADDR);
}

static uint64_t *alloc_table(struct pt_builder *b)
{
	uint64_t *t;
	size_t i;

	if (b->used >= b->pool_pages)
		return 0;
	t = b->pool[b->used++];
	for (i = 0; i < 512; i++)
		t[i] = 0;
	return t;
}

int pt_init(struct pt_builder *b, void *pool, size_t pages, int levels, bool gib_pages)
{
	if ((levels != 4 && levels != 5) || !pool || !pages || ((uintptr_t)pool & 0xfff))
		return -PT_EINVAL;
	b->pool = pool;
	b->pool_pages = pages;
	b->used = 0;
	b->levels = levels;
	b->gib_pages = gib_pages;
	b->root = alloc_table(b);
	return 0;
}

static bool canonical(const struct pt_builder *b, uint64_t va)
{
	unsigned bits = shift_of(b->levels) + 9;   /* 48 or 57 */
	uint64_t top = va >> (bits - 1);

	return top == 0 || top == (UINT64_MAX >> (bits - 1));
}

/* Replace a large leaf at `level` by a table of the next size down with
 * the same translation, so a smaller mapping can go inside it. */
static int split(struct pt_builder *b, uint64_t *entry, int level)
{
	uint64_t *t = alloc_table(b);
	uint64_t step = 1ull << shift_of(level - 1), base, flags;
	size_t i;

	if (!t)
		return -PT_ENOMEM;
	base = *entry & PTE_ADDR & ~((1ull << shift_of(level)) - 1);
	flags = *entry & 0xfffull & ~PTE_PS;
	for (i = 0; i < 512; i++)
		t[i] = (base + i * step) | flags | (level - 1 > 1 ? PTE_PS : 0);
	*entry = (uint64_t)(uintptr_t)t | PTE_P | PTE_RW;
	return 0;
}

/* The entry at `level` for va, creating (or splitting into) tables on the
 * way down; NULL with *rc set when the pool runs out. */
static uint64_t *entry_at(struct pt_builder *b, uint64_t va, int level, int *rc)
{
	uint64_t *t = b->root;
	int l;

	for (l = b->levels; l > level; l--) {
		uint64_t *e = &t[(va >> shift_of(l)) & 511];

		if (!(*e & PTE_P)) {
			uint64_t *n = alloc_table(b);

			if (!n) {
				*rc = -PT_ENOMEM;
				return 0;
			}
			*e = (uint64_t)(uintptr_t)n | PTE_P | PTE_RW;
		} else if (*e & PTE_PS) {
			if ((*rc = split(b, e, l)) < 0)
				return 0;
		}
		t = table_of(*e);
	}
	return &t[(va >> shift_of(level)) & 511];
}

/* A large page fits here unless a table already hangs below this entry
 * (finer mappings made earlier, which must survive). */
static bool table_below(const struct pt_builder *b, uint64_t va, int level)
{
	const uint64_t *t = b->root;
	int l;

	for (l = b->levels; l >= level; l--) {
		uint64_t e = t[(va >> shift_of(l)) & 511];

		if (!(e & PTE_P) || (e & PTE_PS))
			return false;
		if (l == level)
			return true;
		t = table_of(e);
	}
	return false;
}

int pt_map(struct pt_builder *b, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags)
{
	if ((va | pa | len) & 0xfff || va + len < va || pa + len < pa || !b->root)
		return -PT_EINVAL;
	if (len && (!canonical(b, va) || !canonical(b, va + len - 1)))
		return -PT_EINVAL;
	flags &= PTE_RW | PTE_PWT | PTE_PCD;
	while (len) {
		int level = 1, rc = 0;
		uint64_t *e;

		if (b->gib_pages && !((va | pa) & ((1ull << 30) - 1)) && len >= (1ull << 30) && !table_below(b, va, 3))
			level = 3;
		else if (!((va | pa) & ((1ull << 21) - 1)) && len >= (1ull << 21) && !table_below(b, va, 2))
			level = 2;
		e = entry_at(b, va, level, &rc);
		if (!e)
			return rc;
		*e = pa | flags | PTE_P | (level > 1 ? PTE_PS : 0);
		va += 1ull << shift_of(level);
		pa += 1ull << shift_of(level);
		len -= 1ull << shift_of(level);
	}
	return 0;
}

int pt_lookup(const struct pt_builder *b, uint64_t va, uint64_t *pa, uint64_t *flags)
{
	const uint64_t *t = b->root;
	int l;

	if (!t || !canonical(b, va))
		return -PT_ENOENT;
	for (l = b->levels; l >= 1; l--) {
		uint64_t e = t[(va >> shift_of(l)) & 511];

		if (!(e & PTE_P))
			return -PT_ENOENT;
		if (l == 1 || (e & PTE_PS)) {
			uint64_t mask = (1ull << shift_of(l)) - 1;

			*pa = (e & PTE_ADDR & ~mask) | (va & mask);
			if (flags)
				*flags = e & 0xfffull;
			return 0;
		}
		t = table_of(e);
	}
	return -PT_ENOENT;
}
