// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu --canonicalize --cse | FileCheck %s

// Forms the chunk kernel does not take run token by token: one launch over
// (sequences * H, ceil(V / 16)), four warps of four value columns each, no
// shared memory. KDA (per-key decay with beta): per step the state decays
// per key (ex2 of the lane's gates), S^T k and S^T q are xor-butterfly sums
// over the warp, and lane 0 stores o.
// CHECK-LABEL: func.func @kda(
// CHECK:         gpu.launch_func @loom_kernels::@kda_linear_attention_0_recurrent blocks in (%{{.*}}, %c4, %c1) threads in (%c128, %c1, %c1) args(
// CHECK-NOT:     gpu.launch_func
// CHECK:         gpu.func @kda_linear_attention_0_recurrent(
// CHECK:           scf.for
// CHECK:             llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"
// CHECK:             gpu.shuffle  xor
// CHECK:             scf.if
// CHECK:               llvm.store %{{.*}} : bf16, !llvm.ptr<1>
// CHECK:             scf.yield
func.func @kda(%q: tensor<1x?x2x64xbf16>, %v: tensor<1x?x2x64xbf16>, %g: tensor<1x?x2x64xf32>, %beta: tensor<1x?x2xf32>) -> (tensor<1x?x2x64xbf16>, tensor<1x2x64x64xf32>) {
  %o, %s = loom.linear_attention %q, %q, %v decay %g beta %beta : (tensor<1x?x2x64xbf16>, tensor<1x?x2x64xbf16>, tensor<1x?x2x64xbf16>, tensor<1x?x2x64xf32>, tensor<1x?x2xf32>) -> (tensor<1x?x2x64xbf16>, tensor<1x2x64x64xf32>)
  return %o, %s : tensor<1x?x2x64xbf16>, tensor<1x2x64x64xf32>
}

// -----

// f32 inputs (the chunk kernel's tensor-core operands are 16-bit), with
// cu_seqlens: the offsets are checked on the GPU first, as for the chunk
// kernel, and each CTA walks its segment.
// CHECK-LABEL: func.func @f32_varlen(
// CHECK:         gpu.launch_func @loom_kernels::@loom_check_cu_seqlens_linear_attention_i32
// CHECK:         gpu.launch_func @loom_kernels::@f32_varlen_linear_attention_0_recurrent blocks in (%{{.*}}, %c4, %c1)
// CHECK:         gpu.func @f32_varlen_linear_attention_0_recurrent(
// CHECK:           llvm.load %{{.*}} : !llvm.ptr<1> -> i32
// CHECK:           scf.for
// CHECK:             llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr<1> -> f32
// CHECK:             llvm.store %{{.*}} {alignment = 4 : i64} : f32, !llvm.ptr<1>
func.func @f32_varlen(%q: tensor<1x?x2x64xf32>, %v: tensor<1x?x2x64xf32>, %cu: tensor<?xi32>) -> (tensor<1x?x2x64xf32>, tensor<?x2x64x64xf32>) {
  %o, %s = loom.linear_attention %q, %q, %v cu_seqlens %cu : (tensor<1x?x2x64xf32>, tensor<1x?x2x64xf32>, tensor<1x?x2x64xf32>, tensor<?xi32>) -> (tensor<1x?x2x64xf32>, tensor<?x2x64x64xf32>)
  return %o, %s : tensor<1x?x2x64xf32>, tensor<?x2x64x64xf32>
}

// -----

// Head dims off the chunk kernel's tiles (K = 32, V = 24): a partial last
// CTA of columns.
// CHECK-LABEL: func.func @small_heads(
// CHECK:         gpu.launch_func @loom_kernels::@small_heads_linear_attention_0_recurrent blocks in (%{{.*}}, %c2, %c1)
func.func @small_heads(%q: tensor<1x?x2x32xbf16>, %v: tensor<1x?x2x24xbf16>) -> (tensor<1x?x2x24xbf16>, tensor<1x2x32x24xf32>) {
  %o, %s = loom.linear_attention %q, %q, %v : (tensor<1x?x2x32xbf16>, tensor<1x?x2x32xbf16>, tensor<1x?x2x24xbf16>) -> (tensor<1x?x2x24xbf16>, tensor<1x2x32x24xf32>)
  return %o, %s : tensor<1x?x2x24xbf16>, tensor<1x2x32x24xf32>
}

// -----

// GLA with K = 256 (the chunk kernel's per-key gates stop at 128).
// CHECK-LABEL: func.func @gla_wide_keys(
// CHECK:         gpu.launch_func @loom_kernels::@gla_wide_keys_linear_attention_0_recurrent blocks in (%{{.*}}, %c4, %c1)
func.func @gla_wide_keys(%q: tensor<1x?x2x256xbf16>, %v: tensor<1x?x2x64xbf16>, %g: tensor<1x?x2x256xf32>) -> (tensor<1x?x2x64xbf16>, tensor<1x2x256x64xf32>) {
  %o, %s = loom.linear_attention %q, %q, %v decay %g : (tensor<1x?x2x256xbf16>, tensor<1x?x2x256xbf16>, tensor<1x?x2x64xbf16>, tensor<1x?x2x256xf32>) -> (tensor<1x?x2x64xbf16>, tensor<1x2x256x64xf32>)
  return %o, %s : tensor<1x?x2x64xbf16>, tensor<1x2x256x64xf32>
}

// -----

// loom.ssd in f32 with every optional operand: dt' (bias, softplus) scales
// x and the decay, the D and z epilogue follows, the state is [P, N].
// CHECK-LABEL: func.func @ssd_f32(
// CHECK:         gpu.launch_func @loom_kernels::@ssd_f32_ssd_0_recurrent blocks in (%{{.*}}, %c4, %c1)
// CHECK:         gpu.func @ssd_f32_ssd_0_recurrent(
// CHECK:           scf.for
// CHECK:             llvm.call_intrinsic "llvm.nvvm.lg2.approx.ftz.f"
// CHECK:             gpu.shuffle  xor
// CHECK:             llvm.call_intrinsic "llvm.nvvm.rcp.approx.ftz.f"
func.func @ssd_f32(%x: tensor<1x?x4x64xf32>, %dt: tensor<1x?x4xf32>, %A: tensor<4xf32>, %B: tensor<1x?x2x64xf32>, %C: tensor<1x?x2x64xf32>, %D: tensor<4xf32>, %z: tensor<1x?x4x64xf32>, %db: tensor<4xf32>, %h0: tensor<1x4x64x64xf32>) -> (tensor<1x?x4x64xf32>, tensor<1x4x64x64xf32>) {
  %y, %h = loom.ssd %x, %dt, %A, %B, %C D %D z %z dt_bias %db initial_state %h0 {dt_softplus} : (tensor<1x?x4x64xf32>, tensor<1x?x4xf32>, tensor<4xf32>, tensor<1x?x2x64xf32>, tensor<1x?x2x64xf32>, tensor<4xf32>, tensor<1x?x4x64xf32>, tensor<4xf32>, tensor<1x4x64x64xf32>) -> (tensor<1x?x4x64xf32>, tensor<1x4x64x64xf32>)
  return %y, %h : tensor<1x?x4x64xf32>, tensor<1x4x64x64xf32>
}
