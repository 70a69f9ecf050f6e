//===- MoELowering.cpp - Reference loops of the mixture-of-experts ops ----===//

#include "Common.h"
#include "loom/Dialect/Loom/IR/LoomOps.h"

using namespace mlir;
using namespace mlir::loom;

namespace {

/// Writes softmax(logits[n, :]) (in f32) into `probs` and returns nothing;
/// the max-shifted two-pass form.
void softmaxRow(LoopBuilder &lb, Value logits, Value n, Value experts,
                Value probs) {
  Value maxLogit = lb.fold(lb.index(0), experts, {lb.negInf()},
                           [&](Value e, ValueRange acc) -> SmallVector<Value> {
                             return {lb.maximum(acc[0], lb.load(logits, {n, e}))};
                           })[0];
  Value total = lb.sum(lb.index(0), experts, [&](Value e) {
    Value p = lb.exp(lb.sub(lb.load(logits, {n, e}), maxLogit));
    lb.store(p, probs, e);
    return p;
  });
  lb.loop(experts, [&](Value e) {
    lb.store(lb.div(lb.load(probs, e), total), probs, e);
  });
}

/// logsumexp(logits[n, :]) in f32.
Value logSumExp(LoopBuilder &lb, Value logits, Value n, Value experts) {
  Value maxLogit = lb.fold(lb.index(0), experts, {lb.negInf()},
                           [&](Value e, ValueRange acc) -> SmallVector<Value> {
                             return {lb.maximum(acc[0], lb.load(logits, {n, e}))};
                           })[0];
  Value total = lb.sum(lb.index(0), experts, [&](Value e) {
    return lb.exp(lb.sub(lb.load(logits, {n, e}), maxLogit));
  });
  return lb.add(maxLogit, lb.log(total));
}

/// Checks that every expert index in `indices` ([N, k], i32) is in [0, E).
void checkExpertIndices(LoopBuilder &lb, StringRef opName, Value indices,
                        Value experts) {
  lb.loop(lb.dim(indices, 0), [&](Value n) {
    lb.loop(lb.dim(indices, 1), [&](Value j) {
      Value e = lb.toIndex(lb.load(indices, {n, j}));
      lb.check(lb.andi(lb.lei(lb.index(0), e), lb.lti(e, experts)),
               opName + ": an expert index is outside [0, E)");
    });
  });
}

/// Checks offsets [E+1]: starts at 0, non-decreasing, ends at `rows`.
void checkOffsets(LoopBuilder &lb, StringRef opName, Value offsets, Value experts,
                  Value rows) {
  auto at = [&](Value i) { return lb.toIndex(lb.load(offsets, i)); };
  lb.check(lb.eqi(at(lb.index(0)), lb.index(0)),
           opName + ": offsets must start at 0");
  lb.loop(experts, [&](Value e) {
    lb.check(lb.lei(at(e), at(lb.addi(e, lb.index(1)))),
             opName + ": offsets must be non-decreasing");
  });
  lb.check(lb.eqi(at(experts), rows),
           opName + ": the last offset must equal the number of rows");
}

/// Checks that `perm` ([rows], i32) is a permutation of [0, rows) and
/// returns its inverse: the row r with perm[r] = slot, per slot.
Value invertPermutation(LoopBuilder &lb, StringRef opName, Value perm,
                        Value rows) {
  Value rowOf = lb.allocScratch({OpFoldResult(rows)},
                                lb.builder().getIndexType());
  lb.fill(rowOf, lb.index(-1));
  lb.loop(rows, [&](Value r) {
    Value slot = lb.toIndex(lb.load(perm, r));
    lb.check(lb.andi(lb.lei(lb.index(0), slot), lb.lti(slot, rows)),
             opName + ": a permutation entry is outside [0, N*k)");
    lb.check(lb.eqi(lb.load(rowOf, slot), lb.index(-1)),
             opName + ": 'permutation' repeats an entry");
    lb.store(r, rowOf, slot);
  });
  return rowOf;
}

//===----------------------------------------------------------------------===//
// loom.moe_router
//===----------------------------------------------------------------------===//

struct MoERouterLowering : OpRewritePattern<MoERouterOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MoERouterOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    Value logits = lb.read(op.getLogits());
    Value bias = op.getBias() ? lb.read(op.getBias()) : Value();
    int64_t numExperts = op.getLogits().getType().getDimSize(1);
    int64_t topK = op.getTopKAttr().getInt();
    int64_t numGroups = op.getNGroupAttr().getInt();
    int64_t keptGroups = op.getTopkGroupAttr().getInt();
    int64_t groupSize = numExperts / numGroups;
    Value tokens = lb.dim(logits, 0), experts = lb.index(numExperts);
    Value k = lb.index(topK);
    Value weights = lb.allocResultLike(op.getWeights().getType(), {tokens, k});
    Value indices = lb.allocResultLike(op.getIndices().getType(), {tokens, k});
    Type f32 = rewriter.getF32Type(), i32 = rewriter.getI32Type();
    Value probs = lb.allocScratch({numExperts}, f32);
    Value select = lb.allocScratch({numExperts}, f32);
    Value groupScore = lb.allocScratch({numGroups}, f32);
    Value groupKept = lb.allocScratch({numGroups}, f32);
    bool sigmoid = op.getScore() == "sigmoid";

