// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu --canonicalize --cse | FileCheck %s
// RUN: not loom-opt %s -split-input-file --convert-loom-to-gpu=value-tile=64 2>&1 | FileCheck %s --check-prefix=WIDE
// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu=max-shared-bytes=166912 --canonicalize --cse | FileCheck %s --check-prefix=SM80

// K = 192: a row of q or k is 24 16-byte segments, which 128 threads do
// not split into whole rows, so the copies take three patterns (threads
// t, t + 128 and t + 256 of the segment index), each stepping 16 rows a
// pass after that. Beyond K = 128 the chunk kernel stops at 32 columns
// (a 64-column state spills).
// CHECK-LABEL: func.func @wide_k(
// CHECK:         gpu.launch_func @loom_kernels::@wide_k_linear_attention_0_bv32
// CHECK:         gpu.launch_func @loom_kernels::@wide_k_linear_attention_0_bv16
// CHECK-NOT:     wide_k_linear_attention_0_bv64
// CHECK:       gpu.func @wide_k_linear_attention_0_bv32(
// CHECK:         %[[TID:.*]] = arith.index_castui %thread_id_x : index to i64
// CHECK:         arith.divui %[[TID]], %c24_i64 : i64
// CHECK-NEXT:    arith.remui %[[TID]], %c24_i64 : i64
// CHECK:         %[[SECOND:.*]] = arith.addi %[[TID]], %c128_i64 : i64
// CHECK-NEXT:    arith.divui %[[SECOND]], %c24_i64 : i64
// CHECK:         %[[THIRD:.*]] = arith.addi %[[TID]], %c256_i64 : i64
// CHECK-NEXT:    arith.divui %[[THIRD]], %c24_i64 : i64
// SM80-LABEL: func.func @wide_k(
// WIDE: error: 'loom.linear_attention' op has no GPU kernel for this form: the chunk kernel with K > 128 runs with value tiles of 16 or 32 columns (asked for 64); use value-tile=32, or 0 to choose at launch
func.func @wide_k(%q: tensor<1x?x2x192xbf16>, %v: tensor<1x?x2x128xbf16>, %g: tensor<1x?x2xf32>) -> (tensor<1x?x2x128xbf16>, tensor<1x2x192x128xf32>) {
  %o, %s = loom.linear_attention %q, %q, %v decay %g : (tensor<1x?x2x192xbf16>, tensor<1x?x2x192xbf16>, tensor<1x?x2x128xbf16>, tensor<1x?x2xf32>) -> (tensor<1x?x2x128xbf16>, tensor<1x2x192x128xf32>)
  return %o, %s : tensor<1x?x2x128xbf16>, tensor<1x2x192x128xf32>
}

// -----

// The delta rule at K = 256: the inverse pass and the loop at 32 and 16
// columns (a 64-column state spills 8 bytes beside K = 256 keys). On
// sm_80's 163 KB no loop that reads T's ring fits, so the loop solves
// each chunk inline and there is no inverse pass.
// CHECK-LABEL: func.func @wide_delta(
// CHECK:         gpu.launch_func @loom_kernels::@wide_delta_linear_attention_0_inverse
// CHECK:         gpu.launch_func @loom_kernels::@wide_delta_linear_attention_0_bv32
// CHECK:         gpu.launch_func @loom_kernels::@wide_delta_linear_attention_0_bv16
// CHECK-NOT:     wide_delta_linear_attention_0_bv64
// SM80-LABEL: func.func @wide_delta(
// SM80-NOT:      _inverse
// SM80:          gpu.launch_func @loom_kernels::@wide_delta_linear_attention_0_bv16
// SM80-NOT:      _inverse
// SM80:          gpu.func @wide_delta_linear_attention_0_bv16(
// WIDE: error: 'loom.linear_attention' op has no GPU kernel for this form: the delta rule with an initial state, K > 128 or cu_seqlens runs with value tiles of 16 or 32 columns (asked for 64)
func.func @wide_delta(%q: tensor<1x?x2x256xbf16>, %v: tensor<1x?x2x128xbf16>, %g: tensor<1x?x2xf32>, %beta: tensor<1x?x2xf32>) -> (tensor<1x?x2x128xbf16>, tensor<1x2x256x128xf32>) {
  %o, %s = loom.linear_attention %q, %q, %v decay %g beta %beta : (tensor<1x?x2x256xbf16>, tensor<1x?x2x256xbf16>, tensor<1x?x2x128xbf16>, tensor<1x?x2xf32>, tensor<1x?x2xf32>) -> (tensor<1x?x2x128xbf16>, tensor<1x2x256x128xf32>)
  return %o, %s : tensor<1x?x2x128xbf16>, tensor<1x2x256x128xf32>
}
