// RUN: loom-opt %s -split-input-file -verify-diagnostics

// One case per verifier rule of the mixture-of-experts ops.

func.func @router_logits_element_type(%a0: tensor<10x8xi32>) {
  // expected-error @+1 {{'logits' must have f64, f32, f16 or bf16 elements, got 'i32'}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 2} : (tensor<10x8xi32>) -> (tensor<10x2xf32>, tensor<10x2xi32>)
  return
}

// -----

func.func @router_logits_shape(%a0: tensor<8xf32>) {
  // expected-error @+1 {{'logits' expected shape [N, E], got 'tensor<8xf32>'}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 2} : (tensor<8xf32>) -> (tensor<10x2xf32>, tensor<10x2xi32>)
  return
}

// -----

func.func @router_dynamic_experts(%a0: tensor<10x?xf32>) {
  // expected-error @+1 {{'logits' must have a static E dimension}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 2} : (tensor<10x?xf32>) -> (tensor<10x2xf32>, tensor<10x2xi32>)
  return
}

// -----

func.func @router_bias_element_type(%a0: tensor<10x8xf32>, %a1: tensor<8xbf16>) {
  // expected-error @+1 {{'bias' must have f32 elements, got 'bf16'}}
  %r0, %r1 = loom.moe_router %a0 bias %a1 {top_k = 2} : (tensor<10x8xf32>, tensor<8xbf16>) -> (tensor<10x2xf32>, tensor<10x2xi32>)
  return
}

// -----

func.func @router_bias_shape(%a0: tensor<10x8xf32>, %a1: tensor<16xf32>) {
  // expected-error @+1 {{'bias' expected shape [E] = [8], got 'tensor<16xf32>'}}
  %r0, %r1 = loom.moe_router %a0 bias %a1 {top_k = 2} : (tensor<10x8xf32>, tensor<16xf32>) -> (tensor<10x2xf32>, tensor<10x2xi32>)
  return
}

// -----

func.func @router_score_kind(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{'score' must be "softmax" or "sigmoid", got "relu"}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 2, score = "relu"} : (tensor<10x8xf32>) -> (tensor<10x2xf32>, tensor<10x2xi32>)
  return
}

// -----

func.func @router_top_k_low(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{'top_k' must be in [1, E] = [1, 8], got 0}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 0} : (tensor<10x8xf32>) -> (tensor<10x0xf32>, tensor<10x0xi32>)
  return
}

// -----

func.func @router_top_k_high(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{'top_k' must be in [1, E] = [1, 8], got 9}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 9} : (tensor<10x8xf32>) -> (tensor<10x9xf32>, tensor<10x9xi32>)
  return
}

// -----

func.func @router_n_group_divides(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{'n_group' must be a positive divisor of E = 8, got 3}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 2, n_group = 3} : (tensor<10x8xf32>) -> (tensor<10x2xf32>, tensor<10x2xi32>)
  return
}

// -----

func.func @router_n_group_positive(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{'n_group' must be a positive divisor of E = 8, got 0}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 2, n_group = 0} : (tensor<10x8xf32>) -> (tensor<10x2xf32>, tensor<10x2xi32>)
  return
}

// -----

func.func @router_topk_group_low(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{'topk_group' must be in [1, n_group] = [1, 4], got 0}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 2, n_group = 4, topk_group = 0} : (tensor<10x8xf32>) -> (tensor<10x2xf32>, tensor<10x2xi32>)
  return
}

// -----

func.func @router_topk_group_high(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{'topk_group' must be in [1, n_group] = [1, 4], got 5}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 2, n_group = 4, topk_group = 5} : (tensor<10x8xf32>) -> (tensor<10x2xf32>, tensor<10x2xi32>)
  return
}

// -----

func.func @router_top_k_reachable(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{'top_k' = 5 exceeds the experts of the kept groups, topk_group * E / n_group = 4}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 5, n_group = 4, topk_group = 2} : (tensor<10x8xf32>) -> (tensor<10x5xf32>, tensor<10x5xi32>)
  return
}

// -----

func.func @router_top_k_type(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{attribute 'top_k' failed to satisfy constraint: 64-bit signless integer attribute}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 2.0 : f32} : (tensor<10x8xf32>) -> (tensor<10x2xf32>, tensor<10x2xi32>)
  return
}