    lb.loop(tokens, [&](Value n) {
      if (sigmoid)
        lb.loop(experts, [&](Value e) {
          lb.store(lb.sigmoid(lb.load(logits, {n, e})), probs, e);
        });
      else
        softmaxRow(lb, logits, n, experts, probs);
      lb.loop(experts, [&](Value e) {
        Value s = lb.load(probs, e);
        lb.store(bias ? lb.add(s, lb.load(bias, e)) : s, select, e);
      });

      if (numGroups > 1) {
        // A group scores the sum of its two largest selection scores.
        Value size = lb.index(groupSize);
        lb.fill(groupScore, lb.f32(0.0));
        lb.loop(lb.index(numGroups), [&](Value g) {
          Value base = lb.muli(g, size);
          selectTopK(
              lb, size, lb.index(std::min<int64_t>(2, groupSize)),
              [&](Value i) { return lb.load(select, lb.addi(base, i)); },
              [&](Value, Value, Value value) {
                lb.store(lb.add(lb.load(groupScore, g), value), groupScore, g);
              });
        });
        lb.fill(groupKept, lb.f32(0.0));
        selectTopK(
            lb, lb.index(numGroups), lb.index(keptGroups),
            [&](Value g) { return lb.load(groupScore, g); },
            [&](Value, Value g, Value) {
              lb.ifThen(lb.lei(lb.index(0), g),
                        [&] { lb.store(lb.f32(1.0), groupKept, g); });
            });
        lb.loop(experts, [&](Value e) {
          Value kept = lb.gtf(lb.load(groupKept, lb.divui(e, size)), lb.f32(0.0));
          lb.store(lb.select(kept, lb.load(select, e), lb.negInf()), select, e);
        });
      }

      selectTopK(
          lb, experts, k, [&](Value e) { return lb.load(select, e); },
          [&](Value slot, Value e, Value) {
            lb.store(lb.fromIndex(e, i32), indices, {n, slot});
            Value found = lb.lei(lb.index(0), e);
            Value safe = lb.select(found, e, lb.index(0));
            lb.store(lb.select(found, lb.load(probs, safe), lb.f32(0.0)),
                     weights, {n, slot});
          });
      Value factor = lb.f32(op.getScaling().convertToFloat());
      if (op.getNormalize()) {
        Value total = lb.sum(lb.index(0), k, [&](Value j) {
          return lb.load(weights, {n, j});
        });
        factor = lb.div(factor, lb.add(total, lb.f32(1e-20)));
      }
      lb.loop(k, [&](Value j) {
        lb.store(lb.mul(lb.load(weights, {n, j}), factor), weights, {n, j});
      });
    });
    replaceUsedResults(rewriter, op,
                       {lb.toTensor(weights, op.getWeights().getType()),
                        lb.toTensor(indices, op.getIndices().getType())});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// loom.moe_aux_loss and loom.router_z_loss
//===----------------------------------------------------------------------===//

struct MoEAuxLossLowering : OpRewritePattern<MoEAuxLossOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MoEAuxLossOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    RuntimeShapes shapes(lb, "loom.moe_aux_loss");
    Value logits = lb.read(op.getLogits()), indices = lb.read(op.getIndices());
    shapes.bind("logits", logits, {"N", "E"});
    shapes.bind("indices", indices, {"N", "k"});
    Value tokens = shapes.get("N"), experts = shapes.get("E");
    Value k = shapes.get("k");
    int64_t numExperts = op.getLogits().getType().getDimSize(1);
    checkExpertIndices(lb, "loom.moe_aux_loss", indices, experts);

