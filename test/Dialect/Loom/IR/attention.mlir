// RUN: loom-opt %s -split-input-file | FileCheck %s
// RUN: loom-opt %s -split-input-file | loom-opt -split-input-file | FileCheck %s
// RUN: loom-opt %s -split-input-file --mlir-print-op-generic | loom-opt -split-input-file | FileCheck %s
// RUN: loom-opt %s -split-input-file > %t.1.mlir
// RUN: loom-opt %t.1.mlir -split-input-file > %t.2.mlir
// RUN: diff %t.1.mlir %t.2.mlir

// CHECK-LABEL: func.func @lightning_indexer
// CHECK: %0 = loom.lightning_indexer %arg0, %arg1, %arg2 : (tensor<2x64x4x64xf32>, tensor<2x128x64xf32>, tensor<2x64x4xf32>) -> tensor<2x64x128xf32>
func.func @lightning_indexer(%arg0: tensor<2x64x4x64xf32>, %arg1: tensor<2x128x64xf32>, %arg2: tensor<2x64x4xf32>) {
  %0 = loom.lightning_indexer %arg0, %arg1, %arg2 : (tensor<2x64x4x64xf32>, tensor<2x128x64xf32>, tensor<2x64x4xf32>) -> tensor<2x64x128xf32>
  return
}

// -----

// CHECK-LABEL: func.func @lightning_indexer_dynamic
// CHECK: %0 = loom.lightning_indexer %arg0, %arg1, %arg2 : (tensor<?x?x4x64xbf16>, tensor<?x?x64xbf16>, tensor<?x?x4xf32>) -> tensor<?x?x?xf32>
func.func @lightning_indexer_dynamic(%arg0: tensor<?x?x4x64xbf16>, %arg1: tensor<?x?x64xbf16>, %arg2: tensor<?x?x4xf32>) {
  %0 = loom.lightning_indexer %arg0, %arg1, %arg2 : (tensor<?x?x4x64xbf16>, tensor<?x?x64xbf16>, tensor<?x?x4xf32>) -> tensor<?x?x?xf32>
  return
}

// -----

// CHECK-LABEL: func.func @lightning_indexer_causal
// CHECK: %0 = loom.lightning_indexer %arg0, %arg1, %arg2 {causal} : (tensor<2x64x4x64xf32>, tensor<2x128x64xf32>, tensor<2x64x4xf32>) -> tensor<2x64x128xf32>
func.func @lightning_indexer_causal(%arg0: tensor<2x64x4x64xf32>, %arg1: tensor<2x128x64xf32>, %arg2: tensor<2x64x4xf32>) {
  %0 = loom.lightning_indexer %arg0, %arg1, %arg2 {causal} : (tensor<2x64x4x64xf32>, tensor<2x128x64xf32>, tensor<2x64x4xf32>) -> tensor<2x64x128xf32>
  return
}

// -----

// CHECK-LABEL: func.func @lightning_indexer_causal_dynamic
// CHECK: %0 = loom.lightning_indexer %arg0, %arg1, %arg2 {causal} : (tensor<?x?x4x64xbf16>, tensor<?x?x64xbf16>, tensor<?x?x4xf32>) -> tensor<?x?x?xf32>
func.func @lightning_indexer_causal_dynamic(%arg0: tensor<?x?x4x64xbf16>, %arg1: tensor<?x?x64xbf16>, %arg2: tensor<?x?x4xf32>) {
  %0 = loom.lightning_indexer %arg0, %arg1, %arg2 {causal} : (tensor<?x?x4x64xbf16>, tensor<?x?x64xbf16>, tensor<?x?x4xf32>) -> tensor<?x?x?xf32>
  return
}

// -----

// CHECK-LABEL: func.func @topk_rank1_static
// CHECK: %values, %indices = loom.topk %arg0 {k = 8 : i64} : (tensor<100xf32>) -> (tensor<8xf32>, tensor<8xi32>)
func.func @topk_rank1_static(%arg0: tensor<100xf32>) {
  %values, %indices = loom.topk %arg0 {k = 8} : (tensor<100xf32>) -> (tensor<8xf32>, tensor<8xi32>)
  return
}

