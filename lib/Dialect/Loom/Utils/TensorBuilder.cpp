//===- TensorBuilder.cpp - linalg on tensors, written compactly -----------===//

#include "loom/Dialect/Loom/Utils/TensorBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"

using namespace mlir;
using namespace mlir::loom;

Value TensorBuilder::generic(StringRef spec, ValueRange inputs, Body body,
                             Value init, Type elementType) {
  auto [lhs, output] = spec.split("->");
  SmallVector<StringRef> operandSpecs;
  lhs.split(operandSpecs, ',');
  assert(operandSpecs.size() == inputs.size() && "one spec per input");

  // Loop letters: the output's, then reductions in order of appearance.
  std::string letters = output.str();
  for (StringRef operand : operandSpecs)
    for (char c : operand)
      if (letters.find(c) == std::string::npos)
        letters.push_back(c);
  auto position = [&](char c) { return letters.find(c); };

  MLIRContext *ctx = builder().getContext();
  SmallVector<AffineMap> maps;
  auto mapOf = [&](StringRef operand) {
    SmallVector<AffineExpr> exprs;
    for (char c : operand)
      exprs.push_back(getAffineDimExpr(position(c), ctx));
    return AffineMap::get(letters.size(), 0, exprs, ctx);
  };
  for (StringRef operand : operandSpecs)
    maps.push_back(mapOf(operand));
  maps.push_back(mapOf(output));

  SmallVector<utils::IteratorType> iterators;
  for (size_t i = 0; i < letters.size(); ++i)
    iterators.push_back(i < output.size() ? utils::IteratorType::parallel
                                          : utils::IteratorType::reduction);

  if (!init) {
    SmallVector<OpFoldResult> sizes;
    for (char c : output) {
      for (auto [operand, input] : llvm::zip(operandSpecs, inputs)) {
        size_t at = operand.find(c);
        if (at == StringRef::npos)
          continue;
        sizes.push_back(size(input, at));
        break;
      }
    }
    Type type = elementType ? elementType : builder().getF32Type();
    init = tensor::EmptyOp::create(builder(), sizes, type);
    // Reductions accumulate into the output: start it at zero.
    if (letters.size() > output.size())
    {
      Value zero = arith::ConstantOp::create(
          builder(), cast<TypedAttr>(builder().getZeroAttr(type)));
      init = linalg::FillOp::create(builder(), zero, init).getResult(0);
    }
  }

  auto op = linalg::GenericOp::create(
      builder(), init.getType(), inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location loc, ValueRange args) {
        LoopBuilder inner(nested, loc);
        SmallVector<Value> indices;
        for (size_t i = 0; i < letters.size(); ++i)
          indices.push_back(linalg::IndexOp::create(nested, loc, i));
        linalg::YieldOp::create(nested, loc, body(inner, indices, args));
      });
  return op.getResult(0);
}

Value TensorBuilder::contract(StringRef spec, ValueRange inputs) {
  return generic(spec, inputs, [](LoopBuilder &e, ValueRange, ValueRange args) {
    Value product = args[0];
    for (Value arg : args.drop_front().drop_back())
      product = e.mul(product, arg);
    return e.add(args.back(), product);
  });
}

Value TensorBuilder::convert(Value tensor, Type elementType) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (type.getElementType() == elementType)
    return tensor;
  std::string letters = "abcdefgh";
  std::string operand = letters.substr(0, type.getRank());
  SmallVector<OpFoldResult> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i)
    sizes.push_back(size(tensor, i));
  Value init = tensor::EmptyOp::create(builder(), sizes, elementType);
  return generic(operand + "->" + operand, {tensor},
                 [&](LoopBuilder &e, ValueRange, ValueRange args) -> Value {
                   Value x = args[0];
                   ImplicitLocOpBuilder &b = e.builder();
                   if (x.getType().getIntOrFloatBitWidth() <
                       elementType.getIntOrFloatBitWidth())
                     return arith::ExtFOp::create(b, elementType, x);
                   return arith::TruncFOp::create(b, elementType, x);
                 },
                 init);
}

Value TensorBuilder::toF32(Value tensor) {
  return convert(tensor, builder().getF32Type());
}

OpFoldResult TensorBuilder::size(Value tensor, int64_t i) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (type.isDynamicDim(i))
    return dim(tensor, i);
  return builder().getIndexAttr(type.getDimSize(i));
}

Value TensorBuilder::zeros(ArrayRef<OpFoldResult> sizes) {
  Value empty = tensor::EmptyOp::create(builder(), sizes, builder().getF32Type());
  return linalg::FillOp::create(builder(), f32(0.0), empty).getResult(0);
}

SmallVector<OpFoldResult>
TensorBuilder::foldConstants(ArrayRef<OpFoldResult> values) {
  SmallVector<OpFoldResult> folded;
  for (OpFoldResult value : values) {
    if (std::optional<int64_t> constant = getConstantIntValue(value))
      folded.push_back(builder().getIndexAttr(*constant));
    else
      folded.push_back(value);
  }
  return folded;
}

Value TensorBuilder::slice(Value source, ArrayRef<OpFoldResult> offsets,
                           ArrayRef<OpFoldResult> sizesIn,
                           ArrayRef<int64_t> dropped) {
  // Constant sizes become static dimensions of the slice.
  SmallVector<OpFoldResult> sizes = foldConstants(sizesIn);
  auto sourceType = cast<RankedTensorType>(source.getType());
  SmallVector<int64_t> shape;
  for (auto [i, size] : llvm::enumerate(sizes)) {
    if (llvm::is_contained(dropped, static_cast<int64_t>(i)))
      continue;
    std::optional<int64_t> constant = getConstantIntValue(size);
    shape.push_back(constant ? *constant : ShapedType::kDynamic);
  }
  auto type = RankedTensorType::get(shape, sourceType.getElementType());
  SmallVector<OpFoldResult> strides(sizes.size(), builder().getIndexAttr(1));
  return tensor::ExtractSliceOp::create(builder(), type, source,
                                        foldConstants(offsets), sizes, strides);
}

Value TensorBuilder::insert(Value source, Value dest,
                            ArrayRef<OpFoldResult> offsets,
                            ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> strides(sizes.size(), builder().getIndexAttr(1));
  return tensor::InsertSliceOp::create(builder(), source, dest,
                                       foldConstants(offsets),
                                       foldConstants(sizes), strides);
}