    Type f32 = rewriter.getF32Type();
    Value meanProb = lb.allocScratch({numExperts}, f32);
    Value count = lb.allocScratch({numExperts}, f32);
    Value probs = lb.allocScratch({numExperts}, f32);
    lb.fill(meanProb, lb.f32(0.0));
    lb.fill(count, lb.f32(0.0));
    lb.loop(tokens, [&](Value n) {
      softmaxRow(lb, logits, n, experts, probs);
      lb.loop(experts, [&](Value e) {
        lb.store(lb.add(lb.load(meanProb, e), lb.load(probs, e)), meanProb, e);
      });
      lb.loop(k, [&](Value j) {
        Value e = lb.toIndex(lb.load(indices, {n, j}));
        lb.store(lb.add(lb.load(count, e), lb.f32(1.0)), count, e);
      });
    });
    // loss = alpha * sum_e (E * count_e / (N k)) * (sum_n p_ne / N)
    Value nf = lb.sitofp(lb.fromIndex(tokens, rewriter.getI64Type()));
    Value kf = lb.sitofp(lb.fromIndex(k, rewriter.getI64Type()));
    Value dot = lb.sum(lb.index(0), experts, [&](Value e) {
      return lb.mul(lb.load(count, e), lb.load(meanProb, e));
    });
    Value scale = lb.div(lb.f32(op.getAlpha().convertToDouble() * numExperts),
                         lb.mul(lb.mul(nf, kf), nf));
    Value loss = lb.allocResult(op.getLoss().getType(), {});
    lb.store(lb.mul(scale, dot), loss, {});
    replaceUsedResults(rewriter, op, {lb.toTensor(loss, op.getLoss().getType())});
    return success();
  }
};

struct RouterZLossLowering : OpRewritePattern<RouterZLossOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RouterZLossOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    Value logits = lb.read(op.getLogits());
    Value tokens = lb.dim(logits, 0), experts = lb.dim(logits, 1);
    Value total = lb.sum(lb.index(0), tokens, [&](Value n) {
      Value lse = logSumExp(lb, logits, n, experts);
      return lb.mul(lse, lse);
    });
    Value nf = lb.sitofp(lb.fromIndex(tokens, rewriter.getI64Type()));
    Value loss = lb.allocResult(op.getLoss().getType(), {});
    lb.store(lb.div(total, nf), loss, {});
    replaceUsedResults(rewriter, op, {lb.toTensor(loss, op.getLoss().getType())});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// loom.moe_dispatch
//===----------------------------------------------------------------------===//

struct MoEDispatchLowering : OpRewritePattern<MoEDispatchOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MoEDispatchOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    RuntimeShapes shapes(lb, "loom.moe_dispatch");
    Value x = lb.read(op.getX()), indices = lb.read(op.getIndices());
    shapes.bind("x", x, {"N", "Dm"});
    shapes.bind("indices", indices, {"N", "k"});
    Value tokens = shapes.get("N"), k = shapes.get("k"), width = shapes.get("Dm");
    int64_t numExperts = op.getNumExpertsAttr().getInt();
    Value experts = lb.index(numExperts);
    checkExpertIndices(lb, "loom.moe_dispatch", indices, experts);

    Value rows = lb.muli(tokens, k);
    // After fusion the matmuls read rows through the permutation: then the
    // sorted copy has no users and is not made.
    Value sorted;
    if (!op.getSorted().use_empty())
      sorted = lb.allocResultLike(op.getSorted().getType(), {rows, width});
    Value perm = lb.allocResultLike(op.getPermutation().getType(), {rows});
    Value offsets = lb.allocResultLike(op.getOffsets().getType(),
                                       {lb.index(numExperts + 1)});
    Value cursor = lb.allocScratch({numExperts}, rewriter.getIndexType());
    Type i32 = rewriter.getI32Type();

    // Histogram, exclusive scan, then a stable scatter in flat slot order.
    lb.fill(cursor, lb.index(0));
    lb.loop(rows, [&](Value slot) {
      Value e = lb.toIndex(lb.load(indices, {lb.divui(slot, k), lb.remui(slot, k)}));
      lb.store(lb.addi(lb.load(cursor, e), lb.index(1)), cursor, e);
    });
    lb.store(lb.fromIndex(lb.index(0), i32), offsets, lb.index(0));
    lb.fold(lb.index(0), experts, {lb.index(0)},
            [&](Value e, ValueRange acc) -> SmallVector<Value> {
              Value next = lb.addi(acc[0], lb.load(cursor, e));
              lb.store(acc[0], cursor, e);
              lb.store(lb.fromIndex(next, i32), offsets, lb.addi(e, lb.index(1)));
              return {next};
            });
    lb.loop(rows, [&](Value slot) {
      Value token = lb.divui(slot, k);
      Value e = lb.toIndex(lb.load(indices, {token, lb.remui(slot, k)}));
      Value r = lb.load(cursor, e);
      lb.store(lb.addi(r, lb.index(1)), cursor, e);
      lb.store(lb.fromIndex(slot, i32), perm, r);
      if (sorted)
        lb.loop(width, [&](Value d) {
          lb.store(lb.loadRaw(x, {token, d}), sorted, {r, d});
        });
    });
    replaceUsedResults(rewriter, op,
                       {sorted ? lb.toTensor(sorted, op.getSorted().getType())
                               : Value(),
                        lb.toTensor(perm, op.getPermutation().getType()),
                        lb.toTensor(offsets, op.getOffsets().getType())});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// loom.grouped_matmul