// -----

// CHECK-LABEL: func.func @topk_rank2_static
// CHECK: %values, %indices = loom.topk %arg0 {k = 64 : i64} : (tensor<3x50xf32>) -> (tensor<3x64xf32>, tensor<3x64xi32>)
func.func @topk_rank2_static(%arg0: tensor<3x50xf32>) {
  %values, %indices = loom.topk %arg0 {k = 64} : (tensor<3x50xf32>) -> (tensor<3x64xf32>, tensor<3x64xi32>)
  return
}

// -----

// CHECK-LABEL: func.func @topk_rank2_dynamic
// CHECK: %values, %indices = loom.topk %arg0 {k = 2048 : i64} : (tensor<?x?xf32>) -> (tensor<?x2048xf32>, tensor<?x2048xi32>)
func.func @topk_rank2_dynamic(%arg0: tensor<?x?xf32>) {
  %values, %indices = loom.topk %arg0 {k = 2048} : (tensor<?x?xf32>) -> (tensor<?x2048xf32>, tensor<?x2048xi32>)
  return
}

// -----

// CHECK-LABEL: func.func @topk_rank3_dynamic
// CHECK: %values, %indices = loom.topk %arg0 {k = 4 : i64} : (tensor<2x?x17xf32>) -> (tensor<2x?x4xf32>, tensor<2x?x4xi32>)
func.func @topk_rank3_dynamic(%arg0: tensor<2x?x17xf32>) {
  %values, %indices = loom.topk %arg0 {k = 4} : (tensor<2x?x17xf32>) -> (tensor<2x?x4xf32>, tensor<2x?x4xi32>)
  return
}

// -----

// CHECK-LABEL: func.func @sparse_attention
// CHECK: %0 = loom.sparse_attention %arg0, %arg1, %arg2, %arg3 : (tensor<1x64x4x64xbf16>, tensor<1x256x2x64xbf16>, tensor<1x256x2x32xbf16>, tensor<1x64x32xi32>) -> tensor<1x64x4x32xbf16>
func.func @sparse_attention(%arg0: tensor<1x64x4x64xbf16>, %arg1: tensor<1x256x2x64xbf16>, %arg2: tensor<1x256x2x32xbf16>, %arg3: tensor<1x64x32xi32>) {
  %0 = loom.sparse_attention %arg0, %arg1, %arg2, %arg3 : (tensor<1x64x4x64xbf16>, tensor<1x256x2x64xbf16>, tensor<1x256x2x32xbf16>, tensor<1x64x32xi32>) -> tensor<1x64x4x32xbf16>
  return
}

// -----

// CHECK-LABEL: func.func @sparse_attention_dynamic
// CHECK: %0 = loom.sparse_attention %arg0, %arg1, %arg2, %arg3 : (tensor<?x?x16x128xf32>, tensor<?x?x1x128xf32>, tensor<?x?x1x128xf32>, tensor<?x?x?xi32>) -> tensor<?x?x16x128xf32>
func.func @sparse_attention_dynamic(%arg0: tensor<?x?x16x128xf32>, %arg1: tensor<?x?x1x128xf32>, %arg2: tensor<?x?x1x128xf32>, %arg3: tensor<?x?x?xi32>) {
  %0 = loom.sparse_attention %arg0, %arg1, %arg2, %arg3 : (tensor<?x?x16x128xf32>, tensor<?x?x1x128xf32>, tensor<?x?x1x128xf32>, tensor<?x?x?xi32>) -> tensor<?x?x16x128xf32>
  return
}

// -----

