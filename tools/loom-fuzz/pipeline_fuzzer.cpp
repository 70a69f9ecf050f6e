//===- pipeline_fuzzer.cpp - Fuzz the CPU pipeline on verified IR ---------===//
//
// Inputs that parse and verify go through both loom-to-cpu pipelines (the
// fused and chunked one, and the reference loops) down to the LLVM
// dialect. A pass may reject an input with a diagnostic; it may not crash.
//
//===----------------------------------------------------------------------===//

#include "FuzzContext.h"

#include "mlir/Pass/PassManager.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  for (bool reference : {false, true}) {
    mlir::OwningOpRef<mlir::ModuleOp> module =
        loom::fuzz::parseVerified(data, size);
    if (!module)
      return 0;
    mlir::PassManager pm(&loom::fuzz::context());
    mlir::loom::LoomToCpuOptions options;
    options.reference = reference;
    options.chunkSize = 16;
    mlir::loom::buildLoomToCpuPipeline(pm, options);
    (void)pm.run(*module);
  }
  return 0;
}