// -----

func.func @router_missing_top_k(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{requires attribute 'top_k'}}
  %r0, %r1 = loom.moe_router %a0 : (tensor<10x8xf32>) -> (tensor<10x2xf32>, tensor<10x2xi32>)
  return
}

// -----

func.func @router_weights_element_type(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{'weights' must have f32 elements, got 'bf16'}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 2} : (tensor<10x8xf32>) -> (tensor<10x2xbf16>, tensor<10x2xi32>)
  return
}

// -----

func.func @router_weights_shape(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{'weights' expected shape [N, top_k] = [10, 2], got 'tensor<10x3xf32>'}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 2} : (tensor<10x8xf32>) -> (tensor<10x3xf32>, tensor<10x2xi32>)
  return
}

// -----

func.func @router_indices_element_type(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{'indices' must have i32 elements, got 'i64'}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 2} : (tensor<10x8xf32>) -> (tensor<10x2xf32>, tensor<10x2xi64>)
  return
}

// -----

func.func @router_indices_shape(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{'indices' expected shape [N, top_k] = [10, 2], got 'tensor<9x2xi32>'}}
  %r0, %r1 = loom.moe_router %a0 {top_k = 2} : (tensor<10x8xf32>) -> (tensor<10x2xf32>, tensor<9x2xi32>)
  return
}

// -----

func.func @aux_logits_element_type(%a0: tensor<10x8xi8>, %a1: tensor<10x2xi32>) {
  // expected-error @+1 {{'logits' must have f64, f32, f16 or bf16 elements, got 'i8'}}
  %r0 = loom.moe_aux_loss %a0, %a1 : (tensor<10x8xi8>, tensor<10x2xi32>) -> tensor<f32>
  return
}

// -----

func.func @aux_logits_shape(%a0: tensor<10x8x1xf32>, %a1: tensor<10x2xi32>) {
  // expected-error @+1 {{'logits' expected shape [N, E], got 'tensor<10x8x1xf32>'}}
  %r0 = loom.moe_aux_loss %a0, %a1 : (tensor<10x8x1xf32>, tensor<10x2xi32>) -> tensor<f32>
  return
}

// -----

func.func @aux_indices_element_type(%a0: tensor<10x8xf32>, %a1: tensor<10x2xf32>) {
  // expected-error @+1 {{'indices' must have i32 elements, got 'f32'}}
  %r0 = loom.moe_aux_loss %a0, %a1 : (tensor<10x8xf32>, tensor<10x2xf32>) -> tensor<f32>
  return
}

// -----

func.func @aux_indices_shape(%a0: tensor<10x8xf32>, %a1: tensor<11x2xi32>) {
  // expected-error @+1 {{'indices' expected shape [N, k] = [10, ?], got 'tensor<11x2xi32>'}}
  %r0 = loom.moe_aux_loss %a0, %a1 : (tensor<10x8xf32>, tensor<11x2xi32>) -> tensor<f32>
  return
}

// -----

func.func @aux_loss_element_type(%a0: tensor<10x8xf32>, %a1: tensor<10x2xi32>) {
  // expected-error @+1 {{'loss' must have f32 elements, got 'bf16'}}
  %r0 = loom.moe_aux_loss %a0, %a1 : (tensor<10x8xf32>, tensor<10x2xi32>) -> tensor<bf16>
  return
}

// -----

func.func @aux_loss_shape(%a0: tensor<10x8xf32>, %a1: tensor<10x2xi32>) {
  // expected-error @+1 {{'loss' expected shape [], got 'tensor<1xf32>'}}
  %r0 = loom.moe_aux_loss %a0, %a1 : (tensor<10x8xf32>, tensor<10x2xi32>) -> tensor<1xf32>
  return
}

// -----

func.func @aux_alpha_type(%a0: tensor<10x8xf32>, %a1: tensor<10x2xi32>) {
  // expected-error @+1 {{attribute 'alpha' failed to satisfy constraint: 32-bit float attribute}}
  %r0 = loom.moe_aux_loss %a0, %a1 {alpha = 1} : (tensor<10x8xf32>, tensor<10x2xi32>) -> tensor<f32>
  return
}

