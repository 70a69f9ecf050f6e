//===- ir_fuzzer.cpp - Fuzz the parser, verifiers and canonicalizer -------===//
//
// Any byte string: parse, verify, canonicalize. Rejection is fine; a crash,
// a sanitizer report or an assertion is a bug.
//
//===----------------------------------------------------------------------===//

#include "FuzzContext.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::OwningOpRef<mlir::ModuleOp> module = loom::fuzz::parseVerified(data, size);
  if (!module)
    return 0;
  mlir::PassManager pm(&loom::fuzz::context());
  pm.addPass(mlir::createCanonicalizerPass());
  (void)pm.run(*module);
  return 0;
}
