// RUN: loom-opt %s -split-input-file -verify-diagnostics --convert-loom-to-gpu

func.func @kda(%q: tensor<1x?x2x64xbf16>, %v: tensor<1x?x2x64xbf16>, %g: tensor<1x?x2x64xf32>, %beta: tensor<1x?x2xf32>) -> (tensor<1x?x2x64xbf16>, tensor<1x2x64x64xf32>) {
  // expected-error @+1 {{per-key decay with beta (KDA) is not on the GPU yet; GLA (per-key decay) and Gated DeltaNet (scalar decay and beta) are}}
  %o, %s = loom.linear_attention %q, %q, %v decay %g beta %beta : (tensor<1x?x2x64xbf16>, tensor<1x?x2x64xbf16>, tensor<1x?x2x64xbf16>, tensor<1x?x2x64xf32>, tensor<1x?x2xf32>) -> (tensor<1x?x2x64xbf16>, tensor<1x2x64x64xf32>)
  return %o, %s : tensor<1x?x2x64xbf16>, tensor<1x2x64x64xf32>
}

// -----

func.func @gla_wide_keys(%q: tensor<1x?x2x256xbf16>, %v: tensor<1x?x2x64xbf16>, %g: tensor<1x?x2x256xf32>) -> (tensor<1x?x2x64xbf16>, tensor<1x2x256x64xf32>) {
  // expected-error @+1 {{per-key decay runs with K of 64 or 128 on the GPU for now (got 256)}}
  %o, %s = loom.linear_attention %q, %q, %v decay %g : (tensor<1x?x2x256xbf16>, tensor<1x?x2x256xbf16>, tensor<1x?x2x64xbf16>, tensor<1x?x2x256xf32>) -> (tensor<1x?x2x64xbf16>, tensor<1x2x256x64xf32>)
  return %o, %s : tensor<1x?x2x64xbf16>, tensor<1x2x256x64xf32>
}

// -----

func.func @f32(%q: tensor<1x?x2x64xf32>) -> (tensor<1x?x2x64xf32>, tensor<1x2x64x64xf32>) {
  // expected-error @+1 {{q, k and v must be bf16 or f16 on the GPU for now}}
  %o, %s = loom.linear_attention %q, %q, %q : (tensor<1x?x2x64xf32>, tensor<1x?x2x64xf32>, tensor<1x?x2x64xf32>) -> (tensor<1x?x2x64xf32>, tensor<1x2x64x64xf32>)
  return %o, %s : tensor<1x?x2x64xf32>, tensor<1x2x64x64xf32>
}

// -----

func.func @small_k(%q: tensor<1x?x2x32xbf16>, %v: tensor<1x?x2x64xbf16>) -> (tensor<1x?x2x64xbf16>, tensor<1x2x32x64xf32>) {
  // expected-error @+1 {{the key head dim K must be 64, 128, 192 or 256 on the GPU for now (got 32)}}
  %o, %s = loom.linear_attention %q, %q, %v : (tensor<1x?x2x32xbf16>, tensor<1x?x2x32xbf16>, tensor<1x?x2x64xbf16>) -> (tensor<1x?x2x64xbf16>, tensor<1x2x32x64xf32>)
  return %o, %s : tensor<1x?x2x64xbf16>, tensor<1x2x32x64xf32>
}

// -----

func.func @other_op(%x: tensor<2x8xf32>) -> (tensor<2x4xf32>, tensor<2x4xi32>) {
  // expected-error @+1 {{has no GPU lowering yet}}
  %v, %i = loom.topk %x {k = 4} : (tensor<2x8xf32>) -> (tensor<2x4xf32>, tensor<2x4xi32>)
  return %v, %i : tensor<2x4xf32>, tensor<2x4xi32>
}

// -----

func.func @chained(%q: tensor<1x?x2x64xbf16>) -> (tensor<1x?x2x64xbf16>, tensor<1x2x64x64xf32>) {
  %o, %s = loom.linear_attention %q, %q, %q : (tensor<1x?x2x64xbf16>, tensor<1x?x2x64xbf16>, tensor<1x?x2x64xbf16>) -> (tensor<1x?x2x64xbf16>, tensor<1x2x64x64xf32>)
  // expected-error @-1 {{on the GPU, results may only be returned for now}}
  %o2, %s2 = loom.linear_attention %o, %o, %o : (tensor<1x?x2x64xbf16>, tensor<1x?x2x64xbf16>, tensor<1x?x2x64xbf16>) -> (tensor<1x?x2x64xbf16>, tensor<1x2x64x64xf32>)
  return %o2, %s2 : tensor<1x?x2x64xbf16>, tensor<1x2x64x64xf32>
}

// -----

func.func @conv_too_wide(%x: tensor<1x?x64xbf16>, %w: tensor<64x65xf32>) -> tensor<1x?x64xbf16> {
  // expected-error @+1 {{has no GPU kernel for this form: the kernel width W must be at most 64 on the GPU (got 65)}}
  %y = loom.causal_conv1d %x, %w : (tensor<1x?x64xbf16>, tensor<64x65xf32>) -> tensor<1x?x64xbf16>
  return %y : tensor<1x?x64xbf16>
}

// -----

func.func @scan_state_too_large(%u: tensor<1x4x?xbf16>, %A: tensor<4x4096xf32>, %B: tensor<1x1x4096x?xbf16>) -> (tensor<1x4x?xbf16>, tensor<1x4x4096xf32>) {
  // expected-error @+1 {{has no GPU kernel for this form: the state dim N must be at most 2048 on the GPU (got 4096)}}
  %y, %h = loom.selective_scan %u, %u, %A, %B, %B : (tensor<1x4x?xbf16>, tensor<1x4x?xbf16>, tensor<4x4096xf32>, tensor<1x1x4096x?xbf16>, tensor<1x1x4096x?xbf16>) -> (tensor<1x4x?xbf16>, tensor<1x4x4096xf32>)
  return %y, %h : tensor<1x4x?xbf16>, tensor<1x4x4096xf32>
}

// -----

func.func @scan_state_only(%u: tensor<1x4x?xbf16>, %A: tensor<4x16xf32>, %B: tensor<1x1x16x?xbf16>) -> tensor<1x4x16xf32> {
  // expected-error @+1 {{on the GPU, the output must be returned}}
  %y, %h = loom.selective_scan %u, %u, %A, %B, %B : (tensor<1x4x?xbf16>, tensor<1x4x?xbf16>, tensor<4x16xf32>, tensor<1x1x16x?xbf16>, tensor<1x1x16x?xbf16>) -> (tensor<1x4x?xbf16>, tensor<1x4x16xf32>)
  return %h : tensor<1x4x16xf32>
}

// -----

func.func @conv_chained(%x: tensor<1x?x4xbf16>, %w: tensor<4x4xf32>) -> tensor<1x?x4xbf16> {
  // expected-error @+1 {{on the GPU, results may only be returned for now}}
  %c = loom.causal_conv1d %x, %w : (tensor<1x?x4xbf16>, tensor<4x4xf32>) -> tensor<1x?x4xbf16>
  %y = loom.causal_conv1d %c, %w {activation = "silu"} : (tensor<1x?x4xbf16>, tensor<4x4xf32>) -> tensor<1x?x4xbf16>
  return %y : tensor<1x?x4xbf16>
}
