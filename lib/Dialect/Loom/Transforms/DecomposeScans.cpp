//===- DecomposeScans.cpp - Scans as linear attention plus epilogue -------===//
//
// SPEC.md: `loom.ssd` is `loom.linear_attention` with q = C, k = B,
// v = dt'·x, decay = dt'·A, scale 1 and the state transposed, plus the D and
// z epilogue. `loom.selective_scan` is the same with a per-key decay
// dt·A[c, :]: each channel is a value head of width 1 whose K = N keys are
// the state entries. Both run in f32 and round once, at the end.
//
//===----------------------------------------------------------------------===//

#include "loom/Dialect/Loom/IR/LoomOps.h"
#include "loom/Dialect/Loom/Transforms/Passes.h"
#include "loom/Dialect/Loom/Utils/ReplaceResults.h"
#include "loom/Dialect/Loom/Utils/TensorBuilder.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::loom;

namespace {

RankedTensorType f32Type(ArrayRef<int64_t> shape, MLIRContext *ctx) {
  return RankedTensorType::get(shape, Float32Type::get(ctx));
}

/// dt + bias, then softplus if asked.
Value effectiveStep(TensorBuilder &tb, Value dt, Value bias, bool softplus,
                    StringRef spec) {
  if (bias)
    dt = tb.generic(spec, {tb.toF32(dt), bias},
                    [](LoopBuilder &e, ValueRange, ValueRange a) {
                      return e.add(a[0], a[1]);
                    });
  else
    dt = tb.toF32(dt);
  if (!softplus)
    return dt;
  std::string same = spec.split(',').first.str();
  return tb.generic(same + "->" + same, {dt},
                    [](LoopBuilder &e, ValueRange, ValueRange a) {
                      return e.softplus(a[0]);
                    });
}

/// y = o + D x, then y * silu(z) (all f32), rounded to `elementType`.
Value epilogue(TensorBuilder &tb, Value o, Value x, Value d, Value z,
               StringRef full, StringRef channel, Type elementType) {
  std::string same = (full + "->" + full).str();
  Value y = o;
  if (d)
    y = tb.generic((full + "," + full + "," + channel + "->" + full).str(),
                   {y, tb.toF32(x), d},
                   [](LoopBuilder &e, ValueRange, ValueRange a) {
                     return e.add(a[0], e.mul(a[2], a[1]));
                   });
  if (z)
    y = tb.generic((full + "," + full + "->" + full).str(), {y, tb.toF32(z)},
                   [](LoopBuilder &e, ValueRange, ValueRange a) {
                     return e.mul(a[0], e.silu(a[1]));
                   });
  return tb.convert(y, elementType);
}

struct DecomposeSSD : OpRewritePattern<SSDOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SSDOp op,
                                PatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    MLIRContext *ctx = rewriter.getContext();
    Value x = tb.toF32(op.getX());
    Value dt = effectiveStep(tb, op.getDt(), op.getDtBias(), op.getDtSoftplus(),
                             "bth,h->bth");
    // v = dt' x, decay = dt' A.
    Value v = tb.generic("bthp,bth->bthp", {x, dt},
                         [](LoopBuilder &e, ValueRange, ValueRange a) {
                           return e.mul(a[0], a[1]);
                         });
    Value decay = tb.generic("bth,h->bth", {dt, op.getA()},
                             [](LoopBuilder &e, ValueRange, ValueRange a) {
                               return e.mul(a[0], a[1]);
                             });
    // The linear-attention state is the transpose: [.., N, P].
    Value initial = op.getInitialState();
    if (initial)
      initial = tb.generic("shpn->shnp", {initial},
                           [](LoopBuilder &, ValueRange, ValueRange a) {
                             return a[0];
                           });
    auto stateType = cast<RankedTensorType>(op.getFinalState().getType());
    ArrayRef<int64_t> s = stateType.getShape();
    auto laState = f32Type({s[0], s[1], s[3], s[2]}, ctx);
    auto laOut = f32Type(op.getX().getType().getShape(), ctx);
    auto la = LinearAttentionOp::create(tb.builder(), laOut, laState, tb.toF32(op.getC()),
        tb.toF32(op.getB()), v, decay, /*beta=*/Value(), initial,
        op.getCuSeqlens(), rewriter.getF32FloatAttr(1.0f), UnitAttr());

