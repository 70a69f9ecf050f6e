// RUN: loom-opt %s -split-input-file -verify-diagnostics

// One case per verifier rule of loom.selective_scan, loom.ssd and loom.causal_conv1d.

func.func @ss_u_element_type(%a0: tensor<2x8x10xi8>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>) {
  // expected-error @+1 {{'u' must have f32, f16 or bf16 elements, got 'i8'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x8x10xi8>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_u_rank(%a0: tensor<8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>) {
  // expected-error @+1 {{'u' expected shape [B, Dc, L], got 'tensor<8x10xbf16>'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_u_dynamic_channels(%a0: tensor<2x?x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>) {
  // expected-error @+1 {{'u' must have a static Dc dimension}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x?x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_delta_element_type(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>) {
  // expected-error @+1 {{'delta' must have f32 elements or the element type of 'u' ('bf16'), got 'f16'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x8x10xbf16>, tensor<2x8x10xf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_delta_shape(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x11xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>) {
  // expected-error @+1 {{'delta' expected shape [B, Dc, L] = [2, 8, 10], got 'tensor<2x8x11xbf16>'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x8x10xbf16>, tensor<2x8x11xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_A_element_type(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xbf16>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>) {
  // expected-error @+1 {{'A' must have f32 elements, got 'bf16'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xbf16>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_A_shape(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<16x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>) {
  // expected-error @+1 {{'A' expected shape [Dc, N] = [8, ?], got 'tensor<16x4xf32>'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<16x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_A_dynamic_state(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x?xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>) {
  // expected-error @+1 {{'A' must have a static N dimension}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x?xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_B_element_type(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xi32>, %a4: tensor<2x2x4x10xbf16>) {
  // expected-error @+1 {{'B' must have f32, f16 or bf16 elements, got 'i32'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xi32>, tensor<2x2x4x10xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_B_shape(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x5x10xbf16>, %a4: tensor<2x2x4x10xbf16>) {
  // expected-error @+1 {{'B' expected shape [B, G, N, L] = [2, ?, 4, 10], got 'tensor<2x2x5x10xbf16>'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x5x10xbf16>, tensor<2x2x4x10xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_C_element_type(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xi32>) {
  // expected-error @+1 {{'C' must have f32, f16 or bf16 elements, got 'i32'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xi32>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_C_shape(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x1x4x10xbf16>) {
  // expected-error @+1 {{'C' expected shape [B, G, N, L] = [2, 2, 4, 10], got 'tensor<2x1x4x10xbf16>'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x1x4x10xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_groups(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x3x4x10xbf16>, %a4: tensor<2x3x4x10xbf16>) {
  // expected-error @+1 {{Dc = 8 must be a multiple of G = 3}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x3x4x10xbf16>, tensor<2x3x4x10xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_D_element_type(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>, %a5: tensor<8xbf16>) {
  // expected-error @+1 {{'D' must have f32 elements, got 'bf16'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 D %a5 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>, tensor<8xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_D_shape(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>, %a5: tensor<4xf32>) {
  // expected-error @+1 {{'D' expected shape [Dc] = [8], got 'tensor<4xf32>'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 D %a5 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>, tensor<4xf32>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_z_element_type(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>, %a5: tensor<2x8x10xf32>) {
  // expected-error @+1 {{'z' must have the element type of 'u' ('bf16'), got 'f32'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 z %a5 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>, tensor<2x8x10xf32>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_z_shape(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>, %a5: tensor<2x8x9xbf16>) {
  // expected-error @+1 {{'z' expected shape [B, Dc, L] = [2, 8, 10], got 'tensor<2x8x9xbf16>'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 z %a5 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>, tensor<2x8x9xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_delta_bias_element_type(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>, %a5: tensor<8xf16>) {
  // expected-error @+1 {{'delta_bias' must have f32 elements, got 'f16'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 delta_bias %a5 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>, tensor<8xf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_delta_bias_shape(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>, %a5: tensor<1x8xf32>) {
  // expected-error @+1 {{'delta_bias' expected shape [Dc] = [8], got 'tensor<1x8xf32>'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 delta_bias %a5 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>, tensor<1x8xf32>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_initial_state_element_type(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>, %a5: tensor<2x8x4xbf16>) {
  // expected-error @+1 {{'initial_state' must have f32 elements, got 'bf16'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 initial_state %a5 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>, tensor<2x8x4xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_initial_state_shape(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>, %a5: tensor<2x4x8xf32>) {
  // expected-error @+1 {{'initial_state' expected shape [B, Dc, N] = [2, 8, 4], got 'tensor<2x4x8xf32>'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 initial_state %a5 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>, tensor<2x4x8xf32>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_y_element_type(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>) {
  // expected-error @+1 {{'y' must have the element type of 'u' ('bf16'), got 'f32'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>) -> (tensor<2x8x10xf32>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_y_shape(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>) {
  // expected-error @+1 {{'y' expected shape [B, Dc, L] = [2, 8, 10], got 'tensor<2x8x1xbf16>'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>) -> (tensor<2x8x1xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @ss_final_state_element_type(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>) {
  // expected-error @+1 {{'final_state' must have f32 elements, got 'bf16'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x4xbf16>)
  return
}

