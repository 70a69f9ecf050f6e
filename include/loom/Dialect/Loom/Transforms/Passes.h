//===- Passes.h - Algorithm-level loom transforms ---------------*- C++ -*-===//

#ifndef LOOM_DIALECT_LOOM_TRANSFORMS_PASSES_H
#define LOOM_DIALECT_LOOM_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace mlir::loom {

#define GEN_PASS_DECL
#include "loom/Dialect/Loom/Transforms/Passes.h.inc"

/// loom.linear_attention into its chunked form.
void populateChunkPatterns(RewritePatternSet &patterns, int64_t chunkSize);
/// Producer/consumer fusions of --loom-fuse (without the scan rewrite).
void populateFusionPatterns(RewritePatternSet &patterns);
/// loom.ssd and loom.selective_scan into loom.linear_attention + epilogue.
void populateDecomposeScanPatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "loom/Dialect/Loom/Transforms/Passes.h.inc"

} // namespace mlir::loom

#endif // LOOM_DIALECT_LOOM_TRANSFORMS_PASSES_H
