// RUN: loom-opt %s --convert-loom-to-gpu=value-tile=64 --canonicalize --cse | FileCheck %s

// Mamba2's SSD runs on the linear-attention kernel with C as q, B as k and
// x as v; dt, A, D, z and dt_bias follow in that order; the state is [P, N].
// CHECK-LABEL: func.func @mamba2(
// CHECK-SAME:    %[[X:[^:]*]]: memref<?x?x8x64xbf16>, %[[DT:[^:]*]]: memref<?x?x8xf32>, %[[A:[^:]*]]: memref<8xf32>, %[[BM:[^:]*]]: memref<?x?x1x128xbf16>, %[[CM:[^:]*]]: memref<?x?x1x128xbf16>, %[[D:[^:]*]]: memref<8xf32>, %[[Z:[^:]*]]: memref<?x?x8x64xbf16>, %[[DB:[^:]*]]: memref<8xf32>, %[[Y:[^:]*]]: memref<?x?x8x64xbf16>, %[[H:[^:]*]]: memref<?x8x64x128xf32>)
// CHECK:         cf.assert %{{.*}}, "loom.ssd: dimension 1 (T) of 'z' does not match the other operands"
// CHECK-DAG:     memref.extract_aligned_pointer_as_index %[[CM]]
// CHECK-DAG:     memref.extract_aligned_pointer_as_index %[[Z]]
// CHECK:         gpu.launch_func @loom_kernels::@mamba2_ssd_0_bv64 blocks in (%{{.*}}, %c1, %c1) threads in (%c128, %c1, %c1)
// CHECK:         gpu.func @mamba2_ssd_0_bv64(%arg0: !llvm.ptr<1>, {{.*}}, %arg9: !llvm.ptr<1>, %arg10: i64, %arg11: i64, %arg12: i64)
// CHECK:           llvm.call_intrinsic "llvm.nvvm.lg2.approx.ftz.f"
// CHECK:           arith.divf
func.func @mamba2(%x: tensor<?x?x8x64xbf16>, %dt: tensor<?x?x8xf32>, %A: tensor<8xf32>, %B: tensor<?x?x1x128xbf16>, %C: tensor<?x?x1x128xbf16>, %D: tensor<8xf32>, %z: tensor<?x?x8x64xbf16>, %db: tensor<8xf32>) -> (tensor<?x?x8x64xbf16>, tensor<?x8x64x128xf32>) {
  %y, %h = loom.ssd %x, %dt, %A, %B, %C D %D z %z dt_bias %db {dt_softplus} : (tensor<?x?x8x64xbf16>, tensor<?x?x8xf32>, tensor<8xf32>, tensor<?x?x1x128xbf16>, tensor<?x?x1x128xbf16>, tensor<8xf32>, tensor<?x?x8x64xbf16>, tensor<8xf32>) -> (tensor<?x?x8x64xbf16>, tensor<?x8x64x128xf32>)
  return %y, %h : tensor<?x?x8x64xbf16>, tensor<?x8x64x128xf32>
}
