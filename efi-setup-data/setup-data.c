/* setup-data.c - STUB (being implemented by helper A). */
#include <errno.h>

#include "esd.h"

int esd_setup_data_walk(uint64_t head, esd_mem_read_fn read, void *ctx, size_t max_nodes, struct setup_data_chain *out, struct kx_err *err)
{
	(void)head;
	(void)read;
	(void)ctx;
	(void)max_nodes;
	(void)out;
	(void)err;
	return -ENOSYS;
}

void esd_setup_data_chain_free(struct setup_data_chain *c)
{
	(void)c;
}
