//===- Pipelines.h - Loom's named pass pipelines ----------------*- C++ -*-===//
//
// Every pass manager Loom runs is built here, so that `loom-opt
// --pass-pipeline=...` replays any stage of `loom-run` or `loomc`.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_PIPELINES_PIPELINES_H
#define LOOM_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlir::loom {

struct LoomToCpuOptions : public PassPipelineOptions<LoomToCpuOptions> {
  Option<bool> reference{
      *this, "reference",
      llvm::cl::desc("Lower loom ops through the plain reference loops "
                     "(no chunking)"),
      llvm::cl::init(false)};
  Option<int64_t> chunkSize{*this, "chunk-size",
                            llvm::cl::desc("Tokens per chunk of the chunked "
                                           "recurrences"),
                            llvm::cl::init(64)};
};

/// loom ops (and linalg / tensor / arith / math on tensors) to the LLVM
/// dialect, ready for MLIR's ExecutionEngine: reference lowering, One-Shot
/// Bufferize with identity-layout function boundaries, buffer deallocation,
/// loops, and LLVM. Run-time checks call `loom_runtime_error`.
void buildLoomToCpuPipeline(OpPassManager &pm, const LoomToCpuOptions &options);

/// Registers `loom-to-cpu` and Loom's passes with the global registry.
void registerLoomPasses();

} // namespace mlir::loom

#endif // LOOM_PIPELINES_PIPELINES_H
