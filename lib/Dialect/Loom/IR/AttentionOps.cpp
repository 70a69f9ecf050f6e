//===- AttentionOps.cpp - Verifiers of sparse and dense attention ---------===//

#include "ShapeVerifier.h"
#include "loom/Dialect/Loom/IR/LoomOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::loom;

/// The default softmax scale D^-0.5 of the query feature size D.
static float defaultScale(RankedTensorType query) {
  return 1.0f / std::sqrt(static_cast<float>(query.getDimSize(3)));
}

/// With `causal`, the T queries are the last T of the S keys.
static LogicalResult verifyCausalLength(ShapeVerifier &v) {
  int64_t queries = v.size("T"), keys = v.size("S");
  if (ShapedType::isDynamic(queries) || ShapedType::isDynamic(keys) ||
      queries <= keys)
    return success();
  return v.emitError() << "'causal' aligns the T queries with the last T of "
                          "the S keys, so T <= S; got T = "
                       << queries << ", S = " << keys;
}

/// q [B,T,H,D], k [B,S,Hkv,D], v [B,S,Hkv,Dv] with one element type and
/// grouped heads, as shared by sparse and dense attention.
static LogicalResult verifyAttentionOperands(ShapeVerifier &v, Value q, Value k,
                                             Value vals) {
  if (failed(v.expectData("q", q)) ||
      failed(v.expectElementTypeOf("k", k, "q", q)) ||
      failed(v.expectElementTypeOf("v", vals, "q", q)) ||
      failed(v.expectShape("q", q, {"B", "T", "H", "D"})) ||
      failed(v.expectShape("k", k, {"B", "S", "Hkv", "D"})) ||
      failed(v.expectShape("v", vals, {"B", "S", "Hkv", "Dv"})) ||
      failed(v.expectDivisible("H", "Hkv")))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// LightningIndexerOp
//===----------------------------------------------------------------------===//

/// qi [B,T,Hi,Di] and ki [B,S,Di] with one element type, w f32 [B,T,Hi].
static LogicalResult verifyIndexerOperands(ShapeVerifier &v, Value qi, Value ki,
                                           Value w) {
  if (failed(v.expectData("qi", qi)) ||
      failed(v.expectElementTypeOf("ki", ki, "qi", qi)) ||
      failed(v.expectShape("qi", qi, {"B", "T", "Hi", "Di"})) ||
      failed(v.expectShape("ki", ki, {"B", "S", "Di"})) ||
      failed(v.expectF32("w", w)) ||
      failed(v.expectShape("w", w, {"B", "T", "Hi"})))
    return failure();
  return success();
}

LogicalResult LightningIndexerOp::verify() {
  ShapeVerifier v(*this, {"Hi", "Di"});
  if (failed(verifyIndexerOperands(v, getQi(), getKi(), getW())) ||
      failed(v.expectF32("scores", getScores())) ||
      failed(v.expectShape("scores", getScores(), {"B", "T", "S"})))
    return failure();
  if (getCausal() && failed(verifyCausalLength(v)))
    return failure();
  return success();
}

LogicalResult IndexerTopKOp::verify() {
  int64_t k = getKAttr().getInt();
  if (k < 1)
    return emitOpError() << "'k' must be at least 1, got " << k;
  ShapeVerifier v(*this, {"Hi", "Di"});
  v.bind("k", k);
  if (failed(verifyIndexerOperands(v, getQi(), getKi(), getW())) ||
      failed(v.expectF32("values", getValues())) ||
      failed(v.expectShape("values", getValues(), {"B", "T", "k"})) ||
      failed(v.expectI32("indices", getIndices())) ||
      failed(v.expectShape("indices", getIndices(), {"B", "T", "k"})))
    return failure();
  if (getCausal() && failed(verifyCausalLength(v)))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// TopKOp
//===----------------------------------------------------------------------===//

LogicalResult TopKOp::verify() {
  int64_t k = getKAttr().getInt();
  if (k < 1)
    return emitOpError() << "'k' must be at least 1, got " << k;
  ShapeVerifier v(*this, {});
  RankedTensorType scoresType = getScores().getType();
  if (failed(v.expectF32("scores", getScores())))
    return failure();
  if (scoresType.getRank() < 1)
    return emitOpError() << "'scores' must have rank >= 1 ([..., S]), got "
                         << scoresType;

  // Results keep the leading dims and replace S by k.
  SmallVector<Dim> resultShape;
  for (int64_t size : scoresType.getShape().drop_back())
    resultShape.emplace_back(size);
  v.bind("k", k);
  resultShape.emplace_back("k");
  if (failed(v.expectF32("values", getValues())) ||
      failed(v.expectShape("values", getValues(), resultShape)) ||
      failed(v.expectI32("indices", getIndices())) ||
      failed(v.expectShape("indices", getIndices(), resultShape)))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// SparseAttentionOp
//===----------------------------------------------------------------------===//

float SparseAttentionOp::getScaleOrDefault() {
  if (std::optional<APFloat> scale = getScale())
    return scale->convertToFloat();
  return defaultScale(getQ().getType());
}

LogicalResult SparseAttentionOp::verify() {
  ShapeVerifier v(*this, {"H", "Hkv", "D", "Dv"});
  if (failed(verifyAttentionOperands(v, getQ(), getK(), getV())) ||
      failed(v.expectI32("indices", getIndices())) ||
      failed(v.expectShape("indices", getIndices(), {"B", "T", "Kt"})) ||
      failed(v.expectElementTypeOf("output", getOutput(), "q", getQ())) ||
      failed(v.expectShape("output", getOutput(), {"B", "T", "H", "Dv"})))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

float AttentionOp::getScaleOrDefault() {
  if (std::optional<APFloat> scale = getScale())
    return scale->convertToFloat();
  return defaultScale(getQ().getType());
}

LogicalResult AttentionOp::verify() {
  ShapeVerifier v(*this, {"H", "Hkv", "D", "Dv"});
  if (failed(verifyAttentionOperands(v, getQ(), getK(), getV())) ||
      failed(v.expectElementTypeOf("output", getOutput(), "q", getQ())) ||
      failed(v.expectShape("output", getOutput(), {"B", "T", "H", "Dv"})))
    return failure();
  if (getCausal() && failed(verifyCausalLength(v)))
    return failure();
  return success();
}