// -----

func.func @z_logits_element_type(%a0: tensor<10x8xi32>) {
  // expected-error @+1 {{'logits' must have f64, f32, f16 or bf16 elements, got 'i32'}}
  %r0 = loom.router_z_loss %a0 : (tensor<10x8xi32>) -> tensor<f32>
  return
}

// -----

func.func @z_logits_shape(%a0: tensor<8xf32>) {
  // expected-error @+1 {{'logits' expected shape [N, E], got 'tensor<8xf32>'}}
  %r0 = loom.router_z_loss %a0 : (tensor<8xf32>) -> tensor<f32>
  return
}

// -----

func.func @z_loss_element_type(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{'loss' must have f32 elements, got 'f16'}}
  %r0 = loom.router_z_loss %a0 : (tensor<10x8xf32>) -> tensor<f16>
  return
}

// -----

func.func @z_loss_shape(%a0: tensor<10x8xf32>) {
  // expected-error @+1 {{'loss' expected shape [], got 'tensor<10xf32>'}}
  %r0 = loom.router_z_loss %a0 : (tensor<10x8xf32>) -> tensor<10xf32>
  return
}

// -----

func.func @dispatch_num_experts(%a0: tensor<10x32xbf16>, %a1: tensor<10x2xi32>) {
  // expected-error @+1 {{'num_experts' must be in [1, 1073741824], got 0}}
  %r0, %r1, %r2 = loom.moe_dispatch %a0, %a1 {num_experts = 0} : (tensor<10x32xbf16>, tensor<10x2xi32>) -> (tensor<20x32xbf16>, tensor<20xi32>, tensor<5xi32>)
  return
}

// -----

func.func @dispatch_x_element_type(%a0: tensor<10x32xi32>, %a1: tensor<10x2xi32>) {
  // expected-error @+1 {{'x' must have f32, f16 or bf16 elements, got 'i32'}}
  %r0, %r1, %r2 = loom.moe_dispatch %a0, %a1 {num_experts = 4} : (tensor<10x32xi32>, tensor<10x2xi32>) -> (tensor<20x32xbf16>, tensor<20xi32>, tensor<5xi32>)
  return
}

// -----

func.func @dispatch_x_shape(%a0: tensor<10xbf16>, %a1: tensor<10x2xi32>) {
  // expected-error @+1 {{'x' expected shape [N, Dm], got 'tensor<10xbf16>'}}
  %r0, %r1, %r2 = loom.moe_dispatch %a0, %a1 {num_experts = 4} : (tensor<10xbf16>, tensor<10x2xi32>) -> (tensor<20x32xbf16>, tensor<20xi32>, tensor<5xi32>)
  return
}

// -----

func.func @dispatch_indices_element_type(%a0: tensor<10x32xbf16>, %a1: tensor<10x2xi64>) {
  // expected-error @+1 {{'indices' must have i32 elements, got 'i64'}}
  %r0, %r1, %r2 = loom.moe_dispatch %a0, %a1 {num_experts = 4} : (tensor<10x32xbf16>, tensor<10x2xi64>) -> (tensor<20x32xbf16>, tensor<20xi32>, tensor<5xi32>)
  return
}

// -----

func.func @dispatch_indices_shape(%a0: tensor<10x32xbf16>, %a1: tensor<12x2xi32>) {
  // expected-error @+1 {{'indices' expected shape [N, k] = [10, ?], got 'tensor<12x2xi32>'}}
  %r0, %r1, %r2 = loom.moe_dispatch %a0, %a1 {num_experts = 4} : (tensor<10x32xbf16>, tensor<12x2xi32>) -> (tensor<20x32xbf16>, tensor<20xi32>, tensor<5xi32>)
  return
}

// -----

func.func @dispatch_sorted_element_type(%a0: tensor<10x32xbf16>, %a1: tensor<10x2xi32>) {
  // expected-error @+1 {{'sorted' must have the element type of 'x' ('bf16'), got 'f32'}}
  %r0, %r1, %r2 = loom.moe_dispatch %a0, %a1 {num_experts = 4} : (tensor<10x32xbf16>, tensor<10x2xi32>) -> (tensor<20x32xf32>, tensor<20xi32>, tensor<5xi32>)
  return
}