// -----

func.func @ss_final_state_shape(%a0: tensor<2x8x10xbf16>, %a1: tensor<2x8x10xbf16>, %a2: tensor<8x4xf32>, %a3: tensor<2x2x4x10xbf16>, %a4: tensor<2x2x4x10xbf16>) {
  // expected-error @+1 {{'final_state' expected shape [B, Dc, N] = [2, 8, 4], got 'tensor<2x8x10xf32>'}}
  %r0, %r1 = loom.selective_scan %a0, %a1, %a2, %a3, %a4 : (tensor<2x8x10xbf16>, tensor<2x8x10xbf16>, tensor<8x4xf32>, tensor<2x2x4x10xbf16>, tensor<2x2x4x10xbf16>) -> (tensor<2x8x10xbf16>, tensor<2x8x10xf32>)
  return
}

// -----

func.func @ssd_x_element_type(%a0: tensor<1x16x4x8xf64>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>) {
  // expected-error @+1 {{'x' must have f32, f16 or bf16 elements, got 'f64'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<1x16x4x8xf64>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_x_shape(%a0: tensor<16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>) {
  // expected-error @+1 {{'x' expected shape [B, T, H, P], got 'tensor<16x4x8xf16>'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_x_dynamic_head_dim(%a0: tensor<1x16x4x?xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>) {
  // expected-error @+1 {{'x' must have a static P dimension}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<1x16x4x?xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_dt_element_type(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf16>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>) {
  // expected-error @+1 {{'dt' must have f32 elements, got 'f16'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf16>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_dt_shape(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x8xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>) {
  // expected-error @+1 {{'dt' expected shape [B, T, H] = [1, 16, 4], got 'tensor<1x16x8xf32>'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<1x16x4x8xf16>, tensor<1x16x8xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_A_element_type(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf16>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>) {
  // expected-error @+1 {{'A' must have f32 elements, got 'f16'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf16>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_A_shape(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4x8xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>) {
  // expected-error @+1 {{'A' expected shape [H] = [4], got 'tensor<4x8xf32>'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4x8xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_B_element_type(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xi16>, %a4: tensor<1x16x2x6xf16>) {
  // expected-error @+1 {{'B' must have f32, f16 or bf16 elements, got 'i16'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xi16>, tensor<1x16x2x6xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_B_shape(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x15x2x6xf16>, %a4: tensor<1x16x2x6xf16>) {
  // expected-error @+1 {{'B' expected shape [B, T, G, N] = [1, 16, ?, ?], got 'tensor<1x15x2x6xf16>'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x15x2x6xf16>, tensor<1x16x2x6xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_C_element_type(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xi16>) {
  // expected-error @+1 {{'C' must have f32, f16 or bf16 elements, got 'i16'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xi16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_C_shape(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x7xf16>) {
  // expected-error @+1 {{'C' expected shape [B, T, G, N] = [1, 16, 2, 6], got 'tensor<1x16x2x7xf16>'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x7xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_groups(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x3x6xf16>, %a4: tensor<1x16x3x6xf16>) {
  // expected-error @+1 {{H = 4 must be a multiple of G = 3}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x3x6xf16>, tensor<1x16x3x6xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_D_element_type(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>, %a5: tensor<4xf16>) {
  // expected-error @+1 {{'D' must have f32 elements, got 'f16'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 D %a5 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>, tensor<4xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_D_shape(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>, %a5: tensor<4x8xf32>) {
  // expected-error @+1 {{'D' expected shape [H] = [4], got 'tensor<4x8xf32>'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 D %a5 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>, tensor<4x8xf32>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_z_element_type(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>, %a5: tensor<1x16x4x8xbf16>) {
  // expected-error @+1 {{'z' must have the element type of 'x' ('f16'), got 'bf16'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 z %a5 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>, tensor<1x16x4x8xbf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_z_shape(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>, %a5: tensor<1x16x4x9xf16>) {
  // expected-error @+1 {{'z' expected shape [B, T, H, P] = [1, 16, 4, 8], got 'tensor<1x16x4x9xf16>'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 z %a5 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>, tensor<1x16x4x9xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_dt_bias_element_type(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>, %a5: tensor<4xf16>) {
  // expected-error @+1 {{'dt_bias' must have f32 elements, got 'f16'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 dt_bias %a5 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>, tensor<4xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_dt_bias_shape(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>, %a5: tensor<2xf32>) {
  // expected-error @+1 {{'dt_bias' expected shape [H] = [4], got 'tensor<2xf32>'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 dt_bias %a5 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>, tensor<2xf32>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_cu_seqlens_element_type(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>, %a5: tensor<3xi16>) {
  // expected-error @+1 {{'cu_seqlens' must have i32 or i64 elements, got 'i16'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 cu_seqlens %a5 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>, tensor<3xi16>) -> (tensor<1x16x4x8xf16>, tensor<2x4x8x6xf32>)
  return
}

