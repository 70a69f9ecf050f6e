//===- RecurrentLowering.cpp - Reference loops of the recurrent family ----===//
//
// The recurrences of SPEC.md sections 1 and 2, one token at a time, with the
// state in an f32 scratch buffer.
//
//===----------------------------------------------------------------------===//

#include "Common.h"
#include "loom/Dialect/Loom/IR/LoomOps.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::loom;

//===----------------------------------------------------------------------===//
// Shared pieces
//===----------------------------------------------------------------------===//

namespace {

//===----------------------------------------------------------------------===//
// loom.linear_attention
//===----------------------------------------------------------------------===//

struct LinearAttentionLowering : OpRewritePattern<LinearAttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearAttentionOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    StringRef name = "loom.linear_attention";
    RuntimeShapes shapes(lb, name);
    Value q = lb.read(op.getQ()), k = lb.read(op.getK()), v = lb.read(op.getV());
    bool perKey = op.hasPerKeyDecay();
    Value decay, beta, initial, cuSeqlens;
    if (op.getDecay())
      decay = lb.read(op.getDecay());
    if (op.getBeta())
      beta = lb.read(op.getBeta());
    bindLinearAttentionShapes(shapes, q, k, v, decay, perKey, beta);
    if (op.getCuSeqlens())
      cuSeqlens = lb.read(op.getCuSeqlens());

    auto qType = op.getQ().getType(), vType = op.getV().getType();
    int64_t qkHeads = qType.getDimSize(2), keyDim = qType.getDimSize(3);
    int64_t heads = vType.getDimSize(2), valueDim = vType.getDimSize(3);
    Value batch = shapes.get("B"), time = shapes.get("T");
    Value kDim = lb.index(keyDim), vDim = lb.index(valueDim);
    Sequences seqs(lb, name, batch, time, cuSeqlens);
    if (op.getInitialState()) {
      initial = lb.read(op.getInitialState());
      shapes.bindValue("the leading dimension of 'initial_state'", "N",
                       seqs.count);
      shapes.bindValue("the leading dimension of 'initial_state'", "N",
                       lb.dim(initial, 0));
    }

    Value output = lb.allocResultLike(op.getOutput().getType(),
                                      {batch, time, lb.index(heads), vDim});
    Value finalState;
    if (!op.getFinalState().use_empty())
      finalState = lb.allocResultLike(op.getFinalState().getType(),
                                      {seqs.count, lb.index(heads), kDim, vDim});

    Type f32 = rewriter.getF32Type();
    Value state = lb.allocScratch({keyDim, valueDim}, f32);
    Value qv = lb.allocScratch({keyDim}, f32), kv = lb.allocScratch({keyDim}, f32);
    Value update = lb.allocScratch({valueDim}, f32);
    Value out = lb.allocScratch({valueDim}, f32);
    Value scale = lb.f32(op.getScaleOrDefault());
    Value group = lb.index(heads / qkHeads);

    // Loads q or k of one token into `dst`, L2-normalized if asked.
    auto loadKeyVector = [&](Value src, Value dst, Value b, Value t, Value hk) {
      lb.loop(kDim, [&](Value i) { lb.store(lb.load(src, {b, t, hk, i}), dst, i); });
      if (!op.getQkL2norm())
        return;
      Value sq = lb.sum(lb.index(0), kDim, [&](Value i) {
        Value x = lb.load(dst, i);
        return lb.mul(x, x);
      });
      Value inv = lb.div(lb.f32(1.0), lb.sqrt(lb.add(sq, lb.f32(1e-6))));
      lb.loop(kDim, [&](Value i) { lb.store(lb.mul(lb.load(dst, i), inv), dst, i); });
    };

