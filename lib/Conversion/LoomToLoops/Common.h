//===- Common.h - Shared pieces of the reference lowerings ------*- C++ -*-===//

#ifndef LOOM_LIB_CONVERSION_LOOMTOLOOPS_COMMON_H
#define LOOM_LIB_CONVERSION_LOOMTOLOOPS_COMMON_H

#include "LoopBuilder.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::loom {

/// The segments a recurrence walks: each batch row [0, T) or, with
/// cu_seqlens, the segments [cu[n], cu[n+1]) of row 0.
struct Sequences {
  /// Checks `cuSeqlens` (a buffer, or null) at run time: B = 1, at least one
  /// offset, cu[0] = 0, non-decreasing, cu[N] = T.
  Sequences(LoopBuilder &lb, StringRef opName, Value batch, Value time,
            Value cuSeqlens);

  /// The number of sequences (index).
  Value count;

  struct Bounds {
    Value batchRow, start, end;
  };
  Bounds bounds(Value n);

private:
  LoopBuilder &lb;
  Value time, cuSeqlens;
};

/// Greedy top-k over `count` scores read by `score(i)`: descending, ties to
/// the smaller index, NaN and -inf never selected. Calls `emit(slot, index,
/// value)` for each of the `k` slots; once the eligible entries run out,
/// `index` is -1 and `value` is -inf. O(k * count): a reference, not a
/// kernel.
void selectTopK(LoopBuilder &lb, Value count, Value k,
                function_ref<Value(Value)> score,
                function_ref<void(Value, Value, Value)> emit);

/// Replaces the results of `op` that have uses with `values` (null for
/// results that were not computed) and erases `op`.
void replaceUsedResults(RewriterBase &rewriter, Operation *op,
                        ArrayRef<Value> values);

void populateRecurrentLoweringPatterns(RewritePatternSet &patterns);
void populateAttentionLoweringPatterns(RewritePatternSet &patterns);
void populateMoELoweringPatterns(RewritePatternSet &patterns);

} // namespace mlir::loom

#endif // LOOM_LIB_CONVERSION_LOOMTOLOOPS_COMMON_H