// -----

func.func @ssd_cu_seqlens_batch(%a0: tensor<2x16x4x8xf16>, %a1: tensor<2x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<2x16x2x6xf16>, %a4: tensor<2x16x2x6xf16>, %a5: tensor<3xi32>) {
  // expected-error @+1 {{with 'cu_seqlens' the batch size B must be 1, got 2}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 cu_seqlens %a5 : (tensor<2x16x4x8xf16>, tensor<2x16x4xf32>, tensor<4xf32>, tensor<2x16x2x6xf16>, tensor<2x16x2x6xf16>, tensor<3xi32>) -> (tensor<2x16x4x8xf16>, tensor<2x4x8x6xf32>)
  return
}

// -----

func.func @ssd_initial_state_element_type(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>, %a5: tensor<1x4x8x6xf16>) {
  // expected-error @+1 {{'initial_state' must have f32 elements, got 'f16'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 initial_state %a5 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>, tensor<1x4x8x6xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_initial_state_shape(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>, %a5: tensor<1x4x6x8xf32>) {
  // expected-error @+1 {{'initial_state' expected shape [B, H, P, N] = [1, 4, 8, 6], got 'tensor<1x4x6x8xf32>'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 initial_state %a5 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>, tensor<1x4x6x8xf32>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_initial_state_sequences(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>, %a5: tensor<1x4x8x6xf32>, %a6: tensor<3xi64>) {
  // expected-error @+1 {{'initial_state' expected shape [Nseq, H, P, N] = [2, 4, 8, 6], got 'tensor<1x4x8x6xf32>'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 initial_state %a5 cu_seqlens %a6 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>, tensor<1x4x8x6xf32>, tensor<3xi64>) -> (tensor<1x16x4x8xf16>, tensor<2x4x8x6xf32>)
  return
}

// -----

func.func @ssd_y_element_type(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>) {
  // expected-error @+1 {{'y' must have the element type of 'x' ('f16'), got 'f32'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>) -> (tensor<1x16x4x8xf32>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_y_shape(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>) {
  // expected-error @+1 {{'y' expected shape [B, T, H, P] = [1, 16, 4, 8], got 'tensor<1x16x4x6xf16>'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>) -> (tensor<1x16x4x6xf16>, tensor<1x4x8x6xf32>)
  return
}

// -----

func.func @ssd_final_state_element_type(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>) {
  // expected-error @+1 {{'final_state' must have f32 elements, got 'f16'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x8x6xf16>)
  return
}

// -----

func.func @ssd_final_state_shape(%a0: tensor<1x16x4x8xf16>, %a1: tensor<1x16x4xf32>, %a2: tensor<4xf32>, %a3: tensor<1x16x2x6xf16>, %a4: tensor<1x16x2x6xf16>) {
  // expected-error @+1 {{'final_state' expected shape [B, H, P, N] = [1, 4, 8, 6], got 'tensor<1x4x6x8xf32>'}}
  %r0, %r1 = loom.ssd %a0, %a1, %a2, %a3, %a4 : (tensor<1x16x4x8xf16>, tensor<1x16x4xf32>, tensor<4xf32>, tensor<1x16x2x6xf16>, tensor<1x16x2x6xf16>) -> (tensor<1x16x4x8xf16>, tensor<1x4x6x8xf32>)
  return
}

// -----

func.func @conv_x_element_type(%a0: tensor<2x7x16xi32>, %a1: tensor<16x4xf32>) {
  // expected-error @+1 {{'x' must have f32, f16 or bf16 elements, got 'i32'}}
  %r0 = loom.causal_conv1d %a0, %a1 : (tensor<2x7x16xi32>, tensor<16x4xf32>) -> tensor<2x7x16xi32>
  return
}

