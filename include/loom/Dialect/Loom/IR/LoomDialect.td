//===- LoomDialect.td - The loom dialect ------------------*- tablegen -*-===//
//
// The `loom` dialect: model-level ops for the layers that replace or thin out
// quadratic attention. The op contract (names, shapes, math) is SPEC.md.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_DIALECT_LOOM_IR_LOOMDIALECT_TD
#define LOOM_DIALECT_LOOM_IR_LOOMDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Loom_Dialect : Dialect {
  let name = "loom";
  let cppNamespace = "::mlir::loom";
  let summary = "Linear attention, selective scans, sparse attention and MoE.";
  let description = [{
    Model-level ops on tensors. Layout is token-major, `[B, T, H, D]` (batch,
    time, head, feature), as in fla and mamba_ssm.

    Precision contract, shared by every op:
    - Data operands (q, k, v, x, u, hidden states, expert weights) are `f32`,
      `f16` or `bf16`. Gates, decays, betas, biases, `dt`, `A`, `D`, router
      scores and every recurrent state are `f32`.
    - All arithmetic accumulates in `f32`; an output has the element type of
      its main data input and is rounded once, at the end.
    - B, T, S and N (batch, time, keys, sequences or tokens) may be dynamic;
      head counts and feature sizes are static.
    - Grouped heads: q/k (or B/C) may have fewer heads than v (or x); value
      head `h` reads qk head `h / (H / Hk)`.
    - Variable length: with `cu_seqlens` (`[N+1]`, i32 or i64), B is 1 and the
      sequences are `[cu[i], cu[i+1])`; states then have leading dim N.
    - A state is always the last result; when it has no uses, lowering does
      not write it.
  }];
}

/// Base class of every loom op.
class Loom_Op<string mnemonic, list<Trait> traits = []>
    : Op<Loom_Dialect, mnemonic, traits # [Pure]> {
  let hasVerifier = 1;
}

#endif // LOOM_DIALECT_LOOM_IR_LOOMDIALECT_TD
