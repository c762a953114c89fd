/* esd-tree.c - see esd-tree.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "esd-tree.h"

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "Bail out! %s %s: %s\n", what, arg, strerror(errno));
	printf("Bail out! %s %s\n", what, arg);
	exit(99);
}

const char *fixture(const char *name)
{
	static char buf[4096];
	const char *top = getenv("top_srcdir");

	snprintf(buf, sizeof(buf), "%s/tests/fixtures/%s", top ? top : ".", name);
	if (access(buf, F_OK) != 0)
		die("fixture missing:", buf);
	return buf;
}

char *tree_new(void)
{
	const char *tmp = getenv("TMPDIR");
	char *p = malloc(4096);

	if (!p)
		die("malloc", "");
	snprintf(p, 4096, "%s/esd-unit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(p))
		die("mkdtemp", p);
	return p;
}

static void run(const char *cmd)
{
	if (system(cmd) != 0)
		die("command failed:", cmd);
}

char *tree_copy_fixture(const char *name)
{
	char *root = tree_new();
	char cmd[9000];

	snprintf(cmd, sizeof(cmd), "cp -R '%s/.' '%s/'", fixture(name), root);
	run(cmd);
	return root;
}

void tree_free(char *root)
{
	char cmd[4200];

	if (!root)
		return;
	if (strncmp(root, "/", 1) == 0 && strstr(root, "esd-unit-")) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		run(cmd);
	}
	free(root);
}

static void mkparents(char *path)
{
	char *s;

	for (s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			die("mkdir", path);
		*s = '/';
	}
}

void tree_write(const char *root, const char *rel, const void *data, size_t len)
{
	char p[8192];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel[0] == '/' ? rel + 1 : rel);
	mkparents(p);
	f = fopen(p, "wb");
	if (!f)
		die("fopen", p);
	if (len && fwrite(data, 1, len, f) != len)
		die("fwrite", p);
	if (fclose(f) != 0)
		die("fclose", p);
}

void tree_puts(const char *root, const char *rel, const char *text)
{
	tree_write(root, rel, text, strlen(text));
}

void tree_rm(const char *root, const char *rel)
{
	char p[8192];

	snprintf(p, sizeof(p), "%s/%s", root, rel[0] == '/' ? rel + 1 : rel);
	if (remove(p) != 0)
		die("remove", p);
}

void tree_desc(const char *root, unsigned idx, uint32_t type, uint64_t phys, uint64_t virt,
	       uint64_t pages, uint64_t attr)
{
	char rel[256], v[64];

	snprintf(rel, sizeof(rel), "sys/firmware/efi/runtime-map/%u/type", idx);
	snprintf(v, sizeof(v), "0x%x\n", type);
	tree_puts(root, rel, v);
	snprintf(rel, sizeof(rel), "sys/firmware/efi/runtime-map/%u/phys_addr", idx);
	snprintf(v, sizeof(v), "0x%llx\n", (unsigned long long)phys);
	tree_puts(root, rel, v);
	snprintf(rel, sizeof(rel), "sys/firmware/efi/runtime-map/%u/virt_addr", idx);
	snprintf(v, sizeof(v), "0x%llx\n", (unsigned long long)virt);
	tree_puts(root, rel, v);
	snprintf(rel, sizeof(rel), "sys/firmware/efi/runtime-map/%u/num_pages", idx);
	snprintf(v, sizeof(v), "0x%llx\n", (unsigned long long)pages);
	tree_puts(root, rel, v);
	snprintf(rel, sizeof(rel), "sys/firmware/efi/runtime-map/%u/attribute", idx);
	snprintf(v, sizeof(v), "0x%llx\n", (unsigned long long)attr);
	tree_puts(root, rel, v);
}

void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, r;
	char *b = malloc(cap + 1);

	if (!f || !b)
		die("open", path);
	while ((r = fread(b + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			cap *= 2;
			b = realloc(b, cap + 1);
			if (!b)
				die("realloc", path);
		}
	}
	fclose(f);
	b[n] = '\0';
	*len = n;
	return b;
}