// CHECK-LABEL: func.func @sparse_attention_scale
// CHECK: %0 = loom.sparse_attention %arg0, %arg1, %arg2, %arg3 {scale = 6.250000e-02 : f32} : (tensor<1x64x4x64xbf16>, tensor<1x256x2x64xbf16>, tensor<1x256x2x32xbf16>, tensor<1x64x32xi32>) -> tensor<1x64x4x32xbf16>
func.func @sparse_attention_scale(%arg0: tensor<1x64x4x64xbf16>, %arg1: tensor<1x256x2x64xbf16>, %arg2: tensor<1x256x2x32xbf16>, %arg3: tensor<1x64x32xi32>) {
  %0 = loom.sparse_attention %arg0, %arg1, %arg2, %arg3 {scale = 0.0625 : f32} : (tensor<1x64x4x64xbf16>, tensor<1x256x2x64xbf16>, tensor<1x256x2x32xbf16>, tensor<1x64x32xi32>) -> tensor<1x64x4x32xbf16>
  return
}

// -----

// CHECK-LABEL: func.func @sparse_attention_scale_dynamic
// CHECK: %0 = loom.sparse_attention %arg0, %arg1, %arg2, %arg3 {scale = 6.250000e-02 : f32} : (tensor<?x?x16x128xf32>, tensor<?x?x1x128xf32>, tensor<?x?x1x128xf32>, tensor<?x?x?xi32>) -> tensor<?x?x16x128xf32>
func.func @sparse_attention_scale_dynamic(%arg0: tensor<?x?x16x128xf32>, %arg1: tensor<?x?x1x128xf32>, %arg2: tensor<?x?x1x128xf32>, %arg3: tensor<?x?x?xi32>) {
  %0 = loom.sparse_attention %arg0, %arg1, %arg2, %arg3 {scale = 0.0625 : f32} : (tensor<?x?x16x128xf32>, tensor<?x?x1x128xf32>, tensor<?x?x1x128xf32>, tensor<?x?x?xi32>) -> tensor<?x?x16x128xf32>
  return
}

// -----

// CHECK-LABEL: func.func @attention
// CHECK: %0 = loom.attention %arg0, %arg1, %arg2 : (tensor<2x64x4x64xf16>, tensor<2x80x4x64xf16>, tensor<2x80x4x32xf16>) -> tensor<2x64x4x32xf16>
func.func @attention(%arg0: tensor<2x64x4x64xf16>, %arg1: tensor<2x80x4x64xf16>, %arg2: tensor<2x80x4x32xf16>) {
  %0 = loom.attention %arg0, %arg1, %arg2 : (tensor<2x64x4x64xf16>, tensor<2x80x4x64xf16>, tensor<2x80x4x32xf16>) -> tensor<2x64x4x32xf16>
  return
}

// -----

// CHECK-LABEL: func.func @attention_dynamic
// CHECK: %0 = loom.attention %arg0, %arg1, %arg2 : (tensor<?x?x4x64xbf16>, tensor<?x?x4x64xbf16>, tensor<?x?x4x32xbf16>) -> tensor<?x?x4x32xbf16>
func.func @attention_dynamic(%arg0: tensor<?x?x4x64xbf16>, %arg1: tensor<?x?x4x64xbf16>, %arg2: tensor<?x?x4x32xbf16>) {
  %0 = loom.attention %arg0, %arg1, %arg2 : (tensor<?x?x4x64xbf16>, tensor<?x?x4x64xbf16>, tensor<?x?x4x32xbf16>) -> tensor<?x?x4x32xbf16>
  return
}

// -----

// CHECK-LABEL: func.func @attention_scale
// CHECK: %0 = loom.attention %arg0, %arg1, %arg2 {scale = 1.000000e+00 : f32} : (tensor<2x64x8x64xf16>, tensor<2x80x2x64xf16>, tensor<2x80x2x32xf16>) -> tensor<2x64x8x32xf16>
func.func @attention_scale(%arg0: tensor<2x64x8x64xf16>, %arg1: tensor<2x80x2x64xf16>, %arg2: tensor<2x80x2x32xf16>) {
  %0 = loom.attention %arg0, %arg1, %arg2 {scale = 1.0 : f32} : (tensor<2x64x8x64xf16>, tensor<2x80x2x64xf16>, tensor<2x80x2x32xf16>) -> tensor<2x64x8x32xf16>
  return
}

// -----

