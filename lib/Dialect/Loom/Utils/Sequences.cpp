//===- Sequences.cpp - The segments a recurrence walks --------------------===//

#include "loom/Dialect/Loom/Utils/Sequences.h"

using namespace mlir;
using namespace mlir::loom;

Sequences::Sequences(LoopBuilder &lb, StringRef opName, Value batch,
                     Value time, Value cuSeqlens)
    : lb(lb), time(time), cuSeqlens(cuSeqlens) {
  if (!cuSeqlens) {
    count = batch;
    return;
  }
  lb.check(lb.eqi(batch, lb.index(1)),
           opName + ": with cu_seqlens the batch size must be 1");
  Value offsets = lb.dim(cuSeqlens, 0);
  lb.check(lb.lei(lb.index(1), offsets),
           opName + ": cu_seqlens must hold at least one offset");
  auto at = [&](Value i) { return lb.toIndex(lb.load(cuSeqlens, i)); };
  lb.check(lb.eqi(at(lb.index(0)), lb.index(0)),
           opName + ": cu_seqlens must start at 0");
  count = lb.subi(offsets, lb.index(1));
  lb.loop(count, [&](Value i) {
    lb.check(lb.lei(at(i), at(lb.addi(i, lb.index(1)))),
             opName + ": cu_seqlens must be non-decreasing");
  });
  lb.check(lb.eqi(at(count), time),
           opName + ": the last cu_seqlens offset must equal T");
}

Sequences::Bounds Sequences::bounds(Value n) {
  if (!cuSeqlens)
    return {n, lb.index(0), time};
  Value start = lb.toIndex(lb.load(cuSeqlens, n));
  Value end = lb.toIndex(lb.load(cuSeqlens, lb.addi(n, lb.index(1))));
  return {lb.index(0), start, end};
}
