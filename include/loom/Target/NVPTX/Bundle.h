//===- Bundle.h - PTX, cubins and kernel bundles ----------------*- C++ -*-===//
//
// The GPU half of `lib/Target`: loom IR -> host launch plan + PTX (LLVM's
// NVPTX backend through MLIR's NVVM target) -> cubin (ptxas) -> a bundle
// directory whose manifest the runtime reads (docs/bundle.md).
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_TARGET_NVPTX_BUNDLE_H
#define LOOM_TARGET_NVPTX_BUNDLE_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <functional>
#include <string>

namespace mlir {
class DialectRegistry;
class PassManager;
class Location;
class ModuleOp;
} // namespace mlir

namespace mlir::loom {

struct GpuTargetOptions {
  /// sm_90a or sm_80.
  std::string chip = "sm_90a";
  /// 0: one kernel per value tile, chosen at launch.
  int64_t valueTile = 0;
  /// sm_90a: the delta rule's chunk loop on wgmma instead of mma.sync.
  bool warpgroupMma = false;
  /// Warpgroups per CTA of the delta rule's mma.sync chunk loop.
  int64_t columnGroups = 1;
  /// The delta rule's mma.sync chunk loop with an output warpgroup.
  bool outputWarpgroup = true;
  /// CUDA toolkit root holding bin/ptxas; empty: $LOOM_CUDA_ROOT, then
  /// /usr/local/cuda.
  std::string cudaRoot;
  /// Lets a tool apply its command-line pass-manager options (IR printing,
  /// timing, crash reproducers) before the pipeline runs.
  std::function<LogicalResult(PassManager &)> configurePassManager;
};

struct CompiledBundle {
  std::string ptx;
  std::string cubin;
  std::string manifest;
  /// ptxas -v: registers, shared memory, spills per kernel.
  std::string ptxasLog;
};

/// What the GPU target needs registered: the NVVM target attribute's
/// serializer and the LLVM IR translations of llvm, nvvm and gpu.
void registerGpuTargetExtensions(DialectRegistry &registry);

/// Lowers `module` in place through `loom-to-nvvm`: the host launch plan
/// plus `gpu.module @loom_kernels` in the NVVM dialect.
LogicalResult lowerToNvvm(ModuleOp module, const GpuTargetOptions &options);

/// Lowers `module` in place to its host launch plan plus a `gpu.binary`
/// holding the PTX, which is returned.
FailureOr<std::string> lowerToPtx(ModuleOp module,
                                  const GpuTargetOptions &options);

/// Runs ptxas on `ptx`; `log` receives its -v report.
FailureOr<std::string> assembleCubin(StringRef ptx,
                                     const GpuTargetOptions &options,
                                     std::string &log, Location loc);

/// The manifest of a lowered module (docs/bundle.md).
FailureOr<std::string> buildManifest(ModuleOp hostPlan,
                                     const GpuTargetOptions &options,
                                     StringRef ptxasVersion);

/// The whole way from loom IR to a bundle; `module` is lowered in place.
FailureOr<CompiledBundle> compileBundle(ModuleOp module,
                                        const GpuTargetOptions &options);

/// Writes manifest.json, kernels.cubin and kernels.ptx into `directory`.
LogicalResult writeBundle(StringRef directory, const CompiledBundle &bundle,
                          std::string &error);

/// True when ptxas reported spill stores or loads in `log`.
bool ptxasReportsSpills(StringRef log);

} // namespace mlir::loom

#endif // LOOM_TARGET_NVPTX_BUNDLE_H
