// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu --canonicalize --cse | FileCheck %s

// Mamba1 with every optional operand, G = 2 groups, f32 delta: a warp per
// (batch, channel) row, 4 rows per CTA, N carries per warp in shared
// memory. L is dynamic, so the plan picks at launch between the variant
// that reads rows as 16-byte vectors (L % 8 == 0) and the one that does not.
// CHECK-LABEL: func.func @mamba1(
// CHECK-SAME:    %[[U:[^:]*]]: memref<?x64x?xbf16>, %[[DT:[^:]*]]: memref<?x64x?xf32>, %[[A:[^:]*]]: memref<64x16xf32>, %[[BM:[^:]*]]: memref<?x2x16x?xbf16>, %[[CM:[^:]*]]: memref<?x2x16x?xbf16>, %[[D:[^:]*]]: memref<64xf32>, %[[Z:[^:]*]]: memref<?x64x?xbf16>, %[[DB:[^:]*]]: memref<64xf32>, %[[H0:[^:]*]]: memref<?x64x16xf32>, %[[Y:[^:]*]]: memref<?x64x?xbf16>, %[[H:[^:]*]]: memref<?x64x16xf32>)
// CHECK-DAG:     %[[B:.*]] = memref.dim %[[U]], %c0
// CHECK-DAG:     %[[L:.*]] = memref.dim %[[U]], %c2
// CHECK:         cf.assert %{{.*}}, "loom.selective_scan: dimension 2 (L) of 'delta' does not match the other operands"
// CHECK:         cf.assert %{{.*}}, "loom.selective_scan: dimension 3 (L) of 'B' does not match the other operands"
// CHECK:         cf.assert %{{.*}}, "loom.selective_scan: dimension 3 (L) of 'C' does not match the other operands"
// CHECK:         cf.assert %{{.*}}, "loom.selective_scan: dimension 2 (L) of 'z' does not match the other operands"
// CHECK:         cf.assert %{{.*}}, "loom.selective_scan: dimension 0 (B) of 'initial_state' does not match the other operands"
// CHECK:         cf.assert %{{.*}}, "result 0 dim 0"
// CHECK:         cf.assert %{{.*}}, "result 0 dim 2"
// CHECK:         cf.assert %{{.*}}, "result 1 dim 0"
// CHECK:         memref.extract_aligned_pointer_as_index %[[H0]]
// CHECK:         %[[ROWS:.*]] = arith.muli %[[B]], %c64
// CHECK:         memref.extract_aligned_pointer_as_index %[[H]]
// CHECK:         %[[CTAS:.*]] = arith.ceildivui %[[ROWS]], %c4
// CHECK:         %[[REM:.*]] = arith.remui %[[L]], %c8
// CHECK:         %[[EVEN:.*]] = arith.cmpi eq, %[[REM]], %c0
// CHECK:         scf.if %[[EVEN]] {
// CHECK:           gpu.launch_func @loom_kernels::@mamba1_selective_scan_0_aligned blocks in (%[[CTAS]], %c1, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c256_i32 args({{.*}} : !llvm.ptr<1>, {{.*}} : i64, %{{.*}} : i64)
// CHECK:         } else {
// CHECK:           gpu.launch_func @loom_kernels::@mamba1_selective_scan_0_unaligned blocks in (%[[CTAS]], %c1, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c256_i32
// CHECK:       gpu.func @mamba1_selective_scan_0_aligned(%{{.*}}: !llvm.ptr<1>, {{.*}}, %arg10: !llvm.ptr<1>, %[[LK:.*]]: i64, %[[ROWSK:.*]]: i64) kernel attributes {known_block_size = array<i32: 128, 1, 1>, nvvm.minctasm = 4 : i32}
// CHECK:         %[[ROW:.*]] = arith.addi %{{.*}}, %{{.*}} : i64
// CHECK:         %[[ACTIVE:.*]] = arith.cmpi ult, %[[ROW]], %[[ROWSK]]
// CHECK:         scf.if %[[ACTIVE]] {
// The initial state into the warp's carries.
// CHECK:           llvm.store %{{.*}} : f32, !llvm.ptr<3>
// CHECK:           nvvm.bar.warp.sync
// CHECK:           scf.for
// Per chunk: u (bf16) and delta (f32) as vectors, dt + bias, softplus.
// CHECK:             llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<1> -> vector<8xbf16>
// CHECK:             llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<1> -> vector<4xf32>
// CHECK:             llvm.call_intrinsic "llvm.nvvm.lg2.approx.ftz.f"
// The state loop carries y and the prefetched B and C.
// CHECK:             scf.for %{{.*}} = %c0_i64 to %c16_i64 step %c1_i64 iter_args({{.*}}) -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
// CHECK:               llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"
// CHECK-COUNT-10:      gpu.shuffle up
// CHECK:               llvm.load %{{.*}} : !llvm.ptr<3> -> f32
// CHECK:               gpu.shuffle up
// Every lane's read of the carry is ordered before lane 0 overwrites it.
// CHECK:               gpu.shuffle idx %{{.*}}, %c31_i32, %c32_i32
// CHECK-NEXT:          nvvm.bar.warp.sync
// CHECK:               llvm.store %{{.*}} : f32, !llvm.ptr<3>
// D, z and the 16-byte store of y.
// CHECK:             llvm.call_intrinsic "llvm.nvvm.rcp.approx.ftz.f"
// CHECK:             llvm.store %{{.*}} {alignment = 16 : i64} : vector<8xbf16>, !llvm.ptr<1>
// CHECK:             nvvm.bar.warp.sync
// CHECK:           llvm.icmp "ne" %arg10
// CHECK:       gpu.func @mamba1_selective_scan_0_unaligned(
// CHECK-NOT:     vector<8xbf16>
// CHECK:         llvm.store %{{.*}} {alignment = 2 : i64} : bf16, !llvm.ptr<1>
func.func @mamba1(%u: tensor<?x64x?xbf16>, %dt: tensor<?x64x?xf32>, %A: tensor<64x16xf32>, %B: tensor<?x2x16x?xbf16>, %C: tensor<?x2x16x?xbf16>, %D: tensor<64xf32>, %z: tensor<?x64x?xbf16>, %db: tensor<64xf32>, %h0: tensor<?x64x16xf32>) -> (tensor<?x64x?xbf16>, tensor<?x64x16xf32>) {
  %y, %h = loom.selective_scan %u, %dt, %A, %B, %C D %D z %z delta_bias %db initial_state %h0 {delta_softplus} : (tensor<?x64x?xbf16>, tensor<?x64x?xf32>, tensor<64x16xf32>, tensor<?x2x16x?xbf16>, tensor<?x2x16x?xbf16>, tensor<64xf32>, tensor<?x64x?xbf16>, tensor<64xf32>, tensor<?x64x16xf32>) -> (tensor<?x64x?xbf16>, tensor<?x64x16xf32>)
  return %y, %h : tensor<?x64x?xbf16>, tensor<?x64x16xf32>
}

