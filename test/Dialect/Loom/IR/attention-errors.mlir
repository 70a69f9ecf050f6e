// RUN: loom-opt %s -split-input-file -verify-diagnostics

// One case per verifier rule of loom.lightning_indexer, loom.topk, loom.sparse_attention and loom.attention.

func.func @indexer_qi_element_type(%a0: tensor<2x8x4x32xi8>, %a1: tensor<2x16x32xbf16>, %a2: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'qi' must have f32, f16 or bf16 elements, got 'i8'}}
  %r0 = loom.lightning_indexer %a0, %a1, %a2 : (tensor<2x8x4x32xi8>, tensor<2x16x32xbf16>, tensor<2x8x4xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

func.func @indexer_ki_element_type(%a0: tensor<2x8x4x32xbf16>, %a1: tensor<2x16x32xf32>, %a2: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'ki' must have the element type of 'qi' ('bf16'), got 'f32'}}
  %r0 = loom.lightning_indexer %a0, %a1, %a2 : (tensor<2x8x4x32xbf16>, tensor<2x16x32xf32>, tensor<2x8x4xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

func.func @indexer_qi_shape(%a0: tensor<2x8x32xbf16>, %a1: tensor<2x16x32xbf16>, %a2: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'qi' expected shape [B, T, Hi, Di], got 'tensor<2x8x32xbf16>'}}
  %r0 = loom.lightning_indexer %a0, %a1, %a2 : (tensor<2x8x32xbf16>, tensor<2x16x32xbf16>, tensor<2x8x4xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

func.func @indexer_qi_dynamic_heads(%a0: tensor<2x8x?x32xbf16>, %a1: tensor<2x16x32xbf16>, %a2: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'qi' must have a static Hi dimension}}
  %r0 = loom.lightning_indexer %a0, %a1, %a2 : (tensor<2x8x?x32xbf16>, tensor<2x16x32xbf16>, tensor<2x8x4xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

func.func @indexer_ki_shape(%a0: tensor<2x8x4x32xbf16>, %a1: tensor<2x16x64xbf16>, %a2: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'ki' expected shape [B, S, Di] = [2, ?, 32], got 'tensor<2x16x64xbf16>'}}
  %r0 = loom.lightning_indexer %a0, %a1, %a2 : (tensor<2x8x4x32xbf16>, tensor<2x16x64xbf16>, tensor<2x8x4xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

func.func @indexer_w_element_type(%a0: tensor<2x8x4x32xbf16>, %a1: tensor<2x16x32xbf16>, %a2: tensor<2x8x4xbf16>) {
  // expected-error @+1 {{'w' must have f32 elements, got 'bf16'}}
  %r0 = loom.lightning_indexer %a0, %a1, %a2 : (tensor<2x8x4x32xbf16>, tensor<2x16x32xbf16>, tensor<2x8x4xbf16>) -> tensor<2x8x16xf32>
  return
}

// -----

func.func @indexer_w_shape(%a0: tensor<2x8x4x32xbf16>, %a1: tensor<2x16x32xbf16>, %a2: tensor<2x8x2xf32>) {
  // expected-error @+1 {{'w' expected shape [B, T, Hi] = [2, 8, 4], got 'tensor<2x8x2xf32>'}}
  %r0 = loom.lightning_indexer %a0, %a1, %a2 : (tensor<2x8x4x32xbf16>, tensor<2x16x32xbf16>, tensor<2x8x2xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

func.func @indexer_scores_element_type(%a0: tensor<2x8x4x32xbf16>, %a1: tensor<2x16x32xbf16>, %a2: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'scores' must have f32 elements, got 'bf16'}}
  %r0 = loom.lightning_indexer %a0, %a1, %a2 : (tensor<2x8x4x32xbf16>, tensor<2x16x32xbf16>, tensor<2x8x4xf32>) -> tensor<2x8x16xbf16>
  return
}

// -----

func.func @indexer_scores_shape(%a0: tensor<2x8x4x32xbf16>, %a1: tensor<2x16x32xbf16>, %a2: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'scores' expected shape [B, T, S] = [2, 8, 16], got 'tensor<2x16x8xf32>'}}
  %r0 = loom.lightning_indexer %a0, %a1, %a2 : (tensor<2x8x4x32xbf16>, tensor<2x16x32xbf16>, tensor<2x8x4xf32>) -> tensor<2x16x8xf32>
  return
}

// -----