// -----

func.func @dispatch_sorted_shape(%a0: tensor<10x32xbf16>, %a1: tensor<10x2xi32>) {
  // expected-error @+1 {{'sorted' expected shape [N*k, Dm] = [20, 32], got 'tensor<10x32xbf16>'}}
  %r0, %r1, %r2 = loom.moe_dispatch %a0, %a1 {num_experts = 4} : (tensor<10x32xbf16>, tensor<10x2xi32>) -> (tensor<10x32xbf16>, tensor<20xi32>, tensor<5xi32>)
  return
}

// -----

func.func @dispatch_permutation_element_type(%a0: tensor<10x32xbf16>, %a1: tensor<10x2xi32>) {
  // expected-error @+1 {{'permutation' must have i32 elements, got 'i64'}}
  %r0, %r1, %r2 = loom.moe_dispatch %a0, %a1 {num_experts = 4} : (tensor<10x32xbf16>, tensor<10x2xi32>) -> (tensor<20x32xbf16>, tensor<20xi64>, tensor<5xi32>)
  return
}

// -----

func.func @dispatch_permutation_shape(%a0: tensor<10x32xbf16>, %a1: tensor<10x2xi32>) {
  // expected-error @+1 {{'permutation' expected shape [N*k] = [20], got 'tensor<10xi32>'}}
  %r0, %r1, %r2 = loom.moe_dispatch %a0, %a1 {num_experts = 4} : (tensor<10x32xbf16>, tensor<10x2xi32>) -> (tensor<20x32xbf16>, tensor<10xi32>, tensor<5xi32>)
  return
}

// -----

func.func @dispatch_offsets_element_type(%a0: tensor<10x32xbf16>, %a1: tensor<10x2xi32>) {
  // expected-error @+1 {{'offsets' must have i32 elements, got 'i64'}}
  %r0, %r1, %r2 = loom.moe_dispatch %a0, %a1 {num_experts = 4} : (tensor<10x32xbf16>, tensor<10x2xi32>) -> (tensor<20x32xbf16>, tensor<20xi32>, tensor<5xi64>)
  return
}

// -----

func.func @dispatch_offsets_shape(%a0: tensor<10x32xbf16>, %a1: tensor<10x2xi32>) {
  // expected-error @+1 {{'offsets' expected shape [E+1] = [5], got 'tensor<4xi32>'}}
  %r0, %r1, %r2 = loom.moe_dispatch %a0, %a1 {num_experts = 4} : (tensor<10x32xbf16>, tensor<10x2xi32>) -> (tensor<20x32xbf16>, tensor<20xi32>, tensor<4xi32>)
  return
}

// -----

func.func @gmm_xs_element_type(%a0: tensor<20x32xi8>, %a1: tensor<4x32x64xi8>, %a2: tensor<5xi32>) {
  // expected-error @+1 {{'xs' must have f32, f16 or bf16 elements, got 'i8'}}
  %r0 = loom.grouped_matmul %a0, %a1, %a2 : (tensor<20x32xi8>, tensor<4x32x64xi8>, tensor<5xi32>) -> tensor<20x64xi8>
  return
}

// -----

func.func @gmm_w_element_type(%a0: tensor<20x32xbf16>, %a1: tensor<4x32x64xf32>, %a2: tensor<5xi32>) {
  // expected-error @+1 {{'w' must have the element type of 'xs' ('bf16'), got 'f32'}}
  %r0 = loom.grouped_matmul %a0, %a1, %a2 : (tensor<20x32xbf16>, tensor<4x32x64xf32>, tensor<5xi32>) -> tensor<20x64xbf16>
  return
}

// -----

func.func @gmm_xs_shape(%a0: tensor<20x32x1xbf16>, %a1: tensor<4x32x64xbf16>, %a2: tensor<5xi32>) {
  // expected-error @+1 {{'xs' expected shape [M, Din], got 'tensor<20x32x1xbf16>'}}
  %r0 = loom.grouped_matmul %a0, %a1, %a2 : (tensor<20x32x1xbf16>, tensor<4x32x64xbf16>, tensor<5xi32>) -> tensor<20x64xbf16>
  return
}

// -----

