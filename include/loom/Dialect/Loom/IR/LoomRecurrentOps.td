//===- LoomRecurrentOps.td - Recurrent family and scans ---*- tablegen -*-===//
//
// SPEC.md sections 1 and 2: linear attention with its gated and delta-rule
// forms, Mamba's selective scans and the short causal convolution.
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_DIALECT_LOOM_IR_LOOMRECURRENTOPS_TD
#define LOOM_DIALECT_LOOM_IR_LOOMRECURRENTOPS_TD

include "loom/Dialect/Loom/IR/LoomDialect.td"

def Loom_LinearAttentionOp : Loom_Op<"linear_attention",
    [AttrSizedOperandSegments]> {
  let summary = "Linear attention and its gated and delta-rule forms";
  let description = [{
    One op for the whole recurrent family, over a K×V f32 state per sequence
    and value head:

    ```
    S = initial_state or 0
    for t:
      if decay:  S = exp(g_t) * S                (scalar)
                 S = diag(exp(g_t)) @ S          (per key)
      if beta:   S = S + beta_t * k_t ⊗ (v_t - Sᵀ k_t)
      else:      S = S + k_t ⊗ v_t
      o_t = scale * Sᵀ q_t
    final_state = S
    ```

    | form                          | decay          | beta |
    |-------------------------------|----------------|------|
    | linear attention              | -              | -    |
    | RetNet / simple GLA / Mamba2  | `[B,T,H]`      | -    |
    | GLA                           | `[B,T,H,K]`    | -    |
    | DeltaNet                      | -              | yes  |
    | Gated DeltaNet                | `[B,T,H]`      | yes  |
    | KDA                           | `[B,T,H,K]`    | yes  |

    Operands: q, k `[B,T,Hk,K]`; v `[B,T,H,V]` with `H % Hk == 0` (grouped
    heads); all three share one element type (f32, f16 or bf16). `decay` is
    f32, in log space. `beta` f32 `[B,T,H]` selects the delta rule.
    `initial_state` f32 `[B,H,K,V]` (or `[N,H,K,V]` with `cu_seqlens`).
    `cu_seqlens` `[N+1]` i32 or i64 requires B = 1.

    Attributes: `scale` (default `K^-0.5`); `qk_l2norm` divides q and k by
    `sqrt(sum(x^2) + 1e-6)` first.

    Results: o `[B,T,H,V]` with q's element type; the final state, f32
    `[B,H,K,V]` (or `[N,H,K,V]`).

    Example (Gated DeltaNet):
    ```mlir
    %o, %s = loom.linear_attention %q, %k, %v decay %g beta %b {qk_l2norm}
        : (tensor<1x64x2x16xbf16>, tensor<1x64x2x16xbf16>,
           tensor<1x64x4x16xbf16>, tensor<1x64x4xf32>, tensor<1x64x4xf32>)
        -> (tensor<1x64x4x16xbf16>, tensor<1x4x16x16xf32>)
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$q,
    AnyRankedTensor:$k,
    AnyRankedTensor:$v,
    Optional<AnyRankedTensor>:$decay,
    Optional<AnyRankedTensor>:$beta,
    Optional<AnyRankedTensor>:$initial_state,
    Optional<AnyRankedTensor>:$cu_seqlens,
    OptionalAttr<F32Attr>:$scale,
    UnitAttr:$qk_l2norm
  );
  let results = (outs AnyRankedTensor:$output, AnyRankedTensor:$final_state);

  let assemblyFormat = [{
    $q `,` $k `,` $v (`decay` $decay^)? (`beta` $beta^)?
    (`initial_state` $initial_state^)? (`cu_seqlens` $cu_seqlens^)?
    attr-dict `:` functional-type(operands, results)
  }];

  let extraClassDeclaration = [{
    /// The `scale` attribute, or its default `K^-0.5`.
    float getScaleOrDefault();
    /// True when a per-key decay `[B,T,H,K]` is given.
    bool hasPerKeyDecay();
  }];
}

def Loom_SelectiveScanOp : Loom_Op<"selective_scan",
    [AttrSizedOperandSegments]> {
  let summary = "Mamba1 selective scan (mamba_ssm `selective_scan_fn` layout)";
  let description = [{
    A diagonal state-space recurrence per channel, with an N-dimensional f32
    state per (batch, channel):

    ```
    dt = delta + delta_bias
    if delta_softplus: dt = (dt > 20 ? dt : log1p(exp(dt)))
    h_t = exp(dt_t * A) ⊙ h_{t-1} + dt_t * B_t * u_t
    y_t = <C_t, h_t> + D * u_t
    if z: y_t = y_t * z_t * sigmoid(z_t)
    ```

    Operands: u `[B,Dc,L]` (f32, f16 or bf16); delta `[B,Dc,L]` with u's
    element type or f32; A f32 `[Dc,N]`; B, C `[B,G,N,L]` (float) with
    `Dc % G == 0`, channel `c` reading group `c / (Dc / G)`; D f32 `[Dc]`;
    z `[B,Dc,L]` with u's element type; delta_bias f32 `[Dc]`;
    initial_state f32 `[B,Dc,N]`.

    Results: y `[B,Dc,L]` with u's element type; the final state f32
    `[B,Dc,N]`.

    Example:
    ```mlir
    %y, %h = loom.selective_scan %u, %dt, %A, %B, %C D %D z %z {delta_softplus}
        : (tensor<2x64x100xbf16>, tensor<2x64x100xbf16>, tensor<64x16xf32>,
           tensor<2x1x16x100xbf16>, tensor<2x1x16x100xbf16>, tensor<64xf32>,
           tensor<2x64x100xbf16>)
        -> (tensor<2x64x100xbf16>, tensor<2x64x16xf32>)
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$u,
    AnyRankedTensor:$delta,
    AnyRankedTensor:$A,
    AnyRankedTensor:$B,
    AnyRankedTensor:$C,
    Optional<AnyRankedTensor>:$D,
    Optional<AnyRankedTensor>:$z,
    Optional<AnyRankedTensor>:$delta_bias,
    Optional<AnyRankedTensor>:$initial_state,
    UnitAttr:$delta_softplus
  );
  let results = (outs AnyRankedTensor:$y, AnyRankedTensor:$final_state);

  let assemblyFormat = [{
    $u `,` $delta `,` $A `,` $B `,` $C (`D` $D^)? (`z` $z^)?
    (`delta_bias` $delta_bias^)? (`initial_state` $initial_state^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Loom_SSDOp : Loom_Op<"ssd", [AttrSizedOperandSegments]> {
  let summary = "Mamba2 state-space duality (mamba_ssm `mamba_chunk_scan_combined` layout)";
  let description = [{
    A scalar-decay recurrence per head with a P×N f32 state:

    ```
    dt' = dt + dt_bias
    if dt_softplus: dt' = (dt' > 20 ? dt' : log1p(exp(dt')))
    h_t = exp(dt'_t * A) * h_{t-1} + dt'_t * x_t ⊗ B_t
    y_t = h_t C_t + D * x_t
    if z: y_t = y_t * z_t * sigmoid(z_t)
    ```

    This is `loom.linear_attention` with q = C, k = B, v = dt'·x,
    decay = dt'·A, scale = 1 and the state transposed, plus the D and z
    epilogue.

    Operands: x `[B,T,H,P]` (f32, f16 or bf16); dt f32 `[B,T,H]`; A f32 `[H]`;
    B, C `[B,T,G,N]` (float) with `H % G == 0`; D f32 `[H]`; z `[B,T,H,P]`
    with x's element type; dt_bias f32 `[H]`; initial_state f32 `[B,H,P,N]`
    (or `[Nseq,H,P,N]` with `cu_seqlens`); cu_seqlens `[Nseq+1]` i32 or i64,
    requiring B = 1.

    Results: y `[B,T,H,P]` with x's element type; the final state f32
    `[B,H,P,N]` (or `[Nseq,H,P,N]`).

    Example:
    ```mlir
    %y, %h = loom.ssd %x, %dt, %A, %B, %C D %D dt_bias %db {dt_softplus}
        : (tensor<1x?x8x64xbf16>, tensor<1x?x8xf32>, tensor<8xf32>,
           tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<8xf32>,
           tensor<8xf32>)
        -> (tensor<1x?x8x64xbf16>, tensor<1x8x64x128xf32>)
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$x,
    AnyRankedTensor:$dt,
    AnyRankedTensor:$A,
    AnyRankedTensor:$B,
    AnyRankedTensor:$C,
    Optional<AnyRankedTensor>:$D,
    Optional<AnyRankedTensor>:$z,
    Optional<AnyRankedTensor>:$dt_bias,
    Optional<AnyRankedTensor>:$initial_state,
    Optional<AnyRankedTensor>:$cu_seqlens,
    UnitAttr:$dt_softplus
  );
  let results = (outs AnyRankedTensor:$y, AnyRankedTensor:$final_state);

  let assemblyFormat = [{
    $x `,` $dt `,` $A `,` $B `,` $C (`D` $D^)? (`z` $z^)?
    (`dt_bias` $dt_bias^)? (`initial_state` $initial_state^)?
    (`cu_seqlens` $cu_seqlens^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Loom_CausalConv1dOp : Loom_Op<"causal_conv1d"> {
  let summary = "Depthwise causal 1-D convolution with optional SiLU";
  let description = [{
    The short convolution of Mamba and Gated DeltaNet layers, per channel:

    ```
    y[b,t,c] = act(bias[c] + sum_{i<W} w[c,i] * x[b, t-W+1+i, c])
    ```

    where x before time 0 is 0 and `act` is `activation`: "none" (default) or
    "silu".

    Operands: x `[B,T,C]` (f32, f16 or bf16); w f32 `[C,W]`; bias f32 `[C]`.
    Result: y `[B,T,C]` with x's element type.

    Example:
    ```mlir
    %y = loom.causal_conv1d %x, %w bias %b {activation = "silu"}
        : (tensor<1x?x256xbf16>, tensor<256x4xf32>, tensor<256xf32>)
        -> tensor<1x?x256xbf16>
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$x,
    AnyRankedTensor:$w,
    Optional<AnyRankedTensor>:$bias,
    DefaultValuedStrAttr<StrAttr, "none">:$activation
  );
  let results = (outs AnyRankedTensor:$y);

  let assemblyFormat = [{
    $x `,` $w (`bias` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

#endif // LOOM_DIALECT_LOOM_IR_LOOMRECURRENTOPS_TD
