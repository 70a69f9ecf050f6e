// RUN: loom-opt %s -verify-diagnostics --convert-loom-to-gpu=max-shared-bytes=166912

// sm_80's 163 KB per CTA (what loom-to-nvvm{chip=sm_80} passes) holds no
// GLA kernel at K = 128, even at 16 value columns: refused by name.
func.func @gla(%q: tensor<1x?x2x128xbf16>, %v: tensor<1x?x2x128xbf16>, %g: tensor<1x?x2x128xf32>) -> (tensor<1x?x2x128xbf16>, tensor<1x2x128x128xf32>) {
  // expected-error @+1 {{its kernel needs 197632 bytes of shared memory per CTA at 16 value columns, more than the target's 166912}}
  %o, %s = loom.linear_attention %q, %q, %v decay %g : (tensor<1x?x2x128xbf16>, tensor<1x?x2x128xbf16>, tensor<1x?x2x128xbf16>, tensor<1x?x2x128xf32>) -> (tensor<1x?x2x128xbf16>, tensor<1x2x128x128xf32>)
  return %o, %s : tensor<1x?x2x128xbf16>, tensor<1x2x128x128xf32>
}
