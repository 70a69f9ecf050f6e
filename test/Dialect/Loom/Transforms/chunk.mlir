// RUN: loom-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(loom-chunk{chunk-size=16},canonicalize,cse))' | FileCheck %s
// RUN: not loom-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(loom-chunk{chunk-size=0}))' 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: loom-chunk: chunk-size must be >= 1, got 0

// Gated DeltaNet: per (sequence, head) a loop over ceil(T / 16) chunks that
// carries the output and the 16x16 f32 state; the last chunk is shorter;
// within a chunk a cumulative log decay, decayed scores and the WY/UT
// triangular solve by blocked forward substitution (blocks of 16 rows, row
// by row inside a block). No recurrent op is left.
// CHECK-LABEL: func.func @gated_delta_rule
// CHECK-NOT:     = loom.
// CHECK:         %[[CHUNKS:.*]] = arith.ceildivui %{{.*}}, %c16 : index
// CHECK:         scf.for %{{.*}} = %c0 to %c4 step %c1 iter_args(
// CHECK:           scf.for %{{.*}} = %c0 to %[[CHUNKS]] step %c1 iter_args(%{{.*}} = %{{.*}}, %[[STATE:.*]] = %{{.*}}) -> (tensor<1x?x4x16xbf16>, tensor<16x16xf32>)
// CHECK:             %[[LEN:.*]] = arith.minui %{{.*}}, %c16 : index
// CHECK:             tensor.extract_slice %{{.*}} [1, %[[LEN]], 1, 16] [1, 1, 1, 1] : tensor<1x?x2x16xbf16> to tensor<?x16xbf16>
// CHECK:             math.sqrt
// CHECK:             linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK:             math.exp
// CHECK:             %[[BLOCKS:.*]] = arith.ceildivui %{{.*}}, %c16 : index
// CHECK:             scf.for %{{.*}} = %c0 to %[[BLOCKS]] step %c1 iter_args(%{{.*}}) -> (tensor<?x16xf32>)
// CHECK:               scf.for %{{.*}} = %c1 to %{{.*}} step %c1 iter_args(%{{.*}}) -> (tensor<?x16xf32>)
// CHECK:             scf.for %{{.*}} = %c0 to %{{.*}} step %c1 iter_args(%{{.*}}) -> (tensor<?x16xf32>)
// CHECK:             linalg.generic {{.*}} ins(%{{.*}}, %[[STATE]] : tensor<?x16xf32>, tensor<16x16xf32>)
// CHECK:             arith.truncf %{{.*}} : f32 to bf16
// CHECK:             tensor.insert_slice %{{.*}} [1, %[[LEN]], 1, 16] [1, 1, 1, 1] : tensor<?x16xbf16> into tensor<1x?x4x16xbf16>
// CHECK:             scf.yield %{{.*}}, %{{.*}} : tensor<1x?x4x16xbf16>, tensor<16x16xf32>
func.func @gated_delta_rule(%q: tensor<1x?x2x16xbf16>, %k: tensor<1x?x2x16xbf16>, %v: tensor<1x?x4x16xbf16>, %g: tensor<1x?x4xf32>, %b: tensor<1x?x4xf32>) -> (tensor<1x?x4x16xbf16>, tensor<1x4x16x16xf32>) {
  %o, %s = loom.linear_attention %q, %k, %v decay %g beta %b {qk_l2norm} : (tensor<1x?x2x16xbf16>, tensor<1x?x2x16xbf16>, tensor<1x?x4x16xbf16>, tensor<1x?x4xf32>, tensor<1x?x4xf32>) -> (tensor<1x?x4x16xbf16>, tensor<1x4x16x16xf32>)
  return %o, %s : tensor<1x?x4x16xbf16>, tensor<1x4x16x16xf32>
}

// -----

// Additive linear attention (no decay, no beta): no exponentials, no solve.
// CHECK-LABEL: func.func @linear_attention
// CHECK-NOT:     = loom.
// CHECK-NOT:     math.exp
// CHECK:         scf.for
// CHECK:           scf.for {{.*}} -> (tensor<2x32x2x8xf32>, tensor<8x8xf32>)
// CHECK-NOT:         scf.for
// CHECK:             scf.yield
func.func @linear_attention(%q: tensor<2x32x2x8xf32>) -> (tensor<2x32x2x8xf32>, tensor<2x2x8x8xf32>) {
  %o, %s = loom.linear_attention %q, %q, %q : (tensor<2x32x2x8xf32>, tensor<2x32x2x8xf32>, tensor<2x32x2x8xf32>) -> (tensor<2x32x2x8xf32>, tensor<2x2x8x8xf32>)
  return %o, %s : tensor<2x32x2x8xf32>, tensor<2x2x8x8xf32>
}

