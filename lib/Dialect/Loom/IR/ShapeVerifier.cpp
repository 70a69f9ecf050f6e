//===- ShapeVerifier.cpp - Symbolic shape checks for verifiers -----------===//

#include "ShapeVerifier.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::loom;

static void printSize(llvm::raw_ostream &os, int64_t size) {
  if (ShapedType::isDynamic(size))
    os << '?';
  else
    os << size;
}

int64_t mlir::loom::mulSizes(int64_t a, int64_t b) {
  int64_t product;
  if (ShapedType::isDynamic(a) || ShapedType::isDynamic(b) ||
      llvm::MulOverflow(a, b, product))
    return ShapedType::kDynamic;
  return product;
}

int64_t mlir::loom::addSize(int64_t a, int64_t b) {
  int64_t sum;
  if (ShapedType::isDynamic(a) || llvm::AddOverflow(a, b, sum))
    return ShapedType::kDynamic;
  return sum;
}

ShapeVerifier::ShapeVerifier(Operation *op, ArrayRef<StringRef> staticSymbols)
    : op(op), staticSymbols(staticSymbols) {}

void ShapeVerifier::bind(StringRef symbol, int64_t size) {
  int64_t &slot = bound.try_emplace(symbol, ShapedType::kDynamic).first->second;
  if (ShapedType::isDynamic(slot))
    slot = size;
}

int64_t ShapeVerifier::size(StringRef symbol) const {
  auto it = bound.find(symbol);
  return it == bound.end() ? ShapedType::kDynamic : it->second;
}

int64_t ShapeVerifier::expectedSize(const Dim &dim) const {
  return dim.symbol.empty() ? dim.size : size(dim.symbol);
}

LogicalResult ShapeVerifier::expectShape(StringRef name, Value value,
                                         ArrayRef<Dim> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  auto report = [&]() -> LogicalResult {
    std::string symbols, sizes;
    llvm::raw_string_ostream symbolsOs(symbols), sizesOs(sizes);
    llvm::interleaveComma(shape, symbolsOs, [&](const Dim &dim) {
      if (dim.symbol.empty())
        printSize(symbolsOs, dim.size);
      else
        symbolsOs << dim.symbol;
    });
    llvm::interleaveComma(shape, sizesOs, [&](const Dim &dim) {
      printSize(sizesOs, expectedSize(dim));
    });
    InFlightDiagnostic diag = op->emitOpError()
                              << "'" << name << "' expected shape [" << symbols
                              << "]";
    bool anyKnown = llvm::any_of(shape, [&](const Dim &dim) {
      return !ShapedType::isDynamic(expectedSize(dim));
    });
    if (anyKnown && symbols != sizes)
      diag << " = [" << sizes << "]";
    diag << ", got " << type;
    return diag;
  };

  if (type.getRank() != static_cast<int64_t>(shape.size()))
    return report();

  for (auto [i, dim] : llvm::enumerate(shape)) {
    int64_t actual = type.getDimSize(i);
    if (!dim.symbol.empty() && llvm::is_contained(staticSymbols, dim.symbol)) {
      if (ShapedType::isDynamic(actual))
        return op->emitOpError()
               << "'" << name << "' must have a static " << dim.symbol
               << " dimension (head counts and feature sizes are static), got "
               << type;
      if (actual < 1)
        return op->emitOpError() << "'" << name << "' must have a positive "
                                 << dim.symbol << " dimension, got " << type;
    }
    int64_t expected = expectedSize(dim);
    if (!ShapedType::isDynamic(actual) && !ShapedType::isDynamic(expected) &&
        actual != expected)
      return report();
  }
  // Bind only once the whole operand agrees, so that a report shows what the
  // other operands implied.
  for (auto [i, dim] : llvm::enumerate(shape))
    if (!dim.symbol.empty())
      bind(dim.symbol, type.getDimSize(i));
  return success();
}

LogicalResult
ShapeVerifier::expectElementType(StringRef name, Value value,
                                 function_ref<bool(Type)> allowed,
                                 StringRef allowedText) {
  Type elementType = cast<RankedTensorType>(value.getType()).getElementType();
  if (allowed(elementType))
    return success();
  return op->emitOpError() << "'" << name << "' must have " << allowedText
                           << " elements, got " << elementType;
}

LogicalResult ShapeVerifier::expectF32(StringRef name, Value value) {
  return expectElementType(
      name, value, [](Type t) { return t.isF32(); }, "f32");
}

LogicalResult ShapeVerifier::expectI32(StringRef name, Value value) {
  return expectElementType(
      name, value, [](Type t) { return t.isSignlessInteger(32); }, "i32");
}

LogicalResult ShapeVerifier::expectI32OrI64(StringRef name, Value value) {
  return expectElementType(
      name, value,
      [](Type t) {
        return t.isSignlessInteger(32) || t.isSignlessInteger(64);
      },
      "i32 or i64");
}

LogicalResult ShapeVerifier::expectData(StringRef name, Value value) {
  return expectElementType(
      name, value, [](Type t) { return t.isF32() || t.isF16() || t.isBF16(); },
      "f32, f16 or bf16");
}

LogicalResult ShapeVerifier::expectFloat(StringRef name, Value value) {
  return expectElementType(
      name, value,
      [](Type t) { return t.isF64() || t.isF32() || t.isF16() || t.isBF16(); },
      "f64, f32, f16 or bf16");
}

LogicalResult ShapeVerifier::expectElementTypeOf(StringRef name, Value value,
                                                 StringRef refName, Value ref) {
  Type expected = cast<RankedTensorType>(ref.getType()).getElementType();
  Type actual = cast<RankedTensorType>(value.getType()).getElementType();
  if (actual == expected)
    return success();
  return op->emitOpError() << "'" << name << "' must have the element type of '"
                           << refName << "' (" << expected << "), got "
                           << actual;
}

LogicalResult ShapeVerifier::expectDivisible(StringRef numerator,
                                             StringRef denominator) {
  int64_t n = size(numerator), d = size(denominator);
  if (ShapedType::isDynamic(n) || ShapedType::isDynamic(d) || d < 1 ||
      n % d == 0)
    return success();
  return op->emitOpError() << numerator << " = " << n
                           << " must be a multiple of " << denominator << " = "
                           << d;
}
