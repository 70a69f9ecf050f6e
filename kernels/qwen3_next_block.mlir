// A Qwen3-Next-style hybrid block at reduced width: a Gated DeltaNet token
// mixer (fused qkv projection, short causal convolution with SiLU, L2-normed
// q/k, scalar decay and beta gates), a softmax attention layer with grouped
// KV heads, and a mixture-of-experts FFN (softmax top-4 of 16 routed experts
// with SwiGLU, a shared expert and the load-balancing loss). Each mixer adds
// its output to the residual stream; norms are left out.
//
// Shapes: batch 1, T tokens (dynamic), model width 256.
//   Gated DeltaNet: 2 q/k heads, 4 value heads, K = V = 64, conv width 4.
//   Attention:      4 query heads, 1 KV head, head dim 64, causal.
//   MoE:            16 experts, top-4, expert FFN width 128.
//
// Results: the block output, the MoE auxiliary loss and the Gated DeltaNet
// state after the last token (what a decode step would continue from).

func.func @main(
    %x: tensor<1x?x256xbf16>,
    // Gated DeltaNet
    %w_qkv: tensor<256x512xbf16>, %w_conv: tensor<512x4xf32>,
    %w_decay: tensor<256x4xbf16>, %w_beta: tensor<256x4xbf16>,
    %w_gdn_out: tensor<256x256xbf16>,
    // Attention
    %w_q: tensor<256x256xbf16>, %w_k: tensor<256x64xbf16>,
    %w_v: tensor<256x64xbf16>, %w_attn_out: tensor<256x256xbf16>,
    // MoE
    %w_router: tensor<256x16xbf16>, %w_up: tensor<16x256x256xbf16>,
    %w_down: tensor<16x128x256xbf16>, %w_shared_up: tensor<256x256xbf16>,
    %w_shared_down: tensor<128x256xbf16>)
    -> (tensor<1x?x256xbf16>, tensor<f32>, tensor<1x4x64x64xf32>) {
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %T = tensor.dim %x, %c1 : tensor<1x?x256xbf16>
  %x2d = tensor.collapse_shape %x [[0, 1], [2]] : tensor<1x?x256xbf16> into tensor<?x256xbf16>

  // ---- Gated DeltaNet ----------------------------------------------------
  %qkv_acc = tensor.empty(%T) : tensor<?x512xf32>
  %qkv_init = linalg.fill ins(%zero : f32) outs(%qkv_acc : tensor<?x512xf32>) -> tensor<?x512xf32>
  %qkv_f32 = linalg.matmul ins(%x2d, %w_qkv : tensor<?x256xbf16>, tensor<256x512xbf16>) outs(%qkv_init : tensor<?x512xf32>) -> tensor<?x512xf32>
  %qkv_2d = arith.truncf %qkv_f32 : tensor<?x512xf32> to tensor<?x512xbf16>
  %qkv_3d = tensor.expand_shape %qkv_2d [[0, 1], [2]] output_shape [1, %T, 512] : tensor<?x512xbf16> into tensor<1x?x512xbf16>
  %qkv = loom.causal_conv1d %qkv_3d, %w_conv {activation = "silu"} : (tensor<1x?x512xbf16>, tensor<512x4xf32>) -> tensor<1x?x512xbf16>
  %q_flat = tensor.extract_slice %qkv[0, 0, 0] [1, %T, 128] [1, 1, 1] : tensor<1x?x512xbf16> to tensor<1x?x128xbf16>
  %k_flat = tensor.extract_slice %qkv[0, 0, 128] [1, %T, 128] [1, 1, 1] : tensor<1x?x512xbf16> to tensor<1x?x128xbf16>
  %v_flat = tensor.extract_slice %qkv[0, 0, 256] [1, %T, 256] [1, 1, 1] : tensor<1x?x512xbf16> to tensor<1x?x256xbf16>
  %q = tensor.expand_shape %q_flat [[0], [1], [2, 3]] output_shape [1, %T, 2, 64] : tensor<1x?x128xbf16> into tensor<1x?x2x64xbf16>
  %k = tensor.expand_shape %k_flat [[0], [1], [2, 3]] output_shape [1, %T, 2, 64] : tensor<1x?x128xbf16> into tensor<1x?x2x64xbf16>
  %v = tensor.expand_shape %v_flat [[0], [1], [2, 3]] output_shape [1, %T, 4, 64] : tensor<1x?x256xbf16> into tensor<1x?x4x64xbf16>

  // Gates: decay g = -softplus(x W_decay) (log space), beta = sigmoid(x W_beta).
  %gate_acc = tensor.empty(%T) : tensor<?x4xf32>
  %gate_init = linalg.fill ins(%zero : f32) outs(%gate_acc : tensor<?x4xf32>) -> tensor<?x4xf32>
  %decay_logit = linalg.matmul ins(%x2d, %w_decay : tensor<?x256xbf16>, tensor<256x4xbf16>) outs(%gate_init : tensor<?x4xf32>) -> tensor<?x4xf32>
  %beta_logit = linalg.matmul ins(%x2d, %w_beta : tensor<?x256xbf16>, tensor<256x4xbf16>) outs(%gate_init : tensor<?x4xf32>) -> tensor<?x4xf32>
  %g_2d = linalg.map ins(%decay_logit : tensor<?x4xf32>) outs(%gate_acc : tensor<?x4xf32>)
    (%a: f32, %unused: f32) {
      // softplus(a) = log1p(exp(a)), which is a itself once exp(a) dwarfs 1.
      %twenty = arith.constant 20.0 : f32
      %e = math.exp %a : f32
      %lp = math.log1p %e : f32
      %big = arith.cmpf ogt, %a, %twenty : f32
      %sp = arith.select %big, %a, %lp : f32
      %neg = arith.negf %sp : f32
      linalg.yield %neg : f32
    }
  %b_2d = linalg.map ins(%beta_logit : tensor<?x4xf32>) outs(%gate_acc : tensor<?x4xf32>)
    (%a: f32, %unused: f32) {
      %one = arith.constant 1.0 : f32
      %na = arith.negf %a : f32
      %e = math.exp %na : f32
      %den = arith.addf %one, %e : f32
      %s = arith.divf %one, %den : f32
      linalg.yield %s : f32
    }
  %g = tensor.expand_shape %g_2d [[0, 1], [2]] output_shape [1, %T, 4] : tensor<?x4xf32> into tensor<1x?x4xf32>
  %beta = tensor.expand_shape %b_2d [[0, 1], [2]] output_shape [1, %T, 4] : tensor<?x4xf32> into tensor<1x?x4xf32>

  %gdn, %gdn_state = loom.linear_attention %q, %k, %v decay %g beta %beta {qk_l2norm}
      : (tensor<1x?x2x64xbf16>, tensor<1x?x2x64xbf16>, tensor<1x?x4x64xbf16>, tensor<1x?x4xf32>, tensor<1x?x4xf32>)
      -> (tensor<1x?x4x64xbf16>, tensor<1x4x64x64xf32>)
  %gdn_2d = tensor.collapse_shape %gdn [[0, 1], [2, 3]] : tensor<1x?x4x64xbf16> into tensor<?x256xbf16>
  %model_acc = tensor.empty(%T) : tensor<?x256xf32>
  %model_init = linalg.fill ins(%zero : f32) outs(%model_acc : tensor<?x256xf32>) -> tensor<?x256xf32>
  %gdn_out_f32 = linalg.matmul ins(%gdn_2d, %w_gdn_out : tensor<?x256xbf16>, tensor<256x256xbf16>) outs(%model_init : tensor<?x256xf32>) -> tensor<?x256xf32>
  %gdn_out = arith.truncf %gdn_out_f32 : tensor<?x256xf32> to tensor<?x256xbf16>
  %h1 = arith.addf %x2d, %gdn_out : tensor<?x256xbf16>

  // ---- Attention ---------------------------------------------------------
  %kv_acc = tensor.empty(%T) : tensor<?x64xf32>
  %kv_init = linalg.fill ins(%zero : f32) outs(%kv_acc : tensor<?x64xf32>) -> tensor<?x64xf32>
  %aq_f32 = linalg.matmul ins(%h1, %w_q : tensor<?x256xbf16>, tensor<256x256xbf16>) outs(%model_init : tensor<?x256xf32>) -> tensor<?x256xf32>
  %ak_f32 = linalg.matmul ins(%h1, %w_k : tensor<?x256xbf16>, tensor<256x64xbf16>) outs(%kv_init : tensor<?x64xf32>) -> tensor<?x64xf32>
  %av_f32 = linalg.matmul ins(%h1, %w_v : tensor<?x256xbf16>, tensor<256x64xbf16>) outs(%kv_init : tensor<?x64xf32>) -> tensor<?x64xf32>
  %aq_2d = arith.truncf %aq_f32 : tensor<?x256xf32> to tensor<?x256xbf16>
  %ak_2d = arith.truncf %ak_f32 : tensor<?x64xf32> to tensor<?x64xbf16>
  %av_2d = arith.truncf %av_f32 : tensor<?x64xf32> to tensor<?x64xbf16>
  %aq = tensor.expand_shape %aq_2d [[0, 1], [2, 3]] output_shape [1, %T, 4, 64] : tensor<?x256xbf16> into tensor<1x?x4x64xbf16>
  %ak = tensor.expand_shape %ak_2d [[0, 1], [2, 3]] output_shape [1, %T, 1, 64] : tensor<?x64xbf16> into tensor<1x?x1x64xbf16>
  %av = tensor.expand_shape %av_2d [[0, 1], [2, 3]] output_shape [1, %T, 1, 64] : tensor<?x64xbf16> into tensor<1x?x1x64xbf16>
  %attn = loom.attention %aq, %ak, %av {causal}
      : (tensor<1x?x4x64xbf16>, tensor<1x?x1x64xbf16>, tensor<1x?x1x64xbf16>) -> tensor<1x?x4x64xbf16>
  %attn_2d = tensor.collapse_shape %attn [[0, 1], [2, 3]] : tensor<1x?x4x64xbf16> into tensor<?x256xbf16>
  %attn_out_f32 = linalg.matmul ins(%attn_2d, %w_attn_out : tensor<?x256xbf16>, tensor<256x256xbf16>) outs(%model_init : tensor<?x256xf32>) -> tensor<?x256xf32>
  %attn_out = arith.truncf %attn_out_f32 : tensor<?x256xf32> to tensor<?x256xbf16>
  %h2 = arith.addf %h1, %attn_out : tensor<?x256xbf16>

  // ---- Mixture of experts ------------------------------------------------
  %logit_acc = tensor.empty(%T) : tensor<?x16xf32>
  %logit_init = linalg.fill ins(%zero : f32) outs(%logit_acc : tensor<?x16xf32>) -> tensor<?x16xf32>
  %logits = linalg.matmul ins(%h2, %w_router : tensor<?x256xbf16>, tensor<256x16xbf16>) outs(%logit_init : tensor<?x16xf32>) -> tensor<?x16xf32>
  %route_w, %route_idx = loom.moe_router %logits {top_k = 4, normalize}
      : (tensor<?x16xf32>) -> (tensor<?x4xf32>, tensor<?x4xi32>)
  %aux = loom.moe_aux_loss %logits, %route_idx {alpha = 1.0e-02 : f32}
      : (tensor<?x16xf32>, tensor<?x4xi32>) -> tensor<f32>
  %xs, %perm, %offs = loom.moe_dispatch %h2, %route_idx {num_experts = 16}
      : (tensor<?x256xbf16>, tensor<?x4xi32>) -> (tensor<?x256xbf16>, tensor<?xi32>, tensor<17xi32>)
  %hidden = loom.grouped_matmul %xs, %w_up, %offs {activation = "swiglu"}
      : (tensor<?x256xbf16>, tensor<16x256x256xbf16>, tensor<17xi32>) -> tensor<?x128xbf16>
  %ys = loom.grouped_matmul %hidden, %w_down, %offs
      : (tensor<?x128xbf16>, tensor<16x128x256xbf16>, tensor<17xi32>) -> tensor<?x256xbf16>
  %routed = loom.moe_combine %ys, %perm, %route_w
      : (tensor<?x256xbf16>, tensor<?xi32>, tensor<?x4xf32>) -> tensor<?x256xbf16>

  // The shared expert: SwiGLU over the same tokens.
  %shared_up = linalg.matmul ins(%h2, %w_shared_up : tensor<?x256xbf16>, tensor<256x256xbf16>) outs(%model_init : tensor<?x256xf32>) -> tensor<?x256xf32>
  %gate_half = tensor.extract_slice %shared_up[0, 0] [%T, 128] [1, 1] : tensor<?x256xf32> to tensor<?x128xf32>
  %up_half = tensor.extract_slice %shared_up[0, 128] [%T, 128] [1, 1] : tensor<?x256xf32> to tensor<?x128xf32>
  %swiglu_acc = tensor.empty(%T) : tensor<?x128xbf16>
  %shared_hidden = linalg.map ins(%gate_half, %up_half : tensor<?x128xf32>, tensor<?x128xf32>) outs(%swiglu_acc : tensor<?x128xbf16>)
    (%a: f32, %b: f32, %unused: bf16) {
      %one = arith.constant 1.0 : f32
      %na = arith.negf %a : f32
      %e = math.exp %na : f32
      %den = arith.addf %one, %e : f32
      %silu = arith.divf %a, %den : f32
      %prod = arith.mulf %silu, %b : f32
      %r = arith.truncf %prod : f32 to bf16
      linalg.yield %r : bf16
    }
  %shared_f32 = linalg.matmul ins(%shared_hidden, %w_shared_down : tensor<?x128xbf16>, tensor<128x256xbf16>) outs(%model_init : tensor<?x256xf32>) -> tensor<?x256xf32>
  %shared = arith.truncf %shared_f32 : tensor<?x256xf32> to tensor<?x256xbf16>
  %ffn = arith.addf %routed, %shared : tensor<?x256xbf16>
  %h3 = arith.addf %h2, %ffn : tensor<?x256xbf16>

  %y = tensor.expand_shape %h3 [[0, 1], [2]] output_shape [1, %T, 256] : tensor<?x256xbf16> into tensor<1x?x256xbf16>
  return %y, %aux, %gdn_state : tensor<1x?x256xbf16>, tensor<f32>, tensor<1x4x64x64xf32>
}
