//===- Chunk.cpp - The chunked form of the recurrent family ---------------===//
//
// See the pass description in Passes.td for the algorithm and its cost.
//
//===----------------------------------------------------------------------===//

#include "loom/Dialect/Loom/IR/LoomOps.h"
#include "loom/Dialect/Loom/Transforms/Passes.h"
#include "loom/Dialect/Loom/Utils/ReplaceResults.h"
#include "loom/Dialect/Loom/Utils/Sequences.h"
#include "loom/Dialect/Loom/Utils/TensorBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::loom {
#define GEN_PASS_DEF_LOOMCHUNK
#include "loom/Dialect/Loom/Transforms/Passes.h.inc"
} // namespace mlir::loom

using namespace mlir;
using namespace mlir::loom;

namespace {

/// Rows of the triangular solve handled by one block: the rows above a
/// block enter it through one matrix product, the rows inside it by
/// forward substitution.
constexpr int64_t kSolveBlock = 16;

/// The per-chunk algebra on f32 tensors. `L` (the chunk length) is
/// dynamic; K and V are static.
class ChunkMath {
public:
  ChunkMath(TensorBuilder &tb) : tb(tb) {}

  /// Inclusive prefix sums along the first dimension of [L] or [L, K], in
  /// f64: the weights are exponentials of their differences, and with
  /// strong decays (-1e4 per token) f32 sums of that size would lose ~1e-3
  /// in every exponent.
  Value cumsum(Value g) {
    bool perKey = cast<RankedTensorType>(g.getType()).getRank() == 2;
    Type f64 = tb.builder().getF64Type();
    return tb.generic(
        perKey ? "ik,jk->ik" : "i,j->i", {g, g},
        [f64](LoopBuilder &e, ValueRange idx, ValueRange args) {
          Value step = arith::ExtFOp::create(e.builder(), f64, args[1]);
          Value sum = e.add(args.back(), step);
          return e.select(e.lei(idx[perKeyIndex(idx)], idx[0]), sum,
                          args.back());
        },
        /*init=*/{}, f64);
  }

  /// Rows of [L, K] divided by sqrt(sum(x^2) + 1e-6).
  Value l2normalize(Value x) {
    Value sq = tb.generic("ik->i", {x},
                          [](LoopBuilder &e, ValueRange, ValueRange args) {
                            return e.add(args[1], e.mul(args[0], args[0]));
                          });
    return tb.generic("ik,i->ik", {x, sq},
                      [](LoopBuilder &e, ValueRange, ValueRange args) {
                        Value norm = e.sqrt(e.add(args[1], e.f32(1e-6)));
                        return e.div(args[0], norm);
                      });
  }

  /// (I + A) X = R for strictly lower-triangular A [L, L] and R [L, M]:
  /// blocked forward substitution.
  Value solveUnitLower(Value a, Value r) {
    Value rows = tb.dim(r, 0), width = tb.dim(r, 1);
    Value block = tb.index(kSolveBlock);
    Value blocks = arith::CeilDivUIOp::create(tb.builder(), rows, block);
    return tb.fold(
        tb.index(0), blocks, {r},
        [&](Value blockIndex, ValueRange x) -> SmallVector<Value> {
          Value start = tb.muli(blockIndex, block);
          Value size = arith::MinUIOp::create(tb.builder(), block,
                                              tb.subi(rows, start));
          // Rows above the block: R_blk -= A[blk, :start] X[:start].
          Value aLeft = tb.slice(a, {start, zero()}, {size, start});
          Value xAbove = tb.slice(x[0], {zero(), zero()}, {start, width});
          Value above = tb.contract("ij,jm->im", {aLeft, xAbove});
          Value xBlock = tb.slice(x[0], {start, zero()}, {size, width});
          xBlock = tb.generic("im,im->im", {xBlock, above},
                              [](LoopBuilder &e, ValueRange, ValueRange args) {
                                return e.sub(args[0], args[1]);
                              });
          // Inside the block, row by row.
          Value solved = tb.fold(
              tb.index(1), size, {xBlock},
              [&](Value i, ValueRange xb) -> SmallVector<Value> {
                Value aRow = tb.slice(a, {tb.addi(start, i), start},
                                      {one(), i}, {0});
                Value xTop = tb.slice(xb[0], {zero(), zero()}, {i, width});
                Value update = tb.contract("j,jm->m", {aRow, xTop});
                Value row = tb.slice(xb[0], {i, zero()}, {one(), width}, {0});
                row = tb.generic("m,m->m", {row, update},
                                 [](LoopBuilder &e, ValueRange, ValueRange args) {
                                   return e.sub(args[0], args[1]);
                                 });
                return {tb.insert(row, xb[0], {i, zero()}, {one(), width})};
              })[0];
          return {tb.insert(solved, x[0], {start, zero()}, {size, width})};
        })[0];
  }

private:
  static size_t perKeyIndex(ValueRange idx) {
    // "i,j->i" loops (i, j); "ik,jk->ik" loops (i, k, j).
    return idx.size() == 2 ? 1 : 2;
  }
  OpFoldResult zero() { return tb.builder().getIndexAttr(0); }
  OpFoldResult one() { return tb.builder().getIndexAttr(1); }

