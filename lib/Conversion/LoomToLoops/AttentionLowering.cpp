//===- AttentionLowering.cpp - Reference loops of sparse attention --------===//

#include "Common.h"
#include "loom/Dialect/Loom/IR/LoomOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::loom;

void mlir::loom::selectTopK(LoopBuilder &lb, Value count, Value k,
                            function_ref<Value(Value)> score,
                            function_ref<void(Value, Value, Value)> emit) {
  Value none = lb.index(-1);
  Value posInf = lb.f32(std::numeric_limits<double>::infinity());
  // Each slot takes the best entry strictly after the previous slot's entry
  // in (value descending, index ascending) order.
  lb.fold(lb.index(0), k, {posInf, none},
          [&](Value slot, ValueRange prev) -> SmallVector<Value> {
            Value prevValue = prev[0], prevIndex = prev[1];
            SmallVector<Value> best = lb.fold(
                lb.index(0), count, {lb.negInf(), none},
                [&](Value i, ValueRange acc) -> SmallVector<Value> {
                  Value v = score(i);
                  Value finiteOrPosInf = lb.gtf(v, lb.negInf());
                  Value after = lb.ori(
                      lb.cmpf(static_cast<int>(arith::CmpFPredicate::OLT), v,
                              prevValue),
                      lb.andi(lb.eqf(v, prevValue), lb.lti(prevIndex, i)));
                  Value better =
                      lb.ori(lb.eqi(acc[1], none), lb.gtf(v, acc[0]));
                  Value take = lb.andi(lb.andi(finiteOrPosInf, after), better);
                  return {lb.select(take, v, acc[0]),
                          lb.select(take, i, acc[1])};
                });
            Value found = lb.noti(lb.eqi(best[1], none));
            emit(slot, best[1], lb.select(found, best[0], lb.negInf()));
            return {lb.select(found, best[0], prevValue),
                    lb.select(found, best[1], prevIndex)};
          });
}

namespace {

/// Softmax attention of one query row over `count` candidate keys:
/// `key(j)` says whether candidate j takes part and which key row it reads.
/// Writes the `valueDim` outputs through `emit(d, value)`.
void attendRow(LoopBuilder &lb, Value count, Value scores,
               function_ref<std::pair<Value, Value>(Value)> key,
               function_ref<Value(Value, Value)> dot,
               function_ref<Value(Value, Value)> value, Value valueDim,
               Value scale, function_ref<void(Value, Value)> emit) {
  Value maxScore = lb.fold(lb.index(0), count, {lb.negInf()},
                           [&](Value j, ValueRange acc) -> SmallVector<Value> {
                             auto [valid, keyRow] = key(j);
                             Value row = keyRow;
                             Value s = lb.ifElse(
                                 valid, [&] { return lb.mul(scale, dot(row, j)); },
                                 [&] { return lb.negInf(); });
                             lb.store(s, scores, j);
                             return {lb.maximum(acc[0], s)};
                           })[0];
  // A row whose candidates are all masked has max -inf; shift by 0 then so
  // that its weights are exp(-inf) = 0 rather than NaN.
  Value shift = lb.select(lb.eqf(maxScore, lb.negInf()), lb.f32(0.0), maxScore);
  Value total = lb.sum(lb.index(0), count, [&](Value j) {
    Value p = lb.exp(lb.sub(lb.load(scores, j), shift));
    lb.store(p, scores, j);
    return p;
  });
  Value inv = lb.select(lb.eqf(total, lb.f32(0.0)), lb.f32(0.0),
                        lb.div(lb.f32(1.0), total));
  lb.loop(valueDim, [&](Value d) {
    Value acc = lb.sum(lb.index(0), count, [&](Value j) {
      auto [valid, keyRow] = key(j);
      Value row = keyRow;
      return lb.ifElse(
          valid, [&] { return lb.mul(lb.load(scores, j), value(row, d)); },
          [&] { return lb.f32(0.0); });
    });
    emit(d, lb.mul(acc, inv));
  });
}

//===----------------------------------------------------------------------===//
// loom.lightning_indexer and loom.indexer_topk
//===----------------------------------------------------------------------===//

/// I[b,t,s] = sum_h w[b,t,h] relu(<qi[b,t,h], ki[b,s]>), or -inf for a key
/// that a causal query cannot see.
class IndexerScore {
public:
  IndexerScore(LoopBuilder &lb, Value qi, Value ki, Value w, bool causal,
               Value time, Value keys)
      : lb(lb), qi(qi), ki(ki), w(w), causal(causal),
        offset(lb.subi(keys, time)) {
    auto type = cast<MemRefType>(qi.getType());
    heads = lb.index(type.getDimSize(2));
    width = lb.index(type.getDimSize(3));
  }

  Value operator()(Value b, Value t, Value s) {
    auto compute = [&] {
      return lb.sum(lb.index(0), heads, [&](Value h) {
        Value dot = lb.sum(lb.index(0), width, [&](Value d) {
          return lb.mul(lb.load(qi, {b, t, h, d}), lb.load(ki, {b, s, d}));
        });
        return lb.mul(lb.load(w, {b, t, h}), lb.maximum(dot, lb.f32(0.0)));
      });
    };
    if (!causal)
      return compute();
    Value visible = lb.lei(s, lb.addi(t, offset));
    return lb.ifElse(visible, compute, [&] { return lb.negInf(); });
  }

private:
  LoopBuilder &lb;
  Value qi, ki, w;
  bool causal;
  Value offset, heads, width;
};

struct LightningIndexerLowering : OpRewritePattern<LightningIndexerOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LightningIndexerOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    RuntimeShapes shapes(lb, "loom.lightning_indexer");
    Value qi = lb.read(op.getQi()), ki = lb.read(op.getKi()), w = lb.read(op.getW());
    shapes.bind("qi", qi, {"B", "T", "Hi", "Di"});
    shapes.bind("ki", ki, {"B", "S", "Di"});
    shapes.bind("w", w, {"B", "T", "Hi"});
    Value batch = shapes.get("B"), time = shapes.get("T"), keys = shapes.get("S");
    if (op.getCausal())
      lb.check(lb.lei(time, keys), "loom.lightning_indexer: 'causal' needs T <= S");
    Value scores = lb.allocResultLike(op.getScores().getType(), {batch, time, keys});
    IndexerScore score(lb, qi, ki, w, op.getCausal(), time, keys);
    lb.loop(batch, [&](Value b) {
      lb.loop(time, [&](Value t) {
        lb.loop(keys, [&](Value s) { lb.store(score(b, t, s), scores, {b, t, s}); });
      });
    });
    replaceUsedResults(rewriter, op,
                       {lb.toTensor(scores, op.getScores().getType())});
    return success();
  }
};

/// The fused form: a running top-k per query row, kept sorted (value
/// descending, index ascending) in the output row itself, so the scores of
/// a row are seen once and never stored.
struct IndexerTopKLowering : OpRewritePattern<IndexerTopKOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(IndexerTopKOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    RuntimeShapes shapes(lb, "loom.indexer_topk");
    Value qi = lb.read(op.getQi()), ki = lb.read(op.getKi()), w = lb.read(op.getW());
    shapes.bind("qi", qi, {"B", "T", "Hi", "Di"});
    shapes.bind("ki", ki, {"B", "S", "Di"});
    shapes.bind("w", w, {"B", "T", "Hi"});
    Value batch = shapes.get("B"), time = shapes.get("T"), keys = shapes.get("S");
    if (op.getCausal())
      lb.check(lb.lei(time, keys), "loom.indexer_topk: 'causal' needs T <= S");
    int64_t topK = op.getKAttr().getInt();
    Value k = lb.index(topK), lastSlot = lb.index(topK - 1);
    Value values = lb.allocResultLike(op.getValues().getType(), {batch, time, k});
    Value indices = lb.allocResultLike(op.getIndices().getType(), {batch, time, k});
    Type i32 = rewriter.getI32Type();
    IndexerScore score(lb, qi, ki, w, op.getCausal(), time, keys);

    lb.loop(batch, [&](Value b) {
      lb.loop(time, [&](Value t) {
        lb.loop(k, [&](Value j) {
          lb.store(lb.negInf(), values, {b, t, j});
          lb.store(lb.fromIndex(lb.index(-1), i32), indices, {b, t, j});
        });
        lb.fold(lb.index(0), keys, {lb.index(0)},
                [&](Value s, ValueRange kept) -> SmallVector<Value> {
                  Value v = score(b, t, s);
                  // NaN and -inf are never selected; a later key loses ties.
                  Value eligible = lb.gtf(v, lb.negInf());
                  Value full = lb.eqi(kept[0], k);
                  Value beatsLast = lb.gtf(v, lb.load(values, {b, t, lastSlot}));
                  Value enters = lb.andi(eligible, lb.ori(lb.noti(full), beatsLast));
                  lb.ifThen(enters, [&] {
                    Value at = lb.fold(
                        lb.index(0), kept[0], {lb.index(0)},
                        [&](Value j, ValueRange pos) -> SmallVector<Value> {
                          Value ahead = lb.cmpf(
                              static_cast<int>(arith::CmpFPredicate::OGE),
                              lb.load(values, {b, t, j}), v);
                          return {lb.select(ahead, lb.addi(pos[0], lb.index(1)),
                                            pos[0])};
                        })[0];
                    // Shift [at, top) one slot down, dropping the last if full.
                    Value top = lb.select(full, lastSlot, kept[0]);
                    lb.loop(lb.subi(top, at), [&](Value r) {
                      Value j = lb.subi(top, r);
                      Value from = lb.subi(j, lb.index(1));
                      lb.store(lb.load(values, {b, t, from}), values, {b, t, j});
                      lb.store(lb.loadRaw(indices, {b, t, from}), indices,
                               {b, t, j});
                    });
                    lb.store(v, values, {b, t, at});
                    lb.store(lb.fromIndex(s, i32), indices, {b, t, at});
                  });
                  Value grown = lb.select(full, k, lb.addi(kept[0], lb.index(1)));
                  return {lb.select(enters, grown, kept[0])};
                });
      });
    });
    replaceUsedResults(rewriter, op,
                       {lb.toTensor(values, op.getValues().getType()),
                        lb.toTensor(indices, op.getIndices().getType())});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// loom.topk
//===----------------------------------------------------------------------===//

struct TopKLowering : OpRewritePattern<TopKOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TopKOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    Value scores = lb.read(op.getScores());
    int64_t rank = op.getScores().getType().getRank();
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < rank; ++i)
      sizes.push_back(lb.dim(scores, i));
    Value count = sizes.back();
    Value k = lb.index(op.getKAttr().getInt());
    sizes.back() = k;
    Value values = lb.allocResultLike(op.getValues().getType(), sizes);
    Value indices = lb.allocResultLike(op.getIndices().getType(), sizes);
    Type i32 = rewriter.getI32Type();

    // One row per combination of the leading indices.
    std::function<void(SmallVector<Value> &)> rows =
        [&](SmallVector<Value> &prefix) {
          if (static_cast<int64_t>(prefix.size()) == rank - 1) {
            auto at = [&](Value last) {
              SmallVector<Value> idx(prefix);
              idx.push_back(last);
              return idx;
            };
            selectTopK(
                lb, count, k, [&](Value i) { return lb.load(scores, at(i)); },
                [&](Value slot, Value index, Value value) {
                  lb.store(value, values, at(slot));
                  lb.store(lb.fromIndex(index, i32), indices, at(slot));
                });
            return;
          }
          lb.loop(sizes[prefix.size()], [&](Value i) {
            prefix.push_back(i);
            rows(prefix);
            prefix.pop_back();
          });
        };
    SmallVector<Value> prefix;
    rows(prefix);
    replaceUsedResults(rewriter, op,
                       {lb.toTensor(values, op.getValues().getType()),
                        lb.toTensor(indices, op.getIndices().getType())});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// loom.sparse_attention and loom.attention
//===----------------------------------------------------------------------===//

/// The operand reads shared by sparse and dense attention.
struct AttentionOperands {
  AttentionOperands(LoopBuilder &lb, RuntimeShapes &shapes, Value qT, Value kT,
                    Value vT)
      : q(lb.read(qT)), k(lb.read(kT)), v(lb.read(vT)) {
    shapes.bind("q", q, {"B", "T", "H", "D"});
    shapes.bind("k", k, {"B", "S", "Hkv", "D"});
    shapes.bind("v", v, {"B", "S", "Hkv", "Dv"});
    auto qType = cast<RankedTensorType>(qT.getType());
    auto vType = cast<RankedTensorType>(vT.getType());
    heads = qType.getDimSize(2);
    width = qType.getDimSize(3);
    valueWidth = vType.getDimSize(3);
    kvHeads = vType.getDimSize(2);
  }

