// RUN: loom-opt %s -split-input-file -verify-diagnostics

// One case per verifier rule of loom.indexer_topk, loom.gathered_matmul and loom.grouped_matmul_combine.

func.func @itk_k(%a0: tensor<2x8x4x32xbf16>, %a1: tensor<2x16x32xbf16>, %a2: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'k' must be at least 1, got 0}}
  %r0, %r1 = loom.indexer_topk %a0, %a1, %a2 {k = 0} : (tensor<2x8x4x32xbf16>, tensor<2x16x32xbf16>, tensor<2x8x4xf32>) -> (tensor<2x8x0xf32>, tensor<2x8x0xi32>)
  return
}

// -----

func.func @itk_qi_element_type(%a0: tensor<2x8x4x32xi8>, %a1: tensor<2x16x32xbf16>, %a2: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'qi' must have f32, f16 or bf16 elements, got 'i8'}}
  %r0, %r1 = loom.indexer_topk %a0, %a1, %a2 {k = 4} : (tensor<2x8x4x32xi8>, tensor<2x16x32xbf16>, tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>, tensor<2x8x4xi32>)
  return
}

// -----

func.func @itk_ki_shape(%a0: tensor<2x8x4x32xbf16>, %a1: tensor<2x16x16xbf16>, %a2: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'ki' expected shape [B, S, Di] = [2, ?, 32], got 'tensor<2x16x16xbf16>'}}
  %r0, %r1 = loom.indexer_topk %a0, %a1, %a2 {k = 4} : (tensor<2x8x4x32xbf16>, tensor<2x16x16xbf16>, tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>, tensor<2x8x4xi32>)
  return
}

// -----

func.func @itk_w_shape(%a0: tensor<2x8x4x32xbf16>, %a1: tensor<2x16x32xbf16>, %a2: tensor<2x8x2xf32>) {
  // expected-error @+1 {{'w' expected shape [B, T, Hi] = [2, 8, 4], got 'tensor<2x8x2xf32>'}}
  %r0, %r1 = loom.indexer_topk %a0, %a1, %a2 {k = 4} : (tensor<2x8x4x32xbf16>, tensor<2x16x32xbf16>, tensor<2x8x2xf32>) -> (tensor<2x8x4xf32>, tensor<2x8x4xi32>)
  return
}

// -----

func.func @itk_values_shape(%a0: tensor<2x8x4x32xbf16>, %a1: tensor<2x16x32xbf16>, %a2: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'values' expected shape [B, T, k] = [2, 8, 4], got 'tensor<2x8x5xf32>'}}
  %r0, %r1 = loom.indexer_topk %a0, %a1, %a2 {k = 4} : (tensor<2x8x4x32xbf16>, tensor<2x16x32xbf16>, tensor<2x8x4xf32>) -> (tensor<2x8x5xf32>, tensor<2x8x4xi32>)
  return
}

// -----

func.func @itk_indices_element_type(%a0: tensor<2x8x4x32xbf16>, %a1: tensor<2x16x32xbf16>, %a2: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'indices' must have i32 elements, got 'i64'}}
  %r0, %r1 = loom.indexer_topk %a0, %a1, %a2 {k = 4} : (tensor<2x8x4x32xbf16>, tensor<2x16x32xbf16>, tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>, tensor<2x8x4xi64>)
  return
}

// -----

func.func @itk_causal(%a0: tensor<2x8x4x32xbf16>, %a1: tensor<2x4x32xbf16>, %a2: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'causal' aligns the T queries with the last T of the S keys, so T <= S; got T = 8, S = 4}}
  %r0, %r1 = loom.indexer_topk %a0, %a1, %a2 {k = 4, causal} : (tensor<2x8x4x32xbf16>, tensor<2x4x32xbf16>, tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>, tensor<2x8x4xi32>)
  return
}

// -----

func.func @gm_top_k(%a0: tensor<5x32xf32>, %a1: tensor<4x32x16xf32>, %a2: tensor<5xi32>, %a3: tensor<10xi32>) {
  // expected-error @+1 {{'top_k' must be at least 1, got 0}}
  %r0 = loom.gathered_matmul %a0, %a1, %a2, %a3 {top_k = 0} : (tensor<5x32xf32>, tensor<4x32x16xf32>, tensor<5xi32>, tensor<10xi32>) -> tensor<10x16xf32>
  return
}

