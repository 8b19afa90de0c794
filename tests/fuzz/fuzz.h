/* fuzz.h: the libFuzzer entry point every target defines (none needs
 * LLVMFuzzerInitialize, which libFuzzer makes optional). The same
 * sources build two ways: with clang -fsanitize=fuzzer (scripts/fuzz),
 * and with replay.c as main, replaying the committed corpus in make check. */
#ifndef TH_FUZZ_H
#define TH_FUZZ_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif
