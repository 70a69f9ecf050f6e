// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu=value-tile=64 --canonicalize --cse | FileCheck %s
// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu --canonicalize --cse | FileCheck %s --check-prefix=AUTO

// GLA (per-key decay [B, T, H, K]) runs in the chunk kernel: the gates
// stream in as [64][K] f32 rows; per chunk each key is cumulated down the
// chunk, its block factors tabled, and barrier reductions tell each warp
// whether its block decays past what 16-bit operands hold; Q~ and F are
// written once, and the products scale fragments in registers.
// CHECK-LABEL: func.func @gla(
// CHECK-SAME:    %{{.*}}: memref<?x?x4x64xbf16>, %{{.*}}: memref<?x?x4x64xbf16>, %{{.*}}: memref<?x?x4x64xbf16>, %{{.*}}: memref<?x?x4x64xf32>,
// CHECK:         cf.assert %{{.*}}, "loom.linear_attention: dimension 1 (T) of 'decay' does not match the other operands"
// CHECK:         gpu.launch_func @loom_kernels::@gla_linear_attention_0_bv64
// CHECK:       gpu.func @gla_linear_attention_0_bv64(
// CHECK:         scf.for
// CHECK:           nvvm.cp.async.wait.group 1
// CHECK:           gpu.barrier
// Key k's running sum, one thread per key, and its tables.
// CHECK:           %[[WIDE:.*]]:4 = scf.if %{{.*}} -> (i1, i1, i1, i1) {
// CHECK-COUNT-64:    arith.addf
// CHECK:             llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"
// CHECK:             scf.yield %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : i1, i1, i1, i1
// CHECK:           } else {
// CHECK-NEXT:        scf.yield %false, %false, %false, %false
// CHECK:           nvvm.barrier #nvvm.reduction<or>
// CHECK:           nvvm.barrier #nvvm.reduction<or>
// CHECK:           nvvm.barrier #nvvm.reduction<or>
// CHECK:           nvvm.barrier #nvvm.reduction<or>
// Q~ and F, then the barrier before any warp reads them.
// CHECK:           llvm.load %{{.*}} : !llvm.ptr<3> -> vector<4xf32>
// CHECK:           llvm.store %{{.*}} : vector<4xi32>, !llvm.ptr<3>
// CHECK:           gpu.barrier
// P: four key blocks per k step, the A fragment scaled for each.
// CHECK:           llvm.load %{{.*}} : !llvm.ptr<3> -> vector<2xf32>
// CHECK:           nvvm.mma.sync
// The exact diagonal block, for the warp whose block decays too far.
// CHECK:           scf.if %{{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32) {
// CHECK:             scf.for %{{.*}} = %c0_i64 to %c64_i64 step %c2_i64 iter_args(
// CHECK:               llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"
// CHECK:           } else {
// CHECK:           scf.if %{{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32) {
// CHECK:           scf.if %{{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32) {
// CHECK:           scf.if %{{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32) {
// CHECK:           gpu.barrier
// CHECK:           scf.yield
// The default build: one kernel per value tile, each within sm_90's
// shared memory.
// AUTO-LABEL: func.func @gla(
// AUTO:         gpu.launch_func @loom_kernels::@gla_linear_attention_0_bv64 {{.*}} dynamic_shared_memory_size %c123392_i32
// AUTO:         gpu.launch_func @loom_kernels::@gla_linear_attention_0_bv32
// AUTO:         gpu.launch_func @loom_kernels::@gla_linear_attention_0_bv16
func.func @gla(%q: tensor<?x?x4x64xbf16>, %k: tensor<?x?x4x64xbf16>, %v: tensor<?x?x4x64xbf16>, %g: tensor<?x?x4x64xf32>) -> (tensor<?x?x4x64xbf16>, tensor<?x4x64x64xf32>) {
  %o, %s = loom.linear_attention %q, %k, %v decay %g : (tensor<?x?x4x64xbf16>, tensor<?x?x4x64xbf16>, tensor<?x?x4x64xbf16>, tensor<?x?x4x64xf32>) -> (tensor<?x?x4x64xbf16>, tensor<?x4x64x64xf32>)
  return %o, %s : tensor<?x?x4x64xbf16>, tensor<?x4x64x64xf32>
}
