// RUN: loom-opt %s -split-input-file | FileCheck %s
// RUN: loom-opt %s -split-input-file > %t.1.mlir
// RUN: loom-opt %t.1.mlir -split-input-file > %t.2.mlir
// RUN: diff %t.1.mlir %t.2.mlir

// CHECK-LABEL: func.func @indexer_topk
// CHECK: %values, %indices = loom.indexer_topk %arg0, %arg1, %arg2 {causal, k = 16 : i64} : (tensor<1x?x4x64xbf16>, tensor<1x?x64xbf16>, tensor<1x?x4xf32>) -> (tensor<1x?x16xf32>, tensor<1x?x16xi32>)
func.func @indexer_topk(%arg0: tensor<1x?x4x64xbf16>, %arg1: tensor<1x?x64xbf16>, %arg2: tensor<1x?x4xf32>) {
  %values, %indices = loom.indexer_topk %arg0, %arg1, %arg2 {k = 16, causal} : (tensor<1x?x4x64xbf16>, tensor<1x?x64xbf16>, tensor<1x?x4xf32>) -> (tensor<1x?x16xf32>, tensor<1x?x16xi32>)
  return
}

// -----

// CHECK-LABEL: func.func @gathered_matmul
// CHECK: %0 = loom.gathered_matmul %arg0, %arg1, %arg2, %arg3 {activation = "swiglu", top_k = 2 : i64} : (tensor<?x32xbf16>, tensor<4x32x16xbf16>, tensor<5xi32>, tensor<?xi32>) -> tensor<?x8xbf16>
func.func @gathered_matmul(%arg0: tensor<?x32xbf16>, %arg1: tensor<4x32x16xbf16>, %arg2: tensor<5xi32>, %arg3: tensor<?xi32>) {
  %0 = loom.gathered_matmul %arg0, %arg1, %arg2, %arg3 {top_k = 2, activation = "swiglu"} : (tensor<?x32xbf16>, tensor<4x32x16xbf16>, tensor<5xi32>, tensor<?xi32>) -> tensor<?x8xbf16>
  return
}

// -----

// CHECK-LABEL: func.func @gathered_matmul_static
// CHECK: %0 = loom.gathered_matmul %arg0, %arg1, %arg2, %arg3 {top_k = 3 : i64} : (tensor<5x32xf32>, tensor<4x32x16xf32>, tensor<5xi32>, tensor<15xi32>) -> tensor<15x16xf32>
func.func @gathered_matmul_static(%arg0: tensor<5x32xf32>, %arg1: tensor<4x32x16xf32>, %arg2: tensor<5xi32>, %arg3: tensor<15xi32>) {
  %0 = loom.gathered_matmul %arg0, %arg1, %arg2, %arg3 {top_k = 3} : (tensor<5x32xf32>, tensor<4x32x16xf32>, tensor<5xi32>, tensor<15xi32>) -> tensor<15x16xf32>
  return
}

// -----

// CHECK-LABEL: func.func @grouped_matmul_combine
// CHECK: %0 = loom.grouped_matmul_combine %arg0, %arg1, %arg2, %arg3, %arg4 : (tensor<?x8xbf16>, tensor<4x8x32xbf16>, tensor<5xi32>, tensor<?xi32>, tensor<?x2xf32>) -> tensor<?x32xbf16>
func.func @grouped_matmul_combine(%arg0: tensor<?x8xbf16>, %arg1: tensor<4x8x32xbf16>, %arg2: tensor<5xi32>, %arg3: tensor<?xi32>, %arg4: tensor<?x2xf32>) {
  %0 = loom.grouped_matmul_combine %arg0, %arg1, %arg2, %arg3, %arg4 : (tensor<?x8xbf16>, tensor<4x8x32xbf16>, tensor<5xi32>, tensor<?xi32>, tensor<?x2xf32>) -> tensor<?x32xbf16>
  return
}
