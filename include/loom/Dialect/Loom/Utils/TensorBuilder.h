//===- TensorBuilder.h - linalg on tensors, written compactly ---*- C++ -*-===//
//
// The chunked algorithms are a few dozen small tensor contractions and
// elementwise steps. TensorBuilder writes each as one linalg.generic from an
// einsum-like spec ("ik,jk->ij"), plus slices, so that a pass reads like the
// math it implements.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_DIALECT_LOOM_UTILS_TENSORBUILDER_H
#define LOOM_DIALECT_LOOM_UTILS_TENSORBUILDER_H

#include "loom/Dialect/Loom/Utils/LoopBuilder.h"

namespace mlir::loom {

class TensorBuilder : public LoopBuilder {
public:
  using LoopBuilder::LoopBuilder;

  /// The body of a generic: `args` are the input elements and, last, the
  /// output (accumulator) element; `indices` are the loop indices in the
  /// order of the spec's letters (output letters first). Returns the new
  /// output element.
  using Body =
      function_ref<Value(LoopBuilder &, ValueRange indices, ValueRange args)>;

  /// One linalg.generic for `spec` ("ik,jk->ij"): output letters are
  /// parallel loops, the others reductions. The output starts as `init`, or
  /// as zeros of `elementType` with sizes taken from the inputs.
  Value generic(StringRef spec, ValueRange inputs, Body body,
                Value init = {}, Type elementType = {});

  /// sum over the reduction letters of the product of the inputs, in f32.
  Value contract(StringRef spec, ValueRange inputs);

  /// Element type conversion to f32 (or from f32 to `type`).
  Value toF32(Value tensor);
  Value convert(Value tensor, Type elementType);

  /// Dimension i of a tensor: an attribute when static, else a value.
  OpFoldResult size(Value tensor, int64_t i);

  /// A zero-filled f32 tensor.
  Value zeros(ArrayRef<OpFoldResult> sizes);

  /// A slice with `sizes` at `offsets` (unit strides); dimensions listed in
  /// `dropped` (which must have size 1) are rank-reduced away.
  Value slice(Value source, ArrayRef<OpFoldResult> offsets,
              ArrayRef<OpFoldResult> sizes, ArrayRef<int64_t> dropped = {});
  /// Inserts `source` into `dest` at `offsets` with `sizes` (source may be
  /// rank-reduced).
  Value insert(Value source, Value dest, ArrayRef<OpFoldResult> offsets,
               ArrayRef<OpFoldResult> sizes);

private:
  /// Constant index values as attributes, so that slices get static types.
  SmallVector<OpFoldResult> foldConstants(ArrayRef<OpFoldResult> values);
};

} // namespace mlir::loom

#endif // LOOM_DIALECT_LOOM_UTILS_TENSORBUILDER_H
