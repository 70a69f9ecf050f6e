//===- ReplaceResults.cpp - Replace the results a rewrite computed --------===//

#include "loom/Dialect/Loom/Utils/ReplaceResults.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

void mlir::loom::replaceUsedResults(RewriterBase &rewriter, Operation *op,
                                    ArrayRef<Value> values) {
  for (auto [result, computed] : llvm::zip_equal(op->getResults(), values)) {
    if (result.use_empty())
      continue;
    Value value = computed;
    if (value.getType() != result.getType())
      value = tensor::CastOp::create(rewriter, op->getLoc(), result.getType(),
                                     value);
    rewriter.replaceAllUsesWith(result, value);
  }
  rewriter.eraseOp(op);
}
