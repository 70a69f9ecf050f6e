//===- Npy.h - Reading and writing NumPy .npy files -------------*- C++ -*-===//
//
// The .npy subset Loom exchanges with users (SPEC.md section 5): little-endian
// f32, f16, bf16 (as `<u2` bits), i32 and i64 arrays in C order. Plain C++ so
// that the runtime, which links no LLVM, can use it too. Every malformed file
// is an error message, never a crash.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_SUPPORT_NPY_H
#define LOOM_SUPPORT_NPY_H

#include <cstdint>
#include <string>
#include <vector>

namespace loom::npy {

enum class DType { F32, F16, BF16, I32, I64 };

/// The `descr` string of a dtype, e.g. "<f4"; bf16 is "<u2".
const char *descr(DType dtype);
/// A readable name, e.g. "f32" or "bf16 (<u2)".
const char *name(DType dtype);
size_t elementSize(DType dtype);

struct Array {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  /// Row-major element bytes, 64-byte aligned via over-allocation.
  std::vector<uint8_t> bytes;

  int64_t numElements() const;
};

/// Reads `path`. On failure returns false and sets `error` to a message that
/// names the file and what is wrong with it.
bool readFile(const std::string &path, Array &array, std::string &error);

/// Parses an in-memory .npy image (what readFile does after reading).
bool parse(const uint8_t *data, size_t size, Array &array, std::string &error);

/// Writes `numElements(shape)` elements of `dtype` from `data`.
bool writeFile(const std::string &path, DType dtype,
               const std::vector<int64_t> &shape, const void *data,
               std::string &error);

} // namespace loom::npy

#endif // LOOM_SUPPORT_NPY_H
