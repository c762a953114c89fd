/* fuzz.h - the libFuzzer entry point, declared once for -Wmissing-prototypes. */
#ifndef KX_FUZZ_H
#define KX_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
