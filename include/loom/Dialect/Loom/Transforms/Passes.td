//===- Passes.td - Algorithm-level loom transforms --------*- tablegen -*-===//

#ifndef LOOM_DIALECT_LOOM_TRANSFORMS_PASSES_TD
#define LOOM_DIALECT_LOOM_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def LoomChunk : Pass<"loom-chunk", "func::FuncOp"> {
  let summary = "Rewrite the recurrent family into chunked form";
  let description = [{
    Rewrites `loom.linear_attention` into its chunk-parallel form on
    tensors: per (sequence, head) a loop over chunks of `chunk-size` tokens
    that carries the K×V f32 state. Within a chunk, with b the inclusive
    cumulative log decay:

    ```
    P   = (Q Kᵀ) ⊙ exp(b_i - b_j) [j <= i]           intra-chunk scores
    A   = β_i (K Kᵀ) ⊙ exp(b_i - b_j) [j < i]         (delta rule)
    U   = (I + A)⁻¹ β V  -  (I + A)⁻¹ β e^{b} K · S    the WY/UT form, by
                                                      blocked forward substitution
    U   = V                                           (additive forms)
    O   = scale (e^{b} Q S + P U)
    S'  = e^{b_last} S + (e^{b_last - b} K)ᵀ U
    ```

    Decay ratios are exponentials of differences of cumulative logs, never
    of a raw cumsum, so decays of -30 per token neither overflow nor lose
    the state. A per-key decay ([B,T,H,K]) puts b per key into the
    contractions themselves (`sum_k q_ik k_jk exp(b_ik - b_jk)`), the
    sub-chunk-free equivalent of fla's secondary chunking: every exponent is
    <= 0. The last chunk of a sequence may be shorter; `cu_seqlens`
    boundaries end chunks.

    Cost per (sequence, head), T tokens, chunk C, key and value widths K, V:
    the recurrence does about 4 T K V multiply-adds (6 with the delta rule)
    in T dependent steps; the chunked form does T C (K + V) for the
    intra-chunk products, 2 T K V for the inter-chunk terms and, for the
    delta rule, T C (C + K + V) for the triangular solve and T C K for
    K Kᵀ, in T / C dependent steps of matrix products. Extra memory is
    O(C² + C (K + V)) per chunk in flight plus the K×V state; nothing of
    size T×T. A per-key decay makes the C×C products cost C² K
    exponentials per chunk instead of C².

    `loom.ssd` and `loom.selective_scan` are first rewritten into
    `loom.linear_attention` plus their D / z epilogue, so they share it.
  }];
  let options = [
    Option<"chunkSize", "chunk-size", "int64_t", /*default=*/"64",
           "Tokens per chunk">
  ];
  let dependentDialects = [
    "arith::ArithDialect", "cf::ControlFlowDialect", "linalg::LinalgDialect",
    "math::MathDialect", "scf::SCFDialect", "tensor::TensorDialect"
  ];
}

def LoomFuse : Pass<"loom-fuse", "func::FuncOp"> {
  let summary = "Fuse producer/consumer chains of loom ops";
  let description = [{
    Rewrites chains whose intermediate need not exist:

    - `loom.lightning_indexer` whose only user is `loom.topk` becomes
      `loom.indexer_topk`: a running top-k per query row over the keys, so
      the [B, T, S] scores (34 GB at 128k causal tokens) never exist.
    - `loom.grouped_matmul` reading the `sorted` rows of a `loom.moe_dispatch`
      (with that dispatch's offsets) becomes `loom.gathered_matmul`, which
      reads the token rows through the permutation: no gathered copy of the
      activations. The dispatch then only computes the permutation and the
      offsets.
    - `loom.moe_combine` of a plain `loom.grouped_matmul` it alone uses
      becomes `loom.grouped_matmul_combine`: each expert row is added into
      its token as it is computed, so the [N*k, Dout] expert outputs never
      exist.
    - `loom.ssd` and `loom.selective_scan` become `loom.linear_attention` plus
      their D / z epilogue (the same rewrite `loom-chunk` starts with).

    Already fused by construction, so nothing to rewrite: the router's
    score, bias, group mask, top-k and normalization run in one pass per
    token in every lowering, and `loom.causal_conv1d` carries its activation.
  }];
  let dependentDialects = ["linalg::LinalgDialect", "tensor::TensorDialect"];
}

#endif // LOOM_DIALECT_LOOM_TRANSFORMS_PASSES_TD
