// RUN: loom-opt %s -split-input-file -verify-diagnostics

// One case per verifier rule of loom.linear_attention.

func.func @q_element_type(%q: tensor<1x8x2x16xi32>, %v: tensor<1x8x2x16xi32>) {
  // expected-error @+1 {{'q' must have f32, f16 or bf16 elements, got 'i32'}}
  %o, %s = loom.linear_attention %q, %q, %v : (tensor<1x8x2x16xi32>, tensor<1x8x2x16xi32>, tensor<1x8x2x16xi32>) -> (tensor<1x8x2x16xi32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @k_element_type(%q: tensor<1x8x2x16xbf16>, %k: tensor<1x8x2x16xf16>) {
  // expected-error @+1 {{'k' must have the element type of 'q' ('bf16'), got 'f16'}}
  %o, %s = loom.linear_attention %q, %k, %q : (tensor<1x8x2x16xbf16>, tensor<1x8x2x16xf16>, tensor<1x8x2x16xbf16>) -> (tensor<1x8x2x16xbf16>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @v_element_type(%q: tensor<1x8x2x16xbf16>, %v: tensor<1x8x2x16xf32>) {
  // expected-error @+1 {{'v' must have the element type of 'q' ('bf16'), got 'f32'}}
  %o, %s = loom.linear_attention %q, %q, %v : (tensor<1x8x2x16xbf16>, tensor<1x8x2x16xbf16>, tensor<1x8x2x16xf32>) -> (tensor<1x8x2x16xbf16>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @q_rank(%q: tensor<8x2x16xf32>, %v: tensor<1x8x2x16xf32>) {
  // expected-error @+1 {{'q' expected shape [B, T, Hk, K], got 'tensor<8x2x16xf32>'}}
  %o, %s = loom.linear_attention %q, %q, %v : (tensor<8x2x16xf32>, tensor<8x2x16xf32>, tensor<1x8x2x16xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @dynamic_key_dim(%q: tensor<1x8x2x?xf32>, %v: tensor<1x8x2x16xf32>) {
  // expected-error @+1 {{'q' must have a static K dimension (head counts and feature sizes are static), got 'tensor<1x8x2x?xf32>'}}
  %o, %s = loom.linear_attention %q, %q, %v : (tensor<1x8x2x?xf32>, tensor<1x8x2x?xf32>, tensor<1x8x2x16xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @zero_heads(%q: tensor<1x8x0x16xf32>, %v: tensor<1x8x2x16xf32>) {
  // expected-error @+1 {{'q' must have a positive Hk dimension, got 'tensor<1x8x0x16xf32>'}}
  %o, %s = loom.linear_attention %q, %q, %v : (tensor<1x8x0x16xf32>, tensor<1x8x0x16xf32>, tensor<1x8x2x16xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @k_shape(%q: tensor<1x8x2x16xf32>, %k: tensor<1x9x2x16xf32>) {
  // expected-error @+1 {{'k' expected shape [B, T, Hk, K] = [1, 8, 2, 16], got 'tensor<1x9x2x16xf32>'}}
  %o, %s = loom.linear_attention %q, %k, %q : (tensor<1x8x2x16xf32>, tensor<1x9x2x16xf32>, tensor<1x8x2x16xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @v_batch(%q: tensor<?x8x2x16xf32>, %k: tensor<3x8x2x16xf32>, %v: tensor<2x8x2x16xf32>) {
  // expected-error @+1 {{'v' expected shape [B, T, H, V] = [3, 8, ?, ?], got 'tensor<2x8x2x16xf32>'}}
  %o, %s = loom.linear_attention %q, %k, %v : (tensor<?x8x2x16xf32>, tensor<3x8x2x16xf32>, tensor<2x8x2x16xf32>) -> (tensor<?x8x2x16xf32>, tensor<?x2x16x16xf32>)
  return
}

// -----

func.func @dynamic_value_heads(%q: tensor<1x8x2x16xf32>, %v: tensor<1x8x?x16xf32>) {
  // expected-error @+1 {{'v' must have a static H dimension}}
  %o, %s = loom.linear_attention %q, %q, %v : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x?x16xf32>) -> (tensor<1x8x?x16xf32>, tensor<1x?x16x16xf32>)
  return
}

// -----

func.func @grouped_heads(%q: tensor<1x8x2x16xf32>, %v: tensor<1x8x3x16xf32>) {
  // expected-error @+1 {{H = 3 must be a multiple of Hk = 2}}
  %o, %s = loom.linear_attention %q, %q, %v : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x3x16xf32>) -> (tensor<1x8x3x16xf32>, tensor<1x3x16x16xf32>)
  return
}

// -----

func.func @decay_element_type(%q: tensor<1x8x2x16xbf16>, %g: tensor<1x8x2xbf16>) {
  // expected-error @+1 {{'decay' must have f32 elements, got 'bf16'}}
  %o, %s = loom.linear_attention %q, %q, %q decay %g : (tensor<1x8x2x16xbf16>, tensor<1x8x2x16xbf16>, tensor<1x8x2x16xbf16>, tensor<1x8x2xbf16>) -> (tensor<1x8x2x16xbf16>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @decay_rank(%q: tensor<1x8x2x16xf32>, %g: tensor<8x2xf32>) {
  // expected-error @+1 {{'decay' must be [B, T, H] (scalar gate) or [B, T, H, K] (per-key gate), got 'tensor<8x2xf32>'}}
  %o, %s = loom.linear_attention %q, %q, %q decay %g : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<8x2xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @scalar_decay_heads(%q: tensor<1x8x2x16xf32>, %g: tensor<1x8x4xf32>) {
  // expected-error @+1 {{'decay' expected shape [B, T, H] = [1, 8, 2], got 'tensor<1x8x4xf32>'}}
  %o, %s = loom.linear_attention %q, %q, %q decay %g : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x4xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @per_key_decay_width(%q: tensor<1x8x2x16xf32>, %g: tensor<1x8x2x32xf32>) {
  // expected-error @+1 {{'decay' expected shape [B, T, H, K] = [1, 8, 2, 16], got 'tensor<1x8x2x32xf32>'}}
  %o, %s = loom.linear_attention %q, %q, %q decay %g : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x32xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @beta_element_type(%q: tensor<1x8x2x16xf16>, %b: tensor<1x8x2xf16>) {
  // expected-error @+1 {{'beta' must have f32 elements, got 'f16'}}
  %o, %s = loom.linear_attention %q, %q, %q beta %b : (tensor<1x8x2x16xf16>, tensor<1x8x2x16xf16>, tensor<1x8x2x16xf16>, tensor<1x8x2xf16>) -> (tensor<1x8x2x16xf16>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @beta_shape(%q: tensor<1x8x2x16xf32>, %b: tensor<1x8x2x16xf32>) {
  // expected-error @+1 {{'beta' expected shape [B, T, H] = [1, 8, 2], got 'tensor<1x8x2x16xf32>'}}
  %o, %s = loom.linear_attention %q, %q, %q beta %b : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @cu_seqlens_element_type(%q: tensor<1x8x2x16xf32>, %cu: tensor<3xf32>) {
  // expected-error @+1 {{'cu_seqlens' must have i32 or i64 elements, got 'f32'}}
  %o, %s = loom.linear_attention %q, %q, %q cu_seqlens %cu : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<3xf32>) -> (tensor<1x8x2x16xf32>, tensor<2x2x16x16xf32>)
  return
}

// -----

func.func @cu_seqlens_rank(%q: tensor<1x8x2x16xf32>, %cu: tensor<1x3xi32>) {
  // expected-error @+1 {{'cu_seqlens' expected shape [N+1], got 'tensor<1x3xi32>'}}
  %o, %s = loom.linear_attention %q, %q, %q cu_seqlens %cu : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x3xi32>) -> (tensor<1x8x2x16xf32>, tensor<2x2x16x16xf32>)
  return
}

// -----

func.func @cu_seqlens_empty(%q: tensor<1x8x2x16xf32>, %cu: tensor<0xi32>) {
  // expected-error @+1 {{'cu_seqlens' must hold at least one offset (N+1 >= 1)}}
  %o, %s = loom.linear_attention %q, %q, %q cu_seqlens %cu : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<0xi32>) -> (tensor<1x8x2x16xf32>, tensor<2x2x16x16xf32>)
  return
}

// -----

func.func @cu_seqlens_batch(%q: tensor<2x8x2x16xf32>, %cu: tensor<3xi32>) {
  // expected-error @+1 {{with 'cu_seqlens' the batch size B must be 1, got 2}}
  %o, %s = loom.linear_attention %q, %q, %q cu_seqlens %cu : (tensor<2x8x2x16xf32>, tensor<2x8x2x16xf32>, tensor<2x8x2x16xf32>, tensor<3xi32>) -> (tensor<2x8x2x16xf32>, tensor<2x2x16x16xf32>)
  return
}

// -----

func.func @initial_state_element_type(%q: tensor<1x8x2x16xf32>, %h: tensor<1x2x16x16xbf16>) {
  // expected-error @+1 {{'initial_state' must have f32 elements, got 'bf16'}}
  %o, %s = loom.linear_attention %q, %q, %q initial_state %h : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x2x16x16xbf16>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @initial_state_shape(%q: tensor<1x8x2x16xf32>, %v: tensor<1x8x2x32xf32>, %h: tensor<1x2x32x16xf32>) {
  // expected-error @+1 {{'initial_state' expected shape [B, H, K, V] = [1, 2, 16, 32], got 'tensor<1x2x32x16xf32>'}}
  %o, %s = loom.linear_attention %q, %q, %v initial_state %h : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x32xf32>, tensor<1x2x32x16xf32>) -> (tensor<1x8x2x32xf32>, tensor<1x2x16x32xf32>)
  return
}

// -----

func.func @initial_state_sequences(%q: tensor<1x8x2x16xf32>, %h: tensor<1x2x16x16xf32>, %cu: tensor<4xi64>) {
  // expected-error @+1 {{'initial_state' expected shape [N, H, K, V] = [3, 2, 16, 16], got 'tensor<1x2x16x16xf32>'}}
  %o, %s = loom.linear_attention %q, %q, %q initial_state %h cu_seqlens %cu : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>, tensor<4xi64>) -> (tensor<1x8x2x16xf32>, tensor<3x2x16x16xf32>)
  return
}

// -----

func.func @output_element_type(%q: tensor<1x8x2x16xbf16>) {
  // expected-error @+1 {{'output' must have the element type of 'q' ('bf16'), got 'f32'}}
  %o, %s = loom.linear_attention %q, %q, %q : (tensor<1x8x2x16xbf16>, tensor<1x8x2x16xbf16>, tensor<1x8x2x16xbf16>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @output_shape(%q: tensor<1x8x2x16xf32>, %v: tensor<1x8x4x32xf32>) {
  // expected-error @+1 {{'output' expected shape [B, T, H, V] = [1, 8, 4, 32], got 'tensor<1x8x2x32xf32>'}}
  %o, %s = loom.linear_attention %q, %q, %v : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x4x32xf32>) -> (tensor<1x8x2x32xf32>, tensor<1x4x16x32xf32>)
  return
}

// -----

func.func @final_state_element_type(%q: tensor<1x8x2x16xbf16>) {
  // expected-error @+1 {{'final_state' must have f32 elements, got 'bf16'}}
  %o, %s = loom.linear_attention %q, %q, %q : (tensor<1x8x2x16xbf16>, tensor<1x8x2x16xbf16>, tensor<1x8x2x16xbf16>) -> (tensor<1x8x2x16xbf16>, tensor<1x2x16x16xbf16>)
  return
}

// -----

func.func @final_state_sequences(%q: tensor<1x?x2x16xf32>, %cu: tensor<5xi32>) {
  // expected-error @+1 {{'final_state' expected shape [N, H, K, V] = [4, 2, 16, 16], got 'tensor<1x2x16x16xf32>'}}
  %o, %s = loom.linear_attention %q, %q, %q cu_seqlens %cu : (tensor<1x?x2x16xf32>, tensor<1x?x2x16xf32>, tensor<1x?x2x16xf32>, tensor<5xi32>) -> (tensor<1x?x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @scale_type(%q: tensor<1x8x2x16xf32>) {
  // expected-error @+1 {{attribute 'scale' failed to satisfy constraint: 32-bit float attribute}}
  %o, %s = loom.linear_attention %q, %q, %q {scale = 0.5 : f64} : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @unranked(%q: tensor<*xf32>, %v: tensor<1x8x2x16xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of any type values, but got 'tensor<*xf32>'}}
  %o, %s = loom.linear_attention %q, %q, %v : (tensor<*xf32>, tensor<*xf32>, tensor<1x8x2x16xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}
