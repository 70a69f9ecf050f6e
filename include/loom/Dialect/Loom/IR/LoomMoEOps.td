//===- LoomMoEOps.td - Mixture-of-experts routing ---------*- tablegen -*-===//
//
// SPEC.md section 4: router, balancing losses, dispatch, grouped matmul and
// combine.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_DIALECT_LOOM_IR_LOOMMOEOPS_TD
#define LOOM_DIALECT_LOOM_IR_LOOMMOEOPS_TD

include "loom/Dialect/Loom/IR/LoomDialect.td"

def Loom_MoERouterOp : Loom_Op<"moe_router"> {
  let summary = "Top-k expert routing with bias and group-limited selection";
  let description = [{
    ```
    s = softmax(logits) | sigmoid(logits)       (in f32, by `score`)
    sel = s + bias                              (bias steers selection only)
    if n_group > 1: experts form n_group equal groups; a group's score is the
       sum of its two largest sel; keep the topk_group best groups and mask
       the rest to -inf
    idx = top_k of sel (descending, ties to the smaller index)
    w = s[idx];  if normalize: w = w / (sum(w) + 1e-20);  w = w * scaling
    ```

    Operands: logits `[N,E]` (f32, f16 or bf16); bias f32 `[E]`.
    Results: weights f32 `[N,top_k]`, indices i32 `[N,top_k]`.

    Attributes: `top_k` (required), `score` "softmax" (default) or
    "sigmoid", `n_group` (default 1), `topk_group` (default 1), `normalize`,
    `scaling` (default 1.0). Requires `1 <= top_k <= E`, `E % n_group == 0`,
    `1 <= topk_group <= n_group` and `top_k <= topk_group * E / n_group`.

    Example (DeepSeek-V3):
    ```mlir
    %w, %idx = loom.moe_router %logits bias %b
        {top_k = 8, score = "sigmoid", n_group = 8, topk_group = 4,
         normalize, scaling = 2.5 : f32}
        : (tensor<?x256xf32>, tensor<256xf32>)
        -> (tensor<?x8xf32>, tensor<?x8xi32>)
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$logits,
    Optional<AnyRankedTensor>:$bias,
    I64Attr:$top_k,
    DefaultValuedStrAttr<StrAttr, "softmax">:$score,
    DefaultValuedAttr<I64Attr, "1">:$n_group,
    DefaultValuedAttr<I64Attr, "1">:$topk_group,
    UnitAttr:$normalize,
    DefaultValuedAttr<F32Attr, "1.0f">:$scaling
  );
  let results = (outs AnyRankedTensor:$weights, AnyRankedTensor:$indices);

  let assemblyFormat = [{
    $logits (`bias` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Loom_MoEAuxLossOp : Loom_Op<"moe_aux_loss"> {
  let summary = "Switch / DeepSeek load-balancing loss";
  let description = [{
    ```
    P_e = mean_n softmax(logits)[n,e]
    f_e = E * count_e / (N * k)          (count over all k slots of idx)
    loss = alpha * sum_e f_e * P_e
    ```

    Operands: logits `[N,E]` (f32, f16 or bf16), idx i32 `[N,k]`.
    Result: `tensor<f32>`. `alpha` defaults to 0.01.

    Example:
    ```mlir
    %l = loom.moe_aux_loss %logits, %idx {alpha = 1.0e-03 : f32}
        : (tensor<?x64xf32>, tensor<?x8xi32>) -> tensor<f32>
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$logits,
    AnyRankedTensor:$indices,
    DefaultValuedAttr<F32Attr, "0.01f">:$alpha
  );
  let results = (outs AnyRankedTensor:$loss);

  let assemblyFormat = [{
    $logits `,` $indices attr-dict `:` functional-type(operands, results)
  }];
}

def Loom_RouterZLossOp : Loom_Op<"router_z_loss"> {
  let summary = "Router z-loss: mean squared log-partition of the logits";
  let description = [{
    ```
    z = mean_n logsumexp(logits[n, :])^2
    ```

    Operand: logits `[N,E]` (f32, f16 or bf16). Result: `tensor<f32>`.

    Example:
    ```mlir
    %z = loom.router_z_loss %logits : (tensor<?x64xbf16>) -> tensor<f32>
    ```
  }];

  let arguments = (ins AnyRankedTensor:$logits);
  let results = (outs AnyRankedTensor:$loss);

  let assemblyFormat = [{
    $logits attr-dict `:` functional-type(operands, results)
  }];
}

def Loom_MoEDispatchOp : Loom_Op<"moe_dispatch"> {
  let summary = "Sort token copies by expert";
  let description = [{
    Rows are sorted by expert, stably by flat slot `n*k+j`: `perm[r]` is the
    flat slot of sorted row r, `xs[r] = x[perm[r] / k]`, and expert e owns
    rows `[offsets[e], offsets[e+1])`. Indices outside `[0, E)` are a run-time
    error reported by the host runtime.

    Operands: x `[N,Dm]` (f32, f16 or bf16), idx i32 `[N,k]`.
    Results: xs `[N*k,Dm]` with x's element type, perm i32 `[N*k]`,
    offsets i32 `[E+1]` where E is `num_experts` (>= 1).

    Example:
    ```mlir
    %xs, %perm, %offs = loom.moe_dispatch %x, %idx {num_experts = 64}
        : (tensor<?x1024xbf16>, tensor<?x8xi32>)
        -> (tensor<?x1024xbf16>, tensor<?xi32>, tensor<65xi32>)
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$x,
    AnyRankedTensor:$indices,
    I64Attr:$num_experts
  );
  let results = (outs AnyRankedTensor:$sorted, AnyRankedTensor:$permutation,
                      AnyRankedTensor:$offsets);

  let assemblyFormat = [{
    $x `,` $indices attr-dict `:` functional-type(operands, results)
  }];
}

def Loom_GroupedMatmulOp : Loom_Op<"grouped_matmul"> {
  let summary = "Per-expert matmul over expert-sorted rows";
  let description = [{
    Rows `[offsets[e], offsets[e+1])` of xs multiply `w[e]`. With
    `activation = "swiglu"`, `Dout = 2F` and the result is `silu(a) * b` of
    the two halves `a = y[:, :F]`, `b = y[:, F:]`; "none" is the default.

    Operands: xs `[M,Din]` and w `[E,Din,Dout]` sharing one element type
    (f32, f16 or bf16); offsets i32 `[E+1]`. Result: `[M,Dout]` (or `[M,F]`
    with swiglu) with xs's element type.

    Example:
    ```mlir
    %h = loom.grouped_matmul %xs, %w1, %offs {activation = "swiglu"}
        : (tensor<?x1024xbf16>, tensor<64x1024x1024xbf16>, tensor<65xi32>)
        -> tensor<?x512xbf16>
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$xs,
    AnyRankedTensor:$w,
    AnyRankedTensor:$offsets,
    DefaultValuedStrAttr<StrAttr, "none">:$activation
  );
  let results = (outs AnyRankedTensor:$output);

  let assemblyFormat = [{
    $xs `,` $w `,` $offsets attr-dict `:` functional-type(operands, results)
  }];
}

def Loom_MoECombineOp : Loom_Op<"moe_combine"> {
  let summary = "Weighted sum of each token's expert outputs";
  let description = [{
    ```
    out[n] = sum_j w[n,j] * ys[r(n,j)]     where perm[r(n,j)] = n*k + j
    ```

    Operands: ys `[N*k,Dm]` (f32, f16 or bf16), perm i32 `[N*k]`,
    w f32 `[N,k]`. Result: `[N,Dm]` with ys's element type.

    Example:
    ```mlir
    %out = loom.moe_combine %ys, %perm, %w
        : (tensor<?x1024xbf16>, tensor<?xi32>, tensor<?x8xf32>)
        -> tensor<?x1024xbf16>
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$ys,
    AnyRankedTensor:$permutation,
    AnyRankedTensor:$weights
  );
  let results = (outs AnyRankedTensor:$output);

  let assemblyFormat = [{
    $ys `,` $permutation `,` $weights attr-dict `:` functional-type(operands, results)
  }];
}

#endif // LOOM_DIALECT_LOOM_IR_LOOMMOEOPS_TD
