//===- RecurrentOps.cpp - Verifiers of the recurrent family and scans -----===//

#include "ShapeVerifier.h"
#include "loom/Dialect/Loom/IR/LoomOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::loom;

/// Checks `cu_seqlens` ([N+1], i32 or i64, batch 1) and binds `seqSymbol` to
/// the number of sequences N, which then leads the states instead of B.
static LogicalResult verifyCuSeqlens(ShapeVerifier &v, Value cuSeqlens,
                                     StringRef seqSymbol) {
  if (failed(v.expectI32OrI64("cu_seqlens", cuSeqlens)) ||
      failed(v.expectShape("cu_seqlens", cuSeqlens, {"N+1"})))
    return failure();
  int64_t boundaries = v.size("N+1");
  if (boundaries == 0)
    return v.emitError() << "'cu_seqlens' must hold at least one offset "
                            "(N+1 >= 1), got tensor<0x...>";
  int64_t batch = v.size("B");
  if (!ShapedType::isDynamic(batch) && batch != 1)
    return v.emitError() << "with 'cu_seqlens' the batch size B must be 1, got "
                         << batch;
  v.bind(seqSymbol, addSize(boundaries, -1));
  return success();
}

//===----------------------------------------------------------------------===//
// LinearAttentionOp
//===----------------------------------------------------------------------===//

float LinearAttentionOp::getScaleOrDefault() {
  if (std::optional<APFloat> scale = getScale())
    return scale->convertToFloat();
  int64_t keyDim = getQ().getType().getDimSize(3);
  return 1.0f / std::sqrt(static_cast<float>(keyDim));
}

bool LinearAttentionOp::hasPerKeyDecay() {
  return getDecay() &&
         cast<RankedTensorType>(getDecay().getType()).getRank() == 4;
}

