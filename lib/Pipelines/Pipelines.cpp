//===- Pipelines.cpp - Loom's named pass pipelines ------------------------===//

#include "loom/Pipelines/Pipelines.h"
#include "loom/Conversion/Passes.h"
#include "loom/Dialect/Loom/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include <cstdlib>

using namespace mlir;

void mlir::loom::buildLoomToCpuPipeline(OpPassManager &pm,
                                        const LoomToCpuOptions &options) {
  // Algorithm level: fused chains and chunked recurrences unless
  // `reference` asks for the plain loops; whatever loom op is left takes its
  // reference lowering.
  if (!options.reference) {
    pm.addNestedPass<func::FuncOp>(createLoomFuse());
    LoomChunkOptions chunk;
    chunk.chunkSize = options.chunkSize;
    pm.addNestedPass<func::FuncOp>(createLoomChunk(chunk));
  }
  pm.addNestedPass<func::FuncOp>(createConvertLoomToLoops());
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());

  // Buffers: identity layouts at function boundaries so that the host can
  // pass and receive plain row-major arrays.
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  // Chunk loops carry freshly computed states.
  bufferize.allowReturnAllocsFromLoops = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());

  // Loops and scalars to LLVM.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // bf16 conversions become integer ops: Debian 12's libgcc lacks
  // __truncsfbf2.
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createLowerRuntimeChecks());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void mlir::loom::buildLoomToNvvmPipeline(OpPassManager &pm,
                                         const LoomToNvvmOptions &options) {
  ConvertLoomToGPUOptions kernels;
  kernels.valueTile = options.valueTile;
  // The opt-in dynamic shared memory per CTA of the target's parts.
  const bool sm80 = StringRef(options.chip).starts_with("sm_80");
  kernels.maxSharedBytes = sm80 ? 166912 : 232448;
  kernels.warpgroupMma = options.warpgroupMma && !sm80;
  kernels.columnGroups = options.columnGroups;
  kernels.outputWarpgroup = options.outputWarpgroup;
  // griddepcontrol is sm_90's.
  kernels.earlyLaunch = !sm80;
  pm.addPass(createConvertLoomToGPU(kernels));
  // Folds the checks and extents that are static.
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createCSEPass());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  // PTX 8.0 is the first with sm_90a; CUDA 12+ ptxas reads it.
  target.features = "+ptx80";
  target.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(target));
  OpPassManager &kernel = pm.nest<gpu::GPUModuleOp>();
  kernel.addPass(createSCFToControlFlowPass());
  kernel.addPass(createConvertGpuOpsToNVVMOps());
  kernel.addPass(createLoomTensorMapParams());
  // wgmma becomes inline PTX here.
  kernel.addPass(createConvertNVVMToLLVMPass());
  kernel.addPass(createCanonicalizerPass());
  kernel.addPass(createCSEPass());
  kernel.addPass(createReconcileUnrealizedCastsPass());
}

LogicalResult mlir::loom::runLoomPipeline(
    ModuleOp module, PassManager &pm, StringRef pipeline,
    const std::function<LogicalResult(PassManager &)> &configure) {
  if (configure && failed(configure(pm)))
    return failure();
  if (const char *dumpDir = std::getenv("LOOM_DUMP_DIR")) {
    // IR printing needs the passes to run one at a time.
    module.getContext()->disableMultithreading();
    pm.enableIRPrintingToFileTree(
        [](Pass *, Operation *) { return true; },
        [](Pass *, Operation *) { return true; }, /*printModuleScope=*/true,
        /*printAfterOnlyOnChange=*/true, /*printAfterOnlyOnFailure=*/false,
        dumpDir);
  }
  if (succeeded(pm.run(module)))
    return success();
  module.emitRemark() << "the pipeline failed; replay it with: loom-opt "
                         "<input.mlir> --pass-pipeline='"
                      << pipeline
                      << "' (add --mlir-print-ir-after-failure to see the IR "
                         "at the failing pass)";
  return failure();
}

void mlir::loom::registerLoomPasses() {
  registerLoomConversionPasses();
  registerLoomTransformsPasses();
  PassPipelineRegistration<LoomToCpuOptions>(
      "loom-to-cpu",
      "Lower loom IR to the LLVM dialect for the CPU (JIT or object code)",
      buildLoomToCpuPipeline);
  PassPipelineRegistration<LoomToNvvmOptions>(
      "loom-to-nvvm",
      "Lower loom IR to a host launch plan and NVVM kernels (then "
      "gpu-module-to-binary{format=isa} gives PTX)",
      buildLoomToNvvmPipeline);
}