// -----

func.func @gm_x_element_type(%a0: tensor<5x32xi32>, %a1: tensor<4x32x16xi32>, %a2: tensor<5xi32>, %a3: tensor<10xi32>) {
  // expected-error @+1 {{'x' must have f32, f16 or bf16 elements, got 'i32'}}
  %r0 = loom.gathered_matmul %a0, %a1, %a2, %a3 {top_k = 2} : (tensor<5x32xi32>, tensor<4x32x16xi32>, tensor<5xi32>, tensor<10xi32>) -> tensor<10x16xi32>
  return
}

// -----

func.func @gm_perm_shape(%a0: tensor<5x32xf32>, %a1: tensor<4x32x16xf32>, %a2: tensor<5xi32>, %a3: tensor<5xi32>) {
  // expected-error @+1 {{'permutation' expected shape [N*top_k] = [10], got 'tensor<5xi32>'}}
  %r0 = loom.gathered_matmul %a0, %a1, %a2, %a3 {top_k = 2} : (tensor<5x32xf32>, tensor<4x32x16xf32>, tensor<5xi32>, tensor<5xi32>) -> tensor<10x16xf32>
  return
}

// -----

func.func @gm_w_shape(%a0: tensor<5x32xf32>, %a1: tensor<4x16x16xf32>, %a2: tensor<5xi32>, %a3: tensor<10xi32>) {
  // expected-error @+1 {{'w' expected shape [E, Din, Dout] = [?, 32, ?], got 'tensor<4x16x16xf32>'}}
  %r0 = loom.gathered_matmul %a0, %a1, %a2, %a3 {top_k = 2} : (tensor<5x32xf32>, tensor<4x16x16xf32>, tensor<5xi32>, tensor<10xi32>) -> tensor<10x16xf32>
  return
}

// -----

func.func @gm_offsets_shape(%a0: tensor<5x32xf32>, %a1: tensor<4x32x16xf32>, %a2: tensor<4xi32>, %a3: tensor<10xi32>) {
  // expected-error @+1 {{'offsets' expected shape [E+1] = [5], got 'tensor<4xi32>'}}
  %r0 = loom.gathered_matmul %a0, %a1, %a2, %a3 {top_k = 2} : (tensor<5x32xf32>, tensor<4x32x16xf32>, tensor<4xi32>, tensor<10xi32>) -> tensor<10x16xf32>
  return
}

// -----

func.func @gm_activation(%a0: tensor<5x32xf32>, %a1: tensor<4x32x16xf32>, %a2: tensor<5xi32>, %a3: tensor<10xi32>) {
  // expected-error @+1 {{'activation' must be "none" or "swiglu", got "relu"}}
  %r0 = loom.gathered_matmul %a0, %a1, %a2, %a3 {top_k = 2, activation = "relu"} : (tensor<5x32xf32>, tensor<4x32x16xf32>, tensor<5xi32>, tensor<10xi32>) -> tensor<10x16xf32>
  return
}

// -----

func.func @gm_output_shape(%a0: tensor<5x32xf32>, %a1: tensor<4x32x16xf32>, %a2: tensor<5xi32>, %a3: tensor<10xi32>) {
  // expected-error @+1 {{'output' expected shape [N*top_k, Dout] = [10, 16], got 'tensor<5x16xf32>'}}
  %r0 = loom.gathered_matmul %a0, %a1, %a2, %a3 {top_k = 2} : (tensor<5x32xf32>, tensor<4x32x16xf32>, tensor<5xi32>, tensor<10xi32>) -> tensor<5x16xf32>
  return
}

// -----

func.func @gmc_weights_element_type(%a0: tensor<10x8xf16>, %a1: tensor<4x8x32xf16>, %a2: tensor<5xi32>, %a3: tensor<10xi32>, %a4: tensor<5x2xf16>) {
  // expected-error @+1 {{'weights' must have f32 elements, got 'f16'}}
  %r0 = loom.grouped_matmul_combine %a0, %a1, %a2, %a3, %a4 : (tensor<10x8xf16>, tensor<4x8x32xf16>, tensor<5xi32>, tensor<10xi32>, tensor<5x2xf16>) -> tensor<5x32xf16>
  return
}

