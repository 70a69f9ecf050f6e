// RUN: loom-opt %s -split-input-file | FileCheck %s
// RUN: loom-opt %s -split-input-file | loom-opt -split-input-file | FileCheck %s
// RUN: loom-opt %s -split-input-file --mlir-print-op-generic | loom-opt -split-input-file | FileCheck %s
// RUN: loom-opt %s -split-input-file > %t.1.mlir
// RUN: loom-opt %t.1.mlir -split-input-file > %t.2.mlir
// RUN: diff %t.1.mlir %t.2.mlir

// CHECK-LABEL: func.func @moe_router_softmax_top2
// CHECK: %weights, %indices = loom.moe_router %arg0 {top_k = 2 : i64} : (tensor<?x8xf32>) -> (tensor<?x2xf32>, tensor<?x2xi32>)
func.func @moe_router_softmax_top2(%arg0: tensor<?x8xf32>) {
  %weights, %indices = loom.moe_router %arg0 {top_k = 2} : (tensor<?x8xf32>) -> (tensor<?x2xf32>, tensor<?x2xi32>)
  return
}

// -----

// CHECK-LABEL: func.func @moe_router_softmax_normalize_defaults_spelled
// CHECK: %weights, %indices = loom.moe_router %arg0 {normalize, top_k = 2 : i64} : (tensor<16x8xbf16>) -> (tensor<16x2xf32>, tensor<16x2xi32>)
func.func @moe_router_softmax_normalize_defaults_spelled(%arg0: tensor<16x8xbf16>) {
  %weights, %indices = loom.moe_router %arg0 {top_k = 2, score = "softmax", n_group = 1, topk_group = 1, scaling = 1.0 : f32, normalize} : (tensor<16x8xbf16>) -> (tensor<16x2xf32>, tensor<16x2xi32>)
  return
}

// -----

// CHECK-LABEL: func.func @moe_router_sigmoid_bias_grouped
// CHECK: %weights, %indices = loom.moe_router %arg0 bias %arg1 {n_group = 8 : i64, normalize, scaling = 2.500000e+00 : f32, score = "sigmoid", top_k = 8 : i64, topk_group = 4 : i64} : (tensor<?x256xf32>, tensor<256xf32>) -> (tensor<?x8xf32>, tensor<?x8xi32>)
func.func @moe_router_sigmoid_bias_grouped(%arg0: tensor<?x256xf32>, %arg1: tensor<256xf32>) {
  %weights, %indices = loom.moe_router %arg0 bias %arg1 {top_k = 8, score = "sigmoid", n_group = 8, topk_group = 4, normalize, scaling = 2.5 : f32} : (tensor<?x256xf32>, tensor<256xf32>) -> (tensor<?x8xf32>, tensor<?x8xi32>)
  return
}

// -----

// CHECK-LABEL: func.func @moe_router_softmax_bias_f16
// CHECK: %weights, %indices = loom.moe_router %arg0 bias %arg1 {top_k = 1 : i64} : (tensor<5x4xf16>, tensor<4xf32>) -> (tensor<5x1xf32>, tensor<5x1xi32>)
func.func @moe_router_softmax_bias_f16(%arg0: tensor<5x4xf16>, %arg1: tensor<4xf32>) {
  %weights, %indices = loom.moe_router %arg0 bias %arg1 {top_k = 1} : (tensor<5x4xf16>, tensor<4xf32>) -> (tensor<5x1xf32>, tensor<5x1xi32>)
  return
}

// -----

// CHECK-LABEL: func.func @moe_router_sigmoid_all_experts
// CHECK: %weights, %indices = loom.moe_router %arg0 {score = "sigmoid", top_k = 64 : i64} : (tensor<?x64xf64>) -> (tensor<?x64xf32>, tensor<?x64xi32>)
func.func @moe_router_sigmoid_all_experts(%arg0: tensor<?x64xf64>) {
  %weights, %indices = loom.moe_router %arg0 {top_k = 64, score = "sigmoid"} : (tensor<?x64xf64>) -> (tensor<?x64xf32>, tensor<?x64xi32>)
  return
}

// -----

// CHECK-LABEL: func.func @moe_aux_loss
// CHECK: %0 = loom.moe_aux_loss %arg0, %arg1 : (tensor<32x64xf32>, tensor<32x6xi32>) -> tensor<f32>
func.func @moe_aux_loss(%arg0: tensor<32x64xf32>, %arg1: tensor<32x6xi32>) {
  %0 = loom.moe_aux_loss %arg0, %arg1 : (tensor<32x64xf32>, tensor<32x6xi32>) -> tensor<f32>
  return
}

