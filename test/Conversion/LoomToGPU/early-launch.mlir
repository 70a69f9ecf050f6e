// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu | FileCheck %s
// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu=early-launch=0 | FileCheck %s --check-prefix=SERIAL

// A call's kernels may launch early (programmatic dependent launch): every
// launch is marked for the manifest, and every kernel first lets the next
// kernel launch and then waits for the previous one, before it reads or
// writes anything. Here the split plan's three kernels (local states,
// combine, segments) for a long sequence, and the fused kernel of each
// value tile.
// CHECK-LABEL: func.func @simple_gla(
// CHECK-COUNT-6: gpu.launch_func {{.*}} {loom.early_launch}
// CHECK-NOT:     gpu.launch_func
// CHECK:       gpu.module @loom_kernels
// CHECK:         gpu.func @simple_gla_linear_attention_0_bv64_states(
// CHECK-NEXT:      nvvm.griddepcontrol launch_dependents
// CHECK-NEXT:      nvvm.griddepcontrol wait
// CHECK:         gpu.func @simple_gla_linear_attention_0_combine(
// CHECK-NEXT:      nvvm.griddepcontrol launch_dependents
// CHECK-NEXT:      nvvm.griddepcontrol wait
// CHECK:         gpu.func @simple_gla_linear_attention_0_bv64_segments(
// CHECK-NEXT:      nvvm.griddepcontrol launch_dependents
// CHECK-NEXT:      nvvm.griddepcontrol wait
// CHECK:         gpu.func @simple_gla_linear_attention_0_bv64(
// CHECK-NEXT:      nvvm.griddepcontrol launch_dependents
// CHECK-NEXT:      nvvm.griddepcontrol wait
// CHECK:         gpu.func @simple_gla_linear_attention_0_bv32(
// CHECK-NEXT:      nvvm.griddepcontrol launch_dependents
// CHECK-NEXT:      nvvm.griddepcontrol wait
// CHECK:         gpu.func @simple_gla_linear_attention_0_bv16(
// CHECK-NEXT:      nvvm.griddepcontrol launch_dependents
// CHECK-NEXT:      nvvm.griddepcontrol wait

// Without early launches neither the mark nor the instructions.
// SERIAL-LABEL: func.func @simple_gla(
// SERIAL-NOT:   loom.early_launch
// SERIAL-NOT:   griddepcontrol
module {
  func.func @simple_gla(%q: tensor<1x?x4x128xbf16>, %k: tensor<1x?x4x128xbf16>, %v: tensor<1x?x4x128xbf16>, %g: tensor<1x?x4xf32>) -> (tensor<1x?x4x128xbf16>, tensor<1x4x128x128xf32>) {
    %o, %s = loom.linear_attention %q, %k, %v decay %g : (tensor<1x?x4x128xbf16>, tensor<1x?x4x128xbf16>, tensor<1x?x4x128xbf16>, tensor<1x?x4xf32>) -> (tensor<1x?x4x128xbf16>, tensor<1x4x128x128xf32>)
    return %o, %s : tensor<1x?x4x128xbf16>, tensor<1x4x128x128xf32>
  }
}
