/* setup-data.c - esd_setup_data_walk: the libc side of the freestanding
 * walker (setup-data-walk.c). Keeps a copy of each payload and turns a walk
 * error into a kx_err naming the node index and address (spec 2.1-2.3). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "esd.h"
#include "setup-data-walk.h"

/* Payload copies above this are refused: no real setup_data comes close
 * (the biggest, SETUP_E820_EXT/DTB, are kilobytes), and a hostile len must
 * not make us allocate gigabytes. */
#define ESD_SETUP_DATA_MAX_COPY (64u << 20)

struct collect {
	esd_mem_read_fn read;
	void *read_ctx;
	struct setup_data_chain *out;
	size_t cap;
	int err;                 /* -ENOMEM / -EFBIG from the callback */
	uint64_t err_len;
};

static int collect_node(void *ctx, const struct sdw_node *nd)
{
	struct collect *c = ctx;
	struct setup_data_node *n;

	if (nd->data_len > ESD_SETUP_DATA_MAX_COPY) {
		c->err = -EFBIG;
		c->err_len = nd->data_len;
		return 1;
	}
	if (c->out->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 8;
		struct setup_data_node *nn = realloc(c->out->node, ncap * sizeof(*nn));

		if (!nn) {
			c->err = -ENOMEM;
			return 1;
		}
		c->out->node = nn;
		c->cap = ncap;
	}
	n = &c->out->node[c->out->n];
	memset(n, 0, sizeof(*n));
	n->addr = nd->addr;
	n->next = nd->next;
	n->type = nd->type;
	n->hdr_len = nd->hdr_len;
	n->indirect = nd->indirect;
	n->indirect_addr = nd->indirect ? nd->data_addr : 0;
	n->len = (size_t)nd->data_len;
	n->data = malloc(n->len ? n->len : 1);
	if (!n->data) {
		c->err = -ENOMEM;
		return 1;
	}
	/* The walker already proved the range readable. */
	if (n->len && c->read(c->read_ctx, nd->data_addr, n->data, n->len) != 0) {
		free(n->data);
		c->err = -EFAULT;
		return 1;
	}
	c->out->n++;
	return 0;
}

int esd_setup_data_walk(uint64_t head, esd_mem_read_fn read, void *ctx, size_t max_nodes,
			struct setup_data_chain *out, struct kx_err *err)
{
	struct collect c = { .read = read, .read_ctx = ctx, .out = out };
	struct sdw_result r;
	uint64_t *seen;
	int rc;

	out->node = NULL;
	out->n = 0;
	if (max_nodes == 0)
		max_nodes = 1;
	seen = calloc(max_nodes, sizeof(*seen));
	if (!seen)
		return kx_errf(err, -ENOMEM, "setup_data", "out of memory");
	rc = sdw_walk(head, read, ctx, collect_node, &c, seen, max_nodes, &r);
	free(seen);
	if (rc == 0)
		return 0;

	switch (r.error) {
	case SDW_CALLBACK:
		if (c.err == -EFBIG)
			rc = kx_errf(err, -EFBIG, "setup_data",
				     "node %u at 0x%llx: payload of %llu bytes is implausibly large",
				     r.index, (unsigned long long)r.addr, (unsigned long long)c.err_len);
		else if (c.err == -EFAULT)
			rc = kx_errf(err, -EFAULT, "setup_data", "node %u at 0x%llx: payload read failed",
				     r.index, (unsigned long long)r.addr);
		else
			rc = kx_errf(err, -ENOMEM, "setup_data", "out of memory");
		break;
	case SDW_CYCLE:
		rc = kx_errf(err, -ELOOP, "setup_data",
			     "node %u at 0x%llx: cycle, the same address as node %llu",
			     r.index, (unsigned long long)r.addr, (unsigned long long)r.value);
		break;
	case SDW_TOO_MANY:
		rc = kx_errf(err, -E2BIG, "setup_data",
			     "node %u at 0x%llx: more than %zu nodes (looping chain?)",
			     r.index, (unsigned long long)r.addr, max_nodes);
		break;
	case SDW_HEADER_UNREADABLE:
		rc = kx_errf(err, -EFAULT, "setup_data",
			     "node %u at 0x%llx: header outside the image", r.index,
			     (unsigned long long)r.addr);
		break;
	case SDW_PAYLOAD_UNREADABLE:
		rc = kx_errf(err, -EFAULT, "setup_data",
			     "node %u at 0x%llx: payload at 0x%llx runs outside the image (len past the end?)",
			     r.index, (unsigned long long)r.addr, (unsigned long long)r.value);
		break;
	case SDW_OVERFLOW:
		rc = kx_errf(err, -EOVERFLOW, "setup_data",
			     "node %u at 0x%llx: address 0x%llx + len wraps past 2^64", r.index,
			     (unsigned long long)r.addr, (unsigned long long)r.value);
		break;
	case SDW_BAD_INDIRECT:
		rc = kx_errf(err, -EINVAL, "setup_data",
			     "node %u at 0x%llx: malformed SETUP_INDIRECT node, %s 0x%llx", r.index,
			     (unsigned long long)r.addr, r.field, (unsigned long long)r.value);
		break;
	case SDW_OK:
	default:
		rc = kx_errf(err, -EINVAL, "setup_data", "node %u at 0x%llx: walk failed", r.index,
			     (unsigned long long)r.addr);
		break;
	}
	esd_setup_data_chain_free(out);
	return rc;
}

void esd_setup_data_chain_free(struct setup_data_chain *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		free(c->node[i].data);
	free(c->node);
	c->node = NULL;
	c->n = 0;
}