LogicalResult LinearAttentionOp::verify() {
  ShapeVerifier v(*this, {"Hk", "K", "H", "V"});
  if (failed(v.expectData("q", getQ())) ||
      failed(v.expectElementTypeOf("k", getK(), "q", getQ())) ||
      failed(v.expectElementTypeOf("v", getV(), "q", getQ())) ||
      failed(v.expectShape("q", getQ(), {"B", "T", "Hk", "K"})) ||
      failed(v.expectShape("k", getK(), {"B", "T", "Hk", "K"})) ||
      failed(v.expectShape("v", getV(), {"B", "T", "H", "V"})) ||
      failed(v.expectDivisible("H", "Hk")))
    return failure();

  if (Value decay = getDecay()) {
    if (failed(v.expectF32("decay", decay)))
      return failure();
    int64_t rank = cast<RankedTensorType>(decay.getType()).getRank();
    if (rank != 3 && rank != 4)
      return emitOpError() << "'decay' must be [B, T, H] (scalar gate) or "
                              "[B, T, H, K] (per-key gate), got "
                           << decay.getType();
    if (rank == 3 && failed(v.expectShape("decay", decay, {"B", "T", "H"})))
      return failure();
    if (rank == 4 &&
        failed(v.expectShape("decay", decay, {"B", "T", "H", "K"})))
      return failure();
  }
  if (Value beta = getBeta())
    if (failed(v.expectF32("beta", beta)) ||
        failed(v.expectShape("beta", beta, {"B", "T", "H"})))
      return failure();

  StringRef stateLead = "B";
  if (Value cuSeqlens = getCuSeqlens()) {
    if (failed(verifyCuSeqlens(v, cuSeqlens, "N")))
      return failure();
    stateLead = "N";
  }
  if (Value state = getInitialState())
    if (failed(v.expectF32("initial_state", state)) ||
        failed(v.expectShape("initial_state", state,
                             {stateLead, "H", "K", "V"})))
      return failure();

  if (failed(v.expectElementTypeOf("output", getOutput(), "q", getQ())) ||
      failed(v.expectShape("output", getOutput(), {"B", "T", "H", "V"})) ||
      failed(v.expectF32("final_state", getFinalState())) ||
      failed(v.expectShape("final_state", getFinalState(),
                           {stateLead, "H", "K", "V"})))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// SelectiveScanOp
//===----------------------------------------------------------------------===//

LogicalResult SelectiveScanOp::verify() {
  ShapeVerifier v(*this, {"Dc", "N", "G"});
  if (failed(v.expectData("u", getU())) ||
      failed(v.expectShape("u", getU(), {"B", "Dc", "L"})))
    return failure();

  Type deltaElement = getDelta().getType().getElementType();
  if (!deltaElement.isF32() &&
      deltaElement != getU().getType().getElementType())
    return emitOpError() << "'delta' must have f32 elements or the element "
                            "type of 'u' ("
                         << getU().getType().getElementType() << "), got "
                         << deltaElement;
  if (failed(v.expectShape("delta", getDelta(), {"B", "Dc", "L"})) ||
      failed(v.expectF32("A", getA())) ||
      failed(v.expectShape("A", getA(), {"Dc", "N"})) ||
      failed(v.expectData("B", getB())) ||
      failed(v.expectShape("B", getB(), {"B", "G", "N", "L"})) ||
      failed(v.expectData("C", getC())) ||
      failed(v.expectShape("C", getC(), {"B", "G", "N", "L"})) ||
      failed(v.expectDivisible("Dc", "G")))
    return failure();

  if (Value d = getD())
    if (failed(v.expectF32("D", d)) || failed(v.expectShape("D", d, {"Dc"})))
      return failure();
  if (Value z = getZ())
    if (failed(v.expectElementTypeOf("z", z, "u", getU())) ||
        failed(v.expectShape("z", z, {"B", "Dc", "L"})))
      return failure();
  if (Value bias = getDeltaBias())
    if (failed(v.expectF32("delta_bias", bias)) ||
        failed(v.expectShape("delta_bias", bias, {"Dc"})))
      return failure();
  if (Value state = getInitialState())
    if (failed(v.expectF32("initial_state", state)) ||
        failed(v.expectShape("initial_state", state, {"B", "Dc", "N"})))
      return failure();

  if (failed(v.expectElementTypeOf("y", getY(), "u", getU())) ||
      failed(v.expectShape("y", getY(), {"B", "Dc", "L"})) ||
      failed(v.expectF32("final_state", getFinalState())) ||
      failed(v.expectShape("final_state", getFinalState(), {"B", "Dc", "N"})))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// SSDOp
//===----------------------------------------------------------------------===//

LogicalResult SSDOp::verify() {
  ShapeVerifier v(*this, {"H", "P", "G", "N"});
  if (failed(v.expectData("x", getX())) ||
      failed(v.expectShape("x", getX(), {"B", "T", "H", "P"})) ||
      failed(v.expectF32("dt", getDt())) ||
      failed(v.expectShape("dt", getDt(), {"B", "T", "H"})) ||
      failed(v.expectF32("A", getA())) ||
      failed(v.expectShape("A", getA(), {"H"})) ||
      failed(v.expectData("B", getB())) ||
      failed(v.expectShape("B", getB(), {"B", "T", "G", "N"})) ||
      failed(v.expectData("C", getC())) ||
      failed(v.expectShape("C", getC(), {"B", "T", "G", "N"})) ||
      failed(v.expectDivisible("H", "G")))
    return failure();

  if (Value d = getD())
    if (failed(v.expectF32("D", d)) || failed(v.expectShape("D", d, {"H"})))
      return failure();
  if (Value z = getZ())
    if (failed(v.expectElementTypeOf("z", z, "x", getX())) ||
        failed(v.expectShape("z", z, {"B", "T", "H", "P"})))
      return failure();
  if (Value bias = getDtBias())
    if (failed(v.expectF32("dt_bias", bias)) ||
        failed(v.expectShape("dt_bias", bias, {"H"})))
      return failure();

  StringRef stateLead = "B";
  if (Value cuSeqlens = getCuSeqlens()) {
    if (failed(verifyCuSeqlens(v, cuSeqlens, "Nseq")))
      return failure();
    stateLead = "Nseq";
  }
  if (Value state = getInitialState())
    if (failed(v.expectF32("initial_state", state)) ||
        failed(v.expectShape("initial_state", state,
                             {stateLead, "H", "P", "N"})))
      return failure();

  if (failed(v.expectElementTypeOf("y", getY(), "x", getX())) ||
      failed(v.expectShape("y", getY(), {"B", "T", "H", "P"})) ||
      failed(v.expectF32("final_state", getFinalState())) ||
      failed(v.expectShape("final_state", getFinalState(),
                           {stateLead, "H", "P", "N"})))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// CausalConv1dOp
//===----------------------------------------------------------------------===//

LogicalResult CausalConv1dOp::verify() {
  ShapeVerifier v(*this, {"C", "W"});
  if (failed(v.expectData("x", getX())) ||
      failed(v.expectShape("x", getX(), {"B", "T", "C"})) ||
      failed(v.expectF32("w", getW())) ||
      failed(v.expectShape("w", getW(), {"C", "W"})))
    return failure();
  if (Value bias = getBias())
    if (failed(v.expectF32("bias", bias)) ||
        failed(v.expectShape("bias", bias, {"C"})))
      return failure();
  if (getActivation() != "none" && getActivation() != "silu")
    return emitOpError() << "'activation' must be \"none\" or \"silu\", got \""
                         << getActivation() << "\"";
  if (failed(v.expectElementTypeOf("y", getY(), "x", getX())) ||
      failed(v.expectShape("y", getY(), {"B", "T", "C"})))
    return failure();
  return success();
}
