//===- LoopBuilder.h - Scalar loop nests on buffers -------------*- C++ -*-===//
//
// A thin layer over ImplicitLocOpBuilder for writing the reference lowerings
// as readable scalar code: loops, f32 arithmetic, loads that widen f16/bf16
// and stores that narrow, and run-time checks.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_DIALECT_LOOM_UTILS_LOOPBUILDER_H
#define LOOM_DIALECT_LOOM_UTILS_LOOPBUILDER_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::loom {

class LoopBuilder {
public:
  LoopBuilder(OpBuilder &builder, Location loc) : b(loc, builder) {}

  ImplicitLocOpBuilder &builder() { return b; }

  //===--------------------------------------------------------------------===//
  // Constants and index arithmetic
  //===--------------------------------------------------------------------===//

  Value index(int64_t value);
  Value f32(double value);
  Value negInf() { return f32(-std::numeric_limits<double>::infinity()); }
  Value boolean(bool value);
  Value addi(Value a, Value c);
  Value subi(Value a, Value c);
  Value muli(Value a, Value c);
  Value divui(Value a, Value c);
  Value remui(Value a, Value c);
  Value cmpi(int predicate, Value a, Value c); // arith::CmpIPredicate
  Value eqi(Value a, Value c);
  Value lti(Value a, Value c);
  Value lei(Value a, Value c);
  /// Sign-extends or truncates an integer to index.
  Value toIndex(Value integer);
  Value fromIndex(Value idx, Type integerType);
  Value andi(Value a, Value c);
  Value ori(Value a, Value c);
  Value noti(Value a);

  //===--------------------------------------------------------------------===//
  // f32 arithmetic
  //===--------------------------------------------------------------------===//

  Value add(Value a, Value c);
  Value sub(Value a, Value c);
  Value mul(Value a, Value c);
  Value div(Value a, Value c);
  Value neg(Value a);
  Value exp(Value a);
  Value log(Value a);
  Value log1p(Value a);
  Value sqrt(Value a);
  Value maximum(Value a, Value c); // propagates NaN
  Value cmpf(int predicate, Value a, Value c); // arith::CmpFPredicate
  Value gtf(Value a, Value c);
  Value eqf(Value a, Value c);
  Value select(Value cond, Value a, Value c);
  Value sigmoid(Value a);
  Value silu(Value a);
  /// dt > 20 ? dt : log1p(exp(dt)), as in mamba_ssm.
  Value softplus(Value a);
  Value isNaN(Value a);
  Value sitofp(Value integer);
  /// A float of any width, rounded or widened to f32.
  Value toF32(Value value);

  //===--------------------------------------------------------------------===//
  // Buffers
  //===--------------------------------------------------------------------===//

  /// A read-only view of a tensor operand (fully dynamic strided layout, so
  /// any buffer the bufferization picks fits).
  Value read(Value tensor);
  /// A fresh identity-layout buffer for a result of type `type`; its dynamic
  /// sizes are `dynamicSizes`, in order.
  Value allocResult(RankedTensorType type, ValueRange dynamicSizes);
  /// Same, with one size per dimension; only the dynamic ones are used.
  Value allocResultLike(Type tensorType, ArrayRef<Value> sizes);
  /// The tensor that a result buffer becomes.
  Value toTensor(Value buffer, Type tensorType);
  /// Scratch storage with the given sizes (static or index values); the
  /// buffer deallocation pipeline frees it.
  Value allocScratch(ArrayRef<OpFoldResult> sizes, Type elementType);
  Value allocScratch(ArrayRef<int64_t> sizes, Type elementType);

  /// Dimension i of a buffer or tensor.
  Value dim(Value shaped, int64_t i);
  /// Loads an element of a buffer or tensor; floats come back as f32
  /// (f64 rounded).
  Value load(Value buffer, ValueRange indices);
  /// Loads an element with its own type (a copy that needs no rounding).
  Value loadRaw(Value buffer, ValueRange indices);
  /// Stores an f32 (or integer) value, narrowing floats to the element type.
  void store(Value value, Value buffer, ValueRange indices);
  void fill(Value buffer, Value value);
  /// Copies the trailing rows x cols matrix of `from` at index prefix
  /// `fromPrefix` to `to` at `toPrefix` (e.g. a state slot to scratch).
  void copyMatrix(Value from, ValueRange fromPrefix, Value to,
                  ValueRange toPrefix, Value rows, Value cols);

  //===--------------------------------------------------------------------===//
  // Control flow
  //===--------------------------------------------------------------------===//

  void loop(Value lower, Value upper, function_ref<void(Value)> body);
  void loop(Value upper, function_ref<void(Value)> body) {
    loop(index(0), upper, body);
  }
  /// scf.for with loop-carried values; `body` returns the next values.
  SmallVector<Value>
  fold(Value lower, Value upper, ValueRange inits,
       function_ref<SmallVector<Value>(Value, ValueRange)> body);
  /// Sum of f32 `term(i)` over [lower, upper).
  Value sum(Value lower, Value upper, function_ref<Value(Value)> term);
  void ifThen(Value cond, function_ref<void()> then);
  /// An scf.if yielding one value.
  Value ifElse(Value cond, function_ref<Value()> then,
               function_ref<Value()> otherwise);

  /// A run-time check: `cond` must hold, else the program stops with
  /// `message`.
  void check(Value cond, const Twine &message);

private:
  ImplicitLocOpBuilder b;
};

/// Records the run-time sizes of symbolic dimensions ("B", "T", ...) across
/// the operands of one op and checks that later dynamic occurrences agree
/// with the first.
class RuntimeShapes {
public:
  RuntimeShapes(LoopBuilder &lb, StringRef opName) : lb(lb), opName(opName) {}

  /// Binds or checks each dimension of `buffer` (read from `tensorType`)
  /// against `symbols`; an empty symbol is not checked.
  void bind(StringRef name, Value buffer, ArrayRef<StringRef> symbols);
  /// Binds `symbol` to `size` (an index value) or checks it.
  void bindValue(StringRef name, StringRef symbol, Value size);
  Value get(StringRef symbol) const;

private:
  LoopBuilder &lb;
  std::string opName;
  llvm::StringMap<std::pair<Value, bool>> sizes; // value, known statically
};

/// Binds the data operands of loom.linear_attention (tensors or buffers;
/// `decay` and `beta` null when absent) to SPEC.md section 1's symbols B,
/// T, Hk, K, H, V. One statement of the relations for every lowering that
/// checks them at run time.
void bindLinearAttentionShapes(RuntimeShapes &shapes, Value q, Value k,
                               Value v, Value decay, bool perKeyDecay,
                               Value beta);
/// The same for loom.ssd (section 2): x, dt, B, C and z (null when absent)
/// to B, T, H, P, G, N.
void bindSsdShapes(RuntimeShapes &shapes, Value x, Value dt, Value bIn,
                   Value cIn, Value z);
/// The same for loom.selective_scan: u, delta, B, C, z and initial_state
/// (null when absent) to B, Dc, L, G, N.
void bindSelectiveScanShapes(RuntimeShapes &shapes, Value u, Value delta,
                             Value bIn, Value cIn, Value z, Value initial);

} // namespace mlir::loom

#endif // LOOM_DIALECT_LOOM_UTILS_LOOPBUILDER_H
