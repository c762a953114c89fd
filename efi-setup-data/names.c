/* names.c - STUB (being implemented by helper A). */
#include <errno.h>

#include "esd.h"

const char *esd_setup_data_type_name(uint32_t type)
{
	(void)type;
	return "?";
}

const char *esd_efi_type_name(uint32_t type)
{
	(void)type;
	return "?";
}

const char *esd_efi_attr_str(uint64_t attr, char *buf, size_t len)
{
	(void)attr;
	(void)buf;
	(void)len;
	return "?";
}
