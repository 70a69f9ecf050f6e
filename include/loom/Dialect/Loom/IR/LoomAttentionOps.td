//===- LoomAttentionOps.td - Sparse and dense attention ---*- tablegen -*-===//
//
// SPEC.md section 3: DeepSeek sparse attention (lightning indexer, top-k,
// sparse attention) and dense softmax attention for hybrid stacks.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_DIALECT_LOOM_IR_LOOMATTENTIONOPS_TD
#define LOOM_DIALECT_LOOM_IR_LOOMATTENTIONOPS_TD

include "loom/Dialect/Loom/IR/LoomDialect.td"

def Loom_LightningIndexerOp : Loom_Op<"lightning_indexer"> {
  let summary = "DeepSeek lightning indexer: ReLU-weighted index scores";
  let description = [{
    ```
    I[b,t,s] = sum_h w[b,t,h] * relu(<qi[b,t,h], ki[b,s]>)
    ```

    With `causal`, the T queries are the last T of the S keys and positions
    `s > t + (S - T)` get `-inf` (so T <= S).

    Operands: qi `[B,T,Hi,Di]` and ki `[B,S,Di]` sharing one element type
    (f32, f16 or bf16); w f32 `[B,T,Hi]`. Result: f32 `[B,T,S]`.

    Example:
    ```mlir
    %I = loom.lightning_indexer %qi, %ki, %w {causal}
        : (tensor<1x?x4x64xbf16>, tensor<1x?x64xbf16>, tensor<1x?x4xf32>)
        -> tensor<1x?x?xf32>
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$qi,
    AnyRankedTensor:$ki,
    AnyRankedTensor:$w,
    UnitAttr:$causal
  );
  let results = (outs AnyRankedTensor:$scores);

  let assemblyFormat = [{
    $qi `,` $ki `,` $w attr-dict `:` functional-type(operands, results)
  }];
}

def Loom_TopKOp : Loom_Op<"topk"> {
  let summary = "Top-k along the last dimension, with -1 padding";
  let description = [{
    Returns the k largest entries of each row of the last dimension in
    descending order with their indices; ties go to the smaller index. When
    fewer than k entries are finite (k may exceed S), the remaining slots hold
    index -1 and value -inf.

    Operand: scores f32 `[..., S]`. Results: values f32 `[..., k]`, indices
    i32 `[..., k]`. Requires `k >= 1`.

    Example:
    ```mlir
    %vals, %idx = loom.topk %I {k = 2048}
        : (tensor<1x?x?xf32>) -> (tensor<1x?x2048xf32>, tensor<1x?x2048xi32>)
    ```
  }];

  let arguments = (ins AnyRankedTensor:$scores, I64Attr:$k);
  let results = (outs AnyRankedTensor:$values, AnyRankedTensor:$indices);

  let assemblyFormat = [{
    $scores attr-dict `:` functional-type(operands, results)
  }];
}

def Loom_SparseAttentionOp : Loom_Op<"sparse_attention"> {
  let summary = "Softmax attention over an index list of keys per query";
  let description = [{
    ```
    o[b,t,h] = sum_j p_j v[b, idx[b,t,j], hk]
    p = softmax_j(scale * <q[b,t,h], k[b, idx[b,t,j], hk]>)   over j with idx >= 0
    ```

    A row with no valid slot gives 0. `hk = h / (H / Hkv)`; `scale` defaults
    to `D^-0.5`.

    Operands: q `[B,T,H,D]`, k `[B,S,Hkv,D]`, v `[B,S,Hkv,Dv]` sharing one
    element type (f32, f16 or bf16), `H % Hkv == 0`; idx i32 `[B,T,Kt]`.
    Result: `[B,T,H,Dv]` with q's element type.

    Example:
    ```mlir
    %o = loom.sparse_attention %q, %k, %v, %idx {scale = 8.838835e-02 : f32}
        : (tensor<1x?x16x128xbf16>, tensor<1x?x1x128xbf16>,
           tensor<1x?x1x128xbf16>, tensor<1x?x2048xi32>)
        -> tensor<1x?x16x128xbf16>
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$q,
    AnyRankedTensor:$k,
    AnyRankedTensor:$v,
    AnyRankedTensor:$indices,
    OptionalAttr<F32Attr>:$scale
  );
  let results = (outs AnyRankedTensor:$output);

  let assemblyFormat = [{
    $q `,` $k `,` $v `,` $indices attr-dict `:` functional-type(operands, results)
  }];

  let extraClassDeclaration = [{
    /// The `scale` attribute, or its default `D^-0.5`.
    float getScaleOrDefault();
  }];
}

def Loom_AttentionOp : Loom_Op<"attention"> {
  let summary = "Dense softmax attention with grouped heads";
  let description = [{
    ```
    o[b,t,h] = sum_s softmax_s(scale * <q[b,t,h], k[b,s,hk]>) v[b,s,hk]
    ```

    Over all S keys; with `causal` the T queries align with the last T keys
    (key `s` is visible to query `t` when `s <= t + (S - T)`, so T <= S).
    `hk = h / (H / Hkv)`; `scale` defaults to `D^-0.5`. The dense reference
    for `loom.sparse_attention`, and the attention layer of hybrid stacks.

    Operands: q `[B,T,H,D]`, k `[B,S,Hkv,D]`, v `[B,S,Hkv,Dv]` sharing one
    element type (f32, f16 or bf16), `H % Hkv == 0`. Result: `[B,T,H,Dv]`
    with q's element type.

    Example:
    ```mlir
    %o = loom.attention %q, %k, %v {causal}
        : (tensor<2x?x16x128xbf16>, tensor<2x?x2x128xbf16>,
           tensor<2x?x2x128xbf16>) -> tensor<2x?x16x128xbf16>
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$q,
    AnyRankedTensor:$k,
    AnyRankedTensor:$v,
    UnitAttr:$causal,
    OptionalAttr<F32Attr>:$scale
  );
  let results = (outs AnyRankedTensor:$output);

  let assemblyFormat = [{
    $q `,` $k `,` $v attr-dict `:` functional-type(operands, results)
  }];

  let extraClassDeclaration = [{
    /// The `scale` attribute, or its default `D^-0.5`.
    float getScaleOrDefault();
  }];
}

#endif // LOOM_DIALECT_LOOM_IR_LOOMATTENTIONOPS_TD