func.func @indexer_causal_length(%a0: tensor<2x8x4x32xbf16>, %a1: tensor<2x4x32xbf16>, %a2: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'causal' aligns the T queries with the last T of the S keys, so T <= S; got T = 8, S = 4}}
  %r0 = loom.lightning_indexer %a0, %a1, %a2 {causal} : (tensor<2x8x4x32xbf16>, tensor<2x4x32xbf16>, tensor<2x8x4xf32>) -> tensor<2x8x4xf32>
  return
}

// -----

func.func @topk_k_positive(%a0: tensor<4x16xf32>) {
  // expected-error @+1 {{'k' must be at least 1, got 0}}
  %r0, %r1 = loom.topk %a0 {k = 0} : (tensor<4x16xf32>) -> (tensor<4x0xf32>, tensor<4x0xi32>)
  return
}

// -----

func.func @topk_scores_element_type(%a0: tensor<4x16xbf16>) {
  // expected-error @+1 {{'scores' must have f32 elements, got 'bf16'}}
  %r0, %r1 = loom.topk %a0 {k = 2} : (tensor<4x16xbf16>) -> (tensor<4x2xf32>, tensor<4x2xi32>)
  return
}

// -----

func.func @topk_scores_rank(%a0: tensor<f32>) {
  // expected-error @+1 {{'scores' must have rank >= 1 ([..., S]), got 'tensor<f32>'}}
  %r0, %r1 = loom.topk %a0 {k = 2} : (tensor<f32>) -> (tensor<2xf32>, tensor<2xi32>)
  return
}

// -----

func.func @topk_values_element_type(%a0: tensor<4x16xf32>) {
  // expected-error @+1 {{'values' must have f32 elements, got 'f16'}}
  %r0, %r1 = loom.topk %a0 {k = 2} : (tensor<4x16xf32>) -> (tensor<4x2xf16>, tensor<4x2xi32>)
  return
}

// -----

func.func @topk_values_shape(%a0: tensor<4x16xf32>) {
  // expected-error @+1 {{'values' expected shape [4, k] = [4, 2], got 'tensor<4x16xf32>'}}
  %r0, %r1 = loom.topk %a0 {k = 2} : (tensor<4x16xf32>) -> (tensor<4x16xf32>, tensor<4x2xi32>)
  return
}

// -----

func.func @topk_values_leading(%a0: tensor<?x3x16xf32>) {
  // expected-error @+1 {{'values' expected shape [?, 3, k] = [?, 3, 8], got 'tensor<5x4x8xf32>'}}
  %r0, %r1 = loom.topk %a0 {k = 8} : (tensor<?x3x16xf32>) -> (tensor<5x4x8xf32>, tensor<5x3x8xi32>)
  return
}

// -----

func.func @topk_indices_element_type(%a0: tensor<4x16xf32>) {
  // expected-error @+1 {{'indices' must have i32 elements, got 'i64'}}
  %r0, %r1 = loom.topk %a0 {k = 2} : (tensor<4x16xf32>) -> (tensor<4x2xf32>, tensor<4x2xi64>)
  return
}

// -----

func.func @topk_indices_shape(%a0: tensor<4x16xf32>) {
  // expected-error @+1 {{'indices' expected shape [4, k] = [4, 2], got 'tensor<4x3xi32>'}}
  %r0, %r1 = loom.topk %a0 {k = 2} : (tensor<4x16xf32>) -> (tensor<4x2xf32>, tensor<4x3xi32>)
  return
}

// -----

func.func @sparse_q_element_type(%a0: tensor<1x8x4x16xi32>, %a1: tensor<1x32x2x16xbf16>, %a2: tensor<1x32x2x8xbf16>, %a3: tensor<1x8x6xi32>) {
  // expected-error @+1 {{'q' must have f32, f16 or bf16 elements, got 'i32'}}
  %r0 = loom.sparse_attention %a0, %a1, %a2, %a3 : (tensor<1x8x4x16xi32>, tensor<1x32x2x16xbf16>, tensor<1x32x2x8xbf16>, tensor<1x8x6xi32>) -> tensor<1x8x4x8xbf16>
  return
}

// -----

func.func @sparse_k_element_type(%a0: tensor<1x8x4x16xbf16>, %a1: tensor<1x32x2x16xf16>, %a2: tensor<1x32x2x8xbf16>, %a3: tensor<1x8x6xi32>) {
  // expected-error @+1 {{'k' must have the element type of 'q' ('bf16'), got 'f16'}}
  %r0 = loom.sparse_attention %a0, %a1, %a2, %a3 : (tensor<1x8x4x16xbf16>, tensor<1x32x2x16xf16>, tensor<1x32x2x8xbf16>, tensor<1x8x6xi32>) -> tensor<1x8x4x8xbf16>
  return
}

