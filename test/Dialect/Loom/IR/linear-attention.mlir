// RUN: loom-opt %s -split-input-file | FileCheck %s
// RUN: loom-opt %s -split-input-file | loom-opt -split-input-file | FileCheck %s
// RUN: loom-opt %s -split-input-file --mlir-print-op-generic | loom-opt -split-input-file | FileCheck %s
// RUN: loom-opt %s -split-input-file > %t.1.mlir
// RUN: loom-opt %t.1.mlir -split-input-file > %t.2.mlir
// RUN: diff %t.1.mlir %t.2.mlir

// CHECK-LABEL: func.func @la_none_decay
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 : (tensor<2x64x2x16xbf16>, tensor<2x64x2x16xbf16>, tensor<2x64x4x32xbf16>) -> (tensor<2x64x4x32xbf16>, tensor<2x4x16x32xf32>)
func.func @la_none_decay(%arg0: tensor<2x64x2x16xbf16>, %arg1: tensor<2x64x2x16xbf16>, %arg2: tensor<2x64x4x32xbf16>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 : (tensor<2x64x2x16xbf16>, tensor<2x64x2x16xbf16>, tensor<2x64x4x32xbf16>) -> (tensor<2x64x4x32xbf16>, tensor<2x4x16x32xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_none_decay_varlen
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 cu_seqlens %arg3 {qk_l2norm} : (tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<?xi32>) -> (tensor<1x?x4x16xf16>, tensor<?x4x16x16xf32>)
func.func @la_none_decay_varlen(%arg0: tensor<1x?x4x16xf16>, %arg1: tensor<1x?x4x16xf16>, %arg2: tensor<1x?x4x16xf16>, %arg3: tensor<?xi32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 cu_seqlens %arg3 {qk_l2norm} : (tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<?xi32>) -> (tensor<1x?x4x16xf16>, tensor<?x4x16x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_none_decay_init
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 initial_state %arg3 {scale = 1.250000e-01 : f32} : (tensor<?x64x4x16xf32>, tensor<?x64x4x16xf32>, tensor<?x64x4x16xf32>, tensor<?x4x16x16xf32>) -> (tensor<?x64x4x16xf32>, tensor<?x4x16x16xf32>)
func.func @la_none_decay_init(%arg0: tensor<?x64x4x16xf32>, %arg1: tensor<?x64x4x16xf32>, %arg2: tensor<?x64x4x16xf32>, %arg3: tensor<?x4x16x16xf32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 initial_state %arg3 {scale = 0.125 : f32} : (tensor<?x64x4x16xf32>, tensor<?x64x4x16xf32>, tensor<?x64x4x16xf32>, tensor<?x4x16x16xf32>) -> (tensor<?x64x4x16xf32>, tensor<?x4x16x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_none_decay_init_varlen
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 initial_state %arg3 cu_seqlens %arg4 {qk_l2norm, scale = 2.500000e-01 : f32} : (tensor<1x?x2x16xbf16>, tensor<1x?x2x16xbf16>, tensor<1x?x4x32xbf16>, tensor<?x4x16x32xf32>, tensor<?xi32>) -> (tensor<1x?x4x32xbf16>, tensor<?x4x16x32xf32>)
func.func @la_none_decay_init_varlen(%arg0: tensor<1x?x2x16xbf16>, %arg1: tensor<1x?x2x16xbf16>, %arg2: tensor<1x?x4x32xbf16>, %arg3: tensor<?x4x16x32xf32>, %arg4: tensor<?xi32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 initial_state %arg3 cu_seqlens %arg4 {qk_l2norm, scale = 2.5e-01 : f32} : (tensor<1x?x2x16xbf16>, tensor<1x?x2x16xbf16>, tensor<1x?x4x32xbf16>, tensor<?x4x16x32xf32>, tensor<?xi32>) -> (tensor<1x?x4x32xbf16>, tensor<?x4x16x32xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_none_decay_beta
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 beta %arg3 : (tensor<2x64x4x16xf16>, tensor<2x64x4x16xf16>, tensor<2x64x4x16xf16>, tensor<2x64x4xf32>) -> (tensor<2x64x4x16xf16>, tensor<2x4x16x16xf32>)
func.func @la_none_decay_beta(%arg0: tensor<2x64x4x16xf16>, %arg1: tensor<2x64x4x16xf16>, %arg2: tensor<2x64x4x16xf16>, %arg3: tensor<2x64x4xf32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 beta %arg3 : (tensor<2x64x4x16xf16>, tensor<2x64x4x16xf16>, tensor<2x64x4x16xf16>, tensor<2x64x4xf32>) -> (tensor<2x64x4x16xf16>, tensor<2x4x16x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_none_decay_beta_varlen
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 beta %arg3 cu_seqlens %arg4 {qk_l2norm} : (tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4xf32>, tensor<?xi32>) -> (tensor<1x?x4x16xf32>, tensor<?x4x16x16xf32>)
func.func @la_none_decay_beta_varlen(%arg0: tensor<1x?x4x16xf32>, %arg1: tensor<1x?x4x16xf32>, %arg2: tensor<1x?x4x16xf32>, %arg3: tensor<1x?x4xf32>, %arg4: tensor<?xi32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 beta %arg3 cu_seqlens %arg4 {qk_l2norm} : (tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4xf32>, tensor<?xi32>) -> (tensor<1x?x4x16xf32>, tensor<?x4x16x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_none_decay_beta_init
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 beta %arg3 initial_state %arg4 {scale = 1.250000e-01 : f32} : (tensor<?x64x2x16xbf16>, tensor<?x64x2x16xbf16>, tensor<?x64x4x32xbf16>, tensor<?x64x4xf32>, tensor<?x4x16x32xf32>) -> (tensor<?x64x4x32xbf16>, tensor<?x4x16x32xf32>)
func.func @la_none_decay_beta_init(%arg0: tensor<?x64x2x16xbf16>, %arg1: tensor<?x64x2x16xbf16>, %arg2: tensor<?x64x4x32xbf16>, %arg3: tensor<?x64x4xf32>, %arg4: tensor<?x4x16x32xf32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 beta %arg3 initial_state %arg4 {scale = 0.125 : f32} : (tensor<?x64x2x16xbf16>, tensor<?x64x2x16xbf16>, tensor<?x64x4x32xbf16>, tensor<?x64x4xf32>, tensor<?x4x16x32xf32>) -> (tensor<?x64x4x32xbf16>, tensor<?x4x16x32xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_none_decay_beta_init_varlen
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 beta %arg3 initial_state %arg4 cu_seqlens %arg5 {qk_l2norm, scale = 2.500000e-01 : f32} : (tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4xf32>, tensor<?x4x16x16xf32>, tensor<?xi32>) -> (tensor<1x?x4x16xf16>, tensor<?x4x16x16xf32>)
func.func @la_none_decay_beta_init_varlen(%arg0: tensor<1x?x4x16xf16>, %arg1: tensor<1x?x4x16xf16>, %arg2: tensor<1x?x4x16xf16>, %arg3: tensor<1x?x4xf32>, %arg4: tensor<?x4x16x16xf32>, %arg5: tensor<?xi32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 beta %arg3 initial_state %arg4 cu_seqlens %arg5 {qk_l2norm, scale = 2.5e-01 : f32} : (tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4xf32>, tensor<?x4x16x16xf32>, tensor<?xi32>) -> (tensor<1x?x4x16xf16>, tensor<?x4x16x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_scalar_decay
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 : (tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>, tensor<2x64x4xf32>) -> (tensor<2x64x4x16xf32>, tensor<2x4x16x16xf32>)
func.func @la_scalar_decay(%arg0: tensor<2x64x4x16xf32>, %arg1: tensor<2x64x4x16xf32>, %arg2: tensor<2x64x4x16xf32>, %arg3: tensor<2x64x4xf32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 : (tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>, tensor<2x64x4xf32>) -> (tensor<2x64x4x16xf32>, tensor<2x4x16x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_scalar_decay_varlen
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 cu_seqlens %arg4 {qk_l2norm} : (tensor<1x?x2x16xbf16>, tensor<1x?x2x16xbf16>, tensor<1x?x4x32xbf16>, tensor<1x?x4xf32>, tensor<?xi32>) -> (tensor<1x?x4x32xbf16>, tensor<?x4x16x32xf32>)
func.func @la_scalar_decay_varlen(%arg0: tensor<1x?x2x16xbf16>, %arg1: tensor<1x?x2x16xbf16>, %arg2: tensor<1x?x4x32xbf16>, %arg3: tensor<1x?x4xf32>, %arg4: tensor<?xi32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 cu_seqlens %arg4 {qk_l2norm} : (tensor<1x?x2x16xbf16>, tensor<1x?x2x16xbf16>, tensor<1x?x4x32xbf16>, tensor<1x?x4xf32>, tensor<?xi32>) -> (tensor<1x?x4x32xbf16>, tensor<?x4x16x32xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_scalar_decay_init
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 initial_state %arg4 {scale = 1.250000e-01 : f32} : (tensor<?x64x4x16xf16>, tensor<?x64x4x16xf16>, tensor<?x64x4x16xf16>, tensor<?x64x4xf32>, tensor<?x4x16x16xf32>) -> (tensor<?x64x4x16xf16>, tensor<?x4x16x16xf32>)
func.func @la_scalar_decay_init(%arg0: tensor<?x64x4x16xf16>, %arg1: tensor<?x64x4x16xf16>, %arg2: tensor<?x64x4x16xf16>, %arg3: tensor<?x64x4xf32>, %arg4: tensor<?x4x16x16xf32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 initial_state %arg4 {scale = 0.125 : f32} : (tensor<?x64x4x16xf16>, tensor<?x64x4x16xf16>, tensor<?x64x4x16xf16>, tensor<?x64x4xf32>, tensor<?x4x16x16xf32>) -> (tensor<?x64x4x16xf16>, tensor<?x4x16x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_scalar_decay_init_varlen
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 initial_state %arg4 cu_seqlens %arg5 {qk_l2norm, scale = 2.500000e-01 : f32} : (tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4xf32>, tensor<?x4x16x16xf32>, tensor<?xi32>) -> (tensor<1x?x4x16xf32>, tensor<?x4x16x16xf32>)
func.func @la_scalar_decay_init_varlen(%arg0: tensor<1x?x4x16xf32>, %arg1: tensor<1x?x4x16xf32>, %arg2: tensor<1x?x4x16xf32>, %arg3: tensor<1x?x4xf32>, %arg4: tensor<?x4x16x16xf32>, %arg5: tensor<?xi32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 initial_state %arg4 cu_seqlens %arg5 {qk_l2norm, scale = 2.5e-01 : f32} : (tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4xf32>, tensor<?x4x16x16xf32>, tensor<?xi32>) -> (tensor<1x?x4x16xf32>, tensor<?x4x16x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_scalar_decay_beta
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 : (tensor<2x64x2x16xbf16>, tensor<2x64x2x16xbf16>, tensor<2x64x4x32xbf16>, tensor<2x64x4xf32>, tensor<2x64x4xf32>) -> (tensor<2x64x4x32xbf16>, tensor<2x4x16x32xf32>)
func.func @la_scalar_decay_beta(%arg0: tensor<2x64x2x16xbf16>, %arg1: tensor<2x64x2x16xbf16>, %arg2: tensor<2x64x4x32xbf16>, %arg3: tensor<2x64x4xf32>, %arg4: tensor<2x64x4xf32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 : (tensor<2x64x2x16xbf16>, tensor<2x64x2x16xbf16>, tensor<2x64x4x32xbf16>, tensor<2x64x4xf32>, tensor<2x64x4xf32>) -> (tensor<2x64x4x32xbf16>, tensor<2x4x16x32xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_scalar_decay_beta_varlen
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 cu_seqlens %arg5 {qk_l2norm} : (tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4xf32>, tensor<1x?x4xf32>, tensor<?xi32>) -> (tensor<1x?x4x16xf16>, tensor<?x4x16x16xf32>)
func.func @la_scalar_decay_beta_varlen(%arg0: tensor<1x?x4x16xf16>, %arg1: tensor<1x?x4x16xf16>, %arg2: tensor<1x?x4x16xf16>, %arg3: tensor<1x?x4xf32>, %arg4: tensor<1x?x4xf32>, %arg5: tensor<?xi32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 cu_seqlens %arg5 {qk_l2norm} : (tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4xf32>, tensor<1x?x4xf32>, tensor<?xi32>) -> (tensor<1x?x4x16xf16>, tensor<?x4x16x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_scalar_decay_beta_init
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 initial_state %arg5 {scale = 1.250000e-01 : f32} : (tensor<?x64x4x16xf32>, tensor<?x64x4x16xf32>, tensor<?x64x4x16xf32>, tensor<?x64x4xf32>, tensor<?x64x4xf32>, tensor<?x4x16x16xf32>) -> (tensor<?x64x4x16xf32>, tensor<?x4x16x16xf32>)
func.func @la_scalar_decay_beta_init(%arg0: tensor<?x64x4x16xf32>, %arg1: tensor<?x64x4x16xf32>, %arg2: tensor<?x64x4x16xf32>, %arg3: tensor<?x64x4xf32>, %arg4: tensor<?x64x4xf32>, %arg5: tensor<?x4x16x16xf32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 initial_state %arg5 {scale = 0.125 : f32} : (tensor<?x64x4x16xf32>, tensor<?x64x4x16xf32>, tensor<?x64x4x16xf32>, tensor<?x64x4xf32>, tensor<?x64x4xf32>, tensor<?x4x16x16xf32>) -> (tensor<?x64x4x16xf32>, tensor<?x4x16x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_scalar_decay_beta_init_varlen
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 initial_state %arg5 cu_seqlens %arg6 {qk_l2norm, scale = 2.500000e-01 : f32} : (tensor<1x?x2x16xbf16>, tensor<1x?x2x16xbf16>, tensor<1x?x4x32xbf16>, tensor<1x?x4xf32>, tensor<1x?x4xf32>, tensor<?x4x16x32xf32>, tensor<?xi32>) -> (tensor<1x?x4x32xbf16>, tensor<?x4x16x32xf32>)
func.func @la_scalar_decay_beta_init_varlen(%arg0: tensor<1x?x2x16xbf16>, %arg1: tensor<1x?x2x16xbf16>, %arg2: tensor<1x?x4x32xbf16>, %arg3: tensor<1x?x4xf32>, %arg4: tensor<1x?x4xf32>, %arg5: tensor<?x4x16x32xf32>, %arg6: tensor<?xi32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 initial_state %arg5 cu_seqlens %arg6 {qk_l2norm, scale = 2.5e-01 : f32} : (tensor<1x?x2x16xbf16>, tensor<1x?x2x16xbf16>, tensor<1x?x4x32xbf16>, tensor<1x?x4xf32>, tensor<1x?x4xf32>, tensor<?x4x16x32xf32>, tensor<?xi32>) -> (tensor<1x?x4x32xbf16>, tensor<?x4x16x32xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_perkey_decay
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 : (tensor<2x64x4x16xf16>, tensor<2x64x4x16xf16>, tensor<2x64x4x16xf16>, tensor<2x64x4x16xf32>) -> (tensor<2x64x4x16xf16>, tensor<2x4x16x16xf32>)
func.func @la_perkey_decay(%arg0: tensor<2x64x4x16xf16>, %arg1: tensor<2x64x4x16xf16>, %arg2: tensor<2x64x4x16xf16>, %arg3: tensor<2x64x4x16xf32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 : (tensor<2x64x4x16xf16>, tensor<2x64x4x16xf16>, tensor<2x64x4x16xf16>, tensor<2x64x4x16xf32>) -> (tensor<2x64x4x16xf16>, tensor<2x4x16x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_perkey_decay_varlen
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 cu_seqlens %arg4 {qk_l2norm} : (tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<?xi32>) -> (tensor<1x?x4x16xf32>, tensor<?x4x16x16xf32>)
func.func @la_perkey_decay_varlen(%arg0: tensor<1x?x4x16xf32>, %arg1: tensor<1x?x4x16xf32>, %arg2: tensor<1x?x4x16xf32>, %arg3: tensor<1x?x4x16xf32>, %arg4: tensor<?xi32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 cu_seqlens %arg4 {qk_l2norm} : (tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<?xi32>) -> (tensor<1x?x4x16xf32>, tensor<?x4x16x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_perkey_decay_init
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 initial_state %arg4 {scale = 1.250000e-01 : f32} : (tensor<?x64x2x16xbf16>, tensor<?x64x2x16xbf16>, tensor<?x64x4x32xbf16>, tensor<?x64x4x16xf32>, tensor<?x4x16x32xf32>) -> (tensor<?x64x4x32xbf16>, tensor<?x4x16x32xf32>)
func.func @la_perkey_decay_init(%arg0: tensor<?x64x2x16xbf16>, %arg1: tensor<?x64x2x16xbf16>, %arg2: tensor<?x64x4x32xbf16>, %arg3: tensor<?x64x4x16xf32>, %arg4: tensor<?x4x16x32xf32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 initial_state %arg4 {scale = 0.125 : f32} : (tensor<?x64x2x16xbf16>, tensor<?x64x2x16xbf16>, tensor<?x64x4x32xbf16>, tensor<?x64x4x16xf32>, tensor<?x4x16x32xf32>) -> (tensor<?x64x4x32xbf16>, tensor<?x4x16x32xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_perkey_decay_init_varlen
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 initial_state %arg4 cu_seqlens %arg5 {qk_l2norm, scale = 2.500000e-01 : f32} : (tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf32>, tensor<?x4x16x16xf32>, tensor<?xi32>) -> (tensor<1x?x4x16xf16>, tensor<?x4x16x16xf32>)
func.func @la_perkey_decay_init_varlen(%arg0: tensor<1x?x4x16xf16>, %arg1: tensor<1x?x4x16xf16>, %arg2: tensor<1x?x4x16xf16>, %arg3: tensor<1x?x4x16xf32>, %arg4: tensor<?x4x16x16xf32>, %arg5: tensor<?xi32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 initial_state %arg4 cu_seqlens %arg5 {qk_l2norm, scale = 2.5e-01 : f32} : (tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf32>, tensor<?x4x16x16xf32>, tensor<?xi32>) -> (tensor<1x?x4x16xf16>, tensor<?x4x16x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_perkey_decay_beta
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 : (tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>, tensor<2x64x4xf32>) -> (tensor<2x64x4x16xf32>, tensor<2x4x16x16xf32>)
func.func @la_perkey_decay_beta(%arg0: tensor<2x64x4x16xf32>, %arg1: tensor<2x64x4x16xf32>, %arg2: tensor<2x64x4x16xf32>, %arg3: tensor<2x64x4x16xf32>, %arg4: tensor<2x64x4xf32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 : (tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>, tensor<2x64x4xf32>) -> (tensor<2x64x4x16xf32>, tensor<2x4x16x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_perkey_decay_beta_varlen
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 cu_seqlens %arg5 {qk_l2norm} : (tensor<1x?x2x16xbf16>, tensor<1x?x2x16xbf16>, tensor<1x?x4x32xbf16>, tensor<1x?x4x16xf32>, tensor<1x?x4xf32>, tensor<?xi32>) -> (tensor<1x?x4x32xbf16>, tensor<?x4x16x32xf32>)
func.func @la_perkey_decay_beta_varlen(%arg0: tensor<1x?x2x16xbf16>, %arg1: tensor<1x?x2x16xbf16>, %arg2: tensor<1x?x4x32xbf16>, %arg3: tensor<1x?x4x16xf32>, %arg4: tensor<1x?x4xf32>, %arg5: tensor<?xi32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 cu_seqlens %arg5 {qk_l2norm} : (tensor<1x?x2x16xbf16>, tensor<1x?x2x16xbf16>, tensor<1x?x4x32xbf16>, tensor<1x?x4x16xf32>, tensor<1x?x4xf32>, tensor<?xi32>) -> (tensor<1x?x4x32xbf16>, tensor<?x4x16x32xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_perkey_decay_beta_init
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 initial_state %arg5 {scale = 1.250000e-01 : f32} : (tensor<?x64x4x16xf16>, tensor<?x64x4x16xf16>, tensor<?x64x4x16xf16>, tensor<?x64x4x16xf32>, tensor<?x64x4xf32>, tensor<?x4x16x16xf32>) -> (tensor<?x64x4x16xf16>, tensor<?x4x16x16xf32>)
func.func @la_perkey_decay_beta_init(%arg0: tensor<?x64x4x16xf16>, %arg1: tensor<?x64x4x16xf16>, %arg2: tensor<?x64x4x16xf16>, %arg3: tensor<?x64x4x16xf32>, %arg4: tensor<?x64x4xf32>, %arg5: tensor<?x4x16x16xf32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 initial_state %arg5 {scale = 0.125 : f32} : (tensor<?x64x4x16xf16>, tensor<?x64x4x16xf16>, tensor<?x64x4x16xf16>, tensor<?x64x4x16xf32>, tensor<?x64x4xf32>, tensor<?x4x16x16xf32>) -> (tensor<?x64x4x16xf16>, tensor<?x4x16x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @la_perkey_decay_beta_init_varlen
// CHECK: %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 initial_state %arg5 cu_seqlens %arg6 {qk_l2norm, scale = 2.500000e-01 : f32} : (tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4xf32>, tensor<?x4x16x16xf32>, tensor<?xi32>) -> (tensor<1x?x4x16xf32>, tensor<?x4x16x16xf32>)
func.func @la_perkey_decay_beta_init_varlen(%arg0: tensor<1x?x4x16xf32>, %arg1: tensor<1x?x4x16xf32>, %arg2: tensor<1x?x4x16xf32>, %arg3: tensor<1x?x4x16xf32>, %arg4: tensor<1x?x4xf32>, %arg5: tensor<?x4x16x16xf32>, %arg6: tensor<?xi32>) {
  %output, %final_state = loom.linear_attention %arg0, %arg1, %arg2 decay %arg3 beta %arg4 initial_state %arg5 cu_seqlens %arg6 {qk_l2norm, scale = 2.5e-01 : f32} : (tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x?x4xf32>, tensor<?x4x16x16xf32>, tensor<?xi32>) -> (tensor<1x?x4x16xf32>, tensor<?x4x16x16xf32>)
  return
}