// -----

// CHECK-LABEL: func.func @moe_aux_loss_alpha_dynamic
// CHECK: %0 = loom.moe_aux_loss %arg0, %arg1 {alpha = 1.000000e-03 : f32} : (tensor<?x64xbf16>, tensor<?x6xi32>) -> tensor<f32>
func.func @moe_aux_loss_alpha_dynamic(%arg0: tensor<?x64xbf16>, %arg1: tensor<?x6xi32>) {
  %0 = loom.moe_aux_loss %arg0, %arg1 {alpha = 1.0e-03 : f32} : (tensor<?x64xbf16>, tensor<?x6xi32>) -> tensor<f32>
  return
}

// -----

// CHECK-LABEL: func.func @router_z_loss
// CHECK: %0 = loom.router_z_loss %arg0 : (tensor<7x16xf32>) -> tensor<f32>
func.func @router_z_loss(%arg0: tensor<7x16xf32>) {
  %0 = loom.router_z_loss %arg0 : (tensor<7x16xf32>) -> tensor<f32>
  return
}

// -----

// CHECK-LABEL: func.func @router_z_loss_dynamic
// CHECK: %0 = loom.router_z_loss %arg0 : (tensor<?x16xf16>) -> tensor<f32>
func.func @router_z_loss_dynamic(%arg0: tensor<?x16xf16>) {
  %0 = loom.router_z_loss %arg0 : (tensor<?x16xf16>) -> tensor<f32>
  return
}

// -----

// CHECK-LABEL: func.func @moe_dispatch
// CHECK: %sorted, %permutation, %offsets = loom.moe_dispatch %arg0, %arg1 {num_experts = 16 : i64} : (tensor<10x128xbf16>, tensor<10x4xi32>) -> (tensor<40x128xbf16>, tensor<40xi32>, tensor<17xi32>)
func.func @moe_dispatch(%arg0: tensor<10x128xbf16>, %arg1: tensor<10x4xi32>) {
  %sorted, %permutation, %offsets = loom.moe_dispatch %arg0, %arg1 {num_experts = 16} : (tensor<10x128xbf16>, tensor<10x4xi32>) -> (tensor<40x128xbf16>, tensor<40xi32>, tensor<17xi32>)
  return
}

// -----

// CHECK-LABEL: func.func @moe_dispatch_dynamic
// CHECK: %sorted, %permutation, %offsets = loom.moe_dispatch %arg0, %arg1 {num_experts = 16 : i64} : (tensor<?x128xbf16>, tensor<?x4xi32>) -> (tensor<?x128xbf16>, tensor<?xi32>, tensor<17xi32>)
func.func @moe_dispatch_dynamic(%arg0: tensor<?x128xbf16>, %arg1: tensor<?x4xi32>) {
  %sorted, %permutation, %offsets = loom.moe_dispatch %arg0, %arg1 {num_experts = 16} : (tensor<?x128xbf16>, tensor<?x4xi32>) -> (tensor<?x128xbf16>, tensor<?xi32>, tensor<17xi32>)
  return
}

// -----

// CHECK-LABEL: func.func @grouped_matmul_default
// CHECK: %0 = loom.grouped_matmul %arg0, %arg1, %arg2 : (tensor<40x32xbf16>, tensor<16x32x128xbf16>, tensor<17xi32>) -> tensor<40x128xbf16>
func.func @grouped_matmul_default(%arg0: tensor<40x32xbf16>, %arg1: tensor<16x32x128xbf16>, %arg2: tensor<17xi32>) {
  %0 = loom.grouped_matmul %arg0, %arg1, %arg2 : (tensor<40x32xbf16>, tensor<16x32x128xbf16>, tensor<17xi32>) -> tensor<40x128xbf16>
  return
}

// -----

// CHECK-LABEL: func.func @grouped_matmul_default_dynamic
// CHECK: %0 = loom.grouped_matmul %arg0, %arg1, %arg2 : (tensor<?x32xf32>, tensor<16x32x128xf32>, tensor<17xi32>) -> tensor<?x128xf32>
func.func @grouped_matmul_default_dynamic(%arg0: tensor<?x32xf32>, %arg1: tensor<16x32x128xf32>, %arg2: tensor<17xi32>) {
  %0 = loom.grouped_matmul %arg0, %arg1, %arg2 : (tensor<?x32xf32>, tensor<16x32x128xf32>, tensor<17xi32>) -> tensor<?x128xf32>
  return
}

