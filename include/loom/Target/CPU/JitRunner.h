//===- JitRunner.h - Run a function of loom IR on the CPU -------*- C++ -*-===//
//
// Lowers a module through `loom-to-cpu`, JIT-compiles it with MLIR's
// ExecutionEngine and calls one function on host arrays. The arrays are the
// .npy subset of SPEC.md section 5: each argument and result is a ranked
// tensor of f32, f16, bf16, i32 or i64.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_TARGET_CPU_JITRUNNER_H
#define LOOM_TARGET_CPU_JITRUNNER_H

#include "loom/Support/Npy.h"

#include "mlir/Support/LLVM.h"

#include <functional>
#include <string>
#include <vector>

namespace mlir {
class ModuleOp;
class PassManager;
} // namespace mlir

namespace mlir::loom {

struct CpuRunOptions {
  /// The function to call.
  std::string entry = "main";
  /// Plain reference lowering, no chunking (`loom-to-cpu{reference}`).
  bool reference = false;
  /// Tokens per chunk of the chunked recurrences.
  int64_t chunkSize = 64;
  /// Lets a tool apply its command-line pass-manager options (IR printing,
  /// timing, crash reproducers) before the pipeline runs.
  std::function<LogicalResult(PassManager &)> configurePassManager;
};

/// Checks `inputs` against the signature of `options.entry`, lowers `module`
/// in place, runs the function and returns its results. With LOOM_DUMP_DIR
/// set, the IR before and after every pass is written below that folder. Errors (a bad
/// signature, an input that does not fit its argument, a failing pass) are
/// reported as diagnostics on the module's context. A run-time check that
/// fails inside the compiled code calls the process-wide handler installed
/// with `setRuntimeErrorHandler`.
FailureOr<std::vector<::loom::npy::Array>>
runOnCpu(ModuleOp module, const std::vector<::loom::npy::Array> &inputs,
         const CpuRunOptions &options);

/// What compiled code calls when a run-time check fails (bad cu_seqlens, an
/// expert index out of range, mismatched dynamic shapes). It must not
/// return. The default prints the message and exits with code 1.
using RuntimeErrorHandler = void (*)(const char *message);
void setRuntimeErrorHandler(RuntimeErrorHandler handler);

} // namespace mlir::loom

#endif // LOOM_TARGET_CPU_JITRUNNER_H