//===----------------------------------------------------------------------===//

/// Rows [offsets[e], offsets[e+1]) times w[e], with an optional SwiGLU;
/// `inputRow(r)` is the row of `input` that output row r reads.
Value lowerExpertMatmul(LoopBuilder &lb, StringRef name, Value input,
                        TypedValue<RankedTensorType> wTensor, Value offsetsTensor,
                        StringRef activation, Value outputTensor, Value rows,
                        function_ref<Value(Value)> inputRow) {
  Value w = lb.read(wTensor), offsets = lb.read(offsetsTensor);
  auto wType = wTensor.getType();
  int64_t numExperts = wType.getDimSize(0), inWidth = wType.getDimSize(1);
  int64_t outWidth = wType.getDimSize(2);
  bool swiglu = activation == "swiglu";
  int64_t resultWidth = swiglu ? outWidth / 2 : outWidth;
  Value experts = lb.index(numExperts), half = lb.index(resultWidth);
  checkOffsets(lb, name, offsets, experts, rows);
  Value output = lb.allocResultLike(outputTensor.getType(), {rows, half});

  lb.loop(experts, [&](Value e) {
    Value begin = lb.toIndex(lb.load(offsets, e));
    Value end = lb.toIndex(lb.load(offsets, lb.addi(e, lb.index(1))));
    lb.loop(begin, end, [&](Value r) {
      Value row = inputRow(r);
      lb.loop(half, [&](Value o) {
        auto column = [&](Value col) {
          return lb.sum(lb.index(0), lb.index(inWidth), [&](Value i) {
            return lb.mul(lb.load(input, {row, i}), lb.load(w, {e, i, col}));
          });
        };
        Value y = column(o);
        if (swiglu)
          y = lb.mul(lb.silu(y), column(lb.addi(o, half)));
        lb.store(y, output, {r, o});
      });
    });
  });
  return lb.toTensor(output, outputTensor.getType());
}

struct GroupedMatmulLowering : OpRewritePattern<GroupedMatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GroupedMatmulOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    Value xs = lb.read(op.getXs());
    Value result = lowerExpertMatmul(
        lb, "loom.grouped_matmul", xs, op.getW(), op.getOffsets(),
        op.getActivation(), op.getOutput(), lb.dim(xs, 0),
        [](Value r) { return r; });
    replaceUsedResults(rewriter, op, {result});
    return success();
  }
};

struct GatheredMatmulLowering : OpRewritePattern<GatheredMatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GatheredMatmulOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    StringRef name = "loom.gathered_matmul";
    Value x = lb.read(op.getX()), perm = lb.read(op.getPermutation());
    Value topK = lb.index(op.getTopKAttr().getInt());
    Value rows = lb.dim(perm, 0);
    lb.check(lb.eqi(rows, lb.muli(lb.dim(x, 0), topK)),
             name + ": 'permutation' must have N*top_k entries");
    lb.loop(rows, [&](Value r) {
      Value slot = lb.toIndex(lb.load(perm, r));
      lb.check(lb.andi(lb.lei(lb.index(0), slot), lb.lti(slot, rows)),
               name + ": a permutation entry is outside [0, N*top_k)");
    });
    Value result = lowerExpertMatmul(
        lb, name, x, op.getW(), op.getOffsets(), op.getActivation(),
        op.getOutput(), rows, [&](Value r) {
          return lb.divui(lb.toIndex(lb.load(perm, r)), topK);
        });
    replaceUsedResults(rewriter, op, {result});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// loom.moe_combine
//===----------------------------------------------------------------------===//