    lb.loop(seqs.count, [&](Value n) {
      Sequences::Bounds seq = seqs.bounds(n);
      Value b = seq.batchRow;
      lb.loop(lb.index(heads), [&](Value h) {
        Value hk = lb.divui(h, group);
        if (initial)
          lb.copyMatrix(initial, {n, h}, state, {}, kDim, vDim);
        else
          lb.fill(state, lb.f32(0.0));

        lb.loop(seq.start, seq.end, [&](Value t) {
          loadKeyVector(q, qv, b, t, hk);
          loadKeyVector(k, kv, b, t, hk);
          Value scalarGate;
          if (decay && !perKey)
            scalarGate = lb.exp(lb.load(decay, {b, t, h}));
          // Pass 1: decay S and, for the delta rule, u = S^T k.
          lb.fill(update, lb.f32(0.0));
          lb.loop(kDim, [&](Value i) {
            Value gate = scalarGate;
            if (perKey)
              gate = lb.exp(lb.load(decay, {b, t, h, i}));
            Value ki = lb.load(kv, i);
            lb.loop(vDim, [&](Value j) {
              Value s = lb.load(state, {i, j});
              if (gate) {
                s = lb.mul(s, gate);
                lb.store(s, state, {i, j});
              }
              if (beta)
                lb.store(lb.add(lb.load(update, j), lb.mul(ki, s)), update, j);
            });
          });
          // The value written: v, or beta * (v - S^T k).
          Value betaT = beta ? lb.load(beta, {b, t, h}) : Value();
          lb.loop(vDim, [&](Value j) {
            Value vj = lb.load(v, {b, t, h, j});
            if (beta)
              vj = lb.mul(betaT, lb.sub(vj, lb.load(update, j)));
            lb.store(vj, update, j);
          });
          // Pass 2: S += k (x) update and o = scale * S^T q.
          lb.fill(out, lb.f32(0.0));
          lb.loop(kDim, [&](Value i) {
            Value ki = lb.load(kv, i), qi = lb.load(qv, i);
            lb.loop(vDim, [&](Value j) {
              Value s = lb.add(lb.load(state, {i, j}),
                               lb.mul(ki, lb.load(update, j)));
              lb.store(s, state, {i, j});
              lb.store(lb.add(lb.load(out, j), lb.mul(qi, s)), out, j);
            });
          });
          lb.loop(vDim, [&](Value j) {
            lb.store(lb.mul(scale, lb.load(out, j)), output, {b, t, h, j});
          });
        });

        if (finalState)
          lb.copyMatrix(state, {}, finalState, {n, h}, kDim, vDim);
      });
    });

    replaceUsedResults(
        rewriter, op,
        {lb.toTensor(output, op.getOutput().getType()),
         finalState ? lb.toTensor(finalState, op.getFinalState().getType())
                    : Value()});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// loom.selective_scan
//===----------------------------------------------------------------------===//

struct SelectiveScanLowering : OpRewritePattern<SelectiveScanOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SelectiveScanOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    RuntimeShapes shapes(lb, "loom.selective_scan");
    Value u = lb.read(op.getU()), delta = lb.read(op.getDelta());
    Value a = lb.read(op.getA()), bIn = lb.read(op.getB()), cIn = lb.read(op.getC());
    Value d, z, deltaBias, initial;
    if (op.getD())
      d = lb.read(op.getD());
    if (op.getZ())
      z = lb.read(op.getZ());
    if (op.getDeltaBias())
      deltaBias = lb.read(op.getDeltaBias());
    if (op.getInitialState())
      initial = lb.read(op.getInitialState());
    bindSelectiveScanShapes(shapes, u, delta, bIn, cIn, z, initial);

    auto bType = op.getB().getType();
    int64_t channels = op.getU().getType().getDimSize(1);
    int64_t groups = bType.getDimSize(1), stateDim = bType.getDimSize(2);
    Value batch = shapes.get("B"), length = shapes.get("L");
    Value nDim = lb.index(stateDim);
    Value y = lb.allocResultLike(op.getY().getType(),
                                 {batch, lb.index(channels), length});
    Value finalState;
    if (!op.getFinalState().use_empty())
      finalState = lb.allocResultLike(op.getFinalState().getType(),
                                      {batch, lb.index(channels), nDim});
    Value h = lb.allocScratch({stateDim}, rewriter.getF32Type());
    Value perGroup = lb.index(channels / groups);

