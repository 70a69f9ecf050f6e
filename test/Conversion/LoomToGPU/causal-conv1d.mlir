// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu --canonicalize --cse | FileCheck %s

// The short convolution of a Mamba / Gated DeltaNet layer: one launch over
// (time tiles, channel tiles, batch). With 256 bf16 channels a thread owns
// 8 channels (16-byte vectors), 32 threads span C and 4 runs of 16 steps
// span 64 timesteps per CTA.
// CHECK-LABEL: func.func @short_conv(
// CHECK-SAME:    %[[X:[^:]*]]: memref<?x?x256xbf16>, %[[W:[^:]*]]: memref<256x4xf32>, %[[BIAS:[^:]*]]: memref<256xf32>, %[[Y:[^:]*]]: memref<?x?x256xbf16>)
// CHECK-DAG:     %[[B:.*]] = memref.dim %[[X]], %c0
// CHECK-DAG:     %[[T:.*]] = memref.dim %[[X]], %c1
// CHECK:         cf.assert %{{.*}}, "result 0 dim 0"
// CHECK:         cf.assert %{{.*}}, "result 0 dim 1"
// CHECK:         %[[TILES:.*]] = arith.ceildivui %[[T]], %c64
// CHECK:         gpu.launch_func @loom_kernels::@short_conv_causal_conv1d_0 blocks in (%[[TILES]], %c1, %[[B]]) threads in (%c128, %c1, %c1) args(%{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %{{.*}} : i64)
// CHECK:       gpu.func @short_conv_causal_conv1d_0(%{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %[[TK:.*]]: i64) kernel attributes {known_block_size = array<i32: 128, 1, 1>}
// Weights and bias of the thread's 8 channels, then the 3-row window.
// CHECK-COUNT-10:  llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<1> -> vector<4xf32>
// CHECK-COUNT-3:   llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<1> -> vector<8xbf16>
// CHECK:           scf.for %{{.*}} iter_args({{.*}}) -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
// Four rows are loaded before the first is stored.
// CHECK-COUNT-4:     llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<1> -> vector<8xbf16>
// CHECK:             llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"
// CHECK:             llvm.call_intrinsic "llvm.nvvm.rcp.approx.ftz.f"
// CHECK:             scf.if
// CHECK:               llvm.store %{{.*}} {alignment = 16 : i64} : vector<8xbf16>, !llvm.ptr<1>
func.func @short_conv(%x: tensor<?x?x256xbf16>, %w: tensor<256x4xf32>, %b: tensor<256xf32>) -> tensor<?x?x256xbf16> {
  %y = loom.causal_conv1d %x, %w bias %b {activation = "silu"} : (tensor<?x?x256xbf16>, tensor<256x4xf32>, tensor<256xf32>) -> tensor<?x?x256xbf16>
  return %y : tensor<?x?x256xbf16>
}

// -----

// f32, C = 100: 4 channels per thread, 25 vectors per row in a CTA of 32
// channel threads, so the channel tail is checked; no bias, no activation.
// CHECK-LABEL: func.func @f32_tail(
// CHECK:         gpu.launch_func @loom_kernels::@f32_tail_causal_conv1d_0 blocks in (%{{.*}}, %c1, %c2) threads in (%c128, %c1, %c1) args(%{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %{{.*}} : i64)
// CHECK:       gpu.func @f32_tail_causal_conv1d_0(
// CHECK:         %[[VEC:.*]] = arith.addi %{{.*}}, %{{.*}} : i64
// CHECK:         scf.if
// CHECK:           %[[INSIDE:.*]] = arith.cmpi ult, %[[VEC]], %c25_i64
// CHECK:           scf.if %[[INSIDE]]
// CHECK:             scf.for
// CHECK:               llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<1> -> vector<4xf32>
// CHECK-NOT:           llvm.call_intrinsic
// CHECK:               llvm.store %{{.*}} {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr<1>
func.func @f32_tail(%x: tensor<2x?x100xf32>, %w: tensor<100x3xf32>) -> tensor<2x?x100xf32> {
  %y = loom.causal_conv1d %x, %w : (tensor<2x?x100xf32>, tensor<100x3xf32>) -> tensor<2x?x100xf32>
  return %y : tensor<2x?x100xf32>
}

// -----

