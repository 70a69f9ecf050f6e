// RUN: loom-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-loom-to-loops))' | FileCheck %s

// The recurrence walks sequences, heads and tokens; the state lives in an
// f32 scratch buffer; operands are read through read-only buffers; dynamic
// sizes that must agree are checked at run time.
// CHECK-LABEL: func.func @gated_delta_rule
// CHECK-NOT:     loom.
// CHECK:         bufferization.to_buffer %{{.*}} read_only : tensor<1x?x2x16xbf16> to memref<1x?x2x16xbf16, strided<[?, ?, ?, ?], offset: ?>>
// CHECK:         cf.assert %{{.*}}, "loom.linear_attention: dimension 1 (T) of 'k' does not match the other operands"
// CHECK:         %[[OUT:.*]] = memref.alloc(%{{.*}}) : memref<1x?x4x16xbf16>
// CHECK:         %[[STATE:.*]] = memref.alloc() : memref<1x4x16x16xf32>
// CHECK:         memref.alloc() : memref<16x16xf32>
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               math.sqrt
// CHECK:               math.exp
// CHECK:               arith.truncf %{{.*}} : f32 to bf16
// CHECK:               memref.store %{{.*}}, %[[OUT]]
// CHECK:         memref.store %{{.*}}, %[[STATE]]
// CHECK:         bufferization.to_tensor %[[OUT]] restrict writable
// CHECK:         bufferization.to_tensor %[[STATE]] restrict writable
func.func @gated_delta_rule(%q: tensor<1x?x2x16xbf16>, %k: tensor<1x?x2x16xbf16>, %v: tensor<1x?x4x16xbf16>, %g: tensor<1x?x4xf32>, %b: tensor<1x?x4xf32>) -> (tensor<1x?x4x16xbf16>, tensor<1x4x16x16xf32>) {
  %o, %s = loom.linear_attention %q, %k, %v decay %g beta %b {qk_l2norm} : (tensor<1x?x2x16xbf16>, tensor<1x?x2x16xbf16>, tensor<1x?x4x16xbf16>, tensor<1x?x4xf32>, tensor<1x?x4xf32>) -> (tensor<1x?x4x16xbf16>, tensor<1x4x16x16xf32>)
  return %o, %s : tensor<1x?x4x16xbf16>, tensor<1x4x16x16xf32>
}

// -----

// A final state without uses is never written: no buffer of its type.
// CHECK-LABEL: func.func @unused_state
// CHECK-NOT:     memref<2x4x16x16xf32>
// CHECK:         return
func.func @unused_state(%q: tensor<2x8x4x16xf32>) -> tensor<2x8x4x16xf32> {
  %o, %s = loom.linear_attention %q, %q, %q : (tensor<2x8x4x16xf32>, tensor<2x8x4x16xf32>, tensor<2x8x4x16xf32>) -> (tensor<2x8x4x16xf32>, tensor<2x4x16x16xf32>)
  return %o : tensor<2x8x4x16xf32>
}

// -----

// Varlen: cu_seqlens is validated before the sequences are walked.
// CHECK-LABEL: func.func @varlen_ssd
// CHECK:         cf.assert %{{.*}}, "loom.ssd: with cu_seqlens the batch size must be 1"
// CHECK:         cf.assert %{{.*}}, "loom.ssd: cu_seqlens must start at 0"
// CHECK:         cf.assert %{{.*}}, "loom.ssd: cu_seqlens must be non-decreasing"
// CHECK:         cf.assert %{{.*}}, "loom.ssd: the last cu_seqlens offset must equal T"
// CHECK:         cf.assert %{{.*}}, "loom.ssd: the leading dimension of 'initial_state' does not match Nseq"
// CHECK:         math.log1p
func.func @varlen_ssd(%x: tensor<1x?x4x8xf32>, %dt: tensor<1x?x4xf32>, %A: tensor<4xf32>, %B: tensor<1x?x1x6xf32>, %h0: tensor<?x4x8x6xf32>, %cu: tensor<?xi64>) -> (tensor<1x?x4x8xf32>, tensor<?x4x8x6xf32>) {
  %y, %h = loom.ssd %x, %dt, %A, %B, %B initial_state %h0 cu_seqlens %cu {dt_softplus} : (tensor<1x?x4x8xf32>, tensor<1x?x4xf32>, tensor<4xf32>, tensor<1x?x1x6xf32>, tensor<1x?x1x6xf32>, tensor<?x4x8x6xf32>, tensor<?xi64>) -> (tensor<1x?x4x8xf32>, tensor<?x4x8x6xf32>)
  return %y, %h : tensor<1x?x4x8xf32>, tensor<?x4x8x6xf32>
}

// -----

// Sparse attention checks every index against S and skips negative slots.
// CHECK-LABEL: func.func @sparse_attention
// CHECK:         cf.assert %{{.*}}, "loom.sparse_attention: an index is >= S, the number of keys"
// CHECK:         scf.if
// CHECK:         arith.maximumf
// CHECK:         math.exp
func.func @sparse_attention(%q: tensor<1x8x4x16xf32>, %k: tensor<1x?x2x16xf32>, %v: tensor<1x?x2x8xf32>, %idx: tensor<1x8x3xi32>) -> tensor<1x8x4x8xf32> {
  %o = loom.sparse_attention %q, %k, %v, %idx : (tensor<1x8x4x16xf32>, tensor<1x?x2x16xf32>, tensor<1x?x2x8xf32>, tensor<1x8x3xi32>) -> tensor<1x8x4x8xf32>
  return %o : tensor<1x8x4x8xf32>
}

// -----

// Dispatch: histogram, scan, stable scatter; indices are range-checked.
// CHECK-LABEL: func.func @dispatch
// CHECK:         cf.assert %{{.*}}, "loom.moe_dispatch: an expert index is outside [0, E)"
// CHECK:         memref.alloc() : memref<5xi32>
// CHECK:         memref.alloc() : memref<4xindex>
func.func @dispatch(%x: tensor<?x5xbf16>, %idx: tensor<?x2xi32>) -> (tensor<?x5xbf16>, tensor<?xi32>, tensor<5xi32>) {
  %xs, %perm, %offs = loom.moe_dispatch %x, %idx {num_experts = 4} : (tensor<?x5xbf16>, tensor<?x2xi32>) -> (tensor<?x5xbf16>, tensor<?xi32>, tensor<5xi32>)
  return %xs, %perm, %offs : tensor<?x5xbf16>, tensor<?xi32>, tensor<5xi32>
}