    Value y = epilogue(tb, la.getOutput(), op.getX(), op.getD(), op.getZ(),
                       "bthp", "h", op.getX().getType().getElementType());
    Value state;
    if (!op.getFinalState().use_empty())
      state = tb.generic("shnp->shpn", {la.getFinalState()},
                         [](LoopBuilder &, ValueRange, ValueRange a) {
                           return a[0];
                         });
    replaceUsedResults(rewriter, op, {y, state});
    return success();
  }

};

struct DecomposeSelectiveScan : OpRewritePattern<SelectiveScanOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SelectiveScanOp op,
                                PatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    MLIRContext *ctx = rewriter.getContext();
    auto identity = [](LoopBuilder &, ValueRange, ValueRange a) { return a[0]; };
    Value dt = effectiveStep(tb, op.getDelta(), op.getDeltaBias(),
                             op.getDeltaSoftplus(), "bcl,c->bcl");
    // Token-major operands: q = C, k = B as [B, L, G, N]; v = dt u as
    // [B, L, Dc, 1]; the per-key decay dt A as [B, L, Dc, N].
    Value q = tb.generic("bgnl->blgn", {tb.toF32(op.getC())}, identity);
    Value k = tb.generic("bgnl->blgn", {tb.toF32(op.getB())}, identity);
    Value du = tb.generic("bcl,bcl->blc", {dt, tb.toF32(op.getU())},
                          [](LoopBuilder &e, ValueRange, ValueRange a) {
                            return e.mul(a[0], a[1]);
                          });
    auto uType = op.getU().getType();
    int64_t batch = uType.getDimSize(0), channels = uType.getDimSize(1);
    int64_t length = uType.getDimSize(2);
    int64_t stateDim = op.getA().getType().getDimSize(1);
    OpFoldResult one = rewriter.getIndexAttr(1);
    auto vType = f32Type({batch, length, channels, 1}, ctx);
    Value v = tensor::ExpandShapeOp::create(tb.builder(), vType, du,
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}},
        ArrayRef<OpFoldResult>{tb.size(du, 0), tb.size(du, 1),
                               rewriter.getIndexAttr(channels), one});
    Value decay = tb.generic("bcl,cn->blcn", {dt, op.getA()},
                             [](LoopBuilder &e, ValueRange, ValueRange a) {
                               return e.mul(a[0], a[1]);
                             });
    Value initial = op.getInitialState();
    auto stateType = f32Type({batch, channels, stateDim, 1}, ctx);
    if (initial)
      initial = tensor::ExpandShapeOp::create(tb.builder(), stateType, initial,
          ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}},
          ArrayRef<OpFoldResult>{tb.size(initial, 0),
                                 rewriter.getIndexAttr(channels),
                                 rewriter.getIndexAttr(stateDim), one});
    auto la = LinearAttentionOp::create(tb.builder(), vType, stateType, q, k, v, decay,
        /*beta=*/Value(), initial, /*cu_seqlens=*/Value(),
        rewriter.getF32FloatAttr(1.0f), UnitAttr());

    Value tokenMajor = tensor::CollapseShapeOp::create(tb.builder(), la.getOutput(),
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
    Value o = tb.generic("blc->bcl", {tokenMajor}, identity);
    Value y = epilogue(tb, o, op.getU(), op.getD(), op.getZ(), "bcl", "c",
                       uType.getElementType());
    Value state;
    if (!op.getFinalState().use_empty())
      state = tensor::CollapseShapeOp::create(tb.builder(), la.getFinalState(),
          ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
    replaceUsedResults(rewriter, op, {y, state});
    return success();
  }
};

} // namespace

void mlir::loom::populateDecomposeScanPatterns(RewritePatternSet &patterns) {
  patterns.add<DecomposeSSD, DecomposeSelectiveScan>(patterns.getContext());
}