struct MoECombineLowering : OpRewritePattern<MoECombineOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MoECombineOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    StringRef name = "loom.moe_combine";
    RuntimeShapes shapes(lb, name);
    Value ys = lb.read(op.getYs()), perm = lb.read(op.getPermutation());
    Value weights = lb.read(op.getWeights());
    shapes.bind("weights", weights, {"N", "k"});
    shapes.bind("ys", ys, {"Nk", "Dm"});
    shapes.bind("permutation", perm, {"Nk"});
    Value tokens = shapes.get("N"), k = shapes.get("k"), width = shapes.get("Dm");
    Value rows = shapes.get("Nk");
    lb.check(lb.eqi(rows, lb.muli(tokens, k)),
             name + ": 'ys' must have N*k rows");

    Value rowOf = invertPermutation(lb, name, perm, rows);

    Value output = lb.allocResultLike(op.getOutput().getType(), {tokens, width});
    lb.loop(tokens, [&](Value n) {
      lb.loop(width, [&](Value d) {
        Value acc = lb.sum(lb.index(0), k, [&](Value j) {
          Value r = lb.load(rowOf, lb.addi(lb.muli(n, k), j));
          return lb.mul(lb.load(weights, {n, j}), lb.load(ys, {r, d}));
        });
        lb.store(acc, output, {n, d});
      });
    });
    replaceUsedResults(rewriter, op,
                       {lb.toTensor(output, op.getOutput().getType())});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// loom.grouped_matmul_combine
//===----------------------------------------------------------------------===//

struct GroupedMatmulCombineLowering : OpRewritePattern<GroupedMatmulCombineOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GroupedMatmulCombineOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    StringRef name = "loom.grouped_matmul_combine";
    RuntimeShapes shapes(lb, name);
    Value h = lb.read(op.getH()), w = lb.read(op.getW());
    Value offsets = lb.read(op.getOffsets()), perm = lb.read(op.getPermutation());
    Value weights = lb.read(op.getWeights());
    shapes.bind("weights", weights, {"N", "k"});
    shapes.bind("h", h, {"Nk", "Din"});
    shapes.bind("permutation", perm, {"Nk"});
    Value tokens = shapes.get("N"), k = shapes.get("k"), rows = shapes.get("Nk");
    lb.check(lb.eqi(rows, lb.muli(tokens, k)), name + ": 'h' must have N*k rows");
    auto wType = op.getW().getType();
    int64_t numExperts = wType.getDimSize(0), inWidth = wType.getDimSize(1);
    int64_t outWidth = wType.getDimSize(2);
    Value experts = lb.index(numExperts), width = lb.index(outWidth);
    checkOffsets(lb, name, offsets, experts, rows);

    // perm must be a permutation of [0, N*k), as for loom.moe_combine.
    invertPermutation(lb, name, perm, rows);

    Type f32 = rewriter.getF32Type();
    Value acc = lb.allocScratch({OpFoldResult(tokens),
                                 rewriter.getIndexAttr(outWidth)}, f32);
    lb.fill(acc, lb.f32(0.0));
    lb.loop(experts, [&](Value e) {
      Value begin = lb.toIndex(lb.load(offsets, e));
      Value end = lb.toIndex(lb.load(offsets, lb.addi(e, lb.index(1))));
      lb.loop(begin, end, [&](Value r) {
        Value slot = lb.toIndex(lb.load(perm, r));
        Value n = lb.divui(slot, k), j = lb.remui(slot, k);
        Value scale = lb.load(weights, {n, j});
        lb.loop(width, [&](Value o) {
          Value y = lb.sum(lb.index(0), lb.index(inWidth), [&](Value i) {
            return lb.mul(lb.load(h, {r, i}), lb.load(w, {e, i, o}));
          });
          lb.store(lb.add(lb.load(acc, {n, o}), lb.mul(scale, y)), acc, {n, o});
        });
      });
    });
    Value output = lb.allocResultLike(op.getOutput().getType(), {tokens, width});
    lb.copyMatrix(acc, {}, output, {}, tokens, width);
    replaceUsedResults(rewriter, op,
                       {lb.toTensor(output, op.getOutput().getType())});
    return success();
  }
};

} // namespace

void mlir::loom::populateMoELoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<MoERouterLowering, MoEAuxLossLowering, RouterZLossLowering,
               MoEDispatchLowering, GroupedMatmulLowering,
               GatheredMatmulLowering, MoECombineLowering,
               GroupedMatmulCombineLowering>(
      patterns.getContext());
}