    lb.loop(batch, [&](Value b) {
      lb.loop(lb.index(channels), [&](Value c) {
        Value g = lb.divui(c, perGroup);
        lb.loop(nDim, [&](Value n) {
          lb.store(initial ? lb.load(initial, {b, c, n}) : lb.f32(0.0), h, n);
        });
        lb.loop(length, [&](Value l) {
          Value dt = lb.load(delta, {b, c, l});
          if (deltaBias)
            dt = lb.add(dt, lb.load(deltaBias, c));
          if (op.getDeltaSoftplus())
            dt = lb.softplus(dt);
          Value uv = lb.load(u, {b, c, l});
          Value dtu = lb.mul(dt, uv);
          Value acc = lb.sum(lb.index(0), nDim, [&](Value n) {
            Value decay = lb.exp(lb.mul(dt, lb.load(a, {c, n})));
            Value hn = lb.add(lb.mul(decay, lb.load(h, n)),
                              lb.mul(dtu, lb.load(bIn, {b, g, n, l})));
            lb.store(hn, h, n);
            return lb.mul(lb.load(cIn, {b, g, n, l}), hn);
          });
          if (d)
            acc = lb.add(acc, lb.mul(lb.load(d, c), uv));
          if (z) {
            Value zv = lb.load(z, {b, c, l});
            acc = lb.mul(acc, lb.silu(zv));
          }
          lb.store(acc, y, {b, c, l});
        });
        if (finalState)
          lb.loop(nDim, [&](Value n) {
            lb.store(lb.load(h, n), finalState, {b, c, n});
          });
      });
    });

    replaceUsedResults(
        rewriter, op,
        {lb.toTensor(y, op.getY().getType()),
         finalState ? lb.toTensor(finalState, op.getFinalState().getType())
                    : Value()});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// loom.ssd
//===----------------------------------------------------------------------===//

struct SSDLowering : OpRewritePattern<SSDOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SSDOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    StringRef name = "loom.ssd";
    RuntimeShapes shapes(lb, name);
    Value x = lb.read(op.getX()), dtIn = lb.read(op.getDt());
    Value a = lb.read(op.getA()), bIn = lb.read(op.getB()), cIn = lb.read(op.getC());
    Value d, z, dtBias, initial, cuSeqlens;
    if (op.getD())
      d = lb.read(op.getD());
    if (op.getZ())
      z = lb.read(op.getZ());
    bindSsdShapes(shapes, x, dtIn, bIn, cIn, z);
    if (op.getDtBias())
      dtBias = lb.read(op.getDtBias());
    if (op.getCuSeqlens())
      cuSeqlens = lb.read(op.getCuSeqlens());

    auto xType = op.getX().getType();
    int64_t heads = xType.getDimSize(2), headDim = xType.getDimSize(3);
    auto bType = op.getB().getType();
    int64_t groups = bType.getDimSize(2), stateDim = bType.getDimSize(3);
    Value batch = shapes.get("B"), time = shapes.get("T");
    Value pDim = lb.index(headDim), nDim = lb.index(stateDim);
    Sequences seqs(lb, name, batch, time, cuSeqlens);
    if (op.getInitialState()) {
      initial = lb.read(op.getInitialState());
      shapes.bindValue("the leading dimension of 'initial_state'", "Nseq",
                       seqs.count);
      shapes.bindValue("the leading dimension of 'initial_state'", "Nseq",
                       lb.dim(initial, 0));
    }

    Value y = lb.allocResultLike(op.getY().getType(),
                                 {batch, time, lb.index(heads), pDim});
    Value finalState;
    if (!op.getFinalState().use_empty())
      finalState = lb.allocResultLike(op.getFinalState().getType(),
                                      {seqs.count, lb.index(heads), pDim, nDim});
    Value state = lb.allocScratch({headDim, stateDim}, rewriter.getF32Type());
    Value perGroup = lb.index(heads / groups);