func.func @gmm_xs_dynamic_width(%a0: tensor<20x?xbf16>, %a1: tensor<4x32x64xbf16>, %a2: tensor<5xi32>) {
  // expected-error @+1 {{'xs' must have a static Din dimension}}
  %r0 = loom.grouped_matmul %a0, %a1, %a2 : (tensor<20x?xbf16>, tensor<4x32x64xbf16>, tensor<5xi32>) -> tensor<20x64xbf16>
  return
}

// -----

func.func @gmm_w_shape(%a0: tensor<20x32xbf16>, %a1: tensor<4x16x64xbf16>, %a2: tensor<5xi32>) {
  // expected-error @+1 {{'w' expected shape [E, Din, Dout] = [?, 32, ?], got 'tensor<4x16x64xbf16>'}}
  %r0 = loom.grouped_matmul %a0, %a1, %a2 : (tensor<20x32xbf16>, tensor<4x16x64xbf16>, tensor<5xi32>) -> tensor<20x64xbf16>
  return
}

// -----

func.func @gmm_offsets_element_type(%a0: tensor<20x32xbf16>, %a1: tensor<4x32x64xbf16>, %a2: tensor<5xi64>) {
  // expected-error @+1 {{'offsets' must have i32 elements, got 'i64'}}
  %r0 = loom.grouped_matmul %a0, %a1, %a2 : (tensor<20x32xbf16>, tensor<4x32x64xbf16>, tensor<5xi64>) -> tensor<20x64xbf16>
  return
}

// -----

func.func @gmm_offsets_shape(%a0: tensor<20x32xbf16>, %a1: tensor<4x32x64xbf16>, %a2: tensor<4xi32>) {
  // expected-error @+1 {{'offsets' expected shape [E+1] = [5], got 'tensor<4xi32>'}}
  %r0 = loom.grouped_matmul %a0, %a1, %a2 : (tensor<20x32xbf16>, tensor<4x32x64xbf16>, tensor<4xi32>) -> tensor<20x64xbf16>
  return
}

// -----

func.func @gmm_activation(%a0: tensor<20x32xbf16>, %a1: tensor<4x32x64xbf16>, %a2: tensor<5xi32>) {
  // expected-error @+1 {{'activation' must be "none" or "swiglu", got "gelu"}}
  %r0 = loom.grouped_matmul %a0, %a1, %a2 {activation = "gelu"} : (tensor<20x32xbf16>, tensor<4x32x64xbf16>, tensor<5xi32>) -> tensor<20x64xbf16>
  return
}

// -----

func.func @gmm_swiglu_odd(%a0: tensor<20x32xbf16>, %a1: tensor<4x32x63xbf16>, %a2: tensor<5xi32>) {
  // expected-error @+1 {{"swiglu" splits Dout = 2F into two halves, so Dout must be even, got 63}}
  %r0 = loom.grouped_matmul %a0, %a1, %a2 {activation = "swiglu"} : (tensor<20x32xbf16>, tensor<4x32x63xbf16>, tensor<5xi32>) -> tensor<20x31xbf16>
  return
}

// -----

func.func @gmm_swiglu_width(%a0: tensor<20x32xbf16>, %a1: tensor<4x32x64xbf16>, %a2: tensor<5xi32>) {
  // expected-error @+1 {{'output' expected shape [M, F] = [20, 32], got 'tensor<20x64xbf16>'}}
  %r0 = loom.grouped_matmul %a0, %a1, %a2 {activation = "swiglu"} : (tensor<20x32xbf16>, tensor<4x32x64xbf16>, tensor<5xi32>) -> tensor<20x64xbf16>
  return
}

// -----

func.func @gmm_output_element_type(%a0: tensor<20x32xbf16>, %a1: tensor<4x32x64xbf16>, %a2: tensor<5xi32>) {
  // expected-error @+1 {{'output' must have the element type of 'xs' ('bf16'), got 'f32'}}
  %r0 = loom.grouped_matmul %a0, %a1, %a2 : (tensor<20x32xbf16>, tensor<4x32x64xbf16>, tensor<5xi32>) -> tensor<20x64xf32>
  return
}

// -----

