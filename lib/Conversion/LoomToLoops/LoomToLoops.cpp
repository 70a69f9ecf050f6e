//===- LoomToLoops.cpp - The reference lowering pass ----------------------===//

#include "Common.h"
#include "loom/Conversion/Passes.h"
#include "loom/Dialect/Loom/IR/LoomDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::loom {
#define GEN_PASS_DEF_CONVERTLOOMTOLOOPS
#include "loom/Conversion/Passes.h.inc"
} // namespace mlir::loom

using namespace mlir;
using namespace mlir::loom;

void mlir::loom::populateLoomToLoopsPatterns(RewritePatternSet &patterns) {
  populateRecurrentLoweringPatterns(patterns);
  populateAttentionLoweringPatterns(patterns);
  populateMoELoweringPatterns(patterns);
}

namespace {
struct ConvertLoomToLoopsPass
    : mlir::loom::impl::ConvertLoomToLoopsBase<ConvertLoomToLoopsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateLoomToLoopsPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));

    WalkResult leftover = getOperation().walk([](Operation *op) {
      if (!isa<LoomDialect>(op->getDialect()))
        return WalkResult::advance();
      op->emitOpError("has no reference lowering");
      return WalkResult::interrupt();
    });
    if (leftover.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