// -----

func.func @gmc_h_rows(%a0: tensor<9x8xf16>, %a1: tensor<4x8x32xf16>, %a2: tensor<5xi32>, %a3: tensor<10xi32>, %a4: tensor<5x2xf32>) {
  // expected-error @+1 {{'h' expected shape [N*k, Din] = [10, ?], got 'tensor<9x8xf16>'}}
  %r0 = loom.grouped_matmul_combine %a0, %a1, %a2, %a3, %a4 : (tensor<9x8xf16>, tensor<4x8x32xf16>, tensor<5xi32>, tensor<10xi32>, tensor<5x2xf32>) -> tensor<5x32xf16>
  return
}

// -----

func.func @gmc_h_element_type(%a0: tensor<10x8xi32>, %a1: tensor<4x8x32xi32>, %a2: tensor<5xi32>, %a3: tensor<10xi32>, %a4: tensor<5x2xf32>) {
  // expected-error @+1 {{'h' must have f32, f16 or bf16 elements, got 'i32'}}
  %r0 = loom.grouped_matmul_combine %a0, %a1, %a2, %a3, %a4 : (tensor<10x8xi32>, tensor<4x8x32xi32>, tensor<5xi32>, tensor<10xi32>, tensor<5x2xf32>) -> tensor<5x32xi32>
  return
}

// -----

func.func @gmc_perm_shape(%a0: tensor<10x8xf16>, %a1: tensor<4x8x32xf16>, %a2: tensor<5xi32>, %a3: tensor<5xi32>, %a4: tensor<5x2xf32>) {
  // expected-error @+1 {{'permutation' expected shape [N*k] = [10], got 'tensor<5xi32>'}}
  %r0 = loom.grouped_matmul_combine %a0, %a1, %a2, %a3, %a4 : (tensor<10x8xf16>, tensor<4x8x32xf16>, tensor<5xi32>, tensor<5xi32>, tensor<5x2xf32>) -> tensor<5x32xf16>
  return
}

// -----

func.func @gmc_w_element_type(%a0: tensor<10x8xf16>, %a1: tensor<4x8x32xbf16>, %a2: tensor<5xi32>, %a3: tensor<10xi32>, %a4: tensor<5x2xf32>) {
  // expected-error @+1 {{'w' must have the element type of 'h' ('f16'), got 'bf16'}}
  %r0 = loom.grouped_matmul_combine %a0, %a1, %a2, %a3, %a4 : (tensor<10x8xf16>, tensor<4x8x32xbf16>, tensor<5xi32>, tensor<10xi32>, tensor<5x2xf32>) -> tensor<5x32xf16>
  return
}

// -----

func.func @gmc_offsets_shape(%a0: tensor<10x8xf16>, %a1: tensor<4x8x32xf16>, %a2: tensor<6xi32>, %a3: tensor<10xi32>, %a4: tensor<5x2xf32>) {
  // expected-error @+1 {{'offsets' expected shape [E+1] = [5], got 'tensor<6xi32>'}}
  %r0 = loom.grouped_matmul_combine %a0, %a1, %a2, %a3, %a4 : (tensor<10x8xf16>, tensor<4x8x32xf16>, tensor<6xi32>, tensor<10xi32>, tensor<5x2xf32>) -> tensor<5x32xf16>
  return
}

// -----

func.func @gmc_output_shape(%a0: tensor<10x8xf16>, %a1: tensor<4x8x32xf16>, %a2: tensor<5xi32>, %a3: tensor<10xi32>, %a4: tensor<5x2xf32>) {
  // expected-error @+1 {{'output' expected shape [N, Dout] = [5, 32], got 'tensor<10x32xf16>'}}
  %r0 = loom.grouped_matmul_combine %a0, %a1, %a2, %a3, %a4 : (tensor<10x8xf16>, tensor<4x8x32xf16>, tensor<5xi32>, tensor<10xi32>, tensor<5x2xf32>) -> tensor<10x32xf16>
  return
}