// -----

func.func @sparse_v_element_type(%a0: tensor<1x8x4x16xbf16>, %a1: tensor<1x32x2x16xbf16>, %a2: tensor<1x32x2x8xf32>, %a3: tensor<1x8x6xi32>) {
  // expected-error @+1 {{'v' must have the element type of 'q' ('bf16'), got 'f32'}}
  %r0 = loom.sparse_attention %a0, %a1, %a2, %a3 : (tensor<1x8x4x16xbf16>, tensor<1x32x2x16xbf16>, tensor<1x32x2x8xf32>, tensor<1x8x6xi32>) -> tensor<1x8x4x8xbf16>
  return
}

// -----

func.func @sparse_q_shape(%a0: tensor<8x4x16xbf16>, %a1: tensor<1x32x2x16xbf16>, %a2: tensor<1x32x2x8xbf16>, %a3: tensor<1x8x6xi32>) {
  // expected-error @+1 {{'q' expected shape [B, T, H, D], got 'tensor<8x4x16xbf16>'}}
  %r0 = loom.sparse_attention %a0, %a1, %a2, %a3 : (tensor<8x4x16xbf16>, tensor<1x32x2x16xbf16>, tensor<1x32x2x8xbf16>, tensor<1x8x6xi32>) -> tensor<1x8x4x8xbf16>
  return
}

// -----

func.func @sparse_q_dynamic_width(%a0: tensor<1x8x4x?xbf16>, %a1: tensor<1x32x2x16xbf16>, %a2: tensor<1x32x2x8xbf16>, %a3: tensor<1x8x6xi32>) {
  // expected-error @+1 {{'q' must have a static D dimension}}
  %r0 = loom.sparse_attention %a0, %a1, %a2, %a3 : (tensor<1x8x4x?xbf16>, tensor<1x32x2x16xbf16>, tensor<1x32x2x8xbf16>, tensor<1x8x6xi32>) -> tensor<1x8x4x8xbf16>
  return
}

// -----

func.func @sparse_k_shape(%a0: tensor<1x8x4x16xbf16>, %a1: tensor<1x32x2x8xbf16>, %a2: tensor<1x32x2x8xbf16>, %a3: tensor<1x8x6xi32>) {
  // expected-error @+1 {{'k' expected shape [B, S, Hkv, D] = [1, ?, ?, 16], got 'tensor<1x32x2x8xbf16>'}}
  %r0 = loom.sparse_attention %a0, %a1, %a2, %a3 : (tensor<1x8x4x16xbf16>, tensor<1x32x2x8xbf16>, tensor<1x32x2x8xbf16>, tensor<1x8x6xi32>) -> tensor<1x8x4x8xbf16>
  return
}

// -----

func.func @sparse_v_shape(%a0: tensor<1x8x4x16xbf16>, %a1: tensor<1x32x2x16xbf16>, %a2: tensor<1x16x2x8xbf16>, %a3: tensor<1x8x6xi32>) {
  // expected-error @+1 {{'v' expected shape [B, S, Hkv, Dv] = [1, 32, 2, ?], got 'tensor<1x16x2x8xbf16>'}}
  %r0 = loom.sparse_attention %a0, %a1, %a2, %a3 : (tensor<1x8x4x16xbf16>, tensor<1x32x2x16xbf16>, tensor<1x16x2x8xbf16>, tensor<1x8x6xi32>) -> tensor<1x8x4x8xbf16>
  return
}

// -----

func.func @sparse_grouped_heads(%a0: tensor<1x8x4x16xbf16>, %a1: tensor<1x32x3x16xbf16>, %a2: tensor<1x32x3x8xbf16>, %a3: tensor<1x8x6xi32>) {
  // expected-error @+1 {{H = 4 must be a multiple of Hkv = 3}}
  %r0 = loom.sparse_attention %a0, %a1, %a2, %a3 : (tensor<1x8x4x16xbf16>, tensor<1x32x3x16xbf16>, tensor<1x32x3x8xbf16>, tensor<1x8x6xi32>) -> tensor<1x8x4x8xbf16>
  return
}

// -----

func.func @sparse_indices_element_type(%a0: tensor<1x8x4x16xbf16>, %a1: tensor<1x32x2x16xbf16>, %a2: tensor<1x32x2x8xbf16>, %a3: tensor<1x8x6xi64>) {
  // expected-error @+1 {{'indices' must have i32 elements, got 'i64'}}
  %r0 = loom.sparse_attention %a0, %a1, %a2, %a3 : (tensor<1x8x4x16xbf16>, tensor<1x32x2x16xbf16>, tensor<1x32x2x8xbf16>, tensor<1x8x6xi64>) -> tensor<1x8x4x8xbf16>
  return
}

