// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu --canonicalize --cse | FileCheck %s
// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu=value-tile=64 --canonicalize --cse | FileCheck %s --check-prefix=FIXED
// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu=max-shared-bytes=110000 | FileCheck %s --check-prefix=SMALL

// Simple GLA becomes a launch plan on buffers (results are trailing
// arguments) and one fused kernel: cp.async staging, ldmatrix + mma.sync
// for the chunk products, the state carried through the chunk loop.
// CHECK-LABEL: func.func @simple_gla(
// CHECK-SAME:    %[[Q:.*]]: memref<?x?x4x128xbf16>, %{{.*}}: memref<?x?x4x128xbf16>, %{{.*}}: memref<?x?x4x128xbf16>, %{{.*}}: memref<?x?x4xf32>, %[[O:.*]]: memref<?x?x4x128xbf16>, %[[S:.*]]: memref<?x4x128x128xf32>)
// CHECK-SAME:    attributes {loom.result_count = 2 : i64}
// CHECK:         %[[B:.*]] = memref.dim %[[Q]], %c0
// CHECK:         %[[T:.*]] = memref.dim %[[Q]], %c1
// CHECK:         cf.assert %{{.*}}, "loom.linear_attention: dimension 1 (T) of 'v' does not match the other operands"
// CHECK:         cf.assert %{{.*}}, "loom.linear_attention: dimension 1 (T) of 'decay' does not match the other operands"
// CHECK:         %[[OT:.*]] = memref.dim %[[O]], %c1
// CHECK:         %[[EQ:.*]] = arith.cmpi eq, %[[OT]], %[[T]]
// CHECK:         cf.assert %[[EQ]], "result 0 dim 1"
// By default one kernel per value tile; the plan takes the widest whose
// grid still fills the GPU's multiprocessors.
// CHECK:         %[[BH:.*]] = arith.muli %[[B]], %c4
// CHECK:         %[[SMS:.*]] = call @loom_multiprocessor_count() : () -> index
// CHECK:         %[[CTAS:.*]] = arith.muli %[[B]], %c8
// CHECK:         %[[FILLS:.*]] = arith.cmpi uge, %[[CTAS]], %{{.*}}
// CHECK:         scf.if %[[FILLS]] {
// CHECK:           gpu.launch_func @loom_kernels::@simple_gla_linear_attention_0_bv64 blocks in (%[[BH]], %c2, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %{{.*}} args(
// CHECK:         } else {
// CHECK:           scf.if
// CHECK:             gpu.launch_func @loom_kernels::@simple_gla_linear_attention_0_bv32 blocks in (%[[BH]], %c4, %c1)
// CHECK:           } else {
// CHECK:             gpu.launch_func @loom_kernels::@simple_gla_linear_attention_0_bv16 blocks in (%[[BH]], %c8, %c1)
// FIXED-LABEL: func.func @simple_gla(
// FIXED-NOT:     scf.if
// FIXED:         gpu.launch_func @loom_kernels::@simple_gla_linear_attention_0_bv64 blocks in (%{{.*}}, %c2, %c1)
// FIXED-NOT:     gpu.launch_func
// FIXED:         gpu.module @loom_kernels
// FIXED-LABEL: func.func @grouped(
// Value tiles whose kernel exceeds the target's shared memory are left out
// of the launch-time choice (116496 bytes at 64 columns here).
// SMALL-LABEL: func.func @simple_gla(
// SMALL-NOT:     @simple_gla_linear_attention_0_bv64
// SMALL:         gpu.launch_func @loom_kernels::@simple_gla_linear_attention_0_bv32
// SMALL:         gpu.launch_func @loom_kernels::@simple_gla_linear_attention_0_bv16
// SMALL-LABEL: func.func @grouped(
// CHECK:       gpu.module @loom_kernels
// CHECK:         llvm.mlir.global external @__loom_dynamic_smem() {addr_space = 3 : i32, alignment = 16 : i64}
// CHECK:         gpu.func @simple_gla_linear_attention_0_bv{{[0-9]+}}(%{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64) kernel attributes {known_block_size = array<i32: 128, 1, 1>{{.*}}}
// CHECK:           nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 16, cache = cg
// CHECK:           nvvm.cp.async.commit.group
// CHECK:           scf.for
// CHECK:             nvvm.cp.async.wait.group 1
// CHECK:             gpu.shuffle up
// CHECK:             llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"
// CHECK:             nvvm.ldmatrix {{.*}} layout = #nvvm.mma_layout<row>, num = 4
// CHECK:             nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>}
// CHECK:             nvvm.ldmatrix {{.*}} layout = #nvvm.mma_layout<col>, num = 4
// CHECK:             scf.yield
// CHECK:           gpu.return
module {
  func.func @simple_gla(%q: tensor<?x?x4x128xbf16>, %k: tensor<?x?x4x128xbf16>, %v: tensor<?x?x4x128xbf16>, %g: tensor<?x?x4xf32>) -> (tensor<?x?x4x128xbf16>, tensor<?x4x128x128xf32>) {
    %o, %s = loom.linear_attention %q, %k, %v decay %g : (tensor<?x?x4x128xbf16>, tensor<?x?x4x128xbf16>, tensor<?x?x4x128xbf16>, tensor<?x?x4xf32>) -> (tensor<?x?x4x128xbf16>, tensor<?x4x128x128xf32>)
    return %o, %s : tensor<?x?x4x128xbf16>, tensor<?x4x128x128xf32>
  }
}

// -----

// Plain linear attention in f16 with grouped heads and an initial state:
// no decay stage; mma.sync on f16 pairs; a final state that is not returned
// gets a null pointer, which the kernel skips.
// CHECK-LABEL: func.func @grouped(
// CHECK-SAME:    %{{.*}}: memref<2x?x2x64xf16>, %{{.*}}: memref<2x?x2x64xf16>, %{{.*}}: memref<2x?x4x64xf16>, %{{.*}}: memref<2x4x64x64xf32>, %{{.*}}: memref<2x?x4x64xf16>)
// CHECK-SAME:    attributes {loom.result_count = 1 : i64}
// CHECK:         %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr<1>
// CHECK:         gpu.launch_func @loom_kernels::@grouped_linear_attention_0_bv64 blocks in (%c8, %c1, %c1)
// CHECK-SAME:      %[[NULL]] : !llvm.ptr<1>
// CHECK:         gpu.func @grouped_linear_attention_0_bv
// CHECK-NOT:       gpu.shuffle
// CHECK:           nvvm.mma.sync {{.*}} : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>
module {
  func.func @grouped(%q: tensor<2x?x2x64xf16>, %k: tensor<2x?x2x64xf16>, %v: tensor<2x?x4x64xf16>, %s0: tensor<2x4x64x64xf32>) -> tensor<2x?x4x64xf16> {
    %o, %s = loom.linear_attention %q, %k, %v initial_state %s0 : (tensor<2x?x2x64xf16>, tensor<2x?x2x64xf16>, tensor<2x?x4x64xf16>, tensor<2x4x64x64xf32>) -> (tensor<2x?x4x64xf16>, tensor<2x4x64x64xf32>)
    return %o : tensor<2x?x4x64xf16>
  }
}