  /// Attention of every (batch, query, head) over `count` candidates;
  /// `key(b, t, j)` says whether candidate j takes part and which key row it
  /// reads. Writes [B, T, H, Dv] into `output`.
  void attendAll(LoopBuilder &lb, Value batch, Value time, Value count,
                 Value scores, Value scale, Value output,
                 function_ref<std::pair<Value, Value>(Value, Value, Value)> key) {
    Value group = lb.index(heads / kvHeads);
    lb.loop(batch, [&](Value b) {
      lb.loop(time, [&](Value t) {
        lb.loop(lb.index(heads), [&](Value h) {
          Value hk = lb.divui(h, group);
          attendRow(
              lb, count, scores, [&](Value j) { return key(b, t, j); },
              [&](Value row, Value) {
                return lb.sum(lb.index(0), lb.index(width), [&](Value d) {
                  return lb.mul(lb.load(q, {b, t, h, d}),
                                lb.load(k, {b, row, hk, d}));
                });
              },
              [&](Value row, Value d) { return lb.load(v, {b, row, hk, d}); },
              lb.index(valueWidth), scale,
              [&](Value d, Value o) { lb.store(o, output, {b, t, h, d}); });
        });
      });
    });
  }

  Value q, k, v;
  int64_t heads, width, valueWidth, kvHeads;
};

struct SparseAttentionLowering : OpRewritePattern<SparseAttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SparseAttentionOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    RuntimeShapes shapes(lb, "loom.sparse_attention");
    AttentionOperands in(lb, shapes, op.getQ(), op.getK(), op.getV());
    Value idx = lb.read(op.getIndices());
    shapes.bind("indices", idx, {"B", "T", "Kt"});
    Value batch = shapes.get("B"), time = shapes.get("T"), keys = shapes.get("S");
    Value slots = shapes.get("Kt");
    Value output = lb.allocResultLike(
        op.getOutput().getType(),
        {batch, time, lb.index(in.heads), lb.index(in.valueWidth)});
    Value scores = lb.allocScratch({OpFoldResult(slots)}, rewriter.getF32Type());
    Value scale = lb.f32(op.getScaleOrDefault());

    // Every index must be -1 (or negative: an empty slot) or a key row.
    lb.loop(batch, [&](Value b) {
      lb.loop(time, [&](Value t) {
        lb.loop(slots, [&](Value j) {
          Value i = lb.toIndex(lb.load(idx, {b, t, j}));
          lb.check(lb.lti(i, keys), "loom.sparse_attention: an index is >= S, "
                                    "the number of keys");
        });
      });
    });

    in.attendAll(lb, batch, time, slots, scores, scale, output,
                 [&](Value b, Value t, Value j) -> std::pair<Value, Value> {
                   Value i = lb.toIndex(lb.load(idx, {b, t, j}));
                   return {lb.lei(lb.index(0), i), i};
                 });
    replaceUsedResults(rewriter, op,
                       {lb.toTensor(output, op.getOutput().getType())});
    return success();
  }
};

struct AttentionLowering : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    RuntimeShapes shapes(lb, "loom.attention");
    AttentionOperands in(lb, shapes, op.getQ(), op.getK(), op.getV());
    Value batch = shapes.get("B"), time = shapes.get("T"), keys = shapes.get("S");
    if (op.getCausal())
      lb.check(lb.lei(time, keys), "loom.attention: 'causal' needs T <= S");
    Value output = lb.allocResultLike(
        op.getOutput().getType(),
        {batch, time, lb.index(in.heads), lb.index(in.valueWidth)});
    Value scores = lb.allocScratch({OpFoldResult(keys)}, rewriter.getF32Type());
    Value scale = lb.f32(op.getScaleOrDefault());
    Value offset = lb.subi(keys, time);

    in.attendAll(lb, batch, time, keys, scores, scale, output,
                 [&](Value, Value t, Value s) -> std::pair<Value, Value> {
                   Value visible = op.getCausal()
                                       ? lb.lei(s, lb.addi(t, offset))
                                       : lb.boolean(true);
                   return {visible, s};
                 });
    replaceUsedResults(rewriter, op,
                       {lb.toTensor(output, op.getOutput().getType())});
    return success();
  }
};

} // namespace

void mlir::loom::populateAttentionLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<LightningIndexerLowering, IndexerTopKLowering, TopKLowering,
               SparseAttentionLowering, AttentionLowering>(
      patterns.getContext());
}
