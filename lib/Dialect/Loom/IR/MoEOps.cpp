//===- MoEOps.cpp - Verifiers of the mixture-of-experts ops ---------------===//

#include "ShapeVerifier.h"
#include "loom/Dialect/Loom/IR/LoomOps.h"

using namespace mlir;
using namespace mlir::loom;

/// Offsets are i32, so expert counts stay well inside its range.
static constexpr int64_t kMaxExperts = (int64_t{1} << 30);

/// A 0-d f32 loss.
static LogicalResult verifyScalarLoss(ShapeVerifier &v, Value loss) {
  if (failed(v.expectF32("loss", loss)) ||
      failed(v.expectShape("loss", loss, {})))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// MoERouterOp
//===----------------------------------------------------------------------===//

LogicalResult MoERouterOp::verify() {
  ShapeVerifier v(*this, {"E"});
  if (failed(v.expectFloat("logits", getLogits())) ||
      failed(v.expectShape("logits", getLogits(), {"N", "E"})))
    return failure();
  if (Value bias = getBias())
    if (failed(v.expectF32("bias", bias)) ||
        failed(v.expectShape("bias", bias, {"E"})))
      return failure();

  int64_t experts = v.size("E");
  int64_t topK = getTopKAttr().getInt(), nGroup = getNGroupAttr().getInt(),
          topkGroup = getTopkGroupAttr().getInt();
  if (getScore() != "softmax" && getScore() != "sigmoid")
    return emitOpError() << "'score' must be \"softmax\" or \"sigmoid\", got \""
                         << getScore() << "\"";
  if (topK < 1 || topK > experts)
    return emitOpError() << "'top_k' must be in [1, E] = [1, " << experts
                         << "], got " << topK;
  if (nGroup < 1 || experts % nGroup != 0)
    return emitOpError() << "'n_group' must be a positive divisor of E = "
                         << experts << ", got " << nGroup;
  if (topkGroup < 1 || topkGroup > nGroup)
    return emitOpError() << "'topk_group' must be in [1, n_group] = [1, "
                         << nGroup << "], got " << topkGroup;
  int64_t reachable = topkGroup * (experts / nGroup);
  if (topK > reachable)
    return emitOpError() << "'top_k' = " << topK
                         << " exceeds the experts of the kept groups, "
                            "topk_group * E / n_group = "
                         << reachable;

  v.bind("top_k", topK);
  if (failed(v.expectF32("weights", getWeights())) ||
      failed(v.expectShape("weights", getWeights(), {"N", "top_k"})) ||
      failed(v.expectI32("indices", getIndices())) ||
      failed(v.expectShape("indices", getIndices(), {"N", "top_k"})))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// MoEAuxLossOp and RouterZLossOp
//===----------------------------------------------------------------------===//

LogicalResult MoEAuxLossOp::verify() {
  ShapeVerifier v(*this, {"E", "k"});
  if (failed(v.expectFloat("logits", getLogits())) ||
      failed(v.expectShape("logits", getLogits(), {"N", "E"})) ||
      failed(v.expectI32("indices", getIndices())) ||
      failed(v.expectShape("indices", getIndices(), {"N", "k"})))
    return failure();
  return verifyScalarLoss(v, getLoss());
}

LogicalResult RouterZLossOp::verify() {
  ShapeVerifier v(*this, {"E"});
  if (failed(v.expectFloat("logits", getLogits())) ||
      failed(v.expectShape("logits", getLogits(), {"N", "E"})))
    return failure();
  return verifyScalarLoss(v, getLoss());
}

//===----------------------------------------------------------------------===//
// MoEDispatchOp
//===----------------------------------------------------------------------===//

LogicalResult MoEDispatchOp::verify() {
  int64_t experts = getNumExpertsAttr().getInt();
  if (experts < 1 || experts > kMaxExperts)
    return emitOpError() << "'num_experts' must be in [1, " << kMaxExperts
                         << "], got " << experts;
  ShapeVerifier v(*this, {"Dm", "k"});
  if (failed(v.expectData("x", getX())) ||
      failed(v.expectShape("x", getX(), {"N", "Dm"})) ||
      failed(v.expectI32("indices", getIndices())) ||
      failed(v.expectShape("indices", getIndices(), {"N", "k"})))
    return failure();

  v.bind("N*k", mulSizes(v.size("N"), v.size("k")));
  v.bind("E+1", experts + 1);
  if (failed(v.expectElementTypeOf("sorted", getSorted(), "x", getX())) ||
      failed(v.expectShape("sorted", getSorted(), {"N*k", "Dm"})) ||
      failed(v.expectI32("permutation", getPermutation())) ||
      failed(v.expectShape("permutation", getPermutation(), {"N*k"})) ||
      failed(v.expectI32("offsets", getOffsets())) ||
      failed(v.expectShape("offsets", getOffsets(), {"E+1"})))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// GroupedMatmulOp
//===----------------------------------------------------------------------===//

/// The expert weights, offsets, activation and output shared by grouped and
/// gathered matmuls: rows of `input` (symbol "Din" for their width) times
/// w [E, Din, Dout]; `rows` names the output's row count.
static LogicalResult verifyExpertMatmul(ShapeVerifier &v, StringRef inputName,
                                        Value input,
                                        Value w, Value offsets,
                                        StringRef activation, Value output,
                                        StringRef rows) {
  if (failed(v.expectElementTypeOf("w", w, inputName, input)) ||
      failed(v.expectShape("w", w, {"E", "Din", "Dout"})))
    return failure();
  if (v.size("E") > kMaxExperts)
    return v.emitError() << "'w' has E = " << v.size("E")
                         << " experts, more than the supported " << kMaxExperts;
  v.bind("E+1", v.size("E") + 1);
  if (failed(v.expectI32("offsets", offsets)) ||
      failed(v.expectShape("offsets", offsets, {"E+1"})))
    return failure();

  if (activation != "none" && activation != "swiglu")
    return v.emitError() << "'activation' must be \"none\" or \"swiglu\", got \""
                         << activation << "\"";
  StringRef outputWidth = "Dout";
  if (activation == "swiglu") {
    int64_t width = v.size("Dout");
    if (width % 2 != 0)
      return v.emitError() << "\"swiglu\" splits Dout = 2F into two halves, "
                              "so Dout must be even, got "
                           << width;
    v.bind("F", width / 2);
    outputWidth = "F";
  }
  if (failed(v.expectElementTypeOf("output", output, inputName, input)) ||
      failed(v.expectShape("output", output, {rows, outputWidth})))
    return failure();
  return success();
}

LogicalResult GroupedMatmulOp::verify() {
  ShapeVerifier v(*this, {"E", "Din", "Dout"});
  if (failed(v.expectData("xs", getXs())) ||
      failed(v.expectShape("xs", getXs(), {"M", "Din"})))
    return failure();
  return verifyExpertMatmul(v, "xs", getXs(), getW(), getOffsets(),
                            getActivation(), getOutput(), "M");
}

LogicalResult GatheredMatmulOp::verify() {
  int64_t topK = getTopKAttr().getInt();
  if (topK < 1)
    return emitOpError() << "'top_k' must be at least 1, got " << topK;
  ShapeVerifier v(*this, {"E", "Din", "Dout"});
  if (failed(v.expectData("x", getX())) ||
      failed(v.expectShape("x", getX(), {"N", "Din"})))
    return failure();
  v.bind("N*top_k", mulSizes(v.size("N"), topK));
  if (failed(v.expectI32("permutation", getPermutation())) ||
      failed(v.expectShape("permutation", getPermutation(), {"N*top_k"})))
    return failure();
  return verifyExpertMatmul(v, "x", getX(), getW(), getOffsets(),
                            getActivation(), getOutput(), "N*top_k");
}

//===----------------------------------------------------------------------===//
// MoECombineOp
//===----------------------------------------------------------------------===//

LogicalResult MoECombineOp::verify() {
  ShapeVerifier v(*this, {"Dm", "k"});
  if (failed(v.expectF32("weights", getWeights())) ||
      failed(v.expectShape("weights", getWeights(), {"N", "k"})))
    return failure();
  v.bind("N*k", mulSizes(v.size("N"), v.size("k")));
  if (failed(v.expectData("ys", getYs())) ||
      failed(v.expectShape("ys", getYs(), {"N*k", "Dm"})) ||
      failed(v.expectI32("permutation", getPermutation())) ||
      failed(v.expectShape("permutation", getPermutation(), {"N*k"})) ||
      failed(v.expectElementTypeOf("output", getOutput(), "ys", getYs())) ||
      failed(v.expectShape("output", getOutput(), {"N", "Dm"})))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// GroupedMatmulCombineOp
//===----------------------------------------------------------------------===//

LogicalResult GroupedMatmulCombineOp::verify() {
  ShapeVerifier v(*this, {"E", "Din", "Dout", "k"});
  if (failed(v.expectF32("weights", getWeights())) ||
      failed(v.expectShape("weights", getWeights(), {"N", "k"})))
    return failure();
  v.bind("N*k", mulSizes(v.size("N"), v.size("k")));
  if (failed(v.expectData("h", getH())) ||
      failed(v.expectShape("h", getH(), {"N*k", "Din"})) ||
      failed(v.expectI32("permutation", getPermutation())) ||
      failed(v.expectShape("permutation", getPermutation(), {"N*k"})))
    return failure();
  return verifyExpertMatmul(v, "h", getH(), getW(), getOffsets(), "none",
                            getOutput(), "N");
}