  TensorBuilder &tb;
};

struct ChunkLinearAttention : OpRewritePattern<LinearAttentionOp> {
  ChunkLinearAttention(MLIRContext *ctx, int64_t chunkSize)
      : OpRewritePattern(ctx), chunkSize(chunkSize) {}

  LogicalResult matchAndRewrite(LinearAttentionOp op,
                                PatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    StringRef name = "loom.linear_attention";
    RuntimeShapes shapes(tb, name);
    Value q = op.getQ(), k = op.getK(), v = op.getV();
    Value decay = op.getDecay(), beta = op.getBeta();
    bool perKey = op.hasPerKeyDecay();
    bindLinearAttentionShapes(shapes, q, k, v, decay, perKey, beta);

    auto qType = op.getQ().getType(), vType = op.getV().getType();
    int64_t qkHeads = qType.getDimSize(2), keyDim = qType.getDimSize(3);
    int64_t heads = vType.getDimSize(2), valueDim = vType.getDimSize(3);
    Value batch = shapes.get("B"), time = shapes.get("T");
    Sequences seqs(tb, name, batch, time, op.getCuSeqlens());
    Value initial = op.getInitialState();
    if (initial) {
      shapes.bindValue("the leading dimension of 'initial_state'", "N",
                       seqs.count);
      shapes.bindValue("the leading dimension of 'initial_state'", "N",
                       tb.dim(initial, 0));
    }

    auto outType = cast<RankedTensorType>(op.getOutput().getType());
    Value output = tensor::EmptyOp::create(tb.builder(), SmallVector<OpFoldResult>{batch, time, rewriter.getIndexAttr(heads),
                                  rewriter.getIndexAttr(valueDim)},
        outType.getElementType());
    bool writeState = !op.getFinalState().use_empty();
    SmallVector<Value> carried{output};
    if (writeState)
      carried.push_back(tb.zeros({seqs.count, rewriter.getIndexAttr(heads),
                                  rewriter.getIndexAttr(keyDim),
                                  rewriter.getIndexAttr(valueDim)}));

    OpFoldResult i0 = rewriter.getIndexAttr(0), i1 = rewriter.getIndexAttr(1);
    OpFoldResult kSize = rewriter.getIndexAttr(keyDim);
    OpFoldResult vSize = rewriter.getIndexAttr(valueDim);
    Value chunk = tb.index(chunkSize);
    Value group = tb.index(heads / qkHeads);
    float scale = op.getScaleOrDefault();
    ChunkMath math(tb);

    // One chunk of one (sequence, head): returns its output rows [L, V] and
    // the state after it.
    auto step = [&](Value b, Value h, Value hk, Value t0, Value len,
                    Value state) -> std::pair<Value, Value> {
      Value qc = tb.toF32(tb.slice(q, {b, t0, hk, i0}, {i1, len, i1, kSize}, {0, 2}));
      Value kc = tb.toF32(tb.slice(k, {b, t0, hk, i0}, {i1, len, i1, kSize}, {0, 2}));
      Value vc = tb.toF32(tb.slice(v, {b, t0, h, i0}, {i1, len, i1, vSize}, {0, 2}));
      if (op.getQkL2norm()) {
        qc = math.l2normalize(qc);
        kc = math.l2normalize(kc);
      }
      Value cum; // inclusive cumulative log decay, [L] or [L, K]
      if (decay) {
        Value g = perKey ? tb.slice(decay, {b, t0, h, i0}, {i1, len, i1, kSize}, {0, 2})
                         : tb.slice(decay, {b, t0, h}, {i1, len, i1}, {0, 2});
        cum = math.cumsum(g);
      }
      Value last = tb.subi(len, tb.index(1));

      // Decayed scores sum_k x_ik y_jk exp(b_i - b_j) over j <= i (or j < i).
      auto decayedScores = [&](Value x, Value y, bool strict) -> Value {
        auto keep = [strict](LoopBuilder &e, Value i, Value j) {
          return strict ? e.lti(j, i) : e.lei(j, i);
        };
        if (perKey)
          return tb.generic("ik,jk,ik,jk->ij", {x, y, cum, cum},
                            [&](LoopBuilder &e, ValueRange idx, ValueRange a) {
                              Value w = e.exp(e.toF32(e.sub(a[2], a[3])));
                              Value term = e.mul(e.mul(a[0], a[1]), w);
                              return e.select(keep(e, idx[0], idx[1]),
                                              e.add(a[4], term), a[4]);
                            });
        Value dots = tb.contract("ik,jk->ij", {x, y});
        if (!decay)
          return tb.generic("ij->ij", {dots},
                            [&](LoopBuilder &e, ValueRange idx, ValueRange a) {
                              return e.select(keep(e, idx[0], idx[1]), a[0],
                                              e.f32(0.0));
                            });
        return tb.generic("ij,i,j->ij", {dots, cum, cum},
                          [&](LoopBuilder &e, ValueRange idx, ValueRange a) {
                            Value w = e.exp(e.toF32(e.sub(a[1], a[2])));
                            return e.select(keep(e, idx[0], idx[1]),
                                            e.mul(a[0], w), e.f32(0.0));
                          });
      };
      // Rows of x [L, K] scaled by exp(b_i) (per key: exp(b_ik)).
      auto decayRows = [&](Value x) -> Value {
        if (!decay)
          return x;
        return tb.generic(perKey ? "ik,ik->ik" : "ik,i->ik", {x, cum},
                          [](LoopBuilder &e, ValueRange, ValueRange a) {
                            return e.mul(a[0], e.exp(e.toF32(a[1])));
                          });
      };

      // The values written into the state: V, or the WY/UT form.
      Value u = vc;
      if (beta) {
        Value bc = tb.slice(beta, {b, t0, h}, {i1, len, i1}, {0, 2});
        Value a = tb.generic("ij,i->ij", {decayedScores(kc, kc, true), bc},
                             [](LoopBuilder &e, ValueRange, ValueRange x) {
                               return e.mul(x[0], x[1]);
                             });
        auto scaleRows = [&](Value x) {
          return tb.generic("im,i->im", {x, bc},
                            [](LoopBuilder &e, ValueRange, ValueRange y) {
                              return e.mul(y[0], y[1]);
                            });
        };
        Value u0 = math.solveUnitLower(a, scaleRows(vc));
        Value w = math.solveUnitLower(a, scaleRows(decayRows(kc)));
        Value ws = tb.contract("ik,kv->iv", {w, state});
        u = tb.generic("iv,iv->iv", {u0, ws},
                       [](LoopBuilder &e, ValueRange, ValueRange x) {
                         return e.sub(x[0], x[1]);
                       });
      }

      // O = scale (e^b Q S + P U).
      Value inter = tb.contract("ik,kv->iv", {decayRows(qc), state});
      Value intra = tb.contract("ij,jv->iv", {decayedScores(qc, kc, false), u});
      Value out = tb.generic("iv,iv->iv", {inter, intra},
                             [&](LoopBuilder &e, ValueRange, ValueRange x) {
                               return e.mul(e.f32(scale), e.add(x[0], x[1]));
                             });

      // S' = e^{b_last} S + (e^{b_last - b} K)^T U.
      Value keys = kc, decayed = state;
      if (decay && perKey) {
        Value lastCum = tb.slice(cum, {last, i0}, {i1, kSize}, {0});
        keys = tb.generic("ik,ik,k->ik", {kc, cum, lastCum},
                          [](LoopBuilder &e, ValueRange, ValueRange a) {
                            return e.mul(a[0], e.exp(e.toF32(e.sub(a[2], a[1]))));
                          });
        decayed = tb.generic("kv,k->kv", {state, lastCum},
                             [](LoopBuilder &e, ValueRange, ValueRange a) {
                               return e.mul(a[0], e.exp(e.toF32(a[1])));
                             });
      } else if (decay) {
        Value lastCum = tb.loadRaw(cum, last);
        keys = tb.generic("ik,i->ik", {kc, cum},
                          [&](LoopBuilder &e, ValueRange, ValueRange a) {
                            return e.mul(a[0], e.exp(e.toF32(e.sub(lastCum, a[1]))));
                          });
        decayed = tb.generic("kv->kv", {state},
                             [&](LoopBuilder &e, ValueRange, ValueRange a) {
                               return e.mul(a[0], e.exp(e.toF32(lastCum)));
                             });
      }
      Value next = tb.generic("ik,iv->kv", {keys, u},
                              [](LoopBuilder &e, ValueRange, ValueRange a) {
                                return e.add(a[2], e.mul(a[0], a[1]));
                              },
                              decayed);
      return {out, next};
    };

    SmallVector<Value> results = tb.fold(
        tb.index(0), seqs.count, carried,
        [&](Value n, ValueRange acc) -> SmallVector<Value> {
          Sequences::Bounds seq = seqs.bounds(n);
          Value chunks = arith::CeilDivUIOp::create(tb.builder(), tb.subi(seq.end, seq.start), chunk);
          return tb.fold(
              tb.index(0), tb.index(heads), acc,
              [&](Value h, ValueRange perHead) -> SmallVector<Value> {
                Value hk = tb.divui(h, group);
                Value state0 =
                    initial ? tb.slice(initial, {n, h, i0, i0},
                                       {i1, i1, kSize, vSize}, {0, 1})
                            : tb.zeros({kSize, vSize});
                SmallVector<Value> walked = tb.fold(
                    tb.index(0), chunks, {perHead[0], state0},
                    [&](Value c, ValueRange st) -> SmallVector<Value> {
                      Value t0 = tb.addi(seq.start, tb.muli(c, chunk));
                      Value len = arith::MinUIOp::create(tb.builder(), chunk, tb.subi(seq.end, t0));
                      auto [out, next] = step(seq.batchRow, h, hk, t0, len, st[1]);
                      Value rows = tb.convert(out, outType.getElementType());
                      Value written = tb.insert(rows, st[0], {seq.batchRow, t0, h, i0},
                                                {i1, len, i1, vSize});
                      return {written, next};
                    });
                SmallVector<Value> updated{walked[0]};
                if (writeState)
                  updated.push_back(tb.insert(walked[1], perHead[1],
                                              {n, h, i0, i0},
                                              {i1, i1, kSize, vSize}));
                return updated;
              });
        });

    replaceUsedResults(rewriter, op,
                       {results[0], writeState ? results[1] : Value()});
    return success();
  }

  int64_t chunkSize;
};

struct LoomChunkPass : mlir::loom::impl::LoomChunkBase<LoomChunkPass> {
  using LoomChunkBase::LoomChunkBase;

  void runOnOperation() override {
    if (chunkSize < 1) {
      emitError(getOperation().getLoc())
          << "loom-chunk: chunk-size must be >= 1, got "
          << static_cast<int64_t>(chunkSize);
      return signalPassFailure();
    }
    // Scans first: they become linear attention, which is then chunked.
    RewritePatternSet scans(&getContext());
    populateDecomposeScanPatterns(scans);
    walkAndApplyPatterns(getOperation(), std::move(scans));
    RewritePatternSet chunking(&getContext());
    populateChunkPatterns(chunking, chunkSize);
    walkAndApplyPatterns(getOperation(), std::move(chunking));
  }
};

} // namespace

void mlir::loom::populateChunkPatterns(RewritePatternSet &patterns,
                                       int64_t chunkSize) {
  patterns.add<ChunkLinearAttention>(patterns.getContext(), chunkSize);
}
