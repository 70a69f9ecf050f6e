//===- ShapeVerifier.h - Symbolic shape checks for verifiers ----*- C++ -*-===//
//
// The loom verifiers state each operand's shape symbolically, as SPEC.md
// does ([B, T, H, K]); this helper binds the symbols across the operands of
// one op and reports a mismatch with the operand's name, the expected shape
// and the actual type.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_LIB_DIALECT_LOOM_IR_SHAPEVERIFIER_H
#define LOOM_LIB_DIALECT_LOOM_IR_SHAPEVERIFIER_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::loom {

/// One dimension of an expected shape: a symbol shared by the operands of an
/// op ("B", "T", "H", ...) or a fixed size (ShapedType::kDynamic: any size).
struct Dim {
  Dim(const char *symbol) : symbol(symbol) {}
  Dim(StringRef symbol) : symbol(symbol) {}
  Dim(int64_t size) : size(size) {}

  StringRef symbol;
  int64_t size = ShapedType::kDynamic;
};

/// Checks the operands and results of one op against symbolic shapes.
///
/// A symbol is bound to the first static size it meets; later occurrences
/// must agree with it. Dynamic sizes agree with anything. Symbols named in
/// `staticSymbols` (head counts, feature sizes) must be static and positive
/// wherever they occur.
class ShapeVerifier {
public:
  ShapeVerifier(Operation *op, ArrayRef<StringRef> staticSymbols);

  /// `value`, called `name` in diagnostics, must have the rank and sizes of
  /// `shape`.
  LogicalResult expectShape(StringRef name, Value value, ArrayRef<Dim> shape);

  /// Element type rules of SPEC.md.
  LogicalResult expectF32(StringRef name, Value value);
  LogicalResult expectI32(StringRef name, Value value);
  /// f32, f16 or bf16: the types of data operands.
  LogicalResult expectData(StringRef name, Value value);
  /// f64, f32, f16 or bf16: router logits.
  LogicalResult expectFloat(StringRef name, Value value);
  /// i32 or i64: cu_seqlens.
  LogicalResult expectI32OrI64(StringRef name, Value value);
  LogicalResult expectElementTypeOf(StringRef name, Value value,
                                    StringRef refName, Value ref);

  /// `numerator` must be a multiple of `denominator` (grouped heads).
  LogicalResult expectDivisible(StringRef numerator, StringRef denominator);

  /// Binds `symbol` to `size` unless it is already bound to a static size.
  void bind(StringRef symbol, int64_t size);
  /// The static size bound to `symbol`, or ShapedType::kDynamic.
  int64_t size(StringRef symbol) const;

  /// An error on the op, for rules the helper does not cover.
  InFlightDiagnostic emitError() { return op->emitOpError(); }

private:
  LogicalResult expectElementType(StringRef name, Value value,
                                  function_ref<bool(Type)> allowed,
                                  StringRef allowedText);
  int64_t expectedSize(const Dim &dim) const;

  Operation *op;
  llvm::StringMap<int64_t> bound;
  SmallVector<StringRef> staticSymbols;
};

/// a * b, or ShapedType::kDynamic when either is dynamic or it overflows.
int64_t mulSizes(int64_t a, int64_t b);
/// a + b, or ShapedType::kDynamic when a is dynamic.
int64_t addSize(int64_t a, int64_t b);

} // namespace mlir::loom

#endif // LOOM_LIB_DIALECT_LOOM_IR_SHAPEVERIFIER_H