// -----

// CHECK-LABEL: func.func @grouped_matmul_none
// CHECK: %0 = loom.grouped_matmul %arg0, %arg1, %arg2 : (tensor<40x32xbf16>, tensor<16x32x128xbf16>, tensor<17xi32>) -> tensor<40x128xbf16>
func.func @grouped_matmul_none(%arg0: tensor<40x32xbf16>, %arg1: tensor<16x32x128xbf16>, %arg2: tensor<17xi32>) {
  %0 = loom.grouped_matmul %arg0, %arg1, %arg2 {activation = "none"} : (tensor<40x32xbf16>, tensor<16x32x128xbf16>, tensor<17xi32>) -> tensor<40x128xbf16>
  return
}

// -----

// CHECK-LABEL: func.func @grouped_matmul_none_dynamic
// CHECK: %0 = loom.grouped_matmul %arg0, %arg1, %arg2 : (tensor<?x32xf32>, tensor<16x32x128xf32>, tensor<17xi32>) -> tensor<?x128xf32>
func.func @grouped_matmul_none_dynamic(%arg0: tensor<?x32xf32>, %arg1: tensor<16x32x128xf32>, %arg2: tensor<17xi32>) {
  %0 = loom.grouped_matmul %arg0, %arg1, %arg2 {activation = "none"} : (tensor<?x32xf32>, tensor<16x32x128xf32>, tensor<17xi32>) -> tensor<?x128xf32>
  return
}

// -----

// CHECK-LABEL: func.func @grouped_matmul_swiglu
// CHECK: %0 = loom.grouped_matmul %arg0, %arg1, %arg2 {activation = "swiglu"} : (tensor<40x32xbf16>, tensor<16x32x128xbf16>, tensor<17xi32>) -> tensor<40x64xbf16>
func.func @grouped_matmul_swiglu(%arg0: tensor<40x32xbf16>, %arg1: tensor<16x32x128xbf16>, %arg2: tensor<17xi32>) {
  %0 = loom.grouped_matmul %arg0, %arg1, %arg2 {activation = "swiglu"} : (tensor<40x32xbf16>, tensor<16x32x128xbf16>, tensor<17xi32>) -> tensor<40x64xbf16>
  return
}

// -----

// CHECK-LABEL: func.func @grouped_matmul_swiglu_dynamic
// CHECK: %0 = loom.grouped_matmul %arg0, %arg1, %arg2 {activation = "swiglu"} : (tensor<?x32xf32>, tensor<16x32x128xf32>, tensor<17xi32>) -> tensor<?x64xf32>
func.func @grouped_matmul_swiglu_dynamic(%arg0: tensor<?x32xf32>, %arg1: tensor<16x32x128xf32>, %arg2: tensor<17xi32>) {
  %0 = loom.grouped_matmul %arg0, %arg1, %arg2 {activation = "swiglu"} : (tensor<?x32xf32>, tensor<16x32x128xf32>, tensor<17xi32>) -> tensor<?x64xf32>
  return
}

// -----

// CHECK-LABEL: func.func @moe_combine
// CHECK: %0 = loom.moe_combine %arg0, %arg1, %arg2 : (tensor<40x128xf16>, tensor<40xi32>, tensor<10x4xf32>) -> tensor<10x128xf16>
func.func @moe_combine(%arg0: tensor<40x128xf16>, %arg1: tensor<40xi32>, %arg2: tensor<10x4xf32>) {
  %0 = loom.moe_combine %arg0, %arg1, %arg2 : (tensor<40x128xf16>, tensor<40xi32>, tensor<10x4xf32>) -> tensor<10x128xf16>
  return
}

// -----

// CHECK-LABEL: func.func @moe_combine_dynamic
// CHECK: %0 = loom.moe_combine %arg0, %arg1, %arg2 : (tensor<?x128xf16>, tensor<?xi32>, tensor<?x4xf32>) -> tensor<?x128xf16>
func.func @moe_combine_dynamic(%arg0: tensor<?x128xf16>, %arg1: tensor<?xi32>, %arg2: tensor<?x4xf32>) {
  %0 = loom.moe_combine %arg0, %arg1, %arg2 : (tensor<?x128xf16>, tensor<?xi32>, tensor<?x4xf32>) -> tensor<?x128xf16>
  return
}