func.func @gmm_output_shape(%a0: tensor<20x32xbf16>, %a1: tensor<4x32x64xbf16>, %a2: tensor<5xi32>) {
  // expected-error @+1 {{'output' expected shape [M, Dout] = [20, 64], got 'tensor<21x64xbf16>'}}
  %r0 = loom.grouped_matmul %a0, %a1, %a2 : (tensor<20x32xbf16>, tensor<4x32x64xbf16>, tensor<5xi32>) -> tensor<21x64xbf16>
  return
}

// -----

func.func @combine_weights_element_type(%a0: tensor<20x32xf16>, %a1: tensor<20xi32>, %a2: tensor<10x2xf16>) {
  // expected-error @+1 {{'weights' must have f32 elements, got 'f16'}}
  %r0 = loom.moe_combine %a0, %a1, %a2 : (tensor<20x32xf16>, tensor<20xi32>, tensor<10x2xf16>) -> tensor<10x32xf16>
  return
}

// -----

func.func @combine_weights_shape(%a0: tensor<20x32xf16>, %a1: tensor<20xi32>, %a2: tensor<20xf32>) {
  // expected-error @+1 {{'weights' expected shape [N, k], got 'tensor<20xf32>'}}
  %r0 = loom.moe_combine %a0, %a1, %a2 : (tensor<20x32xf16>, tensor<20xi32>, tensor<20xf32>) -> tensor<10x32xf16>
  return
}

// -----

func.func @combine_ys_element_type(%a0: tensor<20x32xi32>, %a1: tensor<20xi32>, %a2: tensor<10x2xf32>) {
  // expected-error @+1 {{'ys' must have f32, f16 or bf16 elements, got 'i32'}}
  %r0 = loom.moe_combine %a0, %a1, %a2 : (tensor<20x32xi32>, tensor<20xi32>, tensor<10x2xf32>) -> tensor<10x32xi32>
  return
}

// -----

func.func @combine_ys_shape(%a0: tensor<10x32xf16>, %a1: tensor<20xi32>, %a2: tensor<10x2xf32>) {
  // expected-error @+1 {{'ys' expected shape [N*k, Dm] = [20, ?], got 'tensor<10x32xf16>'}}
  %r0 = loom.moe_combine %a0, %a1, %a2 : (tensor<10x32xf16>, tensor<20xi32>, tensor<10x2xf32>) -> tensor<10x32xf16>
  return
}

// -----

func.func @combine_permutation_element_type(%a0: tensor<20x32xf16>, %a1: tensor<20xi64>, %a2: tensor<10x2xf32>) {
  // expected-error @+1 {{'permutation' must have i32 elements, got 'i64'}}
  %r0 = loom.moe_combine %a0, %a1, %a2 : (tensor<20x32xf16>, tensor<20xi64>, tensor<10x2xf32>) -> tensor<10x32xf16>
  return
}

// -----

func.func @combine_permutation_shape(%a0: tensor<20x32xf16>, %a1: tensor<19xi32>, %a2: tensor<10x2xf32>) {
  // expected-error @+1 {{'permutation' expected shape [N*k] = [20], got 'tensor<19xi32>'}}
  %r0 = loom.moe_combine %a0, %a1, %a2 : (tensor<20x32xf16>, tensor<19xi32>, tensor<10x2xf32>) -> tensor<10x32xf16>
  return
}

// -----

func.func @combine_output_element_type(%a0: tensor<20x32xf16>, %a1: tensor<20xi32>, %a2: tensor<10x2xf32>) {
  // expected-error @+1 {{'output' must have the element type of 'ys' ('f16'), got 'bf16'}}
  %r0 = loom.moe_combine %a0, %a1, %a2 : (tensor<20x32xf16>, tensor<20xi32>, tensor<10x2xf32>) -> tensor<10x32xbf16>
  return
}

// -----

func.func @combine_output_shape(%a0: tensor<20x32xf16>, %a1: tensor<20xi32>, %a2: tensor<10x2xf32>) {
  // expected-error @+1 {{'output' expected shape [N, Dm] = [10, 32], got 'tensor<10x16xf16>'}}
  %r0 = loom.moe_combine %a0, %a1, %a2 : (tensor<20x32xf16>, tensor<20xi32>, tensor<10x2xf32>) -> tensor<10x16xf16>
  return
}
