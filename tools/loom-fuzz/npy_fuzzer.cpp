//===- npy_fuzzer.cpp - Fuzz the .npy reader ------------------------------===//

#include "loom/Support/Npy.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  loom::npy::Array array;
  std::string error;
  if (loom::npy::parse(data, size, array, error)) {
    // A parsed array is self-consistent: its bytes are exactly its elements.
    if (array.bytes.size() != static_cast<size_t>(array.numElements()) *
                                  loom::npy::elementSize(array.dtype))
      __builtin_trap();
  }
  return 0;
}
