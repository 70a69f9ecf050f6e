//===- ReplaceResults.h - Replace the results a rewrite computed -*- C++ -*-===//

#ifndef LOOM_DIALECT_LOOM_UTILS_REPLACERESULTS_H
#define LOOM_DIALECT_LOOM_UTILS_REPLACERESULTS_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::loom {

/// Replaces each result of `op` that has uses by the matching value (cast
/// with tensor.cast where its static shape is more or less precise), then
/// erases `op`. Values for unused results may be null: a lowering need not
/// compute a final state nobody reads.
void replaceUsedResults(RewriterBase &rewriter, Operation *op,
                        ArrayRef<Value> values);

} // namespace mlir::loom

#endif // LOOM_DIALECT_LOOM_UTILS_REPLACERESULTS_H
