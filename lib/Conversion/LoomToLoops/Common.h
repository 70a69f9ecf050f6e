//===- Common.h - Shared pieces of the reference lowerings ------*- C++ -*-===//

#ifndef LOOM_LIB_CONVERSION_LOOMTOLOOPS_COMMON_H
#define LOOM_LIB_CONVERSION_LOOMTOLOOPS_COMMON_H

#include "loom/Dialect/Loom/Utils/LoopBuilder.h"
#include "loom/Dialect/Loom/Utils/ReplaceResults.h"
#include "loom/Dialect/Loom/Utils/Sequences.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::loom {

/// Greedy top-k over `count` scores read by `score(i)`: descending, ties to
/// the smaller index, NaN and -inf never selected. Calls `emit(slot, index,
/// value)` for each of the `k` slots; once the eligible entries run out,
/// `index` is -1 and `value` is -inf. O(k * count): a reference, not a
/// kernel.
void selectTopK(LoopBuilder &lb, Value count, Value k,
                function_ref<Value(Value)> score,
                function_ref<void(Value, Value, Value)> emit);

void populateRecurrentLoweringPatterns(RewritePatternSet &patterns);
void populateAttentionLoweringPatterns(RewritePatternSet &patterns);
void populateMoELoweringPatterns(RewritePatternSet &patterns);

} // namespace mlir::loom

#endif // LOOM_LIB_CONVERSION_LOOMTOLOOPS_COMMON_H