// -----

// f32, N = 256, no optional operand, a static L = 100 (one variant), and
// the final state not returned: the kernel gets a null pointer for it.
// CHECK-LABEL: func.func @plain_f32(
// CHECK-SAME:    %{{.*}}: memref<2x24x100xf32>, %{{.*}}: memref<24x256xf32>, %{{.*}}: memref<2x1x256x100xf32>, %{{.*}}: memref<2x24x100xf32>)
// CHECK:         %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr<1>
// CHECK-NOT:     scf.if
// CHECK:         gpu.launch_func @loom_kernels::@plain_f32_selective_scan_0_unaligned blocks in (%c12, %c1, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c4096_i32 args(%{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %[[NULL]] : !llvm.ptr<1>, %c100_i64 : i64, %c48_i64 : i64)
// CHECK-NOT:   gpu.func @plain_f32_selective_scan_0_aligned
// CHECK:       gpu.func @plain_f32_selective_scan_0_unaligned(
// CHECK:         scf.for %{{.*}} = %c0_i64 to %c256_i64
func.func @plain_f32(%u: tensor<2x24x100xf32>, %A: tensor<24x256xf32>, %B: tensor<2x1x256x100xf32>) -> tensor<2x24x100xf32> {
  %y, %h = loom.selective_scan %u, %u, %A, %B, %B : (tensor<2x24x100xf32>, tensor<2x24x100xf32>, tensor<24x256xf32>, tensor<2x1x256x100xf32>, tensor<2x1x256x100xf32>) -> (tensor<2x24x100xf32>, tensor<2x24x256xf32>)
  return %y : tensor<2x24x100xf32>
}

// -----

// f16 u and delta, B f16 and C bf16 (each read with its own type), one
// channel per group, static L = 64: the vector variant only.
// CHECK-LABEL: func.func @mixed_types(
// CHECK:         gpu.launch_func @loom_kernels::@mixed_types_selective_scan_0_aligned
// CHECK-NOT:   gpu.func @mixed_types_selective_scan_0_unaligned
// CHECK:       gpu.func @mixed_types_selective_scan_0_aligned(
// CHECK:         llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<1> -> vector<8xf16>
// CHECK:         llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<1> -> vector<8xbf16>
func.func @mixed_types(%u: tensor<?x8x64xf16>, %A: tensor<8x4xf32>, %B: tensor<?x8x4x64xf16>, %C: tensor<?x8x4x64xbf16>) -> (tensor<?x8x64xf16>, tensor<?x8x4xf32>) {
  %y, %h = loom.selective_scan %u, %u, %A, %B, %C : (tensor<?x8x64xf16>, tensor<?x8x64xf16>, tensor<8x4xf32>, tensor<?x8x4x64xf16>, tensor<?x8x4x64xbf16>) -> (tensor<?x8x64xf16>, tensor<?x8x4xf32>)
  return %y, %h : tensor<?x8x64xf16>, tensor<?x8x4xf32>
}
