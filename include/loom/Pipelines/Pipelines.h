//===- Pipelines.h - Loom's named pass pipelines ----------------*- C++ -*-===//
//
// Every pass manager Loom runs is built here, so that `loom-opt
// --pass-pipeline=...` replays any stage of `loom-run` or `loomc`.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_PIPELINES_PIPELINES_H
#define LOOM_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

#include <functional>
#include <string>

namespace mlir {
class ModuleOp;
class OpPassManager;
class PassManager;
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

struct LoomToNvvmOptions : public PassPipelineOptions<LoomToNvvmOptions> {
  Option<std::string> chip{*this, "chip",
                           llvm::cl::desc("GPU architecture: sm_90a or sm_80"),
                           llvm::cl::init("sm_90a")};
  Option<int64_t> valueTile{*this, "value-tile",
                            llvm::cl::desc("Value columns of the recurrent "
                                           "state per CTA (0: chosen at "
                                           "launch)"),
                            llvm::cl::init(0)};
  Option<bool> warpgroupMma{
      *this, "warpgroup-mma",
      llvm::cl::desc("sm_90a: run the delta rule's chunk loop on wgmma "
                     "(experimental; see convert-loom-to-gpu)"),
      llvm::cl::init(false)};
  Option<int64_t> columnGroups{
      *this, "column-groups",
      llvm::cl::desc("Warpgroups per CTA of the delta rule's chunk loop, "
                     "each on part of the value tile (see "
                     "convert-loom-to-gpu)"),
      llvm::cl::init(1)};
  Option<bool> outputWarpgroup{
      *this, "output-warpgroup",
      llvm::cl::desc("The delta rule's chunk loop as a state warpgroup and "
                     "an output warpgroup (see convert-loom-to-gpu)"),
      llvm::cl::init(true)};
};

/// loom ops to a host launch plan plus `gpu.module @loom_kernels` in the
/// NVVM and LLVM dialects, with the `#nvvm.target` attached: what
/// `gpu-module-to-binary` turns into PTX.
void buildLoomToNvvmPipeline(OpPassManager &pm,
                             const LoomToNvvmOptions &options);

/// Runs `pm` on `module` the way every Loom tool does: after `configure`
/// (a tool's command-line pass-manager options), with the IR of every pass
/// written below $LOOM_DUMP_DIR when set, and on failure with a remark that
/// names the `loom-opt --pass-pipeline='<pipeline>'` command replaying it.
LogicalResult
runLoomPipeline(ModuleOp module, PassManager &pm, StringRef pipeline,
                const std::function<LogicalResult(PassManager &)> &configure);

/// Registers `loom-to-cpu` and Loom's passes with the global registry.
void registerLoomPasses();

} // namespace mlir::loom

#endif // LOOM_PIPELINES_PIPELINES_H
