//===- LoomFusedOps.td - Algorithm-level fused ops --------*- tablegen -*-===//
//
// Ops that `--loom-fuse` produces from chains of model-level ops, so that the
// intermediate between them is never materialized. Users may write them, but
// models normally do not: they are part of the algorithm level.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_DIALECT_LOOM_IR_LOOMFUSEDOPS_TD
#define LOOM_DIALECT_LOOM_IR_LOOMFUSEDOPS_TD

include "loom/Dialect/Loom/IR/LoomDialect.td"

def Loom_IndexerTopKOp : Loom_Op<"indexer_topk"> {
  let summary = "Lightning indexer fused with top-k, streaming over keys";
  let description = [{
    `loom.topk(loom.lightning_indexer(qi, ki, w))` without the [B, T, S]
    scores: each query row keeps a running top-k while it sweeps the keys, so
    memory is O(B T k) however long S is. Same math, order and padding as the
    two ops: descending, ties to the smaller key index, -1 / -inf once fewer
    than k keys are eligible (causal masking makes keys ineligible).

    Operands: qi `[B,T,Hi,Di]`, ki `[B,S,Di]` (one element type), w f32
    `[B,T,Hi]`. Results: values f32 `[B,T,k]`, indices i32 `[B,T,k]`.

    Example:
    ```mlir
    %vals, %idx = loom.indexer_topk %qi, %ki, %w {k = 2048, causal}
        : (tensor<1x?x4x64xbf16>, tensor<1x?x64xbf16>, tensor<1x?x4xf32>)
        -> (tensor<1x?x2048xf32>, tensor<1x?x2048xi32>)
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$qi,
    AnyRankedTensor:$ki,
    AnyRankedTensor:$w,
    I64Attr:$k,
    UnitAttr:$causal
  );
  let results = (outs AnyRankedTensor:$values, AnyRankedTensor:$indices);

  let assemblyFormat = [{
    $qi `,` $ki `,` $w attr-dict `:` functional-type(operands, results)
  }];
}

def Loom_GatheredMatmulOp : Loom_Op<"gathered_matmul"> {
  let summary = "Grouped matmul that reads its rows through a permutation";
  let description = [{
    `loom.grouped_matmul(loom.moe_dispatch(x, idx).sorted, w, offsets)`
    without the sorted copy of x: row r of expert e multiplies
    `x[perm[r] / top_k]` by `w[e]`, where expert e owns rows
    `[offsets[e], offsets[e+1])`. `activation` is "none" or "swiglu" as for
    `loom.grouped_matmul`.

    Operands: x `[N,Dm]` and w `[E,Dm,Dout]` (one element type), offsets i32
    `[E+1]`, perm i32 `[N*top_k]`. Result: `[N*top_k, Dout]` (or
    `[N*top_k, Dout/2]` with swiglu) with x's element type.

    Example:
    ```mlir
    %h = loom.gathered_matmul %x, %w, %offs, %perm {top_k = 8, activation = "swiglu"}
        : (tensor<?x1024xbf16>, tensor<64x1024x1024xbf16>, tensor<65xi32>, tensor<?xi32>)
        -> tensor<?x512xbf16>
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$x,
    AnyRankedTensor:$w,
    AnyRankedTensor:$offsets,
    AnyRankedTensor:$permutation,
    I64Attr:$top_k,
    DefaultValuedStrAttr<StrAttr, "none">:$activation
  );
  let results = (outs AnyRankedTensor:$output);

  let assemblyFormat = [{
    $x `,` $w `,` $offsets `,` $permutation attr-dict `:`
    functional-type(operands, results)
  }];
}

def Loom_GroupedMatmulCombineOp : Loom_Op<"grouped_matmul_combine"> {
  let summary = "Grouped matmul whose rows are combined into their tokens";
  let description = [{
    `loom.moe_combine(loom.grouped_matmul(h, w, offsets), perm, weights)`
    without the [N*k, Dout] expert outputs: row r of expert e computes
    `h[r] w[e]` and adds it, scaled by `weights[n, j]`, to token
    `n = perm[r] / k`, slot `j = perm[r] % k`. The sum is kept in f32 and
    rounded once (the unfused chain rounds each expert output first).

    Operands: h `[N*k,Din]` and w `[E,Din,Dout]` (one element type), offsets
    i32 `[E+1]`, perm i32 `[N*k]`, weights f32 `[N,k]`. Result: `[N,Dout]`
    with h's element type.

    Example:
    ```mlir
    %out = loom.grouped_matmul_combine %h, %w2, %offs, %perm, %rw
        : (tensor<?x512xbf16>, tensor<64x512x1024xbf16>, tensor<65xi32>,
           tensor<?xi32>, tensor<?x8xf32>) -> tensor<?x1024xbf16>
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$h,
    AnyRankedTensor:$w,
    AnyRankedTensor:$offsets,
    AnyRankedTensor:$permutation,
    AnyRankedTensor:$weights
  );
  let results = (outs AnyRankedTensor:$output);

  let assemblyFormat = [{
    $h `,` $w `,` $offsets `,` $permutation `,` $weights attr-dict `:`
    functional-type(operands, results)
  }];
}

#endif // LOOM_DIALECT_LOOM_IR_LOOMFUSEDOPS_TD
