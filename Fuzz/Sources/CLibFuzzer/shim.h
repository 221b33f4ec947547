// libFuzzer's driver, from the toolchain's compiler-rt; -sanitize=fuzzer links it. libFuzzer installs no header
// that declares it, so this one does (the signature is libFuzzer's documented one).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
