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