// -----

// GLA (per-key decay): the decay enters the C x C contraction per key,
// exp(b_ik - b_jk), as a three-loop generic; nothing exponentiates a raw
// cumulative sum of a whole sequence. The cumulative sums are f64, so their
// differences stay exact under strong decays; only the difference is
// rounded to f32.
// CHECK-LABEL: func.func @gla
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf64>, tensor<?x8xf64>)
// CHECK:           arith.subf %{{.*}}, %{{.*}} : f64
// CHECK:           arith.truncf %{{.*}} : f64 to f32
// CHECK:           math.exp
func.func @gla(%q: tensor<1x?x2x8xf32>, %g: tensor<1x?x2x8xf32>) -> tensor<1x?x2x8xf32> {
  %o, %s = loom.linear_attention %q, %q, %q decay %g : (tensor<1x?x2x8xf32>, tensor<1x?x2x8xf32>, tensor<1x?x2x8xf32>, tensor<1x?x2x8xf32>) -> (tensor<1x?x2x8xf32>, tensor<1x2x8x8xf32>)
  return %o : tensor<1x?x2x8xf32>
}

// -----

// Varlen: cu_seqlens is validated, and chunks end at sequence boundaries.
// CHECK-LABEL: func.func @varlen
// CHECK:         cf.assert %{{.*}}, "loom.linear_attention: cu_seqlens must be non-decreasing"
// CHECK:         scf.for {{.*}} -> (tensor<1x?x2x8xf32>, tensor<?x2x8x8xf32>)
// CHECK:           %[[START:.*]] = arith.index_cast
// CHECK:           %[[END:.*]] = arith.index_cast
// CHECK:           %[[LEN:.*]] = arith.subi %[[END]], %[[START]] : index
// CHECK:           arith.ceildivui %[[LEN]], %c16 : index
func.func @varlen(%q: tensor<1x?x2x8xf32>, %h0: tensor<?x2x8x8xf32>, %cu: tensor<?xi32>) -> (tensor<1x?x2x8xf32>, tensor<?x2x8x8xf32>) {
  %o, %s = loom.linear_attention %q, %q, %q initial_state %h0 cu_seqlens %cu : (tensor<1x?x2x8xf32>, tensor<1x?x2x8xf32>, tensor<1x?x2x8xf32>, tensor<?x2x8x8xf32>, tensor<?xi32>) -> (tensor<1x?x2x8xf32>, tensor<?x2x8x8xf32>)
  return %o, %s : tensor<1x?x2x8xf32>, tensor<?x2x8x8xf32>
}

// -----

// Mamba2 (SSD) and Mamba1 (selective scan) become linear attention plus
// their D / z epilogue, and are chunked with it.
// CHECK-LABEL: func.func @ssd
// CHECK-NOT:     = loom.
// CHECK:         math.log1p
// CHECK:         scf.for
// CHECK:         arith.truncf %{{.*}} : f32 to bf16
// CHECK:         return
func.func @ssd(%x: tensor<1x?x4x8xbf16>, %dt: tensor<1x?x4xf32>, %A: tensor<4xf32>, %B: tensor<1x?x1x6xbf16>, %D: tensor<4xf32>, %z: tensor<1x?x4x8xbf16>) -> tensor<1x?x4x8xbf16> {
  %y, %h = loom.ssd %x, %dt, %A, %B, %B D %D z %z {dt_softplus} : (tensor<1x?x4x8xbf16>, tensor<1x?x4xf32>, tensor<4xf32>, tensor<1x?x1x6xbf16>, tensor<1x?x1x6xbf16>, tensor<4xf32>, tensor<1x?x4x8xbf16>) -> (tensor<1x?x4x8xbf16>, tensor<1x4x8x6xf32>)
  return %y : tensor<1x?x4x8xbf16>
}

// CHECK-LABEL: func.func @selective_scan
// CHECK-NOT:     = loom.
// CHECK:         scf.for
// CHECK:         return
func.func @selective_scan(%u: tensor<2x8x?xf32>, %A: tensor<8x4xf32>, %B: tensor<2x2x4x?xf32>) -> (tensor<2x8x?xf32>, tensor<2x8x4xf32>) {
  %y, %h = loom.selective_scan %u, %u, %A, %B, %B : (tensor<2x8x?xf32>, tensor<2x8x?xf32>, tensor<8x4xf32>, tensor<2x2x4x?xf32>, tensor<2x2x4x?xf32>) -> (tensor<2x8x?xf32>, tensor<2x8x4xf32>)
  return %y, %h : tensor<2x8x?xf32>, tensor<2x8x4xf32>
}
