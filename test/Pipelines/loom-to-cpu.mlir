// RUN: loom-opt %s --pass-pipeline='builtin.module(loom-to-cpu{reference=true})' | FileCheck %s

// The whole CPU pipeline ends in the LLVM dialect: no loom, tensor, memref,
// scf or cf.assert left; run-time checks call the host's handler; bf16
// conversions are expanded into integer ops (no __truncsfbf2 calls).
// CHECK-DAG:   llvm.func @loom_runtime_error(!llvm.ptr)
// CHECK-DAG:   llvm.mlir.global private constant @loom_check_{{[0-9]+}}("loom.linear_attention: dimension 1 (T) of 'k' does not match the other operands\00")
// CHECK:       llvm.func @main(
// CHECK-NOT:   = loom.
// CHECK-NOT:   tensor.
// CHECK-NOT:   memref.
// CHECK-NOT:   scf.
// CHECK-NOT:   cf.assert
// CHECK-NOT:   __truncsfbf2
// CHECK:       llvm.call @loom_runtime_error
// CHECK:       llvm.unreachable
func.func @main(%q: tensor<1x?x2x16xbf16>, %k: tensor<1x?x2x16xbf16>, %v: tensor<1x?x4x16xbf16>, %g: tensor<1x?x4x16xf32>) -> (tensor<1x?x4x16xbf16>, tensor<1x4x16x16xf32>) {
  %o, %s = loom.linear_attention %q, %k, %v decay %g : (tensor<1x?x2x16xbf16>, tensor<1x?x2x16xbf16>, tensor<1x?x4x16xbf16>, tensor<1x?x4x16xf32>) -> (tensor<1x?x4x16xbf16>, tensor<1x4x16x16xf32>)
  return %o, %s : tensor<1x?x4x16xbf16>, tensor<1x4x16x16xf32>
}
