//===- HostRun.h - Run a bundle's function on host arrays -------*- C++ -*-===//
//
// What `loom-launch` and `loom-run --target=cuda` share: checks .npy arrays
// against a function of a bundle before touching CUDA, copies them to the
// device, launches, synchronizes and copies the results back. Plain C++ over
// the runtime's C API (no MLIR or LLVM).
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_RUNTIME_HOSTRUN_H
#define LOOM_RUNTIME_HOSTRUN_H

#include "loom-c/Runtime.h"
#include "loom/Support/Npy.h"

#include <string>
#include <vector>

namespace loom::runtime {

struct HostRunOptions {
  /// Fill the result buffers with 0xFF bytes (NaN) before the launch, so
  /// that an element no kernel writes shows.
  bool poison = false;
  /// The CUDA device.
  int device = 0;
};

/// The function to run: `entry` when given, else the only function or
/// `main`. Returns false with a message naming the choices otherwise.
bool pickEntry(LoomBundle *bundle, const std::string &entry,
               std::string &picked, std::string &error);

/// Runs `entry` on `inputs`; on failure returns false and sets `error`.
bool runOnHostArrays(LoomBundle *bundle, const std::string &entry,
                     const std::vector<npy::Array> &inputs,
                     const HostRunOptions &options,
                     std::vector<npy::Array> &results, std::string &error);

} // namespace loom::runtime

#endif // LOOM_RUNTIME_HOSTRUN_H
