/* setup-data-walk.h - walk a setup_data chain in physical memory, safely.
 *
 * FREESTANDING: the implementation (setup-data-walk.c) uses no libc and no
 * allocation, so the purgatory and the target stub compile the same file as
 * libesd. Memory is reached only through the caller's read callback; each
 * node is handed to the caller's node callback.
 *
 * Guarantees (spec 2.1-2.3; the kernel's own walkers check none of this):
 *  - at most max_nodes nodes are visited, so the walk always ends;
 *  - a node seen twice is reported as a cycle when the caller passes a
 *    `seen` array of max_nodes entries (without it, a cycle still ends as
 *    SDW_TOO_MANY);
 *  - every header and every payload byte range (direct, or the target of a
 *    SETUP_INDIRECT node) is checked readable through the callback and
 *    checked for address overflow before the node is reported;
 *  - SETUP_INDIRECT nodes must have len 24 and an inner type with bit 31 set
 *    that is not bare SETUP_INDIRECT, and reserved = 0.
 *
 * Usage:
 *	uint64_t seen[64];
 *	struct sdw_result r;
 *	int rc = sdw_walk(head, my_read, mem, my_node, st, seen, 64, &r);
 *	if (rc < 0) report(r.error, r.index, r.addr, r.value);
 */
#ifndef ESD_SETUP_DATA_WALK_H
#define ESD_SETUP_DATA_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads [phys, phys+len) into buf; 0 on success, negative when any byte is
 * outside the memory the caller can see. Same contract as esd_mem_read_fn. */
typedef int (*sdw_read_fn)(void *ctx, uint64_t phys, void *buf, size_t len);

struct sdw_node {
	uint32_t index;          /* 0 = head */
	uint64_t addr;           /* physical address of the 16-byte header */
	uint64_t next;
	uint32_t hdr_type;       /* type field of the header */
	uint32_t hdr_len;        /* len field of the header */
	bool indirect;           /* hdr_type == SETUP_INDIRECT */
	uint32_t type;           /* hdr_type, or the inner type (bit 31 set) if indirect */
	uint64_t data_addr;      /* payload: addr + 16, or the indirect target */
	uint64_t data_len;       /* payload length (hdr_len, or the indirect len) */
};

/* Called once per valid node, in chain order. A non-zero return stops the
 * walk; sdw_walk then returns that value with error SDW_CALLBACK. */
typedef int (*sdw_node_fn)(void *ctx, const struct sdw_node *node);

enum sdw_error {
	SDW_OK = 0,
	SDW_HEADER_UNREADABLE,   /* addr: the 16-byte header is not readable */
	SDW_PAYLOAD_UNREADABLE,  /* value: payload address; the payload is not (fully) readable */
	SDW_OVERFLOW,            /* value: payload address; address + len wraps past 2^64 */
	SDW_CYCLE,               /* value: index of the earlier node at the same address */
	SDW_TOO_MANY,            /* more than max_nodes nodes */
	SDW_BAD_INDIRECT,        /* value: offending field value; see `field` */
	SDW_CALLBACK,            /* the node callback returned non-zero */
};

struct sdw_result {
	enum sdw_error error;
	uint32_t index;          /* node index the error is about */
	uint64_t addr;           /* its header address */
	uint64_t value;          /* see enum sdw_error */
	const char *field;       /* for SDW_BAD_INDIRECT: "len", "type", "reserved" */
	size_t n;                /* nodes visited without error */
};

/* Walks from head (0 = empty chain). seen may be NULL; otherwise it must
 * hold max_nodes entries. Returns 0, a negative value (-1) for a chain
 * error described in *res, or the callback's value. */
int sdw_walk(uint64_t head, sdw_read_fn read, void *read_ctx, sdw_node_fn node_cb,
	     void *node_ctx, uint64_t *seen, size_t max_nodes, struct sdw_result *res);

/* A short constant description of an error ("cycle", ...). */
const char *sdw_error_name(enum sdw_error e);

#endif
