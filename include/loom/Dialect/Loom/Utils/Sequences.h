//===- Sequences.h - The segments a recurrence walks ------------*- C++ -*-===//

#ifndef LOOM_DIALECT_LOOM_UTILS_SEQUENCES_H
#define LOOM_DIALECT_LOOM_UTILS_SEQUENCES_H

#include "loom/Dialect/Loom/Utils/LoopBuilder.h"

namespace mlir::loom {

/// The segments a recurrence walks: each batch row [0, T) or, with
/// cu_seqlens, the segments [cu[n], cu[n+1]) of row 0.
struct Sequences {
  /// Checks `cuSeqlens` (a buffer or tensor, or null) at run time: B = 1,
  /// at least one offset, cu[0] = 0, non-decreasing, cu[N] = T.
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

} // namespace mlir::loom

#endif // LOOM_DIALECT_LOOM_UTILS_SEQUENCES_H