// CHECK-LABEL: func.func @attention_scale_dynamic
// CHECK: %0 = loom.attention %arg0, %arg1, %arg2 {scale = 1.000000e+00 : f32} : (tensor<?x?x8x64xbf16>, tensor<?x?x2x64xbf16>, tensor<?x?x2x32xbf16>) -> tensor<?x?x8x32xbf16>
func.func @attention_scale_dynamic(%arg0: tensor<?x?x8x64xbf16>, %arg1: tensor<?x?x2x64xbf16>, %arg2: tensor<?x?x2x32xbf16>) {
  %0 = loom.attention %arg0, %arg1, %arg2 {scale = 1.0 : f32} : (tensor<?x?x8x64xbf16>, tensor<?x?x2x64xbf16>, tensor<?x?x2x32xbf16>) -> tensor<?x?x8x32xbf16>
  return
}

// -----

// CHECK-LABEL: func.func @attention_causal
// CHECK: %0 = loom.attention %arg0, %arg1, %arg2 {causal} : (tensor<2x64x4x64xf16>, tensor<2x64x4x64xf16>, tensor<2x64x4x32xf16>) -> tensor<2x64x4x32xf16>
func.func @attention_causal(%arg0: tensor<2x64x4x64xf16>, %arg1: tensor<2x64x4x64xf16>, %arg2: tensor<2x64x4x32xf16>) {
  %0 = loom.attention %arg0, %arg1, %arg2 {causal} : (tensor<2x64x4x64xf16>, tensor<2x64x4x64xf16>, tensor<2x64x4x32xf16>) -> tensor<2x64x4x32xf16>
  return
}

// -----

// CHECK-LABEL: func.func @attention_causal_dynamic
// CHECK: %0 = loom.attention %arg0, %arg1, %arg2 {causal} : (tensor<?x?x4x64xbf16>, tensor<?x?x4x64xbf16>, tensor<?x?x4x32xbf16>) -> tensor<?x?x4x32xbf16>
func.func @attention_causal_dynamic(%arg0: tensor<?x?x4x64xbf16>, %arg1: tensor<?x?x4x64xbf16>, %arg2: tensor<?x?x4x32xbf16>) {
  %0 = loom.attention %arg0, %arg1, %arg2 {causal} : (tensor<?x?x4x64xbf16>, tensor<?x?x4x64xbf16>, tensor<?x?x4x32xbf16>) -> tensor<?x?x4x32xbf16>
  return
}

// -----

// CHECK-LABEL: func.func @attention_causal_scale
// CHECK: %0 = loom.attention %arg0, %arg1, %arg2 {causal, scale = 1.000000e+00 : f32} : (tensor<2x64x8x64xf16>, tensor<2x64x2x64xf16>, tensor<2x64x2x32xf16>) -> tensor<2x64x8x32xf16>
func.func @attention_causal_scale(%arg0: tensor<2x64x8x64xf16>, %arg1: tensor<2x64x2x64xf16>, %arg2: tensor<2x64x2x32xf16>) {
  %0 = loom.attention %arg0, %arg1, %arg2 {causal, scale = 1.0 : f32} : (tensor<2x64x8x64xf16>, tensor<2x64x2x64xf16>, tensor<2x64x2x32xf16>) -> tensor<2x64x8x32xf16>
  return
}

// -----

// CHECK-LABEL: func.func @attention_causal_scale_dynamic
// CHECK: %0 = loom.attention %arg0, %arg1, %arg2 {causal, scale = 1.000000e+00 : f32} : (tensor<?x?x8x64xbf16>, tensor<?x?x2x64xbf16>, tensor<?x?x2x32xbf16>) -> tensor<?x?x8x32xbf16>
func.func @attention_causal_scale_dynamic(%arg0: tensor<?x?x8x64xbf16>, %arg1: tensor<?x?x2x64xbf16>, %arg2: tensor<?x?x2x32xbf16>) {
  %0 = loom.attention %arg0, %arg1, %arg2 {causal, scale = 1.0 : f32} : (tensor<?x?x8x64xbf16>, tensor<?x?x2x64xbf16>, tensor<?x?x2x32xbf16>) -> tensor<?x?x8x32xbf16>
  return
}