    lb.loop(seqs.count, [&](Value n) {
      Sequences::Bounds seq = seqs.bounds(n);
      Value b = seq.batchRow;
      lb.loop(lb.index(heads), [&](Value h) {
        Value g = lb.divui(h, perGroup);
        if (initial)
          lb.copyMatrix(initial, {n, h}, state, {}, pDim, nDim);
        else
          lb.fill(state, lb.f32(0.0));

        lb.loop(seq.start, seq.end, [&](Value t) {
          Value dt = lb.load(dtIn, {b, t, h});
          if (dtBias)
            dt = lb.add(dt, lb.load(dtBias, h));
          if (op.getDtSoftplus())
            dt = lb.softplus(dt);
          Value decay = lb.exp(lb.mul(dt, lb.load(a, h)));
          lb.loop(pDim, [&](Value p) {
            Value xp = lb.load(x, {b, t, h, p});
            Value dtx = lb.mul(dt, xp);
            Value acc = lb.sum(lb.index(0), nDim, [&](Value j) {
              Value s = lb.add(lb.mul(decay, lb.load(state, {p, j})),
                               lb.mul(dtx, lb.load(bIn, {b, t, g, j})));
              lb.store(s, state, {p, j});
              return lb.mul(s, lb.load(cIn, {b, t, g, j}));
            });
            if (d)
              acc = lb.add(acc, lb.mul(lb.load(d, h), xp));
            if (z)
              acc = lb.mul(acc, lb.silu(lb.load(z, {b, t, h, p})));
            lb.store(acc, y, {b, t, h, p});
          });
        });

        if (finalState)
          lb.copyMatrix(state, {}, finalState, {n, h}, pDim, nDim);
      });
    });

    replaceUsedResults(
        rewriter, op,
        {lb.toTensor(y, op.getY().getType()),
         finalState ? lb.toTensor(finalState, op.getFinalState().getType())
                    : Value()});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// loom.causal_conv1d
//===----------------------------------------------------------------------===//

struct CausalConv1dLowering : OpRewritePattern<CausalConv1dOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(CausalConv1dOp op,
                                PatternRewriter &rewriter) const override {
    LoopBuilder lb(rewriter, op.getLoc());
    RuntimeShapes shapes(lb, "loom.causal_conv1d");
    Value x = lb.read(op.getX()), w = lb.read(op.getW());
    shapes.bind("x", x, {"B", "T", "C"});
    Value bias = op.getBias() ? lb.read(op.getBias()) : Value();
    int64_t channels = op.getX().getType().getDimSize(2);
    int64_t width = op.getW().getType().getDimSize(1);
    Value batch = shapes.get("B"), time = shapes.get("T");
    Value y = lb.allocResultLike(op.getY().getType(),
                                 {batch, time, lb.index(channels)});
    bool silu = op.getActivation() == "silu";

    lb.loop(batch, [&](Value b) {
      lb.loop(time, [&](Value t) {
        lb.loop(lb.index(channels), [&](Value c) {
          Value acc = lb.sum(lb.index(0), lb.index(width), [&](Value i) {
            // Tap i reads x[t - W + 1 + i], which is 0 before the start.
            Value shifted = lb.addi(t, lb.index(1 - width));
            Value s = lb.addi(shifted, i);
            Value inside = lb.lei(lb.index(0), s);
            return lb.ifElse(
                inside,
                [&] { return lb.mul(lb.load(w, {c, i}), lb.load(x, {b, s, c})); },
                [&] { return lb.f32(0.0); });
          });
          if (bias)
            acc = lb.add(acc, lb.load(bias, c));
          if (silu)
            acc = lb.silu(acc);
          lb.store(acc, y, {b, t, c});
        });
      });
    });
    replaceUsedResults(rewriter, op, {lb.toTensor(y, op.getY().getType())});
    return success();
  }
};

} // namespace

void mlir::loom::populateRecurrentLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<LinearAttentionLowering, SelectiveScanLowering, SSDLowering,
               CausalConv1dLowering>(patterns.getContext());
}