// C = 33 admits no vector: one f16 channel per thread, scalar accesses.
// CHECK-LABEL: func.func @f16_odd(
// CHECK:         %[[TILES:.*]] = arith.ceildivui %{{.*}}, %c32
// CHECK:         gpu.launch_func @loom_kernels::@f16_odd_causal_conv1d_0 blocks in (%[[TILES]], %c1, %{{.*}})
// CHECK:       gpu.func @f16_odd_causal_conv1d_0(
// CHECK:         llvm.load %{{.*}} {alignment = 8 : i64} : !llvm.ptr<1> -> vector<2xf32>
// CHECK:         llvm.load %{{.*}} {alignment = 2 : i64} : !llvm.ptr<1> -> f16
// CHECK:         scf.for
// CHECK-COUNT-4:   llvm.load %{{.*}} {alignment = 2 : i64} : !llvm.ptr<1> -> f16
// CHECK:           llvm.store %{{.*}} {alignment = 2 : i64} : f16, !llvm.ptr<1>
func.func @f16_odd(%x: tensor<?x?x33xf16>, %w: tensor<33x2xf32>) -> tensor<?x?x33xf16> {
  %y = loom.causal_conv1d %x, %w {activation = "none"} : (tensor<?x?x33xf16>, tensor<33x2xf32>) -> tensor<?x?x33xf16>
  return %y : tensor<?x?x33xf16>
}

// -----

// Wide C: a CTA of 128 threads spans 1024 channels and one run of 16 steps.
// CHECK-LABEL: func.func @wide(
// CHECK:         %[[TILES:.*]] = arith.ceildivui %{{.*}}, %c16
// CHECK:         gpu.launch_func @loom_kernels::@wide_causal_conv1d_0 blocks in (%[[TILES]], %c4, %{{.*}}) threads in (%c128, %c1, %c1)
func.func @wide(%x: tensor<?x?x4096xbf16>, %w: tensor<4096x4xf32>) -> tensor<?x?x4096xbf16> {
  %y = loom.causal_conv1d %x, %w : (tensor<?x?x4096xbf16>, tensor<4096x4xf32>) -> tensor<?x?x4096xbf16>
  return %y : tensor<?x?x4096xbf16>
}

// -----

// W = 1: no window to carry between row groups.
// CHECK-LABEL: func.func @pointwise(
// CHECK:       gpu.func @pointwise_causal_conv1d_0(
// CHECK:         scf.for %{{.*}} = %c0_i64 to %{{.*}} step %c1_i64 : i64 {
func.func @pointwise(%x: tensor<?x?x64xbf16>, %w: tensor<64x1xf32>) -> tensor<?x?x64xbf16> {
  %y = loom.causal_conv1d %x, %w {activation = "silu"} : (tensor<?x?x64xbf16>, tensor<64x1xf32>) -> tensor<?x?x64xbf16>
  return %y : tensor<?x?x64xbf16>
}

// -----

// A function may hold several ops: one launch each, kernels numbered in
// order.
// CHECK-LABEL: func.func @conv_and_scan(
// CHECK:         gpu.launch_func @loom_kernels::@conv_and_scan_causal_conv1d_0
// CHECK:         gpu.launch_func @loom_kernels::@conv_and_scan_selective_scan_1_aligned
// CHECK:       gpu.func @conv_and_scan_causal_conv1d_0(
// CHECK:       gpu.func @conv_and_scan_selective_scan_1_aligned(
func.func @conv_and_scan(%x: tensor<1x64x128xbf16>, %w: tensor<128x4xf32>, %u: tensor<1x128x64xbf16>, %A: tensor<128x16xf32>, %B: tensor<1x1x16x64xbf16>) -> (tensor<1x64x128xbf16>, tensor<1x128x64xbf16>, tensor<1x128x16xf32>) {
  %c = loom.causal_conv1d %x, %w {activation = "silu"} : (tensor<1x64x128xbf16>, tensor<128x4xf32>) -> tensor<1x64x128xbf16>
  %y, %h = loom.selective_scan %u, %u, %A, %B, %B : (tensor<1x128x64xbf16>, tensor<1x128x64xbf16>, tensor<128x16xf32>, tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16>) -> (tensor<1x128x64xbf16>, tensor<1x128x16xf32>)
  return %c, %y, %h : tensor<1x64x128xbf16>, tensor<1x128x64xbf16>, tensor<1x128x16xf32>
}
