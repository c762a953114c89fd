/* setup-data-walk.c - the setup_data chain walker (spec 2.1-2.3).
 *
 * FREESTANDING: only <stdint.h>/<stddef.h>/<stdbool.h> and bootproto.h, no
 * libc, no allocation, no recursion: the purgatory and the target stub build
 * this very file. See setup-data-walk.h for the contract. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bootproto.h"
#include "setup-data-walk.h"

/* Probe chunk for payload readability: small, stack-friendly. */
#define SDW_PROBE 256u

static int fail(struct sdw_result *res, enum sdw_error e, uint32_t index, uint64_t addr,
		uint64_t value, const char *field)
{
	res->error = e;
	res->index = index;
	res->addr = addr;
	res->value = value;
	res->field = field;
	return -1;
}

/* Is [addr, addr+len) readable? Read it in chunks; never wraps. */
static bool range_readable(sdw_read_fn read, void *ctx, uint64_t addr, uint64_t len)
{
	uint8_t buf[SDW_PROBE];

	while (len) {
		size_t c = len > SDW_PROBE ? SDW_PROBE : (size_t)len;

		if (read(ctx, addr, buf, c) != 0)
			return false;
		addr += c;
		len -= c;
	}
	return true;
}

int sdw_walk(uint64_t head, sdw_read_fn read, void *read_ctx, sdw_node_fn node_cb,
	     void *node_ctx, uint64_t *seen, size_t max_nodes, struct sdw_result *res)
{
	uint64_t addr = head;
	uint32_t idx = 0;

	res->error = SDW_OK;
	res->index = 0;
	res->addr = 0;
	res->value = 0;
	res->field = "";
	res->n = 0;

	while (addr != 0) {
		uint8_t hdr[SETUP_DATA_HDR_SIZE];
		struct sdw_node nd;
		size_t i;

		if (idx >= max_nodes)
			return fail(res, SDW_TOO_MANY, idx, addr, max_nodes, "");
		if (seen) {
			for (i = 0; i < idx; i++)
				if (seen[i] == addr)
					return fail(res, SDW_CYCLE, idx, addr, i, "");
			seen[idx] = addr;
		}
		if (addr > UINT64_MAX - SETUP_DATA_HDR_SIZE)
			return fail(res, SDW_OVERFLOW, idx, addr, addr, "");
		if (read(read_ctx, addr, hdr, sizeof(hdr)) != 0)
			return fail(res, SDW_HEADER_UNREADABLE, idx, addr, addr, "");

		nd.index = idx;
		nd.addr = addr;
		nd.next = get_le64(hdr);
		nd.hdr_type = get_le32(hdr + 8);
		nd.hdr_len = get_le32(hdr + 12);
		nd.indirect = nd.hdr_type == SETUP_INDIRECT;
		nd.type = nd.hdr_type;
		nd.data_addr = addr + SETUP_DATA_HDR_SIZE;
		nd.data_len = nd.hdr_len;

		if (nd.data_addr > UINT64_MAX - nd.data_len)
			return fail(res, SDW_OVERFLOW, idx, addr, nd.data_addr, "");
		if (!range_readable(read, read_ctx, nd.data_addr, nd.data_len))
			return fail(res, SDW_PAYLOAD_UNREADABLE, idx, addr, nd.data_addr, "");

		if (nd.indirect) {
			/* payload {u32 type, u32 reserved, u64 len, u64 addr}, spec 2.1 */
			uint8_t ind[SETUP_INDIRECT_PAYLOAD];
			uint32_t itype, ires;

			if (nd.hdr_len != SETUP_INDIRECT_PAYLOAD)
				return fail(res, SDW_BAD_INDIRECT, idx, addr, nd.hdr_len, "len");
			if (read(read_ctx, nd.data_addr, ind, sizeof(ind)) != 0)
				return fail(res, SDW_PAYLOAD_UNREADABLE, idx, addr, nd.data_addr, "");
			itype = get_le32(ind);
			ires = get_le32(ind + 4);
			if (!(itype & SETUP_INDIRECT) || itype == SETUP_INDIRECT)
				return fail(res, SDW_BAD_INDIRECT, idx, addr, itype, "type");
			if (ires != 0)
				return fail(res, SDW_BAD_INDIRECT, idx, addr, ires, "reserved");
			nd.type = itype;
			nd.data_len = get_le64(ind + 8);
			nd.data_addr = get_le64(ind + 16);
			if (nd.data_addr > UINT64_MAX - nd.data_len)
				return fail(res, SDW_OVERFLOW, idx, addr, nd.data_addr, "");
			if (!range_readable(read, read_ctx, nd.data_addr, nd.data_len))
				return fail(res, SDW_PAYLOAD_UNREADABLE, idx, addr, nd.data_addr, "");
		}

		if (node_cb) {
			int r = node_cb(node_ctx, &nd);

			if (r != 0) {
				fail(res, SDW_CALLBACK, idx, addr, (uint64_t)(int64_t)r, "");
				return r;
			}
		}
		res->n = ++idx;
		addr = nd.next;
	}
	return 0;
}

const char *sdw_error_name(enum sdw_error e)
{
	switch (e) {
	case SDW_OK: return "ok";
	case SDW_HEADER_UNREADABLE: return "header outside the image";
	case SDW_PAYLOAD_UNREADABLE: return "payload outside the image";
	case SDW_OVERFLOW: return "address + len overflows";
	case SDW_CYCLE: return "cycle";
	case SDW_TOO_MANY: return "too many nodes";
	case SDW_BAD_INDIRECT: return "malformed SETUP_INDIRECT node";
	case SDW_CALLBACK: return "stopped by the caller";
	}
	return "unknown error";
}
