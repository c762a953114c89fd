/* esd-tree.h - throwaway sysroot trees for the libesd unit tests: a fresh
 * mkdtemp directory, files written into it (parents created), copies of the
 * captured fixtures to break on purpose. Failures abort the test program:
 * a test that cannot build its input must not pass. */
#ifndef ESD_TREE_H
#define ESD_TREE_H

#include <stddef.h>
#include <stdint.h>

/* $top_srcdir/tests/fixtures/<name> (static buffer). */
const char *fixture(const char *name);
/* New empty tree; free with tree_free. */
char *tree_new(void);
/* New tree holding a copy of a fixture. */
char *tree_copy_fixture(const char *name);
void tree_free(char *root);
void tree_write(const char *root, const char *rel, const void *data, size_t len);
void tree_puts(const char *root, const char *rel, const char *text);
void tree_rm(const char *root, const char *rel);
/* runtime-map/<idx>/{type,...} with sysfs formatting. */
void tree_desc(const char *root, unsigned idx, uint32_t type, uint64_t phys, uint64_t virt,
	       uint64_t pages, uint64_t attr);
/* Whole file into a malloc'ed buffer; aborts on failure. */
void *slurp(const char *path, size_t *len);

#endif