// -----

func.func @sparse_indices_shape(%a0: tensor<1x8x4x16xbf16>, %a1: tensor<1x32x2x16xbf16>, %a2: tensor<1x32x2x8xbf16>, %a3: tensor<1x6xi32>) {
  // expected-error @+1 {{'indices' expected shape [B, T, Kt] = [1, 8, ?], got 'tensor<1x6xi32>'}}
  %r0 = loom.sparse_attention %a0, %a1, %a2, %a3 : (tensor<1x8x4x16xbf16>, tensor<1x32x2x16xbf16>, tensor<1x32x2x8xbf16>, tensor<1x6xi32>) -> tensor<1x8x4x8xbf16>
  return
}

// -----

func.func @sparse_output_element_type(%a0: tensor<1x8x4x16xbf16>, %a1: tensor<1x32x2x16xbf16>, %a2: tensor<1x32x2x8xbf16>, %a3: tensor<1x8x6xi32>) {
  // expected-error @+1 {{'output' must have the element type of 'q' ('bf16'), got 'f32'}}
  %r0 = loom.sparse_attention %a0, %a1, %a2, %a3 : (tensor<1x8x4x16xbf16>, tensor<1x32x2x16xbf16>, tensor<1x32x2x8xbf16>, tensor<1x8x6xi32>) -> tensor<1x8x4x8xf32>
  return
}

// -----

func.func @sparse_output_shape(%a0: tensor<1x8x4x16xbf16>, %a1: tensor<1x32x2x16xbf16>, %a2: tensor<1x32x2x8xbf16>, %a3: tensor<1x8x6xi32>) {
  // expected-error @+1 {{'output' expected shape [B, T, H, Dv] = [1, 8, 4, 8], got 'tensor<1x8x4x16xbf16>'}}
  %r0 = loom.sparse_attention %a0, %a1, %a2, %a3 : (tensor<1x8x4x16xbf16>, tensor<1x32x2x16xbf16>, tensor<1x32x2x8xbf16>, tensor<1x8x6xi32>) -> tensor<1x8x4x16xbf16>
  return
}

// -----

func.func @sparse_scale_type(%a0: tensor<1x8x4x16xbf16>, %a1: tensor<1x32x2x16xbf16>, %a2: tensor<1x32x2x8xbf16>, %a3: tensor<1x8x6xi32>) {
  // expected-error @+1 {{attribute 'scale' failed to satisfy constraint: 32-bit float attribute}}
  %r0 = loom.sparse_attention %a0, %a1, %a2, %a3 {scale = 1 : i64} : (tensor<1x8x4x16xbf16>, tensor<1x32x2x16xbf16>, tensor<1x32x2x8xbf16>, tensor<1x8x6xi32>) -> tensor<1x8x4x8xbf16>
  return
}

// -----

func.func @attention_q_element_type(%a0: tensor<2x8x4x16xf64>, %a1: tensor<2x12x2x16xf16>, %a2: tensor<2x12x2x8xf16>) {
  // expected-error @+1 {{'q' must have f32, f16 or bf16 elements, got 'f64'}}
  %r0 = loom.attention %a0, %a1, %a2 : (tensor<2x8x4x16xf64>, tensor<2x12x2x16xf16>, tensor<2x12x2x8xf16>) -> tensor<2x8x4x8xf64>
  return
}

// -----

func.func @attention_k_element_type(%a0: tensor<2x8x4x16xf16>, %a1: tensor<2x12x2x16xbf16>, %a2: tensor<2x12x2x8xf16>) {
  // expected-error @+1 {{'k' must have the element type of 'q' ('f16'), got 'bf16'}}
  %r0 = loom.attention %a0, %a1, %a2 : (tensor<2x8x4x16xf16>, tensor<2x12x2x16xbf16>, tensor<2x12x2x8xf16>) -> tensor<2x8x4x8xf16>
  return
}

// -----

func.func @attention_v_element_type(%a0: tensor<2x8x4x16xf16>, %a1: tensor<2x12x2x16xf16>, %a2: tensor<2x12x2x8xbf16>) {
  // expected-error @+1 {{'v' must have the element type of 'q' ('f16'), got 'bf16'}}
  %r0 = loom.attention %a0, %a1, %a2 : (tensor<2x8x4x16xf16>, tensor<2x12x2x16xf16>, tensor<2x12x2x8xbf16>) -> tensor<2x8x4x8xf16>
  return
}

