//===- Fuse.cpp - Producer/consumer fusion of loom ops --------------------===//

#include "loom/Dialect/Loom/IR/LoomOps.h"
#include "loom/Dialect/Loom/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::loom {
#define GEN_PASS_DEF_LOOMFUSE
#include "loom/Dialect/Loom/Transforms/Passes.h.inc"
} // namespace mlir::loom

using namespace mlir;
using namespace mlir::loom;

namespace {

/// topk(lightning_indexer(qi, ki, w)) -> indexer_topk(qi, ki, w).
struct FuseIndexerTopK : OpRewritePattern<TopKOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TopKOp op,
                                PatternRewriter &rewriter) const override {
    auto indexer = op.getScores().getDefiningOp<LightningIndexerOp>();
    if (!indexer)
      return rewriter.notifyMatchFailure(op, "scores are not an indexer's");
    if (!indexer->hasOneUse())
      return rewriter.notifyMatchFailure(
          op, "the indexer scores have other users: they must exist");
    rewriter.replaceOpWithNewOp<IndexerTopKOp>(
        op, op.getValues().getType(), op.getIndices().getType(),
        indexer.getQi(), indexer.getKi(), indexer.getW(), op.getKAttr(),
        indexer.getCausalAttr());
    rewriter.eraseOp(indexer);
    return success();
  }
};

/// grouped_matmul(dispatch(x, idx).sorted, w, dispatch.offsets)
///   -> gathered_matmul(x, w, offsets, dispatch.permutation).
struct FuseDispatchMatmul : OpRewritePattern<GroupedMatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GroupedMatmulOp op,
                                PatternRewriter &rewriter) const override {
    auto dispatch = op.getXs().getDefiningOp<MoEDispatchOp>();
    if (!dispatch || op.getXs() != dispatch.getSorted() ||
        op.getOffsets() != dispatch.getOffsets())
      return rewriter.notifyMatchFailure(
          op, "rows and offsets do not come from one dispatch");
    int64_t topK = dispatch.getIndices().getType().getDimSize(1);
    rewriter.replaceOpWithNewOp<GatheredMatmulOp>(
        op, op.getOutput().getType(), dispatch.getX(), op.getW(),
        dispatch.getOffsets(), dispatch.getPermutation(),
        rewriter.getI64IntegerAttr(topK), op.getActivationAttr());
    return success();
  }
};

/// moe_combine(grouped_matmul(h, w, offsets), perm, weights)
///   -> grouped_matmul_combine(h, w, offsets, perm, weights).
struct FuseMatmulCombine : OpRewritePattern<MoECombineOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MoECombineOp op,
                                PatternRewriter &rewriter) const override {
    auto matmul = op.getYs().getDefiningOp<GroupedMatmulOp>();
    if (!matmul || matmul.getActivation() != "none" || !matmul->hasOneUse())
      return rewriter.notifyMatchFailure(
          op, "rows are not the only use of a plain grouped matmul");
    rewriter.replaceOpWithNewOp<GroupedMatmulCombineOp>(
        op, op.getOutput().getType(), matmul.getXs(), matmul.getW(),
        matmul.getOffsets(), op.getPermutation(), op.getWeights());
    rewriter.eraseOp(matmul);
    return success();
  }
};

struct LoomFusePass : mlir::loom::impl::LoomFuseBase<LoomFusePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFusionPatterns(patterns);
    populateDecomposeScanPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

void mlir::loom::populateFusionPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseIndexerTopK, FuseDispatchMatmul, FuseMatmulCombine>(
      patterns.getContext());
}
