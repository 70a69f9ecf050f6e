// RUN: loom-opt %s --convert-loom-to-gpu=max-shared-bytes=166912 | FileCheck %s

// sm_80's 163 KB per CTA (what loom-to-nvvm{chip=sm_80} passes) holds no
// GLA chunk kernel at K = 128, even at 16 value columns (it needs 197632
// bytes): the op runs token by token instead.
// CHECK-LABEL: func.func @gla(
// CHECK:         gpu.launch_func @loom_kernels::@gla_linear_attention_0_recurrent
// CHECK-NOT:     _bv16
func.func @gla(%q: tensor<1x?x2x128xbf16>, %v: tensor<1x?x2x128xbf16>, %g: tensor<1x?x2x128xf32>) -> (tensor<1x?x2x128xbf16>, tensor<1x2x128x128xf32>) {
  %o, %s = loom.linear_attention %q, %q, %v decay %g : (tensor<1x?x2x128xbf16>, tensor<1x?x2x128xbf16>, tensor<1x?x2x128xbf16>, tensor<1x?x2x128xf32>) -> (tensor<1x?x2x128xbf16>, tensor<1x2x128x128xf32>)
  return %o, %s : tensor<1x?x2x128xbf16>, tensor<1x2x128x128xf32>
}
