// RUN: loom-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(loom-fuse))' | FileCheck %s

// Indexer + top-k: no [B, T, S] scores remain.
// CHECK-LABEL: func.func @indexer_topk
// CHECK-NOT:     tensor<1x?x?xf32>
// CHECK:         %{{.*}}, %{{.*}} = loom.indexer_topk %arg0, %arg1, %arg2 {causal, k = 2048 : i64} : (tensor<1x?x4x64xbf16>, tensor<1x?x64xbf16>, tensor<1x?x4xf32>) -> (tensor<1x?x2048xf32>, tensor<1x?x2048xi32>)
// CHECK-NOT:     tensor<1x?x?xf32>
// CHECK:         return
func.func @indexer_topk(%qi: tensor<1x?x4x64xbf16>, %ki: tensor<1x?x64xbf16>, %w: tensor<1x?x4xf32>) -> (tensor<1x?x2048xf32>, tensor<1x?x2048xi32>) {
  %I = loom.lightning_indexer %qi, %ki, %w {causal} : (tensor<1x?x4x64xbf16>, tensor<1x?x64xbf16>, tensor<1x?x4xf32>) -> tensor<1x?x?xf32>
  %v, %i = loom.topk %I {k = 2048} : (tensor<1x?x?xf32>) -> (tensor<1x?x2048xf32>, tensor<1x?x2048xi32>)
  return %v, %i : tensor<1x?x2048xf32>, tensor<1x?x2048xi32>
}

// -----

// Scores with another user must exist: no fusion.
// CHECK-LABEL: func.func @indexer_scores_escape
// CHECK:         loom.lightning_indexer
// CHECK:         loom.topk
func.func @indexer_scores_escape(%qi: tensor<1x8x4x64xf32>, %ki: tensor<1x8x64xf32>, %w: tensor<1x8x4xf32>) -> (tensor<1x8x8xf32>, tensor<1x8x2xi32>) {
  %I = loom.lightning_indexer %qi, %ki, %w : (tensor<1x8x4x64xf32>, tensor<1x8x64xf32>, tensor<1x8x4xf32>) -> tensor<1x8x8xf32>
  %v, %i = loom.topk %I {k = 2} : (tensor<1x8x8xf32>) -> (tensor<1x8x2xf32>, tensor<1x8x2xi32>)
  return %I, %i : tensor<1x8x8xf32>, tensor<1x8x2xi32>
}

// -----

// Dispatch + grouped matmuls + combine: the first matmul reads token rows
// through the permutation (the dispatch's sorted copy loses its users), the
// last adds each expert row into its token (no [N*k, Dm] expert outputs).
// CHECK-LABEL: func.func @moe_ffn
// CHECK:         %[[SORTED:.*]], %[[PERM:.*]], %[[OFFS:.*]] = loom.moe_dispatch %arg0, %arg1
// CHECK:         %[[H:.*]] = loom.gathered_matmul %arg0, %arg2, %[[OFFS]], %[[PERM]] {activation = "swiglu", top_k = 2 : i64}
// CHECK:         %[[OUT:.*]] = loom.grouped_matmul_combine %[[H]], %arg3, %[[OFFS]], %[[PERM]], %arg4
// CHECK-NOT:     loom.grouped_matmul
// CHECK-NOT:     loom.moe_combine
// CHECK:         return %[[OUT]]
func.func @moe_ffn(%x: tensor<?x32xbf16>, %idx: tensor<?x2xi32>, %w1: tensor<4x32x16xbf16>, %w2: tensor<4x8x32xbf16>, %rw: tensor<?x2xf32>) -> tensor<?x32xbf16> {
  %xs, %perm, %offs = loom.moe_dispatch %x, %idx {num_experts = 4} : (tensor<?x32xbf16>, tensor<?x2xi32>) -> (tensor<?x32xbf16>, tensor<?xi32>, tensor<5xi32>)
  %h = loom.grouped_matmul %xs, %w1, %offs {activation = "swiglu"} : (tensor<?x32xbf16>, tensor<4x32x16xbf16>, tensor<5xi32>) -> tensor<?x8xbf16>
  %ys = loom.grouped_matmul %h, %w2, %offs : (tensor<?x8xbf16>, tensor<4x8x32xbf16>, tensor<5xi32>) -> tensor<?x32xbf16>
  %out = loom.moe_combine %ys, %perm, %rw : (tensor<?x32xbf16>, tensor<?xi32>, tensor<?x2xf32>) -> tensor<?x32xbf16>
  return %out : tensor<?x32xbf16>
}

// -----

// SSD is linear attention plus its epilogue.
// CHECK-LABEL: func.func @ssd
// CHECK-NOT:     loom.ssd
// CHECK:         loom.linear_attention {{.*}} {scale = 1.000000e+00 : f32}
func.func @ssd(%x: tensor<1x?x4x8xf32>, %dt: tensor<1x?x4xf32>, %A: tensor<4xf32>, %B: tensor<1x?x1x6xf32>) -> tensor<1x?x4x8xf32> {
  %y, %h = loom.ssd %x, %dt, %A, %B, %B : (tensor<1x?x4x8xf32>, tensor<1x?x4xf32>, tensor<4xf32>, tensor<1x?x1x6xf32>, tensor<1x?x1x6xf32>) -> (tensor<1x?x4x8xf32>, tensor<1x4x8x6xf32>)
  return %y : tensor<1x?x4x8xf32>
}

// -----

// A combine whose rows have another user keeps them.
// CHECK-LABEL: func.func @combine_rows_escape
// CHECK:         loom.grouped_matmul
// CHECK:         loom.moe_combine
func.func @combine_rows_escape(%h: tensor<8x16xf32>, %w: tensor<2x16x4xf32>, %offs: tensor<3xi32>, %perm: tensor<8xi32>, %rw: tensor<4x2xf32>) -> (tensor<4x4xf32>, tensor<8x4xf32>) {
  %ys = loom.grouped_matmul %h, %w, %offs : (tensor<8x16xf32>, tensor<2x16x4xf32>, tensor<3xi32>) -> tensor<8x4xf32>
  %out = loom.moe_combine %ys, %perm, %rw : (tensor<8x4xf32>, tensor<8xi32>, tensor<4x2xf32>) -> tensor<4x4xf32>
  return %out, %ys : tensor<4x4xf32>, tensor<8x4xf32>
}