// -----

func.func @attention_q_shape(%a0: tensor<2x8x4x16x1xf16>, %a1: tensor<2x12x2x16xf16>, %a2: tensor<2x12x2x8xf16>) {
  // expected-error @+1 {{'q' expected shape [B, T, H, D], got 'tensor<2x8x4x16x1xf16>'}}
  %r0 = loom.attention %a0, %a1, %a2 : (tensor<2x8x4x16x1xf16>, tensor<2x12x2x16xf16>, tensor<2x12x2x8xf16>) -> tensor<2x8x4x8xf16>
  return
}

// -----

func.func @attention_k_shape(%a0: tensor<2x8x4x16xf16>, %a1: tensor<3x12x2x16xf16>, %a2: tensor<2x12x2x8xf16>) {
  // expected-error @+1 {{'k' expected shape [B, S, Hkv, D] = [2, ?, ?, 16], got 'tensor<3x12x2x16xf16>'}}
  %r0 = loom.attention %a0, %a1, %a2 : (tensor<2x8x4x16xf16>, tensor<3x12x2x16xf16>, tensor<2x12x2x8xf16>) -> tensor<2x8x4x8xf16>
  return
}

// -----

func.func @attention_k_dynamic_heads(%a0: tensor<2x8x4x16xf16>, %a1: tensor<2x12x?x16xf16>, %a2: tensor<2x12x2x8xf16>) {
  // expected-error @+1 {{'k' must have a static Hkv dimension}}
  %r0 = loom.attention %a0, %a1, %a2 : (tensor<2x8x4x16xf16>, tensor<2x12x?x16xf16>, tensor<2x12x2x8xf16>) -> tensor<2x8x4x8xf16>
  return
}

// -----

func.func @attention_v_shape(%a0: tensor<2x8x4x16xf16>, %a1: tensor<2x12x2x16xf16>, %a2: tensor<2x12x1x8xf16>) {
  // expected-error @+1 {{'v' expected shape [B, S, Hkv, Dv] = [2, 12, 2, ?], got 'tensor<2x12x1x8xf16>'}}
  %r0 = loom.attention %a0, %a1, %a2 : (tensor<2x8x4x16xf16>, tensor<2x12x2x16xf16>, tensor<2x12x1x8xf16>) -> tensor<2x8x4x8xf16>
  return
}

// -----

func.func @attention_grouped_heads(%a0: tensor<2x8x4x16xf16>, %a1: tensor<2x12x3x16xf16>, %a2: tensor<2x12x3x8xf16>) {
  // expected-error @+1 {{H = 4 must be a multiple of Hkv = 3}}
  %r0 = loom.attention %a0, %a1, %a2 : (tensor<2x8x4x16xf16>, tensor<2x12x3x16xf16>, tensor<2x12x3x8xf16>) -> tensor<2x8x4x8xf16>
  return
}

// -----

func.func @attention_output_element_type(%a0: tensor<2x8x4x16xf16>, %a1: tensor<2x12x2x16xf16>, %a2: tensor<2x12x2x8xf16>) {
  // expected-error @+1 {{'output' must have the element type of 'q' ('f16'), got 'f32'}}
  %r0 = loom.attention %a0, %a1, %a2 : (tensor<2x8x4x16xf16>, tensor<2x12x2x16xf16>, tensor<2x12x2x8xf16>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @attention_output_shape(%a0: tensor<2x8x4x16xf16>, %a1: tensor<2x12x2x16xf16>, %a2: tensor<2x12x2x8xf16>) {
  // expected-error @+1 {{'output' expected shape [B, T, H, Dv] = [2, 8, 4, 8], got 'tensor<2x8x2x8xf16>'}}
  %r0 = loom.attention %a0, %a1, %a2 : (tensor<2x8x4x16xf16>, tensor<2x12x2x16xf16>, tensor<2x12x2x8xf16>) -> tensor<2x8x2x8xf16>
  return
}

// -----

func.func @attention_causal_length(%a0: tensor<2x8x4x16xf16>, %a1: tensor<2x4x2x16xf16>, %a2: tensor<2x4x2x8xf16>) {
  // expected-error @+1 {{'causal' aligns the T queries with the last T of the S keys, so T <= S; got T = 8, S = 4}}
  %r0 = loom.attention %a0, %a1, %a2 {causal} : (tensor<2x8x4x16xf16>, tensor<2x4x2x16xf16>, tensor<2x4x2x8xf16>) -> tensor<2x8x4x8xf16>
  return
}
