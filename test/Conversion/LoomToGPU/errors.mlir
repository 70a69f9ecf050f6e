// RUN: loom-opt %s -split-input-file -verify-diagnostics --convert-loom-to-gpu

// Neither kernel: the chunk kernel's key tiles stop at 256, the
// token-by-token kernel's registers at 512 keys.
func.func @huge_k(%q: tensor<1x?x2x1024xf32>, %v: tensor<1x?x2x64xf32>) -> (tensor<1x?x2x64xf32>, tensor<1x2x1024x64xf32>) {
  // expected-error @+1 {{has no GPU kernel for this form: the chunk kernel takes q, k and v in bf16 or f16; nor by token: the key head dim K must be at most 512 on the GPU (got 1024)}}
  %o, %s = loom.linear_attention %q, %q, %v : (tensor<1x?x2x1024xf32>, tensor<1x?x2x1024xf32>, tensor<1x?x2x64xf32>) -> (tensor<1x?x2x64xf32>, tensor<1x2x1024x64xf32>)
  return %o, %s : tensor<1x?x2x64xf32>, tensor<1x2x1024x64xf32>
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