// -----

func.func @conv_x_shape(%a0: tensor<2x7x16x1xbf16>, %a1: tensor<16x4xf32>) {
  // expected-error @+1 {{'x' expected shape [B, T, C], got 'tensor<2x7x16x1xbf16>'}}
  %r0 = loom.causal_conv1d %a0, %a1 : (tensor<2x7x16x1xbf16>, tensor<16x4xf32>) -> tensor<2x7x16xbf16>
  return
}

// -----

func.func @conv_x_dynamic_channels(%a0: tensor<2x7x?xbf16>, %a1: tensor<16x4xf32>) {
  // expected-error @+1 {{'x' must have a static C dimension}}
  %r0 = loom.causal_conv1d %a0, %a1 : (tensor<2x7x?xbf16>, tensor<16x4xf32>) -> tensor<2x7x16xbf16>
  return
}

// -----

func.func @conv_w_element_type(%a0: tensor<2x7x16xbf16>, %a1: tensor<16x4xbf16>) {
  // expected-error @+1 {{'w' must have f32 elements, got 'bf16'}}
  %r0 = loom.causal_conv1d %a0, %a1 : (tensor<2x7x16xbf16>, tensor<16x4xbf16>) -> tensor<2x7x16xbf16>
  return
}

// -----

func.func @conv_w_shape(%a0: tensor<2x7x16xbf16>, %a1: tensor<4x16xf32>) {
  // expected-error @+1 {{'w' expected shape [C, W] = [16, ?], got 'tensor<4x16xf32>'}}
  %r0 = loom.causal_conv1d %a0, %a1 : (tensor<2x7x16xbf16>, tensor<4x16xf32>) -> tensor<2x7x16xbf16>
  return
}

// -----

func.func @conv_w_empty(%a0: tensor<2x7x16xbf16>, %a1: tensor<16x0xf32>) {
  // expected-error @+1 {{'w' must have a positive W dimension, got 'tensor<16x0xf32>'}}
  %r0 = loom.causal_conv1d %a0, %a1 : (tensor<2x7x16xbf16>, tensor<16x0xf32>) -> tensor<2x7x16xbf16>
  return
}

// -----

func.func @conv_bias_element_type(%a0: tensor<2x7x16xbf16>, %a1: tensor<16x4xf32>, %a2: tensor<16xbf16>) {
  // expected-error @+1 {{'bias' must have f32 elements, got 'bf16'}}
  %r0 = loom.causal_conv1d %a0, %a1 bias %a2 : (tensor<2x7x16xbf16>, tensor<16x4xf32>, tensor<16xbf16>) -> tensor<2x7x16xbf16>
  return
}

// -----

func.func @conv_bias_shape(%a0: tensor<2x7x16xbf16>, %a1: tensor<16x4xf32>, %a2: tensor<4xf32>) {
  // expected-error @+1 {{'bias' expected shape [C] = [16], got 'tensor<4xf32>'}}
  %r0 = loom.causal_conv1d %a0, %a1 bias %a2 : (tensor<2x7x16xbf16>, tensor<16x4xf32>, tensor<4xf32>) -> tensor<2x7x16xbf16>
  return
}

// -----

func.func @conv_activation(%a0: tensor<2x7x16xbf16>, %a1: tensor<16x4xf32>) {
  // expected-error @+1 {{'activation' must be "none" or "silu", got "gelu"}}
  %r0 = loom.causal_conv1d %a0, %a1 {activation = "gelu"} : (tensor<2x7x16xbf16>, tensor<16x4xf32>) -> tensor<2x7x16xbf16>
  return
}

// -----

func.func @conv_y_element_type(%a0: tensor<2x7x16xbf16>, %a1: tensor<16x4xf32>) {
  // expected-error @+1 {{'y' must have the element type of 'x' ('bf16'), got 'f32'}}
  %r0 = loom.causal_conv1d %a0, %a1 : (tensor<2x7x16xbf16>, tensor<16x4xf32>) -> tensor<2x7x16xf32>
  return
}

// -----

func.func @conv_y_shape(%a0: tensor<2x7x16xbf16>, %a1: tensor<16x4xf32>) {
  // expected-error @+1 {{'y' expected shape [B, T, C] = [2, 7, 16], got 'tensor<2x8x16xbf16>'}}
  %r0 = loom.causal_conv1d %a0, %a1 : (tensor<2x7x16xbf16>, tensor<16x4xf32>) -> tensor<2x8x16xbf16>
  return
}
